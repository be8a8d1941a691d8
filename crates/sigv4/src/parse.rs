//! Reading the signature's inputs from the `Authorization` header or the presigned query.

use crate::error::SigV4Error;
use crate::request::{CredentialScope, RequestParts};
use percent_encoding::percent_decode_str;
use std::borrow::Cow;

/// A header value as text: borrowed when it is UTF-8 (always, from an SDK), checked at
/// once rather than through `from_utf8_lossy`'s chunked walk.
fn text(v: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(v) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(v),
    }
}

/// `value` trimmed, still borrowed if it was.
fn trimmed(value: Cow<'_, str>) -> Cow<'_, str> {
    match value {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

/// The algorithm this crate verifies.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Where the request's signing time came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateSource<'a> {
    /// `X-Amz-Date` header or query parameter: ISO 8601 basic.
    AmzDate(Cow<'a, str>),
    /// `Date` header: RFC 1123.
    HttpDate(Cow<'a, str>),
}

impl DateSource<'_> {
    /// The raw value received.
    pub(crate) fn raw(&self) -> &str {
        match self {
            DateSource::AmzDate(s) | DateSource::HttpDate(s) => s,
        }
    }
}

/// The signature's inputs, as the client sent them, before any check beyond presence;
/// borrowed from the request (or its joined `Authorization` lines) where they can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthInput<'a> {
    pub algorithm: Cow<'a, str>,
    pub credential: Cow<'a, str>,
    /// As received: names separated by `;` (see [`signed_header_names`]).
    pub signed_headers: Cow<'a, str>,
    pub signature: Cow<'a, str>,
    pub date: DateSource<'a>,
    pub expires: Option<String>,
    pub security_token: Option<Cow<'a, [u8]>>,
    pub presigned: bool,
}

/// The first query parameter named `name` (compared after percent-decoding), decoded.
pub(crate) fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .find_map(|piece| {
            let (n, v) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode_str(n).decode_utf8_lossy() == name)
                .then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
        })
}

/// `s` split at `sep`, an ASCII byte: a byte scan, cheaper than a `char` search on the
/// short strings it serves (the pieces stay whole UTF-8, as `sep` is ASCII).
pub(crate) fn split_ascii(s: &str, sep: u8) -> impl DoubleEndedIterator<Item = &str> {
    s.as_bytes()
        .split(move |&b| b == sep)
        .map(move |piece| piece_of(s, piece))
}

/// `s` cut at the first `sep`, an ASCII byte.
pub(crate) fn split_once_ascii(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// The `&str` of `piece`, a sub-slice of `s` cut at ASCII bytes.
fn piece_of<'s>(s: &'s str, piece: &[u8]) -> &'s str {
    let start = piece.as_ptr() as usize - s.as_ptr() as usize;
    s.get(start..start + piece.len()).unwrap_or_default()
}

/// Whether `b` separates the `Authorization` header's components: a comma or ASCII
/// whitespace (as `char::is_ascii_whitespace`).
fn is_separator(b: u8) -> bool {
    b == b',' || b.is_ascii_whitespace()
}

/// The header's components: split at commas and ASCII whitespace, empty ones dropped.
fn components(header: &str) -> impl DoubleEndedIterator<Item = &str> {
    header
        .as_bytes()
        .split(|&b| is_separator(b))
        .filter(|t| !t.is_empty())
        .map(move |t| piece_of(header, t))
}

/// A credential's five parts, `keyid/date/region/service/terminator`, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CredentialParts<'a> {
    pub key: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    pub terminator: &'a str,
}

impl CredentialParts<'_> {
    /// The credential scope, owned.
    pub(crate) fn scope(&self) -> CredentialScope {
        CredentialScope {
            date: self.date.to_string(),
            region: self.region.to_string(),
            service: self.service.to_string(),
        }
    }
}

/// Splits `keyid/date/region/service/terminator` (trailing slashes ignored, as AWS does).
pub(crate) fn split_credential(credential: &str) -> Option<CredentialParts<'_>> {
    let trimmed = credential.trim_end_matches('/');
    let (key, rest) = split_once_ascii(trimmed, b'/')?;
    let (date, rest) = split_once_ascii(rest, b'/')?;
    let (region, rest) = split_once_ascii(rest, b'/')?;
    let (service, terminator) = split_once_ascii(rest, b'/')?;
    if terminator.contains('/') {
        return None;
    }
    Some(CredentialParts {
        key,
        date,
        region,
        service,
        terminator,
    })
}

