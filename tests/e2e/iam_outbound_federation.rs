//! IAM outbound identity federation end to end with the real SDK: the account setting, STS
//! GetWebIdentityToken with both algorithms, each token verified by `jsonwebtoken` against the
//! JWKS fetched (unauthenticated) from mediamock's issuer route, the policy checks and their
//! condition keys, and the refusals once the feature is off.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_sts::types::Tag;
use common::TestServer;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

const AUDIENCE: &str = "https://api.example.com";

/// Tokens only for AUDIENCE, lasting at most 15 minutes, with request tags.
const TOKENS_FOR_AUDIENCE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetWebIdentityToken","sts:TagGetWebIdentityToken"],"Resource":"*","Condition":{"ForAllValues:StringEquals":{"sts:IdentityTokenAudience":"https://api.example.com"},"NumericLessThanEquals":{"sts:DurationSeconds":900}}}]}"#;

/// An unsigned GET of a path on the server: the status and the JSON body.
async fn get(server: &TestServer, path: &str) -> (u16, Value) {
    let host = server.endpoint.trim_start_matches("http://");
    let request = format!("GET {path} HTTP/1.1\r\nhost: {host}\r\nconnection: close\r\n\r\n");
    let r = server.raw(request.as_bytes()).await;
    (r.status, r.json())
}

/// Verifies `token`'s signature with the issuer's JWKS and its `iss`/`aud`; returns the claims.
fn verify(token: &str, jwks: &JwkSet, issuer: &str, alg: Algorithm) -> Value {
    let header = jsonwebtoken::decode_header(token).expect("a JWS header");
    assert_eq!(header.alg, alg);
    let kid = header.kid.expect("a kid");
    let jwk = jwks.find(&kid).expect("the kid is in the JWKS");
    let key = DecodingKey::from_jwk(jwk).expect("a usable key");
    let mut validation = Validation::new(alg);
    validation.set_audience(&[AUDIENCE]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .expect("the signature and claims verify")
        .claims
}

#[tokio::test]
async fn tokens_are_issued_verified_with_the_published_keys_and_refused_when_off() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    let (key, secret) = server.user_with_policy("app", TOKENS_FOR_AUDIENCE).await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config(&key, &secret).await);

    // Off until enabled.
    let err = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .send()
        .await
        .expect_err("the feature is off");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_outbound_web_identity_federation_disabled_exception()));
    let err = iam
        .get_outbound_web_identity_federation_info()
        .send()
        .await
        .expect_err("never enabled");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_feature_disabled_exception()));

    let issuer = iam
        .enable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap()
        .issuer_identifier
        .expect("an issuer");
    let host = issuer.strip_prefix("https://").expect("an https issuer");
    assert!(host.ends_with(".tokens.sts.global.api.aws"), "{issuer}");
    let info = iam
        .get_outbound_web_identity_federation_info()
        .send()
        .await
        .unwrap();
    assert_eq!(info.issuer_identifier(), Some(issuer.as_str()));
    assert!(info.jwt_vending_enabled());
    let err = iam
        .enable_outbound_web_identity_federation()
        .send()
        .await
        .expect_err("already on");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_feature_enabled_exception()));

    let es = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .tags(Tag::builder().key("job").value("42").build().unwrap())
        .send()
        .await
        .expect("an ES384 token");
    let rs = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("RS256")
        .duration_seconds(900)
        .send()
        .await
        .expect("an RS256 token");

    // The discovery documents, fetched without credentials.
    let base = format!("/_mediamock/issuer/{host}/.well-known");
    let (status, config) = get(&server, &format!("{base}/openid-configuration")).await;
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["issuer"], issuer.as_str());
    let jwks_uri = config["jwks_uri"].as_str().unwrap();
    assert_eq!(
        jwks_uri,
        format!("{}{base}/jwks.json", server.endpoint),
        "the configuration points at keys this server serves"
    );
    let (status, jwks) = get(&server, &format!("{base}/jwks.json")).await;
    assert_eq!(status, 200, "{jwks}");
    let jwks: JwkSet = serde_json::from_value(jwks).expect("a JWKS document");
    assert_eq!(jwks.keys.len(), 2);

    for (out, alg, duration) in [(&es, Algorithm::ES384, 300), (&rs, Algorithm::RS256, 900)] {
        let token = out.web_identity_token().unwrap();
        let claims = verify(token, &jwks, &issuer, alg);
        assert_eq!(claims["sub"], "arn:aws:iam::000000000000:user/app");
        assert_eq!(claims["aud"], AUDIENCE);
        let (iat, exp) = (
            claims["iat"].as_i64().unwrap(),
            claims["exp"].as_i64().unwrap(),
        );
        assert_eq!(exp - iat, duration);
        assert_eq!(out.expiration().unwrap().secs(), exp);
        assert_eq!(
            claims["https://sts.amazonaws.com/"]["aws_account"],
            "000000000000"
        );
    }
    let es_claims = verify(
        es.web_identity_token().unwrap(),
        &jwks,
        &issuer,
        Algorithm::ES384,
    );
    assert_eq!(
        es_claims["https://sts.amazonaws.com/"]["request_tags"]["job"],
        "42"
    );

    // The policy's conditions: another audience, a longer life.
    let err = sts
        .get_web_identity_token()
        .audience("https://elsewhere.example")
        .signing_algorithm("ES384")
        .send()
        .await
        .expect_err("an audience the policy does not allow");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/app is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows the sts:GetWebIdentityToken action")
    );
    let err = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .duration_seconds(3600)
        .send()
        .await
        .expect_err("longer than the policy allows");
    assert_eq!(err.code(), Some("AccessDenied"));
    // The model's range, checked before any policy.
    let err = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .duration_seconds(30)
        .send()
        .await
        .expect_err("below 60 seconds");
    assert_eq!(err.code(), Some("ValidationError"));
    let err = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("HS256")
        .send()
        .await
        .expect_err("not an algorithm STS signs with");
    assert_eq!(err.code(), Some("ValidationError"));

    // A user no policy allows.
    let (key, secret) = server.user_with_key("nobody").await;
    let nobody = aws_sdk_sts::Client::new(&server.sdk_config(&key, &secret).await);
    let err = nobody
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("RS256")
        .send()
        .await
        .expect_err("no policy allows it");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(err
        .message()
        .unwrap()
        .starts_with("User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: sts:GetWebIdentityToken"));

    // The account setting is IAM's to change: `iam:*OutboundWebIdentityFederation*` on `*`.
    let nobody_iam = aws_sdk_iam::Client::new(&server.sdk_config(&key, &secret).await);
    let err = nobody_iam
        .disable_outbound_web_identity_federation()
        .send()
        .await
        .expect_err("no policy allows it");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: iam:DisableOutboundWebIdentityFederation because no identity-based policy allows the iam:DisableOutboundWebIdentityFederation action")
    );
    let err = nobody_iam
        .get_outbound_web_identity_federation_info()
        .send()
        .await
        .expect_err("no policy allows it");
    assert_eq!(err.code(), Some("AccessDenied"));

    // Off again: no more tokens, the issued ones still verify.
    iam.disable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap();
    let err = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .send()
        .await
        .expect_err("the feature is off again");
    assert_eq!(
        err.code(),
        Some("OutboundWebIdentityFederationDisabledException")
    );
    let err = iam
        .disable_outbound_web_identity_federation()
        .send()
        .await
        .expect_err("already off");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_feature_disabled_exception()));
    let (status, jwks) = get(&server, &format!("{base}/jwks.json")).await;
    assert_eq!(status, 200);
    let jwks: JwkSet = serde_json::from_value(jwks).unwrap();
    verify(
        rs.web_identity_token().unwrap(),
        &jwks,
        &issuer,
        Algorithm::RS256,
    );
    // An issuer no account has.
    let (status, _) = get(
        &server,
        "/_mediamock/issuer/00000000-0000-4000-8000-000000000000.tokens.sts.global.api.aws/.well-known/jwks.json",
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
}

