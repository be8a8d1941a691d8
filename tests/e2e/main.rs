//! End-to-end tests: the real AWS SDK for Rust against a mediamock server started in-process on
//! an ephemeral port. One test binary with a module per area, so the SDK is linked once rather
//! than once per file (most of a fresh clone's test build time).

mod common;

mod admin_tenancy;
mod audit;
mod authentication;
mod authz_engine;
mod authz_examples;
mod cli_examples_iam;
mod cli_examples_media;
mod clock;
mod console_browser;
mod durability;
mod iam;
mod iam_access_advisor;
mod iam_federation;
mod iam_mfa;
mod iam_outbound_federation;
mod iam_snapshots;
mod iam_snapshots_r36;
mod iam_trust;
mod iam_user_credentials;
mod ivs;
mod ivs_authorization;
mod mediaconnect;
mod mediaconnect_r32;
mod mediaconnect_resources;
mod mediaconnect_support;
mod mediaconvert;
mod mediapackage_v1;
mod mediapackagev2;
mod operation_sweep;
mod policy_grammar;
mod quotas;
mod robustness;
mod robustness_r36;
mod service_roles_trust;
mod signature_coverage;
mod sts_snapshots;
mod throttle;
