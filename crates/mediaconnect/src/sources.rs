//! A flow's sources: the rules of each protocol, entitlement sources (another account's flow
//! feeding this one), and AddFlowSources, UpdateFlowSource, RemoveFlowSource.

use crate::arn::{self, Kind};
use crate::error::{bad_request, not_found};
use crate::flows::{changeable, check_failover, flow_arn, touch};
use crate::model::{Encryption, Flow, Source, Transport};
use crate::requests::{parse, with_input_ip, SourceRequest};
use crate::rules::{self, forbidden, required};
use crate::store::{FlowRecord, State};
use crate::MediaConnect;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// The form of a stored source that an update overlays, so updates pass the same rules.
fn as_request(s: &Source) -> SourceRequest {
    let t = s.transport.clone().unwrap_or_default();
    SourceRequest {
        decryption: s.decryption.clone(),
        description: s.description.clone(),
        entitlement_arn: s.entitlement_arn.clone(),
        ingest_port: s.ingest_port,
        max_bitrate: t.max_bitrate,
        max_latency: t.max_latency,
        max_sync_buffer: t.max_sync_buffer,
        media_stream_source_configurations: s.media_stream_source_configurations.clone(),
        min_latency: t.min_latency,
        name: Some(s.name.clone()),
        protocol: s.transport.as_ref().map(|t| t.protocol.clone()),
        sender_control_port: s.sender_control_port,
        sender_ip_address: s.sender_ip_address.clone(),
        source_listener_address: t.source_listener_address,
        source_listener_port: t.source_listener_port,
        stream_id: t.stream_id,
        vpc_interface_name: s.vpc_interface_name.clone(),
        whitelist_cidr: s.whitelist_cidr.clone(),
        gateway_bridge_source: s.gateway_bridge_source.clone(),
        ndi_source_settings: t.ndi_source_settings,
        source_tags: None,
        router_integration_state: s.router_integration_state.clone(),
        router_integration_transit_decryption: s.router_integration_transit_decryption.clone(),
        rtmp_push_settings: None,
        kept_rtmp: t.rtmp_push_source_settings,
    }
}

/// Overlays the members an update sets. An update to another protocol starts the transport's
/// settings afresh: the old protocol's ports, latencies, stream ID and decryption would
/// otherwise stay, and some the new protocol refuses could not be cleared. That includes the
/// maximum bitrate: AWS's CLI example of UpdateFlowSource from rtp (`MaxBitrate` 80000000)
/// to rtp-fec answers a transport of `{"Protocol": "rtp-fec"}` alone.
fn overlay(base: &mut SourceRequest, u: SourceRequest) {
    macro_rules! take {
        ($($f:ident),*) => {$( if u.$f.is_some() { base.$f = u.$f; } )*};
    }
    if u.protocol.is_some() && u.protocol != base.protocol {
        *base = SourceRequest {
            description: base.description.take(),
            name: base.name.take(),
            vpc_interface_name: base.vpc_interface_name.take(),
            whitelist_cidr: base.whitelist_cidr.take(),
            media_stream_source_configurations: base.media_stream_source_configurations.take(),
            router_integration_state: base.router_integration_state.take(),
            router_integration_transit_decryption: base
                .router_integration_transit_decryption
                .take(),
            ..SourceRequest::default()
        };
    }
    // UpdateGatewayBridgeSourceRequest, unlike SetGatewayBridgeSourceRequest, requires
    // neither member: the bridge or the attachment an update leaves out stays.
    if let Some(b) = u.gateway_bridge_source {
        let kept = base
            .gateway_bridge_source
            .get_or_insert_with(Default::default);
        if !b.bridge_arn.is_empty() {
            kept.bridge_arn = b.bridge_arn;
        }
        if b.vpc_interface_attachment.is_some() {
            kept.vpc_interface_attachment = b.vpc_interface_attachment;
        }
    }
    if let Some(d) = &u.decryption {
        base.decryption
            .get_or_insert_with(Default::default)
            .overlay(d);
    }
    take!(
        description,
        entitlement_arn,
        ingest_port,
        max_bitrate,
        max_latency,
        max_sync_buffer,
        media_stream_source_configurations,
        min_latency,
        protocol,
        sender_control_port,
        sender_ip_address,
        source_listener_address,
        source_listener_port,
        stream_id,
        vpc_interface_name,
        whitelist_cidr,
        ndi_source_settings,
        router_integration_state,
        router_integration_transit_decryption,
        rtmp_push_settings
    );
}

