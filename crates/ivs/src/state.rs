//! In-memory IVS state: a kit store per resource type (O(1) gets, pages in ARN order per
//! account and region), the channel → stream-key index, and stream sessions.

use crate::configs::{
    AdConfiguration, FailoverSlateConfiguration, PlaybackKeyPair, PlaybackRestrictionPolicy,
    RecordingConfiguration,
};
use crate::typed::{Channel, StreamKey};
use kit::{Store, Stored};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use service::{Journal, Record};
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

/// A resource record as written before IVS state was typed: output-shape members (with
/// `arn`, without `tags`) and the lifecycle time of creation. Only read, to convert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Output-shape members, by member name.
    pub body: Map<String, Value>,
    /// Lifecycle time of creation.
    pub created_at: f64,
}

/// One stored resource's body, typed per kind (boxed where larger than a stream key, so the
/// store's entries stay small). Untagged: each variant serializes as its own members, and a
/// record deserializes into the one variant whose members it has exactly (every variant
/// refuses unknown members); [`State::restore`] then checks it against the record's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Body {
    /// A stream key.
    StreamKey(StreamKey),
    /// A channel.
    Channel(Box<Channel>),
    /// A playback key pair.
    PlaybackKeyPair(Box<PlaybackKeyPair>),
    /// A playback restriction policy.
    PlaybackRestrictionPolicy(Box<PlaybackRestrictionPolicy>),
    /// A recording configuration.
    RecordingConfiguration(Box<RecordingConfiguration>),
    /// An ad configuration.
    AdConfiguration(Box<AdConfiguration>),
    /// A failover slate configuration.
    FailoverSlateConfiguration(Box<FailoverSlateConfiguration>),
    /// A record of the older JSON-map shape, before [`Body::for_kind`] converts it.
    Legacy(Box<Fields>),
}

/// Members the older JSON-map records held that typed bodies derive or keep elsewhere.
const LEGACY_ONLY: &[&str] = &["arn", "ingestEndpoint", "playbackUrl"];

