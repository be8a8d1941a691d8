//! Drives one kind of request at a server over N keep-alive connections for a fixed time and
//! measures throughput and latency.

use bench::client::{Client, Keys, Request};
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
    /// One client's latencies and failures (the first failure seen is the one kept).
    fn add(&mut self, samples: Vec<Duration>, errors: u64, first_error: Option<String>) {
        self.samples.extend(samples);
        self.errors += errors;
        self.first_error = self.first_error.take().or(first_error);
    }

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
        into.add(samples, e, first);
    }
    into.measured += measure;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rounds add up: the rate is every sample over every measured period, the percentiles
    /// are over all samples, and the first failure seen is the one kept.
    #[test]
    fn collected_rounds_make_one_measurement() {
        let ms = Duration::from_millis;
        let mut c = Collected::default();
        for (samples, errors, first) in [
            (vec![ms(3), ms(1)], 0, None),
            (vec![ms(2); 98], 2, Some("500 first".to_string())),
            (vec![], 1, Some("500 second".to_string())),
        ] {
            c.add(samples, errors, first);
            c.measured += Duration::from_secs(1);
        }
        let s = c.stats();
        assert!((s.rps - 100.0 / 3.0).abs() < 1e-9, "{}", s.rps);
        assert_eq!((s.p50, s.p99), (ms(2), ms(3)));
        assert_eq!(s.errors, 3);
        assert_eq!(s.first_error.as_deref(), Some("500 first"));
        assert_eq!(Collected::default().stats().rps, 0.0);
    }
}
