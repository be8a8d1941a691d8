//! Bridges: ingress bridges carry network sources from a gateway's site into the cloud,
//! egress bridges carry flows out to it. CreateBridge, DescribeBridge, ListBridges,
//! UpdateBridge, UpdateBridgeState (start/stop on a gateway instance), DeleteBridge and the
//! bridge's sources and outputs.

use crate::arn::{self, Kind};
use crate::error::{bad_request, conflict, not_found};
use crate::flows::PAGING;
use crate::gateways::Gateway;
use crate::model::{Doc, FailoverConfig, VpcInterfaceAttachment};
use crate::quotas;
use crate::requests::parse;
use crate::rules;
use crate::MediaConnect;
use kit::{Lifecycle, PageRequest, Phase, Step, Stored, Tags};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};
use std::time::Duration;

/// CREATING → STANDBY, STARTING → ACTIVE, STOPPING → STANDBY.
const BRIDGE: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "CREATING",
            to: "STANDBY",
            after: Duration::from_secs(2),
        },
        Step {
            from: "STARTING",
            to: "ACTIVE",
            after: Duration::from_secs(3),
        },
        Step {
            from: "STOPPING",
            to: "STANDBY",
            after: Duration::from_secs(3),
        },
    ],
};

/// A network source of an ingress bridge (`BridgeNetworkSource`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkSource {
    pub multicast_ip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multicast_source_settings: Option<Doc>,
    pub name: String,
    pub network_name: String,
    pub port: i64,
    pub protocol: String,
}

/// A flow source of an egress bridge (`BridgeFlowSource`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FlowSource {
    pub flow_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_vpc_interface_attachment: Option<VpcInterfaceAttachment>,
    pub name: String,
}

impl FlowSource {
    /// Its flow's ARN and the name of the flow's VPC interface it uses, if any.
    fn flow_and_interface(&self) -> (&str, Option<&str>) {
        let vpc = self.flow_vpc_interface_attachment.as_ref();
        (
            self.flow_arn.as_str(),
            vpc.and_then(|a| a.vpc_interface_name.as_deref()),
        )
    }
}

/// One of a bridge's sources (`BridgeSource`: exactly one member set).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BridgeSource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_source: Option<FlowSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_source: Option<NetworkSource>,
}

impl BridgeSource {
    fn name(&self) -> &str {
        match (&self.flow_source, &self.network_source) {
            (Some(f), _) => &f.name,
            (None, Some(n)) => &n.name,
            _ => "",
        }
    }
}

/// A network output of a bridge (`BridgeNetworkOutput`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkOutput {
    pub ip_address: String,
    pub name: String,
    pub network_name: String,
    pub port: i64,
    pub protocol: String,
    pub ttl: i64,
}

/// One of a bridge's outputs (`BridgeOutput`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct BridgeOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_output: Option<NetworkOutput>,
}

/// The gateway side of a bridge (`IngressGatewayBridge` / `EgressGatewayBridge`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayBridge {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    pub max_bitrate: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_outputs: Option<i64>,
}

/// A bridge (`Bridge` shape without its state).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Bridge {
    pub bridge_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_gateway_bridge: Option<GatewayBridge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_gateway_bridge: Option<GatewayBridge>,
    pub name: String,
    pub outputs: Vec<BridgeOutput>,
    pub placement_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_failover_config: Option<FailoverConfig>,
    pub sources: Vec<BridgeSource>,
}

/// A bridge and where it is in its lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BridgeRecord {
    /// The bridge as its view shows it.
    pub bridge: Bridge,
    /// Its lifecycle phase.
    pub phase: Phase,
}

impl BridgeRecord {
    /// Whether the bridge is (or is becoming) active on the instance `id`.
    pub fn runs_on(&self, id: &str) -> bool {
        let b = &self.bridge;
        let on = b
            .ingress_gateway_bridge
            .as_ref()
            .or(b.egress_gateway_bridge.as_ref());
        on.and_then(|g| g.instance_id.as_deref()) == Some(id)
    }

    fn gateway_side(&mut self) -> Option<&mut GatewayBridge> {
        let b = &mut self.bridge;
        b.ingress_gateway_bridge
            .as_mut()
            .or(b.egress_gateway_bridge.as_mut())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CreateBridgeRequest {
    egress_gateway_bridge: Option<GatewayBridge>,
    ingress_gateway_bridge: Option<GatewayBridge>,
    name: String,
    outputs: Vec<BridgeOutput>,
    placement_arn: String,
    source_failover_config: Option<FailoverConfig>,
    sources: Vec<BridgeSource>,
}

fn member<'v>(input: &'v Value, name: &str) -> &'v str {
    input.get(name).and_then(Value::as_str).unwrap_or("")
}

fn bridge_not_found(arn: &str) -> ServiceError {
    not_found(format!("Bridge not found: {arn}"))
}

impl MediaConnect {
    fn bridge_view(&self, r: &BridgeRecord) -> Value {
        let mut v = json!(r.bridge);
        v["BridgeState"] = json!(BRIDGE.state(&self.runtime.clock, &r.phase));
        v["BridgeMessages"] = json!([]);
        v
    }

