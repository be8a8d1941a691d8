//! The rules AWS checks on an endpoint's SPEKE encryption: which DRM systems each container and
//! encryption method supports, the SPEKE v2.0 preset combinations, the key provider's URL and
//! role; and the IAM role ARN form other members (CDN authorization) share.

use super::errors::invalid;
use super::model::Encryption;
use service::ServiceError;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The DRM systems SPEKE v2.0 supports with `method` in `container`: AWS's support matrix
/// ("Container and DRM system support with SPEKE") for TS and CMAF; for ISM, "MSS encryption
/// in MediaPackage supports PlayReady DRM only" ("MSS encryption and DRM in AWS Elemental
/// MediaPackage", mss-encryption.html).
fn supported_drm_systems(container: &str, method: &str) -> Option<&'static [&'static str]> {
    match (container, method) {
        ("TS", "SAMPLE_AES") => Some(&["FAIRPLAY"]),
        ("TS", "AES_128") => Some(&["CLEAR_KEY_AES_128"]),
        ("CMAF", "CBCS") => Some(&["FAIRPLAY", "WIDEVINE", "PLAYREADY"]),
        ("CMAF", "CENC") => Some(&["WIDEVINE", "PLAYREADY", "IRDETO"]),
        ("ISM", "CENC") => Some(&["PLAYREADY"]),
        _ => None,
    }
}

/// A DRM system's name as AWS's documentation writes it.
fn drm_label(system: &str) -> &str {
    match system {
        "FAIRPLAY" => "Apple FairPlay",
        "CLEAR_KEY_AES_128" => "ClearKey AES-128",
        "WIDEVINE" => "Google Widevine",
        "PLAYREADY" => "Microsoft PlayReady",
        "IRDETO" => "Irdeto",
        other => other,
    }
}

/// The SPEKE rules of an endpoint's `encryption` in `container` (whose encryption method the
/// caller has already matched to the container).
pub(super) fn check(container: &str, encryption: &Encryption) -> Result<(), ServiceError> {
    let m = &encryption.encryption_method;
    let method = m
        .ts_encryption_method
        .as_deref()
        .or(m.cmaf_encryption_method.as_deref())
        .or(m.ism_encryption_method.as_deref())
        .unwrap_or_default();
    let speke = &encryption.speke_key_provider;
    if let Some(supported) = supported_drm_systems(container, method) {
        if let Some(bad) = speke
            .drm_systems
            .iter()
            .find(|d| !supported.contains(&d.as_str()))
        {
            return Err(invalid(
                "DRM_SYSTEMS_ENCRYPTION_METHOD_INCOMPATIBLE",
                format!(
                    "The {} DRM system doesn't support the {method} encryption method with the {container} container type",
                    drm_label(bad)
                ),
            ));
        }
    }
    // "Shared DRM presets: Video and audio presets must be set to SHARED because MSS uses the
    // same DRM information across the manifest for video, audio, and subtitle segments"
    // (mss-encryption.html); the reason is the model's, the wording ours.
    let contract = &speke.encryption_contract_configuration;
    if container == "ISM"
        && (contract.preset_speke20_audio != "SHARED" || contract.preset_speke20_video != "SHARED")
    {
        return Err(invalid(
            "ENCRYPTION_CONTRACT_WITH_ISM_CONTAINER_INCOMPATIBLE",
            format!(
                "The {} audio preset with the {} video preset is not supported with the ISM container type: MSS needs the SHARED preset for both audio and video",
                contract.preset_speke20_audio, contract.preset_speke20_video
            ),
        ));
    }
    check_presets(
        &speke.encryption_contract_configuration.preset_speke20_audio,
        &speke.encryption_contract_configuration.preset_speke20_video,
    )?;
    check_content_key_period(encryption)?;
    check_url(&speke.url)?;
    if !service::is_role_arn(&speke.role_arn) {
        return Err(invalid(
            "ROLE_ARN_INVALID_FORMAT",
            format!(
                "The role ARN {} of the SPEKE key provider is not valid. Valid format: arn:aws:iam::{{accountID}}:role/{{name}}",
                speke.role_arn
            ),
        ));
    }
    Ok(())
}

