use super::*;
use serde_json::json;
use service::{Principal, StoredFacts};
use std::sync::Arc;

/// A service of `name` with a fixed spec, one stored tagged resource and a located type.
struct Fake {
    name: &'static str,
    spec: AuthzSpec,
}

impl Service for Fake {
    fn signing_name(&self) -> &'static str {
        self.name
    }
    fn authz_spec(&self) -> AuthzSpec {
        self.spec
    }
    fn locate(&self, _ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        if q.operation == "DeleteChannel" {
            q.set("Stream-Key", Vec::new());
        }
        Ok(())
    }
    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<StoredFacts> {
        arn.ends_with("/tagged").then(|| StoredFacts {
            tags: vec![("team".into(), "a".into())],
            policy: None,
        })
    }
    fn handle(&self, _: &RequestContext, _: &str, _: Value) -> Result<Value, ServiceError> {
        Ok(json!({}))
    }
}

fn ctx() -> RequestContext {
    RequestContext::new("r", Arc::new(Principal::root("123", "k")), "us-west-2")
}

const IVS_SPEC: AuthzSpec = AuthzSpec {
    principal: "",
    arn_members: &[
        ("arn", "*"),
        ("channelArn", "Channel"),
        ("resourceArn", "*"),
    ],
    id_members: &[],
    role_members: &[],
    tag_members: &["tags"],
    tag_key_members: &["tagKeys"],
};

fn required(a: Authorization) -> Vec<Access> {
    match a {
        Authorization::Required(v) => v,
        other => panic!("expected accesses, got {other:?}"),
    }
}

#[test]
fn creates_use_patterns_and_request_tags() {
    let s = Fake {
        name: "ivs",
        spec: IVS_SPEC,
    };
    let a = required(authorize(&s, &ctx(), "CreateChannel", &json!({"tags": {"k": "v"}})).unwrap());
    let r: Vec<&str> = a.iter().map(|x| x.resource.as_str()).collect();
    assert_eq!(
        r,
        [
            "arn:aws:ivs:us-west-2:123:channel/*",
            "arn:aws:ivs:us-west-2:123:stream-key/*"
        ]
    );
    assert!(a[1]
        .context
        .contains(&("aws:RequestTag/k".into(), ContextValue::String("v".into()))));
    // A typed member of another type does not become the created resource.
    let k = required(
        authorize(
            &s,
            &ctx(),
            "CreateStreamKey",
            &json!({"channelArn": "arn:aws:ivs:us-west-2:123:channel/x"}),
        )
        .unwrap(),
    );
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].resource, "arn:aws:ivs:us-west-2:123:stream-key/*");
}

#[test]
fn existing_resources_carry_tags_and_located_none_means_none() {
    let s = Fake {
        name: "ivs",
        spec: IVS_SPEC,
    };
    let arn = "arn:aws:ivs:us-west-2:123:channel/tagged";
    let a = required(authorize(&s, &ctx(), "DeleteChannel", &json!({ "arn": arn })).unwrap());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].resource, arn);
    assert_eq!(
        a[0].context,
        vec![(
            "aws:ResourceTag/team".into(),
            ContextValue::String("a".into())
        )]
    );
    // An ARN of no known format is authorized as the caller named it.
    let g = required(authorize(&s, &ctx(), "GetChannel", &json!({"arn": "x"})).unwrap());
    assert_eq!(g[0].resource, "x");
    let u = required(
        authorize(
            &s,
            &ctx(),
            "UntagResource",
            &json!({"resourceArn": arn, "tagKeys": ["team"]}),
        )
        .unwrap(),
    );
    assert!(u[0].context.contains(&(
        "aws:TagKeys".into(),
        ContextValue::Strings(vec!["team".into()])
    )));
    let l = required(authorize(&s, &ctx(), "ListAdConfigurations", &json!({})).unwrap());
    assert_eq!(l[0].resource, "*");
}

#[test]
fn fails_closed_and_says_when_no_permission_is_needed() {
    let s = Fake {
        name: "ivs",
        spec: IVS_SPEC,
    };
    let e = authorize(&s, &ctx(), "NoSuchOperation", &json!({})).unwrap_err();
    assert_eq!(e.status, Some(500));
    let unknown = Fake {
        name: "nope",
        spec: IVS_SPEC,
    };
    assert!(authorize(&unknown, &ctx(), "GetChannel", &json!({})).is_err());
    let sts = Fake {
        name: "sts",
        spec: AuthzSpec::default(),
    };
    assert_eq!(
        authorize(&sts, &ctx(), "GetCallerIdentity", &json!({})).unwrap(),
        Authorization::NoPermission
    );
    assert!(matches!(
        authorize(&sts, &ctx(), "GetFederationToken", &json!({})).unwrap(),
        Authorization::Required(_)
    ));
}

