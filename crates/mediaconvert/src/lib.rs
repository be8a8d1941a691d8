//! AWS Elemental MediaConvert, emulated: jobs that run on the lifecycle clock (their outcome
//! decided by the service role's trust and S3 permissions and the account's input policy),
//! queues (the undeletable `Default`, pausing, their slots, jobs hopping between them after
//! waiting), presets (with the system catalog), job
//! templates, tags, certificates, job shares, jobs queries, Probe and DescribeEndpoints.
//!
//! Built on the shared kit (typed ARN-keyed stores, paging tokens, tags, the operation list)
//! and authorized by the engine from AWS's Service Authorization Reference; this crate only
//! says where resources are named ([`Service::authz_spec`], [`Service::locate`]).

mod active_jobs;
mod certificates;
mod endpoints;
mod input_policy;
mod job_access;
mod job_queries;
mod job_run;
mod job_table;
mod job_wire;
mod jobs;
mod keyed;
mod model;
mod paging;
mod presets;
mod probe;
mod queue_schedule;
mod queues;
pub mod quotas;
pub mod rates;
mod request_tokens;
mod rules;
mod settings;
mod system_presets;
mod system_templates;
mod tagging;
mod templates;

use job_table::JobTable;
use job_wire::Answer;
use kit::input::opt_str;
use kit::{Store, Stored};
use model::{named_arn, Certificate, InputKind, InputPolicy, JobTemplate, Preset, Queue};
use parking_lot::{Mutex, RwLock};
use request_tokens::RequestTokens;
use serde_json::Value;
use service::{
    AuthzSpec, ContextValue, Locate, Member, Record, RequestContext, Runtime, Service,
    ServiceError, ServiceRoles, StoredFacts,
};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The service principal MediaConvert assumes job roles as.
pub const PRINCIPAL: &str = "mediaconvert.amazonaws.com";

/// Everything MediaConvert keeps but jobs, per account and region inside each store.
struct State {
    queues: Store<Queue>,
    presets: Store<Preset>,
    templates: Store<JobTemplate>,
    /// The input policy, one per account and region, keyed `arn:…:policy/input`.
    policies: Store<InputPolicy>,
    certificates: Store<Certificate>,
    /// Jobs queries (StartJobsQuery), kept in memory like AWS's short-lived results.
    queries: HashMap<String, job_queries::JobsQuery>,
    /// When each account (and region) last shared a job (CreateResourceShare is rate limited).
    last_share: HashMap<String, f64>,
    /// When reserved plans that expire end their term (epoch seconds, queue ARN), earliest
    /// first; an entry whose queue has since changed plan or gone is stale and skipped.
    plan_ends: BinaryHeap<Reverse<(queue_schedule::Time, String)>>,
    /// When the earliest of `plan_ends` is due (`f64` bits), shared with the service.
    plan_due: Arc<AtomicU64>,
}

impl State {
    /// The caller's input policy (none stored: everything allowed).
    fn input_policy(&self, ctx: &RequestContext) -> InputPolicy {
        // Most servers have no account with a policy: every CreateJob asks twice (its
        // authorization's condition keys, its inputs), and the answer is then the default.
        if self.policies.is_empty() {
            return InputPolicy::default();
        }
        let key = model::arn(ctx, "policy", "input");
        self.policies
            .get_in(ctx, &key)
            .map(|s| s.value.clone())
            .unwrap_or_default()
    }

    fn new(plan_due: Arc<AtomicU64>) -> Self {
        plan_due.store(f64::INFINITY.to_bits(), Ordering::Release);
        State {
            queues: Store::new("queue"),
            presets: Store::new("preset"),
            templates: Store::new("jobTemplate"),
            policies: Store::new("policy"),
            certificates: Store::new("certificate"),
            queries: HashMap::new(),
            last_share: HashMap::new(),
            plan_ends: BinaryHeap::new(),
            plan_due,
        }
    }
}

