//! Jobs: CreateJob (template applied, settings checked, idempotent on ClientRequestToken,
//! outcome decided by the role), GetJob, ListJobs, SearchJobs, CancelJob.

use crate::active_jobs::ArnHash;
use crate::endpoints::{engine_version, EngineVersion, ENGINE_VERSIONS};
use crate::job_access;
use crate::job_run::HELD;
use crate::job_table::JobTable;
use crate::job_wire::{self, Answer};
use crate::model::{
    self, bad_request, named_arn, not_found, Document, HopTarget, Hopping, Job, Outcome,
    OutputDetail, SharedText, WireDocument, Word,
};
use crate::paging::{self, Order};
use crate::queues::{queue_not_found, TAGS};
use crate::request_tokens;
use crate::settings::{self, Kind};
use crate::system_templates;
use crate::{MediaConvert, State};
use kit::input::{opt_i64, opt_str, req_str};
use kit::{Phase, Stored};
use serde_json::{json, Map, Value};
use service::{Member, Output, RequestContext, ServiceError};
use sha2::{Digest, Sha256};
use std::ops::Deref;
use std::sync::Arc;

/// The error for a job the caller does not have.
pub fn job_not_found(id: &str) -> ServiceError {
    not_found(format!("Job {id} does not exist"))
}

/// A synthetic but stable media duration for an input URL (10 s to 10 min).
pub fn duration_ms(url: &str) -> i64 {
    let h = Sha256::digest(url.as_bytes());
    10_000 + (u32::from_be_bytes([h[0], h[1], h[2], h[3]]) % 590_000) as i64
}

/// Whether a queue holds new jobs (paused, or its reserved plan expired), and its capacity.
type QueueSeen = (bool, Option<usize>);

/// Whether the job's queue holds new jobs at `now` (paused, or its reserved plan expired) and
/// its capacity, `None` if the queue or the caller's `Default` queue does not exist (yet); and
/// whether the queue is reserved; and the queue store's key for its ARN, for the job to share.
/// `default` is the caller's `Default` queue's ARN: a job sent there (most are) has its queue
/// looked up once.
fn queue_seen(
    state: &State,
    ctx: &RequestContext,
    queue: &str,
    default: &str,
    now: f64,
) -> (Option<QueueSeen>, bool, Option<Arc<str>>) {
    let found = state.queues.get_with_key_in(ctx, queue);
    let reserved = found.is_some_and(|(_, q)| q.value.reservation.is_some());
    let has_default = if queue == default {
        found.is_some()
    } else {
        state.queues.get_in(ctx, default).is_some()
    };
    let seen = found
        .filter(|_| has_default)
        .map(|(_, q)| (q.value.holds_jobs(now), q.value.capacity()));
    (seen, reserved, found.map(|(key, _)| key.clone()))
}

/// A job's hopping from its (checked) `HopDestinations`: each destination's queue ARN
/// ("If the original queue isn't the default queue and you don't specify the destination
/// queue, the job will move to the default queue"), wait and priority; `None` without any.
fn hopping(ctx: &RequestContext, hops: Option<&Value>) -> Option<Box<Hopping>> {
    let targets: Vec<HopTarget> = hops?
        .as_array()?
        .iter()
        .map(|h| HopTarget {
            queue: h.member("Queue").and_then(Value::as_str).map_or_else(
                || model::arn(ctx, "queues", model::DEFAULT_QUEUE),
                |q| named_arn(ctx, "queues", q),
            ),
            wait: h
                .member("WaitMinutes")
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
                * 60.0,
            priority: h.member("Priority").and_then(Value::as_i64),
        })
        .collect();
    (!targets.is_empty()).then(|| Box::new(Hopping::new(targets)))
}

/// A job ID's last six characters from random bytes: lowercase letters and digits, as AWS's
/// end (`1515368087458-qnoxtd`, `1570658184924-j5rlde` in its documentation and answers).
/// A byte modulo 36 favours the first four characters by 1/64, which no ID needs to avoid.
fn id_suffix(random: &[u8]) -> [u8; 6] {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = [b'0'; 6];
    for (o, r) in out.iter_mut().zip(random) {
        *o = ALPHABET[usize::from(*r) % ALPHABET.len()];
    }
    out
}

