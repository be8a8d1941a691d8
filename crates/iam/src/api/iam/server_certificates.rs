//! UploadServerCertificate, GetServerCertificate, ListServerCertificates,
//! UpdateServerCertificate, DeleteServerCertificate, and the certificate's tags (through
//! [`super::tags`]). The private key must match the certificate and is not kept.

use super::entity::Entity;
use super::Call;
use crate::api::input;
use crate::public_keys;
use crate::store::{ServerCertificate, State};
use serde_json::{json, Value};
use service::ServiceError;

/// The prefix of a server certificate's unique ID.
const SERVER_CERTIFICATE_ID: &str = "ASCA";

fn not_found(name: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Server Certificate with name {name} cannot be found."),
    )
}

fn already_exists(name: &str) -> ServiceError {
    ServiceError::new(
        "EntityAlreadyExists",
        format!("The Server Certificate with name {name} already exists."),
    )
}

fn malformed(why: &str) -> ServiceError {
    ServiceError::new("MalformedCertificate", why)
}

/// The caller's server certificate, or NoSuchEntity.
fn find<'a>(
    s: &'a State,
    account: &str,
    name: &str,
) -> Result<&'a ServerCertificate, ServiceError> {
    s.account(account)
        .and_then(|a| a.server_certificates.get(&name.to_lowercase()))
        .ok_or_else(|| not_found(name))
}

/// `ServerCertificateMetadata`.
fn metadata(sc: &ServerCertificate) -> Value {
    json!({
        "Path": sc.path, "ServerCertificateName": sc.name, "ServerCertificateId": sc.id,
        "Arn": sc.arn(), "UploadDate": sc.uploaded, "Expiration": sc.expires,
    })
}

/// The certificate's notAfter after checking that `key` is its private key.
fn checked(body: &str, key: &str, chain: Option<&str>, now: f64) -> Result<f64, ServiceError> {
    let cert = public_keys::uploaded_certificate(body, now).map_err(malformed)?;
    if let Some(chain) = chain {
        let blocks = pem::parse_many(chain).map_err(|_| {
            malformed(
                "Unable to parse certificate chain. Please ensure the chain is in PEM format.",
            )
        })?;
        if blocks.is_empty()
            || blocks.iter().any(|b| {
                b.tag() != "CERTIFICATE" || public_keys::certificate(b.contents()).is_none()
            })
        {
            return Err(malformed(
                "Unable to parse certificate chain. Please ensure the chain is in PEM format.",
            ));
        }
    }
    let mismatch = || {
        ServiceError::new(
            "KeyPairMismatch",
            "The private key did not match the public key provided. Please verify the key material and try again.",
        )
    };
    let modulus = public_keys::certificate_modulus(&cert.key);
    match public_keys::private_key_modulus(key) {
        Err(()) => Err(malformed(
            "Unable to parse private key. Please ensure the private key is an unencrypted key in PEM format.",
        )),
        Ok(Some(n)) if modulus.as_ref() != Some(&n) => {
            Err(mismatch())
        }
        // An RSA certificate needs an RSA key; other algorithms are taken as given.
        Ok(None) if modulus.is_some() => Err(mismatch()),
        Ok(_) => Ok(cert.expires),
    }
}

pub(crate) fn upload(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "ServerCertificateName")?;
    let path = input::path(c.input, "Path")?;
    let body = input::req(c.input, "CertificateBody")?.trim();
    let key = input::req(c.input, "PrivateKey")?;
    let chain = input::opt(c.input, "CertificateChain").map(str::trim);
    let tags = super::tags::requested::<ServerCertificate>(c.input)?;
    if find(s, c.account, name).is_ok() {
        return Err(already_exists(name));
    }
    let expires = checked(body, key, chain, c.now)?;
    super::quotas::admit(
        c,
        super::quotas::SERVER_CERTIFICATES,
        s.account(c.account)
            .map_or(0, |a| a.server_certificates.len()),
    )?;
    let sc = ServerCertificate {
        account: c.account.to_string(),
        name: name.to_string(),
        path,
        id: c.unique_id(SERVER_CERTIFICATE_ID),
        body: body.to_string(),
        chain: chain.map(str::to_string),
        uploaded: c.now.floor(),
        expires,
        tags,
    };
    let mut out = json!({ "ServerCertificateMetadata": metadata(&sc) });
    if !sc.tags.is_empty() {
        out["Tags"] = input::tags_json(&sc.tags);
    }
    s.put_entity(&c.ctx.journal, sc);
    Ok(out)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let sc = find(s, c.account, input::req(c.input, "ServerCertificateName")?)?;
    let mut out = json!({ "ServerCertificateMetadata": metadata(sc), "CertificateBody": sc.body });
    if let Some(chain) = &sc.chain {
        out["CertificateChain"] = json!(chain);
    }
    // GetServerCertificate answers `Tags` even when there are none (`[]`); the upload's answer
    // leaves an empty list out. LocalStack's snapshot test recorded against AWS:
    // test_iam_server_certificates.snapshot.json test_server_certificate_lifecycle
    // ('get-certificate').
    out["Tags"] = input::tags_json(&sc.tags);
    Ok(json!({ "ServerCertificate": out }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let prefix = input::opt(c.input, "PathPrefix").unwrap_or("/");
    let items = s
        .account(c.account)
        .map(|a| {
            a.server_certificates
                .iter()
                .filter(|(_, sc)| sc.path.starts_with(prefix))
                .map(|(k, sc)| (k.clone(), metadata(sc)))
                .collect()
        })
        .unwrap_or_default();
    c.paged(items, "ServerCertificateMetadataList")
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "ServerCertificateName")?;
    let mut sc = find(s, c.account, name)?.clone();
    let new_name = input::opt(c.input, "NewServerCertificateName").unwrap_or(name);
    if !new_name.eq_ignore_ascii_case(name) && find(s, c.account, new_name).is_ok() {
        return Err(already_exists(new_name));
    }
    if input::opt(c.input, "NewPath").is_some() {
        sc.path = input::path(c.input, "NewPath")?;
    }
    s.delete_entity::<ServerCertificate>(&c.ctx.journal, c.account, name);
    sc.name = new_name.to_string();
    s.put_entity(&c.ctx.journal, sc);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "ServerCertificateName")?;
    find(s, c.account, name)?;
    s.delete_entity::<ServerCertificate>(&c.ctx.journal, c.account, name);
    Ok(json!({}))
}

impl Entity for ServerCertificate {
    fn named<'a>(c: &Call, s: &'a State) -> Result<&'a Self, ServiceError> {
        find(s, c.account, input::req(c.input, "ServerCertificateName")?)
    }

    fn store(self, c: &Call, s: &mut State) {
        s.put_entity(&c.ctx.journal, self);
    }
}
