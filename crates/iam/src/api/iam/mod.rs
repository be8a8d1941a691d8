//! The IAM API (signing name `iam`).

mod access_advisor;
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
mod instance_profiles;
mod login_profiles;
pub(crate) use access_advisor::AccessReports;
pub(crate) use account::settings as account_settings;
pub(crate) use login_profiles::check_policy as check_new_password;
mod mfa;
mod oidc;
mod organizations;
mod outbound_federation;
mod owner;
mod policies;
mod policy_context_keys;
mod policy_exclusions;
mod policy_size;
mod provider_actions;
pub mod quotas;
mod roles;
mod saml;
mod server_certificates;
mod service_access;
mod service_credentials;
mod service_linked_roles;

pub(crate) use oidc::host_of as oidc_host_of;
pub(crate) use saml::by_arn as saml_provider;
mod signing_certificates;
mod simulate;
mod ssh_keys;
mod tags;
pub(crate) mod trust_binding;
mod users;

use crate::store::{
    InstanceProfile, ManagedPolicy, MfaDevice, OidcProvider, Role, SamlProvider, ServerCertificate,
    State, User,
};
use crate::Iam;
use serde_json::{Map, Value};
use service::{ContextValue, RequestContext, Service, ServiceError};
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
        crate::ids::unique_id(&self.iam.runtime.ids, prefix, self.account)
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
            if let Some(b) = actions::stored_boundary(&state, q.operation, &arn) {
                q.context("iam:PermissionsBoundary", ContextValue::String(b));
            }
            if let Some(service) =
                actions::stored_credential_service(&state, q.operation, &arn, q.input)
            {
                q.context(
                    "iam:ServiceSpecificCredentialServiceName",
                    ContextValue::String(service),
                );
            }
            q.none();
            // A rename needs the action on the new name too (UpdateUser, UpdateGroup,
            // UpdateServerCertificate).
            let renamed = actions::renamed(&arn, q.operation, q.input);
            q.add_any(arn);
            if let Some(renamed) = renamed {
                q.add_any(renamed);
            }
        } else if types_all_optional(q) {
            q.none();
        }
        // Otherwise the engine names the resource from the input's names (`id_members`) or
        // the type's ARN pattern.
        if q.operation == "AddRoleToInstanceProfile" {
            // AWS: "The caller of this operation must be granted the PassRole permission on
            // the IAM role"; the profile hands the role to EC2.
            if let Some(role) = crate::api::input::opt(q.input, "RoleName") {
                let arn = actions::role_arn(&state, ctx.account(), role);
                q.pass_role_to(arn, "ec2.amazonaws.com");
            }
        }
        for (k, v) in actions::context_keys(q.operation, q.input) {
            q.context(k, v);
        }
        // IAM is global, with one endpoint: the User Guide (aws:RequestedRegion) says "IAM
        // calls are always made to the us-east-1 Region", whatever region a client signs with
        // (an SDK pointed at this server signs with its configured region).
        q.context(
            "aws:RequestedRegion",
            ContextValue::String(iam_region(&ctx.region).to_string()),
        );
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
/// The region of IAM's one endpoint in the partition of `signed_region` (AWS's endpoint
/// table: `iam.amazonaws.com` is us-east-1, China's cn-north-1, GovCloud's us-gov-west-1).
fn iam_region(signed_region: &str) -> &'static str {
    if signed_region.starts_with("cn-") {
        "cn-north-1"
    } else if signed_region.starts_with("us-gov-") {
        "us-gov-west-1"
    } else {
        "us-east-1"
    }
}

fn types_all_optional(q: &service::Locate<'_>) -> bool {
    let Some(facts) = protocol::authz_facts::service("iam") else {
        return true;
    };
    facts
        .action(q.operation)
        .is_some_and(|a| a.resources.iter().all(|r| !r.required))
}

/// A handler run by [`IamService::write`] for the operation named.
macro_rules! locked {
    ($op:literal, $handler:expr) => {
        |s: &IamService, ctx: &RequestContext, input: &Value| s.write(ctx, $op, input, $handler)
    };
}

