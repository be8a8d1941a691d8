//! Unit tests of whole operations through [`service::Service`].

use crate::test_support::*;
use crate::MediaConnect;
use serde_json::{json, Value};
use service::Service;

#[test]
fn a_flow_lives_through_start_stop_and_delete() {
    let mc = mc();
    let arn = flow(&mc, "Game");
    let f = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(f["Flow"]["Status"], "STANDBY");
    assert_eq!(f["Flow"]["Source"]["Transport"]["Protocol"], "rtp");
    assert_eq!(f["Flow"]["Sources"][0], f["Flow"]["Source"]);
    assert!(f["Flow"]["AvailabilityZone"]
        .as_str()
        .unwrap()
        .starts_with("us-west-2"));
    assert_eq!(f["Messages"]["Errors"], json!([]));
    let msg = err(
        &mc,
        "StopFlow",
        json!({"FlowArn": arn}),
        "BadRequestException",
    );
    assert!(msg.contains("STANDBY"));
    let s = ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    assert_eq!(s["Status"], "STARTING");
    let f = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(f["Flow"]["Status"], "ACTIVE");
    let msg = err(
        &mc,
        "DeleteFlow",
        json!({"FlowArn": arn}),
        "BadRequestException",
    );
    assert!(msg.contains("ACTIVE"), "{msg}");
    assert_eq!(
        ok(&mc, "StopFlow", json!({"FlowArn": arn}))["Status"],
        "STOPPING"
    );
    assert_eq!(
        ok(&mc, "DeleteFlow", json!({"FlowArn": arn}))["Status"],
        "DELETING"
    );
    err(
        &mc,
        "DescribeFlow",
        json!({"FlowArn": arn}),
        "NotFoundException",
    );
    let list = ok(&mc, "ListFlows", json!({}));
    assert_eq!(list["Flows"], json!([]));
}

#[test]
fn outputs_follow_each_protocols_rules() {
    let mc = mc();
    let arn = flow(&mc, "Game");
    let add = |o: serde_json::Value| {
        call_as(
            &mc,
            ACCOUNT,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [o]}),
        )
    };
    let out = add(
        json!({"Name": "a", "Protocol": "rtp-fec", "Destination": "198.51.100.5", "Port": 5020}),
    )
    .unwrap();
    let o = &out["Outputs"][0];
    // A flow's parts take its ID (the User Guide's CLI example of a CDI flow).
    let id = arn.split(':').nth(6).unwrap();
    assert_eq!(
        o["OutputArn"],
        format!("arn:aws:mediaconnect:us-west-2:{ACCOUNT}:output:{id}:a")
    );
    assert_eq!(o["Transport"]["Protocol"], "rtp-fec");
    assert_eq!(o["OutputStatus"], "ENABLED");
    let e = add(json!({"Name": "b", "Protocol": "rtp", "Port": 5020})).unwrap_err();
    assert_eq!(e.message, "Destination is required for protocol rtp.");
    let e = add(json!({"Name": "c", "Protocol": "srt-listener", "Port": 5020})).unwrap_err();
    assert_eq!(
        e.message,
        "CidrAllowList is required for protocol srt-listener."
    );
    let ok_srt = add(json!({"Name": "c", "Protocol": "srt-listener", "Port": 5021, "CidrAllowList": ["10.0.0.0/8"]}))
        .unwrap();
    assert!(ok_srt["Outputs"][0]["ListenerAddress"].is_string());
    let e =
        add(json!({"Name": "a", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5030}))
            .unwrap_err();
    assert!(e.message.contains("already exists"), "{}", e.message);
    let e = add(json!({"Name": "z", "Protocol": "zixi-pull"})).unwrap_err();
    assert_eq!(e.message, "RemoteId is required for protocol zixi-pull.");
    let e = add(json!({"Name": "n", "Protocol": "ndi-speed-hq"})).unwrap_err();
    assert!(e.message.contains("NDI"));
    let e = add(json!({"Name": "j", "Protocol": "st2110-jpegxs"})).unwrap_err();
    assert!(e.message.contains("VpcInterfaceAttachment"));
    let e = add(json!({"Name": "p", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 80}))
        .unwrap_err();
    assert!(e.message.contains("between 1024 and 65535"));
    let o_arn = o["OutputArn"].as_str().unwrap();
    let u = ok(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": o_arn, "Port": 5040}),
    );
    assert_eq!(u["Output"]["Port"], 5040);
    assert_eq!(u["Output"]["Destination"], "198.51.100.5");
    ok(
        &mc,
        "RemoveFlowOutput",
        json!({"FlowArn": arn, "OutputArn": o_arn}),
    );
    err(
        &mc,
        "RemoveFlowOutput",
        json!({"FlowArn": arn, "OutputArn": o_arn}),
        "NotFoundException",
    );
}

#[test]
fn at_most_fifty_outputs() {
    let mc = mc();
    let arn = flow(&mc, "Big");
    let outputs: Vec<_> = (0..50)
        .map(|i| json!({"Name": format!("o{i}"), "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 2000 + i}))
        .collect();
    ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": outputs}),
    );
    err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [{"Name": "x", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 3000}]}),
        "AddFlowOutputs420Exception",
    );
}

#[test]
fn a_vpc_source_needs_no_whitelist_cidr() {
    // The User Guide's "Creating a transport stream flow that uses a VPC source": the RIST,
    // RTP/RTP-FEC and SRT listener steps name the port and the VPC interface and ask for no
    // Whitelist CIDR, which the standard-source steps ask for. It was required of both.
    let mc = mc();
    let vpc = json!([{"Name": "eth0", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
        "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}]);
    for (i, protocol) in ["rist", "rtp", "rtp-fec", "srt-listener"]
        .iter()
        .enumerate()
    {
        let source = json!({"Name": "s", "Protocol": protocol, "IngestPort": 5000, "VpcInterfaceName": "eth0"});
        let f = ok(
            &mc,
            "CreateFlow",
            json!({"Name": format!("vpc{i}"), "VpcInterfaces": vpc, "Source": source}),
        );
        let s = &f["Flow"]["Source"];
        assert_eq!(s["Transport"]["Protocol"], *protocol);
        assert!(s.get("WhitelistCidr").is_none(), "{s}");
        assert!(s["IngestIp"].as_str().unwrap().starts_with("10."), "{s}");
    }
    // A standard source still needs one.
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "public", "Source": {"Name": "s", "Protocol": "rist", "IngestPort": 5000}}),
        "BadRequestException",
    );
    assert_eq!(e, "WhitelistCidr is required for protocol rist.");
}

#[test]
fn sources_need_their_members_and_the_last_one_stays() {
    let mc = mc();
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "rtp", "IngestPort": 5000}}),
        "BadRequestException",
    );
    assert_eq!(e, "WhitelistCidr is required for protocol rtp.");
    err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "srt-caller"}}),
        "BadRequestException",
    );
    let arn = flow(&mc, "f");
    let e = err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [rtp_source_on("b", 5010)]}),
        "BadRequestException",
    );
    assert!(e.contains("failover"), "{e}");
    ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "FAILOVER"}}),
    );
    let added = ok(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [rtp_source_on("b", 5010)]}),
    );
    let b = added["Sources"][0]["SourceArn"]
        .as_str()
        .unwrap()
        .to_string();
    let id = arn.split(':').nth(6).unwrap();
    assert_eq!(
        b,
        format!("arn:aws:mediaconnect:us-west-2:{ACCOUNT}:source:{id}:b")
    );
    err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [rtp_source("c")]}),
        "BadRequestException",
    );
    let u = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": b, "IngestPort": 5002}),
    );
    assert_eq!(u["Source"]["IngestPort"], 5002);
    ok(
        &mc,
        "RemoveFlowSource",
        json!({"FlowArn": arn, "SourceArn": b}),
    );
    let first =
        ok(&mc, "DescribeFlow", json!({"FlowArn": arn}))["Flow"]["Source"]["SourceArn"].clone();
    let e = err(
        &mc,
        "RemoveFlowSource",
        json!({"FlowArn": arn, "SourceArn": first}),
        "BadRequestException",
    );
    assert!(e.contains("only source"));
}

#[test]
fn entitlements_feed_another_accounts_flow() {
    let mc = mc();
    let arn = flow(&mc, "Origin");
    let g = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "e", "Subscribers": [OTHER], "DataTransferSubscriberFeePercent": 10}]}),
    );
    let e_arn = g["Entitlements"][0]["EntitlementArn"]
        .as_str()
        .unwrap()
        .to_string();
    let listed = call_as(&mc, OTHER, "ListEntitlements", json!({})).unwrap();
    assert_eq!(listed["Entitlements"][0]["EntitlementArn"], e_arn.as_str());
    assert_eq!(
        listed["Entitlements"][0]["DataTransferSubscriberFeePercent"],
        10
    );
    assert_eq!(
        ok(&mc, "ListEntitlements", json!({}))["Entitlements"],
        json!([])
    );
    let sub = call_as(
        &mc,
        OTHER,
        "CreateFlow",
        json!({"Name": "Sub", "Source": {"Name": "in", "EntitlementArn": e_arn}}),
    )
    .unwrap();
    assert_eq!(sub["Flow"]["Source"]["EntitlementArn"], e_arn.as_str());
    assert_eq!(
        sub["Flow"]["Source"]["DataTransferSubscriberFeePercent"],
        10
    );
    let l = call_as(&mc, OTHER, "ListFlows", json!({})).unwrap();
    assert_eq!(l["Flows"][0]["SourceType"], "ENTITLED");
    // "The subscriber can use an entitlement only once."
    let e = call_as(
        &mc,
        OTHER,
        "CreateFlow",
        json!({"Name": "Sub2", "Source": {"Name": "in", "EntitlementArn": e_arn}}),
    )
    .unwrap_err();
    assert!(e.message.contains("only once"), "{e}");
    let sub_arn = sub["Flow"]["FlowArn"].clone();
    let sub_source = sub["Flow"]["Source"]["SourceArn"].clone();
    // An entitled source is a flow's only source.
    call_as(
        &mc,
        OTHER,
        "UpdateFlow",
        json!({"FlowArn": sub_arn, "SourceFailoverConfig": {"State": "ENABLED"}}),
    )
    .unwrap();
    let e = call_as(
        &mc,
        OTHER,
        "AddFlowSources",
        json!({"FlowArn": sub_arn, "Sources": [rtp_source("b")]}),
    )
    .unwrap_err();
    assert!(e.message.contains("entitled source"), "{e}");
    // An entitled source changes only while its flow is stopped.
    call_as(&mc, OTHER, "StartFlow", json!({"FlowArn": sub_arn})).unwrap();
    let e = call_as(
        &mc,
        OTHER,
        "UpdateFlowSource",
        json!({"FlowArn": sub_arn, "SourceArn": sub_source, "Description": "x"}),
    )
    .unwrap_err();
    assert!(e.message.contains("Stop the flow"), "{e}");
    call_as(&mc, OTHER, "StopFlow", json!({"FlowArn": sub_arn})).unwrap();
    call_as(
        &mc,
        OTHER,
        "UpdateFlowSource",
        json!({"FlowArn": sub_arn, "SourceArn": sub_source, "Description": "x"}),
    )
    .unwrap();
    // Not granted to this account.
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "Mine", "Source": {"Name": "in", "EntitlementArn": e_arn}}),
        "BadRequestException",
    );
    assert!(e.contains("not been granted"));
    // Revoked: the subscriber's flow reports it.
    ok(
        &mc,
        "RevokeFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e_arn}),
    );
    let sub_arn = sub["Flow"]["FlowArn"].as_str().unwrap();
    let d = call_as(&mc, OTHER, "DescribeFlow", json!({"FlowArn": sub_arn})).unwrap();
    assert!(d["Messages"]["Errors"][0]
        .as_str()
        .unwrap()
        .contains("revoked"));
    assert_eq!(
        call_as(&mc, OTHER, "ListEntitlements", json!({})).unwrap()["Entitlements"],
        json!([])
    );
}

