//! Origin endpoints: Create/Get/List/Update/Delete, ResetOriginEndpointState; the rules AWS
//! checks between container type, manifests, segments and encryption; manifest URLs.

use super::arns::{channel_arn, endpoint_arn, Kind};
use super::channels::{host, without_reset_at};
use super::errors::{already_exists, invalid};
use super::filters;
use super::groups::{check_etag, listing, page_request, TAGS};
use super::model::{Channel, EndpointConfig, FilterConfiguration, OriginEndpoint};
use super::quotas;
use super::speke;
use super::MediaPackageV2;
use kit::input::{req_str, timestamp};
use kit::Stored;
use protocol::BodyRenderer;
use serde_json::{json, Value};
use service::{Output, RequestContext, ServiceError};
use std::sync::OnceLock;

/// The segment duration of an endpoint that sets none.
const DEFAULT_SEGMENT_SECONDS: i64 = 6;
/// The manifest window of a manifest that sets none.
const DEFAULT_MANIFEST_WINDOW: i64 = 60;

/// AWS's defaults for members a create leaves out.
fn with_defaults(mut c: EndpointConfig) -> EndpointConfig {
    let s = &mut c.segment;
    s.segment_duration_seconds
        .get_or_insert(DEFAULT_SEGMENT_SECONDS);
    s.segment_name.get_or_insert_with(|| "segment".into());
    s.ts_use_audio_rendition_group.get_or_insert(true);
    s.include_iframe_only_streams.get_or_insert(false);
    s.ts_include_dvb_subtitles.get_or_insert(false);
    for m in c
        .hls_manifests
        .iter_mut()
        .chain(c.low_latency_hls_manifests.iter_mut())
    {
        m.manifest_window_seconds
            .get_or_insert(DEFAULT_MANIFEST_WINDOW);
    }
    for m in &mut c.dash_manifests {
        m.manifest_window_seconds
            .get_or_insert(DEFAULT_MANIFEST_WINDOW);
        m.segment_template_format
            .get_or_insert_with(|| "NUMBER_WITH_TIMELINE".into());
    }
    for m in &mut c.mss_manifests {
        m.manifest_window_seconds
            .get_or_insert(DEFAULT_MANIFEST_WINDOW);
    }
    c
}

/// AWS's longest time delay of an endpoint without a startover window (24 hours).
const MAX_TIME_DELAY_WITHOUT_STARTOVER: i64 = 86_400;

/// The rules of a manifest's filter configuration on an endpoint whose startover window is
/// `startover` seconds.
fn check_filter(
    f: &Option<FilterConfiguration>,
    startover: Option<i64>,
) -> Result<(), ServiceError> {
    let Some(f) = f else { return Ok(()) };
    if let Some(filter) = &f.manifest_filter {
        filters::check_manifest_filter(filter)?;
    }
    if let Some(settings) = &f.drm_settings {
        filters::check_drm_settings(settings)?;
    }
    if let Some(delay) = f.time_delay_seconds {
        // AWS: smaller than the startover window; with none (or 0), at most 24 hours.
        match startover.filter(|&s| s > 0) {
            Some(window) if delay >= window => {
                return Err(invalid(
                    "INVALID_TIME_DELAY_SECONDS",
                    format!(
                        "The time delay ({delay} seconds) must be smaller than the endpoint's startover window ({window} seconds)"
                    ),
                ))
            }
            None if delay > MAX_TIME_DELAY_WITHOUT_STARTOVER => {
                return Err(invalid(
                    "INVALID_TIME_DELAY_SECONDS",
                    format!(
                        "The time delay ({delay} seconds) can be at most {MAX_TIME_DELAY_WITHOUT_STARTOVER} seconds (24 hours) on an endpoint without a startover window"
                    ),
                ))
            }
            _ => {}
        }
    }
    if let (Some(s), Some(e)) = (f.start, f.end) {
        if e <= s {
            return Err(invalid(
                "END_TIME_EARLIER_THAN_START_TIME",
                "The end time of the filter configuration must be later than its start time",
            ));
        }
    }
    if f.clip_start_time.is_some() && (f.start.is_some() || f.end.is_some()) {
        return Err(invalid(
            "CLIP_START_TIME_WITH_START_OR_END",
            "A clip start time can't be combined with a start or end time",
        ));
    }
    Ok(())
}

