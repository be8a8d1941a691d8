//! TagResource, UntagResource and ListTagsForResource for flows and their sources, outputs,
//! entitlements, media streams and VPC interfaces (the taggable types of the reference).

use crate::arn;
use crate::error::{bad_request, not_found};
use crate::requests::Tags;
use crate::store::{FlowRecord, State};
use crate::MediaConnect;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// AWS's per-resource tag limit.
const MAX_TAGS: usize = 50;

/// The flow that holds `resource` (the flow itself or one of its parts), if the caller owns it.
pub(crate) fn holder<'s>(
    state: &'s State,
    ctx: &RequestContext,
    resource: &str,
) -> Option<&'s FlowRecord> {
    let p = arn::parse(resource)?;
    if p.account != ctx.account() || p.region != ctx.region {
        return None;
    }
    let record = match p.kind {
        "flow" => match arn::parent_flow(resource) {
            Some(flow) => {
                let r = state.flows.get(flow)?;
                let name = resource.rsplit('/').next()?;
                let exists = if resource.contains("/mediaStream/") {
                    r.flow.media_stream(name).is_some()
                } else {
                    r.flow.vpc_interface(name).is_some()
                };
                exists.then_some(r)?
            }
            None => state.flows.get(resource)?,
        },
        _ => state.flow_of_part(resource)?,
    };
    Some(record)
}

/// The tags of `resource` within its flow's record.
pub(crate) fn tags_of<'r>(record: &'r FlowRecord, resource: &str) -> Option<&'r Tags> {
    if record.flow.flow_arn == resource {
        Some(&record.tags)
    } else {
        record.part_tags.get(resource)
    }
}

fn check_tags(existing: &Tags, new: &Tags) -> Result<(), ServiceError> {
    for (k, v) in new {
        if k.is_empty() || k.len() > 128 || k.starts_with("aws:") {
            return Err(bad_request(format!("Tag key {k} is not valid.")));
        }
        if v.len() > 256 {
            return Err(bad_request(format!("Tag value for key {k} is too long.")));
        }
    }
    let total = existing.len() + new.keys().filter(|k| !existing.contains_key(*k)).count();
    if total > MAX_TAGS {
        return Err(bad_request(format!(
            "A resource can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(())
}

fn resource_arn(input: &Value) -> &str {
    input
        .get("ResourceArn")
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn resource_not_found(arn: &str) -> ServiceError {
    not_found(format!("The requested resource {arn} was not found."))
}

impl MediaConnect {
    /// Changes the tags of `resource` with `change`.
    fn change_tags(
        &self,
        ctx: &RequestContext,
        resource: &str,
        change: impl FnOnce(&mut Tags) -> Result<(), ServiceError>,
    ) -> Result<Value, ServiceError> {
        let flow = {
            let state = self.state.read();
            holder(&state, ctx, resource)
                .map(|r| r.flow.flow_arn.clone())
                .ok_or_else(|| resource_not_found(resource))?
        };
        self.change_flow(ctx, &flow, |record, _| {
            let tags = if record.flow.flow_arn == resource {
                &mut record.tags
            } else {
                record.part_tags.entry(resource.to_string()).or_default()
            };
            change(tags)?;
            if tags.is_empty() && record.flow.flow_arn != resource {
                record.part_tags.remove(resource);
            }
            Ok(json!({}))
        })
    }

    /// TagResource.
    pub(crate) fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let new: Tags = crate::requests::parse(input.get("Tags").unwrap_or(&json!({})))?;
        self.change_tags(ctx, resource_arn(input), |tags| {
            check_tags(tags, &new)?;
            tags.extend(new);
            Ok(())
        })
    }

    /// UntagResource.
    pub(crate) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let keys: Vec<String> =
            crate::requests::parse(input.get("TagKeys").unwrap_or(&json!([])))?;
        self.change_tags(ctx, resource_arn(input), |tags| {
            for k in &keys {
                tags.remove(k);
            }
            Ok(())
        })
    }

    /// ListTagsForResource.
    pub(crate) fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let resource = resource_arn(input);
        let state = self.state.read();
        let record = holder(&state, ctx, resource)
            .filter(|r| r.status(&self.runtime.clock).is_some())
            .ok_or_else(|| resource_not_found(resource))?;
        let tags = tags_of(record, resource).cloned().unwrap_or_default();
        Ok(json!({ "Tags": tags }))
    }
}