#[test]
fn other_accounts_cannot_see_a_flow() {
    let mc = mc();
    let arn = flow(&mc, "Private");
    let e = call_as(&mc, OTHER, "DescribeFlow", json!({"FlowArn": arn})).unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    let e = call_as(
        &mc,
        OTHER,
        "ListTagsForResource",
        json!({"ResourceArn": arn}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        call_as(&mc, OTHER, "ListFlows", json!({})).unwrap()["Flows"],
        json!([])
    );
}

#[test]
fn vpc_interfaces_and_media_streams_for_cdi() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({
            "Name": "cdi",
            "VpcInterfaces": [{"Name": "efa0", "NetworkInterfaceType": "efa", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"), "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}],
            "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"}],
            "Source": {"Name": "s", "Protocol": "cdi", "MaxSyncBuffer": 100, "VpcInterfaceName": "efa0",
                "MediaStreamSourceConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
                    "InputConfigurations": [{"InputPort": 5000, "Interface": {"Name": "efa0"}}]}]},
            "Outputs": [{"Name": "o", "Protocol": "cdi", "VpcInterfaceAttachment": {"VpcInterfaceName": "efa0"},
                "MediaStreamOutputConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
                    "DestinationConfigurations": [{"DestinationIp": "10.0.0.9", "DestinationPort": 5000, "Interface": {"Name": "efa0"}}]}]}]
        }),
    );
    let f = &out["Flow"];
    assert!(f["VpcInterfaces"][0]["NetworkInterfaceIds"][0]
        .as_str()
        .unwrap()
        .starts_with("eni-"));
    assert_eq!(f["MediaStreams"][0]["Fmt"], 96);
    assert_eq!(f["MediaStreams"][0]["ClockRate"], 90000);
    let input_ip =
        &f["Source"]["MediaStreamSourceConfigurations"][0]["InputConfigurations"][0]["InputIp"];
    assert!(input_ip.as_str().unwrap().starts_with("10."));
    let arn = f["FlowArn"].as_str().unwrap();
    let e = err(
        &mc,
        "RemoveFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "video"}),
        "BadRequestException",
    );
    assert!(e.contains("in use"));
    let e = err(
        &mc,
        "RemoveFlowVpcInterface",
        json!({"FlowArn": arn, "VpcInterfaceName": "efa0"}),
        "BadRequestException",
    );
    assert!(e.contains("in use"));
    ok(
        &mc,
        "AddFlowMediaStreams",
        json!({"FlowArn": arn, "MediaStreams": [{"MediaStreamId": 2, "MediaStreamName": "audio", "MediaStreamType": "audio"}]}),
    );
    let u = ok(
        &mc,
        "UpdateFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "audio", "Description": "stereo"}),
    );
    assert_eq!(u["MediaStream"]["ClockRate"], 48000);
    assert_eq!(u["MediaStream"]["Fmt"], 97);
    ok(
        &mc,
        "RemoveFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "audio"}),
    );
    ok(
        &mc,
        "AddFlowVpcInterfaces",
        json!({"FlowArn": arn, "VpcInterfaces": [{"Name": "eth1", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"), "SecurityGroupIds": ["sg-2"], "SubnetId": "subnet-2"}]}),
    );
    let r = ok(
        &mc,
        "RemoveFlowVpcInterface",
        json!({"FlowArn": arn, "VpcInterfaceName": "eth1"}),
    );
    assert_eq!(r["NonDeletedNetworkInterfaceIds"], json!([]));
}

#[test]
fn tags_on_flows_and_outputs() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "t", "Source": rtp_source("s"), "FlowTags": {"team": "a"},
            "Outputs": [{"Name": "o", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5000, "OutputTags": {"k": "v"}}]}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let o = out["Flow"]["Outputs"][0]["OutputArn"].as_str().unwrap();
    assert_eq!(
        ok(&mc, "ListTagsForResource", json!({"ResourceArn": arn}))["Tags"],
        json!({"team": "a"})
    );
    assert_eq!(
        ok(&mc, "ListTagsForResource", json!({"ResourceArn": o}))["Tags"],
        json!({"k": "v"})
    );
    ok(
        &mc,
        "TagResource",
        json!({"ResourceArn": o, "Tags": {"x": "y"}}),
    );
    ok(
        &mc,
        "UntagResource",
        json!({"ResourceArn": o, "TagKeys": ["k"]}),
    );
    assert_eq!(
        ok(&mc, "ListTagsForResource", json!({"ResourceArn": o}))["Tags"],
        json!({"x": "y"})
    );
    let ms = format!("{arn}/mediaStream/none");
    err(
        &mc,
        "TagResource",
        json!({"ResourceArn": ms, "Tags": {"a": "b"}}),
        "NotFoundException",
    );
}

/// The engine's accesses for `op` as the default caller.
fn accesses(mc: &crate::MediaConnect, op: &str, input: serde_json::Value) -> Vec<service::Access> {
    match authz::authorize(mc, &ctx_of(ACCOUNT), op, &input).unwrap() {
        authz::Authorization::Required(a) => a,
        other => panic!("{op}: {other:?}"),
    }
}

fn has(a: &service::Access, key: &str) -> bool {
    a.context.iter().any(|(k, _)| k == key)
}

#[test]
fn the_engine_sees_flows_parts_tags_and_passed_roles() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "t", "Source": rtp_source("s"), "FlowTags": {"team": "a"},
            "Outputs": [{"Name": "o", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5000, "OutputTags": {"k": "v"}}]}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let output = out["Flow"]["Outputs"][0]["OutputArn"].as_str().unwrap();
    let role = format!("arn:aws:iam::{ACCOUNT}:role/mc");
    let a = accesses(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [{"Name": "o2", "Protocol": "zixi-push", "Destination": "198.51.100.5", "Port": 2088, "Encryption": {"RoleArn": role}, "OutputTags": {"env": "prod"}}]}),
    );
    assert_eq!(a[0].action, "mediaconnect:AddFlowOutputs");
    assert_eq!(a[0].resource, arn);
    assert!(has(&a[0], "aws:ResourceTag/team"));
    assert!(has(&a[0], "aws:RequestTag/env"));
    assert_eq!(
        a[1].resource,
        format!("arn:aws:mediaconnect:us-west-2:{ACCOUNT}:output:*:*")
    );
    let pass = a.iter().find(|x| x.action == "iam:PassRole").unwrap();
    assert_eq!(pass.resource, role);
    assert!(has(pass, "iam:PassedToService"));
    // An existing output carries its own tags.
    let u = accesses(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": output, "Port": 5001}),
    );
    assert_eq!(u[1].resource, output);
    assert!(has(&u[1], "aws:ResourceTag/k"));
    // Media streams live below their flow.
    let m = accesses(
        &mc,
        "RemoveFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "v"}),
    );
    assert_eq!(m[1].resource, format!("{arn}/mediaStream/v"));
    // Every tag a CreateFlow attaches is a request tag.
    let c = accesses(
        &mc,
        "CreateFlow",
        json!({"Name": "x", "Source": rtp_source("s"), "FlowTags": {"a": "1"}, "Outputs": [{"Name": "o", "OutputTags": {"b": "2"}}]}),
    );
    assert!(has(&c[0], "aws:RequestTag/a") && has(&c[0], "aws:RequestTag/b"));
    let l = accesses(&mc, "ListFlows", json!({}));
    assert_eq!(l[0].resource, "*");
}

#[test]
fn a_role_from_another_account_is_refused() {
    let mc = mc();
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "zixi-push",
            "Decryption": {"RoleArn": format!("arn:aws:iam::{OTHER}:role/x"), "Algorithm": "aes256"}}}),
        "BadRequestException",
    );
    assert!(e.contains("does not exist in account"));
}

#[test]
fn metadata_and_thumbnail_of_a_running_flow() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "m", "Source": rtp_source("s"), "SourceMonitoringConfig": {"ThumbnailState": "ENABLED"}}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let m = ok(&mc, "DescribeFlowSourceMetadata", json!({"FlowArn": arn}));
    assert_eq!(m["Messages"][0]["Code"], "FLOW_NOT_RUNNING");
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let m = ok(&mc, "DescribeFlowSourceMetadata", json!({"FlowArn": arn}));
    assert_eq!(
        m["TransportMediaInfo"]["Programs"][0]["Streams"][0]["Codec"],
        "h264"
    );
    let t = ok(&mc, "DescribeFlowSourceThumbnail", json!({"FlowArn": arn}));
    assert!(t["ThumbnailDetails"]["Thumbnail"]
        .as_str()
        .unwrap()
        .starts_with("iVBOR"));
}

#[test]
fn metadata_of_a_running_ndi_source_follows_its_shape() {
    // NdiSourceMetadataInfo requires DiscoveredSources, MediaInfo and Messages (ActiveSource:
    // "The connected NDI sender"), NdiMediaStreamInfo requires StreamId, and its Codec: "For
    // NDI sources, use speed-hq". It answered an ActiveViewer the shape does not have, which
    // the output check turns into an internal error.
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "n", "FlowSize": "LARGE", "NdiConfig": {"NdiState": "ENABLED"},
            "Source": {"Name": "s", "Protocol": "ndi-speed-hq", "NdiSourceSettings": {"SourceName": "CAM (1)"}}}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let m = ok(&mc, "DescribeFlowSourceMetadata", json!({"FlowArn": arn}));
    let ndi = &m["NdiInfo"];
    assert_eq!(ndi["ActiveSource"], json!({"SourceName": "CAM (1)"}));
    assert_eq!(ndi["DiscoveredSources"], json!([{"SourceName": "CAM (1)"}]));
    assert_eq!(ndi["Messages"], json!([]));
    assert!(ndi.get("ActiveViewer").is_none(), "{ndi}");
    let streams = ndi["MediaInfo"]["Streams"].as_array().unwrap();
    assert_eq!(streams[0]["Codec"], "speed-hq");
    assert_eq!(streams[0]["StreamType"], "Video");
    assert_eq!(
        (
            streams[0]["StreamId"].as_i64(),
            streams[1]["StreamId"].as_i64()
        ),
        (Some(0), Some(1))
    );
    assert!(m.get("TransportMediaInfo").is_none(), "{m}");
}

#[test]
fn metadata_of_a_running_rtmp_source_is_its_rtmp_info() {
    // DescribeFlowSourceMetadata's RtmpInfo: "The RTMP (Real-Time Messaging Protocol) specific
    // information about the flow's source. This includes the application name, the stream
    // name, and the associated audio and video streams." It answered a transport stream.
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "r", "Source": {"Name": "s", "Protocol": "rtmp-push", "WhitelistCidr": "10.0.0.0/16",
            "RtmpPushSettings": {"NamingConfiguration": {"Manual": {"ApplicationName": "app", "StreamName": "cam1"}}}}}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let m = ok(&mc, "DescribeFlowSourceMetadata", json!({"FlowArn": arn}));
    assert!(m.get("TransportMediaInfo").is_none(), "{m}");
    let rtmp = &m["RtmpInfo"];
    assert_eq!(
        (
            rtmp["ApplicationName"].as_str(),
            rtmp["StreamName"].as_str()
        ),
        (Some("app"), Some("cam1"))
    );
    let streams = rtmp["MediaInfo"]["Streams"].as_array().unwrap();
    let kinds: Vec<_> = streams
        .iter()
        .map(|s| (s["StreamId"].as_i64(), s["StreamType"].as_str()))
        .collect();
    assert_eq!(kinds, [(Some(0), Some("VIDEO")), (Some(1), Some("AUDIO"))]);
}

#[test]
fn tags_given_at_creation_keep_the_tag_limits() {
    // TagResourceRequest.Tags: "Tag keys can have a maximum character length of 128
    // characters, and tag values can have a maximum length of 256 characters"; the tags a
    // create request carries were stored whatever they were.
    let mc = mc();
    let long_key = "k".repeat(129);
    let bad = [
        json!({long_key.clone(): "v"}),
        json!({"aws:team": "v"}),
        json!({"k": "v".repeat(257)}),
    ];
    for tags in &bad {
        let e = err(
            &mc,
            "CreateFlow",
            json!({"Name": "t", "Source": rtp_source("s"), "FlowTags": tags}),
            "BadRequestException",
        );
        assert!(e.starts_with("tag "), "{e}");
        let mut source = rtp_source("s");
        source["SourceTags"] = tags.clone();
        err(
            &mc,
            "CreateFlow",
            json!({"Name": "t", "Source": source}),
            "BadRequestException",
        );
    }
    assert_eq!(ok(&mc, "ListFlows", json!({}))["Flows"], json!([]));
    let arn = flow(&mc, "f");
    let vpc = json!({"Name": "v", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
        "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1", "VpcInterfaceTags": {"aws:x": "y"}});
    let parts = [
        (
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [{"Name": "o", "Protocol": "rtp",
            "Destination": "198.51.100.5", "Port": 5001, "OutputTags": {long_key.clone(): "v"}}]}),
        ),
        (
            "GrantFlowEntitlements",
            json!({"FlowArn": arn, "Entitlements": [{"Name": "e",
            "Subscribers": [OTHER], "EntitlementTags": {"aws:x": "y"}}]}),
        ),
        (
            "AddFlowVpcInterfaces",
            json!({"FlowArn": arn, "VpcInterfaces": [vpc]}),
        ),
        (
            "AddFlowMediaStreams",
            json!({"FlowArn": arn, "MediaStreams": [{"MediaStreamId": 1,
            "MediaStreamName": "a", "MediaStreamType": "audio", "MediaStreamTags": {long_key.clone(): "v"}}]}),
        ),
    ];
    for (op, input) in parts {
        err(&mc, op, input, "BadRequestException");
    }
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Outputs"], json!([]));
    assert_eq!(d["Flow"]["Entitlements"], json!([]));
    assert_eq!(d["Flow"]["MediaStreams"], json!([]));
    assert!(
        d["Flow"]
            .get("VpcInterfaces")
            .is_none_or(|v| v == &json!([])),
        "{d}"
    );
    // Within the limits they are kept.
    let f = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "ok", "Source": rtp_source("s"), "FlowTags": {"k".repeat(128): "v".repeat(256)}}),
    );
    let tags = ok(
        &mc,
        "ListTagsForResource",
        json!({"ResourceArn": f["Flow"]["FlowArn"]}),
    );
    assert_eq!(tags["Tags"]["k".repeat(128)], "v".repeat(256));
}

