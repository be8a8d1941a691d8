//! Virtual MFA devices: create, enable with two consecutive TOTP codes, resync, deactivate,
//! delete, list, get and tag.

use super::entity::Entity;
use super::users::{self, target_name};
use super::Call;
use crate::api::errors::{delete_conflict, quota};
use crate::api::input;
use crate::credentials::{qr_png, totp};
use crate::store::{MfaDevice, State, User};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use data_encoding::BASE32_NOPAD;
use serde_json::{json, Value};
use service::ServiceError;

/// How many steps either side of now EnableMFADevice and ResyncMFADevice look (clock drift
/// is what resync is for).
const ENABLE_WINDOW: i64 = 10;
/// MFA devices a user may have (AWS's quota).
const DEVICES_PER_USER: usize = 8;

/// `InvalidAuthenticationCode`, as IAM answers a code that does not match.
pub(crate) fn invalid_code() -> ServiceError {
    ServiceError::new(
        "InvalidAuthenticationCode",
        "Authentication code for device is not valid.",
    )
}

/// A serial number that names no device: the words AWS answers DeleteVirtualMFADevice and
/// DeactivateMFADevice with (LocalStack's snapshot tests recorded against AWS:
/// test_iam_mfa.snapshot.json test_virtual_mfa_device_errors 'delete-nonexistent-error',
/// test_enable_mfa_device_errors 'deactivate-nonexistent-mfa-error').
fn no_such_device(serial: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("MFA Device with serial number {serial} does not exist."),
    )
}

/// The stored device a serial number (its ARN) names.
pub(crate) fn find<'a>(
    s: &'a State,
    account: &str,
    serial: &str,
) -> Result<&'a MfaDevice, ServiceError> {
    let name = serial.rsplit('/').next().unwrap_or_default().to_lowercase();
    s.account(account)
        .and_then(|a| a.mfa_devices.get(&name))
        .filter(|d| d.serial() == serial)
        .ok_or_else(|| no_such_device(serial))
}

/// The user a device is enabled for.
pub(crate) fn owner<'a>(s: &'a State, d: &MfaDevice) -> Option<&'a User> {
    let id = d.user_id.as_deref()?;
    s.account(&d.account)?.users.values().find(|u| u.id == id)
}

/// The devices enabled for a user.
pub(crate) fn devices_of<'a>(s: &'a State, u: &User) -> Vec<&'a MfaDevice> {
    s.account(&u.account)
        .map(|a| {
            a.mfa_devices
                .values()
                .filter(|d| d.user_id.as_deref() == Some(u.id.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// A virtual MFA device; ListVirtualMFADevices leaves out its `Tags` (`with_tags` false), as
/// its API Reference says.
fn device_json(s: &State, d: &MfaDevice, with_tags: bool) -> Value {
    let mut v = json!({"SerialNumber": d.serial()});
    if let Some(u) = owner(s, d) {
        v["User"] = users::listed_json(u);
    }
    if let Some(t) = d.enabled {
        v["EnableDate"] = json!(t);
    }
    if with_tags && !d.tags.is_empty() {
        v["Tags"] = input::tags_json(&d.tags);
    }
    v
}

/// The seed's bytes (the shared HMAC key).
pub(crate) fn secret(d: &MfaDevice) -> Vec<u8> {
    BASE32_NOPAD.decode(d.seed.as_bytes()).unwrap_or_default()
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "VirtualMFADeviceName")?;
    let path = input::path(c.input, "Path")?;
    let tags = super::tags::requested::<MfaDevice>(c.input)?;
    let exists = s
        .account(c.account)
        .is_some_and(|a| a.mfa_devices.contains_key(&name.to_lowercase()));
    if exists {
        // test_iam_mfa.snapshot.json test_virtual_mfa_device_errors 'create-duplicate-error'.
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            "MFA device already exists.",
        ));
    }
    // 20 random bytes, as AWS's seeds: 32 Base32 characters.
    let seed = BASE32_NOPAD.encode(&c.iam.runtime.ids.bytes(20));
    let label = s
        .account(c.account)
        .and_then(|a| a.settings.aliases.first().cloned())
        .unwrap_or_else(|| c.account.to_string());
    let png = qr_png::png(&qr_png::otpauth_uri(name, &label, &seed))
        .map_err(|e| ServiceError::internal(format!("QR code: {e}")))?;
    let d = MfaDevice {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        seed: seed.clone(),
        created: c.now.floor(),
        tags,
        user_id: None,
        enabled: None,
        last_step: None,
    };
    let mut v = device_json(s, &d, true);
    v["Base32StringSeed"] = json!(STANDARD.encode(seed.as_bytes()));
    v["QRCodePNG"] = json!(STANDARD.encode(png));
    s.put_mfa(&c.ctx.journal, d);
    Ok(json!({ "VirtualMFADevice": v }))
}

/// Checks two consecutive codes and returns the step of the second.
fn check_pair(c: &Call, d: &MfaDevice) -> Result<i64, ServiceError> {
    let one = input::req(c.input, "AuthenticationCode1")?;
    let two = input::req(c.input, "AuthenticationCode2")?;
    let first = totp::find_consecutive(&secret(d), one, two, totp::step_at(c.now), ENABLE_WINDOW)
        .ok_or_else(invalid_code)?;
    if d.last_step.is_some_and(|last| first <= last) {
        return Err(invalid_code());
    }
    Ok(first + 1)
}

pub(crate) fn enable(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let user = users::find(s, c.account, input::req(c.input, "UserName")?)?.clone();
    let serial = input::req(c.input, "SerialNumber")?;
    let mut d = find(s, c.account, serial)?.clone();
    if d.user_id.is_some() {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            "MFA Device is already in use.",
        ));
    }
    if devices_of(s, &user).len() >= DEVICES_PER_USER {
        return Err(quota("MFADevicesPerUser", DEVICES_PER_USER));
    }
    d.last_step = Some(check_pair(c, &d)?);
    d.user_id = Some(user.id.clone());
    d.enabled = Some(c.now.floor());
    s.put_mfa(&c.ctx.journal, d);
    Ok(json!({}))
}

