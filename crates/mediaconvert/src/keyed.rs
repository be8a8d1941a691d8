//! One SipHash key for the process, drawn at random on first use: what CreateJob hashes
//! before taking a lock (its token's slot, its ARN for the unfinished-job set) must hash the
//! same way under it, and keys chosen to collide still cannot be, as with `RandomState`.

use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// SipHash with the process's random key.
#[derive(Clone, Copy, Debug, Default)]
pub struct Keyed;

impl BuildHasher for Keyed {
    type Hasher = DefaultHasher;

    fn build_hasher(&self) -> DefaultHasher {
        static KEYS: OnceLock<RandomState> = OnceLock::new();
        KEYS.get_or_init(RandomState::new).build_hasher()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hasher_of_the_process_hashes_alike() {
        let (a, b) = (Keyed.hash_one("arn:aws:x"), Keyed.hash_one("arn:aws:x"));
        assert_eq!(a, b);
        assert_ne!(a, Keyed.hash_one("arn:aws:y"));
    }
}
