//! Durable records: one per flow (table `flow`, keyed by ARN), holding the flow with all its
//! parts, tags and lifecycle phase, so a restart restores it as AWS would show it; one per
//! gateway, gateway instance, bridge, reservation, router resource and endpoint in tables of those names.

use crate::store::FLOW_TABLE;
use crate::MediaConnect;
use service::Record;

impl MediaConnect {
    /// Re-applies one journaled record.
    pub(crate) fn restore_record(&self, record: &Record) -> Result<(), String> {
        match record.table.as_str() {
            FLOW_TABLE => self.state.write().restore_flow(record),
            "gateway" => self.state.write().gateways.restore(record),
            "gateway_instance" => self.state.write().instances.restore(record),
            "bridge" => self.state.write().bridges.restore(record),
            "reservation" => self.state.write().reservations.restore(record),
            "router" => self.state.write().routers.restore(record),
            "endpoint" => self.state.write().endpoints.restore(record),
            other => Err(format!("mediaconnect has no table {other}")),
        }
    }

    /// Refuses an import unless every record is `account`'s (see `kit::Store::check_import`).
    pub(crate) fn validate_import_records(
        &self,
        account: &str,
        records: &[Record],
    ) -> Result<(), String> {
        let state = self.state.read();
        records.iter().try_for_each(|r| {
            let svc = "mediaconnect";
            match r.table.as_str() {
                FLOW_TABLE => state.flows.check_import(account, svc, r),
                "gateway" => state.gateways.check_import(account, svc, r),
                "gateway_instance" => state.instances.check_import(account, svc, r),
                "bridge" => state.bridges.check_import(account, svc, r),
                "reservation" => state.reservations.check_import(account, svc, r),
                "router" => state.routers.check_import(account, svc, r),
                "endpoint" => state.endpoints.check_import(account, svc, r),
                other => Err(format!("mediaconnect has no table {other}")),
            }
        })
    }

    /// The current state as records (flows whose deletion has completed are left out).
    pub(crate) fn all_records(&self) -> Vec<Record> {
        let state = self.state.read();
        let mut out = state.flows.records();
        out.retain(|r| {
            state.flows.get(&r.key).is_some_and(|s| {
                s.value.phase.state != "DELETING"
                    && s.value.phase.state != crate::lifecycle::DELETED
            })
        });
        out.extend(state.gateways.records());
        out.extend(state.instances.records());
        out.extend(state.bridges.records());
        out.extend(state.reservations.records());
        out.extend(state.routers.records());
        out.extend(state.endpoints.records());
        out
    }
}
