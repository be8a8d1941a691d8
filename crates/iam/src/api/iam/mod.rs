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
        kit::Operations::dispatch(self, ctx, operation, &input)
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

kit::operations! { IamService, "iam";
    AcceptDelegationRequest,
    AcquireRole,
    AddClientIDToOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "AddClientIDToOpenIDConnectProvider", i, |c, st| oidc::add_client_id(c, st)),
    AddRoleToInstanceProfile,
    AddUserToGroup => |s, ctx, i| s.write(ctx, "AddUserToGroup", i, |c, st| groups::add_user(c, st)),
    AssociateDelegationRequest,
    AttachGroupPolicy => |s, ctx, i| s.write(ctx, "AttachGroupPolicy", i, |c, st| attached::attach(c, st, c.operation)),
    AttachRolePolicy => |s, ctx, i| s.write(ctx, "AttachRolePolicy", i, |c, st| attached::attach(c, st, c.operation)),
    AttachUserPolicy => |s, ctx, i| s.write(ctx, "AttachUserPolicy", i, |c, st| attached::attach(c, st, c.operation)),
    ChangePassword => |s, ctx, i| s.write(ctx, "ChangePassword", i, |c, st| login_profiles::change_password(c, st)),
    CreateAccessKey => |s, ctx, i| s.write(ctx, "CreateAccessKey", i, |c, st| access_keys::create(c, st)),
    CreateAccountAlias => |s, ctx, i| s.write(ctx, "CreateAccountAlias", i, |c, st| account::create_alias(c, st)),
    CreateDelegationRequest,
    CreateGroup => |s, ctx, i| s.write(ctx, "CreateGroup", i, |c, st| groups::create(c, st)),
    CreateInstanceProfile,
    CreateLoginProfile => |s, ctx, i| s.write(ctx, "CreateLoginProfile", i, |c, st| login_profiles::create(c, st)),
    CreateOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "CreateOpenIDConnectProvider", i, |c, st| oidc::create(c, st)),
    CreatePolicy => |s, ctx, i| s.write(ctx, "CreatePolicy", i, |c, st| policies::create(c, st)),
    CreatePolicyVersion => |s, ctx, i| s.write(ctx, "CreatePolicyVersion", i, |c, st| policies::create_version(c, st)),
    CreateRole => |s, ctx, i| s.write(ctx, "CreateRole", i, |c, st| roles::create(c, st)),
    CreateSAMLProvider => |s, ctx, i| s.write(ctx, "CreateSAMLProvider", i, |c, st| saml::create(c, st)),
    CreateServiceLinkedRole => |s, ctx, i| s.write(ctx, "CreateServiceLinkedRole", i, |c, st| service_linked_roles::create(c, st)),
    CreateServiceSpecificCredential,
    CreateUser => |s, ctx, i| s.write(ctx, "CreateUser", i, |c, st| users::create(c, st)),
    CreateVirtualMFADevice => |s, ctx, i| s.write(ctx, "CreateVirtualMFADevice", i, |c, st| mfa::create(c, st)),
    DeactivateMFADevice => |s, ctx, i| s.write(ctx, "DeactivateMFADevice", i, |c, st| mfa::deactivate(c, st)),
    DeleteAccessKey => |s, ctx, i| s.write(ctx, "DeleteAccessKey", i, |c, st| access_keys::delete(c, st)),
    DeleteAccountAlias => |s, ctx, i| s.write(ctx, "DeleteAccountAlias", i, |c, st| account::delete_alias(c, st)),
    DeleteAccountPasswordPolicy => |s, ctx, i| s.write(ctx, "DeleteAccountPasswordPolicy", i, |c, st| account::delete_password_policy(c, st)),
    DeleteGroup => |s, ctx, i| s.write(ctx, "DeleteGroup", i, |c, st| groups::delete(c, st)),
    DeleteGroupPolicy => |s, ctx, i| s.write(ctx, "DeleteGroupPolicy", i, |c, st| inline::delete(c, st, c.operation)),
    DeleteInstanceProfile,
    DeleteLoginProfile => |s, ctx, i| s.write(ctx, "DeleteLoginProfile", i, |c, st| login_profiles::delete(c, st)),
    DeleteOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "DeleteOpenIDConnectProvider", i, |c, st| oidc::delete(c, st)),
    DeletePolicy => |s, ctx, i| s.write(ctx, "DeletePolicy", i, |c, st| policies::delete(c, st)),
    DeletePolicyVersion => |s, ctx, i| s.write(ctx, "DeletePolicyVersion", i, |c, st| policies::delete_version(c, st)),
    DeleteRole => |s, ctx, i| s.write(ctx, "DeleteRole", i, |c, st| roles::delete(c, st)),
    DeleteRolePermissionsBoundary => |s, ctx, i| s.write(ctx, "DeleteRolePermissionsBoundary", i, |c, st| boundaries::delete::<Role>(c, st)),
    DeleteRolePolicy => |s, ctx, i| s.write(ctx, "DeleteRolePolicy", i, |c, st| inline::delete(c, st, c.operation)),
    DeleteSAMLProvider => |s, ctx, i| s.write(ctx, "DeleteSAMLProvider", i, |c, st| saml::delete(c, st)),
    DeleteSSHPublicKey,
    DeleteServerCertificate,
    DeleteServiceLinkedRole => |s, ctx, i| s.write(ctx, "DeleteServiceLinkedRole", i, |c, st| service_linked_roles::delete(c, st)),
    DeleteServiceSpecificCredential,
    DeleteSigningCertificate,
    DeleteUser => |s, ctx, i| s.write(ctx, "DeleteUser", i, |c, st| users::delete(c, st)),
    DeleteUserPermissionsBoundary => |s, ctx, i| s.write(ctx, "DeleteUserPermissionsBoundary", i, |c, st| boundaries::delete::<User>(c, st)),
    DeleteUserPolicy => |s, ctx, i| s.write(ctx, "DeleteUserPolicy", i, |c, st| inline::delete(c, st, c.operation)),
    DeleteVirtualMFADevice => |s, ctx, i| s.write(ctx, "DeleteVirtualMFADevice", i, |c, st| mfa::delete(c, st)),
    DetachGroupPolicy => |s, ctx, i| s.write(ctx, "DetachGroupPolicy", i, |c, st| attached::detach(c, st, c.operation)),
    DetachRolePolicy => |s, ctx, i| s.write(ctx, "DetachRolePolicy", i, |c, st| attached::detach(c, st, c.operation)),
    DetachUserPolicy => |s, ctx, i| s.write(ctx, "DetachUserPolicy", i, |c, st| attached::detach(c, st, c.operation)),
    DisableOrganizationsRootCredentialsManagement,
    DisableOrganizationsRootSessions,
    DisableOutboundWebIdentityFederation,
    EnableMFADevice => |s, ctx, i| s.write(ctx, "EnableMFADevice", i, |c, st| mfa::enable(c, st)),
    EnableOrganizationsRootCredentialsManagement,
    EnableOrganizationsRootSessions,
    EnableOutboundWebIdentityFederation,
    GenerateCredentialReport => |s, ctx, i| s.write(ctx, "GenerateCredentialReport", i, |c, st| account::generate_report(c, st)),
    GenerateOrganizationsAccessReport,
    GenerateServiceLastAccessedDetails,
    GetAccessKeyLastUsed => |s, ctx, i| s.write(ctx, "GetAccessKeyLastUsed", i, |c, st| access_keys::last_used(c, st)),
    GetAccountAuthorizationDetails => |s, ctx, i| s.write(ctx, "GetAccountAuthorizationDetails", i, |c, st| authorization_details::get(c, st)),
    GetAccountPasswordPolicy => |s, ctx, i| s.write(ctx, "GetAccountPasswordPolicy", i, |c, st| account::get_password_policy(c, st)),
    GetAccountProperties,
    GetAccountSummary => |s, ctx, i| s.write(ctx, "GetAccountSummary", i, |c, st| account::summary(c, st)),
    GetContextKeysForCustomPolicy,
    GetContextKeysForPrincipalPolicy,
    GetCredentialReport => |s, ctx, i| s.write(ctx, "GetCredentialReport", i, |c, st| account::get_report(c, st)),
    GetDelegationRequest,
    GetGroup => |s, ctx, i| s.write(ctx, "GetGroup", i, |c, st| groups::get(c, st)),
    GetGroupPolicy => |s, ctx, i| s.write(ctx, "GetGroupPolicy", i, |c, st| inline::get(c, st, c.operation)),
    GetHumanReadableSummary,
    GetInstanceProfile,
    GetLoginProfile => |s, ctx, i| s.write(ctx, "GetLoginProfile", i, |c, st| login_profiles::get(c, st)),
    GetMFADevice => |s, ctx, i| s.write(ctx, "GetMFADevice", i, |c, st| mfa::get(c, st)),
    GetOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "GetOpenIDConnectProvider", i, |c, st| oidc::get(c, st)),
    GetOrganizationsAccessReport,
    GetOutboundWebIdentityFederationInfo,
    GetPolicy => |s, ctx, i| s.write(ctx, "GetPolicy", i, |c, st| policies::get(c, st)),
    GetPolicyVersion => |s, ctx, i| s.write(ctx, "GetPolicyVersion", i, |c, st| policies::get_version(c, st)),
    GetRole => |s, ctx, i| s.write(ctx, "GetRole", i, |c, st| roles::get(c, st)),
    GetRolePolicy => |s, ctx, i| s.write(ctx, "GetRolePolicy", i, |c, st| inline::get(c, st, c.operation)),
    GetRoleTemplateVersion,
    GetSAMLProvider => |s, ctx, i| s.write(ctx, "GetSAMLProvider", i, |c, st| saml::get(c, st)),
    GetSSHPublicKey,
    GetServerCertificate,
    GetServiceLastAccessedDetails,
    GetServiceLastAccessedDetailsWithEntities,
    GetServiceLinkedRoleDeletionStatus => |s, ctx, i| s.write(ctx, "GetServiceLinkedRoleDeletionStatus", i, |c, st| service_linked_roles::deletion_status(c, st)),
    GetUser => |s, ctx, i| s.write(ctx, "GetUser", i, |c, st| users::get(c, st)),
    GetUserPolicy => |s, ctx, i| s.write(ctx, "GetUserPolicy", i, |c, st| inline::get(c, st, c.operation)),
    ListAccessKeys => |s, ctx, i| s.write(ctx, "ListAccessKeys", i, |c, st| access_keys::list(c, st)),
    ListAccountAliases => |s, ctx, i| s.write(ctx, "ListAccountAliases", i, |c, st| account::list_aliases(c, st)),
    ListAttachedGroupPolicies => |s, ctx, i| s.write(ctx, "ListAttachedGroupPolicies", i, |c, st| attached::list(c, st, c.operation)),
    ListAttachedRolePolicies => |s, ctx, i| s.write(ctx, "ListAttachedRolePolicies", i, |c, st| attached::list(c, st, c.operation)),
    ListAttachedUserPolicies => |s, ctx, i| s.write(ctx, "ListAttachedUserPolicies", i, |c, st| attached::list(c, st, c.operation)),
    ListDelegationRequests,
    ListEntitiesForPolicy => |s, ctx, i| s.write(ctx, "ListEntitiesForPolicy", i, |c, st| policies::entities(c, st)),
    ListGroupPolicies => |s, ctx, i| s.write(ctx, "ListGroupPolicies", i, |c, st| inline::list(c, st, c.operation)),
    ListGroups => |s, ctx, i| s.write(ctx, "ListGroups", i, |c, st| groups::list(c, st)),
    ListGroupsForUser => |s, ctx, i| s.write(ctx, "ListGroupsForUser", i, |c, st| groups::for_user(c, st)),
    ListInstanceProfileTags,
    ListInstanceProfiles,
    ListInstanceProfilesForRole,
    ListMFADeviceTags => |s, ctx, i| s.write(ctx, "ListMFADeviceTags", i, |c, st| tags::list::<MfaDevice>(c, st)),
    ListMFADevices => |s, ctx, i| s.write(ctx, "ListMFADevices", i, |c, st| mfa::list(c, st)),
    ListOpenIDConnectProviderTags => |s, ctx, i| s.write(ctx, "ListOpenIDConnectProviderTags", i, |c, st| tags::list::<OidcProvider>(c, st)),
    ListOpenIDConnectProviders => |s, ctx, i| s.write(ctx, "ListOpenIDConnectProviders", i, |c, st| oidc::list(c, st)),
    ListOrganizationsFeatures,
    ListPolicies => |s, ctx, i| s.write(ctx, "ListPolicies", i, |c, st| policies::list(c, st)),
    ListPoliciesGrantingServiceAccess,
    ListPolicyTags,
    ListPolicyVersions => |s, ctx, i| s.write(ctx, "ListPolicyVersions", i, |c, st| policies::list_versions(c, st)),
    ListRolePolicies => |s, ctx, i| s.write(ctx, "ListRolePolicies", i, |c, st| inline::list(c, st, c.operation)),
    ListRoleTags => |s, ctx, i| s.write(ctx, "ListRoleTags", i, |c, st| tags::list::<Role>(c, st)),
    ListRoles => |s, ctx, i| s.write(ctx, "ListRoles", i, |c, st| roles::list(c, st)),
    ListSAMLProviderTags => |s, ctx, i| s.write(ctx, "ListSAMLProviderTags", i, |c, st| tags::list::<SamlProvider>(c, st)),
    ListSAMLProviders => |s, ctx, i| s.write(ctx, "ListSAMLProviders", i, |c, st| saml::list(c, st)),
    ListSSHPublicKeys,
    ListServerCertificateTags,
    ListServerCertificates,
    ListServiceSpecificCredentials,
    ListSigningCertificates,
    ListUserPolicies => |s, ctx, i| s.write(ctx, "ListUserPolicies", i, |c, st| inline::list(c, st, c.operation)),
    ListUserTags => |s, ctx, i| s.write(ctx, "ListUserTags", i, |c, st| tags::list::<User>(c, st)),
    ListUsers => |s, ctx, i| s.write(ctx, "ListUsers", i, |c, st| users::list(c, st)),
    ListVirtualMFADevices => |s, ctx, i| s.write(ctx, "ListVirtualMFADevices", i, |c, st| mfa::list_virtual(c, st)),
    PutAccountProperties,
    PutGroupPolicy => |s, ctx, i| s.write(ctx, "PutGroupPolicy", i, |c, st| inline::put(c, st, c.operation)),
    PutRolePermissionsBoundary => |s, ctx, i| s.write(ctx, "PutRolePermissionsBoundary", i, |c, st| boundaries::put::<Role>(c, st)),
    PutRolePolicy => |s, ctx, i| s.write(ctx, "PutRolePolicy", i, |c, st| inline::put(c, st, c.operation)),
    PutUserPermissionsBoundary => |s, ctx, i| s.write(ctx, "PutUserPermissionsBoundary", i, |c, st| boundaries::put::<User>(c, st)),
    PutUserPolicy => |s, ctx, i| s.write(ctx, "PutUserPolicy", i, |c, st| inline::put(c, st, c.operation)),
    RejectDelegationRequest,
    RemoveClientIDFromOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "RemoveClientIDFromOpenIDConnectProvider", i, |c, st| oidc::remove_client_id(c, st)),
    RemoveRoleFromInstanceProfile,
    RemoveUserFromGroup => |s, ctx, i| s.write(ctx, "RemoveUserFromGroup", i, |c, st| groups::remove_user(c, st)),
    ResetServiceSpecificCredential,
    ResyncMFADevice => |s, ctx, i| s.write(ctx, "ResyncMFADevice", i, |c, st| mfa::resync(c, st)),
    SendDelegationToken,
    SetDefaultPolicyVersion => |s, ctx, i| s.write(ctx, "SetDefaultPolicyVersion", i, |c, st| policies::set_default(c, st)),
    SetSecurityTokenServicePreferences,
    SimulateCustomPolicy => |s, ctx, i| s.simulate(ctx, "SimulateCustomPolicy", i),
    SimulatePrincipalPolicy => |s, ctx, i| s.simulate(ctx, "SimulatePrincipalPolicy", i),
    TagInstanceProfile,
    TagMFADevice => |s, ctx, i| s.write(ctx, "TagMFADevice", i, |c, st| tags::tag::<MfaDevice>(c, st)),
    TagOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "TagOpenIDConnectProvider", i, |c, st| tags::tag::<OidcProvider>(c, st)),
    TagPolicy,
    TagRole => |s, ctx, i| s.write(ctx, "TagRole", i, |c, st| tags::tag::<Role>(c, st)),
    TagSAMLProvider => |s, ctx, i| s.write(ctx, "TagSAMLProvider", i, |c, st| tags::tag::<SamlProvider>(c, st)),
    TagServerCertificate,
    TagUser => |s, ctx, i| s.write(ctx, "TagUser", i, |c, st| tags::tag::<User>(c, st)),
    UntagInstanceProfile,
    UntagMFADevice => |s, ctx, i| s.write(ctx, "UntagMFADevice", i, |c, st| tags::untag::<MfaDevice>(c, st)),
    UntagOpenIDConnectProvider => |s, ctx, i| s.write(ctx, "UntagOpenIDConnectProvider", i, |c, st| tags::untag::<OidcProvider>(c, st)),
    UntagPolicy,
    UntagRole => |s, ctx, i| s.write(ctx, "UntagRole", i, |c, st| tags::untag::<Role>(c, st)),
    UntagSAMLProvider => |s, ctx, i| s.write(ctx, "UntagSAMLProvider", i, |c, st| tags::untag::<SamlProvider>(c, st)),
    UntagServerCertificate,
    UntagUser => |s, ctx, i| s.write(ctx, "UntagUser", i, |c, st| tags::untag::<User>(c, st)),
    UpdateAccessKey => |s, ctx, i| s.write(ctx, "UpdateAccessKey", i, |c, st| access_keys::update(c, st)),
    UpdateAccountPasswordPolicy => |s, ctx, i| s.write(ctx, "UpdateAccountPasswordPolicy", i, |c, st| account::update_password_policy(c, st)),
    UpdateAssumeRolePolicy => |s, ctx, i| s.write(ctx, "UpdateAssumeRolePolicy", i, |c, st| roles::update_trust(c, st)),
    UpdateDelegationRequest,
    UpdateGroup,
    UpdateLoginProfile => |s, ctx, i| s.write(ctx, "UpdateLoginProfile", i, |c, st| login_profiles::update(c, st)),
    UpdateOpenIDConnectProviderThumbprint => |s, ctx, i| s.write(ctx, "UpdateOpenIDConnectProviderThumbprint", i, |c, st| oidc::update_thumbprint(c, st)),
    UpdateRole => |s, ctx, i| s.write(ctx, "UpdateRole", i, |c, st| roles::update(c, st)),
    UpdateRoleDescription => |s, ctx, i| s.write(ctx, "UpdateRoleDescription", i, |c, st| roles::update(c, st)),
    UpdateSAMLProvider => |s, ctx, i| s.write(ctx, "UpdateSAMLProvider", i, |c, st| saml::update(c, st)),
    UpdateSSHPublicKey,
    UpdateServerCertificate,
    UpdateServiceSpecificCredential,
    UpdateSigningCertificate,
    UpdateUser => |s, ctx, i| s.write(ctx, "UpdateUser", i, |c, st| users::update(c, st)),
    UploadSSHPublicKey,
    UploadServerCertificate,
    UploadSigningCertificate,
}

