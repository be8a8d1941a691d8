//! Reading the validated input `Value` and the errors IVS answers with.

use serde_json::{Map, Value};
use service::ServiceError;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The most tags a resource may carry.
pub const MAX_TAGS: usize = 50;

/// A string member, if present.
pub fn opt_str<'a>(input: &'a Value, member: &str) -> Option<&'a str> {
    input.get(member).and_then(Value::as_str)
}

/// A required string member (the protocol layer already checked presence; this keeps us
/// panic-free if it did not).
pub fn req_str<'a>(input: &'a Value, member: &str) -> Result<&'a str, ServiceError> {
    opt_str(input, member).ok_or_else(|| validation(format!("{member} is required")))
}

/// A boolean member, if present.
pub fn opt_bool(input: &Value, member: &str) -> Option<bool> {
    input.get(member).and_then(Value::as_bool)
}

/// An integer member, if present.
pub fn opt_i64(input: &Value, member: &str) -> Option<i64> {
    input.get(member).and_then(Value::as_i64)
}

/// A ValidationException.
pub fn validation(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ValidationException", message)
}

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

/// The ChannelNotBroadcasting error for a channel without a live stream (the API reference's
/// wording).
pub fn not_broadcasting(_channel_arn: &str) -> ServiceError {
    ServiceError::new(
        "ChannelNotBroadcasting",
        "The stream is offline for the given channel ARN.",
    )
}

/// The `tags` member as a map, checked against AWS's tagging rules.
pub fn tags(input: &Value, member: &str) -> Result<BTreeMap<String, String>, ServiceError> {
    let mut out = BTreeMap::new();
    let Some(map) = input.get(member).and_then(Value::as_object) else {
        return Ok(out);
    };
    for (k, v) in map {
        let v = v
            .as_str()
            .ok_or_else(|| validation(format!("tag value for key {k} must be a string")))?;
        check_tag_key(k)?;
        if v.chars().count() > 256 {
            return Err(validation(format!(
                "tag value for key {k} must be at most 256 characters"
            )));
        }
        out.insert(k.clone(), v.to_string());
    }
    if out.len() > MAX_TAGS {
        return Err(validation(format!(
            "a resource can have at most {MAX_TAGS} tags"
        )));
    }
    Ok(out)
}

/// AWS's tag-key rules: 1–128 characters, not starting with the reserved `aws:` prefix.
pub fn check_tag_key(k: &str) -> Result<(), ServiceError> {
    let n = k.chars().count();
    if n == 0 || n > 128 {
        return Err(validation(format!(
            "tag key {k:?} must be between 1 and 128 characters"
        )));
    }
    if k.to_ascii_lowercase().starts_with("aws:") {
        return Err(validation(format!(
            "tag key {k} uses the reserved prefix aws:"
        )));
    }
    Ok(())
}

/// Epoch seconds as AWS's RFC 3339 timestamp (`2024-05-01T12:00:00Z`).
pub fn timestamp(epoch: f64) -> Value {
    let whole = epoch.floor() as i64;
    match OffsetDateTime::from_unix_timestamp(whole)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
    {
        Some(s) => Value::from(s),
        None => Value::from(whole),
    }
}

/// A timestamp member given as epoch seconds (the protocol layer's convention).
pub fn opt_epoch(input: &Value, member: &str) -> Option<f64> {
    input.get(member).and_then(Value::as_f64)
}

/// Builds an object from `(member, value)` pairs, skipping nulls.
pub fn object(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert!(tags(&json!({ "tags": many }), "tags").is_err());
        assert!(tags(&json!({}), "tags").unwrap().is_empty());
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(timestamp(0.0), json!("1970-01-01T00:00:00Z"));
        assert_eq!(timestamp(1714564800.7), json!("2024-05-01T12:00:00Z"));
    }
}
