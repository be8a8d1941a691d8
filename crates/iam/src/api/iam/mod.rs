//! The IAM API (signing name `iam`).

mod access_keys;
mod account;
mod actions;
mod attached;
mod authorization_details;
mod boundaries;
mod credential_actions;
#[cfg(test)]
mod engine_tests;
mod entity;
mod groups;
mod inline;
mod login_profiles;
pub(crate) use login_profiles::check_policy as check_new_password;
mod mfa;
mod oidc;
mod owner;
mod policies;
mod policy_size;
mod provider_actions;
pub mod quotas;
mod roles;
mod saml;
mod service_linked_roles;

pub(crate) use oidc::host_of as oidc_host_of;
pub(crate) use saml::by_arn as saml_provider;
mod simulate;
mod tags;
pub(crate) mod trust_binding;
mod users;

use crate::store::{MfaDevice, OidcProvider, Role, SamlProvider, State, User};
use crate::Iam;
use serde_json::{Map, Value};
use service::{RequestContext, Service, ServiceError};
use std::sync::Arc;

/// The virtual MFA device a serial number names (for STS's MFA check).
pub(crate) fn mfa_device<'a>(
    s: &'a State,
    account: &str,
    serial: &str,
) -> Option<&'a crate::store::MfaDevice> {
    mfa::find(s, account, serial).ok()
}

/// What every IAM handler gets.
pub(crate) struct Call<'a> {
    /// The store and its runtime.
    pub iam: &'a Iam,
    /// The request.
    pub ctx: &'a RequestContext,
    /// The operation's name (markers are bound to it).
    pub operation: &'a str,
    /// The parsed input.
    pub input: &'a Value,
    /// The caller's account.
    pub account: &'a str,
    /// Now, seconds since the epoch.
    pub now: f64,
}

impl Call<'_> {
    /// A new unique ID with the given prefix.
    pub fn unique_id(&self, prefix: &str) -> String {
        crate::ids::unique_id(&self.iam.runtime.ids, prefix)
    }

    /// One page of a sorted listing; adds `IsTruncated`/`Marker` to `out`.
    pub fn page<T>(
        &self,
        items: Vec<(String, T)>,
        out: &mut Map<String, Value>,
    ) -> Result<Vec<T>, ServiceError> {
        // A marker serves only the operation and account that issued it.
        let scope = format!("{}\n{}", self.operation, self.account);
        crate::api::page::page(&self.iam.runtime.token_key, &scope, self.input, items, out)
    }

    /// One page of a sorted listing as an output with the page under `key`, plus
    /// `IsTruncated`/`Marker`.
    pub fn paged(&self, items: Vec<(String, Value)>, key: &str) -> Result<Value, ServiceError> {
        let mut out = Map::new();
        let list = self.page(items, &mut out)?;
        out.insert(key.into(), Value::Array(list));
        Ok(Value::Object(out))
    }

    /// One page of a listing whose items belong to several output lists: each item is tagged
    /// with the name of its list, and every name in `keys` gets its (maybe empty) share.
    pub fn paged_split(
        &self,
        items: Vec<(String, (&str, Value))>,
        keys: &[&str],
    ) -> Result<Value, ServiceError> {
        let mut out = Map::new();
        let list = self.page(items, &mut out)?;
        for key in keys {
            let vals: Vec<Value> = list
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect();
            out.insert((*key).into(), Value::Array(vals));
        }
        Ok(Value::Object(out))
    }
}

/// The IAM API over the shared store.
pub struct IamService(pub Arc<Iam>);

