//! Tests of identity providers, federation and service-linked roles.

use crate::api::test_support::{accesses, call, code_message, iam, root_ctx, session_ctx, sts};
use crate::jwt::tests::{es256_key, sign_es256};
use crate::saml::tests::response;
use crate::Iam;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use service::{Principal, PrincipalKind, RequestContext};
use std::sync::Arc;

const GH: &str = "token.actions.githubusercontent.com";
const PROVIDER: &str =
    "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com";
const ROLE: &str = "arn:aws:iam::000000000000:role/ci";

fn anonymous() -> RequestContext {
    RequestContext::new("req", Principal::anonymous(), "us-east-1")
}

/// A GitHub-style provider with a fresh key, and a role trusting `repo:o/r:*` on it.
fn setup() -> (Arc<Iam>, ring::signature::EcdsaKeyPair) {
    let iam = iam();
    let root = root_ctx();
    let out = call(
        &iam,
        &root,
        "CreateOpenIDConnectProvider",
        json!({"Url": format!("https://{GH}"), "ClientIDList": ["sts.amazonaws.com"],
               "ThumbprintList": ["6938fd4d98bab03faadb97b34396831e3780aea1"]}),
    )
    .unwrap();
    assert_eq!(out["OpenIDConnectProviderArn"], PROVIDER);
    let (pair, jwks) = es256_key("k1");
    let admin = iam
        .iam_service()
        .admin(
            &root,
            "POST",
            "oidc-keys",
            json!({"provider": format!("https://{GH}"), "jwks": jwks}),
        )
        .unwrap()
        .unwrap();
    assert_eq!(admin["provider"], PROVIDER);
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": PROVIDER}, "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {format!("{GH}:aud"): "sts.amazonaws.com"},
                      "StringLike": {format!("{GH}:sub"): "repo:o/r:*"}}}]});
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "ci", "AssumeRolePolicyDocument": trust.to_string()}),
    )
    .unwrap();
    (iam, pair)
}

fn claims(iam: &Iam, sub: &str, exp_in: f64) -> Value {
    let now = iam.runtime.clock.now();
    json!({"iss": format!("https://{GH}"), "sub": sub, "aud": "sts.amazonaws.com",
           "iat": now as i64 - 10, "nbf": now as i64 - 10, "exp": (now + exp_in) as i64})
}

fn assume(iam: &Arc<Iam>, token: &str) -> Result<Value, service::ServiceError> {
    sts(
        iam,
        &anonymous(),
        "AssumeRoleWithWebIdentity",
        json!({"RoleArn": ROLE, "RoleSessionName": "gha", "WebIdentityToken": token}),
    )
}

