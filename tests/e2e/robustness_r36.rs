//! Hostile input on the request path, end to end over raw TCP (round 36's sweep): HTTP
//! framing a client gets wrong (a body shorter than its length, a broken chunked body, a body
//! over the limit, both Content-Length and Transfer-Encoding, pipelined requests) answered in
//! the wire format of the service the request is for, with the connection's fate said, never
//! dropped or mixed up; and a request carrying two `Authorization` lines refused, not half
//! verified.

use crate::common;

use common::{RawResponse, TestServer};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// A request to `service` signed as the account root: its head (headers signed over `body`,
/// then `extra` unsigned header lines) and the body, kept apart so a test can frame it.
fn signed_parts(
    server: &TestServer,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
    service: &str,
    extra: &str,
) -> (String, Vec<u8>) {
    let host = server.endpoint.trim_start_matches("http://").to_string();
    let headers = vec![
        ("host".to_string(), host.clone()),
        ("content-type".to_string(), content_type.to_string()),
    ];
    let signed = common::sign(
        method,
        &format!("http://{host}{path}"),
        &headers,
        body,
        service,
        common::ROOT_KEY,
        common::ROOT_SECRET,
        SystemTime::now(),
    );
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers.iter().chain(signed.iter()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(extra);
    (head, body.to_vec())
}

fn iam_list_users(server: &TestServer, extra: &str) -> (String, Vec<u8>) {
    signed_parts(
        server,
        "POST",
        "/",
        FORM,
        b"Action=ListUsers&Version=2010-05-08",
        "iam",
        extra,
    )
}

/// The `<Code>` of an XML error body.
fn xml_code(r: &RawResponse) -> String {
    let text = r.text();
    let code = text
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map(|(code, _)| code.to_string());
    code.unwrap_or_else(|| panic!("not an XML error: {} {:?} {text}", r.status, r.headers))
}

/// Found by this sweep: a signed IAM or STS request whose body could not be read (shorter than
/// its Content-Length, a broken chunk, over the size limit) was answered with a JSON body,
/// which the query-protocol SDKs cannot parse. Now the XML `ErrorResponse` those services
/// answer with, as every other refusal of such a request is.
#[tokio::test]
async fn a_query_request_whose_body_cannot_be_read_gets_an_xml_error() {
    let mut config = server::Config::for_tests();
    config.max_body_bytes = 4096;
    let server = TestServer::start_with(config).await;

    // Announces 100 bytes, sends 35, then closes its side.
    let (head, body) = iam_list_users(&server, "content-length: 100\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    let r = server.raw(&bytes).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("text/xml"),
        "{:?}",
        r.headers
    );
    assert_eq!(xml_code(&r), "BadRequest");
    assert!(r.text().contains("<ErrorResponse"), "{}", r.text());

    // A chunked body with a chunk size that is not hex.
    let (head, body) = iam_list_users(&server, "transfer-encoding: chunked\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(b"zz\r\n");
    bytes.extend_from_slice(&body);
    bytes.extend_from_slice(b"\r\n0\r\n\r\n");
    let r = server.raw(&bytes).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(xml_code(&r), "BadRequest");

    // STS: a body over the server's limit.
    let big = format!(
        "Action=GetCallerIdentity&Version=2011-06-15&Pad={}",
        "a".repeat(8192)
    );
    let (head, body) = signed_parts(&server, "POST", "/", FORM, big.as_bytes(), "sts", "");
    let mut bytes = format!("{head}content-length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(&body);
    let r = server.raw(&bytes).await;
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(xml_code(&r), "RequestEntityTooLargeException");
    assert!(
        r.text()
            .contains("xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\""),
        "{}",
        r.text()
    );

    // A restJson service keeps its JSON error.
    let (head, body) = signed_parts(
        &server,
        "POST",
        "/ListChannels",
        "application/json",
        b"{}",
        "ivs",
        "content-length: 100\r\n\r\n",
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    let r = server.raw(&bytes).await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.json()["message"].is_string(), "{}", r.text());

    // The server is fine.
    let sts = aws_sdk_sts::Client::new(&server.root_config().await);
    sts.get_caller_identity()
        .send()
        .await
        .expect("still serving");
}

/// Reads one response (sized by content-length) off `stream`, given what was already read
/// past the previous one; returns its status and body, and the bytes after it.
async fn next_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(u16, Vec<u8>)> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head.split_whitespace().nth(1)?.parse().ok()?;
                let body = buf[end + 4..end + 4 + length].to_vec();
                buf.drain(..end + 4 + length);
                return Some((status, body));
            }
        }
        let mut chunk = [0u8; 8192];
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Requests written back to back on one connection before any answer is read (HTTP/1.1
/// pipelining) are each answered, in order, in their own service's format.
#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let server = TestServer::start().await;
    let mut all = Vec::new();
    for name in ["pipe-a", "pipe-b", "pipe-c"] {
        let body = format!("{{\"name\":\"{name}\"}}");
        let (head, body) = signed_parts(
            &server,
            "POST",
            "/CreateChannel",
            "application/json",
            body.as_bytes(),
            "ivs",
            "",
        );
        all.extend(format!("{head}content-length: {}\r\n\r\n", body.len()).into_bytes());
        all.extend(body);
    }
    let (head, body) = iam_list_users(&server, "");
    all.extend(format!("{head}content-length: {}\r\n\r\n", body.len()).into_bytes());
    all.extend(body);
    let mut stream = TcpStream::connect(server.running().addr()).await.unwrap();
    stream.write_all(&all).await.unwrap();
    let mut buf = Vec::new();
    for name in ["pipe-a", "pipe-b", "pipe-c"] {
        let (status, body) = next_response(&mut stream, &mut buf).await.expect("answer");
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["channel"]["name"], name);
    }
    let (status, body) = next_response(&mut stream, &mut buf).await.expect("answer");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).starts_with("<ListUsersResponse"));
}

