//! MediaConnect end to end with the real `aws-sdk-mediaconnect`: a flow's whole life with the
//! SDK's waiters on a hand-stepped clock, outputs of several protocols and the rules AWS
//! enforces, an entitlement granted to a second account and used there as a flow source,
//! IAM (the exact AccessDenied message, tag conditions, iam:PassRole), and a restart.

use crate::common;
use crate::mediaconnect_support::mediaconnect_role;

use aws_sdk_mediaconnect::client::Waiters;
use aws_sdk_mediaconnect::error::ProvideErrorMetadata;
use aws_sdk_mediaconnect::types::{
    AddOutputRequest, GrantEntitlementRequest, Protocol, SetSourceRequest, Status,
};
use aws_sdk_mediaconnect::Client;
use common::TestServer;
use std::time::Duration;

const ACCOUNT: &str = "000000000000";
const OTHER: &str = "111111111111";

async fn root(server: &TestServer) -> Client {
    Client::new(&server.root_config().await)
}

async fn user(server: &TestServer, name: &str, policy: &str) -> Client {
    let (key, secret) = server.user_with_policy(name, policy).await;
    Client::new(&server.sdk_config(&key, &secret).await)
}

fn rtp_source(name: &str) -> SetSourceRequest {
    SetSourceRequest::builder()
        .name(name)
        .protocol(Protocol::Rtp)
        .ingest_port(5000)
        .whitelist_cidr("10.0.0.0/16")
        .build()
}

fn rtp_output(name: &str, port: i32) -> AddOutputRequest {
    AddOutputRequest::builder()
        .name(name)
        .protocol(Protocol::Rtp)
        .destination("198.51.100.5")
        .port(port)
        .build()
}

async fn create_flow(mc: &Client, name: &str) -> String {
    mc.create_flow()
        .name(name)
        .source(rtp_source("src"))
        .send()
        .await
        .expect("create flow")
        .flow
        .unwrap()
        .flow_arn
        .unwrap()
}

/// The flow `arn` as DescribeFlow answers it.
async fn describe(mc: &Client, arn: &str) -> aws_sdk_mediaconnect::types::Flow {
    mc.describe_flow()
        .flow_arn(arn)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
}

async fn status(mc: &Client, arn: &str) -> Status {
    describe(mc, arn).await.status.unwrap()
}

async fn advance(server: &TestServer, seconds: u64) {
    server.advance_clock(seconds).await;
}

