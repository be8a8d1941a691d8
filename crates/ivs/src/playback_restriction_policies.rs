//! Playback restriction policies: allowed countries and origins for a channel's playback.

use crate::crud::ResourceSpec;
use crate::input::{object, opt_bool, opt_str, tags, validation};
use crate::state::Kind;
use crate::Ivs;
use serde_json::{Map, Value};
use service::{RequestContext, ServiceError};

/// Members of `PlaybackRestrictionPolicySummary`.
const SUMMARY: &[&str] = &[
    "arn",
    "allowedCountries",
    "allowedOrigins",
    "enableStrictOriginEnforcement",
    "name",
    "tags",
];

/// Members an Update may set.
const SETTABLE: &[&str] = &[
    "allowedCountries",
    "allowedOrigins",
    "enableStrictOriginEnforcement",
    "name",
];

/// Country codes must be officially assigned ISO 3166-1 alpha-2 codes; origins URLs or `*`.
fn check(_: &RequestContext, body: &Map<String, Value>) -> Result<(), ServiceError> {
    let countries = body.get("allowedCountries").and_then(Value::as_array);
    for c in countries.into_iter().flatten() {
        let code = c.as_str().unwrap_or("");
        if !crate::countries::is_assigned(code) {
            return Err(validation(format!(
                "allowedCountries: {code:?} is not an ISO 3166-1 alpha-2 country code"
            )));
        }
    }
    let origins = body.get("allowedOrigins").and_then(Value::as_array);
    for o in origins.into_iter().flatten() {
        let origin = o.as_str().unwrap_or("");
        if !(origin == "*" || origin.starts_with("http://") || origin.starts_with("https://")) {
            return Err(validation(format!(
                "allowedOrigins: {origin:?} is not a valid origin"
            )));
        }
    }
    Ok(())
}

/// The type's wire names and rules, for the shared operations in [`crate::crud`].
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::PlaybackRestrictionPolicy,
    one: "playbackRestrictionPolicy",
    many: "playbackRestrictionPolicies",
    summary: SUMMARY,
    default_page: 1,
    settable: SETTABLE,
    check,
    channel_member: Some("playbackRestrictionPolicyArn"),
    quota: None,
};

impl Ivs {
    /// CreatePlaybackRestrictionPolicy (defaults: all countries, all origins, not strict).
    pub(crate) fn create_playback_restriction_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let tags = tags(input, "tags")?;
        let body = object([
            (
                "allowedCountries",
                input
                    .get("allowedCountries")
                    .cloned()
                    .unwrap_or_else(|| Value::Array(Vec::new())),
            ),
            (
                "allowedOrigins",
                input
                    .get("allowedOrigins")
                    .cloned()
                    .unwrap_or_else(|| Value::Array(Vec::new())),
            ),
            (
                "enableStrictOriginEnforcement",
                Value::from(opt_bool(input, "enableStrictOriginEnforcement").unwrap_or(false)),
            ),
            ("name", Value::from(opt_str(input, "name").unwrap_or(""))),
        ]);
        self.create_one(ctx, &SPEC, body, tags)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;

    #[test]
    fn lifecycle_with_defaults_validation_and_in_use_check() {
        let ivs = ivs();
        let out = ok(
            &ivs,
            "CreatePlaybackRestrictionPolicy",
            json!({"name": "p"}),
        );
        let arn = s(&out, "/playbackRestrictionPolicy/arn");
        assert_eq!(
            out["playbackRestrictionPolicy"]["allowedCountries"],
            json!([])
        );
        assert_eq!(
            out["playbackRestrictionPolicy"]["allowedOrigins"],
            json!([])
        );
        assert_eq!(
            out["playbackRestrictionPolicy"]["enableStrictOriginEnforcement"],
            json!(false)
        );
        err(
            &ivs,
            "CreatePlaybackRestrictionPolicy",
            json!({"allowedCountries": ["usa"]}),
            "ValidationException",
        );
        // Two capital letters, but not a code ISO 3166-1 has assigned.
        err(
            &ivs,
            "CreatePlaybackRestrictionPolicy",
            json!({"allowedCountries": ["US", "XX"]}),
            "ValidationException",
        );
        let upd = ok(
            &ivs,
            "UpdatePlaybackRestrictionPolicy",
            json!({"arn": arn, "allowedCountries": ["US", "CA"], "allowedOrigins": ["https://example.com"]}),
        );
        assert_eq!(
            upd["playbackRestrictionPolicy"]["allowedCountries"],
            json!(["US", "CA"])
        );
        assert_eq!(upd["playbackRestrictionPolicy"]["name"], "p");
        // Default page size is 1.
        ok(&ivs, "CreatePlaybackRestrictionPolicy", json!({}));
        let page = ok(&ivs, "ListPlaybackRestrictionPolicies", json!({}));
        assert_eq!(
            page["playbackRestrictionPolicies"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(page["nextToken"].is_string());
        assert_deletable_only_when_unused(
            &ivs,
            "playbackRestrictionPolicyArn",
            &arn,
            "DeletePlaybackRestrictionPolicy",
        );
        err(
            &ivs,
            "GetPlaybackRestrictionPolicy",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
    }
}
