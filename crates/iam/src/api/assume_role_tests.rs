//! AssumeRole decided by the authorize stage with AWS's rules for trust policies: explicit
//! denies, boundaries, session policies, cross-account delegation and root.

use crate::api::test_support::{admin_ctx, call, iam, root_ctx, session_ctx, sts, user_ctx};
use crate::store::AccountRec;
use crate::Iam;
use serde_json::{json, Value};
use service::{Access, Principal, RequestContext};
use std::sync::Arc;

const ROLE: &str = "arn:aws:iam::000000000000:role/target";
const ALLOW_ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;
const DENY_ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}"#;
const ALLOW_IVS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;

fn trust_naming(principals: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": principals}, "Action": "sts:AssumeRole"}]})
    .to_string()
}

fn role(iam: &Arc<Iam>, name: &str, trust: &str) {
    call(
        iam,
        &root_ctx(),
        "CreateRole",
        json!({"RoleName": name, "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
}

fn put_user_policy(iam: &Arc<Iam>, user: &str, doc: &str) {
    call(
        iam,
        &root_ctx(),
        "PutUserPolicy",
        json!({"UserName": user, "PolicyName": "p", "PolicyDocument": doc}),
    )
    .unwrap();
}

fn assume(iam: &Arc<Iam>, ctx: &RequestContext, arn: &str, extra: Value) -> Result<Value, String> {
    let mut input = json!({"RoleArn": arn, "RoleSessionName": "s1"});
    if let (Some(m), Some(e)) = (input.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    sts(iam, ctx, "AssumeRole", input).map_err(|e| format!("{}: {}", e.code, e.message))
}

fn denied(ctx: &RequestContext, arn: &str) -> String {
    format!(
        "AccessDenied: User: {} is not authorized to perform: sts:AssumeRole on resource: {arn}",
        ctx.principal.arn
    )
}

#[test]
fn an_explicit_deny_of_the_caller_wins_over_a_trust_policy_naming_it() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    role(&iam, "target", &trust_naming(json!(bob.principal.arn)));
    // Named by ARN: the trust policy alone grants (no identity policy needed).
    assume(&iam, &bob, ROLE, json!({})).unwrap();
    put_user_policy(&iam, "bob", DENY_ASSUME);
    assert_eq!(assume(&iam, &bob, ROLE, json!({})), Err(denied(&bob, ROLE)));
}

#[test]
fn a_grant_to_the_user_arn_is_not_limited_by_its_boundary() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root_ctx(),
        "PutUserPermissionsBoundary",
        json!({"UserName": "bob",
        "PermissionsBoundary": "arn:aws:iam::aws:policy/IVSReadOnlyAccess"}),
    )
    .unwrap();
    role(&iam, "target", &trust_naming(json!(bob.principal.arn)));
    assume(&iam, &bob, ROLE, json!({})).unwrap();
    // Trusting only the account, the identity side must allow, and the boundary limits it.
    role(&iam, "delegated", &trust_naming(json!("000000000000")));
    put_user_policy(&iam, "bob", ALLOW_ASSUME);
    let delegated = "arn:aws:iam::000000000000:role/delegated";
    assert_eq!(
        assume(&iam, &bob, delegated, json!({})),
        Err(denied(&bob, delegated))
    );
}

#[test]
fn a_grant_to_the_role_arn_is_limited_by_session_policies_but_one_to_the_session_is_not() {
    let iam = iam();
    let admin = admin_ctx(&iam, "admin");
    role(&iam, "hop", &trust_naming(json!("000000000000")));
    call(
        &iam,
        &root_ctx(),
        "PutRolePolicy",
        json!({"RoleName": "hop", "PolicyName": "p",
        "PolicyDocument": ALLOW_ASSUME}),
    )
    .unwrap();
    let hop_arn = "arn:aws:iam::000000000000:role/hop";
    // The hop session may only use IVS: its session policy does not allow sts:AssumeRole.
    let out = assume(&iam, &admin, hop_arn, json!({"Policy": ALLOW_IVS})).unwrap();
    let hop = session_ctx(&iam, &out);
    role(&iam, "target", &trust_naming(json!(hop_arn)));
    assert_eq!(assume(&iam, &hop, ROLE, json!({})), Err(denied(&hop, ROLE)));
    // Naming the session itself grants on its own.
    role(&iam, "bysession", &trust_naming(json!(hop.principal.arn)));
    let by_session = "arn:aws:iam::000000000000:role/bysession";
    assume(&iam, &hop, by_session, json!({})).unwrap();
    // Without session policies, the role's identity policy allows and the grant holds.
    let out = assume(&iam, &admin, hop_arn, json!({})).unwrap();
    let free = session_ctx(&iam, &out);
    assume(&iam, &free, ROLE, json!({})).unwrap();
    // Chained, an hour at most, whatever the role's maximum (AWS's words).
    call(
        &iam,
        &root_ctx(),
        "UpdateRole",
        json!({"RoleName": "target", "MaxSessionDuration": 43200}),
    )
    .unwrap();
    assert_eq!(
        assume(&iam, &free, ROLE, json!({"DurationSeconds": 3601})),
        Err("ValidationError: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.".to_string())
    );
    assume(&iam, &free, ROLE, json!({"DurationSeconds": 3600})).unwrap();
    // The role's boundary limits a grant to the role ARN too.
    call(
        &iam,
        &root_ctx(),
        "PutRolePermissionsBoundary",
        json!({"RoleName": "hop",
        "PermissionsBoundary": "arn:aws:iam::aws:policy/IVSReadOnlyAccess"}),
    )
    .unwrap();
    assert_eq!(
        assume(&iam, &free, ROLE, json!({})),
        Err(denied(&free, ROLE))
    );
}

#[test]
fn a_session_policy_that_no_longer_resolves_allows_nothing() {
    let iam = iam();
    let admin = admin_ctx(&iam, "admin");
    role(&iam, "target", &trust_naming(json!("000000000000")));
    call(
        &iam,
        &root_ctx(),
        "AttachRolePolicy",
        json!({"RoleName": "target",
        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    )
    .unwrap();
    let out = call(
        &iam,
        &root_ctx(),
        "CreatePolicy",
        json!({"PolicyName": "ivs-only",
        "PolicyDocument": ALLOW_IVS}),
    )
    .unwrap();
    let arn = out["Policy"]["Arn"].as_str().unwrap().to_string();
    let out = assume(&iam, &admin, ROLE, json!({"PolicyArns": [{"arn": arn}]})).unwrap();
    let session = session_ctx(&iam, &out);
    let ivs = [Access::new("ivs:ListChannels", "*")];
    iam.authorize(&session, &ivs).unwrap();
    assert!(iam
        .authorize(&session, &[Access::new("iam:ListUsers", "*")])
        .is_err());
    call(&iam, &root_ctx(), "DeletePolicy", json!({"PolicyArn": arn})).unwrap();
    assert!(iam.authorize(&session, &ivs).is_err());
    assert!(iam
        .authorize(&session, &[Access::new("iam:ListUsers", "*")])
        .is_err());
}

/// Account 111111111111 with user `alice`, and a context signed by her key.
fn other_account_user(iam: &Arc<Iam>) -> RequestContext {
    iam.state.write().insert_account(AccountRec::new(
        "111111111111",
        "AKIAOTHERROOT0000001",
        "secret",
        1.0,
    ));
    let root = RequestContext::new(
        "r",
        Arc::new(Principal::root("111111111111", "AKIAOTHERROOT0000001")),
        "us-east-1",
    );
    call(iam, &root, "CreateUser", json!({"UserName": "alice"})).unwrap();
    let k = call(iam, &root, "CreateAccessKey", json!({"UserName": "alice"})).unwrap();
    let id = k["AccessKey"]["AccessKeyId"].as_str().unwrap();
    RequestContext::new("r", iam.lookup_key(id).unwrap().principal, "us-east-1")
}

#[test]
fn cross_account_needs_the_trust_policy_and_the_callers_identity_policy() {
    let iam = iam();
    let alice = other_account_user(&iam);
    role(
        &iam,
        "target",
        &trust_naming(json!("arn:aws:iam::111111111111:root")),
    );
    // The trust policy alone is not enough across accounts.
    assert_eq!(
        assume(&iam, &alice, ROLE, json!({})),
        Err(denied(&alice, ROLE))
    );
    let other_root = RequestContext::new(
        "r",
        Arc::new(Principal::root("111111111111", "AKIAOTHERROOT0000001")),
        "us-east-1",
    );
    call(
        &iam,
        &other_root,
        "PutUserPolicy",
        json!({"UserName": "alice", "PolicyName": "p",
        "PolicyDocument": ALLOW_ASSUME}),
    )
    .unwrap();
    let out = assume(&iam, &alice, ROLE, json!({})).unwrap();
    assert_eq!(
        out["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::000000000000:assumed-role/target/s1"
    );
    // A trust policy that does not name the account refuses, whatever alice may do.
    role(&iam, "local", &trust_naming(json!("000000000000")));
    let local = "arn:aws:iam::000000000000:role/local";
    assert_eq!(
        assume(&iam, &alice, local, json!({})),
        Err(denied(&alice, local))
    );
    // Roots of any account are refused.
    assert_eq!(
        assume(&iam, &other_root, ROLE, json!({})),
        Err("AccessDenied: Roles may not be assumed by root accounts.".to_string())
    );
}

#[test]
fn trust_decisions_reach_the_decision_log() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    role(&iam, "target", &trust_naming(json!("000000000000")));
    assume(&iam, &bob, ROLE, json!({})).unwrap_err();
    let log = iam.decisions("000000000000");
    let text = log.to_string();
    assert!(
        text.contains("sts:AssumeRole") && text.contains(ROLE),
        "{text}"
    );
}

#[test]
fn an_administrator_the_trust_policy_does_not_name_cannot_assume_the_role() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    let admin = admin_ctx(&iam, "admin");
    role(&iam, "target", &trust_naming(json!(bob.principal.arn)));
    assert_eq!(
        assume(&iam, &admin, ROLE, json!({})),
        Err(denied(&admin, ROLE))
    );
    assume(&iam, &bob, ROLE, json!({})).unwrap();
}

#[test]
fn anonymous_requests_are_allowed_only_by_a_public_resource_policy() {
    let iam = iam();
    let anonymous_ctx = || RequestContext::new("r", Principal::anonymous(), "us-east-1");
    let anonymous = anonymous_ctx();
    let channel = "arn:aws:mediapackagev2:us-east-1:000000000000:channelGroup/g/channel/c";
    let get = || Access::new("mediapackagev2:GetObject", channel);
    assert!(iam.authorize(&anonymous, &[get()]).is_err());
    let with = |policy: Value| {
        get().with_resource_policy(service::ResourcePolicy::new(policy.to_string()))
    };
    for principal in [json!("*"), json!({"AWS": "*"})] {
        let public = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": principal, "Action": "mediapackagev2:GetObject", "Resource": "*"}]});
        iam.authorize(&anonymous, &[with(public)]).unwrap();
    }
    // Naming an account (or any identity) does not let the anonymous principal in.
    let named = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "000000000000"}, "Action": "mediapackagev2:GetObject", "Resource": "*"}]});
    assert!(iam.authorize(&anonymous, &[with(named)]).is_err());
    // Conditions apply: a source-IP condition the request does not meet refuses.
    let by_ip = |cidr: &str| {
        with(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "mediapackagev2:GetObject", "Resource": "*",
            "Condition": {"IpAddress": {"aws:SourceIp": cidr}}}]}),
        )
    };
    let mut from = anonymous_ctx();
    from.source_ip = Some("203.0.113.7".parse().unwrap());
    iam.authorize(&from, &[by_ip("203.0.113.0/24")]).unwrap();
    assert!(iam.authorize(&from, &[by_ip("198.51.100.0/24")]).is_err());
    let insecure = with(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
        "Principal": "*", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, {"Effect": "Allow",
        "Principal": "*", "Action": "mediapackagev2:GetObject", "Resource": "*"}]}),
    );
    assert!(iam.authorize(&from, &[insecure]).is_err());
}

