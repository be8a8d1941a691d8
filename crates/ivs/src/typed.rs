//! Typed stored bodies of channels and stream keys: the model's enums as Rust enums, strings
//! boxed, and the members AWS derives from the channel's ID (ingest endpoint, playback URL,
//! SRT endpoint) computed on read instead of stored. Field serde names are the model's member
//! names, so a stored value serializes (to the journal) as the API view without the derived
//! members.

use crate::channels::endpoint_label;
use crate::input::validation;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use service::ServiceError;
use std::sync::Arc;

/// A string enum of the model: its variants and their wire text.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        // Not every enum is read and shown through its text.
        #[allow(dead_code)]
        impl $name {
            /// Its wire text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The variant whose wire text is `text`.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// The macro, for the other kinds' enums.
pub(crate) use wire_enum;

wire_enum! {
    /// `ChannelLatencyMode`.
    LatencyMode { /// NORMAL.
    Normal = "NORMAL", /// LOW.
    Low = "LOW" }
}

wire_enum! {
    /// `ChannelType`.
    ChannelType { /// BASIC.
    Basic = "BASIC", /// STANDARD.
    Standard = "STANDARD", /// ADVANCED_SD.
    AdvancedSd = "ADVANCED_SD", /// ADVANCED_HD.
    AdvancedHd = "ADVANCED_HD" }
}

wire_enum! {
    /// `TranscodePreset`, or "" (what AWS shows for channels without a preset).
    Preset { /// No preset: "".
    None = "", /// HIGHER_BANDWIDTH_DELIVERY.
    HigherBandwidth = "HIGHER_BANDWIDTH_DELIVERY", /// CONSTRAINED_BANDWIDTH_DELIVERY.
    ConstrainedBandwidth = "CONSTRAINED_BANDWIDTH_DELIVERY" }
}

wire_enum! {
    /// `ContainerFormat`.
    ContainerFormat { /// TS.
    Ts = "TS", /// FRAGMENTED_MP4.
    FragmentedMp4 = "FRAGMENTED_MP4" }
}

wire_enum! {
    /// `MultitrackPolicy`.
    MultitrackPolicy { /// ALLOW.
    Allow = "ALLOW", /// REQUIRE.
    Require = "REQUIRE" }
}

wire_enum! {
    /// `MultitrackMaximumResolution`.
    MaximumResolution { /// SD.
    Sd = "SD", /// HD.
    Hd = "HD", /// FULL_HD.
    FullHd = "FULL_HD" }
}

impl ChannelType {
    /// Whether the type takes a transcode preset.
    pub fn is_advanced(self) -> bool {
        matches!(self, ChannelType::AdvancedSd | ChannelType::AdvancedHd)
    }
}

/// `MultitrackInputConfiguration`, members as given (absent ones stay absent on the wire).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Multitrack {
    /// `enabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<MultitrackPolicy>,
    /// `maximumResolution`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_resolution: Option<MaximumResolution>,
}

impl Default for Multitrack {
    /// What a channel created without one shows, as AWS's answers do (the AWS CLI's
    /// create-channel examples): `{"enabled": false, "maximumResolution": "FULL_HD",
    /// "policy": "ALLOW"}`.
    fn default() -> Self {
        Multitrack {
            enabled: Some(false),
            policy: Some(MultitrackPolicy::Allow),
            maximum_resolution: Some(MaximumResolution::FullHd),
        }
    }
}

impl Multitrack {
    /// A configuration as given, its absent members AWS's defaults unless it enables
    /// multitrack input (which must name them itself).
    fn with_defaults(mut self) -> Self {
        if self.enabled != Some(true) {
            let d = Multitrack::default();
            self.enabled = self.enabled.or(d.enabled);
            self.policy = self.policy.or(d.policy);
            self.maximum_resolution = self.maximum_resolution.or(d.maximum_resolution);
        }
        self
    }
}

/// The stored part of `Srt`: its passphrase (the endpoint is derived from the account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Srt {
    /// `passphrase`.
    pub passphrase: Box<str>,
}

