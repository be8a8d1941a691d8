//! Resource quotas end to end: lowered in the configuration, reached through the real SDKs,
//! answered with each service's own error, code, message and status.

mod common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use common::TestServer;
use server::Config;

/// A test configuration with the given `(service, quota, value)` overrides.
fn config_with(quotas: &[(&str, &str, u64)]) -> Config {
    let mut config = Config::for_tests();
    for (service, name, value) in quotas {
        config
            .quotas
            .entry(service.to_string())
            .or_default()
            .insert(name.to_string(), *value);
    }
    config
}

#[tokio::test]
async fn ivs_channel_quota_is_service_quota_exceeded_402() {
    let server = TestServer::start_with(config_with(&[("ivs", "Channels", 2)])).await;
    let ivs = server.ivs_root().await;
    for _ in 0..2 {
        ivs.create_channel().send().await.unwrap();
    }
    let err = ivs.create_channel().send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(402));
    let service_err = err.into_service_error();
    assert!(service_err.is_service_quota_exceeded_exception());
    assert_eq!(service_err.code(), Some("ServiceQuotaExceededException"));
    assert_eq!(
        service_err.message(),
        Some("Request would cause a service quota to be exceeded. Quota: Channels, limit: 2")
    );
    let listed = ivs.list_channels().send().await.unwrap();
    assert_eq!(listed.channels().len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn iam_user_quota_is_limit_exceeded_409() {
    let server = TestServer::start_with(config_with(&[("iam", "UsersPerAccount", 1)])).await;
    let iam = server.iam_root().await;
    iam.create_user().user_name("first").send().await.unwrap();
    let err = iam
        .create_user()
        .user_name("second")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(409));
    let service_err = err.into_service_error();
    assert!(service_err.is_limit_exceeded_exception());
    assert_eq!(
        service_err.message(),
        Some("Cannot exceed quota for UsersPerAccount: 1")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_misspelt_quota_is_refused_at_startup() {
    let err = server::start(config_with(&[("ivs", "Chanels", 1)]))
        .await
        .err()
        .expect("the server refuses the configuration");
    assert!(err.contains("Chanels"), "{err}");
}
