//! `--throttle aws` end to end: a burst above an IVS operation's rate is answered with
//! ThrottlingException (429), and the real SDK's standard retry backs off and succeeds.

use crate::common;

use aws_sdk_ivs::config::retry::RetryConfig;
use aws_sdk_ivs::error::ProvideErrorMetadata;
use common::TestServer;
use server::Config;
use std::time::{Duration, Instant};

/// How many ListChannels answers of `status` the server's metrics counted.
async fn list_channels_answers(server: &TestServer, status: u16) -> u64 {
    let response = server
        .raw(b"GET /_mediamock/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    let wanted = format!(
        "mediamock_requests_total{{service=\"ivs\",operation=\"ListChannels\",status=\"{status}\"}} "
    );
    response
        .text()
        .lines()
        .find_map(|l| l.strip_prefix(&wanted))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// `--throttle aws` with ListChannels lowered to 1 per second (a debug build is slow enough
/// that AWS's 5 per second would refill between calls and make the test timing-dependent).
fn throttled_config() -> Config {
    let mut config = Config {
        throttle: true,
        ..Config::for_tests()
    };
    config
        .rates
        .entry("ivs".into())
        .or_default()
        .insert("ListChannels".into(), 1.0);
    config
}

#[tokio::test]
async fn a_burst_is_throttled_then_succeeds_with_the_sdks_backoff() {
    let server = TestServer::start_with(throttled_config()).await;
    let base = server.root_config().await;
    // Without retries the SDK surfaces the throttle itself.
    let no_retry = aws_sdk_ivs::Client::new(&base);
    let mut throttled = None;
    for _ in 0..6 {
        if let Err(e) = no_retry.list_channels().send().await {
            throttled = Some(e);
            break;
        }
    }
    let err = throttled.expect("a second call within a second exceeds 1 per second");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let err = err.into_service_error();
    // ListChannels does not model ThrottlingException; the SDK sees it by its code (and
    // its retry classifier treats that code as a throttle).
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(
        err.message(),
        Some("Request was denied due to request throttling.")
    );

    // The SDK's standard retry mode treats it as a throttling error and backs off.
    let retrying = aws_sdk_ivs::Client::from_conf(
        aws_sdk_ivs::config::Builder::from(&base)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(10)
                    .with_initial_backoff(Duration::from_millis(200)),
            )
            .build(),
    );
    let before = list_channels_answers(&server, 429).await;
    let start = Instant::now();
    for _ in 0..4 {
        retrying
            .list_channels()
            .send()
            .await
            .expect("retried until admitted");
    }
    let throttled_during = list_channels_answers(&server, 429).await - before;
    assert!(throttled_during > 0, "the burst was throttled");
    // 4 calls at 1 per second, starting from an (almost) empty bucket, need 3 seconds.
    assert!(
        start.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    server.stop().await;
}

#[tokio::test]
async fn no_throttling_by_default() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    for _ in 0..30 {
        ivs.list_channels().send().await.unwrap();
    }
    assert_eq!(list_channels_answers(&server, 429).await, 0);
    server.stop().await;
}

/// MediaConnect: AWS's 5 per second with bursts of 30, per account and region; a burst well
/// above it meets 429 TooManyRequestsException, and the SDK's standard retry gets through.
#[tokio::test]
async fn mediaconnect_burst_is_throttled_and_the_sdk_retries_through() {
    use aws_sdk_mediaconnect::config::retry::RetryConfig as McRetry;
    let server = TestServer::start_with(Config {
        throttle: true,
        ..Config::for_tests()
    })
    .await;
    let base = server.root_config().await;
    let no_retry = aws_sdk_mediaconnect::Client::from_conf(
        aws_sdk_mediaconnect::config::Builder::from(&base)
            .retry_config(McRetry::disabled())
            .build(),
    );
    let err = first_refusal(60, || no_retry.list_flows().send())
        .await
        .expect("60 calls at once exceed a 30-call burst");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let err = err.into_service_error();
    assert!(err.is_too_many_requests_exception(), "{err:?}");
    // Standard retry with more attempts than the default: every call of a second burst
    // succeeds as the bucket refills.
    let retrying = aws_sdk_mediaconnect::Client::from_conf(
        aws_sdk_mediaconnect::config::Builder::from(&base)
            .retry_config(McRetry::standard().with_max_attempts(10))
            .build(),
    );
    let started = Instant::now();
    for _ in 0..40 {
        retrying.list_flows().send().await.unwrap();
    }
    assert!(started.elapsed() < Duration::from_secs(60));
    server.stop().await;
}

/// How many answers of `status` to `service`'s `operation` the server's metrics counted.
async fn answers(server: &TestServer, service: &str, operation: &str, status: u16) -> u64 {
    let response = server
        .raw(b"GET /_mediamock/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    let wanted = format!(
        "mediamock_requests_total{{service=\"{service}\",operation=\"{operation}\",status=\"{status}\"}} "
    );
    response
        .text()
        .lines()
        .find_map(|l| l.strip_prefix(&wanted))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// MediaConvert: no documented rate is applied by default, so the test sets one
/// (`[rates.mediaconvert] ListQueues = 1`); a burst above it meets 429
/// TooManyRequestsException "Too Many Requests", and the SDK's standard retry gets through.
#[tokio::test]
async fn mediaconvert_burst_is_throttled_and_the_sdk_retries_through() {
    use aws_sdk_mediaconvert::config::retry::RetryConfig as McRetry;
    let mut config = Config {
        throttle: true,
        ..Config::for_tests()
    };
    config
        .rates
        .entry("mediaconvert".into())
        .or_default()
        .insert("ListQueues".into(), 1.0);
    let server = TestServer::start_with(config).await;
    let base = server.root_config().await;
    let no_retry = aws_sdk_mediaconvert::Client::from_conf(
        aws_sdk_mediaconvert::config::Builder::from(&base)
            .retry_config(McRetry::disabled())
            .build(),
    );
    let err = first_refusal(6, || no_retry.list_queues().send())
        .await
        .expect("a second call within a second exceeds 1 per second");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let err = err.into_service_error();
    assert!(err.is_too_many_requests_exception(), "{err:?}");
    assert_eq!(err.message(), Some("Too Many Requests"));
    // Other operations are not throttled.
    for _ in 0..10 {
        no_retry.list_presets().send().await.unwrap();
    }

    let retrying = aws_sdk_mediaconvert::Client::from_conf(
        aws_sdk_mediaconvert::config::Builder::from(&base)
            .retry_config(
                McRetry::standard()
                    .with_max_attempts(10)
                    .with_initial_backoff(Duration::from_millis(200)),
            )
            .build(),
    );
    let before = answers(&server, "mediaconvert", "ListQueues", 429).await;
    let start = Instant::now();
    for _ in 0..4 {
        retrying
            .list_queues()
            .send()
            .await
            .expect("retried until admitted");
    }
    let throttled_during = answers(&server, "mediaconvert", "ListQueues", 429).await - before;
    assert!(throttled_during > 0, "the burst was throttled");
    // 4 calls at 1 per second, starting from an (almost) empty bucket, need 3 seconds.
    assert!(
        start.elapsed() >= Duration::from_millis(2500),
        "{:?}",
        start.elapsed()
    );
    server.stop().await;
}

/// The first error of up to `calls` calls made one after another, if any call fails.
async fn first_refusal<T, E, F: std::future::Future<Output = Result<T, E>>>(
    calls: usize,
    mut call: impl FnMut() -> F,
) -> Option<E> {
    for _ in 0..calls {
        if let Err(e) = call().await {
            return Some(e);
        }
    }
    None
}
