//! The text members of a manifest's filter configuration: `ManifestFilter` in the syntax of
//! the v2 User Guide's "Manifest filtering query parameters" page, `DrmSettings` in the one
//! setting the guide's "Excluding DRM session keys" page documents. AWS publishes no message
//! for `INVALID_MANIFEST_FILTER` or `INVALID_DRM_SETTINGS`; the wording here is ours.

use super::errors::invalid;
use service::ServiceError;

/// How a manifest filter parameter's values are written.
#[derive(Clone, Copy)]
enum Values {
    /// Integers or `min-max` ranges of integers, inclusive bounds.
    Integers(i64, i64),
    /// Numbers with up to three decimals, or ranges of them, between the bounds.
    Decimals(f64, f64),
    /// One of these words, in any letter case.
    Words(&'static [&'static str]),
    /// Any non-empty text (language codes as the encoder sets them).
    Text,
}

/// The guide's parameters and their accepted values.
const PARAMETERS: &[(&str, Values)] = &[
    ("audio_bitrate", Values::Integers(0, 2_147_483_647)),
    ("audio_channels", Values::Integers(1, 32_767)),
    (
        "audio_codec",
        Values::Words(&["AACL", "AACH", "AC-3", "EC-3"]),
    ),
    ("audio_language", Values::Text),
    ("audio_sample_rate", Values::Integers(0, 2_147_483_647)),
    ("subtitle_language", Values::Text),
    ("trickplay_height", Values::Integers(1, 2_147_483_647)),
    (
        "trickplay_type",
        Values::Words(&["IFRAME", "IMAGE", "NONE"]),
    ),
    ("video_bitrate", Values::Integers(0, 2_147_483_647)),
    ("video_codec", Values::Words(&["H264", "H265", "AV1"])),
    (
        "video_dynamic_range",
        Values::Words(&["DV", "HDR10", "HLG", "SDR"]),
    ),
    ("video_framerate", Values::Decimals(1.0, 999.999)),
    ("video_height", Values::Integers(1, 32_767)),
];

/// The DRM settings the guide documents ("exclude_session_keys").
const DRM_SETTINGS: &[&str] = &["exclude_session_keys"];

/// A number of up to three decimals within the bounds.
fn decimal(text: &str, (min, max): (f64, f64)) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= 3
        && !text.ends_with('.')
        && text.parse::<f64>().is_ok_and(|v| v >= min && v <= max)
}

/// An integer within the bounds.
fn integer(text: &str, (min, max): (i64, i64)) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<i64>().is_ok_and(|v| v >= min && v <= max)
}

/// Whether one comma-separated value of a parameter is acceptable.
fn value_fits(kind: Values, value: &str) -> bool {
    // A single value or an inclusive range; "With ranges, the minimum and maximum values are
    // mandatory".
    let ends = |one: &dyn Fn(&str) -> bool| match value.split_once('-') {
        Some((lo, hi)) => one(lo) && one(hi),
        None => one(value),
    };
    match kind {
        Values::Integers(min, max) => ends(&|v| integer(v, (min, max))),
        Values::Decimals(min, max) => ends(&|v| decimal(v, (min, max))),
        Values::Words(words) => words.iter().any(|w| w.eq_ignore_ascii_case(value)),
        Values::Text => !value.is_empty(),
    }
}

/// `ManifestFilter`: `name:value[,value…]` parameters separated by `;`, names and values as
/// the guide lists them (names in any letter case: "Queries are not case sensitive").
pub(super) fn check_manifest_filter(filter: &str) -> Result<(), ServiceError> {
    let refuse = |why: String| {
        invalid(
            "INVALID_MANIFEST_FILTER",
            format!("The manifest filter {filter} is not valid: {why}"),
        )
    };
    for parameter in filter.split(';') {
        let Some((name, values)) = parameter.split_once(':') else {
            return Err(refuse(format!(
                "{parameter:?} is not a name:value parameter"
            )));
        };
        let name = name.trim();
        let Some(&(_, kind)) = PARAMETERS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
        else {
            return Err(refuse(format!(
                "{name:?} is not a manifest filter parameter"
            )));
        };
        if let Some(bad) = values
            .split(',')
            .map(str::trim)
            .find(|v| !value_fits(kind, v))
        {
            return Err(refuse(format!("{bad:?} is not a valid value of {name}")));
        }
    }
    Ok(())
}

/// `DrmSettings`: settings separated by `;`, each one the guide documents.
pub(super) fn check_drm_settings(settings: &str) -> Result<(), ServiceError> {
    match settings
        .split(';')
        .map(str::trim)
        .find(|s| !DRM_SETTINGS.iter().any(|k| k.eq_ignore_ascii_case(s)))
    {
        Some(bad) => Err(invalid(
            "INVALID_DRM_SETTINGS",
            format!(
                "The DRM settings {settings} are not valid: {bad:?} is not a DRM setting (valid: {})",
                DRM_SETTINGS.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_filters_follow_the_guides_syntax() {
        for ok in [
            "video_height:1-720",
            "audio_sample_rate:0-44100;video_bitrate:0-2147483647;video_codec:h265;audio_language:fr,en-US,de",
            "video_height:240-360,720-1080,1440,2160",
            "video_bitrate:8000000",
            "video_framerate:23.976-30",
            "video_framerate:29.97",
            "audio_codec:AACL,ac-3",
            "trickplay_type:iframe",
            "video_dynamic_range:HDR10",
            "subtitle_language:en-US, hi",
            "Video_Codec:AV1",
        ] {
            assert!(check_manifest_filter(ok).is_ok(), "{ok}");
        }
        for bad in [
            "garbage!!",
            "video_height",
            "colour:red",
            "video_height:0-720",
            "video_height:1-40000",
            "video_height:abc",
            "video_height:720-",
            "video_height:",
            "video_framerate:23.9761",
            "video_framerate:0.5",
            "audio_codec:MP3",
            "video_codec:h264;;",
            "audio_channels:1-8,",
        ] {
            let e = check_manifest_filter(bad).unwrap_err();
            assert_eq!(
                e.fields["ValidationExceptionType"], "INVALID_MANIFEST_FILTER",
                "{bad}"
            );
        }
    }

    #[test]
    fn drm_settings_are_the_documented_one() {
        assert!(check_drm_settings("exclude_session_keys").is_ok());
        assert!(check_drm_settings("EXCLUDE_SESSION_KEYS").is_ok());
        for bad in [
            "garbage!!",
            "excludesessionkeys",
            "exclude_session_keys;x",
            "",
        ] {
            let e = check_drm_settings(bad).unwrap_err();
            assert_eq!(
                e.fields["ValidationExceptionType"], "INVALID_DRM_SETTINGS",
                "{bad}"
            );
        }
    }
}
