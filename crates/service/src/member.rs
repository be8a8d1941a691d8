//! Reading a member of a JSON object by comparing names rather than hashing: serde_json's
//! order-keeping map SipHashes a name on every lookup (about 150 instructions for a short
//! name), more than comparing it with each key of a small object. A CreateJob reads its
//! settings members about a hundred times.

use serde_json::{Map, Value};

/// Objects up to this many members are scanned; larger ones use the map's hash index.
const SCAN_UP_TO: usize = 16;

/// `get` by member name, without hashing the name when the object is small.
pub trait Member {
    /// The member called `name`, if this is an object that has one.
    fn member(&self, name: &str) -> Option<&Value>;
}

impl Member for Map<String, Value> {
    fn member(&self, name: &str) -> Option<&Value> {
        if self.len() <= SCAN_UP_TO {
            self.iter().find_map(|(k, v)| (k == name).then_some(v))
        } else {
            self.get(name)
        }
    }
}

impl Member for Value {
    fn member(&self, name: &str) -> Option<&Value> {
        self.as_object()?.member(name)
    }
}

/// A `{Key, Value}` list item's two strings, as IAM and STS give tags (empty when missing or
/// not strings).
pub fn key_and_value(item: &Value) -> (&str, &str) {
    let text = |name| {
        item.member(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    (text("Key"), text("Value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_and_value_reads_a_tag_item() {
        assert_eq!(
            key_and_value(&json!({"Key": "k", "Value": "v"})),
            ("k", "v")
        );
        assert_eq!(key_and_value(&json!({"Key": "k", "Value": 1})), ("k", ""));
        assert_eq!(key_and_value(&json!("x")), ("", ""));
    }

    #[test]
    fn finds_what_get_finds() {
        let small = json!({"A": 1, "Bb": 2, "C": null});
        let large = Value::Object((0..40).map(|i| (format!("k{i}"), json!(i))).collect());
        for v in [&small, &large, &json!([1, 2]), &json!("A")] {
            for name in ["A", "Bb", "C", "k0", "k39", "k40", "", "a"] {
                assert_eq!(v.member(name), v.get(name), "{name} in {v}");
            }
        }
    }
}
