//! MediaConnect's other resource families end to end with `aws-sdk-mediaconnect`: a round
//! trip each for gateways and their instances, bridges, offerings and reservations, router
//! network interfaces, inputs and outputs with global-resource tags, and source and
//! destination endpoints with the connection waiters.

use crate::common;

use crate::mediaconnect_support::{mediaconnect_role, video_source, video_stream};
use aws_sdk_mediaconnect::client::Waiters;
use aws_sdk_mediaconnect::error::ProvideErrorMetadata;
use aws_sdk_mediaconnect::types as t;
use aws_sdk_mediaconnect::Client;
use common::TestServer;
use serde_json::json;
use std::time::Duration;

async fn root(server: &TestServer) -> Client {
    Client::new(&server.root_config().await)
}

#[tokio::test]
async fn gateways_instances_and_bridges() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gw = site_gateway(&mc).await;
    let gw_arn = gw.gateway_arn.unwrap();
    assert_eq!(gw.gateway_state, Some(t::GatewayState::Active));

    let (code, reg) = server
        .admin(
            "POST",
            "/_mediamock/mediaconnect/gateway-instances",
            json!({"GatewayArn": gw_arn, "region": common::REGION}),
            common::ROOT_KEY,
            common::ROOT_SECRET,
        )
        .await;
    assert_eq!(code, 200, "{reg}");
    let instance = reg["GatewayInstanceArn"].as_str().unwrap().to_string();

    let bridge_arn = ingress_bridge(&mc, &gw_arn, "ingress").await;
    assert!(bridge_arn.contains(":bridge:1-"));
    mc.update_bridge_state()
        .bridge_arn(&bridge_arn)
        .desired_state(t::DesiredState::Active)
        .send()
        .await
        .unwrap();
    let d = mc
        .describe_bridge()
        .bridge_arn(&bridge_arn)
        .send()
        .await
        .unwrap();
    let b = d.bridge.unwrap();
    assert_eq!(b.bridge_state, Some(t::BridgeState::Active));
    assert!(b.ingress_gateway_bridge.unwrap().instance_id.is_some());
    let i = mc
        .describe_gateway_instance()
        .gateway_instance_arn(&instance)
        .send()
        .await
        .unwrap()
        .gateway_instance
        .unwrap();
    assert_eq!(i.running_bridge_count, Some(1));
    let err = mc
        .delete_bridge()
        .bridge_arn(&bridge_arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    let listed = mc.list_bridges().filter_arn(&gw_arn).send().await.unwrap();
    assert_eq!(listed.bridges.unwrap().len(), 1);
    mc.update_bridge_state()
        .bridge_arn(&bridge_arn)
        .desired_state(t::DesiredState::Standby)
        .send()
        .await
        .unwrap();
    mc.delete_bridge()
        .bridge_arn(&bridge_arn)
        .send()
        .await
        .unwrap();
    let instances = mc.list_gateway_instances().send().await.unwrap();
    assert_eq!(instances.instances.unwrap().len(), 1);
    mc.deregister_gateway_instance()
        .gateway_instance_arn(&instance)
        .send()
        .await
        .unwrap();
    mc.delete_gateway()
        .gateway_arn(&gw_arn)
        .send()
        .await
        .unwrap();
    assert!(mc
        .list_gateways()
        .send()
        .await
        .unwrap()
        .gateways
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn offerings_and_reservations() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let offerings = mc.list_offerings().send().await.unwrap().offerings.unwrap();
    assert_eq!(offerings.len(), 3);
    let arn = offerings[0].offering_arn.clone().unwrap();
    let o = mc
        .describe_offering()
        .offering_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        o.offering.unwrap().duration_units,
        Some(t::DurationUnits::Months)
    );
    // A reservation starts between the first of the current month and now.
    let now = aws_sdk_mediaconnect::primitives::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_sdk_mediaconnect::primitives::DateTimeFormat::DateTime)
        .unwrap();
    let start = format!("{}01T00:00:00Z", &now[..8]);
    let year: i32 = now[..4].parse().unwrap();
    let end = format!("{}{}", year + 1, &start[4..]);
    let r = mc
        .purchase_offering()
        .offering_arn(&arn)
        .reservation_name("year")
        .start(&start)
        .send()
        .await
        .unwrap()
        .reservation
        .unwrap();
    assert_eq!(r.end.as_deref(), Some(end.as_str()));
    let again = mc
        .describe_reservation()
        .reservation_arn(r.reservation_arn.clone().unwrap())
        .send()
        .await
        .unwrap()
        .reservation
        .unwrap();
    assert_eq!(again, r);
    assert_eq!(
        mc.list_reservations()
            .send()
            .await
            .unwrap()
            .reservations
            .unwrap()
            .len(),
        1
    );
    let err = mc
        .purchase_offering()
        .offering_arn(&arn)
        .reservation_name("bad")
        .start("soon")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"));
    // "If you have an active reservation … your account isn't eligible for other offerings."
    let offered = mc.list_offerings().send().await.unwrap();
    assert!(offered.offerings().is_empty());
    let second = mc
        .purchase_offering()
        .offering_arn(&arn)
        .reservation_name("second")
        .start(&start)
        .send()
        .await
        .unwrap_err();
    assert_eq!(second.code(), Some("BadRequestException"));
}

