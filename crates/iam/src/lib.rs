//! IAM and STS for mediamock: the identity store (accounts, users, groups, roles, managed and
//! inline policies, access keys, STS sessions), the IAM and STS APIs, and the authorize stage
//! that evaluates every request with the `policy` crate.

// ServiceError is the workspace-wide error type of the service seam; boxing it is its owner's call.

pub mod api;
pub mod auth_message;
pub mod authorize;
pub mod bootstrap;
pub mod bootstrap_federation;
pub mod console_sign_in;
pub mod context_keys;
pub mod credentials;
pub mod decisions;
mod derived;
pub mod doc;
pub mod ids;
pub mod jwt;
pub mod last_accessed;
pub mod managed;
pub mod outbound;
mod public_keys;
pub mod resolve;
pub mod saml;
mod service_roles;
mod state_lock;
pub mod store;
pub mod tenancy;
pub mod xmldsig;

use decisions::DecisionLogBook;
use doc::{Doc, DocKind};
use service::{Access, Principal, PrincipalKind, RequestContext, Runtime};
use state_lock::StateLock;
use std::sync::Arc;
use store::{KeyOwner, LastUsed, State};

/// Whether IAM accepts the credentials `p` signs with. GetSessionToken credentials obtained
/// without MFA are refused — "You cannot call any IAM API operations unless MFA
/// authentication information is included in the request" — and AWS answers as for an
/// unknown token (`InvalidClientTokenId`). GetFederationToken credentials are refused
/// whatever their policy — "You cannot call any IAM operations using the CLI or the Amazon
/// Web Services API. This limitation does not apply to console sessions." (the STS API
/// Reference) — with the same answer. Console sessions act as the user and are accepted.
pub fn iam_accepts(p: &Principal) -> bool {
    match (&p.kind, &p.session) {
        (PrincipalKind::User | PrincipalKind::Account, Some(s)) => s.mfa_present || s.console,
        (PrincipalKind::FederatedUser, Some(s)) => s.console,
        (PrincipalKind::FederatedUser, None) => false,
        _ => true,
    }
}

/// Whether denials are enforced or only logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Denied requests fail with AccessDenied.
    Enforce,
    /// Denied requests are logged (`tracing::warn`) and go ahead.
    Audit,
}

/// What the authenticate stage needs to know about an access key.
#[derive(Debug, Clone)]
pub struct KeyLookup {
    /// The secret to verify the signature with.
    pub secret_access_key: String,
    /// The session token the request must carry (temporary credentials).
    pub session_token: Option<String>,
    /// When temporary credentials expire, seconds since the epoch.
    pub expires_at: Option<f64>,
    /// Who the key acts as.
    pub principal: Arc<Principal>,
}

/// A refused request, with AWS's AccessDenied message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    /// The message (`User: … is not authorized to perform: …`).
    pub message: String,
}

/// How fresh a key's recorded last use may be before a request updates it again, seconds
/// (AWS reports last use at a coarser grain still).
const LAST_USED_RESOLUTION_SECONDS: f64 = 1.0;

/// The identity store and the IAM and STS services.
pub struct Iam {
    pub(crate) runtime: Arc<Runtime>,
    pub(crate) mode: Mode,
    pub(crate) state: StateLock,
    pub(crate) decisions: DecisionLogBook,
    /// Each user's and role's last attempt at each action (service last accessed reports).
    pub(crate) last_accessed: last_accessed::LastAccessed,
    /// Service last accessed report jobs.
    pub(crate) access_reports: api::iam::AccessReports,
    /// Root's implicit "allow everything" identity policy.
    pub(crate) root_admin: Doc,
    /// Recent failed console sign-ins by submitted account and user name.
    pub(crate) sign_in_failures: console_sign_in::Failures,
}

impl std::fmt::Debug for Iam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iam").field("mode", &self.mode).finish()
    }
}

const ROOT_ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

impl Iam {
    /// A store with the built-in account 000000000000 whose root access key is `test`/`test`.
    pub fn new(runtime: Arc<Runtime>, mode: Mode) -> Arc<Iam> {
        let root_admin = match Doc::parse(ROOT_ADMIN, DocKind::Identity) {
            Ok(d) => d,
            Err(e) => panic!("built-in root policy must parse: {e}"),
        };
        Arc::new(Iam {
            runtime,
            mode,
            state: StateLock::new(State::new()),
            decisions: DecisionLogBook::default(),
            last_accessed: Default::default(),
            access_reports: Default::default(),
            root_admin,
            sign_in_failures: console_sign_in::Failures::default(),
        })
    }

