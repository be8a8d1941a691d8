//! MediaConnect router: network interfaces (public or VPC), router inputs and router outputs,
//! each with its lifecycle on the clock, routing (TakeRouterInput), batch gets, filtered
//! listings, source metadata and thumbnails of inputs. Their configurations are unions the
//! model validates; they are stored as given and their kind decides the resource's type.

use crate::error::{bad_request, conflict, not_found};
use crate::model::{union_key, Doc};
use crate::quotas;
use crate::requests::parse;
use crate::router_rules;
use crate::rules;
use crate::tags::TAGS;
use crate::MediaConnect;
use kit::{Lifecycle, PageRequest, Paging, Phase, Step, Stored, Tags};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};
use std::collections::BTreeMap;
use std::time::Duration;

/// How the router listings page (their model caps `MaxResults` itself).
const PAGING: Paging = Paging::new(20, "BadRequestException").members("MaxResults", "NextToken");

/// CREATING → STANDBY (inputs, outputs) or ACTIVE (network interfaces), STARTING → ACTIVE,
/// STOPPING → STANDBY.
const ROUTER: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "CREATING",
            to: "STANDBY",
            after: Duration::from_secs(2),
        },
        Step {
            from: "CREATING_INTERFACE",
            to: "ACTIVE",
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

/// The three router resource types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RouterKind {
    /// `routerInput:ID`
    Input,
    /// `routerOutput:ID`
    Output,
    /// `routerNetworkInterface:ID`
    NetworkInterface,
}

impl RouterKind {
    fn segment(self) -> &'static str {
        match self {
            RouterKind::Input => "routerInput",
            RouterKind::Output => "routerOutput",
            RouterKind::NetworkInterface => "routerNetworkInterface",
        }
    }

    /// The kind's per-account quota and the model's shape for reaching it.
    fn quota(self) -> (kit::Quota, &'static str) {
        match self {
            RouterKind::Input => (
                quotas::ROUTER_INPUTS,
                "RouterInputServiceQuotaExceededException",
            ),
            RouterKind::Output => (
                quotas::ROUTER_OUTPUTS,
                "RouterOutputServiceQuotaExceededException",
            ),
            RouterKind::NetworkInterface => (
                quotas::ROUTER_NETWORK_INTERFACES,
                "RouterNetworkInterfaceServiceQuotaExceededException",
            ),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            RouterKind::Input => "Router input",
            RouterKind::Output => "Router output",
            RouterKind::NetworkInterface => "Router network interface",
        }
    }

    /// The wire type of a configuration union's member (`Standard` → `STANDARD`).
    fn type_of(self, config: &Doc) -> String {
        let key = union_key(config).unwrap_or("Standard");
        match key {
            "MediaConnectFlow" => "MEDIACONNECT_FLOW".into(),
            "MediaLiveChannel" => "MEDIALIVE_CHANNEL".into(),
            "MediaLiveInput" => "MEDIALIVE_INPUT".into(),
            "DestinationEndpoint" => "DESTINATION_ENDPOINT".into(),
            "SourceEndpoint" => "SOURCE_ENDPOINT".into(),
            other => other.to_ascii_uppercase(),
        }
    }
}

/// A router input, output or network interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Router {
    pub kind: RouterKind,
    pub name: String,
    pub arn: String,
    pub id: String,
    pub phase: Phase,
    pub configuration: Doc,
    pub region_name: String,
    pub availability_zone: String,
    pub maximum_bitrate: Option<i64>,
    pub tier: Option<String>,
    pub routing_scope: Option<String>,
    pub created_at: f64,
    pub updated_at: f64,
    /// Configuration members stored as given (TransitEncryption, MaintenanceConfiguration, …).
    pub settings: BTreeMap<String, Doc>,
    /// The input an output is routed to.
    pub routed_input_arn: Option<String>,
    /// A plausible address (public interfaces and standard inputs/outputs).
    pub ip_address: Option<String>,
}

