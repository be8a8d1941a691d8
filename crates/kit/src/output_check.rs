//! Checking handler output against the operation's output shape: members it does not declare
//! (the serializer would silently drop them), required members missing, values off their
//! type or enum. In tests and debug builds these are errors (`checked_output`).

use protocol::shape::{Location, Shape, ShapeKind};
use protocol::Model;
use serde_json::Value;

/// What one walk of an output finds, as paths (`channel.playbackUrl2`; list items `[]`).
#[derive(Default)]
struct Findings {
    /// Members no shape declares.
    undeclared: Vec<String>,
    /// Required members missing, and values off their type or enum (`path=value`).
    off_model: Vec<String>,
}

/// Paths (`channel.playbackUrl2`) of members in `output` that `operation`'s output shape, or a
/// shape nested in it, does not have. An operation without an output shape declares nothing.
pub fn undeclared_members(model: &Model, operation: &str, output: &Value) -> Vec<String> {
    let Some(op) = model.operation(operation) else {
        return vec![format!("(no operation {operation})")];
    };
    match model.output_shape(op) {
        Some(shape) => {
            let mut found = Findings::default();
            walk(model, shape, output, "", &mut found);
            found.undeclared
        }
        None => output
            .as_object()
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Where `output` leaves `operation`'s output shape other than by undeclared members: a
/// required member missing (`flow.sources`; AWS always sends them and clients rely on them),
/// or a value the member's type or enum does not allow (`flow.status="running"`, which a
/// strict SDK fails to read). List positions are written `[]`.
pub fn off_model_members(model: &Model, operation: &str, output: &Value) -> Vec<String> {
    let mut found = Findings::default();
    if let Some(shape) = model
        .operation(operation)
        .and_then(|op| model.output_shape(op))
    {
        walk(model, shape, output, "", &mut found);
    }
    found.off_model
}

/// Whether `found` (from [`off_model_members`]) is one of `allowed`: `(operation or "*",
/// path)` pairs, where a path matches the whole of `found` or its end after a `.`.
pub fn allowed_off_model(allowed: &[(&str, &str)], operation: &str, found: &str) -> bool {
    allowed.iter().any(|(op, path)| {
        (*op == "*" || *op == operation)
            && found
                .strip_suffix(path)
                .is_some_and(|head| head.is_empty() || head.ends_with('.'))
    })
}

fn walk(model: &Model, shape: &Shape, value: &Value, path: &str, found: &mut Findings) {
    let child = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    match (&shape.kind, value) {
        (ShapeKind::Structure { members, index, .. }, Value::Object(map)) => {
            for &i in index.required() {
                if let Some(m) = members.get(i) {
                    // The serializer leaves out null members.
                    if m.location != Location::StatusCode
                        && map.get(&m.name).is_none_or(Value::is_null)
                    {
                        found.off_model.push(child(&m.name));
                    }
                }
            }
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                match index.by_name(members, k).and_then(|i| members.get(i)) {
                    None => found.undeclared.push(child(k)),
                    Some(m) if m.jsonvalue => {}
                    Some(m) => {
                        if let Some(s) = model.shape_by_id(m.shape) {
                            walk(model, s, v, &child(k), found);
                        }
                    }
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            if let Some(s) = model.shape_by_id(*member) {
                for v in items {
                    walk(model, s, v, &child("[]"), found);
                }
            }
        }
        (ShapeKind::Map { value: vs, .. }, Value::Object(map)) => {
            if let Some(s) = model.shape_by_id(*vs) {
                for (k, v) in map {
                    walk(model, s, v, &child(k), found);
                }
            }
        }
        (kind, v) => {
            let fits = match kind {
                ShapeKind::Structure { .. } | ShapeKind::Map { .. } | ShapeKind::List { .. } => {
                    false
                }
                ShapeKind::String { enum_values } => match v.as_str() {
                    Some(text) => enum_values
                        .as_ref()
                        .is_none_or(|e| e.iter().any(|x| x == text)),
                    None => false,
                },
                ShapeKind::Blob => v.is_string(),
                ShapeKind::Integer | ShapeKind::Long => v.is_i64() || v.is_u64(),
                ShapeKind::Float | ShapeKind::Double => v.is_number() || v.is_string(),
                ShapeKind::Boolean => v.is_boolean(),
                ShapeKind::Timestamp => protocol::timestamp::from_value(v).is_some(),
            };
            if !fits {
                found.off_model.push(format!("{path}={v}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_members_the_shape_lacks_at_any_depth() {
        let registry = protocol::Registry::embedded();
        let ivs = registry.model("ivs").unwrap();
        let good = json!({"channel": {"arn": "a", "name": "n", "tags": {"k": "v"}}, "streamKey": {"arn": "k"}});
        assert!(undeclared_members(ivs, "CreateChannel", &good).is_empty());
        let bad = json!({"channel": {"arn": "a", "nme": "n"}, "extra": 1});
        let mut found = undeclared_members(ivs, "CreateChannel", &bad);
        found.sort();
        assert_eq!(found, ["channel.nme", "extra"]);
        let list = json!({"channels": [{"arn": "a"}, {"bogus": 1}]});
        assert_eq!(
            undeclared_members(ivs, "ListChannels", &list),
            ["channels.[].bogus"]
        );
    }

    #[test]
    fn finds_required_members_missing_and_values_off_their_type() {
        let registry = protocol::Registry::embedded();
        let ivs = registry.model("ivs").unwrap();
        let good = json!({"channel": {"arn": "a", "latencyMode": "LOW", "authorized": true}});
        assert!(off_model_members(ivs, "GetChannel", &good).is_empty());
        let bad = json!({"channel": {"latencyMode": "FAST", "authorized": "yes", "name": null}});
        assert_eq!(
            off_model_members(ivs, "GetChannel", &bad),
            [
                r#"channel.latencyMode="FAST""#,
                r#"channel.authorized="yes""#
            ]
        );
        // ListChannels' `channels` is required; a null member counts as absent.
        assert_eq!(
            off_model_members(ivs, "ListChannels", &json!({"channels": null})),
            ["channels"]
        );
        let list = json!({"channels": [{"arn": "a"}, {"arn": 7}]});
        assert_eq!(
            off_model_members(ivs, "ListChannels", &list),
            ["channels.[].arn=7"]
        );
        let mc = registry.model("mediaconnect").unwrap();
        let flow = json!({"Flow": {"Name": "f"}});
        let missing = off_model_members(mc, "DescribeFlow", &flow);
        assert!(missing.contains(&"Flow.FlowArn".to_string()), "{missing:?}");
    }

    #[test]
    fn allowances_match_a_whole_path_or_its_end() {
        let allowed = [("*", r#"preset="""#), ("GetUser", "User.UserName")];
        assert!(allowed_off_model(
            &allowed,
            "ListChannels",
            r#"channels.[].preset="""#
        ));
        assert!(allowed_off_model(&allowed, "GetChannel", r#"preset="""#));
        assert!(!allowed_off_model(
            &allowed,
            "GetChannel",
            r#"channel.xpreset="""#
        ));
        assert!(allowed_off_model(&allowed, "GetUser", "User.UserName"));
        assert!(!allowed_off_model(&allowed, "CreateUser", "User.UserName"));
    }
}
