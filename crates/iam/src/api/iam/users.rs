//! CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser, user tags and boundaries.

use super::boundaries;
use super::entity::Entity;
use super::Call;
use crate::api::errors::{delete_conflict, exists, no_such};
use crate::api::input;
use crate::ids;
use crate::store::{AccountRec, State, User};
use serde_json::{json, Value};
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

/// Whether the call is about the root user's own credentials: no `UserName`, signed by root
/// with its long-term key ("you can use this operation to manage AWS account root user
/// credentials"). "If a temporary access key is used, then UserName is required": a root
/// session still asks for one (through [`target_name`]).
pub(crate) fn roots_own(c: &Call) -> bool {
    let p = &c.ctx.principal;
    input::opt(c.input, "UserName").is_none() && p.is_root() && p.session.is_none()
}

/// A copy of the caller's account record, to change root's credentials in.
pub(crate) fn root_record(c: &Call, s: &State) -> Result<AccountRec, ServiceError> {
    s.account(c.account)
        .map(|a| a.rec.clone())
        .ok_or_else(|| ServiceError::internal("the caller's account has no record"))
}

/// The stored user, or NoSuchEntity.
pub(crate) fn find<'a>(s: &'a State, account: &str, name: &str) -> Result<&'a User, ServiceError> {
    s.account(account)
        .and_then(|a| a.users.get(&name.to_lowercase()))
        .ok_or_else(|| no_such("user", name))
}

/// A copy of the user `name` and the position, in the list `list` picks (SSH keys,
/// certificates, service-specific credentials), of the credential whose ID is the input's
/// `id_member`; `missing` words the error for an ID the user does not hold.
pub(crate) fn credential_of<T>(
    c: &Call,
    s: &State,
    name: &str,
    id_member: &str,
    list: impl Fn(&User) -> &[T],
    id_of: impl Fn(&T) -> &str,
    missing: impl FnOnce(&str) -> ServiceError,
) -> Result<(User, usize), ServiceError> {
    let u = find(s, c.account, name)?.clone();
    let id = input::req(c.input, id_member)?;
    let at = list(&u)
        .iter()
        .position(|x| id_of(x) == id)
        .ok_or_else(|| missing(id))?;
    Ok((u, at))
}

/// A user as IAM's `User` shape.
pub(crate) fn to_json(u: &User) -> Value {
    let mut v = listed_json(u);
    if let Some(b) = &u.boundary {
        v["PermissionsBoundary"] = boundaries::to_json(b);
    }
    if !u.tags.is_empty() {
        v["Tags"] = input::tags_json(&u.tags);
    }
    v
}

/// A user as listings show it (ListUsers, GetGroup, ListVirtualMFADevices): AWS's listings
/// leave out `PermissionsBoundary` and `Tags` ("IAM resource-listing operations return a
/// subset of the available attributes", ListUsers' API Reference).
pub(crate) fn listed_json(u: &User) -> Value {
    json!({
        "Path": u.path, "UserName": u.name, "UserId": u.id, "Arn": u.arn(), "CreateDate": u.created,
    })
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let path = input::path(c.input, "Path")?;
    let tags = super::tags::requested::<User>(c.input)?;
    if find(s, c.account, name).is_ok() {
        return Err(exists("User", name));
    }
    super::quotas::admit(
        c,
        super::quotas::USERS,
        s.account(c.account).map_or(0, |a| a.users.len()),
    )?;
    let boundary = boundaries::from_input(c, s)?;
    let user = User {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::USER_ID),
        created: c.now.floor(),
        tags,
        inline: Default::default(),
        attached: Vec::new(),
        boundary,
        groups: Vec::new(),
        keys: Vec::new(),
        credentials: Default::default(),
    };
    let out = json!({"User": to_json(&user)});
    s.put_user(&c.ctx.journal, user);
    Ok(out)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let p = &c.ctx.principal;
    if input::opt(c.input, "UserName").is_none() && p.is_root() {
        let created = s.account(&p.account).map_or(0.0, |a| a.rec.created);
        return Ok(
            json!({"User": {"Path": "/", "UserId": p.account, "Arn": p.arn, "CreateDate": created}}),
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
                .map(|(k, u)| (k.clone(), listed_json(u)))
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
    if !u.credentials.certificates.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete certificates first.",
        ));
    }
    if !u.credentials.ssh_keys.is_empty() || !u.credentials.service.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must remove referenced objects first.",
        ));
    }
    s.delete_user(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

impl Entity for User {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(s, c.account, input::req(c.input, "UserName")?)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_user(&c.ctx.journal, self);
    }
}
