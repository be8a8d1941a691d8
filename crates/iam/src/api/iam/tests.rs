//! Handler, authorize and STS tests against a fresh store.

use crate::api::test_support::{
    accesses, call, code_message, iam, root_ctx, sts, user_ctx, ACCOUNT,
};
use serde_json::json;
use service::{Principal, RequestContext};
use std::sync::Arc;

#[test]
fn users_have_aws_ids_and_conflicts() {
    let iam = iam();
    let root = root_ctx();
    let out = call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "bob", "Path": "/team/"}),
    )
    .unwrap();
    assert_eq!(
        out["User"]["Arn"],
        "arn:aws:iam::000000000000:user/team/bob"
    );
    let id = out["User"]["UserId"].as_str().unwrap();
    assert!(id.starts_with("AIDA") && id.len() == 21);
    let e = call(&iam, &root, "CreateUser", json!({"UserName": "BOB"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        ("EntityAlreadyExists", "User with name BOB already exists.")
    );
    let e = call(&iam, &root, "GetUser", json!({"UserName": "alice"})).unwrap_err();
    assert_eq!(e.message, "The user with name alice cannot be found.");
    assert_eq!(e.code, "NoSuchEntity");
}

#[test]
fn access_key_quota_and_delete_conflict() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    let k1 = call(&iam, &root, "CreateAccessKey", json!({"UserName": "bob"})).unwrap();
    call(&iam, &root, "CreateAccessKey", json!({"UserName": "bob"})).unwrap();
    let e = call(&iam, &root, "CreateAccessKey", json!({"UserName": "bob"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2"
        )
    );
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "bob"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete access keys first."
        )
    );
    let id = k1["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string();
    assert!(id.starts_with("AKIA") && id.len() == 20);
    assert_eq!(
        k1["AccessKey"]["SecretAccessKey"].as_str().unwrap().len(),
        40
    );
    call(
        &iam,
        &root,
        "UpdateAccessKey",
        json!({"UserName": "bob", "AccessKeyId": id, "Status": "Inactive"}),
    )
    .unwrap();
    assert!(
        iam.lookup_key(&id).is_none(),
        "inactive keys do not authenticate"
    );
    assert!(!iam.knows_key(&id), "nor pass the check before the body");
    assert!(!iam.knows_key("AKIANOSUCHKEY0000000"));
    let listed = call(
        &iam,
        &root,
        "ListAccessKeys",
        json!({"UserName": "bob", "MaxItems": 1}),
    )
    .unwrap();
    assert_eq!(listed["IsTruncated"], true);
}

#[test]
fn root_lists_its_own_access_key_without_a_user_name() {
    let iam = iam();
    let root = root_ctx();
    // bob and his key: a user's key is not root's.
    let _bob = user_ctx(&iam, "bob");
    let listed = call(&iam, &root, "ListAccessKeys", json!({})).unwrap();
    let keys = listed["AccessKeyMetadata"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{listed}");
    assert_eq!(keys[0]["AccessKeyId"], "test");
    assert_eq!(keys[0]["Status"], "Active");
    assert!(keys[0].get("UserName").is_none(), "{listed}");
    assert!(keys[0]["CreateDate"].as_f64().is_some(), "{listed}");
    assert_eq!(listed["IsTruncated"], false);
    // Root naming a user still lists that user's keys.
    let of_bob = call(&iam, &root, "ListAccessKeys", json!({"UserName": "bob"})).unwrap();
    assert_eq!(of_bob["AccessKeyMetadata"][0]["UserName"], "bob");
    assert_eq!(of_bob["AccessKeyMetadata"].as_array().unwrap().len(), 1);
    // Signed with temporary credentials, root must name the user.
    let mut session = Principal::root(ACCOUNT, "ASIAROOTSESSION00001");
    session.session = Some(Default::default());
    let session = RequestContext::new("req", Arc::new(session), "us-east-1");
    let e = call(&iam, &session, "ListAccessKeys", json!({})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "ValidationError",
            "Must specify userName when calling with non-User credentials"
        )
    );
}

