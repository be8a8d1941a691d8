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

/// The algorithm this crate verifies.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Where the request's signing time came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateSource {
    /// `X-Amz-Date` header or query parameter: ISO 8601 basic.
    AmzDate(String),
    /// `Date` header: RFC 1123.
    HttpDate(String),
}

impl DateSource {
    /// The raw value received.
    pub(crate) fn raw(&self) -> &str {
        match self {
            DateSource::AmzDate(s) | DateSource::HttpDate(s) => s,
        }
    }
}

/// The signature's inputs, as the client sent them, before any check beyond presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthInput {
    pub algorithm: String,
    pub credential: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
    pub date: DateSource,
    pub expires: Option<String>,
    pub security_token: Option<Vec<u8>>,
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

/// Splits `keyid/date/region/service/terminator` (trailing slashes ignored, as AWS does).
pub(crate) fn split_credential(credential: &str) -> Option<(String, CredentialScope, String)> {
    let trimmed = credential.trim_end_matches('/');
    let mut parts = trimmed.split('/');
    let (key, date, region, service, term) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() {
        return None;
    }
    Some((
        key.to_string(),
        CredentialScope {
            date: date.to_string(),
            region: region.to_string(),
            service: service.to_string(),
        },
        term.to_string(),
    ))
}

/// The `Authorization` header as one value: several field lines are read as their values
/// joined by commas (RFC 9110 §5.3), so a second signature is never ignored; AWS refuses
/// such a value ('AWS4-HMAC-SHA256' not a valid key=value pair).
fn authorization<'a>(req: &RequestParts<'a>) -> Option<Cow<'a, str>> {
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

/// Reads the signature's inputs from whichever form the request uses.
pub(crate) fn parse_auth(req: &RequestParts<'_>) -> Result<AuthInput, SigV4Error> {
    let header = authorization(req);
    let query_algorithm = query_param(req.query, "X-Amz-Algorithm");
    match (header, query_algorithm) {
        (Some(_), Some(_)) => Err(SigV4Error::HeaderAndQueryAuth),
        (None, None) => Err(SigV4Error::MissingAuthentication),
        (Some(header), None) => parse_header(req, &header),
        (None, Some(_)) => parse_query(req),
    }
}

fn parse_header(req: &RequestParts<'_>, raw: &str) -> Result<AuthInput, SigV4Error> {
    let header = raw.trim();
    // Anything not claiming to be SigV4 is treated as no credentials at all, as AWS does.
    if !header.starts_with("AWS4-") {
        return Err(SigV4Error::MissingAuthentication);
    }
    let (algorithm, rest) = header
        .split_once(|c: char| c.is_ascii_whitespace() || c == ',')
        .unwrap_or((header, ""));
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for token in rest
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
    {
        let Some((key, value)) = token.split_once('=') else {
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
            *slot = Some(value.to_string());
        }
    }
    let date = if let Some(v) = req.header_values("x-amz-date").next() {
        Some(DateSource::AmzDate(text(v).trim().to_string()))
    } else {
        req.header_values("date")
            .next()
            .map(|v| DateSource::HttpDate(text(v).trim().to_string()))
    };
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
    match (credential, signed_headers, signature, date) {
        (Some(credential), Some(signed_headers), Some(signature), Some(date)) => Ok(AuthInput {
            algorithm: algorithm.to_string(),
            credential,
            signed_headers: split_signed_headers(&signed_headers),
            signature,
            date,
            expires: None,
            security_token: req
                .header_values("x-amz-security-token")
                .next()
                .map(trim_bytes),
            presigned: false,
        }),
        (.., date) => Err(SigV4Error::MissingHeaderComponents {
            missing,
            missing_date: date.is_none(),
            header: header.to_string(),
        }),
    }
}

