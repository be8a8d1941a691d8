//! Account boundaries of the admin API: which records of a state import an account may
//! apply, and forgetting one account's identities.

use crate::store::{
    from_value, table, AccountRec, AccountSettings, AccountState, Group, InstanceProfile, KeyOwner,
    LoginProfile, ManagedPolicy, MfaDevice, OidcProvider, Role, SamlProvider, ServerCertificate,
    Session, State, User, BUILTIN_ACCOUNT, OIDC_TABLE, SAML_TABLE,
};
use crate::Iam;
use serde::de::DeserializeOwned;
use service::{arn_account, no_foreign_arns, Record};

/// The `account` member every per-account entity has.
trait Owned {
    fn owner(&self) -> &str;
}

macro_rules! owned {
    ($($t:ty),*) => {$(impl Owned for $t { fn owner(&self) -> &str { &self.account } })*};
}
owned!(
    User,
    Group,
    Role,
    ManagedPolicy,
    MfaDevice,
    LoginProfile,
    AccountSettings,
    OidcProvider,
    SamlProvider,
    InstanceProfile,
    ServerCertificate
);

/// Parses `r`'s value as `T` and refuses it unless `T` is `account`'s.
fn owned_value<T: DeserializeOwned + Owned>(
    account: &str,
    r: &Record,
) -> Result<Option<T>, String> {
    let Some(v) = &r.value else { return Ok(None) };
    let t: T = from_value(v).map_err(|e| format!("bad {} record {}: {e}", r.table, r.key))?;
    if t.owner() != account {
        return Err(format!(
            "{} record {} belongs to account {}, not {account}",
            r.table,
            r.key,
            t.owner()
        ));
    }
    Ok(Some(t))
}

impl State {
    /// Refuses `id` as a new access key of `account` when another account's key or any
    /// session already has it: imported keys must not capture someone else's.
    fn key_is_free_for(&self, account: &str, id: &str) -> Result<(), String> {
        let theirs = match self.keys.get(id) {
            Some(KeyOwner::Root(a)) | Some(KeyOwner::User(a, _)) => a != account,
            None => false,
        };
        if theirs || self.sessions.contains_key(id) || id.is_empty() {
            return Err(format!(
                "access key {id} is not available to account {account}"
            ));
        }
        Ok(())
    }

