//! v1 channels: Create/Describe/List/Update/Delete, credential rotation, ConfigureLogs.

use super::model::{Channel, IngestEndpoint};
use super::quotas;
use super::{arn, check_id, host, listing, not_found, unprocessable, MediaPackage, TAGS};
use kit::input::{opt_str, req_str, timestamp};
use kit::Stored;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

fn view(ctx: &RequestContext, arn: &str, c: &Stored<Channel>) -> Value {
    let v = &c.value;
    let endpoints: Vec<Value> = v
        .ingest
        .iter()
        .map(|e| {
            json!({"Id": e.id, "Username": e.username, "Password": e.password,
                "Url": format!("http://{}/in/v2/{}/{}/channel", host(ctx), v.internal, e.id)})
        })
        .collect();
    let mut out = json!({"Arn": arn, "Id": v.id, "CreatedAt": timestamp(v.created_at),
        "HlsIngest": {"IngestEndpoints": endpoints}, "Tags": kit::tags_to_map(&c.tags)});
    if let Some(d) = &v.description {
        out["Description"] = json!(d);
    }
    if let Some(g) = &v.egress_logs {
        out["EgressAccessLogs"] = json!({"LogGroupName": g});
    }
    if let Some(g) = &v.ingress_logs {
        out["IngressAccessLogs"] = json!({"LogGroupName": g});
    }
    out
}

impl MediaPackage {
    fn new_ingest_endpoint(&self) -> IngestEndpoint {
        IngestEndpoint {
            id: super::new_internal_id(&self.runtime),
            username: self.runtime.ids.hex(32),
            password: self.runtime.ids.hex(32),
        }
    }

    fn channel_arn(&self, ctx: &RequestContext, id: &str) -> Result<String, ServiceError> {
        self.state
            .read()
            .ids
            .get("channels", ctx, id)
            .ok_or_else(|| not_found("Channel", id))
    }

    pub(super) fn create_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        check_id(id)?;
        let tags = TAGS.read(input, "Tags")?;
        let mut state = self.state.write();
        if state.ids.get("channels", ctx, id).is_some() {
            return Err(unprocessable(format!(
                "Channel already exists with id {id}"
            )));
        }
        let count = state.channels.iter_in(ctx).count();
        quotas::CHANNELS
            .admit(&self.runtime, count, 1)
            .map_err(quotas::exceeded)?;
        let internal = super::new_internal_id(&self.runtime);
        // The first ingest endpoint's ID is the channel's own, as AWS's answers show (the AWS
        // CLI's create-channel example: `…/in/v2/ID/ID/channel`).
        let first = IngestEndpoint {
            id: internal.clone(),
            ..self.new_ingest_endpoint()
        };
        let channel = Channel {
            id: id.to_string(),
            internal: internal.clone(),
            description: opt_str(input, "Description").map(str::to_string),
            ingest: vec![first, self.new_ingest_endpoint()],
            egress_logs: None,
            ingress_logs: None,
            created_at: self.runtime.clock.now(),
        };
        let arn = arn(ctx, "channels", &internal);
        let stored = Stored::new(channel, tags);
        let out = view(ctx, &arn, &stored);
        state.channels.put(&ctx.journal, &arn, stored);
        state.ids.insert("channels", &arn, id);
        Ok(out)
    }

    pub(super) fn describe_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = self.channel_arn(ctx, req_str(input, "Id")?)?;
        let state = self.state.read();
        let c = state
            .channels
            .get_in(ctx, &arn)
            .ok_or_else(|| not_found("Channel", &arn))?;
        Ok(view(ctx, &arn, c))
    }

    pub(super) fn list_channels(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let page = self.page_request(ctx, "ListChannels", input, "")?;
        let state = self.state.read();
        let found = state
            .channels
            .page(ctx, &self.runtime.token_key, &page, |_, _| true);
        let items = found
            .items
            .iter()
            .map(|(arn, c)| view(ctx, arn, c))
            .collect();
        Ok(listing(&page, "Channels", items, found.next))
    }

    /// Changes the caller's channel `Id` and answers its view.
    fn change_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
        change: impl FnOnce(&mut Channel) -> Result<(), ServiceError>,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = self.channel_arn(ctx, id)?;
        let mut state = self.state.write();
        state
            .channels
            .update(ctx, &arn, |c| {
                change(&mut c.value)?;
                Ok(view(ctx, &arn, c))
            })
            .unwrap_or_else(|| Err(not_found("Channel", id)))
    }

    pub(super) fn update_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let description = opt_str(input, "Description").map(str::to_string);
        self.change_channel(ctx, input, |c| {
            c.description = description;
            Ok(())
        })
    }

    pub(super) fn configure_logs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        // AWS's default log groups when the request names none.
        let group = |member: &str, default: &str| {
            input.get(member).map(|v| {
                v.get("LogGroupName")
                    .and_then(Value::as_str)
                    .unwrap_or(default)
                    .to_string()
            })
        };
        let egress = group("EgressAccessLogs", "/aws/MediaPackage/EgressAccessLogs");
        let ingress = group("IngressAccessLogs", "/aws/MediaPackage/IngressAccessLogs");
        for g in egress.iter().chain(ingress.iter()) {
            if !g.starts_with("/aws/MediaPackage/") {
                return Err(unprocessable(format!(
                    "Log group {g} is invalid: log group names must start with /aws/MediaPackage/"
                )));
            }
        }
        self.change_channel(ctx, input, |c| {
            c.egress_logs = egress;
            c.ingress_logs = ingress;
            Ok(())
        })
    }

    pub(super) fn rotate_channel_credentials(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        // "Changes the Channel's first IngestEndpoint's username and password" (the model).
        let (username, password) = (self.runtime.ids.hex(32), self.runtime.ids.hex(32));
        self.change_channel(ctx, input, |c| {
            if let Some(e) = c.ingest.first_mut() {
                (e.username, e.password) = (username, password);
            }
            Ok(())
        })
    }

    pub(super) fn rotate_ingest_endpoint_credentials(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let endpoint = req_str(input, "IngestEndpointId")?.to_string();
        // "Rotate the IngestEndpoint's username and password" (the model).
        let (username, password) = (self.runtime.ids.hex(32), self.runtime.ids.hex(32));
        self.change_channel(ctx, input, |c| {
            let e = c
                .ingest
                .iter_mut()
                .find(|e| e.id == endpoint)
                .ok_or_else(|| not_found("IngestEndpoint", &endpoint))?;
            (e.username, e.password) = (username, password);
            Ok(())
        })
    }

    pub(super) fn delete_channel(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let id = req_str(input, "Id")?;
        let arn = self.channel_arn(ctx, id)?;
        let mut state = self.state.write();
        if state
            .endpoints
            .iter_in(ctx)
            .any(|(_, e)| e.value.channel_id == id)
        {
            return Err(unprocessable(format!(
                "Channel {id} has origin endpoints: delete them before you delete the channel"
            )));
        }
        state.channels.remove(&ctx.journal, &arn);
        state.ids.remove(&arn);
        Ok(json!({}))
    }
}
