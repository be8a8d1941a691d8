//! A resource-based policy stored with its resource, compiled at most once.

use std::any::Any;
use std::sync::{Arc, OnceLock};

/// A resource's own policy document (role trust policy, MediaPackage channel or endpoint
/// policy). The service stores it beside the resource; the authorize stage compiles it on first
/// use and keeps the compiled form here, so a policy is parsed once, not on every request.
pub struct ResourcePolicy {
    text: Arc<str>,
    compiled: OnceLock<Arc<dyn Any + Send + Sync>>,
}

impl ResourcePolicy {
    /// A policy from its JSON text (validated by whoever stores it).
    pub fn new(text: impl Into<Arc<str>>) -> Arc<Self> {
        Arc::new(ResourcePolicy {
            text: text.into(),
            compiled: OnceLock::new(),
        })
    }

    /// The document as stored.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The compiled form of type `T`, built by `compile` on first use. The evaluator owns `T`;
    /// this crate only keeps it.
    pub fn compiled<T: Any + Send + Sync>(&self, compile: impl FnOnce(&str) -> T) -> Option<&T> {
        self.compiled
            .get_or_init(|| Arc::new(compile(&self.text)))
            .downcast_ref::<T>()
    }
}

impl std::fmt::Debug for ResourcePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ResourcePolicy").field(&self.text).finish()
    }
}

impl PartialEq for ResourcePolicy {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_once() {
        let p = ResourcePolicy::new("{}");
        let mut calls = 0;
        assert_eq!(
            p.compiled(|t| {
                calls += 1;
                t.len()
            }),
            Some(&2)
        );
        assert_eq!(p.compiled(|_| -> usize { unreachable!() }), Some(&2));
        assert_eq!(calls, 1);
        assert_eq!(p.text(), "{}");
    }
}
