//! An origin endpoint's `ForceEndpointErrorConfiguration`: AWS answers 404 to manifest and
//! segment requests while a configured condition holds ("Creating an origin endpoint",
//! MediaPackage v2 user guide), so a CDN fails over to another origin. Of the four
//! conditions only `STALE_MANIFEST` ("MediaPackage stops receiving ingest streams") can hold
//! here: the emulator serves a synthetic timeline with no gaps (`INCOMPLETE_MANIFEST`), makes
//! no SPEKE key requests that could fail (`MISSING_DRM_KEY`) and inspects no ingested media
//! (`SLATE_INPUT`). A channel is receiving when its ingest URLs took a `PUT`/`POST` within the
//! last [`STALE_AFTER_SEGMENTS`] segment durations of the endpoint; the threshold is
//! mediamock's (AWS documents none).

use super::model::OriginEndpoint;
use parking_lot::Mutex;
use std::collections::HashMap;

/// How many of the endpoint's segment durations without ingest make its manifest stale.
pub const STALE_AFTER_SEGMENTS: f64 = 3.0;

/// When each channel last received ingest (in memory: a restart stops every stream).
#[derive(Default)]
pub struct IngestLog {
    last: Mutex<HashMap<String, f64>>,
}

impl IngestLog {
    /// Notes that channel `arn` received content at `now`.
    pub fn record(&self, arn: &str, now: f64) {
        let mut last = self.last.lock();
        match last.get_mut(arn) {
            Some(t) => *t = t.max(now),
            None => {
                last.insert(arn.to_string(), now);
            }
        }
    }

    /// Forgets channel `arn`'s ingest: a reset "removes previous content" (ResetChannelState)
    /// and a deleted channel's name may be reused.
    pub fn forget(&self, arn: &str) {
        self.last.lock().remove(arn);
    }

    /// When channel `arn` last received content, if ever.
    pub fn last(&self, arn: &str) -> Option<f64> {
        self.last.lock().get(arn).copied()
    }
}

/// The ARN of the channel an endpoint ARN belongs to.
pub fn channel_of(endpoint_arn: &str) -> &str {
    endpoint_arn
        .rsplit_once("/originEndpoint/")
        .map_or(endpoint_arn, |(channel, _)| channel)
}

/// Whether endpoint `e` must answer 404 at `now`, its channel having last received ingest at
/// `last_ingest`.
pub fn forced(e: &OriginEndpoint, last_ingest: Option<f64>, now: f64) -> bool {
    let Some(f) = &e.config.force_endpoint_error_configuration else {
        return false;
    };
    if !f
        .endpoint_error_conditions
        .iter()
        .any(|c| c == "STALE_MANIFEST")
    {
        return false;
    }
    let segment = e
        .config
        .segment
        .segment_duration_seconds
        .unwrap_or(6)
        .max(1) as f64;
    match last_ingest {
        Some(t) => now - t > STALE_AFTER_SEGMENTS * segment,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v2::model::{EndpointConfig, ForceEndpointErrorConfiguration};

    fn endpoint(conditions: &[&str]) -> OriginEndpoint {
        OriginEndpoint {
            group: "g".into(),
            channel: "c".into(),
            name: "e".into(),
            config: EndpointConfig {
                container_type: "CMAF".into(),
                force_endpoint_error_configuration: Some(ForceEndpointErrorConfiguration {
                    endpoint_error_conditions: conditions.iter().map(|c| c.to_string()).collect(),
                }),
                ..Default::default()
            },
            created_at: 0.0,
            modified_at: 0.0,
            reset_at: None,
            etag: String::new(),
            cdn_auth: None,
        }
    }

    #[test]
    fn only_a_stale_manifest_forces_errors_and_only_without_recent_ingest() {
        let stale = endpoint(&["STALE_MANIFEST"]);
        assert!(forced(&stale, None, 100.0), "never received anything");
        assert!(!forced(&stale, Some(90.0), 100.0), "10 s ago, 6 s segments");
        assert!(
            !forced(&stale, Some(82.0), 100.0),
            "exactly three segments ago"
        );
        assert!(
            forced(&stale, Some(81.0), 100.0),
            "more than three segments ago"
        );
        for other in ["INCOMPLETE_MANIFEST", "MISSING_DRM_KEY", "SLATE_INPUT"] {
            assert!(!forced(&endpoint(&[other]), None, 100.0), "{other}");
        }
        assert!(!forced(&endpoint(&[]), None, 100.0));
        let mut plain = endpoint(&[]);
        plain.config.force_endpoint_error_configuration = None;
        assert!(!forced(&plain, None, 100.0));
    }

    #[test]
    fn the_log_keeps_the_latest_ingest_per_channel() {
        let log = IngestLog::default();
        assert_eq!(log.last("a"), None);
        log.record("a", 5.0);
        log.record("a", 3.0);
        log.record("b", 1.0);
        assert_eq!((log.last("a"), log.last("b")), (Some(5.0), Some(1.0)));
        log.forget("a");
        assert_eq!((log.last("a"), log.last("b")), (None, Some(1.0)));
        assert_eq!(
            channel_of("arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e"),
            "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c"
        );
    }
}
