//! Outbound identity federation's account setting: Enable/Disable/GetOutboundWebIdentityFederation*.
//! The tokens themselves are STS's (`GetWebIdentityToken`, see `crate::api::sts_web_identity`).

use super::account::settings;
use super::Call;
use crate::outbound::{new_issuer, OutboundFederation};
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;

/// `FeatureDisabled` (404): the feature is off (never enabled, or disabled since).
fn disabled() -> ServiceError {
    ServiceError::new(
        "FeatureDisabled",
        "Outbound web identity federation is disabled for this account.",
    )
    .with_status(404)
}

/// EnableOutboundWebIdentityFederation: turns token vending on and answers the issuer. An
/// account that had it before gets its issuer (and keys) back, so verifiers keep trusting it.
pub(crate) fn enable(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut x = settings(s, c.account);
    let fed = match x.outbound.take() {
        Some(f) if f.enabled => {
            return Err(ServiceError::new(
                "FeatureEnabled",
                "Outbound web identity federation is already enabled for this account.",
            )
            .with_status(409))
        }
        Some(f) => OutboundFederation { enabled: true, ..f },
        None => OutboundFederation {
            enabled: true,
            issuer: new_issuer(&c.iam.runtime.ids),
            keys: Vec::new(),
        },
    };
    let issuer = fed.issuer.clone();
    x.outbound = Some(fed);
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({ "IssuerIdentifier": issuer }))
}

/// DisableOutboundWebIdentityFederation: tokens already issued stay valid (AWS: "does not
/// affect tokens that were issued before"), so the keys stay published.
pub(crate) fn disable(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut x = settings(s, c.account);
    match x.outbound.as_mut() {
        Some(f) if f.enabled => f.enabled = false,
        _ => {
            return Err(ServiceError::new(
                "FeatureDisabled",
                "Outbound web identity federation is already disabled for this account.",
            )
            .with_status(404))
        }
    }
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

/// GetOutboundWebIdentityFederationInfo: the issuer while the feature is on; `FeatureDisabled`
/// otherwise (what the Terraform AWS provider's acceptance tests rely on after a disable).
pub(crate) fn info(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let fed = s
        .account(c.account)
        .and_then(|a| a.settings.outbound.as_ref())
        .filter(|f| f.enabled)
        .ok_or_else(disabled)?;
    Ok(json!({ "IssuerIdentifier": fed.issuer, "JwtVendingEnabled": true }))
}
