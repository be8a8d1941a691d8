//! Harvest jobs: QUEUED → IN_PROGRESS → COMPLETED on the lifecycle clock, CANCELLED on request.
//!
//! The v2 User Guide (live-to-vod.html) requires only that "The start time of the harvest job
//! must be in the past" and lists "Real-time harvesting is supported for ongoing streams": a
//! job whose EndTime is still to come is accepted and stays IN_PROGRESS until that time has
//! passed on the lifecycle clock, then exports as any other job does. A job starting before
//! its endpoint's startover window is accepted and ends FAILED, with an `ErrorMessage`
//! ("If the endpoint has a window of 5 hours and the start time is 6 hours ago, the harvest job
//! fails", the same page). A job's record expires 15 days after its creation: it is gone from
//! Get, List, Cancel and the tag calls, and its name is free again.

use super::arns::{endpoint_arn, group_arn, job_arn, Kind};
use super::channels::member;
use super::errors::{already_exists, invalid, not_found};
use super::groups::{check_etag, listing, page_request, TAGS};
use super::model::{FilterConfiguration, HarvestJob, HarvestedManifests};
use super::quotas;
use super::MediaPackageV2;
use kit::input::{opt_str, req_str, timestamp};
use kit::{Lifecycle, Step, Stored};
use serde_json::{json, Value};
use service::{Clock, RequestContext, ServiceError};
use std::time::Duration;

/// A harvest job's timed steps (AWS takes minutes; the emulator seconds in fast mode).
pub(super) const HARVEST: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "QUEUED",
            to: "IN_PROGRESS",
            after: Duration::from_secs(1),
        },
        Step {
            from: "IN_PROGRESS",
            to: "COMPLETED",
            after: Duration::from_secs(2),
        },
    ],
};

/// A job its endpoint can't serve: processed as any other, then FAILED.
const HARVEST_FAILING: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "QUEUED",
            to: "IN_PROGRESS",
            after: Duration::from_secs(1),
        },
        Step {
            from: "IN_PROGRESS",
            to: "FAILED",
            after: Duration::from_secs(2),
        },
    ],
};

/// How long a job exports once its window is recorded (the IN_PROGRESS step above).
const EXPORT: Duration = Duration::from_secs(2);

/// Where `job` is now: a job still recording its window is IN_PROGRESS however long ago it
/// started, in every mode, for the end is the stream's time, not a step of the service ("The
/// end time can be in the future", "Real-time harvesting is supported for ongoing streams",
/// live-to-vod.html): the lifecycle clock decides when the window's end has passed (wall time
/// in fast and instant mode, the advanced time in manual mode), then the export takes its step
/// (at once in instant mode). A job its endpoint can't serve ends FAILED.
fn status(clock: &Clock, job: &HarvestJob) -> String {
    if job.failure.is_some() {
        return HARVEST_FAILING.state(clock, &job.phase);
    }
    let state = HARVEST.state(clock, &job.phase);
    match job.recorded_at {
        Some(at)
            if state == "COMPLETED" && (clock.lifecycle_now() < at || !clock.due(at, EXPORT)) =>
        {
            "IN_PROGRESS".into()
        }
        _ => state,
    }
}

/// How long a job's record stays: "The harvest job expires within 15 days of job creation"
/// and "You can reuse the name after the harvest job expires from your account"; "You can view
/// all harvest jobs that you created within the last 15 days. After that, harvest jobs expire
/// from your account" (the v2 User Guide, live-to-vod.html).
const RECORD_SECONDS: f64 = 15.0 * 86_400.0;

/// Whether `job`'s record has expired, on lifecycle time (so a manual clock ages it too, and
/// instant mode, whose transitions are all due, does not expire it at once).
pub(super) fn expired(clock: &Clock, job: &HarvestJob) -> bool {
    job.expires_at.is_some_and(|at| clock.lifecycle_now() >= at)
}

/// AWS's longest harvest window.
const MAX_WINDOW_SECONDS: f64 = 24.0 * 3600.0;

