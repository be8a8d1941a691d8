//! IAM and STS answers as AWS gives them, from LocalStack's snapshot tests recorded against
//! real AWS (localstack/localstack tests/aws/services/iam/*.snapshot.json and
//! tests/aws/services/sts/test_sts.snapshot.json), replayed with the real SDK.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use common::{assert_error, TestServer};

/// test_iam_users.py test_user_group_membership: removing a user who is no longer in the
/// group succeeds; test_iam_groups.py test_remove_user_from_unknown_group: the user is
/// looked up before the group.
#[tokio::test]
async fn remove_user_from_group_is_idempotent_and_checks_the_user_first() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_group().group_name("g").send().await.unwrap();
    iam.create_user().user_name("u").send().await.unwrap();
    iam.add_user_to_group()
        .group_name("g")
        .user_name("u")
        .send()
        .await
        .unwrap();
    for _ in 0..2 {
        iam.remove_user_from_group()
            .group_name("g")
            .user_name("u")
            .send()
            .await
            .unwrap();
    }
    let e = iam
        .remove_user_from_group()
        .group_name("non-existent-group")
        .user_name("any-user")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        "The user with name any-user cannot be found.",
    );
}

/// test_iam_policies.py test_policy_lifecycle, test_iam_instance_profiles.py
/// test_instance_profile_lifecycle and test_iam_server_certificates.py
/// test_server_certificate_lifecycle: the Get answers carry `Tags: []` when untagged.
#[tokio::test]
async fn get_answers_carry_an_empty_tag_list() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
    let arn = server.managed_policy("p", doc).await;
    let p = iam.get_policy().policy_arn(&arn).send().await.unwrap();
    assert_eq!(p.policy.unwrap().tags, Some(vec![]));
    let p = iam
        .get_policy()
        .policy_arn("arn:aws:iam::aws:policy/IAMUserChangePassword")
        .send()
        .await
        .unwrap();
    assert_eq!(p.policy.unwrap().tags, Some(vec![]));
    iam.create_instance_profile()
        .instance_profile_name("ip")
        .send()
        .await
        .unwrap();
    let ip = iam
        .get_instance_profile()
        .instance_profile_name("ip")
        .send()
        .await
        .unwrap();
    assert_eq!(ip.instance_profile.unwrap().tags, Some(vec![]));
    iam.upload_server_certificate()
        .server_certificate_name("web")
        .certificate_body(include_str!("../../crates/iam/fixtures/server-cert.pem"))
        .private_key(include_str!("../../crates/iam/fixtures/server-cert.key"))
        .send()
        .await
        .unwrap();
    let sc = iam
        .get_server_certificate()
        .server_certificate_name("web")
        .send()
        .await
        .unwrap();
    assert_eq!(sc.server_certificate.unwrap().tags, Some(vec![]));
}

/// test_iam_roles.py test_role_permissions_boundary_lifecycle and test_update_role: CreateRole
/// answers no Description (GetRole does), UpdateRoleDescription no MaxSessionDuration or
/// RoleLastUsed.
#[tokio::test]
async fn create_role_and_update_role_description_leave_out_what_aws_leaves_out() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let created = iam
        .create_role()
        .role_name("r")
        .assume_role_policy_document(trust)
        .description("Role with permissions boundary")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(created.description, None);
    let got = iam
        .get_role()
        .role_name("r")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(
        got.description.as_deref(),
        Some("Role with permissions boundary")
    );
    let updated = iam
        .update_role_description()
        .role_name("r")
        .description("description via update_role_description")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(
        updated.description.as_deref(),
        Some("description via update_role_description")
    );
    assert_eq!(updated.max_session_duration, None);
    assert_eq!(updated.role_last_used, None);
}

