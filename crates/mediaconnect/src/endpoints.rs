//! Source and destination endpoints: registered (REGISTERING → REGISTERED on the clock),
//! connected to each other (CONNECTING → CONNECTED, DISCONNECTING → DISCONNECTED), updated,
//! listed with filters, batch-read and deregistered. A `RouterOutput`/`RouterInput`
//! configuration names a router resource of the caller, which must exist.

use crate::error::{bad_request, conflict, not_found};
use crate::model::{union_key, Doc};
use crate::requests::parse;
use crate::routers::Router;
use crate::tags::TAGS;
use crate::MediaConnect;
use kit::{Lifecycle, PageRequest, Paging, Phase, Step, Stored};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};
use std::time::Duration;

/// "If you don't specify a value, the service returns up to 100 results" (both listings' model).
const PAGING: Paging = Paging::new(100, "BadRequestException").members("MaxResults", "NextToken");

/// Registration and connection steps.
const ENDPOINT: Lifecycle = Lifecycle {
    steps: &[
        Step {
            from: "REGISTERING",
            to: "REGISTERED",
            after: Duration::from_secs(2),
        },
        Step {
            from: "CONNECTING",
            to: "CONNECTED",
            after: Duration::from_secs(2),
        },
        Step {
            from: "DISCONNECTING",
            to: "DISCONNECTED",
            after: Duration::from_secs(2),
        },
    ],
};

/// Which side of a connection an endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    /// Sends content (`sourceEndpoint:ID`).
    Source,
    /// Receives content (`destinationEndpoint:ID`).
    Destination,
}

impl Side {
    fn of(operation: &str) -> Side {
        if operation.contains("Source") {
            Side::Source
        } else {
            Side::Destination
        }
    }
    fn segment(self) -> &'static str {
        match self {
            Side::Source => "sourceEndpoint",
            Side::Destination => "destinationEndpoint",
        }
    }
    fn member(self) -> &'static str {
        match self {
            Side::Source => "SourceEndpoint",
            Side::Destination => "DestinationEndpoint",
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Side::Source => "Source endpoint",
            Side::Destination => "Destination endpoint",
        }
    }
    /// The union member naming a router resource in this side's configuration.
    fn router_member(self) -> &'static str {
        match self {
            Side::Source => "RouterOutput",
            Side::Destination => "RouterInput",
        }
    }
}

/// A source or destination endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub side: Side,
    pub name: String,
    pub arn: String,
    pub id: String,
    pub description: String,
    pub region_name: String,
    pub created_at: f64,
    pub updated_at: f64,
    pub configuration: Doc,
    pub registration: Phase,
    pub connection: Phase,
    /// Destinations a source is connected to, or the source a destination is.
    pub peers: Vec<String>,
}

fn not_found_endpoint(side: Side, arn: &str) -> ServiceError {
    not_found(format!("{} not found: {arn}", side.noun()))
}

