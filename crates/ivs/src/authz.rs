//! What the authorization engine needs from IVS beyond AWS's data: which input members name
//! resources, a channel's stream keys (DeleteChannel acts on them too), which operation is
//! decided per item, and stored tags.

use crate::state::Kind;
use crate::Ivs;
use service::{AuthzSpec, Locate, RequestContext, ServiceError, StoredFacts};

/// IVS inputs name resources by full ARN; `channelArn` is always a channel (in
/// CreateStreamKey it is the parent, not the created key).
pub(crate) const SPEC: AuthzSpec = AuthzSpec {
    principal: "ivs.amazonaws.com",
    arn_members: &[
        ("arn", "*"),
        ("arns[]", "*"),
        ("resourceArn", "*"),
        ("channelArn", "Channel"),
        ("viewerSessions[].channelArn", "Channel"),
    ],
    id_members: &[],
    role_members: &[],
    tag_members: &["tags"],
    tag_key_members: &["tagKeys"],
};

impl Ivs {
    /// DeleteChannel also deletes the channel's stream keys: it needs them allowed too. Its
    /// `arn` is the channel whatever it looks like (the action has both types).
    pub(crate) fn locate_resources(
        &self,
        ctx: &RequestContext,
        q: &mut Locate<'_>,
    ) -> Result<(), ServiceError> {
        if q.operation == "BatchStartViewerSessionRevocation" {
            // AWS answers 200 with a `"code": "403"` error for each session on a channel the
            // caller may not revoke (the AWS CLI's documented example).
            q.decide_each();
        }
        if q.operation == "DeleteChannel" {
            let Some(arn) = q.input.get("arn").and_then(|v| v.as_str()) else {
                return Ok(());
            };
            let keys = if arn.starts_with(&Self::prefix(ctx, Kind::Channel)) {
                let state = self.state.read();
                state
                    .keys_by_channel
                    .get(arn)
                    .into_iter()
                    .flatten()
                    .map(|k| k.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            q.set("Channel", vec![arn.to_string()]);
            q.set("Stream-Key", keys);
        }
        Ok(())
    }

    /// The tags of a stored resource.
    pub(crate) fn stored_facts(&self, arn: &str) -> Option<StoredFacts> {
        let state = self.state.read();
        let r = state.get(arn)?;
        Some(StoredFacts {
            tags: r.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            policy: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::{json, Value};
    use service::{Access, ContextValue, RequestContext, Service, ServiceError};

    /// The engine's accesses for `op`, as the pipeline computes them.
    trait Engine {
        fn engine(
            &self,
            c: &RequestContext,
            op: &str,
            input: &Value,
        ) -> Result<Vec<Access>, ServiceError>;
    }

    impl Engine for crate::Ivs {
        fn engine(
            &self,
            c: &RequestContext,
            op: &str,
            input: &Value,
        ) -> Result<Vec<Access>, ServiceError> {
            match ::authz::authorize(self, c, op, input)? {
                ::authz::Authorization::Required(a) | ::authz::Authorization::Each(a) => Ok(a),
                other => panic!("{op}: {other:?}"),
            }
        }
    }

    #[test]
    fn viewer_session_revocations_are_decided_per_channel() {
        let ivs = ivs();
        let (a, b) = (
            "arn:aws:ivs:us-west-2:000000000000:channel/a",
            "arn:aws:ivs:us-west-2:000000000000:channel/b",
        );
        let input = json!({"viewerSessions": [
            {"channelArn": a, "viewerId": "v1"},
            {"channelArn": b, "viewerId": "v2"},
            {"channelArn": a, "viewerId": "v3"}
        ]});
        let each = match ::authz::authorize(
            ivs.as_ref(),
            &ctx(),
            "BatchStartViewerSessionRevocation",
            &input,
        ) {
            Ok(::authz::Authorization::Each(each)) => each,
            other => panic!("{other:?}"),
        };
        let got: Vec<(&str, &str)> = each
            .iter()
            .map(|x| (x.action.as_str(), x.resource.as_str()))
            .collect();
        let action = "ivs:BatchStartViewerSessionRevocation";
        assert_eq!(got, [(action, a), (action, b)]);
        assert!(matches!(
            ::authz::authorize(
                ivs.as_ref(),
                &ctx(),
                "StartViewerSessionRevocation",
                &json!({"channelArn": a, "viewerId": "v1"})
            ),
            Ok(::authz::Authorization::Required(_))
        ));
    }

    #[test]
    fn create_channel_is_authorized_on_channel_and_stream_key_patterns_with_request_tags() {
        let ivs = ivs();
        let a = ivs
            .engine(&ctx(), "CreateChannel", &json!({"tags": {"env": "prod"}}))
            .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].action, "ivs:CreateChannel");
        assert_eq!(
            a[0].resource,
            "arn:aws:ivs:us-west-2:000000000000:channel/*"
        );
        assert_eq!(
            a[1].resource,
            "arn:aws:ivs:us-west-2:000000000000:stream-key/*"
        );
        assert!(a[0].context.contains(&(
            "aws:RequestTag/env".into(),
            ContextValue::String("prod".into())
        )));
        assert!(a[0].context.contains(&(
            "aws:TagKeys".into(),
            ContextValue::Strings(vec!["env".into()])
        )));
        let untagged = ivs.engine(&ctx(), "CreateChannel", &json!({})).unwrap();
        assert!(untagged[0].context.is_empty());
    }

    #[test]
    fn existing_resources_carry_their_tags() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({"tags": {"owner": "me"}}));
        let arn = s(&out, "/channel/arn");
        let key = s(&out, "/streamKey/arn");
        let a = ivs
            .engine(&ctx(), "GetChannel", &json!({ "arn": arn }))
            .unwrap();
        assert_eq!(a[0].resource, arn);
        assert!(a[0].context.contains(&(
            "aws:ResourceTag/owner".into(),
            ContextValue::String("me".into())
        )));
        let d = ivs
            .engine(&ctx(), "DeleteChannel", &json!({ "arn": arn }))
            .unwrap();
        let resources: Vec<&str> = d.iter().map(|x| x.resource.as_str()).collect();
        assert_eq!(resources, [arn.as_str(), key.as_str()]);
        let p = ivs
            .engine(
                &ctx(),
                "PutMetadata",
                &json!({"channelArn": arn, "metadata": "x"}),
            )
            .unwrap();
        assert_eq!(p[0].action, "ivs:PutMetadata");
        assert_eq!(p[0].resource, arn);
        let u = ivs
            .engine(
                &ctx(),
                "UntagResource",
                &json!({"resourceArn": arn, "tagKeys": ["owner"]}),
            )
            .unwrap();
        assert!(u[0].context.contains(&(
            "aws:TagKeys".into(),
            ContextValue::Strings(vec!["owner".into()])
        )));
        let t = ivs
            .engine(
                &ctx(),
                "TagResource",
                &json!({"resourceArn": arn, "tags": {"x": "y"}}),
            )
            .unwrap();
        assert!(t[0]
            .context
            .contains(&("aws:RequestTag/x".into(), ContextValue::String("y".into()))));
        assert!(t[0].context.contains(&(
            "aws:ResourceTag/owner".into(),
            ContextValue::String("me".into())
        )));
    }

    #[test]
    fn lists_use_type_patterns_or_star() {
        let ivs = ivs();
        let l = ivs.engine(&ctx(), "ListChannels", &json!({})).unwrap();
        assert_eq!(
            l[0].resource,
            "arn:aws:ivs:us-west-2:000000000000:channel/*"
        );
        let l = ivs
            .engine(&ctx(), "ListAdConfigurations", &json!({}))
            .unwrap();
        assert_eq!(l[0].resource, "*");
    }

    #[test]
    fn every_model_operation_is_listed_handled_and_authorized() {
        kit::check_against_model::<crate::Ivs>().unwrap();
        let ivs = ivs();
        let ops = <crate::Ivs as kit::Operations>::OPERATIONS;
        assert_eq!(ops.len(), 46);
        assert!(ops.iter().all(|(_, handled)| *handled));
        for (op, _) in ops {
            let a = ivs.engine(
                &ctx(),
                op,
                &json!({"arns": ["x"], "viewerSessions": [{"channelArn": "x"}]}),
            );
            let a = a.unwrap_or_else(|e| panic!("{op}: {e}"));
            assert!(!a.is_empty(), "{op}");
            assert!(a.iter().all(|x| x.action == format!("ivs:{op}")), "{op}");
            // And every operation is handled (no "unknown operation").
            if let Err(e) = ivs.handle(&ctx(), op, json!({})) {
                assert_ne!(e.code, "UnknownOperationException", "{op}");
            }
        }
    }
}
