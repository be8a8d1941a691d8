//! OpenID Connect providers: Create/Get/List/Delete, client IDs, thumbprints and tags.

use super::entity::{update, Entity};
use super::Call;
use crate::api::errors::{invalid, quota};
use crate::api::input;
use crate::store::{OidcProvider, State};
use serde_json::{json, Value};
use service::ServiceError;

/// Providers an account may have.
const MAX_PROVIDERS: usize = 100;

/// The issuer URL without its `https://` scheme and trailing `/`: the provider's key.
pub(crate) fn host_of(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.trim_end_matches('/');
    (!host.is_empty() && !host.contains(['?', '#', ' '])).then(|| host.to_string())
}

/// The key (`HOST/PATH`) an `oidc-provider` ARN of `account` names.
fn host_from_arn<'a>(account: &str, arn: &'a str) -> Option<&'a str> {
    arn.strip_prefix(&format!("arn:aws:iam::{account}:oidc-provider/"))
}

/// Client IDs a provider may have.
const MAX_CLIENT_IDS: usize = 100;

fn not_found(arn: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("OpenIDConnect Provider not found for arn {arn}"),
    )
    .with_status(404)
}

/// The stored provider the request's `OpenIDConnectProviderArn` names.
fn find<'a>(c: &Call, s: &'a State) -> Result<&'a OidcProvider, ServiceError> {
    let arn = input::req(c.input, "OpenIDConnectProviderArn")?;
    host_from_arn(c.account, arn)
        .and_then(|h| s.account(c.account)?.oidc_providers.get(h))
        .ok_or_else(|| not_found(arn))
}

impl Entity for OidcProvider {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(c, s)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_oidc(&c.ctx.journal, self);
    }
}

/// At most five thumbprints. Their 40 characters are the model's bound, checked before the
/// handler; IAM does not require hex: Terraform's aws_iam_openid_connect_provider acceptance
/// tests, run against AWS, create and update providers with the thumbprint
/// `oif8192f189fa2178f-testle.thumbprint.com`.
fn check_thumbprints(list: &[String]) -> Result<(), ServiceError> {
    if list.len() > 5 {
        return Err(quota("ThumbprintsPerOpenIdConnectProvider", 5));
    }
    Ok(())
}

