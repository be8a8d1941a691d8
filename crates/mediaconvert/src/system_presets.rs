//! MediaConvert's system presets: read-only presets every account sees (`ListPresets` with
//! `ListBy=SYSTEM`), named by `Output.Preset` in jobs and templates. AWS publishes no complete
//! list; the catalog holds the names AWS's CLI examples, user guides, solutions and samples
//! use, and names code that ran against AWS uses (their case kept exactly: `35mpbs` is AWS's
//! spelling). Each preset's settings are generated from what its name says.

use serde_json::{json, Value};

/// One system preset.
#[derive(Debug, Clone, Copy)]
pub struct SystemPreset {
    /// `System-…`.
    pub name: &'static str,
}

/// When AWS's CLI examples show system presets made (2019-09-12): `CreatedAt`, `LastUpdated`.
pub const PUBLISHED: f64 = 1_568_321_789.0;

const fn p(name: &'static str) -> SystemPreset {
    SystemPreset { name }
}

/// The catalog, in name order.
pub const SYSTEM_PRESETS: &[SystemPreset] = &[
    p("System-Avc_16x9_1080p_29_97fps_8500kbps"),
    p("System-Avc_16x9_270p_14_99fps_400kbps"),
    p("System-Avc_16x9_360p_29_97fps_1200kbps"),
    p("System-Avc_16x9_360p_29_97fps_600kbps"),
    p("System-Avc_16x9_540p_29_97fps_3500kbps"),
    p("System-Avc_16x9_720p_29_97fps_3500kbps"),
    p("System-Avc_16x9_720p_29_97fps_5000kbps"),
    p("System-Avc_16x9_720p_29_97fps_6500kbps"),
    p("System-Avc_4x3_360p_14_99fps_400kbps"),
    p("System-Avc_4x3_480p_29_97fps_600kbps"),
    p("System-Generic_Hd_Mp4_Av1_Aac_16x9_1920x1080p_30Hz_5Mbps_Qvbr_Vq7"),
    p("System-Generic_Hd_Mp4_Av1_Aac_16x9_640x360p_24Hz_250Kbps_Qvbr_Vq6"),
    p("System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps"),
    p("System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_24Hz_6Mbps"),
    p("System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1280x720p_30Hz_5Mbps_Qvbr_Vq9"),
    p("System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1920x1080p_30Hz_10Mbps_Qvbr_Vq9"),
    p("System-Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1280x720p_30Hz_4Mbps_Qvbr_Vq9"),
    p("System-Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1920x1080p_30Hz_8Mbps_Qvbr_Vq9"),
    p("System-Generic_Hd_Mp4_Hevc_Aac_16x9_1280x720p_24Hz_3.0Mbps"),
    p("System-Generic_Hd_Mp4_Hevc_Aac_16x9_1920x1080p_24Hz_4.5Mbps"),
    p("System-Generic_Hd_Mp4_Hevc_Aac_16x9_1920x1080p_50Hz_6Mbps"),
    p("System-Generic_Sd_Mp4_Avc_Aac_16x9_Sdr_640x360p_30Hz_0.8Mbps_Qvbr_Vq7"),
    p("System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_24Hz_1.5Mbps"),
    p("System-Generic_Uhd_Mp4_Hev1_Aac_16x9_Sdr_3840x2160p_30Hz_12Mbps_Qvbr_Vq9"),
    p("System-Generic_Uhd_Mp4_Hevc_Aac_16x9_3840x2160p_24Hz_8Mbps"),
    p("System-Hevc_2160p_25fps_15mbps"),
    p("System-Ott_Cmaf_Cmfc_Aac_He_64Kbps"),
    p("System-Ott_Cmaf_Cmfc_Aac_He_96Kbps"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_4Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_4Mbps_Qvbr_Vq7"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_5Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_5Mbps_Qvbr_Vq9"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_5Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_5Mbps_Qvbr_Vq7"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_6Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_6Mbps_Qvbr_Vq9"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_10Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_10Mbps_Qvbr_Vq9"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_8Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_8Mbps_Qvbr_Vq8"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_416x234p_30Hz_0.36Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_416x234p_30Hz_0.36Mbps_Qvbr_Vq7"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_640x360p_30Hz_0.8Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_640x360p_30Hz_0.8Mbps_Qvbr_Vq7"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_768x432p_30Hz_1.2Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_768x432p_30Hz_1.2Mbps_Qvbr_Vq7"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_960x540p_30Hz_2.5Mbps_Cbr"),
    p("System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_960x540p_30Hz_2.5Mbps_Qvbr_Vq7"),
    p("System-Ott_Dash_Mp4_Aac_He_96Kbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_3.5Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_5.0Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_6.5Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_1920x1080p_30Hz_8.5Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_480x270p_15Hz_0.4Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_640x360p_30Hz_0.6Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_640x360p_30Hz_1.2Mbps"),
    p("System-Ott_Dash_Mp4_Avc_16x9_960x540p_30Hz_3.5Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_3.5Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_5.0Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_6.5Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_1920x1080p_30Hz_8.5Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_480x270p_15Hz_0.4Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_0.6Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_1.2Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_16x9_960x540p_30Hz_3.5Mbps"),
    p("System-Ott_Hls_Ts_Avc_Aac_4x3_640x480p_30Hz_0.6Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_1280x720p_24Hz_2.0Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_1280x720p_24Hz_4.0Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_1920x1080p_24Hz_6.0Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_640x360p_24Hz_0.8Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_768x432p_24Hz_1.0Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_16x9_960x540p_24Hz_1.5Mbps"),
    p("System-Ott_Hls_Ts_Hevc_Aac_4x3_1600x1200p_24Hz_6.0Mbps"),
    p("System-Xdcam_HD_1080i_29_97fps_35mpbs"),
];

