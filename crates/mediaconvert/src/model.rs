//! MediaConvert's stored resources, typed. Settings trees (a job's, a template's, a
//! preset's) are the caller's documents of several hundred optional members each: they are
//! kept as validated JSON text (a job's as its answers render it), everything the service
//! reasons about is typed.

use kit::Phase;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use service::{RequestContext, ServiceError};
use std::borrow::Cow;
use std::sync::Arc;

/// A caller's JSON document (a settings tree) kept as its minified text: as a `Value` the same
/// tree costs several times as much memory, and it is only read back whole, for views.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Document(Box<str>);

impl Document {
    /// The document of `value`.
    pub fn new(value: &Value) -> Self {
        // The same text as `to_string`, written to bytes directly rather than through
        // `fmt::Display` (a third faster for a job's settings).
        let text = serde_json::to_string(value).unwrap_or_else(|_| value.to_string());
        Document(text.into_boxed_str())
    }

    /// Its value (the text was written from a `Value`, so it parses).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

/// A document kept as the wire text the model renders it to: a job's settings, which CreateJob
/// renders once for its answer and GetJob, ListJobs and SearchJobs answer again as they are.
/// Shared: jobs submitted with the same settings keep one text (see `JobTable::share`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WireDocument(Arc<str>);

impl WireDocument {
    /// The document a renderer wrote as `text` (JSON text, so UTF-8).
    pub fn new(text: Vec<u8>) -> Self {
        let text = String::from_utf8(text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        WireDocument(text.into())
    }

    /// The document whose wire text is `text`.
    pub fn from_text(text: &str) -> Self {
        WireDocument(text.into())
    }

    /// Its wire text.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Becomes `last` if the texts are equal; else `last` becomes this text, for the next one
    /// to share.
    pub fn share_with(&mut self, last: &mut WireDocument) {
        if self.0 == last.0 {
            *self = last.clone();
        } else {
            *last = self.clone();
        }
    }

    /// Whether both are the one shared text (not only equal texts).
    #[cfg(test)]
    pub fn shares(&self, other: &WireDocument) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

// Journaled as the text itself, as before it was shared.
impl Serialize for WireDocument {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WireDocument {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|text| WireDocument(text.into()))
    }
}

/// Text many stored values repeat, shared rather than copied: a queue's ARN, which each of
/// its jobs names (the queue store's own key, so a job costs a reference, not a copy).
/// Journaled as the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedText(Arc<str>);

impl SharedText {
    /// `text`, shared with whatever else holds it.
    pub fn new(text: Arc<str>) -> Self {
        SharedText(text)
    }

    /// Its text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether both are the one shared text (not only equal texts).
    #[cfg(test)]
    pub fn shares(&self, other: &Arc<str>) -> bool {
        Arc::ptr_eq(&self.0, other)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(text.into())
    }
}

impl std::ops::Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Serialize for SharedText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|text| SharedText(text.into()))
    }
}

/// The words of the fixed vocabularies a job keeps (the model's `StatusUpdateInterval`,
/// `VideoCodec` and `AudioCodec`, and [`crate::endpoints::ENGINE_VERSIONS`]), sorted: a job's
/// word found here is this static text.
static WORDS: &[&str] = &[
    "2024-08-01",
    "2025-06-01",
    "AAC",
    "AC3",
    "AC4",
    "AIFF",
    "AV1",
    "AVC_INTRA",
    "EAC3",
    "EAC3_ATMOS",
    "FLAC",
    "FRAME_CAPTURE",
    "GIF",
    "H_264",
    "H_265",
    "MP2",
    "MP3",
    "MPEG2",
    "OPUS",
    "PASSTHROUGH",
    "PRORES",
    "SECONDS_10",
    "SECONDS_12",
    "SECONDS_120",
    "SECONDS_15",
    "SECONDS_180",
    "SECONDS_20",
    "SECONDS_240",
    "SECONDS_30",
    "SECONDS_300",
    "SECONDS_360",
    "SECONDS_420",
    "SECONDS_480",
    "SECONDS_540",
    "SECONDS_60",
    "SECONDS_600",
    "UNCOMPRESSED",
    "VC3",
    "VORBIS",
    "VP8",
    "VP9",
    "WAV",
    "XAVC",
];

