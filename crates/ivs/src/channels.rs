//! Channels: create (with its first stream key), get, batch get, list, update, delete.

use crate::crud::{no_check, ResourceSpec};
use crate::input::{conflict, not_found, opt_str, req_str, tags, validation};
use crate::state::{Body, Kind, Resource, State};
use crate::typed::{Channel, ChannelType, ContainerFormat, Preset};
use crate::Ivs;
use kit::PageRequest;
use protocol::ItemRenderer;
use serde_json::{json, Value};
use service::{Output, RequestContext, ServiceError};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Members of `ChannelSummary`.
const SUMMARY: &[&str] = &[
    "arn",
    "name",
    "latencyMode",
    "authorized",
    "recordingConfigurationArn",
    "tags",
    "insecureIngest",
    "type",
    "preset",
    "playbackRestrictionPolicyArn",
    "adConfigurationArn",
    "failoverSlateConfigurationArn",
];

/// Channel members a Create or Update request may set.
const SETTABLE: &[&str] = &[
    "name",
    "latencyMode",
    "type",
    "authorized",
    "recordingConfigurationArn",
    "insecureIngest",
    "preset",
    "playbackRestrictionPolicyArn",
    "multitrackInputConfiguration",
    "containerFormat",
    "adConfigurationArn",
    "failoverSlateConfigurationArn",
];

/// Members that name another resource, with the kind it must be.
const REFERENCES: &[(&str, Kind)] = &[
    ("recordingConfigurationArn", Kind::RecordingConfiguration),
    (
        "playbackRestrictionPolicyArn",
        Kind::PlaybackRestrictionPolicy,
    ),
    ("adConfigurationArn", Kind::AdConfiguration),
    (
        "failoverSlateConfigurationArn",
        Kind::FailoverSlateConfiguration,
    ),
];

/// The list filters of ListChannels, each naming the member it matches.
const FILTERS: &[(&str, &str)] = &[
    ("filterByName", "name"),
    (
        "filterByRecordingConfigurationArn",
        "recordingConfigurationArn",
    ),
    (
        "filterByPlaybackRestrictionPolicyArn",
        "playbackRestrictionPolicyArn",
    ),
    ("filterByAdConfigurationArn", "adConfigurationArn"),
    (
        "filterByFailoverSlateConfigurationArn",
        "failoverSlateConfigurationArn",
    ),
];

/// The ListChannels filter given, if any: the member it matches and the value.
type Filter<'i> = Option<(&'static str, &'i str)>;

/// The customer-specific 12-hex-digit label AWS puts in front of ingest and playback hosts;
/// derived from the account so it is stable, as AWS's is.
pub(crate) fn endpoint_label(account: &str) -> String {
    hex::encode(Sha256::digest(account.as_bytes()))
        .chars()
        .take(12)
        .collect()
}

/// Overlays the settable members of `input` on `channel` and enforces the rules that bind them.
fn apply_settings(
    channel: &mut Channel,
    input: &Value,
    state: &State,
    ctx: &RequestContext,
) -> Result<(), ServiceError> {
    for member in SETTABLE {
        if let Some(v) = input.get(*member).filter(|v| !v.is_null()) {
            channel.set(member, v)?;
        }
    }
    let advanced = channel.channel_type.is_advanced();
    let preset_given = opt_str(input, "preset").filter(|p| !p.is_empty());
    if preset_given.is_some() && !advanced {
        return Err(validation(
            "preset is selectable only for ADVANCED_HD and ADVANCED_SD channel types",
        ));
    }
    channel.preset = match (advanced, channel.preset) {
        (true, Preset::None) => Preset::HigherBandwidth,
        (true, preset) => preset,
        (false, _) => Preset::None,
    };

    let multitrack = &channel.multitrack_input_configuration;
    if multitrack.enabled == Some(true) {
        if channel.channel_type != ChannelType::Standard {
            return Err(validation(
                "multitrackInputConfiguration can be enabled only for STANDARD channels",
            ));
        }
        let missing = [
            ("policy", multitrack.policy.is_none()),
            ("maximumResolution", multitrack.maximum_resolution.is_none()),
        ];
        if let Some((required, _)) = missing.iter().find(|(_, absent)| *absent) {
            return Err(validation(format!(
                "multitrackInputConfiguration.{required} is required when multitrack input is enabled"
            )));
        }
        if channel.container_format != ContainerFormat::FragmentedMp4 {
            return Err(validation(
                "containerFormat must be FRAGMENTED_MP4 when multitrack input is enabled",
            ));
        }
    }

    for (member, kind) in REFERENCES {
        let arn = channel.member(member);
        if !arn.is_empty() {
            Ivs::find(state, ctx, *kind, arn)?;
        }
    }
    Ok(())
}

