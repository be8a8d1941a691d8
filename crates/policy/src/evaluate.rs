//! AWS's policy evaluation logic: which policies apply, in which order, and what wins.

use crate::context::Context;
use crate::decision::{Decision, DenyReason, EvalDecision, MatchedStatement, PolicyType};
use crate::document::{Policy, PolicyKind};
use crate::principal::PrincipalMatch;
use service::{Principal, PrincipalKind};
use std::sync::Arc;

/// Where a policy came from, for explanations, SimulatePolicy's MatchedStatements and
/// denial messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An inline policy of a user.
    User,
    /// An inline policy of a group.
    Group,
    /// An inline policy of a role.
    Role,
    /// An AWS managed policy.
    AwsManaged,
    /// A customer managed policy.
    CustomerManaged,
    /// A resource-based (or trust) policy.
    Resource,
    /// A permissions boundary.
    Boundary,
    /// A session policy.
    Session,
    /// A policy given directly (SimulateCustomPolicy).
    None,
}

/// Where a policy came from: its kind, its name or ARN, and a display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    /// What sort of policy it is.
    pub kind: SourceKind,
    /// The policy name or ARN (SimulatePolicy's `SourcePolicyId`).
    pub id: Arc<str>,
    /// A friendly name, when it differs from `id`.
    pub name: Option<Arc<str>>,
}

/// Everything that applies to one request. `session: None` = not a session or a session
/// without session policies; `Some(v)` = session policies that must also allow.
///
/// Sources are borrowed: they live with the resolved policies, and copying each one's names
/// for every evaluation was two allocations a policy a request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// Identity-based policies of the user (and its groups) or of the role.
    pub identity: Vec<(&'a Policy, &'a PolicySource)>,
    /// The permissions boundary of the user or role, if set.
    pub boundary: Option<(&'a Policy, &'a PolicySource)>,
    /// Session policies, if the session was created with any.
    pub session: Option<Vec<(&'a Policy, &'a PolicySource)>>,
    /// The resource's own policy (or the role's trust policy for AssumeRole).
    pub resource: Option<(&'a Policy, &'a PolicySource)>,
}

/// One request to decide. `resource_account` is the account owning the resource
/// (`None` = same as the principal's, or not applicable).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Who is asking.
    pub principal: &'a Principal,
    /// `service:Action`.
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    /// The account owning the resource, when it may differ from the principal's.
    pub resource_account: Option<&'a str>,
    /// Condition keys.
    pub context: &'a Context,
}

/// What one group of policies (all identity policies, the boundary, …) says.
#[derive(Debug, Default, Clone, Copy)]
struct Verdict {
    allow: bool,
    deny: bool,
    /// How specifically the best allowing statement named the principal (resource policies).
    grant: Option<PrincipalMatch>,
}

struct Evaluation<'r> {
    req: &'r Request<'r>,
    /// AWS: a `Deny` with `NotPrincipal` always applies to a principal with a boundary.
    has_boundary: bool,
    matched: Vec<MatchedStatement>,
    missing: Vec<String>,
}

impl Evaluation<'_> {
    /// Runs every statement of `policy` against the request.
    fn scan(&mut self, policy: &Policy, source: &PolicySource, into: &mut Verdict) {
        for s in policy.statements() {
            let named = match &s.principal {
                Some(p) if !s.allow && p.is_not() && self.has_boundary => PrincipalMatch::Exact,
                Some(p) => p.matches(self.req.principal),
                None => PrincipalMatch::Exact,
            };
            if named == PrincipalMatch::No || !s.actions.matches(self.req.action) {
                continue;
            }
            if let Some(r) = &s.resources {
                if !r.matches(self.req.resource, self.req.context) {
                    for k in r.variable_keys() {
                        if self.req.context.get_lower(k).is_none()
                            && !self.missing.iter().any(|m| m.eq_ignore_ascii_case(k))
                        {
                            self.missing.push(k.to_string());
                        }
                    }
                    continue;
                }
            }
            if !s.condition.holds(self.req.context, &mut self.missing) {
                continue;
            }
            self.matched.push(MatchedStatement {
                source: source.clone(),
                sid: s.sid.clone(),
                effect_allow: s.allow,
                start: s.start,
                end: s.end,
            });
            if s.allow {
                into.allow = true;
                into.grant = into.grant.max(Some(named));
            } else {
                into.deny = true;
            }
        }
    }

    fn scan_all<'p>(
        &mut self,
        policies: impl IntoIterator<Item = &'p (&'p Policy, &'p PolicySource)>,
    ) -> Verdict {
        let mut v = Verdict::default();
        for (p, source) in policies {
            self.scan(p, source, &mut v);
        }
        v
    }
}