/// A channel as stored: every `Channel` member except `arn` (the store's key), `tags` (kept
/// beside it) and the members derived from its ARN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Channel {
    /// `name`.
    pub name: Box<str>,
    /// `latencyMode`.
    pub latency_mode: LatencyMode,
    /// `type`.
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    /// `recordingConfigurationArn` ("" for none).
    pub recording_configuration_arn: Box<str>,
    /// `authorized`.
    pub authorized: bool,
    /// `insecureIngest`.
    pub insecure_ingest: bool,
    /// `preset`.
    pub preset: Preset,
    /// `srt` without its endpoint.
    pub srt: Srt,
    /// `playbackRestrictionPolicyArn` ("" for none).
    pub playback_restriction_policy_arn: Box<str>,
    /// `multitrackInputConfiguration`.
    #[serde(default)]
    pub multitrack_input_configuration: Multitrack,
    /// `containerFormat`.
    pub container_format: ContainerFormat,
    /// `adConfigurationArn` ("" for none).
    pub ad_configuration_arn: Box<str>,
    /// `failoverSlateConfigurationArn` ("" for none).
    pub failover_slate_configuration_arn: Box<str>,
    /// Its `ChannelSummary` (tags included) as ListChannels writes it, once rendered; not
    /// persisted, and emptied whenever the stored channel is replaced ([`crate::state::State::put`]).
    #[serde(skip)]
    pub summary: kit::RenderCache,
}

/// `(region, account, id)` of an IVS ARN.
fn arn_parts(arn: &str) -> (&str, &str, &str) {
    let mut parts = arn.splitn(6, ':');
    let region = parts.nth(3).unwrap_or_default();
    let account = parts.next().unwrap_or_default();
    let id = arn.rsplit('/').next().unwrap_or_default();
    (region, account, id)
}

/// A string member as a `Value`.
fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

impl Channel {
    /// A new channel with AWS's defaults and the given SRT passphrase.
    pub fn new(passphrase: String) -> Channel {
        Channel {
            name: "".into(),
            latency_mode: LatencyMode::Low,
            channel_type: ChannelType::Standard,
            recording_configuration_arn: "".into(),
            authorized: false,
            insecure_ingest: false,
            preset: Preset::None,
            srt: Srt {
                passphrase: passphrase.into(),
            },
            playback_restriction_policy_arn: "".into(),
            multitrack_input_configuration: Multitrack::default(),
            container_format: ContainerFormat::Ts,
            ad_configuration_arn: "".into(),
            failover_slate_configuration_arn: "".into(),
            summary: kit::RenderCache::default(),
        }
    }