/// The `Authorization` header as one value: several field lines are read as their values
/// joined by commas (RFC 9110 §5.3), so a second signature is never ignored; AWS refuses
/// such a value ('AWS4-HMAC-SHA256' not a valid key=value pair).
pub(crate) fn authorization<'a>(req: &RequestParts<'a>) -> Option<Cow<'a, str>> {
    let mut values = req.header_values("authorization");
    let first = text(values.next()?);
    let mut rest = values.peekable();
    if rest.peek().is_none() {
        return Some(first);
    }
    let mut joined = first.into_owned();
    for v in rest {
        joined.push(',');
        joined.push_str(&text(v));
    }
    Some(Cow::Owned(joined))
}

/// Reads the signature's inputs from whichever form the request uses; `header` is the
/// request's [`authorization`].
pub(crate) fn parse_auth<'a>(
    req: &RequestParts<'a>,
    header: Option<&'a str>,
) -> Result<AuthInput<'a>, SigV4Error> {
    let query_algorithm = query_param(req.query, "X-Amz-Algorithm");
    match (header, query_algorithm) {
        (Some(_), Some(_)) => Err(SigV4Error::HeaderAndQueryAuth),
        (None, None) => Err(SigV4Error::MissingAuthentication),
        (Some(header), None) => parse_header(req, header),
        (None, Some(_)) => parse_query(req),
    }
}

fn parse_header<'a>(req: &RequestParts<'a>, raw: &'a str) -> Result<AuthInput<'a>, SigV4Error> {
    let header = raw.trim();
    // Anything not claiming to be SigV4 is treated as no credentials at all, as AWS does.
    if !header.starts_with("AWS4-") {
        return Err(SigV4Error::MissingAuthentication);
    }
    let (algorithm, rest) = match header.bytes().position(is_separator) {
        Some(at) => (
            header.get(..at).unwrap_or_default(),
            header.get(at + 1..).unwrap_or_default(),
        ),
        None => (header, ""),
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for token in components(rest) {
        let Some((key, value)) = split_once_ascii(token, b'=') else {
            return Err(SigV4Error::MalformedPair {
                pair: token.to_string(),
                header: header.to_string(),
            });
        };
        let slot = match key {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            _ => continue,
        };
        if !value.is_empty() {
            *slot = Some(value);
        }
    }
    let date = if let Some(v) = req.header_values("x-amz-date").next() {
        Some(DateSource::AmzDate(trimmed(text(v))))
    } else {
        req.header_values("date")
            .next()
            .map(|v| DateSource::HttpDate(trimmed(text(v))))
    };
    match (credential, signed_headers, signature, date) {
        (Some(credential), Some(signed_headers), Some(signature), Some(date)) => Ok(AuthInput {
            algorithm: Cow::Borrowed(algorithm),
            credential: Cow::Borrowed(credential),
            signed_headers: Cow::Borrowed(signed_headers),
            signature: Cow::Borrowed(signature),
            date,
            expires: None,
            security_token: req
                .header_values("x-amz-security-token")
                .next()
                .map(|v| Cow::Borrowed(trim_bytes(v))),
            presigned: false,
        }),
        (credential, signed_headers, signature, date) => {
            let mut missing = Vec::new();
            if credential.is_none() {
                missing.push("Credential");
            }
            if signature.is_none() {
                missing.push("Signature");
            }
            if signed_headers.is_none() {
                missing.push("SignedHeaders");
            }
            Err(SigV4Error::MissingHeaderComponents {
                missing,
                missing_date: date.is_none(),
                header: header.to_string(),
            })
        }
    }
}

fn parse_query<'a>(req: &RequestParts<'a>) -> Result<AuthInput<'a>, SigV4Error> {
    let get = |name: &str| query_param(req.query, name).filter(|v| !v.is_empty());
    let algorithm = get("X-Amz-Algorithm");
    let credential = get("X-Amz-Credential");
    let signature = get("X-Amz-Signature");
    let signed_headers = get("X-Amz-SignedHeaders");
    let date = get("X-Amz-Date");
    let mut missing = Vec::new();
    for (name, present) in [
        ("X-Amz-Algorithm", algorithm.is_some()),
        ("X-Amz-Credential", credential.is_some()),
        ("X-Amz-Signature", signature.is_some()),
        ("X-Amz-SignedHeaders", signed_headers.is_some()),
        ("X-Amz-Date", date.is_some()),
    ] {
        if !present {
            missing.push(name);
        }
    }
    match (algorithm, credential, signature, signed_headers, date) {
        (Some(algorithm), Some(credential), Some(signature), Some(signed_headers), Some(date)) => {
            Ok(AuthInput {
                algorithm: Cow::Owned(algorithm),
                credential: Cow::Owned(credential),
                signed_headers: Cow::Owned(signed_headers),
                signature: Cow::Owned(signature),
                date: DateSource::AmzDate(Cow::Owned(date)),
                expires: query_param(req.query, "X-Amz-Expires"),
                security_token: query_param(req.query, "X-Amz-Security-Token")
                    .map(|t| Cow::Owned(t.into_bytes())),
                presigned: true,
            })
        }
        _ => Err(SigV4Error::MissingQueryParameters { missing }),
    }
}

