//! Amazon IVS low-latency streaming (API 2020-07-14), emulated.
//!
//! Channels and their stream keys, playback key pairs, playback restriction policies,
//! recording, ad and failover-slate configurations, and streams (started and ended through
//! the admin API, since nothing ingests RTMP here). Inputs and outputs are JSON values keyed by
//! the model's member names; [`Ivs`] plugs into the server through [`service::Service`].

// `ServiceError` is the seam's error type and its size is the service crate's choice; every
// operation returns it, so boxing it here alone would only add noise.

mod ad_configurations;
mod admin;
mod authz;
mod channels;
mod configs;
mod countries;
mod crud;
mod failover_slate_configurations;
mod ingest;
mod input;
mod persistence;
mod playback_key_pairs;
mod playback_restriction_policies;
pub mod quotas;
pub mod rates;
mod recording_configurations;
mod state;
mod stream_keys;
mod streams;
mod tags;
mod tenancy;
mod typed;

use input::not_found;
use parking_lot::RwLock;
use serde_json::{Map, Value};
use service::{Record, RequestContext, Runtime, ServiceError};
use state::{Kind, Resource, Session, State};
use std::sync::Arc;

/// The IVS service: its state plus the shared runtime (clock, IDs, token key).
#[derive(Debug)]
pub struct Ivs {
    runtime: Arc<Runtime>,
    state: RwLock<State>,
    throttle: kit::Throttle,
    /// Listed channel pages, kept while the channel store is unchanged.
    pages: kit::PageCache,
    /// Rendered channel views (GetChannel), kept while the channel store is unchanged.
    views: kit::ViewCache,
}

impl Ivs {
    /// A service with empty state.
    pub fn new(runtime: Arc<Runtime>) -> Arc<Ivs> {
        Arc::new(Ivs {
            runtime,
            state: RwLock::new(State::default()),
            throttle: kit::Throttle::default(),
            pages: kit::PageCache::default(),
            views: kit::ViewCache::default(),
        })
    }

    /// `arn:aws:ivs:REGION:ACCOUNT:TYPE/`: the prefix every ARN of `kind` in the caller's
    /// account and region starts with.
    fn prefix(ctx: &RequestContext, kind: Kind) -> String {
        format!(
            "arn:aws:ivs:{}:{}:{}/",
            ctx.region,
            ctx.account(),
            kind.arn_type()
        )
    }

    /// A fresh ARN of `kind` with AWS's 12-character alphanumeric resource ID.
    fn new_arn(&self, ctx: &RequestContext, kind: Kind) -> String {
        format!("{}{}", Self::prefix(ctx, kind), self.runtime.ids.alnum(12))
    }

