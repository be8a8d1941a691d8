//! STS, simulation, account details, audit mode and key-use tests.

use crate::api::test_support::{
    accesses, admin_ctx, call, code_message, iam, root_ctx, session_ctx, sts, user_ctx,
};
use crate::{Iam, Mode};
use serde_json::json;
use service::{Access, Principal, RequestContext, Runtime};
use std::sync::Arc;

const IVS_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;

#[test]
fn caller_identity_of_root_and_user() {
    let iam = iam();
    let root = root_ctx();
    let out = sts(&iam, &root, "GetCallerIdentity", json!({})).unwrap();
    assert_eq!(
        out,
        json!({"UserId": "000000000000", "Account": "000000000000", "Arn": "arn:aws:iam::000000000000:root"})
    );
    let bob = user_ctx(&iam, "bob");
    let out = sts(&iam, &bob, "GetCallerIdentity", json!({})).unwrap();
    assert!(out["UserId"].as_str().unwrap().starts_with("AIDA"));
    assert_eq!(out["Arn"], "arn:aws:iam::000000000000:user/bob");
    assert!(
        accesses(&iam.sts_service(), &bob, "GetCallerIdentity", &json!({}))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn federation_token_intersects_user_and_session_policy() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "AttachUserPolicy",
        json!({"UserName": "bob", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    )
    .unwrap();
    let out = sts(
        &iam,
        &bob,
        "GetFederationToken",
        json!({"Name": "fed", "Policy": IVS_ALL}),
    )
    .unwrap();
    assert_eq!(
        out["FederatedUser"]["Arn"],
        "arn:aws:sts::000000000000:federated-user/fed"
    );
    assert!(out["PackedPolicySize"].as_u64().unwrap() > 0);
    let fed = session_ctx(&iam, &out);
    iam.authorize(&fed, &[Access::new("ivs:ListChannels", "*")])
        .unwrap();
    assert!(iam
        .authorize(&fed, &[Access::new("iam:ListUsers", "*")])
        .is_err());
    // Without a session policy a federated user can do nothing.
    let out = sts(&iam, &bob, "GetFederationToken", json!({"Name": "bare"})).unwrap();
    assert_eq!(out["PackedPolicySize"], 0, "{out}");
    let bare = session_ctx(&iam, &out);
    assert!(iam
        .authorize(&bare, &[Access::new("ivs:ListChannels", "*")])
        .is_err());
    let e = sts(&iam, &fed, "GetFederationToken", json!({"Name": "again"})).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
}

/// GetFederationToken's credentials cannot assume a role (the IAM User Guide: "you can't use
/// the temporary credentials to assume a role"), even where the trust and every policy allow.
#[test]
fn a_federated_user_cannot_assume_a_role() {
    let iam = iam();
    let root = root_ctx();
    let bob = admin_ctx(&iam, "bob");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    let all =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let out = sts(
        &iam,
        &bob,
        "GetFederationToken",
        json!({"Name": "fed", "Policy": all}),
    )
    .unwrap();
    let fed = session_ctx(&iam, &out);
    let role = "arn:aws:iam::000000000000:role/r";
    let e = sts(
        &iam,
        &fed,
        "AssumeRole",
        json!({"RoleArn": role, "RoleSessionName": "ss"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "AccessDenied",
            "User: arn:aws:sts::000000000000:federated-user/fed is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/r"
        )
    );
    // The user itself may.
    sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": role, "RoleSessionName": "ss"}),
    )
    .unwrap();
}

/// The IAM User Guide (session tags, GetFederationToken): "the session's principal tags
/// include the user's tags and the passed session tags".
#[test]
fn a_federated_users_principal_tags_include_its_users_tags() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "TagUser",
        json!({"UserName": "bob", "Tags": [{"Key": "team", "Value": "video"}, {"Key": "tier", "Value": "user"}]}),
    )
    .unwrap();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"},
        {"Effect":"Allow","Action":"ivs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"video","aws:PrincipalTag/tier":"session"}}}]}"#;
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "p", "PolicyDocument": policy}),
    )
    .unwrap();
    let out = sts(
        &iam,
        &bob,
        "GetFederationToken",
        json!({"Name": "fed", "Policy": IVS_ALL, "Tags": [{"Key": "tier", "Value": "session"}]}),
    )
    .unwrap();
    let fed = session_ctx(&iam, &out);
    // The user's `team` and the session's `tier` (over the user's) both apply.
    iam.authorize(&fed, &[Access::new("ivs:ListChannels", "*")])
        .expect("the user's tag and the session's");
}