/// An HLS start tag's `TIME-OFFSET` against the manifest window and segment duration: if
/// positive, less than the window minus three segment durations; if negative, its absolute
/// value more than three segment durations and less than the window.
fn check_start_tag(offset: f64, window: i64, segment: i64) -> Result<(), ServiceError> {
    let (window, three) = (window as f64, 3.0 * segment as f64);
    let fits = if offset > 0.0 {
        offset < window - three
    } else if offset < 0.0 {
        -offset > three && -offset < window
    } else {
        true
    };
    if fits {
        return Ok(());
    }
    Err(invalid(
        "START_TAG_TIME_OFFSET_INVALID",
        format!(
            "The start tag's time offset {offset} is not valid for a {window}-second manifest window and {segment}-second segments: a positive offset must be less than the manifest window minus three segment durations, and a negative offset's absolute value must be larger than three segment durations and smaller than the manifest window"
        ),
    ))
}

/// The cross-member rules of an endpoint's configuration on `channel`.
pub(super) fn validate(c: &EndpointConfig, channel: &Channel) -> Result<(), ServiceError> {
    let container = c.container_type.as_str();
    match container {
        "TS" if !c.dash_manifests.is_empty() => {
            return Err(invalid(
                "TS_CONTAINER_TYPE_WITH_DASH_MANIFEST",
                "DASH manifests are not supported with the TS container type",
            ))
        }
        "TS" if !c.mss_manifests.is_empty() => {
            return Err(invalid(
                "TS_CONTAINER_TYPE_WITH_MSS_MANIFEST",
                "MSS manifests are not supported with the TS container type",
            ))
        }
        "CMAF" if !c.mss_manifests.is_empty() => {
            return Err(invalid(
                "CMAF_CONTAINER_TYPE_WITH_MSS_MANIFEST",
                "MSS manifests are not supported with the CMAF container type",
            ))
        }
        "ISM" if !c.hls_manifests.is_empty() => {
            return Err(invalid(
                "ISM_CONTAINER_TYPE_WITH_HLS_MANIFEST",
                "HLS manifests are not supported with the ISM container type",
            ))
        }
        "ISM" if !c.low_latency_hls_manifests.is_empty() => {
            return Err(invalid(
                "ISM_CONTAINER_TYPE_WITH_LL_HLS_MANIFEST",
                "Low-latency HLS manifests are not supported with the ISM container type",
            ))
        }
        "ISM" if !c.dash_manifests.is_empty() => {
            return Err(invalid(
                "ISM_CONTAINER_TYPE_WITH_DASH_MANIFEST",
                "DASH manifests are not supported with the ISM container type",
            ))
        }
        "ISM" if c.segment.scte.is_some() => {
            return Err(invalid(
                "ISM_CONTAINER_TYPE_WITH_SCTE",
                "SCTE settings are not supported with the ISM container type",
            ))
        }
        _ => {}
    }
    let mut names: Vec<&str> = c
        .hls_manifests
        .iter()
        .map(|m| m.manifest_name.as_str())
        .chain(
            c.low_latency_hls_manifests
                .iter()
                .map(|m| m.manifest_name.as_str()),
        )
        .chain(c.dash_manifests.iter().map(|m| m.manifest_name.as_str()))
        .chain(c.mss_manifests.iter().map(|m| m.manifest_name.as_str()))
        .collect();
    let total = names.len();
    names.sort_unstable();
    names.dedup();
    if names.len() != total {
        return Err(invalid(
            "MANIFEST_NAME_COLLISION",
            "Each manifest of an origin endpoint needs a unique manifest name",
        ));
    }
    if let Some(e) = &c.segment.encryption {
        let m = &e.encryption_method;
        let fits = match container {
            "TS" => {
                m.ts_encryption_method.is_some()
                    && m.cmaf_encryption_method.is_none()
                    && m.ism_encryption_method.is_none()
            }
            "CMAF" => {
                m.cmaf_encryption_method.is_some()
                    && m.ts_encryption_method.is_none()
                    && m.ism_encryption_method.is_none()
            }
            _ => {
                m.ism_encryption_method.is_some()
                    && m.ts_encryption_method.is_none()
                    && m.cmaf_encryption_method.is_none()
            }
        };
        if !fits {
            return Err(invalid(
                "ENCRYPTION_METHOD_CONTAINER_TYPE_MISMATCH",
                format!("The encryption method doesn't match the {container} container type"),
            ));
        }
        if container == "ISM" && e.key_rotation_interval_seconds.is_some() {
            return Err(invalid(
                "ISM_CONTAINER_WITH_KEY_ROTATION",
                "Key rotation is not supported with the ISM container type",
            ));
        }
        if e.cmaf_exclude_segment_drm_metadata.is_some() && container != "CMAF" {
            return Err(invalid(
                "CMAF_EXCLUDE_SEGMENT_DRM_METADATA_INCOMPATIBLE_CONTAINER_TYPE",
                "CmafExcludeSegmentDrmMetadata is only supported with the CMAF container type",
            ));
        }
        // CENC encrypts each sample with its own IV, so a constant IV has no place in it (the
        // model's CENC_IV_INCOMPATIBLE; the rule is read from the reason's name, the wording
        // is ours). That holds for ISM too, whose only method is CENC: "Key rotation and
        // constant IV (Initialization Vector) are not supported for MSS content"
        // (mss-encryption.html).
        if (m.cmaf_encryption_method.as_deref() == Some("CENC")
            || m.ism_encryption_method.as_deref() == Some("CENC"))
            && e.constant_initialization_vector.is_some()
        {
            return Err(invalid(
                "CENC_IV_INCOMPATIBLE",
                "A constant initialization vector can't be used with the CENC encryption method",
            ));
        }
        // Without an audio rendition group a TS segment carries audio and video together, so
        // it can't be encrypted with separate audio and video keys (the model's
        // ENCRYPTION_CONTRACT_WITHOUT_AUDIO_RENDITION_INCOMPATIBLE, read from its name; the
        // wording is ours). SHARED/SHARED is one key for both.
        let contract = &e.speke_key_provider.encryption_contract_configuration;
        if container == "TS"
            && c.segment.ts_use_audio_rendition_group == Some(false)
            && !(contract.preset_speke20_audio == "SHARED"
                && contract.preset_speke20_video == "SHARED")
        {
            return Err(invalid(
                "ENCRYPTION_CONTRACT_WITHOUT_AUDIO_RENDITION_INCOMPATIBLE",
                format!(
                    "The {} audio preset with the {} video preset encrypts audio and video with separate keys, which needs TsUseAudioRenditionGroup",
                    contract.preset_speke20_audio, contract.preset_speke20_video
                ),
            ));
        }
        speke::check(container, e)?;
    }
    // A DASH manifest's DrmSignaling says how it signals the DRM of encrypted segments; on an
    // endpoint without encryption there is none to signal (the model's
    // DRM_SIGNALING_MISMATCH_SEGMENT_ENCRYPTION_STATUS, read from its name; the wording is ours).
    if c.segment.encryption.is_none() {
        if let Some(d) = c.dash_manifests.iter().find(|d| d.drm_signaling.is_some()) {
            return Err(invalid(
                "DRM_SIGNALING_MISMATCH_SEGMENT_ENCRYPTION_STATUS",
                format!(
                    "The DASH manifest {} sets DrmSignaling, but the endpoint's segments are not encrypted",
                    d.manifest_name
                ),
            ));
        }
    }
    let segment_seconds = c
        .segment
        .segment_duration_seconds
        .unwrap_or(DEFAULT_SEGMENT_SECONDS);
    for d in &c.dash_manifests {
        check_filter(&d.filter_configuration, c.startover_window_seconds)?;
        if d.min_update_period_seconds
            .is_some_and(|p| p < segment_seconds)
        {
            return Err(invalid(
                "UPDATE_PERIOD_SMALLER_THAN_SEGMENT_DURATION",
                "The minimum update period must be at least the segment duration",
            ));
        }
        if let Some(t) = &d.period_triggers {
            if t.iter().any(|x| x == "NONE") && t.len() > 1 {
                return Err(invalid(
                    "PERIOD_TRIGGERS_NONE_SPECIFIED_WITH_ADDITIONAL_VALUES",
                    "The period trigger NONE can't be combined with other period triggers",
                ));
            }
        }
        let dvb = d
            .profiles
            .as_ref()
            .is_some_and(|p| p.iter().any(|x| x == "DVB_DASH"));
        if !dvb
            && (d.dvb_settings.is_some()
                || d.base_urls.as_ref().is_some_and(|b| {
                    b.iter().any(|u| {
                        u.dvb_priority.is_some()
                            || u.dvb_weight.is_some()
                            || u.service_location.is_some()
                    })
                }))
        {
            return Err(invalid(
                "DASH_DVB_ATTRIBUTES_WITHOUT_DVB_DASH_PROFILE",
                "DVB attributes need the DVB_DASH profile",
            ));
        }
        if let Some(u) = &d.utc_timing {
            match (u.timing_mode.as_deref(), u.timing_source.is_some()) {
                (Some("UTC_DIRECT"), true) => {
                    return Err(invalid(
                        "DIRECT_MODE_WITH_TIMING_SOURCE",
                        "A timing source can't be set with the UTC_DIRECT timing mode",
                    ))
                }
                (Some(m), false) if m.starts_with("HTTP_") => {
                    return Err(invalid(
                        "TIMING_SOURCE_MISSING",
                        format!("The {m} timing mode needs a timing source"),
                    ))
                }
                _ => {}
            }
        }
    }
    for m in c.hls_manifests.iter().chain(&c.low_latency_hls_manifests) {
        check_filter(&m.filter_configuration, c.startover_window_seconds)?;
        // "If you use DATERANGE, you must set a programDateTimeIntervalSeconds value of 1 or
        // higher" (the model's AdMarkerHls). The model names no reason of its own for it; a
        // member the rule requires is missing.
        if m.scte_hls
            .as_ref()
            .is_some_and(|s| s.ad_marker_hls.as_deref() == Some("DATERANGE"))
            && m.program_date_time_interval_seconds.is_none()
        {
            return Err(invalid(
                "MEMBER_MISSING",
                format!(
                    "The manifest {} uses DATERANGE ad markers, which need a programDateTimeIntervalSeconds value of 1 or higher",
                    m.manifest_name
                ),
            ));
        }
        if let Some(tag) = &m.start_tag {
            check_start_tag(
                tag.time_offset,
                m.manifest_window_seconds.unwrap_or(DEFAULT_MANIFEST_WINDOW),
                segment_seconds,
            )?;
        }
    }
    for m in &c.mss_manifests {
        check_filter(&m.filter_configuration, c.startover_window_seconds)?;
    }
    if c.force_endpoint_error_configuration
        .as_ref()
        .is_some_and(|f| !f.endpoint_error_conditions.is_empty())
        && channel.input_type != "CMAF"
    {
        return Err(invalid("ONLY_CMAF_INPUT_TYPE_ALLOW_FORCE_ENDPOINT_ERROR_CONFIGURATION",
            "Force endpoint error configuration is only available for channels with the CMAF input type"));
    }
    // The model's OutputLockingMode: NON_EPOCH_LOCKED "does not support cross-region
    // synchronization or failover", and ForceEndpointErrorConfiguration is "the failover
    // settings for the endpoint". A channel without the member is EPOCH_LOCKED (its default).
    if c.force_endpoint_error_configuration
        .as_ref()
        .is_some_and(|f| !f.endpoint_error_conditions.is_empty())
        && channel.output_locking_mode.as_deref() == Some("NON_EPOCH_LOCKED")
    {
        return Err(invalid("NON_EPOCH_LOCKED_WITH_FORCE_ENDPOINT_ERROR_CONFIGURATION",
            "Force endpoint error configuration is not available for channels with the NON_EPOCH_LOCKED output locking mode"));
    }
    // The model's Segment.OutputTimestampMode: "only configurable on channels with
    // OutputLockingMode set to NON_EPOCH_LOCKED".
    if c.segment.output_timestamp_mode.is_some()
        && channel.output_locking_mode.as_deref() != Some("NON_EPOCH_LOCKED")
    {
        return Err(invalid(
            "ONLY_NON_EPOCH_LOCKED_ALLOW_OUTPUT_TIMESTAMP_MODE",
            "An output timestamp mode is only available for channels with the NON_EPOCH_LOCKED output locking mode",
        ));
    }
    if c.stream_name_output_mode.is_some() && channel.input_type != "HLS" {
        return Err(invalid(
            "ONLY_HLS_INPUT_TYPE_ALLOW_STREAM_NAME_OUTPUT_MODE",
            "A stream name output mode is only available for channels with the HLS input type",
        ));
    }
    Ok(())
}

