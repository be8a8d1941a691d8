//! v1 origin endpoints: exactly one package (HLS, DASH, CMAF or MSS), validated; `Url` per
//! package pointing at this server.

use super::model::{
    Authorization, EncryptionContractConfiguration, EndpointConfig, OriginEndpoint, Package,
    StreamSelection,
};
use super::quotas;
use super::{arn, check_id, host, listing, not_found, unprocessable, MediaPackage, TAGS};
use crate::secrets::{check_secret_arn, SecretArnProblem};
use kit::input::{opt_str, req_str, timestamp};
use kit::Stored;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// Which package an endpoint has.
fn package_kind(c: &EndpointConfig) -> Result<&'static str, ServiceError> {
    let kinds: Vec<&str> = [
        ("HLS", c.hls_package.is_some()),
        ("DASH", c.dash_package.is_some()),
        ("CMAF", c.cmaf_package.is_some()),
        ("MSS", c.mss_package.is_some()),
    ]
    .into_iter()
    .filter(|(_, has)| *has)
    .map(|(k, _)| k)
    .collect();
    match kinds.as_slice() {
        [one] => Ok(one),
        [] => Err(unprocessable("An origin endpoint needs one package: hlsPackage, dashPackage, cmafPackage or mssPackage")),
        _ => Err(unprocessable(format!("An origin endpoint can have only one package, not {}", kinds.join(" and ")))),
    }
}

/// AWS's defaults for members a create leaves out, as AWS's answers show them (the AWS CLI's
/// `list-origin-endpoints` and `describe-origin-endpoint` examples), on an endpoint of channel
/// `channel_id`.
fn with_defaults(mut c: EndpointConfig, channel_id: &str) -> EndpointConfig {
    let defaults = |p: &mut Package, segment: i64, window: Option<i64>| {
        p.segment_duration_seconds.get_or_insert(segment);
        if let Some(w) = window {
            p.manifest_window_seconds.get_or_insert(w);
        }
    };
    // Every rendition, in the order the input has them.
    let all_streams = |s: &mut Option<StreamSelection>| {
        let s = s.get_or_insert_with(StreamSelection::default);
        s.max_video_bits_per_second.get_or_insert(2_147_483_647);
        s.min_video_bits_per_second.get_or_insert(0);
        s.stream_order.get_or_insert_with(|| "ORIGINAL".into());
    };
    // An HLS playlist's, in an HLS package or a CMAF package's HLS manifest (two types with
    // these members alike).
    macro_rules! playlist_defaults {
        ($p:expr) => {{
            $p.playlist_window_seconds.get_or_insert(60);
            $p.ad_markers.get_or_insert_with(|| "NONE".into());
            $p.include_iframe_only_stream.get_or_insert(false);
            $p.playlist_type.get_or_insert_with(|| "EVENT".into());
            $p.program_date_time_interval_seconds.get_or_insert(0);
        }};
    }
    if let Some(p) = &mut c.hls_package {
        p.segment_duration_seconds.get_or_insert(6);
        playlist_defaults!(p);
        p.use_audio_rendition_group.get_or_insert(false);
        all_streams(&mut p.stream_selection);
    }
    if let Some(p) = &mut c.dash_package {
        defaults(p, 2, Some(60));
        p.min_buffer_time_seconds.get_or_insert(30);
        p.min_update_period_seconds.get_or_insert(15);
        p.suggested_presentation_delay_seconds.get_or_insert(25);
        p.profile.get_or_insert_with(|| "NONE".into());
        p.manifest_layout.get_or_insert_with(|| "FULL".into());
        p.period_triggers.get_or_insert_with(Vec::new);
        p.segment_template_format
            .get_or_insert_with(|| "NUMBER_WITH_TIMELINE".into());
        all_streams(&mut p.stream_selection);
    }
    if let Some(p) = &mut c.mss_package {
        defaults(p, 2, Some(60));
    }
    if let Some(p) = &mut c.cmaf_package {
        defaults(p, 6, None);
        // "If not specified, it defaults to the ChannelId" (the model's
        // CmafPackageCreateOrUpdateParameters.SegmentPrefix; the only package member the model
        // defaults so).
        p.segment_prefix.get_or_insert_with(|| channel_id.into());
        for m in p.hls_manifests.iter_mut().flatten() {
            playlist_defaults!(m);
        }
    }
    c.manifest_name.get_or_insert_with(|| "index".into());
    c.origination.get_or_insert_with(|| "ALLOW".into());
    c.startover_window_seconds.get_or_insert(0);
    c.time_delay_seconds.get_or_insert(0);
    c.whitelist.get_or_insert_with(Vec::new);
    c
}

