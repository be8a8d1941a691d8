//! Federation end to end with the real SDK: a GitHub-Actions-style web identity token signed
//! here with a test RSA key, assumed into a role whose trust policy conditions on `sub`;
//! expired and wrongly signed tokens; a service-linked role DeleteRole cannot delete; AWS
//! managed policies attached and evaluated; malformed SAML refused without a 500.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::TestServer;
use serde_json::{json, Value};

const ISSUER: &str = "https://token.actions.githubusercontent.com";
const PROVIDER: &str =
    "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com";
const ROLE: &str = "arn:aws:iam::000000000000:role/gha-deploy";

/// An RS256 token signed with the fixture key (kid `test-rsa`).
fn rs256(claims: &Value) -> String {
    let pem = include_str!("../fixtures/oidc-test-rsa.pem");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(body).expect("fixture key is base64");
    let key = ring::signature::RsaKeyPair::from_pkcs8(&der).expect("fixture key is PKCS#8 RSA");
    let header = URL_SAFE_NO_PAD
        .encode(json!({"alg": "RS256", "typ": "JWT", "kid": "test-rsa"}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let mut sig = vec![0u8; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .expect("sign");
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn claims(sub: &str, exp_in: i64) -> Value {
    json!({"iss": ISSUER, "sub": sub, "aud": "sts.amazonaws.com",
           "iat": now() - 5, "nbf": now() - 5, "exp": now() + exp_in})
}

/// The provider, its keys and a role trusting `repo:octo/media:*`, with IVSReadOnlyAccess.
async fn setup(server: &TestServer) -> aws_sdk_iam::Client {
    let iam = server.iam_root().await;
    let created = iam
        .create_open_id_connect_provider()
        .url(ISSUER)
        .client_id_list("sts.amazonaws.com")
        .send()
        .await
        .expect("create provider");
    assert_eq!(created.open_id_connect_provider_arn(), Some(PROVIDER));
    let jwks: Value =
        serde_json::from_str(include_str!("../fixtures/oidc-test-rsa.jwks.json")).unwrap();
    let (status, body) = server
        .root_admin(
            "POST",
            "/_mediamock/iam/oidc-keys",
            json!({"provider": ISSUER, "jwks": jwks}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": PROVIDER}, "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo/media:*"}}}]});
    iam.create_role()
        .role_name("gha-deploy")
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .expect("create role");
    iam.attach_role_policy()
        .role_name("gha-deploy")
        .policy_arn("arn:aws:iam::aws:policy/IVSReadOnlyAccess")
        .send()
        .await
        .expect("attach IVSReadOnlyAccess");
    iam
}

async fn assume(
    sts: &aws_sdk_sts::Client,
    token: &str,
) -> Result<
    aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityOutput,
    aws_sdk_sts::error::SdkError<
        aws_sdk_sts::operation::assume_role_with_web_identity::AssumeRoleWithWebIdentityError,
    >,
> {
    sts.assume_role_with_web_identity()
        .role_arn(ROLE)
        .role_session_name("gha-run-1")
        .web_identity_token(token)
        .send()
        .await
}

#[tokio::test]
async fn a_web_identity_token_becomes_a_role_session_with_its_policies() {
    let server = TestServer::start().await;
    setup(&server).await;
    // The credentials given to the SDK are never sent: the call is unsigned, as in AWS.
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    let out = assume(
        &sts,
        &rs256(&claims("repo:octo/media:ref:refs/heads/main", 600)),
    )
    .await
    .expect("assume with a good token");
    assert_eq!(
        out.subject_from_web_identity_token(),
        Some("repo:octo/media:ref:refs/heads/main")
    );
    assert_eq!(out.audience(), Some("sts.amazonaws.com"));
    // The IAM OIDC provider's ARN, as AWS answers (EKS's answers show it).
    assert_eq!(out.provider(), Some(PROVIDER));
    let user = out.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        "arn:aws:sts::000000000000:assumed-role/gha-deploy/gha-run-1"
    );
    let creds = out.credentials().unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    let session = server
        .sdk_config_with_token(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token()),
        )
        .await;
    let me = aws_sdk_sts::Client::new(&session)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(me.arn(), Some(user.arn()));
    // IVSReadOnlyAccess: reads allowed, writes denied.
    let ivs = aws_sdk_ivs::Client::new(&session);
    ivs.list_channels().send().await.expect("IVS read allowed");
    let err = ivs
        .create_channel()
        .name("nope")
        .send()
        .await
        .expect_err("IVS write denied");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(
        err.message().unwrap_or_default().contains(
            "assumed-role/gha-deploy/gha-run-1 is not authorized to perform: ivs:CreateChannel"
        ),
        "{:?}",
        err.message()
    );
}

#[tokio::test]
async fn refused_tokens_get_aws_errors() {
    let server = TestServer::start().await;
    setup(&server).await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);

    let err = assume(
        &sts,
        &rs256(&claims("repo:someone/else:ref:refs/heads/main", 600)),
    )
    .await
    .expect_err("sub not trusted");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("Not authorized to perform sts:AssumeRoleWithWebIdentity")
    );

    let err = assume(
        &sts,
        &rs256(&claims("repo:octo/media:ref:refs/heads/main", -60)),
    )
    .await
    .expect_err("expired");
    assert_eq!(err.code(), Some("ExpiredTokenException"));
    assert!(err.into_service_error().is_expired_token_exception());

    // Claims changed after signing: the signature no longer verifies.
    let good = rs256(&claims("repo:octo/media:ref:refs/heads/main", 600));
    let mut parts: Vec<String> = good.split('.').map(str::to_string).collect();
    parts[1] =
        URL_SAFE_NO_PAD.encode(claims("repo:octo/media:ref:refs/heads/evil", 600).to_string());
    let err = assume(&sts, &parts.join("."))
        .await
        .expect_err("wrongly signed");
    assert_eq!(err.code(), Some("InvalidIdentityToken"));
    assert!(err
        .into_service_error()
        .is_invalid_identity_token_exception());

    let err = assume(&sts, "definitely.not.a-jwt")
        .await
        .expect_err("garbage");
    assert_eq!(err.code(), Some("InvalidIdentityToken"));

    let mut wrong_aud = claims("repo:octo/media:ref:refs/heads/main", 600);
    wrong_aud["aud"] = json!("another-client");
    let err = assume(&sts, &rs256(&wrong_aud))
        .await
        .expect_err("audience");
    assert_eq!(err.message(), Some("Incorrect token audience"));
}

/// The counter of authorization decisions with `result`, as `/_mediamock/metrics` shows it.
async fn decisions_counted(server: &TestServer, result: &str) -> u64 {
    let r = server
        .raw(b"GET /_mediamock/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    assert_eq!(r.status, 200);
    let line = format!("mediamock_authorization_decisions_total{{result=\"{result}\"}} ");
    r.text()
        .lines()
        .find_map(|l| l.strip_prefix(&line))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// The decision log's entries for `action`.
async fn logged(server: &TestServer, action: &str) -> Vec<Value> {
    let (status, decisions) = server
        .admin("GET", "/_mediamock/decisions", Value::Null, "test", "test")
        .await;
    assert_eq!(status, 200, "{decisions}");
    decisions
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["action"] == action)
        .cloned()
        .collect()
}

/// A trust policy that refuses a federation call is a decision like any other: counted as
/// denied in the metrics, logged as a deny of the token's identity with the deciding
/// statement, and an explicit deny in the trust policy wins over its allow.
#[tokio::test]
async fn a_refused_federation_call_is_a_denied_decision_in_metrics_and_log() {
    let server = TestServer::start().await;
    let iam = setup(&server).await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    let denied_before = decisions_counted(&server, "denied").await;
    let err = assume(
        &sts,
        &rs256(&claims("repo:someone/else:ref:refs/heads/main", 600)),
    )
    .await
    .expect_err("sub not trusted");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        decisions_counted(&server, "denied").await,
        denied_before + 1
    );
    let log = logged(&server, "sts:AssumeRoleWithWebIdentity").await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["decision"], "implicitDeny", "{log:?}");
    assert_eq!(log[0]["principal"], PROVIDER, "{log:?}");
    assert_eq!(log[0]["resource"], ROLE, "{log:?}");
    assert_eq!(log[0]["audited"], false, "{log:?}");

    // An explicit deny for one branch: the log names the trust policy's statement.
    let trust = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": PROVIDER},
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo/media:*"}}},
        {"Sid": "NoRelease", "Effect": "Deny", "Principal": {"Federated": PROVIDER},
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "*:ref:refs/heads/release"}}}]});
    iam.update_assume_role_policy()
        .role_name("gha-deploy")
        .policy_document(trust.to_string())
        .send()
        .await
        .expect("update trust");
    let allowed_before = decisions_counted(&server, "allowed").await;
    assume(
        &sts,
        &rs256(&claims("repo:octo/media:ref:refs/heads/main", 600)),
    )
    .await
    .expect("main is trusted");
    assert_eq!(
        decisions_counted(&server, "allowed").await,
        allowed_before + 1
    );
    let err = assume(
        &sts,
        &rs256(&claims("repo:octo/media:ref:refs/heads/release", 600)),
    )
    .await
    .expect_err("release is denied explicitly");
    assert_eq!(
        err.message(),
        Some("Not authorized to perform sts:AssumeRoleWithWebIdentity")
    );
    assert_eq!(
        decisions_counted(&server, "denied").await,
        denied_before + 2
    );
    let log = logged(&server, "sts:AssumeRoleWithWebIdentity").await;
    let last = log.last().unwrap();
    assert_eq!(last["decision"], "explicitDeny", "{log:?}");
    assert_eq!(last["matchedStatement"]["sid"], "NoRelease", "{log:?}");
    assert_eq!(last["matchedStatement"]["effect"], "Deny", "{log:?}");
}

