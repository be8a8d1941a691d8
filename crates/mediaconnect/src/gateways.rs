//! Gateways (on-premises sites with their networks) and their instances. Instances register
//! from the gateway software, which mediamock does not run: the root user registers one
//! through `POST /_mediamock/mediaconnect/gateway-instances` (`{"GatewayArn": …}`).

use crate::arn::{self, Kind};
use crate::error::{bad_request, conflict, not_found};
use crate::flows::PAGING;
use crate::rules;
use crate::MediaConnect;
use kit::{Lifecycle, PageRequest, Phase, Step, Stored, Tags};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};
use std::time::Duration;

/// CREATING → ACTIVE.
const GATEWAY: Lifecycle = Lifecycle {
    steps: &[Step {
        from: "CREATING",
        to: "ACTIVE",
        after: Duration::from_secs(2),
    }],
};

/// A network at the gateway's site (`GatewayNetwork`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayNetwork {
    pub cidr_block: String,
    pub name: String,
}

/// A gateway (`Gateway` shape, without its state) and its lifecycle phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Gateway {
    pub egress_cidr_blocks: Vec<String>,
    pub gateway_arn: String,
    pub name: String,
    pub networks: Vec<GatewayNetwork>,
    #[serde(skip_serializing, default = "standby")]
    pub phase: Phase,
}

fn standby() -> Phase {
    Phase {
        state: "ACTIVE".into(),
        since: 0.0,
    }
}

/// A registered gateway instance (`GatewayInstance` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayInstance {
    pub bridge_placement: String,
    pub connection_status: String,
    pub gateway_arn: String,
    pub gateway_instance_arn: String,
    pub instance_id: String,
    pub instance_state: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CreateGatewayRequest {
    egress_cidr_blocks: Vec<String>,
    name: String,
    networks: Vec<GatewayNetwork>,
}

fn member<'v>(input: &'v Value, name: &str) -> &'v str {
    input.get(name).and_then(Value::as_str).unwrap_or("")
}

impl MediaConnect {
    /// The API view of a gateway.
    pub(crate) fn gateway_view(&self, g: &Gateway) -> Value {
        let mut v = json!(g);
        v["GatewayState"] = json!(GATEWAY.state(&self.runtime.clock, &g.phase));
        v["GatewayMessages"] = json!([]);
        v
    }

    /// The API view of an instance, with the bridges running on it.
    pub(crate) fn instance_view(&self, ctx: &RequestContext, i: &GatewayInstance) -> Value {
        let state = self.state.read();
        let running = state
            .bridges
            .iter_in(ctx)
            .filter(|(_, b)| b.value.runs_on(&i.instance_id))
            .count();
        let mut v = json!(i);
        v["RunningBridgeCount"] = json!(running);
        v["InstanceMessages"] = json!([]);
        v
    }

    /// CreateGateway.
    pub(crate) fn create_gateway(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: CreateGatewayRequest = crate::requests::parse(input)?;
        let name = rules::name("Gateway", Some(&req.name))?.to_string();
        if req.egress_cidr_blocks.is_empty() {
            return Err(bad_request(
                "A gateway needs at least one egress CIDR block.",
            ));
        }
        for c in &req.egress_cidr_blocks {
            rules::cidr("EgressCidrBlocks", c)?;
        }
        if req.networks.is_empty() {
            return Err(bad_request("A gateway needs at least one network."));
        }
        for (i, n) in req.networks.iter().enumerate() {
            rules::cidr("CidrBlock", &n.cidr_block)?;
            if req.networks[..i].iter().any(|m| m.name == n.name) {
                return Err(bad_request(format!(
                    "Network name {} is used twice. Network names must be unique within a gateway.",
                    n.name
                )));
            }
        }
        let gateway = Gateway {
            egress_cidr_blocks: req.egress_cidr_blocks,
            gateway_arn: arn::new_arn(
                &self.runtime.ids,
                &ctx.region,
                ctx.account(),
                Kind::Gateway,
                &name,
            ),
            name,
            networks: req.networks,
            phase: GATEWAY.enter(&self.runtime.clock, "CREATING"),
        };
        let view = self.gateway_view(&gateway);
        let arn = gateway.gateway_arn.clone();
        self.state
            .write()
            .gateways
            .put(&ctx.journal, &arn, Stored::new(gateway, Tags::new()));
        Ok(json!({ "Gateway": view }))
    }

    /// The caller's gateway `arn`.
    pub(crate) fn gateway(&self, ctx: &RequestContext, arn: &str) -> Result<Gateway, ServiceError> {
        self.state
            .read()
            .gateways
            .get_in(ctx, arn)
            .map(|s| s.value.clone())
            .ok_or_else(|| not_found(format!("Gateway not found: {arn}")))
    }

    /// DescribeGateway.
    pub(crate) fn describe_gateway(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let g = self.gateway(ctx, member(input, "GatewayArn"))?;
        Ok(json!({ "Gateway": self.gateway_view(&g) }))
    }

