//! Admin endpoints under `/_mediamock/ivs/`: the stand-in for an encoder.
//!
//! `POST streams` with `{"channelArn": ARN, "action": "start" | "end" | "health",
//! "health": "HEALTHY" | "STARVING" | "UNKNOWN"}` starts a stream (answering the `Stream`),
//! ends it (answering the `StreamSession`) or changes its reported health.

use crate::input::{opt_str, validation};
use crate::Ivs;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

impl Ivs {
    /// Routes one admin request; `None` for paths IVS does not serve.
    pub(crate) fn admin_request(
        &self,
        ctx: &RequestContext,
        method: &str,
        path: &str,
        body: Value,
    ) -> Option<Result<Value, ServiceError>> {
        let path = path.trim_matches('/');
        if path != "streams" {
            return None;
        }
        if method != "POST" {
            return Some(Err(validation("use POST on /_mediamock/ivs/streams")));
        }
        Some(self.admin_streams(ctx, &body))
    }

    fn admin_streams(&self, ctx: &RequestContext, body: &Value) -> Result<Value, ServiceError> {
        let channel_arn =
            opt_str(body, "channelArn").ok_or_else(|| validation("channelArn is required"))?;
        let health = opt_str(body, "health");
        match opt_str(body, "action") {
            Some("start") => Ok(json!({"stream": self.start_stream(ctx, channel_arn, health)?})),
            Some("end") => {
                let mut state = self.state.write();
                let session = self.end_stream(ctx, &mut state, channel_arn)?;
                Ok(json!({ "streamSession": session }))
            }
            Some("health") => {
                let health = health.ok_or_else(|| validation("health is required"))?;
                Ok(json!({"stream": self.set_stream_health(ctx, channel_arn, health)?}))
            }
            _ => Err(validation("action must be start, end or health")),
        }
    }
}
