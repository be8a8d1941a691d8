//! Answers checked against LocalStack's snapshot tests, which record real AWS answers
//! (tests/aws/services/iam/*.snapshot.json in localstack/localstack): members, defaults,
//! error codes, messages and status codes.

use crate::api::test_support::{call, code_message, iam, root_ctx};
use serde_json::json;

#[test]
fn removing_a_user_not_in_the_group_succeeds_and_the_user_is_looked_up_first() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "g"})).unwrap();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "h"})).unwrap();
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    call(
        &iam,
        &root,
        "AddUserToGroup",
        json!({"GroupName": "h", "UserName": "u"}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "g", "UserName": "u"}),
    )
    .unwrap();
    let groups = call(&iam, &root, "ListGroupsForUser", json!({"UserName": "u"})).unwrap();
    assert_eq!(groups["Groups"].as_array().unwrap().len(), 1);
    let e = call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "non-existent-group", "UserName": "any-user"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The user with name any-user cannot be found."
        )
    );
    let e = call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "non-existent-group", "UserName": "u"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The group with name non-existent-group cannot be found."
        )
    );
}

#[test]
fn get_policy_instance_profile_and_server_certificate_answer_an_empty_tag_list() {
    let iam = iam();
    let root = root_ctx();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
    let created = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "p", "PolicyDocument": doc}),
    )
    .unwrap();
    assert!(created["Policy"].get("Tags").is_none());
    let arn = created["Policy"]["Arn"].as_str().unwrap();
    let got = call(&iam, &root, "GetPolicy", json!({"PolicyArn": arn})).unwrap();
    assert_eq!(got["Policy"]["Tags"], json!([]));
    let aws = "arn:aws:iam::aws:policy/IAMUserChangePassword";
    let got = call(&iam, &root, "GetPolicy", json!({"PolicyArn": aws})).unwrap();
    assert_eq!(got["Policy"]["Tags"], json!([]));
    let created = call(
        &iam,
        &root,
        "CreateInstanceProfile",
        json!({"InstanceProfileName": "ip"}),
    )
    .unwrap();
    assert!(created["InstanceProfile"].get("Tags").is_none());
    let got = call(
        &iam,
        &root,
        "GetInstanceProfile",
        json!({"InstanceProfileName": "ip"}),
    )
    .unwrap();
    assert_eq!(got["InstanceProfile"]["Tags"], json!([]));
    let tagged = call(
        &iam,
        &root,
        "CreateInstanceProfile",
        json!({"InstanceProfileName": "tagged", "Tags": [{"Key": "k", "Value": "v"}]}),
    )
    .unwrap();
    assert_eq!(
        tagged["InstanceProfile"]["Tags"],
        json!([{"Key": "k", "Value": "v"}])
    );
}

#[test]
fn get_server_certificate_answers_an_empty_tag_list() {
    let iam = iam();
    let root = root_ctx();
    let out = call(
        &iam,
        &root,
        "UploadServerCertificate",
        json!({"ServerCertificateName": "web",
               "CertificateBody": include_str!("../../../fixtures/server-cert.pem"),
               "PrivateKey": include_str!("../../../fixtures/server-cert.key")}),
    )
    .unwrap();
    assert!(out.get("Tags").is_none());
    let got = call(
        &iam,
        &root,
        "GetServerCertificate",
        json!({"ServerCertificateName": "web"}),
    )
    .unwrap();
    assert_eq!(got["ServerCertificate"]["Tags"], json!([]));
}

