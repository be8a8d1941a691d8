//! v1 resources are named by the caller's `Id` but keyed by ARN (which carries an internal
//! ID): this index finds a resource's ARN from its `Id` in O(1), per account and region.

use service::{Record, RequestContext};
use std::collections::HashMap;

/// `(table, account, region, Id)` → ARN, and back.
#[derive(Default)]
pub(super) struct IdIndex {
    arns: HashMap<String, String>,
    keys: HashMap<String, String>,
}

fn key(table: &str, account: &str, region: &str, id: &str) -> String {
    format!("{table}\u{0}{account}\u{0}{region}\u{0}{id}")
}

impl IdIndex {
    /// The ARN of the caller's `table` resource named `id`.
    pub fn get(&self, table: &str, ctx: &RequestContext, id: &str) -> Option<String> {
        self.arns
            .get(&key(table, ctx.account(), &ctx.region, id))
            .cloned()
    }

    /// Records that `arn` of `table` is named `id`.
    pub fn insert(&mut self, table: &str, arn: &str, id: &str) {
        let (region, account) = kit::arn_scope(arn).unwrap_or(("", ""));
        let k = key(table, account, region, id);
        self.keys.insert(arn.to_string(), k.clone());
        self.arns.insert(k, arn.to_string());
    }

    /// Forgets `arn`.
    pub fn remove(&mut self, arn: &str) {
        if let Some(k) = self.keys.remove(arn) {
            self.arns.remove(&k);
        }
    }

    /// Follows a journal record (a put names its `id`; a delete only its ARN).
    pub fn restore(&mut self, record: &Record) {
        match record
            .value
            .as_ref()
            .and_then(|v| v.get("id"))
            .and_then(|v| v.as_str())
        {
            Some(id) => self.insert(&record.table, &record.key, id),
            None => self.remove(&record.key),
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.arns.clear();
        self.keys.clear();
    }
}
