use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};

/// One durable fact: the current value of `(table, key)` in a service, or its removal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The account the record belongs to (for per-account export and reset).
    pub account: String,
    /// A service-chosen table name (`channel`, `user`, …).
    pub table: String,
    /// The key within the table, unique across accounts and regions (an ARN is typical).
    pub key: String,
    /// The value; `None` deletes the key.
    pub value: Option<Value>,
}

/// Orders records across all requests: a service journals while it holds its own lock, so
/// this order is the order the changes were made in, whatever order requests finish in.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// The records one request writes, each with its place in the global order.
#[derive(Debug, Default)]
pub struct Journal {
    records: Mutex<Vec<(u64, Record)>>,
    /// Set for servers without a data directory: nobody reads the records, so they are not
    /// kept (and stores need not serialize their values for them).
    discarding: bool,
}

impl Journal {
    /// A journal that keeps nothing (a server without `--data-dir`).
    pub fn discarding() -> Self {
        Journal {
            records: Mutex::default(),
            discarding: true,
        }
    }

    /// Whether records written to it are kept: a store skips building a record's value
    /// when they are not.
    pub fn is_recording(&self) -> bool {
        !self.discarding
    }

    /// Records the new value of `(table, key)`.
    pub fn put(&self, account: &str, table: &str, key: &str, value: Value) {
        self.record(account, table, key, Some(value));
    }

    /// Records the removal of `(table, key)`.
    pub fn delete(&self, account: &str, table: &str, key: &str) {
        self.record(account, table, key, None);
    }

    /// Records `(table, key)`'s new value, `None` for its removal.
    fn record(&self, account: &str, table: &str, key: &str, value: Option<Value>) {
        if self.discarding {
            return;
        }
        self.push(Record {
            account: account.to_string(),
            table: table.to_string(),
            key: key.to_string(),
            value,
        });
    }

    fn push(&self, record: Record) {
        let seq = SEQUENCE.fetch_add(1, Ordering::SeqCst);
        self.records.lock().push((seq, record));
    }

    /// Takes the records written so far, each with its sequence number.
    pub fn take(&self) -> Vec<(u64, Record)> {
        std::mem::take(&mut *self.records.lock())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_are_kept_in_order_unless_discarding() {
        let j = Journal::default();
        assert!(j.is_recording());
        j.put("1", "t", "a", json!({"x": 1}));
        j.delete("1", "t", "b");
        let taken = j.take();
        assert_eq!(taken.len(), 2);
        assert!(taken[0].0 < taken[1].0, "sequence grows");
        assert_eq!(taken[0].1.value, Some(json!({"x": 1})));
        assert_eq!(taken[1].1.value, None);
        assert!(j.take().is_empty(), "taken once");
        let off = Journal::discarding();
        assert!(!off.is_recording());
        off.put("1", "t", "a", json!(1));
        off.delete("1", "t", "a");
        assert!(off.take().is_empty());
    }
}
