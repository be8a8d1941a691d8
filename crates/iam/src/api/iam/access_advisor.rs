//! Service last accessed reports (Access Advisor): GenerateServiceLastAccessedDetails,
//! GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities.
//!
//! As AWS documents them: a report lists every AWS service the resource's permissions
//! policies allow some action of (boundaries, resource and trust policies do not count), and
//! for each when an authenticated entity last attempted it, allowed or denied. A user or role
//! report counts that entity's attempts; a group report its members'; a managed policy report
//! those of the users and roles it is attached to (directly or through a group). A report is
//! made whole when generated (its job is `COMPLETED` at once) and only its requester (the same
//! user, or the same role session) can read it.

use super::Call;
use crate::api::errors::{invalid, no_such_policy};
use crate::api::input;
use crate::last_accessed::EntityAttempts;
use crate::resolve;
use crate::store::State;
use parking_lot::Mutex;
use serde_json::{json, Map, Value};
use service::ServiceError;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

/// How many reports an account keeps; its oldest is forgotten first (never another
/// account's: one account's reports cannot push out another's).
const KEPT_REPORTS: usize = 100;

/// A user or role a report covers.
#[derive(Debug, Clone)]
struct Entity {
    arn: String,
    name: String,
    kind: &'static str,
    id: String,
    path: String,
}

/// The last attempt at a service or action: when, by whom (an index into the report's
/// entities), from which region.
#[derive(Debug, Clone)]
struct Last {
    at: f64,
    entity: usize,
    region: String,
}

/// One service of a report.
#[derive(Debug)]
struct ServiceRow {
    namespace: &'static str,
    name: &'static str,
    last: Option<Last>,
    /// Each entity that attempted the service, with its last attempt.
    attempted_by: Vec<(usize, f64)>,
    /// Each action attempted (action-level reports), by name.
    actions: BTreeMap<String, Last>,
}

/// A generated report.
#[derive(Debug)]
struct Report {
    job_id: String,
    account: String,
    requester: String,
    created: f64,
    action_level: bool,
    entities: Vec<Entity>,
    services: Vec<ServiceRow>,
}

/// The reports generated and not yet forgotten, by account, oldest first.
#[derive(Debug, Default)]
pub struct AccessReports {
    reports: Mutex<HashMap<String, VecDeque<Arc<Report>>>>,
}

impl AccessReports {
    fn keep(&self, r: Report) {
        let mut reports = self.reports.lock();
        let kept = reports.entry(r.account.clone()).or_default();
        if kept.len() >= KEPT_REPORTS {
            kept.pop_front();
        }
        kept.push_back(Arc::new(r));
    }

    /// The caller's report with this job ID.
    fn find(&self, c: &Call, job_id: &str) -> Result<Arc<Report>, ServiceError> {
        self.reports
            .lock()
            .get(c.account)
            .and_then(|kept| {
                kept.iter()
                    .find(|r| r.job_id == job_id && r.requester == c.ctx.principal.arn)
            })
            .cloned()
            .ok_or_else(|| {
                ServiceError::new(
                    "NoSuchEntity",
                    format!("The job with ID {job_id} cannot be found."),
                )
            })
    }

    /// Forgets every report.
    pub fn clear(&self) {
        self.reports.lock().clear();
    }

    /// Forgets `account`'s reports.
    pub fn clear_account(&self, account: &str) {
        self.reports.lock().remove(account);
    }
}

fn user_entity(u: &crate::store::User) -> Entity {
    Entity {
        arn: u.arn(),
        name: u.name.clone(),
        kind: "USER",
        id: u.id.clone(),
        path: u.path.clone(),
    }
}

fn role_entity(r: &crate::store::Role) -> Entity {
    Entity {
        arn: r.arn(),
        name: r.name.clone(),
        kind: "ROLE",
        id: r.id.clone(),
        path: r.path.clone(),
    }
}

