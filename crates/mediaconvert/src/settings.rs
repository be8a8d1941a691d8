//! The semantic rules AWS applies to a job's settings tree beyond its shape (the protocol
//! layer has already checked types, enums, ranges and patterns), applying a job template, and
//! what the settings say the job reads and writes.
//!
//! Messages name the offending member by JSON pointer with the wire's lowerCamel names, in the
//! words of MediaConvert's schema validator (`/outputGroups/0/outputs: Should have at least 1
//! items`, `/outputGroups/0/outputs/0: containerSettings is a required property`).

use crate::model::{bad_request, Word};
use serde_json::{Map, Value};
use service::{Node, ServiceError};

/// The containers each output group type takes (AWS has rejected others since 2020-11-20).
/// A file group writes standalone files: every container but the streaming packages'
/// segment containers (M3U8 is HLS's, CMFC CMAF's and DASH's, MPD DASH's, ISMV Smooth
/// Streaming's: `ContainerSettings` documents each for those outputs).
const GROUP_CONTAINERS: &[(&str, &[&str])] = &[
    (
        "FILE_GROUP_SETTINGS",
        &[
            "F4V", "GIF", "M2TS", "MOV", "MP4", "MXF", "OGG", "RAW", "WEBM", "Y4M",
        ],
    ),
    ("HLS_GROUP_SETTINGS", &["M3U8", "RAW"]),
    ("DASH_ISO_GROUP_SETTINGS", &["MPD", "CMFC"]),
    ("CMAF_GROUP_SETTINGS", &["CMFC"]),
    ("MS_SMOOTH_GROUP_SETTINGS", &["ISMV"]),
];

/// The codecs the User Guide's supported output formats table lists for a container whose
/// outputs have video (audio-only outputs have a table of their own): (container, video
/// codecs, audio codecs).
const CONTAINER_CODECS: &[(&str, &[&str], &[&str])] = &[(
    "CMFC",
    &["AV1", "H_264", "H_265", "VP9"],
    &["AAC", "AC3", "EAC3"],
)];

/// `A`, `A or B`, `one of A, B, C`.
fn choices(allowed: &[&str]) -> String {
    if allowed.len() > 2 {
        format!("one of {}", allowed.join(", "))
    } else {
        allowed.join(" or ")
    }
}

/// The group-type member each `OutputGroupSettings.Type` needs.
const GROUP_TYPES: &[(&str, &str, &str)] = &[
    (
        "FILE_GROUP_SETTINGS",
        "FileGroupSettings",
        "fileGroupSettings",
    ),
    ("HLS_GROUP_SETTINGS", "HlsGroupSettings", "hlsGroupSettings"),
    (
        "DASH_ISO_GROUP_SETTINGS",
        "DashIsoGroupSettings",
        "dashIsoGroupSettings",
    ),
    (
        "CMAF_GROUP_SETTINGS",
        "CmafGroupSettings",
        "cmafGroupSettings",
    ),
    (
        "MS_SMOOTH_GROUP_SETTINGS",
        "MsSmoothGroupSettings",
        "msSmoothGroupSettings",
    ),
];

// Members are read with `get` chains rather than `Value::pointer`, which splits and unescapes
// its path on every call.
fn list<'a, N: Node>(v: &'a N, member: &str) -> &'a [N] {
    Node::member(v, member).and_then(N::items).unwrap_or(&[])
}

/// What the rules are applied to: a job must say where it reads and writes; a template may
/// leave inputs and destinations to its jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `CreateJob` (after its template was applied).
    Job,
    /// `CreateJobTemplate`/`UpdateJobTemplate`.
    Template,
}

