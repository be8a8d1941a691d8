//! The IAM and STS APIs.

pub mod errors;
pub mod iam;
pub mod input;
pub mod page;
pub mod sts;

#[cfg(test)]
mod more_tests;
