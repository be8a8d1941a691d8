//! Job templates: settings and job defaults a job names instead of repeating them.

use crate::job_run::timestamp_unix;
use crate::model::{self, bad_request, conflict, not_found, Document, JobTemplate};
use crate::paging::{self, Order};
use crate::queues::{queue_not_found, TAGS};
use crate::quotas;
use crate::settings::{self, Kind};
use crate::system_templates::{self, SYSTEM_TEMPLATES};
use crate::MediaConvert;
use kit::input::{opt_i64, opt_str, req_str};
use kit::Stored;
use serde_json::{json, Map, Value};
use service::{Member, RequestContext, ServiceError};

/// The error for a template the caller does not have.
pub fn template_not_found(name: &str) -> ServiceError {
    not_found(format!("Job template {name} does not exist"))
}

/// The error for changing or deleting a system job template.
fn system_is_read_only(name: &str) -> ServiceError {
    bad_request(format!(
        "Job template {name} is a system job template; system job templates can't be changed or deleted"
    ))
}

/// A system job template as the caller's region shows it.
fn system_view(ctx: &RequestContext, t: &system_templates::SystemTemplate) -> Value {
    let arn = model::arn(ctx, "jobTemplates", t.name);
    view(&arn, &t.job_template(), true)
}

/// A template's view, a system one's with `system`. AWS's answer shows a system template
/// without the members a custom one defaults (the AWS CLI's list-job-templates example).
fn view(arn: &str, t: &JobTemplate, system: bool) -> Value {
    let mut v = json!({
        "Arn": arn, "Name": t.name, "Settings": t.settings.value(),
        "Type": if system { "SYSTEM" } else { "CUSTOM" },
        "CreatedAt": timestamp_unix(t.created_at), "LastUpdated": timestamp_unix(t.last_updated),
    });
    let m = v.as_object_mut().expect("object");
    if !system {
        m.insert("Priority".into(), json!(t.priority.unwrap_or(0)));
        m.insert(
            "StatusUpdateInterval".into(),
            json!(t.status_update_interval.as_deref().unwrap_or("SECONDS_60")),
        );
    }
    for (k, val) in [
        ("Description", t.description.clone().map(Value::from)),
        ("Category", t.category.clone().map(Value::from)),
        ("Queue", t.queue.clone().map(Value::from)),
        (
            "AccelerationSettings",
            t.acceleration.as_ref().map(Document::value),
        ),
        (
            "HopDestinations",
            t.hop_destinations.as_ref().map(Document::value),
        ),
        (
            "ElementalInferenceSettings",
            t.elemental_inference.as_ref().map(Document::value),
        ),
    ] {
        if let Some(val) = val {
            m.insert(k.to_string(), val);
        }
    }
    v
}

impl MediaConvert {
    /// Checks a template's settings, resolves its queue to an ARN the caller has and checks
    /// its hop destinations against its queue (the queue its jobs are submitted to,
    /// `Default` if none); `stored` is the template an update changes.
    fn template_inputs(
        &self,
        ctx: &RequestContext,
        input: &Value,
        stored: Option<&JobTemplate>,
    ) -> Result<Option<String>, ServiceError> {
        if let Some(s) = input.member("Settings") {
            settings::validate(s, Kind::Template, |p| self.check_output_preset(ctx, p))?;
        }
        let queue = opt_str(input, "Queue");
        let hops_given = input.member("HopDestinations");
        if queue.is_none() && hops_given.is_none() {
            return Ok(None);
        }
        let arn = queue.map(|q| model::named_arn(ctx, "queues", q));
        let mut state = self.state.write();
        state.ensure_default_queue(ctx, self.runtime.clock.now());
        if let (Some(q), Some(arn)) = (queue, &arn) {
            if state.queues.get_in(ctx, arn).is_none() {
                return Err(queue_not_found(model::name_of(q)));
            }
        }
        let original = arn
            .clone()
            .or_else(|| stored.and_then(|t| t.queue.clone()))
            .unwrap_or_else(|| model::arn(ctx, "queues", model::DEFAULT_QUEUE));
        let hops = hops_given
            .cloned()
            .or_else(|| stored.and_then(|t| t.hop_destinations.as_ref().map(Document::value)));
        state.check_hops(ctx, hops.as_ref(), &original)?;
        Ok(arn)
    }

