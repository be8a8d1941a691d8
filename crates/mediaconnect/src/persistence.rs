//! Durable records: one per flow (table `flow`, keyed by ARN), holding the flow with all its
//! parts, tags and lifecycle phase, so a restart restores it as AWS would show it; one per
//! gateway, gateway instance, bridge, reservation, router resource and endpoint in tables of those names.

use crate::store::{State, FLOW_TABLE};
use crate::MediaConnect;
use kit::Idempotency;
use serde_json::Value;
use service::Record;

/// A flow record with the sources' `EntitlementArn`s that another account's entitlement in the
/// flow's region grants to `account` left out: a subscriber's flow names its owner's
/// entitlement, as CreateFlow lets it (only there: an ARN of another account anywhere else in
/// the record is still refused). An entitlement that no longer exists (revoked, or its flow
/// deleted) is left out too: the API keeps such a flow and reports the revocation, and naming
/// it reaches no one's state; one that exists and grants others is another account's.
fn without_granted_sources(state: &State, account: &str, r: &Record) -> Record {
    let region = |a: &str| crate::arn::parse(a).map(|p| p.region.to_string());
    let flow_region = region(&r.key);
    let mut r = r.clone();
    let sources = r
        .value
        .as_mut()
        .and_then(|v| v.pointer_mut("/flow/Sources"))
        .and_then(Value::as_array_mut);
    for source in sources.into_iter().flatten() {
        let granted = source
            .get("EntitlementArn")
            .and_then(Value::as_str)
            .filter(|e| region(e).is_some() && region(e) == flow_region)
            .is_some_and(|e| {
                state.granted_entitlement(e, account).is_some() || state.entitlement(e).is_none()
            });
        if let (true, Some(m)) = (granted, source.as_object_mut()) {
            m.remove("EntitlementArn");
        }
    }
    r
}

impl MediaConnect {
    /// Re-applies one journaled record.
    pub(crate) fn restore_record(&self, record: &Record) -> Result<(), String> {
        match record.table.as_str() {
            FLOW_TABLE => self.state.write().restore_flow(record),
            "gateway" => self.state.write().gateways.restore(record),
            "gateway_instance" => self.state.write().restore_instance(record),
            "bridge" => self.state.write().bridges.restore(record),
            "reservation" => self.state.write().reservations.restore(record),
            "router" => self.state.write().routers.restore(record),
            "endpoint" => self.state.write().endpoints.restore(record),
            Idempotency::TABLE => self.state.write().tokens.restore(record),
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
                FLOW_TABLE => state.flows.check_import(
                    account,
                    svc,
                    &without_granted_sources(&state, account, r),
                ),
                "gateway" => state.gateways.check_import(account, svc, r),
                "gateway_instance" => state.instances.check_import(account, svc, r),
                "bridge" => state.bridges.check_import(account, svc, r),
                "reservation" => state.reservations.check_import(account, svc, r),
                "router" => state.routers.check_import(account, svc, r),
                "endpoint" => state.endpoints.check_import(account, svc, r),
                Idempotency::TABLE => Idempotency::check_import(account, r),
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
        // An instance mid-deregistration is kept, with its phase, so a restart shows it
        // DEREGISTERING until the clock completes it; one whose deregistration is done is not.
        let clock = &self.runtime.clock;
        let mut instances = state.instances.records();
        instances.retain(|r| {
            state
                .instances
                .get(&r.key)
                .is_some_and(|s| s.value.exists(clock))
        });
        out.extend(instances);
        out.extend(state.bridges.records());
        out.extend(state.reservations.records());
        out.extend(state.routers.records());
        out.extend(state.endpoints.records());
        out.extend(state.tokens.records(self.runtime.clock.now()));
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;

    /// Account `ACCOUNT` grants `OTHER` an entitlement; `OTHER` makes a flow from it. Returns
    /// the entitlement's ARN and `OTHER`'s export.
    fn subscriber_export(mc: &crate::MediaConnect) -> (String, Vec<service::Record>) {
        let origin = flow(mc, "Origin");
        let g = ok(
            mc,
            "GrantFlowEntitlements",
            json!({"FlowArn": origin, "Entitlements": [{"Name": "e", "Subscribers": [OTHER]}]}),
        );
        let e = g["Entitlements"][0]["EntitlementArn"]
            .as_str()
            .unwrap()
            .to_string();
        call_as(
            mc,
            OTHER,
            "CreateFlow",
            json!({"Name": "Sub", "Source": {"Name": "in", "EntitlementArn": e}}),
        )
        .unwrap();
        let mine: Vec<service::Record> = mc
            .records()
            .into_iter()
            .filter(|r| r.account == OTHER)
            .collect();
        assert_eq!(mine.len(), 1);
        (e, mine)
    }

    #[test]
    fn a_subscribers_flow_imports_only_into_a_granted_account() {
        let mc = mc();
        let (entitlement, records) = subscriber_export(&mc);
        mc.validate_import(OTHER, &records)
            .expect("granted: imports");
        // The same flow under a third account, which was not granted the entitlement.
        let third = "333333333333";
        let moved: Vec<service::Record> = records
            .iter()
            .map(|r| {
                let text = serde_json::to_string(r).unwrap().replace(OTHER, third);
                let text = text.replace(&entitlement.replace(OTHER, third), &entitlement);
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        let e = mc.validate_import(third, &moved).expect_err("not granted");
        assert!(e.contains(&entitlement), "{e}");
        // The same flow in another region than its entitlement's, which CreateFlow refuses.
        let elsewhere: Vec<service::Record> = records
            .iter()
            .map(|r| {
                let text = serde_json::to_string(r).unwrap();
                let text = text.replace(
                    &format!(":us-west-2:{OTHER}:"),
                    &format!(":eu-west-1:{OTHER}:"),
                );
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        let e = mc
            .validate_import(OTHER, &elsewhere)
            .expect_err("another region");
        assert!(e.contains(&entitlement), "{e}");
    }

    #[test]
    fn a_subscribers_flow_imports_after_its_entitlement_was_revoked() {
        let mc = mc();
        let (entitlement, records) = subscriber_export(&mc);
        let origin = ok(&mc, "ListFlows", json!({}))["Flows"][0]["FlowArn"]
            .as_str()
            .unwrap()
            .to_string();
        ok(
            &mc,
            "RevokeFlowEntitlement",
            json!({"FlowArn": origin, "EntitlementArn": entitlement}),
        );
        mc.validate_import(OTHER, &records)
            .expect("revoked: the flow is kept, as the API keeps it");
        // Still not in another region than the entitlement's.
        let elsewhere: Vec<service::Record> = records
            .iter()
            .map(|r| {
                let text = serde_json::to_string(r).unwrap().replace(
                    &format!(":us-west-2:{OTHER}:"),
                    &format!(":eu-west-1:{OTHER}:"),
                );
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        mc.validate_import(OTHER, &elsewhere)
            .expect_err("another region");
    }

    #[test]
    fn a_granted_entitlement_is_allowed_only_as_a_source() {
        let mc = mc();
        let (entitlement, mut records) = subscriber_export(&mc);
        // Claiming the owner's entitlement as the flow's own would take it over.
        let v = records[0].value.as_mut().unwrap();
        v["flow"]["Entitlements"] = json!([{"EntitlementArn": entitlement, "Name": "e",
            "Subscribers": [OTHER]}]);
        let e = mc
            .validate_import(OTHER, &records)
            .expect_err("not a source");
        assert!(e.contains(&entitlement), "{e}");
    }
}