#[test]
fn root_manages_its_own_access_keys_without_a_user_name() {
    // "You can use this operation to manage AWS account root user credentials"
    // (CreateAccessKey, UpdateAccessKey, DeleteAccessKey); "You can assign up to two access
    // keys to the root user ... Inactive keys still count toward your limit."
    let iam = iam();
    let root = root_ctx();
    let made = call(&iam, &root, "CreateAccessKey", json!({})).unwrap();
    let key = &made["AccessKey"];
    assert!(key.get("UserName").is_none(), "{made}");
    assert_eq!(key["Status"], "Active");
    let id = key["AccessKeyId"].as_str().unwrap().to_string();
    assert!(id.starts_with("AKIA") && id.len() == 20, "{id}");
    let found = iam.lookup_key(&id).expect("the new key authenticates");
    assert_eq!(
        found.secret_access_key,
        key["SecretAccessKey"].as_str().unwrap()
    );
    assert!(found.principal.is_root() && found.principal.account == ACCOUNT);
    let e = call(&iam, &root, "CreateAccessKey", json!({})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2"
        )
    );
    let listed = |iam: &Arc<crate::Iam>| {
        let out = call(iam, &root_ctx(), "ListAccessKeys", json!({})).unwrap();
        let mut keys: Vec<(String, String)> = out["AccessKeyMetadata"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["AccessKeyId"].as_str().unwrap().into(),
                    k["Status"].as_str().unwrap().into(),
                )
            })
            .collect();
        keys.sort();
        keys
    };
    let both = vec![
        (id.clone(), "Active".to_string()),
        ("test".into(), "Active".into()),
    ];
    assert_eq!(listed(&iam), both);
    let summary = call(&iam, &root, "GetAccountSummary", json!({})).unwrap();
    assert_eq!(summary["SummaryMap"]["AccountAccessKeysPresent"], 1);

    // Inactive: it stops authenticating and still counts.
    let update = |status: &str| {
        call(
            &iam,
            &root,
            "UpdateAccessKey",
            json!({"AccessKeyId": id, "Status": status}),
        )
    };
    update("Inactive").unwrap();
    assert!(iam.lookup_key(&id).is_none() && !iam.knows_key(&id));
    assert_eq!(listed(&iam)[0], (id.clone(), "Inactive".to_string()));
    assert_eq!(
        call(&iam, &root, "CreateAccessKey", json!({}))
            .unwrap_err()
            .code,
        "LimitExceeded"
    );
    let report = super::account::credential_csv(&iam.state.read(), ACCOUNT);
    let root_row: Vec<&str> = report.lines().nth(1).unwrap().split(',').collect();
    assert_eq!((root_row[8], root_row[13]), ("true", "false"), "{report}");
    update("Active").unwrap();
    assert!(iam.lookup_key(&id).is_some());
    let report = super::account::credential_csv(&iam.state.read(), ACCOUNT);
    let root_row: Vec<&str> = report.lines().nth(1).unwrap().split(',').collect();
    assert_eq!((root_row[8], root_row[13]), ("true", "true"), "{report}");

    // The configured key can be deactivated and deleted too; then root may make another.
    call(
        &iam,
        &root,
        "UpdateAccessKey",
        json!({"AccessKeyId": "test", "Status": "Inactive"}),
    )
    .unwrap();
    assert!(iam.lookup_key("test").is_none());
    call(
        &iam,
        &root,
        "DeleteAccessKey",
        json!({"AccessKeyId": "test"}),
    )
    .unwrap();
    assert!(!iam.knows_key("test"));
    assert_eq!(listed(&iam), vec![(id.clone(), "Active".to_string())]);
    let e = call(
        &iam,
        &root,
        "DeleteAccessKey",
        json!({"AccessKeyId": "test"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The Access Key with id test cannot be found."
        )
    );
    let third = call(&iam, &root, "CreateAccessKey", json!({})).unwrap();
    let third = third["AccessKey"]["AccessKeyId"]
        .as_str()
        .unwrap()
        .to_string();
    call(&iam, &root, "DeleteAccessKey", json!({"AccessKeyId": id})).unwrap();
    assert!(iam.lookup_key(&id).is_none());
    assert_eq!(listed(&iam), vec![(third.clone(), "Active".to_string())]);

    // A user's key is not root's, and root's key is no user's.
    let _bob = user_ctx(&iam, "bob");
    let e = call(
        &iam,
        &root,
        "UpdateAccessKey",
        json!({"UserName": "bob", "AccessKeyId": third, "Status": "Inactive"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    assert!(iam.lookup_key(&third).is_some());

    // Signed with temporary credentials, root must name the user for each of them.
    let mut session = Principal::root(ACCOUNT, "ASIAROOTSESSION00001");
    session.session = Some(Default::default());
    let session = RequestContext::new("req", Arc::new(session), "us-east-1");
    for (op, input) in [
        ("CreateAccessKey", json!({})),
        (
            "UpdateAccessKey",
            json!({"AccessKeyId": third, "Status": "Inactive"}),
        ),
        ("DeleteAccessKey", json!({"AccessKeyId": third})),
    ] {
        let e = call(&iam, &session, op, input).unwrap_err();
        assert_eq!(e.code, "ValidationError", "{op}");
    }
    assert!(iam.lookup_key(&third).is_some());
}

#[test]
fn root_keys_made_through_iam_survive_a_restore_and_an_import_cannot_take_them() {
    let original = iam();
    let root = root_ctx();
    call(&original, &root, "CreateAccessKey", json!({})).unwrap();
    let records = root.journal.take();
    let (_, account) = records
        .iter()
        .find(|(_, r)| r.table == "account")
        .expect("the account record is journaled");
    let made = account.value.as_ref().unwrap()["root_keys"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A fresh store restored from the record knows the key as root's.
    let restored = iam();
    restored.restore(account).unwrap();
    let found = restored.lookup_key(&made).expect("restored root key");
    assert!(found.principal.is_root());
    // Another account's import naming that key as its own root key is refused.
    let mut theirs = account.value.clone().unwrap();
    theirs["id"] = json!("111111111111");
    theirs["root_access_key"] = json!("AKIAOTHERROOT0000001");
    let import = service::Record {
        account: "111111111111".into(),
        table: "account".into(),
        key: "111111111111".into(),
        value: Some(theirs),
    };
    let e = restored
        .validate_import("111111111111", std::slice::from_ref(&import))
        .unwrap_err();
    assert!(e.contains(&made), "{e}");
    // An account whose root deleted its configured key exports and imports again.
    let own = service::Record {
        value: Some(
            json!({"id": ACCOUNT, "root_access_key": "", "root_secret_key": "",
            "root_keys": account.value.as_ref().unwrap()["root_keys"].clone()}),
        ),
        ..account.clone()
    };
    restored
        .validate_import(ACCOUNT, std::slice::from_ref(&own))
        .expect("an account without its configured key imports");
}

#[test]
fn policies_versions_and_attachments() {
    let iam = iam();
    let root = root_ctx();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    let p = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "ivs", "PolicyDocument": doc}),
    )
    .unwrap();
    let arn = p["Policy"]["Arn"].as_str().unwrap().to_string();
    assert_eq!(arn, "arn:aws:iam::000000000000:policy/ivs");
    for _ in 0..4 {
        call(
            &iam,
            &root,
            "CreatePolicyVersion",
            json!({"PolicyArn": arn, "PolicyDocument": doc}),
        )
        .unwrap();
    }
    let e = call(
        &iam,
        &root,
        "CreatePolicyVersion",
        json!({"PolicyArn": arn, "PolicyDocument": doc}),
    )
    .unwrap_err();
    assert_eq!(e.code, "LimitExceeded");
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    call(
        &iam,
        &root,
        "AttachUserPolicy",
        json!({"UserName": "bob", "PolicyArn": arn}),
    )
    .unwrap();
    let e = call(&iam, &root, "DeletePolicy", json!({"PolicyArn": arn})).unwrap_err();
    assert_eq!(e.code, "DeleteConflict");
    let got = call(&iam, &root, "GetPolicy", json!({"PolicyArn": arn})).unwrap();
    assert_eq!(got["Policy"]["AttachmentCount"], 1);
    let e = call(
        &iam,
        &root,
        "AttachUserPolicy",
        json!({"UserName": "bob", "PolicyArn": "arn:aws:iam::aws:policy/Nope"}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable."
    );
    // A missing permissions boundary is a "Scope ARN" (AWS's answer to CreateRole with
    // --permissions-boundary naming no policy, 404 NoSuchEntity), on create and on put.
    let missing = "arn:aws:iam::000000000000:policy/nope";
    let scope = format!("Scope ARN: {missing} does not exist or is not attachable.");
    for (op, input) in [
        (
            "CreateRole",
            json!({"RoleName": "bounded", "PermissionsBoundary": missing,
                "AssumeRolePolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#}),
        ),
        (
            "CreateUser",
            json!({"UserName": "bounded", "PermissionsBoundary": missing}),
        ),
        (
            "PutUserPermissionsBoundary",
            json!({"UserName": "bob", "PermissionsBoundary": missing}),
        ),
    ] {
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("NoSuchEntity", scope.as_str()),
            "{op}"
        );
    }
    call(
        &iam,
        &root,
        "AttachUserPolicy",
        json!({"UserName": "bob", "PolicyArn": "arn:aws:iam::aws:policy/IVSReadOnlyAccess"}),
    )
    .unwrap();
    let listed = call(
        &iam,
        &root,
        "ListAttachedUserPolicies",
        json!({"UserName": "bob"}),
    )
    .unwrap();
    assert_eq!(listed["AttachedPolicies"].as_array().unwrap().len(), 2);
    let e = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "bad", "PolicyDocument": "{"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocument");
    // A managed policy must be version 2012-10-17 (an inline one may be older or have none).
    let old = r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    let unversioned = r#"{"Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    for doc in [old, unversioned] {
        let e = call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "old", "PolicyDocument": doc}),
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "MalformedPolicyDocument",
                "Policy document must be version 2012-10-17 or greater."
            )
        );
        call(
            &iam,
            &root,
            "PutUserPolicy",
            json!({"UserName": "bob", "PolicyName": "old", "PolicyDocument": doc}),
        )
        .unwrap();
    }
    // Sids of IAM's own policies are letters and digits.
    let dashed = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Allow-IVS","Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    for (op, input) in [
        (
            "CreatePolicy",
            json!({"PolicyName": "dashed", "PolicyDocument": dashed}),
        ),
        (
            "PutUserPolicy",
            json!({"UserName": "bob", "PolicyName": "dashed", "PolicyDocument": dashed}),
        ),
    ] {
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(e.code, "MalformedPolicyDocument");
        assert!(e
            .message
            .starts_with("Statement IDs (SID) must be alpha-numeric."));
    }
}

