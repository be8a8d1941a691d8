//! STS GetWebIdentityToken: a JWT, signed with the account's outbound issuer key, asserting
//! the caller's identity to a service outside AWS (IAM User Guide, "Understanding token
//! claims": `iss`, `aud`, `sub`, `iat`, `exp`, `jti`, and AWS's own claims under
//! `https://sts.amazonaws.com/`).

use super::input;
use super::sts::{invalid_parameter, validation};
use crate::context_keys;
use crate::outbound::{self, Alg, OutboundFederation, SigningKey};
use crate::Iam;
use serde_json::{json, Map, Value};
use service::{ContextValue, Locate, Principal, RequestContext, ServiceError};

/// The token's lifetime when the request names none, seconds.
const DEFAULT_DURATION: f64 = 300.0;

/// The namespace of AWS's own claims.
const AWS_CLAIMS: &str = "https://sts.amazonaws.com/";

/// The largest claims set mediamock signs, bytes of JSON. AWS documents a limit
/// (`JWTPayloadSizeExceededException`) but not its size; this one is mediamock's.
pub const MAX_PAYLOAD: usize = 16 * 1024;

/// The requested signing algorithm: the model only bounds its length, so other values of five
/// characters reach here.
fn algorithm(input: &Value) -> Result<Alg, ServiceError> {
    let name = input::req(input, "SigningAlgorithm")?;
    Alg::parse(name).ok_or_else(|| {
        validation(format!("1 validation error detected: Value '{name}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]"))
    })
}

fn duration(input: &Value) -> f64 {
    input::num(input, "DurationSeconds").unwrap_or(DEFAULT_DURATION)
}

/// The model's range (60–3600), checked again so that no input reaching the handler by
/// another path can overflow the token's times.
fn checked_duration(input: &Value) -> Result<f64, ServiceError> {
    let d = duration(input);
    let bound = if d.is_nan() || d < 60.0 {
        "greater than or equal to 60"
    } else if d > 3600.0 {
        "less than or equal to 3600"
    } else {
        return Ok(d.floor());
    };
    Err(validation(format!("1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value {bound}")))
}

/// The condition keys of the request (the Service Authorization Reference's for
/// `sts:GetWebIdentityToken`): `sts:IdentityTokenAudience`, `sts:DurationSeconds` (the
/// token's lifetime, the default included) and `sts:SigningAlgorithm`; request tags need
/// `sts:TagGetWebIdentityToken` too. `aws:RequestTag/…` and `aws:TagKeys` come from the
/// spec's tag members.
pub(crate) fn locate(q: &mut Locate<'_>) {
    let input = q.input;
    let audiences = input::strings(input, "Audience");
    q.context(
        "sts:IdentityTokenAudience",
        ContextValue::Strings(audiences),
    );
    q.context("sts:DurationSeconds", ContextValue::Number(duration(input)));
    if let Some(alg) = input::opt(input, "SigningAlgorithm") {
        q.context(
            "sts:SigningAlgorithm",
            ContextValue::String(alg.to_string()),
        );
    }
    if !input::tags(input, "Tags").is_empty() {
        q.also("sts:TagGetWebIdentityToken");
    }
}

fn disabled() -> ServiceError {
    ServiceError::new(
        "OutboundWebIdentityFederationDisabledException",
        "Outbound web identity federation is not enabled for this account.",
    )
    .with_status(403)
}

fn internal(e: outbound::KeyError) -> ServiceError {
    ServiceError::internal(format!("signing key: {}", e.0))
}

/// The caller's federation, with the key for `alg`, made now if this is the first token
/// asking for it. RSA keys take a moment to make, so the key is made outside the store's lock
/// and kept only if no concurrent request kept one first.
fn federation_with_key(
    iam: &Iam,
    ctx: &RequestContext,
    alg: Alg,
    now: f64,
) -> Result<(OutboundFederation, SigningKey), ServiceError> {
    let account = &ctx.principal.account;
    let current = |state: &crate::store::State| {
        state
            .account(account)
            .and_then(|a| a.settings.outbound.clone())
            .filter(|f| f.enabled)
    };
    let fed = current(&iam.state.read()).ok_or_else(disabled)?;
    if let Some(key) = fed.key(alg) {
        return Ok((fed.clone(), key.clone()));
    }
    let made = outbound::generate(alg, now).map_err(internal)?;
    let mut state = iam.state.write();
    let mut fed = current(&state).ok_or_else(disabled)?;
    if let Some(key) = fed.key(alg) {
        return Ok((fed.clone(), key.clone()));
    }
    fed.keys.push(made.clone());
    let mut settings = super::iam::account_settings(&state, account);
    settings.outbound = Some(fed.clone());
    state.put_settings(&ctx.journal, settings);
    Ok((fed, made))
}

