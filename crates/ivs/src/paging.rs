//! Listing pages over ARN-ordered maps with tamper-evident `nextToken`s.
//!
//! The token's cursor is the listing's scope (operation, account, region, filters) and the last
//! ARN served, so a page stays valid while resources come and go and a token cannot be replayed
//! against another listing.

use crate::input::{opt_i64, opt_str, validation};
use protocol::pagination::{decode_token, encode_token};
use serde_json::Value;
use service::ServiceError;
use std::collections::BTreeMap;
use std::ops::Bound;

/// How many items a listing returns and after which key it starts.
#[derive(Debug)]
pub struct PageRequest {
    /// The number of items to return.
    pub limit: usize,
    /// Resume after this key (exclusive).
    pub after: Option<String>,
    scope: String,
}

impl PageRequest {
    /// Reads `maxResults` (default `default`) and `nextToken` for a listing scoped by `scope`.
    pub fn from_input(
        key: &[u8; 32],
        input: &Value,
        default: usize,
        scope: String,
    ) -> Result<Self, ServiceError> {
        let limit = opt_i64(input, "maxResults")
            .map(|n| n.max(1) as usize)
            .unwrap_or(default);
        let after = match opt_str(input, "nextToken").filter(|t| !t.is_empty()) {
            None => None,
            Some(token) => {
                let cursor = decode_token(key, token)
                    .ok_or_else(|| validation("The nextToken is not valid"))?;
                let (token_scope, last) = cursor
                    .split_once('\n')
                    .ok_or_else(|| validation("The nextToken is not valid"))?;
                if token_scope != scope {
                    return Err(validation("The nextToken is not valid"));
                }
                Some(last.to_string())
            }
        };
        Ok(PageRequest {
            limit,
            after,
            scope,
        })
    }

    /// The token that resumes after `last`.
    pub fn token_after(&self, key: &[u8; 32], last: &str) -> String {
        encode_token(key, &format!("{}\n{}", self.scope, last))
    }

    /// One page of the entries of `map` whose keys start with `prefix` and pass `keep`, plus
    /// the token for the next page when there is one.
    pub fn page<'m, V>(
        &self,
        key: &[u8; 32],
        map: &'m BTreeMap<String, V>,
        prefix: &str,
        mut keep: impl FnMut(&str, &V) -> bool,
    ) -> (Vec<(&'m String, &'m V)>, Option<String>) {
        let start = match &self.after {
            Some(after) if after.as_str() >= prefix => Bound::Excluded(after.clone()),
            _ => Bound::Included(prefix.to_string()),
        };
        let mut items = Vec::new();
        let mut more = false;
        for (k, v) in map
            .range::<String, _>((start, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
        {
            if !keep(k, v) {
                continue;
            }
            if items.len() == self.limit {
                more = true;
                break;
            }
            items.push((k, v));
        }
        let next = match (more, items.last()) {
            (true, Some((k, _))) => Some(self.token_after(key, k)),
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
    fn pages_cover_every_item_once_and_reject_foreign_tokens() {
        let key = [3u8; 32];
        let map: BTreeMap<String, u32> = (0..25).map(|i| (format!("p/{i:03}"), i)).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let input = match &token {
                Some(t) => json!({"maxResults": 10, "nextToken": t}),
                None => json!({"maxResults": 10}),
            };
            let req = PageRequest::from_input(&key, &input, 100, "scope".into()).unwrap();
            let (items, next) = req.page(&key, &map, "p/", |_, _| true);
            seen.extend(items.iter().map(|(_, v)| **v));
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, (0..25).collect::<Vec<_>>());
        let t = PageRequest::from_input(&key, &json!({"maxResults": 1}), 100, "a".into())
            .unwrap()
            .token_after(&key, "p/001");
        let other = PageRequest::from_input(&key, &json!({ "nextToken": t }), 100, "b".into());
        assert_eq!(other.unwrap_err().code, "ValidationException");
    }
}
