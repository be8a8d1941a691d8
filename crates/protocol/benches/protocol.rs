//! Parse + validate + serialize for typical IVS CreateChannel and MediaConvert CreateJob calls.

use criterion::{criterion_group, criterion_main, Criterion};
use protocol::{HttpRequest, Registry};
use serde_json::json;
use std::hint::black_box;

const JSON: &[(&str, &[u8])] = &[("content-type", b"application/json")];

fn ivs_create_channel(c: &mut Criterion) {
    let model = Registry::shared().model("ivs").expect("ivs model");
    let body = br#"{"name":"evening-show","latencyMode":"LOW","type":"STANDARD","authorized":false,"tags":{"team":"media","env":"test"}}"#;
    let output = json!({
        "channel": {"arn": "arn:aws:ivs:us-east-1:123456789012:channel/abcd1234", "name": "evening-show",
                    "latencyMode": "LOW", "type": "STANDARD", "ingestEndpoint": "a.global-contribute.live-video.net",
                    "playbackUrl": "https://a.us-east-1.playback.live-video.net/api/video/v1/x.m3u8", "tags": {"team": "media"}},
        "streamKey": {"arn": "arn:aws:ivs:us-east-1:123456789012:stream-key/efgh5678", "value": "sk_us-east-1_x",
                      "channelArn": "arn:aws:ivs:us-east-1:123456789012:channel/abcd1234"}
    });
    c.bench_function("ivs CreateChannel parse+validate+serialize", |b| {
        b.iter(|| {
            let req = HttpRequest {
                method: "POST",
                path: "/CreateChannel",
                query: "",
                headers: JSON,
                body,
            };
            let (op, input) = model.parse_request(black_box(&req)).expect("valid request");
            black_box(input);
            black_box(model.serialize_output(op, &output, "0f3c1d2e-1111-2222-3333-444455556666"))
        })
    });
}

fn mediaconvert_create_job(c: &mut Criterion) {
    let model = Registry::shared()
        .model("mediaconvert")
        .expect("mediaconvert model");
    let body = json!({
        "role": "arn:aws:iam::123456789012:role/MediaConvertRole",
        "queue": "arn:aws:mediaconvert:us-east-1:123456789012:queues/Default",
        "settings": {
            "inputs": [{"fileInput": "s3://in/video.mp4", "audioSelectors": {"Audio Selector 1": {"defaultSelection": "DEFAULT"}},
                        "videoSelector": {}, "timecodeSource": "ZEROBASED"}],
            "outputGroups": [{"name": "File Group", "outputGroupSettings": {"type": "FILE_GROUP_SETTINGS",
                "fileGroupSettings": {"destination": "s3://out/"}},
                "outputs": [{"containerSettings": {"container": "MP4", "mp4Settings": {}},
                    "videoDescription": {"codecSettings": {"codec": "H_264", "h264Settings": {"rateControlMode": "QVBR", "maxBitrate": 5000000, "sceneChangeDetect": "TRANSITION_DETECTION"}}},
                    "audioDescriptions": [{"codecSettings": {"codec": "AAC", "aacSettings": {"bitrate": 96000, "codingMode": "CODING_MODE_2_0", "sampleRate": 48000}}}]}]}]
        },
        "userMetadata": {"job": "bench"},
        "tags": {"team": "media"}
    })
    .to_string();
    c.bench_function("mediaconvert CreateJob parse+validate+serialize", |b| {
        b.iter(|| {
            let req = HttpRequest {
                method: "POST",
                path: "/2017-08-29/jobs",
                query: "",
                headers: JSON,
                body: body.as_bytes(),
            };
            let (op, input) = model.parse_request(black_box(&req)).expect("valid request");
            let mut job = input.clone();
            if let Some(obj) = job.as_object_mut() {
                obj.insert("Id".into(), json!("1700000000000-abcdef"));
                obj.insert("CreatedAt".into(), json!(1_700_000_000));
                obj.insert("Status".into(), json!("SUBMITTED"));
            }
            black_box(model.serialize_output(op, &json!({ "Job": job }), "rid"))
        })
    });
}

criterion_group!(benches, ivs_create_channel, mediaconvert_create_job);
criterion_main!(benches);
