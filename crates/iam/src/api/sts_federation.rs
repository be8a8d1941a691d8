//! AssumeRoleWithWebIdentity and AssumeRoleWithSAML: unsigned STS calls whose credential is
//! the identity token. The token is verified against the role account's provider, then the
//! role's trust policy decides with the token's claims as condition keys
//! (`token.actions.githubusercontent.com:sub`, `saml:aud`, …).

use super::input;
use super::sts::{
    credentials, duration, session_docs, valid_session_name, validation, with_packed_size,
};
use crate::context_keys;
use crate::jwt::{Jwt, JwtError};
use crate::saml;
use crate::store::{Role, State};
use crate::Iam;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use service::{ContextValue, Principal, PrincipalKind, RequestContext, ServiceError, SessionInfo};

/// The trust-policy keys AWS makes of an assertion's attributes, each with the attribute
/// `Name`s that feed it, by the tables of the IAM User Guide's "Mapping SAML attributes to
/// AWS trust policy context keys" (eduPerson and eduOrg, Active Directory, X.500). The
/// X.500 names are the table's as printed and, since IdPs send them as `urn:oid:` URNs, the
/// URN of each standard OID too (the table's `2.4.5.42` and `0.9.2342.19200300100.1.x` read
/// as misprints of 2.5.4.42 and 0.9.2342.19200300.100.1.x, so both spellings count);
/// `urn:oid:2.5.4.3` stays the eduPerson table's `cn`. AWS maps one claim per key ("if you
/// include more than one, only one claim will be mapped"): the first name listed that the
/// assertion carries. The table sends the AD `primarygroupsid` claim to `saml:uid`, and no
/// attribute of any table makes `saml:primaryGroupSID`, so mediamock makes none either.
const ATTRIBUTE_KEYS: &[(&str, &[&str])] = &[
    (
        "saml:edupersonaffiliation",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.1"],
    ),
    (
        "saml:edupersonnickname",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.2"],
    ),
    ("saml:edupersonorgdn", &["urn:oid:1.3.6.1.4.1.5923.1.1.1.3"]),
    (
        "saml:edupersonorgunitdn",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.4"],
    ),
    (
        "saml:edupersonprimaryaffiliation",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.5"],
    ),
    (
        "saml:edupersonprincipalname",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.6"],
    ),
    (
        "saml:edupersonentitlement",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.7"],
    ),
    (
        "saml:edupersonprimaryorgunitdn",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.8"],
    ),
    (
        "saml:edupersonscopedaffiliation",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.9"],
    ),
    (
        "saml:edupersontargetedid",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.10"],
    ),
    (
        "saml:edupersonassurance",
        &["urn:oid:1.3.6.1.4.1.5923.1.1.1.11"],
    ),
    (
        "saml:eduorghomepageuri",
        &["urn:oid:1.3.6.1.4.1.5923.1.2.1.2"],
    ),
    (
        "saml:eduorgidentityauthnpolicyuri",
        &["urn:oid:1.3.6.1.4.1.5923.1.2.1.3"],
    ),
    (
        "saml:eduorglegalname",
        &["urn:oid:1.3.6.1.4.1.5923.1.2.1.4"],
    ),
    (
        "saml:eduorgsuperioruri",
        &["urn:oid:1.3.6.1.4.1.5923.1.2.1.5"],
    ),
    (
        "saml:eduorgwhitepagesuri",
        &["urn:oid:1.3.6.1.4.1.5923.1.2.1.6"],
    ),
    ("saml:cn", &["urn:oid:2.5.4.3"]),
    (
        "saml:name",
        &["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"],
    ),
    (
        "saml:commonName",
        &["http://schemas.xmlsoap.org/claims/CommonName", "2.5.4.3"],
    ),
    (
        "saml:givenName",
        &[
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
            "2.4.5.42",
            "2.5.4.42",
            "urn:oid:2.5.4.42",
        ],
    ),
    (
        "saml:surname",
        &[
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
            "2.5.4.4",
            "urn:oid:2.5.4.4",
        ],
    ),
    (
        "saml:mail",
        &[
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "0.9.2342.19200300100.1.3",
            "0.9.2342.19200300.100.1.3",
            "urn:oid:0.9.2342.19200300.100.1.3",
        ],
    ),
    (
        "saml:uid",
        &[
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
            "0.9.2342.19200300100.1.1",
            "0.9.2342.19200300.100.1.1",
            "urn:oid:0.9.2342.19200300.100.1.1",
        ],
    ),
    (
        "saml:x500UniqueIdentifier",
        &["2.5.4.45", "urn:oid:2.5.4.45"],
    ),
    (
        "saml:organizationStatus",
        &[
            "0.9.2342.19200300.100.1.45",
            "urn:oid:0.9.2342.19200300.100.1.45",
        ],
    ),
];