/// A member UpdateOriginEndpoint may repeat but not change, on the channels that take it.
struct Fixed {
    /// How the message names it.
    what: &'static str,
    /// Its `ValidationExceptionType` when changed.
    reason: &'static str,
    /// Its value on an endpoint created without it.
    default: &'static str,
}

/// `StreamNameOutputMode`: "If you provide a value, it must match the current value. You
/// can't change the stream name output mode after you create the endpoint" (the model); on a
/// channel of another input type than HLS [`validate`] refuses the member itself
/// (`ONLY_HLS_INPUT_TYPE_ALLOW_STREAM_NAME_OUTPUT_MODE`).
const STREAM_NAME_OUTPUT_MODE: Fixed = Fixed {
    what: "stream name output mode",
    reason: "STREAM_NAME_OUTPUT_MODE_IMMUTABLE",
    default: "INDEX",
};

/// `Segment.OutputTimestampMode`: "This value is immutable after endpoint creation" (the
/// model); on a channel that is not NON_EPOCH_LOCKED [`validate`] refuses the member itself.
const OUTPUT_TIMESTAMP_MODE: Fixed = Fixed {
    what: "output timestamp mode",
    reason: "OUTPUT_TIMESTAMP_MODE_IMMUTABLE",
    default: "PASSTHROUGH",
};

