//! MediaPackage v1 (`mediapackage`, 2017-10-12). Registered so its requests are routed,
//! authenticated and authorized like every other; its operations answer NotImplemented until
//! they are built (see the operation list).

use serde_json::Value;
use service::{RequestContext, Runtime, Service, ServiceError};
use std::sync::Arc;

/// The emulated MediaPackage v1 API.
pub struct MediaPackage {
    #[allow(dead_code)]
    runtime: Arc<Runtime>,
}

impl MediaPackage {
    /// A service with no resources.
    pub fn new(runtime: Arc<Runtime>) -> Arc<Self> {
        Arc::new(MediaPackage { runtime })
    }
}

kit::operations! { MediaPackage, "mediapackage";
    ConfigureLogs, CreateChannel, CreateHarvestJob, CreateOriginEndpoint, DeleteChannel,
    DeleteOriginEndpoint, DescribeChannel, DescribeHarvestJob, DescribeOriginEndpoint,
    ListChannels, ListHarvestJobs, ListOriginEndpoints, ListTagsForResource,
    RotateChannelCredentials, RotateIngestEndpointCredentials, TagResource, UntagResource,
    UpdateChannel, UpdateOriginEndpoint,
}

impl Service for MediaPackage {
    fn signing_name(&self) -> &'static str {
        "mediapackage"
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        kit::Operations::dispatch(self, ctx, operation, &input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operation_list_matches_the_model() {
        kit::check_against_model::<MediaPackage>().unwrap();
    }
}
