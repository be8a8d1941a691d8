//! Stream keys: one per channel; create, get, batch get, list, delete.

use crate::crud::{no_check, ResourceSpec};
use crate::input::{req_str, tags};
use crate::state::{Body, Kind, Resource};
use crate::typed::StreamKey;
use crate::Ivs;
use serde_json::Value;
use service::{RequestContext, ServiceError};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Members of `StreamKeySummary`.
const SUMMARY: &[&str] = &["arn", "channelArn", "tags"];

/// The stream key's wire names, for the shared operations in [`crate::crud`]; Create and List
/// are its own (a key belongs to a channel). Once its key is deleted, a channel cannot be
/// streamed to until a new key exists.
pub(crate) const SPEC: ResourceSpec = ResourceSpec {
    kind: Kind::StreamKey,
    one: "streamKey",
    many: "streamKeys",
    summary: SUMMARY,
    default_page: 1,
    settable: &[],
    check: no_check,
    channel_member: None,
    quota: None,
};

impl Ivs {
    /// A new stream key for `channel_arn` (not yet stored): `sk_REGION_` then 12 and 30
    /// random characters joined by `_`, as AWS's values look (56 characters in us-west-2).
    pub(crate) fn new_stream_key(
        &self,
        ctx: &RequestContext,
        channel_arn: &str,
        tags: BTreeMap<String, String>,
    ) -> (String, Resource) {
        let arn = self.new_arn(ctx, Kind::StreamKey);
        let value = format!(
            "sk_{}_{}_{}",
            ctx.region,
            self.runtime.ids.alnum(12),
            self.runtime.ids.alnum(30)
        );
        let key = StreamKey {
            value: value.into(),
            channel_arn: Arc::from(channel_arn),
        };
        let key = Resource::new(Body::StreamKey(key), tags);
        (arn, key)
    }

    /// CreateStreamKey: fails with ServiceQuotaExceededException while the channel has one.
    pub(crate) fn create_stream_key(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let tags = tags(input, "tags")?;
        let mut state = self.state.write();
        Self::require_channel(&state, ctx, channel_arn)?;
        let existing = state
            .keys_by_channel
            .get(channel_arn)
            .map_or(0, |k| k.len());
        crate::quotas::STREAM_KEYS_PER_CHANNEL
            .admit(&self.runtime, existing, 1)
            .map_err(crate::quotas::exceeded)?;
        let (arn, key) = self.new_stream_key(ctx, channel_arn, tags);
        self.save(ctx, &mut state, &arn, key);
        Ok(self.wrap_one(&state, &SPEC, &arn))
    }