    /// The stored resource `arn` of `kind`, if it belongs to the caller's account and region.
    fn find<'s>(
        state: &'s State,
        ctx: &RequestContext,
        kind: Kind,
        arn: &str,
    ) -> Result<&'s Resource, ServiceError> {
        state
            .store(kind)
            .get_in(ctx, arn)
            .ok_or_else(|| not_found(arn))
    }

    /// A resource as the API shows it: its members, its tags and its current lifecycle state.
    fn view(&self, arn: &str, resource: &Resource) -> Value {
        self.view_of(arn, resource, None)
    }

    /// The view restricted to a summary shape's members.
    fn summary(&self, arn: &str, resource: &Resource, members: &[&str]) -> Value {
        self.view_of(arn, resource, Some(members))
    }

    /// The view, of only `members` when given: a page of summaries builds just what it shows.
    fn view_of(&self, arn: &str, resource: &Resource, members: Option<&[&str]>) -> Value {
        let wanted = |k: &str| members.is_none_or(|m| m.contains(&k));
        let mut body = match &resource.value {
            state::Body::Channel(c) => c.view(arn, members.is_some()),
            state::Body::StreamKey(k) => k.view(arn, members.is_some()),
            other => self.members_view(arn, other, &wanted),
        };
        if wanted("tags") {
            body.insert(
                "tags".into(),
                Value::Object(
                    resource
                        .tags
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                        .collect(),
                ),
            );
        }
        Value::Object(body)
    }

    /// The wanted members of a configuration-kind body, with its ARN, its lifecycle state
    /// settled on the clock.
    fn members_view(
        &self,
        arn: &str,
        body: &state::Body,
        wanted: &dyn Fn(&str) -> bool,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        if wanted("arn") {
            out.insert("arn".into(), Value::from(arn));
        }
        out.extend(
            body.members()
                .into_iter()
                .filter(|(k, _)| k != "created_at" && wanted(k)),
        );
        let settle = match Kind::of_arn(arn) {
            Some(Kind::RecordingConfiguration) => Some(("CREATING", "ACTIVE")),
            Some(Kind::FailoverSlateConfiguration) => Some(("CREATING", "CREATED")),
            _ => None,
        };
        if let (Some((from, to)), Some(created_at)) = (settle, body.created_at()) {
            let delay = std::time::Duration::from_secs(1);
            if wanted("state")
                && body.str("state") == from
                && self.runtime.clock.due(created_at, delay)
            {
                out.insert("state".into(), Value::from(to));
            }
        }
        out
    }

    /// Stores a resource and journals it.
    fn save(&self, ctx: &RequestContext, state: &mut State, arn: &str, resource: Resource) {
        state.put(&ctx.journal, arn, resource);
    }

    /// Removes a resource and journals the removal.
    fn discard(&self, ctx: &RequestContext, state: &mut State, arn: &str) {
        state.remove(&ctx.journal, arn);
    }

    /// Stores a stream session and journals it.
    fn save_session(&self, ctx: &RequestContext, state: &mut State, session: Session) {
        if let Ok(value) = serde_json::to_value(&session) {
            ctx.journal.put(
                ctx.account(),
                persistence::SESSION_TABLE,
                &session.key(),
                value,
            );
        }
        state.put_session(session);
    }

    /// The `maxResults`/`nextToken` of a listing, scoped by operation, caller and filters.
    fn page_request(
        &self,
        ctx: &RequestContext,
        input: &Value,
        default: usize,
        scope: &str,
    ) -> Result<kit::PageRequest, ServiceError> {
        kit::PageRequest::scoped(
            &self.runtime.token_key,
            &kit::Paging::new(default, "ValidationException"),
            input,
            format!("{}|{}|{}", ctx.account(), ctx.region, scope),
        )
    }
}

