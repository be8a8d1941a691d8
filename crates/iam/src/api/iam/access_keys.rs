//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed.

use super::users::{find, root_record, roots_own, target_name};
use super::Call;
use crate::api::errors::quota;
use crate::api::input;
use crate::ids;
use crate::store::{AccessKey, KeyOwner, State};
use serde_json::{json, Value};
use service::ServiceError;

/// How many access keys the root user may have ("You can assign up to two access keys to the
/// root user"; inactive ones count).
const ROOT_KEYS: usize = 2;

/// A new access key, Active.
fn new_key(c: &Call) -> AccessKey {
    AccessKey {
        id: ids::access_key_id(&c.iam.runtime.ids, ids::LONG_TERM_KEY, c.account),
        secret: ids::secret_key(&c.iam.runtime.ids),
        status: "Active".into(),
        created: c.now.floor(),
        last_used: None,
    }
}

/// CreateAccessKey's answer: the new key with its secret, named for its user; root's key has
/// no `UserName`, like ListAccessKeys' and GetUser's root answers.
fn created(user: Option<&str>, key: &AccessKey) -> Value {
    let mut k = serde_json::Map::new();
    if let Some(name) = user {
        k.insert("UserName".into(), json!(name));
    }
    k.insert("AccessKeyId".into(), json!(key.id));
    k.insert("Status".into(), json!(key.status));
    k.insert("SecretAccessKey".into(), json!(key.secret));
    k.insert("CreateDate".into(), json!(key.created));
    json!({ "AccessKey": k })
}

fn no_such_key(id: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Access Key with id {id} cannot be found."),
    )
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    if roots_own(c) {
        // "This operation works for access keys under the AWS account. Consequently, you can
        // use this operation to manage AWS account root user credentials."
        let mut rec = root_record(c, s)?;
        if rec.all_root_keys().count() >= ROOT_KEYS {
            return Err(quota("AccessKeysPerUser", ROOT_KEYS));
        }
        let key = new_key(c);
        let out = created(None, &key);
        rec.root_keys.push(key);
        s.put_account(&c.ctx.journal, rec);
        return Ok(out);
    }
    let name = target_name(c)?;
    let mut u = find(s, c.account, &name)?.clone();
    super::quotas::admit(c, super::quotas::ACCESS_KEYS_PER_USER, u.keys.len())?;
    let key = new_key(c);
    let out = created(Some(&u.name), &key);
    u.keys.push(key);
    s.put_user(&c.ctx.journal, u);
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    // "If the AWS account has no associated users, the root user returns its own access key
    // IDs" (ListAccessKeys): root signing with its access key and without `UserName` lists
    // the account's root key; like GetUser's root answer, its entry has no `UserName`. "If a
    // temporary access key is used, then UserName is required": a root session still asks.
    if roots_own(c) {
        let items = s
            .account(c.account)
            .map(|a| {
                a.rec
                    .all_root_keys()
                    .map(|k| {
                        let entry = json!({"AccessKeyId": k.id, "Status": k.status, "CreateDate": k.created});
                        (k.id.to_string(), entry)
                    })
                    .collect()
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
    if roots_own(c) {
        let id = input::req(c.input, "AccessKeyId")?;
        let status = input::status(c.input)?;
        let mut rec = root_record(c, s)?;
        if rec.root_access_key == id {
            rec.root_key_status = (status != "Active").then(|| status.to_string());
        } else {
            let k = rec
                .root_keys
                .iter_mut()
                .find(|k| k.id == id)
                .ok_or_else(|| no_such_key(id))?;
            k.status = status.to_string();
        }
        s.put_account(&c.ctx.journal, rec);
        return Ok(json!({}));
    }
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
    if roots_own(c) {
        // Root may delete the key it signs with, as in AWS: its next request is refused.
        let id = input::req(c.input, "AccessKeyId")?;
        let mut rec = root_record(c, s)?;
        if rec.root_access_key == id {
            rec.root_access_key.clear();
            rec.root_secret_key.clear();
            rec.root_key_status = None;
        } else {
            let before = rec.root_keys.len();
            rec.root_keys.retain(|k| k.id != id);
            if rec.root_keys.len() == before {
                return Err(no_such_key(id));
            }
        }
        s.put_account(&c.ctx.journal, rec);
        return Ok(json!({}));
    }
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

/// GetAccessKeyLastUsed. A key ID that names no user's key is refused as AWS refuses it, with
/// AccessDenied 403 "User: <caller> is not authorized to perform iam:GetAccessKeyLastUsed on
/// resource: access key <id>" (LocalStack's snapshot test recorded against AWS:
/// test_iam_users.snapshot.json test_access_key_errors 'get-last-used-nonexistent-key-error').
pub(crate) fn last_used(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let id = input::req(c.input, "AccessKeyId")?;
    let unknown = || {
        ServiceError::new(
            "AccessDenied",
            format!(
                "User: {} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key {id}",
                c.ctx.principal.arn
            ),
        )
        .with_status(403)
    };
    let Some(KeyOwner::User(account, lname)) = s.keys.get(id).cloned() else {
        return Err(unknown());
    };
    let u = s
        .account(&account)
        .and_then(|a| a.users.get(&lname))
        .ok_or_else(unknown)?;
    let k = u.keys.iter().find(|k| k.id == id).ok_or_else(unknown)?;
    let used = match &k.last_used {
        Some(l) => json!({"LastUsedDate": l.date, "ServiceName": l.service, "Region": l.region}),
        None => json!({"ServiceName": "N/A", "Region": "N/A"}),
    };
    Ok(json!({"UserName": u.name, "AccessKeyLastUsed": used}))
}
