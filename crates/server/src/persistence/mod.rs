//! Durable state in a redb database: an append-only log of service records, written by one
//! writer thread that commits every batch waiting at that moment in a single transaction
//! (group commit), so a burst of writes shares one disk sync instead of queueing for many.
//! Each batch is one compressed frame (see [`frame`]). At startup the log is replayed into the
//! services and replaced by their snapshot; while running, a log grown to a multiple of its
//! last compacted size is rewritten to the last record of each key (see [`rewrite`]), and so
//! is the log at a clean shutdown.

mod frame;
mod legacy;
mod rewrite;

use frame::FrameWriter;
use redb::{Database, ReadableTable, TableDefinition};
use service::Record;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use tokio::sync::oneshot;

const LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("log");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// The on-disk format this version reads and writes: compressed frames (format 1 stored one
/// JSON text per record; its directories are converted when opened).
const FORMAT: &str = "mediamock-2";
/// redb's page cache: the writer appends at the end of the log and replay reads it once, so a
/// small cache costs nothing, and redb's default (1 GiB) would keep the whole file resident.
const CACHE_BYTES: usize = 4 << 20;
/// The log is rewritten when it reaches this multiple of its size after the last compaction…
const REWRITE_FACTOR: u64 = 2;
/// …and at least this many bytes.
const REWRITE_MIN_BYTES: u64 = 1 << 20;

/// What an existing data directory held.
pub struct Loaded {
    /// The pagination-token key, kept so tokens stay valid across restarts.
    pub token_key: [u8; 32],
    /// How many times the directory was opened before this start (0 for a new one).
    pub starts: u64,
    /// Every logged record in the order written, with its store name.
    pub records: Vec<(String, Record)>,
}

/// Work for the writer thread.
enum Job {
    /// Records with their journal sequence numbers, acknowledged once durable.
    Write {
        records: Vec<(u64, String, Record)>,
        done: oneshot::Sender<Result<(), String>>,
    },
    /// Replace the log with a snapshot.
    Compact {
        snapshot: Vec<(String, Record)>,
        done: oneshot::Sender<Result<(), String>>,
    },
    /// Finish what is queued, then close the database.
    Stop,
}

/// Handle to the writer thread.
pub struct Persistence {
    queue: mpsc::Sender<Job>,
    thread: parking_lot::Mutex<Option<std::thread::JoinHandle<()>>>,
}

fn err(e: impl std::fmt::Display) -> String {
    format!("data directory: {e}")
}

/// Where the writer is in the log.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Position {
    /// Key of the next frame.
    next_frame: u64,
    /// Added to journal sequence numbers, so orders keep growing across restarts.
    base: u64,
    /// Bytes of all frames in the log.
    log_bytes: u64,
    /// Bytes of the log right after its last compaction or rewrite.
    live_bytes: u64,
}

impl Position {
    fn wants_rewrite(&self) -> bool {
        self.log_bytes >= REWRITE_MIN_BYTES
            && self.log_bytes >= REWRITE_FACTOR.saturating_mul(self.live_bytes)
    }
}

