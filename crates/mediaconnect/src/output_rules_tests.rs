//! Unit tests of the rules between a flow's outputs: distinct destinations, CDI flows' outputs
//! (and their one source and no entitlements), VPC interface attachments, NDI outputs' flow
//! size and encryption's default key type.

use crate::test_support::*;
use serde_json::{json, Value};

/// An output named `name` with `protocol` to `ip`:`port`.
fn to(name: &str, protocol: &str, ip: &str, port: i64) -> Value {
    json!({"Name": name, "Protocol": protocol, "Destination": ip, "Port": port})
}

/// AddFlowOutputs of `outputs` to `arn`.
fn add(arn: &str, outputs: Value) -> Value {
    json!({"FlowArn": arn, "Outputs": outputs})
}

/// The names of the flow's outputs.
fn output_names(mc: &crate::MediaConnect, arn: &str) -> Vec<String> {
    let d = ok(mc, "DescribeFlow", json!({"FlowArn": arn}));
    d["Flow"]["Outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Name"].as_str().unwrap().to_string())
        .collect()
}

/// A VPC interface of `kind` called `name`.
fn vpc(name: &str, kind: &str) -> Value {
    json!({"Name": name, "NetworkInterfaceType": kind, "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
        "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"})
}

/// A CDI output called `name` on the EFA interface, sending the video stream to `port`.
fn cdi_output(name: &str, port: i64) -> Value {
    json!({"Name": name, "Protocol": "cdi", "VpcInterfaceAttachment": {"VpcInterfaceName": "efa0"},
        "MediaStreamOutputConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
            "DestinationConfigurations": [{"DestinationIp": "10.0.0.9", "DestinationPort": port, "Interface": {"Name": "efa0"}}]}]})
}

/// CreateFlow of a CDI flow (a CDI source on an EFA interface) with `outputs`.
fn cdi_flow_request(outputs: Value) -> Value {
    json!({
        "Name": "cdi",
        "VpcInterfaces": [vpc("efa0", "efa"), vpc("ena0", "ena")],
        "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"}],
        "Source": {"Name": "s", "Protocol": "cdi", "MaxSyncBuffer": 100, "VpcInterfaceName": "efa0",
            "MediaStreamSourceConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
                "InputConfigurations": [{"InputPort": 5000, "Interface": {"Name": "efa0"}}]}]},
        "Outputs": outputs
    })
}

#[test]
fn outputs_to_one_address_cannot_share_a_port_including_reserved_ones() {
    let mc = mc();
    let arn = flow(&mc, "f");
    // RTP-FEC on 5000 also takes 5002 and 5004.
    ok(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("fec", "rtp-fec", "198.51.100.5", 5000)])),
    );
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("b", "rtp", "198.51.100.5", 5002)])),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "Output b can't use port 5002 at 198.51.100.5: output fec already uses it. Each output on a flow must be sent to a different destination; outputs can point to the same IP address as long as none of their ports overlap (RIST outputs also use port+1, RTP-FEC outputs port+2 and port+4)."
    );
    // A RIST output on 4999 would take 5000 too.
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("r", "rist", "198.51.100.5", 4999)])),
        "BadRequestException",
    );
    assert!(
        e.starts_with("Output r can't use port 5000 at 198.51.100.5"),
        "{e}"
    );
    // Ports in between, other addresses, and the same port at another address are free.
    ok(
        &mc,
        "AddFlowOutputs",
        add(
            &arn,
            json!([
                to("odd", "rtp", "198.51.100.5", 5001),
                to("next", "rist", "198.51.100.5", 5005),
                to("elsewhere", "rtp", "198.51.100.6", 5002),
                to("srt", "srt-caller", "198.51.100.6", 5000)
            ]),
        ),
    );
    assert_eq!(output_names(&mc, &arn).len(), 5);
}

#[test]
fn outputs_of_one_request_and_of_create_flow_are_checked_together() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(
            &arn,
            json!([
                to("a", "udp", "198.51.100.5", 6000),
                to("b", "rtp-fec", "198.51.100.5", 5996)
            ]),
        ),
        "BadRequestException",
    );
    assert!(
        e.starts_with("Output b can't use port 6000 at 198.51.100.5: output a already uses it."),
        "{e}"
    );
    assert!(output_names(&mc, &arn).is_empty(), "nothing added");
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "g", "Source": rtp_source("s"),
            "Outputs": [to("a", "rtp", "198.51.100.5", 6000), to("b", "zixi-push", "198.51.100.5", 6000)]}),
        "BadRequestException",
    );
    assert!(e.starts_with("Output b can't use port 6000"), "{e}");
    let listed = ok(&mc, "ListFlows", json!({}));
    assert_eq!(listed["Flows"].as_array().unwrap().len(), 1, "no flow g");
}

