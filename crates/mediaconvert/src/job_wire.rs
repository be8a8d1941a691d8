//! A job's answer (`Job`) written straight from the stored job to its wire text, for
//! CreateJob and GetJob and the items of ListJobs, SearchJobs and GetJobsQueryResults (all
//! the same shape): the view's map (a `String` key and a SipHash per member, a dozen more
//! strings) and the serializer's lookup of every member in the model are skipped, and the
//! settings, stored rendered, are copied. The text is the model's own serialization of
//! [`Job::view`]: debug builds (every test) render both and answer an internal error if they
//! differ.

use crate::model::{Job, Outcome};
use protocol::{write_json_str, ItemRenderer};
use serde_json::{Map, Value};
use service::{Clock, Output, RenderedList, RenderedMember, ServiceError};
use std::sync::OnceLock;

/// How an answer about jobs is given: with views, values (`Service::handle`), or with wire
/// text written straight from the jobs (`Service::handle_output`, the server's path; debug
/// builds check it against the views).
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Answer {
    /// The views, values.
    Value,
    /// The wire text.
    Wire,
}

/// What renders a job and its document members, from MediaConvert's model.
pub struct JobRenderers {
    /// The whole `Job` (the reference debug builds check the text against).
    #[cfg(debug_assertions)]
    job: ItemRenderer<'static>,
    /// `Job.Settings`.
    pub settings: ItemRenderer<'static>,
    acceleration: ItemRenderer<'static>,
    hop_destinations: ItemRenderer<'static>,
    /// `Job.ElementalInferenceSettings` (`None` in a model without it).
    elemental_inference: Option<ItemRenderer<'static>>,
}

/// The renderers, made on first use; `None` if the model lacks the members.
pub fn renderers() -> Option<&'static JobRenderers> {
    static CELL: OnceLock<Option<JobRenderers>> = OnceLock::new();
    kit::model_renderer(&CELL, "mediaconvert", |m| {
        let job = m.member_renderer("CreateJob", "Job")?;
        Some(JobRenderers {
            settings: job.member("Settings")?,
            acceleration: job.member("AccelerationSettings")?,
            hop_destinations: job.member("HopDestinations")?,
            elemental_inference: job.member("ElementalInferenceSettings"),
            #[cfg(debug_assertions)]
            job,
        })
    })
}

