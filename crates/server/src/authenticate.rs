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

/// Verifies the request's signature; on success, who signed it and the credential scope.
pub fn authenticate(
    verifier: &sigv4::Verifier,
    iam: &iam::Iam,
    parts: &RequestParts,
    now: SystemTime,
) -> Result<(Arc<Principal>, Verified), SigV4Error> {
    let keys = IamKeys {
        iam,
        principal: Mutex::new(None),
    };
    let verified = verifier.verify(parts, &keys, now)?;
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
    let mut err = ServiceError::new(e.code(query_protocol), e.message()).with_status(e.status());
    err.sender_fault = true;
    err
}
