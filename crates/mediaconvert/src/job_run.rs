//! A job's run on the lifecycle clock: SUBMITTED → PROGRESSING (PROBING, TRANSCODING,
//! UPLOADING, with a percentage) → COMPLETE or ERROR; HELD while its queue is paused;
//! CANCELED when canceled. Everything is computed from the stored phase on read, so a
//! restarted server continues a job where the clock says it is.

use crate::model::{Document, Job, Outcome, UNPLACED};
use kit::{Lifecycle, Phase, Step};
use serde_json::{json, Map, Value};
use service::{Clock, ServiceError, Transitions};
use std::time::Duration;

/// How long a submitted job waits before it starts, when its queue has a slot free (fast
/// mode); a job waiting for a slot is SUBMITTED for longer (see `queue_schedule`).
pub(crate) const QUEUED: Duration = Duration::from_secs(2);
/// How long a job that completes transcodes (fast mode).
const RUNNING: Duration = Duration::from_secs(8);
/// How long a job that fails runs before it fails (it fails while probing).
const FAILING: Duration = Duration::from_secs(1);

/// A job that completes.
const SUCCEEDS: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "SUBMITTED",
            to: "PROGRESSING",
            after: QUEUED,
        },
        Step {
            from: "PROGRESSING",
            to: "COMPLETE",
            after: RUNNING,
        },
    ],
};

/// A job that fails.
const FAILS: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "SUBMITTED",
            to: "PROGRESSING",
            after: QUEUED,
        },
        Step {
            from: "PROGRESSING",
            to: "ERROR",
            after: FAILING,
        },
    ],
};

/// The state of a job whose queue is paused: reported as SUBMITTED, going nowhere.
pub const HELD: &str = "HELD";

/// How long a job's record is kept, seconds: "After a job record is three months old,
/// MediaConvert automatically deletes it" (the user guide's "Working with jobs"; "Viewing
/// your job history": "After three months, the service automatically deletes the record of
/// a job"), "Jobs, and the tags on them, persist for only 90 days" (its cost allocation
/// tagging page): 90 days.
pub(crate) const RETENTION_SECONDS: f64 = 90.0 * 86_400.0;

/// Where a job is, as GetJob reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// `Status`.
    pub status: String,
    /// `JobPercentComplete` (while PROGRESSING).
    pub percent: Option<i64>,
    /// `CurrentPhase` (while PROGRESSING).
    pub phase: Option<&'static str>,
    /// `Timing.StartTime`, epoch seconds.
    pub start: Option<f64>,
    /// `Timing.FinishTime`, epoch seconds.
    pub finish: Option<f64>,
}

impl Job {
    fn lifecycle(&self) -> (&'static Lifecycle, Duration) {
        match self.outcome {
            Outcome::Complete => (&SUCCEEDS, RUNNING),
            Outcome::Error { .. } => (&FAILS, FAILING),
        }
    }

    /// Lifecycle time `t` as wall time, fixed once reported: a finished job's `Timing` does
    /// not move between reads.
    fn wall(&self, clock: &Clock, t: f64) -> f64 {
        let at = self.wall_at(t);
        match clock.mode() {
            // Manual lifecycle time runs as far ahead of real time as it was advanced; the
            // times follow it (clamped to now, they moved with every read until real time
            // caught up, and a finished job's run took 0 s).
            Transitions::Manual => at,
            // Every step is taken when first observed: each carries the submission's time
            // rather than one still to come.
            Transitions::Instant => at.min(self.anchor_wall),
            // Lifecycle time is wall time: never later than now.
            Transitions::Fast => at.min(clock.now()),
        }
    }

    /// How long it runs once started (fast mode), seconds.
    pub(crate) fn run_seconds(&self) -> f64 {
        self.lifecycle().1.as_secs_f64()
    }

    /// Its phase with every due step taken.
    pub fn current(&self, clock: &Clock) -> Phase {
        self.lifecycle().0.current(clock, &self.phase)
    }