#[test]
fn a_trust_policy_names_the_user_that_existed_not_one_created_later_by_that_name() {
    let iam = iam();
    let e = call(
        &iam,
        &root_ctx(),
        "CreateRole",
        json!({"RoleName": "target",
        "AssumeRolePolicyDocument": trust_naming(json!("arn:aws:iam::000000000000:user/bob"))}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MalformedPolicyDocument",
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::000000000000:user/bob\""
        )
    );
    let bob = user_ctx(&iam, "bob");
    role(&iam, "target", &trust_naming(json!(bob.principal.arn)));
    assume(&iam, &bob, ROLE, json!({})).unwrap();
    // While bob exists the policy reads as it was written.
    let out = call(&iam, &root_ctx(), "GetRole", json!({"RoleName": "target"})).unwrap();
    assert_eq!(
        out["Role"]["AssumeRolePolicyDocument"],
        crate::doc::url_encode(&trust_naming(json!(bob.principal.arn)))
    );
    // Bob leaves; a new user takes the name. The policy still names the old bob.
    let root = root_ctx();
    let key = bob.principal.access_key_id.clone();
    call(
        &iam,
        &root,
        "DeleteAccessKey",
        json!({"UserName": "bob", "AccessKeyId": key}),
    )
    .unwrap();
    call(&iam, &root, "DeleteUser", json!({"UserName": "bob"})).unwrap();
    // IAM shows the old bob's unique ID where the policy named him.
    let shown = |iam: &Arc<Iam>| {
        let out = call(iam, &root_ctx(), "GetRole", json!({"RoleName": "target"})).unwrap();
        out["Role"]["AssumeRolePolicyDocument"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let old_id = bob.principal.user_id.clone();
    assert!(shown(&iam).contains(&old_id), "{}", shown(&iam));
    let new_bob = user_ctx(&iam, "bob");
    assert_eq!(new_bob.principal.arn, bob.principal.arn);
    assert!(shown(&iam).contains(&old_id));
    assert_eq!(
        assume(&iam, &new_bob, ROLE, json!({})),
        Err(denied(&new_bob, ROLE))
    );
    // Survives a journal round trip: the binding is stored with the role.
    let fresh = crate::api::test_support::iam();
    for r in &iam.records() {
        fresh.restore(r).unwrap();
    }
    assert_eq!(
        assume(&fresh, &new_bob, ROLE, json!({})),
        Err(denied(&new_bob, ROLE))
    );
    // Storing the policy again binds it to the bob who exists now.
    call(
        &iam,
        &root,
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "target",
        "PolicyDocument": trust_naming(json!(new_bob.principal.arn))}),
    )
    .unwrap();
    assume(&iam, &new_bob, ROLE, json!({})).unwrap();
}