    /// The enforcement mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Whether [`Iam::lookup_key`] would find `access_key_id`, without building its
    /// principal (the check made before a request's body is read).
    pub fn knows_key(&self, access_key_id: &str) -> bool {
        let state = self.state.read();
        // A key whose lookup this thread keeps for this version is known (it was found in
        // it): no probe of the store's session and key tables, every request's first step.
        if derived::key_kept(state.version(), access_key_id) {
            return true;
        }
        if state.sessions.contains_key(access_key_id) {
            return true;
        }
        match state.keys.get(access_key_id) {
            None => false,
            Some(KeyOwner::Root(account)) => state
                .account(account)
                .is_some_and(|a| a.rec.active_root_secret(access_key_id).is_some()),
            Some(KeyOwner::User(account, lname)) => state
                .account(account)
                .and_then(|a| a.users.get(lname))
                .and_then(|u| u.keys.iter().find(|k| k.id == access_key_id))
                .is_some_and(|k| k.status == "Active"),
        }
    }

    /// The secret and principal of an access key: root keys, Active user keys, and STS
    /// session keys (expired ones too, so the caller can answer ExpiredToken).
    pub fn lookup_key(&self, access_key_id: &str) -> Option<KeyLookup> {
        let state = self.state.read();
        derived::key(state.version(), access_key_id, || {
            Self::lookup_in(&state, access_key_id)
        })
    }

    /// [`Iam::lookup_key`] in `state`.
    fn lookup_in(state: &State, access_key_id: &str) -> Option<KeyLookup> {
        if let Some(s) = state.sessions.get(access_key_id) {
            return Some(KeyLookup {
                secret_access_key: s.secret.clone(),
                session_token: Some(s.token.clone()),
                expires_at: Some(s.expires_at),
                principal: Arc::new(s.principal.clone()),
            });
        }
        match state.keys.get(access_key_id)? {
            KeyOwner::Root(account) => {
                let a = state.account(account)?;
                Some(KeyLookup {
                    secret_access_key: a.rec.active_root_secret(access_key_id)?.to_string(),
                    session_token: None,
                    expires_at: None,
                    principal: Arc::new(Principal::root(account, access_key_id)),
                })
            }
            KeyOwner::User(account, lname) => {
                let u = state.account(account)?.users.get(lname)?;
                let key = u.keys.iter().find(|k| k.id == access_key_id)?;
                if key.status != "Active" {
                    return None;
                }
                Some(KeyLookup {
                    secret_access_key: key.secret.clone(),
                    session_token: None,
                    expires_at: None,
                    principal: Arc::new(user_principal(u, access_key_id)),
                })
            }
        }
    }

    /// Records the last use of a user's access key (GetAccessKeyLastUsed).
    pub fn record_key_use(&self, access_key_id: &str, service: &str, region: &str) {
        let now = self.runtime.clock.now();
        // Every request passes here: look under the read lock first, and take the write lock
        // only for a user key whose recorded use is stale, so requests do not queue on it.
        let fresh = |last: Option<&LastUsed>| {
            last.is_some_and(|l| {
                now - l.date < LAST_USED_RESOLUTION_SECONDS
                    && l.service == service
                    && l.region == region
            })
        };
        {
            let state = self.state.read();
            let Some(KeyOwner::User(account, lname)) = state.keys.get(access_key_id) else {
                return;
            };
            let current = state
                .account(account)
                .and_then(|a| a.users.get(lname))
                .and_then(|u| u.keys.iter().find(|k| k.id == access_key_id));
            if current.is_none_or(|k| fresh(k.last_used.as_ref())) {
                return;
            }
        }
        // Only the key's last use changes: nothing derived from the store reads it.
        let mut state = self.state.write_unversioned();
        let Some(KeyOwner::User(account, lname)) = state.keys.get(access_key_id).cloned() else {
            return;
        };
        let Some(u) = state
            .account_mut(&account)
            .and_then(|a| a.users.get_mut(&lname))
        else {
            return;
        };
        if let Some(k) = u.keys.iter_mut().find(|k| k.id == access_key_id) {
            k.last_used = Some(LastUsed {
                date: now,
                service: service.to_string(),
                region: region.to_string(),
            });
        }
    }

