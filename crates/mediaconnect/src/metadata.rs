//! DescribeFlowSourceMetadata and DescribeFlowSourceThumbnail: what a running flow's source
//! carries (a plausible MPEG-TS program: H.264 1080p video and AAC stereo audio; for an NDI or
//! RTMP source, its NdiInfo or RtmpInfo) and a thumbnail image of it. A flow that is not
//! running reports why there is nothing to show.

use crate::flows::flow_arn;
use crate::model::Status;
use crate::MediaConnect;
use base64::Engine;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// A 16×9 blue-green gradient PNG, standing in for the frame a real source would show.
pub(crate) const THUMBNAIL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x09, 0x08, 0x02, 0x00, 0x00, 0x00, 0xb4, 0x48, 0x3b,
    0x65, 0x00, 0x00, 0x00, 0xf7, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x0d, 0xcb, 0x11, 0xba, 0x05,
    0x31, 0x0c, 0x80, 0xd1, 0xc7, 0x97, 0x86, 0x4a, 0xa5, 0x52, 0xa8, 0x14, 0x2a, 0x85, 0x4a, 0xa1,
    0xa1, 0x50, 0x29, 0xfc, 0x7f, 0x5d, 0x40, 0x17, 0xd0, 0x65, 0xbf, 0x39, 0x7e, 0xfe, 0x7e, 0xc2,
    0x23, 0x14, 0xa1, 0x0a, 0x4d, 0x10, 0xa1, 0x0b, 0x2a, 0x0c, 0xc1, 0x84, 0x29, 0xb8, 0xf0, 0x0a,
    0x21, 0x2c, 0x21, 0x85, 0xbf, 0x9f, 0xf2, 0x28, 0x45, 0xa9, 0x4a, 0x53, 0x44, 0xe9, 0x8a, 0x2a,
    0x43, 0x31, 0x65, 0x2a, 0xae, 0xbc, 0x4a, 0x28, 0x4b, 0x49, 0xfd, 0x82, 0xf1, 0x18, 0xc5, 0xa8,
    0x46, 0x33, 0xc4, 0xe8, 0x86, 0x1a, 0xc3, 0x30, 0x63, 0x1a, 0x6e, 0xbc, 0x46, 0x18, 0xcb, 0x48,
    0xfb, 0x82, 0xf3, 0x38, 0xc5, 0xa9, 0x4e, 0x73, 0xc4, 0xe9, 0x8e, 0x3a, 0xc3, 0x31, 0x67, 0x3a,
    0xee, 0xbc, 0x4e, 0x38, 0xcb, 0x49, 0xff, 0x42, 0xf0, 0x04, 0x25, 0xa8, 0x41, 0x0b, 0x24, 0xe8,
    0x81, 0x06, 0x23, 0xb0, 0x60, 0x06, 0x1e, 0xbc, 0x41, 0x04, 0x2b, 0xc8, 0xf8, 0x42, 0xf2, 0x24,
    0x25, 0xa9, 0x49, 0x4b, 0x24, 0xe9, 0x89, 0x26, 0x23, 0xb1, 0x64, 0x26, 0x9e, 0xbc, 0x49, 0x24,
    0x2b, 0xc9, 0xfc, 0xc2, 0xe6, 0xd9, 0x94, 0x4d, 0xdd, 0xb4, 0x8d, 0x6c, 0xfa, 0x46, 0x37, 0x63,
    0x63, 0x9b, 0xb9, 0xf1, 0xcd, 0xbb, 0x89, 0xcd, 0xda, 0xe4, 0xfe, 0xc2, 0xe1, 0x39, 0x94, 0x43,
    0x3d, 0xb4, 0x83, 0x1c, 0xfa, 0x41, 0x0f, 0xe3, 0x60, 0x87, 0x79, 0xf0, 0xc3, 0x7b, 0x88, 0xc3,
    0x3a, 0xe4, 0xf9, 0xc2, 0xe5, 0xb9, 0x94, 0x4b, 0xbd, 0xb4, 0x8b, 0x5c, 0xfa, 0x45, 0x2f, 0xe3,
    0x62, 0x97, 0x79, 0xf1, 0xcb, 0x7b, 0x89, 0xcb, 0xba, 0xe4, 0xe5, 0x1f, 0x09, 0x28, 0x8e, 0x51,
    0xab, 0x7c, 0x33, 0xc1, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `HH:MM:SS:FF` at 30 frames per second for `now` (seconds since the epoch).
