//! Trust policies, session policies, policy quotas and markers end to end with the real SDK:
//! AssumeRole decided by AWS's rules (explicit deny, cross-account, root), session policies
//! that outlive their managed policy, LimitExceeded for oversized documents, and IAM markers
//! bound to the operation that issued them.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use common::TestServer;

const ALLOW_ASSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;

fn trust(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// CreateRole `name` with trust policy `doc`, which IAM must refuse: its error code and
/// message.
async fn refused_trust(
    iam: &aws_sdk_iam::Client,
    name: &str,
    doc: &str,
) -> (Option<String>, Option<String>) {
    let err = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(doc)
        .send()
        .await
        .expect_err(doc);
    (
        err.code().map(str::to_string),
        err.message().map(str::to_string),
    )
}

async fn sts_as(server: &TestServer, key: &(String, String)) -> aws_sdk_sts::Client {
    aws_sdk_sts::Client::new(&server.sdk_config(&key.0, &key.1).await)
}

#[tokio::test]
async fn assume_role_follows_aws_rules_for_trust_policies() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let bob = server.user_with_key("bob").await;
    iam.create_role()
        .role_name("target")
        .assume_role_policy_document(trust("arn:aws:iam::000000000000:user/bob"))
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/target";
    let assume = |c: aws_sdk_sts::Client| async move {
        c.assume_role()
            .role_arn(role)
            .role_session_name("s1")
            .send()
            .await
    };
    // Named by ARN, bob needs no identity policy.
    assume(sts_as(&server, &bob).await).await.expect("trusted");
    // An explicit deny in bob's own policies wins over the trust policy naming him.
    iam.put_user_policy()
        .user_name("bob")
        .policy_name("no")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let err = assume(sts_as(&server, &bob).await)
        .await
        .expect_err("denied");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/bob is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/target")
    );
    // An administrator the trust policy does not name is refused too.
    let admin = server
        .user_with_policy(
            "admin",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .await;
    let err = assume(sts_as(&server, &admin).await)
        .await
        .expect_err("not trusted");
    assert_eq!(err.code(), Some("AccessDenied"));
    // Root may not assume roles at all.
    let root = aws_sdk_sts::Client::new(&server.root_config().await);
    let err = assume(root).await.expect_err("root");
    let raw = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(
        (err.code(), err.message(), raw),
        (
            Some("AccessDenied"),
            Some("Roles may not be assumed by root accounts."),
            Some(403)
        )
    );
}

#[tokio::test]
async fn cross_account_assume_role_needs_trust_and_identity_policy() {
    let server = common::start_with_bootstrap(
        server::Config::for_tests(),
        r#"
[[accounts]]
id = "111111111111"
root_access_key = "AKIAROOT111111111111"
root_secret_key = "rootsecret"

[[accounts.users]]
name = "alice"
access_keys = [{ id = "AKIAALICE00000000001", secret = "alicesecret" }]

[[accounts.users]]
name = "eve"
access_keys = [{ id = "AKIAEVE0000000000001", secret = "evesecret" }]
inline_policies = { assume = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}' }
"#,
    )
    .await;
    server
        .iam_root()
        .await
        .create_role()
        .role_name("shared")
        .assume_role_policy_document(trust("arn:aws:iam::111111111111:root"))
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/shared";
    let alice = (
        "AKIAALICE00000000001".to_string(),
        "alicesecret".to_string(),
    );
    let eve = ("AKIAEVE0000000000001".to_string(), "evesecret".to_string());
    // The trust policy alone does not do: alice has no identity policy.
    let err = sts_as(&server, &alice)
        .await
        .assume_role()
        .role_arn(role)
        .role_session_name("x1")
        .send()
        .await
        .expect_err("no identity policy");
    assert_eq!(err.code(), Some("AccessDenied"));
    // Both sides allow: eve gets a session of the role in the other account.
    let out = sts_as(&server, &eve)
        .await
        .assume_role()
        .role_arn(role)
        .role_session_name("x1")
        .send()
        .await
        .expect("cross-account");
    assert_eq!(
        out.assumed_role_user.unwrap().arn,
        "arn:aws:sts::000000000000:assumed-role/shared/x1"
    );
}

