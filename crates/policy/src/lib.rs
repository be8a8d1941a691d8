//! The IAM policy language and AWS's policy evaluation logic, as a pure library.
//!
//! [`Policy::parse`] validates and compiles a JSON document once (AWS's
//! `MalformedPolicyDocument` reasons on failure); [`evaluate`] decides one request against
//! every policy that applies to it, in the order AWS documents, and explains the decision.

#![warn(missing_docs)]

mod arn;
mod condition;
mod context;
mod date_value;
mod decision;
mod document;
mod evaluate;
mod matcher;
mod principal;
mod variables;

pub use context::Context;
pub use decision::{Decision, DenyReason, EvalDecision, MatchedStatement, PolicyType};
pub use document::{Policy, PolicyError, PolicyKind};
pub use evaluate::{evaluate, PolicySet, PolicySource, Request, SourceKind};
pub use matcher::wildcard_matches;
pub use principal::principal_matches;
pub use service::{ContextValue, Principal, PrincipalKind};
