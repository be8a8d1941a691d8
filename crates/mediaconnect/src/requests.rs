//! The request shapes of the flow operations, typed. The protocol layer has already checked
//! types, enums and required members; these give the handlers names instead of JSON paths.

use crate::error::bad_request;
use crate::model::{
    Doc, Encryption, FailoverConfig, GatewayBridgeSource, InputConfiguration, Maintenance,
    MediaStreamOutputConfiguration, MediaStreamSourceConfiguration, VpcInterfaceAttachment,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use service::ServiceError;
use std::collections::BTreeMap;

/// Tags as a request carries them.
pub type Tags = BTreeMap<String, String>;

/// Reads `input` as `T`. The protocol layer validated the input against the model, so a
/// failure here is a mismatch between model and types; it is reported as a bad request
/// rather than a panic.
pub fn parse<T: DeserializeOwned>(input: &Value) -> Result<T, ServiceError> {
    serde_json::from_value(input.clone()).map_err(|e| bad_request(format!("Invalid request: {e}")))
}

/// `SetSourceRequest` (and the settable members of `UpdateFlowSourceRequest`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SourceRequest {
    pub decryption: Option<Box<Encryption>>,
    pub description: Option<String>,
    pub entitlement_arn: Option<String>,
    pub ingest_port: Option<i64>,
    pub max_bitrate: Option<i64>,
    pub max_latency: Option<i64>,
    pub max_sync_buffer: Option<i64>,
    pub media_stream_source_configurations: Option<Vec<MediaStreamSourceConfiguration>>,
    pub min_latency: Option<i64>,
    pub name: Option<String>,
    pub protocol: Option<String>,
    pub sender_control_port: Option<i64>,
    pub sender_ip_address: Option<String>,
    pub source_listener_address: Option<String>,
    pub source_listener_port: Option<i64>,
    pub stream_id: Option<String>,
    pub vpc_interface_name: Option<String>,
    pub whitelist_cidr: Option<String>,
    pub gateway_bridge_source: Option<GatewayBridgeSource>,
    pub ndi_source_settings: Option<Doc>,
    pub source_tags: Option<Tags>,
    pub router_integration_state: Option<String>,
    pub router_integration_transit_decryption: Option<Doc>,
    pub rtmp_push_settings: Option<Doc>,
    /// An RTMP push source's stored names, kept by an update that names none.
    #[serde(skip)]
    pub kept_rtmp: Option<Doc>,
}

/// `AddOutputRequest` (and the settable members of `UpdateFlowOutputRequest`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OutputRequest {
    pub cidr_allow_list: Option<Vec<String>>,
    pub description: Option<String>,
    pub destination: Option<String>,
    pub encryption: Option<Box<Encryption>>,
    pub max_latency: Option<i64>,
    pub media_stream_output_configurations: Option<Vec<MediaStreamOutputConfiguration>>,
    pub min_latency: Option<i64>,
    pub name: Option<String>,
    pub port: Option<i64>,
    pub protocol: Option<String>,
    pub remote_id: Option<String>,
    pub sender_control_port: Option<i64>,
    pub sender_ip_address: Option<String>,
    pub smoothing_latency: Option<i64>,
    pub stream_id: Option<String>,
    pub vpc_interface_attachment: Option<VpcInterfaceAttachment>,
    pub output_status: Option<String>,
    pub ndi_speed_hq_quality: Option<i64>,
    pub ndi_program_name: Option<String>,
    pub output_tags: Option<Tags>,
    pub router_integration_state: Option<String>,
    pub router_integration_transit_encryption: Option<Doc>,
    pub ndi_output_timecode_source: Option<String>,
    pub ndi_audio_reference_level: Option<i64>,
    pub rtmp_push_settings: Option<Doc>,
}

/// `GrantEntitlementRequest` (and the settable members of `UpdateFlowEntitlementRequest`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EntitlementRequest {
    pub data_transfer_subscriber_fee_percent: Option<i64>,
    pub description: Option<String>,
    pub encryption: Option<Box<Encryption>>,
    pub entitlement_status: Option<String>,
    pub name: Option<String>,
    pub subscribers: Option<Vec<String>>,
    pub entitlement_tags: Option<Tags>,
}

/// `VpcInterfaceRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VpcInterfaceRequest {
    pub name: String,
    pub network_interface_type: Option<String>,
    pub role_arn: String,
    pub security_group_ids: Vec<String>,
    pub subnet_id: String,
    pub vpc_interface_tags: Option<Tags>,
}

/// `AddMediaStreamRequest` (and the settable members of `UpdateFlowMediaStreamRequest`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MediaStreamRequest {
    pub attributes: Option<Doc>,
    pub clock_rate: Option<i64>,
    pub description: Option<String>,
    pub media_stream_id: Option<i64>,
    pub media_stream_name: Option<String>,
    pub media_stream_type: Option<String>,
    pub video_format: Option<String>,
    pub media_stream_tags: Option<Tags>,
}

