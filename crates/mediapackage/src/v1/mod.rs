//! MediaPackage v1 (`mediapackage`, 2017-10-12): channels with HLS ingest endpoints and
//! generated credentials, origin endpoints (HLS, DASH, CMAF, MSS packages), harvest jobs, tags.
//! Resources are named by the caller's `Id`; their ARNs carry an internal ID, as AWS's do.

mod channels;
mod egress;
mod endpoints;
mod harvest;
mod ids;
pub mod model;
pub mod quotas;
#[cfg(test)]
mod tests;

use kit::input::{opt_str, req_str, strings};
use kit::{PageRequest, Paging, Store, Stored, TagRules, Tags};
use model::{Channel, HarvestJob, OriginEndpoint};
use parking_lot::RwLock;
use serde_json::{json, Map, Value};
use service::{AuthzSpec, Locate, RequestContext, Runtime, Service, ServiceError, StoredFacts};
use std::collections::HashMap;
use std::sync::Arc;

/// The emulated MediaPackage v1 API.
pub struct MediaPackage {
    runtime: Arc<Runtime>,
    state: RwLock<State>,
}

struct State {
    channels: Store<Channel>,
    endpoints: Store<OriginEndpoint>,
    jobs: Store<HarvestJob>,
    /// Origin endpoint ARNs by internal ID: egress URLs name only that.
    by_internal: HashMap<String, String>,
    /// ARNs by the caller's `Id`.
    ids: ids::IdIndex,
}

/// A new internal ID (a channel's, an origin endpoint's, an ingest endpoint's): a version-4
/// UUID's 32 hex digits without hyphens, as every ID in AWS's answers is (the AWS CLI's
/// mediapackage examples: `6d345804ec3f46c9b454a91d4a80d0e0`, `2daa32878af24803b24183727211b8ff`,
/// `1dc6718be36f4f34bb9cd86bc50925e6`, … all have the version digit 4 and a variant digit of
/// 8, 9, a or b).
fn new_internal_id(runtime: &Runtime) -> String {
    runtime.ids.uuid().replace('-', "")
}

/// The internal ID an ARN ends with.
fn internal_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

const TAGS: TagRules = TagRules::new("UnprocessableEntityException");
const PAGING: Paging =
    Paging::new(50, "UnprocessableEntityException").members("MaxResults", "NextToken");

/// v1's error for a request it cannot process (422).
fn unprocessable(message: impl Into<String>) -> ServiceError {
    ServiceError::new("UnprocessableEntityException", message)
}

fn not_found(what: &str, id: &str) -> ServiceError {
    ServiceError::new("NotFoundException", format!("{what} {id} not found"))
}

/// `Id` rules: 1–128 of letters, digits, `-` and `_`.
fn check_id(id: &str) -> Result<(), ServiceError> {
    let ok = (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(unprocessable(format!(
            "Id {id} is invalid: use 1 to 128 letters, digits, hyphens and underscores"
        )))
    }
}

fn arn(ctx: &RequestContext, kind: &str, internal: &str) -> String {
    format!(
        "arn:aws:mediapackage:{}:{}:{kind}/{internal}",
        ctx.region,
        ctx.account()
    )
}

/// Where this server is reachable for the client.
fn host(ctx: &RequestContext) -> &str {
    ctx.host.as_deref().unwrap_or("localhost:4566")
}

impl MediaPackage {
    /// A service with no resources.
    pub fn new(runtime: Arc<Runtime>) -> Arc<Self> {
        Arc::new(MediaPackage {
            runtime,
            state: RwLock::new(State {
                channels: Store::new("channels"),
                endpoints: Store::new("origin_endpoints"),
                jobs: Store::new("harvest_jobs"),
                by_internal: HashMap::new(),
                ids: ids::IdIndex::default(),
            }),
        })
    }

    fn page_request(
        &self,
        ctx: &RequestContext,
        op: &str,
        input: &Value,
        filters: &str,
    ) -> Result<PageRequest, ServiceError> {
        PageRequest::read(&self.runtime.token_key, &PAGING, ctx, op, input, filters)
    }

