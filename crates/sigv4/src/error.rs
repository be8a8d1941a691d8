//! Why a request failed SigV4 verification, with AWS's codes, messages and statuses.

use std::fmt;

/// The credential-scope checks that failed, reported together as AWS does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeProblems {
    /// The scope's region, when it is not a valid region name.
    pub invalid_region: Option<String>,
    /// The service the request should have been scoped to, when the scope names another.
    pub expected_service: Option<String>,
    /// The scope's terminator, when it is not `aws4_request`.
    pub invalid_terminator: Option<String>,
    /// `(scope date, request's YYYYMMDD, request's ISO 8601 time)` when the dates differ.
    pub date_mismatch: Option<(String, String, String)>,
}

impl ScopeProblems {
    /// Whether no check failed.
    pub fn is_empty(&self) -> bool {
        self.invalid_region.is_none()
            && self.expected_service.is_none()
            && self.invalid_terminator.is_none()
            && self.date_mismatch.is_none()
    }
}

/// What the server computed for a request whose signature did not match: AWS's refusal
/// shows both, so a client can compare them with its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

/// Why SigV4 verification failed: one variant per failure, each carrying what its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigV4Error {
    /// Neither an `Authorization` header nor `X-Amz-Algorithm` in the query (or a non-`AWS4-` header).
    MissingAuthentication,
    /// Both an `Authorization` header and `X-Amz-Algorithm` in the query.
    HeaderAndQueryAuth,
    /// An `Authorization` component without `=`.
    MalformedPair {
        /// The offending component.
        pair: String,
        /// The whole header value.
        header: String,
    },
    /// `Authorization` lacks required components or the request lacks a date.
    MissingHeaderComponents {
        /// Missing components in AWS's order (`Credential`, `Signature`, `SignedHeaders`).
        missing: Vec<&'static str>,
        /// Whether neither `X-Amz-Date` nor `Date` is present.
        missing_date: bool,
        /// The whole header value.
        header: String,
    },
    /// The presigned query lacks required parameters.
    MissingQueryParameters {
        /// Missing parameter names in AWS's order.
        missing: Vec<&'static str>,
    },
    /// The request date is not ISO 8601 basic format (or a valid RFC 1123 `Date`).
    MalformedDate {
        /// The value received.
        value: String,
    },
    /// `X-Amz-Expires` is not an integer in 1..=604800.
    InvalidExpires {
        /// The value received.
        value: String,
    },
    /// The request time is older than the clock window allows.
    SignatureExpired {
        /// The request's time, ISO basic.
        request_time: String,
        /// `now - window`, ISO basic.
        earliest: String,
        /// `now`, ISO basic.
        now: String,
        /// The window in whole minutes.
        window_minutes: u64,
    },
    /// The request time is further in the future than the clock window allows.
    SignatureNotYetCurrent {
        /// The request's time, ISO basic.
        request_time: String,
        /// `now + window`, ISO basic.
        latest: String,
        /// `now`, ISO basic.
        now: String,
        /// The window in whole minutes.
        window_minutes: u64,
    },
    /// A presigned request used more than 15 minutes after its `X-Amz-Date`.
    PresignedExpired,
    /// `host` is not among the signed headers.
    HostNotSigned,
    /// An algorithm other than `AWS4-HMAC-SHA256`.
    UnsupportedAlgorithm {
        /// The algorithm received.
        algorithm: String,
    },
    /// The credential is not `keyid/date/region/service/terminator`.
    MalformedCredential {
        /// The credential received.
        credential: String,
    },
    /// The credential scope is wrong (region, service, terminator or date).
    ScopeMismatch(Box<ScopeProblems>),
    /// No such access key.
    UnknownAccessKey,
    /// The signature does not match the one computed (what was computed, when known).
    SignatureMismatch(Option<Box<Expected>>),
    /// `x-amz-content-sha256` differs from the hash of the body received (or claims
    /// `UNSIGNED-PAYLOAD` where the operation does not allow it). Outside S3, AWS computes the
    /// payload hash itself, so such a request fails as a signature mismatch, with its code
    /// and message; the variant keeps the cause apart for logs and tests.
    ContentSha256Mismatch(Option<Box<Expected>>),
    /// The session token is missing, unexpected or wrong.
    InvalidSecurityToken,
    /// The temporary credential has expired.
    ExpiredToken,
}

