//! Console sign-in of an IAM user with a password (a login profile), checked as AWS's
//! sign-in page checks it: one refusal for a wrong account, user or password or a user
//! without a login profile, a required reset (or an expired password) that must be done
//! before anything else, and a session of the user's own permissions on success.

use crate::credentials::password;
use crate::store::{Session, State};
use crate::{ids, user_principal, Iam};
use service::{Journal, SessionInfo};

/// AWS's sign-in page's words for any wrong account, user name or password.
pub const INCORRECT: &str = "Your authentication information is incorrect. Please try again.";

/// How long a console session of an IAM user lasts (AWS: 12 hours).
pub const SESSION_SECONDS: f64 = 12.0 * 3600.0;

/// A hash verified when there is no profile to verify against, so a missing user costs
/// the same time as a wrong password and timing does not tell which users exist.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| password::hash("no such user", b"mediamock-decoy!").unwrap_or_default())
}

/// Failed attempts for one account and user name before further ones wait.
pub const MAX_FAILURES: u32 = 5;

/// How long failures count, seconds.
pub const FAILURE_WINDOW_SECONDS: f64 = 300.0;

/// Failed sign-ins by the names submitted (whether or not they exist, so the throttle
/// tells nothing either): count and time of the first failure in the window.
#[derive(Debug, Default)]
pub struct Failures(parking_lot::Mutex<std::collections::HashMap<String, (u32, f64)>>);

impl Failures {
    fn key(req: &SignInRequest) -> String {
        format!(
            "{}/{}",
            req.account.trim().to_lowercase(),
            req.user_name.to_lowercase()
        )
    }

    /// Seconds to wait before another attempt, if the names are throttled.
    fn wait(&self, req: &SignInRequest, now: f64) -> Option<u64> {
        let mut m = self.0.lock();
        // Forget stale entries so the map stays as small as recent guessing.
        m.retain(|_, (_, first)| now - *first < FAILURE_WINDOW_SECONDS);
        let (n, first) = *m.get(&Self::key(req))?;
        (n >= MAX_FAILURES).then(|| (first + FAILURE_WINDOW_SECONDS - now).ceil().max(1.0) as u64)
    }

    fn failed(&self, req: &SignInRequest, now: f64) {
        let mut m = self.0.lock();
        let e = m.entry(Self::key(req)).or_insert((0, now));
        e.0 += 1;
    }

    fn succeeded(&self, req: &SignInRequest) {
        self.0.lock().remove(&Self::key(req));
    }
}

/// What the browser sends.
#[derive(Debug, Clone, Default)]
pub struct SignInRequest {
    /// The account ID (12 digits) or the account's alias.
    pub account: String,
    /// The IAM user name (case-insensitive, as IAM names are).
    pub user_name: String,
    /// The current password.
    pub password: String,
    /// The new password, when a reset is required.
    pub new_password: Option<String>,
}

/// Temporary credentials of a console session.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleSession {
    /// `ASIA…` access key ID.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
    /// Session token every signed request carries.
    pub session_token: String,
    /// Expiry, seconds since the epoch.
    pub expiration: f64,
    /// The user's ARN.
    pub arn: String,
    /// The account ID.
    pub account: String,
}

/// Why a sign-in did not yield a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Wrong account, user or password, or no login profile: one answer for all.
    Incorrect,
    /// Too many failures for these names lately: try again after this many seconds.
    Throttled {
        /// Seconds until the window ends.
        retry_after: u64,
    },
    /// The password is right but must be replaced first (PasswordResetRequired or expired).
    NewPasswordRequired {
        /// Why: reset required or expired.
        reason: String,
    },
    /// The expired password may not be changed by the user (HardExpiry): an admin must.
    Expired,
    /// The new password was refused (policy, reuse, or no iam:ChangePassword permission).
    NewPasswordRefused {
        /// AWS's error code.
        code: String,
        /// AWS's message.
        message: String,
    },
}

