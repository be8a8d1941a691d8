//! The stored IAM entities, serializable as journal records.

use super::UserCredentials;
use crate::doc::Doc;
use serde::{Deserialize, Serialize};
use service::{Principal, ResourcePolicy};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A `(key, value)` tag as IAM and STS keep them, in the order given.
pub type Tags = Vec<(String, String)>;

/// An account and its root credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountRec {
    /// The 12-digit account ID.
    pub id: String,
    /// The root user's access key ID.
    pub root_access_key: String,
    /// The root user's secret.
    pub root_secret_key: String,
    /// When the account was created, epoch seconds (root's `CreateDate`); records written
    /// before it was kept read as 0 and are given the time they are restored at.
    #[serde(default)]
    pub created: f64,
    /// The configured key's status when UpdateAccessKey made it `Inactive` (`None`: Active).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_key_status: Option<String>,
    /// Root's access keys made with CreateAccessKey (AWS allows root two keys in all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub root_keys: Vec<AccessKey>,
    /// The root user's X.509 signing certificates (UploadSigningCertificate without
    /// `UserName`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub root_certificates: Vec<super::SigningCertificate>,
    /// The IDs of the account's latest service-linked role deletion tasks, oldest first (at
    /// most [`AccountRec::DELETION_TASKS_KEPT`]): GetServiceLinkedRoleDeletionStatus answers
    /// for these and no others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deletion_tasks: Vec<String>,
}

impl AccountRec {
    /// An account whose root user has the one access key `key`/`secret`.
    pub fn new(id: &str, key: &str, secret: &str, created: f64) -> Self {
        AccountRec {
            id: id.to_string(),
            root_access_key: key.to_string(),
            root_secret_key: secret.to_string(),
            created,
            root_key_status: None,
            root_keys: Vec::new(),
            root_certificates: Vec::new(),
            deletion_tasks: Vec::new(),
        }
    }

    /// How many deletion task IDs an account keeps.
    pub const DELETION_TASKS_KEPT: usize = 100;

    /// Records a service-linked role deletion task, forgetting the oldest beyond the limit.
    pub fn add_deletion_task(&mut self, task: String) {
        self.deletion_tasks.push(task);
        let excess = self
            .deletion_tasks
            .len()
            .saturating_sub(Self::DELETION_TASKS_KEPT);
        self.deletion_tasks.drain(..excess);
    }

    /// Root's access keys: the configured one (unless deleted) first, then those made with
    /// CreateAccessKey. An iterator, not a list: the check before every signed request's body
    /// reads it.
    pub fn all_root_keys(&self) -> impl Iterator<Item = RootKey<'_>> {
        let configured = (!self.root_access_key.is_empty()).then(|| RootKey {
            id: &self.root_access_key,
            secret: &self.root_secret_key,
            status: self.root_key_status.as_deref().unwrap_or("Active"),
            created: self.created,
        });
        configured
            .into_iter()
            .chain(self.root_keys.iter().map(|k| RootKey {
                id: &k.id,
                secret: &k.secret,
                status: &k.status,
                created: k.created,
            }))
    }

    /// The secret of root's access key `id` while it is Active.
    pub fn active_root_secret(&self, id: &str) -> Option<&str> {
        self.all_root_keys()
            .find(|k| k.id == id && k.status == "Active")
            .map(|k| k.secret)
    }
}

/// One of the root user's access keys, as [`AccountRec::all_root_keys`] reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RootKey<'a> {
    /// Its access key ID.
    pub id: &'a str,
    /// Its secret.
    pub secret: &'a str,
    /// `Active` or `Inactive`.
    pub status: &'a str,
    /// Created, epoch seconds (the account's creation for the configured key).
    pub created: f64,
}

/// Now on the wall clock, whole epoch seconds: when an account without a kept creation time
/// counts as created.
pub fn account_created_now() -> f64 {
    service::wall_now().floor().max(1.0)
}

/// When and where an access key was last used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastUsed {
    /// Seconds since the epoch.
    pub date: f64,
    /// Signing name of the service called.
    pub service: String,
    /// Region of the call.
    pub region: String,
}

/// A long-term access key of an IAM user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    /// `AKIA…`.
    pub id: String,
    /// The 40-character secret.
    pub secret: String,
    /// `Active` or `Inactive`.
    pub status: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Last use, if any.
    pub last_used: Option<LastUsed>,
}

