//! Web identity tokens (JWTs): decoding, and verifying the signature against a JWKS document
//! with `ring` (RS256/RS384/RS512, ES256/ES384). Claims are checked by the caller, which
//! words AWS's errors.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde_json::Value;

/// A decoded, not yet verified token.
#[derive(Debug, Clone)]
pub struct Jwt {
    /// The JOSE header.
    pub header: Value,
    /// The claims.
    pub claims: Value,
    signing_input: String,
    signature: Vec<u8>,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON objects.
    Malformed,
    /// No registered key fits the token's `kid`/`alg`.
    NoKey,
    /// A key fits but the signature does not verify.
    BadSignature,
}

fn part(s: &str) -> Result<Vec<u8>, JwtError> {
    // Some issuers pad; tolerate it.
    URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)
}

fn json_object(bytes: &[u8]) -> Result<Value, JwtError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(JwtError::Malformed),
    }
}

impl Jwt {
    /// Splits and decodes a compact JWS.
    pub fn decode(token: &str) -> Result<Jwt, JwtError> {
        let mut parts = token.trim().split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        Ok(Jwt {
            header: json_object(&part(h)?)?,
            claims: json_object(&part(c)?)?,
            signing_input: format!("{h}.{c}"),
            signature: part(s)?,
        })
    }

    /// The `alg` header.
    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
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
        let kid = self.header.get("kid").and_then(Value::as_str);
        let alg = self.alg();
        let keys = jwks
            .get("keys")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut candidates = keys
            .iter()
            .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
            .filter(|k| {
                k.get("alg")
                    .and_then(Value::as_str)
                    .is_none_or(|a| a == alg)
            })
            .peekable();
        if candidates.peek().is_none() {
            return Err(JwtError::NoKey);
        }
        let mut usable = false;
        for key in candidates {
            match verify_with(key, alg, self.signing_input.as_bytes(), &self.signature) {
                Some(true) => return Ok(()),
                Some(false) => usable = true,
                None => {}
            }
        }
        Err(if usable {
            JwtError::BadSignature
        } else {
            JwtError::NoKey
        })
    }
}

fn b64_field(key: &Value, name: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(key.get(name)?.as_str()?.trim_end_matches('='))
        .ok()
}

/// `Some(verified?)` when the key suits the algorithm, `None` when it cannot be used.
fn verify_with(key: &Value, alg: &str, message: &[u8], sig: &[u8]) -> Option<bool> {
    let kty = key.get("kty").and_then(Value::as_str)?;
    match (kty, alg) {
        ("RSA", "RS256" | "RS384" | "RS512") => {
            let params = match alg {
                "RS256" => &signature::RSA_PKCS1_2048_8192_SHA256,
                "RS384" => &signature::RSA_PKCS1_2048_8192_SHA384,
                _ => &signature::RSA_PKCS1_2048_8192_SHA512,
            };
            let n = b64_field(key, "n")?;
            let e = b64_field(key, "e")?;
            let components = RsaPublicKeyComponents { n: &n, e: &e };
            Some(components.verify(params, message, sig).is_ok())
        }
        ("EC", "ES256" | "ES384") => {
            let (params, crv, len): (&'static signature::EcdsaVerificationAlgorithm, _, _) =
                match alg {
                    "ES256" => (&signature::ECDSA_P256_SHA256_FIXED, "P-256", 32),
                    _ => (&signature::ECDSA_P384_SHA384_FIXED, "P-384", 48),
                };
            if key.get("crv").and_then(Value::as_str) != Some(crv) {
                return None;
            }
            let x = b64_field(key, "x")?;
            let y = b64_field(key, "y")?;
            if x.len() != len || y.len() != len {
                return None;
            }
            let mut point = Vec::with_capacity(1 + 2 * len);
            point.push(0x04);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            Some(
                UnparsedPublicKey::new(params, point)
                    .verify(message, sig)
                    .is_ok(),
            )
        }
        _ => None,
    }
}

/// Whether `jwks` is a JWKS document with at least one key mediamock can verify with.
pub fn valid_jwks(jwks: &Value) -> Result<(), String> {
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("a JWKS document needs a \"keys\" array")?;
    for k in keys {
        match k.get("kty").and_then(Value::as_str) {
            Some("RSA") if b64_field(k, "n").is_some() && b64_field(k, "e").is_some() => {}
            Some("EC") if b64_field(k, "x").is_some() && b64_field(k, "y").is_some() => {}
            _ => return Err(format!("unsupported or incomplete key: {k}")),
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
    fn rejects_garbage_without_panicking() {
        for t in ["", "a.b", "a.b.c.d", "!!.??.**", "e30.e30", "W10.e30.AA"] {
            assert_eq!(Jwt::decode(t).err(), Some(JwtError::Malformed), "{t}");
        }
        assert!(Jwt::decode("e30.e30.").is_ok());
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
        assert_eq!(jwt.alg(), "RS256");
        assert_eq!(jwt.verify(&jwks), Ok(()));
        let (_, ec) = es256_key("test-rsa");
        assert_eq!(jwt.verify(&ec), Err(JwtError::NoKey));
    }
}
