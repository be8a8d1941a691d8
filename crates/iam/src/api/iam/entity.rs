//! The stored IAM entities a request names by one input member, for the calls (tags,
//! boundaries, provider updates) that read one, change it and store it back.

use super::Call;
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;

/// An entity a request names, stored back whole after a change.
pub(crate) trait Entity: Clone {
    /// The stored entity the request's input names, or the entity's not-found error.
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError>;

    /// Stores the entity back, journaled.
    fn store(self, c: &Call, s: &mut State);
}

/// Applies `change` to a copy of the entity the request names and stores it; answers `{}`.
pub(crate) fn update<E: Entity>(
    c: &Call,
    s: &mut State,
    change: impl FnOnce(&State, &mut E) -> Result<(), ServiceError>,
) -> Result<Value, ServiceError> {
    let mut e = E::named(c, s)?.clone();
    change(s, &mut e)?;
    e.store(c, s);
    Ok(json!({}))
}
