//! The jobs and the indexes that follow them, kept under a lock of their own: CreateJob
//! writes only here, so the reads every request makes of queues, presets, templates and the
//! input policy (authorization's included) never wait while a job is stored.
//!
//! Lock order: MediaConvert's `state` before `jobs`, and `jobs` before `request_tokens`,
//! whenever a request holds more than one.

use crate::active_jobs::ActiveJobs;
use crate::job_run::{HELD, QUEUED};
use crate::model::{Job, WireDocument};
use crate::queue_schedule::{self, QueueSchedule, Waiting};
use crate::request_tokens::{self, RequestTokens};
use kit::{Phase, Store};
use service::{Clock, Record, RequestContext, Transitions};
use std::collections::{HashMap, HashSet};

/// Every job and the ones that may be unfinished.
pub(crate) struct JobTable {
    /// Boxed: a store slot then costs a pointer, not a whole job (hash tables keep spare slots).
    pub store: Store<Box<Job>>,
    /// The jobs that may be unfinished (what queues count and pause).
    pub active: ActiveJobs,
    /// The settings text of the job stored last: a test suite or a pipeline submits the same
    /// settings again and again, and each such job then keeps one shared text, not a copy.
    last_settings: WireDocument,
    /// Each queue with a capacity (by ARN): its slots and waiting jobs, to place a new job
    /// in O(log capacity) (see `queue_schedule`).
    schedules: HashMap<Box<str>, QueueSchedule>,
    /// Queues whose schedule a restore has made stale: built again from their jobs when
    /// next used.
    unscheduled: HashSet<Box<str>>,
}

/// The capacity a queue's jobs see: with instant transitions every job has finished when it
/// is observed, so none ever waits for a slot.
fn effective(clock: &Clock, capacity: Option<usize>) -> Option<usize> {
    capacity.filter(|_| clock.mode() != Transitions::Instant)
}

impl JobTable {
    /// No jobs.
    pub fn new() -> Self {
        JobTable {
            store: Store::new("job"),
            active: ActiveJobs::default(),
            last_settings: WireDocument::default(),
            schedules: HashMap::new(),
            unscheduled: HashSet::new(),
        }
    }

    /// Places a job about to be stored (submitted, not held) in its queue of `capacity`:
    /// behind the jobs waiting there if it outranks none of them, in O(log capacity), its
    /// SUBMITTED phase then lasting until a slot is its. Returns whether the queue's jobs must
    /// be placed again once it is stored ([`JobTable::reschedule`]): it outranks a waiting
    /// job, or the queue's schedule is stale.
    pub fn place(
        &mut self,
        queue: &str,
        capacity: Option<usize>,
        job: &mut Job,
        clock: &Clock,
    ) -> bool {
        if job.phase.state == HELD {
            return false;
        }
        let Some(capacity) = effective(clock, capacity) else {
            if !self.schedules.is_empty() {
                self.schedules.remove(queue);
            }
            return false;
        };
        if !self.unscheduled.is_empty() && self.unscheduled.contains(queue) {
            return true;
        }
        let schedule = match self.schedules.get_mut(queue) {
            Some(s) => s,
            None => self
                .schedules
                .entry(queue.into())
                .or_insert_with(|| QueueSchedule::new(capacity, QUEUED.as_secs_f64())),
        };
        if schedule.capacity != capacity {
            return true;
        }
        match schedule.append(job.anchor_lifecycle, job.priority, job.run_seconds()) {
            Some(since) => {
                job.phase.since = since;
                false
            }
            None => true,
        }
    }

