//! CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, memberships.

use super::users::{self, find as find_user};
use super::Call;
use crate::api::errors::{delete_conflict, exists, no_such};
use crate::api::input;
use crate::ids;
use crate::store::{Group, State};
use serde_json::{json, Value};
use service::ServiceError;

/// The stored group, or NoSuchEntity.
pub(crate) fn find<'a>(s: &'a State, account: &str, name: &str) -> Result<&'a Group, ServiceError> {
    s.account(account)
        .and_then(|a| a.groups.get(&name.to_lowercase()))
        .ok_or_else(|| no_such("group", name))
}

/// A group as IAM's `Group` shape.
pub(crate) fn to_json(g: &Group) -> Value {
    json!({"Path": g.path, "GroupName": g.name, "GroupId": g.id, "Arn": g.arn(), "CreateDate": g.created})
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "GroupName")?;
    let path = input::path(c.input, "Path")?;
    if find(s, c.account, name).is_ok() {
        return Err(exists("Group", name));
    }
    super::quotas::admit(
        c,
        super::quotas::GROUPS,
        s.account(c.account).map_or(0, |a| a.groups.len()),
    )?;
    let g = Group {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::GROUP_ID),
        created: c.now.floor(),
        inline: Default::default(),
        attached: Vec::new(),
    };
    let out = json!({"Group": to_json(&g)});
    s.put_group(&c.ctx.journal, g);
    Ok(out)
}

fn members<'a>(s: &'a State, account: &str, group: &str) -> Vec<&'a crate::store::User> {
    s.account(account)
        .map(|a| {
            a.users
                .values()
                .filter(|u| u.groups.iter().any(|g| g.eq_ignore_ascii_case(group)))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "GroupName")?;
    let g = find(s, c.account, name)?;
    let items = members(s, c.account, name)
        .into_iter()
        .map(|u| (u.name.to_lowercase(), users::listed_json(u)))
        .collect();
    let mut out = c.paged(items, "Users")?;
    out["Group"] = to_json(g);
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = s
        .account(c.account)
        .map(|a| {
            a.groups
                .iter()
                .filter(|(_, g)| g.path.starts_with(prefix))
                .map(|(k, g)| (k.clone(), to_json(g)))
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "Groups")
}

/// UpdateGroup: a new name, path or both; the group keeps its ID, policies and members.
pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "GroupName")?;
    let mut group = find(s, c.account, name)?.clone();
    let new_name = input::opt(c.input, "NewGroupName");
    if let Some(n) = new_name {
        if !n.eq_ignore_ascii_case(name) && find(s, c.account, n).is_ok() {
            return Err(exists("Group", n));
        }
    }
    if input::opt(c.input, "NewPath").is_some() {
        group.path = input::path(c.input, "NewPath")?;
    }
    if let Some(n) = new_name {
        // Memberships are kept on the users: each member follows the new name.
        let renamed: Vec<crate::store::User> = members(s, c.account, name)
            .into_iter()
            .cloned()
            .map(|mut u| {
                for g in &mut u.groups {
                    if g.eq_ignore_ascii_case(name) {
                        *g = n.to_string();
                    }
                }
                u
            })
            .collect();
        for u in renamed {
            s.put_user(&c.ctx.journal, u);
        }
        group.name = n.to_string();
    }
    s.delete_group(&c.ctx.journal, c.account, name);
    s.put_group(&c.ctx.journal, group);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "GroupName")?;
    let g = find(s, c.account, name)?;
    if !members(s, c.account, name).is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must remove users from group first.",
        ));
    }
    if !g.inline.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    if !g.attached.is_empty() {
        return Err(delete_conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    s.delete_group(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

pub(crate) fn add_user(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let group = find(s, c.account, input::req(c.input, "GroupName")?)?
        .name
        .clone();
    let mut u = find_user(s, c.account, input::req(c.input, "UserName")?)?.clone();
    if u.groups.len() >= 10 && !u.groups.iter().any(|g| g.eq_ignore_ascii_case(&group)) {
        return Err(crate::api::errors::quota("GroupsPerUser", 10));
    }
    if !u.groups.iter().any(|g| g.eq_ignore_ascii_case(&group)) {
        u.groups.push(group);
        s.put_user(&c.ctx.journal, u);
    }
    Ok(json!({}))
}

/// RemoveUserFromGroup: the user is looked up before the group, and removing a user who is not
/// in the group succeeds with nothing changed, as AWS answers (LocalStack's snapshot tests
/// recorded against AWS: test_iam_users.py test_user_group_membership and test_iam_groups.py
/// test_remove_user_from_unknown_group).
pub(crate) fn remove_user(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let gname = input::req(c.input, "GroupName")?;
    let uname = input::req(c.input, "UserName")?;
    let mut u = find_user(s, c.account, uname)?.clone();
    find(s, c.account, gname)?;
    let before = u.groups.len();
    u.groups.retain(|g| !g.eq_ignore_ascii_case(gname));
    if u.groups.len() != before {
        s.put_user(&c.ctx.journal, u);
    }
    Ok(json!({}))
}

pub(crate) fn for_user(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let u = find_user(s, c.account, input::req(c.input, "UserName")?)?;
    let items = u
        .groups
        .iter()
        .filter_map(|g| find(s, c.account, g).ok())
        .map(|g| (g.name.to_lowercase(), to_json(g)))
        .collect();
    c.paged(items, "Groups")
}