    /// ListStreamKeys of one channel (default page size 1, as AWS documents).
    pub(crate) fn list_stream_keys(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let page = self.page_request(ctx, input, 1, &format!("ListStreamKeys|{channel_arn}"))?;
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        // The channel's own (sorted) key index, not a scan of every key of the account; the
        // keys share the channel's account and region, which `require_channel` checked.
        let keys = state
            .keys_by_channel
            .get(channel_arn)
            .map_or(&[][..], Vec::as_slice);
        let store = state.store(Kind::StreamKey);
        let (arns, next) = page.page_keys(&self.runtime.token_key, keys, |arn| {
            store.get(arn).is_some()
        });
        let items = arns
            .into_iter()
            .filter_map(|arn| store.get(arn).map(|r| (&**arn, r)))
            .collect();
        Ok(self.page_of(&SPEC, items, next))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;

    #[test]
    fn one_key_per_channel_until_deleted() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({}));
        let channel = s(&out, "/channel/arn");
        let key = s(&out, "/streamKey/arn");
        err(
            &ivs,
            "CreateStreamKey",
            json!({ "channelArn": channel }),
            "ServiceQuotaExceededException",
        );
        let listed = ok(&ivs, "ListStreamKeys", json!({ "channelArn": channel }));
        assert_eq!(
            listed["streamKeys"],
            json!([{"arn": key, "channelArn": channel, "tags": {}}])
        );
        let got = ok(&ivs, "GetStreamKey", json!({ "arn": key }));
        // `sk_us-west-2_` then 12 and 30 letters and digits joined by `_`, as AWS's keys.
        let value = s(&got, "/streamKey/value");
        let parts: Vec<&str> = value.split('_').collect();
        assert_eq!(parts.len(), 4, "{value}");
        assert_eq!(&parts[..2], ["sk", "us-west-2"]);
        assert_eq!((parts[2].len(), parts[3].len()), (12, 30), "{value}");
        assert!(parts[2..]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric())));
        ok(&ivs, "DeleteStreamKey", json!({ "arn": key }));
        let listed = ok(&ivs, "ListStreamKeys", json!({ "channelArn": channel }));
        assert_eq!(listed["streamKeys"], json!([]));
        let new = ok(
            &ivs,
            "CreateStreamKey",
            json!({"channelArn": channel, "tags": {"k": "v"}}),
        );
        assert_ne!(s(&new, "/streamKey/arn"), key);
        assert_eq!(new["streamKey"]["tags"], json!({"k": "v"}));
        let batch = ok(
            &ivs,
            "BatchGetStreamKey",
            json!({"arns": [s(&new, "/streamKey/arn"), key]}),
        );
        assert_eq!(batch["streamKeys"].as_array().unwrap().len(), 1);
        assert_eq!(batch["errors"][0]["arn"], key);
    }

    #[test]
    fn listing_pages_through_the_channels_own_keys_only() {
        let mut runtime = service::Runtime::for_tests();
        runtime
            .quotas
            .entry("ivs".into())
            .or_default()
            .insert("StreamKeysPerChannel".into(), 3);
        let ivs = crate::Ivs::new(std::sync::Arc::new(runtime));
        let mut keys = Vec::new();
        let mut channels = Vec::new();
        for _ in 0..2 {
            let out = ok(&ivs, "CreateChannel", json!({}));
            let channel = s(&out, "/channel/arn");
            keys.push(vec![s(&out, "/streamKey/arn")]);
            for _ in 0..2 {
                let k = ok(&ivs, "CreateStreamKey", json!({ "channelArn": channel }));
                keys.last_mut().unwrap().push(s(&k, "/streamKey/arn"));
            }
            channels.push(channel);
        }
        for (channel, mut expected) in channels.iter().zip(keys) {
            expected.sort();
            let mut seen = Vec::new();
            let mut token = None;
            loop {
                let mut input = json!({ "channelArn": channel, "maxResults": 2 });
                if let Some(t) = &token {
                    input["nextToken"] = json!(t);
                }
                let page = ok(&ivs, "ListStreamKeys", input);
                for k in page["streamKeys"].as_array().unwrap() {
                    assert_eq!(k["channelArn"], json!(channel));
                    seen.push(k["arn"].as_str().unwrap().to_string());
                }
                match page["nextToken"].as_str() {
                    Some(t) => token = Some(t.to_string()),
                    None => break,
                }
            }
            assert_eq!(seen, expected);
        }
        // Another account cannot list them.
        let e = ivs
            .handle(
                &other_ctx(),
                "ListStreamKeys",
                json!({ "channelArn": channels[0] }),
            )
            .unwrap_err();
        assert_eq!(e.code, "ResourceNotFoundException");
    }

    #[test]
    fn keys_need_an_existing_channel() {
        let ivs = ivs();
        err(
            &ivs,
            "CreateStreamKey",
            json!({"channelArn": "arn:aws:ivs:us-west-2:000000000000:channel/none"}),
            "ResourceNotFoundException",
        );
        err(
            &ivs,
            "ListStreamKeys",
            json!({"channelArn": "arn:aws:ivs:us-west-2:000000000000:channel/none"}),
            "ResourceNotFoundException",
        );
    }
}