/// test_iam_policies.py test_policy_version_errors and test_list_entities_for_policy_errors,
/// test_iam_managed_policies.py test_aws_managed_policy_errors, test_iam_roles.py
/// test_role_managed_policy_errors: the error codes, messages and statuses AWS answers.
#[tokio::test]
async fn managed_policy_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
    let arn = server.managed_policy("p", doc).await;
    let none = "arn:aws:iam::000000000000:policy/TestNonExistingPolicy";
    let e = iam
        .get_policy_version()
        .policy_arn(none)
        .version_id("v1")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        &format!("Policy {none} version v1 does not exist or is not attachable."),
    );
    let e = iam
        .delete_policy_version()
        .policy_arn(&arn)
        .version_id("v9")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        Some(format!("Policy {arn} version v9 does not exist or is not attachable.").as_str())
    );
    let e = iam
        .list_entities_for_policy()
        .policy_arn("arn:aws:iam::000000000000:policy/NonExistentPolicy")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        Some("Policy arn:aws:iam::000000000000:policy/NonExistentPolicy does not exist or is not attachable.")
    );
    let aws = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    let e = iam
        .delete_policy()
        .policy_arn(aws)
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "AccessDenied",
        "Cannot delete policies outside your own account.",
    );
    assert_eq!(e.raw_response().unwrap().status().as_u16(), 403);
    let e = iam
        .set_default_policy_version()
        .policy_arn(aws)
        .version_id("v2")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        Some("Cannot update policies outside your own account.")
    );
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let e = iam
        .attach_role_policy()
        .role_name("r")
        .policy_arn("longpolicynamebutnoarn")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "ValidationError",
        "ARN longpolicynamebutnoarn is not valid.",
    );
}

/// test_iam_instance_profiles.py test_role_instance_profile_operations_errors: removing a role
/// the profile does not hold names both.
#[tokio::test]
async fn removing_an_unattached_role_from_an_instance_profile_names_both() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    iam.create_instance_profile()
        .instance_profile_name("ip")
        .send()
        .await
        .unwrap();
    let e = iam
        .remove_role_from_instance_profile()
        .instance_profile_name("ip")
        .role_name("r")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        "Role r in Instance Profile ip cannot be found.",
    );
}

/// test_iam_account_password_policy.py: a policy updated with defaults answers no HardExpiry;
/// deleting a policy that is not there has its own wording.
#[tokio::test]
async fn password_policy_defaults_and_delete_wording() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let e = iam
        .delete_account_password_policy()
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        "The account policy with name PasswordPolicy cannot be found.",
    );
    iam.update_account_password_policy().send().await.unwrap();
    let p = iam
        .get_account_password_policy()
        .send()
        .await
        .unwrap()
        .password_policy
        .unwrap();
    assert_eq!(p.hard_expiry, None);
    assert_eq!(p.minimum_password_length, Some(6));
    assert!(!p.expire_passwords);
}

/// test_iam_mfa.py test_virtual_mfa_device_errors: a duplicate device and deleting a missing
/// one, in AWS's words.
#[tokio::test]
async fn virtual_mfa_device_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_virtual_mfa_device()
        .virtual_mfa_device_name("d")
        .send()
        .await
        .unwrap();
    let e = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("d")
        .send()
        .await
        .unwrap_err();
    assert_error(&e, "EntityAlreadyExists", "MFA device already exists.");
    let serial = "arn:aws:iam::000000000000:mfa/nonexistent-device";
    let e = iam
        .delete_virtual_mfa_device()
        .serial_number(serial)
        .send()
        .await
        .unwrap_err();
    assert_error(&e, "NoSuchEntity", "MFA Device with serial number arn:aws:iam::000000000000:mfa/nonexistent-device does not exist.");
}

/// test_iam_saml_providers.py test_get_saml_provider and test_get_saml_provider_not_found.
#[tokio::test]
async fn saml_provider_answers_as_aws_does() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let cert: String = include_str!("../../crates/iam/fixtures/saml-idp-cert.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let metadata = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://test-idp.example.com/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#
    );
    let arn = iam
        .create_saml_provider()
        .name("corp")
        .saml_metadata_document(metadata)
        .send()
        .await
        .unwrap()
        .saml_provider_arn
        .unwrap();
    let got = iam
        .get_saml_provider()
        .saml_provider_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.assertion_encryption_mode,
        Some(aws_sdk_iam::types::AssertionEncryptionModeType::Allowed)
    );
    assert_eq!(got.private_key_list, Some(vec![]));
    let none = "arn:aws:iam::000000000000:saml-provider/NonExistentProvider";
    let e = iam
        .get_saml_provider()
        .saml_provider_arn(none)
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        &format!("Manifest not found for arn {none}"),
    );
}