/// `--iam audit` lets a federation call the trust policy refuses through, as any other
/// operation, and logs the would-be denial.
#[tokio::test]
async fn audit_mode_lets_a_refused_federation_call_through_and_logs_it() {
    let mut config = server::Config::for_tests();
    config.iam_mode = server::IamMode::Audit;
    let server = TestServer::start_with(config).await;
    setup(&server).await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    let out = assume(
        &sts,
        &rs256(&claims("repo:someone/else:ref:refs/heads/main", 600)),
    )
    .await
    .expect("audit mode lets a would-be denial through");
    assert_eq!(
        out.assumed_role_user().unwrap().arn(),
        "arn:aws:sts::000000000000:assumed-role/gha-deploy/gha-run-1"
    );
    let log = logged(&server, "sts:AssumeRoleWithWebIdentity").await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["decision"], "implicitDeny", "{log:?}");
    assert_eq!(log[0]["audited"], true, "{log:?}");
    assert_eq!(log[0]["principal"], PROVIDER, "{log:?}");
    // A token that does not verify is still refused: audit mode relaxes decisions, not
    // authentication.
    let err = assume(
        &sts,
        &rs256(&claims("repo:someone/else:ref:refs/heads/main", -60)),
    )
    .await
    .expect_err("expired");
    assert_eq!(err.code(), Some("ExpiredTokenException"));
}

