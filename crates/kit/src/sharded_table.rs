//! A hash table split by hash into shards that each grow on their own. A table grows by
//! moving every entry to a new allocation twice its size, a cache miss per entry: one table
//! of 114,689 jobs took 6 ms to grow, under the job table's write lock, while every other
//! CreateJob waited. A shard holds 1/[`SHARDS`] of the entries, and the shards reach their
//! next size at different inserts, so no insert moves more than a shard's.

use hashbrown::hash_table::{Entry, HashTable};

/// How many shards a table has.
pub const SHARDS: usize = 64;

/// The shard of `hash`: six bits that hashbrown reads for neither a bucket (the low bits, as
/// many as a shard has buckets) nor a control tag (the top seven), so entries sharing a shard
/// still spread over its buckets and tags.
pub fn shard_of(hash: u64) -> usize {
    (hash >> 51) as usize % SHARDS
}

/// A hash table of `T`s whose hashes the caller gives, in [`SHARDS`] shards.
pub struct ShardedTable<T> {
    /// Empty until the first insert, so a table never used costs nothing.
    shards: Vec<HashTable<T>>,
}

impl<T> Default for ShardedTable<T> {
    fn default() -> Self {
        ShardedTable { shards: Vec::new() }
    }
}

impl<T> ShardedTable<T> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The entry with `hash` that `eq` accepts.
    pub fn find(&self, hash: u64, eq: impl FnMut(&T) -> bool) -> Option<&T> {
        self.shards.get(shard_of(hash))?.find(hash, eq)
    }

    /// The place of the entry with `hash` that `eq` accepts, occupied or not; `hasher` gives
    /// each entry's hash when its shard grows.
    pub fn entry(
        &mut self,
        hash: u64,
        eq: impl FnMut(&T) -> bool,
        hasher: impl Fn(&T) -> u64,
    ) -> Entry<'_, T> {
        if self.shards.is_empty() {
            self.shards.resize_with(SHARDS, HashTable::new);
        }
        self.shards[shard_of(hash)].entry(hash, eq, hasher)
    }

    /// Puts `value` in the place of the entry with `hash` that `eq` accepts, or beside the
    /// others if there is none; returns the entry it replaced.
    pub fn insert(
        &mut self,
        hash: u64,
        eq: impl FnMut(&T) -> bool,
        hasher: impl Fn(&T) -> u64,
        value: T,
    ) -> Option<T> {
        match self.entry(hash, eq, hasher) {
            Entry::Occupied(mut o) => Some(std::mem::replace(o.get_mut(), value)),
            Entry::Vacant(v) => {
                v.insert(value);
                None
            }
        }
    }

    /// Removes and returns the entry with `hash` that `eq` accepts.
    pub fn remove(&mut self, hash: u64, eq: impl FnMut(&T) -> bool) -> Option<T> {
        let shard = self.shards.get_mut(shard_of(hash))?;
        Some(shard.find_entry(hash, eq).ok()?.remove().0)
    }

    /// Forgets every entry (each shard keeps its allocation, as a table's clear does).
    pub fn clear(&mut self) {
        self.shards.iter_mut().for_each(HashTable::clear);
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().flat_map(HashTable::iter)
    }

    /// The most entries any one shard has room for before it grows.
    #[cfg(test)]
    pub fn largest_shard(&self) -> usize {
        self.shards
            .iter()
            .map(HashTable::capacity)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    fn put(t: &mut ShardedTable<(u64, u32)>, hash: u64, v: u32) -> Option<u32> {
        t.insert(hash, |e| e.0 == hash, |e| e.0, (hash, v))
            .map(|(_, old)| old)
    }

    #[test]
    fn entries_are_found_replaced_and_removed_in_their_shards() {
        let mut t = ShardedTable::new();
        assert!(t.iter().next().is_none() && t.find(7, |_| true).is_none());
        assert!(t.remove(7, |_| true).is_none());
        let hasher = std::collections::hash_map::RandomState::new();
        let hashes: Vec<u64> = (0..20_000u32).map(|i| hasher.hash_one(i)).collect();
        for (i, h) in hashes.iter().enumerate() {
            assert_eq!(put(&mut t, *h, i as u32), None);
        }
        assert_eq!(t.iter().count(), 20_000);
        assert!(hashes
            .iter()
            .enumerate()
            .all(|(i, h)| t.find(*h, |e| e.0 == *h) == Some(&(*h, i as u32))));
        assert_eq!(put(&mut t, hashes[3], 33), Some(3));
        assert_eq!(
            t.find(hashes[3], |e| e.0 == hashes[3]),
            Some(&(hashes[3], 33))
        );
        for h in hashes.iter().step_by(2) {
            assert!(t.remove(*h, |e| e.0 == *h).is_some());
        }
        assert_eq!(t.remove(hashes[0], |e| e.0 == hashes[0]), None);
        assert_eq!(t.iter().count(), 10_000);
        assert!(t.iter().all(|e| t.find(e.0, |f| f == e).is_some()));
        t.clear();
        assert!(t.iter().next().is_none() && t.find(hashes[1], |_| true).is_none());
    }

    #[test]
    fn the_shard_is_read_from_bits_hashbrown_reads_for_nothing() {
        // Neither a bucket's bits (the low ones) nor a tag's (the top seven) choose the
        // shard: entries sharing a shard do not share their buckets or tags.
        let others = !(0x3f_u64 << 51);
        assert_eq!(shard_of(others), 0);
        for s in 0..SHARDS {
            assert_eq!(shard_of((s as u64) << 51), s);
            assert_eq!(shard_of((s as u64) << 51 | others), s);
        }
    }

    #[test]
    fn no_shard_grows_to_hold_much_more_than_its_share() {
        let mut t = ShardedTable::new();
        let hasher = std::collections::hash_map::RandomState::new();
        let n = 200_000u32;
        for i in 0..n {
            put(&mut t, hasher.hash_one(i), i);
        }
        // One table would have room for 229,376 (7/8 of 2^18) and move them all at once.
        let share = n as usize / SHARDS;
        assert!(t.largest_shard() < 3 * share, "{}", t.largest_shard());
        // Every shard is used: the shard bits vary across hashes.
        assert!(t.shards.iter().all(|s| s.len() > share / 2));
    }
}