#[tokio::test]
async fn a_session_policy_whose_managed_policy_is_deleted_allows_nothing() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let carol = server.user_with_policy("carol", ALLOW_ASSUME).await;
    iam.create_role()
        .role_name("wide")
        .assume_role_policy_document(trust("arn:aws:iam::000000000000:root"))
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("wide")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let narrow = server.managed_policy("ivs-only", common::ALLOW_IVS).await;
    let out = sts_as(&server, &carol)
        .await
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/wide")
        .role_session_name("narrow")
        .policy_arns(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn(&narrow)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let c = out.credentials.unwrap();
    let session = server
        .sdk_config_with_token(
            &c.access_key_id,
            &c.secret_access_key,
            Some(&c.session_token),
        )
        .await;
    let ivs = aws_sdk_ivs::Client::new(&session);
    ivs.list_channels()
        .send()
        .await
        .expect("the session policy allows ivs");
    iam.delete_policy()
        .policy_arn(&narrow)
        .send()
        .await
        .unwrap();
    let err = ivs
        .list_channels()
        .send()
        .await
        .expect_err("nothing allows it now");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let err = aws_sdk_iam::Client::new(&session)
        .list_users()
        .send()
        .await
        .expect_err("never allowed");
    assert_eq!(err.code(), Some("AccessDenied"));
}

#[tokio::test]
async fn oversized_policy_documents_are_refused_with_limit_exceeded() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    // `n` non-white-space characters, plus white space IAM does not count.
    let doc = |n: usize| {
        let head = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"arn:aws:ivs:*:*:channel/"#;
        let tail = r#""}]}"#;
        format!(
            "{head}{}{tail}{}",
            "a".repeat(n - head.len() - tail.len()),
            " ".repeat(500)
        )
    };
    iam.create_policy()
        .policy_name("fits")
        .policy_document(doc(6144))
        .send()
        .await
        .expect("6,144 characters fit");
    let err = iam
        .create_policy()
        .policy_name("big")
        .policy_document(doc(6145))
        .send()
        .await
        .expect_err("too big");
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(
        (err.code(), err.message(), status),
        (
            Some("LimitExceeded"),
            Some("Cannot exceed quota for PolicySize: 6144"),
            Some(409)
        )
    );
    iam.create_user().user_name("u").send().await.unwrap();
    iam.put_user_policy()
        .user_name("u")
        .policy_name("a")
        .policy_document(doc(1100))
        .send()
        .await
        .unwrap();
    let err = iam
        .put_user_policy()
        .user_name("u")
        .policy_name("b")
        .policy_document(doc(1100))
        .send()
        .await
        .expect_err("aggregate above 2,048");
    assert_eq!(
        (err.code(), err.message()),
        (
            Some("LimitExceeded"),
            Some("Maximum policy size of 2048 bytes exceeded for user u")
        )
    );
    let big_trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::000000000000:root"}},"Action":"sts:AssumeRole","Condition":{{"StringEquals":{{"sts:ExternalId":"{}"}}}}}}]}}"#,
        "x".repeat(2000)
    );
    let err = iam
        .create_role()
        .role_name("r")
        .assume_role_policy_document(big_trust)
        .send()
        .await
        .expect_err("trust above 2,048");
    assert_eq!(
        (err.code(), err.message()),
        (
            Some("LimitExceeded"),
            Some("Cannot exceed quota for ACLSizePerRole: 2048")
        )
    );
}

