//! Recording configurations: auto-record to S3. State goes CREATING → ACTIVE on the lifecycle
//! clock (about a second in fast mode).

use crate::crud::{no_check, ResourceSpec};
use crate::input::{object, opt_i64, opt_str, tags, validation};
use crate::state::Kind;
use crate::Ivs;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// Members of `RecordingConfigurationSummary`.
const SUMMARY: &[&str] = &["arn", "name", "destinationConfiguration", "state", "tags"];

/// The thumbnail configuration with AWS's documented defaults filled in.
fn thumbnails(input: Option<&Value>) -> Result<Value, ServiceError> {
    let given = input.cloned().unwrap_or_else(|| json!({}));
    let mode = opt_str(&given, "recordingMode").unwrap_or("INTERVAL");
    let mut out = json!({
        "recordingMode": mode,
        "storage": given.get("storage").cloned().unwrap_or_else(|| json!(["SEQUENTIAL"])),
    });
    if mode == "INTERVAL" {
        out["targetIntervalSeconds"] =
            Value::from(opt_i64(&given, "targetIntervalSeconds").unwrap_or(60));
    } else if given.get("targetIntervalSeconds").is_some() {
        return Err(validation(
            "thumbnailConfiguration.targetIntervalSeconds is configurable only if recordingMode is INTERVAL",
        ));
    }
    if let Some(resolution) = given.get("resolution") {
        out["resolution"] = resolution.clone();
    }
    Ok(out)
}

/// The rendition configuration with defaults; CUSTOM needs a rendition list.
fn renditions(input: Option<&Value>) -> Result<Value, ServiceError> {
    let given = input.cloned().unwrap_or_else(|| json!({}));
    let selection = opt_str(&given, "renditionSelection").unwrap_or("ALL");
    let list = given
        .get("renditions")
        .cloned()
        .unwrap_or_else(|| json!([]));
    if selection == "CUSTOM" && list.as_array().is_none_or(Vec::is_empty) {
        return Err(validation(
            "renditionConfiguration.renditions must be specified when renditionSelection is CUSTOM",
        ));
    }
    Ok(json!({"renditionSelection": selection, "renditions": list}))
}

/// The type's wire names and rules, for the shared operations in [`crate::crud`].
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::RecordingConfiguration,
    one: "recordingConfiguration",
    many: "recordingConfigurations",
    summary: SUMMARY,
    default_page: 100,
    settable: &[],
    check: no_check,
    channel_member: Some("recordingConfigurationArn"),
    quota: Some(crate::quotas::RECORDING_CONFIGURATIONS),
};

impl Ivs {
    /// CreateRecordingConfiguration: an S3 destination is required.
    pub(crate) fn create_recording_configuration(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let tags = tags(input, "tags")?;
        let bucket = input
            .get("destinationConfiguration")
            .and_then(|d| d.get("s3"))
            .and_then(|s| opt_str(s, "bucketName"));
        let Some(bucket) = bucket else {
            return Err(validation(
                "destinationConfiguration must specify an s3 destination",
            ));
        };
        let body = object([
            ("name", Value::from(opt_str(input, "name").unwrap_or(""))),
            (
                "destinationConfiguration",
                json!({"s3": {"bucketName": bucket}}),
            ),
            ("state", Value::from("CREATING")),
            (
                "thumbnailConfiguration",
                thumbnails(input.get("thumbnailConfiguration"))?,
            ),
            (
                "recordingReconnectWindowSeconds",
                Value::from(opt_i64(input, "recordingReconnectWindowSeconds").unwrap_or(0)),
            ),
            (
                "renditionConfiguration",
                renditions(input.get("renditionConfiguration"))?,
            ),
        ]);
        self.create_one(ctx, &SPEC, body, tags)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use crate::Ivs;
    use serde_json::json;
    use service::{Runtime, Service, Transitions};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn defaults_and_rules() {
        let ivs = ivs();
        err(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {}}),
            "ValidationException",
        );
        err(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {"bucketName": "b"}},
                   "renditionConfiguration": {"renditionSelection": "CUSTOM"}}),
            "ValidationException",
        );
        let out = ok(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {"bucketName": "my-bucket"}}}),
        );
        let rc = &out["recordingConfiguration"];
        assert_eq!(rc["thumbnailConfiguration"]["recordingMode"], "INTERVAL");
        assert_eq!(rc["thumbnailConfiguration"]["targetIntervalSeconds"], 60);
        assert_eq!(
            rc["thumbnailConfiguration"]["storage"],
            json!(["SEQUENTIAL"])
        );
        assert_eq!(rc["renditionConfiguration"]["renditionSelection"], "ALL");
        assert_eq!(rc["recordingReconnectWindowSeconds"], 0);
        let list = ok(&ivs, "ListRecordingConfigurations", json!({}));
        assert_eq!(list["recordingConfigurations"].as_array().unwrap().len(), 1);
        assert!(list["recordingConfigurations"][0]
            .get("thumbnailConfiguration")
            .is_none());
        let arn = s(&out, "/recordingConfiguration/arn");
        ok(&ivs, "DeleteRecordingConfiguration", json!({ "arn": arn }));
        err(
            &ivs,
            "GetRecordingConfiguration",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
    }

    #[test]
    fn state_goes_creating_to_active_on_the_clock() {
        let runtime = Arc::new(Runtime::new(Transitions::Manual, Some(1), [0; 32]));
        let ivs = Ivs::new(runtime.clone());
        let out = ivs
            .handle(
                &ctx(),
                "CreateRecordingConfiguration",
                json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}}),
            )
            .unwrap();
        assert_eq!(out["recordingConfiguration"]["state"], "CREATING");
        let arn = s(&out, "/recordingConfiguration/arn");
        runtime.clock.advance(Duration::from_secs(2));
        let got = ivs
            .handle(&ctx(), "GetRecordingConfiguration", json!({ "arn": arn }))
            .unwrap();
        assert_eq!(got["recordingConfiguration"]["state"], "ACTIVE");
    }
}