/// The permissions policies of the resource `arn` names and the users and roles whose
/// attempts count for it.
fn subject(
    c: &Call,
    s: &State,
    arn: &str,
) -> Result<(Vec<Arc<policy::Policy>>, Vec<Entity>), ServiceError> {
    let account = s
        .account(c.account)
        .ok_or_else(|| invalid("no such account"))?;
    if arn.contains(":policy/") {
        let (doc, _) =
            resolve::managed_doc(s, c.account, arn).ok_or_else(|| no_such_policy(arn))?;
        let attached = |list: &[String]| list.iter().any(|a| a == arn);
        let groups: Vec<&str> = account
            .groups
            .values()
            .filter(|g| attached(&g.attached))
            .map(|g| g.name.as_str())
            .collect();
        let mut entities: Vec<Entity> = account
            .users
            .values()
            .filter(|u| {
                attached(&u.attached)
                    || u.groups
                        .iter()
                        .any(|g| groups.iter().any(|n| n.eq_ignore_ascii_case(g)))
            })
            .map(user_entity)
            .collect();
        entities.extend(
            account
                .roles
                .values()
                .filter(|r| attached(&r.attached))
                .map(role_entity),
        );
        return Ok((vec![doc.compiled.clone()], entities));
    }
    // Users, roles and groups: the identity policies, as ListPoliciesGrantingServiceAccess
    // and the simulator read them (existence and ARN checked there).
    let resolved = super::simulate::principal_policies(c, s, arn)?;
    let policies = resolved
        .identity
        .iter()
        .map(|(d, _)| d.compiled.clone())
        .collect();
    let name = arn.rsplit('/').next().unwrap_or_default().to_lowercase();
    let entities = if arn.contains(":user/") {
        account
            .users
            .get(&name)
            .map(user_entity)
            .into_iter()
            .collect()
    } else if arn.contains(":role/") {
        account
            .roles
            .get(&name)
            .map(role_entity)
            .into_iter()
            .collect()
    } else {
        account
            .users
            .values()
            .filter(|u| u.groups.iter().any(|g| g.eq_ignore_ascii_case(&name)))
            .map(user_entity)
            .collect()
    };
    Ok((policies, entities))
}

/// Keeps `candidate` when it is later than what `slot` holds.
fn latest(slot: &mut Option<Last>, candidate: Last) {
    if slot.as_ref().is_none_or(|l| candidate.at > l.at) {
        *slot = Some(candidate);
    }
}

/// One service's row from the entities' attempts.
fn service_row(
    namespace: &'static str,
    name: &'static str,
    attempts: &[Option<EntityAttempts>],
) -> ServiceRow {
    let mut row = ServiceRow {
        namespace,
        name,
        last: None,
        attempted_by: Vec::new(),
        actions: BTreeMap::new(),
    };
    for (i, a) in attempts.iter().enumerate() {
        let Some(a) = a else { continue };
        let Some(last) = a.last_in(namespace) else {
            continue;
        };
        row.attempted_by.push((i, last.at));
        latest(
            &mut row.last,
            Last {
                at: last.at,
                entity: i,
                region: last.region.clone(),
            },
        );
        for (action, at) in a.in_service(namespace) {
            let candidate = Last {
                at: at.at,
                entity: i,
                region: at.region.clone(),
            };
            match row.actions.get_mut(action) {
                Some(l) if l.at >= candidate.at => {}
                Some(l) => *l = candidate,
                None => {
                    row.actions.insert(action.to_string(), candidate);
                }
            }
        }
    }
    row
}

/// GenerateServiceLastAccessedDetails.
pub(crate) fn generate(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::req(c.input, "Arn")?;
    let action_level = match input::opt(c.input, "Granularity") {
        None | Some("SERVICE_LEVEL") => false,
        Some("ACTION_LEVEL") => true,
        Some(_) => {
            return Err(crate::api::errors::constraint(
                "granularity",
                "Member must satisfy enum value set",
            ))
        }
    };
    if !(arn.starts_with("arn:aws:iam::")
        && [":user/", ":role/", ":group/", ":policy/"]
            .iter()
            .any(|k| arn.contains(k)))
    {
        return Err(invalid(format!("Invalid ARN: {arn}")));
    }
    let (policies, entities) = subject(c, s, arn)?;
    let attempts: Vec<Option<EntityAttempts>> = entities
        .iter()
        .map(|e| c.iam.last_accessed.of(c.account, &e.id))
        .collect();
    let services = protocol::authz_facts::service_names()
        .iter()
        .filter(|(ns, _)| policies.iter().any(|p| p.allows_some_action_of(ns)))
        .map(|(ns, name)| service_row(ns.as_str(), name.as_str(), &attempts))
        .collect();
    let job_id = c.iam.runtime.ids.uuid();
    c.iam.access_reports.keep(Report {
        job_id: job_id.clone(),
        account: c.account.to_string(),
        requester: c.ctx.principal.arn.clone(),
        created: c.now,
        action_level,
        entities,
        services,
    });
    Ok(json!({ "JobId": job_id }))
}