/// The `saml:` keys of an assertion's attributes (see [`ATTRIBUTE_KEYS`]): one value is a
/// string, several a multivalued key.
fn attribute_claims(
    attributes: &std::collections::BTreeMap<String, Vec<String>>,
) -> Vec<(String, ContextValue)> {
    ATTRIBUTE_KEYS
        .iter()
        .filter_map(|(key, names)| {
            let values = names
                .iter()
                .filter_map(|name| attributes.get(*name))
                .find(|values| !values.is_empty())?;
            let value = match values.as_slice() {
                [one] => ContextValue::String(one.clone()),
                many => ContextValue::Strings(many.to_vec()),
            };
            Some((key.to_string(), value))
        })
        .collect()
}

/// Clock skew tolerated on `nbf`/`iat`/`NotBefore`, seconds.
const SKEW: f64 = 300.0;

fn invalid_token(message: impl Into<String>) -> ServiceError {
    ServiceError::new("InvalidIdentityToken", message).with_status(400)
}

fn expired(now: f64, exp: f64) -> ServiceError {
    // AWS's wording, missing space included.
    ServiceError::new(
        "ExpiredTokenException",
        format!(
            "Token expired: current date/time {} must be before the expiration date/time{}",
            now as i64, exp as i64
        ),
    )
    .with_status(400)
}

fn not_authorized(action: &str) -> ServiceError {
    ServiceError::new(
        "AccessDenied",
        format!("Not authorized to perform {action}"),
    )
    .with_status(403)
}

/// The role a RoleArn names, if it exists.
fn find_role(state: &State, role_arn: &str) -> Option<Role> {
    let account = context_keys::arn_account(role_arn)?;
    let name = role_arn.rsplit('/').next()?.to_lowercase();
    state
        .account(account)?
        .roles
        .get(&name)
        .filter(|r| r.arn() == role_arn)
        .cloned()
}

/// The identity an identity provider vouches for, named as the trust policy's `Federated`
/// principal names it (the provider's ARN), in the role's account: the principal the authorize
/// stage evaluates a federation call for, so only the role's trust policy can let it in.
pub(crate) fn federated_principal(account: &str, provider: &str, kind: PrincipalKind) -> Principal {
    Principal {
        account: account.to_string(),
        arn: provider.to_string(),
        kind,
        user_id: provider.to_string(),
        username: None,
        access_key_id: String::new(),
        session: None,
    }
}

/// What a verified federation token tells the authorize stage: who vouches (the provider's
/// ARN), the claims as condition keys, and whether session tags come with it.
pub(crate) struct Vouched {
    /// The provider's ARN (`aws:FederatedProvider`, the `Federated` principal).
    pub provider: String,
    /// The principal kind of the federated identity.
    pub kind: PrincipalKind,
    /// The token's claims as condition keys (`<host>:sub`, `saml:aud`, …).
    pub claims: Vec<(String, ContextValue)>,
    /// The session tags the token passes (`aws:RequestTag/…`; `sts:TagSession` is then
    /// needed too).
    pub tags: Vec<(String, String)>,
}

