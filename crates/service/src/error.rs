use serde_json::{Map, Value};
use std::fmt;

/// An error an operation answers with. `code` names an error shape of the service's model
/// (`ResourceNotFoundException`, `NoSuchEntity`, …); the protocol layer gives it that shape's
/// status code and wire fields. `status` is only for errors the model does not declare.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// The error code, usually a modelled error shape's name.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// Further members of the error shape, by member name (boxed: errors travel in every
    /// `Result`, and most have none).
    pub fields: Box<Map<String, Value>>,
    /// HTTP status for an error the model does not declare.
    pub status: Option<u16>,
    /// Whether the fault is the sender's (query protocol `Type`).
    pub sender_fault: bool,
}

impl ServiceError {
    /// An error with the given code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError {
            code: code.into(),
            message: message.into(),
            fields: Box::default(),
            status: None,
            sender_fault: true,
        }
    }

    /// Adds a member of the error shape.
    pub fn with_field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(name.to_string(), value.into());
        self
    }

    /// Sets the HTTP status (for errors the model does not declare).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        if status >= 500 {
            self.sender_fault = false;
        }
        self
    }

    /// The honest answer for an operation mediamock does not emulate yet.
    pub fn not_implemented(service: &str, operation: &str) -> Self {
        ServiceError::new(
            "NotImplemented",
            format!("mediamock does not implement {service}:{operation} yet"),
        )
        .with_status(501)
    }

    /// A server-side failure that is mediamock's fault, never the caller's.
    pub fn internal(message: impl Into<String>) -> Self {
        ServiceError::new("InternalFailure", message).with_status(500)
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}
