//! IAM's entity quotas, from AWS's "IAM and AWS STS quotas" page (per account; IAM is
//! global), on the kit's [`Quota`] so configuration may set others (`[quotas.iam]`).
//! Exceeding one is `LimitExceeded`: "Cannot exceed quota for UsersPerAccount: 5000".

use super::Call;
use crate::api::errors::quota;
use kit::Quota;
use service::ServiceError;

/// IAM users per account.
pub(crate) const USERS: Quota = Quota::new("iam", "UsersPerAccount", 5000);
/// IAM roles per account.
pub(crate) const ROLES: Quota = Quota::new("iam", "RolesPerAccount", 1000);
/// IAM groups per account.
pub(crate) const GROUPS: Quota = Quota::new("iam", "GroupsPerAccount", 300);
/// Customer managed policies per account.
pub(crate) const POLICIES: Quota = Quota::new("iam", "PoliciesPerAccount", 1500);
/// Instance profiles per account.
pub(crate) const INSTANCE_PROFILES: Quota = Quota::new("iam", "InstanceProfilesPerAccount", 1000);
/// Server certificates per account.
pub(crate) const SERVER_CERTIFICATES: Quota = Quota::new("iam", "ServerCertificatesPerAccount", 20);
/// Access keys per user.
pub(crate) const ACCESS_KEYS_PER_USER: Quota = Quota::new("iam", "AccessKeysPerUser", 2);
/// SSH public keys per user.
pub(crate) const SSH_KEYS_PER_USER: Quota = Quota::new("iam", "SSHPublicKeysPerUser", 5);
/// Signing certificates per user.
pub(crate) const SIGNING_CERTIFICATES_PER_USER: Quota =
    Quota::new("iam", "SigningCertificatesPerUser", 2);
/// Service-specific credentials per user and service.
pub(crate) const SERVICE_CREDENTIALS_PER_SERVICE: Quota =
    Quota::new("iam", "ServiceSpecificCredentialsPerUserPerService", 2);

/// Every IAM quota configuration may set.
pub const QUOTAS: &[Quota] = &[
    USERS,
    ROLES,
    GROUPS,
    POLICIES,
    INSTANCE_PROFILES,
    SERVER_CERTIFICATES,
    ACCESS_KEYS_PER_USER,
    SSH_KEYS_PER_USER,
    SIGNING_CERTIFICATES_PER_USER,
    SERVICE_CREDENTIALS_PER_SERVICE,
];

/// `LimitExceeded` unless one more fits beside `current`.
pub(crate) fn admit(c: &Call, q: Quota, current: usize) -> Result<(), ServiceError> {
    q.admit(&c.iam.runtime, current, 1)
        .map_err(|r| quota(r.quota.name, r.limit as usize))
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, code_message, root_ctx};
    use crate::{Iam, Mode};
    use serde_json::json;
    use service::Runtime;
    use std::sync::Arc;

    /// An IAM whose configuration sets every entity quota to 1.
    fn iam_with_quotas_of_one() -> Arc<Iam> {
        let mut rt = Runtime::for_tests();
        let quotas = rt.quotas.entry("iam".into()).or_default();
        for q in super::QUOTAS {
            quotas.insert(q.name.into(), 1);
        }
        Iam::new(Arc::new(rt), Mode::Enforce)
    }

    #[test]
    fn each_entity_quota_is_limit_exceeded_with_its_name() {
        let iam = iam_with_quotas_of_one();
        let root = root_ctx();
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let cases = [
            (
                "CreateUser",
                json!({"UserName": "u1"}),
                json!({"UserName": "u2"}),
                "UsersPerAccount",
            ),
            (
                "CreateGroup",
                json!({"GroupName": "g1"}),
                json!({"GroupName": "g2"}),
                "GroupsPerAccount",
            ),
            (
                "CreateRole",
                json!({"RoleName": "r1", "AssumeRolePolicyDocument": trust}),
                json!({"RoleName": "r2", "AssumeRolePolicyDocument": trust}),
                "RolesPerAccount",
            ),
            (
                "CreatePolicy",
                json!({"PolicyName": "p1", "PolicyDocument": policy}),
                json!({"PolicyName": "p2", "PolicyDocument": policy}),
                "PoliciesPerAccount",
            ),
            (
                "CreateAccessKey",
                json!({"UserName": "u1"}),
                json!({"UserName": "u1"}),
                "AccessKeysPerUser",
            ),
            (
                "UploadSSHPublicKey",
                json!({"UserName": "u1", "SSHPublicKeyBody": include_str!("../../../fixtures/ssh-rsa-2048.pub")}),
                json!({"UserName": "u1", "SSHPublicKeyBody": include_str!("../../../fixtures/ssh-rsa-3072.pub")}),
                "SSHPublicKeysPerUser",
            ),
            (
                "UploadSigningCertificate",
                json!({"UserName": "u1", "CertificateBody": include_str!("../../../fixtures/signing-cert-1.pem")}),
                json!({"UserName": "u1", "CertificateBody": include_str!("../../../fixtures/signing-cert-2.pem")}),
                "CertificatesPerUser",
            ),
            (
                "CreateServiceSpecificCredential",
                json!({"UserName": "u1", "ServiceName": "cassandra.amazonaws.com"}),
                json!({"UserName": "u1", "ServiceName": "cassandra.amazonaws.com"}),
                "ServiceSpecificCredentialsPerUserPerService",
            ),
        ];
        for (op, first, second, name) in cases {
            call(&iam, &root, op, first).unwrap();
            let e = call(&iam, &root, op, second).unwrap_err();
            assert_eq!(
                code_message(&e),
                (
                    "LimitExceeded",
                    format!("Cannot exceed quota for {name}: 1").as_str()
                ),
                "{op}"
            );
        }
    }
}