#[test]
fn listener_and_pull_outputs_need_their_own_port_or_remote_id() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let listener = |name: &str, port: i64| json!({"Name": name, "Protocol": "srt-listener", "Port": port, "CidrAllowList": ["10.0.0.0/8"]});
    let pull = |name: &str, remote: &str| json!({"Name": name, "Protocol": "zixi-pull", "StreamId": "game", "RemoteId": remote});
    ok(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([listener("l1", 7000), pull("p1", "nyc")])),
    );
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([listener("l2", 7000)])),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "Output l2 can't listen on port 7000: output l1 already listens on it. Each output on a flow must be sent to a different destination."
    );
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([pull("p2", "nyc")])),
        "BadRequestException",
    );
    assert!(
        e.starts_with(
            "Output p2 can't use stream ID game with remote ID nyc: output p1 already does."
        ),
        "{e}"
    );
    // Same stream ID, another remote ID; Zixi pushes to one port with different streams.
    ok(
        &mc,
        "AddFlowOutputs",
        add(
            &arn,
            json!([listener("l2", 7001), pull("p2", "lax"),
                {"Name": "z1", "Protocol": "zixi-push", "Destination": "198.51.100.7", "Port": 2088, "StreamId": "a"},
                {"Name": "z2", "Protocol": "zixi-push", "Destination": "198.51.100.7", "Port": 2088, "StreamId": "b"}]),
        ),
    );
}

#[test]
fn update_flow_output_checks_against_the_other_outputs_only() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let out = ok(
        &mc,
        "AddFlowOutputs",
        add(
            &arn,
            json!([
                to("fec", "rtp-fec", "198.51.100.5", 5000),
                to("plain", "rtp", "198.51.100.5", 5010)
            ]),
        ),
    );
    let fec = out["Outputs"][0]["OutputArn"].as_str().unwrap();
    let plain = out["Outputs"][1]["OutputArn"].as_str().unwrap();
    // Moving onto its own reserved ports is no clash.
    let u = ok(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": fec, "Port": 5002}),
    );
    assert_eq!(u["Output"]["Port"], 5002);
    // 5006 is now fec's (5002 + 4).
    let e = err(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": plain, "Port": 5006}),
        "BadRequestException",
    );
    assert!(
        e.starts_with("Output plain can't use port 5006 at 198.51.100.5: output fec"),
        "{e}"
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Outputs"][1]["Port"], 5010, "unchanged");
    // Another address makes the port free.
    ok(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": plain, "Port": 5006, "Destination": "198.51.100.9"}),
    );
}

#[test]
fn cdi_outputs_clash_on_a_media_stream_destination() {
    let mc = mc();
    let out = ok(
        &mc,
        "CreateFlow",
        cdi_flow_request(json!([cdi_output("o1", 6000)])),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([cdi_output("o2", 6000)])),
        "BadRequestException",
    );
    assert!(
        e.starts_with("Output o2 can't use port 6000 at 10.0.0.9"),
        "{e}"
    );
    ok(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([cdi_output("o2", 6001)])),
    );
}

#[test]
fn a_cdi_flow_has_at_most_ten_outputs() {
    let mc = mc();
    let ten: Vec<Value> = (0..10)
        .map(|i| cdi_output(&format!("o{i}"), 6000 + i))
        .collect();
    let out = ok(&mc, "CreateFlow", cdi_flow_request(json!(ten)));
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([cdi_output("o10", 6010)])),
        "AddFlowOutputs420Exception",
    );
    assert_eq!(e, "A CDI flow can have at most 10 outputs.");
    let eleven: Vec<Value> = (0..11)
        .map(|i| cdi_output(&format!("o{i}"), 6000 + i))
        .collect();
    let e = err(
        &mc,
        "CreateFlow",
        cdi_flow_request(json!(eleven)),
        "CreateFlow420Exception",
    );
    assert_eq!(e, "A CDI flow can have at most 10 outputs.");
    // A transport stream flow keeps its 50.
    let arn = flow(&mc, "ts");
    let eleven: Vec<Value> = (0..11)
        .map(|i| to(&format!("o{i}"), "rtp", "198.51.100.5", 6000 + i))
        .collect();
    ok(&mc, "AddFlowOutputs", add(&arn, json!(eleven)));
}

#[test]
fn cdi_flows_refuse_standard_outputs() {
    let mc = mc();
    let e = err(
        &mc,
        "CreateFlow",
        cdi_flow_request(json!([
            cdi_output("o1", 6000),
            to("std", "rtp", "198.51.100.5", 5000)
        ])),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "CDI flows don't support standard outputs. Output std must be sent to a VPC interface of the flow (VpcInterfaceAttachment)."
    );
    let out = ok(&mc, "CreateFlow", cdi_flow_request(json!([])));
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    err(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([to("std", "srt-caller", "198.51.100.5", 5000)])),
        "BadRequestException",
    );
    // A VPC output is not a standard one, but a CDI flow's outputs are CDI or ST 2110 JPEG
    // XS all the same (outputs-add-vpc: "For CDI flows, the protocol options are: CDI and ST
    // 2110 JPEG XS").
    let mut vpc_out = to("vpc", "rtp", "10.0.0.20", 5000);
    vpc_out["VpcInterfaceAttachment"] = json!({"VpcInterfaceName": "ena0"});
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([vpc_out])),
        "BadRequestException",
    );
    assert_eq!(e, "Output vpc uses rtp, which a CDI flow doesn't support. The outputs of a flow with a CDI or ST 2110 JPEG XS source use CDI or ST 2110 JPEG XS.");
    ok(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([cdi_output("o2", 6002)])),
    );
    // A transport stream flow takes both kinds.
    let ts = flow(&mc, "ts");
    ok(
        &mc,
        "AddFlowOutputs",
        add(&ts, json!([to("std", "rtp", "198.51.100.5", 5000)])),
    );
}

