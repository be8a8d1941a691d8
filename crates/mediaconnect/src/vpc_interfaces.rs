//! A flow's VPC interfaces: AddFlowVpcInterfaces and RemoveFlowVpcInterface (refused while a
//! source, output or media stream configuration uses the interface, and while the flow is
//! ACTIVE).

use crate::arn;
use crate::error::{bad_request, not_found};
use crate::flows::{changeable, flow_arn, touch};
use crate::model::{Status, VpcInterface};
use crate::requests::{parse, VpcInterfaceRequest};
use crate::rules;
use crate::store::FlowRecord;
use crate::MediaConnect;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// What on the flow uses the VPC interface `name`, as `"source X"` / `"output Y"`: a source
/// receiving on it (its own interface, a media stream's input, or the attachment of a bridge
/// source), an output sent through it.
fn user_of(record: &FlowRecord, name: &str) -> Option<String> {
    let f = &record.flow;
    for s in &f.sources {
        let by_config = s
            .media_stream_source_configurations
            .iter()
            .flatten()
            .flat_map(|c| c.input_configurations.iter().flatten())
            .any(|i| i.interface.name == name);
        let by_bridge = s
            .gateway_bridge_source
            .as_ref()
            .and_then(|b| b.vpc_interface_attachment.as_ref())
            .and_then(|a| a.vpc_interface_name.as_deref())
            == Some(name);
        if s.vpc_interface_name.as_deref() == Some(name) || by_config || by_bridge {
            return Some(format!("source {}", s.name));
        }
    }
    for o in &f.outputs {
        let attached = o
            .vpc_interface_attachment
            .as_ref()
            .and_then(|a| a.vpc_interface_name.as_deref())
            == Some(name);
        let by_config = o
            .media_stream_output_configurations
            .iter()
            .flatten()
            .flat_map(|c| c.destination_configurations.iter().flatten())
            .any(|d| d.interface.name == name);
        if attached || by_config {
            return Some(format!("output {}", o.name));
        }
    }
    None
}

/// Refuses to `what` a running flow: the User Guide has the flow stopped first for adding
/// and removing VPC interfaces.
fn not_active(record: &FlowRecord, what: &str) -> Result<(), ServiceError> {
    if record.settled() == Status::Active {
        return Err(bad_request(format!(
            "You can't {what} an ACTIVE flow. Stop the flow first."
        )));
    }
    Ok(())
}

impl MediaConnect {
    /// Adds a VPC interface (with its tags) to `record`.
    pub(crate) fn add_vpc_interface(
        &self,
        record: &mut FlowRecord,
        req: VpcInterfaceRequest,
    ) -> Result<(), ServiceError> {
        let name = rules::name("VPC interface", Some(&req.name))?.to_string();
        rules::unique(
            "VPC interface",
            &name,
            record.flow.vpc_interfaces.iter().map(|v| v.name.as_str()),
        )?;
        if !req.subnet_id.starts_with("subnet-") {
            return Err(bad_request(format!(
                "SubnetId {} is not valid. Specify a subnet ID such as subnet-0123456789abcdef0.",
                req.subnet_id
            )));
        }
        if req.security_group_ids.is_empty() {
            return Err(bad_request(
                "A VPC interface needs at least one security group.",
            ));
        }
        if let Some(sg) = req
            .security_group_ids
            .iter()
            .find(|s| !s.starts_with("sg-"))
        {
            return Err(bad_request(format!(
                "Security group {sg} is not valid. Specify a security group ID such as sg-0123456789abcdef0."
            )));
        }
        // AWS's fixed quota ("Quotas in AWS Elemental MediaConnect"): 2 ENA interfaces and 1
        // EFA interface per flow.
        let kind = req.network_interface_type.unwrap_or_else(|| "ena".into());
        let (limit, label) = if kind == "efa" {
            (1, "EFA")
        } else {
            (2, "ENA")
        };
        let same = record
            .flow
            .vpc_interfaces
            .iter()
            .filter(|v| v.network_interface_type == kind)
            .count();
        if same >= limit {
            return Err(bad_request(format!(
                "A flow can have at most 2 ENA VPC interfaces and 1 EFA VPC interface; this one would be {label} interface {}.",
                same + 1
            )));
        }
        let interface = VpcInterface {
            network_interface_ids: vec![format!("eni-{}", self.runtime.ids.hex(17))],
            network_interface_type: kind,
            role_arn: req.role_arn,
            security_group_ids: req.security_group_ids,
            subnet_id: req.subnet_id,
            name,
        };
        let tags = crate::tags::given(req.vpc_interface_tags)?;
        if !tags.is_empty() {
            let a = arn::vpc_interface(&record.flow.flow_arn, &interface.name);
            record.part_tags.insert(a, tags);
        }
        record.flow.vpc_interfaces.push(interface);
        Ok(())
    }

    /// AddFlowVpcInterfaces.
    pub(crate) fn add_flow_vpc_interfaces(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let reqs: Vec<VpcInterfaceRequest> =
            parse(input.get("VpcInterfaces").unwrap_or(&Value::Null))?;
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            // source-adding-vpc: "You can't add VPC interfaces to an active flow."
            not_active(record, "add VPC interfaces to")?;
            let before = record.flow.vpc_interfaces.len();
            for v in reqs {
                self.add_vpc_interface(record, v)?;
            }
            touch(self, record);
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "VpcInterfaces": record.flow.vpc_interfaces[before..],
            }))
        })
    }

    /// RemoveFlowVpcInterface.
    pub(crate) fn remove_flow_vpc_interface(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = input
            .get("VpcInterfaceName")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            if record.flow.vpc_interface(name).is_none() {
                return Err(not_found(format!("VPC interface not found: {name}")));
            }
            // vpc-interface-remove: "The flow must be in Standby."
            not_active(record, "remove a VPC interface from")?;
            if let Some(user) = user_of(record, name) {
                return Err(bad_request(format!(
                    "VPC interface {name} is in use by {user}. Remove it from there first."
                )));
            }
            record.flow.vpc_interfaces.retain(|v| v.name != name);
            record
                .part_tags
                .remove(&arn::vpc_interface(&record.flow.flow_arn, name));
            touch(self, record);
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "VpcInterfaceName": name,
                "NonDeletedNetworkInterfaceIds": [],
            }))
        })
    }
}