#[tokio::test]
async fn malformed_saml_is_refused_without_a_500() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    // The model wants at least 1000 characters; past that, the XML itself is checked.
    let short = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document("<not-metadata")
        .send()
        .await
        .expect_err("short metadata");
    assert_eq!(short.code(), Some("ValidationError"));
    let garbage = format!("<not-metadata>{}", "x".repeat(1200));
    let err = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(garbage)
        .send()
        .await
        .expect_err("garbage metadata");
    assert_eq!(err.code(), Some("InvalidInput"));
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    for assertion in ["%%%not base64%%%", "PGdhcmJhZ2U+", "PFJlc3BvbnNlPg=="] {
        let err = sts
            .assume_role_with_saml()
            .role_arn("arn:aws:iam::000000000000:role/sso")
            .principal_arn("arn:aws:iam::000000000000:saml-provider/corp")
            .saml_assertion(assertion)
            .send()
            .await
            .expect_err("malformed SAML");
        assert_eq!(err.code(), Some("InvalidIdentityToken"), "{assertion}");
        let status = err.raw_response().map(|r| r.status().as_u16());
        assert_eq!(status, Some(400), "{assertion}");
    }
}

#[tokio::test]
async fn service_linked_roles_resist_delete_role_and_managed_policies_grant_their_documents() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let role = iam
        .create_service_linked_role()
        .aws_service_name("ivs.amazonaws.com")
        .send()
        .await
        .expect("create SLR")
        .role
        .unwrap();
    assert_eq!(role.role_name(), "AWSServiceRoleForIVSRecordToS3");
    assert_eq!(role.path(), "/aws-service-role/ivs.amazonaws.com/");
    let err = iam
        .delete_role()
        .role_name("AWSServiceRoleForIVSRecordToS3")
        .send()
        .await
        .expect_err("protected");
    assert_eq!(err.code(), Some("UnmodifiableEntity"));
    assert!(err.into_service_error().is_unmodifiable_entity_exception());
    let task = iam
        .delete_service_linked_role()
        .role_name("AWSServiceRoleForIVSRecordToS3")
        .send()
        .await
        .expect("delete SLR")
        .deletion_task_id;
    assert!(
        task.starts_with("task/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3/")
    );
    let status = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(status.status().as_str(), "SUCCEEDED");
    let never = "task/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3/00000000-0000-0000-0000-000000000000";
    let err = iam
        .get_service_linked_role_deletion_status()
        .deletion_task_id(never)
        .send()
        .await
        .expect_err("never given");
    assert!(err.into_service_error().is_no_such_entity_exception());

    // AmazonS3ReadOnlyAccess grants exactly S3 reads.
    iam.create_user().user_name("reader").send().await.unwrap();
    iam.attach_user_policy()
        .user_name("reader")
        .policy_arn("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let sim = iam
        .simulate_principal_policy()
        .policy_source_arn("arn:aws:iam::000000000000:user/reader")
        .action_names("s3:GetObject")
        .action_names("s3:PutObject")
        .resource_arns("arn:aws:s3:::media-bucket/key")
        .send()
        .await
        .unwrap();
    let decisions: Vec<(String, String)> = sim
        .evaluation_results()
        .iter()
        .map(|r| {
            (
                r.eval_action_name().to_string(),
                r.eval_decision().as_str().to_string(),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        vec![
            ("s3:GetObject".to_string(), "allowed".to_string()),
            ("s3:PutObject".to_string(), "implicitDeny".to_string())
        ]
    );
}

/// Metadata of the fixture IdP whose key signed `crates/iam/fixtures/saml-signed-*.xml`.
fn saml_metadata(entity_id: &str) -> String {
    let cert: String = include_str!("../../crates/iam/fixtures/saml-idp-cert.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#
    )
}

/// The fixture response signed (on its assertion) by the fixture IdP, as `from` → `to` edits.
fn signed_response(from: &str, to: &str) -> String {
    STANDARD.encode(
        include_str!("../../crates/iam/fixtures/saml-signed-response.xml").replace(from, to),
    )
}

#[tokio::test]
async fn a_signed_saml_assertion_becomes_a_role_session() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let provider = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(saml_metadata("https://idp.example.com/metadata"))
        .send()
        .await
        .expect("create SAML provider")
        .saml_provider_arn
        .unwrap();
    assert_eq!(provider, "arn:aws:iam::000000000000:saml-provider/corp");
    // Metadata without validUntil: valid for a hundred years, as AWS answers.
    let got = iam
        .get_saml_provider()
        .saml_provider_arn(&provider)
        .send()
        .await
        .unwrap();
    let (created, until) = (got.create_date().unwrap(), got.valid_until().unwrap());
    let years = (until.secs() - created.secs()) / (365 * 86_400);
    assert_eq!(years, 100, "{created} {until}");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]});
    iam.create_role()
        .role_name("sso")
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/sso";
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    let out = sts
        .assume_role_with_saml()
        .role_arn(role)
        .principal_arn(&provider)
        .saml_assertion(signed_response("", ""))
        .send()
        .await
        .expect("assume with SAML");
    assert_eq!(out.subject(), Some("alice"));
    assert_eq!(out.subject_type(), Some("persistent"));
    assert_eq!(out.issuer(), Some("https://idp.example.com/metadata"));
    assert_eq!(
        out.assumed_role_user().unwrap().arn(),
        "arn:aws:sts::000000000000:assumed-role/sso/alice@example.com"
    );
    // Changing the signed assertion breaks its signature.
    let err = sts
        .assume_role_with_saml()
        .role_arn(role)
        .principal_arn(&provider)
        .saml_assertion(signed_response(">alice<", ">mallory<"))
        .send()
        .await
        .expect_err("tampered");
    assert_eq!(err.code(), Some("InvalidIdentityToken"));
    assert_eq!(err.message(), Some("Response signature invalid"));
}