#[test]
fn self_service_policy_and_denial_message() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let svc = iam.iam_service();
    let list = accesses(&svc, &bob, "ListUsers", &json!({})).unwrap();
    let d = iam.authorize(&bob, &list).unwrap_err();
    assert_eq!(d.message, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::000000000000:user/ because no identity-based policy allows the iam:ListUsers action");
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "self", "PolicyDocument": doc}),
    )
    .unwrap();
    let own = accesses(&svc, &bob, "GetUser", &json!({})).unwrap();
    assert_eq!(own[0].resource, "arn:aws:iam::000000000000:user/bob");
    iam.authorize(&bob, &own).unwrap();
    let out = call(&iam, &bob, "GetUser", json!({})).unwrap();
    assert_eq!(out["User"]["UserName"], "bob");
    call(&iam, &root, "CreateUser", json!({"UserName": "eve"})).unwrap();
    let other = accesses(&svc, &bob, "GetUser", &json!({"UserName": "eve"})).unwrap();
    assert!(iam.authorize(&bob, &other).is_err());
    assert!(iam.decisions(ACCOUNT).as_array().unwrap().len() >= 3);
}

#[test]
fn boundary_limits_user_permissions() {
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
    let access = vec![service::Access::new(
        "iam:ListUsers",
        "arn:aws:iam::000000000000:user/",
    )];
    iam.authorize(&bob, &access).unwrap();
    call(&iam, &root, "PutUserPermissionsBoundary", json!({"UserName": "bob", "PermissionsBoundary": "arn:aws:iam::aws:policy/IVSReadOnlyAccess"})).unwrap();
    assert!(iam.authorize(&bob, &access).is_err());
    iam.authorize(&bob, &[service::Access::new("ivs:ListChannels", "*")])
        .unwrap();
}

