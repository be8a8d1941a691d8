//! The service's state: flows in a [`kit::Store`] (the flow's tags are the stored tags), an
//! index from every source, output and entitlement ARN to its flow, and the entitlements
//! granted to each subscriber account.

use crate::bridges::BridgeRecord;
use crate::endpoints::Endpoint;
use crate::gateways::{Gateway, GatewayInstance};
use crate::lifecycle::{DELETED, FLOW};
use crate::model::{Entitlement, Flow, Status};
use crate::offerings::Reservation;
use crate::routers::Router;
use kit::{Phase, Store, Stored, Tags};
use serde::{Deserialize, Serialize};
use service::{Clock, Journal, Record};
use std::collections::{BTreeMap, HashMap};

/// The journal table of flows.
pub const FLOW_TABLE: &str = "flow";

/// A flow with what its API view does not show: its lifecycle phase and its parts' tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRecord {
    /// The flow as its view shows it (its `Status` comes from `phase`).
    pub flow: Flow,
    /// Where the flow is in its lifecycle, since when.
    pub phase: Phase,
    /// Tags of its sources, outputs, entitlements, media streams and VPC interfaces, by ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub part_tags: BTreeMap<String, Tags>,
}

impl FlowRecord {
    /// A new flow in STANDBY.
    pub fn new(clock: &Clock, flow: Flow) -> Self {
        FlowRecord {
            flow,
            phase: FLOW.enter(clock, Status::Standby.as_str()),
            part_tags: BTreeMap::new(),
        }
    }

    /// The status now; `None` once a deletion has completed.
    pub fn status(&self, clock: &Clock) -> Option<Status> {
        Status::parse(&FLOW.state(clock, &self.phase))
    }

    /// Brings the phase up to date. Returns `false` when the flow is gone.
    pub fn settle(&mut self, clock: &Clock) -> bool {
        self.phase = FLOW.current(clock, &self.phase);
        self.phase.state != DELETED
    }

    /// The status as last settled.
    pub fn settled(&self) -> Status {
        Status::parse(&self.phase.state).unwrap_or(Status::Deleting)
    }

    /// Enters `status` now (its timed step, if any, follows on the clock).
    pub fn enter(&mut self, clock: &Clock, status: Status) {
        self.phase = FLOW.enter(clock, status.as_str());
    }

    /// The flow as the API shows it now.
    pub fn view(&self, clock: &Clock) -> Flow {
        self.view_in(self.status(clock).unwrap_or(Status::Deleting))
    }

    /// The flow as the API shows it in `status`.
    pub fn view_in(&self, status: Status) -> Flow {
        let mut f = self.flow.clone().with_primary_source();
        f.status = Some(status);
        f
    }

    /// Every source, output and entitlement ARN of the flow.
    fn part_arns(&self) -> impl Iterator<Item = &str> {
        let f = &self.flow;
        f.sources
            .iter()
            .map(|s| s.source_arn.as_str())
            .chain(f.outputs.iter().map(|o| o.output_arn.as_str()))
            .chain(f.entitlements.iter().map(|e| e.entitlement_arn.as_str()))
    }
}

/// The key of a grant in [`State::grants`].
pub fn grant_key(subscriber: &str, entitlement: &str) -> String {
    format!("{subscriber}\n{entitlement}")
}

