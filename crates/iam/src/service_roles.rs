//! IAM's answers to services about the service roles passed to them
//! ([`service::ServiceRoles`]): does the role trust the service, and what do its own
//! policies allow a session of it.

use crate::authorize::{evaluate_in, owner, policy_set};
use crate::context_keys;
use crate::derived;
use crate::resolve;
use crate::store::State;
use crate::Iam;
use service::{
    ContextValue, Principal, PrincipalKind, RequestContext, RoleTrust, ServiceRoles, SessionInfo,
    SourceResource,
};
use std::sync::Arc;

/// The stored role `role_arn` names exactly (account, path and name), if any. Asked for
/// every job a service runs as a role, so the account and the name are found by plain byte
/// loops (short spans: `str::find`'s searchers cost more): only an `arn:aws:iam::` ARN can be
/// a role's (`Role::is_arn`), and its account is what follows that up to the next `:`.
fn role<'s>(state: &'s State, role_arn: &str) -> Option<&'s crate::store::Role> {
    let rest = role_arn.strip_prefix("arn:aws:iam::")?;
    let account = &rest[..rest.bytes().position(|b| b == b':').unwrap_or(rest.len())];
    if account.is_empty() {
        return None;
    }
    // The name after the last `/` (the whole ARN without one).
    let name = &role_arn[role_arn
        .bytes()
        .rposition(|b| b == b'/')
        .map_or(0, |i| i + 1)..];
    // Roles are kept by lower-cased name; a name with no upper-case or non-ASCII letter (as
    // role names in ARNs mostly are) is its own lower case.
    let key = if name
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name.to_lowercase())
    };
    let role = state.account(account)?.roles.get(key.as_ref())?;
    role.is_arn(role_arn).then_some(role)
}

/// A session of the role, as the service acting for it would hold.
fn session_of(role: &crate::store::Role, role_arn: &str) -> Principal {
    let session_name = "mediamock-service-session";
    Principal {
        account: role.account.clone(),
        arn: format!(
            "arn:aws:sts::{}:assumed-role/{}/{session_name}",
            role.account, role.name
        ),
        kind: PrincipalKind::AssumedRole,
        user_id: format!("{}:{session_name}", role.id),
        username: None,
        access_key_id: String::new(),
        session: Some(SessionInfo {
            source_arn: role_arn.to_string(),
            session_name: session_name.to_string(),
            ..SessionInfo::default()
        }),
    }
}

/// The request context a role's trust policy sees when service principal `service` assumes
/// it, with the keys the IAM User Guide documents as present for a service principal:
/// `aws:PrincipalServiceName` and `aws:PrincipalServiceNamesList` (the service's name),
/// `aws:PrincipalIsAWSService` (true), `aws:ViaAWSService` (false: not a forward access
/// session), `aws:CurrentTime` and `aws:EpochTime` (always present), and, for a service acting
/// for a resource, `aws:SourceAccount` and `aws:SourceArn`. `aws:PrincipalType` has no value
/// documented for a service principal, so it is absent.
fn assume_role_context(
    service: &str,
    source: Option<SourceResource<'_>>,
    now: f64,
) -> policy::Context {
    let s = |v: &str| ContextValue::String(v.to_string());
    let mut c = policy::Context::new();
    c.set_new_static("aws:PrincipalServiceName", s(service));
    c.set_new_static(
        "aws:PrincipalServiceNamesList",
        ContextValue::Strings(vec![service.to_string()]),
    );
    c.set_new_static("aws:PrincipalIsAWSService", ContextValue::Bool(true));
    c.set_new_static("aws:ViaAWSService", ContextValue::Bool(false));
    c.set_new_static(
        "aws:CurrentTime",
        ContextValue::String(context_keys::iso8601(now)),
    );
    c.set_new_static("aws:EpochTime", ContextValue::Number(now.floor()));
    if let Some(source) = source {
        c.set_new_static("aws:SourceAccount", s(source.account));
        c.set_new_static("aws:SourceArn", s(source.arn));
    }
    c
}