    /// Places the jobs of queue `arn` (of `capacity`) that no slot has been chosen for again,
    /// in order, from the clock's time on (`release`: its held jobs too, as arriving now;
    /// `arriving`: a job just stored that [`JobTable::place`] did not place), and rebuilds
    /// its schedule: after a job that outranks waiting ones, a cancel, a pause or resume, a
    /// capacity change, or a restore. Journals each job whose phase changed and keeps its
    /// time to rest in the unfinished set. O(the scope's unfinished jobs).
    pub fn reschedule(
        &mut self,
        ctx: &RequestContext,
        clock: &Clock,
        arn: &str,
        capacity: Option<usize>,
        release: bool,
        arriving: Option<&str>,
    ) {
        self.unscheduled.remove(arn);
        let Some(capacity) = effective(clock, capacity) else {
            self.schedules.remove(arn);
            if release {
                self.change_queue_jobs(ctx, arn, |j| j.release(clock));
            }
            return;
        };
        let now = clock.lifecycle_now();
        let mut committed = Vec::new();
        // (ARN, submitted, held, previous selection time) of each job to place.
        let mut placing: Vec<(String, f64, bool, f64)> = Vec::new();
        let mut waiting = Vec::new();
        for (key, j) in self.active.iter_in(ctx, &self.store) {
            if j.queue != arn {
                continue;
            }
            let held = match j.current(clock).state.as_str() {
                "PROGRESSING" => {
                    committed.push(j.rests_at());
                    continue;
                }
                // Given a free slot on arrival: it keeps it (AWS starts such a job at once;
                // its SUBMITTED step is the lifecycle's). A job chosen for a slot that was
                // still busy is placed again: the slot may have freed early (a cancel), and
                // it starts when one is free.
                "SUBMITTED"
                    if j.phase.since <= now
                        && j.phase.since <= j.anchor_lifecycle
                        && arriving != Some(key) =>
                {
                    committed.push(j.rests_at());
                    continue;
                }
                "SUBMITTED" => false,
                HELD if release => true,
                _ => continue,
            };
            placing.push((key.to_string(), j.created_at, held, j.phase.since));
            waiting.push(Waiting {
                arrival: if held { now } else { j.anchor_lifecycle },
                priority: j.priority,
                run: j.run_seconds(),
            });
        }
        // Submission order (ties of priority go to the first submitted).
        let mut order: Vec<usize> = (0..placing.len()).collect();
        order.sort_by(|a, b| {
            let (a, b) = (&placing[*a], &placing[*b]);
            a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0))
        });
        let waiting: Vec<Waiting> = order.iter().map(|i| waiting[*i]).collect();
        let (schedule, since) =
            queue_schedule::simulate(capacity, QUEUED.as_secs_f64(), now, committed, &waiting);
        self.schedules.insert(arn.into(), schedule);
        // Journaled in ARN order.
        let mut changes: Vec<(&str, bool, f64)> = order
            .iter()
            .zip(since)
            .filter(|(i, s)| placing[**i].2 || placing[**i].3 != *s)
            .map(|(i, s)| (placing[*i].0.as_str(), placing[*i].2, s))
            .collect();
        changes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let wall = clock.now();
        for (job_arn, held, since) in changes {
            let rests_at: Option<Result<f64, ()>> = self.store.update(ctx, job_arn, |j| {
                let j = &mut j.value;
                if held {
                    j.anchor_wall = wall;
                    j.anchor_lifecycle = now;
                }
                j.phase = Phase {
                    state: "SUBMITTED".into(),
                    since,
                };
                Ok(j.rests_at())
            });
            if let Some(Ok(rests_at)) = rests_at {
                self.active.set_rests_at(job_arn, rests_at);
            }
        }
    }

    /// Applies `change` to each unfinished job of queue `arn`, journaling those it changed
    /// (it returns whether it did), in ARN order.
    fn change_queue_jobs(
        &mut self,
        ctx: &RequestContext,
        arn: &str,
        mut change: impl FnMut(&mut Job) -> bool,
    ) {
        let mut ids: Vec<String> = self
            .active
            .iter_in(ctx, &self.store)
            .filter(|(_, j)| j.queue == arn)
            .map(|(a, _)| a.to_string())
            .collect();
        // Journaled in ARN order, whatever order the set keeps.
        ids.sort_unstable();
        for job_arn in ids {
            let _: Option<Result<(), ()>> = self.store.update(ctx, &job_arn, |j| {
                if change(&mut j.value) {
                    Ok(())
                } else {
                    Err(())
                }
            });
        }
    }

    /// Forgets the schedule of a queue deleted.
    pub fn forget_queue(&mut self, arn: &str) {
        self.schedules.remove(arn);
        self.unscheduled.remove(arn);
    }

    /// Makes `settings` the text of the job stored last, if they are equal (see
    /// [`WireDocument::share_with`]).
    pub fn share(&mut self, settings: &mut WireDocument) {
        settings.share_with(&mut self.last_settings);
    }

    /// The caller's job stored under `key` (a token slot's), with its ARN, if it carries
    /// `token`: a slot may be another token's that hashed alike.
    pub fn with_token<'t>(
        &'t self,
        ctx: &RequestContext,
        key: &'t str,
        token: &str,
    ) -> Option<(&'t str, &'t Job)> {
        let j = self.store.get_in(ctx, key)?;
        (j.value.client_request_token.as_deref() == Some(token)).then_some((key, &*j.value))
    }

    /// SUBMITTED and PROGRESSING job counts of the caller's queues (one pass over the
    /// unfinished jobs).
    pub fn counts(&self, ctx: &RequestContext, clock: &Clock) -> HashMap<String, (i64, i64)> {
        let mut counts: HashMap<String, (i64, i64)> = HashMap::new();
        for (_, j) in self.active.iter_in(ctx, &self.store) {
            let c = counts.entry(j.queue.clone()).or_default();
            match j.progress(clock).status.as_str() {
                "SUBMITTED" => c.0 += 1,
                "PROGRESSING" => c.1 += 1,
                _ => {}
            }
        }
        counts
    }

    /// Whether the queue `arn` has SUBMITTED or PROGRESSING jobs.
    pub fn queue_busy(&self, ctx: &RequestContext, clock: &Clock, arn: &str) -> bool {
        self.active.iter_in(ctx, &self.store).any(|(_, j)| {
            j.queue == arn
                && matches!(
                    j.progress(clock).status.as_str(),
                    "SUBMITTED" | "PROGRESSING"
                )
        })
    }

    /// Holds or releases the unfinished jobs of queue `arn` (of `capacity`); journals the jobs
    /// that changed. Released jobs wait for the queue's slots as if submitted now.
    pub fn set_queue_paused(
        &mut self,
        ctx: &RequestContext,
        clock: &Clock,
        arn: &str,
        paused: bool,
        capacity: Option<usize>,
    ) {
        if paused {
            self.change_queue_jobs(ctx, arn, |j| j.hold(clock));
        }
        // Paused: the slots of the jobs it holds are free again (held jobs have none).
        self.reschedule(ctx, clock, arn, capacity, !paused, None);
    }

    /// Replays one journaled job (an older one's settings rendered): it joins the unfinished
    /// set (a superset, pruned later), and its `ClientRequestToken` still answers with it for
    /// the rest of its minute, after a restart as before.
    pub fn restore(
        &mut self,
        tokens: &mut RequestTokens,
        record: &Record,
        now: f64,
    ) -> Result<(), String> {
        // Journals before `wire_settings` hold a job's settings by member name: rendered now.
        self.store.restore_with(record, |mut stored| {
            if let Some(older) = stored.value.older_settings.take() {
                let r = crate::job_wire::renderers()
                    .ok_or("MediaConvert's model has no Job settings to render")?;
                stored.value.settings = WireDocument::new(r.settings.render(&older.value()));
            }
            if stored.value.settings.as_bytes().is_empty() {
                return Err("a job without settings".to_string());
            }
            stored.value.settings.share_with(&mut self.last_settings);
            Ok(stored)
        })?;
        let Some(key) = self.store.key(&record.key) else {
            self.active.remove(&record.key);
            // A job gone from some queue: every schedule is built again when next used.
            for (queue, _) in self.schedules.drain() {
                self.unscheduled.insert(queue);
            }
            return Ok(());
        };
        let Some(job) = self.store.get(&key).map(|j| &j.value) else {
            return Ok(());
        };
        // Its queue's schedule is built again, from the restored jobs, when next used.
        self.schedules.remove(job.queue.as_str());
        if !self.unscheduled.contains(job.queue.as_str()) {
            self.unscheduled.insert(job.queue.as_str().into());
        }
        self.active.add(key.clone(), job.rests_at());
        let recent = now - job.created_at < request_tokens::WINDOW_SECONDS;
        if let (true, Some(token), Some((region, account))) =
            (recent, &job.client_request_token, kit::arn_scope(&key))
        {
            tokens.insert(account, region, token, key.clone(), job.created_at);
        }
        Ok(())
    }
}
