//! Listed pages kept while their store is unchanged: asking for the same page again (a
//! poller, a dashboard, a test suite's setup) copies its text instead of walking, filtering
//! and joining its items again.

use crate::paging::PageRequest;
use parking_lot::Mutex;
use service::RenderedList;
use std::sync::Arc;

/// At most this many pages are kept per cache.
const MAX_PAGES: usize = 16;
/// At most this many bytes of page text are kept per cache.
const MAX_BYTES: usize = 512 * 1024;

/// One listed page as the protocol layer takes it: the rendered list and the next token.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPage {
    /// The page's items, rendered.
    pub list: RenderedList,
    /// The token of the next page, if more remain.
    pub next: Option<String>,
}

/// A page is the same page when its store is in the same generation and the request names
/// the same listing (operation, account, region and filters: the token's scope), start and
/// size.
#[derive(Debug, PartialEq)]
struct Key {
    generation: u64,
    scope: String,
    after: Option<String>,
    limit: usize,
}

impl Key {
    fn of(generation: u64, request: &PageRequest) -> Self {
        Key {
            generation,
            scope: request.scope().to_string(),
            after: request.after.clone(),
            limit: request.limit,
        }
    }

    fn is(&self, generation: u64, request: &PageRequest) -> bool {
        self.generation == generation
            && self.limit == request.limit
            && self.after == request.after
            && self.scope == request.scope()
    }
}

/// The pages most recently listed from stores (keyed by [`crate::Store::generation`], which
/// no other store or state of a store shares), newest last.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<Vec<(Key, Arc<CachedPage>)>>,
}

impl PageCache {
    /// The page `request` lists from a store now in `generation`, if kept.
    pub fn get(&self, generation: u64, request: &PageRequest) -> Option<Arc<CachedPage>> {
        let pages = self.pages.lock();
        pages
            .iter()
            .rev()
            .find(|(k, _)| k.is(generation, request))
            .map(|(_, p)| p.clone())
    }

    /// Keeps `page`, listed for `request` from a store in `generation`; pages of older
    /// generations of any store go first, then the oldest, to stay within the bounds.
    pub fn put(&self, generation: u64, request: &PageRequest, page: CachedPage) {
        let bytes = |p: &CachedPage| p.list.text_len();
        if bytes(&page) > MAX_BYTES {
            return;
        }
        let key = Key::of(generation, request);
        let mut pages = self.pages.lock();
        // A page of a store that has changed since can never be asked for again.
        pages.retain(|(k, _)| k.generation >= generation || k.scope != key.scope);
        pages.retain(|(k, _)| *k != key);
        pages.push((key, Arc::new(page)));
        let mut total: usize = pages.iter().map(|(_, p)| bytes(p)).sum();
        while pages.len() > MAX_PAGES || total > MAX_BYTES {
            let (_, oldest) = pages.remove(0);
            total -= bytes(&oldest);
        }
    }

    /// How many pages it keeps.
    pub fn len(&self) -> usize {
        self.pages.lock().len()
    }

    /// Whether it keeps none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paging::Paging;
    use serde_json::json;

    fn request(scope: &str, input: serde_json::Value) -> PageRequest {
        let paging = Paging::new(10, "ValidationException");
        PageRequest::scoped(&[7; 32], &paging, &input, scope.to_string()).unwrap()
    }

    fn page(text: &[u8]) -> CachedPage {
        let mut list = RenderedList::new("things", 1, text.len());
        list.push(text);
        CachedPage { list, next: None }
    }

    #[test]
    fn a_page_is_found_only_for_the_same_listing_start_size_and_generation() {
        let cache = PageCache::default();
        let first = request("a|List", json!({}));
        assert!(cache.get(1, &first).is_none());
        cache.put(1, &first, page(b"{}"));
        assert_eq!(cache.get(1, &first).unwrap().list.joined(), b"{}");
        assert!(cache.get(2, &first).is_none(), "another generation");
        assert!(cache.get(1, &request("b|List", json!({}))).is_none());
        assert!(cache
            .get(1, &request("a|List", json!({"maxResults": 3})))
            .is_none());
        let token = crate::paging::PageRequest::scoped(
            &[7; 32],
            &Paging::new(10, "ValidationException"),
            &json!({}),
            "a|List".into(),
        )
        .unwrap()
        .token_after(&[7; 32], "k");
        let later = request("a|List", json!({ "nextToken": token }));
        assert_eq!(later.after.as_deref(), Some("k"));
        assert!(cache.get(1, &later).is_none(), "another start");
    }

    #[test]
    fn older_generations_of_a_listing_and_the_oldest_pages_are_let_go() {
        let cache = PageCache::default();
        let a = request("a|List", json!({}));
        let b = request("b|List", json!({}));
        cache.put(1, &a, page(b"1"));
        cache.put(1, &b, page(b"b"));
        cache.put(2, &a, page(b"2"));
        assert!(cache.get(1, &a).is_none());
        assert_eq!(cache.get(2, &a).unwrap().list.joined(), b"2");
        assert_eq!(cache.get(1, &b).unwrap().list.joined(), b"b");
        assert_eq!(cache.len(), 2);
        for i in 0..(MAX_PAGES + 5) {
            cache.put(3, &request(&format!("{i}|List"), json!({})), page(b"x"));
        }
        assert_eq!(cache.len(), MAX_PAGES);
        assert!(cache.get(3, &request("0|List", json!({}))).is_none());
        let last = request(&format!("{}|List", MAX_PAGES + 4), json!({}));
        assert!(cache.get(3, &last).is_some());
        // A page larger than the whole budget is not kept.
        cache.put(4, &a, page(&vec![b'x'; MAX_BYTES + 1]));
        assert!(cache.get(4, &a).is_none());
    }
}