impl Persistence {
    /// Opens (or creates) the store in `dir`, refusing one written by an incompatible version
    /// or already opened by another server; a directory of format 1 is converted.
    pub fn open(dir: &Path) -> Result<(Persistence, Loaded), String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
        let path = dir.join("mediamock.redb");
        // What a compaction interrupted by a crash left (the database itself is intact).
        let _ = std::fs::remove_file(fresh_path(&path));
        let db = builder().create(&path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => format!(
                "data directory {} is in use by another mediamock server",
                dir.display()
            ),
            other => format!(
                "cannot open {}: {other} (was it written by an incompatible version?)",
                path.display()
            ),
        })?;
        let (loaded, position) = Self::load_or_init(&db, dir)?;
        let (db, position) = match position {
            Some(p) => (db, p),
            None => {
                // Format 1: converted by writing its records as a snapshot in a new file.
                let mut db = Some(db);
                let p = replace_file(&mut db, &path, |from, to| {
                    rewrite::snapshot(from, to, &loaded.records)
                })
                .map_err(|e| format!("data directory {}: cannot convert it: {e}", dir.display()))?;
                (db.ok_or_else(closed)?, p)
            }
        };
        let (queue, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("mediamock-writer".into())
            .spawn(move || writer(db, path, position, rx))
            .map_err(err)?;
        Ok((
            Persistence {
                queue,
                thread: parking_lot::Mutex::new(Some(thread)),
            },
            loaded,
        ))
    }

    /// The directory's records and the writer's position in its log; no position for a
    /// format-1 directory, which must be converted first.
    fn load_or_init(db: &Database, dir: &Path) -> Result<(Loaded, Option<Position>), String> {
        let txn = db.begin_write().map_err(err)?;
        let (token_key, legacy) = {
            let mut meta = txn.open_table(META).map_err(err)?;
            let format = meta.get("format").map_err(err)?.map(|v| v.value().to_vec());
            let legacy = match format {
                Some(f) if f == legacy::FORMAT.as_bytes() => true,
                Some(f) if f != FORMAT.as_bytes() => {
                    return Err(format!(
                        "data directory {} was written in format '{}', but this mediamock reads '{FORMAT}' \
                         (and converts '{}'): use another directory or the version that wrote it",
                        dir.display(),
                        String::from_utf8_lossy(&f),
                        legacy::FORMAT
                    ))
                }
                Some(_) => false,
                None => {
                    meta.insert("format", FORMAT.as_bytes()).map_err(err)?;
                    false
                }
            };
            let existing = meta
                .get("token_key")
                .map_err(err)?
                .map(|v| v.value().to_vec());
            let key = match existing {
                Some(k) if k.len() == 32 => {
                    let mut key = [0u8; 32];
                    key.copy_from_slice(&k);
                    key
                }
                _ => {
                    let key = service::IdGen::random_key();
                    meta.insert("token_key", &key[..]).map_err(err)?;
                    key
                }
            };
            (key, legacy)
        };
        let starts = {
            let mut meta = txn.open_table(META).map_err(err)?;
            let previous = meta
                .get("starts")
                .map_err(err)?
                .and_then(|v| v.value().try_into().ok().map(u64::from_le_bytes))
                .unwrap_or(0);
            meta.insert("starts", &(previous + 1).to_le_bytes()[..])
                .map_err(err)?;
            previous
        };
        txn.open_table(LOG).map_err(err)?;
        txn.commit().map_err(err)?;
        if legacy {
            let records = legacy::read(db, LOG)
                .map_err(|e| format!("data directory {}: {e}", dir.display()))?;
            return Ok((
                Loaded {
                    token_key,
                    starts,
                    records,
                },
                None,
            ));
        }
        let read = db.begin_read().map_err(err)?;
        let log = read.open_table(LOG).map_err(err)?;
        let mut ordered = Vec::new();
        let mut position = Position::default();
        for item in log.iter().map_err(err)? {
            let (key, value) = item.map_err(err)?;
            let (key, frame) = (key.value(), value.value());
            let records = frame::decode(frame).map_err(|e| {
                format!(
                    "data directory {}: log entry {key} is unreadable ({e}); nothing was changed: \
                     restore the directory from a backup, or start with another --data-dir",
                    dir.display()
                )
            })?;
            for (order, store, record) in records {
                position.base = position.base.max(order + 1);
                ordered.push((order, store, record));
            }
            position.next_frame = key + 1;
            position.log_bytes += frame.len() as u64;
        }
        position.live_bytes = position.log_bytes;
        // Frames hold batches in commit order; records within and across them replay in the
        // order the services made the changes.
        ordered.sort_by_key(|(order, _, _)| *order);
        let records = ordered.into_iter().map(|(_, s, r)| (s, r)).collect();
        Ok((
            Loaded {
                token_key,
                starts,
                records,
            },
            Some(position),
        ))
    }

    /// Replaces the whole log with `snapshot` (after replay, and on state import).
    pub async fn compact(&self, snapshot: Vec<(String, Record)>) -> Result<(), String> {
        let (done, wait) = oneshot::channel();
        self.send(Job::Compact { snapshot, done })?;
        wait.await
            .map_err(|_| "the writer has stopped".to_string())?
    }

    /// Makes journaled `records` durable; resolves once they are on disk.
    pub async fn commit(&self, records: Vec<(u64, String, Record)>) -> Result<(), String> {
        let (done, wait) = oneshot::channel();
        self.send(Job::Write { records, done })?;
        wait.await
            .map_err(|_| "the writer has stopped".to_string())?
    }

    /// Writes what is queued, compacts the log and closes the database, releasing its lock
    /// for another server.
    pub fn close(&self) {
        let _ = self.queue.send(Job::Stop);
        if let Some(t) = self.thread.lock().take() {
            let _ = t.join();
        }
    }

    fn send(&self, job: Job) -> Result<(), String> {
        self.queue
            .send(job)
            .map_err(|_| "the writer has stopped".to_string())
    }
}

