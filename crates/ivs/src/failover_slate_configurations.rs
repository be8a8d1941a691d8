//! Failover slate configurations: what viewers see while ingest is interrupted. State goes
//! CREATING → CREATED on the lifecycle clock.

use crate::crud::ResourceSpec;
use crate::input::{object, opt_i64, opt_str, tags, validation};
use crate::state::Kind;
use crate::Ivs;
use serde_json::{Map, Value};
use service::{RequestContext, ServiceError};

/// Members of `FailoverSlateConfigurationSummary`.
const SUMMARY: &[&str] = &[
    "arn",
    "name",
    "activationThresholdSeconds",
    "minSlateDisplaySeconds",
    "maxSlateDisplaySeconds",
    "state",
    "tags",
];

/// Members an Update may set.
const SETTABLE: &[&str] = &[
    "name",
    "activationThresholdSeconds",
    "minSlateDisplaySeconds",
    "maxSlateDisplaySeconds",
];

/// The model's ranges (the protocol layer checks them too; this guards direct callers).
fn check(_: &RequestContext, body: &Map<String, Value>) -> Result<(), ServiceError> {
    for (member, lo, hi) in [
        ("activationThresholdSeconds", 3, 5),
        ("minSlateDisplaySeconds", 3, 10),
        ("maxSlateDisplaySeconds", 60, 180),
    ] {
        let v = body.get(member).and_then(Value::as_i64).unwrap_or(lo);
        if !(lo..=hi).contains(&v) {
            return Err(validation(format!(
                "{member} must be between {lo} and {hi}"
            )));
        }
    }
    Ok(())
}

/// The type's wire names and rules, for the shared operations in [`crate::crud`].
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::FailoverSlateConfiguration,
    one: "failoverSlateConfiguration",
    many: "failoverSlateConfigurations",
    summary: SUMMARY,
    default_page: 100,
    settable: SETTABLE,
    check,
    channel_member: Some("failoverSlateConfigurationArn"),
    quota: None,
};

impl Ivs {
    /// CreateFailoverSlateConfiguration (defaults 3 / 3 / 60 seconds).
    pub(crate) fn create_failover_slate_configuration(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let tags = tags(input, "tags")?;
        let body = object([
            ("name", Value::from(opt_str(input, "name").unwrap_or(""))),
            (
                "activationThresholdSeconds",
                Value::from(opt_i64(input, "activationThresholdSeconds").unwrap_or(3)),
            ),
            (
                "minSlateDisplaySeconds",
                Value::from(opt_i64(input, "minSlateDisplaySeconds").unwrap_or(3)),
            ),
            (
                "maxSlateDisplaySeconds",
                Value::from(opt_i64(input, "maxSlateDisplaySeconds").unwrap_or(60)),
            ),
            ("state", Value::from("CREATING")),
        ]);
        self.create_one(ctx, &SPEC, body, tags)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn lifecycle_defaults_and_ranges() {
        let ivs = ivs();
        let out = ok(
            &ivs,
            "CreateFailoverSlateConfiguration",
            json!({"name": "slate"}),
        );
        let f = &out["failoverSlateConfiguration"];
        assert_eq!(f["activationThresholdSeconds"], 3);
        assert_eq!(f["minSlateDisplaySeconds"], 3);
        assert_eq!(f["maxSlateDisplaySeconds"], 60);
        assert_eq!(f["state"], "CREATED");
        let arn = s(&out, "/failoverSlateConfiguration/arn");
        err(
            &ivs,
            "UpdateFailoverSlateConfiguration",
            json!({"arn": arn, "maxSlateDisplaySeconds": 500}),
            "ValidationException",
        );
        let upd = ok(
            &ivs,
            "UpdateFailoverSlateConfiguration",
            json!({"arn": arn, "maxSlateDisplaySeconds": 120}),
        );
        assert_eq!(
            upd["failoverSlateConfiguration"]["maxSlateDisplaySeconds"],
            120
        );
        let list = ok(&ivs, "ListFailoverSlateConfigurations", json!({}));
        assert_eq!(list["failoverSlateConfigurations"][0]["arn"], arn.as_str());
        assert_deletable_only_when_unused(
            &ivs,
            "failoverSlateConfigurationArn",
            &arn,
            "DeleteFailoverSlateConfiguration",
        );
    }
}