fn timecode(now: f64) -> String {
    let day = now.rem_euclid(86_400.0);
    let frames = ((day.fract()) * 30.0) as u32;
    let s = day as u32;
    format!(
        "{:02}:{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        frames
    )
}

/// The message for a flow that is not running.
fn not_running(status: Status) -> Value {
    json!({
        "Code": "FLOW_NOT_RUNNING",
        "Message": format!("The flow is {}. Source metadata is available only while the flow is ACTIVE.", status.as_str()),
    })
}

/// A running NDI source's `NdiSourceMetadataInfo`: the sender the source names (the one it is
/// connected to, and the one its discovery servers list), and its SpeedHQ video and audio.
/// The shape requires `DiscoveredSources`, `MediaInfo` and `Messages`, and each stream a
/// `StreamId`; a stream's codec is `speed-hq` ("For NDI sources, use `speed-hq`").
fn ndi_info(sender: Option<&str>) -> Value {
    let mut info = json!({
        "DiscoveredSources": sender.map(|n| json!({"SourceName": n})).into_iter().collect::<Vec<_>>(),
        "MediaInfo": {"Streams": [
            {"StreamId": 0, "StreamType": "Video", "Codec": "speed-hq",
                "FrameResolution": {"FrameWidth": 1920, "FrameHeight": 1080},
                "FrameRate": "30000/1001", "ScanMode": "progressive"},
            {"StreamId": 1, "StreamType": "Audio", "Codec": "PCM", "SampleRate": 48000, "Channels": 2}
        ]},
        "Messages": [],
    });
    if let Some(n) = sender {
        info["ActiveSource"] = json!({"SourceName": n});
    }
    info
}

/// A running RTMP push source's `RtmpSourceMetadataInfo` ("the application name, the stream
/// name, and the associated audio and video streams"): the names the source takes and the
/// same H.264 video and AAC stereo audio a transport stream source shows, each stream with the
/// shape's required `StreamId` and a `SourceMediaStreamType`.
fn rtmp_info(names: Option<&Value>) -> Value {
    let mut info = json!({"MediaInfo": {"Streams": [
        {"StreamId": 0, "StreamType": "VIDEO", "Codec": "h264",
            "FrameResolution": {"FrameWidth": 1920, "FrameHeight": 1080},
            "FrameRate": "30000/1001", "ScanMode": "progressive",
            "Color": {"Colorimetry": "BT709", "TransferCharacteristics": "BT709", "MatrixCoefficients": "BT709"}},
        {"StreamId": 1, "StreamType": "AUDIO", "Codec": "aac",
            "Channels": 2, "SampleRate": 48000, "SampleSize": 16}
    ]}});
    for key in ["ApplicationName", "StreamName"] {
        if let Some(v) = names.and_then(|n| n.get(key)) {
            info[key] = v.clone();
        }
    }
    info
}

