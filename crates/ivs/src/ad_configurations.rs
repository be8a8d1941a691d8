//! Ad configurations: the MediaTailor playback configurations InsertAdBreak uses.

use crate::crud::ResourceSpec;
use crate::input::{object, opt_str, tags, validation};
use crate::state::Kind;
use crate::Ivs;
use serde_json::{Map, Value};
use service::{RequestContext, ServiceError};

/// Members of `AdConfigurationSummary`.
const SUMMARY: &[&str] = &[
    "arn",
    "name",
    "mediaTailorPlaybackConfigurations",
    "postRollConfiguration",
    "tags",
];

/// Members an Update may set.
const SETTABLE: &[&str] = &[
    "name",
    "mediaTailorPlaybackConfigurations",
    "postRollConfiguration",
];

/// One to three MediaTailor playback configurations, each with an ARN.
fn check(body: &Map<String, Value>) -> Result<(), ServiceError> {
    let configs = body
        .get("mediaTailorPlaybackConfigurations")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if configs.is_empty() || configs.len() > 3 {
        return Err(validation(
            "mediaTailorPlaybackConfigurations must have between 1 and 3 items",
        ));
    }
    if configs
        .iter()
        .any(|c| opt_str(c, "playbackConfigurationArn").is_none_or(str::is_empty))
    {
        return Err(validation(
            "each mediaTailorPlaybackConfiguration needs a playbackConfigurationArn",
        ));
    }
    Ok(())
}

/// The type's wire names and rules, for the shared operations in [`crate::crud`].
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::AdConfiguration,
    one: "adConfiguration",
    many: "adConfigurations",
    summary: SUMMARY,
    default_page: 100,
    settable: SETTABLE,
    check,
    channel_member: Some("adConfigurationArn"),
};

impl Ivs {
    /// CreateAdConfiguration.
    pub(crate) fn create_ad_configuration(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let tags = tags(input, "tags")?;
        let body = object([
            ("name", Value::from(opt_str(input, "name").unwrap_or(""))),
            (
                "mediaTailorPlaybackConfigurations",
                input
                    .get("mediaTailorPlaybackConfigurations")
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
            (
                "postRollConfiguration",
                input
                    .get("postRollConfiguration")
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
        ]);
        self.create_one(ctx, &SPEC, body, tags)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn lifecycle_and_in_use_check() {
        let ivs = ivs();
        let mt = json!([{"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:000000000000:playbackConfiguration/pc"}]);
        err(
            &ivs,
            "CreateAdConfiguration",
            json!({"mediaTailorPlaybackConfigurations": []}),
            "ValidationException",
        );
        let out = ok(
            &ivs,
            "CreateAdConfiguration",
            json!({"name": "ads", "mediaTailorPlaybackConfigurations": mt}),
        );
        let arn = s(&out, "/adConfiguration/arn");
        assert!(arn.contains(":ad-configuration/"));
        let upd = ok(
            &ivs,
            "UpdateAdConfiguration",
            json!({"arn": arn, "postRollConfiguration": {"durationSeconds": 30, "enabled": true}}),
        );
        assert_eq!(
            upd["adConfiguration"]["postRollConfiguration"]["durationSeconds"],
            30
        );
        assert_eq!(upd["adConfiguration"]["name"], "ads");
        let list = ok(&ivs, "ListAdConfigurations", json!({}));
        assert_eq!(list["adConfigurations"].as_array().unwrap().len(), 1);
        assert_deletable_only_when_unused(
            &ivs,
            "adConfigurationArn",
            &arn,
            "DeleteAdConfiguration",
        );
        err(
            &ivs,
            "GetAdConfiguration",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
    }
}
