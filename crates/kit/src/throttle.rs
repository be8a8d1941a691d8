//! Request rates on demand (`--throttle aws`): token buckets per caller and operation that
//! refill at AWS's documented rate, so SDK retry and backoff code meets a real
//! `ThrottlingException` locally. Off by default: CI stays deterministic.

use service::Runtime;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One documented request rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// The operation it limits.
    pub operation: &'static str,
    /// Requests per second.
    pub per_second: f64,
}

/// A token bucket: holds at most one second's worth of requests.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of one service, keyed by what a rate applies to (account, region,
/// operation, and e.g. the channel for per-channel rates).
#[derive(Debug, Default)]
pub struct Throttle {
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Throttle {
    /// The rate in force for `operation` of `service`: configuration's, else `documented`'s;
    /// `None` when throttling is off or the operation has no rate.
    pub fn rate(
        runtime: &Runtime,
        service: &str,
        operation: &str,
        documented: &[Rate],
    ) -> Option<f64> {
        if !runtime.throttle {
            return None;
        }
        runtime
            .rates
            .get(service)
            .and_then(|m| m.get(operation))
            .copied()
            .or_else(|| {
                documented
                    .iter()
                    .find(|r| r.operation == operation)
                    .map(|r| r.per_second)
            })
    }

    /// Takes one request from the bucket `key` refilling at `per_second`; false when empty.
    pub fn admit(&self, key: &str, per_second: f64) -> bool {
        self.admit_at(key, per_second, per_second, Instant::now())
    }

    /// Like [`Throttle::admit`], for a service documenting a burst above its steady rate
    /// (MediaConnect: 30 at once, refilling at 5 per second): the bucket holds `burst`.
    pub fn admit_burst(&self, key: &str, per_second: f64, burst: f64) -> bool {
        self.admit_at(key, per_second, burst, Instant::now())
    }

    fn admit_at(&self, key: &str, per_second: f64, burst: f64, now: Instant) -> bool {
        let capacity = burst.max(per_second).max(1.0);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_beyond_the_rate_is_refused_then_refills() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..5 {
            assert!(t.admit_at("a", 5.0, 5.0, start));
        }
        assert!(!t.admit_at("a", 5.0, 5.0, start));
        assert!(t.admit_at("b", 5.0, 5.0, start), "buckets are independent");
        assert!(!t.admit_at("a", 5.0, 5.0, start + Duration::from_millis(100)));
        assert!(t.admit_at("a", 5.0, 5.0, start + Duration::from_millis(210)));
    }

    #[test]
    fn a_burst_allowance_holds_more_than_one_second() {
        let t = Throttle::default();
        let start = Instant::now();
        for _ in 0..30 {
            assert!(t.admit_at("a", 5.0, 30.0, start));
        }
        assert!(!t.admit_at("a", 5.0, 30.0, start));
        // Refills at the steady rate, not the burst.
        assert!(!t.admit_at("a", 5.0, 30.0, start + Duration::from_millis(150)));
        assert!(t.admit_at("a", 5.0, 30.0, start + Duration::from_millis(210)));
    }

    #[test]
    fn off_unless_asked_and_configurable_per_operation() {
        const RATES: &[Rate] = &[Rate {
            operation: "CreateChannel",
            per_second: 5.0,
        }];
        let mut rt = Runtime::for_tests();
        assert_eq!(Throttle::rate(&rt, "ivs", "CreateChannel", RATES), None);
        rt.throttle = true;
        assert_eq!(
            Throttle::rate(&rt, "ivs", "CreateChannel", RATES),
            Some(5.0)
        );
        assert_eq!(Throttle::rate(&rt, "ivs", "GetChannel", RATES), None);
        rt.rates
            .entry("ivs".into())
            .or_default()
            .insert("GetChannel".into(), 1.0);
        assert_eq!(Throttle::rate(&rt, "ivs", "GetChannel", RATES), Some(1.0));
    }
}
