//! Group commit, measured: 64 concurrent writers committing through `Persistence::commit`
//! (the writer thread folds whatever is queued into one transaction) against the same
//! writes committed one transaction at a time. Both run in the same process, side by side,
//! and the writes/s and their ratio are printed.

use criterion::{criterion_group, Criterion};
use serde_json::json;
use server::persistence::Persistence;
use service::Record;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Concurrent writers in the group-commit run.
const WRITERS: usize = 64;
/// Writes per writer.
const PER_WRITER: usize = 50;

fn record(n: u64) -> (u64, String, Record) {
    (
        n,
        "ivs".to_string(),
        Record {
            account: "000000000000".into(),
            table: "channel".into(),
            key: format!("arn:aws:ivs:us-west-2:000000000000:channel/{n:012}"),
            value: Some(
                json!({"name": format!("ch-{n}"), "latencyMode": "LOW", "type": "STANDARD"}),
            ),
        },
    )
}

fn open() -> (Arc<Persistence>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("mediamock-bench-{}", uuid::Uuid::new_v4()));
    let (p, _) = Persistence::open(&dir).expect("open");
    (Arc::new(p), dir)
}

fn close(p: Arc<Persistence>, dir: std::path::PathBuf) {
    p.close();
    let _ = std::fs::remove_dir_all(dir);
}

/// `WRITERS` tasks each committing `PER_WRITER` single-record writes concurrently.
async fn concurrent(p: &Arc<Persistence>, seq: &Arc<AtomicU64>) -> Duration {
    let t = Instant::now();
    let tasks: Vec<_> = (0..WRITERS)
        .map(|_| {
            let p = p.clone();
            let seq = seq.clone();
            tokio::spawn(async move {
                for _ in 0..PER_WRITER {
                    let n = seq.fetch_add(1, Ordering::Relaxed);
                    p.commit(vec![record(n)]).await.expect("commit");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("writer");
    }
    t.elapsed()
}

/// The same number of writes, each waiting for its own transaction before the next.
async fn one_by_one(p: &Arc<Persistence>, seq: &Arc<AtomicU64>) -> Duration {
    let t = Instant::now();
    for _ in 0..WRITERS * PER_WRITER {
        let n = seq.fetch_add(1, Ordering::Relaxed);
        p.commit(vec![record(n)]).await.expect("commit");
    }
    t.elapsed()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (p, dir) = open();
    let seq = Arc::new(AtomicU64::new(0));
    let writes = (WRITERS * PER_WRITER) as f64;

    let mut group = c.benchmark_group("persistence");
    group.sample_size(10);
    group.bench_function("3200 writes, 64 concurrent writers (group commit)", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| rt.block_on(concurrent(&p, &seq))).sum())
    });
    group.bench_function("3200 writes, one transaction each", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| rt.block_on(one_by_one(&p, &seq))).sum())
    });
    group.finish();

    // Interleaved rounds, so both see the same disk and load.
    let (mut grouped, mut single) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        grouped.push(rt.block_on(concurrent(&p, &seq)));
        single.push(rt.block_on(one_by_one(&p, &seq)));
    }
    grouped.sort();
    single.sort();
    let g = writes / grouped[grouped.len() / 2].as_secs_f64();
    let s = writes / single[single.len() / 2].as_secs_f64();
    println!("\n== persistence group commit (redb, durable commits, same run) ==");
    println!("{WRITERS} concurrent writers through Persistence::commit: {g:.0} writes/s");
    println!("same writes, one transaction each:                {s:.0} writes/s");
    println!("group commit speed-up: {:.1}x", g / s);
    close(p, dir);
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
