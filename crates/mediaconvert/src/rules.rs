//! What MediaConvert refuses in members its model leaves unconstrained (`__string`,
//! `__mapOf__string`): the names of new queues, presets and job templates, a job's
//! `UserMetadata` and its `ClientRequestToken`. Every check is a walk over the text, with no
//! allocation unless it refuses.

use crate::model::bad_request;
use serde_json::Value;
use service::{Member, ServiceError};
use std::borrow::Cow;

/// The prefix of AWS's own presets and job templates, which no name of the caller's may take.
pub const SYSTEM_PREFIX: &str = "System-";

/// The most `UserMetadata` entries a job can have ("Maximum number of tags per job – 10").
pub const USER_METADATA_MAX: usize = 10;
/// The longest `UserMetadata` key, in characters.
pub const USER_METADATA_KEY_MAX: usize = 128;
/// The longest `UserMetadata` value, in characters.
pub const USER_METADATA_VALUE_MAX: usize = 256;
/// The longest `ClientRequestToken`, in (ASCII) characters.
pub const CLIENT_REQUEST_TOKEN_MAX: usize = 64;

/// The name of a new queue, preset or job template (CreateQueue, CreatePreset,
/// CreateJobTemplate). AWS refuses a name that begins with `System-` with
/// `'NAME' is not a valid name, the name cannot begin with 'System-'.` (400
/// BadRequestException, as CloudFormation quoted it creating a job template:
/// awslabs/amplify-video issue #102). AWS documents nothing about an empty name; it is refused
/// in the same words, which are mediamock's.
///
/// The Update, Get and Delete operations take the name in the path and only look it up, so a
/// resource of such a name kept from before this rule can still be changed and deleted.
pub fn check_name(name: &str) -> Result<(), ServiceError> {
    if name.is_empty() {
        return Err(bad_request(
            "'' is not a valid name, the name cannot be empty.",
        ));
    }
    if name.starts_with(SYSTEM_PREFIX) {
        return Err(bad_request(format!(
            "'{name}' is not a valid name, the name cannot begin with '{SYSTEM_PREFIX}'."
        )));
    }
    Ok(())
}

/// CreateJob's `ClientRequestToken` and `UserMetadata`, which the model types only as
/// strings, checked as AWS documents them.
pub fn check_job_request(input: &Value) -> Result<(), ServiceError> {
    if let Some(token) = input.member("ClientRequestToken").and_then(Value::as_str) {
        check_client_request_token(token)?;
    }
    if let Some(metadata) = input.member("UserMetadata").and_then(Value::as_object) {
        check_user_metadata(metadata)?;
    }
    Ok(())
}

/// The longest SearchJobs `InputFile`, in characters.
pub const SEARCH_INPUT_FILE_MAX: usize = 300;

/// SearchJobs' `InputFile`: "The maximum length for an input file is 300 characters" (the
/// model's `SearchJobsRequest.InputFile`, which it types only as a string). AWS answers a
/// request outside its documented limits with a 400 BadRequestException; the message is
/// mediamock's.
pub fn check_search_input_file(input_file: &str) -> Result<(), ServiceError> {
    // Counted only past the byte length that could exceed it: most are short.
    if input_file.len() > SEARCH_INPUT_FILE_MAX {
        let n = input_file.chars().count();
        if n > SEARCH_INPUT_FILE_MAX {
            return Err(bad_request(format!(
                "/inputFile: the input file has {n} characters; the maximum length for an input \
                 file is {SEARCH_INPUT_FILE_MAX} characters"
            )));
        }
    }
    Ok(())
}

/// "A client request token can be any string that includes up to 64 ASCII characters" (the
/// model's `CreateJobRequest.ClientRequestToken`); the messages are mediamock's.
fn check_client_request_token(token: &str) -> Result<(), ServiceError> {
    const RULE: &str = "a client request token can be any string of up to 64 ASCII characters";
    // `str::is_ascii` reads a word at a time; the characters are decoded only to name one.
    if !token.is_ascii() {
        if let Some(c) = token.chars().find(|c| !c.is_ascii()) {
            return Err(bad_request(format!(
                "/clientRequestToken: {c:?} is not an ASCII character; {RULE}"
            )));
        }
    }
    // ASCII: a byte is a character.
    if token.len() > CLIENT_REQUEST_TOKEN_MAX {
        return Err(bad_request(format!(
            "/clientRequestToken: the token has {} characters; {RULE}",
            token.len()
        )));
    }
    Ok(())
}

