//! Channels: Create/Get/List/Update/Delete, ResetChannelState; ingest endpoint URLs.

use super::arns::{channel_arn, group_arn, Kind};
use super::errors::{already_exists, conflict, invalid, not_found};
use super::groups::{check_etag, listing, page_request, TAGS};
use super::model::{Channel, InputSwitchConfiguration, OutputHeaderConfiguration};
use super::quotas;
use super::MediaPackageV2;
use kit::input::{opt_str, req_str, timestamp};
use kit::Stored;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// Where this server is reachable for the client (URLs point back at it).
pub(super) fn host(ctx: &RequestContext) -> &str {
    ctx.host.as_deref().unwrap_or("localhost:4566")
}

/// A typed member of a validated input (`None` when absent).
pub(super) fn member<T: DeserializeOwned>(
    input: &Value,
    name: &str,
) -> Result<Option<T>, ServiceError> {
    match input.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| invalid("MEMBER_INVALID", format!("{name} is not valid: {e}"))),
    }
}

/// The ingest URL of one of a channel's two inputs: `PUT` content there (authorized as
/// `mediapackagev2:PutObject` on the channel). An HLS input's ends in `/index`, a CMAF input's
/// in `/`, where the encoder puts its streams (as AWS's MediaLive User Guide shows them).
pub(super) fn ingest_url(ctx: &RequestContext, arn: &str, c: &Channel, index: usize) -> String {
    let (region, account) = kit::arn_scope(arn).unwrap_or(("", ""));
    let file = if c.input_type == "CMAF" { "" } else { "index" };
    format!(
        "http://{}/in/v1/{account}/{region}/{}/{}/{}/{file}",
        host(ctx),
        c.group,
        index + 1,
        c.name
    )
}

fn view(ctx: &RequestContext, arn: &str, c: &Stored<Channel>) -> Value {
    let v = &c.value;
    let mut out = json!({
        "Arn": arn, "ChannelName": v.name, "ChannelGroupName": v.group,
        "CreatedAt": timestamp(v.created_at), "ModifiedAt": timestamp(v.modified_at),
        "InputType": v.input_type, "ETag": v.etag, "Tags": kit::tags_to_map(&c.tags),
        "IngestEndpoints": (0..2).map(|i| json!({"Id": (i + 1).to_string(),
            "Url": ingest_url(ctx, arn, v, i)})).collect::<Vec<_>>(),
    });
    let m = out.as_object_mut().expect("object");
    if let Some(d) = &v.description {
        m.insert("Description".into(), json!(d));
    }
    if let Some(t) = v.reset_at {
        m.insert("ResetAt".into(), timestamp(t));
    }
    // Answered whether set or not, MQCS off unless enabled: AWS answers a channel created
    // without them (HLS input) with `{"MQCSInputSwitching": false}` and `{"PublishMQCS": false}`
    // (moto's aws_verified test_create_channel).
    let mut switch = json!(v.input_switch.clone().unwrap_or_default());
    switch["MQCSInputSwitching"] = json!(v
        .input_switch
        .as_ref()
        .and_then(|s| s.mqcs_input_switching)
        .unwrap_or(false));
    m.insert("InputSwitchConfiguration".into(), switch);
    let publish = v.output_header.as_ref().and_then(|h| h.publish_mqcs);
    m.insert(
        "OutputHeaderConfiguration".into(),
        json!({"PublishMQCS": publish.unwrap_or(false)}),
    );
    if let Some(x) = &v.output_locking_mode {
        m.insert("OutputLockingMode".into(), json!(x));
    }
    out
}

/// An update's answer: UpdateChannelResponse and UpdateOriginEndpointResponse have no
/// `ResetAt` (only the Get and Reset* outputs do), so a reset resource's view loses it.
pub(super) fn without_reset_at(mut out: Value) -> Value {
    if let Some(m) = out.as_object_mut() {
        m.remove("ResetAt");
    }
    out
}