/// Verifies a federation call's token (signature, expiry, provider, audience) for the
/// authorize stage; the handler verifies it again under the write lock before issuing.
pub(crate) fn vouched(
    state: &State,
    operation: &str,
    input: &Value,
    now: f64,
) -> Result<Option<Vouched>, ServiceError> {
    Ok(Some(match operation {
        "AssumeRoleWithWebIdentity" => {
            let v = verify_web_identity(state, input, now)?;
            Vouched {
                provider: v.provider_arn,
                kind: PrincipalKind::WebIdentity,
                claims: v.claims,
                tags: v.tags,
            }
        }
        "AssumeRoleWithSAML" => {
            let v = verify_saml(state, input, now)?;
            Vouched {
                provider: v.provider_arn,
                kind: PrincipalKind::SamlUser,
                claims: v.claims,
                tags: Vec::new(),
            }
        }
        _ => return Ok(None),
    }))
}

/// What both federation calls hand to [`issue`].
struct Grant<'a> {
    role: &'a Role,
    session_name: &'a str,
    /// `aws:FederatedProvider` of the session (AWS sets it for web identity sessions only).
    provider: Option<String>,
    max: f64,
    tags: Vec<(String, String)>,
    source_identity: Option<String>,
}

/// Issues role-session credentials; returns the credentials JSON and the assumed-role user.
fn issue(
    iam: &Iam,
    ctx: &RequestContext,
    input: &Value,
    state: &mut State,
    g: Grant,
    now: f64,
) -> Result<(Value, Value, Option<usize>), ServiceError> {
    let d = duration(input, 3600.0f64.min(g.max), 900.0, g.max)?;
    let role = g.role;
    let (docs, policy_arns, packed) = session_docs(input, state, &role.account)?;
    let assumed_id = format!("{}:{}", role.id, g.session_name);
    let arn = format!(
        "arn:aws:sts::{}:assumed-role/{}/{}",
        role.account, role.name, g.session_name
    );
    let principal = Principal {
        account: role.account.clone(),
        arn: arn.clone(),
        kind: PrincipalKind::AssumedRole,
        user_id: assumed_id.clone(),
        username: None,
        access_key_id: String::new(),
        session: Some(SessionInfo {
            source_arn: role.arn(),
            session_name: g.session_name.to_string(),
            issued_at: now.floor(),
            expires_at: (now + d).floor(),
            mfa_present: false,
            policies: docs.iter().map(|d| d.text.to_string()).collect(),
            policy_arns,
            tags: g.tags,
            transitive_tag_keys: Vec::new(),
            source_identity: g.source_identity,
            console: false,
        }),
    };
    let (mut session, creds) = credentials(iam, principal, docs, now + d, ctx, state);
    session.federated_provider = g.provider;
    state.put_session(&ctx.journal, session);
    let mut used = role.clone();
    used.last_used = Some((now.floor(), ctx.region.clone()));
    state.put_role(&ctx.journal, used);
    Ok((
        creds,
        json!({"AssumedRoleId": assumed_id, "Arn": arn}),
        packed,
    ))
}

