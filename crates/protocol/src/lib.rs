//! AWS's API models drive routing, input parsing and validation, and the wire format.
//!
//! The botocore models are embedded, decompressed and compiled once ([`Registry::embedded`]).
//! At the seam, an operation's input and output are JSON objects keyed by the model's member
//! names; this crate does every wire conversion in between.

#![warn(missing_docs)]

pub mod authz_facts;
mod convert;
mod http;
mod model;
pub mod pagination;
mod pattern;
mod query;
mod raw;
mod registry;
mod rest_json;
mod route;
pub mod sample;
pub mod shape;
pub mod timestamp;
mod validate;
mod xml;

pub use http::{HttpRequest, HttpResponse};
pub use model::{Model, Operation, Paginator, Protocol};
pub use registry::Registry;
