//! Outbound identity federation: the IAM setting, GetWebIdentityToken's checks, claims and
//! authorization, keys made once and kept, and the discovery documents.

use super::MAX_PAYLOAD;
use crate::api::test_support::{
    admin_ctx, call, code_message, iam, root_ctx, session_ctx, sts, user_ctx, ACCOUNT,
};
use crate::jwt::Jwt;
use crate::outbound;
use crate::Iam;
use serde_json::{json, Value};
use service::{RequestContext, ServiceError};
use std::sync::Arc;

fn enable(iam: &Arc<Iam>) -> String {
    let out = call(
        iam,
        &root_ctx(),
        "EnableOutboundWebIdentityFederation",
        json!({}),
    )
    .unwrap();
    out["IssuerIdentifier"].as_str().unwrap().to_string()
}

fn token(iam: &Arc<Iam>, ctx: &RequestContext, input: Value) -> Result<Value, ServiceError> {
    sts(iam, ctx, "GetWebIdentityToken", input)
}

/// The issuer's JWKS, as the open discovery route serves it.
fn jwks(iam: &Iam, issuer: &str) -> Value {
    let host = issuer.strip_prefix("https://").unwrap();
    let route = format!("issuer/{host}/.well-known/jwks.json");
    outbound::discovery(iam, &route, "http://h")
        .unwrap()
        .unwrap()
}

/// Decodes a token, checks its signature against the issuer's JWKS, returns its claims.
fn verified(iam: &Iam, issuer: &str, out: &Value) -> Jwt {
    let jwt = Jwt::decode(out["WebIdentityToken"].as_str().unwrap()).unwrap();
    assert_eq!(jwt.verify(&jwks(iam, issuer)), Ok(()));
    jwt
}

const ALLOW_TOKENS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"}]}"#;

fn user_allowed(iam: &Arc<Iam>, name: &str, policy: &str) -> RequestContext {
    let ctx = user_ctx(iam, name);
    call(
        iam,
        &root_ctx(),
        "PutUserPolicy",
        json!({"UserName": name, "PolicyName": "p", "PolicyDocument": policy}),
    )
    .unwrap();
    ctx
}