/// MQCS input switching, preferred input and MQCS headers need a CMAF input.
fn check_cmaf_only(c: &Channel) -> Result<(), ServiceError> {
    if c.input_type == "CMAF" {
        return Ok(());
    }
    if let Some(s) = &c.input_switch {
        if s.mqcs_input_switching == Some(true) {
            return Err(invalid(
                "ONLY_CMAF_INPUT_TYPE_ALLOW_MQCS_INPUT_SWITCHING",
                "MQCS input switching is only available for channels with the CMAF input type",
            ));
        }
        if s.preferred_input.is_some() {
            return Err(invalid(
                "ONLY_CMAF_INPUT_TYPE_ALLOW_PREFERRED_INPUT_CONFIGURATION",
                "A preferred input is only available for channels with the CMAF input type",
            ));
        }
    }
    if c.output_header
        .as_ref()
        .is_some_and(|h| h.publish_mqcs == Some(true))
    {
        return Err(invalid(
            "ONLY_CMAF_INPUT_TYPE_ALLOW_MQCS_OUTPUT_CONFIGURATION",
            "Publishing MQCS headers is only available for channels with the CMAF input type",
        ));
    }
    if c.output_locking_mode.is_some() {
        return Err(invalid(
            "ONLY_CMAF_INPUT_TYPE_ALLOW_OUTPUT_LOCKING_MODE",
            "An output locking mode is only available for channels with the CMAF input type",
        ));
    }
    Ok(())
}