#[test]
fn create_role_and_update_role_description_answer_as_aws_does() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let out = call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust, "Description": "initial", "MaxSessionDuration": 7200}),
    )
    .unwrap();
    assert!(out["Role"].get("Description").is_none(), "{out}");
    assert!(out["Role"].get("MaxSessionDuration").is_none(), "{out}");
    let got = call(&iam, &root, "GetRole", json!({"RoleName": "r"})).unwrap();
    assert_eq!(got["Role"]["Description"], "initial");
    let out = call(
        &iam,
        &root,
        "UpdateRoleDescription",
        json!({"RoleName": "r", "Description": "via update_role_description"}),
    )
    .unwrap();
    assert_eq!(out["Role"]["Description"], "via update_role_description");
    assert!(out["Role"].get("MaxSessionDuration").is_none(), "{out}");
    assert!(out["Role"].get("RoleLastUsed").is_none(), "{out}");
    let got = call(&iam, &root, "GetRole", json!({"RoleName": "r"})).unwrap();
    assert_eq!(got["Role"]["MaxSessionDuration"], 7200);
}

const S3_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;

#[test]
fn policy_version_and_ownership_errors_in_aws_words() {
    let iam = iam();
    let root = root_ctx();
    let arn = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "p", "PolicyDocument": S3_LIST}),
    )
    .unwrap()["Policy"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        &iam,
        &root,
        "CreatePolicyVersion",
        json!({"PolicyArn": arn, "PolicyDocument": S3_LIST}),
    )
    .unwrap();
    let none = "arn:aws:iam::000000000000:policy/TestNonExistingPolicy";
    let cases = [
        (
            "GetPolicyVersion",
            none,
            "v1",
            format!("Policy {none} version v1 does not exist or is not attachable."),
        ),
        (
            "SetDefaultPolicyVersion",
            none,
            "v1",
            format!("Policy {none} version v1 does not exist or is not attachable."),
        ),
        (
            "DeletePolicyVersion",
            arn.as_str(),
            "v9",
            format!("Policy {arn} version v9 does not exist or is not attachable."),
        ),
        (
            "SetDefaultPolicyVersion",
            arn.as_str(),
            "v4",
            format!("Policy {arn} version v4 does not exist or is not attachable."),
        ),
    ];
    for (op, policy, vid, message) in cases {
        let e = call(
            &iam,
            &root,
            op,
            json!({"PolicyArn": policy, "VersionId": vid}),
        )
        .unwrap_err();
        assert_eq!(code_message(&e), ("NoSuchEntity", message.as_str()), "{op}");
    }
    let none = "arn:aws:iam::000000000000:policy/NonExistentPolicy";
    let e = call(
        &iam,
        &root,
        "ListEntitiesForPolicy",
        json!({"PolicyArn": none}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("Policy {none} does not exist or is not attachable.").as_str()
        )
    );
    let aws = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    for (op, input, message) in [
        (
            "DeletePolicy",
            json!({"PolicyArn": aws}),
            "Cannot delete policies outside your own account.",
        ),
        (
            "DeletePolicyVersion",
            json!({"PolicyArn": aws, "VersionId": "v2"}),
            "Cannot delete policy versions for policies outside your own account.",
        ),
        (
            "SetDefaultPolicyVersion",
            json!({"PolicyArn": aws, "VersionId": "v2"}),
            "Cannot update policies outside your own account.",
        ),
    ] {
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(code_message(&e), ("AccessDenied", message), "{op}");
        assert_eq!(e.status, Some(403), "{op}");
    }
}

