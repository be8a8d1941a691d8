//! Evaluation-order tests: one per rule AWS documents.

use super::*;
use crate::document::PolicyKind;
use service::{ContextValue, SessionInfo};

const ACCT: &str = "111122223333";
const OTHER: &str = "444455556666";
const CHANNEL: &str = "arn:aws:ivs:us-west-2:111122223333:channel/abc";

fn user(name: &str) -> Principal {
    Principal {
        account: ACCT.into(),
        arn: format!("arn:aws:iam::{ACCT}:user/{name}"),
        kind: PrincipalKind::User,
        user_id: "AIDAEXAMPLE".into(),
        username: Some(name.into()),
        access_key_id: "AKIAEXAMPLE".into(),
        session: None,
    }
}

fn session(account: &str, role: &str, name: &str) -> Principal {
    Principal {
        account: account.into(),
        arn: format!("arn:aws:sts::{account}:assumed-role/{role}/{name}"),
        kind: PrincipalKind::AssumedRole,
        user_id: format!("AROAEXAMPLE:{name}"),
        username: None,
        access_key_id: "ASIAEXAMPLE".into(),
        session: Some(SessionInfo {
            source_arn: format!("arn:aws:iam::{account}:role/{role}"),
            session_name: name.into(),
            ..Default::default()
        }),
    }
}

fn anonymous() -> Principal {
    (*Principal::anonymous()).clone()
}

fn policy(kind: PolicyKind, statements: &str) -> Policy {
    let json = format!(r#"{{"Version":"2012-10-17","Statement":{statements}}}"#);
    Policy::parse(&json, kind).unwrap_or_else(|e| panic!("{json}: {}", e.message))
}

fn identity(statements: &str) -> Policy {
    policy(PolicyKind::Identity, statements)
}

fn resource(statements: &str) -> Policy {
    policy(PolicyKind::Resource, statements)
}

/// A source that lives as long as the test (a `PolicySet` borrows its sources).
fn src(kind: SourceKind, id: &str) -> &'static PolicySource {
    Box::leak(Box::new(PolicySource {
        kind,
        id: id.into(),
        name: None,
    }))
}

const ALLOW_GET: &str =
    r#"{"Sid":"AllowGet","Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}"#;
const DENY_GET: &str =
    r#"{"Sid":"DenyGet","Effect":"Deny","Action":"ivs:GetChannel","Resource":"*"}"#;

struct Case<'a> {
    principal: Principal,
    action: &'a str,
    resource: &'a str,
    resource_account: Option<&'a str>,
    context: Context,
}

impl<'a> Case<'a> {
    fn new(principal: Principal) -> Self {
        Case {
            principal,
            action: "ivs:GetChannel",
            resource: CHANNEL,
            resource_account: None,
            context: Context::new(),
        }
    }

    fn run(&self, set: &PolicySet) -> Decision {
        evaluate(
            set,
            &Request {
                principal: &self.principal,
                action: self.action,
                resource: self.resource,
                resource_account: self.resource_account,
                context: &self.context,
            },
        )
    }
}

#[test]
fn nothing_attached_is_an_implicit_deny() {
    let d = Case::new(user("alice")).run(&PolicySet::default());
    assert_eq!(d.decision, EvalDecision::ImplicitDeny);
    assert_eq!(d.deny_reason, Some(DenyReason::NoIdentityAllow));
}

#[test]
fn identity_allow_and_matched_statement() {
    let p = identity(&format!("[{ALLOW_GET}]"));
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "inline"))],
        ..Default::default()
    };
    let d = Case::new(user("alice")).run(&set);
    assert!(d.allowed());
    assert_eq!(d.matched.len(), 1);
    assert_eq!(d.matched[0].sid.as_deref(), Some("AllowGet"));
    assert_eq!(d.matched[0].start, (1, 39));
    assert!(d.deny_reason.is_none());
}