/// The device `SerialNumber` names, enabled for the user `UserName` (or the caller) names.
fn assigned(c: &Call, s: &State) -> Result<(User, MfaDevice), ServiceError> {
    let user = users::find(s, c.account, &target_name(c)?)?.clone();
    let serial = input::req(c.input, "SerialNumber")?;
    let d = find(s, c.account, serial)
        .ok()
        .filter(|d| d.user_id.as_deref() == Some(user.id.as_str()))
        .ok_or_else(|| {
            ServiceError::new(
                "NoSuchEntity",
                format!("MFA Device with serial number {serial} does not exist."),
            )
        })?;
    Ok((user, d.clone()))
}

pub(crate) fn resync(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (_, mut d) = assigned(c, s)?;
    d.last_step = Some(check_pair(c, &d)?);
    s.put_mfa(&c.ctx.journal, d);
    Ok(json!({}))
}

pub(crate) fn deactivate(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (_, mut d) = assigned(c, s)?;
    d.user_id = None;
    d.enabled = None;
    s.put_mfa(&c.ctx.journal, d);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let serial = input::req(c.input, "SerialNumber")?;
    let d = find(s, c.account, serial)?;
    if d.user_id.is_some() {
        return Err(delete_conflict("MFA device is still in use."));
    }
    let name = d.name.clone();
    s.delete_mfa(&c.ctx.journal, c.account, &name);
    Ok(json!({}))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    // Root's own devices ("IAM determines the user name implicitly based on the access key
    // ID signing the request"): root's MFA is set up in the console, which mediamock has
    // not, so it has none.
    if users::roots_own(c) {
        return c.paged(Vec::new(), "MFADevices");
    }
    let user = users::find(s, c.account, &target_name(c)?)?;
    let items = devices_of(s, user)
        .into_iter()
        .map(|d| {
            (
                d.name.to_lowercase(),
                json!({"UserName": user.name, "SerialNumber": d.serial(), "EnableDate": d.enabled}),
            )
        })
        .collect();
    c.paged(items, "MFADevices")
}

pub(crate) fn list_virtual(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let status = input::opt(c.input, "AssignmentStatus").unwrap_or("Any");
    let items = s
        .account(c.account)
        .map(|a| {
            a.mfa_devices
                .iter()
                .filter(|(_, d)| match status {
                    "Assigned" => d.user_id.is_some(),
                    "Unassigned" => d.user_id.is_none(),
                    _ => true,
                })
                .map(|(k, d)| (k.clone(), device_json(s, d, false)))
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "VirtualMFADevices")
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let serial = input::req(c.input, "SerialNumber")?;
    let d = find(s, c.account, serial)?;
    let mut out = json!({"SerialNumber": d.serial()});
    if let Some(u) = owner(s, d) {
        out["UserName"] = json!(u.name);
    }
    if let Some(t) = d.enabled {
        out["EnableDate"] = json!(t);
    }
    Ok(out)
}

impl Entity for MfaDevice {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(s, c.account, input::req(c.input, "SerialNumber")?)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_mfa(&c.ctx.journal, self);
    }
}