#[test]
fn durable_records_restore_the_same_flows() {
    let mc1 = mc();
    let arn = flow(&mc1, "Durable");
    ok(&mc1, "StartFlow", json!({"FlowArn": arn}));
    let records = mc1.records();
    assert_eq!(records.len(), 1);
    let mc2 = mc();
    for r in &records {
        mc2.restore(r).unwrap();
    }
    let a = ok(&mc1, "DescribeFlow", json!({"FlowArn": arn}));
    let b = ok(&mc2, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(a, b);
    assert_eq!(b["Flow"]["Status"], "ACTIVE");
}

#[test]
fn list_flows_pages() {
    let mc = mc();
    for i in 0..5 {
        flow(&mc, &format!("f{i}"));
    }
    let p1 = ok(&mc, "ListFlows", json!({"MaxResults": 3}));
    assert_eq!(p1["Flows"].as_array().unwrap().len(), 3);
    let p2 = ok(
        &mc,
        "ListFlows",
        json!({"MaxResults": 3, "NextToken": p1["NextToken"]}),
    );
    assert_eq!(p2["Flows"].as_array().unwrap().len(), 2);
    assert!(p2.get("NextToken").is_none());
    err(
        &mc,
        "ListFlows",
        json!({"NextToken": "garbage"}),
        "BadRequestException",
    );
}

/// A gateway with one network, "lan"; returns its ARN.
fn gateway(mc: &crate::MediaConnect) -> String {
    let g = ok(
        mc,
        "CreateGateway",
        json!({"Name": "site", "EgressCidrBlocks": ["203.0.113.0/24"],
            "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
    );
    assert_eq!(g["Gateway"]["GatewayState"], "ACTIVE");
    g["Gateway"]["GatewayArn"].as_str().unwrap().to_string()
}

#[test]
fn gateways_instances_and_bridges_round_trip() {
    let mc = mc();
    let gw = gateway(&mc);
    assert!(gw.contains(":gateway:1-"));
    let e = err(
        &mc,
        "CreateGateway",
        json!({"Name": "bad", "EgressCidrBlocks": ["nope"], "Networks": [{"Name": "a", "CidrBlock": "10.0.0.0/16"}]}),
        "BadRequestException",
    );
    assert!(e.contains("CIDR"));
    let ingress = json!({"Name": "in", "PlacementArn": gw,
        "IngressGatewayBridge": {"MaxBitrate": 10000000, "MaxOutputs": 2},
        "SourceFailoverConfig": {"FailoverMode": "FAILOVER", "State": "ENABLED"},
        "Sources": [{"NetworkSource": {"Name": "cam", "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": "rtp"}}]});
    let b = ok(&mc, "CreateBridge", ingress.clone());
    let arn = b["Bridge"]["BridgeArn"].as_str().unwrap().to_string();
    assert_eq!(b["Bridge"]["BridgeState"], "STANDBY");
    let mut wrong_net = ingress.clone();
    wrong_net["Sources"][0]["NetworkSource"]["NetworkName"] = json!("wan");
    assert!(err(&mc, "CreateBridge", wrong_net, "BadRequestException").contains("not a network"));
    // Starting needs an instance of the gateway.
    let e = err(
        &mc,
        "UpdateBridgeState",
        json!({"BridgeArn": arn, "DesiredState": "ACTIVE"}),
        "ConflictException",
    );
    assert!(e.contains("instance"));
    let reg = mc.register_instance(&ctx_of(ACCOUNT), &gw).unwrap();
    let inst = reg["GatewayInstanceArn"].as_str().unwrap().to_string();
    ok(
        &mc,
        "UpdateBridgeState",
        json!({"BridgeArn": arn, "DesiredState": "ACTIVE"}),
    );
    let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
    assert_eq!(d["Bridge"]["BridgeState"], "ACTIVE");
    assert!(d["Bridge"]["IngressGatewayBridge"]["InstanceId"]
        .as_str()
        .unwrap()
        .starts_with("mi-"));
    let i = ok(
        &mc,
        "DescribeGatewayInstance",
        json!({"GatewayInstanceArn": inst}),
    );
    assert_eq!(i["GatewayInstance"]["RunningBridgeCount"], 1);
    err(
        &mc,
        "DeleteBridge",
        json!({"BridgeArn": arn}),
        "ConflictException",
    );
    err(
        &mc,
        "DeregisterGatewayInstance",
        json!({"GatewayInstanceArn": inst}),
        "ConflictException",
    );
    err(
        &mc,
        "DeleteGateway",
        json!({"GatewayArn": gw}),
        "ConflictException",
    );
    ok(
        &mc,
        "AddBridgeSources",
        json!({"BridgeArn": arn, "Sources": [{"NetworkSource": {"Name": "cam2", "MulticastIp": "224.0.0.2", "NetworkName": "lan", "Port": 5002, "Protocol": "rtp"}}]}),
    );
    let u = ok(
        &mc,
        "UpdateBridgeSource",
        json!({"BridgeArn": arn, "SourceName": "cam2", "NetworkSource": {"Port": 5004}}),
    );
    assert_eq!(u["Source"]["NetworkSource"]["Port"], 5004);
    ok(
        &mc,
        "RemoveBridgeSource",
        json!({"BridgeArn": arn, "SourceName": "cam2"}),
    );
    err(
        &mc,
        "RemoveBridgeSource",
        json!({"BridgeArn": arn, "SourceName": "cam"}),
        "BadRequestException",
    );
    ok(
        &mc,
        "UpdateBridgeState",
        json!({"BridgeArn": arn, "DesiredState": "STANDBY"}),
    );
    let l = ok(&mc, "ListBridges", json!({"FilterArn": gw}));
    assert_eq!(l["Bridges"][0]["BridgeType"], "ingress-gateway");
    ok(
        &mc,
        "UpdateBridgeState",
        json!({"BridgeArn": arn, "DesiredState": "DELETED"}),
    );
    err(
        &mc,
        "DescribeBridge",
        json!({"BridgeArn": arn}),
        "NotFoundException",
    );
    ok(
        &mc,
        "UpdateGatewayInstance",
        json!({"GatewayInstanceArn": inst, "BridgePlacement": "LOCKED"}),
    );
    assert_eq!(
        ok(&mc, "ListGatewayInstances", json!({}))["Instances"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    ok(
        &mc,
        "DeregisterGatewayInstance",
        json!({"GatewayInstanceArn": inst}),
    );
    ok(&mc, "DeleteGateway", json!({"GatewayArn": gw}));
    assert_eq!(ok(&mc, "ListGateways", json!({}))["Gateways"], json!([]));
}

#[test]
fn egress_bridges_carry_flows_to_network_outputs() {
    let mc = mc();
    let gw = gateway(&mc);
    let flow_arn = flow(&mc, "f");
    let b = ok(
        &mc,
        "CreateBridge",
        json!({"Name": "out", "PlacementArn": gw, "EgressGatewayBridge": {"MaxBitrate": 10000000},
            "Sources": [{"FlowSource": {"Name": "f", "FlowArn": flow_arn}}],
            "Outputs": [{"NetworkOutput": {"Name": "tv", "IpAddress": "10.0.0.5", "NetworkName": "lan", "Port": 6000, "Protocol": "rtp", "Ttl": 8}}]}),
    );
    let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
    let u = ok(
        &mc,
        "UpdateBridgeOutput",
        json!({"BridgeArn": arn, "OutputName": "tv", "NetworkOutput": {"Ttl": 16}}),
    );
    assert_eq!(u["Output"]["NetworkOutput"]["Ttl"], 16);
    ok(
        &mc,
        "RemoveBridgeOutput",
        json!({"BridgeArn": arn, "OutputName": "tv"}),
    );
    let e = err(
        &mc,
        "AddBridgeSources",
        json!({"BridgeArn": arn, "Sources": [{"FlowSource": {"Name": "g", "FlowArn": "arn:aws:mediaconnect:us-west-2:111122223333:flow:1-x-y:none"}}]}),
        "BadRequestException",
    );
    assert!(e.contains("does not exist"));
    let u = ok(
        &mc,
        "UpdateBridge",
        json!({"BridgeArn": arn, "EgressGatewayBridge": {"MaxBitrate": 20000000}}),
    );
    assert_eq!(u["Bridge"]["EgressGatewayBridge"]["MaxBitrate"], 20000000);
}

/// Midnight on the first day of the current month, the earliest start a reservation takes.
fn month_start(mc: &MediaConnect) -> String {
    let now = protocol::timestamp::iso8601(mc.runtime.clock.now());
    format!("{}01T00:00:00Z", &now[..8])
}

#[test]
fn offerings_and_reservations() {
    let mc = mc();
    let l = ok(&mc, "ListOfferings", json!({"MaxResults": 2}));
    assert_eq!(l["Offerings"].as_array().unwrap().len(), 2);
    let rest = ok(&mc, "ListOfferings", json!({"NextToken": l["NextToken"]}));
    assert_eq!(rest["Offerings"].as_array().unwrap().len(), 1);
    let arn = l["Offerings"][0]["OfferingArn"].as_str().unwrap();
    ok(&mc, "DescribeOffering", json!({"OfferingArn": arn}));
    let e = err(
        &mc,
        "PurchaseOffering",
        json!({"OfferingArn": arn, "ReservationName": "r", "Start": "tomorrow"}),
        "BadRequestException",
    );
    assert!(e.contains("Start"));
    // A start must fall between the first of the current month and now.
    let now = mc.runtime.clock.now();
    let start = month_start(&mc);
    let year: i32 = start[..4].parse().unwrap();
    for outside in [
        protocol::timestamp::iso8601(now + 86_400.0),
        protocol::timestamp::iso8601(protocol::timestamp::parse(&start).unwrap() - 1.0),
    ] {
        let e = err(
            &mc,
            "PurchaseOffering",
            json!({"OfferingArn": arn, "ReservationName": "r", "Start": outside}),
            "BadRequestException",
        );
        assert!(e.contains("first day of the current month"), "{e}");
    }
    assert_eq!(
        ok(&mc, "ListReservations", json!({}))["Reservations"],
        json!([])
    );
    let r = ok(
        &mc,
        "PurchaseOffering",
        json!({"OfferingArn": arn, "ReservationName": "r", "Start": start}),
    );
    assert_eq!(
        r["Reservation"]["End"],
        format!("{}{}", year + 1, &start[4..])
    );
    let r_arn = r["Reservation"]["ReservationArn"].as_str().unwrap();
    assert_eq!(
        ok(&mc, "DescribeReservation", json!({"ReservationArn": r_arn}))["Reservation"],
        r["Reservation"]
    );
    assert_eq!(
        ok(&mc, "ListReservations", json!({}))["Reservations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let other = call_as(
        &mc,
        OTHER,
        "DescribeReservation",
        json!({"ReservationArn": r_arn}),
    )
    .unwrap_err();
    assert_eq!(other.code, "NotFoundException");
    // With a reservation in force the account is offered nothing and buys nothing more.
    let l = ok(&mc, "ListOfferings", json!({}));
    assert_eq!(l["Offerings"], json!([]));
    let e = err(
        &mc,
        "PurchaseOffering",
        json!({"OfferingArn": arn, "ReservationName": "r2", "Start": start}),
        "BadRequestException",
    );
    assert!(e.contains("active reservation"), "{e}");
    // Another account still is.
    let theirs = call_as(&mc, OTHER, "ListOfferings", json!({})).unwrap();
    assert_eq!(theirs["Offerings"].as_array().unwrap().len(), 3);
}

#[test]
fn a_reservation_past_its_end_is_expired() {
    let mc = mc();
    let arn = ok(&mc, "ListOfferings", json!({}))["Offerings"][0]["OfferingArn"].clone();
    let start = protocol::timestamp::iso8601(mc.runtime.clock.now());
    let start = format!("{}Z", &start[..19]);
    let r = ok(
        &mc,
        "PurchaseOffering",
        json!({"OfferingArn": arn, "ReservationName": "r", "Start": start}),
    );
    let r_arn = json!({"ReservationArn": r["Reservation"]["ReservationArn"]});
    assert_eq!(r["Reservation"]["ReservationState"], "ACTIVE");
    // Its term over (as a server kept running, or state restored, a year later finds it): the
    // stored reservation is left as bought, with an End now past.
    let key = r["Reservation"]["ReservationArn"].as_str().unwrap();
    let ended = "2020-01-01T00:00:00Z";
    {
        let mut state = mc.state.write();
        let mut stored = state.reservations.get(key).unwrap().clone();
        stored.value.end = ended.into();
        state
            .reservations
            .put(&ctx_of(ACCOUNT).journal, key, stored);
    }
    let d = ok(&mc, "DescribeReservation", r_arn.clone());
    assert_eq!(d["Reservation"]["ReservationState"], "EXPIRED");
    assert_eq!(d["Reservation"]["End"], ended);
    let l = ok(&mc, "ListReservations", json!({}));
    assert_eq!(l["Reservations"][0]["ReservationState"], "EXPIRED");
    // The account may buy again.
    assert_eq!(
        ok(&mc, "ListOfferings", json!({}))["Offerings"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn router_interfaces_inputs_outputs_routing_and_global_tags() {
    let mc = mc();
    let ni = ok(
        &mc,
        "CreateRouterNetworkInterface",
        json!({"Name": "public", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}, "Tags": {"env": "test"}}),
    );
    let ni_arn = ni["RouterNetworkInterface"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ni_arn.contains(":routerNetworkInterface:"));
    assert_eq!(
        ni["RouterNetworkInterface"]["NetworkInterfaceType"],
        "PUBLIC"
    );
    assert_eq!(ni["RouterNetworkInterface"]["State"], "ACTIVE");
    let standard = |proto: serde_json::Value| json!({"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": proto}});
    let input = ok(
        &mc,
        "CreateRouterInput",
        json!({"Name": "in", "Configuration": standard(json!({"Rtp": {"Port": 5000}})), "MaximumBitrate": 10000000,
            "RoutingScope": "REGIONAL", "Tier": "INPUT_20"}),
    );
    let in_arn = input["RouterInput"]["Arn"].as_str().unwrap().to_string();
    assert_eq!(input["RouterInput"]["InputType"], "STANDARD");
    assert_eq!(input["RouterInput"]["State"], "STANDBY");
    let e = err(
        &mc,
        "CreateRouterInput",
        json!({"Name": "bad", "Configuration": {"Standard": {"NetworkInterfaceArn": "arn:aws:mediaconnect:us-west-2:111122223333:routerNetworkInterface:none", "ProtocolConfiguration": {"Rtp": {"Port": 1}}}},
            "MaximumBitrate": 1, "RoutingScope": "REGIONAL", "Tier": "INPUT_20"}),
        "BadRequestException",
    );
    assert!(e.contains("does not exist"));
    let output = ok(
        &mc,
        "CreateRouterOutput",
        json!({"Name": "out", "Configuration": standard(json!({"Rtp": {"DestinationAddress": "198.51.100.1", "DestinationPort": 5000}})),
            "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "OUTPUT_20"}),
    );
    let out_arn = output["RouterOutput"]["Arn"].as_str().unwrap().to_string();
    assert_eq!(output["RouterOutput"]["RoutedState"], "UNROUTED");
    // Stream details name the address that receives the media, and where it comes from.
    assert_eq!(
        output["RouterOutput"]["StreamDetails"]["Standard"]["DestinationIpAddress"],
        "198.51.100.1"
    );
    let caller = ok(
        &mc,
        "CreateRouterInput",
        json!({"Name": "caller", "Configuration": standard(json!({"SrtCaller": {"SourceAddress": "198.51.100.9", "SourcePort": 4000, "MinimumLatencyMilliseconds": 100}})),
            "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "INPUT_20"}),
    );
    assert_eq!(
        caller["RouterInput"]["StreamDetails"]["Standard"]["SourceIpAddress"],
        "198.51.100.9"
    );
    let rtmp = ok(
        &mc,
        "CreateRouterInput",
        json!({"Name": "rtmp", "Configuration": standard(json!({"RtmpPush": {"Port": 1935, "NamingConfiguration": {"Manual": {"ApplicationName": "app", "StreamName": "cam1"}}}})),
            "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "INPUT_20"}),
    );
    assert_eq!(
        rtmp["RouterInput"]["StreamDetails"]["Standard"]["RtmpPush"],
        json!({"ApplicationName": "app", "StreamName": "cam1"})
    );
    let auto = ok(
        &mc,
        "CreateRouterInput",
        json!({"Name": "rtmp-auto", "Configuration": standard(json!({"RtmpPush": {"Port": 1935, "NamingConfiguration": {"Automatic": {}}}})),
            "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "INPUT_20"}),
    );
    let auto_arn = auto["RouterInput"]["Arn"].clone();
    let named = &auto["RouterInput"]["StreamDetails"]["Standard"]["RtmpPush"];
    assert!(named["StreamName"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(
        &ok(&mc, "GetRouterInput", json!({"Arn": auto_arn}))["RouterInput"]["StreamDetails"]
            ["Standard"]["RtmpPush"],
        named
    );
    for extra in [&caller, &rtmp, &auto] {
        ok(
            &mc,
            "DeleteRouterInput",
            json!({"Arn": extra["RouterInput"]["Arn"]}),
        );
    }
    let t = ok(
        &mc,
        "TakeRouterInput",
        json!({"RouterOutputArn": out_arn, "RouterInputArn": in_arn}),
    );
    assert_eq!(t["RoutedState"], "ROUTED");
    assert_eq!(
        ok(&mc, "GetRouterInput", json!({"Arn": in_arn}))["RouterInput"]["RoutedOutputs"],
        1
    );
    err(
        &mc,
        "DeleteRouterInput",
        json!({"Arn": in_arn}),
        "ConflictException",
    );
    err(
        &mc,
        "DeleteRouterNetworkInterface",
        json!({"Arn": ni_arn}),
        "ConflictException",
    );
    let s = ok(&mc, "StartRouterInput", json!({"Arn": in_arn}));
    assert_eq!(s["State"], "STARTING");
    assert!(s["MaintenanceSchedule"]["Window"]["Start"].is_number());
    let m = ok(&mc, "GetRouterInputSourceMetadata", json!({"Arn": in_arn}));
    assert!(m["SourceMetadataDetails"]["RouterInputMetadata"].is_object());
    let th = ok(&mc, "GetRouterInputThumbnail", json!({"Arn": in_arn}));
    assert!(th["ThumbnailDetails"]["Thumbnail"].is_string());
    err(
        &mc,
        "StartRouterInput",
        json!({"Arn": in_arn}),
        "ConflictException",
    );
    ok(&mc, "StopRouterInput", json!({"Arn": in_arn}));
    let l = ok(
        &mc,
        "ListRouterOutputs",
        json!({"Filters": [{"RoutedInputArns": [in_arn]}]}),
    );
    assert_eq!(l["RouterOutputs"].as_array().unwrap().len(), 1);
    let l = ok(
        &mc,
        "ListRouterInputs",
        json!({"Filters": [{"NameContains": ["nope"]}]}),
    );
    assert_eq!(l["RouterInputs"], json!([]));
    let b = ok(
        &mc,
        "BatchGetRouterInput",
        json!({"Arns": [in_arn, "arn:aws:mediaconnect:us-west-2:111122223333:routerInput:gone"]}),
    );
    assert_eq!(b["RouterInputs"].as_array().unwrap().len(), 1);
    assert_eq!(b["Errors"][0]["Code"], "NOT_FOUND");
    ok(
        &mc,
        "TagGlobalResource",
        json!({"ResourceArn": ni_arn, "Tags": {"team": "a"}}),
    );
    ok(
        &mc,
        "UntagGlobalResource",
        json!({"ResourceArn": ni_arn, "TagKeys": ["env"]}),
    );
    assert_eq!(
        ok(
            &mc,
            "ListTagsForGlobalResource",
            json!({"ResourceArn": ni_arn})
        )["Tags"],
        json!({"team": "a"})
    );
    assert_eq!(
        ok(&mc, "ListTagsForResource", json!({"ResourceArn": ni_arn}))["Tags"],
        json!({"team": "a"})
    );
    let u = ok(
        &mc,
        "UpdateRouterOutput",
        json!({"Arn": out_arn, "Name": "renamed"}),
    );
    assert_eq!(u["RouterOutput"]["Name"], "renamed");
    ok(&mc, "TakeRouterInput", json!({"RouterOutputArn": out_arn}));
    ok(&mc, "DeleteRouterInput", json!({"Arn": in_arn}));
    ok(&mc, "DeleteRouterOutput", json!({"Arn": out_arn}));
    ok(&mc, "DeleteRouterNetworkInterface", json!({"Arn": ni_arn}));
    err(
        &mc,
        "GetRouterNetworkInterface",
        json!({"Arn": ni_arn}),
        "NotFoundException",
    );
}

#[test]
fn endpoints_register_connect_and_deregister() {
    let mc = mc();
    let src = ok(
        &mc,
        "RegisterSourceEndpoint",
        json!({"Description": "camera", "Configuration": {"Standard": {"Name": "cam", "SourceNetworkingConfiguration": {}, "ProtocolConfiguration": {}}}, "Tags": {"k": "v"}}),
    );
    let src_arn = src["SourceEndpoint"]["Arn"].as_str().unwrap().to_string();
    assert!(src_arn.contains(":sourceEndpoint:"));
    assert_eq!(src["SourceEndpoint"]["RegistrationState"], "REGISTERED");
    assert_eq!(src["SourceEndpoint"]["SourceType"], "STANDARD");
    let dst = ok(
        &mc,
        "RegisterDestinationEndpoint",
        json!({"Configuration": {"Standard": {"Name": "tv", "DestinationNetworkingConfiguration": {}, "ProtocolConfiguration": {}}}}),
    );
    let dst_arn = dst["DestinationEndpoint"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    err(
        &mc,
        "DisconnectEndpoints",
        json!({"DestinationEndpointArn": dst_arn, "SourceEndpointArn": src_arn}),
        "ConflictException",
    );
    let c = ok(
        &mc,
        "ConnectEndpoints",
        json!({"DestinationEndpointArn": dst_arn, "SourceEndpointArn": src_arn}),
    );
    assert_eq!(c["SourceEndpointName"], "cam");
    let d = ok(&mc, "GetDestinationEndpoint", json!({"Arn": dst_arn}));
    assert_eq!(d["DestinationEndpoint"]["ConnectionState"], "CONNECTED");
    assert_eq!(
        d["DestinationEndpoint"]["ConnectedSource"],
        src_arn.as_str()
    );
    err(
        &mc,
        "ConnectEndpoints",
        json!({"DestinationEndpointArn": dst_arn, "SourceEndpointArn": src_arn}),
        "ConflictException",
    );
    err(
        &mc,
        "DeregisterSourceEndpoint",
        json!({"Arn": src_arn}),
        "ConflictException",
    );
    let l = ok(
        &mc,
        "ListSourceEndpoints",
        json!({"Filters": [{"NameContains": ["ca"]}]}),
    );
    assert_eq!(l["SourceEndpoints"][0]["ConnectedDestinationCount"], 1);
    ok(
        &mc,
        "DisconnectEndpoints",
        json!({"DestinationEndpointArn": dst_arn, "SourceEndpointArn": src_arn}),
    );
    let u = ok(
        &mc,
        "UpdateSourceEndpoint",
        json!({"Arn": src_arn, "Description": "studio"}),
    );
    assert_eq!(u["SourceEndpoint"]["Description"], "studio");
    let b = ok(
        &mc,
        "BatchGetDestinationEndpoint",
        json!({"Arns": [dst_arn, "arn:aws:mediaconnect:us-west-2:111122223333:destinationEndpoint:x"]}),
    );
    assert_eq!(b["DestinationEndpoints"].as_array().unwrap().len(), 1);
    assert_eq!(b["Errors"].as_array().unwrap().len(), 1);
    ok(&mc, "DeregisterSourceEndpoint", json!({"Arn": src_arn}));
    err(
        &mc,
        "GetSourceEndpoint",
        json!({"Arn": src_arn}),
        "NotFoundException",
    );
    let e = err(
        &mc,
        "RegisterSourceEndpoint",
        json!({"Configuration": {"RouterOutput": {"RouterOutputArn": "arn:aws:mediaconnect:us-west-2:111122223333:routerOutput:none"}}}),
        "BadRequestException",
    );
    assert!(e.contains("does not exist"));
}

#[test]
fn client_tokens_make_creates_idempotent() {
    let mc = mc();
    let input = json!({"Name": "ni", "ClientToken": "t-1", "Configuration": {"Vpc": {"SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}}});
    let a = ok(&mc, "CreateRouterNetworkInterface", input.clone());
    let b = ok(&mc, "CreateRouterNetworkInterface", input.clone());
    assert_eq!(a, b);
    assert_eq!(
        ok(&mc, "ListRouterNetworkInterfaces", json!({}))["RouterNetworkInterfaces"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let mut other = input.clone();
    other["Name"] = json!("other");
    err(
        &mc,
        "CreateRouterNetworkInterface",
        other,
        "ConflictException",
    );
    // The token is kept with the state: restored elsewhere (as after a restart), a retry
    // still answers the first create instead of making a second interface.
    let again = crate::test_support::mc();
    for record in mc.records() {
        again.restore(&record).unwrap();
    }
    assert_eq!(ok(&again, "CreateRouterNetworkInterface", input), a);
    assert_eq!(
        ok(&again, "ListRouterNetworkInterfaces", json!({}))["RouterNetworkInterfaces"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn concurrent_creates_with_one_token_make_one_resource() {
    for round in 0..20 {
        let mc = mc();
        let token = format!("race-{round}");
        let input = json!({"Name": "ni", "ClientToken": token, "Configuration": {"Vpc": {"SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}}});
        let answers: Vec<serde_json::Value> = std::thread::scope(|scope| {
            let calls: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| ok(&mc, "CreateRouterNetworkInterface", input.clone())))
                .collect();
            calls.into_iter().map(|c| c.join().unwrap()).collect()
        });
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
        let listed = ok(&mc, "ListRouterNetworkInterfaces", json!({}));
        assert_eq!(
            listed["RouterNetworkInterfaces"].as_array().unwrap().len(),
            1
        );
    }
}

#[test]
fn every_family_survives_a_restart() {
    let mc1 = mc();
    let arn = flow(&mc1, "f");
    let gw = gateway(&mc1);
    mc1.register_instance(&ctx_of(ACCOUNT), &gw).unwrap();
    let bridge = ok(
        &mc1,
        "CreateBridge",
        json!({"Name": "in", "PlacementArn": gw, "IngressGatewayBridge": {"MaxBitrate": 1000000, "MaxOutputs": 1},
            "Sources": [{"NetworkSource": {"Name": "cam", "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": "rtp"}}]}),
    );
    let bridge_arn = bridge["Bridge"]["BridgeArn"].as_str().unwrap();
    // A flow fed by the bridge; a bridge ARN that is not one is refused.
    ok(
        &mc1,
        "CreateFlow",
        json!({"Name": "from-site", "Source": {"Name": "b", "GatewayBridgeSource": {"BridgeArn": bridge_arn}}}),
    );
    err(
        &mc1,
        "CreateFlow",
        json!({"Name": "x", "Source": {"Name": "b", "GatewayBridgeSource": {"BridgeArn": format!("{gw}x")}}}),
        "BadRequestException",
    );
    let offer = ok(&mc1, "ListOfferings", json!({}))["Offerings"][0]["OfferingArn"].clone();
    ok(
        &mc1,
        "PurchaseOffering",
        json!({"OfferingArn": offer, "ReservationName": "r", "Start": month_start(&mc1)}),
    );
    ok(
        &mc1,
        "CreateRouterNetworkInterface",
        json!({"Name": "ni", "Configuration": {"Public": {"AllowRules": []}}, "Tags": {"a": "b"}}),
    );
    ok(
        &mc1,
        "RegisterSourceEndpoint",
        json!({"Configuration": {"Standard": {"Name": "cam", "SourceNetworkingConfiguration": {}, "ProtocolConfiguration": {}}}}),
    );
    let records = service::Service::records(&*mc1);
    let tables: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.table.as_str()).collect();
    assert_eq!(
        tables.into_iter().collect::<Vec<_>>(),
        [
            "bridge",
            "endpoint",
            "flow",
            "gateway",
            "gateway_instance",
            "reservation",
            "router"
        ]
    );
    let mc2 = mc();
    for r in &records {
        service::Service::restore(&*mc2, r).unwrap();
    }
    assert_eq!(service::Service::records(&*mc2), records);
    for (op, input) in [
        ("DescribeFlow", json!({"FlowArn": arn})),
        ("DescribeBridge", json!({"BridgeArn": bridge_arn})),
        ("ListGatewayInstances", json!({})),
        ("ListReservations", json!({})),
        ("ListRouterNetworkInterfaces", json!({})),
        ("ListSourceEndpoints", json!({})),
    ] {
        assert_eq!(ok(&mc1, op, input.clone()), ok(&mc2, op, input), "{op}");
    }
}

#[test]
fn deleted_flows_leave_memory_once_their_deletion_completes() {
    let mc = mc();
    let arn = flow(&mc, "gone");
    ok(&mc, "DeleteFlow", json!({"FlowArn": arn}));
    assert!(service::Service::records(&*mc).is_empty());
    let ctx = ctx_of(ACCOUNT);
    let _ = service::Service::handle(
        &*mc,
        &ctx,
        "CreateFlow",
        json!({"Name": "next", "Source": rtp_source("s")}),
    );
    let journaled: Vec<_> = ctx.journal.take().into_iter().map(|(_, r)| r).collect();
    assert!(
        journaled.iter().any(|r| r.key == arn && r.value.is_none()),
        "the removal is journaled"
    );
    assert_eq!(service::Service::resource_counts(&*mc)[0], ("flow", 1));
}

/// DescribeFlow's body as the server makes it (the flow rendered), checked byte for byte
/// against the value path's; `Err` with the error code when both fail alike.
fn described(mc: &crate::MediaConnect, account: &str, arn: &str) -> Result<String, String> {
    let input = json!({ "FlowArn": arn });
    kit::rendered_as_plain(mc, &ctx_of(account), "DescribeFlow", input, |o| {
        o.member.is_some()
    })
}

#[test]
fn a_rendered_flow_is_the_value_byte_for_byte_as_it_changes_and_as_the_clock_moves() {
    let mc = mc_with(|rt| rt.clock = service::Clock::new(service::Transitions::Manual));
    let arn = flow(&mc, "Game");
    let standby = described(&mc, ACCOUNT, &arn).unwrap();
    assert!(standby.contains(r#""status":"STANDBY""#), "{standby}");
    assert_eq!(described(&mc, ACCOUNT, &arn).unwrap(), standby);
    assert_eq!(described(&mc, OTHER, &arn), Err("NotFoundException".into()));
    // A change to the flow shows at once.
    ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [{"Name": "out-a", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5020}]}),
    );
    let with_output = described(&mc, ACCOUNT, &arn).unwrap();
    assert!(with_output.contains("out-a"), "{with_output}");
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let starting = described(&mc, ACCOUNT, &arn).unwrap();
    assert!(starting.contains(r#""status":"STARTING""#), "{starting}");
    // The clock alone moves the status; nothing in the store changes.
    mc.runtime
        .clock
        .advance(std::time::Duration::from_secs(3600));
    let active = described(&mc, ACCOUNT, &arn).unwrap();
    assert!(active.contains(r#""status":"ACTIVE""#), "{active}");
    ok(&mc, "StopFlow", json!({"FlowArn": arn}));
    mc.runtime
        .clock
        .advance(std::time::Duration::from_secs(3600));
    assert!(described(&mc, ACCOUNT, &arn)
        .unwrap()
        .contains(r#""status":"STANDBY""#));
    ok(&mc, "DeleteFlow", json!({"FlowArn": arn}));
    mc.runtime
        .clock
        .advance(std::time::Duration::from_secs(3600));
    assert_eq!(
        described(&mc, ACCOUNT, &arn),
        Err("NotFoundException".into())
    );
}

#[test]
fn a_rendered_flow_reports_its_revoked_entitlement_anew() {
    let mc = mc();
    let arn = flow(&mc, "Origin");
    let g = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "e", "Subscribers": [OTHER]}]}),
    );
    let e_arn = g["Entitlements"][0]["EntitlementArn"].as_str().unwrap();
    let sub = call_as(
        &mc,
        OTHER,
        "CreateFlow",
        json!({"Name": "Sub", "Source": {"Name": "in", "EntitlementArn": e_arn}}),
    )
    .unwrap();
    let sub_arn = sub["Flow"]["FlowArn"].as_str().unwrap();
    let before = described(&mc, OTHER, sub_arn).unwrap();
    assert!(before.contains(r#""errors":[]"#), "{before}");
    ok(
        &mc,
        "RevokeFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e_arn}),
    );
    let after = described(&mc, OTHER, sub_arn).unwrap();
    assert!(after.contains("has been revoked"), "{after}");
}

#[test]
fn a_flow_answers_what_awss_answers_show_for_members_left_out() {
    // The AWS CLI's create-flow and describe-flow examples: the flow's description is its
    // source's (CreateFlow takes none), media arrives at the flow's own address, an RTP
    // source runs at 80 Mb/s and an RTP-FEC output smooths 0 ms unless told otherwise.
    let mc = mc();
    let f = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "ExampleFlow", "Source": {"Name": "BackupSource", "Protocol": "rtp",
            "Description": "Example source, backup", "IngestPort": 1055,
            "WhitelistCidr": "10.24.34.0/23"}}),
    );
    let flow = &f["Flow"];
    assert_eq!(flow["Description"], "Example source, backup");
    assert_eq!(flow["Source"]["IngestIp"], flow["EgressIp"]);
    assert_eq!(
        flow["Source"]["Transport"],
        json!({"Protocol": "rtp", "MaxBitrate": 80000000})
    );
    let arn = flow["FlowArn"].as_str().unwrap();
    let listed = ok(&mc, "ListFlows", json!({}));
    assert_eq!(listed["Flows"][0]["Description"], "Example source, backup");
    let added = ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [
            {"Name": "NYC", "Protocol": "rtp-fec", "Destination": "192.0.2.0", "Port": 2355},
            {"Name": "LA", "Protocol": "rtp-fec", "Destination": "192.0.2.0", "Port": 3025,
                "SmoothingLatency": 100}]}),
    );
    assert_eq!(
        added["Outputs"][0]["Transport"],
        json!({"Protocol": "rtp-fec", "SmoothingLatency": 0})
    );
    assert_eq!(added["Outputs"][1]["Transport"]["SmoothingLatency"], 100);
    // A source of another protocol keeps what it was given.
    let srt = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "Srt", "Source": {"Name": "s", "Protocol": "srt-listener",
            "IngestPort": 5000, "WhitelistCidr": "10.0.0.0/16"}}),
    );
    assert_eq!(
        srt["Flow"]["Source"]["Transport"],
        json!({"Protocol": "srt-listener"})
    );
    assert!(srt["Flow"].get("Description").is_none());
}

#[test]
fn an_ndi_flow_without_a_machine_name_gets_a_generated_one_it_keeps() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "Ndi", "FlowSize": "LARGE",
               "Source": {"Name": "in", "Protocol": "srt-listener", "IngestPort": 5000,
                          "WhitelistCidr": "10.0.0.0/16"},
               "NdiConfig": {"NdiState": "ENABLED"}}),
    );
    let generated = out["Flow"]["NdiConfig"]["MachineName"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(generated.len(), 12, "{generated}");
    assert!(generated.chars().all(|c| c.is_ascii_alphanumeric()));
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["NdiConfig"]["MachineName"], generated.as_str());
    let u = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "NdiConfig": {"NdiState": "DISABLED"}}),
    );
    assert_eq!(u["Flow"]["NdiConfig"]["MachineName"], generated.as_str());
    let named = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "NdiConfig": {"NdiState": "ENABLED", "MachineName": "studio"}}),
    );
    assert_eq!(named["Flow"]["NdiConfig"]["MachineName"], "studio");
    let plain = flow(&mc, "Plain");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": plain}));
    assert!(d["Flow"].get("NdiConfig").is_none(), "no NDI, no name");
}

#[test]
fn rtmp_sources_keep_the_names_they_are_given_or_were_given() {
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "rtmp-push", "WhitelistCidr": "10.0.0.0/16",
            "RtmpPushSettings": {"NamingConfiguration": {"Manual": {"ApplicationName": "live2", "StreamName": "stream1"}}}}}),
    );
    let source = &created["Flow"]["Source"];
    assert_eq!(
        source["Transport"]["RtmpPushSourceSettings"],
        json!({"ApplicationName": "live2", "StreamName": "stream1", "NamingType": "MANUAL"})
    );
    let flow_arn = created["Flow"]["FlowArn"].clone();
    let source_arn = source["SourceArn"].clone();
    let update = |body: Value| {
        let mut input = json!({"FlowArn": flow_arn, "SourceArn": source_arn});
        input
            .as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        ok(&mc, "UpdateFlowSource", input)["Source"]["Transport"]["RtmpPushSourceSettings"].clone()
    };
    // An update that names no naming keeps the names.
    let kept = update(json!({"Description": "camera"}));
    assert_eq!(kept["StreamName"], "stream1");
    // Automatic naming makes new names; an update naming nothing keeps those too.
    let auto = update(json!({"RtmpPushSettings": {"NamingConfiguration": {"Automatic": {}}}}));
    assert_eq!(auto["NamingType"], "AUTOMATIC");
    assert_ne!(auto["StreamName"], "stream1");
    assert_eq!(update(json!({"Description": "again"})), auto);
    let e = err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": flow_arn, "SourceArn": source_arn,
            "RtmpPushSettings": {"NamingConfiguration": {"Manual": {"ApplicationName": "a"}}}}),
        "BadRequestException",
    );
    assert!(e.contains("StreamName"), "{e}");
}

#[test]
fn router_integrated_sources_and_outputs_name_no_protocol() {
    let mc = mc();
    let transit =
        json!({"EncryptionKeyType": "AUTOMATIC", "EncryptionKeyConfiguration": {"Automatic": {}}});
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "from-router", "Source": {"Name": "s", "RouterIntegrationState": "ENABLED",
            "RouterIntegrationTransitDecryption": transit}}),
    );
    let source = &created["Flow"]["Source"];
    assert_eq!(source["RouterIntegrationState"], "ENABLED");
    assert!(source.get("Transport").is_none());
    let flow_arn = created["Flow"]["FlowArn"].clone();
    let added = ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": flow_arn, "Outputs": [{"Name": "o", "RouterIntegrationState": "ENABLED",
            "RouterIntegrationTransitEncryption": transit}]}),
    );
    assert_eq!(added["Outputs"][0]["RouterIntegrationState"], "ENABLED");
    // Without the router, a protocol is still required.
    let e = err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": flow_arn, "Outputs": [{"Name": "o2"}]}),
        "BadRequestException",
    );
    assert!(e.contains("Protocol is required"), "{e}");
}