    /// Refuses flow sources naming flows the caller does not have, or VPC interfaces those
    /// flows do not have (before any bridge lock): `(flow ARN, VPC interface name)` pairs.
    fn check_bridge_flows<'a>(
        &self,
        ctx: &RequestContext,
        flows: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Result<(), ServiceError> {
        let state = self.state.read();
        for (f, vpc) in flows {
            let Some(flow) = state.flows.get_in(ctx, f) else {
                return Err(bad_request(format!(
                    "Flow {f} does not exist in this account and region."
                )));
            };
            // BridgeFlowSource.FlowVpcInterfaceAttachment: "The name of the VPC interface
            // attachment to use for this source", one of the flow's (as a flow output's
            // VpcInterfaceAttachment must be).
            if let Some(v) = vpc.filter(|v| flow.value.flow.vpc_interface(v).is_none()) {
                return Err(bad_request(format!(
                    "VPC interface {v} does not exist on flow {f}."
                )));
            }
        }
        Ok(())
    }

    fn check_bridge_output(
        bridge: &Bridge,
        gateway: &Gateway,
        o: &BridgeOutput,
    ) -> Result<(), ServiceError> {
        let Some(n) = &o.network_output else {
            return Err(bad_request("Specify NetworkOutput for a bridge output."));
        };
        if bridge.ingress_gateway_bridge.is_some() {
            return Err(bad_request(
                "An ingress bridge sends its content to flows; network outputs belong to egress bridges.",
            ));
        }
        rules::name("Output", Some(&n.name))?;
        bridge_protocol("output", &n.protocol)?;
        rules::ip("IpAddress", &n.ip_address)?;
        rules::port("Port", n.port)?;
        check_network(gateway, &n.network_name)
    }

    /// CreateBridge.
    pub(crate) fn create_bridge(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: CreateBridgeRequest = parse(input)?;
        let name = rules::name("Bridge", Some(&req.name))?.to_string();
        let gateway = self.gateway(ctx, &req.placement_arn).map_err(|_| {
            bad_request(format!(
                "PlacementArn {} is not a gateway in this account and region.",
                req.placement_arn
            ))
        })?;
        if req.ingress_gateway_bridge.is_some() == req.egress_gateway_bridge.is_some() {
            return Err(bad_request(
                "Specify exactly one of IngressGatewayBridge and EgressGatewayBridge.",
            ));
        }
        let mut bridge = Bridge {
            bridge_arn: arn::new_arn(
                &self.runtime.ids,
                &ctx.region,
                ctx.account(),
                Kind::Bridge,
                &name,
            ),
            egress_gateway_bridge: req.egress_gateway_bridge,
            ingress_gateway_bridge: req.ingress_gateway_bridge,
            name,
            placement_arn: req.placement_arn.clone(),
            source_failover_config: req.source_failover_config,
            ..Bridge::default()
        };
        if req.sources.is_empty() {
            return Err(bad_request("A bridge needs at least one source."));
        }
        self.check_bridge_flows(
            ctx,
            req.sources
                .iter()
                .filter_map(|s| s.flow_source.as_ref().map(FlowSource::flow_and_interface)),
        )?;
        for s in req.sources {
            add_bridge_source(&mut bridge, &gateway, s)?;
        }
        for o in req.outputs {
            Self::add_bridge_output(&mut bridge, &gateway, o)?;
        }
        check_bridge_failover(&bridge)?;
        let record = BridgeRecord {
            bridge,
            phase: BRIDGE.enter(&self.runtime.clock, "CREATING"),
        };
        let view = self.bridge_view(&record);
        let arn = record.bridge.bridge_arn.clone();
        let mut state = self.state.write();
        // Counted under the write lock, so concurrent creates cannot overshoot.
        let on_gateway = state
            .bridges
            .iter_in(ctx)
            .filter(|(_, s)| s.value.bridge.placement_arn == req.placement_arn)
            .count();
        quotas::BRIDGES_PER_GATEWAY
            .admit(&self.runtime, on_gateway, 1)
            .map_err(quotas::exceeded("CreateBridge420Exception"))?;
        state
            .bridges
            .put(&ctx.journal, &arn, Stored::new(record, Tags::new()));
        Ok(json!({ "Bridge": view }))
    }

    fn add_bridge_output(
        bridge: &mut Bridge,
        gateway: &Gateway,
        o: BridgeOutput,
    ) -> Result<(), ServiceError> {
        Self::check_bridge_output(bridge, gateway, &o)?;
        let name = o.network_output.as_ref().map_or("", |n| n.name.as_str());
        rules::unique_in(
            "bridge",
            "Output",
            name,
            bridge
                .outputs
                .iter()
                .filter_map(|x| x.network_output.as_ref().map(|n| n.name.as_str())),
        )?;
        bridge.outputs.push(o);
        Ok(())
    }

    /// Changes the caller's bridge `arn` (settled first); journaled when `change` succeeds.
    fn change_bridge<T>(
        &self,
        ctx: &RequestContext,
        arn: &str,
        change: impl FnOnce(&mut BridgeRecord, &Gateway) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let gateway = {
            let state = self.state.read();
            let b = state
                .bridges
                .get_in(ctx, arn)
                .ok_or_else(|| bridge_not_found(arn))?;
            self.gateway(ctx, &b.value.bridge.placement_arn)?
        };
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        state
            .bridges
            .update(ctx, arn, |s| {
                s.value.phase = BRIDGE.current(clock, &s.value.phase);
                change(&mut s.value, &gateway)
            })
            .ok_or_else(|| bridge_not_found(arn))?
    }

    /// DescribeBridge.
    pub(crate) fn describe_bridge(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let state = self.state.read();
        let b = state
            .bridges
            .get_in(ctx, arn)
            .ok_or_else(|| bridge_not_found(arn))?;
        Ok(json!({ "Bridge": self.bridge_view(&b.value) }))
    }

