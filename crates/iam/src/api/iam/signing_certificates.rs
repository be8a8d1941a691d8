//! UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
//! DeleteSigningCertificate: a user's X.509 signing certificates (PEM). The user is the caller
//! when `UserName` is left out.

use super::users::{credential_of, find, target_name};
use super::Call;
use crate::api::input;
use crate::api::page::time_order_key;
use crate::public_keys;
use crate::store::{SigningCertificate, State, User};
use serde_json::{json, Value};
use service::ServiceError;

fn not_found(id: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Certificate with id {id} cannot be found."),
    )
}

fn malformed(why: &str) -> ServiceError {
    ServiceError::new("MalformedCertificate", why)
}

/// A certificate as IAM's `SigningCertificate` shape.
fn to_json(u: &User, cert: &SigningCertificate) -> Value {
    json!({
        "UserName": u.name, "CertificateId": cert.id, "CertificateBody": cert.body,
        "Status": cert.status, "UploadDate": cert.uploaded,
    })
}

pub(crate) fn upload(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = target_name(c)?;
    let body = input::req(c.input, "CertificateBody")?.trim();
    let mut u = find(s, c.account, &name)?.clone();
    let der = public_keys::uploaded_certificate(body, c.now)
        .map_err(malformed)?
        .der;
    // One certificate belongs to one user of the account.
    let same = |other: &SigningCertificate| {
        public_keys::certificate_pem(&other.body).as_deref() == Some(der.as_slice())
    };
    let account = s.account(c.account);
    if account
        .into_iter()
        .flat_map(|a| a.users.values())
        .any(|other| other.credentials.certificates.iter().any(same))
    {
        return Err(ServiceError::new(
            "DuplicateCertificate",
            "The same certificate is already associated with an IAM user in this account.",
        )
        .with_status(409));
    }
    super::quotas::admit(
        c,
        super::quotas::SIGNING_CERTIFICATES_PER_USER,
        u.credentials.certificates.len(),
    )?;
    let cert = SigningCertificate {
        id: c.iam.runtime.ids.upper_alnum(32),
        body: body.to_string(),
        status: "Active".into(),
        uploaded: c.now.floor(),
    };
    let out = json!({ "Certificate": to_json(&u, &cert) });
    u.credentials.certificates.push(cert);
    s.put_user(&c.ctx.journal, u);
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let u = find(s, c.account, &target_name(c)?)?;
    let items = u
        .credentials
        .certificates
        .iter()
        .map(|cert| (time_order_key(cert.uploaded, &cert.id), to_json(u, cert)))
        .collect();
    c.paged(items, "Certificates")
}

/// The caller's copy of the user and the position of its certificate `CertificateId`.
fn located(c: &Call, s: &State) -> Result<(User, usize), ServiceError> {
    let name = target_name(c)?;
    credential_of(
        c,
        s,
        &name,
        "CertificateId",
        |u| &u.credentials.certificates,
        |x| &x.id,
        not_found,
    )
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let status = input::status(c.input)?;
    let (mut u, at) = located(c, s)?;
    u.credentials.certificates[at].status = status.to_string();
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (mut u, at) = located(c, s)?;
    u.credentials.certificates.remove(at);
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}
