//! Helpers for the unit tests: a service on a deterministic runtime and root callers.

use crate::MediaConnect;
use serde_json::{json, Value};
use service::{EveryRole, Principal, RequestContext, Runtime, Service, ServiceError};
use std::sync::Arc;

/// The default caller's account.
pub const ACCOUNT: &str = "111122223333";
/// A second account.
pub const OTHER: &str = "444455556666";

/// A fresh service (instant transitions, every role exists).
pub fn mc() -> Arc<MediaConnect> {
    MediaConnect::new(Arc::new(Runtime::for_tests()), Arc::new(EveryRole))
}

/// A service on a runtime `configure` changed (quotas, throttling).
pub fn mc_with(configure: impl FnOnce(&mut Runtime)) -> Arc<MediaConnect> {
    let mut rt = Runtime::for_tests();
    configure(&mut rt);
    MediaConnect::new(Arc::new(rt), Arc::new(EveryRole))
}

/// A root caller of `account` in us-west-2.
pub fn ctx_of(account: &str) -> RequestContext {
    RequestContext::new("req", Arc::new(Principal::root(account, "k")), "us-west-2")
}

/// Runs `op` as `account`.
pub fn call_as(
    mc: &MediaConnect,
    account: &str,
    op: &str,
    input: Value,
) -> Result<Value, ServiceError> {
    mc.handle(&ctx_of(account), op, input)
}

/// Runs `op` as the default caller and expects success.
pub fn ok(mc: &MediaConnect, op: &str, input: Value) -> Value {
    call_as(mc, ACCOUNT, op, input).unwrap_or_else(|e| panic!("{op} failed: {e}"))
}

/// Runs `op` as the default caller and expects the error `code`; returns its message.
pub fn err(mc: &MediaConnect, op: &str, input: Value, code: &str) -> String {
    match call_as(mc, ACCOUNT, op, input) {
        Ok(v) => panic!("{op} succeeded with {v}, expected {code}"),
        Err(e) => {
            assert_eq!(e.code, code, "{op}: {e}");
            e.message
        }
    }
}

/// An RTP source named `name`.
pub fn rtp_source(name: &str) -> Value {
    rtp_source_on(name, 5000)
}

/// An RTP source named `name` listening on `port` (a flow's sources each take their own).
pub fn rtp_source_on(name: &str, port: i64) -> Value {
    json!({"Name": name, "Protocol": "rtp", "IngestPort": port, "WhitelistCidr": "10.0.0.0/16"})
}

/// Creates a flow with one RTP source; returns its ARN.
pub fn flow(mc: &MediaConnect, name: &str) -> String {
    let out = ok(
        mc,
        "CreateFlow",
        json!({"Name": name, "Source": rtp_source("src")}),
    );
    out["Flow"]["FlowArn"].as_str().unwrap().to_string()
}
