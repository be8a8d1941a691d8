//! AWS's API models drive routing, input parsing and validation, and the wire format.
//!
//! The botocore models are embedded, decompressed and compiled once ([`Registry::embedded`],
//! or the process-wide [`Registry::shared`]). At the seam, an operation's input and output are
//! JSON objects keyed by the model's *member* names (never wire names); this crate does every
//! wire conversion in between:
//!
//! - [`Model::parse_request`] routes (rest-json: method + URI template through a segment trie;
//!   query: `Action` + `Version`), reads labels, query string, headers and body, fills missing
//!   idempotency tokens with UUIDs and validates, answering with the service's own errors.
//! - Parsed timestamps are JSON numbers (epoch seconds); blobs are base64 strings; query-protocol
//!   lists and maps are JSON arrays and objects.
//! - [`Model::serialize_output`] accepts timestamps as epoch numbers or RFC 3339 strings and
//!   writes them per the model; [`Model::serialize_error`] gives modelled errors their status and
//!   message field (`message`, `Message` or `exceptionMessage`).
//! - [`Model::serialize_rendered`] does the same for a `service::Output` whose list member
//!   arrives as items already rendered by [`Model::list_items`] (a service caches them per
//!   resource), spliced in where the serializer would have written them.
//! - [`authz_facts`] holds the Service Authorization Reference facts per action; [`sample`]
//!   builds valid requests from the model for conformance tests.
//!
//! The server adds the `Date` header; everything else on the wire comes from here.

#![warn(missing_docs)]

mod amendments;
pub mod authz_facts;
mod convert;
mod doc;
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

pub use convert::write_str as write_json_str;
pub use http::{HeaderText, HttpRequest, HttpResponse};
pub use model::{BodyRenderer, ItemRenderer, Model, Operation, Paginator, ParsedApart, Protocol};
pub use registry::Registry;