impl MediaConnect {
    /// The endpoint's name and the router resource its configuration names, if any.
    fn endpoint_name(
        &self,
        ctx: &RequestContext,
        side: Side,
        config: &Doc,
    ) -> Result<String, ServiceError> {
        let Some((kind, inner)) = config
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.iter().next())
        else {
            return Err(bad_request(
                "Configuration must set exactly one of its members.",
            ));
        };
        if kind == side.router_member() {
            let field = format!("{kind}Arn");
            let arn = inner.get(&field).and_then(Value::as_str).unwrap_or("");
            let state = self.state.read();
            return state
                .routers
                .get_in(ctx, arn)
                .map(|s| s.value.name.clone())
                .ok_or_else(|| {
                    bad_request(format!(
                        "{field} {arn} does not exist in this account and region."
                    ))
                });
        }
        Ok(inner
            .get("Name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string())
    }

    fn endpoint_view(
        &self,
        ctx: &RequestContext,
        routers: &kit::Store<Router>,
        s: &Stored<Endpoint>,
        listed: bool,
    ) -> Value {
        let e = &s.value;
        let clock = &self.runtime.clock;
        let kind = union_key(&e.configuration).unwrap_or("Standard");
        let router = kind != "Standard";
        let mut v = json!({
            "Name": e.name, "Arn": e.arn, "Id": e.id, "RegionName": e.region_name,
            "CreatedAt": e.created_at, "UpdatedAt": e.updated_at,
            "LifecycleManagement": if router { "MANAGED" } else { "UNMANAGED" },
            "ResourceShareOwnership": "OWNED",
            "RegistrationState": ENDPOINT.state(clock, &e.registration),
            "ConnectionState": ENDPOINT.state(clock, &e.connection),
        });
        let type_member = match e.side {
            Side::Source => "SourceType",
            Side::Destination => "DestinationType",
        };
        v[type_member] = json!(if router {
            if e.side == Side::Source {
                "ROUTER_OUTPUT"
            } else {
                "ROUTER_INPUT"
            }
        } else {
            "STANDARD"
        });
        let router_arn = e
            .configuration
            .get(kind)
            .and_then(|c| c.get(format!("{kind}Arn")))
            .and_then(Value::as_str);
        if listed {
            v["MessageCount"] = json!(0);
            v["ResourceShareState"] = json!("UNSHARED");
            match e.side {
                Side::Source => v["ConnectedDestinationCount"] = json!(e.peers.len()),
                Side::Destination => {
                    if let Some(p) = e.peers.first() {
                        v["ConnectedSource"] = json!(p);
                    }
                }
            }
            if let Some(a) = router_arn {
                v["AssociatedResourceArn"] = json!(a);
            }
            return v;
        }
        v["Description"] = json!(e.description);
        v["Messages"] = json!([]);
        v["Configuration"] = e.configuration.clone();
        v["ResourceShareDetails"] = json!({"Owned": {"ShareState": "UNSHARED"}});
        v["Tags"] = kit::tags_to_map(&s.tags);
        let details = match router_arn.and_then(|a| routers.get_in(ctx, a)) {
            Some(r) => json!({
                "Name": r.value.name,
                "MaximumBitrate": r.value.maximum_bitrate.unwrap_or(0),
                "State": self.router_state_of(&r.value),
                "Messages": [],
            }),
            None => json!({}),
        };
        v["AssociatedResourceDetails"] = json!({ kind: details });
        match e.side {
            Side::Source => v["ConnectedDestinations"] = json!(e.peers),
            Side::Destination => {
                if let Some(p) = e.peers.first() {
                    v["ConnectedSource"] = json!(p);
                }
            }
        }
        v
    }

    /// Register{Source,Destination}Endpoint.
    pub(crate) fn register_endpoint(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let configuration = input.get("Configuration").cloned().unwrap_or_default();
        let name = self.endpoint_name(ctx, side, &configuration)?;
        let tags = TAGS.read(input, "Tags")?;
        let now = self.runtime.clock.now();
        let id = self.runtime.ids.alnum(12).to_ascii_lowercase();
        let e = Endpoint {
            side,
            arn: format!(
                "arn:aws:mediaconnect:{}:{}:{}:{id}",
                ctx.region,
                ctx.account(),
                side.segment()
            ),
            name,
            id,
            description: input
                .get("Description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            region_name: input
                .get("RegionName")
                .and_then(Value::as_str)
                .unwrap_or(&ctx.region)
                .to_string(),
            created_at: now,
            updated_at: now,
            configuration,
            registration: ENDPOINT.enter(&self.runtime.clock, "REGISTERING"),
            connection: ENDPOINT.enter(&self.runtime.clock, "DISCONNECTED"),
            peers: Vec::new(),
        };
        let arn = e.arn.clone();
        let stored = Stored::new(e, tags);
        let mut state = self.state.write();
        state.endpoints.put(&ctx.journal, &arn, stored.clone());
        let view = self.endpoint_view(ctx, &state.routers, &stored, false);
        Ok(json!({ side.member(): view }))
    }

    /// Get{Source,Destination}Endpoint.
    pub(crate) fn get_endpoint(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let arn = input.get("Arn").and_then(Value::as_str).unwrap_or("");
        let state = self.state.read();
        let s = state
            .endpoints
            .get_in(ctx, arn)
            .filter(|s| s.value.side == side)
            .ok_or_else(|| not_found_endpoint(side, arn))?;
        Ok(json!({ side.member(): self.endpoint_view(ctx, &state.routers, s, false) }))
    }

    /// BatchGet{Source,Destination}Endpoint.
    pub(crate) fn batch_get_endpoints(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let state = self.state.read();
        let (mut found, mut errors) = (Vec::new(), Vec::new());
        for arn in kit::input::strings(input, "Arns") {
            match state.endpoints.get_in(ctx, arn).filter(|s| s.value.side == side) {
                Some(s) => found.push(self.endpoint_view(ctx, &state.routers, s, false)),
                None => errors.push(json!({"Arn": arn, "Code": "NOT_FOUND", "Message": format!("{} not found: {arn}", side.noun())})),
            }
        }
        Ok(json!({ format!("{}s", side.member()): found, "Errors": errors }))
    }

    /// List{Source,Destination}Endpoints with their filters.
    pub(crate) fn list_endpoints(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let filters: Vec<Map<String, Value>> = parse(input.get("Filters").unwrap_or(&json!([])))?;
        let key = &self.runtime.token_key;
        let scope = serde_json::to_string(&filters).unwrap_or_default();
        let page = PageRequest::read(key, &PAGING, ctx, operation, input, &scope)?;
        let state = self.state.read();
        let found = state.endpoints.page(ctx, key, &page, |_, s| {
            if s.value.side != side {
                return false;
            }
            let listed = self.endpoint_view(ctx, &state.routers, s, true);
            filters.iter().all(|f| {
                f.iter().all(|(name, values)| {
                    let values: Vec<&str> = values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let field = match name.as_str() {
                        "NameContains" => return values.iter().any(|v| s.value.name.contains(v)),
                        "RegionNames" => "RegionName",
                        "SourceTypes" => "SourceType",
                        "DestinationTypes" => "DestinationType",
                        _ => return true,
                    };
                    listed
                        .get(field)
                        .and_then(Value::as_str)
                        .is_some_and(|x| values.contains(&x))
                })
            })
        });
        let items: Vec<Value> = found
            .items
            .iter()
            .map(|(_, s)| self.endpoint_view(ctx, &state.routers, s, true))
            .collect();
        let mut out = Map::new();
        out.insert(format!("{}s", side.member()), Value::from(items));
        page.put_token(&mut out, found.next);
        Ok(Value::Object(out))
    }

    /// Update{Source,Destination}Endpoint: description and configuration.
    pub(crate) fn update_endpoint(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let arn = input.get("Arn").and_then(Value::as_str).unwrap_or("");
        let renamed = match input.get("Configuration") {
            Some(c) => Some(self.endpoint_name(ctx, side, c)?),
            None => None,
        };
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        let updated = state.endpoints.update(ctx, arn, |s| {
            if s.value.side != side {
                return Err(not_found_endpoint(side, arn));
            }
            if let Some(d) = input.get("Description").and_then(Value::as_str) {
                s.value.description = d.to_string();
            }
            if let (Some(c), Some(n)) = (input.get("Configuration"), renamed) {
                s.value.configuration = c.clone();
                s.value.name = n;
            }
            s.value.updated_at = now;
            Ok(s.clone())
        });
        let s = updated.ok_or_else(|| not_found_endpoint(side, arn))??;
        Ok(json!({ side.member(): self.endpoint_view(ctx, &state.routers, &s, false) }))
    }

    /// Deregister{Source,Destination}Endpoint: not while connected.
    pub(crate) fn deregister_endpoint(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let side = Side::of(operation);
        let arn = input.get("Arn").and_then(Value::as_str).unwrap_or("");
        let mut state = self.state.write();
        let s = state
            .endpoints
            .get_in(ctx, arn)
            .filter(|s| s.value.side == side)
            .ok_or_else(|| not_found_endpoint(side, arn))?;
        if !s.value.peers.is_empty() {
            return Err(conflict(format!(
                "{} {arn} is connected. Disconnect it before you deregister it.",
                side.noun()
            )));
        }
        let name = s.value.name.clone();
        state.endpoints.remove(&ctx.journal, arn);
        Ok(json!({"Arn": arn, "Name": name}))
    }

    /// ConnectEndpoints and DisconnectEndpoints.
    pub(crate) fn connect_endpoints(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let connect = operation == "ConnectEndpoints";
        let dest = input
            .get("DestinationEndpointArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let src = input
            .get("SourceEndpointArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        let clock = &self.runtime.clock;
        let mut state = self.state.write();
        let get = |side: Side, arn: &str| {
            state
                .endpoints
                .get_in(ctx, arn)
                .filter(|s| s.value.side == side)
                .map(|s| s.value.clone())
                .ok_or_else(|| not_found_endpoint(side, arn))
        };
        let (d, s) = (get(Side::Destination, dest)?, get(Side::Source, src)?);
        for e in [&d, &s] {
            let registered = ENDPOINT.state(clock, &e.registration);
            if registered != "REGISTERED" {
                return Err(conflict(format!(
                    "{} {} is {registered}.",
                    e.side.noun(),
                    e.arn
                )));
            }
        }
        let linked = d.peers.iter().any(|p| p == src);
        if connect && !d.peers.is_empty() {
            return Err(conflict(format!(
                "Destination endpoint {dest} is already connected to {}.",
                d.peers[0]
            )));
        }
        if !connect && !linked {
            return Err(conflict(format!(
                "Destination endpoint {dest} is not connected to {src}."
            )));
        }
        let next = if connect {
            "CONNECTING"
        } else {
            "DISCONNECTING"
        };
        let _ = state.endpoints.update(ctx, dest, |e| {
            e.value.peers = if connect {
                vec![src.to_string()]
            } else {
                Vec::new()
            };
            e.value.connection = ENDPOINT.enter(clock, next);
            Ok::<_, ServiceError>(())
        });
        let _ = state.endpoints.update(ctx, src, |e| {
            if connect {
                e.value.peers.push(dest.to_string());
            } else {
                e.value.peers.retain(|p| p != dest);
            }
            if connect || e.value.peers.is_empty() {
                e.value.connection = ENDPOINT.enter(clock, next);
            }
            Ok::<_, ServiceError>(())
        });
        Ok(json!({
            "DestinationEndpointArn": dest, "DestinationEndpointName": d.name,
            "SourceEndpointArn": src, "SourceEndpointName": s.name,
        }))
    }
}