#[tokio::test]
async fn a_flow_lives_through_start_stop_and_delete_with_the_waiters() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mc = root(&server).await;
    let arn = create_flow(&mc, "BasketballGame").await;
    assert!(arn.starts_with(&format!("arn:aws:mediaconnect:us-west-2:{ACCOUNT}:flow:1-")));
    assert_eq!(status(&mc, &arn).await, Status::Standby);

    let started = mc.start_flow().flow_arn(&arn).send().await.unwrap();
    assert_eq!(started.status, Some(Status::Starting));
    assert_eq!(status(&mc, &arn).await, Status::Starting);
    let err = mc.delete_flow().flow_arn(&arn).send().await.unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    advance(&server, 5).await;
    let active = mc
        .wait_until_flow_active()
        .flow_arn(&arn)
        .wait(Duration::from_secs(30))
        .await
        .expect("FlowActive");
    let flow = active.into_result().unwrap().flow.unwrap();
    assert_eq!(flow.status, Some(Status::Active));

    // A change to a running flow applies through UPDATING.
    mc.add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("NYC", 5020))
        .send()
        .await
        .unwrap();
    assert_eq!(status(&mc, &arn).await, Status::Updating);
    advance(&server, 5).await;
    assert_eq!(status(&mc, &arn).await, Status::Active);

    let stopped = mc.stop_flow().flow_arn(&arn).send().await.unwrap();
    assert_eq!(stopped.status, Some(Status::Stopping));
    advance(&server, 5).await;
    mc.wait_until_flow_standby()
        .flow_arn(&arn)
        .wait(Duration::from_secs(30))
        .await
        .expect("FlowStandby");

    let deleted = mc.delete_flow().flow_arn(&arn).send().await.unwrap();
    assert_eq!(deleted.status, Some(Status::Deleting));
    assert_eq!(status(&mc, &arn).await, Status::Deleting);
    advance(&server, 5).await;
    mc.wait_until_flow_deleted()
        .flow_arn(&arn)
        .wait(Duration::from_secs(30))
        .await
        .expect("FlowDeleted");
    let err = mc.describe_flow().flow_arn(&arn).send().await.unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));
    assert!(mc
        .list_flows()
        .send()
        .await
        .unwrap()
        .flows
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn outputs_of_several_protocols_and_the_rules_aws_enforces() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let arn = create_flow(&mc, "Outputs").await;
    let out = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("rtp", 5000))
        .outputs(
            AddOutputRequest::builder()
                .name("zixi")
                .protocol(Protocol::ZixiPush)
                .destination("198.51.100.6")
                .port(2088)
                .remote_id("remote")
                .build(),
        )
        .outputs(
            AddOutputRequest::builder()
                .name("srt")
                .protocol(Protocol::SrtListener)
                .port(5001)
                .cidr_allow_list("203.0.113.0/24")
                .build(),
        )
        .outputs(
            AddOutputRequest::builder()
                .name("rist")
                .protocol(Protocol::Rist)
                .destination("198.51.100.7")
                .port(5002)
                .build(),
        )
        .send()
        .await
        .expect("add outputs");
    let outputs = out.outputs.unwrap();
    assert_eq!(outputs.len(), 4);
    let output_arn = outputs[0].output_arn.clone().unwrap();
    // A flow's outputs take its ID.
    let id = arn.split(':').nth(6).unwrap();
    assert!(output_arn.contains(&format!("{ACCOUNT}:output:{id}:")));
    assert!(output_arn.ends_with(":rtp"));
    assert_eq!(
        outputs[2].transport.as_ref().unwrap().protocol,
        Some(Protocol::SrtListener)
    );
    assert!(outputs[2].listener_address.is_some());

    let err = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(
            AddOutputRequest::builder()
                .name("no-destination")
                .protocol(Protocol::RtpFec)
                .port(5003)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    assert_eq!(
        err.message(),
        Some("Destination is required for protocol rtp-fec.")
    );
    let err = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("rtp", 5010))
        .send()
        .await
        .unwrap_err();
    assert!(err.message().unwrap().contains("already exists"));

    let updated = mc
        .update_flow_output()
        .flow_arn(&arn)
        .output_arn(&output_arn)
        .port(5050)
        .send()
        .await
        .unwrap()
        .output
        .unwrap();
    assert_eq!(updated.port, Some(5050));
    assert_eq!(updated.destination.as_deref(), Some("198.51.100.5"));
    mc.remove_flow_output()
        .flow_arn(&arn)
        .output_arn(&output_arn)
        .send()
        .await
        .unwrap();
    let flow = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    assert_eq!(flow.flow.unwrap().outputs.unwrap().len(), 3);

    // The quota: 50 outputs a flow, answered with the operation's own 420 error.
    let mut add = mc.add_flow_outputs().flow_arn(&arn);
    for i in 0..47 {
        add = add.outputs(rtp_output(&format!("q{i}"), 6000 + i));
    }
    add.send().await.expect("up to 50 outputs");
    let err = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("one-too-many", 7000))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AddFlowOutputs420Exception"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(420));

    // The last source stays.
    let flow = describe(&mc, &arn).await;
    let source = flow.source.unwrap().source_arn.unwrap();
    let err = mc
        .remove_flow_source()
        .flow_arn(&arn)
        .source_arn(source)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    let err = mc
        .describe_flow()
        .flow_arn(format!(
            "arn:aws:mediaconnect:us-west-2:{ACCOUNT}:flow:1-nope-nope:x"
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));
}

fn bootstrap_second_account() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "mediamock-mc-bootstrap-{}-{}.toml",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::write(
        &path,
        format!(
            r#"
[[accounts]]
id = "{OTHER}"
root_access_key = "AKIAROOT111111111111"
root_secret_key = "rootsecret"
"#
        ),
    )
    .unwrap();
    path
}

