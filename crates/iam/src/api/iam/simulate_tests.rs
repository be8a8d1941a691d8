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

/// Matched statements name their policy as AWS's answers do: `IAM Policy` for every
/// identity policy, a managed policy by its name, an inline one as `<kind>_<owner>_<name>`
/// (AWS: `"SourcePolicyId": "role_ecs-task-execution-role-ce-grp-4r_ecs_execution_secrets"`,
/// `"AmazonS3ReadOnlyAccess"`, `"PolicyInputList.1"`, each typed `"IAM Policy"`).
#[test]
fn matched_statements_name_their_policy_as_aws_does() {
    let iam = iam();
    let root = root_ctx();
    let doc = |action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        )
    };
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    for (op, input) in [
        (
            "CreateRole",
            json!({"RoleName": "task", "AssumeRolePolicyDocument": trust}),
        ),
        (
            "PutRolePolicy",
            json!({"RoleName": "task", "PolicyName": "secrets", "PolicyDocument": doc("ssm:GetParameters")}),
        ),
        (
            "CreatePolicy",
            json!({"PolicyName": "S3Read", "PolicyDocument": doc("s3:Get*")}),
        ),
        (
            "AttachRolePolicy",
            json!({"RoleName": "task", "PolicyArn": "arn:aws:iam::000000000000:policy/S3Read"}),
        ),
        (
            "AttachRolePolicy",
            json!({"RoleName": "task", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}),
        ),
        ("CreateUser", json!({"UserName": "bob"})),
        (
            "PutUserPolicy",
            json!({"UserName": "bob", "PolicyName": "own", "PolicyDocument": doc("ivs:*")}),
        ),
        ("CreateGroup", json!({"GroupName": "devs"})),
        (
            "PutGroupPolicy",
            json!({"GroupName": "devs", "PolicyName": "team", "PolicyDocument": doc("ivs:*")}),
        ),
        (
            "AddUserToGroup",
            json!({"GroupName": "devs", "UserName": "bob"}),
        ),
    ] {
        call(&iam, &root, op, input).unwrap();
    }
    let matched = |op: &str, input: Value| -> Vec<(String, String)> {
        let out = call(&iam, &root, op, input).unwrap();
        out["EvaluationResults"][0]["MatchedStatements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let text = |k: &str| m[k].as_str().unwrap_or("(none)").to_string();
                (text("SourcePolicyId"), text("SourcePolicyType"))
            })
            .collect()
    };
    let role = "arn:aws:iam::000000000000:role/task";
    let typed = |ids: &[&str]| -> Vec<(String, String)> {
        ids.iter()
            .map(|i| (i.to_string(), "IAM Policy".to_string()))
            .collect()
    };
    assert_eq!(
        matched(
            "SimulatePrincipalPolicy",
            json!({"PolicySourceArn": role, "ActionNames": ["ssm:GetParameters"]})
        ),
        typed(&["role_task_secrets"])
    );
    assert_eq!(
        matched(
            "SimulatePrincipalPolicy",
            json!({"PolicySourceArn": role, "ActionNames": ["s3:GetObject"]})
        ),
        typed(&["S3Read", "AmazonS3ReadOnlyAccess"])
    );
    assert_eq!(
        matched(
            "SimulatePrincipalPolicy",
            json!({"PolicySourceArn": "arn:aws:iam::000000000000:user/bob", "ActionNames": ["ivs:GetChannel"]})
        ),
        typed(&["user_bob_own", "group_devs_team"])
    );
    assert_eq!(
        matched(
            "SimulatePrincipalPolicy",
            json!({"PolicySourceArn": "arn:aws:iam::000000000000:group/devs", "ActionNames": ["ivs:GetChannel"]})
        ),
        typed(&["group_devs_team"])
    );
    assert_eq!(
        matched(
            "SimulateCustomPolicy",
            json!({"PolicyInputList": [doc("ivs:*")], "ActionNames": ["ivs:GetChannel"]})
        ),
        typed(&["PolicyInputList.1"])
    );
    // A stored boundary is named as the managed policy it is.
    call(
        &iam,
        &root,
        "PutRolePermissionsBoundary",
        json!({"RoleName": "task", "PermissionsBoundary": "arn:aws:iam::000000000000:policy/S3Read"}),
    )
    .unwrap();
    assert_eq!(
        matched(
            "SimulatePrincipalPolicy",
            json!({"PolicySourceArn": role, "ActionNames": ["s3:GetObject"]})
        ),
        typed(&["S3Read", "AmazonS3ReadOnlyAccess", "S3Read"])
    );
}