    /// ListBridges, optionally of one gateway (`FilterArn`).
    pub(crate) fn list_bridges(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let filter = member(input, "FilterArn");
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListBridges", input, filter)?;
        let state = self.state.read();
        let found = state.bridges.page(ctx, key, &page, |_, b| {
            filter.is_empty() || b.value.bridge.placement_arn == filter
        });
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| {
                let b = &s.value.bridge;
                json!({
                    "BridgeArn": b.bridge_arn,
                    "BridgeState": BRIDGE.state(&self.runtime.clock, &s.value.phase),
                    "BridgeType": if b.ingress_gateway_bridge.is_some() { "ingress-gateway" } else { "egress-gateway" },
                    "Name": b.name,
                    "PlacementArn": b.placement_arn,
                })
            })
            .collect();
        let mut out = Map::new();
        out.insert("Bridges".into(), Value::from(items));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// UpdateBridge: bitrate, output limit and failover.
    pub(crate) fn update_bridge(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let failover: Option<FailoverConfig> =
            input.get("SourceFailoverConfig").map(parse).transpose()?;
        let view = self.change_bridge(ctx, arn, |r, _| {
            for (member_name, ingress) in [
                ("IngressGatewayBridge", true),
                ("EgressGatewayBridge", false),
            ] {
                let Some(u) = input.get(member_name) else {
                    continue;
                };
                let side = if ingress {
                    r.bridge.ingress_gateway_bridge.as_mut()
                } else {
                    r.bridge.egress_gateway_bridge.as_mut()
                };
                let Some(side) = side else {
                    return Err(bad_request(format!(
                        "{member_name} does not apply to this bridge."
                    )));
                };
                if let Some(b) = u.get("MaxBitrate").and_then(Value::as_i64) {
                    side.max_bitrate = b;
                }
                if let Some(o) = u.get("MaxOutputs").and_then(Value::as_i64) {
                    side.max_outputs = Some(o);
                }
            }
            if let Some(f) = &failover {
                r.bridge
                    .source_failover_config
                    .get_or_insert_with(Default::default)
                    .overlay(f);
            }
            check_bridge_failover(&r.bridge)?;
            Ok(self.bridge_view(r))
        })?;
        Ok(json!({ "Bridge": view }))
    }

    /// UpdateBridgeState: ACTIVE starts the bridge on an available instance of its gateway,
    /// STANDBY stops it, DELETED deletes a stopped bridge.
    pub(crate) fn update_bridge_state(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let desired = member(input, "DesiredState");
        if desired == "DELETED" {
            self.delete_bridge(ctx, input)?;
            return Ok(json!({ "BridgeArn": arn, "DesiredState": desired }));
        }
        let instance = {
            let state = self.state.read();
            let placement = state
                .bridges
                .get_in(ctx, arn)
                .map(|b| b.value.bridge.placement_arn.clone())
                .ok_or_else(|| bridge_not_found(arn))?;
            let found = state
                .instances
                .iter_in(ctx)
                .find(|(_, i)| {
                    i.value.gateway_arn == placement && i.value.takes_bridges(&self.runtime.clock)
                })
                .map(|(_, i)| i.value.instance_id.clone());
            found
        };
        let clock = &self.runtime.clock;
        self.change_bridge(ctx, arn, |r, _| {
            let now = r.phase.state.clone();
            match (desired, now.as_str()) {
                ("ACTIVE", "STANDBY") => {
                    let Some(id) = instance else {
                        return Err(conflict(
                            "No instance of the bridge's gateway is available to run it. Register an instance or set one's BridgePlacement to AVAILABLE.",
                        ));
                    };
                    if let Some(side) = r.gateway_side() {
                        side.instance_id = Some(id);
                    }
                    r.phase = BRIDGE.enter(clock, "STARTING");
                }
                ("STANDBY", "ACTIVE" | "STARTING") => {
                    if let Some(side) = r.gateway_side() {
                        side.instance_id = None;
                    }
                    r.phase = BRIDGE.enter(clock, "STOPPING");
                }
                (d, s) if d == s => {}
                (d, s) => {
                    return Err(conflict(format!(
                        "The bridge cannot go to {d} while it is {s}."
                    )))
                }
            }
            Ok(())
        })?;
        Ok(json!({ "BridgeArn": arn, "DesiredState": desired }))
    }

    /// DeleteBridge: only a bridge that is not running.
    pub(crate) fn delete_bridge(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let mut state = self.state.write();
        let b = state
            .bridges
            .get_in(ctx, arn)
            .ok_or_else(|| bridge_not_found(arn))?;
        let now = BRIDGE.state(&self.runtime.clock, &b.value.phase);
        if running(&now) {
            return Err(conflict(format!(
                "The bridge is {now}. Set its state to STANDBY before you delete it."
            )));
        }
        state.bridges.remove(&ctx.journal, arn);
        Ok(json!({ "BridgeArn": arn }))
    }

    /// AddBridgeSources.
    pub(crate) fn add_bridge_sources(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let sources: Vec<BridgeSource> = parse(input.get("Sources").unwrap_or(&Value::Null))?;
        self.check_bridge_flows(
            ctx,
            sources
                .iter()
                .filter_map(|s| s.flow_source.as_ref().map(FlowSource::flow_and_interface)),
        )?;
        let added = self.change_bridge(ctx, arn, |r, gateway| {
            let before = r.bridge.sources.len();
            for s in sources {
                add_bridge_source(&mut r.bridge, gateway, s)?;
            }
            check_bridge_failover(&r.bridge)?;
            Ok(r.bridge.sources[before..].to_vec())
        })?;
        Ok(json!({ "BridgeArn": arn, "Sources": added }))
    }

