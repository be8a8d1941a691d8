//! The authorization engine end to end, with the real SDKs: what the Service Authorization
//! Reference says an operation acts on is what a policy's resource must match.

use crate::common;

use aws_sdk_ivs::error::ProvideErrorMetadata;
use common::TestServer;

/// DeleteChannel also deletes the channel's stream keys, so AWS requires it on them too: a
/// deny on the stream keys stops it until the key is gone.
#[tokio::test]
async fn delete_channel_needs_permission_on_its_stream_keys() {
    let server = TestServer::start().await;
    let root = server.ivs_root().await;
    let created = root.create_channel().name("c").send().await.unwrap();
    let channel = created.channel.unwrap().arn.unwrap();
    let key = created.stream_key.unwrap().arn.unwrap();
    let (k, s) = server
        .user_with_policy(
            "ops",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":["ivs:DeleteChannel","ivs:DeleteStreamKey"],"Resource":"*"},
                {"Effect":"Deny","Action":"ivs:DeleteChannel","Resource":"arn:aws:ivs:*:*:stream-key/*"}]}"#,
        )
        .await;
    let ops = aws_sdk_ivs::Client::new(&server.sdk_config(&k, &s).await);
    let err = ops
        .delete_channel()
        .arn(&channel)
        .send()
        .await
        .expect_err("keys denied");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message().unwrap(),
        format!("User: arn:aws:iam::000000000000:user/ops is not authorized to perform: ivs:DeleteChannel on resource: {key} with an explicit deny in an identity-based policy")
    );
    ops.delete_stream_key().arn(&key).send().await.unwrap();
    ops.delete_channel()
        .arn(&channel)
        .send()
        .await
        .expect("no keys left to deny");
}

/// Operations the hand mapping authorized on `*` (server certificates) now act on the
/// resource the reference names, so an explicit deny on that resource applies: it did not
/// match `*`, and the request went through.
#[tokio::test]
async fn an_explicit_deny_on_a_server_certificate_is_not_bypassed() {
    let server = TestServer::start().await;
    let (k, s) = server
        .user_with_policy(
            "auditor",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"iam:*","Resource":"*"},
                {"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::000000000000:server-certificate/prod"}]}"#,
        )
        .await;
    let auditor = aws_sdk_iam::Client::new(&server.sdk_config(&k, &s).await);
    let err = auditor
        .get_server_certificate()
        .server_certificate_name("prod")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert!(err
        .message()
        .unwrap()
        .contains("on resource: arn:aws:iam::000000000000:server-certificate/prod"));
    // Another certificate is not denied (whatever mediamock then answers for it).
    let other = auditor
        .get_server_certificate()
        .server_certificate_name("staging")
        .send()
        .await;
    assert_ne!(
        other.as_ref().err().and_then(|e| e.code()),
        Some("AccessDenied"),
        "{other:?}"
    );
}
