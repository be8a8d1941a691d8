//! Entitlements: a flow's content granted to other accounts, which can then use the
//! entitlement as their own flow's source. GrantFlowEntitlements, UpdateFlowEntitlement,
//! RevokeFlowEntitlement, and ListEntitlements (what has been granted *to* the caller).

use crate::arn::{self, Kind};
use crate::encryption::{self, Carrier};
use crate::error::{bad_request, not_found};
use crate::flows::{flow_arn, touch, ENTITLEMENT_PAGING};
use crate::model::{Encryption, Entitlement};
use crate::quotas;
use crate::requests::{parse, EntitlementRequest};
use crate::rules;
use crate::store::FlowRecord;
use crate::MediaConnect;
use kit::PageRequest;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

fn check_subscribers(subscribers: &[String]) -> Result<(), ServiceError> {
    if subscribers.is_empty() {
        return Err(bad_request("An entitlement needs at least one subscriber."));
    }
    subscribers.iter().try_for_each(|s| rules::account_id(s))
}

impl MediaConnect {
    /// Grants a new entitlement (with its tags) on `record`.
    pub(crate) fn add_entitlement(
        &self,
        record: &mut FlowRecord,
        req: EntitlementRequest,
    ) -> Result<(), ServiceError> {
        if record.flow.entitled() {
            return Err(bad_request(
                "You can't grant entitlements on a flow whose source is an entitlement.",
            ));
        }
        // "MediaConnect doesn't support entitlements on CDI flows." (the User Guide)
        if rules::cdi_flow(&record.flow) {
            return Err(bad_request(
                "MediaConnect doesn't support entitlements on CDI flows. You can grant entitlements only on transport stream flows.",
            ));
        }
        let name = rules::arn_name("Entitlement", req.name.as_deref())?.to_string();
        rules::unique(
            "Entitlement",
            &name,
            record.flow.entitlements.iter().map(|e| e.name.as_str()),
        )?;
        let subscribers = req.subscribers.clone().unwrap_or_default();
        check_subscribers(&subscribers)?;
        // Answered only when given: AWS's getting-started tutorial and CLI examples grant
        // entitlements without a fee and answer none.
        let fee = req.data_transfer_subscriber_fee_percent;
        if let Some(fee) = fee {
            rules::percent("DataTransferSubscriberFeePercent", fee)?;
        }
        encryption::check(Carrier::Entitlement, req.encryption.as_deref(), None)?;
        let entitlement = Entitlement {
            data_transfer_subscriber_fee_percent: fee,
            description: req.description,
            encryption: req.encryption.map(Encryption::answered),
            entitlement_arn: arn::part_arn(&record.flow.flow_arn, Kind::Entitlement, &name),
            entitlement_status: Some(req.entitlement_status.unwrap_or_else(|| "ENABLED".into())),
            name,
            subscribers,
        };
        let tags = crate::tags::given(req.entitlement_tags)?;
        if !tags.is_empty() {
            record
                .part_tags
                .insert(entitlement.entitlement_arn.clone(), tags);
        }
        record.flow.entitlements.push(entitlement);
        Ok(())
    }

    /// GrantFlowEntitlements.
    pub(crate) fn grant_flow_entitlements(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let reqs: Vec<EntitlementRequest> =
            parse(input.get("Entitlements").unwrap_or(&Value::Null))?;
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            quotas::ENTITLEMENTS_PER_FLOW
                .admit(&self.runtime, record.flow.entitlements.len(), reqs.len())
                .map_err(quotas::exceeded("GrantFlowEntitlements420Exception"))?;
            let before = record.flow.entitlements.len();
            for e in reqs {
                self.add_entitlement(record, e)?;
            }
            Ok(json!({
                "FlowArn": record.flow.flow_arn,
                "Entitlements": record.flow.entitlements[before..],
            }))
        })
    }

    /// UpdateFlowEntitlement: description, encryption, status and subscribers.
    pub(crate) fn update_flow_entitlement(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let req: EntitlementRequest = parse(input)?;
        let e_arn = input
            .get("EntitlementArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            let e = record
                .flow
                .entitlements
                .iter_mut()
                .find(|e| e.entitlement_arn == e_arn)
                .ok_or_else(|| not_found(format!("Entitlement not found: {e_arn}")))?;
            if let Some(s) = req.subscribers {
                check_subscribers(&s)?;
                e.subscribers = s;
            }
            if req.description.is_some() {
                e.description = req.description;
            }
            if let Some(u) = &req.encryption {
                let merged = e.encryption.get_or_insert_with(Default::default);
                merged.overlay(u);
                merged.key_type.get_or_insert_with(|| "static-key".into());
                // The merged settings must hold together, not just the update's members.
                encryption::check(Carrier::Entitlement, e.encryption.as_deref(), None)?;
            }
            if req.entitlement_status.is_some() {
                e.entitlement_status = req.entitlement_status;
            }
            let out = e.clone();
            touch(self, record);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "Entitlement": out }))
        })
    }

    /// RevokeFlowEntitlement.
    pub(crate) fn revoke_flow_entitlement(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let e_arn = input
            .get("EntitlementArn")
            .and_then(Value::as_str)
            .unwrap_or("");
        self.change_flow(ctx, flow_arn(input), |stored, _| {
            let record = &mut stored.value;
            let before = record.flow.entitlements.len();
            record
                .flow
                .entitlements
                .retain(|e| e.entitlement_arn != e_arn);
            if record.flow.entitlements.len() == before {
                return Err(not_found(format!("Entitlement not found: {e_arn}")));
            }
            record.part_tags.remove(e_arn);
            Ok(json!({ "FlowArn": record.flow.flow_arn, "EntitlementArn": e_arn }))
        })
    }

    /// ListEntitlements: the entitlements other accounts have granted to the caller, in the
    /// caller's region.
    pub(crate) fn list_entitlements(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = PageRequest::read(key, &ENTITLEMENT_PAGING, ctx, "ListEntitlements", input, "")?;
        let state = self.state.read();
        let prefix = format!("{}\n", ctx.account());
        let after = page.after.clone().unwrap_or_default();
        let start = if after > prefix {
            after
        } else {
            prefix.clone()
        };
        let keys = state
            .grants
            .range(start..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k);
        let (items, next) = page.page_keys(key, keys, |k| {
            k.split_once('\n')
                .and_then(|(_, e)| arn::parse(e))
                .is_some_and(|p| p.region == ctx.region)
        });
        let items = items.into_iter().filter_map(|k| state.grants.get(k));
        let list: Vec<Value> = items
            .into_iter()
            .filter_map(|e_arn| {
                let e = state.entitlement(e_arn)?;
                let mut listed = json!({
                    "EntitlementArn": e.entitlement_arn,
                    "EntitlementName": e.name,
                });
                // As AWS's list-entitlements example: no fee unless the grant set one.
                if let Some(fee) = e.data_transfer_subscriber_fee_percent {
                    listed["DataTransferSubscriberFeePercent"] = fee.into();
                }
                Some(listed)
            })
            .collect();
        let mut out = serde_json::Map::new();
        out.insert("Entitlements".into(), Value::from(list));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }
}
