//! The rules of an `Encryption` (entitlement and output encryption, source decryption): which
//! members each key type needs or refuses, which key types each carrier takes, and which
//! protocols take encryption at all. Sources: the API Reference's `Encryption` shape and
//! request members, and the User Guide's "Protocols in MediaConnect".

use crate::error::bad_request;
use crate::model::Encryption;
use service::ServiceError;

/// What an `Encryption` is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carrier {
    /// An entitlement's `Encryption`.
    Entitlement,
    /// An output's `Encryption`.
    Output,
    /// A source's `Decryption`.
    Source,
}

impl Carrier {
    /// The request member that carries the settings.
    fn member(self) -> &'static str {
        match self {
            Carrier::Entitlement | Carrier::Output => "Encryption",
            Carrier::Source => "Decryption",
        }
    }

    /// The key types it takes: the API Reference allows "static-key, speke" for
    /// entitlements and static-key for sources and outputs, which since SRT also take
    /// srt-password (the `KeyType` enum; CloudFormation's FlowOutput and FlowSource).
    fn key_types(self) -> &'static [&'static str] {
        match self {
            Carrier::Entitlement => &["static-key", "speke"],
            Carrier::Output | Carrier::Source => &["static-key", "srt-password"],
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Carrier::Entitlement => "an entitlement",
            Carrier::Output => "an output",
            Carrier::Source => "a source",
        }
    }
}

/// Members only SPEKE uses ("required for SPEKE encryption and is not valid for static key
/// encryption"; the IV is optional but equally "not valid for static key encryption").
const SPEKE_REQUIRED: [&str; 4] = ["DeviceId", "Region", "ResourceId", "Url"];

/// Protocols the User Guide says take no encryption ("MediaConnect doesn't support encryption
/// for sources or outputs that use the … protocol").
const UNENCRYPTED_PROTOCOLS: [&str; 3] = ["rist", "rtp", "rtp-fec"];

/// Protocols srt-password belongs to (SRT listener and SRT caller sources and outputs).
const SRT_PROTOCOLS: [&str; 2] = ["srt-listener", "srt-caller"];

/// Checks `e` (as stored after any update is overlaid) for `carrier` using `protocol`
/// (`None` for entitlements and for sources or outputs that name none).
pub fn check(
    carrier: Carrier,
    e: Option<&Encryption>,
    protocol: Option<&str>,
) -> Result<(), ServiceError> {
    let Some(e) = e else { return Ok(()) };
    let member = carrier.member();
    if let Some(p) = protocol.filter(|p| UNENCRYPTED_PROTOCOLS.contains(p)) {
        return Err(bad_request(format!(
            "MediaConnect doesn't support encryption for protocol {p}. Remove {member} from {}.",
            carrier.noun()
        )));
    }
    // An update's overlay may start from nothing, so the shape's required RoleArn is
    // checked on the result too.
    if e.role_arn.as_deref().is_none_or(str::is_empty) {
        return Err(bad_request(format!("{member} RoleArn is required.")));
    }
    let key_type = e.kind();
    if !carrier.key_types().contains(&key_type) {
        return Err(bad_request(format!(
            "{member} KeyType {key_type} is not valid for {}. Allowable encryption types: {}.",
            carrier.noun(),
            carrier.key_types().join(", ")
        )));
    }
    if key_type == "srt-password" {
        if let Some(p) = protocol.filter(|p| !SRT_PROTOCOLS.contains(p)) {
            return Err(bad_request(format!(
                "{member} KeyType srt-password is only for the srt-listener and srt-caller protocols, not {p}."
            )));
        }
    }
    let speke = [
        ("DeviceId", &e.device_id),
        ("Region", &e.region),
        ("ResourceId", &e.resource_id),
        ("Url", &e.url),
        (
            "ConstantInitializationVector",
            &e.constant_initialization_vector,
        ),
    ];
    match key_type {
        "speke" => {
            for (name, value) in speke {
                if SPEKE_REQUIRED.contains(&name) && value.is_none() {
                    return Err(bad_request(format!(
                        "{member} {name} is required for speke encryption."
                    )));
                }
            }
            if e.secret_arn.is_some() {
                return Err(bad_request(format!(
                    "{member} SecretArn is not valid for speke encryption."
                )));
            }
            // "A 128-bit, 16-byte hex value represented by a 32-character string" (the
            // model's ConstantInitializationVector; the User Guide's SPEKE entitlement steps).
            if let Some(iv) = e
                .constant_initialization_vector
                .as_deref()
                .filter(|iv| iv.len() != 32 || !iv.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                return Err(bad_request(format!(
                    "{member} ConstantInitializationVector {iv} is not valid. Specify a 128-bit, 16-byte hex value represented by a 32-character string."
                )));
            }
        }
        "static-key" => {
            if let Some((name, _)) = speke.iter().find(|(_, v)| v.is_some()) {
                return Err(bad_request(format!(
                    "{member} {name} is not valid for static-key encryption."
                )));
            }
            required_secret(member, e, key_type)?;
        }
        _ => required_secret(member, e, key_type)?,
    }
    Ok(())
}

/// Checks an output's `Encryption` for its `protocol`.
pub fn check_output(e: Option<&Encryption>, protocol: Option<&str>) -> Result<(), ServiceError> {
    check(Carrier::Output, e, protocol)
}

/// Checks a source's `Decryption` for its `protocol`.
pub fn check_source(e: Option<&Encryption>, protocol: Option<&str>) -> Result<(), ServiceError> {
    check(Carrier::Source, e, protocol)
}

fn required_secret(member: &str, e: &Encryption, key_type: &str) -> Result<(), ServiceError> {
    if e.secret_arn.is_none() {
        return Err(bad_request(format!(
            "{member} SecretArn is required for {key_type} encryption."
        )));
    }
    Ok(())
}
