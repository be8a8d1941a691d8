//! The identity-provider part of the bootstrap file: OIDC providers with their issuers'
//! signing keys (mediamock never fetches JWKS), and SAML providers.

use crate::api::iam::oidc_host_of;
use crate::store::{OidcProvider, SamlProvider, State};
use serde::Deserialize;
use std::collections::BTreeMap;

/// An OpenID Connect provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSpec {
    /// Issuer URL (`https://token.actions.githubusercontent.com`).
    pub url: String,
    /// Accepted audiences.
    #[serde(default)]
    pub client_ids: Vec<String>,
    /// Certificate thumbprints (kept, not checked).
    #[serde(default)]
    pub thumbprints: Vec<String>,
    /// The issuer's JWKS: a JSON string or an inline table `{keys = [...]}`.
    pub jwks: Option<serde_json::Value>,
}

/// A SAML provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlSpec {
    /// Provider name.
    pub name: String,
    /// The IdP metadata XML.
    pub metadata: String,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Adds or replaces the providers of `account`.
pub fn apply(
    state: &mut State,
    j: &service::Journal,
    account: &str,
    oidc: Vec<OidcSpec>,
    saml: Vec<SamlSpec>,
    now: f64,
) -> Result<(), String> {
    for o in oidc {
        let host = oidc_host_of(&o.url)
            .ok_or_else(|| format!("oidc provider {}: the URL must begin with https://", o.url))?;
        let jwks = match o.jwks {
            Some(serde_json::Value::String(text)) => Some(
                serde_json::from_str(&text)
                    .map_err(|e| format!("oidc provider {}: jwks: {e}", o.url))?,
            ),
            other => other,
        };
        if let Some(k) = &jwks {
            crate::jwt::valid_jwks(k).map_err(|e| format!("oidc provider {}: {e}", o.url))?;
        }
        // An existing provider is left as the API has changed it since (see
        // `bootstrap::apply`).
        if state
            .account(account)
            .is_some_and(|a| a.oidc_providers.contains_key(&host))
        {
            continue;
        }
        let created = now;
        state.put_oidc(
            j,
            OidcProvider {
                account: account.to_string(),
                host,
                client_ids: o.client_ids,
                thumbprints: o.thumbprints,
                created,
                tags: Vec::new(),
                jwks,
            },
        );
    }
    for s in saml {
        let m = crate::saml::parse_metadata(&s.metadata)
            .map_err(|e| format!("saml provider {}: {e}", s.name))?;
        if state
            .account(account)
            .is_some_and(|a| a.saml_providers.contains_key(&s.name))
        {
            continue;
        }
        state.put_saml(
            j,
            SamlProvider {
                account: account.to_string(),
                name: s.name,
                metadata: s.metadata,
                entity_id: m.entity_id,
                certificates: m.certificates,
                created: now,
                valid_until: m.valid_until,
                tags: s.tags.into_iter().collect(),
            },
        );
    }
    Ok(())
}
