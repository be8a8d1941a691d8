//! Gateways (on-premises sites with their networks) and their instances. Instances register
//! from the gateway software, which mediamock does not run: the root user registers one
//! through `POST /_mediamock/mediaconnect/gateway-instances` (`{"GatewayArn": …}`).
//! DeregisterGatewayInstance answers DEREGISTERING, which the instance shows until the clock
//! completes the deregistration; then it is gone, as a deleted flow is.

use crate::arn::{self, Kind};
use crate::error::{bad_request, conflict, not_found};
use crate::flows::PAGING;
use crate::rules;
use crate::MediaConnect;
use kit::{Lifecycle, PageRequest, Phase, Step, Stored, Tags};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{Clock, RequestContext, ServiceError};
use std::time::Duration;

/// CREATING → ACTIVE.
const GATEWAY: Lifecycle = Lifecycle {
    steps: &[Step {
        from: "CREATING",
        to: "ACTIVE",
        after: Duration::from_secs(2),
    }],
};

/// The pseudo-state a completed deregistration ends in: the instance no longer exists.
pub const DEREGISTERED: &str = "DEREGISTERED";

/// DEREGISTERING → gone. `InstanceState` has a DEREGISTERING value and
/// DeregisterGatewayInstance answers it, so the phase is observable; it takes as long as a
/// flow's deletion (at once with `--transitions instant`, on `clock/advance` with `manual`).
const INSTANCE: Lifecycle = Lifecycle {
    steps: &[Step {
        from: "DEREGISTERING",
        to: DEREGISTERED,
        after: Duration::from_secs(3),
    }],
};

/// A network at the gateway's site (`GatewayNetwork`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayNetwork {
    pub cidr_block: String,
    pub name: String,
}

/// A gateway (`Gateway` shape, without its state) and its lifecycle phase, which is kept with
/// it (a restart mid-creation finds the gateway CREATING, as the clock left it) but is not a
/// member of its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Gateway {
    pub egress_cidr_blocks: Vec<String>,
    pub gateway_arn: String,
    pub name: String,
    pub networks: Vec<GatewayNetwork>,
    #[serde(default = "created")]
    pub phase: Phase,
}

/// The phase of a gateway journaled before phases were kept: created long ago.
fn created() -> Phase {
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
    /// When DeregisterGatewayInstance began, on the lifecycle clock (`None` while registered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregistration: Option<Phase>,
}

impl GatewayInstance {
    /// Its state now: as registered, or where its deregistration has got to
    /// ([`DEREGISTERED`] once it is gone).
    pub fn state(&self, clock: &Clock) -> String {
        match &self.deregistration {
            Some(p) => INSTANCE.state(clock, p),
            None => self.instance_state.clone(),
        }
    }

    /// Whether it still exists (its deregistration, if any, is not complete).
    pub fn exists(&self, clock: &Clock) -> bool {
        self.state(clock) != DEREGISTERED
    }

    /// Whether new bridges may start on it now: registered (not deregistering) and AVAILABLE.
    pub fn takes_bridges(&self, clock: &Clock) -> bool {
        self.bridge_placement == "AVAILABLE" && self.state(clock) == "ACTIVE"
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
struct CreateGatewayRequest {
    egress_cidr_blocks: Vec<String>,
    name: String,
    networks: Vec<GatewayNetwork>,
}

/// The message for an instance ARN that names no instance (or one now gone).
fn instance_not_found(arn: &str) -> ServiceError {
    not_found(format!("Gateway instance not found: {arn}"))
}

/// Refuses a change to an instance whose deregistration has begun: the model documents a
/// ConflictException for these operations, and nothing more specific. The wording is ours.
fn refuse_deregistering(i: &GatewayInstance, clock: &Clock) -> Result<(), ServiceError> {
    if i.deregistration.is_some() {
        return Err(conflict(format!(
            "Gateway instance {} is {}. It can't be changed while it is being deregistered.",
            i.gateway_instance_arn,
            i.state(clock)
        )));
    }
    Ok(())
}

fn member<'v>(input: &'v Value, name: &str) -> &'v str {
    input.get(name).and_then(Value::as_str).unwrap_or("")
}

