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
/// Entries are found by a SHA-256 of the secret, then by the scope, so lookups allocate
/// nothing and the map holds no secret in clear; the secret alone fits one SHA-256 block
/// (up to 55 bytes; AWS's are 40), where the four parts length-prefixed took two. Each
/// entry holds the derived key and its keyed HMAC state (which says no more than the key).
#[derive(Debug)]
pub struct SigningKeyCache {
    capacity: usize,
    keys: RwLock<Entries>,
}

/// Scopes kept per secret (one per day, region and service it signs for; a day's requests
/// use one or a few).
const SCOPES_PER_SECRET: usize = 8;

/// The cached keys: per secret's SHA-256, its scopes' keys (few: one per day, region and
/// service it signs for).
#[derive(Debug, Default)]
struct Entries {
    len: usize,
    by_secret: HashMap<[u8; 32], Vec<(CredentialScope, Prepared)>>,
}

impl Entries {
    fn find(&self, id: &[u8; 32], scope: &CredentialScope) -> Option<&Prepared> {
        self.by_secret
            .get(id)?
            .iter()
            .find_map(|(s, prepared)| (s == scope).then_some(prepared))
    }

    fn clear(&mut self) {
        self.by_secret.clear();
        self.len = 0;
    }
}

impl SigningKeyCache {
    /// A cache holding at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            keys: RwLock::new(Entries::default()),
        }
    }

    fn secret_id(secret: &str) -> [u8; 32] {
        Sha256::digest(secret.as_bytes()).into()
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
        let id = Self::secret_id(secret);
        if let Some(prepared) = self.keys.read().find(&id, scope) {
            return take(prepared);
        }
        let prepared = Prepared::new(derive_signing_key(secret, scope));
        let out = take(&prepared);
        let mut keys = self.keys.write();
        // Another request may have derived it meanwhile: kept once.
        if keys.find(&id, scope).is_none() {
            // Keys are cheap to re-derive; dropping them all when full keeps the bound without LRU bookkeeping.
            if keys.len >= self.capacity {
                keys.clear();
            }
            let scopes = keys.by_secret.entry(id).or_default();
            // A secret keeps its few latest scopes: a client that knows only an access key ID
            // can have keys derived for made-up regions before any signature is compared, and
            // must not lengthen the scan every request with that secret makes.
            let evicted = scopes.len() >= SCOPES_PER_SECRET;
            if evicted {
                scopes.remove(0);
            }
            scopes.push((scope.clone(), prepared));
            if !evicted {
                keys.len += 1;
            }
        }
        out
    }

    /// How many keys are cached.
    pub fn len(&self) -> usize {
        self.keys.read().len
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
        // One secret's scopes, and one scope under two secrets, are all told apart.
        let cache = SigningKeyCache::new(8);
        let other_region = CredentialScope {
            region: "us-west-2".into(),
            ..scope("20150830")
        };
        for (secret, scope) in [
            (s, scope("20150830")),
            (s, scope("20150831")),
            (s, other_region.clone()),
            ("other", scope("20150830")),
        ] {
            for _ in 0..2 {
                assert_eq!(
                    cache.get(secret, &scope),
                    derive_signing_key(secret, &scope)
                );
            }
        }
        assert_eq!(cache.len(), 4);
        cache.clear();
        assert!(cache.is_empty());
        assert_eq!(
            cache.get(s, &other_region),
            derive_signing_key(s, &other_region)
        );
        assert_eq!(cache.len(), 1);
        // Made-up scopes under one secret (no signature is needed to have them derived)
        // keep only the latest few, and the cache still answers right.
        let cache = SigningKeyCache::new(4096);
        for i in 0..100 {
            let made_up = CredentialScope {
                region: format!("aa-bb-{i}"),
                ..scope("20150830")
            };
            assert_eq!(cache.get(s, &made_up), derive_signing_key(s, &made_up));
        }
        assert_eq!(cache.len(), SCOPES_PER_SECRET);
        assert_eq!(
            cache.keys.read().by_secret.values().map(Vec::len).max(),
            Some(SCOPES_PER_SECRET)
        );
        assert_eq!(
            cache.get(s, &scope("20150830")),
            derive_signing_key(s, &scope("20150830"))
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