/// The channel's wire names, for the shared operations in [`crate::crud`]; Create, List,
/// Update and Delete are its own (they check references, filter and cascade).
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::Channel,
    one: "channel",
    many: "channels",
    summary: SUMMARY,
    default_page: 100,
    settable: SETTABLE,
    check: no_check,
    channel_member: None,
    quota: None,
};

impl Ivs {
    /// CreateChannel: the channel and its first stream key.
    pub(crate) fn create_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let tags = tags(input, "tags")?;
        let mut state = self.state.write();
        let existing = state.store(Kind::Channel).count_in(ctx);
        crate::quotas::CHANNELS
            .admit(&self.runtime, existing, 1)
            .map_err(crate::quotas::exceeded)?;
        let arn = self.new_arn(ctx, Kind::Channel);
        // AWS's SRT passphrases are 69 letters and digits (the IVS CLI examples and User Guide).
        let mut channel = Channel::new(self.runtime.ids.alnum(SRT_PASSPHRASE_LEN));
        apply_settings(&mut channel, input, &state, ctx)?;
        let channel = Resource::new(Body::Channel(Box::new(channel)), tags.clone());
        let (key_arn, key) = self.new_stream_key(ctx, &arn, tags);
        self.save(ctx, &mut state, &arn, channel);
        self.save(ctx, &mut state, &key_arn, key);
        let channel = state.get(&arn).map(|r| self.view(&arn, r));
        let key = state.get(&key_arn).map(|r| self.view(&key_arn, r));
        Ok(json!({"channel": channel, "streamKey": key}))
    }

    /// The one filter (its member and value) and the page a ListChannels input asks for;
    /// at most one filter may be given.
    fn channel_listing<'i>(
        &self,
        ctx: &RequestContext,
        input: &'i Value,
    ) -> Result<(Filter<'i>, PageRequest), ServiceError> {
        let given: Vec<(&str, &str, &str)> = FILTERS
            .iter()
            .filter_map(|(filter, member)| {
                opt_str(input, filter)
                    .filter(|v| !v.is_empty())
                    .map(|v| (*filter, *member, v))
            })
            .collect();
        if given.len() > 1 {
            return Err(conflict(
                "Filters are mutually exclusive and cannot be used together",
            ));
        }
        let filter = given.first().copied();
        let scope = match filter {
            Some((f, _, v)) => format!("ListChannels|{f}={v}"),
            None => "ListChannels".to_string(),
        };
        let page = self.page_request(ctx, input, 100, &scope)?;
        Ok((filter.map(|(_, member, v)| (member, v)), page))
    }

    /// ListChannels: at most one filter; pages of ChannelSummary in ARN order.
    pub(crate) fn list_channels(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let (filter, page) = self.channel_listing(ctx, input)?;
        let state = self.state.read();
        Ok(self.list_page(ctx, &state, &page, &SPEC, |_, r| {
            filter.is_none_or(|(member, v)| r.str(member) == v)
        }))
    }

    /// ListChannels as the server answers it: the same page, each channel's summary
    /// rendered once after each change of the channel and copied from then on.
    pub(crate) fn list_channels_rendered(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Output, ServiceError> {
        static ITEMS: OnceLock<Option<ItemRenderer<'static>>> = OnceLock::new();
        let Some(items) = kit::model_renderer(&ITEMS, "ivs", |ivs| {
            ivs.list_items("ListChannels", SPEC.many)
        }) else {
            return self.list_channels(ctx, input).map(Output::from);
        };
        let (filter, page) = self.channel_listing(ctx, input)?;
        let state = self.state.read();
        let keep = |_: &str, r: &Resource| filter.is_none_or(|(member, v)| r.str(member) == v);
        Ok(
            self.rendered_page(ctx, &state, &page, &SPEC, keep, items, |r| {
                r.channel().map(|c| &c.summary)
            }),
        )
    }

    /// GetChannel as the server answers it: the channel's view rendered once per state of
    /// the channel store and copied from then on.
    pub(crate) fn get_channel_rendered(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Output, ServiceError> {
        static VIEW: OnceLock<Option<ItemRenderer<'static>>> = OnceLock::new();
        match kit::model_renderer(&VIEW, "ivs", |ivs| {
            ivs.member_renderer("GetChannel", SPEC.one)
        }) {
            Some(renderer) => self.get_rendered(ctx, input, &SPEC, renderer),
            None => self.get_one(ctx, input, &SPEC).map(Output::from),
        }
    }

    /// UpdateChannel: live channels cannot be updated.
    pub(crate) fn update_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        let mut channel = Self::find(&state, ctx, Kind::Channel, arn)?.clone();
        if state.live.contains(arn) {
            return Err(conflict(format!(
                "Channel: {arn} is live and cannot be updated; stop the stream first"
            )));
        }
        let Some(typed) = channel.channel_mut() else {
            return Err(not_found(arn));
        };
        apply_settings(typed, input, &state, ctx)?;
        self.save(ctx, &mut state, arn, channel);
        Ok(self.wrap_one(&state, &SPEC, arn))
    }

    /// DeleteChannel: also deletes its stream keys and stream history; a live channel is a
    /// conflict.
    pub(crate) fn delete_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        Self::find(&state, ctx, Kind::Channel, arn)?;
        if state.live.contains(arn) {
            return Err(conflict(format!(
                "Channel: {arn} is live; stop the stream before deleting the channel"
            )));
        }
        let keys: Vec<String> = state
            .keys_by_channel
            .get(arn)
            .map(|k| k.iter().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        for key in keys {
            self.discard(ctx, &mut state, &key);
        }
        let sessions: Vec<String> = state
            .sessions
            .get(arn)
            .map(|s| s.iter().map(|s| s.key()).collect())
            .unwrap_or_default();
        for key in sessions {
            ctx.journal
                .delete(ctx.account(), crate::persistence::SESSION_TABLE, &key);
            state.remove_session(&key);
        }
        self.discard(ctx, &mut state, arn);
        Ok(json!({}))
    }

    /// Whether any channel of the caller references `arn` through `member` (in-use checks).
    pub(crate) fn referenced_by_channel(
        state: &State,
        ctx: &RequestContext,
        member: &str,
        arn: &str,
    ) -> bool {
        state
            .store(Kind::Channel)
            .iter_in(ctx)
            .any(|(_, r)| r.channel().is_some_and(|c| c.member(member) == arn))
    }

    /// The stored channel or ResourceNotFoundException (for operations on a channel's streams).
    pub(crate) fn require_channel<'s>(
        state: &'s State,
        ctx: &RequestContext,
        arn: &str,
    ) -> Result<&'s Resource, ServiceError> {
        Self::find(state, ctx, Kind::Channel, arn).map_err(|_| not_found(arn))
    }
}