#[tokio::test]
async fn an_entitlement_feeds_a_flow_in_the_subscriber_account() {
    let path = bootstrap_second_account();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(path.clone());
    let server = TestServer::start_with(config).await;
    let owner = root(&server).await;
    let subscriber = Client::new(
        &server
            .sdk_config("AKIAROOT111111111111", "rootsecret")
            .await,
    );
    let origin = create_flow(&owner, "Origin").await;
    let granted = owner
        .grant_flow_entitlements()
        .flow_arn(&origin)
        .entitlements(
            GrantEntitlementRequest::builder()
                .name("AnyCompany_Entitlement")
                .subscribers(OTHER)
                .data_transfer_subscriber_fee_percent(20)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let entitlement = granted.entitlements.unwrap()[0]
        .entitlement_arn
        .clone()
        .unwrap();
    assert!(entitlement.contains(":entitlement:1-"));

    let listed = subscriber.list_entitlements().send().await.unwrap();
    let listed = listed.entitlements.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].entitlement_arn.as_deref(),
        Some(entitlement.as_str())
    );
    assert_eq!(listed[0].data_transfer_subscriber_fee_percent, Some(20));
    assert!(owner
        .list_entitlements()
        .send()
        .await
        .unwrap()
        .entitlements
        .unwrap()
        .is_empty());

    let sub_flow = subscriber
        .create_flow()
        .name("Downstream")
        .source(
            SetSourceRequest::builder()
                .name("from-origin")
                .entitlement_arn(&entitlement)
                .build(),
        )
        .send()
        .await
        .expect("the subscriber uses the entitlement")
        .flow
        .unwrap();
    let src = sub_flow.source.unwrap();
    assert_eq!(src.entitlement_arn.as_deref(), Some(entitlement.as_str()));
    assert_eq!(src.data_transfer_subscriber_fee_percent, Some(20));
    let flows = subscriber.list_flows().send().await.unwrap().flows.unwrap();
    assert_eq!(flows[0].source_type.as_ref().unwrap().as_str(), "ENTITLED");

    // The owner's account cannot use what it did not grant to itself.
    let err = owner
        .create_flow()
        .name("Mine")
        .source(
            SetSourceRequest::builder()
                .name("x")
                .entitlement_arn(&entitlement)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    // The entitlement is no door into the owner's account: MediaConnect has no resource
    // policies, so the owner's flow is out of the subscriber's reach.
    let err = subscriber
        .describe_flow()
        .flow_arn(&origin)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(
        subscriber
            .list_flows()
            .send()
            .await
            .unwrap()
            .flows
            .unwrap()
            .len()
            == 1
    );

    owner
        .revoke_flow_entitlement()
        .flow_arn(&origin)
        .entitlement_arn(&entitlement)
        .send()
        .await
        .unwrap();
    let d = subscriber
        .describe_flow()
        .flow_arn(sub_flow.flow_arn.unwrap())
        .send()
        .await
        .unwrap();
    assert!(d.messages.unwrap().errors.unwrap()[0].contains("revoked"));
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn a_denied_user_gets_the_exact_message_and_tags_decide_access() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let arn = mc
        .create_flow()
        .name("Tagged")
        .source(rtp_source("src"))
        .flow_tags("team", "sports")
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let other = create_flow(&mc, "Untagged").await;

    let reader = user(
        &server,
        "reader",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mediaconnect:DescribeFlow","mediaconnect:ListFlows"],"Resource":"*"}]}"#,
    )
    .await;
    reader.describe_flow().flow_arn(&arn).send().await.unwrap();
    let err = reader
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("o", 5000))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message().unwrap(),
        format!(
            "User: arn:aws:iam::{ACCOUNT}:user/reader is not authorized to perform: mediaconnect:AddFlowOutputs on resource: {arn} because no identity-based policy allows the mediaconnect:AddFlowOutputs action"
        )
    );

    let sports = user(
        &server,
        "sports",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconnect:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"sports"}}}]}"#,
    )
    .await;
    sports
        .start_flow()
        .flow_arn(&arn)
        .send()
        .await
        .expect("tagged flow");
    let err = sports
        .start_flow()
        .flow_arn(&other)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));

    // Creation conditioned on the request's tags.
    let creator = user(
        &server,
        "creator",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconnect:CreateFlow","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"news"}}}]}"#,
    )
    .await;
    let err = creator
        .create_flow()
        .name("x")
        .source(rtp_source("s"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    creator
        .create_flow()
        .name("x")
        .source(rtp_source("s"))
        .flow_tags("team", "news")
        .send()
        .await
        .expect("tagged as the policy demands");

    // An explicit deny wins over the allow.
    let denied = user(
        &server,
        "denied",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconnect:*","Resource":"*"},{"Effect":"Deny","Action":"mediaconnect:DeleteFlow","Resource":"*"}]}"#,
    )
    .await;
    let err = denied
        .delete_flow()
        .flow_arn(&other)
        .send()
        .await
        .unwrap_err();
    assert!(err.message().unwrap().contains("with an explicit deny"));
}

#[tokio::test]
async fn passing_a_role_needs_iam_pass_role_and_a_real_role() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconnect.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = iam
        .create_role()
        .role_name("MediaConnectAccess")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .arn;
    let encrypted = |role: &str| {
        AddOutputRequest::builder()
            .name("enc")
            .protocol(Protocol::ZixiPush)
            .destination("198.51.100.5")
            .port(2088)
            .encryption(
                aws_sdk_mediaconnect::types::Encryption::builder()
                    .role_arn(role)
                    .algorithm(aws_sdk_mediaconnect::types::Algorithm::Aes256)
                    .key_type(aws_sdk_mediaconnect::types::KeyType::StaticKey)
                    .secret_arn(format!(
                        "arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:key"
                    ))
                    .build(),
            )
            .build()
    };
    let mc = root(&server).await;
    let arn = create_flow(&mc, "Encrypted").await;

    let no_pass = user(
        &server,
        "nopass",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconnect:*","Resource":"*"}]}"#,
    )
    .await;
    let err = no_pass
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(encrypted(&role))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(err
        .message()
        .unwrap()
        .contains(&format!("iam:PassRole on resource: {role}")));

    // The console's documented minimum policy is enough.
    let console = user(
        &server,
        "console",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["mediaconnect:*","ec2:DescribeAvailabilityZones","iam:PassRole"],"Resource":"*"}]}"#,
    )
    .await;
    console
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(encrypted(&role))
        .send()
        .await
        .expect("PassRole granted");

    // PassRole only to another service does not do.
    let elsewhere = user(
        &server,
        "elsewhere",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"mediaconnect:*","Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"mediaconvert.amazonaws.com"}}}]}"#,
    )
    .await;
    let err = elsewhere
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(encrypted(&role))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDeniedException"));

    // A role that does not exist is refused even with every permission.
    let ghost = format!("arn:aws:iam::{ACCOUNT}:role/Ghost");
    let err = console
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(encrypted(&ghost))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    assert!(err.message().unwrap().contains("does not exist"));
}