/// A request with both Content-Length and Transfer-Encoding (a request-smuggling shape) is
/// read by its chunked framing only, and the connection is closed after the answer
/// (RFC 9112 §6.3), so bytes after it are never taken for another request.
#[tokio::test]
async fn content_length_with_chunked_closes_the_connection_after_the_answer() {
    let server = TestServer::start().await;
    let body = br#"{"name":"smuggle"}"#;
    let (head, _) = signed_parts(
        &server,
        "POST",
        "/CreateChannel",
        "application/json",
        body,
        "ivs",
        "content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n",
    );
    let mut bytes = head.into_bytes();
    bytes.extend(format!("{:x}\r\n", body.len()).into_bytes());
    bytes.extend_from_slice(body);
    bytes.extend_from_slice(b"\r\n0\r\n\r\n");
    // What a front end trusting Content-Length would see as a second request.
    bytes.extend_from_slice(b"GET /_mediamock/health HTTP/1.1\r\nhost: x\r\n\r\n");
    let mut stream = TcpStream::connect(server.running().addr()).await.unwrap();
    stream.write_all(&bytes).await.unwrap();
    let mut buf = Vec::new();
    let (status, answer) = next_response(&mut stream, &mut buf).await.expect("answer");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    assert!(
        next_response(&mut stream, &mut buf).await.is_none(),
        "the trailing bytes were served as a request"
    );
}

/// Found by this sweep: with two `Authorization` header lines the server verified the first
/// and ignored the second, so a request carried a signature nobody checked. The lines are now
/// read as one comma-joined value (RFC 9110 §5.3), which AWS refuses: a value holding a second
/// signature gets "'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in
/// Authorization header" (AWS's answer to such a value, envoyproxy/envoy#23702).
#[tokio::test]
async fn a_second_authorization_header_is_refused_not_ignored() {
    let server = TestServer::start().await;
    let (head, body) = signed_parts(
        &server,
        "POST",
        "/ListChannels",
        "application/json",
        b"{}",
        "ivs",
        "",
    );
    let valid = head
        .lines()
        .find_map(|l| l.strip_prefix("authorization: "))
        .expect("signed")
        .to_string();
    // The valid request alone is served.
    let request = |extra: &str| {
        let mut bytes = format!(
            "{head}{extra}content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        bytes.extend_from_slice(&body);
        bytes
    };
    assert_eq!(server.raw(&request("")).await.status, 200);
    let second = "AWS4-HMAC-SHA256 Credential=test/20200101/us-west-2/ivs/aws4_request, SignedHeaders=host, Signature=00";
    let r = server
        .raw(&request(&format!("authorization: {second}\r\n")))
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("IncompleteSignatureException")
    );
    assert_eq!(
        r.json()["message"],
        format!(
            "'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in Authorization header: '{valid},{second}'."
        )
    );
}