/// Why a `UserMetadata` key or value is refused.
enum Flaw {
    /// More characters than allowed (how many it has).
    TooLong(usize),
    /// A character outside the allowed set.
    Character(char),
    /// The reserved `aws:` prefix.
    Reserved,
}

/// The User Guide's restrictions on job metadata tags (*Using metadata tags with
/// MediaConvert jobs*, user-metadata-tags.html): "Maximum number of tags per job – 10.
/// Maximum Key length – 128 Unicode characters. Maximum Value length – 256 Unicode
/// characters. Valid values for Key and Value – Uppercase and lowercase Unicode letters in
/// any language, numbers, space, and the following characters: _ . : / = + - and @. … Don't
/// use the aws: prefix for either keys or values. It's reserved for AWS use." AWS's own
/// messages for these are not documented: they are mediamock's, led by the member's JSON
/// pointer as MediaConvert's validator leads its messages (`/userMetadata: Should have at
/// most 10 properties`, like AWS's `…: Should have at least 2 properties`).
fn check_user_metadata(metadata: &serde_json::Map<String, Value>) -> Result<(), ServiceError> {
    if metadata.len() > USER_METADATA_MAX {
        return Err(bad_request(format!(
            "/userMetadata: Should have at most {USER_METADATA_MAX} properties; metadata tags \
             on a job are limited to {USER_METADATA_MAX}"
        )));
    }
    for (key, value) in metadata {
        if let Some(flaw) = flaw(key, USER_METADATA_KEY_MAX) {
            return Err(bad_request(format!(
                "/userMetadata: {key} is not a valid key; {}",
                explain(flaw, "key", USER_METADATA_KEY_MAX)
            )));
        }
        // The protocol layer has checked that every value is a string.
        let Some(value) = value.as_str() else {
            continue;
        };
        if let Some(flaw) = flaw(value, USER_METADATA_VALUE_MAX) {
            let shown = match flaw {
                Flaw::TooLong(_) => "the value".to_string(),
                _ => value.to_string(),
            };
            return Err(bad_request(format!(
                "/userMetadata/{}: {shown} is not a valid value; {}",
                pointer_token(key),
                explain(flaw, "value", USER_METADATA_VALUE_MAX)
            )));
        }
    }
    Ok(())
}

/// Whether `c` may be in a `UserMetadata` key or value: a letter or number of any script, a
/// space (U+0020 and the other Unicode space separators), or one of `_ . : / = + - @`.
fn metadata_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

/// What is wrong with a `UserMetadata` key or value of at most `max` characters, if anything.
fn flaw(text: &str, max: usize) -> Option<Flaw> {
    let mut n = 0;
    for c in text.chars() {
        if !metadata_char(c) {
            return Some(Flaw::Character(c));
        }
        n += 1;
    }
    if n > max {
        return Some(Flaw::TooLong(n));
    }
    if service::has_reserved_tag_prefix(text) {
        return Some(Flaw::Reserved);
    }
    None
}

fn explain(flaw: Flaw, what: &str, max: usize) -> String {
    match flaw {
        Flaw::TooLong(n) => format!("it has {n} characters, and a {what} can have at most {max}"),
        Flaw::Character(c) => format!(
            "{c:?} is not allowed: keys and values can contain only letters, numbers, spaces \
             and _ . : / = + - @"
        ),
        Flaw::Reserved => "the prefix aws: is reserved for AWS use".to_string(),
    }
}