/// An update's value of a [`Fixed`] member: left out, it keeps the `current` value; given on
/// a channel that takes the member (`applies`), it must be the current value (the default's
/// for an endpoint created without one).
fn keep_fixed(
    member: &Fixed,
    current: Option<&str>,
    update: &mut Option<String>,
    applies: bool,
) -> Result<(), ServiceError> {
    let now = current.unwrap_or(member.default);
    match update {
        None => *update = current.map(str::to_string),
        Some(wanted) if applies && wanted != now => {
            return Err(invalid(
                member.reason,
                format!(
                    "The {} of an origin endpoint can't be changed: it is {now}, not {wanted}",
                    member.what
                ),
            ));
        }
        Some(_) => {}
    }
    Ok(())
}

/// The earliest fixed DASH availability start time: 2024-01-01T00:00:00Z.
const EARLIEST_AVAILABILITY_START: f64 = 1_704_067_200.0;
/// How long before now a fixed DASH availability start time must be, at least (14 days).
const AVAILABILITY_START_AGE: f64 = 14.0 * 86_400.0;

/// `DashAvailabilityStartTimeConfiguration.FixedAvailabilityStartTime`: "The value must have
/// hourly granularity, meaning that the minutes, seconds, and fractional seconds must be zero.
/// The value must be on or after 2024-01-01T00:00:00Z and must be at least 14 days before the
/// current time" (the model; it names no reason of its own, so the reason is `MEMBER_INVALID`).
fn check_availability_start(c: &EndpointConfig, now: f64) -> Result<(), ServiceError> {
    let fixed = c.dash_manifests.iter().filter_map(|d| {
        d.availability_start_time_configuration
            .as_ref()
            .and_then(|a| a.fixed_availability_start_time)
    });
    for t in fixed {
        let why = if t.fract() != 0.0 || t.rem_euclid(3600.0) != 0.0 {
            "must be on the hour (no minutes, seconds or fractional seconds)"
        } else if t < EARLIEST_AVAILABILITY_START {
            "must be on or after 2024-01-01T00:00:00Z"
        } else if t > now - AVAILABILITY_START_AGE {
            "must be at least 14 days before the current time"
        } else {
            continue;
        };
        return Err(invalid(
            "MEMBER_INVALID",
            format!("The DASH manifest's FixedAvailabilityStartTime {why}"),
        ));
    }
    Ok(())
}

