//! Tests of SSH public keys, signing certificates and service-specific credentials: their
//! lifecycles, AWS's errors, DeleteUser's conflicts, the credential report and the records.

use crate::api::test_support::{accesses, call, code_message, iam, root_ctx, user_ctx, ACCOUNT};
use serde_json::{json, Value};

const SSH_2048: &str = include_str!("../../../fixtures/ssh-rsa-2048.pub");
const SSH_2048_PEM: &str = include_str!("../../../fixtures/ssh-rsa-2048.pem");
const SSH_3072: &str = include_str!("../../../fixtures/ssh-rsa-3072.pub");
const CERT_1: &str = include_str!("../../../fixtures/signing-cert-1.pem");
const CERT_2: &str = include_str!("../../../fixtures/signing-cert-2.pem");
const CERT_3: &str = include_str!("../../../fixtures/signing-cert-3.pem");

fn str_of<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().fold(v, |v, k| &v[*k]).as_str().unwrap()
}

#[test]
fn ssh_keys_upload_get_in_both_encodings_list_update_and_delete() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "dev"})).unwrap();
    let up = call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyBody": SSH_2048}),
    )
    .unwrap();
    let key = &up["SSHPublicKey"];
    let id = str_of(key, &["SSHPublicKeyId"]).to_string();
    assert!(id.starts_with("APKA") && id.len() == 20, "{id}");
    assert_eq!(
        key["Fingerprint"],
        "6d:f2:74:35:56:e6:ed:e3:98:69:b6:47:15:f8:5c:d1"
    );
    assert_eq!(key["Status"], "Active");
    assert_eq!(key["SSHPublicKeyBody"], SSH_2048.trim());
    // PEM is the same key as OpenSSH converts it; SSH is the key without its comment.
    let pem = call(
        &iam,
        &root,
        "GetSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyId": id, "Encoding": "PEM"}),
    )
    .unwrap();
    assert_eq!(pem["SSHPublicKey"]["SSHPublicKeyBody"], SSH_2048_PEM);
    // The same key again, in PEM form, is a duplicate.
    let e = call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyBody": SSH_2048_PEM}),
    )
    .unwrap_err();
    assert_eq!(e.code, "DuplicateSSHPublicKey");
    // A key uploaded as PEM comes back as ssh-rsa when asked.
    call(&iam, &root, "CreateUser", json!({"UserName": "ops"})).unwrap();
    let pem_up = call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "ops", "SSHPublicKeyBody": SSH_2048_PEM}),
    )
    .unwrap();
    let ops_id = str_of(&pem_up, &["SSHPublicKey", "SSHPublicKeyId"]);
    let ssh = call(
        &iam,
        &root,
        "GetSSHPublicKey",
        json!({"UserName": "ops", "SSHPublicKeyId": ops_id, "Encoding": "SSH"}),
    )
    .unwrap();
    assert_eq!(
        ssh["SSHPublicKey"]["SSHPublicKeyBody"].as_str().unwrap(),
        SSH_2048.trim().rsplit_once(' ').unwrap().0
    );
    // Another user's key is not found under this one.
    let e = call(
        &iam,
        &root,
        "GetSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyId": ops_id, "Encoding": "SSH"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("The Public Key with id {ops_id} cannot be found.").as_str()
        )
    );
    call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyBody": SSH_3072}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "UpdateSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyId": id, "Status": "Inactive"}),
    )
    .unwrap();
    let listed = call(&iam, &root, "ListSSHPublicKeys", json!({"UserName": "dev"})).unwrap();
    let keys = listed["SSHPublicKeys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    // Both were uploaded in the same second: the listing orders those by ID.
    let updated = keys
        .iter()
        .find(|k| k["SSHPublicKeyId"] == json!(id))
        .unwrap();
    assert_eq!(updated["Status"], "Inactive");
    assert!(keys.iter().all(|k| k.get("SSHPublicKeyBody").is_none()));
    let e = call(
        &iam,
        &root,
        "UpdateSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyId": id, "Status": "Off"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ValidationError");
    // DeleteUser waits for the keys to go.
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "dev"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "DeleteConflict",
            "Cannot delete entity, must remove referenced objects first."
        )
    );
    for k in keys {
        call(
            &iam,
            &root,
            "DeleteSSHPublicKey",
            json!({"UserName": "dev", "SSHPublicKeyId": k["SSHPublicKeyId"]}),
        )
        .unwrap();
    }
    let e = call(
        &iam,
        &root,
        "DeleteSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyId": id}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    call(&iam, &root, "DeleteUser", json!({"UserName": "dev"})).unwrap();
}

