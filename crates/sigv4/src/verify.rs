//! The `Verifier`: checks a request's SigV4 signature in AWS's order of checks.

use crate::canonical::{
    write_canonical_request, write_string_to_sign, CanonicalOptions, UNSIGNED_PAYLOAD,
};
use crate::error::{Expected, ScopeProblems, SigV4Error};
use crate::lower_hex::Hex64;
use crate::parse::{
    authorization, claimed_scope, parse_auth, signed_header_names, split_credential, AuthInput,
    CredentialParts, DateSource, ALGORITHM,
};
use crate::request::{
    Credential, CredentialLookup, CredentialScope, RequestParts, SignedHeaders, Verified,
};
use crate::signing_key::{signature_with, SigningKeyCache};
use crate::time::{format_amz_date, parse_amz_date, parse_http_date};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::time::{Duration, SystemTime};
use subtle::{Choice, ConstantTimeEq};

/// Longest validity AWS allows a presigned request (seven days).
const MAX_EXPIRES_SECS: u64 = 604_800;

/// How many derived signing keys a verifier keeps by default.
const DEFAULT_CACHE_CAPACITY: usize = 4096;

/// What a caller allows or requires of one request beyond AWS's defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct VerifyOptions<'a> {
    /// The service the credential scope must name, when given.
    pub expected_service: Option<&'a str>,
    /// Whether the operation may leave its body out of the signature (`UNSIGNED-PAYLOAD`);
    /// only where the operation's model says so.
    pub allow_unsigned_payload: bool,
}

/// A request's signature inputs, parsed, that passed every check before the key's lookup
/// ([`Verifier::check_before_body`] hands them on, so that [`Verifier::verify_checked`] does
/// not parse the same headers again).
#[derive(Debug)]
pub struct Checked {
    request_time: SystemTime,
    /// The request time's ISO 8601 basic form (as signed), then the signature: one copy of
    /// both, split at `date_len`.
    date_and_signature: String,
    date_len: usize,
    access_key_id: String,
    scope: CredentialScope,
    signed_headers: SignedHeaders,
    security_token: Option<Vec<u8>>,
    presigned: bool,
    /// The clock window of the credential's service.
    window: Duration,
    /// How long after its time a presigned request is honoured (`None`: signed in a header).
    validity: Option<Duration>,
}

impl Checked {
    /// The request time's ISO 8601 basic form, as signed.
    fn amz_date(&self) -> &str {
        &self.date_and_signature[..self.date_len]
    }
}

thread_local! {
    /// Where this thread builds a request's canonical request and string to sign: one
    /// buffer that keeps its capacity from request to request (its content never outlives
    /// the check), instead of a fresh allocation for each.
    static CANONICAL: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The most capacity [`CANONICAL`] keeps between requests.
const CANONICAL_KEPT: usize = 64 * 1024;

/// Verifies SigV4 signatures against a clock window, caching derived signing keys.
#[derive(Debug)]
pub struct Verifier {
    clock_skew: Duration,
    /// Services (signing names) whose clock window differs from `clock_skew`.
    service_windows: Vec<(String, Duration)>,
    keys: SigningKeyCache,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new(Duration::from_secs(300))
    }
}

/// Best effort, without verifying: the credential scope's service and region if the request carries a parseable credential (header or presigned), so errors can be answered in the right service's wire format.
pub fn peek_scope(req: &RequestParts) -> Option<CredentialScope> {
    claimed_scope(req)
}

/// The intermediate values of signing, exposed so they can be checked against AWS's test suite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    /// The canonical request (header values that are not UTF-8 shown lossily).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

/// Computes the canonical request and string to sign the verifier would use for `req`, without
/// looking up keys or checking times.
pub fn canonicalize(
    req: &RequestParts,
    options: CanonicalOptions,
) -> Result<Canonical, SigV4Error> {
    let header = authorization(req);
    let input = parse_auth(req, header.as_deref())?;
    let (_, amz_date) = request_time(&input.date)?;
    let scope = split_credential(&input.credential)
        .ok_or_else(|| SigV4Error::MalformedCredential {
            credential: input.credential.to_string(),
        })?
        .scope();
    let signed_headers = SignedHeaders::new(input.signed_headers.as_ref());
    let mut buf = Vec::new();
    let payload_hash = payload_hash(req, options);
    let sts_start = build(
        req,
        &signed_headers,
        input.presigned,
        &scope,
        &amz_date,
        payload_hash.as_bytes(),
        options,
        &mut buf,
    );
    let (canonical_request, sts) = buf.split_at(sts_start);
    Ok(Canonical {
        canonical_request: String::from_utf8_lossy(canonical_request).into_owned(),
        string_to_sign: String::from_utf8_lossy(sts).into_owned(),
    })
}

