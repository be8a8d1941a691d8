//! IAM outbound identity federation: an account's token issuer and its signing keys, the JWTs
//! STS GetWebIdentityToken signs with them, and the OpenID discovery documents (configuration
//! and JWKS) a verifier fetches from mediamock.
//!
//! The issuer keeps AWS's format (`https://UUID.tokens.sts.global.api.aws`) so the `iss` claim
//! is what a verifier configured for AWS expects; since that host is AWS's, mediamock serves the
//! issuer's documents itself, unauthenticated, at
//! `/_mediamock/issuer/UUID.tokens.sts.global.api.aws/.well-known/{openid-configuration,jwks.json}`
//! (the issuer URL with `https://` swapped for the server's `/_mediamock/issuer/`).

use crate::store::State;
use crate::Iam;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// AWS's domain of outbound issuers: each account's issuer is a subdomain of it.
pub const ISSUER_DOMAIN: &str = "tokens.sts.global.api.aws";

/// The admin route (under `/_mediamock/`) the issuers' discovery documents are served from.
pub const ROUTE: &str = "issuer/";

/// An account's outbound identity federation, kept in its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundFederation {
    /// Whether principals of the account may get tokens (`JwtVendingEnabled`).
    pub enabled: bool,
    /// The issuer URL (`IssuerIdentifier`, the tokens' `iss`). It stays the account's when the
    /// feature is disabled and enabled again, so verifiers configured for it keep working.
    pub issuer: String,
    /// Signing keys, one per algorithm, each made the first time a token asks for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<SigningKey>,
}

/// A signing key. Its private half stays in the store (and the journal, so tokens issued
/// before a restart still verify); only [`SigningKey::jwk`] is ever served.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct SigningKey {
    /// `RS256` or `ES384`.
    pub alg: String,
    /// The key ID (`kid`): the RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// The public key as a JWK, as the JWKS document lists it.
    pub jwk: Value,
    /// The private key, PKCS#8 DER in base64.
    pub pkcs8: String,
    /// When it was made, seconds since the epoch.
    pub created: f64,
}

/// Keeps the private key out of logs and panics.
impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// The algorithms GetWebIdentityToken signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, a 2048-bit key.
    Rs256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
}

impl Alg {
    /// The algorithm a `SigningAlgorithm` value names (exactly, as AWS lists them).
    pub fn parse(name: &str) -> Option<Alg> {
        match name {
            "RS256" => Some(Alg::Rs256),
            "ES384" => Some(Alg::Es384),
            _ => None,
        }
    }

    /// Its JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Es384 => "ES384",
        }
    }
}

impl OutboundFederation {
    /// The key for `alg`, if one has been made.
    pub fn key(&self, alg: Alg) -> Option<&SigningKey> {
        self.keys.iter().find(|k| k.alg == alg.name())
    }

    /// The issuer's host (`UUID.tokens.sts.global.api.aws`).
    pub fn host(&self) -> &str {
        self.issuer.strip_prefix("https://").unwrap_or(&self.issuer)
    }
}

/// A new issuer URL: `https://UUID.tokens.sts.global.api.aws`, as AWS's examples show.
pub fn new_issuer(ids: &service::IdGen) -> String {
    format!("https://{}.{ISSUER_DOMAIN}", ids.uuid())
}

/// Why a key could not be made or used (never expected: the keys are ours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

/// Makes a signing key for `alg`. RSA generation takes a moment, so callers do it outside
/// the store's lock.
pub fn generate(alg: Alg, now: f64) -> Result<SigningKey, KeyError> {
    let (pkcs8, jwk) = match alg {
        Alg::Es384 => generate_es384()?,
        Alg::Rs256 => generate_rs256()?,
    };
    let kid = thumbprint(&jwk);
    let mut jwk = jwk;
    jwk["kid"] = json!(kid);
    jwk["alg"] = json!(alg.name());
    jwk["use"] = json!("sig");
    Ok(SigningKey {
        alg: alg.name().to_string(),
        kid,
        jwk,
        pkcs8: STANDARD.encode(pkcs8),
        created: now.floor(),
    })
}

fn generate_es384() -> Result<(Vec<u8>, Value), KeyError> {
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P384_SHA384_FIXED_SIGNING};
    let rng = ring::rand::SystemRandom::new();
    let err = |e: &dyn std::fmt::Display| KeyError(format!("P-384 key: {e}"));
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng)
        .map_err(|e| err(&e))?;
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .map_err(|e| err(&e))?;
    // An uncompressed point: 0x04, then x and y of 48 bytes each.
    let point = pair.public_key().as_ref();
    if point.len() != 97 {
        return Err(KeyError("P-384 key: unexpected public point".into()));
    }
    let jwk = json!({
        "kty": "EC", "crv": "P-384",
        "x": URL_SAFE_NO_PAD.encode(&point[1..49]),
        "y": URL_SAFE_NO_PAD.encode(&point[49..97]),
    });
    Ok((pkcs8.as_ref().to_vec(), jwk))
}

