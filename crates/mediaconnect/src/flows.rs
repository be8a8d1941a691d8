//! CreateFlow, DescribeFlow, ListFlows, UpdateFlow, StartFlow, StopFlow and DeleteFlow.

use crate::arn::{self, Kind};
use crate::error::bad_request;
use crate::lifecycle;
use crate::model::{Doc, FailoverConfig, Flow, Maintenance, Source, Status};
use crate::monitoring;
use crate::quotas;
use crate::requests::{parse, CreateFlowRequest, UpdateFlowRequest};
use crate::rules;
use crate::store::{FlowRecord, State};
use crate::MediaConnect;
use kit::{PageRequest, Paging, Stored};
use protocol::ItemRenderer;
use serde_json::{json, Value};
use service::{Output, RenderedMember, RequestContext, ServiceError};
use std::sync::OnceLock;

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A maintenance window's start hour when none is given (the model's MaintenanceStartHour:
/// "The default value is 02:00").
const DEFAULT_START_HOUR: &str = "02:00";

/// Checks a maintenance window's day, start hour and scheduled date.
fn check_maintenance(m: &Maintenance) -> Result<(), ServiceError> {
    if let Some(d) = &m.maintenance_day {
        if !DAYS.contains(&d.as_str()) {
            return Err(bad_request(format!("MaintenanceDay {d} is not valid.")));
        }
    }
    if let Some(h) = &m.maintenance_start_hour {
        rules::start_hour(h)?;
    }
    if let Some(d) = &m.maintenance_scheduled_date {
        rules::scheduled_date(d)?;
    }
    Ok(())
}

