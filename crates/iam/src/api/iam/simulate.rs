//! SimulatePrincipalPolicy and SimulateCustomPolicy, evaluated by the same engine as requests.

use super::Call;
use crate::api::errors::{invalid, malformed, no_such};
use crate::api::input;
use crate::authorize::evaluate_owned;
use crate::context_keys;
use crate::doc::{Doc, DocKind};
use crate::resolve::{self, Resolved};
use crate::store::State;
use policy::{Context, Decision, DenyReason, EvalDecision, PolicySource, SourceKind};
use serde_json::{json, Map, Value};
use service::{Access, ContextValue, Principal, PrincipalKind, ServiceError};

/// A matched statement's `SourcePolicyId` and `SourcePolicyType` as AWS answers them. Every
/// identity policy, the ones passed in the request included, is typed `IAM Policy` (a value
/// the model's enum lacks: boto3 answers quoted from AWS show `"SourcePolicyId":
/// "PolicyInputList.1", "SourcePolicyType": "IAM Policy"` for SimulateCustomPolicy, and
/// `AmazonS3ReadOnlyAccess` or `role_<role>_<policy>` for SimulatePrincipalPolicy; the Soto SDK
/// added the value because IAM returns it). A managed policy (a stored boundary too) is named
/// by its name, not its ARN; an inline policy by `user_`, `group_` or `role_`, its owner and
/// its name.
fn source_of(source: &PolicySource) -> (String, Option<&'static str>) {
    const IAM_POLICY: &str = "IAM Policy";
    let inline = |prefix: &str| (format!("{prefix}_{}", source.id), Some(IAM_POLICY));
    match source.kind {
        SourceKind::User => inline("user"),
        SourceKind::Group => inline("group"),
        SourceKind::Role => inline("role"),
        // A stored boundary is a managed policy too.
        SourceKind::AwsManaged | SourceKind::CustomerManaged | SourceKind::Boundary => (
            source.name.as_deref().unwrap_or(&source.id).to_string(),
            Some(IAM_POLICY),
        ),
        SourceKind::None => (source.id.to_string(), Some(IAM_POLICY)),
        SourceKind::Resource => (source.id.to_string(), Some("resource")),
        _ => (source.id.to_string(), None),
    }
}

fn statements(d: &Decision) -> Value {
    Value::Array(
        d.matched
            .iter()
            .map(|m| {
                let (id, kind) = source_of(&m.source);
                let mut v = json!({
                    "SourcePolicyId": id,
                    "StartPosition": {"Line": m.start.0, "Column": m.start.1},
                    "EndPosition": {"Line": m.end.0, "Column": m.end.1},
                });
                if let Some(kind) = kind {
                    v["SourcePolicyType"] = json!(kind);
                }
                v
            })
            .collect(),
    )
}

/// Parses `ContextEntries` into condition keys.
fn context_entries(input: &Value) -> Result<Vec<(String, ContextValue)>, ServiceError> {
    let mut out = Vec::new();
    for e in input
        .get("ContextEntries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = input::opt(e, "ContextKeyName")
            .unwrap_or_default()
            .to_string();
        let ty = input::opt(e, "ContextKeyType").unwrap_or("string");
        let vals = input::strings(e, "ContextKeyValues");
        let bad = || {
            invalid(format!(
                "Invalid value for context key {name} of type {ty}."
            ))
        };
        let value = match ty {
            "boolean" => ContextValue::Bool(vals.first().map(|v| v == "true").ok_or_else(bad)?),
            "numeric" => {
                ContextValue::Number(vals.first().and_then(|v| v.parse().ok()).ok_or_else(bad)?)
            }
            t if t.ends_with("List") => ContextValue::Strings(vals),
            _ => ContextValue::String(vals.first().cloned().ok_or_else(bad)?),
        };
        out.push((name, value));
    }
    Ok(out)
}

