//! The jobs and the indexes that follow them, kept under a lock of their own: CreateJob
//! writes only here, so the reads every request makes of queues, presets, templates and the
//! input policy (authorization's included) never wait while a job is stored.
//!
//! Queue hops are planned when a queue's jobs are placed (a job no slot is chosen for by the
//! end of its wait) and made when due, before the next request looks at anything
//! (`JobTable::settle_hops`), each as of its own time.
//!
//! Lock order: MediaConvert's `state` before `jobs`, and `jobs` before `request_tokens`,
//! whenever a request holds more than one.

use crate::active_jobs::ActiveJobs;
use crate::job_run::{HELD, QUEUED};
use crate::model::{Job, Queue, QueueTransition, SharedText, WireDocument, UNPLACED};
use crate::queue_schedule::{self, Placed, QueueSchedule, Time, Waiting};
use crate::request_tokens::{self, RequestTokens};
use indexmap::IndexMap;
use kit::{Phase, Store};
use service::{Clock, Journal, Record, RequestContext, Transitions};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Every job and the ones that may be unfinished.
pub(crate) struct JobTable {
    /// Each job kept with its tags in one allocation (see `Job`).
    pub store: Store<Job>,
    /// The jobs that may be unfinished (what queues count and pause).
    pub active: ActiveJobs,
    /// The settings text of the job stored last: a test suite or a pipeline submits the same
    /// settings again and again, and each such job then keeps one shared text, not a copy.
    last_settings: WireDocument,
    /// Each queue with a capacity (by ARN): its slots and waiting jobs, to place a new job
    /// in O(log capacity) (see `queue_schedule`). In no order (a removal moves the last
    /// entry into its place).
    schedules: IndexMap<Box<str>, QueueSchedule>,
    /// Where in `schedules` the queue a job was last placed in was (perhaps moved since):
    /// jobs submitted one after another to one queue find its schedule by comparing its ARN
    /// there instead of hashing it (SipHash of some 60 bytes, under the table's write lock).
    last_schedule: usize,
    /// Queues whose schedule a restore has made stale: built again from their jobs when
    /// next used.
    unscheduled: HashSet<Box<str>>,
    /// The hops planned (when, job ARN), earliest first; an entry whose job has since
    /// changed (started, held, canceled, placed again) is stale and skipped.
    hops: BinaryHeap<Reverse<(Time, String)>>,
    /// When the earliest planned hop is due (`f64` bits; infinite if none): shared with the
    /// service, which checks it before each request without taking a lock.
    hop_due: Arc<AtomicU64>,
}

/// The capacity a queue's jobs see: with instant transitions every job has finished when it
/// is observed, so none ever waits for a slot.
fn effective(clock: &Clock, capacity: Option<usize>) -> Option<usize> {
    capacity.filter(|_| clock.mode() != Transitions::Instant)
}

impl JobTable {
    /// No jobs; `hop_due` is where it publishes when the next hop is due, `expiry_due` when
    /// the next job record is deleted.
    pub fn new(hop_due: Arc<AtomicU64>, expiry_due: Arc<AtomicU64>) -> Self {
        hop_due.store(f64::INFINITY.to_bits(), Ordering::Release);
        JobTable {
            store: Store::new("job"),
            active: ActiveJobs::new(expiry_due),
            last_settings: WireDocument::default(),
            schedules: IndexMap::new(),
            last_schedule: 0,
            unscheduled: HashSet::new(),
            hops: BinaryHeap::new(),
            hop_due,
        }
    }