    /// UpdateBridgeSource.
    pub(crate) fn update_bridge_source(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let name = member(input, "SourceName");
        // The flow and VPC interface the source will use: the request's, else the stored ones.
        let update = input.get("FlowSource");
        let stored = {
            let state = self.state.read();
            state.bridges.get_in(ctx, arn).and_then(|b| {
                let s = b.value.bridge.sources.iter().find(|s| s.name() == name)?;
                s.flow_source.clone()
            })
        };
        if let (Some(u), Some(stored)) = (update, stored) {
            let flow = u
                .get("FlowArn")
                .and_then(Value::as_str)
                .unwrap_or(&stored.flow_arn);
            let vpc = match u.get("FlowVpcInterfaceAttachment") {
                Some(a) => a.get("VpcInterfaceName").and_then(Value::as_str),
                None => stored
                    .flow_vpc_interface_attachment
                    .as_ref()
                    .and_then(|a| a.vpc_interface_name.as_deref()),
            };
            self.check_bridge_flows(ctx, [(flow, vpc)])?;
        }
        let source = self.change_bridge(ctx, arn, |r, gateway| {
            let i = r
                .bridge
                .sources
                .iter()
                .position(|s| s.name() == name)
                .ok_or_else(|| not_found(format!("Bridge source not found: {name}")))?;
            let mut s = r.bridge.sources[i].clone();
            // The User Guide's "Updating a bridge" for source-specific multicast: "The bridge
            // must be in STANDBY state before you make any changes", and reverting to ASM "can
            // only be done when the bridge is in STANDBY state". The model's exception for a
            // conflict with the resource's state; the wording is ours.
            let ssm_change = input
                .get("NetworkSource")
                .is_some_and(|n| n.get("MulticastSourceSettings").is_some());
            let now = r.phase.state.as_str();
            if ssm_change && s.network_source.is_some() && running(now) {
                return Err(conflict(format!(
                    "The bridge is {now}. Set its state to STANDBY before you change a source's MulticastSourceSettings."
                )));
            }
            overlay_source(&mut s, input)?;
            check_source_kind(&r.bridge, gateway, &s)?;
            r.bridge.sources[i] = s.clone();
            Ok(s)
        })?;
        Ok(json!({ "BridgeArn": arn, "Source": source }))
    }

    /// RemoveBridgeSource: never the last one.
    pub(crate) fn remove_bridge_source(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let name = member(input, "SourceName");
        self.change_bridge(ctx, arn, |r, _| {
            let i = r
                .bridge
                .sources
                .iter()
                .position(|s| s.name() == name)
                .ok_or_else(|| not_found(format!("Bridge source not found: {name}")))?;
            if r.bridge.sources.len() == 1 {
                return Err(bad_request("A bridge must keep at least one source."));
            }
            r.bridge.sources.remove(i);
            Ok(())
        })?;
        Ok(json!({ "BridgeArn": arn, "SourceName": name }))
    }

    /// AddBridgeOutputs.
    pub(crate) fn add_bridge_outputs(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let outputs: Vec<BridgeOutput> = parse(input.get("Outputs").unwrap_or(&Value::Null))?;
        let added = self.change_bridge(ctx, arn, |r, gateway| {
            let before = r.bridge.outputs.len();
            for o in outputs {
                Self::add_bridge_output(&mut r.bridge, gateway, o)?;
            }
            Ok(r.bridge.outputs[before..].to_vec())
        })?;
        Ok(json!({ "BridgeArn": arn, "Outputs": added }))
    }

    /// UpdateBridgeOutput.
    pub(crate) fn update_bridge_output(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let name = member(input, "OutputName");
        let output = self.change_bridge(ctx, arn, |r, gateway| {
            let i = r
                .bridge
                .outputs
                .iter()
                .position(|o| o.network_output.as_ref().is_some_and(|n| n.name == name))
                .ok_or_else(|| not_found(format!("Bridge output not found: {name}")))?;
            let mut o = r.bridge.outputs[i].clone();
            if let (Some(n), Some(u)) = (o.network_output.as_mut(), input.get("NetworkOutput")) {
                let s = |m: &str| u.get(m).and_then(Value::as_str).map(str::to_string);
                let i64_of = |m: &str| u.get(m).and_then(Value::as_i64);
                if let Some(v) = s("IpAddress") {
                    n.ip_address = v;
                }
                if let Some(v) = s("NetworkName") {
                    n.network_name = v;
                }
                if let Some(v) = s("Protocol") {
                    n.protocol = v;
                }
                if let Some(v) = i64_of("Port") {
                    n.port = v;
                }
                if let Some(v) = i64_of("Ttl") {
                    n.ttl = v;
                }
            }
            Self::check_bridge_output(&r.bridge, gateway, &o)?;
            r.bridge.outputs[i] = o.clone();
            Ok(o)
        })?;
        Ok(json!({ "BridgeArn": arn, "Output": output }))
    }

    /// RemoveBridgeOutput.
    pub(crate) fn remove_bridge_output(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "BridgeArn");
        let name = member(input, "OutputName");
        self.change_bridge(ctx, arn, |r, _| {
            let before = r.bridge.outputs.len();
            r.bridge
                .outputs
                .retain(|o| o.network_output.as_ref().is_none_or(|n| n.name != name));
            if r.bridge.outputs.len() == before {
                return Err(not_found(format!("Bridge output not found: {name}")));
            }
            Ok(())
        })?;
        Ok(json!({ "BridgeArn": arn, "OutputName": name }))
    }
}