fn check_client_id(id: &str) -> Result<(), ServiceError> {
    if id.is_empty() || id.len() > 255 {
        return Err(crate::api::errors::constraint(
            "clientID",
            "Member must have length less than or equal to 255",
        ));
    }
    Ok(())
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let url = input::req(c.input, "Url")?;
    // A URL with no scheme at all (`example.org`): ValidationError "Invalid Open ID Connect
    // Provider URL" (test_iam_oidc.snapshot.json
    // test_create_open_id_connect_provider_invalid_url); another scheme keeps our wording.
    if !url.contains("://") {
        return Err(
            ServiceError::new("ValidationError", "Invalid Open ID Connect Provider URL")
                .with_status(400),
        );
    }
    let host = host_of(url).ok_or_else(|| invalid("The URL must begin with https://"))?;
    let mut client_ids = Vec::new();
    for id in input::strings(c.input, "ClientIDList") {
        check_client_id(&id)?;
        if !client_ids.contains(&id) {
            client_ids.push(id);
        }
    }
    let thumbprints: Vec<String> = input::strings(c.input, "ThumbprintList")
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    // More than five thumbprints at creation: InvalidInput "Thumbprint list must contain fewer
    // than 5 entries." (LocalStack's snapshot test recorded against AWS:
    // test_iam_oidc.snapshot.json test_create_open_id_connect_provider_too_many_thumbprints).
    // UpdateOpenIDConnectProviderThumbprint keeps its LimitExceeded: no recorded answer.
    if thumbprints.len() > 5 {
        return Err(invalid(
            "Thumbprint list must contain fewer than 5 entries.",
        ));
    }
    // More than 100 client IDs: LimitExceeded, as AddClientIDToOpenIDConnectProvider answers
    // (test_iam_oidc.snapshot.json test_create_open_id_connect_provider_quota_error).
    if client_ids.len() > MAX_CLIENT_IDS {
        return Err(quota("ClientIdsPerOpenIdConnectProvider", MAX_CLIENT_IDS));
    }
    let tags = super::tags::requested::<OidcProvider>(c.input)?;
    let account = s.account(c.account);
    if account.is_some_and(|a| a.oidc_providers.contains_key(&host)) {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            format!("Provider with url {url} already exists."),
        )
        .with_status(409));
    }
    if account.is_some_and(|a| a.oidc_providers.len() >= MAX_PROVIDERS) {
        return Err(quota("OpenIdConnectProvidersPerAccount", MAX_PROVIDERS));
    }
    let p = OidcProvider {
        account: c.account.to_string(),
        host,
        client_ids,
        thumbprints,
        created: c.now.floor(),
        tags,
        jwks: None,
    };
    let mut out = json!({"OpenIDConnectProviderArn": p.arn()});
    if !p.tags.is_empty() {
        out["Tags"] = input::tags_json(&p.tags);
    }
    s.put_oidc(&c.ctx.journal, p);
    Ok(out)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let p = find(c, s)?;
    Ok(json!({
        "Url": p.host, "ClientIDList": p.client_ids, "ThumbprintList": p.thumbprints,
        "CreateDate": p.created, "Tags": input::tags_json(&p.tags),
    }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let list: Vec<Value> = s
        .account(c.account)
        .map(|a| {
            a.oidc_providers
                .values()
                .map(|p| json!({"Arn": p.arn()}))
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({"OpenIDConnectProviderList": list}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    // Not GetOpenIDConnectProvider's wording (test_iam_oidc.snapshot.json
    // test_delete_open_id_connect_provider: 'get-not-found-error', 'deletion-not-found-error').
    let host = find(c, s)
        .map_err(|_| {
            let arn = input::opt(c.input, "OpenIDConnectProviderArn").unwrap_or_default();
            ServiceError::new(
                "NoSuchEntity",
                format!("OpenId connect Provider {arn} cannot be found."),
            )
            .with_status(404)
        })?
        .host
        .clone();
    s.delete_oidc(&c.ctx.journal, c.account, &host);
    Ok(json!({}))
}

pub(crate) fn add_client_id(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let id = input::req(c.input, "ClientID")?.to_string();
    check_client_id(&id)?;
    update(c, s, |_, p: &mut OidcProvider| {
        if !p.client_ids.contains(&id) {
            if p.client_ids.len() >= MAX_CLIENT_IDS {
                return Err(quota("ClientIdsPerOpenIdConnectProvider", MAX_CLIENT_IDS));
            }
            p.client_ids.push(id);
        }
        Ok(())
    })
}

pub(crate) fn remove_client_id(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let id = input::req(c.input, "ClientID")?.to_string();
    update(c, s, |_, p: &mut OidcProvider| {
        p.client_ids.retain(|x| *x != id);
        Ok(())
    })
}

pub(crate) fn update_thumbprint(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let list: Vec<String> = input::strings(c.input, "ThumbprintList")
        .into_iter()
        .map(|t| t.to_lowercase())
        .collect();
    check_thumbprints(&list)?;
    update(c, s, |_, p: &mut OidcProvider| {
        p.thumbprints = list;
        Ok(())
    })
}

/// Registers the issuer's signing keys (a JWKS document) for a provider of `account`: the
/// admin API's `oidc-keys`. `url` may be the provider ARN or its issuer URL.
pub(crate) fn register_keys(
    s: &mut State,
    j: &service::Journal,
    account: &str,
    url: &str,
    jwks: Value,
) -> Result<String, ServiceError> {
    crate::jwt::valid_jwks(&jwks).map_err(invalid)?;
    let host = host_from_arn(account, url)
        .map(str::to_string)
        .or_else(|| host_of(url))
        .ok_or_else(|| invalid(format!("{url} is neither an issuer URL nor a provider ARN")))?;
    let mut p = s
        .account(account)
        .and_then(|a| a.oidc_providers.get(&host))
        .cloned()
        .ok_or_else(|| not_found(&format!("arn:aws:iam::{account}:oidc-provider/{host}")))?;
    p.jwks = Some(jwks);
    let arn = p.arn();
    s.put_oidc(j, p);
    Ok(arn)
}

/// The admin endpoint `POST /_mediamock/iam/oidc-keys` with
/// `{"provider": "https://issuer or provider ARN", "jwks": {"keys": [...]}}`.
pub(crate) fn admin(
    iam: &crate::Iam,
    ctx: &service::RequestContext,
    method: &str,
    path: &str,
    body: Value,
) -> Option<Result<Value, ServiceError>> {
    if path.trim_matches('/') != "oidc-keys" {
        return None;
    }
    if method != "POST" {
        return Some(Err(invalid("use POST on /_mediamock/iam/oidc-keys")));
    }
    let Some(provider) = body
        .get("provider")
        .or_else(|| body.get("url"))
        .and_then(Value::as_str)
    else {
        return Some(Err(invalid(
            "oidc-keys takes {\"provider\": ISSUER_URL_OR_PROVIDER_ARN, \"jwks\": {\"keys\": [...]}}",
        )));
    };
    let jwks = body.get("jwks").cloned().unwrap_or(Value::Null);
    let mut state = iam.state.write();
    Some(
        register_keys(&mut state, &ctx.journal, ctx.account(), provider, jwks)
            .map(|arn| json!({"provider": arn, "registered": true})),
    )
}

#[cfg(test)]
mod tests {
    use crate::api::test_support::{call, iam, root_ctx};
    use serde_json::json;

    #[test]
    fn a_thumbprint_of_forty_characters_need_not_be_hex() {
        let iam = iam();
        let root = root_ctx();
        let thumbprint = "oif8192f189fa2178f-testle.thumbprint.com";
        let out = call(
            &iam,
            &root,
            "CreateOpenIDConnectProvider",
            json!({"Url": "https://accounts.testle.com/abcde",
                   "ClientIDList": ["abc.testle.com"],
                   "ThumbprintList": [thumbprint]}),
        )
        .unwrap();
        let arn = out["OpenIDConnectProviderArn"]
            .as_str()
            .unwrap()
            .to_string();
        call(
            &iam,
            &root,
            "UpdateOpenIDConnectProviderThumbprint",
            json!({"OpenIDConnectProviderArn": arn, "ThumbprintList": [thumbprint, "g".repeat(40)]}),
        )
        .unwrap();
        let got = call(
            &iam,
            &root,
            "GetOpenIDConnectProvider",
            json!({"OpenIDConnectProviderArn": arn}),
        )
        .unwrap();
        assert_eq!(
            got["ThumbprintList"],
            json!([thumbprint, "g".repeat(40)]),
            "{got}"
        );
    }
}