/// The MediaConvert service.
pub struct MediaConvert {
    runtime: Arc<Runtime>,
    roles: Arc<dyn ServiceRoles>,
    state: RwLock<State>,
    /// The jobs, locked apart from `state` (taken after it when both are held).
    jobs: RwLock<JobTable>,
    /// `ClientRequestToken` → (job ARN, when): a retry within a minute answers the same job.
    /// Locked apart from `jobs` (taken after it when both are held): the check every
    /// CreateJob makes first then never waits while another job is stored.
    request_tokens: Mutex<RequestTokens>,
    /// Request-rate buckets (`--throttle aws`).
    throttle: kit::Throttle,
    /// When the earliest planned queue hop is due (`f64` bits, infinite if none), as the job
    /// table publishes it: each request reads it, one atomic load, before anything else.
    hop_due: Arc<AtomicU64>,
    /// When the earliest job record is deleted (`f64` bits, infinite if no job is kept), as
    /// the job table publishes it: read as `hop_due` is.
    expiry_due: Arc<AtomicU64>,
    /// When the earliest reserved plan that expires ends its term (`f64` bits, epoch seconds;
    /// infinite if none), as the state publishes it: read as `hop_due` is.
    plan_due: Arc<AtomicU64>,
}

impl MediaConvert {
    /// The service on the shared runtime, asking `roles` (IAM) about job roles.
    pub fn new(runtime: Arc<Runtime>, roles: Arc<dyn ServiceRoles>) -> Arc<Self> {
        let hop_due = Arc::new(AtomicU64::new(f64::INFINITY.to_bits()));
        let expiry_due = Arc::new(AtomicU64::new(f64::INFINITY.to_bits()));
        let plan_due = Arc::new(AtomicU64::new(f64::INFINITY.to_bits()));
        Arc::new(MediaConvert {
            runtime,
            roles,
            state: RwLock::new(State::new(plan_due.clone())),
            jobs: RwLock::new(JobTable::new(hop_due.clone(), expiry_due.clone())),
            request_tokens: Mutex::new(RequestTokens::default()),
            throttle: kit::Throttle::default(),
            hop_due,
            expiry_due,
            plan_due,
        })
    }

    /// Makes what the clock has made due before a request looks at jobs or queues, so that
    /// no answer shows a job where it no longer is, or one whose record has been deleted:
    /// the job records past their retention are deleted, the jobs waiting in queues whose
    /// reserved plan has expired are held, then the queue hops due are made. Three atomic
    /// loads and a clock read or two; nothing more unless something is due.
    fn settle(&self, ctx: &RequestContext) {
        let hop = f64::from_bits(self.hop_due.load(Ordering::Acquire));
        let expiry = f64::from_bits(self.expiry_due.load(Ordering::Acquire));
        let plan = f64::from_bits(self.plan_due.load(Ordering::Acquire));
        if hop.min(expiry).min(plan) == f64::INFINITY {
            return;
        }
        // Plans are rare: no wall-clock read for them unless one is due some time.
        if plan.is_finite() && plan <= self.runtime.clock.now() {
            self.end_plans(ctx);
        }
        let now = self.runtime.clock.lifecycle_now();
        if expiry <= now {
            self.jobs.write().expire(&ctx.journal, &self.runtime.clock);
        }
        if hop <= now {
            let state = self.state.read();
            self.jobs
                .write()
                .settle_hops(&ctx.journal, &state.queues, &self.runtime.clock);
        }
    }