impl Body {
    /// A string member of the body by its model name, or "".
    pub fn str(&self, member: &str) -> &str {
        match (self, member) {
            (Body::StreamKey(k), _) => k.member(member),
            (Body::Channel(c), _) => c.member(member),
            (Body::PlaybackKeyPair(k), "fingerprint") => &k.fingerprint,
            (Body::PlaybackKeyPair(k), "name") => &k.name,
            (Body::PlaybackRestrictionPolicy(p), "name") => &p.name,
            (Body::RecordingConfiguration(r), "name") => &r.name,
            (Body::RecordingConfiguration(r), "state") => r.state.as_str(),
            (Body::FailoverSlateConfiguration(f), "state") => f.state.as_str(),
            (Body::AdConfiguration(a), "name") => &a.name,
            (Body::FailoverSlateConfiguration(f), "name") => &f.name,
            (Body::Legacy(f), _) => f.body.get(member).and_then(Value::as_str).unwrap_or(""),
            _ => "",
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

    /// Lifecycle time of creation, for the kinds whose state settles on the clock.
    pub fn created_at(&self) -> Option<f64> {
        match self {
            Body::RecordingConfiguration(r) => Some(r.created_at),
            Body::FailoverSlateConfiguration(f) => Some(f.created_at),
            _ => None,
        }
    }

    /// Its members by model name (and `created_at` where kept), as the shared Create and
    /// Update code checks and overlays them.
    pub fn members(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// The body of `kind` with these members; `created_at` is added for the kinds that keep
    /// it. A member of the wrong type or outside the model's enum is an error.
    pub fn from_members(
        kind: Kind,
        mut members: Map<String, Value>,
        created_at: f64,
    ) -> Result<Body, serde_json::Error> {
        use serde_json::from_value;
        if matches!(
            kind,
            Kind::RecordingConfiguration | Kind::FailoverSlateConfiguration
        ) {
            members.insert("created_at".into(), Value::from(created_at));
        }
        let v = Value::Object(members);
        Ok(match kind {
            Kind::Channel => Body::Channel(from_value(v)?),
            Kind::StreamKey => Body::StreamKey(from_value(v)?),
            Kind::PlaybackKeyPair => Body::PlaybackKeyPair(from_value(v)?),
            Kind::PlaybackRestrictionPolicy => Body::PlaybackRestrictionPolicy(from_value(v)?),
            Kind::RecordingConfiguration => Body::RecordingConfiguration(from_value(v)?),
            Kind::AdConfiguration => Body::AdConfiguration(from_value(v)?),
            Kind::FailoverSlateConfiguration => Body::FailoverSlateConfiguration(from_value(v)?),
        })
    }

    /// Whether the body is of the representation `kind` is stored in.
    pub fn fits(&self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (Body::StreamKey(_), Kind::StreamKey)
                | (Body::Channel(_), Kind::Channel)
                | (Body::PlaybackKeyPair(_), Kind::PlaybackKeyPair)
                | (
                    Body::PlaybackRestrictionPolicy(_),
                    Kind::PlaybackRestrictionPolicy
                )
                | (
                    Body::RecordingConfiguration(_),
                    Kind::RecordingConfiguration
                )
                | (Body::AdConfiguration(_), Kind::AdConfiguration)
                | (
                    Body::FailoverSlateConfiguration(_),
                    Kind::FailoverSlateConfiguration
                )
        )
    }

    /// The body a record of `kind` holds, converting records of the older JSON-map shape
    /// (`{"body": {members}, "created_at"}`).
    pub fn for_kind(self, kind: Kind) -> Result<Body, String> {
        if self.fits(kind) {
            return Ok(self);
        }
        let Body::Legacy(f) = self else {
            return Err(format!("not a {} body", kind.arn_type()));
        };
        let Fields {
            mut body,
            created_at,
        } = *f;
        for member in LEGACY_ONLY {
            body.shift_remove(*member);
        }
        Body::from_members(kind, body, created_at)
            .map_err(|e| format!("bad {} body: {e}", kind.arn_type()))
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
    pub channel: Snapshot,
    /// The recording configuration in force, if the channel records.
    pub recording_configuration: Option<Snapshot>,
    /// The failover slate configuration in force, if any.
    pub failover_slate_configuration: Option<Snapshot>,
    /// Stream events (`Session Created`, `Stream Start`, …), oldest first.
    pub events: Vec<StreamEvent>,
}

/// A resource as it stood when a stream started: its ARN and its stored form (body and
/// tags). Records written before sessions were typed hold the resource's API view instead;
/// they are converted when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SnapshotRecord")]
pub struct Snapshot {
    /// Its ARN.
    pub arn: String,
    /// Its body and tags then.
    pub resource: Resource,
}

impl Snapshot {
    /// The resource `arn` as it stands now.
    pub fn of(arn: &str, resource: &Resource) -> Snapshot {
        Snapshot {
            arn: arn.to_string(),
            resource: resource.clone(),
        }
    }
}

/// A snapshot as records hold it: typed, or the API view older records kept.
#[derive(Deserialize)]
#[serde(untagged)]
enum SnapshotRecord {
    Typed { arn: String, resource: Resource },
    View(Map<String, Value>),
}

impl TryFrom<SnapshotRecord> for Snapshot {
    type Error = String;

    fn try_from(r: SnapshotRecord) -> Result<Snapshot, String> {
        match r {
            SnapshotRecord::Typed { arn, mut resource } => {
                let kind = Kind::of_arn(&arn).ok_or(format!("{arn} is not an IVS ARN"))?;
                resource.value = resource.value.for_kind(kind)?;
                Ok(Snapshot { arn, resource })
            }
            SnapshotRecord::View(mut view) => {
                let arn = match view.get("arn") {
                    Some(Value::String(a)) => a.clone(),
                    _ => return Err("a stream session's snapshot has no arn".into()),
                };
                let kind = Kind::of_arn(&arn).ok_or(format!("{arn} is not an IVS ARN"))?;
                let tags = match view.shift_remove("tags") {
                    Some(t) => serde_json::from_value(t).map_err(|e| format!("{arn} tags: {e}"))?,
                    None => Default::default(),
                };
                // The view is the older records' body with derived members (dropped by the
                // conversion) and a state already settled; its creation time is not kept.
                let body = Body::Legacy(Box::new(Fields {
                    body: view,
                    created_at: 0.0,
                }))
                .for_kind(kind)?;
                Ok(Snapshot {
                    arn,
                    resource: Stored::new(body, tags),
                })
            }
        }
    }
}

/// One event of a stream session, as `truncatedEvents` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamEvent {
    /// `Session Created`, `Stream Start`, `Recording End`, …
    pub name: String,
    /// The EventBridge detail type (`IVS Stream State Change`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened, epoch seconds (kept as the RFC 3339 text the API shows).
    #[serde(rename = "eventTime", with = "rfc3339_seconds")]
    pub at: f64,
}

impl StreamEvent {
    /// The event `name` of detail type `kind` at `at`.
    pub fn new(name: &str, kind: &str, at: f64) -> StreamEvent {
        StreamEvent {
            name: name.to_string(),
            kind: kind.to_string(),
            at,
        }
    }
}

/// Epoch seconds kept as RFC 3339 text, as stream events were always recorded.
mod rfc3339_seconds {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(at: &f64, s: S) -> Result<S::Ok, S::Error> {
        kit::input::timestamp(*at).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let text = String::deserialize(d)?;
        protocol::timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {text}")))
    }
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
        match &mut resource.value {
            Body::StreamKey(k) => self.share_channel_arn(k),
            // Whatever changed (members or tags), the summary renders afresh.
            Body::Channel(c) => c.summary.clear(),
            _ => {}
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

    /// A body of every member of `kind` (one of the five configuration kinds).
    fn sample(kind: Kind) -> Body {
        let members = match kind {
            Kind::PlaybackKeyPair => serde_json::json!({"name": "k", "fingerprint": "00:11"}),
            Kind::PlaybackRestrictionPolicy => serde_json::json!({
                "allowedCountries": ["US"], "allowedOrigins": ["https://a"],
                "enableStrictOriginEnforcement": true, "name": "p"}),
            Kind::RecordingConfiguration => serde_json::json!({
                "name": "r", "destinationConfiguration": {"s3": {"bucketName": "b"}},
                "state": "CREATING",
                "thumbnailConfiguration": {"recordingMode": "INTERVAL", "storage": ["LATEST"],
                    "targetIntervalSeconds": 30, "resolution": "HD"},
                "recordingReconnectWindowSeconds": 10,
                "renditionConfiguration": {"renditionSelection": "CUSTOM", "renditions": ["SD"]}}),
            Kind::AdConfiguration => serde_json::json!({
                "name": "a",
                "mediaTailorPlaybackConfigurations": [{"playbackConfigurationArn": "arn:m"}],
                "postRollConfiguration": {"enabled": true, "durationSeconds": 30}}),
            _ => serde_json::json!({
                "name": "f", "activationThresholdSeconds": 4, "minSlateDisplaySeconds": 5,
                "maxSlateDisplaySeconds": 90, "state": "CREATED"}),
        };
        let Value::Object(members) = members else {
            unreachable!()
        };
        let body = Body::from_members(kind, members.clone(), 2.5).unwrap();
        // Its members are exactly the ones it was made of (and created_at where kept).
        let mut back = body.members();
        back.shift_remove("created_at");
        assert_eq!(back, members, "{kind:?}");
        assert_eq!(
            body.created_at().is_some(),
            back.len() != body.members().len()
        );
        body
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
    fn a_channel_is_stored_without_the_summary_rendered_before() {
        let mut s = State::default();
        let journal = Journal::default();
        let arn = "arn:aws:ivs:r:1:channel/c";
        let channel = Channel::new("p".into());
        channel.summary.get_or_render(|| b"stale".to_vec());
        let body = Body::Channel(Box::new(channel));
        s.put(&journal, arn, Resource::new(body, BTreeMap::new()));
        let stored = s.get(arn).and_then(|r| r.channel()).unwrap();
        assert_eq!(stored.summary.get(), None);
    }

    #[test]
    fn records_of_every_kind_restore_into_their_own_representation() {
        for kind in Kind::ALL {
            let body = match kind {
                Kind::Channel => Body::Channel(Box::new(Channel::new("p".into()))),
                Kind::StreamKey => key_to("arn:aws:ivs:r:1:channel/c").value,
                k => sample(k),
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