impl Router {
    /// What TakeRouterInput compares (the model's defaults where a member was not given).
    fn routable(&self) -> router_rules::Routable<'_> {
        router_rules::Routable {
            region: &self.region_name,
            scope: self.routing_scope.as_deref().unwrap_or("REGIONAL"),
            bitrate: self.maximum_bitrate.unwrap_or(0),
        }
    }
}

/// Members each kind stores as given.
const SETTINGS: &[&str] = &[
    "TransitEncryption",
    "MaintenanceConfiguration",
    "ContentQualityAnalysisConfiguration",
    "FabricConfiguration",
    "Processors",
];

fn kind_of_operation(op: &str) -> RouterKind {
    if op.contains("NetworkInterface") {
        RouterKind::NetworkInterface
    } else if op.contains("RouterOutput") || op == "TakeRouterInput" {
        RouterKind::Output
    } else {
        RouterKind::Input
    }
}

fn arn_member(input: &Value) -> &str {
    input.get("Arn").and_then(Value::as_str).unwrap_or("")
}

fn router_not_found(kind: RouterKind, arn: &str) -> ServiceError {
    not_found(format!("{} not found: {arn}", kind.noun()))
}

/// The single member of a union value, checked.
fn union_member(config: &Doc, what: &str) -> Result<(), ServiceError> {
    match config.as_object().map(Map::len) {
        Some(1) => Ok(()),
        _ => Err(bad_request(format!(
            "{what} must set exactly one of its members."
        ))),
    }
}

/// A router output's fabric configuration as answered, with the model's defaults filled in:
/// "BALANCED (default)" for `RecoveryLatencyMode` and "IMMEDIATE (default)" for
/// `SwitchingMode`, which otherwise names the switching configuration's member ("If you
/// specify it, it must match the switching configuration").
fn fabric_view(mut fabric: Value) -> Value {
    if let Some(f) = fabric.as_object_mut() {
        f.entry("RecoveryLatencyMode")
            .or_insert_with(|| json!("BALANCED"));
        if !f.contains_key("SwitchingMode") {
            let mode = match f.get("SwitchingConfiguration").and_then(union_key) {
                Some("KeyFrame") => "KEY_FRAME",
                _ => "IMMEDIATE",
            };
            f.insert("SwitchingMode".into(), json!(mode));
        }
    }
    fabric
}

impl MediaConnect {
    /// A router resource's state as its own API shows it.
    pub(crate) fn router_state_of(&self, r: &Router) -> String {
        self.router_state(r)
    }

    fn router_state(&self, r: &Router) -> String {
        ROUTER
            .state(&self.runtime.clock, &r.phase)
            .replace("_INTERFACE", "")
    }

    fn setting(r: &Router, name: &str, default: Value) -> Value {
        r.settings.get(name).cloned().unwrap_or(default)
    }

    /// The maintenance window a start or view reports: next Sunday-ish, an hour long.
    fn maintenance_schedule(&self) -> Value {
        let now = self.runtime.clock.now();
        let start = (now / 86_400.0).floor() * 86_400.0 + 7.0 * 86_400.0 + 3_600.0;
        json!({"Window": {"Start": start, "End": start + 3_600.0, "ScheduledTime": now}})
    }