/// The SPEKE key provider's content key encryption certificate: "You must provide a
/// certificate stored in AWS Certificate Manager (ACM) in the same Region and Account that you
/// run MediaPackage" (User Guide, drm-content-key-encryption.html); the model's reason for a
/// certificate of another Region is `RESOURCE_NOT_IN_SAME_REGION`. (ACM is not emulated: the
/// certificate's existence and status are not checked.)
fn check_certificate_region(c: &EndpointConfig, region: &str) -> Result<(), ServiceError> {
    let arn = c
        .segment
        .encryption
        .as_ref()
        .and_then(|e| e.speke_key_provider.certificate_arn.as_deref());
    if let Some(arn) = arn.filter(|a| crate::certificates::in_other_region(a, region)) {
        return Err(invalid(
            "RESOURCE_NOT_IN_SAME_REGION",
            format!("The certificate {arn} must be in the origin endpoint's Region ({region})"),
        ));
    }
    Ok(())
}

/// The egress URL of a manifest: `http://HOST/out/v1/ACCOUNT/REGION/G/C/E/NAME.EXT`.
pub(super) fn manifest_url(
    ctx: &RequestContext,
    arn: &str,
    e: &OriginEndpoint,
    file: &str,
) -> String {
    let (region, account) = kit::arn_scope(arn).unwrap_or(("", ""));
    format!(
        "http://{}/out/v1/{account}/{region}/{}/{}/{}/{file}",
        host(ctx),
        e.group,
        e.channel,
        e.name
    )
}