#[tokio::test]
async fn a_marker_serves_only_the_operation_that_issued_it() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    for i in 0..3 {
        iam.create_user()
            .user_name(format!("user{i}"))
            .send()
            .await
            .unwrap();
        iam.create_role()
            .role_name(format!("role{i}"))
            .assume_role_policy_document(trust("arn:aws:iam::000000000000:root"))
            .send()
            .await
            .unwrap();
    }
    let roles = iam.list_roles().max_items(1).send().await.unwrap();
    let marker = roles.marker.expect("truncated");
    let err = iam
        .list_users()
        .marker(&marker)
        .send()
        .await
        .expect_err("another operation's marker");
    assert_eq!(err.code(), Some("ValidationError"));
    let next = iam.list_roles().marker(&marker).send().await.unwrap();
    assert_eq!(next.roles.len(), 2);
}

#[tokio::test]
async fn a_chained_session_is_limited_to_an_hour() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let bob = server.user_with_policy("bob", ALLOW_ASSUME).await;
    for (name, trusted) in [
        ("first", "arn:aws:iam::000000000000:user/bob"),
        ("second", "arn:aws:iam::000000000000:role/first"),
    ] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(trust(trusted))
            .max_session_duration(43200)
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name(name)
            .policy_name("assume")
            .policy_document(ALLOW_ASSUME)
            .send()
            .await
            .unwrap();
    }
    // A user's long-term key may ask for the role's twelve hours.
    let creds = sts_as(&server, &bob)
        .await
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/first")
        .role_session_name("hop")
        .duration_seconds(43200)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let conf = server
        .sdk_config_with_token(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token()),
        )
        .await;
    let chained = aws_sdk_sts::Client::new(&conf);
    let err = chained
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("hop2")
        .duration_seconds(3601)
        .send()
        .await
        .expect_err("over an hour");
    assert_eq!(
        (err.code(), err.message()),
        (
            Some("ValidationError"),
            Some("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
        )
    );
    chained
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("hop2")
        .duration_seconds(3600)
        .send()
        .await
        .expect("an hour");
}

#[tokio::test]
async fn another_accounts_customer_managed_policy_cannot_be_attached_or_passed() {
    let server = common::start_with_bootstrap(
        server::Config::for_tests(),
        r#"
[[accounts]]
id = "111111111111"
root_access_key = "AKIAROOT111111111112"
root_secret_key = "rootsecret"
"#,
    )
    .await;
    let theirs = server.managed_policy("ivs", common::ALLOW_IVS).await;
    let other = aws_sdk_iam::Client::new(
        &server
            .sdk_config("AKIAROOT111111111112", "rootsecret")
            .await,
    );
    other.create_user().user_name("bob").send().await.unwrap();
    let refusal = format!("Policy {theirs} does not exist or is not attachable.");
    let attach = other
        .attach_user_policy()
        .user_name("bob")
        .policy_arn(&theirs)
        .send()
        .await
        .expect_err("another account's policy");
    assert_eq!(
        (attach.code(), attach.message()),
        (Some("NoSuchEntity"), Some(refusal.as_str()))
    );
    let boundary = other
        .put_user_permissions_boundary()
        .user_name("bob")
        .permissions_boundary(&theirs)
        .send()
        .await
        .expect_err("another account's policy");
    assert_eq!(boundary.code(), Some("NoSuchEntity"));
    let scope = format!("Scope ARN: {theirs} does not exist or is not attachable.");
    assert_eq!(boundary.message(), Some(scope.as_str()));
    let sts = aws_sdk_sts::Client::new(
        &server
            .sdk_config("AKIAROOT111111111112", "rootsecret")
            .await,
    );
    let fed = sts
        .get_federation_token()
        .name("fed")
        .policy_arns(
            aws_sdk_sts::types::PolicyDescriptorType::builder()
                .arn(&theirs)
                .build(),
        )
        .send()
        .await
        .expect_err("another account's policy");
    assert_eq!(fed.code(), Some("MalformedPolicyDocument"));
}