impl Service for IamService {
    fn signing_name(&self) -> &'static str {
        "iam"
    }

    fn authz_spec(&self) -> service::AuthzSpec {
        service::AuthzSpec {
            principal: "iam.amazonaws.com",
            arn_members: &[("TemplateArn", "role-template")],
            id_members: &[
                ("UserName", "user", "UserNameWithPath"),
                ("RoleName", "role", "RoleNameWithPath"),
                ("GroupName", "group", "GroupNameWithPath"),
                (
                    "ServerCertificateName",
                    "server-certificate",
                    "CertificateNameWithPath",
                ),
                (
                    "DelegationRequestId",
                    "delegation-request",
                    "DelegationRequestId",
                ),
            ],
            tag_members: &["Tags"],
            tag_key_members: &["TagKeys"],
            ..service::AuthzSpec::default()
        }
    }

    /// IAM names entities by name and path: the resource comes from state, on whichever of
    /// the action's types its ARN has; account-wide calls are authorized on `*`.
    fn locate(
        &self,
        ctx: &RequestContext,
        q: &mut service::Locate<'_>,
    ) -> Result<(), ServiceError> {
        let state = self.0.state.read();
        let arn = actions::resource(&state, ctx, q.operation, q.input);
        if arn != "*" {
            q.none();
            q.add_any(arn);
        } else if types_all_optional(q) {
            q.none();
        }
        // Otherwise the engine names the resource from the input's names (`id_members`) or
        // the type's ARN pattern.
        for (k, v) in actions::context_keys(q.operation, q.input) {
            q.context(k, v);
        }
        Ok(())
    }

    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<service::StoredFacts> {
        let state = self.0.state.read();
        actions::stored_tags(&state, arn).map(|tags| service::StoredFacts { tags, policy: None })
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        let call = Call {
            iam: &self.0,
            ctx,
            operation,
            input: &input,
            account: ctx.account(),
            now: self.0.runtime.clock.now(),
        };
        if operation.starts_with("Simulate") {
            let state = self.0.state.read();
            return simulate::handle(&call, &state, operation);
        }
        let mut state = self.0.state.write();
        dispatch(&call, &mut state, operation)
    }

    /// `POST /_mediamock/iam/oidc-keys`: registers an OIDC issuer's signing keys.
    fn admin(
        &self,
        ctx: &RequestContext,
        method: &str,
        path: &str,
        body: Value,
    ) -> Option<Result<Value, ServiceError>> {
        oidc::admin(&self.0, ctx, method, path, body)
    }

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        self.0.restore(record)
    }

    fn records(&self) -> Vec<service::Record> {
        self.0.records()
    }

    fn reset(&self) {
        self.0.reset()
    }

    fn validate_import(&self, account: &str, records: &[service::Record]) -> Result<(), String> {
        self.0.validate_import(account, records)
    }

    fn reset_account(&self, account: &str) -> Result<(), String> {
        self.0.reset_account(account);
        Ok(())
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        let state = self.0.state.read();
        let mut counts = [0usize; 4];
        for a in state.accounts.values() {
            counts[0] += a.users.len();
            counts[1] += a.roles.len();
            counts[2] += a.groups.len();
            counts[3] += a.policies.len();
        }
        vec![
            ("user", counts[0]),
            ("role", counts[1]),
            ("group", counts[2]),
            ("policy", counts[3]),
        ]
    }
}

/// Whether the action behind `q` needs no particular resource (the reference marks none of
/// its types required).
fn types_all_optional(q: &service::Locate<'_>) -> bool {
    let Some(facts) = protocol::authz_facts::service("iam") else {
        return true;
    };
    facts
        .action(q.operation)
        .is_some_and(|a| a.resources.iter().all(|r| !r.required))
}

