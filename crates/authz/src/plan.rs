//! What the reference says about one operation, compiled once per service: the action, its
//! resource types with compiled ARN formats, and which condition keys it supports.

use crate::arn_format::ArnFormat;
use crate::overrides::{self, Grant};
use protocol::authz_facts::{self, ServiceFacts};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One resource type an action acts on.
#[derive(Debug, Clone)]
pub struct TypePlan {
    /// The reference's name (`Channel`).
    pub name: String,
    /// Whether the action always needs it.
    pub required: bool,
    /// Its ARN format.
    pub format: ArnFormat,
    /// Its `…:ResourceTag/${TagKey}` keys, by prefix (`aws:ResourceTag/`, `iam:ResourceTag/`).
    pub resource_tag_keys: Vec<String>,
}

/// How one operation is authorized.
#[derive(Debug, Clone)]
pub enum Plan {
    /// AWS requires no permission (see [`overrides`]).
    NoPermission,
    /// The action and what it acts on.
    Action(ActionPlan),
}

/// An action's facts, ready for the hot path.
#[derive(Debug, Clone)]
pub struct ActionPlan {
    /// `service:Action`.
    pub action: String,
    /// Resource types, in the reference's order; empty means `*`.
    pub types: Vec<TypePlan>,
    /// Whether it supports `aws:RequestTag/${TagKey}`.
    pub request_tags: bool,
    /// Whether it supports `aws:TagKeys`.
    pub tag_keys: bool,
}

fn type_plan(
    facts: &ServiceFacts,
    name: &str,
    required: bool,
    keys: &[String],
) -> Option<TypePlan> {
    let rt = facts.resource_type(name)?;
    let resource_tag_keys = rt
        .condition_keys
        .iter()
        .chain(keys)
        .filter_map(|k| k.strip_suffix("${TagKey}"))
        .filter(|k| k.ends_with(":ResourceTag/"))
        .map(str::to_string)
        .fold(Vec::new(), |mut acc, k| {
            if !acc.contains(&k) {
                acc.push(k);
            }
            acc
        });
    Some(TypePlan {
        name: rt.name.clone(),
        required,
        format: ArnFormat::new(&rt.arn),
        resource_tag_keys,
    })
}

/// The plan of `operation` of the service with IAM prefix `prefix`, or `None` when neither the
/// reference nor the override table knows it (the caller fails closed).
pub fn plan(prefix: &str, operation: &str) -> Option<&'static Plan> {
    // Compiled per service on its first request: an idle server holds only what was used.
    const PREFIXES: [&str; 7] = [
        "ivs",
        "mediaconnect",
        "mediaconvert",
        "mediapackage",
        "mediapackagev2",
        "iam",
        "sts",
    ];
    static PLANS: [OnceLock<Option<ServicePlans>>; 7] = [const { OnceLock::new() }; 7];
    let i = PREFIXES.iter().position(|p| *p == prefix)?;
    let plans = PLANS[i]
        .get_or_init(|| {
            // The compile's garbage (grown tables, parsed formats) leaves no page resident
            // among what is kept.
            authz_facts::service(prefix)
                .map(|facts| service::scratch::built_apart(|| service_plans(facts)))
        })
        .as_ref()?;
    let index = plans
        .by_name
        .get(operation)
        .or_else(|| plans.by_name.get(&operation.to_ascii_lowercase()))?;
    plans.plans.get(*index)
}

/// A service's plans, each compiled once and found by every name it answers to.
#[derive(Clone)]
struct ServicePlans {
    plans: Vec<Plan>,
    by_name: HashMap<String, usize>,
}

/// Plans by action name (as the reference spells it, and lowercased: one plan for both),
/// overrides by operation.
fn service_plans(facts: &ServiceFacts) -> ServicePlans {
    let prefix = &facts.prefix;
    let mut out = ServicePlans {
        plans: Vec::new(),
        by_name: HashMap::new(),
    };
    fn add(out: &mut ServicePlans, names: &[&str], plan: Plan) {
        for name in names {
            out.by_name.insert(name.to_string(), out.plans.len());
        }
        out.plans.push(plan);
    }
    for a in facts.actions() {
        let has = |k: &str| a.condition_keys.iter().any(|c| c == k);
        let request_tags = has("aws:RequestTag/${TagKey}");
        let plan = Plan::Action(ActionPlan {
            action: format!("{prefix}:{}", a.name),
            types: a
                .resources
                .iter()
                .filter_map(|r| {
                    let keys: Vec<String> = r
                        .condition_keys
                        .iter()
                        .chain(&a.condition_keys)
                        .cloned()
                        .collect();
                    type_plan(facts, &r.name, r.required, &keys)
                })
                .collect(),
            request_tags,
            tag_keys: has("aws:TagKeys") || request_tags,
        });
        let lower = a.name.to_ascii_lowercase();
        add(&mut out, &[&a.name, &lower], plan);
    }
    for o in overrides::OVERRIDES.iter().filter(|o| o.service == prefix) {
        let plan = match o.grant {
            Grant::Authorizes { action } => {
                // The operation answers to that action's plan (compiled above).
                if let Some(&i) = out.by_name.get(action) {
                    out.by_name.insert(o.operation.to_string(), i);
                }
                continue;
            }
            Grant::NoPermission => Plan::NoPermission,
            Grant::Newer {
                action,
                access_level,
                resource_types,
            } => {
                // One type is what the action acts on; of several (tagging any global
                // resource), the one the request names.
                let required = resource_types.len() == 1;
                let tagging = access_level == "Tagging";
                Plan::Action(ActionPlan {
                    action: format!("{prefix}:{action}"),
                    types: resource_types
                        .iter()
                        .filter_map(|t| type_plan(facts, t, required, &[]))
                        .collect(),
                    request_tags: tagging,
                    tag_keys: tagging,
                })
            }
        };
        add(&mut out, &[o.operation], plan);
    }
    out.plans.shrink_to_fit();
    out
}