#[test]
fn session_token_keeps_the_user_and_refuses_sessions() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    let out = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"DurationSeconds": 900}),
    )
    .unwrap();
    let key = out["Credentials"]["AccessKeyId"].as_str().unwrap();
    let sess = session_ctx(&iam, &out);
    assert_eq!(sess.principal.arn, "arn:aws:iam::000000000000:user/bob");
    let e = sts(&iam, &sess, "GetSessionToken", json!({})).unwrap_err();
    assert_eq!(
        e.message,
        "Cannot call GetSessionToken with session credentials"
    );
    let info = sts(
        &iam,
        &root_ctx(),
        "GetAccessKeyInfo",
        json!({"AccessKeyId": key}),
    )
    .unwrap();
    assert_eq!(info["Account"], "000000000000");
    // A key this server never issued answers the account its ID encodes (AWS's answer for
    // this key, another account's), and a key of another form is refused.
    let info = sts(
        &iam,
        &root_ctx(),
        "GetAccessKeyInfo",
        json!({"AccessKeyId": "AKIAQI52OJVCPZXFYAOI"}),
    )
    .unwrap();
    assert_eq!(info["Account"], "019181489476");
    let e = sts(
        &iam,
        &root_ctx(),
        "GetAccessKeyInfo",
        json!({"AccessKeyId": "not-a-key-at-all"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
}

#[test]
fn assume_role_session_policy_external_id_and_tags() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"xyz"}}}]}"#;
    // The user a trust policy names must exist when the policy is stored.
    let bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "AttachRolePolicy",
        json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    )
    .unwrap();
    let arn = "arn:aws:iam::000000000000:role/r";
    let e = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "s1"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/r");
    // Named in the trust policy: no identity permission needed in the same account.
    let out = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "s1", "ExternalId": "xyz", "Policy": IVS_ALL}),
    )
    .unwrap();
    assert!(out["PackedPolicySize"].as_u64().unwrap() > 0);
    // Without a session policy or tag AWS's answer has no PackedPolicySize (the AWS CLI's
    // assume-role example).
    let plain = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "s2", "ExternalId": "xyz"}),
    )
    .unwrap();
    assert!(plain["Credentials"].is_object());
    assert!(plain.get("PackedPolicySize").is_none(), "{plain}");
    let sess = session_ctx(&iam, &out);
    iam.authorize(&sess, &[Access::new("ivs:ListChannels", "*")])
        .unwrap();
    assert!(
        iam.authorize(&sess, &[Access::new("iam:ListUsers", "*")])
            .is_err(),
        "session policy limits the role"
    );
    // Session tags need sts:TagSession in the trust policy.
    let e = sts(&iam, &bob, "AssumeRole", json!({"RoleArn": arn, "RoleSessionName": "s1", "ExternalId": "xyz", "Tags": [{"Key": "k", "Value": "v"}]})).unwrap_err();
    assert!(e.message.contains("sts:TagSession"), "{}", e.message);
    let e = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "bad name", "ExternalId": "xyz"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationError");
    let role = call(&iam, &root, "GetRole", json!({"RoleName": "r"})).unwrap();
    assert!(role["Role"]["RoleLastUsed"]["LastUsedDate"].is_number());
    // GetAccountAuthorizationDetails' RoleDetail carries the same last use (the model:
    // "the date and time and the Region in which the role was last used").
    let details = call(
        &iam,
        &root,
        "GetAccountAuthorizationDetails",
        json!({"Filter": ["Role"]}),
    )
    .unwrap();
    assert_eq!(
        details["RoleDetailList"][0]["RoleLastUsed"],
        role["Role"]["RoleLastUsed"]
    );
    assert!(role["Role"]["AssumeRolePolicyDocument"]
        .as_str()
        .unwrap()
        .starts_with("%7B%22Version%22"));
}

#[test]
fn session_tags_become_principal_tags() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#;
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"media"}}}]}"#;
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "PutRolePolicy",
        json!({"RoleName": "r", "PolicyName": "p", "PolicyDocument": policy}),
    )
    .unwrap();
    let admin = admin_ctx(&iam, "admin");
    let assume = |tags: serde_json::Value| {
        let out = sts(&iam, &admin, "AssumeRole", json!({"RoleArn": "arn:aws:iam::000000000000:role/r", "RoleSessionName": "s1", "Tags": tags})).unwrap();
        session_ctx(&iam, &out)
    };
    let media = assume(json!([{"Key": "team", "Value": "media"}]));
    iam.authorize(&media, &[Access::new("ivs:ListChannels", "*")])
        .unwrap();
    let other = assume(json!([{"Key": "team", "Value": "other"}]));
    assert!(iam
        .authorize(&other, &[Access::new("ivs:ListChannels", "*")])
        .is_err());
}

