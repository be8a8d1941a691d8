//! STS's MFA check: a `SerialNumber` and `TokenCode` verified against the caller's enabled
//! virtual MFA device, each code accepted once.

use crate::credentials::totp;
use crate::store::{MfaDevice, State};
use service::{Journal, Principal, ServiceError};

/// Steps either side of now a token code may come from (authenticator clocks drift a little).
const WINDOW: i64 = 1;

/// STS's refusal of a serial number that names none of the caller's MFA devices, with the two
/// spaces AWS puts between its sentences (AWS CLI output quoted by users, and botocore's
/// recorded GetSessionToken error).
const UNKNOWN_DEVICE: &str = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.";

fn denied(message: &str) -> ServiceError {
    ServiceError::new("AccessDenied", message).with_status(403)
}

/// Checks the request's MFA without spending the code: `Ok(Some(..))` when a code was given
/// and is valid now, `Ok(None)` when the request carries no MFA. The authorize stage uses it
/// to set `aws:MultiFactorAuthPresent`; the handler then spends the code with [`verify`].
pub(crate) fn check(
    state: &State,
    caller: &Principal,
    serial: Option<&str>,
    code: Option<&str>,
    now: f64,
) -> Result<Option<(MfaDevice, i64)>, ServiceError> {
    let (serial, code) = match (serial, code) {
        (None, None) => return Ok(None),
        (Some(s), c) => (s, c.unwrap_or_default()),
        (None, Some(_)) => return Err(denied(UNKNOWN_DEVICE)),
    };
    let device = crate::api::iam::mfa_device(state, &caller.account, serial)
        .filter(|d| d.user_id.as_deref() == Some(caller.user_id.as_str()))
        .cloned()
        .ok_or_else(|| denied(UNKNOWN_DEVICE))?;
    let secret = data_encoding::BASE32_NOPAD
        .decode(device.seed.as_bytes())
        .unwrap_or_default();
    let invalid =
        || denied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
    let step = totp::find_step(&secret, code, totp::step_at(now), WINDOW).ok_or_else(invalid)?;
    // A code, once used, is spent: so is every earlier one.
    if device.last_step.is_some_and(|last| step <= last) {
        return Err(invalid());
    }
    Ok(Some((device, step)))
}

/// Verifies the request's MFA, if it names a device: `Ok(true)` when a code was checked and
/// accepted (and journaled as used), `Ok(false)` when the request carries no MFA.
pub(crate) fn verify(
    state: &mut State,
    journal: &Journal,
    caller: &Principal,
    serial: Option<&str>,
    code: Option<&str>,
    now: f64,
) -> Result<bool, ServiceError> {
    let Some((device, step)) = check(state, caller, serial, code, now)? else {
        return Ok(false);
    };
    let mut used = device;
    used.last_step = Some(step);
    state.put_mfa(journal, used);
    Ok(true)
}
