//! Where a service's published model and its answers disagree, AWS's answers win: the few
//! model constraints that AWS evidently does not enforce as written, each with its evidence.
//! Data about the vendored models, as they are; nothing here is inferred.

/// Model patterns that real values cannot satisfy, so the service evidently does not enforce
/// them: IVS's tagging ARN allows a one-letter resource type (`channel/…` would fail).
pub(crate) const UNENFORCED_PATTERNS: &[&str] =
    &["arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+"];

/// `(signing name, enum shape)` that also accept the empty string. IVS `TranscodePreset`:
/// the API Reference says a BASIC or STANDARD channel's preset "is the empty string" and
/// answers it so; AWS's CloudFormation schema lists `""` among the values, and AWS's IVS
/// samples (the UGC platform and DVR demos) send `preset: ""` on CreateChannel and
/// UpdateChannel.
const ENUMS_ACCEPTING_EMPTY: &[(&str, &str)] = &[("ivs", "TranscodePreset")];

/// Models whose enums AWS accepts in any letter case, answering the model's spelling.
/// MediaPackage v1: AWS's own Live Streaming workshop sample
/// (aws-samples/aws-media-services-simple-live-workflow, its endpoint custom resources) has
/// sent `"PlaylistType": "event"`, `"AdMarkers": "none"` and `"StreamOrder": "original"` to
/// CreateOriginEndpoint since the service launched, and reads the endpoint's `Url` back.
const CASE_INSENSITIVE_ENUMS: &[&str] = &["mediapackage"];

/// `(signing name, string shapes, sentence)`: names whose failed pattern the service words
/// itself, `The specified value for roleName is invalid. ` and the sentence, and only when no
/// other constraint fails (those its framework answers first, in Coral's words: a 65-character
/// `roleName` gets `Member must have length less than or equal to 64`). IAM, as its answers
/// quoted with their request IDs show: CreateRole, PutRolePolicy and GetRole given a role ARN
/// (`The specified value for roleName is invalid. It must contain only alphanumeric characters
/// and/or the following: +=,.@_-`; openshift/rosa test plans, terraform-provider-aws issues),
/// DeleteGroupPolicy given a policy ARN (`… for policyName is invalid. …`). A path, as
/// recorded against AWS by LocalStack's snapshot tests (test_iam_mfa.snapshot.json
/// `test_virtual_mfa_device_errors`: CreateVirtualMFADevice with `invalid-path/` and `/x`).
const OWN_PATTERN_MESSAGES: &[(&str, &[&str], &str)] = &[
    (
        "iam",
        &[
            "roleNameType",
            "userNameType",
            "existingUserNameType",
            "groupNameType",
            "policyNameType",
            "instanceProfileNameType",
        ],
        "It must contain only alphanumeric characters and/or the following: +=,.@_-",
    ),
    (
        "iam",
        &["pathType"],
        "It must begin and end with / and contain only alphanumeric characters and/or / characters.",
    ),
];

/// The sentence the service (signed as `service`) words a failed pattern of string shape
/// `shape` with, if it words it itself (see `OWN_PATTERN_MESSAGES`).
pub(crate) fn own_pattern_message(service: &str, shape: &str) -> Option<&'static str> {
    OWN_PATTERN_MESSAGES
        .iter()
        .find(|(s, shapes, _)| *s == service && shapes.contains(&shape))
        .map(|(_, _, sentence)| *sentence)
}

/// Models whose service leaves the failing value out of Coral's validation messages
/// (`Value at 'path' failed to satisfy constraint: …`), names no values of a failed enum
/// (`Member must satisfy enum value set`), and reports a list of scalars whose items fail at
/// the list, naming every constraint of its members (`Value at 'tagKeys' failed to satisfy
/// constraint: Member must satisfy constraint: [Member must have length less than or equal to
/// 128, …]`). IAM, in its answers recorded against AWS in 2026 by LocalStack's snapshot tests
/// (`tests/aws/services/iam/*.snapshot.json`: tags, tag keys, path, status, versionId,
/// serviceSpecificCredentialId, the password policy's numbers, an OIDC provider's lists; STS,
/// in the same recordings, keeps the value). IAM's answers quoted up to 2021 still had it
/// (`Value 'changeAgent…' at 'roleName'`): the recordings are AWS as it answers now.
const TERSE_CORAL_MESSAGES: &[&str] = &["iam"];

