//! MediaPackage v2's resource quotas, from AWS's "Quotas in AWS Elemental MediaPackage" page
//! (https://docs.aws.amazon.com/mediapackage/latest/userguide/quotas.html); configuration may
//! set other values (`[quotas.mediapackagev2]`). Answered with the model's
//! `ServiceQuotaExceededException` (402).

use kit::{Quota, QuotaReached};
use service::ServiceError;

/// Channel groups per account and region.
pub(crate) const CHANNEL_GROUPS: Quota = Quota::new("mediapackagev2", "ChannelGroups", 3);
/// Channels per channel group.
pub(crate) const CHANNELS_PER_GROUP: Quota =
    Quota::new("mediapackagev2", "ChannelsPerChannelGroup", 10);
/// Origin endpoints per channel.
pub(crate) const ENDPOINTS_PER_CHANNEL: Quota =
    Quota::new("mediapackagev2", "OriginEndpointsPerChannel", 10);

/// Active (queued or in progress) harvest jobs per channel group.
pub(crate) const ACTIVE_HARVEST_JOBS_PER_GROUP: Quota =
    Quota::new("mediapackagev2", "ActiveHarvestJobsPerChannelGroup", 10);
/// Manifests (HLS, low-latency HLS, DASH and MSS together) per origin endpoint.
pub(crate) const MANIFESTS_PER_ENDPOINT: Quota =
    Quota::new("mediapackagev2", "ManifestsPerOriginEndpoint", 25);

/// Every quota MediaPackage v2 enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[
    CHANNEL_GROUPS,
    CHANNELS_PER_GROUP,
    ENDPOINTS_PER_CHANNEL,
    ACTIVE_HARVEST_JOBS_PER_GROUP,
    MANIFESTS_PER_ENDPOINT,
];

/// Whether an origin endpoint configuration's manifests stay within the quota.
pub(crate) fn admit_manifests(
    runtime: &service::Runtime,
    config: &super::model::EndpointConfig,
) -> Result<(), ServiceError> {
    let total = config.hls_manifests.len()
        + config.low_latency_hls_manifests.len()
        + config.dash_manifests.len()
        + config.mss_manifests.len();
    MANIFESTS_PER_ENDPOINT
        .admit(runtime, 0, total)
        .map_err(exceeded)
}

/// `ServiceQuotaExceededException` naming the quota and its value.
pub(crate) fn exceeded(reached: QuotaReached) -> ServiceError {
    ServiceError::new(
        "ServiceQuotaExceededException",
        format!(
            "You've reached the limit for this resource. Quota: {}, limit: {}",
            reached.quota.name, reached.limit
        ),
    )
}
