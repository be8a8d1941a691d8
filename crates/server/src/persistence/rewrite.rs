//! Log rewrite: keeps, of every `(store, table, key)`, only its last record, and drops keys
//! whose last record is a removal. Replaying the result gives the same state as replaying the
//! whole log, because a service's state for a key is its last record's value. It needs no
//! snapshot from the services (nor their locks): the writer runs it on its own, in one
//! transaction, between batches.

use super::frame::{self, FrameWriter, RawRecord};
use redb::{Database, ReadableTable, TableDefinition};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A record's key, hashed: 16 bytes whatever the key's length (collisions are out of reach).
type Identity = [u8; 16];

fn identity(r: &RawRecord<'_>) -> Identity {
    let mut h = Sha256::new();
    for part in [r.store, r.table, r.key] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

/// Rewrites the log, appending the kept records after `next_frame` and removing every old
/// frame; returns the next free frame key and the bytes of the new log.
pub fn rewrite(
    db: &Database,
    table: TableDefinition<u64, &[u8]>,
    next_frame: u64,
) -> Result<(u64, u64), String> {
    let e = |e: redb::Error| e.to_string();
    let txn = db.begin_write().map_err(|x| e(x.into()))?;
    let result = {
        let mut log = txn.open_table(table).map_err(|x| e(x.into()))?;
        // Pass 1: which record of each key comes last (the orders are unique).
        let mut last: HashMap<Identity, u64> = HashMap::new();
        let mut frames = Vec::new();
        for item in log.iter().map_err(|x| e(x.into()))? {
            let (key, value) = item.map_err(|x| e(x.into()))?;
            frames.push(key.value());
            let payload = frame::inflate(value.value())?;
            for r in frame::records(&payload) {
                let r = r?;
                let order = last.entry(identity(&r)).or_insert(r.order);
                *order = (*order).max(r.order);
            }
        }
        // Pass 2: the kept records, in big frames after the old ones, which go.
        let (mut next, mut bytes) = (next_frame, 0u64);
        let mut out = FrameWriter::default();
        for key in frames {
            let old = log
                .remove(key)
                .map_err(|x| e(x.into()))?
                .map(|v| v.value().to_vec())
                .ok_or("a log frame vanished during the rewrite")?;
            let payload = frame::inflate(&old)?;
            for r in frame::records(&payload) {
                let r = r?;
                if r.value.is_some() && last.get(&identity(&r)) == Some(&r.order) {
                    out.push_raw(&r);
                    if out.len() >= frame::CHUNK {
                        let f = out.finish()?;
                        log.insert(next, f.as_slice()).map_err(|x| e(x.into()))?;
                        (next, bytes) = (next + 1, bytes + f.len() as u64);
                    }
                }
            }
        }
        if !out.is_empty() {
            let f = out.finish()?;
            log.insert(next, f.as_slice()).map_err(|x| e(x.into()))?;
            (next, bytes) = (next + 1, bytes + f.len() as u64);
        }
        (next, bytes)
    };
    txn.commit().map_err(|x| e(x.into()))?;
    Ok(result)
}