/// test_iam_signing_certificates.py test_signing_certificate_errors: a body that is no
/// certificate, and a third certificate, in AWS's words.
#[tokio::test]
async fn signing_certificate_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_user().user_name("u").send().await.unwrap();
    let e = iam
        .upload_signing_certificate()
        .user_name("u")
        .certificate_body("invalid-certificate-body")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "MalformedCertificate",
        "Certificate invalid-certificate-body is malformed.",
    );
    for cert in [
        include_str!("../../crates/iam/fixtures/signing-cert-1.pem"),
        include_str!("../../crates/iam/fixtures/signing-cert-2.pem"),
    ] {
        iam.upload_signing_certificate()
            .user_name("u")
            .certificate_body(cert)
            .send()
            .await
            .unwrap();
    }
    let e = iam
        .upload_signing_certificate()
        .user_name("u")
        .certificate_body(include_str!("../../crates/iam/fixtures/signing-cert-3.pem"))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "LimitExceeded",
        "Cannot exceed quota for CertificatesPerUser: 2",
    );
}

/// test_iam.py TestIAMServiceSpecificCredentials: a service that takes no service-specific
/// credentials, and a credential ID of none, in AWS's words.
#[tokio::test]
async fn service_specific_credential_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_user().user_name("u").send().await.unwrap();
    let e = iam
        .create_service_specific_credential()
        .user_name("u")
        .service_name("lambda.amazonaws.com")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        "No such service lambda.amazonaws.com is supported for Service Specific Credentials",
    );
    let e = iam
        .delete_service_specific_credential()
        .user_name("u")
        .service_specific_credential_id("satisfiesregexbutstillinvalid")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        "No such credential satisfiesregexbutstillinvalid exists",
    );
}

/// test_sts.py test_sts_invalid_parameters and test_get_federation_token: a RoleArn that is no
/// ARN is a ValidationError before any decision; a federation token without a policy answers
/// PackedPolicySize 0.
#[tokio::test]
async fn sts_invalid_role_arns_and_a_bare_federation_token() {
    let server = TestServer::start().await;
    let key = server
        .user_with_policy(
            "admin",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config(&key.0, &key.1).await);
    for arn in [
        "nothing-valid-in-here",
        "arn:a:::something/test-role",
        "arn:a:a::aaaaaaaaaa:",
    ] {
        let e = sts
            .assume_role()
            .role_arn(arn)
            .role_session_name("Session1")
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("ValidationError"), "{arn}");
        assert_eq!(e.message(), Some(format!("{arn} is invalid").as_str()));
    }
    let out = sts
        .get_federation_token()
        .name("fed")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    // The member is deprecated in the model, but AWS still answers it.
    #[allow(deprecated)]
    let packed = out.packed_policy_size;
    assert_eq!(packed, Some(0));
}

/// test_iam_oidc.py: a URL with no scheme, six thumbprints, 101 client IDs and deleting a
/// missing provider, in AWS's words.
#[tokio::test]
async fn oidc_provider_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let thumb = "a".repeat(40);
    let e = iam
        .create_open_id_connect_provider()
        .url("example.org")
        .thumbprint_list(&thumb)
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "ValidationError",
        "Invalid Open ID Connect Provider URL",
    );
    let e = iam
        .create_open_id_connect_provider()
        .url("https://too-many.example.com")
        .set_thumbprint_list(Some(vec![thumb.clone(); 6]))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "InvalidInput",
        "Thumbprint list must contain fewer than 5 entries.",
    );
    let e = iam
        .create_open_id_connect_provider()
        .url("https://clients.example.com")
        .thumbprint_list(&thumb)
        .set_client_id_list(Some((0..101).map(|i| i.to_string()).collect()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("LimitExceeded"));
    let arn = "arn:aws:iam::000000000000:oidc-provider/gone.example.com";
    let e = iam
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(arn)
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "NoSuchEntity",
        &format!("OpenId connect Provider {arn} cannot be found."),
    );
}

