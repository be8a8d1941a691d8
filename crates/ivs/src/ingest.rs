//! What the (simulated) encoder sends: one track, or a ladder of tracks when the channel has
//! multitrack input enabled. GetStreamSession reports it as `ingestConfigurations` (every
//! track) and the deprecated `ingestConfiguration` (Track0 only).

use serde_json::{json, Value};

/// One rendition the encoder sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Track {
    /// Frame height in pixels.
    pub height: u32,
    /// Frame width in pixels.
    pub width: u32,
    /// Video bitrate, bits per second.
    pub bitrate: u32,
}

/// Renditions from the top down; a multitrack ladder starts at the channel's maximum resolution.
const LADDER: &[Track] = &[
    Track {
        height: 1080,
        width: 1920,
        bitrate: 6_000_000,
    },
    Track {
        height: 720,
        width: 1280,
        bitrate: 3_500_000,
    },
    Track {
        height: 480,
        width: 854,
        bitrate: 1_500_000,
    },
    Track {
        height: 360,
        width: 640,
        bitrate: 800_000,
    },
    Track {
        height: 160,
        width: 284,
        bitrate: 300_000,
    },
];

/// Tracks of a multitrack stream (an encoder sends two to five; a mock sends three).
const MULTITRACK_TRACKS: usize = 3;

impl Track {
    /// The tracks a stream to `channel` (its view at going live) carries: Track0 alone, or,
    /// when multitrack input is enabled, a ladder topped at `maximumResolution`.
    pub(crate) fn ladder(channel: &Value) -> Vec<Track> {
        let multitrack = &channel["multitrackInputConfiguration"];
        if multitrack["enabled"].as_bool() != Some(true) {
            return vec![LADDER[0]];
        }
        let top = match multitrack["maximumResolution"].as_str() {
            Some("SD") => 480,
            Some("HD") => 720,
            _ => 1080,
        };
        LADDER
            .iter()
            .filter(|t| t.height <= top)
            .take(MULTITRACK_TRACKS)
            .copied()
            .collect()
    }

    /// `VideoConfiguration` of track `index`. The deprecated `avcProfile`/`avcLevel` appear
    /// only in the deprecated `ingestConfiguration.video`: AWS's GetStreamSession example (API
    /// reference and `aws ivs get-stream-session`) shows them there and leaves them out of
    /// every `ingestConfigurations.videoConfigurations` entry.
    fn video(&self, index: usize, deprecated: bool) -> Value {
        let mut v = json!({
            "codec": "avc1.4D4029",
            "encoder": "mediamock",
            "targetBitrate": self.bitrate,
            "targetFramerate": 30,
            "videoHeight": self.height,
            "videoWidth": self.width,
            "level": "4.1",
            "track": format!("Track{index}"),
            "profile": "Main"
        });
        if deprecated {
            v["avcProfile"] = json!("Main");
            v["avcLevel"] = json!("4.1");
        }
        v
    }

    /// `AudioConfiguration` of track `index`.
    fn audio(index: usize) -> Value {
        json!({
            "codec": "mp4a.40.2",
            "targetBitrate": 160000,
            "sampleRate": 48000,
            "channels": 2,
            "track": format!("Track{index}")
        })
    }
}

/// The deprecated `IngestConfiguration`: Track0 only.
pub(crate) fn ingest_configuration(tracks: &[Track]) -> Value {
    json!({"video": tracks[0].video(0, true), "audio": Track::audio(0)})
}

/// `IngestConfigurations`: every track.
pub(crate) fn ingest_configurations(tracks: &[Track]) -> Value {
    json!({
        "videoConfigurations": tracks.iter().enumerate().map(|(i, t)| t.video(i, false)).collect::<Vec<_>>(),
        "audioConfigurations": (0..tracks.len()).map(Track::audio).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_track_unless_multitrack_is_enabled() {
        assert_eq!(Track::ladder(&json!({})).len(), 1);
        let off = json!({"multitrackInputConfiguration": {"enabled": false}});
        assert_eq!(Track::ladder(&off).len(), 1);
        let hd =
            json!({"multitrackInputConfiguration": {"enabled": true, "maximumResolution": "HD"}});
        let tracks = Track::ladder(&hd);
        assert_eq!(tracks.len(), 3);
        assert_eq!(tracks[0].height, 720);
        let all = ingest_configurations(&tracks);
        assert_eq!(all["videoConfigurations"][2]["track"], "Track2");
        assert_eq!(ingest_configuration(&tracks)["video"]["avcProfile"], "Main");
        assert_eq!(ingest_configuration(&tracks)["video"]["avcLevel"], "4.1");
    }

    /// AWS's GetStreamSession example: no `avcProfile`/`avcLevel` in `videoConfigurations`.
    #[test]
    fn video_configurations_leave_out_the_deprecated_avc_members() {
        let hd =
            json!({"multitrackInputConfiguration": {"enabled": true, "maximumResolution": "HD"}});
        let all = ingest_configurations(&Track::ladder(&hd));
        for v in all["videoConfigurations"].as_array().unwrap() {
            assert!(
                v.get("avcProfile").is_none() && v.get("avcLevel").is_none(),
                "{v}"
            );
            assert_eq!(v["profile"], "Main");
            assert_eq!(v["level"], "4.1");
        }
    }
}