/// `CreateFlowRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateFlowRequest {
    pub availability_zone: Option<String>,
    pub entitlements: Vec<EntitlementRequest>,
    pub media_streams: Vec<MediaStreamRequest>,
    pub name: String,
    pub outputs: Vec<OutputRequest>,
    pub source: Option<SourceRequest>,
    pub source_failover_config: Option<FailoverConfig>,
    pub sources: Vec<SourceRequest>,
    pub vpc_interfaces: Vec<VpcInterfaceRequest>,
    pub maintenance: Option<Maintenance>,
    pub source_monitoring_config: Option<Doc>,
    pub flow_size: Option<String>,
    pub ndi_config: Option<Doc>,
    pub encoding_config: Option<Doc>,
    pub flow_tags: Option<Tags>,
}

/// `UpdateFlowRequest`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UpdateFlowRequest {
    pub source_failover_config: Option<FailoverConfig>,
    pub maintenance: Option<Maintenance>,
    pub source_monitoring_config: Option<Doc>,
    pub ndi_config: Option<Doc>,
    pub flow_size: Option<String>,
    pub encoding_config: Option<Doc>,
}

/// Every role ARN a request passes to MediaConnect (encryption `RoleArn`s and VPC interface
/// `RoleArn`s), wherever they sit in the input.
pub fn passed_roles(operation: &str, input: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(r) = v.and_then(Value::as_str) {
            if !out.iter().any(|x: &String| x == r) {
                out.push(r.to_string());
            }
        }
    };
    let enc = |v: &Value, m: &str| v.get(m).and_then(|e| e.get("RoleArn")).cloned();
    let list = |m: &str| {
        input
            .get(m)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    match operation {
        "CreateFlow" => {
            let mut sources = list("Sources");
            sources.extend(input.get("Source").cloned());
            for s in &sources {
                add(enc(s, "Decryption").as_ref());
            }
            for o in list("Outputs") {
                add(enc(&o, "Encryption").as_ref());
            }
            for e in list("Entitlements") {
                add(enc(&e, "Encryption").as_ref());
            }
            for v in list("VpcInterfaces") {
                add(v.get("RoleArn"));
            }
        }
        "AddFlowSources" => {
            for s in list("Sources") {
                add(enc(&s, "Decryption").as_ref());
            }
        }
        "UpdateFlowSource" => add(enc(input, "Decryption").as_ref()),
        "AddFlowOutputs" => {
            for o in list("Outputs") {
                add(enc(&o, "Encryption").as_ref());
            }
        }
        "UpdateFlowOutput" | "UpdateFlowEntitlement" => add(enc(input, "Encryption").as_ref()),
        "GrantFlowEntitlements" => {
            for e in list("Entitlements") {
                add(enc(&e, "Encryption").as_ref());
            }
        }
        "AddFlowVpcInterfaces" => {
            for v in list("VpcInterfaces") {
                add(v.get("RoleArn"));
            }
        }
        _ => {}
    }
    out
}

/// `InputConfiguration`s with their ingest addresses filled in: the address `ip_of` gives
/// the interface each names, else `ip` (the source's own).
pub fn with_input_ip(
    configs: &mut [MediaStreamSourceConfiguration],
    ip: &str,
    ip_of: impl Fn(&str) -> Option<String>,
) {
    for c in configs.iter_mut() {
        for i in c.input_configurations.iter_mut().flatten() {
            let InputConfiguration {
                input_ip,
                interface,
                ..
            } = i;
            if input_ip.is_empty() {
                *input_ip = ip_of(&interface.name).unwrap_or_else(|| ip.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_every_passed_role() {
        let input = json!({
            "Name": "f",
            "Source": {"Name": "s", "Decryption": {"RoleArn": "arn:aws:iam::1:role/a"}},
            "Outputs": [{"Encryption": {"RoleArn": "arn:aws:iam::1:role/b"}}],
            "VpcInterfaces": [{"RoleArn": "arn:aws:iam::1:role/a"}]
        });
        assert_eq!(
            passed_roles("CreateFlow", &input),
            vec!["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]
        );
        assert!(passed_roles("DescribeFlow", &input).is_empty());
    }

    #[test]
    fn parses_a_create_flow_request() {
        let r: CreateFlowRequest = parse(&json!({
            "Name": "f",
            "Source": {"Name": "s", "Protocol": "rtp", "IngestPort": 5000},
            "Maintenance": {"MaintenanceDay": "Monday", "MaintenanceStartHour": "02:00"}
        }))
        .unwrap();
        assert_eq!(r.name, "f");
        assert_eq!(r.source.unwrap().ingest_port, Some(5000));
        assert_eq!(
            r.maintenance.unwrap().maintenance_day.as_deref(),
            Some("Monday")
        );
    }
}
