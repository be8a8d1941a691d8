//! MediaConnect's resource quotas, from AWS's "Quotas in AWS Elemental MediaConnect" page
//! (https://docs.aws.amazon.com/mediaconnect/latest/ug/quotas.html); configuration may set
//! other values (`[quotas.mediaconnect]` in the config file). Each is answered with the
//! operation's own 420 shape (`CreateFlow420Exception`, …), as the model defines.

use kit::{Quota, QuotaReached};
use service::ServiceError;

/// Flows per account and region.
pub(crate) const FLOWS: Quota = Quota::new("mediaconnect", "Flows", 20);
/// Outputs per (transport stream) flow.
pub(crate) const OUTPUTS_PER_FLOW: Quota = Quota::new("mediaconnect", "OutputsPerFlow", 50);
/// Entitlements granted per flow.
pub(crate) const ENTITLEMENTS_PER_FLOW: Quota =
    Quota::new("mediaconnect", "EntitlementsPerFlow", 50);

/// Every quota MediaConnect enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[FLOWS, OUTPUTS_PER_FLOW, ENTITLEMENTS_PER_FLOW];

/// The quota error `code` (the operation's 420 shape) naming the quota and its value.
pub(crate) fn exceeded(code: &'static str) -> impl Fn(QuotaReached) -> ServiceError {
    move |reached| {
        let what = match reached.quota.name {
            "Flows" => format!(
                "You have reached the limit of {} flows in this region.",
                reached.limit
            ),
            "OutputsPerFlow" => format!("A flow can have at most {} outputs.", reached.limit),
            _ => format!("A flow can grant at most {} entitlements.", reached.limit),
        };
        ServiceError::new(code, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use service::Runtime;

    #[test]
    fn flows_quota_per_account_and_region_as_configured() {
        let mc = mc_with(|rt| {
            rt.quotas
                .entry("mediaconnect".into())
                .or_default()
                .insert("Flows".into(), 2);
        });
        let first = flow(&mc, "a");
        flow(&mc, "b");
        let body = json!({"Name": "c", "Source": rtp_source("src")});
        let e = err(&mc, "CreateFlow", body.clone(), "CreateFlow420Exception");
        assert_eq!(e, "You have reached the limit of 2 flows in this region.");
        let listed = ok(&mc, "ListFlows", json!({}));
        assert_eq!(
            listed["Flows"].as_array().unwrap().len(),
            2,
            "nothing created"
        );
        call_as(&mc, OTHER, "CreateFlow", body.clone()).unwrap();
        ok(&mc, "DeleteFlow", json!({"FlowArn": first}));
        ok(&mc, "CreateFlow", body);
    }

    #[test]
    fn outputs_quota_as_configured() {
        let mc = mc_with(|rt| {
            rt.quotas
                .entry("mediaconnect".into())
                .or_default()
                .insert("OutputsPerFlow".into(), 1);
        });
        let arn = flow(&mc, "a");
        let output = |n: &str| json!({"Name": n, "Protocol": "rtp", "Destination": "198.51.100.2", "Port": 5000});
        ok(
            &mc,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [output("o1")]}),
        );
        let e = err(
            &mc,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [output("o2")]}),
            "AddFlowOutputs420Exception",
        );
        assert_eq!(e, "A flow can have at most 1 outputs.");
    }

    #[test]
    fn default_quotas_are_aws_documented_values() {
        let rt = Runtime::for_tests();
        let values: Vec<(&str, u64)> = QUOTAS.iter().map(|q| (q.name, q.limit(&rt))).collect();
        assert_eq!(
            values,
            [
                ("Flows", 20),
                ("OutputsPerFlow", 50),
                ("EntitlementsPerFlow", 50)
            ]
        );
    }
}