/// `value` in decimal, as `{value}` and `serde_json` write it, without `fmt`'s machinery
/// (about 200 instructions a number).
fn write_int(out: &mut Vec<u8>, value: i64) {
    let mut digits = [0u8; 20];
    let mut rest = value.unsigned_abs();
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// A JSON object being written: members separated by commas.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, first: true }
    }

    /// `"name":` (names are the model's wire names: plain ASCII, nothing to escape).
    fn key(&mut self, name: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// A map entry: the caller's key and value, escaped.
    fn entry(&mut self, key: &str, value: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        write_json_str(self.out, key);
        self.out.push(b':');
        write_json_str(self.out, value);
    }

    fn str(&mut self, name: &str, value: &str) {
        write_json_str(self.key(name), value);
    }

    fn int(&mut self, name: &str, value: i64) {
        write_int(self.key(name), value);
    }

    /// Epoch seconds as the model's `timestampUnix` members are written (whole seconds, as
    /// [`crate::job_run::timestamp_unix`] gives them).
    fn time(&mut self, name: &str, epoch: f64) {
        write_int(self.key(name), epoch.floor() as i64);
    }

    fn raw(&mut self, name: &str, text: &[u8]) {
        self.key(name).extend_from_slice(text);
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// The wire text of `job` (stored under `arn`) as [`Job::view`] describes it, its settings
/// copied as they are stored: rendered.
pub fn write_job(job: &Job, arn: &str, clock: &Clock, r: &JobRenderers) -> Vec<u8> {
    let p = job.progress(clock);
    let settings = job.settings.as_bytes();
    // A CreateJob's answer without its settings is about 700 bytes (names, ARNs, times): room
    // for that, so the text is not copied to a larger buffer as it grows.
    let mut out = Vec::with_capacity(1024 + settings.len());
    let mut o = Object::open(&mut out);
    o.str("arn", arn);
    o.str("id", &job.id);
    o.time("createdAt", job.created_at);
    o.str("queue", &job.queue);
    o.str("role", &job.role);
    o.raw("settings", settings);
    o.str("status", &p.status);
    {
        let mut t = Object::open(o.key("timing"));
        t.time("submitTime", job.created_at);
        if let Some(s) = p.start {
            t.time("startTime", s);
        }
        if let Some(f) = p.finish {
            t.time("finishTime", f);
        }
        t.close();
    }
    o.int("priority", job.priority);
    o.str("statusUpdateInterval", &job.status_update_interval);
    o.int("retryCount", 0);
    o.raw("messages", br#"{"info":[],"warning":[]}"#);
    if let Some(used) = &job.engine_used {
        o.str("jobEngineVersionUsed", used);
    }
    o.str(
        "shareStatus",
        job.share_status.as_deref().unwrap_or("NOT_SHARED"),
    );
    o.str("accelerationStatus", job.acceleration_status(&p.status));
    if let Some(t) = &job.job_template {
        o.str("jobTemplate", t);
    }
    {
        let mut m = Object::open(o.key("userMetadata"));
        for (k, v) in &job.user_metadata {
            m.entry(k, v);
        }
        m.close();
    }
    match &job.acceleration {
        Some(a) => o.raw("accelerationSettings", &r.acceleration.render(&a.value())),
        None => o.raw("accelerationSettings", br#"{"mode":"DISABLED"}"#),
    }
    if let Some(h) = &job.hop_destinations {
        o.raw("hopDestinations", &r.hop_destinations.render(&h.value()));
    }
    if let Some(h) = job.hopping.as_ref().filter(|h| !h.transitions.is_empty()) {
        let out = o.key("queueTransitions");
        out.push(b'[');
        for (i, t) in h.transitions.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let mut transition = Object::open(out);
            transition.str("destinationQueue", &t.destination);
            transition.str("sourceQueue", &t.source);
            transition.time("timestamp", t.timestamp);
            transition.close();
        }
        out.push(b']');
    }
    if let (Some(e), Some(render)) = (&job.elemental_inference, &r.elemental_inference) {
        o.raw("elementalInferenceSettings", &render.render(&e.value()));
    }
    let optional = [
        ("billingTagsSource", &job.billing_tags_source),
        ("simulateReservedQueue", &job.simulate_reserved_queue),
        ("clientRequestToken", &job.client_request_token),
        ("jobEngineVersionRequested", &job.engine_requested),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            o.str(name, v);
        }
    }
    if let Some(percent) = p.percent {
        o.int("jobPercentComplete", percent);
    }
    if let Some(phase) = p.phase {
        o.str("currentPhase", phase);
    }
    if let (Outcome::Error { code, message }, "ERROR") = (&job.outcome, p.status.as_str()) {
        o.int("errorCode", *code);
        o.str("errorMessage", message);
    }
    if p.status == "COMPLETE" {
        let out = o.key("outputGroupDetails");
        out.push(b'[');
        for (g, outputs) in job.output_groups.iter().enumerate() {
            if g > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"outputDetails":["#);
            for (i, d) in outputs.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let mut detail = Object::open(out);
                detail.int("durationInMs", d.duration_ms);
                if let Some((w, h)) = d.frame {
                    let mut video = Object::open(detail.key("videoDetails"));
                    video.int("widthInPx", w);
                    video.int("heightInPx", h);
                    video.close();
                }
                detail.close();
            }
            out.extend_from_slice(b"]}");
        }
        out.push(b']');
    }
    o.close();
    out
}

/// `operation`'s answer (CreateJob or GetJob) about `job`, stored under `arn`, as `answer`
/// asks: its view, or its text written by [`answer`].
pub(crate) fn job_answer(
    operation: &str,
    job: &Job,
    arn: &str,
    clock: &Clock,
    answer: Answer,
) -> Result<Output, ServiceError> {
    match (answer, renderers()) {
        (Answer::Wire, Some(r)) => self::answer(operation, job, arn, clock, r),
        _ => Ok(Output::from(crate::job_run::job_output(
            job.view(arn, clock),
        ))),
    }
}

/// The answer of `operation` (CreateJob or GetJob) about `job`: `{"job": …}` with the job
/// written by [`write_job`].
pub fn answer(
    operation: &str,
    job: &Job,
    arn: &str,
    clock: &Clock,
    r: &JobRenderers,
) -> Result<Output, ServiceError> {
    #[cfg(debug_assertions)]
    let text = {
        let (text, view) = write_checked(job, arn, clock, r)?;
        checked(operation, crate::job_run::job_output(view))?;
        text
    };
    #[cfg(not(debug_assertions))]
    let (text, _) = (write_job(job, arn, clock, r), operation);
    Ok(Output::with_member(
        Value::Object(Map::new()),
        RenderedMember::new("Job", text),
    ))
}

/// The answer of a listing `operation` (ListJobs, SearchJobs, GetJobsQueryResults): its
/// `Jobs`, each `(arn, job)` as `answer` asks (views, or written by [`list_answer`]), beside
/// the members of `rest` (its next token, its status).
pub(crate) fn jobs_answer(
    operation: &str,
    jobs: &[(&str, &Job)],
    clock: &Clock,
    mut rest: Map<String, Value>,
    answer: Answer,
) -> Result<Output, ServiceError> {
    match (answer, renderers()) {
        (Answer::Wire, Some(r)) => list_answer(operation, jobs, clock, rest, r),
        _ => {
            let views = jobs.iter().map(|(arn, j)| j.view(arn, clock)).collect();
            rest.insert("Jobs".into(), Value::Array(views));
            Ok(Output::from(Value::Object(rest)))
        }
    }
}

/// [`jobs_answer`]'s written answer.
pub fn list_answer(
    operation: &str,
    jobs: &[(&str, &Job)],
    clock: &Clock,
    rest: Map<String, Value>,
    r: &JobRenderers,
) -> Result<Output, ServiceError> {
    let item_bytes = jobs
        .first()
        .map_or(0, |(_, j)| 640 + j.settings.as_bytes().len());
    let mut list = RenderedList::new("Jobs", jobs.len(), item_bytes);
    #[cfg(debug_assertions)]
    let mut views = Vec::with_capacity(jobs.len());
    for (arn, job) in jobs {
        #[cfg(debug_assertions)]
        let text = {
            let (text, view) = write_checked(job, arn, clock, r)?;
            views.push(view);
            text
        };
        #[cfg(not(debug_assertions))]
        let text = write_job(job, arn, clock, r);
        list.push(&text);
    }
    #[cfg(debug_assertions)]
    {
        let mut output = rest.clone();
        output.insert("Jobs".into(), Value::Array(views));
        checked(operation, Value::Object(output))?;
    }
    #[cfg(not(debug_assertions))]
    let _ = operation;
    Ok(Output {
        value: Value::Object(rest),
        rendered: Some(list),
        member: None,
        body: None,
    })
}

/// Debug builds' check of an answer about jobs, with [`checked_text`]: `output`, the answer
/// of views the written text stands for, is within `operation`'s output shape
/// (`kit::checked_output`, as every answer is); otherwise its error.
#[cfg(debug_assertions)]
fn checked(operation: &str, output: Value) -> Result<(), ServiceError> {
    use kit::Operations;
    kit::checked_output(
        "mediaconvert",
        operation,
        crate::MediaConvert::AS_AWS_ANSWERS,
        Ok(output),
    )
    .map(drop)
}

/// Debug builds: [`write_job`]'s text and the view it stands for, checked by
/// [`checked_text`]. Both renders read the clock (progress, and `Timing` clamped to now in fast mode), so a
/// tick between them is tried again; a difference that stays is the error.
#[cfg(debug_assertions)]
fn write_checked(
    job: &Job,
    arn: &str,
    clock: &Clock,
    r: &JobRenderers,
) -> Result<(Vec<u8>, Value), ServiceError> {
    let mut tries = 3;
    loop {
        let text = write_job(job, arn, clock, r);
        match checked_text(&text, job, arn, clock, r) {
            Ok(view) => return Ok((text, view)),
            Err(e) if tries == 1 => return Err(e),
            Err(_) => tries -= 1,
        }
    }
}

/// Debug builds' check of [`write_job`]'s `text`: `job`'s view, which the model serializes
/// to the same text; otherwise an internal error naming both texts.
#[cfg(debug_assertions)]
fn checked_text(
    text: &[u8],
    job: &Job,
    arn: &str,
    clock: &Clock,
    r: &JobRenderers,
) -> Result<Value, ServiceError> {
    let view = job.view(arn, clock);
    let expected = r.job.render(&view);
    if expected != text {
        return Err(ServiceError::internal(format!(
            "A written job differs from the model's serialization:\n{}\n{}",
            String::from_utf8_lossy(text),
            String::from_utf8_lossy(&expected)
        )));
    }
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::write_int;
    use crate::job_run::timestamp_unix;

    #[test]
    fn numbers_are_written_as_fmt_and_serde_json_write_them() {
        let mut values = vec![
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            1_700_000_000,
            i64::MAX,
            i64::MIN,
        ];
        values.extend((0..63).flat_map(|p| [1i64 << p, (1i64 << p) - 1, -(1i64 << p)]));
        for v in values {
            let mut out = Vec::new();
            write_int(&mut out, v);
            assert_eq!(String::from_utf8(out.clone()).unwrap(), v.to_string());
            let epoch = v as f64 + 0.75;
            if epoch.is_finite() && epoch.abs() < 1e15 {
                let mut out = Vec::new();
                write_int(&mut out, epoch.floor() as i64);
                assert_eq!(out, serde_json::to_vec(&timestamp_unix(epoch)).unwrap());
            }
        }
    }
}