    /// A string member by its model name, for list filters and reference checks ("" when the
    /// member is not a string member of the channel).
    pub fn member(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "latencyMode" => self.latency_mode.as_str(),
            "type" => self.channel_type.as_str(),
            "preset" => self.preset.as_str(),
            "containerFormat" => self.container_format.as_str(),
            "recordingConfigurationArn" => &self.recording_configuration_arn,
            "playbackRestrictionPolicyArn" => &self.playback_restriction_policy_arn,
            "adConfigurationArn" => &self.ad_configuration_arn,
            "failoverSlateConfigurationArn" => &self.failover_slate_configuration_arn,
            "srt.passphrase" => &self.srt.passphrase,
            _ => "",
        }
    }

    /// Sets a settable member from a request's value; ValidationException for a value of the
    /// wrong type or outside the model's enum.
    pub fn set(&mut self, member: &str, v: &Value) -> Result<(), ServiceError> {
        let bad = || validation(format!("Invalid value for {member}"));
        let s = || v.as_str().ok_or_else(bad);
        let b = || v.as_bool().ok_or_else(bad);
        match member {
            "name" => self.name = s()?.into(),
            "latencyMode" => self.latency_mode = LatencyMode::parse(s()?).ok_or_else(bad)?,
            "type" => self.channel_type = ChannelType::parse(s()?).ok_or_else(bad)?,
            "authorized" => self.authorized = b()?,
            "insecureIngest" => self.insecure_ingest = b()?,
            "preset" => self.preset = Preset::parse(s()?).ok_or_else(bad)?,
            "containerFormat" => {
                self.container_format = ContainerFormat::parse(s()?).ok_or_else(bad)?
            }
            "recordingConfigurationArn" => self.recording_configuration_arn = s()?.into(),
            "playbackRestrictionPolicyArn" => self.playback_restriction_policy_arn = s()?.into(),
            "adConfigurationArn" => self.ad_configuration_arn = s()?.into(),
            "failoverSlateConfigurationArn" => self.failover_slate_configuration_arn = s()?.into(),
            "multitrackInputConfiguration" => {
                self.multitrack_input_configuration =
                    serde_json::from_value::<Multitrack>(v.clone())
                        .map_err(|_| bad())?
                        .with_defaults()
            }
            _ => return Err(bad()),
        }
        Ok(())
    }

    /// The `Channel` view (or, with `summary`, the `ChannelSummary` view) of the channel
    /// stored under `arn`, without `tags`.
    pub fn view(&self, arn: &str, summary: bool) -> Map<String, Value> {
        // Sized for every member and `tags` (added by the caller): no regrowth and rehash.
        let mut m = Map::with_capacity(if summary { 12 } else { 17 });
        m.insert("arn".into(), text(arn));
        m.insert("name".into(), text(&self.name));
        m.insert("latencyMode".into(), text(self.latency_mode.as_str()));
        m.insert("type".into(), text(self.channel_type.as_str()));
        m.insert(
            "recordingConfigurationArn".into(),
            text(&self.recording_configuration_arn),
        );
        m.insert("authorized".into(), Value::Bool(self.authorized));
        m.insert("insecureIngest".into(), Value::Bool(self.insecure_ingest));
        m.insert("preset".into(), text(self.preset.as_str()));
        m.insert(
            "playbackRestrictionPolicyArn".into(),
            text(&self.playback_restriction_policy_arn),
        );
        m.insert(
            "adConfigurationArn".into(),
            text(&self.ad_configuration_arn),
        );
        m.insert(
            "failoverSlateConfigurationArn".into(),
            text(&self.failover_slate_configuration_arn),
        );
        if summary {
            return m;
        }
        let (region, account, id) = arn_parts(arn);
        let label = endpoint_label(account);
        m.insert(
            "ingestEndpoint".into(),
            Value::String(format!("{label}.global-contribute.live-video.net")),
        );
        m.insert(
            "playbackUrl".into(),
            Value::String(format!(
                "https://{label}.{region}.playback.live-video.net/api/video/v1/{region}.{account}.channel.{id}.m3u8"
            )),
        );
        let mut srt = Map::new();
        srt.insert(
            "endpoint".into(),
            Value::String(format!("{label}.srt.live-video.net")),
        );
        srt.insert("passphrase".into(), text(&self.srt.passphrase));
        m.insert("srt".into(), Value::Object(srt));
        m.insert(
            "multitrackInputConfiguration".into(),
            serde_json::to_value(&self.multitrack_input_configuration).unwrap_or(Value::Null),
        );
        m.insert(
            "containerFormat".into(),
            text(self.container_format.as_str()),
        );
        m
    }
}

/// A stream key as stored: its secret value and its channel (the ARN shared with the channel
/// index rather than copied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StreamKey {
    /// `value`: `sk_REGION_` and 30 random characters.
    pub value: Box<str>,
    /// `channelArn`.
    #[serde(with = "arc_text")]
    pub channel_arn: Arc<str>,
}

impl StreamKey {
    /// The `StreamKey` view (or, with `summary`, `StreamKeySummary`) without `tags`.
    pub fn view(&self, arn: &str, summary: bool) -> Map<String, Value> {
        let mut m = Map::with_capacity(4);
        m.insert("arn".into(), text(arn));
        if !summary {
            m.insert("value".into(), text(&self.value));
        }
        m.insert("channelArn".into(), text(&self.channel_arn));
        m
    }

    /// A string member by its model name ("" for others).
    pub fn member(&self, name: &str) -> &str {
        match name {
            "value" => &self.value,
            "channelArn" => &self.channel_arn,
            _ => "",
        }
    }
}