/// The input member CreateJob reads apart (see `Service::doc_member`).
pub(crate) const SETTINGS: &str = "Settings";

/// What CreateJob reads from a job's settings (its template's applied): the files it reads
/// and writes, its length, its codecs and the settings' wire text.
struct FromSettings<'s> {
    outputs: Vec<settings::OutputFile>,
    inputs: Vec<&'s str>,
    length_ms: i64,
    codecs: (Box<[Word]>, Box<[Word]>),
    text: WireDocument,
}

impl MediaConvert {
    /// Checks a job's settings (the request's error if they fail) and reads what the job
    /// needs of them. Their wire text is `sent`, the text the request sent when that is what
    /// `render` writes (see `service::DocMember::wire_text`), else `render`'s.
    fn read_settings<'s, N: service::Node>(
        &self,
        ctx: &RequestContext,
        settings: &'s N,
        render: protocol::ItemRenderer<'_>,
        sent: Option<&str>,
    ) -> Result<FromSettings<'s>, ServiceError> {
        settings::validate(settings, Kind::Job, |p| self.check_output_preset(ctx, p))?;
        let text = match sent {
            Some(sent) => {
                // Debug builds (every test) check that it is.
                #[cfg(debug_assertions)]
                if render.render(settings) != sent.as_bytes() {
                    return Err(ServiceError::internal(format!(
                        "a job's settings as sent differ from their wire text: {sent}"
                    )));
                }
                WireDocument::from_text(sent)
            }
            None => WireDocument::new(render.render(settings)),
        };
        Ok(FromSettings {
            outputs: settings::output_files(settings, |p| self.preset_settings(ctx, p)),
            inputs: settings::input_files(settings),
            length_ms: settings::stitched_ms(settings, duration_ms).unwrap_or(60_000),
            codecs: settings::codecs(settings),
            text,
        })
    }

    /// The store key of the job `token` may have created in the caller's account and region
    /// less than a minute before `now` (to be checked against the job: see `with_token`).
    #[cfg(test)]
    pub(crate) fn token_slot(
        &self,
        ctx: &RequestContext,
        token: &str,
        now: f64,
    ) -> Option<std::sync::Arc<str>> {
        let slot = request_tokens::slot(ctx.account(), &ctx.region, token);
        self.request_tokens.lock().recent_in(slot, now).cloned()
    }

    /// The answer to a retry: the caller's job that `token` created less than a minute
    /// before `now`. The token table is read first, and `jobs` (the job table, as the caller
    /// holds it or reads it) only for a token recorded: most tokens are new, and their
    /// check then never waits for the job lock while another worker stores a job.
    /// `token` comes with its slot in the token table (hashed once per job).
    fn retry_answer<J: Deref<Target = JobTable>>(
        &self,
        ctx: &RequestContext,
        token: Option<(&str, u64)>,
        now: f64,
        answer: Answer,
        jobs: impl FnOnce() -> J,
    ) -> Option<Result<Output, ServiceError>> {
        let (token, slot) = token?;
        let key = self.request_tokens.lock().recent_in(slot, now).cloned()?;
        let jobs = jobs();
        let (arn, j) = jobs.with_token(ctx, &key, token)?;
        Some(job_wire::job_answer(
            "CreateJob",
            j,
            arn,
            &self.runtime.clock,
            answer,
        ))
    }

    pub(crate) fn create_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.submit_job(ctx, input.clone(), Answer::Value)
            .map(|o| o.value)
    }

    /// CreateJob with its input by value (as `Service::handle` has it): the job's settings
    /// tree moves into the job rather than being copied.
    pub(crate) fn submit_job(
        &self,
        ctx: &RequestContext,
        mut input: Value,
        answer: Answer,
    ) -> Result<Output, ServiceError> {
        let r = job_wire::renderers()
            .ok_or_else(|| ServiceError::internal("MediaConvert's model has no Job settings"))?;
        // The settings the server read apart (see `Service::doc_member`), else the input's:
        // taken out of it (a null left in its place, which nothing reads) by a walk of its
        // few members: removing the member hashed its name and moved another in its place.
        let read_apart = ctx.doc_member.as_ref().filter(|d| d.name == SETTINGS);
        let job_settings = input
            .as_object_mut()
            .and_then(|m| m.iter_mut().find(|(k, _)| *k == SETTINGS))
            .map_or_else(|| json!({}), |(_, v)| v.take());
        let input = &input;
        let role = req_str(input, "Role")?;
        if !service::is_role_arn(role) {
            return Err(bad_request(format!(
                "/role: Invalid role ARN [{role}]: it must be the ARN of an IAM role"
            )));
        }
        crate::rules::check_job_request(input)?;
        let clock = &self.runtime.clock;
        let now = clock.now();
        let token = opt_str(input, "ClientRequestToken");
        // Hashed without the token table's lock, which the worker storing a job takes under
        // the job table's.
        let token_slot = token.map(|t| (t, request_tokens::slot(ctx.account(), &ctx.region, t)));
        if let Some(out) = self.retry_answer(ctx, token_slot, now, answer, || self.jobs.read()) {
            return out;
        }
        let tags = TAGS.read(input, "Tags")?;
        // The template, if named, is the base the job's own members override.
        // A system template is the same in every account and region, named or by ARN.
        let template_name = opt_str(input, "JobTemplate");
        let system = template_name.and_then(|t| system_templates::find(model::name_of(t)));
        let template = match template_name {
            None => None,
            Some(_) if system.is_some() => system.map(|s| s.job_template()),
            Some(t) => {
                let arn = named_arn(ctx, "jobTemplates", t);
                let state = self.state.read();
                let found = state.templates.get_in(ctx, &arn);
                Some(
                    found
                        .ok_or_else(|| {
                            not_found(format!(
                                "The specified job template was not found: jobTemplateArn={arn}."
                            ))
                        })?
                        .value
                        .clone(),
                )
            }
        };
        // A template's settings are merged as values; a job's own are read where they are.
        let merged = template.as_ref().map(|t| match read_apart {
            Some(apart) => settings::apply_template(&t.settings.value(), &apart.doc.to_value()),
            None => settings::apply_template(&t.settings.value(), &job_settings),
        });
        let read = match (&merged, read_apart) {
            (Some(m), _) => self.read_settings(ctx, m, r.settings, None),
            (None, Some(apart)) => {
                self.read_settings(ctx, &apart.doc, r.settings, apart.wire_text.as_deref())
            }
            (None, None) => self.read_settings(ctx, &job_settings, r.settings, None),
        }?;
        let named_queue = opt_str(input, "Queue")
            .map(|q| named_arn(ctx, "queues", q))
            .or_else(|| template.as_ref().and_then(|t| t.queue.clone()));
        // The caller's Default queue's ARN, which is the job's queue unless it names another
        // (then built apart: one text either way, not a copy).
        let default_queue = named_queue
            .is_some()
            .then(|| model::arn(ctx, "queues", model::DEFAULT_QUEUE));
        let queue = named_queue.unwrap_or_else(|| model::arn(ctx, "queues", model::DEFAULT_QUEUE));
        let engine_requested: Option<Box<str>> = opt_str(input, "JobEngineVersion").map(Box::from);
        let engine_used = match engine_requested.as_deref().map(|v| (v, engine_version(v, now))) {
            None => Some(Word::known(ENGINE_VERSIONS[0].0)),
            Some((v, EngineVersion::Available)) => Some(Word::new(v)),
            // "Requests to create jobs with an expired version result in a regular job, as if
            // no specific Job engine version was requested" (its `JobEngineVersionUsed` empty).
            Some((_, EngineVersion::Expired)) => None,
            Some((v, EngineVersion::Invalid)) => {
                return Err(bad_request(format!(
                    "/jobEngineVersion: Job engine version {v} is not available; ListVersions lists the available versions"
                )))
            }
        };
        let FromSettings {
            outputs,
            inputs,
            length_ms: length,
            codecs: (video_codecs, audio_codecs),
            text: settings_text,
        } = read;
        let acceleration = input
            .member("AccelerationSettings")
            .map(Document::new)
            .or_else(|| template.as_ref().and_then(|t| t.acceleration.clone()));
        let mode = acceleration.as_ref().and_then(|a| {
            a.value()
                .member("Mode")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        let hop_destinations = input
            .member("HopDestinations")
            .map(Document::new)
            .or_else(|| template.as_ref().and_then(|t| t.hop_destinations.clone()));
        // One look at the state for the input policy, the queue (whether it holds jobs, whether
        // it is reserved) and the hop destinations: the write lock below is then held only to
        // store the job.
        let hops = hop_destinations.as_ref().map(Document::value);
        let (policy, (seen, reserved, queue_key), seen_generation) = {
            let state = self.state.read();
            state.check_hops(ctx, hops.as_ref(), &queue)?;
            (
                state.input_policy(ctx),
                queue_seen(
                    &state,
                    ctx,
                    &queue,
                    default_queue.as_deref().unwrap_or(&queue),
                    now,
                ),
                state.queues.generation(),
            )
        };
        let seen_paused = seen.map(|(paused, _)| paused);
        drop(default_queue);
        // A job with an input location the policy disallows is not submitted at all.
        if job_access::disallows_any(&policy, &inputs) {
            return Err(bad_request(job_access::DISALLOWED_INPUT.to_string()));
        }
        // "Reserved queues cannot run accelerated jobs" (a PREFERRED job runs there without).
        if reserved && mode.as_deref() == Some("ENABLED") {
            return Err(bad_request(format!(
                "/accelerationSettings/mode: Reserved queues cannot run accelerated jobs: queue {} \
                 is a reserved queue. Submit the job to an on-demand queue, or set mode to PREFERRED \
                 to run it without acceleration",
                model::name_of(&queue)
            )));
        }
        let mut outcome = job_access::decide(
            self.roles.as_ref(),
            ctx.account(),
            role,
            &queue,
            &inputs,
            &outputs,
        );
        // Accelerated transcoding needs video in every output: ENABLED fails a job with an
        // audio-only output (once it can read and write), PREFERRED runs it unaccelerated.
        let audio_only = outputs.iter().find(|f| !f.manifest && f.frame.is_none());
        if let (Some("ENABLED"), Some(f), Outcome::Complete) =
            (mode.as_deref(), audio_only, &outcome)
        {
            outcome = job_access::not_accelerable(&f.url);
        }
        let unaccelerated =
            mode.as_deref() == Some("PREFERRED") && (reserved || audio_only.is_some());
        // Each list at its exact size: the job keeps them (pushes left room for four each).
        let media = || outputs.iter().filter(|f| !f.manifest);
        let groups = media().map(|f| f.group + 1).max().unwrap_or(0);
        let output_groups: Box<[Box<[OutputDetail]>]> = (0..groups)
            .map(|g| {
                let mut details = Vec::with_capacity(media().filter(|f| f.group == g).count());
                details.extend(media().filter(|f| f.group == g).map(|f| OutputDetail {
                    duration_ms: length,
                    frame: f.frame,
                }));
                details.into_boxed_slice()
            })
            .collect();
        let mut user_metadata: Vec<(Box<str>, Box<str>)> = input
            .member("UserMetadata")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str().into(), v.as_str()?.into())))
                    .collect()
            })
            .unwrap_or_default();
        let id = {
            // `{:013}-{suffix}` without `format!`'s machinery.
            let ms = ((now * 1000.0) as u64).to_string();
            let zeros = "0000000000000".get(ms.len().min(13)..).unwrap_or_default();
            let suffix = id_suffix(&self.runtime.ids.bytes(6));
            let suffix = std::str::from_utf8(&suffix).unwrap_or("000000");
            service::concat(&[zeros, &ms, "-", suffix])
        };
        let arn = model::shared_arn(ctx, "jobs", &id);
        let mut job = Job {
            id: id.into(),
            // The queue store's key when the queue was there (it is made below otherwise).
            queue: queue_key.map_or_else(|| queue.as_str().into(), SharedText::new),
            role: role.into(),
            settings: settings_text,
            older_settings: None,
            inputs: inputs.iter().map(|&s| s.into()).collect(),
            video_codecs,
            audio_codecs,
            job_template: template_name.map(Box::from),
            priority: opt_i64(input, "Priority")
                .or_else(|| template.as_ref().and_then(|t| t.priority))
                .unwrap_or(0),
            user_metadata: {
                user_metadata.sort();
                user_metadata.into_boxed_slice()
            },
            status_update_interval: opt_str(input, "StatusUpdateInterval")
                .or_else(|| {
                    template
                        .as_ref()
                        .and_then(|t| t.status_update_interval.as_deref())
                })
                .map_or(Word::known("SECONDS_60"), Word::new),
            acceleration,
            unaccelerated,
            hopping: hopping(ctx, hops.as_ref()).map(|mut h| {
                h.accelerable = mode.as_deref() == Some("PREFERRED") && audio_only.is_none();
                h
            }),
            hop_destinations,
            billing_tags_source: opt_str(input, "BillingTagsSource").map(Box::from),
            simulate_reserved_queue: opt_str(input, "SimulateReservedQueue").map(Box::from),
            // "The Elemental Inference settings used in this job": the job's, else its
            // template's, as its other job-level settings.
            elemental_inference: input
                .member("ElementalInferenceSettings")
                .map(Document::new)
                .or_else(|| {
                    template
                        .as_ref()
                        .and_then(|t| t.elemental_inference.clone())
                }),
            client_request_token: token.map(Box::from),
            engine_requested,
            engine_used,
            created_at: now,
            phase: Phase {
                state: String::new(),
                since: 0.0,
            },
            anchor_wall: now,
            anchor_lifecycle: 0.0,
            started_before_cancel: None,
            outcome,
            output_groups,
            share_status: None,
        };
        drop((merged, job_settings));
        job.submit(clock);
        // The answer is written before the write lock, for the queue as the read saw it; under
        // the lock the queue is checked again.
        let hold = |job: &mut Job| {
            job.phase = Phase {
                state: HELD.into(),
                since: clock.lifecycle_now(),
            }
        };
        let render = |job: &Job| job_wire::job_answer("CreateJob", job, &arn, clock, answer);
        let mut out = seen_paused.map(|paused| {
            if paused {
                hold(&mut job);
            }
            render(&job)
        });
        // The queue is read again, and stays read-locked while the job is stored: a pause or
        // resume (which locks `state` before `jobs`) then either sees this job or is seen.
        let queue_now = |state: &State| {
            state
                .queues
                .get_in(ctx, &queue)
                .map(|q| (q.value.holds_jobs(now), q.value.capacity()))
        };
        // The ARN's hash in the unfinished set, before the lock too.
        let active_hash = ArnHash::of(&arn);
        let mut state = self.state.read();
        let mut found = match seen {
            // No queue changed since the read (same generation): the queue is as seen.
            Some(seen) if state.queues.generation() == seen_generation => Some(seen),
            Some(_) => queue_now(&state),
            None => None,
        };
        if found.is_none() {
            // The account's first job, or the account was reset since the read: its Default
            // queue is made (again).
            drop(state);
            let mut made = self.state.write();
            made.ensure_default_queue(ctx, now);
            state = parking_lot::RwLockWriteGuard::downgrade(made);
            found = queue_now(&state);
        }
        let (paused, capacity) = found.ok_or_else(|| queue_not_found(model::name_of(&queue)))?;
        // Wrapped as the store keeps it before the job table's lock (an allocation under it
        // delays every other CreateJob); this request's alone until it is stored.
        let mut stored = Arc::new(Stored::new(job, tags));
        let mut jobs = self.jobs.write();
        // A concurrent request with the same token may have made its job since the read.
        if let Some(out) = self.retry_answer(ctx, token_slot, now, answer, || &*jobs) {
            return out;
        }
        let Some(Stored { value: job, .. }) = Arc::get_mut(&mut stored) else {
            // (Not reached: nothing else has it yet.)
            return Err(ServiceError::internal(
                "a new job was shared before it was stored",
            ));
        };
        if seen_paused != Some(paused) {
            // The account's first job (its Default queue was just made), or the queue was
            // paused or resumed meanwhile: place the job as the queue is now.
            job.submit(clock);
            if paused {
                hold(job);
            }
            out = None;
        }
        let out = match out {
            Some(out) => out?,
            None => render(job)?,
        };
        let jobs = &mut *jobs;
        if let Some(h) = &mut job.hopping {
            // Its wait for a hop counts from its submission, a pause included.
            h.entered = job.anchor_lifecycle;
            h.priority = job.priority;
        }
        // Its place in the queue: the answer, written before, says SUBMITTED either way.
        let reschedule = jobs.place(&queue, capacity, job, clock);
        jobs.share(&mut job.settings);
        let rests_at = job.rests_at();
        let expires_at = job.expires_at(clock);
        let key = jobs.store.put_shared(&ctx.journal, arn, stored);
        if let Some((_, slot)) = token_slot {
            self.request_tokens.lock().insert_in(slot, key.clone(), now);
        }
        jobs.active
            .add_hashed(key.clone(), active_hash, rests_at, expires_at);
        if reschedule {
            jobs.reschedule(ctx, clock, &queue, capacity, false, Some(&key));
        }
        jobs.active.prune(&key, &jobs.store, clock);
        Ok(out)
    }

    pub(crate) fn get_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.job_of(ctx, input, Answer::Value).map(|o| o.value)
    }

    /// GetJob: the caller's job `Id`, answered as `answer` asks, under the job table's read
    /// lock; NotFoundException if there is none.
    pub(crate) fn job_of(
        &self,
        ctx: &RequestContext,
        input: &Value,
        answer: Answer,
    ) -> Result<Output, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = model::arn(ctx, "jobs", id);
        let jobs = self.jobs.read();
        let j = jobs
            .store
            .get_in(ctx, &arn)
            .ok_or_else(|| job_not_found(id))?;
        job_wire::job_answer("GetJob", &j.value, &arn, &self.runtime.clock, answer)
    }

    pub(crate) fn cancel_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = model::arn(ctx, "jobs", id);
        let clock = &self.runtime.clock;
        // The queue's capacity is read under the state lock, taken before the jobs'.
        let state = self.state.read();
        let mut jobs = self.jobs.write();
        let (queue, rests_at) = jobs
            .store
            .update(ctx, &arn, |j| {
                j.value.cancel(clock)?;
                // The queue it is in now (a hop may have moved it) is the one placed again.
                let queue = j.value.queue_now().to_string();
                Ok::<_, ServiceError>((queue, j.value.rests_at()))
            })
            .ok_or_else(|| job_not_found(id))??;
        jobs.active.set_rests_at(&arn, rests_at);
        // A waiting job leaves its queue, a running one frees its slot: the jobs waiting
        // there are placed again.
        let capacity = state
            .queues
            .get_in(ctx, &queue)
            .and_then(|q| q.value.capacity());
        jobs.reschedule(ctx, clock, &queue, capacity, false, None);
        Ok(json!({}))
    }

    pub(crate) fn list_jobs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.jobs_listing(ctx, input, "ListJobs", Answer::Value)
            .map(|o| o.value)
    }

    pub(crate) fn search_jobs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.jobs_listing(ctx, input, "SearchJobs", Answer::Value)
            .map(|o| o.value)
    }

    /// ListJobs and SearchJobs: by queue, status and (search) input file, newest first
    /// unless `Order=ASCENDING`; the jobs answered as views or written (see [`Answer`]).
    pub(crate) fn jobs_listing(
        &self,
        ctx: &RequestContext,
        input: &Value,
        operation: &str,
        answer: Answer,
    ) -> Result<Output, ServiceError> {
        let input_file = match operation {
            "SearchJobs" => opt_str(input, "InputFile"),
            _ => None,
        };
        if let Some(f) = input_file {
            crate::rules::check_search_input_file(f)?;
        }
        let queue = opt_str(input, "Queue").map(|q| named_arn(ctx, "queues", q));
        let status = opt_str(input, "Status");
        let order = Order::read(input, true);
        let key = &self.runtime.token_key;
        let filters = format!(
            "{}|{}|{}|{}",
            queue.as_deref().unwrap_or(""),
            status.unwrap_or(""),
            input_file.unwrap_or(""),
            order.descending
        );
        let page = paging::request(key, ctx, operation, input, &filters)?;
        let clock = &self.runtime.clock;
        let state = self.state.read();
        if let Some(q) = &queue {
            if state.queues.get_in(ctx, q).is_none() && model::name_of(q) != model::DEFAULT_QUEUE {
                return Err(queue_not_found(model::name_of(q)));
            }
        }
        // Job IDs start with their creation time in milliseconds, so ARN order is submission
        // order: walk the store forwards or backwards, filtering on what is cheap to know,
        // and build views for the page only.
        // From the page's cursor on: a later page costs its own length, however many jobs
        // the account has accumulated before it.
        drop(state);
        let jobs = self.jobs.read();
        let ordered = jobs
            .store
            .iter_from_in(ctx, page.after.as_deref(), order.descending);
        let items = ordered.map(|(arn, j)| (arn, (arn, &j.value)));
        let (found, next) = paging::walk(key, &page, items, order, |(_, j): &(&str, &Job)| {
            queue.as_deref().is_none_or(|q| j.queue_now() == q)
                && input_file.is_none_or(|f| j.inputs.iter().any(|i| i.contains(f)))
                && status.is_none_or(|s| j.progress(clock).status == s)
        });
        let mut rest = Map::new();
        page.put_token(&mut rest, next);
        job_wire::jobs_answer(operation, &found, clock, rest, answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_and_durations() {
        assert!(service::is_role_arn(
            "arn:aws:iam::123456789012:role/MediaConvert"
        ));
        assert!(service::is_role_arn(
            "arn:aws:iam::123456789012:role/service-role/x"
        ));
        assert!(!service::is_role_arn("arn:aws:iam::123456789012:user/x"));
        assert!(!service::is_role_arn("MediaConvertRole"));
        assert!(!service::is_role_arn("arn:aws:iam::1234:role/x"));
        let d = duration_ms("s3://b/k.mp4");
        assert_eq!(d, duration_ms("s3://b/k.mp4"));
        assert!((10_000..600_000).contains(&d));
    }

    #[test]
    fn job_ids_end_in_six_lowercase_letters_and_digits() {
        assert_eq!(&id_suffix(&[0, 9, 10, 35, 36, 255]), b"09az03");
        // Every byte gives one of the 36.
        let all: Vec<u8> = (0..=255).collect();
        for chunk in all.chunks(6) {
            let s = id_suffix(chunk);
            assert!(s
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
        }
        // CreateJob's IDs: 13 digits, `-`, six of `[0-9a-z]`, letters past `f` among them
        // (AWS's `1515368087458-qnoxtd`).
        let s = crate::tests::service_on(service::Runtime::new(
            service::Transitions::Manual,
            Some(7),
            [3; 32],
        ));
        let mut suffixes = String::new();
        for _ in 0..10 {
            let job = crate::tests::ok(
                &s,
                "CreateJob",
                serde_json::json!({"Role": "arn:aws:iam::111111111111:role/convert",
                    "Settings": {"Inputs": [{"FileInput": "s3://in/a.mov"}],
                        "OutputGroups": [{"OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS",
                            "FileGroupSettings": {"Destination": "s3://out/"}},
                            "Outputs": [{"ContainerSettings": {"Container": "MP4"},
                                "VideoDescription": {"Width": 640, "Height": 360}}]}]}}),
            );
            let id = job["Job"]["Id"].as_str().unwrap().to_string();
            let (ms, suffix) = id.split_once('-').unwrap();
            assert!(
                ms.len() == 13 && ms.bytes().all(|c| c.is_ascii_digit()),
                "{id}"
            );
            assert!(suffix.len() == 6, "{id}");
            assert!(
                suffix
                    .bytes()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()),
                "{id}"
            );
            suffixes.push_str(suffix);
        }
        assert!(suffixes.bytes().any(|c| c > b'f'), "{suffixes}");
    }
}