fn input_docs(
    input: &Value,
    member: &str,
    kind: DocKind,
) -> Result<Vec<(Doc, PolicySource)>, ServiceError> {
    input::strings(input, member)
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let d = Doc::parse(t, kind).map_err(malformed)?;
            let src = PolicySource {
                kind: SourceKind::None,
                id: format!("{member}.{}", i + 1).into(),
                name: None,
            };
            Ok((d, src))
        })
        .collect()
}

fn principal_for(arn: &str, fallback: &Principal) -> Principal {
    let account = arn
        .split(':')
        .nth(4)
        .unwrap_or(&fallback.account)
        .to_string();
    let name = arn.rsplit('/').next().unwrap_or_default().to_string();
    // Simulations evaluate policies, never root's implicit all-access.
    let kind = if arn.contains(":role/") {
        PrincipalKind::AssumedRole
    } else {
        PrincipalKind::User
    };
    Principal {
        account,
        arn: arn.to_string(),
        kind,
        user_id: fallback.user_id.clone(),
        username: (kind == PrincipalKind::User).then_some(name),
        access_key_id: String::new(),
        session: None,
    }
}

/// The trust policy of a stored role, if `arn` names one.
fn stored_trust(s: &State, arn: &str) -> Option<Doc> {
    let account = context_keys::arn_account(arn)?;
    let name = arn.rsplit('/').next()?.to_lowercase();
    let role = s.account(account)?.roles.get(&name)?;
    (role.arn() == arn).then(|| Doc::clone(&role.trust))
}

/// The policies of the user (with its groups'), group or role `arn` of the caller's account:
/// what SimulatePrincipalPolicy evaluates and GetContextKeysForPrincipalPolicy reads.
pub(crate) fn principal_policies(c: &Call, s: &State, arn: &str) -> Result<Resolved, ServiceError> {
    let account = s
        .account(c.account)
        .ok_or_else(|| invalid("no such account"))?;
    let name = arn.rsplit('/').next().unwrap_or_default().to_lowercase();
    let (kind, exists) = if arn.contains(":user/") {
        (
            "user",
            account.users.get(&name).is_some_and(|u| u.arn() == arn),
        )
    } else if arn.contains(":role/") {
        (
            "role",
            account.roles.get(&name).is_some_and(|r| r.arn() == arn),
        )
    } else if arn.contains(":group/") {
        (
            "group",
            account.groups.get(&name).is_some_and(|g| g.arn() == arn),
        )
    } else {
        return Err(invalid(format!("Invalid ARN: {arn}")));
    };
    if !exists {
        return Err(no_such(kind, arn.rsplit('/').next().unwrap_or_default()));
    }
    Ok(match kind {
        "user" => resolve::for_user(s, account, &name),
        "role" => resolve::for_role(s, account, &name),
        _ => {
            let mut r = Resolved::default();
            if let Some(g) = account.groups.get(&name) {
                for (n, d) in &g.inline {
                    r.identity.push((
                        d.clone(),
                        PolicySource {
                            kind: SourceKind::Group,
                            id: format!("{}_{n}", g.name).into(),
                            name: Some(n.as_str().into()),
                        },
                    ));
                }
                for a in &g.attached {
                    r.identity.extend(resolve::managed_doc(s, c.account, a));
                }
            }
            r
        }
    })
}

/// SimulateCustomPolicy's `OrderedOrganizationPolicyInputList`: the SCPs of each level of an
/// Organizations hierarchy, root first, each level's as the identity policies of a
/// [`Resolved`] so one evaluation says what the level allows.
fn scp_levels(input: &Value) -> Result<Vec<Resolved>, ServiceError> {
    let mut levels = Vec::new();
    for (i, level) in input
        .get("OrderedOrganizationPolicyInputList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let member = format!(
            "OrderedOrganizationPolicyInputList.{}.ServiceControlPolicyInputList",
            i + 1
        );
        let mut r = Resolved::default();
        for (j, text) in input::strings(level, "ServiceControlPolicyInputList")
            .iter()
            .enumerate()
        {
            let d = Doc::parse(text, DocKind::Boundary).map_err(malformed)?;
            let src = PolicySource {
                kind: SourceKind::None,
                id: format!("{member}.{}", j + 1).into(),
                name: None,
            };
            r.identity.push((d, src));
        }
        levels.push(r);
    }
    Ok(levels)
}