/// Tags as a JSON object; a key given twice (tag keys are case-insensitive) is refused as
/// STS refuses duplicate session tags.
fn tag_object(tags: &[(String, String)]) -> Result<Map<String, Value>, ServiceError> {
    if input::duplicate_tag_keys(tags) {
        return Err(invalid_parameter(input::DUPLICATE_TAG_KEYS));
    }
    Ok(tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// What a token says: `sub` is the principal's ARN, a role session's being its role's (as the
/// User Guide's sample token shows); `aud` a string for one audience, a list for several;
/// AWS's claims under `https://sts.amazonaws.com/` where mediamock has the fact (no
/// Organizations, EC2 or Lambda here, so no `org_id`, `ou_path` or source ARNs).
struct Claims<'a> {
    issuer: &'a str,
    principal: &'a Principal,
    principal_tags: Vec<(String, String)>,
    audiences: Vec<String>,
    request_tags: Map<String, Value>,
    region: &'a str,
    jti: String,
    iat: i64,
    exp: i64,
}

impl Claims<'_> {
    fn into_json(self) -> Value {
        let p = self.principal;
        let aud = match self.audiences.as_slice() {
            [one] => json!(one),
            many => json!(many),
        };
        let mut aws = Map::new();
        aws.insert("aws_account".into(), json!(p.account));
        aws.insert("source_region".into(), json!(self.region));
        if !self.principal_tags.is_empty() {
            let tags: Map<String, Value> = self
                .principal_tags
                .into_iter()
                .map(|(k, v)| (k, json!(v)))
                .collect();
            aws.insert("principal_tags".into(), Value::Object(tags));
        }
        if let Some(si) = p.session.as_ref().and_then(|s| s.source_identity.as_ref()) {
            aws.insert("source_identity".into(), json!(si));
        }
        if !self.request_tags.is_empty() {
            aws.insert("request_tags".into(), Value::Object(self.request_tags));
        }
        json!({
            "iss": self.issuer,
            "aud": aud,
            "sub": context_keys::principal_arn(p),
            "iat": self.iat,
            "exp": self.exp,
            "jti": self.jti,
            AWS_CLAIMS: aws,
        })
    }
}

/// STS GetWebIdentityToken (authorized already as `sts:GetWebIdentityToken` with its
/// condition keys).
pub fn get_web_identity_token(
    iam: &Iam,
    ctx: &RequestContext,
    input: &Value,
) -> Result<Value, ServiceError> {
    let alg = algorithm(input)?;
    let audiences = input::strings(input, "Audience");
    let d = checked_duration(input)?;
    let request_tags = tag_object(&input::tags(input, "Tags"))?;
    let now = iam.runtime.clock.now();
    let p = &ctx.principal;
    if let Some(s) = &p.session {
        // The token may not outlive the credentials that asked for it.
        if now + d > s.expires_at {
            return Err(ServiceError::new(
                "SessionDurationEscalationException",
                format!(
                    "The requested DurationSeconds ({d}) exceeds the remaining lifetime of the session ({} seconds).",
                    (s.expires_at - now).max(0.0).floor()
                ),
            )
            .with_status(403));
        }
    }
    let (fed, key) = federation_with_key(iam, ctx, alg, now)?;
    let iat = now.floor() as i64;
    let claims = Claims {
        issuer: &fed.issuer,
        principal: p,
        principal_tags: context_keys::principal_tags(&iam.state.read(), p),
        audiences,
        request_tags,
        region: &ctx.region,
        jti: iam.runtime.ids.uuid(),
        iat,
        exp: iat + d as i64,
    }
    .into_json();
    if claims.to_string().len() > MAX_PAYLOAD {
        return Err(ServiceError::new(
            "JWTPayloadSizeExceededException",
            format!("The token payload exceeds the maximum size of {MAX_PAYLOAD} bytes. Reduce the number of request tags."),
        )
        .with_status(400));
    }
    let token = outbound::sign(&key, &claims).map_err(internal)?;
    Ok(json!({"WebIdentityToken": token, "Expiration": claims["exp"]}))
}

#[cfg(test)]
#[path = "sts_web_identity_tests.rs"]
mod tests;