    /// The lifecycle time before which it cannot finish: when its steps bring it to rest,
    /// unless its queue holds it or it is canceled first (a held job rests now; one about
    /// to hop cannot rest before it hops).
    pub fn rests_at(&self) -> f64 {
        if self.phase.since == UNPLACED {
            if let Some(leaves) = self.hopping.as_ref().and_then(|h| h.leaves) {
                return leaves;
            }
        }
        self.lifecycle().0.rests_at(&self.phase)
    }

    /// Its phase at lifecycle time `t` (not before its stored phase): every step due by then
    /// taken.
    pub(crate) fn phase_at(&self, t: f64) -> Phase {
        self.lifecycle().0.at(&self.phase, t)
    }

    /// The queue it waits or runs in (ARN): the submitted one until it hops.
    pub fn queue_now(&self) -> &str {
        match &self.hopping {
            Some(h) => h.queue(&self.queue),
            None => &self.queue,
        }
    }

    /// Its priority in the queue it is in (a hop may change it).
    pub fn priority_now(&self) -> i64 {
        self.hopping.as_ref().map_or(self.priority, |h| h.priority)
    }

    /// When it may leave its queue for its next hop destination, if it has one (clamped to
    /// `at`: a job released after its wait had passed hops at once if no slot is free).
    pub(crate) fn leaves(&self, at: f64) -> f64 {
        self.hopping
            .as_ref()
            .and_then(|h| h.next(&self.queue))
            .map_or(f64::INFINITY, |(_, due)| due.max(at))
    }

    /// Where it is now.
    pub fn progress(&self, clock: &Clock) -> Progress {
        let (_, run) = self.lifecycle();
        let now = self.current(clock);
        let mut p = Progress {
            status: now.state.clone(),
            percent: None,
            phase: None,
            start: None,
            finish: None,
        };
        match now.state.as_str() {
            HELD => p.status = "SUBMITTED".into(),
            "PROGRESSING" => {
                let elapsed = clock.lifecycle_now() - now.since;
                let done = (elapsed / run.as_secs_f64()).clamp(0.0, 0.99);
                p.percent = Some((done * 100.0).floor() as i64);
                p.phase = Some(match (&self.outcome, done) {
                    (Outcome::Error { .. }, _) => "PROBING",
                    (_, d) if d < 0.1 => "PROBING",
                    (_, d) if d < 0.85 => "TRANSCODING",
                    _ => "UPLOADING",
                });
                p.start = Some(self.wall(clock, now.since));
            }
            "COMPLETE" | "ERROR" => {
                p.start = Some(self.wall(clock, now.since - run.as_secs_f64()));
                p.finish = Some(self.wall(clock, now.since));
            }
            "CANCELED" => {
                p.start = self.started_before_cancel;
                p.finish = Some(self.wall(clock, now.since));
            }
            _ => {}
        }
        p
    }

    /// Cancels it: only a SUBMITTED or PROGRESSING job can be.
    pub fn cancel(&mut self, clock: &Clock) -> Result<(), ServiceError> {
        let now = self.current(clock);
        match now.state.as_str() {
            "SUBMITTED" | HELD => {}
            "PROGRESSING" => self.started_before_cancel = Some(self.wall(clock, now.since)),
            other => {
                return Err(ServiceError::new(
                    "ConflictException",
                    format!(
                        "Job {} can't be canceled: it is {other}; only SUBMITTED and PROGRESSING jobs can be canceled",
                        self.id
                    ),
                ))
            }
        }
        self.phase = Phase {
            state: "CANCELED".into(),
            since: clock.lifecycle_now(),
        };
        Ok(())
    }

    /// Its queue was paused: a job that has not started waits. Returns whether it changed.
    pub fn hold(&mut self, clock: &Clock) -> bool {
        if self.current(clock).state != "SUBMITTED" {
            return false;
        }
        self.phase = Phase {
            state: HELD.into(),
            since: clock.lifecycle_now(),
        };
        // "Jobs don't hop from a queue while it's paused": its release decides again.
        if let Some(h) = &mut self.hopping {
            h.leaves = None;
        }
        true
    }