#[tokio::test]
async fn vpc_interfaces_media_streams_tags_and_metadata() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Vpc").await;
    let arn = mc
        .create_flow()
        .name("Monitored")
        .source(rtp_source("src"))
        .source_monitoring_config(
            aws_sdk_mediaconnect::types::MonitoringConfig::builder()
                .thumbnail_state(aws_sdk_mediaconnect::types::ThumbnailState::Enabled)
                .build(),
        )
        .maintenance(
            aws_sdk_mediaconnect::types::AddMaintenance::builder()
                .maintenance_day(aws_sdk_mediaconnect::types::MaintenanceDay::Tuesday)
                .maintenance_start_hour("02:00")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let vpc = mc
        .add_flow_vpc_interfaces()
        .flow_arn(&arn)
        .vpc_interfaces(
            aws_sdk_mediaconnect::types::VpcInterfaceRequest::builder()
                .name("eth0")
                .role_arn(&role)
                .security_group_ids("sg-0123")
                .subnet_id("subnet-0123")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(vpc.vpc_interfaces.unwrap()[0]
        .network_interface_ids
        .as_ref()
        .unwrap()[0]
        .starts_with("eni-"));
    mc.add_flow_media_streams()
        .flow_arn(&arn)
        .media_streams(
            aws_sdk_mediaconnect::types::AddMediaStreamRequest::builder()
                .media_stream_id(1)
                .media_stream_name("audio")
                .media_stream_type(aws_sdk_mediaconnect::types::MediaStreamType::Audio)
                .build(),
        )
        .send()
        .await
        .unwrap();
    mc.tag_resource()
        .resource_arn(&arn)
        .tags("env", "prod")
        .send()
        .await
        .unwrap();
    let tags = mc
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(tags.get("env").map(String::as_str), Some("prod"));
    mc.untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();

    let meta = mc
        .describe_flow_source_metadata()
        .flow_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        meta.messages.unwrap()[0].code.as_deref(),
        Some("FLOW_NOT_RUNNING")
    );
    mc.start_flow().flow_arn(&arn).send().await.unwrap();
    let meta = mc
        .describe_flow_source_metadata()
        .flow_arn(&arn)
        .send()
        .await
        .unwrap();
    let programs = meta.transport_media_info.unwrap().programs.unwrap();
    let streams = programs[0].streams.as_ref().unwrap();
    assert_eq!(streams[0].codec.as_deref(), Some("h264"));
    let thumb = mc
        .describe_flow_source_thumbnail()
        .flow_arn(&arn)
        .send()
        .await
        .unwrap()
        .thumbnail_details
        .unwrap();
    assert!(thumb.thumbnail.unwrap().starts_with("iVBOR"));
    let flow = describe(&mc, &arn).await;
    assert_eq!(
        flow.maintenance.unwrap().maintenance_start_hour.as_deref(),
        Some("02:00")
    );
    assert_eq!(flow.media_streams.unwrap()[0].clock_rate, Some(48000));
}