#[tokio::test]
async fn a_role_session_cannot_get_a_token_outliving_it() {
    let server = TestServer::start().await;
    let iam = server.iam_root().await;
    iam.enable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap();
    let (key, secret) = server
        .user_with_policy(
            "caller",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
        )
        .await;
    iam.create_role()
        .role_name("worker")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("worker")
        .policy_name("p")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let caller = aws_sdk_sts::Client::new(&server.sdk_config(&key, &secret).await);
    let creds = caller
        .assume_role()
        .role_arn("arn:aws:iam::000000000000:role/worker")
        .role_session_name("s1")
        .duration_seconds(900)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let session = aws_sdk_sts::Client::new(
        &server
            .sdk_config_with_token(
                &creds.access_key_id,
                &creds.secret_access_key,
                Some(&creds.session_token),
            )
            .await,
    );
    let err = session
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .duration_seconds(3600)
        .send()
        .await
        .expect_err("beyond the session's 15 minutes");
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_session_duration_escalation_exception()));
    let out = session
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("ES384")
        .send()
        .await
        .unwrap();
    let claims: Value = {
        let token = out.web_identity_token().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    assert_eq!(claims["sub"], "arn:aws:iam::000000000000:role/worker");
    server.stop().await;
}

#[tokio::test]
async fn the_issuer_and_its_keys_survive_a_restart_on_a_data_dir() {
    let dir = common::temp_dir("mediamock-outbound");
    let config = || {
        let mut c = server::Config::for_tests();
        c.data_dir = Some(dir.clone());
        c
    };
    let server = TestServer::start_with(config()).await;
    let issuer = server
        .iam_root()
        .await
        .enable_outbound_web_identity_federation()
        .send()
        .await
        .unwrap()
        .issuer_identifier
        .unwrap();
    let sts = aws_sdk_sts::Client::new(&server.root_config().await);
    let token = sts
        .get_web_identity_token()
        .audience(AUDIENCE)
        .signing_algorithm("RS256")
        .send()
        .await
        .unwrap()
        .web_identity_token
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let info = server
        .iam_root()
        .await
        .get_outbound_web_identity_federation_info()
        .send()
        .await
        .unwrap();
    assert_eq!(info.issuer_identifier(), Some(issuer.as_str()));
    let host = issuer.strip_prefix("https://").unwrap();
    let (status, jwks) = get(
        &server,
        &format!("/_mediamock/issuer/{host}/.well-known/jwks.json"),
    )
    .await;
    assert_eq!(status, 200);
    let jwks: JwkSet = serde_json::from_value(jwks).unwrap();
    let claims = verify(&token, &jwks, &issuer, Algorithm::RS256);
    assert_eq!(claims["sub"], "arn:aws:iam::000000000000:root");
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