#[test]
fn a_flows_outputs_carry_what_its_source_does() {
    // outputs-add-vpc: "The protocol options are dependent on the flow type. For transport
    // stream flows, the protocol options are: RTP, RTP-FEC, RIST, SRT, and Zixi. For CDI
    // flows, the protocol options are: CDI and ST 2110 JPEG XS."
    let mc = mc();
    let cdi = ok(
        &mc,
        "CreateFlow",
        cdi_flow_request(json!([cdi_output("o1", 6000)])),
    );
    let arn = cdi["Flow"]["FlowArn"].as_str().unwrap();
    let mut zixi = to("z", "zixi-push", "10.0.0.20", 5000);
    zixi["VpcInterfaceAttachment"] = json!({"VpcInterfaceName": "ena0"});
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(arn, json!([zixi])),
        "BadRequestException",
    );
    assert_eq!(e, "Output z uses zixi-push, which a CDI flow doesn't support. The outputs of a flow with a CDI or ST 2110 JPEG XS source use CDI or ST 2110 JPEG XS.");
    // Nor can the CDI output become a transport stream one, or the source a transport stream
    // while the CDI output stays; a refusal leaves both as they were.
    let output = cdi["Flow"]["Outputs"][0]["OutputArn"].clone();
    err(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": output, "Protocol": "rtp", "Destination": "10.0.0.20", "Port": 5000}),
        "BadRequestException",
    );
    let source = cdi["Flow"]["Source"]["SourceArn"].clone();
    let e = err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": source, "Protocol": "rtp", "IngestPort": 5000, "WhitelistCidr": "10.0.0.0/16"}),
        "BadRequestException",
    );
    assert_eq!(e, "Output o1 uses cdi, which a transport stream flow doesn't support. CDI and ST 2110 JPEG XS outputs need a flow with a CDI or ST 2110 JPEG XS source.");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Source"]["Transport"]["Protocol"], "cdi");
    assert_eq!(d["Flow"]["Outputs"][0]["Transport"]["Protocol"], "cdi");
}

#[test]
fn an_output_attachment_must_name_a_vpc_interface_of_the_flow() {
    let mc = mc();
    let mut o = to("o", "rtp", "10.0.0.20", 5000);
    o["VpcInterfaceAttachment"] = json!({"VpcInterfaceName": "missing"});
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": rtp_source("s"), "Outputs": [o.clone()]}),
        "BadRequestException",
    );
    assert_eq!(e, "VPC interface missing does not exist on this flow.");
    let arn = flow(&mc, "f");
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([o.clone()])),
        "BadRequestException",
    );
    assert_eq!(e, "VPC interface missing does not exist on this flow.");
    ok(
        &mc,
        "AddFlowVpcInterfaces",
        json!({"FlowArn": arn, "VpcInterfaces": [vpc("vpc1", "ena")]}),
    );
    o["VpcInterfaceAttachment"] = json!({"VpcInterfaceName": "vpc1"});
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([o])));
    let output = out["Outputs"][0]["OutputArn"].as_str().unwrap();
    let e = err(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": output, "VpcInterfaceAttachment": {"VpcInterfaceName": "gone"}}),
        "BadRequestException",
    );
    assert_eq!(e, "VPC interface gone does not exist on this flow.");
}

#[test]
fn ndi_outputs_need_a_large_flow_that_keeps_ndi() {
    let mc = mc();
    let ndi = json!([{"Name": "n", "Protocol": "ndi-speed-hq"}]);
    // NDI enabled, but MEDIUM (the default size).
    let medium = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "m", "Source": rtp_source("s"), "NdiConfig": {"NdiState": "ENABLED"}}),
    );
    let m_arn = medium["Flow"]["FlowArn"].as_str().unwrap();
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(m_arn, ndi.clone()),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "NDI outputs require a LARGE flow: set the flow's FlowSize to LARGE."
    );
    // LARGE, but NDI not enabled.
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "l", "Source": rtp_source("s"), "FlowSize": "LARGE", "Outputs": ndi.clone()}),
        "BadRequestException",
    );
    assert!(e.starts_with("NDI outputs require NDI on the flow"), "{e}");
    let large = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "l", "Source": rtp_source("s"), "FlowSize": "LARGE",
            "NdiConfig": {"NdiState": "ENABLED"}, "Outputs": ndi}),
    );
    let arn = large["Flow"]["FlowArn"].as_str().unwrap();
    let e = err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "FlowSize": "MEDIUM"}),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "A flow with NDI outputs must be LARGE. Remove NDI output n before you change FlowSize to MEDIUM."
    );
    let e = err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "NdiConfig": {"NdiState": "DISABLED"}}),
        "BadRequestException",
    );
    assert_eq!(
        e,
        "A flow with NDI outputs must have NDI enabled. Remove NDI output n before you set NdiState to DISABLED."
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["FlowSize"], "LARGE");
    assert_eq!(d["Flow"]["NdiConfig"]["NdiState"], "ENABLED");
    // Without its NDI output the flow may shrink and switch NDI off.
    let output = d["Flow"]["Outputs"][0]["OutputArn"].clone();
    ok(
        &mc,
        "RemoveFlowOutput",
        json!({"FlowArn": arn, "OutputArn": output}),
    );
    ok(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "FlowSize": "MEDIUM", "NdiConfig": {"NdiState": "DISABLED"}}),
    );
}