#[test]
fn attaching_a_policy_named_by_no_arn_is_a_validation_error() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "p", "PolicyDocument": S3_LIST}),
    )
    .unwrap();
    for given in ["longpolicynamebutnoarn", "p"] {
        let e = call(
            &iam,
            &root,
            "AttachUserPolicy",
            json!({"UserName": "u", "PolicyArn": given}),
        )
        .unwrap_err();
        assert_eq!(
            code_message(&e),
            (
                "ValidationError",
                format!("ARN {given} is not valid.").as_str()
            )
        );
        assert_eq!(e.status, Some(400));
    }
    let e = call(
        &iam,
        &root,
        "AttachUserPolicy",
        json!({"UserName": "u", "PolicyArn": "arn:aws:iam::000000000000:policy/p123"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
}

#[test]
fn removing_a_role_an_instance_profile_does_not_hold_names_both() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
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
        "CreateInstanceProfile",
        json!({"InstanceProfileName": "ip"}),
    )
    .unwrap();
    let remove = |role: &str| {
        call(
            &iam,
            &root,
            "RemoveRoleFromInstanceProfile",
            json!({"InstanceProfileName": "ip", "RoleName": role}),
        )
        .unwrap_err()
    };
    assert_eq!(
        code_message(&remove("r")),
        (
            "NoSuchEntity",
            "Role r in Instance Profile ip cannot be found."
        )
    );
    assert_eq!(
        code_message(&remove("nonexistent-role")),
        (
            "NoSuchEntity",
            "The role with name nonexistent-role cannot be found."
        )
    );
}

#[test]
fn account_authorization_details_show_empty_tags_and_no_empty_user_policy_list() {
    let iam = iam();
    let root = root_ctx();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "r", "AssumeRolePolicyDocument": trust}),
    )
    .unwrap();
    let out = call(&iam, &root, "GetAccountAuthorizationDetails", json!({})).unwrap();
    let user = &out["UserDetailList"][0];
    assert_eq!(user["Tags"], json!([]));
    assert!(user.get("UserPolicyList").is_none(), "{user}");
    let role = &out["RoleDetailList"][0];
    assert_eq!(role["Tags"], json!([]));
    assert_eq!(role["RolePolicyList"], json!([]));
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "u", "PolicyName": "inline", "PolicyDocument": S3_LIST}),
    )
    .unwrap();
    let out = call(
        &iam,
        &root,
        "GetAccountAuthorizationDetails",
        json!({"Filter": ["User"]}),
    )
    .unwrap();
    assert_eq!(
        out["UserDetailList"][0]["UserPolicyList"][0]["PolicyName"],
        "inline"
    );
}

#[test]
fn password_policy_hard_expiry_only_when_set_and_delete_wording() {
    let iam = iam();
    let root = root_ctx();
    let e = call(&iam, &root, "DeleteAccountPasswordPolicy", json!({})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The account policy with name PasswordPolicy cannot be found."
        )
    );
    call(&iam, &root, "UpdateAccountPasswordPolicy", json!({})).unwrap();
    let got = call(&iam, &root, "GetAccountPasswordPolicy", json!({})).unwrap();
    assert_eq!(
        got["PasswordPolicy"],
        json!({"AllowUsersToChangePassword": false, "ExpirePasswords": false, "MinimumPasswordLength": 6,
               "RequireLowercaseCharacters": false, "RequireNumbers": false, "RequireSymbols": false,
               "RequireUppercaseCharacters": false})
    );
    call(
        &iam,
        &root,
        "UpdateAccountPasswordPolicy",
        json!({"HardExpiry": true, "MaxPasswordAge": 60}),
    )
    .unwrap();
    let got = call(&iam, &root, "GetAccountPasswordPolicy", json!({})).unwrap();
    assert_eq!(got["PasswordPolicy"]["HardExpiry"], true);
    call(&iam, &root, "DeleteAccountPasswordPolicy", json!({})).unwrap();
    let e = call(&iam, &root, "GetAccountPasswordPolicy", json!({})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The Password Policy with domain name 000000000000 cannot be found."
        )
    );
}