#[tokio::test]
async fn router_resources_routing_and_global_tags() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let ni = mc
        .create_router_network_interface()
        .name("public")
        .configuration(t::RouterNetworkInterfaceConfiguration::Public(
            t::PublicRouterNetworkInterfaceConfiguration::builder()
                .allow_rules(
                    t::PublicRouterNetworkInterfaceRule::builder()
                        .cidr("0.0.0.0/0")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        ))
        .tags("env", "test")
        .send()
        .await
        .expect("create network interface")
        .router_network_interface
        .unwrap();
    let ni_arn = ni.arn;
    let input = mc
        .create_router_input()
        .name("in")
        .configuration(t::RouterInputConfiguration::Standard(
            t::StandardRouterInputConfiguration::builder()
                .network_interface_arn(&ni_arn)
                .protocol_configuration(t::RouterInputProtocolConfiguration::Rtp(
                    t::RtpRouterInputConfiguration::builder()
                        .port(5000)
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap(),
        ))
        .maximum_bitrate(10_000_000)
        .routing_scope(t::RoutingScope::Regional)
        .tier(t::RouterInputTier::Input20)
        .send()
        .await
        .expect("create router input")
        .router_input
        .unwrap();
    assert_eq!(input.input_type, t::RouterInputType::Standard);
    let output = mc
        .create_router_output()
        .name("out")
        .configuration(t::RouterOutputConfiguration::Standard(
            t::StandardRouterOutputConfiguration::builder()
                .network_interface_arn(&ni_arn)
                .protocol_configuration(t::RouterOutputProtocolConfiguration::Rtp(
                    t::RtpRouterOutputConfiguration::builder()
                        .destination_address("198.51.100.1")
                        .destination_port(5000)
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap(),
        ))
        .maximum_bitrate(10_000_000)
        .routing_scope(t::RoutingScope::Regional)
        .tier(t::RouterOutputTier::Output20)
        .send()
        .await
        .expect("create router output")
        .router_output
        .unwrap();
    let taken = mc
        .take_router_input()
        .router_output_arn(&output.arn)
        .router_input_arn(&input.arn)
        .send()
        .await
        .unwrap();
    assert_eq!(taken.routed_state, t::RouterOutputRoutedState::Routed);
    mc.wait_until_output_routed()
        .arn(&output.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("OutputRouted");
    mc.start_router_input()
        .arn(&input.arn)
        .send()
        .await
        .unwrap();
    mc.wait_until_input_active()
        .arn(&input.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("InputActive");
    let meta = mc
        .get_router_input_source_metadata()
        .arn(&input.arn)
        .send()
        .await
        .unwrap();
    assert!(meta
        .source_metadata_details
        .unwrap()
        .router_input_metadata
        .is_some());
    let got = mc
        .batch_get_router_input()
        .arns(&input.arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.router_inputs.len(), 1);
    let listed = mc.list_router_outputs().send().await.unwrap();
    assert_eq!(
        listed.router_outputs[0].routed_input_arn.as_deref(),
        Some(input.arn.as_str())
    );

    mc.tag_global_resource()
        .resource_arn(&ni_arn)
        .tags("team", "a")
        .send()
        .await
        .unwrap();
    mc.untag_global_resource()
        .resource_arn(&ni_arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    let tags = mc
        .list_tags_for_global_resource()
        .resource_arn(&ni_arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags.get("team").map(String::as_str), Some("a"));

    let err = mc
        .delete_router_input()
        .arn(&input.arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    mc.stop_router_input().arn(&input.arn).send().await.unwrap();
    mc.take_router_input()
        .router_output_arn(&output.arn)
        .send()
        .await
        .unwrap();
    mc.delete_router_input()
        .arn(&input.arn)
        .send()
        .await
        .unwrap();
    mc.wait_until_input_deleted()
        .arn(&input.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("InputDeleted");
    mc.delete_router_output()
        .arn(&output.arn)
        .send()
        .await
        .unwrap();
    mc.delete_router_network_interface()
        .arn(&ni_arn)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn endpoints_register_connect_and_disconnect() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let source = mc
        .register_source_endpoint()
        .description("camera")
        .configuration(t::SourceEndpointConfiguration::Standard(
            t::StandardSourceEndpointConfiguration::builder()
                .name("camera")
                .source_networking_configuration(
                    t::StandardSourceEndpointNetworkingConfiguration::Public(
                        t::PublicSourceEndpointNetworkingConfiguration::builder()
                            .source_allow_rules(
                                t::PublicSourceEndpointNetworkingConfigurationAllowRule::builder()
                                    .cidr("203.0.113.0/24")
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    ),
                )
                .protocol_configuration(t::StandardSourceEndpointProtocolConfiguration::Rtp(
                    t::RtpStandardSourceEndpointConfiguration::builder()
                        .destination_ingest_port(5000)
                        .forward_error_correction_state(t::ForwardErrorCorrectionState::Disabled)
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .expect("register source endpoint")
        .source_endpoint
        .unwrap();
    mc.wait_until_source_endpoint_registered()
        .arn(&source.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("SourceEndpointRegistered");
    let destination = mc
        .register_destination_endpoint()
        .configuration(t::DestinationEndpointConfiguration::Standard(
            t::StandardDestinationEndpointConfiguration::builder()
                .name("studio")
                .destination_networking_configuration(
                    t::StandardDestinationEndpointNetworkingConfiguration::Public(
                        t::PublicDestinationEndpointNetworkingConfiguration::builder()
                            .destination_allow_rules(
                                t::PublicDestinationEndpointNetworkingConfigurationAllowRule::builder()
                                    .cidr("198.51.100.0/24")
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                            .unwrap(),
                    ),
                )
                .protocol_configuration(t::StandardDestinationEndpointProtocolConfiguration::Rtp(
                    t::RtpStandardDestinationEndpointConfiguration::builder()
                        .destination_address("198.51.100.7")
                        .destination_ingest_port(5000)
                        .forward_error_correction_state(t::ForwardErrorCorrectionState::Disabled)
                        .build()
                        .unwrap(),
                ))
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .expect("register destination endpoint")
        .destination_endpoint
        .unwrap();
    let c = mc
        .connect_endpoints()
        .destination_endpoint_arn(&destination.arn)
        .source_endpoint_arn(&source.arn)
        .send()
        .await
        .unwrap();
    assert_eq!(c.source_endpoint_name, "camera");
    mc.wait_until_destination_endpoint_connected()
        .arn(&destination.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("DestinationEndpointConnected");
    let err = mc
        .deregister_source_endpoint()
        .arn(&source.arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"));
    let listed = mc.list_source_endpoints().send().await.unwrap();
    assert_eq!(listed.source_endpoints[0].connected_destination_count, 1);
    mc.disconnect_endpoints()
        .destination_endpoint_arn(&destination.arn)
        .source_endpoint_arn(&source.arn)
        .send()
        .await
        .unwrap();
    mc.wait_until_source_endpoint_disconnected()
        .arn(&source.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("SourceEndpointDisconnected");
    mc.deregister_source_endpoint()
        .arn(&source.arn)
        .send()
        .await
        .unwrap();
    mc.wait_until_source_endpoint_deregistered()
        .arn(&source.arn)
        .wait(Duration::from_secs(10))
        .await
        .expect("SourceEndpointDeregistered");
    let got = mc
        .batch_get_destination_endpoint()
        .arns(&destination.arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.destination_endpoints.len(), 1);
}

/// The API Reference's `NdiConfig`: without a custom `MachineName`, MediaConnect generates a
/// 12-character one (AWS's NDI contribution sample reads it as `FlowNdiMachineName`).
#[tokio::test]
async fn an_ndi_flow_answers_its_generated_machine_name() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let source = t::SetSourceRequest::builder()
        .name("in")
        .protocol(t::Protocol::SrtListener)
        .ingest_port(5000)
        .whitelist_cidr("10.0.0.0/16")
        .build();
    let ndi = t::NdiConfig::builder()
        .ndi_state(t::NdiState::Enabled)
        .build();
    let flow = mc
        .create_flow()
        .name("ndi")
        .flow_size(t::FlowSize::Large)
        .source(source)
        .ndi_config(ndi)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let name = flow.ndi_config().and_then(|c| c.machine_name()).unwrap();
    assert_eq!(name.len(), 12, "{name}");
    let described = mc
        .describe_flow()
        .flow_arn(flow.flow_arn().unwrap())
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    assert_eq!(
        described.ndi_config().and_then(|c| c.machine_name()),
        Some(name)
    );
}

/// Creates gateway `site` with network `lan` (10.0.0.0/16).
async fn site_gateway(mc: &Client) -> t::Gateway {
    mc.create_gateway()
        .name("site")
        .egress_cidr_blocks("203.0.113.0/24")
        .networks(
            t::GatewayNetwork::builder()
                .name("lan")
                .cidr_block("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .expect("create gateway")
        .gateway
        .unwrap()
}

/// A gateway and one instance registered through the admin endpoint: (gateway ARN, instance ARN).
async fn gateway_with_instance(server: &TestServer, mc: &Client) -> (String, String) {
    let gw = site_gateway(mc).await.gateway_arn.unwrap();
    let (code, reg) = server
        .admin(
            "POST",
            "/_mediamock/mediaconnect/gateway-instances",
            json!({"GatewayArn": gw, "region": common::REGION}),
            common::ROOT_KEY,
            common::ROOT_SECRET,
        )
        .await;
    assert_eq!(code, 200, "{reg}");
    (gw, reg["GatewayInstanceArn"].as_str().unwrap().to_string())
}

/// The instance's state as DescribeGatewayInstance and ListGatewayInstances show it, or the
/// describe's error code.
async fn instance_state(
    mc: &Client,
    arn: &str,
) -> Result<(t::InstanceState, Vec<t::InstanceState>), String> {
    let described = mc
        .describe_gateway_instance()
        .gateway_instance_arn(arn)
        .send()
        .await
        .map_err(|e| e.code().unwrap_or_default().to_string())?;
    let listed = mc
        .list_gateway_instances()
        .send()
        .await
        .unwrap()
        .instances
        .unwrap()
        .into_iter()
        .filter_map(|i| i.instance_state)
        .collect();
    Ok((
        described.gateway_instance.unwrap().instance_state.unwrap(),
        listed,
    ))
}

/// DeregisterGatewayInstance answers DEREGISTERING, and the instance shows it (described and
/// listed, refusing changes, keeping its gateway) until the clock completes the
/// deregistration, across a restart too; then it is gone.
#[tokio::test]
async fn a_deregistering_instance_is_seen_until_the_clock_completes_it() {
    let dir = common::temp_dir("mediamock-mc-deregister");
    let config = || {
        let mut c = server::Config::for_tests();
        c.transitions = server::Transitions::Manual;
        c.data_dir = Some(dir.clone());
        c.seed = None;
        c
    };
    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    let (gw, instance) = gateway_with_instance(&server, &mc).await;
    let out = mc
        .deregister_gateway_instance()
        .gateway_instance_arn(&instance)
        .send()
        .await
        .unwrap();
    assert_eq!(out.instance_state, Some(t::InstanceState::Deregistering));
    let deregistering = Ok((
        t::InstanceState::Deregistering,
        vec![t::InstanceState::Deregistering],
    ));
    assert_eq!(instance_state(&mc, &instance).await, deregistering);
    let err = mc
        .update_gateway_instance()
        .gateway_instance_arn(&instance)
        .bridge_placement(t::BridgePlacement::Locked)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"), "{err:?}");
    let err = mc
        .deregister_gateway_instance()
        .gateway_instance_arn(&instance)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"), "{err:?}");
    let err = mc
        .delete_gateway()
        .gateway_arn(&gw)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ConflictException"), "{err:?}");
    server.stop().await;

    // A restart finds it still deregistering, on the clock where it was.
    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    assert_eq!(instance_state(&mc, &instance).await, deregistering);
    server.advance_clock(5).await;
    assert_eq!(
        instance_state(&mc, &instance).await,
        Err("NotFoundException".to_string())
    );
    assert!(mc
        .list_gateway_instances()
        .send()
        .await
        .unwrap()
        .instances
        .unwrap()
        .is_empty());
    mc.delete_gateway().gateway_arn(&gw).send().await.unwrap();
    server.stop().await;

    // And it stays gone.
    let server = TestServer::start_with(config()).await;
    let mc = root(&server).await;
    assert_eq!(
        instance_state(&mc, &instance).await,
        Err("NotFoundException".to_string())
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A flow fed by an ingress bridge `bridge` through its VPC interface eth0 (it also has eth1);
/// the flow.
async fn bridge_fed_flow(server: &TestServer, mc: &Client, bridge: &str) -> t::Flow {
    let role = mediaconnect_role(server, "BridgeFed").await;
    let vpc = |name: &str| {
        t::VpcInterfaceRequest::builder()
            .name(name)
            .role_arn(&role)
            .security_group_ids("sg-0123")
            .subnet_id("subnet-0123")
            .build()
    };
    mc.create_flow()
        .name("fed")
        .vpc_interfaces(vpc("eth0"))
        .vpc_interfaces(vpc("eth1"))
        .source(
            t::SetSourceRequest::builder()
                .name("from-site")
                .gateway_bridge_source(
                    t::SetGatewayBridgeSourceRequest::builder()
                        .bridge_arn(bridge)
                        .vpc_interface_attachment(
                            t::VpcInterfaceAttachment::builder()
                                .vpc_interface_name("eth0")
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create a flow fed by the bridge")
        .flow
        .unwrap()
}

/// An ingress bridge `name` on `gw` with one RTP network source; its ARN.
async fn ingress_bridge(mc: &Client, gw: &str, name: &str) -> String {
    mc.create_bridge()
        .name(name)
        .placement_arn(gw)
        .ingress_gateway_bridge(
            t::AddIngressGatewayBridgeRequest::builder()
                .max_bitrate(10_000_000)
                .max_outputs(2)
                .build(),
        )
        .sources(
            t::AddBridgeSourceRequest::builder()
                .network_source(
                    t::AddBridgeNetworkSourceRequest::builder()
                        .name("camera")
                        .multicast_ip("224.0.0.1")
                        .network_name("lan")
                        .port(5000)
                        .protocol(t::Protocol::Rtp)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create an ingress bridge")
        .bridge
        .unwrap()
        .bridge_arn
        .unwrap()
}

/// The model's RemoveFlowVpcInterface: "This request can be made only on a VPC interface that
/// does not have a Source or Output associated with it." A source a bridge feeds through the
/// interface is one: the interface stays (it was removed, leaving the source attached to an
/// interface the flow no longer had).
#[tokio::test]
async fn a_vpc_interface_a_bridge_source_is_attached_to_cannot_be_removed() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let (gw, _) = gateway_with_instance(&server, &mc).await;
    let bridge = ingress_bridge(&mc, &gw, "site-in").await;
    let flow = bridge_fed_flow(&server, &mc, &bridge).await;
    let arn = flow.flow_arn.unwrap();
    let err = mc
        .remove_flow_vpc_interface()
        .flow_arn(&arn)
        .vpc_interface_name("eth0")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("VPC interface eth0 is in use by source from-site. Remove it from there first.")
    );
    let described = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let names: Vec<_> = described
        .flow()
        .unwrap()
        .vpc_interfaces()
        .iter()
        .filter_map(|v| v.name())
        .collect();
    assert_eq!(names, ["eth0", "eth1"]);
    mc.remove_flow_vpc_interface()
        .flow_arn(&arn)
        .vpc_interface_name("eth1")
        .send()
        .await
        .expect("an interface nothing uses goes");
}

/// UpdateGatewayBridgeSourceRequest requires neither member (SetGatewayBridgeSourceRequest
/// requires BridgeArn): an UpdateFlowSource that moves a bridge source to another VPC
/// interface keeps its bridge, and one that names another bridge keeps its interface. The
/// first was refused ("BridgeArn  is not an ingress bridge").
#[tokio::test]
async fn a_bridge_source_update_keeps_the_members_it_leaves_out() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let (gw, _) = gateway_with_instance(&server, &mc).await;
    let first = ingress_bridge(&mc, &gw, "site-a").await;
    let second = ingress_bridge(&mc, &gw, "site-b").await;
    let flow = bridge_fed_flow(&server, &mc, &first).await;
    let arn = flow.flow_arn.unwrap();
    let source = flow.source.unwrap().source_arn.unwrap();
    let attachment = |name: &str| {
        t::VpcInterfaceAttachment::builder()
            .vpc_interface_name(name)
            .build()
    };
    let moved = mc
        .update_flow_source()
        .flow_arn(&arn)
        .source_arn(&source)
        .gateway_bridge_source(
            t::UpdateGatewayBridgeSourceRequest::builder()
                .vpc_interface_attachment(attachment("eth1"))
                .build(),
        )
        .send()
        .await
        .expect("move the bridge source to eth1")
        .source
        .unwrap()
        .gateway_bridge_source
        .unwrap();
    assert_eq!(moved.bridge_arn(), Some(first.as_str()));
    assert_eq!(moved.vpc_interface_attachment(), Some(&attachment("eth1")));
    let rebridged = mc
        .update_flow_source()
        .flow_arn(&arn)
        .source_arn(&source)
        .gateway_bridge_source(
            t::UpdateGatewayBridgeSourceRequest::builder()
                .bridge_arn(&second)
                .build(),
        )
        .send()
        .await
        .expect("feed the source from the second bridge")
        .source
        .unwrap()
        .gateway_bridge_source
        .unwrap();
    assert_eq!(rebridged.bridge_arn(), Some(second.as_str()));
    assert_eq!(
        rebridged.vpc_interface_attachment(),
        Some(&attachment("eth1"))
    );
    let described = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let kept = described
        .flow
        .unwrap()
        .source
        .unwrap()
        .gateway_bridge_source
        .unwrap();
    assert_eq!(kept, rebridged);
}

/// DescribeFlowSourceMetadata of a running flow with an NDI source answers the model's
/// `NdiSourceMetadataInfo`: the connected sender as ActiveSource and among the
/// DiscoveredSources, Messages, and streams with their required StreamId and the `speed-hq`
/// codec ("For NDI sources, use speed-hq"). It answered an ActiveViewer the shape does not
/// have, an internal error in debug builds, without the required members.
#[tokio::test]
async fn a_running_ndi_source_answers_its_ndi_metadata() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("ndi-in")
        .flow_size(t::FlowSize::Large)
        .ndi_config(
            t::NdiConfig::builder()
                .ndi_state(t::NdiState::Enabled)
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("cam")
                .protocol(t::Protocol::NdiSpeedHq)
                .ndi_source_settings(
                    t::NdiSourceSettings::builder()
                        .source_name("STUDIO (CAM 1)")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create an NDI flow")
        .flow
        .unwrap();
    let arn = flow.flow_arn.unwrap();
    mc.start_flow().flow_arn(&arn).send().await.unwrap();
    let metadata = mc
        .describe_flow_source_metadata()
        .flow_arn(&arn)
        .send()
        .await
        .expect("the NDI source's metadata");
    assert!(metadata.transport_media_info.is_none());
    let ndi = metadata.ndi_info.unwrap();
    let sender = t::NdiSourceInfo::builder()
        .source_name("STUDIO (CAM 1)")
        .build();
    assert_eq!(ndi.active_source(), Some(&sender));
    assert_eq!(ndi.discovered_sources(), [sender]);
    assert!(ndi.messages().is_empty());
    let streams = ndi.media_info().unwrap().streams();
    let video = &streams[0];
    assert_eq!(
        (video.stream_type(), video.codec(), video.stream_id()),
        (Some("Video"), Some("speed-hq"), Some(0))
    );
    assert_eq!(
        (streams[1].stream_type(), streams[1].stream_id()),
        (Some("Audio"), Some(1))
    );
}

/// DescribeFlowSourceMetadata of a running flow with an RTMP push source answers RtmpInfo
/// (the model: "The RTMP (Real-Time Messaging Protocol) specific information about the
/// flow's source. This includes the application name, the stream name, and the associated
/// audio and video streams"), not a transport stream's programs. The SDK for Rust this
/// workspace pins has no RTMP flow sources, so the flow is made and read with signed REST
/// requests, and started with the SDK.
#[tokio::test]
async fn a_running_rtmp_source_answers_its_rtmp_metadata() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let rest = |method: &'static str, path: String, body: String| {
        let server = &server;
        async move {
            let r = server
                .signed(
                    method,
                    &path,
                    &[("content-type", "application/json")],
                    body.as_bytes(),
                    "mediaconnect",
                    common::ROOT_KEY,
                    common::ROOT_SECRET,
                    std::time::SystemTime::now(),
                )
                .await;
            assert!(r.status < 300, "{method} {path}: {} {}", r.status, r.text());
            r.json()
        }
    };
    let created = rest(
        "POST",
        "/v1/flows".into(),
        json!({"name": "rtmp-in", "source": {"name": "encoder", "protocol": "rtmp-push",
            "whitelistCidr": "10.0.0.0/16", "rtmpPushSettings": {"namingConfiguration":
                {"manual": {"applicationName": "app", "streamName": "cam1"}}}}})
        .to_string(),
    )
    .await;
    let arn = created["flow"]["flowArn"].as_str().unwrap().to_string();
    mc.start_flow().flow_arn(&arn).send().await.unwrap();
    let encoded: String = arn
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let metadata = rest(
        "GET",
        format!("/v1/flows/{encoded}/source-metadata"),
        String::new(),
    )
    .await;
    assert!(metadata.get("transportMediaInfo").is_none(), "{metadata}");
    let rtmp = &metadata["rtmpInfo"];
    assert_eq!(rtmp["applicationName"], "app");
    assert_eq!(rtmp["streamName"], "cam1");
    let streams: Vec<_> = rtmp["mediaInfo"]["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["streamId"].as_i64(), s["streamType"].as_str()))
        .collect();
    assert_eq!(
        streams,
        [(Some(0), Some("VIDEO")), (Some(1), Some("AUDIO"))]
    );
}

/// An NDI source's sender name: "If included, the format of this name must be MACHINENAME
/// (ProgramName)" (the model's NdiSourceSettings.SourceName); another name is refused.
#[tokio::test]
async fn an_ndi_source_sender_is_named_machinename_programname() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let create = |sender: &str| {
        mc.create_flow()
            .name("ndi-named")
            .flow_size(t::FlowSize::Large)
            .ndi_config(
                t::NdiConfig::builder()
                    .ndi_state(t::NdiState::Enabled)
                    .build(),
            )
            .source(
                t::SetSourceRequest::builder()
                    .name("cam")
                    .protocol(t::Protocol::NdiSpeedHq)
                    .ndi_source_settings(
                        t::NdiSourceSettings::builder().source_name(sender).build(),
                    )
                    .build(),
            )
            .send()
    };
    let err = create("STUDIO-PC").await.unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("NdiSourceSettings SourceName STUDIO-PC is not valid. Use the format MACHINENAME (ProgramName).")
    );
    assert!(mc.list_flows().send().await.unwrap().flows().is_empty());
    let flow = create("STUDIO-PC (Camera 1)")
        .await
        .expect("a MACHINENAME (ProgramName) sender")
        .flow
        .unwrap();
    let settings = flow
        .source()
        .unwrap()
        .transport()
        .unwrap()
        .ndi_source_settings();
    assert_eq!(
        settings.and_then(|s| s.source_name()),
        Some("STUDIO-PC (Camera 1)")
    );
}

/// A VPC source receives only inside the VPC, so it names no WhitelistCidr: the User Guide's
/// "Creating a transport stream flow that uses a VPC source" asks for the port and the VPC
/// interface of a RIST, RTP, RTP-FEC or SRT listener source, and no Whitelist CIDR, which its
/// standard-source steps ask for. The flow was refused ("WhitelistCidr is required").
#[tokio::test]
async fn a_vpc_source_is_made_without_a_whitelist_cidr() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "VpcSource").await;
    let flow = mc
        .create_flow()
        .name("private-in")
        .vpc_interfaces(
            t::VpcInterfaceRequest::builder()
                .name("eth0")
                .role_arn(&role)
                .security_group_ids("sg-0123")
                .subnet_id("subnet-0123")
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("encoder")
                .protocol(t::Protocol::SrtListener)
                .ingest_port(5000)
                .vpc_interface_name("eth0")
                .build(),
        )
        .send()
        .await
        .expect("a VPC source without a whitelist")
        .flow
        .unwrap();
    let source = flow.source().unwrap();
    assert_eq!(source.whitelist_cidr(), None);
    assert_eq!(source.vpc_interface_name(), Some("eth0"));
    let err = mc
        .add_flow_sources()
        .flow_arn(flow.flow_arn().unwrap())
        .sources(
            t::SetSourceRequest::builder()
                .name("public")
                .protocol(t::Protocol::SrtListener)
                .ingest_port(5002)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("WhitelistCidr is required for protocol srt-listener.")
    );
}

/// A CDI flow sends only CDI and ST 2110 JPEG XS outputs, even to a VPC (the User Guide's
/// "Adding VPC outputs to a flow": "For transport stream flows, the protocol options are:
/// RTP, RTP-FEC, RIST, SRT, and Zixi. For CDI flows, the protocol options are: CDI and ST
/// 2110 JPEG XS."); an RTP output on a VPC interface was added to one.
#[tokio::test]
async fn a_cdi_flow_refuses_a_transport_stream_output_on_its_vpc() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "CdiFlow").await;
    let vpc = |name: &str, kind: t::NetworkInterfaceType| {
        t::VpcInterfaceRequest::builder()
            .name(name)
            .network_interface_type(kind)
            .role_arn(&role)
            .security_group_ids("sg-0123")
            .subnet_id("subnet-0123")
            .build()
    };
    let flow = mc
        .create_flow()
        .name("cdi")
        .vpc_interfaces(vpc("efa0", t::NetworkInterfaceType::Efa))
        .vpc_interfaces(vpc("ena0", t::NetworkInterfaceType::Ena))
        .media_streams(video_stream())
        .source(video_source(
            "camera",
            t::Protocol::Cdi,
            t::EncodingName::Raw,
            "efa0",
        ))
        .send()
        .await
        .expect("create a CDI flow")
        .flow
        .unwrap();
    let err = mc
        .add_flow_outputs()
        .flow_arn(flow.flow_arn().unwrap())
        .outputs(
            t::AddOutputRequest::builder()
                .name("to-vpc")
                .protocol(t::Protocol::Rtp)
                .destination("10.0.0.20")
                .port(5000)
                .vpc_interface_attachment(
                    t::VpcInterfaceAttachment::builder()
                        .vpc_interface_name("ena0")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("Output to-vpc uses rtp, which a CDI flow doesn't support. The outputs of a flow with a CDI or ST 2110 JPEG XS source use CDI or ST 2110 JPEG XS.")
    );
    let described = mc
        .describe_flow()
        .flow_arn(flow.flow_arn().unwrap())
        .send()
        .await
        .unwrap();
    assert!(described.flow().unwrap().outputs().is_empty());
}

/// AWS CDK's integration test of NDI defaults (aws-mediaconnect-alpha
/// integ.mediaconnect-flow-ndi) asserts DescribeFlow answers `NdiSpeedHqQuality` 100 for an
/// NDI output added without one.
#[tokio::test]
async fn an_ndi_output_answers_a_speed_hq_quality_of_100_by_default() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("ndi-output-defaults")
        .flow_size(t::FlowSize::Large)
        .ndi_config(
            t::NdiConfig::builder()
                .ndi_state(t::NdiState::Enabled)
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("rtp-source")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("203.0.113.0/24")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let arn = flow.flow_arn.unwrap();
    mc.add_flow_outputs()
        .flow_arn(&arn)
        .outputs(
            t::AddOutputRequest::builder()
                .name("ndi")
                .protocol(t::Protocol::NdiSpeedHq)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let described = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let transport = described.flow().unwrap().outputs()[0].transport().unwrap();
    assert_eq!(transport.ndi_speed_hq_quality(), Some(100));
}

/// AWS CDK's integration test of flow defaults (aws-mediaconnect-alpha
/// integ.mediaconnect-flow-defaults) asserts DescribeFlow answers a RIST source made without
/// a maximum latency with `MaxLatency` 2000.
#[tokio::test]
async fn a_rist_source_answers_a_max_latency_of_2000_by_default() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let arn = mc
        .create_flow()
        .name("defaults-rist")
        .source(
            t::SetSourceRequest::builder()
                .name("rist-default")
                .protocol(t::Protocol::Rist)
                .ingest_port(5000)
                .whitelist_cidr("203.0.113.0/24")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let described = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let transport = described
        .flow()
        .unwrap()
        .source()
        .unwrap()
        .transport()
        .unwrap();
    assert_eq!(transport.max_latency(), Some(2000));
}

/// The same integration test asserts a MERGE flow made without a recovery window answers
/// `RecoveryWindow` 200.
#[tokio::test]
async fn a_merging_flow_answers_a_recovery_window_of_200_by_default() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let arn = mc
        .create_flow()
        .name("defaults-merge")
        .source(
            t::SetSourceRequest::builder()
                .name("merge-primary")
                .protocol(t::Protocol::Rist)
                .ingest_port(5000)
                .whitelist_cidr("203.0.113.0/24")
                .build(),
        )
        .source_failover_config(
            t::FailoverConfig::builder()
                .failover_mode(t::FailoverMode::Merge)
                .state(t::State::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let described = mc.describe_flow().flow_arn(&arn).send().await.unwrap();
    let config = described.flow().unwrap().source_failover_config().unwrap();
    assert_eq!(config.recovery_window(), Some(200));
}

/// "CDI requires MaxSyncBuffer at the service level" (AWS CDK's aws-mediaconnect-alpha, which
/// defaults it to 100 ms to avoid a deploy-time error): a CDI source without one is refused
/// and no flow is made; with one, the flow answers it.
#[tokio::test]
async fn a_cdi_source_needs_a_max_sync_buffer() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "CdiSync").await;
    let efa = t::VpcInterfaceRequest::builder()
        .name("efa0")
        .network_interface_type(t::NetworkInterfaceType::Efa)
        .role_arn(&role)
        .security_group_ids("sg-0123")
        .subnet_id("subnet-0123")
        .build();
    let create = |source: t::SetSourceRequest| {
        mc.create_flow()
            .name("cdi-sync")
            .vpc_interfaces(efa.clone())
            .media_streams(video_stream())
            .source(source)
            .send()
    };
    let unsynced = t::SetSourceRequest::builder()
        .name("camera")
        .protocol(t::Protocol::Cdi)
        .vpc_interface_name("efa0")
        .media_stream_source_configurations(
            t::MediaStreamSourceConfigurationRequest::builder()
                .encoding_name(t::EncodingName::Raw)
                .media_stream_name("video")
                .build(),
        )
        .build();
    let err = create(unsynced).await.unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("MaxSyncBuffer is required for protocol cdi.")
    );
    assert!(mc.list_flows().send().await.unwrap().flows().is_empty());
    let flow = create(video_source(
        "camera",
        t::Protocol::Cdi,
        t::EncodingName::Raw,
        "efa0",
    ))
    .await
    .expect("a CDI source with a sync buffer")
    .flow
    .unwrap();
    let transport = flow.source().unwrap().transport().unwrap();
    assert_eq!(transport.max_sync_buffer(), Some(100));
}

/// A new Zixi push source on a VPC interface takes no IngestPort: MediaConnect assigns one from
/// 2090-2099 and rejects "any explicit ingestPort value" (AWS CDK's aws-mediaconnect-alpha);
/// without one the flow answers the assigned port.
#[tokio::test]
async fn a_new_vpc_zixi_source_takes_no_ingest_port() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "ZixiVpc").await;
    let iface = t::VpcInterfaceRequest::builder()
        .name("vpc-iface")
        .role_arn(&role)
        .security_group_ids("sg-0123")
        .subnet_id("subnet-0123")
        .build();
    let source = |port: Option<i32>| {
        t::SetSourceRequest::builder()
            .name("zixi-push-vpc-source")
            .protocol(t::Protocol::ZixiPush)
            .vpc_interface_name("vpc-iface")
            .max_latency(6000)
            .set_ingest_port(port)
            .build()
    };
    let create = |port: Option<i32>| {
        mc.create_flow()
            .name("zixi-push-vpc-flow")
            .vpc_interfaces(iface.clone())
            .source(source(port))
            .send()
    };
    let err = create(Some(2090)).await.unwrap_err();
    assert_eq!(err.code(), Some("BadRequestException"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("IngestPort is not supported for a zixi-push source on a VPC interface. MediaConnect assigns these sources a port from 2090-2099.")
    );
    assert!(mc.list_flows().send().await.unwrap().flows().is_empty());
    let flow = create(None).await.unwrap().flow.unwrap();
    assert_eq!(flow.source().unwrap().ingest_port(), Some(2090));
}
