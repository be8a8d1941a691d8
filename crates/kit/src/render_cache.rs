//! A stored resource's wire rendering, kept beside it until it changes.

use std::sync::OnceLock;

/// The renderer `make` picks from the embedded model of `service` (an item, member or body
/// renderer), made once into `cell`; `None` (and the caller answers by its value path) when
/// the model does not have it.
pub fn model_renderer<T: Send + Sync>(
    cell: &'static OnceLock<Option<T>>,
    service: &str,
    make: impl FnOnce(&'static protocol::Model) -> Option<T>,
) -> Option<&'static T> {
    cell.get_or_init(|| make(protocol::Registry::shared().model(service)?))
        .as_ref()
}

/// Wire text rendered from a stored resource (a list item, say), filled on first use under a
/// shared lock. A copy starts empty: stored resources change by copy, change and replace
/// ([`crate::Store::put`]), so a changed resource can never show the rendering of what it
/// was. Not part of the resource's value: every cache equals every other, and it is not
/// persisted.
#[derive(Default)]
pub struct RenderCache(OnceLock<Box<[u8]>>);

impl RenderCache {
    /// The rendering, made by `render` if there is none yet.
    pub fn get_or_render(&self, render: impl FnOnce() -> Vec<u8>) -> &[u8] {
        self.0.get_or_init(|| render().into_boxed_slice())
    }

    /// The rendering, if made.
    pub fn get(&self) -> Option<&[u8]> {
        self.0.get().map(|b| &**b)
    }

    /// Forgets the rendering.
    pub fn clear(&mut self) {
        self.0.take();
    }
}

impl Clone for RenderCache {
    /// Empty: a copy is made to be changed, and must render afresh.
    fn clone(&self) -> Self {
        RenderCache::default()
    }
}

impl PartialEq for RenderCache {
    /// Always: a cache says nothing about the resource's value.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.get() {
            Some(b) => write!(f, "RenderCache({} bytes)", b.len()),
            None => f.write_str("RenderCache(empty)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_once_copies_start_empty_and_clear_forgets() {
        let mut cache = RenderCache::default();
        assert_eq!(cache.get(), None);
        assert_eq!(cache.get_or_render(|| b"one".to_vec()), b"one");
        // Filled: the second renderer is not called.
        assert_eq!(cache.get_or_render(|| b"two".to_vec()), b"one");
        assert_eq!(cache.get(), Some(&b"one"[..]));
        let copy = cache.clone();
        assert_eq!(copy.get(), None);
        assert_eq!(copy, cache);
        assert_eq!(format!("{cache:?}"), "RenderCache(3 bytes)");
        cache.clear();
        assert_eq!(cache.get(), None);
        assert_eq!(cache.get_or_render(|| b"two".to_vec()), b"two");
    }
}