/// SPEKE v2.0 presets: UNENCRYPTED goes with neither UNENCRYPTED nor SHARED, and SHARED is
/// chosen for both audio and video or for neither.
fn check_presets(audio: &str, video: &str) -> Result<(), ServiceError> {
    let unencrypted = audio == "UNENCRYPTED" || video == "UNENCRYPTED";
    let shared = audio == "SHARED" || video == "SHARED";
    if (audio == "UNENCRYPTED" && video == "UNENCRYPTED") || (unencrypted && shared) {
        return Err(invalid(
            "ENCRYPTION_CONTRACT_UNENCRYPTED",
            format!(
                "The encryption contract can't combine the {audio} audio preset with the {video} video preset: an UNENCRYPTED preset needs an encrypting (PRESET_AUDIO_n or PRESET_VIDEO_n) preset for the other track type"
            ),
        ));
    }
    if shared && audio != video {
        return Err(invalid(
            "ENCRYPTION_CONTRACT_SHARED",
            format!(
                "The encryption contract can't combine the {audio} audio preset with the {video} video preset: when you choose the SHARED preset, choose it for both audio and video"
            ),
        ));
    }
    Ok(())
}

/// Signaling a content key's start and end times (`ContentKeyPeriodTiming` START_END_ONLY or
/// INDEX_WITH_START_END) needs SPEKE version V2_1 (V2_0 is the default) and key rotation
/// (a `KeyRotationIntervalSeconds`; without one keys aren't rotated): the model's
/// `ContentKeyPeriodConfiguration` and `ContentKeyPeriodTiming` docs. INDEX_ONLY, the default,
/// goes with either version. The reasons are the model's; the wording is ours.
fn check_content_key_period(encryption: &Encryption) -> Result<(), ServiceError> {
    let speke = &encryption.speke_key_provider;
    let Some(timing) = speke
        .content_key_period_configuration
        .as_ref()
        .and_then(|c| c.content_key_period_timing.as_deref())
        .filter(|t| *t != "INDEX_ONLY")
    else {
        return Ok(());
    };
    let version = speke.speke_version.as_deref().unwrap_or("V2_0");
    if version != "V2_1" {
        return Err(invalid(
            "CONTENT_KEY_PERIOD_TIMING_REQUIRES_SPEKE_V2_1",
            format!(
                "The {timing} content key period timing requires SPEKE version V2_1, but the key provider uses {version}"
            ),
        ));
    }
    if encryption.key_rotation_interval_seconds.is_none() {
        return Err(invalid(
            "CONTENT_KEY_PERIOD_TIMING_WITHOUT_KEY_ROTATION",
            format!(
                "The {timing} content key period timing requires key rotation: set KeyRotationIntervalSeconds"
            ),
        ));
    }
    Ok(())
}

/// The classes of host the model's `ValidationExceptionType` names for a key provider URL that
/// a literal host (or `localhost`, which resolves to loopback, RFC 6761) shows without a DNS
/// lookup: the reason and our words for it (AWS publishes no message). `URL_LOCAL_ADDRESS` is
/// taken as the unspecified address only: whether AWS also counts private (RFC 1918) ranges
/// is not documented, so those are accepted. `URL_UNKNOWN_HOST` would need DNS and `URL_PORT`
/// has no documented rule, so neither is checked.
fn address_class(host: &str) -> Option<(&'static str, &'static str)> {
    const LOOPBACK: (&str, &str) = ("URL_LOOPBACK_ADDRESS", "a loopback address");
    const LOCAL: (&str, &str) = ("URL_LOCAL_ADDRESS", "a local (unspecified) address");
    const LINK_LOCAL: (&str, &str) = ("URL_LINK_LOCAL_ADDRESS", "a link-local address");
    const MULTICAST: (&str, &str) = ("URL_MULTICAST_ADDRESS", "a multicast address");
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.eq_ignore_ascii_case("localhost") || name.to_ascii_lowercase().ends_with(".localhost") {
        return Some(LOOPBACK);
    }
    let v4 = |a: Ipv4Addr| {
        if a.is_loopback() {
            Some(LOOPBACK)
        } else if a.is_unspecified() {
            Some(LOCAL)
        } else if a.is_link_local() {
            Some(LINK_LOCAL)
        } else if a.is_multicast() {
            Some(MULTICAST)
        } else {
            None
        }
    };
    // An address as a URL parser reads it (WHATWG, as browsers and HTTP clients do): `127.1`,
    // `2130706433` and `0x7f.0.0.1` are all 127.0.0.1, `0` is 0.0.0.0.
    let parsed = url::Host::parse(host).ok();
    if let Some(url::Host::Ipv4(a)) = parsed {
        return v4(a);
    }
    let a = match parsed {
        Some(url::Host::Ipv6(a)) => a,
        _ => host.parse::<Ipv6Addr>().ok()?,
    };
    if let Some(mapped) = a.to_ipv4_mapped() {
        return v4(mapped);
    }
    if a.is_loopback() {
        Some(LOOPBACK)
    } else if a.is_unspecified() {
        Some(LOCAL)
    } else if a.segments()[0] & 0xffc0 == 0xfe80 {
        // fe80::/10
        Some(LINK_LOCAL)
    } else if a.is_multicast() {
        Some(MULTICAST)
    } else {
        None
    }
}

