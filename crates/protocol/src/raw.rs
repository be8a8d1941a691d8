//! The subset of botocore's `service-2.json` / `paginators-1.json` the protocol layer reads.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A whole `service-2.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct RawModel {
    pub metadata: RawMetadata,
    pub operations: BTreeMap<String, RawOperation>,
    pub shapes: BTreeMap<String, RawShape>,
}

/// The model's `metadata` block.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawMetadata {
    pub protocol: String,
    pub api_version: String,
    pub signing_name: Option<String>,
    pub endpoint_prefix: String,
    pub xml_namespace: Option<String>,
}

/// One operation.
#[derive(Debug, Deserialize)]
pub(crate) struct RawOperation {
    pub name: String,
    pub http: RawHttp,
    pub input: Option<RawRef>,
    pub output: Option<RawRef>,
    #[serde(default)]
    pub errors: Vec<RawRef>,
    /// `none` for operations AWS serves without a signature.
    #[serde(default)]
    pub authtype: Option<String>,
    /// `true` (newer botocore) for operations whose body may be left out of the signature.
    #[serde(default, rename = "unsignedPayload")]
    pub unsigned_payload: bool,
}

/// An operation's HTTP binding.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawHttp {
    pub method: String,
    pub request_uri: String,
    pub response_code: Option<u16>,
}

/// A reference to a shape (operation input/output/error, list member, map key/value).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawRef {
    pub shape: String,
    pub result_wrapper: Option<String>,
    pub location_name: Option<String>,
}

/// A shape definition.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawShape {
    #[serde(rename = "type")]
    pub kind: String,
    /// Kept as a JSON map so member order survives (serde_json `preserve_order`).
    #[serde(default)]
    pub members: Map<String, Value>,
    #[serde(default)]
    pub required: Vec<String>,
    pub member: Option<RawRef>,
    pub key: Option<RawRef>,
    pub value: Option<RawRef>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub pattern: Option<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub timestamp_format: Option<String>,
    pub error: Option<RawError>,
    #[serde(default)]
    pub exception: bool,
    pub payload: Option<String>,
    #[serde(default)]
    pub flattened: bool,
}

/// A structure member.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawMember {
    pub shape: String,
    pub location: Option<String>,
    pub location_name: Option<String>,
    #[serde(default)]
    pub jsonvalue: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub flattened: bool,
}

/// An error shape's `error` block.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawError {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// A whole `paginators-1.json`.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct RawPaginators {
    #[serde(default)]
    pub pagination: BTreeMap<String, RawPaginator>,
}

/// One paginator; tokens may be a string or a list of strings in botocore.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPaginator {
    pub input_token: Option<Value>,
    pub output_token: Option<Value>,
    pub limit_key: Option<String>,
    pub result_key: Option<Value>,
}
