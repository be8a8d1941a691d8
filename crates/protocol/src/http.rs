//! Raw HTTP request and response parts, and the small decoding helpers both protocols share.

use percent_encoding::percent_decode;
use std::borrow::Cow;

/// Raw request parts. `path` is raw (still percent-encoded), `query` raw without `?`.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The HTTP method, upper case.
    pub method: &'a str,
    /// The raw path, still percent-encoded.
    pub path: &'a str,
    /// The raw query string without `?`.
    pub query: &'a str,
    /// Headers as received (names in any case).
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body bytes.
    pub body: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// Whether the client asks for a JSON answer and not an XML one (`Accept:
    /// application/json`; SDKs send none or `*/*`).
    pub fn asks_for_json(&self) -> bool {
        self.header("accept").is_some_and(|v| {
            let v = String::from_utf8_lossy(v).to_ascii_lowercase();
            v.contains("application/json") && !v.contains("xml")
        })
    }

    /// Whether the body is an HTML form (`application/x-www-form-urlencoded`).
    pub fn is_form(&self) -> bool {
        self.header("content-type")
            .map(|v| {
                String::from_utf8_lossy(v)
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            })
            .unwrap_or(false)
    }
}

/// A response header's name or value: fixed text (not copied for each answer), or text made
/// for this answer.
pub type HeaderText = Cow<'static, str>;

/// A serialized response.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers to send.
    pub headers: Vec<(HeaderText, HeaderText)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

/// Percent-decodes `raw` to text (invalid UTF-8 is replaced, never rejected with a panic).
pub fn decode(raw: &str, plus_is_space: bool) -> String {
    if plus_is_space && raw.contains('+') {
        let spaced = raw.replace('+', " ");
        return percent_decode(spaced.as_bytes())
            .decode_utf8_lossy()
            .into_owned();
    }
    percent_decode(raw.as_bytes())
        .decode_utf8_lossy()
        .into_owned()
}

/// Splits `a=1&b=2` into decoded pairs; a bare `a` is `("a", "")`.
pub fn parse_pairs(raw: &str, plus_is_space: bool) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k, plus_is_space), decode(v, plus_is_space)),
            None => (decode(p, plus_is_space), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let pairs = parse_pairs("a=1&b=x%2Fy&flag&c=a+b", true);
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x/y".into()),
                ("flag".into(), "".into()),
                ("c".into(), "a b".into())
            ]
        );
        assert_eq!(decode("a+b%ZZ", false), "a+b%ZZ");
    }
}