#[test]
fn actions_are_case_insensitive_with_question_mark() {
    let p = identity(r#"{"Effect":"Allow","Action":"IVS:getchann?l","Resource":"*"}"#);
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    assert!(Case::new(user("alice")).run(&set).allowed());
}

#[test]
fn explicit_deny_in_identity_policy_wins() {
    let p = identity(&format!("[{ALLOW_GET},{DENY_GET}]"));
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let d = Case::new(user("alice")).run(&set);
    assert_eq!(d.decision, EvalDecision::ExplicitDeny);
    assert_eq!(
        d.denial_message("arn:aws:iam::111122223333:user/alice", "ivs:GetChannel", CHANNEL),
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ivs:GetChannel on resource: arn:aws:ivs:us-west-2:111122223333:channel/abc with an explicit deny in an identity-based policy"
    );
    // Both statements matched; an explicit deny's explanation keeps only the deny.
    assert_eq!(d.matched.len(), 1);
    assert!(!d.matched[0].effect_allow);
}

#[test]
fn not_action_with_allow() {
    let p = identity(r#"{"Effect":"Allow","NotAction":"ivs:Delete*","Resource":"*"}"#);
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    assert!(c.run(&set).allowed());
    c.action = "ivs:DeleteChannel";
    assert_eq!(c.run(&set).deny_reason, Some(DenyReason::NoIdentityAllow));
}

#[test]
fn not_resource_with_deny() {
    let p = identity(
        r#"[{"Effect":"Allow","Action":"ivs:*","Resource":"*"},
            {"Effect":"Deny","Action":"ivs:*","NotResource":"arn:aws:ivs:*:111122223333:channel/abc"}]"#,
    );
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    assert!(c.run(&set).allowed());
    c.resource = "arn:aws:ivs:us-west-2:111122223333:channel/other";
    assert_eq!(c.run(&set).decision, EvalDecision::ExplicitDeny);
}

#[test]
fn variables_in_resource() {
    let p = identity(
        r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#,
    );
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    c.action = "iam:GetUser";
    c.resource = "arn:aws:iam::111122223333:user/alice";
    c.context
        .set("aws:username", ContextValue::String("alice".into()));
    assert!(c.run(&set).allowed());
    c.resource = "arn:aws:iam::111122223333:user/bob";
    assert!(!c.run(&set).allowed());
    // Without the key the variable resolves to nothing, and the key is reported missing.
    c.context.remove("aws:username");
    c.resource = "arn:aws:iam::111122223333:user/alice";
    let d = c.run(&set);
    assert!(!d.allowed());
    assert_eq!(d.missing_context_keys, vec!["aws:username".to_string()]);
}

#[test]
fn missing_condition_keys_are_reported() {
    let p = identity(
        r#"{"Effect":"Allow","Action":"ivs:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"video"}}}"#,
    );
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    let d = c.run(&set);
    assert!(!d.allowed());
    assert_eq!(
        d.missing_context_keys,
        vec!["aws:ResourceTag/team".to_string()]
    );
    c.context
        .set("AWS:RESOURCETAG/TEAM", ContextValue::String("video".into()));
    let d = c.run(&set);
    assert!(d.allowed());
    assert!(d.missing_context_keys.is_empty());
}

#[test]
fn boundary_limits_identity_allow() {
    let p = identity(r#"{"Effect":"Allow","Action":"ivs:*","Resource":"*"}"#);
    let b = policy(
        PolicyKind::Boundary,
        r#"{"Effect":"Allow","Action":"ivs:List*","Resource":"*"}"#,
    );
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        boundary: Some((&b, src(SourceKind::Boundary, "b"))),
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    let d = c.run(&set);
    assert_eq!(d.deny_reason, Some(DenyReason::NoBoundaryAllow));
    assert!(d
        .denial_message("u", "ivs:GetChannel", CHANNEL)
        .ends_with("because no permissions boundary allows the ivs:GetChannel action"));
    c.action = "ivs:ListChannels";
    c.resource = "*";
    assert!(c.run(&set).allowed());
}

#[test]
fn explicit_deny_in_boundary_session_and_resource() {
    let allow = identity(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let deny_b = policy(PolicyKind::Boundary, &format!("[{ALLOW_GET},{DENY_GET}]"));
    let deny_s = policy(PolicyKind::Session, DENY_GET);
    let deny_r =
        resource(r#"{"Effect":"Deny","Principal":"*","Action":"ivs:GetChannel","Resource":"*"}"#);
    let c = Case::new(session(ACCT, "r", "s"));
    let with = |b: bool, s: bool, r: bool| PolicySet {
        identity: vec![(&allow, src(SourceKind::Role, "p"))],
        boundary: b.then(|| (&deny_b, src(SourceKind::Boundary, "b"))),
        session: s.then(|| vec![(&deny_s, src(SourceKind::Session, "s"))]),
        resource: r.then(|| (&deny_r, src(SourceKind::Resource, "r"))),
    };
    let cases = [
        (
            with(true, false, false),
            PolicyType::PermissionsBoundary,
            "a permissions boundary",
        ),
        (
            with(false, true, false),
            PolicyType::SessionPolicy,
            "a session policy",
        ),
        (
            with(false, false, true),
            PolicyType::ResourceBased,
            "a resource-based policy",
        ),
    ];
    for (set, t, words) in cases {
        let d = c.run(&set);
        assert_eq!(d.deny_reason, Some(DenyReason::ExplicitDeny(t)));
        assert!(d
            .denial_message(&c.principal.arn, c.action, c.resource)
            .ends_with(&format!("with an explicit deny in {words}")));
    }
}

#[test]
fn session_policies_limit_sessions() {
    let allow = identity(r#"{"Effect":"Allow","Action":"ivs:*","Resource":"*"}"#);
    let s1 = policy(
        PolicyKind::Session,
        r#"{"Effect":"Allow","Action":"ivs:List*","Resource":"*"}"#,
    );
    let s2 = policy(PolicyKind::Session, ALLOW_GET);
    let mut set = PolicySet {
        identity: vec![(&allow, src(SourceKind::Role, "p"))],
        session: Some(vec![(&s1, src(SourceKind::Session, "s1"))]),
        ..Default::default()
    };
    let c = Case::new(session(ACCT, "r", "s"));
    assert_eq!(c.run(&set).deny_reason, Some(DenyReason::NoSessionAllow));
    // Any one of the session policies may allow.
    set.session = Some(vec![
        (&s1, src(SourceKind::Session, "s1")),
        (&s2, src(SourceKind::Session, "s2")),
    ]);
    assert!(c.run(&set).allowed());
    // A session policy alone grants nothing.
    set.identity.clear();
    assert_eq!(c.run(&set).deny_reason, Some(DenyReason::NoIdentityAllow));
}

fn grant_to(principal: &str) -> Policy {
    resource(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"ivs:GetChannel","Resource":"{CHANNEL}"}}"#
    ))
}

#[test]
fn same_account_resource_policy_naming_user_ignores_boundary() {
    let r = grant_to("arn:aws:iam::111122223333:user/alice");
    let b = policy(
        PolicyKind::Boundary,
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let set = PolicySet {
        boundary: Some((&b, src(SourceKind::Boundary, "b"))),
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert!(Case::new(user("alice")).run(&set).allowed());
    assert_eq!(
        Case::new(user("bob")).run(&set).deny_reason,
        Some(DenyReason::NoIdentityAllow)
    );
}

#[test]
fn same_account_resource_policy_naming_session_ignores_boundary_and_session() {
    let r = grant_to("arn:aws:sts::111122223333:assumed-role/r/s");
    let b = policy(
        PolicyKind::Boundary,
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let sp = policy(
        PolicyKind::Session,
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let set = PolicySet {
        boundary: Some((&b, src(SourceKind::Boundary, "b"))),
        session: Some(vec![(&sp, src(SourceKind::Session, "sp"))]),
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert!(Case::new(session(ACCT, "r", "s")).run(&set).allowed());
    assert!(!Case::new(session(ACCT, "r", "other")).run(&set).allowed());
}

#[test]
fn same_account_resource_policy_naming_role_is_limited_by_boundary_and_session() {
    let r = grant_to("arn:aws:iam::111122223333:role/r");
    let c = Case::new(session(ACCT, "r", "s"));
    let alone = PolicySet {
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    // Granting to the role stands in for an identity-based allow...
    assert!(c.run(&alone).allowed());
    // ...but the boundary and session policies still apply.
    let b = policy(
        PolicyKind::Boundary,
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let bounded = PolicySet {
        boundary: Some((&b, src(SourceKind::Boundary, "b"))),
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert_eq!(
        c.run(&bounded).deny_reason,
        Some(DenyReason::NoBoundaryAllow)
    );
    let sp = policy(
        PolicyKind::Session,
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
    );
    let limited = PolicySet {
        session: Some(vec![(&sp, src(SourceKind::Session, "sp"))]),
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert_eq!(
        c.run(&limited).deny_reason,
        Some(DenyReason::NoSessionAllow)
    );
}

#[test]
fn same_account_resource_policy_naming_account_needs_identity_allow() {
    let r = grant_to("111122223333");
    let set = PolicySet {
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert_eq!(
        Case::new(user("alice")).run(&set).deny_reason,
        Some(DenyReason::NoIdentityAllow)
    );
}

#[test]
fn cross_account_needs_both_sides() {
    let id = identity(ALLOW_GET);
    let r = grant_to("arn:aws:iam::444455556666:root");
    let mut c = Case::new(session(OTHER, "r", "s"));
    c.resource_account = Some(ACCT);
    let identity_only = PolicySet {
        identity: vec![(&id, src(SourceKind::Role, "p"))],
        ..Default::default()
    };
    let d = c.run(&identity_only);
    assert_eq!(d.deny_reason, Some(DenyReason::NoResourceAllow));
    assert!(d
        .denial_message(&c.principal.arn, c.action, c.resource)
        .ends_with("because no resource-based policy allows the ivs:GetChannel action"));
    let resource_only = PolicySet {
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert_eq!(
        c.run(&resource_only).deny_reason,
        Some(DenyReason::NoIdentityAllow)
    );
    let both = PolicySet {
        identity: vec![(&id, src(SourceKind::Role, "p"))],
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert!(c.run(&both).allowed());
    // Naming the exact session across accounts still needs the identity side.
    let exact = grant_to("arn:aws:sts::444455556666:assumed-role/r/s");
    let exact_only = PolicySet {
        resource: Some((&exact, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert_eq!(
        c.run(&exact_only).deny_reason,
        Some(DenyReason::NoIdentityAllow)
    );
}

#[test]
fn anonymous_needs_a_public_resource_policy() {
    let public =
        resource(r#"{"Effect":"Allow","Principal":"*","Action":"ivs:GetChannel","Resource":"*"}"#);
    let named = grant_to("111122223333");
    let c = Case::new(anonymous());
    assert!(c
        .run(&PolicySet {
            resource: Some((&public, src(SourceKind::Resource, "r"))),
            ..Default::default()
        })
        .allowed());
    assert_eq!(
        c.run(&PolicySet {
            resource: Some((&named, src(SourceKind::Resource, "r"))),
            ..Default::default()
        })
        .deny_reason,
        Some(DenyReason::NoResourceAllow)
    );
    assert_eq!(
        c.run(&PolicySet::default()).deny_reason,
        Some(DenyReason::NoResourceAllow)
    );
}

#[test]
fn root_is_allowed_except_by_resource_deny() {
    let root = Principal::root(ACCT, "AKIAROOT");
    let c = Case::new(root);
    assert!(c.run(&PolicySet::default()).allowed());
    let deny = resource(r#"{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}"#);
    let d = c.run(&PolicySet {
        resource: Some((&deny, src(SourceKind::Resource, "r"))),
        ..Default::default()
    });
    assert_eq!(
        d.deny_reason,
        Some(DenyReason::ExplicitDeny(PolicyType::ResourceBased))
    );
}

#[test]
fn conditions_gate_statements() {
    let p = identity(
        r#"{"Effect":"Allow","Action":"ivs:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:SecureTransport":"true"}}}"#,
    );
    let set = PolicySet {
        identity: vec![(&p, src(SourceKind::User, "p"))],
        ..Default::default()
    };
    let mut c = Case::new(user("alice"));
    c.context
        .set("aws:SourceIp", ContextValue::String("10.1.2.3".into()));
    c.context
        .set("aws:SecureTransport", ContextValue::Bool(false));
    assert!(!c.run(&set).allowed());
    c.context
        .set("aws:SecureTransport", ContextValue::Bool(true));
    assert!(c.run(&set).allowed());
}

#[test]
fn trust_policy_through_evaluate() {
    let trust = policy(
        PolicyKind::Trust,
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}"#,
    );
    let mut c = Case::new(user("alice"));
    c.action = "sts:AssumeRole";
    c.resource = "arn:aws:iam::111122223333:role/r";
    let set = PolicySet {
        resource: Some((&trust, src(SourceKind::Resource, "trust"))),
        ..Default::default()
    };
    assert!(c.run(&set).allowed());
    assert!(crate::principal_matches(&trust, &user("alice")));
    assert!(!crate::principal_matches(&trust, &user("bob")));
}

#[test]
fn deny_with_not_principal_always_hits_a_principal_with_a_boundary() {
    let allow = identity(ALLOW_GET);
    let b = policy(PolicyKind::Boundary, ALLOW_GET);
    let r = resource(
        r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:user/alice","arn:aws:iam::111122223333:root"]},"Action":"ivs:*","Resource":"*"}"#,
    );
    let mut set = PolicySet {
        identity: vec![(&allow, src(SourceKind::User, "p"))],
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    let c = Case::new(user("alice"));
    assert!(c.run(&set).allowed());
    assert_eq!(
        Case::new(user("bob")).run(&set).decision,
        EvalDecision::ExplicitDeny
    );
    set.boundary = Some((&b, src(SourceKind::Boundary, "b")));
    assert_eq!(c.run(&set).decision, EvalDecision::ExplicitDeny);
}

#[test]
fn a_trust_policy_must_name_the_principal_even_in_its_own_account() {
    let trust = policy(
        PolicyKind::Trust,
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}"#,
    );
    let admin = identity(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
    let set = PolicySet {
        identity: vec![(&admin, src(SourceKind::User, "p"))],
        resource: Some((&trust, src(SourceKind::Resource, "role"))),
        ..Default::default()
    };
    let role = "arn:aws:iam::111122223333:role/target";
    let mut c = Case::new(user("alice"));
    c.action = "sts:AssumeRole";
    c.resource = role;
    assert!(c.run(&set).allowed());
    let mut c = Case::new(user("bob"));
    c.action = "sts:AssumeRole";
    c.resource = role;
    assert_eq!(c.run(&set).deny_reason, Some(DenyReason::NoResourceAllow));
    // The same statement in a resource policy lets the identity side decide.
    let r = resource(
        r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole","Resource":"*"}"#,
    );
    let as_resource = PolicySet {
        identity: vec![(&admin, src(SourceKind::User, "p"))],
        resource: Some((&r, src(SourceKind::Resource, "r"))),
        ..Default::default()
    };
    assert!(c.run(&as_resource).allowed());
}
