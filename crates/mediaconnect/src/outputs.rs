//! A flow's outputs: each protocol's required members, the 50-output quota, and
//! AddFlowOutputs, UpdateFlowOutput, RemoveFlowOutput.

use crate::arn::{self, Kind};
use crate::error::{bad_request, not_found};
use crate::flows::{changeable, flow_arn, touch};
use crate::model::{Output, Transport};
use crate::quotas;
use crate::requests::{parse, OutputRequest};
use crate::rules::{self, forbidden, required};
use crate::store::FlowRecord;
use crate::MediaConnect;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// The form of a stored output that an update overlays, so updates pass the same rules.
fn as_request(o: &Output) -> OutputRequest {
    let t = o.transport.clone().unwrap_or_default();
    OutputRequest {
        cidr_allow_list: t.cidr_allow_list,
        description: o.description.clone(),
        destination: o.destination.clone(),
        encryption: o.encryption.clone(),
        max_latency: t.max_latency,
        media_stream_output_configurations: o.media_stream_output_configurations.clone(),
        min_latency: t.min_latency,
        name: Some(o.name.clone()),
        port: o.port,
        protocol: o.transport.as_ref().map(|t| t.protocol.clone()),
        remote_id: t.remote_id,
        sender_control_port: t.sender_control_port,
        sender_ip_address: t.sender_ip_address,
        smoothing_latency: t.smoothing_latency,
        stream_id: t.stream_id,
        vpc_interface_attachment: o.vpc_interface_attachment.clone(),
        output_status: o.output_status.clone(),
        ndi_speed_hq_quality: t.ndi_speed_hq_quality,
        ndi_program_name: t.ndi_program_name,
        output_tags: None,
        router_integration_state: o.router_integration_state.clone(),
        router_integration_transit_encryption: o.router_integration_transit_encryption.clone(),
        ndi_output_timecode_source: t.ndi_output_timecode_source,
        ndi_audio_reference_level: t.ndi_audio_reference_level,
        rtmp_push_settings: t.rtmp_push_output_settings,
    }
}

/// Overlays the members an update sets.
fn overlay(base: &mut OutputRequest, u: OutputRequest) {
    macro_rules! take {
        ($($f:ident),*) => {$( if u.$f.is_some() { base.$f = u.$f; } )*};
    }
    if let Some(e) = &u.encryption {
        base.encryption
            .get_or_insert_with(Default::default)
            .overlay(e);
    }
    take!(
        cidr_allow_list,
        description,
        destination,
        max_latency,
        media_stream_output_configurations,
        min_latency,
        port,
        protocol,
        remote_id,
        sender_control_port,
        sender_ip_address,
        smoothing_latency,
        stream_id,
        vpc_interface_attachment,
        output_status,
        ndi_speed_hq_quality,
        ndi_program_name,
        router_integration_state,
        router_integration_transit_encryption,
        ndi_output_timecode_source,
        ndi_audio_reference_level,
        rtmp_push_settings
    );
}

