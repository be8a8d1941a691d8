//! Put/Get/List/Delete User/Group/Role Policy (inline policies).

use super::owner::{empty, with_policies, Owner};
use super::Call;
use crate::api::errors::{malformed, no_such};
use crate::api::input;
use crate::doc::Doc;
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;

pub(crate) fn put(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "PolicyName")?.to_string();
    let doc = Doc::parse_inline(input::req(c.input, "PolicyDocument")?).map_err(malformed)?;
    let owner = Owner::of(op);
    with_policies(c, s, owner, true, |entity, inline, _| {
        super::policy_size::check_inline_document(owner, &doc)?;
        inline.insert(name, doc);
        super::policy_size::check_inline(owner, entity, inline)?;
        Ok(empty())
    })
}

fn missing(owner: Owner, name: &str) -> ServiceError {
    no_such(&format!("{} policy", owner.word()), name)
}

pub(crate) fn get(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let owner = Owner::of(op);
    let name = input::req(c.input, "PolicyName")?.to_string();
    with_policies(c, s, owner, false, |entity, inline, _| {
        let d = inline.get(&name).ok_or_else(|| missing(owner, &name))?;
        let mut out = json!({"PolicyName": name, "PolicyDocument": d.url_encoded()});
        out[owner.member()] = json!(entity);
        Ok(out)
    })
}

pub(crate) fn list(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let items = with_policies(c, s, Owner::of(op), false, |_, inline, _| {
        Ok(inline
            .keys()
            .map(|k| (k.clone(), json!(k)))
            .collect::<Vec<_>>())
    })?;
    c.paged(items, "PolicyNames")
}

pub(crate) fn delete(c: &Call, s: &mut State, op: &str) -> Result<Value, ServiceError> {
    let owner = Owner::of(op);
    let name = input::req(c.input, "PolicyName")?.to_string();
    with_policies(c, s, owner, true, |_, inline, _| {
        inline.remove(&name).ok_or_else(|| missing(owner, &name))?;
        Ok(empty())
    })
}