    /// Holds the jobs waiting in each queue whose reserved plan has ended its term without
    /// renewal by now (the plans noted in `plan_ends`): "You can send jobs to the queue, but
    /// AWS Elemental MediaConvert doesn't process them" until a new plan is set up.
    fn end_plans(&self, ctx: &RequestContext) {
        let clock = &self.runtime.clock;
        let now = clock.now();
        let mut state = self.state.write();
        let mut jobs = self.jobs.write();
        while let Some(Reverse((queue_schedule::Time(at), _))) = state.plan_ends.peek() {
            if *at > now {
                break;
            }
            let Some(Reverse((_, arn))) = state.plan_ends.pop() else {
                break;
            };
            let Some(q) = state.queues.get(&arn).map(|q| &q.value) else {
                continue;
            };
            // Paused, its jobs are held already; with a plan in force (renewed, replaced),
            // the entry is stale.
            if q.paused || !q.holds_jobs(now) {
                continue;
            }
            let Some(at) = arn.find(":queues/") else {
                continue;
            };
            let scope = service::concat(&[&arn[..at], ":jobs/"]);
            jobs.hold_queue_jobs(&ctx.journal, &scope, clock, &arn, q.capacity());
        }
        state.publish_plans();
    }
}

kit::operations! { MediaConvert, "mediaconvert";
    AssociateCertificate => MediaConvert::associate_certificate,
    CancelJob => MediaConvert::cancel_job,
    CreateJob => MediaConvert::create_job,
    CreateJobTemplate => MediaConvert::create_job_template,
    CreatePreset => MediaConvert::create_preset,
    CreateQueue => MediaConvert::create_queue,
    CreateResourceShare => MediaConvert::create_resource_share,
    DeleteJobTemplate => MediaConvert::delete_job_template,
    DeletePolicy => MediaConvert::delete_policy,
    DeletePreset => MediaConvert::delete_preset,
    DeleteQueue => MediaConvert::delete_queue,
    DescribeEndpoints => MediaConvert::describe_endpoints,
    DisassociateCertificate => MediaConvert::disassociate_certificate,
    GetJob => MediaConvert::get_job,
    GetJobTemplate => MediaConvert::get_job_template,
    GetJobsQueryResults => MediaConvert::get_jobs_query_results,
    GetPolicy => MediaConvert::get_policy,
    GetPreset => MediaConvert::get_preset,
    GetQueue => MediaConvert::get_queue,
    ListJobTemplates => MediaConvert::list_job_templates,
    ListJobs => MediaConvert::list_jobs,
    ListPresets => MediaConvert::list_presets,
    ListQueues => MediaConvert::list_queues,
    ListTagsForResource => MediaConvert::list_tags_for_resource,
    ListVersions => MediaConvert::list_versions,
    Probe => MediaConvert::probe,
    PutPolicy => MediaConvert::put_policy,
    SearchJobs => MediaConvert::search_jobs,
    StartJobsQuery => MediaConvert::start_jobs_query,
    TagResource => MediaConvert::tag_resource,
    UntagResource => MediaConvert::untag_resource,
    UpdateJobTemplate => MediaConvert::update_job_template,
    UpdatePreset => MediaConvert::update_preset,
    UpdateQueue => MediaConvert::update_queue,
}