/// The reference's API operations table maps MediaPackage v1's ConfigureLogs to
/// `mediapackage:UpdateChannel`, not to the same-named action.
#[test]
fn an_operation_can_authorize_another_action_of_the_reference() {
    let s = Fake {
        name: "mediapackage",
        spec: AuthzSpec {
            id_members: &[("Id", "channels", "ChannelIdentifier")],
            ..AuthzSpec::default()
        },
    };
    let a = required(authorize(&s, &ctx(), "ConfigureLogs", &json!({"Id": "c1"})).unwrap());
    let got: Vec<(&str, &str)> = a
        .iter()
        .map(|x| (x.action.as_str(), x.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        [(
            "mediapackage:UpdateChannel",
            "arn:aws:mediapackage:us-west-2:123:channels/c1"
        )]
    );
    // The action itself keeps its own plan.
    match plan("mediapackage", "configurelogs") {
        Some(Plan::Action(p)) => assert_eq!(p.action, "mediapackage:ConfigureLogs"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn identifiers_fill_formats_and_roles_are_passed() {
    let s = Fake {
        name: "mediaconvert",
        spec: AuthzSpec {
            principal: "mediaconvert.amazonaws.com",
            arn_members: &[],
            id_members: &[("Name", "Queue", "QueueName")],
            role_members: &["Role"],
            tag_members: &["Tags"],
            tag_key_members: &[],
        },
    };
    let q = required(authorize(&s, &ctx(), "GetQueue", &json!({"Name": "q1"})).unwrap());
    assert_eq!(q[0].action, "mediaconvert:GetQueue");
    assert_eq!(
        q[0].resource,
        "arn:aws:mediaconvert:us-west-2:123:queues/q1"
    );
    let role = "arn:aws:iam::123:role/convert";
    let j = required(authorize(&s, &ctx(), "CreateJob", &json!({"Role": role})).unwrap());
    let pass = j.iter().find(|a| a.action == "iam:PassRole").unwrap();
    assert_eq!(pass.resource, role);
    assert_eq!(
        pass.context,
        vec![(
            "iam:PassedToService".into(),
            ContextValue::String("mediaconvert.amazonaws.com".into())
        )]
    );
}

#[test]
fn request_tags_come_from_every_tag_member_present() {
    let s = Fake {
        name: "mediaconnect",
        spec: AuthzSpec {
            principal: "mediaconnect.amazonaws.com",
            arn_members: &[],
            id_members: &[],
            role_members: &[],
            tag_members: &["FlowTags", "Outputs[].OutputTags"],
            tag_key_members: &[],
        },
    };
    let input = json!({"FlowTags": {"a": "1"}, "Outputs": [{"OutputTags": {"b": "2"}}]});
    let c = required(authorize(&s, &ctx(), "CreateFlow", &input).unwrap());
    let keys: Vec<&str> = c[0].context.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys.contains(&"aws:RequestTag/a") && keys.contains(&"aws:RequestTag/b"));
    assert!(c[0].context.contains(&(
        "aws:TagKeys".into(),
        ContextValue::Strings(vec!["a".into(), "b".into()])
    )));
}

/// A service that names resources only through `Locate::add_any` / `Locate::none`.
struct ByName;

impl Service for ByName {
    fn signing_name(&self) -> &'static str {
        "iam"
    }
    fn locate(&self, _ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        match q.operation {
            "AttachUserPolicy" => {
                q.none();
                q.add_any("arn:aws:iam::123:user/team/alice");
                q.context("iam:PolicyARN", ContextValue::String("p".into()));
            }
            "ListUsers" => q.add_any("arn:aws:iam::123:user/"),
            "GetUser" => q.none(),
            _ => {}
        }
        Ok(())
    }
    fn handle(&self, _: &RequestContext, _: &str, _: Value) -> Result<Value, ServiceError> {
        Ok(json!({}))
    }
}

#[test]
fn services_can_file_arns_by_format_or_say_none() {
    let a = required(authorize(&ByName, &ctx(), "AttachUserPolicy", &json!({})).unwrap());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].resource, "arn:aws:iam::123:user/team/alice");
    assert_eq!(
        a[0].context,
        vec![("iam:PolicyARN".into(), ContextValue::String("p".into()))]
    );
    // A type-less action takes the ARN AWS reports instead of `*`.
    let l = required(authorize(&ByName, &ctx(), "ListUsers", &json!({})).unwrap());
    assert_eq!(l[0].resource, "arn:aws:iam::123:user/");
    let g = required(authorize(&ByName, &ctx(), "GetUser", &json!({})).unwrap());
    assert_eq!(g[0].resource, "*");
    // Nothing located for a required type: its ARN pattern.
    let d = required(authorize(&ByName, &ctx(), "DeleteUser", &json!({})).unwrap());
    assert_eq!(d[0].resource, "arn:aws:iam::123:user/*");
}