#[test]
fn the_setting_goes_on_and_off_with_aws_errors_and_keeps_its_issuer() {
    let iam = iam();
    let root = root_ctx();
    let e = call(
        &iam,
        &root,
        "GetOutboundWebIdentityFederationInfo",
        json!({}),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("FeatureDisabled", Some(404)));
    let e = call(
        &iam,
        &root,
        "DisableOutboundWebIdentityFederation",
        json!({}),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("FeatureDisabled", Some(404)));
    let issuer = enable(&iam);
    let host = issuer.strip_prefix("https://").unwrap();
    assert!(host.ends_with(".tokens.sts.global.api.aws"), "{issuer}");
    let info = call(
        &iam,
        &root,
        "GetOutboundWebIdentityFederationInfo",
        json!({}),
    )
    .unwrap();
    assert_eq!(
        info,
        json!({"IssuerIdentifier": issuer, "JwtVendingEnabled": true})
    );
    let e = call(
        &iam,
        &root,
        "EnableOutboundWebIdentityFederation",
        json!({}),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("FeatureEnabled", Some(409)));
    call(
        &iam,
        &root,
        "DisableOutboundWebIdentityFederation",
        json!({}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "GetOutboundWebIdentityFederationInfo",
        json!({}),
    )
    .unwrap_err();
    assert_eq!(e.code, "FeatureDisabled");
    assert_eq!(enable(&iam), issuer, "the account's issuer comes back");
}

#[test]
fn tokens_carry_the_documented_claims_and_verify_with_either_algorithm() {
    let iam = iam();
    let issuer = enable(&iam);
    let ctx = user_allowed(&iam, "dev", ALLOW_TOKENS);
    call(
        &iam,
        &root_ctx(),
        "TagUser",
        json!({"UserName": "dev", "Tags": [{"Key": "team", "Value": "video"}]}),
    )
    .unwrap();
    // No key is made before a token asks for one.
    assert_eq!(jwks(&iam, &issuer), json!({"keys": []}));
    let out = token(
        &iam,
        &ctx,
        json!({"Audience": ["https://api.example.com"], "SigningAlgorithm": "ES384",
               "Tags": [{"Key": "job", "Value": "42"}]}),
    );
    // Request tags need sts:TagGetWebIdentityToken as well.
    let e = out.unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    assert!(
        e.message.contains("sts:TagGetWebIdentityToken"),
        "{}",
        e.message
    );
    let both = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","sts:TagGetWebIdentityToken"],"Resource":"*"}]}"#;
    let ctx = user_allowed(&iam, "dev2", both);
    let out = token(
        &iam,
        &ctx,
        json!({"Audience": ["https://api.example.com"], "SigningAlgorithm": "ES384",
               "Tags": [{"Key": "job", "Value": "42"}]}),
    )
    .unwrap();
    let jwt = verified(&iam, &issuer, &out);
    assert_eq!(jwt.alg(), jsonwebtoken::Algorithm::ES384);
    let c = &jwt.claims;
    assert_eq!(c["iss"], json!(issuer));
    assert_eq!(c["aud"], "https://api.example.com");
    assert_eq!(c["sub"], "arn:aws:iam::000000000000:user/dev2");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 300);
    assert_eq!(
        out["Expiration"].as_f64().unwrap(),
        c["exp"].as_f64().unwrap()
    );
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);
    let aws = &c["https://sts.amazonaws.com/"];
    assert_eq!(aws["aws_account"], ACCOUNT);
    assert_eq!(aws["source_region"], "us-east-1");
    assert_eq!(aws["request_tags"], json!({"job": "42"}));
    assert!(aws.get("principal_tags").is_none(), "dev2 has no tags");
    // The other algorithm, several audiences, a longer lifetime, principal tags.
    let out = token(
        &iam,
        &user_allowed(&iam, "dev3", ALLOW_TOKENS),
        json!({"Audience": ["a", "b"], "SigningAlgorithm": "RS256", "DurationSeconds": 3600}),
    )
    .unwrap();
    let jwt = verified(&iam, &issuer, &out);
    assert_eq!(jwt.alg(), jsonwebtoken::Algorithm::RS256);
    assert_eq!(jwt.claims["aud"], json!(["a", "b"]));
    assert_eq!(
        jwt.claims["exp"].as_i64().unwrap() - jwt.claims["iat"].as_i64().unwrap(),
        3600
    );
    let tagged = token(
        &iam,
        &ctx_of(&iam, "dev"),
        json!({"Audience": ["a"], "SigningAlgorithm": "RS256"}),
    )
    .unwrap();
    let jwt = verified(&iam, &issuer, &tagged);
    assert_eq!(
        jwt.claims["https://sts.amazonaws.com/"]["principal_tags"],
        json!({"team": "video"})
    );
    // One key per algorithm, made once and reused.
    let keys = jwks(&iam, &issuer)["keys"].as_array().unwrap().clone();
    assert_eq!(keys.len(), 2);
    let algs: Vec<&str> = keys.iter().map(|k| k["alg"].as_str().unwrap()).collect();
    assert_eq!(algs, ["ES384", "RS256"]);
    assert!(keys
        .iter()
        .all(|k| k.get("d").is_none() && k.get("p").is_none()));
}

/// A fresh key of an existing user, as a signed context.
fn ctx_of(iam: &Arc<Iam>, user: &str) -> RequestContext {
    let k = call(
        iam,
        &root_ctx(),
        "CreateAccessKey",
        json!({"UserName": user}),
    )
    .unwrap();
    let id = k["AccessKey"]["AccessKeyId"].as_str().unwrap();
    RequestContext::new("r", iam.lookup_key(id).unwrap().principal, "us-east-1")
}

#[test]
fn a_disabled_account_gets_no_tokens_but_its_keys_stay_published() {
    let iam = iam();
    let ctx = user_allowed(&iam, "dev", ALLOW_TOKENS);
    let input = json!({"Audience": ["a"], "SigningAlgorithm": "ES384"});
    let e = token(&iam, &ctx, input.clone()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.status),
        ("OutboundWebIdentityFederationDisabledException", Some(403))
    );
    let issuer = enable(&iam);
    let out = token(&iam, &ctx, input.clone()).unwrap();
    call(
        &iam,
        &root_ctx(),
        "DisableOutboundWebIdentityFederation",
        json!({}),
    )
    .unwrap();
    let e = token(&iam, &ctx, input).unwrap_err();
    assert_eq!(e.code, "OutboundWebIdentityFederationDisabledException");
    // Tokens issued before the disable still verify.
    verified(&iam, &issuer, &out);
}

