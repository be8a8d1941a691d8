//! SimulatePrincipalPolicy's `PolicyExclusionList`: policies left out of a simulation "to test
//! what the simulation result would be if a policy were removed", by type, by managed
//! policy ARN, or by an inline policy's name and the entity it is attached to.

use crate::api::errors::invalid;
use crate::resolve::Resolved;
use policy::{wildcard_matches, PolicySource, SourceKind};
use serde_json::Value;
use service::ServiceError;

/// One `PolicyIdentifier`, checked.
#[derive(Debug, PartialEq)]
enum Exclusion {
    /// Every policy of a type (`inline`, `aws-managed`, `user-managed`,
    /// `permission-boundary`; `scp` and `rcp`, which no standalone account has, match none).
    Type(String),
    /// Managed policies whose ARN matches (wildcards in the resource name).
    Arn(String),
    /// Inline policies of this name on the entities of this kind whose names match.
    Inline {
        policy: String,
        kind: SourceKind,
        entity: String,
    },
}

/// Whether a wildcard pattern has at most one `*` ("use at most one `*` … and any number of
/// `?`").
fn one_star_at_most(pattern: &str) -> bool {
    pattern.matches('*').count() <= 1
}

/// Reads `PolicyExclusionList`; a malformed identifier is `InvalidInput`, as the model says
/// ("Syntactically invalid identifiers, such as malformed ARNs or wildcards in disallowed
/// positions, cause the request to fail").
fn read(input: &Value) -> Result<Vec<Exclusion>, ServiceError> {
    let Some(list) = input.get("PolicyExclusionList").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    list.iter().map(identifier).collect()
}

fn identifier(id: &Value) -> Result<Exclusion, ServiceError> {
    let bad = |what: &str| {
        invalid(format!(
            "Invalid policy identifier in PolicyExclusionList: {what}"
        ))
    };
    let members = ["PolicyType", "PolicyArn", "InlinePolicyIdentifier"];
    let set: Vec<&str> = members
        .into_iter()
        .filter(|m| id.get(*m).is_some_and(|v| !v.is_null()))
        .collect();
    match set[..] {
        ["PolicyType"] => Ok(Exclusion::Type(
            id["PolicyType"].as_str().unwrap_or_default().to_string(),
        )),
        ["PolicyArn"] => {
            let arn = id["PolicyArn"].as_str().unwrap_or_default();
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            // Wildcards only in the resource name, after `policy/` (the account is `aws` or
            // 12 digits, so it has none).
            let well_formed = parts.len() == 6
                && parts[0] == "arn"
                && !parts[1].contains(['*', '?'])
                && parts[2] == "iam"
                && parts[3].is_empty()
                && (parts[4] == "aws"
                    || (parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit())))
                && parts[5].len() > "policy/".len()
                && parts[5].starts_with("policy/");
            if !well_formed || !one_star_at_most(arn) {
                return Err(bad(arn));
            }
            Ok(Exclusion::Arn(arn.to_string()))
        }
        ["InlinePolicyIdentifier"] => {
            let i = &id["InlinePolicyIdentifier"];
            let field = |m: &str| i.get(m).and_then(Value::as_str).unwrap_or_default();
            let kind = match field("AttachmentType") {
                "user" => SourceKind::User,
                "group" => SourceKind::Group,
                "role" => SourceKind::Role,
                other => return Err(bad(other)),
            };
            let entity = field("AttachmentName");
            if entity.is_empty() || !one_star_at_most(entity) {
                return Err(bad(entity));
            }
            Ok(Exclusion::Inline {
                policy: field("PolicyName").to_string(),
                kind,
                entity: entity.to_string(),
            })
        }
        _ => Err(bad(
            "specify exactly one of PolicyType, PolicyArn or InlinePolicyIdentifier",
        )),
    }
}

