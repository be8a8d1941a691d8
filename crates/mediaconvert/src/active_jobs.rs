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
//!
//! A scope also keeps when its oldest job's record is deleted (see `Job::expires_at`), for
//! as long as it has jobs stored, finished or not: the service publishes the earliest such
//! time, which each request compares with the clock before anything reads a job.

use crate::job_run::HELD;
use crate::keyed::Keyed;
use crate::model::Job;
use indexmap::map::raw_entry_v1::RawEntryMut;
use indexmap::map::RawEntryApiV1;
use indexmap::IndexMap;
use kit::Store;
use service::{Clock, RequestContext};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Below this many entries in a scope a prune is not worth its walk.
const PRUNE_AT_LEAST: usize = 1024;

/// Jobs a prune step looks up per job submitted: the walk is spread over the submissions
/// that follow, under the job table's write lock, instead of stopping every request for the
/// whole walk (138 ms at 131,072 unfinished jobs).
const PRUNE_STEP: usize = 16;

/// Entries a prune step passes over without a lookup (their jobs still running), at most.
const SKIP_STEP: usize = 256;

/// A job ARN's hash in [`ActiveJobs`]: SipHash of some 60 bytes, computed before the job
/// table's write lock rather than under it.
#[derive(Clone, Copy, Debug)]
pub struct ArnHash(u64);

impl ArnHash {
    /// The hash of `arn`, a job's ARN.
    pub fn of(arn: &str) -> Self {
        ArnHash(Keyed.hash_one(arn))
    }
}

/// Job ARNs that may be unfinished, per account and region.
#[derive(Debug)]
pub struct ActiveJobs {
    /// Keyed by the scope's job ARN prefix (`arn:aws:mediaconvert:<region>:<account>:jobs/`).
    scopes: IndexMap<Box<str>, ScopeJobs>,
    /// The scope the next prune sweeps besides the submitter's own, round robin: a scope
    /// whose jobs have come to rest is pruned even when nobody submits there any more.
    sweep: usize,
    /// The earliest `expires_from` of the scopes (lifecycle time; infinite if none).
    expires_from: f64,
    /// `expires_from` as `f64` bits, published for the service to read without a lock.
    expiry_due: Arc<AtomicU64>,
}

impl Default for ActiveJobs {
    fn default() -> Self {
        ActiveJobs::new(Arc::new(AtomicU64::new(f64::INFINITY.to_bits())))
    }
}

/// Where an entry of [`RestTimes`] is: its shard, and its index there.
type Place = (usize, usize);

/// Job ARNs (the store's shared keys) and the lifecycle time at which each comes to rest if
/// nothing changes it, in `kit::SHARDS` maps by the ARN's hash so that growth moves one
/// shard's entries (see `kit::ShardedTable`). Within a shard in no order (a removal moves
/// the shard's last entry into its place).
#[derive(Debug, Default)]
struct RestTimes {
    /// Empty until the first insert.
    shards: Vec<IndexMap<Arc<str>, f64, Keyed>>,
    /// How many the shards hold together, kept rather than summed: every job submitted asks
    /// (`ScopeJobs::due`), under the job table's write lock.
    len: usize,
}

impl RestTimes {
    /// How many it holds.
    fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sets the time of `arn`, whose `hash` is its [`ArnHash`].
    fn insert_hashed(&mut self, hash: ArnHash, arn: Arc<str>, rests_at: f64) {
        if self.shards.is_empty() {
            self.shards.resize_with(kit::SHARDS, IndexMap::default);
        }
        let shard = &mut self.shards[kit::shard_of(hash.0)];
        match shard
            .raw_entry_mut_v1()
            .from_key_hashed_nocheck(hash.0, &*arn)
        {
            RawEntryMut::Occupied(mut e) => {
                e.insert(rests_at);
            }
            RawEntryMut::Vacant(e) => {
                e.insert_hashed_nocheck(hash.0, arn, rests_at);
                self.len += 1;
            }
        }
    }

