//! What a signature covers, end to end (issue 15, item 2): the body always, whatever the
//! `x-amz-content-sha256` header says; `UNSIGNED-PAYLOAD` only where a model allows it (none
//! of ours); a presigned query-protocol GET runs the action it was signed for. And (item 9)
//! a request that cannot authenticate is refused before its body is read.

use crate::common;

use aws_credential_types::Credentials;
use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use common::{TestServer, REGION, ROOT_KEY, ROOT_SECRET};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const LIST_USERS: &[u8] = b"Action=ListUsers&Version=2010-05-08";
const CREATE_USER: &[u8] = b"Action=CreateUser&UserName=mallory&Version=2010-05-08";
const FORM: &str = "application/x-www-form-urlencoded";

fn sha256_hex(bytes: &[u8]) -> String {
    use ring::digest::{digest, SHA256};
    digest(&SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs `method url` over `headers` with the payload hash `body` gives; returns the
/// signature's headers (header form) or query parameters (presigned form).
fn signature(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: SignableBody<'_>,
    service: &str,
    presigned: bool,
) -> Vec<(String, String)> {
    let expires = presigned.then_some(Duration::from_secs(300));
    signature_at(
        method,
        url,
        headers,
        body,
        service,
        expires,
        SystemTime::now(),
    )
}

/// [`signature`] at `when`; presigned (for `expires`) when `expires` is given.
fn signature_at(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: SignableBody<'_>,
    service: &str,
    expires: Option<Duration>,
    when: SystemTime,
) -> Vec<(String, String)> {
    let presigned = expires.is_some();
    let identity = Credentials::new(ROOT_KEY, ROOT_SECRET, None, None, "test").into();
    let mut settings = SigningSettings::default();
    if presigned {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = expires;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name(service)
        .time(when)
        .settings(settings)
        .build()
        .expect("signing params")
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        body,
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let (hdrs, query) = instructions.into_parts();
    if presigned {
        query
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    } else {
        hdrs.into_iter()
            .map(|h| (h.name().to_string(), h.value().to_string()))
            .collect()
    }
}

fn host(server: &TestServer) -> String {
    server.endpoint.trim_start_matches("http://").to_string()
}

/// A raw request: `signed` headers (host included) then `unsigned` ones, then `body`.
fn raw_request(method: &str, target: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut text = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

async fn user_exists(server: &TestServer, name: &str) -> bool {
    match server
        .iam_root()
        .await
        .get_user()
        .user_name(name)
        .send()
        .await
    {
        Ok(_) => true,
        Err(e) if e.code() == Some("NoSuchEntity") => false,
        Err(e) => panic!("GetUser failed: {e:?}"),
    }
}

#[tokio::test]
async fn a_signed_request_replayed_with_another_body_is_refused() {
    let server = TestServer::start().await;
    let url = format!("{}/", server.endpoint);
    let original_hash = sha256_hex(LIST_USERS);
    // A client that sends x-amz-content-sha256, once signed and once not.
    for header_signed in [true, false] {
        let mut headers = vec![
            ("host".to_string(), host(&server)),
            ("content-type".to_string(), FORM.to_string()),
        ];
        let content_sha = ("x-amz-content-sha256".to_string(), original_hash.clone());
        if header_signed {
            headers.push(content_sha.clone());
        }
        let sig = signature(
            "POST",
            &url,
            &headers,
            SignableBody::Bytes(LIST_USERS),
            "iam",
            false,
        );
        let mut all = headers.clone();
        all.extend(sig);
        if !header_signed {
            all.push(content_sha.clone());
        }
        // The genuine request is served.
        let r = server
            .raw(&raw_request("POST", "/", &all, LIST_USERS))
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        // The capture replayed with a CreateUser body and the original body's hash.
        let r = server
            .raw(&raw_request("POST", "/", &all, CREATE_USER))
            .await;
        assert_eq!(r.status, 403, "{}", r.text());
        assert!(
            r.text().contains("<Code>SignatureDoesNotMatch</Code>"),
            "{}",
            r.text()
        );
        assert!(!user_exists(&server, "mallory").await);
    }
}

#[tokio::test]
async fn unsigned_payload_is_refused_where_the_model_does_not_allow_it() {
    let server = TestServer::start().await;
    let url = format!("{}/ListChannels", server.endpoint);
    let headers = vec![
        ("host".to_string(), host(&server)),
        ("content-type".to_string(), "application/json".to_string()),
        (
            "x-amz-content-sha256".to_string(),
            "UNSIGNED-PAYLOAD".to_string(),
        ),
    ];
    let sig = signature(
        "POST",
        &url,
        &headers,
        SignableBody::UnsignedPayload,
        "ivs",
        false,
    );
    let mut all = headers.clone();
    all.extend(sig);
    let r = server
        .raw(&raw_request("POST", "/ListChannels", &all, b"{}"))
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("InvalidSignatureException")
    );
    // The same request signed over its body is served.
    let r = server
        .signed(
            "POST",
            "/ListChannels",
            &[("content-type", "application/json")],
            b"{}",
            "ivs",
            ROOT_KEY,
            ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}

#[tokio::test]
async fn a_presigned_sts_url_lasts_fifteen_minutes_whatever_its_expiry() {
    // As EKS's aws-iam-authenticator signs its tokens: X-Amz-Expires=60 and a signed
    // x-k8s-aws-id header, then reused for up to 14 minutes; STS ignores the parameter.
    let server = TestServer::start().await;
    let query = "Action=GetCallerIdentity&Version=2011-06-15";
    let url = format!("{}/?{query}", server.endpoint);
    let headers = vec![
        ("host".to_string(), host(&server)),
        ("x-k8s-aws-id".to_string(), "my-cluster".to_string()),
    ];
    let get = |minutes_ago: u64| {
        let when = SystemTime::now() - Duration::from_secs(minutes_ago * 60);
        let params = signature_at(
            "GET",
            &url,
            &headers,
            SignableBody::Bytes(b""),
            "sts",
            Some(Duration::from_secs(60)),
            when,
        );
        let mut target = format!("/?{query}");
        for (k, v) in &params {
            target.push_str(&format!("&{k}={}", percent_encode(v)));
        }
        raw_request("GET", &target, &headers, b"")
    };
    let r = server.raw(&get(4)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // The authenticator asks for JSON (an unsigned header) and decodes AWS's JSON answer.
    let mut wants_json = headers.clone();
    wants_json.push(("accept".to_string(), "application/json".to_string()));
    let request = String::from_utf8(get(4)).unwrap();
    let target = request.split(' ').nth(1).unwrap();
    let r = server
        .raw(&raw_request("GET", target, &wants_json, b""))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let answer = &r.json()["GetCallerIdentityResponse"];
    assert_eq!(
        answer["GetCallerIdentityResult"]["Arn"],
        "arn:aws:iam::000000000000:root"
    );
    assert!(answer["ResponseMetadata"]["RequestId"].is_string());
    let r = server.raw(&get(16)).await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("Request has expired"), "{}", r.text());
}

#[tokio::test]
async fn a_presigned_get_runs_only_the_action_it_was_signed_for() {
    let server = TestServer::start().await;
    let query = "Action=GetCallerIdentity&Version=2011-06-15";
    let url = format!("{}/?{query}", server.endpoint);
    let headers = vec![("host".to_string(), host(&server))];
    let params = signature("GET", &url, &headers, SignableBody::Bytes(b""), "sts", true);
    let mut target = format!("/?{query}");
    for (k, v) in &params {
        target.push('&');
        target.push_str(k);
        target.push('=');
        target.push_str(&percent_encode(v));
    }
    let r = server
        .raw(&raw_request("GET", &target, &headers, b""))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("<GetCallerIdentityResult>"),
        "{}",
        r.text()
    );

    // The same URL with a form body asking for the signer's session credentials, with and
    // without a content hash claiming the empty body.
    let body = b"Action=GetSessionToken&Version=2011-06-15";
    for claim in [Some(sha256_hex(b"")), None] {
        let mut with_body = headers.clone();
        with_body.push(("content-type".to_string(), FORM.to_string()));
        if let Some(hash) = &claim {
            with_body.push(("x-amz-content-sha256".to_string(), hash.clone()));
        }
        let r = server
            .raw(&raw_request("GET", &target, &with_body, body))
            .await;
        assert_eq!(r.status, 403, "{claim:?}: {}", r.text());
        assert!(!r.text().contains("SecretAccessKey"), "{}", r.text());
        assert!(
            r.text().contains("<Code>SignatureDoesNotMatch</Code>"),
            "{}",
            r.text()
        );
    }
}

fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Header name and value pairs.
type Headers = Vec<(String, String)>;

/// Sends a request head announcing `length` bytes of body, sends none, and waits up to 10 s
/// for an answer: `(status, head and body text, how long it took)`.
async fn announce_and_stall(
    server: &TestServer,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    length: usize,
) -> (u16, String, Duration) {
    let mut text = format!("{method} {target} HTTP/1.1\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str(&format!("content-length: {length}\r\n\r\n"));
    let started = Instant::now();
    let mut stream = TcpStream::connect(server.running().addr())
        .await
        .expect("connect");
    stream.write_all(text.as_bytes()).await.expect("write head");
    // The connection stays open for writing: the client is still "sending" its body.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            let text = String::from_utf8_lossy(&buf);
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .to_ascii_lowercase()
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length:")
                            .map(str::trim)
                            .map(String::from)
                    })
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    break;
                }
            }
        }
    })
    .await;
    let elapsed = started.elapsed();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text, elapsed)
}