/// The request time and its ISO 8601 basic form (as signed).
fn request_time<'a>(date: &'a DateSource<'_>) -> Result<(SystemTime, Cow<'a, str>), SigV4Error> {
    let malformed = || SigV4Error::MalformedDate {
        value: date.raw().to_string(),
    };
    match date {
        DateSource::AmzDate(raw) => {
            let t = parse_amz_date(raw).ok_or_else(malformed)?;
            Ok((t, Cow::Borrowed(raw)))
        }
        DateSource::HttpDate(raw) => {
            // AWS takes the `Date` header in the ISO 8601 basic form as well as HTTP's.
            if let Some(t) = parse_amz_date(raw) {
                return Ok((t, Cow::Borrowed(raw)));
            }
            let t = parse_http_date(raw).ok_or_else(malformed)?;
            Ok((t, Cow::Owned(format_amz_date(t))))
        }
    }
}

/// Builds the canonical request into `buf`, then the string to sign after it (one buffer for
/// both: a mismatch's error shows both); returns where the string to sign starts.
#[allow(clippy::too_many_arguments)]
fn build(
    req: &RequestParts,
    signed_headers: &SignedHeaders,
    presigned: bool,
    scope: &CredentialScope,
    amz_date: &str,
    payload_hash: &[u8],
    options: CanonicalOptions,
    buf: &mut Vec<u8>,
) -> usize {
    write_canonical_request(buf, req, signed_headers, payload_hash, presigned, options);
    let canonical_hash = Hex64::of(&Sha256::digest(&buf[..]).into());
    let sts_start = buf.len();
    write_string_to_sign(buf, amz_date, scope, canonical_hash.as_bytes());
    sts_start
}

/// The payload hash of a canonical request.
enum PayloadHash {
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// The hex SHA-256 of the body.
    Body(Hex64),
}

impl PayloadHash {
    fn as_bytes(&self) -> &[u8] {
        match self {
            PayloadHash::Unsigned => UNSIGNED_PAYLOAD.as_bytes(),
            PayloadHash::Body(hex) => hex.as_bytes(),
        }
    }
}

/// The payload hash of the canonical request: `UNSIGNED-PAYLOAD` if the client claims it and
/// the options allow it, else the hex SHA-256 of the body received. An `x-amz-content-sha256`
/// header never stands in for the body: it is only compared with this.
fn payload_hash(req: &RequestParts, options: CanonicalOptions) -> PayloadHash {
    let claimed = req.header_str("x-amz-content-sha256").map(str::trim);
    if options.allow_unsigned_payload && claimed == Some(UNSIGNED_PAYLOAD) {
        return PayloadHash::Unsigned;
    }
    PayloadHash::Body(Hex64::of(&Sha256::digest(req.body).into()))
}

/// Whether a present `x-amz-content-sha256` header disagrees with the payload hash used.
fn claimed_hash_differs(req: &RequestParts, used: &[u8]) -> bool {
    req.header_values("x-amz-content-sha256").any(|v| {
        std::str::from_utf8(v).map_or(true, |v| !v.trim().as_bytes().eq_ignore_ascii_case(used))
    })
}

/// Whether `region` looks like an AWS region name (`us-east-1`, `us-gov-west-1`, …).
/// (Checked twice per request: scanned in place, nothing collected.)
fn is_valid_region(region: &str) -> bool {
    let mut parts = region.as_bytes().split(|&b| b == b'-');
    let Some(last) = parts.next_back() else {
        return false;
    };
    let mut leading = 0;
    let leading_ok = parts.all(|p| {
        leading += 1;
        p.len() >= 2 && p.iter().all(u8::is_ascii_lowercase)
    });
    leading_ok && leading >= 2 && !last.is_empty() && last.iter().all(u8::is_ascii_digit)
}