#[test]
fn ssh_keys_refuse_other_types_garbage_and_short_keys() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "dev"})).unwrap();
    let upload = |body: &str| {
        call(
            &iam,
            &root,
            "UploadSSHPublicKey",
            json!({"UserName": "dev", "SSHPublicKeyBody": body}),
        )
        .unwrap_err()
    };
    let ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe a@b";
    assert_eq!(upload(ed).code, "UnrecognizedPublicKeyEncoding");
    assert_eq!(upload("not a key").code, "UnrecognizedPublicKeyEncoding");
    assert_eq!(upload("ssh-rsa AAAA!!").code, "InvalidPublicKey");
    // A 1024-bit key: too short.
    let short = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHB";
    assert_eq!(upload(short).code, "InvalidPublicKey");
    let e = call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "ghost", "SSHPublicKeyBody": SSH_2048}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        ("NoSuchEntity", "The user with name ghost cannot be found.")
    );
    let listed = call(&iam, &root, "ListSSHPublicKeys", json!({"UserName": "dev"})).unwrap();
    assert_eq!(listed["SSHPublicKeys"], json!([]));
}

#[test]
fn signing_certificates_belong_to_one_user_and_hold_back_delete_user() {
    let iam = iam();
    let root = root_ctx();
    let alice = user_ctx(&iam, "alice");
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    // Without UserName the caller's own certificate.
    let up = call(
        &iam,
        &alice,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_1}),
    )
    .unwrap();
    let cert = &up["Certificate"];
    assert_eq!(cert["UserName"], "alice");
    assert_eq!(cert["Status"], "Active");
    assert_eq!(cert["CertificateBody"], CERT_1.trim());
    let id = str_of(cert, &["CertificateId"]).to_string();
    assert!(id.len() >= 24, "{id}");
    // The same certificate cannot go to another user of the account.
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "bob", "CertificateBody": CERT_1}),
    )
    .unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.status),
        ("DuplicateCertificate", Some(409))
    );
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "bob", "CertificateBody": SSH_2048_PEM}),
    )
    .unwrap_err();
    assert_eq!(e.code, "MalformedCertificate");
    let e = call(&iam, &root, "UploadSigningCertificate", json!({"UserName": "bob", "CertificateBody": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"})).unwrap_err();
    assert_eq!(e.code, "MalformedCertificate");
    call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "alice", "CertificateBody": CERT_2}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "alice", "CertificateBody": CERT_3}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for CertificatesPerUser: 2"
        )
    );
    call(
        &iam,
        &root,
        "UpdateSigningCertificate",
        json!({"UserName": "alice", "CertificateId": id, "Status": "Inactive"}),
    )
    .unwrap();
    let listed = call(&iam, &alice, "ListSigningCertificates", json!({})).unwrap();
    let certs = listed["Certificates"].as_array().unwrap();
    assert_eq!(certs.len(), 2);
    let updated = certs
        .iter()
        .find(|c| c["CertificateId"] == json!(id))
        .unwrap();
    assert_eq!(updated["Status"], "Inactive");
    // The credential report shows them; DeleteUser waits for them.
    call(&iam, &root, "GenerateCredentialReport", json!({})).unwrap();
    let report = call(&iam, &root, "GetCredentialReport", json!({})).unwrap();
    let csv = String::from_utf8(
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            report["Content"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let row = csv.lines().find(|l| l.starts_with("alice,")).unwrap();
    let cols: Vec<&str> = row.split(',').collect();
    assert_eq!((cols[18], cols[20]), ("false", "true"), "{row}");
    assert_ne!(cols[19], "N/A");
    call(
        &iam,
        &root,
        "DeleteAccessKey",
        json!({"UserName": "alice", "AccessKeyId": alice.principal.access_key_id}),
    )
    .unwrap();
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "alice"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete certificates first."
        )
    );
    let e = call(
        &iam,
        &root,
        "DeleteSigningCertificate",
        json!({"UserName": "bob", "CertificateId": id}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("The Certificate with id {id} cannot be found.").as_str()
        )
    );
    for c in certs {
        call(
            &iam,
            &root,
            "DeleteSigningCertificate",
            json!({"UserName": "alice", "CertificateId": c["CertificateId"]}),
        )
        .unwrap();
    }
    call(&iam, &root, "DeleteUser", json!({"UserName": "alice"})).unwrap();
    // Now free, the certificate may go to bob.
    call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "bob", "CertificateBody": CERT_1}),
    )
    .unwrap();
}

