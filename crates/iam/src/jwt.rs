//! Web identity tokens (JWTs): decoding, algorithm selection and signature verification by
//! the `jsonwebtoken` crate against the provider's JWKS document. mediamock narrows what it
//! accepts to AWS's algorithms and matches keys by `kid`/`alg`/curve; the claims (`iss`, `aud`,
//! `azp`, `exp`, `nbf`, `iat`) are checked by the caller, which words AWS's errors.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde_json::Value;

/// The signing algorithms AssumeRoleWithWebIdentity accepts (RSA and ECDSA; never `none` or HMAC).
pub const ACCEPTED: [Algorithm; 5] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// A decoded, not yet verified token.
#[derive(Debug, Clone)]
pub struct Jwt {
    /// The JOSE header.
    pub header: Header,
    /// The claims.
    pub claims: Value,
    token: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON objects with a known `alg`.
    Malformed,
    /// No registered key fits the token's `kid`/`alg`.
    NoKey,
    /// A key fits but the signature does not verify.
    BadSignature,
}

impl Jwt {
    /// Splits and decodes a compact JWS without verifying it: the issuer names the provider
    /// whose keys verify it.
    pub fn decode(token: &str) -> Result<Jwt, JwtError> {
        let token = token.trim();
        if token.split('.').count() != 3 {
            return Err(JwtError::Malformed);
        }
        let data = jsonwebtoken::dangerous::insecure_decode::<Value>(token)
            .map_err(|_| JwtError::Malformed)?;
        if !data.claims.is_object() {
            return Err(JwtError::Malformed);
        }
        Ok(Jwt {
            header: data.header,
            claims: data.claims,
            token: token.to_string(),
        })
    }

    /// The `alg` header.
    pub fn alg(&self) -> Algorithm {
        self.header.alg
    }

    /// A string claim.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A numeric date claim (`exp`, `nbf`, `iat`).
    pub fn time_claim(&self, name: &str) -> Option<f64> {
        self.claims.get(name).and_then(Value::as_f64)
    }

    /// The audiences (`aud` as a string or a list).
    pub fn audiences(&self) -> Vec<String> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Verifies the signature with some key of `jwks` (`{"keys": [...]}`) that fits the
    /// token's `kid` and `alg`.
    pub fn verify(&self, jwks: &Value) -> Result<(), JwtError> {
        let alg = self.header.alg;
        if !ACCEPTED.contains(&alg) {
            return Err(JwtError::NoKey);
        }
        let kid = self.header.kid.as_deref();
        let keys = jwks
            .get("keys")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let candidates: Vec<Jwk> = keys
            .iter()
            .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
            .filter(|k| {
                k.get("alg")
                    .and_then(Value::as_str)
                    .is_none_or(|a| a == alg_name(alg))
            })
            // A key the crate cannot read is no candidate; the others may still verify.
            .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
            .filter(|k| fits(k, alg))
            .collect();
        if candidates.is_empty() {
            return Err(JwtError::NoKey);
        }
        let mut validation = Validation::new(alg);
        // Claims are the caller's, with AWS's wording and leeway.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        validation.leeway = 0;
        let mut usable = false;
        for jwk in &candidates {
            let Ok(key) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            match jsonwebtoken::decode::<Value>(&self.token, &key, &validation) {
                Ok(_) => return Ok(()),
                Err(e) if *e.kind() == ErrorKind::InvalidSignature => usable = true,
                Err(_) => {}
            }
        }
        Err(if usable {
            JwtError::BadSignature
        } else {
            JwtError::NoKey
        })
    }
}

fn alg_name(alg: Algorithm) -> &'static str {
    match alg {
        Algorithm::RS256 => "RS256",
        Algorithm::RS384 => "RS384",
        Algorithm::RS512 => "RS512",
        Algorithm::ES256 => "ES256",
        Algorithm::ES384 => "ES384",
        _ => "",
    }
}

/// Whether the key's type (and curve) suits the algorithm: a P-384 key never checks ES256.
fn fits(jwk: &Jwk, alg: Algorithm) -> bool {
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512) => {
            true
        }
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES256) => {
            ec.curve == EllipticCurve::P256
        }
        (AlgorithmParameters::EllipticCurve(ec), Algorithm::ES384) => {
            ec.curve == EllipticCurve::P384
        }
        _ => false,
    }
}

