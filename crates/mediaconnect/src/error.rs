//! MediaConnect's modelled errors. Every error shape of the model carries its text in
//! `Message` (wire name `message`); the protocol layer gives each its status code.

use service::ServiceError;

/// `BadRequestException` (400): the request breaks one of MediaConnect's rules. MediaConnect
/// also answers this for operations on flows in the wrong state (its flow operations model no
/// `ConflictException`).
pub fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new("BadRequestException", message)
}

/// `NotFoundException` (404) for a resource ARN or name the caller cannot see.
pub fn not_found(message: impl Into<String>) -> ServiceError {
    ServiceError::new("NotFoundException", message)
}

/// `ConflictException` (409), for the resource families whose operations model it.
pub fn conflict(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ConflictException", message)
}