#[test]
fn output_encryption_without_a_key_type_is_static_key() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let role = format!("arn:aws:iam::{ACCOUNT}:role/mc");
    let secret = format!("arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:k");
    let mut o = to("o", "zixi-push", "198.51.100.5", 2088);
    o["Encryption"] = json!({"Algorithm": "aes128", "RoleArn": role, "SecretArn": secret});
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([o])));
    assert_eq!(out["Outputs"][0]["Encryption"]["KeyType"], "static-key");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["Outputs"][0]["Encryption"]["KeyType"],
        "static-key"
    );
    // A key type the request gives is kept.
    let mut s =
        json!({"Name": "s", "Protocol": "srt-caller", "Destination": "198.51.100.6", "Port": 5000});
    s["Encryption"] = json!({"KeyType": "srt-password", "RoleArn": role, "SecretArn": secret});
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([s])));
    assert_eq!(out["Outputs"][0]["Encryption"]["KeyType"], "srt-password");
}

#[test]
fn a_cdi_flow_has_one_source() {
    let mc = mc();
    let mut request = cdi_flow_request(json!([]));
    request["SourceFailoverConfig"] = json!({"State": "ENABLED"});
    let arn = ok(&mc, "CreateFlow", request)["Flow"]["FlowArn"].clone();
    let second = json!({"Name": "s2", "Protocol": "cdi", "MaxSyncBuffer": 100, "VpcInterfaceName": "efa0",
        "MediaStreamSourceConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
            "InputConfigurations": [{"InputPort": 5010, "Interface": {"Name": "efa0"}}]}]});
    let e = err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [second]}),
        "BadRequestException",
    );
    assert!(e.contains("only one source"), "{e}");
}

#[test]
fn a_cdi_flow_grants_no_entitlements() {
    let mc = mc();
    let arn = ok(&mc, "CreateFlow", cdi_flow_request(json!([])))["Flow"]["FlowArn"].clone();
    let e = err(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "e", "Subscribers": [OTHER]}]}),
        "BadRequestException",
    );
    assert!(e.contains("entitlements on CDI flows"), "{e}");
}

/// The model's `Transport`: an NDI output always answers `NdiOutputTimecodeSource` and
/// `NdiAudioReferenceLevel`, EMBEDDED_TIMECODE and -20 unless it was given others; an update
/// that sets neither keeps them, and other protocols answer neither.
#[test]
fn ndi_outputs_answer_their_timecode_source_and_audio_reference_level() {
    let mc = mc();
    let flow = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "l", "Source": rtp_source("s"), "FlowSize": "LARGE",
            "NdiConfig": {"NdiState": "ENABLED"},
            "Outputs": [{"Name": "n", "Protocol": "ndi-speed-hq"},
                {"Name": "e", "Protocol": "ndi-speed-hq", "NdiAudioReferenceLevel": -18,
                    "NdiOutputTimecodeSource": "UTC_SYSTEM_TIME"},
                {"Name": "r", "Protocol": "rtp", "Destination": "198.51.100.1", "Port": 5000}]}),
    );
    let outputs = &flow["Flow"]["Outputs"];
    let t = &outputs[0]["Transport"];
    assert_eq!(t["NdiOutputTimecodeSource"], "EMBEDDED_TIMECODE");
    assert_eq!(t["NdiAudioReferenceLevel"], -20);
    let t = &outputs[1]["Transport"];
    assert_eq!(t["NdiOutputTimecodeSource"], "UTC_SYSTEM_TIME");
    assert_eq!(t["NdiAudioReferenceLevel"], -18);
    let t = &outputs[2]["Transport"];
    assert!(t.get("NdiOutputTimecodeSource").is_none(), "{t}");
    assert!(t.get("NdiAudioReferenceLevel").is_none(), "{t}");
    let up = ok(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": flow["Flow"]["FlowArn"], "OutputArn": outputs[1]["OutputArn"],
            "Description": "kept"}),
    );
    assert_eq!(up["Output"]["Transport"]["NdiAudioReferenceLevel"], -18);
    assert_eq!(
        up["Output"]["Transport"]["NdiOutputTimecodeSource"],
        "UTC_SYSTEM_TIME"
    );
}

/// The model's bounds: a JPEG XS output's `CompressionFactor` is 3.0-10.0, a flow lists at
/// most three NDI discovery servers, and an NDI flow's `VideoMaxBitrate` is 10-50 Mbps; a
/// refused update leaves the flow as it was.
/// An NDI output made without `NdiSpeedHqQuality` answers 100, as AWS CDK's integration test
/// of an NDI output with defaults asserts against DescribeFlow; a given quality is kept, an
/// update that leaves it out keeps it, and other protocols answer none.
#[test]
fn ndi_outputs_answer_a_speed_hq_quality_of_100_by_default() {
    let mc = mc();
    let flow = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "q", "Source": rtp_source("s"), "FlowSize": "LARGE",
            "NdiConfig": {"NdiState": "ENABLED"},
            "Outputs": [{"Name": "n", "Protocol": "ndi-speed-hq"},
                {"Name": "e", "Protocol": "ndi-speed-hq", "NdiSpeedHqQuality": 50},
                {"Name": "r", "Protocol": "rtp", "Destination": "198.51.100.1", "Port": 5000}]}),
    );
    let outputs = &flow["Flow"]["Outputs"];
    assert_eq!(outputs[0]["Transport"]["NdiSpeedHqQuality"], 100);
    assert_eq!(outputs[1]["Transport"]["NdiSpeedHqQuality"], 50);
    assert!(outputs[2]["Transport"].get("NdiSpeedHqQuality").is_none());
    let up = ok(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": flow["Flow"]["FlowArn"], "OutputArn": outputs[1]["OutputArn"],
            "Description": "kept"}),
    );
    assert_eq!(up["Output"]["Transport"]["NdiSpeedHqQuality"], 50);
}

