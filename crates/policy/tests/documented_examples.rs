//! Example policies from the IAM User Guide ("IAM identity-based policy examples"), each
//! with requests and the decision AWS documents for them.

use policy::{
    evaluate, Context, ContextValue, EvalDecision, Policy, PolicyKind, PolicySet, PolicySource,
    Principal, PrincipalKind, Request, SourceKind,
};

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;

fn alice() -> Principal {
    Principal {
        account: "111122223333".into(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        kind: PrincipalKind::User,
        user_id: "AIDAALICE".into(),
        username: Some("alice".into()),
        access_key_id: "AKIAALICE".into(),
        session: None,
    }
}

/// One request against an example: action, resource, context, expected decision.
struct Row {
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, ContextValue)>,
    expected: EvalDecision,
}

fn row(
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, ContextValue)>,
    expected: EvalDecision,
) -> Row {
    Row {
        action,
        resource,
        context,
        expected,
    }
}

fn s(v: &str) -> ContextValue {
    ContextValue::String(v.into())
}

/// Evaluates `rows` with `doc` attached to alice (plus AdministratorAccess-like `*` when
/// `with_admin`, for examples that only deny).
fn check(name: &str, doc: &str, with_admin: bool, rows: &[Row]) {
    let example = Policy::parse(doc, PolicyKind::Identity)
        .unwrap_or_else(|e| panic!("{name}: {}", e.message));
    let admin = Policy::parse(ADMIN, PolicyKind::Identity).expect("admin policy");
    let source = |id: &str| PolicySource {
        kind: SourceKind::CustomerManaged,
        id: id.into(),
        name: None,
    };
    let (example_source, admin_source) = (source(name), source("admin"));
    let mut identity = vec![(&example, &example_source)];
    if with_admin {
        identity.push((&admin, &admin_source));
    }
    let set = PolicySet {
        identity,
        ..Default::default()
    };
    let principal = alice();
    for (i, r) in rows.iter().enumerate() {
        let mut ctx = Context::new();
        ctx.set("aws:username", s("alice"));
        for (k, v) in &r.context {
            ctx.set(k, v.clone());
        }
        let d = evaluate(
            &set,
            &Request {
                principal: &principal,
                action: r.action,
                resource: r.resource,
                resource_account: None,
                context: &ctx,
            },
        );
        assert_eq!(
            d.decision, r.expected,
            "{name}, row {i}: {} on {}",
            r.action, r.resource
        );
    }
}

use EvalDecision::{Allowed, ExplicitDeny, ImplicitDeny};

#[test]
fn deny_outside_requested_regions() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllOutsideRequestedRegions","Effect":"Deny",
        "NotAction":["cloudfront:*","iam:*","organizations:*","route53:*","support:*"],"Resource":"*",
        "Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1","eu-west-2","eu-west-3"]}}}]}"#;
    check(
        "deny-requested-region",
        doc,
        true,
        &[
            row(
                "ivs:GetChannel",
                "*",
                vec![("aws:RequestedRegion", s("us-west-2"))],
                ExplicitDeny,
            ),
            row(
                "ivs:GetChannel",
                "*",
                vec![("aws:RequestedRegion", s("eu-west-1"))],
                Allowed,
            ),
            row(
                "iam:GetUser",
                "*",
                vec![("aws:RequestedRegion", s("us-east-1"))],
                Allowed,
            ),
        ],
    );
}

#[test]
fn allow_within_dates() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*",
        "Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},
                     "DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}}]}"#;
    check(
        "date-time",
        doc,
        false,
        &[
            row(
                "ivs:GetChannel",
                "*",
                vec![("aws:CurrentTime", s("2020-05-01T10:00:00Z"))],
                Allowed,
            ),
            row(
                "ivs:GetChannel",
                "*",
                vec![("aws:CurrentTime", s("2020-07-01T00:00:00Z"))],
                ImplicitDeny,
            ),
            row("ivs:GetChannel", "*", vec![], ImplicitDeny),
        ],
    );
}

#[test]
fn deny_by_source_ip() {
    let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*",
        "Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},
                     "Bool":{"aws:ViaAWSService":"false"}}}}"#;
    check(
        "source-ip",
        doc,
        true,
        &[
            row(
                "ivs:GetChannel",
                "*",
                vec![
                    ("aws:SourceIp", s("192.0.2.10")),
                    ("aws:ViaAWSService", ContextValue::Bool(false)),
                ],
                Allowed,
            ),
            row(
                "ivs:GetChannel",
                "*",
                vec![
                    ("aws:SourceIp", s("198.51.100.1")),
                    ("aws:ViaAWSService", ContextValue::Bool(false)),
                ],
                ExplicitDeny,
            ),
            row(
                "ivs:GetChannel",
                "*",
                vec![
                    ("aws:SourceIp", s("198.51.100.1")),
                    ("aws:ViaAWSService", ContextValue::Bool(true)),
                ],
                Allowed,
            ),
        ],
    );
}

