//! The identity store: accounts and their entities, an O(1) access-key index, STS sessions,
//! and their journal records.

pub mod account_tables;
pub mod entities;
pub mod federation;
pub mod instance_profiles;
pub mod security;
pub mod server_certificates;
pub mod user_credentials;

pub use account_tables::AccountTable;
pub use entities::*;
pub use federation::*;
pub use instance_profiles::InstanceProfile;
pub use security::*;
pub use server_certificates::ServerCertificate;
pub use user_credentials::*;

use serde::de::DeserializeOwned;
use serde::Serialize;
use service::{Journal, Record};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The account every fresh store has.
pub const BUILTIN_ACCOUNT: &str = "000000000000";

/// Who owns an access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    /// An account's root user.
    Root(String),
    /// An IAM user: account and lowercase user name.
    User(String, String),
}

/// One account's IAM entities, keyed by lowercase name (IAM names are case-insensitive).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountState {
    /// The account and its root key.
    pub rec: AccountRec,
    /// Users.
    pub users: BTreeMap<String, User>,
    /// Groups.
    pub groups: BTreeMap<String, Group>,
    /// Roles.
    pub roles: BTreeMap<String, Role>,
    /// Customer managed policies.
    pub policies: BTreeMap<String, ManagedPolicy>,
    /// Virtual MFA devices by lowercase name.
    pub mfa_devices: BTreeMap<String, MfaDevice>,
    /// Login profiles by user ID.
    pub login_profiles: BTreeMap<String, LoginProfile>,
    /// Password policy, aliases and credential report.
    pub settings: AccountSettings,
    /// OpenID Connect providers by issuer host (URL without scheme).
    pub oidc_providers: BTreeMap<String, OidcProvider>,
    /// SAML providers by name.
    pub saml_providers: BTreeMap<String, SamlProvider>,
    /// Instance profiles by lowercase name.
    pub instance_profiles: BTreeMap<String, InstanceProfile>,
    /// Server certificates by lowercase name.
    pub server_certificates: BTreeMap<String, ServerCertificate>,
}

impl AccountState {
    /// An account with no entities yet.
    pub(crate) fn new(rec: AccountRec) -> Self {
        AccountState {
            rec,
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            roles: BTreeMap::new(),
            policies: BTreeMap::new(),
            mfa_devices: BTreeMap::new(),
            login_profiles: BTreeMap::new(),
            settings: AccountSettings::default(),
            oidc_providers: BTreeMap::new(),
            saml_providers: BTreeMap::new(),
            instance_profiles: BTreeMap::new(),
            server_certificates: BTreeMap::new(),
        }
    }

    /// The customer managed policy with this ARN.
    pub fn policy_by_arn(&self, arn: &str) -> Option<&ManagedPolicy> {
        let name = arn.rsplit('/').next()?;
        self.policies
            .get(&name.to_lowercase())
            .filter(|p| p.arn() == arn)
    }
}

/// Everything IAM and STS know.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Accounts by ID.
    pub accounts: BTreeMap<String, AccountState>,
    /// Long-term access keys by ID.
    pub keys: HashMap<String, KeyOwner>,
    /// STS sessions by access key ID.
    pub sessions: HashMap<String, Session>,
    /// The same sessions ordered by expiry (whole seconds), so forgetting stale ones costs
    /// only the ones forgotten, not a scan of all sessions.
    session_expiry: BTreeSet<(i64, String)>,
}

/// Journal table names.
pub mod table {
    /// Accounts.
    pub const ACCOUNT: &str = "account";
    /// Users (with keys, inline policies, attachments).
    pub const USER: &str = "user";
    /// Groups.
    pub const GROUP: &str = "group";
    /// Roles.
    pub const ROLE: &str = "role";
    /// Customer managed policies.
    pub const POLICY: &str = "policy";
    /// STS sessions.
    pub const SESSION: &str = "session";
}

fn entity_key(account: &str, kind: &str, name: &str) -> String {
    format!("{account}:{kind}:{}", name.to_lowercase())
}

pub(crate) fn to_value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub(crate) fn from_value<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

impl State {
    /// A store holding only the built-in account with root key `test`/`test`.
    pub fn new() -> Self {
        let mut s = State {
            accounts: BTreeMap::new(),
            keys: HashMap::new(),
            sessions: HashMap::new(),
            session_expiry: BTreeSet::new(),
        };
        s.insert_account(AccountRec::new(
            BUILTIN_ACCOUNT,
            "test",
            "test",
            entities::account_created_now(),
        ));
        s
    }