#[test]
fn audit_mode_allows_and_logs() {
    let iam = Iam::new(Arc::new(Runtime::for_tests()), Mode::Audit);
    let bob = user_ctx(&iam, "bob");
    iam.authorize(
        &bob,
        &[Access::new(
            "ivs:DeleteChannel",
            "arn:aws:ivs:us-east-1:000000000000:channel/x",
        )],
    )
    .unwrap();
    let log = iam.decisions("000000000000");
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["decision"], "implicitDeny");
    assert_eq!(last["audited"], true);
    assert!(last["reason"]
        .as_str()
        .unwrap()
        .contains("ivs:DeleteChannel"));
}

#[test]
fn cross_account_needs_the_resource_policy() {
    let iam = iam();
    let other = RequestContext::new(
        "r",
        Arc::new(Principal::root("111111111111", "k")),
        "us-east-1",
    );
    let resource = "arn:aws:ivs:us-east-1:000000000000:channel/x";
    assert!(iam
        .authorize(&other, &[Access::new("ivs:GetChannel", resource)])
        .is_err());
    let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ivs:GetChannel","Resource":"*"}]}"#;
    let a = Access::new("ivs:GetChannel", resource)
        .with_resource_policy(service::ResourcePolicy::new(allow));
    iam.authorize(&other, &[a]).unwrap();
}

#[test]
fn key_use_is_reported() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let id = bob.principal.access_key_id.clone();
    let before = call(
        &iam,
        &root,
        "GetAccessKeyLastUsed",
        json!({"AccessKeyId": id}),
    )
    .unwrap();
    assert_eq!(before["AccessKeyLastUsed"]["ServiceName"], "N/A");
    iam.record_key_use(&id, "ivs", "eu-west-1");
    let after = call(
        &iam,
        &root,
        "GetAccessKeyLastUsed",
        json!({"AccessKeyId": id}),
    )
    .unwrap();
    assert_eq!(after["UserName"], "bob");
    assert_eq!(after["AccessKeyLastUsed"]["ServiceName"], "ivs");
    assert_eq!(after["AccessKeyLastUsed"]["Region"], "eu-west-1");
    // Another service within the same moment still updates the record (the fast path only
    // skips repeats of the same service and region).
    iam.record_key_use(&id, "sts", "eu-west-1");
    let again = call(
        &iam,
        &root,
        "GetAccessKeyLastUsed",
        json!({"AccessKeyId": id}),
    )
    .unwrap();
    assert_eq!(again["AccessKeyLastUsed"]["ServiceName"], "sts");
    // Root's key has no last-use record and is skipped without error.
    iam.record_key_use("test", "ivs", "eu-west-1");
}

