//! Recent `ClientRequestToken`s: a retry within the window answers the job the token created.

use crate::keyed::Keyed;
use kit::{ChunkedQueue, ShardedTable};
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

/// How long a `ClientRequestToken` answers with the job it created (AWS: one minute).
pub const WINDOW_SECONDS: f64 = 60.0;

/// The slot of `token` in `account` and `region`: a hash with the process's key, the same
/// for as long as the process runs, so CreateJob finds it once and without the table's lock
/// (the worker storing a job waits for the table under the job table's lock).
pub fn slot(account: &str, region: &str, token: &str) -> u64 {
    // The three parts hashed in one write, each ended by 0xff as `str`'s `Hash` ends it (a
    // byte UTF-8 never holds, so no two triples give one text): the same hash as the tuple's,
    // whose six writes cost as long again as the bytes. Longer parts hash as the tuple.
    let mut text = [0u8; 128];
    let mut at = 0;
    for part in [account, region, token] {
        let Some(room) = text.get_mut(at..at + part.len() + 1) else {
            return Keyed.hash_one((account, region, token));
        };
        let (bytes, end) = room.split_at_mut(part.len());
        bytes.copy_from_slice(part.as_bytes());
        end[0] = 0xff;
        at += part.len() + 1;
    }
    let mut h = Keyed.build_hasher();
    h.write(&text[..at]);
    h.finish()
}

/// Token slots (a keyed hash of account, region and token) → (the job's key in the store,
/// when), with their insertion order so that expired slots are dropped from the oldest end:
/// constant work per job created (SDKs send a token with every CreateJob), no string copied,
/// and a table and queue that grow a shard or a chunk at a time (see `kit::ShardedTable`).
///
/// Two slots may share a hash: the caller checks that the job found carries the token, in
/// the caller's account and region, so a collision can only forget a token, never answer
/// another's job.
#[derive(Default)]
pub struct RequestTokens {
    /// (slot, key, when): a slot is its own hash.
    slots: ShardedTable<(u64, Arc<str>, f64)>,
    order: ChunkedQueue<(f64, u64)>,
}

impl RequestTokens {
    /// The key of the job `token` may have created in `account` and `region` less than the
    /// window before `now`.
    #[cfg(test)]
    pub fn recent(&self, account: &str, region: &str, token: &str, now: f64) -> Option<&Arc<str>> {
        self.recent_in(slot(account, region, token), now)
    }

    /// [`RequestTokens::recent`] of a token's `slot`.
    pub fn recent_in(&self, slot: u64, now: f64) -> Option<&Arc<str>> {
        self.slots
            .find(slot, |s| s.0 == slot)
            .filter(|(_, _, at)| now - at < WINDOW_SECONDS)
            .map(|(_, key, _)| key)
    }

    /// Forgets every token; the slots stay where they are.
    pub fn clear(&mut self) {
        self.slots.clear();
        self.order.clear();
    }

    /// Records that `token` created the job `key` at `at`, first dropping the oldest slots
    /// that are the window old or more.
    pub fn insert(&mut self, account: &str, region: &str, token: &str, key: Arc<str>, at: f64) {
        let slot = slot(account, region, token);
        self.insert_in(slot, key, at);
    }

    /// [`RequestTokens::insert`] of a token's `slot`.
    pub fn insert_in(&mut self, slot: u64, key: Arc<str>, at: f64) {
        while let Some(&(then, old)) = self.order.front() {
            if at - then < WINDOW_SECONDS {
                break;
            }
            self.order.pop_front();
            // Only if the slot was not recorded again since.
            self.slots.remove(old, |s| s.0 == old && s.2 == then);
        }
        self.order.push_back((at, slot));
        self.slots
            .insert(slot, |s| s.0 == slot, |s| s.0, (slot, key, at));
    }

