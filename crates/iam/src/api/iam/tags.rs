//! Tag, Untag and List...Tags for every taggable IAM entity (users, roles, customer managed
//! policies, instance profiles, server certificates, MFA devices, OIDC and SAML providers): the
//! rules are the same for all of them but one, whether their keys ignore case.

use super::entity::{update, Entity};
use super::Call;
use crate::api::errors::invalid;
use crate::api::input;
use crate::store::{
    InstanceProfile, ManagedPolicy, MfaDevice, OidcProvider, Role, SamlProvider, ServerCertificate,
    State, User,
};
use serde_json::{json, Value};
use service::ServiceError;

/// An entity with a tag list.
pub(crate) trait Tagged: Entity {
    /// Whether its tag keys compare without regard to case. IAM User Guide, id_tags, "Case
    /// sensitivity": users' and roles' keys do ("you cannot have separate Department and
    /// department tag keys"); customer managed policies', instance profiles', OIDC and SAML
    /// providers', server certificates' and virtual MFA devices' do not ("the policy will
    /// have both the Costcenter and costcenter tag keys").
    const KEYS_IGNORE_CASE: bool;

    /// Whether `List<Entity>Tags` answers shorter keys first (then by key), rather than by key
    /// alone. Customer managed policies: ListPolicyTags of a policy tagged `abc`, `b`, `z`, `a`
    /// answers `a`, `b`, `z`, `abc`, and of one tagged `a`, `A` answers `A`, `a` (LocalStack's
    /// snapshot tests recorded against AWS, tests/aws/services/iam/test_iam_policies.snapshot.json
    /// test_policy_tag_order 'list-tags' and test_policy_tag_lifecycle
    /// 'list-case-sensitive-tags'); users answer `Environment` before `Team`, by key
    /// (test_iam_users.snapshot.json test_user_tag_lifecycle 'list-user-tags').
    const LISTED_SHORTEST_FIRST: bool = false;

    /// The tags, in the order they were set (a key set again moves to the end).
    fn tags(&self) -> &[(String, String)];

    /// The tags, to change.
    fn tags_mut(&mut self) -> &mut Vec<(String, String)>;
}

/// Implements [`Tagged`] for entities that keep their tags in a `tags` field (all of them),
/// with whether their keys ignore case.
macro_rules! tags_in_field {
    ($($entity:ty => $ignore_case:expr, $shortest_first:expr);* $(;)?) => {$(
        impl Tagged for $entity {
            const KEYS_IGNORE_CASE: bool = $ignore_case;
            const LISTED_SHORTEST_FIRST: bool = $shortest_first;

            fn tags(&self) -> &[(String, String)] {
                &self.tags
            }

            fn tags_mut(&mut self) -> &mut Vec<(String, String)> {
                &mut self.tags
            }
        }
    )*};
}

tags_in_field!(
    User => true, false;
    Role => true, false;
    ManagedPolicy => false, true;
    InstanceProfile => false, false;
    ServerCertificate => false, false;
    MfaDevice => false, false;
    OidcProvider => false, false;
    SamlProvider => false, false;
);

