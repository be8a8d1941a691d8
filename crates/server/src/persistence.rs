//! Durable state in a redb database: an append-only log of service records, written by one
//! writer thread that commits every batch waiting at that moment in a single transaction
//! (group commit), so a burst of writes shares one disk sync instead of queueing for many.
//! At startup the log is replayed into the services and compacted to their current records.

use redb::{Database, ReadableTable, TableDefinition};
use service::Record;
use std::path::Path;
use std::sync::mpsc;
use tokio::sync::oneshot;

const LOG: TableDefinition<u64, &[u8]> = TableDefinition::new("log");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// The on-disk format this version reads and writes.
const FORMAT: &str = "mediamock-1";

/// What an existing data directory held.
pub struct Loaded {
    /// The pagination-token key, kept so tokens stay valid across restarts.
    pub token_key: [u8; 32],
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

impl Persistence {
    /// Opens (or creates) the store in `dir`, refusing one written by an incompatible version
    /// or already opened by another server.
    pub fn open(dir: &Path) -> Result<(Persistence, Loaded), String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
        let path = dir.join("mediamock.redb");
        let db = Database::create(&path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => format!(
                "data directory {} is in use by another mediamock server",
                dir.display()
            ),
            other => format!(
                "cannot open {}: {other} (was it written by an incompatible version?)",
                path.display()
            ),
        })?;
        let loaded = Self::load_or_init(&db, dir)?;
        let (queue, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("mediamock-writer".into())
            .spawn(move || writer(db, rx))
            .map_err(err)?;
        Ok((
            Persistence {
                queue,
                thread: parking_lot::Mutex::new(Some(thread)),
            },
            loaded,
        ))
    }

    fn load_or_init(db: &Database, dir: &Path) -> Result<Loaded, String> {
        let txn = db.begin_write().map_err(err)?;
        let token_key = {
            let mut meta = txn.open_table(META).map_err(err)?;
            let format = meta.get("format").map_err(err)?.map(|v| v.value().to_vec());
            match format {
                Some(f) if f != FORMAT.as_bytes() => {
                    return Err(format!(
                        "data directory {} was written in format '{}', but this mediamock reads '{FORMAT}': \
                         use another directory or the version that wrote it",
                        dir.display(),
                        String::from_utf8_lossy(&f)
                    ))
                }
                Some(_) => {}
                None => {
                    meta.insert("format", FORMAT.as_bytes()).map_err(err)?;
                }
            }
            let existing = meta
                .get("token_key")
                .map_err(err)?
                .map(|v| v.value().to_vec());
            match existing {
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
            }
        };
        txn.open_table(LOG).map_err(err)?;
        txn.commit().map_err(err)?;
        let read = db.begin_read().map_err(err)?;
        let log = read.open_table(LOG).map_err(err)?;
        let mut records = Vec::new();
        for item in log.iter().map_err(err)? {
            let (_, value) = item.map_err(err)?;
            let (store, record): (String, Record) = serde_json::from_slice(value.value())
                .map_err(|e| format!("data directory {}: unreadable record: {e}", dir.display()))?;
            records.push((store, record));
        }
        Ok(Loaded { token_key, records })
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

    /// Writes what is queued and closes the database, releasing its lock for another server.
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

/// The writer thread: log keys are `base + journal sequence`, so the log keeps the order in
/// which services made their changes even when requests finish in another order.
fn writer(db: Database, rx: mpsc::Receiver<Job>) {
    let mut base = match last_key(&db) {
        Ok(Some(k)) => k + 1,
        _ => 0,
    };
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
                    flush(&db, base, &mut writes);
                    let result = compact(&db, &snapshot);
                    if result.is_ok() {
                        base = snapshot.len() as u64;
                    }
                    let _ = done.send(result);
                }
            }
        }
        flush(&db, base, &mut writes);
        if stopping {
            break;
        }
    }
}

type Pending = Vec<(
    Vec<(u64, String, Record)>,
    oneshot::Sender<Result<(), String>>,
)>;

fn flush(db: &Database, base: u64, writes: &mut Pending) {
    if writes.is_empty() {
        return;
    }
    let result = write_all(db, base, writes);
    for (_, done) in writes.drain(..) {
        let _ = done.send(result.clone());
    }
}

fn last_key(db: &Database) -> Result<Option<u64>, String> {
    let read = db.begin_read().map_err(err)?;
    let log = read.open_table(LOG).map_err(err)?;
    let last = log.last().map_err(err)?.map(|(k, _)| k.value());
    Ok(last)
}

fn write_all(db: &Database, base: u64, writes: &Pending) -> Result<(), String> {
    let txn = db.begin_write().map_err(err)?;
    {
        let mut log = txn.open_table(LOG).map_err(err)?;
        for (records, _) in writes {
            for (seq, store, record) in records {
                let bytes = serde_json::to_vec(&(store, record)).map_err(err)?;
                log.insert(base + seq, bytes.as_slice()).map_err(err)?;
            }
        }
    }
    txn.commit().map_err(err)
}

fn compact(db: &Database, snapshot: &[(String, Record)]) -> Result<(), String> {
    let txn = db.begin_write().map_err(err)?;
    txn.delete_table(LOG).map_err(err)?;
    {
        let mut log = txn.open_table(LOG).map_err(err)?;
        for (i, entry) in snapshot.iter().enumerate() {
            let bytes = serde_json::to_vec(entry).map_err(err)?;
            log.insert(i as u64, bytes.as_slice()).map_err(err)?;
        }
    }
    txn.commit().map_err(err)
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
