//! The IAM and STS APIs.

pub mod errors;
pub mod iam;
pub mod input;
pub(crate) mod mfa_check;
pub mod page;
pub mod sts;
pub mod sts_federation;
pub mod sts_web_identity;

#[cfg(test)]
mod assume_role_tests;
#[cfg(test)]
mod more_tests;
#[cfg(test)]
pub(crate) mod test_support;
