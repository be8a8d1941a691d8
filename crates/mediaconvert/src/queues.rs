//! Queues: CreateQueue, GetQueue, ListQueues, UpdateQueue, DeleteQueue. Every account and
//! region has the `Default` queue (type SYSTEM, undeletable), created on first use; a PAUSED
//! queue holds the jobs it has not started.

use crate::job_run::timestamp_unix;
use crate::job_table::JobTable;
use crate::model::{self, bad_request, conflict, not_found, Queue, Reservation, DEFAULT_QUEUE};
use crate::paging::{self, Order};
use crate::queue_schedule::Time;
use crate::quotas;
use crate::{MediaConvert, State};
use kit::input::{opt_i64, opt_str, req_str};
use kit::{Stored, TagRules};
use serde_json::{json, Map, Value};
use service::{Clock, Member, RequestContext, ServiceError};
use std::cmp::Reverse;
use std::sync::atomic::Ordering;

/// MediaConvert's tag rules; a key with the reserved prefix `aws:` (in any letter case) is
/// refused in MediaConvert's words, as a user quotes them (aws/aws-cdk#29755: a job
/// template's `aws:cloudformation:*` tags were refused with it).
pub const TAGS: TagRules = TagRules::new("BadRequestException").with_reserved_key_message(
    "One or more tag keys start with the reserved prefix 'aws:' (case insensitive).",
);

/// The error for a queue the caller does not have.
pub fn queue_not_found(name: &str) -> ServiceError {
    not_found(format!("Queue {name} does not exist"))
}

fn reservation(input: &Value, now: f64) -> Option<Reservation> {
    let r = input.member("ReservationPlanSettings")?;
    Some(Reservation {
        commitment: opt_str(r, "Commitment").unwrap_or("ONE_YEAR").to_string(),
        renewal: opt_str(r, "RenewalType").unwrap_or("EXPIRE").to_string(),
        slots: opt_i64(r, "ReservedSlots").unwrap_or(1),
        purchased_at: now,
    })
}

impl Queue {
    /// How many of its jobs run at once: a reserved queue's slots, an on-demand queue's
    /// `ConcurrentJobs` (the `Default` queue's 100 included); `None` (every job at once)
    /// for an on-demand queue without the setting.
    pub fn capacity(&self) -> Option<usize> {
        self.reservation
            .as_ref()
            .map(|r| r.slots)
            .or(self.concurrent_jobs)
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
    }

    /// Whether it holds the jobs sent to it rather than running them, at `now` (epoch
    /// seconds): PAUSED, or reserved with a plan that has expired ("When your pricing plan
    /// term expires, your reserved queue persists. You can still send jobs to it, but AWS
    /// Elemental MediaConvert doesn't run them", the user guide's "About Reserved Queues";
    /// "your reserved queue persists without the capacity to run transcoding jobs. You can
    /// send jobs to the queue, but AWS Elemental MediaConvert doesn't process them", its
    /// "Purchasing transcoding capacity for an existing reserved queue").
    pub fn holds_jobs(&self, now: f64) -> bool {
        self.paused
            || self
                .reservation
                .as_ref()
                .is_some_and(|r| !r.term_at(now).active)
    }
}

/// A year of days, what a term is taken to be when its start is no calendar date.
const DAYS_365: f64 = 365.0 * 86_400.0;

/// When a plan bought at `purchased` (epoch seconds) ends: its 12-month term, the same time
/// of day on the same date a year later, as AWS shows it (the AWS CLI's list-queues example:
/// `PurchasedAt` 1564066203, 2019-07-25T14:50:03Z, `ExpiresAt` 1595688603,
/// 2020-07-25T14:50:03Z, 366 days on across a leap day). February 29 ends on February 28.
pub(crate) fn twelve_months_after(purchased: f64) -> f64 {
    let seconds = purchased.floor();
    let next = time::OffsetDateTime::from_unix_timestamp(seconds as i64)
        .ok()
        .filter(|_| seconds.is_finite())
        .and_then(|start| {
            let date = start.date();
            let year = date.year() + 1;
            let next = date
                .replace_year(year)
                .or_else(|_| time::Date::from_calendar_date(year, time::Month::February, 28));
            Some(start.replace_date(next.ok()?).unix_timestamp())
        });
    match next {
        Some(end) => end as f64 + (purchased - seconds),
        // Past any calendar date (a restored record's nonsense): 365 days on.
        None => purchased + DAYS_365,
    }
}