/// Decides `req` against every policy in `set`, in the order AWS documents:
///
/// 1. an explicit deny in any applicable policy wins;
/// 2. a role's trust policy must name the principal (or its account), in any account;
/// 3. the root user is allowed everything in its own account;
/// 4. anonymous requests need a resource policy that allows `*`;
/// 5. within one account, a resource policy that names the user or the session (or `*`)
///    allows on its own, unaffected by boundary and session policies; one that names the
///    role counts as an identity-side allow and stays subject to them; otherwise an
///    identity-based allow is needed, and the boundary (if set) and a session policy (if
///    any are set) must allow too;
/// 6. across accounts, the identity side (as above, without the resource policy) and the
///    resource policy must both allow.
pub fn evaluate(set: &PolicySet, req: &Request) -> Decision {
    let mut ev = Evaluation {
        req,
        has_boundary: set.boundary.is_some(),
        matched: Vec::new(),
        missing: Vec::new(),
    };
    let identity = ev.scan_all(&set.identity);
    let boundary = set
        .boundary
        .as_ref()
        .map(|b| ev.scan_all(std::iter::once(b)));
    let session = set.session.as_ref().map(|s| ev.scan_all(s));
    let resource = ev.scan_all(set.resource.as_ref());

    let finish = |ev: Evaluation, reason: Option<DenyReason>| {
        let explicit = matches!(reason, Some(DenyReason::ExplicitDeny(_)));
        let mut matched = ev.matched;
        // "If … one statement denies that operation, then the explicit deny overrides any
        // allow. In addition, the deny statement is the only entry included in the result."
        if explicit {
            matched.retain(|m| !m.effect_allow);
        }
        Decision {
            decision: match reason {
                None => EvalDecision::Allowed,
                Some(DenyReason::ExplicitDeny(_)) => EvalDecision::ExplicitDeny,
                Some(_) => EvalDecision::ImplicitDeny,
            },
            deny_reason: reason,
            matched,
            missing_context_keys: ev.missing,
            boundary_allows: boundary.map(|b| b.allow && !b.deny),
        }
    };

    let principal = req.principal;
    let same_account = req.resource_account.is_none_or(|a| a == principal.account);
    let is_root = principal.is_root();

    // The root user has no identity-side policies to deny it.
    let denials = [
        (!is_root && identity.deny, PolicyType::IdentityBased),
        (resource.deny, PolicyType::ResourceBased),
        (
            !is_root && boundary.is_some_and(|b| b.deny),
            PolicyType::PermissionsBoundary,
        ),
        (
            !is_root && session.is_some_and(|s| s.deny),
            PolicyType::SessionPolicy,
        ),
    ];
    if let Some((_, t)) = denials.iter().find(|(d, _)| *d) {
        return finish(ev, Some(DenyReason::ExplicitDeny(*t)));
    }

    let resource_grant = if resource.allow {
        resource.grant.unwrap_or(PrincipalMatch::No)
    } else {
        PrincipalMatch::No
    };

    // A role's trust policy must let the principal in, in any account: the identity side
    // alone never allows assuming a role.
    let trust = set
        .resource
        .as_ref()
        .is_some_and(|(p, _)| p.kind() == PolicyKind::Trust);
    if trust && resource_grant == PrincipalMatch::No {
        return finish(ev, Some(DenyReason::NoResourceAllow));
    }

    if principal.kind == PrincipalKind::Anonymous {
        let reason =
            (resource_grant != PrincipalMatch::Exact).then_some(DenyReason::NoResourceAllow);
        return finish(ev, reason);
    }
    if is_root {
        let reason = (!same_account && resource_grant == PrincipalMatch::No)
            .then_some(DenyReason::NoResourceAllow);
        return finish(ev, reason);
    }

    if same_account && resource_grant == PrincipalMatch::Exact {
        return finish(ev, None);
    }
    let identity_allows =
        identity.allow || (same_account && resource_grant == PrincipalMatch::Source);
    let reason = if !identity_allows {
        Some(DenyReason::NoIdentityAllow)
    } else if boundary.is_some_and(|b| !b.allow) {
        Some(DenyReason::NoBoundaryAllow)
    } else if session.is_some_and(|s| !s.allow) {
        Some(DenyReason::NoSessionAllow)
    } else if !same_account && resource_grant == PrincipalMatch::No {
        Some(DenyReason::NoResourceAllow)
    } else {
        None
    };
    finish(ev, reason)
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
