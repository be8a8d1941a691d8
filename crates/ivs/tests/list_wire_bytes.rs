//! The bytes ListChannels, ListStreamKeys and GetChannel put on the wire (through
//! `Service::handle_output` and the model's output serializer, as the server does) are pinned
//! to a file written before the list path was optimized: the fast path must answer exactly
//! what the generic one did. Pinned again (`PIN_WIRE_BYTES=1`) when stream keys took AWS's
//! shape, which moved the test runtime's random IDs and with them the ARN order, and channels
//! answered AWS's multitrack defaults; nothing else changed.

use serde_json::{json, Value};
use service::{Principal, RequestContext, Runtime, Service};
use std::sync::Arc;

fn ctx() -> RequestContext {
    RequestContext::new(
        "req",
        Arc::new(Principal::root("000000000000", "test")),
        "us-west-2",
    )
}

/// The wire body of `op`'s answer to `input`, made as the server makes it (the service's
/// output, list items pre-rendered where it renders them, then the model's serializer).
fn wire(ivs: &ivs::Ivs, op: &str, input: Value) -> String {
    let out = ivs.handle_output(&ctx(), op, input).expect(op);
    let registry = protocol::Registry::shared();
    let model = registry.model("ivs").expect("ivs model");
    let r = model.serialize_rendered(model.operation(op).expect("op"), out, "rid");
    assert_eq!(r.status, 200, "{op}");
    String::from_utf8(r.body).expect("utf-8")
}

/// Channels with every kind of member value: defaults, set enums and flags, references,
/// tags (several, with characters JSON escapes), names with quotes and non-ASCII text.
fn account() -> (Arc<ivs::Ivs>, Vec<String>) {
    let ivs = ivs::Ivs::new(Arc::new(Runtime::for_tests()));
    let rc = ivs
        .handle(
            &ctx(),
            "CreateRecordingConfiguration",
            json!({"name": "rec", "destinationConfiguration": {"s3": {"bucketName": "b"}}}),
        )
        .expect("recording configuration");
    let rc_arn = rc["recordingConfiguration"]["arn"].clone();
    let inputs = [
        json!({}),
        json!({"name": "plain"}),
        json!({"name": "quote \" back\\slash é 日本", "latencyMode": "NORMAL", "authorized": true}),
        json!({"name": "adv", "type": "ADVANCED_HD", "insecureIngest": true,
               "tags": {"team": "a", "tab\t": "line\nbreak", "z": ""}}),
        json!({"name": "rec", "recordingConfigurationArn": rc_arn, "type": "BASIC"}),
        json!({"name": "mt", "containerFormat": "FRAGMENTED_MP4",
               "multitrackInputConfiguration": {"enabled": true, "policy": "ALLOW", "maximumResolution": "HD"}}),
    ];
    let mut arns = Vec::new();
    for i in 0..15 {
        let out = ivs
            .handle(&ctx(), "CreateChannel", inputs[i % inputs.len()].clone())
            .expect("CreateChannel");
        arns.push(out["channel"]["arn"].as_str().expect("arn").to_string());
    }
    (ivs, arns)
}

fn answers() -> String {
    let (ivs, arns) = account();
    let mut lines = vec![
        wire(&ivs, "ListChannels", json!({})),
        wire(&ivs, "ListChannels", json!({"maxResults": 4})),
        wire(&ivs, "ListChannels", json!({"filterByName": "adv"})),
    ];
    let first: Value = serde_json::from_str(&lines[1]).expect("json");
    lines.push(wire(
        &ivs,
        "ListChannels",
        json!({"maxResults": 4, "nextToken": first["nextToken"]}),
    ));
    lines.push(wire(&ivs, "ListStreamKeys", json!({"channelArn": arns[3]})));
    lines.push(wire(&ivs, "GetChannel", json!({"arn": arns[3]})));
    lines.push(wire(
        &ivs,
        "BatchGetChannel",
        json!({"arns": [arns[2], arns[5]]}),
    ));
    lines.join("\n") + "\n"
}

#[test]
fn list_and_get_answers_are_the_pinned_bytes() {
    let pinned = include_str!("data/list_wire_bytes.txt");
    let now = answers();
    if std::env::var_os("PIN_WIRE_BYTES").is_some() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/list_wire_bytes.txt"
        );
        std::fs::write(path, &now).expect("write the pinned bytes");
        return;
    }
    for (i, (a, b)) in pinned.lines().zip(now.lines()).enumerate() {
        assert_eq!(b, a, "answer {i} differs");
    }
    assert_eq!(now, pinned);
}
