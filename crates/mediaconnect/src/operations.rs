//! Every operation of the model, listed once: the handler of each, or `None` for those
//! mediamock does not emulate yet (they answer `501 NotImplemented`).

use crate::MediaConnect;
use serde_json::Value;
use service::{RequestContext, ServiceError};

/// A handler of one operation.
type Handler = fn(&MediaConnect, &RequestContext, &Value) -> Result<Value, ServiceError>;

/// The model's 96 operations with their handlers.
pub(crate) const OPERATIONS: &[(&str, Option<Handler>)] = &[
    ("AddBridgeOutputs", None),
    ("AddBridgeSources", None),
    ("AddFlowMediaStreams", Some(MediaConnect::add_flow_media_streams)),
    ("AddFlowOutputs", Some(MediaConnect::add_flow_outputs)),
    ("AddFlowSources", Some(MediaConnect::add_flow_sources)),
    ("AddFlowVpcInterfaces", Some(MediaConnect::add_flow_vpc_interfaces)),
    ("BatchGetDestinationEndpoint", None),
    ("BatchGetRouterInput", None),
    ("BatchGetRouterNetworkInterface", None),
    ("BatchGetRouterOutput", None),
    ("BatchGetSourceEndpoint", None),
    ("ConnectEndpoints", None),
    ("CreateBridge", None),
    ("CreateFlow", Some(MediaConnect::create_flow)),
    ("CreateGateway", None),
    ("CreateRouterInput", None),
    ("CreateRouterNetworkInterface", None),
    ("CreateRouterOutput", None),
    ("DeleteBridge", None),
    ("DeleteFlow", Some(MediaConnect::delete_flow)),
    ("DeleteGateway", None),
    ("DeleteRouterInput", None),
    ("DeleteRouterNetworkInterface", None),
    ("DeleteRouterOutput", None),
    ("DeregisterDestinationEndpoint", None),
    ("DeregisterGatewayInstance", None),
    ("DeregisterSourceEndpoint", None),
    ("DescribeBridge", None),
    ("DescribeFlow", Some(MediaConnect::describe_flow)),
    ("DescribeFlowSourceMetadata", Some(MediaConnect::describe_flow_source_metadata)),
    ("DescribeFlowSourceThumbnail", Some(MediaConnect::describe_flow_source_thumbnail)),
    ("DescribeGateway", None),
    ("DescribeGatewayInstance", None),
    ("DescribeOffering", None),
    ("DescribeReservation", None),
    ("DisconnectEndpoints", None),
    ("GetDestinationEndpoint", None),
    ("GetRouterInput", None),
    ("GetRouterInputSourceMetadata", None),
    ("GetRouterInputThumbnail", None),
    ("GetRouterNetworkInterface", None),
    ("GetRouterOutput", None),
    ("GetSourceEndpoint", None),
    ("GrantFlowEntitlements", Some(MediaConnect::grant_flow_entitlements)),
    ("ListBridges", None),
    ("ListDestinationEndpoints", None),
    ("ListEntitlements", Some(MediaConnect::list_entitlements)),
    ("ListFlows", Some(MediaConnect::list_flows)),
    ("ListGatewayInstances", None),
    ("ListGateways", None),
    ("ListOfferings", None),
    ("ListReservations", None),
    ("ListRouterInputs", None),
    ("ListRouterNetworkInterfaces", None),
    ("ListRouterOutputs", None),
    ("ListSourceEndpoints", None),
    ("ListTagsForGlobalResource", None),
    ("ListTagsForResource", Some(MediaConnect::list_tags_for_resource)),
    ("PurchaseOffering", None),
    ("RegisterDestinationEndpoint", None),
    ("RegisterSourceEndpoint", None),
    ("RemoveBridgeOutput", None),
    ("RemoveBridgeSource", None),
    ("RemoveFlowMediaStream", Some(MediaConnect::remove_flow_media_stream)),
    ("RemoveFlowOutput", Some(MediaConnect::remove_flow_output)),
    ("RemoveFlowSource", Some(MediaConnect::remove_flow_source)),
    ("RemoveFlowVpcInterface", Some(MediaConnect::remove_flow_vpc_interface)),
    ("RestartRouterInput", None),
    ("RestartRouterOutput", None),
    ("RevokeFlowEntitlement", Some(MediaConnect::revoke_flow_entitlement)),
    ("StartFlow", Some(MediaConnect::start_flow)),
    ("StartRouterInput", None),
    ("StartRouterOutput", None),
    ("StopFlow", Some(MediaConnect::stop_flow)),
    ("StopRouterInput", None),
    ("StopRouterOutput", None),
    ("TagGlobalResource", None),
    ("TagResource", Some(MediaConnect::tag_resource)),
    ("TakeRouterInput", None),
    ("UntagGlobalResource", None),
    ("UntagResource", Some(MediaConnect::untag_resource)),
    ("UpdateBridge", None),
    ("UpdateBridgeOutput", None),
    ("UpdateBridgeSource", None),
    ("UpdateBridgeState", None),
    ("UpdateDestinationEndpoint", None),
    ("UpdateFlow", Some(MediaConnect::update_flow)),
    ("UpdateFlowEntitlement", Some(MediaConnect::update_flow_entitlement)),
    ("UpdateFlowMediaStream", Some(MediaConnect::update_flow_media_stream)),
    ("UpdateFlowOutput", Some(MediaConnect::update_flow_output)),
    ("UpdateFlowSource", Some(MediaConnect::update_flow_source)),
    ("UpdateGatewayInstance", None),
    ("UpdateRouterInput", None),
    ("UpdateRouterNetworkInterface", None),
    ("UpdateRouterOutput", None),
    ("UpdateSourceEndpoint", None),
];

impl MediaConnect {
    /// Runs `operation` through its handler, or answers NotImplemented.
    pub(crate) fn dispatch(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        match OPERATIONS.iter().find(|(name, _)| *name == operation) {
            Some((_, Some(handler))) => handler(self, ctx, input),
            Some((_, None)) => Err(ServiceError::not_implemented("mediaconnect", operation)),
            None => Err(ServiceError::new(
                "BadRequestException",
                format!("mediaconnect has no operation {operation}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_operation_of_the_model_once() {
        let registry = protocol::Registry::shared();
        let model = registry.model("mediaconnect").expect("mediaconnect model");
        let mut ours: Vec<&str> = OPERATIONS.iter().map(|(n, _)| *n).collect();
        ours.sort_unstable();
        let before = ours.len();
        ours.dedup();
        assert_eq!(before, ours.len(), "an operation is listed twice");
        let mut theirs: Vec<String> = model.operation_names().map(str::to_string).collect();
        theirs.sort();
        assert_eq!(ours, theirs);
    }
}
