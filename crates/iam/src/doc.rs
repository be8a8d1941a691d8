//! A policy document kept both as the caller's JSON text and compiled once.

use policy::{Policy, PolicyKind};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Which grammar a stored document follows (serializable twin of [`PolicyKind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocKind {
    /// An identity-based policy (inline or managed).
    Identity,
    /// A role's trust policy.
    Trust,
    /// A session policy.
    Session,
    /// A resource-based policy.
    Resource,
    /// A permissions boundary.
    Boundary,
}

impl DocKind {
    fn policy_kind(self) -> PolicyKind {
        match self {
            DocKind::Identity => PolicyKind::Identity,
            DocKind::Trust => PolicyKind::Trust,
            DocKind::Session => PolicyKind::Session,
            DocKind::Resource => PolicyKind::Resource,
            DocKind::Boundary => PolicyKind::Boundary,
        }
    }
}

/// A stored policy document: the text as given and its compiled form.
#[derive(Clone, Serialize, Deserialize)]
#[serde(try_from = "DocRepr", into = "DocRepr")]
pub struct Doc {
    /// The grammar it was compiled with.
    pub kind: DocKind,
    /// The JSON text exactly as the caller sent it.
    pub text: Arc<str>,
    /// The compiled policy.
    pub compiled: Arc<Policy>,
}

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc").field("text", &self.text).finish()
    }
}

impl PartialEq for Doc {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.text == other.text
    }
}

impl Doc {
    /// Compiles `text`; the error is the `MalformedPolicyDocument` reason.
    pub fn parse(text: &str, kind: DocKind) -> Result<Doc, String> {
        Doc::compile(text, kind, Policy::parse)
    }

    /// Compiles a document IAM is given, held to the checks stored ones are not
    /// ([`Policy::parse_new`]).
    fn parse_given(text: &str, kind: DocKind) -> Result<Doc, String> {
        Doc::compile(text, kind, Policy::parse_new)
    }

    fn compile(
        text: &str,
        kind: DocKind,
        parse: fn(&str, policy::PolicyKind) -> Result<Policy, policy::PolicyError>,
    ) -> Result<Doc, String> {
        let compiled = parse(text, kind.policy_kind()).map_err(|e| e.message)?;
        Ok(Doc {
            kind,
            text: Arc::from(text),
            compiled: Arc::new(compiled),
        })
    }

    /// Compiles a new trust or resource policy's `text` (CreateRole, UpdateAssumeRolePolicy, a
    /// bootstrap role): as [`Doc::parse`], and its `AWS` principals must be ones IAM accepts
    /// in new documents (stored documents are not checked again).
    pub fn parse_new(text: &str, kind: DocKind) -> Result<Doc, String> {
        let doc = Doc::parse_given(text, kind)?;
        doc.compiled.check_new_principals().map_err(|e| e.message)?;
        if kind == DocKind::Trust {
            doc.compiled
                .check_new_trust_principals()
                .map_err(|e| e.message)?;
        }
        Ok(doc)
    }

    /// Compiles a new inline policy's `text` (Put…Policy): as [`Doc::parse`], and its
    /// `Sid`s must be as IAM accepts new ones (stored documents are not checked again).
    pub fn parse_inline(text: &str) -> Result<Doc, String> {
        let doc = Doc::parse_given(text, DocKind::Identity)?;
        doc.compiled.check_identity_sids().map_err(|e| e.message)?;
        Ok(doc)
    }

    /// Compiles a new managed policy's `text` (CreatePolicy, CreatePolicyVersion), which
    /// must also be `"Version": "2012-10-17"` and have `Sid`s as IAM accepts new ones; the
    /// error is the `MalformedPolicyDocument` reason.
    pub fn parse_managed(text: &str) -> Result<Doc, String> {
        let compiled = Policy::parse_managed(text).map_err(|e| e.message)?;
        compiled.check_identity_sids().map_err(|e| e.message)?;
        Ok(Doc {
            kind: DocKind::Identity,
            text: Arc::from(text),
            compiled: Arc::new(compiled),
        })
    }

    /// The document URL-encoded, as IAM's `policyDocumentType` members carry it.
    pub fn url_encoded(&self) -> String {
        url_encode(&self.text)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, as IAM does.
pub fn url_encode(text: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const SET: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    utf8_percent_encode(text, SET).to_string()
}

#[derive(Serialize, Deserialize)]
struct DocRepr {
    kind: DocKind,
    text: String,
}

impl TryFrom<DocRepr> for Doc {
    type Error = String;
    fn try_from(r: DocRepr) -> Result<Self, String> {
        Doc::parse(&r.text, r.kind)
    }
}

impl From<Doc> for DocRepr {
    fn from(d: Doc) -> Self {
        DocRepr {
            kind: d.kind,
            text: d.text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A group is no principal in a new trust policy, but a stored one naming it (accepted by
    /// an earlier build) still restores: a data directory must not stop the server starting.
    #[test]
    fn a_stored_document_is_read_as_it_was_accepted() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/Developers"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(
            Doc::parse_new(text, DocKind::Trust).unwrap_err(),
            r#"Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:group/Developers""#
        );
        let stored = serde_json::json!({"kind": "Trust", "text": text});
        let restored: Doc = serde_json::from_value(stored).expect("restored");
        assert_eq!(&*restored.text, text);
        let user = text.replace("group/Developers", "user/alice");
        assert!(Doc::parse_new(&user, DocKind::Trust).is_ok());
    }

    /// The bare `"*"`, a principal naming nobody and a malformed `Federated` value are refused
    /// in new trust policies only.
    #[test]
    fn a_stored_trust_policy_naming_star_or_nobody_still_restores() {
        for (principal, message) in [
            (r#""*""#, r#"AssumeRolepolicy contained an invalid principal: "STAR":"*"."#),
            (r#"{"AWS":[]}"#, "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"),
            (r#"{"Federated":"https://accounts.google.com"}"#, "Federated principals must be valid domain names or SAML metadata ARNs"),
        ] {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}]}}"#
            );
            assert_eq!(Doc::parse_new(&text, DocKind::Trust).unwrap_err(), message);
            let stored = serde_json::json!({"kind": "Trust", "text": text});
            let restored: Doc = serde_json::from_value(stored).expect("restored");
            assert_eq!(&*restored.text, text);
        }
    }

    /// A permissions policy's resource ARN as IAM answers CreatePolicy and Put…Policy (LocalStack's
    /// recorded test_create_policy_invalid_document[invalid-35, 36, 55, 56]), and a document
    /// that was stored before still restores.
    #[test]
    fn new_permissions_policies_have_resources_iam_accepts() {
        use crate::api::test_support::{call, iam, root_ctx};
        use serde_json::json;
        let (iam, root) = (iam(), root_ctx());
        call(&iam, &root, "CreateUser", json!({"UserName": "alice"})).unwrap();
        let with = |resource: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"{resource}"}}}}"#
            )
        };
        for (resource, message) in [
            ("arn:aws:iam:us-east-1::example_bucket", "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."),
            ("arn:aws:s3:us-east-1::example_bucket", "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."),
            ("arn:aws:iam:::example_bucket", "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."),
            ("arn:aws:s3::example_bucket", "The policy failed legacy parsing"),
            ("aws:s3:::example_bucket", "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"."),
        ] {
            let doc = with(resource);
            for (op, input) in [
                ("CreatePolicy", json!({"PolicyName": "p", "PolicyDocument": doc})),
                ("PutUserPolicy", json!({"UserName": "alice", "PolicyName": "p", "PolicyDocument": doc})),
            ] {
                let e = call(&iam, &root, op, input).unwrap_err();
                assert_eq!(
                    (e.code.as_str(), e.message.as_str()),
                    ("MalformedPolicyDocument", message),
                    "{op} {resource}"
                );
            }
            if !resource.starts_with("aws:") {
                let stored = serde_json::json!({"kind": "Identity", "text": doc});
                assert!(serde_json::from_value::<Doc>(stored).is_ok(), "{resource}");
            }
        }
        let ok = with("arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point");
        call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "p", "PolicyDocument": ok}),
        )
        .unwrap();
    }

    #[test]
    fn url_encoding_matches_iam() {
        assert_eq!(
            url_encode("{\"Version\": \"2012-10-17\"}"),
            "%7B%22Version%22%3A%20%222012-10-17%22%7D"
        );
    }
}
