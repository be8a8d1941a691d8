//! Server-side verification of AWS Signature Version 4 (header and presigned-query forms).
//!
//! Knows nothing of IAM, services or HTTP servers: the caller hands over the request's parts
//! and a way to look access keys up, and gets back who signed it or AWS's exact error.

#![deny(missing_docs)]

mod canonical;
mod error;
mod lower_hex;
mod parse;
mod request;
mod signing_key;
mod time;
mod verify;

pub use canonical::{
    canonical_query, canonical_uri, normalize_path, string_to_sign, CanonicalOptions,
    UNSIGNED_PAYLOAD,
};
pub use error::{Expected, ScopeProblems, SigV4Error};
pub use request::{
    Credential, CredentialLookup, CredentialScope, RequestParts, SignedHeaders, Verified,
};
pub use signing_key::{derive_signing_key, signature, SigningKeyCache};
pub use time::{format_amz_date, parse_amz_date};
pub use verify::{canonicalize, peek_scope, Canonical, Checked, Verifier, VerifyOptions};