/// A word of a fixed vocabulary as a job keeps it (a codec, its `StatusUpdateInterval`, an
/// engine version): a known word is the program's static text, so a store of many jobs does
/// not keep (and allocate) a copy per job; another word (one a later model adds) is owned.
/// Journaled as the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word(Cow<'static, str>);

impl Word {
    /// `text` as a word: the static one if it is known.
    pub fn new(text: &str) -> Self {
        match WORDS.binary_search(&text) {
            Ok(at) => Word(Cow::Borrowed(WORDS[at])),
            Err(_) => Word(Cow::Owned(text.to_string())),
        }
    }

    /// A word of the program's own text (no lookup, no allocation).
    pub const fn known(text: &'static str) -> Self {
        Word(Cow::Borrowed(text))
    }

    /// Its text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it is a known word's static text (no allocation of its own).
    #[cfg(test)]
    pub fn is_static(&self) -> bool {
        matches!(self.0, Cow::Borrowed(_))
    }
}

impl From<&str> for Word {
    fn from(text: &str) -> Self {
        Word::new(text)
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Word {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Word {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A restored job's words are the static ones too.
        String::deserialize(d).map(|text| Word::new(&text))
    }
}

/// The queue every account and region has, which cannot be deleted.
pub const DEFAULT_QUEUE: &str = "Default";

/// A queue's reserved pricing plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reservation {
    /// `ONE_YEAR`.
    pub commitment: String,
    /// `AUTO_RENEW` or `EXPIRE`.
    pub renewal: String,
    /// Reserved transcoding slots.
    pub slots: i64,
    /// When it was bought (epoch seconds).
    pub purchased_at: f64,
}

/// A job queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it is the account's `Default` queue (type SYSTEM).
    #[serde(default)]
    pub system: bool,
    /// Whether it is PAUSED (it holds its submitted jobs).
    #[serde(default)]
    pub paused: bool,
    /// Created, epoch seconds.
    pub created_at: f64,
    /// Last changed, epoch seconds.
    pub last_updated: f64,
    /// The reserved plan; `None` is on-demand pricing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Reservation>,
    /// On-demand queues: how many jobs may run at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent_jobs: Option<i64>,
    /// Feed-based queues: `MaximumConcurrentFeeds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_feeds: Option<i64>,
}

/// A custom output preset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `PresetSettings`, as given.
    pub settings: Document,
    /// Created, epoch seconds.
    pub created_at: f64,
    /// Last changed, epoch seconds.
    pub last_updated: f64,
}

/// A custom job template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobTemplate {
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `JobTemplateSettings`, as given.
    pub settings: Document,
    /// The queue its jobs go to (ARN), unless the job names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<String>,
    /// Its jobs' priority, unless the job sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// `StatusUpdateInterval`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_update_interval: Option<String>,
    /// `AccelerationSettings`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceleration: Option<Document>,
    /// `HopDestinations`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop_destinations: Option<Document>,
    /// `ElementalInferenceSettings`, as given (its jobs' unless they give their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elemental_inference: Option<Document>,
    /// Created, epoch seconds.
    pub created_at: f64,
    /// Last changed, epoch seconds.
    pub last_updated: f64,
}

/// How a job ends once it has run: decided when it is submitted (the role, the input policy
/// and the role's S3 access are checked then), observed when its lifecycle gets there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// It completes.
    Complete,
    /// It fails with AWS's job error code and message.
    Error {
        /// `ErrorCode`.
        code: i64,
        /// `ErrorMessage`.
        message: Box<str>,
    },
}