/// How many characters a new channel's SRT passphrase has.
const SRT_PASSPHRASE_LEN: usize = 69;

/// Drops `null` members of an object (optional output members that are absent).
pub(crate) trait WithoutNulls {
    /// The value without null members at its top level.
    fn without_nulls(self) -> Value;
}

impl WithoutNulls for Value {
    fn without_nulls(self) -> Value {
        match self {
            Value::Object(m) => {
                Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect())
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;
    use std::collections::BTreeSet;

    #[test]
    fn create_returns_channel_with_defaults_and_its_stream_key() {
        let ivs = ivs();
        let out = ok(
            &ivs,
            "CreateChannel",
            json!({"name": "demo", "tags": {"team": "a"}}),
        );
        let arn = s(&out, "/channel/arn");
        let id = arn.rsplit('/').next().unwrap();
        assert!(arn.starts_with("arn:aws:ivs:us-west-2:000000000000:channel/"));
        assert_eq!(id.len(), 12);
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(s(&out, "/channel/latencyMode"), "LOW");
        assert_eq!(s(&out, "/channel/type"), "STANDARD");
        assert_eq!(s(&out, "/channel/preset"), "");
        assert_eq!(s(&out, "/channel/containerFormat"), "TS");
        assert_eq!(out["channel"]["authorized"], json!(false));
        assert_eq!(out["channel"]["insecureIngest"], json!(false));
        assert_eq!(out["channel"]["tags"], json!({"team": "a"}));
        let url = s(&out, "/channel/playbackUrl");
        assert!(url.ends_with(&format!(
            ".us-west-2.playback.live-video.net/api/video/v1/us-west-2.000000000000.channel.{id}.m3u8"
        )));
        assert!(s(&out, "/channel/ingestEndpoint").ends_with(".global-contribute.live-video.net"));
        assert!(s(&out, "/channel/srt/endpoint").ends_with(".srt.live-video.net"));
        let passphrase = s(&out, "/channel/srt/passphrase");
        assert_eq!(passphrase.len(), 69, "{passphrase}");
        assert!(passphrase.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(s(&out, "/streamKey/channelArn"), arn);
        assert!(s(&out, "/streamKey/value").starts_with("sk_us-west-2_"));
        let got = ok(&ivs, "GetChannel", json!({ "arn": arn }));
        assert_eq!(got["channel"], out["channel"]);
    }

    #[test]
    fn preset_and_multitrack_rules() {
        let ivs = ivs();
        let m = err(
            &ivs,
            "CreateChannel",
            json!({"type": "STANDARD", "preset": "CONSTRAINED_BANDWIDTH_DELIVERY"}),
            "ValidationException",
        );
        assert!(m.contains("ADVANCED"));
        let adv = ok(&ivs, "CreateChannel", json!({"type": "ADVANCED_HD"}));
        assert_eq!(s(&adv, "/channel/preset"), "HIGHER_BANDWIDTH_DELIVERY");
        let arn = s(&adv, "/channel/arn");
        // Back to BASIC drops the preset.
        let upd = ok(&ivs, "UpdateChannel", json!({"arn": arn, "type": "BASIC"}));
        assert_eq!(s(&upd, "/channel/preset"), "");
        let mt = json!({"enabled": true, "policy": "ALLOW", "maximumResolution": "HD"});
        err(
            &ivs,
            "CreateChannel",
            json!({"type": "BASIC", "multitrackInputConfiguration": mt, "containerFormat": "FRAGMENTED_MP4"}),
            "ValidationException",
        );
        err(
            &ivs,
            "CreateChannel",
            json!({"multitrackInputConfiguration": mt}),
            "ValidationException",
        );
        err(
            &ivs,
            "CreateChannel",
            json!({"multitrackInputConfiguration": {"enabled": true}, "containerFormat": "FRAGMENTED_MP4"}),
            "ValidationException",
        );
        let ok_mt = ok(
            &ivs,
            "CreateChannel",
            json!({"multitrackInputConfiguration": mt, "containerFormat": "FRAGMENTED_MP4"}),
        );
        assert_eq!(ok_mt["channel"]["multitrackInputConfiguration"], mt);
    }

    #[test]
    fn references_must_exist_and_block_deletion() {
        let ivs = ivs();
        let missing = "arn:aws:ivs:us-west-2:000000000000:recording-configuration/nope";
        let m = err(
            &ivs,
            "CreateChannel",
            json!({ "recordingConfigurationArn": missing }),
            "ResourceNotFoundException",
        );
        assert!(m.contains(missing));
        let rc = ok(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}}),
        );
        let rc_arn = s(&rc, "/recordingConfiguration/arn");
        let ch = ok(
            &ivs,
            "CreateChannel",
            json!({ "recordingConfigurationArn": rc_arn }),
        );
        err(
            &ivs,
            "DeleteRecordingConfiguration",
            json!({ "arn": rc_arn }),
            "ConflictException",
        );
        let ch_arn = s(&ch, "/channel/arn");
        ok(
            &ivs,
            "UpdateChannel",
            json!({"arn": ch_arn, "recordingConfigurationArn": ""}),
        );
        ok(
            &ivs,
            "DeleteRecordingConfiguration",
            json!({ "arn": rc_arn }),
        );
    }