/// A reservation plan's current term at some moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PlanTerm {
    /// When the current term began (`ReservationPlan.PurchasedAt`).
    pub purchased: f64,
    /// When it ends (`ReservationPlan.ExpiresAt`).
    pub expires: f64,
    /// `ACTIVE` (else `EXPIRED`).
    pub active: bool,
}

/// The most renewals a term is rolled forward by (a plan a thousand years old stays bounded).
const MAX_RENEWALS: u32 = 1000;

impl Reservation {
    /// The plan's term at `now`. "When your pricing plan term ends, MediaConvert checks the
    /// auto renew status. If auto renew is enabled at that time, you automatically commit to
    /// another 12-month term"; otherwise the plan has expired: the queue persists, its
    /// `ReservationPlan.Status` is `EXPIRED` (the user guide's "About Reserved Queues", and
    /// the model's ReservationPlanStatus).
    pub(crate) fn term_at(&self, now: f64) -> PlanTerm {
        let mut purchased = self.purchased_at;
        let mut expires = twelve_months_after(purchased);
        if self.renewal == "AUTO_RENEW" {
            let mut renewals = 0;
            while expires <= now && renewals < MAX_RENEWALS {
                purchased = expires;
                expires = twelve_months_after(purchased);
                renewals += 1;
            }
        }
        PlanTerm {
            purchased,
            expires,
            active: now < expires,
        }
    }
}

/// The API's `Queue` given its (SUBMITTED, PROGRESSING) job counts.
fn counted_view(arn: &str, q: &Queue, (submitted, progressing): (i64, i64), now: f64) -> Value {
    let mut v = json!({
        "Arn": arn,
        "Name": q.name,
        "CreatedAt": timestamp_unix(q.created_at),
        "LastUpdated": timestamp_unix(q.last_updated),
        "Status": if q.paused { "PAUSED" } else { "ACTIVE" },
        "Type": if q.system { "SYSTEM" } else { "CUSTOM" },
        "PricingPlan": if q.reservation.is_some() { "RESERVED" } else { "ON_DEMAND" },
        "SubmittedJobsCount": submitted,
        "ProgressingJobsCount": progressing,
    });
    if let Some(d) = &q.description {
        v["Description"] = json!(d);
    }
    if let Some(n) = q.concurrent_jobs {
        v["ConcurrentJobs"] = json!(n);
    }
    if let Some(n) = q.max_feeds {
        v["MaximumConcurrentFeeds"] = json!(n);
    }
    if let Some(r) = &q.reservation {
        let term = r.term_at(now);
        v["ReservationPlan"] = json!({
            "Commitment": r.commitment, "RenewalType": r.renewal,
            "ReservedSlots": r.slots,
            "Status": if term.active { "ACTIVE" } else { "EXPIRED" },
            "PurchasedAt": timestamp_unix(term.purchased),
            "ExpiresAt": timestamp_unix(term.expires),
        });
    }
    v
}

/// The longest `HopDestination.WaitMinutes` (three days).
const MAX_HOP_WAIT_MINUTES: i64 = 4320;

impl State {
    /// Notes when the plan of queue `arn` ends its term, if it is one that expires then (not
    /// AUTO_RENEW): its jobs are held from then on (see [`Queue::holds_jobs`]).
    pub fn note_plan(&mut self, arn: &str, now: f64) {
        let ends = self
            .queues
            .get(arn)
            .and_then(|q| q.value.reservation.as_ref())
            .filter(|r| r.renewal != "AUTO_RENEW")
            .map(|r| r.term_at(now).expires);
        if let Some(at) = ends {
            self.plan_ends.push(Reverse((Time(at), arn.to_string())));
            self.publish_plans();
        }
    }

    /// Publishes when the earliest noted plan ends.
    pub fn publish_plans(&self) {
        let due = self
            .plan_ends
            .peek()
            .map_or(f64::INFINITY, |Reverse((t, _))| t.0);
        self.plan_due.store(due.to_bits(), Ordering::Release);
    }