kit::operations! { Ivs, "ivs",
    // A STANDARD or BASIC channel's `preset` is "", which the model's enum lacks.
    as_aws_answers: [("*", "preset=\"\"")];
    BatchGetChannel => |s, c, i| s.batch_get(c, i, &channels::SPEC),
    BatchGetStreamKey => |s, c, i| s.batch_get(c, i, &stream_keys::SPEC),
    BatchStartViewerSessionRevocation => Ivs::batch_start_viewer_session_revocation,
    CreateAdConfiguration => Ivs::create_ad_configuration,
    CreateChannel => Ivs::create_channel,
    CreateFailoverSlateConfiguration => Ivs::create_failover_slate_configuration,
    CreatePlaybackRestrictionPolicy => Ivs::create_playback_restriction_policy,
    CreateRecordingConfiguration => Ivs::create_recording_configuration,
    CreateStreamKey => Ivs::create_stream_key,
    DeleteAdConfiguration => |s, c, i| s.delete_one(c, i, &ad_configurations::SPEC),
    DeleteChannel => Ivs::delete_channel,
    DeleteFailoverSlateConfiguration => |s, c, i| s.delete_one(c, i, &failover_slate_configurations::SPEC),
    DeletePlaybackKeyPair => |s, c, i| s.delete_one(c, i, &playback_key_pairs::SPEC),
    DeletePlaybackRestrictionPolicy => |s, c, i| s.delete_one(c, i, &playback_restriction_policies::SPEC),
    DeleteRecordingConfiguration => |s, c, i| s.delete_one(c, i, &recording_configurations::SPEC),
    DeleteStreamKey => |s, c, i| s.delete_one(c, i, &stream_keys::SPEC),
    GetAdConfiguration => |s, c, i| s.get_one(c, i, &ad_configurations::SPEC),
    GetChannel => |s, c, i| s.get_one(c, i, &channels::SPEC),
    GetFailoverSlateConfiguration => |s, c, i| s.get_one(c, i, &failover_slate_configurations::SPEC),
    GetPlaybackKeyPair => |s, c, i| s.get_one(c, i, &playback_key_pairs::SPEC),
    GetPlaybackRestrictionPolicy => |s, c, i| s.get_one(c, i, &playback_restriction_policies::SPEC),
    GetRecordingConfiguration => |s, c, i| s.get_one(c, i, &recording_configurations::SPEC),
    GetStream => Ivs::get_stream,
    GetStreamKey => |s, c, i| s.get_one(c, i, &stream_keys::SPEC),
    GetStreamSession => Ivs::get_stream_session,
    ImportPlaybackKeyPair => Ivs::import_playback_key_pair,
    InsertAdBreak => Ivs::insert_ad_break,
    ListAdConfigurations => |s, c, i| s.list_all(c, i, &ad_configurations::SPEC),
    ListChannels => Ivs::list_channels,
    ListFailoverSlateConfigurations => |s, c, i| s.list_all(c, i, &failover_slate_configurations::SPEC),
    ListPlaybackKeyPairs => |s, c, i| s.list_all(c, i, &playback_key_pairs::SPEC),
    ListPlaybackRestrictionPolicies => |s, c, i| s.list_all(c, i, &playback_restriction_policies::SPEC),
    ListRecordingConfigurations => |s, c, i| s.list_all(c, i, &recording_configurations::SPEC),
    ListStreamKeys => Ivs::list_stream_keys,
    ListStreamSessions => Ivs::list_stream_sessions,
    ListStreams => Ivs::list_streams,
    ListTagsForResource => Ivs::list_tags_for_resource,
    PutMetadata => Ivs::put_metadata,
    StartViewerSessionRevocation => Ivs::start_viewer_session_revocation,
    StopStream => Ivs::stop_stream,
    TagResource => Ivs::tag_resource,
    UntagResource => Ivs::untag_resource,
    UpdateAdConfiguration => |s, c, i| s.update_one(c, i, &ad_configurations::SPEC),
    UpdateChannel => Ivs::update_channel,
    UpdateFailoverSlateConfiguration => |s, c, i| s.update_one(c, i, &failover_slate_configurations::SPEC),
    UpdatePlaybackRestrictionPolicy => |s, c, i| s.update_one(c, i, &playback_restriction_policies::SPEC),
}

impl service::Service for Ivs {
    fn signing_name(&self) -> &'static str {
        "ivs"
    }

    fn authz_spec(&self) -> service::AuthzSpec {
        authz::SPEC
    }

    fn locate(
        &self,
        ctx: &RequestContext,
        query: &mut service::Locate<'_>,
    ) -> Result<(), ServiceError> {
        self.locate_resources(ctx, query)
    }

    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<service::StoredFacts> {
        self.stored_facts(arn)
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        rates::admit(&self.throttle, &self.runtime, ctx, operation, &input)?;
        kit::Operations::dispatch(self, ctx, operation, &input)
    }

    fn handle_output(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<service::Output, ServiceError> {
        match operation {
            "ListChannels" => {
                rates::admit(&self.throttle, &self.runtime, ctx, operation, &input)?;
                self.list_channels_rendered(ctx, &input)
            }
            "GetChannel" => {
                rates::admit(&self.throttle, &self.runtime, ctx, operation, &input)?;
                self.get_channel_rendered(ctx, &input)
            }
            _ => self
                .handle(ctx, operation, input)
                .map(service::Output::from),
        }
    }

    fn admin(
        &self,
        ctx: &RequestContext,
        method: &str,
        path: &str,
        body: Value,
    ) -> Option<Result<Value, ServiceError>> {
        self.admin_request(ctx, method, path, body)
    }

    fn restore(&self, record: &Record) -> Result<(), String> {
        self.restore_record(record)
    }

    fn records(&self) -> Vec<Record> {
        self.all_records()
    }

    fn reset(&self) {
        *self.state.write() = State::default();
    }

    fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        self.validate_import_records(account, records)
    }

    fn reset_account(&self, account: &str) -> Result<(), String> {
        self.forget_account(account);
        Ok(())
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        self.counts()
    }
}

#[cfg(test)]
mod test_support;
