//! Format 1 (`mediamock-1`): one JSON text `[store, record]` per log entry, keyed by order.
//! Read once, when such a directory is opened, to convert it to the current format.

use redb::{Database, ReadableTable, TableDefinition};
use service::Record;

/// The format marker of such a directory.
pub const FORMAT: &str = "mediamock-1";

/// Every record of a format-1 log, in order; an unreadable entry is an error naming it.
pub fn read(
    db: &Database,
    log: TableDefinition<u64, &[u8]>,
) -> Result<Vec<(String, Record)>, String> {
    let read = db.begin_read().map_err(|e| e.to_string())?;
    let log = read.open_table(log).map_err(|e| e.to_string())?;
    let mut records = Vec::new();
    for item in log.iter().map_err(|e| e.to_string())? {
        let (key, value) = item.map_err(|e| e.to_string())?;
        let entry: (String, Record) = serde_json::from_slice(value.value()).map_err(|e| {
            format!(
                "log entry {} (format {FORMAT}) is unreadable ({e}); nothing was changed",
                key.value()
            )
        })?;
        records.push(entry);
    }
    Ok(records)
}
