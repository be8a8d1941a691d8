//! Helpers for the unit tests: a service on a deterministic runtime and a root caller.

use crate::Ivs;
use serde_json::Value;
use service::{Principal, RequestContext, Runtime, Service, ServiceError};
use std::sync::Arc;

/// Four distinct ECDSA P-384 public keys (test material, generated with openssl).
pub const P384_KEYS: [&str; 4] = [
    "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEV12GOVPGJtpjBs7UEEFS5FmGRa7Kykkt\n7aS6LMK1x38wCdAiREkVao7EmGNTW37WbEIyIiw+APuuLPmVrLIDZA6D3HLqxDuZ\nF8Xn6xyvJSNDDUDm+CERSMlnrjF7DnHR\n-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEnXCzPeM+w+zW3V/FZACGc26A5id4cIB4\npRfIYaIekUnMa6x6XB6uhVYtepZ4a0Tk5WdpM0XbA9tWcnfl8V7LfPjcgk0bsQSy\neH+Ao/Wxs7z8zeXSYok1cKkqrjx/QC8O\n-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEsHwnt5yCFAasYDtUYEpL9hQM8S30ikmH\nYD/3tAXDeM1li7arh+alzZVxw00SjkzytKi0ZsLJi5Z5ord8tmW2Pz71I1xG/fMn\n74F7TSGyqmq6sS9AJonC6Eb5f5DZ/M8W\n-----END PUBLIC KEY-----\n",
    "-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEksbVbw2Y9BDG6OJvG09/1V7LGdj7jOdQ\nb6aMAdx7Kg33hbi2qUR8EKIDjHA5QsZA/QPgwqhfjCEBlJDnye0HVhMCdQnixDZl\n6FxRpo9hmxcmLXkMzGZ/f4XEG0YQqmpq\n-----END PUBLIC KEY-----\n",
];

/// An ECDSA P-256 public key: the wrong curve for IVS.
pub const P256_KEY: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEN2v+Ve/skqK6TFmn/u4hYPy4ZUN/\nouAr1Kwea1Qvsg/jlnF861DWnawwlnC9GZJmI3EobR0C89ZK6AUFD1ecLg==\n-----END PUBLIC KEY-----\n";

/// A fresh service with the tests' deterministic runtime.
pub fn ivs() -> Arc<Ivs> {
    Ivs::new(Arc::new(Runtime::for_tests()))
}

/// A root caller of account 000000000000 in us-west-2.
pub fn ctx() -> RequestContext {
    RequestContext::new(
        "req",
        Arc::new(Principal::root("000000000000", "test")),
        "us-west-2",
    )
}

/// A root caller of another account.
pub fn other_ctx() -> RequestContext {
    RequestContext::new(
        "req",
        Arc::new(Principal::root("111111111111", "test")),
        "us-west-2",
    )
}

/// Runs `op` as the default caller.
pub fn call(ivs: &Ivs, op: &str, input: Value) -> Result<Value, ServiceError> {
    ivs.handle(&ctx(), op, input)
}

/// Runs `op` and expects success.
pub fn ok(ivs: &Ivs, op: &str, input: Value) -> Value {
    match call(ivs, op, input) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

/// Runs `op` and expects the error `code`; returns its message.
pub fn err(ivs: &Ivs, op: &str, input: Value, code: &str) -> String {
    match call(ivs, op, input) {
        Ok(v) => panic!("{op} succeeded with {v}, expected {code}"),
        Err(e) => {
            assert_eq!(e.code, code, "{op}: {e}");
            e.message
        }
    }
}

/// The string at a JSON pointer, or "".
pub fn s(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Posts `body` to the admin `streams` endpoint as `caller` (the stand-in encoder).
pub fn admin_as(ivs: &Ivs, caller: &RequestContext, body: Value) -> Result<Value, ServiceError> {
    match ivs.admin(caller, "POST", "streams", body) {
        Some(result) => result,
        None => panic!("IVS does not serve the admin streams path"),
    }
}

/// Posts `body` to the admin `streams` endpoint as the default caller.
pub fn admin(ivs: &Ivs, body: Value) -> Result<Value, ServiceError> {
    admin_as(ivs, &ctx(), body)
}

/// Asserts `delete_op` on `arn` is refused with ConflictException while a new channel
/// references it through `channel_member`, and succeeds once that channel is deleted.
pub fn assert_deletable_only_when_unused(
    ivs: &Ivs,
    channel_member: &str,
    arn: &str,
    delete_op: &str,
) {
    let mut input = serde_json::Map::new();
    input.insert(channel_member.to_string(), Value::from(arn));
    let ch = ok(ivs, "CreateChannel", Value::Object(input));
    err(
        ivs,
        delete_op,
        serde_json::json!({ "arn": arn }),
        "ConflictException",
    );
    ok(
        ivs,
        "DeleteChannel",
        serde_json::json!({"arn": s(&ch, "/channel/arn")}),
    );
    ok(ivs, delete_op, serde_json::json!({ "arn": arn }));
}