/// The rules a flow's sources keep together (the User Guide's "Adding a standard source",
/// "Source ports" and quotas pages): an entitled source is the only one, as is a CDI flow's;
/// NDI sources and outputs need their flow LARGE with NDI on ([`rules::check_ndi`]);
/// all use the same protocol (RTP with RTP-FEC allowed); no two at one address (the flow's,
/// or a VPC interface's) share a port, counting the ones RIST and RTP-FEC reserve; 2090-2099
/// are Zixi's.
pub(crate) fn check_sources(flow: &Flow) -> Result<(), ServiceError> {
    if flow.sources.len() > 1 && flow.sources.iter().any(|s| s.entitlement_arn.is_some()) {
        return Err(bad_request(
            "A flow that uses an entitled source can't have a second source.",
        ));
    }
    rules::check_ndi(flow)?;
    rules::check_flow_size(flow)?;
    rules::check_output_family(flow)?;
    // "Sources: 2 per transport stream flow, 1 per CDI flow" (the User Guide's quotas).
    if flow.sources.len() > 1 && rules::cdi_flow(flow) {
        return Err(bad_request("A CDI flow can have only one source."));
    }
    let standard: Vec<(&Source, &str)> = flow
        .sources
        .iter()
        .filter_map(|s| Some((s, s.transport.as_ref()?.protocol.as_str())))
        .collect();
    check_failover_support(flow, &standard)?;
    let rtp = |p: &str| p == "rtp" || p == "rtp-fec";
    if let [(_, a), (_, b), ..] = standard.as_slice() {
        if a != b && !(rtp(a) && rtp(b)) {
            return Err(bad_request(format!(
                "All sources on a flow must use the same protocol (one may use rtp and the other rtp-fec); this flow's sources use {a} and {b}."
            )));
        }
    }
    // A port is taken at one address: the flow's public one, or a VPC interface's.
    let mut taken: Vec<(Option<&str>, i64, &str)> = Vec::new();
    for (s, p) in &standard {
        if *p == "zixi-push" {
            continue;
        }
        let Some(port) = s.ingest_port else { continue };
        for q in rules::protocol_ports(p, port) {
            if (2090..=2099).contains(&q) {
                return Err(bad_request(format!(
                    "Source {} can't use port {q}: ports 2090-2099 are reserved for Zixi sources in a VPC.",
                    s.name
                )));
            }
            let at = s.vpc_interface_name.as_deref();
            if let Some((_, _, other)) = taken.iter().find(|(a, t, _)| *a == at && *t == q) {
                return Err(bad_request(format!(
                    "Each source on a flow must use a different port: sources {other} and {} both use port {q}.",
                    s.name
                )));
            }
            taken.push((at, q, &s.name));
        }
    }
    Ok(())
}

/// The User Guide's "Failover support for source protocols" table: CDI and ST 2110 JPEG XS
/// sources do not support source failover ("How many sources can be added?": 1, whatever
/// the VPC interface), and SRT listener and SRT caller sources support "Failover only", not
/// Merge.
fn check_failover_support(flow: &Flow, standard: &[(&Source, &str)]) -> Result<(), ServiceError> {
    if flow.sources.len() > 1 {
        if let Some((_, p)) = standard.iter().find(|(_, p)| crate::rules::uncompressed(p)) {
            return Err(bad_request(format!(
                "A flow with a {p} source can have only one source. Source failover is not supported for CDI and ST 2110 JPEG XS sources."
            )));
        }
    }
    let merge = flow.source_failover_config.as_ref().is_some_and(|c| {
        c.state.as_deref() == Some("ENABLED") && c.failover_mode.as_deref() == Some("MERGE")
    });
    if let Some((s, p)) = standard
        .iter()
        .find(|(_, p)| merge && matches!(*p, "srt-listener" | "srt-caller"))
    {
        return Err(bad_request(format!(
            "Source {} uses {p}, which supports only the FAILOVER failover mode, not MERGE.",
            s.name
        )));
    }
    Ok(())
}

/// A public Zixi push source's port: "If the protocol of the source is Zixi, the port must be
/// set to 2088" (the model's `IngestPort`); MediaConnect sets it when none is given.
fn zixi_public_port(given: Option<i64>) -> Result<i64, ServiceError> {
    match given {
        None | Some(2088) => Ok(2088),
        Some(port) => Err(bad_request(format!(
            "IngestPort {port} is not valid for protocol zixi-push. Zixi push sources use port 2088."
        ))),
    }
}