/// A transcoding job. Its texts are `Box<str>` and its lists boxed slices (a word smaller
/// than `String` and `Vec` each, the same JSON): the store keeps each job with its tags in
/// one allocation, at most 512 bytes (a larger one takes the allocator's next size, 640).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// `1700000000000-abc123`.
    pub id: Box<str>,
    /// The queue's ARN (shared with the queue store's key when it was there).
    pub queue: SharedText,
    /// The service role's ARN.
    pub role: Box<str>,
    /// `JobSettings` after the template (if any) was applied, as the model renders them
    /// (journaled as `wire_settings`).
    #[serde(rename = "wire_settings", default)]
    pub settings: WireDocument,
    /// The settings as journals before `wire_settings` hold them (member names), until
    /// restore renders them (see `JobTable::restore`).
    #[serde(rename = "settings", default, skip_serializing)]
    pub older_settings: Option<Box<Document>>,
    /// Its input files (from the settings), for searches and shares.
    #[serde(default)]
    pub inputs: Box<[Box<str>]>,
    /// The video codecs of its outputs (from the settings), for jobs queries.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub video_codecs: Box<[Word]>,
    /// The audio codecs of its outputs (from the settings), for jobs queries.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub audio_codecs: Box<[Word]>,
    /// The template's name or ARN as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_template: Option<Box<str>>,
    /// Priority, -50..50.
    #[serde(default)]
    pub priority: i64,
    /// `UserMetadata`, sorted by key (a list: a one-entry map costs a whole tree node).
    #[serde(default, skip_serializing_if = "is_empty")]
    pub user_metadata: Box<[(Box<str>, Box<str>)]>,
    /// `StatusUpdateInterval`.
    pub status_update_interval: Word,
    /// `AccelerationSettings`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceleration: Option<Document>,
    /// Whether it asked for PREFERRED acceleration but runs without: an output has no video,
    /// or its queue is reserved (its `AccelerationStatus` ends NOT_ACCELERATED).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unaccelerated: bool,
    /// `HopDestinations`, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hop_destinations: Option<Document>,
    /// Where its hops take it and the hops it made (jobs with `HopDestinations` only: boxed,
    /// a job without costs a pointer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hopping: Option<Box<Hopping>>,
    /// `BillingTagsSource`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_tags_source: Option<Box<str>>,
    /// `SimulateReservedQueue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulate_reserved_queue: Option<Box<str>>,
    /// `ElementalInferenceSettings`, as given or from its template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elemental_inference: Option<Document>,
    /// `ClientRequestToken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<Box<str>>,
    /// `JobEngineVersion` as requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_requested: Option<Box<str>>,
    /// The engine version it runs on (`None`: an expired version was requested, and it runs
    /// as a regular job with `JobEngineVersionUsed` empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_used: Option<Word>,
    /// Submitted, epoch seconds.
    pub created_at: f64,
    /// Where it is in its lifecycle (`HELD` while its queue is paused).
    pub phase: Phase,
    /// Wall time (epoch seconds) at lifecycle time `anchor_lifecycle`: converts lifecycle
    /// times to the `Timing` AWS reports.
    pub anchor_wall: f64,
    /// See `anchor_wall`.
    pub anchor_lifecycle: f64,
    /// When it started, if it was canceled after starting (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_before_cancel: Option<f64>,
    /// How it ends.
    pub outcome: Outcome,
    /// Per output group, its outputs' details as reported once the job completes.
    #[serde(default)]
    pub output_groups: Box<[Box<[OutputDetail]>]>,
    /// `ShareStatus` (`NOT_SHARED` until CreateResourceShare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_status: Option<Box<str>>,
}

/// Whether a job's list is empty (it is then not journaled).
#[allow(clippy::borrowed_box)] // Serde passes the field's own type.
fn is_empty<T>(list: &Box<[T]>) -> bool {
    list.is_empty()
}

/// One hop destination of a job, resolved when it is submitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HopTarget {
    /// The destination queue's ARN (`Default` when the request names none).
    pub queue: String,
    /// How long the job waits in the queue it is in before it may hop, seconds.
    pub wait: f64,
    /// Its priority in the destination queue, if it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

/// A hop a job made (`QueueTransition`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueTransition {
    /// `SourceQueue` (ARN).
    pub source: String,
    /// `DestinationQueue` (ARN).
    pub destination: String,
    /// `Timestamp`, epoch seconds.
    pub timestamp: f64,
}