    /// Its queue is active (again): a held job is submitted now. Returns whether it changed.
    pub fn release(&mut self, clock: &Clock) -> bool {
        if self.phase.state != HELD {
            return false;
        }
        self.phase = SUCCEEDS.enter(clock, "SUBMITTED");
        self.reanchor(self.phase.since);
        true
    }

    /// Enters SUBMITTED now, its lifecycle time anchored to the wall clock's now.
    pub fn submit(&mut self, clock: &Clock) {
        self.phase = SUCCEEDS.enter(clock, "SUBMITTED");
        self.anchor_wall = clock.now();
        self.anchor_lifecycle = self.phase.since;
    }

    /// When its record is deleted, in lifecycle time: [`RETENTION_SECONDS`] after its
    /// submission.
    pub fn expires_at(&self, clock: &Clock) -> f64 {
        let submitted = match clock.mode() {
            // The manual clock's time when it was submitted: its anchors keep lifecycle and
            // wall time in one relation, whatever it went through since.
            Transitions::Manual => self.created_at - self.anchor_wall + self.anchor_lifecycle,
            // Lifecycle time is wall time (a job restored from a manual clock's run is dated
            // by when it was submitted, not by that clock).
            _ => self.created_at,
        };
        submitted + RETENTION_SECONDS
    }

    /// Lifecycle time `t` as wall time, by the relation its anchor keeps (not clamped).
    pub(crate) fn wall_at(&self, t: f64) -> f64 {
        self.anchor_wall + (t - self.anchor_lifecycle)
    }

    /// Re-enters its queue at lifecycle time `at` (released, or hopped): the anchor moves
    /// there and lifecycle and wall time keep their relation (with the manual clock ahead of
    /// real time, anchoring to the wall clock's now again would date its run before the
    /// pause that held it).
    pub(crate) fn reanchor(&mut self, at: f64) {
        self.anchor_wall = self.wall_at(at);
        self.anchor_lifecycle = at;
    }

