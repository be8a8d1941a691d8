use serde::{Deserialize, Serialize};

/// What kind of identity signed the request (`aws:PrincipalType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrincipalKind {
    /// The account's root user.
    Account,
    /// An IAM user.
    User,
    /// A role session from AssumeRole*.
    AssumedRole,
    /// A GetFederationToken session.
    FederatedUser,
    /// No credentials at all.
    Anonymous,
    /// The identity an OIDC token vouches for (AssumeRoleWithWebIdentity); its ARN is the
    /// provider's, as a trust policy's `Federated` principal names it.
    WebIdentity,
    /// The identity a SAML assertion vouches for (AssumeRoleWithSAML); ARN as above.
    SamlUser,
}

impl PrincipalKind {
    /// The value of `aws:PrincipalType` (for web identity and SAML callers, the type CloudTrail
    /// gives them; AWS documents no `aws:PrincipalType` value for those).
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Account => "Account",
            PrincipalKind::User => "User",
            PrincipalKind::AssumedRole => "AssumedRole",
            PrincipalKind::FederatedUser => "FederatedUser",
            PrincipalKind::Anonymous => "Anonymous",
            PrincipalKind::WebIdentity => "WebIdentityUser",
            PrincipalKind::SamlUser => "SAMLUser",
        }
    }
}

/// Facts about a temporary-credential session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SessionInfo {
    /// ARN of the role (assumed-role sessions) or of the user that asked for the session.
    pub source_arn: String,
    /// The session name (role sessions) or federated user name.
    pub session_name: String,
    /// When the session was issued, seconds since the epoch.
    pub issued_at: f64,
    /// When the credentials expire, seconds since the epoch.
    pub expires_at: f64,
    /// Whether MFA was used to obtain the session.
    pub mfa_present: bool,
    /// Session policies (JSON documents) that further limit the session.
    pub policies: Vec<String>,
    /// Managed policy ARNs passed as session policies.
    pub policy_arns: Vec<String>,
    /// Session tags (`aws:PrincipalTag/…`).
    pub tags: Vec<(String, String)>,
    /// Session tag keys that pass on to chained sessions.
    pub transitive_tag_keys: Vec<String>,
    /// The source identity, when one was set.
    pub source_identity: Option<String>,
    /// Issued by the console's password sign-in: like AWS's console sessions it acts as the
    /// user itself (IAM accepts it, where it refuses GetSessionToken credentials without MFA).
    #[serde(default)]
    pub console: bool,
}

/// The identity a verified request acts as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Principal {
    /// The account the principal belongs to.
    pub account: String,
    /// Its ARN (`arn:aws:iam::ACCOUNT:root`, `…:user/NAME`, `arn:aws:sts::ACCOUNT:assumed-role/R/S`).
    pub arn: String,
    /// What kind of identity it is.
    pub kind: PrincipalKind,
    /// `aws:userid`: the account ID, the user's `AIDA…` ID, or `AROA…:session`.
    pub user_id: String,
    /// `aws:username` for IAM users.
    pub username: Option<String>,
    /// The access key that signed the request.
    pub access_key_id: String,
    /// Session facts for temporary credentials.
    pub session: Option<SessionInfo>,
}

/// The one principal of every unsigned request (see [`Principal::anonymous`]).
static ANONYMOUS: std::sync::LazyLock<std::sync::Arc<Principal>> = std::sync::LazyLock::new(|| {
    std::sync::Arc::new(Principal {
        account: String::new(),
        arn: "anonymous".into(),
        kind: PrincipalKind::Anonymous,
        user_id: "anonymous".into(),
        username: None,
        access_key_id: String::new(),
        session: None,
    })
});

impl Principal {
    /// The principal of an unsigned request: one value shared by all of them, so that what is
    /// derived from it (its policies, its base context keys) can be kept like a signer's.
    pub fn anonymous() -> std::sync::Arc<Principal> {
        ANONYMOUS.clone()
    }

    /// Whether `p` is the shared principal [`Principal::anonymous`] hands out.
    pub fn is_shared_anonymous(p: &std::sync::Arc<Principal>) -> bool {
        std::sync::Arc::ptr_eq(p, &ANONYMOUS)
    }

    /// The root user of `account`, signing with `access_key_id`.
    pub fn root(account: &str, access_key_id: &str) -> Self {
        Principal {
            account: account.to_string(),
            arn: format!("arn:aws:iam::{account}:root"),
            kind: PrincipalKind::Account,
            user_id: account.to_string(),
            username: None,
            access_key_id: access_key_id.to_string(),
            session: None,
        }
    }

    /// Whether an identity provider vouches for this principal (web identity or SAML).
    pub fn is_federated_identity(&self) -> bool {
        matches!(
            self.kind,
            PrincipalKind::WebIdentity | PrincipalKind::SamlUser
        )
    }

    /// Whether this is an account's root user.
    pub fn is_root(&self) -> bool {
        self.kind == PrincipalKind::Account
    }
}