/// The members every answer about a report has.
fn job_members(r: &Report) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("JobStatus".into(), json!("COMPLETED"));
    out.insert("JobCreationDate".into(), json!(r.created));
    out.insert("JobCompletionDate".into(), json!(r.created));
    out
}

fn last_json(
    r: &Report,
    l: &Last,
    entity_member: &str,
    time_member: &str,
    region_member: &str,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(time_member.into(), json!(l.at));
    m.insert(entity_member.into(), json!(r.entities[l.entity].arn));
    m.insert(region_member.into(), json!(l.region));
    m
}

/// GetServiceLastAccessedDetails.
pub(crate) fn get(c: &Call, _s: &mut State) -> Result<Value, ServiceError> {
    let r = c
        .iam
        .access_reports
        .find(c, input::req(c.input, "JobId")?)?;
    let items: Vec<(String, Value)> = r
        .services
        .iter()
        .map(|row| {
            let mut m = Map::new();
            m.insert("ServiceName".into(), json!(row.name));
            m.insert("ServiceNamespace".into(), json!(row.namespace));
            if let Some(l) = &row.last {
                m.extend(last_json(
                    &r,
                    l,
                    "LastAuthenticatedEntity",
                    "LastAuthenticated",
                    "LastAuthenticatedRegion",
                ));
            }
            // Always answered, 0 for a service nobody attempted (AWS's answers show
            // "TotalAuthenticatedEntities": 0 beside the service's name alone).
            m.insert(
                "TotalAuthenticatedEntities".into(),
                json!(row.attempted_by.len()),
            );
            if r.action_level && !row.actions.is_empty() {
                let tracked: Vec<Value> = row
                    .actions
                    .iter()
                    .map(|(action, l)| {
                        let mut t = last_json(
                            &r,
                            l,
                            "LastAccessedEntity",
                            "LastAccessedTime",
                            "LastAccessedRegion",
                        );
                        t.insert("ActionName".into(), json!(action));
                        Value::Object(t)
                    })
                    .collect();
                m.insert("TrackedActionsLastAccessed".into(), Value::Array(tracked));
            }
            (row.namespace.to_string(), Value::Object(m))
        })
        .collect();
    let mut out = job_members(&r);
    out.insert(
        "JobType".into(),
        json!(if r.action_level {
            "ACTION_LEVEL"
        } else {
            "SERVICE_LEVEL"
        }),
    );
    let page = c.page(items, &mut out)?;
    out.insert("ServicesLastAccessed".into(), Value::Array(page));
    Ok(Value::Object(out))
}

