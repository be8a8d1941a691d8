//! UploadSigningCertificate, ListSigningCertificates, UpdateSigningCertificate,
//! DeleteSigningCertificate: a user's X.509 signing certificates (PEM). The user is the caller
//! when `UserName` is left out; the root user, signing with its long-term key, manages its own
//! (kept in the account record), as AWS documents.

use super::users::{credential_of, find, root_record, roots_own, target_name};
use super::Call;
use crate::api::errors::quota;
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

/// The quota AWS's LimitExceeded names for a user's signing certificates: "Cannot exceed quota
/// for CertificatesPerUser: 2" (LocalStack's snapshot test recorded against AWS:
/// test_iam_signing_certificates.snapshot.json test_signing_certificate_errors
/// 'upload-exceeds-limit-error'); the configurable quota keeps its name,
/// SigningCertificatesPerUser, as GetAccountSummary's SigningCertificatesPerUserQuota.
const CERTIFICATES_QUOTA: &str = "CertificatesPerUser";

/// How many signing certificates the root user may have (as an IAM user).
const ROOT_CERTIFICATES: usize = 2;

/// A certificate as IAM's `SigningCertificate` shape: `user` names its IAM user; root's has
/// no `UserName`, as root's access keys.
fn to_json(user: Option<&User>, cert: &SigningCertificate) -> Value {
    let mut v = serde_json::Map::new();
    if let Some(u) = user {
        v.insert("UserName".into(), json!(u.name));
    }
    v.insert("CertificateId".into(), json!(cert.id));
    v.insert("CertificateBody".into(), json!(cert.body));
    v.insert("Status".into(), json!(cert.status));
    v.insert("UploadDate".into(), json!(cert.uploaded));
    Value::Object(v)
}

pub(crate) fn upload(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let root = roots_own(c);
    let user = if root {
        None
    } else {
        Some(find(s, c.account, &target_name(c)?)?.clone())
    };
    let body = input::req(c.input, "CertificateBody")?.trim();
    // A body that is no certificate: "Certificate … is malformed." (LocalStack's snapshot
    // test recorded against AWS: test_iam_signing_certificates.snapshot.json
    // test_signing_certificate_errors 'upload-invalid-certificate-error').
    let der = public_keys::uploaded_certificate(body, c.now)
        .map_err(|why| match why {
            public_keys::UNREADABLE => malformed(&format!("Certificate {body} is malformed.")),
            other => malformed(other),
        })?
        .der;
    // One certificate belongs to one user of the account (root included).
    let same = |other: &SigningCertificate| {
        public_keys::certificate_pem(&other.body).as_deref() == Some(der.as_slice())
    };
    let account = s.account(c.account);
    let mut held = account.into_iter().flat_map(|a| {
        a.users
            .values()
            .flat_map(|u| &u.credentials.certificates)
            .chain(&a.rec.root_certificates)
    });
    if held.any(same) {
        return Err(ServiceError::new(
            "DuplicateCertificate",
            "The same certificate is already associated with an IAM user in this account.",
        )
        .with_status(409));
    }
    let cert = SigningCertificate {
        id: c.iam.runtime.ids.upper_alnum(32),
        body: body.to_string(),
        status: "Active".into(),
        uploaded: c.now.floor(),
    };
    let out = json!({ "Certificate": to_json(user.as_ref(), &cert) });
    match user {
        None => {
            let mut rec = root_record(c, s)?;
            if rec.root_certificates.len() >= ROOT_CERTIFICATES {
                return Err(quota(CERTIFICATES_QUOTA, ROOT_CERTIFICATES));
            }
            rec.root_certificates.push(cert);
            s.put_account(&c.ctx.journal, rec);
        }
        Some(mut u) => {
            super::quotas::SIGNING_CERTIFICATES_PER_USER
                .admit(&c.iam.runtime, u.credentials.certificates.len(), 1)
                .map_err(|r| quota(CERTIFICATES_QUOTA, r.limit as usize))?;
            u.credentials.certificates.push(cert);
            s.put_user(&c.ctx.journal, u);
        }
    }
    Ok(out)
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (user, certs) = if roots_own(c) {
        let a = s.account(c.account);
        (
            None,
            a.map(|a| a.rec.root_certificates.as_slice())
                .unwrap_or_default(),
        )
    } else {
        let u = find(s, c.account, &target_name(c)?)?;
        (Some(u), u.credentials.certificates.as_slice())
    };
    let items = certs
        .iter()
        .map(|cert| (time_order_key(cert.uploaded, &cert.id), to_json(user, cert)))
        .collect();
    c.paged(items, "Certificates")
}

/// Root's own certificates changed by `change` (given the position of `CertificateId`).
fn change_roots(
    c: &Call,
    s: &mut State,
    change: impl FnOnce(&mut Vec<SigningCertificate>, usize),
) -> Result<Value, ServiceError> {
    let id = input::req(c.input, "CertificateId")?;
    let mut rec = root_record(c, s)?;
    let at = rec
        .root_certificates
        .iter()
        .position(|x| x.id == id)
        .ok_or_else(|| not_found(id))?;
    change(&mut rec.root_certificates, at);
    s.put_account(&c.ctx.journal, rec);
    Ok(json!({}))
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
    if roots_own(c) {
        return change_roots(c, s, |certs, at| certs[at].status = status.to_string());
    }
    let (mut u, at) = located(c, s)?;
    u.credentials.certificates[at].status = status.to_string();
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    if roots_own(c) {
        return change_roots(c, s, |certs, at| {
            certs.remove(at);
        });
    }
    let (mut u, at) = located(c, s)?;
    u.credentials.certificates.remove(at);
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}