/// test_iam_policies.py test_policy_tag_create_errors: two tags with the same key.
#[tokio::test]
async fn a_policy_tag_key_may_not_repeat_exactly() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let tag = aws_sdk_iam::types::Tag::builder()
        .key("0")
        .value("")
        .build()
        .unwrap();
    let e = iam
        .create_policy()
        .policy_name("p")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#,
        )
        .tags(tag.clone())
        .tags(tag)
        .send()
        .await
        .unwrap_err();
    assert_error(&e, "InvalidInput", "Duplicate tag keys found.");
}

/// test_iam_users.py test_access_key_errors: the last use of a key ID that names no key is
/// AccessDenied naming the caller.
#[tokio::test]
async fn last_use_of_an_unknown_access_key_is_access_denied() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let e = iam
        .get_access_key_last_used()
        .access_key_id("AKIAIOSFODNN7EXAMPLE")
        .send()
        .await
        .unwrap_err();
    assert_error(&e, "AccessDenied", "User: arn:aws:iam::000000000000:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE");
    assert_eq!(e.raw_response().unwrap().status().as_u16(), 403);
}

/// test_iam.py test_service_role_lifecycle: GetRole of a service-linked role shows its trust
/// policy's service and action as strings.
#[tokio::test]
async fn a_service_linked_roles_trust_policy_reads_as_aws_shows_it() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let name = iam
        .create_service_linked_role()
        .aws_service_name("ecs.amazonaws.com")
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .role_name;
    let doc = iam
        .get_role()
        .role_name(&name)
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .assume_role_policy_document
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&percent_decoded(&doc)).unwrap();
    assert_eq!(doc["Statement"][0]["Action"], "sts:AssumeRole");
    assert_eq!(
        doc["Statement"][0]["Principal"]["Service"],
        "ecs.amazonaws.com"
    );
}

/// A URL-encoded policy document as text.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// test_iam.py test_service_role_lifecycle[dms.amazonaws.com] and
/// test_service_role_lifecycle_custom_suffix_not_allowed: AWS's role name and policy, and a
/// suffix refused where AWS refuses it.
#[tokio::test]
async fn service_linked_roles_recorded_against_aws() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let role = iam
        .create_service_linked_role()
        .aws_service_name("dms.amazonaws.com")
        .send()
        .await
        .unwrap()
        .role
        .unwrap();
    assert_eq!(role.role_name, "AWSServiceRoleForDMSServerless");
    let attached = iam
        .list_attached_role_policies()
        .role_name("AWSServiceRoleForDMSServerless")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attached.attached_policies()[0].policy_arn(),
        Some("arn:aws:iam::aws:policy/aws-service-role/AWSDMSServerlessServiceRolePolicy")
    );
    let e = iam
        .create_service_linked_role()
        .aws_service_name("waf.amazonaws.com")
        .custom_suffix("x1")
        .send()
        .await
        .unwrap_err();
    assert_error(
        &e,
        "InvalidInput",
        "Custom suffix is not allowed for waf.amazonaws.com",
    );
}

/// test_iam.py test_simulate_principle_policy: each evaluation result carries an empty
/// EvalDecisionDetails.
#[tokio::test]
async fn simulation_results_carry_an_empty_decision_details_map() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let out = iam
        .simulate_custom_policy()
        .policy_input_list(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#,
        )
        .action_names("s3:PutObject")
        .resource_arns("arn:aws:s3:::bucket")
        .send()
        .await
        .unwrap();
    let details = out.evaluation_results()[0].eval_decision_details.clone();
    assert_eq!(details, Some(Default::default()));
}

/// test_iam_policies.py test_policy_lifecycle: ListPolicies with no arguments shows a policy
/// just created on its first page.
#[tokio::test]
async fn list_policies_shows_the_accounts_own_policies_first() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let arn = server
        .managed_policy(
            "policy-mine",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#,
        )
        .await;
    let out = iam.list_policies().send().await.unwrap();
    assert!(out.policies().iter().any(|p| p.arn() == Some(arn.as_str())));
}