/// The segment duration of a DASH package whose template is NUMBER_WITH_DURATION (fixed once
/// the endpoint exists), if `c` has one; v1's enums ignore letter case.
fn number_with_duration_segments(c: &EndpointConfig) -> Option<i64> {
    let p = c.dash_package.as_ref()?;
    let template = p.segment_template_format.as_deref()?;
    template
        .eq_ignore_ascii_case("NUMBER_WITH_DURATION")
        .then_some(p.segment_duration_seconds)
        .flatten()
}

fn is_cidr(s: &str) -> bool {
    let (ip, bits) = s.split_once('/').unwrap_or((s, "32"));
    let v4 = ip.parse::<std::net::Ipv4Addr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 32);
    let v6 = ip.parse::<std::net::Ipv6Addr>().is_ok() && bits.parse::<u8>().is_ok_and(|b| b <= 128);
    v4 || v6
}

/// CDN authorization's secret and role: the model's "The Amazon Resource Name (ARN) for the
/// secret in Secrets Manager" and "The Amazon Resource Name (ARN) for the IAM role", and "The
/// secret must use the same AWS account and Region settings as your MediaPackage resources"
/// (the User Guide's cdn-auth-setup.html). The wording is ours, v2's where v2 has one.
fn check_authorization(ctx: &RequestContext, a: &Authorization) -> Result<(), ServiceError> {
    let secret = &a.cdn_identifier_secret;
    match check_secret_arn(secret, &ctx.region, ctx.account()) {
        Ok(()) => {}
        Err(SecretArnProblem::Malformed) => return Err(unprocessable(format!(
            "The secret ARN {secret} is not valid. Valid format: arn:aws:secretsmanager:{{region}}:{{accountID}}:secret:{{name}}"
        ))),
        Err(SecretArnProblem::OtherRegion) => return Err(unprocessable(format!(
            "The secret {secret} must be in the origin endpoint's Region ({})",
            ctx.region
        ))),
        Err(SecretArnProblem::OtherAccount) => return Err(unprocessable(format!(
            "The secret {secret} must belong to the origin endpoint's account"
        ))),
    }
    if !service::is_role_arn(&a.secrets_role_arn) {
        return Err(unprocessable(format!(
            "The secrets role ARN {} is not valid. Valid format: arn:aws:iam::{{accountID}}:role/{{name}}",
            a.secrets_role_arn
        )));
    }
    Ok(())
}

/// The key rotation interval of an encryption that names none: "By default, rotation is set to
/// 60 seconds" (CloudFormation's AWS::MediaPackage::OriginEndpoint HlsEncryption,
/// DashEncryption and CmafEncryption).
const DEFAULT_KEY_ROTATION_SECONDS: i64 = 60;

