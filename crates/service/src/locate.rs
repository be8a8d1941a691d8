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
    /// What the service located, by the type's place in `resource_types` (`None`: nothing
    /// said of it; no name copied); empty until the first type is set.
    located: Vec<Option<Vec<String>>>,
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
    /// type's ARN pattern. A type the action does not have is of no use to the engine and
    /// is dropped.
    pub fn set(&mut self, resource_type: &str, arns: Vec<String>) {
        if let Some(slot) = self.slot(resource_type) {
            *slot = Some(arns);
        }
    }

    /// Adds one ARN of `resource_type` to what the engine found.
    pub fn add(&mut self, resource_type: &str, arn: impl Into<String>) {
        if let Some(slot) = self.slot(resource_type) {
            slot.get_or_insert_with(Vec::new).push(arn.into());
        }
    }

    /// The located list of the action's first type called `resource_type` (case-insensitive).
    fn slot(&mut self, resource_type: &str) -> Option<&mut Option<Vec<String>>> {
        let i = self
            .resource_types
            .iter()
            .position(|t| t.eq_ignore_ascii_case(resource_type))?;
        if self.located.is_empty() {
            self.located.resize(self.resource_types.len(), None);
        }
        self.located.get_mut(i)
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
        self.located = vec![Some(Vec::new()); self.resource_types.len()];
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

    /// What the service located of `resource_type` (case-insensitive), if it said (for the
    /// engine).
    pub fn located(&self, resource_type: &str) -> Option<&[String]> {
        let i = self
            .resource_types
            .iter()
            .position(|t| t.eq_ignore_ascii_case(resource_type))?;
        self.located.get(i)?.as_deref()
    }

    /// Service-specific condition keys (for the engine).
    pub fn context_keys(&self) -> &[(String, ContextValue)] {
        &self.context
    }

    /// Takes the service-specific condition keys (for the engine, which moves them into an
    /// access rather than copying them).
    pub fn take_context_keys(&mut self) -> Vec<(String, ContextValue)> {
        std::mem::take(&mut self.context)
    }

    /// Roles passed beyond the spec's members (for the engine).
    pub fn passed_roles(&self) -> &[(String, Option<&'static str>)] {
        &self.passed_roles
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn located_lists_go_by_the_actions_type_whatever_the_case() {
        let input = Value::Null;
        let mut q = Locate::new("Op", &input, vec!["Queue", "Preset", "JobTemplate"]);
        assert_eq!(q.located("queue"), None, "nothing said yet");
        q.add("preset", "p1");
        q.set("QUEUE", vec!["q1".into()]);
        q.add("Preset", "p2");
        q.set("Unknown", vec!["u".into()]);
        q.add("Unknown", "u");
        assert_eq!(q.located("Queue"), Some(&["q1".to_string()][..]));
        assert_eq!(
            q.located("PRESET"),
            Some(&["p1".to_string(), "p2".into()][..])
        );
        assert_eq!(q.located("JobTemplate"), None);
        assert_eq!(q.located("Unknown"), None, "not a type of the action");
        q.set("preset", Vec::new());
        assert_eq!(q.located("Preset"), Some(&[][..]), "replaced, empty: none");
        q.none();
        for t in ["Queue", "Preset", "JobTemplate"] {
            assert_eq!(q.located(t), Some(&[][..]), "{t}");
        }
        q.context("k", ContextValue::Bool(true));
        assert_eq!(
            q.take_context_keys(),
            [("k".to_string(), ContextValue::Bool(true))]
        );
        assert!(q.context_keys().is_empty());
    }
}
