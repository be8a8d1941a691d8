//! Unit tests of encryption settings (entitlements, outputs, source decryption) and of the
//! media stream rules (type changes, output association, removal).

use crate::test_support::*;
use serde_json::{json, Value};

const BAD: &str = "BadRequestException";

fn role() -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/mc")
}

fn secret() -> String {
    format!("arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:key")
}

fn static_key() -> Value {
    json!({"RoleArn": role(), "Algorithm": "aes256", "SecretArn": secret()})
}

fn speke() -> Value {
    json!({"RoleArn": role(), "Algorithm": "aes128", "KeyType": "speke", "DeviceId": "d-1",
        "Region": "us-west-2", "ResourceId": "content-1", "Url": "https://abc.execute-api.us-west-2.amazonaws.com/keys"})
}

/// `base` with `changes` merged in (a `null` removes a member).
fn with(base: Value, changes: Value) -> Value {
    let mut v = base;
    for (k, c) in changes.as_object().unwrap() {
        if c.is_null() {
            v.as_object_mut().unwrap().remove(k);
        } else {
            v[k] = c.clone();
        }
    }
    v
}

fn grant(arn: &str, name: &str, encryption: Value) -> Value {
    json!({"FlowArn": arn, "Entitlements": [{"Name": name, "Subscribers": [OTHER], "Encryption": encryption}]})
}

#[test]
fn speke_entitlements_need_the_key_server_members_and_no_secret() {
    let mc = mc();
    let arn = flow(&mc, "Speke");
    for member in ["DeviceId", "Region", "ResourceId", "Url"] {
        let e = err(
            &mc,
            "GrantFlowEntitlements",
            grant(&arn, "e", with(speke(), json!({member: null}))),
            BAD,
        );
        assert_eq!(
            e,
            format!("Encryption {member} is required for speke encryption.")
        );
    }
    let e = err(
        &mc,
        "GrantFlowEntitlements",
        grant(&arn, "e", with(speke(), json!({"SecretArn": secret()}))),
        BAD,
    );
    assert_eq!(e, "Encryption SecretArn is not valid for speke encryption.");
    let with_iv = with(
        speke(),
        json!({"ConstantInitializationVector": "0123456789abcdef0123456789abcdef"}),
    );
    let out = ok(&mc, "GrantFlowEntitlements", grant(&arn, "e", with_iv));
    assert_eq!(out["Entitlements"][0]["Encryption"]["KeyType"], "speke");
}

#[test]
fn a_speke_constant_iv_is_32_hex_characters() {
    // The model's ConstantInitializationVector: "A 128-bit, 16-byte hex value represented by a
    // 32-character string". Any text was stored.
    let mc = mc();
    let arn = flow(&mc, "Iv");
    for iv in [
        "abc",
        "0123456789abcdef0123456789abcdeg",
        "0123456789abcdef0123456789abcdef0",
    ] {
        let e = err(
            &mc,
            "GrantFlowEntitlements",
            grant(
                &arn,
                "e",
                with(speke(), json!({"ConstantInitializationVector": iv})),
            ),
            BAD,
        );
        assert_eq!(
            e,
            format!("Encryption ConstantInitializationVector {iv} is not valid. Specify a 128-bit, 16-byte hex value represented by a 32-character string.")
        );
    }
    let granted = ok(
        &mc,
        "GrantFlowEntitlements",
        grant(
            &arn,
            "e",
            with(
                speke(),
                json!({"ConstantInitializationVector": "0123456789ABCDEF0123456789abcdef"}),
            ),
        ),
    );
    let e_arn = granted["Entitlements"][0]["EntitlementArn"].clone();
    // An update is held to it too, and a refused one keeps the stored vector.
    err(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e_arn, "Encryption": {"ConstantInitializationVector": "xyz"}}),
        BAD,
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["Entitlements"][0]["Encryption"]["ConstantInitializationVector"],
        "0123456789ABCDEF0123456789abcdef"
    );
}