#[test]
fn web_identity_allowed_when_the_trust_conditions_match_the_claims() {
    let (iam, pair) = setup();
    let token = sign_es256(
        &pair,
        "k1",
        &claims(&iam, "repo:o/r:ref:refs/heads/main", 600.0),
    );
    let out = assume(&iam, &token).unwrap();
    assert_eq!(
        out["SubjectFromWebIdentityToken"],
        "repo:o/r:ref:refs/heads/main"
    );
    assert_eq!(out["Audience"], "sts.amazonaws.com");
    // The IAM OIDC provider's ARN, as AWS answers.
    assert_eq!(
        out["Provider"],
        format!("arn:aws:iam::000000000000:oidc-provider/{GH}")
    );
    // No session policy or tag passed: AWS's answer has no PackedPolicySize.
    assert!(out.get("PackedPolicySize").is_none(), "{out}");
    assert_eq!(
        out["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::000000000000:assumed-role/ci/gha"
    );
    // The session's requests carry aws:FederatedProvider.
    let ctx = session_ctx(&iam, &out);
    assert_eq!(ctx.principal.kind, PrincipalKind::AssumedRole);
    let state = iam.state.read();
    let c = crate::context_keys::build(
        &state,
        &ctx,
        &service::Access::new("ivs:ListChannels", "*"),
        0.0,
    );
    assert_eq!(
        c.get("aws:FederatedProvider"),
        Some(&service::ContextValue::String(PROVIDER.into()))
    );
    assert_eq!(
        c.get("aws:PrincipalType"),
        Some(&service::ContextValue::String("AssumedRole".into()))
    );
}

#[test]
fn web_identity_refused_by_sub_expiry_key_audience_and_provider() {
    let (iam, pair) = setup();
    let e = assume(
        &iam,
        &sign_es256(&pair, "k1", &claims(&iam, "repo:evil/r:ref:x", 600.0)),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("AccessDenied", Some(403)));
    assert_eq!(
        e.message,
        "Not authorized to perform sts:AssumeRoleWithWebIdentity"
    );
    // The refusal is explained in the role account's decision log.
    let log = iam.decisions("000000000000").to_string();
    assert!(log.contains("sts:AssumeRoleWithWebIdentity"), "{log}");
    assert!(log.contains(PROVIDER), "{log}");

    let e = assume(
        &iam,
        &sign_es256(&pair, "k1", &claims(&iam, "repo:o/r:x", -60.0)),
    )
    .unwrap_err();
    assert_eq!(e.code, "ExpiredTokenException");
    assert!(
        e.message.starts_with("Token expired: current date/time "),
        "{}",
        e.message
    );

    let (other, _) = es256_key("k1");
    let e = assume(
        &iam,
        &sign_es256(&other, "k1", &claims(&iam, "repo:o/r:x", 600.0)),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidIdentityToken");
    let (other, _) = es256_key("k9");
    let e = assume(
        &iam,
        &sign_es256(&other, "k9", &claims(&iam, "repo:o/r:x", 600.0)),
    )
    .unwrap_err();
    assert!(
        e.message.starts_with("Couldn't retrieve verification key"),
        "{}",
        e.message
    );

    let mut c = claims(&iam, "repo:o/r:x", 600.0);
    c["aud"] = json!("someone-else");
    let e = assume(&iam, &sign_es256(&pair, "k1", &c)).unwrap_err();
    assert_eq!(
        code_message(&e),
        ("InvalidIdentityToken", "Incorrect token audience")
    );

    let mut c = claims(&iam, "repo:o/r:x", 600.0);
    c["iss"] = json!("https://accounts.google.com");
    let e = assume(&iam, &sign_es256(&pair, "k1", &c)).unwrap_err();
    assert_eq!(
        e.message,
        "No OpenIDConnect provider found in your account for https://accounts.google.com"
    );

    let mut c = claims(&iam, "repo:o/r:x", 600.0);
    c["nbf"] = json!(iam.runtime.clock.now() as i64 + 3600);
    let e = assume(&iam, &sign_es256(&pair, "k1", &c)).unwrap_err();
    assert_eq!(e.code, "InvalidIdentityToken");

    for garbage in ["", "x.y.z", "not a jwt"] {
        let e = assume(&iam, garbage).unwrap_err();
        assert_eq!(e.code, "InvalidIdentityToken", "{garbage}");
    }
}

#[test]
fn explicit_deny_in_the_trust_policy_wins() {
    let (iam, pair) = setup();
    let trust = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": PROVIDER}, "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Deny", "Principal": {"Federated": PROVIDER}, "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringLike": {format!("{GH}:sub"): "*:pull_request"}}}]});
    call(
        &iam,
        &root_ctx(),
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "ci", "PolicyDocument": trust.to_string()}),
    )
    .unwrap();
    assert!(assume(
        &iam,
        &sign_es256(&pair, "k1", &claims(&iam, "repo:o/r:ref:main", 600.0))
    )
    .is_ok());
    let e = assume(
        &iam,
        &sign_es256(&pair, "k1", &claims(&iam, "repo:o/r:pull_request", 600.0)),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
}

#[test]
fn oidc_provider_crud_and_errors() {
    let (iam, _) = setup();
    let root = root_ctx();
    let arn = json!({"OpenIDConnectProviderArn": PROVIDER});
    let e = call(
        &iam,
        &root,
        "CreateOpenIDConnectProvider",
        json!({"Url": format!("https://{GH}")}),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    let e = call(
        &iam,
        &root,
        "CreateOpenIDConnectProvider",
        json!({"Url": "http://x"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidInput");
    call(
        &iam,
        &root,
        "AddClientIDToOpenIDConnectProvider",
        json!({"OpenIDConnectProviderArn": PROVIDER, "ClientID": "other"}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "TagOpenIDConnectProvider",
        json!({"OpenIDConnectProviderArn": PROVIDER, "Tags": [{"Key": "team", "Value": "ci"}]}),
    )
    .unwrap();
    let got = call(&iam, &root, "GetOpenIDConnectProvider", arn.clone()).unwrap();
    assert_eq!(got["Url"], GH);
    assert_eq!(got["ClientIDList"], json!(["sts.amazonaws.com", "other"]));
    assert_eq!(got["Tags"][0]["Key"], "team");
    let e = call(
        &iam,
        &root,
        "UpdateOpenIDConnectProviderThumbprint",
        json!({"OpenIDConnectProviderArn": PROVIDER, "ThumbprintList": vec!["a".repeat(40); 6]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "LimitExceeded");
    call(
        &iam,
        &root,
        "RemoveClientIDFromOpenIDConnectProvider",
        json!({"OpenIDConnectProviderArn": PROVIDER, "ClientID": "other"}),
    )
    .unwrap();
    // The provider's tags are its aws:ResourceTag keys.
    let accesses = accesses(
        &iam.iam_service(),
        &root,
        "GetOpenIDConnectProvider",
        &json!({"OpenIDConnectProviderArn": PROVIDER}),
    )
    .unwrap();
    assert_eq!(accesses[0].resource, PROVIDER);
    assert!(accesses[0]
        .context
        .iter()
        .any(|(k, v)| k == "aws:ResourceTag/team"
            && *v == service::ContextValue::String("ci".into())));
    let list = call(&iam, &root, "ListOpenIDConnectProviders", json!({})).unwrap();
    assert_eq!(
        list["OpenIDConnectProviderList"],
        json!([{"Arn": PROVIDER}])
    );
    // Restored from records, keys included.
    let fresh = crate::api::test_support::iam();
    for r in iam.records() {
        fresh.restore(&r).unwrap();
    }
    assert_eq!(*fresh.state.read(), *iam.state.read());
    call(&iam, &root, "DeleteOpenIDConnectProvider", arn.clone()).unwrap();
    let e = call(&iam, &root, "GetOpenIDConnectProvider", arn).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("OpenIDConnect Provider not found for arn {PROVIDER}").as_str()
        )
    );
    let bad = iam
        .iam_service()
        .admin(
            &root,
            "POST",
            "oidc-keys",
            json!({"provider": PROVIDER, "jwks": {"keys": []}}),
        )
        .unwrap();
    assert!(bad.is_err());
}

#[test]
fn service_linked_roles_are_named_protected_and_deleted_as_aws_does() {
    let iam = iam();
    let root = root_ctx();
    let out = call(
        &iam,
        &root,
        "CreateServiceLinkedRole",
        json!({"AWSServiceName": "ivs.amazonaws.com"}),
    )
    .unwrap();
    let role = &out["Role"];
    assert_eq!(role["RoleName"], "AWSServiceRoleForIVSRecordToS3");
    assert_eq!(role["Path"], "/aws-service-role/ivs.amazonaws.com/");
    assert_eq!(
        role["Arn"],
        "arn:aws:iam::000000000000:role/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3"
    );
    let attached = call(
        &iam,
        &root,
        "ListAttachedRolePolicies",
        json!({"RoleName": "AWSServiceRoleForIVSRecordToS3"}),
    )
    .unwrap();
    assert_eq!(
        attached["AttachedPolicies"][0]["PolicyArn"],
        "arn:aws:iam::aws:policy/aws-service-role/IVSRecordToS3"
    );
    let e = call(
        &iam,
        &root,
        "CreateServiceLinkedRole",
        json!({"AWSServiceName": "ivs.amazonaws.com"}),
    )
    .unwrap_err();
    assert_eq!(e.message, "Service role name AWSServiceRoleForIVSRecordToS3 has been taken in this account, please try a different suffix.");
    let e = call(
        &iam,
        &root,
        "CreateServiceLinkedRole",
        json!({"AWSServiceName": "ivs.amazonaws.com", "CustomSuffix": "x"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "InvalidInput",
            "Custom suffix is not allowed for ivs.amazonaws.com"
        )
    );
    let asg = call(
        &iam,
        &root,
        "CreateServiceLinkedRole",
        json!({"AWSServiceName": "autoscaling.amazonaws.com", "CustomSuffix": "web"}),
    )
    .unwrap();
    assert_eq!(asg["Role"]["RoleName"], "AWSServiceRoleForAutoScaling_web");
    for (op, extra) in [
        ("DeleteRole", json!({})),
        ("UpdateAssumeRolePolicy", json!({"PolicyDocument": "{}"})),
        (
            "PutRolePolicy",
            json!({"PolicyName": "p", "PolicyDocument": "{}"}),
        ),
        (
            "AttachRolePolicy",
            json!({"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        ),
        (
            "DetachRolePolicy",
            json!({"PolicyArn": "arn:aws:iam::aws:policy/aws-service-role/IVSRecordToS3"}),
        ),
        ("UpdateRole", json!({"MaxSessionDuration": 7200})),
    ] {
        let mut input = extra;
        input["RoleName"] = json!("AWSServiceRoleForIVSRecordToS3");
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(e.code, "UnmodifiableEntity", "{op}");
        assert_eq!(e.message, "Cannot perform the operation on the protected role 'AWSServiceRoleForIVSRecordToS3' - this role is only modifiable by AWS");
    }
    // Its description is the one thing anyone may edit.
    call(
        &iam,
        &root,
        "UpdateRoleDescription",
        json!({"RoleName": "AWSServiceRoleForIVSRecordToS3", "Description": "mine"}),
    )
    .unwrap();
    let del = call(
        &iam,
        &root,
        "DeleteServiceLinkedRole",
        json!({"RoleName": "AWSServiceRoleForIVSRecordToS3"}),
    )
    .unwrap();
    let task = del["DeletionTaskId"].as_str().unwrap();
    assert!(
        task.starts_with("task/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3/"),
        "{task}"
    );
    let status = call(
        &iam,
        &root,
        "GetServiceLinkedRoleDeletionStatus",
        json!({"DeletionTaskId": task}),
    )
    .unwrap();
    assert_eq!(status["Status"], "SUCCEEDED");
    assert!(call(
        &iam,
        &root,
        "GetRole",
        json!({"RoleName": "AWSServiceRoleForIVSRecordToS3"})
    )
    .is_err());
    let e = call(
        &iam,
        &root,
        "GetServiceLinkedRoleDeletionStatus",
        json!({"DeletionTaskId": "nope"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidInput");
    // A well-formed task the account was never given is not found.
    let unknown = format!("{}x", task);
    let e = call(
        &iam,
        &root,
        "GetServiceLinkedRoleDeletionStatus",
        json!({"DeletionTaskId": unknown}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    assert_eq!(
        e.message,
        format!("The deletion task with id {unknown} cannot be found.")
    );
    // An ordinary role is not deleted by DeleteServiceLinkedRole.
    call(&iam, &root, "CreateRole", json!({"RoleName": "plain", "AssumeRolePolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ivs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#})).unwrap();
    assert!(call(
        &iam,
        &root,
        "DeleteServiceLinkedRole",
        json!({"RoleName": "plain"})
    )
    .is_err());
}

const SAML_PROVIDER: &str = "arn:aws:iam::000000000000:saml-provider/corp";

/// Metadata of the fixture IdP (its certificate signed the fixture responses).
fn fixture_metadata(entity_id: &str) -> String {
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}" validUntil="2100-01-01T00:00:00Z"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#,
        crate::xmldsig::tests::certificate()
    )
}

/// A signed fixture response, base64 as the SDK sends it.
fn fixture(xml: &str) -> String {
    STANDARD.encode(xml)
}

fn saml_setup() -> Arc<Iam> {
    let iam = iam();
    let root = root_ctx();
    let out = call(
        &iam,
        &root,
        "CreateSAMLProvider",
        json!({"Name": "corp", "SAMLMetadataDocument": fixture_metadata("https://idp.example.com/metadata")}),
    )
    .unwrap();
    assert_eq!(out["SAMLProviderArn"], SAML_PROVIDER);
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": SAML_PROVIDER}, "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"saml:aud": "https://signin.aws.amazon.com/saml", "saml:sub": "alice"}}}]});
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "sso", "AssumeRolePolicyDocument": trust.to_string()}),
    )
    .unwrap();
    iam
}

fn saml_assume(iam: &Arc<Iam>, assertion: &str) -> Result<Value, service::ServiceError> {
    sts(
        iam,
        &anonymous(),
        "AssumeRoleWithSAML",
        json!({
        "RoleArn": "arn:aws:iam::000000000000:role/sso", "PrincipalArn": SAML_PROVIDER, "SAMLAssertion": assertion}),
    )
}

#[test]
fn saml_providers_and_assume_role_with_saml() {
    let iam = saml_setup();
    let root = root_ctx();
    let e = call(
        &iam,
        &root,
        "CreateSAMLProvider",
        json!({"Name": "bad", "SAMLMetadataDocument": "<garbage"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidInput");
    let got = call(
        &iam,
        &root,
        "GetSAMLProvider",
        json!({"SAMLProviderArn": SAML_PROVIDER}),
    )
    .unwrap();
    assert_eq!(got["ValidUntil"], json!(4_102_444_800.0));
    let ok = fixture(crate::xmldsig::tests::SIGNED);
    let out = saml_assume(&iam, &ok).unwrap();
    assert_eq!(out["Subject"], "alice");
    assert_eq!(out["SubjectType"], "persistent");
    assert_eq!(out["Issuer"], "https://idp.example.com/metadata");
    assert_eq!(
        out["AssumedRoleUser"]["Arn"],
        "arn:aws:sts::000000000000:assumed-role/sso/alice@example.com"
    );
    assert_eq!(out["NameQualifier"].as_str().unwrap().len(), 28);
    // A response signed as a whole works too.
    assert!(saml_assume(
        &iam,
        &fixture(include_str!("../../fixtures/saml-signed-root.xml"))
    )
    .is_ok());

    // Unsigned, tampered or foreign responses.
    let roles = format!("arn:aws:iam::000000000000:role/sso,{SAML_PROVIDER}");
    let unsigned = response(
        "https://idp.example.com/metadata",
        &roles,
        "2020-01-01T00:00:00Z",
        "2100-01-01T00:00:00Z",
    );
    let e = saml_assume(&iam, &unsigned).unwrap_err();
    assert_eq!(
        code_message(&e),
        ("InvalidIdentityToken", "Response signature invalid")
    );
    let tampered = fixture(&crate::xmldsig::tests::SIGNED.replace(">alice<", ">mallory<"));
    assert_eq!(
        saml_assume(&iam, &tampered).unwrap_err().message,
        "Response signature invalid"
    );
    let wrong_issuer = response(
        "http://evil",
        &roles,
        "2020-01-01T00:00:00Z",
        "2100-01-01T00:00:00Z",
    );
    let e = saml_assume(&iam, &wrong_issuer).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "InvalidIdentityToken",
            "Issuer not present in specified provider"
        )
    );
    let old = fixture(include_str!("../../fixtures/saml-signed-expired.xml"));
    assert_eq!(
        saml_assume(&iam, &old).unwrap_err().code,
        "ExpiredTokenException"
    );
    let other_role = fixture(include_str!("../../fixtures/saml-signed-other-role.xml"));
    assert_eq!(
        saml_assume(&iam, &other_role).unwrap_err().code,
        "AccessDenied"
    );
    // Signature wrapping: an unsigned Role attribute beside the signed assertion is ignored.
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": SAML_PROVIDER}, "Action": "sts:AssumeRoleWithSAML"}]});
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "admin", "AssumeRolePolicyDocument": trust.to_string()}),
    )
    .unwrap();
    let injected = crate::xmldsig::tests::SIGNED.replace(
        "</samlp:Response>",
        &format!(r#"<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::000000000000:role/admin,{SAML_PROVIDER}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></samlp:Response>"#),
    );
    let e = sts(
        &iam,
        &anonymous(),
        "AssumeRoleWithSAML",
        json!({
        "RoleArn": "arn:aws:iam::000000000000:role/admin", "PrincipalArn": SAML_PROVIDER,
        "SAMLAssertion": fixture(&injected)}),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    for garbage in ["", "!!!", "PGZvbz4=", "PFJlc3BvbnNlPg=="] {
        let e = saml_assume(&iam, garbage).unwrap_err();
        assert_eq!(e.code, "InvalidIdentityToken", "{garbage}");
    }
    // New metadata with another entity ID: the old responses no longer match.
    call(&iam, &root, "UpdateSAMLProvider", json!({"SAMLProviderArn": SAML_PROVIDER, "SAMLMetadataDocument": fixture_metadata("https://idp2.example.com")})).unwrap();
    assert_eq!(
        saml_assume(&iam, &ok).unwrap_err().message,
        "Issuer not present in specified provider"
    );
    call(
        &iam,
        &root,
        "DeleteSAMLProvider",
        json!({"SAMLProviderArn": SAML_PROVIDER}),
    )
    .unwrap();
    assert_eq!(
        call(&iam, &root, "ListSAMLProviders", json!({})).unwrap()["SAMLProviderList"],
        json!([])
    );
}

#[test]
fn anonymous_requests_have_aws_anonymous_keys() {
    let iam = iam();
    let state = iam.state.read();
    let c = crate::context_keys::build(
        &state,
        &anonymous(),
        &service::Access::new("sts:AssumeRoleWithWebIdentity", "*"),
        0.0,
    );
    assert_eq!(
        c.get("aws:userid"),
        Some(&service::ContextValue::String("anonymous".into()))
    );
    assert_eq!(
        c.get("aws:PrincipalType"),
        Some(&service::ContextValue::String("Anonymous".into()))
    );
}

#[test]
fn web_identity_is_decided_by_the_trust_policy_alone_explicit_deny_included() {
    let (iam, pair) = setup();
    let token = || {
        sign_es256(
            &pair,
            "k1",
            &claims(&iam, "repo:o/r:ref:refs/heads/dev", 600.0),
        )
    };
    assume(&iam, &token()).unwrap();
    let update = |trust: Value| {
        call(
            &iam,
            &root_ctx(),
            "UpdateAssumeRolePolicy",
            json!({"RoleName": "ci", "PolicyDocument": trust.to_string()}),
        )
        .unwrap();
    };
    // An explicit deny for the dev branch wins over the allow of repo:o/r:*.
    update(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": PROVIDER},
         "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Deny", "Principal": {"Federated": PROVIDER},
         "Action": "sts:AssumeRoleWithWebIdentity",
         "Condition": {"StringLike": {format!("{GH}:sub"): "*:ref:refs/heads/dev"}}}]}));
    let e = assume(&iam, &token()).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    // Trusting the account (an `AWS` principal) does not let a federated identity in.
    update(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
         "Action": "sts:AssumeRoleWithWebIdentity"}]}));
    let e = assume(&iam, &token()).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    // Audit mode and the decision log see the trust decisions.
    let log = iam.decisions("000000000000").to_string();
    assert!(
        log.contains("explicitDeny") || log.contains("Deny"),
        "{log}"
    );
}