#[test]
fn root_manages_its_own_signing_certificates_without_a_user_name() {
    // UploadSigningCertificate: "you can use this operation to manage AWS account root user
    // credentials even if the AWS account has no associated users".
    let iam = iam();
    let root = root_ctx();
    let alice = user_ctx(&iam, "alice");
    let up = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_1}),
    )
    .unwrap();
    let cert = &up["Certificate"];
    assert!(cert.get("UserName").is_none(), "{up}");
    assert_eq!(cert["Status"], "Active");
    let id = str_of(cert, &["CertificateId"]).to_string();
    // Root's certificate is nobody else's.
    let e = call(
        &iam,
        &alice,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_1}),
    )
    .unwrap_err();
    assert_eq!(e.code, "DuplicateCertificate");
    let listed = call(&iam, &root, "ListSigningCertificates", json!({})).unwrap();
    assert_eq!(
        listed["Certificates"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
    assert_eq!(listed["Certificates"][0]["CertificateId"], id.as_str());
    let mine = call(&iam, &alice, "ListSigningCertificates", json!({})).unwrap();
    assert_eq!(mine["Certificates"].as_array().unwrap().len(), 0, "{mine}");
    let summary = call(&iam, &root, "GetAccountSummary", json!({})).unwrap();
    assert_eq!(
        summary["SummaryMap"]["AccountSigningCertificatesPresent"],
        1
    );
    call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_2}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_3}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for CertificatesPerUser: 2"
        )
    );
    call(
        &iam,
        &root,
        "UpdateSigningCertificate",
        json!({"CertificateId": id, "Status": "Inactive"}),
    )
    .unwrap();
    let report = super::account::credential_csv(&iam.state.read(), ACCOUNT);
    let row: Vec<&str> = report.lines().nth(1).unwrap().split(',').collect();
    assert_eq!((row[18], row[20]), ("false", "true"), "{report}");
    assert_ne!(row[19], "N/A", "{report}");
    call(
        &iam,
        &root,
        "DeleteSigningCertificate",
        json!({"CertificateId": id}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "DeleteSigningCertificate",
        json!({"CertificateId": id}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            format!("The Certificate with id {id} cannot be found.").as_str()
        )
    );
    let listed = call(&iam, &root, "ListSigningCertificates", json!({})).unwrap();
    assert_eq!(
        listed["Certificates"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
    // Alice may now upload the certificate root gave up.
    call(
        &iam,
        &alice,
        "UploadSigningCertificate",
        json!({"CertificateBody": CERT_1}),
    )
    .unwrap();
    // A root session must name the user.
    let mut session = service::Principal::root(ACCOUNT, "ASIAROOTSESSION00001");
    session.session = Some(Default::default());
    let session = service::RequestContext::new("req", std::sync::Arc::new(session), "us-east-1");
    let e = call(&iam, &session, "ListSigningCertificates", json!({})).unwrap_err();
    assert_eq!(e.code, "ValidationError");
}

#[test]
fn service_specific_credentials_show_secrets_once_and_list_by_service() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "jane"})).unwrap();
    call(&iam, &root, "CreateUser", json!({"UserName": "joe"})).unwrap();
    let made = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap();
    let cred = &made["ServiceSpecificCredential"];
    assert_eq!(cred["ServiceUserName"], format!("jane-at-{ACCOUNT}"));
    assert_eq!(cred["ServicePassword"].as_str().unwrap().len(), 44);
    let id = str_of(cred, &["ServiceSpecificCredentialId"]).to_string();
    assert!(id.starts_with("ACCA") && id.len() == 21, "{id}");
    let key = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "joe", "ServiceName": "bedrock.amazonaws.com", "CredentialAgeDays": 30}),
    )
    .unwrap();
    let key = &key["ServiceSpecificCredential"];
    assert!(str_of(key, &["ServiceCredentialAlias"]).starts_with(&format!("joe-at-{ACCOUNT}-v1-")));
    assert!(str_of(key, &["ServiceCredentialSecret"]).starts_with("ABSK"));
    assert_eq!(
        key["ExpirationDate"].as_f64().unwrap() - key["CreateDate"].as_f64().unwrap(),
        30.0 * 86_400.0
    );
    assert!(key.get("ServicePassword").is_none());
    // Rules: known services only, age only for API keys, two per service.
    let e = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceName": "s3.amazonaws.com"}),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("NoSuchEntity", Some(404)));
    let e = call(&iam, &root, "CreateServiceSpecificCredential", json!({"UserName": "jane", "ServiceName": "codecommit.amazonaws.com", "CredentialAgeDays": 5})).unwrap_err();
    assert_eq!(e.code, "InvalidInput");
    let second = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap();
    // The second credential for a service has its own user name (the CLI's example).
    assert_eq!(
        second["ServiceSpecificCredential"]["ServiceUserName"],
        format!("jane+1-at-{ACCOUNT}")
    );
    let e = call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "LimitExceeded",
            "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2"
        )
    );
    call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceName": "cassandra.amazonaws.com"}),
    )
    .unwrap();
    // Listing shows no password; by service; across users with AllUsers.
    let listed = call(
        &iam,
        &root,
        "ListServiceSpecificCredentials",
        json!({"UserName": "jane", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap();
    let creds = listed["ServiceSpecificCredentials"].as_array().unwrap();
    assert_eq!(creds.len(), 2);
    assert!(creds
        .iter()
        .all(|c| c.get("ServicePassword").is_none()
            && c["ServiceName"] == "codecommit.amazonaws.com"));
    let everyone = call(
        &iam,
        &root,
        "ListServiceSpecificCredentials",
        json!({"AllUsers": true}),
    )
    .unwrap();
    assert_eq!(
        everyone["ServiceSpecificCredentials"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let e = call(
        &iam,
        &root,
        "ListServiceSpecificCredentials",
        json!({"AllUsers": true, "UserName": "jane"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidInput");
    // Reset gives a new password; update and delete find the credential by ID.
    let reset = call(
        &iam,
        &root,
        "ResetServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceSpecificCredentialId": id}),
    )
    .unwrap();
    assert_ne!(
        reset["ServiceSpecificCredential"]["ServicePassword"],
        cred["ServicePassword"]
    );
    call(
        &iam,
        &root,
        "UpdateServiceSpecificCredential",
        json!({"UserName": "jane", "ServiceSpecificCredentialId": id, "Status": "Inactive"}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "UpdateServiceSpecificCredential",
        json!({"UserName": "joe", "ServiceSpecificCredentialId": id, "Status": "Active"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "joe"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "DeleteConflict",
            "Cannot delete entity, must remove referenced objects first."
        )
    );
    let joe_key = str_of(key, &["ServiceSpecificCredentialId"]);
    call(
        &iam,
        &root,
        "DeleteServiceSpecificCredential",
        json!({"UserName": "joe", "ServiceSpecificCredentialId": joe_key}),
    )
    .unwrap();
    call(&iam, &root, "DeleteUser", json!({"UserName": "joe"})).unwrap();
}

#[test]
fn the_operations_are_authorized_on_the_user_they_touch() {
    let iam = iam();
    let alice = user_ctx(&iam, "alice");
    let svc = iam.iam_service();
    let resource = |op: &str, input: Value| {
        accesses(&svc, &alice, op, &input).unwrap()[0]
            .resource
            .clone()
    };
    let own = format!("arn:aws:iam::{ACCOUNT}:user/alice");
    assert_eq!(resource("ListSSHPublicKeys", json!({})), own);
    assert_eq!(resource("ListSigningCertificates", json!({})), own);
    assert_eq!(
        resource("UploadSigningCertificate", json!({"CertificateBody": "x"})),
        own
    );
    assert_eq!(resource("ListServiceSpecificCredentials", json!({})), own);
    assert_eq!(
        resource(
            "UploadSSHPublicKey",
            json!({"UserName": "bob", "SSHPublicKeyBody": "x"})
        ),
        format!("arn:aws:iam::{ACCOUNT}:user/bob")
    );
    assert_eq!(
        resource("ListServiceSpecificCredentials", json!({"AllUsers": true})),
        format!("arn:aws:iam::{ACCOUNT}:user/")
    );
}

#[test]
fn the_credentials_survive_export_and_replay() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "dev"})).unwrap();
    call(
        &iam,
        &root,
        "UploadSSHPublicKey",
        json!({"UserName": "dev", "SSHPublicKeyBody": SSH_2048}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "UploadSigningCertificate",
        json!({"UserName": "dev", "CertificateBody": CERT_1}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "CreateServiceSpecificCredential",
        json!({"UserName": "dev", "ServiceName": "codecommit.amazonaws.com"}),
    )
    .unwrap();
    let state = iam.state.read();
    let mut fresh = crate::store::State::new();
    for r in state.records() {
        fresh.apply(&r).unwrap();
    }
    assert_eq!(fresh, *state);
    let creds = &fresh.accounts[ACCOUNT].users["dev"].credentials;
    assert_eq!(
        (
            creds.ssh_keys.len(),
            creds.certificates.len(),
            creds.service.len()
        ),
        (1, 1, 1)
    );
    // Nothing secret is kept.
    let text = serde_json::to_string(&fresh.accounts[ACCOUNT].users["dev"]).unwrap();
    assert!(!text.contains("Password") && !text.contains("password"));
}

const SERVER_CERT: &str = include_str!("../../../fixtures/server-cert.pem");
const SERVER_KEY: &str = include_str!("../../../fixtures/server-cert.key");
const SERVER_KEY_PKCS1: &str = include_str!("../../../fixtures/server-cert-pkcs1.key");

#[test]
fn server_certificates_need_their_own_key_and_rename_under_both_names() {
    let iam = iam();
    let root = root_ctx();
    let upload = |name: &str, body: &str, key: &str, chain: Option<&str>| {
        let mut input = json!({"ServerCertificateName": name, "CertificateBody": body, "PrivateKey": key, "Path": "/cdn/", "Tags": [{"Key": "team", "Value": "edge"}]});
        if let Some(c) = chain {
            input["CertificateChain"] = json!(c);
        }
        call(&iam, &root, "UploadServerCertificate", input)
    };
    let out = upload("web", SERVER_CERT, SERVER_KEY, Some(CERT_1)).unwrap();
    let meta = &out["ServerCertificateMetadata"];
    assert_eq!(
        meta["Arn"],
        format!("arn:aws:iam::{ACCOUNT}:server-certificate/cdn/web")
    );
    assert!(str_of(meta, &["ServerCertificateId"]).starts_with("ASCA"));
    // notAfter=Nov 29 06:19:37 2036 GMT.
    assert_eq!(meta["Expiration"], json!(2_111_552_377.0));
    assert_eq!(out["Tags"], json!([{"Key": "team", "Value": "edge"}]));
    let e = upload("web", SERVER_CERT, SERVER_KEY, None).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "EntityAlreadyExists",
            "The Server Certificate with name web already exists."
        )
    );
    // Another certificate's key, a certificate that is not one, a chain that is not one.
    assert_eq!(
        upload("other", CERT_1, SERVER_KEY_PKCS1, None)
            .unwrap_err()
            .code,
        "KeyPairMismatch"
    );
    assert_eq!(
        upload("other", SSH_2048_PEM, SERVER_KEY, None)
            .unwrap_err()
            .code,
        "MalformedCertificate"
    );
    assert_eq!(
        upload("other", SERVER_CERT, "nope", None).unwrap_err().code,
        "MalformedCertificate"
    );
    assert_eq!(
        upload("other", SERVER_CERT, SERVER_KEY, Some("junk"))
            .unwrap_err()
            .code,
        "MalformedCertificate"
    );
    // The PKCS#1 form of the key matches as well.
    upload("web-2", SERVER_CERT, SERVER_KEY_PKCS1, None).unwrap();

    let got = call(
        &iam,
        &root,
        "GetServerCertificate",
        json!({"ServerCertificateName": "WEB"}),
    )
    .unwrap();
    assert_eq!(
        got["ServerCertificate"]["CertificateBody"],
        SERVER_CERT.trim()
    );
    assert_eq!(got["ServerCertificate"]["CertificateChain"], CERT_1.trim());
    assert!(
        !got.to_string().contains("PRIVATE KEY"),
        "the key is never given back"
    );
    let listed = call(
        &iam,
        &root,
        "ListServerCertificates",
        json!({"PathPrefix": "/cdn/", "MaxItems": 1}),
    )
    .unwrap();
    assert_eq!(
        listed["ServerCertificateMetadataList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(listed["IsTruncated"], true);

    // A rename is authorized on the old and the new name.
    let svc = iam.iam_service();
    let named: Vec<String> = accesses(&svc, &root, "UpdateServerCertificate", &json!({"ServerCertificateName": "web", "NewServerCertificateName": "www", "NewPath": "/edge/"}))
        .unwrap()
        .iter()
        .map(|a| a.resource.clone())
        .collect();
    assert_eq!(
        named,
        [
            format!("arn:aws:iam::{ACCOUNT}:server-certificate/cdn/web"),
            format!("arn:aws:iam::{ACCOUNT}:server-certificate/edge/www")
        ]
    );
    let e = call(
        &iam,
        &root,
        "UpdateServerCertificate",
        json!({"ServerCertificateName": "web", "NewServerCertificateName": "web-2"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    call(&iam, &root, "UpdateServerCertificate", json!({"ServerCertificateName": "web", "NewServerCertificateName": "www", "NewPath": "/edge/"})).unwrap();
    let e = call(
        &iam,
        &root,
        "GetServerCertificate",
        json!({"ServerCertificateName": "web"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The Server Certificate with name web cannot be found."
        )
    );
    let moved = call(
        &iam,
        &root,
        "GetServerCertificate",
        json!({"ServerCertificateName": "www"}),
    )
    .unwrap();
    assert_eq!(
        moved["ServerCertificate"]["ServerCertificateMetadata"]["Arn"],
        format!("arn:aws:iam::{ACCOUNT}:server-certificate/edge/www")
    );
    assert_eq!(
        moved["ServerCertificate"]["ServerCertificateMetadata"]["ServerCertificateId"],
        meta["ServerCertificateId"]
    );

    // Tags, the summary, records, deletion.
    call(
        &iam,
        &root,
        "TagServerCertificate",
        json!({"ServerCertificateName": "www", "Tags": [{"Key": "env", "Value": "prod"}]}),
    )
    .unwrap();
    let tags = call(
        &iam,
        &root,
        "ListServerCertificateTags",
        json!({"ServerCertificateName": "www"}),
    )
    .unwrap();
    assert_eq!(tags["Tags"].as_array().unwrap().len(), 2);
    let summary = call(&iam, &root, "GetAccountSummary", json!({})).unwrap();
    assert_eq!(summary["SummaryMap"]["ServerCertificates"], 2);
    {
        let state = iam.state.read();
        let mut fresh = crate::store::State::new();
        for r in state.records() {
            fresh.apply(&r).unwrap();
        }
        assert_eq!(fresh, *state);
    }
    call(
        &iam,
        &root,
        "DeleteServerCertificate",
        json!({"ServerCertificateName": "www"}),
    )
    .unwrap();
    let e = call(
        &iam,
        &root,
        "DeleteServerCertificate",
        json!({"ServerCertificateName": "www"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
}
