//! CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles(ForRole),
//! DeleteInstanceProfile, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile, and the
//! profile's tags (through [`super::tags`]).

use super::entity::Entity;
use super::Call;
use crate::api::errors::{delete_conflict, quota};
use crate::api::input;
use crate::ids;
use crate::store::{InstanceProfile, Role, State};
use serde_json::{json, Value};
use service::ServiceError;

/// How many roles an instance profile holds (a fixed quota, AWS's IAM quotas page).
const ROLES_PER_PROFILE: usize = 1;

/// NoSuchEntity, as IAM words it for an instance profile.
fn not_found(name: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("Instance Profile {name} cannot be found."),
    )
}

/// The caller's instance profile, or NoSuchEntity.
fn find<'a>(s: &'a State, account: &str, name: &str) -> Result<&'a InstanceProfile, ServiceError> {
    s.account(account)
        .and_then(|a| a.instance_profiles.get(&name.to_lowercase()))
        .ok_or_else(|| not_found(name))
}

/// The instance profiles holding the role `name` (for DeleteRole's conflict and the
/// authorization details).
pub(crate) fn holding<'a>(
    s: &'a State,
    account: &str,
    role: &'a str,
) -> impl Iterator<Item = &'a InstanceProfile> + 'a {
    s.account(account)
        .into_iter()
        .flat_map(|a| a.instance_profiles.values())
        .filter(move |p| p.holds(role))
}

/// A role as an instance profile shows it (the members IAM's example answers carry).
fn role_json(r: &Role, s: &State) -> Value {
    json!({
        "Path": r.path, "RoleName": r.name, "RoleId": r.id, "Arn": r.arn(),
        "CreateDate": r.created,
        "AssumeRolePolicyDocument": super::trust_binding::shown(s, &r.trust),
    })
}

/// An instance profile as IAM's `InstanceProfile` shape (tags only when `with_tags`: the
/// listings leave them out).
pub(crate) fn to_json(p: &InstanceProfile, s: &State, with_tags: bool) -> Value {
    let roles: Vec<Value> = s
        .account(&p.account)
        .into_iter()
        .flat_map(|a| {
            p.roles
                .iter()
                .filter_map(|n| a.roles.get(&n.to_lowercase()))
        })
        .map(|r| role_json(r, s))
        .collect();
    let mut v = json!({
        "Path": p.path, "InstanceProfileName": p.name, "InstanceProfileId": p.id,
        "Arn": p.arn(), "CreateDate": p.created, "Roles": roles,
    });
    if with_tags && !p.tags.is_empty() {
        v["Tags"] = input::tags_json(&p.tags);
    }
    v
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "InstanceProfileName")?;
    let path = input::path(c.input, "Path")?;
    let tags = super::tags::requested::<InstanceProfile>(c.input)?;
    if find(s, c.account, name).is_ok() {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            format!("Instance Profile {name} already exists."),
        ));
    }
    super::quotas::admit(
        c,
        super::quotas::INSTANCE_PROFILES,
        s.account(c.account)
            .map_or(0, |a| a.instance_profiles.len()),
    )?;
    let profile = InstanceProfile {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::INSTANCE_PROFILE_ID),
        created: c.now.floor(),
        roles: Vec::new(),
        tags,
    };
    let out = to_json(&profile, s, true);
    s.put_entity(&c.ctx.journal, profile);
    Ok(json!({ "InstanceProfile": out }))
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "InstanceProfileName")?;
    // GetInstanceProfile answers `Tags` even when there are none (`[]`); CreateInstanceProfile
    // and the listings leave an empty list out. LocalStack's snapshot tests recorded against
    // AWS: test_iam_instance_profiles.snapshot.json (test_instance_profile_lifecycle
    // 'get-instance-profile', test_add_remove_role_from_instance_profile 'get-with-role').
    let mut v = to_json(find(s, c.account, name)?, s, true);
    if v.get("Tags").is_none() {
        v["Tags"] = json!([]);
    }
    Ok(json!({ "InstanceProfile": v }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = s
        .account(c.account)
        .map(|a| {
            a.instance_profiles
                .iter()
                .filter(|(_, p)| p.path.starts_with(prefix))
                .map(|(k, p)| (k.clone(), to_json(p, s, false)))
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "InstanceProfiles")
}

pub(crate) fn list_for_role(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let role = input::req(c.input, "RoleName")?;
    super::roles::find(s, c.account, role)?;
    let items = holding(s, c.account, role)
        .map(|p| (p.name.to_lowercase(), to_json(p, s, false)))
        .collect();
    c.paged(items, "InstanceProfiles")
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "InstanceProfileName")?;
    if !find(s, c.account, name)?.roles.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    s.delete_entity::<InstanceProfile>(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

pub(crate) fn add_role(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "InstanceProfileName")?;
    let role = input::req(c.input, "RoleName")?;
    let mut profile = find(s, c.account, name)?.clone();
    let role = super::roles::find(s, c.account, role)?.name.clone();
    if profile.roles.len() >= ROLES_PER_PROFILE {
        return Err(quota(
            "InstanceSessionsPerInstanceProfile",
            ROLES_PER_PROFILE,
        ));
    }
    profile.roles.push(role);
    s.put_entity(&c.ctx.journal, profile);
    Ok(json!({}))
}

pub(crate) fn remove_role(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "InstanceProfileName")?;
    let role = input::req(c.input, "RoleName")?;
    let mut profile = find(s, c.account, name)?.clone();
    if !profile.holds(role) {
        // A missing role is "The role with name … cannot be found."; a role the profile does
        // not hold, "Role … in Instance Profile … cannot be found." (LocalStack's snapshot test
        // recorded against AWS: test_iam_instance_profiles.snapshot.json
        // test_role_instance_profile_operations_errors).
        super::roles::find(s, c.account, role)?;
        return Err(ServiceError::new(
            "NoSuchEntity",
            format!("Role {role} in Instance Profile {name} cannot be found."),
        ));
    }
    profile.roles.retain(|r| !r.eq_ignore_ascii_case(role));
    s.put_entity(&c.ctx.journal, profile);
    Ok(json!({}))
}

impl Entity for InstanceProfile {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(s, c.account, input::req(c.input, "InstanceProfileName")?)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_entity(&c.ctx.journal, self);
    }
}