impl IamService {
    /// Runs a handler under the store's write lock, after the checks every IAM call shares:
    /// the caller's account exists, and service-linked roles are AWS's to change.
    fn write(
        &self,
        ctx: &RequestContext,
        operation: &'static str,
        input: &Value,
        handler: fn(&Call, &mut State) -> Result<Value, ServiceError>,
    ) -> Result<Value, ServiceError> {
        let call = self.call(ctx, operation, input);
        let mut state = self.0.state.write();
        if state.account(call.account).is_none() {
            return Err(ServiceError::new(
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
            )
            .with_status(403));
        }
        service_linked_roles::guard(&call, &state, operation)?;
        handler(&call, &mut state)
    }

    /// Runs a policy simulation under the read lock.
    fn simulate(
        &self,
        ctx: &RequestContext,
        operation: &'static str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let call = self.call(ctx, operation, input);
        let state = self.0.state.read();
        simulate::handle(&call, &state, operation)
    }

    fn call<'a>(
        &'a self,
        ctx: &'a RequestContext,
        operation: &'static str,
        input: &'a Value,
    ) -> Call<'a> {
        Call {
            iam: &self.0,
            ctx,
            operation,
            input,
            account: ctx.account(),
            now: self.0.runtime.clock.now(),
        }
    }
}

#[test]
fn list_matches_model() {
    kit::check_against_model::<IamService>().unwrap();
}

#[cfg(test)]
mod credential_tests;
#[cfg(test)]
mod simulate_tests;
#[cfg(test)]
pub(crate) mod tests;