#[test]
fn static_key_is_the_default_and_needs_a_secret_but_no_speke_members() {
    let mc = mc();
    let arn = flow(&mc, "Static");
    let e = err(
        &mc,
        "GrantFlowEntitlements",
        grant(&arn, "e", with(static_key(), json!({"SecretArn": null}))),
        BAD,
    );
    assert_eq!(
        e,
        "Encryption SecretArn is required for static-key encryption."
    );
    for (member, value) in [
        ("DeviceId", "d-1"),
        ("Url", "https://keys"),
        (
            "ConstantInitializationVector",
            "0123456789abcdef0123456789abcdef",
        ),
    ] {
        let e = err(
            &mc,
            "GrantFlowEntitlements",
            grant(
                &arn,
                "e",
                with(
                    static_key(),
                    json!({"KeyType": "static-key", member: value}),
                ),
            ),
            BAD,
        );
        assert_eq!(
            e,
            format!("Encryption {member} is not valid for static-key encryption.")
        );
    }
    ok(&mc, "GrantFlowEntitlements", grant(&arn, "e", static_key()));
}

#[test]
fn entitlements_take_static_key_and_speke_only() {
    let mc = mc();
    let arn = flow(&mc, "Srt");
    let e = err(
        &mc,
        "GrantFlowEntitlements",
        grant(
            &arn,
            "e",
            with(
                static_key(),
                json!({"KeyType": "srt-password", "Algorithm": null}),
            ),
        ),
        BAD,
    );
    assert_eq!(
        e,
        "Encryption KeyType srt-password is not valid for an entitlement. Allowable encryption types: static-key, speke."
    );
}

#[test]
fn an_entitlement_update_is_checked_as_merged() {
    let mc = mc();
    let arn = flow(&mc, "Upd");
    let out = ok(&mc, "GrantFlowEntitlements", grant(&arn, "e", static_key()));
    let e_arn = out["Entitlements"][0]["EntitlementArn"].as_str().unwrap();
    // A change of key type starts afresh but for the role: the static key's secret goes.
    let other = ok(
        &mc,
        "GrantFlowEntitlements",
        grant(&arn, "e2", static_key()),
    );
    let e2 = other["Entitlements"][0]["EntitlementArn"].as_str().unwrap();
    let switched = ok(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e2,
            "Encryption": with(speke(), json!({"RoleArn": null}))}),
    );
    let enc = &switched["Entitlement"]["Encryption"];
    assert_eq!(enc["KeyType"], "speke");
    assert_eq!(enc["RoleArn"], role());
    assert!(enc.get("SecretArn").is_none(), "{enc}");
    let e = err(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e_arn, "Encryption": {"Url": "https://keys"}}),
        BAD,
    );
    assert_eq!(e, "Encryption Url is not valid for static-key encryption.");
    let u = ok(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": e_arn, "Encryption": {"Algorithm": "aes192"}}),
    );
    assert_eq!(u["Entitlement"]["Encryption"]["Algorithm"], "aes192");
    assert_eq!(u["Entitlement"]["Encryption"]["SecretArn"], secret());
    // Encryption added by an update still needs the role the shape requires.
    let out = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "clear", "Subscribers": [OTHER]}]}),
    );
    let clear = out["Entitlements"][0]["EntitlementArn"].as_str().unwrap();
    let e = err(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": clear, "Encryption": {"SecretArn": secret()}}),
        BAD,
    );
    assert_eq!(e, "Encryption RoleArn is required.");
}

#[test]
fn outputs_take_encryption_only_where_their_protocol_does() {
    let mc = mc();
    let arn = flow(&mc, "Out");
    let add = |o: Value| json!({"FlowArn": arn, "Outputs": [o]});
    let zixi = |enc: Value| json!({"Name": "z", "Protocol": "zixi-push", "Destination": "198.51.100.5", "Port": 2088, "Encryption": enc});
    let e = err(&mc, "AddFlowOutputs", add(zixi(speke())), BAD);
    assert_eq!(
        e,
        "Encryption KeyType speke is not valid for an output. Allowable encryption types: static-key, srt-password."
    );
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(
            json!({"Name": "r", "Protocol": "rtp", "Destination": "198.51.100.6", "Port": 5010, "Encryption": static_key()}),
        ),
        BAD,
    );
    assert_eq!(
        e,
        "MediaConnect doesn't support encryption for protocol rtp. Remove Encryption from an output."
    );
    let srt_password = json!({"RoleArn": role(), "KeyType": "srt-password"});
    let e = err(
        &mc,
        "AddFlowOutputs",
        add(zixi(with(
            srt_password.clone(),
            json!({"SecretArn": secret()}),
        ))),
        BAD,
    );
    assert_eq!(
        e,
        "Encryption KeyType srt-password is only for the srt-listener and srt-caller protocols, not zixi-push."
    );
    let srt = |enc: Value| json!({"Name": "s", "Protocol": "srt-listener", "Port": 5020, "CidrAllowList": ["10.0.0.0/16"], "Encryption": enc});
    let e = err(&mc, "AddFlowOutputs", add(srt(srt_password.clone())), BAD);
    assert_eq!(
        e,
        "Encryption SecretArn is required for srt-password encryption."
    );
    ok(
        &mc,
        "AddFlowOutputs",
        add(srt(with(srt_password, json!({"SecretArn": secret()})))),
    );
    let out = ok(&mc, "AddFlowOutputs", add(zixi(static_key())));
    let o_arn = out["Outputs"][0]["OutputArn"].as_str().unwrap();
    // An update is checked against the stored settings it overlays.
    let e = err(
        &mc,
        "UpdateFlowOutput",
        json!({"FlowArn": arn, "OutputArn": o_arn, "Encryption": {"DeviceId": "d-1"}}),
        BAD,
    );
    assert_eq!(
        e,
        "Encryption DeviceId is not valid for static-key encryption."
    );
}

