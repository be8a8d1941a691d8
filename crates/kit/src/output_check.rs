//! Finding output members the operation's output shape does not declare: the serializer
//! would silently drop them, so in tests and debug builds they are an error instead.

use protocol::shape::ShapeKind;
use protocol::Model;
use serde_json::Value;

/// Paths (`channel.playbackUrl2`) of members in `output` that `operation`'s output shape, or a
/// shape nested in it, does not have. An operation without an output shape declares nothing.
pub fn undeclared_members(model: &Model, operation: &str, output: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(op) = model.operation(operation) else {
        return vec![format!("(no operation {operation})")];
    };
    match model.output_shape(op) {
        Some(shape) => walk(model, shape, output, "", &mut out),
        None => {
            if let Some(map) = output.as_object() {
                out.extend(map.keys().cloned());
            }
        }
    }
    out
}

fn walk(
    model: &Model,
    shape: &protocol::shape::Shape,
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
    let child = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    match (&shape.kind, value) {
        (ShapeKind::Structure { members, index, .. }, Value::Object(map)) => {
            for (k, v) in map {
                match index.by_name(members, k).and_then(|i| members.get(i)) {
                    None => out.push(child(k)),
                    Some(m) if m.jsonvalue => {}
                    Some(m) => {
                        if let Some(s) = model.shape_by_id(m.shape) {
                            walk(model, s, v, &child(k), out);
                        }
                    }
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            if let Some(s) = model.shape_by_id(*member) {
                for (i, v) in items.iter().enumerate() {
                    walk(model, s, v, &child(&format!("[{i}]")), out);
                }
            }
        }
        (ShapeKind::Map { value: vs, .. }, Value::Object(map)) => {
            if let Some(s) = model.shape_by_id(*vs) {
                for (k, v) in map {
                    walk(model, s, v, &child(k), out);
                }
            }
        }
        _ => {}
    }
}

/// Where `output` leaves `operation`'s output shape other than by undeclared members: a
/// required member missing (`flow.sources`; AWS always sends them and clients rely on them),
/// or a value the member's type or enum does not allow (`flow.status="running"`, which a
/// strict SDK fails to read). List positions are written `[]`.
pub fn off_model_members(model: &Model, operation: &str, output: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(shape) = model
        .operation(operation)
        .and_then(|op| model.output_shape(op))
    {
        walk_required(model, shape, output, "", &mut out);
    }
    out
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

fn walk_required(
    model: &Model,
    shape: &protocol::shape::Shape,
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
) {
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
                    if m.location != protocol::shape::Location::StatusCode
                        && map.get(&m.name).is_none_or(Value::is_null)
                    {
                        out.push(child(&m.name));
                    }
                }
            }
            // The serializer leaves out null members.
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                let member = index.by_name(members, k).and_then(|i| members.get(i));
                if let Some(s) = member
                    .filter(|m| !m.jsonvalue)
                    .and_then(|m| model.shape_by_id(m.shape))
                {
                    walk_required(model, s, v, &child(k), out);
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            if let Some(s) = model.shape_by_id(*member) {
                for v in items {
                    walk_required(model, s, v, &child("[]"), out);
                }
            }
        }
        (ShapeKind::Map { value: vs, .. }, Value::Object(map)) => {
            if let Some(s) = model.shape_by_id(*vs) {
                for (k, v) in map {
                    walk_required(model, s, v, &child(k), out);
                }
            }
        }
        (kind, v) => {
            let fits = match kind {
                ShapeKind::Structure { .. } | ShapeKind::Map { .. } => false,
                ShapeKind::List { .. } => false,
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
                out.push(format!("{path}={v}"));
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
            ["channels.[1].bogus"]
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