    /// How many slots are kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.slots.iter().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insert(t: &mut RequestTokens, token: &str, job: &str, at: f64) {
        t.insert("1", "r", token, Arc::from(job), at);
    }

    #[test]
    fn a_token_answers_within_the_window_and_expired_ones_are_dropped() {
        let mut t = RequestTokens::default();
        insert(&mut t, "a", "job-a", 0.0);
        insert(&mut t, "b", "job-b", 30.0);
        assert_eq!(t.recent("1", "r", "a", 59.0), Some(&Arc::from("job-a")));
        assert_eq!(t.recent("1", "r", "a", 60.0), None);
        assert_eq!(t.recent("1", "r", "c", 1.0), None);
        // At 61 s, `a` has expired and goes; `b` stays.
        insert(&mut t, "c", "job-c", 61.0);
        assert_eq!(t.kept(), 2);
        assert_eq!(t.recent("1", "r", "b", 61.0), Some(&Arc::from("job-b")));
    }

    #[test]
    fn a_slot_recorded_again_is_not_dropped_with_its_first_record() {
        let mut t = RequestTokens::default();
        insert(&mut t, "a", "job-1", 0.0);
        insert(&mut t, "a", "job-2", 30.0);
        // At 61 s the first record is the window old and goes, but the slot holds the second.
        insert(&mut t, "b", "job-b", 61.0);
        assert_eq!(t.recent("1", "r", "a", 61.0), Some(&Arc::from("job-2")));
        assert_eq!(t.kept(), 2);
        // The second record goes with its own time.
        insert(&mut t, "c", "job-c", 200.0);
        assert_eq!(t.kept(), 1);
    }

    #[test]
    fn a_cleared_table_keeps_its_slots() {
        let mut t = RequestTokens::default();
        let first = slot("1", "r", "a");
        insert(&mut t, "a", "job-a", 0.0);
        t.clear();
        assert_eq!(t.kept(), 0);
        assert_eq!(t.recent("1", "r", "a", 1.0), None);
        assert_eq!(slot("1", "r", "a"), first);
        t.insert_in(first, Arc::from("job-b"), 2.0);
        assert_eq!(t.recent("1", "r", "a", 3.0), Some(&Arc::from("job-b")));
    }

    #[test]
    fn a_long_token_has_one_slot_too() {
        // Past the one-write buffer, the parts are hashed as a tuple: still one slot each.
        let mut t = RequestTokens::default();
        let long = "t".repeat(200);
        assert_ne!(slot("1", "r", &long), slot("1", "r", &long[1..]));
        insert(&mut t, &long, "job-long", 0.0);
        insert(&mut t, "a", "job-a", 0.0);
        assert_eq!(t.recent("1", "r", &long, 1.0), Some(&Arc::from("job-long")));
        assert_eq!(t.recent("1", "r", "a", 1.0), Some(&Arc::from("job-a")));
        assert_eq!(t.recent("2", "r", &long, 1.0), None);
        // At the buffer's edge and just past it, short and long, a slot is the tuple's hash
        // (so parts that run together differently never share one).
        for n in [0, 1, 120, 121, 122, 123, 124, 125] {
            let token = "x".repeat(n);
            let tuple = Keyed.hash_one(("1", "r", token.as_str()));
            assert_eq!(slot("1", "r", &token), tuple, "{n}");
            if n > 0 {
                assert_ne!(slot("1", "r", &token), slot("1", "rx", &token[1..]), "{n}");
            }
        }
    }

    #[test]
    fn a_token_is_its_accounts_and_regions_alone() {
        let mut t = RequestTokens::default();
        insert(&mut t, "a", "job-a", 0.0);
        assert_eq!(t.recent("2", "r", "a", 1.0), None);
        assert_eq!(t.recent("1", "s", "a", 1.0), None);
        // The parts are hashed apart: moving text between them is another slot.
        t.insert("1|r", "", "a", Arc::from("job-x"), 0.0);
        assert_eq!(t.recent("1", "r", "a", 1.0), Some(&Arc::from("job-a")));
    }
}
