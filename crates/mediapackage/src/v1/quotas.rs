//! MediaPackage v1's live resource quotas, from AWS's "Live content quotas" page
//! (https://docs.aws.amazon.com/mediapackage/latest/ug/live-quotas.html); configuration may
//! set other values (`[quotas.mediapackage]`). v1's model has no quota shape: the refusal is
//! its `TooManyRequestsException` (429) with the page's "Resource limit exceeded" wording.

use kit::{Quota, QuotaReached};
use service::ServiceError;

/// Live channels per account and region.
pub(crate) const CHANNELS: Quota = Quota::new("mediapackage", "Channels", 30);
/// Origin endpoints per channel.
pub(crate) const ENDPOINTS_PER_CHANNEL: Quota =
    Quota::new("mediapackage", "OriginEndpointsPerChannel", 10);

/// Harvest jobs in progress at once, per account and region.
pub(crate) const CONCURRENT_HARVEST_JOBS: Quota =
    Quota::new("mediapackage", "ConcurrentHarvestJobs", 10);

/// Every quota MediaPackage v1 enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[CHANNELS, ENDPOINTS_PER_CHANNEL, CONCURRENT_HARVEST_JOBS];

/// `TooManyRequestsException` naming the quota and its value.
pub(crate) fn exceeded(reached: QuotaReached) -> ServiceError {
    ServiceError::new(
        "TooManyRequestsException",
        format!(
            "Resource limit exceeded. Quota: {}, limit: {}",
            reached.quota.name, reached.limit
        ),
    )
}
