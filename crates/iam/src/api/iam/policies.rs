//! Managed policies and their versions; ListEntitiesForPolicy.

use super::entity::Entity;
use super::Call;
use crate::api::errors::{delete_conflict, invalid, malformed, no_such_policy, not_attachable};
use crate::api::input;
use crate::doc::Doc;
use crate::ids;
use crate::managed;
use crate::store::{ManagedPolicy, PolicyVersion, State};
use serde_json::{json, Value};
use service::ServiceError;

/// How many versions a managed policy keeps.
pub const MAX_VERSIONS: usize = 5;

/// (attachments, boundary uses) of a policy ARN in `account`.
pub(crate) fn usage(s: &State, account: &str, arn: &str) -> (usize, usize) {
    let Some(a) = s.account(account) else {
        return (0, 0);
    };
    let att = a
        .users
        .values()
        .filter(|u| u.attached.iter().any(|x| x == arn))
        .count()
        + a.groups
            .values()
            .filter(|g| g.attached.iter().any(|x| x == arn))
            .count()
        + a.roles
            .values()
            .filter(|r| r.attached.iter().any(|x| x == arn))
            .count();
    let b = a
        .users
        .values()
        .filter(|u| u.boundary.as_deref() == Some(arn))
        .count()
        + a.roles
            .values()
            .filter(|r| r.boundary.as_deref() == Some(arn))
            .count();
    (att, b)
}

/// A customer managed policy; ListPolicies leaves out its `Description` and `Tags`
/// (`listed`), as its API Reference says.
fn customer_json(s: &State, p: &ManagedPolicy, listed: bool) -> Value {
    let arn = p.arn();
    let (att, b) = usage(s, &p.account, &arn);
    let mut v = json!({
        "PolicyName": p.name, "PolicyId": p.id, "Arn": arn, "Path": p.path,
        "DefaultVersionId": p.default_version, "AttachmentCount": att,
        "PermissionsBoundaryUsageCount": b, "IsAttachable": true,
        "CreateDate": p.created, "UpdateDate": p.updated,
    });
    if listed {
        return v;
    }
    if let Some(d) = &p.description {
        v["Description"] = json!(d);
    }
    if !p.tags.is_empty() {
        v["Tags"] = input::tags_json(&p.tags);
    }
    v
}

fn aws_json(s: &State, account: &str, p: &managed::AwsManaged) -> Value {
    let arn = p.arn();
    let (att, b) = usage(s, account, &arn);
    json!({
        "PolicyName": p.name(), "PolicyId": p.id(), "Arn": arn, "Path": p.path(),
        "DefaultVersionId": p.version(), "AttachmentCount": att,
        "PermissionsBoundaryUsageCount": b, "IsAttachable": true,
        "CreateDate": p.created, "UpdateDate": p.updated,
    })
}

/// A change to a policy of another account (an AWS managed policy): AWS's `AccessDenied`
/// (403) with its words for the operation. LocalStack's snapshot test recorded against AWS:
/// test_iam_managed_policies.snapshot.json test_aws_managed_policy_errors.
fn outside_own_account(c: &Call, arn: &str, message: &str) -> Result<(), ServiceError> {
    match arn.split(':').nth(4) {
        Some(account) if account != c.account => {
            Err(ServiceError::new("AccessDenied", message).with_status(403))
        }
        _ => Ok(()),
    }
}

/// NoSuchEntity for a version of a policy, named by ARN, that does not exist (or whose policy
/// does not): "Policy … version … does not exist or is not attachable.", for GetPolicyVersion,
/// DeletePolicyVersion and SetDefaultPolicyVersion alike. LocalStack's snapshot test recorded
/// against AWS: test_iam_policies.snapshot.json test_policy_version_errors.
fn no_such_version(arn: &str, vid: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("Policy {arn} version {vid} does not exist or is not attachable."),
    )
}

