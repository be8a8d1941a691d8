//! Sign-in credential primitives: TOTP codes, the MFA QR image, password hashing and the
//! password policy's rules.

pub mod password;
pub mod qr_png;
pub mod totp;
