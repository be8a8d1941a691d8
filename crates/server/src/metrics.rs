//! Prometheus counters: requests by service, operation and status; authorization decisions;
//! a latency histogram; resources by type (asked of the services when scraped).

use parking_lot::RwLock;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 10] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1.0,
];

/// Service → operation → status → count: nested so that counting a request looks its names up
/// by reference instead of allocating a key each time.
type RequestCounts = BTreeMap<String, BTreeMap<String, BTreeMap<u16, AtomicU64>>>;

/// The server's counters. Every request counts under a read lock and with atomic adds, so the
/// worker threads never wait for each other here (a mutex made them yield the CPU to each
/// other about once in ten requests); the write lock is taken once per new
/// service/operation/status.
#[derive(Default)]
pub struct Metrics {
    requests: RwLock<RequestCounts>,
    allowed: AtomicU64,
    denied: AtomicU64,
    /// Requests by the first bucket their latency fits (not cumulative).
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_nanos: AtomicU64,
}

impl Metrics {
    /// Counts one finished request.
    pub fn request(&self, service: &str, operation: &str, status: u16, latency: Duration) {
        let counted = {
            let requests = self.requests.read();
            let count = requests
                .get(service)
                .and_then(|o| o.get(operation))
                .and_then(|s| s.get(&status));
            count.map(|n| n.fetch_add(1, Relaxed)).is_some()
        };
        if !counted {
            let mut requests = self.requests.write();
            requests
                .entry(service.to_string())
                .or_default()
                .entry(operation.to_string())
                .or_default()
                .entry(status)
                .or_default()
                .fetch_add(1, Relaxed);
        }
        // One add, to the first bucket the latency fits (the exposition's buckets are
        // cumulative: `render` sums them), rather than one to every bucket it fits.
        let secs = latency.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| secs <= *bound) {
            self.buckets[bucket].fetch_add(1, Relaxed);
        }
        self.latency_count.fetch_add(1, Relaxed);
        let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.latency_sum_nanos.fetch_add(nanos, Relaxed);
    }

    /// Counts one authorization decision.
    pub fn decision(&self, allowed: bool) {
        let counter = if allowed { &self.allowed } else { &self.denied };
        counter.fetch_add(1, Relaxed);
    }

    /// The Prometheus text exposition, with resource counts supplied by the caller.
    pub fn render(&self, resources: &[(String, &'static str, usize)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP mediamock_requests_total Requests served, by service, operation and HTTP status.\n# TYPE mediamock_requests_total counter\n");
        for (service, operations) in self.requests.read().iter() {
            for (op, statuses) in operations {
                for (status, n) in statuses {
                    let n = n.load(Relaxed);
                    let _ = writeln!(
                        out,
                        "mediamock_requests_total{{service=\"{}\",operation=\"{}\",status=\"{status}\"}} {n}",
                        escape(service),
                        escape(op)
                    );
                }
            }
        }
        out.push_str("# HELP mediamock_authorization_decisions_total Authorization decisions, by result.\n# TYPE mediamock_authorization_decisions_total counter\n");
        let decisions = [("allowed", &self.allowed), ("denied", &self.denied)];
        for (result, n) in decisions.map(|(r, n)| (r, n.load(Relaxed))) {
            if n == 0 {
                continue; // as before: a result is listed once it happened
            }
            let _ = writeln!(
                out,
                "mediamock_authorization_decisions_total{{result=\"{result}\"}} {n}"
            );
        }
        out.push_str("# HELP mediamock_request_duration_seconds Time from request received to response ready.\n# TYPE mediamock_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += n.load(Relaxed);
            let _ = writeln!(
                out,
                "mediamock_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            self.latency_count.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_sum {}",
            self.latency_sum_nanos.load(Relaxed) as f64 / 1e9
        );
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_count {}",
            self.latency_count.load(Relaxed)
        );
        out.push_str("# HELP mediamock_resources Resources currently stored, by service and type.\n# TYPE mediamock_resources gauge\n");
        for (service, kind, n) in resources {
            let _ = writeln!(
                out,
                "mediamock_resources{{service=\"{}\",type=\"{kind}\"}} {n}",
                escape(service)
            );
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histogram() {
        let m = Metrics::default();
        m.request("ivs", "GetChannel", 200, Duration::from_micros(50));
        m.request("ivs", "GetChannel", 200, Duration::from_millis(3));
        m.decision(false);
        m.request("ivs", "GetChannel", 403, Duration::from_micros(70));
        let text = m.render(&[("ivs".into(), "channel", 4)]);
        assert!(text.contains(
            "mediamock_requests_total{service=\"ivs\",operation=\"GetChannel\",status=\"200\"} 2"
        ));
        assert!(text.contains("mediamock_authorization_decisions_total{result=\"denied\"} 1"));
        assert!(
            !text.contains("result=\"allowed\""),
            "a result is listed once it happened"
        );
        assert!(text.contains(
            "mediamock_requests_total{service=\"ivs\",operation=\"GetChannel\",status=\"403\"} 1"
        ));
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"0.0001\"} 2"));
        // Cumulative: the 3 ms request counts from the 0.005 bucket on, the others in all.
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"0.0025\"} 2\n"));
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"1\"} 3\n"));
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("mediamock_request_duration_seconds_count 3"));
        assert!(
            text.contains("mediamock_request_duration_seconds_sum 0.00312\n"),
            "{text}"
        );
        assert!(text.contains("mediamock_resources{service=\"ivs\",type=\"channel\"} 4"));
    }
}
