//! The authenticate stage: SigV4 verification against the IAM store's keys.

use parking_lot::Mutex;
use service::{Principal, ServiceError};
use sigv4::{Credential, CredentialLookup, RequestParts, SigV4Error, Verified};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Looks keys up in the IAM store and remembers whose key it was.
struct IamKeys<'a> {
    iam: &'a iam::Iam,
    principal: Mutex<Option<Arc<Principal>>>,
}

impl CredentialLookup for IamKeys<'_> {
    fn lookup(&self, access_key_id: &str) -> Option<Credential> {
        let found = self.iam.lookup_key(access_key_id)?;
        *self.principal.lock() = Some(found.principal.clone());
        Some(Credential {
            secret_access_key: found.secret_access_key,
            session_token: found.session_token,
            expires_at: found
                .expires_at
                .map(|s| UNIX_EPOCH + Duration::from_secs_f64(s.max(0.0))),
        })
    }
}

/// The checks that need no body (credentials present and well formed, clock window, scope,
/// a known key), run before the body is read so that no unauthenticated client can make the
/// server buffer one.
pub fn check_before_body(
    verifier: &sigv4::Verifier,
    iam: &iam::Iam,
    parts: &RequestParts,
    now: SystemTime,
) -> Result<sigv4::Checked, SigV4Error> {
    // Before the body only the key's existence is checked (the signature, secret and token
    // come after it): no secret or principal is copied out here.
    let keys = |id: &str| {
        iam.knows_key(id).then(|| Credential {
            secret_access_key: String::new(),
            session_token: None,
            expires_at: None,
        })
    };
    verifier.check_before_body(parts, &keys, now, None)
}

/// Verifies the request's signature, body included; on success, who signed it and the
/// credential scope.
pub fn authenticate(
    verifier: &sigv4::Verifier,
    iam: &iam::Iam,
    parts: &RequestParts,
    now: SystemTime,
) -> Result<(Arc<Principal>, Verified), SigV4Error> {
    authenticate_with(verifier, iam, parts, now, false, None)
}

/// As [`authenticate`]; `allow_unsigned_payload` is whether the operation's model lets the
/// body go unsigned (`UNSIGNED-PAYLOAD`); `checked` is what [`check_before_body`] of the same
/// parts found, if it ran (its parsing is not repeated).
pub fn authenticate_with(
    verifier: &sigv4::Verifier,
    iam: &iam::Iam,
    parts: &RequestParts,
    now: SystemTime,
    allow_unsigned_payload: bool,
    checked: Option<sigv4::Checked>,
) -> Result<(Arc<Principal>, Verified), SigV4Error> {
    let keys = IamKeys {
        iam,
        principal: Mutex::new(None),
    };
    let options = sigv4::VerifyOptions {
        expected_service: None,
        allow_unsigned_payload,
    };
    let verified = match checked {
        Some(checked) => verifier.verify_checked(parts, checked, &keys, now, options)?,
        None => verifier.verify_with(parts, &keys, now, options)?,
    };
    let principal = keys
        .principal
        .lock()
        .take()
        .expect("a verified request's key was looked up");
    iam.record_key_use(
        &verified.access_key_id,
        &verified.scope.service,
        &verified.scope.region,
    );
    Ok((principal, verified))
}

/// The authentication failure as the target service's protocol spells it.
pub fn auth_error(e: &SigV4Error, query_protocol: bool) -> ServiceError {
    let mut err = ServiceError::new(e.code(query_protocol), e.message_for(query_protocol))
        .with_status(e.status());
    err.sender_fault = true;
    err
}