    /// The account, if it exists.
    pub fn account(&self, id: &str) -> Option<&AccountState> {
        self.accounts.get(id)
    }

    /// The account, mutably.
    pub fn account_mut(&mut self, id: &str) -> Option<&mut AccountState> {
        self.accounts.get_mut(id)
    }

    /// Adds or replaces an account (its entities stay).
    pub fn insert_account(&mut self, rec: AccountRec) {
        if let Some(old) = self.accounts.get(&rec.id) {
            let old_keys: Vec<String> = old.rec.all_root_keys().map(|k| k.id.to_string()).collect();
            for k in old_keys {
                self.keys.remove(&k);
            }
        }
        self.index_root_keys(&rec);
        match self.accounts.get_mut(&rec.id) {
            Some(a) => a.rec = rec,
            None => {
                self.accounts.insert(rec.id.clone(), AccountState::new(rec));
            }
        }
    }

    /// Indexes every access key of `rec`'s root user as the account's.
    pub(crate) fn index_root_keys(&mut self, rec: &AccountRec) {
        for k in rec.all_root_keys() {
            self.keys
                .insert(k.id.to_string(), KeyOwner::Root(rec.id.clone()));
        }
    }

    /// Adds or replaces a user (by lowercase name) and re-indexes its keys.
    pub fn insert_user(&mut self, user: User) {
        let lname = user.name.to_lowercase();
        self.remove_user(&user.account, &lname);
        for k in &user.keys {
            self.keys.insert(
                k.id.clone(),
                KeyOwner::User(user.account.clone(), lname.clone()),
            );
        }
        let account = user.account.clone();
        self.ensure_account(&account).users.insert(lname, user);
    }

    /// Removes a user and its keys from the index.
    pub fn remove_user(&mut self, account: &str, lname: &str) -> Option<User> {
        let old = self.accounts.get_mut(account)?.users.remove(lname)?;
        for k in &old.keys {
            self.keys.remove(&k.id);
        }
        Some(old)
    }

    /// Journals and stores a user.
    pub fn put_user(&mut self, j: &Journal, user: User) {
        j.put(
            &user.account,
            table::USER,
            &entity_key(&user.account, table::USER, &user.name),
            to_value(&user),
        );
        self.insert_user(user);
    }

    /// Journals and removes a user.
    pub fn delete_user(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(
            account,
            table::USER,
            &entity_key(account, table::USER, name),
        );
        self.remove_user(account, &name.to_lowercase());
    }

    /// Journals and stores a group.
    pub fn put_group(&mut self, j: &Journal, group: Group) {
        j.put(
            &group.account,
            table::GROUP,
            &entity_key(&group.account, table::GROUP, &group.name),
            to_value(&group),
        );
        if let Some(a) = self.accounts.get_mut(&group.account) {
            a.groups.insert(group.name.to_lowercase(), group);
        }
    }

    /// Journals and removes a group.
    pub fn delete_group(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(
            account,
            table::GROUP,
            &entity_key(account, table::GROUP, name),
        );
        if let Some(a) = self.accounts.get_mut(account) {
            a.groups.remove(&name.to_lowercase());
        }
    }

    /// Journals and stores a role.
    pub fn put_role(&mut self, j: &Journal, role: Role) {
        j.put(
            &role.account,
            table::ROLE,
            &entity_key(&role.account, table::ROLE, &role.name),
            to_value(&role),
        );
        if let Some(a) = self.accounts.get_mut(&role.account) {
            a.roles.insert(role.name.to_lowercase(), role);
        }
    }

    /// Journals and removes a role.
    pub fn delete_role(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(
            account,
            table::ROLE,
            &entity_key(account, table::ROLE, name),
        );
        if let Some(a) = self.accounts.get_mut(account) {
            a.roles.remove(&name.to_lowercase());
        }
    }

    /// Journals and stores a customer managed policy.
    pub fn put_policy(&mut self, j: &Journal, p: ManagedPolicy) {
        j.put(
            &p.account,
            table::POLICY,
            &entity_key(&p.account, table::POLICY, &p.name),
            to_value(&p),
        );
        if let Some(a) = self.accounts.get_mut(&p.account) {
            a.policies.insert(p.name.to_lowercase(), p);
        }
    }

