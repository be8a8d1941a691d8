//! StartJobsQuery/GetJobsQueryResults (filtered job searches, answered asynchronously by AWS;
//! here complete at once) and CreateResourceShare (sharing a job with AWS Support).

use crate::job_wire::{self, Answer};
use crate::jobs::job_not_found;
use crate::model::{bad_request, named_arn, not_found, Job, Outcome};
use crate::paging::{self, Order};
use crate::MediaConvert;
use kit::input::req_str;
use serde_json::{json, Map, Value};
use service::{Clock, Output, RequestContext, ServiceError};

/// AWS accepts one share request every ten seconds per account.
const SHARE_INTERVAL_SECONDS: f64 = 10.0;
/// AWS allows at most this many active shares per account.
const MAX_ACTIVE_SHARES: usize = 100;

/// How long a jobs query's results can be read (AWS keeps them for a short while).
const QUERY_LIFETIME_SECONDS: f64 = 3600.0;

/// A started jobs query: its request, run when its results are read.
#[derive(Debug, Clone)]
pub struct JobsQuery {
    /// When it was started (epoch seconds).
    started: f64,
    /// `account|region` of the caller that started it.
    owner: String,
    /// `(key, values)` filters: any value of a filter matches, every filter must.
    filters: Vec<(String, Vec<String>)>,
    /// `MaxResults` and `NextToken` of the request.
    page_input: Value,
    order: Order,
}

fn owner(ctx: &RequestContext) -> String {
    format!("{}|{}", ctx.account(), ctx.region)
}

/// Whether job `j` (with status `status`) passes filter `key` with `values`.
fn passes(ctx: &RequestContext, j: &Job, status: &str, key: &str, values: &[String]) -> bool {
    fn any<T: AsRef<str>>(values: &[String], have: &[T]) -> bool {
        values.iter().any(|v| have.iter().any(|h| h.as_ref() == v))
    }
    match key {
        "queue" => values
            .iter()
            .any(|v| named_arn(ctx, "queues", v) == j.queue_now()),
        "status" => values.iter().any(|v| v == status),
        "fileInput" => j
            .inputs
            .iter()
            .any(|f| values.iter().any(|v| f.contains(v.as_str()))),
        "jobEngineVersionRequested" => any(values, j.engine_requested.as_slice()),
        "jobEngineVersionUsed" => any(values, j.engine_used.as_slice()),
        "audioCodec" => any(values, &j.audio_codecs),
        "videoCodec" => any(values, &j.video_codecs),
        "errorCode" => match (&j.outcome, status) {
            (Outcome::Error { code, .. }, "ERROR") => any(values, &[code.to_string()]),
            _ => false,
        },
        _ => false,
    }
}

impl MediaConvert {
    pub(crate) fn start_jobs_query(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let mut filters = Vec::new();
        for f in input
            .get("FilterList")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let key = f.get("Key").and_then(Value::as_str).unwrap_or_default();
            let values: Vec<String> = kit::input::strings(f, "Values")
                .into_iter()
                .map(str::to_string)
                .collect();
            if values.is_empty() {
                return Err(bad_request(format!(
                    "/filterList: Filter {key} should have at least 1 value"
                )));
            }
            filters.push((key.to_string(), values));
        }
        let mut page_input = Map::new();
        for m in ["MaxResults", "NextToken"] {
            if let Some(v) = input.get(m) {
                page_input.insert(m.to_string(), v.clone());
            }
        }
        // A bad token is refused now, not when the results are read.
        paging::request(
            &self.runtime.token_key,
            ctx,
            "JobsQuery",
            &Value::Object(page_input.clone()),
            "",
        )?;
        let id = self.runtime.ids.uuid();
        let now = self.runtime.clock.now();
        let query = JobsQuery {
            started: now,
            owner: owner(ctx),
            filters,
            page_input: Value::Object(page_input),
            order: Order::read(input, true),
        };
        let mut state = self.state.write();
        state
            .queries
            .retain(|_, q| now - q.started < QUERY_LIFETIME_SECONDS);
        state.queries.insert(id.clone(), query);
        Ok(json!({ "Id": id }))
    }

    pub(crate) fn get_jobs_query_results(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.jobs_query_results(ctx, input, Answer::Value)
            .map(|o| o.value)
    }

    /// GetJobsQueryResults, its jobs answered as views or written (see [`Answer`]).
    pub(crate) fn jobs_query_results(
        &self,
        ctx: &RequestContext,
        input: &Value,
        answer: Answer,
    ) -> Result<Output, ServiceError> {
        let id = req_str(input, "Id")?;
        let state = self.state.read();
        let query = state
            .queries
            .get(id)
            .filter(|q| q.owner == owner(ctx))
            .ok_or_else(|| not_found(format!("Jobs query {id} does not exist")))?;
        let key = &self.runtime.token_key;
        let page = paging::request(key, ctx, "JobsQuery", &query.page_input, "")?;
        let clock: &Clock = &self.runtime.clock;
        let jobs = self.jobs.read();
        let items: Vec<(String, (&str, &Job))> = jobs
            .store
            .iter_in(ctx)
            .filter(|(_, j)| {
                let status = j.value.progress(clock).status;
                query
                    .filters
                    .iter()
                    .all(|(k, v)| passes(ctx, &j.value, &status, k, v))
            })
            .map(|(arn, j)| (j.value.id.to_string(), (arn, &j.value)))
            .collect();
        let (found, next) = paging::cut(key, &page, items, query.order);
        let mut rest = Map::new();
        rest.insert("Status".into(), Value::from("COMPLETE"));
        page.put_token(&mut rest, next);
        job_wire::jobs_answer("GetJobsQueryResults", &found, clock, rest, answer)
    }

    pub(crate) fn create_resource_share(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "JobId")?;
        req_str(input, "SupportCaseId")?;
        // "Specify MediaConvert Job ID or ARN to share".
        let arn = named_arn(ctx, "jobs", id);
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        let who = owner(ctx);
        if state
            .last_share
            .get(&who)
            .is_some_and(|t| now - t < SHARE_INTERVAL_SECONDS)
        {
            return Err(ServiceError::new(
                "TooManyRequestsException",
                "You can send one share request every 10 seconds; try again later",
            ));
        }
        let mut jobs = self.jobs.write();
        let active = jobs
            .store
            .iter_in(ctx)
            .filter(|(_, j)| j.value.share_status.is_some())
            .count();
        if active >= MAX_ACTIVE_SHARES {
            return Err(bad_request(format!(
                "This account already has {MAX_ACTIVE_SHARES} active job shares, the most it can have"
            )));
        }
        let shared: Option<Result<(), ServiceError>> = jobs.store.update(ctx, &arn, |j| {
            if j.value.inputs.iter().any(|f| !f.starts_with("s3://")) {
                return Err(bad_request(
                    "Only jobs whose inputs are all stored in Amazon S3 can be shared",
                ));
            }
            j.value.share_status = Some("INITIATED".into());
            Ok(())
        });
        shared.ok_or_else(|| job_not_found(id))??;
        state.last_share.insert(who, now);
        Ok(json!({}))
    }
}