/// The signed header names of a `SignedHeaders` value, empty ones left out.
pub(crate) fn signed_header_names(value: &str) -> impl Iterator<Item = &str> {
    split_ascii(value, b';').filter(|h| !h.is_empty())
}

fn trim_bytes(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    v.get(start..end).unwrap_or_default()
}

/// The credential scope a request claims, without verifying anything.
pub(crate) fn claimed_scope(req: &RequestParts<'_>) -> Option<CredentialScope> {
    if let Some(header) = authorization(req) {
        // The last non-empty one, as `parse_header` takes it: what is peeked (to pick the
        // error's format, or whether the payload may go unsigned) is what gets verified.
        let credential = components(&header)
            .rev()
            .filter_map(|t| t.strip_prefix("Credential="))
            .find(|c| !c.is_empty())?;
        split_credential(credential).map(|parts| parts.scope())
    } else {
        let credential = query_param(req.query, "X-Amz-Credential")?;
        split_credential(&credential).map(|parts| parts.scope())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<'a>(req: &RequestParts<'a>) -> Result<AuthInput<'a>, SigV4Error> {
        // The tests' requests carry one `Authorization` line at most where they parse.
        let header = authorization(req).map(|h| match h {
            Cow::Borrowed(h) => h,
            Cow::Owned(h) => &*h.leak(),
        });
        parse_auth(req, header)
    }

    fn req<'a>(headers: &'a [(&'a str, &'a [u8])], query: &'a str) -> RequestParts<'a> {
        RequestParts {
            method: "GET",
            path: "/",
            query,
            headers,
            body: b"",
        }
    }

    #[test]
    fn parses_header_form_tolerating_spacing() {
        let headers: &[(&str, &[u8])] = &[
            (
                "Authorization",
                b"AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/svc/aws4_request,SignedHeaders=host;x-amz-date,   Signature=ab",
            ),
            ("X-Amz-Date", b"20150830T123600Z"),
        ];
        let input = parse(&req(headers, "")).expect("parses");
        assert_eq!(input.algorithm, "AWS4-HMAC-SHA256");
        assert_eq!(input.credential, "AK/20150830/us-east-1/svc/aws4_request");
        assert_eq!(input.signed_headers, "host;x-amz-date");
        assert_eq!(
            signed_header_names(";host;;x-amz-date;").collect::<Vec<_>>(),
            vec!["host", "x-amz-date"]
        );
        assert_eq!(input.signature, "ab");
        assert_eq!(input.date, DateSource::AmzDate("20150830T123600Z".into()));
        assert!(!input.presigned);
    }

    #[test]
    fn reads_presigned_query() {
        let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20150830%2Fus-east-1%2Fsvc%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Signature=ab&X-Amz-Security-Token=t%2B";
        let input = parse(&req(&[], q)).expect("parses");
        assert_eq!(input.credential, "AK/20150830/us-east-1/svc/aws4_request");
        assert_eq!(input.expires.as_deref(), Some("60"));
        assert_eq!(input.security_token.as_deref(), Some(&b"t+"[..]));
        assert!(input.presigned);
    }

    #[test]
    fn reads_date_and_token_headers_trimmed() {
        let headers: &[(&str, &[u8])] = &[
            (
                "Authorization",
                b"AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/svc/aws4_request,SignedHeaders=host, Signature=ab",
            ),
            ("Date", b" Sun, 30 Aug 2015 12:36:00 GMT "),
            ("X-Amz-Security-Token", b" tok "),
        ];
        let input = parse(&req(headers, "")).expect("parses");
        assert_eq!(input.security_token.as_deref(), Some(&b"tok"[..]));
        assert_eq!(
            input.date,
            DateSource::HttpDate("Sun, 30 Aug 2015 12:36:00 GMT".into())
        );
    }

    #[test]
    fn a_second_authorization_line_is_read_not_ignored() {
        let valid: &[u8] = b"AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/svc/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab";
        let headers: &[(&str, &[u8])] = &[
            ("Authorization", valid),
            (
                "authorization",
                b"AWS4-HMAC-SHA256 Credential=AK/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=cd",
            ),
            ("X-Amz-Date", b"20150830T123600Z"),
        ];
        match parse(&req(headers, "")) {
            Err(SigV4Error::MalformedPair { pair, header }) => {
                assert_eq!(pair, "AWS4-HMAC-SHA256");
                assert!(header.contains("Signature=ab,AWS4-HMAC-SHA256 Credential="));
            }
            other => panic!("{other:?}"),
        }
        // The scope peeked at is the one the verifier would read: the last credential.
        assert_eq!(claimed_scope(&req(headers, "")).unwrap().service, "iam");
        // One line: as before.
        assert!(parse(&req(&headers[..1], "")).is_err());
        let one: &[(&str, &[u8])] = &[
            ("Authorization", valid),
            ("X-Amz-Date", b"20150830T123600Z"),
        ];
        assert!(parse(&req(one, "")).is_ok());
    }

    #[test]
    fn the_claimed_scope_is_the_credential_that_gets_verified() {
        let headers: &[(&str, &[u8])] = &[
            (
                "Authorization",
                b"AWS4-HMAC-SHA256 Credential=X/20150830/us-east-1/mediaconnect/aws4_request, Credential=AK/20150830/us-east-1/ivs/aws4_request, Credential=, SignedHeaders=host;x-amz-date, Signature=ab",
            ),
            ("X-Amz-Date", b"20150830T123600Z"),
        ];
        let input = parse(&req(headers, "")).expect("parses");
        assert_eq!(input.credential, "AK/20150830/us-east-1/ivs/aws4_request");
        assert_eq!(claimed_scope(&req(headers, "")).unwrap().service, "ivs");
    }

    #[test]
    fn byte_splits_match_char_splits() {
        for s in ["", "/", "a/b//c/", "é/ü/x", "no-slash"] {
            assert_eq!(
                split_ascii(s, b'/').collect::<Vec<_>>(),
                s.split('/').collect::<Vec<_>>()
            );
            assert_eq!(split_once_ascii(s, b'/'), s.split_once('/'));
        }
        let header = " a,b\tc ,\u{e9}=1\n\r";
        assert_eq!(
            components(header).collect::<Vec<_>>(),
            header
                .split(|c: char| c == ',' || c.is_ascii_whitespace())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn splits_credentials_ignoring_trailing_slashes() {
        let parts = split_credential("AK/20150830/r/s/aws4_request//").expect("five");
        assert_eq!((parts.key, parts.terminator), ("AK", "aws4_request"));
        assert_eq!(parts.scope().service, "s");
        assert_eq!(parts.scope().region, "r");
        assert_eq!(parts.scope().date, "20150830");
        assert_eq!(split_credential("/d/r/s/t").map(|p| p.key), Some(""));
        assert_eq!(split_credential("AK/20150830/r/s"), None);
        assert_eq!(split_credential("AK/20150830/r/s//"), None);
        assert_eq!(split_credential("////"), None);
        assert_eq!(split_credential("a////b").map(|p| p.terminator), Some("b"));
        assert_eq!(split_credential("a////").map(|p| p.key), None);
        assert_eq!(split_credential("a/b/c/d/").map(|p| p.key), None);
        assert_eq!(split_credential("AK/20150830/r/s/t/u"), None);
    }
}
