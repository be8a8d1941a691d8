//! Fuzz targets for the policy language: the parser never panics; a document that parses,
//! serialized again (compact or pretty), parses back to the same rules; condition evaluation
//! never panics, is deterministic, and an unconditional explicit deny always wins.
//! Cases: `PROPTEST_CASES` (`make fuzz` runs many).

use policy::{
    evaluate, Context, ContextValue, EvalDecision, Policy, PolicyKind, PolicySet, PolicySource,
    Principal, PrincipalKind, Request, SourceKind,
};
use proptest::prelude::*;
use serde_json::{json, Value};

const KINDS: [PolicyKind; 5] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::Trust,
    PolicyKind::Boundary,
    PolicyKind::Session,
];

fn one_or_many(items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.into_iter().next().expect("one")
    } else {
        Value::Array(items)
    }
}

fn strings(choices: &'static [&'static str]) -> impl Strategy<Value = Value> {
    proptest::collection::vec(proptest::sample::select(choices), 1..3)
        .prop_map(|v| one_or_many(v.into_iter().map(|s| json!(s)).collect()))
}

const ACTIONS: &[&str] = &[
    "*",
    "ivs:*",
    "ivs:CreateChannel",
    "ivs:Get*",
    "iam:PassRole",
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "mediaconnect:?escribeFlow",
    "s3:GetObject",
    "ivs",
    "a:b:c",
    "IVS:createchannel",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:ivs:us-east-1:111122223333:channel/*",
    "arn:aws:ivs:*:111122223333:channel/${aws:username}",
    "arn:aws:iam::111122223333:role/r",
    "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*",
    "arn:*:ivs:*:*:*",
    "not-an-arn",
    "arn:aws:*:::x",
    "arn:bad:ivs:::x",
];
const PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:role/r",
];
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringEqualsIgnoreCase",
    "ArnLike",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateGreaterThan",
    "DateLessThan",
    "Bool",
    "IpAddress",
    "NotIpAddress",
    "Null",
    "ForAnyValue:StringEquals",
    "ForAllValues:StringLike",
    "StringEqualsIfExists",
    "BinaryEquals",
    "NoSuchOperator",
];
const KEYS: &[&str] = &[
    "aws:username",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalTag/team",
    "aws:RequestTag/env",
    "aws:TagKeys",
    "ivs:ChannelType",
    "aws:EpochTime",
    "aws:SecureTransport",
];
const VALUES: &[&str] = &[
    "alice",
    "a*",
    "10.0.0.0/8",
    "2001:db8::/32",
    "2020-01-01T00:00:00Z",
    "true",
    "false",
    "5",
    "-1.5",
    "arn:aws:iam::111122223333:user/*",
    "${aws:username}",
    "",
    "BASIC",
    "not a date",
];

fn condition() -> impl Strategy<Value = Value> {
    proptest::collection::vec(
        (
            proptest::sample::select(OPERATORS),
            proptest::collection::vec(
                (
                    proptest::sample::select(KEYS),
                    prop_oneof![
                        strings(VALUES),
                        any::<i32>().prop_map(|n| json!(n)),
                        any::<bool>().prop_map(|b| json!(b)),
                    ],
                ),
                1..3,
            ),
        ),
        0..3,
    )
    .prop_map(|ops| {
        let mut block = serde_json::Map::new();
        for (op, pairs) in ops {
            let mut inner = serde_json::Map::new();
            for (k, v) in pairs {
                inner.insert(k.to_string(), v);
            }
            block.insert(op.to_string(), Value::Object(inner));
        }
        Value::Object(block)
    })
}

fn statement() -> impl Strategy<Value = Value> {
    (
        proptest::option::of("[A-Za-z0-9]{1,8}"),
        any::<bool>(),
        any::<bool>(),
        strings(ACTIONS),
        proptest::option::of((any::<bool>(), strings(RESOURCES))),
        proptest::option::of(prop_oneof![
            Just(json!("*")),
            strings(PRINCIPALS).prop_map(|p| json!({"AWS": p})),
            Just(json!({"Service": "ivs.amazonaws.com"})),
            Just(json!({"Federated": "accounts.google.com"})),
        ]),
        condition(),
    )
        .prop_map(
            |(sid, allow, not_action, actions, resources, principal, cond)| {
                let mut s = serde_json::Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                let action_key = if not_action { "NotAction" } else { "Action" };
                s.insert(action_key.into(), actions);
                if let Some((not, r)) = resources {
                    s.insert((if not { "NotResource" } else { "Resource" }).into(), r);
                }
                if let Some(p) = principal {
                    s.insert("Principal".into(), p);
                }
                if cond.as_object().is_some_and(|c| !c.is_empty()) {
                    s.insert("Condition".into(), cond);
                }
                Value::Object(s)
            },
        )
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("2012-10-17"), Just("2008-10-17")],
        proptest::collection::vec(statement(), 1..4),
        any::<bool>(),
    )
        .prop_map(|(version, statements, as_list)| {
            let statement = if as_list || statements.len() > 1 {
                Value::Array(statements)
            } else {
                statements.into_iter().next().expect("one")
            };
            json!({"Version": version, "Statement": statement})
        })
}

fn context() -> impl Strategy<Value = Context> {
    proptest::collection::vec(
        (
            proptest::sample::select(KEYS),
            prop_oneof![
                proptest::sample::select(VALUES).prop_map(|v| ContextValue::String(v.into())),
                proptest::collection::vec(proptest::sample::select(VALUES), 0..3).prop_map(|v| {
                    ContextValue::Strings(v.into_iter().map(str::to_string).collect())
                }),
            ],
        ),
        0..5,
    )
    .prop_map(|pairs| {
        let mut ctx = Context::new();
        for (k, v) in pairs {
            ctx.set(k, v);
        }
        ctx
    })
}

fn alice() -> Principal {
    Principal {
        account: "111122223333".into(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        kind: PrincipalKind::User,
        user_id: "AIDAEXAMPLE".into(),
        username: Some("alice".into()),
        access_key_id: "AKIAEXAMPLE".into(),
        session: None,
    }
}

fn source() -> PolicySource {
    PolicySource {
        kind: SourceKind::User,
        id: "fuzz".into(),
        name: None,
    }
}

proptest! {
    #[test]
    fn fuzz_parser_never_panics_on_any_text(text in ".{0,200}", kind in 0usize..5) {
        let _ = Policy::parse(&text, KINDS[kind]);
        let _ = Policy::parse_managed(&text);
    }

    #[test]
    fn fuzz_parse_serialize_parse_is_the_same_policy(doc in document(), kind in 0usize..5) {
        let text = doc.to_string();
        let kind = KINDS[kind];
        match Policy::parse(&text, kind) {
            Ok(first) => {
                for again in [serde_json::to_string_pretty(&doc).expect("json"), doc.to_string()] {
                    let second = Policy::parse(&again, kind);
                    prop_assert!(second.as_ref().is_ok_and(|p| p.same_rules(&first)), "{again}: {second:?}");
                }
            }
            Err(e) => {
                // The same document in another layout fails for the same reason.
                let pretty = serde_json::to_string_pretty(&doc).expect("json");
                prop_assert_eq!(Policy::parse(&pretty, kind).err(), Some(e));
            }
        }
    }

    #[test]
    fn fuzz_evaluation_is_total_and_an_explicit_deny_wins(
        doc in document(),
        ctx in context(),
        action in proptest::sample::select(ACTIONS),
        resource in proptest::sample::select(RESOURCES),
    ) {
        let Ok(policy) = Policy::parse(&doc.to_string(), PolicyKind::Identity) else {
            return Ok(());
        };
        let alice = alice();
        let source = source();
        let req = Request { principal: &alice, action, resource, resource_account: None, context: &ctx };
        let set = PolicySet { identity: vec![(&policy, &source)], ..Default::default() };
        let first = evaluate(&set, &req);
        prop_assert_eq!(first.decision, evaluate(&set, &req).decision);
        let deny = Policy::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#,
            PolicyKind::Identity,
        ).expect("deny-all parses");
        let set = PolicySet { identity: vec![(&policy, &source), (&deny, &source)], ..Default::default() };
        prop_assert_eq!(evaluate(&set, &req).decision, EvalDecision::ExplicitDeny);
    }
}
