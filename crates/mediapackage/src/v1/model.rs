//! MediaPackage v1 state, typed. Package structs carry the union of the members of the
//! model's HLS/DASH/CMAF/MSS package shapes (PascalCase on the wire); an endpoint has exactly
//! one package, so only that kind's members are ever present and echoed back.

use kit::Phase;
use serde::{Deserialize, Serialize};

/// A channel and its two HLS ingest endpoints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    /// The caller's ID (`Id`); the ARN carries the internal one.
    pub id: String,
    pub internal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub ingest: Vec<IngestEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_logs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_logs: Option<String>,
    pub created_at: f64,
}

/// One WebDAV ingest endpoint with its generated credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IngestEndpoint {
    pub id: String,
    pub username: String,
    pub password: String,
}

/// An origin endpoint of a channel.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OriginEndpoint {
    pub id: String,
    pub internal: String,
    pub channel_id: String,
    pub config: EndpointConfig,
    pub created_at: f64,
}

/// The settable members of an origin endpoint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EndpointConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization: Option<Authorization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmaf_package: Option<Package>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dash_package: Option<Package>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hls_package: Option<Package>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mss_package: Option<Package>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startover_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_delay_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whitelist: Option<Vec<String>>,
}

impl EndpointConfig {
    /// The name of its manifest files without extension: its `ManifestName`, else `index`.
    pub fn manifest_file(&self) -> &str {
        self.manifest_name.as_deref().unwrap_or("index")
    }

    /// Its CMAF package's HLS manifests (none for another package).
    pub fn cmaf_hls_manifests(&self) -> &[HlsManifest] {
        self.cmaf_package
            .as_ref()
            .and_then(|p| p.hls_manifests.as_deref())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorization {
    pub cdn_identifier_secret: String,
    pub secrets_role_arn: String,
}

/// Any of the four package shapes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Package {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_markers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_triggers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ads_on_delivery_restrictions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hls_manifests: Option<Vec<HlsManifest>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_dvb_subtitles: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_iframe_only_stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_layout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_buffer_time_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_update_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_triggers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlist_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlist_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_date_time_interval_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_duration_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_template_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_selection: Option<StreamSelection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_presentation_delay_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_audio_rendition_group: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_timing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_timing_uri: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Encryption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant_initialization_vector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_rotation_interval_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_ext_x_key: Option<bool>,
    pub speke_key_provider: SpekeKeyProvider,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SpekeKeyProvider {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_contract_configuration: Option<EncryptionContractConfiguration>,
    pub resource_id: String,
    pub role_arn: String,
    pub system_ids: Vec<String>,
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionContractConfiguration {
    pub preset_speke20_audio: String,
    pub preset_speke20_video: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamSelection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_video_bits_per_second: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_video_bits_per_second: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_order: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HlsManifest {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_markers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_triggers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ads_on_delivery_restrictions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_iframe_only_stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlist_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlist_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_date_time_interval_seconds: Option<i64>,
}

impl HlsManifest {
    /// Its file's name without extension: its own manifest name, else the endpoint's `file`
    /// ("If not specified, defaults to the manifestName for the OriginEndpoint").
    pub fn file_name<'a>(&'a self, file: &'a str) -> &'a str {
        self.manifest_name.as_deref().unwrap_or(file)
    }
}

/// A harvest job (IN_PROGRESS → SUCCEEDED, or → FAILED when its endpoint cannot serve it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HarvestJob {
    pub id: String,
    pub channel_id: String,
    pub origin_endpoint_id: String,
    pub start: String,
    pub end: String,
    pub bucket: String,
    pub manifest_key: String,
    pub role_arn: String,
    pub phase: Phase,
    pub created_at: f64,
    /// Why the job fails, decided when it was created: the explanation AWS gives in its
    /// CloudWatch event (v1's `HarvestJob` shape has no member for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}
