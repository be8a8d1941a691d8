//! The account's input policy (PutPolicy/GetPolicy/DeletePolicy): which input location types
//! (HTTP, HTTPS, Amazon S3) jobs in this account and Region may read. CreateJob reports it to
//! IAM as `mediaconvert:HttpInputsAllowed` and friends; a job reading a disallowed type fails.

use crate::model::{self, not_found, InputPolicy};
use crate::MediaConvert;
use kit::input::opt_str;
use kit::Stored;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

fn no_policy() -> ServiceError {
    not_found("No policy exists for this account in this Region")
}

fn view(p: &InputPolicy) -> Value {
    let v = |m: &Option<String>| m.clone().unwrap_or_else(|| "ALLOWED".to_string());
    json!({"HttpInputs": v(&p.http), "HttpsInputs": v(&p.https), "S3Inputs": v(&p.s3)})
}

impl MediaConvert {
    pub(crate) fn put_policy(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let given = input.get("Policy").cloned().unwrap_or(json!({}));
        let member = |m: &str| opt_str(&given, m).map(str::to_string);
        // A member left out is ALLOWED: PutPolicy replaces the whole policy.
        let p = InputPolicy {
            http: member("HttpInputs"),
            https: member("HttpsInputs"),
            s3: member("S3Inputs"),
        };
        let key = model::arn(ctx, "policy", "input");
        let out = json!({ "Policy": view(&p) });
        self.state
            .write()
            .policies
            .put(&ctx.journal, &key, Stored::new(p, Default::default()));
        Ok(out)
    }

    pub(crate) fn get_policy(
        &self,
        ctx: &RequestContext,
        _input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = model::arn(ctx, "policy", "input");
        let state = self.state.read();
        let p = state.policies.get_in(ctx, &key).ok_or_else(no_policy)?;
        Ok(json!({ "Policy": view(&p.value) }))
    }

    pub(crate) fn delete_policy(
        &self,
        ctx: &RequestContext,
        _input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = model::arn(ctx, "policy", "input");
        let mut state = self.state.write();
        state.policies.get_in(ctx, &key).ok_or_else(no_policy)?;
        state.policies.remove(&ctx.journal, &key);
        Ok(json!({}))
    }
}