/// An IAM user with its keys, inline and attached policies, groups and boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Owning account.
    pub account: String,
    /// The user name as created.
    pub name: String,
    /// The path (`/`, `/division/`).
    pub path: String,
    /// `AIDA…`.
    pub id: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Tags.
    pub tags: Tags,
    /// Inline policies by name.
    pub inline: BTreeMap<String, Doc>,
    /// Attached managed policy ARNs, in attach order.
    pub attached: Vec<String>,
    /// The permissions boundary policy ARN.
    pub boundary: Option<String>,
    /// Names of the groups the user belongs to.
    pub groups: Vec<String>,
    /// Access keys (at most two).
    pub keys: Vec<AccessKey>,
    /// SSH public keys, signing certificates and service-specific credentials.
    #[serde(default, skip_serializing_if = "UserCredentials::is_empty")]
    pub credentials: UserCredentials,
}

impl User {
    /// `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:user{}{}",
            self.account, self.path, self.name
        )
    }
}

/// An IAM group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Owning account.
    pub account: String,
    /// The group name as created.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AGPA…`.
    pub id: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Inline policies by name.
    pub inline: BTreeMap<String, Doc>,
    /// Attached managed policy ARNs.
    pub attached: Vec<String>,
}

impl Group {
    /// `arn:aws:iam::ACCOUNT:group/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:group{}{}",
            self.account, self.path, self.name
        )
    }
}

/// A role's trust policy: the stored document, and the compiled form the authorize stage
/// evaluates, shared as the role's [`ResourcePolicy`] so it is never parsed again. As AWS does,
/// the users and roles it names are bound to their unique IDs when it is stored: one deleted
/// and created again under the same name is not the principal the policy named.
#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "TrustRepr", into = "TrustRepr")]
pub struct TrustPolicy {
    doc: Doc,
    /// `(ARN, unique ID)` of each user or role the document named when it was stored.
    bindings: Vec<(String, String)>,
    shared: Arc<ResourcePolicy>,
}

#[derive(Serialize, Deserialize)]
struct TrustRepr {
    #[serde(flatten)]
    doc: Doc,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bindings: Vec<(String, String)>,
}

impl TrustPolicy {
    /// A trust policy whose named principals are bound to these unique IDs.
    pub fn bound(doc: Doc, bindings: Vec<(String, String)>) -> Self {
        let evaluated = bound_doc(&doc, &bindings).unwrap_or_else(|| doc.clone());
        let shared = ResourcePolicy::new(doc.text.clone());
        // Seeded with the compiled document (the type the authorize stage reads back).
        shared.compiled(|_| Some(evaluated));
        TrustPolicy {
            doc,
            bindings,
            shared,
        }
    }

    /// The document as IAM shows it, URL-encoded: a principal that was deleted since the
    /// policy was stored shows as its unique ID (`current` says whether the entity an ARN
    /// names now is the one bound, by its ID).
    pub fn shown(&self, current: impl Fn(&str, &str) -> bool) -> String {
        let gone: Vec<(String, String)> = self
            .bindings
            .iter()
            .filter(|(arn, id)| !current(arn, id))
            .cloned()
            .collect();
        match (gone.is_empty(), with_ids(&self.doc.text, &gone)) {
            (false, Some(text)) => crate::doc::url_encode(&text),
            _ => self.doc.url_encoded(),
        }
    }

    /// The resource policy the authorize stage attaches to `sts:AssumeRole*` on the role.
    pub fn resource_policy(&self) -> Arc<ResourcePolicy> {
        self.shared.clone()
    }
}

/// The document with each bound ARN among its `AWS` principals replaced by the unique ID.
fn bound_doc(doc: &Doc, bindings: &[(String, String)]) -> Option<Doc> {
    if bindings.is_empty() {
        return None;
    }
    Doc::parse(&with_ids(&doc.text, bindings)?, doc.kind).ok()
}

/// `text` with the `AWS` principals listed in `bindings` replaced by their unique IDs.
fn with_ids(text: &str, bindings: &[(String, String)]) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(text).ok()?;
    let swap = |s: &mut serde_json::Value| {
        if let Some(id) = s
            .as_str()
            .and_then(|a| bindings.iter().find(|(arn, _)| arn == a))
            .map(|(_, id)| id.clone())
        {
            *s = serde_json::Value::String(id);
        }
    };
    let statements = match v.get_mut("Statement")? {
        serde_json::Value::Array(a) => a.iter_mut().collect::<Vec<_>>(),
        o => vec![o],
    };
    for st in statements {
        for key in ["Principal", "NotPrincipal"] {
            match st.get_mut(key).and_then(|p| p.get_mut("AWS")) {
                Some(serde_json::Value::Array(a)) => a.iter_mut().for_each(swap),
                Some(one) => swap(one),
                None => {}
            }
        }
    }
    Some(v.to_string())
}

impl From<Doc> for TrustPolicy {
    fn from(doc: Doc) -> Self {
        TrustPolicy::bound(doc, Vec::new())
    }
}