#[test]
fn a_flows_sources_share_a_protocol_but_not_a_port() {
    let mc = mc();
    let failover = json!({"State": "ENABLED", "FailoverMode": "FAILOVER"});
    let create = |sources: Value| {
        call_as(
            &mc,
            ACCOUNT,
            "CreateFlow",
            json!({"Name": "f", "Sources": sources, "SourceFailoverConfig": failover}),
        )
    };
    let on = |name: &str, protocol: &str, port: i64| json!({"Name": name, "Protocol": protocol, "IngestPort": port, "WhitelistCidr": "10.0.0.0/16"});
    // RTP with RTP-FEC is the one mix allowed.
    create(json!([on("a", "rtp", 5000), on("b", "rtp-fec", 5010)])).unwrap();
    let e = create(json!([on("a", "rtp", 5000), on("b", "srt-listener", 5010)])).unwrap_err();
    assert!(e.message.contains("same protocol"), "{e}");
    // Ports, with the ones RIST (+1) and RTP-FEC (+2, +4) reserve.
    for (a, b) in [
        (on("a", "rtp", 5000), on("b", "rtp", 5000)),
        (on("a", "rtp-fec", 5000), on("b", "rtp", 5002)),
        (on("a", "rist", 5000), on("b", "rist", 5001)),
    ] {
        let e = create(json!([a, b])).unwrap_err();
        assert!(e.message.contains("different port"), "{e}");
    }
    create(json!([on("a", "rist", 5000), on("b", "rist", 5002)])).unwrap();
    // Sources on two VPC interfaces (SMPTE 2022-7 merge) arrive at two addresses.
    let vpc = |name: &str| {
        json!({"Name": name, "NetworkInterfaceType": "ena", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
            "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"})
    };
    let mut a = on("a", "rtp", 5000);
    a["VpcInterfaceName"] = json!("v1");
    let mut b = on("b", "rtp", 5000);
    b["VpcInterfaceName"] = json!("v2");
    let two = json!({"Name": "merge", "VpcInterfaces": [vpc("v1"), vpc("v2")], "Sources": [a, b.clone()],
        "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "MERGE"}});
    ok(&mc, "CreateFlow", two.clone());
    let mut one = two;
    one["Sources"][1]["VpcInterfaceName"] = json!("v1");
    let e = err(&mc, "CreateFlow", one, "BadRequestException");
    assert!(e.contains("different port"), "{e}");
    let e = create(json!([on("a", "rtp", 2095)])).unwrap_err();
    assert!(e.message.contains("2090-2099"), "{e}");
    // Updating a source into a clash is refused too, and changes nothing.
    let f = create(json!([on("a", "rtp", 5000), on("b", "rtp", 5010)])).unwrap();
    let b = f["Flow"]["Sources"][1]["SourceArn"].clone();
    let arn = f["Flow"]["FlowArn"].clone();
    let e = err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": b, "IngestPort": 5000}),
        "BadRequestException",
    );
    assert!(e.contains("different port"), "{e}");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Sources"][1]["IngestPort"], 5010);
    // The recovery window is 100-15000 ms.
    for window in [50, 20000] {
        let e = err(
            &mc,
            "UpdateFlow",
            json!({"FlowArn": arn, "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "MERGE", "RecoveryWindow": window}}),
            "BadRequestException",
        );
        assert!(e.contains("RecoveryWindow"), "{e}");
    }
    ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "MERGE", "RecoveryWindow": 200}}),
    );
}

