//! v2's error shapes: `ValidationException` with `ValidationExceptionType`,
//! `ConflictException` with `ConflictExceptionType`, `ResourceNotFoundException` with
//! `ResourceTypeNotFound`; the message member is `Message`.

use super::arns::Kind;
use service::ServiceError;

/// A `ValidationException` of `kind` (a `ValidationExceptionType` value).
pub fn invalid(kind: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new("ValidationException", message).with_field("ValidationExceptionType", kind)
}

/// A `ConflictException` of `kind` (a `ConflictExceptionType` value).
pub fn conflict(kind: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new("ConflictException", message).with_field("ConflictExceptionType", kind)
}

/// The resource of `kind` does not exist (or is not the caller's). AWS's words, as checked
/// against AWS by moto's `aws_verified` tests (tests/test_mediapackagev2): "MediaPackage can't
/// process your request because we can't find your channel group. Verify your channel group
/// name or add a channel group and then try again", and the same of a channel. An origin
/// endpoint's follows that pattern; a harvest job's keeps the earlier wording (both ours).
pub fn not_found(kind: Kind) -> ServiceError {
    let (what, add, wire) = match kind {
        Kind::Group => ("channel group", " or add a channel group", "CHANNEL_GROUP"),
        Kind::Channel => ("channel", " or add a channel", "CHANNEL"),
        Kind::Endpoint => (
            "origin endpoint",
            " or add an origin endpoint",
            "ORIGIN_ENDPOINT",
        ),
        Kind::Job => ("harvest job", "", "HARVEST_JOB"),
    };
    let then = if add.is_empty() { "" } else { " then" };
    ServiceError::new(
        "ResourceNotFoundException",
        format!(
            "MediaPackage can't process your request because we can't find your {what}. Verify your {what} name{add} and{then} try again"
        ),
    )
    .with_field("ResourceTypeNotFound", wire)
}

/// A resource with that name already exists.
pub fn already_exists(kind: Kind) -> ServiceError {
    let what = match kind {
        Kind::Group => "channel group",
        Kind::Channel => "channel",
        Kind::Endpoint => "origin endpoint",
        Kind::Job => "harvest job",
    };
    let article = if what.starts_with('o') { "an" } else { "a" };
    conflict(
        "RESOURCE_ALREADY_EXISTS",
        format!(
            "MediaPackage can't create the {what} because {article} {what} with that name already exists"
        ),
    )
}

/// The `x-amzn-update-if-match` entity tag is not the resource's current one.
pub fn stale_etag() -> ServiceError {
    conflict(
        "CONFLICTING_OPERATION",
        "The resource has changed since you last read it: the entity tag (ETag) you sent does not match the current one. Get the resource and try again",
    )
}

/// A `ClientToken` reused with other parameters.
pub fn token_mismatch() -> ServiceError {
    conflict(
        "IDEMPOTENT_PARAMETER_MISMATCH",
        "The client token was already used with different parameters",
    )
}

/// A paging token of another listing (or forged).
pub fn bad_page_token(e: ServiceError) -> ServiceError {
    if e.code == "ValidationException" {
        e.with_field("ValidationExceptionType", "INVALID_PAGINATION_TOKEN")
    } else {
        e
    }
}
