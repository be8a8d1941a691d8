//! One test per failure mode: the variant, both error codes, the exact message and the status.

use sigv4::{
    canonicalize, derive_signing_key, parse_amz_date, signature, CanonicalOptions, Credential,
    CredentialScope, RequestParts, ScopeProblems, SigV4Error, Verifier,
};
use std::time::{Duration, SystemTime};

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const DATE: &str = "20150830T123600Z";

/// A request under construction.
#[derive(Clone)]
struct Req {
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Req {
    fn post() -> Req {
        Req {
            method: "POST",
            path: "/".into(),
            query: String::new(),
            headers: vec![
                ("Host".into(), b"example.amazonaws.com".to_vec()),
                ("X-Amz-Date".into(), DATE.as_bytes().to_vec()),
            ],
            body: b"{}".to_vec(),
        }
    }

    fn header(mut self, name: &str, value: &str) -> Req {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.as_bytes().to_vec()));
        self
    }

    fn without(mut self, name: &str) -> Req {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    fn with<T>(&self, f: impl FnOnce(&RequestParts) -> T) -> T {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        f(&RequestParts {
            method: self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
    }

    fn scope(credential: &str) -> CredentialScope {
        let parts: Vec<&str> = credential.split('/').collect();
        CredentialScope {
            date: parts[1].into(),
            region: parts[2].into(),
            service: parts[3].into(),
        }
    }

    /// Signs in header form with `secret`, over `signed` headers.
    fn signed_with(self, credential: &str, signed: &str, secret: &str) -> Req {
        let placeholder = format!(
            "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed}, Signature=00"
        );
        let unsigned = self.header("Authorization", &placeholder);
        let sts = unsigned
            .with(|p| canonicalize(p, CanonicalOptions::default()))
            .expect("canonicalize")
            .string_to_sign;
        let sig = signature(&derive_signing_key(secret, &Req::scope(credential)), &sts);
        let auth = placeholder.replace("Signature=00", &format!("Signature={sig}"));
        unsigned.header("Authorization", &auth)
    }

    fn signed(self) -> Req {
        self.signed_with(
            &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
            "host;x-amz-date",
            SECRET,
        )
    }

    /// Signs in presigned-query form (`extra` query parameters are signed too).
    fn presigned(mut self, extra: &str) -> Req {
        self = self.without("X-Amz-Date");
        let credential = format!("{KEY}%2F20150830%2Fus-east-1%2Fivs%2Faws4_request");
        self.query = format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential}&X-Amz-Date={DATE}&X-Amz-SignedHeaders=host{extra}&X-Amz-Signature=00"
        );
        let sts = self
            .with(|p| canonicalize(p, CanonicalOptions::default()))
            .expect("canonicalize")
            .string_to_sign;
        let scope = Req::scope(&format!("{KEY}/20150830/us-east-1/ivs/aws4_request"));
        let sig = signature(&derive_signing_key(SECRET, &scope), &sts);
        self.query = self
            .query
            .replace("X-Amz-Signature=00", &format!("X-Amz-Signature={sig}"));
        self
    }
}

fn long_term(id: &str) -> Option<Credential> {
    (id == KEY).then(|| Credential {
        secret_access_key: SECRET.into(),
        session_token: None,
        expires_at: None,
    })
}

fn at(date: &str) -> SystemTime {
    parse_amz_date(date).expect("date")
}

fn verify_at(req: &Req, now: SystemTime) -> Result<sigv4::Verified, SigV4Error> {
    req.with(|p| Verifier::default().verify(p, &long_term, now))
}

fn verify(req: &Req) -> Result<sigv4::Verified, SigV4Error> {
    verify_at(req, at(DATE))
}

/// Asserts the error's codes (restJson, query), message and status.
fn assert_error(err: &SigV4Error, json: &str, xml: &str, message: &str, status: u16) {
    assert_eq!(err.code(false), json, "{err:?}");
    assert_eq!(err.code(true), xml, "{err:?}");
    assert_eq!(err.message(), message, "{err:?}");
    assert_eq!(err.status(), status, "{err:?}");
}

