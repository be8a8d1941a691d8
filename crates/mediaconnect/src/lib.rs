//! AWS Elemental MediaConnect (API 2018-11-14), emulated.
//!
//! Flows with their sources (failover, entitlement sources), outputs of every protocol,
//! entitlements to other accounts, VPC interfaces, media streams and maintenance windows,
//! with the flow lifecycle on the shared clock. Inputs and outputs are JSON values keyed by
//! the model's member names; [`MediaConnect`] plugs into the server through
//! [`service::Service`], built on the shared kit and authorized by the engine.

mod arn;
mod authorization;
mod bridges;
mod encryption;
mod endpoints;
mod entitlements;
mod error;
mod flows;
mod gateways;
mod lifecycle;
mod media_streams;
mod metadata;
mod model;
mod monitoring;
mod offerings;
mod operations;
mod outputs;
mod persistence;
pub mod quotas;
mod rates;
mod requests;
mod router_rules;
mod routers;
mod rules;
mod sources;
mod store;
mod tags;
mod vpc_interfaces;

use error::not_found;
use kit::{Operations, Stored};
use parking_lot::RwLock;
use serde_json::Value;
use service::{
    AuthzSpec, Locate, Record, RequestContext, Runtime, ServiceError, ServiceRoles, StoredFacts,
};
use std::sync::Arc;
use store::{FlowRecord, State};

/// The service principal MediaConnect is passed roles as (`iam:PassedToService`).
pub const SERVICE_PRINCIPAL: &str = "mediaconnect.amazonaws.com";

/// The MediaConnect service: state of every account plus the shared runtime.
pub struct MediaConnect {
    runtime: Arc<Runtime>,
    roles: Arc<dyn ServiceRoles>,
    state: RwLock<State>,
    throttle: kit::Throttle,
    /// Rendered flow views (DescribeFlow), kept while the flow store is unchanged.
    views: kit::ViewCache,
    /// Held by a create with a `ClientToken` from its token check to remembering its answer:
    /// two concurrent calls with one token make one resource.
    token_creates: parking_lot::Mutex<()>,
}

impl std::fmt::Debug for MediaConnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaConnect").finish_non_exhaustive()
    }
}

impl MediaConnect {
    /// A service with empty state; `roles` answers whether a passed role exists.
    pub fn new(runtime: Arc<Runtime>, roles: Arc<dyn ServiceRoles>) -> Arc<MediaConnect> {
        Arc::new(MediaConnect {
            runtime,
            roles,
            state: RwLock::new(State::default()),
            throttle: kit::Throttle::default(),
            views: kit::ViewCache::default(),
            token_creates: parking_lot::Mutex::new(()),
        })
    }

    /// The message AWS gives for a flow ARN it cannot find.
    fn flow_not_found(arn: &str) -> ServiceError {
        not_found(format!("Flow not found: {arn}"))
    }

    /// Runs `read` on the caller's flow `arn` as it is now.
    fn read_flow<T>(
        &self,
        ctx: &RequestContext,
        arn: &str,
        read: impl FnOnce(&Stored<FlowRecord>, &State) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let state = self.state.read();
        let stored = state
            .flows
            .get_in(ctx, arn)
            .filter(|s| s.value.status(&self.runtime.clock).is_some())
            .ok_or_else(|| Self::flow_not_found(arn))?;
        read(stored, &state)
    }

    /// Changes the caller's flow `arn`: `change` works on a settled copy, which replaces the
    /// stored flow (and is journaled) only when it succeeds.
    fn change_flow<T>(
        &self,
        ctx: &RequestContext,
        arn: &str,
        change: impl FnOnce(&mut Stored<FlowRecord>, &State) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let mut state = self.state.write();
        state.purge_deleted(&ctx.journal, &self.runtime.clock);
        let mut stored = state
            .flows
            .get_in(ctx, arn)
            .cloned()
            .ok_or_else(|| Self::flow_not_found(arn))?;
        stored.value.settle(&self.runtime.clock);
        let out = change(&mut stored, &state)?;
        state.put_flow(&ctx.journal, stored);
        Ok(out)
    }

