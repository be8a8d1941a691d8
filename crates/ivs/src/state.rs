//! In-memory IVS state: every resource of every account and region in one ARN-keyed map, so
//! a get is O(log n) and a listing is a range scan over `arn:aws:ivs:REGION:ACCOUNT:TYPE/`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The resource families IVS low-latency streaming has, in ARN-type order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `channel/ID`.
    Channel,
    /// `stream-key/ID`.
    StreamKey,
    /// `playback-key/ID`.
    PlaybackKeyPair,
    /// `playback-restriction-policy/ID`.
    PlaybackRestrictionPolicy,
    /// `recording-configuration/ID`.
    RecordingConfiguration,
    /// `ad-configuration/ID`.
    AdConfiguration,
    /// `failover-slate-configuration/ID`.
    FailoverSlateConfiguration,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 7] = [
        Kind::Channel,
        Kind::StreamKey,
        Kind::PlaybackKeyPair,
        Kind::PlaybackRestrictionPolicy,
        Kind::RecordingConfiguration,
        Kind::AdConfiguration,
        Kind::FailoverSlateConfiguration,
    ];

    /// The resource-type segment of its ARN (also its journal table name).
    pub fn arn_type(self) -> &'static str {
        match self {
            Kind::Channel => "channel",
            Kind::StreamKey => "stream-key",
            Kind::PlaybackKeyPair => "playback-key",
            Kind::PlaybackRestrictionPolicy => "playback-restriction-policy",
            Kind::RecordingConfiguration => "recording-configuration",
            Kind::AdConfiguration => "ad-configuration",
            Kind::FailoverSlateConfiguration => "failover-slate-configuration",
        }
    }

    /// The kind a journal table or ARN type names.
    pub fn from_arn_type(t: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.arn_type() == t)
    }

    /// The kind of an IVS ARN, if it names one we store.
    pub fn of_arn(arn: &str) -> Option<Kind> {
        let resource = arn.splitn(6, ':').nth(5)?;
        let (t, id) = resource.split_once('/')?;
        if id.is_empty() {
            return None;
        }
        Kind::from_arn_type(t)
    }
}

/// One stored resource: its output-shape members (without `tags`), its tags and when it was
/// created on the lifecycle clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Output-shape members, by member name.
    pub body: Map<String, Value>,
    /// The resource's tags.
    pub tags: BTreeMap<String, String>,
    /// Lifecycle time of creation (CREATING → ACTIVE transitions count from it).
    pub created_at: f64,
}

impl Resource {
    /// A string member of the body, or "".
    pub fn str(&self, member: &str) -> &str {
        self.body.get(member).and_then(Value::as_str).unwrap_or("")
    }
}

/// One broadcast on a channel, from start to end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The channel it streams to.
    pub channel_arn: String,
    /// `st-` + 23 alphanumerics.
    pub stream_id: String,
    /// Wall-clock start, epoch seconds.
    pub start_time: f64,
    /// Wall-clock end, once ended.
    pub end_time: Option<f64>,
    /// HEALTHY, STARVING or UNKNOWN.
    pub health: String,
    /// Current viewers (always 0: nobody watches a mock).
    pub viewer_count: i64,
    /// The channel as it was when the stream started.
    pub channel: Value,
    /// The recording configuration in force, if the channel records.
    pub recording_configuration: Option<Value>,
    /// The failover slate configuration in force, if any.
    pub failover_slate_configuration: Option<Value>,
    /// Stream events (`Session Created`, `Stream Start`, …), oldest first.
    pub events: Vec<Value>,
}

impl Session {
    /// The journal key: unique across channels.
    pub fn key(&self) -> String {
        format!("{}#{}", self.channel_arn, self.stream_id)
    }

    /// Whether the stream is still live.
    pub fn is_live(&self) -> bool {
        self.end_time.is_none()
    }
}

