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

/// Every quota MediaPackage v2 enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[CHANNEL_GROUPS, CHANNELS_PER_GROUP, ENDPOINTS_PER_CHANNEL];

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
