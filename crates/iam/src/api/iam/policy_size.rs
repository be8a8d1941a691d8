//! IAM's size quotas on policy documents, counted as AWS counts them: characters other than
//! white space.

use super::owner::Owner;
use crate::api::errors::quota;
use crate::doc::Doc;
use service::ServiceError;
use std::collections::BTreeMap;

/// A managed policy (each version).
pub(crate) const MANAGED: usize = 6_144;
/// A role's trust policy.
pub(crate) const TRUST: usize = 2_048;

/// The size IAM charges a document: its characters, white space left out.
pub(crate) fn size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// `LimitExceeded` for a managed policy document above 6,144 characters.
pub(crate) fn check_managed(doc: &Doc) -> Result<(), ServiceError> {
    if size(&doc.text) > MANAGED {
        return Err(quota("PolicySize", MANAGED));
    }
    Ok(())
}

/// `LimitExceeded` for a trust policy above 2,048 characters.
pub(crate) fn check_trust(doc: &Doc) -> Result<(), ServiceError> {
    if size(&doc.text) > TRUST {
        return Err(quota("ACLSizePerRole", TRUST));
    }
    Ok(())
}

/// The aggregate quota of an entity's inline policies.
fn inline_quota(owner: Owner) -> usize {
    match owner {
        Owner::User => 2_048,
        Owner::Group => 5_120,
        Owner::Role => 10_240,
    }
}

/// `LimitExceeded` `Cannot exceed quota for PolicySize: 10240` for a role's inline document
/// that is by itself above the role's quota, checked before the aggregate: Terraform's
/// aws_iam_role_policy acceptance test, run against AWS, puts one document of 10,241
/// characters on a new role and expects that answer (and takes 10,240). For users AWS answers
/// a single oversized document with the aggregate wording (`aws iam put-user-policy` on a new
/// user, quoted by users), so users and groups are left to [`check_inline`].
pub(crate) fn check_inline_document(owner: Owner, doc: &Doc) -> Result<(), ServiceError> {
    let limit = inline_quota(owner);
    if owner == Owner::Role && size(&doc.text) > limit {
        return Err(quota("PolicySize", limit));
    }
    Ok(())
}

/// `LimitExceeded` when the inline policies of `entity`, all together, are above its quota.
pub(crate) fn check_inline(
    owner: Owner,
    entity: &str,
    inline: &BTreeMap<String, Doc>,
) -> Result<(), ServiceError> {
    let limit = inline_quota(owner);
    let total: usize = inline.values().map(|d| size(&d.text)).sum();
    if total > limit {
        return Err(ServiceError::new(
            "LimitExceeded",
            format!(
                "Maximum policy size of {limit} bytes exceeded for {} {entity}",
                owner.word()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocKind;

    /// An identity policy of exactly `n` non-white-space characters, padded with spaces.
    pub(crate) fn doc_of_size(n: usize) -> String {
        let head = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"arn:aws:ivs:*:*:channel/"#;
        let tail = r#""}]}"#;
        let pad = n - head.len() - tail.len();
        format!("{head}{}{tail}   \n\t", "a".repeat(pad))
    }

    #[test]
    fn white_space_is_not_counted() {
        assert_eq!(size(" {\n\t\"a\" : 1 } "), 7);
        let at = Doc::parse(&doc_of_size(MANAGED), DocKind::Identity).unwrap();
        assert_eq!(size(&at.text), MANAGED);
        check_managed(&at).unwrap();
        let over = Doc::parse(&doc_of_size(MANAGED + 1), DocKind::Identity).unwrap();
        let e = check_managed(&over).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144")
        );
    }

    #[test]
    fn inline_quotas_are_per_entity_kind_and_aggregate() {
        let half = Doc::parse(&doc_of_size(1_100), DocKind::Identity).unwrap();
        let mut inline = BTreeMap::new();
        inline.insert("a".to_string(), half.clone());
        check_inline(Owner::User, "bob", &inline).unwrap();
        inline.insert("b".to_string(), half);
        let e = check_inline(Owner::User, "bob", &inline).unwrap_err();
        assert_eq!(
            e.message,
            "Maximum policy size of 2048 bytes exceeded for user bob"
        );
        check_inline(Owner::Group, "g", &inline).unwrap();
        check_inline(Owner::Role, "r", &inline).unwrap();
    }

    #[test]
    fn a_single_role_document_above_the_quota_is_refused_as_policy_size() {
        let at = Doc::parse(&doc_of_size(10_240), DocKind::Identity).unwrap();
        check_inline_document(Owner::Role, &at).unwrap();
        let over = Doc::parse(&doc_of_size(10_241), DocKind::Identity).unwrap();
        let e = check_inline_document(Owner::Role, &over).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("LimitExceeded", "Cannot exceed quota for PolicySize: 10240")
        );
        // Documents that only together pass the quota keep the aggregate wording.
        let half = Doc::parse(&doc_of_size(6_000), DocKind::Identity).unwrap();
        check_inline_document(Owner::Role, &half).unwrap();
        let two = BTreeMap::from([("a".to_string(), half.clone()), ("b".to_string(), half)]);
        let e = check_inline(Owner::Role, "r", &two).unwrap_err();
        assert_eq!(
            e.message,
            "Maximum policy size of 10240 bytes exceeded for role r"
        );
        // A user's single oversized document is left to the aggregate wording.
        let user = Doc::parse(&doc_of_size(2_049), DocKind::Identity).unwrap();
        check_inline_document(Owner::User, &user).unwrap();
    }
}
