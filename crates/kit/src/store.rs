//! An ARN-keyed store of one resource type: O(1) gets by ARN, pages in ARN order per account
//! and region in O(page), every change journaled for persistence.

use crate::arn_order::ArnOrdered;
use crate::arn_table::ArnTable;
use crate::paging::PageRequest;
use crate::tags::Tags;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use service::{Journal, Record, RequestContext, ResourcePolicy, StoredFacts};
use std::collections::HashMap;
use std::sync::Arc;

/// One stored resource: the service's typed value, its tags and its resource policy. The
/// value's fields are persisted beside `tags` (so `R` is a struct without a `tags` or `policy`
/// field), and reachable through `Deref` (`stored.name` for `stored.value.name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored<R> {
    /// The service's typed resource.
    #[serde(flatten)]
    pub value: R,
    /// Its tags.
    #[serde(default)]
    pub tags: Tags,
    /// Its resource-based policy (kept compiled by the authorize stage).
    #[serde(default, with = "policy_text", skip_serializing_if = "Option::is_none")]
    pub policy: Option<Arc<ResourcePolicy>>,
}

impl<R> Stored<R> {
    /// A resource with tags and no policy.
    pub fn new(value: R, tags: Tags) -> Self {
        Stored {
            value,
            tags,
            policy: None,
        }
    }

    /// What the authorization engine needs of it.
    pub fn facts(&self) -> StoredFacts {
        StoredFacts {
            tags: self
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            policy: self.policy.clone(),
        }
    }
}

impl<R> std::ops::Deref for Stored<R> {
    type Target = R;

    fn deref(&self) -> &R {
        &self.value
    }
}

impl<R> std::ops::DerefMut for Stored<R> {
    fn deref_mut(&mut self) -> &mut R {
        &mut self.value
    }
}

mod policy_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use service::ResourcePolicy;
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(
        p: &Option<Arc<ResourcePolicy>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        p.as_ref().map(|p| p.text()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Arc<ResourcePolicy>>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(ResourcePolicy::new))
    }
}

/// `(region, account)` of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:…`); region is empty
/// for global services such as IAM.
pub fn arn_scope(arn: &str) -> Option<(&str, &str)> {
    // The first five `:` by one byte scan: every get asks.
    let colons = service::first_colons::<5>(arn)?;
    if &arn[..colons[0]] != "arn" {
        return None;
    }
    Some((
        &arn[colons[2] + 1..colons[3]],
        &arn[colons[3] + 1..colons[4]],
    ))
}

/// One page of a store.
#[derive(Debug)]
pub struct Page<'s, R> {
    /// The page's resources, with their ARNs, in ARN order.
    pub items: Vec<(&'s str, &'s Stored<R>)>,
    /// The token of the next page, if more remain.
    pub next: Option<String>,
}

/// The resources of one type, of every account and region.
#[derive(Debug)]
pub struct Store<R> {
    table: &'static str,
    items: ArnTable<Arc<Stored<R>>>,
    /// The same resources per account and region, in ARN order: a page is a range walk that
    /// reaches each value without hashing its ARN again.
    scopes: Vec<Scope<R>>,
    /// Where each account's scope of each region is in `scopes`. Two levels keyed by `String`
    /// are looked up with the `&str`s a request has, where a pair key needed two new `String`s.
    scope_at: HashMap<String, HashMap<String, usize>>,
    /// The scope of the latest insert: the next one, most often in the same scope, finds it
    /// by a prefix comparison instead of scanning its ARN and hashing its account and region.
    last_scope: Option<usize>,
    /// Which state of its contents it is in: a new value on every change, unique in the
    /// process (a store made anew never repeats an old store's number).
    generation: u64,
}

/// Where every store's generations are drawn from.
static GENERATIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A generation number no store has had.
fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// One account and region's resources of a store, in ARN order.
type Ordered<R> = ArnOrdered<Arc<Stored<R>>>;

/// One account and region's resources, and whose they are.
#[derive(Debug)]
struct Scope<R> {
    account: String,
    region: String,
    set: Ordered<R>,
}

impl<R: Clone + Serialize + DeserializeOwned> Store<R> {
    /// An empty store journaling under `table` (e.g. the ARN's resource-type segment).
    pub fn new(table: &'static str) -> Self {
        Store {
            table,
            items: ArnTable::new(),
            scopes: Vec::new(),
            scope_at: HashMap::new(),
            last_scope: None,
            generation: next_generation(),
        }
    }

