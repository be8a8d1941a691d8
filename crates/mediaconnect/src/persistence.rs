//! Durable records: one per flow (table `flow`, keyed by ARN), holding the flow with all its
//! parts, tags and the transition under way, so a restart restores it as AWS would show it.

use crate::store::FlowRecord;
use crate::MediaConnect;
use service::Record;

/// The table flows are journaled in.
pub const FLOW_TABLE: &str = "flow";

impl MediaConnect {
    /// Re-applies one journaled record.
    pub(crate) fn restore_record(&self, record: &Record) -> Result<(), String> {
        match record.table.as_str() {
            FLOW_TABLE => {
                let mut state = self.state.write();
                match &record.value {
                    Some(v) => {
                        let flow: FlowRecord = serde_json::from_value(v.clone())
                            .map_err(|e| format!("flow {}: {e}", record.key))?;
                        state.put_flow(flow);
                    }
                    None => {
                        state.remove_flow(&record.key);
                    }
                }
                Ok(())
            }
            other => Err(format!("mediaconnect has no table {other}")),
        }
    }

    /// The current state as records (deleted and deleting flows left out).
    pub(crate) fn all_records(&self) -> Vec<Record> {
        let clock = &self.runtime.clock;
        let state = self.state.read();
        state
            .flows
            .iter()
            .filter(|(_, r)| r.transition.is_none_or(|t| t.to.is_some()))
            .filter(|(_, r)| r.status(clock).is_some())
            .filter_map(|(arn, r)| {
                let account = crate::arn::parse(arn)?.account.to_string();
                Some(Record {
                    account,
                    table: FLOW_TABLE.to_string(),
                    key: arn.clone(),
                    value: Some(serde_json::to_value(r).ok()?),
                })
            })
            .collect()
    }
}
