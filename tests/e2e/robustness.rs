//! Limits that keep a bad client from taking the server down, end to end over raw TCP:
//! header-read and idle timeouts, header size, concurrent connections, JSON nesting depth,
//! truncated and non-UTF-8 bodies; `--trust-forwarded-for`; graceful shutdown on SIGTERM.

use crate::common;

use common::TestServer;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEALTH: &[u8] = b"GET /_mediamock/health HTTP/1.1\r\nhost: x\r\n\r\n";

/// Reads one HTTP/1.1 response (sized by content-length) off a keep-alive connection;
/// `None` if the server closed it first.
async fn read_response(stream: &mut TcpStream) -> Option<(u16, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status = head.split_whitespace().nth(1)?.parse().ok()?;
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some((status, buf[end + 4..end + 4 + len].to_vec()));
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Whether the server closes `stream` (EOF or reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut chunk = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
        }
    }
}

async fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(server.running().addr()).await.unwrap()
}

#[tokio::test]
async fn a_slow_loris_client_is_cut_off_at_the_header_timeout() {
    let mut config = server::Config::for_tests();
    config.header_read_timeout = Duration::from_secs(2);
    let server = TestServer::start_with(config).await;
    let mut stream = connect(&server).await;
    let (mut reader, mut writer) = stream.split();
    let started = Instant::now();
    let trickle = async {
        // One byte a second; the head never completes in time.
        for byte in b"GET /_mediamock/health HTTP/1.1\r\nhost: x\r\nx-slow: aaaaaaaaaaaaaaaa" {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    };
    let mut sink = Vec::new();
    let closed = tokio::select! {
        _ = trickle => false,
        _ = reader.read_to_end(&mut sink) => true,
    };
    let took = started.elapsed();
    assert!(closed, "the slow client was never cut off");
    assert!(
        took < Duration::from_millis(3500),
        "cut off only after {took:?}"
    );
    assert!(
        took >= Duration::from_millis(1900),
        "cut off too early: {took:?}"
    );
    // The server itself is fine.
    let mut s = connect(&server).await;
    s.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut s).await.map(|r| r.0), Some(200));
}

#[tokio::test]
async fn idle_keep_alive_connections_get_the_idle_timeout_not_the_header_timeout() {
    let mut config = server::Config::for_tests();
    config.header_read_timeout = Duration::from_millis(300);
    config.idle_timeout = Duration::from_secs(2);
    let server = TestServer::start_with(config).await;
    let mut stream = connect(&server).await;
    stream.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut stream).await.map(|r| r.0), Some(200));
    // Idle for longer than the header timeout, shorter than the idle timeout: still open.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    stream.write_all(HEALTH).await.unwrap();
    assert_eq!(
        read_response(&mut stream).await.map(|r| r.0),
        Some(200),
        "an idle keep-alive connection was closed before the idle timeout"
    );
    let idle_from = Instant::now();
    assert!(
        closed_within(&mut stream, Duration::from_secs(4)).await,
        "an idle connection was never closed"
    );
    let idle = idle_from.elapsed();
    assert!(
        idle >= Duration::from_millis(1900),
        "closed after only {idle:?}"
    );
}