#[tokio::test]
async fn a_trust_policy_tests_the_assertions_directory_attributes() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let provider = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(saml_metadata("https://idp.example.com/metadata"))
        .send()
        .await
        .unwrap()
        .saml_provider_arn
        .unwrap();
    // AD emailaddress → saml:mail, urn:oid:2.5.4.42 → saml:givenName, urn:oid:2.5.4.4 →
    // saml:surname, the AD CommonName claim → saml:commonName.
    let trust = |mail: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithSAML",
            "Condition": {
                "StringEquals": {"saml:mail": mail, "saml:surname": "Liddell"},
                "StringLike": {"saml:givenName": "Ali*", "saml:commonName": "Alice *"}}}]})
        .to_string()
    };
    iam.create_role()
        .role_name("sso")
        .assume_role_policy_document(trust("alice@example.com"))
        .send()
        .await
        .unwrap();
    let role = "arn:aws:iam::000000000000:role/sso";
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    let directory = STANDARD.encode(include_str!(
        "../../crates/iam/fixtures/saml-signed-directory.xml"
    ));
    let assume = |assertion: String| {
        sts.assume_role_with_saml()
            .role_arn(role)
            .principal_arn(&provider)
            .saml_assertion(assertion)
            .send()
    };
    let out = assume(directory.clone())
        .await
        .expect("the attributes match");
    assert_eq!(out.subject(), Some("alice"));
    // The assertion without those attributes does not meet the conditions.
    let err = assume(signed_response("", "")).await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    // Nor does the directory assertion once the trust policy wants another mail.
    iam.update_assume_role_policy()
        .role_name("sso")
        .policy_document(trust("bob@example.com"))
        .send()
        .await
        .unwrap();
    let err = assume(directory).await.unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
}

