//! MediaConvert's system job templates: read-only templates every account sees
//! (`ListJobTemplates` with `ListBy=SYSTEM`), which `CreateJob` names in `JobTemplate`. The
//! catalog holds the names AWS's CLI examples and code run against AWS use; each is one
//! output group of system presets (`crate::system_presets`).

use crate::model::{Document, JobTemplate};
use serde_json::{json, Value};

/// When AWS's CLI example shows system job templates made (2019-09-12).
pub const PUBLISHED: f64 = 1_568_321_779.0;

/// The kind of output group a system template has.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Group {
    Hls,
    Dash,
    Cmaf,
    File,
}

/// One system job template.
#[derive(Debug)]
pub struct SystemTemplate {
    /// `System-…`.
    pub name: &'static str,
    /// Its category.
    pub category: &'static str,
    /// Its description.
    pub description: &'static str,
    group: Group,
    /// Its outputs' presets, in order.
    presets: &'static [&'static str],
}

const HLS_AVC: &[&str] = &[
    "System-Ott_Hls_Ts_Avc_Aac_16x9_480x270p_15Hz_0.4Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_0.6Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_1.2Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_960x540p_30Hz_3.5Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_3.5Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_5.0Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_1280x720p_30Hz_6.5Mbps",
    "System-Ott_Hls_Ts_Avc_Aac_16x9_1920x1080p_30Hz_8.5Mbps",
];

const HLS_HEVC: &[&str] = &[
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_640x360p_24Hz_0.8Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_768x432p_24Hz_1.0Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_960x540p_24Hz_1.5Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_1280x720p_24Hz_2.0Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_1280x720p_24Hz_4.0Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_16x9_1920x1080p_24Hz_6.0Mbps",
    "System-Ott_Hls_Ts_Hevc_Aac_4x3_1600x1200p_24Hz_6.0Mbps",
];

const DASH_AVC: &[&str] = &[
    "System-Ott_Dash_Mp4_Avc_16x9_480x270p_15Hz_0.4Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_640x360p_30Hz_0.6Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_640x360p_30Hz_1.2Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_960x540p_30Hz_3.5Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_3.5Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_5.0Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_1280x720p_30Hz_6.5Mbps",
    "System-Ott_Dash_Mp4_Avc_16x9_1920x1080p_30Hz_8.5Mbps",
    "System-Ott_Dash_Mp4_Aac_He_96Kbps",
];

const CMAF_QVBR: &[&str] = &[
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_10Mbps_Qvbr_Vq9",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_8Mbps_Qvbr_Vq8",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_6Mbps_Qvbr_Vq9",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_5Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_5Mbps_Qvbr_Vq9",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_4Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_960x540p_30Hz_2.5Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_768x432p_30Hz_1.2Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_640x360p_30Hz_0.8Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_416x234p_30Hz_0.36Mbps_Qvbr_Vq7",
    "System-Ott_Cmaf_Cmfc_Aac_He_96Kbps",
    "System-Ott_Cmaf_Cmfc_Aac_He_64Kbps",
];

const CMAF_CBR: &[&str] = &[
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_10Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1920x1080p_30Hz_8Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_6Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1440x810p_30Hz_5Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_5Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_1280x720p_30Hz_4Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_960x540p_30Hz_2.5Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_768x432p_30Hz_1.2Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_640x360p_30Hz_0.8Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Avc_16x9_Sdr_416x234p_30Hz_0.36Mbps_Cbr",
    "System-Ott_Cmaf_Cmfc_Aac_He_96Kbps",
    "System-Ott_Cmaf_Cmfc_Aac_He_64Kbps",
];

/// In the order AWS's answer lists them (the AWS CLI's list-job-templates example).
const MP4_QVBR: &[&str] = &[
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1280x720p_30Hz_5Mbps_Qvbr_Vq9",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1920x1080p_30Hz_10Mbps_Qvbr_Vq9",
    "System-Generic_Sd_Mp4_Avc_Aac_16x9_Sdr_640x360p_30Hz_0.8Mbps_Qvbr_Vq7",
    "System-Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1280x720p_30Hz_4Mbps_Qvbr_Vq9",
    "System-Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1920x1080p_30Hz_8Mbps_Qvbr_Vq9",
    "System-Generic_Uhd_Mp4_Hev1_Aac_16x9_Sdr_3840x2160p_30Hz_12Mbps_Qvbr_Vq9",
];

