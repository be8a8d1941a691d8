//! IAM answers as AWS gives them, from LocalStack's snapshot tests recorded against real AWS
//! in 2026 that exist only on LocalStack's IAM migration branches (localstack/localstack
//! b04c14cef, #13889; tests/aws/services/iam/*.snapshot.json), replayed with the real SDK.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::Tag;
use common::TestServer;

const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;

fn tags(keys: &[&str]) -> Vec<Tag> {
    keys.iter()
        .map(|k| {
            Tag::builder()
                .key(*k)
                .value(format!("v-{k}"))
                .build()
                .unwrap()
        })
        .collect()
}

fn keys(tags: &[Tag]) -> Vec<&str> {
    tags.iter().map(|t| t.key()).collect()
}

/// test_iam_policies.py test_policy_tag_order 'create-with-case-sensitive-tags': CreatePolicy
/// answers its tags in the order the request gave them.
#[tokio::test]
async fn create_policy_answers_its_tags_in_the_order_given() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let out = iam
        .create_policy()
        .policy_name("p")
        .policy_document(DOC)
        .set_tags(Some(tags(&["abc", "b", "z", "a"])))
        .send()
        .await
        .unwrap();
    assert_eq!(keys(out.policy().unwrap().tags()), ["abc", "b", "z", "a"]);
}

/// test_iam_policies.py test_policy_tag_order 'list-tags': ListPolicyTags answers shorter keys
/// first (a, b, z, abc), and test_policy_tag_lifecycle 'list-case-sensitive-tags' A before a.
#[tokio::test]
async fn list_policy_tags_answers_shorter_keys_first() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let out = iam
        .create_policy()
        .policy_name("p")
        .policy_document(DOC)
        .set_tags(Some(tags(&["abc", "b", "z", "a", "A"])))
        .send()
        .await
        .unwrap();
    let arn = out.policy().unwrap().arn().unwrap();
    let listed = iam.list_policy_tags().policy_arn(arn).send().await.unwrap();
    assert_eq!(keys(listed.tags()), ["A", "a", "b", "z", "abc"]);
}

/// test_iam_mfa `test_virtual_mfa_device_errors`: a path failing its pattern is worded by
/// IAM itself; test_iam_credential_report `get-credential-report-without-generate-error`:
/// ReportNotPresent is answered 410 without a message.
#[tokio::test]
async fn path_and_credential_report_errors_in_aws_words() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    for path in ["invalid-path/", "/x"] {
        let e = iam
            .create_virtual_mfa_device()
            .virtual_mfa_device_name("d")
            .path(path)
            .send()
            .await
            .unwrap_err();
        common::assert_error(&e, "ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
    }
    let e = iam.get_credential_report().send().await.unwrap_err();
    assert_eq!(e.code(), Some("ReportNotPresent"), "{e:?}");
    assert_eq!(e.message(), None, "{e:?}");
    assert_eq!(e.raw_response().map(|r| r.status().as_u16()), Some(410));
}