    /// The API view of a router resource (`RouterInput`, `RouterOutput`,
    /// `RouterNetworkInterface`), or its listed form.
    fn router_view(
        &self,
        all: &kit::Store<Router>,
        ctx: &RequestContext,
        s: &Stored<Router>,
        listed: bool,
    ) -> Value {
        let r = &s.value;
        let mut v = json!({
            "Name": r.name, "Arn": r.arn, "Id": r.id, "State": self.router_state(r),
            "RegionName": r.region_name, "CreatedAt": r.created_at, "UpdatedAt": r.updated_at,
        });
        let config_network = |c: &Doc| -> Option<String> {
            c.as_object()?
                .values()
                .next()?
                .get("NetworkInterfaceArn")?
                .as_str()
                .map(str::to_string)
        };
        match r.kind {
            RouterKind::NetworkInterface => {
                let users = |k: RouterKind| {
                    all.iter_in(ctx)
                        .filter(|(_, x)| {
                            x.value.kind == k
                                && config_network(&x.value.configuration).as_deref()
                                    == Some(r.arn.as_str())
                        })
                        .count()
                };
                v["NetworkInterfaceType"] =
                    json!(RouterKind::NetworkInterface.type_of(&r.configuration));
                v["AssociatedOutputCount"] = json!(users(RouterKind::Output));
                v["AssociatedInputCount"] = json!(users(RouterKind::Input));
                if !listed {
                    v["Configuration"] = r.configuration.clone();
                    v["Tags"] = kit::tags_to_map(&s.tags);
                }
            }
            RouterKind::Input | RouterKind::Output => {
                let input = r.kind == RouterKind::Input;
                let kind_type = r.kind.type_of(&r.configuration);
                v[if input { "InputType" } else { "OutputType" }] = json!(kind_type);
                v["AvailabilityZone"] = json!(r.availability_zone);
                v["MaximumBitrate"] = json!(r.maximum_bitrate.unwrap_or(0));
                v["RoutingScope"] =
                    json!(r.routing_scope.clone().unwrap_or_else(|| "REGIONAL".into()));
                if input {
                    let routed = all
                        .iter_in(ctx)
                        .filter(|(_, x)| {
                            x.value.routed_input_arn.as_deref() == Some(r.arn.as_str())
                        })
                        .count();
                    v["RoutedOutputs"] = json!(routed);
                } else {
                    let routed = r.routed_input_arn.is_some();
                    v["RoutedState"] = json!(if routed { "ROUTED" } else { "UNROUTED" });
                    if let Some(i) = &r.routed_input_arn {
                        v["RoutedInputArn"] = json!(i);
                    }
                }
                if listed {
                    v["MessageCount"] = json!(0);
                    if let Some(n) = config_network(&r.configuration) {
                        v["NetworkInterfaceArn"] = json!(n);
                    }
                    return v;
                }
                let maintenance =
                    Self::setting(r, "MaintenanceConfiguration", json!({"Default": {}}));
                let preferred = maintenance.get("PreferredDayTime").is_some();
                v["MaintenanceType"] = json!(if preferred {
                    "PREFERRED_DAY_TIME"
                } else {
                    "DEFAULT"
                });
                v["MaintenanceConfiguration"] = maintenance;
                v["Tier"] = json!(r.tier.clone().unwrap_or_default());
                v["Configuration"] = r.configuration.clone();
                v["Messages"] = json!([]);
                v["Tags"] = kit::tags_to_map(&s.tags);
                let ip = r.ip_address.clone();
                if let Some(ip) = &ip {
                    v["IpAddress"] = json!(ip);
                }
                let key = union_key(&r.configuration).unwrap_or("Standard");
                let details = match (input, key) {
                    (true, "Standard") => standard_input_details(&r.configuration, &r.arn, ip),
                    (false, "Standard") => standard_output_details(&r.configuration, ip),
                    (_, "Failover" | "Merge") => json!({
                        "SourceIndexZeroStreamDetails": {"SourceIndex": 0},
                        "SourceIndexOneStreamDetails": {"SourceIndex": 1}
                    }),
                    _ => json!({}),
                };
                v["StreamDetails"] = json!({ key: details });
                if input {
                    v["TransitEncryption"] = Self::setting(
                        r,
                        "TransitEncryption",
                        json!({
                            "EncryptionKeyType": "AUTOMATIC",
                            "EncryptionKeyConfiguration": {"Automatic": {}}
                        }),
                    );
                    v["ContentQualityAnalysisType"] = json!("CONTENT_LEVEL");
                    v["ContentQualityAnalysisConfiguration"] = Self::setting(
                        r,
                        "ContentQualityAnalysisConfiguration",
                        json!({"ContentLevel": {}}),
                    );
                } else {
                    v["FabricConfiguration"] =
                        fabric_view(Self::setting(r, "FabricConfiguration", json!({})));
                    if let Some(p) = r.settings.get("Processors") {
                        v["Processors"] = p.clone();
                    }
                }
            }
        }
        v
    }

