//! AWS Elemental MediaPackage emulated: v1 (`mediapackage`, 2017-10-12) and v2
//! (`mediapackagev2`, 2022-12-25), two services sharing nothing but this crate, plus the
//! data plane (egress of synthetic manifests and segments, ingest) both serve outside the API.

pub mod certificates;
mod data_plane;
pub mod policy;
pub mod secrets;
pub mod v1;
pub mod v2;

pub use v1::MediaPackage;
pub use v2::MediaPackageV2;
