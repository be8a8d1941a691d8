//! State imports (`PUT /_mediamock/state`): whether a record of a kit store or of the
//! idempotency tokens may be applied by an account. Everything an account imports must be its
//! own — the record's envelope, its key, and every ARN inside its value — so an import never
//! creates, replaces or deletes another account's state.

use crate::idempotency::Idempotency;
use crate::store::{arn_scope, Store, Stored};
use serde::de::DeserializeOwned;
use serde::Serialize;
use service::{no_foreign_arns, Record};

/// Refuses a record whose envelope names another account.
fn own_envelope(account: &str, r: &Record) -> Result<(), String> {
    if r.account != account {
        return Err(format!(
            "record {} belongs to account {}, not {account}",
            r.key, r.account
        ));
    }
    Ok(())
}

impl<R: Clone + Serialize + DeserializeOwned> Store<R> {
    /// Refuses `r` unless it is a put or delete of `account`'s resource of this store: its key
    /// an ARN of that account in the `service` namespace (`arn:aws:SERVICE:…`), its value (for
    /// a put) a valid resource of this store that names no other account's ARN.
    pub fn check_import(&self, account: &str, service: &str, r: &Record) -> Result<(), String> {
        own_envelope(account, r)?;
        let namespace = format!("arn:aws:{service}:");
        match arn_scope(&r.key) {
            Some((_, a)) if a == account && r.key.starts_with(&namespace) => {}
            _ => {
                return Err(format!(
                    "{} is not a {service} ARN of account {account}",
                    r.key
                ))
            }
        }
        if let Some(v) = &r.value {
            serde_json::from_value::<Stored<R>>(v.clone())
                .map_err(|e| format!("bad {} record {}: {e}", self.table(), r.key))?;
            no_foreign_arns(account, v)?;
        }
        Ok(())
    }
}

impl Idempotency {
    /// Refuses a token record unless its slot (`ACCOUNT|REGION|OPERATION|TOKEN`) is
    /// `account`'s and its remembered output names no other account's ARN.
    pub fn check_import(account: &str, r: &Record) -> Result<(), String> {
        own_envelope(account, r)?;
        if r.key.split('|').next() != Some(account) {
            return Err(format!(
                "token {} is not a token of account {account}",
                r.key
            ));
        }
        if let Some(v) = &r.value {
            // Parse it as a restore would, without touching any state.
            Idempotency::default().restore(r)?;
            no_foreign_arns(account, v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Clone, Serialize, Deserialize)]
    struct Thing {
        name: String,
        #[serde(default)]
        role: Option<String>,
    }

    fn record(account: &str, key: &str, value: Option<serde_json::Value>) -> Record {
        Record {
            account: account.into(),
            table: "thing".into(),
            key: key.into(),
            value,
        }
    }

    const MINE: &str = "arn:aws:svc:us-west-2:111111111111:thing/a";

    #[test]
    fn an_account_may_import_its_own_resources_and_their_deletes() {
        let store: Store<Thing> = Store::new("thing");
        let put = record(
            "111111111111",
            MINE,
            Some(json!({"name": "a",
            "role": "arn:aws:iam::111111111111:role/r", "tags": {"k": "v"}})),
        );
        store.check_import("111111111111", "svc", &put).unwrap();
        let delete = record("111111111111", MINE, None);
        store.check_import("111111111111", "svc", &delete).unwrap();
    }

    #[test]
    fn anything_of_another_account_or_service_is_refused() {
        let store: Store<Thing> = Store::new("thing");
        let theirs = "arn:aws:svc:us-west-2:000000000000:thing/a";
        let value = || Some(json!({"name": "a"}));
        let refused = [
            // Another account's resource under my envelope, as a put or a delete.
            record("111111111111", theirs, value()),
            record("111111111111", theirs, None),
            // Another account's envelope.
            record("000000000000", MINE, value()),
            // Another service's namespace, or no ARN at all.
            record(
                "111111111111",
                "arn:aws:other:us-west-2:111111111111:thing/a",
                value(),
            ),
            record("111111111111", "thing-a", value()),
            // My resource pointing at another account's.
            record(
                "111111111111",
                MINE,
                Some(json!({"name": "a", "role": "arn:aws:iam::000000000000:role/r"})),
            ),
            // Not a resource of this store.
            record("111111111111", MINE, Some(json!({"nom": 1}))),
        ];
        for r in refused {
            assert!(
                store.check_import("111111111111", "svc", &r).is_err(),
                "{r:?}"
            );
        }
    }

    #[test]
    fn tokens_are_imported_only_into_their_own_account() {
        let value = json!({"fingerprint": "00".repeat(32), "output": {"arn": MINE}, "at": 1.0});
        let token = |account: &str, key: &str, value: serde_json::Value| Record {
            account: account.into(),
            table: Idempotency::TABLE.into(),
            key: key.into(),
            value: Some(value),
        };
        let mine = "111111111111|us-west-2|CreateThing|t1";
        Idempotency::check_import("111111111111", &token("111111111111", mine, value.clone()))
            .unwrap();
        let theirs = "000000000000|us-west-2|CreateThing|t1";
        assert!(Idempotency::check_import(
            "111111111111",
            &token("111111111111", theirs, value.clone())
        )
        .is_err());
        let foreign_output = json!({"fingerprint": "00".repeat(32),
            "output": {"arn": "arn:aws:svc:us-west-2:000000000000:thing/a"}, "at": 1.0});
        assert!(Idempotency::check_import(
            "111111111111",
            &token("111111111111", mine, foreign_output)
        )
        .is_err());
        let malformed = json!({"fingerprint": "zz", "at": 1.0});
        assert!(
            Idempotency::check_import("111111111111", &token("111111111111", mine, malformed))
                .is_err()
        );
    }
}
