//! MediaConvert's listings are ordered by name or creation date, ascending or descending, not
//! by ARN: a page is cut from the sorted listing, its token (the kit's, bound to the listing's
//! operation, caller and order) remembering the last sort key served.

use kit::{PageRequest, Paging};
use serde_json::Value;
use service::{RequestContext, ServiceError};

/// `MaxResults`/`NextToken`, 20 a page, `BadRequestException` for a bad token.
pub const PAGING: Paging =
    Paging::new(20, "BadRequestException").members("MaxResults", "NextToken");

/// How a listing is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// `Order=DESCENDING`.
    pub descending: bool,
}

impl Order {
    /// The `Order` member, `default_descending` when absent.
    pub fn read(input: &Value, default_descending: bool) -> Order {
        Order {
            descending: match input.get("Order").and_then(Value::as_str) {
                Some(o) => o == "DESCENDING",
                None => default_descending,
            },
        }
    }
}

/// Reads the page request of `operation`; `filters` are the inputs a token is bound to.
pub fn request(
    key: &[u8; 32],
    ctx: &RequestContext,
    operation: &str,
    input: &Value,
    filters: &str,
) -> Result<PageRequest, ServiceError> {
    PageRequest::read(key, &PAGING, ctx, operation, input, filters)
}

/// One page of `items` (sort key, item): sorted by key in `order`, after the token's key.
pub fn cut<T>(
    key: &[u8; 32],
    page: &PageRequest,
    mut items: Vec<(String, T)>,
    order: Order,
) -> (Vec<T>, Option<String>) {
    items.sort_by(|a, b| a.0.cmp(&b.0));
    if order.descending {
        items.reverse();
    }
    let start = match &page.after {
        None => 0,
        Some(after) => items
            .iter()
            .position(|(k, _)| {
                if order.descending {
                    k < after
                } else {
                    k > after
                }
            })
            .unwrap_or(items.len()),
    };
    let rest = items.len() - start;
    let mut taken: Vec<(String, T)> = items.into_iter().skip(start).take(page.limit).collect();
    let next = (rest > page.limit)
        .then(|| taken.last().map(|(k, _)| page.token_after(key, k)))
        .flatten();
    (taken.drain(..).map(|(_, t)| t).collect(), next)
}

/// One page of a listing already in its order (keys ascending, or descending for
/// `Order=DESCENDING`): resumes after the token's key and stops as soon as the page is full
/// and one more item is known to follow, so only what it walks is looked at.
pub fn walk<'a, T>(
    key: &[u8; 32],
    page: &PageRequest,
    items: impl Iterator<Item = (&'a str, T)>,
    order: Order,
    mut keep: impl FnMut(&T) -> bool,
) -> (Vec<T>, Option<String>) {
    let mut out: Vec<(&'a str, T)> = Vec::new();
    let mut more = false;
    for (k, item) in items {
        let before_cursor =
            page.after
                .as_deref()
                .is_some_and(|a| if order.descending { k >= a } else { k <= a });
        if before_cursor || !keep(&item) {
            continue;
        }
        if out.len() == page.limit {
            more = true;
            break;
        }
        out.push((k, item));
    }
    let next = match (more, out.last()) {
        (true, Some((k, _))) => Some(page.token_after(key, k)),
        _ => None,
    };
    (out.into_iter().map(|(_, t)| t).collect(), next)
}

/// A creation-date sort key that orders as the date does, ties broken by `name`.
pub fn date_key(epoch: f64, name: &str) -> String {
    format!("{:020.6}|{name}", epoch.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use service::Principal;
    use std::sync::Arc;

    #[test]
    fn pages_walk_the_sorted_listing_both_ways() {
        let ctx = RequestContext::new("r", Arc::new(Principal::root("1", "k")), "us-east-1");
        let key = [3u8; 32];
        let items = || (0..5).map(|i| (format!("k{i}"), i)).collect::<Vec<_>>();
        for (descending, expect) in [(false, vec![0, 1, 2, 3, 4]), (true, vec![4, 3, 2, 1, 0])] {
            let order = Order { descending };
            let mut seen = Vec::new();
            let mut token = Value::Null;
            loop {
                let input = json!({"MaxResults": 2, "NextToken": token});
                let page = request(&key, &ctx, "ListX", &input, "o").unwrap();
                let (got, next) = cut(&key, &page, items(), order);
                seen.extend(got);
                match next {
                    Some(t) => token = Value::from(t),
                    None => break,
                }
            }
            assert_eq!(seen, expect);
        }
        let input = json!({"NextToken": "garbage"});
        assert_eq!(
            request(&key, &ctx, "ListX", &input, "o").unwrap_err().code,
            "BadRequestException"
        );
        assert!(date_key(2.0, "a") < date_key(10.0, "a"));
        // walk: the same pages from an ordered iterator, filtered.
        let keys = ["a", "b", "c", "d", "e"];
        let order = Order { descending: true };
        let page = request(&key, &ctx, "ListX", &json!({"MaxResults": 2}), "w").unwrap();
        let (got, next) = walk(
            &key,
            &page,
            keys.iter().rev().map(|k| (*k, *k)),
            order,
            |k| *k != "d",
        );
        assert_eq!(got, ["e", "c"]);
        let input = json!({"MaxResults": 2, "NextToken": next.unwrap()});
        let page = request(&key, &ctx, "ListX", &input, "w").unwrap();
        let (got, next) = walk(
            &key,
            &page,
            keys.iter().rev().map(|k| (*k, *k)),
            order,
            |k| *k != "d",
        );
        assert_eq!((got, next), (vec!["b", "a"], None));
    }
}
