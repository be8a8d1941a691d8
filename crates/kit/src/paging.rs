//! Listing pages with tamper-evident tokens bound to the listing that issued them.
//!
//! A token's cursor is the listing's scope (operation, account, region, filters) and the last
//! key served, MACed with the runtime's token key (protocol's pagination tokens): a page stays
//! valid while resources come and go, and a token cannot be replayed against another listing.

use protocol::pagination::{decode_token, encode_token};
use serde_json::{Map, Value};
use service::{RequestContext, ServiceError};
use std::collections::BTreeMap;
use std::ops::Bound;

/// How a service's listings are paged: member names, default page size, error code.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The page-size member (`maxResults`, `MaxResults`).
    pub limit_member: &'static str,
    /// The token member, in input and output (`nextToken`, `NextToken`).
    pub token_member: &'static str,
    /// The page size without a limit.
    pub default_limit: usize,
    /// The error code of a bad token (`ValidationException`, `BadRequestException`).
    pub error_code: &'static str,
    /// The message of a bad token.
    pub error_message: &'static str,
}

impl Paging {
    /// `maxResults`/`nextToken`, `default_limit` items, `error_code` for a bad token.
    pub const fn new(default_limit: usize, error_code: &'static str) -> Self {
        Paging {
            limit_member: "maxResults",
            token_member: "nextToken",
            default_limit,
            error_code,
            error_message: "The nextToken is not valid",
        }
    }

    /// The same with other member names (`MaxResults`/`NextToken`).
    pub const fn members(mut self, limit: &'static str, token: &'static str) -> Self {
        self.limit_member = limit;
        self.token_member = token;
        self
    }
}

/// How many items a listing returns and after which key it starts.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// The number of items to return.
    pub limit: usize,
    /// Resume after this key (exclusive).
    pub after: Option<String>,
    /// The output member the next token goes in.
    pub token_member: &'static str,
    scope: String,
}

impl PageRequest {
    /// Reads the limit and token of `operation`'s input; `filters` are the listing's other
    /// inputs that a token must not outlive (a channel ARN, a status filter), "" if none.
    pub fn read(
        key: &[u8; 32],
        paging: &Paging,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        filters: &str,
    ) -> Result<Self, ServiceError> {
        let scope = format!("{operation}|{}|{}|{filters}", ctx.account(), ctx.region);
        Self::scoped(key, paging, input, scope)
    }

    /// As [`PageRequest::read`], with the whole scope given.
    pub fn scoped(
        key: &[u8; 32],
        paging: &Paging,
        input: &Value,
        scope: String,
    ) -> Result<Self, ServiceError> {
        let bad = || ServiceError::new(paging.error_code, paging.error_message);
        let limit = input
            .get(paging.limit_member)
            .and_then(Value::as_i64)
            .map(|n| n.max(1) as usize)
            .unwrap_or(paging.default_limit);
        let after = match input
            .get(paging.token_member)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            None => None,
            Some(token) => {
                let cursor = decode_token(key, token).ok_or_else(bad)?;
                let (token_scope, last) = cursor.split_once('\n').ok_or_else(bad)?;
                if token_scope != scope {
                    return Err(bad());
                }
                Some(last.to_string())
            }
        };
        Ok(PageRequest {
            limit,
            after,
            token_member: paging.token_member,
            scope,
        })
    }

    /// The listing this request pages (operation, caller and filters), as its tokens carry it.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The token that resumes after `last`.
    pub fn token_after(&self, key: &[u8; 32], last: &str) -> String {
        encode_token(key, &format!("{}\n{}", self.scope, last))
    }

    /// Puts `next` (if any) into `out` under the token member.
    pub fn put_token(&self, out: &mut Map<String, Value>, next: Option<String>) {
        if let Some(t) = next {
            out.insert(self.token_member.to_string(), Value::from(t));
        }
    }

    /// One page of the entries of an ordered `map` whose keys start with `prefix` and pass
    /// `keep`, and the next token when more remain: a range walk, O(page).
    pub fn page_map<'m, V>(
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
        let entries = map
            .range::<String, _>((start, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), (k, v)));
        let (items, next) = self.page_entries(key, entries, |_, (k, v)| keep(k, v));
        (items.into_iter().map(|(_, entry)| entry).collect(), next)
    }

    /// One page over keys in order (`keys` must be sorted): the keys `keep` accepts after
    /// the cursor, and the next token when more remain. Walks only as far as the page needs.
    pub fn page_keys<'k, K: AsRef<str> + ?Sized + 'k>(
        &self,
        key: &[u8; 32],
        keys: impl IntoIterator<Item = &'k K>,
        mut keep: impl FnMut(&str) -> bool,
    ) -> (Vec<&'k K>, Option<String>) {
        let entries = keys.into_iter().map(|k| (k.as_ref(), k));
        let (items, next) = self.page_entries(key, entries, |k, _| keep(k));
        (items.into_iter().map(|(_, k)| k).collect(), next)
    }

    /// [`PageRequest::page_keys`] over entries (a key and its value) in key order, so a
    /// caller that looks each value up does it once for the filter and the page alike.
    pub fn page_entries<'k, V>(
        &self,
        key: &[u8; 32],
        entries: impl IntoIterator<Item = (&'k str, V)>,
        mut keep: impl FnMut(&str, &V) -> bool,
    ) -> (Vec<(&'k str, V)>, Option<String>) {
        let mut items = Vec::with_capacity(self.limit.min(128));
        let mut more = false;
        for (k, v) in entries {
            if self.after.as_deref().is_some_and(|a| k <= a) || !keep(k, &v) {
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
    use service::Principal;
    use std::sync::Arc;

    const PAGING: Paging = Paging::new(100, "ValidationException");

    fn ctx(account: &str) -> RequestContext {
        RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-west-2")
    }

    #[test]
    fn pages_cover_every_item_once_and_reject_foreign_tokens() {
        let key = [3u8; 32];
        let keys: Vec<String> = (0..25).map(|i| format!("p/{i:03}")).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let input = match &token {
                Some(t) => json!({"maxResults": 10, "nextToken": t}),
                None => json!({"maxResults": 10}),
            };
            let req = PageRequest::read(&key, &PAGING, &ctx("1"), "ListX", &input, "").unwrap();
            let (items, next) = req.page_keys(&key, &keys, |_| true);
            seen.extend(items.iter().map(|k| k.to_string()));
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, keys);
        let req = PageRequest::read(&key, &PAGING, &ctx("1"), "ListX", &json!({}), "").unwrap();
        let t = req.token_after(&key, "p/001");
        for (account, op, filters) in [("2", "ListX", ""), ("1", "ListY", ""), ("1", "ListX", "f")]
        {
            let e = PageRequest::read(
                &key,
                &PAGING,
                &ctx(account),
                op,
                &json!({ "nextToken": t }),
                filters,
            )
            .unwrap_err();
            assert_eq!(e.code, "ValidationException");
        }
        let e = PageRequest::read(
            &key,
            &PAGING,
            &ctx("1"),
            "ListX",
            &json!({"nextToken": "junk"}),
            "",
        );
        assert!(e.is_err());
    }
}
