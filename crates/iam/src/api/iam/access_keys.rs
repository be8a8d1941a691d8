//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.

use super::users::{find, target_name};
use super::Call;
use crate::api::input;
use crate::ids;
use crate::store::{AccessKey, KeyOwner, State};
use serde_json::{json, Value};
use service::ServiceError;

fn no_such_key(id: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Access Key with id {id} cannot be found."),
    )
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = target_name(c)?;
    let mut u = find(s, c.account, &name)?.clone();
    super::quotas::admit(c, super::quotas::ACCESS_KEYS_PER_USER, u.keys.len())?;
    let key = AccessKey {
        id: ids::access_key_id(&c.iam.runtime.ids, ids::LONG_TERM_KEY),
        secret: ids::secret_key(&c.iam.runtime.ids),
        status: "Active".into(),
        created: c.now.floor(),
        last_used: None,
    };
    let out = json!({"AccessKey": {
        "UserName": u.name, "AccessKeyId": key.id, "Status": key.status,
        "SecretAccessKey": key.secret, "CreateDate": key.created,
    }});
    u.keys.push(key);
    s.put_user(&c.ctx.journal, u);
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    // "If the AWS account has no associated users, the root user returns its own access key
    // IDs" (ListAccessKeys): root signing with its access key and without `UserName` lists
    // the account's root key; like GetUser's root answer, its entry has no `UserName`. "If a
    // temporary access key is used, then UserName is required": a root session still asks.
    let p = &c.ctx.principal;
    if input::opt(c.input, "UserName").is_none() && p.is_root() && p.session.is_none() {
        let items = s
            .account(c.account)
            .filter(|a| !a.rec.root_access_key.is_empty())
            .map(|a| {
                let id = &a.rec.root_access_key;
                let entry =
                    json!({"AccessKeyId": id, "Status": "Active", "CreateDate": a.rec.created});
                vec![(id.clone(), entry)]
            })
            .unwrap_or_default();
        return c.paged(items, "AccessKeyMetadata");
    }
    let name = target_name(c)?;
    let u = find(s, c.account, &name)?;
    let items = u
        .keys
        .iter()
        .map(|k| {
            (k.id.clone(), json!({"UserName": u.name, "AccessKeyId": k.id, "Status": k.status, "CreateDate": k.created}))
        })
        .collect();
    c.paged(items, "AccessKeyMetadata")
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = target_name(c)?;
    let id = input::req(c.input, "AccessKeyId")?;
    let status = input::status(c.input)?;
    let mut u = find(s, c.account, &name)?.clone();
    let k = u
        .keys
        .iter_mut()
        .find(|k| k.id == id)
        .ok_or_else(|| no_such_key(id))?;
    k.status = status.to_string();
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = target_name(c)?;
    let id = input::req(c.input, "AccessKeyId")?;
    let mut u = find(s, c.account, &name)?.clone();
    let before = u.keys.len();
    u.keys.retain(|k| k.id != id);
    if u.keys.len() == before {
        return Err(no_such_key(id));
    }
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn last_used(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let id = input::req(c.input, "AccessKeyId")?;
    let Some(KeyOwner::User(account, lname)) = s.keys.get(id).cloned() else {
        return Err(no_such_key(id));
    };
    let u = s
        .account(&account)
        .and_then(|a| a.users.get(&lname))
        .ok_or_else(|| no_such_key(id))?;
    let k = u
        .keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| no_such_key(id))?;
    let used = match &k.last_used {
        Some(l) => json!({"LastUsedDate": l.date, "ServiceName": l.service, "Region": l.region}),
        None => json!({"ServiceName": "N/A", "Region": "N/A"}),
    };
    Ok(json!({"UserName": u.name, "AccessKeyLastUsed": used}))
}
