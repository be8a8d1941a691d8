//! What the authorization engine cannot read from the Service Authorization Reference for
//! IAM: the ARN of the entity an operation touches (entities are named by name, with paths
//! in state), the tags of stored entities, and IAM's own condition keys.

use crate::api::input;
use crate::store::entities::Tags;
use crate::store::{AccountState, State};
use serde_json::Value;
use service::{ContextValue, PrincipalKind, RequestContext};

fn entity_arn(state: &State, account: &str, kind: &str, name: &str, path: Option<&str>) -> String {
    let stored = state.account(account).and_then(|a| {
        let l = name.to_lowercase();
        match kind {
            "user" => a.users.get(&l).map(|u| u.path.clone()),
            "group" => a.groups.get(&l).map(|g| g.path.clone()),
            "role" => a.roles.get(&l).map(|r| r.path.clone()),
            "instance-profile" => a.instance_profiles.get(&l).map(|p| p.path.clone()),
            "server-certificate" => a.server_certificates.get(&l).map(|c| c.path.clone()),
            _ => None,
        }
    });
    let path = path
        .map(str::to_string)
        .or(stored)
        .unwrap_or_else(|| "/".into());
    format!("arn:aws:iam::{account}:{kind}{path}{name}")
}

/// Tags of the user, role, customer managed policy, instance profile, server certificate, MFA
/// device or provider
/// an IAM ARN names (`aws:ResourceTag/…`, `iam:ResourceTag/…`).
fn resource_tags(state: &State, account: &str, arn: &str) -> Option<Vec<(String, String)>> {
    let a = state.account(account)?;
    let name = arn.rsplit('/').next()?.to_lowercase();
    if arn.contains(":user/") || arn.contains(":role/") {
        user_or_role(a, arn).map(|(tags, _)| tags.clone())
    } else if arn.contains(":policy/") {
        a.policy_by_arn(arn).map(|p| p.tags.clone())
    } else if arn.contains(":instance-profile/") {
        a.instance_profiles
            .get(&name)
            .filter(|p| p.arn() == arn)
            .map(|p| p.tags.clone())
    } else if arn.contains(":server-certificate/") {
        a.server_certificates
            .get(&name)
            .filter(|c| c.arn() == arn)
            .map(|c| c.tags.clone())
    } else {
        super::credential_actions::mfa_tags(state, account, arn)
            .or_else(|| super::provider_actions::tags(state, account, arn))
    }
}

/// The ARN of the caller's role `name` (its stored path, else `/`).
pub(crate) fn role_arn(state: &State, account: &str, name: &str) -> String {
    entity_arn(state, account, "role", name, None)
}

/// The ARN a rename gives the user or group `op` updates, `old` being its ARN now (AWS: "the
/// requester must have appropriate permissions on both the source object and the target
/// object"), if it changes.
pub(crate) fn renamed(old: &str, op: &str, input: &Value) -> Option<String> {
    let (kind, member, new_member) = match op {
        "UpdateUser" => ("user", "UserName", "NewUserName"),
        "UpdateGroup" => ("group", "GroupName", "NewGroupName"),
        "UpdateServerCertificate" => (
            "server-certificate",
            "ServerCertificateName",
            "NewServerCertificateName",
        ),
        _ => return None,
    };
    let name = input::opt(input, member)?;
    let new_name = input::opt(input, new_member).unwrap_or(name);
    // The entity keeps its path unless `NewPath` names another.
    let new = match input::opt(input, "NewPath") {
        Some(path) => {
            let account = old.split(':').nth(4).unwrap_or_default();
            format!("arn:aws:iam::{account}:{kind}{path}{new_name}")
        }
        None => format!("{}{new_name}", old.strip_suffix(name)?),
    };
    (new != old).then_some(new)
}

