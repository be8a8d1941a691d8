use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// The records one request writes, in order.
#[derive(Debug, Default)]
pub struct Journal {
    records: Mutex<Vec<Record>>,
}

impl Journal {
    /// Records the new value of `(table, key)`.
    pub fn put(&self, account: &str, table: &str, key: &str, value: Value) {
        self.records.lock().push(Record {
            account: account.to_string(),
            table: table.to_string(),
            key: key.to_string(),
            value: Some(value),
        });
    }

    /// Records the removal of `(table, key)`.
    pub fn delete(&self, account: &str, table: &str, key: &str) {
        self.records.lock().push(Record {
            account: account.to_string(),
            table: table.to_string(),
            key: key.to_string(),
            value: None,
        });
    }

    /// Takes the records written so far.
    pub fn take(&self) -> Vec<Record> {
        std::mem::take(&mut *self.records.lock())
    }
}
