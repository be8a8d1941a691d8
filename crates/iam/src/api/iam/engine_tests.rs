//! The engine's mapping of IAM operations (it replaced a hand mapping after a test proved
//! them equal for every operation, except instance-profile operations, which now follow the
//! reference).

use crate::api::test_support::*;
use serde_json::{json, Value};
use service::ContextValue;

#[test]
fn iam_operations_map_to_the_entities_aws_names() {
    let iam = iam();
    let root = root_ctx();
    let svc = iam.iam_service();
    let tags = json!([{"Key": "team", "Value": "media"}]);
    call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "alice", "Path": "/t/", "Tags": tags}),
    )
    .unwrap();
    let bob = user_ctx(&iam, "bob");
    let one = |c, op: &str, input| {
        let a = accesses(&svc, c, op, &input).unwrap();
        assert_eq!(a.len(), 1, "{op}: {a:?}");
        assert_eq!(a[0].action, format!("iam:{op}"));
        a.into_iter().next().unwrap()
    };
    assert_eq!(
        one(&root, "ListUsers", json!({})).resource,
        "arn:aws:iam::000000000000:user/"
    );
    assert_eq!(
        one(&bob, "GetUser", json!({})).resource,
        "arn:aws:iam::000000000000:user/bob"
    );
    let alice = one(&root, "GetUser", json!({"UserName": "alice"}));
    assert_eq!(alice.resource, "arn:aws:iam::000000000000:user/t/alice");
    for key in ["aws:ResourceTag/team", "iam:ResourceTag/team"] {
        assert!(
            alice
                .context
                .contains(&(key.into(), ContextValue::String("media".into()))),
            "{key}"
        );
    }
    let attach = one(
        &root,
        "AttachUserPolicy",
        json!({"UserName": "alice", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
    );
    assert!(attach.context.contains(&(
        "iam:PolicyARN".into(),
        ContextValue::String("arn:aws:iam::aws:policy/ReadOnlyAccess".into())
    )));
    let create = one(
        &root,
        "CreateRole",
        json!({"RoleName": "r", "Path": "/svc/", "Tags": [{"Key": "k", "Value": "v"}]}),
    );
    assert_eq!(create.resource, "arn:aws:iam::000000000000:role/svc/r");
    assert!(create.context.contains(&(
        "aws:TagKeys".into(),
        ContextValue::Strings(vec!["k".into()])
    )));
    // Adding a role to an instance profile passes the role on to EC2.
    let profile = accesses(
        &svc,
        &root,
        "AddRoleToInstanceProfile",
        &json!({"RoleName": "r", "InstanceProfileName": "ip"}),
    )
    .unwrap();
    assert_eq!(profile.len(), 2, "{profile:?}");
    assert_eq!(profile[0].action, "iam:AddRoleToInstanceProfile");
    assert_eq!(
        profile[0].resource,
        "arn:aws:iam::000000000000:instance-profile/ip"
    );
    assert_eq!(profile[1].action, "iam:PassRole");
    assert_eq!(profile[1].resource, "arn:aws:iam::000000000000:role/r");
    assert!(profile[1].context.contains(&(
        "iam:PassedToService".into(),
        ContextValue::String("ec2.amazonaws.com".into())
    )));
    assert_eq!(one(&root, "GetAccountSummary", json!({})).resource, "*");
}

#[test]
fn every_iam_and_sts_operation_is_mapped() {
    let iam = iam();
    let root = root_ctx();
    let registry = protocol::Registry::shared();
    for (name, svc) in [("iam", iam.iam_service()), ("sts", iam.sts_service())] {
        for op in registry.model(name).unwrap().operation_names() {
            let a = accesses(&svc, &root, op, &json!({}));
            if (name, op) == ("sts", "AssumeRole") {
                // Root is refused before any policy is read, as AWS refuses it.
                let e = a.unwrap_err();
                assert_eq!(e.message, "Roles may not be assumed by root accounts.");
                continue;
            }
            if op.starts_with("AssumeRoleWith") {
                // No token, nothing to evaluate: refused as invalid input, never allowed.
                let e = a.unwrap_err();
                assert_eq!(e.status, Some(400), "{op}: {e}");
                continue;
            }
            assert!(a.is_ok(), "{name}:{op}: {a:?}");
        }
    }
    let sts = iam.sts_service();
    assert!(accesses(&sts, &root, "GetCallerIdentity", &json!({}))
        .unwrap()
        .is_empty());
    let fed = accesses(&sts, &root, "GetFederationToken", &json!({"Name": "f"})).unwrap();
    assert_eq!(
        fed[0].resource,
        "arn:aws:sts::000000000000:federated-user/f"
    );
}

#[test]
fn assume_role_maps_to_the_role_with_its_trust_policy_attached() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
    call(&iam, &root, "CreateRole", json!({"RoleName": "r", "AssumeRolePolicyDocument": trust, "Tags": [{"Key": "t", "Value": "1"}]})).unwrap();
    let sts = iam.sts_service();
    let role = "arn:aws:iam::000000000000:role/r";
    let required =
        |input: Value| match authz::authorize(sts.as_ref(), &bob, "AssumeRole", &input).unwrap() {
            authz::Authorization::Required(a) => a,
            other => panic!("{other:?}"),
        };
    let a = required(json!({"RoleArn": role, "RoleSessionName": "s"}));
    assert_eq!(a.len(), 1);
    assert_eq!(
        (a[0].action.as_str(), a[0].resource.as_str()),
        ("sts:AssumeRole", role)
    );
    assert_eq!(a[0].resource_policy.as_ref().map(|p| p.text()), Some(trust));
    assert!(a[0].principal.is_none());
    let s = |v: &str| ContextValue::String(v.into());
    assert!(a[0].context.contains(&("iam:ResourceTag/t".into(), s("1"))));
    assert!(a[0]
        .context
        .contains(&("sts:RoleSessionName".into(), s("s"))));

    // What the input carries: its condition keys, and the actions it makes necessary.
    let a = required(
        json!({"RoleArn": role, "RoleSessionName": "s", "ExternalId": "x-1",
        "SourceIdentity": "alice", "Tags": [{"Key": "team", "Value": "red"}],
        "TransitiveTagKeys": ["team"]}),
    );
    let actions: Vec<&str> = a.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(
        actions,
        ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    );
    for x in &a {
        assert_eq!(x.resource, role);
        assert_eq!(x.resource_policy.as_ref().map(|p| p.text()), Some(trust));
        for key in [
            ("sts:ExternalId", s("x-1")),
            ("sts:SourceIdentity", s("alice")),
            ("aws:RequestTag/team", s("red")),
            ("aws:TagKeys", ContextValue::Strings(vec!["team".into()])),
            (
                "sts:TransitiveTagKeys",
                ContextValue::Strings(vec!["team".into()]),
            ),
        ] {
            assert!(
                x.context.contains(&(key.0.into(), key.1.clone())),
                "{x:?} lacks {key:?}"
            );
        }
    }
}

