//! IVS's API call rates (low-latency streaming), from AWS's "IVS Service Quotas |
//! Low-Latency Streaming" page, applied with `--throttle aws`. PutMetadata has two: 5 per
//! second per channel and 155 per second per account. The tag operations' 10 per second is
//! the "Tags" rows of the same table (as docs.aws.amazon.com/ivs/latest/userguide/
//! service-quotas.html shows them). Operations the page lists no rate for are not throttled.

use kit::{Rate, Throttle};
use serde_json::Value;
use service::{RequestContext, Runtime, ServiceError};

/// Builds the table: every operation of a group at one rate.
macro_rules! rates {
    ($($rate:literal => [$($op:literal),* $(,)?]),* $(,)?) => {
        &[$($(Rate { operation: $op, per_second: $rate },)*)*]
    };
}

/// Per account and region (PutMetadata's entry is its per-account rate).
pub const RATES: &[Rate] = rates![
    5.0 => ["BatchGetChannel", "CreateChannel", "DeleteChannel", "GetChannel", "ListChannels",
            "UpdateChannel"],
    5.0 => ["CreatePlaybackRestrictionPolicy", "DeletePlaybackRestrictionPolicy",
            "GetPlaybackRestrictionPolicy", "ListPlaybackRestrictionPolicies",
            "UpdatePlaybackRestrictionPolicy"],
    3.0 => ["DeletePlaybackKeyPair", "GetPlaybackKeyPair", "ImportPlaybackKeyPair",
            "ListPlaybackKeyPairs"],
    2.0 => ["BatchStartViewerSessionRevocation"],
    10.0 => ["StartViewerSessionRevocation"],
    3.0 => ["CreateRecordingConfiguration", "DeleteRecordingConfiguration",
            "GetRecordingConfiguration", "ListRecordingConfigurations"],
    5.0 => ["GetStream", "GetStreamSession", "ListStreams", "ListStreamSessions", "StopStream"],
    155.0 => ["PutMetadata"],
    5.0 => ["BatchGetStreamKey", "CreateStreamKey", "DeleteStreamKey", "GetStreamKey",
            "ListStreamKeys"],
    10.0 => ["ListTagsForResource", "TagResource", "UntagResource"],
];

/// PutMetadata's rate per channel.
pub const PUT_METADATA_PER_CHANNEL: f64 = 5.0;

/// `ThrottlingException` (429) with the model's sentence.
fn throttled() -> ServiceError {
    ServiceError::new(
        "ThrottlingException",
        "Request was denied due to request throttling.",
    )
}

/// `ThrottlingException` for a call above its per-channel rate, worded as AWS answered
/// PutMetadata (captured in the tests of AWS's IVS UGC platform sample).
fn over_channel_rate(operation: &str, rate: f64, channel: &str) -> ServiceError {
    ServiceError::new(
        "ThrottlingException",
        format!("Operation: ivs:{operation} exceeded call rate: {rate} for resource: {channel}"),
    )
}

/// Admits one call of `operation`, or refuses it with ThrottlingException when throttling is
/// on and the caller is above the operation's rate.
pub(crate) fn admit(
    throttle: &Throttle,
    runtime: &Runtime,
    ctx: &RequestContext,
    operation: &str,
    input: &Value,
) -> Result<(), ServiceError> {
    let Some(rate) = Throttle::rate(runtime, "ivs", operation, RATES) else {
        return Ok(());
    };
    let scope = format!("{}/{}/{operation}", ctx.account(), ctx.region);
    if operation == "PutMetadata" {
        let channel = input
            .get("channelArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let per_channel = runtime
            .rates
            .get("ivs")
            .and_then(|m| m.get("PutMetadataPerChannel"))
            .copied()
            .unwrap_or(PUT_METADATA_PER_CHANNEL);
        if !throttle.admit(&format!("{scope}/{channel}"), per_channel) {
            return Err(over_channel_rate(operation, per_channel, channel));
        }
    }
    if !throttle.admit(&scope, rate) {
        return Err(throttled());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use crate::Ivs;
    use serde_json::json;
    use service::{Runtime, Service};
    use std::sync::Arc;

    fn throttled_ivs() -> Arc<Ivs> {
        let mut rt = Runtime::for_tests();
        rt.throttle = true;
        Ivs::new(Arc::new(rt))
    }

    #[test]
    fn off_by_default() {
        let ivs = ivs();
        for _ in 0..20 {
            ok(&ivs, "ListChannels", json!({}));
        }
    }

    #[test]
    fn a_burst_above_the_rate_is_throttled_per_account() {
        let ivs = throttled_ivs();
        for _ in 0..5 {
            ok(&ivs, "ListChannels", json!({}));
        }
        let e = err(&ivs, "ListChannels", json!({}), "ThrottlingException");
        assert_eq!(e, "Request was denied due to request throttling.");
        ivs.handle(&other_ctx(), "ListChannels", json!({})).unwrap();
        // Operations without a documented rate are not throttled.
        for _ in 0..20 {
            ok(&ivs, "ListAdConfigurations", json!({}));
        }
    }

    #[test]
    fn tag_operations_share_no_bucket_and_allow_ten_per_second() {
        let ivs = throttled_ivs();
        let arn = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        for _ in 0..10 {
            ok(&ivs, "ListTagsForResource", json!({"resourceArn": arn}));
        }
        err(
            &ivs,
            "ListTagsForResource",
            json!({"resourceArn": arn}),
            "ThrottlingException",
        );
        ok(
            &ivs,
            "TagResource",
            json!({"resourceArn": arn, "tags": {"a": "b"}}),
        );
    }

    #[test]
    fn put_metadata_is_limited_per_channel() {
        let ivs = throttled_ivs();
        let a = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let b = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        for arn in [&a, &b] {
            admin(&ivs, json!({"channelArn": arn, "action": "start"})).unwrap();
        }
        for _ in 0..5 {
            ok(
                &ivs,
                "PutMetadata",
                json!({"channelArn": a, "metadata": "m"}),
            );
        }
        let e = err(
            &ivs,
            "PutMetadata",
            json!({"channelArn": a, "metadata": "m"}),
            "ThrottlingException",
        );
        assert_eq!(
            e,
            format!("Operation: ivs:PutMetadata exceeded call rate: 5 for resource: {a}")
        );
        ok(
            &ivs,
            "PutMetadata",
            json!({"channelArn": b, "metadata": "m"}),
        );
    }
}
