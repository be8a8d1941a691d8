//! v1 harvest jobs: IN_PROGRESS → SUCCEEDED on the lifecycle clock; the S3 destination's role is
//! passed (`iam:PassRole`, checked by the authorize stage).
//!
//! CreateHarvestJob refuses (422) what the user guide states of the request itself: the end
//! after the start, both in the past ("The end time must be in the past",
//! gs-create-hj-ltov.html), at most 24 hours apart ("Your harvested live-to-VOD asset can have
//! a maximum duration of 24 hours", hj-create-basic.html). What depends on the endpoint's
//! content — "Startover must be enabled" (ltov-reqmts.html) and "Your harvest job must fall
//! within your MediaPackage endpoint's startover window" (hj-create-basic.html) — the guide
//! states as requirements of the harvest, not of the request, and the model's `Status` says
//! jobs "succeed or fail" with the failure explained in a CloudWatch event: such a job is
//! accepted and ends FAILED instead of SUCCEEDED; so is one from an endpoint whose package
//! the guide says can't be harvested (MSS, or DASH with NUMBER_WITH_DURATION).
//!
//! A job's record is kept 90 days (ltov.html), then it is gone and its ID is free again.

use super::model::{EndpointConfig, HarvestJob};
use super::quotas;
use super::{arn, check_id, listing, not_found, unprocessable, MediaPackage};
use kit::input::{opt_str, req_str, timestamp};
use kit::{Lifecycle, Step, Stored};
use serde_json::{json, Value};
use service::{Clock, RequestContext, ServiceError};
use std::time::Duration;

const HARVEST: Lifecycle = Lifecycle {
    steps: &[Step {
        from: "IN_PROGRESS",
        to: "SUCCEEDED",
        after: Duration::from_secs(2),
    }],
};

/// A job whose endpoint cannot serve its time range.
const HARVEST_FAILING: Lifecycle = Lifecycle {
    steps: &[Step {
        from: "IN_PROGRESS",
        to: "FAILED",
        after: Duration::from_secs(2),
    }],
};

/// "Your harvested live-to-VOD asset can have a maximum duration of 24 hours."
const MAX_HARVEST_SECONDS: f64 = 86_400.0;

/// How long a job's record stays: "The job runs once, then MediaPackage keeps a record of it on
/// your account for 90 days" (ltov.html); after that it is gone from Describe and List, and
/// "You can reuse the ID when the harvest job expires from your account" (hj-create-basic.html).
const RECORD_SECONDS: f64 = 90.0 * 86_400.0;

/// Whether `job`'s record has expired, on lifecycle time (so a manual clock ages it too, and
/// instant mode, whose transitions are all due, does not expire it at once).
pub(super) fn expired(clock: &Clock, job: &HarvestJob) -> bool {
    clock.lifecycle_now() - job.phase.since >= RECORD_SECONDS
}

/// Where `job` is now: it fails if its endpoint could not serve it.
fn status(clock: &Clock, job: &HarvestJob) -> String {
    let lifecycle = if job.failure.is_some() {
        &HARVEST_FAILING
    } else {
        &HARVEST
    };
    lifecycle.state(clock, &job.phase)
}

/// Why a job from `start` (epoch seconds) fails on an endpoint with startover window `window`
/// (seconds, 0 when startover is off) at `now`: the endpoint keeps no content before
/// `now - window`. (The end is in the past and after the start, so it is inside when the start
/// is.)
fn failure(window: i64, start: f64, now: f64) -> Option<String> {
    if window <= 0 {
        Some(
            "Startover is not enabled on the origin endpoint; harvesting needs a startover window"
                .into(),
        )
    } else if start < now - window as f64 {
        Some(format!(
            "StartTime is outside the origin endpoint's startover window of {window} seconds"
        ))
    } else {
        None
    }
}

/// Why no job can harvest an endpoint with `config`, whatever its time range: "Your endpoint
/// must serve either clear (unencrypted) or encrypted DASH or HLS content" (so not an MSS
/// package; a CMAF package serves HLS manifests) and "Your DASH endpoint must use either the
/// Number with timeline or Time with timeline segment template format" (ltov-reqmts.html,
/// endpoint requirements). Like the startover window, the guide states these of the harvest,
/// so such a job is accepted and ends FAILED.
fn package_failure(config: &EndpointConfig) -> Option<String> {
    if config.mss_package.is_some() {
        return Some(
            "The origin endpoint serves Microsoft Smooth Streaming; harvesting needs DASH or HLS content"
                .into(),
        );
    }
    let template = config
        .dash_package
        .as_ref()
        .and_then(|p| p.segment_template_format.as_deref());
    (template == Some("NUMBER_WITH_DURATION")).then(|| {
        "The origin endpoint's DASH segment template format is NUMBER_WITH_DURATION; harvesting needs NUMBER_WITH_TIMELINE or TIME_WITH_TIMELINE"
            .into()
    })
}

/// The statuses a harvest job can be in (the model's `Status`).
const STATUSES: [&str; 3] = ["IN_PROGRESS", "SUCCEEDED", "FAILED"];

/// ListHarvestJobs' `includeStatus` as a status, in the model's spelling: "Valid values are
/// IN_PROGRESS, SUCCEEDED, and FAILED" (the v1 API Reference, harvest_jobs). The member is a
/// plain string in the model, so the protocol layer does not check it; this refuses another
/// value as v1 refuses a value outside a modelled enum (422, in any letter case as v1's enums
/// are, see protocol's amendments), rather than listing no jobs.
fn included_status(value: &str) -> Result<&'static str, ServiceError> {
    STATUSES
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(value))
        .ok_or_else(|| {
            unprocessable(format!(
                "1 validation error detected: Value '{value}' at 'includeStatus' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                STATUSES.join(", ")
            ))
        })
}