/// The documented bounds of a flow's NDI and encoding settings (the model's `NdiConfig`:
/// "A list of up to three NDI discovery server configurations"; `EncodingConfig`'s
/// VideoMaxBitrate: "The supported range is 10,000,000 - 50,000,000 bits per second").
fn check_ndi_and_encoding(ndi: Option<&Doc>, encoding: Option<&Doc>) -> Result<(), ServiceError> {
    let servers = ndi
        .and_then(|n| n.get("NdiDiscoveryServers"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if servers > 3 {
        return Err(bad_request(format!(
            "NdiDiscoveryServers can list at most 3 NDI discovery servers; {servers} given."
        )));
    }
    let bitrate = encoding
        .and_then(|e| e.get("VideoMaxBitrate"))
        .and_then(Value::as_i64);
    if let Some(b) = bitrate.filter(|b| !(10_000_000..=50_000_000).contains(b)) {
        return Err(bad_request(format!(
            "VideoMaxBitrate {b} is not valid. Specify a bitrate from 10000000 to 50000000 bits per second."
        )));
    }
    Ok(())
}

/// Whether UpdateFlow may change a flow of size `old` (none on flows older than sizes, which
/// run as MEDIUM) to `new`. The User Guide's "Flow sizes and capabilities": "you can update
/// Medium flows to Large or Large flows to Medium. You can't update the size of a Large 4x
/// flow after the flow is created."
fn check_size_change(old: Option<&str>, new: &str) -> Result<(), ServiceError> {
    const LARGE_4X: &str = "LARGE_4X";
    let old = old.unwrap_or("MEDIUM");
    if old == LARGE_4X && new != LARGE_4X {
        return Err(bad_request(format!(
            "You can't change the size of a LARGE_4X flow after the flow is created (to {new})."
        )));
    }
    if new == LARGE_4X && old != LARGE_4X {
        return Err(bad_request(format!(
            "You can't change a {old} flow to LARGE_4X. After a flow is created, only MEDIUM and LARGE flows change size, to each other."
        )));
    }
    Ok(())
}

/// A flow with two sources must have failover switched on, and a primary source it names
/// must be one of them.
pub(crate) fn check_failover(flow: &Flow) -> Result<(), ServiceError> {
    crate::sources::check_sources(flow)?;
    // "You can choose a value from 100–15000 ms." (the User Guide's failover settings)
    let window = flow
        .source_failover_config
        .as_ref()
        .and_then(|c| c.recovery_window);
    if let Some(w) = window.filter(|w| !(100..=15000).contains(w)) {
        return Err(bad_request(format!(
            "RecoveryWindow {w} is not valid. Specify a recovery window from 100 to 15000 milliseconds."
        )));
    }
    let enabled = flow
        .source_failover_config
        .as_ref()
        .and_then(|c| c.state.as_deref())
        == Some("ENABLED");
    if flow.sources.len() > 1 && !enabled {
        return Err(bad_request(
            "A flow with two sources must have source failover enabled. Set SourceFailoverConfig State to ENABLED.",
        ));
    }
    let primary = flow
        .source_failover_config
        .as_ref()
        .and_then(|c| c.source_priority.as_ref())
        .and_then(|p| p.primary_source.as_deref());
    if let Some(p) = primary {
        if !flow.sources.iter().any(|s| s.name == p) {
            return Err(bad_request(format!(
                "The primary source {p} is not a source of this flow."
            )));
        }
    }
    Ok(())
}

/// How ListFlows, ListBridges, ListGateways, ListGatewayInstances, ListOfferings and
/// ListReservations page: "If MaxResults is not included in the request, the service defaults
/// to pagination with a maximum of 10 results per page" (each operation's model).
pub(crate) const PAGING: Paging =
    Paging::new(10, "BadRequestException").members("MaxResults", "NextToken");

/// How ListEntitlements pages: 20 results per page by default (its model).
pub(crate) const ENTITLEMENT_PAGING: Paging =
    Paging::new(20, "BadRequestException").members("MaxResults", "NextToken");

/// A running flow goes through UPDATING while a change applies.
pub(crate) fn touch(svc: &MediaConnect, record: &mut FlowRecord) {
    if record.settled() == Status::Active {
        record.enter(&svc.runtime.clock, Status::Updating);
    }
}

/// Refuses changes to a flow mid-transition.
pub(crate) fn changeable(record: &FlowRecord) -> Result<(), ServiceError> {
    lifecycle::changeable(record.settled()).map_err(bad_request)
}

/// The `FlowArn` member of an input.
pub(crate) fn flow_arn(input: &Value) -> &str {
    input.get("FlowArn").and_then(Value::as_str).unwrap_or("")
}

/// What DescribeFlow reports of the caller's entitled `sources`: each whose entitlement was
/// revoked or disabled by its owner.
fn source_problems(ctx: &RequestContext, state: &State, sources: &[Source]) -> Vec<String> {
    let mut errors = Vec::new();
    for s in sources {
        if let Some(e) = &s.entitlement_arn {
            let live = state.granted_entitlement(e, ctx.account());
            match live {
                None => errors.push(format!(
                    "Source {}: the entitlement {e} has been revoked.",
                    s.name
                )),
                Some(x) if x.entitlement_status.as_deref() == Some("DISABLED") => {
                    errors.push(format!(
                        "Source {}: the entitlement {e} is disabled by its owner.",
                        s.name
                    ))
                }
                Some(_) => {}
            }
        }
    }
    errors
}

/// An NDI configuration's `MachineName`, if it has one.
fn machine_name(config: &Doc) -> Option<&str> {
    config.get("MachineName").and_then(Value::as_str)
}

impl MediaConnect {
    /// An NDI configuration as the flow keeps it: without a `MachineName`, the one it had
    /// (`kept`) or a new 12-character ID, as the API Reference's `NdiConfig` says MediaConnect
    /// generates.
    fn with_machine_name(&self, config: Option<Doc>, kept: Option<String>) -> Option<Doc> {
        let mut config = config?;
        if let Some(m) = config.as_object_mut() {
            if !m.contains_key("MachineName") {
                let name = kept.unwrap_or_else(|| self.runtime.ids.alnum(12).to_ascii_lowercase());
                m.insert("MachineName".into(), Value::String(name));
            }
        }
        Some(config)
    }

    /// CreateFlow.
    pub(crate) fn create_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: CreateFlowRequest = parse(input)?;
        let name = rules::arn_name("Flow", Some(&req.name))?.to_string();
        let mut sources = req.sources.clone();
        match (&req.source, sources.is_empty()) {
            (Some(_), false) => {
                return Err(bad_request(
                    "Specify either Source or Sources for the flow, not both.",
                ))
            }
            (Some(s), true) => sources.push(s.clone()),
            (None, true) => {
                return Err(bad_request(
                    "A flow must have a source. Specify Source or Sources.",
                ))
            }
            (None, false) => {}
        }
        if sources.len() > 2 {
            return Err(bad_request("A flow can have at most two sources."));
        }
        let too_many = quotas::exceeded("CreateFlow420Exception");
        quotas::OUTPUTS_PER_FLOW
            .admit(&self.runtime, 0, req.outputs.len())
            .map_err(&too_many)?;
        quotas::ENTITLEMENTS_PER_FLOW
            .admit(&self.runtime, 0, req.entitlements.len())
            .map_err(&too_many)?;
        let az = match &req.availability_zone {
            Some(az) => {
                rules::availability_zone(&ctx.region, az)?;
                az.clone()
            }
            None => {
                let letter = ["a", "b", "c"][self.runtime.ids.bytes(1)[0] as usize % 3];
                format!("{}{letter}", ctx.region)
            }
        };
        if let Some(m) = &req.maintenance {
            check_maintenance(m)?;
        }
        check_ndi_and_encoding(req.ndi_config.as_ref(), req.encoding_config.as_ref())?;
        let source_monitoring_config = req
            .source_monitoring_config
            .as_ref()
            .map(|c| monitoring::merge(None, c))
            .transpose()?;
        let f = Flow {
            flow_arn: arn::new_arn(
                &self.runtime.ids,
                &ctx.region,
                ctx.account(),
                Kind::Flow,
                &name,
            ),
            name,
            availability_zone: az,
            egress_ip: Some(self.public_ip()),
            source_failover_config: req
                .source_failover_config
                .clone()
                .map(FailoverConfig::with_flow_defaults),
            maintenance: req.maintenance.clone(),
            source_monitoring_config,
            flow_size: req.flow_size.clone(),
            ndi_config: self.with_machine_name(req.ndi_config.clone(), None),
            encoding_config: req.encoding_config.clone(),
            ..Flow::default()
        };
        let mut record = FlowRecord::new(&self.runtime.clock, f);
        let state = self.state.read();
        // Parts that others refer to come first: VPC interfaces, then media streams.
        for v in req.vpc_interfaces.clone() {
            self.add_vpc_interface(&mut record, v)?;
        }
        for m in req.media_streams.clone() {
            self.add_media_stream(&mut record, m)?;
        }
        for s in sources {
            self.add_source(ctx, &mut record, &state, s)?;
        }
        check_failover(&record.flow)?;
        // CreateFlow takes no description: AWS's answers show the flow's as its source's.
        record.flow.description = record
            .flow
            .sources
            .first()
            .and_then(|s| s.description.clone());
        for o in req.outputs.clone() {
            self.add_output(&mut record, o)?;
        }
        self.check_outputs(&record.flow, |_| true, "CreateFlow420Exception")?;
        for e in req.entitlements.clone() {
            self.add_entitlement(&mut record, e)?;
        }
        drop(state);
        let view = record.view(&self.runtime.clock);
        let tags = crate::tags::given(req.flow_tags.clone())?;
        let mut state = self.state.write();
        state.purge_deleted(&ctx.journal, &self.runtime.clock);
        // Counted under the write lock, so concurrent creates cannot overshoot.
        quotas::FLOWS
            .admit(&self.runtime, state.flows.iter_in(ctx).count(), 1)
            .map_err(&too_many)?;
        state.put_flow(&ctx.journal, Stored::new(record, tags));
        Ok(json!({ "Flow": view }))
    }

    /// DescribeFlow: the flow and the problems it currently reports.
    pub(crate) fn describe_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        self.read_flow(ctx, flow_arn(input), |stored, state| {
            let flow = stored.value.view(&self.runtime.clock);
            let errors = source_problems(ctx, state, &flow.sources);
            Ok(json!({ "Flow": flow, "Messages": { "Errors": errors } }))
        })
    }

    /// DescribeFlow as the server answers it: the flow's view rendered once per state of the
    /// flow store and status (which the clock moves on), and copied from then on; the
    /// messages, which other flows' entitlements decide, are made anew.
    pub(crate) fn describe_flow_rendered(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Output, ServiceError> {
        static VIEW: OnceLock<Option<ItemRenderer<'static>>> = OnceLock::new();
        let Some(renderer) = kit::model_renderer(&VIEW, "mediaconnect", |m| {
            m.member_renderer("DescribeFlow", "Flow")
        }) else {
            return self.describe_flow(ctx, input).map(Output::from);
        };
        let arn = flow_arn(input);
        self.read_flow(ctx, arn, |stored, state| {
            let record = &stored.value;
            let status = record
                .status(&self.runtime.clock)
                .unwrap_or(Status::Deleting);
            let errors = source_problems(ctx, state, &record.flow.sources);
            let generation = state.flows.generation();
            let text = self.views.view(generation, arn, status.as_str(), || {
                let flow = serde_json::to_value(record.view_in(status)).unwrap_or_default();
                renderer.render(&flow)
            });
            Ok(Output::with_member(
                json!({ "Messages": { "Errors": errors } }),
                RenderedMember::new("Flow", text),
            ))
        })
    }

    /// ListFlows: a page of the caller's flows in the region.
    pub(crate) fn list_flows(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &PAGING, ctx, "ListFlows", input, "")?;
        let clock = &self.runtime.clock;
        let state = self.state.read();
        let found = state
            .flows
            .page(ctx, key, &page, |_, s| s.value.status(clock).is_some());
        let flows: Vec<Value> = found
            .items
            .into_iter()
            .map(|(_, s)| {
                let r = &s.value;
                let f = &r.flow;
                let mut v = json!({
                    "AvailabilityZone": f.availability_zone,
                    "Description": f.description.clone().unwrap_or_default(),
                    "FlowArn": f.flow_arn,
                    "Name": f.name,
                    "SourceType": if f.entitled() { "ENTITLED" } else { "OWNED" },
                    "Status": r.status(clock).map(Status::as_str),
                });
                if let Some(m) = &f.maintenance {
                    v["Maintenance"] = json!(m);
                }
                v
            })
            .collect();
        let mut out = serde_json::Map::new();
        out.insert("Flows".into(), Value::from(flows));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// UpdateFlow: failover, maintenance, monitoring, NDI, size and encoding settings.
    pub(crate) fn update_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: UpdateFlowRequest = parse(input)?;
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            changeable(record)?;
            check_ndi_and_encoding(req.ndi_config.as_ref(), req.encoding_config.as_ref())?;
            let f = &mut record.flow;
            if let Some(u) = &req.source_failover_config {
                let c = f
                    .source_failover_config
                    .get_or_insert_with(Default::default);
                c.overlay(u);
                *c = std::mem::take(c).with_flow_defaults();
            }
            check_failover(f)?;
            if let Some(u) = &req.maintenance {
                check_maintenance(u)?;
                let m = f.maintenance.get_or_insert_with(Default::default);
                if u.maintenance_day.is_some() {
                    m.maintenance_day = u.maintenance_day.clone();
                }
                if u.maintenance_start_hour.is_some() {
                    m.maintenance_start_hour = u.maintenance_start_hour.clone();
                }
                if u.maintenance_scheduled_date.is_some() {
                    m.maintenance_scheduled_date = u.maintenance_scheduled_date.clone();
                }
                // The model's MaintenanceStartHour: "The default value is 02:00."
                if m.maintenance_day.is_some() && m.maintenance_start_hour.is_none() {
                    m.maintenance_start_hour = Some(DEFAULT_START_HOUR.into());
                }
            }
            if let Some(u) = &req.source_monitoring_config {
                let merged = monitoring::merge(f.source_monitoring_config.as_ref(), u)?;
                f.source_monitoring_config = Some(merged);
            }
            if req.ndi_config.is_some() {
                let kept = f
                    .ndi_config
                    .as_ref()
                    .and_then(machine_name)
                    .map(str::to_string);
                f.ndi_config = self.with_machine_name(req.ndi_config.clone(), kept);
            }
            if let Some(size) = &req.flow_size {
                check_size_change(f.flow_size.as_deref(), size)?;
                f.flow_size = Some(size.clone());
            }
            if req.flow_size.is_some() || req.ndi_config.is_some() {
                crate::sources::check_sources(f)?;
            }
            if req.encoding_config.is_some() {
                f.encoding_config = req.encoding_config.clone();
            }
            touch(self, record);
            Ok(json!({ "Flow": record.view(&self.runtime.clock) }))
        })
    }

    /// StartFlow: STANDBY → STARTING → ACTIVE.
    pub(crate) fn start_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = flow_arn(input);
        self.change_flow(ctx, arn, |stored, _| {
            let record = &mut stored.value;
            let now = lifecycle::start(record.settled()).map_err(bad_request)?;
            record.enter(&self.runtime.clock, now);
            Ok(json!({ "FlowArn": arn, "Status": now.as_str() }))
        })
    }

    /// StopFlow: ACTIVE → STOPPING → STANDBY.
    pub(crate) fn stop_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = flow_arn(input);
        self.change_flow(ctx, arn, |stored, _| {
            let record = &mut stored.value;
            let now = lifecycle::stop(record.settled()).map_err(bad_request)?;
            record.enter(&self.runtime.clock, now);
            Ok(json!({ "FlowArn": arn, "Status": now.as_str() }))
        })
    }

    /// DeleteFlow: only a flow in STANDBY (or ERROR); it shows DELETING until the clock
    /// completes the deletion. Its entitlements end at once, for their subscribers too.
    pub(crate) fn delete_flow(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = flow_arn(input);
        self.change_flow(ctx, arn, |stored, _| {
            let record = &mut stored.value;
            lifecycle::delete(record.settled()).map_err(bad_request)?;
            record.enter(&self.runtime.clock, Status::Deleting);
            record.flow.entitlements.clear();
            Ok(json!({ "FlowArn": arn, "Status": "DELETING" }))
        })
    }
}