#[tokio::test]
async fn flows_survive_a_restart_as_they_were() {
    let dir = common::temp_dir("mediamock-mc-restart");
    let config = || {
        let mut c = server::Config::for_tests();
        c.data_dir = Some(dir.clone());
        c.seed = None;
        c
    };
    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    let running = create_flow(&mc, "Running").await;
    let standby = create_flow(&mc, "Standby").await;
    let gone = create_flow(&mc, "Gone").await;
    mc.start_flow().flow_arn(&running).send().await.unwrap();
    mc.add_flow_outputs()
        .flow_arn(&standby)
        .outputs(rtp_output("o", 5000))
        .send()
        .await
        .unwrap();
    mc.tag_resource()
        .resource_arn(&standby)
        .tags("k", "v")
        .send()
        .await
        .unwrap();
    mc.delete_flow().flow_arn(&gone).send().await.unwrap();
    let before = mc.describe_flow().flow_arn(&standby).send().await.unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    assert_eq!(status(&mc, &running).await, Status::Active);
    let after = mc.describe_flow().flow_arn(&standby).send().await.unwrap();
    assert_eq!(after.flow, before.flow);
    let tags = mc
        .list_tags_for_resource()
        .resource_arn(&standby)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(tags.get("k").map(String::as_str), Some("v"));
    let err = mc.describe_flow().flow_arn(&gone).send().await.unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));
    assert_eq!(
        mc.list_flows().send().await.unwrap().flows.unwrap().len(),
        2
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A request the flow's state does not allow is MediaConnect's 400 `BadRequestException`, the
/// only semantic-error shape its model gives StartFlow, StopFlow, DeleteFlow and
/// UpdateFlowSource; the flow is left as it was.
#[tokio::test]
async fn wrong_state_requests_are_bad_requests_that_change_nothing() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mc = root(&server).await;
    let arn = create_flow(&mc, "WrongState").await;
    let source_arn = mc
        .describe_flow()
        .flow_arn(&arn)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .source
        .unwrap()
        .source_arn
        .unwrap();
    fn bad_request<E: ProvideErrorMetadata + std::fmt::Debug>(
        err: aws_sdk_mediaconnect::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
    ) {
        let status = err.raw_response().map(|r| r.status().as_u16());
        assert_eq!(
            (err.code(), status),
            (Some("BadRequestException"), Some(400)),
            "{err:?}"
        );
        assert!(!err.message().unwrap_or_default().is_empty());
    }
    // STANDBY: StopFlow is refused.
    bad_request(mc.stop_flow().flow_arn(&arn).send().await.unwrap_err());
    assert_eq!(status(&mc, &arn).await, Status::Standby);
    // STARTING: a source update, a second start and a delete are refused.
    mc.start_flow().flow_arn(&arn).send().await.unwrap();
    bad_request(
        mc.update_flow_source()
            .flow_arn(&arn)
            .source_arn(&source_arn)
            .description("changed")
            .send()
            .await
            .unwrap_err(),
    );
    bad_request(mc.start_flow().flow_arn(&arn).send().await.unwrap_err());
    bad_request(mc.delete_flow().flow_arn(&arn).send().await.unwrap_err());
    assert_eq!(status(&mc, &arn).await, Status::Starting);
    // ACTIVE: StartFlow and DeleteFlow are refused.
    advance(&server, 5).await;
    assert_eq!(status(&mc, &arn).await, Status::Active);
    bad_request(mc.start_flow().flow_arn(&arn).send().await.unwrap_err());
    bad_request(mc.delete_flow().flow_arn(&arn).send().await.unwrap_err());
    assert_eq!(status(&mc, &arn).await, Status::Active);
}