/// Why a job from `start` to `end` (epoch seconds) fails on an endpoint whose startover window
/// is `window` seconds, at `now`: "The start time must also be within the startover window on
/// the endpoint. If the endpoint has a window of 5 hours and the start time is 6 hours ago, the
/// harvest job fails", and of the end: "The length of the asset can't exceed the startover
/// window on the endpoint. The end time can be in the future" (the v2 User Guide,
/// live-to-vod.html, "Creating a harvest job"). A longer job's start leaves the window before
/// its end is recorded, so it fails as its sibling rule says. (An end in the past is inside
/// the window when the start is; the length rule bites for ends still to come.) The guide lists
/// no startover window among the endpoint requirements, so an endpoint without one is not
/// judged here. The wording is ours.
fn failure(window: Option<i64>, start: f64, end: f64, now: f64) -> Option<String> {
    let window = window.filter(|&w| w > 0)?;
    if start < now - window as f64 {
        return Some(format!(
            "The harvest job's start time is outside the origin endpoint's startover window of {window} seconds"
        ));
    }
    (end - start > window as f64).then(|| {
        format!(
            "The harvest job's duration ({} seconds) exceeds the origin endpoint's startover window of {window} seconds",
            end - start
        )
    })
}

fn view(clock: &Clock, arn: &str, j: &Stored<HarvestJob>) -> Value {
    let v = &j.value;
    let mut out = json!({
        "ChannelGroupName": v.group, "ChannelName": v.channel, "OriginEndpointName": v.endpoint,
        "HarvestJobName": v.name, "Arn": arn,
        "Destination": {"S3Destination": {"BucketName": v.bucket, "DestinationPath": v.path}},
        "HarvestedManifests": v.manifests,
        "ScheduleConfiguration": {"StartTime": timestamp(v.start), "EndTime": timestamp(v.end)},
        "CreatedAt": timestamp(v.created_at), "ModifiedAt": timestamp(v.modified_at),
        "Status": status(clock, v), "ETag": v.etag, "Tags": kit::tags_to_map(&j.tags),
    });
    if let Some(d) = &v.description {
        out["Description"] = json!(d);
    }
    // "Error messages for failed jobs will be returned in the ErrorMessage field" (the v2
    // User Guide, live-to-vod.html).
    if let Some(why) = v.failure.as_ref().filter(|_| out["Status"] == "FAILED") {
        out["ErrorMessage"] = json!(why);
    }
    out
}