    fn one_router(&self, ctx: &RequestContext, s: &Stored<Router>) -> Value {
        let state = self.state.read();
        self.router_view(&state.routers, ctx, s, false)
    }

    /// The member a single router resource sits under in outputs.
    fn router_member(kind: RouterKind) -> &'static str {
        match kind {
            RouterKind::Input => "RouterInput",
            RouterKind::Output => "RouterOutput",
            RouterKind::NetworkInterface => "RouterNetworkInterface",
        }
    }

    /// A network interface named in a configuration must be the caller's.
    fn check_network_interface(
        &self,
        ctx: &RequestContext,
        config: &Doc,
    ) -> Result<(), ServiceError> {
        let named = config
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|c| c.get("NetworkInterfaceArn"))
            .and_then(Value::as_str);
        if let Some(n) = named {
            let state = self.state.read();
            let found = state
                .routers
                .get_in(ctx, n)
                .is_some_and(|s| s.value.kind == RouterKind::NetworkInterface);
            if !found {
                return Err(bad_request(format!(
                    "Router network interface {n} does not exist in this account and region."
                )));
            }
        }
        Ok(())
    }

    /// CreateRouterInput, CreateRouterOutput, CreateRouterNetworkInterface.
    pub(crate) fn create_router(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let name = rules::name(kind.noun(), input.get("Name").and_then(Value::as_str))?.to_string();
        let configuration = input.get("Configuration").cloned().unwrap_or_default();
        union_member(&configuration, "Configuration")?;
        check_settings(kind, input, &configuration)?;
        router_rules::bitrate_within_tier(
            input.get("MaximumBitrate").and_then(Value::as_i64),
            input.get("Tier").and_then(Value::as_str),
        )?;
        self.check_network_interface(ctx, &configuration)?;
        let tags = TAGS.read(input, "Tags")?;
        let now = self.runtime.clock.now();
        let region = input
            .get("RegionName")
            .and_then(Value::as_str)
            .unwrap_or(&ctx.region)
            .to_string();
        let az = match input.get("AvailabilityZone").and_then(Value::as_str) {
            Some(az) => {
                rules::availability_zone(&region, az)?;
                az.to_string()
            }
            None => format!("{region}a"),
        };
        let id = self.runtime.ids.alnum(12).to_ascii_lowercase();
        let public = matches!(kind.type_of(&configuration).as_str(), "STANDARD" | "PUBLIC");
        let router = Router {
            kind,
            arn: format!(
                "arn:aws:mediaconnect:{}:{}:{}:{id}",
                ctx.region,
                ctx.account(),
                kind.segment()
            ),
            name,
            id,
            phase: ROUTER.enter(
                &self.runtime.clock,
                if kind == RouterKind::NetworkInterface {
                    "CREATING_INTERFACE"
                } else {
                    "CREATING"
                },
            ),
            configuration,
            region_name: region,
            availability_zone: az,
            maximum_bitrate: input.get("MaximumBitrate").and_then(Value::as_i64),
            tier: input
                .get("Tier")
                .and_then(Value::as_str)
                .map(str::to_string),
            routing_scope: input
                .get("RoutingScope")
                .and_then(Value::as_str)
                .map(str::to_string),
            created_at: now,
            updated_at: now,
            settings: SETTINGS
                .iter()
                .filter_map(|m| Some((m.to_string(), input.get(*m)?.clone())))
                .collect(),
            routed_input_arn: None,
            ip_address: public.then(|| self.public_ip()),
        };
        let arn = router.arn.clone();
        let stored = Stored::new(router, tags);
        let mut state = self.state.write();
        // Counted under the write lock, so concurrent creates cannot overshoot.
        let (quota, code) = kind.quota();
        let existing = state
            .routers
            .iter_in(ctx)
            .filter(|(_, s)| s.value.kind == kind)
            .count();
        quota
            .admit(&self.runtime, existing, 1)
            .map_err(quotas::exceeded(code))?;
        state.routers.put(&ctx.journal, &arn, stored.clone());
        let view = self.router_view(&state.routers, ctx, &stored, false);
        Ok(json!({ Self::router_member(kind): view }))
    }

    fn router_of(
        &self,
        ctx: &RequestContext,
        kind: RouterKind,
        arn: &str,
    ) -> Result<Stored<Router>, ServiceError> {
        self.state
            .read()
            .routers
            .get_in(ctx, arn)
            .filter(|s| s.value.kind == kind)
            .cloned()
            .ok_or_else(|| router_not_found(kind, arn))
    }

    /// GetRouterInput, GetRouterOutput, GetRouterNetworkInterface.
    pub(crate) fn get_router(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let s = self.router_of(ctx, kind, arn_member(input))?;
        Ok(json!({ Self::router_member(kind): self.one_router(ctx, &s) }))
    }

    /// BatchGetRouter*: the ones found, and an error for each ARN that is not.
    pub(crate) fn batch_get_routers(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let state = self.state.read();
        let mut found = Vec::new();
        let mut errors = Vec::new();
        for arn in kit::input::strings(input, "Arns") {
            match state
                .routers
                .get_in(ctx, arn)
                .filter(|s| s.value.kind == kind)
            {
                Some(s) => found.push(self.router_view(&state.routers, ctx, s, false)),
                None => errors.push(json!({
                    "Arn": arn, "Code": "NOT_FOUND",
                    "Message": format!("{} not found: {arn}", kind.noun())
                })),
            }
        }
        let member = format!("{}s", Self::router_member(kind));
        Ok(json!({ member: found, "Errors": errors }))
    }

    /// ListRouterInputs, ListRouterOutputs, ListRouterNetworkInterfaces with their filters
    /// (every filter must match; within one, any of its values).
    pub(crate) fn list_routers(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let filters: Vec<Map<String, Value>> = parse(input.get("Filters").unwrap_or(&json!([])))?;
        let key = &self.runtime.token_key;
        let scope = serde_json::to_string(&filters).unwrap_or_default();
        let page = PageRequest::read(key, &PAGING, ctx, operation, input, &scope)?;
        let state = self.state.read();
        let matches = |s: &Stored<Router>| -> bool {
            let r = &s.value;
            let listed = self.router_view(&state.routers, ctx, s, true);
            filters.iter().all(|f| {
                f.iter().all(|(name, values)| {
                    let values: Vec<&str> = values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let field = match name.as_str() {
                        "NameContains" => return values.iter().any(|v| r.name.contains(v)),
                        "RegionNames" => "RegionName",
                        "RoutingScopes" => "RoutingScope",
                        "InputTypes" => "InputType",
                        "OutputTypes" => "OutputType",
                        "NetworkInterfaceTypes" => "NetworkInterfaceType",
                        "NetworkInterfaceArns" => "NetworkInterfaceArn",
                        "RoutedInputArns" => "RoutedInputArn",
                        _ => return true,
                    };
                    listed
                        .get(field)
                        .and_then(Value::as_str)
                        .is_some_and(|x| values.contains(&x))
                })
            })
        };
        let found = state
            .routers
            .page(ctx, key, &page, |_, s| s.value.kind == kind && matches(s));
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| self.router_view(&state.routers, ctx, s, true))
            .collect();
        let mut out = Map::new();
        out.insert(
            format!("{}s", Self::router_member(kind)),
            Value::from(items),
        );
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// UpdateRouter*: name, configuration and settings.
    pub(crate) fn update_router(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let arn = arn_member(input);
        if let Some(c) = input.get("Configuration") {
            union_member(c, "Configuration")?;
            self.check_network_interface(ctx, c)?;
        }
        check_settings(
            kind,
            input,
            input.get("Configuration").unwrap_or(&Value::Null),
        )?;
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        let updated = state.routers.update(ctx, arn, |s| {
            let r = &mut s.value;
            if r.kind != kind {
                return Err(router_not_found(kind, arn));
            }
            if let Some(c) = input.get("Configuration") {
                router_rules::same_configuration_type(&r.configuration, c, kind.noun())?;
            }
            // The model: "You cannot update the fabric configuration while the output has an
            // active route. You must unroute the output before updating the fabric
            // configuration."
            if input.get("FabricConfiguration").is_some() && r.routed_input_arn.is_some() {
                return Err(conflict(format!(
                    "{} {arn} is routed to an input. Unroute it before you update its fabric configuration.",
                    kind.noun()
                )));
            }
            // The User Guide (Setting router I/O maintenance windows): "You cannot change the
            // maintenance schedule for a router I/O while it is active. You must stop the I/O
            // first (placing it in Standby state)".
            let running = ROUTER.state(&self.runtime.clock, &r.phase);
            if input.get("MaintenanceConfiguration").is_some()
                && matches!(running.as_str(), "STARTING" | "ACTIVE" | "STOPPING")
            {
                return Err(conflict(format!(
                    "{} {arn} is {running}. Stop it before you change its maintenance configuration.",
                    kind.noun()
                )));
            }
            // The bitrate and tier as they will be, checked before anything changes.
            let bitrate = input.get("MaximumBitrate").and_then(Value::as_i64);
            let tier = input.get("Tier").and_then(Value::as_str);
            router_rules::bitrate_within_tier(
                bitrate.or(r.maximum_bitrate),
                tier.or(r.tier.as_deref()),
            )?;
            if let Some(n) = input.get("Name").and_then(Value::as_str) {
                r.name = rules::name(kind.noun(), Some(n))?.to_string();
            }
            if let Some(c) = input.get("Configuration") {
                r.configuration = c.clone();
            }
            if let Some(b) = bitrate {
                r.maximum_bitrate = Some(b);
            }
            for (m, field) in [
                ("Tier", &mut r.tier),
                ("RoutingScope", &mut r.routing_scope),
            ] {
                if let Some(v) = input.get(m).and_then(Value::as_str) {
                    *field = Some(v.to_string());
                }
            }
            for m in SETTINGS {
                if let Some(v) = input.get(*m) {
                    r.settings.insert(m.to_string(), v.clone());
                }
            }
            r.updated_at = now;
            Ok(s.clone())
        });
        let s = updated.ok_or_else(|| router_not_found(kind, arn))??;
        let view = self.router_view(&state.routers, ctx, &s, false);
        Ok(json!({ Self::router_member(kind): view }))
    }

    /// Start/Stop/Restart of router inputs and outputs.
    pub(crate) fn transition_router(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let arn = arn_member(input);
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        let result = state.routers.update(ctx, arn, |s| {
            let r = &mut s.value;
            if r.kind != kind {
                return Err(router_not_found(kind, arn));
            }
            r.phase = ROUTER.current(clock, &r.phase);
            let now = r.phase.state.clone();
            let next = match (operation.split("Router").next().unwrap_or(""), now.as_str()) {
                ("Start", "STANDBY") => "STARTING",
                ("Stop", "ACTIVE" | "STARTING") => "STOPPING",
                ("Restart", "ACTIVE") => "STARTING",
                (verb, state) => {
                    return Err(conflict(format!(
                        "{} {arn} cannot {} while it is {state}.",
                        kind.noun(),
                        verb.to_ascii_lowercase()
                    )))
                }
            };
            r.phase = ROUTER.enter(clock, next);
            Ok((r.name.clone(), next))
        });
        let (name, next) = result.ok_or_else(|| router_not_found(kind, arn))??;
        let mut out = json!({"Arn": arn, "Name": name, "State": next});
        if operation.starts_with("Start") {
            out["MaintenanceScheduleType"] = json!("WINDOW");
            out["MaintenanceSchedule"] = self.maintenance_schedule();
        }
        Ok(out)
    }

    /// DeleteRouter*: not while running (inputs, outputs) or in use (network interfaces,
    /// inputs outputs are routed to).
    pub(crate) fn delete_router(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let kind = kind_of_operation(operation);
        let arn = arn_member(input);
        let mut state = self.state.write();
        let s = state
            .routers
            .get_in(ctx, arn)
            .filter(|s| s.value.kind == kind)
            .ok_or_else(|| router_not_found(kind, arn))?;
        let now = self.router_state(&s.value);
        let name = s.value.name.clone();
        if matches!(now.as_str(), "ACTIVE" | "STARTING" | "STOPPING")
            && kind != RouterKind::NetworkInterface
        {
            return Err(conflict(format!(
                "{} {arn} is {now}. Stop it before you delete it.",
                kind.noun()
            )));
        }
        let in_use = state.routers.iter_in(ctx).any(|(_, x)| {
            x.value.routed_input_arn.as_deref() == Some(arn)
                || x.value
                    .configuration
                    .as_object()
                    .and_then(|o| o.values().next())
                    .and_then(|c| c.get("NetworkInterfaceArn"))
                    .and_then(Value::as_str)
                    == Some(arn)
        });
        if in_use {
            return Err(conflict(format!("{} {arn} is in use.", kind.noun())));
        }
        state.routers.remove(&ctx.journal, arn);
        Ok(json!({"Arn": arn, "Name": name, "State": "DELETING"}))
    }

    /// TakeRouterInput: routes an output to an input, or unroutes it (no input).
    pub(crate) fn take_router_input(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let out_arn = input
            .get("RouterOutputArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let in_arn = input.get("RouterInputArn").and_then(Value::as_str);
        let taken = match in_arn {
            Some(a) => Some(self.router_of(ctx, RouterKind::Input, a)?.value),
            None => None,
        };
        let input_name = taken.as_ref().map(|i| i.name.clone());
        let mut state = self.state.write();
        let updated = state.routers.update(ctx, out_arn, |s| {
            if s.value.kind != RouterKind::Output {
                return Err(router_not_found(RouterKind::Output, out_arn));
            }
            if let Some(i) = &taken {
                router_rules::compatible(&i.routable(), &s.value.routable())?;
            }
            s.value.routed_input_arn = in_arn.map(str::to_string);
            Ok(s.value.name.clone())
        });
        let name = updated.ok_or_else(|| router_not_found(RouterKind::Output, out_arn))??;
        let mut out = json!({
            "RoutedState": if in_arn.is_some() { "ROUTED" } else { "UNROUTED" },
            "RouterOutputArn": out_arn,
            "RouterOutputName": name,
        });
        if let (Some(a), Some(n)) = (in_arn, input_name) {
            out["RouterInputArn"] = json!(a);
            out["RouterInputName"] = json!(n);
        }
        Ok(out)
    }

    /// GetRouterInputSourceMetadata: a transport stream while the input is ACTIVE.
    pub(crate) fn get_router_input_source_metadata(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let s = self.router_of(ctx, RouterKind::Input, arn_member(input))?;
        let now = self.runtime.clock.now();
        let state = self.router_state(&s.value);
        let mut details = json!({"SourceMetadataMessages": [], "Timestamp": now});
        if state == "ACTIVE" {
            details["RouterInputMetadata"] = json!({"TransportStreamMediaInfo": {"Programs": [{
                "PcrPid": 481, "ProgramNumber": 1, "ProgramPid": 480,
                "Streams": [{"Pid": 481, "StreamType": "H.264 Video", "Codec": "h264",
                    "FrameResolution": {"FrameWidth": 1920, "FrameHeight": 1080}, "FrameRate": "30000/1001"}]
            }]}});
        } else {
            details["SourceMetadataMessages"] = json!([{"Code": "INPUT_NOT_RUNNING",
                "Message": format!("The router input is {state}. Source metadata is available only while it is ACTIVE.")}]);
        }
        Ok(json!({"Arn": s.value.arn, "Name": s.value.name, "SourceMetadataDetails": details}))
    }

    /// GetRouterInputThumbnail: an image while the input is ACTIVE.
    pub(crate) fn get_router_input_thumbnail(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let s = self.router_of(ctx, RouterKind::Input, arn_member(input))?;
        let state = self.router_state(&s.value);
        let mut details = json!({"ThumbnailMessages": []});
        if state == "ACTIVE" {
            use base64::Engine;
            details["Thumbnail"] =
                json!(base64::engine::general_purpose::STANDARD
                    .encode(crate::metadata::THUMBNAIL_PNG));
            details["Timestamp"] = json!(self.runtime.clock.now());
        } else {
            details["ThumbnailMessages"] = json!([{"Code": "INPUT_NOT_RUNNING",
                "Message": format!("The router input is {state}. Thumbnails are available only while it is ACTIVE.")}]);
        }
        Ok(json!({"Arn": s.value.arn, "Name": s.value.name, "ThumbnailDetails": details}))
    }

    /// TagGlobalResource, UntagGlobalResource, ListTagsForGlobalResource on router resources.
    pub(crate) fn global_tags(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = input
            .get("ResourceArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let missing = || not_found(format!("The requested resource {arn} was not found."));
        if operation == "ListTagsForGlobalResource" {
            let state = self.state.read();
            let s = state.routers.get_in(ctx, arn).ok_or_else(missing)?;
            return Ok(json!({ "Tags": kit::tags_to_map(&s.tags) }));
        }
        let new = TAGS.read(input, "Tags")?;
        let keys = kit::input::strings(input, "TagKeys");
        let mut state = self.state.write();
        let changed = state.routers.update(ctx, arn, |s| {
            if operation == "TagGlobalResource" {
                TAGS.merge(&mut s.tags, new)
            } else {
                TAGS.remove(&mut s.tags, &keys)
            }
        });
        changed.ok_or_else(missing)??;
        Ok(json!({}))
    }

    /// The tags of a stored router resource (for the engine and the flow tagging operations).
    pub(crate) fn router_tags(&self, ctx: &RequestContext, arn: &str) -> Option<Tags> {
        self.state
            .read()
            .routers
            .get_in(ctx, arn)
            .map(|s| s.tags.clone())
    }
}

/// The documented rules of a create's or update's configuration, fabric configuration and
/// processors (those it gives).
fn check_settings(
    kind: RouterKind,
    input: &Value,
    configuration: &Doc,
) -> Result<(), ServiceError> {
    if kind == RouterKind::Input {
        router_rules::input_configuration(configuration)?;
    }
    if let Some(f) = input.get("FabricConfiguration") {
        router_rules::fabric_configuration(f)?;
    }
    if let Some(p) = input.get("Processors") {
        router_rules::processors(p)?;
    }
    Ok(())
}

/// A standard router input's `Standard` configuration's protocol and its settings.
fn standard_protocol(configuration: &Value) -> Option<(&str, &Value)> {
    configuration
        .get("Standard")?
        .get("ProtocolConfiguration")?
        .as_object()?
        .iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
}

/// A standard router input's stream details: the address media comes from (the one an SRT
/// caller input calls, else the input's own) and an RTMP input's application and stream.
fn standard_input_details(configuration: &Value, arn: &str, ip: Option<String>) -> Value {
    match standard_protocol(configuration) {
        Some(("SrtCaller", c)) => json!({"SourceIpAddress": c.get("SourceAddress")}),
        Some(("RtmpPush", c)) => {
            let manual = c.get("NamingConfiguration").and_then(|n| n.get("Manual"));
            let name = |key: &str| manual.and_then(|m| m.get(key)).and_then(Value::as_str);
            // Names made up for AUTOMATIC naming stay the same: the input's own ID.
            let id = arn.rsplit(':').next().unwrap_or(arn);
            json!({
                "SourceIpAddress": ip,
                "RtmpPush": {
                    "ApplicationName": name("ApplicationName").unwrap_or("live"),
                    "StreamName": name("StreamName").unwrap_or(id),
                }
            })
        }
        _ => json!({"SourceIpAddress": ip}),
    }
}

/// A standard router output's stream details: the address that receives the media (the
/// configured destination; an SRT listener output's own address, where callers connect).
fn standard_output_details(configuration: &Value, ip: Option<String>) -> Value {
    let destination = standard_protocol(configuration)
        .and_then(|(_, c)| c.get("DestinationAddress"))
        .cloned();
    json!({"DestinationIpAddress": destination.unwrap_or_else(|| json!(ip))})
}