#[test]
fn resource_policy_explicit_deny_stops_root() {
    let iam = iam();
    let root = root_ctx();
    let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"ivs:*","Resource":"*"}]}"#;
    let a = service::Access::new(
        "ivs:GetChannel",
        "arn:aws:ivs:us-east-1:000000000000:channel/x",
    );
    iam.authorize(&root, std::slice::from_ref(&a)).unwrap();
    let a = a.with_resource_policy(service::ResourcePolicy::new(deny));
    assert!(iam.authorize(&root, &[a]).is_err());
}

#[test]
fn assume_role_issues_session_keys() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "media", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "AttachRolePolicy",
        json!({"RoleName": "media", "PolicyArn": "arn:aws:iam::aws:policy/IVSFullAccess"}),
    )
    .unwrap();
    // AWS: "Roles may not be assumed by root accounts.", whatever the trust policy says.
    let e = sts(
        &iam,
        &root,
        "AssumeRole",
        json!({"RoleArn": "arn:aws:iam::000000000000:role/media", "RoleSessionName": "s1"}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str(), e.status),
        (
            "AccessDenied",
            "Roles may not be assumed by root accounts.",
            Some(403)
        )
    );
    let admin = crate::api::test_support::admin_ctx(&iam, "admin");
    let out = sts(&iam, &admin, "AssumeRole", json!({"RoleArn": "arn:aws:iam::000000000000:role/media", "RoleSessionName": "s1", "DurationSeconds": 900})).unwrap();
    assert_eq!(
        out["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::000000000000:assumed-role/media/s1"
    );
    let key = out["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA"));
    let found = iam.lookup_key(key).unwrap();
    assert_eq!(
        found.session_token.as_deref(),
        out["Credentials"]["SessionToken"].as_str()
    );
    assert!(found.expires_at.is_some());
    let sess = RequestContext::new("r", found.principal, "us-east-1");
    let who = sts(&iam, &sess, "GetCallerIdentity", json!({})).unwrap();
    assert!(who["UserId"].as_str().unwrap().starts_with("AROA"));
    assert!(who["UserId"].as_str().unwrap().ends_with(":s1"));
    iam.authorize(
        &sess,
        &[service::Access::new(
            "ivs:CreateChannel",
            "arn:aws:ivs:us-east-1:000000000000:channel/*",
        )],
    )
    .unwrap();
    assert!(iam
        .authorize(&sess, &[service::Access::new("iam:ListUsers", "*")])
        .is_err());
    // A user without sts:AssumeRole permission cannot assume a role that trusts only the account.
    let bob = user_ctx(&iam, "bob");
    let e = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": "arn:aws:iam::000000000000:role/media", "RoleSessionName": "s2"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    let e = sts(&iam, &admin, "AssumeRole", json!({"RoleArn": "arn:aws:iam::000000000000:role/media", "RoleSessionName": "s1", "DurationSeconds": 7200})).unwrap_err();
    assert_eq!(
        e.message,
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    );
}

