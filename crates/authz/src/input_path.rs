//! Reading values out of a validated input by a member path (`a.b`, `list[].member`).

use serde_json::Value;
use service::Member;

/// Every string the path reaches, in input order.
pub fn strings<'v>(input: &'v Value, path: &str) -> Vec<&'v str> {
    let mut out = Vec::new();
    collect(input, path, &mut |v| {
        if let Some(s) = v.as_str() {
            out.push(s);
        }
    });
    out
}

/// The value(s) the path reaches.
pub fn collect<'v>(value: &'v Value, path: &str, f: &mut dyn FnMut(&'v Value)) {
    if path.is_empty() {
        match value {
            Value::Array(items) => items.iter().for_each(&mut *f),
            Value::Null => {}
            v => f(v),
        }
        return;
    }
    // A byte scan: paths are short, and most have one step.
    let (step, rest) = match path.bytes().position(|b| b == b'.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => (path, ""),
    };
    let (name, each) = match step.strip_suffix("[]") {
        Some(n) => (n, true),
        None => (step, false),
    };
    let Some(child) = value.member(name) else {
        return;
    };
    match (each, child) {
        (true, Value::Array(items)) => items.iter().for_each(|v| collect(v, rest, f)),
        (true, _) => {}
        (false, v) => collect(v, rest, f),
    }
}

/// Tags a member holds: a `{key: value}` map, or a list of `{Key, Value}` (IAM, STS).
pub fn tags(input: &Value, path: &str) -> Option<Vec<(String, String)>> {
    let mut out: Option<Vec<(String, String)>> = None;
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let mut add = |h: &Value| match h.member(last) {
        Some(Value::Object(map)) => {
            let list = out.get_or_insert_with(Vec::new);
            for (k, v) in map {
                list.push((k.clone(), v.as_str().unwrap_or_default().to_string()));
            }
        }
        Some(Value::Array(list)) => {
            let found = out.get_or_insert_with(Vec::new);
            for t in list {
                let (k, v) = service::key_and_value(t);
                found.push((k.to_string(), v.to_string()));
            }
        }
        _ => {}
    };
    // A top-level member (most are) needs no walk.
    match parent {
        Some(p) => collect(input, p, &mut add),
        None => add(input),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_nested_lists() {
        let v = json!({"arn": "a", "arns": ["b", "c"], "s": [{"c": "d"}, {"c": "e"}, {}]});
        assert_eq!(strings(&v, "arn"), ["a"]);
        assert_eq!(strings(&v, "arns[]"), ["b", "c"]);
        assert_eq!(strings(&v, "arns"), ["b", "c"]);
        assert_eq!(strings(&v, "s[].c"), ["d", "e"]);
        assert!(strings(&v, "missing").is_empty());
    }

    #[test]
    fn tags_from_maps_and_lists() {
        let m = json!({"tags": {"a": "1"}});
        assert_eq!(tags(&m, "tags"), Some(vec![("a".into(), "1".into())]));
        let l = json!({"Tags": [{"Key": "k", "Value": "v"}]});
        assert_eq!(tags(&l, "Tags"), Some(vec![("k".into(), "v".into())]));
        assert_eq!(tags(&l, "tags"), None);
        assert_eq!(tags(&json!({"Tags": []}), "Tags"), Some(vec![]));
        // Nested: every holder's tags, in input order.
        let n = json!({"o": [{"T": {"x": "1"}}, {}, {"T": [{"Key": "y", "Value": "2"}]}]});
        assert_eq!(
            tags(&n, "o[].T"),
            Some(vec![("x".into(), "1".into()), ("y".into(), "2".into())])
        );
        assert_eq!(tags(&n, "p[].T"), None);
    }
}
