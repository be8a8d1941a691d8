//! What each operation must be allowed, per the Service Authorization Reference for
//! MediaConnect: the action of the same name on the resource types the reference lists, with
//! `aws:ResourceTag/…` of stored flows and their parts, `aws:RequestTag/…` and `aws:TagKeys` of
//! the tags a request attaches, and `iam:PassRole` (with `iam:PassedToService`) on every role
//! the request passes. Parts created by the request are authorized on their ARN pattern
//! (`…:output:*`), as their IDs do not exist yet. Operations without a resource type in the
//! reference (the List operations) are authorized on `*`.

use crate::arn::{self, Kind};
use crate::requests::{passed_roles, request_tags};
use crate::tags::{holder, tags_of};
use crate::{MediaConnect, SERVICE_PRINCIPAL};
use serde_json::Value;
use service::{Access, ContextValue, RequestContext, ServiceError};

impl MediaConnect {
    /// The `(action, resource)` pairs `operation` must be allowed, in the reference's order.
    pub(crate) fn accesses(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Vec<Access>, ServiceError> {
        let action = format!("mediaconnect:{operation}");
        let state = self.state.read();
        let member = |m: &str| input.get(m).and_then(Value::as_str).unwrap_or("").to_string();
        // A stored resource with its tags (none when it does not exist or is not the caller's:
        // the handler then answers NotFound).
        let on = |resource: &str| {
            let access = Access::new(action.clone(), resource);
            match holder(&state, ctx, resource).and_then(|r| tags_of(r, resource)) {
                Some(t) => access.with_resource_tags(t),
                None => access,
            }
        };
        let new_tags = request_tags(operation, input);
        let creating = |resource: String| {
            let access = Access::new(action.clone(), resource);
            if new_tags.is_empty() {
                access
            } else {
                access.with_request_tags(&new_tags)
            }
        };
        let pattern = |kind: Kind| format!("{}*", arn::prefix(&ctx.region, ctx.account(), kind));
        let flow = member("FlowArn");
        let mut out = match operation {
            "CreateFlow" => vec![creating(pattern(Kind::Flow))],
            "DescribeFlow" | "UpdateFlow" | "StartFlow" | "StopFlow" | "DeleteFlow"
            | "DescribeFlowSourceMetadata" | "DescribeFlowSourceThumbnail"
            | "UpdateFlowEntitlement" => vec![on(&flow)],
            "AddFlowOutputs" => vec![on(&flow), creating(pattern(Kind::Output))],
            "AddFlowSources" => vec![on(&flow), creating(pattern(Kind::Source))],
            "AddFlowVpcInterfaces" => vec![on(&flow), creating(arn::vpc_interface(&flow, "*"))],
            "AddFlowMediaStreams" => vec![on(&flow), creating(arn::media_stream(&flow, "*"))],
            "GrantFlowEntitlements" => vec![creating(pattern(Kind::Entitlement)), on(&flow)],
            "UpdateFlowOutput" | "RemoveFlowOutput" => {
                vec![on(&flow), on(&member("OutputArn"))]
            }
            "UpdateFlowSource" | "RemoveFlowSource" => {
                vec![on(&flow), on(&member("SourceArn"))]
            }
            "RevokeFlowEntitlement" => vec![on(&member("EntitlementArn")), on(&flow)],
            "UpdateFlowMediaStream" | "RemoveFlowMediaStream" => vec![
                on(&flow),
                on(&arn::media_stream(&flow, &member("MediaStreamName"))),
            ],
            "RemoveFlowVpcInterface" => vec![
                on(&flow),
                on(&arn::vpc_interface(&flow, &member("VpcInterfaceName"))),
            ],
            "TagResource" => {
                let resource = member("ResourceArn");
                let mut a = on(&resource);
                a = a.with_request_tags(&new_tags);
                vec![a]
            }
            "UntagResource" => {
                let keys: Vec<String> = input
                    .get("TagKeys")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect();
                vec![on(&member("ResourceArn"))
                    .with("aws:TagKeys", ContextValue::Strings(keys))]
            }
            // The reference lists no resource type for these: they act on `*`.
            _ => vec![Access::new(action.clone(), "*")],
        };
        for role in passed_roles(operation, input) {
            out.push(
                Access::new("iam:PassRole", role).with(
                    "iam:PassedToService",
                    ContextValue::String(SERVICE_PRINCIPAL.to_string()),
                ),
            );
        }
        Ok(out)
    }
}
