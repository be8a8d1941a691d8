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
}