#[test]
fn a_source_changed_to_another_protocol_leaves_the_old_ones_settings() {
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "srt-listener", "IngestPort": 5000,
            "MinLatency": 200, "StreamId": "cam", "WhitelistCidr": "10.0.0.0/16"}}),
    );
    let input = json!({"FlowArn": created["Flow"]["FlowArn"], "SourceArn": created["Flow"]["Source"]["SourceArn"],
        "Protocol": "srt-caller", "SourceListenerAddress": "198.51.100.7", "SourceListenerPort": 4000,
        "MinLatency": 100});
    // The listener's IngestPort, which srt-caller refuses, is not kept.
    let source = ok(&mc, "UpdateFlowSource", input)["Source"].clone();
    assert_eq!(source["Transport"]["Protocol"], "srt-caller");
    assert_eq!(source["Transport"]["MinLatency"], 100);
    assert!(source["Transport"].get("StreamId").is_none(), "{source}");
    assert!(source.get("IngestPort").is_none(), "{source}");
}

#[test]
fn an_ndi_source_names_its_sender_as_machinename_programname() {
    // NdiSourceSettings.SourceName: "If included, the format of this name must be
    // MACHINENAME (ProgramName)." Any text was stored.
    let mc = mc();
    let flow = |sender: &str| {
        json!({"Name": "n", "FlowSize": "LARGE", "NdiConfig": {"NdiState": "ENABLED"},
            "Source": {"Name": "s", "Protocol": "ndi-speed-hq", "NdiSourceSettings": {"SourceName": sender}}})
    };
    for bad in ["CAM", "CAM(1)", " (1)", "CAM ()", "CAM (1) extra"] {
        let e = err(&mc, "CreateFlow", flow(bad), "BadRequestException");
        assert_eq!(
            e,
            format!("NdiSourceSettings SourceName {bad} is not valid. Use the format MACHINENAME (ProgramName).")
        );
    }
    let f = ok(&mc, "CreateFlow", flow("STUDIO-PC (Camera 1)"));
    let (arn, source) = (&f["Flow"]["FlowArn"], &f["Flow"]["Source"]["SourceArn"]);
    // An update is held to it too, and a refused one keeps the stored name.
    err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": source, "NdiSourceSettings": {"SourceName": "PC"}}),
        "BadRequestException",
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["Source"]["Transport"]["NdiSourceSettings"]["SourceName"],
        "STUDIO-PC (Camera 1)"
    );
}