    #[test]
    fn delete_removes_channel_and_keys_but_not_while_live() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({}));
        let arn = s(&out, "/channel/arn");
        let key = s(&out, "/streamKey/arn");
        admin_as(&ivs, &ctx(), json!({"channelArn": arn, "action": "start"})).unwrap();
        err(
            &ivs,
            "DeleteChannel",
            json!({ "arn": arn }),
            "ConflictException",
        );
        err(
            &ivs,
            "UpdateChannel",
            json!({"arn": arn, "name": "x"}),
            "ConflictException",
        );
        ok(&ivs, "StopStream", json!({ "channelArn": arn }));
        ok(&ivs, "DeleteChannel", json!({ "arn": arn }));
        err(
            &ivs,
            "GetChannel",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
        err(
            &ivs,
            "GetStreamKey",
            json!({ "arn": key }),
            "ResourceNotFoundException",
        );
        err(
            &ivs,
            "DeleteChannel",
            json!({ "arn": arn }),
            "ResourceNotFoundException",
        );
    }

    #[test]
    fn batch_get_reports_misses_as_errors() {
        let ivs = ivs();
        let arn = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let missing = "arn:aws:ivs:us-west-2:000000000000:channel/missing";
        let out = ok(&ivs, "BatchGetChannel", json!({"arns": [arn, missing]}));
        assert_eq!(out["channels"].as_array().unwrap().len(), 1);
        assert_eq!(out["errors"][0]["arn"], missing);
        assert_eq!(out["errors"][0]["code"], "ResourceNotFoundException");
    }

    #[test]
    fn other_accounts_cannot_see_the_channel() {
        let ivs = ivs();
        let arn = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let e = ivs
            .handle(&other_ctx(), "GetChannel", json!({ "arn": arn }))
            .unwrap_err();
        assert_eq!(e.code, "ResourceNotFoundException");
        let list = ivs.handle(&other_ctx(), "ListChannels", json!({})).unwrap();
        assert_eq!(list["channels"], json!([]));
    }

    #[test]
    fn pagination_serves_250_channels_exactly_once() {
        let ivs = ivs();
        let mut created = BTreeSet::new();
        for i in 0..250 {
            let out = ok(&ivs, "CreateChannel", json!({ "name": format!("c{i}") }));
            created.insert(s(&out, "/channel/arn"));
        }
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut input = json!({"maxResults": 100});
            if let Some(t) = &token {
                input["nextToken"] = json!(t);
            }
            let out = ok(&ivs, "ListChannels", input);
            pages += 1;
            for c in out["channels"].as_array().unwrap() {
                seen.push(c["arn"].as_str().unwrap().to_string());
                assert!(c.get("ingestEndpoint").is_none(), "summaries only");
            }
            match out.get("nextToken").and_then(|t| t.as_str()) {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 250);
        assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), created);
        // Default page size is 100.
        let first = ok(&ivs, "ListChannels", json!({}));
        assert_eq!(first["channels"].as_array().unwrap().len(), 100);
        let t = first["nextToken"].as_str().unwrap().to_string();
        let mut tampered = t.clone().into_bytes();
        tampered[0] = if tampered[0] == b'A' { b'B' } else { b'A' };
        err(
            &ivs,
            "ListChannels",
            json!({"nextToken": String::from_utf8(tampered).unwrap()}),
            "ValidationException",
        );
        // A token from one listing is not valid for a differently filtered one.
        err(
            &ivs,
            "ListChannels",
            json!({"nextToken": t, "filterByName": "c1"}),
            "ValidationException",
        );
    }

    #[test]
    fn list_filters_are_exclusive_and_match() {
        let ivs = ivs();
        ok(&ivs, "CreateChannel", json!({"name": "alpha"}));
        ok(&ivs, "CreateChannel", json!({"name": "beta"}));
        let out = ok(&ivs, "ListChannels", json!({"filterByName": "beta"}));
        assert_eq!(out["channels"].as_array().unwrap().len(), 1);
        assert_eq!(out["channels"][0]["name"], "beta");
        err(
            &ivs,
            "ListChannels",
            json!({"filterByName": "beta", "filterByRecordingConfigurationArn": "arn:aws:ivs:us-west-2:000000000000:recording-configuration/x"}),
            "ConflictException",
        );
    }
}