    pub(crate) fn create_job_template(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        crate::rules::check_name(name)?;
        let tags = TAGS.read(input, "Tags")?;
        let queue = self.template_inputs(ctx, input, None)?;
        let arn = model::arn(ctx, "jobTemplates", name);
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        if state.templates.get_in(ctx, &arn).is_some() {
            return Err(conflict(format!("Job template {name} already exists")));
        }
        // Counted under the write lock, so concurrent creates cannot overshoot.
        quotas::JOB_TEMPLATES
            .admit(&self.runtime, state.templates.count_in(ctx), 1)
            .map_err(quotas::exceeded)?;
        let t = JobTemplate {
            name: name.to_string(),
            description: opt_str(input, "Description").map(str::to_string),
            category: opt_str(input, "Category").map(str::to_string),
            settings: Document::new(input.member("Settings").unwrap_or(&json!({}))),
            queue,
            priority: opt_i64(input, "Priority"),
            status_update_interval: opt_str(input, "StatusUpdateInterval").map(str::to_string),
            acceleration: input.member("AccelerationSettings").map(Document::new),
            hop_destinations: input.member("HopDestinations").map(Document::new),
            elemental_inference: input
                .member("ElementalInferenceSettings")
                .map(Document::new),
            created_at: now,
            last_updated: now,
        };
        let out = json!({ "JobTemplate": view(&arn, &t, false) });
        state
            .templates
            .put(&ctx.journal, &arn, Stored::new(t, tags));
        Ok(out)
    }

    pub(crate) fn get_job_template(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if let Some(t) = system_templates::find(name) {
            return Ok(json!({ "JobTemplate": system_view(ctx, t) }));
        }
        let arn = model::arn(ctx, "jobTemplates", name);
        let state = self.state.read();
        let t = state
            .templates
            .get_in(ctx, &arn)
            .ok_or_else(|| template_not_found(name))?;
        Ok(json!({ "JobTemplate": view(&arn, &t.value, false) }))
    }

    pub(crate) fn list_job_templates(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let list_by = opt_str(input, "ListBy").unwrap_or("NAME");
        let category = opt_str(input, "Category");
        let order = Order::read(input, false);
        let key = &self.runtime.token_key;
        let filters = format!("{list_by}|{}|{}", order.descending, category.unwrap_or(""));
        let page = paging::request(key, ctx, "ListJobTemplates", input, &filters)?;
        let state = self.state.read();
        let mut items: Vec<(String, Value)> = Vec::new();
        // An account's own templates, or with `ListBy=SYSTEM` the system ones (as presets).
        if list_by == "SYSTEM" {
            for t in SYSTEM_TEMPLATES {
                if category.is_none_or(|c| t.category == c) {
                    items.push((t.name.to_string(), system_view(ctx, t)));
                }
            }
        } else {
            for (arn, t) in state.templates.iter_in(ctx) {
                if category.is_some_and(|c| t.value.category.as_deref() != Some(c)) {
                    continue;
                }
                let k = if list_by == "CREATION_DATE" {
                    paging::date_key(t.value.created_at, &t.value.name)
                } else {
                    t.value.name.clone()
                };
                items.push((k, view(arn, &t.value, false)));
            }
        }
        let (templates, next) = paging::cut(key, &page, items, order);
        let mut out = Map::new();
        out.insert("JobTemplates".into(), Value::from(templates));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }

    pub(crate) fn update_job_template(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if system_templates::find(name).is_some() {
            return Err(system_is_read_only(name));
        }
        let arn = model::arn(ctx, "jobTemplates", name);
        let stored = self
            .state
            .read()
            .templates
            .get_in(ctx, &arn)
            .map(|t| t.value.clone());
        let queue = self.template_inputs(ctx, input, stored.as_ref())?;
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        let updated: Option<Result<JobTemplate, ServiceError>> =
            state.templates.update(ctx, &arn, |s| {
                let t = &mut s.value;
                if let Some(d) = opt_str(input, "Description") {
                    t.description = Some(d.to_string());
                }
                if let Some(c) = opt_str(input, "Category") {
                    t.category = Some(c.to_string());
                }
                if let Some(v) = input.member("Settings") {
                    t.settings = Document::new(v);
                }
                if queue.is_some() {
                    t.queue = queue.clone();
                }
                if let Some(p) = opt_i64(input, "Priority") {
                    t.priority = Some(p);
                }
                if let Some(i) = opt_str(input, "StatusUpdateInterval") {
                    t.status_update_interval = Some(i.to_string());
                }
                if let Some(a) = input.member("AccelerationSettings") {
                    t.acceleration = Some(Document::new(a));
                }
                if let Some(h) = input.member("HopDestinations") {
                    t.hop_destinations = Some(Document::new(h));
                }
                if let Some(e) = input.member("ElementalInferenceSettings") {
                    t.elemental_inference = Some(Document::new(e));
                }
                t.last_updated = now;
                Ok(t.clone())
            });
        let t = updated.ok_or_else(|| template_not_found(name))??;
        Ok(json!({ "JobTemplate": view(&arn, &t, false) }))
    }

    pub(crate) fn delete_job_template(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if system_templates::find(name).is_some() {
            return Err(system_is_read_only(name));
        }
        let arn = model::arn(ctx, "jobTemplates", name);
        let mut state = self.state.write();
        state
            .templates
            .get_in(ctx, &arn)
            .ok_or_else(|| template_not_found(name))?;
        state.templates.remove(&ctx.journal, &arn);
        Ok(json!({}))
    }
}