/// Adds a checked source to `bridge` (at most two, names unique).
fn add_bridge_source(
    bridge: &mut Bridge,
    gateway: &Gateway,
    s: BridgeSource,
) -> Result<(), ServiceError> {
    check_source_kind(bridge, gateway, &s)?;
    rules::name("Source", Some(s.name()))?;
    rules::unique_in(
        "bridge",
        "Source",
        s.name(),
        bridge.sources.iter().map(BridgeSource::name),
    )?;
    if bridge.sources.len() >= 2 {
        return Err(bad_request("A bridge can have at most two sources."));
    }
    bridge.sources.push(s);
    Ok(())
}

/// The protocols a bridge's network sources and outputs take: the User Guide's bridge
/// sources ("select the protocol (RTP, RTP-FEC, or UDP)") and the `Protocol` of
/// AWS::MediaConnect::Bridge's `BridgeNetworkSource` and `BridgeNetworkOutput` in the
/// CloudFormation reference ("Allowed values: rtp-fec | rtp | udp"). Fujitsu QoS keeps its own
/// "no longer supported" refusal.
fn bridge_protocol(what: &str, protocol: &str) -> Result<(), ServiceError> {
    rules::supported_protocol(protocol)?;
    if !matches!(protocol, "rtp" | "rtp-fec" | "udp") {
        return Err(bad_request(format!(
            "Protocol {protocol} is not supported for a bridge network {what}. Specify rtp, rtp-fec or udp."
        )));
    }
    Ok(())
}

/// A bridge's source failover: FAILOVER mode only (CloudFormation's
/// AWS::MediaConnect::Bridge `FailoverConfig`: "FailoverMode ... Allowed values: FAILOVER";
/// the AWS CDK's bridge construct: "the MERGE mode available on Flow.sourceFailoverConfig is
/// not allowed on bridges by the service"), and a second source only while failover is
/// enabled (the model's `FailoverConfig.State`: "If the state is inactive, the flow can have
/// only one source. If the state is active, the flow can have one or two sources.").
fn check_bridge_failover(bridge: &Bridge) -> Result<(), ServiceError> {
    let config = bridge.source_failover_config.as_ref();
    if let Some(mode) = config
        .and_then(|c| c.failover_mode.as_deref())
        .filter(|m| *m != "FAILOVER")
    {
        return Err(bad_request(format!(
            "FailoverMode {mode} is not supported for bridges. A bridge supports only FAILOVER."
        )));
    }
    let enabled = config.and_then(|c| c.state.as_deref()) == Some("ENABLED");
    if bridge.sources.len() > 1 && !enabled {
        return Err(bad_request(
            "A bridge with two sources must have source failover enabled. Set SourceFailoverConfig State to ENABLED.",
        ));
    }
    Ok(())
}

/// Whether a bridge in `state` runs (or is on its way to or from running) on an instance.
fn running(state: &str) -> bool {
    matches!(state, "ACTIVE" | "STARTING" | "STOPPING")
}

/// The network must be one of the gateway's.
fn check_network(gateway: &Gateway, network: &str) -> Result<(), ServiceError> {
    if !gateway.networks.iter().any(|n| n.name == network) {
        return Err(bad_request(format!(
            "Network {network} is not a network of gateway {}.",
            gateway.gateway_arn
        )));
    }
    Ok(())
}

/// The source's kind must fit the bridge's (network sources for ingress, flows for egress).
fn check_source_kind(
    bridge: &Bridge,
    gateway: &Gateway,
    s: &BridgeSource,
) -> Result<(), ServiceError> {
    match (
        &s.flow_source,
        &s.network_source,
        bridge.ingress_gateway_bridge.is_some(),
    ) {
        (None, Some(n), true) => {
            bridge_protocol("source", &n.protocol)?;
            rules::ip("MulticastIp", &n.multicast_ip)?;
            // The User Guide's bridge prerequisites for source-specific multicast: "The
            // multicast source IP that you use must be a valid IPv4 address."
            let ssm = n.multicast_source_settings.as_ref();
            if let Some(ip) = ssm
                .and_then(|m| m.get("MulticastSourceIp"))
                .and_then(Value::as_str)
            {
                if ip.parse::<std::net::Ipv4Addr>().is_err() {
                    return Err(bad_request(format!(
                        "MulticastSourceIp {ip} is not a valid IPv4 address."
                    )));
                }
            }
            rules::port("Port", n.port)?;
            check_network(gateway, &n.network_name)
        }
        (Some(_), None, false) => Ok(()),
        (_, _, true) => Err(bad_request(
            "An ingress bridge takes network sources: specify NetworkSource.",
        )),
        (_, _, false) => Err(bad_request(
            "An egress bridge takes flow sources: specify FlowSource.",
        )),
    }
}

