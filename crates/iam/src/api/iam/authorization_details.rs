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

/// A user's or role's `Tags`, `[]` when it has none. AWS answers the empty list here although
/// GetRole and GetUser leave it out: LocalStack's snapshot tests recorded against AWS in 2026,
/// test_iam_account_authorization_details.snapshot.json
/// test_get_account_authorization_details_no_filter and
/// test_get_account_authorization_details_with_inline_policies ('Tags': [] on an untagged
/// user and role). (The AWS CLI's older get-account-authorization-details example shows none.)
fn with_tags(v: &mut Value, tags: &[(String, String)]) {
    v["Tags"] = input::tags_json(tags);
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
                "GroupList": u.groups, "AttachedManagedPolicies": attached(&u.attached)});
            // A user without inline policies has no `UserPolicyList` (a role or group shows
            // its empty list): the same snapshot tests, 'no-filter-result' and 'tags-result'.
            if !u.inline.is_empty() {
                v["UserPolicyList"] = policy_list(&u.inline);
            }
            with_tags(&mut v, &u.tags);
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
                "RoleLastUsed": super::roles::last_used(r)});
            with_tags(&mut v, &r.tags);
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

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, iam, root_ctx};
    use serde_json::json;

    /// AWS (LocalStack's snapshot tests recorded against it): `Tags: []` on an untagged role
    /// or user; a tagged one lists them; a user without inline policies has no
    /// `UserPolicyList`.
    #[test]
    fn an_untagged_user_or_role_has_an_empty_tag_list() {
        let iam = iam();
        let root = root_ctx();
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        call(&iam, &root, "CreateUser", json!({"UserName": "plain"})).unwrap();
        call(
            &iam,
            &root,
            "CreateUser",
            json!({"UserName": "tagged", "Tags": [{"Key": "k", "Value": "v"}]}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "CreateRole",
            json!({"RoleName": "plain", "AssumeRolePolicyDocument": trust}),
        )
        .unwrap();
        call(&iam, &root, "CreateRole", json!({"RoleName": "tagged", "AssumeRolePolicyDocument": trust, "Tags": [{"Key": "k", "Value": "v"}]})).unwrap();
        let out = call(&iam, &root, "GetAccountAuthorizationDetails", json!({})).unwrap();
        for list in ["UserDetailList", "RoleDetailList"] {
            let by_name = |n: &str| {
                out[list]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["UserName"] == n || e["RoleName"] == n)
                    .unwrap()
                    .clone()
            };
            assert_eq!(by_name("plain")["Tags"], json!([]), "{list}");
            assert_eq!(
                by_name("tagged")["Tags"],
                json!([{"Key": "k", "Value": "v"}]),
                "{list}"
            );
        }
        let role = out["RoleDetailList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["RoleName"] == "plain")
            .unwrap();
        assert_eq!(role["RolePolicyList"], json!([]));
        assert_eq!(role["RoleLastUsed"], json!({}));
        let user = out["UserDetailList"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["UserName"] == "plain")
            .unwrap();
        assert!(user.get("UserPolicyList").is_none(), "{user}");
    }
}