#[test]
fn a_verified_token_is_authorized_by_the_engine_as_its_provider_with_its_claims() {
    let (iam, pair) = setup();
    let token = sign_es256(
        &pair,
        "k1",
        &claims(&iam, "repo:o/r:ref:refs/heads/main", 600.0),
    );
    let sts_svc = iam.sts_service();
    let input = json!({"RoleArn": ROLE, "RoleSessionName": "gha", "WebIdentityToken": token});
    let a = accesses(&sts_svc, &anonymous(), "AssumeRoleWithWebIdentity", &input).unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    assert_eq!(
        (a[0].action.as_str(), a[0].resource.as_str()),
        ("sts:AssumeRoleWithWebIdentity", ROLE)
    );
    let who = a[0].principal.as_ref().expect("evaluated as the provider");
    assert_eq!(
        (who.arn.as_str(), who.kind, who.account.as_str()),
        (PROVIDER, PrincipalKind::WebIdentity, "000000000000")
    );
    assert!(a[0].resource_policy.is_some(), "the trust policy");
    let s = |v: &str| service::ContextValue::String(v.into());
    for (k, v) in [
        (format!("{GH}:sub"), s("repo:o/r:ref:refs/heads/main")),
        (format!("{GH}:aud"), s("sts.amazonaws.com")),
        ("aws:FederatedProvider".into(), s(PROVIDER)),
    ] {
        assert!(a[0].context.contains(&(k.clone(), v)), "{k}: {a:?}");
    }
    // Session tags in the token: request tags, and `sts:TagSession` on the role as well.
    let mut tagged = claims(&iam, "repo:o/r:ref:refs/heads/main", 600.0);
    tagged["https://aws.amazon.com/tags"] = json!({"principal_tags": {"team": ["red"]}});
    let mut with_tags = input.clone();
    with_tags["WebIdentityToken"] = json!(sign_es256(&pair, "k1", &tagged));
    let a = accesses(
        &sts_svc,
        &anonymous(),
        "AssumeRoleWithWebIdentity",
        &with_tags,
    )
    .unwrap();
    let actions: Vec<&str> = a.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(actions, ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]);
    for x in &a {
        assert_eq!(x.resource, ROLE);
        assert!(x.principal.is_some());
        assert!(
            x.context
                .contains(&("aws:RequestTag/team".into(), s("red"))),
            "{x:?}"
        );
    }
    // A token that does not verify gets no access at all: its error, before any decision.
    let forged = format!("{}x", input["WebIdentityToken"].as_str().unwrap());
    let mut bad = input.clone();
    bad["WebIdentityToken"] = json!(forged);
    let e = accesses(&sts_svc, &anonymous(), "AssumeRoleWithWebIdentity", &bad).unwrap_err();
    assert_eq!(e.code, "InvalidIdentityToken", "{e}");
}