    /// ListGateways.
    pub(crate) fn list_gateways(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListGateways", input, "")?;
        let state = self.state.read();
        let found = state.gateways.page(ctx, key, &page, |_, _| true);
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| {
                json!({
                    "GatewayArn": s.value.gateway_arn,
                    "GatewayState": GATEWAY.state(&self.runtime.clock, &s.value.phase),
                    "Name": s.value.name,
                })
            })
            .collect();
        let mut out = Map::new();
        out.insert("Gateways".into(), Value::from(items));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// DeleteGateway: refused while bridges are placed on it or instances are registered.
    pub(crate) fn delete_gateway(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "GatewayArn");
        let mut state = self.state.write();
        if state.gateways.get_in(ctx, arn).is_none() {
            return Err(not_found(format!("Gateway not found: {arn}")));
        }
        if state
            .bridges
            .iter_in(ctx)
            .any(|(_, b)| b.value.bridge.placement_arn == arn)
        {
            return Err(conflict(format!(
                "Gateway {arn} has bridges. Delete its bridges before you delete the gateway."
            )));
        }
        if state
            .instances
            .iter_in(ctx)
            .any(|(_, i)| i.value.gateway_arn == arn)
        {
            return Err(conflict(format!(
                "Gateway {arn} has registered instances. Deregister them before you delete the gateway."
            )));
        }
        state.gateways.remove(&ctx.journal, arn);
        Ok(json!({ "GatewayArn": arn }))
    }

    /// Registers an instance of the caller's gateway (the admin endpoint's work).
    pub(crate) fn register_instance(
        &self,
        ctx: &RequestContext,
        gateway_arn: &str,
    ) -> Result<Value, ServiceError> {
        self.gateway(ctx, gateway_arn)?;
        let id = format!("mi-{}", self.runtime.ids.hex(17));
        let instance = GatewayInstance {
            bridge_placement: "AVAILABLE".into(),
            connection_status: "CONNECTED".into(),
            gateway_arn: gateway_arn.to_string(),
            gateway_instance_arn: format!("{gateway_arn}:instance:{id}"),
            instance_id: id,
            instance_state: "ACTIVE".into(),
        };
        let arn = instance.gateway_instance_arn.clone();
        let out = json!({ "GatewayInstanceArn": arn, "InstanceId": instance.instance_id });
        self.state
            .write()
            .instances
            .put(&ctx.journal, &arn, Stored::new(instance, Tags::new()));
        Ok(out)
    }

    fn instance(&self, ctx: &RequestContext, arn: &str) -> Result<GatewayInstance, ServiceError> {
        self.state
            .read()
            .instances
            .get_in(ctx, arn)
            .map(|s| s.value.clone())
            .ok_or_else(|| not_found(format!("Gateway instance not found: {arn}")))
    }

    /// DescribeGatewayInstance.
    pub(crate) fn describe_gateway_instance(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let i = self.instance(ctx, member(input, "GatewayInstanceArn"))?;
        Ok(json!({ "GatewayInstance": self.instance_view(ctx, &i) }))
    }

    /// ListGatewayInstances, optionally of one gateway (`FilterArn`).
    pub(crate) fn list_gateway_instances(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let filter = member(input, "FilterArn");
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListGatewayInstances", input, filter)?;
        let state = self.state.read();
        let found = state.instances.page(ctx, key, &page, |_, i| {
            filter.is_empty() || i.value.gateway_arn == filter
        });
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| {
                json!({
                    "GatewayArn": s.value.gateway_arn,
                    "GatewayInstanceArn": s.value.gateway_instance_arn,
                    "InstanceId": s.value.instance_id,
                    "InstanceState": s.value.instance_state,
                })
            })
            .collect();
        let mut out = Map::new();
        out.insert("Instances".into(), Value::from(items));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// UpdateGatewayInstance: whether new bridges may be placed on it.
    pub(crate) fn update_gateway_instance(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "GatewayInstanceArn");
        let placement = input.get("BridgePlacement").and_then(Value::as_str);
        let mut state = self.state.write();
        let updated = state.instances.update(ctx, arn, |s| {
            if let Some(p) = placement {
                s.value.bridge_placement = p.to_string();
            }
            Ok::<_, ServiceError>(s.value.bridge_placement.clone())
        });
        let placement =
            updated.ok_or_else(|| not_found(format!("Gateway instance not found: {arn}")))??;
        Ok(json!({ "BridgePlacement": placement, "GatewayInstanceArn": arn }))
    }

    /// DeregisterGatewayInstance: refused while bridges run on it, unless `Force`.
    pub(crate) fn deregister_gateway_instance(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "GatewayInstanceArn");
        let force = input.get("Force").and_then(Value::as_bool).unwrap_or(false);
        let i = self.instance(ctx, arn)?;
        let mut state = self.state.write();
        let running = state
            .bridges
            .iter_in(ctx)
            .any(|(_, b)| b.value.runs_on(&i.instance_id));
        if running && !force {
            return Err(conflict(format!(
                "Gateway instance {arn} has running bridges. Stop them first, or deregister with Force."
            )));
        }
        state.instances.remove(&ctx.journal, arn);
        Ok(json!({ "GatewayInstanceArn": arn, "InstanceState": "DEREGISTERING" }))
    }
}