/// The writer thread: record orders are `base + journal sequence`, so the log keeps the order
/// in which services made their changes even when requests finish in another order.
fn writer(db: Database, path: PathBuf, mut position: Position, rx: mpsc::Receiver<Job>) {
    let mut db = Some(db);
    let mut stopping = false;
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while let Ok(more) = rx.try_recv() {
            jobs.push(more);
        }
        let mut writes = Vec::new();
        for job in jobs {
            match job {
                Job::Stop => stopping = true,
                Job::Write { records, done } => writes.push((records, done)),
                Job::Compact { snapshot, done } => {
                    // Earlier writes first, so the snapshot (taken after them) wins.
                    flush(db.as_ref(), &mut position, &mut writes);
                    let result = replace_file(&mut db, &path, |from, to| {
                        rewrite::snapshot(from, to, &snapshot)
                    });
                    if let Ok(p) = &result {
                        position = *p;
                    }
                    let _ = done.send(result.map(|_| ()));
                }
            }
        }
        flush(db.as_ref(), &mut position, &mut writes);
        let rewrite = if stopping {
            position.log_bytes > position.live_bytes
        } else {
            position.wants_rewrite()
        };
        if rewrite {
            let base = position.base;
            match replace_file(&mut db, &path, |from, to| rewrite::live(from, to, base)) {
                Ok(p) => position = p,
                Err(e) => {
                    // Tried again once the log has doubled again.
                    tracing::warn!("{e}: the log was not rewritten");
                    position.live_bytes = position.log_bytes;
                }
            }
        }
        if stopping {
            break;
        }
    }
}

/// The file a compaction writes before it takes the database's place.
fn fresh_path(path: &Path) -> PathBuf {
    path.with_extension("redb.compacting")
}

fn builder() -> redb::Builder {
    let mut b = Database::builder();
    b.set_cache_size(CACHE_BYTES);
    b
}