kit::operations! { IamService, "iam",
    // The account root's own user, keys and certificates have no `UserName`; a boundary's
    // type is `Policy`, which the model's enum (`PermissionsBoundaryPolicy`) lacks; the
    // simulator types identity policies `IAM Policy`, which `PolicySourceType` lacks.
    as_aws_answers: [
        ("GetUser", "User.UserName"),
        ("CreateAccessKey", "AccessKey.UserName"),
        ("UploadSigningCertificate", "Certificate.UserName"),
        ("ListSigningCertificates", "Certificates.[].UserName"),
        ("*", "PermissionsBoundaryType=\"Policy\""),
        ("*", "SourcePolicyType=\"IAM Policy\""),
    ];
    AcceptDelegationRequest,
    AcquireRole,
    AddClientIDToOpenIDConnectProvider => locked!("AddClientIDToOpenIDConnectProvider", oidc::add_client_id),
    AddRoleToInstanceProfile => locked!("AddRoleToInstanceProfile", instance_profiles::add_role),
    AddUserToGroup => locked!("AddUserToGroup", groups::add_user),
    AssociateDelegationRequest,
    AttachGroupPolicy => locked!("AttachGroupPolicy", |c, st| attached::attach(c, st, c.operation)),
    AttachRolePolicy => locked!("AttachRolePolicy", |c, st| attached::attach(c, st, c.operation)),
    AttachUserPolicy => locked!("AttachUserPolicy", |c, st| attached::attach(c, st, c.operation)),
    ChangePassword => locked!("ChangePassword", login_profiles::change_password),
    CreateAccessKey => locked!("CreateAccessKey", access_keys::create),
    CreateAccountAlias => locked!("CreateAccountAlias", account::create_alias),
    CreateDelegationRequest,
    CreateGroup => locked!("CreateGroup", groups::create),
    CreateInstanceProfile => locked!("CreateInstanceProfile", instance_profiles::create),
    CreateLoginProfile => locked!("CreateLoginProfile", login_profiles::create),
    CreateOpenIDConnectProvider => locked!("CreateOpenIDConnectProvider", oidc::create),
    CreatePolicy => locked!("CreatePolicy", policies::create),
    CreatePolicyVersion => locked!("CreatePolicyVersion", policies::create_version),
    CreateRole => locked!("CreateRole", roles::create),
    CreateSAMLProvider => locked!("CreateSAMLProvider", saml::create),
    CreateServiceLinkedRole => locked!("CreateServiceLinkedRole", service_linked_roles::create),
    CreateServiceSpecificCredential => locked!("CreateServiceSpecificCredential", service_credentials::create),
    CreateUser => locked!("CreateUser", users::create),
    CreateVirtualMFADevice => locked!("CreateVirtualMFADevice", mfa::create),
    DeactivateMFADevice => locked!("DeactivateMFADevice", mfa::deactivate),
    DeleteAccessKey => locked!("DeleteAccessKey", access_keys::delete),
    DeleteAccountAlias => locked!("DeleteAccountAlias", account::delete_alias),
    DeleteAccountPasswordPolicy => locked!("DeleteAccountPasswordPolicy", account::delete_password_policy),
    DeleteGroup => locked!("DeleteGroup", groups::delete),
    DeleteGroupPolicy => locked!("DeleteGroupPolicy", |c, st| inline::delete(c, st, c.operation)),
    DeleteInstanceProfile => locked!("DeleteInstanceProfile", instance_profiles::delete),
    DeleteLoginProfile => locked!("DeleteLoginProfile", login_profiles::delete),
    DeleteOpenIDConnectProvider => locked!("DeleteOpenIDConnectProvider", oidc::delete),
    DeletePolicy => locked!("DeletePolicy", policies::delete),
    DeletePolicyVersion => locked!("DeletePolicyVersion", policies::delete_version),
    DeleteRole => locked!("DeleteRole", roles::delete),
    DeleteRolePermissionsBoundary => locked!("DeleteRolePermissionsBoundary", boundaries::delete::<Role>),
    DeleteRolePolicy => locked!("DeleteRolePolicy", |c, st| inline::delete(c, st, c.operation)),
    DeleteSAMLProvider => locked!("DeleteSAMLProvider", saml::delete),
    DeleteSSHPublicKey => locked!("DeleteSSHPublicKey", ssh_keys::delete),
    DeleteServerCertificate => locked!("DeleteServerCertificate", server_certificates::delete),
    DeleteServiceLinkedRole => locked!("DeleteServiceLinkedRole", service_linked_roles::delete),
    DeleteServiceSpecificCredential => locked!("DeleteServiceSpecificCredential", service_credentials::delete),
    DeleteSigningCertificate => locked!("DeleteSigningCertificate", signing_certificates::delete),
    DeleteUser => locked!("DeleteUser", users::delete),
    DeleteUserPermissionsBoundary => locked!("DeleteUserPermissionsBoundary", boundaries::delete::<User>),
    DeleteUserPolicy => locked!("DeleteUserPolicy", |c, st| inline::delete(c, st, c.operation)),
    DeleteVirtualMFADevice => locked!("DeleteVirtualMFADevice", mfa::delete),
    DetachGroupPolicy => locked!("DetachGroupPolicy", |c, st| attached::detach(c, st, c.operation)),
    DetachRolePolicy => locked!("DetachRolePolicy", |c, st| attached::detach(c, st, c.operation)),
    DetachUserPolicy => locked!("DetachUserPolicy", |c, st| attached::detach(c, st, c.operation)),
    DisableOrganizationsRootCredentialsManagement => |_: &IamService, _: &RequestContext, _: &Value| Err(organizations::not_in_organization()),
    DisableOrganizationsRootSessions => |_: &IamService, _: &RequestContext, _: &Value| Err(organizations::not_in_organization()),
    DisableOutboundWebIdentityFederation => locked!("DisableOutboundWebIdentityFederation", outbound_federation::disable),
    EnableMFADevice => locked!("EnableMFADevice", mfa::enable),
    EnableOrganizationsRootCredentialsManagement => |_: &IamService, _: &RequestContext, _: &Value| Err(organizations::not_in_organization()),
    EnableOrganizationsRootSessions => |_: &IamService, _: &RequestContext, _: &Value| Err(organizations::not_in_organization()),
    EnableOutboundWebIdentityFederation => locked!("EnableOutboundWebIdentityFederation", outbound_federation::enable),
    GenerateCredentialReport => locked!("GenerateCredentialReport", account::generate_report),
    GenerateOrganizationsAccessReport,
    GenerateServiceLastAccessedDetails => locked!("GenerateServiceLastAccessedDetails", access_advisor::generate),
    GetAccessKeyLastUsed => locked!("GetAccessKeyLastUsed", access_keys::last_used),
    GetAccountAuthorizationDetails => locked!("GetAccountAuthorizationDetails", authorization_details::get),
    GetAccountPasswordPolicy => locked!("GetAccountPasswordPolicy", account::get_password_policy),
    GetAccountProperties,
    GetAccountSummary => locked!("GetAccountSummary", account::summary),
    GetContextKeysForCustomPolicy => locked!("GetContextKeysForCustomPolicy", policy_context_keys::for_custom),
    GetContextKeysForPrincipalPolicy => locked!("GetContextKeysForPrincipalPolicy", policy_context_keys::for_principal),
    GetCredentialReport => locked!("GetCredentialReport", account::get_report),
    GetDelegationRequest,
    GetGroup => locked!("GetGroup", groups::get),
    GetGroupPolicy => locked!("GetGroupPolicy", |c, st| inline::get(c, st, c.operation)),
    GetHumanReadableSummary,
    GetInstanceProfile => locked!("GetInstanceProfile", instance_profiles::get),
    GetLoginProfile => locked!("GetLoginProfile", login_profiles::get),
    GetMFADevice => locked!("GetMFADevice", mfa::get),
    GetOpenIDConnectProvider => locked!("GetOpenIDConnectProvider", oidc::get),
    GetOrganizationsAccessReport,
    GetOutboundWebIdentityFederationInfo => locked!("GetOutboundWebIdentityFederationInfo", outbound_federation::info),
    GetPolicy => locked!("GetPolicy", policies::get),
    GetPolicyVersion => locked!("GetPolicyVersion", policies::get_version),
    GetRole => locked!("GetRole", roles::get),
    GetRolePolicy => locked!("GetRolePolicy", |c, st| inline::get(c, st, c.operation)),
    GetRoleTemplateVersion,
    GetSAMLProvider => locked!("GetSAMLProvider", saml::get),
    GetSSHPublicKey => locked!("GetSSHPublicKey", ssh_keys::get),
    GetServerCertificate => locked!("GetServerCertificate", server_certificates::get),
    GetServiceLastAccessedDetails => locked!("GetServiceLastAccessedDetails", access_advisor::get),
    GetServiceLastAccessedDetailsWithEntities => locked!("GetServiceLastAccessedDetailsWithEntities", access_advisor::get_with_entities),
    GetServiceLinkedRoleDeletionStatus => locked!("GetServiceLinkedRoleDeletionStatus", service_linked_roles::deletion_status),
    GetUser => locked!("GetUser", users::get),
    GetUserPolicy => locked!("GetUserPolicy", |c, st| inline::get(c, st, c.operation)),
    ListAccessKeys => locked!("ListAccessKeys", access_keys::list),
    ListAccountAliases => locked!("ListAccountAliases", account::list_aliases),
    ListAttachedGroupPolicies => locked!("ListAttachedGroupPolicies", |c, st| attached::list(c, st, c.operation)),
    ListAttachedRolePolicies => locked!("ListAttachedRolePolicies", |c, st| attached::list(c, st, c.operation)),
    ListAttachedUserPolicies => locked!("ListAttachedUserPolicies", |c, st| attached::list(c, st, c.operation)),
    ListDelegationRequests,
    ListEntitiesForPolicy => locked!("ListEntitiesForPolicy", policies::entities),
    ListGroupPolicies => locked!("ListGroupPolicies", |c, st| inline::list(c, st, c.operation)),
    ListGroups => locked!("ListGroups", groups::list),
    ListGroupsForUser => locked!("ListGroupsForUser", groups::for_user),
    ListInstanceProfileTags => locked!("ListInstanceProfileTags", tags::list::<InstanceProfile>),
    ListInstanceProfiles => locked!("ListInstanceProfiles", instance_profiles::list),
    ListInstanceProfilesForRole => locked!("ListInstanceProfilesForRole", instance_profiles::list_for_role),
    ListMFADeviceTags => locked!("ListMFADeviceTags", tags::list::<MfaDevice>),
    ListMFADevices => locked!("ListMFADevices", mfa::list),
    ListOpenIDConnectProviderTags => locked!("ListOpenIDConnectProviderTags", tags::list::<OidcProvider>),
    ListOpenIDConnectProviders => locked!("ListOpenIDConnectProviders", oidc::list),
    ListOrganizationsFeatures => |_: &IamService, _: &RequestContext, _: &Value| Err(organizations::not_in_organization()),
    ListPolicies => locked!("ListPolicies", policies::list),
    ListPoliciesGrantingServiceAccess => locked!("ListPoliciesGrantingServiceAccess", service_access::list),
    ListPolicyTags => locked!("ListPolicyTags", tags::list::<ManagedPolicy>),
    ListPolicyVersions => locked!("ListPolicyVersions", policies::list_versions),
    ListRolePolicies => locked!("ListRolePolicies", |c, st| inline::list(c, st, c.operation)),
    ListRoleTags => locked!("ListRoleTags", tags::list::<Role>),
    ListRoles => locked!("ListRoles", roles::list),
    ListSAMLProviderTags => locked!("ListSAMLProviderTags", tags::list::<SamlProvider>),
    ListSAMLProviders => locked!("ListSAMLProviders", saml::list),
    ListSSHPublicKeys => locked!("ListSSHPublicKeys", ssh_keys::list),
    ListServerCertificateTags => locked!("ListServerCertificateTags", tags::list::<ServerCertificate>),
    ListServerCertificates => locked!("ListServerCertificates", server_certificates::list),
    ListServiceSpecificCredentials => locked!("ListServiceSpecificCredentials", service_credentials::list),
    ListSigningCertificates => locked!("ListSigningCertificates", signing_certificates::list),
    ListUserPolicies => locked!("ListUserPolicies", |c, st| inline::list(c, st, c.operation)),
    ListUserTags => locked!("ListUserTags", tags::list::<User>),
    ListUsers => locked!("ListUsers", users::list),
    ListVirtualMFADevices => locked!("ListVirtualMFADevices", mfa::list_virtual),
    PutAccountProperties,
    PutGroupPolicy => locked!("PutGroupPolicy", |c, st| inline::put(c, st, c.operation)),
    PutRolePermissionsBoundary => locked!("PutRolePermissionsBoundary", boundaries::put::<Role>),
    PutRolePolicy => locked!("PutRolePolicy", |c, st| inline::put(c, st, c.operation)),
    PutUserPermissionsBoundary => locked!("PutUserPermissionsBoundary", boundaries::put::<User>),
    PutUserPolicy => locked!("PutUserPolicy", |c, st| inline::put(c, st, c.operation)),
    RejectDelegationRequest,
    RemoveClientIDFromOpenIDConnectProvider => locked!("RemoveClientIDFromOpenIDConnectProvider", oidc::remove_client_id),
    RemoveRoleFromInstanceProfile => locked!("RemoveRoleFromInstanceProfile", instance_profiles::remove_role),
    RemoveUserFromGroup => locked!("RemoveUserFromGroup", groups::remove_user),
    ResetServiceSpecificCredential => locked!("ResetServiceSpecificCredential", service_credentials::reset),
    ResyncMFADevice => locked!("ResyncMFADevice", mfa::resync),
    SendDelegationToken,
    SetDefaultPolicyVersion => locked!("SetDefaultPolicyVersion", policies::set_default),
    SetSecurityTokenServicePreferences => locked!("SetSecurityTokenServicePreferences", account::set_token_version),
    SimulateCustomPolicy => |s, ctx, i| s.simulate(ctx, "SimulateCustomPolicy", i),
    SimulatePrincipalPolicy => |s, ctx, i| s.simulate(ctx, "SimulatePrincipalPolicy", i),
    TagInstanceProfile => locked!("TagInstanceProfile", tags::tag::<InstanceProfile>),
    TagMFADevice => locked!("TagMFADevice", tags::tag::<MfaDevice>),
    TagOpenIDConnectProvider => locked!("TagOpenIDConnectProvider", tags::tag::<OidcProvider>),
    TagPolicy => locked!("TagPolicy", tags::tag::<ManagedPolicy>),
    TagRole => locked!("TagRole", tags::tag::<Role>),
    TagSAMLProvider => locked!("TagSAMLProvider", tags::tag::<SamlProvider>),
    TagServerCertificate => locked!("TagServerCertificate", tags::tag::<ServerCertificate>),
    TagUser => locked!("TagUser", tags::tag::<User>),
    UntagInstanceProfile => locked!("UntagInstanceProfile", tags::untag::<InstanceProfile>),
    UntagMFADevice => locked!("UntagMFADevice", tags::untag::<MfaDevice>),
    UntagOpenIDConnectProvider => locked!("UntagOpenIDConnectProvider", tags::untag::<OidcProvider>),
    UntagPolicy => locked!("UntagPolicy", tags::untag::<ManagedPolicy>),
    UntagRole => locked!("UntagRole", tags::untag::<Role>),
    UntagSAMLProvider => locked!("UntagSAMLProvider", tags::untag::<SamlProvider>),
    UntagServerCertificate => locked!("UntagServerCertificate", tags::untag::<ServerCertificate>),
    UntagUser => locked!("UntagUser", tags::untag::<User>),
    UpdateAccessKey => locked!("UpdateAccessKey", access_keys::update),
    UpdateAccountPasswordPolicy => locked!("UpdateAccountPasswordPolicy", account::update_password_policy),
    UpdateAssumeRolePolicy => locked!("UpdateAssumeRolePolicy", roles::update_trust),
    UpdateDelegationRequest,
    UpdateGroup => locked!("UpdateGroup", groups::update),
    UpdateLoginProfile => locked!("UpdateLoginProfile", login_profiles::update),
    UpdateOpenIDConnectProviderThumbprint => locked!("UpdateOpenIDConnectProviderThumbprint", oidc::update_thumbprint),
    UpdateRole => locked!("UpdateRole", roles::update),
    UpdateRoleDescription => locked!("UpdateRoleDescription", roles::update_description),
    UpdateSAMLProvider => locked!("UpdateSAMLProvider", saml::update),
    UpdateSSHPublicKey => locked!("UpdateSSHPublicKey", ssh_keys::update),
    UpdateServerCertificate => locked!("UpdateServerCertificate", server_certificates::update),
    UpdateServiceSpecificCredential => locked!("UpdateServiceSpecificCredential", service_credentials::update),
    UpdateSigningCertificate => locked!("UpdateSigningCertificate", signing_certificates::update),
    UpdateUser => locked!("UpdateUser", users::update),
    UploadSSHPublicKey => locked!("UploadSSHPublicKey", ssh_keys::upload),
    UploadServerCertificate => locked!("UploadServerCertificate", server_certificates::upload),
    UploadSigningCertificate => locked!("UploadSigningCertificate", signing_certificates::upload),
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
mod snapshot_tests;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod user_credential_tests;
