//! Loading accounts, users, keys, groups, roles and policies from a TOML or JSON file
//! (format in BOOTSTRAP.md).

use crate::doc::{Doc, DocKind};
use crate::ids;
use crate::store::{AccessKey, AccountRec, Group, ManagedPolicy, PolicyVersion, Role, State, User};
use crate::Iam;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The whole file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Bootstrap {
    /// Accounts to create or extend.
    #[serde(default)]
    pub accounts: Vec<AccountSpec>,
}

/// One account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSpec {
    /// 12-digit ID.
    pub id: String,
    /// Root access key ID (default: keep / the account ID).
    pub root_access_key: Option<String>,
    /// Root secret.
    pub root_secret_key: Option<String>,
    /// Customer managed policies.
    #[serde(default)]
    pub policies: Vec<PolicySpec>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    /// Users.
    #[serde(default)]
    pub users: Vec<UserSpec>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// OpenID Connect providers and their signing keys.
    #[serde(default)]
    pub oidc_providers: Vec<crate::bootstrap_federation::OidcSpec>,
    /// SAML providers.
    #[serde(default)]
    pub saml_providers: Vec<crate::bootstrap_federation::SamlSpec>,
}

/// A customer managed policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    /// Name.
    pub name: String,
    /// Path (default `/`).
    pub path: Option<String>,
    /// The JSON document.
    pub document: String,
    /// Description.
    pub description: Option<String>,
}

/// A group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Name.
    pub name: String,
    /// Path.
    pub path: Option<String>,
    /// Attached managed policy ARNs.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Inline policies by name.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
}

/// A fixed access key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    /// Access key ID.
    pub id: String,
    /// Secret.
    pub secret: String,
}

/// A user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// Name.
    pub name: String,
    /// Path.
    pub path: Option<String>,
    /// Access keys.
    #[serde(default)]
    pub access_keys: Vec<KeySpec>,
    /// Group names.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Attached managed policy ARNs.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Inline policies by name.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
    /// Permissions boundary ARN.
    pub boundary: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Name.
    pub name: String,
    /// Path.
    pub path: Option<String>,
    /// Trust policy JSON.
    pub trust_policy: String,
    /// Attached managed policy ARNs.
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Inline policies by name.
    #[serde(default)]
    pub inline_policies: BTreeMap<String, String>,
    /// Longest session, seconds (default 3600).
    pub max_session_duration: Option<u32>,
    /// Permissions boundary ARN.
    pub boundary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Reads and applies a bootstrap file.
pub fn load_file(iam: &Iam, path: &Path) -> Result<(), String> {
    load_file_for(iam, path, None)
}

/// Loads a bootstrap file, only its declarations for `only` when given (per-account reset).
pub fn load_file_for(iam: &Iam, path: &Path, only: Option<&str>) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let b: Bootstrap = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
    };
    let mut b = b;
    if let Some(account) = only {
        b.accounts.retain(|a| a.id == account);
    }
    let mut state = iam.state.write();
    let mut next = state.clone();
    apply(iam, &mut next, b)?;
    *state = next;
    Ok(())
}

fn inline(m: &BTreeMap<String, String>, what: &str) -> Result<BTreeMap<String, Doc>, String> {
    m.iter()
        .map(|(n, t)| {
            Ok((
                n.clone(),
                Doc::parse(t, DocKind::Identity).map_err(|e| format!("{what} policy {n}: {e}"))?,
            ))
        })
        .collect()
}

