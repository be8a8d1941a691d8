//! IAM and STS end to end with the real SDK: users, keys, policies, calling as the user,
//! AssumeRole sessions, the policy simulator and AWS's exact AccessDenied messages.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use common::TestServer;

#[tokio::test]
async fn a_user_acts_with_exactly_its_policies() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let created = iam.create_user().user_name("alice").send().await.unwrap();
    let user = created.user.unwrap();
    assert_eq!(user.arn, "arn:aws:iam::000000000000:user/alice");
    assert!(user.user_id.starts_with("AIDA"), "{}", user.user_id);
    let key = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .unwrap()
        .access_key
        .unwrap();
    assert!(key.access_key_id.starts_with("AKIA"));

    // No policy yet: IVS refuses with AWS's message.
    let as_alice = server
        .sdk_config(&key.access_key_id, &key.secret_access_key)
        .await;
    let ivs = aws_sdk_ivs::Client::new(&as_alice);
    let err = ivs.list_channels().send().await.expect_err("denied");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ivs:ListChannels on resource: arn:aws:ivs:us-west-2:000000000000:channel/* because no identity-based policy allows the ivs:ListChannels action")
    );

    // An inline policy allows it.
    iam.put_user_policy()
        .user_name("alice")
        .policy_name("ivs-read")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ivs:List*","ivs:Get*"],"Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    ivs.list_channels().send().await.expect("allowed now");

    // An explicit deny in an attached managed policy wins.
    let policy = iam
        .create_policy()
        .policy_name("no-list")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ivs:ListChannels","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy
        .unwrap();
    iam.attach_user_policy()
        .user_name("alice")
        .policy_arn(policy.arn.unwrap())
        .send()
        .await
        .unwrap();
    let err = ivs.list_channels().send().await.expect_err("denied");
    assert!(
        err.message()
            .unwrap()
            .ends_with("with an explicit deny in an identity-based policy"),
        "{:?}",
        err.message()
    );

    // IAM itself is authorized too: alice may not create users.
    let iam_as_alice = aws_sdk_iam::Client::new(&as_alice);
    let err = iam_as_alice
        .create_user()
        .user_name("mallory")
        .send()
        .await
        .expect_err("denied");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(
        err.message()
            .unwrap()
            .contains("iam:CreateUser on resource: arn:aws:iam::000000000000:user/mallory"),
        "{:?}",
        err.message()
    );
}

#[tokio::test]
async fn iam_errors_are_aws_errors() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let err = iam
        .get_user()
        .user_name("nobody")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert_eq!(
        err.message(),
        Some("The user with name nobody cannot be found.")
    );
    iam.create_user().user_name("bob").send().await.unwrap();
    let err = iam
        .create_user()
        .user_name("bob")
        .send()
        .await
        .expect_err("exists");
    assert_eq!(err.code(), Some("EntityAlreadyExists"));
    let err = iam
        .create_policy()
        .policy_name("bad")
        .policy_document("{not json")
        .send()
        .await
        .expect_err("malformed");
    assert_eq!(err.code(), Some("MalformedPolicyDocument"));
    // A permissions boundary naming no policy is a missing "Scope ARN", 404.
    let err = iam
        .create_role()
        .role_name("bounded")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .permissions_boundary("arn:aws:iam::000000000000:policy/nope")
        .send()
        .await
        .expect_err("no such boundary");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert_eq!(
        err.message(),
        Some(
            "Scope ARN: arn:aws:iam::000000000000:policy/nope does not exist or is not attachable."
        )
    );
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    // A control character echoed into the message still gives a document the SDK parses
    // (XML 1.0 forbids it even escaped): a policy ARN IAM cannot read is echoed back.
    let err = iam
        .get_policy()
        .policy_arn("arn:aws:iam::000000000000:policy/a\u{0}b\u{1b}")
        .send()
        .await
        .expect_err("invalid ARN");
    assert_eq!(err.code(), Some("InvalidInput"), "{err:?}");
    assert!(
        err.message()
            .is_some_and(|m| m.contains("a\u{FFFD}b\u{FFFD}")),
        "{err:?}"
    );
    // A name of characters IAM does not allow (a role ARN where a name goes) is answered in
    // IAM's own words, as AWS answers GetRole given an ARN.
    let err = iam
        .get_role()
        .role_name("arn:aws:iam::000000000000:role/app")
        .send()
        .await
        .expect_err("an ARN is no role name");
    assert_eq!(err.code(), Some("ValidationError"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-")
    );
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
}

#[tokio::test]
async fn root_get_user_and_list_access_keys_give_the_account_and_its_key() {
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let user = iam.get_user().send().await.expect("root's own user");
    let user = user.user().expect("user");
    assert_eq!(user.arn(), "arn:aws:iam::000000000000:root");
    assert_eq!(user.user_id(), "000000000000");
    // The account was made when the server's state was: not the epoch.
    let created = user.create_date().secs();
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (before - 1..=after).contains(&created),
        "{created} not in {before}..={after}"
    );
    // A second look gives the same date.
    let again = iam.get_user().send().await.unwrap();
    assert_eq!(again.user().unwrap().create_date().secs(), created);
    // Without a user name, root lists its own access key (as AWS documents), of that date.
    let keys = iam
        .list_access_keys()
        .send()
        .await
        .expect("root's own keys");
    let keys = keys.access_key_metadata();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0].access_key_id(), Some("test"));
    assert_eq!(keys[0].user_name(), None);
    assert_eq!(keys[0].status().map(|s| s.as_str()), Some("Active"));
    assert_eq!(keys[0].create_date().map(|d| d.secs()), Some(created));
}

#[tokio::test]
async fn root_manages_its_own_access_keys_and_signing_certificates() {
    // AWS: CreateAccessKey/UpdateAccessKey/DeleteAccessKey without a user name "manage AWS
    // account root user credentials"; root has at most two keys.
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let made = iam
        .create_access_key()
        .send()
        .await
        .expect("root makes its own key");
    let key = made.access_key().expect("key");
    let (id, secret) = (
        key.access_key_id().to_string(),
        key.secret_access_key().to_string(),
    );
    assert!(id.starts_with("AKIA") && id.len() == 20, "{id}");
    let with_new_key = server.sdk_config(&id, &secret).await;
    let sts = aws_sdk_sts::Client::new(&with_new_key);
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .expect("the new key signs");
    assert_eq!(me.arn(), Some("arn:aws:iam::000000000000:root"));
    let third = iam.create_access_key().send().await;
    assert_eq!(common::code_of(third).as_deref(), Some("LimitExceeded"));
    let listed = iam.list_access_keys().send().await.unwrap();
    let mut ids: Vec<&str> = listed
        .access_key_metadata()
        .iter()
        .filter_map(|k| k.access_key_id())
        .collect();
    ids.sort();
    assert_eq!(ids, vec![id.as_str(), "test"]);

    iam.update_access_key()
        .access_key_id(&id)
        .status(aws_sdk_iam::types::StatusType::Inactive)
        .send()
        .await
        .expect("root deactivates its key");
    let refused = sts.get_caller_identity().send().await;
    assert_eq!(
        refused.expect_err("an inactive key").code(),
        Some("InvalidClientTokenId")
    );
    iam.update_access_key()
        .access_key_id(&id)
        .status(aws_sdk_iam::types::StatusType::Active)
        .send()
        .await
        .unwrap();
    sts.get_caller_identity()
        .send()
        .await
        .expect("active again");

    // Root deletes the key it signs with: its next request is refused, the other key works.
    aws_sdk_iam::Client::new(&with_new_key)
        .delete_access_key()
        .access_key_id(&id)
        .send()
        .await
        .expect("root deletes a key of its own");
    let gone = sts.get_caller_identity().send().await;
    assert_eq!(
        gone.expect_err("a deleted key").code(),
        Some("InvalidClientTokenId")
    );
    let left = iam.list_access_keys().send().await.unwrap();
    assert_eq!(left.access_key_metadata().len(), 1);
    assert_eq!(left.access_key_metadata()[0].access_key_id(), Some("test"));
    iam.create_access_key()
        .send()
        .await
        .expect("a second key again");

    // Its signing certificates likewise.
    let cert = iam
        .upload_signing_certificate()
        .certificate_body(include_str!("../../crates/iam/fixtures/signing-cert-1.pem"))
        .send()
        .await
        .expect("root uploads its own certificate");
    let id = cert
        .certificate()
        .expect("certificate")
        .certificate_id()
        .to_string();
    let listed = iam.list_signing_certificates().send().await.unwrap();
    assert_eq!(listed.certificates().len(), 1);
    assert_eq!(listed.certificates()[0].certificate_id(), id);
    iam.delete_signing_certificate()
        .certificate_id(&id)
        .send()
        .await
        .expect("root deletes its certificate");
    let listed = iam.list_signing_certificates().send().await.unwrap();
    assert!(listed.certificates().is_empty());
}

#[tokio::test]
async fn assume_role_gives_a_working_session() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let (key, secret) = server.user_with_key("carol").await;
    iam.put_user_policy()
        .user_name("carol")
        .policy_name("assume")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::000000000000:role/streamer"}]}"#)
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("streamer")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/carol"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("streamer")
        .policy_name("ivs")
        .policy_document(common::ALLOW_IVS)
        .send()
        .await
        .unwrap();
    let sts = aws_sdk_sts::Client::new(&server.sdk_config(&key, &secret).await);
    let assumed = sts
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/streamer")
        .role_session_name("show")
        .send()
        .await
        .expect("assumed");
    let creds = assumed.credentials.unwrap();
    assert!(creds.access_key_id.starts_with("ASIA"));
    assert_eq!(
        assumed.assumed_role_user.unwrap().arn,
        "arn:aws:sts::000000000000:assumed-role/streamer/show"
    );
    let session = server
        .sdk_config_with_token(
            &creds.access_key_id,
            &creds.secret_access_key,
            Some(&creds.session_token),
        )
        .await;
    let me = aws_sdk_sts::Client::new(&session)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/streamer/show")
    );
    aws_sdk_ivs::Client::new(&session)
        .list_channels()
        .send()
        .await
        .expect("the role allows ivs");
    // The role's last use shows in GetRole and in GetAccountAuthorizationDetails alike.
    let used = iam
        .get_role()
        .role_name("streamer")
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .role_last_used
        .unwrap();
    assert!(used.last_used_date.is_some());
    let details = iam
        .get_account_authorization_details()
        .filter(aws_sdk_iam::types::EntityType::Role)
        .send()
        .await
        .unwrap();
    let detail = details
        .role_detail_list()
        .iter()
        .find(|r| r.role_name() == Some("streamer"))
        .unwrap();
    assert_eq!(detail.role_last_used(), Some(&used));
    // The session token is required with the session key.
    let no_token = server
        .sdk_config(&creds.access_key_id, &creds.secret_access_key)
        .await;
    let err = aws_sdk_sts::Client::new(&no_token)
        .get_caller_identity()
        .send()
        .await
        .expect_err("token missing");
    assert_eq!(err.code(), Some("InvalidClientTokenId"));

    // A user the trust policy does not name is refused.
    let (key2, secret2) = server.user_with_key("dave").await;
    iam.put_user_policy()
        .user_name("dave")
        .policy_name("assume")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let err = aws_sdk_sts::Client::new(&server.sdk_config(&key2, &secret2).await)
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/streamer")
        .role_session_name("intruder")
        .send()
        .await
        .expect_err("not trusted");
    assert_eq!(err.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn the_policy_simulator_explains_decisions() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let custom = iam
        .simulate_custom_policy()
        .policy_input_list(r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadOwn","Effect":"Allow","Action":"ivs:GetChannel","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/Owner":"alice"}}}]}"#)
        .action_names("ivs:GetChannel")
        .action_names("ivs:DeleteChannel")
        .resource_arns("arn:aws:ivs:us-west-2:000000000000:channel/abcdABCD1234")
        .context_entries(
            aws_sdk_iam::types::ContextEntry::builder()
                .context_key_name("aws:ResourceTag/Owner")
                .context_key_type(aws_sdk_iam::types::ContextKeyTypeEnum::String)
                .context_key_values("alice")
                .build(),
        )
        .send()
        .await
        .expect("simulated");
    let results = custom.evaluation_results();
    assert_eq!(results.len(), 2);
    let get = results
        .iter()
        .find(|r| r.eval_action_name == "ivs:GetChannel")
        .unwrap();
    assert_eq!(get.eval_decision.as_str(), "allowed");
    assert_eq!(get.matched_statements().len(), 1);
    let delete = results
        .iter()
        .find(|r| r.eval_action_name == "ivs:DeleteChannel")
        .unwrap();
    assert_eq!(delete.eval_decision.as_str(), "implicitDeny");

    iam.create_user().user_name("erin").send().await.unwrap();
    iam.put_user_policy()
        .user_name("erin")
        .policy_name("deny-delete")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"},{"Effect":"Deny","Action":"ivs:DeleteChannel","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let principal = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/erin")
        .action_names("ivs:DeleteChannel")
        .action_names("ivs:CreateChannel")
        .send()
        .await
        .expect("simulated");
    let by_action = |a: &str| {
        principal
            .evaluation_results()
            .iter()
            .find(|r| r.eval_action_name == a)
            .unwrap()
            .eval_decision
            .as_str()
            .to_string()
    };
    assert_eq!(by_action("ivs:DeleteChannel"), "explicitDeny");
    assert_eq!(by_action("ivs:CreateChannel"), "allowed");

    // The context keys a simulation needs, as AWS lists them (the CLI reference's example).
    let keys = iam
        .get_context_keys_for_custom_policy()
        .policy_input_list(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}"#)
        .send()
        .await
        .expect("keys");
    assert_eq!(
        keys.context_key_names(),
        ["aws:username", "aws:CurrentTime"]
    );
    let err = iam
        .get_context_keys_for_custom_policy()
        .policy_input_list(r#"{"Version":"2012-10-17"}"#)
        .send()
        .await
        .expect_err("not a policy");
    assert_eq!(err.code(), Some("InvalidInput"));
    // A user's keys include its groups' policies; the input's come after.
    iam.create_group().group_name("ops").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("ops")
        .user_name("erin")
        .send()
        .await
        .unwrap();
    iam.put_group_policy()
        .group_name("ops")
        .policy_name("from-office")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}"#)
        .send()
        .await
        .unwrap();
    let keys = iam
        .get_context_keys_for_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/erin")
        .policy_input_list(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}"#)
        .send()
        .await
        .expect("keys");
    assert_eq!(
        keys.context_key_names(),
        ["aws:SourceIp", "aws:MultiFactorAuthPresent"]
    );
    // A principal that does not exist is not simulated or read as one without policies.
    let err = iam
        .get_context_keys_for_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/nobody")
        .send()
        .await
        .expect_err("no such user");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert_eq!(
        err.message(),
        Some("The user with name nobody cannot be found.")
    );
    let err = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:role/nobody")
        .action_names("ivs:GetChannel")
        .send()
        .await
        .expect_err("no such role");
    assert_eq!(err.code(), Some("NoSuchEntity"));
}

#[tokio::test]
async fn customer_managed_policies_take_tags_that_conditions_see() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}}"#;
    let arn = |name: &str| format!("arn:aws:iam::000000000000:policy/{name}");
    for name in ["blue", "plain"] {
        iam.create_policy()
            .policy_name(name)
            .policy_document(doc)
            .send()
            .await
            .unwrap();
    }
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .unwrap()
    };
    iam.tag_policy()
        .policy_arn(arn("blue"))
        .tags(tag("team", "blue"))
        .tags(tag("env", "dev"))
        .send()
        .await
        .expect("tagged");
    iam.tag_policy()
        .policy_arn(arn("blue"))
        .tags(tag("Team", "azure"))
        .send()
        .await
        .expect("a key in another case is another key");
    let listed = iam
        .list_policy_tags()
        .policy_arn(arn("blue"))
        .send()
        .await
        .unwrap();
    let pairs: Vec<(&str, &str)> = listed.tags().iter().map(|t| (t.key(), t.value())).collect();
    // A customer managed policy's keys are case-sensitive (IAM User Guide, id_tags, "Case
    // sensitivity": "the policy will have both the Costcenter and costcenter tag keys").
    // Sorted ("The returned list of tags is sorted by tag key"), not in the order they were
    // added: for a policy shorter keys first, as AWS answered ListPolicyTags in LocalStack's
    // recordings (test_iam_policies `test_policy_tag_order`: a, b, z, abc).
    assert_eq!(pairs, [("env", "dev"), ("Team", "azure"), ("team", "blue")]);
    let got = iam
        .get_policy()
        .policy_arn(arn("blue"))
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy().unwrap().tags().len(), 3);
    for key in ["ENV", "team"] {
        iam.untag_policy()
            .policy_arn(arn("blue"))
            .tag_keys(key)
            .send()
            .await
            .expect("untagged");
    }
    let listed = iam
        .list_policy_tags()
        .policy_arn(arn("blue"))
        .send()
        .await
        .unwrap();
    let pairs: Vec<(&str, &str)> = listed.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(
        pairs,
        [("env", "dev"), ("Team", "azure")],
        "only the exact key is removed"
    );

    // AWS's own policies take no tags; a policy that does not exist is not found.
    let err = iam
        .tag_policy()
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .tags(tag("team", "blue"))
        .send()
        .await
        .expect_err("AWS managed");
    assert_eq!(err.code(), Some("InvalidInput"));
    assert_eq!(
        err.message(),
        Some("Tags not supported for policies in this domain")
    );
    let err = iam
        .list_policy_tags()
        .policy_arn(arn("missing"))
        .send()
        .await
        .expect_err("missing");
    assert_eq!(err.code(), Some("NoSuchEntity"));

    // A user may read only the policies tagged for its team: the tag is the resource's.
    let (key_id, secret) = server
        .user_with_policy("reader", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetPolicy","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/Team":"azure"}}}}"#)
        .await;
    let as_reader = aws_sdk_iam::Client::new(&server.sdk_config(&key_id, &secret).await);
    as_reader
        .get_policy()
        .policy_arn(arn("blue"))
        .send()
        .await
        .expect("tagged for the team");
    let err = as_reader
        .get_policy()
        .policy_arn(arn("plain"))
        .send()
        .await
        .expect_err("untagged");
    assert_eq!(err.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn a_user_may_read_only_its_own_iam_identity() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let (key, secret) = server.user_with_key("frank").await;
    iam.create_user().user_name("grace").send().await.unwrap();
    iam.put_user_policy()
        .user_name("frank")
        .policy_name("self")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::*:user/${aws:username}"},{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let as_frank = aws_sdk_iam::Client::new(&server.sdk_config(&key, &secret).await);
    let me = as_frank.get_user().send().await.expect("own user");
    assert_eq!(me.user.unwrap().user_name, "frank");
    as_frank.list_access_keys().send().await.expect("own keys");
    let err = as_frank
        .get_user()
        .user_name("grace")
        .send()
        .await
        .expect_err("not own");
    assert_eq!(err.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn aws_managed_policies_are_readable_and_page_through_once() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let got = iam
        .get_policy()
        .policy_arn("arn:aws:iam::aws:policy/IVSReadOnlyAccess")
        .send()
        .await
        .expect("AWS managed policies belong to no other account");
    assert_eq!(
        got.policy.unwrap().policy_name.as_deref(),
        Some("IVSReadOnlyAccess")
    );
    let mut names = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = iam
            .list_policies()
            .scope(aws_sdk_iam::types::PolicyScopeType::Aws)
            .max_items(250)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        names.extend(page.policies().iter().filter_map(|p| p.arn.clone()));
        if !page.is_truncated {
            break;
        }
        marker = page.marker;
    }
    let unique: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no policy is listed twice");
    assert!(
        names.len() > 1000,
        "all AWS managed policies: {}",
        names.len()
    );
    assert!(names
        .iter()
        .any(|n| n == "arn:aws:iam::aws:policy/AdministratorAccess"));
}

#[tokio::test]
async fn a_bootstrap_file_declares_identities_for_ci() {
    let path =
        std::env::temp_dir().join(format!("mediamock-bootstrap-{}.toml", std::process::id()));
    std::fs::write(
        &path,
        r#"
[[accounts]]
id = "111111111111"
root_access_key = "AKIAROOT111111111111"
root_secret_key = "rootsecret"

[[accounts.users]]
name = "ci"
access_keys = [{ id = "AKIACI00000000000001", secret = "cisecret" }]
managed_policies = ["arn:aws:iam::aws:policy/IVSReadOnlyAccess"]
"#,
    )
    .unwrap();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(path.clone());
    let server = TestServer::start_with(config).await;
    let ci = server.sdk_config("AKIACI00000000000001", "cisecret").await;
    let me = aws_sdk_sts::Client::new(&ci)
        .get_caller_identity()
        .send()
        .await
        .expect("the declared key works");
    assert_eq!(me.arn(), Some("arn:aws:iam::111111111111:user/ci"));
    let ivs = aws_sdk_ivs::Client::new(&ci);
    ivs.list_channels()
        .send()
        .await
        .expect("read-only allows listing");
    let err = ivs
        .create_channel()
        .name("x")
        .send()
        .await
        .expect_err("read-only");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let root = server
        .sdk_config("AKIAROOT111111111111", "rootsecret")
        .await;
    let me = aws_sdk_sts::Client::new(&root)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.arn(), Some("arn:aws:iam::111111111111:root"));
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_reset_keeps_the_bootstrap_identities() {
    let path = std::env::temp_dir().join(format!(
        "mediamock-bootstrap-reset-{}.toml",
        std::process::id()
    ));
    std::fs::write(
        &path,
        r#"
[[accounts]]
id = "000000000000"

[[accounts.users]]
name = "declared"
access_keys = [{ id = "AKIADECLARED00000001", secret = "declaredsecret" }]
"#,
    )
    .unwrap();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(path.clone());
    let server = TestServer::start_with(config).await;
    let iam = aws_sdk_iam::Client::new(&server.sdk_config("test", "test").await);
    iam.create_user()
        .user_name("ephemeral")
        .send()
        .await
        .unwrap();
    let (status, body) = server
        .admin(
            "POST",
            "/_mediamock/reset",
            serde_json::Value::Null,
            "test",
            "test",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let err = iam
        .get_user()
        .user_name("ephemeral")
        .send()
        .await
        .expect_err("reset");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    let declared = server
        .sdk_config("AKIADECLARED00000001", "declaredsecret")
        .await;
    let me = aws_sdk_sts::Client::new(&declared)
        .get_caller_identity()
        .send()
        .await
        .expect("the declared key survives a reset");
    assert_eq!(me.arn(), Some("arn:aws:iam::000000000000:user/declared"));
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn instance_profiles_hold_one_role_and_keep_it_from_deletion() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#;
    for role in ["web", "batch"] {
        iam.create_role()
            .role_name(role)
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
    }
    let created = iam
        .create_instance_profile()
        .instance_profile_name("Web")
        .path("/app/")
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("a")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("created")
        .instance_profile
        .unwrap();
    assert_eq!(
        created.arn,
        "arn:aws:iam::000000000000:instance-profile/app/Web"
    );
    assert!(created.instance_profile_id.starts_with("AIPA"));
    assert!(created.roles.is_empty());
    let err = iam
        .create_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .expect_err("names compare case-insensitively");
    assert_eq!(err.code(), Some("EntityAlreadyExists"));
    assert_eq!(err.message(), Some("Instance Profile web already exists."));

    iam.add_role_to_instance_profile()
        .instance_profile_name("Web")
        .role_name("web")
        .send()
        .await
        .expect("added");
    let err = iam
        .add_role_to_instance_profile()
        .instance_profile_name("Web")
        .role_name("batch")
        .send()
        .await
        .expect_err("one role per profile");
    assert_eq!(err.code(), Some("LimitExceeded"));
    assert_eq!(
        err.message(),
        Some("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
    );
    let got = iam
        .get_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await
        .unwrap()
        .instance_profile
        .unwrap();
    assert_eq!(got.roles.len(), 1);
    assert_eq!(got.roles[0].role_name, "web");
    assert!(got.roles[0].assume_role_policy_document.is_some());
    assert_eq!(got.tags().len(), 1);
    let for_role = iam
        .list_instance_profiles_for_role()
        .role_name("web")
        .send()
        .await
        .unwrap();
    assert_eq!(for_role.instance_profiles().len(), 1);
    assert!(iam
        .list_instance_profiles_for_role()
        .role_name("batch")
        .send()
        .await
        .unwrap()
        .instance_profiles()
        .is_empty());
    let listed = iam
        .list_instance_profiles()
        .path_prefix("/app/")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.instance_profiles().len(), 1);
    assert!(listed.instance_profiles()[0].tags().is_empty());
    let details = iam
        .get_account_authorization_details()
        .filter(aws_sdk_iam::types::EntityType::Role)
        .send()
        .await
        .unwrap();
    let web = details
        .role_detail_list()
        .iter()
        .find(|r| r.role_name() == Some("web"))
        .unwrap();
    assert_eq!(web.instance_profile_list().len(), 1);
    let summary = iam.get_account_summary().send().await.unwrap();
    assert_eq!(
        summary.summary_map().unwrap()[&aws_sdk_iam::types::SummaryKeyType::InstanceProfiles],
        1
    );

    // The role cannot go, nor the profile, while one holds the other.
    let err = iam
        .delete_role()
        .role_name("web")
        .send()
        .await
        .expect_err("in a profile");
    assert_eq!(err.code(), Some("DeleteConflict"));
    assert_eq!(
        err.message(),
        Some("Cannot delete entity, must remove roles from instance profile first.")
    );
    let err = iam
        .delete_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await
        .expect_err("holds a role");
    assert_eq!(err.code(), Some("DeleteConflict"));

    // An IAM user may add a role only if it may also pass the role to EC2.
    let (key_id, secret) = server
        .user_with_policy("ops", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:AddRoleToInstanceProfile","iam:CreateInstanceProfile"],"Resource":"*"}}"#)
        .await;
    let as_ops = aws_sdk_iam::Client::new(&server.sdk_config(&key_id, &secret).await);
    as_ops
        .create_instance_profile()
        .instance_profile_name("Batch")
        .send()
        .await
        .expect("allowed");
    let err = as_ops
        .add_role_to_instance_profile()
        .instance_profile_name("Batch")
        .role_name("batch")
        .send()
        .await
        .expect_err("no PassRole");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/ops is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role/batch because no identity-based policy allows the iam:PassRole action")
    );
    iam.put_user_policy()
        .user_name("ops")
        .policy_name("pass")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}}"#)
        .send()
        .await
        .unwrap();
    as_ops
        .add_role_to_instance_profile()
        .instance_profile_name("Batch")
        .role_name("batch")
        .send()
        .await
        .expect("allowed with PassRole to EC2");

    // Emptied, both go.
    let err = iam
        .remove_role_from_instance_profile()
        .instance_profile_name("Web")
        .role_name("batch")
        .send()
        .await
        .expect_err("not in this profile");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    iam.remove_role_from_instance_profile()
        .instance_profile_name("Web")
        .role_name("web")
        .send()
        .await
        .expect("removed");
    iam.delete_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await
        .expect("deleted");
    iam.delete_role()
        .role_name("web")
        .send()
        .await
        .expect("free");
    let err = iam
        .get_instance_profile()
        .instance_profile_name("Web")
        .send()
        .await
        .expect_err("gone");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    assert_eq!(err.message(), Some("Instance Profile Web cannot be found."));
}

#[tokio::test]
async fn renaming_a_group_or_user_needs_both_names_and_carries_everything_along() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_group().group_name("devs").send().await.unwrap();
    let id = iam
        .get_group()
        .group_name("devs")
        .send()
        .await
        .unwrap()
        .group
        .unwrap()
        .group_id;
    iam.create_user().user_name("carol").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("devs")
        .user_name("carol")
        .send()
        .await
        .unwrap();
    iam.put_group_policy()
        .group_name("devs")
        .policy_name("read")
        .policy_document(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:Get*","Resource":"*"}}"#)
        .send()
        .await
        .unwrap();

    // A user allowed UpdateGroup on the old name only may not give it a new one.
    let (key_id, secret) = server
        .user_with_policy("admin", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:UpdateGroup","iam:UpdateUser"],"Resource":["arn:aws:iam::000000000000:group/devs","arn:aws:iam::000000000000:user/carol"]}}"#)
        .await;
    let as_admin = aws_sdk_iam::Client::new(&server.sdk_config(&key_id, &secret).await);
    let err = as_admin
        .update_group()
        .group_name("devs")
        .new_group_name("engineers")
        .new_path("/eng/")
        .send()
        .await
        .expect_err("not on the new name");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/admin is not authorized to perform: iam:UpdateGroup on resource: arn:aws:iam::000000000000:group/eng/engineers because no identity-based policy allows the iam:UpdateGroup action")
    );
    let err = as_admin
        .update_user()
        .user_name("carol")
        .new_user_name("caroline")
        .send()
        .await
        .expect_err("not on the new name");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(err
        .message()
        .unwrap()
        .contains("on resource: arn:aws:iam::000000000000:user/caroline "));

    // Root renames it: same ID, policies and members, under the new name and path.
    iam.update_group()
        .group_name("devs")
        .new_group_name("engineers")
        .new_path("/eng/")
        .send()
        .await
        .expect("renamed");
    let got = iam
        .get_group()
        .group_name("engineers")
        .send()
        .await
        .unwrap();
    let group = got.group.as_ref().unwrap();
    assert_eq!(group.group_id, id);
    assert_eq!(group.arn, "arn:aws:iam::000000000000:group/eng/engineers");
    assert_eq!(got.users().len(), 1);
    let of_carol = iam
        .list_groups_for_user()
        .user_name("carol")
        .send()
        .await
        .unwrap();
    assert_eq!(of_carol.groups()[0].group_name, "engineers");
    let policies = iam
        .list_group_policies()
        .group_name("engineers")
        .send()
        .await
        .unwrap();
    assert_eq!(policies.policy_names(), ["read"]);
    let err = iam
        .get_group()
        .group_name("devs")
        .send()
        .await
        .expect_err("old name gone");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    iam.create_group().group_name("ops").send().await.unwrap();
    let err = iam
        .update_group()
        .group_name("ops")
        .new_group_name("Engineers")
        .send()
        .await
        .expect_err("taken");
    assert_eq!(err.code(), Some("EntityAlreadyExists"));
}

/// An account alias must have the model's form (lowercase letters, digits and single hyphens
/// between them); its pattern needs lookahead, which the checks once skipped.
#[tokio::test]
async fn an_account_alias_of_another_form_is_refused_as_aws_refuses_it() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    for bad in ["BadAlias", "-bad", "ab--cd"] {
        let err = root
            .create_account_alias()
            .account_alias(bad)
            .send()
            .await
            .expect_err(bad);
        assert_eq!(err.code(), Some("ValidationError"), "{bad}");
        assert_eq!(
            err.message().unwrap(),
            // Without the value, as IAM words its validation failures now.
            "1 validation error detected: Value at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"
        );
    }
    root.create_account_alias()
        .account_alias("media-ci-1")
        .send()
        .await
        .expect("AWS's form");
    let aliases = root.list_account_aliases().send().await.unwrap();
    assert_eq!(aliases.account_aliases(), ["media-ci-1"]);
}

/// UpdateRole answers an empty result (its output shape has no members) and changes the
/// role; UpdateRoleDescription answers the role. UpdateRole once failed with a 500 after
/// applying the change (found replaying the AWS CLI's IAM examples).
#[tokio::test]
async fn update_role_answers_nothing_and_update_role_description_the_role() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = EC2_TRUST;
    iam.create_role()
        .role_name("Test-Role")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.update_role()
        .role_name("Test-Role")
        .description("Test Role")
        .max_session_duration(7200)
        .send()
        .await
        .expect("UpdateRole");
    let role = get_role(&iam, "Test-Role").await;
    assert_eq!(role.description(), Some("Test Role"));
    assert_eq!(role.max_session_duration(), Some(7200));
    let described = iam
        .update_role_description()
        .role_name("Test-Role")
        .description("Renamed")
        .send()
        .await
        .expect("UpdateRoleDescription")
        .role
        .unwrap();
    assert_eq!(described.description(), Some("Renamed"));
    assert_eq!(described.role_name(), "Test-Role");
}

/// AWS's answers leave members out where its API Reference and the CLI's examples show:
/// listings (ListUsers, GetGroup's users, ListPolicies, ListVirtualMFADevices) show no tags,
/// boundaries or descriptions, CreateRole no session duration, CreateServiceLinkedRole no
/// description; the Get operations show them all.
#[tokio::test]
async fn listings_and_creations_answer_the_members_aws_answers() {
    use aws_sdk_iam::types::Tag;
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let tag = Tag::builder()
        .key("Department")
        .value("Media")
        .build()
        .unwrap();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:Get*","Resource":"*"}]}"#;
    let boundary = iam
        .create_policy()
        .policy_name("billing-access")
        .policy_document(policy)
        .description("Read channels")
        .tags(tag.clone())
        .send()
        .await
        .unwrap()
        .policy
        .unwrap()
        .arn
        .unwrap();
    iam.create_user()
        .user_name("Alice")
        .tags(tag.clone())
        .permissions_boundary(&boundary)
        .send()
        .await
        .unwrap();
    iam.create_group()
        .group_name("editors")
        .send()
        .await
        .unwrap();
    iam.add_user_to_group()
        .group_name("editors")
        .user_name("Alice")
        .send()
        .await
        .unwrap();
    iam.create_virtual_mfa_device()
        .virtual_mfa_device_name("alice")
        .tags(tag.clone())
        .send()
        .await
        .unwrap();

    let user = iam
        .get_user()
        .user_name("Alice")
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.tags().len(), 1);
    assert!(user.permissions_boundary().is_some());
    let listed = iam.list_users().send().await.unwrap();
    let alice = listed
        .users()
        .iter()
        .find(|u| u.user_name() == "Alice")
        .unwrap();
    assert!(alice.tags().is_empty() && alice.permissions_boundary().is_none());
    let group = iam.get_group().group_name("editors").send().await.unwrap();
    assert!(group.users()[0].tags().is_empty());
    assert!(group.users()[0].permissions_boundary().is_none());

    let got = iam.get_policy().policy_arn(&boundary).send().await.unwrap();
    let got = got.policy().unwrap();
    assert_eq!(got.description(), Some("Read channels"));
    assert_eq!(got.tags().len(), 1);
    let local = iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .send()
        .await
        .unwrap();
    let local = &local.policies()[0];
    assert!(local.description().is_none() && local.tags().is_empty());

    let devices = iam.list_virtual_mfa_devices().send().await.unwrap();
    assert!(devices.virtual_mfa_devices()[0].tags().is_empty());

    let trust = EC2_TRUST;
    let created = iam
        .create_role()
        .role_name("Test-Role")
        .assume_role_policy_document(trust)
        .max_session_duration(7200)
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(created.max_session_duration(), None);
    assert!(created.role_last_used().is_none());
    let role = get_role(&iam, "Test-Role").await;
    assert_eq!(role.max_session_duration(), Some(7200));

    let linked = iam
        .create_service_linked_role()
        .aws_service_name("lex.amazonaws.com")
        .description("My service-linked role to support Lex")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(linked.role_name(), "AWSServiceRoleForLexBots");
    assert_eq!(
        linked.arn(),
        "arn:aws:iam::000000000000:role/aws-service-role/lex.amazonaws.com/AWSServiceRoleForLexBots"
    );
    assert!(linked.description().is_none() && linked.max_session_duration().is_none());
    let kept = get_role(&iam, "AWSServiceRoleForLexBots").await;
    assert_eq!(
        kept.description(),
        Some("My service-linked role to support Lex")
    );
    // EKS managed node groups' role, by the name the EKS User Guide gives it.
    let nodegroup = iam
        .create_service_linked_role()
        .aws_service_name("eks-nodegroup.amazonaws.com")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(nodegroup.role_name(), "AWSServiceRoleForAmazonEKSNodegroup");
    let attached = iam
        .list_attached_role_policies()
        .role_name("AWSServiceRoleForAmazonEKSNodegroup")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some("arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForAmazonEKSNodegroup")
    );
    // ElastiCache's role keeps the service's own capitalization.
    let cache = iam
        .create_service_linked_role()
        .aws_service_name("elasticache.amazonaws.com")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(cache.role_name(), "AWSServiceRoleForElastiCache");
    let table = iam
        .create_service_linked_role()
        .aws_service_name("dynamodb.application-autoscaling.amazonaws.com")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(
        table.role_name(),
        "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
    );
}

/// The AWS CLI's simulate-custom-policy example, as AWS answers it: the matched statement
/// from column 38 to 167 of line 1, typed `IAM Policy` as boto3 answers quoted from AWS show.
#[tokio::test]
async fn the_simulator_places_a_matched_statement_as_aws_does() {
    use aws_sdk_iam::types::{ContextEntry, ContextKeyTypeEnum};
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}"#)
        .action_names("dynamodb:CreateBackup")
        .context_entries(
            ContextEntry::builder()
                .context_key_name("aws:CurrentTime")
                .context_key_values("2019-04-25T11:00:00Z")
                .context_key_type(ContextKeyTypeEnum::Date)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let result = &out.evaluation_results()[0];
    assert_eq!(result.eval_decision().as_str(), "allowed");
    let m = &result.matched_statements()[0];
    assert_eq!(m.source_policy_id(), Some("PolicyInputList.1"));
    assert_eq!(
        m.source_policy_type().map(|t| t.as_str()),
        Some("IAM Policy")
    );
    let at = |p: Option<&aws_sdk_iam::types::Position>| p.map(|p| (p.line(), p.column()));
    assert_eq!(at(m.start_position()), Some((1, 38)));
    assert_eq!(at(m.end_position()), Some((1, 167)));
}

/// A trust policy letting EC2 assume a role.
const EC2_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The role `name`, as GetRole answers it.
async fn get_role(iam: &aws_sdk_iam::Client, name: &str) -> aws_sdk_iam::types::Role {
    iam.get_role()
        .role_name(name)
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
}

#[tokio::test]
async fn simulation_leaves_out_excluded_policies_and_listings_filter_boundaries() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let ivs = common::ALLOW_IVS;
    iam.create_user().user_name("sim").send().await.unwrap();
    iam.put_user_policy()
        .user_name("sim")
        .policy_name("inline")
        .policy_document(ivs)
        .send()
        .await
        .unwrap();
    let mut arns = Vec::new();
    for name in ["managed", "edge"] {
        let created = iam
            .create_policy()
            .policy_name(name)
            .policy_document(ivs)
            .send()
            .await
            .unwrap();
        arns.push(created.policy.unwrap().arn.unwrap());
    }
    iam.attach_user_policy()
        .user_name("sim")
        .policy_arn(&arns[0])
        .send()
        .await
        .unwrap();
    iam.put_user_permissions_boundary()
        .user_name("sim")
        .permissions_boundary(&arns[1])
        .send()
        .await
        .unwrap();
    let sdk = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/sim")
        .action_names("ivs:GetChannel")
        .set_policy_exclusion_list(Some(Vec::new()))
        .send()
        .await
        .unwrap();
    let r = &sdk.evaluation_results()[0];
    assert_eq!(r.eval_decision().as_str(), "allowed");
    assert_eq!(r.matched_statements().len(), 3, "inline, managed, boundary");
    // This SDK writes a union's value without its member's name
    // (`PolicyExclusionList.member.1=inline`), so the identifiers are sent as the API
    // Reference (and boto3) encode them.
    let simulate = |exclusions: &'static str| {
        let server = &server;
        async move {
            let body = format!(
                "Action=SimulatePrincipalPolicy&Version=2010-05-08\
                 &PolicySourceArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Auser%2Fsim\
                 &ActionNames.member.1=ivs%3AGetChannel{exclusions}"
            );
            let form = ("content-type", "application/x-www-form-urlencoded");
            let out = server
                .signed(
                    "POST",
                    "/",
                    &[form],
                    body.as_bytes(),
                    "iam",
                    "test",
                    "test",
                    std::time::SystemTime::now(),
                )
                .await
                .text();
            let field = |tag: &str| {
                out.split(&format!("<{tag}>"))
                    .nth(1)
                    .and_then(|rest| rest.split(&format!("</{tag}>")).next())
                    .unwrap_or("")
                    .to_string()
            };
            if out.contains("<Error>") {
                field("Code")
            } else {
                field("EvalDecision")
            }
        }
    };
    // Without the inline policy the managed one still allows.
    let inline = "&PolicyExclusionList.member.1.PolicyType=inline";
    assert_eq!(simulate(inline).await, "allowed");
    // Without both permissions policies nothing allows; by ARN, with a wildcard.
    assert_eq!(
        simulate(
            "&PolicyExclusionList.member.1.PolicyType=inline\
             &PolicyExclusionList.member.2.PolicyArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Apolicy%2Fman*"
        )
        .await,
        "implicitDeny"
    );
    // By the inline policy's name and its user, with the managed policy left out by type.
    // (The model's AttachmentName pattern refuses the wildcards its text allows.)
    assert_eq!(
        simulate(
            "&PolicyExclusionList.member.1.PolicyType=user-managed\
             &PolicyExclusionList.member.2.InlinePolicyIdentifier.PolicyName=inline\
             &PolicyExclusionList.member.2.InlinePolicyIdentifier.AttachmentType=user\
             &PolicyExclusionList.member.2.InlinePolicyIdentifier.AttachmentName=sim"
        )
        .await,
        "implicitDeny"
    );
    // A malformed identifier is InvalidInput.
    assert_eq!(
        simulate("&PolicyExclusionList.member.1.PolicyArn=arn%3Aaws%3Aiam%3A%3A*%3Apolicy%2Fx")
            .await,
        "InvalidInput"
    );

    // ListPolicies with PolicyUsageFilter=PermissionsBoundary lists the boundary only.
    let listed = iam
        .list_policies()
        .scope(aws_sdk_iam::types::PolicyScopeType::Local)
        .policy_usage_filter(aws_sdk_iam::types::PolicyUsageType::PermissionsBoundary)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = listed
        .policies()
        .iter()
        .filter_map(|p| p.policy_name())
        .collect();
    assert_eq!(names, ["edge"]);
}

/// An STS session tag.
fn session_tag(key: &str, value: &str) -> aws_sdk_sts::types::Tag {
    aws_sdk_sts::types::Tag::builder()
        .key(key)
        .value(value)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_role_chain_keeps_its_transitive_session_tags_and_refuses_reserved_or_duplicate_keys() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let both = r#"["sts:AssumeRole","sts:TagSession"]"#;
    let (key, secret) = server
        .user_with_policy(
            "carol",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:GetFederationToken"],"Resource":"*"}]}"#,
        )
        .await;
    iam.create_role()
        .role_name("rs1")
        .assume_role_policy_document(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::000000000000:root"}},"Action":{both}}}]}}"#))
        .send()
        .await
        .unwrap();
    // The role may chain to itself, and list channels only for team a.
    iam.put_role_policy()
        .role_name("rs1")
        .policy_name("p")
        .policy_document(format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{both},"Resource":"*"}},{{"Effect":"Allow","Action":"ivs:ListChannels","Resource":"*","Condition":{{"StringEquals":{{"aws:PrincipalTag/team":"a"}}}}}}]}}"#))
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/rs1";
    let as_carol = aws_sdk_sts::Client::new(&server.sdk_config(&key, &secret).await);
    let session = |c: aws_sdk_sts::types::Credentials| {
        let server = &server;
        async move {
            server
                .sdk_config_with_token(
                    &c.access_key_id,
                    &c.secret_access_key,
                    Some(&c.session_token),
                )
                .await
        }
    };
    let one = as_carol
        .assume_role()
        .role_arn(role)
        .role_session_name("one")
        .tags(session_tag("team", "a"))
        .transitive_tag_keys("team")
        .send()
        .await
        .expect("first session")
        .credentials
        .unwrap();
    let s1 = aws_sdk_sts::Client::new(&session(one).await);

    // The inherited transitive tag may not be passed again, in any case.
    for key in ["team", "TEAM"] {
        let err = s1
            .assume_role()
            .role_arn(role)
            .role_session_name("three")
            .tags(session_tag(key, "b"))
            .send()
            .await
            .expect_err("an inherited key");
        assert_eq!(err.code(), Some("InvalidParameterValue"), "{key}");
        assert_eq!(
            err.message(),
            Some("One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
        );
    }
    // A new key may be added, and the chained session still runs with team=a.
    let two = s1
        .assume_role()
        .role_arn(role)
        .role_session_name("two")
        .tags(session_tag("who", "b"))
        .send()
        .await
        .expect("a new key")
        .credentials
        .unwrap();
    aws_sdk_ivs::Client::new(&session(two).await)
        .list_channels()
        .send()
        .await
        .expect("the inherited team=a still applies");

    // Keys differing only by case, and the reserved prefix in a key or a value.
    let err = as_carol
        .assume_role()
        .role_arn(role)
        .role_session_name("dup")
        .tags(session_tag("Dept", "a"))
        .tags(session_tag("dept", "b"))
        .send()
        .await
        .expect_err("keys differing by case");
    assert_eq!(err.code(), Some("InvalidParameterValue"));
    assert_eq!(
        err.message(),
        Some("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
    );
    for (k, v) in [("aws:foo", "v"), ("AWS:foo", "v"), ("ok", "aws:v")] {
        let err = as_carol
            .assume_role()
            .role_arn(role)
            .role_session_name("reserved")
            .tags(session_tag(k, v))
            .send()
            .await
            .expect_err("the reserved prefix");
        assert_eq!(err.code(), Some("InvalidParameterValue"), "{k}={v}");
        let err = as_carol
            .get_federation_token()
            .name("fed")
            .tags(session_tag(k, v))
            .send()
            .await
            .expect_err("the reserved prefix");
        assert_eq!(err.code(), Some("InvalidParameterValue"), "{k}={v}");
    }
}

#[tokio::test]
async fn iam_refuses_tags_with_the_reserved_aws_prefix() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .unwrap()
    };
    iam.create_user().user_name("u").send().await.unwrap();
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    let policy = server.managed_policy("p", common::ALLOW_IVS).await;
    let reserved_key = "Tag keys starting with 'aws:' are reserved for internal use.";
    let err = iam
        .tag_user()
        .user_name("u")
        .tags(tag("aws:x", "v"))
        .send()
        .await
        .expect_err("TagUser");
    assert_eq!(err.code(), Some("InvalidInput"));
    assert_eq!(err.message(), Some(reserved_key));
    let err = iam
        .tag_user()
        .user_name("u")
        .tags(tag("ok", "aws:val"))
        .send()
        .await
        .expect_err("a value");
    assert_eq!(err.code(), Some("InvalidInput"));
    assert_eq!(
        err.message(),
        Some("Tag values starting with 'aws:' are reserved for internal use.")
    );
    let err = iam
        .tag_role()
        .role_name("r")
        .tags(tag("AWS:foo", "v"))
        .send()
        .await
        .expect_err("TagRole");
    assert_eq!(err.code(), Some("InvalidInput"));
    let err = iam
        .tag_policy()
        .policy_arn(&policy)
        .tags(tag("aws:foo", "v"))
        .send()
        .await
        .expect_err("TagPolicy");
    assert_eq!(err.code(), Some("InvalidInput"));
    let err = iam
        .create_user()
        .user_name("t")
        .tags(tag("aws:foo", "v"))
        .send()
        .await
        .expect_err("CreateUser");
    assert_eq!(err.code(), Some("InvalidInput"));
    assert_eq!(
        common::code_of(iam.get_user().user_name("t").send().await).as_deref(),
        Some("NoSuchEntity"),
        "no user was created"
    );
    for listed in [
        iam.list_user_tags()
            .user_name("u")
            .send()
            .await
            .unwrap()
            .tags,
        iam.list_role_tags()
            .role_name("r")
            .send()
            .await
            .unwrap()
            .tags,
        iam.list_policy_tags()
            .policy_arn(&policy)
            .send()
            .await
            .unwrap()
            .tags,
    ] {
        assert!(listed.is_empty(), "{listed:?}");
    }
    // Untagging such a key is not refused (AWS documents no answer for it).
    iam.untag_user()
        .user_name("u")
        .tag_keys("aws:x")
        .send()
        .await
        .expect("untag");
}

/// The STS API Reference, GetFederationToken: "You cannot call any IAM operations using the CLI
/// or the Amazon Web Services API" with its credentials, whatever the session policy allows;
/// IAM answers as to GetSessionToken credentials without MFA; nor can they assume a role ("you
/// can't use the temporary credentials to assume a role", the IAM User Guide's session tags).
/// Other services are allowed.
#[tokio::test]
async fn federation_token_credentials_cannot_call_iam() {
    let server = TestServer::start().await;
    let (k, s) = server
        .user_with_policy(
            "broker",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .await;
    let broker = aws_sdk_sts::Client::new(&server.sdk_config(&k, &s).await);
    let creds = broker
        .get_federation_token()
        .name("fed")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let conf = server
        .sdk_config_with_token(
            &creds.access_key_id,
            &creds.secret_access_key,
            Some(&creds.session_token),
        )
        .await;
    let err = aws_sdk_iam::Client::new(&conf)
        .list_users()
        .send()
        .await
        .expect_err("no IAM operation");
    assert_eq!(err.code(), Some("InvalidClientTokenId"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("The security token included in the request is invalid.")
    );
    aws_sdk_ivs::Client::new(&conf)
        .list_channels()
        .send()
        .await
        .expect("IVS as the session policy allows");
    // Nor assume a role, though the role trusts the account and every policy allows it.
    server
        .iam_root()
        .await
        .create_role()
        .role_name("target")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    let err = aws_sdk_sts::Client::new(&conf)
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/target")
        .role_session_name("chained")
        .send()
        .await
        .expect_err("no role chaining from a federated user");
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert_eq!(
        err.message(),
        Some("User: arn:aws:sts::000000000000:federated-user/fed is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/target")
    );
    broker
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/target")
        .role_session_name("direct")
        .send()
        .await
        .expect("the user itself may");
    let me = aws_sdk_sts::Client::new(&conf)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:federated-user/fed")
    );
}

/// The IAM User Guide (session tags, GetFederationToken): "the session's principal tags include
/// the user's tags and the passed session tags", so ABAC on the user's tag holds for its
/// federated users.
#[tokio::test]
async fn a_federated_user_carries_its_users_tags() {
    let server = TestServer::start().await;
    let (k, s) = server
        .user_with_policy(
            "broker",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"*"},
                {"Effect":"Allow","Action":"ivs:ListChannels","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"video"}}}]}"#,
        )
        .await;
    server
        .iam_root()
        .await
        .tag_user()
        .user_name("broker")
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("video")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let creds = aws_sdk_sts::Client::new(&server.sdk_config(&k, &s).await)
        .get_federation_token()
        .name("fed")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let conf = server
        .sdk_config_with_token(
            &creds.access_key_id,
            &creds.secret_access_key,
            Some(&creds.session_token),
        )
        .await;
    aws_sdk_ivs::Client::new(&conf)
        .list_channels()
        .send()
        .await
        .expect("the user's team tag is the session's");
}

/// The IAM User Guide's delegated administrator (permissions boundaries,
/// "CreateOrChangeOnlyWithBoundary"): with `iam:PermissionsBoundary` required, the delegate
/// may attach and put policies on users that have the boundary, and on no other user.
#[tokio::test]
async fn a_delegated_admin_changes_only_bounded_users_policies() {
    let server = TestServer::start().await;
    let boundary = server
        .managed_policy("XCompanyBoundaries", common::ALLOW_IVS)
        .await;
    let (k, s) = server
        .user_with_policy(
            "delegate",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"CreateOrChangeOnlyWithBoundary","Effect":"Allow",
                "Action":["iam:CreateUser","iam:DeleteUserPolicy","iam:AttachUserPolicy","iam:DetachUserPolicy","iam:PutUserPermissionsBoundary","iam:PutUserPolicy"],
                "Resource":"*","Condition":{{"StringEquals":{{"iam:PermissionsBoundary":"{boundary}"}}}}}}]}}"#
            ),
        )
        .await;
    let delegate = aws_sdk_iam::Client::new(&server.sdk_config(&k, &s).await);
    delegate
        .create_user()
        .user_name("bounded")
        .permissions_boundary(&boundary)
        .send()
        .await
        .expect("created with the boundary");
    server
        .iam_root()
        .await
        .create_user()
        .user_name("free")
        .send()
        .await
        .unwrap();
    let ro = "arn:aws:iam::aws:policy/IVSReadOnlyAccess";
    delegate
        .attach_user_policy()
        .user_name("bounded")
        .policy_arn(ro)
        .send()
        .await
        .expect("the user has the boundary");
    delegate
        .put_user_policy()
        .user_name("bounded")
        .policy_name("inline")
        .policy_document(common::ALLOW_IVS)
        .send()
        .await
        .expect("the user has the boundary");
    delegate
        .detach_user_policy()
        .user_name("bounded")
        .policy_arn(ro)
        .send()
        .await
        .expect("the user has the boundary");
    let err = delegate
        .attach_user_policy()
        .user_name("free")
        .policy_arn(ro)
        .send()
        .await
        .expect_err("no boundary on this user");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/delegate is not authorized to perform: iam:AttachUserPolicy on resource: arn:aws:iam::000000000000:user/free because no identity-based policy allows the iam:AttachUserPolicy action")
    );
}

/// AWS's Bedrock guide: a policy denying `iam:CreateServiceSpecificCredential` when
/// `iam:ServiceSpecificCredentialServiceName` is `bedrock.amazonaws.com` and
/// `iam:ServiceSpecificCredentialAgeDays` is 30 or more stops long-lived Bedrock API keys; the
/// keys were missing, so the deny never applied.
#[tokio::test]
async fn a_deny_on_long_lived_bedrock_api_keys_applies() {
    let server = TestServer::start().await;
    let (k, s) = server
        .user_with_policy(
            "keymaker",
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"iam:*","Resource":"*"},
                {"Effect":"Deny","Action":"iam:CreateServiceSpecificCredential","Resource":"*","Condition":{
                    "StringEquals":{"iam:ServiceSpecificCredentialServiceName":"bedrock.amazonaws.com"},
                    "NumericGreaterThanEquals":{"iam:ServiceSpecificCredentialAgeDays":"30"}}}]}"#,
        )
        .await;
    let iam = aws_sdk_iam::Client::new(&server.sdk_config(&k, &s).await);
    let err = iam
        .create_service_specific_credential()
        .user_name("keymaker")
        .service_name("bedrock.amazonaws.com")
        .credential_age_days(90)
        .send()
        .await
        .expect_err("a 90-day Bedrock key");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/keymaker is not authorized to perform: iam:CreateServiceSpecificCredential on resource: arn:aws:iam::000000000000:user/keymaker with an explicit deny in an identity-based policy")
    );
    iam.create_service_specific_credential()
        .user_name("keymaker")
        .service_name("bedrock.amazonaws.com")
        .credential_age_days(7)
        .send()
        .await
        .expect("a 7-day key");
}

/// SimulatePrincipalPolicy names a role's policies as AWS does: an inline policy as
/// `role_<role>_<policy>`, a managed one by its name, each typed `IAM Policy` (answers quoted
/// from AWS: `role_ecs-task-execution-role-ce-grp-4r_ecs_execution_secrets`,
/// `AmazonS3ReadOnlyAccess`).
#[tokio::test]
async fn the_simulator_names_a_roles_policies_as_aws_does() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_role()
        .role_name("task-exec")
        .assume_role_policy_document(EC2_TRUST)
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("task-exec")
        .policy_name("secrets")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:GetParameters","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("task-exec")
        .policy_arn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let out = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:role/task-exec")
        .action_names("ssm:GetParameters")
        .action_names("s3:ListBucket")
        .send()
        .await
        .unwrap();
    let named = |i: usize| -> Vec<(String, String)> {
        out.evaluation_results()[i]
            .matched_statements()
            .iter()
            .map(|m| {
                (
                    m.source_policy_id().unwrap_or_default().to_string(),
                    m.source_policy_type()
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default(),
                )
            })
            .collect()
    };
    assert_eq!(
        out.evaluation_results()[0].eval_decision().as_str(),
        "explicitDeny"
    );
    assert_eq!(
        named(0),
        [(
            "role_task-exec_secrets".to_string(),
            "IAM Policy".to_string()
        )]
    );
    assert_eq!(
        out.evaluation_results()[1].eval_decision().as_str(),
        "allowed"
    );
    assert_eq!(
        named(1),
        [(
            "AmazonS3ReadOnlyAccess".to_string(),
            "IAM Policy".to_string()
        )]
    );
}

/// A resource given to the simulator that is not an ARN is InvalidInput, in AWS's words for a
/// KMS key ID passed there: "ResourceNames are not in a valid ARN format: <id>."
#[tokio::test]
async fn the_simulator_refuses_resource_names_that_are_not_arns() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let err = iam
        .simulate_custom_policy()
        .policy_input_list(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#,
        )
        .action_names("kms:Decrypt")
        .resource_arns("14a050d4-021e-4efe-84bb-0871bf6d0fda")
        .send()
        .await
        .unwrap_err();
    let err = err.into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda.")
    );
}

/// A role's stored permissions boundary is named in MatchedStatements as the managed policy it
/// is: by its name, typed `IAM Policy`.
#[tokio::test]
async fn the_simulator_names_a_stored_boundary_as_a_managed_policy() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_role()
        .role_name("bounded")
        .assume_role_policy_document(EC2_TRUST)
        .permissions_boundary("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("bounded")
        .policy_name("s3")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let out = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:role/bounded")
        .action_names("s3:GetObject")
        .send()
        .await
        .unwrap();
    let result = &out.evaluation_results()[0];
    assert_eq!(result.eval_decision().as_str(), "allowed");
    let named: Vec<(Option<&str>, Option<&str>)> = result
        .matched_statements()
        .iter()
        .map(|m| {
            (
                m.source_policy_id(),
                m.source_policy_type().map(|t| t.as_str()),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            (Some("role_bounded_s3"), Some("IAM Policy")),
            (Some("AmazonS3ReadOnlyAccess"), Some("IAM Policy"))
        ]
    );
}

/// SimulateCustomPolicy with an SCP hierarchy (`OrderedOrganizationPolicyInputList`): an
/// action the account's SCPs do not allow is denied whatever the identity policy grants, and
/// `OrganizationsDecisionDetail` says whether the SCPs allow it.
#[tokio::test]
async fn the_simulator_applies_service_control_policies_it_is_given() {
    use aws_sdk_iam::types::OrderedOrganizationPolicyType;
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = |effect: &str, action: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Action":"{action}","Resource":"*"}}]}}"#
        )
    };
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(doc("Allow", "*"))
        .ordered_organization_policy_input_list(
            OrderedOrganizationPolicyType::builder()
                .service_control_policy_input_list(doc("Allow", "*"))
                .build(),
        )
        .ordered_organization_policy_input_list(
            OrderedOrganizationPolicyType::builder()
                .service_control_policy_input_list(doc("Allow", "s3:*"))
                .service_control_policy_input_list(doc("Deny", "s3:DeleteBucket"))
                .build(),
        )
        .action_names("s3:GetObject")
        .action_names("s3:DeleteBucket")
        .action_names("ec2:RunInstances")
        .send()
        .await
        .unwrap();
    let seen: Vec<(String, Option<bool>)> = out
        .evaluation_results()
        .iter()
        .map(|r| {
            (
                r.eval_decision().as_str().to_string(),
                r.organizations_decision_detail()
                    .map(|o| o.allowed_by_organizations()),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("allowed".to_string(), Some(true)),
            ("explicitDeny".to_string(), Some(false)),
            ("implicitDeny".to_string(), Some(false)),
        ]
    );
}

/// GetAccountAuthorizationDetails: an untagged user or role carries `Tags: []` (unlike GetRole
/// and GetUser), a role its empty `RolePolicyList`; a tagged user or role lists its tags.
#[tokio::test]
async fn account_authorization_details_show_an_empty_tag_list() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let tag = aws_sdk_iam::types::Tag::builder()
        .key("team")
        .value("video")
        .build()
        .unwrap();
    iam.create_user().user_name("plain").send().await.unwrap();
    iam.create_user()
        .user_name("tagged")
        .tags(tag.clone())
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("plain")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("tagged")
        .assume_role_policy_document(trust)
        .tags(tag.clone())
        .send()
        .await
        .unwrap();
    let out = iam
        .get_account_authorization_details()
        .send()
        .await
        .unwrap();
    let user = |n: &str| {
        out.user_detail_list()
            .iter()
            .find(|u| u.user_name() == Some(n))
            .unwrap()
            .clone()
    };
    let role = |n: &str| {
        out.role_detail_list()
            .iter()
            .find(|r| r.role_name() == Some(n))
            .unwrap()
            .clone()
    };
    // LocalStack's snapshot tests recorded against AWS (2026):
    // test_iam_account_authorization_details.snapshot.json shows `Tags: []` on an untagged
    // user and role, and no UserPolicyList for a user without inline policies.
    assert_eq!(user("plain").tags, Some(vec![]));
    assert_eq!(role("plain").tags, Some(vec![]));
    assert_eq!(role("plain").role_policy_list, Some(vec![]));
    assert_eq!(user("plain").user_policy_list, None);
    assert_eq!(user("tagged").tags, Some(vec![tag.clone()]));
    assert_eq!(role("tagged").tags, Some(vec![tag]));
    server.stop().await;
}

/// Terraform's aws_iam_service_linked_role acceptance test, run against AWS, asserts the role
/// Application Auto Scaling's custom resources get: its name, and its ARN under the service's
/// path; the Application Auto Scaling User Guide names its policy.
#[tokio::test]
async fn application_auto_scalings_custom_resource_role_has_aws_name_and_policy() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let service = "custom-resource.application-autoscaling.amazonaws.com";
    let role = iam
        .create_service_linked_role()
        .aws_service_name(service)
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    let name = "AWSServiceRoleForApplicationAutoScaling_CustomResource";
    assert_eq!(role.role_name(), name);
    assert_eq!(
        role.arn(),
        format!("arn:aws:iam::000000000000:role/aws-service-role/{service}/{name}")
    );
    let attached = iam
        .list_attached_role_policies()
        .role_name(name)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some("arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoScalingCustomResourcePolicy")
    );
}
