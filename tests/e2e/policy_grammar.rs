//! The IAM policy grammar as AWS checks a document it is given, with the real SDK: the
//! `MalformedPolicyDocument` answers and the documents AWS accepts, from LocalStack's snapshot
//! tests recorded against AWS (localstack/localstack
//! tests/aws/services/iam/test_iam_policies.snapshot.json
//! test_create_policy_invalid_document / test_create_policy_valid_document, and
//! test_iam_roles.snapshot.json test_update_assume_role_policy_errors).

use crate::common;

use common::{assert_error, TestServer};

/// A permissions policy allowing `s3:ListBucket` on `resource`.
fn on(resource: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"{resource}"}}}}"#
    )
}

/// invalid-24, 35, 36, 55, 56 and valid-50: resource ARNs as IAM reads them.
#[tokio::test]
async fn create_policy_checks_resource_arns_as_iam_does() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    for (resource, message) in [
        ("arn:aws:iam:us-east-1::example_bucket", "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information."),
        ("arn:aws:s3:us-east-1::example_bucket", "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information."),
        ("arn:aws:iam:::example_bucket", "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."),
        ("arn:aws:s3::example_bucket", "The policy failed legacy parsing"),
        ("aws:s3:::example_bucket", "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"."),
    ] {
        let e = iam
            .create_policy()
            .policy_name("p")
            .policy_document(on(resource))
            .send()
            .await
            .unwrap_err();
        assert_error(&e, "MalformedPolicyDocument", message);
    }
    iam.create_policy()
        .policy_name("p")
        .policy_document(on(
            "arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point",
        ))
        .send()
        .await
        .unwrap();
}

/// valid-18, 32..35: a condition key without a vendor prefix is accepted.
#[tokio::test]
async fn a_condition_key_needs_no_vendor_prefix() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{"StringEqualsIfExists":{"a":"asf"}}}}"#;
    iam.create_policy()
        .policy_name("p")
        .policy_document(doc)
        .send()
        .await
        .unwrap();
}

/// test_iam_roles.py test_update_assume_role_policy_errors: no JSON, an action STS does not
/// have, a `Resource` in a trust policy.
#[tokio::test]
async fn update_assume_role_policy_refuses_as_iam_does() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let invalid_action = trust.replace("sts:AssumeRole", "sts:InvalidAction");
    let resource = trust.replace(
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
        let e = iam
            .update_assume_role_policy()
            .role_name("r")
            .policy_document(doc)
            .send()
            .await
            .unwrap_err();
        assert_error(&e, "MalformedPolicyDocument", message);
    }
}

/// valid-30, 36, 37 and invalid-72..75: a `Date*` condition's value is read as IAM's
/// parser reads it (lenient ISO 8601, or 64-bit epoch seconds); what it cannot read fails
/// legacy parsing.
#[tokio::test]
async fn condition_dates_are_read_as_iam_reads_them() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let doc = |op: &str, date: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket","Condition":{{"{op}":{{"a":"{date}"}}}}}}}}"#
        )
    };
    for (i, (op, date)) in [
        ("DateGreaterThan", "01T"),
        ("DateLessThanEquals", "2016-12-13t2:00:00.593194+23"),
        ("DateLessThan", "-292275054"),
    ]
    .into_iter()
    .enumerate()
    {
        iam.create_policy()
            .policy_name(format!("ok{i}"))
            .policy_document(doc(op, date))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{date}: {e:?}"));
    }
    for (op, date) in [
        ("DateLessThanEquals", "234-13"),
        ("DateLessThanEquals", "2016-12-13t2:00:00.593194+1"),
        ("DateLessThanEquals", "2016-12-13t2:00:00.1999999999+10:59"),
        ("DateLessThan", "9223372036854775808"),
    ] {
        let e = iam
            .create_policy()
            .policy_name("bad")
            .policy_document(doc(op, date))
            .send()
            .await
            .unwrap_err();
        assert_error(
            &e,
            "MalformedPolicyDocument",
            "The policy failed legacy parsing",
        );
    }
}
