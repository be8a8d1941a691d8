//! The service's state: flows by ARN (ordered, so an account's flows are one range), an index
//! from every source, output and entitlement ARN to its flow, and the entitlements granted to
//! each subscriber account.

use crate::lifecycle::{self, Transition};
use crate::model::{Flow, Status};
use crate::requests::Tags;
use serde::{Deserialize, Serialize};
use service::Clock;
use std::collections::{BTreeMap, HashMap};

/// The key of a grant in [`State::grants`].
pub fn grant_key(subscriber: &str, entitlement: &str) -> String {
    format!("{subscriber}\n{entitlement}")
}

/// A flow with what its API view does not show: tags and the transition under way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlowRecord {
    /// The flow as its view shows it (status as last settled).
    pub flow: Flow,
    /// The status change under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<Transition>,
    /// Tags of the flow.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: Tags,
    /// Tags of its sources, outputs, entitlements, media streams and VPC interfaces, by ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub part_tags: BTreeMap<String, Tags>,
}

impl FlowRecord {
    /// The status now; `None` once a deletion has completed.
    pub fn status(&self, clock: &Clock) -> Option<Status> {
        let stored = self.flow.status.unwrap_or(Status::Standby);
        lifecycle::current(clock, stored, self.transition.as_ref())
    }

    /// Applies a completed transition to the stored status. Returns `false` when the flow is
    /// gone (its deletion completed).
    pub fn settle(&mut self, clock: &Clock) -> bool {
        match self.status(clock) {
            Some(s) => {
                if self.transition.is_some_and(|t| t.done(clock)) {
                    self.transition = None;
                }
                self.flow.status = Some(s);
                true
            }
            None => false,
        }
    }

    /// The flow as the API shows it now.
    pub fn view(&self, clock: &Clock) -> Flow {
        let mut f = self.flow.clone();
        f.status = self.status(clock).or(Some(Status::Deleting));
        f
    }

    /// Begins a transition: the flow shows `now` until it ends in `to`.
    pub fn begin(&mut self, clock: &Clock, now: Status, to: Option<Status>, takes: std::time::Duration) {
        self.flow.status = Some(now);
        self.transition = Some(Transition::begin(clock, to, takes));
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

/// All MediaConnect state of every account and region.
#[derive(Debug, Default)]
pub struct State {
    /// Flows by ARN.
    pub flows: BTreeMap<String, FlowRecord>,
    /// Source, output and entitlement ARN → the flow it belongs to.
    pub parts: HashMap<String, String>,
    /// `"SUBSCRIBER_ACCOUNT\nENTITLEMENT_ARN"` → entitlement ARN, for every grant: one
    /// subscriber's grants are one ordered range.
    pub grants: BTreeMap<String, String>,
}

impl State {
    /// Stores `record`, replacing any flow of the same ARN, and indexes its parts.
    pub fn put_flow(&mut self, record: FlowRecord) {
        let arn = record.flow.flow_arn.clone();
        self.unindex(&arn);
        for part in record.part_arns() {
            self.parts.insert(part.to_string(), arn.clone());
        }
        for e in &record.flow.entitlements {
            for s in &e.subscribers {
                self.grants
                    .insert(grant_key(s, &e.entitlement_arn), e.entitlement_arn.clone());
            }
        }
        self.flows.insert(arn, record);
    }

    /// Removes the flow `arn` and its index entries.
    pub fn remove_flow(&mut self, arn: &str) -> Option<FlowRecord> {
        self.unindex(arn);
        self.flows.remove(arn)
    }

    fn unindex(&mut self, arn: &str) {
        let Some(old) = self.flows.get(arn) else {
            return;
        };
        for part in old.part_arns() {
            self.parts.remove(part);
        }
        for e in &old.flow.entitlements {
            for s in &e.subscribers {
                self.grants.remove(&grant_key(s, &e.entitlement_arn));
            }
        }
    }

    /// The flow that owns the source, output or entitlement `part`.
    pub fn flow_of_part(&self, part: &str) -> Option<&FlowRecord> {
        self.flows.get(self.parts.get(part)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entitlement, Output};
    use service::Transitions;

    fn record() -> FlowRecord {
        let mut r = FlowRecord::default();
        r.flow.flow_arn = "arn:aws:mediaconnect:us-west-2:111111111111:flow:1-a-b:F".into();
        r.flow.outputs.push(Output {
            output_arn: "arn:o".into(),
            ..Output::default()
        });
        r.flow.entitlements.push(Entitlement {
            entitlement_arn: "arn:e".into(),
            subscribers: vec!["222222222222".into()],
            ..Entitlement::default()
        });
        r
    }

    #[test]
    fn indexes_follow_puts_and_removes() {
        let mut s = State::default();
        s.put_flow(record());
        assert!(s.flow_of_part("arn:o").is_some());
        assert!(s.grants.contains_key(&grant_key("222222222222", "arn:e")));
        let mut changed = record();
        changed.flow.outputs.clear();
        s.put_flow(changed);
        assert!(s.flow_of_part("arn:o").is_none());
        s.remove_flow(&record().flow.flow_arn);
        assert!(s.grants.is_empty() && s.parts.is_empty() && s.flows.is_empty());
    }

    #[test]
    fn settles_completed_transitions() {
        let clock = Clock::new(Transitions::Instant);
        let mut r = record();
        r.begin(&clock, Status::Starting, Some(Status::Active), lifecycle::START);
        assert_eq!(r.view(&clock).status, Some(Status::Active));
        assert!(r.settle(&clock));
        assert_eq!(r.flow.status, Some(Status::Active));
        assert!(r.transition.is_none());
        r.begin(&clock, Status::Deleting, None, lifecycle::DELETE);
        assert!(!r.settle(&clock));
    }
}