/// The API view of an endpoint (Create/Get/Update output).
pub(super) fn view(ctx: &RequestContext, arn: &str, e: &Stored<OriginEndpoint>) -> Value {
    let v = &e.value;
    let mut out = serde_json::to_value(&v.config).unwrap_or_else(|_| json!({}));
    let with_url = |list: &mut Value, ext: &str| {
        if let Some(items) = list.as_array_mut() {
            for m in items {
                let name = m["ManifestName"].as_str().unwrap_or_default().to_string();
                m["Url"] = json!(manifest_url(ctx, arn, v, &format!("{name}{ext}")));
            }
        }
    };
    let m = out.as_object_mut().expect("object");
    if let Some(l) = m.get_mut("HlsManifests") {
        with_url(l, ".m3u8");
    }
    if let Some(l) = m.get_mut("LowLatencyHlsManifests") {
        with_url(l, ".m3u8");
    }
    if let Some(l) = m.get_mut("DashManifests") {
        with_url(l, ".mpd");
    }
    if let Some(l) = m.get_mut("MssManifests") {
        with_url(l, ".ism/Manifest");
    }
    for (k, val) in [
        ("Arn", json!(arn)),
        ("ChannelGroupName", json!(v.group)),
        ("ChannelName", json!(v.channel)),
        ("OriginEndpointName", json!(v.name)),
        ("CreatedAt", timestamp(v.created_at)),
        ("ModifiedAt", timestamp(v.modified_at)),
        ("ETag", json!(v.etag)),
        ("Tags", kit::tags_to_map(&e.tags)),
    ] {
        m.insert(k.into(), val);
    }
    if let Some(t) = v.reset_at {
        m.insert("ResetAt".into(), timestamp(t));
    }
    out
}