fn validate(ctx: &RequestContext, c: &EndpointConfig) -> Result<(), ServiceError> {
    let kind = package_kind(c)?;
    // "The minimum time is 5 seconds. The maximum time is 86,400 seconds (24 hours)."
    // (endpoints-hls-new.html); 0, what AWS answers for an endpoint created without one, is
    // no delay ("If not specified, there will be no time delay", the model).
    let delay = c.time_delay_seconds.unwrap_or(0);
    if delay != 0 && !(5..=86400).contains(&delay) {
        return Err(unprocessable(
            "timeDelaySeconds must be 0 (no delay) or between 5 and 86400",
        ));
    }
    let window = c.startover_window_seconds.unwrap_or(0);
    if !(0..=1_209_600).contains(&window) {
        return Err(unprocessable(
            "startoverWindowSeconds must be between 0 and 1209600",
        ));
    }
    // "When you use time delay in conjunction with a startover window, the time delay
    // duration must be less than the startover window duration."
    if delay > 0 && window > 0 && delay >= window {
        return Err(unprocessable(format!(
            "timeDelaySeconds ({delay}) must be less than startoverWindowSeconds ({window})"
        )));
    }
    for w in c.whitelist.iter().flatten() {
        if !is_cidr(w) {
            return Err(unprocessable(format!(
                "Whitelist entry {w} is not a valid IP address or CIDR block"
            )));
        }
    }
    if let Some(a) = &c.authorization {
        check_authorization(ctx, a)?;
    }
    let package = c
        .hls_package
        .as_ref()
        .or(c.dash_package.as_ref())
        .or(c.cmaf_package.as_ref())
        .or(c.mss_package.as_ref());
    if let Some(p) = package {
        if p.segment_duration_seconds
            .is_some_and(|s| !(1..=30).contains(&s))
        {
            return Err(unprocessable(
                "segmentDurationSeconds must be between 1 and 30",
            ));
        }
        if kind == "DASH" {
            if let (Some(u), Some(s)) = (p.min_update_period_seconds, p.segment_duration_seconds) {
                if u < s {
                    return Err(unprocessable(
                        "minUpdatePeriodSeconds must be at least segmentDurationSeconds",
                    ));
                }
            }
            if p.utc_timing.as_deref().is_some_and(|t| t != "NONE") && p.utc_timing_uri.is_none() {
                return Err(unprocessable(
                    "utcTimingUri is required when utcTiming is not NONE",
                ));
            }
            // "If you enable the Hybridcast profile ..., you can't use DASH Period triggers"
            // (endpoints-dash-packager.html). v1's enums ignore letter case.
            let hybridcast = p
                .profile
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case("HYBRIDCAST"));
            if hybridcast && p.period_triggers.as_ref().is_some_and(|t| !t.is_empty()) {
                return Err(unprocessable(
                    "periodTriggers can't be used with the HYBRIDCAST profile",
                ));
            }
        }
        // "DATERANGE inserts EXT-X-DATERANGE tags ... For this option, you must set a
        // programDateTimeIntervalSeconds value that is greater than 0" (the model's AdMarkers,
        // on an HLS package and on a CMAF package's HLS manifest alike).
        let daterange_without_pdt = |ad_markers: &Option<String>, pdt: Option<i64>| {
            ad_markers.as_deref() == Some("DATERANGE") && pdt.unwrap_or(0) <= 0
        };
        if daterange_without_pdt(&p.ad_markers, p.program_date_time_interval_seconds)
            || p.hls_manifests
                .iter()
                .flatten()
                .any(|m| daterange_without_pdt(&m.ad_markers, m.program_date_time_interval_seconds))
        {
            return Err(unprocessable(
                "programDateTimeIntervalSeconds must be greater than 0 when adMarkers is DATERANGE",
            ));
        }
        if let Some(manifests) = &p.hls_manifests {
            let mut ids: Vec<&str> = manifests.iter().map(|m| m.id.as_str()).collect();
            ids.sort_unstable();
            let total = ids.len();
            ids.dedup();
            if ids.len() != total {
                return Err(unprocessable(
                    "Each HLS manifest of a CMAF package needs a unique id",
                ));
            }
        }
        if let Some(e) = &p.encryption {
            if kind == "CMAF"
                && e.encryption_method
                    .as_deref()
                    .is_some_and(|m| m != "SAMPLE_AES" && m != "AES_CTR")
            {
                return Err(unprocessable(
                    "A CMAF package's encryptionMethod must be SAMPLE_AES or AES_CTR",
                ));
            }
            // The model's CmafEncryption.ConstantInitializationVector: "An optional 128-bit,
            // 16-byte hex value represented by a 32-character string".
            let is_iv = |iv: &str| iv.len() == 32 && iv.bytes().all(|b| b.is_ascii_hexdigit());
            if kind == "CMAF" {
                if let Some(iv) = e.constant_initialization_vector.as_deref() {
                    if !is_iv(iv) {
                        return Err(unprocessable(format!(
                            "constantInitializationVector {iv} is not a 32-character hex string (128 bits)"
                        )));
                    }
                }
            }
            // drm-content-key-encryption.html: "You must import a suitable certificate into
            // AWS Certificate Manager (ACM) in the same Region that you run MediaPackage".
            if let Some(arn) = e
                .speke_key_provider
                .certificate_arn
                .as_deref()
                .filter(|a| crate::certificates::in_other_region(a, &ctx.region))
            {
                return Err(unprocessable(format!(
                    "The certificate {arn} must be in the origin endpoint's Region ({})",
                    ctx.region
                )));
            }
            if e.speke_key_provider.system_ids.is_empty() {
                return Err(unprocessable(
                    "spekeKeyProvider.systemIds needs at least one DRM system ID",
                ));
            }
            // The model's EncryptionContractConfiguration: "can be used for DASH or CMAF
            // endpoints that use SPEKE 2.0" and "You must disable key rotation for this
            // endpoint by setting keyRotationIntervalSeconds to 0". An omitted interval is
            // AWS's default, rotation every 60 seconds ("By default, rotation is set to 60
            // seconds. Set to 0 to disable key rotation", CloudFormation's
            // AWS::MediaPackage::OriginEndpoint DashEncryption/CmafEncryption), so it does not
            // disable rotation either.
            if let Some(contract) = &e.speke_key_provider.encryption_contract_configuration {
                check_presets(contract)?;
                if kind != "DASH" && kind != "CMAF" {
                    return Err(unprocessable(format!(
                        "encryptionContractConfiguration can be used only for DASH or CMAF endpoints, not {kind}"
                    )));
                }
                if e.key_rotation_interval_seconds
                    .unwrap_or(DEFAULT_KEY_ROTATION_SECONDS)
                    != 0
                {
                    return Err(unprocessable(
                        "keyRotationIntervalSeconds must be 0 when encryptionContractConfiguration is set",
                    ));
                }
            }
        }
    }
    Ok(())
}

