//! MediaConnect's API request limits, from "Quotas in AWS Elemental MediaConnect" ("Limits
//! for API requests", https://docs.aws.amazon.com/mediaconnect/latest/ug/quotas.html),
//! applied with `--throttle aws`: per account and region, DescribeFlow,
//! DescribeFlowSourceMetadata and DescribeFlowSourceThumbnail 30 requests per second; every
//! other API 5 per second steady with bursts up to 30. Above them, 429
//! `TooManyRequestsException`. `[rates.mediaconnect] <Operation> = n` sets one operation's
//! own steady rate (its bucket then holds n, or the 30 burst if larger).

use kit::{Rate, Throttle};
use service::{RequestContext, Runtime, ServiceError};

/// The operations with their own, higher rate.
pub const RATES: &[Rate] = &[
    Rate {
        operation: "DescribeFlow",
        per_second: 30.0,
    },
    Rate {
        operation: "DescribeFlowSourceMetadata",
        per_second: 30.0,
    },
    Rate {
        operation: "DescribeFlowSourceThumbnail",
        per_second: 30.0,
    },
];
/// Every other operation's steady rate, shared per account and region.
pub const STEADY: f64 = 5.0;
/// What that shared bucket holds: the documented burst.
pub const BURST: f64 = 30.0;

/// Admits one call of `operation`, or refuses it with TooManyRequestsException when
/// throttling is on and the caller is above the documented rate.
pub(crate) fn admit(
    throttle: &Throttle,
    runtime: &Runtime,
    ctx: &RequestContext,
    operation: &str,
) -> Result<(), ServiceError> {
    if !runtime.throttle {
        return Ok(());
    }
    let scope = format!("{}/{}", ctx.account(), ctx.region);
    let admitted = match Throttle::rate(runtime, "mediaconnect", operation, RATES) {
        Some(rate) => throttle.admit_burst(&format!("{scope}/{operation}"), rate, BURST),
        None => throttle.admit_burst(&scope, STEADY, BURST),
    };
    if admitted {
        Ok(())
    } else {
        Err(ServiceError::new(
            "TooManyRequestsException",
            "Too many requests. Retry the request later.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn a_burst_above_thirty_is_refused_with_429_only_when_throttling() {
        let mc = mc_with(|rt| rt.throttle = false);
        for _ in 0..40 {
            ok(&mc, "ListFlows", json!({}));
        }
        let mc = mc_with(|rt| rt.throttle = true);
        for _ in 0..30 {
            ok(&mc, "ListFlows", json!({}));
        }
        let e = err(&mc, "ListFlows", json!({}), "TooManyRequestsException");
        assert_eq!(e, "Too many requests. Retry the request later.");
        // Another account has its own bucket.
        call_as(&mc, OTHER, "ListFlows", json!({})).unwrap();
    }
}
