//! The typed state of a flow and its parts. Field names serialize as the model's member
//! names (PascalCase), so a stored part *is* its API view; what the API does not show (tags,
//! lifecycle timing) lives beside it in [`crate::store::FlowRecord`].
//!
//! Configuration blocks MediaConnect stores and echoes without rules of its own (monitoring,
//! NDI, encoding, transit encryption, RTMP settings, media stream attributes) are kept as the
//! validated JSON the protocol layer parsed: [`Doc`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A configuration block stored as given (already validated against the model).
pub type Doc = Value;

/// The one member name a union value sets (`Standard`, `Failover`, `Rtp`, …).
pub fn union_key(v: &Value) -> Option<&str> {
    v.as_object()?.keys().next().map(String::as_str)
}

/// A flow's status (`Status` enum of the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Created or stopped; not billing.
    Standby,
    /// Running.
    Active,
    /// A change is being applied to a running flow.
    Updating,
    /// Being deleted.
    Deleting,
    /// On its way to ACTIVE.
    Starting,
    /// On its way to STANDBY.
    Stopping,
    /// Failed.
    Error,
}

impl Status {
    /// The status a lifecycle state names (`None` for the deleted pseudo-state).
    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "STANDBY" => Status::Standby,
            "ACTIVE" => Status::Active,
            "UPDATING" => Status::Updating,
            "DELETING" => Status::Deleting,
            "STARTING" => Status::Starting,
            "STOPPING" => Status::Stopping,
            "ERROR" => Status::Error,
            _ => return None,
        })
    }

    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Standby => "STANDBY",
            Status::Active => "ACTIVE",
            Status::Updating => "UPDATING",
            Status::Deleting => "DELETING",
            Status::Starting => "STARTING",
            Status::Stopping => "STOPPING",
            Status::Error => "ERROR",
        }
    }
}

/// Encryption or decryption settings (`Encryption` shape); `RoleArn` is passed to the service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Encryption {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constant_initialization_vector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Encryption {
    /// The key type that applies: API_Encryption's "If no keyType is provided, the service
    /// will use the default setting (static-key)."
    pub fn kind(&self) -> &str {
        self.key_type.as_deref().unwrap_or("static-key")
    }

    /// The settings as answered: the default key type is answered as set, whichever part
    /// (source, output or entitlement) carries them, since all three are the one
    /// `Encryption` shape.
    pub fn answered(mut self: Box<Self>) -> Box<Self> {
        if self.key_type.is_none() {
            self.key_type = Some("static-key".into());
        }
        self
    }

    /// Overlays the members an `UpdateEncryption` sets. An update to another key type starts
    /// afresh but for the role: the old type's members (a static key's secret, SPEKE's key
    /// server) are not valid for the new one and could not be cleared otherwise.
    pub fn overlay(&mut self, u: &Encryption) {
        macro_rules! take {
            ($($f:ident),*) => {$( if u.$f.is_some() { self.$f = u.$f.clone(); } )*};
        }
        if u.key_type.is_some() && u.kind() != self.kind() {
            *self = Encryption {
                role_arn: self.role_arn.take(),
                ..Encryption::default()
            };
        }
        take!(
            algorithm,
            constant_initialization_vector,
            device_id,
            key_type,
            region,
            resource_id,
            role_arn,
            secret_arn,
            url
        );
    }
}

/// How a source or output moves its content (`Transport` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Transport {
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr_allow_list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_bitrate: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_latency: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_sync_buffer: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_latency: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_control_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_ip_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothing_latency: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_listener_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_listener_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_speed_hq_quality: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_program_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_source_settings: Option<Doc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_output_timecode_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_audio_reference_level: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtmp_push_source_settings: Option<Doc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtmp_push_output_settings: Option<Doc>,
}

/// `{"Name": …}`: a VPC interface named by a media stream configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InterfaceRef {
    pub name: String,
}

/// Where a CDI/ST 2110 source receives one media stream (`InputConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InputConfiguration {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub input_ip: String,
    pub input_port: i64,
    pub interface: InterfaceRef,
}