/// A job's queue hopping: its destinations in order, the hops made, and where it is now.
/// `Job.Queue` and `Job.Priority` keep the submitted values; this says where it waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hopping {
    /// `HopDestinations`, resolved.
    pub targets: Vec<HopTarget>,
    /// How many of `targets` are used up (hopped to, or skipped as gone).
    #[serde(default)]
    pub taken: usize,
    /// The hops made (`QueueTransitions`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<QueueTransition>,
    /// When it entered the queue it is in (lifecycle time): its wait there counts from then,
    /// a pause of the queue included.
    pub entered: f64,
    /// Its priority in the queue it is in.
    pub priority: i64,
    /// Whether it asked for PREFERRED acceleration and every output has video: it then runs
    /// accelerated in an on-demand queue and without in a reserved one, wherever it hops
    /// ("if the job hops to an on-demand queue, it will run with acceleration enabled").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accelerable: bool,
    /// When it leaves its queue for the next target, if its queue's schedule gives it no slot
    /// before then (its phase is then SUBMITTED since [`UNPLACED`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaves: Option<f64>,
}

/// The `since` of a SUBMITTED job no slot of its queue is for: it hops first (finite, so
/// that the journal's JSON keeps it).
pub const UNPLACED: f64 = f64::MAX;

impl Hopping {
    /// A job's hopping to `targets`, none made yet (its entry and priority set when stored).
    pub fn new(targets: Vec<HopTarget>) -> Self {
        Hopping {
            targets,
            taken: 0,
            transitions: Vec::new(),
            entered: 0.0,
            priority: 0,
            accelerable: false,
            leaves: None,
        }
    }

    /// The queue it is in now: the last hop's destination, else `submitted`.
    pub fn queue<'a>(&'a self, submitted: &'a str) -> &'a str {
        self.transitions
            .last()
            .map_or(submitted, |t| t.destination.as_str())
    }

    /// The next hop it may make: its target and when it is due (its wait in the queue it is
    /// in counted from `entered`); none if the targets are used up or the next is the queue
    /// it is in.
    pub fn next(&self, submitted: &str) -> Option<(&HopTarget, f64)> {
        let target = self.targets.get(self.taken)?;
        (target.queue != self.queue(submitted)).then_some((target, self.entered + target.wait))
    }
}

/// What a completed job reports of one output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputDetail {
    /// `DurationInMs`.
    pub duration_ms: i64,
    /// `VideoDetails` width and height, for outputs with video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<(i64, i64)>,
}

/// The account's input policy (PutPolicy); a missing member means ALLOWED.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputPolicy {
    /// `HttpInputs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// `HttpsInputs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https: Option<String>,
    /// `S3Inputs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<String>,
}

/// The kind of location an input file is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// `s3://`.
    S3,
    /// `http://`.
    Http,
    /// `https://`.
    Https,
}

impl InputKind {
    /// The kind of `url`, if it is one MediaConvert reads.
    pub fn of(url: &str) -> Option<InputKind> {
        // Schemes in any case, compared in place (every job asks for each of its inputs).
        let scheme = |s: &str| {
            url.as_bytes()
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes()))
        };
        if scheme("s3://") {
            Some(InputKind::S3)
        } else if scheme("https://") {
            Some(InputKind::Https)
        } else if scheme("http://") {
            Some(InputKind::Http)
        } else {
            None
        }
    }
}

impl InputPolicy {
    /// Whether inputs of `kind` are allowed.
    pub fn allows(&self, kind: InputKind) -> bool {
        let member = match kind {
            InputKind::S3 => &self.s3,
            InputKind::Http => &self.http,
            InputKind::Https => &self.https,
        };
        member.as_deref() != Some("DISALLOWED")
    }
}

/// An ACM certificate associated with MediaConvert in an account and region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// The ACM certificate ARN.
    pub arn: String,
}

