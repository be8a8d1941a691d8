//! MediaPackage v2 (`mediapackagev2`, 2022-12-25): channel groups, channels, origin endpoints,
//! harvest jobs, resource policies, and the egress/ingest data plane.

mod arns;
mod channels;
mod egress;
mod endpoints;
mod errors;
mod filters;
mod forced_errors;
mod groups;
mod harvest;
pub(crate) mod manifests;
pub mod model;
mod policies;
pub mod quotas;
mod speke;
mod tags;
#[cfg(test)]
mod tests;

use kit::{Idempotency, Store, Stored};
use parking_lot::RwLock;
use serde_json::Value;
use service::{
    AuthzSpec, Locate, ObjectRequest, ObjectResponse, RequestContext, Runtime, Service,
    ServiceError, StoredFacts,
};
use std::sync::Arc;

use arns::{Kind, Names};
use model::{Channel, ChannelGroup, HarvestJob, OriginEndpoint};

/// The emulated MediaPackage v2 API.
pub struct MediaPackageV2 {
    runtime: Arc<Runtime>,
    state: RwLock<State>,
    /// When each channel last received ingest (for `STALE_MANIFEST`).
    ingest: forced_errors::IngestLog,
    /// Rendered GetOriginEndpoint bodies, kept while the endpoint store is unchanged.
    views: kit::ViewCache,
}

/// Every v2 resource, by ARN, plus the idempotency tokens of creates.
struct State {
    groups: Store<ChannelGroup>,
    channels: Store<Channel>,
    endpoints: Store<OriginEndpoint>,
    jobs: Store<HarvestJob>,
    tokens: Idempotency,
}

impl State {
    /// The caller's origin endpoint `arn`, or ResourceNotFoundException.
    fn endpoint(
        &self,
        ctx: &RequestContext,
        arn: &str,
    ) -> Result<&Stored<OriginEndpoint>, ServiceError> {
        self.endpoints
            .get_in(ctx, arn)
            .ok_or_else(|| self.missing(ctx, arn, Kind::Endpoint))
    }

    /// The not-found error of `arn`, a resource of `kind` the caller does not have: of its
    /// first missing ancestor, as AWS answers GetChannel in a group that does not exist with
    /// the channel group's not-found (moto's aws_verified test_get_channel_unknown).
    fn missing(&self, ctx: &RequestContext, arn: &str, kind: Kind) -> ServiceError {
        // Names are `[a-zA-Z0-9_-]+`: the path's words delimit the ancestors.
        let upto = |word: &str| arn.find(word).map(|i| &arn[..i]);
        let gone = |a: Option<&str>, exists: &dyn Fn(&str) -> bool| a.is_some_and(|a| !exists(a));
        let kind = if gone(upto("/channel/"), &|a| self.groups.get_in(ctx, a).is_some()) {
            Kind::Group
        } else if gone(upto("/originEndpoint/"), &|a| {
            self.channels.get_in(ctx, a).is_some()
        }) {
            Kind::Channel
        } else if gone(upto("/harvestJob/"), &|a| {
            self.endpoints.get_in(ctx, a).is_some()
        }) {
            Kind::Endpoint
        } else {
            kind
        };
        errors::not_found(kind)
    }
}

impl MediaPackageV2 {
    /// A service with no resources, on `runtime`'s clock and IDs.
    pub fn new(runtime: Arc<Runtime>) -> Arc<Self> {
        Arc::new(MediaPackageV2 {
            runtime,
            state: RwLock::new(State {
                groups: Store::new("channelGroup"),
                channels: Store::new("channel"),
                endpoints: Store::new("originEndpoint"),
                jobs: Store::new("harvestJob"),
                tokens: Idempotency::default(),
            }),
            ingest: forced_errors::IngestLog::default(),
            views: kit::ViewCache::default(),
        })
    }

    /// A fresh entity tag for a resource just written.
    fn etag(&self) -> String {
        self.runtime.ids.alnum(32)
    }
}

kit::operations! { MediaPackageV2, "mediapackagev2";
    CancelHarvestJob => MediaPackageV2::cancel_harvest_job,
    CreateChannel => MediaPackageV2::create_channel,
    CreateChannelGroup => MediaPackageV2::create_channel_group,
    CreateHarvestJob => MediaPackageV2::create_harvest_job,
    CreateOriginEndpoint => MediaPackageV2::create_origin_endpoint,
    DeleteChannel => MediaPackageV2::delete_channel,
    DeleteChannelGroup => MediaPackageV2::delete_channel_group,
    DeleteChannelPolicy => MediaPackageV2::delete_channel_policy,
    DeleteOriginEndpoint => MediaPackageV2::delete_origin_endpoint,
    DeleteOriginEndpointPolicy => MediaPackageV2::delete_origin_endpoint_policy,
    GetChannel => MediaPackageV2::get_channel,
    GetChannelGroup => MediaPackageV2::get_channel_group,
    GetChannelPolicy => MediaPackageV2::get_channel_policy,
    GetHarvestJob => MediaPackageV2::get_harvest_job,
    GetOriginEndpoint => MediaPackageV2::get_origin_endpoint,
    GetOriginEndpointPolicy => MediaPackageV2::get_origin_endpoint_policy,
    ListChannelGroups => MediaPackageV2::list_channel_groups,
    ListChannels => MediaPackageV2::list_channels,
    ListHarvestJobs => MediaPackageV2::list_harvest_jobs,
    ListOriginEndpoints => MediaPackageV2::list_origin_endpoints,
    ListTagsForResource => MediaPackageV2::list_tags,
    PutChannelPolicy => MediaPackageV2::put_channel_policy,
    PutOriginEndpointPolicy => MediaPackageV2::put_origin_endpoint_policy,
    ResetChannelState => MediaPackageV2::reset_channel_state,
    ResetOriginEndpointState => MediaPackageV2::reset_origin_endpoint_state,
    TagResource => MediaPackageV2::tag_resource,
    UntagResource => MediaPackageV2::untag_resource,
    UpdateChannel => MediaPackageV2::update_channel,
    UpdateChannelGroup => MediaPackageV2::update_channel_group,
    UpdateOriginEndpoint => MediaPackageV2::update_origin_endpoint,
}

