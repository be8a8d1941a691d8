//! A flow's media streams (CDI and ST 2110 JPEG XS content): AddFlowMediaStreams,
//! UpdateFlowMediaStream (no change of type while a source or output uses it),
//! RemoveFlowMediaStream (refused while the flow is active or a source or output uses it),
//! and the rule that an output may use only streams a source already uses.

use crate::arn;
use crate::error::{bad_request, not_found};
use crate::flows::{changeable, flow_arn, touch};
use crate::model::{Doc, Flow, MediaStream, MediaStreamOutputConfiguration, Source, Status};
use crate::requests::{parse, MediaStreamRequest};
use crate::rules;
use crate::store::FlowRecord;
use crate::MediaConnect;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// `MediaStreamAttributes` as AWS shows them: `Fmtp` is always present.
fn attributes(a: Option<Doc>) -> Option<Doc> {
    a.map(|mut a| {
        if let Some(o) = a.as_object_mut() {
            o.entry("Fmtp").or_insert_with(|| json!({}));
        }
        a
    })
}

/// The clock rate AWS uses for a type when none is given.
fn default_clock_rate(kind: &str) -> i64 {
    if kind == "audio" {
        48000
    } else {
        90000
    }
}

/// Refuses a clock rate the stream's type does not take. AddMediaStreamRequest's ClockRate:
/// "If the media stream type is video or ancillary data, set this value to 90000. If the
/// media stream type is audio, set this value to either 48000 or 96000." No public source
/// quotes AWS's message for a wrong one: the wording is ours.
fn check_clock_rate(name: &str, kind: &str, rate: i64) -> Result<(), ServiceError> {
    let (valid, allowed) = match kind {
        "audio" => (matches!(rate, 48000 | 96000), "48000 or 96000"),
        _ => (rate == 90000, "90000"),
    };
    if !valid {
        return Err(bad_request(format!(
            "ClockRate {rate} is not valid for media stream {name}. A media stream of type {kind} must have a ClockRate of {allowed}."
        )));
    }
    Ok(())
}

/// The first source on `flow` that uses the media stream `name`.
fn source_using<'a>(flow: &'a Flow, name: &str) -> Option<&'a Source> {
    flow.sources.iter().find(|s| {
        s.media_stream_source_configurations
            .iter()
            .flatten()
            .any(|c| c.media_stream_name == name)
    })
}