    /// The time of `arn`, to change it.
    fn get_mut(&mut self, arn: &str) -> Option<&mut f64> {
        let hash = ArnHash::of(arn).0;
        let shard = self.shards.get_mut(kit::shard_of(hash))?;
        match shard.raw_entry_mut_v1().from_key_hashed_nocheck(hash, arn) {
            RawEntryMut::Occupied(e) => Some(e.into_mut()),
            RawEntryMut::Vacant(_) => None,
        }
    }

    /// Removes `arn`, returning where it was (the shard's last entry is there now).
    fn swap_remove(&mut self, arn: &str) -> Option<Place> {
        let hash = ArnHash::of(arn).0;
        let shard = kit::shard_of(hash);
        match self
            .shards
            .get_mut(shard)?
            .raw_entry_mut_v1()
            .from_key_hashed_nocheck(hash, arn)
        {
            RawEntryMut::Occupied(e) => {
                let at = e.index();
                e.swap_remove();
                self.len -= 1;
                Some((shard, at))
            }
            RawEntryMut::Vacant(_) => None,
        }
    }

    /// The first place at or after `at` that holds an entry, shard by shard.
    fn next_from(&self, (mut shard, mut at): Place) -> Option<Place> {
        while at >= self.shards.get(shard)?.len() {
            (shard, at) = (shard + 1, 0);
        }
        Some((shard, at))
    }

    /// The entry at `place`.
    fn at_mut(&mut self, (shard, at): Place) -> Option<(&Arc<str>, &mut f64)> {
        self.shards.get_mut(shard)?.get_index_mut(at)
    }

    /// Removes the entry at `place` (the shard's last entry takes its place).
    fn swap_remove_at(&mut self, (shard, at): Place) {
        let removed = self
            .shards
            .get_mut(shard)
            .and_then(|s| s.swap_remove_index(at));
        if removed.is_some() {
            self.len -= 1;
        }
    }

    /// Every ARN, in no particular order.
    fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.shards.iter().flat_map(IndexMap::keys)
    }

    /// Every time, in no particular order.
    #[cfg(test)]
    fn values(&self) -> impl Iterator<Item = &f64> {
        self.shards.iter().flat_map(IndexMap::values)
    }

    /// The time of `arn`.
    #[cfg(test)]
    fn get(&self, arn: &str) -> Option<&f64> {
        self.shards.get(kit::shard_of(ArnHash::of(arn).0))?.get(arn)
    }

    /// Where `arn` is.
    #[cfg(test)]
    fn place_of(&self, arn: &str) -> Option<Place> {
        let shard = kit::shard_of(ArnHash::of(arn).0);
        Some((shard, self.shards.get(shard)?.get_index_of(arn)?))
    }
}

/// One account and region's jobs that may be unfinished.
#[derive(Debug)]
struct ScopeJobs {
    /// Each job and when it comes to rest.
    jobs: RestTimes,
    /// The size at which the next prune starts: twice what the last one kept, so each job is
    /// looked at a bounded number of times on average.
    prune_at: usize,
    /// Where the running prune has reached, if one is running.
    pruning: Option<Place>,
    /// When the last prune began, in lifecycle time (not the settled time, which instant
    /// transitions keep at infinity: no later rest would ever count as after it).
    pruned_from: f64,
    /// The latest rest among the jobs added, or passed over still running, since then: once
    /// it has come, and came after `pruned_from`, a sweep prunes the scope.
    rests_by: f64,
    /// No job of the scope (unfinished or not) is deleted before this lifecycle time: the
    /// earliest `Job::expires_at` of those added since its oldest was looked at (infinite
    /// once the scope has no job stored). The scope is kept while it is finite.
    expires_from: f64,
}

impl Default for ScopeJobs {
    fn default() -> Self {
        ScopeJobs {
            jobs: RestTimes::default(),
            prune_at: 0,
            pruning: None,
            pruned_from: f64::NEG_INFINITY,
            rests_by: f64::NEG_INFINITY,
            expires_from: f64::INFINITY,
        }
    }
}

