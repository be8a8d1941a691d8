//! The request context: condition keys and their values.

use service::ContextValue;
use std::borrow::Cow;
use std::sync::Arc;

/// Request context: condition keys, names case-insensitive (AWS compares condition key names,
/// tag-key suffix included, without regard to case), values multi-valued where AWS allows.
///
/// A request has a dozen or two keys, so they are kept in a small vector searched in order:
/// cheaper to build per request than a hash map, and the global keys' names are `'static`.
///
/// A context may sit over a shared `base` ([`Context::over`]): the keys every access of one
/// request has alike are then built once, and each access adds only its own. A key set here
/// shadows the base's key of the same name, as setting it again in one context would.
#[derive(Debug, Clone, Default)]
pub struct Context {
    entries: Vec<Entry>,
    base: Option<Arc<Context>>,
}

/// One key: its name as set, and its lowercase form where that is not the ASCII lowercase.
#[derive(Debug, Clone)]
struct Entry {
    name: Cow<'static, str>,
    /// `Some` only for a name with non-ASCII characters (its full Unicode lowercase).
    lower: Option<Box<str>>,
    value: ContextValue,
}

/// How many keys [`Context::set_all`] finds by scanning before it indexes them.
const SCAN_AT_MOST: usize = 32;

impl Entry {
    fn new(name: Cow<'static, str>, value: ContextValue) -> Self {
        let lower = (!name.is_ascii()).then(|| name.to_lowercase().into_boxed_str());
        Entry { name, lower, value }
    }

    /// Its name in lowercase, as keys are compared.
    fn lower_name(&self) -> String {
        match &self.lower {
            Some(l) => l.to_string(),
            None => self.name.to_ascii_lowercase(),
        }
    }

    /// Whether this key's lowercase name is `lower` (itself already lowercase).
    fn is_named(&self, lower: &str) -> bool {
        match &self.lower {
            Some(l) => **l == *lower,
            // For an ASCII name, its lowercase equals `lower` exactly when they are equal
            // without regard to ASCII case (`lower` has no ASCII capitals).
            None => self.name.eq_ignore_ascii_case(lower),
        }
    }

    /// Whether this key has the same lowercase name as `other`.
    fn same_key(&self, other: &Entry) -> bool {
        match &other.lower {
            Some(l) => self.is_named(l),
            None if self.lower.is_none() => self.name.eq_ignore_ascii_case(&other.name),
            None => self.is_named(&other.name.to_ascii_lowercase()),
        }
    }
}

impl PartialEq for Context {
    /// The same keys (in any order and case of their names) with the same values.
    fn eq(&self, other: &Self) -> bool {
        let (mine, theirs) = (self.flat(), other.flat());
        mine.len() == theirs.len()
            && mine.iter().all(|e| {
                theirs
                    .iter()
                    .any(|o| o.same_key(e) && o.name == e.name && o.value == e.value)
            })
    }
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// An empty context over `base`: it has the base's keys until it sets its own.
    pub fn over(base: Arc<Context>) -> Self {
        Context {
            entries: Vec::new(),
            base: Some(base),
        }
    }

    /// [`Context::over`] with room for `capacity` keys of its own.
    pub fn over_with_capacity(base: Arc<Context>, capacity: usize) -> Self {
        Context {
            entries: Vec::with_capacity(capacity),
            base: Some(base),
        }
    }

    /// Every key in effect, in the order one context setting them all would hold them: the
    /// base's (each in the place of its first setting, with the latest value), then the keys
    /// only this context sets.
    fn flat(&self) -> Vec<&Entry> {
        let Some(base) = &self.base else {
            return self.entries.iter().collect();
        };
        let mut out: Vec<&Entry> = base
            .flat()
            .into_iter()
            .map(|b| self.entries.iter().find(|e| e.same_key(b)).unwrap_or(b))
            .collect();
        let shadowing = out.len();
        for e in &self.entries {
            if !out[..shadowing].iter().any(|o| std::ptr::eq(*o, e)) {
                out.push(e);
            }
        }
        out
    }

    /// Sets `key` to `value`, replacing any value under the same name in any case.
    pub fn set(&mut self, key: &str, value: ContextValue) {
        self.insert(Entry::new(Cow::Owned(key.to_string()), value));
    }