#[test]
fn ndi_sources_need_a_large_flow() {
    let mc = mc();
    let ndi = json!({"Name": "s", "Protocol": "ndi-speed-hq", "NdiSourceSettings": {"SourceName": "CAM (1)"}});
    let flow = |size: Option<&str>| {
        let mut f = json!({"Name": "n", "NdiConfig": {"NdiState": "ENABLED"}, "Source": ndi});
        if let Some(size) = size {
            f["FlowSize"] = json!(size);
        }
        f
    };
    for size in [None, Some("MEDIUM")] {
        let e = err(&mc, "CreateFlow", flow(size), "BadRequestException");
        assert!(e.contains("NDI sources require a LARGE flow"), "{e}");
    }
    let arn = ok(&mc, "CreateFlow", flow(Some("LARGE")))["Flow"]["FlowArn"].clone();
    let e = err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "FlowSize": "MEDIUM"}),
        "BadRequestException",
    );
    assert!(e.contains("NDI sources require a LARGE flow"), "{e}");
    let e = err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "NdiConfig": {"NdiState": "DISABLED"}}),
        "BadRequestException",
    );
    assert!(e.contains("NDI sources require NDI"), "{e}");
}

#[test]
fn listings_page_ten_by_default_and_entitlements_twenty() {
    // Each model's MaxResults: "If MaxResults is not included in the request, the service
    // defaults to pagination with a maximum of 10 results per page" (20 for ListEntitlements).
    let mc = mc();
    for i in 0..12 {
        flow(&mc, &format!("f{i:02}"));
    }
    let first = ok(&mc, "ListFlows", json!({}));
    assert_eq!(first["Flows"].as_array().unwrap().len(), 10);
    let token = first["NextToken"].as_str().expect("a second page");
    let second = ok(&mc, "ListFlows", json!({"NextToken": token}));
    assert_eq!(second["Flows"].as_array().unwrap().len(), 2);
    assert!(second.get("NextToken").is_none());
    let all = ok(&mc, "ListFlows", json!({"MaxResults": 20}));
    assert_eq!(all["Flows"].as_array().unwrap().len(), 12);
    assert_eq!(crate::flows::ENTITLEMENT_PAGING.default_limit, 20);
}

#[test]
fn zixi_ports_are_mediaconnects_own() {
    let mc = mc();
    let create = |name: &str, source: Value| {
        call_as(
            &mc,
            ACCOUNT,
            "CreateFlow",
            json!({"Name": name, "Source": source}),
        )
    };
    let zixi = json!({"Name": "z", "Protocol": "zixi-push", "WhitelistCidr": "10.0.0.0/16"});
    // A public Zixi push source listens on 2088, given or not, and on nothing else.
    let f = create("z1", zixi.clone()).unwrap();
    assert_eq!(f["Flow"]["Source"]["IngestPort"], 2088);
    let mut on_2088 = zixi.clone();
    on_2088["IngestPort"] = json!(2088);
    create("z2", on_2088).unwrap();
    let mut elsewhere = zixi.clone();
    elsewhere["IngestPort"] = json!(5000);
    let e = create("z3", elsewhere).unwrap_err();
    assert_eq!(e.code, "BadRequestException");
    assert!(e.message.contains("2088"), "{e}");
    let (arn, source) = (
        f["Flow"]["FlowArn"].clone(),
        f["Flow"]["Source"]["SourceArn"].clone(),
    );
    let e = err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": source, "IngestPort": 6000}),
        "BadRequestException",
    );
    assert!(e.contains("2088"), "{e}");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Source"]["IngestPort"], 2088);
    // Zixi sources in a VPC get 2090-2099, one each, at the interface's address.
    let vpc = |name: &str| {
        json!({"Name": name, "NetworkInterfaceType": "ena", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
            "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"})
    };
    let in_vpc = |name: &str, interface: &str| json!({"Name": name, "Protocol": "zixi-push", "VpcInterfaceName": interface});
    let two = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "zv", "VpcInterfaces": [vpc("v1"), vpc("v2")],
            "Sources": [in_vpc("a", "v1"), in_vpc("b", "v2")],
            "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "FAILOVER"}}),
    );
    let sources = &two["Flow"]["Sources"];
    assert_eq!(sources[0]["IngestPort"], 2090);
    assert_eq!(sources[1]["IngestPort"], 2091);
    assert!(sources[0]["IngestIp"]
        .as_str()
        .unwrap()
        .starts_with("10.0."));
    // An update keeps the port the source has.
    let updated = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": two["Flow"]["FlowArn"], "SourceArn": sources[1]["SourceArn"], "Description": "b"}),
    );
    assert_eq!(updated["Source"]["IngestPort"], 2091);
    let mut public_port = in_vpc("c", "v1");
    public_port["IngestPort"] = json!(2088);
    let e = call_as(
        &mc,
        ACCOUNT,
        "CreateFlow",
        json!({"Name": "zw", "VpcInterfaces": [vpc("v1")], "Source": public_port}),
    )
    .unwrap_err();
    assert!(e.message.contains("2090-2099"), "{e}");
    // Other protocols cannot listen on Zixi's ports.
    for port in [2077, 2088] {
        let rtp = json!({"Name": "r", "Protocol": "rtp", "WhitelistCidr": "10.0.0.0/16", "IngestPort": port});
        let e = create("r", rtp).unwrap_err();
        assert!(e.message.contains("reserved for Zixi"), "{e}");
        let e = call_as(
            &mc,
            ACCOUNT,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [{"Name": "l", "Protocol": "srt-listener", "Port": port, "CidrAllowList": ["10.0.0.0/8"]}]}),
        )
        .unwrap_err();
        assert!(e.message.contains("reserved for Zixi"), "{e}");
    }
    // An output that sends to a receiver's port 2088 is another matter.
    ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [{"Name": "push", "Protocol": "zixi-push", "Destination": "198.51.100.5", "Port": 2088, "StreamId": "s"}]}),
    );
}

/// Flow, source, output and entitlement names end their ARNs, whose model patterns
/// (`FlowArn`, `FlowSourceArn`, `FlowOutputArn`) allow only letters, digits, `-` and `_`.
#[test]
fn names_that_end_an_arn_take_only_letters_digits_hyphens_and_underscores() {
    let mc = mc();
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "my flow", "Source": rtp_source("src")}),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "Flow name my flow is not valid. Names can contain only letters, numbers, hyphens (-) and underscores (_)."
    );
    let long = "é".repeat(300);
    err(
        &mc,
        "CreateFlow",
        json!({"Name": long, "Source": rtp_source("src")}),
        "BadRequestException",
    );
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "ok", "Source": rtp_source("s 1")}),
        "BadRequestException",
    );
    assert!(e.starts_with("Source name s 1 is not valid."), "{e}");
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "ok", "Source": rtp_source("src"),
            "Outputs": [{"Name": "out.1", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5000}]}),
        "BadRequestException",
    );
    assert!(e.starts_with("Output name out.1 is not valid."), "{e}");
    assert_eq!(ok(&mc, "ListFlows", json!({}))["Flows"], json!([]));
    let arn = flow(&mc, "Live_Feed-2");
    assert!(arn.ends_with(":Live_Feed-2"));
    err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [rtp_source_on("backup+1", 5002)]}),
        "BadRequestException",
    );
    err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [{"Name": "nyc office", "Protocol": "rtp", "Destination": "198.51.100.5", "Port": 5000}]}),
        "BadRequestException",
    );
    let e = err(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "for partner", "Subscribers": [OTHER]}]}),
        "BadRequestException",
    );
    assert!(
        e.starts_with("Entitlement name for partner is not valid."),
        "{e}"
    );
    let f = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(f["Flow"]["Sources"].as_array().unwrap().len(), 1);
    assert_eq!(f["Flow"]["Outputs"], json!([]));
    assert_eq!(f["Flow"]["Entitlements"], json!([]));
}