/// Every IAM and STS operation run on a model-valid input, twice (the second run finds what
/// the first created): none answers a member its output shape lacks (the operation list
/// refuses those in tests), and none fails with anything but a modelled AWS error.
#[test]
fn every_operation_answers_only_members_its_output_shape_has() {
    let iam = iam();
    let bob = admin_ctx(&iam, "bob");
    let registry = protocol::Registry::shared();
    let mut answered = 0;
    for _ in 0..2 {
        for (name, svc) in [("iam", iam.iam_service()), ("sts", iam.sts_service())] {
            let model = registry.model(name).unwrap();
            for op in model.operations() {
                let input = protocol::sample::valid_input(model, op);
                match svc.handle(&bob, &op.name, input) {
                    Ok(_) => answered += 1,
                    Err(e) => assert!(
                        e.status.unwrap_or(400) < 500 || e.code == "NotImplemented",
                        "{name}:{}: {e:?}",
                        op.name
                    ),
                }
            }
        }
    }
    assert!(answered > 40, "only {answered} answers");
}

/// The User Guide (aws:RequestedRegion): "IAM calls are always made to the us-east-1 Region",
/// so a policy that denies every region but us-west-2 denies IAM calls, whatever region the
/// client signed with.
#[test]
fn iam_calls_are_requested_in_us_east_1_whatever_the_signed_region() {
    let iam = iam();
    let root = root_ctx();
    let mut bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "p", "PolicyDocument": r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-west-2"}}}]}"#}),
    )
    .unwrap();
    bob.region = "us-west-2".into();
    let svc = iam.iam_service();
    let listed = accesses(&svc, &bob, "ListUsers", &json!({})).unwrap();
    assert!(listed[0].context.contains(&(
        "aws:RequestedRegion".into(),
        ContextValue::String("us-east-1".into())
    )));
    let denied = iam.authorize(&bob, &listed).expect_err("IAM is us-east-1");
    assert!(
        denied
            .message
            .contains("with an explicit deny in an identity-based policy"),
        "{}",
        denied.message
    );
    // Another partition's IAM endpoint is in its own region.
    bob.region = "cn-northwest-1".into();
    let listed = accesses(&svc, &bob, "ListUsers", &json!({})).unwrap();
    assert!(listed[0].context.contains(&(
        "aws:RequestedRegion".into(),
        ContextValue::String("cn-north-1".into())
    )));
}

