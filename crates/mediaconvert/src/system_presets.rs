//! MediaConvert's system presets: read-only presets every account sees, listed by category
//! (`ListPresets` with `ListBy=SYSTEM`, or with the custom ones). A representative catalog
//! with AWS's naming scheme; their settings are generated from the few facts in the name.

use serde_json::{json, Value};

/// One system preset.
#[derive(Debug, Clone, Copy)]
pub struct SystemPreset {
    /// `System-…`.
    pub name: &'static str,
    /// Its category.
    pub category: &'static str,
    /// Its description.
    pub description: &'static str,
    /// The container (`MP4`, `M3U8`, `MPD`, `CMFC`, `ISMV`).
    pub container: &'static str,
    /// `(codec, width, height, frames per second, bits per second)` of its video, if any.
    pub video: Option<(&'static str, i64, i64, i64, i64)>,
    /// AAC audio bitrate, if it has audio.
    pub audio: Option<i64>,
}

/// When AWS published them (2017-11-27T00:00:00Z): their `CreatedAt` and `LastUpdated`.
pub const PUBLISHED: f64 = 1_511_740_800.0;

/// The catalog, in name order.
pub const SYSTEM_PRESETS: &[SystemPreset] = &[
    SystemPreset {
        name: "System-Avc_16x9_1080p_29_97_10000Kbps",
        category: "MP4",
        description: "Wifi, 1920x1080, 16:9, 29.97fps, 10000Kbps",
        container: "MP4",
        video: Some(("H_264", 1920, 1080, 30, 10_000_000)),
        audio: Some(160_000),
    },
    SystemPreset {
        name: "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps",
        category: "MP4",
        description: "Generic HD MP4, 1280x720, 24 Hz, 4.5 Mbps AVC with AAC audio",
        container: "MP4",
        video: Some(("H_264", 1280, 720, 24, 4_500_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_24Hz_6Mbps",
        category: "MP4",
        description: "Generic HD MP4, 1920x1080, 24 Hz, 6 Mbps AVC with AAC audio",
        container: "MP4",
        video: Some(("H_264", 1920, 1080, 24, 6_000_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_24Hz_1.5Mbps",
        category: "MP4",
        description: "Generic SD MP4, 640x480, 24 Hz, 1.5 Mbps AVC with AAC audio",
        container: "MP4",
        video: Some(("H_264", 640, 480, 24, 1_500_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Generic_Uhd_Mp4_Hevc_Aac_16x9_3840x2160p_24Hz_8Mbps",
        category: "MP4",
        description: "Generic UHD MP4, 3840x2160, 24 Hz, 8 Mbps HEVC with AAC audio",
        container: "MP4",
        video: Some(("H_265", 3840, 2160, 24, 8_000_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Ott_Cmaf_Cmfc_Avc_16x9_1920x1080p_30Hz_10Mbps",
        category: "CMAF",
        description: "OTT CMAF, 1920x1080, 30 Hz, 10 Mbps AVC",
        container: "CMFC",
        video: Some(("H_264", 1920, 1080, 30, 10_000_000)),
        audio: None,
    },
    SystemPreset {
        name: "System-Ott_Dash_Mp4_Aac_He_96Kbps",
        category: "DASH ISO",
        description: "OTT DASH, AAC audio only, 96 Kbps",
        container: "MPD",
        video: None,
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_5.0Mbps",
        category: "DASH ISO",
        description: "OTT DASH, 1280x720, 30 Hz, 5 Mbps AVC",
        container: "MPD",
        video: Some(("H_264", 1280, 720, 30, 5_000_000)),
        audio: None,
    },
    SystemPreset {
        name: "System-Ott_Dash_Mp4_Avc_16x9_1920x1080p_30Hz_8.5Mbps",
        category: "DASH ISO",
        description: "OTT DASH, 1920x1080, 30 Hz, 8.5 Mbps AVC",
        container: "MPD",
        video: Some(("H_264", 1920, 1080, 30, 8_500_000)),
        audio: None,
    },
    SystemPreset {
        name: "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_5.0Mbps",
        category: "HLS",
        description: "OTT HLS, 1280x720, 30 Hz, 5 Mbps AVC with AAC audio",
        container: "M3U8",
        video: Some(("H_264", 1280, 720, 30, 5_000_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Ott_Hls_Ts_Avc_Aac_16x9_1920x1080p_30Hz_8.5Mbps",
        category: "HLS",
        description: "OTT HLS, 1920x1080, 30 Hz, 8.5 Mbps AVC with AAC audio",
        container: "M3U8",
        video: Some(("H_264", 1920, 1080, 30, 8_500_000)),
        audio: Some(96_000),
    },
    SystemPreset {
        name: "System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_1.2Mbps",
        category: "HLS",
        description: "OTT HLS, 640x360, 30 Hz, 1.2 Mbps AVC with AAC audio",
        container: "M3U8",
        video: Some(("H_264", 640, 360, 30, 1_200_000)),
        audio: Some(64_000),
    },
    SystemPreset {
        name: "System-Ott_Mss_Mp4_Avc_16x9_1280x720p_30Hz_3.5Mbps",
        category: "MSS",
        description: "OTT Microsoft Smooth Streaming, 1280x720, 30 Hz, 3.5 Mbps AVC",
        container: "ISMV",
        video: Some(("H_264", 1280, 720, 30, 3_500_000)),
        audio: None,
    },
];

/// The system preset of that name.
pub fn find(name: &str) -> Option<&'static SystemPreset> {
    SYSTEM_PRESETS.iter().find(|p| p.name == name)
}

impl SystemPreset {
    /// Its `PresetSettings`.
    pub fn settings(&self) -> Value {
        let mut s = json!({ "ContainerSettings": { "Container": self.container } });
        if let Some((codec, width, height, fps, bitrate)) = self.video {
            let codec_member = if codec == "H_265" {
                "H265Settings"
            } else {
                "H264Settings"
            };
            s["VideoDescription"] = json!({
                "Width": width, "Height": height,
                "CodecSettings": {"Codec": codec, codec_member: {
                    "Bitrate": bitrate, "RateControlMode": "CBR",
                    "FramerateControl": "SPECIFIED",
                    "FramerateNumerator": fps, "FramerateDenominator": 1}}
            });
        }
        if let Some(bitrate) = self.audio {
            s["AudioDescriptions"] = json!([{"CodecSettings": {"Codec": "AAC", "AacSettings": {
                "Bitrate": bitrate, "CodingMode": "CODING_MODE_2_0", "SampleRate": 48000}}}]);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_sorted_unique_and_settings_follow_the_name() {
        for w in SYSTEM_PRESETS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        let p = find("System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_24Hz_6Mbps").unwrap();
        let s = p.settings();
        assert_eq!(s["VideoDescription"]["Width"], 1920);
        assert_eq!(
            s["VideoDescription"]["CodecSettings"]["H264Settings"]["Bitrate"],
            6_000_000
        );
        assert!(find("System-Ott_Dash_Mp4_Aac_He_96Kbps")
            .unwrap()
            .settings()["VideoDescription"]
            .is_null());
        assert!(find("nope").is_none());
    }
}