fn dispatch(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    if s.account(c.account).is_none() {
        return Err(ServiceError::new(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
        .with_status(403));
    }
    // Service-linked roles are AWS's to change: the ordinary role calls refuse them.
    service_linked_roles::guard(c, s, op)?;
    match op {
        "CreateUser" => users::create(c, s),
        "GetUser" => users::get(c, s),
        "ListUsers" => users::list(c, s),
        "UpdateUser" => users::update(c, s),
        "DeleteUser" => users::delete(c, s),
        "TagUser" => tags::tag::<User>(c, s),
        "UntagUser" => tags::untag::<User>(c, s),
        "ListUserTags" => tags::list::<User>(c, s),
        "PutUserPermissionsBoundary" => boundaries::put::<User>(c, s),
        "DeleteUserPermissionsBoundary" => boundaries::delete::<User>(c, s),
        "CreateAccessKey" => access_keys::create(c, s),
        "ListAccessKeys" => access_keys::list(c, s),
        "UpdateAccessKey" => access_keys::update(c, s),
        "DeleteAccessKey" => access_keys::delete(c, s),
        "GetAccessKeyLastUsed" => access_keys::last_used(c, s),
        "CreateGroup" => groups::create(c, s),
        "GetGroup" => groups::get(c, s),
        "ListGroups" => groups::list(c, s),
        "DeleteGroup" => groups::delete(c, s),
        "AddUserToGroup" => groups::add_user(c, s),
        "RemoveUserFromGroup" => groups::remove_user(c, s),
        "ListGroupsForUser" => groups::for_user(c, s),
        "CreateRole" => roles::create(c, s),
        "GetRole" => roles::get(c, s),
        "ListRoles" => roles::list(c, s),
        "DeleteRole" => roles::delete(c, s),
        "UpdateRole" => roles::update(c, s),
        "UpdateRoleDescription" => roles::update(c, s),
        "UpdateAssumeRolePolicy" => roles::update_trust(c, s),
        "TagRole" => tags::tag::<Role>(c, s),
        "UntagRole" => tags::untag::<Role>(c, s),
        "ListRoleTags" => tags::list::<Role>(c, s),
        "PutRolePermissionsBoundary" => boundaries::put::<Role>(c, s),
        "DeleteRolePermissionsBoundary" => boundaries::delete::<Role>(c, s),
        "CreatePolicy" => policies::create(c, s),
        "GetPolicy" => policies::get(c, s),
        "ListPolicies" => policies::list(c, s),
        "DeletePolicy" => policies::delete(c, s),
        "CreatePolicyVersion" => policies::create_version(c, s),
        "GetPolicyVersion" => policies::get_version(c, s),
        "ListPolicyVersions" => policies::list_versions(c, s),
        "DeletePolicyVersion" => policies::delete_version(c, s),
        "SetDefaultPolicyVersion" => policies::set_default(c, s),
        "ListEntitiesForPolicy" => policies::entities(c, s),
        "AttachUserPolicy" | "AttachGroupPolicy" | "AttachRolePolicy" => attached::attach(c, s, op),
        "DetachUserPolicy" | "DetachGroupPolicy" | "DetachRolePolicy" => attached::detach(c, s, op),
        "ListAttachedUserPolicies" | "ListAttachedGroupPolicies" | "ListAttachedRolePolicies" => {
            attached::list(c, s, op)
        }
        "PutUserPolicy" | "PutGroupPolicy" | "PutRolePolicy" => inline::put(c, s, op),
        "GetUserPolicy" | "GetGroupPolicy" | "GetRolePolicy" => inline::get(c, s, op),
        "ListUserPolicies" | "ListGroupPolicies" | "ListRolePolicies" => inline::list(c, s, op),
        "DeleteUserPolicy" | "DeleteGroupPolicy" | "DeleteRolePolicy" => inline::delete(c, s, op),
        "GetAccountAuthorizationDetails" => authorization_details::get(c, s),
        "CreateVirtualMFADevice" => mfa::create(c, s),
        "EnableMFADevice" => mfa::enable(c, s),
        "ResyncMFADevice" => mfa::resync(c, s),
        "DeactivateMFADevice" => mfa::deactivate(c, s),
        "DeleteVirtualMFADevice" => mfa::delete(c, s),
        "ListMFADevices" => mfa::list(c, s),
        "ListVirtualMFADevices" => mfa::list_virtual(c, s),
        "GetMFADevice" => mfa::get(c, s),
        "TagMFADevice" => tags::tag::<MfaDevice>(c, s),
        "UntagMFADevice" => tags::untag::<MfaDevice>(c, s),
        "ListMFADeviceTags" => tags::list::<MfaDevice>(c, s),
        "CreateLoginProfile" => login_profiles::create(c, s),
        "GetLoginProfile" => login_profiles::get(c, s),
        "UpdateLoginProfile" => login_profiles::update(c, s),
        "DeleteLoginProfile" => login_profiles::delete(c, s),
        "ChangePassword" => login_profiles::change_password(c, s),
        "UpdateAccountPasswordPolicy" => account::update_password_policy(c, s),
        "GetAccountPasswordPolicy" => account::get_password_policy(c, s),
        "DeleteAccountPasswordPolicy" => account::delete_password_policy(c, s),
        "CreateAccountAlias" => account::create_alias(c, s),
        "DeleteAccountAlias" => account::delete_alias(c, s),
        "ListAccountAliases" => account::list_aliases(c, s),
        "GetAccountSummary" => account::summary(c, s),
        "GenerateCredentialReport" => account::generate_report(c, s),
        "GetCredentialReport" => account::get_report(c, s),
        "CreateServiceLinkedRole" => service_linked_roles::create(c, s),
        "DeleteServiceLinkedRole" => service_linked_roles::delete(c, s),
        "GetServiceLinkedRoleDeletionStatus" => service_linked_roles::deletion_status(c, s),
        "CreateOpenIDConnectProvider" => oidc::create(c, s),
        "GetOpenIDConnectProvider" => oidc::get(c, s),
        "ListOpenIDConnectProviders" => oidc::list(c, s),
        "DeleteOpenIDConnectProvider" => oidc::delete(c, s),
        "AddClientIDToOpenIDConnectProvider" => oidc::add_client_id(c, s),
        "RemoveClientIDFromOpenIDConnectProvider" => oidc::remove_client_id(c, s),
        "UpdateOpenIDConnectProviderThumbprint" => oidc::update_thumbprint(c, s),
        "TagOpenIDConnectProvider" => tags::tag::<OidcProvider>(c, s),
        "UntagOpenIDConnectProvider" => tags::untag::<OidcProvider>(c, s),
        "ListOpenIDConnectProviderTags" => tags::list::<OidcProvider>(c, s),
        "CreateSAMLProvider" => saml::create(c, s),
        "GetSAMLProvider" => saml::get(c, s),
        "ListSAMLProviders" => saml::list(c, s),
        "UpdateSAMLProvider" => saml::update(c, s),
        "DeleteSAMLProvider" => saml::delete(c, s),
        "TagSAMLProvider" => tags::tag::<SamlProvider>(c, s),
        "UntagSAMLProvider" => tags::untag::<SamlProvider>(c, s),
        "ListSAMLProviderTags" => tags::list::<SamlProvider>(c, s),
        _ => Err(ServiceError::not_implemented("iam", op)),
    }
}

#[cfg(test)]
mod credential_tests;
#[cfg(test)]
mod simulate_tests;
#[cfg(test)]
pub(crate) mod tests;