/// A flow fed by a router and an output to one, as AWS's CDK makes them: no protocol, only
/// the router integration and its transit encryption.
#[tokio::test]
async fn router_integrated_source_and_output_name_no_protocol() {
    use aws_sdk_mediaconnect::types::{
        AutomaticEncryptionKeyConfiguration, FlowTransitEncryption,
        FlowTransitEncryptionKeyConfiguration, FlowTransitEncryptionKeyType, State,
    };
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let transit = FlowTransitEncryption::builder()
        .encryption_key_type(FlowTransitEncryptionKeyType::Automatic)
        .encryption_key_configuration(FlowTransitEncryptionKeyConfiguration::Automatic(
            AutomaticEncryptionKeyConfiguration::builder().build(),
        ))
        .build();
    let flow = mc
        .create_flow()
        .name("from-router")
        .source(
            SetSourceRequest::builder()
                .name("s")
                .router_integration_state(State::Enabled)
                .router_integration_transit_decryption(transit.clone())
                .build(),
        )
        .send()
        .await
        .expect("a router-fed flow")
        .flow
        .unwrap();
    let source = flow.source.unwrap();
    assert_eq!(source.router_integration_state, Some(State::Enabled));
    assert!(source.transport.is_none());
    let added = mc
        .add_flow_outputs()
        .flow_arn(flow.flow_arn.unwrap())
        .outputs(
            AddOutputRequest::builder()
                .name("to-router")
                .router_integration_state(State::Enabled)
                .router_integration_transit_encryption(transit)
                .build(),
        )
        .send()
        .await
        .expect("an output to a router");
    assert_eq!(
        added.outputs()[0].router_integration_state,
        Some(State::Enabled)
    );
}

