//! Console passwords: salted argon2 hashes and the account password policy's rules.

use crate::store::PasswordPolicy;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The symbols AWS's password policy counts (`RequireSymbols`).
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// Argon2id with modest costs: an emulator's passwords guard test accounts, and tests hash
/// many of them; the salt and the algorithm are what keep them out of clear text.
fn hasher() -> Argon2<'static> {
    let params = Params::new(4096, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC-format hash of `password` with a salt made from `salt` bytes.
pub fn hash(password: &str, salt: &[u8]) -> Result<String, String> {
    let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC hash.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// What AWS asks of passwords when the account has no password policy: at least 8
/// characters, with three of uppercase, lowercase, numbers and symbols. A password short of
/// three kinds is told how many more it needs and which rules it breaks, in the order the
/// IAM User Guide lists the kinds ("Password should meet 1 more of the following
/// requirements: Password should have at least one uppercase letter, Password should have at
/// least one symbol", as AWS answered CreateLoginProfile for lowercase letters and digits).
pub fn default_violation(password: &str) -> Option<String> {
    if password.chars().count() < 8 {
        return Some("Password should have a minimum length of 8".into());
    }
    let kinds =
        [UPPERCASE, LOWERCASE, NUMBER, SYMBOL].map(|(test, rule)| (has(password, test), rule));
    let missing: Vec<&str> = kinds
        .iter()
        .filter(|(has, _)| !has)
        .map(|(_, rule)| *rule)
        .collect();
    let have = kinds.len() - missing.len();
    if have < 3 {
        return Some(format!(
            "Password should meet {} more of the following requirements: {}",
            3 - have,
            missing.join(", ")
        ));
    }
    None
}

/// A kind of character a password may need, and AWS's words for its absence.
type Kind = (fn(char) -> bool, &'static str);
const UPPERCASE: Kind = (
    |c| c.is_ascii_uppercase(),
    "Password should have at least one uppercase letter",
);
const LOWERCASE: Kind = (
    |c| c.is_ascii_lowercase(),
    "Password should have at least one lowercase letter",
);
const NUMBER: Kind = (
    |c| c.is_ascii_digit(),
    "Password should have at least one number",
);
const SYMBOL: Kind = (
    |c| SYMBOLS.contains(c),
    "Password should have at least one symbol",
);

fn has(password: &str, test: fn(char) -> bool) -> bool {
    password.chars().any(test)
}

/// The first rule of `policy` that `password` breaks, in AWS's words.
pub fn violation(policy: &PasswordPolicy, password: &str) -> Option<String> {
    let len = password.chars().count();
    if len < policy.minimum_length as usize {
        return Some(format!(
            "Password should have a minimum length of {}",
            policy.minimum_length
        ));
    }
    for (required, (test, rule)) in [
        (policy.require_lowercase, LOWERCASE),
        (policy.require_uppercase, UPPERCASE),
        (policy.require_numbers, NUMBER),
        (policy.require_symbols, SYMBOL),
    ] {
        if required && !has(password, test) {
            return Some(rule.into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_and_verify() {
        let a = hash("Correct-Horse-1", b"0123456789abcdef").unwrap();
        let b = hash("Correct-Horse-1", b"fedcba9876543210").unwrap();
        assert_ne!(a, b);
        assert!(!a.contains("Correct-Horse-1"));
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("Correct-Horse-1", &a));
        assert!(!verify("correct-horse-1", &a));
        assert!(!verify("Correct-Horse-1", "not a hash"));
    }

    #[test]
    fn policy_rules_each_refuse() {
        assert!(default_violation("abc").is_some());
        assert!(default_violation("alllowercase").is_some());
        assert_eq!(default_violation("Lower-and-Upper"), None);
        // AWS's answer to CreateLoginProfile for an 8-character password of lowercase
        // letters, digits and no symbol (quoted in a public boto3 script's notes).
        assert_eq!(
            default_violation("ab1cd2ef").as_deref(),
            Some("Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol")
        );
        assert_eq!(
            default_violation("alllowercase").as_deref(),
            Some("Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol")
        );
        let mut p = PasswordPolicy {
            minimum_length: 10,
            require_symbols: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            allow_users_to_change: false,
            max_age: 0,
            reuse_prevention: 0,
            hard_expiry: false,
        };
        assert_eq!(
            violation(&p, "short").as_deref(),
            Some("Password should have a minimum length of 10")
        );
        p.require_uppercase = true;
        p.require_numbers = true;
        p.require_symbols = true;
        p.require_lowercase = true;
        assert!(violation(&p, "ALLUPPER123!").unwrap().contains("lowercase"));
        assert!(violation(&p, "alllower123!").unwrap().contains("uppercase"));
        assert!(violation(&p, "NoNumbersHere!").unwrap().contains("number"));
        assert!(violation(&p, "NoSymbols1234").unwrap().contains("symbol"));
        assert_eq!(violation(&p, "Good-Passw0rd"), None);
    }
}
