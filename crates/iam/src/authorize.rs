//! The authorize stage: evaluates each `Access` of a request for its principal.

use crate::context_keys;
use crate::decisions::NewDecision;
use crate::derived;
use crate::doc::{Doc, DocKind};
use crate::resolve::{self, Resolved};
use crate::store::State;
use crate::{Denial, Iam, Mode};
use policy::{Decision, MatchedStatement, PolicySet, PolicySource, Request, SourceKind};
use service::{Access, Principal, RequestContext};
use std::sync::Arc;

/// The account that owns a resource whose ARN names account `arn_account` (`None`: the
/// principal's). AWS-owned resources (`arn:aws:iam::aws:policy/…`) belong to no other
/// account: reading them needs only the caller's own permissions.
pub(crate) fn owner(arn_account: Option<&str>) -> Option<&str> {
    arn_account.filter(|a| service::is_account_id(a))
}

/// Evaluates `access` for `principal` with the resolved policies, the resource's own policy
/// and the request context, for a resource owned by `owner` (`None`: the principal's account).
pub fn evaluate_owned(
    resolved: &Resolved,
    resource_policy: Option<&Doc>,
    principal: &Principal,
    access: &Access,
    context: &policy::Context,
    owner: Option<&str>,
) -> Decision {
    let resource_source = resource_policy.map(|_| PolicySource {
        kind: SourceKind::Resource,
        id: access.resource.as_str().into(),
        name: None,
    });
    let resource = resource_policy.zip(resource_source.as_ref());
    let set = policy_set(resolved, resource);
    evaluate_in(
        &set,
        principal,
        &access.action,
        &access.resource,
        context,
        owner,
    )
}

/// `resolved`'s policies, and the resource's own, as the set evaluated.
pub(crate) fn policy_set<'a>(
    resolved: &'a Resolved,
    resource: Option<(&'a Doc, &'a PolicySource)>,
) -> PolicySet<'a> {
    PolicySet {
        identity: resolved
            .identity
            .iter()
            .map(|(d, s)| (&*d.compiled, s))
            .collect(),
        boundary: resolved.boundary.as_ref().map(|(d, s)| (&*d.compiled, s)),
        session: resolved
            .session
            .as_ref()
            .map(|v| v.iter().map(|(d, s)| (&*d.compiled, s)).collect()),
        resource: resource.map(|(d, s)| (&*d.compiled, s)),
    }
}

/// [`evaluate_owned`] of `action` on `resource` with the policies already in `set`.
pub(crate) fn evaluate_in(
    set: &PolicySet<'_>,
    principal: &Principal,
    action: &str,
    resource: &str,
    context: &policy::Context,
    owner: Option<&str>,
) -> Decision {
    let request = Request {
        principal,
        action,
        resource,
        resource_account: owner,
        context,
    };
    policy::evaluate(set, &request)
}

/// AWS's AccessDenied wording. STS states no reason when it refuses to assume a role (the
/// trust policy is attached to those accesses); every other denial says why.
fn denial_message(decision: &Decision, principal: &Principal, access: &Access) -> String {
    if matches!(
        access.action.as_str(),
        "sts:AssumeRoleWithWebIdentity" | "sts:AssumeRoleWithSAML"
    ) {
        // The caller has no AWS identity to name: AWS says only what was refused.
        return format!("Not authorized to perform {}", access.action);
    }
    if access.action.starts_with("sts:") && access.resource.contains(":role/") {
        return format!(
            "User: {} is not authorized to perform: {} on resource: {}",
            principal.arn, access.action, access.resource
        );
    }
    decision.denial_message(&principal.arn, &access.action, &access.resource)
}

/// The statement that decided `d`: the first deny, else the first allow that matched.
pub fn deciding_statement(d: &Decision) -> Option<&MatchedStatement> {
    deciding_index(d).map(|i| &d.matched[i])
}

/// Where [`deciding_statement`] is among `d`'s matched statements.
fn deciding_index(d: &Decision) -> Option<usize> {
    (d.matched.iter())
        .position(|m| !m.effect_allow)
        .or_else(|| (!d.matched.is_empty()).then_some(0))
}

