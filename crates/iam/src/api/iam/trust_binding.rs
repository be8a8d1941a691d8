//! Binds the users and roles a trust policy names to their unique IDs when it is stored, and
//! refuses one that names a user or role that does not exist, as IAM does.

use crate::api::errors::malformed;
use crate::doc::Doc;
use crate::store::{State, TrustPolicy};
use service::ServiceError;

/// The `AWS` principal values of every statement.
fn aws_principals(doc: &Doc) -> Vec<String> {
    doc.compiled
        .principal_values("AWS")
        .map(str::to_string)
        .collect()
}

/// Whether the OIDC or SAML provider `arn` names is missing from an account mediamock
/// keeps (`false` for other values: web identity providers' names, other accounts).
fn missing_provider(state: &State, arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", _, "iam", "", account, resource] = parts.as_slice() else {
        return false;
    };
    let Some(a) = state.account(account) else {
        return false;
    };
    if let Some(host) = resource.strip_prefix("oidc-provider/") {
        !a.oidc_providers.contains_key(host)
    } else if let Some(name) = resource.strip_prefix("saml-provider/") {
        !a.saml_providers.contains_key(name)
    } else {
        false
    }
}

/// The unique ID of the user or role `arn` names, `Ok(None)` for principals mediamock cannot
/// check (accounts, sessions, other accounts than its own), `Err` for a missing user or role.
fn unique_id(state: &State, arn: &str) -> Result<Option<String>, ()> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, "iam", _, account, resource] = parts.as_slice() else {
        return Ok(None);
    };
    let Some(a) = state.account(account) else {
        return Ok(None);
    };
    let name = resource
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    if resource.starts_with("user/") {
        let u = a.users.get(&name).filter(|u| u.arn() == arn).ok_or(())?;
        Ok(Some(u.id.clone()))
    } else if resource.starts_with("role/") {
        let r = a.roles.get(&name).filter(|r| r.arn() == arn).ok_or(())?;
        Ok(Some(r.id.clone()))
    } else {
        Ok(None)
    }
}

/// The trust policy as IAM shows it, with principals deleted since it was stored as IDs.
pub(crate) fn shown(state: &State, trust: &TrustPolicy) -> String {
    trust.shown(|arn, id| unique_id(state, arn) == Ok(Some(id.to_string())))
}

/// The trust policy of a bootstrap role: the users and roles that exist by then are bound,
/// others (declared later in the file) are left to match by ARN.
pub(crate) fn bind_known(state: &State, doc: Doc) -> TrustPolicy {
    let bindings = aws_principals(&doc)
        .into_iter()
        .filter_map(|arn| Some((arn.clone(), unique_id(state, &arn).ok()??)))
        .collect();
    TrustPolicy::bound(doc, bindings)
}

/// The trust policy to store for `doc`, its named users and roles bound to their IDs.
pub(crate) fn bind(state: &State, doc: Doc) -> Result<TrustPolicy, ServiceError> {
    let mut bindings = Vec::new();
    for arn in aws_principals(&doc) {
        match unique_id(state, &arn) {
            Ok(Some(id)) => bindings.push((arn, id)),
            Ok(None) => {}
            Err(()) => {
                return Err(malformed(format!(
                    "Invalid principal in policy: \"AWS\":\"{arn}\""
                )))
            }
        }
    }
    // A federated principal must exist when the policy is stored, as an AWS one must (the
    // error a role for EKS service accounts gets when made before its OIDC provider).
    if let Some(arn) = doc
        .compiled
        .principal_values("Federated")
        .find(|arn| missing_provider(state, arn))
    {
        return Err(malformed(format!(
            "Invalid principal in policy: \"Federated\":\"{arn}\""
        )));
    }
    Ok(TrustPolicy::bound(doc, bindings))
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, iam, root_ctx};
    use serde_json::json;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    /// LocalStack's recorded test_iam_roles.snapshot.json test_update_assume_role_policy_errors:
    /// what UpdateAssumeRolePolicy answers a document that is no JSON, names an action STS
    /// does not have, or has a `Resource`; CreateRole answers alike.
    #[test]
    fn a_trust_policy_is_refused_as_iam_refuses_it() {
        let (iam, root) = (iam(), root_ctx());
        call(
            &iam,
            &root,
            "CreateRole",
            json!({"RoleName": "r", "AssumeRolePolicyDocument": TRUST}),
        )
        .unwrap();
        let invalid_action = TRUST.replace("sts:AssumeRole", "sts:InvalidAction");
        let resource = TRUST.replace(
            r#""Action":"sts:AssumeRole""#,
            r#""Action":"sts:AssumeRole","Resource":"arn:aws:s3:::example_bucket""#,
        );
        for (doc, message) in [
            ("not valid json", "This policy contains invalid Json"),
            (
                invalid_action.as_str(),
                "AssumeRole policy may only specify STS AssumeRole actions.",
            ),
            (resource.as_str(), "Has prohibited field Resource"),
        ] {
            let e = call(
                &iam,
                &root,
                "UpdateAssumeRolePolicy",
                json!({"RoleName": "r", "PolicyDocument": doc}),
            )
            .unwrap_err();
            assert_eq!(
                (e.code.as_str(), e.message.as_str()),
                ("MalformedPolicyDocument", message)
            );
            let e = call(
                &iam,
                &root,
                "CreateRole",
                json!({"RoleName": "r2", "AssumeRolePolicyDocument": doc}),
            )
            .unwrap_err();
            assert_eq!(e.message, message);
        }
    }
}