#[test]
fn restore_of_records_rebuilds_the_same_state() {
    let iam1 = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam1, "bob");
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    call(&iam1, &root, "CreateGroup", json!({"GroupName": "g"})).unwrap();
    call(
        &iam1,
        &root,
        "AddUserToGroup",
        json!({"GroupName": "g", "UserName": "bob"}),
    )
    .unwrap();
    call(
        &iam1,
        &root,
        "PutGroupPolicy",
        json!({"GroupName": "g", "PolicyName": "p", "PolicyDocument": doc}),
    )
    .unwrap();
    call(
        &iam1,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "cp", "PolicyDocument": doc}),
    )
    .unwrap();
    let iam2 = iam();
    for r in iam1.records() {
        iam2.restore(&r).unwrap();
    }
    assert_eq!(*iam1.state.read(), *iam2.state.read());
    assert!(iam2.lookup_key(&bob.principal.access_key_id).is_some());
    // The journal of a request replays to the same result.
    let iam3 = iam();
    let ctx = root_ctx();
    call(
        &iam1,
        &ctx,
        "DeleteGroupPolicy",
        json!({"GroupName": "g", "PolicyName": "p"}),
    )
    .unwrap();
    for r in iam1.records() {
        iam3.restore(&r).unwrap();
    }
    for (_, r) in ctx.journal.take() {
        iam3.restore(&r).unwrap();
    }
    assert_eq!(*iam1.state.read(), *iam3.state.read());
    iam2.reset();
    assert!(!iam2
        .state
        .read()
        .account(ACCOUNT)
        .unwrap()
        .users
        .contains_key("bob"));
}