impl MediaPackageV2 {
    fn endpoint_arn_of(&self, ctx: &RequestContext, input: &Value) -> Result<String, ServiceError> {
        Ok(endpoint_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
            req_str(input, "OriginEndpointName")?,
        ))
    }

    fn config_of(input: &Value) -> Result<EndpointConfig, ServiceError> {
        // Multiview filters need a MULTIVIEW channel, which mediamock does not emulate.
        let lists = [
            "HlsManifests",
            "LowLatencyHlsManifests",
            "DashManifests",
            "MssManifests",
        ];
        if lists.iter().any(|l| {
            input[l].as_array().is_some_and(|ms| {
                ms.iter()
                    .any(|m| m["FilterConfiguration"].get("Multiview").is_some())
            })
        }) {
            return Err(invalid("MULTIVIEW_FILTER_CONFIGURATION_NOT_ALLOWED",
                "A multiview filter configuration is only allowed on endpoints of channels with the MULTIVIEW input type"));
        }
        let mut body = input.clone();
        if let Some(m) = body.as_object_mut() {
            for k in [
                "ChannelGroupName",
                "ChannelName",
                "OriginEndpointName",
                "ClientToken",
                "ETag",
                "Tags",
            ] {
                m.remove(k);
            }
        }
        serde_json::from_value(body).map_err(|e| {
            invalid(
                "MEMBER_INVALID",
                format!("The origin endpoint configuration is not valid: {e}"),
            )
        })
    }

    pub(super) fn create_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let (g, c) = (
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
        );
        let name = req_str(input, "OriginEndpointName")?;
        let tags = TAGS.read(input, "Tags")?;
        let config = with_defaults(Self::config_of(input)?);
        let arn = self.endpoint_arn_of(ctx, input)?;
        let now = self.runtime.clock.now();
        self.idempotent(ctx, "CreateOriginEndpoint", input, |state| {
            let carn = channel_arn(&ctx.region, ctx.account(), g, c);
            let channel = state
                .channels
                .get_in(ctx, &carn)
                .ok_or_else(|| state.missing(ctx, &carn, Kind::Channel))?;
            validate(&config, &channel.value)?;
            check_availability_start(&config, now)?;
            check_certificate_region(&config, &ctx.region)?;
            quotas::admit_manifests(&self.runtime, &config)?;
            if state.endpoints.get_in(ctx, &arn).is_some() {
                return Err(already_exists(Kind::Endpoint));
            }
            let count = state
                .endpoints
                .iter_in(ctx)
                .filter(|(_, e)| e.group == g && e.channel == c)
                .count();
            quotas::ENDPOINTS_PER_CHANNEL
                .admit(&self.runtime, count, 1)
                .map_err(quotas::exceeded)?;
            let e = OriginEndpoint {
                group: g.into(),
                channel: c.into(),
                name: name.into(),
                config,
                created_at: now,
                modified_at: now,
                reset_at: None,
                etag: self.etag(),
                cdn_auth: None,
            };
            let stored = Stored::new(e, tags);
            let out = view(ctx, &arn, &stored);
            state.endpoints.put(&ctx.journal, &arn, stored);
            Ok(out)
        })
    }

    pub(super) fn get_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.endpoint_arn_of(ctx, input)?;
        let state = self.state.read();
        let e = state.endpoint(ctx, &arn)?;
        Ok(view(ctx, &arn, e))
    }

    /// GetOriginEndpoint as the server answers it: the body rendered once per state of the
    /// endpoint store and per host its manifest URLs name, and copied from then on.
    pub(super) fn get_origin_endpoint_rendered(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Output, ServiceError> {
        static BODY: OnceLock<Option<BodyRenderer<'static>>> = OnceLock::new();
        let renderer = kit::model_renderer(&BODY, "mediapackagev2", |m| {
            m.body_renderer("GetOriginEndpoint")
        });
        let Some(renderer) = renderer else {
            return self.get_origin_endpoint(ctx, input).map(Output::from);
        };
        let arn = self.endpoint_arn_of(ctx, input)?;
        let state = self.state.read();
        let e = state.endpoint(ctx, &arn)?;
        let generation = state.endpoints.generation();
        let body = self.views.view(generation, &arn, host(ctx), || {
            renderer.render(&view(ctx, &arn, e))
        });
        Ok(Output::rendered_body(body))
    }

    pub(super) fn list_origin_endpoints(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let carn = channel_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
        );
        let page = page_request(self, ctx, "ListOriginEndpoints", input, &carn)?;
        let state = self.state.read();
        state
            .channels
            .get_in(ctx, &carn)
            .ok_or_else(|| state.missing(ctx, &carn, Kind::Channel))?;
        let prefix = format!("{carn}/originEndpoint/");
        let found = state
            .endpoints
            .page(ctx, &self.runtime.token_key, &page, |arn, _| {
                arn.starts_with(&prefix)
            });
        let items = found
            .items
            .iter()
            .map(|(arn, e)| {
                let mut full = view(ctx, arn, e);
                let m = full.as_object_mut().expect("object");
                let mut item = serde_json::Map::new();
                for k in [
                    "Arn",
                    "ChannelGroupName",
                    "ChannelName",
                    "OriginEndpointName",
                    "ContainerType",
                    "Description",
                    "CreatedAt",
                    "ModifiedAt",
                    "ForceEndpointErrorConfiguration",
                    "UriSeparator",
                    "StreamNameOutputMode",
                ] {
                    if let Some(v) = m.remove(k) {
                        item.insert(k.into(), v);
                    }
                }
                // Listings name each manifest, its child manifest and its URL only.
                for k in [
                    "HlsManifests",
                    "LowLatencyHlsManifests",
                    "DashManifests",
                    "MssManifests",
                ] {
                    if let Some(Value::Array(list)) = m.remove(k) {
                        let short: Vec<Value> = list
                            .iter()
                            .map(|x| {
                                let mut short =
                                    json!({"ManifestName": x["ManifestName"], "Url": x["Url"]});
                                if let Some(child) = x.get("ChildManifestName") {
                                    short["ChildManifestName"] = child.clone();
                                }
                                short
                            })
                            .collect();
                        item.insert(k.into(), Value::from(short));
                    }
                }
                Value::Object(item)
            })
            .collect();
        Ok(listing(&page, items, found.next))
    }

    pub(super) fn update_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.endpoint_arn_of(ctx, input)?;
        let config = Self::config_of(input)?;
        let carn = channel_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
        );
        let now = self.runtime.clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        let channel = state
            .channels
            .get_in(ctx, &carn)
            .map(|c| c.value.clone())
            .ok_or_else(|| state.missing(ctx, &carn, Kind::Channel))?;
        state
            .endpoints
            .update(ctx, &arn, |e| {
                check_etag(input, &e.value.etag)?;
                if e.value.config.container_type != config.container_type {
                    return Err(invalid(
                        "CONTAINER_TYPE_IMMUTABLE",
                        "The container type of an origin endpoint can't be changed",
                    ));
                }
                let mut config = with_defaults(config);
                let was = &e.value.config;
                // UpdateOriginEndpointRequest.UriSeparator: "If you don't specify a value in
                // the update request, the current value is preserved" (the model).
                if config.uri_separator.is_none() {
                    config.uri_separator.clone_from(&was.uri_separator);
                }
                keep_fixed(
                    &STREAM_NAME_OUTPUT_MODE,
                    was.stream_name_output_mode.as_deref(),
                    &mut config.stream_name_output_mode,
                    channel.input_type == "HLS",
                )?;
                keep_fixed(
                    &OUTPUT_TIMESTAMP_MODE,
                    was.segment.output_timestamp_mode.as_deref(),
                    &mut config.segment.output_timestamp_mode,
                    channel.output_locking_mode.as_deref() == Some("NON_EPOCH_LOCKED"),
                )?;
                validate(&config, &channel)?;
                check_availability_start(&config, now)?;
                check_certificate_region(&config, &ctx.region)?;
                quotas::admit_manifests(&self.runtime, &config)?;
                e.value.config = config;
                e.value.modified_at = now;
                e.value.etag = etag;
                Ok(without_reset_at(view(ctx, &arn, e)))
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Endpoint)))
    }

    pub(super) fn delete_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.endpoint_arn_of(ctx, input)?;
        // Idempotent as the other deletes (the model lists no ResourceNotFoundException).
        let mut state = self.state.write();
        state.endpoints.remove(&ctx.journal, &arn);
        Ok(json!({}))
    }

    pub(super) fn reset_origin_endpoint_state(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.endpoint_arn_of(ctx, input)?;
        let now = self.runtime.clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        state
            .endpoints
            .update(ctx, &arn, |e| {
                e.value.reset_at = Some(now);
                e.value.etag = etag;
                Ok(
                    json!({"ChannelGroupName": e.value.group, "ChannelName": e.value.channel,
                "OriginEndpointName": e.value.name, "Arn": arn, "ResetAt": timestamp(now)}),
                )
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Endpoint)))
    }
}