    /// Applies `change` to the tags of the caller's resource `arn`.
    fn with_tags<T>(
        &self,
        ctx: &RequestContext,
        arn: &str,
        change: impl FnOnce(&mut Tags) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let mut state = self.state.write();
        let kind = arn
            .splitn(6, ':')
            .nth(5)
            .unwrap_or("")
            .split('/')
            .next()
            .unwrap_or("");
        let done = match kind {
            "channels" => state.channels.update(ctx, arn, |s| change(&mut s.tags)),
            "origin_endpoints" => state.endpoints.update(ctx, arn, |s| change(&mut s.tags)),
            // A job whose record has expired is gone (harvest::expired).
            "harvest_jobs"
                if state
                    .jobs
                    .get_in(ctx, arn)
                    .is_some_and(|j| harvest::expired(&self.runtime.clock, &j.value)) =>
            {
                None
            }
            "harvest_jobs" => state.jobs.update(ctx, arn, |s| change(&mut s.tags)),
            _ => None,
        };
        done.unwrap_or_else(|| Err(not_found("Resource", arn)))
    }

    fn tag_resource(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let new = TAGS.read(input, "Tags")?;
        self.with_tags(ctx, arn, |t| TAGS.merge(t, new))?;
        Ok(json!({}))
    }

    fn untag_resource(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let keys = strings(input, "TagKeys");
        self.with_tags(ctx, arn, |t| TAGS.remove(t, &keys))?;
        Ok(json!({}))
    }

    fn list_tags(&self, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
        let arn = req_str(input, "ResourceArn")?;
        let tags = self.with_tags(ctx, arn, |t| Ok(kit::tags_to_map(t)))?;
        Ok(json!({ "Tags": tags }))
    }
}

/// `{"<member>": [...], "NextToken"}`.
fn listing(page: &PageRequest, member: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(member.into(), Value::from(items));
    page.put_token(&mut out, next);
    Value::Object(out)
}

kit::operations! { MediaPackage, "mediapackage";
    ConfigureLogs => MediaPackage::configure_logs,
    CreateChannel => MediaPackage::create_channel,
    CreateHarvestJob => MediaPackage::create_harvest_job,
    CreateOriginEndpoint => MediaPackage::create_origin_endpoint,
    DeleteChannel => MediaPackage::delete_channel,
    DeleteOriginEndpoint => MediaPackage::delete_origin_endpoint,
    DescribeChannel => MediaPackage::describe_channel,
    DescribeHarvestJob => MediaPackage::describe_harvest_job,
    DescribeOriginEndpoint => MediaPackage::describe_origin_endpoint,
    ListChannels => MediaPackage::list_channels,
    ListHarvestJobs => MediaPackage::list_harvest_jobs,
    ListOriginEndpoints => MediaPackage::list_origin_endpoints,
    ListTagsForResource => MediaPackage::list_tags,
    RotateChannelCredentials => MediaPackage::rotate_channel_credentials,
    RotateIngestEndpointCredentials => MediaPackage::rotate_ingest_endpoint_credentials,
    TagResource => MediaPackage::tag_resource,
    UntagResource => MediaPackage::untag_resource,
    UpdateChannel => MediaPackage::update_channel,
    UpdateOriginEndpoint => MediaPackage::update_origin_endpoint,
}