/// Whether `jwks` is a JWKS document whose every key mediamock can verify with.
pub fn valid_jwks(jwks: &Value) -> Result<(), String> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("a JWKS document needs a \"keys\" array")?;
    for k in keys {
        let usable = serde_json::from_value::<Jwk>(k.clone())
            .ok()
            .filter(|jwk| ACCEPTED.iter().any(|alg| fits(jwk, *alg)))
            .is_some_and(|jwk| DecodingKey::from_jwk(&jwk).is_ok());
        if !usable {
            return Err(format!("unsupported or incomplete key: {k}"));
        }
    }
    if keys.is_empty() {
        return Err("the JWKS document has no keys".into());
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    use serde_json::json;

    /// A fresh P-256 key and its JWKS.
    pub(crate) fn es256_key(kid: &str) -> (EcdsaKeyPair, Value) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let public = pair.public_key().as_ref();
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": kid, "alg": "ES256",
            "x": URL_SAFE_NO_PAD.encode(&public[1..33]), "y": URL_SAFE_NO_PAD.encode(&public[33..65])}]});
        (pair, jwks)
    }

    /// A compact ES256 token with these claims.
    pub(crate) fn sign_es256(pair: &EcdsaKeyPair, kid: &str, claims: &Value) -> String {
        let h =
            URL_SAFE_NO_PAD.encode(json!({"alg": "ES256", "typ": "JWT", "kid": kid}).to_string());
        let c = URL_SAFE_NO_PAD.encode(claims.to_string());
        let input = format!("{h}.{c}");
        let sig = pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
    }

    #[test]
    fn verifies_es256_and_refuses_other_keys_and_tampering() {
        let (pair, jwks) = es256_key("k1");
        let (_, other) = es256_key("k1");
        let token = sign_es256(&pair, "k1", &json!({"iss": "https://x", "aud": ["a", "b"]}));
        let jwt = Jwt::decode(&token).unwrap();
        assert_eq!(jwt.verify(&jwks), Ok(()));
        assert_eq!(jwt.audiences(), vec!["a", "b"]);
        assert_eq!(jwt.verify(&other), Err(JwtError::BadSignature));
        let (_, wrong_kid) = es256_key("k2");
        assert_eq!(jwt.verify(&wrong_kid), Err(JwtError::NoKey));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"iss": "https://x", "aud": "evil"}).to_string());
        parts[1] = &forged;
        let jwt = Jwt::decode(&parts.join(".")).unwrap();
        assert_eq!(jwt.verify(&jwks), Err(JwtError::BadSignature));
    }

    #[test]
    fn verifies_es384_and_never_checks_a_token_with_a_key_of_another_curve() {
        use ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING;
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let public = pair.public_key().as_ref();
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-384", "kid": "k",
            "x": URL_SAFE_NO_PAD.encode(&public[1..49]), "y": URL_SAFE_NO_PAD.encode(&public[49..97])}]});
        assert_eq!(valid_jwks(&jwks), Ok(()));
        let sign = |alg: &str| {
            let h = URL_SAFE_NO_PAD.encode(json!({"alg": alg, "kid": "k"}).to_string());
            let input = format!("{h}.{}", URL_SAFE_NO_PAD.encode(r#"{"sub":"s"}"#));
            let sig = pair.sign(&rng, input.as_bytes()).unwrap();
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
        };
        assert_eq!(Jwt::decode(&sign("ES384")).unwrap().verify(&jwks), Ok(()));
        // The same key and signature presented as ES256: the P-384 key is no candidate.
        assert_eq!(
            Jwt::decode(&sign("ES256")).unwrap().verify(&jwks),
            Err(JwtError::NoKey)
        );
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        // `e30` is `{}`: a header without `alg` is no JWS; `W10` is `[]`.
        let es = URL_SAFE_NO_PAD.encode(r#"{"alg":"ES256"}"#);
        for t in [
            "",
            "a.b",
            "a.b.c.d",
            "!!.??.**",
            "e30.e30",
            "W10.e30.AA",
            "e30.e30.",
            &format!("{es}.W10.AA"),
            &format!("{es}.e30.AA.AA"),
        ] {
            assert_eq!(Jwt::decode(t).err(), Some(JwtError::Malformed), "{t}");
        }
        assert!(Jwt::decode(&format!("{es}.e30.")).is_ok());
        // `none` and HMAC are never accepted, whatever the JWKS holds.
        let hs = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#);
        let jwt = Jwt::decode(&format!("{hs}.e30.AA")).unwrap();
        let oct = json!({"keys": [{"kty": "oct", "k": "AAAA"}]});
        assert_eq!(jwt.verify(&oct), Err(JwtError::NoKey));
        assert!(valid_jwks(&json!({"keys": [{"kty": "oct", "k": "AA"}]})).is_err());
        assert!(valid_jwks(&json!({"nokeys": 1})).is_err());
    }

    #[test]
    fn verifies_rs256_with_the_fixture_key() {
        // Test vector: a 2048-bit key's public half (fixtures/oidc-rsa.jwks.json) and a token
        // signed with its private half by openssl.
        let jwks: Value =
            serde_json::from_str(include_str!("../fixtures/oidc-rsa.jwks.json")).unwrap();
        let token = include_str!("../fixtures/oidc-rsa.token").trim();
        let jwt = Jwt::decode(token).unwrap();
        assert_eq!(jwt.alg(), Algorithm::RS256);
        assert_eq!(jwt.verify(&jwks), Ok(()));
        let (_, ec) = es256_key("test-rsa");
        assert_eq!(jwt.verify(&ec), Err(JwtError::NoKey));
    }
}
