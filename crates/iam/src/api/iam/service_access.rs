//! ListPoliciesGrantingServiceAccess: which of an identity's permissions policies may grant
//! each service named. As AWS documents it, only the identity policies count (not boundaries,
//! resource policies or trust policies), and a policy counts when one of its `Allow`
//! statements names an action of the service; a user's include its groups' policies.

use super::Call;
use crate::api::errors::invalid;
use crate::api::input;
use policy::SourceKind;
use serde_json::{json, Map, Value};
use service::ServiceError;

/// A policy as the answer lists it: managed by ARN, inline by its entity.
fn listed(kind: SourceKind, id: &str, name: Option<&str>) -> Option<Value> {
    let mut m = Map::new();
    match kind {
        SourceKind::AwsManaged | SourceKind::CustomerManaged => {
            m.insert("PolicyName".into(), json!(name.unwrap_or(id)));
            m.insert("PolicyType".into(), json!("MANAGED"));
            m.insert("PolicyArn".into(), json!(id));
        }
        SourceKind::User | SourceKind::Group | SourceKind::Role => {
            let name = name?;
            // Inline sources are named `ENTITY_POLICY`.
            let entity = id.strip_suffix(name)?.strip_suffix('_')?;
            let entity_type = match kind {
                SourceKind::User => "USER",
                SourceKind::Group => "GROUP",
                _ => "ROLE",
            };
            m.insert("PolicyName".into(), json!(name));
            m.insert("PolicyType".into(), json!("INLINE"));
            m.insert("EntityType".into(), json!(entity_type));
            m.insert("EntityName".into(), json!(entity));
        }
        _ => return None,
    }
    Some(Value::Object(m))
}