/// Whether the job can still change status on its own or by its queue.
pub fn unfinished(job: &Job, clock: &Clock) -> bool {
    matches!(
        job.current(clock).state.as_str(),
        "SUBMITTED" | "PROGRESSING" | HELD
    )
}

/// The part of a job ARN that names its account and region.
pub(crate) fn scope_of(arn: &str) -> &str {
    // By bytes (`/` is ASCII): every job submitted asks twice, and `rfind` ran a char searcher.
    arn.bytes()
        .rposition(|b| b == b'/')
        .map_or(arn, |slash| &arn[..=slash])
}

impl ScopeJobs {
    /// Whether it can be forgotten: no job it may hold unfinished, none stored to delete.
    fn is_idle(&self) -> bool {
        self.jobs.is_empty() && self.expires_from == f64::INFINITY
    }

    /// Whether a prune should start, by size (the submitter's own scope) or because jobs
    /// added since the last one have come to rest (`settled`: the clock's settled time).
    fn due(&self, by_time: bool, settled: f64) -> bool {
        let doubled = self.jobs.len() >= self.prune_at.max(PRUNE_AT_LEAST);
        let rested = self.rests_by > self.pruned_from && self.rests_by <= settled;
        doubled || (by_time && rested)
    }

    /// Forgets one job's entry, if it has one.
    fn forget(&mut self, arn: &str) {
        if let Some(at) = self.jobs.swap_remove(arn) {
            // The entry moved into the removed one's place has not been walked yet.
            if self.pruning.is_some_and(|p| p.0 == at.0 && p.1 > at.1) {
                self.pruning = Some(at);
            }
        }
    }

    /// One step of a prune, started if none is running: looks up at most `PRUNE_STEP` jobs
    /// whose time to rest has come (`look_up`: the rest of a job still unfinished, `None`
    /// for one finished or gone) and passes over at most `SKIP_STEP` whose time has not.
    /// `now`: the clock's lifecycle time.
    fn step(&mut self, now: f64, settled: f64, look_up: impl Fn(&str) -> Option<f64>) {
        let at = match self.pruning {
            Some(reached) => reached,
            None => {
                self.pruned_from = now;
                self.rests_by = f64::NEG_INFINITY;
                (0, 0)
            }
        };
        let (mut looked, mut skipped) = (0, 0);
        let mut reached = self.jobs.next_from(at);
        while looked < PRUNE_STEP && skipped < SKIP_STEP {
            let Some(at) = reached else {
                break;
            };
            let Some((key, rests_at)) = self.jobs.at_mut(at) else {
                break;
            };
            if *rests_at > settled {
                self.rests_by = self.rests_by.max(*rests_at);
                skipped += 1;
                reached = self.jobs.next_from((at.0, at.1 + 1));
                continue;
            }
            looked += 1;
            match look_up(key) {
                // Held, or released and submitted again since it was added.
                Some(rests) => {
                    *rests_at = rests;
                    self.rests_by = self.rests_by.max(rests);
                    reached = self.jobs.next_from((at.0, at.1 + 1));
                }
                // The shard's last entry moves here, to be looked at next.
                None => {
                    self.jobs.swap_remove_at(at);
                    reached = self.jobs.next_from(at);
                }
            }
        }
        self.pruning = reached;
        if self.pruning.is_none() {
            self.prune_at = 2 * self.jobs.len();
        }
    }
}

impl ActiveJobs {
    /// None, publishing the earliest deletion due in `expiry_due`.
    pub fn new(expiry_due: Arc<AtomicU64>) -> Self {
        expiry_due.store(f64::INFINITY.to_bits(), Ordering::Release);
        ActiveJobs {
            scopes: IndexMap::new(),
            sweep: 0,
            expires_from: f64::INFINITY,
            expiry_due,
        }
    }

    /// Adds a job that was just submitted or restored (its key shared with the store's), or
    /// updates when an added one comes to rest; `expires_at`: when its record is deleted.
    pub fn add(&mut self, arn: Arc<str>, rests_at: f64, expires_at: f64) {
        let hash = ArnHash::of(&arn);
        self.add_hashed(arn, hash, rests_at, expires_at);
    }