impl MediaPackageV2 {
    pub(super) fn create_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let group = req_str(input, "ChannelGroupName")?;
        let name = req_str(input, "ChannelName")?;
        let tags = TAGS.read(input, "Tags")?;
        let input_type = opt_str(input, "InputType").unwrap_or("HLS");
        if input_type == "MULTIVIEW" {
            // Multiview composes other channels; mediamock does not emulate it.
            return Err(ServiceError::not_implemented(
                "mediapackagev2",
                "CreateChannel with InputType MULTIVIEW",
            ));
        }
        if input.get("MultiviewConfiguration").is_some() {
            return Err(invalid("MULTIVIEW_CONFIGURATION_NOT_ALLOWED",
                "A multiview configuration is only allowed for channels with the MULTIVIEW input type"));
        }
        let now = self.runtime.clock.now();
        let channel = Channel {
            group: group.to_string(),
            name: name.to_string(),
            description: opt_str(input, "Description").map(str::to_string),
            input_type: input_type.to_string(),
            input_switch: member::<InputSwitchConfiguration>(input, "InputSwitchConfiguration")?,
            output_header: member::<OutputHeaderConfiguration>(input, "OutputHeaderConfiguration")?,
            output_locking_mode: opt_str(input, "OutputLockingMode").map(str::to_string),
            created_at: now,
            modified_at: now,
            reset_at: None,
            etag: self.etag(),
        };
        check_cmaf_only(&channel)?;
        let arn = channel_arn(&ctx.region, ctx.account(), group, name);
        self.idempotent(ctx, "CreateChannel", input, |state| {
            if state
                .groups
                .get_in(ctx, &group_arn(&ctx.region, ctx.account(), group))
                .is_none()
            {
                return Err(not_found(Kind::Group));
            }
            if state.channels.get_in(ctx, &arn).is_some() {
                return Err(already_exists(Kind::Channel));
            }
            let count = state
                .channels
                .iter_in(ctx)
                .filter(|(_, c)| c.group == group)
                .count();
            quotas::CHANNELS_PER_GROUP
                .admit(&self.runtime, count, 1)
                .map_err(quotas::exceeded)?;
            let stored = Stored::new(channel, tags);
            let mut out = view(ctx, &arn, &stored);
            if input.get("InputType").is_none() {
                // AWS's CreateChannel answer has no InputType the request did not give, though
                // GetChannel then answers HLS (moto's aws_verified test_get_channel: the Get
                // answer is the Create answer plus `InputType: HLS`).
                if let Some(m) = out.as_object_mut() {
                    m.remove("InputType");
                }
            }
            state.channels.put(&ctx.journal, &arn, stored);
            Ok(out)
        })
    }

    fn channel_arn_of(&self, ctx: &RequestContext, input: &Value) -> Result<String, ServiceError> {
        Ok(channel_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
            req_str(input, "ChannelName")?,
        ))
    }

    pub(super) fn get_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.channel_arn_of(ctx, input)?;
        let state = self.state.read();
        let c = state
            .channels
            .get_in(ctx, &arn)
            .ok_or_else(|| state.missing(ctx, &arn, Kind::Channel))?;
        Ok(view(ctx, &arn, c))
    }

    pub(super) fn list_channels(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let group = req_str(input, "ChannelGroupName")?;
        let garn = group_arn(&ctx.region, ctx.account(), group);
        let page = page_request(self, ctx, "ListChannels", input, &garn)?;
        let state = self.state.read();
        state
            .groups
            .get_in(ctx, &garn)
            .ok_or_else(|| not_found(Kind::Group))?;
        let prefix = format!("{garn}/channel/");
        let found = state
            .channels
            .page(ctx, &self.runtime.token_key, &page, |arn, _| {
                arn.starts_with(&prefix)
            });
        let items = found.items.iter().map(|(arn, c)| {
            let mut v = json!({"Arn": arn, "ChannelName": c.value.name, "ChannelGroupName": c.value.group,
                "CreatedAt": timestamp(c.value.created_at), "ModifiedAt": timestamp(c.value.modified_at),
                "InputType": c.value.input_type});
            if let Some(d) = &c.value.description {
                v["Description"] = json!(d);
            }
            if let Some(m) = &c.value.output_locking_mode {
                v["OutputLockingMode"] = json!(m);
            }
            v
        }).collect();
        Ok(listing(&page, items, found.next))
    }

    pub(super) fn update_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.channel_arn_of(ctx, input)?;
        if input.get("MultiviewConfiguration").is_some() {
            return Err(invalid("MULTIVIEW_CONFIGURATION_NOT_ALLOWED",
                "A multiview configuration is only allowed for channels with the MULTIVIEW input type"));
        }
        let switch = member::<InputSwitchConfiguration>(input, "InputSwitchConfiguration")?;
        let header = member::<OutputHeaderConfiguration>(input, "OutputHeaderConfiguration")?;
        let now = self.runtime.clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        state
            .channels
            .update(ctx, &arn, |c| {
                check_etag(input, &c.value.etag)?;
                let v = &mut c.value;
                // UpdateChannel replaces the configuration it carries.
                v.description = opt_str(input, "Description").map(str::to_string);
                v.input_switch = switch;
                v.output_header = header;
                check_cmaf_only(v)?;
                v.modified_at = now;
                v.etag = etag;
                Ok(without_reset_at(view(ctx, &arn, c)))
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Channel)))
    }

    pub(super) fn delete_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.channel_arn_of(ctx, input)?;
        let mut state = self.state.write();
        // Idempotent, as DeleteChannelGroup (moto's aws_verified test_delete_channel).
        if state.channels.get_in(ctx, &arn).is_none() {
            return Ok(json!({}));
        }
        let prefix = format!("{arn}/");
        if state
            .endpoints
            .iter_in(ctx)
            .any(|(a, _)| a.starts_with(&prefix))
        {
            // Worded as AWS words a channel group's (ours: AWS's is not published).
            return Err(conflict(
                "RESOURCE_IN_USE",
                "The channel you tried to delete has origin endpoints attached to it. If you want to delete this channel, you must first delete the origin endpoints attached to it",
            ));
        }
        state.channels.remove(&ctx.journal, &arn);
        self.ingest.forget(&arn);
        Ok(json!({}))
    }

    pub(super) fn reset_channel_state(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.channel_arn_of(ctx, input)?;
        let now = self.runtime.clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        let reset = state
            .channels
            .update(ctx, &arn, |c| {
                c.value.reset_at = Some(now);
                c.value.etag = etag;
                Ok(
                    json!({"ChannelGroupName": c.value.group, "ChannelName": c.value.name,
                "Arn": arn, "ResetAt": timestamp(now)}),
                )
            })
            .unwrap_or_else(|| Err(state.missing(ctx, &arn, Kind::Channel)))?;
        self.ingest.forget(&arn);
        Ok(reset)
    }
}