/// SPEKE 2.0 presets go together as CloudFormation's AWS::MediaPackage::OriginEndpoint
/// EncryptionContractConfiguration says: "You cannot combine an UNENCRYPTED preset with
/// UNENCRYPTED or SHARED presets across presetSpeke20Audio and presetSpeke20Video" and "When
/// you use a SHARED preset, you must use it for both presetSpeke20Audio and
/// presetSpeke20Video". The wording of the refusal is ours.
fn check_presets(c: &EncryptionContractConfiguration) -> Result<(), ServiceError> {
    let (audio, video) = (
        c.preset_speke20_audio.as_str(),
        c.preset_speke20_video.as_str(),
    );
    let unencrypted = audio == "UNENCRYPTED" || video == "UNENCRYPTED";
    let shared = audio == "SHARED" || video == "SHARED";
    if (audio == "UNENCRYPTED" && video == "UNENCRYPTED") || (unencrypted && shared) {
        return Err(unprocessable(format!(
            "encryptionContractConfiguration can't combine presetSpeke20Audio {audio} with presetSpeke20Video {video}: an UNENCRYPTED preset can't go with an UNENCRYPTED or SHARED one"
        )));
    }
    if shared && audio != video {
        return Err(unprocessable(format!(
            "encryptionContractConfiguration can't combine presetSpeke20Audio {audio} with presetSpeke20Video {video}: a SHARED preset must be used for both audio and video"
        )));
    }
    Ok(())
}

fn view(ctx: &RequestContext, arn: &str, e: &Stored<OriginEndpoint>) -> Value {
    let v = &e.value;
    let c = &v.config;
    let base = format!("http://{}/out/v1/{}", host(ctx), v.internal);
    let name = c.manifest_file();
    // A CMAF endpoint's URLs are its manifests' (AWS answers an empty `Url`).
    let url = if c.cmaf_package.is_some() {
        String::new()
    } else if c.dash_package.is_some() {
        format!("{base}/{name}.mpd")
    } else if c.mss_package.is_some() {
        format!("{base}/{name}.ism/Manifest")
    } else {
        format!("{base}/{name}.m3u8")
    };
    let mut out = serde_json::to_value(c).unwrap_or_else(|_| json!({}));
    if let Some(list) = out
        .pointer_mut("/CmafPackage/HlsManifests")
        .and_then(Value::as_array_mut)
    {
        // `BASE/ID/NAME.m3u8`, as AWS's answers show.
        for (m, typed) in list.iter_mut().zip(c.cmaf_hls_manifests()) {
            let url = format!("{base}/{}/{}.m3u8", typed.id, typed.file_name(name));
            m["Url"] = json!(url);
        }
    }
    let m = out.as_object_mut().expect("object");
    for (k, val) in [
        ("Arn", json!(arn)),
        ("Id", json!(v.id)),
        ("ChannelId", json!(v.channel_id)),
        ("CreatedAt", timestamp(v.created_at)),
        ("Url", json!(url)),
        ("Tags", kit::tags_to_map(&e.tags)),
    ] {
        m.insert(k.into(), val);
    }
    out
}

fn config_of(input: &Value) -> Result<EndpointConfig, ServiceError> {
    let mut body = input.clone();
    if let Some(m) = body.as_object_mut() {
        for k in ["Id", "ChannelId", "Tags"] {
            m.remove(k);
        }
    }
    serde_json::from_value(body)
        .map_err(|e| unprocessable(format!("The origin endpoint is not valid: {e}")))
}

impl MediaPackage {
    fn endpoint_arn(&self, ctx: &RequestContext, id: &str) -> Result<String, ServiceError> {
        self.state
            .read()
            .ids
            .get("origin_endpoints", ctx, id)
            .ok_or_else(|| not_found("OriginEndpoint", id))
    }

