//! The simulator gives the live path's decisions: cross-account needs both sides, assuming a
//! role needs its trust policy, and simulated principals need not exist.

use crate::api::test_support::{call, iam, root_ctx};
use serde_json::{json, Value};

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn decision(out: &Value) -> &str {
    out["EvaluationResults"][0]["EvalDecision"]
        .as_str()
        .unwrap_or_default()
}

fn custom(extra: Value) -> String {
    let iam = iam();
    let mut input = json!({"PolicyInputList": [ALLOW_ALL], "ActionNames": ["ivs:GetChannel"],
        "CallerArn": "arn:aws:iam::000000000000:user/bob"});
    if let (Some(m), Some(e)) = (input.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    let out = call(&iam, &root_ctx(), "SimulateCustomPolicy", input).unwrap();
    decision(&out).to_string()
}

#[test]
fn a_resource_of_another_account_needs_its_resource_policy() {
    let channel = "arn:aws:ivs:us-east-1:111122223333:channel/abc";
    assert_eq!(custom(json!({})), "allowed");
    // By the resource ARN's account, or by ResourceOwner (an ARN or an ID).
    assert_eq!(custom(json!({"ResourceArns": [channel]})), "implicitDeny");
    for owner in ["arn:aws:iam::111122223333:root", "111122223333"] {
        assert_eq!(
            custom(json!({"ResourceArns": ["*"], "ResourceOwner": owner})),
            "implicitDeny"
        );
    }
    let grant = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:user/bob"},
        "Action": "ivs:GetChannel", "Resource": channel}]})
    .to_string();
    assert_eq!(
        custom(json!({"ResourceArns": [channel], "ResourcePolicy": grant})),
        "allowed"
    );
    // Both sides must allow: the resource policy alone is not enough across accounts.
    let none = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
    assert_eq!(
        custom(
            json!({"PolicyInputList": [none], "ResourceArns": [channel], "ResourcePolicy": grant})
        ),
        "implicitDeny"
    );
}

#[test]
fn assuming_a_role_needs_the_trust_policy_even_in_the_same_account() {
    let role = "arn:aws:iam::000000000000:role/target";
    let assume = |extra: Value| {
        let mut e = json!({"ActionNames": ["sts:AssumeRole"], "ResourceArns": [role]});
        if let (Some(m), Some(x)) = (e.as_object_mut(), extra.as_object()) {
            m.extend(x.clone());
        }
        custom(e)
    };
    assert_eq!(assume(json!({})), "implicitDeny");
    let trust = |principal: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}]})
        .to_string()
    };
    assert_eq!(
        assume(json!({"ResourcePolicy": trust("arn:aws:iam::000000000000:user/bob")})),
        "allowed"
    );
    assert_eq!(
        assume(json!({"ResourcePolicy": trust("arn:aws:iam::000000000000:user/alice")})),
        "implicitDeny"
    );
    // A principal of an account mediamock does not know is a valid principal here.
    assert_eq!(
        assume(json!({"ResourcePolicy": trust("arn:aws:iam::123456789012:role/x")})),
        "implicitDeny"
    );
}

#[test]
fn a_stored_roles_trust_policy_is_used_when_none_is_given() {
    let iam = iam();
    let root = root_ctx();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:user/bob"}, "Action": "sts:AssumeRole"}]})
    .to_string();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "target", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    let simulate = |caller: &str| {
        let out = call(
            &iam,
            &root,
            "SimulateCustomPolicy",
            json!({
            "PolicyInputList": [ALLOW_ALL], "ActionNames": ["sts:AssumeRole"],
            "ResourceArns": ["arn:aws:iam::000000000000:role/target"], "CallerArn": caller}),
        )
        .unwrap();
        decision(&out).to_string()
    };
    assert_eq!(simulate("arn:aws:iam::000000000000:user/bob"), "allowed");
    assert_eq!(
        simulate("arn:aws:iam::000000000000:user/alice"),
        "implicitDeny"
    );
}
