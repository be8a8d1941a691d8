//! The shared resource kit: what every emulated resource service needs, so a service crate is
//! its handlers and its state.
//!
//! - [`Store`]: ARN-keyed typed resources per account and region; O(1) gets, O(page) pages,
//!   journaled puts and deletes, restore and export.
//! - [`PageRequest`]: `maxResults`/`nextToken` (or the service's names) with tokens bound to
//!   the operation, caller and filters that issued them.
//! - [`TagRules`]: reading and merging tags with AWS's limits, in the service's error.
//! - [`Idempotency`]: client tokens (`ClientToken`, `ClientRequestToken`).
//! - [`Lifecycle`]: state machines (`STARTING → ACTIVE`) on the shared clock.
//! - [`Quota`]: documented resource quotas, always on, overridable by configuration.
//! - [`Throttle`]: AWS's documented request rates, on demand.
//! - [`RenderCache`]: a stored resource's wire rendering (a list item), until it changes.
//! - [`ShardedTable`], [`ChunkedQueue`]: a hash table and a queue that grow without moving
//!   all their entries at once (under a lock every request waits on).
//! - [`GenerationCache`]: answers derived from a store (listed pages, rendered views), kept
//!   while the store is unchanged.
//! - [`input`]: accessors for the validated input.
//! - [`operations!`]: a service's operations listed once; the list dispatches, answers
//!   NotImplemented for operations without a handler, and is checked against the model.

mod arn_order;
mod arn_table;
mod chunked_queue;
mod generation_cache;
mod idempotency;
mod import;
pub mod input;
mod lifecycle;
mod operations;
mod output_check;
mod paging;
mod quota;
mod render_cache;
#[cfg(feature = "testing")]
mod rendered_check;
mod sharded_table;
mod store;
mod tags;
mod throttle;

pub use chunked_queue::ChunkedQueue;
pub use generation_cache::{CachedPage, GenerationCache, PageCache, PageKey, ViewCache, ViewKey};
pub use idempotency::Idempotency;
pub use lifecycle::{Lifecycle, Phase, Step};
pub use operations::{check_against_model, checked_output, Operations};
pub use output_check::{allowed_off_model, off_model_members, undeclared_members};
pub use paging::{PageRequest, Paging};
pub use quota::{unknown_quotas, Quota, QuotaReached};
pub use render_cache::{model_renderer, RenderCache};
#[cfg(feature = "testing")]
pub use rendered_check::rendered_as_plain;
pub use sharded_table::{shard_of, ShardedTable, SHARDS};
pub use store::{arn_scope, Page, Store, Stored};
pub use tags::{to_list as tags_to_list, to_map as tags_to_map, TagRules, Tags};
pub use throttle::{Rate, Throttle};

#[doc(hidden)]
pub use operations::{
    checked_output as __checked_output, unknown_operation as __unknown_operation,
};
/// Re-exported for [`operations!`] expansions.
#[doc(hidden)]
pub use serde_json as __json;
#[doc(hidden)]
pub use service as __service;