    /// [`Context::set`] for a key whose name is a constant (no copy of the name is made).
    pub fn set_static(&mut self, key: &'static str, value: ContextValue) {
        self.insert(Entry::new(Cow::Borrowed(key), value));
    }

    /// [`Context::set_static`] for a key the context does not have yet (checked in debug
    /// builds): the request's global keys are distinct by construction, and looking for each
    /// among the ones before it was most of the cost of building them.
    pub fn set_new_static(&mut self, key: &'static str, value: ContextValue) {
        debug_assert!(
            self.get(key).is_none(),
            "context key {key} set twice with set_new_static"
        );
        self.entries.push(Entry::new(Cow::Borrowed(key), value));
    }

    /// [`Context::set`] for each of `keys` in turn. Past a few keys, they are found through
    /// an index of the names rather than a scan each: a request may carry thousands of tags
    /// (their limit is checked after authorization), which would cost the square of their
    /// number.
    pub fn set_all(&mut self, keys: &[(String, ContextValue)]) {
        self.set_each(keys.iter().cloned());
    }

    /// [`Context::set_all`] of keys given up by their owner (moved in, not copied).
    pub fn set_all_owned(&mut self, keys: Vec<(String, ContextValue)>) {
        self.set_each(keys.into_iter());
    }

    fn set_each(&mut self, keys: impl ExactSizeIterator<Item = (String, ContextValue)>) {
        if self.entries.len() + keys.len() <= SCAN_AT_MOST {
            for (k, v) in keys {
                self.insert(Entry::new(Cow::Owned(k), v));
            }
            return;
        }
        let mut index: std::collections::HashMap<String, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.lower_name(), i))
            .collect();
        for (k, v) in keys {
            let entry = Entry::new(Cow::Owned(k), v);
            match index.entry(entry.lower_name()) {
                std::collections::hash_map::Entry::Occupied(at) => self.entries[*at.get()] = entry,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(self.entries.len());
                    self.entries.push(entry);
                }
            }
        }
    }

    fn insert(&mut self, entry: Entry) {
        match self.entries.iter_mut().find(|e| e.same_key(&entry)) {
            Some(old) => *old = entry,
            None => self.entries.push(entry),
        }
    }

    /// The value of `key`, if the request has one.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.get_lower(&key.to_lowercase())
    }

    /// Lookup with an already-lowercased name (the compiled policy stores names that way).
    pub(crate) fn get_lower(&self, lower: &str) -> Option<&ContextValue> {
        match self.entries.iter().find(|e| e.is_named(lower)) {
            Some(e) => Some(&e.value),
            None => self.base.as_ref()?.get_lower(lower),
        }
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        let lower = key.to_lowercase();
        if self
            .base
            .as_ref()
            .is_some_and(|b| b.get_lower(&lower).is_some())
        {
            // The shared base keeps it: this context takes its own copy of every key.
            self.entries = self.flat().into_iter().cloned().collect();
            self.base = None;
        }
        self.entries.retain(|e| !e.is_named(&lower));
    }

    /// Every key as it was set, with its value (for explanations).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.flat().into_iter().map(|e| (&*e.name, &e.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive() {
        let mut c = Context::new();
        c.set(
            "aws:ResourceTag/Owner",
            ContextValue::String("alice".into()),
        );
        assert_eq!(
            c.get("AWS:resourcetag/owner"),
            Some(&ContextValue::String("alice".into()))
        );
        c.remove("aws:RESOURCETAG/OWNER");
        assert!(c.get("aws:ResourceTag/Owner").is_none());
    }

    #[test]
    fn setting_many_keys_at_once_is_setting_each_in_turn() {
        let s = |v: &str| ContextValue::String(v.into());
        // Few keys (scanned) and many (indexed), with names repeated in other cases.
        for n in [3usize, 1_000] {
            let keys: Vec<(String, ContextValue)> = (0..n)
                .flat_map(|i| {
                    [
                        (format!("aws:RequestTag/k{i}"), s("first")),
                        (format!("AWS:REQUESTTAG/K{i}"), s("second")),
                    ]
                })
                .collect();
            let mut base = Context::new();
            base.set("aws:RequestTag/k0", s("base"));
            let base = Arc::new(base);
            let mut one_by_one = Context::over(base.clone());
            for (k, v) in &keys {
                one_by_one.set(k, v.clone());
            }
            let mut at_once = Context::over(base.clone());
            at_once.set_all(&keys);
            assert_eq!(at_once, one_by_one);
            let mut moved = Context::over_with_capacity(base, 2);
            moved.set_all_owned(keys.clone());
            assert_eq!(moved, one_by_one);
            assert_eq!(at_once.get("aws:requesttag/k0"), Some(&s("second")));
            assert_eq!(at_once.flat().len(), n);
        }
    }

    #[test]
    fn setting_a_name_in_another_case_replaces_its_value() {
        let mut c = Context::new();
        c.set_static("aws:username", ContextValue::String("a".into()));
        c.set("AWS:UserName", ContextValue::String("b".into()));
        assert_eq!(c.iter().count(), 1);
        assert_eq!(c.iter().next().unwrap().0, "AWS:UserName");
        assert_eq!(
            c.get("aws:username"),
            Some(&ContextValue::String("b".into()))
        );
        assert_eq!(c.get("aws:user"), None);
    }

    #[test]
    fn non_ascii_names_compare_by_their_unicode_lowercase() {
        let mut c = Context::new();
        c.set("aws:PrincipalTag/Équipe", ContextValue::String("x".into()));
        assert!(c.get("aws:principaltag/éQUIPE").is_some());
        c.set("aws:PrincipalTag/ÉQUIPE", ContextValue::String("y".into()));
        assert_eq!(c.iter().count(), 1);
        // The Kelvin sign lowercases to an ASCII `k`: the same key as `Key`, as before.
        c.set(
            "aws:PrincipalTag/\u{212A}ey",
            ContextValue::String("k".into()),
        );
        assert_eq!(
            c.get("aws:PrincipalTag/KEY"),
            Some(&ContextValue::String("k".into()))
        );
        c.set("aws:PrincipalTag/key", ContextValue::String("ascii".into()));
        assert_eq!(c.iter().count(), 2);
        c.remove("AWS:PRINCIPALTAG/\u{212A}EY");
        assert_eq!(c.iter().count(), 1);
    }

    #[test]
    fn equal_contexts_need_not_share_an_order() {
        let mut a = Context::new();
        a.set("x", ContextValue::Bool(true));
        a.set("y", ContextValue::Bool(false));
        let mut b = Context::new();
        b.set("y", ContextValue::Bool(false));
        b.set("x", ContextValue::Bool(true));
        assert_eq!(a, b);
        b.set("x", ContextValue::Bool(false));
        assert_ne!(a, b);
    }

    #[test]
    fn a_context_over_a_base_reads_it_and_shadows_it_in_place() {
        let s = |v: &str| ContextValue::String(v.into());
        let mut base = Context::new();
        base.set_static("aws:username", s("bob"));
        base.set_static("aws:CurrentTime", s("t"));
        let base = Arc::new(base);
        let mut c = Context::over(base.clone());
        assert_eq!(c.get("aws:USERNAME"), Some(&s("bob")));
        c.set("aws:ResourceAccount", s("1"));
        c.set("AWS:Username", s("eve"));
        assert_eq!(c.get("aws:username"), Some(&s("eve")));
        assert_eq!(
            base.get("aws:username"),
            Some(&s("bob")),
            "the base is not changed"
        );
        // In the order one context setting the same keys would have them.
        let mut flat = Context::new();
        flat.set_static("aws:username", s("bob"));
        flat.set_static("aws:CurrentTime", s("t"));
        flat.set("aws:ResourceAccount", s("1"));
        flat.set("AWS:Username", s("eve"));
        let names = |c: &Context| c.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&c), names(&flat));
        assert_eq!(
            names(&c),
            ["AWS:Username", "aws:CurrentTime", "aws:ResourceAccount"]
        );
        assert_eq!(c, flat);
        // Removing a base key removes it from this context only.
        c.remove("aws:currenttime");
        assert!(c.get("aws:CurrentTime").is_none());
        assert_eq!(c.get("aws:username"), Some(&s("eve")));
        assert_eq!(base.get("aws:CurrentTime"), Some(&s("t")));
        // Another context over the same base does not see the first one's keys.
        let other = Context::over(base);
        assert!(other.get("aws:ResourceAccount").is_none());
        assert_eq!(other.get("aws:username"), Some(&s("bob")));
    }
}
