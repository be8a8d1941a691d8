//! The jobs that may still be SUBMITTED or PROGRESSING (held ones included): what a queue's
//! job counts, its pause and resume, and its deletion look at, so those cost O(unfinished
//! jobs) rather than O(every job kept). A finished job never runs again, so the set may hold
//! finished ones (it is a superset) until a prune drops them.
//!
//! Each account and region has its own set, and each entry keeps the lifecycle time before
//! which its job cannot have come to rest: a prune skips every entry whose time has not
//! come without reading its job. Under a CreateJob load nearly every entry is such a job,
//! and the store lookups (a cache miss each, in a store of 100,000+ jobs) were what a prune
//! cost, under the job table's write lock.

use crate::job_run::HELD;
use crate::model::Job;
use indexmap::IndexMap;
use kit::Store;
use service::{Clock, RequestContext};
use std::collections::HashMap;
use std::sync::Arc;

/// Below this many entries in a scope a prune is not worth its walk.
const PRUNE_AT_LEAST: usize = 1024;

/// Jobs a prune step looks up per job submitted: the walk is spread over the submissions
/// that follow, under the job table's write lock, instead of stopping every request for the
/// whole walk (138 ms at 131,072 unfinished jobs).
const PRUNE_STEP: usize = 16;

/// Entries a prune step passes over without a lookup (their jobs still running), at most.
const SKIP_STEP: usize = 256;

/// Job ARNs that may be unfinished, per account and region.
#[derive(Debug, Default)]
pub struct ActiveJobs {
    /// Keyed by the scope's job ARN prefix (`arn:aws:mediaconvert:<region>:<account>:jobs/`).
    scopes: HashMap<Box<str>, ScopeJobs>,
}

/// One account and region's jobs that may be unfinished.
#[derive(Debug, Default)]
struct ScopeJobs {
    /// Each job's ARN (the store's shared key) and the lifecycle time at which it comes to
    /// rest if nothing changes it; in no order (a removal moves the last entry into its place).
    jobs: IndexMap<Arc<str>, f64>,
    /// The size at which the next prune starts: twice what the last one kept, so each job is
    /// looked at a bounded number of times on average.
    prune_at: usize,
    /// Where the running prune has reached, if one is running.
    pruning: Option<usize>,
}

/// Whether the job can still change status on its own or by its queue.
pub fn unfinished(job: &Job, clock: &Clock) -> bool {
    matches!(
        job.current(clock).state.as_str(),
        "SUBMITTED" | "PROGRESSING" | HELD
    )
}

/// The part of a job ARN that names its account and region.
fn scope_of(arn: &str) -> &str {
    arn.rfind('/').map_or(arn, |slash| &arn[..=slash])
}

impl ActiveJobs {
    /// Adds a job that was just submitted or restored (its key shared with the store's), or
    /// updates when an added one comes to rest.
    pub fn add(&mut self, arn: Arc<str>, rests_at: f64) {
        let scope = scope_of(&arn);
        let jobs = match self.scopes.get_mut(scope) {
            Some(s) => &mut s.jobs,
            None => &mut self.scopes.entry(scope.into()).or_default().jobs,
        };
        jobs.insert(arn, rests_at);
    }

    /// Forgets a job that was removed.
    pub fn remove(&mut self, arn: &str) {
        let scope = scope_of(arn);
        let Some(s) = self.scopes.get_mut(scope) else {
            return;
        };
        if let Some((at, _, _)) = s.jobs.swap_remove_full(arn) {
            // The entry moved into the removed one's place has not been walked yet.
            if s.pruning.is_some_and(|p| p > at) {
                s.pruning = Some(at);
            }
        }
        if s.jobs.is_empty() {
            self.scopes.remove(scope);
        }
    }

