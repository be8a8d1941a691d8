//! Recent `ClientRequestToken`s: a retry within the window answers the job the token created.

use std::collections::{HashMap, VecDeque};

/// Token slots (`account|region|token`) → (job ARN, when), with their insertion order so
/// that expired slots are dropped from the oldest end: constant work per job created, where
/// scanning every slot on each CreateJob grew with the job rate (SDKs send a token with
/// every CreateJob).
#[derive(Default)]
pub struct RequestTokens {
    slots: HashMap<String, (String, f64)>,
    order: VecDeque<(f64, String)>,
}

impl RequestTokens {
    /// The job ARN `slot` created less than `window` seconds before `now`.
    pub fn recent(&self, slot: &str, now: f64, window: f64) -> Option<&str> {
        self.slots
            .get(slot)
            .filter(|(_, at)| now - at < window)
            .map(|(arn, _)| arn.as_str())
    }

    /// Records that `slot` created `arn` at `now`, first dropping the oldest slots that are
    /// `window` seconds old or more.
    pub fn insert(&mut self, slot: String, arn: String, now: f64, window: f64) {
        while let Some((at, _)) = self.order.front() {
            if now - at < window {
                break;
            }
            if let Some((at, old)) = self.order.pop_front() {
                // Only if the slot was not recorded again since.
                if self.slots.get(&old).is_some_and(|(_, t)| *t == at) {
                    self.slots.remove(&old);
                }
            }
        }
        self.order.push_back((now, slot.clone()));
        self.slots.insert(slot, (arn, now));
    }

    /// How many slots are kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_answers_within_the_window_and_expired_ones_are_dropped() {
        let mut t = RequestTokens::default();
        t.insert("a".into(), "job-a".into(), 0.0, 60.0);
        t.insert("b".into(), "job-b".into(), 30.0, 60.0);
        assert_eq!(t.recent("a", 59.0, 60.0), Some("job-a"));
        assert_eq!(t.recent("a", 60.0, 60.0), None);
        assert_eq!(t.recent("c", 1.0, 60.0), None);
        // At 61 s, `a` has expired and goes; `b` stays.
        t.insert("c".into(), "job-c".into(), 61.0, 60.0);
        assert_eq!(t.kept(), 2);
        assert_eq!(t.recent("b", 61.0, 60.0), Some("job-b"));
    }

    #[test]
    fn a_slot_recorded_again_is_not_dropped_with_its_first_record() {
        let mut t = RequestTokens::default();
        t.insert("a".into(), "job-1".into(), 0.0, 60.0);
        t.insert("a".into(), "job-2".into(), 70.0, 60.0);
        t.insert("b".into(), "job-b".into(), 71.0, 60.0);
        assert_eq!(t.recent("a", 71.0, 60.0), Some("job-2"));
        t.insert("c".into(), "job-c".into(), 200.0, 60.0);
        assert_eq!(t.kept(), 1);
    }
}
