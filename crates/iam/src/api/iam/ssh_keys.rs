//! UploadSSHPublicKey, GetSSHPublicKey, ListSSHPublicKeys, UpdateSSHPublicKey,
//! DeleteSSHPublicKey: a user's SSH keys for CodeCommit, RSA in `ssh-rsa` or PEM form.

use super::users::{credential_of, find, target_name};
use super::Call;
use crate::api::input;
use crate::api::page::time_order_key;
use crate::ids;
use crate::public_keys::{KeyError, RsaKey};
use crate::store::{SshPublicKey, State, User};
use serde_json::{json, Value};
use service::ServiceError;

/// The prefix of an SSH public key ID (20 characters, as an access key ID).
const SSH_KEY_ID: &str = "APKA";

fn not_found(id: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Public Key with id {id} cannot be found."),
    )
}

/// The error IAM gives for a key it does not take.
fn refused(e: KeyError) -> ServiceError {
    match e {
        KeyError::Unrecognized => ServiceError::new(
            "UnrecognizedPublicKeyEncoding",
            "The public key encoding format is unsupported or unrecognized: use an ssh-rsa key in ssh-rsa or PEM format.",
        ),
        KeyError::Invalid(why) => ServiceError::new(
            "InvalidPublicKey",
            format!("The public key is malformed or otherwise invalid: {why}."),
        ),
    }
}

/// A key as IAM's `SSHPublicKey` shape, its body in `encoding` (`SSH` or `PEM`).
fn to_json(u: &User, k: &SshPublicKey, encoding: &str) -> Result<Value, ServiceError> {
    let is_pem = k.body.starts_with("-----BEGIN");
    let body = if (encoding == "PEM") == is_pem {
        k.body.clone()
    } else {
        let key = RsaKey::parse(&k.body).map_err(refused)?;
        if encoding == "PEM" {
            key.to_pem()
        } else {
            key.to_ssh()
        }
    };
    Ok(json!({
        "UserName": u.name, "SSHPublicKeyId": k.id, "Fingerprint": k.fingerprint,
        "SSHPublicKeyBody": body, "Status": k.status, "UploadDate": k.uploaded,
    }))
}

pub(crate) fn upload(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let name = input::req(c.input, "UserName")?;
    let body = input::req(c.input, "SSHPublicKeyBody")?.trim();
    let mut u = find(s, c.account, name)?.clone();
    let key = RsaKey::parse(body).map_err(refused)?;
    let fingerprint = key.fingerprint();
    if u.credentials
        .ssh_keys
        .iter()
        .any(|k| k.fingerprint == fingerprint)
    {
        return Err(ServiceError::new(
            "DuplicateSSHPublicKey",
            "The SSH public key is already associated with the specified IAM user.",
        ));
    }
    super::quotas::admit(
        c,
        super::quotas::SSH_KEYS_PER_USER,
        u.credentials.ssh_keys.len(),
    )?;
    let k = SshPublicKey {
        id: ids::access_key_id(&c.iam.runtime.ids, SSH_KEY_ID, c.account),
        body: body.to_string(),
        fingerprint,
        status: "Active".into(),
        uploaded: c.now.floor(),
    };
    let out = json!({ "SSHPublicKey": to_json(&u, &k, if body.starts_with("-----BEGIN") { "PEM" } else { "SSH" })? });
    u.credentials.ssh_keys.push(k);
    s.put_user(&c.ctx.journal, u);
    Ok(out)
}

/// The caller's copy of the user `UserName` and the position of its key `SSHPublicKeyId`.
fn located(c: &Call, s: &State) -> Result<(User, usize), ServiceError> {
    let name = input::req(c.input, "UserName")?;
    credential_of(
        c,
        s,
        name,
        "SSHPublicKeyId",
        |u| &u.credentials.ssh_keys,
        |x| &x.id,
        not_found,
    )
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let encoding = input::req(c.input, "Encoding")?;
    let (u, at) = located(c, s)?;
    Ok(json!({ "SSHPublicKey": to_json(&u, &u.credentials.ssh_keys[at], encoding)? }))
}

pub(crate) fn list(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let u = find(s, c.account, &target_name(c)?)?;
    let items = u
        .credentials
        .ssh_keys
        .iter()
        .map(|k| {
            let item = json!({"UserName": u.name, "SSHPublicKeyId": k.id, "Status": k.status, "UploadDate": k.uploaded});
            (time_order_key(k.uploaded, &k.id), item)
        })
        .collect();
    c.paged(items, "SSHPublicKeys")
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let status = input::status(c.input)?;
    let (mut u, at) = located(c, s)?;
    u.credentials.ssh_keys[at].status = status.to_string();
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let (mut u, at) = located(c, s)?;
    u.credentials.ssh_keys.remove(at);
    s.put_user(&c.ctx.journal, u);
    Ok(json!({}))
}