/// Applies a parsed bootstrap to `state`.
pub fn apply(iam: &Iam, state: &mut State, b: Bootstrap) -> Result<(), String> {
    let now = iam.runtime.clock.now().floor();
    let idg = &iam.runtime.ids;
    let j = service::Journal::default();
    for a in b.accounts {
        if a.id.len() != 12 || !a.id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("account id {} must be 12 digits", a.id));
        }
        let existing = state.account(&a.id).map(|x| x.rec.clone());
        // Root keys made through IAM and the configured key's status stay as they were.
        let mut rec = existing
            .clone()
            .unwrap_or_else(|| AccountRec::new(&a.id, "", "", now));
        rec.root_access_key = a
            .root_access_key
            .or(existing.as_ref().map(|e| e.root_access_key.clone()))
            .unwrap_or_else(|| a.id.clone());
        rec.root_secret_key = a
            .root_secret_key
            .or(existing.as_ref().map(|e| e.root_secret_key.clone()))
            .unwrap_or_else(|| "test".into());
        state.put_account(&j, rec);
        // What already exists (a data directory's, or the bootstrap's own from an earlier
        // start) is left as the API has changed it since: the file declares what to create.
        let exists =
            |state: &State, pick: fn(&crate::store::AccountState, &str) -> bool, name: &str| {
                state
                    .account(&a.id)
                    .is_some_and(|x| pick(x, &name.to_lowercase()))
            };
        for p in a.policies {
            if exists(state, |x, n| x.policies.contains_key(n), &p.name) {
                continue;
            }
            let id = ids::unique_id(idg, ids::POLICY_ID, &a.id);
            let doc = Doc::parse(&p.document, DocKind::Identity)
                .map_err(|e| format!("policy {}: {e}", p.name))?;
            state.put_policy(
                &j,
                ManagedPolicy {
                    account: a.id.clone(),
                    name: p.name,
                    path: p.path.unwrap_or_else(|| "/".into()),
                    id,
                    description: p.description,
                    created: now,
                    updated: now,
                    tags: vec![],
                    versions: vec![PolicyVersion {
                        id: "v1".into(),
                        doc,
                        created: now,
                    }],
                    default_version: "v1".into(),
                    next_version: 2,
                },
            );
        }
        for g in a.groups {
            if exists(state, |x, n| x.groups.contains_key(n), &g.name) {
                continue;
            }
            let id = ids::unique_id(idg, ids::GROUP_ID, &a.id);
            state.put_group(
                &j,
                Group {
                    account: a.id.clone(),
                    inline: inline(&g.inline_policies, &g.name)?,
                    name: g.name,
                    path: g.path.unwrap_or_else(|| "/".into()),
                    id,
                    created: now,
                    attached: g.managed_policies,
                },
            );
        }
        for u in a.users {
            if exists(state, |x, n| x.users.contains_key(n), &u.name) {
                continue;
            }
            let id = ids::unique_id(idg, ids::USER_ID, &a.id);
            if let Some(k) = u
                .access_keys
                .iter()
                .find(|k| state.keys.contains_key(&k.id))
            {
                return Err(format!("access key {} is used twice", k.id));
            }
            state.put_user(
                &j,
                User {
                    account: a.id.clone(),
                    inline: inline(&u.inline_policies, &u.name)?,
                    name: u.name,
                    path: u.path.unwrap_or_else(|| "/".into()),
                    id,
                    created: now,
                    tags: u.tags.into_iter().collect(),
                    attached: u.managed_policies,
                    boundary: u.boundary,
                    groups: u.groups,
                    keys: u
                        .access_keys
                        .into_iter()
                        .map(|k| AccessKey {
                            id: k.id,
                            secret: k.secret,
                            status: "Active".into(),
                            created: now,
                            last_used: None,
                        })
                        .collect(),
                    credentials: Default::default(),
                },
            );
        }
        crate::bootstrap_federation::apply(
            state,
            &j,
            &a.id,
            a.oidc_providers,
            a.saml_providers,
            now,
        )?;
        for r in a.roles {
            if exists(state, |x, n| x.roles.contains_key(n), &r.name) {
                continue;
            }
            let id = ids::unique_id(idg, ids::ROLE_ID, &a.id);
            let trust = Doc::parse_new(&r.trust_policy, DocKind::Trust)
                .map_err(|e| format!("role {} trust policy: {e}", r.name))?;
            let trust = crate::api::iam::trust_binding::bind_known(state, trust);
            state.put_role(
                &j,
                Role {
                    account: a.id.clone(),
                    inline: inline(&r.inline_policies, &r.name)?,
                    name: r.name,
                    path: r.path.unwrap_or_else(|| "/".into()),
                    id,
                    created: now,
                    trust,
                    description: r.description,
                    max_session_duration: r.max_session_duration.unwrap_or(3600),
                    tags: r.tags.into_iter().collect(),
                    attached: r.managed_policies,
                    boundary: r.boundary,
                    last_used: None,
                },
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::Runtime;
    use std::sync::Arc;

    #[test]
    fn loads_the_documented_example() {
        let md = include_str!("../BOOTSTRAP.md");
        let start = md.find("```toml\n").unwrap() + 8;
        let end = start + md[start..].find("```").unwrap();
        let dir = std::env::temp_dir().join(format!("iam-bootstrap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("b.toml");
        std::fs::write(&path, &md[start..end]).unwrap();
        let iam = Iam::new(Arc::new(Runtime::for_tests()), crate::Mode::Enforce);
        iam.load_bootstrap(&path).unwrap();
        assert!(iam.account_exists("111111111111"));
        {
            let state = iam.state.read();
            let acc = &state.accounts["111111111111"];
            let p = &acc.oidc_providers["token.actions.githubusercontent.com"];
            assert!(p.jwks.is_some());
            assert_eq!(
                acc.saml_providers["corp-idp"].entity_id,
                "https://idp.example.com/metadata"
            );
        }
        let root = iam.lookup_key("AKIAROOT111111111111").unwrap();
        assert_eq!(root.principal.arn, "arn:aws:iam::111111111111:root");
        let ci = iam.lookup_key("AKIACI00000000000001").unwrap();
        assert_eq!(ci.secret_access_key, "cisecret");
        assert!(iam.knows_key("AKIAROOT111111111111") && iam.knows_key("AKIACI00000000000001"));
        assert_eq!(ci.principal.arn, "arn:aws:iam::111111111111:user/ci");
        let id_before = ci.principal.user_id.clone();
        // A root key made through IAM is the account's, not the file's: a reload keeps it.
        let root_ctx = service::RequestContext::new("r", root.principal.clone(), "us-east-1");
        let made = iam
            .iam_service()
            .handle(&root_ctx, "CreateAccessKey", serde_json::json!({}))
            .unwrap();
        let made = made["AccessKey"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .to_string();
        iam.load_bootstrap(&path).unwrap();
        let again = iam.lookup_key("AKIACI00000000000001").unwrap();
        assert_eq!(again.principal.user_id, id_before, "reloading keeps IDs");
        assert!(
            iam.lookup_key(&made).is_some(),
            "reloading keeps root's own keys"
        );
        assert!(iam.lookup_key("AKIAROOT111111111111").is_some());
        std::fs::write(&path, "[[accounts]]\nid = \"12\"\n").unwrap();
        assert!(iam.load_bootstrap(&path).is_err());
        assert!(iam.account_exists("000000000000"));
    }

    #[test]
    fn a_declared_role_trusts_the_declared_user_not_a_namesake_created_later() {
        let b: Bootstrap = toml::from_str(
            r#"
[[accounts]]
id = "000000000000"
[[accounts.users]]
name = "ci"
[[accounts.roles]]
name = "deploy"
trust_policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::000000000000:user/ci","arn:aws:iam::000000000000:user/later"]},"Action":"sts:AssumeRole"}]}'
"#,
        )
        .unwrap();
        let iam = Iam::new(Arc::new(Runtime::for_tests()), crate::Mode::Enforce);
        let mut state = iam.state.read().clone();
        apply(&iam, &mut state, b).unwrap();
        let role = &state.accounts["000000000000"].roles["deploy"];
        let ci_id = state.accounts["000000000000"].users["ci"].id.clone();
        let json = serde_json::to_value(role).unwrap();
        // The declared user is bound to its ID; one not declared is left to match by ARN.
        assert_eq!(
            json["trust"]["bindings"],
            serde_json::json!([["arn:aws:iam::000000000000:user/ci", ci_id]])
        );
    }
}
