//! TagResource, UntagResource, ListTagsForResource on any v2 resource ARN.

use super::arns::Kind;
use super::errors::invalid;
use super::groups::TAGS;
use super::MediaPackageV2;
use kit::input::{req_str, strings};
use kit::Tags;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

fn unknown_arn(arn: &str) -> ServiceError {
    invalid(
        "INVALID_ARN",
        format!("The resource ARN {arn} is not a MediaPackage v2 resource of your account"),
    )
}

impl MediaPackageV2 {
    /// Applies `change` to the tags of the caller's resource `arn`, journaled.
    fn with_tags<T>(
        &self,
        ctx: &RequestContext,
        arn: &str,
        change: impl FnOnce(&mut Tags) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let kind = Kind::of_arn(arn).ok_or_else(|| unknown_arn(arn))?;
        let mut state = self.state.write();
        let done = match kind {
            Kind::Group => state.groups.update(ctx, arn, |s| change(&mut s.tags)),
            Kind::Channel => state.channels.update(ctx, arn, |s| change(&mut s.tags)),
            Kind::Endpoint => state.endpoints.update(ctx, arn, |s| change(&mut s.tags)),
            // A job whose record has expired is gone (harvest::expired).
            Kind::Job
                if state
                    .jobs
                    .get_in(ctx, arn)
                    .is_some_and(|j| super::harvest::expired(&self.runtime.clock, &j.value)) =>
            {
                None
            }
            Kind::Job => state.jobs.update(ctx, arn, |s| change(&mut s.tags)),
        };
        done.unwrap_or_else(|| Err(super::errors::not_found(kind)))
    }

    pub(super) fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let new = TAGS.read(input, "Tags")?;
        self.with_tags(ctx, arn, |tags| TAGS.merge(tags, new))?;
        Ok(json!({}))
    }

    pub(super) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let keys = strings(input, "TagKeys");
        self.with_tags(ctx, arn, |tags| TAGS.remove(tags, &keys))?;
        Ok(json!({}))
    }

    pub(super) fn list_tags(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let kind = Kind::of_arn(arn).ok_or_else(|| unknown_arn(arn))?;
        let state = self.state.read();
        let tags = match kind {
            Kind::Group => state
                .groups
                .get_in(ctx, arn)
                .map(|s| kit::tags_to_map(&s.tags)),
            Kind::Channel => state
                .channels
                .get_in(ctx, arn)
                .map(|s| kit::tags_to_map(&s.tags)),
            Kind::Endpoint => state
                .endpoints
                .get_in(ctx, arn)
                .map(|s| kit::tags_to_map(&s.tags)),
            Kind::Job => state
                .jobs
                .get_in(ctx, arn)
                .filter(|j| !super::harvest::expired(&self.runtime.clock, &j.value))
                .map(|s| kit::tags_to_map(&s.tags)),
        };
        let tags = tags.ok_or_else(|| super::errors::not_found(kind))?;
        Ok(json!({ "Tags": tags }))
    }
}
