use crate::{Principal, ResourcePolicy};
use std::sync::Arc;

/// A value of a request condition key (`aws:RequestTag/Owner`, `aws:TagKeys`, …).
#[derive(Debug, Clone, PartialEq)]
pub enum ContextValue {
    /// A single string.
    String(String),
    /// A multivalued key such as `aws:TagKeys`.
    Strings(Vec<String>),
    /// A boolean key.
    Bool(bool),
    /// A numeric key.
    Number(f64),
}

/// One `(action, resource)` pair an operation must be allowed, with the condition keys the
/// service contributes and the resource's own policy, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    /// `service:Action`, as in the Service Authorization Reference.
    pub action: String,
    /// The resource ARN, or `*` for actions without a resource type.
    pub resource: String,
    /// Condition keys the service supplies, names as AWS spells them.
    pub context: Vec<(String, ContextValue)>,
    /// The resource-based policy document (JSON) attached to the resource.
    pub resource_policy: Option<Arc<ResourcePolicy>>,
    /// The identity this access is evaluated for when it is not the caller's: the identity
    /// provider an unsigned federation call's token vouches for (STS AssumeRoleWith*).
    pub principal: Option<Arc<Principal>>,
}

impl Access {
    /// `action` on `resource` with no extra context.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Access {
            action: action.into(),
            resource: resource.into(),
            context: Vec::new(),
            resource_policy: None,
            principal: None,
        }
    }

    /// Adds a condition key.
    pub fn with(mut self, key: impl Into<String>, value: ContextValue) -> Self {
        self.context.push((key.into(), value));
        self
    }

    /// Adds `aws:ResourceTag/K` for every tag of the stored resource.
    pub fn with_resource_tags<'a>(
        mut self,
        tags: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Self {
        for (k, v) in tags {
            self.context.push((
                format!("aws:ResourceTag/{k}"),
                ContextValue::String(v.clone()),
            ));
        }
        self
    }

    /// Adds `aws:RequestTag/K` for every tag in the request and `aws:TagKeys`.
    pub fn with_request_tags<'a>(
        mut self,
        tags: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Self {
        let mut keys = Vec::new();
        for (k, v) in tags {
            self.context.push((
                format!("aws:RequestTag/{k}"),
                ContextValue::String(v.clone()),
            ));
            keys.push(k.clone());
        }
        self.context
            .push(("aws:TagKeys".to_string(), ContextValue::Strings(keys)));
        self
    }

    /// Attaches the resource's own policy document.
    pub fn with_resource_policy(mut self, policy: Arc<ResourcePolicy>) -> Self {
        self.resource_policy = Some(policy);
        self
    }
}
