//! A request member read apart into a compact tree ([`Doc`]), and [`Node`], what code that
//! reads either a [`Doc`] or a `serde_json::Value` asks of it.
//!
//! A `serde_json::Value` keeps each object in an order-keeping hash map: every member read
//! copies its name, SipHashes it and grows two allocations. A MediaConvert job's settings are
//! dozens of such members, read once and dropped; a `Doc` keeps them as a list of the model's
//! own names and their values, one allocation per object.

use serde_json::{Map, Number, Value};

/// A value read against its model shape: what a service's hot path reads instead of the
/// `serde_json::Value` of the same text (see the module's documentation). Null is no value,
/// so a `Doc` holds none: a structure leaves such members out.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// A boolean.
    Bool(bool),
    /// A number, as `serde_json` holds it (a timestamp as epoch seconds).
    Number(Number),
    /// A string (a blob as its base64 text).
    String(Box<str>),
    /// A list's items.
    Array(Vec<Doc>),
    /// A structure's members or a map's entries, in the order the text gave them.
    Object(Vec<(Key, Doc)>),
}

/// An input member the server read apart (see `Service::doc_member`).
#[derive(Debug, Clone, PartialEq)]
pub struct DocMember {
    /// The member's name, as the model names it.
    pub name: &'static str,
    /// Its value.
    pub doc: Doc,
    /// Its JSON text as the request sent it, when that is the very text the model's
    /// serializer writes for `doc` (compact, no escapes, integers only, every key read): a
    /// service that keeps the member's wire text takes it instead of writing it again.
    pub wire_text: Option<Box<str>>,
}

/// The name of a structure's member (the model's own text) or a map's key.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// A member, named as the model names it.
    Member(&'static str),
    /// A map entry's key.
    Entry(Box<str>),
}

impl Key {
    /// The name or key.
    pub fn as_str(&self) -> &str {
        match self {
            Key::Member(name) => name,
            Key::Entry(key) => key,
        }
    }
}

impl Doc {
    /// The `serde_json::Value` of the same text (members and entries in the same order).
    pub fn to_value(&self) -> Value {
        match self {
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Number(n) => Value::Number(n.clone()),
            Doc::String(s) => Value::String(s.to_string()),
            Doc::Array(items) => Value::Array(items.iter().map(Doc::to_value).collect()),
            Doc::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }
}

/// What code that reads a request's values asks of them, answered alike by a [`Doc`] and by a
/// `serde_json::Value` (whose `null` is no value).
pub trait Node: Sized {
    /// The member or entry called `name`, if this is an object that has one.
    fn member(&self, name: &str) -> Option<&Self>;
    /// The text, if this is a string.
    fn as_str(&self) -> Option<&str>;
    /// The number as an `i64`, if it is one.
    fn as_i64(&self) -> Option<i64>;
    /// The number as an `f64`, if it is one.
    fn as_f64(&self) -> Option<f64>;
    /// The items, if this is a list.
    fn items(&self) -> Option<&[Self]>;
    /// The members or entries in order, if this is an object.
    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Self)>>;
    /// Whether this is no value (a `Doc` never is).
    fn is_null(&self) -> bool;
    /// Appends the JSON text `serde_json` writes for it.
    fn write_json(&self, out: &mut Vec<u8>);
}

impl Node for Doc {
    fn member(&self, name: &str) -> Option<&Doc> {
        match self {
            Doc::Object(members) => members
                .iter()
                .find_map(|(k, v)| (k.as_str() == name).then_some(v)),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Doc::String(s) => Some(s),
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match self {
            Doc::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Doc::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Doc]> {
        match self {
            Doc::Array(items) => Some(items),
            _ => None,
        }
    }

    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Doc)>> {
        match self {
            Doc::Object(members) => Some(members.iter().map(|(k, v)| (k.as_str(), v))),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        false
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        // Writing to memory cannot fail.
        let _ = match self {
            Doc::Bool(b) => serde_json::to_writer(out, b),
            Doc::Number(n) => serde_json::to_writer(out, n),
            Doc::String(s) => serde_json::to_writer(out, s),
            other => serde_json::to_writer(out, &other.to_value()),
        };
    }
}

impl Node for Value {
    fn member(&self, name: &str) -> Option<&Value> {
        crate::Member::member(self, name)
    }

    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }

    fn as_i64(&self) -> Option<i64> {
        Value::as_i64(self)
    }

    fn as_f64(&self) -> Option<f64> {
        Value::as_f64(self)
    }

    fn items(&self) -> Option<&[Value]> {
        self.as_array().map(Vec::as_slice)
    }

    fn entries(&self) -> Option<impl Iterator<Item = (&str, &Value)>> {
        self.as_object()
            .map(|members| members.iter().map(|(k, v)| (k.as_str(), v)))
    }

    fn is_null(&self) -> bool {
        Value::is_null(self)
    }

    fn write_json(&self, out: &mut Vec<u8>) {
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer(out, self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Doc {
        Doc::Object(vec![
            (Key::Member("Name"), Doc::String("a".into())),
            (
                Key::Member("Items"),
                Doc::Array(vec![Doc::Number(1.into()), Doc::Bool(true)]),
            ),
            (
                Key::Member("Tags"),
                Doc::Object(vec![(Key::Entry("k".into()), Doc::String("v".into()))]),
            ),
        ])
    }

    #[test]
    fn a_doc_is_the_value_of_the_same_text_in_the_same_order() {
        let v = doc().to_value();
        assert_eq!(
            v,
            json!({"Name": "a", "Items": [1, true], "Tags": {"k": "v"}})
        );
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Name", "Items", "Tags"]);
    }

    #[test]
    fn a_doc_and_its_value_answer_alike() {
        fn answers<N: Node>(n: &N) -> (Option<&str>, Option<i64>, usize, Option<&str>, bool) {
            (
                n.member("Name").and_then(Node::as_str),
                n.member("Items")
                    .and_then(Node::items)
                    .and_then(|i| i.first())
                    .and_then(Node::as_i64),
                n.member("Items")
                    .and_then(Node::items)
                    .map_or(0, <[N]>::len),
                n.member("Tags")
                    .and_then(|t| t.member("k"))
                    .and_then(Node::as_str),
                n.member("Missing").is_some(),
            )
        }
        let d = doc();
        assert_eq!(answers(&d), answers(&d.to_value()));
        assert_eq!(answers(&d), (Some("a"), Some(1), 2, Some("v"), false));
        assert!(!d.is_null() && Node::is_null(&Value::Null));
    }
}