/// Checks a settings tree; `check_preset` answers for `Output.Preset` names (its error is
/// the request's).
pub fn validate<N: Node>(
    settings: &N,
    kind: Kind,
    check_preset: impl Fn(&str) -> Result<(), ServiceError>,
) -> Result<(), ServiceError> {
    if kind == Kind::Job {
        let inputs = list(settings, "Inputs");
        if inputs.is_empty() {
            return Err(bad_request("/inputs: Should have at least 1 items"));
        }
        for (i, input) in inputs.iter().enumerate() {
            let generated =
                input.member("VideoGenerator").is_some() || input.member("TamsSettings").is_some();
            if input.member("FileInput").is_none() && !generated {
                return Err(bad_request(format!(
                    "/inputs/{i}: fileInput is a required property"
                )));
            }
        }
    }
    let groups = list(settings, "OutputGroups");
    if groups.is_empty() {
        return Err(bad_request("/outputGroups: Should have at least 1 items"));
    }
    for (g, group) in groups.iter().enumerate() {
        let at = GroupAt(g);
        let Some(gs) = group.member("OutputGroupSettings") else {
            return Err(bad_request(format!(
                "{at}: outputGroupSettings is a required property"
            )));
        };
        let Some(ty) = gs.member("Type").and_then(N::as_str) else {
            return Err(bad_request(format!(
                "{at}/outputGroupSettings: type is a required property"
            )));
        };
        let (_, member, wire) = GROUP_TYPES
            .iter()
            .find(|(t, _, _)| *t == ty)
            .copied()
            .unwrap_or(("", "", ""));
        if !member.is_empty() && kind == Kind::Job {
            let Some(typed) = gs.member(member) else {
                return Err(bad_request(format!(
                    "{at}/outputGroupSettings: {wire} is a required property"
                )));
            };
            if typed.member("Destination").is_none() {
                return Err(bad_request(format!(
                    "{at}/outputGroupSettings/{wire}: destination is a required property"
                )));
            }
        }
        let outputs = list(group, "Outputs");
        if outputs.is_empty() {
            return Err(bad_request(format!(
                "{at}/outputs: Should have at least 1 items"
            )));
        }
        let containers = GROUP_CONTAINERS
            .iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, c)| *c);
        // Each output of a group writes files named from the destination, its name modifier
        // and (in a file group) its extension: two outputs whose names can't be told apart
        // write over each other.
        // (The first output has none before it to clash with, and a lone output no names to
        // read.)
        let names: Vec<OutputName> = match outputs.len() {
            1 => Vec::new(),
            _ => outputs.iter().map(|o| OutputName::of(o, ty)).collect(),
        };
        for (o, name) in names.iter().enumerate().skip(1) {
            let Some(first) = names[..o]
                .iter()
                .position(|earlier| name.may_clash(earlier))
            else {
                continue;
            };
            return Err(bad_request(match name.modifier {
                None => format!(
                    "{at}/outputs/{o}: nameModifier is a required property when an output \
                     group has more than one output"
                ),
                Some(m) => format!(
                    "{at}/outputs/{o}/nameModifier: {m} is also the name modifier of \
                     {at}/outputs/{first}; outputs of one output group need distinct name \
                     modifiers"
                ),
            }));
        }
        for (o, output) in outputs.iter().enumerate() {
            let container = output
                .member("ContainerSettings")
                .and_then(|c| c.member("Container"))
                .and_then(N::as_str);
            if let (Some(c), Some(allowed)) = (container, containers) {
                if !allowed.contains(&c) {
                    return Err(bad_request(format!(
                        "{at}/outputs/{o}/containerSettings/container: {c} is not a valid container for an output group of type {ty}; use {}",
                        choices(allowed)
                    )));
                }
            }
            // A CMAF group's outputs are CMFC whether or not they say so.
            let container = container.or((ty == "CMAF_GROUP_SETTINGS").then_some("CMFC"));
            check_codecs(output, container, OutputAt(g, o))?;
            if let Some(preset) = output.member("Preset").and_then(N::as_str) {
                check_preset(preset)?;
                continue;
            }
            let described = [
                "VideoDescription",
                "AudioDescriptions",
                "CaptionDescriptions",
            ]
            .iter()
            .any(|m| output.member(m).is_some_and(|v| !v.is_null()));
            if !described {
                return Err(bad_request(format!(
                    "{at}/outputs/{o}: Should have at least one of videoDescription, \
                     audioDescriptions, captionDescriptions or preset"
                )));
            }
            // A file is written in a container; streaming groups imply theirs.
            if ty == "FILE_GROUP_SETTINGS" && output.member("ContainerSettings").is_none() {
                return Err(bad_request(format!(
                    "{at}/outputs/{o}: containerSettings is a required property"
                )));
            }
        }
    }
    Ok(())
}

/// What an output's files are named by, past the group's destination: its name modifier
/// and, in a file group, its extension.
struct OutputName<'a> {
    modifier: Option<&'a str>,
    /// The extension a file group's output writes, when the output itself says it (`None`
    /// for a preset's output that names none): the model's `Output.Extension`, "If you do not
    /// specify a value, the service will use default extensions by container type ... No
    /// Container, the service will use codec extensions".
    extension: Option<&'a str>,
    file: bool,
}

impl<'a> OutputName<'a> {
    fn of<N: Node>(output: &'a N, group_type: &str) -> Self {
        let modifier = output
            .member("NameModifier")
            .and_then(N::as_str)
            .filter(|m| !m.is_empty());
        let file = group_type == "FILE_GROUP_SETTINGS";
        let extension = if file {
            output
                .member("Extension")
                .and_then(N::as_str)
                .filter(|e| !e.is_empty())
                .or_else(|| {
                    let container = output
                        .member("ContainerSettings")
                        .and_then(|c| c.member("Container"))
                        .and_then(N::as_str)?;
                    if container != "RAW" {
                        return Some(extension(Some(container)));
                    }
                    output
                        .member("VideoDescription")
                        .and_then(codec)
                        .or_else(|| list(output, "AudioDescriptions").first().and_then(codec))
                })
        } else {
            None
        };
        OutputName {
            modifier,
            extension,
            file,
        }
    }

    /// Whether both may write files of one name: the same name modifier (or none), and in a
    /// file group extensions not known to differ.
    fn may_clash(&self, other: &OutputName<'_>) -> bool {
        self.modifier == other.modifier
            && (!self.file
                || match (self.extension, other.extension) {
                    (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                    _ => true,
                })
    }
}

/// `/outputGroups/{g}`, the path errors name: written only into an error's message (building
/// it for every group of every job was a `format!` per group).
struct GroupAt(usize);

impl std::fmt::Display for GroupAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/outputGroups/{}", self.0)
    }
}

/// `/outputGroups/{g}/outputs/{o}`, likewise.
struct OutputAt(usize, usize);

impl std::fmt::Display for OutputAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/outputs/{}", GroupAt(self.0), self.1)
    }
}