impl Iam {
    /// Whether `service` may assume `role_arn`, acting for `source` if any: the trust policy's
    /// conditions are evaluated in [`assume_role_context`], built only if a statement naming
    /// the service has a condition.
    fn service_trust(
        &self,
        role_arn: &str,
        service: &str,
        source: Option<SourceResource<'_>>,
    ) -> RoleTrust {
        let state = self.state.read();
        let context = || assume_role_context(service, source, self.runtime.clock.now());
        let trusted = derived::service_role(
            state.version(),
            role_arn,
            || found_role(&state, role_arn),
            |r| r.trust.trusts_service(service, "sts:AssumeRole", context),
        );
        match trusted {
            None => RoleTrust::NoSuchRole,
            Some(true) => RoleTrust::Trusted,
            Some(false) => RoleTrust::NotTrusted,
        }
    }
}

/// The stored role `role_arn` names as services acting for it see it (kept per store
/// version by [`derived::service_role`]: a job's every submission asks about its role twice,
/// and finding it hashed its account and walked its account's roles each time).
fn found_role(state: &State, role_arn: &str) -> Option<derived::ServiceRole> {
    let r = role(state, role_arn)?;
    Some(derived::ServiceRole {
        session: Arc::new(session_of(r, role_arn)),
        trust: r.trust.compiled.clone(),
    })
}

impl ServiceRoles for Iam {
    fn role_trust(&self, role_arn: &str, service_principal: &str) -> RoleTrust {
        self.service_trust(role_arn, service_principal, None)
    }

    fn role_trust_for(
        &self,
        role_arn: &str,
        service_principal: &str,
        source: SourceResource<'_>,
    ) -> RoleTrust {
        self.service_trust(role_arn, service_principal, Some(source))
    }

    fn role_allows(&self, role_arn: &str, action: &str, resource: &str) -> bool {
        self.first_denied(role_arn, &[(action, resource)]).is_none()
    }