/// ListChannels as the server answers it (pre-rendered summaries) against the value every
/// other caller gets, and the summary cache against every way a channel changes.
#[cfg(test)]
mod rendered_tests {
    use crate::state::Kind;
    use crate::test_support::*;
    use crate::Ivs;
    use serde_json::{json, Value};
    use service::{Record, RequestContext, Service};

    /// The wire body of ListChannels through the model's plain output serializer.
    fn value_body(ivs: &Ivs, input: Value) -> String {
        let out = ok(ivs, "ListChannels", input);
        let model = protocol::Registry::shared().model("ivs").unwrap();
        let op = model.operation("ListChannels").unwrap();
        String::from_utf8(model.serialize_output(op, &out, "r").body).unwrap()
    }

    /// The wire body of ListChannels as the server makes it.
    fn rendered_body(ivs: &Ivs, input: Value) -> String {
        let out = ivs
            .handle_output(&ctx(), "ListChannels", input)
            .expect("ListChannels");
        assert!(out.rendered.is_some(), "the server's path renders the list");
        let model = protocol::Registry::shared().model("ivs").unwrap();
        let op = model.operation("ListChannels").unwrap();
        String::from_utf8(model.serialize_rendered(op, out, "r").body).unwrap()
    }

    /// Both paths give the same bytes; returns them.
    fn listed(ivs: &Ivs, input: Value) -> String {
        let rendered = rendered_body(ivs, input.clone());
        assert_eq!(rendered, value_body(ivs, input));
        rendered
    }