/// `ring` cannot make RSA keys; aws-lc-rs (already built for the AWS SDK and `jsonwebtoken`)
/// can.
fn generate_rs256() -> Result<(Vec<u8>, Value), KeyError> {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair;
    let err = |e: &dyn std::fmt::Display| KeyError(format!("RSA key: {e}"));
    let pair = RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| err(&e))?;
    let pkcs8 = pair.as_der().map_err(|e| err(&e))?;
    let public = pair.public_key();
    let jwk = json!({
        "kty": "RSA",
        "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
        "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
    });
    Ok((pkcs8.as_ref().to_vec(), jwk))
}

/// The RFC 7638 thumbprint of a public JWK: SHA-256 of its required members in lexicographic
/// order, base64url.
fn thumbprint(jwk: &Value) -> String {
    let s = |k: &str| jwk.get(k).and_then(Value::as_str).unwrap_or_default();
    let canonical = match s("kty") {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            s("crv"),
            s("x"),
            s("y")
        ),
        _ => format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, s("e"), s("n")),
    };
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

/// Signs `claims` as a compact JWS with `key` (header `alg`, `typ: JWT`, `kid`).
pub fn sign(key: &SigningKey, claims: &Value) -> Result<String, KeyError> {
    let header = json!({"alg": key.alg, "typ": "JWT", "kid": key.kid});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let der = STANDARD
        .decode(&key.pkcs8)
        .map_err(|e| KeyError(format!("stored key: {e}")))?;
    let signature = match Alg::parse(&key.alg) {
        Some(Alg::Es384) => sign_es384(&der, input.as_bytes())?,
        Some(Alg::Rs256) => sign_rs256(&der, input.as_bytes())?,
        None => return Err(KeyError(format!("unknown algorithm {}", key.alg))),
    };
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

fn sign_es384(pkcs8: &[u8], msg: &[u8]) -> Result<Vec<u8>, KeyError> {
    use ring::signature::{EcdsaKeyPair, ECDSA_P384_SHA384_FIXED_SIGNING};
    let rng = ring::rand::SystemRandom::new();
    let err = |e: &dyn std::fmt::Display| KeyError(format!("ES384: {e}"));
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8, &rng)
        .map_err(|e| err(&e))?;
    // The fixed form (r || s) is what JWS wants (RFC 7518 §3.4).
    Ok(pair.sign(&rng, msg).map_err(|e| err(&e))?.as_ref().to_vec())
}

fn sign_rs256(pkcs8: &[u8], msg: &[u8]) -> Result<Vec<u8>, KeyError> {
    use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
    use aws_lc_rs::signature::RSA_PKCS1_SHA256;
    let err = |e: &dyn std::fmt::Display| KeyError(format!("RS256: {e}"));
    let pair = RsaKeyPair::from_pkcs8(pkcs8).map_err(|e| err(&e))?;
    let mut signature = vec![0u8; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        msg,
        &mut signature,
    )
    .map_err(|e| err(&e))?;
    Ok(signature)
}

/// The issuer's JWKS document: the public halves of its keys.
pub fn jwks(f: &OutboundFederation) -> Value {
    let keys: Vec<&Value> = f.keys.iter().map(|k| &k.jwk).collect();
    json!({ "keys": keys })
}

/// The issuer's OpenID configuration. `issuer` is the `iss` of its tokens; `jwks_uri` is
/// where this server serves the keys (AWS's is `ISSUER/.well-known/jwks.json`, a host only
/// AWS answers), so a client that discovers through mediamock finds keys it can fetch.
pub fn openid_configuration(f: &OutboundFederation, jwks_uri: &str) -> Value {
    json!({
        "issuer": f.issuer,
        "jwks_uri": jwks_uri,
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES384"],
    })
}

/// The federation of the account whose issuer's host is `host`, if any (disabled ones too:
/// tokens issued before a disable stay verifiable).
pub fn by_host<'s>(state: &'s State, host: &str) -> Option<&'s OutboundFederation> {
    state
        .accounts
        .values()
        .filter_map(|a| a.settings.outbound.as_ref())
        .find(|f| f.host().eq_ignore_ascii_case(host))
}

/// Refuses an imported federation whose issuer is not of AWS's form or is another account's:
/// the discovery route would otherwise serve the importer's keys for someone else's issuer.
pub(crate) fn check_import(
    state: &State,
    account: &str,
    f: &OutboundFederation,
) -> Result<(), String> {
    let host = f.host();
    let id = host
        .strip_suffix(ISSUER_DOMAIN)
        .and_then(|id| id.strip_suffix('.'))
        .filter(|id| f.issuer.starts_with("https://") && is_issuer_id(id));
    if id.is_none() {
        return Err(format!(
            "issuer {} is not https://ID.{ISSUER_DOMAIN}",
            f.issuer
        ));
    }
    let taken = state.accounts.iter().any(|(other, a)| {
        other != account
            && a.settings
                .outbound
                .as_ref()
                .is_some_and(|o| o.host().eq_ignore_ascii_case(host))
    });
    if taken {
        return Err(format!("issuer {} is another account's", f.issuer));
    }
    Ok(())
}