#[tokio::test]
async fn trust_policies_and_policy_arns_are_checked_as_iam_checks_them() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let create = |doc: String| {
        iam.create_role()
            .role_name("irsa")
            .assume_role_policy_document(doc)
            .send()
    };
    let web_identity = |federated: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{federated}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
        )
    };
    let provider =
        "arn:aws:iam::000000000000:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
    // The OIDC provider of a role for EKS service accounts must exist first.
    let err = create(web_identity(provider))
        .await
        .expect_err("no provider");
    assert_eq!(err.code(), Some("MalformedPolicyDocument"));
    assert_eq!(
        err.message(),
        Some(format!("Invalid principal in policy: \"Federated\":\"{provider}\"").as_str())
    );
    // A service principal must be a service's host name.
    let service = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let err = create(service.to_string()).await.expect_err("no service");
    assert_eq!(
        err.message(),
        Some("Invalid principal in policy: \"SERVICE\":\"amazonaws.com\"")
    );
    // Text that is not JSON (a file name passed without `file://`).
    let err = create("assume-role-policy.json".into())
        .await
        .expect_err("not JSON");
    assert_eq!(err.message(), Some("This policy contains invalid Json"));
    iam.create_open_id_connect_provider()
        .url("https://oidc.eks.us-east-1.amazonaws.com/id/ABC")
        .client_id_list("sts.amazonaws.com")
        .thumbprint_list("6938fd4d98bab03faadb97b34396831e3780aea1")
        .send()
        .await
        .unwrap();
    create(web_identity(provider))
        .await
        .expect("provider exists");
    // A policy ARN that names no policy at all is InvalidInput, not NoSuchEntity.
    let err = iam
        .get_policy()
        .policy_arn("not-an-arn-but-long-enough")
        .send()
        .await
        .expect_err("not an ARN");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_invalid_input_exception()));
    assert_eq!(
        err.message(),
        Some("ARN not-an-arn-but-long-enough is not valid.")
    );
    let err = iam
        .get_policy()
        .policy_arn("arn:aws:iam::000000000000:policy/none")
        .send()
        .await
        .expect_err("no such policy");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_no_such_entity_exception()));
}

/// The source identity set when assuming a role "persists across chained role sessions" (STS
/// API Reference): the chained session answers it and carries it without being asked, and a
/// target role whose trust policy lacks `sts:SetSourceIdentity` refuses such a session (User
/// Guide: "Otherwise, the assume role operation will fail").
#[tokio::test]
async fn a_source_identity_persists_across_chained_role_sessions() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let both = r#"["sts:AssumeRole","sts:SetSourceIdentity"]"#;
    let bob = server
        .user_with_policy(
            "bob",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{both},"Resource":"*"}}]}}"#
            ),
        )
        .await;
    for (name, trusted, actions) in [
        ("first", "arn:aws:iam::000000000000:user/bob", both),
        ("second", "arn:aws:iam::000000000000:role/first", both),
        (
            "plain",
            "arn:aws:iam::000000000000:role/first",
            r#""sts:AssumeRole""#,
        ),
    ] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{trusted}"}},"Action":{actions}}}]}}"#
            ))
            .send()
            .await
            .unwrap();
        iam.put_role_policy()
            .role_name(name)
            .policy_name("assume")
            .policy_document(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{both},"Resource":"*"}}]}}"#
            ))
            .send()
            .await
            .unwrap();
    }
    let first = sts_as(&server, &bob)
        .await
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/first")
        .role_session_name("hop")
        .source_identity("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(first.source_identity(), Some("alice"));
    let creds = first.credentials.unwrap();
    let conf = server
        .sdk_config_with_token(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token()),
        )
        .await;
    let chained = aws_sdk_sts::Client::new(&conf);
    let second = chained
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/second")
        .role_session_name("hop2")
        .send()
        .await
        .unwrap();
    assert_eq!(second.source_identity(), Some("alice"));
    let err = chained
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/plain")
        .role_session_name("hop2")
        .send()
        .await
        .expect_err("the trust policy does not allow sts:SetSourceIdentity");
    assert_eq!(err.code(), Some("AccessDenied"));
}