fn session_name(member: &str, value: &str) -> Result<(), ServiceError> {
    if valid_session_name(value) {
        return Ok(());
    }
    Err(validation(format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")))
}

/// Session tags a token carries in its `https://aws.amazon.com/tags` claim.
fn token_tags(jwt: &Jwt) -> Vec<(String, String)> {
    let Some(tags) = jwt
        .claims
        .get("https://aws.amazon.com/tags")
        .and_then(|t| t.get("principal_tags"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    tags.iter()
        .filter_map(|(k, v)| {
            let value = match v {
                Value::Array(a) => a.first()?.as_str()?.to_string(),
                Value::String(s) => s.clone(),
                _ => return None,
            };
            Some((k.clone(), value))
        })
        .collect()
}

/// A web identity token, verified against the role account's OIDC provider.
struct WebIdentity {
    provider_arn: String,
    audience: String,
    sub: String,
    claims: Vec<(String, ContextValue)>,
    tags: Vec<(String, String)>,
}

/// Verifies AssumeRoleWithWebIdentity's token: provider, signature, expiry, audience.
fn verify_web_identity(
    state: &State,
    input: &Value,
    now: f64,
) -> Result<WebIdentity, ServiceError> {
    let role_arn = input::req(input, "RoleArn")?;
    let name = input::req(input, "RoleSessionName")?;
    session_name("roleSessionName", name)?;
    let token = input::req(input, "WebIdentityToken")?;
    let jwt = Jwt::decode(token)
        .map_err(|_| invalid_token("The web identity token that was passed is not a valid JWT."))?;
    let iss = jwt.claim("iss").unwrap_or_default().to_string();
    let host = iss
        .strip_prefix("https://")
        .unwrap_or(&iss)
        .trim_end_matches('/')
        .to_string();
    let role_account = context_keys::arn_account(role_arn).unwrap_or_default();
    let provider = state
        .account(role_account)
        .and_then(|a| a.oidc_providers.get(&host))
        .cloned()
        .filter(|_| !host.is_empty())
        .ok_or_else(|| {
            invalid_token(format!(
                "No OpenIDConnect provider found in your account for {iss}"
            ))
        })?;
    let no_key = || {
        invalid_token("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
    };
    let jwks = provider.jwks.as_ref().ok_or_else(no_key)?;
    match jwt.verify(jwks) {
        Ok(()) => {}
        Err(JwtError::NoKey) | Err(JwtError::Malformed) => return Err(no_key()),
        Err(JwtError::BadSignature) => {
            return Err(invalid_token(
                "The web identity token's signature could not be verified with the provider's signing keys.",
            ))
        }
    }
    let exp = jwt
        .time_claim("exp")
        .ok_or_else(|| invalid_token("The web identity token has no exp claim."))?;
    if now >= exp {
        return Err(expired(now, exp));
    }
    for claim in ["nbf", "iat"] {
        if let Some(t) = jwt.time_claim(claim) {
            if t > now + SKEW {
                return Err(invalid_token(format!(
                    "Token used before its {claim} time: current date/time {} must be after {}",
                    now as i64, t as i64
                )));
            }
        }
    }
    // `azp` names the client when present (Google), else one of the audiences must be registered.
    let audiences = jwt.audiences();
    let audience = jwt
        .claim("azp")
        .filter(|a| provider.client_ids.iter().any(|c| c == a))
        .map(str::to_string)
        .or_else(|| {
            audiences
                .iter()
                .find(|a| provider.client_ids.contains(a))
                .cloned()
        })
        .ok_or_else(|| invalid_token("Incorrect token audience"))?;
    let provider_arn = provider.arn();
    let sub = jwt.claim("sub").unwrap_or_default().to_string();
    let s = |v: &str| ContextValue::String(v.to_string());
    let mut claims = vec![
        (format!("{host}:aud"), s(&audience)),
        (format!("{host}:sub"), s(&sub)),
    ];
    let others: Vec<String> = audiences.into_iter().filter(|a| *a != audience).collect();
    if !others.is_empty() {
        claims.push((format!("{host}:oaud"), ContextValue::Strings(others)));
    }
    if let Some(amr) = jwt.claims.get("amr").and_then(Value::as_array) {
        let list = amr
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        claims.push((format!("{host}:amr"), ContextValue::Strings(list)));
    }
    Ok(WebIdentity {
        provider_arn,
        audience,
        sub,
        claims,
        tags: token_tags(&jwt),
    })
}

/// STS AssumeRoleWithWebIdentity: the authorize stage has let the token's identity in by the
/// role's trust policy; the token is verified again under the lock the session is issued in.
pub fn web_identity(iam: &Iam, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
    const ACTION: &str = "sts:AssumeRoleWithWebIdentity";
    let now = iam.runtime.clock.now();
    let mut state = iam.state.write();
    let v = verify_web_identity(&state, input, now)?;
    let role_arn = input::req(input, "RoleArn")?;
    let name = input::req(input, "RoleSessionName")?;
    let role = find_role(&state, role_arn).ok_or_else(|| not_authorized(ACTION))?;
    // The provider's ARN, as AWS answers for an IAM OIDC provider (EKS's answers show
    // `arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks…`; the API Reference's "value of the
    // iss field" is what its ARN is made of).
    let provider = v.provider_arn.clone();
    let grant = Grant {
        role: &role,
        session_name: name,
        provider: Some(v.provider_arn),
        max: role.max_session_duration as f64,
        tags: v.tags,
        source_identity: None,
    };
    let (creds, user, packed) = issue(iam, ctx, input, &mut state, grant, now)?;
    Ok(with_packed_size(
        json!({
            "Credentials": creds, "SubjectFromWebIdentityToken": v.sub, "AssumedRoleUser": user,
            "Provider": provider, "Audience": v.audience,
        }),
        packed,
    ))
}

/// Whether a SAML audience or recipient is AWS's sign-in endpoint.
fn aws_signin(url: &str) -> bool {
    if url == "urn:amazon:webservices" || url == "https://signin.aws.amazon.com/saml" {
        return true;
    }
    // Regional endpoints: https://REGION.signin.aws.amazon.com/saml.
    url.strip_prefix("https://")
        .and_then(|r| r.strip_suffix(".signin.aws.amazon.com/saml"))
        .is_some_and(|region| {
            !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// The short form of a NameID format, as `SubjectType` reports it.
fn subject_type(format: Option<&str>) -> String {
    match format {
        Some("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent") => "persistent".into(),
        Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient") => "transient".into(),
        Some(f) => f.to_string(),
        None => "persistent".into(),
    }
}

/// A SAML response, verified against the role account's SAML provider.
struct SamlIdentity {
    provider_arn: String,
    entity_id: String,
    recipient: String,
    sub: String,
    sub_type: String,
    qualifier: String,
    session: String,
    session_duration: Option<f64>,
    claims: Vec<(String, ContextValue)>,
}

/// Verifies AssumeRoleWithSAML's assertion: provider, issuer, signature, audience,
/// recipient, validity window, and that its Role attribute names the role and provider.
fn verify_saml(state: &State, input: &Value, now: f64) -> Result<SamlIdentity, ServiceError> {
    const ACTION: &str = "sts:AssumeRoleWithSAML";
    let role_arn = input::req(input, "RoleArn")?;
    let principal_arn = input::req(input, "PrincipalArn")?;
    let assertion = input::req(input, "SAMLAssertion")?;
    let response = saml::parse_response(assertion)
        .map_err(|e| invalid_token(format!("Invalid SAML response: {e}")))?;
    let role_account = context_keys::arn_account(role_arn).unwrap_or_default();
    let provider = crate::api::iam::saml_provider(state, role_account, principal_arn)
        .cloned()
        .ok_or_else(|| invalid_token(format!("SAML provider {principal_arn} does not exist.")))?;
    if response.issuers.is_empty() || response.issuers.iter().any(|i| *i != provider.entity_id) {
        return Err(invalid_token("Issuer not present in specified provider"));
    }
    // The response, or its only assertion, must be signed by a certificate of the metadata.
    let xml = saml::decode(assertion).map_err(invalid_token)?;
    let signed = crate::xmldsig::verify(&xml, &provider.certificates).map_err(|reason| {
        tracing::info!(provider = %provider.arn(), "SAML signature refused: {reason}");
        invalid_token("Response signature invalid")
    })?;
    // Only what the signature covers counts from here on (no signature wrapping).
    let response = saml::parse_signed(&signed)
        .map_err(|e| invalid_token(format!("Invalid SAML response: {e}")))?;
    if response.issuers.is_empty() || response.issuers.iter().any(|i| *i != provider.entity_id) {
        return Err(invalid_token("Issuer not present in specified provider"));
    }
    let audience = response
        .audiences
        .iter()
        .find(|a| aws_signin(a))
        .cloned()
        .ok_or_else(|| invalid_token("Audience of the SAML assertion is not AWS's sign-in endpoint (https://signin.aws.amazon.com/saml)."))?;
    let recipient = response
        .recipients
        .first()
        .cloned()
        .unwrap_or_else(|| audience.clone());
    if !aws_signin(&recipient) {
        return Err(invalid_token(format!(
            "The SAML assertion's Recipient {recipient} is not AWS's sign-in endpoint."
        )));
    }
    if let Some(nb) = response.not_before {
        if nb > now + SKEW {
            return Err(invalid_token(
                "The SAML assertion is not yet valid (NotBefore).",
            ));
        }
    }
    if response.not_on_or_after.is_empty() {
        return Err(invalid_token("The SAML assertion has no NotOnOrAfter."));
    }
    if let Some(end) = response.not_on_or_after.iter().copied().reduce(f64::min) {
        if now >= end {
            return Err(expired(now, end));
        }
    }
    // The Role attribute pairs a role with a provider, in either order.
    let roles = response
        .attributes
        .get("https://aws.amazon.com/SAML/Attributes/Role")
        .cloned()
        .unwrap_or_default();
    let named = roles.iter().any(|pair| {
        let mut parts: Vec<&str> = pair.split(',').map(str::trim).collect();
        parts.sort_unstable();
        let mut want = [role_arn, principal_arn];
        want.sort_unstable();
        parts == want
    });
    if !named {
        return Err(not_authorized(ACTION));
    }
    let session = response
        .attributes
        .get("https://aws.amazon.com/SAML/Attributes/RoleSessionName")
        .and_then(|v| v.first())
        .cloned()
        .ok_or_else(|| invalid_token("The SAML assertion has no RoleSessionName attribute."))?;
    session_name("roleSessionName", &session)?;
    let sub = response.name_id.clone().unwrap_or_default();
    let sub_type = subject_type(response.name_id_format.as_deref());
    let qualifier = {
        use sha1::{Digest, Sha1};
        let digest = Sha1::digest(format!(
            "{}{}/{}",
            provider.entity_id, provider.account, provider.name
        ));
        STANDARD.encode(digest)
    };
    let s = |v: &str| ContextValue::String(v.to_string());
    let mut claims = vec![
        ("saml:aud".to_string(), s(&recipient)),
        ("saml:iss".to_string(), s(&provider.entity_id)),
        ("saml:sub".to_string(), s(&sub)),
        ("saml:sub_type".to_string(), s(&sub_type)),
        ("saml:namequalifier".to_string(), s(&qualifier)),
        (
            "saml:doc".to_string(),
            s(&format!("{}/{}", provider.account, provider.name)),
        ),
    ];
    claims.extend(attribute_claims(&response.attributes));
    let session_duration = response
        .attributes
        .get("https://aws.amazon.com/SAML/Attributes/SessionDuration")
        .and_then(|v| v.first())
        .and_then(|v| v.parse::<f64>().ok());
    Ok(SamlIdentity {
        provider_arn: provider.arn(),
        entity_id: provider.entity_id,
        recipient,
        sub,
        sub_type,
        qualifier,
        session,
        session_duration,
        claims,
    })
}

/// STS AssumeRoleWithSAML: the authorize stage has let the assertion's identity in by the
/// role's trust policy; the assertion is verified again under the lock the session is issued in.
pub fn saml(iam: &Iam, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
    const ACTION: &str = "sts:AssumeRoleWithSAML";
    let now = iam.runtime.clock.now();
    let mut state = iam.state.write();
    let v = verify_saml(&state, input, now)?;
    let role_arn = input::req(input, "RoleArn")?;
    let role = find_role(&state, role_arn).ok_or_else(|| not_authorized(ACTION))?;
    let mut max = role.max_session_duration as f64;
    if let Some(sd) = v.session_duration {
        max = max.min(sd.max(900.0));
    }
    let grant = Grant {
        role: &role,
        session_name: &v.session,
        provider: None,
        max,
        tags: Vec::new(),
        source_identity: None,
    };
    let (creds, user, packed) = issue(iam, ctx, input, &mut state, grant, now)?;
    Ok(with_packed_size(
        json!({
            "Credentials": creds, "AssumedRoleUser": user,
            "Subject": v.sub, "SubjectType": v.sub_type, "Issuer": v.entity_id,
            "Audience": v.recipient, "NameQualifier": v.qualifier,
        }),
        packed,
    ))
}

#[cfg(test)]
#[path = "sts_federation_tests.rs"]
mod tests;
