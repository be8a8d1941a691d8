//! TagResource, UntagResource and ListTagsForResource for flows and their sources, outputs,
//! entitlements, media streams and VPC interfaces (the taggable types of the reference).

use crate::arn;
use crate::error::not_found;
use crate::store::{FlowRecord, State};
use crate::MediaConnect;
use kit::{Stored, TagRules, Tags};
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// MediaConnect's tag limits, answered with BadRequestException.
pub(crate) const TAGS: TagRules = TagRules::new("BadRequestException");

/// Tags a create request gives a flow or one of its parts (`FlowTags`, `SourceTags`,
/// `OutputTags`, `EntitlementTags`, `VpcInterfaceTags`, `MediaStreamTags`), held to the
/// limits TagResource keeps; none given is none.
pub(crate) fn given(tags: Option<Tags>) -> Result<Tags, ServiceError> {
    let tags = tags.unwrap_or_default();
    TAGS.check(&tags)?;
    Ok(tags)
}

/// The flow that holds `resource` (the flow itself or one of its parts), if the caller owns
/// it and it exists.
pub(crate) fn holder<'s>(
    state: &'s State,
    ctx: &RequestContext,
    resource: &str,
) -> Option<&'s Stored<FlowRecord>> {
    let p = arn::parse(resource)?;
    if p.account != ctx.account() || p.region != ctx.region {
        return None;
    }
    if p.kind != "flow" {
        return state.flow_of_part(resource);
    }
    let Some(flow) = arn::parent_flow(resource) else {
        return state.flows.get(resource);
    };
    let s = state.flows.get(flow)?;
    let name = resource.rsplit('/').next()?;
    let exists = if resource.contains("/mediaStream/") {
        s.value.flow.media_stream(name).is_some()
    } else {
        s.value.flow.vpc_interface(name).is_some()
    };
    exists.then_some(s)
}

/// The tags of `resource` within its flow's stored record.
pub(crate) fn tags_of<'r>(stored: &'r Stored<FlowRecord>, resource: &str) -> Option<&'r Tags> {
    if stored.value.flow.flow_arn == resource {
        Some(&stored.tags)
    } else {
        stored.value.part_tags.get(resource)
    }
}

/// Whether `arn` names a router input, output or network interface.
fn is_router(arn: &str) -> bool {
    arn::parse(arn).is_some_and(|p| p.kind.starts_with("router"))
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
                .filter(|s| s.value.status(&self.runtime.clock).is_some())
                .map(|s| s.value.flow.flow_arn.clone())
                .ok_or_else(|| resource_not_found(resource))?
        };
        self.change_flow(ctx, &flow, |stored, _| {
            if stored.value.flow.flow_arn == resource {
                return change(&mut stored.tags);
            }
            let parts = &mut stored.value.part_tags;
            let tags = parts.entry(resource.to_string()).or_default();
            change(tags)?;
            if tags.is_empty() {
                parts.remove(resource);
            }
            Ok(())
        })?;
        Ok(json!({}))
    }

    /// TagResource.
    pub(crate) fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        if is_router(resource_arn(input)) {
            return self.global_tags(ctx, "TagGlobalResource", input);
        }
        let new = TAGS.read(input, "Tags")?;
        self.change_tags(ctx, resource_arn(input), |tags| TAGS.merge(tags, new))
    }

    /// UntagResource.
    pub(crate) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        if is_router(resource_arn(input)) {
            return self.global_tags(ctx, "UntagGlobalResource", input);
        }
        let keys = kit::input::strings(input, "TagKeys");
        self.change_tags(ctx, resource_arn(input), |tags| TAGS.remove(tags, &keys))
    }

    /// ListTagsForResource.
    pub(crate) fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let resource = resource_arn(input);
        if is_router(resource) {
            return self.global_tags(ctx, "ListTagsForGlobalResource", input);
        }
        let state = self.state.read();
        let stored = holder(&state, ctx, resource)
            .filter(|s| s.value.status(&self.runtime.clock).is_some())
            .ok_or_else(|| resource_not_found(resource))?;
        let tags = tags_of(stored, resource).cloned().unwrap_or_default();
        Ok(json!({ "Tags": kit::tags_to_map(&tags) }))
    }
}