#[test]
fn simulate_principal_and_custom_policy() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "ivs", "PolicyDocument": IVS_ALL}),
    )
    .unwrap();
    let out = call(
        &iam,
        &root,
        "SimulatePrincipalPolicy",
        json!({
            "PolicySourceArn": "arn:aws:iam::000000000000:user/bob",
            "ActionNames": ["ivs:GetChannel", "iam:ListUsers"],
        }),
    )
    .unwrap();
    let results = out["EvaluationResults"].as_array().unwrap();
    assert_eq!(results[0]["EvalDecision"], "allowed");
    assert_eq!(
        results[0]["MatchedStatements"][0]["SourcePolicyType"],
        "IAM Policy"
    );
    assert_eq!(results[1]["EvalDecision"], "implicitDeny");
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ivs:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
    let out = call(&iam, &root, "SimulateCustomPolicy", json!({
        "PolicyInputList": [IVS_ALL, deny],
        "ActionNames": ["ivs:GetChannel"],
        "ResourceArns": ["arn:aws:ivs:us-east-1:000000000000:channel/a"],
        "ContextEntries": [{"ContextKeyName": "aws:SecureTransport", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}],
    })).unwrap();
    let r = &out["EvaluationResults"][0];
    assert_eq!(r["EvalDecision"], "explicitDeny");
    assert_eq!(
        r["ResourceSpecificResults"][0]["EvalResourceDecision"],
        "explicitDeny"
    );
    // "the deny statement is the only entry included in the result" (the allow matched too).
    for matched in [
        &r["MatchedStatements"],
        &r["ResourceSpecificResults"][0]["MatchedStatements"],
    ] {
        assert_eq!(matched.as_array().unwrap().len(), 1, "{matched}");
        assert_eq!(matched[0]["SourcePolicyId"], "PolicyInputList.2");
    }
    let out = call(&iam, &root, "SimulateCustomPolicy", json!({
        "PolicyInputList": [IVS_ALL],
        "PermissionsBoundaryPolicyInputList": [r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:List*","Resource":"*"}]}"#],
        "ActionNames": ["ivs:GetChannel", "ivs:ListChannels"],
    })).unwrap();
    assert_eq!(out["EvaluationResults"][0]["EvalDecision"], "implicitDeny");
    assert_eq!(
        out["EvaluationResults"][0]["PermissionsBoundaryDecisionDetail"]
            ["AllowedByPermissionsBoundary"],
        false
    );
    assert_eq!(out["EvaluationResults"][1]["EvalDecision"], "allowed");
    // The boundary's own verdict ("true means that the permissions boundary does not deny
    // the action"), whatever the identity policies decide: it allows ivs:List*, which no
    // identity policy here allows.
    let out = call(&iam, &root, "SimulateCustomPolicy", json!({
        "PolicyInputList": [r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}"#],
        "PermissionsBoundaryPolicyInputList": [r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#],
        "ActionNames": ["ivs:ListChannels"],
    })).unwrap();
    let r = &out["EvaluationResults"][0];
    assert_eq!(r["EvalDecision"], "implicitDeny");
    assert_eq!(
        r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"],
        true
    );
    // The AWS CLI's simulate-custom-policy example: the statement's position as AWS gives
    // it, and the type AWS now answers for a policy given in the request.
    let out = call(&iam, &root, "SimulateCustomPolicy", json!({
        "PolicyInputList": [r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#],
        "ActionNames": ["dynamodb:CreateBackup"],
        "ContextEntries": [{"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2019-04-25T11:00:00Z"], "ContextKeyType": "date"}],
    })).unwrap();
    assert_eq!(
        out["EvaluationResults"][0]["MatchedStatements"],
        json!([{"SourcePolicyId": "PolicyInputList.1", "SourcePolicyType": "IAM Policy",
                "StartPosition": {"Line": 1, "Column": 38},
                "EndPosition": {"Line": 1, "Column": 167}}])
    );
}

#[test]
fn account_details_and_entities_for_policy() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "g"})).unwrap();
    call(
        &iam,
        &root,
        "AddUserToGroup",
        json!({"GroupName": "g", "UserName": "bob"}),
    )
    .unwrap();
    let admin = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    call(
        &iam,
        &root,
        "AttachGroupPolicy",
        json!({"GroupName": "g", "PolicyArn": admin}),
    )
    .unwrap();
    let out = call(&iam, &root, "GetAccountAuthorizationDetails", json!({})).unwrap();
    assert_eq!(out["UserDetailList"][0]["GroupList"], json!(["g"]));
    assert_eq!(
        out["GroupDetailList"][0]["AttachedManagedPolicies"][0]["PolicyArn"],
        admin
    );
    assert_eq!(
        out["Policies"].as_array().unwrap().len(),
        1,
        "only used AWS policies are listed"
    );
    let ents = call(
        &iam,
        &root,
        "ListEntitiesForPolicy",
        json!({"PolicyArn": admin}),
    )
    .unwrap();
    assert_eq!(ents["PolicyGroups"][0]["GroupName"], "g");
    assert_eq!(ents["PolicyUsers"], json!([]));
    let e = call(&iam, &root, "DeleteGroup", json!({"GroupName": "g"})).unwrap_err();
    assert_eq!(
        e.message,
        "Cannot delete entity, must remove users from group first."
    );
    let local = call(&iam, &root, "ListPolicies", json!({"Scope": "Local"})).unwrap();
    assert_eq!(local["Policies"], json!([]));
    let attached = call(&iam, &root, "ListPolicies", json!({"OnlyAttached": true})).unwrap();
    assert_eq!(attached["Policies"].as_array().unwrap().len(), 1);
    let groups = call(&iam, &root, "ListGroupsForUser", json!({"UserName": "bob"})).unwrap();
    assert_eq!(groups["Groups"][0]["GroupName"], "g");
}