#[test]
fn a_role_session_gets_its_role_as_subject_and_no_token_outliving_it() {
    let iam = iam();
    enable(&iam);
    let admin = admin_ctx(&iam, "admin");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
        "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}]});
    call(
        &iam,
        &root_ctx(),
        "CreateRole",
        json!({"RoleName": "worker", "Path": "/apps/", "AssumeRolePolicyDocument": trust.to_string(),
               "Tags": [{"Key": "team", "Value": "role"}, {"Key": "env", "Value": "prod"}]}),
    )
    .unwrap();
    call(
        &iam,
        &root_ctx(),
        "PutRolePolicy",
        json!({"RoleName": "worker", "PolicyName": "p", "PolicyDocument": ALLOW_TOKENS}),
    )
    .unwrap();
    let assumed = sts(
        &iam,
        &admin,
        "AssumeRole",
        json!({"RoleArn": "arn:aws:iam::000000000000:role/apps/worker", "RoleSessionName": "s1",
               "DurationSeconds": 900, "SourceIdentity": "alice",
               "Tags": [{"Key": "team", "Value": "session"}]}),
    )
    .unwrap();
    let session = session_ctx(&iam, &assumed);
    let e = token(
        &iam,
        &session,
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384", "DurationSeconds": 3600}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.status),
        ("SessionDurationEscalationException", Some(403))
    );
    let out = token(
        &iam,
        &session,
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384", "DurationSeconds": 600}),
    )
    .unwrap();
    let jwt = Jwt::decode(out["WebIdentityToken"].as_str().unwrap()).unwrap();
    assert_eq!(
        jwt.claims["sub"],
        "arn:aws:iam::000000000000:role/apps/worker"
    );
    let aws = &jwt.claims["https://sts.amazonaws.com/"];
    // Session tags override the role's own, as `aws:PrincipalTag` does.
    assert_eq!(
        aws["principal_tags"],
        json!({"env": "prod", "team": "session"})
    );
    assert_eq!(aws["source_identity"], "alice");
}

#[test]
fn condition_keys_reach_policies() {
    let iam = iam();
    enable(&iam);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*",
        "Condition":{"ForAllValues:StringEquals":{"sts:IdentityTokenAudience":"https://ok.example"},
                     "NumericLessThanEquals":{"sts:DurationSeconds":600},
                     "StringEquals":{"sts:SigningAlgorithm":"ES384"}}}]}"#;
    let ctx = user_allowed(&iam, "dev", policy);
    let ok = json!({"Audience": ["https://ok.example"], "SigningAlgorithm": "ES384"});
    token(&iam, &ctx, ok).expect("the default 300 seconds is within 600");
    for bad in [
        json!({"Audience": ["https://ok.example", "https://other.example"], "SigningAlgorithm": "ES384"}),
        json!({"Audience": ["https://ok.example"], "SigningAlgorithm": "RS256"}),
        json!({"Audience": ["https://ok.example"], "SigningAlgorithm": "ES384", "DurationSeconds": 900}),
    ] {
        let e = token(&iam, &ctx, bad.clone()).unwrap_err();
        assert_eq!(
            code_message(&e),
            ("AccessDenied", "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action"),
            "{bad}"
        );
    }
    let nobody = user_ctx(&iam, "nobody");
    let e = token(
        &iam,
        &nobody,
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
}