/// Refuses an output's codecs that the output formats table does not list for its container
/// (only containers the table is clear about; an output's preset is not looked into).
fn check_codecs<N: Node>(
    output: &N,
    container: Option<&str>,
    at: OutputAt,
) -> Result<(), ServiceError> {
    let Some((c, video, audio)) = container
        .and_then(|c| CONTAINER_CODECS.iter().find(|(name, _, _)| *name == c))
        .copied()
    else {
        return Ok(());
    };
    let Some(vd) = output.member("VideoDescription").filter(|v| !v.is_null()) else {
        // Audio-only outputs: another table.
        return Ok(());
    };
    if let Some(v) = codec(vd) {
        if !video.contains(&v) {
            return Err(bad_request(format!(
                "{at}/videoDescription/codecSettings/codec: {v} is not a supported video codec \
                 for container {c}; use {}",
                choices(video)
            )));
        }
    }
    for (i, a) in list(output, "AudioDescriptions").iter().enumerate() {
        if let Some(codec) = codec(a) {
            if !audio.contains(&codec) {
                return Err(bad_request(format!(
                    "{at}/audioDescriptions/{i}/codecSettings/codec: {codec} is not a supported \
                     audio codec for container {c} in an output with video; use {}",
                    choices(audio)
                )));
            }
        }
    }
    Ok(())
}

/// A job's settings on top of its template's: members the job sets win, objects merge member
/// by member, the template's inputs, output groups and each output group's outputs merge with
/// the job's by position, and any other list the job gives replaces the template's.
///
/// Output groups and outputs merge as inputs do because AWS's own callers rely on it: Amplify
/// Video's input function submits its template's job with output groups that give only their
/// destinations and an empty `Outputs` list, the outputs being the template's.
pub fn apply_template(template: &Value, job: &Value) -> Value {
    merge(template, job, Level::Settings)
}

/// Where in a settings tree a merge is: which lists merge by position.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// The settings themselves: `Inputs` and `OutputGroups`.
    Settings,
    /// An output group: `Outputs`.
    OutputGroup,
    /// Anywhere else: lists are replaced.
    Other,
}

fn merge(base: &Value, over: &Value, level: Level) -> Value {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            let mut out: Map<String, Value> = b.clone();
            for (k, v) in o {
                let by_position = match level {
                    Level::Settings if k == "Inputs" => Some(Level::Other),
                    Level::Settings if k == "OutputGroups" => Some(Level::OutputGroup),
                    Level::OutputGroup if k == "Outputs" => Some(Level::Other),
                    _ => None,
                };
                let merged = match (out.get(k), v, by_position) {
                    (Some(Value::Array(bl)), Value::Array(ol), Some(inner)) => {
                        let n = bl.len().max(ol.len());
                        Value::Array(
                            (0..n)
                                .map(|i| match (bl.get(i), ol.get(i)) {
                                    (Some(x), Some(y)) => merge(x, y, inner),
                                    (Some(x), None) => x.clone(),
                                    (None, Some(y)) => y.clone(),
                                    (None, None) => Value::Null,
                                })
                                .collect(),
                        )
                    }
                    (Some(old), new, _) => merge(old, new, Level::Other),
                    (None, new, _) => new.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, over) => over.clone(),
    }
}

/// The job's input files, in order.
pub fn input_files<N: Node>(settings: &N) -> Vec<&str> {
    file_inputs(settings).collect()
}

/// The `FileInput` of each input that names one, in order.
fn file_inputs<N: Node>(settings: &N) -> impl Iterator<Item = &str> {
    list(settings, "Inputs")
        .iter()
        .filter_map(|i| i.member("FileInput").and_then(N::as_str))
}

/// The media a job makes, in milliseconds: each input's file (`file_ms` gives its length)
/// cut to its `InputClippings`, one input after another, as a job stitches them; `None` when
/// no input names a file.
pub fn stitched_ms<N: Node>(settings: &N, file_ms: impl Fn(&str) -> i64) -> Option<i64> {
    let mut total = None;
    for input in list(settings, "Inputs") {
        let Some(url) = input.member("FileInput").and_then(N::as_str) else {
            continue;
        };
        let length = file_ms(url);
        let clippings = list(input, "InputClippings");
        let kept = if clippings.is_empty() {
            length
        } else {
            let at = |c: &N, member: &str| {
                c.member(member)
                    .and_then(N::as_str)
                    .and_then(timecode_ms)
                    .map(|ms| ms.min(length))
            };
            clippings
                .iter()
                .map(|c| {
                    let start = at(c, "StartTimecode").unwrap_or(0);
                    let end = at(c, "EndTimecode").unwrap_or(length);
                    (end - start).max(0)
                })
                .sum()
        };
        total = Some(total.unwrap_or(0) + kept);
    }
    total
}

/// Frames per second of a clipping timecode without its own rate (mediamock's inputs have
/// no frame rate to read).
const CLIPPING_FPS: f64 = 30.0;

