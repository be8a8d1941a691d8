//! Typed stored bodies of the kinds other than channels and stream keys: playback key pairs,
//! playback restriction policies, recording, ad and failover-slate configurations. Field serde
//! names are the model's member names (plus `created_at`, the lifecycle time of creation, for
//! the two kinds whose state settles on the clock), so a body converts to and from its member
//! map exactly: the shared Create/Update code in [`crate::crud`] checks and overlays members
//! on that map.

use crate::typed::wire_enum;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `RecordingConfigurationState`.
    RecordingState { /// CREATING.
    Creating = "CREATING", /// CREATE_FAILED.
    CreateFailed = "CREATE_FAILED", /// ACTIVE.
    Active = "ACTIVE" }
}

wire_enum! {
    /// `FailoverSlateConfigurationState`.
    SlateState { /// CREATING.
    Creating = "CREATING", /// CREATE_FAILED.
    CreateFailed = "CREATE_FAILED", /// CREATED.
    Created = "CREATED", /// UPDATING.
    Updating = "UPDATING" }
}

wire_enum! {
    /// `RecordingMode`.
    RecordingMode { /// DISABLED.
    Disabled = "DISABLED", /// INTERVAL.
    Interval = "INTERVAL" }
}

wire_enum! {
    /// `ThumbnailConfigurationStorage`.
    ThumbnailStorage { /// SEQUENTIAL.
    Sequential = "SEQUENTIAL", /// LATEST.
    Latest = "LATEST" }
}

wire_enum! {
    /// `ThumbnailConfigurationResolution` and `RenditionConfigurationRendition`.
    Resolution { /// SD.
    Sd = "SD", /// HD.
    Hd = "HD", /// FULL_HD.
    FullHd = "FULL_HD", /// LOWEST_RESOLUTION.
    Lowest = "LOWEST_RESOLUTION" }
}

wire_enum! {
    /// `RenditionConfigurationRenditionSelection`.
    RenditionSelection { /// ALL.
    All = "ALL", /// NONE.
    None = "NONE", /// CUSTOM.
    Custom = "CUSTOM" }
}

/// A playback key pair: its name and its public key's fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaybackKeyPair {
    /// `name`.
    pub name: Box<str>,
    /// `fingerprint`.
    pub fingerprint: Box<str>,
}

/// A playback restriction policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaybackRestrictionPolicy {
    /// `allowedCountries` (ISO 3166-1 alpha-2 codes).
    pub allowed_countries: Vec<Box<str>>,
    /// `allowedOrigins`.
    pub allowed_origins: Vec<Box<str>>,
    /// `enableStrictOriginEnforcement`.
    pub enable_strict_origin_enforcement: bool,
    /// `name`.
    pub name: Box<str>,
}

/// `S3DestinationConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Destination {
    /// `bucketName`.
    pub bucket_name: Box<str>,
}

/// `DestinationConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Destination {
    /// `s3`.
    pub s3: S3Destination,
}

/// `ThumbnailConfiguration` with AWS's defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thumbnails {
    /// `recordingMode`.
    pub recording_mode: RecordingMode,
    /// `storage`.
    pub storage: Vec<ThumbnailStorage>,
    /// `targetIntervalSeconds` (INTERVAL mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_interval_seconds: Option<i64>,
    /// `resolution`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
}

/// `RenditionConfiguration` with AWS's defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Renditions {
    /// `renditionSelection`.
    pub rendition_selection: RenditionSelection,
    /// `renditions`.
    pub renditions: Vec<Resolution>,
}

/// A recording configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordingConfiguration {
    /// `name`.
    pub name: Box<str>,
    /// `destinationConfiguration`.
    pub destination_configuration: Destination,
    /// `state` as stored (the view settles CREATING → ACTIVE on the clock).
    pub state: RecordingState,
    /// `thumbnailConfiguration`.
    pub thumbnail_configuration: Thumbnails,
    /// `recordingReconnectWindowSeconds`.
    pub recording_reconnect_window_seconds: i64,
    /// `renditionConfiguration`.
    pub rendition_configuration: Renditions,
    /// Lifecycle time of creation.
    #[serde(rename = "created_at")]
    pub created_at: f64,
}

/// `MediaTailorPlaybackConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaTailorPlayback {
    /// `playbackConfigurationArn`.
    pub playback_configuration_arn: Box<str>,
}

/// `PostRollConfiguration`, members as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostRoll {
    /// `enabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `durationSeconds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
}

/// An ad configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdConfiguration {
    /// `name`.
    pub name: Box<str>,
    /// `mediaTailorPlaybackConfigurations` (one to three).
    pub media_tailor_playback_configurations: Vec<MediaTailorPlayback>,
    /// `postRollConfiguration`.
    pub post_roll_configuration: PostRoll,
}

/// A failover slate configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailoverSlateConfiguration {
    /// `name`.
    pub name: Box<str>,
    /// `activationThresholdSeconds`.
    pub activation_threshold_seconds: i64,
    /// `minSlateDisplaySeconds`.
    pub min_slate_display_seconds: i64,
    /// `maxSlateDisplaySeconds`.
    pub max_slate_display_seconds: i64,
    /// `state` as stored (the view settles CREATING → CREATED on the clock).
    pub state: SlateState,
    /// Lifecycle time of creation.
    #[serde(rename = "created_at")]
    pub created_at: f64,
}
