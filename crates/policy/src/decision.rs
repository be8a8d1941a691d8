//! The outcome of an evaluation, its explanation, and AWS's AccessDenied wording.

use crate::evaluate::PolicySource;

/// The three outcomes AWS's evaluation logic can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalDecision {
    /// Some policy allowed the request and nothing denied it.
    Allowed,
    /// A `Deny` statement matched.
    ExplicitDeny,
    /// Nothing denied it, but not everything that must allow did.
    ImplicitDeny,
}

impl EvalDecision {
    /// SimulatePolicy's `EvalDecision` value.
    pub fn as_str(self) -> &'static str {
        match self {
            EvalDecision::Allowed => "allowed",
            EvalDecision::ExplicitDeny => "explicitDeny",
            EvalDecision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// The kinds of policy AWS names in denial messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyType {
    /// Policies attached to the user, its groups, or the role.
    IdentityBased,
    /// The resource's own policy (or a role's trust policy).
    ResourceBased,
    /// The entity's permissions boundary.
    PermissionsBoundary,
    /// Policies passed when the session was created.
    SessionPolicy,
}

impl PolicyType {
    /// The words AWS uses for it, with the article.
    fn with_article(self) -> &'static str {
        match self {
            PolicyType::IdentityBased => "an identity-based policy",
            PolicyType::ResourceBased => "a resource-based policy",
            PolicyType::PermissionsBoundary => "a permissions boundary",
            PolicyType::SessionPolicy => "a session policy",
        }
    }

    /// The words AWS uses after "no".
    fn bare(self) -> &'static str {
        match self {
            PolicyType::IdentityBased => "identity-based policy",
            PolicyType::ResourceBased => "resource-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::SessionPolicy => "session policy",
        }
    }
}

/// Why a request was denied, in AWS's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyReason {
    /// A `Deny` statement in a policy of this type matched.
    ExplicitDeny(PolicyType),
    /// No identity-based policy allows the action.
    NoIdentityAllow,
    /// The permissions boundary does not allow the action.
    NoBoundaryAllow,
    /// No session policy allows the action.
    NoSessionAllow,
    /// Cross-account or anonymous: the resource's policy does not allow the principal.
    NoResourceAllow,
}

/// A statement that matched the request, for explanations and SimulatePolicy.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedStatement {
    /// The policy the statement is in.
    pub source: PolicySource,
    /// The statement's `Sid`.
    pub sid: Option<std::sync::Arc<str>>,
    /// Whether it is an `Allow` statement.
    pub effect_allow: bool,
    /// Where the statement starts in the document (line, column; 1-based).
    pub start: (u32, u32),
    /// Where it ends (line, column just past the closing brace; 1-based).
    pub end: (u32, u32),
}

/// The decision for one request, with what led to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Allowed, or which kind of deny.
    pub decision: EvalDecision,
    /// Why it was denied; `None` when allowed.
    pub deny_reason: Option<DenyReason>,
    /// Every statement whose action, resource, principal and conditions matched.
    pub matched: Vec<MatchedStatement>,
    /// Condition keys that evaluated statements used but the context lacked.
    pub missing_context_keys: Vec<String>,
    /// The permissions boundary's own verdict, if one applies: it allows the action and
    /// does not deny it ("true means that the permissions boundary does not deny the
    /// action", whatever the other policies decide).
    pub boundary_allows: Option<bool>,
}

impl Decision {
    /// Whether the request may proceed.
    pub fn allowed(&self) -> bool {
        self.decision == EvalDecision::Allowed
    }

    /// AWS's AccessDenied message, e.g. `User: ARN is not authorized to perform: ACTION on
    /// resource: ARN because no identity-based policy allows the ACTION action`. The
    /// `on resource:` part is left out for `*` (actions without a resource type), as AWS does.
    pub fn denial_message(&self, principal_arn: &str, action: &str, resource: &str) -> String {
        let mut m = format!("User: {principal_arn} is not authorized to perform: {action}");
        if !resource.is_empty() && resource != "*" {
            m.push_str(" on resource: ");
            m.push_str(resource);
        }
        let reason = self.deny_reason.unwrap_or(DenyReason::NoIdentityAllow);
        let no = |t: PolicyType| format!(" because no {} allows the {action} action", t.bare());
        let tail = match reason {
            DenyReason::ExplicitDeny(t) => {
                format!(" with an explicit deny in {}", t.with_article())
            }
            DenyReason::NoIdentityAllow => no(PolicyType::IdentityBased),
            DenyReason::NoBoundaryAllow => no(PolicyType::PermissionsBoundary),
            DenyReason::NoSessionAllow => no(PolicyType::SessionPolicy),
            DenyReason::NoResourceAllow => no(PolicyType::ResourceBased),
        };
        m.push_str(&tail);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denied(r: DenyReason) -> Decision {
        Decision {
            decision: if matches!(r, DenyReason::ExplicitDeny(_)) {
                EvalDecision::ExplicitDeny
            } else {
                EvalDecision::ImplicitDeny
            },
            deny_reason: Some(r),
            matched: Vec::new(),
            missing_context_keys: Vec::new(),
            boundary_allows: None,
        }
    }

    const U: &str = "arn:aws:iam::111122223333:user/alice";
    const R: &str = "arn:aws:ivs:us-west-2:111122223333:channel/abc";

    #[test]
    fn messages_match_aws_wording() {
        assert_eq!(
            denied(DenyReason::NoIdentityAllow).denial_message(U, "ivs:GetChannel", R),
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ivs:GetChannel on resource: arn:aws:ivs:us-west-2:111122223333:channel/abc because no identity-based policy allows the ivs:GetChannel action"
        );
        let cases = [
            (
                DenyReason::ExplicitDeny(PolicyType::IdentityBased),
                "with an explicit deny in an identity-based policy",
            ),
            (
                DenyReason::ExplicitDeny(PolicyType::ResourceBased),
                "with an explicit deny in a resource-based policy",
            ),
            (
                DenyReason::ExplicitDeny(PolicyType::PermissionsBoundary),
                "with an explicit deny in a permissions boundary",
            ),
            (
                DenyReason::ExplicitDeny(PolicyType::SessionPolicy),
                "with an explicit deny in a session policy",
            ),
            (
                DenyReason::NoBoundaryAllow,
                "because no permissions boundary allows the ivs:GetChannel action",
            ),
            (
                DenyReason::NoSessionAllow,
                "because no session policy allows the ivs:GetChannel action",
            ),
            (
                DenyReason::NoResourceAllow,
                "because no resource-based policy allows the ivs:GetChannel action",
            ),
        ];
        for (reason, tail) in cases {
            let m = denied(reason).denial_message(U, "ivs:GetChannel", R);
            assert!(m.ends_with(&format!("{R} {tail}")), "{m}");
        }
    }

    #[test]
    fn no_resource_part_for_star() {
        let m = denied(DenyReason::NoIdentityAllow).denial_message(U, "ivs:ListChannels", "*");
        assert_eq!(m, "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ivs:ListChannels because no identity-based policy allows the ivs:ListChannels action");
        assert_eq!(EvalDecision::ImplicitDeny.as_str(), "implicitDeny");
        assert_eq!(EvalDecision::ExplicitDeny.as_str(), "explicitDeny");
        assert_eq!(EvalDecision::Allowed.as_str(), "allowed");
    }
}