    /// `AccelerationStatus`: for jobs that asked for accelerated transcoding (ENABLED or
    /// PREFERRED), IN_PROGRESS "initially, while the service determines whether the input
    /// files and job settings are compatible" (from submission on), then ACCELERATED, or
    /// NOT_ACCELERATED for a PREFERRED job that runs without (decided once it starts) and
    /// a job that fails or is canceled; NOT_APPLICABLE for others.
    pub(crate) fn acceleration_status(&self, status: &str) -> &'static str {
        let mode = self
            .acceleration
            .as_ref()
            .map(|a| a.value())
            .and_then(|a| a.get("Mode").and_then(Value::as_str).map(str::to_string));
        if !matches!(mode.as_deref(), Some("ENABLED" | "PREFERRED")) {
            return "NOT_APPLICABLE";
        }
        match status {
            "SUBMITTED" => "IN_PROGRESS",
            "PROGRESSING" | "COMPLETE" if self.unaccelerated => "NOT_ACCELERATED",
            "PROGRESSING" => "IN_PROGRESS",
            "COMPLETE" => "ACCELERATED",
            _ => "NOT_ACCELERATED",
        }
    }

    /// The API's `Job` (its settings read back from their wire text).
    pub fn view(&self, arn: &str, clock: &Clock) -> Value {
        let settings = crate::job_wire::renderers()
            .and_then(|r| r.settings.read(self.settings.as_bytes()))
            .unwrap_or_default();
        let p = self.progress(clock);
        let mut timing = Map::with_capacity(3);
        timing.insert("SubmitTime".into(), timestamp_unix(self.created_at));
        if let Some(t) = p.start {
            timing.insert("StartTime".into(), timestamp_unix(t));
        }
        if let Some(t) = p.finish {
            timing.insert("FinishTime".into(), timestamp_unix(t));
        }
        // Built member by member, values moved in: `json!` copies an expression's value
        // through `to_value`, which for `settings` was a deep copy of the whole tree. The
        // order is the wire's (the serializer writes members in the map's order).
        let mut v = Map::with_capacity(VIEW_MEMBERS);
        let mut member = |k: &str, val: Value| {
            v.insert(k.to_string(), val);
        };
        member("Arn", Value::from(arn));
        member("Id", Value::from(&*self.id));
        member("CreatedAt", timestamp_unix(self.created_at));
        member("Queue", Value::from(self.queue.as_str()));
        member("Role", Value::from(&*self.role));
        member("Settings", settings);
        member("Status", Value::from(p.status.as_str()));
        member("Timing", Value::Object(timing));
        member("Priority", Value::from(self.priority));
        member(
            "StatusUpdateInterval",
            Value::from(self.status_update_interval.as_str()),
        );
        member("RetryCount", Value::from(0));
        member("Messages", json!({"Info": [], "Warning": []}));
        if let Some(used) = &self.engine_used {
            member("JobEngineVersionUsed", Value::from(used.as_str()));
        }
        member(
            "ShareStatus",
            Value::from(self.share_status.as_deref().unwrap_or("NOT_SHARED")),
        );
        let m = &mut v;
        let mut put = |k: &str, val: Option<Value>| {
            if let Some(val) = val {
                m.insert(k.to_string(), val);
            }
        };
        put(
            "AccelerationStatus",
            Some(Value::from(self.acceleration_status(&p.status))),
        );
        put("JobTemplate", self.job_template.as_deref().map(Value::from));
        // Always, `{}` when none was given (the AWS CLI's get-job example).
        put(
            "UserMetadata",
            Some(Value::Object(
                self.user_metadata
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(&**v)))
                    .collect(),
            )),
        );
        // `{"Mode": "DISABLED"}` when none was given, as AWS answers (the response AWS's C++
        // MediaConvert example keeps as its GetJob fixture).
        put(
            "AccelerationSettings",
            Some(
                self.acceleration
                    .as_ref()
                    .map(Document::value)
                    .unwrap_or_else(|| json!({"Mode": "DISABLED"})),
            ),
        );
        put(
            "HopDestinations",
            self.hop_destinations.as_ref().map(Document::value),
        );
        put(
            "QueueTransitions",
            self.hopping
                .as_ref()
                .filter(|h| !h.transitions.is_empty())
                .map(|h| {
                    h.transitions
                        .iter()
                        .map(|t| {
                            json!({
                                "DestinationQueue": t.destination,
                                "SourceQueue": t.source,
                                "Timestamp": timestamp_unix(t.timestamp),
                            })
                        })
                        .collect()
                }),
        );
        put(
            "ElementalInferenceSettings",
            self.elemental_inference.as_ref().map(Document::value),
        );
        put(
            "BillingTagsSource",
            self.billing_tags_source.as_deref().map(Value::from),
        );
        put(
            "SimulateReservedQueue",
            self.simulate_reserved_queue.as_deref().map(Value::from),
        );
        put(
            "ClientRequestToken",
            self.client_request_token.as_deref().map(Value::from),
        );
        put(
            "JobEngineVersionRequested",
            self.engine_requested.as_deref().map(Value::from),
        );
        put("JobPercentComplete", p.percent.map(Value::from));
        put("CurrentPhase", p.phase.map(Value::from));
        if p.status == "ERROR" {
            if let Outcome::Error { code, message } = &self.outcome {
                put("ErrorCode", Some(Value::from(*code)));
                put("ErrorMessage", Some(Value::from(&**message)));
            }
        }
        if p.status == "COMPLETE" {
            let groups: Vec<Value> = self
                .output_groups
                .iter()
                .map(|outputs| {
                    let details: Vec<Value> = outputs
                        .iter()
                        .map(|o| {
                            let mut d = json!({ "DurationInMs": o.duration_ms });
                            if let Some((w, h)) = o.frame {
                                d["VideoDetails"] = json!({"WidthInPx": w, "HeightInPx": h});
                            }
                            d
                        })
                        .collect();
                    json!({ "OutputDetails": details })
                })
                .collect();
            put("OutputGroupDetails", Some(Value::from(groups)));
        }
        Value::Object(v)
    }
}

