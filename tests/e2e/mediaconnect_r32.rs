//! MediaConnect router inputs and outputs against the rules their model documentation and
//! the User Guide set, end to end with `aws-sdk-mediaconnect`.

use crate::common;

use crate::mediaconnect_support::{mediaconnect_role, video_source, video_stream};
use aws_sdk_mediaconnect::error::ProvideErrorMetadata;
use aws_sdk_mediaconnect::types as t;
use aws_sdk_mediaconnect::Client;
use common::TestServer;

async fn root(server: &TestServer) -> Client {
    Client::new(&server.root_config().await)
}

/// A standard RTP router output `name` on network interface `ni`, regional, OUTPUT_20.
async fn rtp_router_output(mc: &Client, ni: &str, name: &str, bitrate: i64) -> t::RouterOutput {
    mc.create_router_output()
        .name(name)
        .configuration(t::RouterOutputConfiguration::Standard(
            t::StandardRouterOutputConfiguration::builder()
                .network_interface_arn(ni)
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
        .maximum_bitrate(bitrate)
        .routing_scope(t::RoutingScope::Regional)
        .tier(t::RouterOutputTier::Output20)
        .send()
        .await
        .expect("create router output")
        .router_output
        .unwrap()
}

/// A public router network interface open to everyone; its ARN.
async fn public_interface(mc: &Client) -> String {
    mc.create_router_network_interface()
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
        .send()
        .await
        .expect("create network interface")
        .router_network_interface
        .unwrap()
        .arn
}

/// A standard RTP router input configuration on `ni` listening on `port`.
fn rtp_input(ni: &str, port: i32) -> t::RouterInputConfiguration {
    t::RouterInputConfiguration::Standard(
        t::StandardRouterInputConfiguration::builder()
            .network_interface_arn(ni)
            .protocol_configuration(t::RouterInputProtocolConfiguration::Rtp(
                t::RtpRouterInputConfiguration::builder()
                    .port(port)
                    .build()
                    .unwrap(),
            ))
            .build()
            .unwrap(),
    )
}

#[tokio::test]
async fn router_inputs_keep_their_type_two_failover_sources_and_a_bitrate_within_the_tier() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let ni = public_interface(&mc).await;
    let create = |config: t::RouterInputConfiguration, bitrate: i64| {
        mc.create_router_input()
            .name("in")
            .configuration(config)
            .maximum_bitrate(bitrate)
            .routing_scope(t::RoutingScope::Regional)
            .tier(t::RouterInputTier::Input20)
    };
    let over = create(rtp_input(&ni, 5000), 25_000_000)
        .send()
        .await
        .unwrap_err();
    assert_eq!(over.code(), Some("BadRequestException"), "{over:?}");
    let one_source = t::RouterInputConfiguration::Failover(
        t::FailoverRouterInputConfiguration::builder()
            .network_interface_arn(&ni)
            .source_priority_mode(t::FailoverInputSourcePriorityMode::NoPriority)
            .protocol_configurations(t::FailoverRouterInputProtocolConfiguration::Rtp(
                t::RtpRouterInputConfiguration::builder()
                    .port(5000)
                    .build()
                    .unwrap(),
            ))
            .build()
            .unwrap(),
    );
    let e = create(one_source, 10_000_000).send().await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert!(e.message().unwrap_or("").contains("exactly two"), "{e:?}");

    let input = create(rtp_input(&ni, 5000), 20_000_000)
        .send()
        .await
        .expect("create router input")
        .router_input
        .unwrap();
    let merge = t::RouterInputConfiguration::Merge(
        t::MergeRouterInputConfiguration::builder()
            .network_interface_arn(&ni)
            .merge_recovery_window_milliseconds(100)
            .protocol_configurations(t::MergeRouterInputProtocolConfiguration::Rtp(
                t::RtpRouterInputConfiguration::builder()
                    .port(5000)
                    .build()
                    .unwrap(),
            ))
            .protocol_configurations(t::MergeRouterInputProtocolConfiguration::Rtp(
                t::RtpRouterInputConfiguration::builder()
                    .port(5002)
                    .build()
                    .unwrap(),
            ))
            .build()
            .unwrap(),
    );
    let e = mc
        .update_router_input()
        .arn(&input.arn)
        .name("renamed")
        .configuration(merge)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    let got = mc
        .get_router_input()
        .arn(&input.arn)
        .send()
        .await
        .unwrap()
        .router_input
        .unwrap();
    assert_eq!(got.name, "in");
    assert_eq!(got.input_type, t::RouterInputType::Standard);
    let up = mc
        .update_router_input()
        .arn(&input.arn)
        .configuration(rtp_input(&ni, 6000))
        .tier(t::RouterInputTier::Input50)
        .maximum_bitrate(50_000_000)
        .send()
        .await
        .expect("same type, bitrate within the new tier")
        .router_input
        .unwrap();
    assert_eq!(up.maximum_bitrate, 50_000_000);
}

#[tokio::test]
async fn a_router_output_takes_only_compatible_inputs_and_keeps_its_fabric_while_routed() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let ni = public_interface(&mc).await;
    let input = |name: &'static str, bitrate: i64| {
        mc.create_router_input()
            .name(name)
            .configuration(rtp_input(&ni, 5000))
            .maximum_bitrate(bitrate)
            .routing_scope(t::RoutingScope::Regional)
            .tier(t::RouterInputTier::Input50)
            .send()
    };
    let big = input("big", 30_000_000)
        .await
        .unwrap()
        .router_input
        .unwrap();
    let fits = input("fits", 20_000_000)
        .await
        .unwrap()
        .router_input
        .unwrap();
    let output = rtp_router_output(&mc, &ni, "out", 20_000_000).await;
    let e = mc
        .take_router_input()
        .router_output_arn(&output.arn)
        .router_input_arn(&big.arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    mc.take_router_input()
        .router_output_arn(&output.arn)
        .router_input_arn(&fits.arn)
        .send()
        .await
        .expect("an input within the output's bitrate");
    let fabric = t::FabricConfiguration::builder()
        .recovery_latency_mode(t::FabricLatencyMode::LowLatency)
        .build()
        .unwrap();
    let e = mc
        .update_router_output()
        .arn(&output.arn)
        .fabric_configuration(fabric.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ConflictException"), "{e:?}");
    mc.take_router_input()
        .router_output_arn(&output.arn)
        .send()
        .await
        .expect("unroute");
    let up = mc
        .update_router_output()
        .arn(&output.arn)
        .fabric_configuration(fabric)
        .send()
        .await
        .expect("fabric of an unrouted output")
        .router_output
        .unwrap();
    assert_eq!(
        up.fabric_configuration.unwrap().recovery_latency_mode,
        t::FabricLatencyMode::LowLatency
    );
}

/// The model's `Transport`: "For NDI outputs, this field is always present and defaults to
/// EMBEDDED_TIMECODE" (NdiOutputTimecodeSource) and "... defaults to -20"
/// (NdiAudioReferenceLevel).
#[tokio::test]
async fn an_ndi_output_answers_its_default_timecode_source_and_reference_level() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("ndi")
        .flow_size(t::FlowSize::Large)
        .ndi_config(
            t::NdiConfig::builder()
                .ndi_state(t::NdiState::Enabled)
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("in")
                .protocol(t::Protocol::SrtListener)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let added = mc
        .add_flow_outputs()
        .flow_arn(flow.flow_arn().unwrap())
        .outputs(
            t::AddOutputRequest::builder()
                .name("ndi-out")
                .protocol(t::Protocol::NdiSpeedHq)
                .build(),
        )
        .send()
        .await
        .expect("add an NDI output");
    let transport = added.outputs()[0].transport().unwrap();
    assert_eq!(
        transport.ndi_output_timecode_source(),
        Some(&t::NdiOutputTimecodeSource::EmbeddedTimecode)
    );
    assert_eq!(transport.ndi_audio_reference_level(), Some(-20));
}

/// The model's NdiConfig ("A list of up to three NDI discovery server configurations") and
/// EncodingConfig ("The supported range is 10,000,000 - 50,000,000 bits per second").
#[tokio::test]
async fn ndi_discovery_servers_and_video_bitrates_stay_within_the_documented_bounds() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let servers = |n: usize| {
        (0..n)
            .map(|i| {
                t::NdiDiscoveryServerConfig::builder()
                    .discovery_server_address(format!("10.0.0.{i}"))
                    .vpc_interface_adapter("v")
                    .build()
            })
            .collect::<Vec<_>>()
    };
    let ndi = |n: usize| {
        t::NdiConfig::builder()
            .ndi_state(t::NdiState::Enabled)
            .set_ndi_discovery_servers(Some(servers(n)))
            .build()
    };
    let create = |n: usize, bitrate: i32| {
        mc.create_flow()
            .name("ndi")
            .flow_size(t::FlowSize::Large)
            .ndi_config(ndi(n))
            .encoding_config(
                t::EncodingConfig::builder()
                    .video_max_bitrate(bitrate)
                    .build(),
            )
            .source(
                t::SetSourceRequest::builder()
                    .name("in")
                    .protocol(t::Protocol::SrtListener)
                    .ingest_port(5000)
                    .whitelist_cidr("10.0.0.0/16")
                    .build(),
            )
            .send()
    };
    for (n, bitrate) in [(4, 20_000_000), (3, 60_000_000), (1, 5_000_000)] {
        let e = create(n, bitrate).await.unwrap_err();
        assert_eq!(
            e.code(),
            Some("BadRequestException"),
            "{n} {bitrate}: {e:?}"
        );
    }
    let flow = create(3, 50_000_000)
        .await
        .expect("within bounds")
        .flow
        .unwrap();
    assert_eq!(flow.ndi_config().unwrap().ndi_discovery_servers().len(), 3);
}