/// What the SCPs of `levels` make of a decision: "If an SCP blocks a service or action, then
/// no entity in that account can access that service nor perform that action ... even if an
/// administrator explicitly grants permissions" (the IAM User Guide's policy simulator page).
/// Every level must allow the request and none may deny it; a deny is an explicit deny, with
/// the SCP statements that denied; a level that allows nothing is an implicit deny. Returns
/// `AllowedByOrganizations`.
fn apply_scps(
    levels: &[Resolved],
    d: &mut Decision,
    principal: &Principal,
    access: &Access,
    ctx: &Context,
) -> bool {
    let mut allowed = true;
    let mut denying = Vec::new();
    for level in levels {
        // SCPs govern the principal's own account, whoever owns the resource.
        let v = evaluate_owned(level, None, principal, access, ctx, None);
        for k in v.missing_context_keys {
            if !d.missing_context_keys.contains(&k) {
                d.missing_context_keys.push(k);
            }
        }
        if v.decision == EvalDecision::ExplicitDeny {
            denying.extend(v.matched.into_iter().filter(|m| !m.effect_allow));
        }
        allowed &= v.decision == EvalDecision::Allowed;
    }
    if !denying.is_empty() {
        if d.decision != EvalDecision::ExplicitDeny {
            d.matched.clear();
        }
        d.decision = EvalDecision::ExplicitDeny;
        d.matched.extend(denying);
    } else if !allowed && d.allowed() {
        d.decision = EvalDecision::ImplicitDeny;
        d.matched.clear();
    }
    allowed
}

/// `InvalidInput` for `ResourceArns` that are neither `*` nor an ARN
/// (`arn:partition:service:region:account:resource`), in AWS's words for a KMS key ID passed
/// there: "ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda."
fn check_resource_arns(resources: &[String]) -> Result<(), ServiceError> {
    let is_arn = |r: &str| r.starts_with("arn:") && r.splitn(6, ':').count() == 6;
    let bad: Vec<&str> = resources
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "*" && !is_arn(r))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    Err(invalid(format!(
        "ResourceNames are not in a valid ARN format: {}.",
        bad.join(", ")
    )))
}