/// A media stream's resolution (CloudFormation's AWS::MediaConnect::Flow MediaStream
/// VideoFormat: "Allowed values: 2160p | 1080p | 1080i | 720p | 480p").
fn check_video_format(format: Option<&str>) -> Result<(), ServiceError> {
    const FORMATS: [&str; 5] = ["2160p", "1080p", "1080i", "720p", "480p"];
    match format {
        Some(f) if !FORMATS.contains(&f) => Err(bad_request(format!(
            "VideoFormat {f} is not valid. Specify one of {}.",
            FORMATS.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// What uses the media stream `name` on `flow` ("source NAME" or "output NAME"), if anything.
fn user_of(flow: &Flow, name: &str) -> Option<String> {
    let in_output = flow.outputs.iter().find(|o| {
        o.media_stream_output_configurations
            .iter()
            .flatten()
            .any(|c| c.media_stream_name == name)
    });
    source_using(flow, name)
        .map(|s| format!("source {}", s.name))
        .or_else(|| in_output.map(|o| format!("output {}", o.name)))
}

/// Refuses an output's use of a media stream no source on `flow` uses yet (media-stream-add:
/// "You can only associate a media stream with an output if it has already been associated
/// with a source on the flow"). Streams that do not exist are left to the caller's check.
pub(crate) fn check_output_streams(
    flow: &Flow,
    configs: &Option<Vec<MediaStreamOutputConfiguration>>,
) -> Result<(), ServiceError> {
    for c in configs.iter().flatten() {
        let name = c.media_stream_name.as_str();
        if flow.media_stream(name).is_some() && source_using(flow, name).is_none() {
            return Err(bad_request(format!(
                "Media stream {name} is not associated with a source on this flow. Associate it with a source before you associate it with an output."
            )));
        }
    }
    Ok(())
}

impl MediaConnect {
    /// Adds a media stream (with its tags) to `record`.
    pub(crate) fn add_media_stream(
        &self,
        record: &mut FlowRecord,
        req: MediaStreamRequest,
    ) -> Result<(), ServiceError> {
        let name = rules::name("Media stream", req.media_stream_name.as_deref())?.to_string();
        rules::unique(
            "Media stream",
            &name,
            record
                .flow
                .media_streams
                .iter()
                .map(|m| m.media_stream_name.as_str()),
        )?;
        let id = req.media_stream_id.unwrap_or_default();
        if record
            .flow
            .media_streams
            .iter()
            .any(|m| m.media_stream_id == id)
        {
            return Err(bad_request(format!(
                "Media stream ID {id} is already used in this flow. Media stream IDs must be unique within a flow."
            )));
        }
        let kind = req.media_stream_type.unwrap_or_else(|| "video".into());
        if kind == "video" && req.video_format.is_none() {
            return Err(bad_request(
                "VideoFormat is required for a video media stream.",
            ));
        }
        check_video_format(req.video_format.as_deref())?;
        let clock_rate = req.clock_rate.unwrap_or_else(|| default_clock_rate(&kind));
        check_clock_rate(&name, &kind, clock_rate)?;
        // RTP dynamic payload types, assigned in order.
        let fmt = 96
            + record
                .flow
                .media_streams
                .iter()
                .map(|m| m.fmt - 95)
                .max()
                .unwrap_or(0);
        let stream = MediaStream {
            attributes: attributes(req.attributes),
            clock_rate: Some(clock_rate),
            description: req.description,
            fmt,
            media_stream_id: id,
            media_stream_name: name,
            media_stream_type: kind,
            video_format: req.video_format,
        };
        let tags = crate::tags::given(req.media_stream_tags)?;
        if !tags.is_empty() {
            let a = arn::media_stream(&record.flow.flow_arn, &stream.media_stream_name);
            record.part_tags.insert(a, tags);
        }
        record.flow.media_streams.push(stream);
        Ok(())
    }

    /// AddFlowMediaStreams.
    pub(crate) fn add_flow_media_streams(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let reqs: Vec<MediaStreamRequest> =
            parse(input.get("MediaStreams").unwrap_or(&Value::Null))?;
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            let before = record.flow.media_streams.len();
            for m in reqs {
                self.add_media_stream(record, m)?;
            }
            touch(self, record);
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "MediaStreams": record.flow.media_streams[before..],
            }))
        })
    }

    /// UpdateFlowMediaStream.
    pub(crate) fn update_flow_media_stream(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: MediaStreamRequest = parse(input)?;
        let name = req.media_stream_name.clone().unwrap_or_default();
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            let current = record
                .flow
                .media_stream(&name)
                .ok_or_else(|| not_found(format!("Media stream not found: {name}")))?;
            // media-stream-update: "if the media stream is associated with a source or any
            // outputs, you can't update its type".
            let retyped = req
                .media_stream_type
                .as_ref()
                .is_some_and(|t| *t != current.media_stream_type);
            if let Some(user) = user_of(&record.flow, &name).filter(|_| retyped) {
                return Err(bad_request(format!(
                    "You can't change the type of media stream {name} because it is associated with {user}. Remove it from there first."
                )));
            }
            // The stream as it would be: a new type keeps the current rate unless one is given,
            // and that rate must suit the type (the stored rate is the type's default when
            // none was ever given).
            let kind = req
                .media_stream_type
                .as_deref()
                .unwrap_or(&current.media_stream_type);
            let rate = req
                .clock_rate
                .or(current.clock_rate)
                .unwrap_or_else(|| default_clock_rate(kind));
            check_clock_rate(&name, kind, rate)?;
            let m = record
                .flow
                .media_streams
                .iter_mut()
                .find(|m| m.media_stream_name == name)
                .ok_or_else(|| not_found(format!("Media stream not found: {name}")))?;
            if req.attributes.is_some() {
                m.attributes = attributes(req.attributes);
            }
            if req.clock_rate.is_some() {
                m.clock_rate = req.clock_rate;
            }
            if req.description.is_some() {
                m.description = req.description;
            }
            if let Some(t) = req.media_stream_type {
                m.media_stream_type = t;
            }
            if req.video_format.is_some() {
                check_video_format(req.video_format.as_deref())?;
                m.video_format = req.video_format;
            }
            let out = m.clone();
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "MediaStream": out }))
        })
    }

    /// RemoveFlowMediaStream.
    pub(crate) fn remove_flow_media_stream(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = input
            .get("MediaStreamName")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            if record.flow.media_stream(name).is_none() {
                return Err(not_found(format!("Media stream not found: {name}")));
            }
            // media-stream-remove: "You can remove a media stream from a flow if the flow is
            // not active and if the media stream is not associated with a source or any
            // outputs."
            if record.settled() == Status::Active {
                return Err(bad_request(format!(
                    "You can't remove media stream {name} while the flow is ACTIVE. Stop the flow first."
                )));
            }
            if let Some(user) = user_of(&record.flow, name) {
                return Err(bad_request(format!(
                    "Media stream {name} is in use by {user}. Remove it from there first."
                )));
            }
            record
                .flow
                .media_streams
                .retain(|m| m.media_stream_name != name);
            record
                .part_tags
                .remove(&arn::media_stream(&record.flow.flow_arn, name));
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "MediaStreamName": name }))
        })
    }
}
