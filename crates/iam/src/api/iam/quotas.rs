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
/// Access keys per user.
pub(crate) const ACCESS_KEYS_PER_USER: Quota = Quota::new("iam", "AccessKeysPerUser", 2);

/// Every IAM quota configuration may set.
pub const QUOTAS: &[Quota] = &[USERS, ROLES, GROUPS, POLICIES, ACCESS_KEYS_PER_USER];

/// `LimitExceeded` unless one more fits beside `current`.
pub(crate) fn admit(c: &Call, q: Quota, current: usize) -> Result<(), ServiceError> {
    q.admit(&c.iam.runtime, current, 1)
        .map_err(|r| quota(r.quota.name, r.limit as usize))
}