/// The system preset of that name.
pub fn find(name: &str) -> Option<&'static SystemPreset> {
    SYSTEM_PRESETS
        .binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| &SYSTEM_PRESETS[i])
}

/// A preset's video, as its name gives it.
#[derive(Debug, PartialEq)]
struct Video {
    codec: &'static str,
    width: i64,
    height: i64,
    interlaced: bool,
    /// Frames per second as numerator and denominator ("30Hz" and "29_97fps" are 30000/1001).
    rate: (i64, i64),
    bitrate: i64,
    /// The QVBR quality level (`_Qvbr_Vq7`); constant bitrate otherwise.
    qvbr: Option<i64>,
}

/// What a preset's name says about its output.
#[derive(Debug, PartialEq)]
struct Facts {
    /// The preset's family, which is also its `Category`.
    category: &'static str,
    container: &'static str,
    video: Option<Video>,
    /// AAC bitrate (HE-AAC), when it has audio.
    audio: Option<i64>,
}

/// "30Hz" and "29_97fps" are NTSC rates, as the presets' settings have them.
fn frame_rate(hz: i64) -> (i64, i64) {
    match hz {
        15 | 24 | 30 | 60 => (hz * 1000, 1001),
        _ => (hz, 1),
    }
}

/// "0.4Mbps", "250Kbps", "3500kbps", "15mbps", "35mpbs" → bits per second.
fn bits_per_second(token: &str) -> Option<i64> {
    let lower = token.to_ascii_lowercase();
    let (number, scale) = if let Some(n) = lower.strip_suffix("kbps") {
        (n, 1_000.0)
    } else if let Some(n) = lower
        .strip_suffix("mbps")
        .or_else(|| lower.strip_suffix("mpbs"))
    {
        (n, 1_000_000.0)
    } else {
        return None;
    };
    let value: f64 = number.parse().ok()?;
    Some((value * scale).round() as i64)
}