/// Whether two tag keys are the same key of an entity whose keys ignore case or not.
fn same_key(a: &str, b: &str, ignore_case: bool) -> bool {
    if ignore_case {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// The `Tags` of a request that tags (or creates) an entity of type `E`, refused as IAM
/// refuses them: a key or value with the reserved prefix `aws:`, and for the entities whose
/// keys ignore case, two tags with the same key in any case (`InvalidInput` both; see
/// [`input::reserved_tag_problem`] and [`input::DUPLICATE_TAG_KEYS`]).
pub(crate) fn requested<E: Tagged>(input: &Value) -> Result<Vec<(String, String)>, ServiceError> {
    let tags = input::tags(input, "Tags");
    if let Some(problem) = input::reserved_tag_problem(&tags) {
        return Err(invalid(problem));
    }
    // Keys that ignore no case may still not repeat exactly: "Duplicate tag keys found."
    // (LocalStack's snapshot test recorded against AWS: test_iam_policies.snapshot.json
    // test_policy_tag_create_errors and test_policy_tag_update_errors, CreatePolicy and
    // TagPolicy with two tags keyed "0").
    if input::repeated_tag_keys(&tags, E::KEYS_IGNORE_CASE) {
        return Err(invalid(if E::KEYS_IGNORE_CASE {
            input::DUPLICATE_TAG_KEYS
        } else {
            "Duplicate tag keys found."
        }));
    }
    Ok(tags)
}

/// Adds or replaces tags (keys compare without regard to case when `ignore_case`, exactly
/// otherwise), at most 50. A replaced tag moves to the end: the list stays in the order its
/// tags were last set, which decides between keys that differ only by case on the
/// case-sensitive entities when a policy reads them (condition key names ignore case, and the
/// engine's context keeps the last of them, so `aws:ResourceTag/costcenter` of a policy tagged
/// `Costcenter` and then `costcenter` is the value set last). AWS documents no choice there;
/// this is the simplest consistent one.
pub(crate) fn merge_tags(
    existing: &mut Vec<(String, String)>,
    new: Vec<(String, String)>,
    ignore_case: bool,
) -> Result<(), ServiceError> {
    for (k, v) in new {
        existing.retain(|(old, _)| !same_key(old, &k, ignore_case));
        existing.push((k, v));
    }
    if existing.len() > 50 {
        return Err(ServiceError::new(
            "LimitExceeded",
            "The number of tags has reached the maximum limit.",
        ));
    }
    Ok(())
}

/// `Tag<Entity>`: merges the input's `Tags` into the named entity's.
pub(crate) fn tag<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let tags = requested::<E>(c.input)?;
    update(c, s, |_, e: &mut E| {
        merge_tags(e.tags_mut(), tags, E::KEYS_IGNORE_CASE)
    })
}

/// `Untag<Entity>`: drops the tags whose keys `TagKeys` names (without regard to case for the
/// entities whose keys ignore case). Keys with the reserved prefix are not refused here: AWS
/// documents no answer for them, and this is how a tag stored before mediamock refused them
/// can be removed.
pub(crate) fn untag<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let keys = input::strings(c.input, "TagKeys");
    update(c, s, |_, e: &mut E| {
        e.tags_mut()
            .retain(|(k, _)| !keys.iter().any(|x| same_key(x, k, E::KEYS_IGNORE_CASE)));
        Ok(())
    })
}

