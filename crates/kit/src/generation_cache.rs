//! Answers derived from a store, kept while the store is unchanged: asking for the same page
//! or the same resource again (a poller, a dashboard, a test suite's setup) copies its wire
//! text instead of walking, building and serializing it again.

use crate::paging::PageRequest;
use parking_lot::Mutex;
use service::RenderedList;
use std::sync::Arc;

/// Wire text derived from one store, under keys `K`, each valid in the store generation
/// ([`crate::Store::generation`]) it was made in. No other store and no other state of the
/// store shares a generation, so a kept value is found only while its store is unchanged.
/// A cache serves one store: a value of a newer generation lets go of the older ones.
#[derive(Debug)]
pub struct GenerationCache<K, V: ?Sized> {
    entries: Mutex<Vec<Entry<K, V>>>,
    max_entries: usize,
    max_bytes: usize,
}

#[derive(Debug)]
struct Entry<K, V: ?Sized> {
    generation: u64,
    key: K,
    value: Arc<V>,
    bytes: usize,
}

impl<K: PartialEq, V: ?Sized> GenerationCache<K, V> {
    /// An empty cache keeping at most `max_entries` values of at most `max_bytes` in all.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        GenerationCache {
            entries: Mutex::new(Vec::new()),
            max_entries,
            max_bytes,
        }
    }

    /// The value kept for the key `is` accepts, made in `generation`.
    pub fn get(&self, generation: u64, is: impl Fn(&K) -> bool) -> Option<Arc<V>> {
        let entries = self.entries.lock();
        entries
            .iter()
            .rev()
            .find(|e| e.generation == generation && is(&e.key))
            .map(|e| e.value.clone())
    }

    /// Keeps `value` (`bytes` long) for `key`, made in `generation`: values of other
    /// generations go first, then the oldest, to stay within the bounds.
    pub fn put(&self, generation: u64, key: K, value: Arc<V>, bytes: usize) {
        if bytes > self.max_bytes {
            return;
        }
        let mut entries = self.entries.lock();
        entries.retain(|e| e.generation == generation && e.key != key);
        entries.push(Entry {
            generation,
            key,
            value,
            bytes,
        });
        let mut total: usize = entries.iter().map(|e| e.bytes).sum();
        while entries.len() > self.max_entries || total > self.max_bytes {
            total -= entries.remove(0).bytes;
        }
    }

    /// How many values it keeps.
    pub fn len(&self) -> usize {
        self.entries.lock().len()
    }

    /// Whether it keeps none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One listed page as the protocol layer takes it: the rendered list and the next token.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPage {
    /// The page's items, rendered.
    pub list: RenderedList,
    /// The token of the next page, if more remain.
    pub next: Option<String>,
}

/// Which page: the listing (operation, account, region and filters: the token's scope), its
/// start and its size.
#[derive(Debug, PartialEq)]
pub struct PageKey {
    scope: String,
    after: Option<String>,
    limit: usize,
}

impl PageKey {
    /// The page `request` asks for.
    pub fn of(request: &PageRequest) -> Self {
        PageKey {
            scope: request.scope().to_string(),
            after: request.after.clone(),
            limit: request.limit,
        }
    }

    /// Whether `request` asks for this page.
    pub fn is(&self, request: &PageRequest) -> bool {
        self.limit == request.limit && self.after == request.after && self.scope == request.scope()
    }
}

/// Listed pages of a store (16 pages, 512 KiB at most).
pub type PageCache = GenerationCache<PageKey, CachedPage>;

impl Default for PageCache {
    fn default() -> Self {
        GenerationCache::new(16, 512 * 1024)
    }
}

impl PageCache {
    /// The page `request` lists from the store in `generation`, if kept.
    pub fn page(&self, generation: u64, request: &PageRequest) -> Option<Arc<CachedPage>> {
        self.get(generation, |k| k.is(request))
    }

    /// Keeps `page`, listed for `request` from the store in `generation`.
    pub fn keep_page(&self, generation: u64, request: &PageRequest, page: CachedPage) {
        let bytes = page.list.text_len();
        self.put(generation, PageKey::of(request), Arc::new(page), bytes);
    }
}

