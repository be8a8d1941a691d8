//! What the IAM and STS handler tests share: a fresh store, callers, and the sessions STS issues.

use crate::{Iam, Mode};
use serde_json::{json, Value};
use service::{Principal, RequestContext, Runtime, ServiceError};
use std::sync::Arc;

/// The account every test works in.
pub(crate) const ACCOUNT: &str = "000000000000";

/// A fresh, enforcing store.
pub(crate) fn iam() -> Arc<Iam> {
    Iam::new(Arc::new(Runtime::for_tests()), Mode::Enforce)
}

/// The account's root user.
pub(crate) fn root_ctx() -> RequestContext {
    RequestContext::new(
        "req",
        Arc::new(Principal::root(ACCOUNT, "test")),
        "us-east-1",
    )
}

/// An IAM call.
pub(crate) fn call(
    iam: &Arc<Iam>,
    ctx: &RequestContext,
    op: &str,
    input: Value,
) -> Result<Value, ServiceError> {
    iam.iam_service().handle(ctx, op, input)
}

/// An STS call.
pub(crate) fn sts(
    iam: &Arc<Iam>,
    ctx: &RequestContext,
    op: &str,
    input: Value,
) -> Result<Value, ServiceError> {
    // As the pipeline runs it: the service names the accesses, the stage decides, the handler runs.
    let service = iam.sts_service();
    let accesses = accesses(&service, ctx, op, &input)?;
    iam.authorize(ctx, &accesses)
        .map_err(|d| ServiceError::new("AccessDenied", d.message).with_status(403))?;
    service.handle(ctx, op, input)
}

/// Creates a user with a key and returns a context signed by that key.
pub(crate) fn user_ctx(iam: &Arc<Iam>, name: &str) -> RequestContext {
    let root = root_ctx();
    call(iam, &root, "CreateUser", json!({"UserName": name})).unwrap();
    let k = call(iam, &root, "CreateAccessKey", json!({"UserName": name})).unwrap();
    let id = k["AccessKey"]["AccessKeyId"].as_str().unwrap();
    let found = iam.lookup_key(id).unwrap();
    RequestContext::new("req", found.principal, "us-east-1")
}

/// A user with AdministratorAccess (root may not assume roles) and a context signed by its key.
pub(crate) fn admin_ctx(iam: &Arc<Iam>, name: &str) -> RequestContext {
    let ctx = user_ctx(iam, name);
    call(
        iam,
        &root_ctx(),
        "AttachUserPolicy",
        json!({"UserName": name, "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    )
    .unwrap();
    ctx
}

/// A request context signed with the `Credentials` an STS answer issued.
pub(crate) fn session_ctx(iam: &Iam, out: &Value) -> RequestContext {
    let key = out["Credentials"]["AccessKeyId"].as_str().unwrap();
    RequestContext::new("r", iam.lookup_key(key).unwrap().principal, "us-east-1")
}

/// Whether the session an STS answer issued was authenticated with MFA.
pub(crate) fn mfa_present(iam: &Iam, out: &Value) -> bool {
    session_ctx(iam, out)
        .principal
        .session
        .as_ref()
        .unwrap()
        .mfa_present
}

/// `code` and `message` of an error, to compare both at once.
pub(crate) fn code_message(e: &ServiceError) -> (&str, &str) {
    (e.code.as_str(), e.message.as_str())
}

/// What the pipeline's authorization engine requires for `op` (none when AWS requires no
/// permission).
pub(crate) fn accesses(
    svc: &Arc<dyn service::Service>,
    ctx: &RequestContext,
    op: &str,
    input: &Value,
) -> Result<Vec<service::Access>, ServiceError> {
    Ok(match authz::authorize(svc.as_ref(), ctx, op, input)? {
        authz::Authorization::Required(a) | authz::Authorization::Each(a) => a,
        authz::Authorization::NoPermission => Vec::new(),
    })
}