/// The model: a bridge source's name "must be unique among sources in this bridge"; the
/// refusal names the bridge, not a flow.
#[tokio::test]
async fn a_bridge_refuses_a_second_source_of_one_name_in_a_bridges_words() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gateway = mc
        .create_gateway()
        .name("site")
        .egress_cidr_blocks("10.0.0.0/16")
        .networks(
            t::GatewayNetwork::builder()
                .name("lan")
                .cidr_block("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .gateway
        .unwrap();
    let source = t::AddBridgeSourceRequest::builder()
        .network_source(
            t::AddBridgeNetworkSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .multicast_ip("224.0.0.1")
                .network_name("lan")
                .port(5000)
                .build(),
        )
        .build();
    let e = mc
        .create_bridge()
        .name("b")
        .placement_arn(gateway.gateway_arn.unwrap())
        .ingress_gateway_bridge(
            t::AddIngressGatewayBridgeRequest::builder()
                .max_bitrate(10_000_000)
                .max_outputs(2)
                .build(),
        )
        .sources(source.clone())
        .sources(source)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("Source name src already exists in this bridge. Source names must be unique within a bridge.")
    );
}

/// The model's Output.ListenerAddress: "For private networking, the ListenerAddress is
/// represented by the elastic network interface IP address of the VPC"; a VPC source
/// receives at that address too, and public ones at the flow's.
#[tokio::test]
async fn vpc_sources_and_listener_outputs_answer_the_interfaces_private_address() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Vpc").await;
    let flow = mc
        .create_flow()
        .name("private")
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
                .name("in")
                .protocol(t::Protocol::SrtListener)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .vpc_interface_name("eth0")
                .build(),
        )
        .outputs(
            t::AddOutputRequest::builder()
                .name("vpc-out")
                .protocol(t::Protocol::SrtListener)
                .port(6000)
                .cidr_allow_list("10.0.0.0/16")
                .vpc_interface_attachment(
                    t::VpcInterfaceAttachment::builder()
                        .vpc_interface_name("eth0")
                        .build(),
                )
                .build(),
        )
        .outputs(
            t::AddOutputRequest::builder()
                .name("public-out")
                .protocol(t::Protocol::SrtListener)
                .port(6001)
                .cidr_allow_list("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .expect("create a VPC flow")
        .flow
        .unwrap();
    let private = flow.source().unwrap().ingest_ip().unwrap();
    assert!(private.starts_with("10."), "{private}");
    let outputs = flow.outputs();
    assert_eq!(outputs[0].listener_address(), Some(private));
    assert_eq!(outputs[1].listener_address(), flow.egress_ip());
}

/// The model's CreateGateway: "The request must include at least one network (up to four)."
#[tokio::test]
async fn a_gateway_takes_at_most_four_networks() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let create = |n: usize| {
        let mut req = mc
            .create_gateway()
            .name("site")
            .egress_cidr_blocks("10.0.0.0/16");
        for i in 0..n {
            req = req.networks(
                t::GatewayNetwork::builder()
                    .name(format!("n{i}"))
                    .cidr_block(format!("10.0.{i}.0/24"))
                    .build(),
            );
        }
        req.send()
    };
    let e = create(5).await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    let gw = create(4).await.expect("four networks").gateway.unwrap();
    assert_eq!(gw.networks().len(), 4);
}

/// The model, on every `Protocol` member: "Elemental MediaConnect no longer supports the
/// Fujitsu QoS protocol. This reference is maintained for legacy purposes only."
#[tokio::test]
async fn a_fujitsu_qos_source_is_refused() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let e = mc
        .create_flow()
        .name("legacy")
        .source(
            t::SetSourceRequest::builder()
                .name("in")
                .protocol(t::Protocol::FujitsuQos)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .sender_ip_address("10.0.0.1")
                .sender_control_port(5001)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert!(e.message().unwrap_or("").contains("Fujitsu"), "{e:?}");
}