/// Whether `a` and `b` are equal, in time that depends on their length only (which is no
/// secret; `subtle` compares slices' lengths the same way). Eight bytes per `subtle`
/// comparison rather than one: a signature is 64 bytes.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail = a_words.remainder().ct_eq(b_words.remainder());
    let words = a_words
        .zip(b_words)
        .fold(Choice::from(1), |eq, (x, y)| eq & word(x).ct_eq(&word(y)));
    bool::from(words & tail)
}

/// How long after its `X-Amz-Date` a presigned request is honoured, whatever its
/// `X-Amz-Expires`: AWS services other than S3 use "a fixed request signature expiration of
/// about 15 minutes" (the Go SDK's maintainers, aws/aws-sdk-go#2224), which EKS's
/// aws-iam-authenticator relies on for its presigned STS GetCallerIdentity tokens (signed
/// with `X-Amz-Expires=60`, reused for 14 minutes).
const PRESIGNED_VALIDITY: Duration = Duration::from_secs(15 * 60);

fn plus(t: SystemTime, d: Duration) -> SystemTime {
    t.checked_add(d).unwrap_or(t)
}

fn minus(t: SystemTime, d: Duration) -> SystemTime {
    t.checked_sub(d).unwrap_or(SystemTime::UNIX_EPOCH)
}

impl Verifier {
    /// A verifier accepting request times within `clock_skew` of `now` (most AWS services
    /// use 5 minutes).
    pub fn new(clock_skew: Duration) -> Self {
        Self::with_cache_capacity(clock_skew, DEFAULT_CACHE_CAPACITY)
    }

    /// A verifier whose signing-key cache holds at most `capacity` keys.
    pub fn with_cache_capacity(clock_skew: Duration, capacity: usize) -> Self {
        Self {
            clock_skew,
            service_windows: Vec::new(),
            keys: SigningKeyCache::new(capacity),
        }
    }

    /// The same verifier with its own clock window for requests signed for `service`.
    pub fn with_service_window(mut self, service: &str, window: Duration) -> Self {
        self.service_windows.retain(|(s, _)| s != service);
        self.service_windows.push((service.to_string(), window));
        self
    }

    /// The clock window of a request, by the service its credential names.
    fn window(&self, service: Option<&str>) -> Duration {
        self.service_windows
            .iter()
            .find(|(s, _)| Some(s.as_str()) == service)
            .map_or(self.clock_skew, |(_, w)| *w)
    }

    /// The clock window.
    pub fn clock_skew(&self) -> Duration {
        self.clock_skew
    }

    /// The signing-key cache (e.g. to clear it when keys are deleted).
    pub fn signing_keys(&self) -> &SigningKeyCache {
        &self.keys
    }

    /// Verifies `req`'s signature, its clock window, credential scope and session token.
    pub fn verify(
        &self,
        req: &RequestParts,
        keys: &dyn CredentialLookup,
        now: SystemTime,
    ) -> Result<Verified, SigV4Error> {
        self.verify_with(req, keys, now, VerifyOptions::default())
    }

    /// As [`Verifier::verify`], also requiring the scope's service to be `expected_service` when given.
    pub fn verify_for_service(
        &self,
        req: &RequestParts,
        keys: &dyn CredentialLookup,
        now: SystemTime,
        expected_service: Option<&str>,
    ) -> Result<Verified, SigV4Error> {
        let options = VerifyOptions {
            expected_service,
            ..VerifyOptions::default()
        };
        self.verify_with(req, keys, now, options)
    }

    /// Every check that does not need the body: the `Authorization` header or presigned
    /// parameters are present and well formed, the request time is inside the clock window,
    /// the scope is right and the access key exists. A server runs it before reading a body,
    /// so an unauthenticated client cannot make it buffer one, then hands what it parsed to
    /// [`Verifier::verify_checked`].
    pub fn check_before_body(
        &self,
        req: &RequestParts,
        keys: &dyn CredentialLookup,
        now: SystemTime,
        expected_service: Option<&str>,
    ) -> Result<Checked, SigV4Error> {
        let checked = self.parse(req, now, expected_service)?;
        keys.lookup(&checked.access_key_id)
            .ok_or(SigV4Error::UnknownAccessKey)?;
        Ok(checked)
    }

    /// Verifies `req` with `options`: the full check, signature included.
    pub fn verify_with(
        &self,
        req: &RequestParts,
        keys: &dyn CredentialLookup,
        now: SystemTime,
        options: VerifyOptions<'_>,
    ) -> Result<Verified, SigV4Error> {
        let checked = self.parse(req, now, options.expected_service)?;
        self.finish(req, checked, keys, now, options)
    }

