//! Output presets: the caller's custom presets and the read-only system catalog.

use crate::job_run::timestamp_unix;
use crate::model::{self, bad_request, conflict, not_found, Document, Preset};
use crate::paging::{self, Order};
use crate::queues::TAGS;
use crate::quotas;
use crate::system_presets::{self, SystemPreset, PUBLISHED, SYSTEM_PRESETS};
use crate::MediaConvert;
use kit::input::{opt_str, req_str};
use kit::Stored;
use serde_json::{json, Map, Value};
use service::{Member, RequestContext, ServiceError};

fn preset_not_found(name: &str) -> ServiceError {
    not_found(format!("Preset {name} does not exist"))
}

fn custom_view(arn: &str, p: &Preset) -> Value {
    let mut v = json!({
        "Arn": arn, "Name": p.name, "Settings": p.settings.value(), "Type": "CUSTOM",
        "CreatedAt": timestamp_unix(p.created_at), "LastUpdated": timestamp_unix(p.last_updated),
    });
    if let Some(d) = &p.description {
        v["Description"] = json!(d);
    }
    if let Some(c) = &p.category {
        v["Category"] = json!(c);
    }
    v
}

fn system_view(ctx: &RequestContext, p: &SystemPreset) -> Value {
    json!({
        "Arn": model::arn(ctx, "presets", p.name), "Name": p.name,
        "Description": p.description(), "Category": p.category(),
        "Settings": p.settings(), "Type": "SYSTEM",
        "CreatedAt": timestamp_unix(PUBLISHED), "LastUpdated": timestamp_unix(PUBLISHED),
    })
}

/// A preset's settings must produce something.
fn check_settings(settings: &Value) -> Result<(), ServiceError> {
    let described = [
        "VideoDescription",
        "AudioDescriptions",
        "CaptionDescriptions",
    ]
    .iter()
    .any(|m| settings.get(*m).is_some_and(|v| !v.is_null()));
    if described {
        Ok(())
    } else {
        Err(bad_request(
            "/settings: Should have at least one of videoDescription, audioDescriptions or captionDescriptions",
        ))
    }
}

fn system_is_read_only(name: &str) -> ServiceError {
    bad_request(format!(
        "Preset {name} is a system preset; system presets can't be changed or deleted"
    ))
}

impl MediaConvert {
    pub(crate) fn create_preset(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        crate::rules::check_name(name)?;
        let tags = TAGS.read(input, "Tags")?;
        let settings = input.member("Settings").cloned().unwrap_or(Value::Null);
        check_settings(&settings)?;
        let arn = model::arn(ctx, "presets", name);
        let mut state = self.state.write();
        if state.presets.get_in(ctx, &arn).is_some() {
            return Err(conflict(format!("Preset {name} already exists")));
        }
        let now = self.runtime.clock.now();
        let p = Preset {
            name: name.to_string(),
            description: opt_str(input, "Description").map(str::to_string),
            category: opt_str(input, "Category").map(str::to_string),
            settings: Document::new(&settings),
            created_at: now,
            last_updated: now,
        };
        let view = custom_view(&arn, &p);
        // Counted under the write lock, so concurrent creates cannot overshoot.
        quotas::PRESETS
            .admit(&self.runtime, state.presets.count_in(ctx), 1)
            .map_err(quotas::exceeded)?;
        state.presets.put(&ctx.journal, &arn, Stored::new(p, tags));
        Ok(json!({ "Preset": view }))
    }

    pub(crate) fn get_preset(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if let Some(p) = system_presets::find(name) {
            return Ok(json!({ "Preset": system_view(ctx, p) }));
        }
        let arn = model::arn(ctx, "presets", name);
        let state = self.state.read();
        let p = state
            .presets
            .get_in(ctx, &arn)
            .ok_or_else(|| preset_not_found(name))?;
        Ok(json!({ "Preset": custom_view(&arn, &p.value) }))
    }

