//! Probe: container and track metadata of input files. No media is read: the metadata is
//! plausible and stable per URL (format from the extension, duration from the URL's hash —
//! the same duration a job of that input reports).

use crate::jobs::duration_ms;
use crate::model::{bad_request, InputKind};
use crate::MediaConvert;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};
use sha2::{Digest, Sha256};

/// `(Format, MIME type, has video)` for a file extension.
fn format_of(url: &str) -> (&'static str, &'static str, bool) {
    let ext = url
        .rsplit('/')
        .next()
        .and_then(|f| f.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "mov" => ("quicktime", "video/quicktime", true),
        "mkv" => ("matroska", "video/x-matroska", true),
        "webm" => ("webm", "video/webm", true),
        "mxf" => ("mxf", "application/mxf", true),
        "ts" | "m2ts" => ("mpegts", "video/mp2t", true),
        "avi" => ("avi", "video/x-msvideo", true),
        "wav" => ("wave", "audio/wav", false),
        "mp3" => ("mp3", "audio/mpeg", false),
        "flac" => ("flac", "audio/flac", false),
        "aac" => ("aac", "audio/aac", false),
        _ => ("mp4", "video/mp4", true),
    }
}

fn probe_one(url: &str, now: f64) -> Value {
    let (format, mime, video) = format_of(url);
    let seconds = duration_ms(url) as f64 / 1000.0;
    let audio_rate: i64 = 128_000;
    let video_rate: i64 = if video { 6_000_000 } else { 0 };
    let mut tracks = Vec::new();
    let mut mapping =
        json!({"VideoTrackIndexes": [], "AudioTrackIndexes": [], "DataTrackIndexes": []});
    if video {
        tracks.push(json!({
            "Index": 1, "TrackType": "video", "Codec": "AVC", "Duration": seconds,
            "VideoProperties": {"Width": 1920, "Height": 1080, "BitDepth": 8,
                "BitRate": video_rate, "FrameRate": {"Numerator": 30, "Denominator": 1}}
        }));
        mapping["VideoTrackIndexes"] = json!([1]);
    }
    let audio_index = tracks.len() as i64 + 1;
    tracks.push(json!({
        "Index": audio_index, "TrackType": "audio",
        "Codec": if format == "mp3" { "MP3" } else { "AAC" }, "Duration": seconds,
        "AudioProperties": {"Channels": 2, "SampleRate": 48000, "BitDepth": 16,
            "BitRate": audio_rate, "LanguageCode": "eng"}
    }));
    mapping["AudioTrackIndexes"] = json!([audio_index]);
    let bitrate = video_rate + audio_rate;
    let size = (bitrate as f64 / 8.0 * seconds) as i64;
    let etag: String = Sha256::digest(url.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({
        "Container": {"Format": format, "Duration": seconds, "BitRate": bitrate, "Tracks": tracks},
        "Metadata": {"ETag": etag, "FileSize": size, "MimeType": mime,
            "LastModified": (now.floor() as i64) - 86_400},
        "TrackMappings": [mapping],
    })
}

impl MediaConvert {
    pub(crate) fn probe(
        &self,
        _ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let files = input
            .get("InputFiles")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let now = self.runtime.clock.now();
        let mut results = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let url = f.get("FileUrl").and_then(Value::as_str).unwrap_or_default();
            if InputKind::of(url).is_none() {
                return Err(bad_request(format!(
                    "/inputFiles/{i}/fileUrl: Should be an Amazon S3 (s3://), HTTP or HTTPS URL"
                )));
            }
            results.push(probe_one(url, now));
        }
        Ok(json!({ "ProbeResults": results }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_plausible_and_stable() {
        let a = probe_one("s3://b/clip.mov", 1e9);
        assert_eq!(a, probe_one("s3://b/clip.mov", 1e9));
        assert_eq!(a["Container"]["Format"], "quicktime");
        assert_eq!(a["Container"]["Tracks"][0]["TrackType"], "video");
        assert_eq!(a["TrackMappings"][0]["AudioTrackIndexes"], json!([2]));
        let w = probe_one("https://h/a.wav", 1e9);
        assert_eq!(w["Container"]["Tracks"].as_array().unwrap().len(), 1);
        assert_eq!(w["Metadata"]["MimeType"], "audio/wav");
    }
}