/// Reads a preset's name; `None` for a name outside the families the catalog holds.
fn facts(name: &str) -> Option<Facts> {
    let rest = name.strip_prefix("System-")?;
    let t: Vec<&str> = rest.split('_').collect();
    // Audio HE-AAC when the video is at least 1 Mbps is 96 kbps, below it 64 kbps (as the
    // expanded settings of AWS's presets show).
    let audio_for = |bitrate: i64| Some(if bitrate >= 1_000_000 { 96_000 } else { 64_000 });
    match t.as_slice() {
        // System-Avc_16x9_720p_29_97fps_3500kbps: HLS renditions.
        ["Avc", aspect, height, whole, frac_fps, rate] => {
            let height: i64 = height.strip_suffix('p')?.parse().ok()?;
            let width = match *aspect {
                "16x9" => height * 16 / 9,
                "4x3" => height * 4 / 3,
                _ => return None,
            };
            let hz: i64 = whole.parse().ok()?;
            frac_fps.strip_suffix("fps")?;
            let bitrate = bits_per_second(rate)?;
            Some(Facts {
                category: "HLS",
                container: "M3U8",
                video: Some(Video {
                    codec: "H_264",
                    width,
                    height,
                    interlaced: false,
                    rate: frame_rate(hz + 1),
                    bitrate,
                    qvbr: None,
                }),
                audio: audio_for(bitrate),
            })
        }
        // System-Hevc_2160p_25fps_15mbps.
        ["Hevc", "2160p", fps, rate] => Some(Facts {
            category: "MP4",
            container: "MP4",
            video: Some(Video {
                codec: "H_265",
                width: 3840,
                height: 2160,
                interlaced: false,
                rate: frame_rate(fps.strip_suffix("fps")?.parse().ok()?),
                bitrate: bits_per_second(rate)?,
                qvbr: None,
            }),
            audio: Some(96_000),
        }),
        // System-Xdcam_HD_1080i_29_97fps_35mpbs: MPEG-2 in MXF, interlaced.
        ["Xdcam", "HD", "1080i", "29", "97fps", rate] => Some(Facts {
            category: "MXF",
            container: "MXF",
            video: Some(Video {
                codec: "MPEG2",
                width: 1920,
                height: 1080,
                interlaced: true,
                rate: frame_rate(30),
                bitrate: bits_per_second(rate)?,
                qvbr: None,
            }),
            audio: None,
        }),
        // System-Ott_Dash_Mp4_Aac_He_96Kbps: audio-only renditions.
        ["Ott", family @ ("Dash" | "Cmaf"), _, "Aac", "He", rate] => {
            let (category, container) = ott_family(family)?;
            Some(Facts {
                category,
                container,
                video: None,
                audio: Some(bits_per_second(rate)?),
            })
        }
        [first, family, container_word, rest @ ..] => {
            let (category, container) = match (*first, *family, *container_word) {
                ("Ott", f, "Ts" | "Mp4" | "Cmfc") => ott_family(f)?,
                ("Generic", "Hd" | "Sd" | "Uhd", "Mp4") => ("GENERIC", "MP4"),
                _ => return None,
            };
            let (codec, rest) = rest.split_first()?;
            let codec = match *codec {
                "Avc" => "H_264",
                "Hevc" | "Hev1" => "H_265",
                "Av1" => "AV1",
                _ => return None,
            };
            let (has_audio, rest) = match rest {
                ["Aac", rest @ ..] => (true, rest),
                _ => (false, rest),
            };
            let rest = match rest {
                ["16x9" | "4x3", "Sdr", rest @ ..] | ["16x9" | "4x3", rest @ ..] => rest,
                _ => return None,
            };
            let (size, hz, rate, control) = match rest {
                [size, hz, rate, control @ ..] => (size, hz, rate, control),
                _ => return None,
            };
            let (width, height) = size.strip_suffix('p')?.split_once('x')?;
            let bitrate = bits_per_second(rate)?;
            let qvbr = match control {
                [] | ["Cbr"] => None,
                ["Qvbr", level] => Some(level.strip_prefix("Vq")?.parse().ok()?),
                _ => return None,
            };
            Some(Facts {
                category,
                container,
                video: Some(Video {
                    codec,
                    width: width.parse().ok()?,
                    height: height.parse().ok()?,
                    interlaced: false,
                    rate: frame_rate(hz.strip_suffix("Hz")?.parse().ok()?),
                    bitrate,
                    qvbr,
                }),
                audio: if has_audio { audio_for(bitrate) } else { None },
            })
        }
        _ => None,
    }
}

/// An OTT family's category and container.
fn ott_family(family: &str) -> Option<(&'static str, &'static str)> {
    match family {
        "Hls" => Some(("OTT-HLS", "M3U8")),
        "Dash" => Some(("OTT-DASH", "MPD")),
        "Cmaf" => Some(("OTT-CMAF", "CMFC")),
        _ => None,
    }
}

impl SystemPreset {
    fn facts(&self) -> Facts {
        // Every catalog name reads (a unit test holds it to that).
        facts(self.name).unwrap_or(Facts {
            category: "GENERIC",
            container: "MP4",
            video: None,
            audio: None,
        })
    }