impl MediaConnect {
    /// DescribeFlowSourceMetadata.
    pub(crate) fn describe_flow_source_metadata(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let now = self.runtime.clock.now();
        self.read_flow(ctx, flow_arn(input), |stored, _| {
            let record = &stored.value;
            let arn = &record.flow.flow_arn;
            let status = record.status(&self.runtime.clock).unwrap_or(Status::Deleting);
            if status != Status::Active {
                return Ok(json!({"FlowArn": arn, "Messages": [not_running(status)], "Timestamp": now}));
            }
            let first = record.flow.sources.first();
            let protocol = first
                .and_then(|s| s.transport.as_ref())
                .map(|t| t.protocol.as_str());
            if protocol == Some("ndi-speed-hq") {
                let sender = first
                    .and_then(|s| s.transport.as_ref())
                    .and_then(|t| t.ndi_source_settings.as_ref())
                    .and_then(|n| n.get("SourceName"))
                    .and_then(Value::as_str);
                return Ok(json!({
                    "FlowArn": arn, "Messages": [], "Timestamp": now,
                    "NdiInfo": ndi_info(sender),
                }));
            }
            if protocol == Some("rtmp-push") {
                let names = first
                    .and_then(|s| s.transport.as_ref())
                    .and_then(|t| t.rtmp_push_source_settings.as_ref());
                return Ok(json!({
                    "FlowArn": arn, "Messages": [], "Timestamp": now,
                    "RtmpInfo": rtmp_info(names),
                }));
            }
            Ok(json!({
                "FlowArn": arn,
                "Messages": [],
                "Timestamp": now,
                "TransportMediaInfo": {
                    "TsId": 1,
                    "Programs": [{
                        "PcrPid": 481,
                        "ProgramName": first.map(|s| s.name.as_str()).unwrap_or_default(),
                        "ProgramNumber": 1,
                        "ProgramPid": 480,
                        "Streams": [
                            {
                                "Pid": 481, "StreamType": "H.264 Video", "Codec": "h264",
                                "FrameRate": "30000/1001", "ScanMode": "progressive",
                                "FrameResolution": {"FrameWidth": 1920, "FrameHeight": 1080},
                                "Color": {"Colorimetry": "BT709", "TransferCharacteristics": "BT709", "MatrixCoefficients": "BT709"}
                            },
                            {
                                "Pid": 482, "StreamType": "AAC Audio", "Codec": "aac",
                                "Channels": 2, "SampleRate": 48000, "SampleSize": 16, "Language": "eng"
                            }
                        ]
                    }]
                }
            }))
        })
    }

    /// DescribeFlowSourceThumbnail: needs a running flow with thumbnails switched on in its
    /// source monitoring config.
    pub(crate) fn describe_flow_source_thumbnail(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let now = self.runtime.clock.now();
        self.read_flow(ctx, flow_arn(input), |stored, _| {
            let record = &stored.value;
            let arn = &record.flow.flow_arn;
            let status = record.status(&self.runtime.clock).unwrap_or(Status::Deleting);
            let enabled = record
                .flow
                .source_monitoring_config
                .as_ref()
                .and_then(|c| c.get("ThumbnailState"))
                .and_then(Value::as_str)
                == Some("ENABLED");
            let mut details = json!({"FlowArn": arn, "ThumbnailMessages": [], "Timestamp": now});
            if status != Status::Active {
                details["ThumbnailMessages"] = json!([not_running(status)]);
            } else if !enabled {
                details["ThumbnailMessages"] = json!([{
                    "Code": "THUMBNAIL_NOT_ENABLED",
                    "Message": "Thumbnails are not enabled for this flow. Set SourceMonitoringConfig ThumbnailState to ENABLED.",
                }]);
            } else {
                details["Thumbnail"] =
                    json!(base64::engine::general_purpose::STANDARD.encode(THUMBNAIL_PNG));
                details["Timecode"] = json!(timecode(now));
            }
            Ok(json!({ "ThumbnailDetails": details }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes_count_frames() {
        assert_eq!(timecode(3661.5), "01:01:01:15");
    }

    #[test]
    fn the_thumbnail_is_a_png() {
        assert_eq!(&THUMBNAIL_PNG[1..4], b"PNG");
        assert_eq!(
            &THUMBNAIL_PNG[THUMBNAIL_PNG.len() - 8..THUMBNAIL_PNG.len() - 4],
            b"IEND"
        );
    }
}