/// All MediaConnect state of every account and region.
#[derive(Debug)]
pub struct State {
    /// Flows by ARN.
    pub flows: Store<FlowRecord>,
    /// Source, output and entitlement ARN → the flow it belongs to.
    pub parts: HashMap<String, String>,
    /// `"SUBSCRIBER_ACCOUNT\nENTITLEMENT_ARN"` → entitlement ARN, for every grant: one
    /// subscriber's grants are one ordered range.
    pub grants: BTreeMap<String, String>,
    /// Gateways by ARN.
    pub gateways: Store<Gateway>,
    /// Registered gateway instances by ARN.
    pub instances: Store<GatewayInstance>,
    /// Bridges by ARN.
    pub bridges: Store<BridgeRecord>,
    /// Reservations by ARN.
    pub reservations: Store<Reservation>,
    /// Router inputs, outputs and network interfaces by ARN.
    pub routers: Store<Router>,
    /// Source and destination endpoints by ARN.
    pub endpoints: Store<Endpoint>,
    /// Client tokens of the router and endpoint creates (journaled, as MediaPackage v2's).
    pub tokens: kit::Idempotency,
    /// Flows whose deletion has begun: removed (and the removal journaled) once it is done.
    pub deleting: Vec<String>,
    /// Gateway instances whose deregistration has begun: removed (and the removal journaled)
    /// once it is done.
    pub deregistering: Vec<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            flows: Store::new(FLOW_TABLE),
            parts: HashMap::new(),
            grants: BTreeMap::new(),
            gateways: Store::new("gateway"),
            instances: Store::new("gateway_instance"),
            bridges: Store::new("bridge"),
            reservations: Store::new("reservation"),
            routers: Store::new("router"),
            endpoints: Store::new("endpoint"),
            tokens: kit::Idempotency::default(),
            deleting: Vec::new(),
            deregistering: Vec::new(),
        }
    }
}

/// Takes from `pending` (resources on their way out) the ARNs `done` says are done; an ARN
/// whose resource is already gone (`done` answers `None`) is dropped without being returned.
fn take_done(pending: &mut Vec<String>, done: impl Fn(&str) -> Option<bool>) -> Vec<String> {
    let mut gone = Vec::new();
    pending.retain(|arn| match done(arn) {
        Some(true) => {
            gone.push(arn.clone());
            false
        }
        Some(false) => true,
        None => false,
    });
    gone
}

impl State {
    /// Stores (and journals) `stored`, replacing any flow of the same ARN, and indexes it.
    pub fn put_flow(&mut self, journal: &Journal, stored: Stored<FlowRecord>) {
        let arn = stored.value.flow.flow_arn.clone();
        self.unindex(&arn);
        self.index(&stored.value);
        self.flows.put(journal, &arn, stored);
    }

    /// Removes the flows whose deletion the clock has completed, journaling each removal.
    pub fn purge_deleted(&mut self, journal: &Journal, clock: &Clock) {
        let flows = &self.flows;
        let gone = take_done(&mut self.deleting, |arn| {
            flows.get(arn).map(|s| s.value.status(clock).is_none())
        });
        for arn in gone {
            self.remove_flow(journal, &arn);
        }
    }

    /// Removes the gateway instances whose deregistration the clock has completed, journaling
    /// each removal.
    pub fn purge_deregistered(&mut self, journal: &Journal, clock: &Clock) {
        let instances = &self.instances;
        let gone = take_done(&mut self.deregistering, |arn| {
            instances.get(arn).map(|s| !s.value.exists(clock))
        });
        for arn in gone {
            self.instances.remove(journal, &arn);
        }
    }

    /// Re-applies a journaled gateway instance record (one mid-deregistration is purged once
    /// the clock completes it, as before the restart).
    pub fn restore_instance(&mut self, record: &Record) -> Result<(), String> {
        self.instances.restore(record)?;
        let deregistering = self
            .instances
            .get(&record.key)
            .is_some_and(|s| s.value.deregistration.is_some());
        if deregistering && !self.deregistering.contains(&record.key) {
            self.deregistering.push(record.key.clone());
        }
        Ok(())
    }

    /// Removes (and journals the removal of) the flow `arn`.
    pub fn remove_flow(&mut self, journal: &Journal, arn: &str) {
        self.unindex(arn);
        self.flows.remove(journal, arn);
    }

    /// Re-applies a journaled flow record.
    pub fn restore_flow(&mut self, record: &Record) -> Result<(), String> {
        self.unindex(&record.key);
        self.flows.restore(record)?;
        if let Some(s) = self.flows.get(&record.key) {
            let value = s.value.clone();
            self.index(&value);
        }
        Ok(())
    }