    /// Whether the stored channel `arn` holds a rendered summary.
    fn cached(ivs: &Ivs, arn: &str) -> bool {
        let state = ivs.state.read();
        let channel = state.get(arn).and_then(|r| r.channel()).expect("channel");
        channel.summary.get().is_some()
    }

    #[test]
    fn rendered_pages_are_the_value_pages_byte_for_byte() {
        let ivs = ivs();
        let inputs = [
            json!({"name": "a \"q\" \\ é 日本", "tags": {"t\n": "v\t", "k": ""}}),
            json!({"name": "adv", "type": "ADVANCED_HD", "authorized": true}),
            json!({"latencyMode": "NORMAL", "insecureIngest": true}),
        ];
        for i in 0..7 {
            ok(&ivs, "CreateChannel", inputs[i % inputs.len()].clone());
        }
        // Cold, then from the cache.
        for _ in 0..2 {
            listed(&ivs, json!({}));
            listed(&ivs, json!({"filterByName": "adv"}));
            listed(&ivs, json!({"filterByName": "none"}));
            let first: Value =
                serde_json::from_str(&listed(&ivs, json!({"maxResults": 3}))).unwrap();
            let token = first["nextToken"].clone();
            assert!(token.is_string());
            listed(&ivs, json!({"maxResults": 3, "nextToken": token}));
        }
        // Errors are the same too.
        let e = ivs
            .handle_output(&ctx(), "ListChannels", json!({"nextToken": "junk"}))
            .unwrap_err();
        assert_eq!(e.code, "ValidationException");
        let both = json!({"filterByName": "a", "filterByRecordingConfigurationArn": "b"});
        let e = ivs.handle_output(&ctx(), "ListChannels", both).unwrap_err();
        assert_eq!(e.code, "ConflictException");
        // Another account sees none of them.
        let other = ivs
            .handle_output(&other_ctx(), "ListChannels", json!({}))
            .unwrap();
        assert_eq!(other.rendered.map(|l| l.len()), Some(0));
    }