impl Service for MediaConvert {
    fn signing_name(&self) -> &'static str {
        "mediaconvert"
    }

    fn authz_spec(&self) -> AuthzSpec {
        AuthzSpec {
            principal: PRINCIPAL,
            arn_members: &[("Arn", "*")],
            id_members: &[
                ("Name", "Queue", "QueueName"),
                ("Name", "Preset", "PresetName"),
                ("Name", "JobTemplate", "JobTemplateName"),
                ("Id", "Job", "JobId"),
                ("JobId", "Job", "JobId"),
            ],
            role_members: &["Role"],
            tag_members: &["Tags"],
            tag_key_members: &["TagKeys"],
        }
    }

    /// What only state tells: the queue, template and presets a job (or template) uses, the
    /// queue a listing filters on, and the account input policy's condition keys.
    fn locate(&self, ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        match q.operation {
            // The reference gives it no resource type; AWS authorizes it on the account's
            // endpoints (its AccessDenied names `arn:aws:mediaconvert:REGION:ACCOUNT:endpoints/*`,
            // as users quote it).
            "DescribeEndpoints" => q.add_any(model::arn(ctx, "endpoints", "*")),
            "CreateJob" => {
                let state = self.state.read();
                let template =
                    opt_str(q.input, "JobTemplate").map(|t| named_arn(ctx, "jobTemplates", t));
                let stored_template = template
                    .as_deref()
                    .and_then(|arn| state.templates.get_in(ctx, arn));
                // Borrowed where it is (it was copied into a String only to build the ARN).
                let queue = opt_str(q.input, "Queue")
                    .or_else(|| stored_template.and_then(|t| t.value.queue.as_deref()))
                    .unwrap_or(model::DEFAULT_QUEUE);
                q.set("Queue", vec![named_arn(ctx, "queues", queue)]);
                q.set("JobTemplate", template.clone().into_iter().collect());
                // The job's settings are in the input, or read apart (see `doc_member`).
                let mut presets = match (q.input.member(jobs::SETTINGS), &ctx.doc_member) {
                    (Some(settings), _) => preset_arns(ctx, settings),
                    (None, Some(apart)) if apart.name == jobs::SETTINGS => {
                        preset_arns(ctx, &apart.doc)
                    }
                    (None, _) => Vec::new(),
                };
                if let Some(t) = stored_template {
                    presets.extend(preset_arns(ctx, &t.value.settings.value()));
                }
                q.set("Preset", presets);
                let policy = state.input_policy(ctx);
                drop(state);
                for (key, kind) in [
                    ("mediaconvert:HttpInputsAllowed", InputKind::Http),
                    ("mediaconvert:HttpsInputsAllowed", InputKind::Https),
                    ("mediaconvert:S3InputsAllowed", InputKind::S3),
                ] {
                    q.context(key, ContextValue::Bool(policy.allows(kind)));
                }
            }
            "CreateJobTemplate" | "UpdateJobTemplate" => {
                let queue = opt_str(q.input, "Queue").map(|n| named_arn(ctx, "queues", n));
                q.set("Queue", queue.into_iter().collect());
                let presets = q.input.member("Settings").map(|s| preset_arns(ctx, s));
                q.set("Preset", presets.unwrap_or_default());
            }
            // Its `JobId` is the job's ID or ARN: the engine would make an ARN of an ARN.
            "CreateResourceShare" => {
                let job = opt_str(q.input, "JobId").map(|j| named_arn(ctx, "jobs", j));
                q.set("Job", job.into_iter().collect());
            }
            "ListJobs" | "SearchJobs" => {
                let queue = opt_str(q.input, "Queue").map(|n| named_arn(ctx, "queues", n));
                q.set("Queue", queue.into_iter().collect());
            }
            _ => {}
        }
        Ok(())
    }

    fn stored(&self, ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        let kind = model::kind_of(arn)?;
        if kind == "jobs" {
            // A job whose record is due for deletion has no facts to authorize on.
            self.settle(ctx);
            return self.jobs.read().store.get(arn).map(Stored::facts);
        }
        let state = self.state.read();
        match kind {
            "queues" => state.queues.get(arn).map(Stored::facts),
            "presets" => state.presets.get(arn).map(Stored::facts),
            "jobTemplates" => state.templates.get(arn).map(Stored::facts),
            _ => None,
        }
    }

    fn doc_member(&self, operation: &str) -> Option<&'static str> {
        // A job's settings are most of a CreateJob's body, read once and dropped: they are
        // read into a `Doc` (see `service::Doc`), a template's merged as values.
        (operation == "CreateJob").then_some(jobs::SETTINGS)
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        rates::admit(&self.throttle, &self.runtime, ctx, operation)?;
        self.settle(ctx);
        if operation == "CreateJob" {
            // By value: the job keeps the request's settings tree instead of a copy.
            return kit::checked_output(
                "mediaconvert",
                operation,
                <Self as kit::Operations>::AS_AWS_ANSWERS,
                self.submit_job(ctx, input, Answer::Value).map(|o| o.value),
            );
        }
        kit::Operations::dispatch(self, ctx, operation, &input)
    }

    fn handle_output(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<service::Output, ServiceError> {
        // The answers about jobs are written straight to wire text (checked against the
        // views in debug builds, so every test compares the two); every other operation is
        // dispatched as `handle` dispatches it.
        rates::admit(&self.throttle, &self.runtime, ctx, operation)?;
        self.settle(ctx);
        match operation {
            "CreateJob" => self.submit_job(ctx, input, Answer::Wire),
            "GetJob" => self.job_of(ctx, &input, Answer::Wire),
            "ListJobs" | "SearchJobs" => self.jobs_listing(ctx, &input, operation, Answer::Wire),
            "GetJobsQueryResults" => self.jobs_query_results(ctx, &input, Answer::Wire),
            _ => kit::Operations::dispatch(self, ctx, operation, &input).map(service::Output::from),
        }
    }

    fn restore(&self, record: &Record) -> Result<(), String> {
        let mut s = self.state.write();
        match record.table.as_str() {
            "queue" => {
                s.queues.restore(record)?;
                // A plan restored past its term holds the queue's jobs from the next request.
                s.note_plan(&record.key, self.runtime.clock.now());
                Ok(())
            }
            "preset" => s.presets.restore(record),
            "jobTemplate" => s.templates.restore(record),
            "job" => self.jobs.write().restore(
                &mut self.request_tokens.lock(),
                record,
                &self.runtime.clock,
                &s.queues,
            ),
            "policy" => s.policies.restore(record),
            "certificate" => s.certificates.restore(record),
            other => Err(format!("mediaconvert has no table {other}")),
        }
    }

    fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        let s = self.state.read();
        let jobs = self.jobs.read();
        let svc = "mediaconvert";
        records.iter().try_for_each(|r| match r.table.as_str() {
            "queue" => s.queues.check_import(account, svc, r),
            "preset" => s.presets.check_import(account, svc, r),
            "jobTemplate" => s.templates.check_import(account, svc, r),
            "job" => jobs.store.check_import(account, svc, r),
            "policy" => s.policies.check_import(account, svc, r),
            "certificate" => s.certificates.check_import(account, svc, r),
            other => Err(format!("mediaconvert has no table {other}")),
        })
    }

    fn records(&self) -> Vec<Record> {
        let s = self.state.read();
        let mut out = s.queues.records();
        out.extend(s.presets.records());
        out.extend(s.templates.records());
        out.extend(self.jobs.read().store.records());
        out.extend(s.policies.records());
        out.extend(s.certificates.records());
        out
    }

    fn reset(&self) {
        let mut state = self.state.write();
        let mut jobs = self.jobs.write();
        *jobs = JobTable::new(self.hop_due.clone(), self.expiry_due.clone());
        self.request_tokens.lock().clear();
        *state = State::new(self.plan_due.clone());
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        let s = self.state.read();
        vec![
            ("queue", s.queues.len()),
            ("preset", s.presets.len()),
            ("job_template", s.templates.len()),
            ("job", self.jobs.read().store.len()),
        ]
    }
}

/// ARNs of the presets a settings tree names, system presets included: AWS reports a system
/// preset's ARN in the caller's account (`aws mediaconvert list-presets --list-by SYSTEM`:
/// `arn:aws:mediaconvert:us-west-2:123456789012:presets/System-…`), and the User Guide's
/// resource-level example allows jobs "referencing any presets with names that start with
/// `allow`" by naming `presets/allow*`, which no `System-` preset matches.
fn preset_arns<N: service::Node>(ctx: &RequestContext, settings: &N) -> Vec<String> {
    settings::preset_names(settings)
        .into_iter()
        .map(|n| named_arn(ctx, "presets", n))
        .collect()
}

#[cfg(test)]
mod tests;