#[test]
fn audit_mode_lets_a_refused_assume_role_through_and_logs_it_as_audited() {
    let iam = Iam::new(Arc::new(service::Runtime::for_tests()), crate::Mode::Audit);
    let bob = user_ctx(&iam, "bob");
    role(
        &iam,
        "target",
        &trust_naming(json!("arn:aws:iam::000000000000:root")),
    );
    // No identity policy allows it: enforced, this is refused; audited, it goes through.
    assume(&iam, &bob, ROLE, json!({})).unwrap();
    let log = iam.decisions("000000000000");
    let entry = log
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            log.get("decisions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .find(|d| d["action"] == "sts:AssumeRole")
        .cloned()
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(entry["audited"], true, "{entry}");
    assert_eq!(entry["resource"], ROLE);
    // Root is refused even in audit mode: that is no policy decision.
    assert_eq!(
        assume(&iam, &root_ctx(), ROLE, json!({})),
        Err("AccessDenied: Roles may not be assumed by root accounts.".to_string())
    );
}

const ALLOW_STS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetFederationToken"],"Resource":"*"}]}"#;

/// Security finding (round 20's cross-account sweep): another account's user attached,
/// bounded itself with and passed to sessions account 000000000000's customer managed
/// policy, which then governed it (and told it what the policy's conditions read). AWS: "The
/// policies must exist in the same account as the role"; an IAM identity's managed policies
/// are its own account's or AWS's.
#[test]
fn another_accounts_customer_managed_policy_is_not_attachable() {
    let iam = iam();
    let alice = other_account_user(&iam);
    let other_root = RequestContext::new(
        "r",
        Arc::new(Principal::root("111111111111", "AKIAOTHERROOT0000001")),
        "us-east-1",
    );
    let created = call(
        &iam,
        &root_ctx(),
        "CreatePolicy",
        json!({"PolicyName": "ivs", "PolicyDocument": ALLOW_IVS}),
    )
    .unwrap();
    let theirs = created["Policy"]["Arn"].as_str().unwrap().to_string();
    let refusal = format!("Policy {theirs} does not exist or is not attachable.");
    let ivs = [Access::new("ivs:ListChannels", "*")];
    for (op, input) in [
        (
            "AttachUserPolicy",
            json!({"UserName": "alice", "PolicyArn": theirs}),
        ),
        (
            "PutUserPermissionsBoundary",
            json!({"UserName": "alice", "PermissionsBoundary": theirs}),
        ),
        (
            "CreateUser",
            json!({"UserName": "bounded", "PermissionsBoundary": theirs}),
        ),
    ] {
        let e = call(&iam, &other_root, op, input).unwrap_err();
        // A boundary is IAM's "scope" policy, refused in its own words.
        let expected = if op == "AttachUserPolicy" {
            refusal.clone()
        } else {
            format!("Scope ARN: {theirs} does not exist or is not attachable.")
        };
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("NoSuchEntity", expected.as_str()),
            "{op}"
        );
    }
    assert!(
        iam.authorize(&alice, &ivs).is_err(),
        "nothing granted alice"
    );
    // Nor passed to a session of the other account's own role.
    call(
        &iam,
        &other_root,
        "PutUserPolicy",
        json!({"UserName": "alice", "PolicyName": "p", "PolicyDocument": ALLOW_STS}),
    )
    .unwrap();
    call(
        &iam,
        &other_root,
        "CreateRole",
        json!({"RoleName": "own", "AssumeRolePolicyDocument": trust_naming(json!("111111111111"))}),
    )
    .unwrap();
    let own = "arn:aws:iam::111111111111:role/own";
    let e = assume(&iam, &alice, own, json!({"PolicyArns": [{"arn": theirs}]})).unwrap_err();
    assert_eq!(e, format!("MalformedPolicyDocument: {refusal}"));
    let e = sts(
        &iam,
        &alice,
        "GetFederationToken",
        json!({"Name": "fed", "PolicyArns": [{"arn": theirs}]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocument");
    // One kept by an older data dir governs nothing, and as a boundary allows nothing.
    {
        let mut state = iam.state.write();
        let account = state.accounts.get_mut("111111111111").unwrap();
        let user = account.users.get_mut("alice").unwrap();
        user.attached.push(theirs.clone());
    }
    assert!(
        iam.authorize(&alice, &ivs).is_err(),
        "a foreign policy grants nothing"
    );
    call(
        &iam,
        &other_root,
        "PutUserPolicy",
        json!({"UserName": "alice", "PolicyName": "ivs", "PolicyDocument": ALLOW_IVS}),
    )
    .unwrap();
    iam.authorize(&alice, &ivs).expect("its own policy allows");
    {
        let mut state = iam.state.write();
        let account = state.accounts.get_mut("111111111111").unwrap();
        account.users.get_mut("alice").unwrap().boundary = Some(theirs.clone());
    }
    let e = iam.authorize(&alice, &ivs).unwrap_err();
    assert!(
        e.message.contains("because no permissions boundary allows"),
        "{}",
        e.message
    );
}

/// A role `tagged` that trusts the account for `sts:AssumeRole` and `sts:TagSession` and lets
/// its sessions assume it again (role chaining); its ARN.
fn taggable_role(iam: &Arc<Iam>) -> &'static str {
    let both = r#"["sts:AssumeRole","sts:TagSession"]"#;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::000000000000:root"}},"Action":{both}}}]}}"#
    );
    role(iam, "tagged", &trust);
    call(
        iam,
        &root_ctx(),
        "PutRolePolicy",
        json!({"RoleName": "tagged", "PolicyName": "chain", "PolicyDocument": format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{both},"Resource":"*"}}]}}"#
        )}),
    )
    .unwrap();
    "arn:aws:iam::000000000000:role/tagged"
}