impl Service for MediaPackageV2 {
    fn signing_name(&self) -> &'static str {
        "mediapackagev2"
    }

    fn authz_spec(&self) -> AuthzSpec {
        AuthzSpec {
            principal: "mediapackagev2.amazonaws.com",
            arn_members: &[("ResourceArn", "*")],
            id_members: &[],
            role_members: &[
                "Segment.Encryption.SpekeKeyProvider.RoleArn",
                "CdnAuthConfiguration.SecretsRoleArn",
            ],
            tag_members: &["Tags"],
            tag_key_members: &["TagKeys"],
        }
    }

    /// Every v2 action lists the whole chain of types (group, channel, endpoint, job); AWS
    /// authorizes one request on the one resource it names, so the most specific ARN the
    /// request names is the access, and the other types get none.
    fn locate(&self, ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        let target = if let Some(arn) = kit::input::opt_str(q.input, "ResourceArn") {
            Kind::of_arn(arn).map(|k| (k, arn.to_string()))
        } else if let Some(arn) = kit::input::opt_str(q.input, "Arn") {
            // The data plane names the endpoint or channel by its full ARN.
            Kind::of_arn(arn).map(|k| (k, arn.to_string()))
        } else {
            Names::read(q.input).most_specific(ctx, |k| q.has_type(k.type_name()))
        };
        let Some((kind, arn)) = target else {
            return Ok(());
        };
        let types: Vec<String> = q.resource_types.iter().map(|t| t.to_string()).collect();
        for t in types {
            let arns = if t.eq_ignore_ascii_case(kind.type_name()) {
                vec![arn.clone()]
            } else {
                Vec::new()
            };
            q.set(&t, arns);
        }
        Ok(())
    }

    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        let state = self.state.read();
        match Kind::of_arn(arn)? {
            Kind::Group => state.groups.get(arn).map(Stored::facts),
            Kind::Channel => state.channels.get(arn).map(Stored::facts),
            Kind::Endpoint => state.endpoints.get(arn).map(Stored::facts),
            // An expired job's record is gone: nothing of it to authorize on.
            Kind::Job => state
                .jobs
                .get(arn)
                .filter(|j| !harvest::expired(&self.runtime.clock, &j.value))
                .map(Stored::facts),
        }
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        kit::Operations::dispatch(self, ctx, operation, &input)
    }

    fn handle_output(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<service::Output, ServiceError> {
        match operation {
            "GetOriginEndpoint" => self.get_origin_endpoint_rendered(ctx, &input),
            _ => self
                .handle(ctx, operation, input)
                .map(service::Output::from),
        }
    }

    fn object_route(&self, method: &str, path: &str) -> Option<ObjectRequest> {
        egress::route(method, path)
    }

    fn serve_object(
        &self,
        ctx: &RequestContext,
        request: &ObjectRequest,
    ) -> Result<ObjectResponse, ServiceError> {
        self.serve_data_plane(ctx, request)
    }

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        let mut state = self.state.write();
        match record.table.as_str() {
            "channelGroup" => state.groups.restore(record),
            "channel" => state.channels.restore(record),
            "originEndpoint" => state.endpoints.restore(record),
            "harvestJob" => state.jobs.restore(record),
            Idempotency::TABLE => state.tokens.restore(record),
            other => Err(format!("mediapackagev2 has no table {other}")),
        }
    }

    fn validate_import(&self, account: &str, records: &[service::Record]) -> Result<(), String> {
        let state = self.state.read();
        let svc = "mediapackagev2";
        records.iter().try_for_each(|r| match r.table.as_str() {
            "channelGroup" => state.groups.check_import(account, svc, r),
            "channel" => state.channels.check_import(account, svc, r),
            "originEndpoint" => state.endpoints.check_import(account, svc, r),
            "harvestJob" => state.jobs.check_import(account, svc, r),
            Idempotency::TABLE => Idempotency::check_import(account, r),
            other => Err(format!("mediapackagev2 has no table {other}")),
        })
    }

    fn records(&self) -> Vec<service::Record> {
        let state = self.state.read();
        let mut out = state.groups.records();
        out.extend(state.channels.records());
        out.extend(state.endpoints.records());
        out.extend(state.jobs.records());
        out.extend(state.tokens.records(self.runtime.clock.now()));
        out
    }

    fn reset(&self) {
        let mut state = self.state.write();
        state.groups.clear();
        state.channels.clear();
        state.endpoints.clear();
        state.jobs.clear();
        state.tokens.clear();
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        let state = self.state.read();
        vec![
            ("channel_group", state.groups.len()),
            ("channel", state.channels.len()),
            ("origin_endpoint", state.endpoints.len()),
            ("harvest_job", state.jobs.len()),
        ]
    }
}
