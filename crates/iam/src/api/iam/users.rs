//! CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, user tags and boundaries.

use super::Call;
use crate::api::errors::{delete_conflict, exists, no_such, not_attachable};
use crate::api::input;
use crate::ids;
use crate::resolve::managed_doc;
use crate::store::{State, User};
use serde_json::{json, Map, Value};
use service::{PrincipalKind, ServiceError};

/// The user an operation is about: `UserName`, or the calling user when it is omitted.
pub(crate) fn target_name(c: &Call) -> Result<String, ServiceError> {
    if let Some(n) = input::opt(c.input, "UserName") {
        return Ok(n.to_string());
    }
    match (&c.ctx.principal.kind, &c.ctx.principal.username) {
        (PrincipalKind::User, Some(n)) => Ok(n.clone()),
        _ => Err(ServiceError::new(
            "ValidationError",
            "Must specify userName when calling with non-User credentials",
        )
        .with_status(400)),
    }
}

/// The stored user, or NoSuchEntity.
pub(crate) fn find<'a>(s: &'a State, account: &str, name: &str) -> Result<&'a User, ServiceError> {
    s.account(account)
        .and_then(|a| a.users.get(&name.to_lowercase()))
        .ok_or_else(|| no_such("user", name))
}

/// A user as IAM's `User` shape.
pub(crate) fn to_json(u: &User) -> Value {
    let mut v = json!({
        "Path": u.path, "UserName": u.name, "UserId": u.id, "Arn": u.arn(), "CreateDate": u.created,
    });
    if let Some(b) = &u.boundary {
        v["PermissionsBoundary"] =
            json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": b});
    }
    if !u.tags.is_empty() {
        v["Tags"] = input::tags_json(&u.tags);
    }
    v
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let path = input::path(c.input, "Path")?;
    if find(s, c.account, name).is_ok() {
        return Err(exists("User", name));
    }
    let boundary = input::opt(c.input, "PermissionsBoundary").map(str::to_string);
    if let Some(b) = &boundary {
        if managed_doc(s, b).is_none() {
            return Err(not_attachable(b));
        }
    }
    let user = User {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::USER_ID),
        created: c.now.floor(),
        tags: input::tags(c.input, "Tags"),
        inline: Default::default(),
        attached: Vec::new(),
        boundary,
        groups: Vec::new(),
        keys: Vec::new(),
    };
    let out = json!({"User": to_json(&user)});
    s.put_user(&c.ctx.journal, user);
    Ok(out)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let p = &c.ctx.principal;
    if input::opt(c.input, "UserName").is_none() && p.is_root() {
        return Ok(
            json!({"User": {"Path": "/", "UserId": p.account, "Arn": p.arn, "CreateDate": 0}}),
        );
    }
    let name = target_name(c)?;
    let u = find(s, c.account, &name)?;
    let mut v = to_json(u);
    if let Some(t) = super::login_profiles::of(s, u).and_then(|p| p.last_used) {
        v["PasswordLastUsed"] = json!(t);
    }
    Ok(json!({ "User": v }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = s
        .account(c.account)
        .map(|a| {
            a.users
                .iter()
                .filter(|(_, u)| u.path.starts_with(prefix))
                .map(|(k, u)| (k.clone(), to_json(u)))
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "Users")
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let mut user = find(s, c.account, name)?.clone();
    let new_name = input::opt(c.input, "NewUserName");
    if let Some(n) = new_name {
        if !n.eq_ignore_ascii_case(name) && find(s, c.account, n).is_ok() {
            return Err(exists("User", n));
        }
    }
    if input::opt(c.input, "NewPath").is_some() {
        user.path = input::path(c.input, "NewPath")?;
    }
    if let Some(n) = new_name {
        user.name = n.to_string();
        // Group memberships are kept on the user, so a rename carries them along.
    }
    s.delete_user(&c.ctx.journal, c.account, name);
    s.put_user(&c.ctx.journal, user);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let u = find(s, c.account, name)?;
    if !u.keys.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete access keys first.",
        ));
    }
    if !u.inline.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    if !u.attached.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if !u.groups.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must remove users from group first.",
        ));
    }
    if super::login_profiles::of(s, u).is_some() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete login profile first.",
        ));
    }
    if !super::mfa::devices_of(s, u).is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete MFA device first.",
        ));
    }
    s.delete_user(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

/// Adds or replaces tags (keys compare case-insensitively), at most 50.
pub(crate) fn merge_tags(
    existing: &mut Vec<(String, String)>,
    new: Vec<(String, String)>,
) -> Result<(), ServiceError> {
    for (k, v) in new {
        existing.retain(|(old, _)| !old.eq_ignore_ascii_case(&k));
        existing.push((k, v));
    }
    if existing.len() > 50 {
        return Err(ServiceError::new(
            "LimitExceeded",
            "The number of tags has reached the maximum limit.",
        ));
    }
    Ok(())
}

pub(crate) fn tag(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let mut u = find(s, c.account, name)?.clone();
    merge_tags(&mut u.tags, input::tags(c.input, "Tags"))?;
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn untag(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let mut u = find(s, c.account, name)?.clone();
    let keys = input::strings(c.input, "TagKeys");
    u.tags
        .retain(|(k, _)| !keys.iter().any(|x| x.eq_ignore_ascii_case(k)));
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn list_tags(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let u = find(s, c.account, name)?;
    let items = u
        .tags
        .iter()
        .enumerate()
        .map(|(i, (k, v))| (format!("{i:05}"), json!({"Key": k, "Value": v})))
        .collect();
    c.paged(items, "Tags")
}

pub(crate) fn put_boundary(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let arn = input::req(c.input, "PermissionsBoundary")?;
    let mut u = find(s, c.account, name)?.clone();
    if managed_doc(s, arn).is_none() {
        return Err(not_attachable(arn));
    }
    u.boundary = Some(arn.to_string());
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete_boundary(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let mut u = find(s, c.account, name)?.clone();
    u.boundary = None;
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}
