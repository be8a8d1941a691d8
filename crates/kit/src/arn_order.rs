//! One account and region's resources in ARN order, with each key's order mostly decided
//! without reading its text.
//!
//! A scope's ARNs share a long prefix (`arn:aws:mediaconvert:us-west-2:<account>:jobs/`), so
//! ordering them by their text compared that prefix over again at every step of every
//! insert, each time through a pointer to a separate allocation. Each key here carries the 16
//! bytes that follow the scope's prefix (its `head`), packed big-endian beside the text: keys
//! are ordered by head, and only keys with equal heads compare their texts.
//!
//! The order is exactly the order of the texts for any keys, whatever their prefixes: the
//! head is a non-decreasing function of the text (a key below the prefix's range gets the
//! lowest head, a key above it the highest, a key in it the bytes after the prefix, zero
//! padded), so a lower head means a lower text, and equal heads fall back to the texts.
//!
//! The entries sit in sorted chunks ([`ArnOrdered`]), where a B-tree spent its comparisons
//! and node allocations on the right edge that time-ordered IDs always insert at.

use std::cmp::Ordering;
use std::ops::Bound;
use std::sync::Arc;

/// The 16 bytes after the scope's prefix, big-endian, as two words (kept 8-aligned, so a key
/// is 32 bytes).
type Head = (u64, u64);

/// A stored key: its head and its text.
struct Key {
    head: Head,
    text: Arc<str>,
}

impl Key {
    /// Its place relative to the text `other` with head `head`.
    #[inline]
    fn cmp_to(&self, (head, text): (Head, &str)) -> Ordering {
        // Heads first, the texts only when the heads are equal.
        self.head.cmp(&head).then_with(|| (*self.text).cmp(text))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_to((other.head, &other.text))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

/// The most entries a chunk holds: a full chunk splits in two. An insert or removal inside a
/// chunk moves at most this many 40-byte entries.
const CHUNK: usize = 128;

/// Values keyed by ARN, iterated in the ARNs' text order.
///
/// A sorted list of sorted chunks rather than a B-tree: a scope's new resources mostly come
/// after all the others (MediaConvert's job IDs start with their creation time), and here
/// such an insert is one comparison with the last key and a push, where a B-tree compared
/// the new key with every key on its rightmost path and allocated a node every few inserts.
/// Anything else finds its chunk and its place by binary search.
pub(crate) struct ArnOrdered<V> {
    /// The text the scope's keys are expected to start with: its first key's, up to the first
    /// `/` of the resource part (or the resource part's start). Any key is ordered correctly;
    /// keys that start otherwise only compare their texts more often.
    prefix: Box<[u8]>,
    /// The entries in key order, in chunks of 1 to `CHUNK` entries.
    chunks: Vec<Vec<(Key, V)>>,
    len: usize,
}

/// Where an entry is, or would go: a chunk and a place in it. `(chunks.len(), 0)` is the end.
type Place = (usize, usize);

impl<V> ArnOrdered<V> {
    /// An empty map for keys like `first` (which fixes the prefix heads are taken after).
    pub fn new(first: &str) -> Self {
        ArnOrdered {
            prefix: prefix_of(first).as_bytes().into(),
            chunks: Vec::new(),
            len: 0,
        }
    }

    /// Whether `arn` starts with this map's prefix, when that runs through its first key's
    /// fifth `:`: then `arn`'s account and region ([`crate::arn_scope`]) are its first key's.
    pub fn shares_scope(&self, arn: &str) -> bool {
        !self.prefix.is_empty() && arn.as_bytes().starts_with(&self.prefix)
    }

    /// The first place whose key is not below `text` (`past`: not at or below it).
    fn place(&self, text: &str, past: bool) -> Place {
        let probe = (head(&self.prefix, text.as_bytes()), text);
        let below = |e: &(Key, V)| match e.0.cmp_to(probe) {
            Ordering::Less => true,
            Ordering::Equal => past,
            Ordering::Greater => false,
        };
        let at = self
            .chunks
            .partition_point(|c| c.last().is_some_and(&below));
        match self.chunks.get(at) {
            Some(chunk) => (at, chunk.partition_point(below)),
            None => (at, 0),
        }
    }

    /// Puts `value` under `key`; returns the value it replaced (the first key is kept).
    pub fn insert(&mut self, key: Arc<str>, value: V) -> Option<V> {
        let head = head(&self.prefix, key.as_bytes());
        let key = Key { head, text: key };
        // The common case first: after every key there is.
        let last = self.chunks.last_mut();
        let after = last
            .as_ref()
            .is_none_or(|c| c.last().is_some_and(|(k, _)| *k < key));
        if after {
            match last {
                Some(chunk) if chunk.len() < CHUNK => chunk.push((key, value)),
                // A chunk after a full one will most likely fill too.
                Some(_) => {
                    let mut chunk = Vec::with_capacity(CHUNK);
                    chunk.push((key, value));
                    self.chunks.push(chunk);
                }
                // A scope's first grows as it needs: most scopes hold a few resources.
                None => self.chunks.push(vec![(key, value)]),
            }
            self.len += 1;
            return None;
        }
        let (mut at, mut i) = self.place(&key.text, false);
        if let Some((k, v)) = self.chunks[at].get_mut(i) {
            if *k == key {
                return Some(std::mem::replace(v, value));
            }
        }
        // A full chunk splits in two first, so no chunk outgrows its allocation.
        if self.chunks[at].len() == CHUNK {
            let mut upper = Vec::with_capacity(CHUNK);
            upper.extend(self.chunks[at].drain(CHUNK / 2..));
            self.chunks.insert(at + 1, upper);
            if i > CHUNK / 2 {
                (at, i) = (at + 1, i - CHUNK / 2);
            }
        }
        self.chunks[at].insert(i, (key, value));
        self.len += 1;
        None
    }

    /// Takes the value under `key` out.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let (at, i) = self.place(key, false);
        let chunk = self.chunks.get_mut(at)?;
        if chunk.get(i).is_none_or(|(k, _)| *k.text != *key) {
            return None;
        }
        let (_, value) = chunk.remove(i);
        self.len -= 1;
        if chunk.is_empty() {
            self.chunks.remove(at);
        } else if chunk.len() < CHUNK / 4 {
            self.join(at);
        }
        Some(value)
    }

    /// Joins the chunk at `at`, grown small by removals, with a neighbour it fits in, so that
    /// removals leave no trail of nearly empty chunks.
    fn join(&mut self, at: usize) {
        let len = |i: usize| self.chunks.get(i).map_or(CHUNK + 1, Vec::len);
        let (into, from) = if len(at) + len(at + 1) <= CHUNK {
            (at, at + 1)
        } else if at > 0 && len(at - 1) + len(at) <= CHUNK {
            (at - 1, at)
        } else {
            return;
        };
        let moved = self.chunks.remove(from);
        self.chunks[into].extend(moved);
    }

    /// How many keys it has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every key and value in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Arc<str>, &V)> {
        self.chunks.iter().flatten().map(|(k, v)| (&k.text, v))
    }