/// The one resource `op` acts on, as AWS names it (`*` for account-wide operations).
pub(crate) fn resource(state: &State, ctx: &RequestContext, op: &str, input: &Value) -> String {
    let account = ctx.account();
    let path = if op.starts_with("Create") {
        input::opt(input, "Path")
    } else {
        None
    };
    let caller_user = match ctx.principal.kind {
        PrincipalKind::User => ctx.principal.username.clone(),
        _ => None,
    };
    if let Some(arn) = super::credential_actions::resource(state, ctx, op, input) {
        arn
    } else if let Some(n) =
        input::opt(input, "InstanceProfileName").filter(|_| op.contains("InstanceProfile"))
    {
        entity_arn(state, account, "instance-profile", n, path)
    } else if let Some(n) =
        input::opt(input, "ServerCertificateName").filter(|_| op.contains("ServerCertificate"))
    {
        let path = if op == "UploadServerCertificate" {
            Some(input::opt(input, "Path").unwrap_or("/"))
        } else {
            None
        };
        entity_arn(state, account, "server-certificate", n, path)
    } else if let Some(r) = super::provider_actions::resource(account, op, input) {
        r
    } else if let Some(arn) = input::opt(input, "PolicyArn")
        .filter(|_| !op.contains("User") && !op.contains("Group") && !op.contains("Role"))
    {
        arn.to_string()
    } else if let Some(n) = input::opt(input, "RoleName") {
        entity_arn(state, account, "role", n, path)
    } else if let Some(n) = input::opt(input, "GroupName") {
        entity_arn(state, account, "group", n, path)
    } else if let Some(n) = input::opt(input, "UserName") {
        entity_arn(state, account, "user", n, path)
    } else if op == "CreatePolicy" {
        let name = input::opt(input, "PolicyName").unwrap_or_default();
        format!("arn:aws:iam::{account}:policy{}{name}", path.unwrap_or("/"))
    } else if op == "SimulatePrincipalPolicy" || op == "GetContextKeysForPrincipalPolicy" {
        input::opt(input, "PolicySourceArn")
            .unwrap_or("*")
            .to_string()
    } else if op == "ListPoliciesGrantingServiceAccess"
        || op == "GenerateServiceLastAccessedDetails"
    {
        input::opt(input, "Arn").unwrap_or("*").to_string()
    } else if op == "GetAccessKeyLastUsed" {
        match input::opt(input, "AccessKeyId").and_then(|k| state.keys.get(k)) {
            Some(crate::store::KeyOwner::User(a, l)) => state
                .account(a)
                .and_then(|acc| acc.users.get(l))
                .map(|u| u.arn())
                .unwrap_or_else(|| "*".into()),
            _ => "*".into(),
        }
    } else {
        match op {
            "ListUsers" => format!("arn:aws:iam::{account}:user/"),
            "ListRoles" => format!("arn:aws:iam::{account}:role/"),
            "ListGroups" => format!("arn:aws:iam::{account}:group/"),
            "ListPolicies" => format!("arn:aws:iam::{account}:policy/"),
            "ListInstanceProfiles" => format!("arn:aws:iam::{account}:instance-profile/"),
            "ListServerCertificates" => format!("arn:aws:iam::{account}:server-certificate/"),
            // Operations whose UserName defaults to the caller act on the caller.
            "GetUser" | "ListAccessKeys" | "CreateAccessKey" | "UpdateAccessKey"
            | "DeleteAccessKey" => match &caller_user {
                Some(n) => entity_arn(state, account, "user", n, None),
                None => ctx.principal.arn.clone(),
            },
            _ => "*".into(),
        }
    }
}

/// Service-specific condition keys the input carries (`iam:PolicyARN`, …).
pub(crate) fn context_keys(op: &str, input: &Value) -> Vec<(String, ContextValue)> {
    let mut out = Vec::new();
    if let Some(arn) = input::opt(input, "PolicyArn") {
        if op.starts_with("Attach") || op.starts_with("Detach") {
            out.push((
                "iam:PolicyARN".into(),
                ContextValue::String(arn.to_string()),
            ));
        }
    }
    if let Some(service) = input::opt(input, "AWSServiceName") {
        out.push((
            "iam:AWSServiceName".into(),
            ContextValue::String(service.to_string()),
        ));
    }
    if op == "CreateServiceSpecificCredential" {
        // The IAM condition keys of CreateServiceSpecificCredential (the Service
        // Authorization Reference; AWS's Bedrock guide denies API keys with them).
        if let Some(service) = input::opt(input, "ServiceName") {
            out.push((
                "iam:ServiceSpecificCredentialServiceName".into(),
                ContextValue::String(service.to_string()),
            ));
        }
        if let Some(days) = input::num(input, "CredentialAgeDays") {
            out.push((
                "iam:ServiceSpecificCredentialAgeDays".into(),
                ContextValue::Number(days),
            ));
        }
    }
    if let Some(b) = input::opt(input, "PermissionsBoundary") {
        out.push((
            "iam:PermissionsBoundary".into(),
            ContextValue::String(b.to_string()),
        ));
    }
    out
}