/// `arn:aws:mediaconvert:REGION:ACCOUNT:KIND/NAME`.
pub fn arn(ctx: &RequestContext, kind: &str, name: &str) -> String {
    service::concat(&[
        "arn:aws:mediaconvert:",
        &ctx.region,
        ":",
        ctx.account(),
        ":",
        kind,
        "/",
        name,
    ])
}

/// [`arn`] as shared text, in one allocation: written on the stack first when it fits (a
/// job's does), so no `String` is made only to be copied into the `Arc`.
pub fn shared_arn(ctx: &RequestContext, kind: &str, name: &str) -> Arc<str> {
    let parts = [
        "arn:aws:mediaconvert:",
        &ctx.region,
        ":",
        ctx.account(),
        ":",
        kind,
        "/",
        name,
    ];
    let mut buf = [0u8; 160];
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let Some(out) = buf.get_mut(..len) else {
        return arn(ctx, kind, name).into();
    };
    let mut at = 0;
    for p in parts {
        out[at..at + p.len()].copy_from_slice(p.as_bytes());
        at += p.len();
    }
    // Always UTF-8 (whole strings one after another).
    match std::str::from_utf8(out) {
        Ok(text) => Arc::from(text),
        Err(_) => arn(ctx, kind, name).into(),
    }
}

/// The ARN a `Queue`/`JobTemplate` member names: an ARN as given, else the caller's resource
/// of that name.
pub fn named_arn(ctx: &RequestContext, kind: &str, name_or_arn: &str) -> String {
    if name_or_arn.starts_with("arn:") {
        name_or_arn.to_string()
    } else {
        arn(ctx, kind, name_or_arn)
    }
}

/// The last segment of an ARN (the name of a queue, preset or template).
pub fn name_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The resource type an ARN names (`queues`, `presets`, `jobTemplates`, `jobs`), if any.
pub fn kind_of(arn: &str) -> Option<&str> {
    // By bytes: every request's authorization asks, and `split` ran a char searcher per part.
    let mut colons = arn.bytes().enumerate().filter(|&(_, b)| b == b':');
    let (start, _) = colons.nth(4)?;
    let resource = &arn[start + 1..];
    let end = resource
        .bytes()
        .position(|b| b == b'/' || b == b':')
        .unwrap_or(resource.len());
    Some(&resource[..end])
}

/// `BadRequestException`.
pub fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new("BadRequestException", message)
}

/// `NotFoundException`.
pub fn not_found(message: impl Into<String>) -> ServiceError {
    ServiceError::new("NotFoundException", message)
}

