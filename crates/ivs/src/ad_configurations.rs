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

/// One to three MediaTailor playback configurations, each with the ARN of a playback
/// configuration in the caller's own account and region (AWS requires both to match).
fn check(ctx: &RequestContext, body: &Map<String, Value>) -> Result<(), ServiceError> {
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
    for config in configs {
        let arn = opt_str(config, "playbackConfigurationArn").unwrap_or("");
        if arn.is_empty() {
            return Err(validation(
                "each mediaTailorPlaybackConfiguration needs a playbackConfigurationArn",
            ));
        }
        check_playback_configuration_arn(ctx, arn)?;
    }
    Ok(())
}

/// `arn:<partition>:mediatailor:<region>:<account>:playbackConfiguration/<name>`, in the
/// caller's region and account.
fn check_playback_configuration_arn(ctx: &RequestContext, arn: &str) -> Result<(), ServiceError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let well_formed = parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "mediatailor"
        && parts[5]
            .strip_prefix("playbackConfiguration/")
            .is_some_and(|name| !name.is_empty());
    if !well_formed {
        return Err(validation(format!(
            "playbackConfigurationArn: {arn} is not a MediaTailor playback configuration ARN"
        )));
    }
    if parts[3] != ctx.region || parts[4] != ctx.account() {
        return Err(validation(format!(
            "playbackConfigurationArn: {arn} must be in the same region and account as the ad configuration"
        )));
    }
    Ok(())
}

/// The `postRollConfiguration` AWS stores when none is given: disabled, 15 seconds.
fn default_post_roll() -> Value {
    serde_json::json!({"enabled": false, "durationSeconds": 15})
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
    quota: None,
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
                    .filter(|v| !v.is_null())
                    .cloned()
                    .unwrap_or_else(default_post_roll),
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
    fn playback_configuration_must_be_in_the_same_region_and_account() {
        let ivs = ivs();
        let (region, account) = (ctx().region, ctx().account().to_string());
        let other_account = if account == "111122223333" {
            "444455556666"
        } else {
            "111122223333"
        };
        for bad in [
            format!("arn:aws:mediatailor:eu-north-1:{account}:playbackConfiguration/pc"),
            format!("arn:aws:mediatailor:{region}:{other_account}:playbackConfiguration/pc"),
            format!("arn:aws:mediatailor:{region}:{account}:channel/pc"),
            "pc".to_string(),
        ] {
            let mt = json!([{ "playbackConfigurationArn": bad }]);
            err(
                &ivs,
                "CreateAdConfiguration",
                json!({ "mediaTailorPlaybackConfigurations": mt }),
                "ValidationException",
            );
        }
        let good = json!([{"playbackConfigurationArn":
            format!("arn:aws:mediatailor:{region}:{account}:playbackConfiguration/pc")}]);
        let arn = s(
            &ok(
                &ivs,
                "CreateAdConfiguration",
                json!({ "mediaTailorPlaybackConfigurations": good }),
            ),
            "/adConfiguration/arn",
        );
        let foreign = json!([{"playbackConfigurationArn":
            format!("arn:aws:mediatailor:{region}:{other_account}:playbackConfiguration/pc")}]);
        err(
            &ivs,
            "UpdateAdConfiguration",
            json!({"arn": arn, "mediaTailorPlaybackConfigurations": foreign}),
            "ValidationException",
        );
    }

    #[test]
    fn lifecycle_and_in_use_check() {
        let ivs = ivs();
        let mt = json!([{"playbackConfigurationArn": format!("arn:aws:mediatailor:{}:{}:playbackConfiguration/pc", ctx().region, ctx().account())}]);
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
        assert_eq!(
            out["adConfiguration"]["postRollConfiguration"],
            json!({"enabled": false, "durationSeconds": 15}),
            "AWS returns the documented default"
        );
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