/// How many members a job's view can have (its map is sized for them at once).
const VIEW_MEMBERS: usize = 29;

/// `{"Job": view}`, the view moved in (`json!` would copy it through `to_value`).
pub fn job_output(view: Value) -> Value {
    let mut out = Map::with_capacity(1);
    out.insert("Job".to_string(), view);
    Value::Object(out)
}

/// Epoch seconds for a `timestampUnix` member (the serializer writes the wire form).
pub fn timestamp_unix(epoch: f64) -> Value {
    Value::from(epoch.floor() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OutputDetail, WireDocument};

    fn job(clock: &Clock, outcome: Outcome) -> Job {
        let mut j = Job {
            id: "1700000000000-abc123".into(),
            queue: "arn:aws:mediaconvert:us-east-1:1:queues/Default".into(),
            role: "arn:aws:iam::1:role/r".into(),
            settings: WireDocument::new(b"{}".to_vec()),
            older_settings: None,
            inputs: Box::default(),
            video_codecs: Box::default(),
            audio_codecs: Box::default(),
            job_template: None,
            priority: 0,
            user_metadata: Default::default(),
            status_update_interval: "SECONDS_60".into(),
            acceleration: None,
            unaccelerated: false,
            hop_destinations: None,
            hopping: None,
            billing_tags_source: None,
            simulate_reserved_queue: None,
            elemental_inference: None,
            client_request_token: None,
            engine_requested: None,
            engine_used: Some("2024-08-01".into()),
            created_at: clock.now(),
            phase: Phase {
                state: String::new(),
                since: 0.0,
            },
            anchor_wall: 0.0,
            anchor_lifecycle: 0.0,
            started_before_cancel: None,
            outcome,
            output_groups: [[OutputDetail {
                duration_ms: 5000,
                frame: Some((1280, 720)),
            }]
            .into()]
            .into(),
            share_status: None,
        };
        j.submit(clock);
        j
    }

    #[test]
    fn a_job_progresses_through_its_phases_to_complete() {
        let clock = Clock::new(Transitions::Manual);
        let j = job(&clock, Outcome::Complete);
        assert_eq!(j.progress(&clock).status, "SUBMITTED");
        clock.advance(Duration::from_secs(2));
        let p = j.progress(&clock);
        assert_eq!(
            (p.status.as_str(), p.percent, p.phase),
            ("PROGRESSING", Some(0), Some("PROBING"))
        );
        clock.advance(Duration::from_secs(4));
        let p = j.progress(&clock);
        assert_eq!((p.percent, p.phase), (Some(50), Some("TRANSCODING")));
        clock.advance(Duration::from_millis(3500));
        assert_eq!(j.progress(&clock).phase, Some("UPLOADING"));
        clock.advance(Duration::from_secs(1));
        let v = j.view("arn", &clock);
        assert_eq!(v["Status"], "COMPLETE");
        assert!(v.get("JobPercentComplete").is_none());
        assert_eq!(
            v["OutputGroupDetails"][0]["OutputDetails"][0]["VideoDetails"]["WidthInPx"],
            1280
        );
        assert!(v["Timing"]["FinishTime"].as_i64().is_some());
    }

    #[test]
    fn timing_follows_the_lifecycle_clock_and_stays_fixed() {
        // Manual: the clock advanced well past the run, real time not: the job started 2 s
        // after it was submitted and ran its whole run, whenever it is read.
        let clock = Clock::new(Transitions::Manual);
        let j = job(&clock, Outcome::Complete);
        clock.advance(Duration::from_secs(600));
        let p = j.progress(&clock);
        assert_eq!(p.status, "COMPLETE");
        let (start, finish) = (p.start.unwrap(), p.finish.unwrap());
        assert_eq!(start, j.anchor_wall + 2.0);
        assert_eq!(finish - start, j.run_seconds());
        std::thread::sleep(Duration::from_millis(20));
        let again = j.progress(&clock);
        assert_eq!((again.start, again.finish), (p.start, p.finish));
        // Instant: every step carries the submission's time, none a time still to come.
        let clock = Clock::new(Transitions::Instant);
        let j = job(&clock, Outcome::Complete);
        let p = j.progress(&clock);
        assert_eq!(p.status, "COMPLETE");
        assert_eq!(
            (p.start, p.finish),
            (Some(j.anchor_wall), Some(j.anchor_wall))
        );
    }

    #[test]
    fn a_released_job_is_timed_from_its_release() {
        // Held 300 s of manual time, which real time has not caught up with: the job starts
        // 2 s after its release, not 2 s after its submission.
        let clock = Clock::new(Transitions::Manual);
        let mut j = job(&clock, Outcome::Complete);
        let submitted = j.anchor_wall;
        assert!(j.hold(&clock));
        clock.advance(Duration::from_secs(300));
        assert!(j.release(&clock));
        clock.advance(Duration::from_secs(30));
        let p = j.progress(&clock);
        assert_eq!(p.status, "COMPLETE");
        assert_eq!(p.start, Some(submitted + 302.0));
        assert_eq!(p.finish.unwrap() - p.start.unwrap(), j.run_seconds());
    }

    #[test]
    fn failing_jobs_report_their_error_only_once_failed() {
        let clock = Clock::new(Transitions::Manual);
        let j = job(
            &clock,
            Outcome::Error {
                code: 1010,
                message: "m".into(),
            },
        );
        clock.advance(Duration::from_secs(2));
        assert!(j.view("a", &clock).get("ErrorCode").is_none());
        clock.advance(Duration::from_secs(1));
        let v = j.view("a", &clock);
        assert_eq!(v["Status"], "ERROR");
        assert_eq!(v["ErrorCode"], 1010);
        assert!(v.get("OutputGroupDetails").is_none());
    }

    #[test]
    fn cancel_hold_and_release() {
        let clock = Clock::new(Transitions::Manual);
        let mut j = job(&clock, Outcome::Complete);
        assert!(j.hold(&clock));
        clock.advance(Duration::from_secs(60));
        assert_eq!(j.progress(&clock).status, "SUBMITTED");
        assert!(j.release(&clock));
        clock.advance(Duration::from_secs(3));
        assert_eq!(j.progress(&clock).status, "PROGRESSING");
        assert!(!j.hold(&clock), "a started job keeps running");
        j.cancel(&clock).unwrap();
        let p = j.progress(&clock);
        assert_eq!(p.status, "CANCELED");
        assert!(p.start.is_some());
        let e = j.cancel(&clock).unwrap_err();
        assert_eq!(e.code, "ConflictException");
        assert_eq!(j.view("a", &clock)["AccelerationStatus"], "NOT_APPLICABLE");
        let instant = Clock::new(Transitions::Instant);
        let mut done = job(&instant, Outcome::Complete);
        assert_eq!(done.progress(&instant).status, "COMPLETE");
        done.acceleration = Some(Document::new(&json!({"Mode": "PREFERRED"})));
        assert_eq!(
            done.view("a", &instant)["AccelerationStatus"],
            "ACCELERATED"
        );
        done.unaccelerated = true;
        assert_eq!(
            done.view("a", &instant)["AccelerationStatus"],
            "NOT_ACCELERATED"
        );
        assert!(done.cancel(&instant).is_err());
        // IN_PROGRESS from submission on, held or not.
        let mut waiting = job(&clock, Outcome::Complete);
        waiting.acceleration = Some(Document::new(&json!({"Mode": "ENABLED"})));
        assert_eq!(
            waiting.view("a", &clock)["AccelerationStatus"],
            "IN_PROGRESS"
        );
        assert!(waiting.hold(&clock));
        assert_eq!(
            waiting.view("a", &clock)["AccelerationStatus"],
            "IN_PROGRESS"
        );
    }
}