#[test]
fn compression_factors_discovery_servers_and_ndi_bitrates_stay_in_their_ranges() {
    let mc = mc();
    let jpegxs = |factor: f64| {
        json!([{"Name": "j", "Protocol": "st2110-jpegxs", "VpcInterfaceAttachment": {"VpcInterfaceName": "ena0"},
            "MediaStreamOutputConfigurations": [{"EncodingName": "jxsv", "MediaStreamName": "video",
                "EncodingParameters": {"CompressionFactor": factor, "EncoderProfile": "main"},
                "DestinationConfigurations": [{"DestinationIp": "10.0.0.9", "DestinationPort": 5000, "Interface": {"Name": "ena0"}}]}]}])
    };
    let e = err(
        &mc,
        "CreateFlow",
        cdi_flow_request(jpegxs(2.5)),
        "BadRequestException",
    );
    assert!(e.starts_with("CompressionFactor 2.5 is not valid"), "{e}");
    err(
        &mc,
        "CreateFlow",
        cdi_flow_request(jpegxs(10.5)),
        "BadRequestException",
    );
    ok(&mc, "CreateFlow", cdi_flow_request(jpegxs(3.0)));

    let servers = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| json!({"DiscoveryServerAddress": format!("10.0.0.{i}"), "VpcInterfaceAdapter": "v"}))
            .collect()
    };
    let ndi = |n: usize| json!({"NdiState": "ENABLED", "NdiDiscoveryServers": servers(n)});
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "n", "Source": rtp_source("s"), "FlowSize": "LARGE", "NdiConfig": ndi(4)}),
        "BadRequestException",
    );
    assert!(e.contains("at most 3"), "{e}");
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "n", "Source": rtp_source("s"), "FlowSize": "LARGE", "NdiConfig": ndi(3),
            "EncodingConfig": {"VideoMaxBitrate": 20_000_000}}),
    );
    let arn = created["Flow"]["FlowArn"].clone();
    for bad in [
        json!({"FlowArn": arn, "NdiConfig": ndi(4)}),
        json!({"FlowArn": arn, "EncodingConfig": {"VideoMaxBitrate": 9_999_999}}),
        json!({"FlowArn": arn, "EncodingConfig": {"VideoMaxBitrate": 50_000_001}}),
    ] {
        err(&mc, "UpdateFlow", bad, "BadRequestException");
    }
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["NdiConfig"]["NdiDiscoveryServers"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(d["Flow"]["EncodingConfig"]["VideoMaxBitrate"], 20_000_000);
}

/// A source or listener output on a VPC interface answers the interface's private address
/// (the model's Output.ListenerAddress: "For private networking, the ListenerAddress is
/// represented by the elastic network interface IP address of the VPC"); public ones answer
/// the flow's own.
#[test]
fn vpc_sources_and_listener_outputs_answer_the_interfaces_private_address() {
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "v", "VpcInterfaces": [vpc("v1", "ena")],
            "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "FAILOVER"},
            "Source": {"Name": "s", "Protocol": "rtp", "IngestPort": 5000, "WhitelistCidr": "10.0.0.0/16", "VpcInterfaceName": "v1"},
            "Outputs": [
                {"Name": "l", "Protocol": "srt-listener", "Port": 6000, "CidrAllowList": ["10.0.0.0/16"],
                    "VpcInterfaceAttachment": {"VpcInterfaceName": "v1"}},
                {"Name": "z", "Protocol": "zixi-pull", "RemoteId": "r",
                    "VpcInterfaceAttachment": {"VpcInterfaceName": "v1"}},
                {"Name": "p", "Protocol": "srt-listener", "Port": 6001, "CidrAllowList": ["10.0.0.0/16"]}]}),
    );
    let flow = &created["Flow"];
    let private = flow["Source"]["IngestIp"].as_str().unwrap();
    assert!(private.starts_with("10.0."), "{private}");
    assert_eq!(flow["Outputs"][0]["ListenerAddress"], private);
    assert_eq!(flow["Outputs"][1]["ListenerAddress"], private);
    assert_eq!(flow["Outputs"][2]["ListenerAddress"], flow["EgressIp"]);
    // A public second source answers the flow's address, not the first one's private one.
    let added = ok(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": flow["FlowArn"], "Sources": [rtp_source_on("pub", 5002)]}),
    );
    assert_eq!(added["Sources"][0]["IngestIp"], flow["EgressIp"]);
}