impl Iam {
    /// Appends a decision to the ring buffer (its deciding statement is moved there, not
    /// copied: the decision is not read after it is logged; its texts are copied into the
    /// ring's oldest slot).
    pub(crate) fn log_decision(
        &self,
        principal: &Arc<Principal>,
        access: &Access,
        mut decision: Decision,
        message: &str,
        now: f64,
    ) {
        let allowed = decision.allowed();
        let deciding = deciding_index(&decision);
        self.decisions.push(NewDecision {
            time: now,
            principal,
            action: &access.action,
            resource: &access.resource,
            decision: if allowed {
                "allowed"
            } else {
                decision.decision.as_str()
            },
            reason: message,
            matched: deciding.map(|i| decision.matched.swap_remove(i)),
            audited: !allowed && self.mode == Mode::Audit,
        });
    }

    /// Runs the authorize stage against a locked state (shared by the IAM/STS handlers).
    /// `version`: the store version `state` is (a read lock's), so that what is derived from
    /// it can be kept; `None` derives everything anew.
    pub(crate) fn authorize_in(
        &self,
        state: &State,
        version: Option<u64>,
        ctx: &RequestContext,
        accesses: &[Access],
    ) -> Result<(), Denial> {
        self.authorize_each(state, version, ctx, Accesses::Shared(accesses))
    }

    /// [`Iam::authorize`] of accesses the caller has no further use for: each one's keys
    /// move into its request context, where copies of them were made for every access of
    /// every request.
    pub fn authorize_spent(
        &self,
        ctx: &RequestContext,
        mut accesses: Vec<Access>,
    ) -> Result<(), Denial> {
        let state = self.state.read();
        self.authorize_each(
            &state,
            Some(state.version()),
            ctx,
            Accesses::Spent(&mut accesses),
        )
    }

    /// [`Iam::authorize_in`] of shared or spent accesses.
    fn authorize_each(
        &self,
        state: &State,
        version: Option<u64>,
        ctx: &RequestContext,
        mut accesses: Accesses<'_>,
    ) -> Result<(), Denial> {
        let now = self.runtime.clock.now();
        let resolve = || resolve::for_principal(state, &ctx.principal, &self.root_admin);
        // The keys every access of the request has alike, built once for all of them.
        let base =
            || context_keys::SharedKeys::with_own_account(context_keys::base(state, ctx, now), ctx);
        let (resolved, keys) = match version {
            Some(v) => (
                derived::resolved(v, &ctx.principal, resolve),
                derived::base(v, &ctx.principal, ctx, now, base),
            ),
            None => (
                Arc::new(resolve()),
                Arc::new(context_keys::SharedKeys::new(context_keys::base(
                    state, ctx, now,
                ))),
            ),
        };
        // The principal's policies as one set, for each access with no resource policy of
        // its own (most): made once per request, not once per access (its list is a Vec).
        let principal_resolved: &Resolved = &resolved;
        let mut principal_set: Option<PolicySet<'_>> = None;
        // Every authenticated attempt counts, allowed or not (a federation call's stand-in is
        // the token's identity, no IAM entity): the accesses evaluated, recorded together.
        let record = |evaluated: &[Access]| {
            let own = evaluated.iter().filter(|a| a.principal.is_none());
            self.last_accessed.record_all(
                &ctx.principal,
                own.map(|a| a.action.as_str()),
                &ctx.region,
                now,
            );
        };
        for i in 0..accesses.all().len() {
            let own_keys = match &mut accesses {
                Accesses::Spent(list) => Some(std::mem::take(&mut list[i].context)),
                Accesses::Shared(_) => None,
            };
            let access = &accesses.all()[i];
            // A federation call is evaluated for the identity its verified token names.
            let stand_in = access.principal.as_ref().map(|p| {
                let mut as_identity = RequestContext::new(&ctx.request_id, p.clone(), &ctx.region);
                as_identity.source_ip = ctx.source_ip;
                as_identity.secure_transport = ctx.secure_transport;
                as_identity
            });
            let ctx = stand_in.as_ref().unwrap_or(ctx);
            let principal = &ctx.principal;
            let (resolved_for, keys_for);
            let (resolved, keys) = match &stand_in {
                Some(_) => {
                    resolved_for = resolve::for_principal(state, principal, &self.root_admin);
                    keys_for = Arc::new(context_keys::SharedKeys::new(context_keys::base(
                        state, ctx, now,
                    )));
                    (&resolved_for, &keys_for)
                }
                None => (&*resolved, &keys),
            };
            // Compiled once per stored policy and kept with it; a policy that does not parse
            // (stored documents are validated when stored) contributes nothing.
            let resource_policy = access.resource_policy.as_deref().and_then(|p| {
                p.compiled(|text| {
                    Doc::parse(text, DocKind::Resource)
                        .map_err(|e| tracing::warn!(resource = %access.resource, "unparsable resource policy: {e}"))
                        .ok()
                })
                .and_then(Option::as_ref)
            });
            // Read once for the context's `aws:ResourceAccount` and for the evaluation.
            let arn_account = context_keys::arn_account(&access.resource);
            let context = match own_keys {
                Some(own) => context_keys::for_access_owned(keys, ctx, own, arn_account),
                None => context_keys::for_access_in(keys, ctx, &access.context, arn_account),
            };
            let owner = owner(arn_account);
            let decision = match (&stand_in, resource_policy) {
                (None, None) => {
                    let set =
                        principal_set.get_or_insert_with(|| policy_set(principal_resolved, None));
                    evaluate_in(
                        set,
                        principal,
                        &access.action,
                        &access.resource,
                        &context,
                        owner,
                    )
                }
                _ => evaluate_owned(
                    resolved,
                    resource_policy,
                    principal,
                    access,
                    &context,
                    owner,
                ),
            };
            let allowed = decision.allowed();
            let message = if allowed {
                String::new()
            } else {
                denial_message(&decision, principal, access)
            };
            if !allowed && self.mode == Mode::Audit {
                tracing::warn!(principal = %principal.arn, action = %access.action, resource = %access.resource, "audit: would deny: {message}");
            }
            self.log_decision(principal, access, decision, &message, now);
            if !allowed && self.mode != Mode::Audit {
                record(&accesses.all()[..=i]);
                return Err(Denial { message });
            }
        }
        record(accesses.all());
        Ok(())
    }
}

