//! The resource ARNs the identity-provider and service-linked-role operations are authorized
//! on (Service Authorization Reference: `oidc-provider`, `saml-provider`, `role`).

use super::service_linked_roles;
use crate::api::input;
use crate::store::State;
use serde_json::Value;

/// The resource `op` touches, when it is one of these operations.
pub(crate) fn resource(account: &str, op: &str, input: &Value) -> Option<String> {
    match op {
        "CreateOpenIDConnectProvider" => {
            let url = input::opt(input, "Url").unwrap_or_default();
            let host = super::oidc::host_of(url).unwrap_or_else(|| url.to_string());
            Some(format!("arn:aws:iam::{account}:oidc-provider/{host}"))
        }
        "CreateSAMLProvider" => {
            let name = input::opt(input, "Name").unwrap_or_default();
            Some(format!("arn:aws:iam::{account}:saml-provider/{name}"))
        }
        "ListOpenIDConnectProviders" | "ListSAMLProviders" => Some("*".into()),
        "CreateServiceLinkedRole" => Some(service_linked_roles::requested_arn(account, input)),
        "GetServiceLinkedRoleDeletionStatus" => Some(
            input::opt(input, "DeletionTaskId")
                .and_then(|t| service_linked_roles::task_role_arn(account, t))
                .unwrap_or_else(|| "*".into()),
        ),
        _ => input::opt(input, "OpenIDConnectProviderArn")
            .or_else(|| input::opt(input, "SAMLProviderArn"))
            .map(str::to_string),
    }
}

/// Tags of the OIDC or SAML provider an ARN names (`aws:ResourceTag/…`).
pub(crate) fn tags(state: &State, account: &str, arn: &str) -> Option<Vec<(String, String)>> {
    let a = state.account(account)?;
    let prefix = format!("arn:aws:iam::{account}:");
    let rest = arn.strip_prefix(&prefix)?;
    if let Some(host) = rest.strip_prefix("oidc-provider/") {
        return a.oidc_providers.get(host).map(|p| p.tags.clone());
    }
    let name = rest.strip_prefix("saml-provider/")?;
    a.saml_providers.get(name).map(|p| p.tags.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_resources_of_the_service_authorization_reference() {
        let a = "111122223333";
        assert_eq!(
            resource(
                a,
                "CreateOpenIDConnectProvider",
                &json!({"Url": "https://token.actions.githubusercontent.com"})
            )
            .unwrap(),
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
        );
        assert_eq!(
            resource(a, "CreateServiceLinkedRole", &json!({"AWSServiceName": "ivs.amazonaws.com"})).unwrap(),
            "arn:aws:iam::111122223333:role/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3"
        );
        assert_eq!(
            resource(a, "GetServiceLinkedRoleDeletionStatus", &json!({"DeletionTaskId": "task/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3/abc"})).unwrap(),
            "arn:aws:iam::111122223333:role/aws-service-role/ivs.amazonaws.com/AWSServiceRoleForIVSRecordToS3"
        );
        assert_eq!(
            resource(
                a,
                "TagSAMLProvider",
                &json!({"SAMLProviderArn": "arn:aws:iam::111122223333:saml-provider/okta"})
            )
            .unwrap(),
            "arn:aws:iam::111122223333:saml-provider/okta"
        );
        assert_eq!(resource(a, "GetUser", &json!({})), None);
    }
}
