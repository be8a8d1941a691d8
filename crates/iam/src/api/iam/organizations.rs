//! Centralized root access (ListOrganizationsFeatures, Enable/DisableOrganizationsRoot…): these
//! act on the caller's AWS Organizations organization. mediamock emulates no organizations, so
//! every account is standalone and AWS's answer for a standalone account is the only one.

use service::ServiceError;

/// `OrganizationNotFoundException` (400), as AWS answers an account outside any organization.
pub(crate) fn not_in_organization() -> ServiceError {
    ServiceError::new(
        "OrganizationNotFoundException",
        "The request was rejected because no organization is associated with your account.",
    )
    .with_status(400)
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::accesses;
    use crate::api::test_support::{call, code_message, iam, root_ctx, user_ctx};
    use serde_json::json;

    #[test]
    fn a_standalone_account_has_no_organization_features_to_list_or_change() {
        let iam = iam();
        for op in [
            "ListOrganizationsFeatures",
            "EnableOrganizationsRootCredentialsManagement",
            "DisableOrganizationsRootCredentialsManagement",
            "EnableOrganizationsRootSessions",
            "DisableOrganizationsRootSessions",
        ] {
            let e = call(&iam, &root_ctx(), op, json!({})).unwrap_err();
            assert_eq!(
                code_message(&e),
                (
                    "OrganizationNotFoundException",
                    "The request was rejected because no organization is associated with your account."
                ),
                "{op}"
            );
            assert_eq!(e.status, Some(400));
        }
        // Authorized first, like every IAM action (on `*`).
        let ann = user_ctx(&iam, "ann");
        let svc = iam.iam_service();
        let a = accesses(&svc, &ann, "ListOrganizationsFeatures", &json!({})).unwrap();
        assert_eq!(a[0].action, "iam:ListOrganizationsFeatures");
        assert!(iam.authorize(&ann, &a).is_err());
    }
}