/// A resource that is not an ARN is refused as AWS refuses a KMS key ID there: InvalidInput
/// "ResourceNames are not in a valid ARN format: <id>."; `*` and ARNs are simulated.
#[test]
fn resource_names_must_be_arns() {
    let iam = iam();
    let root = root_ctx();
    let key = "14a050d4-021e-4efe-84bb-0871bf6d0fda";
    for op in ["SimulateCustomPolicy", "SimulatePrincipalPolicy"] {
        let input = json!({"PolicyInputList": [ALLOW_ALL], "ActionNames": ["kms:Decrypt"],
            "PolicySourceArn": "arn:aws:iam::000000000000:user/nobody",
            "ResourceArns": ["arn:aws:kms:us-east-1:000000000000:key/abc", key]});
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "InvalidInput",
                "ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda."
            ),
            "{op}"
        );
    }
    let out = call(&iam, &root, "SimulateCustomPolicy", json!({"PolicyInputList": [ALLOW_ALL],
        "ActionNames": ["kms:Decrypt"],
        "ResourceArns": ["*", "arn:aws:kms:us-east-1:000000000000:key/abc", "arn:aws:s3:::bucket/a:b"]}))
    .unwrap();
    assert_eq!(decision(&out), "allowed");
}

/// SimulateCustomPolicy's `OrderedOrganizationPolicyInputList` (the model: "The simulator
/// evaluates SCPs in the order that you provide, consistent with how Organizations enforces
/// SCPs"): every level must allow and none deny, whatever the identity policies grant, and
/// the answer says so in `OrganizationsDecisionDetail`.
#[test]
fn service_control_policies_given_to_the_simulator_limit_its_decisions() {
    let iam = iam();
    let doc = |effect: &str, action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Action":"{action}","Resource":"*"}}]}}"#
        )
    };
    let full = doc("Allow", "*");
    let levels = json!([
        {"ServiceControlPolicyInputList": [full]},
        {"ServiceControlPolicyInputList": [doc("Allow", "s3:*"), doc("Deny", "s3:DeleteObject")]},
        {"ServiceControlPolicyInputList": [doc("Allow", "s3:Get*"), doc("Allow", "s3:DeleteObject")]},
    ]);
    let out = call(
        &iam,
        &root_ctx(),
        "SimulateCustomPolicy",
        json!({
            "PolicyInputList": [ALLOW_ALL],
            "OrderedOrganizationPolicyInputList": levels,
            "ActionNames": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "ec2:RunInstances"],
        }),
    )
    .unwrap();
    let results = out["EvaluationResults"].as_array().unwrap();
    let summary: Vec<(&str, bool)> = results
        .iter()
        .map(|r| {
            (
                r["EvalDecision"].as_str().unwrap(),
                r["OrganizationsDecisionDetail"]["AllowedByOrganizations"]
                    .as_bool()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("allowed", true),
            ("implicitDeny", false),
            ("explicitDeny", false),
            ("implicitDeny", false)
        ]
    );
    assert_eq!(results[1]["MatchedStatements"], json!([]));
    let deny = &results[2]["MatchedStatements"];
    assert_eq!(deny.as_array().map(Vec::len), Some(1), "{deny}");
    assert_eq!(
        deny[0]["SourcePolicyId"],
        "OrderedOrganizationPolicyInputList.2.ServiceControlPolicyInputList.2"
    );
    // Without SCPs there is no organization to speak of.
    let out = call(
        &iam,
        &root_ctx(),
        "SimulateCustomPolicy",
        json!({
        "PolicyInputList": [ALLOW_ALL], "ActionNames": ["s3:GetObject"]}),
    )
    .unwrap();
    assert!(out["EvaluationResults"][0]
        .get("OrganizationsDecisionDetail")
        .is_none());
    // An SCP is checked as a policy document.
    let e = call(
        &iam,
        &root_ctx(),
        "SimulateCustomPolicy",
        json!({
        "PolicyInputList": [ALLOW_ALL], "ActionNames": ["s3:GetObject"],
        "OrderedOrganizationPolicyInputList": [{"ServiceControlPolicyInputList": ["{"]}]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocument");
}

/// Random identities and requests: the simulator, given the context keys the conditions use
/// as the live path sees them, decides as the live path does (allowed, implicit deny, explicit deny), through inline,
/// group, managed and boundary policies, resource policies (same account and another),
/// wildcards, `Not*` elements, policy variables and conditions.
mod agreement {
    use crate::api::test_support::{call, iam, root_ctx, user_ctx, ACCOUNT};
    use proptest::prelude::*;
    use serde_json::{json, Value};
    use service::{Access, ContextValue};

    const ACTIONS: &[&str] = &[
        "ivs:GetChannel",
        "ivs:DeleteChannel",
        "ivs:ListChannels",
        "mediaconvert:CreateJob",
    ];
    const PATTERNS: &[&str] = &[
        "*",
        "ivs:*",
        "ivs:Get*",
        "ivs:GetChannel",
        "ivs:DeleteChannel",
        "mediaconvert:*",
        "IVS:getchannel",
    ];
    const RESOURCES: &[&str] = &[
        "arn:aws:ivs:us-east-1:000000000000:channel/abc",
        "arn:aws:ivs:us-east-1:000000000000:channel/alice",
        "arn:aws:mediaconvert:us-east-1:000000000000:queues/Default",
        "arn:aws:ivs:us-east-1:111111111111:channel/abc",
    ];
    const RESOURCE_PATTERNS: &[&str] = &[
        "*",
        "arn:aws:ivs:us-east-1:000000000000:channel/*",
        "arn:aws:ivs:*:*:channel/abc",
        "arn:aws:ivs:us-east-1:000000000000:channel/${aws:username}",
        "arn:aws:mediaconvert:*:*:queues/*",
        "arn:aws:ivs:us-west-2:000000000000:channel/*",
        "arn:aws:ivs:us-east-1:111111111111:channel/*",
    ];
    /// Who a resource policy's statement names.
    const PRINCIPALS: &[&str] = &[
        r#""*""#,
        r#"{"AWS":"arn:aws:iam::000000000000:user/alice"}"#,
        r#"{"AWS":"arn:aws:iam::000000000000:root"}"#,
        r#"{"AWS":"000000000000"}"#,
        r#"{"AWS":"arn:aws:iam::000000000000:user/bob"}"#,
        r#"{"AWS":"arn:aws:iam::111111111111:root"}"#,
    ];
    const CONDITIONS: &[&str] = &[
        r#"{"StringEquals":{"aws:ResourceTag/team":"red"}}"#,
        r#"{"StringNotEquals":{"aws:ResourceTag/team":"red"}}"#,
        r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        r#"{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
        r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
        r#"{"StringLike":{"aws:username":"al*"}}"#,
        r#"{"Null":{"aws:ResourceTag/team":"true"}}"#,
        r#"{"StringEqualsIfExists":{"aws:ResourceTag/team":"blue"}}"#,
    ];

    /// One statement: effect, (Not)Action, (Not)Resource, an optional condition.
    fn statement() -> impl Strategy<Value = Value> {
        (
            any::<bool>(),
            any::<bool>(),
            prop::sample::subsequence(PATTERNS, 1..3),
            any::<bool>(),
            prop::sample::subsequence(RESOURCE_PATTERNS, 1..3),
            prop::option::weighted(0.4, prop::sample::select(CONDITIONS)),
        )
            .prop_map(
                |(allow, not_action, actions, not_resource, resources, cond)| {
                    let mut s = json!({"Effect": if allow { "Allow" } else { "Deny" }});
                    s[if not_action { "NotAction" } else { "Action" }] = json!(actions);
                    s[if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }] = json!(resources);
                    if let Some(c) = cond {
                        s["Condition"] = serde_json::from_str(c).unwrap();
                    }
                    s
                },
            )
    }

    /// A resource policy's statement: an identity statement with a `Principal`.
    fn resource_statement() -> impl Strategy<Value = Value> {
        (statement(), prop::sample::select(PRINCIPALS)).prop_map(|(mut s, p)| {
            s["Principal"] = serde_json::from_str(p).unwrap();
            s
        })
    }

    fn resource_policy() -> impl Strategy<Value = String> {
        prop::collection::vec(resource_statement(), 1..3)
            .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}).to_string())
    }

    fn document() -> impl Strategy<Value = String> {
        prop::collection::vec(statement(), 1..4)
            .prop_map(|st| json!({"Version": "2012-10-17", "Statement": st}).to_string())
    }

    /// Where policies come from: inline, a group's, a customer managed one, a boundary.
    #[derive(Debug, Clone)]
    struct Identity {
        inline: Vec<String>,
        group: Option<String>,
        managed: Option<String>,
        boundary: Option<String>,
    }

    fn identity() -> impl Strategy<Value = Identity> {
        (
            prop::collection::vec(document(), 0..3),
            prop::option::of(document()),
            prop::option::of(document()),
            prop::option::weighted(0.3, document()),
        )
            .prop_map(|(inline, group, managed, boundary)| Identity {
                inline,
                group,
                managed,
                boundary,
            })
    }

    #[derive(Debug, Clone)]
    struct Asked {
        action: &'static str,
        resource: &'static str,
        team: Option<&'static str>,
        ip: &'static str,
        secure: bool,
        resource_policy: Option<String>,
    }

    fn asked() -> impl Strategy<Value = Asked> {
        (
            prop::sample::select(ACTIONS),
            prop::sample::select(RESOURCES),
            prop::option::of(prop::sample::select(&["red", "blue"][..])),
            prop::sample::select(&["10.1.2.3", "192.168.0.1"][..]),
            any::<bool>(),
            prop::option::weighted(0.4, resource_policy()),
        )
            .prop_map(
                |(action, resource, team, ip, secure, resource_policy)| Asked {
                    action,
                    resource,
                    team,
                    ip,
                    secure,
                    resource_policy,
                },
            )
    }

    /// Sets up `alice` with `who`'s policies; `(live, simulated)` decisions for `asked`.
    fn both(who: &Identity, asked: &Asked) -> (String, String) {
        let iam = iam();
        let root = root_ctx();
        let mut ctx = user_ctx(&iam, "alice");
        let put = |op: &str, input: Value| call(&iam, &root, op, input).unwrap();
        for (i, d) in who.inline.iter().enumerate() {
            put(
                "PutUserPolicy",
                json!({"UserName": "alice", "PolicyName": format!("p{i}"), "PolicyDocument": d}),
            );
        }
        if let Some(d) = &who.group {
            put("CreateGroup", json!({"GroupName": "g"}));
            put(
                "PutGroupPolicy",
                json!({"GroupName": "g", "PolicyName": "gp", "PolicyDocument": d}),
            );
            put(
                "AddUserToGroup",
                json!({"GroupName": "g", "UserName": "alice"}),
            );
        }
        let managed = |name: &str, d: &str| {
            put(
                "CreatePolicy",
                json!({"PolicyName": name, "PolicyDocument": d}),
            );
            format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
        };
        if let Some(d) = &who.managed {
            let arn = managed("m", d);
            put(
                "AttachUserPolicy",
                json!({"UserName": "alice", "PolicyArn": arn}),
            );
        }
        if let Some(d) = &who.boundary {
            let arn = managed("b", d);
            put(
                "PutUserPermissionsBoundary",
                json!({"UserName": "alice", "PermissionsBoundary": arn}),
            );
        }
        ctx.source_ip = Some(asked.ip.parse().unwrap());
        ctx.secure_transport = asked.secure;
        let mut access = Access::new(asked.action, asked.resource);
        access.resource_policy = asked
            .resource_policy
            .as_deref()
            .map(service::ResourcePolicy::new);
        if let Some(t) = asked.team {
            access.context.push((
                "aws:ResourceTag/team".into(),
                ContextValue::String(t.into()),
            ));
        }
        let live = match iam.authorize(&ctx, &[access]) {
            Ok(()) => "allowed",
            Err(d) if d.message.contains("with an explicit deny") => "explicitDeny",
            Err(_) => "implicitDeny",
        };
        // The simulator is given what the live path knows of the request.
        let mut entries = vec![
            json!({"ContextKeyName": "aws:SourceIp", "ContextKeyType": "ip",
                "ContextKeyValues": [asked.ip]}),
            json!({"ContextKeyName": "aws:SecureTransport", "ContextKeyType": "boolean",
                "ContextKeyValues": [asked.secure.to_string()]}),
            json!({"ContextKeyName": "aws:username", "ContextKeyType": "string",
                "ContextKeyValues": ["alice"]}),
        ];
        if let Some(t) = asked.team {
            entries.push(json!({"ContextKeyName": "aws:ResourceTag/team",
                "ContextKeyType": "string", "ContextKeyValues": [t]}));
        }
        let mut input = json!({"PolicySourceArn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
            "ActionNames": [asked.action], "ResourceArns": [asked.resource],
            "ContextEntries": entries});
        if let Some(p) = &asked.resource_policy {
            input["ResourcePolicy"] = json!(p);
        }
        let out = call(&iam, &root, "SimulatePrincipalPolicy", input).unwrap();
        let simulated = out["EvaluationResults"][0]["EvalDecision"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        (live.to_string(), simulated)
    }

    proptest! {
        #[test]
        fn fuzz_the_simulator_decides_as_the_live_path(who in identity(), asked in asked()) {
            let (live, simulated) = both(&who, &asked);
            prop_assert_eq!(live, simulated, "{:#?} {:#?}", who, asked);
        }
    }

    #[test]
    fn resource_policies_are_seen_alike() {
        let grant = |principal: &str, resource: &str| {
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": serde_json::from_str::<Value>(principal).unwrap(),
                "Action": "ivs:GetChannel", "Resource": resource}]})
            .to_string()
        };
        let allow_ivs = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
        let with = |inline: Vec<String>| Identity {
            inline,
            group: None,
            managed: None,
            boundary: None,
        };
        let ask = |resource: &'static str, policy: Option<String>| Asked {
            action: "ivs:GetChannel",
            resource,
            team: None,
            ip: "10.1.2.3",
            secure: true,
            resource_policy: policy,
        };
        let own = RESOURCES[0];
        let theirs = RESOURCES[3];
        let alice = r#"{"AWS":"arn:aws:iam::000000000000:user/alice"}"#;
        let account = r#"{"AWS":"arn:aws:iam::000000000000:root"}"#;
        let cases = [
            // In the same account, a policy naming the user grants by itself…
            (with(vec![]), ask(own, Some(grant(alice, own))), "allowed"),
            // …one naming the account only delegates to the identity's own policies.
            (
                with(vec![]),
                ask(own, Some(grant(account, own))),
                "implicitDeny",
            ),
            // Across accounts both sides must allow.
            (
                with(vec![]),
                ask(theirs, Some(grant(alice, theirs))),
                "implicitDeny",
            ),
            (
                with(vec![allow_ivs.into()]),
                ask(theirs, None),
                "implicitDeny",
            ),
            (
                with(vec![allow_ivs.into()]),
                ask(theirs, Some(grant(account, theirs))),
                "allowed",
            ),
        ];
        for (who, asked, expected) in cases {
            let (live, simulated) = both(&who, &asked);
            assert_eq!(
                (live.as_str(), simulated.as_str()),
                (expected, expected),
                "{asked:?}"
            );
        }
    }

    #[test]
    fn a_boundary_and_a_group_deny_are_seen_alike() {
        let allow_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let only_ivs = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
        let deny_red = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"red"}}}]}"#;
        let who = Identity {
            inline: vec![allow_all.into()],
            group: Some(deny_red.into()),
            managed: None,
            boundary: Some(only_ivs.into()),
        };
        let ask = |action, team| Asked {
            action,
            resource: RESOURCES[0],
            team,
            ip: "10.1.2.3",
            secure: true,
            resource_policy: None,
        };
        let cases = [
            (ask("ivs:GetChannel", None), "allowed"),
            (ask("ivs:GetChannel", Some("red")), "explicitDeny"),
            (ask("mediaconvert:CreateJob", None), "implicitDeny"),
        ];
        for (asked, expected) in cases {
            let (live, simulated) = both(&who, &asked);
            assert_eq!(
                (live.as_str(), simulated.as_str()),
                (expected, expected),
                "{asked:?}"
            );
        }
    }
}

