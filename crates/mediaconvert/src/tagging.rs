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

/// Changes the tags of `arn` in one store, journaling the change.
fn change<R: Clone + Serialize + DeserializeOwned>(
    store: &mut Store<R>,
    ctx: &RequestContext,
    arn: &str,
    f: impl FnOnce(&mut Tags) -> Result<(), ServiceError>,
) -> Option<Result<(), ServiceError>> {
    store.update(ctx, arn, |s| f(&mut s.tags))
}

/// The tags of the caller's resource `arn` in one store, as the API's map.
fn tags_in<R: Clone + Serialize + DeserializeOwned>(
    store: &Store<R>,
    ctx: &RequestContext,
    arn: &str,
) -> Option<Value> {
    store.get_in(ctx, arn).map(|s| kit::tags_to_map(&s.tags))
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

    /// Applies `f` to the tags of the caller's resource `arn`, journaling the change.
    fn with_tags(
        &self,
        ctx: &RequestContext,
        arn: &str,
        f: impl FnOnce(&mut Tags) -> Result<(), ServiceError>,
    ) -> Result<(), ServiceError> {
        let found = match model::kind_of(arn).unwrap_or_default() {
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
        self.with_tags(ctx, arn, |tags| TAGS.merge(tags, new))?;
        Ok(json!({}))
    }

    pub(crate) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let keys = strings(input, "TagKeys");
        self.with_tags(ctx, arn, |tags| TAGS.remove(tags, &keys))?;
        Ok(json!({}))
    }

    pub(crate) fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "Arn")?;
        let tags = match model::kind_of(arn).unwrap_or_default() {
            "jobs" => tags_in(&self.jobs.read().store, ctx, arn),
            "queues" => tags_in(&self.tagging_state(ctx, arn).queues, ctx, arn),
            "presets" => tags_in(&self.state.read().presets, ctx, arn),
            "jobTemplates" => tags_in(&self.state.read().templates, ctx, arn),
            _ => None,
        };
        let tags = tags.ok_or_else(|| resource_not_found(arn))?;
        Ok(json!({"ResourceTags": {"Arn": arn, "Tags": tags}}))
    }
}
