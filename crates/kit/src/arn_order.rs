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

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
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

/// What the map compares: a stored key, or a probe made from a `&str` for a lookup.
trait Keyed {
    fn parts(&self) -> (Head, &str);
}

impl Keyed for Key {
    #[inline]
    fn parts(&self) -> (Head, &str) {
        (self.head, &self.text)
    }
}

/// A lookup's key: the text asked for, with its head in the map's scope.
struct Probe<'t> {
    head: Head,
    text: &'t str,
}

impl Keyed for Probe<'_> {
    #[inline]
    fn parts(&self) -> (Head, &str) {
        (self.head, self.text)
    }
}

/// Heads first, the texts only when the heads are equal.
#[inline]
fn order(a: (Head, &str), b: (Head, &str)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
}

impl Ord for Key {
    // Inlined into the map's node search, where it runs ~35 times per insert.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        order((self.head, &self.text), (other.head, &other.text))
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

// Lookups by text borrow stored keys as `dyn Keyed`, ordered the same way as `Key`.
impl<'a> Borrow<dyn Keyed + 'a> for Key {
    fn borrow(&self) -> &(dyn Keyed + 'a) {
        self
    }
}

impl Ord for dyn Keyed + '_ {
    fn cmp(&self, other: &Self) -> Ordering {
        order(self.parts(), other.parts())
    }
}

impl PartialOrd for dyn Keyed + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for dyn Keyed + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for dyn Keyed + '_ {}

/// Values keyed by ARN, iterated in the ARNs' text order.
pub(crate) struct ArnOrdered<V> {
    /// The text the scope's keys are expected to start with: its first key's, up to the first
    /// `/` of the resource part (or the resource part's start). Any key is ordered correctly;
    /// keys that start otherwise only compare their texts more often.
    prefix: Box<[u8]>,
    map: BTreeMap<Key, V>,
}

impl<V> ArnOrdered<V> {
    /// An empty map for keys like `first` (which fixes the prefix heads are taken after).
    pub fn new(first: &str) -> Self {
        ArnOrdered {
            prefix: prefix_of(first).as_bytes().into(),
            map: BTreeMap::new(),
        }
    }

    fn probe<'t>(&self, text: &'t str) -> Probe<'t> {
        Probe {
            head: head(&self.prefix, text.as_bytes()),
            text,
        }
    }

    /// Whether `arn` starts with this map's prefix, when that runs through its first key's
    /// fifth `:`: then `arn`'s account and region ([`crate::arn_scope`]) are its first key's.
    pub fn shares_scope(&self, arn: &str) -> bool {
        !self.prefix.is_empty() && arn.as_bytes().starts_with(&self.prefix)
    }

    /// Puts `value` under `key`; returns the value it replaced (the first key is kept).
    pub fn insert(&mut self, key: Arc<str>, value: V) -> Option<V> {
        let head = head(&self.prefix, key.as_bytes());
        self.map.insert(Key { head, text: key }, value)
    }

    /// Takes the value under `key` out.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let probe = self.probe(key);
        self.map.remove(&probe as &dyn Keyed)
    }

    /// How many keys it has.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every key and value in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Arc<str>, &V)> {
        self.map.iter().map(|(k, v)| (&k.text, v))
    }

    /// The keys and values between `lower` and `upper` in key order.
    pub fn range<'s>(
        &'s self,
        lower: Bound<&str>,
        upper: Bound<&str>,
    ) -> impl DoubleEndedIterator<Item = (&'s Arc<str>, &'s V)> + 's {
        let (lower, upper) = (lower.map(|t| self.probe(t)), upper.map(|t| self.probe(t)));
        self.map
            .range::<dyn Keyed, _>((as_keyed(&lower), as_keyed(&upper)))
            .map(|(k, v)| (&k.text, v))
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for ArnOrdered<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A lookup bound as the map compares it.
fn as_keyed<'p, 't>(bound: &'p Bound<Probe<'t>>) -> Bound<&'p (dyn Keyed + 't)> {
    match bound {
        Bound::Included(p) => Bound::Included(p),
        Bound::Excluded(p) => Bound::Excluded(p),
        Bound::Unbounded => Bound::Unbounded,
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

    #[test]
    fn inserts_removals_walks_and_ranges_match_a_set_of_texts() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for first in [format!("{JOBS}1733380000000-abcdef"), "x".to_string()] {
            let mut map: ArnOrdered<usize> = ArnOrdered::new(&first);
            let mut set = BTreeSet::new();
            for i in 0..3_000 {
                let arn = random_arn(&mut rng);
                if rng.below(4) == 0 {
                    assert_eq!(map.remove(&arn).is_some(), set.remove(&arn), "{arn:?}");
                } else {
                    let key: Arc<str> = Arc::from(arn.as_str());
                    assert_eq!(map.insert(key, i).is_some(), !set.insert(arn));
                }
            }
            assert_eq!(map.len(), set.len());
            let texts = |it: &mut dyn Iterator<Item = (&Arc<str>, &usize)>| -> Vec<String> {
                it.map(|(k, _)| k.to_string()).collect()
            };
            let all: Vec<String> = set.iter().cloned().collect();
            assert_eq!(texts(&mut map.iter()), all);
            assert_eq!(texts(&mut map.iter().rev()), {
                let mut r = all.clone();
                r.reverse();
                r
            });
            for _ in 0..300 {
                let (a, b) = (random_arn(&mut rng), random_arn(&mut rng));
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                let bound = |i: usize, t: &String| match i {
                    0 => Bound::Included(t.clone()),
                    1 => Bound::Excluded(t.clone()),
                    _ => Bound::Unbounded,
                };
                let (l, u) = (bound(rng.below(3), &lo), bound(rng.below(3), &hi));
                if lo == hi && matches!((&l, &u), (Bound::Excluded(_), Bound::Excluded(_))) {
                    continue; // BTreeMap refuses (panics on) that empty range
                }
                let want: Vec<String> = set.range((l.clone(), u.clone())).cloned().collect();
                let got = texts(&mut map.range(
                    l.as_ref().map(|s| s.as_str()),
                    u.as_ref().map(|s| s.as_str()),
                ));
                assert_eq!(got, want, "{l:?} {u:?}");
            }
        }
    }
}
