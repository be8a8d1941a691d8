//! DescribeEndpoints (older SDK code still asks for the account's endpoint: it is this
//! server) and ListVersions (the job engine versions jobs may pin).

use crate::job_run::timestamp_unix;
use crate::paging::{self, Order};
use crate::MediaConvert;
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};

/// Job engine versions, newest first, with when they expire (epoch seconds).
pub const ENGINE_VERSIONS: &[(&str, f64)] = &[
    ("2025-06-01", 1_830_297_600.0),
    ("2024-08-01", 1_798_761_600.0),
];

impl MediaConvert {
    pub(crate) fn describe_endpoints(
        &self,
        ctx: &RequestContext,
        _input: &Value,
    ) -> Result<Value, ServiceError> {
        // The account-specific endpoint is whatever reached this server: requests are routed
        // by their signing name, so any host form (account-specific or not) works.
        let url = match &ctx.host {
            Some(host) => {
                let scheme = if ctx.secure_transport {
                    "https"
                } else {
                    "http"
                };
                format!("{scheme}://{host}")
            }
            None => format!("https://mediaconvert.{}.amazonaws.com", ctx.region),
        };
        Ok(json!({ "Endpoints": [{ "Url": url }] }))
    }

    pub(crate) fn list_versions(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = paging::request(key, ctx, "ListVersions", input, "")?;
        let items = ENGINE_VERSIONS
            .iter()
            .map(|(v, exp)| {
                (
                    v.to_string(),
                    json!({"Version": v, "ExpirationDate": timestamp_unix(*exp)}),
                )
            })
            .collect();
        let (versions, next) = paging::cut(key, &page, items, Order { descending: true });
        let mut out = Map::new();
        out.insert("Versions".into(), Value::from(versions));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }
}