impl From<TrustRepr> for TrustPolicy {
    fn from(r: TrustRepr) -> Self {
        TrustPolicy::bound(r.doc, r.bindings)
    }
}

impl From<TrustPolicy> for TrustRepr {
    fn from(t: TrustPolicy) -> TrustRepr {
        TrustRepr {
            doc: t.doc,
            bindings: t.bindings,
        }
    }
}

impl std::ops::Deref for TrustPolicy {
    type Target = Doc;
    fn deref(&self) -> &Doc {
        &self.doc
    }
}

impl std::fmt::Debug for TrustPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.doc.fmt(f)
    }
}

impl PartialEq for TrustPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.doc == other.doc
    }
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    /// Owning account.
    pub account: String,
    /// The role name as created.
    pub name: String,
    /// The path.
    pub path: String,
    /// `AROA…`.
    pub id: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// The trust (assume-role) policy.
    pub trust: TrustPolicy,
    /// The description.
    pub description: Option<String>,
    /// Longest session AssumeRole may grant, seconds.
    pub max_session_duration: u32,
    /// Tags.
    pub tags: Tags,
    /// Inline policies by name.
    pub inline: BTreeMap<String, Doc>,
    /// Attached managed policy ARNs.
    pub attached: Vec<String>,
    /// The permissions boundary policy ARN.
    pub boundary: Option<String>,
    /// Last time the role was assumed, and in which region.
    pub last_used: Option<(f64, String)>,
}

impl Role {
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:role{}{}",
            self.account, self.path, self.name
        )
    }

    /// Whether `arn` is exactly [`Role::arn`], compared in place (services ask on every
    /// request that passes a role; building the ARN to compare cost an allocation each time).
    pub fn is_arn(&self, arn: &str) -> bool {
        let rest = arn.strip_prefix("arn:aws:iam::");
        let rest = rest.and_then(|r| r.strip_prefix(self.account.as_str()));
        let rest = rest.and_then(|r| r.strip_prefix(":role"));
        let rest = rest.and_then(|r| r.strip_prefix(self.path.as_str()));
        rest == Some(self.name.as_str())
    }
}

/// One version of a customer managed policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyVersion {
    /// `v1`, `v2`, ….
    pub id: String,
    /// The document.
    pub doc: Doc,
    /// Creation time, seconds since the epoch.
    pub created: f64,
}

/// A customer managed policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// Owning account.
    pub account: String,
    /// The policy name.
    pub name: String,
    /// The path.
    pub path: String,
    /// `ANPA…`.
    pub id: String,
    /// The description.
    pub description: Option<String>,
    /// Creation time.
    pub created: f64,
    /// Last time a version was created or the default changed.
    pub updated: f64,
    /// Tags.
    pub tags: Tags,
    /// Versions, oldest first (at most five).
    pub versions: Vec<PolicyVersion>,
    /// The default version's ID.
    pub default_version: String,
    /// The number the next version gets.
    pub next_version: u32,
}

impl ManagedPolicy {
    /// `arn:aws:iam::ACCOUNT:policy/PATH/NAME`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:iam::{}:policy{}{}",
            self.account, self.path, self.name
        )
    }

    /// The default version.
    pub fn default(&self) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.id == self.default_version)
    }
}

/// Temporary credentials issued by STS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// `ASIA…`.
    pub access_key_id: String,
    /// The secret.
    pub secret: String,
    /// The session token the caller must send.
    pub token: String,
    /// Who the credentials act as (session facts inside).
    pub principal: Principal,
    /// Expiry, seconds since the epoch.
    pub expires_at: f64,
    /// Session policy documents, compiled.
    pub policies: Vec<Doc>,
    /// `aws:FederatedProvider`: the OIDC provider ARN of an AssumeRoleWithWebIdentity session.
    #[serde(default)]
    pub federated_provider: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::AccountRec;

    #[test]
    fn an_account_keeps_its_latest_deletion_tasks_and_reads_older_records_without_any() {
        let mut rec = AccountRec::new("000000000000", "k", "s", 1.0);
        for i in 0..AccountRec::DELETION_TASKS_KEPT + 5 {
            rec.add_deletion_task(format!("task/{i}"));
        }
        assert_eq!(rec.deletion_tasks.len(), AccountRec::DELETION_TASKS_KEPT);
        assert_eq!(rec.deletion_tasks[0], "task/5");
        let text = serde_json::to_string(&rec).unwrap();
        assert_eq!(serde_json::from_str::<AccountRec>(&text).unwrap(), rec);
        let older = r#"{"id":"000000000000","root_access_key":"k","root_secret_key":"s"}"#;
        let read: AccountRec = serde_json::from_str(older).unwrap();
        assert!(read.deletion_tasks.is_empty());
    }
}
