//! Identity providers: OpenID Connect providers (with the signing keys registered for them,
//! since mediamock never fetches JWKS over the network) and SAML providers.

use super::{from_value, to_value, AccountState, State, Tags};
use serde::{Deserialize, Serialize};
use service::{Journal, Record};

/// An IAM OpenID Connect provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OidcProvider {
    /// Owning account.
    pub account: String,
    /// The issuer URL without its scheme (`token.actions.githubusercontent.com`), as the ARN
    /// and condition keys name it.
    pub host: String,
    /// Audiences the provider accepts.
    pub client_ids: Vec<String>,
    /// Server certificate thumbprints (kept, never checked: there is no TLS fetch).
    pub thumbprints: Vec<String>,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Tags.
    pub tags: Tags,
    /// The issuer's signing keys as a JWKS document (`{"keys": [...]}`), registered through
    /// the admin API or the bootstrap file.
    #[serde(default)]
    pub jwks: Option<serde_json::Value>,
}

impl OidcProvider {
    /// `arn:aws:iam::ACCOUNT:oidc-provider/HOST`.
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::{}:oidc-provider/{}", self.account, self.host)
    }
}

/// An IAM SAML provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamlProvider {
    /// Owning account.
    pub account: String,
    /// The provider name.
    pub name: String,
    /// The metadata document as uploaded.
    pub metadata: String,
    /// The IdP's `entityID` (the `Issuer` its assertions carry).
    pub entity_id: String,
    /// Signing certificates (base64 DER) from the metadata.
    pub certificates: Vec<String>,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// `validUntil` of the metadata, seconds since the epoch.
    pub valid_until: Option<f64>,
    /// Tags.
    pub tags: Tags,
}

impl SamlProvider {
    /// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::{}:saml-provider/{}", self.account, self.name)
    }
}

/// Journal table of OIDC providers.
pub const OIDC_TABLE: &str = "oidc-provider";
/// Journal table of SAML providers.
pub const SAML_TABLE: &str = "saml-provider";

fn oidc_key(account: &str, host: &str) -> String {
    format!("{account}:{OIDC_TABLE}:{host}")
}

fn saml_key(account: &str, name: &str) -> String {
    format!("{account}:{SAML_TABLE}:{name}")
}

impl State {
    /// Journals and stores an OIDC provider.
    pub fn put_oidc(&mut self, j: &Journal, p: OidcProvider) {
        j.put(
            &p.account,
            OIDC_TABLE,
            &oidc_key(&p.account, &p.host),
            to_value(&p),
        );
        self.ensure_account(&p.account.clone())
            .oidc_providers
            .insert(p.host.clone(), p);
    }

    /// Journals and removes an OIDC provider.
    pub fn delete_oidc(&mut self, j: &Journal, account: &str, host: &str) {
        j.delete(account, OIDC_TABLE, &oidc_key(account, host));
        if let Some(a) = self.accounts.get_mut(account) {
            a.oidc_providers.remove(host);
        }
    }

    /// Journals and stores a SAML provider.
    pub fn put_saml(&mut self, j: &Journal, p: SamlProvider) {
        j.put(
            &p.account,
            SAML_TABLE,
            &saml_key(&p.account, &p.name),
            to_value(&p),
        );
        self.ensure_account(&p.account.clone())
            .saml_providers
            .insert(p.name.clone(), p);
    }

    /// Journals and removes a SAML provider.
    pub fn delete_saml(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(account, SAML_TABLE, &saml_key(account, name));
        if let Some(a) = self.accounts.get_mut(account) {
            a.saml_providers.remove(name);
        }
    }

    /// Re-applies a provider record; `None` when the record is of another table.
    pub(super) fn apply_federation(&mut self, r: &Record) -> Option<Result<(), String>> {
        let t = r.table.as_str();
        if t != OIDC_TABLE && t != SAML_TABLE {
            return None;
        }
        // The key's last part is the host or name; hosts may contain ':' (ports), so split
        // after the table name.
        let marker = format!(":{t}:");
        let last = r
            .key
            .split_once(&marker)
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default();
        let Some(v) = &r.value else {
            if let Some(a) = self.accounts.get_mut(&r.account) {
                if t == OIDC_TABLE {
                    a.oidc_providers.remove(&last);
                } else {
                    a.saml_providers.remove(&last);
                }
            }
            return Some(Ok(()));
        };
        Some(if t == OIDC_TABLE {
            from_value::<OidcProvider>(v).map(|p| {
                self.ensure_account(&p.account.clone())
                    .oidc_providers
                    .insert(p.host.clone(), p);
            })
        } else {
            from_value::<SamlProvider>(v).map(|p| {
                self.ensure_account(&p.account.clone())
                    .saml_providers
                    .insert(p.name.clone(), p);
            })
        })
    }

    /// Puts every provider of an account into `j`.
    pub(super) fn federation_records(a: &AccountState, j: &Journal) {
        let id = &a.rec.id;
        for p in a.oidc_providers.values() {
            j.put(id, OIDC_TABLE, &oidc_key(id, &p.host), to_value(p));
        }
        for p in a.saml_providers.values() {
            j.put(id, SAML_TABLE, &saml_key(id, &p.name), to_value(p));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_round_trip_through_records() {
        let mut s = State::new();
        let j = Journal::default();
        s.put_oidc(
            &j,
            OidcProvider {
                account: "000000000000".into(),
                host: "localhost:8443/realms/x".into(),
                client_ids: vec!["sts.amazonaws.com".into()],
                thumbprints: vec![],
                created: 1.0,
                tags: vec![],
                jwks: Some(serde_json::json!({"keys": []})),
            },
        );
        s.put_saml(
            &j,
            SamlProvider {
                account: "000000000000".into(),
                name: "okta".into(),
                metadata: "<x/>".into(),
                entity_id: "http://idp".into(),
                certificates: vec![],
                created: 1.0,
                valid_until: None,
                tags: vec![],
            },
        );
        let mut fresh = State::new();
        for r in s.records() {
            fresh.apply(&r).unwrap();
        }
        assert_eq!(fresh, s);
        s.delete_oidc(&j, "000000000000", "localhost:8443/realms/x");
        for (_, r) in j.take() {
            fresh.apply(&r).unwrap();
        }
        assert!(fresh.accounts["000000000000"].oidc_providers.is_empty());
        assert_eq!(fresh.accounts["000000000000"].saml_providers.len(), 1);
    }
}
