//! Streams and stream sessions: start and end (admin API), GetStream, ListStreams,
//! GetStreamSession, ListStreamSessions, StopStream, PutMetadata, InsertAdBreak and viewer
//! session revocation.

use crate::channels::WithoutNulls;
use crate::ingest::{ingest_configuration, ingest_configurations, Track};
use crate::input::{
    conflict, not_broadcasting, not_found, opt_epoch, opt_i64, opt_str, req_str, timestamp,
    validation,
};
use crate::state::{Kind, Resource, Session, Snapshot, State, StreamEvent};
use crate::Ivs;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

/// PutMetadata's payload limit (1 KB).
const MAX_METADATA_BYTES: usize = 1024;

/// A stream event as `StreamEvent` shows it.
fn event_view(e: &StreamEvent) -> Value {
    json!({"name": e.name, "type": e.kind, "eventTime": timestamp(e.at)})
}

/// The health values a stream may report.
const HEALTH: &[&str] = &["HEALTHY", "STARVING", "UNKNOWN"];

/// ValidationException unless `health` is one of [`HEALTH`].
fn check_health(health: &str) -> Result<(), ServiceError> {
    if HEALTH.contains(&health) {
        return Ok(());
    }
    Err(validation(format!(
        "health must be one of {}",
        HEALTH.join(", ")
    )))
}

/// The live session of `channel_arn`; ChannelNotBroadcasting when it is offline.
fn live_session<'s>(state: &'s State, channel_arn: &str) -> Result<&'s Session, ServiceError> {
    state
        .live_session(channel_arn)
        .ok_or_else(|| not_broadcasting(channel_arn))
}

