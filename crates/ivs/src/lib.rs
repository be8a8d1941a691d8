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
mod authorization;
mod authz;
mod channels;
mod crud;
mod failover_slate_configurations;
mod input;
mod paging;
mod persistence;
mod playback_key_pairs;
mod playback_restriction_policies;
mod recording_configurations;
mod state;
mod stream_keys;
mod streams;
mod tags;

use input::not_found;
use parking_lot::RwLock;
use serde_json::{Map, Value};
use service::{Access, Record, RequestContext, Runtime, ServiceError};
use state::{Kind, Resource, Session, State};
use std::sync::Arc;

/// The IVS service: its state plus the shared runtime (clock, IDs, token key).
#[derive(Debug)]
pub struct Ivs {
    runtime: Arc<Runtime>,
    state: RwLock<State>,
}

impl Ivs {
    /// A service with empty state.
    pub fn new(runtime: Arc<Runtime>) -> Arc<Ivs> {
        Arc::new(Ivs {
            runtime,
            state: RwLock::new(State::default()),
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
        if !arn.starts_with(&Self::prefix(ctx, kind)) {
            return Err(not_found(arn));
        }
        state.resources.get(arn).ok_or_else(|| not_found(arn))
    }

    /// A resource as the API shows it: its members, its tags and its current lifecycle state.
    fn view(&self, arn: &str, resource: &Resource) -> Value {
        self.view_of(arn, resource, None)
    }

    /// The view restricted to a summary shape's members.
    fn summary(&self, arn: &str, resource: &Resource, members: &[&str]) -> Value {
        self.view_of(arn, resource, Some(members))
    }

    /// The view, of only `members` when given: a page of summaries copies just what it shows.
    fn view_of(&self, arn: &str, resource: &Resource, members: Option<&[&str]>) -> Value {
        let wanted = |k: &str| members.is_none_or(|m| m.contains(&k));
        let mut body: Map<String, Value> = resource
            .body
            .iter()
            .filter(|(k, _)| wanted(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let settle = match Kind::of_arn(arn) {
            Some(Kind::RecordingConfiguration) => Some(("CREATING", "ACTIVE")),
            Some(Kind::FailoverSlateConfiguration) => Some(("CREATING", "CREATED")),
            _ => None,
        };
        if let Some((from, to)) = settle.filter(|_| wanted("state")) {
            let delay = std::time::Duration::from_secs(1);
            if resource.str("state") == from && self.runtime.clock.due(resource.created_at, delay) {
                body.insert("state".into(), Value::from(to));
            }
        }
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

    /// Stores a resource and journals it.
    fn save(&self, ctx: &RequestContext, state: &mut State, arn: &str, resource: Resource) {
        if let Some(kind) = Kind::of_arn(arn) {
            if let Ok(value) = serde_json::to_value(&resource) {
                ctx.journal.put(ctx.account(), kind.arn_type(), arn, value);
            }
        }
        state.put(arn, resource);
    }

    /// Removes a resource and journals the removal.
    fn discard(&self, ctx: &RequestContext, state: &mut State, arn: &str) {
        if let Some(kind) = Kind::of_arn(arn) {
            ctx.journal.delete(ctx.account(), kind.arn_type(), arn);
        }
        state.remove(arn);
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
    ) -> Result<paging::PageRequest, ServiceError> {
        paging::PageRequest::from_input(
            &self.runtime.token_key,
            input,
            default,
            format!("{}|{}|{}", ctx.account(), ctx.region, scope),
        )
    }
}

impl service::Service for Ivs {
    fn signing_name(&self) -> &'static str {
        "ivs"
    }

    fn hand_authorization(&self) -> bool {
        true
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

    fn authorize(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
    ) -> Result<Vec<Access>, ServiceError> {
        self.accesses(ctx, operation, input)
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        let i = &input;
        match operation {
            "CreateChannel" => self.create_channel(ctx, i),
            "GetChannel" => self.get_one(ctx, i, &channels::SPEC),
            "BatchGetChannel" => self.batch_get(ctx, i, &channels::SPEC),
            "ListChannels" => self.list_channels(ctx, i),
            "UpdateChannel" => self.update_channel(ctx, i),
            "DeleteChannel" => self.delete_channel(ctx, i),
            "CreateStreamKey" => self.create_stream_key(ctx, i),
            "GetStreamKey" => self.get_one(ctx, i, &stream_keys::SPEC),
            "BatchGetStreamKey" => self.batch_get(ctx, i, &stream_keys::SPEC),
            "ListStreamKeys" => self.list_stream_keys(ctx, i),
            "DeleteStreamKey" => self.delete_one(ctx, i, &stream_keys::SPEC),
            "ImportPlaybackKeyPair" => self.import_playback_key_pair(ctx, i),
            "GetPlaybackKeyPair" => self.get_one(ctx, i, &playback_key_pairs::SPEC),
            "ListPlaybackKeyPairs" => self.list_all(ctx, i, &playback_key_pairs::SPEC),
            "DeletePlaybackKeyPair" => self.delete_one(ctx, i, &playback_key_pairs::SPEC),
            "CreatePlaybackRestrictionPolicy" => self.create_playback_restriction_policy(ctx, i),
            "GetPlaybackRestrictionPolicy" => {
                self.get_one(ctx, i, &playback_restriction_policies::SPEC)
            }
            "ListPlaybackRestrictionPolicies" => {
                self.list_all(ctx, i, &playback_restriction_policies::SPEC)
            }
            "UpdatePlaybackRestrictionPolicy" => {
                self.update_one(ctx, i, &playback_restriction_policies::SPEC)
            }
            "DeletePlaybackRestrictionPolicy" => {
                self.delete_one(ctx, i, &playback_restriction_policies::SPEC)
            }
            "CreateRecordingConfiguration" => self.create_recording_configuration(ctx, i),
            "GetRecordingConfiguration" => self.get_one(ctx, i, &recording_configurations::SPEC),
            "ListRecordingConfigurations" => self.list_all(ctx, i, &recording_configurations::SPEC),
            "DeleteRecordingConfiguration" => {
                self.delete_one(ctx, i, &recording_configurations::SPEC)
            }
            "CreateAdConfiguration" => self.create_ad_configuration(ctx, i),
            "GetAdConfiguration" => self.get_one(ctx, i, &ad_configurations::SPEC),
            "ListAdConfigurations" => self.list_all(ctx, i, &ad_configurations::SPEC),
            "UpdateAdConfiguration" => self.update_one(ctx, i, &ad_configurations::SPEC),
            "DeleteAdConfiguration" => self.delete_one(ctx, i, &ad_configurations::SPEC),
            "CreateFailoverSlateConfiguration" => self.create_failover_slate_configuration(ctx, i),
            "GetFailoverSlateConfiguration" => {
                self.get_one(ctx, i, &failover_slate_configurations::SPEC)
            }
            "ListFailoverSlateConfigurations" => {
                self.list_all(ctx, i, &failover_slate_configurations::SPEC)
            }
            "UpdateFailoverSlateConfiguration" => {
                self.update_one(ctx, i, &failover_slate_configurations::SPEC)
            }
            "DeleteFailoverSlateConfiguration" => {
                self.delete_one(ctx, i, &failover_slate_configurations::SPEC)
            }
            "GetStream" => self.get_stream(ctx, i),
            "ListStreams" => self.list_streams(ctx, i),
            "GetStreamSession" => self.get_stream_session(ctx, i),
            "ListStreamSessions" => self.list_stream_sessions(ctx, i),
            "StopStream" => self.stop_stream(ctx, i),
            "PutMetadata" => self.put_metadata(ctx, i),
            "InsertAdBreak" => self.insert_ad_break(ctx, i),
            "StartViewerSessionRevocation" => self.start_viewer_session_revocation(ctx, i),
            "BatchStartViewerSessionRevocation" => {
                self.batch_start_viewer_session_revocation(ctx, i)
            }
            "TagResource" => self.tag_resource(ctx, i),
            "UntagResource" => self.untag_resource(ctx, i),
            "ListTagsForResource" => self.list_tags_for_resource(ctx, i),
            other => Err(ServiceError::new(
                "UnknownOperationException",
                format!("ivs has no operation {other}"),
            )
            .with_status(400)),
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

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        self.counts()
    }
}

#[cfg(test)]
mod test_support;