/// A clipping timecode (`HH:MM:SS:FF`, `;` before the frames for drop-frame, optionally
/// `@RATE` or `@NUM:DEN` frames per second) in milliseconds.
fn timecode_ms(timecode: &str) -> Option<i64> {
    let (clock, rate) = match timecode.split_once('@') {
        Some((clock, rate)) => {
            let fps = match rate.split_once(':') {
                Some((n, d)) => n.parse::<f64>().ok()? / d.parse::<f64>().ok()?,
                None => rate.parse::<f64>().ok()?,
            };
            (clock, fps)
        }
        None => (timecode, CLIPPING_FPS),
    };
    let parts: Vec<i64> = clock
        .split([':', ';'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s, f] = parts[..] else {
        return None;
    };
    if !(rate.is_finite() && rate > 0.0) {
        return None;
    }
    Some((h * 3600 + m * 60 + s) * 1000 + (f as f64 * 1000.0 / rate).round() as i64)
}

/// Every `Output.Preset` the settings name.
pub fn preset_names<N: Node>(settings: &N) -> Vec<&str> {
    list(settings, "OutputGroups")
        .iter()
        .flat_map(|g| list(g, "Outputs"))
        .filter_map(|o| o.member("Preset").and_then(N::as_str))
        .collect()
}

/// A video or audio description's `CodecSettings.Codec`.
fn codec<N: Node>(description: &N) -> Option<&str> {
    description
        .member("CodecSettings")
        .and_then(|c| c.member("Codec"))
        .and_then(N::as_str)
}

/// The video and audio codecs the outputs use (for jobs queries), in one walk of the outputs,
/// each list at its exact size: a job keeps them (grown by pushes, a one-codec list held
/// room for four).
pub fn codecs<N: Node>(settings: &N) -> (Box<[Word]>, Box<[Word]>) {
    let outputs = || {
        list(settings, "OutputGroups")
            .iter()
            .flat_map(|g| list(g, "Outputs"))
    };
    // A list's first push makes room for one per output, what most jobs have; a list with
    // room to spare is shrunk at the end.
    let room = outputs().count();
    let push = |to: &mut Vec<Word>, codec: &str| {
        if to.capacity() == 0 {
            to.reserve_exact(room);
        }
        to.push(Word::new(codec));
    };
    let (mut video, mut audio) = (Vec::new(), Vec::new());
    for o in outputs() {
        if let Some(c) = o.member("VideoDescription").and_then(codec) {
            push(&mut video, c);
        }
        for c in list(o, "AudioDescriptions").iter().filter_map(codec) {
            push(&mut audio, c);
        }
    }
    (video.into_boxed_slice(), audio.into_boxed_slice())
}

/// One file an output writes, and the frame size it has (if it has video).
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// Its output group's index.
    pub group: usize,
    /// `s3://bucket/key` (or the destination as given if it is not S3).
    pub url: String,
    /// Width and height in pixels, for outputs with video.
    pub frame: Option<(i64, i64)>,
    /// Whether it is a group's manifest rather than one output's media.
    pub manifest: bool,
}

fn extension(container: Option<&str>) -> &'static str {
    match container.unwrap_or("MP4") {
        "MOV" => "mov",
        "M2TS" => "m2ts",
        "MXF" => "mxf",
        "WEBM" => "webm",
        "OGG" => "ogg",
        "F4V" => "f4v",
        "ISMV" => "ismv",
        "GIF" => "gif",
        "Y4M" => "y4m",
        "RAW" => "raw",
        "M3U8" => "ts",
        _ => "mp4",
    }
}

/// The files the job writes: each output of a file group, and each other group's manifest
/// (`index.m3u8`, `.mpd`, `.ismc`), named as MediaConvert names them — the destination (plus
/// the first input's base name when it ends in `/`), the output's name modifier and its
/// extension. `preset` looks up a named preset's settings.
pub fn output_files<N: Node>(
    settings: &N,
    preset: impl Fn(&str) -> Option<Value>,
) -> Vec<OutputFile> {
    let input_base = file_inputs(settings).next().map_or("output", |f| {
        let last = f.rsplit('/').next().unwrap_or(f);
        last.split('.').next().unwrap_or(last)
    });
    let mut files = Vec::new();
    for (g, group) in list(settings, "OutputGroups").iter().enumerate() {
        let Some(gs) = group.member("OutputGroupSettings") else {
            continue;
        };
        let ty = gs.member("Type").and_then(N::as_str).unwrap_or_default();
        let Some((_, member, _)) = GROUP_TYPES.iter().find(|(t, _, _)| *t == ty) else {
            continue;
        };
        let Some(dest) = gs
            .member(member)
            .and_then(|m| m.member("Destination"))
            .and_then(N::as_str)
        else {
            continue;
        };
        // A destination that is a folder names its files after the first input.
        let base = [dest, if dest.ends_with('/') { input_base } else { "" }];
        for output in list(group, "Outputs") {
            let from_preset = output
                .member("Preset")
                .and_then(N::as_str)
                .and_then(&preset);
            // The frame and container come from the preset when the output names one.
            let (frame, container) = match &from_preset {
                Some(p) => (frame_of(p), container_of(p)),
                None => (frame_of(output), container_of(output)),
            };
            let modifier = output
                .member("NameModifier")
                .and_then(N::as_str)
                .unwrap_or_default();
            let ext = match output.member("Extension").and_then(N::as_str) {
                Some(e) => e,
                None => match ty {
                    "FILE_GROUP_SETTINGS" => extension(container),
                    "DASH_ISO_GROUP_SETTINGS" | "CMAF_GROUP_SETTINGS" => "mp4",
                    "MS_SMOOTH_GROUP_SETTINGS" => "ismv",
                    _ => "m3u8",
                },
            };
            files.push(OutputFile {
                group: g,
                url: service::concat(&[base[0], base[1], modifier, ".", ext]),
                frame,
                manifest: false,
            });
        }
        let manifest = match ty {
            "HLS_GROUP_SETTINGS" | "CMAF_GROUP_SETTINGS" => Some("m3u8"),
            "DASH_ISO_GROUP_SETTINGS" => Some("mpd"),
            "MS_SMOOTH_GROUP_SETTINGS" => Some("ismc"),
            _ => None,
        };
        if let Some(ext) = manifest {
            files.push(OutputFile {
                group: g,
                url: service::concat(&[base[0], base[1], ".", ext]),
                frame: None,
                manifest: true,
            });
        }
    }
    files
}

