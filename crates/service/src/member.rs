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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