    /// [`Verifier::verify_with`] for the request `checked` came from
    /// ([`Verifier::check_before_body`] of the same parts): the checks that depend on the time
    /// and the options are made again at `now`, then the key's, the signature's and the
    /// token's, in the same order.
    pub fn verify_checked(
        &self,
        req: &RequestParts,
        checked: Checked,
        keys: &dyn CredentialLookup,
        now: SystemTime,
        options: VerifyOptions<'_>,
    ) -> Result<Verified, SigV4Error> {
        // The body may have taken a while: the clock window is checked again at `now`.
        check_time(checked.request_time, now, checked.window, checked.validity)?;
        // `parse` found the terminator to be `aws4_request`; the expected service may differ.
        let scope = &checked.scope;
        let parts = CredentialParts {
            key: &checked.access_key_id,
            date: &scope.date,
            region: &scope.region,
            service: &scope.service,
            terminator: TERMINATOR,
        };
        check_scope(&parts, checked.amz_date(), options.expected_service)?;
        self.finish(req, checked, keys, now, options)
    }

    /// The key's lookup, then the signature's, the token's and the expiry's checks.
    fn finish(
        &self,
        req: &RequestParts,
        checked: Checked,
        keys: &dyn CredentialLookup,
        now: SystemTime,
        options: VerifyOptions<'_>,
    ) -> Result<Verified, SigV4Error> {
        let Checked {
            request_time,
            date_and_signature,
            date_len,
            access_key_id,
            scope,
            signed_headers,
            security_token,
            presigned,
            window: _,
            validity: _,
        } = checked;
        let credential: Credential = keys
            .lookup(&access_key_id)
            .ok_or(SigV4Error::UnknownAccessKey)?;

        let (amz_date, signature) = date_and_signature.split_at(date_len);
        let canonical_options = CanonicalOptions {
            allow_unsigned_payload: options.allow_unsigned_payload,
            ..CanonicalOptions::default()
        };
        let payload_hash = payload_hash(req, canonical_options);
        CANONICAL.with_borrow_mut(|buf| {
            // Room for the canonical request and the string to sign after it.
            buf.clear();
            buf.reserve(512 + req.path.len() + req.query.len() + 64 * signed_headers.len());
            let sts_start = build(
                req,
                &signed_headers,
                presigned,
                &scope,
                amz_date,
                payload_hash.as_bytes(),
                canonical_options,
                buf,
            );
            let (canonical_request, sts) = buf.split_at(sts_start);
            let computed = || {
                Some(Box::new(Expected {
                    canonical_request: String::from_utf8_lossy(canonical_request).into_owned(),
                    string_to_sign: String::from_utf8_lossy(sts).into_owned(),
                }))
            };
            let checked = if claimed_hash_differs(req, payload_hash.as_bytes()) {
                Err(SigV4Error::ContentSha256Mismatch(computed()))
            } else {
                let keyed = self.keys.keyed(&credential.secret_access_key, &scope);
                let expected = signature_with(keyed, sts);
                if ct_eq(expected.as_bytes(), signature.as_bytes()) {
                    Ok(())
                } else {
                    Err(SigV4Error::SignatureMismatch(computed()))
                }
            };
            // A request of a huge path or query does not leave its buffer held.
            if buf.capacity() > CANONICAL_KEPT {
                *buf = Vec::new();
            }
            checked
        })?;

        let token_ok = match (&credential.session_token, &security_token) {
            (None, None) => true,
            (Some(expected), Some(got)) => ct_eq(expected.as_bytes(), got),
            _ => false,
        };
        if !token_ok {
            return Err(SigV4Error::InvalidSecurityToken);
        }
        if credential.expires_at.is_some_and(|at| at <= now) {
            return Err(SigV4Error::ExpiredToken);
        }
        Ok(Verified {
            access_key_id,
            scope,
            signed_headers,
            request_time,
            presigned,
        })
    }