impl Ivs {
    /// The channel `arn` if it belongs to `account`, in whatever region its ARN names: the
    /// admin API is not region-scoped, the ARN says where the channel is.
    fn channel_of_account<'s>(
        state: &'s State,
        account: &str,
        arn: &str,
    ) -> Result<&'s Resource, ServiceError> {
        let owner = arn.split(':').nth(4);
        if owner != Some(account) || Kind::of_arn(arn) != Some(Kind::Channel) {
            return Err(not_found(arn));
        }
        state.get(arn).ok_or_else(|| not_found(arn))
    }

    /// Starts a stream on a channel (admin API: nothing ingests RTMP here). The channel needs
    /// a stream key, as a real encoder does.
    pub(crate) fn start_stream(
        &self,
        ctx: &RequestContext,
        channel_arn: &str,
        health: Option<&str>,
    ) -> Result<Value, ServiceError> {
        let health = health.unwrap_or("HEALTHY");
        check_health(health)?;
        let mut state = self.state.write();
        let channel = Self::channel_of_account(&state, ctx.account(), channel_arn)?;
        if state.live.contains(channel_arn) {
            return Err(conflict(format!("Channel: {channel_arn} is already live")));
        }
        if state
            .keys_by_channel
            .get(channel_arn)
            .is_none_or(|k| k.is_empty())
        {
            return Err(validation(format!(
                "Channel: {channel_arn} has no stream key; create one before streaming"
            )));
        }
        let channel_now = Snapshot::of(channel_arn, channel);
        // Linked configurations live in the channel's own account and region.
        let linked = |member: &str, kind: Kind| {
            let arn = channel.str(member);
            state
                .get(arn)
                .filter(|_| Kind::of_arn(arn) == Some(kind))
                .map(|r| Snapshot::of(arn, r))
        };
        let recording = linked("recordingConfigurationArn", Kind::RecordingConfiguration);
        let slate = linked(
            "failoverSlateConfigurationArn",
            Kind::FailoverSlateConfiguration,
        );
        let now = self.runtime.clock.now();
        let mut events = vec![
            StreamEvent::new("Session Created", "IVS Stream State Change", now),
            StreamEvent::new("Stream Start", "IVS Stream State Change", now),
        ];
        if recording.is_some() {
            events.push(StreamEvent::new(
                "Recording Start",
                "IVS Recording State Change",
                now,
            ));
        }
        let session = Session {
            channel_arn: channel_arn.to_string(),
            stream_id: format!("st-{}", self.runtime.ids.alnum(23)),
            start_time: now,
            end_time: None,
            health: health.to_string(),
            viewer_count: 0,
            channel: channel_now,
            recording_configuration: recording,
            failover_slate_configuration: slate,
            events,
        };
        let out = self.stream_view(&session);
        self.save_session(ctx, &mut state, session);
        Ok(out)
    }

    /// Changes the health a live stream reports (admin API).
    pub(crate) fn set_stream_health(
        &self,
        ctx: &RequestContext,
        channel_arn: &str,
        health: &str,
    ) -> Result<Value, ServiceError> {
        check_health(health)?;
        let mut state = self.state.write();
        Self::channel_of_account(&state, ctx.account(), channel_arn)?;
        let mut session = live_session(&state, channel_arn)?.clone();
        session.health = health.to_string();
        let out = self.stream_view(&session);
        self.save_session(ctx, &mut state, session);
        Ok(out)
    }

    /// Ends the live stream of a channel; ChannelNotBroadcasting when there is none.
    pub(crate) fn end_stream(
        &self,
        ctx: &RequestContext,
        state: &mut State,
        channel_arn: &str,
    ) -> Result<Value, ServiceError> {
        Self::channel_of_account(state, ctx.account(), channel_arn)?;
        let mut session = live_session(state, channel_arn)?.clone();
        let now = self.runtime.clock.now().max(session.start_time);
        session.end_time = Some(now);
        if session.recording_configuration.is_some() {
            session.events.push(StreamEvent::new(
                "Recording End",
                "IVS Recording State Change",
                now,
            ));
        }
        session.events.push(StreamEvent::new(
            "Stream End",
            "IVS Stream State Change",
            now,
        ));
        session.events.push(StreamEvent::new(
            "Session Ended",
            "IVS Stream State Change",
            now,
        ));
        let out = self.session_view(&session);
        self.save_session(ctx, state, session);
        Ok(out)
    }

    /// A snapshot as the API shows it (a configuration's state settled on the clock now).
    fn snapshot_view(&self, s: &Snapshot) -> Value {
        self.view(&s.arn, &s.resource)
    }

    /// `Stream`: a live session as GetStream shows it.
    fn stream_view(&self, s: &Session) -> Value {
        let channel = self.snapshot_view(&s.channel);
        json!({
            "channelArn": s.channel_arn,
            "streamId": s.stream_id,
            "playbackUrl": channel.get("playbackUrl").cloned().unwrap_or(Value::Null),
            "startTime": timestamp(s.start_time),
            "state": if s.is_live() { "LIVE" } else { "OFFLINE" },
            "health": s.health,
            "viewerCount": s.viewer_count,
        })
        .without_nulls()
    }

    /// `StreamSession`: everything about one broadcast.
    fn session_view(&self, s: &Session) -> Value {
        let channel = self.snapshot_view(&s.channel);
        let tracks = Track::ladder(&channel);
        json!({
            "streamId": s.stream_id,
            "startTime": timestamp(s.start_time),
            "endTime": s.end_time.map(timestamp),
            "channel": channel,
            "ingestConfiguration": ingest_configuration(&tracks),
            "ingestConfigurations": ingest_configurations(&tracks),
            "recordingConfiguration": s.recording_configuration.as_ref().map(|c| self.snapshot_view(c)),
            "failoverSlateConfiguration": s.failover_slate_configuration.as_ref().map(|c| self.snapshot_view(c)),
            // AWS: "sorted by most recent first", at most 500.
            "truncatedEvents": s.events.iter().rev().take(500).map(event_view).collect::<Vec<_>>(),
        })
        .without_nulls()
    }

    /// GetStream: ChannelNotBroadcasting when the channel is offline.
    pub(crate) fn get_stream(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        let session = live_session(&state, channel_arn)?;
        Ok(json!({"stream": self.stream_view(session)}))
    }

    /// ListStreams: live streams in channel-ARN order, optionally by health.
    pub(crate) fn list_streams(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let health = input.get("filterBy").and_then(|f| opt_str(f, "health"));
        let scope = format!("ListStreams|{}", health.unwrap_or(""));
        let page = self.page_request(ctx, input, 100, &scope)?;
        let state = self.state.read();
        let live: std::collections::BTreeMap<String, &Session> = state
            .live
            .iter()
            .filter_map(|arn| state.live_session(arn).map(|s| (arn.clone(), s)))
            .collect();
        let (items, next) = page.page_map(
            &self.runtime.token_key,
            &live,
            &Self::prefix(ctx, Kind::Channel),
            |_, s| health.is_none_or(|h| s.health == h),
        );
        let streams: Vec<Value> = items
            .into_iter()
            .map(|(_, s)| {
                json!({
                    "channelArn": s.channel_arn,
                    "streamId": s.stream_id,
                    "state": "LIVE",
                    "health": s.health,
                    "viewerCount": s.viewer_count,
                    "startTime": timestamp(s.start_time),
                })
            })
            .collect();
        Ok(json!({"streams": streams, "nextToken": next}).without_nulls())
    }

    /// GetStreamSession: the latest session when `streamId` is omitted.
    pub(crate) fn get_stream_session(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        let sessions = state
            .sessions
            .get(channel_arn)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let session = match opt_str(input, "streamId") {
            Some(id) => sessions
                .iter()
                .find(|s| s.stream_id == id)
                .ok_or_else(|| not_found(id))?,
            None => sessions.last().ok_or_else(|| {
                ServiceError::new(
                    "ResourceNotFoundException",
                    format!("Channel: {channel_arn} has no stream sessions"),
                )
            })?,
        };
        Ok(json!({"streamSession": self.session_view(session)}))
    }

    /// ListStreamSessions: newest first.
    pub(crate) fn list_stream_sessions(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let page = self.page_request(
            ctx,
            input,
            100,
            &format!("ListStreamSessions|{channel_arn}"),
        )?;
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        // Newest first; the sort key makes later sessions sort earlier.
        let ordered: std::collections::BTreeMap<String, &Session> = state
            .sessions
            .get(channel_arn)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, s)| (format!("{:020}", u64::MAX - i as u64), s))
            .collect();
        let (items, next) = page.page_map(&self.runtime.token_key, &ordered, "", |_, _| true);
        let sessions: Vec<Value> = items
            .into_iter()
            .map(|(_, s)| {
                json!({
                    "streamId": s.stream_id,
                    "startTime": timestamp(s.start_time),
                    "endTime": s.end_time.map(timestamp),
                    "hasErrorEvent": false,
                })
                .without_nulls()
            })
            .collect();
        Ok(json!({"streamSessions": sessions, "nextToken": next}).without_nulls())
    }

    /// StopStream: disconnects the stream. Like AWS, it does not revoke the stream key: the
    /// channel can stream again until its key is deleted.
    pub(crate) fn stop_stream(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let mut state = self.state.write();
        Self::require_channel(&state, ctx, channel_arn)?;
        self.end_stream(ctx, &mut state, channel_arn)?;
        Ok(json!({}))
    }

    /// PutMetadata: at most 1 KB into a live stream.
    pub(crate) fn put_metadata(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let metadata = req_str(input, "metadata")?;
        if metadata.is_empty() || metadata.len() > MAX_METADATA_BYTES {
            return Err(validation(format!(
                "metadata must be between 1 and {MAX_METADATA_BYTES} bytes"
            )));
        }
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        live_session(&state, channel_arn)?;
        Ok(json!({}))
    }

    /// InsertAdBreak: needs a live stream and an ad configuration on the channel.
    pub(crate) fn insert_ad_break(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let duration = opt_i64(input, "durationSeconds").unwrap_or(0);
        if !(1..=300).contains(&duration) {
            return Err(validation("durationSeconds must be between 1 and 300"));
        }
        let state = self.state.read();
        let channel = Self::require_channel(&state, ctx, channel_arn)?;
        if channel.str("adConfigurationArn").is_empty() {
            return Err(conflict(format!(
                "Channel: {channel_arn} has no ad configuration"
            )));
        }
        live_session(&state, channel_arn)?;
        let id = opt_str(input, "adBreakId")
            .map(str::to_string)
            .unwrap_or_else(|| self.runtime.ids.alnum(12));
        let at = opt_epoch(input, "targetStartAt").unwrap_or_else(|| self.runtime.clock.now());
        Ok(json!({"adBreakId": id, "targetStartAt": timestamp(at)}))
    }

    /// StartViewerSessionRevocation: the channel must exist.
    pub(crate) fn start_viewer_session_revocation(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let channel_arn = req_str(input, "channelArn")?;
        let viewer = req_str(input, "viewerId")?;
        if viewer.is_empty() || viewer.chars().count() > 40 {
            return Err(validation("viewerId must be between 1 and 40 characters"));
        }
        let state = self.state.read();
        Self::require_channel(&state, ctx, channel_arn)?;
        Ok(json!({}))
    }

    /// BatchStartViewerSessionRevocation: an error entry per session that cannot be revoked,
    /// AWS's `"403"` / `not authorized` for one on a channel the caller may not revoke on.
    pub(crate) fn batch_start_viewer_session_revocation(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let mut errors = Vec::new();
        let sessions = input.get("viewerSessions").and_then(Value::as_array);
        for s in sessions.into_iter().flatten() {
            let channel = opt_str(s, "channelArn").unwrap_or("");
            let refusal = if ctx.refused.iter().any(|r| r == channel) {
                Some(("403".to_string(), "not authorized".to_string()))
            } else {
                self.start_viewer_session_revocation(ctx, s)
                    .err()
                    .map(|e| (e.code, e.message))
            };
            if let Some((code, message)) = refusal {
                errors.push(json!({
                    "channelArn": channel,
                    "viewerId": opt_str(s, "viewerId").unwrap_or(""),
                    "code": code,
                    "message": message,
                }));
            }
        }
        Ok(json!({ "errors": errors }))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;

    #[test]
    fn session_reports_ingest_configurations_of_every_track() {
        let ivs = ivs();
        let plain = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let multi = ok(
            &ivs,
            "CreateChannel",
            json!({"containerFormat": "FRAGMENTED_MP4", "multitrackInputConfiguration":
                {"enabled": true, "policy": "ALLOW", "maximumResolution": "FULL_HD"}}),
        );
        let multi = s(&multi, "/channel/arn");
        for arn in [&plain, &multi] {
            admin(&ivs, json!({"channelArn": arn, "action": "start"})).unwrap();
        }
        let one = ok(&ivs, "GetStreamSession", json!({ "channelArn": plain }));
        let one = &one["streamSession"];
        let videos = one["ingestConfigurations"]["videoConfigurations"]
            .as_array()
            .unwrap();
        assert_eq!(videos.len(), 1);
        assert_eq!(videos[0]["track"], "Track0");
        assert_eq!(
            one["ingestConfigurations"]["audioConfigurations"][0]["track"],
            "Track0"
        );
        assert_eq!(one["ingestConfiguration"]["video"]["track"], "Track0");
        let all = ok(&ivs, "GetStreamSession", json!({ "channelArn": multi }));
        let all = &all["streamSession"];
        let tracks: Vec<&str> = all["ingestConfigurations"]["videoConfigurations"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v["track"].as_str())
            .collect();
        assert_eq!(tracks, ["Track0", "Track1", "Track2"]);
        assert_eq!(all["ingestConfiguration"]["video"]["track"], "Track0");
        assert_eq!(all["ingestConfiguration"]["video"]["videoHeight"], 1080);
    }

    #[test]
    fn start_get_metadata_stop() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({}));
        let arn = s(&out, "/channel/arn");
        let e = err(
            &ivs,
            "GetStream",
            json!({ "channelArn": arn }),
            "ChannelNotBroadcasting",
        );
        assert_eq!(e, format!("Channel: {arn} is not currently online"));
        err(
            &ivs,
            "PutMetadata",
            json!({"channelArn": arn, "metadata": "x"}),
            "ChannelNotBroadcasting",
        );
        let started = admin(&ivs, json!({"channelArn": arn, "action": "start"})).unwrap();
        let id = s(&started, "/stream/streamId");
        assert_eq!(id.len(), 26);
        assert!(id.starts_with("st-"));
        assert_eq!(
            admin(&ivs, json!({"channelArn": arn, "action": "start"}))
                .unwrap_err()
                .code,
            "ConflictException"
        );
        let got = ok(&ivs, "GetStream", json!({ "channelArn": arn }));
        assert_eq!(got["stream"]["state"], "LIVE");
        assert_eq!(got["stream"]["health"], "HEALTHY");
        assert_eq!(got["stream"]["viewerCount"], 0);
        assert_eq!(got["stream"]["playbackUrl"], out["channel"]["playbackUrl"]);
        ok(
            &ivs,
            "PutMetadata",
            json!({"channelArn": arn, "metadata": "hello"}),
        );
        err(
            &ivs,
            "PutMetadata",
            json!({"channelArn": arn, "metadata": "x".repeat(1025)}),
            "ValidationException",
        );
        let session = ok(&ivs, "GetStreamSession", json!({ "channelArn": arn }));
        assert_eq!(session["streamSession"]["streamId"], id.as_str());
        assert!(session["streamSession"].get("endTime").is_none());
        assert_eq!(session["streamSession"]["channel"]["arn"], arn.as_str());
        ok(&ivs, "StopStream", json!({ "channelArn": arn }));
        err(
            &ivs,
            "StopStream",
            json!({ "channelArn": arn }),
            "ChannelNotBroadcasting",
        );
        err(
            &ivs,
            "GetStream",
            json!({ "channelArn": arn }),
            "ChannelNotBroadcasting",
        );
        let session = ok(
            &ivs,
            "GetStreamSession",
            json!({"channelArn": arn, "streamId": id}),
        );
        assert!(session["streamSession"]["endTime"].is_string());
        let names: Vec<&str> = session["streamSession"]["truncatedEvents"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Session Ended",
                "Stream End",
                "Stream Start",
                "Session Created"
            ]
        );
        // StopStream does not revoke the key: the channel can stream again.
        admin(&ivs, json!({"channelArn": arn, "action": "start"})).unwrap();
        let sessions = ok(&ivs, "ListStreamSessions", json!({ "channelArn": arn }));
        let list = sessions["streamSessions"].as_array().unwrap();
        assert_eq!(list.len(), 2);
        assert_ne!(list[0]["streamId"], id.as_str(), "newest first");
        assert_eq!(list[1]["streamId"], id.as_str());
        admin(&ivs, json!({"channelArn": arn, "action": "end"})).unwrap();
    }

    #[test]
    fn admin_finds_the_channel_by_its_arn_whatever_the_context_region() {
        let ivs = ivs();
        let arn = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let east = service::RequestContext::new(
            "req",
            std::sync::Arc::new(service::Principal::root("000000000000", "test")),
            "us-east-1",
        );
        admin_as(&ivs, &east, json!({"channelArn": arn, "action": "start"})).unwrap();
        assert_eq!(east.journal.take().len(), 1);
        ok(&ivs, "GetStream", json!({ "channelArn": arn }));
        // Another account's channel is not found.
        let e = admin_as(
            &ivs,
            &other_ctx(),
            json!({"channelArn": arn, "action": "end"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "ResourceNotFoundException");
    }

    #[test]
    fn deleting_the_key_prevents_streaming() {
        let ivs = ivs();
        let out = ok(&ivs, "CreateChannel", json!({}));
        ok(
            &ivs,
            "DeleteStreamKey",
            json!({"arn": s(&out, "/streamKey/arn")}),
        );
        let e = admin(
            &ivs,
            json!({"channelArn": s(&out, "/channel/arn"), "action": "start"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "ValidationException");
    }

    #[test]
    fn list_streams_filters_by_health_and_pages() {
        let ivs = ivs();
        let mut arns = Vec::new();
        for i in 0..5 {
            let arn = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
            let health = if i % 2 == 0 { "HEALTHY" } else { "STARVING" };
            admin(
                &ivs,
                json!({"channelArn": arn, "action": "start", "health": health}),
            )
            .unwrap();
            arns.push(arn);
        }
        ok(&ivs, "CreateChannel", json!({}));
        let all = ok(&ivs, "ListStreams", json!({}));
        assert_eq!(all["streams"].as_array().unwrap().len(), 5);
        let starving = ok(
            &ivs,
            "ListStreams",
            json!({"filterBy": {"health": "STARVING"}}),
        );
        assert_eq!(starving["streams"].as_array().unwrap().len(), 2);
        let page = ok(&ivs, "ListStreams", json!({"maxResults": 3}));
        assert_eq!(page["streams"].as_array().unwrap().len(), 3);
        let rest = ok(
            &ivs,
            "ListStreams",
            json!({"maxResults": 3, "nextToken": page["nextToken"]}),
        );
        assert_eq!(rest["streams"].as_array().unwrap().len(), 2);
        assert!(rest.get("nextToken").is_none());
        admin(
            &ivs,
            json!({"channelArn": arns[1], "action": "health", "health": "HEALTHY"}),
        )
        .unwrap();
        let starving = ok(
            &ivs,
            "ListStreams",
            json!({"filterBy": {"health": "STARVING"}}),
        );
        assert_eq!(starving["streams"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn ad_breaks_need_an_ad_configuration_and_a_live_stream() {
        let ivs = ivs();
        let plain = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        err(
            &ivs,
            "InsertAdBreak",
            json!({"channelArn": plain, "durationSeconds": 30}),
            "ConflictException",
        );
        let ad = ok(
            &ivs,
            "CreateAdConfiguration",
            json!({"mediaTailorPlaybackConfigurations": [{"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:000000000000:playbackConfiguration/x"}]}),
        );
        let ch = s(
            &ok(
                &ivs,
                "CreateChannel",
                json!({"adConfigurationArn": s(&ad, "/adConfiguration/arn")}),
            ),
            "/channel/arn",
        );
        err(
            &ivs,
            "InsertAdBreak",
            json!({"channelArn": ch, "durationSeconds": 30}),
            "ChannelNotBroadcasting",
        );
        admin(&ivs, json!({"channelArn": ch, "action": "start"})).unwrap();
        let out = ok(
            &ivs,
            "InsertAdBreak",
            json!({"channelArn": ch, "durationSeconds": 30, "adBreakId": "abcdefABCDEF"}),
        );
        assert_eq!(out["adBreakId"], "abcdefABCDEF");
        assert!(out["targetStartAt"].is_string());
    }

    #[test]
    fn viewer_session_revocation() {
        let ivs = ivs();
        let ch = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        ok(
            &ivs,
            "StartViewerSessionRevocation",
            json!({"channelArn": ch, "viewerId": "v1"}),
        );
        let missing = "arn:aws:ivs:us-west-2:000000000000:channel/none";
        err(
            &ivs,
            "StartViewerSessionRevocation",
            json!({"channelArn": missing, "viewerId": "v1"}),
            "ResourceNotFoundException",
        );
        let out = ok(
            &ivs,
            "BatchStartViewerSessionRevocation",
            json!({"viewerSessions": [
                {"channelArn": ch, "viewerId": "v1"},
                {"channelArn": missing, "viewerId": "v2"}
            ]}),
        );
        assert_eq!(out["errors"].as_array().unwrap().len(), 1);
        assert_eq!(out["errors"][0]["viewerId"], "v2");
        assert_eq!(out["errors"][0]["code"], "ResourceNotFoundException");
    }

    #[test]
    fn a_revocation_on_a_refused_channel_answers_403_for_that_item_only() {
        let ivs = ivs();
        let ch = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let other = s(&ok(&ivs, "CreateChannel", json!({})), "/channel/arn");
        let mut c = ctx();
        c.refused.push(other.clone());
        let out = ivs
            .handle(
                &c,
                "BatchStartViewerSessionRevocation",
                json!({"viewerSessions": [
                    {"channelArn": ch, "viewerId": "v1"},
                    {"channelArn": other, "viewerId": "v2"}
                ]}),
            )
            .unwrap();
        assert_eq!(
            out["errors"],
            json!([{"channelArn": other, "viewerId": "v2", "code": "403",
                    "message": "not authorized"}])
        );
    }

    #[test]
    fn admin_ignores_other_paths_and_rejects_bad_actions() {
        let ivs = ivs();
        assert!(ivs.admin(&ctx(), "POST", "other", json!({})).is_none());
        let e = admin(&ivs, json!({"channelArn": "x", "action": "dance"})).unwrap_err();
        assert_eq!(e.code, "ValidationException");
    }
}
