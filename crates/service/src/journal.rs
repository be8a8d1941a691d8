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
}

impl Journal {
    /// Records the new value of `(table, key)`.
    pub fn put(&self, account: &str, table: &str, key: &str, value: Value) {
        self.push(Record {
            account: account.to_string(),
            table: table.to_string(),
            key: key.to_string(),
            value: Some(value),
        });
    }

    /// Records the removal of `(table, key)`.
    pub fn delete(&self, account: &str, table: &str, key: &str) {
        self.push(Record {
            account: account.to_string(),
            table: table.to_string(),
            key: key.to_string(),
            value: None,
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
