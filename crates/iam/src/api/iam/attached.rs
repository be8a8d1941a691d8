//! Attach/Detach/ListAttached User/Group/Role Policies.

use super::owner::{empty, with_policies, Owner};
use super::Call;
use crate::api::errors::{no_such_policy, not_attachable, quota};
use crate::api::input;
use crate::resolve::managed_doc;
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;

/// Managed policies per user, group or role.
pub const MAX_ATTACHED: usize = 10;

fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

pub(crate) fn attach(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let owner = Owner::of(op);
    // A PolicyArn that is no ARN at all (a policy's name, say) is a `ValidationError`
    // "ARN … is not valid."; an ARN that names no policy stays `InvalidInput`. LocalStack's
    // snapshot tests recorded against AWS: test_iam_roles.snapshot.json
    // test_role_managed_policy_errors and test_iam.snapshot.json test_user_attach_policy
    // ('non-existent-malformed-policy-arn', 'existing-policy-name-provided').
    let given = input::req(c.input, "PolicyArn")?;
    if service::arn_parts(given).is_none() {
        return Err(
            ServiceError::new("ValidationError", format!("ARN {given} is not valid."))
                .with_status(400),
        );
    }
    let arn = input::policy_arn(c.input, "PolicyArn")?.to_string();
    if managed_doc(s, c.account, &arn).is_none() {
        return Err(not_attachable(&arn));
    }
    with_policies(c, s, owner, true, |_, _, attached| {
        if !attached.contains(&arn) {
            if attached.len() >= MAX_ATTACHED {
                let q = match owner {
                    Owner::User => "PoliciesPerUser",
                    Owner::Group => "PoliciesPerGroup",
                    Owner::Role => "PoliciesPerRole",
                };
                return Err(quota(q, MAX_ATTACHED));
            }
            attached.push(arn.clone());
        }
        Ok(empty())
    })
}

pub(crate) fn detach(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?.to_string();
    with_policies(c, s, Owner::of(op), true, |_, _, attached| {
        let before = attached.len();
        attached.retain(|a| *a != arn);
        if attached.len() == before {
            return Err(no_such_policy(&arn));
        }
        Ok(empty())
    })
}

pub(crate) fn list(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = with_policies(c, s, Owner::of(op), false, |_, _, attached| {
        Ok(attached
            .iter()
            .filter(|arn| {
                let path = arn.split_once(":policy").map(|(_, p)| p).unwrap_or("/");
                path.starts_with(prefix)
            })
            .enumerate()
            .map(|(i, arn)| {
                (
                    format!("{i:03}"),
                    json!({"PolicyName": name_of(arn), "PolicyArn": arn}),
                )
            })
            .collect::<Vec<_>>())
    })?;
    c.paged(items, "AttachedPolicies")
}