/// The model, on every `Protocol` member: "Elemental MediaConnect no longer supports the
/// Fujitsu QoS protocol." Flow sources and outputs and bridge sources refuse it.
#[test]
fn the_fujitsu_qos_protocol_is_no_longer_supported() {
    let mc = mc();
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "fujitsu-qos", "IngestPort": 5000,
            "WhitelistCidr": "10.0.0.0/16", "SenderIpAddress": "10.0.0.1", "SenderControlPort": 5001}}),
        "BadRequestException",
    );
    assert!(e.contains("no longer supports the Fujitsu QoS"), "{e}");
    let arn = flow(&mc, "f");
    err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("o", "fujitsu-qos", "198.51.100.1", 5000)])),
        "BadRequestException",
    );
    assert!(output_names(&mc, &arn).is_empty());
    let gw = ok(
        &mc,
        "CreateGateway",
        json!({"Name": "g", "EgressCidrBlocks": ["10.0.0.0/16"], "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
    );
    let e = err(
        &mc,
        "CreateBridge",
        json!({"Name": "b", "PlacementArn": gw["Gateway"]["GatewayArn"],
            "IngressGatewayBridge": {"MaxBitrate": 10000000, "MaxOutputs": 2},
            "Sources": [{"NetworkSource": {"Name": "cam", "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": "fujitsu-qos"}}]}),
        "BadRequestException",
    );
    assert!(e.contains("Fujitsu"), "{e}");
}

#[test]
fn an_output_updated_to_another_protocol_drops_what_the_new_protocol_refuses() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let out = ok(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("o", "rtp", "198.51.100.1", 5000)])),
    );
    let output_arn = out["Outputs"][0]["OutputArn"].as_str().unwrap().to_string();
    let update = |body: Value| {
        let mut input = json!({"FlowArn": arn, "OutputArn": output_arn});
        input
            .as_object_mut()
            .unwrap()
            .extend(body.as_object().unwrap().clone());
        input
    };
    // RTP to RTP-FEC: the destination, port and smoothing latency carry over.
    let o = ok(
        &mc,
        "UpdateFlowOutput",
        update(json!({"Protocol": "rtp-fec"})),
    )["Output"]
        .clone();
    assert_eq!(o["Destination"], "198.51.100.1");
    assert_eq!(o["Port"], 5000);
    assert_eq!(o["Transport"]["SmoothingLatency"], 0);
    // To an SRT listener: the stored Destination no longer stands in the way.
    let o = ok(
        &mc,
        "UpdateFlowOutput",
        update(json!({"Protocol": "srt-listener", "Port": 5100, "CidrAllowList": ["10.0.0.0/8"], "Description": "d"})),
    )["Output"]
        .clone();
    assert!(o.get("Destination").is_none(), "{o}");
    assert!(o["Transport"].get("SmoothingLatency").is_none(), "{o}");
    assert_eq!(o["Transport"]["CidrAllowList"], json!(["10.0.0.0/8"]));
    assert!(o["ListenerAddress"].is_string(), "{o}");
    // Back to a push protocol: the allow list goes, and RTP's default latency returns.
    let o = ok(
        &mc,
        "UpdateFlowOutput",
        update(json!({"Protocol": "rtp", "Destination": "198.51.100.2"})),
    )["Output"]
        .clone();
    assert!(o["Transport"].get("CidrAllowList").is_none(), "{o}");
    assert!(o.get("ListenerAddress").is_none(), "{o}");
    assert_eq!(o["Port"], 5100);
    assert_eq!(o["Description"], "d");
    assert_eq!(o["Transport"]["SmoothingLatency"], 0);
    // A refused change leaves the output as it was.
    err(
        &mc,
        "UpdateFlowOutput",
        update(json!({"Protocol": "zixi-pull", "Destination": "198.51.100.3"})),
        "BadRequestException",
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["Outputs"][0]["Transport"]["Protocol"], "rtp");
    assert_eq!(d["Flow"]["Outputs"][0]["Destination"], "198.51.100.2");
}

/// An SRT listener source on `port`.
fn srt_source(name: &str, port: i64) -> Value {
    json!({"Name": name, "Protocol": "srt-listener", "IngestPort": port, "WhitelistCidr": "10.0.0.0/16"})
}

#[test]
fn srt_sources_fail_over_but_do_not_merge() {
    let mc = mc();
    let merge = json!({"State": "ENABLED", "FailoverMode": "MERGE"});
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "m", "Sources": [srt_source("a", 5000), srt_source("b", 5002)],
            "SourceFailoverConfig": merge}),
        "BadRequestException",
    );
    assert!(e.contains("MERGE"), "{e}");
    let arn = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Sources": [srt_source("a", 5000), srt_source("b", 5002)],
            "SourceFailoverConfig": {"State": "ENABLED", "FailoverMode": "FAILOVER"}}),
    )["Flow"]["FlowArn"]
        .clone();
    err(
        &mc,
        "UpdateFlow",
        json!({"FlowArn": arn, "SourceFailoverConfig": {"FailoverMode": "MERGE"}}),
        "BadRequestException",
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["SourceFailoverConfig"]["FailoverMode"],
        "FAILOVER"
    );
    // RTP sources merge; one of them cannot then become an SRT source.
    let rtp = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "r", "Sources": [rtp_source_on("a", 5000), rtp_source_on("b", 5010)],
            "SourceFailoverConfig": merge}),
    );
    let source = rtp["Flow"]["Sources"][0]["SourceArn"].clone();
    err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": rtp["Flow"]["FlowArn"], "SourceArn": source, "Protocol": "srt-listener",
            "IngestPort": 6000}),
        "BadRequestException",
    );
}