#[test]
fn saml_attributes_become_their_documented_keys() {
    let attributes: std::collections::BTreeMap<String, Vec<String>> = [
        ("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", vec!["staff", "member"]),
        (
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
            vec!["alice@example.edu"],
        ),
        ("urn:oid:2.5.4.3", vec!["Alice"]),
        ("https://example.com/department", vec!["R&D"]),
        ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let claims = super::attribute_claims(&attributes);
    assert_eq!(
        claims,
        vec![
            (
                "saml:edupersonaffiliation".to_string(),
                service::ContextValue::Strings(vec!["staff".into(), "member".into()])
            ),
            (
                "saml:edupersonprincipalname".to_string(),
                service::ContextValue::String("alice@example.edu".into())
            ),
            (
                "saml:cn".to_string(),
                service::ContextValue::String("Alice".into())
            ),
        ]
    );
}

#[test]
fn directory_attributes_become_their_documented_keys_one_claim_per_key() {
    let attributes: std::collections::BTreeMap<String, Vec<String>> = [
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            vec!["alice@example.com"],
        ),
        // A second claim for saml:mail: only one is mapped, the AD one listed first.
        (
            "urn:oid:0.9.2342.19200300.100.1.3",
            vec!["other@example.com"],
        ),
        ("urn:oid:2.5.4.42", vec!["Alice"]),
        ("2.5.4.4", vec!["Liddell"]),
        ("2.5.4.3", vec!["Alice Liddell"]),
        ("urn:oid:2.5.4.45", vec!["x500-1"]),
        (
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
            vec!["S-1-5-21-513"],
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
            vec!["alice", "a.liddell"],
        ),
        ("0.9.2342.19200300.100.1.45", vec!["active"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    let s = |v: &str| service::ContextValue::String(v.into());
    let claims: std::collections::BTreeMap<String, service::ContextValue> =
        super::attribute_claims(&attributes).into_iter().collect();
    let expected: std::collections::BTreeMap<String, service::ContextValue> = [
        ("saml:mail", s("alice@example.com")),
        ("saml:givenName", s("Alice")),
        ("saml:surname", s("Liddell")),
        ("saml:commonName", s("Alice Liddell")),
        ("saml:x500UniqueIdentifier", s("x500-1")),
        ("saml:uid", s("S-1-5-21-513")),
        (
            "saml:name",
            service::ContextValue::Strings(vec!["alice".into(), "a.liddell".into()]),
        ),
        ("saml:organizationStatus", s("active")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(claims, expected);
    // The bare X.500 2.5.4.3 is commonName; its URN stays the eduPerson table's cn.
    let urn: std::collections::BTreeMap<String, Vec<String>> =
        [("urn:oid:2.5.4.3".to_string(), vec!["Alice".to_string()])].into();
    assert_eq!(
        super::attribute_claims(&urn),
        vec![("saml:cn".to_string(), s("Alice"))]
    );
}

#[test]
fn a_trust_policy_may_test_saml_doc() {
    let iam = saml_setup();
    let root = root_ctx();
    let trust = |doc: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": SAML_PROVIDER}, "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"saml:doc": doc}}}]})
        .to_string()
    };
    let update = |doc: &str| {
        call(
            &iam,
            &root,
            "UpdateAssumeRolePolicy",
            json!({"RoleName": "sso", "PolicyDocument": trust(doc)}),
        )
        .unwrap()
    };
    update("000000000000/other");
    let ok = fixture(crate::xmldsig::tests::SIGNED);
    assert_eq!(saml_assume(&iam, &ok).unwrap_err().code, "AccessDenied");
    update("000000000000/corp");
    saml_assume(&iam, &ok).unwrap();
}
