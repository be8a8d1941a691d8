//! A service's data plane: requests outside its API model (MediaPackage egress of manifests
//! and segments, ingest of content). The server routes them to the service, authorizes them
//! through the same stage as API calls (action = [`ObjectRequest::action`], resources from
//! [`crate::Service::locate`] with [`ObjectRequest::input`]), then asks the service to serve.

use serde_json::Value;

/// A data-plane request the service recognised by method and path.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectRequest {
    /// The action it is authorized as, without the service prefix (`GetObject`).
    pub action: &'static str,
    /// The region the path names (unsigned requests name no credential scope).
    pub region: String,
    /// What the service needs to serve it and to locate its resource (e.g. `{"Arn": …}`).
    pub input: Value,
}

/// What a data-plane request returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the body.
    pub content_type: &'static str,
    /// The body (sent as its length only, without bytes, to a HEAD request).
    pub body: Vec<u8>,
}
