//! The mediamock server: configuration, the listener, the request pipeline
//! (authenticate → route → authorize → handle → serialize), admin endpoints, persistence
//! and metrics. It knows no service's semantics: services plug in through [`service::Service`].

pub mod admin;
mod app;
mod authenticate;
pub mod cli;
mod config;
mod connections;
mod console;
mod console_sign_in;
mod data_plane;
mod deadlines;
mod listener;
mod metrics;
mod parse_errors;
#[doc(hidden)]
pub mod persistence;
mod pipeline;
mod quotas;
mod registration;
mod response;
mod source_ip;

pub use app::App;
pub use config::{Config, IamMode};
pub use listener::{start, RunningServer};
pub use service::Transitions;