/// `Arc<str>` as a JSON string (serde's `rc` feature is not enabled in the workspace).
mod arc_text {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        Ok(Arc::from(String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:ivs:us-west-2:000000000000:channel/abcdefABCDEF";

    #[test]
    fn enums_round_trip_their_wire_text() {
        for t in ["BASIC", "STANDARD", "ADVANCED_SD", "ADVANCED_HD"] {
            assert_eq!(ChannelType::parse(t).unwrap().as_str(), t);
        }
        assert_eq!(Preset::parse(""), Some(Preset::None));
        assert_eq!(LatencyMode::parse("low"), None);
        assert_eq!(
            serde_json::to_value(MaximumResolution::FullHd).unwrap(),
            json!("FULL_HD")
        );
    }

    #[test]
    fn a_channel_with_every_member_set_views_as_the_json_body_did() {
        let mut c = Channel::new("p".repeat(32));
        for (m, v) in [
            ("name", json!("n")),
            ("latencyMode", json!("NORMAL")),
            ("type", json!("STANDARD")),
            ("authorized", json!(true)),
            ("insecureIngest", json!(true)),
            ("recordingConfigurationArn", json!("arn:r")),
            ("playbackRestrictionPolicyArn", json!("arn:p")),
            ("adConfigurationArn", json!("arn:a")),
            ("failoverSlateConfigurationArn", json!("arn:f")),
            ("containerFormat", json!("FRAGMENTED_MP4")),
            (
                "multitrackInputConfiguration",
                json!({"enabled": true, "policy": "REQUIRE", "maximumResolution": "HD"}),
            ),
        ] {
            c.set(m, &v).unwrap();
        }
        let label = endpoint_label("000000000000");
        let expected = json!({
            "arn": ARN,
            "name": "n",
            "latencyMode": "NORMAL",
            "type": "STANDARD",
            "recordingConfigurationArn": "arn:r",
            "ingestEndpoint": format!("{label}.global-contribute.live-video.net"),
            "playbackUrl": format!("https://{label}.us-west-2.playback.live-video.net/api/video/v1/us-west-2.000000000000.channel.abcdefABCDEF.m3u8"),
            "authorized": true,
            "insecureIngest": true,
            "preset": "",
            "srt": {"endpoint": format!("{label}.srt.live-video.net"), "passphrase": "p".repeat(32)},
            "playbackRestrictionPolicyArn": "arn:p",
            "multitrackInputConfiguration": {"enabled": true, "policy": "REQUIRE", "maximumResolution": "HD"},
            "containerFormat": "FRAGMENTED_MP4",
            "adConfigurationArn": "arn:a",
            "failoverSlateConfigurationArn": "arn:f",
        });
        assert_eq!(Value::Object(c.view(ARN, false)), expected);
        // The summary is the view restricted to ChannelSummary's members.
        let summary = Value::Object(c.view(ARN, true));
        let members = summary.as_object().unwrap();
        assert_eq!(members.len(), 11);
        for (k, v) in members {
            assert_eq!(&expected[k], v, "{k}");
        }
        // Stored form: model member names, nothing derived.
        let stored = serde_json::to_value(&c).unwrap();
        assert!(stored.get("playbackUrl").is_none());
        assert_eq!(stored["type"], "STANDARD");
        assert_eq!(serde_json::from_value::<Channel>(stored).unwrap(), c);
    }

    #[test]
    fn bad_values_are_validation_errors_and_change_nothing() {
        let mut c = Channel::new("p".into());
        let before = c.clone();
        for (m, v) in [
            ("latencyMode", json!("FAST")),
            ("authorized", json!("yes")),
            ("name", json!(3)),
            (
                "multitrackInputConfiguration",
                json!({"policy": "SOMETIMES"}),
            ),
            ("arn", json!("x")),
        ] {
            assert_eq!(c.set(m, &v).unwrap_err().code, "ValidationException");
        }
        assert_eq!(c, before);
        // Members absent from a configuration that does not enable multitrack input are
        // AWS's defaults (the AWS CLI's update-channel example).
        c.set(
            "multitrackInputConfiguration",
            &json!({"policy": "REQUIRE"}),
        )
        .unwrap();
        assert_eq!(
            c.view(ARN, false)["multitrackInputConfiguration"],
            json!({"enabled": false, "policy": "REQUIRE", "maximumResolution": "FULL_HD"})
        );
        // One that enables it keeps what it names (the channel's check then wants both).
        c.set("multitrackInputConfiguration", &json!({"enabled": true}))
            .unwrap();
        assert_eq!(
            c.view(ARN, false)["multitrackInputConfiguration"],
            json!({"enabled": true})
        );
    }

    #[test]
    fn stream_key_views() {
        let k = StreamKey {
            value: "sk_x".into(),
            channel_arn: Arc::from(ARN),
        };
        assert_eq!(
            Value::Object(k.view("arn:k", false)),
            json!({"arn": "arn:k", "value": "sk_x", "channelArn": ARN})
        );
        assert_eq!(
            Value::Object(k.view("arn:k", true)),
            json!({"arn": "arn:k", "channelArn": ARN})
        );
        assert_eq!(k.member("channelArn"), ARN);
        let back: StreamKey = serde_json::from_value(serde_json::to_value(&k).unwrap()).unwrap();
        assert_eq!(back, k);
    }
}