/// The session tags of the session an STS answer issued.
fn session_tags_of(iam: &Iam, out: &Value) -> Vec<(String, String)> {
    session_ctx(iam, out)
        .principal
        .session
        .as_ref()
        .unwrap()
        .tags
        .clone()
}

#[test]
fn a_chained_session_may_not_set_an_inherited_transitive_tag_again_in_any_case() {
    let iam = iam();
    let arn = taggable_role(&iam);
    let admin = admin_ctx(&iam, "admin");
    let first = assume(
        &iam,
        &admin,
        arn,
        json!({"Tags": [{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}],
               "TransitiveTagKeys": ["team"]}),
    )
    .unwrap();
    let hop = session_ctx(&iam, &first);
    let conflict = "InvalidParameterValue: One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.";
    for key in ["team", "TEAM", "Team"] {
        assert_eq!(
            assume(
                &iam,
                &hop,
                arn,
                json!({"Tags": [{"Key": key, "Value": "b"}]})
            ),
            Err(conflict.to_string()),
            "{key}"
        );
    }
    // A key the caller's session did not make transitive is not inherited, so may be set; a
    // new key may be added; the inherited tag keeps its value.
    let second = assume(
        &iam,
        &hop,
        arn,
        json!({"Tags": [{"Key": "env", "Value": "prod"}, {"Key": "who", "Value": "x"}]}),
    )
    .unwrap();
    let mut tags = session_tags_of(&iam, &second);
    tags.sort();
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        tags,
        [pair("env", "prod"), pair("team", "a"), pair("who", "x")]
    );
    // And the next hop still inherits it, and still may not set it.
    let next = session_ctx(&iam, &second);
    assert_eq!(
        assume(
            &iam,
            &next,
            arn,
            json!({"Tags": [{"Key": "team", "Value": "c"}]})
        ),
        Err(conflict.to_string())
    );
    let third = assume(&iam, &next, arn, json!({})).unwrap();
    assert_eq!(session_tags_of(&iam, &third), [pair("team", "a")]);
}