#[tokio::test]
async fn a_request_that_cannot_authenticate_is_refused_before_its_body() {
    let server = TestServer::start().await;
    let big = 8 * 1024 * 1024 - 1;
    let json = ("content-type".to_string(), "application/json".to_string());
    let hostname = ("host".to_string(), host(&server));
    let url = format!("{}/ListChannels", server.endpoint);
    let signed_as = |key: &str, when: SystemTime| {
        let headers = vec![hostname.clone(), json.clone()];
        let identity = Credentials::new(key, ROOT_SECRET, None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name("ivs")
            .time(when)
            .settings(SigningSettings::default())
            .build()
            .expect("params")
            .into();
        let signable = SignableRequest::new(
            "POST",
            &url,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Precomputed(sha256_hex(b"never sent")),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
        let mut all = headers.clone();
        all.extend(
            instructions
                .into_parts()
                .0
                .into_iter()
                .map(|h| (h.name().to_string(), h.value().to_string())),
        );
        all
    };
    let cases: Vec<(&str, Headers, u16, &str)> = vec![
        (
            "no credentials",
            vec![hostname.clone(), json.clone()],
            403,
            "MissingAuthenticationTokenException",
        ),
        (
            "malformed Authorization",
            vec![
                hostname.clone(),
                json.clone(),
                ("authorization".into(), "AWS4-HMAC-SHA256 garbage".into()),
            ],
            400,
            "IncompleteSignatureException",
        ),
        (
            "unknown key",
            signed_as("AKIANOSUCHKEY0000000", SystemTime::now()),
            403,
            "UnrecognizedClientException",
        ),
        (
            "outside the clock window",
            signed_as(ROOT_KEY, SystemTime::now() - Duration::from_secs(3600)),
            403,
            "InvalidSignatureException",
        ),
    ];
    for (what, headers, status, code) in cases {
        let (got, text, elapsed) =
            announce_and_stall(&server, "POST", "/ListChannels", &headers, big).await;
        assert_eq!(got, status, "{what}: {text}");
        assert!(
            text.to_ascii_lowercase()
                .contains(&format!("x-amzn-errortype: {}", code.to_ascii_lowercase())),
            "{what}: {text}"
        );
        assert!(elapsed < Duration::from_secs(5), "{what}: took {elapsed:?}");
    }
    // A presigned form is checked the same way.
    let (got, text, elapsed) = announce_and_stall(
        &server,
        "POST",
        "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIANOSUCHKEY0000000%2F20990101%2Fus-east-1%2Fsts%2Faws4_request",
        &[hostname.clone(), ("content-type".into(), FORM.into())],
        big,
    )
    .await;
    assert_eq!(got, 400, "{text}");
    assert!(text.contains("<Code>IncompleteSignature</Code>"), "{text}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
    // A query-protocol request with no readable credential still gets an XML answer.
    let (got, text, _) = announce_and_stall(
        &server,
        "POST",
        "/",
        &[
            hostname.clone(),
            ("content-type".into(), FORM.into()),
            ("authorization".into(), "AWS4-HMAC-SHA256 garbage".into()),
        ],
        big,
    )
    .await;
    assert_eq!(got, 400, "{text}");
    assert!(text.contains("<Code>IncompleteSignature</Code>"), "{text}");
}

#[tokio::test]
async fn unsigned_federation_requests_still_have_their_body_read() {
    let server = TestServer::start().await;
    // AssumeRoleWithWebIdentity is served unsigned: its body is read and the token judged
    // (an unreadable one here), rather than the request being refused as unauthenticated.
    let body = b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::000000000000:role/r&RoleSessionName=s&WebIdentityToken=not-a-jwt";
    let headers = vec![
        ("host".to_string(), host(&server)),
        ("content-type".to_string(), FORM.to_string()),
    ];
    let r = server.raw(&raw_request("POST", "/", &headers, body)).await;
    assert_ne!(r.status, 0);
    assert!(
        !r.text().contains("MissingAuthenticationToken"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("<ErrorResponse"), "{}", r.text());
}

#[tokio::test]
async fn an_unsigned_body_is_held_to_what_an_unsigned_operation_can_need() {
    let server = TestServer::start().await;
    // 1.5 MiB: more than any AssumeRoleWithSAML/WebIdentity input, less than the server limit.
    let padded = format!(
        "Action=GetCallerIdentity&Version=2011-06-15&Pad={}",
        "a".repeat(1536 * 1024)
    );
    let headers = vec![
        ("host".to_string(), host(&server)),
        ("content-type".to_string(), FORM.to_string()),
    ];
    let r = server
        .raw(&raw_request("POST", "/", &headers, padded.as_bytes()))
        .await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("1048576 bytes"), "{}", r.text());
    // Signed, the same body is within the server's limit.
    let r = server
        .signed(
            "POST",
            "/",
            &[("content-type", FORM)],
            padded.as_bytes(),
            "sts",
            ROOT_KEY,
            ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
}
