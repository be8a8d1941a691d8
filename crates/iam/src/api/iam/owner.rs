//! What attached and inline policies hang off: a user, a group or a role.

use super::{groups, roles, users, Call};
use crate::api::input;
use crate::doc::Doc;
use crate::store::State;
use serde_json::Value;
use service::ServiceError;
use std::collections::BTreeMap;

/// The kind of entity an operation name is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// An IAM user.
    User,
    /// A group.
    Group,
    /// A role.
    Role,
}

impl Owner {
    /// From an operation name such as `AttachRolePolicy`.
    pub fn of(op: &str) -> Owner {
        if op.contains("Group") {
            Owner::Group
        } else if op.contains("Role") {
            Owner::Role
        } else {
            Owner::User
        }
    }

    /// The input member that names the entity.
    pub fn member(self) -> &'static str {
        match self {
            Owner::User => "UserName",
            Owner::Group => "GroupName",
            Owner::Role => "RoleName",
        }
    }

    /// The lowercase word IAM's messages use.
    pub fn word(self) -> &'static str {
        match self {
            Owner::User => "user",
            Owner::Group => "group",
            Owner::Role => "role",
        }
    }
}

/// Runs `f` on the entity's inline and attached policies; stores the entity when `write`.
pub(crate) fn with_policies<T>(
    c: &Call,
    s: &mut State,
    owner: Owner,
    write: bool,
    f: impl FnOnce(&str, &mut BTreeMap<String, Doc>, &mut Vec<String>) -> Result<T, ServiceError>,
) -> Result<T, ServiceError> {
    let name = input::req(c.input, owner.member())?;
    let j = &c.ctx.journal;
    match owner {
        Owner::User => {
            let mut e = users::find(s, c.account, name)?.clone();
            let out = f(&e.name.clone(), &mut e.inline, &mut e.attached)?;
            if write {
                s.put_user(j, e);
            }
            Ok(out)
        }
        Owner::Group => {
            let mut e = groups::find(s, c.account, name)?.clone();
            let out = f(&e.name.clone(), &mut e.inline, &mut e.attached)?;
            if write {
                s.put_group(j, e);
            }
            Ok(out)
        }
        Owner::Role => {
            let mut e = roles::find(s, c.account, name)?.clone();
            let out = f(&e.name.clone(), &mut e.inline, &mut e.attached)?;
            if write {
                s.put_role(j, e);
            }
            Ok(out)
        }
    }
}

/// Unused-value helper so handlers can return `{}`.
pub(crate) fn empty() -> Value {
    Value::Object(Default::default())
}
