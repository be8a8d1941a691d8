//! GetAccountAuthorizationDetails.

use super::Call;
use crate::api::input;
use crate::managed;
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;
use std::collections::BTreeMap;

fn policy_list(docs: &BTreeMap<String, crate::doc::Doc>) -> Value {
    Value::Array(
        docs.iter()
            .map(|(n, d)| json!({"PolicyName": n, "PolicyDocument": d.url_encoded()}))
            .collect(),
    )
}

fn attached(arns: &[String]) -> Value {
    Value::Array(
        arns.iter()
            .map(|a| json!({"PolicyName": a.rsplit('/').next().unwrap_or(a), "PolicyArn": a}))
            .collect(),
    )
}

fn boundary(b: &Option<String>) -> Value {
    b.as_ref()
        .map(|b| json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": b}))
        .unwrap_or(Value::Null)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let filter = input::strings(c.input, "Filter");
    let want = |k: &str| filter.is_empty() || filter.iter().any(|f| f == k);
    let Some(a) = s.account(c.account) else {
        return Ok(json!({}));
    };
    let mut items: Vec<(String, (&str, Value))> = Vec::new();
    if want("User") {
        for (k, u) in &a.users {
            let mut v = json!({"Path": u.path, "UserName": u.name, "UserId": u.id, "Arn": u.arn(), "CreateDate": u.created,
                "UserPolicyList": policy_list(&u.inline), "GroupList": u.groups, "AttachedManagedPolicies": attached(&u.attached),
                "Tags": crate::api::input::tags_json(&u.tags)});
            if u.boundary.is_some() {
                v["PermissionsBoundary"] = boundary(&u.boundary);
            }
            items.push((format!("1|{k}"), ("UserDetailList", v)));
        }
    }
    if want("Group") {
        for (k, g) in &a.groups {
            let v = json!({"Path": g.path, "GroupName": g.name, "GroupId": g.id, "Arn": g.arn(), "CreateDate": g.created,
                "GroupPolicyList": policy_list(&g.inline), "AttachedManagedPolicies": attached(&g.attached)});
            items.push((format!("2|{k}"), ("GroupDetailList", v)));
        }
    }
    if want("Role") {
        for (k, r) in &a.roles {
            let mut v = json!({"Path": r.path, "RoleName": r.name, "RoleId": r.id, "Arn": r.arn(), "CreateDate": r.created,
                "AssumeRolePolicyDocument": super::trust_binding::shown(s, &r.trust), "InstanceProfileList": super::instance_profiles::holding(s, c.account, &r.name).map(|p| super::instance_profiles::to_json(p, s, false)).collect::<Vec<_>>(),
                "RolePolicyList": policy_list(&r.inline), "AttachedManagedPolicies": attached(&r.attached),
                "Tags": crate::api::input::tags_json(&r.tags), "RoleLastUsed": super::roles::last_used(r)});
            if r.boundary.is_some() {
                v["PermissionsBoundary"] = boundary(&r.boundary);
            }
            items.push((format!("3|{k}"), ("RoleDetailList", v)));
        }
    }
    if want("LocalManagedPolicy") {
        for (k, p) in &a.policies {
            let arn = p.arn();
            let (att, b) = super::policies::usage(s, c.account, &arn);
            let versions: Vec<Value> = p.versions.iter().map(|v| json!({"Document": v.doc.url_encoded(), "VersionId": v.id, "IsDefaultVersion": v.id == p.default_version, "CreateDate": v.created})).collect();
            let v = json!({"PolicyName": p.name, "PolicyId": p.id, "Arn": arn, "Path": p.path, "DefaultVersionId": p.default_version,
                "AttachmentCount": att, "PermissionsBoundaryUsageCount": b, "IsAttachable": true, "CreateDate": p.created, "UpdateDate": p.updated,
                "PolicyVersionList": versions});
            items.push((format!("4|{k}"), ("Policies", v)));
        }
    }
    if want("AWSManagedPolicy") {
        for p in managed::all() {
            let arn = p.arn();
            let (att, b) = super::policies::usage(s, c.account, &arn);
            if att + b == 0 {
                continue; // AWS lists only the managed policies the account uses.
            }
            let v = json!({"PolicyName": p.name(), "PolicyId": p.id(), "Arn": arn, "Path": p.path(), "DefaultVersionId": p.version(),
                "AttachmentCount": att, "PermissionsBoundaryUsageCount": b, "IsAttachable": true, "CreateDate": p.created, "UpdateDate": p.updated,
                "PolicyVersionList": [{"Document": crate::doc::url_encode(&p.text()), "VersionId": p.version(), "IsDefaultVersion": true, "CreateDate": p.updated}]});
            items.push((format!("5|{}", p.name().to_lowercase()), ("Policies", v)));
        }
    }
    c.paged_split(
        items,
        &[
            "UserDetailList",
            "GroupDetailList",
            "RoleDetailList",
            "Policies",
        ],
    )
}
