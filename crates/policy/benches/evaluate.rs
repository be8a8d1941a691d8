//! Evaluating one request against 10 attached policies of 20 statements each, with
//! wildcards, variables and conditions: the per-request cost of authorization.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use policy::{
    evaluate, Context, ContextValue, Policy, PolicyKind, PolicySet, PolicySource, Principal,
    PrincipalKind, Request, SourceKind,
};

/// A policy whose statements mix every matching path; only the last one of the last
/// policy allows the benchmarked request, so every statement is looked at.
fn document(p: usize) -> String {
    let statements: Vec<String> = (0..20)
        .map(|s| {
            let (action, resource) = if p == 9 && s == 19 {
                ("ivs:Get*", "arn:aws:ivs:*:111122223333:channel/*")
            } else {
                ("ivs:?pdate*", "arn:aws:ivs:us-west-2:111122223333:channel/${aws:username}-*")
            };
            format!(
                r#"{{"Sid":"S{p}x{s}","Effect":"Allow","Action":["mediaconnect:Describe*","{action}"],
                   "Resource":["arn:aws:mediaconnect:*:*:flow:*","{resource}"],
                   "Condition":{{"StringEquals":{{"aws:ResourceTag/team":["video","audio"]}},
                                 "IpAddress":{{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}},
                                 "ForAllValues:StringLike":{{"aws:TagKeys":["team","cost-*"]}},
                                 "DateLessThan":{{"aws:CurrentTime":"2100-01-01T00:00:00Z"}}}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

fn bench(c: &mut Criterion) {
    let policies: Vec<Policy> = (0..10)
        .map(|p| Policy::parse(&document(p), PolicyKind::Identity).expect("valid policy"))
        .collect();
    let sources: Vec<PolicySource> = (0..policies.len())
        .map(|i| PolicySource {
            kind: SourceKind::CustomerManaged,
            id: format!("policy-{i}").into(),
            name: None,
        })
        .collect();
    let set = PolicySet {
        identity: policies.iter().zip(&sources).collect(),
        ..Default::default()
    };
    let principal = Principal {
        account: "111122223333".into(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        kind: PrincipalKind::User,
        user_id: "AIDAALICE".into(),
        username: Some("alice".into()),
        access_key_id: "AKIAALICE".into(),
        session: None,
    };
    let mut ctx = Context::new();
    ctx.set("aws:username", ContextValue::String("alice".into()));
    ctx.set("aws:ResourceTag/team", ContextValue::String("video".into()));
    ctx.set("aws:SourceIp", ContextValue::String("10.1.2.3".into()));
    ctx.set("aws:TagKeys", ContextValue::Strings(vec!["team".into()]));
    ctx.set(
        "aws:CurrentTime",
        ContextValue::String("2026-01-01T00:00:00Z".into()),
    );
    let req = Request {
        principal: &principal,
        action: "ivs:GetChannel",
        resource: "arn:aws:ivs:us-west-2:111122223333:channel/abc",
        resource_account: None,
        context: &ctx,
    };
    assert!(evaluate(&set, &req).allowed());
    c.bench_function("evaluate 10 policies x 20 statements", |b| {
        b.iter(|| evaluate(black_box(&set), black_box(&req)))
    });
    let doc = document(0);
    c.bench_function("parse one 20-statement policy", |b| {
        b.iter(|| Policy::parse(black_box(&doc), PolicyKind::Identity))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