#[test]
fn manage_own_access_keys() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ManageOwnAccessKeys","Effect":"Allow",
        "Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:GetAccessKeyLastUsed","iam:GetUser","iam:ListAccessKeys","iam:UpdateAccessKey"],
        "Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;
    check(
        "own-access-keys",
        doc,
        false,
        &[
            row(
                "iam:CreateAccessKey",
                "arn:aws:iam::111122223333:user/alice",
                vec![],
                Allowed,
            ),
            row(
                "iam:createaccesskey",
                "arn:aws:iam::111122223333:user/alice",
                vec![],
                Allowed,
            ),
            row(
                "iam:CreateAccessKey",
                "arn:aws:iam::111122223333:user/bob",
                vec![],
                ImplicitDeny,
            ),
            row(
                "iam:DeleteUser",
                "arn:aws:iam::111122223333:user/alice",
                vec![],
                ImplicitDeny,
            ),
        ],
    );
}

#[test]
fn deny_everything_but_mfa_setup_without_mfa() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"BlockMostAccessUnlessSignedInWithMFA","Effect":"Deny",
        "NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ListUsers",
                     "iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],
        "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
    check(
        "mfa",
        doc,
        true,
        &[
            // Long-term keys carry no MFA key at all: IfExists makes the deny apply.
            row("ivs:ListChannels", "*", vec![], ExplicitDeny),
            row(
                "ivs:ListChannels",
                "*",
                vec![("aws:MultiFactorAuthPresent", ContextValue::Bool(false))],
                ExplicitDeny,
            ),
            row(
                "ivs:ListChannels",
                "*",
                vec![("aws:MultiFactorAuthPresent", ContextValue::Bool(true))],
                Allowed,
            ),
            row("iam:EnableMFADevice", "*", vec![], Allowed),
        ],
    );
}

#[test]
fn s3_home_directory() {
    let doc = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"AllowListingOfUserFolder","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket",
         "Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},
        {"Sid":"AllowAllS3ActionsInUserFolder","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}]}"#;
    check(
        "s3-home",
        doc,
        false,
        &[
            row(
                "s3:ListBucket",
                "arn:aws:s3:::amzn-s3-demo-bucket",
                vec![("s3:prefix", s("home/alice/photos"))],
                Allowed,
            ),
            row(
                "s3:ListBucket",
                "arn:aws:s3:::amzn-s3-demo-bucket",
                vec![("s3:prefix", s("home/bob/"))],
                ImplicitDeny,
            ),
            row(
                "s3:ListBucket",
                "arn:aws:s3:::amzn-s3-demo-bucket",
                vec![("s3:prefix", s(""))],
                Allowed,
            ),
            row(
                "s3:GetObject",
                "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/a.txt",
                vec![],
                Allowed,
            ),
            row(
                "s3:GetObject",
                "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/a.txt",
                vec![],
                ImplicitDeny,
            ),
        ],
    );
}

#[test]
fn start_instances_tagged_with_own_name() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],
        "Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/Owner":"${aws:username}"}}},
        {"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}"#;
    let inst = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123";
    check(
        "ec2-owner-tag",
        doc,
        false,
        &[
            row(
                "ec2:StartInstances",
                inst,
                vec![("aws:ResourceTag/Owner", s("alice"))],
                Allowed,
            ),
            row(
                "ec2:StartInstances",
                inst,
                vec![("aws:resourcetag/owner", s("alice"))],
                Allowed,
            ),
            row(
                "ec2:StartInstances",
                inst,
                vec![("aws:ResourceTag/Owner", s("Alice"))],
                ImplicitDeny,
            ),
            row("ec2:StopInstances", inst, vec![], ImplicitDeny),
            row("ec2:DescribeInstances", "*", vec![], Allowed),
        ],
    );
}

#[test]
fn create_only_with_allowed_tag_keys() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ivs:CreateChannel","ivs:TagResource"],"Resource":"*",
        "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["Department","Owner"]},
                     "StringEqualsIfExists":{"aws:RequestTag/Department":["Media","Video"]}}}]}"#;
    let keys = |k: &[&str]| ContextValue::Strings(k.iter().map(|x| x.to_string()).collect());
    check(
        "tag-keys",
        doc,
        false,
        &[
            row(
                "ivs:CreateChannel",
                "*",
                vec![
                    ("aws:TagKeys", keys(&["Owner"])),
                    ("aws:RequestTag/Owner", s("alice")),
                ],
                Allowed,
            ),
            row(
                "ivs:CreateChannel",
                "*",
                vec![("aws:TagKeys", keys(&["Owner", "Cost"]))],
                ImplicitDeny,
            ),
            row(
                "ivs:CreateChannel",
                "*",
                vec![
                    ("aws:TagKeys", keys(&["Department"])),
                    ("aws:RequestTag/Department", s("Finance")),
                ],
                ImplicitDeny,
            ),
            // No tags at all: ForAllValues over an empty set holds.
            row("ivs:CreateChannel", "*", vec![], Allowed),
        ],
    );
}
