//! Compaction into a fresh file. A rewrite keeps, of every `(store, table, key)`, only its
//! last record, and drops keys whose last record is a removal: replaying the result gives the
//! same state as replaying the whole log, because a service's state for a key is its last
//! record's value. It needs no snapshot from the services (nor their locks): the writer runs
//! it on its own, between batches. Both it and a snapshot write a new database file, so the
//! log leaves no free pages behind (redb reuses free pages but rarely gives them back).

use super::frame::{self, FrameWriter, RawRecord};
use super::{Position, FORMAT, LOG, META};
use redb::{Database, ReadableTable};
use service::Record;
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

fn e(x: impl Into<redb::Error>) -> String {
    format!("data directory: {}", x.into())
}

/// Appends frames to a log table, counting keys and bytes.
struct Appender<'t, 'txn> {
    log: &'t mut redb::Table<'txn, u64, &'static [u8]>,
    out: FrameWriter,
    next: u64,
    bytes: u64,
}

impl Appender<'_, '_> {
    fn flush(&mut self) -> Result<(), String> {
        if !self.out.is_empty() {
            let f = self.out.finish()?;
            self.log.insert(self.next, f.as_slice()).map_err(e)?;
            self.next += 1;
            self.bytes += f.len() as u64;
        }
        Ok(())
    }

    fn full(&mut self) -> Result<(), String> {
        if self.out.len() >= frame::CHUNK {
            self.flush()?;
        }
        Ok(())
    }
}

/// Fills the empty database `to` with the metadata of `from` (marked as of the current
/// format) and a log written by `fill`, in one transaction.
fn fill_with(
    from: &Database,
    to: &Database,
    fill: impl FnOnce(&mut Appender<'_, '_>) -> Result<(), String>,
) -> Result<(u64, u64), String> {
    let read = from.begin_read().map_err(e)?;
    let meta = read.open_table(META).map_err(e)?;
    let txn = to.begin_write().map_err(e)?;
    let done = {
        let mut new_meta = txn.open_table(META).map_err(e)?;
        for item in meta.iter().map_err(e)? {
            let (k, v) = item.map_err(e)?;
            new_meta.insert(k.value(), v.value()).map_err(e)?;
        }
        new_meta.insert("format", FORMAT.as_bytes()).map_err(e)?;
        let mut log = txn.open_table(LOG).map_err(e)?;
        let mut appender = Appender {
            log: &mut log,
            out: FrameWriter::default(),
            next: 0,
            bytes: 0,
        };
        fill(&mut appender)?;
        appender.flush()?;
        (appender.next, appender.bytes)
    };
    txn.commit().map_err(e)?;
    Ok(done)
}

/// Writes `records` (orders 0, 1, …) as the whole log of `to`.
pub fn snapshot(
    from: &Database,
    to: &Database,
    records: &[(String, Record)],
) -> Result<Position, String> {
    let (next_frame, bytes) = fill_with(from, to, |a| {
        for (i, (store, record)) in records.iter().enumerate() {
            a.out.push(i as u64, store, record)?;
            a.full()?;
        }
        Ok(())
    })?;
    Ok(Position {
        next_frame,
        base: records.len() as u64,
        log_bytes: bytes,
        live_bytes: bytes,
    })
}

/// Writes the live records of `from`'s log (their orders kept) as the whole log of `to`.
pub fn live(from: &Database, to: &Database, base: u64) -> Result<Position, String> {
    let read = from.begin_read().map_err(e)?;
    let old = read.open_table(LOG).map_err(e)?;
    // Pass 1: which record of each key comes last (the orders are unique).
    let mut last: HashMap<Identity, u64> = HashMap::new();
    for item in old.iter().map_err(e)? {
        let (_, value) = item.map_err(e)?;
        let payload = frame::inflate(value.value())?;
        for r in frame::records(&payload) {
            let r = r?;
            let order = last.entry(identity(&r)).or_insert(r.order);
            *order = (*order).max(r.order);
        }
    }
    // Pass 2: those records, in big frames.
    let (next_frame, bytes) = fill_with(from, to, |a| {
        for item in old.iter().map_err(e)? {
            let (_, value) = item.map_err(e)?;
            let payload = frame::inflate(value.value())?;
            for r in frame::records(&payload) {
                let r = r?;
                if r.value.is_some() && last.get(&identity(&r)) == Some(&r.order) {
                    a.out.push_raw(&r);
                    a.full()?;
                }
            }
        }
        Ok(())
    })?;
    Ok(Position {
        next_frame,
        base,
        log_bytes: bytes,
        live_bytes: bytes,
    })
}
