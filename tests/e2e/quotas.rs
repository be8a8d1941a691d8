//! Resource quotas end to end: lowered in the configuration, reached through the real SDKs,
//! answered with each service's own error, code, message and status.

use crate::common;

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

#[tokio::test]
async fn mediaconnect_flow_quota_is_create_flow_420() {
    use aws_sdk_mediaconnect::types::{Protocol, SetSourceRequest};
    let server = TestServer::start_with(config_with(&[("mediaconnect", "Flows", 1)])).await;
    let mc = aws_sdk_mediaconnect::Client::new(&server.root_config().await);
    let source = SetSourceRequest::builder()
        .name("src")
        .protocol(Protocol::Rtp)
        .ingest_port(5000)
        .whitelist_cidr("10.0.0.0/16")
        .build();
    mc.create_flow()
        .name("a")
        .source(source.clone())
        .send()
        .await
        .unwrap();
    let err = mc
        .create_flow()
        .name("b")
        .source(source)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(420));
    let service_err = err.into_service_error();
    assert!(service_err.is_create_flow420_exception());
    assert_eq!(
        service_err.message(),
        Some("You have reached the limit of 1 flows in this region.")
    );
    assert_eq!(mc.list_flows().send().await.unwrap().flows().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn mediapackagev2_channel_group_quota_is_service_quota_exceeded_402() {
    let server =
        TestServer::start_with(config_with(&[("mediapackagev2", "ChannelGroups", 1)])).await;
    let mp = aws_sdk_mediapackagev2::Client::new(&server.root_config().await);
    mp.create_channel_group()
        .channel_group_name("a")
        .send()
        .await
        .unwrap();
    let err = mp
        .create_channel_group()
        .channel_group_name("b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(402));
    let service_err = err.into_service_error();
    assert!(service_err.is_service_quota_exceeded_exception());
    assert_eq!(
        service_err.message(),
        Some("You've reached the limit for this resource. Quota: ChannelGroups, limit: 1")
    );
    server.stop().await;
}

#[tokio::test]
async fn mediapackage_channel_quota_is_too_many_requests_429() {
    use aws_sdk_mediapackage::config::retry::RetryConfig;
    let server = TestServer::start_with(config_with(&[("mediapackage", "Channels", 1)])).await;
    // 429 is a throttle to the SDK's classifier: retries off, to read the first answer.
    let config = aws_sdk_mediapackage::config::Builder::from(&server.root_config().await)
        .retry_config(RetryConfig::disabled())
        .build();
    let mp = aws_sdk_mediapackage::Client::from_conf(config);
    mp.create_channel().id("a").send().await.unwrap();
    let err = mp.create_channel().id("b").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let service_err = err.into_service_error();
    assert!(service_err.is_too_many_requests_exception());
    assert_eq!(
        service_err.message(),
        Some("Resource limit exceeded. Quota: Channels, limit: 1")
    );
    assert_eq!(mp.list_channels().send().await.unwrap().channels().len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn mediaconvert_queue_quota_is_too_many_requests_429() {
    use aws_sdk_mediaconvert::config::retry::RetryConfig;
    let server = TestServer::start_with(config_with(&[("mediaconvert", "Queues", 2)])).await;
    // 429 is a throttle to the SDK's classifier: retries off, to read the first answer.
    let config = aws_sdk_mediaconvert::config::Builder::from(&server.root_config().await)
        .retry_config(RetryConfig::disabled())
        .build();
    let mc = aws_sdk_mediaconvert::Client::from_conf(config);
    // The Default queue counts: one more fits under a quota of 2.
    mc.create_queue().name("a").send().await.unwrap();
    let err = mc.create_queue().name("b").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    let service_err = err.into_service_error();
    assert!(service_err.is_too_many_requests_exception());
    assert_eq!(
        service_err.message(),
        Some("Your account already has the maximum number of queues: maximum=2.")
    );
    assert_eq!(mc.list_queues().send().await.unwrap().queues().len(), 2);
    // A queue's concurrent-jobs setting above its quota (200 by default) is refused alike.
    let err = mc
        .update_queue()
        .name("a")
        .concurrent_jobs(201)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(429));
    server.stop().await;
}

#[tokio::test]
async fn mediaconnect_router_input_quota_is_its_own_420() {
    use aws_sdk_mediaconnect::types::{
        PublicRouterNetworkInterfaceConfiguration, PublicRouterNetworkInterfaceRule,
        RouterInputConfiguration, RouterInputProtocolConfiguration, RouterInputTier,
        RouterNetworkInterfaceConfiguration, RoutingScope, RtpRouterInputConfiguration,
        StandardRouterInputConfiguration,
    };
    let server = TestServer::start_with(config_with(&[("mediaconnect", "RouterInputs", 1)])).await;
    let mc = aws_sdk_mediaconnect::Client::new(&server.root_config().await);
    let ni = mc
        .create_router_network_interface()
        .name("ni")
        .configuration(RouterNetworkInterfaceConfiguration::Public(
            PublicRouterNetworkInterfaceConfiguration::builder()
                .allow_rules(
                    PublicRouterNetworkInterfaceRule::builder()
                        .cidr("0.0.0.0/0")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap();
    let ni_arn = ni.router_network_interface().unwrap().arn().to_string();
    let input = |name: &str| {
        mc.create_router_input()
            .name(name)
            .maximum_bitrate(10_000_000)
            .routing_scope(RoutingScope::Regional)
            .tier(RouterInputTier::Input20)
            .configuration(RouterInputConfiguration::Standard(
                StandardRouterInputConfiguration::builder()
                    .network_interface_arn(&ni_arn)
                    .protocol_configuration(RouterInputProtocolConfiguration::Rtp(
                        RtpRouterInputConfiguration::builder()
                            .port(5000)
                            .build()
                            .unwrap(),
                    ))
                    .build()
                    .unwrap(),
            ))
    };
    input("a").send().await.unwrap();
    let err = input("b").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(420));
    let service_err = err.into_service_error();
    assert!(service_err.is_router_input_service_quota_exceeded_exception());
    assert_eq!(
        service_err.message(),
        Some("The request to create a new router input would exceed the service quotas for the account. Quota: RouterInputs, limit: 1")
    );
    server.stop().await;
}

#[tokio::test]
async fn mediapackagev2_harvest_job_quota_counts_active_jobs_per_group() {
    use aws_sdk_mediapackagev2::primitives::DateTime;
    use aws_sdk_mediapackagev2::types::{
        ContainerType, CreateHlsManifestConfiguration, Destination, HarvestedHlsManifest,
        HarvestedManifests, HarvesterScheduleConfiguration, S3DestinationConfig,
    };
    let mut config = config_with(&[("mediapackagev2", "ActiveHarvestJobsPerChannelGroup", 1)]);
    // Jobs stay QUEUED until the test's clock moves.
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mp = aws_sdk_mediapackagev2::Client::new(&server.root_config().await);
    mp.create_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();
    mp.create_channel()
        .channel_group_name("g")
        .channel_name("c")
        .send()
        .await
        .unwrap();
    mp.create_origin_endpoint()
        .channel_group_name("g")
        .channel_name("c")
        .origin_endpoint_name("e")
        .container_type(ContainerType::Ts)
        .hls_manifests(
            CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let harvest = || {
        mp.create_harvest_job()
            .channel_group_name("g")
            .channel_name("c")
            .origin_endpoint_name("e")
            .harvested_manifests(
                HarvestedManifests::builder()
                    .hls_manifests(
                        HarvestedHlsManifest::builder()
                            .manifest_name("index")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .schedule_configuration(
                HarvesterScheduleConfiguration::builder()
                    .start_time(DateTime::from_secs(now - 600))
                    .end_time(DateTime::from_secs(now - 60))
                    .build()
                    .unwrap(),
            )
            .destination(
                Destination::builder()
                    .s3_destination(
                        S3DestinationConfig::builder()
                            .bucket_name("harvest-bucket")
                            .destination_path("p")
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
    };
    harvest().send().await.unwrap();
    let err = harvest().send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(402));
    let service_err = err.into_service_error();
    assert!(service_err.is_service_quota_exceeded_exception());
    assert_eq!(
        service_err.message(),
        Some("You've reached the limit for this resource. Quota: ActiveHarvestJobsPerChannelGroup, limit: 1")
    );
    server.stop().await;
}

#[tokio::test]
async fn mediaconnect_bridge_quota_is_create_bridge_420_per_gateway() {
    use aws_sdk_mediaconnect::types::{
        AddBridgeNetworkSourceRequest, AddBridgeSourceRequest, AddIngressGatewayBridgeRequest,
        GatewayNetwork, Protocol,
    };
    let server =
        TestServer::start_with(config_with(&[("mediaconnect", "BridgesPerGateway", 1)])).await;
    let mc = aws_sdk_mediaconnect::Client::new(&server.root_config().await);
    let gateway = mc
        .create_gateway()
        .name("site")
        .egress_cidr_blocks("203.0.113.0/24")
        .networks(
            GatewayNetwork::builder()
                .name("lan")
                .cidr_block("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let gateway_arn = gateway
        .gateway()
        .unwrap()
        .gateway_arn()
        .unwrap()
        .to_string();
    let bridge = |name: &str| {
        mc.create_bridge()
            .name(name)
            .placement_arn(&gateway_arn)
            .ingress_gateway_bridge(
                AddIngressGatewayBridgeRequest::builder()
                    .max_bitrate(10_000_000)
                    .max_outputs(2)
                    .build(),
            )
            .sources(
                AddBridgeSourceRequest::builder()
                    .network_source(
                        AddBridgeNetworkSourceRequest::builder()
                            .name("cam")
                            .multicast_ip("224.0.0.1")
                            .network_name("lan")
                            .port(5000)
                            .protocol(Protocol::Rtp)
                            .build(),
                    )
                    .build(),
            )
    };
    bridge("one").send().await.unwrap();
    let err = bridge("two").send().await.unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(420));
    let service_err = err.into_service_error();
    assert!(service_err.is_create_bridge420_exception());
    assert_eq!(
        service_err.message(),
        Some("A gateway can have at most 1 bridges.")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_rate_for_an_unknown_operation_is_refused_at_startup() {
    let mut config = Config::for_tests();
    config
        .rates
        .entry("mediaconvert".into())
        .or_default()
        .insert("CreateJb".into(), 1.0);
    let err = server::start(config)
        .await
        .err()
        .expect("the server refuses the configuration");
    assert!(err.contains("CreateJb"), "{err}");
}
