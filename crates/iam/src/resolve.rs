//! Which policies apply to a principal: identity policies (user + groups, or the role),
//! the permissions boundary and session policies, each with its source for explanations.

use crate::doc::{Doc, DocKind};
use crate::managed;
use crate::store::{AccountState, State};
use policy::{PolicySource, SourceKind};
use service::{Principal, PrincipalKind};

/// The policies that govern one principal.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    /// Identity-based policies.
    pub identity: Vec<(Doc, PolicySource)>,
    /// The permissions boundary.
    pub boundary: Option<(Doc, PolicySource)>,
    /// Session policies (`Some` for sessions that were given any, or federated users).
    pub session: Option<Vec<(Doc, PolicySource)>>,
}

fn source(kind: SourceKind, id: &str, name: Option<&str>) -> PolicySource {
    PolicySource {
        kind,
        id: id.into(),
        name: name.map(Into::into),
    }
}

/// The stored document of a managed policy ARN with its source, as `account` may use it: an
/// AWS managed policy, or one of `account`'s own. Another account's customer managed policy
/// is nobody else's to attach, use as a boundary or pass to a session (AWS: "The policies
/// must exist in the same account as the role"), so it resolves to nothing.
pub fn managed_doc(state: &State, account: &str, arn: &str) -> Option<(Doc, PolicySource)> {
    if let Some(p) = managed::by_arn(arn) {
        return Some((
            p.doc()?.clone(),
            source(SourceKind::AwsManaged, arn, Some(p.name())),
        ));
    }
    if arn.split(':').nth(4)? != account {
        return None;
    }
    let p = state.account(account)?.policy_by_arn(arn)?;
    Some((
        p.default()?.doc.clone(),
        source(SourceKind::CustomerManaged, arn, Some(&p.name)),
    ))
}

fn inline(
    out: &mut Vec<(Doc, PolicySource)>,
    docs: &std::collections::BTreeMap<String, Doc>,
    kind: SourceKind,
    owner: &str,
) {
    for (name, d) in docs {
        out.push((
            d.clone(),
            source(kind, &format!("{owner}_{name}"), Some(name)),
        ));
    }
}

/// The boundary an entity has set. One that no longer resolves (another account's policy
/// kept by a data dir from before such boundaries were refused) allows nothing: a boundary
/// never fails open.
fn boundary(state: &State, account: &str, arn: Option<&String>) -> Option<(Doc, PolicySource)> {
    let arn = arn?;
    let Some((d, mut src)) = managed_doc(state, account, arn) else {
        return Some((allows_nothing(), source(SourceKind::Boundary, arn, None)));
    };
    src.kind = SourceKind::Boundary;
    Some((d, src))
}

/// A boundary document that allows no action.
fn allows_nothing() -> Doc {
    static DOC: std::sync::OnceLock<Doc> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"*","Resource":"*"}]}"#;
        Doc::parse(text, DocKind::Boundary).expect("a valid boundary document")
    })
    .clone()
}

/// Identity policies and boundary of an IAM user (with its groups).
pub fn for_user(state: &State, account: &AccountState, lname: &str) -> Resolved {
    let mut r = Resolved::default();
    let Some(u) = account.users.get(lname) else {
        return r;
    };
    let id = account.rec.id.as_str();
    inline(&mut r.identity, &u.inline, SourceKind::User, &u.name);
    for arn in &u.attached {
        r.identity.extend(managed_doc(state, id, arn));
    }
    for g in &u.groups {
        if let Some(g) = account.groups.get(&g.to_lowercase()) {
            inline(&mut r.identity, &g.inline, SourceKind::Group, &g.name);
            for arn in &g.attached {
                r.identity.extend(managed_doc(state, id, arn));
            }
        }
    }
    r.boundary = boundary(state, id, u.boundary.as_ref());
    r
}

/// Identity policies and boundary of a role.
pub fn for_role(state: &State, account: &AccountState, lname: &str) -> Resolved {
    let mut r = Resolved::default();
    let Some(role) = account.roles.get(lname) else {
        return r;
    };
    let id = account.rec.id.as_str();
    inline(&mut r.identity, &role.inline, SourceKind::Role, &role.name);
    for arn in &role.attached {
        r.identity.extend(managed_doc(state, id, arn));
    }
    r.boundary = boundary(state, id, role.boundary.as_ref());
    r
}

fn last_segment(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or_default().to_lowercase()
}

fn session_policies(state: &State, p: &Principal) -> Vec<(Doc, PolicySource)> {
    let mut out = Vec::new();
    if let Some(s) = state.sessions.get(&p.access_key_id) {
        for d in &s.policies {
            out.push((
                d.clone(),
                source(SourceKind::Session, "PolicyInputList.1", None),
            ));
        }
    } else if let Some(info) = &p.session {
        for text in &info.policies {
            if let Ok(d) = Doc::parse(text, DocKind::Session) {
                out.push((d, source(SourceKind::Session, "PolicyInputList.1", None)));
            }
        }
    }
    if let Some(info) = &p.session {
        for arn in &info.policy_arns {
            if let Some((d, mut src)) = managed_doc(state, &p.account, arn) {
                src.kind = SourceKind::Session;
                out.push((d, src));
            }
        }
    }
    out
}

/// The policies of any principal; root gets `root_admin` as its only identity policy.
pub fn for_principal(state: &State, p: &Principal, root_admin: &Doc) -> Resolved {
    let Some(account) = state.account(&p.account) else {
        return Resolved::default();
    };
    match p.kind {
        PrincipalKind::Account => Resolved {
            identity: vec![(root_admin.clone(), source(SourceKind::None, "root", None))],
            ..Resolved::default()
        },
        PrincipalKind::User => {
            let lname = p.username.as_deref().unwrap_or_default().to_lowercase();
            for_user(state, account, &lname)
        }
        PrincipalKind::AssumedRole => {
            let source_arn = p.session.as_ref().map(|s| s.source_arn.as_str());
            let mut r = for_role(
                state,
                account,
                &last_segment(source_arn.unwrap_or_default()),
            );
            // A session given session policies stays limited by them: one whose managed
            // policy no longer resolves is limited by what is left, possibly nothing.
            let limited = p
                .session
                .as_ref()
                .is_some_and(|s| !s.policies.is_empty() || !s.policy_arns.is_empty())
                || state
                    .sessions
                    .get(&p.access_key_id)
                    .is_some_and(|s| !s.policies.is_empty());
            if limited {
                r.session = Some(session_policies(state, p));
            }
            r
        }
        PrincipalKind::FederatedUser => {
            let source_arn = p.session.as_ref().map(|s| s.source_arn.as_str());
            let source_arn = source_arn.unwrap_or_default();
            // A federation token of the root user has root's permissions, cut by the session policy.
            let mut r = if source_arn.ends_with(":root") {
                Resolved {
                    identity: vec![(root_admin.clone(), source(SourceKind::None, "root", None))],
                    ..Resolved::default()
                }
            } else {
                for_user(state, account, &last_segment(source_arn))
            };
            r.session = Some(session_policies(state, p));
            r
        }
        // Only resource (trust) policies can let these in.
        PrincipalKind::Anonymous | PrincipalKind::WebIdentity | PrincipalKind::SamlUser => {
            Resolved::default()
        }
    }
}
