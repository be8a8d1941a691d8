//! Drives one kind of request at a server over N keep-alive connections for a fixed time and
//! measures throughput and latency.

use crate::client::{Client, Keys, Request};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one load run measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    /// Successful (2xx) requests per second.
    pub rps: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// Answers that were not 2xx (or failed on the wire).
    pub errors: u64,
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
            loop {
                let t = Instant::now();
                if t >= end {
                    break;
                }
                let ok = matches!(client.send(&req, &keys).await, Ok((s, _)) if (200..300).contains(&s));
                let done = Instant::now();
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
            Ok::<_, String>((samples, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (samples, e) = t.await.map_err(|e| e.to_string())??;
        all.extend(samples);
        errors += e;
    }
    all.sort_unstable();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok(Stats {
        rps: all.len() as f64 / measure.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        errors,
    })
}
