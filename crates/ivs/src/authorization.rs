//! What each operation must be allowed, per the Service Authorization Reference for IVS.
//!
//! Create operations are authorized on `arn:aws:ivs:REGION:ACCOUNT:TYPE/*`: the new
//! resource's ID does not exist until the operation runs, and a policy written for the ARN
//! pattern (`channel/*`) matches that. Operations the reference lists without a resource type
//! (ListAdConfigurations, ListPlaybackRestrictionPolicies, UpdateAdConfiguration) are
//! authorized on `*`. Everything that targets a stored resource carries its
//! `aws:ResourceTag/…`; requests that carry tags carry `aws:RequestTag/…` and `aws:TagKeys`.

use crate::input::{opt_str, tags};
use crate::state::{Kind, State};
use crate::Ivs;
use serde_json::Value;
use service::{Access, ContextValue, RequestContext, ServiceError};
use std::collections::BTreeMap;

impl Ivs {
    /// The `(action, resource)` pairs `operation` must be allowed.
    pub(crate) fn accesses(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Vec<Access>, ServiceError> {
        let action = format!("ivs:{operation}");
        let state = self.state.read();
        let wildcard = |kind: Kind| format!("{}*", Self::prefix(ctx, kind));
        // An existing resource, with its tags when we know it.
        let on = |arn: &str| with_tags_of(&state, Access::new(action.clone(), arn), arn);
        let creating = |kind: Kind, tags: &BTreeMap<String, String>| {
            let access = Access::new(action.clone(), wildcard(kind));
            if tags.is_empty() {
                access
            } else {
                access.with_request_tags(tags)
            }
        };
        let arn_member = |member: &str| opt_str(input, member).unwrap_or("").to_string();
        let out = match operation {
            "CreateChannel" => {
                let t = tags(input, "tags")?;
                vec![creating(Kind::Channel, &t), creating(Kind::StreamKey, &t)]
            }
            "CreateStreamKey" => vec![creating(Kind::StreamKey, &tags(input, "tags")?)],
            "ImportPlaybackKeyPair" => {
                vec![creating(Kind::PlaybackKeyPair, &tags(input, "tags")?)]
            }
            "CreatePlaybackRestrictionPolicy" => vec![creating(
                Kind::PlaybackRestrictionPolicy,
                &tags(input, "tags")?,
            )],
            "CreateRecordingConfiguration" => vec![creating(
                Kind::RecordingConfiguration,
                &tags(input, "tags")?,
            )],
            "CreateAdConfiguration" => {
                vec![creating(Kind::AdConfiguration, &tags(input, "tags")?)]
            }
            "CreateFailoverSlateConfiguration" => vec![creating(
                Kind::FailoverSlateConfiguration,
                &tags(input, "tags")?,
            )],
            "DeleteChannel" => {
                let arn = arn_member("arn");
                let mut out = vec![on(&arn)];
                if arn.starts_with(&Self::prefix(ctx, Kind::Channel)) {
                    for key in state.keys_by_channel.get(&arn).into_iter().flatten() {
                        out.push(on(key));
                    }
                }
                out
            }
            "GetChannel"
            | "UpdateChannel"
            | "GetStreamKey"
            | "DeleteStreamKey"
            | "GetPlaybackKeyPair"
            | "DeletePlaybackKeyPair"
            | "GetPlaybackRestrictionPolicy"
            | "UpdatePlaybackRestrictionPolicy"
            | "DeletePlaybackRestrictionPolicy"
            | "GetRecordingConfiguration"
            | "DeleteRecordingConfiguration"
            | "GetAdConfiguration"
            | "DeleteAdConfiguration"
            | "GetFailoverSlateConfiguration"
            | "UpdateFailoverSlateConfiguration"
            | "DeleteFailoverSlateConfiguration" => {
                vec![on(&arn_member("arn"))]
            }
            "GetStream"
            | "GetStreamSession"
            | "ListStreamSessions"
            | "StopStream"
            | "PutMetadata"
            | "InsertAdBreak"
            | "StartViewerSessionRevocation" => {
                vec![on(&arn_member("channelArn"))]
            }
            "ListStreamKeys" => vec![
                on(&arn_member("channelArn")),
                Access::new(action.clone(), wildcard(Kind::StreamKey)),
            ],
            "BatchGetChannel" | "BatchGetStreamKey" => input
                .get("arns")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(on)
                .collect(),
            "BatchStartViewerSessionRevocation" => {
                let mut arns: Vec<&str> = input
                    .get("viewerSessions")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| opt_str(s, "channelArn"))
                    .collect();
                arns.sort_unstable();
                arns.dedup();
                arns.into_iter().map(on).collect()
            }
            "ListChannels" | "ListStreams" => {
                vec![Access::new(action.clone(), wildcard(Kind::Channel))]
            }
            "ListPlaybackKeyPairs" => {
                vec![Access::new(action.clone(), wildcard(Kind::PlaybackKeyPair))]
            }
            "ListRecordingConfigurations" => vec![Access::new(
                action.clone(),
                wildcard(Kind::RecordingConfiguration),
            )],
            "ListFailoverSlateConfigurations" => vec![Access::new(
                action.clone(),
                wildcard(Kind::FailoverSlateConfiguration),
            )],
            "ListAdConfigurations"
            | "ListPlaybackRestrictionPolicies"
            | "UpdateAdConfiguration" => vec![Access::new(action.clone(), "*")],
            "TagResource" => {
                let t = tags(input, "tags")?;
                vec![on(&arn_member("resourceArn")).with_request_tags(&t)]
            }
            "UntagResource" => {
                let keys: Vec<String> = input
                    .get("tagKeys")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect();
                vec![on(&arn_member("resourceArn")).with("aws:TagKeys", ContextValue::Strings(keys))]
            }
            "ListTagsForResource" => vec![on(&arn_member("resourceArn"))],
            other => {
                return Err(ServiceError::new(
                    "UnknownOperationException",
                    format!("ivs has no operation {other}"),
                )
                .with_status(400))
            }
        };
        Ok(out)
    }
}

