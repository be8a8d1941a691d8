//! The one place services are registered: adding a service is one line here.

use service::{Runtime, Service};
use std::sync::Arc;

/// Every emulated service. Models without a service here (MediaConnect, MediaConvert,
/// MediaPackage v1 and v2 for now) are still routed and validated, then answered
/// `NotImplemented`.
pub fn services(runtime: &Arc<Runtime>, iam: &Arc<iam::Iam>) -> Vec<Arc<dyn Service>> {
    vec![
        iam.iam_service(),
        iam.sts_service(),
        ivs::Ivs::new(runtime.clone()),
        mediapackage::MediaPackage::new(runtime.clone()),
        mediapackage::MediaPackageV2::new(runtime.clone()),
    ]
}