/// The account root asking GetSessionToken or GetFederationToken for more than an hour gets an
/// hour (STS API Reference: "If the duration is longer than one hour, the session for Amazon
/// Web Services account owners defaults to one hour"), not an error.
#[tokio::test]
async fn root_sessions_longer_than_an_hour_last_an_hour() {
    let server = TestServer::start().await;
    let sts = aws_sdk_sts::Client::new(&server.root_config().await);
    let lasts = |c: &aws_sdk_sts::types::Credentials| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        c.expiration().secs() - now
    };
    let session = sts
        .get_session_token()
        .duration_seconds(7200)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    assert!(
        (3590..=3600).contains(&lasts(&session)),
        "{}",
        lasts(&session)
    );
    let federated = sts
        .get_federation_token()
        .name("root-fed")
        .duration_seconds(129600)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    assert!(
        (3590..=3600).contains(&lasts(&federated)),
        "{}",
        lasts(&federated)
    );
}

/// A trust policy may name the account, a user or a role under `AWS`, never a group or a SAML
/// provider: AWS answers `MalformedPolicyDocument` "Invalid principal in policy:
/// "AWS":"arn:aws:iam::111122223333:group/Developers"" (the IAM User Guide: "You cannot
/// identify a user group as a principal in a policy").
#[tokio::test]
async fn a_group_or_provider_is_no_aws_principal() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_group()
        .group_name("Developers")
        .send()
        .await
        .unwrap();
    for principal in [
        "arn:aws:iam::000000000000:group/Developers",
        "arn:aws:iam::000000000000:saml-provider/AuthTestProvider",
    ] {
        assert_eq!(
            refused_trust(&iam, "dev-role", &trust(principal)).await,
            (
                Some("MalformedPolicyDocument".into()),
                Some(format!(
                    r#"Invalid principal in policy: "AWS":"{principal}""#
                ))
            )
        );
    }
    iam.create_role()
        .role_name("dev-role")
        .assume_role_policy_document(trust("arn:aws:iam::000000000000:root"))
        .send()
        .await
        .unwrap();
}

