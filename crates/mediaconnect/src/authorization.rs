//! Where MediaConnect's operations name their resources, for the authorization engine (which
//! takes actions, resource types, ARN formats and condition keys from AWS's Service
//! Authorization Reference). Media streams and VPC interfaces have ARNs below their flow's
//! (`FLOW_ARN/mediaStream/NAME`), which only a name in the input and the flow ARN give;
//! `locate` builds them. Tags of stored flows and of their parts come from `stored`.

use crate::requests::passed_roles;
use crate::tags::{holder, tags_of};
use crate::{arn, MediaConnect, SERVICE_PRINCIPAL};
use serde_json::Value;
use service::{AuthzSpec, Locate, RequestContext, StoredFacts};

/// Input members holding ARNs, roles and tags, by the model's member names.
pub const SPEC: AuthzSpec = AuthzSpec {
    principal: SERVICE_PRINCIPAL,
    arn_members: &[
        ("FlowArn", "Flow"),
        ("OutputArn", "Output"),
        ("SourceArn", "Source"),
        ("EntitlementArn", "Entitlement"),
        ("BridgeArn", "Bridge"),
        ("GatewayArn", "Gateway"),
        ("GatewayInstanceArn", "GatewayInstance"),
        ("OfferingArn", "Offering"),
        ("ReservationArn", "Reservation"),
        ("RouterOutputArn", "RouterOutput"),
        ("RouterInputArn", "RouterInput"),
        ("ResourceArn", "*"),
        ("Arn", "*"),
        ("Arns[]", "*"),
    ],
    id_members: &[],
    // Roles are passed through `locate`: only values that are role ARNs (the handler refuses
    // anything else before it changes state).
    role_members: &[],
    tag_members: &[
        "FlowTags",
        "Tags",
        "Source.SourceTags",
        "Sources[].SourceTags",
        "Outputs[].OutputTags",
        "Entitlements[].EntitlementTags",
        "VpcInterfaces[].VpcInterfaceTags",
        "MediaStreams[].MediaStreamTags",
    ],
    tag_key_members: &["TagKeys"],
};

impl MediaConnect {
    /// Media stream and VPC interface ARNs, from the flow ARN and the names in the input.
    pub(crate) fn locate_parts(&self, _ctx: &RequestContext, q: &mut Locate<'_>) {
        let input = q.input;
        for role in passed_roles(q.operation, input) {
            if service::is_role_arn(&role) {
                q.pass_role(role);
            }
        }
        let flow = input.get("FlowArn").and_then(Value::as_str).unwrap_or("");
        let names = |list: &str, member: &str| -> Vec<String> {
            input
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.get(member).and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        };
        let one = |member: &str| {
            input
                .get(member)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let (kind, found): (&str, Vec<String>) = match q.operation {
            "AddFlowMediaStreams" => ("MediaStream", names("MediaStreams", "MediaStreamName")),
            "UpdateFlowMediaStream" | "RemoveFlowMediaStream" => {
                ("MediaStream", one("MediaStreamName").into_iter().collect())
            }
            "AddFlowVpcInterfaces" => ("VpcInterface", names("VpcInterfaces", "Name")),
            "RemoveFlowVpcInterface" => (
                "VpcInterface",
                one("VpcInterfaceName").into_iter().collect(),
            ),
            _ => return,
        };
        let arns = found
            .iter()
            .map(|n| match kind {
                "MediaStream" => arn::media_stream(flow, n),
                _ => arn::vpc_interface(flow, n),
            })
            .collect();
        q.set(kind, arns);
    }

    /// The tags of a stored flow or of one of its parts.
    pub(crate) fn stored_facts(&self, ctx: &RequestContext, resource: &str) -> Option<StoredFacts> {
        if let Some(tags) = self.router_tags(ctx, resource) {
            return Some(StoredFacts {
                tags: tags.into_iter().collect(),
                policy: None,
            });
        }
        let state = self.state.read();
        let stored = holder(&state, ctx, resource)?;
        let tags = tags_of(stored, resource)?;
        Some(StoredFacts {
            tags: tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            policy: None,
        })
    }
}