    /// The checks before the key's lookup, in AWS's order.
    fn parse(
        &self,
        req: &RequestParts,
        now: SystemTime,
        expected_service: Option<&str>,
    ) -> Result<Checked, SigV4Error> {
        let header = authorization(req);
        let input = parse_auth(req, header.as_deref())?;
        let (request_time, amz_date) = request_time(&input.date)?;
        // Split once, checked below; the clock window already goes by the service it names
        // (the fourth field, even of a credential found malformed afterwards).
        let credential = split_credential(&input.credential);
        let service = match &credential {
            Some(parts) => Some(parts.service),
            None => input.credential.split('/').nth(3),
        };
        let window = self.window(service);
        let validity = presigned_validity(&input)?;
        check_time(request_time, now, window, validity)?;
        // Read once: checked here, kept for the canonical request and the caller.
        if !signed_header_names(&input.signed_headers).any(|h| h.eq_ignore_ascii_case("host")) {
            return Err(SigV4Error::HostNotSigned);
        }
        if input.algorithm != ALGORITHM {
            return Err(SigV4Error::UnsupportedAlgorithm {
                algorithm: input.algorithm.to_string(),
            });
        }
        let Some(parts) = credential else {
            return Err(SigV4Error::MalformedCredential {
                credential: input.credential.to_string(),
            });
        };
        check_scope(&parts, &amz_date, expected_service)?;
        let mut date_and_signature = String::with_capacity(amz_date.len() + input.signature.len());
        date_and_signature.push_str(&amz_date);
        date_and_signature.push_str(&input.signature);
        Ok(Checked {
            request_time,
            date_and_signature,
            date_len: amz_date.len(),
            access_key_id: parts.key.to_string(),
            scope: parts.scope(),
            signed_headers: SignedHeaders::new(input.signed_headers.into_owned()),
            security_token: input.security_token.map(Cow::into_owned),
            presigned: input.presigned,
            window,
            validity,
        })
    }
}

/// How long a presigned request is honoured, once its `X-Amz-Expires` is found well formed:
/// the parameter must be, but only S3 honours its value; other services allow a presigned
/// request a fixed 15 minutes from its X-Amz-Date. `None` for a header-signed request.
fn presigned_validity(input: &AuthInput<'_>) -> Result<Option<Duration>, SigV4Error> {
    match (input.presigned, &input.expires) {
        (true, Some(raw)) => match raw.trim().parse::<u64>() {
            Ok(secs) if (1..=MAX_EXPIRES_SECS).contains(&secs) => Ok(Some(PRESIGNED_VALIDITY)),
            _ => Err(SigV4Error::InvalidExpires { value: raw.clone() }),
        },
        _ => Ok(None),
    }
}

/// The request time against the clock `window` around `now`, or a presigned request's
/// `validity` after it.
fn check_time(
    request_time: SystemTime,
    now: SystemTime,
    window: Duration,
    validity: Option<Duration>,
) -> Result<(), SigV4Error> {
    let minutes = window.as_secs() / 60;
    let latest = plus(now, window);
    if request_time > latest {
        return Err(SigV4Error::SignatureNotYetCurrent {
            request_time: format_amz_date(request_time),
            latest: format_amz_date(latest),
            now: format_amz_date(now),
            window_minutes: minutes,
        });
    }
    match validity {
        Some(validity) => {
            if now > plus(request_time, validity) {
                return Err(SigV4Error::PresignedExpired);
            }
        }
        None => {
            let earliest = minus(now, window);
            if request_time < earliest {
                return Err(SigV4Error::SignatureExpired {
                    request_time: format_amz_date(request_time),
                    earliest: format_amz_date(earliest),
                    now: format_amz_date(now),
                    window_minutes: minutes,
                });
            }
        }
    }
    Ok(())
}

/// The credential scope's terminator.
const TERMINATOR: &str = "aws4_request";