/// Found by this sweep: a body over the limit (or one that could not be read) was answered
/// and the connection closed under the client without a word, so a client reusing it (boto3
/// writes headers and body apart and pools connections) failed its next request with a
/// broken pipe. The answer now says `connection: close` (RFC 9112 §9.6), as a refusal before
/// the body already does.
#[tokio::test]
async fn a_body_that_cannot_be_read_says_the_connection_closes() {
    let mut config = server::Config::for_tests();
    config.max_body_bytes = 4096;
    let server = TestServer::start_with(config).await;
    let big = format!(
        "Action=ListUsers&Version=2010-05-08&Pad={}",
        "a".repeat(64 * 1024)
    );
    let (head, body) = signed_parts(&server, "POST", "/", FORM, big.as_bytes(), "iam", "");
    let mut bytes = format!("{head}content-length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(&body);
    let mut stream = TcpStream::connect(server.running().addr()).await.unwrap();
    let _ = stream.write_all(&bytes).await;
    let mut buf = Vec::new();
    loop {
        let mut chunk = [0u8; 8192];
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => break,
        }
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 413"), "{head}");
    assert!(head.contains("\r\nconnection: close\r\n"), "{head}");
}

/// The path a request runs on is the one its signature covers: SigV4 (non-S3) signs the
/// path with `.`/`..` segments removed and duplicate slashes collapsed, so the server routes
/// that path too. Routing the raw path let a signature for one path run another
/// (`/channels/..` signed as `/` ran DescribeChannel of a channel named `..`).
#[tokio::test]
async fn a_request_runs_on_the_path_its_signature_covers() {
    let server = TestServer::start().await;
    let config = server.root_config().await;
    let mp = aws_sdk_mediapackage::Client::new(&config);
    mp.create_channel().id("c").send().await.unwrap();
    for path in ["/channels/x/../c", "/channels//c", "/./channels/c"] {
        let r = server
            .signed(
                "GET",
                path,
                &[],
                b"",
                "mediapackage",
                common::ROOT_KEY,
                common::ROOT_SECRET,
                SystemTime::now(),
            )
            .await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.json()["id"], "c", "{path}");
    }
    // `/channels/..` is signed as `/`, which names no operation.
    let r = server
        .signed(
            "GET",
            "/channels/..",
            &[],
            b"",
            "mediapackage",
            common::ROOT_KEY,
            common::ROOT_SECRET,
            SystemTime::now(),
        )
        .await;
    assert_ne!(r.status, 200, "{}", r.text());
    assert!(!r.text().contains("\"..\""), "{}", r.text());
    // It is answered as `/` is, not as DescribeChannel of a channel named `..` (a 404 too,
    // which the checks above alone would not tell apart).
    assert!(
        r.text().contains("No operation matches GET /"),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("not found"), "{}", r.text());
}

/// A body that stops arriving: past the idle timeout the IAM request is answered 408
/// `RequestTimeoutException` in the query protocol's XML, saying the connection closes (the
/// rest of the body never came, so the connection cannot serve another request).
#[tokio::test]
async fn a_query_request_whose_body_stalls_gets_an_xml_408_and_the_connection_closes() {
    let mut config = server::Config::for_tests();
    config.idle_timeout = Duration::from_secs(1);
    let server = TestServer::start_with(config).await;
    let (head, body) = iam_list_users(&server, "content-length: 100\r\n\r\n");
    let mut stream = TcpStream::connect(server.running().addr()).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body).await.unwrap();
    // The other 65 bytes never come, and the client keeps its side open.
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut buf)).await;
    let r = common::parse_response(&buf);
    assert_eq!(r.status, 408, "{}", r.text());
    assert_eq!(xml_code(&r), "RequestTimeoutException");
    assert!(r.text().contains("<ErrorResponse"), "{}", r.text());
    assert_eq!(r.header("connection"), Some("close"), "{:?}", r.headers);
}