/// Operations on an existing user or role whose `iam:PermissionsBoundary` is that entity's
/// boundary (the Service Authorization Reference gives them the key; the IAM User Guide's
/// delegated-administrator example allows `AttachUserPolicy`, `PutUserPolicy`, … only
/// "with" a boundary). CreateUser, CreateRole and Put…PermissionsBoundary name theirs in
/// the input instead.
const STORED_BOUNDARY_OPS: &[&str] = &[
    "AttachRolePolicy",
    "AttachUserPolicy",
    "DeleteRole",
    "DeleteRolePermissionsBoundary",
    "DeleteRolePolicy",
    "DeleteUserPermissionsBoundary",
    "DeleteUserPolicy",
    "DetachRolePolicy",
    "DetachUserPolicy",
    "GetRole",
    "PutRolePolicy",
    "PutUserPolicy",
    "UpdateAssumeRolePolicy",
    "UpdateRole",
    "UpdateRoleDescription",
];

/// `iam:PermissionsBoundary` of an operation on the stored user or role `arn`: its boundary's
/// ARN, when it has one (a key absent otherwise, as for an entity without a boundary).
pub(crate) fn stored_boundary(state: &State, op: &str, arn: &str) -> Option<String> {
    if !STORED_BOUNDARY_OPS.contains(&op) {
        return None;
    }
    let a = state.account(arn.split(':').nth(4)?)?;
    user_or_role(a, arn).and_then(|(_, boundary)| boundary.clone())
}

/// The tags and permissions boundary of the stored user or role the IAM ARN `arn` names.
fn user_or_role<'a>(a: &'a AccountState, arn: &str) -> Option<(&'a Tags, &'a Option<String>)> {
    let name = arn.rsplit('/').next()?.to_lowercase();
    if arn.contains(":user/") {
        let u = a.users.get(&name).filter(|u| u.arn() == arn)?;
        Some((&u.tags, &u.boundary))
    } else if arn.contains(":role/") {
        let r = a.roles.get(&name).filter(|r| r.arn() == arn)?;
        Some((&r.tags, &r.boundary))
    } else {
        None
    }
}

/// `iam:ServiceSpecificCredentialServiceName` of an operation on the stored credential the
/// input names (Delete, Reset and UpdateServiceSpecificCredential have the key in the Service
/// Authorization Reference): the service of that credential of the user `arn`.
pub(crate) fn stored_credential_service(
    state: &State,
    op: &str,
    arn: &str,
    input: &Value,
) -> Option<String> {
    if !matches!(
        op,
        "DeleteServiceSpecificCredential"
            | "ResetServiceSpecificCredential"
            | "UpdateServiceSpecificCredential"
    ) || !arn.contains(":user/")
    {
        return None;
    }
    let id = input::opt(input, "ServiceSpecificCredentialId")?;
    let a = state.account(arn.split(':').nth(4)?)?;
    let name = arn.rsplit('/').next()?.to_lowercase();
    let user = a.users.get(&name).filter(|u| u.arn() == arn)?;
    user.credentials
        .service
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.service.clone())
}

/// Tags of the stored IAM resource `arn` (for the engine's `aws:ResourceTag/…`).
pub(crate) fn stored_tags(state: &State, arn: &str) -> Option<Vec<(String, String)>> {
    let account = arn.split(':').nth(4)?;
    resource_tags(state, account, arn)
}