fn customer<'a>(s: &'a State, arn: &str) -> Result<&'a ManagedPolicy, ServiceError> {
    let account = arn.split(':').nth(4).unwrap_or_default();
    s.account(account)
        .and_then(|a| a.policy_by_arn(arn))
        .ok_or_else(|| no_such_policy(arn))
}

fn parse_doc(c: &Call) -> Result<Doc, ServiceError> {
    let doc = Doc::parse_managed(input::req(c.input, "PolicyDocument")?).map_err(malformed)?;
    super::policy_size::check_managed(&doc)?;
    Ok(doc)
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "PolicyName")?;
    let path = input::path(c.input, "Path")?;
    let tags = super::tags::requested::<ManagedPolicy>(c.input)?;
    let doc = parse_doc(c)?;
    if s.account(c.account)
        .is_some_and(|a| a.policies.contains_key(&name.to_lowercase()))
    {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            format!("A policy called {name} already exists. Duplicate names are not allowed."),
        ));
    }
    super::quotas::admit(
        c,
        super::quotas::POLICIES,
        s.account(c.account).map_or(0, |a| a.policies.len()),
    )?;
    let now = c.now.floor();
    let p = ManagedPolicy {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(ids::POLICY_ID),
        description: input::opt(c.input, "Description").map(str::to_string),
        created: now,
        updated: now,
        tags,
        versions: vec![PolicyVersion {
            id: "v1".into(),
            doc,
            created: now,
        }],
        default_version: "v1".into(),
        next_version: 2,
    };
    let mut out = customer_json(s, &p, false);
    if let Some(o) = out.as_object_mut() {
        o.remove("Description");
        // CreatePolicy answers the tags in the order the request gave them (`abc`, `b`, `z`,
        // `a` stays so; ListPolicyTags sorts). LocalStack's snapshot tests recorded against
        // AWS, test_iam_policies.snapshot.json test_policy_tag_order and
        // test_policy_tag_lifecycle 'create-with-case-sensitive-tags' (`a`, `A`).
        if !p.tags.is_empty() {
            let given = p.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v}));
            o.insert("Tags".into(), Value::Array(given.collect()));
        }
    }
    s.put_policy(&c.ctx.journal, p);
    Ok(json!({"Policy": out}))
}

