//! Tags with AWS's limits: at most N per resource, keys of 1–128 characters without the
//! reserved `aws:` prefix, values of at most 256. The error code is the service's.

use serde_json::Value;
use service::{Member, ServiceError};
use std::collections::BTreeMap;

/// A resource's tags, in key order.
pub type Tags = BTreeMap<String, String>;

/// A service's tagging rules and the error it answers when they are broken.
#[derive(Debug, Clone, Copy)]
pub struct TagRules {
    /// The most tags a resource may carry (50 for most services).
    pub max_tags: usize,
    /// The error code a broken rule answers (`ValidationException`, `BadRequestException`).
    pub error_code: &'static str,
    /// The service's own words for a key with the reserved `aws:` prefix, where it has them.
    pub reserved_key_message: Option<&'static str>,
}

impl TagRules {
    /// AWS's usual rules (50 tags) with `error_code`.
    pub const fn new(error_code: &'static str) -> Self {
        TagRules {
            max_tags: 50,
            error_code,
            reserved_key_message: None,
        }
    }

    /// These rules, refusing a key with the reserved prefix in the service's own words.
    pub const fn with_reserved_key_message(self, message: &'static str) -> Self {
        TagRules {
            reserved_key_message: Some(message),
            ..self
        }
    }

    fn error(&self, message: String) -> ServiceError {
        ServiceError::new(self.error_code, message)
    }

    /// The tags in `member` (a `{key: value}` map or a list of `{Key, Value}`), checked; empty
    /// when the member is absent.
    pub fn read(&self, input: &Value, member: &str) -> Result<Tags, ServiceError> {
        let mut out = Tags::new();
        match input.member(member) {
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    let v = v.as_str().ok_or_else(|| {
                        self.error(format!("tag value for key {k} must be a string"))
                    })?;
                    out.insert(k.clone(), v.to_string());
                }
            }
            Some(Value::Array(list)) => {
                for t in list {
                    let (k, v) = service::key_and_value(t);
                    out.insert(k.to_string(), v.to_string());
                }
            }
            _ => {}
        }
        self.check(&out)?;
        Ok(out)
    }

    /// Tags already read (a typed request's map), checked against these rules: keys, values
    /// of at most 256 characters, at most `max_tags`.
    pub fn check(&self, tags: &Tags) -> Result<(), ServiceError> {
        for (k, v) in tags {
            self.check_key(k)?;
            if v.chars().count() > 256 {
                return Err(self.error(format!(
                    "tag value for key {k} must be at most 256 characters"
                )));
            }
        }
        self.check_count(tags.len())
    }

    /// A tag key's rules: 1–128 characters, not starting with the reserved `aws:` prefix.
    pub fn check_key(&self, k: &str) -> Result<(), ServiceError> {
        let n = k.chars().count();
        if n == 0 || n > 128 {
            return Err(self.error(format!(
                "tag key {k:?} must be between 1 and 128 characters"
            )));
        }
        if service::has_reserved_tag_prefix(k) {
            return Err(self.error(match self.reserved_key_message {
                Some(own) => own.to_string(),
                None => format!("tag key {k} uses the reserved prefix aws:"),
            }));
        }
        Ok(())
    }

    fn check_count(&self, n: usize) -> Result<(), ServiceError> {
        if n > self.max_tags {
            return Err(self.error(format!(
                "a resource can have at most {} tags",
                self.max_tags
            )));
        }
        Ok(())
    }

    /// TagResource: `new` merged over `tags`, refused (unchanged) past the limit.
    pub fn merge(&self, tags: &mut Tags, new: Tags) -> Result<(), ServiceError> {
        let mut merged = tags.clone();
        merged.extend(new);
        self.check_count(merged.len())?;
        *tags = merged;
        Ok(())
    }

    /// UntagResource: removes `keys` (checked); a key that is not there is not an error.
    pub fn remove(&self, tags: &mut Tags, keys: &[&str]) -> Result<(), ServiceError> {
        for k in keys {
            self.check_key(k)?;
        }
        for k in keys {
            tags.remove(*k);
        }
        Ok(())
    }
}

