//! What the authorization engine asks a service: the facts AWS's Service Authorization
//! Reference cannot know — where an operation's resources are named in its input or found in
//! the service's state, and what a stored resource's tags and policy are.

use crate::{ContextValue, Principal, ResourcePolicy};
use serde_json::Value;
use std::sync::Arc;

/// A service's static authorization facts, read by the engine for every operation.
///
/// Member paths are dotted from the input's top level; `[]` steps into every element of a
/// list: `"arn"`, `"arns[]"`, `"viewerSessions[].channelArn"`, `"Settings.Role"`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuthzSpec {
    /// `iam:PassedToService` for roles the service's operations pass
    /// (`mediaconvert.amazonaws.com`); empty if it passes none.
    pub principal: &'static str,
    /// Input members holding ARNs of resources the operation acts on: `(path, resource type)`.
    /// The resource type is the reference's name (`Channel`, `Stream-Key`) or `*`: any type
    /// whose ARN format the value matches (a value matching none is still authorized as given,
    /// on the action's first resource type, as AWS authorizes the ARN the caller names).
    pub arn_members: &'static [(&'static str, &'static str)],
    /// Input members holding one variable of a resource type's ARN format:
    /// `(path, resource type, variable)`, e.g. `("Name", "Queue", "QueueName")`.
    pub id_members: &'static [(&'static str, &'static str, &'static str)],
    /// Input members holding IAM role ARNs the operation passes to the service
    /// (`iam:PassRole` on each, with `iam:PassedToService` = [`AuthzSpec::principal`]).
    pub role_members: &'static [&'static str],
    /// Input members holding the request's tags (a map, or a list of `{Key, Value}`).
    pub tag_members: &'static [&'static str],
    /// Input members holding tag keys being removed (`aws:TagKeys` of an untag request).
    pub tag_key_members: &'static [&'static str],
}

/// A stored resource's facts the engine adds to an access on it.
#[derive(Debug, Clone, Default)]
pub struct StoredFacts {
    /// Its tags (`aws:ResourceTag/…`).
    pub tags: Vec<(String, String)>,
    /// Its own resource-based policy (role trust policy, channel policy), if any.
    pub policy: Option<Arc<ResourcePolicy>>,
}

/// One call's worth of questions from the engine to [`crate::Service::locate`], and the
/// service's answers. The engine has already applied [`AuthzSpec`]; `locate` adds what only
/// state can tell (a channel's stream keys, an IAM user's path, a role's ARN by name).
#[derive(Debug)]
pub struct Locate<'a> {
    /// The operation being authorized.
    pub operation: &'a str,
    /// Its validated input.
    pub input: &'a Value,
    /// The resource types the reference lists for the operation's action, in its order.
    pub resource_types: Vec<&'a str>,
    located: Vec<(String, Vec<String>)>,
    untyped: Vec<String>,
    context: Vec<(String, ContextValue)>,
    /// Roles passed, each with the service it is passed to when not the operation's own.
    passed_roles: Vec<(String, Option<&'static str>)>,
    also: Vec<String>,
    evaluated_as: Option<Arc<Principal>>,
    each: bool,
}

impl<'a> Locate<'a> {
    /// A question about `operation` whose action has `resource_types`.
    pub fn new(operation: &'a str, input: &'a Value, resource_types: Vec<&'a str>) -> Self {
        Locate {
            operation,
            input,
            resource_types,
            located: Vec::new(),
            untyped: Vec::new(),
            context: Vec::new(),
            passed_roles: Vec::new(),
            also: Vec::new(),
            evaluated_as: None,
            each: false,
        }
    }

