//! CreateServiceSpecificCredential, ListServiceSpecificCredentials,
//! ResetServiceSpecificCredential, UpdateServiceSpecificCredential,
//! DeleteServiceSpecificCredential: a user name and password for CodeCommit or Amazon
//! Keyspaces, or an API key for Amazon Bedrock or CloudWatch Logs. The password or secret is
//! shown when made (and a password when reset) and never kept.

use super::users::{credential_of, find, target_name};
use super::Call;
use crate::api::errors::invalid;
use crate::api::input;
use crate::api::page::time_order_key;
use crate::store::{ServiceCredential, State, User};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};
use service::ServiceError;

/// The prefix of a service-specific credential ID (21 characters, as a unique ID).
const CREDENTIAL_ID: &str = "ACCA";

/// The services that take a user name and password.
const PASSWORD_SERVICES: [&str; 2] = ["codecommit.amazonaws.com", "cassandra.amazonaws.com"];

/// The services that take a long-term API key, with the prefix of their secrets (Bedrock's
/// keys start `ABSK`).
const API_KEY_SERVICES: [(&str, &str); 2] = [
    ("bedrock.amazonaws.com", "ABSK"),
    ("logs.amazonaws.com", ""),
];

/// AWS's words for a credential ID of no credential, and for a service that takes none
/// (NoSuchEntity 404, not the model's NotSupportedService), the user being looked up first.
/// LocalStack's snapshot tests recorded against AWS: test_iam.snapshot.json
/// test_user_match_id_mismatch[satisfiesregexbutstillinvalid],
/// test_create_service_specific_credential_invalid_service,
/// test_create_service_specific_credential_invalid_user and
/// test_list_service_specific_credential_different_service.
fn not_found(id: &str) -> ServiceError {
    ServiceError::new("NoSuchEntity", format!("No such credential {id} exists"))
}

/// The secret prefix of an API-key service; `None` for a password service.
fn api_key_prefix(service: &str) -> Option<&'static str> {
    API_KEY_SERVICES
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, p)| *p)
}

fn check_service(service: &str) -> Result<(), ServiceError> {
    if PASSWORD_SERVICES.contains(&service) || api_key_prefix(service).is_some() {
        return Ok(());
    }
    Err(ServiceError::new(
        "NoSuchEntity",
        format!("No such service {service} is supported for Service Specific Credentials"),
    )
    .with_status(404))
}

/// A credential's metadata (`ServiceSpecificCredentialMetadata`); the create and reset
/// answers add the password or secret.
fn metadata(u: &User, cred: &ServiceCredential) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("UserName".into(), json!(u.name));
    m.insert("Status".into(), json!(cred.status));
    if let Some(n) = &cred.service_user_name {
        m.insert("ServiceUserName".into(), json!(n));
    }
    if let Some(a) = &cred.alias {
        m.insert("ServiceCredentialAlias".into(), json!(a));
    }
    m.insert("CreateDate".into(), json!(cred.created));
    if let Some(t) = cred.expires {
        m.insert("ExpirationDate".into(), json!(t));
    }
    m.insert("ServiceSpecificCredentialId".into(), json!(cred.id));
    m.insert("ServiceName".into(), json!(cred.service));
    m
}

/// A new password (32 random bytes, base64: 44 characters, as IAM's are).
fn password(c: &Call) -> String {
    STANDARD.encode(c.iam.runtime.ids.bytes(32))
}