/// A Zixi push source on a VPC interface: "the sources will use an inbound port range of
/// 2090-2099 ... assigned by MediaConnect when the source is created" (the User Guide's source
/// ports). It keeps the port it has; a new one gets the first the flow's other sources leave.
fn zixi_vpc_port(flow: &Flow, source_arn: &str, given: Option<i64>) -> Result<i64, ServiceError> {
    const RANGE: std::ops::RangeInclusive<i64> = 2090..=2099;
    if let Some(port) = given {
        return if RANGE.contains(&port) {
            Ok(port)
        } else {
            Err(bad_request(format!(
                "IngestPort {port} is not valid for a zixi-push source on a VPC interface. MediaConnect assigns these sources a port from 2090-2099."
            )))
        };
    }
    let taken = |q: i64| {
        flow.sources
            .iter()
            .any(|s| s.source_arn != source_arn && s.ingest_port == Some(q))
    };
    RANGE
        .clone()
        .find(|q| !taken(*q))
        .ok_or_else(|| bad_request("All ports 2090-2099 for Zixi sources in a VPC are in use."))
}

impl MediaConnect {
    /// Builds a source from `req` under the rules of its protocol (or as an entitlement
    /// source), keeping `arn` when an existing source is being replaced.
    fn build_source(
        &self,
        ctx: &RequestContext,
        record: &FlowRecord,
        state: &State,
        req: SourceRequest,
        arn: Option<String>,
    ) -> Result<Source, ServiceError> {
        let flow = &record.flow;
        let name = rules::name("Source", req.name.as_deref())?.to_string();
        crate::encryption::check_source(req.decryption.as_deref(), req.protocol.as_deref())?;
        let new = arn.is_none();
        let source_arn = arn.unwrap_or_else(|| arn::part_arn(&flow.flow_arn, Kind::Source, &name));
        let mut s = Source {
            decryption: req.decryption.clone().map(Encryption::answered),
            description: req.description.clone(),
            name,
            source_arn,
            ..Source::default()
        };
        if let Some(e) = &req.entitlement_arn {
            forbidden(&req.protocol, "Protocol", "entitlement sources")?;
            let owner = state
                .granted_entitlement(e, ctx.account())
                .filter(|_| arn::parse(e).is_some_and(|p| p.region == ctx.region));
            let Some(ent) = owner else {
                return Err(bad_request(format!(
                    "The entitlement {e} does not exist or has not been granted to account {}.",
                    ctx.account()
                )));
            };
            // "The subscriber can use an entitlement only once."
            let used = state.flows.iter_in(ctx).any(|(arn, other)| {
                arn != flow.flow_arn.as_str()
                    && other
                        .value
                        .flow
                        .sources
                        .iter()
                        .any(|x| x.entitlement_arn.as_deref() == Some(e.as_str()))
            });
            if used {
                return Err(bad_request(format!(
                    "The entitlement {e} is already the source of another flow. An entitlement can be used only once."
                )));
            }
            s.entitlement_arn = Some(e.clone());
            s.data_transfer_subscriber_fee_percent =
                Some(ent.data_transfer_subscriber_fee_percent.unwrap_or(0));
            return Ok(s);
        }
        if let Some(b) = &req.gateway_bridge_source {
            forbidden(&req.protocol, "Protocol", "bridge sources")?;
            let ingress = state
                .bridges
                .get_in(ctx, &b.bridge_arn)
                .is_some_and(|x| x.value.bridge.ingress_gateway_bridge.is_some());
            if !ingress {
                return Err(bad_request(format!(
                    "BridgeArn {} is not an ingress bridge in this account and region.",
                    b.bridge_arn
                )));
            }
            // GatewayBridgeSource.VpcInterfaceAttachment: "The name of the VPC interface
            // attachment to use for this bridge source", one of the flow's.
            let vpc = b.vpc_interface_attachment.as_ref();
            if let Some(v) = vpc
                .and_then(|a| a.vpc_interface_name.as_deref())
                .filter(|v| flow.vpc_interface(v).is_none())
            {
                return Err(bad_request(format!(
                    "VPC interface {v} does not exist on this flow."
                )));
            }
            s.gateway_bridge_source = Some(b.clone());
            return Ok(s);
        }
        // A source fed by a router (as AWS's CDK makes one) names no protocol: the router
        // output feeding it has its own.
        if req.protocol.is_none() && req.router_integration_state.as_deref() == Some("ENABLED") {
            s.router_integration_state = req.router_integration_state;
            s.router_integration_transit_decryption = req.router_integration_transit_decryption;
            return Ok(s);
        }
        let Some(protocol) = req.protocol.clone() else {
            return Err(bad_request(
                "Protocol is required for a source that is not an entitlement or a bridge.",
            ));
        };
        if !rules::SOURCE_PROTOCOLS.contains(&protocol.as_str()) {
            return Err(bad_request(format!(
                "Protocol {protocol} is not supported for flow sources."
            )));
        }
        rules::supported_protocol(&protocol)?;
        let p = protocol.as_str();
        let mut ingest_port = req.ingest_port;
        let mut ingest_ip = record
            .flow
            .sources
            .iter()
            .filter(|s| s.vpc_interface_name.is_none())
            .find_map(|s| s.ingest_ip.clone())
            // Media arrives at the flow's own address, the one it sends from (as AWS's
            // answers show: `IngestIp` equals the flow's `EgressIp`).
            .or_else(|| record.flow.egress_ip.clone())
            .unwrap_or_else(|| self.public_ip());
        match p {
            "zixi-push" => {
                forbidden(&req.source_listener_address, "SourceListenerAddress", p)?;
                // MediaConnect picks a new VPC Zixi source's port itself: "VPC sources are
                // auto-assigned a port in 2090-2099 and reject any explicit ingestPort value"
                // (AWS CDK's aws-mediaconnect-alpha flow-source-configuration.ts); "The VPC Zixi
                // source port is assigned by MediaConnect when the source is created" (the
                // User Guide's source ports).
                if new && req.vpc_interface_name.is_some() && req.ingest_port.is_some() {
                    return Err(bad_request(
                        "IngestPort is not supported for a zixi-push source on a VPC interface. MediaConnect assigns these sources a port from 2090-2099.",
                    ));
                }
                ingest_port = Some(match &req.vpc_interface_name {
                    None => zixi_public_port(ingest_port)?,
                    Some(_) => zixi_vpc_port(flow, &s.source_arn, ingest_port)?,
                });
            }
            "rtp" | "rtp-fec" | "rist" | "udp" | "srt-listener" => {
                required(&req.ingest_port, "IngestPort", p)?;
                // A standard source names who may contribute; a VPC source receives only
                // inside the VPC (the User Guide's VPC-source steps for RIST, RTP, RTP-FEC and
                // SRT listener ask for no Whitelist CIDR, its standard-source steps do).
                if req.vpc_interface_name.is_none() {
                    required(&req.whitelist_cidr, "WhitelistCidr", p)?;
                }
                forbidden(&req.source_listener_address, "SourceListenerAddress", p)?;
            }
            "srt-caller" => {
                required(&req.source_listener_address, "SourceListenerAddress", p)?;
                required(&req.source_listener_port, "SourceListenerPort", p)?;
                forbidden(&req.ingest_port, "IngestPort", p)?;
            }
            "st2110-jpegxs" | "cdi" => {
                required(
                    &req.media_stream_source_configurations,
                    "MediaStreamSourceConfigurations",
                    p,
                )?;
                // AWS CDK's MediaConnect constructs (aws-mediaconnect-alpha
                // flow-source-configuration.ts): "CDI requires MaxSyncBuffer at the service
                // level ... avoids a deploy-time error", and "JPEG XS, like CDI, requires
                // MaxSyncBuffer at the service level".
                required(&req.max_sync_buffer, "MaxSyncBuffer", p)?;
                // The interfaces may be named per media stream instead of for the source:
                // the User Guide's CLI example of a CDI flow makes a JPEG XS source with no
                // VpcInterfaceName whose media streams each receive on two interfaces.
                let per_stream = req
                    .media_stream_source_configurations
                    .iter()
                    .flatten()
                    .any(|c| {
                        c.input_configurations
                            .as_ref()
                            .is_some_and(|i| !i.is_empty())
                    });
                if !per_stream {
                    required(&req.vpc_interface_name, "VpcInterfaceName", p)?;
                }
            }
            "ndi-speed-hq" if !flow.ndi_enabled() => {
                return Err(bad_request(
                    "NDI sources require NDI on the flow: set NdiConfig NdiState to ENABLED.",
                ));
            }
            "ndi-speed-hq" => {
                let sender = req.ndi_source_settings.as_ref();
                if let Some(name) = sender.and_then(|n| n.get("SourceName")) {
                    rules::ndi_sender_name(name.as_str().unwrap_or_default())?;
                }
            }
            _ => {}
        }
        if let Some(c) = &req.whitelist_cidr {
            rules::cidr("WhitelistCidr", c)?;
        }
        rules::zixi_max_latency(p, req.max_latency)?;
        match ingest_port {
            Some(port) if p == "zixi-push" => rules::port("IngestPort", port)?,
            Some(port) => rules::listening_port("IngestPort", port, p)?,
            None => {}
        }
        if let Some(port) = req.source_listener_port {
            rules::port("SourceListenerPort", port)?;
        }
        if let Some(a) = &req.sender_ip_address {
            rules::ip("SenderIpAddress", a)?;
        }
        if let Some(v) = &req.vpc_interface_name {
            // A source on a VPC interface receives at the interface's private address (of
            // every protocol), not at the flow's public one.
            ingest_ip = flow.vpc_interface_ip(v).ok_or_else(|| {
                bad_request(format!("VPC interface {v} does not exist on this flow."))
            })?;
        }
        let mut configs = req.media_stream_source_configurations.clone();
        for c in configs.iter().flatten() {
            if flow.media_stream(&c.media_stream_name).is_none() {
                return Err(bad_request(format!(
                    "Media stream {} does not exist on this flow.",
                    c.media_stream_name
                )));
            }
            for i in c.input_configurations.iter().flatten() {
                if flow.vpc_interface(&i.interface.name).is_none() {
                    return Err(bad_request(format!(
                        "VPC interface {} does not exist on this flow.",
                        i.interface.name
                    )));
                }
                rules::port("InputPort", i.input_port)?;
            }
        }
        if let Some(c) = configs.as_mut() {
            // Each input receives at the address of the interface it names.
            with_input_ip(c, &ingest_ip, |name| flow.vpc_interface_ip(name));
        }
        let rtmp = match p {
            "rtmp-push" => Some(self.rtmp_naming(req.rtmp_push_settings.as_ref(), req.kept_rtmp)?),
            _ => None,
        };
        // A caller connects out; a CDI or JPEG XS source named no interface receives only at
        // its media streams' inputs (the User Guide's example answers no IngestIp).
        let per_stream_only = crate::rules::uncompressed(p) && req.vpc_interface_name.is_none();
        s.ingest_ip = (p != "srt-caller" && !per_stream_only).then_some(ingest_ip);
        s.ingest_port = ingest_port;
        s.media_stream_source_configurations = configs;
        s.sender_control_port = req.sender_control_port;
        s.sender_ip_address = req.sender_ip_address.clone();
        s.vpc_interface_name = req.vpc_interface_name.clone();
        s.whitelist_cidr = req.whitelist_cidr.clone();
        s.router_integration_state = req.router_integration_state.clone();
        s.router_integration_transit_decryption = req.router_integration_transit_decryption.clone();
        // AWS's answers show an RTP source made without one at 80 Mb/s, and an RTP-FEC source
        // too when it is made (the User Guide's create-flow example); a source updated from
        // rtp to rtp-fec answers none (the CLI's update-flow-source example).
        let default_bitrate = protocol == "rtp" || (new && protocol == "rtp-fec");
        let max_bitrate = req.max_bitrate.or(default_bitrate.then_some(80_000_000));
        // A RIST source made without a maximum latency answers 2000 ms: AWS CDK's integration
        // test (aws-mediaconnect-alpha integ.mediaconnect-flow-defaults) asserts DescribeFlow's
        // `Source.Transport.MaxLatency` is 2000 for a RIST source that set none.
        let max_latency = req.max_latency.or((protocol == "rist").then_some(2000));
        s.transport = Some(Transport {
            protocol,
            max_bitrate,
            max_latency,
            max_sync_buffer: req.max_sync_buffer,
            min_latency: req.min_latency,
            sender_control_port: req.sender_control_port,
            sender_ip_address: req.sender_ip_address,
            source_listener_address: req.source_listener_address,
            source_listener_port: req.source_listener_port,
            stream_id: req.stream_id,
            ndi_source_settings: req.ndi_source_settings,
            rtmp_push_source_settings: rtmp,
            ..Transport::default()
        });
        Ok(s)
    }