impl Service for MediaPackage {
    fn signing_name(&self) -> &'static str {
        "mediapackage"
    }

    fn authz_spec(&self) -> AuthzSpec {
        AuthzSpec {
            principal: "mediapackage.amazonaws.com",
            arn_members: &[("ResourceArn", "*")],
            id_members: &[],
            // S3Destination.RoleArn is passed from `locate`, once it is a role's ARN.
            role_members: &[
                "Authorization.SecretsRoleArn",
                "HlsPackage.Encryption.SpekeKeyProvider.RoleArn",
                "DashPackage.Encryption.SpekeKeyProvider.RoleArn",
                "CmafPackage.Encryption.SpekeKeyProvider.RoleArn",
                "MssPackage.Encryption.SpekeKeyProvider.RoleArn",
            ],
            tag_members: &["Tags"],
            tag_key_members: &["TagKeys"],
        }
    }

    /// Requests name resources by the caller's `Id`; the ARN carries the internal ID, which
    /// only state knows.
    fn locate(&self, ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        if q.operation == "ListChannels" {
            // No resource type in the reference; AWS authorizes it on the account's channels
            // (the User Guide's troubleshooting example: "… mediapackage:ListChannels on
            // resource: arn:aws:mediapackage:eu-west-2:123456789012:channels/*").
            q.add_any(arn(ctx, "channels", "*"));
            return Ok(());
        }
        // A harvest job's S3 role is passed to the service; anything but a role ARN is refused
        // by the handler (422) before it could be used.
        if let Some(role) = q.input["S3Destination"]["RoleArn"]
            .as_str()
            .filter(|r| service::is_role_arn(r))
        {
            q.pass_role(role);
        }
        let Some(id) = opt_str(q.input, "Id") else {
            return Ok(());
        };
        let state = self.state.read();
        let (kind, found) = if q.has_type("channels") {
            ("channels", state.ids.get("channels", ctx, id))
        } else if q.has_type("origin_endpoints") {
            (
                "origin_endpoints",
                state.ids.get("origin_endpoints", ctx, id),
            )
        } else if q.has_type("harvest_jobs") {
            ("harvest_jobs", state.ids.get("harvest_jobs", ctx, id))
        } else {
            return Ok(());
        };
        // An unknown Id is authorized on the ARN it would have; the handler then says 404.
        q.set(kind, vec![found.unwrap_or_else(|| arn(ctx, kind, id))]);
        Ok(())
    }

    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        let state = self.state.read();
        state
            .channels
            .get(arn)
            .map(Stored::facts)
            .or_else(|| state.endpoints.get(arn).map(Stored::facts))
            .or_else(|| state.jobs.get(arn).map(Stored::facts))
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        kit::Operations::dispatch(self, ctx, operation, &input)
    }

    fn object_route(&self, method: &str, path: &str) -> Option<service::ObjectRequest> {
        self.egress_route(method, path)
    }

    fn serve_object(
        &self,
        ctx: &RequestContext,
        request: &service::ObjectRequest,
    ) -> Result<service::ObjectResponse, ServiceError> {
        self.serve_egress(ctx, request)
    }

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        let mut state = self.state.write();
        state.ids.restore(record);
        match record.table.as_str() {
            "channels" => state.channels.restore(record),
            "origin_endpoints" => {
                match record.value {
                    Some(_) => state
                        .by_internal
                        .insert(internal_of(&record.key).to_string(), record.key.clone()),
                    None => state.by_internal.remove(internal_of(&record.key)),
                };
                state.endpoints.restore(record)
            }
            "harvest_jobs" => state.jobs.restore(record),
            other => Err(format!("mediapackage has no table {other}")),
        }
    }

    fn validate_import(&self, account: &str, records: &[service::Record]) -> Result<(), String> {
        let state = self.state.read();
        let svc = "mediapackage";
        records.iter().try_for_each(|r| match r.table.as_str() {
            "channels" => state.channels.check_import(account, svc, r),
            "origin_endpoints" => state.endpoints.check_import(account, svc, r),
            "harvest_jobs" => state.jobs.check_import(account, svc, r),
            other => Err(format!("mediapackage has no table {other}")),
        })
    }

    fn records(&self) -> Vec<service::Record> {
        let state = self.state.read();
        let mut out = state.channels.records();
        out.extend(state.endpoints.records());
        out.extend(state.jobs.records());
        out
    }

    fn reset(&self) {
        let mut state = self.state.write();
        state.channels.clear();
        state.endpoints.clear();
        state.jobs.clear();
        state.by_internal.clear();
        state.ids.clear();
    }

    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        let state = self.state.read();
        vec![
            ("channel", state.channels.len()),
            ("origin_endpoint", state.endpoints.len()),
            ("harvest_job", state.jobs.len()),
        ]
    }
}