/// `(signing name, list shape)`: lists whose members Coral declares non-null, so a failing
/// item's bracketed constraints end `Member must not be null` (IAM's tag key lists, as
/// recorded: UntagRole/UntagPolicy `err-untag-large-key`, `err-untag-invalid-character`; its
/// thumbprint and client ID lists, recorded too, do not).
const NON_NULL_LIST_MEMBERS: &[(&str, &str)] = &[("iam", "tagKeyListType")];

/// Whether the model signed as `service` words validation failures tersely (see
/// `TERSE_CORAL_MESSAGES`).
pub(crate) fn terse_coral_messages(service: &str) -> bool {
    TERSE_CORAL_MESSAGES.contains(&service)
}

/// Whether the members of list shape `list` (of the model signed as `service`) are non-null
/// in the service's own model (see `NON_NULL_LIST_MEMBERS`).
pub(crate) fn non_null_list_members(service: &str, list: &str) -> bool {
    NON_NULL_LIST_MEMBERS.contains(&(service, list))
}

/// Models whose service words a constraint failure as its JSON schema validator does (the
/// value's JSON pointer, then `Should …`) rather than Coral's `1 validation error detected`,
/// with the input members it validates as documents of their own (pointers start at them).
/// MediaConvert, as its answers quoted in public issues show (its settings rooted at
/// `Settings`):
/// `/inputs/0/audioSelectors/Audio Selector 1/tracks/0: Should be greater than or equal to 1`
/// (aws-solutions-library-samples/guidance-for-media2cloud-on-aws#8),
/// `/outputGroups/0/outputs: Should have at least 1 items` (…/video-on-demand-on-aws#1),
/// `/outputGroups/0/outputs/0/videoDescription/codecSettings: Should have at least 2
/// properties` (aws/aws-sdk-php#2148), `/outputGroups/0/outputs/0: containerSettings is a
/// required property` (aws/aws-sdk-js-v3#2661). The maximum's, string length's, enum's and
/// pattern's phrases follow those; AWS's own are unpublished.
const SCHEMA_VALIDATOR_MESSAGES: &[(&str, &[&str])] = &[("mediaconvert", &["Settings"])];

/// For a model (signed as `service`) whose service words constraint failures as a schema
/// validator, the input members whose values are documents of their own.
pub(crate) fn schema_validator_messages(service: &str) -> Option<&'static [&'static str]> {
    SCHEMA_VALIDATOR_MESSAGES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, roots)| *roots)
}

/// Whether the enums of the model signed as `service` ignore letter case.
pub(crate) fn enums_ignore_case(service: &str) -> bool {
    CASE_INSENSITIVE_ENUMS.contains(&service)
}

/// Whether `value`, outside the enum `shape` of the model signed as `service`, is accepted.
pub(crate) fn enum_accepts(service: &str, shape: &str, value: &str) -> bool {
    value.is_empty() && ENUMS_ACCEPTING_EMPTY.contains(&(service, shape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_enum_accepts_only_the_empty_string() {
        assert!(enum_accepts("ivs", "TranscodePreset", ""));
        assert!(!enum_accepts("ivs", "TranscodePreset", "FAST"));
        assert!(!enum_accepts("ivs", "ChannelType", ""));
        assert!(!enum_accepts("mediaconvert", "TranscodePreset", ""));
    }

    #[test]
    fn only_mediapackage_v1_enums_ignore_case() {
        assert!(enums_ignore_case("mediapackage"));
        assert!(!enums_ignore_case("mediapackagev2"));
        assert!(!enums_ignore_case("ivs"));
    }
}
