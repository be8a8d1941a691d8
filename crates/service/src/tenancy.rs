//! Helpers for telling which account a stored value belongs to (state imports).

use serde_json::Value;

/// The account field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`), if `s` is one.
pub fn arn_account(s: &str) -> Option<&str> {
    let mut parts = s.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let account = parts.nth(3)?;
    parts.next().map(|_| account)
}

/// Refuses any ARN inside `value` that names an account other than `account`. ARNs without
/// an account (S3 buckets) and AWS-managed ones (`arn:aws:iam::aws:policy/…`) name nobody;
/// `tags` members are the user's free text and are not read.
pub fn no_foreign_arns(account: &str, value: &Value) -> Result<(), String> {
    match value {
        Value::String(s) => match arn_account(s) {
            Some(a) if !a.is_empty() && a != "aws" && a != account => {
                Err(format!("{s} belongs to account {a}, not {account}"))
            }
            _ => Ok(()),
        },
        Value::Array(items) => items.iter().try_for_each(|v| no_foreign_arns(account, v)),
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| k.as_str() != "tags")
            .try_for_each(|(_, v)| no_foreign_arns(account, v)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Record, RequestContext, Service, ServiceError};
    use parking_lot::Mutex;
    use serde_json::json;

    /// A service that keeps records and says nothing about whose they are.
    #[derive(Default)]
    struct Forgetful(Mutex<Vec<Record>>);

    impl Service for Forgetful {
        fn signing_name(&self) -> &'static str {
            "forgetful"
        }
        fn handle(&self, _: &RequestContext, _: &str, _: Value) -> Result<Value, ServiceError> {
            Ok(Value::Null)
        }
        fn restore(&self, record: &Record) -> Result<(), String> {
            let mut all = self.0.lock();
            all.retain(|r| r.key != record.key);
            if record.value.is_some() {
                all.push(record.clone());
            }
            Ok(())
        }
        fn records(&self) -> Vec<Record> {
            self.0.lock().clone()
        }
    }

    fn record(account: &str, key: &str) -> Record {
        Record {
            account: account.into(),
            table: "t".into(),
            key: key.into(),
            value: Some(json!(1)),
        }
    }

    #[test]
    fn a_service_that_cannot_tell_whose_records_are_whose_refuses_imports() {
        let e = Forgetful::default()
            .validate_import("1", &[record("1", "a")])
            .unwrap_err();
        assert!(e.contains("forgetful"), "{e}");
    }

    #[test]
    fn the_default_per_account_reset_forgets_that_account_only() {
        let s = Forgetful::default();
        for r in [record("1", "a"), record("2", "b"), record("1", "c")] {
            s.restore(&r).unwrap();
        }
        s.reset_account("1").unwrap();
        assert_eq!(s.records(), vec![record("2", "b")]);
    }

    #[test]
    fn arns_of_other_accounts_are_found_anywhere_but_in_tags() {
        assert_eq!(arn_account("arn:aws:iam::123:root"), Some("123"));
        assert_eq!(arn_account("arn:aws:s3:::bucket"), Some(""));
        assert_eq!(arn_account("arn:aws:iam"), None);
        assert_eq!(arn_account("not an arn"), None);
        let mine = json!({"a": ["arn:aws:ivs:us-west-2:1:channel/x", "arn:aws:s3:::b"],
            "p": "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "tags": {"k": "arn:aws:iam::2:root"}});
        assert!(no_foreign_arns("1", &mine).is_ok());
        let theirs = json!({"deep": [{"x": "arn:aws:iam::2:role/r"}]});
        assert!(no_foreign_arns("1", &theirs)
            .unwrap_err()
            .contains("account 2"));
    }
}
