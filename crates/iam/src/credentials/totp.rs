//! Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps,
//! computed by `totp-rs`; the search over nearby steps (AWS's window, and the two consecutive
//! codes EnableMFADevice and ResyncMFADevice take) is mediamock's.

use totp_rs::{Algorithm, Builder, Totp};

/// Seconds per time step.
pub const STEP: i64 = 30;

/// The time step that `epoch` seconds fall in.
pub fn step_at(epoch: f64) -> i64 {
    (epoch.floor() as i64).div_euclid(STEP)
}

fn generator(secret: &[u8], digits: u8) -> Totp {
    // `build_noncompliant`: the 128-bit floor `build` enforces is for minting seeds; a stored
    // seed must still give the codes its device shows, whatever its length.
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(digits)
        .with_step_duration(STEP as u64)
        .with_secret(secret.to_vec())
        .build_noncompliant()
}

/// The `digits`-digit (6 to 8) HOTP value of `secret` at counter `step`.
pub fn code(secret: &[u8], step: i64, digits: u32) -> u32 {
    let digits = digits.clamp(6, 8) as u8;
    let Ok(time) = u64::try_from(step.saturating_mul(STEP)) else {
        return 0;
    };
    generator(secret, digits)
        .generate(time)
        .to_string()
        .parse()
        .unwrap_or(0)
}

/// A six-digit code as text, zero-padded as authenticator apps show it.
pub fn six_digits(secret: &[u8], step: i64) -> String {
    format!("{:06}", code(secret, step, 6))
}

/// The step within `window` steps of `now_step` whose code is `given`, if any.
pub fn find_step(secret: &[u8], given: &str, now_step: i64, window: i64) -> Option<i64> {
    if given.len() != 6 || !given.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Nearest steps first, so the clock's own step wins a (vanishingly rare) collision.
    (0..=window)
        .flat_map(|d| [now_step + d, now_step - d])
        .find(|s| six_digits(secret, *s) == given)
}

/// The first of two consecutive steps within `window` of `now_step` whose codes are
/// `first` then `second` (EnableMFADevice, ResyncMFADevice).
pub fn find_consecutive(
    secret: &[u8],
    first: &str,
    second: &str,
    now_step: i64,
    window: i64,
) -> Option<i64> {
    (0..=window)
        .flat_map(|d| [now_step + d, now_step - d - 1])
        .find(|s| six_digits(secret, *s) == first && six_digits(secret, s + 1) == second)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1 rows (8 digits, secret "12345678901234567890").
    const SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_rfc6238_test_vectors() {
        for (t, expect) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(code(SECRET, step_at(t as f64), 8), expect, "T={t}");
        }
        assert_eq!(six_digits(SECRET, step_at(59.0)), "287082");
    }

    #[test]
    fn finds_codes_within_the_window_only() {
        let now = step_at(1_700_000_000.0);
        let c = six_digits(SECRET, now - 1);
        assert_eq!(find_step(SECRET, &c, now, 1), Some(now - 1));
        let far = six_digits(SECRET, now - 5);
        assert_eq!(find_step(SECRET, &far, now, 1), None);
        assert_eq!(find_step(SECRET, "12a456", now, 1), None);
        assert_eq!(find_step(SECRET, "1234567", now, 1), None);
        let (a, b) = (six_digits(SECRET, now - 2), six_digits(SECRET, now - 1));
        assert_eq!(find_consecutive(SECRET, &a, &b, now, 3), Some(now - 2));
        assert_eq!(find_consecutive(SECRET, &b, &a, now, 3), None);
    }
}