/// Writes a new database file with `fill` (given the current database and the new one), then
/// renames it over the current one and reopens it. Until the rename the current file is
/// untouched, so a failure or a crash before it leaves the data directory as it was; the
/// rename is atomic, so a crash after it finds the new file complete.
fn replace_file(
    db: &mut Option<Database>,
    path: &Path,
    fill: impl FnOnce(&Database, &Database) -> Result<Position, String>,
) -> Result<Position, String> {
    let current = db.as_ref().ok_or_else(closed)?;
    let fresh = fresh_path(path);
    let _ = std::fs::remove_file(&fresh);
    let new = builder().create(&fresh).map_err(err)?;
    let filled = fill(current, &new);
    drop(new);
    let position = match filled {
        Ok(p) => p,
        Err(e) => {
            let _ = std::fs::remove_file(&fresh);
            return Err(e);
        }
    };
    if let Err(e) = std::fs::rename(&fresh, path) {
        let _ = std::fs::remove_file(&fresh);
        return Err(err(e));
    }
    if let Some(dir) = path.parent() {
        // The rename itself made durable.
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    *db = None;
    let reopened = builder().create(path).map_err(|e| {
        format!(
            "data directory: cannot reopen {} after compacting it: {e}",
            path.display()
        )
    })?;
    *db = Some(reopened);
    Ok(position)
}

fn closed() -> String {
    "data directory: the database could not be reopened after a compaction; restart the server"
        .to_string()
}

type Pending = Vec<(
    Vec<(u64, String, Record)>,
    oneshot::Sender<Result<(), String>>,
)>;

fn flush(db: Option<&Database>, position: &mut Position, writes: &mut Pending) {
    if writes.is_empty() {
        return;
    }
    let result = match db {
        Some(db) => write_all(db, position, writes),
        None => Err(closed()),
    };
    for (_, done) in writes.drain(..) {
        let _ = done.send(result.clone());
    }
}

/// Appends every pending write in one transaction, as one frame (or a few, for a big batch).
fn write_all(db: &Database, position: &mut Position, writes: &Pending) -> Result<(), String> {
    let txn = db.begin_write().map_err(err)?;
    let (mut next, mut bytes) = (position.next_frame, 0u64);
    {
        let mut log = txn.open_table(LOG).map_err(err)?;
        let mut frame = FrameWriter::default();
        let records = writes.iter().flat_map(|(records, _)| records);
        let mut records = records.peekable();
        while let Some((seq, store, record)) = records.next() {
            frame
                .push(position.base + seq, store, record)
                .map_err(err)?;
            if frame.len() >= frame::CHUNK || records.peek().is_none() {
                let bytes_of = frame.finish().map_err(err)?;
                log.insert(next, bytes_of.as_slice()).map_err(err)?;
                next += 1;
                bytes += bytes_of.len() as u64;
            }
        }
    }
    txn.commit().map_err(err)?;
    position.next_frame = next;
    position.log_bytes += bytes;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(key: &str) -> (String, Record) {
        (
            "ivs".to_string(),
            Record {
                account: "000000000000".into(),
                table: "channel".into(),
                key: key.into(),
                value: Some(json!({"name": key})),
            },
        )
    }

    fn seq(n: u64, (store, r): (String, Record)) -> (u64, String, Record) {
        (n, store, r)
    }

    #[tokio::test]
    async fn committed_records_survive_reopen_in_order() {
        let dir = std::env::temp_dir().join(format!("mm-persist-{}", uuid::Uuid::new_v4()));
        let key = {
            let (p, loaded) = Persistence::open(&dir).unwrap();
            assert!(loaded.records.is_empty());
            // Sequence numbers, not arrival, decide the order.
            p.commit(vec![seq(5, record("c"))]).await.unwrap();
            p.commit(vec![seq(1, record("a")), seq(2, record("b"))])
                .await
                .unwrap();
            p.close();
            loaded.token_key
        };
        let (_p, loaded) = Persistence::open(&dir).unwrap();
        let keys: Vec<_> = loaded.records.iter().map(|(_, r)| r.key.clone()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(loaded.token_key, key);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn temp(tag: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("mm-{tag}-{}", uuid::Uuid::new_v4()))
    }

    /// The database file itself, once a dropped writer thread has let go of it.
    fn open_raw(dir: &Path) -> Database {
        for _ in 0..500 {
            match Database::create(dir.join("mediamock.redb")) {
                Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                other => return other.unwrap(),
            }
        }
        panic!("the database stayed open");
    }

    fn frames(dir: &Path) -> Vec<(u64, Vec<u8>)> {
        let db = open_raw(dir);
        let read = db.begin_read().unwrap();
        let log = read.open_table(LOG).unwrap();
        log.iter()
            .unwrap()
            .map(|i| {
                let (k, v) = i.unwrap();
                (k.value(), v.value().to_vec())
            })
            .collect()
    }

    #[tokio::test]
    async fn a_format_1_directory_is_converted_keeping_its_records_and_key() {
        let dir = temp("legacy");
        std::fs::create_dir_all(&dir).unwrap();
        let old: Vec<(String, Record)> = vec![record("b"), record("a"), {
            let (s, mut r) = record("b");
            r.value = None;
            (s, r)
        }];
        {
            let db = Database::create(dir.join("mediamock.redb")).unwrap();
            let txn = db.begin_write().unwrap();
            {
                let mut meta = txn.open_table(META).unwrap();
                meta.insert("format", b"mediamock-1".as_slice()).unwrap();
                meta.insert("token_key", [7u8; 32].as_slice()).unwrap();
                let mut log = txn.open_table(LOG).unwrap();
                // Keys as format 1 wrote them: base + journal sequence, gaps allowed.
                for (i, entry) in old.iter().enumerate() {
                    let bytes = serde_json::to_vec(entry).unwrap();
                    log.insert(10 + 3 * i as u64, bytes.as_slice()).unwrap();
                }
            }
            txn.commit().unwrap();
        }
        {
            let (p, loaded) = Persistence::open(&dir).unwrap();
            assert_eq!(loaded.records, old);
            assert_eq!(loaded.token_key, [7u8; 32]);
            p.commit(vec![seq(0, record("c"))]).await.unwrap();
            p.close();
        }
        // Now of the current format, read without conversion, the later write after them.
        let (_p, loaded) = Persistence::open(&dir).unwrap();
        let mut expected = old.clone();
        expected.push(record("c"));
        // The close rewrote the log: "b" was removed last, so it is gone entirely.
        expected.retain(|(_, r)| r.key != "b");
        assert_eq!(loaded.records, expected);
        assert_eq!(loaded.token_key, [7u8; 32]);
        drop(_p);
        let db = open_raw(&dir);
        let read = db.begin_read().unwrap();
        let meta = read.open_table(META).unwrap();
        assert_eq!(
            meta.get("format").unwrap().unwrap().value(),
            FORMAT.as_bytes()
        );
        drop((meta, read, db));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn an_unreadable_record_is_refused_by_entry_and_nothing_is_lost() {
        let dir = temp("corrupt");
        {
            let (p, _) = Persistence::open(&dir).unwrap();
            p.commit(vec![seq(0, record("a"))]).await.unwrap();
            p.commit(vec![seq(1, record("b"))]).await.unwrap();
            // Dropped without close: no rewrite, two frames.
        }
        let before = frames(&dir);
        assert_eq!(before.len(), 2);
        // Damage the second frame's payload (past its codec byte and zlib header).
        {
            let db = open_raw(&dir);
            let txn = db.begin_write().unwrap();
            {
                let mut log = txn.open_table(LOG).unwrap();
                let mut bad = before[1].1.clone();
                let i = bad.len() / 2;
                bad[i] ^= 0xff;
                log.insert(before[1].0, bad.as_slice()).unwrap();
            }
            txn.commit().unwrap();
        }
        let damaged = frames(&dir);
        let e = Persistence::open(&dir).err().unwrap();
        assert!(e.contains(&format!("log entry {}", before[1].0)), "{e}");
        assert!(e.contains("nothing was changed"), "{e}");
        // The refusal wrote nothing: every frame, the good one included, is still there.
        assert_eq!(frames(&dir), damaged);
        assert_eq!(frames(&dir)[0], before[0]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn the_rewrite_keeps_the_last_record_of_each_key_in_order() {
        let dir = temp("rewrite");
        {
            let (p, _) = Persistence::open(&dir).unwrap();
            let mut n = 0;
            for round in 0..50 {
                for key in ["a", "b", "c", "d"] {
                    let (s, mut r) = record(key);
                    r.value = Some(json!({"round": round}));
                    p.commit(vec![(n, s, r)]).await.unwrap();
                    n += 1;
                }
            }
            // Dropped without close (as by kill -9): one frame per commit.
        }
        assert_eq!(frames(&dir).len(), 200);
        {
            let (p, _) = Persistence::open(&dir).unwrap();
            // "b" removed, "a" written again: the order is now c, d, a.
            let (s, mut gone) = record("b");
            gone.value = None;
            p.commit(vec![(0, s, gone), seq(1, record("a"))])
                .await
                .unwrap();
            p.close();
        }
        let log = frames(&dir);
        assert_eq!(log.len(), 1, "one frame after the rewrite at close");
        let (_p, loaded) = Persistence::open(&dir).unwrap();
        let got: Vec<_> = loaded
            .records
            .iter()
            .map(|(_, r)| (r.key.as_str(), r.value.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("c", json!({"round": 49})),
                ("d", json!({"round": 49})),
                ("a", json!({"name": "a"})),
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_log_grown_past_its_threshold_is_rewritten_while_running() {
        let dir = temp("grown");
        let noise = |n: usize| -> String {
            (0..n)
                .map(|_| uuid::Uuid::new_v4().simple().to_string())
                .collect()
        };
        let mut last = std::collections::BTreeMap::new();
        {
            let (p, _) = Persistence::open(&dir).unwrap();
            // 200 commits of ~16 KB of hex each: past 1 MiB compressed, ten keys live.
            for i in 0..200u64 {
                let (s, mut r) = record(&format!("k{}", i % 10));
                r.value = Some(json!({"noise": noise(500), "i": i}));
                last.insert(r.key.clone(), r.value.clone().unwrap());
                p.commit(vec![(i, s, r)]).await.unwrap();
            }
            // Dropped without close: only the rewrite made while running shrank the log.
        }
        let log = frames(&dir);
        assert!(log.len() < 150, "{} frames: no rewrite", log.len());
        let (_p, loaded) = Persistence::open(&dir).unwrap();
        let got: std::collections::BTreeMap<_, _> = loaded
            .records
            .into_iter()
            .map(|(_, r)| (r.key, r.value.unwrap()))
            .collect();
        assert_eq!(got, last);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_grown_log_asks_for_a_rewrite() {
        let p = |log_bytes, live_bytes| Position {
            log_bytes,
            live_bytes,
            ..Position::default()
        };
        assert!(!p(1000, 10).wants_rewrite(), "too small to bother");
        assert!(!p(3 << 20, 2 << 20).wants_rewrite());
        assert!(p(4 << 20, 2 << 20).wants_rewrite());
    }

    #[test]
    fn a_second_server_on_the_same_directory_is_refused() {
        let dir = std::env::temp_dir().join(format!("mm-lock-{}", uuid::Uuid::new_v4()));
        let _first = Persistence::open(&dir).unwrap();
        let second = Persistence::open(&dir).err().unwrap();
        assert!(second.contains("in use"), "{second}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_incompatible_format_is_refused() {
        let dir = std::env::temp_dir().join(format!("mm-format-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        {
            let db = Database::create(dir.join("mediamock.redb")).unwrap();
            let txn = db.begin_write().unwrap();
            txn.open_table(META)
                .unwrap()
                .insert("format", b"mediamock-0".as_slice())
                .unwrap();
            txn.commit().unwrap();
        }
        let e = Persistence::open(&dir).err().unwrap();
        assert!(e.contains("mediamock-0"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
