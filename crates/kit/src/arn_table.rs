//! The store's table from ARN to resource. Each entry keeps its key's hash, so growing the
//! table moves entries without reading and hashing every ARN again: with the hash not kept,
//! growing a table of 100,000 jobs took tens of milliseconds, while every request to the
//! service waited on its lock. It is sharded, so that growth moves one shard's entries.

use crate::sharded_table::ShardedTable;
use hashbrown::hash_table::Entry;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;

/// One key, its hash, and its value.
struct Slot<V> {
    hash: u64,
    key: Arc<str>,
    value: V,
}

/// A hash table keyed by shared ARN text, with each key's hash kept beside it.
pub(crate) struct ArnTable<V> {
    /// Keyed per table at random, as std's maps are, so keys chosen to collide cannot be.
    hasher: RandomState,
    table: ShardedTable<Slot<V>>,
    /// How many entries the shards hold together, kept rather than summed: MediaConvert asks
    /// its input policies' store whether it is empty twice a CreateJob.
    len: usize,
}

impl<V> ArnTable<V> {
    /// An empty table.
    pub fn new() -> Self {
        ArnTable {
            hasher: RandomState::new(),
            table: ShardedTable::new(),
            len: 0,
        }
    }

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    /// The table's own key equal to `key`, and its value.
    pub fn get_key_value(&self, key: &str) -> Option<(&Arc<str>, &V)> {
        self.table
            .find(self.hash(key), |s| *s.key == *key)
            .map(|s| (&s.key, &s.value))
    }

    /// Puts `value` under the text `key` with one hash and one probe (a store's every put):
    /// returns the table's key for it (an existing entry's, kept because indexes share it, or
    /// else `shared`, the caller's shared copy of `key`, or a new copy) and the value it
    /// replaced.
    pub fn put(&mut self, key: &str, shared: Option<Arc<str>>, value: V) -> (Arc<str>, Option<V>) {
        let hash = self.hash(key);
        match self
            .table
            .entry(hash, |s| *s.key == *key, |s: &Slot<V>| s.hash)
        {
            Entry::Occupied(mut o) => {
                let slot = o.get_mut();
                (
                    slot.key.clone(),
                    Some(std::mem::replace(&mut slot.value, value)),
                )
            }
            Entry::Vacant(v) => {
                let key: Arc<str> = shared.unwrap_or_else(|| Arc::from(key));
                v.insert(Slot {
                    hash,
                    key: key.clone(),
                    value,
                });
                self.len += 1;
                (key, None)
            }
        }
    }

    /// Takes the value under `key` out.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let hash = self.hash(key);
        let removed = self.table.remove(hash, |s| *s.key == *key)?;
        self.len -= 1;
        Some(removed.value)
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.table.clear();
        self.len = 0;
    }

    /// Every key and value, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &V)> {
        self.table.iter().map(|s| (&s.key, &s.value))
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for ArnTable<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_find_insert_replace_and_remove_their_values_through_growth() {
        let mut t: ArnTable<usize> = ArnTable::new();
        let texts: Vec<String> = (0..10_000)
            .map(|i| format!("arn:aws:svc:r:1:thing/{i}"))
            .collect();
        let mut keys: Vec<Arc<str>> = Vec::new();
        for (i, k) in texts.iter().enumerate() {
            let (key, old) = t.put(k, None, i);
            assert_eq!((&*key, old), (k.as_str(), None));
            keys.push(key);
        }
        assert_eq!(t.len(), 10_000);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(t.get(k), Some(&i));
        }
        assert_eq!(t.get("arn:aws:svc:r:1:thing/10000"), None);
        // A replaced value keeps the table's first key (indexes share it).
        let (kept, old) = t.put("arn:aws:svc:r:1:thing/7", None, 70);
        assert!(Arc::ptr_eq(&kept, &keys[7]) && old == Some(7));
        let (key, value) = t.get_key_value("arn:aws:svc:r:1:thing/7").unwrap();
        assert!(Arc::ptr_eq(key, &keys[7]));
        assert_eq!(*value, 70);
        for k in keys.iter().step_by(2) {
            assert!(t.remove(k).is_some());
        }
        assert_eq!(t.remove(&keys[0]), None);
        assert_eq!(t.len(), 5_000);
        assert_eq!(t.iter().count(), 5_000);
        assert!(t.iter().all(|(k, _)| t.get(k).is_some()));
        // A removed key's text comes back as a new entry.
        // A new entry keeps the caller's shared copy of the key when it gives one.
        let shared: Arc<str> = "arn:aws:svc:r:1:thing/0".into();
        let (back, old) = t.put("arn:aws:svc:r:1:thing/0", Some(shared.clone()), 1);
        assert!(Arc::ptr_eq(&back, &shared) && old.is_none());
        let (kept, _) = t.put(
            "arn:aws:svc:r:1:thing/0",
            Some("arn:aws:svc:r:1:thing/0".into()),
            2,
        );
        assert!(Arc::ptr_eq(&kept, &shared));
        assert_eq!(t.len(), 5_001);
        t.clear();
        assert!(t.is_empty() && t.get(&keys[1]).is_none());
    }
}