    /// The keys and values between `lower` and `upper` in key order.
    pub fn range<'s>(
        &'s self,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> impl DoubleEndedIterator<Item = (&'s Arc<str>, &'s V)> + 's {
        let end = (self.chunks.len(), 0);
        let from = match lower {
            Bound::Included(t) => self.place(t, false),
            Bound::Excluded(t) => self.place(t, true),
            Bound::Unbounded => (0, 0),
        };
        let to = match upper {
            Bound::Included(t) => self.place(t, true),
            Bound::Excluded(t) => self.place(t, false),
            Bound::Unbounded => end,
        };
        // The chunks from `from`'s to `to`'s, each cut to the part between the two.
        let to = if to < from { from } else { to };
        let chunks = self.chunks[from.0..self.chunks.len().min(to.0 + 1)].iter();
        chunks
            .enumerate()
            .flat_map(move |(n, chunk)| {
                let at = from.0 + n;
                let start = if at == from.0 { from.1 } else { 0 };
                let stop = if at == to.0 { to.1 } else { chunk.len() };
                &chunk[start..stop]
            })
            .map(|(k, v)| (&k.text, v))
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for ArnOrdered<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `arn` up to the first `/` after its fifth `:` (`arn:aws:svc:region:account:jobs/`), or up
/// to the fifth `:` when its resource part has no `/`; nothing if it is not an ARN.
fn prefix_of(arn: &str) -> &str {
    let Some(colons) = service::first_colons::<5>(arn) else {
        return "";
    };
    let resource = colons[4] + 1;
    let end = arn[resource..]
        .find('/')
        .map_or(resource, |slash| resource + slash + 1);
    &arn[..end]
}

/// The 16 bytes of `text` after `prefix`, zero padded, as a big-endian number; the lowest head
/// for a text below every text starting with `prefix`, the highest for one above them all.
/// For any texts `a < b`, `head(a) <= head(b)`.
fn head(prefix: &[u8], text: &[u8]) -> Head {
    let Some(rest) = text.strip_prefix(prefix) else {
        // Not in the prefix's range: below it (text is less, or a shorter prefix of it) or
        // above it.
        return if text < prefix {
            (0, 0)
        } else {
            (u64::MAX, u64::MAX)
        };
    };
    let mut bytes = [0u8; 16];
    let n = rest.len().min(16);
    bytes[..n].copy_from_slice(&rest[..n]);
    let head = u128::from_be_bytes(bytes);
    ((head >> 64) as u64, head as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A fixed-seed xorshift, so a failure repeats.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const JOBS: &str = "arn:aws:mediaconvert:us-west-2:000000000000:jobs/";

    /// ARNs meant to meet at every kind of boundary: shared prefixes, equal first 16 bytes
    /// after the prefix, different lengths, texts that are prefixes of the scope's prefix,
    /// other partitions and services, NUL, DEL and multi-byte characters.
    fn random_arn(rng: &mut Rng) -> String {
        let starts = [
            JOBS,
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs",
            "arn:aws:mediaconvert:us-west-2:000000000000:",
            "arn:aws:mediaconvert:us-west-2:000000000000:queues/",
            "arn:aws-cn:mediaconvert:us-west-2:000000000000:jobs/",
            "arn:aws:ivs:us-west-2:000000000000:channel/",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs/1733380000000-",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs/1733380000000-ab",
            "arn:",
            "",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs/\u{7f}",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobs/é",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobt/",
            "arn:aws:mediaconvert:us-west-2:000000000000:jobr/",
        ];
        let alphabet = [
            '0',
            '1',
            '9',
            'a',
            'z',
            '-',
            '/',
            ':',
            '\0',
            '\u{7f}',
            'é',
            '\u{10ffff}',
        ];
        let mut s = starts[rng.below(starts.len())].to_string();
        let len = rng.below(24);
        for _ in 0..len {
            s.push(alphabet[rng.below(alphabet.len())]);
        }
        s
    }

    #[test]
    fn heads_then_texts_order_keys_as_their_texts() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let arns: Vec<String> = (0..600).map(|_| random_arn(&mut rng)).collect();
        for first in [
            JOBS,
            "",
            "arn:aws:ivs:us-west-2:000000000000:channel/x",
            "zzz",
        ] {
            let prefix = prefix_of(first).as_bytes();
            let key = |t: &str| Key {
                head: head(prefix, t.as_bytes()),
                text: Arc::from(t),
            };
            let keys: Vec<Key> = arns.iter().map(|a| key(a)).collect();
            for (a, ka) in arns.iter().zip(&keys) {
                for (b, kb) in arns.iter().zip(&keys) {
                    assert_eq!(ka.cmp(kb), a.cmp(b), "{a:?} {b:?} after {first:?}");
                }
            }
        }
    }

    #[test]
    fn prefixes_end_at_the_resource_types_slash() {
        assert_eq!(prefix_of(&format!("{JOBS}1-abc")), JOBS);
        assert_eq!(
            prefix_of("arn:aws:mediapackagev2:r:1:channelGroup/g/channel/c"),
            "arn:aws:mediapackagev2:r:1:channelGroup/"
        );
        assert_eq!(prefix_of("arn:aws:iam::1:root"), "arn:aws:iam::1:");
        assert_eq!(prefix_of("arn:aws:svc"), "");
        assert_eq!(
            head(
                JOBS.as_bytes(),
                format!("{JOBS}0123456789abcdefXYZ").as_bytes()
            ),
            (
                u64::from_be_bytes(*b"01234567"),
                u64::from_be_bytes(*b"89abcdef")
            )
        );
        assert_eq!(head(JOBS.as_bytes(), JOBS.as_bytes()), (0, 0));
        assert_eq!(head(JOBS.as_bytes(), b"arn:aws:media"), (0, 0));
        assert_eq!(head(JOBS.as_bytes(), b"b"), (u64::MAX, u64::MAX));
    }

    /// The map holds the set's texts in order, in chunks of 1 to `CHUNK`, and every range of
    /// it (bounds at random and at its own keys) is the set's.
    fn check(map: &ArnOrdered<usize>, set: &BTreeSet<String>, rng: &mut Rng) {
        assert_eq!(map.len(), set.len());
        assert!(map.chunks.iter().all(|c| (1..=CHUNK).contains(&c.len())));
        // Small chunks join: no two neighbours are both under a quarter full.
        let small = |c: &Vec<(Key, usize)>| c.len() < CHUNK / 4;
        assert!(!map.chunks.windows(2).any(|w| small(&w[0]) && small(&w[1])));
        assert_eq!(map.chunks.iter().map(Vec::len).sum::<usize>(), set.len());
        let texts = |it: &mut dyn Iterator<Item = (&Arc<str>, &usize)>| -> Vec<String> {
            it.map(|(k, _)| k.to_string()).collect()
        };
        let all: Vec<String> = set.iter().cloned().collect();
        assert_eq!(texts(&mut map.iter()), all);
        let backwards: Vec<String> = all.iter().rev().cloned().collect();
        assert_eq!(texts(&mut map.iter().rev()), backwards);
        for _ in 0..300 {
            let mut pick = || match all.len() {
                n if n > 0 && rng.below(2) == 0 => all[rng.below(n)].clone(),
                _ => random_arn(rng),
            };
            let (a, b) = (pick(), pick());
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let bound = |i: usize, t: &String| match i {
                0 => Bound::Included(t.clone()),
                1 => Bound::Excluded(t.clone()),
                _ => Bound::Unbounded,
            };
            let (l, u) = (bound(rng.below(3), &lo), bound(rng.below(3), &hi));
            // Ranges BTreeSet refuses (panics on) are empty here: both ends excluding one key,
            // and the ends the wrong way round.
            if lo < hi {
                let (l, u) = (Bound::Included(hi.as_str()), Bound::Included(lo.as_str()));
                assert_eq!(map.range(l, u).count(), 0, "{l:?} {u:?}");
            }
            if lo == hi && matches!((&l, &u), (Bound::Excluded(_), Bound::Excluded(_))) {
                let e = Bound::Excluded(lo.as_str());
                assert_eq!(map.range(e, e).count() + map.range(e, e).rev().count(), 0);
                continue;
            }
            let want: Vec<String> = set.range((l.clone(), u.clone())).cloned().collect();
            let (l, u) = (
                l.as_ref().map(|s| s.as_str()),
                u.as_ref().map(|s| s.as_str()),
            );
            assert_eq!(texts(&mut map.range(l, u)), want, "{l:?} {u:?}");
            let back: Vec<String> = want.into_iter().rev().collect();
            assert_eq!(texts(&mut map.range(l, u).rev()), back, "{l:?} {u:?}");
        }
    }

    #[test]
    fn inserts_removals_walks_and_ranges_match_a_set_of_texts() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for first in [format!("{JOBS}1733380000000-abcdef"), "x".to_string()] {
            let mut map: ArnOrdered<usize> = ArnOrdered::new(&first);
            let mut set = BTreeSet::new();
            // Inserts anywhere, some removals (mostly of absent keys).
            for i in 0..3_000 {
                let arn = random_arn(&mut rng);
                if rng.below(4) == 0 {
                    assert_eq!(map.remove(&arn).is_some(), set.remove(&arn), "{arn:?}");
                } else {
                    let key: Arc<str> = Arc::from(arn.as_str());
                    assert_eq!(map.insert(key, i).is_some(), !set.insert(arn));
                }
            }
            check(&map, &set, &mut rng);
            // Appends after every key, as time-ordered job IDs come, some replaced again.
            for i in 0..1_000u64 {
                let arn = format!("{JOBS}{:013}-{:06}", 1_800_000_000_000 + i / 3, i);
                for _ in 0..1 + rng.below(2) {
                    let key: Arc<str> = Arc::from(arn.as_str());
                    assert_eq!(map.insert(key, 0).is_some(), !set.insert(arn.clone()));
                }
            }
            check(&map, &set, &mut rng);
            // Most of them removed, in random order: small chunks join their neighbours.
            let mut keys: Vec<String> = set.iter().cloned().collect();
            while keys.len() > 40 {
                let arn = keys.swap_remove(rng.below(keys.len()));
                assert!(map.remove(&arn).is_some() && set.remove(&arn));
                assert!(map.remove(&arn).is_none());
            }
            check(&map, &set, &mut rng);
            for arn in keys {
                assert!(map.remove(&arn).is_some() && set.remove(&arn));
            }
            check(&map, &set, &mut rng);
            assert!(map.is_empty() && map.chunks.is_empty());
        }
    }
}
