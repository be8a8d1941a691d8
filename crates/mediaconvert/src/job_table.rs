//! The jobs and the indexes that follow them, kept under a lock of their own: CreateJob
//! writes only here, so the reads every request makes of queues, presets, templates and the
//! input policy (authorization's included) never wait while a job is stored.
//!
//! Lock order: MediaConvert's `state` before `jobs`, and `jobs` before `request_tokens`,
//! whenever a request holds more than one.

use crate::active_jobs::ActiveJobs;
use crate::model::{Job, WireDocument};
use crate::request_tokens::{self, RequestTokens};
use kit::Store;
use service::{Clock, Record, RequestContext};
use std::collections::HashMap;

/// Every job and the ones that may be unfinished.
pub(crate) struct JobTable {
    /// Boxed: a store slot then costs a pointer, not a whole job (hash tables keep spare slots).
    pub store: Store<Box<Job>>,
    /// The jobs that may be unfinished (what queues count and pause).
    pub active: ActiveJobs,
    /// The settings text of the job stored last: a test suite or a pipeline submits the same
    /// settings again and again, and each such job then keeps one shared text, not a copy.
    last_settings: WireDocument,
}

impl JobTable {
    /// No jobs.
    pub fn new() -> Self {
        JobTable {
            store: Store::new("job"),
            active: ActiveJobs::default(),
            last_settings: WireDocument::default(),
        }
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

    /// Holds or releases the queue's unfinished jobs; journals the jobs that changed.
    pub fn set_queue_paused(
        &mut self,
        ctx: &RequestContext,
        clock: &Clock,
        arn: &str,
        paused: bool,
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
                let changed = if paused {
                    j.value.hold(clock)
                } else {
                    j.value.release(clock)
                };
                if changed {
                    Ok(())
                } else {
                    Err(())
                }
            });
        }
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
            return Ok(());
        };
        let Some(job) = self.store.get(&key).map(|j| &j.value) else {
            return Ok(());
        };
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