/// GetPolicy answers `Tags` even when there are none (`[]`), for AWS managed policies too;
/// CreatePolicy and ListPolicies leave an empty list out. LocalStack's snapshot tests recorded
/// against AWS: test_iam_policies.snapshot.json (test_policy_lifecycle 'get-policy-response',
/// test_policy_tag_lifecycle 'get-without-tags') and test_iam_managed_policies.snapshot.json
/// (test_get_aws_managed_policy 'get-policy').
pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let mut policy = match managed::by_arn(arn) {
        Some(p) => aws_json(s, c.account, p),
        None => customer_json(s, customer(s, arn)?, false),
    };
    if policy.get("Tags").is_none() {
        policy["Tags"] = json!([]);
    }
    Ok(json!({ "Policy": policy }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let scope = input::opt(c.input, "Scope").unwrap_or("All");
    let only_attached = input::flag(c.input, "OnlyAttached").unwrap_or(false);
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    // "To list only the policies used to set permissions boundaries, set the value to
    // PermissionsBoundary"; every managed policy is a permissions policy.
    let boundaries_only = input::opt(c.input, "PolicyUsageFilter") == Some("PermissionsBoundary");
    let wanted = |v: &Value| {
        let count = |k: &str| v[k].as_u64().unwrap_or(0);
        (!only_attached || count("AttachmentCount") > 0)
            && (!boundaries_only || count("PermissionsBoundaryUsageCount") > 0)
    };
    // The account's own policies come before AWS's: AWS's first page of ListPolicies with no
    // Scope (100 of more than a thousand AWS managed policies) holds a policy just created
    // (LocalStack's snapshot test recorded against AWS: test_iam_policies.snapshot.json
    // test_policy_lifecycle 'filtered-policy-list').
    let mut items: Vec<(String, Value)> = Vec::new();
    if scope != "Local" {
        for p in managed::all()
            .iter()
            .filter(|p| p.path().starts_with(prefix))
        {
            let v = aws_json(s, c.account, p);
            if wanted(&v) {
                items.push((format!("1|{}|{}", p.name().to_lowercase(), p.arn()), v));
            }
        }
    }
    if scope != "AWS" {
        if let Some(a) = s.account(c.account) {
            for (k, p) in a
                .policies
                .iter()
                .filter(|(_, p)| p.path.starts_with(prefix))
            {
                let v = customer_json(s, p, true);
                if wanted(&v) {
                    items.push((format!("0|{k}"), v));
                }
            }
        }
    }
    c.paged(items, "Policies")
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    outside_own_account(c, arn, "Cannot delete policies outside your own account.")?;
    let p = customer(s, arn)?;
    let (att, b) = usage(s, &p.account, arn);
    if att + b > 0 {
        return Err(delete_conflict(
            "Cannot delete a policy attached to entities.",
        ));
    }
    if p.versions.len() > 1 {
        return Err(delete_conflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."));
    }
    let (account, name) = (p.account.clone(), p.name.clone());
    s.delete_policy(&c.ctx.journal, &account, &name);
    Ok(json!({}))
}

fn version_json(v: &PolicyVersion, default: &str, with_doc: bool) -> Value {
    let mut out =
        json!({"VersionId": v.id, "IsDefaultVersion": v.id == default, "CreateDate": v.created});
    if with_doc {
        out["Document"] = json!(v.doc.url_encoded());
    }
    out
}

pub(crate) fn create_version(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let mut p = customer(s, arn)?.clone();
    let doc = parse_doc(c)?;
    if p.versions.len() >= MAX_VERSIONS {
        return Err(ServiceError::new("LimitExceeded", format!("A managed policy can have up to {MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.")));
    }
    let v = PolicyVersion {
        id: format!("v{}", p.next_version),
        doc,
        created: c.now.floor(),
    };
    p.next_version += 1;
    if input::flag(c.input, "SetAsDefault").unwrap_or(false) {
        p.default_version = v.id.clone();
    }
    p.updated = c.now.floor();
    let out = json!({"PolicyVersion": version_json(&v, &p.default_version, false)});
    p.versions.push(v);
    s.put_policy(&c.ctx.journal, p);
    Ok(out)
}

pub(crate) fn get_version(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let vid = input::req(c.input, "VersionId")?;
    if let Some(p) = managed::by_arn(arn) {
        if p.version() != vid {
            return Err(ServiceError::new(
                "NoSuchEntity",
                format!("Policy {arn} version {vid} does not exist or is not attachable."),
            ));
        }
        let doc = crate::doc::url_encode(&p.text());
        return Ok(
            json!({"PolicyVersion": {"Document": doc, "VersionId": p.version(), "IsDefaultVersion": true, "CreateDate": p.updated}}),
        );
    }
    let p = customer(s, arn).map_err(|_| no_such_version(arn, vid))?;
    let v = p
        .versions
        .iter()
        .find(|v| v.id == vid)
        .ok_or_else(|| no_such_version(arn, vid))?;
    Ok(json!({"PolicyVersion": version_json(v, &p.default_version, true)}))
}

pub(crate) fn list_versions(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let items: Vec<(String, Value)> = if let Some(p) = managed::by_arn(arn) {
        vec![(
            p.version().to_string(),
            json!({"VersionId": p.version(), "IsDefaultVersion": true, "CreateDate": p.updated}),
        )]
    } else {
        let p = customer(s, arn)?;
        // Newest first, as IAM lists them.
        p.versions
            .iter()
            .rev()
            .enumerate()
            .map(|(i, v)| {
                (
                    format!("{i:03}"),
                    version_json(v, &p.default_version, false),
                )
            })
            .collect()
    };
    c.paged(items, "Versions")
}

pub(crate) fn delete_version(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let vid = input::req(c.input, "VersionId")?;
    outside_own_account(
        c,
        arn,
        "Cannot delete policy versions for policies outside your own account.",
    )?;
    let mut p = customer(s, arn)?.clone();
    if p.default_version == vid {
        return Err(delete_conflict(
            "Cannot delete the default version of a policy.",
        ));
    }
    let before = p.versions.len();
    p.versions.retain(|v| v.id != vid);
    if p.versions.len() == before {
        return Err(no_such_version(arn, vid));
    }
    s.put_policy(&c.ctx.journal, p);
    Ok(json!({}))
}

pub(crate) fn set_default(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    let vid = input::req(c.input, "VersionId")?;
    outside_own_account(c, arn, "Cannot update policies outside your own account.")?;
    let mut p = customer(s, arn)
        .map_err(|_| no_such_version(arn, vid))?
        .clone();
    if !p.versions.iter().any(|v| v.id == vid) {
        return Err(no_such_version(arn, vid));
    }
    p.default_version = vid.to_string();
    p.updated = c.now.floor();
    s.put_policy(&c.ctx.journal, p);
    Ok(json!({}))
}

pub(crate) fn entities(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::policy_arn(c.input, "PolicyArn")?;
    // "Policy … does not exist or is not attachable." (LocalStack's snapshot test recorded
    // against AWS: test_iam_policies.snapshot.json test_list_entities_for_policy_errors).
    if managed::by_arn(arn).is_none() {
        customer(s, arn).map_err(|_| not_attachable(arn))?;
    }
    let filter = input::opt(c.input, "EntityFilter");
    let usage_filter = input::opt(c.input, "PolicyUsageFilter");
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let want = |kind: &str| filter.is_none_or(|f| f == kind);
    let perm = usage_filter != Some("PermissionsBoundary");
    let bound = usage_filter != Some("PermissionsPolicy");
    let Some(a) = s.account(c.account) else {
        return Err(invalid("no such account"));
    };
    let mut items = Vec::new();
    if want("User") {
        for (k, u) in &a.users {
            let hit = (perm && u.attached.iter().any(|x| x == arn))
                || (bound && u.boundary.as_deref() == Some(arn));
            if hit && u.path.starts_with(prefix) {
                items.push((
                    format!("u|{k}"),
                    ("PolicyUsers", json!({"UserName": u.name, "UserId": u.id})),
                ));
            }
        }
    }
    if want("Group") && perm {
        for (k, g) in &a.groups {
            if g.attached.iter().any(|x| x == arn) && g.path.starts_with(prefix) {
                items.push((
                    format!("g|{k}"),
                    (
                        "PolicyGroups",
                        json!({"GroupName": g.name, "GroupId": g.id}),
                    ),
                ));
            }
        }
    }
    if want("Role") {
        for (k, r) in &a.roles {
            let hit = (perm && r.attached.iter().any(|x| x == arn))
                || (bound && r.boundary.as_deref() == Some(arn));
            if hit && r.path.starts_with(prefix) {
                items.push((
                    format!("r|{k}"),
                    ("PolicyRoles", json!({"RoleName": r.name, "RoleId": r.id})),
                ));
            }
        }
    }
    c.paged_split(items, &["PolicyGroups", "PolicyUsers", "PolicyRoles"])
}

/// Tags (TagPolicy, UntagPolicy, ListPolicyTags) name the caller's own customer managed
/// policy by ARN; AWS's own policies take none.
impl Entity for ManagedPolicy {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        let arn = input::policy_arn(c.input, "PolicyArn")?;
        if managed::by_arn(arn).is_some() {
            return Err(invalid("Tags not supported for policies in this domain"));
        }
        s.account(c.account)
            .and_then(|a| a.policy_by_arn(arn))
            .ok_or_else(|| no_such_policy(arn))
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_policy(&c.ctx.journal, self);
    }
}
