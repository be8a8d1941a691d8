//! TagResource, UntagResource, ListTagsForResource on every taggable IVS resource.

use crate::input::{not_found, req_str, tags, TAG_RULES};
use crate::state::{Kind, Resource, State};
use crate::Ivs;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

impl Ivs {
    /// The stored resource an ARN in a tagging request names.
    pub(crate) fn tagged<'s>(
        state: &'s State,
        ctx: &RequestContext,
        arn: &str,
    ) -> Result<&'s Resource, ServiceError> {
        let kind = Kind::of_arn(arn).ok_or_else(|| not_found(arn))?;
        Self::find(state, ctx, kind, arn)
    }

    /// TagResource: merges tags; at most 50 in all.
    pub(crate) fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "resourceArn")?;
        let new = tags(input, "tags")?;
        let mut state = self.state.write();
        let mut r = Self::tagged(&state, ctx, arn)?.clone();
        TAG_RULES.merge(&mut r.tags, new)?;
        self.save(ctx, &mut state, arn, r);
        Ok(json!({}))
    }

    /// UntagResource: removing a key that is not there is not an error.
    pub(crate) fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "resourceArn")?;
        let keys: Vec<&str> = input
            .get("tagKeys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        // Bad keys are refused before the resource is looked up.
        for k in &keys {
            TAG_RULES.check_key(k)?;
        }
        let mut state = self.state.write();
        let mut r = Self::tagged(&state, ctx, arn)?.clone();
        TAG_RULES.remove(&mut r.tags, &keys)?;
        self.save(ctx, &mut state, arn, r);
        Ok(json!({}))
    }

    /// ListTagsForResource.
    pub(crate) fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "resourceArn")?;
        let state = self.state.read();
        let r = Self::tagged(&state, ctx, arn)?;
        Ok(json!({ "tags": r.tags }))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::{json, Map, Value};

    #[test]
    fn tag_untag_list_on_every_kind() {
        let ivs = ivs();
        let arns = [
            s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn"),
            s(
                &ok(&ivs, "CreatePlaybackRestrictionPolicy", json!({})),
                "/playbackRestrictionPolicy/arn",
            ),
            s(
                &ok(
                    &ivs,
                    "ImportPlaybackKeyPair",
                    json!({"publicKeyMaterial": P384_KEYS[0]}),
                ),
                "/keyPair/arn",
            ),
            s(
                &ok(&ivs, "CreateFailoverSlateConfiguration", json!({})),
                "/failoverSlateConfiguration/arn",
            ),
        ];
        for arn in &arns {
            ok(
                &ivs,
                "TagResource",
                json!({"resourceArn": arn, "tags": {"a": "1", "b": "2"}}),
            );
            ok(
                &ivs,
                "UntagResource",
                json!({"resourceArn": arn, "tagKeys": ["a", "zzz"]}),
            );
            let tags = ok(&ivs, "ListTagsForResource", json!({ "resourceArn": arn }));
            assert_eq!(tags["tags"], json!({"b": "2"}), "{arn}");
        }
        err(
            &ivs,
            "TagResource",
            json!({"resourceArn": arns[0], "tags": {"aws:x": "1"}}),
            "ValidationException",
        );
        let many: Map<String, Value> = (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
        err(
            &ivs,
            "TagResource",
            json!({"resourceArn": arns[0], "tags": many}),
            "ValidationException",
        );
        err(
            &ivs,
            "ListTagsForResource",
            json!({"resourceArn": "arn:aws:ivs:us-west-2:000000000000:channel/none"}),
            "ResourceNotFoundException",
        );
    }
}
