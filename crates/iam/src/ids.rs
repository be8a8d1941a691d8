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

/// The alphabet of AWS's IDs after their prefix: RFC 4648 base32 (`A`–`Z`, `2`–`7`).
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A 21-character unique ID with the given 4-letter prefix, for an entity of `account`
/// (AWS's unique IDs encode the account as its access key IDs do: a user's `AIDA…` and its
/// keys' `AKIA…` share their first characters).
pub fn unique_id(ids: &IdGen, prefix: &str, account: &str) -> String {
    with_account(ids, prefix, account, 17)
}

/// A 20-character access key ID with the given 4-letter prefix for a key of `account`.
pub fn access_key_id(ids: &IdGen, prefix: &str, account: &str) -> String {
    with_account(ids, prefix, account, 16)
}

/// `prefix` and `chars` base32 characters of 10 or more bytes whose first six hold the
/// account ID in bits 46..7 (what offline tools decode from AWS's IDs: `(bytes[0..6] &
/// 0x7fffffffff80) >> 7`); the other bits are random.
fn with_account(ids: &IdGen, prefix: &str, account: &str, chars: usize) -> String {
    let random = ids.bytes(11);
    let account: u64 = account.parse().unwrap_or(0) & 0xff_ffff_ffff;
    // The top bit is set in every key AWS answers for (they begin `AKIA` + `Q`–`7`).
    let head = (1 << 47) | (account << 7) | u64::from(random[0] & 0x7f);
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&head.to_be_bytes()[2..]);
    bytes[6..16].copy_from_slice(&random[1..11]);
    let bits = u128::from_be_bytes(bytes);
    let mut out = String::with_capacity(prefix.len() + chars);
    out.push_str(prefix);
    for i in 0..chars {
        out.push(BASE32[((bits >> (123 - 5 * i)) & 31) as usize] as char);
    }
    out
}

/// The account ID an access key ID of [`access_key_id`]'s form encodes.
pub fn account_of_key(key: &str) -> Option<String> {
    let body = key.get(4..)?;
    if body.len() != 16 {
        return None;
    }
    let mut bits: u128 = 0;
    for c in body.bytes() {
        bits = (bits << 5) | BASE32.iter().position(|&b| b == c)? as u128;
    }
    // 16 characters are 80 bits; the first 48 are the head.
    let head = (bits >> 32) as u64;
    Some(format!("{:012}", (head & 0x7fff_ffff_ff80) >> 7))
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
        let u = unique_id(&ids, USER_ID, "019181489476");
        assert_eq!(u.len(), 21);
        assert!(u.starts_with("AIDA"));
        let base32 = |c: char| c.is_ascii_uppercase() || ('2'..='7').contains(&c);
        assert!(u.chars().all(base32), "{u}");
        let k = access_key_id(&ids, SESSION_KEY, "123456789012");
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert!(k.chars().all(base32), "{k}");
        assert_eq!(secret_key(&ids).len(), 40);
        for account in ["000000000000", "123456789012", "999999999999"] {
            for _ in 0..50 {
                let key = access_key_id(&ids, LONG_TERM_KEY, account);
                assert_eq!(account_of_key(&key).as_deref(), Some(account), "{key}");
            }
        }
        // Keys AWS answered GetAccessKeyInfo for decode to those accounts.
        assert_eq!(
            account_of_key("AKIAQI52OJVCPZXFYAOI").as_deref(),
            Some("019181489476")
        );
        assert_eq!(
            account_of_key("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
        // A user's unique ID and its key share the account's characters, as in AWS's
        // answers (`AIDAQI52OJ…` beside `AKIAQI52OJ…`).
        let key = access_key_id(&ids, LONG_TERM_KEY, "019181489476");
        assert_eq!(u[4..10], key[4..10], "{u} {key}");
        assert_eq!(&key[4..10], "QI52OJ");
        assert!(session_token(&ids).len() > 300);
    }
}