    fn first_denied(&self, role_arn: &str, checks: &[(&str, &str)]) -> Option<usize> {
        if checks.is_empty() {
            return None;
        }
        let state = self.state.read();
        // The role's policies, its session and the request context are the same for every
        // check; the context differs only by the resource's account.
        // Kept per store version (`derived`): a job's every submission asks again.
        let version = state.version();
        let Some(session) = derived::service_role(
            version,
            role_arn,
            || found_role(&state, role_arn),
            |r| r.session.clone(),
        ) else {
            return Some(0);
        };
        let resolved = derived::resolved(version, &session, || {
            // The role is in this version of the store: it was just found.
            let found = role(&state, role_arn).and_then(|r| Some((state.account(&r.account)?, r)));
            match found {
                Some((account, r)) => resolve::for_role(&state, account, &r.name.to_lowercase()),
                None => resolve::Resolved::default(),
            }
        });
        // A service's own context: no request ID (an empty one is not allocated).
        let ctx = RequestContext::new(String::new(), session, "");
        let now = self.runtime.clock.now();
        // Decided anew for every job: its accesses name its own input and output files (an
        // answer kept per list of accesses was asked again only while the same files were).
        let base = derived::base(version, &ctx.principal, &ctx, now, || {
            context_keys::SharedKeys::with_own_account(context_keys::base(&state, &ctx, now), &ctx)
        });
        // The role's policies as one set for every check (its list is a Vec).
        let set = policy_set(&resolved, None);
        let mut context: Option<(Option<&str>, policy::Context)> = None;
        checks.iter().position(|&(action, resource)| {
            let arn_account = context_keys::arn_account(resource);
            if context.as_ref().is_none_or(|(a, _)| *a != arn_account) {
                let keys = context_keys::for_access_in(&base, &ctx, &[], arn_account);
                context = Some((arn_account, keys));
            }
            let Some((_, keys)) = &context else {
                return true;
            };
            let owner = owner(arn_account);
            !evaluate_in(&set, &ctx.principal, action, resource, keys, owner).allowed()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{iam, root_ctx};
    use serde_json::json;

    const TRUST_MC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::in/*"}]}"#;

    #[test]
    fn trust_and_role_policies_answer_for_the_role() {
        let iam = iam();
        let svc = iam.iam_service();
        let ctx = root_ctx();
        for (name, trust) in [("conv", TRUST_MC), ("other", TRUST_EC2)] {
            svc.handle(
                &ctx,
                "CreateRole",
                json!({"RoleName": name, "AssumeRolePolicyDocument": trust}),
            )
            .unwrap();
        }
        svc.handle(
            &ctx,
            "PutRolePolicy",
            json!({"RoleName": "conv", "PolicyName": "read", "PolicyDocument": S3_READ}),
        )
        .unwrap();
        let acct = ctx.account();
        let conv = format!("arn:aws:iam::{acct}:role/conv");
        let other = format!("arn:aws:iam::{acct}:role/other");
        let mc = "mediaconvert.amazonaws.com";
        assert_eq!(iam.role_trust(&conv, mc), RoleTrust::Trusted);
        assert_eq!(iam.role_trust(&other, mc), RoleTrust::NotTrusted);
        assert_eq!(
            iam.role_trust(&format!("arn:aws:iam::{acct}:role/nope"), mc),
            RoleTrust::NoSuchRole
        );
        // A path that is not the role's is another ARN.
        assert_eq!(
            iam.role_trust(&format!("arn:aws:iam::{acct}:role/x/conv"), mc),
            RoleTrust::NoSuchRole
        );
        // Only the exact ARN names the role: partition, account, path and name all count.
        svc.handle(
            &ctx,
            "CreateRole",
            json!({"RoleName": "pathed", "Path": "/svc/", "AssumeRolePolicyDocument": TRUST_MC}),
        )
        .unwrap();
        let pathed = format!("arn:aws:iam::{acct}:role/svc/pathed");
        assert_eq!(iam.role_trust(&pathed, mc), RoleTrust::Trusted);
        for other in [
            format!("arn:aws:iam::{acct}:role/pathed"),
            format!("arn:aws:iam::{acct}:role/svc/other/pathed"),
            format!("arn:aws-cn:iam::{acct}:role/svc/pathed"),
            format!("arn:aws:iam::{acct}:rolex/svc/pathed"),
            format!("arn:aws:iam::{acct}:role/svc/pathed/"),
        ] {
            assert_eq!(iam.role_trust(&other, mc), RoleTrust::NoSuchRole, "{other}");
        }
        // A name with upper-case letters is found (roles are kept by lower-cased name), and
        // only as it was created.
        svc.handle(
            &ctx,
            "CreateRole",
            json!({"RoleName": "Mixed-Case", "AssumeRolePolicyDocument": TRUST_MC}),
        )
        .unwrap();
        let mixed = format!("arn:aws:iam::{acct}:role/Mixed-Case");
        assert_eq!(iam.role_trust(&mixed, mc), RoleTrust::Trusted);
        for other in [
            format!("arn:aws:iam::{acct}:role/mixed-case"),
            format!("arn:aws:iam::{acct}:role/MIXED-CASE"),
            "arn:aws:iam:::role/conv".to_string(),
            format!("arn:aws:iam::{acct}"),
            format!("arn:aws:iam::{acct}:role/Mixed-Casé"),
        ] {
            assert_eq!(iam.role_trust(&other, mc), RoleTrust::NoSuchRole, "{other}");
        }
        assert!(iam.role_allows(&conv, "s3:GetObject", "arn:aws:s3:::in/a.mp4"));
        assert!(!iam.role_allows(&conv, "s3:GetObject", "arn:aws:s3:::other/a.mp4"));
        assert!(!iam.role_allows(&conv, "s3:PutObject", "arn:aws:s3:::in/a.mp4"));
        assert!(!iam.role_allows(&other, "s3:GetObject", "arn:aws:s3:::in/a.mp4"));
        // Several checks at once: the first refused one, in order, as one by one.
        let checks = [
            ("s3:GetObject", "arn:aws:s3:::in/a.mp4"),
            ("s3:GetObject", "arn:aws:s3:::in/b.mp4"),
            ("s3:PutObject", "arn:aws:s3:::in/c.mp4"),
            ("s3:GetObject", "arn:aws:s3:::other/d.mp4"),
        ];
        assert_eq!(iam.first_denied(&conv, &checks), Some(2));
        assert_eq!(iam.first_denied(&conv, &checks[..2]), None);
        assert_eq!(iam.first_denied(&conv, &checks[3..]), Some(0));
        assert_eq!(iam.first_denied(&conv, &[]), None);
        assert_eq!(iam.first_denied(&other, &checks), Some(0));
        let nope = format!("arn:aws:iam::{acct}:role/nope");
        assert_eq!(iam.first_denied(&nope, &checks), Some(0));
    }

    /// A service's trust is decided by the trust policy's conditions, in the context AWS gives
    /// a service principal acting for a resource (`aws:SourceAccount`, `aws:SourceArn`,
    /// `aws:PrincipalServiceName`, …), and a conditioned Deny that holds wins.
    #[test]
    fn a_service_trust_evaluates_the_trust_policys_conditions() {
        let iam = iam();
        let svc = iam.iam_service();
        let ctx = root_ctx();
        let acct = ctx.account().to_string();
        let statement = |effect: &str, condition: &str| {
            format!(
                r#"{{"Effect":"{effect}","Principal":{{"Service":"mediaconvert.amazonaws.com"}},"Action":"sts:AssumeRole","Condition":{condition}}}"#
            )
        };
        let create = |name: &str, statements: &[String]| {
            let doc = format!(
                r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
                statements.join(",")
            );
            svc.handle(
                &ctx,
                "CreateRole",
                json!({"RoleName": name, "AssumeRolePolicyDocument": doc}),
            )
            .unwrap();
            format!("arn:aws:iam::{acct}:role/{name}")
        };
        let guarded = create(
            "guarded",
            &[statement(
                "Allow",
                &format!(
                    r#"{{"StringEquals":{{"aws:SourceAccount":"{acct}"}},"ArnLike":{{"aws:SourceArn":"arn:aws:mediaconvert:*:{acct}:queues/*"}}}}"#
                ),
            )],
        );
        let service_keys = create(
            "service_keys",
            &[statement(
                "Allow",
                r#"{"StringEquals":{"aws:PrincipalServiceName":"mediaconvert.amazonaws.com"},
                    "ForAnyValue:StringEquals":{"aws:PrincipalServiceNamesList":"mediaconvert.amazonaws.com"},
                    "Bool":{"aws:PrincipalIsAWSService":"true","aws:ViaAWSService":"false"},
                    "DateGreaterThan":{"aws:CurrentTime":"2000-01-01T00:00:00Z"}}"#,
            )],
        );
        let blocked = create(
            "blocked",
            &[
                statement("Allow", "{}"),
                statement(
                    "Deny",
                    r#"{"ArnLike":{"aws:SourceArn":"arn:aws:mediaconvert:*:*:queues/Blocked"}}"#,
                ),
            ],
        );
        let mc = "mediaconvert.amazonaws.com";
        let queue = |account: &str, name: &str| {
            format!("arn:aws:mediaconvert:us-west-2:{account}:queues/{name}")
        };
        fn source<'a>(account: &'a str, arn: &'a str) -> SourceResource<'a> {
            SourceResource { account, arn }
        }
        let default = queue(&acct, "Default");
        assert_eq!(
            iam.role_trust_for(&guarded, mc, source(&acct, &default)),
            RoleTrust::Trusted
        );
        // Acting for another account, or for a resource of another account.
        assert_eq!(
            iam.role_trust_for(&guarded, mc, source("444455556666", &default)),
            RoleTrust::NotTrusted
        );
        let foreign = queue("444455556666", "Default");
        assert_eq!(
            iam.role_trust_for(&guarded, mc, source(&acct, &foreign)),
            RoleTrust::NotTrusted
        );
        // Acting for no resource, the keys are absent and the conditions fail.
        assert_eq!(iam.role_trust(&guarded, mc), RoleTrust::NotTrusted);
        assert!(iam.role_exists(&guarded));
        // Another service is not trusted, whatever it acts for.
        assert_eq!(
            iam.role_trust_for(&guarded, "ec2.amazonaws.com", source(&acct, &default)),
            RoleTrust::NotTrusted
        );
        assert_eq!(iam.role_trust(&service_keys, mc), RoleTrust::Trusted);
        assert_eq!(
            iam.role_trust(&service_keys, "mediapackage.amazonaws.com"),
            RoleTrust::NotTrusted
        );
        // The Deny holds for one queue only: it wins there.
        assert_eq!(
            iam.role_trust_for(&blocked, mc, source(&acct, &default)),
            RoleTrust::Trusted
        );
        assert_eq!(
            iam.role_trust_for(&blocked, mc, source(&acct, &queue(&acct, "Blocked"))),
            RoleTrust::NotTrusted
        );
    }

    /// A change of a role's policies takes effect at once, within the same second: the next
    /// job sees the role as it now is (its session and policies are kept per store version).
    #[test]
    fn a_change_of_the_roles_policies_reaches_the_next_job() {
        let iam = iam();
        let svc = iam.iam_service();
        let ctx = root_ctx();
        let put = |name: &str, doc: &str| {
            svc.handle(
                &ctx,
                "PutRolePolicy",
                json!({"RoleName": "conv", "PolicyName": name, "PolicyDocument": doc}),
            )
            .unwrap();
        };
        svc.handle(
            &ctx,
            "CreateRole",
            json!({"RoleName": "conv", "AssumeRolePolicyDocument": TRUST_MC}),
        )
        .unwrap();
        let conv = format!("arn:aws:iam::{}:role/conv", ctx.account());
        let checks = [
            ("s3:GetObject", "arn:aws:s3:::in/a.mp4"),
            ("s3:PutObject", "arn:aws:s3:::out/a.mp4"),
        ];
        assert_eq!(iam.first_denied(&conv, &checks), Some(0));
        put("read", S3_READ);
        assert_eq!(iam.first_denied(&conv, &checks), Some(1));
        assert_eq!(iam.first_denied(&conv, &checks), Some(1), "asked again");
        let write = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::out/*"}]}"#;
        put("write", write);
        assert_eq!(iam.first_denied(&conv, &checks), None);
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#;
        put("deny", deny);
        assert_eq!(
            iam.first_denied(&conv, &checks),
            Some(0),
            "a deny wins at once"
        );
    }

    /// The role a service acts for is kept per store version: a change to its trust policy,
    /// its deletion and its creation anew are seen by the next job.
    #[test]
    fn a_kept_service_role_follows_the_store() {
        let iam = iam();
        let svc = iam.iam_service();
        let ctx = root_ctx();
        let create = || {
            svc.handle(
                &ctx,
                "CreateRole",
                json!({"RoleName": "conv", "AssumeRolePolicyDocument": TRUST_MC}),
            )
            .unwrap();
        };
        create();
        let conv = format!("arn:aws:iam::{}:role/conv", ctx.account());
        let mc = "mediaconvert.amazonaws.com";
        let read = [("s3:GetObject", "arn:aws:s3:::in/a.mp4")];
        for _ in 0..2 {
            assert_eq!(iam.role_trust(&conv, mc), RoleTrust::Trusted);
            assert_eq!(iam.first_denied(&conv, &read), Some(0));
        }
        svc.handle(
            &ctx,
            "UpdateAssumeRolePolicy",
            json!({"RoleName": "conv", "PolicyDocument": TRUST_EC2}),
        )
        .unwrap();
        assert_eq!(iam.role_trust(&conv, mc), RoleTrust::NotTrusted);
        svc.handle(&ctx, "DeleteRole", json!({"RoleName": "conv"}))
            .unwrap();
        assert_eq!(iam.role_trust(&conv, mc), RoleTrust::NoSuchRole);
        assert_eq!(iam.first_denied(&conv, &read), Some(0));
        create();
        svc.handle(
            &ctx,
            "PutRolePolicy",
            json!({"RoleName": "conv", "PolicyName": "read", "PolicyDocument": S3_READ}),
        )
        .unwrap();
        assert_eq!(iam.role_trust(&conv, mc), RoleTrust::Trusted);
        assert_eq!(iam.first_denied(&conv, &read), None);
    }
}