    /// The caller's unfinished jobs (and perhaps some finished since the last prune), in no
    /// particular order.
    pub fn iter_in<'s>(
        &'s self,
        ctx: &RequestContext,
        jobs: &'s Store<Box<Job>>,
    ) -> impl Iterator<Item = (&'s str, &'s Job)> + 's {
        let prefix = crate::model::arn(ctx, "jobs", "");
        self.scopes
            .get(prefix.as_str())
            .into_iter()
            .flat_map(|s| s.jobs.keys())
            .filter_map(|arn| Some((&**arn, &*jobs.get(arn)?.value)))
    }

    /// Drops the jobs of `arn`'s scope that have finished (or are gone): once the scope's
    /// set has doubled since its last prune ended, each call walks on, looking up at most
    /// `PRUNE_STEP` jobs whose time to rest has come and passing over at most `SKIP_STEP`
    /// whose time has not. Amortized O(1) per submitted job, and never more than a step.
    pub fn prune(&mut self, arn: &str, jobs: &Store<Box<Job>>, clock: &Clock) {
        let Some(s) = self.scopes.get_mut(scope_of(arn)) else {
            return;
        };
        let mut at = match s.pruning {
            Some(reached) => reached,
            None if s.jobs.len() >= s.prune_at.max(PRUNE_AT_LEAST) => 0,
            None => return,
        };
        let settled_through = clock.settled_through();
        let (mut looked, mut skipped) = (0, 0);
        while looked < PRUNE_STEP && skipped < SKIP_STEP {
            let Some((key, rests_at)) = s.jobs.get_index_mut(at) else {
                break;
            };
            if *rests_at > settled_through {
                skipped += 1;
                at += 1;
                continue;
            }
            looked += 1;
            match jobs.get(key).map(|j| &j.value) {
                Some(j) if unfinished(j, clock) => {
                    // Held, or released and submitted again since it was added.
                    *rests_at = j.rests_at();
                    at += 1;
                }
                // The last entry moves here, to be looked at next.
                _ => drop(s.jobs.swap_remove_index(at)),
            }
        }
        s.pruning = (at < s.jobs.len()).then_some(at);
        if s.pruning.is_none() {
            s.prune_at = 2 * s.jobs.len();
        }
    }

    /// How many it holds (finished ones not yet pruned included).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.scopes.values().map(|s| s.jobs.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arn(account: &str, id: u32) -> Arc<str> {
        format!("arn:aws:mediaconvert:us-west-2:{account}:jobs/{id:013}-abc").into()
    }

    #[test]
    fn scopes_are_kept_apart_and_removal_forgets_an_emptied_scope() {
        let mut a = ActiveJobs::default();
        a.add(arn("111111111111", 1), 5.0);
        a.add(arn("111111111111", 2), 5.0);
        a.add(arn("222222222222", 1), 5.0);
        // Added again (a restored job's later record): still one entry.
        a.add(arn("111111111111", 1), 9.0);
        assert_eq!(a.len(), 3);
        assert_eq!(a.scopes.len(), 2);
        a.remove(&arn("222222222222", 1));
        assert_eq!(a.scopes.len(), 1);
        a.remove(&arn("222222222222", 1));
        a.remove(&arn("111111111111", 1));
        assert_eq!(a.len(), 1);
        assert_eq!(
            a.scopes.values().next().unwrap().jobs.first(),
            Some((&arn("111111111111", 2), &5.0))
        );
    }

    #[test]
    fn a_prune_looks_up_only_the_jobs_whose_time_to_rest_has_come() {
        let clock = Clock::new(service::Transitions::Manual);
        // An empty store: every job looked up is gone and dropped.
        let store: Store<Box<Job>> = Store::new("job");
        let mut a = ActiveJobs::default();
        for id in 0..2000 {
            let rests_at = if id % 2 == 0 { 10.0 } else { 0.0 };
            a.add(arn("111111111111", id), rests_at);
        }
        let one = arn("111111111111", 0);
        let mut steps = 0;
        loop {
            a.prune(&one, &store, &clock);
            steps += 1;
            let s = a.scopes.values().next().unwrap();
            if s.pruning.is_none() {
                break;
            }
        }
        // The 1,000 still running were passed over, not looked up; the walk took a step per
        // 16 lookups, and one more for the last entries passed over.
        assert_eq!(a.len(), 1000);
        assert!((63..=66).contains(&steps), "{steps} steps");
        let s = a.scopes.values().next().unwrap();
        assert!(s.jobs.values().all(|t| *t == 10.0));
        assert_eq!(s.prune_at, 2000);
        // Once their time has come, they are looked up too.
        clock.advance(std::time::Duration::from_secs(10));
        let mut id = 10_000;
        loop {
            a.add(arn("111111111111", id), 20.0);
            id += 1;
            a.prune(&one, &store, &clock);
            if a.len() < id as usize - 10_000 + 1000 {
                let s = a.scopes.values().next().unwrap();
                if s.pruning.is_none() {
                    break;
                }
            }
        }
        let s = a.scopes.values().next().unwrap();
        assert_eq!(s.jobs.len(), id as usize - 10_000);
        assert!(s.jobs.values().all(|t| *t == 20.0));
    }

    #[test]
    fn a_removal_behind_a_running_prune_leaves_no_entry_unwalked() {
        let mut a = ActiveJobs::default();
        for id in 0..10 {
            a.add(arn("111111111111", id), 5.0);
        }
        let s = a.scopes.values_mut().next().unwrap();
        s.pruning = Some(6);
        // Entry 9 moves into 3's place, behind where the prune has reached.
        a.remove(&arn("111111111111", 3));
        let s = a.scopes.values().next().unwrap();
        assert_eq!(s.pruning, Some(3));
        assert_eq!(s.jobs.get_index_of(&*arn("111111111111", 9)), Some(3));
    }
}