pub(crate) fn handle(c: &Call, s: &State, op: &str) -> Result<Value, ServiceError> {
    check_resource_arns(&input::strings(c.input, "ResourceArns"))?;
    let mut resolved = Resolved::default();
    let caller = &c.ctx.principal;
    let default_arn = match caller.kind {
        PrincipalKind::User => caller.arn.clone(),
        _ => format!("arn:aws:iam::{}:user/SimulatedUser", c.account),
    };
    let mut principal = principal_for(&default_arn, caller);
    if op == "SimulatePrincipalPolicy" {
        let arn = input::req(c.input, "PolicySourceArn")?;
        resolved = principal_policies(c, s, arn)?;
        super::policy_exclusions::apply(c.input, &mut resolved)?;
        principal = principal_for(arn, &principal);
    } else if op != "SimulateCustomPolicy" {
        return Err(ServiceError::not_implemented("iam", op));
    }
    resolved
        .identity
        .extend(input_docs(c.input, "PolicyInputList", DocKind::Identity)?);
    let boundaries = input_docs(
        c.input,
        "PermissionsBoundaryPolicyInputList",
        DocKind::Boundary,
    )?;
    if let Some(b) = boundaries.into_iter().next() {
        resolved.boundary = Some(b);
    }
    if let Some(caller) = input::opt(c.input, "CallerArn") {
        principal = principal_for(caller, &principal);
    }
    let resource_policy = match input::opt(c.input, "ResourcePolicy") {
        // A role's trust policy (no `Resource`) is simulated as the trust policy it is.
        Some(t) => Some(
            Doc::parse(t, DocKind::Resource)
                .or_else(|e| Doc::parse(t, DocKind::Trust).map_err(|_| e))
                .map_err(malformed)?,
        ),
        None => None,
    };
    let scps = scp_levels(c.input)?;
    let entries = context_entries(c.input)?;
    let mut resources = input::strings(c.input, "ResourceArns");
    if resources.is_empty() {
        resources.push("*".into());
    }
    // `ResourceOwner` is an account's ARN (`arn:aws:iam::111122223333:root`) or its ID.
    let owner = input::opt(c.input, "ResourceOwner")
        .map(|o| o.split(':').nth(4).unwrap_or(o))
        .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string);
    let actions = input::strings(c.input, "ActionNames");
    let keys: Vec<(String, usize)> = (0..actions.len())
        .map(|i| (format!("{i:010}"), i))
        .collect();
    let mut out = Map::new();
    // Only the page asked for is evaluated: every action by every resource can be millions.
    let page = c.page(keys, &mut out)?;
    let mut results = Vec::with_capacity(page.len());
    for action in page.into_iter().map(|i| &actions[i]) {
        let mut per_resource = Vec::new();
        let mut overall: Option<(Decision, Option<bool>)> = None;
        for resource in &resources {
            let mut access = Access::new(action.clone(), resource.clone());
            access.context = entries.clone();
            let mut ctx = Context::new();
            ctx.set_all(&entries);
            if let Some(o) = &owner {
                ctx.set("aws:ResourceAccount", ContextValue::String(o.clone()));
            }
            let owner = owner.as_deref().or_else(|| {
                context_keys::arn_account(resource)
                    .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
            });
            // As on the live path: assuming a role takes its trust policy (the one given, or
            // the stored role's), and without one nothing allows it.
            let assumes_role = action.to_ascii_lowercase().starts_with("sts:assumerole")
                && resource.contains(":role/");
            let trust = match (&resource_policy, assumes_role) {
                (None, true) => stored_trust(s, resource),
                _ => None,
            };
            let policy = resource_policy.as_ref().or(trust.as_ref());
            let mut d = evaluate_owned(&resolved, policy, &principal, &access, &ctx, owner);
            if assumes_role && policy.is_none() && d.allowed() {
                d.decision = EvalDecision::ImplicitDeny;
                d.deny_reason = Some(DenyReason::NoResourceAllow);
            }
            let by_organizations =
                (!scps.is_empty()).then(|| apply_scps(&scps, &mut d, &principal, &access, &ctx));
            per_resource.push(json!({
                "EvalResourceName": resource, "EvalResourceDecision": d.decision.as_str(),
                "MatchedStatements": statements(&d), "MissingContextValues": d.missing_context_keys,
            }));
            overall = Some(match overall {
                Some(o) if !o.0.allowed() => o,
                _ => (d, by_organizations),
            });
        }
        let Some((d, by_organizations)) = overall else {
            continue;
        };
        let mut r = json!({
            "EvalActionName": action,
            "EvalResourceName": if resources.len() == 1 { resources[0].clone() } else { "*".to_string() },
            "EvalDecision": d.decision.as_str(),
            "MatchedStatements": statements(&d),
            "MissingContextValues": d.missing_context_keys,
            // An empty map when no resource-based policy decided (LocalStack's snapshot test
            // recorded against AWS: test_iam.snapshot.json test_simulate_principle_policy;
            // answers quoted from AWS in boto3-based tools show the same `{}`).
            "EvalDecisionDetails": {},
        });
        if resolved.boundary.is_some() {
            r["PermissionsBoundaryDecisionDetail"] =
                json!({"AllowedByPermissionsBoundary": d.boundary_allows.unwrap_or(true)});
        }
        if let Some(allowed) = by_organizations {
            r["OrganizationsDecisionDetail"] = json!({"AllowedByOrganizations": allowed});
        }
        if resources.len() > 1 || input::strings(c.input, "ResourceArns").len() == 1 {
            r["ResourceSpecificResults"] = Value::Array(per_resource);
        }
        results.push(r);
    }
    out.insert("EvaluationResults".into(), Value::Array(results));
    Ok(Value::Object(out))
}