/// GetServiceLastAccessedDetailsWithEntities: the report's users and roles that could have
/// attempted the service, the latest attempt first, then those that never did.
pub(crate) fn get_with_entities(c: &Call, _s: &mut State) -> Result<Value, ServiceError> {
    let r = c
        .iam
        .access_reports
        .find(c, input::req(c.input, "JobId")?)?;
    let namespace = input::req(c.input, "ServiceNamespace")?;
    let row = r
        .services
        .iter()
        .find(|row| row.namespace.eq_ignore_ascii_case(namespace));
    let items: Vec<(String, Value)> = match row {
        None => Vec::new(),
        Some(row) => {
            let mut last: Vec<Option<f64>> = vec![None; r.entities.len()];
            for &(i, at) in &row.attempted_by {
                last[i] = Some(at);
            }
            r.entities
            .iter()
            .zip(last)
            .map(|(e, at)| {
                // Latest first: attempts by descending time, then the rest by ARN.
                let key = match at {
                    Some(t) => format!("0|{:020}|{}", u64::MAX - (t * 1e6) as u64, e.arn),
                    None => format!("1|{}", e.arn),
                };
                let mut m = Map::new();
                m.insert(
                    "EntityInfo".into(),
                    json!({"Arn": e.arn, "Name": e.name, "Type": e.kind, "Id": e.id, "Path": e.path}),
                );
                if let Some(t) = at {
                    m.insert("LastAuthenticated".into(), json!(t));
                }
                (key, Value::Object(m))
            })
            .collect()
        }
    };
    let mut out = job_members(&r);
    let page = c.page(items, &mut out)?;
    out.insert("EntityDetailsList".into(), Value::Array(page));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{
        call, code_message, iam, root_ctx, session_ctx, sts, user_ctx, ACCOUNT,
    };
    use serde_json::{json, Value};
    use service::{Access, RequestContext};

    fn allow(actions: &[&str]) -> String {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})
            .to_string()
    }

    /// A request by `ctx` for `action`, as the pipeline authorizes it (allowed or not).
    fn attempt(iam: &crate::Iam, ctx: &RequestContext, action: &str) {
        let _ = iam.authorize(ctx, &[Access::new(action, "*")]);
    }

    fn report(iam: &std::sync::Arc<crate::Iam>, ctx: &RequestContext, input: Value) -> Value {
        let job = call(iam, ctx, "GenerateServiceLastAccessedDetails", input).unwrap();
        let id = job["JobId"].as_str().unwrap().to_string();
        assert_eq!(id.len(), 36);
        call(
            iam,
            ctx,
            "GetServiceLastAccessedDetails",
            json!({"JobId": id, "MaxItems": 1000}),
        )
        .unwrap()
    }

    fn service<'a>(r: &'a Value, ns: &str) -> Option<&'a Value> {
        r["ServicesLastAccessed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["ServiceNamespace"] == ns)
    }

    #[test]
    fn a_users_report_lists_the_services_its_policies_allow_with_its_attempts() {
        let iam = iam();
        let root = root_ctx();
        let ann = user_ctx(&iam, "ann");
        call(&iam, &root, "PutUserPolicy", json!({"UserName": "ann", "PolicyName": "media", "PolicyDocument": allow(&["ivs:*", "mediaconvert:CreateJob"])})).unwrap();
        attempt(&iam, &ann, "ivs:GetChannel");
        // Denied attempts count too; services no policy allows are not listed.
        attempt(&iam, &ann, "mediaconvert:GetJob");
        attempt(&iam, &ann, "s3:GetObject");
        let arn = format!("arn:aws:iam::{ACCOUNT}:user/ann");
        let r = report(&iam, &root, json!({"Arn": arn}));
        assert_eq!(r["JobStatus"], "COMPLETED");
        assert_eq!(r["JobType"], "SERVICE_LEVEL");
        let names: Vec<&str> = r["ServicesLastAccessed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["ServiceNamespace"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["ivs", "mediaconvert"]);
        let ivs = service(&r, "ivs").unwrap();
        assert_eq!(ivs["ServiceName"], "Amazon Interactive Video Service");
        assert_eq!(ivs["LastAuthenticatedEntity"], arn.as_str());
        assert_eq!(ivs["LastAuthenticatedRegion"], "us-east-1");
        assert_eq!(ivs["TotalAuthenticatedEntities"], 1);
        assert!(ivs["LastAuthenticated"].as_f64().unwrap() > 0.0);
        assert!(ivs.get("TrackedActionsLastAccessed").is_none());
        assert_eq!(
            service(&r, "mediaconvert").unwrap()["TotalAuthenticatedEntities"],
            1
        );

        // Action level: each action attempted, by name.
        let r = report(
            &iam,
            &root,
            json!({"Arn": arn, "Granularity": "ACTION_LEVEL"}),
        );
        assert_eq!(r["JobType"], "ACTION_LEVEL");
        let tracked = &service(&r, "mediaconvert").unwrap()["TrackedActionsLastAccessed"];
        assert_eq!(tracked[0]["ActionName"], "GetJob");
        assert_eq!(tracked[0]["LastAccessedEntity"], arn.as_str());

        // A user with no attempts: the services are listed without details.
        call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
        call(
            &iam,
            &root,
            "AttachUserPolicy",
            json!({"UserName": "bob", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        )
        .unwrap();
        let r = report(
            &iam,
            &root,
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/bob")}),
        );
        let all = r["ServicesLastAccessed"].as_array().unwrap();
        assert!(all.len() > 400, "AdministratorAccess allows every service");
        assert!(all.iter().all(|s| s.get("LastAuthenticated").is_none()));
        // awscli/examples/iam/get-organizations-access-report.rst, botocore's
        // GetServiceLastAccessedDetails example: a service never attempted answers its
        // name, namespace and TotalAuthenticatedEntities 0, nothing else.
        let a2c = service(&r, "a2c").unwrap();
        assert_eq!(a2c["TotalAuthenticatedEntities"], 0);
        assert_eq!(a2c.as_object().unwrap().len(), 3, "{a2c}");
        // Paged by MaxItems.
        let job = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/bob")}),
        )
        .unwrap();
        let first = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetails",
            json!({"JobId": job["JobId"], "MaxItems": 2}),
        )
        .unwrap();
        assert_eq!(first["IsTruncated"], true);
        let second = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetails",
            json!({"JobId": job["JobId"], "MaxItems": 2, "Marker": first["Marker"]}),
        )
        .unwrap();
        assert_eq!(second["ServicesLastAccessed"][0], all[2]);
    }

    #[test]
    fn group_role_and_policy_reports_count_their_members_and_holders() {
        let iam = iam();
        let root = root_ctx();
        let ann = user_ctx(&iam, "ann");
        let bob = user_ctx(&iam, "bob");
        call(&iam, &root, "CreatePolicy", json!({"PolicyName": "ivs-read", "PolicyDocument": allow(&["ivs:Get*", "sts:AssumeRole"])})).unwrap();
        let policy = format!("arn:aws:iam::{ACCOUNT}:policy/ivs-read");
        call(&iam, &root, "CreateGroup", json!({"GroupName": "viewers"})).unwrap();
        call(
            &iam,
            &root,
            "AttachGroupPolicy",
            json!({"GroupName": "viewers", "PolicyArn": policy}),
        )
        .unwrap();
        for u in ["ann", "bob"] {
            call(
                &iam,
                &root,
                "AddUserToGroup",
                json!({"GroupName": "viewers", "UserName": u}),
            )
            .unwrap();
        }
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "sts:AssumeRole"}]});
        call(
            &iam,
            &root,
            "CreateRole",
            json!({"RoleName": "editor", "AssumeRolePolicyDocument": trust.to_string()}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "AttachRolePolicy",
            json!({"RoleName": "editor", "PolicyArn": policy}),
        )
        .unwrap();
        attempt(&iam, &ann, "ivs:GetChannel");
        attempt(&iam, &bob, "ivs:GetStream");
        let out = sts(&iam, &ann, "AssumeRole", json!({"RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/editor"), "RoleSessionName": "s1"})).unwrap();
        let session = session_ctx(&iam, &out);
        attempt(&iam, &session, "ivs:GetChannel");

        let group = report(
            &iam,
            &root,
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:group/viewers")}),
        );
        let ivs = service(&group, "ivs").unwrap();
        assert_eq!(ivs["TotalAuthenticatedEntities"], 2);
        assert_eq!(
            ivs["LastAuthenticatedEntity"],
            format!("arn:aws:iam::{ACCOUNT}:user/bob")
        );

        // The role's report names the role (not the session).
        let role = report(
            &iam,
            &root,
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:role/editor")}),
        );
        assert_eq!(
            service(&role, "ivs").unwrap()["LastAuthenticatedEntity"],
            format!("arn:aws:iam::{ACCOUNT}:role/editor")
        );

        // The policy's: both users (through the group) and the role; the entities, latest first.
        let job = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": policy}),
        )
        .unwrap();
        let r = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetails",
            json!({"JobId": job["JobId"]}),
        )
        .unwrap();
        assert_eq!(service(&r, "ivs").unwrap()["TotalAuthenticatedEntities"], 3);
        assert_eq!(
            service(&r, "ivs").unwrap()["LastAuthenticatedEntity"],
            format!("arn:aws:iam::{ACCOUNT}:role/editor")
        );
        let e = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetailsWithEntities",
            json!({"JobId": job["JobId"], "ServiceNamespace": "ivs"}),
        )
        .unwrap();
        let list = e["EntityDetailsList"].as_array().unwrap();
        let arns: Vec<&str> = list
            .iter()
            .map(|d| d["EntityInfo"]["Arn"].as_str().unwrap())
            .collect();
        assert_eq!(
            arns,
            [
                format!("arn:aws:iam::{ACCOUNT}:role/editor"),
                format!("arn:aws:iam::{ACCOUNT}:user/bob"),
                format!("arn:aws:iam::{ACCOUNT}:user/ann")
            ]
        );
        assert_eq!(list[0]["EntityInfo"]["Type"], "ROLE");
        assert_eq!(list[1]["EntityInfo"]["Name"], "bob");
        // sts is allowed but nobody attempted it with this policy's holders... except ann's
        // AssumeRole call, which counts for the policy too.
        let e = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetailsWithEntities",
            json!({"JobId": job["JobId"], "ServiceNamespace": "sts"}),
        )
        .unwrap();
        let list = e["EntityDetailsList"].as_array().unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list[0]["EntityInfo"]["Name"], "ann");
        assert!(list[0]["LastAuthenticated"].as_f64().is_some());
        assert!(list[1].get("LastAuthenticated").is_none());
        // A service the policy does not allow has no entities.
        let e = call(
            &iam,
            &root,
            "GetServiceLastAccessedDetailsWithEntities",
            json!({"JobId": job["JobId"], "ServiceNamespace": "s3"}),
        )
        .unwrap();
        assert_eq!(e["EntityDetailsList"], json!([]));
    }

    #[test]
    fn unknown_entities_and_jobs_and_other_callers_jobs_are_refused() {
        let iam = iam();
        let root = root_ctx();
        let e = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/nobody")}),
        )
        .unwrap_err();
        assert_eq!(
            code_message(&e),
            ("NoSuchEntity", "The user with name nobody cannot be found.")
        );
        let e = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:policy/none")}),
        )
        .unwrap_err();
        assert_eq!(e.code, "NoSuchEntity");
        let e = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": "arn:aws:s3:::bucket/key/x"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        let e = call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/x"), "Granularity": "DAILY"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        // An AWS managed policy can be reported on.
        call(
            &iam,
            &root,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        )
        .unwrap();

        let admin = crate::api::test_support::admin_ctx(&iam, "admin");
        let job = call(
            &iam,
            &admin,
            "GenerateServiceLastAccessedDetails",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/admin")}),
        )
        .unwrap();
        let read_job = |ctx: &RequestContext| {
            call(
                &iam,
                ctx,
                "GetServiceLastAccessedDetails",
                json!({"JobId": job["JobId"]}),
            )
        };
        read_job(&admin).unwrap();
        // Only the user that asked for it reads it.
        let e = read_job(&root).unwrap_err();
        assert_eq!(e.code, "NoSuchEntity");
        let e = call(
            &iam,
            &admin,
            "GetServiceLastAccessedDetails",
            json!({"JobId": "00000000-0000-4000-8000-000000000000"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "NoSuchEntity");
        // Another account's reports never push this one's out.
        iam.state
            .write()
            .insert_account(crate::store::AccountRec::new(
                "111111111111",
                "AKIAOTHERROOT0000001",
                "secret",
                1.0,
            ));
        let other = RequestContext::new(
            "r",
            std::sync::Arc::new(service::Principal::root(
                "111111111111",
                "AKIAOTHERROOT0000001",
            )),
            "us-east-1",
        );
        call(&iam, &other, "CreateUser", json!({"UserName": "u"})).unwrap();
        // Ten times what an account keeps (and more than all accounts together once kept).
        for _ in 0..=10 * super::KEPT_REPORTS {
            call(
                &iam,
                &other,
                "GenerateServiceLastAccessedDetails",
                json!({"Arn": "arn:aws:iam::111111111111:user/u"}),
            )
            .unwrap();
        }
        read_job(&admin).unwrap();
        // Resetting the account forgets its reports and attempts.
        iam.reset_account(ACCOUNT);
        assert!(iam
            .last_accessed
            .of(ACCOUNT, &admin.principal.user_id)
            .is_none());
    }
}