/// Everything the service remembers.
#[derive(Debug, Default)]
pub struct State {
    /// Every resource, keyed by ARN.
    pub resources: BTreeMap<String, Resource>,
    /// Stream-key ARNs by channel ARN.
    pub keys_by_channel: BTreeMap<String, BTreeSet<String>>,
    /// Stream sessions by channel ARN, oldest first.
    pub sessions: BTreeMap<String, Vec<Session>>,
    /// Channels that are live now.
    pub live: BTreeSet<String>,
}

impl State {
    /// Stores (or replaces) a resource, keeping the stream-key index current.
    pub fn put(&mut self, arn: &str, resource: Resource) {
        if Kind::of_arn(arn) == Some(Kind::StreamKey) {
            let channel = resource.str("channelArn").to_string();
            self.keys_by_channel
                .entry(channel)
                .or_default()
                .insert(arn.to_string());
        }
        self.resources.insert(arn.to_string(), resource);
    }

    /// Removes a resource, keeping the stream-key index current.
    pub fn remove(&mut self, arn: &str) -> Option<Resource> {
        let removed = self.resources.remove(arn)?;
        if Kind::of_arn(arn) == Some(Kind::StreamKey) {
            let channel = removed.str("channelArn");
            if let Some(keys) = self.keys_by_channel.get_mut(channel) {
                keys.remove(arn);
                if keys.is_empty() {
                    self.keys_by_channel.remove(channel);
                }
            }
        }
        Some(removed)
    }

    /// Stores (or replaces, by stream ID) a session and updates the live set.
    pub fn put_session(&mut self, session: Session) {
        let channel = session.channel_arn.clone();
        if session.is_live() {
            self.live.insert(channel.clone());
        }
        let list = self.sessions.entry(channel.clone()).or_default();
        match list.iter_mut().find(|s| s.stream_id == session.stream_id) {
            Some(existing) => *existing = session,
            None => {
                list.push(session);
                list.sort_by(|a, b| a.start_time.total_cmp(&b.start_time));
            }
        }
        if !list.iter().any(Session::is_live) {
            self.live.remove(&channel);
        }
    }

    /// Removes one session by its journal key.
    pub fn remove_session(&mut self, key: &str) {
        let Some((channel, stream_id)) = key.rsplit_once('#') else {
            return;
        };
        if let Some(list) = self.sessions.get_mut(channel) {
            list.retain(|s| s.stream_id != stream_id);
            if !list.iter().any(Session::is_live) {
                self.live.remove(channel);
            }
            if list.is_empty() {
                self.sessions.remove(channel);
            }
        }
    }

    /// The live session of a channel.
    pub fn live_session(&self, channel_arn: &str) -> Option<&Session> {
        self.sessions
            .get(channel_arn)?
            .iter()
            .rev()
            .find(|s| s.is_live())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_of_arn_reads_the_type_segment() {
        assert_eq!(
            Kind::of_arn("arn:aws:ivs:us-west-2:000000000000:channel/abc"),
            Some(Kind::Channel)
        );
        assert_eq!(
            Kind::of_arn("arn:aws:ivs:us-west-2:000000000000:playback-key/abc"),
            Some(Kind::PlaybackKeyPair)
        );
        assert_eq!(Kind::of_arn("arn:aws:ivs:us-west-2:0:stage/abc"), None);
        assert_eq!(Kind::of_arn("arn:aws:ivs:us-west-2:0:channel/"), None);
        assert_eq!(Kind::of_arn("nonsense"), None);
    }

    #[test]
    fn stream_key_index_follows_puts_and_removes() {
        let mut s = State::default();
        let mut body = Map::new();
        body.insert("channelArn".into(), Value::from("c1"));
        let key = Resource {
            body,
            tags: BTreeMap::new(),
            created_at: 0.0,
        };
        s.put("arn:aws:ivs:r:1:stream-key/k", key);
        assert_eq!(s.keys_by_channel["c1"].len(), 1);
        s.remove("arn:aws:ivs:r:1:stream-key/k");
        assert!(s.keys_by_channel.is_empty());
    }
}