    /// Its contents' generation: equal generations mean the same resources with the same
    /// values (every put, removal, restore and clear draws a new one), so what was derived
    /// from it at one generation (a listed page) still holds while it is current.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Its journal table.
    pub fn table(&self) -> &'static str {
        self.table
    }

    /// The resource `arn`, whoever owns it (for the engine's [`Stored::facts`]).
    pub fn get(&self, arn: &str) -> Option<&Stored<R>> {
        self.items.get(arn).map(|s| &**s)
    }

    /// The resource `arn` if it belongs to the caller's account and region: the only lookup a
    /// handler should use, so no account reaches another's state.
    pub fn get_in(&self, ctx: &RequestContext, arn: &str) -> Option<&Stored<R>> {
        self.get_with_key_in(ctx, arn).map(|(_, stored)| stored)
    }

    /// [`Store::get_in`] with the store's own shared copy of the key (see [`Store::key`]):
    /// the one place a caller's lookup is kept to its account and region.
    pub fn get_with_key_in(
        &self,
        ctx: &RequestContext,
        arn: &str,
    ) -> Option<(&Arc<str>, &Stored<R>)> {
        let (region, account) = arn_scope(arn)?;
        if account != ctx.account() || (!region.is_empty() && region != ctx.region) {
            return None;
        }
        self.items.get_key_value(arn).map(|(k, v)| (k, &**v))
    }

    /// Stores (or replaces) `arn` and journals it; returns the store's key for it (see
    /// [`Store::key`]). The value is serialized only for a journal that keeps records:
    /// without `--data-dir` nobody reads them.
    pub fn put(&mut self, journal: &Journal, arn: &str, stored: Stored<R>) -> Arc<str> {
        self.journal_put(journal, arn, &stored);
        self.insert(arn, None, Arc::new(stored))
    }

    /// [`Store::put`] of a resource already wrapped as the store keeps it, under its ARN as
    /// shared text: the caller can allocate both before taking the lock the store is under
    /// (a new resource keeps `key`; a replaced one keeps its key, see [`Store::key`]).
    pub fn put_shared(
        &mut self,
        journal: &Journal,
        key: Arc<str>,
        stored: Arc<Stored<R>>,
    ) -> Arc<str> {
        self.journal_put(journal, &key, &stored);
        let arn = key.clone();
        self.insert(&arn, Some(key), stored)
    }

    /// Journals `stored` as `arn`'s record. The value is serialized only for a journal that
    /// keeps records.
    fn journal_put(&self, journal: &Journal, arn: &str, stored: &Stored<R>) {
        let value = journal
            .is_recording()
            .then(|| serde_json::to_value(stored))
            .and_then(Result::ok);
        if let Some(value) = value {
            let account = arn_scope(arn).map_or("", |(_, a)| a);
            journal.put(account, self.table, arn, value);
        }
    }

    /// Changes the caller's resource `arn` in place and journals it; `None` if it is not the
    /// caller's or does not exist. A failed change stores nothing.
    pub fn update<T, E>(
        &mut self,
        ctx: &RequestContext,
        arn: &str,
        change: impl FnOnce(&mut Stored<R>) -> Result<T, E>,
    ) -> Option<Result<T, E>> {
        let mut copy = self.get_in(ctx, arn)?.clone();
        let result = change(&mut copy);
        if result.is_ok() {
            self.put(&ctx.journal, arn, copy);
        }
        Some(result)
    }

    /// Removes `arn` and journals the removal.
    pub fn remove(&mut self, journal: &Journal, arn: &str) -> Option<Stored<R>> {
        let removed = self.take(arn)?;
        let account = arn_scope(arn).map_or("", |(_, a)| a);
        journal.delete(account, self.table, arn);
        Some(removed)
    }

    /// Stores `stored` under `arn` (as `key`, if given and new).
    fn insert(&mut self, arn: &str, key: Option<Arc<str>>, stored: Arc<Stored<R>>) -> Arc<str> {
        self.generation = next_generation();
        // A replaced resource keeps its key, which indexes may share (`Store::key`).
        let (key, _) = self.items.put(arn, key, stored.clone());
        let at = self.scope_for(arn);
        self.scopes[at].set.insert(key.clone(), stored);
        key
    }

    /// The resources of `account` in `region`, if it has any.
    fn scope(&self, account: &str, region: &str) -> Option<&Ordered<R>> {
        let at = *self.scope_at.get(account)?.get(region)?;
        Some(&self.scopes[at].set)
    }

    /// Where `arn`'s scope is in `scopes`, made if it has none.
    fn scope_for(&mut self, arn: &str) -> usize {
        if let Some(at) = self.last_scope {
            if self.scopes[at].set.shares_scope(arn) {
                return at;
            }
        }
        let (region, account) = arn_scope(arn).unwrap_or(("", ""));
        let found = self.scope_at.get(account).and_then(|r| r.get(region));
        let at = match found {
            Some(&at) => at,
            None => {
                let at = self.scopes.len();
                self.scopes.push(Scope {
                    account: account.to_string(),
                    region: region.to_string(),
                    set: Ordered::new(arn),
                });
                let regions = self.scope_at.entry(account.to_string()).or_default();
                regions.insert(region.to_string(), at);
                at
            }
        };
        self.last_scope = Some(at);
        at
    }

    fn take(&mut self, arn: &str) -> Option<Stored<R>> {
        let removed = self.items.remove(arn)?;
        self.generation = next_generation();
        let (region, account) = arn_scope(arn).unwrap_or(("", ""));
        if let Some(&at) = self.scope_at.get(account).and_then(|r| r.get(region)) {
            let set = &mut self.scopes[at].set;
            set.remove(arn);
            if set.is_empty() {
                self.drop_scope(at);
            }
        }
        // Both maps have let go of it: the value is moved out, not copied.
        Some(Arc::try_unwrap(removed).unwrap_or_else(|shared| (*shared).clone()))
    }

    /// Forgets the empty scope at `at`; the last scope moves into its place.
    fn drop_scope(&mut self, at: usize) {
        self.last_scope = None;
        let gone = self.scopes.swap_remove(at);
        if let Some(regions) = self.scope_at.get_mut(&gone.account) {
            regions.remove(&gone.region);
            if regions.is_empty() {
                self.scope_at.remove(&gone.account);
            }
        }
        if let Some(moved) = self.scopes.get(at) {
            let regions = self.scope_at.get_mut(&moved.account);
            if let Some(place) = regions.and_then(|r| r.get_mut(&moved.region)) {
                *place = at;
            }
        }
    }

    /// The caller's resources in ARN order (`.rev()` walks them backwards).
    pub fn iter_in<'s>(
        &'s self,
        ctx: &RequestContext,
    ) -> impl DoubleEndedIterator<Item = (&'s str, &'s Stored<R>)> + 's {
        self.scope(ctx.account(), &ctx.region)
            .into_iter()
            .flat_map(Ordered::iter)
            .map(|(k, v)| (&**k, &**v))
    }

    /// The caller's resources strictly after `after` in ARN order, or strictly before it
    /// walking backwards when `descending` (all of them without `after`): a page that starts
    /// at a cursor costs O(page), not O(position).
    pub fn iter_from_in<'s>(
        &'s self,
        ctx: &RequestContext,
        after: Option<&str>,
        descending: bool,
    ) -> Box<dyn Iterator<Item = (&'s str, &'s Stored<R>)> + 's> {
        use std::ops::Bound::{Excluded, Unbounded};
        let Some(set) = self.scope(ctx.account(), &ctx.region) else {
            return Box::new(std::iter::empty());
        };
        type Entry<'e, R> = (&'e Arc<str>, &'e Arc<Stored<R>>);
        let entries: Box<dyn Iterator<Item = Entry<'s, R>> + 's> = match (after, descending) {
            (None, false) => Box::new(set.iter()),
            (None, true) => Box::new(set.iter().rev()),
            (Some(a), false) => Box::new(set.range(Excluded(a), Unbounded)),
            (Some(a), true) => Box::new(set.range(Unbounded, Excluded(a)).rev()),
        };
        Box::new(entries.map(|(k, v)| (&**k, &**v)))
    }

    /// How many resources the caller's account holds in its region, in O(1): quota checks run
    /// on every create, and counting by iteration made filling an account quadratic.
    pub fn count_in(&self, ctx: &RequestContext) -> usize {
        self.scope(ctx.account(), &ctx.region)
            .map_or(0, Ordered::len)
    }

    /// One page of the caller's resources that `keep` accepts.
    pub fn page(
        &self,
        ctx: &RequestContext,
        key: &[u8; 32],
        request: &PageRequest,
        mut keep: impl FnMut(&str, &Stored<R>) -> bool,
    ) -> Page<'_, R> {
        let Some(set) = self.scope(ctx.account(), &ctx.region) else {
            return Page {
                items: Vec::new(),
                next: None,
            };
        };
        let start = request.after.as_deref().unwrap_or("");
        let range = set.range(std::ops::Bound::Included(start), std::ops::Bound::Unbounded);
        let entries = range.map(|(k, v)| (&**k, &**v));
        let (items, next) = request.page_entries(key, entries, |arn, s| keep(arn, s));
        Page { items, next }
    }

    /// How many resources it holds, in all accounts.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.generation = next_generation();
        self.items.clear();
        self.scopes.clear();
        self.scope_at.clear();
        self.last_scope = None;
    }

    /// Re-applies a journal record of this store's table.
    pub fn restore(&mut self, record: &Record) -> Result<(), String> {
        self.restore_with(record, Ok)
    }

    /// Re-applies a journal record of this store's table, passing a stored value through
    /// `convert` first (to upgrade records of an older shape, or to refuse one).
    pub fn restore_with(
        &mut self,
        record: &Record,
        convert: impl FnOnce(Stored<R>) -> Result<Stored<R>, String>,
    ) -> Result<(), String> {
        match &record.value {
            None => {
                self.take(&record.key);
            }
            Some(v) => {
                let stored: Stored<R> = serde_json::from_value(v.clone())
                    .map_err(|e| format!("bad {} record {}: {e}", self.table, record.key))?;
                let stored = convert(stored)
                    .map_err(|e| format!("bad {} record {}: {e}", self.table, record.key))?;
                self.take(&record.key);
                self.insert(&record.key, None, Arc::new(stored));
            }
        }
        Ok(())
    }

    /// The store's own shared copy of the key `arn`, for indexes and references that would
    /// otherwise own another copy of the ARN.
    pub fn key(&self, arn: &str) -> Option<Arc<str>> {
        self.items.get_key_value(arn).map(|(k, _)| k.clone())
    }

    /// Every resource as a journal record (for exports and compaction), in ARN order.
    pub fn records(&self) -> Vec<Record> {
        let mut out: Vec<Record> = self
            .items
            .iter()
            .filter_map(|(arn, s)| {
                Some(Record {
                    account: arn_scope(arn).map_or("", |(_, a)| a).to_string(),
                    table: self.table.to_string(),
                    key: arn.to_string(),
                    value: Some(serde_json::to_value(&**s).ok()?),
                })
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }
}

#[cfg(test)]
mod tests {
    /// `arn_scope` as it was written with `splitn`, for comparison.
    fn scope_by_splitn(arn: &str) -> Option<(&str, &str)> {
        let p: Vec<&str> = arn.splitn(6, ':').collect();
        (p.len() == 6 && p[0] == "arn").then(|| (p[3], p[4]))
    }

    #[test]
    fn arn_scopes_as_splitting_finds_them() {
        for arn in [
            "arn:aws:mediaconvert:us-east-1:111122223333:jobs/1",
            "arn:aws:iam::111122223333:role/a:b",
            "arn:aws:s3:::bucket/key",
            "arn:aws:s3:::",
            "arn:aws:s3::",
            "arn:aws:ivs:r:a",
            "arnx:aws:ivs:r:a:b",
            ":::::",
            "arn:::::",
            "arn:é:ü:r:a:x",
            "",
            "*",
        ] {
            assert_eq!(arn_scope(arn), scope_by_splitn(arn), "{arn}");
        }
    }

    use super::*;
    use crate::paging::Paging;
    use serde_json::json;
    use service::Principal;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Widget {
        name: String,
    }

    fn ctx(account: &str) -> RequestContext {
        RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-west-2")
    }

    fn arn(account: &str, id: usize) -> String {
        format!("arn:aws:svc:us-west-2:{account}:widget/{id:04}")
    }

    #[test]
    fn a_shared_put_keeps_the_callers_allocation() {
        let journal = Journal::discarding();
        let mut store = Store::new("widget");
        let shared = Arc::new(Stored::new(Widget { name: "a".into() }, Tags::new()));
        let key: Arc<str> = arn("111111111111", 1).into();
        let kept_key = store.put_shared(&journal, key.clone(), shared.clone());
        assert!(Arc::ptr_eq(&kept_key, &key));
        let kept = store.get(&arn("111111111111", 1)).unwrap();
        assert!(std::ptr::eq(kept, &*shared));
        let (listed_key, listed) = store.iter_in(&ctx("111111111111")).next().unwrap();
        assert!(std::ptr::eq(listed, &*shared) && std::ptr::eq(listed_key, &*key));
        // Replaced, it keeps the key it has (indexes share it).
        let again = Arc::new(Stored::new(Widget { name: "b".into() }, Tags::new()));
        let other: Arc<str> = arn("111111111111", 1).into();
        assert!(Arc::ptr_eq(
            &store.put_shared(&journal, other, again.clone()),
            &key
        ));
        let (listed_key, listed) = store.iter_in(&ctx("111111111111")).next().unwrap();
        assert!(std::ptr::eq(listed, &*again) && std::ptr::eq(listed_key, &*key));
    }

    #[test]
    fn a_scoped_get_with_its_key_is_the_stores_key_and_only_the_callers() {
        let journal = Journal::discarding();
        let mut store = Store::new("widget");
        let put = store.put(
            &journal,
            &arn("111111111111", 1),
            Stored::new(Widget { name: "a".into() }, Tags::new()),
        );
        let (key, w) = store
            .get_with_key_in(&ctx("111111111111"), &arn("111111111111", 1))
            .unwrap();
        assert!(Arc::ptr_eq(key, &put) && w.value.name == "a");
        assert!(store
            .get_with_key_in(&ctx("222222222222"), &arn("111111111111", 1))
            .is_none());
        assert!(store
            .get_with_key_in(&ctx("111111111111"), &arn("111111111111", 2))
            .is_none());
    }

    #[test]
    fn every_change_and_every_new_store_draws_a_new_generation() {
        let journal = Journal::discarding();
        let widget = |name: &str| Stored::new(Widget { name: name.into() }, Tags::new());
        let mut store = Store::new("widget");
        let mut seen = vec![
            store.generation(),
            Store::<Widget>::new("widget").generation(),
        ];
        let mut changed = |store: &Store<Widget>| {
            assert!(
                !seen.contains(&store.generation()),
                "a generation came back"
            );
            seen.push(store.generation());
        };
        store.put(&journal, &arn("111111111111", 1), widget("a"));
        changed(&store);
        // Reads change nothing.
        let before = store.generation();
        let _ = store.get(&arn("111111111111", 1));
        let _ = store.records();
        assert_eq!(store.generation(), before);
        store.put(&journal, &arn("111111111111", 1), widget("b"));
        changed(&store);
        let c = ctx("111111111111");
        let _ = store.update(&c, &arn("111111111111", 1), |w| {
            w.value.name = "c".into();
            Ok::<_, ()>(())
        });
        changed(&store);
        // A failed update and a missing removal store nothing.
        let before = store.generation();
        let _ = store.update(&c, &arn("111111111111", 1), |_| Err::<(), _>(()));
        assert!(store.remove(&journal, &arn("111111111111", 9)).is_none());
        assert_eq!(store.generation(), before);
        store.remove(&journal, &arn("111111111111", 1));
        changed(&store);
        store.clear();
        changed(&store);
    }

    #[test]
    fn gets_are_scoped_pages_walk_in_order_and_the_journal_replays() {
        let (a, b) = (ctx("111111111111"), ctx("222222222222"));
        let mut store = Store::new("widget");
        for i in 0..30 {
            let w = Widget {
                name: format!("w{i}"),
            };
            store.put(
                &a.journal,
                &arn("111111111111", i),
                Stored::new(w, Tags::new()),
            );
        }
        store.put(
            &b.journal,
            &arn("222222222222", 0),
            Stored::new(Widget { name: "b".into() }, Tags::new()),
        );
        assert!(store.get_in(&a, &arn("111111111111", 3)).is_some());
        assert!(
            store.get_in(&b, &arn("111111111111", 3)).is_none(),
            "another account's"
        );
        assert!(store.get(&arn("111111111111", 3)).is_some());
        let key = [1u8; 32];
        let paging = Paging::new(10, "ValidationException");
        let mut token = None;
        let mut seen = 0;
        loop {
            let input = json!({"maxResults": 7, "nextToken": token});
            let req = PageRequest::read(&key, &paging, &a, "ListWidgets", &input, "").unwrap();
            let page = store.page(&a, &key, &req, |_, s| s.value.name != "w5");
            seen += page.items.len();
            match page.next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, 29);
        // Update keeps a failed change out; remove journals.
        let r: Option<Result<(), &str>> = store.update(&a, &arn("111111111111", 1), |s| {
            s.value.name = "changed".into();
            Err("no")
        });
        assert_eq!(r, Some(Err("no")));
        assert_eq!(store.get(&arn("111111111111", 1)).unwrap().value.name, "w1");
        store.remove(&a.journal, &arn("111111111111", 2));
        let mut replica: Store<Widget> = Store::new("widget");
        for (_, rec) in a.journal.take().into_iter().chain(b.journal.take()) {
            replica.restore(&rec).unwrap();
        }
        assert_eq!(replica.records(), store.records());
        assert_eq!(replica.len(), 30);
        assert_eq!(replica.iter_in(&b).count(), 1);
        // The O(1) count agrees with the scoped walk, after a removal too.
        assert_eq!(replica.count_in(&b), 1);
        assert_eq!(replica.count_in(&a), 29);
        assert_eq!(replica.count_in(&a), replica.iter_in(&a).count());
        assert_eq!(replica.count_in(&ctx("333333333333")), 0);
        let last = replica
            .iter_in(&a)
            .next_back()
            .map(|(arn, _)| arn.to_string());
        assert_eq!(last, Some(arn("111111111111", 29)));
        // Walks from a cursor, either way, leave the cursor out.
        let from = |after: Option<&str>, descending| -> Vec<String> {
            replica
                .iter_from_in(&a, after, descending)
                .map(|(k, _)| k.to_string())
                .collect()
        };
        let all: Vec<String> = replica.iter_in(&a).map(|(k, _)| k.to_string()).collect();
        assert_eq!(from(None, false), all);
        assert_eq!(
            from(None, true),
            all.iter().rev().cloned().collect::<Vec<_>>()
        );
        assert_eq!(from(Some(&all[3]), false), all[4..].to_vec());
        assert_eq!(
            from(Some(&all[3]), true),
            all[..3].iter().rev().cloned().collect::<Vec<_>>()
        );
        assert!(replica
            .iter_from_in(&ctx("333333333333"), None, true)
            .next()
            .is_none());
        let bad = Record {
            account: "1".into(),
            table: "widget".into(),
            key: "k".into(),
            value: Some(json!(1)),
        };
        assert!(replica.restore(&bad).is_err());
    }

    #[test]
    fn a_discarding_journal_gets_no_records_and_the_store_still_changes() {
        let mut a = ctx("111111111111");
        a.journal = Journal::discarding();
        let mut store = Store::new("widget");
        let arn = arn("111111111111", 1);
        store.put(
            &a.journal,
            &arn,
            Stored::new(Widget { name: "w".into() }, Tags::new()),
        );
        assert_eq!(store.get_in(&a, &arn).unwrap().name, "w");
        let r: Option<Result<(), ()>> = store.update(&a, &arn, |s| {
            s.value.name = "changed".into();
            Ok(())
        });
        assert_eq!(r, Some(Ok(())));
        assert_eq!(store.get(&arn).unwrap().name, "changed");
        assert_eq!(store.records().len(), 1, "exports read the store itself");
        store.remove(&a.journal, &arn);
        assert!(store.is_empty());
        assert!(a.journal.take().is_empty());
    }

    #[test]
    fn restore_with_converts_or_refuses_and_keys_are_shared() {
        let a = ctx("111111111111");
        let mut store = Store::new("widget");
        let arn = arn("111111111111", 1);
        store.put(
            &a.journal,
            &arn,
            Stored::new(Widget { name: "old".into() }, Tags::new()),
        );
        let record = a.journal.take().remove(0).1;
        let mut replica: Store<Widget> = Store::new("widget");
        replica
            .restore_with(&record, |mut s| {
                s.value.name = format!("{} upgraded", s.value.name);
                Ok(s)
            })
            .unwrap();
        assert_eq!(replica.get(&arn).unwrap().name, "old upgraded");
        let refused = Store::<Widget>::new("widget")
            .restore_with(&record, |_| Err("no".to_string()))
            .unwrap_err();
        assert!(refused.contains("no"), "{refused}");
        // The key is the store's own copy: every caller shares one allocation.
        let (k1, k2) = (replica.key(&arn).unwrap(), replica.key(&arn).unwrap());
        assert!(Arc::ptr_eq(&k1, &k2));
        assert!(replica.key("arn:aws:svc:us-west-2:1:widget/none").is_none());
    }

    #[test]
    fn scopes_come_and_go_and_each_keeps_its_own_resources_in_order() {
        use std::collections::{BTreeMap, BTreeSet};
        let journal = Journal::discarding();
        let mut store: Store<Widget> = Store::new("widget");
        let mut model: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        let mut seed = 0x1234_5678_9abc_def1u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as usize
        };
        let accounts = ["111111111111", "222222222222", ""];
        let regions = ["us-west-2", "eu-west-1", ""];
        let (mut account, mut region) = (accounts[0], regions[0]);
        for step in 0..20_000 {
            // Mostly the same scope as the step before, as a client's creates are.
            if next(4) == 0 {
                (account, region) = (accounts[next(3)], regions[next(3)]);
            }
            let n = next(4);
            // Scopes shared by other partitions and services, and keys that are no ARN.
            let arn = match next(6) {
                0 => format!("arn:aws-cn:svc:{region}:{account}:widget/{n}"),
                1 => format!("arn:aws:other:{region}:{account}:{n}"),
                2 => format!("not an arn {n}"),
                _ => format!("arn:aws:svc:{region}:{account}:widget/{n:02}"),
            };
            let (r, a) = arn_scope(&arn).unwrap_or(("", ""));
            let scope = (a.to_string(), r.to_string());
            if next(2) == 0 {
                let had = model.get_mut(&scope).is_some_and(|set| set.remove(&arn));
                assert_eq!(store.remove(&journal, &arn).is_some(), had);
                model.retain(|_, set| !set.is_empty());
            } else {
                let w = Widget { name: arn.clone() };
                store.put(&journal, &arn, Stored::new(w, Tags::new()));
                model.entry(scope).or_default().insert(arn);
            }
            if step % 50 == 0 {
                assert_eq!(store.scopes.len(), model.len());
                for ((a, r), set) in &model {
                    let held: Vec<&str> = store
                        .scope(a, r)
                        .unwrap()
                        .iter()
                        .map(|(k, _)| &**k)
                        .collect();
                    assert_eq!(held, set.iter().map(String::as_str).collect::<Vec<_>>());
                }
                assert_eq!(
                    store.len(),
                    model.values().map(BTreeSet::len).sum::<usize>()
                );
            }
        }
        store.clear();
        assert!(store.scopes.is_empty() && store.scope_at.is_empty());
        assert!(store.scope("111111111111", "us-west-2").is_none());
        // A scope whose first key is no ARN takes no later ARN by its (empty) prefix.
        let w = || Stored::new(Widget { name: "w".into() }, Tags::new());
        store.put(&journal, "not an arn", w());
        store.put(&journal, &arn("111111111111", 1), w());
        assert_eq!(store.scope("", "").map(|s| s.len()), Some(1));
        assert_eq!(
            store.scope("111111111111", "us-west-2").map(|s| s.len()),
            Some(1)
        );
    }

    #[test]
    fn policies_and_tags_persist_and_reach_the_engine() {
        let mut s = Stored::new(
            Widget { name: "x".into() },
            [("t".to_string(), "v".to_string())].into(),
        );
        s.policy = Some(ResourcePolicy::new("{\"Version\":\"2012-10-17\"}"));
        let back: Stored<Widget> =
            serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let f = back.facts();
        assert_eq!(f.tags, vec![("t".to_string(), "v".to_string())]);
        assert!(f.policy.is_some());
        assert_eq!(arn_scope("arn:aws:iam::123:user/a"), Some(("", "123")));
        assert_eq!(arn_scope("nope"), None);
    }
}