#[test]
fn virtual_mfa_device_errors_in_aws_words() {
    let iam = iam();
    let root = root_ctx();
    call(
        &iam,
        &root,
        "CreateVirtualMFADevice",
        json!({"VirtualMFADeviceName": "d"}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "CreateVirtualMFADevice",
        json!({"VirtualMFADeviceName": "d"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        ("EntityAlreadyExists", "MFA device already exists.")
    );
    let serial = "arn:aws:iam::000000000000:mfa/nonexistent-device";
    let e = call(
        &iam,
        &root,
        "DeleteVirtualMFADevice",
        json!({"SerialNumber": serial}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("MFA Device with serial number {serial} does not exist.").as_str()
        )
    );
}

fn saml_metadata() -> String {
    let cert: String = include_str!("../../../fixtures/saml-idp-cert.pem")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://test-idp.example.com/saml"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor></md:EntityDescriptor>"#
    )
}

#[test]
fn saml_provider_answers_and_not_found_wording() {
    let iam = iam();
    let root = root_ctx();
    let arn = call(
        &iam,
        &root,
        "CreateSAMLProvider",
        json!({"Name": "corp", "SAMLMetadataDocument": saml_metadata()}),
    )
    .unwrap()["SAMLProviderArn"]
        .as_str()
        .unwrap()
        .to_string();
    let got = call(
        &iam,
        &root,
        "GetSAMLProvider",
        json!({"SAMLProviderArn": arn}),
    )
    .unwrap();
    assert_eq!(got["AssertionEncryptionMode"], "Allowed");
    assert_eq!(got["PrivateKeyList"], json!([]));
    let none = "arn:aws:iam::000000000000:saml-provider/NonExistentProvider";
    for op in ["GetSAMLProvider", "DeleteSAMLProvider"] {
        let e = call(&iam, &root, op, json!({"SAMLProviderArn": none})).unwrap_err();
        assert_eq!(
            code_message(&e),
            (
                "NoSuchEntity",
                format!("Manifest not found for arn {none}").as_str()
            ),
            "{op}"
        );
    }
}

#[test]
fn signing_certificate_errors_in_aws_words() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "u", "CertificateBody": "invalid-certificate-body"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "MalformedCertificate",
            "Certificate invalid-certificate-body is malformed."
        )
    );
    for cert in [
        include_str!("../../../fixtures/signing-cert-1.pem"),
        include_str!("../../../fixtures/signing-cert-2.pem"),
    ] {
        call(
            &iam,
            &root,
            "UploadSigningCertificate",
            json!({"UserName": "u", "CertificateBody": cert}),
        )
        .unwrap();
    }
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "u", "CertificateBody": include_str!("../../../fixtures/signing-cert-3.pem")}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for CertificatesPerUser: 2"
        )
    );
}