/// Epoch seconds of an ISO 8601 time, or v1's 422.
fn instant(member: &str, text: &str) -> Result<f64, ServiceError> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp() as f64)
        .map_err(|_| unprocessable(format!("{member} {text} is not a valid ISO 8601 time")))
}

fn view(clock: &Clock, arn: &str, j: &Stored<HarvestJob>) -> Value {
    let v = &j.value;
    json!({"Arn": arn, "Id": v.id, "ChannelId": v.channel_id, "OriginEndpointId": v.origin_endpoint_id,
        "StartTime": v.start, "EndTime": v.end, "CreatedAt": timestamp(v.created_at),
        "S3Destination": {"BucketName": v.bucket, "ManifestKey": v.manifest_key, "RoleArn": v.role_arn},
        "Status": status(clock, v)})
}

impl MediaPackage {
    pub(super) fn create_harvest_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        check_id(id)?;
        let endpoint_id = req_str(input, "OriginEndpointId")?;
        let (start, end) = (req_str(input, "StartTime")?, req_str(input, "EndTime")?);
        let (s, e) = (instant("StartTime", start)?, instant("EndTime", end)?);
        if e <= s {
            return Err(unprocessable("EndTime must be later than StartTime"));
        }
        let now = self.runtime.clock.now();
        if s > now {
            return Err(unprocessable("StartTime must be in the past"));
        }
        if e > now {
            return Err(unprocessable("EndTime must be in the past"));
        }
        if e - s > MAX_HARVEST_SECONDS {
            return Err(unprocessable(
                "The harvest job's duration (EndTime minus StartTime) must not exceed 24 hours",
            ));
        }
        let dest = &input["S3Destination"];
        let field = |k: &str| {
            dest.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| unprocessable(format!("S3Destination.{k} is required")))
        };
        let (bucket, key, role) = (
            field("BucketName")?,
            field("ManifestKey")?,
            field("RoleArn")?,
        );
        if !service::is_role_arn(&role) {
            return Err(unprocessable(format!(
                "RoleArn {role} is not a valid IAM role ARN"
            )));
        }
        let mut state = self.state.write();
        let earn = state
            .ids
            .get("origin_endpoints", ctx, endpoint_id)
            .ok_or_else(|| {
                unprocessable(format!("Origin endpoint {endpoint_id} does not exist"))
            })?;
        let (channel_id, window, unharvestable) = state
            .endpoints
            .get_in(ctx, &earn)
            .map(|e| {
                let c = &e.value;
                (
                    c.channel_id.clone(),
                    c.config.startover_window_seconds.unwrap_or(0),
                    package_failure(&c.config),
                )
            })
            .unwrap_or_default();
        let clock = &self.runtime.clock;
        if let Some(old) = state.ids.get("harvest_jobs", ctx, id) {
            let gone = state
                .jobs
                .get_in(ctx, &old)
                .is_none_or(|j| expired(clock, &j.value));
            if !gone {
                return Err(unprocessable(format!(
                    "Harvest job already exists with id {id}"
                )));
            }
            // The expired record makes way for the new job of the same ID.
            state.jobs.remove(&ctx.journal, &old);
            state.ids.remove(&old);
        }
        let running = state
            .jobs
            .iter_in(ctx)
            .filter(|(_, j)| status(clock, &j.value) == "IN_PROGRESS")
            .count();
        quotas::CONCURRENT_HARVEST_JOBS
            .admit(&self.runtime, running, 1)
            .map_err(quotas::exceeded)?;
        let job = HarvestJob {
            id: id.into(),
            channel_id,
            origin_endpoint_id: endpoint_id.into(),
            start: start.into(),
            end: end.into(),
            bucket,
            manifest_key: key,
            role_arn: role,
            phase: HARVEST.enter(&self.runtime.clock, "IN_PROGRESS"),
            created_at: now,
            failure: unharvestable.or_else(|| failure(window, s, now)),
        };
        let arn = arn(ctx, "harvest_jobs", id);
        let stored = Stored::new(job, Default::default());
        let out = view(&self.runtime.clock, &arn, &stored);
        state.jobs.put(&ctx.journal, &arn, stored);
        state.ids.insert("harvest_jobs", &arn, id);
        Ok(out)
    }

    pub(super) fn describe_harvest_job(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let state = self.state.read();
        let arn = state
            .ids
            .get("harvest_jobs", ctx, id)
            .ok_or_else(|| not_found("HarvestJob", id))?;
        let j = state
            .jobs
            .get_in(ctx, &arn)
            .filter(|j| !expired(&self.runtime.clock, &j.value))
            .ok_or_else(|| not_found("HarvestJob", id))?;
        Ok(view(&self.runtime.clock, &arn, j))
    }

    pub(super) fn list_harvest_jobs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel = opt_str(input, "IncludeChannelId");
        let status = opt_str(input, "IncludeStatus")
            .map(included_status)
            .transpose()?;
        let filters = format!("{}|{}", channel.unwrap_or(""), status.unwrap_or(""));
        let page = self.page_request(ctx, "ListHarvestJobs", input, &filters)?;
        let state = self.state.read();
        let clock = &self.runtime.clock;
        let found = state
            .jobs
            .page(ctx, &self.runtime.token_key, &page, |_, j| {
                !expired(clock, &j.value)
                    && channel.is_none_or(|c| c == j.value.channel_id)
                    && status.is_none_or(|s| self::status(clock, &j.value) == s)
            });
        let items = found
            .items
            .iter()
            .map(|(arn, j)| view(clock, arn, j))
            .collect();
        Ok(listing(&page, "HarvestJobs", items, found.next))
    }
}
