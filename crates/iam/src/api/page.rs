//! `Marker`/`MaxItems`/`IsTruncated` pagination over a sorted listing.

use crate::api::input;
use serde_json::{Map, Value};
use service::ServiceError;

/// A listing key that orders items by time, then ID (for credentials listed as created).
pub fn time_order_key(at: f64, id: &str) -> String {
    format!("{at:017.3}|{id}")
}

/// One page of `items` (in the order of their unique keys) after the input's `Marker`, at most `MaxItems`
/// (default 100). Adds `IsTruncated` and `Marker` to `out`. Markers carry `scope` (the
/// operation and account): one issued for another scope is refused.
pub fn page<T>(
    token_key: &[u8; 32],
    scope: &str,
    input: &Value,
    items: Vec<(String, T)>,
    out: &mut Map<String, Value>,
) -> Result<Vec<T>, ServiceError> {
    let max = input::num(input, "MaxItems")
        .unwrap_or(100.0)
        .clamp(1.0, 1000.0) as usize;
    let after = match input::opt(input, "Marker") {
        Some(m) => Some(
            protocol::pagination::decode_token(token_key, m)
                .and_then(|c| {
                    c.strip_prefix(scope)
                        .and_then(|rest| rest.strip_prefix('\n'))
                        .map(str::to_string)
                })
                .ok_or_else(|| ServiceError::new("ValidationError", "Invalid Marker."))?,
        ),
        None => None,
    };
    // The marker is the last key served, so pages are only consistent in key order.
    let mut items = items;
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(k, _)| after.as_deref().is_none_or(|a| k.as_str() > a))
        .collect();
    let truncated = rest.len() > max;
    rest.truncate(max);
    out.insert("IsTruncated".into(), Value::Bool(truncated));
    if truncated {
        if let Some((k, _)) = rest.last() {
            out.insert(
                "Marker".into(),
                Value::String(protocol::pagination::encode_token(
                    token_key,
                    &format!("{scope}\n{k}"),
                )),
            );
        }
    }
    Ok(rest.into_iter().map(|(_, v)| v).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_through_with_markers() {
        let key = [3u8; 32];
        let items = || (0..5).map(|i| (format!("k{i}"), i)).collect::<Vec<_>>();
        let mut out = Map::new();
        let first = page(
            &key,
            "ListUsers\n1",
            &json!({"MaxItems": 2}),
            items(),
            &mut out,
        )
        .unwrap();
        assert_eq!(first, vec![0, 1]);
        assert_eq!(out["IsTruncated"], true);
        let marker = out["Marker"].as_str().unwrap().to_string();
        let mut out2 = Map::new();
        let second = page(
            &key,
            "ListUsers\n1",
            &json!({"MaxItems": 10, "Marker": marker}),
            items(),
            &mut out2,
        )
        .unwrap();
        assert_eq!(second, vec![2, 3, 4]);
        assert_eq!(out2["IsTruncated"], false);
        assert!(page(
            &key,
            "ListUsers\n1",
            &json!({"Marker": "bogus"}),
            items(),
            &mut Map::new()
        )
        .is_err());
        // Another operation's or account's marker is refused, not read as a position.
        for scope in ["ListRoles\n1", "ListUsers\n2"] {
            let e = page(
                &key,
                scope,
                &json!({"Marker": marker}),
                items(),
                &mut Map::new(),
            );
            assert_eq!(e.map_err(|e| e.message), Err("Invalid Marker.".to_string()));
        }
    }

    #[test]
    fn unsorted_listings_page_in_key_order_without_repeats() {
        let key = [3u8; 32];
        let items = || {
            ["b", "D", "a", "c", "E"]
                .iter()
                .map(|k| (k.to_string(), k.to_string()))
                .collect::<Vec<_>>()
        };
        let mut seen = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let mut out = Map::new();
            let input = match &marker {
                Some(m) => json!({"MaxItems": 2, "Marker": m}),
                None => json!({"MaxItems": 2}),
            };
            seen.extend(page(&key, "ListUsers\n1", &input, items(), &mut out).unwrap());
            match out.get("Marker") {
                Some(m) => marker = Some(m.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!(seen, ["D", "E", "a", "b", "c"]);
    }
}