impl MediaConnect {
    /// Builds an output from `req` under the rules of its protocol, keeping `arn` when an
    /// existing output is being replaced.
    fn build_output(
        &self,
        ctx: &RequestContext,
        record: &FlowRecord,
        req: OutputRequest,
        arn: Option<String>,
    ) -> Result<Output, ServiceError> {
        let flow = &record.flow;
        let name = rules::name("Output", req.name.as_deref())?.to_string();
        let new_arn = |arn: Option<String>| {
            arn.unwrap_or_else(|| {
                arn::new_arn(
                    &self.runtime.ids,
                    &ctx.region,
                    ctx.account(),
                    Kind::Output,
                    &name,
                )
            })
        };
        let Some(protocol) = req.protocol.clone() else {
            // An output to a router (as AWS's CDK makes one) names no protocol: the router
            // output it feeds has its own.
            if req.router_integration_state.as_deref() == Some("ENABLED") {
                return Ok(Output {
                    output_arn: new_arn(arn),
                    description: req.description,
                    output_status: Some(req.output_status.unwrap_or_else(|| "ENABLED".into())),
                    router_integration_state: req.router_integration_state,
                    router_integration_transit_encryption: req
                        .router_integration_transit_encryption,
                    name,
                    ..Output::default()
                });
            }
            return Err(bad_request("Protocol is required for an output."));
        };
        let p = protocol.as_str();
        let mut listener_address = None;
        match p {
            "zixi-push" | "rtp" | "rtp-fec" | "rist" | "fujitsu-qos" | "udp" | "srt-caller" => {
                required(&req.destination, "Destination", p)?;
                required(&req.port, "Port", p)?;
                forbidden(&req.cidr_allow_list, "CidrAllowList", p)?;
                if let Some(d) = &req.destination {
                    rules::ip("Destination", d)?;
                }
            }
            "zixi-pull" => {
                required(&req.remote_id, "RemoteId", p)?;
                forbidden(&req.destination, "Destination", p)?;
                listener_address = flow.egress_ip.clone();
            }
            "srt-listener" => {
                required(&req.port, "Port", p)?;
                required(&req.cidr_allow_list, "CidrAllowList", p)?;
                forbidden(&req.destination, "Destination", p)?;
                listener_address = flow.egress_ip.clone();
            }
            "st2110-jpegxs" | "cdi" => {
                let attachment = req
                    .vpc_interface_attachment
                    .as_ref()
                    .and_then(|a| a.vpc_interface_name.clone());
                required(&attachment, "VpcInterfaceAttachment", p)?;
                required(
                    &req.media_stream_output_configurations,
                    "MediaStreamOutputConfigurations",
                    p,
                )?;
                let vpc = attachment.as_deref().and_then(|n| flow.vpc_interface(n));
                match vpc {
                    None => {
                        return Err(bad_request(format!(
                            "VPC interface {} does not exist on this flow.",
                            attachment.unwrap_or_default()
                        )))
                    }
                    Some(v) if p == "cdi" && v.network_interface_type != "efa" => {
                        return Err(bad_request(format!(
                            "CDI outputs need a VPC interface of type efa; {} is of type {}.",
                            v.name, v.network_interface_type
                        )))
                    }
                    Some(_) => {}
                }
            }
            "ndi-speed-hq" => {
                if !flow.ndi_enabled() {
                    return Err(bad_request(
                        "NDI outputs require NDI on the flow: set NdiConfig NdiState to ENABLED.",
                    ));
                }
                forbidden(&req.destination, "Destination", p)?;
            }
            "rtmp-push" => {
                required(&req.rtmp_push_settings, "RtmpPushSettings", p)?;
            }
            _ => {}
        }
        for c in req.cidr_allow_list.iter().flatten() {
            rules::cidr("CidrAllowList", c)?;
        }
        if let Some(port) = req.port {
            rules::port("Port", port)?;
        }
        let mut configs = req.media_stream_output_configurations.clone();
        for (n, c) in configs.iter_mut().flatten().enumerate() {
            if flow.media_stream(&c.media_stream_name).is_none() {
                return Err(bad_request(format!(
                    "Media stream {} does not exist on this flow.",
                    c.media_stream_name
                )));
            }
            for d in c.destination_configurations.iter_mut().flatten() {
                if flow.vpc_interface(&d.interface.name).is_none() {
                    return Err(bad_request(format!(
                        "VPC interface {} does not exist on this flow.",
                        d.interface.name
                    )));
                }
                rules::ip("DestinationIp", &d.destination_ip)?;
                rules::port("DestinationPort", d.destination_port)?;
                d.outbound_ip = format!("10.0.1.{}", 20 + n);
            }
        }
        let output_arn = new_arn(arn);
        Ok(Output {
            description: req.description,
            destination: req.destination,
            encryption: req.encryption,
            listener_address,
            media_stream_output_configurations: configs,
            name,
            output_arn,
            port: req.port,
            vpc_interface_attachment: req.vpc_interface_attachment,
            output_status: Some(req.output_status.unwrap_or_else(|| "ENABLED".into())),
            router_integration_state: req.router_integration_state,
            router_integration_transit_encryption: req.router_integration_transit_encryption,
            transport: Some(Transport {
                protocol,
                cidr_allow_list: req.cidr_allow_list,
                max_latency: req.max_latency,
                min_latency: req.min_latency,
                remote_id: req.remote_id,
                sender_control_port: req.sender_control_port,
                sender_ip_address: req.sender_ip_address,
                smoothing_latency: req.smoothing_latency,
                stream_id: req.stream_id,
                ndi_speed_hq_quality: req.ndi_speed_hq_quality,
                ndi_program_name: req.ndi_program_name,
                ndi_output_timecode_source: req.ndi_output_timecode_source,
                ndi_audio_reference_level: req.ndi_audio_reference_level,
                rtmp_push_output_settings: req.rtmp_push_settings,
                ..Transport::default()
            }),
            ..Output::default()
        })
    }