#[test]
fn well_signed_requests_verify() {
    let v = verify(&Req::post().signed()).expect("header form");
    assert_eq!(v.access_key_id, KEY);
    assert_eq!(v.scope.service, "ivs");
    assert_eq!(v.signed_headers, vec!["host", "x-amz-date"]);
    assert!(!v.presigned);
    let v = verify(&Req::post().presigned("")).expect("query form");
    assert!(v.presigned);
    // The `Date` header stands in for X-Amz-Date.
    let dated = Req::post()
        .without("X-Amz-Date")
        .header("Date", "Sun, 30 Aug 2015 12:36:00 GMT")
        .signed_with(
            &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
            "date;host",
            SECRET,
        );
    assert_eq!(verify(&dated).expect("Date header").request_time, at(DATE));
    // So does a `Date` header in the ISO 8601 basic form, as AWS documents the request date
    // ("X-Amz-Date or the standard HTTP Date header … YYYYMMDD'T'HHMMSS'Z'").
    let basic = Req::post()
        .without("X-Amz-Date")
        .header("Date", DATE)
        .signed_with(
            &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
            "date;host",
            SECRET,
        );
    assert_eq!(verify(&basic).expect("basic Date").request_time, at(DATE));
}

/// Signs `req` over `signed` headers as a client that sends `UNSIGNED-PAYLOAD`.
fn signed_unsigned_payload(req: Req) -> Req {
    let credential = format!("{KEY}/20150830/us-east-1/ivs/aws4_request");
    let placeholder = format!(
        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00"
    );
    let req = req
        .header("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
        .header("Authorization", &placeholder);
    let options = CanonicalOptions {
        allow_unsigned_payload: true,
        ..CanonicalOptions::default()
    };
    let sts = req
        .with(|p| canonicalize(p, options))
        .expect("canonicalize")
        .string_to_sign;
    let sig = signature(&derive_signing_key(SECRET, &Req::scope(&credential)), &sts);
    req.header(
        "Authorization",
        &placeholder.replace("Signature=00", &format!("Signature={sig}")),
    )
}

#[test]
fn unsigned_payload_only_where_the_operation_allows_it() {
    let unsigned = signed_unsigned_payload(Req::post());
    let mut changed_body = unsigned.clone();
    changed_body.body = b"anything".to_vec();
    // By default the body is always covered: UNSIGNED-PAYLOAD is refused as AWS refuses a
    // signature computed over another payload hash.
    let err = verify(&changed_body).unwrap_err();
    assert!(
        matches!(err, SigV4Error::ContentSha256Mismatch(Some(_))),
        "{err:?}"
    );
    assert_eq!(
        (err.code(false), err.code(true), err.status()),
        ("InvalidSignatureException", "SignatureDoesNotMatch", 403)
    );
    // AWS's message shows what it computed: the canonical request (over the body received)
    // and the string to sign.
    let message = err.message();
    let (sentence, computed) = message.split_once("\n\n").unwrap();
    assert_eq!(sentence, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    let body_hash = "ee0874170b7f6f32b8c2ac9573c428d35b575270a66b757c2c0185d2bd09718d";
    assert!(
        computed.starts_with("The Canonical String for this request should have been\n'POST\n/")
            && computed.contains(&format!("\n{body_hash}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/ivs/aws4_request\n"))
            && computed.ends_with("'\n"),
        "{computed}"
    );
    // Where the operation's model allows it, the body is left out of the signature.
    let allowed = sigv4::VerifyOptions {
        allow_unsigned_payload: true,
        ..Default::default()
    };
    changed_body
        .with(|p| Verifier::default().verify_with(p, &long_term, at(DATE), allowed))
        .expect("unsigned payload allowed");
}

#[test]
fn the_content_sha256_header_never_stands_in_for_the_body() {
    // A client signs a body and sends its hash in x-amz-content-sha256, as SDKs do.
    let original = b"Action=ListUsers&Version=2010-05-08".to_vec();
    let hash = hex_sha256(&original);
    let mut req = Req::post().header("X-Amz-Content-Sha256", &hash);
    req.body = original;
    for signed_headers in ["host;x-amz-date", "host;x-amz-content-sha256;x-amz-date"] {
        let signed = req.clone().signed_with(
            &format!("{KEY}/20150830/us-east-1/iam/aws4_request"),
            signed_headers,
            SECRET,
        );
        verify(&signed).expect("the genuine request verifies");
        // The replay: same headers and signature, another body.
        let mut replayed = signed.clone();
        replayed.body = b"Action=CreateUser&UserName=mallory&Version=2010-05-08".to_vec();
        assert!(
            matches!(
                verify(&replayed).unwrap_err(),
                SigV4Error::ContentSha256Mismatch(_)
            ),
            "{signed_headers}"
        );
        // Without the header, the body's own hash is used and the signature breaks.
        let bare = replayed.without("X-Amz-Content-Sha256");
        assert!(matches!(
            verify(&bare).unwrap_err(),
            SigV4Error::SignatureMismatch(_)
        ));
    }
    // A header that matches the body in another letter case is the same hash.
    let upper = Req::post()
        .header(
            "X-Amz-Content-Sha256",
            &hex_sha256(b"{}").to_ascii_uppercase(),
        )
        .signed();
    verify(&upper).expect("hex compares case-insensitively");
}

#[test]
fn checks_before_the_body_need_no_body() {
    let verifier = Verifier::default();
    let signed = Req::post().signed();
    let mut headers_only = signed.clone();
    headers_only.body = Vec::new();
    headers_only
        .with(|p| verifier.check_before_body(p, &long_term, at(DATE), None))
        .expect("a known key in the window passes");
    let unknown = Req::post().signed_with(
        "NOSUCHKEY/20150830/us-east-1/ivs/aws4_request",
        "host;x-amz-date",
        SECRET,
    );
    let stale = at(DATE) + Duration::from_secs(3600);
    let missing = Req::post();
    for (req, now, expected) in [
        (&unknown, at(DATE), "UnrecognizedClientException"),
        (&signed, stale, "InvalidSignatureException"),
        (&missing, at(DATE), "MissingAuthenticationTokenException"),
    ] {
        let err = req
            .with(|p| verifier.check_before_body(p, &long_term, now, None))
            .unwrap_err();
        assert_eq!(err.code(false), expected, "{err:?}");
    }
}

/// What the check before the body parsed, handed to the verification after it, decides as
/// the full verification does: the same success, and the same refusals for a body that is
/// not the signed one, a window that closed while the body arrived, a key gone meanwhile.
#[test]
fn verification_after_the_body_check_decides_as_the_full_one() {
    use sigv4::VerifyOptions;
    let verifier = Verifier::default();
    let signed = Req::post().signed();
    let mut tampered = signed.clone();
    tampered.body = b"{\"a\":1}".to_vec();
    let checked = |req: &Req| {
        let mut headers_only = req.clone();
        headers_only.body = Vec::new();
        headers_only
            .with(|p| verifier.check_before_body(p, &long_term, at(DATE), None))
            .expect("passes before the body")
    };
    let after = |req: &Req, keys: &dyn sigv4::CredentialLookup, now: SystemTime| {
        let c = checked(req);
        req.with(|p| verifier.verify_checked(p, c, keys, now, VerifyOptions::default()))
    };
    let full = |req: &Req, keys: &dyn sigv4::CredentialLookup, now: SystemTime| {
        req.with(|p| verifier.verify_with(p, keys, now, VerifyOptions::default()))
    };
    let ok = after(&signed, &long_term, at(DATE)).expect("the signed request verifies");
    assert_eq!(ok, full(&signed, &long_term, at(DATE)).unwrap());
    let stale = at(DATE) + Duration::from_secs(3600);
    let gone = |_: &str| None::<Credential>;
    for (req, keys, now) in [
        (
            &tampered,
            &long_term as &dyn sigv4::CredentialLookup,
            at(DATE),
        ),
        (&signed, &long_term, stale),
        (&signed, &gone, at(DATE)),
    ] {
        let err = after(req, keys, now).unwrap_err();
        assert_eq!(err, full(req, keys, now).unwrap_err());
    }
    assert!(matches!(
        after(&tampered, &long_term, at(DATE)).unwrap_err(),
        SigV4Error::SignatureMismatch(_)
    ));
    assert_eq!(
        after(&signed, &gone, at(DATE)).unwrap_err(),
        SigV4Error::UnknownAccessKey
    );
    // The service the caller expects is checked at the end too.
    let c = checked(&signed);
    let wrong = VerifyOptions {
        expected_service: Some("s3"),
        ..VerifyOptions::default()
    };
    let err = signed
        .with(|p| verifier.verify_checked(p, c, &long_term, at(DATE), wrong))
        .unwrap_err();
    assert!(matches!(err, SigV4Error::ScopeMismatch(_)), "{err:?}");
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[test]
fn tampering_breaks_the_signature() {
    let signed = Req::post().signed();
    let mut body = signed.clone();
    body.body = b"{\"a\":1}".to_vec();
    let mut path = signed.clone();
    path.path = "/other".into();
    let host = signed.clone().header("Host", "evil.example.com");
    for req in [body, path, host] {
        assert!(matches!(
            verify(&req).unwrap_err(),
            SigV4Error::SignatureMismatch(_)
        ));
    }
}

#[test]
fn missing_authentication() {
    let err = verify(&Req::post()).unwrap_err();
    assert_eq!(err, SigV4Error::MissingAuthentication);
    assert_error(
        &err,
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
        "Missing Authentication Token",
        403,
    );
    assert_eq!(
        err.message_for(true),
        "Request is missing Authentication Token"
    );
    let bearer = Req::post().header("Authorization", "Bearer abc");
    assert_eq!(
        verify(&bearer).unwrap_err(),
        SigV4Error::MissingAuthentication
    );
}

#[test]
fn header_and_query_together() {
    let mut req = Req::post().signed();
    req.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256".into();
    assert_error(
        &verify(&req).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
        400,
    );
}

#[test]
fn malformed_pair() {
    let header = "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature";
    let err = verify(&Req::post().header("Authorization", header)).unwrap_err();
    assert_error(
        &err,
        "IncompleteSignatureException",
        "IncompleteSignature",
        "'Signature' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature'.",
        400,
    );
}

#[test]
fn missing_header_components() {
    let req = Req::post()
        .without("X-Amz-Date")
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=x");
    assert_error(
        &verify(&req).unwrap_err(),
        "IncompleteSignatureException",
        "IncompleteSignature",
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=x",
        400,
    );
    let only_algorithm = Req::post().header("Authorization", "AWS4-HMAC-SHA256");
    assert_eq!(
        verify(&only_algorithm).unwrap_err().message(),
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256"
    );
}

#[test]
fn missing_query_parameters() {
    let mut req = Req::post();
    req.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z".into();
    assert_error(
        &verify(&req).unwrap_err(),
        "IncompleteSignatureException",
        "IncompleteSignature",
        "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
        400,
    );
}

#[test]
fn malformed_date() {
    let req = Req::post().header("X-Amz-Date", "2015-08-30").header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
    );
    assert_error(
        &verify(&req).unwrap_err(),
        "IncompleteSignatureException",
        "IncompleteSignature",
        "Date must be in ISO-8601 'basic format'. Got '2015-08-30'. See http://en.wikipedia.org/wiki/ISO_8601",
        400,
    );
}

#[test]
fn invalid_expires() {
    for (value, message) in [
        (
            "604801",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ),
        ("0", "X-Amz-Expires must be non-negative"),
        ("-5", "X-Amz-Expires must be non-negative"),
        ("soon", "X-Amz-Expires should be a number"),
    ] {
        let req = Req::post().presigned(&format!("&X-Amz-Expires={value}"));
        assert_error(
            &verify(&req).unwrap_err(),
            "IncompleteSignatureException",
            "IncompleteSignature",
            message,
            400,
        );
    }
    let week = Req::post().presigned("&X-Amz-Expires=604800");
    verify_at(&week, at("20150830T125000Z")).expect("a week is a valid value");
}

#[test]
fn signature_expired() {
    let req = Req::post().signed();
    assert_error(
        &verify_at(&req, at("20150830T124600Z")).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)",
        403,
    );
    verify_at(&req, at("20150830T124100Z")).expect("the window's edge is inside");
    // A presigned request without X-Amz-Expires gets the same window.
    let presigned = Req::post().presigned("");
    assert!(matches!(
        verify_at(&presigned, at("20150830T124600Z")),
        Err(SigV4Error::SignatureExpired { .. })
    ));
}

#[test]
fn a_service_may_have_its_own_window() {
    // Signed for ivs at 12:36, checked at 12:46.
    let req = Req::post().signed();
    let minutes = |m: u64| std::time::Duration::from_secs(m * 60);
    let at_ten = at("20150830T124600Z");
    let wide = Verifier::new(minutes(5)).with_service_window("ivs", minutes(15));
    assert!(req.with(|p| wide.verify(p, &long_term, at_ten)).is_ok());
    let other = Verifier::new(minutes(5)).with_service_window("sts", minutes(15));
    assert!(matches!(
        req.with(|p| other.verify(p, &long_term, at_ten)),
        Err(SigV4Error::SignatureExpired {
            window_minutes: 5,
            ..
        })
    ));
}

#[test]
fn signature_not_yet_current() {
    let req = Req::post()
        .header("X-Amz-Date", "20150830T125600Z")
        .signed_with(
            &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
            "host;x-amz-date",
            SECRET,
        );
    assert_error(
        &verify_at(&req, at("20150830T124600Z")).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "Signature not yet current: 20150830T125600Z is still later than 20150830T125100Z (20150830T124600Z + 5 min.)",
        403,
    );
}

#[test]
fn presigned_expired() {
    // Whatever X-Amz-Expires says, 15 minutes from X-Amz-Date (services other than S3).
    let req = Req::post().presigned("&X-Amz-Expires=60");
    verify_at(&req, at("20150830T124000Z")).expect("past its X-Amz-Expires, within 15 min");
    verify_at(&req, at("20150830T125100Z")).expect("15 minutes is the edge");
    let week = Req::post().presigned("&X-Amz-Expires=604800");
    assert!(matches!(
        verify_at(&week, at("20150830T125101Z")),
        Err(SigV4Error::PresignedExpired)
    ));
    assert_error(
        &verify_at(&req, at("20150830T125101Z")).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "Request has expired",
        403,
    );
}

#[test]
fn host_not_signed() {
    let req = Req::post().signed_with(
        &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
        "x-amz-date",
        SECRET,
    );
    assert_error(
        &verify(&req).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        403,
    );
}

#[test]
fn unsupported_algorithm() {
    let req = Req::post().header(
        "Authorization",
        "AWS4-HMAC-SHA512 Credential=AKIDEXAMPLE/20150830/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
    );
    assert_error(
        &verify(&req).unwrap_err(),
        "IncompleteSignatureException",
        "IncompleteSignature",
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
        400,
    );
}

#[test]
fn malformed_credential() {
    let req = Req::post().header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ivs, SignedHeaders=host;x-amz-date, Signature=00",
    );
    assert_error(
        &verify(&req).unwrap_err(),
        "IncompleteSignatureException",
        "IncompleteSignature",
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/ivs'",
        400,
    );
}