/// Found by the malformed-input probe: every action by every resource was evaluated and kept
/// before the page was cut (1,000 actions by 300 resources took 700 MB for one result). Only
/// the page asked for is evaluated, and markers walk the rest.
#[test]
fn only_the_page_asked_for_is_evaluated() {
    let iam = iam();
    let actions: Vec<String> = (0..2_000).map(|i| format!("ivs:Action{i}")).collect();
    let ask = |marker: Option<&Value>| {
        let mut input = json!({"PolicyInputList": [ALLOW_ALL], "ActionNames": actions,
            "ResourceArns": ["arn:aws:ivs:us-east-1:000000000000:channel/a", "arn:aws:ivs:us-east-1:000000000000:channel/b"],
            "MaxItems": 1});
        if let Some(m) = marker {
            input["Marker"] = m.clone();
        }
        call(&iam, &root_ctx(), "SimulateCustomPolicy", input).unwrap()
    };
    let first = ask(None);
    let results = first["EvaluationResults"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["EvalActionName"], "ivs:Action0");
    assert_eq!(
        results[0]["ResourceSpecificResults"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(first["IsTruncated"], true);
    let second = ask(Some(&first["Marker"]));
    assert_eq!(
        second["EvaluationResults"][0]["EvalActionName"],
        "ivs:Action1"
    );
}
