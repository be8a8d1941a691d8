//! End-to-end request latency over loopback (in-process server, one keep-alive hyper
//! connection, real SigV4 signing): STS GetCallerIdentity and IVS GetChannel; and the time
//! from `start()` to the first answered `/_mediamock/health`.

use bench::client::{Client, Keys, Request};
use criterion::{criterion_group, Criterion};
use server::Config;
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// Median of `samples`.
fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Starts a server and waits until health answers; returns the time that took.
async fn startup_to_first_response() -> Duration {
    let started = Instant::now();
    let server = server::start(Config::for_tests()).await.expect("start");
    let mut client = Client::connect(server.addr()).await.expect("connect");
    let (status, _) = client.get("/_mediamock/health").await.expect("health");
    let took = started.elapsed();
    assert_eq!(status, 200);
    drop(client);
    server.shutdown().await;
    took
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let (server, mut client, arn) = rt.block_on(async {
        let server = server::start(Config::for_tests()).await.expect("start");
        let mut client = Client::connect(server.addr()).await.expect("connect");
        let create = Request::json("ivs", "POST", "/CreateChannel", r#"{"name":"bench"}"#);
        let (status, body) = client
            .send(&create, &Keys::new("test", "test"))
            .await
            .expect("CreateChannel");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
        let arn = v["channel"]["arn"].as_str().unwrap_or_default().to_string();
        (server, client, arn)
    });
    let get_channel = format!(r#"{{"arn":"{arn}"}}"#);
    let sts = Request::get_caller_identity();
    let get = Request::json("ivs", "POST", "/GetChannel", &get_channel);
    let root = Keys::new("test", "test");

    let mut group = c.benchmark_group("end-to-end over loopback");
    for (name, call) in [("STS GetCallerIdentity", &sts), ("IVS GetChannel", &get)] {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        let (status, _) = client.send(call, &root).await.expect("send");
                        assert_eq!(status, 200);
                    }
                    t.elapsed()
                })
            })
        });
    }
    group.finish();

    // Side by side, printed for the README.
    let mut per_op = Vec::new();
    for (name, call) in [("STS GetCallerIdentity", &sts), ("IVS GetChannel", &get)] {
        let samples: Vec<Duration> = (0..2000)
            .map(|_| {
                rt.block_on(async {
                    let t = Instant::now();
                    let _ = client.send(call, &root).await;
                    t.elapsed()
                })
            })
            .collect();
        let mut sorted = samples.clone();
        sorted.sort();
        let p99 = sorted
            .get(sorted.len() * 99 / 100)
            .copied()
            .unwrap_or_default();
        per_op.push((name, median(samples), p99));
    }
    let startups: Vec<Duration> = (0..10)
        .map(|_| rt.block_on(startup_to_first_response()))
        .collect();
    rt.block_on(server.shutdown());

    println!("\n== end-to-end latency (signed, one keep-alive loopback connection) ==");
    for (name, p50, p99) in per_op {
        println!(
            "{name}: p50 {:.0} µs, p99 {:.0} µs",
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6
        );
    }
    println!(
        "startup to first /_mediamock/health response: median {:.1} ms over {} starts",
        median(startups).as_secs_f64() * 1e3,
        10
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