#[test]
fn service_specific_credential_errors_in_aws_words() {
    let iam = iam();
    let root = root_ctx();
    let create = |user: &str, service: &str| {
        call(
            &iam,
            &root,
            "CreateServiceSpecificCredential",
            json!({"UserName": user, "ServiceName": service}),
        )
    };
    let e = create("non-existent-user", "nonexistentservice.amazonaws.com").unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The user with name non-existent-user cannot be found."
        )
    );
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    for service in [
        "nonexistentservice.amazonaws.com",
        "o3on3n3onosneo",
        "lambda.amazonaws.com",
    ] {
        let e = create("u", service).unwrap_err();
        let message =
            format!("No such service {service} is supported for Service Specific Credentials");
        assert_eq!(code_message(&e), ("NoSuchEntity", message.as_str()));
        assert_eq!(e.status, Some(404));
    }
    let e = call(
        &iam,
        &root,
        "ListServiceSpecificCredentials",
        json!({"UserName": "u", "ServiceName": "nonexistentservice.amazonaws.com"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    create("u", "codecommit.amazonaws.com").unwrap();
    let id = "satisfiesregexbutstillinvalid";
    for (op, extra) in [
        (
            "UpdateServiceSpecificCredential",
            json!({"Status": "Inactive"}),
        ),
        ("ResetServiceSpecificCredential", json!({})),
        ("DeleteServiceSpecificCredential", json!({})),
    ] {
        let mut input = json!({"UserName": "u", "ServiceSpecificCredentialId": id});
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let e = call(&iam, &root, op, input).unwrap_err();
        assert_eq!(
            code_message(&e),
            (
                "NoSuchEntity",
                format!("No such credential {id} exists").as_str()
            ),
            "{op}"
        );
    }
}

#[test]
fn sts_malformed_role_arns_are_invalid_and_a_bare_federation_token_packs_zero() {
    use crate::api::test_support::{admin_ctx, sts};
    let iam = iam();
    let admin = admin_ctx(&iam, "admin");
    for arn in [
        "nothing-valid-in-here",
        "arn::b:::something/test-role",
        "arn:a::::something/test-role",
        "arn:a:::something/test-role",
        "arn:a:a::aaaaaaaaaa:",
    ] {
        let e = sts(
            &iam,
            &admin,
            "AssumeRole",
            json!({"RoleArn": arn, "RoleSessionName": "Session1"}),
        )
        .unwrap_err();
        assert_eq!(
            code_message(&e),
            ("ValidationError", format!("{arn} is invalid").as_str())
        );
        assert_eq!(e.status, Some(400));
    }
    // A well-formed ARN of no role is no ValidationError.
    let e = sts(
        &iam,
        &admin,
        "AssumeRole",
        json!({"RoleArn": "arn:a:b:::something/test-role", "RoleSessionName": "Session1"}),
    )
    .unwrap_err();
    assert_ne!(e.code, "ValidationError");
    let out = sts(
        &iam,
        &admin,
        "GetFederationToken",
        json!({"Name": "fed", "DurationSeconds": 900}),
    )
    .unwrap();
    assert_eq!(out["PackedPolicySize"], 0);
}

#[test]
fn oidc_provider_errors_in_aws_words() {
    let iam = iam();
    let root = root_ctx();
    let create = |input: serde_json::Value| call(&iam, &root, "CreateOpenIDConnectProvider", input);
    let thumb = "a".repeat(40);
    let e = create(json!({"Url": "example.org", "ThumbprintList": [thumb]})).unwrap_err();
    assert_eq!(
        code_message(&e),
        ("ValidationError", "Invalid Open ID Connect Provider URL")
    );
    assert_eq!(e.status, Some(400));
    let e = create(
        json!({"Url": "https://too-many.example.com", "ThumbprintList": vec![thumb.clone(); 6]}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "InvalidInput",
            "Thumbprint list must contain fewer than 5 entries."
        )
    );
    let ids: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    let e = create(json!({"Url": "https://clients.example.com", "ThumbprintList": [thumb], "ClientIDList": ids}))
        .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"
        )
    );
    let arn = "arn:aws:iam::000000000000:oidc-provider/gone.example.com";
    let e = call(
        &iam,
        &root,
        "DeleteOpenIDConnectProvider",
        json!({"OpenIDConnectProviderArn": arn}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("OpenId connect Provider {arn} cannot be found.").as_str()
        )
    );
    let e = call(
        &iam,
        &root,
        "GetOpenIDConnectProvider",
        json!({"OpenIDConnectProviderArn": arn}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("OpenIDConnect Provider not found for arn {arn}").as_str()
        )
    );
}