    fn index(&mut self, record: &FlowRecord) {
        let arn = &record.flow.flow_arn;
        if record.phase.state == "DELETING" && !self.deleting.contains(arn) {
            self.deleting.push(arn.clone());
        }
        for part in record.part_arns() {
            self.parts.insert(part.to_string(), arn.clone());
        }
        for e in &record.flow.entitlements {
            for s in &e.subscribers {
                self.grants
                    .insert(grant_key(s, &e.entitlement_arn), e.entitlement_arn.clone());
            }
        }
    }

    fn unindex(&mut self, arn: &str) {
        let Some(old) = self.flows.get(arn) else {
            return;
        };
        for part in old.value.part_arns() {
            self.parts.remove(part);
        }
        for e in &old.value.flow.entitlements {
            for s in &e.subscribers {
                self.grants.remove(&grant_key(s, &e.entitlement_arn));
            }
        }
    }

    /// The flow that owns the source, output or entitlement `part`.
    pub fn flow_of_part(&self, part: &str) -> Option<&Stored<FlowRecord>> {
        self.flows.get(self.parts.get(part)?)
    }

    /// The entitlement `arn` as the flow that grants it holds it.
    pub fn entitlement(&self, arn: &str) -> Option<&Entitlement> {
        let flow = &self.flow_of_part(arn)?.value.flow;
        flow.entitlements.iter().find(|e| e.entitlement_arn == arn)
    }

    /// The entitlement `arn` if it grants `account` (lists it as a subscriber).
    pub fn granted_entitlement(&self, arn: &str, account: &str) -> Option<&Entitlement> {
        self.entitlement(arn)
            .filter(|e| e.subscribers.iter().any(|a| a == account))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Output;
    use service::Transitions;

    fn record(clock: &Clock) -> Stored<FlowRecord> {
        let mut f = Flow {
            flow_arn: "arn:aws:mediaconnect:us-west-2:111111111111:flow:1-a-b:F".into(),
            ..Flow::default()
        };
        f.outputs.push(Output {
            output_arn: "arn:o".into(),
            ..Output::default()
        });
        f.entitlements.push(Entitlement {
            entitlement_arn: "arn:e".into(),
            subscribers: vec!["222222222222".into()],
            ..Entitlement::default()
        });
        Stored::new(FlowRecord::new(clock, f), Tags::new())
    }

    #[test]
    fn indexes_follow_puts_removes_and_restores() {
        let clock = Clock::new(Transitions::Instant);
        let journal = Journal::default();
        let mut s = State::default();
        s.put_flow(&journal, record(&clock));
        assert!(s.flow_of_part("arn:o").is_some());
        assert!(s.grants.contains_key(&grant_key("222222222222", "arn:e")));
        let mut changed = record(&clock);
        changed.value.flow.outputs.clear();
        s.put_flow(&journal, changed);
        assert!(s.flow_of_part("arn:o").is_none());
        let mut replica = State::default();
        for (_, r) in journal.take() {
            replica.restore_flow(&r).unwrap();
        }
        assert!(replica.flow_of_part("arn:e").is_some() && replica.flow_of_part("arn:o").is_none());
        let arn = record(&clock).value.flow.flow_arn;
        s.remove_flow(&journal, &arn);
        assert!(s.grants.is_empty() && s.parts.is_empty() && s.flows.is_empty());
    }

    #[test]
    fn settles_on_the_clock() {
        let clock = Clock::new(Transitions::Instant);
        let mut r = record(&clock).value;
        r.enter(&clock, Status::Starting);
        assert_eq!(r.view(&clock).status, Some(Status::Active));
        assert!(r.settle(&clock));
        assert_eq!(r.settled(), Status::Active);
        r.enter(&clock, Status::Deleting);
        assert!(!r.settle(&clock));
    }
}