/// A flow with one RTP source, made by `mc`; its ARN.
async fn rtp_flow(mc: &Client, name: &str) -> String {
    mc.create_flow()
        .name(name)
        .source(
            t::SetSourceRequest::builder()
                .name("in")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow()
        .unwrap()
        .flow_arn()
        .unwrap()
        .to_string()
}

/// UpdateFlowOutput to another protocol drops what the new protocol refuses (an RTP output's
/// destination on an SRT listener), so the change can be made at all; where it sends is kept
/// where the new protocol takes it.
#[tokio::test]
async fn an_output_can_change_to_a_protocol_that_refuses_its_old_members() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "protocols").await;
    let added = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("out")
                .protocol(t::Protocol::Rtp)
                .destination("198.51.100.1")
                .port(5000)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let output = added.outputs()[0].output_arn().unwrap().to_string();
    let listener = mc
        .update_flow_output()
        .flow_arn(&flow)
        .output_arn(&output)
        .protocol(t::Protocol::SrtListener)
        .port(5100)
        .cidr_allow_list("10.0.0.0/8")
        .send()
        .await
        .unwrap();
    let o = listener.output().unwrap();
    assert_eq!(o.destination(), None, "{o:?}");
    assert!(o.listener_address().is_some(), "{o:?}");
    let t = o.transport().unwrap();
    assert_eq!(t.protocol(), Some(&t::Protocol::SrtListener));
    assert_eq!(t.smoothing_latency(), None);
    let caller = mc
        .update_flow_output()
        .flow_arn(&flow)
        .output_arn(&output)
        .protocol(t::Protocol::SrtCaller)
        .destination("198.51.100.2")
        .send()
        .await
        .unwrap();
    let o = caller.output().unwrap();
    assert_eq!(o.port(), Some(5100));
    assert_eq!(o.transport().unwrap().cidr_allow_list(), &[] as &[String]);
}

/// The User Guide's "Failover support for source protocols" table: SRT listener and caller
/// sources support "Failover only", not Merge.
#[tokio::test]
async fn srt_sources_are_refused_the_merge_failover_mode() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let srt = |name: &str, port: i32| {
        t::SetSourceRequest::builder()
            .name(name)
            .protocol(t::Protocol::SrtListener)
            .ingest_port(port)
            .whitelist_cidr("10.0.0.0/16")
            .build()
    };
    let config = |mode: t::FailoverMode| {
        t::FailoverConfig::builder()
            .state(t::State::Enabled)
            .failover_mode(mode)
            .build()
    };
    let e = mc
        .create_flow()
        .name("merged")
        .sources(srt("a", 5000))
        .sources(srt("b", 5002))
        .source_failover_config(config(t::FailoverMode::Merge))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    let flow = mc
        .create_flow()
        .name("failover")
        .sources(srt("a", 5000))
        .sources(srt("b", 5002))
        .source_failover_config(config(t::FailoverMode::Failover))
        .send()
        .await
        .unwrap();
    let config = flow.flow().unwrap().source_failover_config().unwrap();
    assert_eq!(config.failover_mode(), Some(&t::FailoverMode::Failover));
}

/// The User Guide's "Flow sizes and capabilities": "you can update Medium flows to Large or
/// Large flows to Medium", never to Large 4x after the flow is created.
#[tokio::test]
async fn a_medium_flow_becomes_large_but_not_large_4x() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "sized").await;
    let large = mc
        .update_flow()
        .flow_arn(&flow)
        .flow_size(t::FlowSize::Large)
        .send()
        .await
        .unwrap();
    assert_eq!(large.flow().unwrap().flow_size(), Some(&t::FlowSize::Large));
    let e = mc
        .update_flow()
        .flow_arn(&flow)
        .flow_size(t::FlowSize::Large4X)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    let d = mc.describe_flow().flow_arn(&flow).send().await.unwrap();
    assert_eq!(d.flow().unwrap().flow_size(), Some(&t::FlowSize::Large));
}

/// AWS's CLI example of update-flow-source: an RTP source changed to rtp-fec answers a
/// transport of the new protocol alone, without the RTP source's 80 Mb/s maximum bitrate.
#[tokio::test]
async fn a_source_changed_to_rtp_fec_drops_the_rtp_bitrate() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "AwardsShow").await;
    let d = mc.describe_flow().flow_arn(&flow).send().await.unwrap();
    let source = d.flow().unwrap().source().unwrap();
    assert_eq!(source.transport().unwrap().max_bitrate(), Some(80_000_000));
    let updated = mc
        .update_flow_source()
        .flow_arn(&flow)
        .source_arn(source.source_arn().unwrap())
        .description("Friday night show")
        .ingest_port(3344)
        .protocol(t::Protocol::RtpFec)
        .whitelist_cidr("10.24.34.0/23")
        .send()
        .await
        .unwrap();
    let transport = updated.source().unwrap().transport().unwrap();
    assert_eq!(transport.protocol(), Some(&t::Protocol::RtpFec));
    assert_eq!(transport.max_bitrate(), None);
}

/// The User Guide: "You can't add VPC interfaces to an active flow" (source-adding-vpc), and
/// to remove one "The flow must be in Standby" (vpc-interface-remove).
#[tokio::test]
async fn vpc_interfaces_change_only_on_a_stopped_flow() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Vpc").await;
    let flow = rtp_flow(&mc, "running").await;
    mc.start_flow().flow_arn(&flow).send().await.unwrap();
    server.advance_clock(5).await;
    let d = mc.describe_flow().flow_arn(&flow).send().await.unwrap();
    assert_eq!(d.flow().unwrap().status(), Some(&t::Status::Active));
    let interface = t::VpcInterfaceRequest::builder()
        .name("eth0")
        .role_arn(&role)
        .security_group_ids("sg-0123")
        .subnet_id("subnet-0123")
        .build();
    let e = mc
        .add_flow_vpc_interfaces()
        .flow_arn(&flow)
        .vpc_interfaces(interface.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    mc.stop_flow().flow_arn(&flow).send().await.unwrap();
    server.advance_clock(5).await;
    mc.add_flow_vpc_interfaces()
        .flow_arn(&flow)
        .vpc_interfaces(interface)
        .send()
        .await
        .unwrap();
}

/// The User Guide's CLI example of a CDI flow: a JPEG XS source names no VpcInterfaceName,
/// its media streams each receive on an EFA and an ENA interface, and the answer shows no
/// IngestIp but an input address per interface.
#[tokio::test]
async fn a_jpeg_xs_source_receives_on_the_interfaces_its_media_streams_name() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "MediaConnectAccessRole").await;
    let interface = |name: &str, kind: t::NetworkInterfaceType| {
        t::VpcInterfaceRequest::builder()
            .name(name)
            .network_interface_type(kind)
            .role_arn(&role)
            .security_group_ids("sg-1234567890abcdef0")
            .subnet_id("subnet-abcdef01234567890")
            .build()
    };
    let input = |name: &str| {
        t::InputConfigurationRequest::builder()
            .input_port(5011)
            .interface(t::InterfaceRequest::builder().name(name).build())
            .build()
    };
    let created = mc
        .create_flow()
        .name("AwardsShow")
        .vpc_interfaces(interface("efa-name", t::NetworkInterfaceType::Efa))
        .vpc_interfaces(interface("ena-name", t::NetworkInterfaceType::Ena))
        .media_streams(
            t::AddMediaStreamRequest::builder()
                .media_stream_id(0)
                .media_stream_name("video-stream")
                .media_stream_type(t::MediaStreamType::Video)
                .clock_rate(90000)
                .video_format("1080p")
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("jxs-input")
                .protocol(t::Protocol::St2110Jpegxs)
                .max_sync_buffer(100)
                .media_stream_source_configurations(
                    t::MediaStreamSourceConfigurationRequest::builder()
                        .encoding_name(t::EncodingName::Jxsv)
                        .media_stream_name("video-stream")
                        .input_configurations(input("efa-name"))
                        .input_configurations(input("ena-name"))
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let source = created.flow().unwrap().source().unwrap();
    assert_eq!(source.ingest_ip(), None);
    assert_eq!(source.vpc_interface_name(), None);
    let inputs = source.media_stream_source_configurations()[0].input_configurations();
    assert_eq!(inputs.len(), 2);
    assert!(inputs[0].input_ip().is_some());
    assert_ne!(inputs[0].input_ip(), inputs[1].input_ip());
}

/// The User Guide's SRT caller output: "enter the IP address or domain of the output's
/// destination".
#[tokio::test]
async fn an_srt_caller_output_sends_to_a_domain_name() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "domains").await;
    let added = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("caller")
                .protocol(t::Protocol::SrtCaller)
                .destination("encoder.example.com")
                .port(5000)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        added.outputs()[0].destination(),
        Some("encoder.example.com")
    );
}