    /// Checks `HopDestinations` of a job (or template) on `original` (a queue ARN, the
    /// template's queue or `Default`): each needs `WaitMinutes` of 1 to 4320, a destination
    /// queue unless it leaves the default queue for it, never the original queue, and one the
    /// caller has.
    pub fn check_hops(
        &self,
        ctx: &RequestContext,
        hops: Option<&Value>,
        original: &str,
    ) -> Result<(), ServiceError> {
        let Some(hops) = hops.and_then(Value::as_array) else {
            return Ok(());
        };
        let default = model::arn(ctx, "queues", DEFAULT_QUEUE);
        for (i, hop) in hops.iter().enumerate() {
            let at = format!("/hopDestinations/{i}");
            let Some(wait) = hop.member("WaitMinutes").and_then(Value::as_i64) else {
                return Err(bad_request(format!(
                    "{at}: waitMinutes is a required property"
                )));
            };
            if !(1..=MAX_HOP_WAIT_MINUTES).contains(&wait) {
                return Err(bad_request(format!(
                    "{at}/waitMinutes: {wait} is not valid; the valid range is 1 to \
                     {MAX_HOP_WAIT_MINUTES} minutes, inclusive"
                )));
            }
            let Some(queue) = hop.member("Queue").and_then(Value::as_str) else {
                if original == default {
                    return Err(bad_request(format!(
                        "{at}: queue is a required property when the job is submitted to the \
                         default queue"
                    )));
                }
                continue;
            };
            let arn = model::named_arn(ctx, "queues", queue);
            if arn == original {
                return Err(bad_request(format!(
                    "{at}/queue: {} is the queue the job is submitted to; the destination queue \
                     cannot be the original queue",
                    model::name_of(&arn)
                )));
            }
            if arn != default && self.queues.get_in(ctx, &arn).is_none() {
                return Err(queue_not_found(model::name_of(&arn)));
            }
        }
        Ok(())
    }

    /// Makes sure the caller's `Default` queue exists (journaled when first created).
    pub fn ensure_default_queue(&mut self, ctx: &RequestContext, now: f64) {
        let arn = model::arn(ctx, "queues", DEFAULT_QUEUE);
        if self.queues.get_in(ctx, &arn).is_none() {
            let q = Queue {
                name: DEFAULT_QUEUE.to_string(),
                description: None,
                system: true,
                paused: false,
                created_at: now,
                last_updated: now,
                reservation: None,
                concurrent_jobs: Some(100),
                max_feeds: None,
            };
            self.queues
                .put(&ctx.journal, &arn, Stored::new(q, Default::default()));
        }
    }

    /// The concurrent jobs the caller's on-demand queues hold, all but `except`'s: reserved
    /// queues run on their own slots, and a queue without a `ConcurrentJobs` setting holds none.
    fn allocated_concurrent_jobs(&self, ctx: &RequestContext, except: Option<&str>) -> i64 {
        self.queues
            .iter_in(ctx)
            .filter(|(arn, q)| q.value.reservation.is_none() && Some(*arn) != except)
            .filter_map(|(_, q)| q.value.concurrent_jobs)
            .sum()
    }
}

/// The API's `Queue`, with its job counts.
fn queue_view(jobs: &JobTable, ctx: &RequestContext, clock: &Clock, arn: &str, q: &Queue) -> Value {
    let counts = jobs.counts(ctx, clock);
    counted_view(
        arn,
        q,
        counts.get(arn).copied().unwrap_or_default(),
        clock.now(),
    )
}

