//! The create / get / batch get / list / update / delete shapes the resource types share,
//! driven by a [`ResourceSpec`] per type.

use crate::channels::WithoutNulls;
use crate::input::{conflict, req_str};
use crate::state::{Body, Kind, Resource, State};
use crate::Ivs;
use kit::{CachedPage, PageRequest, RenderCache};
use protocol::ItemRenderer;
use serde_json::{json, Map, Value};
use service::{Output, RenderedMember, RequestContext, ServiceError};
use std::collections::BTreeMap;

/// What the shared operations need to know about one resource type: its wire names and rules.
#[derive(Debug)]
pub(crate) struct ResourceSpec {
    /// The resource type.
    pub kind: Kind,
    /// The output member holding one resource (`adConfiguration`).
    pub one: &'static str,
    /// The output member holding a list of them (`adConfigurations`).
    pub many: &'static str,
    /// Members of the type's summary shape.
    pub summary: &'static [&'static str],
    /// The page size of a List without `maxResults`.
    pub default_page: usize,
    /// Members an Update may set.
    pub settable: &'static [&'static str],
    /// Checks a body before it is stored.
    pub check: fn(&RequestContext, &Map<String, Value>) -> Result<(), ServiceError>,
    /// The channel member that references this type; a referenced resource cannot be deleted.
    pub channel_member: Option<&'static str>,
    /// The per-account, per-region quota on how many may exist, if AWS documents one.
    pub quota: Option<kit::Quota>,
}

/// A request's member of the wrong type or outside the model's enum (the protocol layer
/// refuses those first; this guards direct callers).
fn invalid(e: serde_json::Error) -> ServiceError {
    crate::input::validation(format!("Invalid request member: {e}"))
}

/// A `check` for types without rules of their own.
pub(crate) fn no_check(_: &RequestContext, _: &Map<String, Value>) -> Result<(), ServiceError> {
    Ok(())
}

impl Ivs {
    /// `{spec.one: view}` of the stored resource `arn`, if any.
    pub(crate) fn wrap_one(&self, state: &State, spec: &ResourceSpec, arn: &str) -> Value {
        let mut out = Map::new();
        if let Some(r) = state.get(arn) {
            out.insert(spec.one.to_string(), self.view(arn, r));
        }
        Value::Object(out)
    }

