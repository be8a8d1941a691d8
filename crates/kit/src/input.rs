//! Reading members of the validated input (a JSON object keyed by the model's member names),
//! and small output helpers.

use serde_json::{Map, Value};
use service::{Member, ServiceError};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A string member, if present.
pub fn opt_str<'a>(input: &'a Value, member: &str) -> Option<&'a str> {
    input.member(member).and_then(Value::as_str)
}

/// A required string member (the protocol layer already checked presence; this keeps a
/// handler panic-free if it did not). The error is `ValidationException`.
pub fn req_str<'a>(input: &'a Value, member: &str) -> Result<&'a str, ServiceError> {
    opt_str(input, member).ok_or_else(|| validation(format!("{member} is required")))
}

/// A boolean member, if present.
pub fn opt_bool(input: &Value, member: &str) -> Option<bool> {
    input.member(member).and_then(Value::as_bool)
}

/// An integer member, if present.
pub fn opt_i64(input: &Value, member: &str) -> Option<i64> {
    input.member(member).and_then(Value::as_i64)
}

/// A number member (or a timestamp, which the protocol layer gives as epoch seconds).
pub fn opt_f64(input: &Value, member: &str) -> Option<f64> {
    input.member(member).and_then(Value::as_f64)
}

/// A list-of-strings member (missing = empty).
pub fn strings<'a>(input: &'a Value, member: &str) -> Vec<&'a str> {
    input
        .get(member)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A `ValidationException` (services whose model names it otherwise build their own).
pub fn validation(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ValidationException", message)
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
    fn accessors_read_members() {
        let v = json!({"s": "x", "n": 3, "b": true, "l": ["a", 1, "b"]});
        assert_eq!(opt_str(&v, "s"), Some("x"));
        assert_eq!(req_str(&v, "t").unwrap_err().code, "ValidationException");
        assert_eq!(opt_i64(&v, "n"), Some(3));
        assert_eq!(opt_f64(&v, "n"), Some(3.0));
        assert_eq!(opt_bool(&v, "b"), Some(true));
        assert_eq!(strings(&v, "l"), ["a", "b"]);
        assert!(strings(&v, "none").is_empty());
        assert_eq!(object([("a", json!(1)), ("b", Value::Null)]).len(), 1);
    }

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(timestamp(0.0), json!("1970-01-01T00:00:00Z"));
        assert_eq!(timestamp(1714564800.7), json!("2024-05-01T12:00:00Z"));
    }
}