    /// [`ActiveJobs::add`] of an ARN whose `hash` was computed before (by [`ArnHash::of`]:
    /// another gives a set that cannot find its entry).
    pub fn add_hashed(&mut self, arn: Arc<str>, hash: ArnHash, rests_at: f64, expires_at: f64) {
        let scope = scope_of(&arn);
        let s = match self.scopes.get_mut(scope) {
            Some(s) => s,
            None => self.scopes.entry(scope.into()).or_default(),
        };
        s.rests_by = s.rests_by.max(rests_at);
        s.expires_from = s.expires_from.min(expires_at);
        s.jobs.insert_hashed(hash, arn, rests_at);
        if expires_at < self.expires_from {
            self.expires_from = expires_at;
            self.expiry_due
                .store(expires_at.to_bits(), Ordering::Release);
        }
    }

    /// The scopes (job ARN prefixes) that may have a job to delete by lifecycle time `now`.
    pub fn expiring(&self, now: f64) -> Vec<Box<str>> {
        self.scopes
            .iter()
            .filter(|(_, s)| s.expires_from <= now)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Forgets a job whose record was deleted, keeping its scope.
    pub fn forget_expired(&mut self, arn: &str) {
        if let Some(s) = self.scopes.get_mut(scope_of(arn)) {
            s.forget(arn);
        }
    }

    /// Sets when the scope's oldest job left is deleted (infinite: it has none), and forgets
    /// the scope if it is then idle.
    pub fn set_expires_from(&mut self, scope: &str, expires_from: f64) {
        if let Some(s) = self.scopes.get_mut(scope) {
            s.expires_from = expires_from;
            if s.is_idle() {
                self.scopes.swap_remove(scope);
            }
        }
    }

    /// Publishes the earliest deletion due of every scope (after `set_expires_from`).
    pub fn publish_expiry(&mut self) {
        self.expires_from = self
            .scopes
            .values()
            .map(|s| s.expires_from)
            .fold(f64::INFINITY, f64::min);
        self.expiry_due
            .store(self.expires_from.to_bits(), Ordering::Release);
    }

    /// A job's new time to rest, if the set holds it (its start moved, or it was canceled).
    pub fn set_rests_at(&mut self, arn: &str, rests_at: f64) {
        let Some(s) = self.scopes.get_mut(scope_of(arn)) else {
            return;
        };
        if let Some(r) = s.jobs.get_mut(arn) {
            *r = rests_at;
            s.rests_by = s.rests_by.max(rests_at);
        }
    }

    /// Forgets a job that was removed.
    pub fn remove(&mut self, arn: &str) {
        let scope = scope_of(arn);
        let Some(s) = self.scopes.get_mut(scope) else {
            return;
        };
        s.forget(arn);
        if s.is_idle() {
            self.scopes.swap_remove(scope);
        }
    }

    /// The caller's unfinished jobs (and perhaps some finished since the last prune), in no
    /// particular order.
    pub fn iter_in<'s>(
        &'s self,
        ctx: &RequestContext,
        jobs: &'s Store<Job>,
    ) -> impl Iterator<Item = (&'s str, &'s Job)> + 's {
        let prefix = crate::model::arn(ctx, "jobs", "");
        self.iter_scope(&prefix, jobs)
    }

    /// The unfinished jobs (and perhaps some finished) of the scope whose job ARNs begin
    /// with `prefix`, in no particular order.
    pub fn iter_scope<'s>(
        &'s self,
        prefix: &str,
        jobs: &'s Store<Job>,
    ) -> impl Iterator<Item = (&'s str, &'s Job)> + 's {
        self.scopes
            .get(prefix)
            .into_iter()
            .flat_map(|s| s.jobs.keys())
            .filter_map(|arn| Some((&**arn, &jobs.get(arn)?.value)))
    }

    /// Drops jobs that have finished (or are gone), a step at a time: in `arn`'s scope once
    /// its set has doubled since its last prune ended, and in one other scope, round robin,
    /// once jobs added there since its last prune have come to rest. Amortized O(1) per
    /// submitted job, and never more than two steps at once.
    pub fn prune(&mut self, arn: &str, jobs: &Store<Job>, clock: &Clock) {
        let (now, settled) = (clock.lifecycle_now(), clock.settled_through());
        let look_up = |key: &str| {
            let j = &jobs.get(key)?.value;
            unfinished(j, clock).then(|| j.rests_at())
        };
        let own = self.scopes.get_index_of(scope_of(arn));
        let swept = (!self.scopes.is_empty()).then(|| self.sweep % self.scopes.len());
        self.sweep = swept.map_or(0, |at| at + 1);
        let other = swept.filter(|at| Some(*at) != own);
        for (at, by_time) in [(own, false), (other, true)] {
            let Some((_, s)) = at.and_then(|at| self.scopes.get_index_mut(at)) else {
                continue;
            };
            if s.pruning.is_some() || s.due(by_time, settled) {
                s.step(now, settled, look_up);
            }
        }
        // Forgotten only now, the higher index first, so that both stay valid (`None`
        // orders below any index).
        for at in [own.max(other), own.min(other)].into_iter().flatten() {
            if self.scopes.get_index(at).is_some_and(|(_, s)| s.is_idle()) {
                self.scopes.swap_remove_index(at);
            }
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

    /// An empty job store: every job a prune looks up is gone, and its entry dropped.
    /// Account 1's first `n` job IDs added, each resting at `rests_at(id)`, with a manual
    /// clock and an empty job store (every job a prune looks up is gone).
    fn account_one_jobs(n: u32, rests_at: impl Fn(u32) -> f64) -> (Clock, Store<Job>, ActiveJobs) {
        let mut a = ActiveJobs::default();
        for id in 0..n {
            a.add(arn("111111111111", id), rests_at(id), f64::INFINITY);
        }
        (Clock::new(service::Transitions::Manual), no_jobs(), a)
    }

    fn no_jobs() -> Store<Job> {
        Store::new("job")
    }

    #[test]
    fn scopes_are_kept_apart_and_removal_forgets_an_emptied_scope() {
        let mut a = ActiveJobs::default();
        a.add(arn("111111111111", 1), 5.0, f64::INFINITY);
        a.add(arn("111111111111", 2), 5.0, f64::INFINITY);
        a.add(arn("222222222222", 1), 5.0, f64::INFINITY);
        // Added again (a restored job's later record): still one entry.
        a.add(arn("111111111111", 1), 9.0, f64::INFINITY);
        assert_eq!(a.len(), 3);
        assert_eq!(a.scopes.len(), 2);
        a.remove(&arn("222222222222", 1));
        assert_eq!(a.scopes.len(), 1);
        a.remove(&arn("222222222222", 1));
        a.remove(&arn("111111111111", 1));
        assert_eq!(a.len(), 1);
        let left = &a.scopes.values().next().unwrap().jobs;
        assert_eq!(left.keys().collect::<Vec<_>>(), [&arn("111111111111", 2)]);
        assert_eq!(left.get(&arn("111111111111", 2)), Some(&5.0));
    }

    #[test]
    fn an_entry_added_with_its_hash_computed_before_is_found_as_any_other() {
        let mut a = ActiveJobs::default();
        let (one, two) = (arn("111111111111", 1), arn("111111111111", 2));
        a.add_hashed(one.clone(), ArnHash::of(&one), 5.0, f64::INFINITY);
        a.add(two.clone(), 5.0, f64::INFINITY);
        // Added again: updated in place.
        a.add_hashed(one.clone(), ArnHash::of(&one), 7.0, f64::INFINITY);
        a.set_rests_at(&two, 9.0);
        let s = a.scopes.values().next().unwrap();
        assert_eq!(s.jobs.get(&one), Some(&7.0));
        assert!(s.jobs.place_of(&two).is_some());
        assert_eq!(s.jobs.get(&two), Some(&9.0));
        a.remove(&one);
        assert_eq!(a.len(), 1);
        a.remove(&two);
        assert_eq!(a.len(), 0);
    }

    #[test]
    fn a_prune_looks_up_only_the_jobs_whose_time_to_rest_has_come() {
        let (clock, store, mut a) =
            account_one_jobs(2000, |id| if id % 2 == 0 { 10.0 } else { 0.0 });
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
            a.add(arn("111111111111", id), 20.0, f64::INFINITY);
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
    fn an_idle_scope_is_swept_once_its_jobs_have_come_to_rest() {
        let (clock, store, mut a) = account_one_jobs(2000, |_| 5.0);
        // Account 2 submits; account 1 does not any more.
        let mut id = 0;
        let mut submit = |a: &mut ActiveJobs| {
            let other = arn("222222222222", id);
            id += 1;
            a.add(other.clone(), 100.0, f64::INFINITY);
            a.prune(&other, &store, &clock);
        };
        for _ in 0..50 {
            submit(&mut a);
        }
        assert_eq!(a.len(), 2050, "nothing has come to rest yet");
        clock.advance(std::time::Duration::from_secs(5));
        // Every other prune sweeps account 1 (the other turn is account 2's own scope).
        for _ in 0..(2 * 2000 / PRUNE_STEP) {
            submit(&mut a);
        }
        assert_eq!(a.scopes.len(), 1, "account 1's emptied set is forgotten");
        assert_eq!(a.len(), 50 + 2 * 2000 / PRUNE_STEP);
        assert!(a.scopes.keys().all(|k| k.contains(":222222222222:")));
    }

    #[test]
    fn with_instant_transitions_a_kept_scope_is_swept_again_after_each_burst() {
        // Instant transitions settle everything at once (settled time infinite) while
        // lifecycle times stay finite: a sweep must not mark its scope as settled forever.
        let settled = f64::INFINITY;
        let mut s = ScopeJobs::default();
        // One job a paused queue holds (it rests when it was held, before) keeps the scope.
        let held = arn("111111111111", 0);
        let look_up = |key: &str| (*key == *held).then_some(-1.0);
        for burst in 0..3u32 {
            let now = f64::from(burst);
            for id in 0..100 {
                let a = arn("111111111111", burst * 100 + id);
                s.jobs.insert_hashed(ArnHash::of(&a), a, now + 5.0);
                s.rests_by = s.rests_by.max(now + 5.0);
            }
            assert!(s.due(true, settled), "burst {burst} is due for a sweep");
            while {
                s.step(now, settled, look_up);
                s.pruning.is_some()
            } {}
            assert_eq!(s.jobs.len(), 1, "only the held job is kept");
            assert!(!s.due(true, settled), "nothing was added since");
        }
    }

    #[test]
    fn a_sweep_walks_again_only_for_jobs_that_came_to_rest_since() {
        let mut s = ScopeJobs::default();
        for id in 0..100 {
            let a = arn("111111111111", id);
            s.jobs.insert_hashed(ArnHash::of(&a), a, 1.0);
            s.rests_by = 1.0;
        }
        assert!(s.due(true, 5.0));
        assert!(!s.due(false, 5.0), "not by size: fewer than PRUNE_AT_LEAST");
        // Every job is held (it rests when it was held, at 2.0): kept, none dropped.
        let held = |_: &str| Some(2.0);
        while {
            s.step(5.0, 5.0, held);
            s.pruning.is_some()
        } {}
        assert_eq!(s.jobs.len(), 100);
        assert!(
            !s.due(true, 6.0),
            "nothing came to rest since the sweep began"
        );
        // A job submitted later comes to rest after the sweep began: a sweep is due once it has.
        let late = arn("111111111111", 100);
        s.jobs.insert_hashed(ArnHash::of(&late), late, 7.0);
        s.rests_by = s.rests_by.max(7.0);
        assert!(!s.due(true, 6.5));
        assert!(s.due(true, 7.0));
    }

    #[test]
    fn a_removal_behind_a_running_prune_leaves_no_entry_unwalked() {
        let mut a = ActiveJobs::default();
        let arns: Vec<Arc<str>> = (0..1000).map(|id| arn("111111111111", id)).collect();
        for one in &arns {
            a.add(one.clone(), 5.0, f64::INFINITY);
        }
        let s = a.scopes.values_mut().next().unwrap();
        // A shard of at least four entries (three left after the first removal): the prune
        // has reached its third.
        let shard = (0..kit::SHARDS)
            .find(|&i| s.jobs.shards[i].len() >= 4)
            .unwrap();
        let in_shard =
            |s: &ScopeJobs, at: usize| s.jobs.shards[shard].get_index(at).unwrap().0.clone();
        let (first, last) = (in_shard(s, 0), in_shard(s, s.jobs.shards[shard].len() - 1));
        s.pruning = Some((shard, 2));
        // The shard's last entry moves into its first's place, behind where the prune has
        // reached: the prune goes back there.
        a.remove(&first);
        let s = a.scopes.values().next().unwrap();
        assert_eq!(s.pruning, Some((shard, 0)));
        assert_eq!(s.jobs.place_of(&last), Some((shard, 0)));
        // A removal in another shard, or ahead of the prune, leaves it where it is.
        let other = arns
            .iter()
            .find(|x| s.jobs.place_of(x).is_some_and(|p| p.0 != shard))
            .unwrap()
            .clone();
        a.remove(&other);
        let s = a.scopes.values_mut().next().unwrap();
        assert_eq!(s.pruning, Some((shard, 0)));
        s.pruning = Some((shard, 1));
        let ahead = in_shard(s, 2);
        a.remove(&ahead);
        assert_eq!(a.scopes.values().next().unwrap().pruning, Some((shard, 1)));
        // So does a removal at an index behind the prune's in any other shard, before or
        // after its own: the entry moved there is another shard's.
        let s = a.scopes.values().next().unwrap();
        let firsts: Vec<Arc<str>> = (0..kit::SHARDS)
            .filter(|&i| i != shard)
            .filter_map(|i| Some(s.jobs.shards[i].get_index(0)?.0.clone()))
            .collect();
        assert!(firsts.len() > kit::SHARDS / 2);
        for first in &firsts {
            a.remove(first);
            let s = a.scopes.values().next().unwrap();
            assert_eq!(s.pruning, Some((shard, 1)), "{first}");
        }
    }

    #[test]
    fn a_prune_step_walks_on_over_empty_shards() {
        // 20 entries: at least 44 of the 64 shards are empty, between and after them.
        let mut s = ScopeJobs::default();
        let arns: Vec<Arc<str>> = (0..20).map(|id| arn("111111111111", id)).collect();
        for one in &arns {
            s.jobs.insert_hashed(ArnHash::of(one), one.clone(), 0.0);
        }
        let looked = std::cell::RefCell::new(Vec::new());
        let look_up = |key: &str| {
            looked.borrow_mut().push(Arc::<str>::from(key));
            Some(0.0)
        };
        // Every time to rest has come: a step looks up `PRUNE_STEP` whatever shards lie
        // between them, and the next ends the walk with the rest.
        s.step(1.0, 1.0, look_up);
        assert_eq!(looked.borrow().len(), PRUNE_STEP);
        assert!(s.pruning.is_some());
        s.step(1.0, 1.0, look_up);
        assert_eq!(s.pruning, None);
        let (mut seen, mut all) = (looked.into_inner(), arns);
        seen.sort();
        all.sort();
        assert_eq!(seen, all, "each entry looked up once");
        assert_eq!(s.jobs.len(), 20);
    }

    #[test]
    fn a_prune_walks_every_shard_and_drops_every_finished_job() {
        let (clock, store, mut a) = account_one_jobs(5000, |_| 0.0);
        let s = a.scopes.values().next().unwrap();
        assert!(
            s.jobs.shards.iter().all(|m| !m.is_empty()),
            "every shard used"
        );
        let one = arn("111111111111", 0);
        while {
            a.prune(&one, &store, &clock);
            a.scopes
                .values()
                .next()
                .is_some_and(|s| s.pruning.is_some())
        } {}
        // None of them is stored: every entry was looked up and dropped, in every shard.
        assert_eq!(a.len(), 0);
    }
}