/// A trust policy may not name `"Principal": "*"` (only `{"AWS": "*"}`) nor a principal
/// listing nobody; AWS's answers as CloudFormation, the AWS CDK and Terraform users quote
/// them. UpdateAssumeRolePolicy keeps the stored document when it refuses.
#[tokio::test]
async fn a_trust_policy_naming_star_or_nobody_is_refused() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = |principal: &str, effect: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
        )
    };
    let star = r#"AssumeRolepolicy contained an invalid principal: "STAR":"*"."#;
    let nobody = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!";
    for (principal, effect, message) in [
        (r#""*""#, "Allow", star),
        (r#""*""#, "Deny", star),
        (r#"{"AWS":[]}"#, "Allow", nobody),
    ] {
        assert_eq!(
            refused_trust(&iam, "open", &doc(principal, effect)).await,
            (Some("MalformedPolicyDocument".into()), Some(message.into()))
        );
    }
    iam.create_role()
        .role_name("open")
        .assume_role_policy_document(doc(r#"{"AWS":"*"}"#, "Deny"))
        .send()
        .await
        .unwrap();
    let err = iam
        .update_assume_role_policy()
        .role_name("open")
        .policy_document(doc(r#""*""#, "Allow"))
        .send()
        .await
        .expect_err("star");
    assert_eq!(err.message(), Some(star));
    let stored = iam.get_role().role_name("open").send().await.unwrap();
    let stored = stored.role().and_then(|r| r.assume_role_policy_document());
    // The stored (URL-encoded) document is still the accepted Deny.
    assert!(stored.is_some_and(|d| d.contains("Deny")), "{stored:?}");
}

/// A `Federated` principal is a provider's ARN or a web identity provider's domain name; AWS
/// refuses anything else with `Federated principals must be valid domain names or SAML metadata
/// ARNs` (its answers to CreateRole quoted in terraform-aws-modules issues).
#[tokio::test]
async fn a_federated_principal_is_a_domain_name_or_a_provider_arn() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = |federated: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{federated}"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
        )
    };
    for bad in [
        "https://oidc.eks.us-west-2.amazonaws.com/id/ABC",
        "arn:aws:iam::000000000000:role/admin",
    ] {
        assert_eq!(
            refused_trust(&iam, "web", &doc(bad)).await,
            (
                Some("MalformedPolicyDocument".into()),
                Some(
                    "Federated principals must be valid domain names or SAML metadata ARNs".into()
                )
            ),
            "{bad}"
        );
    }
    iam.create_role()
        .role_name("web")
        .assume_role_policy_document(doc("accounts.google.com"))
        .send()
        .await
        .unwrap();
}

/// A trust policy with an element IAM does not know is refused naming it: Terraform's
/// aws_iam_role acceptance test asserts `MalformedPolicyDocument: Unknown field invalid` when
/// it updates a role's trust policy to `{"invalid":true}`, and CreateRole answers users
/// `Unknown field statement` for lower-case element names. The stored policy is kept.
#[tokio::test]
async fn a_trust_policy_with_an_unknown_element_names_it() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let (code, message) = refused_trust(&iam, "unknown", r#"{"invalid":true}"#).await;
    assert_eq!(code.as_deref(), Some("MalformedPolicyDocument"));
    assert_eq!(message.as_deref(), Some("Unknown field invalid"));
    let lower = r#"{"statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}],"version":"2012-10-17"}"#;
    let (_, message) = refused_trust(&iam, "lower", lower).await;
    assert_eq!(message.as_deref(), Some("Unknown field statement"));

    let good = trust("arn:aws:iam::000000000000:root");
    iam.create_role()
        .role_name("kept")
        .assume_role_policy_document(&good)
        .send()
        .await
        .unwrap();
    let err = iam
        .update_assume_role_policy()
        .role_name("kept")
        .policy_document(r#"{"invalid":true}"#)
        .send()
        .await
        .expect_err("an unknown element");
    assert_eq!(err.code(), Some("MalformedPolicyDocument"));
    assert_eq!(err.message(), Some("Unknown field invalid"));
    let role = iam.get_role().role_name("kept").send().await.unwrap();
    let stored = role.role().unwrap().assume_role_policy_document().unwrap();
    assert!(stored.contains("sts%3AAssumeRole") || stored.contains("sts:AssumeRole"));
}

/// Terraform's aws_iam_role_policy acceptance test, run against AWS: one inline document of
/// 10,241 characters on a new role answers `Cannot exceed quota for PolicySize: 10240`, and one
/// of 10,240 is taken. Nothing is stored by the refusal.
#[tokio::test]
async fn a_role_inline_document_above_ten_kilobytes_exceeds_policy_size() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    // As jsonencode writes the test's document: a Sid of `size - 107` characters.
    let doc = |size: usize| {
        format!(
            r#"{{"Statement":[{{"Action":["ec2:Describe*"],"Effect":"Allow","Resource":"*","Sid":"{}"}}],"Version":"2012-10-17"}}"#,
            "a".repeat(size - 107)
        )
    };
    iam.create_role()
        .role_name("big")
        .assume_role_policy_document(trust("arn:aws:iam::000000000000:root"))
        .send()
        .await
        .unwrap();
    let err = iam
        .put_role_policy()
        .role_name("big")
        .policy_name("big")
        .policy_document(doc(10240))
        .send()
        .await
        .expect_err("above 10,240");
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert_eq!(
        (err.code(), err.message(), status),
        (
            Some("LimitExceeded"),
            Some("Cannot exceed quota for PolicySize: 10240"),
            Some(409)
        )
    );
    let listed = iam
        .list_role_policies()
        .role_name("big")
        .send()
        .await
        .unwrap();
    assert!(listed.policy_names().is_empty());
    iam.put_role_policy()
        .role_name("big")
        .policy_name("big")
        .policy_document(doc(10239))
        .send()
        .await
        .expect("10,240 characters fit");
}