    /// Publishes when the earliest planned hop is due.
    fn publish_hops(&self) {
        let due = self
            .hops
            .peek()
            .map_or(f64::INFINITY, |Reverse((t, _))| t.0);
        self.hop_due.store(due.to_bits(), Ordering::Release);
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
                self.schedules.swap_remove(queue);
            }
            return false;
        };
        if !self.unscheduled.is_empty() && self.unscheduled.contains(queue) {
            return true;
        }
        let hinted = self
            .schedules
            .get_index(self.last_schedule)
            .is_some_and(|(k, _)| **k == *queue);
        if !hinted {
            self.last_schedule = match self.schedules.get_index_of(queue) {
                Some(at) => at,
                None => {
                    let schedule = QueueSchedule::new(capacity, QUEUED.as_secs_f64());
                    self.schedules.insert_full(queue.into(), schedule).0
                }
            };
        }
        let Some((_, schedule)) = self.schedules.get_index_mut(self.last_schedule) else {
            // (Not reached: the index was just found or made.) Placed again once stored.
            return true;
        };
        if schedule.capacity != capacity {
            return true;
        }
        // A job the queue selects by the end of its wait never hops and is appended as any
        // other; one that may hop is placed with the queue's waiting jobs (only jobs with
        // `HopDestinations` in a backlogged queue pay for that walk).
        if job.hopping.is_some()
            && schedule.selection(job.anchor_lifecycle) > job.leaves(job.anchor_lifecycle)
        {
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
        let at = clock.lifecycle_now();
        let scope = crate::model::arn(ctx, "jobs", "");
        self.reschedule_at(
            &ctx.journal,
            &scope,
            clock,
            at,
            arn,
            capacity,
            release,
            arriving,
        );
    }

    /// [`JobTable::reschedule`] as of lifecycle time `now` (a hop places its job in its new
    /// queue as of when it hopped), for the jobs of `scope` (their ARN prefix).
    #[allow(clippy::too_many_arguments)]
    fn reschedule_at(
        &mut self,
        journal: &Journal,
        scope: &str,
        clock: &Clock,
        now: f64,
        arn: &str,
        capacity: Option<usize>,
        release: bool,
        arriving: Option<&str>,
    ) {
        self.unscheduled.remove(arn);
        let Some(capacity) = effective(clock, capacity) else {
            self.schedules.swap_remove(arn);
            if release {
                self.change_queue_jobs(journal, scope, arn, |j| j.release(clock));
            }
            return;
        };
        let mut committed = Vec::new();
        // Each job to place: its ARN, when submitted, whether held, and where it was placed
        // (its selection time, or when it was to hop).
        let mut placing: Vec<(String, f64, bool, f64, Option<f64>)> = Vec::new();
        let mut waiting = Vec::new();
        for (key, j) in self.active.iter_scope(scope, &self.store) {
            if j.queue_now() != arn {
                continue;
            }
            let held = match j.phase_at(now).state.as_str() {
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
            let leaves = j.hopping.as_ref().and_then(|h| h.leaves);
            placing.push((key.to_string(), j.created_at, held, j.phase.since, leaves));
            waiting.push(Waiting {
                arrival: if held { now } else { j.anchor_lifecycle },
                priority: j.priority_now(),
                run: j.run_seconds(),
                leaves: j.leaves(now),
            });
        }
        // Submission order (ties of priority go to the first submitted).
        let mut order: Vec<usize> = (0..placing.len()).collect();
        order.sort_by(|a, b| {
            let (a, b) = (&placing[*a], &placing[*b]);
            a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0))
        });
        let waiting: Vec<Waiting> = order.iter().map(|i| waiting[*i]).collect();
        let (schedule, placed) =
            queue_schedule::simulate(capacity, QUEUED.as_secs_f64(), now, committed, &waiting);
        self.schedules.insert(arn.into(), schedule);
        // (ARN, held, new `since`, when it hops), journaled in ARN order.
        let mut changes: Vec<(&str, bool, f64, Option<f64>)> = order
            .iter()
            .zip(placed)
            .map(|(i, p)| {
                let (since, hops) = match p {
                    Placed::Selected(since) => (since, None),
                    Placed::Hops(at) => (UNPLACED, Some(at)),
                };
                (&placing[*i], since, hops)
            })
            .filter(|(p, since, hops)| p.2 || p.3 != *since || p.4 != *hops)
            .map(|(p, since, hops)| (p.0.as_str(), p.2, since, hops))
            .collect();
        changes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut planned = Vec::new();
        for (job_arn, held, since, hops) in changes {
            let changed = update_job(&mut self.store, &mut self.active, journal, job_arn, |j| {
                if held {
                    j.reanchor(now);
                }
                j.phase = Phase {
                    state: "SUBMITTED".into(),
                    since,
                };
                if let Some(h) = &mut j.hopping {
                    h.leaves = hops;
                }
            });
            if let (true, Some(at)) = (changed, hops) {
                planned.push(Reverse((Time(at), job_arn.to_string())));
            }
        }
        if !planned.is_empty() {
            self.hops.extend(planned);
            self.publish_hops();
        }
    }

    /// Makes every hop due by the clock's time, earliest first, each as of when it is due:
    /// the job moves to its destination queue (held there if it is paused) with the
    /// destination's priority if one is given, the hop recorded, and that queue's waiting
    /// jobs are placed again as of then. A destination deleted since is skipped: the job
    /// waits on where it is. `queues`: every account's queues.
    pub fn settle_hops(&mut self, journal: &Journal, queues: &Store<Queue>, clock: &Clock) {
        let now = clock.lifecycle_now();
        while let Some(Reverse((Time(at), _))) = self.hops.peek() {
            if *at > now {
                break;
            }
            let at = *at;
            let Some(Reverse((_, key))) = self.hops.pop() else {
                break;
            };
            self.hop(journal, queues, clock, &key, at);
        }
        self.publish_hops();
    }

    /// One planned hop of job `key` at `at`, unless it is stale.
    fn hop(&mut self, journal: &Journal, queues: &Store<Queue>, clock: &Clock, key: &str, at: f64) {
        let Some(j) = self.store.get(key).map(|s| &s.value) else {
            return;
        };
        let Some(h) = j.hopping.as_deref() else {
            return;
        };
        let due =
            (j.phase.state == "SUBMITTED" && j.phase.since == UNPLACED && h.leaves == Some(at))
                .then(|| h.next(&j.queue))
                .flatten();
        let Some((target, _)) = due else {
            return;
        };
        let (source, target) = (j.queue_now().to_string(), target.clone());
        // Where the lifecycle clock puts the hop (not clamped to now as `Timing` is: with the
        // manual clock ahead of real time, the record then still says when it hopped).
        let wall = j.wall_at(at);
        // The ARN prefix of the jobs of its account and region (`…:jobs/`).
        let scope = crate::active_jobs::scope_of(key);
        let destination = queues.get(&target.queue).map(|q| {
            let reserved = q.value.reservation.is_some();
            (
                q.value.holds_jobs(clock.now()),
                q.value.capacity(),
                reserved,
            )
        });
        let Some((paused, capacity, reserved)) = destination else {
            // Deleted since it was submitted: it stays, and competes for its queue's slots
            // again as of then.
            let capacity = queues.get(&source).and_then(|q| q.value.capacity());
            update_job(&mut self.store, &mut self.active, journal, key, |j| {
                if let Some(h) = &mut j.hopping {
                    h.taken += 1;
                    h.leaves = None;
                }
            });
            self.reschedule_at(
                journal,
                scope,
                clock,
                at,
                &source,
                capacity,
                false,
                Some(key),
            );
            return;
        };
        update_job(&mut self.store, &mut self.active, journal, key, |j| {
            if let Some(h) = &mut j.hopping {
                h.transitions.push(QueueTransition {
                    source,
                    destination: target.queue.clone(),
                    timestamp: wall,
                });
                h.taken += 1;
                h.entered = at;
                h.leaves = None;
                if let Some(p) = target.priority {
                    h.priority = p;
                }
                if h.accelerable {
                    j.unaccelerated = reserved;
                }
            }
            // It arrives in the destination now.
            j.reanchor(at);
            j.phase = Phase {
                state: if paused { HELD } else { "SUBMITTED" }.into(),
                since: at,
            };
        });
        if !paused {
            self.reschedule_at(
                journal,
                scope,
                clock,
                at,
                &target.queue,
                capacity,
                false,
                Some(key),
            );
        }
    }

    /// Applies `change` to each unfinished job of queue `arn`, journaling those it changed
    /// (it returns whether it did), in ARN order.
    fn change_queue_jobs(
        &mut self,
        journal: &Journal,
        scope: &str,
        arn: &str,
        mut change: impl FnMut(&mut Job) -> bool,
    ) {
        let mut ids: Vec<String> = self
            .active
            .iter_scope(scope, &self.store)
            .filter(|(_, j)| j.queue_now() == arn)
            .map(|(a, _)| a.to_string())
            .collect();
        // Journaled in ARN order, whatever order the set keeps.
        ids.sort_unstable();
        for job_arn in ids {
            let Some(mut copy) = self.store.get(&job_arn).cloned() else {
                continue;
            };
            if change(&mut copy.value) {
                self.store.put(journal, &job_arn, copy);
            }
        }
    }

    /// Deletes every job record that has reached its time (`Job::expires_at`) by the clock's
    /// lifecycle time, journaling each deletion, in the scopes where one may have: a scope's
    /// jobs are walked oldest first (job IDs begin with their submission time) up to the
    /// first one still kept and the others of its millisecond. An unfinished job deleted
    /// (one held that long) leaves its queue to be placed again. O(jobs deleted + scopes).
    pub fn expire(&mut self, journal: &Journal, clock: &Clock) {
        let now = clock.lifecycle_now();
        for scope in self.active.expiring(now) {
            let mut gone = Vec::new();
            let mut next = f64::INFINITY;
            if let Some((region, account)) = kit::arn_scope(&scope) {
                let owner = service::Principal::root(account, "");
                let ctx = RequestContext::new("", Arc::new(owner), region);
                // The millisecond of the first job kept: jobs submitted in the same one are
                // in no order among themselves (their IDs end in random characters).
                let mut kept_from: Option<&str> = None;
                for (arn, j) in self.store.iter_in(&ctx) {
                    let ms = submitted_ms(&j.value.id);
                    if kept_from.is_some_and(|k| k != ms) {
                        break;
                    }
                    let at = j.value.expires_at(clock);
                    if at > now {
                        next = next.min(at);
                        kept_from.get_or_insert(ms);
                    } else {
                        gone.push(arn.to_string());
                    }
                }
            }
            for arn in gone {
                if let Some(j) = self.store.remove(journal, &arn) {
                    if crate::active_jobs::unfinished(&j.value, clock) {
                        let queue = j.value.queue_now();
                        self.schedules.swap_remove(queue);
                        self.unscheduled.insert(queue.into());
                    }
                }
                self.active.forget_expired(&arn);
            }
            self.active.set_expires_from(&scope, next);
        }
        self.active.publish_expiry();
    }

    /// Forgets the schedule of a queue deleted.
    pub fn forget_queue(&mut self, arn: &str) {
        self.schedules.swap_remove(arn);
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
        (j.value.client_request_token.as_deref() == Some(token)).then_some((key, &j.value))
    }

    /// SUBMITTED and PROGRESSING job counts of the caller's queues (one pass over the
    /// unfinished jobs).
    pub fn counts(&self, ctx: &RequestContext, clock: &Clock) -> HashMap<String, (i64, i64)> {
        let mut counts: HashMap<String, (i64, i64)> = HashMap::new();
        for (_, j) in self.active.iter_in(ctx, &self.store) {
            let c = counts.entry(j.queue_now().to_string()).or_default();
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
            j.queue_now() == arn
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
            let scope = crate::model::arn(ctx, "jobs", "");
            self.change_queue_jobs(&ctx.journal, &scope, arn, |j| j.hold(clock));
        }
        // Paused: the slots of the jobs it holds are free again (held jobs have none).
        self.reschedule(ctx, clock, arn, capacity, !paused, None);
    }

    /// Holds the jobs waiting in queue `arn` (of `capacity`) of `scope` (their ARN prefix),
    /// whose plan has just expired, as a pause holds them; journals the jobs that changed.
    pub fn hold_queue_jobs(
        &mut self,
        journal: &Journal,
        scope: &str,
        clock: &Clock,
        arn: &str,
        capacity: Option<usize>,
    ) {
        self.change_queue_jobs(journal, scope, arn, |j| j.hold(clock));
        let now = clock.lifecycle_now();
        self.reschedule_at(journal, scope, clock, now, arn, capacity, false, None);
    }

    /// Replays one journaled job (an older one's settings rendered): it joins the unfinished
    /// set (a superset, pruned later), and its `ClientRequestToken` still answers with it for
    /// the rest of its minute, after a restart as before. Its queue's ARN is the key of
    /// `queues` when the queue is restored already, as a submitted job's is.
    pub fn restore(
        &mut self,
        tokens: &mut RequestTokens,
        record: &Record,
        clock: &Clock,
        queues: &Store<Queue>,
    ) -> Result<(), String> {
        let now = clock.now();
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
            if let Some(key) = queues.key(&stored.value.queue) {
                stored.value.queue = SharedText::new(key);
            }
            Ok(stored)
        })?;
        let Some(key) = self.store.key(&record.key) else {
            self.active.remove(&record.key);
            // A job gone from some queue: every schedule is built again when next used.
            for (queue, _) in self.schedules.drain(..) {
                self.unscheduled.insert(queue);
            }
            return Ok(());
        };
        let Some(job) = self.store.get(&key).map(|j| &j.value) else {
            return Ok(());
        };
        // Its queue's schedule is built again, from the restored jobs, when next used.
        let queue = job.queue_now();
        self.schedules.swap_remove(queue);
        if !self.unscheduled.contains(queue) {
            self.unscheduled.insert(queue.into());
        }
        // A hop it was to make is made when due, as before the restart.
        if let Some(at) = job.hopping.as_ref().and_then(|h| h.leaves) {
            if job.phase.state == "SUBMITTED" && job.phase.since == UNPLACED {
                self.hops.push(Reverse((Time(at), key.to_string())));
                self.publish_hops();
            }
        }
        self.active
            .add(key.clone(), job.rests_at(), job.expires_at(clock));
        let recent = now - job.created_at < request_tokens::WINDOW_SECONDS;
        if let (true, Some(token), Some((region, account))) =
            (recent, &job.client_request_token, kit::arn_scope(&key))
        {
            tokens.insert(account, region, token, key.clone(), job.created_at);
        }
        Ok(())
    }
}

/// The submission millisecond a job ID begins with (`1515368087458` of
/// `1515368087458-qnoxtd`).
fn submitted_ms(id: &str) -> &str {
    id.split_once('-').map_or(id, |(ms, _)| ms)
}

/// Applies `change` to the stored job `arn` (any account's), journals it and keeps its time
/// to rest in the unfinished set; whether the job was there.
fn update_job(
    store: &mut Store<Job>,
    active: &mut ActiveJobs,
    journal: &Journal,
    arn: &str,
    change: impl FnOnce(&mut Job),
) -> bool {
    let Some(mut copy) = store.get(arn).cloned() else {
        return false;
    };
    change(&mut copy.value);
    let rests_at = copy.value.rests_at();
    store.put(journal, arn, copy);
    active.set_rests_at(arn, rests_at);
    true
}