#[tokio::test]
async fn a_huge_header_is_refused_not_hung_on() {
    let server = TestServer::start().await;
    let mut request = b"GET /_mediamock/health HTTP/1.1\r\nhost: x\r\nx-big: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 200 * 1024));
    request.extend_from_slice(b"\r\nconnection: close\r\n\r\n");
    let started = Instant::now();
    let r = server.raw(&request).await;
    assert!(
        r.status == 431 || r.status == 0,
        "a 200 KB header got {}",
        r.status
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn beyond_the_limit_an_idle_connection_makes_room_else_a_prompt_503() {
    let mut config = server::Config::for_tests();
    config.max_connections = 2;
    let server = TestServer::start_with(config).await;
    // Both slots held by idle keep-alive connections: the idlest is closed for a newcomer.
    let mut first = connect(&server).await;
    let mut second = connect(&server).await;
    for s in [&mut first, &mut second] {
        s.write_all(HEALTH).await.unwrap();
        assert_eq!(read_response(s).await.map(|r| r.0), Some(200));
    }
    let started = Instant::now();
    let mut third = connect(&server).await;
    third.write_all(HEALTH).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(2), read_response(&mut third))
        .await
        .expect("a connection beyond max_connections=2 got no answer");
    println!(
        "served beyond max_connections, evicting an idle one, in {:?}",
        started.elapsed()
    );
    assert_eq!(answer.map(|r| r.0), Some(200));
    assert!(
        closed_within(&mut first, Duration::from_secs(1)).await,
        "the connection idle the longest was not the one closed"
    );
    drop(second);
    drop(third);
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Both slots busy (mid-request): nothing to evict, so a prompt 503 with Retry-After.
    let mut busy = Vec::new();
    for _ in 0..2 {
        let mut s = connect(&server).await;
        s.write_all(b"GET /_mediamock/health HTTP/1.1\r\n")
            .await
            .unwrap();
        busy.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let r = server.raw(HEALTH).await;
    let waited = started.elapsed();
    println!("refused beyond max_connections in {waited:?}");
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(
        r.json()["__type"],
        "ServiceUnavailableException",
        "{}",
        r.text()
    );
    assert!(
        waited < Duration::from_millis(500),
        "refused after {waited:?}"
    );
    drop(busy);
    // Slots come back: the server keeps serving new connections.
    tokio::time::sleep(Duration::from_millis(100)).await;
    for _ in 0..5 {
        let mut s = connect(&server).await;
        s.write_all(HEALTH).await.unwrap();
        let r = tokio::time::timeout(Duration::from_secs(5), read_response(&mut s)).await;
        assert_eq!(r.ok().flatten().map(|r| r.0), Some(200));
    }
}

async fn ivs_raw(server: &TestServer, path: &str, body: &[u8]) -> common::RawResponse {
    server
        .signed(
            "POST",
            path,
            &[("content-type", "application/json")],
            body,
            "ivs",
            "test",
            "test",
            SystemTime::now(),
        )
        .await
}

#[tokio::test]
async fn deeply_nested_json_gets_a_validation_error_not_a_crash() {
    let server = TestServer::start().await;
    let arrays = "[".repeat(100_000);
    let r = ivs_raw(&server, "/CreateChannel", arrays.as_bytes()).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let mut objects = String::new();
    for _ in 0..100_000 {
        objects.push_str("{\"name\":");
    }
    // Twice: a client that half-closes after a large body still gets its answer.
    for _ in 0..2 {
        let r = ivs_raw(&server, "/CreateChannel", objects.as_bytes()).await;
        assert_eq!(r.status, 400, "{}", r.text());
        assert!(r.header("x-amzn-errortype").is_some(), "{:?}", r.headers);
    }
    let r = ivs_raw(&server, "/ListChannels", b"{}").await;
    assert_eq!(r.status, 200, "the server did not survive: {}", r.text());
}

#[tokio::test]
async fn non_utf8_and_truncated_bodies_are_client_errors() {
    let server = TestServer::start().await;
    let r = ivs_raw(&server, "/CreateChannel", &[b'{', 0xff, 0xfe, b'}']).await;
    assert_eq!(r.status, 400, "{}", r.text());
    let r = ivs_raw(&server, "/CreateChannel", b"{\"name\": \"\xc3\x28\"}").await;
    assert_eq!(r.status, 400, "{}", r.text());
    // Says 100 bytes, sends 10, then closes its side: answered or closed, never hung.
    let started = Instant::now();
    let r = server
        .raw(b"POST /CreateChannel HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"name\":\"")
        .await;
    assert!(
        r.status == 0 || (400..500).contains(&r.status),
        "{}",
        r.status
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // Garbage instead of HTTP.
    let r = server
        .raw(&[0xff, 0x00, 0x13, b'\r', b'\n', b'\r', b'\n'])
        .await;
    assert!(r.status == 0 || r.status == 400, "{}", r.status);
    let r = ivs_raw(&server, "/ListChannels", b"{}").await;
    assert_eq!(r.status, 200);
}

/// A user allowed to list channels only from 10.1.0.0/16; returns its key.
async fn office_user(server: &TestServer) -> (String, String) {
    server
        .user_with_policy(
            "office",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:ListChannels","Resource":"*",
                "Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}]}"#,
        )
        .await
}

async fn list_from(server: &TestServer, key: &(String, String), forwarded: Option<&str>) -> u16 {
    let mut headers = vec![("content-type", "application/json")];
    if let Some(f) = forwarded {
        headers.push(("x-forwarded-for", f));
    }
    server
        .signed(
            "POST",
            "/ListChannels",
            &headers,
            b"{}",
            "ivs",
            &key.0,
            &key.1,
            SystemTime::now(),
        )
        .await
        .status
}

#[tokio::test]
async fn source_ip_comes_from_forwarded_for_only_when_trusted() {
    let mut config = server::Config::for_tests();
    config.trust_forwarded_for = true;
    let trusting = TestServer::start_with(config).await;
    let key = office_user(&trusting).await;
    // The trusted proxy appends the address it saw: the right-most entry.
    assert_eq!(
        list_from(&trusting, &key, Some("192.168.0.9, 10.1.2.3")).await,
        200
    );
    assert_eq!(list_from(&trusting, &key, Some("192.168.0.9")).await, 403);
    // A client that writes an allowed address first gains nothing: the proxy's entry wins.
    assert_eq!(
        list_from(&trusting, &key, Some("10.1.2.3, 192.168.0.9")).await,
        403,
        "a client-written X-Forwarded-For entry decided aws:SourceIp"
    );
    assert_eq!(
        list_from(&trusting, &key, None).await,
        403,
        "peer 127.0.0.1 is outside 10.1/16"
    );

    let wary = TestServer::start().await;
    let key = office_user(&wary).await;
    assert_eq!(
        list_from(&wary, &key, Some("10.1.2.3")).await,
        403,
        "an untrusted X-Forwarded-For decided aws:SourceIp"
    );
}

/// Runs `mediamock serve` through `server::cli::run` in a child process; only when asked.
#[test]
#[ignore = "helper: started as a child process by sigterm_finishes_in_flight_requests_and_exits_0"]
fn child_cli_server() {
    let Ok(port) = std::env::var("MEDIAMOCK_CHILD_PORT") else {
        return;
    };
    let cli = server::cli::Cli::try_from_args([
        "mediamock",
        "serve",
        "--port",
        port.as_str(),
        "--transitions",
        "instant",
        "--log",
        "warn",
    ])
    .unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(server::cli::run(cli))
        .unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A signed CreateChannel, split into its head (with the first body byte) and the rest.
fn create_channel_request(port: u16, name: &str) -> (Vec<u8>, Vec<u8>) {
    let body = format!("{{\"name\":\"{name}\"}}");
    let host = format!("127.0.0.1:{port}");
    let headers = vec![
        ("host".to_string(), host.clone()),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    let signed = common::sign(
        "POST",
        &format!("http://{host}/CreateChannel"),
        &headers,
        body.as_bytes(),
        "ivs",
        "test",
        "test",
        SystemTime::now(),
    );
    let mut head = "POST /CreateChannel HTTP/1.1\r\n".to_string();
    for (k, v) in headers.iter().chain(signed.iter()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut first = head.into_bytes();
    first.push(body.as_bytes()[0]);
    (first, body.as_bytes()[1..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_in_flight_requests_and_exits_0() {
    let port = free_port();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "robustness::child_cli_server",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("MEDIAMOCK_CHILD_PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..400 {
        if TcpStream::connect(&addr).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up, "the child server did not start");
    // A burst of requests, each with its head sent and its body held back: in flight.
    let mut in_flight = Vec::new();
    for i in 0..16 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        let (head, rest) = create_channel_request(port, &format!("inflight-{i}"));
        s.write_all(&head).await.unwrap();
        in_flight.push((s, rest));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    // New connections are no longer accepted…
    assert!(
        TcpStream::connect(&addr).await.is_err(),
        "still accepting after SIGTERM"
    );
    // …but every in-flight request completes.
    for (i, (mut s, rest)) in in_flight.into_iter().enumerate() {
        s.write_all(&rest).await.unwrap();
        let r = tokio::time::timeout(Duration::from_secs(10), read_response(&mut s)).await;
        let (status, body) = r
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("request {i} was cut off"));
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    let mut status = None;
    for _ in 0..200 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not exit after SIGTERM");
    };
    assert!(status.success(), "exit status {status:?}");
}

#[tokio::test]
async fn unparseable_requests_get_an_aws_shaped_error_body() {
    let server = TestServer::start().await;
    // The service cannot be told: a generic JSON error.
    let r = server.raw(b"NOT A REQUEST LINE\r\n\r\n").await;
    assert_eq!(r.status, 400, "{}", r.text());
    let body = r.json();
    assert_eq!(
        body["message"],
        "The request could not be parsed as HTTP/1.1",
        "{:?} {}",
        r.headers,
        r.text()
    );
    assert_eq!(r.header("x-amzn-errortype"), Some("BadRequest"));
    assert!(r.header("x-amzn-requestid").is_some());
    // The credential scope names IAM (a query service): its XML error shape.
    let r = server
        .raw(b"POST / HTTP/1.1\r\nhost: x\r\nauthorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00\r\nbad header line\r\n\r\n")
        .await;
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("<Code>BadRequest</Code>"), "{}", r.text());
}

/// Found by the concurrency sweep: a request refused before its body was read (an unknown
/// key) left the body unread, so the server closed the connection after the 403 without
/// saying so, and a client reusing it (boto3, which writes headers and body apart) failed its
/// next request. The refusal now says `connection: close`; a body-less one keeps the
/// connection.
#[tokio::test]
async fn a_refusal_that_leaves_the_body_unread_says_the_connection_closes() {
    let server = TestServer::start().await;
    let port = server.running().addr().port();
    let host = format!("127.0.0.1:{port}");
    let body = b"{}";
    let headers = vec![
        ("host".to_string(), host.clone()),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    let signed = common::sign(
        "POST",
        &format!("http://{host}/ListChannels"),
        &headers,
        body,
        "ivs",
        "AKIANOSUCHKEY0000001",
        "x",
        SystemTime::now(),
    );
    let mut head = "POST /ListChannels HTTP/1.1\r\n".to_string();
    for (k, v) in headers.iter().chain(signed.iter()) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut stream = connect(&server).await;
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let _ = stream.write_all(body).await;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "closed without an answer");
        answer.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    assert!(text.starts_with("http/1.1 403"), "{text}");
    assert!(text.contains("\r\nconnection: close\r\n"), "{text}");
    // Without a body there is nothing left unread: the connection serves the next request.
    let mut stream = connect(&server).await;
    let get = format!(
        "GET /_mediamock/health HTTP/1.1\r\nhost: {host}\r\nauthorization: AWS4-HMAC-SHA256 Credential=AKIANOSUCHKEY0000001/20260101/us-east-1/ivs/aws4_request, SignedHeaders=host, Signature=00\r\n\r\n"
    );
    stream.write_all(get.as_bytes()).await.unwrap();
    assert!(read_response(&mut stream).await.is_some());
    stream.write_all(HEALTH).await.unwrap();
    assert_eq!(read_response(&mut stream).await.map(|r| r.0), Some(200));
}

/// Found by the malformed-input probe: each request tag went into the authorization context
/// by a scan of the keys before it, so a body of 20,000 tags (limit 50, checked after
/// authorization) held a worker and the identity store's lock for over a minute in a release
/// build, stalling every other client. Now the service's tag-limit error, promptly.
#[tokio::test]
async fn thousands_of_request_tags_get_the_tag_limit_error_not_a_stall() {
    let server = TestServer::start().await;
    let mc = aws_sdk_mediaconvert::Client::new(&server.root_config().await);
    let mut create = mc.create_queue().name("tagged");
    for i in 0..20_000 {
        create = create.tags(format!("k{i}"), "v");
    }
    let err = create.send().await.expect_err("over the tag limit");
    assert_eq!(
        aws_sdk_mediaconvert::error::ProvideErrorMetadata::code(&err),
        Some("BadRequestException")
    );
    // Meanwhile and after, others are served.
    let ivs = server.ivs_root().await;
    ivs.list_channels().send().await.unwrap();
}
