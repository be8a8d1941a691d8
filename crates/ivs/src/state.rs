//! In-memory IVS state: a kit store per resource type (O(1) gets, pages in ARN order per
//! account and region), the channel → stream-key index, and stream sessions.

use kit::{Store, Stored};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use service::{Journal, Record};
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

    /// Its place in [`Kind::ALL`].
    fn index(self) -> usize {
        Kind::ALL.iter().position(|k| *k == self).unwrap_or(0)
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

/// One stored resource: its output-shape members (without `tags`) and when it was created on
/// the lifecycle clock; the store keeps its tags beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// Output-shape members, by member name.
    pub body: Map<String, Value>,
    /// Lifecycle time of creation (CREATING → ACTIVE transitions count from it).
    pub created_at: f64,
}

impl Body {
    /// A string member of the body, or "".
    pub fn str(&self, member: &str) -> &str {
        self.body.get(member).and_then(Value::as_str).unwrap_or("")
    }
}

/// A stored IVS resource: its body and its tags.
pub type Resource = Stored<Body>;

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
#[derive(Debug)]
pub struct State {
    /// One store per kind, in [`Kind::ALL`] order.
    stores: Vec<Store<Body>>,
    /// Stream-key ARNs by channel ARN.
    pub keys_by_channel: BTreeMap<String, BTreeSet<String>>,
    /// Stream sessions by channel ARN, oldest first.
    pub sessions: BTreeMap<String, Vec<Session>>,
    /// Channels that are live now.
    pub live: BTreeSet<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            stores: Kind::ALL.iter().map(|k| Store::new(k.arn_type())).collect(),
            keys_by_channel: BTreeMap::new(),
            sessions: BTreeMap::new(),
            live: BTreeSet::new(),
        }
    }
}

impl State {
    /// The store of `kind`.
    pub fn store(&self, kind: Kind) -> &Store<Body> {
        &self.stores[kind.index()]
    }

    /// The resource `arn`, of any kind and owner (callers check ownership with
    /// [`Store::get_in`]).
    pub fn get(&self, arn: &str) -> Option<&Resource> {
        self.store(Kind::of_arn(arn)?).get(arn)
    }

    /// Stores (or replaces) a resource and journals it, keeping the stream-key index current.
    pub fn put(&mut self, journal: &Journal, arn: &str, resource: Resource) {
        let Some(kind) = Kind::of_arn(arn) else {
            return;
        };
        if kind == Kind::StreamKey {
            self.index_key(arn, resource.str("channelArn"));
        }
        self.stores[kind.index()].put(journal, arn, resource);
    }

    fn index_key(&mut self, arn: &str, channel: &str) {
        self.keys_by_channel
            .entry(channel.to_string())
            .or_default()
            .insert(arn.to_string());
    }

    fn unindex_key(&mut self, arn: &str, channel: &str) {
        if let Some(keys) = self.keys_by_channel.get_mut(channel) {
            keys.remove(arn);
            if keys.is_empty() {
                self.keys_by_channel.remove(channel);
            }
        }
    }

    /// Removes a resource and journals it, keeping the stream-key index current.
    pub fn remove(&mut self, journal: &Journal, arn: &str) -> Option<Resource> {
        let kind = Kind::of_arn(arn)?;
        let removed = self.stores[kind.index()].remove(journal, arn)?;
        if kind == Kind::StreamKey {
            self.unindex_key(arn, removed.str("channelArn"));
        }
        Some(removed)
    }

    /// Re-applies a resource record (its table is the kind's ARN type).
    pub fn restore(&mut self, record: &Record) -> Result<(), String> {
        let kind = Kind::from_arn_type(&record.table)
            .ok_or(format!("ivs has no table {}", record.table))?;
        if kind == Kind::StreamKey {
            if let Some(old) = self
                .get(&record.key)
                .map(|r| r.str("channelArn").to_string())
            {
                self.unindex_key(&record.key, &old);
            }
        }
        self.stores[kind.index()].restore(record)?;
        if kind == Kind::StreamKey {
            if let Some(channel) = self
                .get(&record.key)
                .map(|r| r.str("channelArn").to_string())
            {
                self.index_key(&record.key, &channel);
            }
        }
        Ok(())
    }

    /// Every resource as a record, kind by kind.
    pub fn records(&self) -> Vec<Record> {
        self.stores.iter().flat_map(Store::records).collect()
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
    fn stream_key_index_follows_puts_removes_and_restores() {
        let mut s = State::default();
        let journal = Journal::default();
        let mut body = Map::new();
        body.insert("channelArn".into(), Value::from("c1"));
        let key = Resource::new(
            Body {
                body,
                created_at: 0.0,
            },
            BTreeMap::new(),
        );
        s.put(&journal, "arn:aws:ivs:r:1:stream-key/k", key);
        assert_eq!(s.keys_by_channel["c1"].len(), 1);
        s.remove(&journal, "arn:aws:ivs:r:1:stream-key/k");
        assert!(s.keys_by_channel.is_empty());
        let mut replica = State::default();
        for (_, r) in journal.take() {
            replica.restore(&r).unwrap();
            if r.value.is_some() {
                assert_eq!(replica.keys_by_channel["c1"].len(), 1);
            }
        }
        assert!(replica.keys_by_channel.is_empty());
        assert!(replica.records().is_empty());
    }
}