    /// An RTMP push source's application and stream names: the caller's (`Manual`), new ones
    /// made up (`Automatic`, or a new source naming neither), or, for an update naming
    /// neither, the ones the source had.
    fn rtmp_naming(&self, set: Option<&Value>, kept: Option<Value>) -> Result<Value, ServiceError> {
        let naming = set.and_then(|s| s.get("NamingConfiguration"));
        if let Some(manual) = naming.and_then(|n| n.get("Manual")) {
            let name = |key: &str| {
                manual
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| {
                        bad_request(format!(
                            "{key} is required when the RTMP naming configuration is Manual."
                        ))
                    })
            };
            return Ok(json!({
                "ApplicationName": name("ApplicationName")?,
                "StreamName": name("StreamName")?,
                "NamingType": "MANUAL"
            }));
        }
        if let Some(kept) = kept.filter(|_| naming.is_none()) {
            return Ok(kept);
        }
        Ok(json!({
            "ApplicationName": "live",
            "StreamName": self.runtime.ids.alnum(20),
            "NamingType": "AUTOMATIC"
        }))
    }

    /// Adds a new source (with its tags) to `record`.
    pub(crate) fn add_source(
        &self,
        ctx: &RequestContext,
        record: &mut FlowRecord,
        state: &State,
        req: SourceRequest,
    ) -> Result<(), ServiceError> {
        // Only a new source's name is checked: an update keeps the name its ARN already has.
        let name = rules::arn_name("Source", req.name.as_deref())?;
        rules::unique(
            "Source",
            name,
            record.flow.sources.iter().map(|s| s.name.as_str()),
        )?;
        let tags = crate::tags::given(req.source_tags.clone())?;
        let source = self.build_source(ctx, record, state, req, None)?;
        if !tags.is_empty() {
            record.part_tags.insert(source.source_arn.clone(), tags);
        }
        record.flow.sources.push(source);
        Ok(())
    }

    /// AddFlowSources.
    pub(crate) fn add_flow_sources(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let sources: Vec<SourceRequest> = parse(input.get("Sources").unwrap_or(&Value::Null))?;
        self.change_flow(ctx, flow_arn(input), |stored, state| {
            let record = &mut stored.value;
            changeable(record)?;
            if record.flow.sources.len() + sources.len() > 2 {
                return Err(bad_request("A flow can have at most two sources."));
            }
            let before = record.flow.sources.len();
            for s in sources {
                self.add_source(ctx, record, state, s)?;
            }
            check_failover(&record.flow)?;
            touch(self, record);
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "Sources": record.flow.sources[before..],
            }))
        })
    }

    /// UpdateFlowSource: the stored source overlaid with the request, checked again.
    pub(crate) fn update_flow_source(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let update: SourceRequest = parse(input)?;
        let source_arn = input.get("SourceArn").and_then(Value::as_str).unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, state| {
            let record = &mut stored.value;
            changeable(record)?;
            let i = record
                .flow
                .sources
                .iter()
                .position(|s| s.source_arn == source_arn)
                .ok_or_else(|| not_found(format!("Source not found: {source_arn}")))?;
            let entitled = record.flow.sources[i].entitlement_arn.is_some();
            if entitled && record.settled() == crate::model::Status::Active {
                return Err(bad_request(
                    "You can't update the source of an entitled flow while the flow is active. Stop the flow first.",
                ));
            }
            let mut req = as_request(&record.flow.sources[i]);
            overlay(
                &mut req,
                SourceRequest {
                    name: None,
                    ..update
                },
            );
            let source =
                self.build_source(ctx, record, state, req, Some(source_arn.to_string()))?;
            record.flow.sources[i] = source.clone();
            check_sources(&record.flow)?;
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "Source": source }))
        })
    }

    /// RemoveFlowSource: never the last one.
    pub(crate) fn remove_flow_source(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let source_arn = input.get("SourceArn").and_then(Value::as_str).unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            let i = record
                .flow
                .sources
                .iter()
                .position(|s| s.source_arn == source_arn)
                .ok_or_else(|| not_found(format!("Source not found: {source_arn}")))?;
            if record.flow.sources.len() == 1 {
                return Err(bad_request(
                    "A flow must have at least one source. You cannot remove the only source of a flow.",
                ));
            }
            let removed = record.flow.sources.remove(i);
            if let Some(p) = record
                .flow
                .source_failover_config
                .as_mut()
                .and_then(|c| c.source_priority.as_mut())
            {
                if p.primary_source.as_deref() == Some(removed.name.as_str()) {
                    p.primary_source = None;
                }
            }
            record.part_tags.remove(source_arn);
                        touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "SourceArn": source_arn }))
        })
    }
}
