//! The foundation end to end: SigV4 verification, STS GetCallerIdentity with the real SDK,
//! AWS-shaped authentication errors, and a server that survives bad input.

use crate::common;

use aws_sdk_sts::error::ProvideErrorMetadata;
use common::TestServer;
use std::time::{Duration, SystemTime};

const GET_CALLER_IDENTITY: &[u8] = b"Action=GetCallerIdentity&Version=2011-06-15";

#[tokio::test]
async fn root_calls_get_caller_identity_with_the_sdk() {
    let server = TestServer::start().await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("test", "test").await);
    let me = sts.get_caller_identity().send().await.expect("allowed");
    assert_eq!(me.account(), Some("000000000000"));
    assert_eq!(me.arn(), Some("arn:aws:iam::000000000000:root"));
    assert_eq!(me.user_id(), Some("000000000000"));
}

#[tokio::test]
async fn get_caller_identity_works_as_a_signed_get() {
    let server = TestServer::start().await;
    let r = server
        .signed(
            "GET",
            "/?Action=GetCallerIdentity&Version=2011-06-15",
            &[],
            b"",
            "sts",
            "test",
            "test",
            SystemTime::now(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("<Account>000000000000</Account>"),
        "{}",
        r.text()
    );
    assert!(r.header("date").is_some());
    assert!(r.header("x-amzn-requestid").is_some());
}

#[tokio::test]
async fn a_wrong_secret_is_refused() {
    let server = TestServer::start().await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("test", "not-the-secret").await);
    let err = sts.get_caller_identity().send().await.expect_err("refused");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    // AWS's message, then what it computed, for the client to compare with its own.
    let message = err.message().unwrap_or_default();
    let (sentence, computed) = message.split_once("\n\n").unwrap_or((message, ""));
    assert_eq!(
        sentence,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    );
    assert!(
        computed.starts_with("The Canonical String for this request should have been\n'POST\n/\n")
            && computed.contains("'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n")
            && computed.contains("/us-west-2/sts/aws4_request\n"),
        "{computed}"
    );
}

#[tokio::test]
async fn an_unknown_key_is_refused() {
    let server = TestServer::start().await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("AKIANOSUCHKEY0000000", "x").await);
    let err = sts.get_caller_identity().send().await.expect_err("refused");
    assert_eq!(err.code(), Some("InvalidClientTokenId"));
    assert_eq!(
        err.message(),
        Some("The security token included in the request is invalid.")
    );
}

#[tokio::test]
async fn a_wrong_secret_on_a_rest_json_service_gets_json() {
    let server = TestServer::start().await;
    let ivs = aws_sdk_ivs::Client::new(&server.sdk_config("test", "wrong").await);
    let err = ivs.list_channels().send().await.expect_err("refused");
    assert_eq!(err.code(), Some("InvalidSignatureException"));
}

#[tokio::test]
async fn a_request_without_credentials_is_refused() {
    let server = TestServer::start().await;
    let body = std::str::from_utf8(GET_CALLER_IDENTITY).unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let r = server.raw(request.as_bytes()).await;
    assert_eq!(r.status, 403);
    assert!(
        r.text().contains("<Code>MissingAuthenticationToken</Code>"),
        "{}",
        r.text()
    );
    assert!(r.header("date").is_some());
}

#[tokio::test]
async fn sts_takes_a_request_signed_ten_minutes_ago_and_other_services_do_not() {
    let server = TestServer::start().await;
    let ten_minutes_ago = SystemTime::now() - Duration::from_secs(10 * 60);
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = server
        .signed(
            "POST",
            "/",
            &form,
            GET_CALLER_IDENTITY,
            "sts",
            "test",
            "test",
            ten_minutes_ago,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let json = [("content-type", "application/json")];
    let r = server
        .signed(
            "POST",
            "/ListChannels",
            &json,
            b"{}",
            "ivs",
            "test",
            "test",
            ten_minutes_ago,
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains(" - 5 min.)"), "{}", r.text());
    let r = server
        .signed(
            "POST",
            "/",
            &form,
            GET_CALLER_IDENTITY,
            "sts",
            "test",
            "test",
            SystemTime::now() - Duration::from_secs(16 * 60),
        )
        .await;
    assert!(r.text().contains(" - 15 min.)"), "{}", r.text());
}

#[tokio::test]
async fn a_request_signed_twenty_minutes_ago_is_refused() {
    let server = TestServer::start().await;
    let r = server
        .signed(
            "POST",
            "/",
            &[("content-type", "application/x-www-form-urlencoded")],
            GET_CALLER_IDENTITY,
            "sts",
            "test",
            "test",
            SystemTime::now() - Duration::from_secs(20 * 60),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("Signature expired"), "{}", r.text());
    assert!(
        r.text().contains("<Code>SignatureDoesNotMatch</Code>"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn health_is_open() {
    let server = TestServer::start().await;
    let r = server
        .raw(b"GET /_mediamock/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["status"], "ok");
    assert!(v["services"].as_array().unwrap().iter().any(|s| s == "ivs"));
}

#[tokio::test]
async fn bad_input_never_takes_the_server_down() {
    let server = TestServer::start().await;
    let huge_header = format!(
        "GET / HTTP/1.1\r\nhost: x\r\nx-big: {}\r\nconnection: close\r\n\r\n",
        "a".repeat(200_000)
    );
    let cases: Vec<Vec<u8>> = vec![
        b"POST / HTTP/1.1\r\nhost: x\r\nauthorization: AWS4-HMAC-SHA256 garbage\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nhost: x\r\nauthorization: AWS4-HMAC-SHA256 Credential=test/2099/x/sts/aws4_request, SignedHeaders=host, Signature=00\r\nx-amz-date: notadate\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nhost: x\r\nauthorization: \xff\xfe\xfd\r\ncontent-length: 3\r\nconnection: close\r\n\r\n\xff\xfe\xfd".to_vec(),
        b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\nconnection: close\r\n\r\nAction=GetCall".to_vec(),
        b"GARBAGE\r\n\r\n".to_vec(),
        b"GET /?Action=%ZZ&X-Amz-Credential=%%% HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n".to_vec(),
        huge_header.into_bytes(),
    ];
    for case in cases {
        let r = server.raw(&case).await;
        assert!(
            r.status == 0 || (400..500).contains(&r.status),
            "status {} for {:?}",
            r.status,
            String::from_utf8_lossy(&case[..case.len().min(80)])
        );
    }
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("test", "test").await);
    sts.get_caller_identity()
        .send()
        .await
        .expect("still serving");
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let mut config = server::Config::for_tests();
    config.max_body_bytes = 1024;
    let server = TestServer::start_with(config).await;
    let body = "a".repeat(4096);
    let request = format!(
        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let r = server.raw(request.as_bytes()).await;
    assert_eq!(r.status, 413);
    assert_eq!(
        r.header("x-amzn-errortype"),
        Some("RequestEntityTooLargeException")
    );
    assert!(r.json()["message"].as_str().unwrap().contains("1024 bytes"));
}