#[test]
fn session_tags_differing_only_by_case_or_with_the_aws_prefix_are_refused() {
    let iam = iam();
    let arn = taggable_role(&iam);
    let admin = admin_ctx(&iam, "admin");
    let duplicate = "InvalidParameterValue: Duplicate tag keys found. Please note that Tag keys are case insensitive.";
    let reserved_key =
        "InvalidParameterValue: Tag keys starting with 'aws:' are reserved for internal use.";
    let reserved_value =
        "InvalidParameterValue: Tag values starting with 'aws:' are reserved for internal use.";
    for (tags, refusal) in [
        (
            json!([{"Key": "Dept", "Value": "a"}, {"Key": "dept", "Value": "b"}]),
            duplicate,
        ),
        (
            json!([{"Key": "Dept", "Value": "a"}, {"Key": "Dept", "Value": "a"}]),
            duplicate,
        ),
        (json!([{"Key": "aws:foo", "Value": "v"}]), reserved_key),
        (json!([{"Key": "AWS:foo", "Value": "v"}]), reserved_key),
        (json!([{"Key": "ok", "Value": "Aws:v"}]), reserved_value),
    ] {
        assert_eq!(
            assume(&iam, &admin, arn, json!({ "Tags": tags })),
            Err(refusal.to_string()),
            "{tags}"
        );
        let e = sts(
            &iam,
            &admin,
            "GetFederationToken",
            json!({"Name": "fed", "Tags": tags}),
        )
        .unwrap_err();
        assert_eq!(format!("{}: {}", e.code, e.message), refusal, "{tags}");
        assert_eq!(e.status, Some(400));
    }
    // The prefix elsewhere in a key or value, or a key of one non-ASCII character, is fine.
    let out = assume(
        &iam,
        &admin,
        arn,
        json!({"Tags": [{"Key": "x-aws:y", "Value": "naws:"}, {"Key": "é", "Value": ""}]}),
    )
    .unwrap();
    assert_eq!(session_tags_of(&iam, &out).len(), 2);
}

