//! Signing-key derivation and a bounded cache of derived keys.

use crate::lower_hex::Hex64;
use crate::request::CredentialScope;
use hmac::{Hmac, Mac};
use parking_lot::RwLock;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Derives the SigV4 signing key: HMAC chain over date, region, service and `aws4_request`.
pub fn derive_signing_key(secret: &str, scope: &CredentialScope) -> [u8; 32] {
    let mut k_secret = Vec::with_capacity(4 + secret.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = hmac(&k_secret, scope.date.as_bytes());
    let k_region = hmac(&k_date, scope.region.as_bytes());
    let k_service = hmac(&k_region, scope.service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// The hex signature of `string_to_sign` under a derived `signing_key` (what clients send).
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    Hex64::of(&hmac(signing_key, string_to_sign.as_bytes()))
        .as_str()
        .to_string()
}

/// The hex signature of `string_to_sign` under a keyed HMAC state (the signing key's pads
/// already absorbed, as [`SigningKeyCache`] keeps it).
pub(crate) fn signature_with(mut keyed: HmacSha256, string_to_sign: &[u8]) -> Hex64 {
    keyed.update(string_to_sign);
    Hex64::of(&keyed.finalize().into_bytes().into())
}

/// A derived signing key and its HMAC state with the key absorbed: a signature made from a
/// clone of the state skips the two compressions of the key's inner and outer pads.
#[derive(Debug, Clone)]
struct Prepared {
    key: [u8; 32],
    keyed: HmacSha256,
}

impl Prepared {
    fn new(key: [u8; 32]) -> Self {
        let keyed = match HmacSha256::new_from_slice(&key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        Self { key, keyed }
    }
}

/// Derived signing keys per (secret, date, region, service), bounded in size.
///
/// Entries are keyed by a SHA-256 of the four parts so lookups allocate nothing and the map holds
/// no secrets in clear. Each holds the derived key and its keyed HMAC state (which says no
/// more than the key itself).
#[derive(Debug)]
pub struct SigningKeyCache {
    capacity: usize,
    keys: RwLock<HashMap<[u8; 32], Prepared>>,
}

impl SigningKeyCache {
    /// A cache holding at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            keys: RwLock::new(HashMap::new()),
        }
    }

    fn cache_id(secret: &str, scope: &CredentialScope) -> [u8; 32] {
        let mut h = Sha256::new();
        // Length prefixes make the encoding unambiguous whatever the parts contain.
        for part in [
            secret.as_bytes(),
            scope.date.as_bytes(),
            scope.region.as_bytes(),
            scope.service.as_bytes(),
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        h.finalize().into()
    }

    /// The signing key for `secret` and `scope`, derived once and then served from the cache.
    pub fn get(&self, secret: &str, scope: &CredentialScope) -> [u8; 32] {
        self.prepared(secret, scope, |p| p.key)
    }

    /// The HMAC state keyed with the signing key for `secret` and `scope`, ready for the
    /// string to sign.
    pub(crate) fn keyed(&self, secret: &str, scope: &CredentialScope) -> HmacSha256 {
        self.prepared(secret, scope, |p| p.keyed.clone())
    }

    fn prepared<T>(
        &self,
        secret: &str,
        scope: &CredentialScope,
        take: impl Fn(&Prepared) -> T,
    ) -> T {
        let id = Self::cache_id(secret, scope);
        if let Some(prepared) = self.keys.read().get(&id) {
            return take(prepared);
        }
        let prepared = Prepared::new(derive_signing_key(secret, scope));
        let out = take(&prepared);
        let mut keys = self.keys.write();
        // Keys are cheap to re-derive; dropping them all when full keeps the bound without LRU bookkeeping.
        if keys.len() >= self.capacity {
            keys.clear();
        }
        keys.insert(id, prepared);
        out
    }

    /// How many keys are cached.
    pub fn len(&self) -> usize {
        self.keys.read().len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every cached key.
    pub fn clear(&self) {
        self.keys.write().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(date: &str) -> CredentialScope {
        CredentialScope {
            date: date.into(),
            region: "us-east-1".into(),
            service: "iam".into(),
        }
    }

    #[test]
    fn derives_aws_documented_key() {
        // AWS's documented example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830/us-east-1/iam.
        let key = derive_signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            &scope("20150830"),
        );
        assert_eq!(
            hex::encode(key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn cache_returns_the_derived_key_and_stays_bounded() {
        let cache = SigningKeyCache::new(2);
        let s = "secret";
        assert_eq!(
            cache.get(s, &scope("20150830")),
            derive_signing_key(s, &scope("20150830"))
        );
        assert_eq!(cache.len(), 1);
        cache.get(s, &scope("20150830"));
        assert_eq!(cache.len(), 1, "a hit adds nothing");
        cache.get(s, &scope("20150831"));
        assert_eq!(cache.len(), 2);
        cache.get(s, &scope("20150901"));
        assert!(cache.len() <= 2);
        assert_ne!(
            cache.get("other", &scope("20150830")),
            cache.get(s, &scope("20150830"))
        );
    }

    #[test]
    fn a_signature_from_the_keyed_state_is_the_signature() {
        let cache = SigningKeyCache::new(2);
        let key = derive_signing_key("secret", &scope("20150830"));
        for _ in 0..2 {
            // Derived on the first call, served from the cache on the second.
            let keyed = cache.keyed("secret", &scope("20150830"));
            assert_eq!(
                signature_with(keyed, b"sts").as_str(),
                signature(&key, "sts")
            );
        }
        assert_eq!(cache.len(), 1);
    }
}