#[test]
fn a_jpeg_xs_flow_has_one_source_whatever_its_interface() {
    let mc = mc();
    let source = |name: &str, port: i64| {
        json!({"Name": name, "Protocol": "st2110-jpegxs", "MaxSyncBuffer": 100, "VpcInterfaceName": "ena0",
            "MediaStreamSourceConfigurations": [{"EncodingName": "jxsv", "MediaStreamName": "video",
                "InputConfigurations": [{"InputPort": port, "Interface": {"Name": "ena0"}}]}]})
    };
    let request = |sources: Value| {
        json!({
            "Name": "jxs",
            "VpcInterfaces": [vpc("ena0", "ena")],
            "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"}],
            "Sources": sources,
            "SourceFailoverConfig": {"State": "ENABLED"}
        })
    };
    let e = err(
        &mc,
        "CreateFlow",
        request(json!([source("a", 5000), source("b", 5002)])),
        "BadRequestException",
    );
    assert!(e.contains("only one source"), "{e}");
    let arn = ok(&mc, "CreateFlow", request(json!([source("a", 5000)])))["Flow"]["FlowArn"].clone();
    err(
        &mc,
        "AddFlowSources",
        json!({"FlowArn": arn, "Sources": [source("b", 5002)]}),
        "BadRequestException",
    );
}

#[test]
fn a_jpeg_xs_source_may_name_its_interfaces_per_media_stream() {
    // The User Guide's CLI example of a CDI flow ("Creating a CDI flow"): a JPEG XS source
    // without VpcInterfaceName whose media streams each receive on an EFA and an ENA interface.
    let mc = mc();
    let inputs = |port: i64| {
        json!([{"InputPort": port, "Interface": {"Name": "efa-name"}},
            {"InputPort": port, "Interface": {"Name": "ena-name"}}])
    };
    let request = json!({
        "Name": "AwardsShow",
        "MediaStreams": [
            {"ClockRate": 90000, "MediaStreamId": 0, "MediaStreamName": "video-stream", "MediaStreamType": "video", "VideoFormat": "1080p"},
            {"ClockRate": 48000, "MediaStreamId": 1, "MediaStreamName": "audio-stream", "MediaStreamType": "audio"}],
        "Outputs": [{"Name": "cdi-output", "Protocol": "cdi", "Destination": "198.51.100.5", "Port": 5000,
            "MediaStreamOutputConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video-stream"},
                {"EncodingName": "pcm", "MediaStreamName": "audio-stream"}],
            "VpcInterfaceAttachment": {"VpcInterfaceName": "efa-name"}}],
        "Source": {"Name": "jxs-input", "Protocol": "st2110-jpegxs", "MaxSyncBuffer": 100,
            "MediaStreamSourceConfigurations": [
                {"EncodingName": "jxsv", "InputConfigurations": inputs(5011), "MediaStreamName": "video-stream"},
                {"EncodingName": "pcm", "InputConfigurations": inputs(5001), "MediaStreamName": "audio-stream"}]},
        "VpcInterfaces": [vpc("efa-name", "efa"), vpc("ena-name", "ena")]
    });
    let flow = ok(&mc, "CreateFlow", request.clone())["Flow"].clone();
    let source = &flow["Source"];
    assert_eq!(
        source["Transport"],
        json!({"MaxSyncBuffer": 100, "Protocol": "st2110-jpegxs"})
    );
    assert!(source.get("IngestIp").is_none(), "{source}");
    assert!(source.get("VpcInterfaceName").is_none(), "{source}");
    // Each input receives at its own interface's address.
    let video = &source["MediaStreamSourceConfigurations"][0]["InputConfigurations"];
    let audio = &source["MediaStreamSourceConfigurations"][1]["InputConfigurations"];
    assert!(video[0]["InputIp"].is_string());
    assert_ne!(video[0]["InputIp"], video[1]["InputIp"]);
    assert_eq!(video[0]["InputIp"], audio[0]["InputIp"]);
    // A source that names no interface at all is refused.
    let mut nowhere = request;
    nowhere["Name"] = json!("nowhere");
    nowhere["Source"]["MediaStreamSourceConfigurations"] =
        json!([{"EncodingName": "jxsv", "MediaStreamName": "video-stream"}]);
    let e = err(&mc, "CreateFlow", nowhere, "BadRequestException");
    assert!(e.contains("VpcInterfaceName"), "{e}");
}

#[test]
fn an_srt_caller_output_may_send_to_a_domain_name() {
    // outputs-add-standard, SRT caller: "enter the IP address or domain of the output's
    // destination"; other protocols still need an IP address.
    let mc = mc();
    let arn = flow(&mc, "f");
    let out = ok(
        &mc,
        "AddFlowOutputs",
        add(
            &arn,
            json!([to("o", "srt-caller", "encoder.example.com", 5000)]),
        ),
    );
    assert_eq!(out["Outputs"][0]["Destination"], "encoder.example.com");
    err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("r", "rtp", "encoder.example.com", 6000)])),
        "BadRequestException",
    );
    err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([to("s", "srt-caller", "not a host", 6000)])),
        "BadRequestException",
    );
}