    /// Whether every record of an import belongs to `account` (see [`Iam::validate_import`]).
    pub fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        records
            .iter()
            .try_for_each(|r| self.check_record(account, r))
    }

    fn check_record(&self, account: &str, r: &Record) -> Result<(), String> {
        if r.account != account {
            return Err(format!(
                "record {} belongs to account {}, not {account}",
                r.key, r.account
            ));
        }
        if let Some(v) = &r.value {
            no_foreign_arns(account, v)?;
        }
        let prefix = format!("{account}:{}", r.table);
        let keyed_in_account = r.key == prefix || r.key.starts_with(&format!("{prefix}:"));
        match r.table.as_str() {
            table::ACCOUNT => {
                let Some(v) = &r.value else {
                    return Err(format!("an import cannot delete account {account}"));
                };
                let rec: AccountRec =
                    from_value(v).map_err(|e| format!("bad account record: {e}"))?;
                if r.key != account || rec.id != account {
                    return Err(format!("account record {} is not account {account}", r.key));
                }
                // Root may have deleted its configured key (empty): its other keys are checked.
                let free = rec
                    .all_root_keys()
                    .try_for_each(|k| self.key_is_free_for(account, k.id));
                free
            }
            table::SESSION => self.check_session(account, r),
            _ if !keyed_in_account => Err(format!(
                "{} record {} is not keyed in account {account}",
                r.table, r.key
            )),
            table::USER => {
                for k in owned_value::<User>(account, r)?
                    .iter()
                    .flat_map(|u| &u.keys)
                {
                    self.key_is_free_for(account, &k.id)?;
                }
                Ok(())
            }
            table::GROUP => owned_value::<Group>(account, r).map(drop),
            table::ROLE => owned_value::<Role>(account, r).map(drop),
            table::POLICY => owned_value::<ManagedPolicy>(account, r).map(drop),
            crate::store::security::table::MFA => owned_value::<MfaDevice>(account, r).map(drop),
            crate::store::security::table::LOGIN_PROFILE => {
                owned_value::<LoginProfile>(account, r).map(drop)
            }
            crate::store::security::table::SETTINGS => {
                let settings = owned_value::<AccountSettings>(account, r)?;
                let outbound = settings.as_ref().and_then(|s| s.outbound.as_ref());
                outbound.map_or(Ok(()), |f| crate::outbound::check_import(self, account, f))
            }
            OIDC_TABLE => owned_value::<OidcProvider>(account, r).map(drop),
            SAML_TABLE => owned_value::<SamlProvider>(account, r).map(drop),
            crate::store::instance_profiles::TABLE => {
                owned_value::<InstanceProfile>(account, r).map(drop)
            }
            crate::store::server_certificates::TABLE => {
                owned_value::<ServerCertificate>(account, r).map(drop)
            }
            other => Err(format!("unknown iam table {other}")),
        }
    }

    /// A session record is keyed by its access key ID; its principal must be `account`'s and
    /// the key must not be anyone else's.
    fn check_session(&self, account: &str, r: &Record) -> Result<(), String> {
        if let Some(existing) = self.sessions.get(&r.key) {
            if existing.principal.account != account {
                return Err(format!("session {} is not account {account}'s", r.key));
            }
        } else if r.value.is_some() {
            self.key_is_free_for(account, &r.key)?;
        }
        let Some(v) = &r.value else { return Ok(()) };
        let s: Session = from_value(v).map_err(|e| format!("bad session record {}: {e}", r.key))?;
        let p = &s.principal;
        let source = p.session.as_ref().map(|i| i.source_arn.as_str());
        if s.access_key_id != r.key
            || p.access_key_id != r.key
            || p.account != account
            || arn_account(&p.arn) != Some(account)
            || source.is_some_and(|a| arn_account(a) != Some(account))
        {
            return Err(format!(
                "session {} acts as {}, which is not an identity of account {account}",
                r.key, p.arn
            ));
        }
        Ok(())
    }

    /// Forgets `account`'s entities, keys and sessions; the account itself stays with its
    /// root credentials (the built-in account gets `test`/`test` back).
    pub fn forget_account(&mut self, account: &str) {
        let Some(old) = self.accounts.remove(account) else {
            return;
        };
        self.keys.retain(|_, owner| match owner {
            KeyOwner::Root(a) | KeyOwner::User(a, _) => a != account,
        });
        self.sessions.retain(|_, s| s.principal.account != account);
        // The built-in account gets `test`/`test` back unless another account holds that
        // key by now (it was given up through an import): a reset takes nobody's key.
        let rec = State::new()
            .accounts
            .remove(BUILTIN_ACCOUNT)
            .map(|a| a.rec)
            .filter(|r| account == BUILTIN_ACCOUNT && !self.keys.contains_key(&r.root_access_key));
        let rec = rec.unwrap_or(old.rec);
        self.index_root_keys(&rec);
        self.accounts
            .insert(account.to_string(), AccountState::new(rec));
    }
}

