//! Permissions boundaries of users and roles: set at creation, put, deleted, shown.

use super::entity::{update, Entity};
use super::Call;
use crate::api::errors::no_such_boundary;
use crate::api::input;
use crate::resolve::managed_doc;
use crate::store::{Role, State, User};
use serde_json::{json, Value};
use service::ServiceError;

/// An entity that may have a permissions boundary (a managed policy ARN).
pub(crate) trait Bounded: Entity {
    /// The boundary, to change.
    fn boundary_mut(&mut self) -> &mut Option<String>;
}

impl Bounded for User {
    fn boundary_mut(&mut self) -> &mut Option<String> {
        &mut self.boundary
    }
}

impl Bounded for Role {
    fn boundary_mut(&mut self) -> &mut Option<String> {
        &mut self.boundary
    }
}

/// The ARN, if it names a managed policy that may serve as a boundary in `account`.
fn checked<'a>(s: &State, account: &str, arn: &'a str) -> Result<&'a str, ServiceError> {
    match managed_doc(s, account, arn) {
        Some(_) => Ok(arn),
        None => Err(no_such_boundary(arn)),
    }
}

/// The `PermissionsBoundary` a Create call asks for, checked.
pub(crate) fn from_input(c: &Call, s: &State) -> Result<Option<String>, ServiceError> {
    if input::opt(c.input, "PermissionsBoundary").is_none() {
        return Ok(None);
    }
    let arn = input::policy_arn(c.input, "PermissionsBoundary")?;
    checked(s, c.account, arn).map(|arn| Some(arn.to_string()))
}

/// IAM's `AttachedPermissionsBoundary` shape for a boundary ARN.
pub(crate) fn to_json(arn: &str) -> Value {
    json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn})
}

/// `Put<Entity>PermissionsBoundary`.
pub(crate) fn put<E: Bounded>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PermissionsBoundary")?;
    update(c, s, |s, e: &mut E| {
        *e.boundary_mut() = Some(checked(s, c.account, arn)?.to_string());
        Ok(())
    })
}

/// `Delete<Entity>PermissionsBoundary`.
pub(crate) fn delete<E: Bounded>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    update(c, s, |_, e: &mut E| {
        *e.boundary_mut() = None;
        Ok(())
    })
}