/// The model's and User Guide's router I/O rules, through the handlers: a failover input
/// with one source, a bitrate above the tier, and an update that changes the configuration
/// type or goes over the tier are refused, and the stored input is unchanged.
#[test]
fn router_configurations_follow_the_documented_rules() {
    let mc = mc();
    let ni = ok(
        &mc,
        "CreateRouterNetworkInterface",
        json!({"Name": "public", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}}),
    );
    let ni_arn = ni["RouterNetworkInterface"]["Arn"].clone();
    let create = |config: Value, bitrate: i64| {
        json!({"Name": "in", "Configuration": config, "MaximumBitrate": bitrate,
            "RoutingScope": "REGIONAL", "Tier": "INPUT_20"})
    };
    let failover = json!({"Failover": {"NetworkInterfaceArn": ni_arn, "SourcePriorityMode": "NO_PRIORITY",
        "ProtocolConfigurations": [{"Rtp": {"Port": 5000}}]}});
    let e = err(
        &mc,
        "CreateRouterInput",
        create(failover, 10_000_000),
        "BadRequestException",
    );
    assert!(e.contains("exactly two"), "{e}");
    let standard = json!({"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": {"Rtp": {"Port": 5000}}}});
    let e = err(
        &mc,
        "CreateRouterInput",
        create(standard.clone(), 20_000_001),
        "BadRequestException",
    );
    assert!(e.contains("INPUT_20"), "{e}");
    let input = ok(
        &mc,
        "CreateRouterInput",
        create(standard.clone(), 20_000_000),
    );
    let arn = input["RouterInput"]["Arn"].clone();
    let merge = json!({"Merge": {"NetworkInterfaceArn": ni_arn, "MergeRecoveryWindowMilliseconds": 100,
        "ProtocolConfigurations": [{"Rtp": {"Port": 5000}}, {"Rtp": {"Port": 5002}}]}});
    let e = err(
        &mc,
        "UpdateRouterInput",
        json!({"Arn": arn, "Name": "renamed", "Configuration": merge}),
        "BadRequestException",
    );
    assert!(e.contains("not supported"), "{e}");
    err(
        &mc,
        "UpdateRouterInput",
        json!({"Arn": arn, "Name": "renamed", "MaximumBitrate": 30_000_000}),
        "BadRequestException",
    );
    let now = ok(&mc, "GetRouterInput", json!({"Arn": arn}))["RouterInput"].clone();
    assert_eq!(now["Name"], "in");
    assert_eq!(now["InputType"], "STANDARD");
    assert_eq!(now["MaximumBitrate"], 20_000_000);
    // A higher tier with the bitrate in one update is fine.
    let up = ok(
        &mc,
        "UpdateRouterInput",
        json!({"Arn": arn, "MaximumBitrate": 30_000_000, "Tier": "INPUT_50", "Configuration": standard}),
    );
    assert_eq!(up["RouterInput"]["Tier"], "INPUT_50");
}

/// TakeRouterInput pairs only compatible I/Os (User Guide, router matrix view); a routed
/// output's fabric configuration and a running input's maintenance configuration stay as
/// they are until it is unrouted or stopped (the model; the User Guide).
#[test]
fn router_takes_and_updates_respect_routes_scopes_and_running_state() {
    let mc = mc();
    let ni = ok(
        &mc,
        "CreateRouterNetworkInterface",
        json!({"Name": "public", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}}),
    );
    let ni_arn = ni["RouterNetworkInterface"]["Arn"].clone();
    let input = |name: &str, bitrate: i64, region: &str| {
        let i = ok(
            &mc,
            "CreateRouterInput",
            json!({"Name": name, "MaximumBitrate": bitrate, "RoutingScope": "REGIONAL", "Tier": "INPUT_50",
                "RegionName": region,
                "Configuration": {"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": {"Rtp": {"Port": 5000}}}}}),
        );
        i["RouterInput"]["Arn"].clone()
    };
    let out = ok(
        &mc,
        "CreateRouterOutput",
        json!({"Name": "out", "MaximumBitrate": 20_000_000, "RoutingScope": "REGIONAL", "Tier": "OUTPUT_20",
            "Configuration": {"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": {"Rtp": {"DestinationAddress": "198.51.100.1", "DestinationPort": 5000}}}}}),
    )["RouterOutput"]["Arn"]
        .clone();
    let big = input("big", 30_000_000, "us-west-2");
    let far = input("far", 10_000_000, "us-east-1");
    let fits = input("fits", 20_000_000, "us-west-2");
    for i in [&big, &far] {
        err(
            &mc,
            "TakeRouterInput",
            json!({"RouterOutputArn": out, "RouterInputArn": i}),
            "BadRequestException",
        );
    }
    let got = ok(&mc, "GetRouterOutput", json!({"Arn": out}));
    assert_eq!(got["RouterOutput"]["RoutedState"], "UNROUTED");
    ok(
        &mc,
        "TakeRouterInput",
        json!({"RouterOutputArn": out, "RouterInputArn": fits}),
    );
    let fabric = json!({"RecoveryLatencyMode": "LOW_LATENCY"});
    let e = err(
        &mc,
        "UpdateRouterOutput",
        json!({"Arn": out, "FabricConfiguration": fabric}),
        "ConflictException",
    );
    assert!(e.contains("Unroute"), "{e}");
    ok(&mc, "TakeRouterInput", json!({"RouterOutputArn": out}));
    let up = ok(
        &mc,
        "UpdateRouterOutput",
        json!({"Arn": out, "FabricConfiguration": fabric}),
    );
    assert_eq!(
        up["RouterOutput"]["FabricConfiguration"],
        json!({"RecoveryLatencyMode": "LOW_LATENCY", "SwitchingMode": "IMMEDIATE"})
    );
    let window = json!({"PreferredDayTime": {"Day": "MONDAY", "Time": "02:00"}});
    ok(
        &mc,
        "UpdateRouterInput",
        json!({"Arn": fits, "MaintenanceConfiguration": window}),
    );
    ok(&mc, "StartRouterInput", json!({"Arn": fits}));
    err(
        &mc,
        "UpdateRouterInput",
        json!({"Arn": fits, "MaintenanceConfiguration": {"Default": {}}}),
        "ConflictException",
    );
    let got = ok(&mc, "GetRouterInput", json!({"Arn": fits}));
    assert_eq!(got["RouterInput"]["MaintenanceConfiguration"], window);
}

/// The model's CreateGateway: "The request must include at least one network (up to four)."
#[test]
fn a_gateway_takes_one_to_four_networks() {
    let mc = mc();
    let with = |n: usize| {
        let networks: Vec<Value> = (0..n)
            .map(|i| json!({"Name": format!("n{i}"), "CidrBlock": format!("10.0.{i}.0/24")}))
            .collect();
        json!({"Name": "g", "EgressCidrBlocks": ["10.0.0.0/16"], "Networks": networks})
    };
    let e = err(&mc, "CreateGateway", with(5), "BadRequestException");
    assert_eq!(e, "A gateway can have at most 4 networks; 5 given.");
    err(&mc, "CreateGateway", with(0), "BadRequestException");
    let g = ok(&mc, "CreateGateway", with(4));
    assert_eq!(g["Gateway"]["Networks"].as_array().unwrap().len(), 4);
    let listed = ok(&mc, "ListGateways", json!({}));
    assert_eq!(listed["Gateways"].as_array().unwrap().len(), 1);
}

#[test]
fn only_medium_and_large_flows_change_size() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let size = |arn: &Value, size: &str| json!({"FlowArn": arn, "FlowSize": size});
    let arn = Value::from(arn);
    // A flow made without a size runs as MEDIUM: it may become LARGE and back, never LARGE_4X.
    ok(&mc, "UpdateFlow", size(&arn, "LARGE"));
    ok(&mc, "UpdateFlow", size(&arn, "MEDIUM"));
    let e = err(
        &mc,
        "UpdateFlow",
        size(&arn, "LARGE_4X"),
        "BadRequestException",
    );
    assert!(e.contains("LARGE_4X"), "{e}");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["FlowSize"], "MEDIUM");
    // A LARGE_4X flow (for JPEG XS and CDI) keeps its size.
    let big = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "big", "FlowSize": "LARGE_4X",
            "VpcInterfaces": [{"Name": "ena0", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
                "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}],
            "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"}],
            "Source": {"Name": "s", "Protocol": "st2110-jpegxs", "MaxSyncBuffer": 100, "VpcInterfaceName": "ena0",
                "MediaStreamSourceConfigurations": [{"EncodingName": "jxsv", "MediaStreamName": "video",
                    "InputConfigurations": [{"InputPort": 5000, "Interface": {"Name": "ena0"}}]}]}}),
    )["Flow"]["FlowArn"]
        .clone();
    err(
        &mc,
        "UpdateFlow",
        size(&big, "LARGE"),
        "BadRequestException",
    );
    ok(&mc, "UpdateFlow", size(&big, "LARGE_4X"));
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": big}));
    assert_eq!(d["Flow"]["FlowSize"], "LARGE_4X");
}

#[test]
fn an_explicit_flow_size_carries_only_the_protocols_its_size_supports() {
    let mc = mc();
    let jxs = |size: Option<&str>| {
        let mut f = json!({"Name": "jxs",
            "VpcInterfaces": [{"Name": "ena0", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
                "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}],
            "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"}],
            "Source": {"Name": "s", "Protocol": "st2110-jpegxs", "MaxSyncBuffer": 100, "VpcInterfaceName": "ena0",
                "MediaStreamSourceConfigurations": [{"EncodingName": "jxsv", "MediaStreamName": "video",
                    "InputConfigurations": [{"InputPort": 5000, "Interface": {"Name": "ena0"}}]}]}});
        if let Some(size) = size {
            f["FlowSize"] = json!(size);
        }
        f
    };
    for size in ["MEDIUM", "LARGE"] {
        let e = err(&mc, "CreateFlow", jxs(Some(size)), "BadRequestException");
        assert_eq!(
            e,
            format!("A {size} flow doesn't support st2110-jpegxs sources or outputs (source s). CDI and ST 2110 JPEG XS need a LARGE_4X flow.")
        );
    }
    // Without a size, as AWS's CDI example creates one, the flow is taken.
    let plain = ok(&mc, "CreateFlow", jxs(None))["Flow"]["FlowArn"].clone();
    let e = err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": plain, "FlowSize": "LARGE"}),
        "BadRequestException",
    );
    assert!(e.contains("need a LARGE_4X flow"), "{e}");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": plain}));
    assert!(d["Flow"].get("FlowSize").is_none(), "{d}");
    let big = ok(&mc, "CreateFlow", jxs(Some("LARGE_4X")))["Flow"]["FlowArn"].clone();
    // A LARGE_4X flow takes no transport stream outputs, and no transport stream flow is
    // LARGE_4X.
    let e = err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": big, "Outputs": [{"Name": "o", "Protocol": "rtp", "Destination": "198.51.100.1", "Port": 5000}]}),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "A LARGE_4X flow supports only CDI and ST 2110 JPEG XS sources and outputs; output o uses rtp."
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": big}));
    assert_eq!(d["Flow"]["Outputs"], json!([]));
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "ts", "FlowSize": "LARGE_4X", "Source": rtp_source("s")}),
        "BadRequestException",
    );
    assert!(e.contains("source s uses rtp"), "{e}");
}

#[test]
fn a_source_changed_from_rtp_to_rtp_fec_answers_as_the_cli_example_does() {
    // AWS's CLI example of update-flow-source: an RTP source (IngestPort 1069, MaxBitrate
    // 80000000) changed to rtp-fec on port 3344 answers only the new protocol as transport.
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "AwardsShow", "Source": {"Name": "ShowSource", "Protocol": "rtp",
            "IngestPort": 1069, "WhitelistCidr": "10.24.34.0/23", "Description": "Saturday night show"}}),
    );
    assert_eq!(
        created["Flow"]["Source"]["Transport"],
        json!({"MaxBitrate": 80000000, "Protocol": "rtp"})
    );
    let source = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": created["Flow"]["FlowArn"], "SourceArn": created["Flow"]["Source"]["SourceArn"],
            "Description": "Friday night show", "IngestPort": 3344, "Protocol": "rtp-fec",
            "WhitelistCidr": "10.24.34.0/23"}),
    )["Source"]
        .clone();
    assert_eq!(source["Transport"], json!({"Protocol": "rtp-fec"}));
    assert_eq!(source["IngestPort"], 3344);
    assert_eq!(source["Description"], "Friday night show");
    // Without a protocol change the bitrate stays.
    let kept = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": created["Flow"]["FlowArn"], "SourceArn": created["Flow"]["Source"]["SourceArn"],
            "MaxBitrate": 50000000}),
    )["Source"]
        .clone();
    let again = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": created["Flow"]["FlowArn"], "SourceArn": kept["SourceArn"], "IngestPort": 3350}),
    )["Source"]
        .clone();
    assert_eq!(again["Transport"]["MaxBitrate"], 50000000);
}