    /// The authorize stage: evaluates every access for `ctx.principal`. In audit mode
    /// would-be denials are logged and the request goes ahead.
    pub fn authorize(&self, ctx: &RequestContext, accesses: &[Access]) -> Result<(), Denial> {
        let state = self.state.read();
        self.authorize_in(&state, Some(state.version()), ctx, accesses)
    }

    /// An encoded authorization message (for services that answer denials with one) that
    /// `sts:DecodeAuthorizationMessage` turns back into its JSON.
    pub fn encode_authorization_message(&self, decoded: &serde_json::Value) -> String {
        auth_message::encode(&self.runtime.token_key, &decoded.to_string())
    }

    /// Recent decisions about principals of `account`, as JSON.
    pub fn decisions(&self, account: &str) -> serde_json::Value {
        self.decisions.to_json(account)
    }

    /// The IAM API as a service (signing name `iam`).
    pub fn iam_service(self: &Arc<Self>) -> Arc<dyn service::Service> {
        Arc::new(api::iam::IamService(self.clone()))
    }

    /// The STS API as a service (signing name `sts`).
    pub fn sts_service(self: &Arc<Self>) -> Arc<dyn service::Service> {
        Arc::new(api::sts::StsService(self.clone()))
    }

    /// Loads a bootstrap file (TOML or JSON by extension).
    pub fn load_bootstrap(&self, path: &std::path::Path) -> Result<(), String> {
        bootstrap::load_file(self, path)
    }

    /// Whether an account exists.
    pub fn account_exists(&self, account: &str) -> bool {
        self.state.read().account(account).is_some()
    }

    /// The root ARNs of every account.
    pub fn account_root_arns(&self) -> Vec<String> {
        let state = self.state.read();
        state
            .accounts
            .keys()
            .map(|a| format!("arn:aws:iam::{a}:root"))
            .collect()
    }

    /// Every durable record of the current state.
    pub fn records(&self) -> Vec<service::Record> {
        self.state.read().records()
    }

    /// Re-applies a record written earlier.
    pub fn restore(&self, record: &service::Record) -> Result<(), String> {
        self.state.write().apply(record)
    }

    /// Back to the built-in account only.
    pub fn reset(&self) {
        *self.state.write() = State::new();
        self.decisions.clear();
        self.last_accessed.clear();
        self.access_reports.clear();
    }
}

/// The principal an IAM user's long-term key acts as.
pub(crate) fn user_principal(u: &store::User, access_key_id: &str) -> Principal {
    Principal {
        account: u.account.clone(),
        arn: u.arn(),
        kind: PrincipalKind::User,
        user_id: u.id.clone(),
        username: Some(u.name.clone()),
        access_key_id: access_key_id.to_string(),
        session: None,
    }
}

#[cfg(test)]
mod iam_accepts_tests {
    use super::*;
    use service::SessionInfo;

    fn principal(kind: PrincipalKind, session: Option<SessionInfo>) -> Principal {
        let mut p = Principal::root("000000000000", "AKIDEXAMPLE");
        p.kind = kind;
        p.session = session;
        p
    }

    #[test]
    fn iam_refuses_only_session_tokens_obtained_without_mfa() {
        let plain = SessionInfo::default();
        let mfa = SessionInfo {
            mfa_present: true,
            ..SessionInfo::default()
        };
        let console = SessionInfo {
            console: true,
            ..SessionInfo::default()
        };
        for kind in [PrincipalKind::User, PrincipalKind::Account] {
            assert!(iam_accepts(&principal(kind, None)));
            assert!(!iam_accepts(&principal(kind, Some(plain.clone()))));
            assert!(iam_accepts(&principal(kind, Some(mfa.clone()))));
            assert!(iam_accepts(&principal(kind, Some(console.clone()))));
        }
        // GetFederationToken's sessions call no IAM operation, MFA or not, outside the console.
        assert!(!iam_accepts(&principal(
            PrincipalKind::FederatedUser,
            Some(plain.clone())
        )));
        assert!(!iam_accepts(&principal(
            PrincipalKind::FederatedUser,
            Some(mfa)
        )));
        assert!(iam_accepts(&principal(
            PrincipalKind::FederatedUser,
            Some(console)
        )));
        // Role sessions are IAM's ordinary callers.
        assert!(iam_accepts(&principal(
            PrincipalKind::AssumedRole,
            Some(plain)
        )));
    }
}