#[tokio::test]
async fn list_flows_pages_ten_by_default_and_zixi_push_listens_on_2088() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    for i in 0..12 {
        create_flow(&mc, &format!("f{i:02}")).await;
    }
    let first = mc.list_flows().send().await.unwrap();
    assert_eq!(first.flows().len(), 10);
    assert!(first.next_token().is_some());
    let every: Vec<_> = mc
        .list_flows()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(every.len(), 12);
    let zixi = |port: Option<i32>| {
        SetSourceRequest::builder()
            .name("z")
            .protocol(Protocol::ZixiPush)
            .set_ingest_port(port)
            .whitelist_cidr("10.0.0.0/16")
            .build()
    };
    let e = mc
        .create_flow()
        .name("z5000")
        .source(zixi(Some(5000)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"));
    let made = mc
        .create_flow()
        .name("z")
        .source(zixi(None))
        .send()
        .await
        .unwrap();
    assert_eq!(
        made.flow().unwrap().source().unwrap().ingest_port(),
        Some(2088)
    );
    let e = mc
        .create_flow()
        .name("srt")
        .source(
            SetSourceRequest::builder()
                .name("s")
                .protocol(Protocol::SrtListener)
                .ingest_port(2088)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert!(e.message().unwrap().contains("reserved for Zixi"), "{e:?}");
}

/// Asserts MediaConnect's 400 `BadRequestException`.
fn assert_bad_request<E: ProvideErrorMetadata + std::fmt::Debug>(
    err: &aws_sdk_mediaconnect::error::SdkError<E, aws_smithy_runtime_api::http::Response>,
) {
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(
        (err.code(), status),
        (Some("BadRequestException"), Some(400)),
        "{err:?}"
    );
}

/// A flow, source, output or entitlement name ends its ARN, and the model's ARN shapes allow
/// only letters, digits, `-` and `_` there: other names are refused, so every ARN made passes
/// the strict `FlowArn` shape of DescribeFlowSourceMetadata.
#[tokio::test]
async fn names_that_cannot_end_an_arn_are_refused() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let err = mc
        .create_flow()
        .name("my flow")
        .source(rtp_source("src"))
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    assert_eq!(
        err.message(),
        Some("Flow name my flow is not valid. Names can contain only letters, numbers, hyphens (-) and underscores (_).")
    );
    let err = mc
        .create_flow()
        .name("ok")
        .source(rtp_source("s 1"))
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    assert!(mc
        .list_flows()
        .send()
        .await
        .unwrap()
        .flows
        .unwrap()
        .is_empty());

    let arn = create_flow(&mc, "Live_Feed-2").await;
    assert!(arn.ends_with(":Live_Feed-2"));
    mc.describe_flow_source_metadata()
        .flow_arn(&arn)
        .send()
        .await
        .expect("the ARN passes the model's FlowArn shape");
    let err = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(rtp_output("nyc office", 5000))
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let mut backup = rtp_source("backup.2");
    backup.ingest_port = Some(5002);
    let err = mc
        .add_flow_sources()
        .flow_arn(&arn)
        .sources(backup)
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let err = mc
        .grant_flow_entitlements()
        .flow_arn(&arn)
        .entitlements(
            GrantEntitlementRequest::builder()
                .name("for partner")
                .subscribers(OTHER)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let flow = describe(&mc, &arn).await;
    assert_eq!(flow.sources.unwrap_or_default().len(), 1);
    assert!(flow.outputs.unwrap_or_default().is_empty());
    assert!(flow.entitlements.unwrap_or_default().is_empty());
}

/// A media stream's clock rate suits its type (90000 for video and ancillary data, 48000 or
/// 96000 for audio) when it is added and whenever its rate or its type changes.
#[tokio::test]
async fn media_stream_clock_rates_suit_their_type() {
    use aws_sdk_mediaconnect::types::{AddMediaStreamRequest, MediaStreamType};
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let arn = create_flow(&mc, "Streams").await;
    let stream = |id: i32, name: &str, kind: MediaStreamType, rate: Option<i32>| {
        let b = AddMediaStreamRequest::builder()
            .media_stream_id(id)
            .media_stream_name(name)
            .media_stream_type(kind.clone())
            .set_clock_rate(rate);
        let b = if kind == MediaStreamType::Video {
            b.video_format("1080p")
        } else {
            b
        };
        b.build()
    };
    let err = mc
        .add_flow_media_streams()
        .flow_arn(&arn)
        .media_streams(stream(3, "a3", MediaStreamType::Audio, Some(12345)))
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    assert_eq!(
        err.message(),
        Some("ClockRate 12345 is not valid for media stream a3. A media stream of type audio must have a ClockRate of 48000 or 96000.")
    );
    let err = mc
        .create_flow()
        .name("BadRate")
        .source(rtp_source("src"))
        .media_streams(stream(1, "v", MediaStreamType::Video, Some(48000)))
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let added = mc
        .add_flow_media_streams()
        .flow_arn(&arn)
        .media_streams(stream(3, "a3", MediaStreamType::Audio, Some(96000)))
        .media_streams(stream(4, "v", MediaStreamType::Video, None))
        .send()
        .await
        .unwrap()
        .media_streams
        .unwrap();
    assert_eq!(added[0].clock_rate, Some(96000));
    assert_eq!(added[1].clock_rate, Some(90000));
    // Only the rate, only the type, then both.
    let err = mc
        .update_flow_media_stream()
        .flow_arn(&arn)
        .media_stream_name("v")
        .clock_rate(48000)
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let err = mc
        .update_flow_media_stream()
        .flow_arn(&arn)
        .media_stream_name("a3")
        .media_stream_type(MediaStreamType::AncillaryData)
        .send()
        .await
        .unwrap_err();
    assert_bad_request(&err);
    let updated = mc
        .update_flow_media_stream()
        .flow_arn(&arn)
        .media_stream_name("a3")
        .media_stream_type(MediaStreamType::AncillaryData)
        .clock_rate(90000)
        .send()
        .await
        .unwrap()
        .media_stream
        .unwrap();
    assert_eq!(
        (updated.media_stream_type, updated.clock_rate),
        (Some(MediaStreamType::AncillaryData), Some(90000))
    );
    let flow = describe(&mc, &arn).await;
    let names: Vec<_> = mc
        .list_flows()
        .send()
        .await
        .unwrap()
        .flows
        .unwrap()
        .into_iter()
        .filter_map(|f| f.name)
        .collect();
    assert_eq!(names, ["Streams"]);
    let video = flow
        .media_streams
        .unwrap()
        .into_iter()
        .find(|m| m.media_stream_name.as_deref() == Some("v"))
        .unwrap();
    assert_eq!(video.clock_rate, Some(90000));
}

/// A SPEKE entitlement's constant initialization vector is "a 128-bit, 16-byte hex value
/// represented by a 32-character string" (the model's ConstantInitializationVector); a grant
/// or update with any other text is refused, and a refused update keeps the stored vector.
#[tokio::test]
async fn a_speke_entitlement_takes_only_a_32_hex_character_constant_iv() {
    use aws_sdk_mediaconnect::types::{Algorithm, Encryption, KeyType, UpdateEncryption};
    let server = TestServer::start().await;
    let role = mediaconnect_role(&server, "SpekeAccess").await;
    let mc = root(&server).await;
    let arn = create_flow(&mc, "MovieNight").await;
    let speke = |iv: &str| {
        Encryption::builder()
            .key_type(KeyType::Speke)
            .algorithm(Algorithm::Aes128)
            .role_arn(&role)
            .resource_id("MovieNight20171126093045")
            .device_id("device-1")
            .region("us-west-2")
            .url(
                "https://1wm2dx1f33.execute-api.us-west-2.amazonaws.com/SpekeSample/copyProtection",
            )
            .constant_initialization_vector(iv)
            .build()
    };
    let grant = |name: &str, iv: &str| {
        mc.grant_flow_entitlements().flow_arn(&arn).entitlements(
            GrantEntitlementRequest::builder()
                .name(name)
                .subscribers(OTHER)
                .encryption(speke(iv))
                .build(),
        )
    };
    let err = grant("short", "0123456789abcdef").send().await.unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("Encryption ConstantInitializationVector 0123456789abcdef is not valid. Specify a 128-bit, 16-byte hex value represented by a 32-character string.")
    );
    let iv = "00112233445566778899aabbccddeeff";
    let granted = grant("ok", iv)
        .send()
        .await
        .expect("a 32-hex-character vector");
    let entitlement = granted.entitlements()[0]
        .entitlement_arn()
        .unwrap()
        .to_string();
    let err = mc
        .update_flow_entitlement()
        .flow_arn(&arn)
        .entitlement_arn(&entitlement)
        .encryption(
            UpdateEncryption::builder()
                .constant_initialization_vector("not-hex-not-hex-not-hex-not-hex!")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    let flow = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let kept = flow.flow().unwrap().entitlements()[0]
        .encryption()
        .unwrap()
        .constant_initialization_vector();
    assert_eq!(kept, Some(iv));
}

/// The tags a create request carries keep the limits TagResource keeps (TagResourceRequest:
/// "Tag keys can have a maximum character length of 128 characters, and tag values can have a
/// maximum length of 256 characters"; `aws:` is AWS's): a flow's FlowTags and an output's
/// OutputTags beyond them are refused, and nothing is stored. They were kept as given.
#[tokio::test]
async fn tags_given_with_a_flow_or_an_output_keep_the_tag_limits() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let err = mc
        .create_flow()
        .name("Tagged")
        .source(rtp_source("src"))
        .flow_tags("aws:team", "video")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert!(mc.list_flows().send().await.unwrap().flows().is_empty());
    let arn = create_flow(&mc, "Tagged").await;
    let err = mc
        .add_flow_outputs()
        .flow_arn(&arn)
        .outputs(
            AddOutputRequest::builder()
                .name("out")
                .protocol(Protocol::Rtp)
                .destination("198.51.100.5")
                .port(5001)
                .output_tags("k".repeat(129), "v")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    let flow = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    assert!(flow.flow().unwrap().outputs().is_empty());
    mc.add_flow_outputs()
        .flow_arn(&arn)
        .outputs(
            AddOutputRequest::builder()
                .name("out")
                .protocol(Protocol::Rtp)
                .destination("198.51.100.5")
                .port(5001)
                .output_tags("k".repeat(128), "v".repeat(256))
                .build(),
        )
        .send()
        .await
        .expect("tags within the limits");
}
