//! IAM's identifier formats: unique IDs (`AIDA…`, `AROA…`, `ANPA…`, `AGPA…`, 21 characters),
//! access key IDs (`AKIA…`, `ASIA…`, 20 characters), secrets and session tokens.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use service::IdGen;

/// The prefix of an IAM user's unique ID.
pub const USER_ID: &str = "AIDA";
/// The prefix of a role's unique ID.
pub const ROLE_ID: &str = "AROA";
/// The prefix of an instance profile's unique ID.
pub const INSTANCE_PROFILE_ID: &str = "AIPA";
/// The prefix of a managed policy's unique ID.
pub const POLICY_ID: &str = "ANPA";
/// The prefix of a group's unique ID.
pub const GROUP_ID: &str = "AGPA";
/// The prefix of a long-term access key ID.
pub const LONG_TERM_KEY: &str = "AKIA";
/// The prefix of a temporary (STS) access key ID.
pub const SESSION_KEY: &str = "ASIA";

/// A 21-character unique ID with the given 4-letter prefix.
pub fn unique_id(ids: &IdGen, prefix: &str) -> String {
    format!("{prefix}{}", ids.upper_alnum(17))
}

/// A 20-character access key ID with the given 4-letter prefix.
pub fn access_key_id(ids: &IdGen, prefix: &str) -> String {
    format!("{prefix}{}", ids.upper_alnum(16))
}

/// A 40-character secret access key.
pub fn secret_key(ids: &IdGen) -> String {
    // AWS secrets are base64-alphabet characters; 30 random bytes encode to exactly 40.
    STANDARD.encode(ids.bytes(30))
}

/// An opaque session token of realistic length.
pub fn session_token(ids: &IdGen) -> String {
    // Real tokens start with this protobuf-ish prefix; SDKs only pass them through.
    format!("IQoJb3JpZ2luX2VjE{}", STANDARD.encode(ids.bytes(264)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_have_aws_lengths() {
        let ids = IdGen::new(Some(1));
        let u = unique_id(&ids, USER_ID);
        assert_eq!(u.len(), 21);
        assert!(u.starts_with("AIDA"));
        assert!(u
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        let k = access_key_id(&ids, SESSION_KEY);
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert_eq!(secret_key(&ids).len(), 40);
        assert!(session_token(&ids).len() > 300);
    }
}