#[test]
fn decode_authorization_message_round_trip() {
    let iam = iam();
    let root = root_ctx();
    let encoded = iam.encode_authorization_message(&json!({"allowed": false}));
    let out = sts(
        &iam,
        &root,
        "DecodeAuthorizationMessage",
        json!({"EncodedMessage": encoded}),
    )
    .unwrap();
    assert_eq!(out["DecodedMessage"], "{\"allowed\":false}");
    let e = sts(
        &iam,
        &root,
        "DecodeAuthorizationMessage",
        json!({"EncodedMessage": "nonsense"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidAuthorizationMessageException");
}

#[test]
fn sts_records_restore_into_a_fresh_store() {
    let iam1 = iam();
    let root = root_ctx();
    let out = sts(
        &iam1,
        &root,
        "GetFederationToken",
        json!({"Name": "fed", "Policy": IVS_ALL}),
    )
    .unwrap();
    let key = out["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert_eq!(iam1.sts_service().store_name(), "iam");
    let iam2 = iam();
    for (_, r) in root.journal.take() {
        iam2.restore(&r).unwrap();
    }
    let found = iam2.lookup_key(key).unwrap();
    assert_eq!(
        found.principal.arn,
        "arn:aws:sts::000000000000:federated-user/fed"
    );
    let fed = RequestContext::new("r", found.principal, "us-east-1");
    iam2.authorize(&fed, &[Access::new("ivs:ListChannels", "*")])
        .unwrap();
}

/// The keys shared by a request's accesses are built once; what depends on the access (the
/// resource's account, the access's own keys) must still be each access's own, in any order.
#[test]
fn each_access_of_a_request_has_its_own_resource_account_and_keys() {
    let iam = iam();
    let carol = user_ctx(&iam, "carol");
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ivs:GetChannel", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceAccount": "000000000000"}}},
        {"Effect": "Allow", "Action": "iam:GetPolicy", "Resource": "*",
         "Condition": {"StringEquals": {"aws:ResourceAccount": "aws"}}},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "ivs.amazonaws.com"}}},
        {"Effect": "Deny", "Action": "ivs:GetChannel", "Resource": "*",
         "Condition": {"Null": {"iam:PassedToService": "false"}}}
    ]});
    call(
        &iam,
        &root_ctx(),
        "PutUserPolicy",
        json!({"UserName": "carol", "PolicyName": "p", "PolicyDocument": policy.to_string()}),
    )
    .unwrap();
    let channel = Access::new(
        "ivs:GetChannel",
        "arn:aws:ivs:us-east-1:000000000000:channel/x",
    );
    // An AWS managed policy's ARN names the account `aws`.
    let managed = Access::new("iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess");
    let pass = Access::new("iam:PassRole", "arn:aws:iam::000000000000:role/r").with(
        "iam:PassedToService",
        service::ContextValue::String("ivs.amazonaws.com".into()),
    );
    for order in [
        vec![channel.clone(), managed.clone()],
        vec![managed.clone(), channel.clone()],
        vec![pass.clone(), channel.clone()],
        vec![channel.clone(), pass.clone(), managed.clone()],
    ] {
        let actions: Vec<&str> = order.iter().map(|a| a.action.as_str()).collect();
        iam.authorize(&carol, &order)
            .unwrap_or_else(|d| panic!("{actions:?}: {}", d.message));
    }
    // Alone, the channel with the passed-role key is refused: the key is what denies.
    let mut tagged = channel.clone();
    tagged.context = pass.context.clone();
    assert!(iam.authorize(&carol, &[tagged]).is_err());
}

/// The STS API Reference, GetSessionToken and GetFederationToken: the account root's sessions
/// are "restricted to a maximum of 3,600 seconds (one hour). If the duration is longer than one
/// hour, the session ... defaults to one hour" — cut to an hour, not refused; an IAM user's get
/// what they ask, twelve hours by default.
#[test]
fn root_sessions_longer_than_an_hour_are_cut_to_an_hour() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "fed", "PolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"}]}"#}),
    )
    .unwrap();
    let lasts = |out: &serde_json::Value| {
        let s = session_ctx(&iam, out).principal.session.clone().unwrap();
        s.expires_at - s.issued_at
    };
    for (op, input) in [
        ("GetSessionToken", json!({})),
        ("GetFederationToken", json!({"Name": "root-fed"})),
    ] {
        for (asked, got) in [
            (None, 3600.0),
            (Some(7200), 3600.0),
            (Some(129600), 3600.0),
            (Some(1800), 1800.0),
        ] {
            let mut input = input.clone();
            if let Some(d) = asked {
                input["DurationSeconds"] = json!(d);
            }
            let out =
                sts(&iam, &root, op, input).unwrap_or_else(|e| panic!("{op} {asked:?}: {e:?}"));
            assert_eq!(lasts(&out), got, "{op} {asked:?}");
        }
        let mut input = input.clone();
        let out = sts(&iam, &bob, op, input.clone()).unwrap();
        assert_eq!(lasts(&out), 43200.0, "{op} default");
        input["DurationSeconds"] = json!(129600);
        let out = sts(&iam, &bob, op, input).unwrap();
        assert_eq!(lasts(&out), 129600.0, "{op} 36 hours");
    }
}