    /// Journals and removes a customer managed policy.
    pub fn delete_policy(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(
            account,
            table::POLICY,
            &entity_key(account, table::POLICY, name),
        );
        if let Some(a) = self.accounts.get_mut(account) {
            a.policies.remove(&name.to_lowercase());
        }
    }

    /// Journals and stores an STS session, forgetting sessions that expired a day ago (kept
    /// that long so their keys still answer ExpiredToken).
    pub fn put_session(&mut self, j: &Journal, s: Session) {
        let horizon = s.principal.session.as_ref().map_or(0.0, |i| i.issued_at) - 86_400.0;
        while let Some((expires, key)) = self.session_expiry.first().cloned() {
            if expires as f64 >= horizon.floor() {
                break;
            }
            let account = self
                .remove_session(&key)
                .map(|x| x.principal.account)
                .unwrap_or_default();
            self.session_expiry.remove(&(expires, key.clone()));
            j.delete(&account, table::SESSION, &key);
        }
        j.put(
            &s.principal.account,
            table::SESSION,
            &s.access_key_id,
            to_value(&s),
        );
        self.insert_session(s);
    }

    fn insert_session(&mut self, s: Session) {
        if let Some(old) = self.sessions.get(&s.access_key_id) {
            let old = (old.expires_at.floor() as i64, old.access_key_id.clone());
            self.session_expiry.remove(&old);
        }
        self.session_expiry
            .insert((s.expires_at.floor() as i64, s.access_key_id.clone()));
        self.sessions.insert(s.access_key_id.clone(), s);
    }

    fn remove_session(&mut self, key: &str) -> Option<Session> {
        let s = self.sessions.remove(key)?;
        self.session_expiry
            .remove(&(s.expires_at.floor() as i64, s.access_key_id.clone()));
        Some(s)
    }

    /// Journals and stores an account.
    pub fn put_account(&mut self, j: &Journal, rec: AccountRec) {
        j.put(&rec.id, table::ACCOUNT, &rec.id, to_value(&rec));
        self.insert_account(rec);
    }

    /// Re-applies one journal record.
    pub fn apply(&mut self, r: &Record) -> Result<(), String> {
        if let Some(done) = self.apply_security(r) {
            return done;
        }
        if let Some(done) = self.apply_federation(r) {
            return done;
        }
        if let Some(done) = self.apply_entity::<InstanceProfile>(r) {
            return done;
        }
        if let Some(done) = self.apply_entity::<ServerCertificate>(r) {
            return done;
        }
        let Some(v) = &r.value else {
            return self.apply_delete(r);
        };
        match r.table.as_str() {
            table::ACCOUNT => {
                let mut rec: AccountRec = from_value(v)?;
                if rec.created <= 0.0 {
                    rec.created = entities::account_created_now();
                }
                self.insert_account(rec)
            }
            table::USER => self.insert_user(from_value(v)?),
            table::GROUP => {
                let g: Group = from_value(v)?;
                self.ensure_account(&g.account)
                    .groups
                    .insert(g.name.to_lowercase(), g);
            }
            table::ROLE => {
                let x: Role = from_value(v)?;
                self.ensure_account(&x.account)
                    .roles
                    .insert(x.name.to_lowercase(), x);
            }
            table::POLICY => {
                let p: ManagedPolicy = from_value(v)?;
                self.ensure_account(&p.account)
                    .policies
                    .insert(p.name.to_lowercase(), p);
            }
            table::SESSION => {
                let s: Session = from_value(v)?;
                self.insert_session(s);
            }
            other => return Err(format!("unknown iam table {other}")),
        }
        Ok(())
    }

    pub(crate) fn ensure_account(&mut self, id: &str) -> &mut AccountState {
        // A record of an account not restored yet: keep it, without root credentials.
        self.accounts.entry(id.to_string()).or_insert_with(|| {
            AccountState::new(AccountRec::new(id, "", "", entities::account_created_now()))
        })
    }