#[test]
fn scope_mismatch() {
    let sign = |credential: &str| Req::post().signed_with(credential, "host;x-amz-date", SECRET);
    let region = sign("AKIDEXAMPLE/20150830/nowhere/ivs/aws4_request");
    assert_error(
        &verify(&region).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "Credential should be scoped to a valid region, not 'nowhere'. ",
        403,
    );
    let terminator = sign("AKIDEXAMPLE/20150830/us-east-1/ivs/xyz");
    assert_eq!(
        verify(&terminator).unwrap_err().message(),
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'xyz'. "
    );
    let date = sign("AKIDEXAMPLE/20150831/us-east-1/ivs/aws4_request");
    assert_eq!(
        verify(&date).unwrap_err().message(),
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'."
    );
    let all = sign("AKIDEXAMPLE/20150831/x/ivs/term");
    let err = verify(&all).unwrap_err();
    assert_eq!(
        err,
        SigV4Error::ScopeMismatch(Box::new(ScopeProblems {
            invalid_region: Some("x".into()),
            expected_service: None,
            invalid_terminator: Some("term".into()),
            date_mismatch: Some(("20150831".into(), "20150830".into(), DATE.into())),
        }))
    );
    assert_eq!(
        err.message(),
        "Credential should be scoped to a valid region, not 'x'. Credential should be scoped with a valid terminator: 'aws4_request', not 'term'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from '20150830T123600Z'."
    );
    let service = Req::post().signed();
    let err = service
        .with(|p| Verifier::default().verify_for_service(p, &long_term, at(DATE), Some("iam")))
        .unwrap_err();
    assert_eq!(
        err.message(),
        "Credential should be scoped to correct service: 'iam'. "
    );
    service
        .with(|p| Verifier::default().verify_for_service(p, &long_term, at(DATE), Some("ivs")))
        .expect("right service");
}

