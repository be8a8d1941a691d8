//! The engine's data-driven mapping for IAM, compared operation by operation with the hand
//! mapping it replaces.

use crate::api::test_support::*;
use serde_json::{json, Map, Value};
use service::{Access, RequestContext};

fn engine(
    iam: &std::sync::Arc<crate::Iam>,
    c: &RequestContext,
    op: &str,
    input: &Value,
) -> Vec<Access> {
    let svc = iam.iam_service();
    match authz::authorize(svc.as_ref(), c, op, input).unwrap_or_else(|e| panic!("{op}: {e}")) {
        authz::Authorization::Required(a) => a,
        other => panic!("{op}: {other:?}"),
    }
}

fn canonical(mut a: Vec<Access>) -> Vec<String> {
    for x in &mut a {
        x.context.sort_by_key(|p| format!("{p:?}"));
    }
    let mut out: Vec<String> = a
        .iter()
        .map(|x| format!("{} {} {:?}", x.action, x.resource, x.context))
        .collect();
    out.sort();
    out
}

/// An input for `op` with every top-level member the fixture knows filled in.
fn input_for(op: &str, fixture: &Map<String, Value>) -> Value {
    let registry = protocol::Registry::shared();
    let model = registry.model("iam").unwrap();
    let operation = model.operation(op).unwrap();
    let mut out = Map::new();
    if let Some(shape) = model.input_shape(operation) {
        for m in shape.members() {
            if let Some(v) = fixture.get(&m.name) {
                out.insert(m.name.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

#[test]
fn the_engine_maps_every_iam_operation_as_the_hand_mapping_did() {
    let iam = iam();
    let root = root_ctx();
    let tags = json!([{"Key": "team", "Value": "media"}]);
    call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "alice", "Path": "/t/", "Tags": tags}),
    )
    .unwrap();
    call(&iam, &root, "CreateRole", json!({"RoleName": "r", "Tags": tags,
        "AssumeRolePolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#})).unwrap();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "g"})).unwrap();
    let bob = user_ctx(&iam, "bob");
    let fixture: Map<String, Value> = json!({
        "UserName": "alice", "RoleName": "r", "GroupName": "g", "Path": "/p/",
        "PolicyArn": "arn:aws:iam::000000000000:policy/p", "PolicyName": "p",
        "Tags": [{"Key": "k", "Value": "v"}], "TagKeys": ["team"],
        "SerialNumber": "arn:aws:iam::000000000000:mfa/dev", "VirtualMFADeviceName": "dev",
        "OpenIDConnectProviderArn": "arn:aws:iam::000000000000:oidc-provider/example.com",
        "SAMLProviderArn": "arn:aws:iam::000000000000:saml-provider/s", "Name": "s",
        "Url": "https://example.com", "AWSServiceName": "elasticmapreduce.amazonaws.com",
        "PermissionsBoundary": "arn:aws:iam::000000000000:policy/b",
        "PolicySourceArn": "arn:aws:iam::000000000000:user/t/alice",
        "InstanceProfileName": "ip", "ServerCertificateName": "sc", "AccessKeyId": "AKIAEXAMPLE",
    })
    .as_object()
    .unwrap()
    .clone();
    let registry = protocol::Registry::shared();
    let mut differences = Vec::new();
    for op in registry.model("iam").unwrap().operation_names() {
        for c in [&root, &bob] {
            let input = input_for(op, &fixture);
            let hand = iam.iam_service().authorize(c, op, &input).unwrap();
            let data = engine(&iam, c, op, &input);
            // The hand mapping named the role, or `*`, where the reference gives the
            // instance profile; the engine follows the reference.
            if op.contains("InstanceProfile") && canonical(hand.clone()) != canonical(data.clone())
            {
                let profile = "arn:aws:iam::000000000000:instance-profile/";
                assert!(
                    data.iter().all(|a| a.resource.starts_with(profile)),
                    "{op}: {data:?}"
                );
                continue;
            }
            if canonical(hand.clone()) != canonical(data.clone()) {
                differences.push(format!(
                    "{op}\n  hand:   {:?}\n  engine: {:?}",
                    canonical(hand),
                    canonical(data)
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