impl MediaConnect {
    /// The API view of a gateway.
    pub(crate) fn gateway_view(&self, g: &Gateway) -> Value {
        let mut v = json!(g);
        if let Some(members) = v.as_object_mut() {
            members.remove("Phase");
        }
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
        if let Some(o) = v.as_object_mut() {
            o.remove("Deregistration");
        }
        v["InstanceState"] = json!(i.state(&self.runtime.clock));
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
        // The model's CreateGateway: "The request must include at least one network (up to
        // four)."
        if req.networks.len() > 4 {
            return Err(bad_request(format!(
                "A gateway can have at most 4 networks; {} given.",
                req.networks.len()
            )));
        }
        // The model's GatewayNetwork: CidrBlock is "A unique IP address range to use for this
        // network" (10.1.0.0/16 and 10.1.5.0/16 are one range).
        let range = |c: &str| c.parse::<ipnet::IpNet>().ok().map(|n| n.trunc());
        for (i, n) in req.networks.iter().enumerate() {
            rules::cidr("CidrBlock", &n.cidr_block)?;
            if req.networks[..i].iter().any(|m| m.name == n.name) {
                return Err(bad_request(format!(
                    "Network name {} is used twice. Network names must be unique within a gateway.",
                    n.name
                )));
            }
            let same = req.networks[..i]
                .iter()
                .find(|m| range(&m.cidr_block) == range(&n.cidr_block));
            if let Some(m) = same {
                return Err(bad_request(format!(
                    "Networks {} and {} use the same IP address range ({}). Each network of a gateway needs a unique CIDR block.",
                    m.name, n.name, n.cidr_block
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
        state.purge_deregistered(&ctx.journal, &self.runtime.clock);
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
        // An instance still deregistering is still the gateway's (it is described and listed).
        let clock = &self.runtime.clock;
        let (registered, deregistering) = state
            .instances
            .iter_in(ctx)
            .filter(|(_, i)| i.value.gateway_arn == arn && i.value.exists(clock))
            .fold((0, 0), |(r, d), (_, i)| match i.value.deregistration {
                Some(_) => (r, d + 1),
                None => (r + 1, d),
            });
        if registered > 0 {
            return Err(conflict(format!(
                "Gateway {arn} has registered instances. Deregister them before you delete the gateway."
            )));
        }
        if deregistering > 0 {
            return Err(conflict(format!(
                "Gateway {arn} has instances that are still deregistering. Delete the gateway once they are gone."
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
            deregistration: None,
        };
        let arn = instance.gateway_instance_arn.clone();
        let out = json!({ "GatewayInstanceArn": arn, "InstanceId": instance.instance_id });
        let mut state = self.state.write();
        state.purge_deregistered(&ctx.journal, &self.runtime.clock);
        state
            .instances
            .put(&ctx.journal, &arn, Stored::new(instance, Tags::new()));
        Ok(out)
    }

    /// The caller's instance `arn` while it exists.
    fn instance(&self, ctx: &RequestContext, arn: &str) -> Result<GatewayInstance, ServiceError> {
        self.state
            .read()
            .instances
            .get_in(ctx, arn)
            .filter(|s| s.value.exists(&self.runtime.clock))
            .map(|s| s.value.clone())
            .ok_or_else(|| instance_not_found(arn))
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
        let clock = &self.runtime.clock;
        let found = state.instances.page(ctx, key, &page, |_, i| {
            (filter.is_empty() || i.value.gateway_arn == filter) && i.value.exists(clock)
        });
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| {
                json!({
                    "GatewayArn": s.value.gateway_arn,
                    "GatewayInstanceArn": s.value.gateway_instance_arn,
                    "InstanceId": s.value.instance_id,
                    "InstanceState": s.value.state(clock),
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
        let clock = &self.runtime.clock;
        state.purge_deregistered(&ctx.journal, clock);
        let updated = state.instances.update(ctx, arn, |s| {
            refuse_deregistering(&s.value, clock)?;
            if let Some(p) = placement {
                s.value.bridge_placement = p.to_string();
            }
            Ok::<_, ServiceError>(s.value.bridge_placement.clone())
        });
        let placement = updated.ok_or_else(|| instance_not_found(arn))??;
        Ok(json!({ "BridgePlacement": placement, "GatewayInstanceArn": arn }))
    }

    /// DeregisterGatewayInstance: refused while bridges run on it, unless `Force`. The
    /// instance shows DEREGISTERING until the clock completes the deregistration.
    pub(crate) fn deregister_gateway_instance(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = member(input, "GatewayInstanceArn");
        let force = input.get("Force").and_then(Value::as_bool).unwrap_or(false);
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        state.purge_deregistered(&ctx.journal, clock);
        let i = state
            .instances
            .get_in(ctx, arn)
            .map(|s| s.value.clone())
            .ok_or_else(|| instance_not_found(arn))?;
        refuse_deregistering(&i, clock)?;
        let running = state
            .bridges
            .iter_in(ctx)
            .any(|(_, b)| b.value.runs_on(&i.instance_id));
        if running && !force {
            return Err(conflict(format!(
                "Gateway instance {arn} has running bridges. Stop them first, or deregister with Force."
            )));
        }
        state.instances.update(ctx, arn, |s| {
            s.value.instance_state = "DEREGISTERING".into();
            s.value.deregistration = Some(INSTANCE.enter(clock, "DEREGISTERING"));
            Ok::<_, ServiceError>(())
        });
        state.deregistering.push(arn.to_string());
        Ok(json!({ "GatewayInstanceArn": arn, "InstanceState": "DEREGISTERING" }))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::{json, Value};
    use service::{Clock, Service, Transitions};
    use std::time::Duration;

    /// A gateway with one registered instance: (gateway ARN, instance ARN).
    fn gateway_with_instance(mc: &crate::MediaConnect) -> (String, String) {
        let g = ok(
            mc,
            "CreateGateway",
            json!({"Name": "site", "EgressCidrBlocks": ["203.0.113.0/24"],
                "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
        );
        let gw = g["Gateway"]["GatewayArn"].as_str().unwrap().to_string();
        let reg = mc.register_instance(&ctx_of(ACCOUNT), &gw).unwrap();
        let inst = reg["GatewayInstanceArn"].as_str().unwrap().to_string();
        (gw, inst)
    }

    fn listed(mc: &crate::MediaConnect) -> Vec<Value> {
        ok(mc, "ListGatewayInstances", json!({}))["Instances"]
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn a_deregistered_instance_shows_deregistering_until_the_clock_completes_it() {
        let mc = mc_with(|rt| rt.clock = Clock::new(Transitions::Manual));
        let (gw, inst) = gateway_with_instance(&mc);
        let arn = json!({"GatewayInstanceArn": inst});
        let d = ok(&mc, "DeregisterGatewayInstance", arn.clone());
        assert_eq!(d["InstanceState"], "DEREGISTERING");
        let i = &ok(&mc, "DescribeGatewayInstance", arn.clone())["GatewayInstance"];
        assert_eq!(i["InstanceState"], "DEREGISTERING");
        assert!(i.get("Deregistration").is_none(), "{i}");
        assert_eq!(listed(&mc)[0]["InstanceState"], "DEREGISTERING");
        // No change while it is being deregistered, and its gateway stays.
        let e = err(
            &mc,
            "UpdateGatewayInstance",
            json!({"GatewayInstanceArn": inst, "BridgePlacement": "LOCKED"}),
            "ConflictException",
        );
        assert!(e.contains("DEREGISTERING"), "{e}");
        err(
            &mc,
            "DeregisterGatewayInstance",
            arn.clone(),
            "ConflictException",
        );
        let e = err(
            &mc,
            "DeleteGateway",
            json!({"GatewayArn": gw}),
            "ConflictException",
        );
        assert!(e.contains("still deregistering"), "{e}");

        // A restart mid-deregistration restores the phase, and the clock completes it there.
        let records = mc.records();
        let restarted = mc_with(|rt| rt.clock = Clock::new(Transitions::Manual));
        for r in &records {
            restarted.restore(r).unwrap();
        }
        let i = &ok(&restarted, "DescribeGatewayInstance", arn.clone())["GatewayInstance"];
        assert_eq!(i["InstanceState"], "DEREGISTERING");
        restarted.runtime.clock.advance(Duration::from_secs(3));
        err(
            &restarted,
            "DescribeGatewayInstance",
            arn.clone(),
            "NotFoundException",
        );

        mc.runtime.clock.advance(Duration::from_secs(3));
        let e = err(
            &mc,
            "DescribeGatewayInstance",
            arn.clone(),
            "NotFoundException",
        );
        assert_eq!(e, format!("Gateway instance not found: {inst}"));
        assert!(listed(&mc).is_empty());
        assert!(!mc.records().iter().any(|r| r.key == inst));
        // The next change removes it for good, and journals the removal.
        let ctx = ctx_of(ACCOUNT);
        mc.handle(&ctx, "DeleteGateway", json!({"GatewayArn": gw}))
            .unwrap();
        let journaled: Vec<_> = ctx.journal.take().into_iter().map(|(_, r)| r).collect();
        assert!(journaled.iter().any(|r| r.key == inst && r.value.is_none()));
        assert!(mc.state.read().instances.is_empty());
    }

    /// A gateway restored mid-creation is CREATING until the clock completes it, as before the
    /// restart (its phase is kept with it, not made ACTIVE), and its phase is no member of
    /// its answers.
    #[test]
    fn a_restart_keeps_a_creating_gateway_creating() {
        let mc = mc_with(|rt| rt.clock = Clock::new(Transitions::Manual));
        let g = ok(
            &mc,
            "CreateGateway",
            json!({"Name": "site", "EgressCidrBlocks": ["203.0.113.0/24"],
                "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
        );
        assert_eq!(g["Gateway"]["GatewayState"], "CREATING");
        assert!(g["Gateway"].get("Phase").is_none(), "{g}");
        let arn = json!({"GatewayArn": g["Gateway"]["GatewayArn"]});
        let records = mc.records();
        let restarted = mc_with(|rt| rt.clock = Clock::new(Transitions::Manual));
        for r in &records {
            restarted.restore(r).unwrap();
        }
        let got = &ok(&restarted, "DescribeGateway", arn.clone())["Gateway"];
        assert_eq!(got["GatewayState"], "CREATING");
        assert_eq!(*got, g["Gateway"], "the same answer after the restart");
        let listed = &ok(&restarted, "ListGateways", json!({}))["Gateways"][0];
        assert_eq!(listed["GatewayState"], "CREATING");
        restarted.runtime.clock.advance(Duration::from_secs(2));
        let got = &ok(&restarted, "DescribeGateway", arn)["Gateway"];
        assert_eq!(got["GatewayState"], "ACTIVE");
    }

    #[test]
    fn with_instant_transitions_a_deregistered_instance_is_gone_at_once() {
        let mc = mc();
        let (gw, inst) = gateway_with_instance(&mc);
        let arn = json!({"GatewayInstanceArn": inst});
        let d = ok(&mc, "DeregisterGatewayInstance", arn.clone());
        assert_eq!(d["InstanceState"], "DEREGISTERING");
        err(
            &mc,
            "DescribeGatewayInstance",
            arn.clone(),
            "NotFoundException",
        );
        err(&mc, "DeregisterGatewayInstance", arn, "NotFoundException");
        assert!(listed(&mc).is_empty());
        ok(&mc, "DeleteGateway", json!({"GatewayArn": gw}));
    }

    #[test]
    fn bridges_do_not_start_on_a_deregistering_instance() {
        let mc = mc_with(|rt| rt.clock = Clock::new(Transitions::Manual));
        let (gw, inst) = gateway_with_instance(&mc);
        mc.runtime.clock.advance(Duration::from_secs(5));
        let b = ok(
            &mc,
            "CreateBridge",
            json!({"Name": "in", "PlacementArn": gw, "IngressGatewayBridge": {"MaxBitrate": 1000000, "MaxOutputs": 1},
                "Sources": [{"NetworkSource": {"Name": "cam", "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": "rtp"}}]}),
        );
        let bridge = b["Bridge"]["BridgeArn"].clone();
        mc.runtime.clock.advance(Duration::from_secs(5));
        ok(
            &mc,
            "DeregisterGatewayInstance",
            json!({"GatewayInstanceArn": inst}),
        );
        let e = err(
            &mc,
            "UpdateBridgeState",
            json!({"BridgeArn": bridge, "DesiredState": "ACTIVE"}),
            "ConflictException",
        );
        assert!(e.contains("No instance"), "{e}");
    }

    #[test]
    fn a_gateways_networks_each_take_a_unique_ip_address_range() {
        let mc = mc();
        let create = |networks: Value| json!({"Name": "site", "EgressCidrBlocks": ["203.0.113.0/24"], "Networks": networks});
        for second in ["10.0.0.0/16", "10.0.5.0/16"] {
            let e = err(
                &mc,
                "CreateGateway",
                create(
                    json!([{"Name": "a", "CidrBlock": "10.0.0.0/16"}, {"Name": "b", "CidrBlock": second}]),
                ),
                "BadRequestException",
            );
            assert_eq!(
                e,
                format!("Networks a and b use the same IP address range ({second}). Each network of a gateway needs a unique CIDR block.")
            );
        }
        assert_eq!(ok(&mc, "ListGateways", json!({}))["Gateways"], json!([]));
        let g = ok(
            &mc,
            "CreateGateway",
            create(
                json!([{"Name": "a", "CidrBlock": "10.0.0.0/16"}, {"Name": "b", "CidrBlock": "10.1.0.0/16"}]),
            ),
        );
        assert_eq!(g["Gateway"]["Networks"].as_array().unwrap().len(), 2);
    }
}