#[tokio::test]
async fn providers_keys_and_service_linked_roles_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!(
        "mediamock-federation-{}-{}",
        std::process::id(),
        now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = || {
        let mut c = server::Config::for_tests();
        c.data_dir = Some(dir.clone());
        c.seed = None;
        c
    };
    let server = TestServer::start_with(config()).await;
    let iam = setup(&server).await;
    iam.create_service_linked_role()
        .aws_service_name("mediaconnect.amazonaws.com")
        .send()
        .await
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("unused", "unused").await);
    assume(
        &sts,
        &rs256(&claims("repo:octo/media:ref:refs/heads/main", 600)),
    )
    .await
    .expect("provider and keys restored");
    let iam = server.iam_root().await;
    let err = iam
        .delete_role()
        .role_name("AWSServiceRoleForMediaConnect")
        .send()
        .await
        .expect_err("still protected");
    assert_eq!(err.code(), Some("UnmodifiableEntity"));
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// IAM takes any 40-character thumbprint, hex or not: Terraform's
/// aws_iam_openid_connect_provider acceptance tests, run against AWS, create and then update a
/// provider whose thumbprint is `oif8192f189fa2178f-testle.thumbprint.com`.
#[tokio::test]
async fn an_oidc_thumbprint_of_forty_characters_need_not_be_hex() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let thumbprint = "oif8192f189fa2178f-testle.thumbprint.com";
    let arn = iam
        .create_open_id_connect_provider()
        .url("https://accounts.testle.com/abcde")
        .client_id_list("abc.testle.com")
        .client_id_list("def.testle.com")
        .thumbprint_list(thumbprint)
        .send()
        .await
        .unwrap()
        .open_id_connect_provider_arn
        .unwrap();
    iam.add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .client_id("xyz.testle.com")
        .send()
        .await
        .unwrap();
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.thumbprint_list(), [thumbprint]);
    assert_eq!(got.client_id_list().len(), 3);
}

/// GetSAMLProvider answers the provider's SAMLProviderUUID: Terraform's aws_iam_saml_provider
/// acceptance test, run against AWS, requires `saml_provider_uuid` to be set. It keeps to the
/// model's `[A-Z0-9]`, 22 to 64 characters, and is the same on every read.
#[tokio::test]
async fn get_saml_provider_answers_a_uuid() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let arn = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(saml_metadata("https://idp.example.com/metadata"))
        .send()
        .await
        .unwrap()
        .saml_provider_arn
        .unwrap();
    let read = || async {
        iam.get_saml_provider()
            .saml_provider_arn(&arn)
            .send()
            .await
            .unwrap()
            .saml_provider_uuid
            .expect("SAMLProviderUUID")
    };
    let uuid = read().await;
    assert!((22..=64).contains(&uuid.len()), "{uuid}");
    assert!(uuid
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    assert_eq!(read().await, uuid);
}
