//! Tags on queues, presets, job templates and jobs, addressed by ARN.

use crate::model::{self, not_found, DEFAULT_QUEUE};
use crate::queues::TAGS;
use crate::{MediaConvert, State};
use kit::input::{req_str, strings};
use kit::{Store, Tags};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

fn resource_not_found(arn: &str) -> ServiceError {
    not_found(format!("The resource {arn} does not exist"))
}

/// Changes (or reads) the tags of `arn` in one store, journaling a change.
fn change<R: Clone + Serialize + DeserializeOwned>(
    store: &mut Store<R>,
    ctx: &RequestContext,
    arn: &str,
    f: impl FnOnce(&mut Tags) -> Result<Tags, ServiceError>,
) -> Option<Result<Tags, ServiceError>> {
    store.update(ctx, arn, |s| f(&mut s.tags))
}

/// The resource type an ARN names (`queues`, `presets`, `jobTemplates`, `jobs`).
fn kind(arn: &str) -> &str {
    arn.split(':')
        .nth(5)
        .and_then(|r| r.split('/').next())
        .unwrap_or_default()
}

impl MediaConvert {
    /// The state, with the caller's Default queue in it if `arn` names that queue.
    fn tagging_state(
        &self,
        ctx: &RequestContext,
        arn: &str,
    ) -> parking_lot::RwLockWriteGuard<'_, State> {
        let mut state = self.state.write();
        if arn == model::arn(ctx, "queues", DEFAULT_QUEUE) {
            state.ensure_default_queue(ctx, self.runtime.clock.now());
        }
        state
    }

    /// Applies `f` to the tags of the caller's resource `arn`; returns the tags after.
    fn with_tags(
        &self,
        ctx: &RequestContext,
        arn: &str,
        f: impl FnOnce(&mut Tags) -> Result<Tags, ServiceError>,
    ) -> Result<Tags, ServiceError> {
        let found = match kind(arn) {
            "jobs" => change(&mut self.jobs.write().store, ctx, arn, f),
            "queues" => change(&mut self.tagging_state(ctx, arn).queues, ctx, arn, f),
            "presets" => change(&mut self.state.write().presets, ctx, arn, f),
            "jobTemplates" => change(&mut self.state.write().templates, ctx, arn, f),
            _ => None,
        };
        found.ok_or_else(|| resource_not_found(arn))?
    }

    pub(crate) fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let new = TAGS.read(input, "Tags")?;
        self.with_tags(ctx, arn, |tags| {
            TAGS.merge(tags, new)?;
            Ok(tags.clone())
        })?;
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let keys = strings(input, "TagKeys");
        self.with_tags(ctx, arn, |tags| {
            TAGS.remove(tags, &keys)?;
            Ok(tags.clone())
        })?;
        Ok(json!({}))
    }

    pub(crate) fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let tags = match kind(arn) {
            "jobs" => {
                let jobs = self.jobs.read();
                jobs.store
                    .get_in(ctx, arn)
                    .map(|s| kit::tags_to_map(&s.tags))
            }
            other => {
                let state = self.tagging_state(ctx, arn);
                match other {
                    "queues" => state
                        .queues
                        .get_in(ctx, arn)
                        .map(|s| kit::tags_to_map(&s.tags)),
                    "presets" => state
                        .presets
                        .get_in(ctx, arn)
                        .map(|s| kit::tags_to_map(&s.tags)),
                    "jobTemplates" => state
                        .templates
                        .get_in(ctx, arn)
                        .map(|s| kit::tags_to_map(&s.tags)),
                    _ => None,
                }
            }
        };
        let tags = tags.ok_or_else(|| resource_not_found(arn))?;
        Ok(json!({"ResourceTags": {"Arn": arn, "Tags": tags}}))
    }
}