#[test]
fn dedup_keeps_first_occurrences_in_order_for_few_and_many() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(dedup(s(&[])), s(&[]));
    assert_eq!(
        dedup(s(&["a", "b", "a", "c", "b", "a"])),
        s(&["a", "b", "c"])
    );
    assert_eq!(dedup(s(&["x", "x", "x"])), s(&["x"]));
    assert_eq!(dedup(s(&["c", "b", "a"])), s(&["c", "b", "a"]));
    // Passed roles: a role passed to two services is two accesses.
    let roles = vec![("r", "a"), ("r", "b"), ("r", "a"), ("q", "a")];
    assert_eq!(dedup(roles), [("r", "a"), ("r", "b"), ("q", "a")]);
    // Beyond the in-place comparisons: the same answer as a set's.
    let many: Vec<String> = (0..40).map(|i| format!("r{}", (i * 7) % 23)).collect();
    let mut seen = std::collections::HashSet::new();
    let expected: Vec<String> = many.iter().filter(|x| seen.insert(*x)).cloned().collect();
    assert_eq!(dedup(many.clone()), expected);
    for n in 0..many.len() {
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<String> = many[..n]
            .iter()
            .filter(|x| seen.insert(*x))
            .cloned()
            .collect();
        assert_eq!(dedup(many[..n].to_vec()), expected, "{n}");
        let borrowed: Vec<String> = distinct(&many[..n]).cloned().collect();
        assert_eq!(borrowed, expected, "distinct {n}");
    }
    let roles = [("r", "a"), ("r", "b"), ("r", "a"), ("q", "a")];
    let distinct_roles: Vec<_> = distinct(&roles).copied().collect();
    assert_eq!(distinct_roles, [("r", "a"), ("r", "b"), ("q", "a")]);
}

/// The service's condition keys reach every access on the operation's resources, after the
/// keys the engine adds, and no passed role.
#[test]
fn the_services_condition_keys_reach_every_access_on_its_resources() {
    struct Keys;
    impl Service for Keys {
        fn signing_name(&self) -> &'static str {
            "mediaconvert"
        }
        fn authz_spec(&self) -> AuthzSpec {
            AuthzSpec {
                principal: "mediaconvert.amazonaws.com",
                role_members: &["Role"],
                ..AuthzSpec::default()
            }
        }
        fn locate(&self, _: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
            q.set("Queue", vec!["arn:q".into()]);
            q.set(
                "Preset",
                vec!["arn:p1".into(), "arn:p2".into(), "arn:p1".into()],
            );
            q.context("k1", ContextValue::Bool(true));
            q.context("k2", ContextValue::String("v".into()));
            Ok(())
        }
        fn stored(&self, _: &RequestContext, arn: &str) -> Option<StoredFacts> {
            (arn == "arn:q").then(|| StoredFacts {
                tags: vec![("team".into(), "a".into())],
                policy: None,
            })
        }
        fn handle(&self, _: &RequestContext, _: &str, _: Value) -> Result<Value, ServiceError> {
            Ok(json!({}))
        }
    }
    let input = json!({"Role": "arn:aws:iam::123:role/r", "Settings": {}});
    let a = required(authorize(&Keys, &ctx(), "CreateJob", &input).unwrap());
    let resources: Vec<&str> = a.iter().map(|x| x.resource.as_str()).collect();
    // In the reference's order of the action's types.
    assert_eq!(
        resources,
        ["arn:p1", "arn:p2", "arn:q", "arn:aws:iam::123:role/r"]
    );
    let keys = [
        ("k1".to_string(), ContextValue::Bool(true)),
        ("k2".to_string(), ContextValue::String("v".into())),
    ];
    for access in &a[..3] {
        assert!(access.context.ends_with(&keys), "{access:?}");
    }
    assert_eq!(a[0].context.len(), 2);
    assert_eq!(
        a[2].context.len(),
        2 + 1,
        "its stored tag first: {:?}",
        a[2].context
    );
    assert_eq!(
        a[3].context,
        [(
            "iam:PassedToService".to_string(),
            ContextValue::String("mediaconvert.amazonaws.com".into())
        )]
    );
}

/// An operation that answers to another action must name one the reference has: a typo (or
/// vendored data losing the action) would otherwise leave the operation on its own plan.
#[test]
fn every_authorizes_override_names_an_action_of_its_service() {
    for o in overrides::OVERRIDES {
        if let overrides::Grant::Authorizes { action } = o.grant {
            match plan(o.service, o.operation) {
                Some(Plan::Action(p)) => {
                    assert_eq!(
                        p.action,
                        format!("{}:{action}", o.service),
                        "{}",
                        o.operation
                    )
                }
                other => panic!("{}:{} has no plan: {other:?}", o.service, o.operation),
            }
        }
    }
}