#[test]
fn bad_inputs_get_aws_errors_not_panics() {
    let iam = iam();
    enable(&iam);
    let ctx = user_allowed(
        &iam,
        "dev",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}"#,
    );
    let e = token(
        &iam,
        &ctx,
        json!({"Audience": ["a"], "SigningAlgorithm": "RS512"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationError");
    assert!(e.message.contains("[RS256, ES384]"), "{}", e.message);
    let e = token(&iam, &ctx, json!({"Audience": ["a"]})).unwrap_err();
    assert_eq!(e.code, "ValidationError");
    let e = token(
        &iam,
        &ctx,
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384",
               "Tags": [{"Key": "k", "Value": "1"}, {"Key": "K", "Value": "2"}]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameterValue");
    let big: Vec<Value> = (0..50)
        .map(|i| json!({"Key": format!("{i:0>128}"), "Value": "v".repeat(256)}))
        .collect();
    let e = token(
        &iam,
        &ctx,
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384", "Tags": big}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.status),
        ("JWTPayloadSizeExceededException", Some(400))
    );
    // The model's most tags (50 of 128 + 256 characters) can exceed the limit.
    const { assert!(50 * (128 + 256) > MAX_PAYLOAD) };
    for d in [
        json!(59),
        json!(3601),
        json!("1e300"),
        json!("NaN"),
        json!(-1),
    ] {
        let e = token(
            &iam,
            &ctx,
            json!({"Audience": ["a"], "SigningAlgorithm": "ES384", "DurationSeconds": d}),
        )
        .unwrap_err();
        assert_eq!(e.code, "ValidationError", "{d}");
    }
    // Odd shapes the protocol layer would refuse never panic the handler.
    for input in [
        json!({}),
        json!({"Audience": "a", "SigningAlgorithm": "ES384"}),
        json!({"Audience": [1, null], "SigningAlgorithm": "ES384", "DurationSeconds": "x"}),
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384", "Tags": [{"Value": 1}, 3]}),
    ] {
        let _ = token(&iam, &ctx, input);
    }
}

#[test]
fn keys_and_the_setting_survive_the_journal_and_old_records_still_load() {
    let iam = iam();
    let issuer = enable(&iam);
    let ctx = user_allowed(&iam, "dev", ALLOW_TOKENS);
    let out = token(
        &iam,
        &ctx,
        json!({"Audience": ["a"], "SigningAlgorithm": "RS256"}),
    )
    .unwrap();
    let records = iam.records();
    let restored = crate::api::test_support::iam();
    for r in &records {
        restored.restore(r).unwrap();
    }
    verified(&restored, &issuer, &out);
    let ctx = ctx_of(&restored, "dev");
    let again = token(
        &restored,
        &ctx,
        json!({"Audience": ["a"], "SigningAlgorithm": "RS256"}),
    )
    .unwrap();
    let a = Jwt::decode(out["WebIdentityToken"].as_str().unwrap()).unwrap();
    let b = Jwt::decode(again["WebIdentityToken"].as_str().unwrap()).unwrap();
    assert_eq!(a.header.kid, b.header.kid, "the same key after a restart");
    // Settings journaled before this feature have no `outbound` member.
    let old: crate::store::AccountSettings = serde_json::from_value(json!({
        "account": ACCOUNT, "password_policy": null, "aliases": [], "report": null,
    }))
    .unwrap();
    assert!(old.outbound.is_none());
    assert!(!serde_json::to_string(&old).unwrap().contains("outbound"));
}

#[test]
fn discovery_serves_the_issuer_documents_and_nothing_else() {
    let iam = iam();
    let issuer = enable(&iam);
    let host = issuer.strip_prefix("https://").unwrap();
    let config = outbound::discovery(
        &iam,
        &format!("issuer/{host}/.well-known/openid-configuration"),
        "http://127.0.0.1:4566",
    )
    .unwrap()
    .unwrap();
    assert_eq!(config["issuer"], json!(issuer));
    assert_eq!(
        config["jwks_uri"],
        json!(format!(
            "http://127.0.0.1:4566/_mediamock/issuer/{host}/.well-known/jwks.json"
        ))
    );
    let unknown = "issuer/00000000-0000-4000-8000-000000000000.tokens.sts.global.api.aws/.well-known/jwks.json";
    assert_eq!(outbound::discovery(&iam, unknown, "http://h"), Some(None));
    for other in [
        "health",
        "issuer/",
        "issuer//.well-known/jwks.json",
        &format!("issuer/{host}/.well-known/other"),
        &format!("issuer/{host}/x/.well-known/jwks.json"),
    ] {
        assert_eq!(
            outbound::discovery(&iam, other, "http://h"),
            None,
            "{other}"
        );
    }
}

#[test]
fn an_import_cannot_take_another_accounts_issuer() {
    let iam = iam();
    let issuer = enable(&iam);
    token(
        &iam,
        &user_allowed(&iam, "dev", ALLOW_TOKENS),
        json!({"Audience": ["a"], "SigningAlgorithm": "ES384"}),
    )
    .unwrap();
    const OTHER: &str = "111111111111";
    iam.restore(&service::Record {
        account: OTHER.into(),
        table: "account".into(),
        key: OTHER.into(),
        value: Some(json!({"id": OTHER, "root_access_key": "other", "root_secret_key": "s"})),
    })
    .unwrap();
    let settings = |issuer: &str| service::Record {
        account: OTHER.into(),
        table: "account_settings".into(),
        key: format!("{OTHER}:account_settings"),
        value: Some(
            json!({"account": OTHER, "password_policy": null, "aliases": [],
            "report": null, "outbound": {"enabled": true, "issuer": issuer}}),
        ),
    };
    let e = iam
        .validate_import(OTHER, &[settings(&issuer)])
        .unwrap_err();
    assert!(e.contains("another account's"), "{e}");
    for bad in [
        "https://evil.example",
        "http://x.tokens.sts.global.api.aws",
        "https://a/b.tokens.sts.global.api.aws",
    ] {
        assert!(
            iam.validate_import(OTHER, &[settings(bad)]).is_err(),
            "{bad}"
        );
    }
    iam.validate_import(
        OTHER,
        &[settings("https://0a1b-2c.tokens.sts.global.api.aws")],
    )
    .unwrap();
    // The account's own export, keys and all, imports back.
    let mine: Vec<service::Record> = iam
        .records()
        .into_iter()
        .filter(|r| r.account == ACCOUNT)
        .collect();
    assert!(mine.iter().any(|r| r
        .value
        .as_ref()
        .is_some_and(|v| v["outbound"]["keys"].is_array())));
    iam.validate_import(ACCOUNT, &mine).unwrap();
}