#[test]
fn vpc_interfaces_are_added_and_removed_only_while_the_flow_is_stopped() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let add = json!({"FlowArn": arn, "VpcInterfaces": [{"Name": "v", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
        "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}]});
    let remove = json!({"FlowArn": arn, "VpcInterfaceName": "v"});
    let flow_arn = json!({"FlowArn": arn});
    ok(&mc, "StartFlow", flow_arn.clone());
    let e = err(
        &mc,
        "AddFlowVpcInterfaces",
        add.clone(),
        "BadRequestException",
    );
    assert!(e.contains("ACTIVE"), "{e}");
    let d = ok(&mc, "DescribeFlow", flow_arn.clone());
    assert!(
        d["Flow"]
            .get("VpcInterfaces")
            .is_none_or(|v| v == &json!([])),
        "{d}"
    );
    ok(&mc, "StopFlow", flow_arn.clone());
    ok(&mc, "AddFlowVpcInterfaces", add);
    ok(&mc, "StartFlow", flow_arn.clone());
    err(
        &mc,
        "RemoveFlowVpcInterface",
        remove.clone(),
        "BadRequestException",
    );
    let d = ok(&mc, "DescribeFlow", flow_arn.clone());
    assert_eq!(d["Flow"]["VpcInterfaces"][0]["Name"], "v");
    ok(&mc, "StopFlow", flow_arn);
    ok(&mc, "RemoveFlowVpcInterface", remove);
}

#[test]
fn an_entitlement_granted_without_a_fee_answers_none() {
    // AWS's getting-started tutorial: grant-flow-entitlements with a name and a subscriber
    // answers {EntitlementArn, EntitlementStatus, Name, Subscribers}, and list-entitlements
    // (the CLI example) {EntitlementArn, EntitlementName}.
    let mc = mc();
    let arn = flow(&mc, "AwardsNYCShow");
    let granted = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "PhillyTeam", "Subscribers": [OTHER]}]}),
    );
    let e = &granted["Entitlements"][0];
    let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["EntitlementArn", "EntitlementStatus", "Name", "Subscribers"]
    );
    let listed = call_as(&mc, OTHER, "ListEntitlements", json!({})).unwrap();
    assert!(
        listed["Entitlements"][0]
            .get("DataTransferSubscriberFeePercent")
            .is_none(),
        "{listed}"
    );
    // A fee given is answered, and still checked.
    let fee = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "Fee", "Subscribers": [OTHER],
            "DataTransferSubscriberFeePercent": 15}]}),
    );
    assert_eq!(
        fee["Entitlements"][0]["DataTransferSubscriberFeePercent"],
        15
    );
    err(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "Bad", "Subscribers": [OTHER],
            "DataTransferSubscriberFeePercent": 101}]}),
        "BadRequestException",
    );
}

#[test]
fn an_rtp_fec_source_made_without_a_bitrate_answers_80_mbps() {
    // The User Guide's create-flow example (standard source): an rtp-fec source answers
    // Transport {"Protocol": "rtp-fec", "MaxBitrate": 80000000}; AddFlowSources alike.
    let mc = mc();
    let source = json!({"Name": "AwardsShowSource", "Protocol": "rtp-fec", "IngestPort": 5000,
        "WhitelistCidr": "10.24.34.0/23"});
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "AwardsShow", "Source": source,
            "SourceFailoverConfig": {"State": "ENABLED"}}),
    );
    assert_eq!(
        created["Flow"]["Source"]["Transport"],
        json!({"MaxBitrate": 80000000, "Protocol": "rtp-fec"})
    );
    let second = json!({"Name": "b", "Protocol": "rtp-fec", "IngestPort": 5010,
        "WhitelistCidr": "10.24.34.0/23", "MaxBitrate": 20000000});
    let added = ok(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": created["Flow"]["FlowArn"], "Sources": [second]}),
    );
    assert_eq!(added["Sources"][0]["Transport"]["MaxBitrate"], 20000000);
}

#[test]
fn source_monitoring_follows_the_user_guides_content_quality_examples() {
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "myFlow", "Source": rtp_source("s"),
            "SourceMonitoringConfig": {"ThumbnailState": "ENABLED", "ContentQualityAnalysisState": "ENABLED"}}),
    );
    let arn = created["Flow"]["FlowArn"].clone();
    // "MediaConnect automatically enables all individual metrics with a default value of 30
    // seconds."
    let config = &created["Flow"]["SourceMonitoringConfig"];
    assert_eq!(
        config["VideoMonitoringSettings"][0]["FrozenFrames"],
        json!({"State": "ENABLED", "ThresholdSeconds": 30})
    );
    assert_eq!(
        config["AudioMonitoringSettings"][0]["SilentAudio"]["ThresholdSeconds"],
        30
    );
    // Turning analysis off keeps the metrics, and thumbnails.
    let updated = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "SourceMonitoringConfig": {"ContentQualityAnalysisState": "DISABLED"}}),
    );
    let config = &updated["Flow"]["SourceMonitoringConfig"];
    assert_eq!(config["ContentQualityAnalysisState"], "DISABLED");
    assert_eq!(config["ThumbnailState"], "ENABLED");
    assert_eq!(
        config["VideoMonitoringSettings"][0]["BlackFrames"],
        json!({"State": "ENABLED", "ThresholdSeconds": 30})
    );
    // A threshold outside 10-60 seconds is refused and changes nothing.
    err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "SourceMonitoringConfig": {"VideoMonitoringSettings": [
            {"BlackFrames": {"State": "ENABLED", "ThresholdSeconds": 5}}]}}),
        "BadRequestException",
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["SourceMonitoringConfig"],
        updated["Flow"]["SourceMonitoringConfig"]
    );
}

#[test]
fn a_maintenance_day_set_without_a_start_hour_starts_at_two() {
    let mc = mc();
    let arn = Value::from(flow(&mc, "f"));
    let u = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "Maintenance": {"MaintenanceDay": "Friday"}}),
    );
    assert_eq!(
        u["Flow"]["Maintenance"],
        json!({"MaintenanceDay": "Friday", "MaintenanceStartHour": "02:00"})
    );
    // A start hour given is kept, and later updates of the day keep it.
    ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "Maintenance": {"MaintenanceStartHour": "05:00"}}),
    );
    let u = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "Maintenance": {"MaintenanceDay": "Sunday"}}),
    );
    assert_eq!(
        u["Flow"]["Maintenance"],
        json!({"MaintenanceDay": "Sunday", "MaintenanceStartHour": "05:00"})
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Maintenance"]["MaintenanceStartHour"], "05:00");
}

/// A router output answers its fabric configuration with the model's defaults: "BALANCED
/// (default)" recovery latency and "IMMEDIATE (default)" switching, or the switching mode its
/// switching configuration names ("it must match the switching configuration").
#[test]
fn a_router_output_answers_its_fabric_switching_mode_default() {
    let mc = mc();
    let ni = ok(
        &mc,
        "CreateRouterNetworkInterface",
        json!({"Name": "public", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}}),
    );
    let ni_arn = ni["RouterNetworkInterface"]["Arn"].clone();
    let output = |name: &str, fabric: Option<Value>| {
        let mut input = json!({"Name": name, "MaximumBitrate": 10_000_000, "RoutingScope": "REGIONAL", "Tier": "OUTPUT_20",
            "Configuration": {"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration":
                {"Rtp": {"DestinationAddress": "198.51.100.1", "DestinationPort": 5000}}}}});
        if let Some(f) = fabric {
            input["FabricConfiguration"] = f;
        }
        ok(&mc, "CreateRouterOutput", input)["RouterOutput"].clone()
    };
    let plain = output("plain", None);
    assert_eq!(
        plain["FabricConfiguration"],
        json!({"RecoveryLatencyMode": "BALANCED", "SwitchingMode": "IMMEDIATE"})
    );
    let got = ok(&mc, "GetRouterOutput", json!({"Arn": plain["Arn"]}));
    assert_eq!(
        got["RouterOutput"]["FabricConfiguration"]["SwitchingMode"],
        "IMMEDIATE"
    );
    let key_frame = output(
        "kf",
        Some(json!({"RecoveryLatencyMode": "LOW_LATENCY",
            "SwitchingConfiguration": {"KeyFrame": {"KeyFrameWaitMilliseconds": 2000}}})),
    );
    assert_eq!(
        key_frame["FabricConfiguration"]["SwitchingMode"],
        "KEY_FRAME"
    );
    assert_eq!(
        key_frame["FabricConfiguration"]["RecoveryLatencyMode"],
        "LOW_LATENCY"
    );
}

/// AWS CDK's integration test of flow defaults (aws-mediaconnect-alpha
/// integ.mediaconnect-flow-defaults) asserts DescribeFlow's `Source.Transport.MaxLatency` is
/// 2000 for a RIST source that set none. A given latency is kept, other protocols answer none,
/// and a source changed to another protocol drops it.
#[test]
fn rist_sources_answer_a_max_latency_of_2000_by_default() {
    let mc = mc();
    let rist = json!({"Name": "r", "Protocol": "rist", "IngestPort": 5000, "WhitelistCidr": "203.0.113.0/24"});
    let f = ok(&mc, "CreateFlow", json!({"Name": "d", "Source": rist}));
    assert_eq!(f["Flow"]["Source"]["Transport"]["MaxLatency"], 2000);
    let arn = f["Flow"]["FlowArn"].clone();
    let src = f["Flow"]["Source"]["SourceArn"].clone();
    let u = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": src, "MaxLatency": 500}),
    );
    assert_eq!(u["Source"]["Transport"]["MaxLatency"], 500);
    let u = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": src, "Protocol": "rtp", "IngestPort": 5000}),
    );
    assert!(u["Source"]["Transport"].get("MaxLatency").is_none(), "{u}");
    let given = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "g", "Source": {"Name": "r", "Protocol": "rist", "IngestPort": 5000,
            "WhitelistCidr": "203.0.113.0/24", "MaxLatency": 3000}}),
    );
    assert_eq!(given["Flow"]["Source"]["Transport"]["MaxLatency"], 3000);
    let rtp = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "t", "Source": rtp_source("s")}),
    );
    assert!(rtp["Flow"]["Source"]["Transport"]
        .get("MaxLatency")
        .is_none());
}

/// The same integration test asserts DescribeFlow's `SourceFailoverConfig.RecoveryWindow` is
/// 200 for a MERGE flow that set none. FAILOVER mode answers no window, an update to MERGE
/// gets 200, and a given window is kept.
#[test]
fn merging_flows_answer_a_recovery_window_of_200_by_default() {
    let mc = mc();
    let rist = json!({"Name": "r", "Protocol": "rist", "IngestPort": 5000, "WhitelistCidr": "203.0.113.0/24"});
    let merge = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "m", "Source": rist,
            "SourceFailoverConfig": {"FailoverMode": "MERGE", "State": "ENABLED"}}),
    );
    assert_eq!(merge["Flow"]["SourceFailoverConfig"]["RecoveryWindow"], 200);
    let failover = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "o", "Source": rist,
            "SourceFailoverConfig": {"FailoverMode": "FAILOVER", "State": "ENABLED"}}),
    );
    assert!(failover["Flow"]["SourceFailoverConfig"]
        .get("RecoveryWindow")
        .is_none());
    let farn = failover["Flow"]["FlowArn"].clone();
    let u = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": farn, "SourceFailoverConfig": {"FailoverMode": "MERGE"}}),
    );
    assert_eq!(u["Flow"]["SourceFailoverConfig"]["RecoveryWindow"], 200);
    let u = ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": farn, "SourceFailoverConfig": {"RecoveryWindow": 1000}}),
    );
    assert_eq!(u["Flow"]["SourceFailoverConfig"]["RecoveryWindow"], 1000);
}

/// A new Zixi push source on a VPC interface gets its port from MediaConnect, which "reject[s]
/// any explicit ingestPort value" (AWS CDK's aws-mediaconnect-alpha, which therefore sends
/// none): one given, even in 2090-2099, is refused on CreateFlow and AddFlowSources and
/// nothing is stored; the service-assigned port is answered.
#[test]
fn a_new_vpc_zixi_source_takes_no_ingest_port() {
    let mc = mc();
    let vpc = json!({"Name": "v1", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
        "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"});
    let given =
        json!({"Name": "z", "Protocol": "zixi-push", "VpcInterfaceName": "v1", "IngestPort": 2090});
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "zv", "VpcInterfaces": [vpc], "Source": given}),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "IngestPort is not supported for a zixi-push source on a VPC interface. MediaConnect assigns these sources a port from 2090-2099."
    );
    assert!(ok(&mc, "ListFlows", json!({}))["Flows"]
        .as_array()
        .unwrap()
        .is_empty());
    let mut assigned = given.clone();
    assigned.as_object_mut().unwrap().remove("IngestPort");
    let f = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "zv", "VpcInterfaces": [vpc], "Source": assigned,
            "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "FAILOVER"}}),
    );
    assert_eq!(f["Flow"]["Source"]["IngestPort"], 2090);
    let mut second = given.clone();
    second["Name"] = json!("z2");
    second["IngestPort"] = json!(2091);
    let e = err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": f["Flow"]["FlowArn"], "Sources": [second]}),
        "BadRequestException",
    );
    assert!(e.starts_with("IngestPort is not supported"), "{e}");
    let d = ok(
        &mc,
        "DescribeFlow",
        json!({"FlowArn": f["Flow"]["FlowArn"]}),
    );
    assert!(!d.to_string().contains("\"z2\""), "{d}");
}