/// A flow's source, outputs and entitlements take the flow's own ID in their ARNs, as in the
/// User Guide's CLI example of a CDI flow and AWS's getting-started tutorial
/// (`flow:1-abcd1234-b786ff4d2b36:AwardsNYCShow`, `source:1-abcd1234-b786ff4d2b36:…`,
/// `output:1-abcd1234-b786ff4d2b36:…`, `entitlement:1-abcd1234-b786ff4d2b36:PhillyTeam`).
#[tokio::test]
async fn a_flows_parts_take_the_flows_id() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "AwardsNYCShow").await;
    let id = flow.split(':').nth(6).unwrap().to_string();
    let part = |kind: &str, name: &str| {
        format!(
            "arn:aws:mediaconnect:us-west-2:{}:{kind}:{id}:{name}",
            flow.split(':').nth(4).unwrap()
        )
    };
    let d = mc.describe_flow().flow_arn(&flow).send().await.unwrap();
    assert_eq!(
        d.flow().unwrap().source().unwrap().source_arn(),
        Some(part("source", "in").as_str())
    );
    let added = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("AwardsNYCOutput")
                .protocol(t::Protocol::ZixiPush)
                .destination("198.51.100.11")
                .port(1024)
                .stream_id("ZixiAwardsOutput")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        added.outputs()[0].output_arn(),
        Some(part("output", "AwardsNYCOutput").as_str())
    );
    let granted = mc
        .grant_flow_entitlements()
        .flow_arn(&flow)
        .entitlements(
            t::GrantEntitlementRequest::builder()
                .name("PhillyTeam")
                .subscribers("222233334444")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        granted.entitlements()[0].entitlement_arn(),
        Some(part("entitlement", "PhillyTeam").as_str())
    );
}

/// AWS's getting-started tutorial answers CreateFlow with `"MediaStreams": []` for a flow
/// without media streams (and no VpcInterfaces); DescribeFlow answers the same flow alike.
#[tokio::test]
async fn a_flow_without_media_streams_answers_an_empty_list() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let created = mc
        .create_flow()
        .name("AwardsNYCShow")
        .source(
            t::SetSourceRequest::builder()
                .name("AwardsNYCSource")
                .protocol(t::Protocol::ZixiPush)
                .whitelist_cidr("10.24.34.0/23")
                .stream_id("ZixiAwardsNYCFeed")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let flow = created.flow.unwrap();
    assert_eq!(flow.media_streams, Some(vec![]));
    assert_eq!(flow.vpc_interfaces, None);
    let d = mc
        .describe_flow()
        .flow_arn(flow.flow_arn.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(d.flow.unwrap().media_streams, Some(vec![]));
}

/// AWS's getting-started tutorial: a Zixi push output added without MaxLatency answers the
/// default of 6000 ms.
#[tokio::test]
async fn a_zixi_push_output_defaults_to_6000_ms_of_latency() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "zixi").await;
    let added = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("AwardsNYCOutput")
                .protocol(t::Protocol::ZixiPush)
                .destination("198.51.100.11")
                .port(1024)
                .stream_id("ZixiAwardsOutput")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let transport = added.outputs()[0].transport().unwrap();
    assert_eq!(transport.max_latency(), Some(6000));
    assert_eq!(transport.stream_id(), Some("ZixiAwardsOutput"));
}

/// AWS's getting-started tutorial grants an entitlement without a fee and answers none.
#[tokio::test]
async fn an_entitlement_without_a_fee_answers_none() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "fees").await;
    let granted = mc
        .grant_flow_entitlements()
        .flow_arn(&flow)
        .entitlements(
            t::GrantEntitlementRequest::builder()
                .name("PhillyTeam")
                .subscribers("222233334444")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let e = &granted.entitlements()[0];
    assert_eq!(e.data_transfer_subscriber_fee_percent(), None);
    assert_eq!(e.entitlement_status(), Some(&t::EntitlementStatus::Enabled));
    let d = mc.describe_flow().flow_arn(&flow).send().await.unwrap();
    let e = &d.flow().unwrap().entitlements()[0];
    assert_eq!(e.data_transfer_subscriber_fee_percent(), None);
}

/// The User Guide's create-flow example (standard source): an rtp-fec source made without a
/// maximum bitrate answers 80000000, as an RTP source does.
#[tokio::test]
async fn an_rtp_fec_source_defaults_to_80_mbps() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let created = mc
        .create_flow()
        .name("AwardsShow")
        .source(
            t::SetSourceRequest::builder()
                .name("AwardsShowSource")
                .protocol(t::Protocol::RtpFec)
                .ingest_port(5000)
                .whitelist_cidr("10.24.34.0/23")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let transport = created
        .flow()
        .unwrap()
        .source()
        .unwrap()
        .transport()
        .unwrap();
    assert_eq!(transport.max_bitrate(), Some(80_000_000));
}

