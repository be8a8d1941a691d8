//! IAM's error codes and exact messages.

use service::ServiceError;

/// `NoSuchEntity`: "The user with name bob cannot be found."
pub fn no_such(kind: &str, name: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The {kind} with name {name} cannot be found."),
    )
}

/// `NoSuchEntity` for a managed policy ARN.
pub fn no_such_policy(arn: &str) -> ServiceError {
    ServiceError::new("NoSuchEntity", format!("Policy {arn} was not found."))
}

/// `NoSuchEntity` for attaching an unknown policy.
pub fn not_attachable(arn: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

/// `NoSuchEntity` for a permissions boundary (IAM's "scope" policy) that names no policy the
/// account may use. AWS's words, as quoted from CreateRole with `--permissions-boundary`:
/// "Scope ARN: arn:aws:iam::…:policy/… does not exist or is not attachable."
pub fn no_such_boundary(arn: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("Scope ARN: {arn} does not exist or is not attachable."),
    )
}

/// `EntityAlreadyExists`: "User with name bob already exists."
pub fn exists(kind: &str, name: &str) -> ServiceError {
    ServiceError::new(
        "EntityAlreadyExists",
        format!("{kind} with name {name} already exists."),
    )
}

/// `DeleteConflict` with AWS's reason.
pub fn delete_conflict(message: &str) -> ServiceError {
    ServiceError::new("DeleteConflict", message)
}

/// `LimitExceeded`: "Cannot exceed quota for AccessKeysPerUser: 2".
pub fn quota(name: &str, n: usize) -> ServiceError {
    ServiceError::new(
        "LimitExceeded",
        format!("Cannot exceed quota for {name}: {n}"),
    )
}

/// `MalformedPolicyDocument` with the parser's reason.
pub fn malformed(reason: String) -> ServiceError {
    ServiceError::new("MalformedPolicyDocument", reason)
}

/// `InvalidInput`.
pub fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::new("InvalidInput", message)
}

/// IAM's `ValidationError` for one member failing a constraint, in Coral's words as IAM
/// answers them now: without the value (see `protocol`'s `TERSE_CORAL_MESSAGES`).
pub fn constraint(member: &str, constraint: &str) -> ServiceError {
    ServiceError::new(
        "ValidationError",
        format!("1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}"),
    )
    .with_status(400)
}
