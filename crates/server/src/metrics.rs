//! Prometheus counters: requests by service, operation and status; authorization decisions;
//! a latency histogram; resources by type (asked of the services when scraped).

use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 10] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1.0,
];

#[derive(Default)]
struct Inner {
    /// Service → operation → status → count: nested so that counting a request looks its
    /// names up by reference instead of allocating a key each time.
    requests: BTreeMap<String, BTreeMap<String, BTreeMap<u16, u64>>>,
    decisions: BTreeMap<&'static str, u64>,
    buckets: [u64; BUCKETS.len()],
    latency_count: u64,
    latency_sum: f64,
}

/// The server's counters.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    /// Counts one finished request.
    pub fn request(&self, service: &str, operation: &str, status: u16, latency: Duration) {
        let secs = latency.as_secs_f64();
        let mut m = self.inner.lock();
        let operations = match m.requests.get_mut(service) {
            Some(o) => o,
            None => m.requests.entry(service.to_string()).or_default(),
        };
        let statuses = match operations.get_mut(operation) {
            Some(s) => s,
            None => operations.entry(operation.to_string()).or_default(),
        };
        *statuses.entry(status).or_default() += 1;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                m.buckets[i] += 1;
            }
        }
        m.latency_count += 1;
        m.latency_sum += secs;
    }

    /// Counts one authorization decision (`allowed` or `denied`).
    pub fn decision(&self, result: &'static str) {
        *self.inner.lock().decisions.entry(result).or_default() += 1;
    }

    /// The Prometheus text exposition, with resource counts supplied by the caller.
    pub fn render(&self, resources: &[(String, &'static str, usize)]) -> String {
        let m = self.inner.lock();
        let mut out = String::new();
        out.push_str("# HELP mediamock_requests_total Requests served, by service, operation and HTTP status.\n# TYPE mediamock_requests_total counter\n");
        for (service, operations) in &m.requests {
            for (op, statuses) in operations {
                for (status, n) in statuses {
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
        for (result, n) in &m.decisions {
            let _ = writeln!(
                out,
                "mediamock_authorization_decisions_total{{result=\"{result}\"}} {n}"
            );
        }
        out.push_str("# HELP mediamock_request_duration_seconds Time from request received to response ready.\n# TYPE mediamock_request_duration_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "mediamock_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                m.buckets[i]
            );
        }
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            m.latency_count
        );
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_sum {}",
            m.latency_sum
        );
        let _ = writeln!(
            out,
            "mediamock_request_duration_seconds_count {}",
            m.latency_count
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
        m.decision("denied");
        let text = m.render(&[("ivs".into(), "channel", 4)]);
        assert!(text.contains(
            "mediamock_requests_total{service=\"ivs\",operation=\"GetChannel\",status=\"200\"} 2"
        ));
        assert!(text.contains("mediamock_authorization_decisions_total{result=\"denied\"} 1"));
        assert!(text.contains("mediamock_request_duration_seconds_bucket{le=\"0.0001\"} 1"));
        assert!(text.contains("mediamock_request_duration_seconds_count 2"));
        assert!(text.contains("mediamock_resources{service=\"ivs\",type=\"channel\"} 4"));
    }
}