    #[test]
    fn a_changed_channel_lists_its_new_summary() {
        let ivs = ivs();
        let arn = s(
            &ok(&ivs, "CreateChannel", json!({"name": "before"})),
            "/channel/arn",
        );
        let seen = |ivs: &Ivs, arn: &str| {
            let body: Value = serde_json::from_str(&listed(ivs, json!({}))).unwrap();
            body["channels"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["arn"] == arn)
                .cloned()
        };
        assert!(!cached(&ivs, &arn));
        assert_eq!(seen(&ivs, &arn).unwrap()["name"], "before");
        assert!(cached(&ivs, &arn));

        ok(&ivs, "UpdateChannel", json!({"arn": arn, "name": "after"}));
        assert!(!cached(&ivs, &arn));
        assert_eq!(seen(&ivs, &arn).unwrap()["name"], "after");

        let tag = json!({"resourceArn": arn, "tags": {"team": "red"}});
        ok(&ivs, "TagResource", tag);
        assert_eq!(seen(&ivs, &arn).unwrap()["tags"], json!({"team": "red"}));

        let untag = json!({"resourceArn": arn, "tagKeys": ["team"]});
        ok(&ivs, "UntagResource", untag);
        assert_eq!(seen(&ivs, &arn).unwrap()["tags"], json!({}));

        // Restoring a record (a replayed journal, an import) replaces the cached channel.
        let mut record: Record = ivs
            .records()
            .into_iter()
            .find(|r| r.key == arn)
            .expect("record");
        assert!(cached(&ivs, &arn));
        let value = record.value.as_mut().unwrap();
        value["name"] = json!("restored");
        value["tags"] = json!({"from": "journal"});
        ivs.restore(&record).unwrap();
        let restored = seen(&ivs, &arn).unwrap();
        assert_eq!(restored["name"], "restored");
        assert_eq!(restored["tags"], json!({"from": "journal"}));

        ok(&ivs, "DeleteChannel", json!({ "arn": arn }));
        assert_eq!(seen(&ivs, &arn), None);
        assert_eq!(ivs.state.read().store(Kind::Channel).len(), 0);
    }

    /// GetChannel's body as the server makes it (the view rendered), checked against the
    /// value path's; `Err` with the error code when it fails (the same on both paths).
    fn got(ivs: &Ivs, ctx: &RequestContext, arn: &str) -> Result<String, String> {
        kit::rendered_as_plain(ivs, ctx, "GetChannel", json!({ "arn": arn }), |o| {
            o.member.is_some()
        })
    }