/// A source's use of one media stream (`MediaStreamSourceConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaStreamSourceConfiguration {
    pub encoding_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_configurations: Option<Vec<InputConfiguration>>,
    pub media_stream_name: String,
}

/// Where an output sends one media stream (`DestinationConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DestinationConfiguration {
    pub destination_ip: String,
    pub destination_port: i64,
    pub interface: InterfaceRef,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub outbound_ip: String,
}

/// An output's use of one media stream (`MediaStreamOutputConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaStreamOutputConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_configurations: Option<Vec<DestinationConfiguration>>,
    pub encoding_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_parameters: Option<Doc>,
    pub media_stream_name: String,
}

/// `{"VpcInterfaceName": …}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcInterfaceAttachment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_interface_name: Option<String>,
}

/// A bridge feeding a flow (`GatewayBridgeSource`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GatewayBridgeSource {
    pub bridge_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_interface_attachment: Option<VpcInterfaceAttachment>,
}

/// A flow's source (`Source` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Source {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_transfer_subscriber_fee_percent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decryption: Option<Box<Encryption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entitlement_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingest_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_stream_source_configurations: Option<Vec<MediaStreamSourceConfiguration>>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_control_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sender_ip_address: Option<String>,
    pub source_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_interface_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whitelist_cidr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_bridge_source: Option<GatewayBridgeSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_integration_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_integration_transit_decryption: Option<Doc>,
}

/// A flow's output (`Output` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Output {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_transfer_subscriber_fee_percent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Box<Encryption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_stream_output_configurations: Option<Vec<MediaStreamOutputConfiguration>>,
    pub name: String,
    pub output_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport: Option<Transport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_interface_attachment: Option<VpcInterfaceAttachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_integration_state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub router_integration_transit_encryption: Option<Doc>,
}

/// An entitlement the flow grants (`Entitlement` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Entitlement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_transfer_subscriber_fee_percent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Box<Encryption>>,
    pub entitlement_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entitlement_status: Option<String>,
    pub name: String,
    pub subscribers: Vec<String>,
}

/// A VPC interface of the flow (`VpcInterface` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcInterface {
    pub name: String,
    pub network_interface_ids: Vec<String>,
    pub network_interface_type: String,
    pub role_arn: String,
    pub security_group_ids: Vec<String>,
    pub subnet_id: String,
}

/// A media stream of the flow (`MediaStream` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaStream {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Doc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock_rate: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub fmt: i64,
    pub media_stream_id: i64,
    pub media_stream_name: String,
    pub media_stream_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_format: Option<String>,
}

/// The flow's maintenance window (`Maintenance` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Maintenance {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_scheduled_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_start_hour: Option<String>,
}

/// `{"PrimarySource": …}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SourcePriority {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_source: Option<String>,
}

/// How a two-source flow fails over (`FailoverConfig` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct FailoverConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_window: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_priority: Option<SourcePriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

impl FailoverConfig {
    /// A flow merging its sources without a recovery window answers 200 ms: AWS CDK's
    /// integration test (aws-mediaconnect-alpha integ.mediaconnect-flow-defaults) asserts
    /// DescribeFlow's `SourceFailoverConfig.RecoveryWindow` is 200 for a MERGE flow that set
    /// none. Failover in FAILOVER mode uses no window and gets none.
    pub fn with_flow_defaults(mut self) -> Self {
        if self.failover_mode.as_deref() == Some("MERGE") && self.recovery_window.is_none() {
            self.recovery_window = Some(200);
        }
        self
    }

    /// Overlays the members an `UpdateFailoverConfig` sets.
    pub fn overlay(&mut self, u: &FailoverConfig) {
        if u.failover_mode.is_some() {
            self.failover_mode = u.failover_mode.clone();
        }
        if u.recovery_window.is_some() {
            self.recovery_window = u.recovery_window;
        }
        if u.source_priority.is_some() {
            self.source_priority = u.source_priority.clone();
        }
        if u.state.is_some() {
            self.state = u.state.clone();
        }
    }
}