#[test]
fn source_decryption_follows_the_same_rules() {
    let mc = mc();
    let zixi = |dec: Value| json!({"Name": "s", "Protocol": "zixi-push", "Decryption": dec});
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": zixi(with(static_key(), json!({"SecretArn": null})))}),
        BAD,
    );
    assert_eq!(
        e,
        "Decryption SecretArn is required for static-key encryption."
    );
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": zixi(speke())}),
        BAD,
    );
    assert!(e.starts_with("Decryption KeyType speke is not valid for a source."));
    let out = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": zixi(static_key())}),
    );
    let arn = out["Flow"]["FlowArn"].as_str().unwrap();
    let s_arn = out["Flow"]["Source"]["SourceArn"].as_str().unwrap();
    let e = err(
        &mc,
        "UpdateFlowSource",
        json!({"FlowArn": arn, "SourceArn": s_arn, "Decryption": {"Region": "us-west-2"}}),
        BAD,
    );
    assert_eq!(
        e,
        "Decryption Region is not valid for static-key encryption."
    );
}

/// A CDI flow whose source uses the media stream `video`; `audio` exists but nothing uses it.
fn cdi_flow(mc: &crate::MediaConnect) -> String {
    let out = ok(
        mc,
        "CreateFlow",
        json!({
            "Name": "cdi",
            "VpcInterfaces": [{"Name": "efa0", "NetworkInterfaceType": "efa", "RoleArn": role(), "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}],
            "MediaStreams": [
                {"MediaStreamId": 1, "MediaStreamName": "video", "MediaStreamType": "video", "VideoFormat": "1080p"},
                {"MediaStreamId": 2, "MediaStreamName": "audio", "MediaStreamType": "audio"}],
            "Source": {"Name": "s", "Protocol": "cdi", "MaxSyncBuffer": 100, "VpcInterfaceName": "efa0",
                "MediaStreamSourceConfigurations": [{"EncodingName": "raw", "MediaStreamName": "video",
                    "InputConfigurations": [{"InputPort": 5000, "Interface": {"Name": "efa0"}}]}]}
        }),
    );
    out["Flow"]["FlowArn"].as_str().unwrap().to_string()
}

fn cdi_output(name: &str, stream: &str, port: i64) -> Value {
    json!({"Name": name, "Protocol": "cdi", "VpcInterfaceAttachment": {"VpcInterfaceName": "efa0"},
        "MediaStreamOutputConfigurations": [{"EncodingName": "raw", "MediaStreamName": stream,
            "DestinationConfigurations": [{"DestinationIp": "10.0.0.9", "DestinationPort": port, "Interface": {"Name": "efa0"}}]}]})
}

#[test]
fn an_output_uses_only_media_streams_a_source_uses() {
    let mc = mc();
    let arn = cdi_flow(&mc);
    let e = err(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [cdi_output("o", "audio", 5100)]}),
        BAD,
    );
    assert_eq!(
        e,
        "Media stream audio is not associated with a source on this flow. Associate it with a source before you associate it with an output."
    );
    ok(
        &mc,
        "AddFlowOutputs",
        json!({"FlowArn": arn, "Outputs": [cdi_output("o", "video", 5100)]}),
    );
}

