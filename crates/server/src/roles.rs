//! IAM answers the services' questions about the roles passed to them.

use std::sync::Arc;

/// [`service::RoleDirectory`] backed by the IAM store.
pub struct IamRoles(pub Arc<iam::Iam>);

impl service::RoleDirectory for IamRoles {
    fn role_exists(&self, arn: &str) -> bool {
        self.0.role_exists(arn)
    }
}