fn parse_query(req: &RequestParts<'_>) -> Result<AuthInput, SigV4Error> {
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
                algorithm,
                credential,
                signed_headers: split_signed_headers(&signed_headers),
                signature,
                date: DateSource::AmzDate(date),
                expires: query_param(req.query, "X-Amz-Expires"),
                security_token: query_param(req.query, "X-Amz-Security-Token")
                    .map(String::into_bytes),
                presigned: true,
            })
        }
        _ => Err(SigV4Error::MissingQueryParameters { missing }),
    }
}

fn split_signed_headers(value: &str) -> Vec<String> {
    value
        .split(';')
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

fn trim_bytes(v: &[u8]) -> Vec<u8> {
    let start = v
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    v.get(start..end).unwrap_or_default().to_vec()
}

/// The credential scope a request claims, without verifying anything.
pub(crate) fn claimed_scope(req: &RequestParts<'_>) -> Option<CredentialScope> {
    let credential = if let Some(header) = authorization(req) {
        // The last non-empty one, as `parse_header` takes it: what is peeked (to pick the
        // error's format, or whether the payload may go unsigned) is what gets verified.
        header
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .rev()
            .filter_map(|t| t.strip_prefix("Credential="))
            .find(|c| !c.is_empty())
            .map(str::to_string)?
    } else {
        query_param(req.query, "X-Amz-Credential")?
    };
    split_credential(&credential).map(|(_, scope, _)| scope)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let input = parse_auth(&req(headers, "")).expect("parses");
        assert_eq!(input.algorithm, "AWS4-HMAC-SHA256");
        assert_eq!(input.credential, "AK/20150830/us-east-1/svc/aws4_request");
        assert_eq!(input.signed_headers, vec!["host", "x-amz-date"]);
        assert_eq!(input.signature, "ab");
        assert_eq!(input.date, DateSource::AmzDate("20150830T123600Z".into()));
        assert!(!input.presigned);
    }

    #[test]
    fn reads_presigned_query() {
        let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20150830%2Fus-east-1%2Fsvc%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60&X-Amz-Signature=ab&X-Amz-Security-Token=t%2B";
        let input = parse_auth(&req(&[], q)).expect("parses");
        assert_eq!(input.credential, "AK/20150830/us-east-1/svc/aws4_request");
        assert_eq!(input.expires.as_deref(), Some("60"));
        assert_eq!(input.security_token.as_deref(), Some(&b"t+"[..]));
        assert!(input.presigned);
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
        match parse_auth(&req(headers, "")) {
            Err(SigV4Error::MalformedPair { pair, header }) => {
                assert_eq!(pair, "AWS4-HMAC-SHA256");
                assert!(header.contains("Signature=ab,AWS4-HMAC-SHA256 Credential="));
            }
            other => panic!("{other:?}"),
        }
        // The scope peeked at is the one the verifier would read: the last credential.
        assert_eq!(claimed_scope(&req(headers, "")).unwrap().service, "iam");
        // One line: as before.
        assert!(parse_auth(&req(&headers[..1], "")).is_err());
        let one: &[(&str, &[u8])] = &[
            ("Authorization", valid),
            ("X-Amz-Date", b"20150830T123600Z"),
        ];
        assert!(parse_auth(&req(one, "")).is_ok());
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
        let input = parse_auth(&req(headers, "")).expect("parses");
        assert_eq!(input.credential, "AK/20150830/us-east-1/ivs/aws4_request");
        assert_eq!(claimed_scope(&req(headers, "")).unwrap().service, "ivs");
    }

    #[test]
    fn splits_credentials_ignoring_trailing_slashes() {
        let (key, scope, term) = split_credential("AK/20150830/r/s/aws4_request//").expect("five");
        assert_eq!((key.as_str(), term.as_str()), ("AK", "aws4_request"));
        assert_eq!(scope.service, "s");
        assert_eq!(split_credential("AK/20150830/r/s"), None);
        assert_eq!(split_credential("AK/20150830/r/s/t/u"), None);
    }
}
