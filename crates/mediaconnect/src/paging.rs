//! `MaxResults`/`NextToken` pages over ARN-ordered maps. The token is MAC'd and bound to the
//! listing that issued it (operation, account, region), so it cannot be replayed elsewhere.

use crate::error::bad_request;
use protocol::pagination::{decode_token, encode_token};
use serde_json::Value;
use service::ServiceError;
use std::collections::BTreeMap;
use std::ops::Bound;

/// How many items a listing returns and after which key it resumes.
#[derive(Debug)]
pub struct Page {
    limit: usize,
    after: Option<String>,
    scope: String,
}

impl Page {
    /// Reads `MaxResults` (default `default`) and `NextToken` for a listing scoped by `scope`.
    pub fn from_input(
        key: &[u8; 32],
        input: &Value,
        default: usize,
        scope: String,
    ) -> Result<Self, ServiceError> {
        let limit = input
            .get("MaxResults")
            .and_then(Value::as_i64)
            .map(|n| n.max(1) as usize)
            .unwrap_or(default);
        let after = match input
            .get("NextToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            None => None,
            Some(token) => {
                let invalid = || bad_request("The specified NextToken is not valid.");
                let cursor = decode_token(key, token).ok_or_else(invalid)?;
                let (s, last) = cursor.split_once('\n').ok_or_else(invalid)?;
                if s != scope {
                    return Err(invalid());
                }
                Some(last.to_string())
            }
        };
        Ok(Page {
            limit,
            after,
            scope,
        })
    }

    /// The entries of `map` under `prefix` that `keep` accepts, one page of them, and the token
    /// of the next page when there is more.
    pub fn take<'m, V>(
        &self,
        key: &[u8; 32],
        map: &'m BTreeMap<String, V>,
        prefix: &str,
        mut keep: impl FnMut(&V) -> bool,
    ) -> (Vec<&'m V>, Option<String>) {
        let start = match &self.after {
            Some(a) if a.as_str() >= prefix => Bound::Excluded(a.clone()),
            _ => Bound::Included(prefix.to_string()),
        };
        let mut items = Vec::new();
        let mut last: Option<&String> = None;
        let mut more = false;
        for (k, v) in map
            .range::<String, _>((start, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
        {
            if !keep(v) {
                continue;
            }
            if items.len() == self.limit {
                more = true;
                break;
            }
            items.push(v);
            last = Some(k);
        }
        let next = match (more, last) {
            (true, Some(k)) => Some(encode_token(key, &format!("{}\n{k}", self.scope))),
            _ => None,
        };
        (items, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_cover_everything_once_and_refuse_foreign_tokens() {
        let key = [1u8; 32];
        let map: BTreeMap<String, u32> = (0..7).map(|i| (format!("p:{i}"), i)).collect();
        let mut seen = Vec::new();
        let mut token = None::<String>;
        loop {
            let mut input = json!({"MaxResults": 3});
            if let Some(t) = &token {
                input["NextToken"] = json!(t);
            }
            let page = Page::from_input(&key, &input, 10, "s".into()).unwrap();
            let (items, next) = page.take(&key, &map, "p:", |_| true);
            seen.extend(items.into_iter().copied());
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, (0..7).collect::<Vec<_>>());
        let page = Page::from_input(&key, &json!({"MaxResults": 1}), 10, "s".into()).unwrap();
        let (_, next) = page.take(&key, &map, "p:", |_| true);
        let err = Page::from_input(&key, &json!({"NextToken": next}), 10, "t".into()).unwrap_err();
        assert_eq!(err.code, "BadRequestException");
    }
}
