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

/// The User Guide: `aws:PrincipalIsAWSService` is "present in the request context for all
/// signed API requests" (false unless a service principal calls) and `aws:ViaAWSService` is
/// "always included" (false for a direct call). A data-perimeter deny on either being false
/// therefore applies to a user's own call; it did not, as the keys were missing.
#[tokio::test]
async fn a_deny_on_principal_is_aws_service_false_applies_to_a_user() {
    let server = TestServer::start().await;
    for key in ["aws:PrincipalIsAWSService", "aws:ViaAWSService"] {
        let name = key.trim_start_matches("aws:").to_lowercase();
        let (k, s) = server
            .user_with_policy(
                &name,
                &format!(
                    r#"{{"Version":"2012-10-17","Statement":[
                    {{"Effect":"Allow","Action":"ivs:*","Resource":"*"}},
                    {{"Effect":"Deny","Action":"ivs:ListChannels","Resource":"*","Condition":{{"Bool":{{"{key}":"false"}}}}}}]}}"#
                ),
            )
            .await;
        let ivs = aws_sdk_ivs::Client::new(&server.sdk_config(&k, &s).await);
        let err = ivs
            .list_channels()
            .send()
            .await
            .expect_err("the perimeter's deny applies");
        assert_eq!(err.code(), Some("AccessDeniedException"), "{key}");
        assert_eq!(
            err.message().unwrap(),
            format!("User: arn:aws:iam::000000000000:user/{name} is not authorized to perform: ivs:ListChannels on resource: arn:aws:ivs:us-west-2:000000000000:channel/* with an explicit deny in an identity-based policy")
        );
        // The deny names one action: the others stay allowed.
        ivs.list_playback_key_pairs()
            .send()
            .await
            .expect("not denied");
    }
}

/// The User Guide (aws:RequestedRegion): IAM's one endpoint is in us-east-1, so "if you
/// create a policy that denies access to all services if the requested Region is not
/// us-west-2, then IAM calls always fail", even from a client configured for us-west-2.
#[tokio::test]
async fn iam_calls_are_requested_in_us_east_1() {
    let server = TestServer::start().await;
    let (k, s) = server
        .user_with_policy(
            "regional",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"*","Resource":"*"},
                {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-west-2"}}}]}"#,
        )
        .await;
    let config = server.sdk_config(&k, &s).await;
    assert_eq!(config.region().unwrap().as_ref(), common::REGION);
    let err = aws_sdk_iam::Client::new(&config)
        .list_users()
        .send()
        .await
        .expect_err("IAM is requested in us-east-1");
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert_eq!(
        err.message().unwrap(),
        "User: arn:aws:iam::000000000000:user/regional is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ with an explicit deny in an identity-based policy"
    );
    aws_sdk_ivs::Client::new(&config)
        .list_channels()
        .send()
        .await
        .expect("IVS is requested in us-west-2");
}

/// A server listening on `::` sees an IPv4 client as `::ffff:a.b.c.d`; AWS sees the IPv4
/// address, so a deny on an IPv4 range applies (it did not: the mapped form matched no IPv4
/// range, and the request went through).
#[tokio::test]
async fn an_ipv4_deny_applies_to_an_ipv4_client_of_a_dual_stack_listener() {
    let mut config = server::Config::for_tests();
    config.host = "::".parse().unwrap();
    // A host without IPv6 cannot listen there: nothing to check.
    if std::net::TcpListener::bind("[::]:0").is_err() {
        return;
    }
    let mut server = TestServer::start_with(config).await;
    let port = server.running().addr().port();
    server.endpoint = format!("http://127.0.0.1:{port}");
    let (k, s) = server
        .user_with_policy(
            "ipv4",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"ivs:*","Resource":"*"},
                {"Effect":"Deny","Action":"ivs:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}]}"#,
        )
        .await;
    let err = aws_sdk_ivs::Client::new(&server.sdk_config(&k, &s).await)
        .list_channels()
        .send()
        .await
        .expect_err("the client's address is in the denied range");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(
        err.message()
            .unwrap()
            .ends_with("with an explicit deny in an identity-based policy"),
        "{err:?}"
    );
}

/// AWS's API endpoints take only TLS, so every request AWS authorizes has
/// `aws:SecureTransport` true: a policy written for AWS that denies insecure transport (AWS's
/// own example policies do) allows the same calls here. With `--secure-transport=false` the
/// plain HTTP request is what policies see, and that deny applies. MediaConvert's endpoint
/// stays this plain HTTP server either way.
#[tokio::test]
#[allow(deprecated)] // DescribeEndpoints: older SDK code still asks it (see endpoints.rs)
async fn policies_see_secure_transport_as_on_aws_unless_configured_otherwise() {
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["ivs:ListChannels","mediaconvert:DescribeEndpoints"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
        {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}"#;
    let aws_like = TestServer::start().await;
    let (k, s) = aws_like.user_with_policy("tls", POLICY).await;
    let config = aws_like.sdk_config(&k, &s).await;
    aws_sdk_ivs::Client::new(&config)
        .list_channels()
        .send()
        .await
        .expect("aws:SecureTransport is true, as AWS sees every call");
    let endpoints = aws_sdk_mediaconvert::Client::new(&config)
        .describe_endpoints()
        .send()
        .await
        .expect("allowed over secure transport");
    let url = endpoints.endpoints()[0].url().unwrap_or_default();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let mut plain = server::Config::for_tests();
    plain.secure_transport = false;
    let plain = TestServer::start_with(plain).await;
    let (k, s) = plain.user_with_policy("tls", POLICY).await;
    let err = aws_sdk_ivs::Client::new(&plain.sdk_config(&k, &s).await)
        .list_channels()
        .send()
        .await
        .expect_err("plain HTTP is what the policies see");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(
        err.message()
            .unwrap()
            .ends_with("with an explicit deny in an identity-based policy"),
        "{err:?}"
    );
}