#[test]
fn a_policy_tag_key_may_not_repeat_exactly() {
    let iam = iam();
    let root = root_ctx();
    let twice = json!([{"Key": "0", "Value": ""}, {"Key": "0", "Value": ""}]);
    let e = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "p", "PolicyDocument": S3_LIST, "Tags": twice}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        ("InvalidInput", "Duplicate tag keys found.")
    );
    let arn = call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "p", "PolicyDocument": S3_LIST}),
    )
    .unwrap()["Policy"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let e = call(
        &iam,
        &root,
        "TagPolicy",
        json!({"PolicyArn": arn, "Tags": twice}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        ("InvalidInput", "Duplicate tag keys found.")
    );
    // Keys differing by case stay two tags of a policy.
    call(
        &iam,
        &root,
        "TagPolicy",
        json!({"PolicyArn": arn, "Tags": [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]}),
    )
    .unwrap();
}

#[test]
fn last_use_of_an_unknown_access_key_is_access_denied() {
    let iam = iam();
    let root = root_ctx();
    let e = call(
        &iam,
        &root,
        "GetAccessKeyLastUsed",
        json!({"AccessKeyId": "AKIAIOSFODNN7EXAMPLE"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "AccessDenied",
            "User: arn:aws:iam::000000000000:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE"
        )
    );
    assert_eq!(e.status, Some(403));
}

#[test]
fn a_service_linked_roles_trust_policy_reads_as_aws_shows_it() {
    let iam = iam();
    let root = root_ctx();
    let decode = |v: &serde_json::Value| -> serde_json::Value {
        let text = percent_encoding::percent_decode_str(v.as_str().unwrap())
            .decode_utf8()
            .unwrap()
            .to_string();
        serde_json::from_str(&text).unwrap()
    };
    let out = call(
        &iam,
        &root,
        "CreateServiceLinkedRole",
        json!({"AWSServiceName": "ecs.amazonaws.com"}),
    )
    .unwrap();
    let created = decode(&out["Role"]["AssumeRolePolicyDocument"]);
    assert_eq!(created["Statement"][0]["Action"], json!(["sts:AssumeRole"]));
    assert_eq!(
        created["Statement"][0]["Principal"]["Service"],
        json!(["ecs.amazonaws.com"])
    );
    let name = out["Role"]["RoleName"].as_str().unwrap();
    let got = call(&iam, &root, "GetRole", json!({"RoleName": name})).unwrap();
    assert_eq!(
        decode(&got["Role"]["AssumeRolePolicyDocument"]),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ecs.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    );
}

#[test]
fn service_linked_roles_recorded_against_aws_have_their_names_policies_and_suffix_rules() {
    let iam = iam();
    let root = root_ctx();
    let create = |input: serde_json::Value| call(&iam, &root, "CreateServiceLinkedRole", input);
    let out = create(json!({"AWSServiceName": "acm.amazonaws.com"})).unwrap();
    assert_eq!(
        out["Role"]["RoleName"],
        "AWSServiceRoleForCertificateManager"
    );
    assert_eq!(out["Role"]["Path"], "/aws-service-role/acm.amazonaws.com/");
    let attached = call(
        &iam,
        &root,
        "ListAttachedRolePolicies",
        json!({"RoleName": "AWSServiceRoleForCertificateManager"}),
    )
    .unwrap();
    assert_eq!(
        attached["AttachedPolicies"][0]["PolicyArn"],
        "arn:aws:iam::aws:policy/aws-service-role/CertificateManagerServiceRolePolicy"
    );
    let e = create(json!({"AWSServiceName": "ops.apigateway.amazonaws.com", "CustomSuffix": "x1"}))
        .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "InvalidInput",
            "Custom suffix is not allowed for ops.apigateway.amazonaws.com"
        )
    );
    let out =
        create(json!({"AWSServiceName": "connect.amazonaws.com", "CustomSuffix": "x1"})).unwrap();
    assert_eq!(out["Role"]["RoleName"], "AWSServiceRoleForAmazonConnect_x1");
}

#[test]
fn simulation_results_carry_an_empty_decision_details_map() {
    let iam = iam();
    let root = root_ctx();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#;
    let out = call(
        &iam,
        &root,
        "SimulateCustomPolicy",
        json!({"PolicyInputList": [doc], "ActionNames": ["s3:PutObject", "s3:GetObjectVersion"], "ResourceArns": ["arn:aws:s3:::bucket"]}),
    )
    .unwrap();
    for r in out["EvaluationResults"].as_array().unwrap() {
        assert_eq!(r["EvalDecisionDetails"], json!({}), "{r}");
    }
}