/// Tags as a `{key: value}` output map.
pub fn to_map(tags: &Tags) -> Value {
    Value::Object(
        tags.iter()
            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
            .collect(),
    )
}

/// Tags as a `[{Key, Value}]` output list (IAM, STS).
pub fn to_list(tags: &Tags) -> Value {
    Value::Array(
        tags.iter()
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map};

    const RULES: TagRules = TagRules::new("BadRequestException");

    #[test]
    fn tags_follow_aws_rules_in_the_services_error() {
        assert_eq!(
            RULES.read(&json!({"tags": {"a": "b"}}), "tags").unwrap()["a"],
            "b"
        );
        let list = json!({"Tags": [{"Key": "k", "Value": "v"}]});
        assert_eq!(RULES.read(&list, "Tags").unwrap()["k"], "v");
        for bad in [
            json!({"tags": {"aws:x": "b"}}),
            json!({"tags": {"": "b"}}),
            json!({"tags": {"k".repeat(129): "b"}}),
            json!({"tags": {"k": "v".repeat(257)}}),
            json!({"tags": {"k": 1}}),
        ] {
            assert_eq!(
                RULES.read(&bad, "tags").unwrap_err().code,
                "BadRequestException"
            );
        }
        let many: Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert!(RULES.read(&json!({ "tags": many }), "tags").is_err());
        assert!(RULES.read(&json!({}), "tags").unwrap().is_empty());
    }

    #[test]
    fn a_service_refuses_a_reserved_key_in_its_own_words() {
        const OWN: TagRules = TagRules::new("BadRequestException")
            .with_reserved_key_message("keys may not start with aws:");
        let input = json!({"tags": {"ok": "1", "AWS:x": "2"}});
        let e = OWN.read(&input, "tags").unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("BadRequestException", "keys may not start with aws:")
        );
        let mut t = Tags::new();
        assert_eq!(
            OWN.remove(&mut t, &["aws:y"]).unwrap_err().message,
            "keys may not start with aws:"
        );
        // Without its own words, the kit's.
        assert_eq!(
            RULES.read(&input, "tags").unwrap_err().message,
            "tag key AWS:x uses the reserved prefix aws:"
        );
        // A map already read is held to the same rules.
        let read = Tags::from([("aws:z".to_string(), "v".to_string())]);
        assert_eq!(
            OWN.check(&read).unwrap_err().message,
            "keys may not start with aws:"
        );
        assert!(OWN
            .check(&Tags::from([("k".to_string(), "v".to_string())]))
            .is_ok());
        // Its other rules are the kit's either way.
        let long = json!({"tags": {"a".repeat(129): "v"}});
        assert_eq!(
            OWN.read(&long, "tags").unwrap_err().message,
            RULES.read(&long, "tags").unwrap_err().message
        );
    }

    #[test]
    fn merge_and_remove() {
        let mut t: Tags = [("a".to_string(), "1".to_string())].into();
        RULES
            .merge(&mut t, [("b".to_string(), "2".to_string())].into())
            .unwrap();
        assert_eq!(t.len(), 2);
        let many: Tags = (0..49)
            .map(|i| (format!("k{i}"), "v".to_string()))
            .collect();
        assert!(RULES.merge(&mut t, many).is_err());
        assert_eq!(t.len(), 2, "a refused merge changes nothing");
        RULES.remove(&mut t, &["a", "zzz"]).unwrap();
        assert_eq!(to_map(&t), json!({"b": "2"}));
        assert_eq!(to_list(&t), json!([{"Key": "b", "Value": "2"}]));
        assert!(RULES.remove(&mut t, &["aws:x"]).is_err());
    }
}
