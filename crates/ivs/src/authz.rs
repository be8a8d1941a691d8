//! What the authorization engine needs from IVS beyond AWS's data: which input members name
//! resources, a channel's stream keys (DeleteChannel acts on them too), and stored tags.

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
        if q.operation == "DeleteChannel" {
            let arn = q.input.get("arn").and_then(|v| v.as_str()).unwrap_or("");
            let keys = if arn.starts_with(&Self::prefix(ctx, Kind::Channel)) {
                let state = self.state.read();
                state
                    .keys_by_channel
                    .get(arn)
                    .into_iter()
                    .flatten()
                    .cloned()
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
        let r = state.resources.get(arn)?;
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
    use service::{Access, RequestContext};

    fn engine(ivs: &crate::Ivs, c: &RequestContext, op: &str, input: &Value) -> Vec<Access> {
        match authz::authorize(ivs, c, op, input).unwrap() {
            authz::Authorization::Required(a) => a,
            other => panic!("{op}: {other:?}"),
        }
    }

    /// Order-insensitive form: (action, resource, sorted context) per access, sorted.
    fn canonical(mut a: Vec<Access>) -> Vec<String> {
        for x in &mut a {
            x.context
                .sort_by(|p, q| format!("{p:?}").cmp(&format!("{q:?}")));
        }
        let mut out: Vec<String> = a
            .iter()
            .map(|x| format!("{} {} {:?}", x.action, x.resource, x.context))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_engine_equals_the_hand_mapping_for_every_operation() {
        let ivs = ivs();
        let c = ctx();
        let tags = json!({"team": "blue", "env": "prod"});
        let ch = ok(&ivs, "CreateChannel", json!({"tags": tags}));
        let channel = s(&ch, "/channel/arn");
        let key = s(&ch, "/streamKey/arn");
        ok(
            &ivs,
            "TagResource",
            json!({"resourceArn": key, "tags": {"k": "2"}}),
        );
        let bare = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let pair = s(
            &ok(
                &ivs,
                "ImportPlaybackKeyPair",
                json!({"publicKeyMaterial": P384_KEYS[0], "tags": tags}),
            ),
            "/keyPair/arn",
        );
        let policy = s(
            &ok(
                &ivs,
                "CreatePlaybackRestrictionPolicy",
                json!({"tags": tags}),
            ),
            "/playbackRestrictionPolicy/arn",
        );
        let rc = s(
            &ok(
                &ivs,
                "CreateRecordingConfiguration",
                json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}, "tags": tags}),
            ),
            "/recordingConfiguration/arn",
        );
        let slate = s(
            &ok(
                &ivs,
                "CreateFailoverSlateConfiguration",
                json!({"tags": tags}),
            ),
            "/failoverSlateConfiguration/arn",
        );
        let foreign = "arn:aws:ivs:us-west-2:111111111111:channel/theirs";
        let with_tags = json!({"tags": {"new": "v"}});
        let mut cases: Vec<(&str, Value)> = Vec::new();
        for op in [
            "CreateChannel",
            "CreateStreamKey",
            "ImportPlaybackKeyPair",
            "CreatePlaybackRestrictionPolicy",
            "CreateRecordingConfiguration",
            "CreateAdConfiguration",
            "CreateFailoverSlateConfiguration",
        ] {
            cases.push((op, with_tags.clone()));
            cases.push((op, json!({})));
        }
        cases.push((
            "CreateStreamKey",
            json!({"channelArn": channel, "tags": {"a": "b"}}),
        ));
        for arn in [
            &channel,
            &bare,
            &key.clone(),
            &"x".to_string(),
            &foreign.to_string(),
        ] {
            for op in [
                "GetChannel",
                "UpdateChannel",
                "DeleteChannel",
                "GetStreamKey",
                "DeleteStreamKey",
            ] {
                cases.push((op, json!({ "arn": arn })));
            }
            for op in [
                "GetStream",
                "GetStreamSession",
                "ListStreamSessions",
                "StopStream",
                "PutMetadata",
                "InsertAdBreak",
                "StartViewerSessionRevocation",
                "ListStreamKeys",
            ] {
                cases.push((op, json!({ "channelArn": arn })));
            }
            cases.push((
                "TagResource",
                json!({"resourceArn": arn, "tags": {"x": "y"}}),
            ));
            cases.push((
                "UntagResource",
                json!({"resourceArn": arn, "tagKeys": ["team"]}),
            ));
            cases.push(("ListTagsForResource", json!({ "resourceArn": arn })));
        }
        for (arn, ops) in [
            (&pair, &["GetPlaybackKeyPair", "DeletePlaybackKeyPair"][..]),
            (
                &policy,
                &[
                    "GetPlaybackRestrictionPolicy",
                    "UpdatePlaybackRestrictionPolicy",
                    "DeletePlaybackRestrictionPolicy",
                ][..],
            ),
            (
                &rc,
                &["GetRecordingConfiguration", "DeleteRecordingConfiguration"][..],
            ),
            (
                &slate,
                &[
                    "GetFailoverSlateConfiguration",
                    "UpdateFailoverSlateConfiguration",
                    "DeleteFailoverSlateConfiguration",
                ][..],
            ),
            (
                &"arn:aws:ivs:us-west-2:000000000000:ad-configuration/a".to_string(),
                &[
                    "GetAdConfiguration",
                    "UpdateAdConfiguration",
                    "DeleteAdConfiguration",
                ][..],
            ),
        ] {
            for op in ops {
                cases.push((op, json!({ "arn": arn })));
            }
            cases.push((
                "TagResource",
                json!({"resourceArn": arn, "tags": {"x": "y"}}),
            ));
            cases.push((
                "UntagResource",
                json!({"resourceArn": arn, "tagKeys": ["env"]}),
            ));
            cases.push(("ListTagsForResource", json!({ "resourceArn": arn })));
        }
        cases.push((
            "BatchGetChannel",
            json!({"arns": [channel, bare, "x", foreign]}),
        ));
        cases.push(("BatchGetStreamKey", json!({"arns": [key, "x"]})));
        cases.push((
            "BatchStartViewerSessionRevocation",
            json!({"viewerSessions": [
            {"channelArn": bare}, {"channelArn": channel}, {"channelArn": bare}]}),
        ));
        for op in [
            "ListChannels",
            "ListStreams",
            "ListPlaybackKeyPairs",
            "ListRecordingConfigurations",
            "ListFailoverSlateConfigurations",
            "ListAdConfigurations",
            "ListPlaybackRestrictionPolicies",
        ] {
            cases.push((op, json!({})));
        }
        let mut covered = std::collections::BTreeSet::new();
        for (op, input) in &cases {
            let hand = ivs.accesses(&c, op, input).unwrap();
            assert_eq!(
                canonical(engine(&ivs, &c, op, input)),
                canonical(hand),
                "{op} {input}"
            );
            covered.insert(*op);
        }
        let model = protocol::Registry::shared();
        let all: Vec<&str> = model.model("ivs").unwrap().operation_names().collect();
        let missing: Vec<&&str> = all.iter().filter(|o| !covered.contains(**o)).collect();
        assert!(missing.is_empty(), "not compared: {missing:?}");
    }
}