    /// Whether an output may name the preset `name`: AWS's NotFoundException when the caller
    /// has no such preset (custom or system), as CreateJob answers it.
    pub(crate) fn check_output_preset(
        &self,
        ctx: &RequestContext,
        name: &str,
    ) -> Result<(), ServiceError> {
        if system_presets::find(name).is_some() {
            return Ok(());
        }
        let arn = model::named_arn(ctx, "presets", name);
        if self.state.read().presets.get_in(ctx, &arn).is_some() {
            return Ok(());
        }
        Err(not_found(format!(
            "The specified preset was not found: presetArn={arn}."
        )))
    }

    /// The settings of the preset `name` (custom or system), if the caller has it.
    pub(crate) fn preset_settings(&self, ctx: &RequestContext, name: &str) -> Option<Value> {
        if let Some(p) = system_presets::find(name) {
            return Some(p.settings());
        }
        let arn = model::named_arn(ctx, "presets", name);
        self.state
            .read()
            .presets
            .get_in(ctx, &arn)
            .map(|p| p.value.settings.value())
    }

    pub(crate) fn list_presets(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let list_by = opt_str(input, "ListBy").unwrap_or("NAME");
        let category = opt_str(input, "Category");
        let order = Order::read(input, false);
        let key = &self.runtime.token_key;
        let filters = format!("{list_by}|{}|{}", order.descending, category.unwrap_or(""));
        let page = paging::request(key, ctx, "ListPresets", input, &filters)?;
        let by_date = list_by == "CREATION_DATE";
        let state = self.state.read();
        let mut items: Vec<(String, Value)> = Vec::new();
        // As AWS lists them: an account's own presets, or with `ListBy=SYSTEM` the system ones.
        if list_by == "SYSTEM" {
            for p in SYSTEM_PRESETS {
                if category.is_none_or(|c| p.category() == c) {
                    items.push((p.name.to_string(), system_view(ctx, p)));
                }
            }
        } else {
            for (arn, p) in state.presets.iter_in(ctx) {
                if category.is_some_and(|c| p.value.category.as_deref() != Some(c)) {
                    continue;
                }
                let k = if by_date {
                    paging::date_key(p.value.created_at, &p.value.name)
                } else {
                    p.value.name.clone()
                };
                items.push((k, custom_view(arn, &p.value)));
            }
        }
        let (presets, next) = paging::cut(key, &page, items, order);
        let mut out = Map::new();
        out.insert("Presets".into(), Value::from(presets));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }

    pub(crate) fn update_preset(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if system_presets::find(name).is_some() {
            return Err(system_is_read_only(name));
        }
        if let Some(s) = input.member("Settings") {
            check_settings(s)?;
        }
        let arn = model::arn(ctx, "presets", name);
        let now = self.runtime.clock.now();
        let mut state = self.state.write();
        let updated: Option<Result<Preset, ServiceError>> = state.presets.update(ctx, &arn, |s| {
            let p = &mut s.value;
            if let Some(d) = opt_str(input, "Description") {
                p.description = Some(d.to_string());
            }
            if let Some(c) = opt_str(input, "Category") {
                p.category = Some(c.to_string());
            }
            if let Some(settings) = input.member("Settings") {
                p.settings = Document::new(settings);
            }
            p.last_updated = now;
            Ok(p.clone())
        });
        let p = updated.ok_or_else(|| preset_not_found(name))??;
        Ok(json!({ "Preset": custom_view(&arn, &p) }))
    }

    pub(crate) fn delete_preset(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let name = req_str(input, "Name")?;
        if system_presets::find(name).is_some() {
            return Err(system_is_read_only(name));
        }
        let arn = model::arn(ctx, "presets", name);
        let mut state = self.state.write();
        state
            .presets
            .get_in(ctx, &arn)
            .ok_or_else(|| preset_not_found(name))?;
        state.presets.remove(&ctx.journal, &arn);
        Ok(json!({}))
    }
}