impl MediaConvert {
    /// The state to read, the caller's `Default` queue made first if it is not there yet: a
    /// read lock, so queue reads do not stop every other MediaConvert request.
    fn read_with_default_queue(
        &self,
        ctx: &RequestContext,
    ) -> parking_lot::RwLockReadGuard<'_, crate::State> {
        let state = self.state.read();
        if state
            .queues
            .get_in(ctx, &model::arn(ctx, "queues", DEFAULT_QUEUE))
            .is_some()
        {
            return state;
        }
        drop(state);
        let mut state = self.state.write();
        state.ensure_default_queue(ctx, self.runtime.clock.now());
        parking_lot::RwLockWriteGuard::downgrade(state)
    }

    pub(crate) fn create_queue(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        crate::rules::check_name(name)?;
        let tags = TAGS.read(input, "Tags")?;
        let reserved = opt_str(input, "PricingPlan") == Some("RESERVED");
        let has_plan = input.member("ReservationPlanSettings").is_some();
        if reserved && !has_plan {
            return Err(bad_request(
                "You must specify ReservationPlanSettings when you create a queue with a RESERVED pricing plan",
            ));
        }
        if !reserved && has_plan {
            return Err(bad_request(
                "ReservationPlanSettings apply only to queues with a RESERVED pricing plan",
            ));
        }
        let concurrent_jobs = opt_i64(input, "ConcurrentJobs");
        if !reserved {
            quotas::admit_concurrent_jobs(&self.runtime, concurrent_jobs)?;
        }
        let now = self.runtime.clock.now();
        let arn = model::arn(ctx, "queues", name);
        let mut state = self.state.write();
        state.ensure_default_queue(ctx, now);
        if state.queues.get_in(ctx, &arn).is_some() {
            return Err(conflict(format!("Queue {name} already exists")));
        }
        // Counted under the write lock, so concurrent creates cannot overshoot.
        quotas::QUEUES
            .admit(&self.runtime, state.queues.count_in(ctx), 1)
            .map_err(quotas::exceeded)?;
        if let (false, Some(n)) = (reserved, concurrent_jobs) {
            let allocated = state.allocated_concurrent_jobs(ctx, None);
            quotas::admit_allocation(&self.runtime, allocated, n)?;
        }
        let q = Queue {
            name: name.to_string(),
            description: opt_str(input, "Description").map(str::to_string),
            system: false,
            paused: opt_str(input, "Status") == Some("PAUSED"),
            created_at: now,
            last_updated: now,
            reservation: reservation(input, now),
            concurrent_jobs,
            max_feeds: opt_i64(input, "MaximumConcurrentFeeds"),
        };
        let view = queue_view(&self.jobs.read(), ctx, &self.runtime.clock, &arn, &q);
        state.queues.put(&ctx.journal, &arn, Stored::new(q, tags));
        state.note_plan(&arn, now);
        Ok(json!({ "Queue": view }))
    }

    pub(crate) fn get_queue(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let arn = model::arn(ctx, "queues", name);
        let state = self.read_with_default_queue(ctx);
        let q = state
            .queues
            .get_in(ctx, &arn)
            .ok_or_else(|| queue_not_found(name))?;
        let view = queue_view(&self.jobs.read(), ctx, &self.runtime.clock, &arn, &q.value);
        Ok(json!({ "Queue": view }))
    }

    pub(crate) fn list_queues(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        // "If you don't specify, the service will list them by creation date" (the model).
        let by_date = opt_str(input, "ListBy") != Some("NAME");
        let order = Order::read(input, false);
        let key = &self.runtime.token_key;
        let filters = format!("{by_date}|{}", order.descending);
        let page = paging::request(key, ctx, "ListQueues", input, &filters)?;
        let state = self.read_with_default_queue(ctx);
        let items: Vec<(String, (&str, &Queue))> = state
            .queues
            .iter_in(ctx)
            .map(|(arn, q)| {
                let k = if by_date {
                    paging::date_key(q.value.created_at, &q.value.name)
                } else {
                    q.value.name.clone()
                };
                (k, (arn, &q.value))
            })
            .collect();
        let (found, next) = paging::cut(key, &page, items, order);
        let counts = self.jobs.read().counts(ctx, &self.runtime.clock);
        let now = self.runtime.clock.now();
        let queues: Vec<Value> = found
            .into_iter()
            .map(|(arn, q)| counted_view(arn, q, counts.get(arn).copied().unwrap_or_default(), now))
            .collect();
        let total = quotas::total_concurrent_jobs(&self.runtime);
        let unallocated = (total - state.allocated_concurrent_jobs(ctx, None)).max(0);
        let mut out = Map::new();
        out.insert("Queues".into(), Value::from(queues));
        out.insert("TotalConcurrentJobs".into(), json!(total));
        out.insert("UnallocatedConcurrentJobs".into(), json!(unallocated));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }

    pub(crate) fn update_queue(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let arn = model::arn(ctx, "queues", name);
        let now = self.runtime.clock.now();
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        state.ensure_default_queue(ctx, now);
        let current = state
            .queues
            .get_in(ctx, &arn)
            .ok_or_else(|| queue_not_found(name))?
            .value
            .clone();
        if current.reservation.is_none() {
            let wanted = opt_i64(input, "ConcurrentJobs");
            quotas::admit_concurrent_jobs(&self.runtime, wanted)?;
            if let Some(n) = wanted {
                let others = state.allocated_concurrent_jobs(ctx, Some(arn.as_str()));
                quotas::admit_allocation(&self.runtime, others, n)?;
            }
        }
        if input.member("ReservationPlanSettings").is_some() && current.reservation.is_none() {
            return Err(bad_request(
                "ReservationPlanSettings apply only to queues with a RESERVED pricing plan",
            ));
        }
        let paused = match opt_str(input, "Status") {
            Some(s) => s == "PAUSED",
            None => current.paused,
        };
        let changed: Option<Result<Queue, ServiceError>> = state.queues.update(ctx, &arn, |s| {
            let q = &mut s.value;
            if let Some(d) = opt_str(input, "Description") {
                q.description = Some(d.to_string());
            }
            if let Some(n) = opt_i64(input, "ConcurrentJobs") {
                q.concurrent_jobs = Some(n);
            }
            if let Some(n) = opt_i64(input, "MaximumConcurrentFeeds") {
                q.max_feeds = Some(n);
            }
            if let (Some(r), Some(new)) = (&mut q.reservation, reservation(input, now)) {
                let term = r.term_at(now);
                if !term.active {
                    // "When you set up a new pricing plan to replace an expired one, you enter
                    // into another 12-month commitment" (the model's UpdateQueue
                    // `ReservationPlanSettings`): a new plan, from now.
                    *r = new;
                } else {
                    if new.slots < r.slots {
                        return Err(bad_request(
                            "You can't reduce the number of reserved slots of a queue's reservation plan",
                        ));
                    }
                    // The term in force is kept as it stands (renewals made), so that a renewal
                    // type changed later does not reach back over terms already begun.
                    r.purchased_at = term.purchased;
                    // "When you add capacity to your queue by increasing the number of RTS,
                    // you extend the term of your commitment to 12 months from when you add
                    // capacity" (the same): a new term starts now.
                    if new.slots > r.slots {
                        r.purchased_at = now;
                    }
                    r.slots = new.slots;
                    r.renewal = new.renewal;
                }
            }
            q.paused = paused;
            q.last_updated = now;
            Ok(q.clone())
        });
        let q = changed.ok_or_else(|| queue_not_found(name))??;
        if q.reservation != current.reservation {
            state.note_plan(&arn, now);
        }
        let mut jobs = self.jobs.write();
        // Paused, resumed, or its expired plan replaced by a new one (its jobs run again).
        let holds = q.holds_jobs(now);
        if holds != current.holds_jobs(now) {
            jobs.set_queue_paused(ctx, clock, &arn, holds, q.capacity());
        } else if q.capacity() != current.capacity() {
            // More slots start waiting jobs at once.
            jobs.reschedule(ctx, clock, &arn, q.capacity(), false, None);
        }
        Ok(json!({ "Queue": queue_view(&jobs, ctx, clock, &arn, &q) }))
    }

    pub(crate) fn delete_queue(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        let arn = model::arn(ctx, "queues", name);
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        state.ensure_default_queue(ctx, clock.now());
        let q = state
            .queues
            .get_in(ctx, &arn)
            .ok_or_else(|| queue_not_found(name))?;
        if q.value.system {
            return Err(bad_request("You can't delete your account's default queue"));
        }
        // "You can't delete a reserved queue that has an active pricing plan" (the user
        // guide's "Deleting a reserved queue"): one whose plan has expired can go.
        let plan_active = q
            .value
            .reservation
            .as_ref()
            .is_some_and(|r| r.term_at(clock.now()).active);
        if plan_active {
            return Err(conflict(format!(
                "Queue {name} has an active reservation plan; a reserved queue can be deleted only after its plan expires"
            )));
        }
        let busy = self.jobs.read().queue_busy(ctx, clock, &arn);
        if busy {
            return Err(conflict(format!(
                "Queue {name} has jobs that are SUBMITTED or PROGRESSING; cancel them or wait for them to finish before you delete the queue"
            )));
        }
        state.queues.remove(&ctx.journal, &arn);
        self.jobs.write().forget_queue(&arn);
        Ok(json!({}))
    }
}
