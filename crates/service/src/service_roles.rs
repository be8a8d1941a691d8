//! What a service asks IAM about a service role passed to it (a MediaConvert job's `Role`):
//! whether the service may assume it, and what the role's own policies allow. The server
//! implements it with IAM's store and evaluator; service crates never see IAM itself.

/// Whether a service principal may assume a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleTrust {
    /// No role with that ARN exists.
    NoSuchRole,
    /// The role exists, but its trust policy does not let the service assume it.
    NotTrusted,
    /// The service may assume it.
    Trusted,
}

/// The resource a service assumes a role for, as AWS puts it in the request context the role's
/// trust policy sees (the IAM User Guide: `aws:SourceAccount` and `aws:SourceArn` are present
/// when a service principal acts "on behalf of a resource"; each service documents which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceResource<'a> {
    /// `aws:SourceAccount`: the account the service acts for.
    pub account: &'a str,
    /// `aws:SourceArn`: the resource's ARN (MediaConvert: the job's queue).
    pub arn: &'a str,
}

/// IAM's answers about roles, for services that act as a role on the caller's behalf.
pub trait ServiceRoles: Send + Sync {
    /// Whether `role_arn` exists and its trust policy lets `service_principal`
    /// (`mediaconvert.amazonaws.com`) perform `sts:AssumeRole`, acting for no resource: a trust
    /// policy's conditions see no `aws:SourceAccount` or `aws:SourceArn`.
    fn role_trust(&self, role_arn: &str, service_principal: &str) -> RoleTrust;

    /// [`ServiceRoles::role_trust`] for a service acting for `source`: the trust policy's
    /// conditions see its `aws:SourceAccount` and `aws:SourceArn`.
    fn role_trust_for(
        &self,
        role_arn: &str,
        service_principal: &str,
        _source: SourceResource<'_>,
    ) -> RoleTrust {
        self.role_trust(role_arn, service_principal)
    }

    /// Whether a session of `role_arn` is allowed `action` on `resource` by the role's own
    /// policies (identity policies and permissions boundary; no resource policy).
    fn role_allows(&self, role_arn: &str, action: &str, resource: &str) -> bool;

    /// The index of the first of `checks` (`(action, resource)`) that the role's own policies
    /// do not allow, if any: [`ServiceRoles::role_allows`] for each, in order, stopping at the
    /// first refusal. IAM resolves the role once for all of them (a job checks each of its
    /// inputs and outputs).
    fn first_denied(&self, role_arn: &str, checks: &[(&str, &str)]) -> Option<usize> {
        checks
            .iter()
            .position(|(action, resource)| !self.role_allows(role_arn, action, resource))
    }

    /// Whether `role_arn` names an existing role (in the account its ARN names): a service
    /// refuses a role argument that names none.
    fn role_exists(&self, role_arn: &str) -> bool {
        self.role_trust(role_arn, "") != RoleTrust::NoSuchRole
    }
}

/// Roles that all exist, trust every service and are allowed everything: for unit tests of
/// services.
#[derive(Debug, Default)]
pub struct EveryRole;

impl ServiceRoles for EveryRole {
    fn role_trust(&self, _: &str, _: &str) -> RoleTrust {
        RoleTrust::Trusted
    }

    fn role_allows(&self, _: &str, _: &str, _: &str) -> bool {
        true
    }
}