/// Whether `id` can be an issuer's first label: what [`new_issuer`] makes (hex and hyphens).
fn is_issuer_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 63 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// One of the open discovery routes: `issuer/HOST/.well-known/openid-configuration` or
/// `issuer/HOST/.well-known/jwks.json` under `/_mediamock/` (`route` is the part after it).
/// `None` when the route is not one of them; `Some(None)` when no account has that issuer.
/// `server` is the scheme and authority the request reached (`http://127.0.0.1:4566`).
pub fn discovery(iam: &Iam, route: &str, server: &str) -> Option<Option<Value>> {
    let rest = route.strip_prefix(ROUTE)?;
    let (host, document) = rest.split_once("/.well-known/")?;
    if host.is_empty() || host.contains('/') {
        return None;
    }
    let state = iam.state.read();
    let found = by_host(&state, host);
    Some(match document {
        "jwks.json" => found.map(jwks),
        "openid-configuration" => found.map(|f| {
            let uri = format!(
                "{server}/_mediamock/{ROUTE}{}/.well-known/jwks.json",
                f.host()
            );
            openid_configuration(f, &uri)
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::{Jwt, JwtError};

    #[test]
    fn an_es384_key_signs_tokens_its_jwks_verifies() {
        let key = generate(Alg::Es384, 1.0).unwrap();
        let fed = OutboundFederation {
            enabled: true,
            issuer: "https://x.tokens.sts.global.api.aws".into(),
            keys: vec![key.clone()],
        };
        let token = sign(&key, &json!({"sub": "s", "aud": "a"})).unwrap();
        let jwt = Jwt::decode(&token).unwrap();
        assert_eq!(jwt.header.kid.as_deref(), Some(key.kid.as_str()));
        assert_eq!(jwt.header.typ.as_deref(), Some("JWT"));
        assert_eq!(jwt.verify(&jwks(&fed)), Ok(()));
        assert_eq!(crate::jwt::valid_jwks(&jwks(&fed)), Ok(()));
        // The private half is nowhere in what is served.
        assert!(!jwks(&fed).to_string().contains(&key.pkcs8));
        assert!(!format!("{key:?}").contains(&key.pkcs8));
        // Another key of the same kind does not verify it.
        let other = generate(Alg::Es384, 1.0).unwrap();
        let mut forged = other.clone();
        forged.kid = key.kid.clone();
        let bad = sign(&forged, &json!({"sub": "s"})).unwrap();
        assert_eq!(
            Jwt::decode(&bad).unwrap().verify(&jwks(&fed)),
            Err(JwtError::BadSignature)
        );
    }

    #[test]
    fn an_rs256_key_signs_tokens_its_jwks_verifies() {
        let started = std::time::Instant::now();
        let key = generate(Alg::Rs256, 1.0).unwrap();
        // Made lazily on a request: it must not hold the request up for long.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(key.jwk["kty"], "RSA");
        assert_eq!(key.jwk["e"], "AQAB");
        let n = URL_SAFE_NO_PAD
            .decode(key.jwk["n"].as_str().unwrap())
            .unwrap();
        assert_eq!(n.len(), 256, "a 2048-bit modulus");
        let fed = OutboundFederation {
            enabled: true,
            issuer: "https://x.tokens.sts.global.api.aws".into(),
            keys: vec![generate(Alg::Es384, 1.0).unwrap(), key.clone()],
        };
        let token = sign(&key, &json!({"sub": "s"})).unwrap();
        let jwt = Jwt::decode(&token).unwrap();
        assert_eq!(jwt.alg(), jsonwebtoken::Algorithm::RS256);
        assert_eq!(jwt.verify(&jwks(&fed)), Ok(()));
    }

    #[test]
    fn key_ids_are_rfc7638_thumbprints() {
        // RFC 7638 §3.1's example key and thumbprint.
        let jwk = json!({"kty": "RSA", "e": "AQAB", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(&jwk),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn a_corrupt_stored_key_is_an_error_not_a_panic() {
        let mut key = generate(Alg::Es384, 1.0).unwrap();
        for bad in ["", "!!!", "AAAA"] {
            key.pkcs8 = bad.into();
            assert!(sign(&key, &json!({})).is_err());
        }
        key.alg = "HS256".into();
        assert!(sign(&key, &json!({})).is_err());
        key.alg = "RS256".into();
        key.pkcs8 = STANDARD.encode(b"not a key");
        assert!(sign(&key, &json!({})).is_err());
    }

    #[test]
    fn issuers_have_aws_format() {
        let ids = service::IdGen::new(Some(7));
        let issuer = new_issuer(&ids);
        let host = issuer.strip_prefix("https://").unwrap();
        let (id, domain) = host.split_once('.').unwrap();
        assert_eq!(domain, ISSUER_DOMAIN);
        assert_eq!(id.len(), 36, "{id}");
        assert_ne!(issuer, new_issuer(&ids));
    }
}