fn check_scope(
    scope: &CredentialParts<'_>,
    amz_date: &str,
    expected_service: Option<&str>,
) -> Result<(), SigV4Error> {
    let mut problems = ScopeProblems::default();
    if !is_valid_region(scope.region) {
        problems.invalid_region = Some(scope.region.to_string());
    }
    if let Some(expected) = expected_service {
        if scope.service != expected {
            problems.expected_service = Some(expected.to_string());
        }
    }
    if scope.terminator != TERMINATOR {
        problems.invalid_terminator = Some(scope.terminator.to_string());
    }
    // amz_date was validated as ISO basic, so its first 8 bytes are ASCII digits.
    let request_day = amz_date.get(..8).unwrap_or(amz_date);
    if scope.date != request_day {
        problems.date_mismatch = Some((
            scope.date.to_string(),
            request_day.to_string(),
            amz_date.to_string(),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SigV4Error::ScopeMismatch(Box::new(problems)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header-signed request for `query`, verified at its own time with key `k`/`s`.
    fn verify_signed(query: &str, tamper: bool) -> Result<Verified, SigV4Error> {
        let scope = CredentialScope {
            date: "20240101".into(),
            region: "us-east-1".into(),
            service: "ivs".into(),
        };
        let unsigned = |auth: &str| {
            vec![
                ("host", b"example.com".to_vec()),
                ("x-amz-date", b"20240101T000000Z".to_vec()),
                ("authorization", auth.as_bytes().to_vec()),
            ]
        };
        let sign = |signature: &str| {
            format!(
                "AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/ivs/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature={signature}"
            )
        };
        let draft = unsigned(&sign(&"0".repeat(64)));
        let draft: Vec<(&str, &[u8])> = draft.iter().map(|(k, v)| (*k, &v[..])).collect();
        let req = RequestParts {
            method: "GET",
            path: "/",
            query,
            headers: &draft,
            body: b"",
        };
        let sts = canonicalize(&req, CanonicalOptions::default())
            .unwrap()
            .string_to_sign;
        let mut good = crate::signature(&crate::derive_signing_key("s", &scope), &sts);
        if tamper {
            good.replace_range(..1, if good.starts_with('0') { "1" } else { "0" });
        }
        let signed = unsigned(&sign(&good));
        let signed: Vec<(&str, &[u8])> = signed.iter().map(|(k, v)| (*k, &v[..])).collect();
        let req = RequestParts {
            headers: &signed,
            ..req
        };
        let keys = |id: &str| {
            (id == "k").then(|| Credential {
                secret_access_key: "s".into(),
                session_token: None,
                expires_at: None,
            })
        };
        let now = parse_amz_date("20240101T000000Z").unwrap();
        Verifier::default().verify(&req, &keys, now)
    }

    #[test]
    fn the_canonical_buffer_is_reused_but_a_huge_one_is_not_kept() {
        assert!(verify_signed("a=1", false).is_ok());
        let Err(SigV4Error::SignatureMismatch(Some(expected))) = verify_signed("a=1", true) else {
            panic!("a tampered signature is refused with what was computed");
        };
        assert!(expected.canonical_request.contains("a=1"));
        // The buffer from the last request does not leak into the next one.
        assert!(verify_signed("b=2", false).is_ok());
        let huge = format!("a={}", "x".repeat(2 * CANONICAL_KEPT));
        assert!(verify_signed(&huge, false).is_ok());
        CANONICAL.with_borrow(|buf| assert!(buf.capacity() <= CANONICAL_KEPT));
        assert!(verify_signed("a=1", false).is_ok());
        CANONICAL.with_borrow(|buf| assert!(buf.capacity() > 0, "kept for the next request"));
    }

    #[test]
    fn compares_bytes_whole() {
        let sig = b"aa8a1b4ba1e1db1fe4eec2b1e20d2b3f2e1a58b1d2a6c34b0c5e0b8d1f7a5e3c";
        assert!(ct_eq(sig, sig));
        assert!(ct_eq(b"", b""));
        assert!(ct_eq(b"tok", b"tok"));
        assert!(!ct_eq(sig, &sig[..63]));
        assert!(!ct_eq(b"tok", b"tok2"));
        for i in 0..sig.len() {
            let mut other = *sig;
            other[i] ^= 1;
            assert!(!ct_eq(sig, &other), "byte {i}");
        }
        let mut token = b"0123456789abcdefXYZ".to_vec();
        assert!(ct_eq(&token, b"0123456789abcdefXYZ"));
        token[18] = b'z';
        assert!(!ct_eq(&token, b"0123456789abcdefXYZ"));
    }

    #[test]
    fn recognises_region_names() {
        for ok in ["us-east-1", "us-gov-west-1", "ap-southeast-2", "cn-north-1"] {
            assert!(is_valid_region(ok), "{ok}");
        }
        for bad in [
            "",
            "us",
            "us-east",
            "aws-global",
            "US-EAST-1",
            "us-east-1a",
            "x-y-1",
            "us--1",
            "us-east-",
            "-us-east-1",
            "us-east-1-",
        ] {
            assert!(!is_valid_region(bad), "{bad}");
        }
    }
}