#[test]
fn transitive_tag_keys_must_be_among_the_requested_tags() {
    let iam = iam();
    let arn = taggable_role(&iam);
    let admin = admin_ctx(&iam, "admin");
    let missing = "InvalidParameterValue: The specified transitive tag key must be included in the requested tags.";
    for (input, refusal) in [
        (json!({"TransitiveTagKeys": ["team"]}), Some(missing)),
        (
            json!({"Tags": [{"Key": "dept", "Value": "a"}], "TransitiveTagKeys": ["team"]}),
            Some(missing),
        ),
        (
            json!({"Tags": [{"Key": "Team", "Value": "a"}], "TransitiveTagKeys": ["team"]}),
            None,
        ),
    ] {
        let got = assume(&iam, &admin, arn, input.clone());
        match refusal {
            Some(r) => assert_eq!(got, Err(r.to_string()), "{input}"),
            None => assert!(got.is_ok(), "{input}: {got:?}"),
        }
    }
}

/// A role trusting the account for `actions` whose sessions may do the same; its ARN.
fn chaining_role(iam: &Arc<Iam>, name: &str, actions: &str) -> String {
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::000000000000:root"}},"Action":{actions}}}]}}"#
    );
    role(iam, name, &trust);
    call(
        iam,
        &root_ctx(),
        "PutRolePolicy",
        json!({"RoleName": name, "PolicyName": "chain", "PolicyDocument": format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"*"}}]}}"#
        )}),
    )
    .unwrap();
    format!("arn:aws:iam::000000000000:role/{name}")
}