/// The User Guide's content quality analysis examples: analysis turned on alone enables all
/// three metrics at 30 seconds; UpdateFlow with ContentQualityAnalysisState DISABLED alone
/// keeps the metrics (and thumbnails); thresholds are 10-60 seconds.
#[tokio::test]
async fn content_quality_analysis_defaults_and_merges_as_documented() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let created = mc
        .create_flow()
        .name("myFlow")
        .source(
            t::SetSourceRequest::builder()
                .name("in")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .source_monitoring_config(
            t::MonitoringConfig::builder()
                .thumbnail_state(t::ThumbnailState::Enabled)
                .content_quality_analysis_state(t::ContentQualityAnalysisState::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let flow = created.flow().unwrap();
    let config = flow.source_monitoring_config().unwrap();
    let video = &config.video_monitoring_settings()[0];
    assert_eq!(video.black_frames().unwrap().threshold_seconds(), Some(30));
    assert_eq!(
        video.frozen_frames().unwrap().state(),
        Some(&t::State::Enabled)
    );
    let audio = &config.audio_monitoring_settings()[0];
    assert_eq!(audio.silent_audio().unwrap().threshold_seconds(), Some(30));
    let arn = flow.flow_arn().unwrap();
    let updated = mc
        .update_flow()
        .flow_arn(arn)
        .source_monitoring_config(
            t::MonitoringConfig::builder()
                .content_quality_analysis_state(t::ContentQualityAnalysisState::Disabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let config = updated.flow().unwrap().source_monitoring_config().unwrap();
    assert_eq!(
        config.content_quality_analysis_state(),
        Some(&t::ContentQualityAnalysisState::Disabled)
    );
    assert_eq!(config.thumbnail_state(), Some(&t::ThumbnailState::Enabled));
    assert_eq!(config.video_monitoring_settings().len(), 1);
    let e = mc
        .update_flow()
        .flow_arn(arn)
        .source_monitoring_config(
            t::MonitoringConfig::builder()
                .audio_monitoring_settings(
                    t::AudioMonitoringSetting::builder()
                        .silent_audio(
                            t::SilentAudio::builder()
                                .state(t::State::Enabled)
                                .threshold_seconds(61)
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
}

/// The User Guide (adding VPC outputs): "For CDI flows, you can add outputs (up to 10) only
/// if the flow is in standby mode."
#[tokio::test]
async fn a_running_cdi_flow_takes_no_new_outputs() {
    let mut config = server::Config::for_tests();
    config.transitions = server::Transitions::Manual;
    let server = TestServer::start_with(config).await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Cdi").await;
    let created = mc
        .create_flow()
        .name("cdi")
        .vpc_interfaces(
            t::VpcInterfaceRequest::builder()
                .name("efa0")
                .network_interface_type(t::NetworkInterfaceType::Efa)
                .role_arn(&role)
                .security_group_ids("sg-1")
                .subnet_id("subnet-1")
                .build(),
        )
        .media_streams(video_stream())
        .source(video_source(
            "s",
            t::Protocol::Cdi,
            t::EncodingName::Raw,
            "efa0",
        ))
        .send()
        .await
        .unwrap();
    let flow = created.flow().unwrap().flow_arn().unwrap().to_string();
    mc.start_flow().flow_arn(&flow).send().await.unwrap();
    server.advance_clock(5).await;
    let output = t::AddOutputRequest::builder()
        .name("o")
        .protocol(t::Protocol::Cdi)
        .vpc_interface_attachment(
            t::VpcInterfaceAttachment::builder()
                .vpc_interface_name("efa0")
                .build(),
        )
        .media_stream_output_configurations(
            t::MediaStreamOutputConfigurationRequest::builder()
                .encoding_name(t::EncodingName::Raw)
                .media_stream_name("video")
                .destination_configurations(
                    t::DestinationConfigurationRequest::builder()
                        .destination_ip("10.0.0.9")
                        .destination_port(6000)
                        .interface(t::InterfaceRequest::builder().name("efa0").build())
                        .build(),
                )
                .build(),
        )
        .build();
    let e = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(output.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    mc.stop_flow().flow_arn(&flow).send().await.unwrap();
    server.advance_clock(5).await;
    mc.add_flow_outputs()
        .flow_arn(&flow)
        .outputs(output)
        .send()
        .await
        .unwrap();
}

/// The User Guide's Zixi settings: a maximum latency "between 0 and 60,000 ms".
#[tokio::test]
async fn a_zixi_output_latency_over_a_minute_is_refused() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = rtp_flow(&mc, "latency").await;
    let e = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("push")
                .protocol(t::Protocol::ZixiPush)
                .destination("198.51.100.11")
                .port(2088)
                .max_latency(60_001)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
}

/// A gateway with the network "lan" (CIDR 10.0.0.0/16); its ARN.
async fn lan_gateway(mc: &Client) -> String {
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
        .gateway_arn
        .unwrap()
}

fn bridge_network_source(name: &str, ip: &str, protocol: t::Protocol) -> t::AddBridgeSourceRequest {
    t::AddBridgeSourceRequest::builder()
        .network_source(
            t::AddBridgeNetworkSourceRequest::builder()
                .name(name)
                .protocol(protocol)
                .multicast_ip(ip)
                .network_name("lan")
                .port(5000)
                .build(),
        )
        .build()
}

fn ingress_bridge() -> t::AddIngressGatewayBridgeRequest {
    t::AddIngressGatewayBridgeRequest::builder()
        .max_bitrate(10_000_000)
        .max_outputs(2)
        .build()
}

/// The User Guide's bridge sources: "select the protocol (RTP, RTP-FEC, or UDP)", and the
/// CloudFormation reference's BridgeNetworkSource and BridgeNetworkOutput Protocol: "Allowed
/// values: rtp-fec | rtp | udp".
#[tokio::test]
async fn bridge_network_sources_and_outputs_take_only_rtp_rtp_fec_and_udp() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gw = lan_gateway(&mc).await;
    let e = mc
        .create_bridge()
        .name("in")
        .placement_arn(&gw)
        .ingress_gateway_bridge(ingress_bridge())
        .sources(bridge_network_source(
            "cam",
            "224.0.0.1",
            t::Protocol::ZixiPush,
        ))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("Protocol zixi-push is not supported for a bridge network source. Specify rtp, rtp-fec or udp.")
    );
    let bridge = mc
        .create_bridge()
        .name("in")
        .placement_arn(&gw)
        .ingress_gateway_bridge(ingress_bridge())
        .sources(bridge_network_source(
            "cam",
            "224.0.0.1",
            t::Protocol::RtpFec,
        ))
        .send()
        .await
        .expect("rtp-fec is a bridge protocol")
        .bridge
        .unwrap();
    let e = mc
        .update_bridge_source()
        .bridge_arn(bridge.bridge_arn.as_deref().unwrap())
        .source_name("cam")
        .network_source(
            t::UpdateBridgeNetworkSourceRequest::builder()
                .protocol(t::Protocol::SrtListener)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");

    let flow = mc
        .create_flow()
        .name("f")
        .source(
            t::SetSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let output = |protocol: t::Protocol| {
        t::AddBridgeOutputRequest::builder()
            .network_output(
                t::AddBridgeNetworkOutputRequest::builder()
                    .name("tv")
                    .ip_address("10.0.0.5")
                    .network_name("lan")
                    .port(6000)
                    .protocol(protocol)
                    .ttl(8)
                    .build(),
            )
            .build()
    };
    let egress = |protocol: t::Protocol| {
        mc.create_bridge()
            .name("out")
            .placement_arn(&gw)
            .egress_gateway_bridge(
                t::AddEgressGatewayBridgeRequest::builder()
                    .max_bitrate(10_000_000)
                    .build(),
            )
            .sources(
                t::AddBridgeSourceRequest::builder()
                    .flow_source(
                        t::AddBridgeFlowSourceRequest::builder()
                            .name("f")
                            .flow_arn(flow.flow_arn.as_deref().unwrap())
                            .build(),
                    )
                    .build(),
            )
            .outputs(output(protocol))
            .send()
    };
    let e = egress(t::Protocol::SrtCaller).await.unwrap_err();
    assert_eq!(
        e.message(),
        Some("Protocol srt-caller is not supported for a bridge network output. Specify rtp, rtp-fec or udp.")
    );
    let b = egress(t::Protocol::Udp)
        .await
        .expect("udp output")
        .bridge
        .unwrap();
    let protocol = b.outputs()[0].network_output().unwrap().protocol.clone();
    assert_eq!(protocol, Some(t::Protocol::Udp));
}

/// CloudFormation's AWS::MediaConnect::Bridge FailoverConfig: FailoverMode "Allowed values:
/// FAILOVER"; the model's FailoverConfig.State: "If the state is inactive, the flow can have
/// only one source."
#[tokio::test]
async fn a_bridge_fails_over_only_in_failover_mode_and_needs_it_enabled_for_two_sources() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gw = lan_gateway(&mc).await;
    let create = |failover: Option<t::FailoverConfig>| {
        mc.create_bridge()
            .name("in")
            .placement_arn(&gw)
            .ingress_gateway_bridge(ingress_bridge())
            .sources(bridge_network_source("a", "224.0.0.1", t::Protocol::Rtp))
            .sources(bridge_network_source("b", "224.0.0.2", t::Protocol::Rtp))
            .set_source_failover_config(failover)
            .send()
    };
    let e = create(Some(
        t::FailoverConfig::builder()
            .failover_mode(t::FailoverMode::Merge)
            .state(t::State::Enabled)
            .build(),
    ))
    .await
    .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("FailoverMode MERGE is not supported for bridges. A bridge supports only FAILOVER.")
    );
    let e = create(None).await.unwrap_err();
    assert_eq!(
        e.message(),
        Some("A bridge with two sources must have source failover enabled. Set SourceFailoverConfig State to ENABLED.")
    );
    let b = create(Some(
        t::FailoverConfig::builder()
            .failover_mode(t::FailoverMode::Failover)
            .state(t::State::Enabled)
            .build(),
    ))
    .await
    .expect("failover bridge")
    .bridge
    .unwrap();
    assert_eq!(b.sources().len(), 2);
    let e = mc
        .update_bridge()
        .bridge_arn(b.bridge_arn.as_deref().unwrap())
        .source_failover_config(
            t::UpdateFailoverConfig::builder()
                .state(t::State::Disabled)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    let d = mc
        .describe_bridge()
        .bridge_arn(b.bridge_arn.as_deref().unwrap())
        .send()
        .await
        .unwrap()
        .bridge
        .unwrap();
    assert_eq!(
        d.source_failover_config().unwrap().state,
        Some(t::State::Enabled)
    );
}

/// The model's Maintenance.MaintenanceScheduledDate: "A scheduled date in ISO UTC format ...
/// Use YYYY-MM-DD format"; a month past 12 or a day past its month's end is no date.
#[tokio::test]
async fn a_maintenance_scheduled_date_must_be_a_calendar_date() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("f")
        .source(
            t::SetSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .maintenance(
            t::AddMaintenance::builder()
                .maintenance_day(t::MaintenanceDay::Monday)
                .maintenance_start_hour("03:00")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let arn = flow.flow_arn.unwrap();
    for bad in ["2021-13-45", "2027-02-29", "2027-04-31"] {
        let e = mc
            .update_flow()
            .flow_arn(&arn)
            .maintenance(
                t::UpdateMaintenance::builder()
                    .maintenance_scheduled_date(bad)
                    .build(),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("BadRequestException"), "{bad}: {e:?}");
        assert_eq!(
            e.message(),
            Some(format!("MaintenanceScheduledDate {bad} is not valid. Specify the date in YYYY-MM-DD format.").as_str())
        );
    }
    let m = mc
        .describe_flow()
        .flow_arn(&arn)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .maintenance
        .unwrap();
    assert_eq!(m.maintenance_scheduled_date, None);
    let m = mc
        .update_flow()
        .flow_arn(&arn)
        .maintenance(
            t::UpdateMaintenance::builder()
                .maintenance_scheduled_date("2028-02-29")
                .build(),
        )
        .send()
        .await
        .expect("a leap day")
        .flow
        .unwrap()
        .maintenance
        .unwrap();
    assert_eq!(m.maintenance_scheduled_date.as_deref(), Some("2028-02-29"));
}

/// The User Guide's bridge prerequisites for source-specific multicast: "The multicast source
/// IP that you use must be a valid IPv4 address."
#[tokio::test]
async fn a_bridge_sources_multicast_source_ip_must_be_ipv4() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gw = lan_gateway(&mc).await;
    let create = |ip: &str| {
        mc.create_bridge()
            .name("in")
            .placement_arn(&gw)
            .ingress_gateway_bridge(ingress_bridge())
            .sources(
                t::AddBridgeSourceRequest::builder()
                    .network_source(
                        t::AddBridgeNetworkSourceRequest::builder()
                            .name("cam")
                            .protocol(t::Protocol::Rtp)
                            .multicast_ip("232.0.0.1")
                            .multicast_source_settings(
                                t::MulticastSourceSettings::builder()
                                    .multicast_source_ip(ip)
                                    .build(),
                            )
                            .network_name("lan")
                            .port(5000)
                            .build(),
                    )
                    .build(),
            )
            .send()
    };
    let e = create("2001:db8::1").await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("MulticastSourceIp 2001:db8::1 is not a valid IPv4 address.")
    );
    let b = create("10.0.0.7")
        .await
        .expect("IPv4 source")
        .bridge
        .unwrap();
    let source = b.sources()[0].network_source().unwrap();
    assert_eq!(
        source
            .multicast_source_settings()
            .unwrap()
            .multicast_source_ip(),
        Some("10.0.0.7")
    );
}

/// The User Guide's "Updating a bridge" for source-specific multicast: "The bridge must be in
/// STANDBY state before you make any changes"; reverting to ASM "can only be done when the
/// bridge is in STANDBY state".
#[tokio::test]
async fn a_running_bridge_keeps_its_sources_multicast_source_settings() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let gw = lan_gateway(&mc).await;
    let (code, reg) = server
        .admin(
            "POST",
            "/_mediamock/mediaconnect/gateway-instances",
            serde_json::json!({"GatewayArn": gw, "region": common::REGION}),
            common::ROOT_KEY,
            common::ROOT_SECRET,
        )
        .await;
    assert_eq!(code, 200, "{reg}");
    let arn = mc
        .create_bridge()
        .name("in")
        .placement_arn(&gw)
        .ingress_gateway_bridge(ingress_bridge())
        .sources(bridge_network_source("cam", "232.0.0.1", t::Protocol::Rtp))
        .send()
        .await
        .unwrap()
        .bridge
        .unwrap()
        .bridge_arn
        .unwrap();
    mc.update_bridge_state()
        .bridge_arn(&arn)
        .desired_state(t::DesiredState::Active)
        .send()
        .await
        .unwrap();
    let ssm = || {
        mc.update_bridge_source()
            .bridge_arn(&arn)
            .source_name("cam")
            .network_source(
                t::UpdateBridgeNetworkSourceRequest::builder()
                    .multicast_source_settings(
                        t::MulticastSourceSettings::builder()
                            .multicast_source_ip("10.0.0.7")
                            .build(),
                    )
                    .build(),
            )
            .send()
    };
    let e = ssm().await.unwrap_err();
    assert_eq!(e.code(), Some("ConflictException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("The bridge is ACTIVE. Set its state to STANDBY before you change a source's MulticastSourceSettings.")
    );
    mc.update_bridge_state()
        .bridge_arn(&arn)
        .desired_state(t::DesiredState::Standby)
        .send()
        .await
        .unwrap();
    let s = ssm().await.expect("in standby").source.unwrap();
    assert_eq!(
        s.network_source()
            .unwrap()
            .multicast_source_settings()
            .unwrap()
            .multicast_source_ip(),
        Some("10.0.0.7")
    );
}

/// The User Guide's "Flow sizes and capabilities": "A flow size determines ... which source
/// and output types it supports"; Medium and Large carry no CDI or JPEG XS, Large 4x no
/// transport streams.
#[tokio::test]
async fn an_explicit_flow_size_carries_only_its_protocols() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "MediaConnectAccessRole").await;
    let create = |size: t::FlowSize| {
        mc.create_flow()
            .name("jxs")
            .flow_size(size)
            .vpc_interfaces(
                t::VpcInterfaceRequest::builder()
                    .name("ena0")
                    .role_arn(&role)
                    .security_group_ids("sg-1")
                    .subnet_id("subnet-1")
                    .build(),
            )
            .media_streams(video_stream())
            .source(video_source(
                "s",
                t::Protocol::St2110Jpegxs,
                t::EncodingName::Jxsv,
                "ena0",
            ))
            .send()
    };
    let e = create(t::FlowSize::Medium).await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("A MEDIUM flow doesn't support st2110-jpegxs sources or outputs (source s). CDI and ST 2110 JPEG XS need a LARGE_4X flow.")
    );
    let flow = create(t::FlowSize::Large4X)
        .await
        .expect("a LARGE_4X JPEG XS flow")
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let e = mc
        .add_flow_outputs()
        .flow_arn(&flow)
        .outputs(
            t::AddOutputRequest::builder()
                .name("o")
                .protocol(t::Protocol::Rtp)
                .destination("198.51.100.1")
                .port(5000)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("A LARGE_4X flow supports only CDI and ST 2110 JPEG XS sources and outputs; output o uses rtp.")
    );
}

/// The model's GatewayNetwork.CidrBlock: "A unique IP address range to use for this network".
#[tokio::test]
async fn a_gateways_networks_take_unique_ip_address_ranges() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let network = |name: &str, cidr: &str| {
        t::GatewayNetwork::builder()
            .name(name)
            .cidr_block(cidr)
            .build()
    };
    let e = mc
        .create_gateway()
        .name("site")
        .egress_cidr_blocks("203.0.113.0/24")
        .networks(network("lan", "10.0.0.0/16"))
        .networks(network("media", "10.0.0.0/16"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("Networks lan and media use the same IP address range (10.0.0.0/16). Each network of a gateway needs a unique CIDR block.")
    );
    let listed = mc.list_gateways().send().await.unwrap();
    assert!(listed.gateways().is_empty());
    let g = mc
        .create_gateway()
        .name("site")
        .egress_cidr_blocks("203.0.113.0/24")
        .networks(network("lan", "10.0.0.0/16"))
        .networks(network("media", "10.1.0.0/16"))
        .send()
        .await
        .expect("two ranges")
        .gateway
        .unwrap();
    assert_eq!(g.networks().len(), 2);
}

/// The model's ReservationState has EXPIRED, and ListReservations "includes all reservations
/// in all states (such as active and expired)": a reservation whose End has passed (here
/// restored from an exported state with an End a year gone) answers EXPIRED.
#[tokio::test]
async fn a_reservation_past_its_end_answers_expired() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let offering = mc.list_offerings().send().await.unwrap().offerings()[0]
        .offering_arn
        .clone()
        .unwrap();
    let now = aws_sdk_mediaconnect::primitives::DateTime::from(std::time::SystemTime::now())
        .fmt(aws_sdk_mediaconnect::primitives::DateTimeFormat::DateTime)
        .unwrap();
    let start = format!("{}Z", &now[..19]);
    let bought = mc
        .purchase_offering()
        .offering_arn(&offering)
        .reservation_name("year")
        .start(&start)
        .send()
        .await
        .expect("purchase")
        .reservation
        .unwrap();
    assert_eq!(bought.reservation_state, Some(t::ReservationState::Active));
    let arn = bought.reservation_arn.unwrap();
    let (status, mut state) = server
        .admin(
            "GET",
            "/_mediamock/state",
            serde_json::Value::Null,
            "test",
            "test",
        )
        .await;
    assert_eq!(status, 200, "{state}");
    let records = state["records"].as_array_mut().unwrap();
    let record = records
        .iter_mut()
        .find(|r| r["record"]["key"] == arn.as_str())
        .expect("the reservation's record");
    record["record"]["value"]["End"] = serde_json::json!("2020-01-01T00:00:00Z");
    let (status, body) = server
        .admin("PUT", "/_mediamock/state", state, "test", "test")
        .await;
    assert_eq!(status, 200, "{body}");
    let d = mc
        .describe_reservation()
        .reservation_arn(&arn)
        .send()
        .await
        .unwrap()
        .reservation
        .unwrap();
    assert_eq!(d.reservation_state, Some(t::ReservationState::Expired));
    let listed = mc.list_reservations().send().await.unwrap();
    assert_eq!(
        listed.reservations()[0].reservation_state,
        Some(t::ReservationState::Expired)
    );
    assert_eq!(
        mc.list_offerings().send().await.unwrap().offerings().len(),
        3
    );
}

/// The model's MaintenanceStartHour: "The default value is 02:00."
#[tokio::test]
async fn a_maintenance_day_without_a_start_hour_starts_at_two() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("f")
        .source(
            t::SetSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let m = mc
        .update_flow()
        .flow_arn(&flow)
        .maintenance(
            t::UpdateMaintenance::builder()
                .maintenance_day(t::MaintenanceDay::Friday)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .maintenance
        .unwrap();
    assert_eq!(m.maintenance_day, Some(t::MaintenanceDay::Friday));
    assert_eq!(m.maintenance_start_hour.as_deref(), Some("02:00"));
}

/// CloudFormation's AWS::MediaConnect::Flow MediaStream VideoFormat: "Allowed values: 2160p |
/// 1080p | 1080i | 720p | 480p".
#[tokio::test]
async fn a_video_media_stream_takes_only_the_documented_formats() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let flow = mc
        .create_flow()
        .name("f")
        .source(
            t::SetSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let add = |format: &str| {
        mc.add_flow_media_streams()
            .flow_arn(&flow)
            .media_streams(
                t::AddMediaStreamRequest::builder()
                    .media_stream_id(1)
                    .media_stream_name("video")
                    .media_stream_type(t::MediaStreamType::Video)
                    .clock_rate(90000)
                    .video_format(format)
                    .build(),
            )
            .send()
    };
    let e = add("4k").await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some("VideoFormat 4k is not valid. Specify one of 2160p, 1080p, 1080i, 720p, 480p.")
    );
    let added = add("1080i").await.expect("1080i");
    assert_eq!(added.media_streams()[0].video_format(), Some("1080i"));
}

/// A bridge's flow source and a flow's bridge source attach to a VPC interface of the flow
/// (the model's FlowVpcInterfaceAttachment / VpcInterfaceAttachment: "The name of the VPC
/// interface attachment to use for this source"); an interface the flow lacks is refused, as
/// it is for a flow's outputs.
#[tokio::test]
async fn a_bridge_flow_source_attaches_to_one_of_the_flows_vpc_interfaces() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Vpc").await;
    let gw = lan_gateway(&mc).await;
    let flow = mc
        .create_flow()
        .name("f")
        .vpc_interfaces(
            t::VpcInterfaceRequest::builder()
                .name("eth0")
                .role_arn(&role)
                .security_group_ids("sg-1")
                .subnet_id("subnet-1")
                .build(),
        )
        .source(
            t::SetSourceRequest::builder()
                .name("src")
                .protocol(t::Protocol::Rtp)
                .ingest_port(5000)
                .whitelist_cidr("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let create = |vpc: &str| {
        mc.create_bridge()
            .name("out")
            .placement_arn(&gw)
            .egress_gateway_bridge(
                t::AddEgressGatewayBridgeRequest::builder()
                    .max_bitrate(10_000_000)
                    .build(),
            )
            .sources(
                t::AddBridgeSourceRequest::builder()
                    .flow_source(
                        t::AddBridgeFlowSourceRequest::builder()
                            .name("f")
                            .flow_arn(&flow)
                            .flow_vpc_interface_attachment(
                                t::VpcInterfaceAttachment::builder()
                                    .vpc_interface_name(vpc)
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .send()
    };
    let e = create("eth9").await.unwrap_err();
    assert_eq!(e.code(), Some("BadRequestException"), "{e:?}");
    assert_eq!(
        e.message(),
        Some(format!("VPC interface eth9 does not exist on flow {flow}.").as_str())
    );
    let b = create("eth0")
        .await
        .expect("the flow's interface")
        .bridge
        .unwrap();
    let source = b.sources()[0].flow_source().unwrap();
    assert_eq!(
        source
            .flow_vpc_interface_attachment()
            .unwrap()
            .vpc_interface_name(),
        Some("eth0")
    );
}

#[tokio::test]
async fn a_router_input_whose_protocol_union_sets_no_member_or_two_is_refused_and_the_sdk_reads_the_list(
) {
    // The SDK can only send a union with one member; a raw request with none or two used to be
    // stored and echoed, and every later answer naming it broke the SDK's parser.
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let ni = public_interface(&mc).await;
    for protocol in [
        "{}",
        r#"{"rtp":{"port":5000},"rist":{"port":5002,"recoveryLatencyMilliseconds":100}}"#,
    ] {
        let body = format!(
            r#"{{"name":"raw","maximumBitrate":10000000,"routingScope":"REGIONAL","tier":"INPUT_20",
            "configuration":{{"standard":{{"networkInterfaceArn":"{ni}","protocolConfiguration":{protocol}}}}}}}"#
        );
        let r = server
            .signed(
                "POST",
                "/v1/routerInput",
                &[("content-type", "application/json")],
                body.as_bytes(),
                "mediaconnect",
                "test",
                "test",
                std::time::SystemTime::now(),
            )
            .await;
        assert_eq!(r.status, 400, "{}", r.text());
        assert_eq!(
            r.header("x-amzn-errortype")
                .map(|h| h.split(':').next().unwrap_or("")),
            Some("BadRequestException")
        );
        assert!(
            r.text()
                .contains("'configuration.standard.protocolConfiguration'"),
            "{}",
            r.text()
        );
    }
    mc.create_router_input()
        .name("ok")
        .configuration(rtp_input(&ni, 5000))
        .maximum_bitrate(10_000_000)
        .routing_scope(t::RoutingScope::Regional)
        .tier(t::RouterInputTier::Input20)
        .send()
        .await
        .expect("a one-member union is taken");
    let listed = mc
        .list_router_inputs()
        .send()
        .await
        .expect("the SDK reads every listed input")
        .router_inputs;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "ok");
}

/// The model's FabricConfiguration: "IMMEDIATE (default) – Switches to the new router input
/// immediately", and a switching mode "must match the switching configuration". (This SDK's
/// model predates SwitchingMode, so the answers are read raw.)
#[tokio::test]
async fn a_router_output_answers_immediate_switching_unless_its_configuration_waits_for_a_key_frame(
) {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let ni = public_interface(&mc).await;
    let plain = rtp_router_output(&mc, &ni, "plain", 10_000_000).await;
    assert_eq!(
        plain.fabric_configuration.unwrap().recovery_latency_mode,
        t::FabricLatencyMode::Balanced
    );
    let send = |method: &'static str, path: String, body: String| {
        let server = &server;
        async move {
            server
                .signed(
                    method,
                    &path,
                    &[("content-type", "application/json")],
                    body.as_bytes(),
                    "mediaconnect",
                    "test",
                    "test",
                    std::time::SystemTime::now(),
                )
                .await
        }
    };
    let arn = plain.arn.replace(':', "%3A");
    let got = send("GET", format!("/v1/routerOutput/{arn}"), String::new()).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(
        got.json()["routerOutput"]["fabricConfiguration"],
        serde_json::json!({"recoveryLatencyMode": "BALANCED", "switchingMode": "IMMEDIATE"})
    );
    let body = format!(
        r#"{{"name":"kf","maximumBitrate":10000000,"routingScope":"REGIONAL","tier":"OUTPUT_20",
        "configuration":{{"standard":{{"networkInterfaceArn":"{ni}","protocolConfiguration":
            {{"rtp":{{"destinationAddress":"198.51.100.1","destinationPort":5000}}}}}}}},
        "fabricConfiguration":{{"recoveryLatencyMode":"LOW_LATENCY",
            "switchingConfiguration":{{"keyFrame":{{"keyFrameWaitMilliseconds":2000}}}}}}}}"#
    );
    let created = send("POST", "/v1/routerOutput".into(), body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        created.json()["routerOutput"]["fabricConfiguration"]["switchingMode"],
        "KEY_FRAME"
    );
    // The SDK still reads the output it does not fully model.
    let listed = mc
        .list_router_outputs()
        .send()
        .await
        .unwrap()
        .router_outputs;
    assert_eq!(listed.len(), 2);
}

