//! The `Principal` / `NotPrincipal` element of resource-based and trust policies.

use crate::document::{Policy, PolicyError};
use service::{Principal, PrincipalKind};

/// How specifically a policy names the requesting principal. The evaluator needs the
/// difference: AWS lets a same-account resource policy that names the user or session grant
/// on its own, while one naming the role (or the account) still goes through the identity side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PrincipalMatch {
    /// Not named.
    No,
    /// The principal's account (`"123456789012"` or `arn:aws:iam::123456789012:root`).
    Account,
    /// The role behind an assumed-role session, or the user behind a federated session.
    Source,
    /// `"*"`, or the principal itself (user ARN, session ARN).
    Exact,
}

/// A compiled `Principal` element.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PrincipalElement {
    /// `NotPrincipal` rather than `Principal`.
    not: bool,
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    any: bool,
    /// The bare string form, `"Principal": "*"`.
    star: bool,
    /// How many values it lists under all its kinds (`CanonicalUser` included).
    listed: usize,
    aws: Vec<String>,
    service: Vec<String>,
    federated: Vec<String>,
}

fn strings(v: &serde_json::Value) -> Option<Vec<String>> {
    match v {
        serde_json::Value::String(s) => Some(vec![s.clone()]),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

/// Whether an `AWS` principal value has a shape AWS accepts.
fn valid_aws_value(v: &str) -> bool {
    if v == "*" || service::is_account_id(v) {
        return true;
    }
    // Unique IDs stay in a policy after the named user or role is deleted.
    if (v.starts_with("AIDA") || v.starts_with("AROA"))
        && v.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return true;
    }
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    matches!(parts.as_slice(),
        ["arn", partition, "iam" | "sts", "", account, resource]
            if partition.starts_with("aws")
                && service::is_account_id(account)
                && !resource.is_empty()
                // Principals name exact identities: no wildcards inside an ARN.
                && !resource.contains(['*', '?']))
}

/// Whether an `AWS` principal value is an IAM ARN naming something that cannot be a principal:
/// only the account (`root`), a user or a role can. A group cannot ("You cannot identify a
/// user group as a principal in a policy", the IAM User Guide; AWS answers `Invalid principal
/// in policy: "AWS":"arn:aws:iam::111122223333:group/Developers"`), nor a SAML provider under
/// `AWS` (`Invalid principal in policy: "AWS":"arn:aws:iam::…:saml-provider/AuthTestProvider"`),
/// nor a policy or an instance profile. A check of new documents, not of parsing (see
/// [`Policy::check_new_principals`]).
pub(crate) fn names_no_principal(v: &str) -> bool {
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let ["arn", _, "iam", _, _, resource] = parts.as_slice() else {
        return false;
    };
    !(*resource == "root"
        || ["user/", "role/"]
            .iter()
            .any(|kind| resource.strip_prefix(kind).is_some_and(|n| !n.is_empty())))
}

/// Whether a `Federated` principal value has a shape IAM accepts in a new trust policy: a
/// SAML or OIDC provider's ARN, or a domain name (a web identity provider such as
/// `accounts.google.com` or `cognito-identity.amazonaws.com`). Anything else AWS refuses with
/// `Federated principals must be valid domain names or SAML metadata ARNs` (its answers to
/// CreateRole quoted with request IDs in terraform-aws-modules/terraform-aws-iam#202 and
/// terraform-aws-modules/terraform-aws-eks#2594). A check of new documents, not of parsing.
pub(crate) fn valid_federated_value(v: &str) -> bool {
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    if let ["arn", partition, "iam", "", account, resource] = parts.as_slice() {
        return matches!(*partition, "aws" | "aws-cn" | "aws-us-gov")
            && service::is_account_id(account)
            && ["saml-provider/", "oidc-provider/"]
                .iter()
                .any(|kind| resource.strip_prefix(kind).is_some_and(|n| !n.is_empty()));
    }
    v.len() <= 253
        && v.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Whether `v` can name an AWS service principal: a host name under one of AWS's service
/// domains (`ec2.amazonaws.com`, `logs.us-east-1.amazonaws.com`, `alexa-appkit.amazon.com`).
/// IAM refuses others, such as a bare `amazonaws.com` or `ec2` (AWS's answers users quote:
/// `Invalid principal in policy: "SERVICE":"amazonaws.com"`); which names under those domains
/// are services only AWS's own list says, so those are accepted.
fn valid_service_principal(v: &str) -> bool {
    [".amazonaws.com", ".amazonaws.com.cn", ".amazon.com"]
        .iter()
        .filter_map(|domain| v.strip_suffix(domain))
        .any(|host| {
            !host.is_empty()
                && host.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
        })
}

impl PrincipalElement {
    /// The values it lists under `kind` (`AWS`, `Service`, `Federated`).
    pub(crate) fn values(&self, kind: &str) -> &[String] {
        match kind {
            "AWS" => &self.aws,
            "Service" => &self.service,
            "Federated" => &self.federated,
            _ => &[],
        }
    }

    /// Compiles a `Principal` (`not` false) or `NotPrincipal` element.
    pub(crate) fn parse(v: &serde_json::Value, not: bool) -> Result<Self, PolicyError> {
        let mut e = PrincipalElement {
            not,
            ..Default::default()
        };
        match v {
            serde_json::Value::String(s) if s == "*" => {
                e.any = true;
                e.star = true;
            }
            serde_json::Value::Object(map) => {
                for (kind, values) in map {
                    let values = strings(values).ok_or_else(PolicyError::syntax)?;
                    e.listed += values.len();
                    match kind.as_str() {
                        "AWS" => {
                            for value in values {
                                if !valid_aws_value(&value) {
                                    return Err(PolicyError::new(format!(
                                        "Invalid principal in policy: \"AWS\":\"{value}\""
                                    )));
                                }
                                if value == "*" {
                                    e.any = true;
                                }
                                e.aws.push(value);
                            }
                        }
                        "Service" => {
                            if let Some(bad) = values.iter().find(|v| !valid_service_principal(v)) {
                                return Err(PolicyError::new(format!(
                                    "Invalid principal in policy: \"SERVICE\":\"{bad}\""
                                )));
                            }
                            e.service.extend(values)
                        }
                        "Federated" => e.federated.extend(values),
                        "CanonicalUser" => {}
                        other => {
                            return Err(PolicyError::new(format!(
                                "Invalid principal in policy: \"{other}\""
                            )))
                        }
                    }
                }
            }
            _ => {
                return Err(PolicyError::new(format!(
                    "Invalid principal in policy: {v}"
                )))
            }
        }
        Ok(e)
    }

    /// How this element names `p`, `NotPrincipal` applied. AWS: a `NotPrincipal` leaves a
    /// principal out only when it lists the principal (user, role or session) *and* its
    /// account; naming one without the other still covers the principal.
    pub(crate) fn matches(&self, p: &Principal) -> PrincipalMatch {
        if !self.not {
            return self.names(p);
        }
        let excluded = self.any
            || match (self.names(p), p.is_root()) {
                (PrincipalMatch::Exact, true) => true,
                (PrincipalMatch::Exact | PrincipalMatch::Source, false) => self.names_account(p),
                _ => false,
            };
        if excluded {
            PrincipalMatch::No
        } else {
            PrincipalMatch::Exact
        }
    }

    /// Whether this is `NotPrincipal`.
    pub(crate) fn is_not(&self) -> bool {
        self.not
    }

    /// Whether this is the bare string `"*"` (not `{"AWS": "*"}`).
    pub(crate) fn is_bare_star(&self) -> bool {
        self.star
    }

    /// Whether it names no principal at all: an object whose lists are all empty
    /// (`{"AWS": []}`, `{}`).
    pub(crate) fn names_nobody(&self) -> bool {
        !self.star && self.listed == 0
    }

    fn names_account(&self, p: &Principal) -> bool {
        let root_arn = format!("arn:aws:iam::{}:root", p.account);
        self.aws.iter().any(|v| *v == p.account || *v == root_arn)
    }

    fn names(&self, p: &Principal) -> PrincipalMatch {
        if self.any {
            return PrincipalMatch::Exact;
        }
        if p.kind == PrincipalKind::Anonymous {
            return PrincipalMatch::No;
        }
        // An identity a provider vouches for is named only as that provider.
        if p.is_federated_identity() {
            return if self.federated.contains(&p.arn) {
                PrincipalMatch::Exact
            } else {
                PrincipalMatch::No
            };
        }
        let root_arn = format!("arn:aws:iam::{}:root", p.account);
        let source = p.session.as_ref().map(|s| s.source_arn.as_str());
        // The unique-ID form of a role is `AROA…:session`; policies store the part before `:`.
        let unique = p
            .user_id
            .split(':')
            .next()
            .filter(|u| u.starts_with("AID") || u.starts_with("ARO"))
            .unwrap_or_default();
        let mut best = PrincipalMatch::No;
        for v in &self.aws {
            let m = if *v == p.arn {
                PrincipalMatch::Exact
            } else if Some(v.as_str()) == source || (!unique.is_empty() && *v == unique) {
                if p.kind == PrincipalKind::User {
                    PrincipalMatch::Exact
                } else {
                    PrincipalMatch::Source
                }
            } else if *v == p.account || *v == root_arn {
                if p.is_root() {
                    PrincipalMatch::Exact
                } else {
                    PrincipalMatch::Account
                }
            } else {
                PrincipalMatch::No
            };
            best = best.max(m);
        }
        best
    }

    /// Whether the element names service principal `service` (`ivs.amazonaws.com`).
    pub(crate) fn names_service(&self, service: &str) -> bool {
        let named = self.any || self.service.iter().any(|s| s == service);
        named != self.not
    }

    /// Whether the element names federated provider `provider`.
    pub(crate) fn names_federated(&self, provider: &str) -> bool {
        let named = self.any || self.federated.iter().any(|s| s == provider);
        named != self.not
    }
}

/// Whether a trust or resource policy's `Principal` elements let `principal` in: some
/// `Allow` statement names it and no unconditional `Deny` statement does. Actions and
/// conditions are not considered; for a full decision (AssumeRole with conditions, same- vs
/// cross-account rules) pass the policy as `PolicySet::resource` to [`crate::evaluate`].
pub fn principal_matches(policy: &Policy, principal: &Principal) -> bool {
    let named = |s: &crate::document::Statement| {
        s.principal
            .as_ref()
            .is_some_and(|p| p.matches(principal) != PrincipalMatch::No)
    };
    let allowed = policy.statements().iter().any(|s| s.allow && named(s));
    let denied = policy
        .statements()
        .iter()
        .any(|s| !s.allow && s.condition.is_empty() && named(s));
    allowed && !denied
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use service::SessionInfo;

    fn user() -> Principal {
        Principal {
            account: "111122223333".into(),
            arn: "arn:aws:iam::111122223333:user/alice".into(),
            kind: PrincipalKind::User,
            user_id: "AIDAALICE".into(),
            username: Some("alice".into()),
            access_key_id: "AKIA".into(),
            session: None,
        }
    }

    fn role_session() -> Principal {
        Principal {
            account: "111122223333".into(),
            arn: "arn:aws:sts::111122223333:assumed-role/r/s".into(),
            kind: PrincipalKind::AssumedRole,
            user_id: "AROAROLE:s".into(),
            username: None,
            access_key_id: "ASIA".into(),
            session: Some(SessionInfo {
                source_arn: "arn:aws:iam::111122223333:role/path/r".into(),
                session_name: "s".into(),
                ..Default::default()
            }),
        }
    }

    fn el(v: serde_json::Value, not: bool) -> PrincipalElement {
        PrincipalElement::parse(&v, not).expect("valid principal")
    }

    #[test]
    fn how_specifically_a_principal_is_named() {
        let u = user();
        assert_eq!(el(json!("*"), false).matches(&u), PrincipalMatch::Exact);
        assert_eq!(
            el(json!({"AWS": "*"}), false).matches(&u),
            PrincipalMatch::Exact
        );
        assert_eq!(
            el(json!({"AWS": u.arn.clone()}), false).matches(&u),
            PrincipalMatch::Exact
        );
        assert_eq!(
            el(json!({"AWS": "AIDAALICE"}), false).matches(&u),
            PrincipalMatch::Exact
        );
        assert_eq!(
            el(json!({"AWS": "111122223333"}), false).matches(&u),
            PrincipalMatch::Account
        );
        assert_eq!(
            el(json!({"AWS": ["arn:aws:iam::111122223333:root"]}), false).matches(&u),
            PrincipalMatch::Account
        );
        assert_eq!(
            el(json!({"AWS": "444455556666"}), false).matches(&u),
            PrincipalMatch::No
        );
        let r = role_session();
        assert_eq!(
            el(
                json!({"AWS": "arn:aws:iam::111122223333:role/path/r"}),
                false
            )
            .matches(&r),
            PrincipalMatch::Source
        );
        assert_eq!(
            el(json!({"AWS": "AROAROLE"}), false).matches(&r),
            PrincipalMatch::Source
        );
        assert_eq!(
            el(
                json!({"AWS": "arn:aws:sts::111122223333:assumed-role/r/s"}),
                false
            )
            .matches(&r),
            PrincipalMatch::Exact
        );
        assert_eq!(
            el(json!({"Service": "ivs.amazonaws.com"}), false).matches(&r),
            PrincipalMatch::No
        );
    }

    #[test]
    fn federated_user_sessions() {
        let f = Principal {
            account: "111122223333".into(),
            arn: "arn:aws:sts::111122223333:federated-user/bob".into(),
            kind: PrincipalKind::FederatedUser,
            user_id: "111122223333:bob".into(),
            username: None,
            access_key_id: "ASIA".into(),
            session: Some(SessionInfo {
                source_arn: "arn:aws:iam::111122223333:user/alice".into(),
                session_name: "bob".into(),
                ..Default::default()
            }),
        };
        assert_eq!(
            el(json!({"AWS": "111122223333"}), false).matches(&f),
            PrincipalMatch::Account
        );
        assert_eq!(
            el(
                json!({"AWS": "arn:aws:iam::111122223333:user/alice"}),
                false
            )
            .matches(&f),
            PrincipalMatch::Source
        );
        assert_eq!(
            el(
                json!({"AWS": "arn:aws:sts::111122223333:federated-user/bob"}),
                false
            )
            .matches(&f),
            PrincipalMatch::Exact
        );
    }

    #[test]
    fn not_principal_needs_entity_and_account() {
        let u = user();
        let only_user = el(json!({"AWS": u.arn.clone()}), true);
        assert_eq!(only_user.matches(&u), PrincipalMatch::Exact);
        let both = el(
            json!({"AWS": [u.arn.clone(), "arn:aws:iam::111122223333:root"]}),
            true,
        );
        assert_eq!(both.matches(&u), PrincipalMatch::No);
        assert_eq!(both.matches(&role_session()), PrincipalMatch::Exact);
    }

    #[test]
    fn only_the_account_users_roles_and_sessions_are_aws_principals() {
        // A check of new documents: a stored one naming such a principal is still read.
        let parse = |v: &str| {
            let doc = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": v}, "Action": "sts:AssumeRole"}]})
            .to_string();
            let policy = Policy::parse(&doc, crate::PolicyKind::Trust).map_err(|e| e.message)?;
            policy.check_new_principals().map_err(|e| e.message)
        };
        for ok in [
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/path/alice",
            "arn:aws:iam::111122223333:role/admin",
            "arn:aws:sts::111122223333:assumed-role/admin/s",
            "arn:aws:sts::111122223333:federated-user/bob",
            "111122223333",
            "*",
        ] {
            assert_eq!(parse(ok), Ok(()), "{ok}");
        }
        for bad in [
            "arn:aws:iam::111122223333:group/Developers",
            "arn:aws:iam::111122223333:saml-provider/AuthTestProvider",
            "arn:aws:iam::111122223333:oidc-provider/example.com",
            "arn:aws:iam::111122223333:policy/p",
            "arn:aws:iam::111122223333:instance-profile/p",
            "arn:aws:iam::111122223333:user/",
            "arn:aws:iam::111122223333:rootx",
        ] {
            assert_eq!(
                parse(bad),
                Err(format!("Invalid principal in policy: \"AWS\":\"{bad}\"")),
                "{bad}"
            );
        }
    }

    #[test]
    fn wildcard_arns_are_invalid_principals() {
        let e = PrincipalElement::parse(&json!({"AWS": "arn:aws:iam::111122223333:role/*"}), false);
        assert_eq!(
            e.map(|_| ()).map_err(|e| e.message),
            Err(
                "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:role/*\""
                    .to_string()
            )
        );
    }
}