#[test]
fn unknown_access_key() {
    let req = Req::post().signed_with(
        "AKIDUNKNOWN/20150830/us-east-1/ivs/aws4_request",
        "host;x-amz-date",
        SECRET,
    );
    assert_error(
        &verify(&req).unwrap_err(),
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
        403,
    );
}

#[test]
fn signature_mismatch() {
    let req = Req::post().signed_with(
        &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
        "host;x-amz-date",
        "wrong-secret",
    );
    // The whole message, as AWS writes it.
    assert_error(
        &verify(&req).unwrap_err(),
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/ivs/aws4_request\n2231ab5bac260cebec8c52704626afae57228d8c5616bb24db35a30b98d35935'\n",
        403,
    );
    let garbage = Req::post().signed().header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz",
    );
    assert!(matches!(
        verify(&garbage).unwrap_err(),
        SigV4Error::SignatureMismatch(_)
    ));
}

fn session(expires_at: Option<SystemTime>) -> impl Fn(&str) -> Option<Credential> {
    move |id: &str| {
        (id == KEY).then(|| Credential {
            secret_access_key: SECRET.into(),
            session_token: Some("tok".into()),
            expires_at,
        })
    }
}

#[test]
fn invalid_security_token() {
    let lookup = session(None);
    let with_token = |token: &str| {
        Req::post()
            .header("X-Amz-Security-Token", token)
            .signed_with(
                &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
                "host;x-amz-date;x-amz-security-token",
                SECRET,
            )
    };
    let check = |req: &Req, lookup: &dyn sigv4::CredentialLookup| {
        req.with(|p| Verifier::default().verify(p, lookup, at(DATE)))
    };
    check(&with_token("tok"), &lookup).expect("right token");
    let err = check(&with_token("other"), &lookup).unwrap_err();
    assert_error(
        &err,
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
        403,
    );
    assert_eq!(
        check(&Req::post().signed(), &lookup).unwrap_err(),
        SigV4Error::InvalidSecurityToken
    );
    // A long-term key presenting a token is refused too.
    assert_eq!(
        check(&with_token("tok"), &long_term).unwrap_err(),
        SigV4Error::InvalidSecurityToken
    );
    // Presigned: the token travels in the query.
    let presigned = Req::post().presigned("&X-Amz-Security-Token=tok");
    check(&presigned, &lookup).expect("presigned token");
}

