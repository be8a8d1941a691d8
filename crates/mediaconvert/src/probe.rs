//! Probe: container and track metadata of input files. No media is read: the metadata is
//! plausible and stable per URL (format from the extension, duration from the URL's hash —
//! the same duration a job of that input reports).

use crate::jobs::duration_ms;
use crate::model::{bad_request, InputKind};
use crate::MediaConvert;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};
use sha2::{Digest, Sha256};

/// What a probe reports for a kind of file: the model's `Format` (its enum names every
/// container Probe recognizes), the MIME type, and a video and an audio codec that container
/// carries (`None`: no video track).
struct Kind {
    format: &'static str,
    mime: &'static str,
    video: Option<&'static str>,
    audio: &'static str,
}

const fn kind(
    format: &'static str,
    mime: &'static str,
    video: Option<&'static str>,
    audio: &'static str,
) -> Kind {
    Kind {
        format,
        mime,
        video,
        audio,
    }
}

/// The kind of file an extension names. Each of the containers Probe's documentation lists
/// ("MP4, QuickTime (MOV), 3GP, 3G2, Matroska (MKV), WebM, MXF, MPEG-TS, MPEG-PS, AVI, WAV,
/// MP3, FLAC, Ogg, and ASF", and raw AAC, AC-3 and E-AC-3 in `Container.Format`) with codecs
/// it holds: WebM only VP8/VP9/AV1 with Vorbis/Opus, WAV PCM, ASF Windows Media. MP4 when
/// the extension says nothing.
fn kind_of(url: &str) -> Kind {
    let ext = url
        .rsplit('/')
        .next()
        .and_then(|f| f.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let video = Some("AVC");
    match ext.as_str() {
        "mov" | "qt" => kind("quicktime", "video/quicktime", video, "AAC"),
        "m4a" => kind("mp4", "audio/mp4", None, "AAC"),
        "3gp" => kind("three_gp", "video/3gpp", video, "AAC"),
        "3g2" => kind("three_g2", "video/3gpp2", video, "AAC"),
        "mkv" => kind("matroska", "video/x-matroska", video, "AAC"),
        "webm" => kind("webm", "video/webm", Some("VP9"), "OPUS"),
        "mxf" => kind("mxf", "application/mxf", video, "PCM"),
        "ts" | "m2ts" | "mts" => kind("mpegts", "video/mp2t", video, "AAC"),
        "mpg" | "mpeg" | "vob" => kind("mpegps", "video/mpeg", Some("MPEG2"), "MP2"),
        "avi" => kind("avi", "video/x-msvideo", video, "MP3"),
        "wav" => kind("wave", "audio/wav", None, "PCM"),
        "mp3" => kind("mp3", "audio/mpeg", None, "MP3"),
        "flac" => kind("flac", "audio/flac", None, "FLAC"),
        "ogg" | "oga" => kind("ogg", "audio/ogg", None, "VORBIS"),
        "ogv" => kind("ogg", "video/ogg", Some("THEORA"), "VORBIS"),
        "asf" | "wmv" => kind("asf", "video/x-ms-asf", Some("VC1"), "WMA2"),
        "wma" => kind("asf", "audio/x-ms-wma", None, "WMA2"),
        "aac" => kind("aac", "audio/aac", None, "AAC"),
        "ac3" => kind("ac3", "audio/ac3", None, "AC3"),
        "eac3" | "ec3" => kind("eac3", "audio/eac3", None, "EAC3"),
        _ => kind("mp4", "video/mp4", video, "AAC"),
    }
}

fn probe_one(url: &str, now: f64) -> Value {
    let k = kind_of(url);
    let seconds = duration_ms(url) as f64 / 1000.0;
    // Uncompressed audio at what the track says: 48 kHz, 16 bits, 2 channels.
    let audio_rate: i64 = if k.audio == "PCM" { 1_536_000 } else { 128_000 };
    let video_rate: i64 = if k.video.is_some() { 6_000_000 } else { 0 };
    let mut tracks = Vec::new();
    let mut mapping =
        json!({"VideoTrackIndexes": [], "AudioTrackIndexes": [], "DataTrackIndexes": []});
    if let Some(codec) = k.video {
        tracks.push(json!({
            "Index": 1, "TrackType": "video", "Codec": codec, "Duration": seconds,
            "VideoProperties": {"Width": 1920, "Height": 1080, "BitDepth": 8,
                "BitRate": video_rate, "FrameRate": {"Numerator": 30, "Denominator": 1}}
        }));
        mapping["VideoTrackIndexes"] = json!([1]);
    }
    let audio_index = tracks.len() as i64 + 1;
    tracks.push(json!({
        "Index": audio_index, "TrackType": "audio",
        "Codec": k.audio, "Duration": seconds,
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
        "Container": {"Format": k.format, "Duration": seconds, "BitRate": bitrate, "Tracks": tracks},
        "Metadata": {"ETag": etag, "FileSize": size, "MimeType": k.mime,
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

    #[test]
    fn every_format_probe_names_comes_with_codecs_its_container_holds() {
        // The values the model's enums allow.
        let model = protocol::Registry::shared().model("mediaconvert").unwrap();
        let allowed = |shape: &str| -> Vec<String> {
            match &model.shape_named(shape).unwrap().kind {
                protocol::shape::ShapeKind::String {
                    enum_values: Some(v),
                } => v.clone(),
                other => panic!("{shape}: {other:?}"),
            }
        };
        let (formats, codecs) = (allowed("Format"), allowed("Codec"));
        let probe = |url: &str| {
            let p = probe_one(url, 1e9);
            let tracks = p["Container"]["Tracks"].as_array().unwrap().clone();
            let codecs: Vec<String> = tracks
                .iter()
                .map(|t| t["Codec"].as_str().unwrap().to_string())
                .collect();
            (
                p["Container"]["Format"].as_str().unwrap().to_string(),
                codecs,
            )
        };
        let cases: &[(&str, &str, &[&str])] = &[
            ("s3://b/a.mp4", "mp4", &["AVC", "AAC"]),
            ("s3://b/a.m4a", "mp4", &["AAC"]),
            ("s3://b/a.3gp", "three_gp", &["AVC", "AAC"]),
            ("s3://b/a.3G2", "three_g2", &["AVC", "AAC"]),
            ("s3://b/a.webm", "webm", &["VP9", "OPUS"]),
            ("s3://b/a.mpg", "mpegps", &["MPEG2", "MP2"]),
            ("s3://b/a.wav", "wave", &["PCM"]),
            ("s3://b/a.flac", "flac", &["FLAC"]),
            ("s3://b/a.ogg", "ogg", &["VORBIS"]),
            ("s3://b/a.wmv", "asf", &["VC1", "WMA2"]),
            ("s3://b/a.wma", "asf", &["WMA2"]),
            ("s3://b/a.ac3", "ac3", &["AC3"]),
            ("s3://b/a.ec3", "eac3", &["EAC3"]),
            ("https://h/no-extension", "mp4", &["AVC", "AAC"]),
        ];
        for (url, format, want) in cases {
            let (got_format, got_codecs) = probe(url);
            assert_eq!(got_format, *format, "{url}");
            assert_eq!(got_codecs, *want, "{url}");
            assert!(formats.contains(&got_format), "{url}");
            assert!(got_codecs.iter().all(|c| codecs.contains(c)), "{url}");
        }
    }
}