impl Exclusion {
    /// Whether it leaves out the identity-based policy `source`.
    fn identity(&self, source: &PolicySource) -> bool {
        let inline = matches!(
            source.kind,
            SourceKind::User | SourceKind::Group | SourceKind::Role
        );
        match self {
            Exclusion::Type(t) => match t.as_str() {
                "inline" => inline,
                "aws-managed" => source.kind == SourceKind::AwsManaged,
                "user-managed" => source.kind == SourceKind::CustomerManaged,
                _ => false,
            },
            Exclusion::Arn(pattern) => {
                matches!(
                    source.kind,
                    SourceKind::AwsManaged | SourceKind::CustomerManaged
                ) && wildcard_matches(pattern, &source.id)
            }
            Exclusion::Inline {
                policy,
                kind,
                entity,
            } => {
                // An inline policy's source is `ENTITY_POLICY`, named `POLICY`.
                let name = source.name.as_deref().unwrap_or_default();
                let owner = source
                    .id
                    .strip_suffix(name)
                    .and_then(|o| o.strip_suffix('_'))
                    .unwrap_or_default();
                source.kind == *kind && name == policy && wildcard_matches(entity, owner)
            }
        }
    }

    /// Whether it leaves out the permissions boundary.
    fn boundary(&self) -> bool {
        matches!(self, Exclusion::Type(t) if t == "permission-boundary")
    }
}

/// Leaves out of `resolved` what the request's `PolicyExclusionList` names; identifiers that
/// match nothing are ignored.
pub(crate) fn apply(input: &Value, resolved: &mut Resolved) -> Result<(), ServiceError> {
    let exclusions = read(input)?;
    if exclusions.is_empty() {
        return Ok(());
    }
    resolved
        .identity
        .retain(|(_, source)| !exclusions.iter().any(|e| e.identity(source)));
    if exclusions.iter().any(Exclusion::boundary) {
        resolved.boundary = None;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn src(kind: SourceKind, id: &str, name: Option<&str>) -> PolicySource {
        PolicySource {
            kind,
            id: id.into(),
            name: name.map(Into::into),
        }
    }

    #[test]
    fn identifiers_are_checked() {
        let one = |id: Value| read(&json!({ "PolicyExclusionList": [id] }));
        assert!(one(json!({"PolicyType": "inline"})).is_ok());
        assert!(one(json!({"PolicyArn": "arn:aws:iam::aws:policy/Amazon*ReadOnly?"})).is_ok());
        for bad in [
            json!({"PolicyArn": "arn:aws:iam::*:policy/x"}),
            json!({"PolicyArn": "arn:aws:iam::000000000000:policy/a*b*"}),
            json!({"PolicyArn": "arn:aws:s3:::bucket"}),
            json!({"InlinePolicyIdentifier": {"PolicyName": "p", "AttachmentType": "user", "AttachmentName": "*a*"}}),
            json!({"PolicyType": "inline", "PolicyArn": "arn:aws:iam::aws:policy/x"}),
            json!({}),
        ] {
            let e = one(bad.clone()).unwrap_err();
            assert_eq!(e.code, "InvalidInput", "{bad}");
        }
    }

    #[test]
    fn exclusions_match_by_type_arn_and_inline_identifier() {
        let inline = src(SourceKind::User, "bob_ivs", Some("ivs"));
        let group = src(SourceKind::Group, "devs_ivs", Some("ivs"));
        let aws = src(
            SourceKind::AwsManaged,
            "arn:aws:iam::aws:policy/IVSReadOnlyAccess",
            Some("IVSReadOnlyAccess"),
        );
        let mine = src(
            SourceKind::CustomerManaged,
            "arn:aws:iam::000000000000:policy/team/media",
            Some("media"),
        );
        let t = |k: &str| Exclusion::Type(k.into());
        assert!(t("inline").identity(&inline) && t("inline").identity(&group));
        assert!(!t("inline").identity(&aws));
        assert!(t("aws-managed").identity(&aws) && !t("aws-managed").identity(&mine));
        assert!(t("user-managed").identity(&mine));
        assert!(!t("scp").identity(&mine) && t("permission-boundary").boundary());
        let arn = Exclusion::Arn("arn:aws:iam::000000000000:policy/team/*".into());
        assert!(arn.identity(&mine) && !arn.identity(&aws) && !arn.identity(&inline));
        let by_name = |kind, entity: &str| Exclusion::Inline {
            policy: "ivs".into(),
            kind,
            entity: entity.into(),
        };
        assert!(by_name(SourceKind::User, "b?b").identity(&inline));
        assert!(!by_name(SourceKind::User, "b?b").identity(&group));
        assert!(by_name(SourceKind::Group, "dev*").identity(&group));
        assert!(!by_name(SourceKind::User, "alice").identity(&inline));
    }
}