#[test]
fn user_tags_are_resource_tags_of_iam_calls() {
    let iam = iam();
    let root = root_ctx();
    call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "tagged", "Tags": [{"Key": "team", "Value": "media"}]}),
    )
    .unwrap();
    let got = accesses(
        &iam.iam_service(),
        &root,
        "GetUser",
        &json!({"UserName": "tagged"}),
    )
    .unwrap();
    let ctx = &got[0].context;
    let has = |k: &str| {
        ctx.iter()
            .any(|(key, v)| key == k && *v == service::ContextValue::String("media".into()))
    };
    assert!(has("aws:ResourceTag/team"));
    assert!(has("iam:ResourceTag/team"));
    let create = accesses(
        &iam.iam_service(),
        &root,
        "CreateUser",
        &json!({"UserName": "x", "Path": "/a/", "Tags": [{"Key": "k", "Value": "v"}]}),
    )
    .unwrap();
    assert_eq!(create[0].resource, "arn:aws:iam::000000000000:user/a/x");
    assert!(create[0]
        .context
        .iter()
        .any(|(k, _)| k == "aws:RequestTag/k"));
    let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "tagged"})).unwrap();
    assert_eq!(listed["Tags"], json!([{"Key": "team", "Value": "media"}]));
    call(
        &iam,
        &root,
        "UntagUser",
        json!({"UserName": "tagged", "TagKeys": ["TEAM"]}),
    )
    .unwrap();
    let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "tagged"})).unwrap();
    assert_eq!(listed["Tags"], json!([]));
    // Listed and shown sorted by key, whatever order they were added in.
    call(
        &iam,
        &root,
        "TagUser",
        json!({"UserName": "tagged", "Tags": [{"Key": "team", "Value": "1"}, {"Key": "Cost", "Value": "2"}]}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "TagUser",
        json!({"UserName": "tagged", "Tags": [{"Key": "env", "Value": "3"}]}),
    )
    .unwrap();
    let sorted = json!([{"Key": "Cost", "Value": "2"}, {"Key": "env", "Value": "3"}, {"Key": "team", "Value": "1"}]);
    let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "tagged"})).unwrap();
    assert_eq!(listed["Tags"], sorted);
    let page = call(
        &iam,
        &root,
        "ListUserTags",
        json!({"UserName": "tagged", "MaxItems": 2}),
    )
    .unwrap();
    assert_eq!(page["Tags"], json!([sorted[0], sorted[1]]));
    let got = call(&iam, &root, "GetUser", json!({"UserName": "tagged"})).unwrap();
    assert_eq!(got["User"]["Tags"], sorted);
}

