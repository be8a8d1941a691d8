//! A flow's outputs: each protocol's required members, the 50-output quota (10 on a CDI
//! flow), distinct destinations, and AddFlowOutputs, UpdateFlowOutput, RemoveFlowOutput.

use crate::arn::{self, Kind};
use crate::error::{bad_request, not_found};
use crate::flows::{changeable, flow_arn, touch};
use crate::model::{Encryption, Flow, Output, Status, Transport};
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

/// Protocols whose outputs are sent to a `Destination` address and `Port`.
const PUSH_PROTOCOLS: [&str; 6] = ["zixi-push", "rtp", "rtp-fec", "rist", "udp", "srt-caller"];

/// Protocols whose outputs listen for their receivers and take a `CidrAllowList`.
const LISTENER_PROTOCOLS: [&str; 2] = ["zixi-pull", "srt-listener"];

/// Overlays the members an update sets. An update to another protocol starts the transport's
/// settings afresh, as a source's update does: members the new protocol refuses (an RTP
/// output's `Destination` on an SRT listener, a listener's `CidrAllowList` on a push output)
/// would otherwise stay, and no request could clear them. Where and to whom it sends is kept
/// where the new protocol takes it.
fn overlay(base: &mut OutputRequest, u: OutputRequest) {
    macro_rules! take {
        ($($f:ident),*) => {$( if u.$f.is_some() { base.$f = u.$f; } )*};
    }
    if let Some(p) = u
        .protocol
        .as_deref()
        .filter(|p| base.protocol.as_deref() != Some(*p))
    {
        let push = PUSH_PROTOCOLS.contains(&p);
        let listener = LISTENER_PROTOCOLS.contains(&p);
        *base = OutputRequest {
            description: base.description.take(),
            name: base.name.take(),
            destination: base.destination.take().filter(|_| push),
            port: base.port.take().filter(|_| push || p == "srt-listener"),
            cidr_allow_list: base.cidr_allow_list.take().filter(|_| listener),
            vpc_interface_attachment: base.vpc_interface_attachment.take(),
            media_stream_output_configurations: base.media_stream_output_configurations.take(),
            output_status: base.output_status.take(),
            router_integration_state: base.router_integration_state.take(),
            router_integration_transit_encryption: base
                .router_integration_transit_encryption
                .take(),
            ..OutputRequest::default()
        };
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

/// One thing an output's destination is made of, as the User Guide's "Output destinations"
/// table defines it per protocol: "Each output on a flow must be sent to a different
/// destination."
#[derive(Debug, Clone, Copy, PartialEq)]
enum Destination<'a> {
    /// A UDP port at an address; a Zixi push output also names its stream there.
    Address {
        ip: &'a str,
        port: i64,
        stream: Option<&'a str>,
    },
    /// A port the flow listens on for the receiver (SRT listener).
    Listener(i64),
    /// A stream a Zixi receiver pulls: its stream ID and the receiver's remote ID.
    Pull {
        stream: Option<&'a str>,
        remote: Option<&'a str>,
    },
}

impl Destination<'_> {
    /// Whether two outputs with these would share a destination.
    fn clashes(&self, other: &Destination<'_>) -> bool {
        use Destination::*;
        match (self, other) {
            (
                Address { ip, port, stream },
                Address {
                    ip: ip2,
                    port: port2,
                    stream: stream2,
                },
            ) => {
                // Textual forms of one address (IPv6 spellings) are the same address.
                let same_ip = match (
                    ip.parse::<std::net::IpAddr>(),
                    ip2.parse::<std::net::IpAddr>(),
                ) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => ip == ip2,
                };
                // Zixi multiplexes streams on a port: two pushes differ by their stream IDs.
                let same_stream = stream.is_none() || stream2.is_none() || stream == stream2;
                same_ip && port == port2 && same_stream
            }
            (Listener(a), Listener(b)) => a == b,
            (Pull { .. }, Pull { .. }) => self == other,
            _ => false,
        }
    }

    /// Why `new` cannot have this destination, which `other` already has.
    fn clash_message(&self, new: &str, other: &str) -> String {
        let rule = "Each output on a flow must be sent to a different destination";
        match self {
            Destination::Address { ip, port, .. } => format!(
                "Output {new} can't use port {port} at {ip}: output {other} already uses it. {rule}; outputs can point to the same IP address as long as none of their ports overlap (RIST outputs also use port+1, RTP-FEC outputs port+2 and port+4)."
            ),
            Destination::Listener(port) => format!(
                "Output {new} can't listen on port {port}: output {other} already listens on it. {rule}."
            ),
            Destination::Pull { stream, remote } => format!(
                "Output {new} can't use stream ID {} with remote ID {}: output {other} already does. {rule}; outputs can use the same stream ID as long as their remote IDs are different.",
                stream.unwrap_or_default(),
                remote.unwrap_or_default()
            ),
        }
    }
}

