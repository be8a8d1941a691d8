//! IAM and STS answers replayed after AWS's own documented examples: the AWS CLI's example
//! pages (aws/aws-cli awscli/examples/iam/*.rst, awscli/examples/sts/*.rst, each a command
//! and AWS's output) and botocore's examples with outputs
//! (botocore/data/iam/2010-05-08/examples-1.json), with the real SDK.

use crate::common;

use common::TestServer;

/// awscli/examples/iam/get-organizations-access-report.rst and botocore's
/// GetServiceLastAccessedDetails example ("Amazon Simple Storage Service", s3,
/// "TotalAuthenticatedEntities": 0): a service the entity may use but never attempted is
/// answered with its name, its namespace and TotalAuthenticatedEntities 0; the last-access
/// members stay out.
#[tokio::test]
async fn a_service_never_attempted_counts_zero_entities() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_user().user_name("sofia").send().await.unwrap();
    iam.attach_user_policy()
        .user_name("sofia")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let job = iam
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:user/sofia")
        .send()
        .await
        .unwrap();
    let out = iam
        .get_service_last_accessed_details()
        .job_id(job.job_id().unwrap())
        .max_items(2)
        .send()
        .await
        .unwrap();
    let services = out.services_last_accessed();
    assert_eq!(services.len(), 2);
    for s in services {
        assert_eq!(s.total_authenticated_entities(), Some(0), "{s:?}");
        assert!(s.last_authenticated().is_none());
        assert!(s.last_authenticated_entity().is_none());
        assert!(s.last_authenticated_region().is_none());
    }
}

/// awscli/examples/iam/create-login-profile.rst: "If the new password violates the account
/// password policy, the command returns a PasswordPolicyViolation error". With no password
/// policy set, AWS's default asks three of four kinds of character; an 8-character password
/// of lowercase letters and digits was answered (CreateLoginProfile through boto3, quoted in
/// a public script's notes) 'Password should meet 1 more of the following requirements:
/// Password should have at least one uppercase letter, Password should have at least one
/// symbol'.
#[tokio::test]
async fn a_password_short_of_the_default_policy_names_what_it_lacks() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.create_user().user_name("Bob").send().await.unwrap();
    let e = iam
        .create_login_profile()
        .user_name("Bob")
        .password("ab1cd2ef")
        .send()
        .await
        .unwrap_err();
    common::assert_error(
        &e,
        "PasswordPolicyViolation",
        "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol",
    );
    let e = iam
        .create_login_profile()
        .user_name("Bob")
        .password("short")
        .send()
        .await
        .unwrap_err();
    common::assert_error(
        &e,
        "PasswordPolicyViolation",
        "Password should have a minimum length of 8",
    );
    iam.create_login_profile()
        .user_name("Bob")
        .password("ab1cd2eF")
        .send()
        .await
        .unwrap();
}