#[test]
fn list_policies_puts_the_accounts_own_policies_on_the_first_page() {
    let iam = iam();
    let root = root_ctx();
    call(
        &iam,
        &root,
        "CreatePolicy",
        json!({"PolicyName": "policy-mine", "PolicyDocument": S3_LIST}),
    )
    .unwrap();
    let out = call(&iam, &root, "ListPolicies", json!({})).unwrap();
    let page = out["Policies"].as_array().unwrap();
    assert_eq!(page.len(), 100);
    assert_eq!(page[0]["PolicyName"], "policy-mine");
    assert_eq!(out["IsTruncated"], true);
}

fn tag_keys(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["Key"].as_str().unwrap())
        .collect()
}

fn tagged_policy(iam: &std::sync::Arc<crate::Iam>, name: &str, keys: &[&str]) -> serde_json::Value {
    let tags: Vec<_> = keys
        .iter()
        .map(|k| json!({"Key": k, "Value": format!("v-{k}")}))
        .collect();
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]});
    call(
        iam,
        &root_ctx(),
        "CreatePolicy",
        json!({"PolicyName": name, "PolicyDocument": doc.to_string(), "Tags": tags}),
    )
    .unwrap()
}

/// test_iam_policies.snapshot.json test_policy_tag_order and test_policy_tag_lifecycle
/// 'create-with-case-sensitive-tags': CreatePolicy answers the tags as the request gave them.
#[test]
fn create_policy_answers_its_tags_in_the_order_given() {
    let iam = iam();
    let out = tagged_policy(&iam, "p1", &["abc", "b", "z", "a"]);
    assert_eq!(tag_keys(&out["Policy"]["Tags"]), ["abc", "b", "z", "a"]);
    assert_eq!(
        out["Policy"]["Tags"][3],
        json!({"Key": "a", "Value": "v-a"})
    );
    let out = tagged_policy(&iam, "p2", &["a", "A"]);
    assert_eq!(tag_keys(&out["Policy"]["Tags"]), ["a", "A"]);
}

/// test_iam_policies.snapshot.json test_policy_tag_order 'list-tags' and
/// test_policy_tag_lifecycle 'list-case-sensitive-tags': ListPolicyTags answers shorter keys
/// first, then by key; a user's tags stay in key order (test_iam_users.snapshot.json
/// test_user_tag_lifecycle 'list-user-tags': Environment before Team).
#[test]
fn list_policy_tags_answers_shorter_keys_first() {
    let iam = iam();
    let root = root_ctx();
    let arn = tagged_policy(&iam, "p1", &["abc", "b", "z", "a"])["Policy"]["Arn"].clone();
    let out = call(&iam, &root, "ListPolicyTags", json!({"PolicyArn": arn})).unwrap();
    assert_eq!(tag_keys(&out["Tags"]), ["a", "b", "z", "abc"]);
    let arn = tagged_policy(&iam, "p2", &["a", "A"])["Policy"]["Arn"].clone();
    let out = call(&iam, &root, "ListPolicyTags", json!({"PolicyArn": arn})).unwrap();
    assert_eq!(tag_keys(&out["Tags"]), ["A", "a"]);
    let page = call(
        &iam,
        &root,
        "ListPolicyTags",
        json!({"PolicyArn": tagged_policy(&iam, "p3", &["abc", "b", "z", "a"])["Policy"]["Arn"], "MaxItems": 3}),
    )
    .unwrap();
    assert_eq!(tag_keys(&page["Tags"]), ["a", "b", "z"]);
    let tags = json!([{"Key": "Team", "Value": "t"}, {"Key": "Environment", "Value": "e"}]);
    call(
        &iam,
        &root,
        "CreateUser",
        json!({"UserName": "u", "Tags": tags}),
    )
    .unwrap();
    let out = call(&iam, &root, "ListUserTags", json!({"UserName": "u"})).unwrap();
    assert_eq!(tag_keys(&out["Tags"]), ["Environment", "Team"]);
}