/// `List<Entity>Tags`: the named entity's tags, a page at a time, sorted by key (customer
/// managed policies: shorter keys first, see [`Tagged::LISTED_SHORTEST_FIRST`]).
pub(crate) fn list<E: Tagged>(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut sorted: Vec<&(String, String)> = input::sorted_tags(E::named(c, s)?.tags()).collect();
    if E::LISTED_SHORTEST_FIRST {
        sorted.sort_by_key(|(k, _)| k.chars().count());
    }
    let items = sorted
        .into_iter()
        .enumerate()
        .map(|(i, (k, v))| (format!("{i:05}"), json!({"Key": k, "Value": v})))
        .collect();
    c.paged(items, "Tags")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::test_support::{accesses, call, iam, root_ctx, user_ctx, ACCOUNT};
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn merging_replaces_keys_case_insensitively_and_appends_new_ones() {
        let mut tags = pairs(&[("Team", "a"), ("Env", "dev")]);
        merge_tags(&mut tags, pairs(&[("team", "b"), ("Owner", "x")]), true).unwrap();
        assert_eq!(
            tags,
            pairs(&[("Env", "dev"), ("team", "b"), ("Owner", "x")])
        );
    }

    #[test]
    fn merging_case_sensitive_keys_keeps_keys_that_differ_by_case() {
        let mut tags = pairs(&[("Costcenter", "1234"), ("Env", "dev")]);
        merge_tags(
            &mut tags,
            pairs(&[("costcenter", "5678"), ("Env", "prod")]),
            false,
        )
        .unwrap();
        assert_eq!(
            tags,
            pairs(&[
                ("Costcenter", "1234"),
                ("costcenter", "5678"),
                ("Env", "prod")
            ])
        );
    }

    #[test]
    fn merging_past_fifty_tags_is_refused() {
        let mut tags: Vec<(String, String)> =
            (0..50).map(|i| (format!("k{i}"), String::new())).collect();
        merge_tags(&mut tags, pairs(&[("k0", "same key")]), true).unwrap();
        let err = merge_tags(&mut tags, pairs(&[("new", "")]), true).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");
        // Keys that differ by case are two tags where keys are case-sensitive.
        let err = merge_tags(&mut tags, pairs(&[("K0", "")]), false).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");
    }

    fn error(r: Result<Value, ServiceError>) -> String {
        let e = r.unwrap_err();
        format!("{}: {}", e.code, e.message)
    }

    fn tag_list(v: &Value) -> Vec<(String, String)> {
        v["Tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["Key"].as_str().unwrap().to_string(),
                    t["Value"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    const RESERVED_KEY: &str =
        "InvalidInput: Tag keys starting with 'aws:' are reserved for internal use.";
    const RESERVED_VALUE: &str =
        "InvalidInput: Tag values starting with 'aws:' are reserved for internal use.";

    #[test]
    fn tags_with_the_aws_prefix_are_refused_on_every_taggable_entity_and_creation() {
        let iam = iam();
        let root = root_ctx();
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}}"#;
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#;
        call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
        call(
            &iam,
            &root,
            "CreateRole",
            json!({"RoleName": "r", "AssumeRolePolicyDocument": trust}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "p", "PolicyDocument": doc}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "CreateInstanceProfile",
            json!({"InstanceProfileName": "ip"}),
        )
        .unwrap();
        let mfa = call(
            &iam,
            &root,
            "CreateVirtualMFADevice",
            json!({"VirtualMFADeviceName": "m"}),
        )
        .unwrap();
        let serial = mfa["VirtualMFADevice"]["SerialNumber"].clone();
        let policy = format!("arn:aws:iam::{ACCOUNT}:policy/p");
        let targets = [
            ("TagUser", json!({"UserName": "u"})),
            ("TagRole", json!({"RoleName": "r"})),
            ("TagPolicy", json!({"PolicyArn": policy})),
            ("TagInstanceProfile", json!({"InstanceProfileName": "ip"})),
            ("TagMFADevice", json!({"SerialNumber": serial})),
        ];
        for (tags, refusal) in [
            (json!([{"Key": "aws:x", "Value": "v"}]), RESERVED_KEY),
            (json!([{"Key": "AWS:foo", "Value": "v"}]), RESERVED_KEY),
            (
                json!([{"Key": "ok", "Value": "1"}, {"Key": "Aws:x", "Value": "v"}]),
                RESERVED_KEY,
            ),
            (json!([{"Key": "ok", "Value": "aws:val"}]), RESERVED_VALUE),
        ] {
            for (op, named) in &targets {
                let mut input = named.clone();
                input["Tags"] = tags.clone();
                assert_eq!(error(call(&iam, &root, op, input)), refusal, "{op} {tags}");
            }
            for (op, mut input) in [
                ("CreateUser", json!({"UserName": "t"})),
                (
                    "CreateRole",
                    json!({"RoleName": "t", "AssumeRolePolicyDocument": trust}),
                ),
                (
                    "CreatePolicy",
                    json!({"PolicyName": "t", "PolicyDocument": doc}),
                ),
                ("CreateInstanceProfile", json!({"InstanceProfileName": "t"})),
                (
                    "CreateVirtualMFADevice",
                    json!({"VirtualMFADeviceName": "t"}),
                ),
            ] {
                input["Tags"] = tags.clone();
                assert_eq!(error(call(&iam, &root, op, input)), refusal, "{op} {tags}");
            }
        }
        // Nothing was created or tagged.
        let e = call(&iam, &root, "GetUser", json!({"UserName": "t"}));
        assert_eq!(e.unwrap_err().code, "NoSuchEntity");
        let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "u"})).unwrap();
        assert_eq!(listed["Tags"], json!([]));
        // The prefix elsewhere is fine; untagging a key with it is not refused.
        call(
            &iam,
            &root,
            "TagUser",
            json!({"UserName": "u", "Tags": [{"Key": "x-aws:y", "Value": "naws:"}]}),
        )
        .unwrap();
        call(
            &iam,
            &root,
            "UntagUser",
            json!({"UserName": "u", "TagKeys": ["aws:x"]}),
        )
        .unwrap();
        let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "u"})).unwrap();
        assert_eq!(tag_list(&listed), pairs(&[("x-aws:y", "naws:")]));
    }

    #[test]
    fn one_request_may_not_give_a_user_or_role_two_keys_differing_by_case() {
        let iam = iam();
        let root = root_ctx();
        call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
        let both = json!([{"Key": "Dept", "Value": "a"}, {"Key": "dept", "Value": "b"}]);
        let duplicate =
            "InvalidInput: Duplicate tag keys found. Please note that Tag keys are case insensitive.";
        let e = call(
            &iam,
            &root,
            "TagUser",
            json!({"UserName": "u", "Tags": both}),
        );
        assert_eq!(error(e), duplicate);
        let e = call(
            &iam,
            &root,
            "CreateUser",
            json!({"UserName": "v", "Tags": both}),
        );
        assert_eq!(error(e), duplicate);
        // A customer managed policy's keys are case-sensitive: both are kept.
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}}"#;
        let out = call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "p", "PolicyDocument": doc, "Tags": both}),
        )
        .unwrap();
        assert_eq!(out["Policy"]["Tags"].as_array().unwrap().len(), 2);
    }

    /// Tags `Costcenter` then `costcenter` on the entity `op` names by `named`, then checks the
    /// entity keeps both, that untagging needs the exact key, and that `list` lists them.
    fn keys_are_case_sensitive(iam: &std::sync::Arc<crate::Iam>, kind: &str, named: Value) {
        let root = root_ctx();
        let with = |extra: Value| {
            let mut input = named.clone();
            if let (Some(m), Some(e)) = (input.as_object_mut(), extra.as_object()) {
                m.extend(e.clone());
            }
            input
        };
        let tag = |k: &str, v: &str| {
            call(
                iam,
                &root,
                &format!("Tag{kind}"),
                with(json!({"Tags": [{"Key": k, "Value": v}]})),
            )
            .unwrap()
        };
        let listed =
            || tag_list(&call(iam, &root, &format!("List{kind}Tags"), with(json!({}))).unwrap());
        let untag = |k: &str| {
            call(
                iam,
                &root,
                &format!("Untag{kind}"),
                with(json!({"TagKeys": [k]})),
            )
            .unwrap()
        };
        tag("Costcenter", "1234");
        tag("costcenter", "5678");
        assert_eq!(
            listed(),
            pairs(&[("Costcenter", "1234"), ("costcenter", "5678")]),
            "{kind}"
        );
        tag("Costcenter", "4321");
        untag("COSTCENTER");
        assert_eq!(
            listed(),
            pairs(&[("Costcenter", "4321"), ("costcenter", "5678")]),
            "{kind}: a key in another case names no tag"
        );
        untag("costcenter");
        assert_eq!(listed(), pairs(&[("Costcenter", "4321")]), "{kind}");
    }

    #[test]
    fn keys_of_entities_other_than_users_and_roles_are_case_sensitive() {
        let iam = iam();
        let root = root_ctx();
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}}"#;
        call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "p", "PolicyDocument": doc}),
        )
        .unwrap();
        keys_are_case_sensitive(
            &iam,
            "Policy",
            json!({"PolicyArn": format!("arn:aws:iam::{ACCOUNT}:policy/p")}),
        );
        call(
            &iam,
            &root,
            "CreateInstanceProfile",
            json!({"InstanceProfileName": "ip"}),
        )
        .unwrap();
        keys_are_case_sensitive(
            &iam,
            "InstanceProfile",
            json!({"InstanceProfileName": "ip"}),
        );
        let mfa = call(
            &iam,
            &root,
            "CreateVirtualMFADevice",
            json!({"VirtualMFADeviceName": "m"}),
        )
        .unwrap();
        let serial = mfa["VirtualMFADevice"]["SerialNumber"].clone();
        keys_are_case_sensitive(&iam, "MFADevice", json!({"SerialNumber": serial}));
        // Users' keys still ignore case.
        call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
        for k in ["Costcenter", "costcenter"] {
            call(
                &iam,
                &root,
                "TagUser",
                json!({"UserName": "u", "Tags": [{"Key": k, "Value": k}]}),
            )
            .unwrap();
        }
        call(
            &iam,
            &root,
            "UntagUser",
            json!({"UserName": "u", "TagKeys": ["COSTCENTER"]}),
        )
        .unwrap();
        let listed = call(&iam, &root, "ListUserTags", json!({"UserName": "u"})).unwrap();
        assert_eq!(listed["Tags"], json!([]));
    }

    #[test]
    fn a_resource_tag_condition_reads_the_key_set_last_among_keys_differing_by_case() {
        let iam = iam();
        let root = root_ctx();
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}}"#;
        call(
            &iam,
            &root,
            "CreatePolicy",
            json!({"PolicyName": "p", "PolicyDocument": doc}),
        )
        .unwrap();
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/p");
        let bob = user_ctx(&iam, "bob");
        call(
            &iam,
            &root,
            "PutUserPolicy",
            json!({"UserName": "bob", "PolicyName": "read", "PolicyDocument": r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetPolicy","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/costcenter":"5678"}}}}"#}),
        )
        .unwrap();
        let may_read = || {
            let a = accesses(
                &iam.iam_service(),
                &bob,
                "GetPolicy",
                &json!({"PolicyArn": arn}),
            )
            .unwrap();
            iam.authorize(&bob, &a).is_ok()
        };
        let tag = |k: &str, v: &str| {
            call(
                &iam,
                &root,
                "TagPolicy",
                json!({"PolicyArn": arn, "Tags": [{"Key": k, "Value": v}]}),
            )
            .unwrap();
        };
        tag("Costcenter", "5678");
        assert!(may_read(), "a condition key's name ignores case");
        tag("costcenter", "1234");
        assert!(!may_read(), "costcenter was set last");
        tag("Costcenter", "5678");
        assert!(may_read(), "Costcenter was set last");
    }
}