/// The SPEKE key provider's URL: https, no user information, a host that is not loopback,
/// unspecified, link-local or multicast.
fn check_url(url: &str) -> Result<(), ServiceError> {
    let Some(rest) = url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))
        .map(|_| &url[8..])
    else {
        return Err(invalid(
            "URL_SCHEME",
            format!("The SPEKE key provider URL {url} is not valid: it must start with https://"),
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(
            "URL_USER_INFO",
            "The SPEKE key provider URL is not valid: it can't include user information",
        ));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(invalid(
            "URL_INVALID",
            format!("The SPEKE key provider URL {url} is not valid: it has no host"),
        ));
    }
    if let Some((kind, what)) = address_class(host) {
        return Err(invalid(
            kind,
            format!("The SPEKE key provider URL {url} is not valid: its host is {what}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let kind = |u: &str| {
            check_url(u).err().map(|e| {
                e.fields["ValidationExceptionType"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        };
        assert_eq!(kind("https://speke.example.com/copyProtection"), None);
        assert_eq!(kind("HTTPS://speke.example.com:8443/x"), None);
        assert_eq!(
            kind("http://speke.example.com").as_deref(),
            Some("URL_SCHEME")
        );
        assert_eq!(kind("speke.example.com").as_deref(), Some("URL_SCHEME"));
        assert_eq!(
            kind("https://user:pw@speke.example.com/").as_deref(),
            Some("URL_USER_INFO")
        );
        assert_eq!(
            kind("https://169.254.169.254/latest").as_deref(),
            Some("URL_LINK_LOCAL_ADDRESS")
        );
        assert_eq!(
            kind("https://[fe80::1]:443/").as_deref(),
            Some("URL_LINK_LOCAL_ADDRESS")
        );
        assert_eq!(kind("https:///path").as_deref(), Some("URL_INVALID"));
        for (url, reason) in [
            ("https://127.0.0.1/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://127.8.9.10:443/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://localhost/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://LocalHost./speke", "URL_LOOPBACK_ADDRESS"),
            ("https://keys.localhost/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://[::1]/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://[::ffff:127.0.0.1]/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://0.0.0.0/speke", "URL_LOCAL_ADDRESS"),
            ("https://[::]/speke", "URL_LOCAL_ADDRESS"),
            ("https://224.0.0.1/speke", "URL_MULTICAST_ADDRESS"),
            ("https://239.255.255.250/speke", "URL_MULTICAST_ADDRESS"),
            ("https://[ff02::1]/speke", "URL_MULTICAST_ADDRESS"),
            // Short and numeric IPv4 forms, as URL parsers read them.
            ("https://127.1/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://2130706433/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://0x7f.0.0.1:8443/speke", "URL_LOOPBACK_ADDRESS"),
            ("https://0/speke", "URL_LOCAL_ADDRESS"),
            ("https://0xe0.1/speke", "URL_MULTICAST_ADDRESS"),
        ] {
            assert_eq!(kind(url).as_deref(), Some(reason), "{url}");
        }
        // Private ranges, public addresses and names are not refused (see `address_class`).
        for url in [
            "https://10.0.0.5/speke",
            "https://192.168.1.1/speke",
            "https://203.0.113.7/speke",
            "https://[2001:db8::1]/speke",
            "https://localhost.example.com/speke",
        ] {
            assert_eq!(kind(url), None, "{url}");
        }
    }
}