fn source_identity_of(iam: &Iam, out: &Value) -> Option<String> {
    session_ctx(iam, out)
        .principal
        .session
        .as_ref()
        .unwrap()
        .source_identity
        .clone()
}

/// The source identity "persists across chained role sessions" and "cannot be changed" (STS
/// API Reference); chaining with it needs `sts:SetSourceIdentity` in the target's trust policy
/// (User Guide: "Otherwise, the assume role operation will fail"), and the request carries it
/// as `sts:SourceIdentity`.
#[test]
fn a_source_identity_persists_across_chained_role_sessions() {
    let iam = iam();
    let both = r#"["sts:AssumeRole","sts:SetSourceIdentity"]"#;
    let first_arn = chaining_role(&iam, "first", both);
    let next_arn = chaining_role(&iam, "next", both);
    let plain_arn = chaining_role(&iam, "plain", r#"["sts:AssumeRole"]"#);
    let admin = admin_ctx(&iam, "admin");
    let first = assume(&iam, &admin, &first_arn, json!({"SourceIdentity": "alice"})).unwrap();
    assert_eq!(first["SourceIdentity"], "alice");
    let hop = session_ctx(&iam, &first);
    // Kept without asking, and not replaced by another value.
    for extra in [json!({}), json!({"SourceIdentity": "mallory"})] {
        let out = assume(&iam, &hop, &next_arn, extra.clone()).unwrap();
        assert_eq!(
            source_identity_of(&iam, &out).as_deref(),
            Some("alice"),
            "{extra}"
        );
        assert_eq!(out["SourceIdentity"], "alice", "{extra}");
        // And on to the next hop.
        let again = assume(&iam, &session_ctx(&iam, &out), &next_arn, json!({})).unwrap();
        assert_eq!(source_identity_of(&iam, &again).as_deref(), Some("alice"));
    }
    // A trust policy without sts:SetSourceIdentity refuses a session that has one.
    let err = assume(&iam, &hop, &plain_arn, json!({})).unwrap_err();
    assert!(err.starts_with("AccessDenied: "), "{err}");
    // A session without one chains there as before.
    let plain = assume(&iam, &admin, &plain_arn, json!({})).unwrap();
    let out = assume(&iam, &session_ctx(&iam, &plain), &plain_arn, json!({})).unwrap();
    assert_eq!(source_identity_of(&iam, &out), None);
    // A trust condition on sts:SourceIdentity sees the inherited value.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"sts:SourceIdentity":"bob"}}}]}"#;
    role(&iam, "bobonly", trust);
    let bob_only = "arn:aws:iam::000000000000:role/bobonly";
    let err = assume(&iam, &hop, bob_only, json!({"SourceIdentity": "bob"})).unwrap_err();
    assert!(err.starts_with("AccessDenied: "), "{err}");
}
