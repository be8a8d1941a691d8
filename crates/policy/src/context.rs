//! The request context: condition keys and their values.

use service::ContextValue;
use std::collections::HashMap;

/// Request context: condition keys, names case-insensitive (AWS compares condition key names,
/// tag-key suffix included, without regard to case), values multi-valued where AWS allows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// Lowercased key name → (name as set, value).
    values: HashMap<String, (String, ContextValue)>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// Sets `key` to `value`, replacing any value under the same name in any case.
    pub fn set(&mut self, key: &str, value: ContextValue) {
        self.values
            .insert(key.to_lowercase(), (key.to_string(), value));
    }

    /// The value of `key`, if the request has one.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lower(&key.to_lowercase())
    }

    /// Lookup with an already-lowercased name (the compiled policy stores names that way).
    pub(crate) fn get_lower(&self, lower: &str) -> Option<&ContextValue> {
        self.values.get(lower).map(|(_, v)| v)
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        self.values.remove(&key.to_lowercase());
    }

    /// Every key as it was set, with its value (for explanations).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.values.values().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive() {
        let mut c = Context::new();
        c.set(
            "aws:ResourceTag/Owner",
            ContextValue::String("alice".into()),
        );
        assert_eq!(
            c.get("AWS:resourcetag/owner"),
            Some(&ContextValue::String("alice".into()))
        );
        c.remove("aws:RESOURCETAG/OWNER");
        assert!(c.get("aws:ResourceTag/Owner").is_none());
    }
}
