//! CreateRole, GetRole, ListRoles, DeleteRole, UpdateRole, UpdateAssumeRolePolicy, tags, boundaries.

use super::boundaries;
use super::entity::Entity;
use super::Call;
use crate::api::errors::{delete_conflict, exists, malformed, no_such};
use crate::api::input;
use crate::doc::{Doc, DocKind};
use crate::ids;
use crate::store::{Role, State};
use serde_json::{json, Value};
use service::ServiceError;

/// The stored role, or NoSuchEntity.
pub(crate) fn find<'a>(s: &'a State, account: &str, name: &str) -> Result<&'a Role, ServiceError> {
    s.account(account)
        .and_then(|a| a.roles.get(&name.to_lowercase()))
        .ok_or_else(|| no_such("role", name))
}

/// A role as IAM's `Role` shape.
pub(crate) fn to_json(r: &Role, s: &State) -> Value {
    let mut v = json!({
        "Path": r.path, "RoleName": r.name, "RoleId": r.id, "Arn": r.arn(), "CreateDate": r.created,
        "AssumeRolePolicyDocument": super::trust_binding::shown(s, &r.trust),
        "MaxSessionDuration": r.max_session_duration,
    });
    if let Some(d) = &r.description {
        v["Description"] = json!(d);
    }
    if let Some(b) = &r.boundary {
        v["PermissionsBoundary"] = boundaries::to_json(b);
    }
    if !r.tags.is_empty() {
        v["Tags"] = input::tags_json(&r.tags);
    }
    v["RoleLastUsed"] = last_used(r);
    v
}

/// A role's `RoleLastUsed`: when and in which region it was last assumed, or empty.
pub(crate) fn last_used(r: &Role) -> Value {
    match &r.last_used {
        Some((t, region)) => json!({"LastUsedDate": t, "Region": region}),
        None => json!({}),
    }
}

fn max_session(c: &Call) -> Result<Option<u32>, ServiceError> {
    match input::num(c.input, "MaxSessionDuration") {
        None => Ok(None),
        Some(n) if (3600.0..=43200.0).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(ServiceError::new("ValidationError", format!("The requested MaxSessionDuration {n} is invalid. MaxSessionDuration must be between 3600 and 43200 seconds."))),
    }
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "RoleName")?;
    let path = input::path(c.input, "Path")?;
    let tags = super::tags::requested::<Role>(c.input)?;
    let trust = Doc::parse_new(
        input::req(c.input, "AssumeRolePolicyDocument")?,
        DocKind::Trust,
    )
    .map_err(malformed)?;
    super::policy_size::check_trust(&trust)?;
    if find(s, c.account, name).is_ok() {
        return Err(exists("Role", name));
    }
    super::quotas::admit(
        c,
        super::quotas::ROLES,
        s.account(c.account).map_or(0, |a| a.roles.len()),
    )?;
    let boundary = boundaries::from_input(c, s)?;
    let role = Role {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::ROLE_ID),
        created: c.now.floor(),
        trust: super::trust_binding::bind(s, trust)?,
        description: input::opt(c.input, "Description").map(str::to_string),
        max_session_duration: max_session(c)?.unwrap_or(3600),
        tags,
        inline: Default::default(),
        attached: Vec::new(),
        boundary,
        last_used: None,
    };
    // AWS's CreateRole answer has no session duration or last use (the CLI's examples, one
    // given --max-session-duration), and no description even when one is given (LocalStack's
    // snapshot tests recorded against AWS: test_iam_roles.snapshot.json
    // test_role_permissions_boundary_lifecycle 'create-role-with-boundary' and
    // test_list_roles_pagination 'create-role-0'); GetRole shows all three.
    let mut out = to_json(&role, s);
    if let Some(o) = out.as_object_mut() {
        o.remove("RoleLastUsed");
        o.remove("MaxSessionDuration");
        o.remove("Description");
    }
    s.put_role(&c.ctx.journal, role);
    Ok(json!({"Role": out}))
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "RoleName")?;
    Ok(json!({"Role": to_json(find(s, c.account, name)?, s)}))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = s
        .account(c.account)
        .map(|a| {
            a.roles
                .iter()
                .filter(|(_, r)| r.path.starts_with(prefix))
                .map(|(k, r)| {
                    let mut v = to_json(r, s);
                    if let Some(o) = v.as_object_mut() {
                        // ListRoles leaves out tags, boundary and last use.
                        o.remove("Tags");
                        o.remove("PermissionsBoundary");
                        o.remove("RoleLastUsed");
                    }
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "Roles")
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "RoleName")?;
    let r = find(s, c.account, name)?;
    if !r.inline.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    if !r.attached.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if super::instance_profiles::holding(s, c.account, name)
        .next()
        .is_some()
    {
        return Err(delete_conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    s.delete_role(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

/// UpdateRole: description and maximum session duration; its answer is empty.
pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    changed(c, s)?;
    Ok(json!({}))
}

/// UpdateRoleDescription: answers the role as changed, without its session duration or last
/// use (LocalStack's snapshot test recorded against AWS: test_iam_roles.snapshot.json
/// test_update_role 'update-role-description-response').
pub(crate) fn update_description(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let r = changed(c, s)?;
    let mut out = to_json(&r, s);
    if let Some(o) = out.as_object_mut() {
        o.remove("RoleLastUsed");
        o.remove("MaxSessionDuration");
    }
    Ok(json!({ "Role": out }))
}

/// Applies the input's description and maximum session duration to the role and stores it.
fn changed(c: &Call, s: &mut State) -> Result<Role, ServiceError> {
    let name = input::req(c.input, "RoleName")?;
    let mut r = find(s, c.account, name)?.clone();
    if let Some(d) = input::opt(c.input, "Description") {
        r.description = Some(d.to_string());
    }
    if let Some(m) = max_session(c)? {
        r.max_session_duration = m;
    }
    s.put_role(&c.ctx.journal, r.clone());
    Ok(r)
}

pub(crate) fn update_trust(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "RoleName")?;
    let mut r = find(s, c.account, name)?.clone();
    let trust = Doc::parse_new(input::req(c.input, "PolicyDocument")?, DocKind::Trust)
        .map_err(malformed)?;
    super::policy_size::check_trust(&trust)?;
    r.trust = super::trust_binding::bind(s, trust)?;
    s.put_role(&c.ctx.journal, r);
    Ok(json!({}))
}

impl Entity for Role {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(s, c.account, input::req(c.input, "RoleName")?)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_role(&c.ctx.journal, self);
    }
}
