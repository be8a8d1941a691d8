//! MediaConvert's request rates under `--throttle aws`. AWS's per-operation rates for
//! MediaConvert could not be read from its quotas page here, so none is applied by default;
//! `[rates.mediaconvert] <Operation> = n` sets one (per account and region), and a call above
//! it is the model's `TooManyRequestsException` (429) "Too Many Requests", AWS's answer to a
//! throttled call (aws-samples/aws-media-services-vod-automation issue 26), which the SDKs retry
//! with backoff.

use kit::{Rate, Throttle};
use service::{RequestContext, Runtime, ServiceError};

/// The documented rates applied by default: none could be confirmed.
pub const RATES: &[Rate] = &[];

/// Admits one call of `operation`, or refuses it with TooManyRequestsException when
/// throttling is on and the caller is above the operation's configured rate.
pub(crate) fn admit(
    throttle: &Throttle,
    runtime: &Runtime,
    ctx: &RequestContext,
    operation: &str,
) -> Result<(), ServiceError> {
    let Some(rate) = Throttle::rate(runtime, "mediaconvert", operation, RATES) else {
        return Ok(());
    };
    if throttle.admit(
        &format!("{}/{}/{operation}", ctx.account(), ctx.region),
        rate,
    ) {
        Ok(())
    } else {
        Err(ServiceError::new(
            "TooManyRequestsException",
            "Too Many Requests",
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::*;
    use serde_json::json;
    use service::Runtime;

    fn with_rate(throttle: bool) -> std::sync::Arc<crate::MediaConvert> {
        let mut rt = Runtime::for_tests();
        rt.throttle = throttle;
        rt.rates
            .entry("mediaconvert".into())
            .or_default()
            .insert("ListQueues".into(), 2.0);
        service_on(rt)
    }

    #[test]
    fn a_configured_rate_is_applied_only_when_throttling() {
        let mc = with_rate(false);
        for _ in 0..10 {
            ok(&mc, "ListQueues", json!({}));
        }
        let mc = with_rate(true);
        ok(&mc, "ListQueues", json!({}));
        ok(&mc, "ListQueues", json!({}));
        let e = call(&mc, "ListQueues", json!({})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("TooManyRequestsException", "Too Many Requests")
        );
        // Other operations and other accounts have their own buckets.
        for _ in 0..10 {
            ok(&mc, "ListPresets", json!({}));
        }
        service::Service::handle(&*mc, &ctx("222222222222"), "ListQueues", json!({})).unwrap();
    }
}