    /// Its `Category`: the family its name belongs to.
    pub fn category(&self) -> &'static str {
        self.facts().category
    }

    /// Its `Description`, in the form AWS's CLI examples show.
    pub fn description(&self) -> String {
        let f = self.facts();
        let Some(v) = &f.video else {
            let kbps = f.audio.unwrap_or(0) / 1000;
            return format!("{}, AAC audio only, {kbps}kbps", f.category);
        };
        let fps = if v.rate.1 == 1001 {
            format!("{:.2}", v.rate.0 as f64 / 1001.0)
        } else {
            v.rate.0.to_string()
        };
        let scan = if v.interlaced { "i" } else { "" };
        match self.name {
            n if n.starts_with("System-Xdcam") => format!(
                "XDCAM MPEG HD, {}x{}{scan}, {fps}fps, {}mbps",
                v.width,
                v.height,
                v.bitrate / 1_000_000
            ),
            n if n.starts_with("System-Avc") => {
                let aspect = if v.width * 3 == v.height * 4 {
                    "4:3"
                } else {
                    "16:9"
                };
                format!(
                    "Wifi, {}x{}, {aspect}, {fps}fps, {}kbps",
                    v.width,
                    v.height,
                    v.bitrate / 1000
                )
            }
            _ => format!(
                "{}, {}{}, {}x{}{scan}, {fps}fps, {}kbps",
                f.category,
                v.codec,
                if f.audio.is_some() { " + AAC" } else { "" },
                v.width,
                v.height,
                v.bitrate / 1000
            ),
        }
    }

    /// Its `PresetSettings`.
    pub fn settings(&self) -> Value {
        let f = self.facts();
        let mut s = json!({ "ContainerSettings": { "Container": f.container } });
        if let Some(v) = &f.video {
            let member = match v.codec {
                "H_265" => "H265Settings",
                "AV1" => "Av1Settings",
                "MPEG2" => "Mpeg2Settings",
                _ => "H264Settings",
            };
            let mut codec = json!({
                "FramerateControl": "SPECIFIED",
                "FramerateNumerator": v.rate.0, "FramerateDenominator": v.rate.1,
            });
            match v.qvbr {
                Some(level) => {
                    codec["RateControlMode"] = json!("QVBR");
                    codec["MaxBitrate"] = json!(v.bitrate);
                    codec["QvbrSettings"] = json!({"QvbrQualityLevel": level});
                }
                None => {
                    codec["RateControlMode"] = json!("CBR");
                    codec["Bitrate"] = json!(v.bitrate);
                }
            }
            if v.interlaced {
                codec["InterlaceMode"] = json!("TOP_FIELD");
            }
            s["VideoDescription"] = json!({
                "Width": v.width, "Height": v.height,
                "CodecSettings": {"Codec": v.codec, member: codec}
            });
        }
        if let Some(bitrate) = f.audio {
            s["AudioDescriptions"] = json!([{"CodecSettings": {"Codec": "AAC", "AacSettings": {
                "Bitrate": bitrate, "CodecProfile": "HEV1",
                "CodingMode": "CODING_MODE_2_0", "SampleRate": 48000}}}]);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_sorted_unique_and_every_name_reads() {
        for w in SYSTEM_PRESETS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        for p in SYSTEM_PRESETS {
            let f = facts(p.name).unwrap_or_else(|| panic!("{} does not read", p.name));
            assert!(f.video.is_some() || f.audio.is_some(), "{}", p.name);
            assert_eq!(find(p.name).map(|q| q.name), Some(p.name));
        }
        assert!(find("nope").is_none());
        // Names real code uses against AWS (which mediamock once refused).
        assert!(find("System-Avc_16x9_720p_29_97fps_3500kbps").is_some());
        assert!(find("System-Ott_Hls_Ts_Avc_Aac_16x9_480x270p_15Hz_0.4Mbps").is_some());
    }

    #[test]
    fn settings_and_description_follow_the_name() {
        // As AWS's CLI example describes it.
        let p = find("System-Avc_16x9_1080p_29_97fps_8500kbps").unwrap();
        assert_eq!(p.description(), "Wifi, 1920x1080, 16:9, 29.97fps, 8500kbps");
        assert_eq!(p.category(), "HLS");
        let s = p.settings();
        assert_eq!(s["ContainerSettings"]["Container"], "M3U8");
        let h264 = &s["VideoDescription"]["CodecSettings"]["H264Settings"];
        assert_eq!(h264["Bitrate"], 8_500_000);
        assert_eq!(h264["FramerateNumerator"], 30000);
        assert_eq!(h264["FramerateDenominator"], 1001);
        let x = find("System-Xdcam_HD_1080i_29_97fps_35mpbs").unwrap();
        assert_eq!(
            x.description(),
            "XDCAM MPEG HD, 1920x1080i, 29.97fps, 35mbps"
        );
        assert_eq!(x.category(), "MXF");
        let q = find("System-Generic_Hd_Mp4_Av1_Aac_16x9_640x360p_24Hz_250Kbps_Qvbr_Vq6")
            .unwrap()
            .settings();
        let av1 = &q["VideoDescription"]["CodecSettings"]["Av1Settings"];
        assert_eq!(av1["RateControlMode"], "QVBR");
        assert_eq!(av1["MaxBitrate"], 250_000);
        assert_eq!(av1["QvbrSettings"]["QvbrQualityLevel"], 6);
        assert_eq!(av1["FramerateNumerator"], 24000);
        let audio = find("System-Ott_Dash_Mp4_Aac_He_96Kbps").unwrap();
        assert!(audio.settings()["VideoDescription"].is_null());
        assert_eq!(
            audio.settings()["AudioDescriptions"][0]["CodecSettings"]["AacSettings"]["Bitrate"],
            96_000
        );
        assert_eq!(audio.category(), "OTT-DASH");
        // DASH and CMAF video renditions carry no audio; HLS ones do.
        assert!(find("System-Ott_Dash_Mp4_Avc_16x9_640x360p_30Hz_0.6Mbps")
            .unwrap()
            .settings()["AudioDescriptions"]
            .is_null());
        let hls = find("System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_0.6Mbps").unwrap();
        assert_eq!(
            hls.settings()["AudioDescriptions"][0]["CodecSettings"]["AacSettings"]["Bitrate"],
            64_000
        );
    }
}