/// Which view: the resource's ARN, and what the view shows beyond the store (a status the
/// clock moves on, the host its URLs name; empty when nothing).
#[derive(Debug, PartialEq)]
pub struct ViewKey {
    arn: String,
    state: Box<str>,
}

/// Resources' rendered views, by ARN and state (256 views, 256 KiB at most).
pub type ViewCache = GenerationCache<ViewKey, [u8]>;

impl Default for ViewCache {
    fn default() -> Self {
        GenerationCache::new(256, 256 * 1024)
    }
}

impl ViewCache {
    /// The view of `arn` in `state` rendered from the store in `generation`: kept, or made
    /// by `render` and kept.
    pub fn view(
        &self,
        generation: u64,
        arn: &str,
        state: &str,
        render: impl FnOnce() -> Vec<u8>,
    ) -> Arc<[u8]> {
        if let Some(v) = self.get(generation, |k| k.arn == arn && &*k.state == state) {
            return v;
        }
        let text: Arc<[u8]> = render().into();
        let key = ViewKey {
            arn: arn.to_string(),
            state: state.into(),
        };
        self.put(generation, key, text.clone(), text.len());
        text
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
        assert!(cache.page(1, &first).is_none());
        cache.keep_page(1, &first, page(b"{}"));
        assert_eq!(cache.page(1, &first).unwrap().list.joined(), b"{}");
        assert!(cache.page(2, &first).is_none(), "another generation");
        assert!(cache.page(1, &request("b|List", json!({}))).is_none());
        assert!(cache
            .page(1, &request("a|List", json!({"maxResults": 3})))
            .is_none());
        let token = first.token_after(&[7; 32], "k");
        let later = request("a|List", json!({ "nextToken": token }));
        assert_eq!(later.after.as_deref(), Some("k"));
        assert!(cache.page(1, &later).is_none(), "another start");
    }

    #[test]
    fn other_generations_and_then_the_oldest_values_are_let_go() {
        let cache = PageCache::default();
        let a = request("a|List", json!({}));
        let b = request("b|List", json!({}));
        cache.keep_page(1, &a, page(b"1"));
        cache.keep_page(1, &b, page(b"b"));
        assert_eq!(cache.len(), 2);
        cache.keep_page(2, &a, page(b"2"));
        assert_eq!(cache.len(), 1, "the store changed: generation 1 is gone");
        assert_eq!(cache.page(2, &a).unwrap().list.joined(), b"2");
        for i in 0..20 {
            cache.keep_page(3, &request(&format!("{i}|List"), json!({})), page(b"x"));
        }
        assert_eq!(cache.len(), 16);
        assert!(cache.page(3, &request("0|List", json!({}))).is_none());
        assert!(cache.page(3, &request("19|List", json!({}))).is_some());
        // A value larger than the whole budget is not kept.
        cache.keep_page(4, &a, page(&vec![b'x'; 512 * 1024 + 1]));
        assert!(cache.page(4, &a).is_none());
        // Nor are more bytes than the budget in all.
        let views = ViewCache::default();
        for i in 0..3 {
            views.view(1, &format!("arn{i}"), "", || vec![b'v'; 100 * 1024]);
        }
        assert_eq!(views.len(), 2);
    }

    #[test]
    fn a_view_is_rendered_once_per_generation() {
        let views = ViewCache::default();
        let rendered = std::cell::Cell::new(0);
        let render = || {
            rendered.set(rendered.get() + 1);
            b"{\"a\":1}".to_vec()
        };
        assert_eq!(&*views.view(1, "arn:a", "", render), b"{\"a\":1}");
        assert_eq!(&*views.view(1, "arn:a", "", render), b"{\"a\":1}");
        assert_eq!(rendered.get(), 1);
        views.view(1, "arn:b", "", render);
        views.view(2, "arn:a", "", render);
        assert_eq!(rendered.get(), 3);
        assert_eq!(views.len(), 1);
        // The same resource in another state (the clock moved its status) is another view,
        // and both stay kept while the store is unchanged.
        views.view(2, "arn:a", "ACTIVE", render);
        assert_eq!(rendered.get(), 4);
        views.view(2, "arn:a", "", render);
        views.view(2, "arn:a", "ACTIVE", render);
        assert_eq!(rendered.get(), 4);
        assert_eq!(views.len(), 2);
    }
}