impl SigV4Error {
    /// AWS's error code: restJson form (`query == false`) or query/XML form (`query == true`).
    pub fn code(&self, query: bool) -> &'static str {
        use SigV4Error::*;
        let (json, xml) = match self {
            MissingAuthentication => (
                "MissingAuthenticationTokenException",
                "MissingAuthenticationToken",
            ),
            MalformedPair { .. }
            | MissingHeaderComponents { .. }
            | MissingQueryParameters { .. }
            | MalformedDate { .. }
            | InvalidExpires { .. }
            | UnsupportedAlgorithm { .. }
            | MalformedCredential { .. } => ("IncompleteSignatureException", "IncompleteSignature"),
            HeaderAndQueryAuth
            | SignatureExpired { .. }
            | SignatureNotYetCurrent { .. }
            | PresignedExpired
            | HostNotSigned
            | ScopeMismatch(_)
            | SignatureMismatch(_)
            | ContentSha256Mismatch(_) => ("InvalidSignatureException", "SignatureDoesNotMatch"),
            UnknownAccessKey | InvalidSecurityToken => {
                ("UnrecognizedClientException", "InvalidClientTokenId")
            }
            ExpiredToken => ("ExpiredTokenException", "ExpiredToken"),
        };
        if query {
            xml
        } else {
            json
        }
    }

    /// AWS's exact message for the restJson form; see [`SigV4Error::message_for`] for the query form.
    pub fn message(&self) -> String {
        self.message_for(false)
    }

    /// AWS's exact message in the restJson (`query == false`) or query/XML (`query == true`) form.
    /// Only the missing-token message differs between them.
    pub fn message_for(&self, query: bool) -> String {
        use SigV4Error::*;
        match self {
            MissingAuthentication if query => "Request is missing Authentication Token".into(),
            MissingAuthentication => "Missing Authentication Token".into(),
            HeaderAndQueryAuth => "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.".into(),
            MalformedPair { pair, header } => format!(
                "'{pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
            ),
            MissingHeaderComponents { missing, missing_date, header } => {
                let mut msg = String::new();
                for name in missing {
                    msg.push_str("Authorization header requires '");
                    msg.push_str(name);
                    msg.push_str("' parameter. ");
                }
                if *missing_date {
                    msg.push_str("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
                }
                msg.push_str("Authorization=");
                msg.push_str(header);
                msg
            }
            MissingQueryParameters { missing } => {
                let mut msg = String::new();
                for name in missing {
                    msg.push_str("AWS query-string parameters must include '");
                    msg.push_str(name);
                    msg.push_str("'. ");
                }
                msg.push_str("Re-examine the query-string parameters.");
                msg
            }
            MalformedDate { value } => format!(
                "Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601"
            ),
            InvalidExpires { value } => match value.trim().parse::<i64>() {
                Ok(n) if n > 604_800 => {
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800".into()
                }
                Ok(_) => "X-Amz-Expires must be non-negative".into(),
                Err(_) => "X-Amz-Expires should be a number".into(),
            },
            SignatureExpired { request_time, earliest, now, window_minutes } => format!(
                "Signature expired: {request_time} is now earlier than {earliest} ({now} - {window_minutes} min.)"
            ),
            SignatureNotYetCurrent { request_time, latest, now, window_minutes } => format!(
                "Signature not yet current: {request_time} is still later than {latest} ({now} + {window_minutes} min.)"
            ),
            PresignedExpired => "Request has expired".into(),
            HostNotSigned => "'Host' must be a 'SignedHeader' in the AWS Authorization.".into(),
            UnsupportedAlgorithm { algorithm } => format!(
                "Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "
            ),
            MalformedCredential { credential } => format!(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
            ),
            ScopeMismatch(p) => {
                // AWS joins every failed check into one message, in this order.
                let mut msg = String::new();
                if let Some(region) = &p.invalid_region {
                    msg.push_str(&format!("Credential should be scoped to a valid region, not '{region}'. "));
                }
                if let Some(service) = &p.expected_service {
                    msg.push_str(&format!("Credential should be scoped to correct service: '{service}'. "));
                }
                if let Some(term) = &p.invalid_terminator {
                    msg.push_str(&format!(
                        "Credential should be scoped with a valid terminator: 'aws4_request', not '{term}'. "
                    ));
                }
                if let Some((scope, request, iso)) = &p.date_mismatch {
                    msg.push_str(&format!(
                        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope}' != '{request}', from '{iso}'."
                    ));
                }
                msg
            }
            UnknownAccessKey | InvalidSecurityToken => {
                "The security token included in the request is invalid.".into()
            }
            SignatureMismatch(expected) | ContentSha256Mismatch(expected) => {
                let mut m = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.".to_string();
                // As AWS's answers show them (STS, IAM, CloudFront, API Gateway, …).
                if let Some(e) = expected {
                    m.push_str(&format!(
                        "\n\nThe Canonical String for this request should have been\n'{}'\n\nThe String-to-Sign should have been\n'{}'\n",
                        e.canonical_request, e.string_to_sign
                    ));
                }
                m
            }
            ExpiredToken => "The security token included in the request is expired".into(),
        }
    }

    /// HTTP status (403 for all of these, 400 where AWS uses 400).
    pub fn status(&self) -> u16 {
        use SigV4Error::*;
        match self {
            HeaderAndQueryAuth
            | MalformedPair { .. }
            | MissingHeaderComponents { .. }
            | MissingQueryParameters { .. }
            | MalformedDate { .. }
            | InvalidExpires { .. }
            | UnsupportedAlgorithm { .. }
            | MalformedCredential { .. } => 400,
            _ => 403,
        }
    }
}

impl fmt::Display for SigV4Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(false), self.message())
    }
}

impl std::error::Error for SigV4Error {}
