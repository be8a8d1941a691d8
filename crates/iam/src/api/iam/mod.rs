//! The IAM API (signing name `iam`).

mod access_keys;
mod actions;
mod attached;
mod authorization_details;
mod groups;
mod inline;
mod owner;
mod policies;
mod roles;
mod simulate;
mod users;

use crate::store::State;
use crate::Iam;
use serde_json::{Map, Value};
use service::{Access, RequestContext, Service, ServiceError};
use std::sync::Arc;

/// What every IAM handler gets.
pub(crate) struct Call<'a> {
    /// The store and its runtime.
    pub iam: &'a Iam,
    /// The request.
    pub ctx: &'a RequestContext,
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
        crate::api::page::page(&self.iam.runtime.token_key, self.input, items, out)
    }
}

/// The IAM API over the shared store.
pub struct IamService(pub Arc<Iam>);

impl Service for IamService {
    fn signing_name(&self) -> &'static str {
        "iam"
    }

    fn authorize(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Vec<Access>, ServiceError> {
        let state = self.0.state.read();
        Ok(actions::accesses(&state, ctx, operation, input))
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

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        self.0.restore(record)
    }

    fn records(&self) -> Vec<service::Record> {
        self.0.records()
    }

    fn reset(&self) {
        self.0.reset()
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

fn dispatch(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    if s.account(c.account).is_none() {
        return Err(ServiceError::new(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
        .with_status(403));
    }
    match op {
        "CreateUser" => users::create(c, s),
        "GetUser" => users::get(c, s),
        "ListUsers" => users::list(c, s),
        "UpdateUser" => users::update(c, s),
        "DeleteUser" => users::delete(c, s),
        "TagUser" => users::tag(c, s),
        "UntagUser" => users::untag(c, s),
        "ListUserTags" => users::list_tags(c, s),
        "PutUserPermissionsBoundary" => users::put_boundary(c, s),
        "DeleteUserPermissionsBoundary" => users::delete_boundary(c, s),
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
        "TagRole" => roles::tag(c, s),
        "UntagRole" => roles::untag(c, s),
        "ListRoleTags" => roles::list_tags(c, s),
        "PutRolePermissionsBoundary" => roles::put_boundary(c, s),
        "DeleteRolePermissionsBoundary" => roles::delete_boundary(c, s),
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
        _ => Err(ServiceError::not_implemented("iam", op)),
    }
}

#[cfg(test)]
pub(crate) mod tests;