/// The IAM User Guide's delegated administrator ("CreateOrChangeOnlyWithBoundary"): attaching,
/// putting, detaching and deleting a user's or role's policies is allowed where
/// `iam:PermissionsBoundary` is the entity's own boundary, which the request context carries.
#[test]
fn changing_a_bounded_entitys_policies_carries_its_boundary() {
    let iam = iam();
    let root = root_ctx();
    let boundary = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "bounded", "PermissionsBoundary": boundary}),
    )
    .unwrap();
    call(&iam, &root, "CreateUser", json!({"UserName": "free"})).unwrap();
    let delegate = user_ctx(&iam, "delegate");
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "delegate", "PolicyName": "p", "PolicyDocument": format!(r#"{{"Version":"2012-10-17","Statement":[
            {{"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow","Action":["iam:CreateUser","iam:DeleteUserPolicy","iam:AttachUserPolicy","iam:DetachUserPolicy","iam:PutUserPermissionsBoundary","iam:PutUserPolicy"],
              "Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}}}]}}"#)}),
    )
    .unwrap();
    let svc = iam.iam_service();
    let attach = |user: &str| json!({"UserName": user, "PolicyArn": "arn:aws:iam::aws:policy/IVSReadOnlyAccess"});
    let bounded = accesses(&svc, &delegate, "AttachUserPolicy", &attach("bounded")).unwrap();
    assert!(bounded[0].context.contains(&(
        "iam:PermissionsBoundary".into(),
        ContextValue::String(boundary.into())
    )));
    iam.authorize(&delegate, &bounded)
        .expect("the user has the boundary");
    let free = accesses(&svc, &delegate, "AttachUserPolicy", &attach("free")).unwrap();
    assert!(free[0]
        .context
        .iter()
        .all(|(k, _)| k != "iam:PermissionsBoundary"));
    iam.authorize(&delegate, &free)
        .expect_err("a user without the boundary");
    let put = json!({"UserName": "bounded", "PolicyName": "q", "PolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#});
    iam.authorize(
        &delegate,
        &accesses(&svc, &delegate, "PutUserPolicy", &put).unwrap(),
    )
    .expect("PutUserPolicy on the bounded user");
    // A role's own boundary, too (GetRole is among the reference's actions with the key).
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust, "PermissionsBoundary": boundary}),
    )
    .unwrap();
    let get = accesses(&svc, &root, "GetRole", &json!({"RoleName": "r"})).unwrap();
    assert!(get[0].context.contains(&(
        "iam:PermissionsBoundary".into(),
        ContextValue::String(boundary.into())
    )));
}

/// AWS's Bedrock guide denies API keys with `iam:ServiceSpecificCredentialServiceName` and
/// `iam:ServiceSpecificCredentialAgeDays` (CreateServiceSpecificCredential's keys in the
/// Service Authorization Reference); Delete/Reset/Update carry the stored credential's service.
#[test]
fn service_specific_credentials_carry_their_service_and_age() {
    let iam = iam();
    let root = root_ctx();
    let admin = user_ctx(&iam, "admin");
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "admin", "PolicyName": "p", "PolicyDocument": r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"iam:*","Resource":"*"},
            {"Effect":"Deny","Action":"iam:CreateServiceSpecificCredential","Resource":"*","Condition":{"StringEquals":{"iam:ServiceSpecificCredentialServiceName":"bedrock.amazonaws.com"},"NumericGreaterThanEquals":{"iam:ServiceSpecificCredentialAgeDays":"30"}}},
            {"Effect":"Deny","Action":"iam:DeleteServiceSpecificCredential","Resource":"*","Condition":{"StringEquals":{"iam:ServiceSpecificCredentialServiceName":"codecommit.amazonaws.com"}}}]}"#}),
    )
    .unwrap();
    let svc = iam.iam_service();
    let decide = |op: &str, input: Value| {
        let a = accesses(&svc, &admin, op, &input).unwrap();
        iam.authorize(&admin, &a).map(|_| a)
    };
    let create = |service: &str, days: u32| json!({"UserName": "admin", "ServiceName": service, "CredentialAgeDays": days});
    let a = decide(
        "CreateServiceSpecificCredential",
        create("bedrock.amazonaws.com", 7),
    )
    .expect("a short-lived key");
    assert!(a[0].context.contains(&(
        "iam:ServiceSpecificCredentialAgeDays".into(),
        ContextValue::Number(7.0)
    )));
    let denied = decide(
        "CreateServiceSpecificCredential",
        create("bedrock.amazonaws.com", 90),
    )
    .expect_err("a long-lived Bedrock key");
    assert!(
        denied.message.contains("explicit deny"),
        "{}",
        denied.message
    );
    let made = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "admin", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap();
    let id = made["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
        .as_str()
        .unwrap();
    let denied = decide(
        "DeleteServiceSpecificCredential",
        json!({"UserName": "admin", "ServiceSpecificCredentialId": id}),
    )
    .expect_err("the stored credential is CodeCommit's");
    assert!(
        denied.message.contains("explicit deny"),
        "{}",
        denied.message
    );
    let a = decide(
        "UpdateServiceSpecificCredential",
        json!({"UserName": "admin", "ServiceSpecificCredentialId": id, "Status": "Inactive"}),
    )
    .unwrap();
    assert!(a[0].context.contains(&(
        "iam:ServiceSpecificCredentialServiceName".into(),
        ContextValue::String("codecommit.amazonaws.com".into())
    )));
}