/// What `o`'s destination is made of: none for protocols whose destination is not an address
/// or port (NDI, RTMP push) and for router-integrated outputs.
fn destinations(o: &Output) -> Vec<Destination<'_>> {
    let Some(t) = &o.transport else {
        return Vec::new();
    };
    let p = t.protocol.as_str();
    match p {
        "zixi-pull" => vec![Destination::Pull {
            stream: t.stream_id.as_deref(),
            remote: t.remote_id.as_deref(),
        }],
        "srt-listener" => o.port.map(Destination::Listener).into_iter().collect(),
        // "The ports that you specify for each media stream."
        "cdi" | "st2110-jpegxs" => o
            .media_stream_output_configurations
            .iter()
            .flatten()
            .flat_map(|c| c.destination_configurations.iter().flatten())
            .map(|d| Destination::Address {
                ip: &d.destination_ip,
                port: d.destination_port,
                stream: None,
            })
            .collect(),
        "ndi-speed-hq" | "rtmp-push" => Vec::new(),
        _ => match (&o.destination, o.port) {
            (Some(ip), Some(port)) => rules::protocol_ports(p, port)
                .into_iter()
                .map(|port| Destination::Address {
                    ip,
                    port,
                    stream: if p == "zixi-push" {
                        t.stream_id.as_deref()
                    } else {
                        None
                    },
                })
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// Refuses an output of `flow` for which `fresh` holds (added or changed by this request)
/// whose destination another output of the flow already has.
fn check_destinations(flow: &Flow, fresh: impl Fn(usize) -> bool) -> Result<(), ServiceError> {
    let all: Vec<Vec<Destination<'_>>> = flow.outputs.iter().map(destinations).collect();
    for (i, mine) in all.iter().enumerate().filter(|(i, _)| fresh(*i)) {
        for (j, theirs) in all.iter().enumerate().filter(|(j, _)| *j != i) {
            // A pair of fresh outputs is reported once, naming the later one.
            if fresh(j) && j > i {
                continue;
            }
            if let Some(d) = mine.iter().find(|d| theirs.iter().any(|e| d.clashes(e))) {
                let (new, other) = (&flow.outputs[i].name, &flow.outputs[j].name);
                return Err(bad_request(d.clash_message(new, other)));
            }
        }
    }
    Ok(())
}

/// Whether `o` is a standard output: one with a protocol that is not sent to a VPC interface.
fn standard(o: &Output) -> bool {
    let attached = o
        .vpc_interface_attachment
        .as_ref()
        .and_then(|a| a.vpc_interface_name.as_ref());
    o.transport.is_some() && attached.is_none()
}

impl MediaConnect {
    /// Builds an output from `req` under the rules of its protocol, keeping `arn` when an
    /// existing output is being replaced.
    fn build_output(
        &self,
        record: &FlowRecord,
        mut req: OutputRequest,
        arn: Option<String>,
    ) -> Result<Output, ServiceError> {
        let flow = &record.flow;
        let name = rules::name("Output", req.name.as_deref())?.to_string();
        crate::encryption::check_output(req.encryption.as_deref(), req.protocol.as_deref())?;
        let new_arn = |arn: Option<String>| {
            arn.unwrap_or_else(|| arn::part_arn(&flow.flow_arn, Kind::Output, &name))
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
        rules::supported_protocol(p)?;
        // AWS's answers show an RTP output made without one with a smoothing latency of 0,
        // and a Zixi push output with a maximum latency of 6000 ms (AWS's getting-started
        // tutorial; the User Guide: "If you keep this field blank, the service uses the
        // default value of 6,000 ms").
        if matches!(p, "rtp" | "rtp-fec") {
            req.smoothing_latency.get_or_insert(0);
        }
        if p == "zixi-push" {
            req.max_latency.get_or_insert(6000);
        }
        let mut listener_address = None;
        match p {
            p if PUSH_PROTOCOLS.contains(&p) => {
                required(&req.destination, "Destination", p)?;
                required(&req.port, "Port", p)?;
                forbidden(&req.cidr_allow_list, "CidrAllowList", p)?;
                match &req.destination {
                    // outputs-add-standard, SRT caller: "enter the IP address or domain of
                    // the output's destination".
                    Some(d) if p == "srt-caller" => rules::ip_or_domain("Destination", d)?,
                    Some(d) => rules::ip("Destination", d)?,
                    None => {}
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
                // API_Flow's FlowSize: "Set this optional parameter to LARGE if you want to
                // enable NDI outputs on the flow."
                if flow.flow_size.as_deref() != Some("LARGE") {
                    return Err(bad_request(
                        "NDI outputs require a LARGE flow: set the flow's FlowSize to LARGE.",
                    ));
                }
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
        let attached = req
            .vpc_interface_attachment
            .as_ref()
            .and_then(|a| a.vpc_interface_name.as_deref());
        if let Some(v) = attached.filter(|v| flow.vpc_interface(v).is_none()) {
            return Err(bad_request(format!(
                "VPC interface {v} does not exist on this flow."
            )));
        }
        // The model's Output.ListenerAddress: "For private networking, the ListenerAddress is
        // represented by the elastic network interface IP address of the VPC."
        if let (Some(_), Some(v)) = (&listener_address, attached) {
            listener_address = flow.vpc_interface_ip(v);
        }
        for c in req.cidr_allow_list.iter().flatten() {
            rules::cidr("CidrAllowList", c)?;
        }
        rules::zixi_max_latency(p, req.max_latency)?;
        match req.port {
            // A listener output's port is the flow's own; the others name the receiver's.
            Some(port) if p == "srt-listener" => rules::listening_port("Port", port, p)?,
            Some(port) => rules::port("Port", port)?,
            None => {}
        }
        crate::media_streams::check_output_streams(flow, &req.media_stream_output_configurations)?;
        let mut configs = req.media_stream_output_configurations.clone();
        for (n, c) in configs.iter_mut().flatten().enumerate() {
            if flow.media_stream(&c.media_stream_name).is_none() {
                return Err(bad_request(format!(
                    "Media stream {} does not exist on this flow.",
                    c.media_stream_name
                )));
            }
            // The model's EncodingParametersRequest: "Valid values are floating point numbers
            // in the range of 3.0 to 10.0, inclusive."
            let factor = c
                .encoding_parameters
                .as_ref()
                .and_then(|e| e.get("CompressionFactor"))
                .and_then(Value::as_f64);
            if let Some(f) = factor.filter(|f| !(3.0..=10.0).contains(f)) {
                return Err(bad_request(format!(
                    "CompressionFactor {f} is not valid. Specify a value from 3.0 to 10.0."
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
        // The model's Transport: for NDI outputs NdiOutputTimecodeSource and
        // NdiAudioReferenceLevel are "always present" and default to EMBEDDED_TIMECODE and -20.
        let ndi = p == "ndi-speed-hq";
        let ndi_output_timecode_source = req
            .ndi_output_timecode_source
            .or_else(|| ndi.then(|| "EMBEDDED_TIMECODE".to_string()));
        let ndi_audio_reference_level = req.ndi_audio_reference_level.or(ndi.then_some(-20));
        // An NDI output made without a quality answers 100: AWS CDK's integration test
        // (aws-mediaconnect-alpha integ.mediaconnect-flow-ndi) asserts DescribeFlow's
        // `Outputs[0].Transport.NdiSpeedHqQuality` is 100 for an output that set none.
        let ndi_speed_hq_quality = req.ndi_speed_hq_quality.or(ndi.then_some(100));
        let encryption = req.encryption.map(Encryption::answered);
        Ok(Output {
            description: req.description,
            destination: req.destination,
            encryption,
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
                ndi_speed_hq_quality,
                ndi_program_name: req.ndi_program_name,
                ndi_output_timecode_source,
                ndi_audio_reference_level,
                rtmp_push_output_settings: req.rtmp_push_settings,
                ..Transport::default()
            }),
            ..Output::default()
        })
    }

    /// The rules a flow's outputs keep together, checked once a request's outputs are all in
    /// place (so their order does not matter): `fresh` tells the outputs this request added
    /// or changed, `quota_code` the error the CDI output quota answers with.
    pub(crate) fn check_outputs(
        &self,
        flow: &Flow,
        fresh: impl Fn(usize) -> bool,
        quota_code: &'static str,
    ) -> Result<(), ServiceError> {
        rules::check_flow_size(flow)?;
        if rules::cdi_flow(flow) {
            quotas::OUTPUTS_PER_CDI_FLOW
                .admit(&self.runtime, flow.outputs.len(), 0)
                .map_err(quotas::exceeded(quota_code))?;
            // outputs-add-standard.html: "CDI flows don't support standard outputs."
            if let Some(o) = flow.outputs.iter().find(|o| standard(o)) {
                return Err(bad_request(format!(
                    "CDI flows don't support standard outputs. Output {} must be sent to a VPC interface of the flow (VpcInterfaceAttachment).",
                    o.name
                )));
            }
        }
        rules::check_output_family(flow)?;
        check_destinations(flow, fresh)
    }

    /// Adds a new output (with its tags) to `record`.
    pub(crate) fn add_output(
        &self,
        record: &mut FlowRecord,
        req: OutputRequest,
    ) -> Result<(), ServiceError> {
        // Only a new output's name is checked: an update keeps the name its ARN already has.
        let name = rules::arn_name("Output", req.name.as_deref())?;
        rules::unique(
            "Output",
            name,
            record.flow.outputs.iter().map(|o| o.name.as_str()),
        )?;
        let tags = crate::tags::given(req.output_tags.clone())?;
        let output = self.build_output(record, req, None)?;
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
            // outputs-add-vpc: "For CDI flows, you can add outputs (up to 10) only if the
            // flow is in standby mode."
            if rules::cdi_flow(&record.flow) && record.settled() == Status::Active {
                return Err(bad_request(
                    "You can add outputs to a CDI flow only while the flow is in STANDBY. Stop the flow first.",
                ));
            }
            quotas::OUTPUTS_PER_FLOW
                .admit(&self.runtime, record.flow.outputs.len(), outputs.len())
                .map_err(quotas::exceeded("AddFlowOutputs420Exception"))?;
            let before = record.flow.outputs.len();
            for o in outputs {
                self.add_output(record, o)?;
            }
            self.check_outputs(&record.flow, |i| i >= before, "AddFlowOutputs420Exception")?;
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
            let output = self.build_output(record, req, Some(output_arn.to_string()))?;
            record.flow.outputs[i] = output.clone();
            // UpdateFlowOutput has no 420 shape of its own.
            self.check_outputs(&record.flow, |j| j == i, "BadRequestException")?;
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
