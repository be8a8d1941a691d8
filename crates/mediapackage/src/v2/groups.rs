//! Channel groups: Create/Get/List/Update/Delete, and helpers every v2 handler shares (entity
//! tags, idempotent creates, listings).

use super::arns::{group_arn, Kind};
use super::errors::{
    already_exists, bad_page_token, conflict, not_found, stale_etag, token_mismatch,
};
use super::model::ChannelGroup;
use super::quotas;
use super::MediaPackageV2;
use kit::input::{opt_str, req_str, timestamp};
use kit::{PageRequest, Paging, Stored, TagRules};
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};

pub(super) const TAGS: TagRules = TagRules::new("ValidationException");
pub(super) const PAGING: Paging =
    Paging::new(50, "ValidationException").members("MaxResults", "NextToken");

/// Refuses a write whose `x-amzn-update-if-match` is not the current entity tag.
pub(super) fn check_etag(input: &Value, current: &str) -> Result<(), ServiceError> {
    match opt_str(input, "ETag") {
        Some(sent) if sent != current => Err(stale_etag()),
        _ => Ok(()),
    }
}

/// Reads a listing's page request, with v2's bad-token error.
pub(super) fn page_request(
    s: &MediaPackageV2,
    ctx: &RequestContext,
    operation: &str,
    input: &Value,
    filters: &str,
) -> Result<PageRequest, ServiceError> {
    PageRequest::read(
        &s.runtime.token_key,
        &PAGING,
        ctx,
        operation,
        input,
        filters,
    )
    .map_err(bad_page_token)
}

/// `{"Items": [...], "NextToken"}`.
pub(super) fn listing(page: &PageRequest, items: Vec<Value>, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert("Items".into(), Value::from(items));
    page.put_token(&mut out, next);
    Value::Object(out)
}

/// The second label of an egress domain, `xxxxxx.egress.LABEL.mediapackagev2.REGION.amazonaws.com`:
/// six lowercase letters and digits, as AWS's (moto's aws_verified test_create_channel_group
/// checks `[a-z0-9]{6}\.egress\.[a-z0-9]{6}\.mediapackagev2\.REGION\.amazonaws\.com`). What
/// AWS derives it from is not published; here it is fixed per account and Region.
fn egress_label(account: &str, region: &str) -> String {
    // FNV-1a: stable across runs and builds, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in account.bytes().chain([b':']).chain(region.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..6)
        .map(|i| char::from(DIGITS[((h >> (i * 6)) % 36) as usize]))
        .collect()
}

fn view(arn: &str, g: &Stored<ChannelGroup>) -> Value {
    let v = &g.value;
    let (region, account) = kit::arn_scope(arn).unwrap_or(("", ""));
    let mut out = json!({
        "ChannelGroupName": v.name, "Arn": arn,
        "EgressDomain": format!("{}.egress.{}.mediapackagev2.{region}.amazonaws.com",
            v.egress_id, egress_label(account, region)),
        "CreatedAt": timestamp(v.created_at), "ModifiedAt": timestamp(v.modified_at),
        "ETag": v.etag, "Tags": kit::tags_to_map(&g.tags),
    });
    if let Some(d) = &v.description {
        out["Description"] = json!(d);
    }
    out
}

impl MediaPackageV2 {
    /// Runs an idempotent create: replays the output of an earlier request with the same
    /// `ClientToken` and parameters, refuses the token with others, remembers a new output.
    pub(super) fn idempotent(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        create: impl FnOnce(&mut super::State) -> Result<Value, ServiceError>,
    ) -> Result<Value, ServiceError> {
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        if let Some(out) =
            state
                .tokens
                .replay(ctx, operation, input, "ClientToken", now, token_mismatch)?
        {
            return Ok(out);
        }
        let out = create(&mut state)?;
        // Journaled: a retry after a restart (even `kill -9`) still replays.
        state
            .tokens
            .remember_durably(ctx, operation, input, "ClientToken", now, &out);
        Ok(out)
    }

    pub(super) fn create_channel_group(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "ChannelGroupName")?;
        let tags = TAGS.read(input, "Tags")?;
        let arn = group_arn(&ctx.region, ctx.account(), name);
        self.idempotent(ctx, "CreateChannelGroup", input, |state| {
            if state.groups.get_in(ctx, &arn).is_some() {
                return Err(already_exists(Kind::Group));
            }
            let count = state.groups.iter_in(ctx).count();
            quotas::CHANNEL_GROUPS
                .admit(&self.runtime, count, 1)
                .map_err(quotas::exceeded)?;
            let now = self.runtime.clock.now();
            let group = ChannelGroup {
                name: name.to_string(),
                description: opt_str(input, "Description").map(str::to_string),
                egress_id: self.runtime.ids.alnum(6).to_lowercase(),
                created_at: now,
                modified_at: now,
                etag: self.etag(),
            };
            let stored = Stored::new(group, tags);
            let out = view(&arn, &stored);
            state.groups.put(&ctx.journal, &arn, stored);
            Ok(out)
        })
    }

    pub(super) fn get_channel_group(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = group_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
        );
        let state = self.state.read();
        let g = state
            .groups
            .get_in(ctx, &arn)
            .ok_or_else(|| not_found(Kind::Group))?;
        Ok(view(&arn, g))
    }

    pub(super) fn list_channel_groups(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let page = page_request(self, ctx, "ListChannelGroups", input, "")?;
        let state = self.state.read();
        let found = state
            .groups
            .page(ctx, &self.runtime.token_key, &page, |_, _| true);
        let items = found
            .items
            .iter()
            .map(|(arn, g)| {
                let mut v = view(arn, g);
                if let Some(m) = v.as_object_mut() {
                    for k in ["EgressDomain", "ETag", "Tags"] {
                        m.remove(k);
                    }
                }
                v
            })
            .collect();
        Ok(listing(&page, items, found.next))
    }

    pub(super) fn update_channel_group(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = group_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
        );
        let now = self.runtime.clock.now();
        let etag = self.etag();
        let mut state = self.state.write();
        state
            .groups
            .update(ctx, &arn, |g| {
                check_etag(input, &g.value.etag)?;
                if let Some(d) = opt_str(input, "Description") {
                    g.value.description = Some(d.to_string());
                }
                g.value.modified_at = now;
                g.value.etag = etag;
                Ok(view(&arn, g))
            })
            .unwrap_or_else(|| Err(not_found(Kind::Group)))
    }

    pub(super) fn delete_channel_group(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let arn = group_arn(
            &ctx.region,
            ctx.account(),
            req_str(input, "ChannelGroupName")?,
        );
        let mut state = self.state.write();
        // Deletes are idempotent: a group that does not exist is already deleted (the model
        // lists no ResourceNotFoundException; moto's aws_verified test_delete_channel_group:
        // "Operation is idempotent", "Deleting unknown channels is also fine").
        if state.groups.get_in(ctx, &arn).is_none() {
            return Ok(json!({}));
        }
        let prefix = format!("{arn}/");
        if state
            .channels
            .iter_in(ctx)
            .any(|(a, _)| a.starts_with(&prefix))
        {
            // AWS's words (moto's aws_verified test_delete_channel_group_thats_not_empty).
            return Err(conflict(
                "RESOURCE_IN_USE",
                "The channel group you tried to delete has channels attached to it. If you want to delete this channel group, you must first delete the channels attached to it",
            ));
        }
        state.groups.remove(&ctx.journal, &arn);
        Ok(json!({}))
    }
}
