//! IVS's errors and tagging rules; the input accessors are the kit's.

pub use kit::input::{
    object, opt_bool, opt_f64 as opt_epoch, opt_i64, opt_str, req_str, timestamp, validation,
};
use kit::{TagRules, Tags};
use serde_json::Value;
use service::ServiceError;

/// IVS's tagging rules: 50 tags, refused with ValidationException.
pub const TAG_RULES: TagRules = TagRules::new("ValidationException");

/// A ConflictException.
pub fn conflict(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ConflictException", message)
}

/// The ResourceNotFoundException IVS answers for an unknown ARN.
pub fn not_found(arn: &str) -> ServiceError {
    ServiceError::new(
        "ResourceNotFoundException",
        format!("Resource: {arn} not found"),
    )
}

/// The ChannelNotBroadcasting error for a channel without a live stream, worded as AWS
/// answered it (captured with its request and CloudFront IDs in the tests of AWS's IVS UGC
/// platform sample).
pub fn not_broadcasting(channel_arn: &str) -> ServiceError {
    ServiceError::new(
        "ChannelNotBroadcasting",
        format!("Channel: {channel_arn} is not currently online"),
    )
}

/// The `tags` member as a map, checked against AWS's tagging rules.
pub fn tags(input: &Value, member: &str) -> Result<Tags, ServiceError> {
    TAG_RULES.read(input, member)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    #[test]
    fn tags_follow_aws_rules() {
        assert_eq!(
            tags(&json!({"tags": {"a": "b"}}), "tags").unwrap()["a"],
            "b"
        );
        assert!(tags(&json!({"tags": {"aws:x": "b"}}), "tags").is_err());
        assert!(tags(&json!({"tags": {"": "b"}}), "tags").is_err());
        assert!(tags(&json!({"tags": {"k".repeat(129): "b"}}), "tags").is_err());
        assert!(tags(&json!({"tags": {"k": "v".repeat(257)}}), "tags").is_err());
        let many: Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            tags(&json!({ "tags": many }), "tags").unwrap_err().code,
            "ValidationException"
        );
        assert!(tags(&json!({}), "tags").unwrap().is_empty());
    }
}