/// `ConflictException`.
pub fn conflict(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ConflictException", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_kinds_and_the_policy() {
        assert_eq!(InputKind::of("s3://b/k.mp4"), Some(InputKind::S3));
        assert_eq!(InputKind::of("HTTPS://h/x"), Some(InputKind::Https));
        assert_eq!(InputKind::of("http://h/x"), Some(InputKind::Http));
        assert_eq!(InputKind::of("ftp://h/x"), None);
        let p = InputPolicy {
            http: Some("DISALLOWED".into()),
            ..InputPolicy::default()
        };
        assert!(!p.allows(InputKind::Http));
        assert!(p.allows(InputKind::Https));
        assert!(p.allows(InputKind::S3));
    }

    #[test]
    fn words_of_the_vocabularies_are_static_and_others_owned() {
        // Sorted, or the binary search misses words.
        assert!(WORDS.windows(2).all(|w| w[0] < w[1]));
        for w in WORDS {
            let word = Word::new(w);
            assert!(word.is_static(), "{w}");
            assert_eq!(word.as_str(), *w);
            // The same text, not the vocabulary's neighbour.
            assert!(std::ptr::eq(word.as_str(), *w));
        }
        for w in [
            "",
            "H_266",
            "SECONDS_7",
            "aac",
            "H_264 ",
            "H_264\0",
            "SECONDS_600_SECONDS",
        ] {
            let word = Word::new(w);
            assert!(!word.is_static(), "{w}");
            assert_eq!(word.as_str(), w);
        }
        // Journaled and restored as its text.
        for w in ["SECONDS_60", "H_266"] {
            let json = serde_json::to_value(Word::new(w)).unwrap();
            assert_eq!(json, Value::from(w));
            let back: Word = serde_json::from_value(json).unwrap();
            assert_eq!(back, Word::new(w));
            assert_eq!(back.is_static(), w == "SECONDS_60");
        }
        // Every engine version a job may run on is a word.
        for (v, _) in crate::endpoints::ENGINE_VERSIONS {
            assert!(Word::new(v).is_static(), "{v}");
        }
    }

    #[test]
    fn the_words_are_the_models_vocabularies_and_the_engine_versions() {
        // The list is written out (static text to borrow); it is what the model's enums and
        // the engine versions hold, no more and no fewer.
        let model = protocol::Registry::shared().model("mediaconvert").unwrap();
        let mut expected: Vec<String> = ["StatusUpdateInterval", "VideoCodec", "AudioCodec"]
            .into_iter()
            .flat_map(|shape| match &model.shape_named(shape).unwrap().kind {
                protocol::shape::ShapeKind::String {
                    enum_values: Some(v),
                } => v.clone(),
                other => panic!("{shape}: {other:?}"),
            })
            .chain(
                crate::endpoints::ENGINE_VERSIONS
                    .iter()
                    .map(|(v, _)| v.to_string()),
            )
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(WORDS.to_vec(), expected);
    }

    #[test]
    fn a_job_fits_the_allocators_512_byte_blocks() {
        // As the store keeps it: in an `Arc` (two counts) with its tags and policy.
        let kept = 2 * std::mem::size_of::<usize>() + std::mem::size_of::<kit::Stored<Job>>();
        assert!(kept <= 512, "{kept}");
    }

    #[test]
    fn shared_text_is_journaled_as_its_text() {
        let key: Arc<str> = "arn:aws:mediaconvert:r:1:queues/Default".into();
        let shared = SharedText::new(key.clone());
        assert!(shared.shares(&key) && shared.as_str() == &*key);
        let json = serde_json::to_value(&shared).unwrap();
        assert_eq!(json, Value::from(&*key));
        let back: SharedText = serde_json::from_value(json).unwrap();
        assert_eq!(back, shared);
        assert!(!back.shares(&key));
    }

    #[test]
    fn a_shared_arn_is_the_arn_at_every_length() {
        // On the stack up to 160 bytes, built as a String past that: the same text.
        // With this context's region and account, a name of 111 bytes fills the buffer.
        let full = arn(&crate::tests::ctx("111111111111"), "jobs", &"x".repeat(111));
        assert_eq!(full.len(), 160);
        for n in [0, 1, 20, 100, 110, 111, 112, 118, 119, 120, 121, 200] {
            for name in ["x".repeat(n), "é".repeat(n / 2)] {
                let ctx = crate::tests::ctx("111111111111");
                let shared = shared_arn(&ctx, "jobs", &name);
                assert_eq!(&*shared, arn(&ctx, "jobs", &name), "{n}");
            }
        }
    }

    #[test]
    fn names_and_arns() {
        assert_eq!(name_of("arn:aws:mediaconvert:r:1:queues/q"), "q");
        assert_eq!(name_of("q"), "q");
        // `kind_of` by bytes finds what splitting finds.
        let by_split = |arn: &str| {
            arn.split(':')
                .nth(5)
                .and_then(|r| r.split('/').next())
                .map(str::to_string)
        };
        for arn in [
            "arn:aws:mediaconvert:r:1:queues/q",
            "arn:aws:mediaconvert:r:1:jobs/1-a/b",
            "arn:aws:mediaconvert:r:1:jobTemplates",
            "arn:aws:mediaconvert:r:1:a:b/c",
            "arn:aws:mediaconvert:r:1:",
            "arn:aws:mediaconvert:r:1",
            "arn:aws:mediaconvert:é:ü:ß/x",
            "",
            "q",
        ] {
            assert_eq!(kind_of(arn).map(str::to_string), by_split(arn), "{arn}");
        }
    }
}
