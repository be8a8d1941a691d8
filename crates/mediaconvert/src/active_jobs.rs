//! The jobs that may still be SUBMITTED or PROGRESSING (held ones included): what a queue's
//! job counts, its pause and resume, and its deletion look at, so those cost O(unfinished
//! jobs) rather than O(every job kept). A finished job never runs again, so the set may hold
//! finished ones (it is a superset) until a prune drops them.

use crate::job_run::HELD;
use crate::model::{self, Job};
use kit::Store;
use service::{Clock, RequestContext};
use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::sync::Arc;

/// Below this many entries a prune is not worth its walk.
const PRUNE_AT_LEAST: usize = 1024;

/// Entries a prune looks at per job submitted: the walk is spread over the submissions that
/// follow, under the job table's write lock, instead of stopping every request for the whole
/// walk (138 ms at 131,072 unfinished jobs).
const PRUNE_STEP: usize = 16;

/// Job ARNs that may be unfinished, in ARN order (so one account and region is a range).
#[derive(Debug, Default)]
pub struct ActiveJobs {
    arns: BTreeSet<Arc<str>>,
    /// The size at which the next prune starts: twice what the last one kept, so each job is
    /// looked at a bounded number of times on average.
    prune_at: usize,
    /// Where the running prune has reached, if one is running.
    pruning: Option<Arc<str>>,
}

/// Whether the job can still change status on its own or by its queue.
pub fn unfinished(job: &Job, clock: &Clock) -> bool {
    matches!(
        job.current(clock).state.as_str(),
        "SUBMITTED" | "PROGRESSING" | HELD
    )
}

impl ActiveJobs {
    /// Adds a job that was just submitted or restored (its key shared with the store's).
    pub fn add(&mut self, arn: Arc<str>) {
        self.arns.insert(arn);
    }

    /// Forgets a job that was removed.
    pub fn remove(&mut self, arn: &str) {
        self.arns.remove(arn);
    }

    /// The caller's unfinished jobs (and perhaps some finished since the last prune).
    pub fn iter_in<'s>(
        &'s self,
        ctx: &RequestContext,
        jobs: &'s Store<Box<Job>>,
    ) -> impl Iterator<Item = (&'s str, &'s Job)> + 's {
        let prefix = model::arn(ctx, "jobs", "");
        self.arns
            .range::<str, _>((Included(prefix.as_str()), Unbounded))
            .take_while(move |arn| arn.starts_with(&prefix))
            .filter_map(|arn| Some((&**arn, &*jobs.get(arn)?.value)))
    }

    /// Drops the jobs that have finished (or are gone), walking `PRUNE_STEP` entries per
    /// call once the set has doubled since the last prune ended: amortized O(1) per
    /// submitted job, and never more than a step at once.
    pub fn prune(&mut self, jobs: &Store<Box<Job>>, clock: &Clock) {
        let start = match &self.pruning {
            Some(reached) => Excluded(&**reached),
            None if self.arns.len() >= self.prune_at.max(PRUNE_AT_LEAST) => Unbounded,
            None => return,
        };
        let step: Vec<Arc<str>> = self
            .arns
            .range::<str, _>((start, Unbounded))
            .take(PRUNE_STEP)
            .cloned()
            .collect();
        for arn in &step {
            if !jobs.get(arn).is_some_and(|j| unfinished(&j.value, clock)) {
                self.arns.remove(arn);
            }
        }
        self.pruning = step.last().filter(|_| step.len() == PRUNE_STEP).cloned();
        if self.pruning.is_none() {
            self.prune_at = 2 * self.arns.len();
        }
    }

    /// How many it holds (finished ones not yet pruned included).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.arns.len()
    }
}