#[test]
fn inline_policies_are_url_encoded_and_block_deletion() {
    let iam = iam();
    let root = root_ctx();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ivs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
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
        json!({"RoleName": "r", "PolicyName": "p", "PolicyDocument": doc}),
    )
    .unwrap();
    let got = call(
        &iam,
        &root,
        "GetRolePolicy",
        json!({"RoleName": "r", "PolicyName": "p"}),
    )
    .unwrap();
    assert_eq!(got["RoleName"], "r");
    assert_eq!(got["PolicyDocument"], crate::doc::url_encode(doc));
    let e = call(&iam, &root, "DeleteRole", json!({"RoleName": "r"})).unwrap_err();
    assert_eq!(
        e.message,
        "Cannot delete entity, must delete policies first."
    );
    let e = call(
        &iam,
        &root,
        "GetRolePolicy",
        json!({"RoleName": "r", "PolicyName": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "The role policy with name nope cannot be found.");
    call(
        &iam,
        &root,
        "DeleteRolePolicy",
        json!({"RoleName": "r", "PolicyName": "p"}),
    )
    .unwrap();
    call(&iam, &root, "DeleteRole", json!({"RoleName": "r"})).unwrap();
    let e = call(&iam, &root, "GetRole", json!({"RoleName": "r"})).unwrap_err();
    assert_eq!(e.message, "The role with name r cannot be found.");
}

#[test]
fn a_marker_of_list_roles_is_refused_by_list_users() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
    for i in 0..3 {
        call(
            &iam,
            &root,
            "CreateUser",
            json!({"UserName": format!("user{i}")}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "CreateRole",
            json!({"RoleName": format!("role{i}"), "AssumeRolePolicyDocument": trust}),
        )
        .unwrap();
    }
    let out = call(&iam, &root, "ListRoles", json!({"MaxItems": 1})).unwrap();
    let marker = out["Marker"].as_str().unwrap().to_string();
    let e = call(&iam, &root, "ListUsers", json!({"Marker": marker})).unwrap_err();
    assert_eq!(code_message(&e), ("ValidationError", "Invalid Marker."));
    let out = call(&iam, &root, "ListRoles", json!({"Marker": marker})).unwrap();
    assert_eq!(out["Roles"].as_array().unwrap().len(), 2);
}

#[test]
fn policy_arns_that_name_no_policy_are_invalid_input() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    // AWS: "ARN … is not valid." (InvalidInput, 400); a well-formed ARN of no policy stays
    // NoSuchEntity.
    for (op, input) in [
        (
            "GetPolicy",
            json!({"PolicyArn": "not-an-arn-but-long-enough"}),
        ),
        (
            "AttachUserPolicy",
            json!({"UserName": "bob", "PolicyArn": "arn:aws:iam::aws:policy/arn:aws:iam::aws:policy/AdministratorAccess"}),
        ),
        (
            "PutUserPermissionsBoundary",
            json!({"UserName": "bob", "PermissionsBoundary": "arn:aws:iam::000000000000:role/r"}),
        ),
        (
            "CreateUser",
            json!({"UserName": "carol", "PermissionsBoundary": "boundary"}),
        ),
    ] {
        let e = call(&iam, &root, op, input.clone()).unwrap_err();
        let arn = input
            .get("PolicyArn")
            .or_else(|| input.get("PermissionsBoundary"))
            .and_then(|v| v.as_str())
            .unwrap();
        assert_eq!(
            code_message(&e),
            ("InvalidInput", format!("ARN {arn} is not valid.").as_str()),
            "{op}"
        );
    }
    let e = call(&iam, &root, "GetUser", json!({"UserName": "carol"})).unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    let e = call(
        &iam,
        &root,
        "GetPolicy",
        json!({"PolicyArn": "arn:aws:iam::000000000000:policy/none"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
}

#[test]
fn trust_policies_name_federated_providers_that_exist() {
    let iam = iam();
    let root = root_ctx();
    let provider =
        "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithWebIdentity"}]})
    .to_string();
    // A role for EKS service accounts made before its OIDC provider: AWS refuses it.
    let e = call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "irsa", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "MalformedPolicyDocument",
            format!("Invalid principal in policy: \"Federated\":\"{provider}\"").as_str()
        )
    );
    call(
        &iam,
        &root,
        "CreateOpenIDConnectProvider",
        json!({"Url": "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
               "ClientIDList": ["sts.amazonaws.com"],
               "ThumbprintList": ["6938fd4d98bab03faadb97b34396831e3780aea1"]}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "irsa", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    // Web identity providers named by host are not IAM entities.
    let google = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]})
    .to_string();
    call(
        &iam,
        &root,
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "irsa", "PolicyDocument": google}),
    )
    .unwrap();
    let saml = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "arn:aws:iam::000000000000:saml-provider/corp"}, "Action": "sts:AssumeRoleWithSAML"}]})
    .to_string();
    let e = call(
        &iam,
        &root,
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "irsa", "PolicyDocument": saml}),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedPolicyDocument");
}