/// API_Encryption, shared by a source's Decryption and an entitlement's Encryption: "If no
/// keyType is provided, the service will use the default setting (static-key)".
#[tokio::test]
async fn source_decryption_and_entitlement_encryption_answer_the_static_key_default() {
    let server = TestServer::start().await;
    let mc = root(&server).await;
    let role = mediaconnect_role(&server, "Keys").await;
    let key = || {
        t::Encryption::builder()
            .role_arn(&role)
            .algorithm(t::Algorithm::Aes256)
            .secret_arn("arn:aws:secretsmanager:us-west-2:000000000000:secret:key")
            .build()
    };
    let flow = mc
        .create_flow()
        .name("keys")
        .source(
            t::SetSourceRequest::builder()
                .name("s")
                .protocol(t::Protocol::ZixiPush)
                .whitelist_cidr("10.0.0.0/16")
                .decryption(key())
                .build(),
        )
        .entitlements(
            t::GrantEntitlementRequest::builder()
                .name("e")
                .subscribers("111122223333")
                .encryption(key())
                .build(),
        )
        .send()
        .await
        .expect("create flow")
        .flow
        .unwrap()
        .flow_arn
        .unwrap();
    let granted = mc
        .grant_flow_entitlements()
        .flow_arn(&flow)
        .entitlements(
            t::GrantEntitlementRequest::builder()
                .name("g")
                .subscribers("111122223333")
                .encryption(key())
                .build(),
        )
        .send()
        .await
        .expect("grant");
    assert_eq!(
        granted.entitlements()[0].encryption().unwrap().key_type(),
        Some(&t::KeyType::StaticKey)
    );
    let d = mc
        .describe_flow()
        .flow_arn(&flow)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap();
    let source = d.source().unwrap();
    assert_eq!(
        source.decryption().unwrap().key_type(),
        Some(&t::KeyType::StaticKey)
    );
    assert_eq!(d.entitlements().len(), 2);
    for e in d.entitlements() {
        assert_eq!(
            e.encryption().unwrap().key_type(),
            Some(&t::KeyType::StaticKey),
            "{e:?}"
        );
    }
}