    /// Refuses a passed role that does not exist or belongs to another account.
    fn check_role(&self, ctx: &RequestContext, role: &str) -> Result<(), ServiceError> {
        let own = role.starts_with(&format!("arn:aws:iam::{}:role/", ctx.account()));
        if !own || !self.roles.role_exists(role) {
            return Err(error::bad_request(format!(
                "The role {role} does not exist in account {}. Specify the ARN of an IAM role that MediaConnect can assume.",
                ctx.account()
            )));
        }
        Ok(())
    }

    /// Runs a create that carries a `ClientToken`: a retry with the same token and input
    /// answers what the first call answered; the token with other input is a conflict.
    fn idempotent(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        create: impl FnOnce() -> Result<Value, ServiceError>,
    ) -> Result<Value, ServiceError> {
        let now = self.runtime.clock.now();
        let mismatch = || {
            error::conflict(format!(
                "The ClientToken of this {operation} request was already used with different parameters."
            ))
        };
        // Only creates that carry a token wait for each other (the create takes the state's
        // write lock itself, so that lock cannot span the check and the remembering).
        let _one_at_a_time = input
            .get("ClientToken")
            .is_some()
            .then(|| self.token_creates.lock());
        let earlier =
            self.state
                .read()
                .tokens
                .replay(ctx, operation, input, "ClientToken", now, mismatch)?;
        if let Some(out) = earlier {
            return Ok(out);
        }
        let out = create()?;
        // Journaled, so a retry after a restart still answers the first create.
        self.state
            .write()
            .tokens
            .remember_durably(ctx, operation, input, "ClientToken", now, &out);
        Ok(out)
    }

    /// A plausible public IPv4 address for an ingest or egress endpoint.
    fn public_ip(&self) -> String {
        let b = self.runtime.ids.bytes(3);
        format!("54.{}.{}.{}", b[0] % 250 + 1, b[1], b[2] % 250 + 1)
    }
}

impl service::Service for MediaConnect {
    fn signing_name(&self) -> &'static str {
        "mediaconnect"
    }

    fn authz_spec(&self) -> AuthzSpec {
        authorization::SPEC
    }

    fn locate(&self, ctx: &RequestContext, query: &mut Locate<'_>) -> Result<(), ServiceError> {
        self.locate_parts(ctx, query);
        Ok(())
    }

    fn stored(&self, ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        self.stored_facts(ctx, arn)
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        rates::admit(&self.throttle, &self.runtime, ctx, operation)?;
        for role in requests::passed_roles(operation, &input) {
            self.check_role(ctx, &role)?;
        }
        Operations::dispatch(self, ctx, operation, &input)
    }

    fn handle_output(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<service::Output, ServiceError> {
        match operation {
            "DescribeFlow" => {
                rates::admit(&self.throttle, &self.runtime, ctx, operation)?;
                self.describe_flow_rendered(ctx, &input)
            }
            _ => self
                .handle(ctx, operation, input)
                .map(service::Output::from),
        }
    }

    fn restore(&self, record: &Record) -> Result<(), String> {
        self.restore_record(record)
    }

    fn records(&self) -> Vec<Record> {
        self.all_records()
    }

    fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        self.validate_import_records(account, records)
    }

    fn reset(&self) {
        *self.state.write() = State::default();
    }

    fn admin(
        &self,
        ctx: &RequestContext,
        method: &str,
        path: &str,
        body: Value,
    ) -> Option<Result<Value, ServiceError>> {
        match (method, path.trim_matches('/')) {
            ("POST", "gateway-instances") => {
                let gateway = body.get("GatewayArn").and_then(Value::as_str).unwrap_or("");
                Some(self.register_instance(ctx, gateway))
            }
            _ => None,
        }
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        let s = self.state.read();
        vec![
            ("flow", s.flows.len()),
            ("gateway", s.gateways.len()),
            ("gateway_instance", s.instances.len()),
            ("bridge", s.bridges.len()),
            ("reservation", s.reservations.len()),
            ("router", s.routers.len()),
            ("endpoint", s.endpoints.len()),
        ]
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod output_rules_tests;

#[cfg(test)]
mod encryption_and_stream_tests;