pub(crate) fn list(c: &Call, s: &mut crate::store::State) -> Result<Value, ServiceError> {
    let arn = input::req(c.input, "Arn")?;
    let namespaces = input::strings(c.input, "ServiceNamespaces");
    if namespaces.is_empty() || namespaces.len() > 200 {
        return Err(invalid(
            "ServiceNamespaces must name between 1 and 200 services.",
        ));
    }
    if let Some(bad) = namespaces.iter().find(|n| {
        n.is_empty()
            || n.len() > 64
            || !n
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    }) {
        return Err(invalid(format!("Invalid service namespace: {bad}")));
    }
    let resolved = super::simulate::principal_policies(c, s, arn)?;
    let answers: Vec<Value> = namespaces
        .iter()
        .map(|ns| {
            let policies: Vec<Value> = resolved
                .identity
                .iter()
                .filter(|(doc, _)| doc.compiled.allows_some_action_of(ns))
                .filter_map(|(_, src)| listed(src.kind, &src.id, src.name.as_deref()))
                .collect();
            json!({"ServiceNamespace": ns, "Policies": policies})
        })
        .collect();
    Ok(json!({"PoliciesGrantingServiceAccess": answers, "IsTruncated": false}))
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{accesses, call, code_message, iam, root_ctx, ACCOUNT};
    use serde_json::{json, Value};

    fn doc(effect: &str, action: &str) -> String {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]})
            .to_string()
    }

    #[test]
    fn a_users_own_and_group_policies_are_listed_per_service() {
        let iam = iam();
        let root = root_ctx();
        call(&iam, &root, "CreateUser", json!({"UserName": "ann"})).unwrap();
        call(&iam, &root, "CreateGroup", json!({"GroupName": "video"})).unwrap();
        call(
            &iam,
            &root,
            "AddUserToGroup",
            json!({"GroupName": "video", "UserName": "ann"}),
        )
        .unwrap();
        call(&iam, &root, "PutUserPolicy", json!({"UserName": "ann", "PolicyName": "own-ivs", "PolicyDocument": doc("Allow", "ivs:GetChannel")})).unwrap();
        call(&iam, &root, "PutUserPolicy", json!({"UserName": "ann", "PolicyName": "no-s3", "PolicyDocument": doc("Deny", "s3:*")})).unwrap();
        call(&iam, &root, "PutGroupPolicy", json!({"GroupName": "video", "PolicyName": "group-all", "PolicyDocument": doc("Allow", "mediaconvert:*")})).unwrap();
        call(&iam, &root, "AttachUserPolicy", json!({"UserName": "ann", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"})).unwrap();
        let out = call(&iam, &root, "ListPoliciesGrantingServiceAccess", json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/ann"), "ServiceNamespaces": ["ivs", "s3", "mediaconvert", "mediaconnect"]})).unwrap();
        let by_ns: Vec<(String, Vec<Value>)> = out["PoliciesGrantingServiceAccess"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["ServiceNamespace"].as_str().unwrap().to_string(),
                    e["Policies"].as_array().unwrap().clone(),
                )
            })
            .collect();
        assert_eq!(
            by_ns[0].1,
            [
                json!({"PolicyName": "own-ivs", "PolicyType": "INLINE", "EntityType": "USER", "EntityName": "ann"})
            ]
        );
        assert_eq!(
            by_ns[1].1,
            [
                json!({"PolicyName": "AmazonS3ReadOnlyAccess", "PolicyType": "MANAGED", "PolicyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"})
            ]
        );
        assert_eq!(
            by_ns[2].1,
            [
                json!({"PolicyName": "group-all", "PolicyType": "INLINE", "EntityType": "GROUP", "EntityName": "video"})
            ]
        );
        assert!(by_ns[3].1.is_empty());
        // A group's own policies only.
        let group = call(&iam, &root, "ListPoliciesGrantingServiceAccess", json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:group/video"), "ServiceNamespaces": ["ivs", "mediaconvert"]})).unwrap();
        assert_eq!(
            group["PoliciesGrantingServiceAccess"][0]["Policies"],
            json!([])
        );
        assert_eq!(
            group["PoliciesGrantingServiceAccess"][1]["Policies"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let e = call(&iam, &root, "ListPoliciesGrantingServiceAccess", json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:role/none"), "ServiceNamespaces": ["ivs"]})).unwrap_err();
        assert_eq!(
            code_message(&e),
            ("NoSuchEntity", "The role with name none cannot be found.")
        );
        let e = call(
            &iam,
            &root,
            "ListPoliciesGrantingServiceAccess",
            json!({"Arn": format!("arn:aws:iam::{ACCOUNT}:user/ann"), "ServiceNamespaces": []}),
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        // Authorized on the identity named.
        let svc = iam.iam_service();
        let arn = format!("arn:aws:iam::{ACCOUNT}:user/ann");
        let named = accesses(
            &svc,
            &root,
            "ListPoliciesGrantingServiceAccess",
            &json!({"Arn": arn, "ServiceNamespaces": ["ivs"]}),
        )
        .unwrap();
        assert_eq!(named[0].resource, arn);
    }

    #[test]
    fn the_token_version_shows_in_the_account_summary() {
        let iam = iam();
        let root = root_ctx();
        let version = || {
            call(&iam, &root, "GetAccountSummary", json!({})).unwrap()["SummaryMap"]
                ["GlobalEndpointTokenVersion"]
                .clone()
        };
        assert_eq!(version(), 1);
        call(
            &iam,
            &root,
            "SetSecurityTokenServicePreferences",
            json!({"GlobalEndpointTokenVersion": "v2Token"}),
        )
        .unwrap();
        assert_eq!(version(), 2);
        let e = call(
            &iam,
            &root,
            "SetSecurityTokenServicePreferences",
            json!({"GlobalEndpointTokenVersion": "v3Token"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "ValidationError");
        call(
            &iam,
            &root,
            "SetSecurityTokenServicePreferences",
            json!({"GlobalEndpointTokenVersion": "v1Token"}),
        )
        .unwrap();
        assert_eq!(version(), 1);
    }
}