const MP4_PROGRESSIVE: &[&str] = &[
    "System-Generic_Uhd_Mp4_Hevc_Aac_16x9_3840x2160p_24Hz_8Mbps",
    "System-Generic_Hd_Mp4_Hevc_Aac_16x9_1920x1080p_24Hz_4.5Mbps",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_1920x1080p_24Hz_6Mbps",
    "System-Generic_Hd_Mp4_Hevc_Aac_16x9_1280x720p_24Hz_3.0Mbps",
    "System-Generic_Hd_Mp4_Avc_Aac_16x9_1280x720p_24Hz_4.5Mbps",
    "System-Generic_Sd_Mp4_Avc_Aac_4x3_640x480p_24Hz_1.5Mbps",
];

/// The catalog, in name order.
pub const SYSTEM_TEMPLATES: &[SystemTemplate] = &[
    SystemTemplate {
        name: "System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr",
        category: "GENERIC",
        description: "GENERIC, MP4, AVC + HEV1(HEVC,SDR), AAC, SDR, QVBR",
        group: Group::File,
        presets: MP4_QVBR,
    },
    SystemTemplate {
        name: "System-Generic_Mp4_Progressive",
        category: "GENERIC",
        description: "GENERIC, MP4, AVC + HEVC, AAC, progressive download",
        group: Group::File,
        presets: MP4_PROGRESSIVE,
    },
    SystemTemplate {
        name: "System-Ott_Cmaf_Cmfc_Avc_Aac_Sdr_Cbr",
        category: "OTT-CMAF",
        description: "OTT Profile - CMAF, CMFC, AVC, AAC, SDR, CBR",
        group: Group::Cmaf,
        presets: CMAF_CBR,
    },
    SystemTemplate {
        name: "System-Ott_Cmaf_Cmfc_Avc_Aac_Sdr_Qvbr",
        category: "OTT-CMAF",
        description: "OTT Profile - CMAF, CMFC, AVC, AAC, SDR, QVBR",
        group: Group::Cmaf,
        presets: CMAF_QVBR,
    },
    SystemTemplate {
        name: "System-Ott_Dash_Mp4_Avc_Aac",
        category: "OTT-DASH",
        description: "OTT Profile - DASH, MP4, AVC, AAC",
        group: Group::Dash,
        presets: DASH_AVC,
    },
    SystemTemplate {
        name: "System-Ott_Hls_Ts_Avc_Aac",
        category: "OTT-HLS",
        description: "OTT Profile - HLS, TS, AVC, AAC",
        group: Group::Hls,
        presets: HLS_AVC,
    },
    SystemTemplate {
        name: "System-Ott_Hls_Ts_Hevc_Aac",
        category: "OTT-HLS",
        description: "OTT Profile - HLS, TS, HEVC, AAC",
        group: Group::Hls,
        presets: HLS_HEVC,
    },
];

/// The system job template of that name.
pub fn find(name: &str) -> Option<&'static SystemTemplate> {
    SYSTEM_TEMPLATES.iter().find(|t| t.name == name)
}

/// An output's `NameModifier` in a system template: the preset's name without `System-`,
/// its megabits written as kilobits (`_…_30Hz_600Kbps`, `_…_30Hz_5000Kbps_Qvbr_Vq9`, as
/// AWS's are).
fn name_modifier(preset: &str) -> String {
    let base = preset.strip_prefix("System-").unwrap_or(preset);
    let parts: Vec<String> = base
        .split('_')
        .map(
            |t| match t.strip_suffix("Mbps").and_then(|n| n.parse::<f64>().ok()) {
                Some(mbps) => format!("{}Kbps", (mbps * 1000.0).round() as i64),
                None => t.to_string(),
            },
        )
        .collect();
    format!("_{}", parts.join("_"))
}