impl Iam {
    /// Refuses a state import unless every record — key, owner, access keys, ARNs and
    /// session principals inside its value, deletes too — is `account`'s.
    pub fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        self.state.read().validate_import(account, records)
    }

    /// Forgets one account's identities and sessions and its decisions.
    pub fn reset_account(&self, account: &str) {
        self.state.write().forget_account(account);
        self.decisions.clear_account(account);
        self.last_accessed.clear_account(account);
        self.access_reports.clear_account(account);
    }

    /// Re-applies the bootstrap file's declarations for `account` only.
    pub fn load_bootstrap_for(&self, path: &std::path::Path, account: &str) -> Result<(), String> {
        crate::bootstrap::load_file_for(self, path, Some(account))
    }
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, iam, root_ctx, sts, user_ctx, ACCOUNT};
    use crate::Iam;
    use serde_json::json;
    use service::{Principal, Record, RequestContext};
    use std::sync::Arc;

    const OTHER: &str = "111111111111";

    /// A store with a second account whose root key is `other`, holding user `victim`.
    fn two_accounts() -> (Arc<Iam>, RequestContext) {
        let iam = iam();
        iam.restore(&Record {
            account: OTHER.into(),
            table: "account".into(),
            key: OTHER.into(),
            value: Some(json!({"id": OTHER, "root_access_key": "other", "root_secret_key": "s"})),
        })
        .unwrap();
        let other =
            RequestContext::new("r", Arc::new(Principal::root(OTHER, "other")), "us-east-1");
        call(&iam, &other, "CreateUser", json!({"UserName": "victim"})).unwrap();
        call(
            &iam,
            &other,
            "CreateInstanceProfile",
            json!({"InstanceProfileName": "victim-ip"}),
        )
        .unwrap();
        call(
            &iam,
            &other,
            "UploadServerCertificate",
            json!({"ServerCertificateName": "victim-cert",
                "CertificateBody": include_str!("../fixtures/server-cert.pem"),
                "PrivateKey": include_str!("../fixtures/server-cert.key")}),
        )
        .unwrap();
        (iam, other)
    }

    fn records_of(iam: &Iam, account: &str) -> Vec<Record> {
        iam.records()
            .into_iter()
            .filter(|r| r.account == account)
            .collect()
    }

    #[test]
    fn an_account_may_import_its_own_export() {
        let (iam, _) = two_accounts();
        let bob = user_ctx(&iam, "bob");
        let out = sts(&iam, &bob, "GetSessionToken", json!({})).unwrap();
        assert!(out["Credentials"]["AccessKeyId"].is_string());
        call(
            &iam,
            &root_ctx(),
            "CreateInstanceProfile",
            json!({"InstanceProfileName": "mine"}),
        )
        .unwrap();
        call(
            &iam,
            &root_ctx(),
            "UploadServerCertificate",
            json!({"ServerCertificateName": "mine",
                "CertificateBody": include_str!("../fixtures/server-cert.pem"),
                "PrivateKey": include_str!("../fixtures/server-cert.key")}),
        )
        .unwrap();
        let mine = records_of(&iam, ACCOUNT);
        assert!(mine.iter().any(|r| r.table == "session"));
        assert!(mine.iter().any(|r| r.table == "instance-profile"));
        assert!(mine.iter().any(|r| r.table == "server-certificate"));
        iam.validate_import(ACCOUNT, &mine).unwrap();
        let deletes: Vec<Record> = mine
            .into_iter()
            .filter(|r| r.table != "account")
            .map(|r| Record { value: None, ..r })
            .collect();
        iam.validate_import(ACCOUNT, &deletes).unwrap();
    }

    #[test]
    fn records_that_reach_another_account_are_refused() {
        let (iam, _) = two_accounts();
        let theirs = records_of(&iam, OTHER);
        let relabel = |r: &Record| Record {
            account: ACCOUNT.into(),
            ..r.clone()
        };
        // Their records, their deletes, under my envelope.
        for r in &theirs {
            assert!(
                iam.validate_import(ACCOUNT, &[relabel(r)]).is_err(),
                "{r:?}"
            );
            let delete = Record {
                value: None,
                ..relabel(r)
            };
            assert!(iam.validate_import(ACCOUNT, &[delete]).is_err(), "{r:?}");
        }
        // My account record taking their root key.
        let grab = Record {
            account: ACCOUNT.into(),
            table: "account".into(),
            key: ACCOUNT.into(),
            value: Some(json!({"id": ACCOUNT, "root_access_key": "other", "root_secret_key": "x"})),
        };
        let e = iam.validate_import(ACCOUNT, &[grab]).unwrap_err();
        assert!(e.contains("other"), "{e}");
        // A user keyed in my account whose value lives in theirs.
        let user = theirs.iter().find(|r| r.table == "user").unwrap();
        let moved = Record {
            account: ACCOUNT.into(),
            key: format!("{ACCOUNT}:user:victim"),
            ..user.clone()
        };
        assert!(iam.validate_import(ACCOUNT, &[moved]).is_err());
        // Likewise an instance profile.
        let profile = theirs
            .iter()
            .find(|r| r.table == "instance-profile")
            .unwrap();
        let moved = Record {
            account: ACCOUNT.into(),
            key: format!("{ACCOUNT}:instance-profile:victim-ip"),
            ..profile.clone()
        };
        assert!(iam.validate_import(ACCOUNT, &[moved]).is_err());
        // Likewise a server certificate.
        let cert = theirs
            .iter()
            .find(|r| r.table == "server-certificate")
            .unwrap();
        let moved = Record {
            account: ACCOUNT.into(),
            key: format!("{ACCOUNT}:server-certificate:victim-cert"),
            ..cert.clone()
        };
        assert!(iam.validate_import(ACCOUNT, &[moved]).is_err());
        // A session keyed freshly but acting as their root.
        let root = Principal::root(OTHER, "ASIAFAKE");
        let session = Record {
            account: ACCOUNT.into(),
            table: "session".into(),
            key: "ASIAFAKE".into(),
            value: Some(
                json!({"access_key_id": "ASIAFAKE", "secret": "s", "token": "t",
                "principal": root, "expires_at": 4e9, "policies": []}),
            ),
        };
        let e = iam.validate_import(ACCOUNT, &[session]).unwrap_err();
        assert!(e.contains(OTHER), "{e}");
        // Deleting my own account through an import is refused too.
        let gone = Record {
            account: ACCOUNT.into(),
            table: "account".into(),
            key: ACCOUNT.into(),
            value: None,
        };
        assert!(iam.validate_import(ACCOUNT, &[gone]).is_err());
    }

    #[test]
    fn a_reset_keeps_a_root_key_made_through_iam_except_the_built_in_accounts() {
        let (iam, other) = two_accounts();
        let made_by = |ctx: &RequestContext| {
            let out = call(&iam, ctx, "CreateAccessKey", json!({})).unwrap();
            out["AccessKey"]["AccessKeyId"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let theirs = made_by(&other);
        let mine = made_by(&root_ctx());
        iam.reset_account(OTHER);
        assert!(
            iam.lookup_key(&theirs).is_some(),
            "an account keeps its root credentials"
        );
        assert!(iam.lookup_key("other").is_some());
        // The built-in account gets `test`/`test` back, alone.
        iam.reset_account(ACCOUNT);
        assert!(iam.lookup_key(&mine).is_none());
        assert!(iam.lookup_key("test").is_some());
    }

    #[test]
    fn reset_of_one_account_keeps_the_others_and_its_root() {
        let (iam, other) = two_accounts();
        let bob = user_ctx(&iam, "bob");
        sts(&iam, &bob, "GetSessionToken", json!({})).unwrap();
        iam.reset_account(ACCOUNT);
        assert!(iam.lookup_key(&bob.principal.access_key_id).is_none());
        assert!(iam.lookup_key("test").is_some());
        assert!(call(&iam, &root_ctx(), "GetUser", json!({"UserName": "bob"})).is_err());
        assert!(records_of(&iam, ACCOUNT)
            .iter()
            .all(|r| r.table != "session"));
        call(&iam, &other, "GetUser", json!({"UserName": "victim"})).unwrap();
        assert!(iam.lookup_key("other").is_some());
    }
}
