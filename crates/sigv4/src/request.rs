//! The request's parts that SigV4 covers, and what the caller supplies and gets back.

use std::time::SystemTime;

/// The parts of an HTTP request that SigV4 covers. `path` is the raw path as received (still percent-encoded, no query); `query` the raw query string without '?'.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// Raw path as received, still percent-encoded, without the query.
    pub path: &'a str,
    /// Raw query string without the leading `?`.
    pub query: &'a str,
    /// Headers in the order received; names in any case.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The full request body.
    pub body: &'a [u8],
}

impl<'a> RequestParts<'a> {
    /// Values of every header named `name` (ASCII case-insensitive), in the order received.
    pub fn header_values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'a [u8]> + 's {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The first value of header `name`, if it is present and valid UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.header_values(name)
            .next()
            .and_then(|v| std::str::from_utf8(v).ok())
    }
}

/// What a key lookup returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The secret access key the signature must be computed with.
    pub secret_access_key: String,
    /// The session token a temporary credential must present in `X-Amz-Security-Token`.
    pub session_token: Option<String>,
    /// When a temporary credential stops being valid.
    pub expires_at: Option<SystemTime>,
}

/// Looks up access keys (O(1) in the implementation: a HashMap in the IAM store).
pub trait CredentialLookup {
    /// The credential for `access_key_id`, or `None` if no such key exists.
    fn lookup(&self, access_key_id: &str) -> Option<Credential>;
}

impl<F> CredentialLookup for F
where
    F: Fn(&str) -> Option<Credential>,
{
    fn lookup(&self, access_key_id: &str) -> Option<Credential> {
        self(access_key_id)
    }
}

/// The credential scope of a signature: `date/region/service/aws4_request`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CredentialScope {
    /// `YYYYMMDD`.
    pub date: String,
    /// Region name, e.g. `us-east-1`.
    pub region: String,
    /// Signing name of the service, e.g. `ivs`.
    pub service: String,
}

/// The signed header names as the client listed them (`host;x-amz-date`), kept as the one
/// string it sent rather than a string per name; empty names are left out when read.
#[derive(Debug, Clone, Default)]
pub struct SignedHeaders(String);

impl SignedHeaders {
    /// The names a `SignedHeaders` value lists.
    pub fn new(value: impl Into<String>) -> Self {
        SignedHeaders(value.into())
    }

    /// The names, in the client's order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        crate::parse::signed_header_names(&self.0)
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether it names none.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// The same names in the same order.
impl PartialEq for SignedHeaders {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for SignedHeaders {}

/// The names are `other`'s, in its order.
impl<S: AsRef<str>> PartialEq<Vec<S>> for SignedHeaders {
    fn eq(&self, other: &Vec<S>) -> bool {
        self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

/// The result of a successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key_id: String,
    /// The signature's credential scope.
    pub scope: CredentialScope,
    /// The signed header names, as listed by the client.
    pub signed_headers: SignedHeaders,
    /// The request time the client signed (`X-Amz-Date` or `Date`).
    pub request_time: SystemTime,
    /// Whether the signature came in the query string (presigned URL).
    pub presigned: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_headers_read_as_the_names_listed_without_empty_ones() {
        let h = SignedHeaders::new("host;;x-amz-date;");
        assert_eq!(h.iter().collect::<Vec<_>>(), ["host", "x-amz-date"]);
        assert_eq!(h.len(), 2);
        assert_eq!(h, vec!["host", "x-amz-date"]);
        assert_eq!(h, SignedHeaders::new("host;x-amz-date"));
        assert_ne!(h, vec!["x-amz-date", "host"]);
        assert_ne!(h, vec!["host"]);
        assert!(SignedHeaders::new(";").is_empty());
        assert!(!h.is_empty());
    }
}