/// The accesses the authorize stage decides: shared with the caller, or spent (the
/// caller's last use of them: their context keys may be taken).
enum Accesses<'a> {
    Shared(&'a [Access]),
    Spent(&'a mut [Access]),
}

impl Accesses<'_> {
    fn all(&self) -> &[Access] {
        match self {
            Accesses::Shared(list) => list,
            Accesses::Spent(list) => list,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, iam, root_ctx, user_ctx};
    use serde_json::json;
    use service::{Access, ContextValue, RequestContext};
    use std::sync::Arc;

    /// A user of the test account with inline policy `doc`, and a context signed by its key.
    fn user_with_policy(iam: &Arc<crate::Iam>, name: &str, doc: &str) -> RequestContext {
        let user = user_ctx(iam, name);
        let put = json!({"UserName": name, "PolicyName": "p", "PolicyDocument": doc});
        call(iam, &root_ctx(), "PutUserPolicy", put).unwrap();
        user
    }

    /// An access decided for another identity (a federation call's stand-in) is decided by
    /// that identity's policies, never by the set of the caller's made for the request's
    /// other accesses.
    #[test]
    fn a_stand_in_access_is_decided_by_its_own_identity() {
        let iam = iam();
        let allow_all = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;
        let user = user_with_policy(&iam, "u", allow_all);
        let nobody = user_ctx(&iam, "v").principal;
        let channel = "arn:aws:ivs:us-east-1:000000000000:channel/c";
        let mut theirs = Access::new("ivs:GetChannel", channel);
        theirs.principal = Some(nobody.clone());
        let accesses = [Access::new("ivs:GetChannel", channel), theirs];
        for alone in [false, true] {
            let accesses = if alone { &accesses[1..] } else { &accesses[..] };
            iam.decisions.clear();
            let denied = iam.authorize(&user, accesses).unwrap_err();
            assert!(denied.message.contains(&nobody.arn), "{}", denied.message);
            let spent = iam.authorize_spent(&user, accesses.to_vec()).unwrap_err();
            assert_eq!(spent.message, denied.message);
            let log = iam.decisions("000000000000");
            let decided: Vec<_> = log
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["decision"].clone())
                .collect();
            let first = if alone {
                vec![]
            } else {
                vec![json!("allowed")]
            };
            let expected = [
                first.clone(),
                vec![json!("implicitDeny")],
                first,
                vec![json!("implicitDeny")],
            ]
            .concat();
            assert_eq!(decided, expected);
        }
    }

    #[test]
    fn spent_accesses_are_decided_and_logged_as_shared_ones() {
        let iam = iam();
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"a"}}},{"Effect":"Deny","Action":"ivs:DeleteChannel","Resource":"*"}]}"#;
        let user = user_with_policy(&iam, "u", doc);
        let channel = "arn:aws:ivs:us-east-1:000000000000:channel/c";
        let tagged = |action: &str, team: &str| {
            Access::new(action, channel)
                .with("aws:RequestTag/team", ContextValue::String(team.into()))
        };
        let mut denied = 0;
        for accesses in [
            vec![
                tagged("ivs:CreateChannel", "a"),
                tagged("ivs:GetChannel", "a"),
            ],
            vec![
                tagged("ivs:CreateChannel", "b"),
                tagged("ivs:GetChannel", "a"),
            ],
            vec![
                tagged("ivs:GetChannel", "a"),
                tagged("ivs:DeleteChannel", "a"),
            ],
        ] {
            iam.decisions.clear();
            let shared = iam.authorize(&user, &accesses);
            let shared_log = iam.decisions("000000000000");
            assert!(!shared_log.as_array().unwrap().is_empty());
            iam.decisions.clear();
            let spent = iam.authorize_spent(&user, accesses);
            let spent_log = iam.decisions("000000000000");
            denied += usize::from(shared.is_err());
            assert_eq!(shared.map_err(|d| d.message), spent.map_err(|d| d.message));
            let strip = |mut v: serde_json::Value| {
                for d in v.as_array_mut().unwrap() {
                    d["time"] = json!(0);
                }
                v
            };
            assert_eq!(strip(shared_log), strip(spent_log));
        }
        assert_eq!(denied, 2);
    }

    /// The principal's policies are put in one set per request and evaluated for each access
    /// without a resource policy: every access is decided as it would be alone, a resource
    /// policy counting only for its own access (another account's resources need one).
    #[test]
    fn each_access_of_a_request_is_decided_as_alone() {
        let iam = crate::Iam::new(Arc::new(service::Runtime::for_tests()), crate::Mode::Audit);
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:Get*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceAccount":"000000000000"}}},{"Effect":"Deny","Action":"ivs:DeleteChannel","Resource":"arn:aws:ivs:us-east-1:000000000000:channel/x"},{"Effect":"Allow","Action":"ivs:GetStream","Resource":"arn:aws:ivs:us-east-1:111122223333:*"}]}"#;
        let user = user_with_policy(&iam, "u", doc);
        let own = "arn:aws:ivs:us-east-1:000000000000:channel/x";
        let other = "arn:aws:ivs:us-east-1:111122223333:channel/y";
        let own_z = "arn:aws:ivs:us-east-1:000000000000:channel/z";
        let allow_user = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"ivs:DeleteChannel","Resource":"*"}}]}}"#,
            user.principal.arn
        );
        let accesses = vec![
            Access::new("ivs:GetChannel", own),
            Access::new("ivs:DeleteChannel", own_z)
                .with_resource_policy(service::ResourcePolicy::new(allow_user)),
            Access::new("ivs:DeleteChannel", own_z),
            Access::new("ivs:DeleteChannel", own),
            Access::new("ivs:GetChannel", other),
            Access::new("ivs:GetStream", other),
            Access::new("ivs:GetChannel", "*"),
        ];
        let decided = |accesses: &[Access]| {
            iam.decisions.clear();
            iam.authorize(&user, accesses).unwrap();
            let log = iam.decisions("000000000000");
            let decisions = log.as_array().unwrap().iter();
            decisions
                .map(|d| d["decision"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let together = decided(&accesses);
        let alone: Vec<String> = accesses
            .iter()
            .flat_map(|a| decided(std::slice::from_ref(a)))
            .collect();
        assert_eq!(together, alone);
        assert_eq!(
            together,
            [
                "allowed",
                "allowed",
                "implicitDeny",
                "explicitDeny",
                "implicitDeny",
                "implicitDeny",
                "allowed"
            ]
        );
    }
}