/// Adds `aws:ResourceTag/…` of the stored resource `arn`, if there is one.
fn with_tags_of(state: &State, access: Access, arn: &str) -> Access {
    match state.resources.get(arn) {
        Some(r) => access.with_resource_tags(&r.tags),
        None => access,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::{ContextValue, Service};

    #[test]
    fn create_channel_is_authorized_on_channel_and_stream_key_patterns_with_request_tags() {
        let ivs = ivs();
        let a = ivs
            .authorize(&ctx(), "CreateChannel", &json!({"tags": {"env": "prod"}}))
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
        let untagged = ivs.authorize(&ctx(), "CreateChannel", &json!({})).unwrap();
        assert!(untagged[0].context.is_empty());
    }

    #[test]
    fn existing_resources_carry_their_tags() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({"tags": {"owner": "me"}}));
        let arn = s(&out, "/channel/arn");
        let key = s(&out, "/streamKey/arn");
        let a = ivs
            .authorize(&ctx(), "GetChannel", &json!({ "arn": arn }))
            .unwrap();
        assert_eq!(a[0].resource, arn);
        assert!(a[0].context.contains(&(
            "aws:ResourceTag/owner".into(),
            ContextValue::String("me".into())
        )));
        let d = ivs
            .authorize(&ctx(), "DeleteChannel", &json!({ "arn": arn }))
            .unwrap();
        let resources: Vec<&str> = d.iter().map(|x| x.resource.as_str()).collect();
        assert_eq!(resources, [arn.as_str(), key.as_str()]);
        let p = ivs
            .authorize(
                &ctx(),
                "PutMetadata",
                &json!({"channelArn": arn, "metadata": "x"}),
            )
            .unwrap();
        assert_eq!(p[0].action, "ivs:PutMetadata");
        assert_eq!(p[0].resource, arn);
        let u = ivs
            .authorize(
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
            .authorize(
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
        let l = ivs.authorize(&ctx(), "ListChannels", &json!({})).unwrap();
        assert_eq!(
            l[0].resource,
            "arn:aws:ivs:us-west-2:000000000000:channel/*"
        );
        let l = ivs
            .authorize(&ctx(), "ListAdConfigurations", &json!({}))
            .unwrap();
        assert_eq!(l[0].resource, "*");
    }

    #[test]
    fn every_model_operation_has_a_mapping() {
        let ivs = ivs();
        let ops = [
            "BatchGetChannel",
            "BatchGetStreamKey",
            "BatchStartViewerSessionRevocation",
            "CreateAdConfiguration",
            "CreateChannel",
            "CreateFailoverSlateConfiguration",
            "CreatePlaybackRestrictionPolicy",
            "CreateRecordingConfiguration",
            "CreateStreamKey",
            "DeleteAdConfiguration",
            "DeleteChannel",
            "DeleteFailoverSlateConfiguration",
            "DeletePlaybackKeyPair",
            "DeletePlaybackRestrictionPolicy",
            "DeleteRecordingConfiguration",
            "DeleteStreamKey",
            "GetAdConfiguration",
            "GetChannel",
            "GetFailoverSlateConfiguration",
            "GetPlaybackKeyPair",
            "GetPlaybackRestrictionPolicy",
            "GetRecordingConfiguration",
            "GetStream",
            "GetStreamKey",
            "GetStreamSession",
            "ImportPlaybackKeyPair",
            "InsertAdBreak",
            "ListAdConfigurations",
            "ListChannels",
            "ListFailoverSlateConfigurations",
            "ListPlaybackKeyPairs",
            "ListPlaybackRestrictionPolicies",
            "ListRecordingConfigurations",
            "ListStreamKeys",
            "ListStreamSessions",
            "ListStreams",
            "ListTagsForResource",
            "PutMetadata",
            "StartViewerSessionRevocation",
            "StopStream",
            "TagResource",
            "UntagResource",
            "UpdateAdConfiguration",
            "UpdateChannel",
            "UpdateFailoverSlateConfiguration",
            "UpdatePlaybackRestrictionPolicy",
        ];
        assert_eq!(ops.len(), 46);
        for op in ops {
            let a = ivs.authorize(
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