impl MediaPackageV2 {
    pub(super) fn create_harvest_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let (g, c, e) = (
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
            req_str(input, "OriginEndpointName")?,
        );
        let tags = TAGS.read(input, "Tags")?;
        let manifests: HarvestedManifests =
            member(input, "HarvestedManifests")?.unwrap_or_default();
        let schedule = input
            .get("ScheduleConfiguration")
            .cloned()
            .unwrap_or(Value::Null);
        let (start, end) = (
            schedule["StartTime"].as_f64().unwrap_or(0.0),
            schedule["EndTime"].as_f64().unwrap_or(0.0),
        );
        let s3 = &input["Destination"]["S3Destination"];
        let (bucket, path) = (s3["BucketName"].as_str(), s3["DestinationPath"].as_str());
        let (Some(bucket), Some(path)) = (bucket, path) else {
            return Err(invalid(
                "HARVEST_JOB_S3_DESTINATION_MISSING_OR_INCOMPLETE",
                "The S3 destination of the harvest job needs a bucket name and a destination path",
            ));
        };
        if end <= start || end - start > MAX_WINDOW_SECONDS {
            return Err(invalid(
                "INVALID_HARVEST_JOB_DURATION",
                "The harvest window must end after it starts and last at most 24 hours",
            ));
        }
        let now = self.runtime.clock.now();
        if start >= now {
            return Err(invalid(
                "INVALID_HARVEST_JOB_DURATION",
                "The start time of the harvest job must be in the past",
            ));
        }
        let total = manifests.hls_manifests.len()
            + manifests.dash_manifests.len()
            + manifests.low_latency_hls_manifests.len();
        if total == 0 {
            return Err(invalid(
                "NUM_MANIFESTS_LOW",
                "A harvest job needs at least one manifest",
            ));
        }
        let name = match opt_str(input, "HarvestJobName") {
            Some(n) => n.to_string(),
            None => format!("HarvestJob-{}", self.runtime.ids.alnum(12)),
        };
        let arn = job_arn(&ctx.region, ctx.account(), g, c, e, &name);
        self.idempotent(ctx, "CreateHarvestJob", input, |state| {
            let earn = endpoint_arn(&ctx.region, ctx.account(), g, c, e);
            let endpoint = state.endpoint(ctx, &earn)?;
            let cfg = &endpoint.value.config;
            let has = |list: &[super::model::ManifestRef],
                       names: &mut dyn Iterator<Item = &String>| {
                let names: Vec<&String> = names.collect();
                list.iter().all(|m| names.contains(&&m.manifest_name))
            };
            if !has(
                &manifests.hls_manifests,
                &mut cfg.hls_manifests.iter().map(|m| &m.manifest_name),
            ) || !has(
                &manifests.low_latency_hls_manifests,
                &mut cfg
                    .low_latency_hls_manifests
                    .iter()
                    .map(|m| &m.manifest_name),
            ) || !has(
                &manifests.dash_manifests,
                &mut cfg.dash_manifests.iter().map(|m| &m.manifest_name),
            ) {
                return Err(invalid(
                    "HARVESTED_MANIFEST_NOT_FOUND_ON_ENDPOINT",
                    "Each harvested manifest must be a manifest of the origin endpoint",
                ));
            }
            // A harvested manifest's own filter may not fix its start, end or clip start.
            let fixed = |f: &Option<FilterConfiguration>| {
                f.as_ref().is_some_and(|f| {
                    f.start.is_some() || f.end.is_some() || f.clip_start_time.is_some()
                })
            };
            let wanted = |list: &[super::model::ManifestRef], name: &str| {
                list.iter().any(|m| m.manifest_name == name)
            };
            let filtered = cfg
                .hls_manifests
                .iter()
                .filter(|m| wanted(&manifests.hls_manifests, &m.manifest_name))
                .chain(cfg.low_latency_hls_manifests.iter().filter(|m| {
                    wanted(&manifests.low_latency_hls_manifests, &m.manifest_name)
                }))
                .find(|m| fixed(&m.filter_configuration))
                .map(|m| &m.manifest_name)
                .or_else(|| {
                    cfg.dash_manifests
                        .iter()
                        .filter(|m| wanted(&manifests.dash_manifests, &m.manifest_name))
                        .find(|m| fixed(&m.filter_configuration))
                        .map(|m| &m.manifest_name)
                });
            if let Some(name) = filtered {
                return Err(invalid(
                    "HARVESTED_MANIFEST_HAS_START_END_FILTER_CONFIGURATION",
                    format!(
                        "The harvested manifest {name} can't include a start, end, or clip start time in its filter configuration"
                    ),
                ));
            }
            // CreateHarvestJobRequest.HarvestJobName: "This name must be unique within the
            // channel" (the model), not only within the endpoint its ARN names; an expired
            // job's name is free again.
            let clock = &self.runtime.clock;
            let namesakes: Vec<(String, bool)> = state
                .jobs
                .iter_in(ctx)
                .filter(|(_, j)| j.value.group == g && j.value.channel == c && j.value.name == name)
                .map(|(a, j)| (a.to_string(), expired(clock, &j.value)))
                .collect();
            if namesakes.iter().any(|(_, gone)| !gone) {
                return Err(already_exists(Kind::Job));
            }
            let active = state
                .jobs
                .iter_in(ctx)
                .filter(|(_, j)| {
                    j.value.group == g
                        && matches!(status(clock, &j.value).as_str(), "QUEUED" | "IN_PROGRESS")
                })
                .count();
            quotas::ACTIVE_HARVEST_JOBS_PER_GROUP
                .admit(&self.runtime, active, 1)
                .map_err(quotas::exceeded)?;
            let job = HarvestJob {
                group: g.into(),
                channel: c.into(),
                endpoint: e.into(),
                name: name.clone(),
                description: opt_str(input, "Description").map(str::to_string),
                manifests,
                start,
                end,
                bucket: bucket.into(),
                path: path.into(),
                phase: HARVEST.enter(clock, "QUEUED"),
                // The window's end as lifecycle time: as far ahead of the lifecycle clock as
                // EndTime is of the wall clock.
                recorded_at: (end > now).then(|| clock.lifecycle_now() + (end - now)),
                failure: failure(cfg.startover_window_seconds, start, end, now),
                expires_at: Some(clock.lifecycle_now() + RECORD_SECONDS),
                created_at: now,
                modified_at: now,
                etag: self.etag(),
            };
            // The expired records make way for the new job of the same name.
            for (old, _) in &namesakes {
                state.jobs.remove(&ctx.journal, old);
            }
            let stored = Stored::new(job, tags);
            let out = view(clock, &arn, &stored);
            state.jobs.put(&ctx.journal, &arn, stored);
            Ok(out)
        })
    }

    fn job_arn_of(ctx: &RequestContext, input: &Value) -> Result<String, ServiceError> {
        Ok(job_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
            req_str(input, "OriginEndpointName")?,
            req_str(input, "HarvestJobName")?,
        ))
    }

    pub(super) fn get_harvest_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::job_arn_of(ctx, input)?;
        let state = self.state.read();
        let j = state
            .jobs
            .get_in(ctx, &arn)
            .filter(|j| !expired(&self.runtime.clock, &j.value))
            .ok_or_else(|| state.missing(ctx, &arn, Kind::Job))?;
        Ok(view(&self.runtime.clock, &arn, j))
    }

    pub(super) fn cancel_harvest_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = Self::job_arn_of(ctx, input)?;
        let clock = &self.runtime.clock;
        let now = clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        state
            .jobs
            .update(ctx, &arn, |j| {
                if expired(clock, &j.value) {
                    return Err(not_found(Kind::Job));
                }
                check_etag(input, &j.value.etag)?;
                let current = status(clock, &j.value);
                if current != "QUEUED" && current != "IN_PROGRESS" {
                    return Err(invalid(
                        "HARVEST_JOB_INELIGIBLE_FOR_CANCELLATION",
                        format!("The harvest job can't be cancelled because it is {current}"),
                    ));
                }
                j.value.phase = HARVEST.enter(clock, "CANCELLED");
                j.value.modified_at = now;
                j.value.etag = etag;
                Ok(json!({}))
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Job)))
    }

    pub(super) fn list_harvest_jobs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let garn = group_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
        );
        let channel = opt_str(input, "ChannelName");
        let endpoint = opt_str(input, "OriginEndpointName");
        let wanted = opt_str(input, "Status");
        let filters = format!(
            "{garn}|{}|{}|{}",
            channel.unwrap_or(""),
            endpoint.unwrap_or(""),
            wanted.unwrap_or("")
        );
        let page = page_request(self, ctx, "ListHarvestJobs", input, &filters)?;
        let state = self.state.read();
        state
            .groups
            .get_in(ctx, &garn)
            .ok_or_else(|| not_found(Kind::Group))?;
        let prefix = format!("{garn}/");
        let clock = &self.runtime.clock;
        let found = state
            .jobs
            .page(ctx, &self.runtime.token_key, &page, |arn, j| {
                arn.starts_with(&prefix)
                    && !expired(clock, &j.value)
                    && channel.is_none_or(|c| c == j.value.channel)
                    && endpoint.is_none_or(|e| e == j.value.endpoint)
                    && wanted.is_none_or(|s| status(clock, &j.value) == s)
            });
        let items = found
            .items
            .iter()
            .map(|(arn, j)| {
                let mut v = view(clock, arn, j);
                if let Some(m) = v.as_object_mut() {
                    m.remove("Tags");
                }
                v
            })
            .collect();
        Ok(listing(&page, items, found.next))
    }
}