impl SystemTemplate {
    /// Its `JobTemplateSettings`: one output group of its presets (no destination: a job's
    /// outputs then go beside its input, as AWS documents).
    pub fn settings(&self) -> Value {
        let (name, group) = match self.group {
            Group::Hls => (
                "Apple HLS",
                json!({"Type": "HLS_GROUP_SETTINGS",
                       "HlsGroupSettings": {"SegmentLength": 3, "MinSegmentLength": 0}}),
            ),
            Group::Dash => (
                "DASH ISO",
                json!({"Type": "DASH_ISO_GROUP_SETTINGS",
                       "DashIsoGroupSettings": {"SegmentLength": 30, "FragmentLength": 2}}),
            ),
            Group::Cmaf => (
                "CMAF",
                json!({"Type": "CMAF_GROUP_SETTINGS",
                       "CmafGroupSettings": {"SegmentLength": 30, "FragmentLength": 3,
                           "WriteHlsManifest": "ENABLED", "WriteDashManifest": "ENABLED"}}),
            ),
            Group::File => (
                "File Group",
                json!({"Type": "FILE_GROUP_SETTINGS", "FileGroupSettings": {}}),
            ),
        };
        let outputs: Vec<Value> = self
            .presets
            .iter()
            .map(|p| {
                let mut o = json!({"Preset": p, "NameModifier": name_modifier(p)});
                if self.group == Group::File {
                    o["Extension"] = json!("mp4");
                }
                o
            })
            .collect();
        json!({
            "AdAvailOffset": 0,
            "OutputGroups": [{"Name": name, "OutputGroupSettings": group, "Outputs": outputs}],
        })
    }

    /// It as the template a job applies.
    pub fn job_template(&self) -> JobTemplate {
        JobTemplate {
            name: self.name.to_string(),
            description: Some(self.description.to_string()),
            category: Some(self.category.to_string()),
            settings: Document::new(&self.settings()),
            queue: None,
            priority: None,
            status_update_interval: None,
            acceleration: None,
            hop_destinations: None,
            elemental_inference: None,
            created_at: PUBLISHED,
            last_updated: PUBLISHED,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system_presets;

    #[test]
    fn templates_are_sorted_and_name_only_system_presets() {
        for w in SYSTEM_TEMPLATES.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        for t in SYSTEM_TEMPLATES {
            for p in t.presets {
                assert!(system_presets::find(p).is_some(), "{}: {p}", t.name);
            }
        }
        assert_eq!(
            name_modifier("System-Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_0.6Mbps"),
            "_Ott_Hls_Ts_Avc_Aac_16x9_640x360p_30Hz_600Kbps"
        );
        // As AWS's answer names the QVBR MP4 template's outputs.
        let qvbr = find("System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr")
            .unwrap()
            .settings();
        let modifiers: Vec<&str> = qvbr["OutputGroups"][0]["Outputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["NameModifier"].as_str().unwrap())
            .collect();
        assert_eq!(
            modifiers,
            [
                "_Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1280x720p_30Hz_5000Kbps_Qvbr_Vq9",
                "_Generic_Hd_Mp4_Avc_Aac_16x9_Sdr_1920x1080p_30Hz_10000Kbps_Qvbr_Vq9",
                "_Generic_Sd_Mp4_Avc_Aac_16x9_Sdr_640x360p_30Hz_800Kbps_Qvbr_Vq7",
                "_Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1280x720p_30Hz_4000Kbps_Qvbr_Vq9",
                "_Generic_Hd_Mp4_Hev1_Aac_16x9_Sdr_1920x1080p_30Hz_8000Kbps_Qvbr_Vq9",
                "_Generic_Uhd_Mp4_Hev1_Aac_16x9_Sdr_3840x2160p_30Hz_12000Kbps_Qvbr_Vq9",
            ]
        );
        let hls = find("System-Ott_Hls_Ts_Avc_Aac").unwrap().settings();
        assert_eq!(
            hls["OutputGroups"][0]["Outputs"].as_array().unwrap().len(),
            8
        );
        assert!(find("System-Nope").is_none());
    }
}