    #[test]
    fn a_rendered_channel_is_the_value_byte_for_byte_and_follows_every_change() {
        let ivs = ivs();
        let c = ctx();
        let inputs = [
            json!({"name": "a \"q\" \\ é 日本", "tags": {"t\n": "v\t", "k": ""}}),
            json!({"name": "adv", "type": "ADVANCED_HD", "authorized": true}),
            json!({"latencyMode": "NORMAL", "insecureIngest": true}),
        ];
        let arns: Vec<String> = inputs
            .iter()
            .map(|i| s(&ok(&ivs, "CreateChannel", i.clone()), "/channel/arn"))
            .collect();
        for arn in &arns {
            let first = got(&ivs, &c, arn).unwrap();
            assert_eq!(
                got(&ivs, &c, arn).unwrap(),
                first,
                "kept and answered again"
            );
        }
        assert_eq!(ivs.views.len(), arns.len());
        let arn = &arns[0];
        let member = |body: &str, name: &str| -> Value {
            serde_json::from_str::<Value>(body).unwrap()["channel"][name].clone()
        };
        ok(&ivs, "UpdateChannel", json!({"arn": arn, "name": "after"}));
        assert_eq!(member(&got(&ivs, &c, arn).unwrap(), "name"), "after");
        ok(
            &ivs,
            "TagResource",
            json!({"resourceArn": arn, "tags": {"team": "red"}}),
        );
        assert_eq!(member(&got(&ivs, &c, arn).unwrap(), "tags")["team"], "red");
        // Another account, a missing channel and a bad ARN answer as before, kept or not.
        assert_eq!(
            got(&ivs, &other_ctx(), arn),
            Err("ResourceNotFoundException".into())
        );
        ok(&ivs, "DeleteChannel", json!({ "arn": arn }));
        assert_eq!(got(&ivs, &c, arn), Err("ResourceNotFoundException".into()));
        assert!(got(&ivs, &c, "not-an-arn").is_err());
        assert!(got(&ivs, &c, &arns[1]).is_ok());
        ivs.reset();
        assert_eq!(
            got(&ivs, &c, &arns[1]),
            Err("ResourceNotFoundException".into())
        );
    }

    #[test]
    fn a_kept_page_is_answered_again_only_while_the_channels_are_unchanged() {
        let ivs = ivs();
        let names = |body: &str| -> Vec<String> {
            let v: Value = serde_json::from_str(body).unwrap();
            v["channels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                // Listed in ARN order, which the random IDs decide.
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        ok(&ivs, "CreateChannel", json!({"name": "a"}));
        let first = listed(&ivs, json!({}));
        assert_eq!(ivs.pages.len(), 1, "the page is kept");
        assert_eq!(listed(&ivs, json!({})), first, "and answered again");
        assert_eq!(ivs.pages.len(), 1);
        // Every kind of change is seen on the next listing (each `listed` also compares the
        // answer with the value path's, which keeps nothing).
        let b = s(
            &ok(&ivs, "CreateChannel", json!({"name": "b"})),
            "/channel/arn",
        );
        assert_eq!(names(&listed(&ivs, json!({}))), ["a", "b"]);
        ok(&ivs, "DeleteChannel", json!({ "arn": b }));
        assert_eq!(names(&listed(&ivs, json!({}))), ["a"]);
        // Another account's page is its own, empty, kept or not.
        for _ in 0..2 {
            let other = ivs
                .handle_output(&other_ctx(), "ListChannels", json!({}))
                .unwrap();
            assert_eq!(other.rendered.map(|l| l.len()), Some(0));
        }
        // Another filter, page size or start is another page.
        assert!(names(&listed(&ivs, json!({"filterByName": "b"}))).is_empty());
        for i in 0..3 {
            ok(&ivs, "CreateChannel", json!({ "name": format!("p{i}") }));
        }
        let first_page = listed(&ivs, json!({"maxResults": 2}));
        let page: Value = serde_json::from_str(&first_page).unwrap();
        assert_eq!(page["channels"].as_array().unwrap().len(), 2);
        let token = page["nextToken"].clone();
        let next = listed(&ivs, json!({"maxResults": 2, "nextToken": token}));
        let mut both = [names(&first_page), names(&next)].concat();
        both.sort();
        assert_eq!(both, ["a", "p0", "p1", "p2"]);
        assert_eq!(
            listed(&ivs, json!({"maxResults": 2, "nextToken": token})),
            next
        );
        // An account's reset, and a reset of the whole store, are seen too.
        let before = listed(&ivs, json!({}));
        ivs.reset_account(ctx().account()).unwrap();
        assert!(names(&listed(&ivs, json!({}))).is_empty());
        ok(&ivs, "CreateChannel", json!({"name": "again"}));
        assert_eq!(names(&listed(&ivs, json!({}))), ["again"]);
        ivs.reset();
        assert_ne!(listed(&ivs, json!({})), before);
        assert!(names(&listed(&ivs, json!({}))).is_empty());
    }
}
