//! The seam between the mediamock server and each emulated service.
//!
//! A service is a model name plus three things: where its operations' resources are, for the
//! authorization engine ([`Service::authz_spec`], [`Service::locate`], [`Service::stored`]),
//! running an operation ([`Service::handle`]) and its durable records ([`Service::restore`],
//! [`Service::records`]). Inputs and outputs are JSON values keyed by the
//! model's member names, already parsed and validated by the protocol layer.

mod access;
mod context;
mod data_plane;
mod doc;
pub mod embedded;
mod error;
mod journal;
mod locate;
mod member;
mod output;
mod principal;
mod resource_policy;
mod runtime;
pub mod scratch;
mod service_roles;
mod tenancy;
mod text;

pub use access::{Access, ContextValue};
pub use context::RequestContext;
pub use data_plane::{ObjectRequest, ObjectResponse};
pub use doc::{Doc, DocMember, Key, Node};
pub use error::ServiceError;
pub use journal::{Journal, Record};
pub use locate::{AuthzSpec, Locate, StoredFacts};
pub use member::{key_and_value, Member};
pub use output::{Output, RenderedList, RenderedMember};
pub use principal::{Principal, PrincipalKind, SessionInfo};
pub use resource_policy::ResourcePolicy;
pub use runtime::{at_request_time, wall_now, Clock, IdGen, Runtime, Transitions};
pub use service_roles::{EveryRole, RoleTrust, ServiceRoles, SourceResource};
pub use tenancy::{arn_account, no_foreign_arns};
pub use text::{
    arn_parts, concat, first_colons, has_reserved_tag_prefix, is_account_id, is_partition,
    is_role_arn,
};

use serde_json::Value;

/// One emulated AWS API, registered with the server under its model's signing name.
pub trait Service: Send + Sync + 'static {
    /// The model this service serves, by signing name (`ivs`, `iam`, `sts`, …).
    fn signing_name(&self) -> &'static str;

    /// Where this service's operations name their resources, roles and tags, for the
    /// authorization engine (which reads everything else from AWS's reference data).
    fn authz_spec(&self) -> AuthzSpec {
        AuthzSpec::default()
    }

    /// Answers what only state can tell the engine about one operation (see [`Locate`]).
    fn locate(&self, _ctx: &RequestContext, _query: &mut Locate<'_>) -> Result<(), ServiceError> {
        Ok(())
    }

    /// The tags and resource policy of the stored resource `arn`, if the service has it.
    fn stored(&self, _ctx: &RequestContext, _arn: &str) -> Option<StoredFacts> {
        None
    }

    /// The member of `operation`'s input the server reads apart into a [`Doc`] (its hot
    /// path's large member), if any: the input value then leaves it out, and
    /// [`RequestContext::doc_member`] holds it when the body read cleanly (otherwise the input
    /// value holds it as always).
    fn doc_member(&self, _operation: &str) -> Option<&'static str> {
        None
    }

    /// Runs `operation`; the output is keyed by the output shape's member names.
    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError>;

    /// Runs `operation` as [`Service::handle`] does, for the server: a service whose list
    /// items it keeps rendered answers those lists as a [`RenderedList`] (the same wire bytes,
    /// without building a value per item). The default answers [`Service::handle`]'s value.
    fn handle_output(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Output, ServiceError> {
        self.handle(ctx, operation, input).map(Output::from)
    }

    /// The name its durable records are kept under; services that share one store (IAM and
    /// STS) answer the same name, and only the first of them is asked for `records()`.
    fn store_name(&self) -> &'static str {
        self.signing_name()
    }

    /// The data-plane request `method path` is, if this service serves it (checked for paths
    /// no API model routes).
    fn object_route(&self, _method: &str, _path: &str) -> Option<ObjectRequest> {
        None
    }

    /// Serves a data-plane request the authorize stage has allowed.
    fn serve_object(
        &self,
        _ctx: &RequestContext,
        request: &ObjectRequest,
    ) -> Result<ObjectResponse, ServiceError> {
        Err(ServiceError::not_implemented(
            self.signing_name(),
            request.action,
        ))
    }

    /// Service-specific admin endpoints under `/_mediamock/<signing name>/…` (root only).
    fn admin(
        &self,
        _ctx: &RequestContext,
        _method: &str,
        _path: &str,
        _body: Value,
    ) -> Option<Result<Value, ServiceError>> {
        None
    }

    /// Re-applies one durable record written earlier through the [`Journal`].
    fn restore(&self, _record: &Record) -> Result<(), String> {
        Ok(())
    }

    /// Every durable record of the current state (for exports and compaction).
    fn records(&self) -> Vec<Record> {
        Vec::new()
    }

    /// Forgets all state.
    fn reset(&self) {}

    /// Checks that every record of a state import belongs to `account` — its key, and any
    /// account, ARN, access key or principal inside its value, for puts and deletes alike —
    /// before anything is applied. A service that does not say which records are whose
    /// cannot be imported into: the default refuses.
    fn validate_import(&self, account: &str, records: &[Record]) -> Result<(), String> {
        let _ = (account, records);
        Err(format!(
            "the {} service does not accept state imports",
            self.store_name()
        ))
    }

    /// Forgets one account's state, leaving every other account's untouched. The default
    /// removes, through [`Service::restore`], each record [`Service::records`] lists for it.
    fn reset_account(&self, account: &str) -> Result<(), String> {
        for mut r in self.records().into_iter().filter(|r| r.account == account) {
            r.value = None;
            self.restore(&r)?;
        }
        Ok(())
    }

    /// Resource counts by type, for metrics.
    fn resource_counts(&self) -> Vec<(&'static str, usize)> {
        Vec::new()
    }
}
