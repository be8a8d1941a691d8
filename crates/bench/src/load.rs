//! Drives one kind of request at a server over N keep-alive connections for a fixed time and
//! measures throughput and latency.

use crate::client::{Client, Keys, Request};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one load run measured.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Successful (2xx) requests per second.
    pub rps: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// Answers that were not 2xx (or failed on the wire).
    pub errors: u64,
    /// The first such answer, to say what went wrong.
    pub first_error: Option<String>,
}

/// Sends `req` (signed anew each time) from `connections` clients for `warmup` + `measure`;
/// only requests completed during `measure` count.
pub async fn run(
    addr: SocketAddr,
    req: Arc<Request>,
    keys: Arc<Keys>,
    connections: usize,
    warmup: Duration,
    measure: Duration,
) -> Result<Stats, String> {
    let mut collected = Collected::default();
    collect(
        addr,
        req,
        keys,
        connections,
        warmup,
        measure,
        &mut collected,
    )
    .await?;
    Ok(collected.stats())
}

/// Latencies and failures gathered over one or more measured periods (the rounds in which
/// servers take turns), and how long they were measured in all.
#[derive(Default)]
pub struct Collected {
    samples: Vec<Duration>,
    errors: u64,
    first_error: Option<String>,
    measured: Duration,
}

impl Collected {
    /// Requests per second and percentiles over everything collected.
    pub fn stats(mut self) -> Stats {
        let all = &mut self.samples;
        all.sort_unstable();
        let at = |q: f64| {
            all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        let measured = self.measured.as_secs_f64();
        Stats {
            rps: if measured > 0.0 {
                all.len() as f64 / measured
            } else {
                0.0
            },
            p50: at(0.50),
            p99: at(0.99),
            errors: self.errors,
            first_error: self.first_error,
        }
    }
}

/// As [`run`], adding what it measures to `into`.
pub async fn collect(
    addr: SocketAddr,
    req: Arc<Request>,
    keys: Arc<Keys>,
    connections: usize,
    warmup: Duration,
    measure: Duration,
    into: &mut Collected,
) -> Result<(), String> {
    let start = Instant::now() + warmup;
    let end = start + measure;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let req = req.clone();
        let keys = keys.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(addr).await?;
            let mut samples = Vec::with_capacity(1 << 14);
            let mut errors = 0u64;
            let mut first_error = None;
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let answer = client.send(&req, &keys).await;
                let done = Instant::now();
                let ok = matches!(answer, Ok((s, _)) if (200..300).contains(&s));
                if !ok && first_error.is_none() {
                    first_error = Some(match answer {
                        Ok((s, body)) => format!("{s} {}", String::from_utf8_lossy(&body)),
                        Err(e) => e,
                    });
                }
                if t >= start {
                    if ok {
                        samples.push(done - t);
                    } else {
                        errors += 1;
                    }
                }
                if !ok {
                    // A failed connection is replaced, as a client pool would.
                    if let Ok(c) = Client::connect(addr).await {
                        client = c;
                    }
                }
            }
            Ok::<_, String>((samples, errors, first_error))
        }));
    }
    for t in tasks {
        let (samples, e, first) = t.await.map_err(|e| e.to_string())??;
        into.samples.extend(samples);
        into.errors += e;
        into.first_error = into.first_error.take().or(first);
    }
    into.measured += measure;
    Ok(())
}