    /// Whether the action has the resource type `name` (case-insensitive).
    pub fn has_type(&self, name: &str) -> bool {
        self.resource_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(name))
    }

    /// The ARNs of `resource_type` the operation acts on, replacing what the engine found
    /// there. An empty list means "none": a required type then gets no access instead of the
    /// type's ARN pattern.
    pub fn set(&mut self, resource_type: &str, arns: Vec<String>) {
        self.located
            .retain(|(t, _)| !t.eq_ignore_ascii_case(resource_type));
        self.located.push((resource_type.to_string(), arns));
    }

    /// Adds one ARN of `resource_type` to what the engine found.
    pub fn add(&mut self, resource_type: &str, arn: impl Into<String>) {
        let arn = arn.into();
        match self
            .located
            .iter_mut()
            .find(|(t, _)| t.eq_ignore_ascii_case(resource_type))
        {
            Some((_, list)) => list.push(arn),
            None => self.located.push((resource_type.to_string(), vec![arn])),
        }
    }

    /// An ARN the operation acts on, of whichever of the action's types its ARN format has
    /// (the first type if none): the engine files it as if [`Locate::add`]ed there. For an
    /// action the reference gives no resource type, it replaces `*` (the ARN AWS reports).
    pub fn add_any(&mut self, arn: impl Into<String>) {
        self.untyped.push(arn.into());
    }

    /// Says the operation acts on no particular resource: every type is located empty, so
    /// the engine authorizes it on `*`.
    pub fn none(&mut self) {
        let types: Vec<String> = self.resource_types.iter().map(|t| t.to_string()).collect();
        for t in types {
            self.set(&t, Vec::new());
        }
    }

    /// ARNs added with [`Locate::add_any`] (for the engine).
    pub fn untyped(&self) -> &[String] {
        &self.untyped
    }

    /// A service-specific condition key the request carries (`mediaconnect:…`).
    pub fn context(&mut self, key: impl Into<String>, value: ContextValue) {
        self.context.push((key.into(), value));
    }

    /// A role ARN the operation passes that [`AuthzSpec::role_members`] cannot reach.
    pub fn pass_role(&mut self, role_arn: impl Into<String>) {
        self.passed_roles.push((role_arn.into(), None));
    }

    /// A role ARN the operation passes on for another service to assume (`iam:PassedToService`
    /// is then that service's principal, not [`AuthzSpec::principal`]).
    pub fn pass_role_to(&mut self, role_arn: impl Into<String>, service: &'static str) {
        self.passed_roles.push((role_arn.into(), Some(service)));
    }

    /// Another action the request needs on the same resources, with the same condition keys,
    /// because of what the input carries (`sts:TagSession` when AssumeRole passes tags).
    pub fn also(&mut self, action: impl Into<String>) {
        self.also.push(action.into());
    }

    /// Evaluates the request for `principal` instead of the caller: the identity an unsigned
    /// federation call's verified token names (its provider), which only the role's trust
    /// policy can let in.
    pub fn evaluate_as(&mut self, principal: Principal) {
        self.evaluated_as = Some(Arc::new(principal));
    }

    /// Says AWS decides each resource's access alone and the operation answers a refusal per
    /// item instead of failing (IVS BatchStartViewerSessionRevocation's `"code": "403"`): the
    /// server lists the refused resources in [`crate::RequestContext::refused`].
    pub fn decide_each(&mut self) {
        self.each = true;
    }

    /// Whether [`Locate::decide_each`] was said (for the engine).
    pub fn decides_each(&self) -> bool {
        self.each
    }

    /// Actions added with [`Locate::also`] (for the engine).
    pub fn also_actions(&self) -> &[String] {
        &self.also
    }

    /// The principal set with [`Locate::evaluate_as`] (for the engine).
    pub fn evaluated_as(&self) -> Option<&Arc<Principal>> {
        self.evaluated_as.as_ref()
    }

    /// What the service located, by resource type (for the engine).
    pub fn located(&self) -> &[(String, Vec<String>)] {
        &self.located
    }

    /// Service-specific condition keys (for the engine).
    pub fn context_keys(&self) -> &[(String, ContextValue)] {
        &self.context
    }

    /// Roles passed beyond the spec's members (for the engine).
    pub fn passed_roles(&self) -> &[(String, Option<&'static str>)] {
        &self.passed_roles
    }
}
