//! MediaPackage v2 state, typed. Configuration structs mirror the model's shapes member for
//! member (PascalCase on the wire), so a validated input deserializes straight into them and
//! the API view serializes straight out; absent members stay absent.

use kit::Phase;
use serde::{Deserialize, Serialize};

/// A channel group: the egress domain its endpoints share.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChannelGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The host prefix of its egress domain (random, as AWS's).
    pub egress_id: String,
    pub created_at: f64,
    pub modified_at: f64,
    pub etag: String,
}

/// A channel of a channel group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    pub group: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub input_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_switch: Option<InputSwitchConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_header: Option<OutputHeaderConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_locking_mode: Option<String>,
    pub created_at: f64,
    pub modified_at: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<f64>,
    pub etag: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InputSwitchConfiguration {
    #[serde(rename = "MQCSInputSwitching", skip_serializing_if = "Option::is_none")]
    pub mqcs_input_switching: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_input: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OutputHeaderConfiguration {
    #[serde(rename = "PublishMQCS", skip_serializing_if = "Option::is_none")]
    pub publish_mqcs: Option<bool>,
}

/// An origin endpoint: how a channel's content is packaged and served.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OriginEndpoint {
    pub group: String,
    pub channel: String,
    pub name: String,
    pub config: EndpointConfig,
    pub created_at: f64,
    pub modified_at: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<f64>,
    pub etag: String,
    /// CDN authorization of its policy (PutOriginEndpointPolicy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cdn_auth: Option<CdnAuthConfiguration>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CdnAuthConfiguration {
    pub cdn_identifier_secret_arns: Vec<String>,
    pub secrets_role_arn: String,
}

/// The settable part of an origin endpoint (CreateOriginEndpoint / UpdateOriginEndpoint).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EndpointConfig {
    pub container_type: String,
    #[serde(default)]
    pub segment: Segment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startover_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hls_manifests: Vec<HlsManifest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub low_latency_hls_manifests: Vec<HlsManifest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dash_manifests: Vec<DashManifest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mss_manifests: Vec<MssManifest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_endpoint_error_configuration: Option<ForceEndpointErrorConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_separator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_name_output_mode: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Segment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_duration_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_use_audio_rendition_group: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_iframe_only_streams: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ts_include_dvb_subtitles: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scte: Option<Scte>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_timestamp_mode: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Scte {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_filter: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_in_segments: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_ad_types: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Encryption {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant_initialization_vector: Option<String>,
    pub encryption_method: EncryptionMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_rotation_interval_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmaf_exclude_segment_drm_metadata: Option<bool>,
    pub speke_key_provider: SpekeKeyProvider,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionMethod {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ts_encryption_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmaf_encryption_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ism_encryption_method: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SpekeKeyProvider {
    pub encryption_contract_configuration: EncryptionContractConfiguration,
    pub resource_id: String,
    pub drm_systems: Vec<String>,
    pub role_arn: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speke_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_key_period_configuration: Option<ContentKeyPeriodConfiguration>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EncryptionContractConfiguration {
    pub preset_speke20_audio: String,
    pub preset_speke20_video: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContentKeyPeriodConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_key_period_timing: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScteHls {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_marker_hls: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_in_manifests: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartTag {
    pub time_offset: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precise: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilterConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_filter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drm_settings: Option<String>,
    /// Timestamps are epoch seconds (the protocol layer's form of a timestamp).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_delay_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip_start_time: Option<f64>,
}

/// An HLS or low-latency HLS manifest (the two shapes have the same members).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HlsManifest {
    pub manifest_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_manifest_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_hls: Option<ScteHls>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_tag: Option<StartTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_date_time_interval_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_configuration: Option<FilterConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_encode_child_manifest: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_path_type: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashManifest {
    pub manifest_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_configuration: Option<FilterConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_update_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_buffer_time_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_presentation_delay_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_template_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_triggers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_dash: Option<ScteDash>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drm_signaling: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_timing: Option<DashUtcTiming>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiles: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compactness: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri_path_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_urls: Option<Vec<DashBaseUrl>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program_information: Option<DashProgramInformation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dvb_settings: Option<DashDvbSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_reporting_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_timeline_pattern: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle_configuration: Option<DashSubtitleConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_start_time_configuration: Option<DashAvailabilityStartTimeConfiguration>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashBaseUrl {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dvb_priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dvb_weight: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashProgramInformation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_information_url: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashDvbSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_download: Option<DashDvbFontDownload>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_metrics: Option<Vec<DashDvbMetricsReporting>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashDvbFontDownload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashDvbMetricsReporting {
    pub reporting_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashSubtitleConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttml_configuration: Option<DashTtmlConfiguration>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashTtmlConfiguration {
    pub ttml_profile: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashAvailabilityStartTimeConfiguration {
    /// Epoch seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_availability_start_time: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScteDash {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ad_marker_dash: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scte_in_manifests: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DashUtcTiming {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing_source: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MssManifest {
    pub manifest_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_window_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_configuration: Option<FilterConfiguration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_layout: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForceEndpointErrorConfiguration {
    #[serde(default)]
    pub endpoint_error_conditions: Vec<String>,
}

/// A harvest job: a window of an endpoint's live content written to S3.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HarvestJob {
    pub group: String,
    pub channel: String,
    pub endpoint: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub manifests: HarvestedManifests,
    pub start: f64,
    pub end: f64,
    pub bucket: String,
    pub path: String,
    pub phase: Phase,
    /// The lifecycle time at which `end` passes, when it was still to come at creation: the
    /// job harvests in real time until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<f64>,
    /// Why the job fails once processed (its `ErrorMessage`), when its endpoint can't serve it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
    /// The lifecycle time at which the job's record expires from the account (`None` in
    /// records journaled before expiry was kept: they stay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<f64>,
    pub created_at: f64,
    pub modified_at: f64,
    pub etag: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HarvestedManifests {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hls_manifests: Vec<ManifestRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dash_manifests: Vec<ManifestRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub low_latency_hls_manifests: Vec<ManifestRef>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManifestRef {
    pub manifest_name: String,
}
