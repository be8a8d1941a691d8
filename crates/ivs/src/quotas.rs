//! IVS's resource quotas (low-latency streaming, per account and region), from AWS's
//! "IVS Service Quotas | Low-Latency Streaming" page; configuration may set other values
//! (`[quotas.ivs]` in the config file).

use kit::{Quota, QuotaReached};
use service::ServiceError;

/// Channels per account and region.
pub(crate) const CHANNELS: Quota = Quota::new("ivs", "Channels", 5000);
/// Stream keys per channel (the API reference: one stream key per channel).
pub(crate) const STREAM_KEYS_PER_CHANNEL: Quota = Quota::new("ivs", "StreamKeysPerChannel", 1);
/// Recording configurations per account and region.
pub(crate) const RECORDING_CONFIGURATIONS: Quota = Quota::new("ivs", "RecordingConfigurations", 20);
/// Playback key pairs per account and region.
pub(crate) const PLAYBACK_KEY_PAIRS: Quota = Quota::new("ivs", "PlaybackKeyPairs", 3);

/// Every quota IVS enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[
    CHANNELS,
    STREAM_KEYS_PER_CHANNEL,
    RECORDING_CONFIGURATIONS,
    PLAYBACK_KEY_PAIRS,
];

/// `ServiceQuotaExceededException` (402): the model's sentence, then which quota and its value.
pub(crate) fn exceeded(reached: QuotaReached) -> ServiceError {
    ServiceError::new(
        "ServiceQuotaExceededException",
        format!(
            "Request would cause a service quota to be exceeded. Quota: {}, limit: {}",
            reached.quota.name, reached.limit
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use crate::Ivs;
    use serde_json::json;
    use service::{Runtime, Service};
    use std::sync::Arc;

    /// An IVS whose configuration lowers `name` to `value`.
    fn ivs_with(name: &str, value: u64) -> Arc<Ivs> {
        let mut rt = Runtime::for_tests();
        rt.quotas
            .entry("ivs".into())
            .or_default()
            .insert(name.into(), value);
        Ivs::new(Arc::new(rt))
    }

    #[test]
    fn channels_quota_per_account_and_region_as_configured() {
        let ivs = ivs_with("Channels", 2);
        ok(&ivs, "CreateChannel", json!({}));
        ok(&ivs, "CreateChannel", json!({}));
        let e = call(&ivs, "CreateChannel", json!({})).unwrap_err();
        assert_eq!(e.code, "ServiceQuotaExceededException");
        assert_eq!(
            e.message,
            "Request would cause a service quota to be exceeded. Quota: Channels, limit: 2"
        );
        // No channel was created by the refused call, and no stream key either.
        assert_eq!(
            ok(&ivs, "ListChannels", json!({}))["channels"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // Another account has its own quota.
        ivs.handle(&other_ctx(), "CreateChannel", json!({}))
            .unwrap();
        // Deleting one frees room.
        let arn = s(&ok(&ivs, "ListChannels", json!({})), "/channels/0/arn");
        ok(&ivs, "DeleteChannel", json!({ "arn": arn }));
        ok(&ivs, "CreateChannel", json!({}));
    }

    #[test]
    fn recording_configurations_quota_as_configured() {
        let ivs = ivs_with("RecordingConfigurations", 1);
        let body = json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}});
        ok(&ivs, "CreateRecordingConfiguration", body.clone());
        let e = err(
            &ivs,
            "CreateRecordingConfiguration",
            body,
            "ServiceQuotaExceededException",
        );
        assert!(
            e.ends_with("Quota: RecordingConfigurations, limit: 1"),
            "{e}"
        );
    }

    #[test]
    fn default_quotas_are_aws_documented_values() {
        let rt = Runtime::for_tests();
        let values: Vec<(&str, u64)> = super::QUOTAS
            .iter()
            .map(|q| (q.name, q.limit(&rt)))
            .collect();
        assert_eq!(
            values,
            [
                ("Channels", 5000),
                ("StreamKeysPerChannel", 1),
                ("RecordingConfigurations", 20),
                ("PlaybackKeyPairs", 3)
            ]
        );
    }
}