#[test]
fn expired_token() {
    let req = Req::post()
        .header("X-Amz-Security-Token", "tok")
        .signed_with(
            &format!("{KEY}/20150830/us-east-1/ivs/aws4_request"),
            "host;x-amz-date;x-amz-security-token",
            SECRET,
        );
    let now = at(DATE);
    let expired = session(Some(now));
    let err = req
        .with(|p| Verifier::default().verify(p, &expired, now))
        .unwrap_err();
    assert_error(
        &err,
        "ExpiredTokenException",
        "ExpiredToken",
        "The security token included in the request is expired",
        403,
    );
    let valid = session(Some(now + Duration::from_secs(1)));
    req.with(|p| Verifier::default().verify(p, &valid, now))
        .expect("still valid");
}

#[test]
fn signing_keys_are_cached_per_scope() {
    let verifier = Verifier::default();
    let req = Req::post().signed();
    for _ in 0..3 {
        req.with(|p| verifier.verify(p, &long_term, at(DATE)))
            .expect("verifies");
    }
    assert_eq!(verifier.signing_keys().len(), 1);
}

#[test]
fn peek_scope_reads_either_form() {
    let scope = Req::post()
        .signed()
        .with(sigv4::peek_scope)
        .expect("header");
    assert_eq!(
        (scope.region.as_str(), scope.service.as_str()),
        ("us-east-1", "ivs")
    );
    let scope = Req::post()
        .presigned("")
        .with(sigv4::peek_scope)
        .expect("query");
    assert_eq!(scope.date, "20150830");
    assert_eq!(Req::post().with(sigv4::peek_scope), None);
}