/// The credential with its new password or secret, as CreateServiceSpecificCredential and
/// ResetServiceSpecificCredential show it.
fn with_secret(c: &Call, u: &User, cred: &ServiceCredential) -> Value {
    let mut m = metadata(u, cred);
    match (&cred.alias, api_key_prefix(&cred.service)) {
        // An API key is its alias and a secret, given together as one bearer value.
        (Some(alias), Some(prefix)) => {
            let secret = STANDARD.encode(c.iam.runtime.ids.bytes(48));
            let key = format!("{prefix}{}", STANDARD.encode(format!("{alias}:{secret}")));
            m.insert("ServiceCredentialSecret".into(), json!(key));
        }
        _ => {
            m.insert("ServicePassword".into(), json!(password(c)));
        }
    }
    json!({ "ServiceSpecificCredential": m })
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let service = input::req(c.input, "ServiceName")?;
    let mut u = find(s, c.account, name)?.clone();
    check_service(service)?;
    let age = input::num(c.input, "CredentialAgeDays");
    let prefix = api_key_prefix(service);
    if age.is_some() && prefix.is_none() {
        return Err(invalid(format!(
            "CredentialAgeDays is only valid for services that support long-term API keys, not {service}."
        )));
    }
    if let Some(days) = age {
        if !(1.0..=36600.0).contains(&days) || days.fract() != 0.0 {
            return Err(crate::api::errors::constraint(
                "credentialAgeDays",
                "Member must have value between 1 and 36600",
            ));
        }
    }
    let held = u
        .credentials
        .service
        .iter()
        .filter(|x| x.service == service)
        .count();
    super::quotas::admit(c, super::quotas::SERVICE_CREDENTIALS_PER_SERVICE, held)?;
    let created = c.now.floor();
    let cred = ServiceCredential {
        id: c.unique_id(CREDENTIAL_ID),
        service: service.to_string(),
        service_user_name: prefix.is_none().then(|| {
            // The user's second credential for a service is `name+1-at-ACCOUNT` (the AWS
            // CLI's list-service-specific-credentials example shows both forms).
            let first = format!("{}-at-{}", u.name, c.account);
            let taken =
                u.credentials.service.iter().any(|x| {
                    x.service == service && x.service_user_name.as_deref() == Some(&first)
                });
            if taken {
                format!("{}+1-at-{}", u.name, c.account)
            } else {
                first
            }
        }),
        // The user's name, then the key's version and creation (AWS: "the IAM user name and
        // a suffix containing version and creation information").
        alias: prefix.map(|_| format!("{}-at-{}-v1-{created}", u.name, c.account)),
        status: "Active".into(),
        created,
        expires: age.map(|d| created + d * 86_400.0),
    };
    let out = with_secret(c, &u, &cred);
    u.credentials.service.push(cred);
    s.put_user(&c.ctx.journal, u);
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let service = input::opt(c.input, "ServiceName");
    if let Some(sv) = service {
        check_service(sv)?;
    }
    let all = input::flag(c.input, "AllUsers").unwrap_or(false);
    let users: Vec<&User> = if all {
        if input::opt(c.input, "UserName").is_some() {
            return Err(invalid(
                "AllUsers cannot be specified together with UserName.",
            ));
        }
        s.account(c.account)
            .map(|a| a.users.values().collect())
            .unwrap_or_default()
    } else {
        vec![find(s, c.account, &target_name(c)?)?]
    };
    let items = users
        .into_iter()
        .flat_map(|u| u.credentials.service.iter().map(move |cred| (u, cred)))
        .filter(|(_, cred)| service.is_none_or(|sv| cred.service == sv))
        .map(|(u, cred)| {
            (
                time_order_key(cred.created, &cred.id),
                Value::Object(metadata(u, cred)),
            )
        })
        .collect();
    c.paged(items, "ServiceSpecificCredentials")
}

/// The caller's copy of the user and the position of its credential
/// `ServiceSpecificCredentialId`.
fn located(c: &Call, s: &State) -> Result<(User, usize), ServiceError> {
    let name = target_name(c)?;
    credential_of(
        c,
        s,
        &name,
        "ServiceSpecificCredentialId",
        |u| &u.credentials.service,
        |x| &x.id,
        not_found,
    )
}

pub(crate) fn reset(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (u, at) = located(c, s)?;
    // Nothing secret is kept, so a reset changes no stored state.
    Ok(with_secret(c, &u, &u.credentials.service[at]))
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let status = input::status(c.input)?;
    let (mut u, at) = located(c, s)?;
    u.credentials.service[at].status = status.to_string();
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (mut u, at) = located(c, s)?;
    u.credentials.service.remove(at);
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}
