//! The canonical request and string to sign, as AWS's non-S3 services compute them.

use crate::parse::split_ascii;
use crate::request::{CredentialScope, RequestParts, SignedHeaders};
use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`-encoded.
const URI_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// How to canonicalize: the verifier always normalizes paths (AWS's non-S3 rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonicalOptions {
    /// Remove `.`/`..` segments and collapse duplicate slashes (non-S3 services do).
    pub normalize_path: bool,
    /// Take `x-amz-content-sha256: UNSIGNED-PAYLOAD` as the payload hash, leaving the body out
    /// of the signature. Only for operations whose model allows it; otherwise the payload hash
    /// is always the SHA-256 of the bytes received.
    pub allow_unsigned_payload: bool,
}

impl Default for CanonicalOptions {
    fn default() -> Self {
        Self {
            normalize_path: true,
            allow_unsigned_payload: false,
        }
    }
}

/// The `x-amz-content-sha256` value that leaves the body out of the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The canonical URI: the raw path (normalized if asked) with each segment URI-encoded again.
pub fn canonical_uri(path: &str, normalize: bool) -> String {
    let mut out = Vec::with_capacity(path.len() + 8);
    write_canonical_uri(&mut out, path, normalize);
    // Only ASCII is ever written: encoded bytes and '/'.
    String::from_utf8_lossy(&out).into_owned()
}

fn write_canonical_uri(out: &mut Vec<u8>, path: &str, normalize: bool) {
    let path = if normalize {
        normalize_path(path)
    } else {
        Cow::Borrowed(path)
    };
    if path.is_empty() {
        out.push(b'/');
        return;
    }
    for (i, segment) in path.as_bytes().split(|&b| b == b'/').enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        write_encoded(out, segment);
    }
}

/// The raw path as non-S3 SigV4 reads it: `.`/`..` segments removed (RFC 3986), duplicate
/// slashes collapsed, a leading slash. The server routes this path too, so what runs is
/// what the signature covers. Borrowed when the path is already so.
pub fn normalize_path(path: &str) -> Cow<'_, str> {
    // One pass: a leading slash, then no empty, `.` or `..` segment (a trailing slash ends
    // in one empty segment, which stays).
    // (A byte scan: '/' is ASCII, and this runs on every request's path.)
    let clean = path.strip_prefix('/').is_some_and(|rest| {
        let mut segments = rest.as_bytes().split(|&b| b == b'/');
        let last = segments.next_back();
        segments.all(|s| !matches!(s, b"" | b"." | b"..")) && !matches!(last, Some(b"." | b".."))
    });
    if clean {
        return Cow::Borrowed(path);
    }
    let mut segments: Vec<&str> = Vec::with_capacity(8);
    let mut last = "";
    for segment in split_ascii(path, b'/') {
        last = segment;
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    // RFC 3986 dot-segment removal keeps a trailing slash after `.`/`..` as after `/`.
    let trailing_slash = matches!(last, "" | "." | "..") && !segments.is_empty();
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if trailing_slash || out.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

fn write_encoded(out: &mut Vec<u8>, bytes: &[u8]) {
    for chunk in percent_encode(bytes, URI_ENCODE) {
        out.extend_from_slice(chunk.as_bytes());
    }
}

fn encode_to_string(bytes: &[u8]) -> String {
    percent_encode(bytes, URI_ENCODE).to_string()
}

/// The canonical query string: every name and value decoded then re-encoded, sorted by name then
/// value; `X-Amz-Signature` left out when `presigned`.
pub fn canonical_query(query: &str, presigned: bool) -> String {
    let mut out = Vec::with_capacity(query.len() + 16);
    write_canonical_query(&mut out, query, presigned);
    // Only ASCII is ever written: encoded bytes, '=' and '&'.
    String::from_utf8_lossy(&out).into_owned()
}

fn write_canonical_query(out: &mut Vec<u8>, query: &str, presigned: bool) {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
        let name: Vec<u8> = percent_decode_str(name).collect();
        if presigned && name == b"X-Amz-Signature" {
            continue;
        }
        let value: Vec<u8> = percent_decode_str(value).collect();
        pairs.push((encode_to_string(&name), encode_to_string(&value)));
    }
    pairs.sort_unstable();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(name.as_bytes());
        out.push(b'=');
        out.extend_from_slice(value.as_bytes());
    }
}

/// Appends a header value trimmed, with inner runs of whitespace collapsed to one space:
/// its runs of other bytes, copied whole, one space between them.
fn write_trimmed(out: &mut Vec<u8>, value: &[u8]) {
    let runs = value
        .split(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .filter(|run| !run.is_empty());
    for (i, run) in runs.enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(run);
    }
}

/// Writes the canonical request into `out` (cleared first).
pub(crate) fn write_canonical_request(
    out: &mut Vec<u8>,
    req: &RequestParts<'_>,
    signed_headers: &SignedHeaders,
    payload_hash: &[u8],
    presigned: bool,
    options: CanonicalOptions,
) {
    out.clear();
    out.extend_from_slice(req.method.as_bytes());
    out.push(b'\n');
    write_canonical_uri(out, req.path, options.normalize_path);
    out.push(b'\n');
    write_canonical_query(out, req.query, presigned);
    out.push(b'\n');
    for name in signed_headers.iter() {
        let start = out.len();
        out.extend_from_slice(name.as_bytes());
        if let Some(written) = out.get_mut(start..) {
            written.make_ascii_lowercase();
        }
        out.push(b':');
        for (i, value) in req.header_values(name).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_trimmed(out, value);
        }
        out.push(b'\n');
    }
    out.push(b'\n');
    for (i, name) in signed_headers.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        out.extend_from_slice(name.as_bytes());
    }
    out.push(b'\n');
    out.extend_from_slice(payload_hash);
}

/// The string to sign: algorithm, request time, scope, and the hex SHA-256 of the canonical request.
pub fn string_to_sign(amz_date: &str, scope: &CredentialScope, canonical_hash_hex: &str) -> String {
    let mut out = Vec::with_capacity(160);
    write_string_to_sign(&mut out, amz_date, scope, canonical_hash_hex.as_bytes());
    // Only text was written.
    String::from_utf8_lossy(&out).into_owned()
}

/// Appends the string to sign to `out`.
pub(crate) fn write_string_to_sign(
    out: &mut Vec<u8>,
    amz_date: &str,
    scope: &CredentialScope,
    canonical_hash_hex: &[u8],
) {
    out.extend_from_slice(b"AWS4-HMAC-SHA256\n");
    out.extend_from_slice(amz_date.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(scope.date.as_bytes());
    out.push(b'/');
    out.extend_from_slice(scope.region.as_bytes());
    out.push(b'/');
    out.extend_from_slice(scope.service.as_bytes());
    out.extend_from_slice(b"/aws4_request\n");
    out.extend_from_slice(canonical_hash_hex);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_is_normalized_and_double_encoded() {
        assert_eq!(canonical_uri("", true), "/");
        assert_eq!(canonical_uri("/", true), "/");
        assert_eq!(canonical_uri("//example//", true), "/example/");
        assert_eq!(canonical_uri("/a/./b/../c", true), "/a/c");
        assert_eq!(canonical_uri("/a/b/..", true), "/a/");
        assert_eq!(canonical_uri("/../..", true), "/");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/v1/flows//x/"), "/v1/flows/x/");
        assert_eq!(normalize_path("/channels/.."), "/");
        assert_eq!(normalize_path(""), "/");
        for clean in ["/", "/v1/flows/a.b", "/a/", "/.a/..b"] {
            assert!(matches!(normalize_path(clean), Cow::Borrowed(_)), "{clean}");
        }
        for unclean in ["//", "/a//b", "/.", "/a/..", "a"] {
            assert!(
                matches!(normalize_path(unclean), Cow::Owned(_)),
                "{unclean}"
            );
        }
        assert_eq!(canonical_uri("/arn%3Aaws/x y", true), "/arn%253Aaws/x%20y");
        assert_eq!(canonical_uri("/a%2Fb", true), "/a%252Fb");
        assert_eq!(canonical_uri("//example//", false), "//example//");
    }

    #[test]
    fn query_is_decoded_reencoded_and_sorted() {
        assert_eq!(canonical_query("", false), "");
        assert_eq!(canonical_query("b=2&a=1&a=0", false), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k&x=", false), "k=&x=");
        assert_eq!(canonical_query("p=a%20b+c&q=%7e", false), "p=a%20b%2Bc&q=~");
        assert_eq!(
            canonical_query("X-Amz-Signature=abc&a=1", true),
            "a=1",
            "signature left out when presigned"
        );
        assert_eq!(
            canonical_query("X-Amz-Signature=abc", false),
            "X-Amz-Signature=abc"
        );
        // A broken escape is kept literally (its '%' encoded), never a panic.
        assert_eq!(canonical_query("a=%zz%", false), "a=%25zz%25");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        let mut out = Vec::new();
        write_trimmed(&mut out, b"  value1\n  value2 \t   value3  ");
        assert_eq!(out, b"value1 value2 value3");
        for (value, trimmed) in [
            (&b""[..], &b""[..]),
            (b" \t\r\n ", b""),
            (b"a", b"a"),
            (b"\x0ba \x0c b", b"\x0ba \x0c b"),
            (b"a,  b ,c", b"a, b ,c"),
        ] {
            let mut out = Vec::new();
            write_trimmed(&mut out, value);
            assert_eq!(out, trimmed, "{value:?}");
        }
    }
}
