//! AWS's API models drive routing, input parsing and validation, and the wire format.

pub mod pagination;
