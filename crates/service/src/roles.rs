//! What a service may ask the identity store about roles passed to it.

/// Answers whether a role exists, so a service can refuse a `RoleArn` that names no role (the
/// server implements it with IAM; services do not know IAM).
pub trait RoleDirectory: Send + Sync {
    /// Whether the role `arn` exists (in the account its ARN names).
    fn role_exists(&self, arn: &str) -> bool;
}

/// A directory in which every role exists: for unit tests of services.
#[derive(Debug, Default)]
pub struct EveryRole;

impl RoleDirectory for EveryRole {
    fn role_exists(&self, _arn: &str) -> bool {
        true
    }
}