    /// `Get*`: `{spec.one: view}` of the resource named by `arn`.
    pub(crate) fn get_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let state = self.state.read();
        Self::find(&state, ctx, spec.kind, arn)?;
        Ok(self.wrap_one(&state, spec, arn))
    }

    /// [`Ivs::get_one`] with the view as wire text rendered by `renderer`, kept while the
    /// store is unchanged (the same resource asked for again is copied, not rebuilt).
    pub(crate) fn get_rendered(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
        renderer: &ItemRenderer<'_>,
    ) -> Result<Output, ServiceError> {
        let arn = req_str(input, "arn")?;
        let state = self.state.read();
        let found = Self::find(&state, ctx, spec.kind, arn)?;
        let generation = state.store(spec.kind).generation();
        let text = self.views.view(generation, arn, "", || {
            renderer.render(&self.view(arn, found))
        });
        Ok(Output::with_member(
            Value::Object(Map::new()),
            RenderedMember::new(spec.one, text),
        ))
    }

    /// `BatchGet*`: views of the ARNs found under `spec.many`, and a BatchError per miss.
    pub(crate) fn batch_get(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
    ) -> Result<Value, ServiceError> {
        let state = self.state.read();
        let mut found = Vec::new();
        let mut errors = Vec::new();
        let arns = input.get("arns").and_then(Value::as_array);
        for arn in arns.into_iter().flatten().filter_map(Value::as_str) {
            match Self::find(&state, ctx, spec.kind, arn) {
                Ok(r) => found.push(self.view(arn, r)),
                Err(e) => errors.push(json!({"arn": arn, "code": e.code, "message": e.message})),
            }
        }
        let mut out = Map::new();
        out.insert(spec.many.to_string(), Value::from(found));
        out.insert("errors".into(), Value::from(errors));
        Ok(Value::Object(out))
    }

    /// `List*` without filters: a page of summaries under `spec.many`.
    pub(crate) fn list_all(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
    ) -> Result<Value, ServiceError> {
        let page = self.page_request(ctx, input, spec.default_page, spec.many)?;
        let state = self.state.read();
        Ok(self.list_page(ctx, &state, &page, spec, |_, _| true))
    }

    /// One page of the caller's resources of `spec.kind` that `keep` accepts, as
    /// `{spec.many: [summary], nextToken}`.
    pub(crate) fn list_page(
        &self,
        ctx: &RequestContext,
        state: &State,
        page: &PageRequest,
        spec: &ResourceSpec,
        keep: impl Fn(&str, &Resource) -> bool,
    ) -> Value {
        let found = state
            .store(spec.kind)
            .page(ctx, &self.runtime.token_key, page, keep);
        self.page_of(spec, found.items, found.next)
    }

    /// [`Ivs::list_page`] with each summary as wire text rendered by `items`: taken from the
    /// resource's `cache` where it has one (rendered into it on first use), else rendered now.
    /// The whole page is kept while the store is unchanged, so `keep` must decide only by the
    /// resource and what the page's scope names (its filters).
    #[allow(clippy::too_many_arguments)] // the list_page arguments, plus how to render
    pub(crate) fn rendered_page(
        &self,
        ctx: &RequestContext,
        state: &State,
        page: &PageRequest,
        spec: &ResourceSpec,
        keep: impl Fn(&str, &Resource) -> bool,
        items: &ItemRenderer<'_>,
        cache: impl Fn(&Resource) -> Option<&RenderCache>,
    ) -> Output {
        /// About how long one rendered summary is (a channel's is ~300 bytes).
        const ITEM_BYTES: usize = 384;
        let store = state.store(spec.kind);
        let listed = match self.pages.page(store.generation(), page) {
            Some(kept) => CachedPage {
                // Room for the token's member after the list.
                list: kept
                    .list
                    .copied(kept.next.as_ref().map_or(0, |t| t.len() + 16)),
                next: kept.next.clone(),
            },
            None => {
                let found = store.page(ctx, &self.runtime.token_key, page, keep);
                let mut list = items.start_list(spec.many, found.items.len(), ITEM_BYTES);
                for (arn, r) in found.items {
                    let render = || items.render(&self.summary(arn, r, spec.summary));
                    match cache(r) {
                        Some(c) => list.push(c.get_or_render(render)),
                        None => list.push(&render()),
                    }
                }
                let listed = CachedPage {
                    list,
                    next: found.next,
                };
                self.pages
                    .keep_page(store.generation(), page, listed.clone());
                listed
            }
        };
        let mut value = Map::with_capacity(1);
        if let Some(token) = listed.next {
            value.insert("nextToken".into(), Value::from(token));
        }
        Output {
            value: Value::Object(value),
            rendered: Some(listed.list),
            member: None,
            body: None,
        }
    }

    /// `{spec.many: [summary of each item], nextToken}`.
    pub(crate) fn page_of(
        &self,
        spec: &ResourceSpec,
        items: Vec<(&str, &Resource)>,
        next: Option<String>,
    ) -> Value {
        let list: Vec<Value> = items
            .into_iter()
            .map(|(arn, r)| self.summary(arn, r, spec.summary))
            .collect();
        let mut out = Map::with_capacity(2);
        out.insert(spec.many.to_string(), Value::from(list));
        out.insert("nextToken".into(), next.map_or(Value::Null, Value::from));
        Value::Object(out).without_nulls()
    }

    /// `Delete*`: refuses with ConflictException while a channel references the resource
    /// through `spec.channel_member`.
    pub(crate) fn delete_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        Self::find(&state, ctx, spec.kind, arn)?;
        if let Some(member) = spec.channel_member {
            if Self::referenced_by_channel(&state, ctx, member, arn) {
                return Err(conflict(format!(
                    "Resource: {arn} is in use by one or more channels and cannot be deleted"
                )));
            }
        }
        self.discard(ctx, &mut state, arn);
        Ok(json!({}))
    }

    /// Checks `body`, stores it as a new resource (its `arn` member filled in) and returns
    /// `{spec.one: view}`.
    pub(crate) fn create_one(
        &self,
        ctx: &RequestContext,
        spec: &ResourceSpec,
        body: Map<String, Value>,
        tags: BTreeMap<String, String>,
    ) -> Result<Value, ServiceError> {
        (spec.check)(ctx, &body)?;
        let created_at = self.runtime.clock.lifecycle_now();
        let body = Body::from_members(spec.kind, body, created_at).map_err(invalid)?;
        let arn = self.new_arn(ctx, spec.kind);
        let resource = Resource::new(body, tags);
        let mut state = self.state.write();
        if let Some(quota) = &spec.quota {
            let existing = state.store(spec.kind).count_in(ctx);
            quota
                .admit(&self.runtime, existing, 1)
                .map_err(crate::quotas::exceeded)?;
        }
        self.save(ctx, &mut state, &arn, resource);
        Ok(self.wrap_one(&state, spec, &arn))
    }

    /// `Update*`: overlays the present `spec.settable` members of `input` on the stored body,
    /// checks the result, stores it and returns `{spec.one: view}`.
    pub(crate) fn update_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        spec: &ResourceSpec,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        let mut r = Self::find(&state, ctx, spec.kind, arn)?.clone();
        let mut members = r.members();
        for m in spec.settable {
            if let Some(v) = input.get(*m).filter(|v| !v.is_null()) {
                members.insert((*m).to_string(), v.clone());
            }
        }
        (spec.check)(ctx, &members)?;
        let created_at = r.created_at().unwrap_or_default();
        r.value = Body::from_members(spec.kind, members, created_at).map_err(invalid)?;
        self.save(ctx, &mut state, arn, r);
        Ok(self.wrap_one(&state, spec, arn))
    }
}