    fn apply_delete(&mut self, r: &Record) -> Result<(), String> {
        let name = r.key.rsplit(':').next().unwrap_or_default().to_string();
        match r.table.as_str() {
            table::ACCOUNT => {
                if let Some(a) = self.accounts.remove(&r.key) {
                    for k in a.rec.all_root_keys() {
                        self.keys.remove(k.id);
                    }
                }
            }
            table::USER => {
                self.remove_user(&r.account, &name);
            }
            table::GROUP => {
                if let Some(a) = self.accounts.get_mut(&r.account) {
                    a.groups.remove(&name);
                }
            }
            table::ROLE => {
                if let Some(a) = self.accounts.get_mut(&r.account) {
                    a.roles.remove(&name);
                }
            }
            table::POLICY => {
                if let Some(a) = self.accounts.get_mut(&r.account) {
                    a.policies.remove(&name);
                }
            }
            table::SESSION => {
                self.remove_session(&r.key);
            }
            other => return Err(format!("unknown iam table {other}")),
        }
        Ok(())
    }

    /// Every record of the current state, accounts first.
    pub fn records(&self) -> Vec<Record> {
        let j = Journal::default();
        for a in self.accounts.values() {
            j.put(&a.rec.id, table::ACCOUNT, &a.rec.id, to_value(&a.rec));
        }
        for a in self.accounts.values() {
            for p in a.policies.values() {
                let key = entity_key(&p.account, table::POLICY, &p.name);
                j.put(&p.account, table::POLICY, &key, to_value(p));
            }
            for g in a.groups.values() {
                let key = entity_key(&g.account, table::GROUP, &g.name);
                j.put(&g.account, table::GROUP, &key, to_value(g));
            }
            for u in a.users.values() {
                let key = entity_key(&u.account, table::USER, &u.name);
                j.put(&u.account, table::USER, &key, to_value(u));
            }
            for r in a.roles.values() {
                let key = entity_key(&r.account, table::ROLE, &r.name);
                j.put(&r.account, table::ROLE, &key, to_value(r));
            }
            State::security_records(a, &j);
            State::federation_records(a, &j);
            State::entity_records::<InstanceProfile>(a, &j);
            State::entity_records::<ServerCertificate>(a, &j);
        }
        let mut sessions: Vec<&Session> = self.sessions.values().collect();
        sessions.sort_by(|a, b| a.access_key_id.cmp(&b.access_key_id));
        for s in sessions {
            j.put(
                &s.principal.account,
                table::SESSION,
                &s.access_key_id,
                to_value(s),
            );
        }
        j.take().into_iter().map(|(_, r)| r).collect()
    }
}

#[cfg(test)]
mod session_tests {
    use super::*;
    use service::{Principal, SessionInfo};

    fn session(key: &str, issued: f64, expires: f64) -> Session {
        let mut principal = Principal::root(BUILTIN_ACCOUNT, key);
        principal.session = Some(SessionInfo {
            issued_at: issued,
            expires_at: expires,
            ..SessionInfo::default()
        });
        Session {
            access_key_id: key.to_string(),
            secret: "s".into(),
            token: "t".into(),
            principal,
            expires_at: expires,
            policies: Vec::new(),
            federated_provider: None,
        }
    }

    #[test]
    fn storing_a_session_forgets_only_those_expired_a_day_ago() {
        let mut state = State::new();
        let j = Journal::default();
        state.put_session(&j, session("ASIAOLD", 0.0, 900.0));
        state.put_session(&j, session("ASIARECENT", 80_000.0, 81_000.0));
        state.put_session(&j, session("ASIALONG", 0.0, 200_000.0));
        assert_eq!(state.sessions.len(), 3);
        j.take();
        // A day and a bit after the first one expired.
        state.put_session(&j, session("ASIANEW", 90_000.0, 93_600.0));
        let mut keys: Vec<&str> = state.sessions.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["ASIALONG", "ASIANEW", "ASIARECENT"]);
        assert_eq!(state.session_expiry.len(), 3);
        let deleted: Vec<String> = j
            .take()
            .into_iter()
            .filter(|(_, r)| r.value.is_none())
            .map(|(_, r)| r.key)
            .collect();
        assert_eq!(deleted, ["ASIAOLD"]);
        // A restored deletion keeps the expiry index in step.
        state
            .apply(&Record {
                account: BUILTIN_ACCOUNT.into(),
                table: table::SESSION.into(),
                key: "ASIALONG".into(),
                value: None,
            })
            .unwrap();
        assert_eq!(state.session_expiry.len(), 2);
    }
}