#[test]
fn a_media_stream_in_use_keeps_its_type() {
    let mc = mc();
    let arn = cdi_flow(&mc);
    let e = err(
        &mc,
        "UpdateFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "video", "MediaStreamType": "ancillary-data"}),
        BAD,
    );
    assert_eq!(
        e,
        "You can't change the type of media stream video because it is associated with source s. Remove it from there first."
    );
    // Other members, and the same type, may still be set.
    let u = ok(
        &mc,
        "UpdateFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "video", "MediaStreamType": "video", "Description": "main"}),
    );
    assert_eq!(u["MediaStream"]["Description"], "main");
    let u = ok(
        &mc,
        "UpdateFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "audio", "MediaStreamType": "ancillary-data", "ClockRate": 90000}),
    );
    assert_eq!(u["MediaStream"]["MediaStreamType"], "ancillary-data");
}

#[test]
fn a_media_streams_clock_rate_suits_its_type() {
    let mc = mc();
    let arn = cdi_flow(&mc);
    let add = |stream: Value| json!({"FlowArn": arn, "MediaStreams": [stream]});
    // AddFlowMediaStreams: audio takes 48000 or 96000, video and ancillary data 90000.
    let e = err(
        &mc,
        "AddFlowMediaStreams",
        add(
            json!({"MediaStreamId": 3, "MediaStreamName": "a3", "MediaStreamType": "audio", "ClockRate": 12345}),
        ),
        BAD,
    );
    assert_eq!(
        e,
        "ClockRate 12345 is not valid for media stream a3. A media stream of type audio must have a ClockRate of 48000 or 96000."
    );
    err(
        &mc,
        "AddFlowMediaStreams",
        add(
            json!({"MediaStreamId": 3, "MediaStreamName": "anc", "MediaStreamType": "ancillary-data", "ClockRate": 48000}),
        ),
        BAD,
    );
    let a = ok(
        &mc,
        "AddFlowMediaStreams",
        add(
            json!({"MediaStreamId": 3, "MediaStreamName": "a3", "MediaStreamType": "audio", "ClockRate": 96000}),
        ),
    );
    assert_eq!(a["MediaStreams"][0]["ClockRate"], 96000);
    // Left out, the rate is the type's default.
    let a = ok(
        &mc,
        "AddFlowMediaStreams",
        add(
            json!({"MediaStreamId": 4, "MediaStreamName": "anc", "MediaStreamType": "ancillary-data"}),
        ),
    );
    assert_eq!(a["MediaStreams"][0]["ClockRate"], 90000);
    // CreateFlow's MediaStreams: the flow is not made.
    let e = err(
        &mc,
        "CreateFlow",
        json!({"Name": "bad-rate", "Source": rtp_source("s"),
            "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "v", "MediaStreamType": "video", "VideoFormat": "1080p", "ClockRate": 48000}]}),
        BAD,
    );
    assert!(e.contains("90000"), "{e}");
    assert_eq!(
        ok(&mc, "ListFlows", json!({}))["Flows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // UpdateFlowMediaStream: only the rate, only the type, or both.
    let update = |m: Value| {
        let mut input = json!({"FlowArn": arn});
        input
            .as_object_mut()
            .unwrap()
            .extend(m.as_object().unwrap().clone());
        input
    };
    err(
        &mc,
        "UpdateFlowMediaStream",
        update(json!({"MediaStreamName": "video", "ClockRate": 48000})),
        BAD,
    );
    err(
        &mc,
        "UpdateFlowMediaStream",
        update(json!({"MediaStreamName": "a3", "MediaStreamType": "ancillary-data"})),
        BAD,
    );
    let u = ok(
        &mc,
        "UpdateFlowMediaStream",
        update(
            json!({"MediaStreamName": "a3", "MediaStreamType": "ancillary-data", "ClockRate": 90000}),
        ),
    );
    assert_eq!(u["MediaStream"]["ClockRate"], 90000);
    let u = ok(
        &mc,
        "UpdateFlowMediaStream",
        update(json!({"MediaStreamName": "audio", "ClockRate": 96000})),
    );
    assert_eq!(u["MediaStream"]["ClockRate"], 96000);
    // A refused update changed nothing.
    let f = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    let video = f["Flow"]["MediaStreams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["MediaStreamName"] == "video")
        .unwrap();
    assert_eq!(video["ClockRate"], 90000);
}

#[test]
fn a_media_stream_is_removed_only_from_a_flow_that_is_not_active() {
    let mc = mc();
    let arn = flow(&mc, "Streams");
    ok(
        &mc,
        "AddFlowMediaStreams",
        json!({"FlowArn": arn, "MediaStreams": [{"MediaStreamId": 1, "MediaStreamName": "audio", "MediaStreamType": "audio"}]}),
    );
    ok(&mc, "StartFlow", json!({"FlowArn": arn}));
    let remove = json!({"FlowArn": arn, "MediaStreamName": "audio"});
    let e = err(&mc, "RemoveFlowMediaStream", remove.clone(), BAD);
    assert_eq!(
        e,
        "You can't remove media stream audio while the flow is ACTIVE. Stop the flow first."
    );
    ok(&mc, "StopFlow", json!({"FlowArn": arn}));
    ok(&mc, "RemoveFlowMediaStream", remove);
}

#[test]
fn a_video_media_streams_format_is_one_cloudformation_allows() {
    let mc = mc();
    let arn = flow(&mc, "f");
    let video = |name: &str, id: i64, format: &str| {
        json!({"FlowArn": arn, "MediaStreams": [{"MediaStreamId": id, "MediaStreamName": name,
            "MediaStreamType": "video", "ClockRate": 90000, "VideoFormat": format}]})
    };
    for bad in ["4k", "1080", "720i"] {
        let e = err(&mc, "AddFlowMediaStreams", video("v", 1, bad), BAD);
        assert_eq!(
            e,
            format!(
                "VideoFormat {bad} is not valid. Specify one of 2160p, 1080p, 1080i, 720p, 480p."
            )
        );
    }
    for (i, good) in ["2160p", "1080p", "1080i", "720p", "480p"]
        .iter()
        .enumerate()
    {
        ok(
            &mc,
            "AddFlowMediaStreams",
            video(&format!("v{i}"), i as i64, good),
        );
    }
    err(
        &mc,
        "UpdateFlowMediaStream",
        json!({"FlowArn": arn, "MediaStreamName": "v0", "VideoFormat": "8k"}),
        BAD,
    );
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(d["Flow"]["MediaStreams"][0]["VideoFormat"], "2160p");
}

/// API_Encryption, the one shape of a source's Decryption, an output's and an entitlement's
/// Encryption: "If no keyType is provided, the service will use the default setting
/// (static-key)"; answered as set on all three (outputs already were).
#[test]
fn source_and_entitlement_encryption_without_a_key_type_answer_static_key() {
    let mc = mc();
    let created = ok(
        &mc,
        "CreateFlow",
        json!({"Name": "f", "Source": {"Name": "s", "Protocol": "zixi-push", "Decryption": static_key()},
            "Entitlements": [{"Name": "e", "Subscribers": [OTHER], "Encryption": static_key()}]}),
    );
    let flow = &created["Flow"];
    assert_eq!(flow["Source"]["Decryption"]["KeyType"], "static-key");
    assert_eq!(
        flow["Entitlements"][0]["Encryption"]["KeyType"],
        "static-key"
    );
    let arn = flow["FlowArn"].as_str().unwrap().to_string();
    let granted = ok(&mc, "GrantFlowEntitlements", grant(&arn, "g", static_key()));
    assert_eq!(
        granted["Entitlements"][0]["Encryption"]["KeyType"],
        "static-key"
    );
    // An entitlement that gains encryption through an update answers the default too.
    let plain = ok(
        &mc,
        "GrantFlowEntitlements",
        json!({"FlowArn": arn, "Entitlements": [{"Name": "p", "Subscribers": [OTHER]}]}),
    );
    let p_arn = plain["Entitlements"][0]["EntitlementArn"].clone();
    let up = ok(
        &mc,
        "UpdateFlowEntitlement",
        json!({"FlowArn": arn, "EntitlementArn": p_arn, "Encryption": static_key()}),
    );
    assert_eq!(up["Entitlement"]["Encryption"]["KeyType"], "static-key");
    let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
    assert_eq!(
        d["Flow"]["Sources"][0]["Decryption"]["KeyType"],
        "static-key"
    );
    for e in d["Flow"]["Entitlements"].as_array().unwrap() {
        assert_eq!(e["Encryption"]["KeyType"], "static-key", "{e}");
    }
    // A key type the request gives is kept.
    let s = ok(&mc, "GrantFlowEntitlements", grant(&arn, "sp", speke()));
    assert_eq!(s["Entitlements"][0]["Encryption"]["KeyType"], "speke");
}