/// A key as a JSON pointer's reference token (`~` as `~0`, `/` as `~1`).
fn pointer_token(key: &str) -> Cow<'_, str> {
    if key.contains(['~', '/']) {
        Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(input: Value) -> String {
        let e = check_job_request(&input).expect_err("refused");
        assert_eq!(e.code, "BadRequestException");
        e.message
    }

    #[test]
    fn names_may_not_be_empty_or_begin_with_system() {
        assert!(check_name("mine").is_ok());
        assert!(check_name("my-System-queue").is_ok());
        // The prefix as AWS spells it; AWS's reserved names are all spelled so.
        assert!(check_name("system-mine").is_ok());
        let e = check_name("System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr-abcvod-dev").unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "BadRequestException",
                "'System-Generic_Mp4_Hev1_Avc_Aac_Sdr_Qvbr-abcvod-dev' is not a valid name, the \
                 name cannot begin with 'System-'."
            )
        );
        assert!(check_name("System-").is_err());
        let e = check_name("").unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "BadRequestException",
                "'' is not a valid name, the name cannot be empty."
            )
        );
    }

    #[test]
    fn client_request_tokens_are_up_to_64_ascii_characters() {
        for ok in ["", "tok-1", &"x".repeat(64), "~!@#$%^&*() \t"] {
            assert!(
                check_job_request(&json!({ "ClientRequestToken": ok })).is_ok(),
                "{ok}"
            );
        }
        assert_eq!(
            refused(json!({"ClientRequestToken": "x".repeat(65)})),
            "/clientRequestToken: the token has 65 characters; a client request token can be \
             any string of up to 64 ASCII characters"
        );
        assert_eq!(
            refused(json!({"ClientRequestToken": "é"})),
            "/clientRequestToken: 'é' is not an ASCII character; a client request token can be \
             any string of up to 64 ASCII characters"
        );
    }

    #[test]
    fn user_metadata_follows_the_job_tag_restrictions() {
        let ten: serde_json::Map<String, Value> =
            (0..10).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert!(check_job_request(&json!({ "UserMetadata": ten })).is_ok());
        // Letters of any script, numbers, spaces and the listed punctuation.
        let fine = json!({"UserMetadata": {
            "Stage": "Production", "s3:path/to=x+y-z@w_v.u": "a b:c/d=e+f-g@h_i.j",
            "Schlüssel": "値 ٣ Ελλάδα", &"k".repeat(128): "v".repeat(256), "empty": "",
        }});
        assert!(check_job_request(&fine).is_ok());
        let eleven: serde_json::Map<String, Value> =
            (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
        assert_eq!(
            refused(json!({ "UserMetadata": eleven })),
            "/userMetadata: Should have at most 10 properties; metadata tags on a job are \
             limited to 10"
        );
        let long_key = "k".repeat(129);
        assert_eq!(
            refused(json!({"UserMetadata": {&long_key: "v"}})),
            format!(
                "/userMetadata: {long_key} is not a valid key; it has 129 characters, and a key \
                 can have at most 128"
            )
        );
        // Characters, not bytes: 128 two-byte letters are a valid key.
        assert!(check_job_request(&json!({"UserMetadata": {"é".repeat(128): "v"}})).is_ok());
        assert_eq!(
            refused(json!({"UserMetadata": {"a/b": "v".repeat(257)}})),
            "/userMetadata/a~1b: the value is not a valid value; it has 257 characters, and a \
             value can have at most 256"
        );
        assert_eq!(
            refused(json!({"UserMetadata": {"k!*": "v"}})),
            "/userMetadata: k!* is not a valid key; '!' is not allowed: keys and values can \
             contain only letters, numbers, spaces and _ . : / = + - @"
        );
        assert_eq!(
            refused(json!({"UserMetadata": {"k": "50%"}})),
            "/userMetadata/k: 50% is not a valid value; '%' is not allowed: keys and values can \
             contain only letters, numbers, spaces and _ . : / = + - @"
        );
        assert!(refused(json!({"UserMetadata": {"k": "a\nb"}})).contains("'\\n' is not allowed"));
        assert_eq!(
            refused(json!({"UserMetadata": {"aws:stage": "v"}})),
            "/userMetadata: aws:stage is not a valid key; the prefix aws: is reserved for AWS use"
        );
        assert_eq!(
            refused(json!({"UserMetadata": {"k": "aws:x"}})),
            "/userMetadata/k: aws:x is not a valid value; the prefix aws: is reserved for AWS use"
        );
        // In any letter case, as AWS's tagging guide reserves it.
        assert_eq!(
            refused(json!({"UserMetadata": {"AWS:Stage": "v"}})),
            "/userMetadata: AWS:Stage is not a valid key; the prefix aws: is reserved for AWS use"
        );
    }
}