    pub(super) fn create_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        check_id(id)?;
        let channel_id = req_str(input, "ChannelId")?;
        let tags = TAGS.read(input, "Tags")?;
        let config = with_defaults(config_of(input)?, channel_id);
        validate(ctx, &config)?;
        let mut state = self.state.write();
        if state.ids.get("channels", ctx, channel_id).is_none() {
            return Err(unprocessable(format!(
                "Channel {channel_id} does not exist"
            )));
        }
        if state.ids.get("origin_endpoints", ctx, id).is_some() {
            return Err(unprocessable(format!(
                "Origin endpoint already exists with id {id}"
            )));
        }
        let count = state
            .endpoints
            .iter_in(ctx)
            .filter(|(_, e)| e.channel_id == channel_id)
            .count();
        quotas::ENDPOINTS_PER_CHANNEL
            .admit(&self.runtime, count, 1)
            .map_err(quotas::exceeded)?;
        let internal = super::new_internal_id(&self.runtime);
        let e = OriginEndpoint {
            id: id.into(),
            internal: internal.clone(),
            channel_id: channel_id.into(),
            config,
            created_at: self.runtime.clock.now(),
        };
        let arn = arn(ctx, "origin_endpoints", &internal);
        let stored = Stored::new(e, tags);
        let out = view(ctx, &arn, &stored);
        state.endpoints.put(&ctx.journal, &arn, stored);
        state.ids.insert("origin_endpoints", &arn, id);
        state.by_internal.insert(internal, arn);
        Ok(out)
    }

    pub(super) fn describe_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = self.endpoint_arn(ctx, id)?;
        let state = self.state.read();
        let e = state
            .endpoints
            .get_in(ctx, &arn)
            .ok_or_else(|| not_found("OriginEndpoint", id))?;
        Ok(view(ctx, &arn, e))
    }

    pub(super) fn list_origin_endpoints(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel = opt_str(input, "ChannelId");
        let page = self.page_request(ctx, "ListOriginEndpoints", input, channel.unwrap_or(""))?;
        let state = self.state.read();
        let found = state
            .endpoints
            .page(ctx, &self.runtime.token_key, &page, |_, e| {
                channel.is_none_or(|c| c == e.value.channel_id)
            });
        let items = found
            .items
            .iter()
            .map(|(arn, e)| view(ctx, arn, e))
            .collect();
        Ok(listing(&page, "OriginEndpoints", items, found.next))
    }

    pub(super) fn update_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = self.endpoint_arn(ctx, id)?;
        let change = config_of(input)?;
        let mut state = self.state.write();
        state.endpoints.update(ctx, &arn, |e| {
            let c = &mut e.value.config;
            let fixed_duration = number_with_duration_segments(c);
            // The API Reference (UpdateOriginEndpoint): "If you send only the updated
            // attributes, then all modifiable attributes that weren't specifically included in
            // the request will reset to default values. For example, if you are using a 30
            // second time delay and submit a request to only update the endpoint description,
            // then the time delay will update to zero". The request is the endpoint's new
            // configuration, except that an endpoint has exactly one package: a request without
            // one keeps the stored one (the CLI's update-origin-endpoint example keeps it).
            let mut next = change;
            let has_package = next.hls_package.is_some()
                || next.dash_package.is_some()
                || next.cmaf_package.is_some()
                || next.mss_package.is_some();
            if !has_package {
                next.hls_package = c.hls_package.take();
                next.dash_package = c.dash_package.take();
                next.cmaf_package = c.cmaf_package.take();
                next.mss_package = c.mss_package.take();
            }
            *c = with_defaults(next, &e.value.channel_id);
            validate(ctx, c)?;
            // "If you enable Number with duration in Segment template format, you can't
            // change the segment duration after you've created the endpoint"
            // (endpoints-dash-packager.html).
            if let (Some(was), Some(now)) = (fixed_duration, number_with_duration_segments(c)) {
                if was != now {
                    return Err(unprocessable(format!(
                        "segmentDurationSeconds can't change from {was} to {now}: the endpoint's segmentTemplateFormat is NUMBER_WITH_DURATION"
                    )));
                }
            }
            Ok(view(ctx, &arn, e))
        }).unwrap_or_else(|| Err(not_found("OriginEndpoint", id)))
    }

    pub(super) fn delete_origin_endpoint(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = self.endpoint_arn(ctx, id)?;
        let mut state = self.state.write();
        state.endpoints.remove(&ctx.journal, &arn);
        state.ids.remove(&arn);
        state.by_internal.remove(super::internal_of(&arn));
        Ok(json!({}))
    }
}