    /// Adds a new output (with its tags) to `record`.
    pub(crate) fn add_output(
        &self,
        ctx: &RequestContext,
        record: &mut FlowRecord,
        mut req: OutputRequest,
    ) -> Result<(), ServiceError> {
        // AWS's answers show an RTP output made without one with a smoothing latency of 0.
        if matches!(req.protocol.as_deref(), Some("rtp" | "rtp-fec")) {
            req.smoothing_latency.get_or_insert(0);
        }
        let name = rules::name("Output", req.name.as_deref())?;
        rules::unique(
            "Output",
            name,
            record.flow.outputs.iter().map(|o| o.name.as_str()),
        )?;
        let tags = req.output_tags.clone().unwrap_or_default();
        let output = self.build_output(ctx, record, req, None)?;
        if !tags.is_empty() {
            record.part_tags.insert(output.output_arn.clone(), tags);
        }
        record.flow.outputs.push(output);
        Ok(())
    }

    /// AddFlowOutputs.
    pub(crate) fn add_flow_outputs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let outputs: Vec<OutputRequest> = parse(input.get("Outputs").unwrap_or(&Value::Null))?;
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            quotas::OUTPUTS_PER_FLOW
                .admit(&self.runtime, record.flow.outputs.len(), outputs.len())
                .map_err(quotas::exceeded("AddFlowOutputs420Exception"))?;
            let before = record.flow.outputs.len();
            for o in outputs {
                self.add_output(ctx, record, o)?;
            }
            touch(self, record);
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "Outputs": record.flow.outputs[before..],
            }))
        })
    }

    /// UpdateFlowOutput: the stored output overlaid with the request, checked again.
    pub(crate) fn update_flow_output(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let update: OutputRequest = parse(input)?;
        let output_arn = input.get("OutputArn").and_then(Value::as_str).unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            let i = record
                .flow
                .outputs
                .iter()
                .position(|o| o.output_arn == output_arn)
                .ok_or_else(|| not_found(format!("Output not found: {output_arn}")))?;
            let mut req = as_request(&record.flow.outputs[i]);
            overlay(
                &mut req,
                OutputRequest {
                    name: None,
                    ..update
                },
            );
            let output = self.build_output(ctx, record, req, Some(output_arn.to_string()))?;
            record.flow.outputs[i] = output.clone();
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "Output": output }))
        })
    }

    /// RemoveFlowOutput.
    pub(crate) fn remove_flow_output(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let output_arn = input.get("OutputArn").and_then(Value::as_str).unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            let before = record.flow.outputs.len();
            record.flow.outputs.retain(|o| o.output_arn != output_arn);
            if record.flow.outputs.len() == before {
                return Err(not_found(format!("Output not found: {output_arn}")));
            }
            record.part_tags.remove(output_arn);
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "OutputArn": output_arn }))
        })
    }
}
