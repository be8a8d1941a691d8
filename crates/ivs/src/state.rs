//! In-memory IVS state: a kit store per resource type (O(1) gets, pages in ARN order per
//! account and region), the channel → stream-key index, and stream sessions.

use kit::{Store, Stored};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use service::{Journal, Record};
use crate::typed::{Channel, StreamKey};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

/// The stored body of a resource kind not yet typed: its output-shape members (without
/// `tags`) and when it was created on the lifecycle clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fields {
    /// Output-shape members, by member name.
    pub body: Map<String, Value>,
    /// Lifecycle time of creation (CREATING → ACTIVE transitions count from it).
    pub created_at: f64,
}

/// One stored resource's body: typed for channels and stream keys (boxed: the store's entry
/// stays the size of a stream key), output-shape members for the other kinds. Untagged: each
/// variant serializes as its own members, and a record deserializes into the variant whose
/// required members it has ([`State::restore`] then checks it against the record's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Body {
    /// A stream key.
    StreamKey(StreamKey),
    /// A channel.
    Channel(Box<Channel>),
    /// Any other kind.
    Fields(Box<Fields>),
}

impl Body {
    /// A string member of the body by its model name, or "".
    pub fn str(&self, member: &str) -> &str {
        match self {
            Body::StreamKey(k) => k.member(member),
            Body::Channel(c) => c.member(member),
            Body::Fields(f) => f.body.get(member).and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The channel, if it is one.
    pub fn channel(&self) -> Option<&Channel> {
        match self {
            Body::Channel(c) => Some(c),
            _ => None,
        }
    }

    /// The channel, if it is one, to change.
    pub fn channel_mut(&mut self) -> Option<&mut Channel> {
        match self {
            Body::Channel(c) => Some(c),
            _ => None,
        }
    }

    /// The stream key, if it is one.
    pub fn stream_key(&self) -> Option<&StreamKey> {
        match self {
            Body::StreamKey(k) => Some(k),
            _ => None,
        }
    }

    /// The member map of an untyped kind.
    pub fn fields(&self) -> Option<&Fields> {
        match self {
            Body::Fields(f) => Some(f),
            _ => None,
        }
    }

    /// The member map of an untyped kind, to change.
    pub fn fields_mut(&mut self) -> Option<&mut Fields> {
        match self {
            Body::Fields(f) => Some(f),
            _ => None,
        }
    }

    /// Whether the body is of the representation `kind` is stored in.
    fn fits(&self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (Body::StreamKey(_), Kind::StreamKey)
                | (Body::Channel(_), Kind::Channel)
                | (
                    Body::Fields(_),
                    Kind::PlaybackKeyPair
                        | Kind::PlaybackRestrictionPolicy
                        | Kind::RecordingConfiguration
                        | Kind::AdConfiguration
                        | Kind::FailoverSlateConfiguration
                )
        )
    }

    /// The body a record of `kind` holds, converting records written before channels and
    /// stream keys were typed (`{"body": {members}, "created_at"}`).
    pub fn for_kind(self, kind: Kind) -> Result<Body, String> {
        if self.fits(kind) {
            return Ok(self);
        }
        let Body::Fields(f) = self else {
            return Err(format!("not a {} body", kind.arn_type()));
        };
        let members = Value::Object(f.body);
        let typed = match kind {
            Kind::Channel => serde_json::from_value(members).map(|c| Body::Channel(Box::new(c))),
            Kind::StreamKey => serde_json::from_value(members).map(Body::StreamKey),
            _ => return Err(format!("not a {} body", kind.arn_type())),
        };
        typed.map_err(|e| format!("bad {} body: {e}", kind.arn_type()))
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
    pub keys_by_channel: BTreeMap<Arc<str>, Vec<Arc<str>>>,
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
    /// A stream key's channel ARN is replaced by the channel store's own copy.
    pub fn put(&mut self, journal: &Journal, arn: &str, mut resource: Resource) {
        let Some(kind) = Kind::of_arn(arn) else {
            return;
        };
        if let Body::StreamKey(k) = &mut resource.value {
            self.share_channel_arn(k);
        }
        self.stores[kind.index()].put(journal, arn, resource);
        if kind == Kind::StreamKey {
            self.index_key(arn);
        }
    }

    /// Points a stream key at the channel store's copy of its channel's ARN.
    fn share_channel_arn(&self, key: &mut StreamKey) {
        if let Some(shared) = self.store(Kind::Channel).key(&key.channel_arn) {
            key.channel_arn = shared;
        }
    }

    /// Files the stored stream key `arn` under its channel.
    fn index_key(&mut self, arn: &str) {
        let store = &self.stores[Kind::StreamKey.index()];
        let (Some(key_arn), Some(channel)) = (
            store.key(arn),
            store
                .get(arn)
                .and_then(|r| r.stream_key())
                .map(|k| k.channel_arn.clone()),
        ) else {
            return;
        };
        let keys = self.keys_by_channel.entry(channel).or_default();
        if !keys.contains(&key_arn) {
            keys.push(key_arn);
            keys.sort();
        }
    }

    /// Takes the stored stream key `arn` out of its channel's list.
    fn unindex_key(&mut self, arn: &str) {
        let Some(channel) = self
            .get(arn)
            .and_then(|r| r.stream_key())
            .map(|k| k.channel_arn.clone())
        else {
            return;
        };
        if let Some(keys) = self.keys_by_channel.get_mut(&channel) {
            keys.retain(|k| &**k != arn);
            if keys.is_empty() {
                self.keys_by_channel.remove(&channel);
            }
        }
    }

    /// Removes a resource and journals it, keeping the stream-key index current.
    pub fn remove(&mut self, journal: &Journal, arn: &str) -> Option<Resource> {
        let kind = Kind::of_arn(arn)?;
        if kind == Kind::StreamKey {
            self.unindex_key(arn);
        }
        self.stores[kind.index()].remove(journal, arn)
    }

    /// Re-applies a resource record (its table is the kind's ARN type); records of channels
    /// and stream keys written before they were typed are converted.
    pub fn restore(&mut self, record: &Record) -> Result<(), String> {
        let kind = Kind::from_arn_type(&record.table)
            .ok_or(format!("ivs has no table {}", record.table))?;
        if kind == Kind::StreamKey {
            self.unindex_key(&record.key);
        }
        // Channels are the first store: a stream key's conversion reads them while its own
        // store is restored.
        let (channels, others) = self.stores.split_at_mut(1);
        let channels = &mut channels[0];
        if kind == Kind::Channel {
            channels.restore_with(record, |mut stored| {
                stored.value = stored.value.for_kind(kind)?;
                Ok(stored)
            })?;
        } else {
            others[kind.index() - 1].restore_with(record, |mut stored| {
                stored.value = stored.value.for_kind(kind)?;
                if let Body::StreamKey(k) = &mut stored.value {
                    if let Some(shared) = channels.key(&k.channel_arn) {
                        k.channel_arn = shared;
                    }
                }
                Ok(stored)
            })?;
        }
        if kind == Kind::StreamKey {
            self.index_key(&record.key);
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

    fn key_to(channel: &str) -> Resource {
        let key = StreamKey {
            value: "sk_x".into(),
            channel_arn: Arc::from(channel),
        };
        Resource::new(Body::StreamKey(key), BTreeMap::new())
    }

    #[test]
    fn stream_key_index_follows_puts_removes_and_restores() {
        let mut s = State::default();
        let journal = Journal::default();
        let channel = "arn:aws:ivs:r:1:channel/c1";
        let channel_body = Body::Channel(Box::new(Channel::new("p".into())));
        s.put(
            &journal,
            channel,
            Resource::new(channel_body, BTreeMap::new()),
        );
        s.put(&journal, "arn:aws:ivs:r:1:stream-key/k", key_to(channel));
        assert_eq!(s.keys_by_channel[channel].len(), 1);
        // The key shares the channel store's copy of the channel's ARN.
        let shared = s.store(Kind::Channel).key(channel).unwrap();
        let key = s.get("arn:aws:ivs:r:1:stream-key/k").unwrap();
        assert!(Arc::ptr_eq(&key.stream_key().unwrap().channel_arn, &shared));
        s.remove(&journal, "arn:aws:ivs:r:1:stream-key/k");
        assert!(s.keys_by_channel.is_empty());
        let mut replica = State::default();
        for (_, r) in journal.take() {
            replica.restore(&r).unwrap();
            if r.value.is_some() && r.table == "stream-key" {
                assert_eq!(replica.keys_by_channel[channel].len(), 1);
                let key = replica.get(&r.key).unwrap().stream_key().unwrap();
                let shared = replica.store(Kind::Channel).key(channel).unwrap();
                assert!(Arc::ptr_eq(&key.channel_arn, &shared));
            }
        }
        assert!(replica.keys_by_channel.is_empty());
        assert_eq!(replica.records(), s.records());
    }

    #[test]
    fn records_of_every_kind_restore_into_their_own_representation() {
        let fields = |k: Kind| {
            let mut body = Map::new();
            body.insert("arn".into(), Value::from(format!("a:{}", k.arn_type())));
            Body::Fields(Box::new(Fields {
                body,
                created_at: 1.5,
            }))
        };
        for kind in Kind::ALL {
            let body = match kind {
                Kind::Channel => Body::Channel(Box::new(Channel::new("p".into()))),
                Kind::StreamKey => key_to("arn:aws:ivs:r:1:channel/c").value,
                k => fields(k),
            };
            let arn = format!("arn:aws:ivs:r:1:{}/x", kind.arn_type());
            let mut s = State::default();
            let journal = Journal::default();
            s.put(&journal, &arn, Resource::new(body, BTreeMap::new()));
            let mut replica = State::default();
            for (_, r) in journal.take() {
                replica.restore(&r).unwrap();
            }
            assert_eq!(replica.get(&arn), s.get(&arn), "{kind:?}");
            assert!(replica.get(&arn).unwrap().value.fits(kind), "{kind:?}");
            // A record of another kind's shape is refused.
            let mut wrong = s.records().remove(0);
            wrong.table = if kind == Kind::Channel {
                "stream-key".into()
            } else {
                "channel".into()
            };
            assert!(State::default().restore(&wrong).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn records_written_before_channels_were_typed_are_converted() {
        let channel = "arn:aws:ivs:us-west-2:1:channel/c";
        let legacy_channel = Record {
            account: "1".into(),
            table: "channel".into(),
            key: channel.into(),
            value: Some(serde_json::json!({
                "body": {
                    "arn": channel, "name": "n", "latencyMode": "NORMAL", "type": "ADVANCED_SD",
                    "recordingConfigurationArn": "", "ingestEndpoint": "x", "playbackUrl": "y",
                    "authorized": true, "insecureIngest": false,
                    "preset": "CONSTRAINED_BANDWIDTH_DELIVERY",
                    "srt": {"endpoint": "e", "passphrase": "pp"},
                    "playbackRestrictionPolicyArn": "",
                    "multitrackInputConfiguration": {"enabled": false},
                    "containerFormat": "TS", "adConfigurationArn": "",
                    "failoverSlateConfigurationArn": ""
                },
                "created_at": 0.0,
                "tags": {"t": "v"}
            })),
        };
        let legacy_key = Record {
            account: "1".into(),
            table: "stream-key".into(),
            key: "arn:aws:ivs:us-west-2:1:stream-key/k".into(),
            value: Some(serde_json::json!({
                "body": {"arn": "arn:aws:ivs:us-west-2:1:stream-key/k", "value": "sk_v", "channelArn": channel},
                "created_at": 0.0,
                "tags": {}
            })),
        };
        let mut s = State::default();
        s.restore(&legacy_channel).unwrap();
        s.restore(&legacy_key).unwrap();
        let c = s.get(channel).unwrap();
        assert_eq!(c.tags["t"], "v");
        let typed = c.channel().unwrap();
        assert_eq!(typed.preset, crate::typed::Preset::ConstrainedBandwidth);
        assert_eq!(&*typed.srt.passphrase, "pp");
        assert_eq!(s.keys_by_channel[channel].len(), 1);
        assert_eq!(s.get(&legacy_key.key).unwrap().str("value"), "sk_v");
    }
}