#[test]
fn a_zixi_push_output_answers_its_default_maximum_latency() {
    // AWS's getting-started tutorial: add-flow-outputs of a Zixi push output without
    // MaxLatency answers Transport {"MaxLatency": 6000, "Protocol": "zixi-push", "StreamId": …}.
    let mc = mc();
    let arn = flow(&mc, "AwardsNYCShow");
    let mut output = to("AwardsNYCOutput", "zixi-push", "198.51.100.11", 1024);
    output["StreamId"] = json!("ZixiAwardsOutput");
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([output])));
    assert_eq!(
        out["Outputs"][0]["Transport"],
        json!({"MaxLatency": 6000, "Protocol": "zixi-push", "StreamId": "ZixiAwardsOutput"})
    );
    // A latency given is kept; a Zixi pull output has no default (its receiver's applies).
    let mut given = to("b", "zixi-push", "198.51.100.12", 1024);
    given["MaxLatency"] = json!(2000);
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([given])));
    assert_eq!(out["Outputs"][0]["Transport"]["MaxLatency"], 2000);
    let pull = json!({"Name": "p", "Protocol": "zixi-pull", "RemoteId": "rx"});
    let out = ok(&mc, "AddFlowOutputs", add(&arn, json!([pull])));
    assert!(out["Outputs"][0]["Transport"].get("MaxLatency").is_none());
}

#[test]
fn a_cdi_flow_takes_outputs_only_in_standby() {
    // outputs-add-vpc: "For transport stream flows, you can add outputs (up to 50) even if
    // the flow is active. For CDI flows, you can add outputs (up to 10) only if the flow is in
    // standby mode."
    let mc = mc();
    let arn = ok(&mc, "CreateFlow", cdi_flow_request(json!([])))["Flow"]["FlowArn"].clone();
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let e = err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [cdi_output("o", 6000)]}),
        "BadRequestException",
    );
    assert!(e.contains("STANDBY"), "{e}");
    ok(&mc, "StopFlow", json!({"FlowArn": arn}));
    ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [cdi_output("o", 6000)]}),
    );
    // A transport stream flow takes them while active.
    let ts = flow(&mc, "ts");
    ok(&mc, "StartFlow", json!({"FlowArn": ts}));
    ok(
        &mc,
        "AddFlowOutputs",
        add(&ts, json!([to("o", "rtp", "198.51.100.1", 5000)])),
    );
}

#[test]
fn zixi_latencies_stay_within_a_minute() {
    // The User Guide's Zixi push and pull settings: "You can choose a value between 0 and
    // 60,000 ms".
    let mc = mc();
    let arn = flow(&mc, "f");
    let mut push = to("push", "zixi-push", "198.51.100.1", 2088);
    push["MaxLatency"] = json!(60_001);
    err(
        &mc,
        "AddFlowOutputs",
        add(&arn, json!([push])),
        "BadRequestException",
    );
    let pull =
        json!({"Name": "pull", "Protocol": "zixi-pull", "RemoteId": "rx", "MaxLatency": 60_000});
    ok(&mc, "AddFlowOutputs", add(&arn, json!([pull])));
    let source = json!({"Name": "z", "Protocol": "zixi-push", "WhitelistCidr": "10.0.0.0/8", "MaxLatency": 70_000});
    err(
        &mc,
        "CreateFlow",
        json!({"Name": "z", "Source": source}),
        "BadRequestException",
    );
}

/// AWS CDK's MediaConnect constructs default a CDI or ST 2110 JPEG XS source's
/// `MaxSyncBuffer` to 100 ms because "CDI requires MaxSyncBuffer at the service level", and
/// "JPEG XS, like CDI, requires MaxSyncBuffer at the service level" (a deploy-time error
/// otherwise): such a source without one is refused and nothing is stored; an update that
/// leaves it out keeps the stored buffer.
#[test]
fn cdi_and_jpeg_xs_sources_need_a_max_sync_buffer() {
    let mc = mc();
    let mut request = cdi_flow_request(json!([]));
    request["Source"]
        .as_object_mut()
        .unwrap()
        .remove("MaxSyncBuffer");
    let e = err(&mc, "CreateFlow", request.clone(), "BadRequestException");
    assert_eq!(e, "MaxSyncBuffer is required for protocol cdi.");
    let e = {
        let mut jxs = request.clone();
        jxs["Source"]["Protocol"] = json!("st2110-jpegxs");
        jxs["Source"]["MediaStreamSourceConfigurations"][0]["EncodingName"] = json!("jxsv");
        jxs["Source"]["VpcInterfaceName"] = json!("ena0");
        jxs["Source"]["MediaStreamSourceConfigurations"][0]["InputConfigurations"][0]
            ["Interface"]["Name"] = json!("ena0");
        err(&mc, "CreateFlow", jxs, "BadRequestException")
    };
    assert_eq!(e, "MaxSyncBuffer is required for protocol st2110-jpegxs.");
    assert!(ok(&mc, "ListFlows", json!({}))["Flows"]
        .as_array()
        .unwrap()
        .is_empty());
    request["Source"]["MaxSyncBuffer"] = json!(50);
    let flow = ok(&mc, "CreateFlow", request)["Flow"].clone();
    assert_eq!(flow["Source"]["Transport"]["MaxSyncBuffer"], 50);
    let up = ok(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": flow["FlowArn"], "SourceArn": flow["Source"]["SourceArn"],
            "Description": "kept"}),
    );
    assert_eq!(up["Source"]["Transport"]["MaxSyncBuffer"], 50);
}