/// The account ID `id_or_alias` names, if any.
fn account_id(s: &State, id_or_alias: &str) -> Option<String> {
    let wanted = id_or_alias.trim();
    if s.account(wanted).is_some() {
        return Some(wanted.to_string());
    }
    let lower = wanted.to_lowercase();
    s.accounts
        .iter()
        .find(|(_, a)| a.settings.aliases.contains(&lower))
        .map(|(id, _)| id.clone())
}

impl Iam {
    /// Signs a user in with a console password; on success records the password's use
    /// (`PasswordLastUsed`) and stores a session of the user's own permissions.
    pub fn console_sign_in(
        &self,
        req: &SignInRequest,
        journal: &Journal,
    ) -> Result<ConsoleSession, SignInError> {
        let now = self.runtime.clock.now();
        if let Some(retry_after) = self.sign_in_failures.wait(req, now) {
            return Err(SignInError::Throttled { retry_after });
        }
        let out = self.check_sign_in(req, journal, now);
        match &out {
            Err(SignInError::Incorrect) => self.sign_in_failures.failed(req, now),
            Ok(_) => self.sign_in_failures.succeeded(req),
            Err(_) => {}
        }
        out
    }

    fn check_sign_in(
        &self,
        req: &SignInRequest,
        journal: &Journal,
        now: f64,
    ) -> Result<ConsoleSession, SignInError> {
        // The hash is verified outside the write lock: other requests do not wait on argon2.
        let state = self.state.read();
        let found = account_id(&state, &req.account).and_then(|account| {
            let a = state.account(&account)?;
            let user = a.users.get(&req.user_name.to_lowercase())?.clone();
            let profile = a.login_profiles.get(&user.id)?.clone();
            let policy = a.settings.password_policy.clone();
            Some((user, profile, policy))
        });
        let stored = found
            .as_ref()
            .map_or(decoy_hash(), |(_, p, _)| p.hash.as_str());
        let stored = stored.to_string();
        drop(state);
        let right = password::verify(&req.password, &stored);
        let (user, mut profile, policy) = match found {
            Some(f) if right => f,
            _ => return Err(SignInError::Incorrect),
        };
        let mut state = self.state.write();
        let current = state
            .account(&user.account)
            .and_then(|a| a.login_profiles.get(&user.id));
        if current.is_none_or(|p| p.hash != profile.hash) {
            // Changed or removed while the password was checked.
            return Err(SignInError::Incorrect);
        }
        let expired = policy.as_ref().is_some_and(|p| {
            p.max_age > 0 && now - profile.changed > f64::from(p.max_age) * 86_400.0
        });
        if expired && policy.as_ref().is_some_and(|p| p.hard_expiry) {
            return Err(SignInError::Expired);
        }
        if profile.reset_required || expired {
            let Some(new) = req.new_password.as_deref() else {
                let reason = if profile.reset_required {
                    "You must change your password to continue."
                } else {
                    "Your password has expired. You must change your password to continue."
                };
                return Err(SignInError::NewPasswordRequired {
                    reason: reason.into(),
                });
            };
            // AWS lets a user change a required password only as iam:ChangePassword allows.
            let principal = std::sync::Arc::new(user_principal(&user, ""));
            let ctx = service::RequestContext::new("console-sign-in", principal, "us-east-1");
            let access = service::Access::new("iam:ChangePassword", user.arn());
            if let Err(d) = self.authorize_in(&state, None, &ctx, &[access]) {
                return Err(SignInError::NewPasswordRefused {
                    code: "AccessDenied".into(),
                    message: d.message,
                });
            }
            let mut previous = vec![profile.hash.clone()];
            previous.extend(profile.history.iter().cloned());
            if let Err(e) =
                crate::api::iam::check_new_password(&state, &user.account, new, &previous)
            {
                return Err(SignInError::NewPasswordRefused {
                    code: e.code.clone(),
                    message: e.message.clone(),
                });
            }
            let salt = self.runtime.ids.bytes(16);
            profile.hash =
                password::hash(new, &salt).map_err(|message| SignInError::NewPasswordRefused {
                    code: "ServiceFailure".into(),
                    message,
                })?;
            previous.truncate(24);
            profile.history = previous;
            profile.changed = now.floor();
            profile.reset_required = false;
        }
        profile.last_used = Some(now.floor());
        state.put_login_profile(journal, profile);
        let ids = &self.runtime.ids;
        let key = ids::access_key_id(ids, ids::SESSION_KEY, &user.account);
        let mut principal = user_principal(&user, &key);
        let expires = (now + SESSION_SECONDS).floor();
        principal.session = Some(SessionInfo {
            source_arn: user.arn(),
            session_name: String::new(),
            issued_at: now.floor(),
            expires_at: expires,
            mfa_present: false,
            console: true,
            ..SessionInfo::default()
        });
        let session = Session {
            access_key_id: key,
            secret: ids::secret_key(ids),
            token: ids::session_token(ids),
            principal,
            expires_at: expires,
            policies: Vec::new(),
            federated_provider: None,
        };
        let out = ConsoleSession {
            access_key_id: session.access_key_id.clone(),
            secret_access_key: session.secret.clone(),
            session_token: session.token.clone(),
            expiration: expires,
            arn: user.arn(),
            account: user.account.clone(),
        };
        state.put_session(journal, session);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{call, iam, root_ctx, user_ctx, ACCOUNT};
    use serde_json::json;
    use std::sync::Arc;

    const PW: &str = "Initial-Passw0rd";

    fn with_profile(iam: &Arc<Iam>, name: &str, reset: bool) {
        user_ctx(iam, name);
        call(
            iam,
            &root_ctx(),
            "CreateLoginProfile",
            json!({"UserName": name, "Password": PW, "PasswordResetRequired": reset}),
        )
        .unwrap();
    }

    fn sign_in(
        iam: &Iam,
        account: &str,
        user: &str,
        pw: &str,
        new: Option<&str>,
    ) -> Result<ConsoleSession, SignInError> {
        let req = SignInRequest {
            account: account.into(),
            user_name: user.into(),
            password: pw.into(),
            new_password: new.map(str::to_string),
        };
        iam.console_sign_in(&req, &Journal::default())
    }

    fn allow_change_password(iam: &Arc<Iam>, name: &str) {
        let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "iam:ChangePassword", "Resource": format!("arn:aws:iam::{ACCOUNT}:user/{name}")}]});
        call(
            iam,
            &root_ctx(),
            "PutUserPolicy",
            json!({"UserName": name, "PolicyName": "self", "PolicyDocument": doc.to_string()}),
        )
        .unwrap();
    }

    #[test]
    fn every_wrong_detail_gets_the_same_refusal() {
        let iam = iam();
        with_profile(&iam, "alice", false);
        user_ctx(&iam, "nopass"); // a user without a login profile
        for (account, user, pw) in [
            (ACCOUNT, "alice", "Wrong-Passw0rd"),
            (ACCOUNT, "mallory", PW),
            (ACCOUNT, "nopass", PW),
            ("111111111111", "alice", PW),
            ("no-such-alias", "alice", PW),
            (ACCOUNT, "alice", ""),
        ] {
            assert_eq!(
                sign_in(&iam, account, user, pw, None),
                Err(SignInError::Incorrect),
                "{account} {user} {pw}"
            );
        }
        assert!(
            !decoy_hash().is_empty(),
            "the decoy is a real hash to verify against"
        );
    }

    #[test]
    fn repeated_failures_throttle_the_names_whether_or_not_they_exist() {
        let iam = iam();
        with_profile(&iam, "alice", false);
        for user in ["alice", "ghost"] {
            for _ in 0..MAX_FAILURES {
                assert_eq!(
                    sign_in(&iam, ACCOUNT, user, "Wrong-Passw0rd", None),
                    Err(SignInError::Incorrect)
                );
            }
            // Even the right password waits now, for the user that exists and the one that does not.
            match sign_in(&iam, ACCOUNT, user, PW, None) {
                Err(SignInError::Throttled { retry_after }) => {
                    assert!(retry_after > 0 && retry_after as f64 <= FAILURE_WINDOW_SECONDS)
                }
                other => panic!("{user}: {other:?}"),
            }
        }
        // Other names are not affected, and the window passes.
        with_profile(&iam, "bob", false);
        sign_in(&iam, ACCOUNT, "bob", PW, None).unwrap();
        iam.sign_in_failures
            .0
            .lock()
            .values_mut()
            .for_each(|(_, first)| *first -= FAILURE_WINDOW_SECONDS);
        sign_in(&iam, ACCOUNT, "alice", PW, None).unwrap();
    }

    #[test]
    fn a_right_password_yields_a_session_of_the_user_and_records_its_use() {
        let iam = iam();
        with_profile(&iam, "alice", false);
        call(
            &iam,
            &root_ctx(),
            "CreateAccountAlias",
            json!({"AccountAlias": "demo-co"}),
        )
        .unwrap();
        let before = call(&iam, &root_ctx(), "GetUser", json!({"UserName": "alice"})).unwrap();
        assert!(before["User"].get("PasswordLastUsed").is_none());
        // By alias and with the name in another case, as IAM names are case-insensitive.
        let s = sign_in(&iam, "demo-co", "ALICE", PW, None).unwrap();
        assert_eq!(s.arn, format!("arn:aws:iam::{ACCOUNT}:user/alice"));
        assert!(s.access_key_id.starts_with("ASIA"));
        let found = iam.lookup_key(&s.access_key_id).unwrap();
        assert!(
            iam.knows_key(&s.access_key_id),
            "session keys pass the pre-body check"
        );
        assert_eq!(found.secret_access_key, s.secret_access_key);
        assert_eq!(
            found.session_token.as_deref(),
            Some(s.session_token.as_str())
        );
        assert_eq!(found.principal.arn, s.arn);
        let session = found.principal.session.as_ref().unwrap();
        assert_eq!(session.expires_at - session.issued_at, SESSION_SECONDS);
        let after = call(&iam, &root_ctx(), "GetUser", json!({"UserName": "alice"})).unwrap();
        assert!(after["User"]["PasswordLastUsed"].is_number());
    }

    #[test]
    fn the_session_has_only_the_users_own_permissions() {
        let iam = iam();
        with_profile(&iam, "alice", false);
        allow_change_password(&iam, "alice");
        let s = sign_in(&iam, ACCOUNT, "alice", PW, None).unwrap();
        let p = iam.lookup_key(&s.access_key_id).unwrap().principal;
        let ctx = service::RequestContext::new("r", p, "us-east-1");
        let own = service::Access::new("iam:ChangePassword", s.arn.clone());
        assert!(iam.authorize(&ctx, &[own]).is_ok());
        let other =
            service::Access::new("iam:CreateUser", format!("arn:aws:iam::{ACCOUNT}:user/x"));
        let denied = iam.authorize(&ctx, &[other]).unwrap_err();
        assert!(denied
            .message
            .contains("is not authorized to perform: iam:CreateUser"));
    }

    #[test]
    fn the_session_is_accepted_by_iam_and_may_change_its_password() {
        let iam = iam();
        with_profile(&iam, "erin", false);
        let s = sign_in(&iam, ACCOUNT, "erin", PW, None).unwrap();
        let p = iam.lookup_key(&s.access_key_id).unwrap().principal;
        assert!(crate::iam_accepts(&p), "a console session acts as the user");
        let ctx = service::RequestContext::new("r", p, "us-east-1");
        call(
            &iam,
            &ctx,
            "ChangePassword",
            json!({"OldPassword": PW, "NewPassword": "a-new-password-9"}),
        )
        .unwrap();
        assert!(sign_in(&iam, ACCOUNT, "erin", "a-new-password-9", None).is_ok());
    }

    #[test]
    fn a_required_reset_comes_first_and_follows_policy_and_permission() {
        let iam = iam();
        with_profile(&iam, "bob", true);
        let need = sign_in(&iam, ACCOUNT, "bob", PW, None).unwrap_err();
        assert!(matches!(need, SignInError::NewPasswordRequired { .. }));
        // A wrong current password still gets only the generic refusal.
        assert_eq!(
            sign_in(
                &iam,
                ACCOUNT,
                "bob",
                "Wrong-Passw0rd",
                Some("Another-Passw0rd")
            ),
            Err(SignInError::Incorrect)
        );
        // Without iam:ChangePassword the user cannot replace it.
        match sign_in(&iam, ACCOUNT, "bob", PW, Some("Another-Passw0rd")) {
            Err(SignInError::NewPasswordRefused { code, message }) => {
                assert_eq!(code, "AccessDenied");
                assert!(message.contains("iam:ChangePassword"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        allow_change_password(&iam, "bob");
        match sign_in(&iam, ACCOUNT, "bob", PW, Some("short")) {
            Err(SignInError::NewPasswordRefused { code, .. }) => {
                assert_eq!(code, "PasswordPolicyViolation")
            }
            other => panic!("{other:?}"),
        }
        call(
            &iam,
            &root_ctx(),
            "UpdateAccountPasswordPolicy",
            json!({"PasswordReusePrevention": 1}),
        )
        .unwrap();
        match sign_in(&iam, ACCOUNT, "bob", PW, Some(PW)) {
            Err(SignInError::NewPasswordRefused { message, .. }) => {
                assert_eq!(message, "Password has been used before.")
            }
            other => panic!("{other:?}"),
        }
        let s = sign_in(&iam, ACCOUNT, "bob", PW, Some("Another-Passw0rd")).unwrap();
        assert!(s.arn.ends_with(":user/bob"));
        // The old password is gone, the new one works without a reset.
        assert_eq!(
            sign_in(&iam, ACCOUNT, "bob", PW, None),
            Err(SignInError::Incorrect)
        );
        sign_in(&iam, ACCOUNT, "bob", "Another-Passw0rd", None).unwrap();
        let p = call(
            &iam,
            &root_ctx(),
            "GetLoginProfile",
            json!({"UserName": "bob"}),
        )
        .unwrap();
        assert_eq!(p["LoginProfile"]["PasswordResetRequired"], false);
    }

    #[test]
    fn an_expired_password_must_be_changed_or_locks_under_hard_expiry() {
        let iam = iam();
        with_profile(&iam, "carol", false);
        allow_change_password(&iam, "carol");
        call(
            &iam,
            &root_ctx(),
            "UpdateAccountPasswordPolicy",
            json!({"MaxPasswordAge": 30}),
        )
        .unwrap();
        sign_in(&iam, ACCOUNT, "carol", PW, None).unwrap();
        let age = |iam: &Iam| {
            let mut st = iam.state.write();
            for p in st.account_mut(ACCOUNT).unwrap().login_profiles.values_mut() {
                p.changed -= 31.0 * 86_400.0;
            }
        };
        age(&iam);
        match sign_in(&iam, ACCOUNT, "carol", PW, None) {
            Err(SignInError::NewPasswordRequired { reason }) => assert!(reason.contains("expired")),
            other => panic!("{other:?}"),
        }
        sign_in(&iam, ACCOUNT, "carol", PW, Some("Fresh-Passw0rd")).unwrap();
        sign_in(&iam, ACCOUNT, "carol", "Fresh-Passw0rd", None).unwrap();
        call(
            &iam,
            &root_ctx(),
            "UpdateAccountPasswordPolicy",
            json!({"MaxPasswordAge": 30, "HardExpiry": true}),
        )
        .unwrap();
        age(&iam);
        assert_eq!(
            sign_in(
                &iam,
                ACCOUNT,
                "carol",
                "Fresh-Passw0rd",
                Some("Other-Passw0rd1")
            ),
            Err(SignInError::Expired)
        );
    }
}