/// A flow (`Flow` shape), its status as last settled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Flow {
    pub availability_zone: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub egress_ip: Option<String>,
    pub entitlements: Vec<Entitlement>,
    pub flow_arn: String,
    /// Answered even when empty, as AWS's getting-started tutorial shows CreateFlow's
    /// `"MediaStreams": []` for a flow without any.
    pub media_streams: Vec<MediaStream>,
    pub name: String,
    pub outputs: Vec<Output>,
    /// The first source, as AWS shows it; filled in by the view, not stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Box<Source>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_failover_config: Option<FailoverConfig>,
    pub sources: Vec<Source>,
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vpc_interfaces: Vec<VpcInterface>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance: Option<Maintenance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_monitoring_config: Option<Doc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ndi_config: Option<Doc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_config: Option<Doc>,
}

impl Flow {
    /// Whether the flow's NDI support is switched on (`NdiConfig.NdiState` = ENABLED).
    pub fn ndi_enabled(&self) -> bool {
        self.ndi_config
            .as_ref()
            .and_then(|c| c.get("NdiState"))
            .and_then(Value::as_str)
            == Some("ENABLED")
    }

    /// The VPC interface called `name`.
    pub fn vpc_interface(&self, name: &str) -> Option<&VpcInterface> {
        self.vpc_interfaces.iter().find(|v| v.name == name)
    }

    /// The private address of the flow's VPC interface `name`: one per elastic network
    /// interface, made from its ID so every source and output on the interface answers the
    /// same one.
    pub fn vpc_interface_ip(&self, name: &str) -> Option<String> {
        let eni = self.vpc_interface(name)?.network_interface_ids.first()?;
        let hex = eni.trim_start_matches("eni-");
        let byte = |range: std::ops::Range<usize>| {
            hex.get(range)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0)
        };
        let len = hex.len();
        let (third, fourth) = (
            byte(len.saturating_sub(4)..len.saturating_sub(2)),
            byte(len.saturating_sub(2)..len),
        );
        Some(format!("10.0.{third}.{}", 4 + fourth % 250))
    }

    /// The media stream called `name`.
    pub fn media_stream(&self, name: &str) -> Option<&MediaStream> {
        self.media_streams
            .iter()
            .find(|m| m.media_stream_name == name)
    }

    /// Whether the flow's source is another account's entitlement.
    pub fn entitled(&self) -> bool {
        self.sources.iter().any(|s| s.entitlement_arn.is_some())
    }

    /// The flow as the API shows it: `Source` is the first of `Sources`.
    pub fn with_primary_source(mut self) -> Self {
        self.source = self.sources.first().cloned().map(Box::new);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_serializes_as_the_flow_shape() {
        let flow = Flow {
            availability_zone: "us-west-2a".into(),
            flow_arn: "arn:aws:mediaconnect:us-west-2:1:flow:1-a-b:F".into(),
            name: "F".into(),
            status: Some(Status::Standby),
            ..Flow::default()
        };
        let v = serde_json::to_value(&flow).unwrap();
        assert_eq!(v["Status"], "STANDBY");
        assert_eq!(v["AvailabilityZone"], "us-west-2a");
        // AWS's getting-started tutorial answers `"MediaStreams": []`, but no VpcInterfaces.
        assert_eq!(v["MediaStreams"], serde_json::json!([]));
        assert!(v.get("VpcInterfaces").is_none());
        assert!(v.get("Description").is_none());
        let back: Flow = serde_json::from_value(v).unwrap();
        assert_eq!(back, flow);
    }

    #[test]
    fn update_encryption_overlays_only_what_it_sets() {
        let mut e = Encryption {
            algorithm: Some("aes128".into()),
            role_arn: Some("arn:aws:iam::1:role/a".into()),
            ..Encryption::default()
        };
        e.overlay(&Encryption {
            role_arn: Some("arn:aws:iam::1:role/b".into()),
            ..Encryption::default()
        });
        assert_eq!(e.algorithm.as_deref(), Some("aes128"));
        assert_eq!(e.role_arn.as_deref(), Some("arn:aws:iam::1:role/b"));
    }
}
