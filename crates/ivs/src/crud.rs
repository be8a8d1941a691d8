//! The get / list / delete shapes the configuration resources share.

use crate::channels::WithoutNulls;
use crate::input::{conflict, req_str};
use crate::state::{Kind, Resource};
use crate::Ivs;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};

impl Ivs {
    /// `Get*`: `{output_member: view}` of the resource named by `arn`.
    pub(crate) fn get_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        kind: Kind,
        output_member: &str,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let state = self.state.read();
        let r = Self::find(&state, ctx, kind, arn)?;
        let mut out = serde_json::Map::new();
        out.insert(output_member.to_string(), self.view(arn, r));
        Ok(Value::Object(out))
    }

    /// `List*` without filters: a page of summaries under `list_member`.
    pub(crate) fn list_all(
        &self,
        ctx: &RequestContext,
        input: &Value,
        kind: Kind,
        list_member: &str,
        summary: &[&str],
        default_page: usize,
    ) -> Result<Value, ServiceError> {
        let page = self.page_request(ctx, input, default_page, list_member)?;
        let state = self.state.read();
        let (items, next) = page.page(
            &self.runtime.token_key,
            &state.resources,
            &Self::prefix(ctx, kind),
            |_, _| true,
        );
        let list: Vec<Value> = items
            .into_iter()
            .map(|(arn, r)| self.summary(arn, r, summary))
            .collect();
        let mut out = serde_json::Map::new();
        out.insert(list_member.to_string(), Value::from(list));
        out.insert("nextToken".into(), next.map_or(Value::Null, Value::from));
        Ok(Value::Object(out).without_nulls())
    }

    /// `Delete*`: refuses with ConflictException while a channel references the resource
    /// through `channel_member`.
    pub(crate) fn delete_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        kind: Kind,
        channel_member: Option<&str>,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        Self::find(&state, ctx, kind, arn)?;
        if let Some(member) = channel_member {
            if Self::referenced_by_channel(&state, ctx, member, arn) {
                return Err(conflict(format!(
                    "Resource: {arn} is in use by one or more channels and cannot be deleted"
                )));
            }
        }
        self.discard(ctx, &mut state, arn);
        Ok(json!({}))
    }

    /// Stores a new resource of `kind` with `body` (its `arn` member filled in) and returns
    /// `{output_member: view}`.
    pub(crate) fn create_one(
        &self,
        ctx: &RequestContext,
        kind: Kind,
        mut body: serde_json::Map<String, Value>,
        tags: std::collections::BTreeMap<String, String>,
        output_member: &str,
    ) -> Value {
        let arn = self.new_arn(ctx, kind);
        body.insert("arn".into(), Value::from(arn.clone()));
        let resource = Resource {
            body,
            tags,
            created_at: self.runtime.clock.lifecycle_now(),
        };
        let mut state = self.state.write();
        self.save(ctx, &mut state, &arn, resource);
        let mut out = serde_json::Map::new();
        if let Some(r) = state.resources.get(&arn) {
            out.insert(output_member.to_string(), self.view(&arn, r));
        }
        Value::Object(out)
    }

    /// `Update*`: overlays the present `members` of `input` on the stored body, checks the
    /// result with `check`, stores it and returns `{output_member: view}`.
    pub(crate) fn update_one(
        &self,
        ctx: &RequestContext,
        input: &Value,
        kind: Kind,
        members: &[&str],
        output_member: &str,
        check: impl Fn(&serde_json::Map<String, Value>) -> Result<(), ServiceError>,
    ) -> Result<Value, ServiceError> {
        let arn = req_str(input, "arn")?;
        let mut state = self.state.write();
        let mut r = Self::find(&state, ctx, kind, arn)?.clone();
        for m in members {
            if let Some(v) = input.get(*m).filter(|v| !v.is_null()) {
                r.body.insert((*m).to_string(), v.clone());
            }
        }
        check(&r.body)?;
        self.save(ctx, &mut state, arn, r);
        let mut out = serde_json::Map::new();
        if let Some(r) = state.resources.get(arn) {
            out.insert(output_member.to_string(), self.view(arn, r));
        }
        Ok(Value::Object(out))
    }
}