/// Overlays an UpdateBridgeSource request's members on a stored source.
fn overlay_source(s: &mut BridgeSource, input: &Value) -> Result<(), ServiceError> {
    if let (Some(n), Some(u)) = (s.network_source.as_mut(), input.get("NetworkSource")) {
        let st = |m: &str| u.get(m).and_then(Value::as_str).map(str::to_string);
        if let Some(v) = st("MulticastIp") {
            n.multicast_ip = v;
        }
        if let Some(v) = st("NetworkName") {
            n.network_name = v;
        }
        if let Some(v) = st("Protocol") {
            n.protocol = v;
        }
        if let Some(v) = u.get("Port").and_then(Value::as_i64) {
            n.port = v;
        }
        if let Some(v) = u.get("MulticastSourceSettings") {
            n.multicast_source_settings = Some(v.clone());
        }
    }
    if let (Some(f), Some(u)) = (s.flow_source.as_mut(), input.get("FlowSource")) {
        if let Some(v) = u.get("FlowArn").and_then(Value::as_str) {
            f.flow_arn = v.to_string();
        }
        if let Some(v) = u.get("FlowVpcInterfaceAttachment") {
            f.flow_vpc_interface_attachment = Some(parse(v)?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::{json, Value};

    /// A gateway with the network "lan"; returns its ARN.
    fn gateway(mc: &crate::MediaConnect) -> String {
        ok(
            mc,
            "CreateGateway",
            json!({"Name": "site", "EgressCidrBlocks": ["203.0.113.0/24"],
                "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
        )["Gateway"]["GatewayArn"]
            .as_str()
            .unwrap()
            .to_string()
    }

    fn network_source(name: &str, protocol: &str) -> Value {
        json!({"NetworkSource": {"Name": name, "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": protocol}})
    }

    fn ingress(gw: &str, sources: Value) -> Value {
        json!({"Name": "in", "PlacementArn": gw,
            "IngressGatewayBridge": {"MaxBitrate": 10000000, "MaxOutputs": 2}, "Sources": sources})
    }

    #[test]
    fn network_sources_and_outputs_take_only_rtp_rtp_fec_and_udp() {
        let mc = mc();
        let gw = gateway(&mc);
        for p in ["zixi-push", "srt-listener", "rist", "st2110-jpegxs"] {
            let e = err(
                &mc,
                "CreateBridge",
                ingress(&gw, json!([network_source("cam", p)])),
                "BadRequestException",
            );
            assert_eq!(
                e,
                format!("Protocol {p} is not supported for a bridge network source. Specify rtp, rtp-fec or udp.")
            );
        }
        // Fujitsu QoS keeps its own refusal.
        let e = err(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("cam", "fujitsu-qos")])),
            "BadRequestException",
        );
        assert!(e.contains("Fujitsu"), "{e}");
        assert_eq!(ok(&mc, "ListBridges", json!({}))["Bridges"], json!([]));
        for p in ["rtp", "rtp-fec", "udp"] {
            let mut b = ingress(&gw, json!([network_source("cam", p)]));
            b["Name"] = json!(format!("in-{p}"));
            ok(&mc, "CreateBridge", b);
        }
        let b = ok(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("cam", "rtp")])),
        );
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        let e = err(
            &mc,
            "UpdateBridgeSource",
            json!({"BridgeArn": arn, "SourceName": "cam", "NetworkSource": {"Protocol": "zixi-push"}}),
            "BadRequestException",
        );
        assert!(e.contains("Specify rtp, rtp-fec or udp"), "{e}");
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert_eq!(
            d["Bridge"]["Sources"][0]["NetworkSource"]["Protocol"],
            "rtp"
        );

        // Egress bridge outputs.
        let flow_arn = flow(&mc, "f");
        let out = |p: &str| json!({"NetworkOutput": {"Name": "tv", "IpAddress": "10.0.0.5", "NetworkName": "lan", "Port": 6000, "Protocol": p, "Ttl": 8}});
        let e = err(
            &mc,
            "CreateBridge",
            json!({"Name": "out", "PlacementArn": gw, "EgressGatewayBridge": {"MaxBitrate": 10000000},
                "Sources": [{"FlowSource": {"Name": "f", "FlowArn": flow_arn}}], "Outputs": [out("srt-caller")]}),
            "BadRequestException",
        );
        assert_eq!(
            e,
            "Protocol srt-caller is not supported for a bridge network output. Specify rtp, rtp-fec or udp."
        );
        let b = ok(
            &mc,
            "CreateBridge",
            json!({"Name": "out", "PlacementArn": gw, "EgressGatewayBridge": {"MaxBitrate": 10000000},
                "Sources": [{"FlowSource": {"Name": "f", "FlowArn": flow_arn}}], "Outputs": [out("udp")]}),
        );
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        let mut zixi = out("zixi-push");
        zixi["NetworkOutput"]["Name"] = json!("tv2");
        err(
            &mc,
            "AddBridgeOutputs",
            json!({"BridgeArn": arn, "Outputs": [zixi]}),
            "BadRequestException",
        );
        err(
            &mc,
            "UpdateBridgeOutput",
            json!({"BridgeArn": arn, "OutputName": "tv", "NetworkOutput": {"Protocol": "rist"}}),
            "BadRequestException",
        );
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert_eq!(d["Bridge"]["Outputs"].as_array().unwrap().len(), 1);
        assert_eq!(
            d["Bridge"]["Outputs"][0]["NetworkOutput"]["Protocol"],
            "udp"
        );
    }

    #[test]
    fn bridge_failover_is_failover_mode_only_and_two_sources_need_it_enabled() {
        let mc = mc();
        let gw = gateway(&mc);
        let two = || {
            let mut b = network_source("b", "rtp");
            b["NetworkSource"]["MulticastIp"] = json!("224.0.0.2");
            json!([network_source("a", "rtp"), b])
        };
        let mut merge = ingress(&gw, two());
        merge["SourceFailoverConfig"] = json!({"FailoverMode": "MERGE", "State": "ENABLED"});
        let e = err(&mc, "CreateBridge", merge, "BadRequestException");
        assert_eq!(
            e,
            "FailoverMode MERGE is not supported for bridges. A bridge supports only FAILOVER."
        );
        let e = err(
            &mc,
            "CreateBridge",
            ingress(&gw, two()),
            "BadRequestException",
        );
        assert_eq!(
            e,
            "A bridge with two sources must have source failover enabled. Set SourceFailoverConfig State to ENABLED."
        );
        let mut disabled = ingress(&gw, two());
        disabled["SourceFailoverConfig"] = json!({"FailoverMode": "FAILOVER", "State": "DISABLED"});
        err(&mc, "CreateBridge", disabled, "BadRequestException");
        assert_eq!(ok(&mc, "ListBridges", json!({}))["Bridges"], json!([]));

        // One source without failover; a second is refused until failover is enabled.
        let b = ok(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("a", "rtp")])),
        );
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        let second = json!([two()[1].clone()]);
        err(
            &mc,
            "AddBridgeSources",
            json!({"BridgeArn": arn, "Sources": second}),
            "BadRequestException",
        );
        let e = err(
            &mc,
            "UpdateBridge",
            json!({"BridgeArn": arn, "SourceFailoverConfig": {"FailoverMode": "MERGE", "State": "ENABLED"}}),
            "BadRequestException",
        );
        assert!(e.contains("only FAILOVER"), "{e}");
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert!(d["Bridge"].get("SourceFailoverConfig").is_none(), "{d}");
        assert_eq!(d["Bridge"]["Sources"].as_array().unwrap().len(), 1);
        ok(
            &mc,
            "UpdateBridge",
            json!({"BridgeArn": arn, "SourceFailoverConfig": {"FailoverMode": "FAILOVER", "State": "ENABLED",
                "SourcePriority": {"PrimarySource": "a"}}}),
        );
        ok(
            &mc,
            "AddBridgeSources",
            json!({"BridgeArn": arn, "Sources": second}),
        );
        // Failover can't be disabled while the bridge has two sources.
        err(
            &mc,
            "UpdateBridge",
            json!({"BridgeArn": arn, "SourceFailoverConfig": {"State": "DISABLED"}}),
            "BadRequestException",
        );
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert_eq!(d["Bridge"]["SourceFailoverConfig"]["State"], "ENABLED");
        assert_eq!(d["Bridge"]["Sources"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_multicast_source_ip_must_be_an_ipv4_address() {
        let mc = mc();
        let gw = gateway(&mc);
        for bad in ["2001:db8::1", "10.0.0.300", "source"] {
            let mut src = network_source("cam", "rtp");
            src["NetworkSource"]["MulticastSourceSettings"] = json!({"MulticastSourceIp": bad});
            let e = err(
                &mc,
                "CreateBridge",
                ingress(&gw, json!([src])),
                "BadRequestException",
            );
            assert_eq!(
                e,
                format!("MulticastSourceIp {bad} is not a valid IPv4 address.")
            );
        }
        let mut src = network_source("cam", "rtp");
        src["NetworkSource"]["MulticastSourceSettings"] = json!({"MulticastSourceIp": "10.0.0.7"});
        let b = ok(&mc, "CreateBridge", ingress(&gw, json!([src])));
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        err(
            &mc,
            "UpdateBridgeSource",
            json!({"BridgeArn": arn, "SourceName": "cam",
                "NetworkSource": {"MulticastSourceSettings": {"MulticastSourceIp": "fe80::1"}}}),
            "BadRequestException",
        );
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert_eq!(
            d["Bridge"]["Sources"][0]["NetworkSource"]["MulticastSourceSettings"]
                ["MulticastSourceIp"],
            "10.0.0.7"
        );
    }

    #[test]
    fn multicast_source_settings_change_only_while_the_bridge_is_in_standby() {
        let mc = mc();
        let gw = gateway(&mc);
        mc.register_instance(&ctx_of(ACCOUNT), &gw).unwrap();
        let b = ok(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("cam", "rtp")])),
        );
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        ok(
            &mc,
            "UpdateBridgeState",
            json!({"BridgeArn": arn, "DesiredState": "ACTIVE"}),
        );
        let ssm = json!({"BridgeArn": arn, "SourceName": "cam",
            "NetworkSource": {"MulticastSourceSettings": {"MulticastSourceIp": "10.0.0.7"}}});
        let e = err(&mc, "UpdateBridgeSource", ssm.clone(), "ConflictException");
        assert_eq!(
            e,
            "The bridge is ACTIVE. Set its state to STANDBY before you change a source's MulticastSourceSettings."
        );
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert!(d["Bridge"]["Sources"][0]["NetworkSource"]
            .get("MulticastSourceSettings")
            .is_none());
        // Other source settings still change on a running bridge.
        ok(
            &mc,
            "UpdateBridgeSource",
            json!({"BridgeArn": arn, "SourceName": "cam", "NetworkSource": {"Port": 5002}}),
        );
        ok(
            &mc,
            "UpdateBridgeState",
            json!({"BridgeArn": arn, "DesiredState": "STANDBY"}),
        );
        let u = ok(&mc, "UpdateBridgeSource", ssm);
        assert_eq!(
            u["Source"]["NetworkSource"]["MulticastSourceSettings"]["MulticastSourceIp"],
            "10.0.0.7"
        );
    }

    #[test]
    fn a_bridge_or_flow_uses_only_vpc_interfaces_its_flow_has() {
        let mc = mc();
        let gw = gateway(&mc);
        let vpc = json!({"Name": "eth0", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
            "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"});
        let flow_arn = ok(
            &mc,
            "CreateFlow",
            json!({"Name": "f", "VpcInterfaces": [vpc], "Source": rtp_source("src")}),
        )["Flow"]["FlowArn"]
            .as_str()
            .unwrap()
            .to_string();
        let egress = |vpc: &str| {
            json!({"Name": "out", "PlacementArn": gw, "EgressGatewayBridge": {"MaxBitrate": 10000000},
                "Sources": [{"FlowSource": {"Name": "f", "FlowArn": flow_arn,
                    "FlowVpcInterfaceAttachment": {"VpcInterfaceName": vpc}}}]})
        };
        let e = err(&mc, "CreateBridge", egress("eth9"), "BadRequestException");
        assert_eq!(
            e,
            format!("VPC interface eth9 does not exist on flow {flow_arn}.")
        );
        let b = ok(&mc, "CreateBridge", egress("eth0"));
        let arn = b["Bridge"]["BridgeArn"].as_str().unwrap();
        err(
            &mc,
            "UpdateBridgeSource",
            json!({"BridgeArn": arn, "SourceName": "f",
                "FlowSource": {"FlowVpcInterfaceAttachment": {"VpcInterfaceName": "eth9"}}}),
            "BadRequestException",
        );
        let d = ok(&mc, "DescribeBridge", json!({"BridgeArn": arn}));
        assert_eq!(
            d["Bridge"]["Sources"][0]["FlowSource"]["FlowVpcInterfaceAttachment"]
                ["VpcInterfaceName"],
            "eth0"
        );

        // A flow fed by an ingress bridge, through one of its own interfaces only.
        let ingress = ok(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("cam", "rtp")])),
        );
        let bridge = ingress["Bridge"]["BridgeArn"].clone();
        let fed = |vpc: &str| {
            json!({"Name": "fed", "VpcInterfaces": [{"Name": "eth0", "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
                "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}],
                "Source": {"Name": "b", "GatewayBridgeSource": {"BridgeArn": bridge,
                    "VpcInterfaceAttachment": {"VpcInterfaceName": vpc}}}})
        };
        let e = err(&mc, "CreateFlow", fed("eth9"), "BadRequestException");
        assert_eq!(e, "VPC interface eth9 does not exist on this flow.");
        ok(&mc, "CreateFlow", fed("eth0"));
    }

    /// A flow with VPC interfaces `eth0` and `eth1` whose source `b` comes from `bridge`
    /// through `eth0`.
    fn flow_fed_by(mc: &crate::MediaConnect, bridge: &Value) -> Value {
        let vpc = |name: &str| {
            json!({"Name": name, "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"),
                "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"})
        };
        ok(
            mc,
            "CreateFlow",
            json!({"Name": "fed", "VpcInterfaces": [vpc("eth0"), vpc("eth1")],
                "Source": {"Name": "b", "GatewayBridgeSource": {"BridgeArn": bridge,
                    "VpcInterfaceAttachment": {"VpcInterfaceName": "eth0"}}}}),
        )
    }

    #[test]
    fn a_vpc_interface_a_bridge_source_attaches_to_stays_while_attached() {
        // RemoveFlowVpcInterface (the model): "This request can be made only on a VPC
        // interface that does not have a Source or Output associated with it. If the VPC
        // interface is referenced by a Source or Output, you must first delete or update the
        // Source or Output to no longer reference the VPC interface."
        let mc = mc();
        let gw = gateway(&mc);
        let bridge = ok(
            &mc,
            "CreateBridge",
            ingress(&gw, json!([network_source("cam", "rtp")])),
        )["Bridge"]["BridgeArn"]
            .clone();
        let f = flow_fed_by(&mc, &bridge);
        let flow = f["Flow"]["FlowArn"].as_str().unwrap();
        let remove = |name: &str| json!({"FlowArn": flow, "VpcInterfaceName": name});
        let e = err(
            &mc,
            "RemoveFlowVpcInterface",
            remove("eth0"),
            "BadRequestException",
        );
        assert_eq!(
            e,
            "VPC interface eth0 is in use by source b. Remove it from there first."
        );
        let d = ok(&mc, "DescribeFlow", json!({"FlowArn": flow}));
        assert_eq!(d["Flow"]["VpcInterfaces"].as_array().unwrap().len(), 2);
        // The interface nothing uses goes.
        ok(&mc, "RemoveFlowVpcInterface", remove("eth1"));
    }

    #[test]
    fn a_bridge_source_update_keeps_what_it_leaves_out() {
        // UpdateGatewayBridgeSourceRequest requires neither BridgeArn nor
        // VpcInterfaceAttachment (SetGatewayBridgeSourceRequest requires BridgeArn).
        let mc = mc();
        let gw = gateway(&mc);
        let bridge = |name: &str| {
            let mut req = ingress(&gw, json!([network_source("cam", "rtp")]));
            req["Name"] = json!(name);
            ok(&mc, "CreateBridge", req)["Bridge"]["BridgeArn"].clone()
        };
        let (first, second) = (bridge("in1"), bridge("in2"));
        let f = flow_fed_by(&mc, &first);
        let flow = f["Flow"]["FlowArn"].as_str().unwrap();
        let source = f["Flow"]["Source"]["SourceArn"].as_str().unwrap();
        let update = |b: Value| {
            ok(
                &mc,
                "UpdateFlowSource",
                json!({"FlowArn": flow, "SourceArn": source, "GatewayBridgeSource": b}),
            )["Source"]["GatewayBridgeSource"]
                .clone()
        };
        assert_eq!(
            update(json!({"VpcInterfaceAttachment": {"VpcInterfaceName": "eth1"}})),
            json!({"BridgeArn": first, "VpcInterfaceAttachment": {"VpcInterfaceName": "eth1"}})
        );
        assert_eq!(
            update(json!({"BridgeArn": second})),
            json!({"BridgeArn": second, "VpcInterfaceAttachment": {"VpcInterfaceName": "eth1"}})
        );
        let d = ok(&mc, "DescribeFlow", json!({"FlowArn": flow}));
        assert_eq!(
            d["Flow"]["Source"]["GatewayBridgeSource"]["BridgeArn"],
            second
        );
    }
}