/// An output's frame size (the video description's, 1920×1080 where it says none), if it
/// has video.
fn frame_of<N: Node>(output: &N) -> Option<(i64, i64)> {
    output.member("VideoDescription").map(|v| {
        (
            v.member("Width").and_then(N::as_i64).unwrap_or(1920),
            v.member("Height").and_then(N::as_i64).unwrap_or(1080),
        )
    })
}

/// An output's container, if it names one.
fn container_of<N: Node>(output: &N) -> Option<&str> {
    output
        .member("ContainerSettings")
        .and_then(|c| c.member("Container"))
        .and_then(N::as_str)
}

/// Appends `s3://bucket/key` as the object's ARN (`arn:aws:s3:::bucket/key`) to `out`;
/// false (nothing written) if `url` names no S3 object.
pub fn push_s3_object_arn(out: &mut String, url: &str) -> bool {
    let Some(rest) = url.strip_prefix("s3://") else {
        return false;
    };
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return false;
    }
    for part in ["arn:aws:s3:::", bucket, "/", key] {
        out.push_str(part);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stitched_inputs_are_cut_to_their_clippings() {
        let file = |_: &str| 120_000;
        let one = json!({"Inputs": [{"FileInput": "s3://b/a.mp4"}]});
        assert_eq!(stitched_ms(&one, file), Some(120_000));
        assert_eq!(stitched_ms(&json!({"Inputs": []}), file), None);
        let clipped = json!({"Inputs": [
            {"FileInput": "s3://b/a.mp4", "InputClippings": [
                {"StartTimecode": "00:00:10:00", "EndTimecode": "00:00:20:15"},
                {"StartTimecode": "00:01:50:00"}
            ]},
            {"FileInput": "s3://b/b.mp4", "InputClippings": [{"EndTimecode": "00:00:05;00"}]},
            {"FileInput": "s3://b/c.mp4", "InputClippings": [{"StartTimecode": "00:05:00:00"}]}
        ]});
        // 10.5 s, the last 10 s, 5 s, and nothing of an input clipped past its end.
        assert_eq!(stitched_ms(&clipped, file), Some(10_500 + 10_000 + 5_000));
        assert_eq!(timecode_ms("01:00:00:12@24"), Some(3_600_500));
        assert_eq!(timecode_ms("00:00:01:00@30000:1001"), Some(1_000));
        assert_eq!(timecode_ms("00:00:00:30@30000:1001"), Some(1_001));
        assert_eq!(timecode_ms("00:00:01"), None);
        assert_eq!(timecode_ms("00:00:01:00@0"), None);
    }

    fn job() -> Value {
        json!({
            "Inputs": [{"FileInput": "s3://in/movies/cat.mov"}],
            "OutputGroups": [{
                "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": "s3://out/renders/"}},
                "Outputs": [{"NameModifier": "_hd",
                    "ContainerSettings": {"Container": "MOV"},
                    "VideoDescription": {"Width": 1280, "Height": 720}},
                    {"Preset": "p1", "NameModifier": "_sd"}]
            }, {
                "OutputGroupSettings": {"Type": "HLS_GROUP_SETTINGS",
                    "HlsGroupSettings": {"Destination": "s3://out/hls/main"}},
                "Outputs": [{"NameModifier": "_a", "AudioDescriptions": [{}]}]
            }]
        })
    }

    #[test]
    fn codecs_are_the_outputs_video_and_audio_codecs_in_order() {
        let settings = json!({"OutputGroups": [
            {"Outputs": [
                {"VideoDescription": {"CodecSettings": {"Codec": "H_264"}},
                 "AudioDescriptions": [{"CodecSettings": {"Codec": "AAC"}}, {},
                     {"CodecSettings": {"Codec": "AC3"}}]},
                {"VideoDescription": {}},
            ]},
            {"Outputs": [{"VideoDescription": {"CodecSettings": {"Codec": "H_265"}}}]},
            {}
        ]});
        assert_eq!(
            codecs(&settings),
            (
                vec![Word::new("H_264"), Word::new("H_265")].into(),
                vec![Word::new("AAC"), Word::new("AC3")].into()
            )
        );
        assert_eq!(codecs(&json!({})), (Box::default(), Box::default()));
    }

    #[test]
    fn rules_name_the_member_at_fault() {
        let ok = |_: &str| Ok(());
        validate(&job(), Kind::Job, ok).unwrap();
        let e = validate(&json!({"OutputGroups": []}), Kind::Job, ok).unwrap_err();
        assert_eq!(e.code, "BadRequestException");
        assert_eq!(e.message, "/inputs: Should have at least 1 items");
        let mut j = job();
        j["OutputGroups"][1]["Outputs"] = json!([]);
        assert_eq!(
            validate(&j, Kind::Job, ok).unwrap_err().message,
            "/outputGroups/1/outputs: Should have at least 1 items"
        );
        let mut j = job();
        j["OutputGroups"][0]["OutputGroupSettings"]["FileGroupSettings"] = json!({});
        assert_eq!(
            validate(&j, Kind::Job, ok).unwrap_err().message,
            "/outputGroups/0/outputGroupSettings/fileGroupSettings: destination is a required property"
        );
        // A template may leave the destination to its jobs, but not its outputs' content.
        validate(&j, Kind::Template, ok).unwrap();
        let e = validate(&job(), Kind::Job, |p| match p {
            "p1" => Err(bad_request(format!("no {p}"))),
            _ => Ok(()),
        })
        .unwrap_err();
        assert_eq!(e.message, "no p1");
        let mut j = job();
        j["OutputGroups"][0]["Outputs"][0]
            .as_object_mut()
            .unwrap()
            .remove("ContainerSettings");
        assert_eq!(
            validate(&j, Kind::Job, ok).unwrap_err().message,
            "/outputGroups/0/outputs/0: containerSettings is a required property"
        );
        let mut j = job();
        j["OutputGroups"][1]["Outputs"][0]["ContainerSettings"] = json!({"Container": "MP4"});
        assert!(validate(&j, Kind::Job, ok)
            .unwrap_err()
            .message
            .starts_with(
            "/outputGroups/1/outputs/0/containerSettings/container: MP4 is not a valid container"
        ));
        let mut j = job();
        j["OutputGroups"][1]["Outputs"][0] = json!({"NameModifier": "x"});
        assert!(validate(&j, Kind::Job, ok)
            .unwrap_err()
            .message
            .starts_with("/outputGroups/1/outputs/0: Should have at least one of"));
    }

    #[test]
    fn outputs_of_one_group_need_names_of_their_own() {
        let ok = |_: &str| Ok(());
        // Two files of one name: the same container and no name modifier.
        let twins = |kind| {
            let mut j = job();
            j["OutputGroups"][0]["Outputs"][1] = json!({"ContainerSettings": {"Container": "MOV"},
                "VideoDescription": {"Width": 640, "Height": 360}});
            j["OutputGroups"][0]["Outputs"][0]
                .as_object_mut()
                .unwrap()
                .remove("NameModifier");
            validate(&j, kind, ok)
        };
        for kind in [Kind::Job, Kind::Template] {
            assert_eq!(
                twins(kind).unwrap_err().message,
                "/outputGroups/0/outputs/1: nameModifier is a required property when an output \
                 group has more than one output"
            );
            let mut j = job();
            j["OutputGroups"][0]["Outputs"][1]["NameModifier"] = json!("_hd");
            let e = validate(&j, kind, ok).unwrap_err();
            assert_eq!(e.code, "BadRequestException");
            assert_eq!(
                e.message,
                "/outputGroups/0/outputs/1/nameModifier: _hd is also the name modifier of \
                 /outputGroups/0/outputs/0; outputs of one output group need distinct name modifiers"
            );
        }
        // One output may go without a modifier beside others that have theirs: AWS's Amplify
        // Video DASH template (four video outputs _3000 … _325, an audio output with none).
        let mut j = job();
        j["OutputGroups"][0]["Outputs"][1]
            .as_object_mut()
            .unwrap()
            .remove("NameModifier");
        validate(&j, Kind::Template, ok).unwrap();
        validate(&j, Kind::Job, ok).unwrap();
        j["OutputGroups"][1]["Outputs"] = json!([
            {"NameModifier": "_a", "AudioDescriptions": [{}]},
            {"AudioDescriptions": [{}]}]);
        validate(&j, Kind::Job, ok).unwrap();
        // Files of different extensions don't need one: AWS's Media2Cloud transcode job (a
        // MOV output written as .mp4 and an audio-only MP4 written as .m4a, neither with a
        // modifier).
        let mut j = job();
        j["OutputGroups"][0]["Outputs"] = json!([
            {"Extension": "mp4", "ContainerSettings": {"Container": "MOV"},
             "VideoDescription": {"Width": 960, "Height": 540}},
            {"Extension": "m4a", "ContainerSettings": {"Container": "MP4"},
             "AudioDescriptions": [{"CodecSettings": {"Codec": "AAC"}}]}]);
        validate(&j, Kind::Job, ok).unwrap();
        // By container (MOV and MP4), or by codec without one (RAW frame captures beside
        // RAW AAC)...
        j["OutputGroups"][0]["Outputs"][0]
            .as_object_mut()
            .unwrap()
            .remove("Extension");
        j["OutputGroups"][0]["Outputs"][1]
            .as_object_mut()
            .unwrap()
            .remove("Extension");
        validate(&j, Kind::Job, ok).unwrap();
        j["OutputGroups"][0]["Outputs"] = json!([
            {"ContainerSettings": {"Container": "RAW"},
             "VideoDescription": {"CodecSettings": {"Codec": "FRAME_CAPTURE"}}},
            {"ContainerSettings": {"Container": "RAW"},
             "AudioDescriptions": [{"CodecSettings": {"Codec": "AAC"}}]}]);
        validate(&j, Kind::Job, ok).unwrap();
        // ... but not the same extension however written, nor a preset's unknown one.
        j["OutputGroups"][0]["Outputs"][1]["Extension"] = json!("FRAME_capture");
        assert!(validate(&j, Kind::Job, ok)
            .unwrap_err()
            .message
            .starts_with("/outputGroups/0/outputs/1: nameModifier is a required property"));
        j["OutputGroups"][0]["Outputs"][1] = json!({"Preset": "p1"});
        assert!(validate(&j, Kind::Job, ok).is_err());
        // A streaming group's outputs are named by their modifiers alone.
        let mut j = job();
        j["OutputGroups"][1]["Outputs"] = json!([
            {"ContainerSettings": {"Container": "M3U8"}, "AudioDescriptions": [{}]},
            {"ContainerSettings": {"Container": "RAW"}, "AudioDescriptions": [{}]}]);
        assert!(validate(&j, Kind::Job, ok)
            .unwrap_err()
            .message
            .starts_with("/outputGroups/1/outputs/1: nameModifier is a required property"));
        // One output alone needs none; outputs of different groups may share one.
        let mut j = job();
        j["OutputGroups"][1]["Outputs"][0]
            .as_object_mut()
            .unwrap()
            .remove("NameModifier");
        validate(&j, Kind::Job, ok).unwrap();
        j["OutputGroups"][1]["Outputs"][0]["NameModifier"] = json!("_hd");
        validate(&j, Kind::Job, ok).unwrap();
    }

    #[test]
    fn file_groups_refuse_streaming_containers() {
        let ok = |_: &str| Ok(());
        for c in ["M3U8", "CMFC", "MPD", "ISMV"] {
            let mut j = job();
            j["OutputGroups"][0]["Outputs"][0]["ContainerSettings"]["Container"] = json!(c);
            let e = validate(&j, Kind::Job, ok).unwrap_err();
            assert_eq!(e.code, "BadRequestException");
            assert_eq!(
                e.message,
                format!(
                    "/outputGroups/0/outputs/0/containerSettings/container: {c} is not a valid \
                     container for an output group of type FILE_GROUP_SETTINGS; use one of F4V, \
                     GIF, M2TS, MOV, MP4, MXF, OGG, RAW, WEBM, Y4M"
                )
            );
        }
        for c in [
            "F4V", "GIF", "M2TS", "MOV", "MP4", "MXF", "OGG", "RAW", "WEBM", "Y4M",
        ] {
            let mut j = job();
            j["OutputGroups"][0]["Outputs"][0]["ContainerSettings"]["Container"] = json!(c);
            validate(&j, Kind::Job, ok).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
    }

    #[test]
    fn cmaf_outputs_take_the_codecs_the_formats_table_lists() {
        let ok = |_: &str| Ok(());
        let cmaf = |output: Value| {
            json!({
                "Inputs": [{"FileInput": "s3://in/a.mov"}],
                "OutputGroups": [{
                    "OutputGroupSettings": {"Type": "CMAF_GROUP_SETTINGS",
                        "CmafGroupSettings": {"Destination": "s3://out/cmaf/"}},
                    "Outputs": [output]
                }]
            })
        };
        let video = |codec: &str| json!({"CodecSettings": {"Codec": codec}});
        let audio = |codec: &str| json!([{"CodecSettings": {"Codec": codec}}]);
        for v in ["AV1", "H_264", "H_265", "VP9"] {
            for a in ["AAC", "AC3", "EAC3"] {
                let out = json!({"ContainerSettings": {"Container": "CMFC"},
                    "VideoDescription": video(v), "AudioDescriptions": audio(a)});
                validate(&cmaf(out), Kind::Job, ok).unwrap_or_else(|e| panic!("{v}/{a}: {e}"));
            }
        }
        // The group's container is CMFC whether or not the output names it.
        let e = validate(
            &cmaf(json!({"VideoDescription": video("MPEG2")})),
            Kind::Job,
            ok,
        )
        .unwrap_err();
        assert_eq!(e.code, "BadRequestException");
        assert_eq!(
            e.message,
            "/outputGroups/0/outputs/0/videoDescription/codecSettings/codec: MPEG2 is not a \
             supported video codec for container CMFC; use one of AV1, H_264, H_265, VP9"
        );
        let out = json!({"VideoDescription": video("H_264"), "AudioDescriptions": audio("MP3")});
        assert_eq!(
            validate(&cmaf(out), Kind::Template, ok)
                .unwrap_err()
                .message,
            "/outputGroups/0/outputs/0/audioDescriptions/0/codecSettings/codec: MP3 is not a \
             supported audio codec for container CMFC in an output with video; use one of AAC, \
             AC3, EAC3"
        );
        // CMFC in a DASH group too; audio-only outputs have their own table, not checked.
        let mut dash = cmaf(json!({"ContainerSettings": {"Container": "CMFC"},
            "VideoDescription": video("VP8")}));
        dash["OutputGroups"][0]["OutputGroupSettings"] = json!({"Type": "DASH_ISO_GROUP_SETTINGS", "DashIsoGroupSettings": {"Destination": "s3://out/d/"}});
        assert!(validate(&dash, Kind::Job, ok).is_err());
        validate(
            &cmaf(json!({"AudioDescriptions": audio("MP3")})),
            Kind::Job,
            ok,
        )
        .unwrap();
    }

    #[test]
    fn a_template_is_the_base_the_job_overrides() {
        let template = json!({"Inputs": [{"AudioSelectors": {"A": {"DefaultSelection": "DEFAULT"}}}],
                              "OutputGroups": [{"Name": "t"}], "TimecodeConfig": {"Source": "ZEROBASED"}});
        let merged = apply_template(
            &template,
            &json!({"Inputs": [{"FileInput": "s3://b/k"}], "TimecodeConfig": {"Anchor": "00:00:00:00"}}),
        );
        assert_eq!(merged["Inputs"][0]["FileInput"], "s3://b/k");
        assert_eq!(
            merged["Inputs"][0]["AudioSelectors"]["A"]["DefaultSelection"],
            "DEFAULT"
        );
        assert_eq!(merged["OutputGroups"][0]["Name"], "t");
        assert_eq!(merged["TimecodeConfig"]["Source"], "ZEROBASED");
        assert_eq!(merged["TimecodeConfig"]["Anchor"], "00:00:00:00");
    }

    #[test]
    fn a_templates_output_groups_and_outputs_merge_with_the_jobs_by_position() {
        // Amplify Video's job: its output group gives the destination and no outputs.
        let template = json!({"OutputGroups": [{"Name": "Apple HLS",
            "OutputGroupSettings": {"Type": "HLS_GROUP_SETTINGS",
                "HlsGroupSettings": {"SegmentLength": 3, "MinSegmentLength": 0}},
            "Outputs": [{"NameModifier": "_1080", "Preset": "p1"},
                        {"NameModifier": "_720", "Preset": "p2",
                         "OutputSettings": {"HlsSettings": {"AudioGroupId": "a"}}}]}]});
        let job = json!({"Inputs": [{"FileInput": "s3://b/k.mp4"}],
            "OutputGroups": [{"Name": "Apple HLS", "Outputs": [],
                "OutputGroupSettings": {"Type": "HLS_GROUP_SETTINGS",
                    "HlsGroupSettings": {"SegmentLength": 6, "Destination": "s3://out/k/"}}}]});
        let merged = apply_template(&template, &job);
        let group = &merged["OutputGroups"][0];
        assert_eq!(
            group["OutputGroupSettings"]["HlsGroupSettings"],
            json!({"SegmentLength": 6, "MinSegmentLength": 0, "Destination": "s3://out/k/"})
        );
        assert_eq!(group["Outputs"], template["OutputGroups"][0]["Outputs"]);
        validate(&merged, Kind::Job, |_| Ok(())).unwrap();
        // An output the job gives merges with the template's output at its place; lists
        // inside outputs are still the job's.
        let job = json!({"OutputGroups": [{"Outputs": [{"NameModifier": "_hd"},
            {"OutputSettings": {"HlsSettings": {"AudioGroupId": "b"}}}]},
            {"Name": "extra"}]});
        let merged = apply_template(&template, &job);
        let outputs = &merged["OutputGroups"][0]["Outputs"];
        assert_eq!(outputs[0], json!({"NameModifier": "_hd", "Preset": "p1"}));
        assert_eq!(outputs[1]["NameModifier"], "_720");
        assert_eq!(
            outputs[1]["OutputSettings"]["HlsSettings"]["AudioGroupId"],
            "b"
        );
        assert_eq!(merged["OutputGroups"][1], json!({"Name": "extra"}));
        let merged = apply_template(
            &json!({"OutputGroups": [{"Outputs": [{"AudioDescriptions": [{"A": 1}, {"A": 2}]}]}]}),
            &json!({"OutputGroups": [{"Outputs": [{"AudioDescriptions": [{"B": 1}]}]}]}),
        );
        assert_eq!(
            merged["OutputGroups"][0]["Outputs"][0]["AudioDescriptions"],
            json!([{"B": 1}])
        );
    }

    #[test]
    fn files_the_job_reads_and_writes() {
        let j = job();
        assert_eq!(input_files(&j), ["s3://in/movies/cat.mov"]);
        assert_eq!(preset_names(&j), ["p1"]);
        let files = output_files(&j, |_| {
            Some(json!({"ContainerSettings": {"Container": "MP4"},
                        "VideoDescription": {"Width": 640, "Height": 360}}))
        });
        let urls: Vec<&str> = files.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "s3://out/renders/cat_hd.mov",
                "s3://out/renders/cat_sd.mp4",
                "s3://out/hls/main_a.m3u8",
                "s3://out/hls/main.m3u8"
            ]
        );
        // A folder destination names files after the first input that has a file, else
        // "output".
        let folder = |inputs: Value| {
            let j = json!({"Inputs": inputs, "OutputGroups": [{"OutputGroupSettings": {
                "Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": {"Destination": "s3://o/"}},
                "Outputs": [{"NameModifier": "_a"}]}]});
            output_files(&j, |_| None).remove(0).url
        };
        assert_eq!(folder(json!([])), "s3://o/output_a.mp4");
        assert_eq!(
            folder(json!([{"VideoGenerator": {}}, {"FileInput": "s3://i/x/dog.v1.mov"}])),
            "s3://o/dog_a.mp4"
        );
        assert_eq!(files[0].frame, Some((1280, 720)));
        assert_eq!(files[1].frame, Some((640, 360)));
        assert_eq!(files[2].frame, None);
        let arn = |url: &str| {
            let mut out = String::from("x");
            push_s3_object_arn(&mut out, url).then_some(out)
        };
        assert_eq!(
            arn("s3://out/renders/cat_hd.mov").as_deref(),
            Some("xarn:aws:s3:::out/renders/cat_hd.mov")
        );
        assert_eq!(arn("s3://out").as_deref(), Some("xarn:aws:s3:::out/"));
        for url in ["https://x/y", "s3://", "s3:///k", "S3://b/k"] {
            assert_eq!(arn(url), None, "{url}");
        }
    }
}
