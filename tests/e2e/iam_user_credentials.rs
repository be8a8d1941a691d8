//! A user's SSH public keys, signing certificates and service-specific credentials, and the
//! account's server certificates, end to end with the real SDK: what the SDK parses back, a
//! user managing only its own (a policy on `user/${aws:username}`), DeleteUser's conflicts as
//! cleanup tools meet them, and a rename allowed only with both names.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::{EncodingType, StatusType};
use common::TestServer;

const SSH_KEY: &str = include_str!("../../crates/iam/fixtures/ssh-rsa-2048.pub");
const SSH_KEY_PEM: &str = include_str!("../../crates/iam/fixtures/ssh-rsa-2048.pem");
const CERTIFICATE: &str = include_str!("../../crates/iam/fixtures/signing-cert-1.pem");

/// Lets a user manage its own SSH keys, certificates and service-specific credentials only.
const OWN_CREDENTIALS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*SSHPublicKey*","iam:*SigningCertificate*","iam:*ServiceSpecificCredential*"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"#;

#[tokio::test]
async fn a_user_manages_its_own_keys_certificates_and_service_credentials() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    let (key, secret) = server.user_with_policy("dev", OWN_CREDENTIALS).await;
    root.create_user().user_name("other").send().await.unwrap();
    let dev = aws_sdk_iam::Client::new(&server.sdk_config(&key, &secret).await);

    let uploaded = dev
        .upload_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect("its own key")
        .ssh_public_key
        .unwrap();
    assert!(uploaded.ssh_public_key_id.starts_with("APKA"));
    assert_eq!(
        uploaded.fingerprint,
        "6d:f2:74:35:56:e6:ed:e3:98:69:b6:47:15:f8:5c:d1"
    );
    assert_eq!(uploaded.status, StatusType::Active);
    assert!(uploaded.upload_date.is_some());
    let err = dev
        .upload_ssh_public_key()
        .user_name("other")
        .ssh_public_key_body(SSH_KEY)
        .send()
        .await
        .expect_err("another user's keys are not its to manage");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(err
        .message()
        .unwrap()
        .contains("on resource: arn:aws:iam::000000000000:user/other"));
    let pem = dev
        .get_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_id(&uploaded.ssh_public_key_id)
        .encoding(EncodingType::Pem)
        .send()
        .await
        .unwrap()
        .ssh_public_key
        .unwrap();
    assert_eq!(pem.ssh_public_key_body, SSH_KEY_PEM);
    let err = dev
        .upload_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_body(SSH_KEY_PEM)
        .send()
        .await
        .expect_err("the same key in PEM form");
    assert_eq!(err.code(), Some("DuplicateSSHPublicKey"));
    let err = dev
        .upload_ssh_public_key()
        .user_name("dev")
        .ssh_public_key_body(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKzvfE+qS09w+okgrO0gY7jryF0lSCxdEO/O0UaUhuZe a@b",
        )
        .send()
        .await
        .expect_err("IAM takes RSA keys only");
    assert_eq!(err.code(), Some("UnrecognizedPublicKeyEncoding"));

    // Without UserName, the caller's own certificates and credentials.
    let cert = dev
        .upload_signing_certificate()
        .certificate_body(CERTIFICATE)
        .send()
        .await
        .expect("its own certificate")
        .certificate
        .unwrap();
    assert_eq!(cert.user_name, "dev");
    assert_eq!(cert.status, StatusType::Active);
    dev.update_signing_certificate()
        .certificate_id(&cert.certificate_id)
        .status(StatusType::Inactive)
        .send()
        .await
        .unwrap();
    let listed = dev.list_signing_certificates().send().await.unwrap();
    assert_eq!(listed.certificates().len(), 1);
    assert_eq!(listed.certificates()[0].status, StatusType::Inactive);
    let err = root
        .upload_signing_certificate()
        .user_name("other")
        .certificate_body(CERTIFICATE)
        .send()
        .await
        .expect_err("one certificate, one user");
    assert_eq!(err.code(), Some("DuplicateCertificate"));

    let made = dev
        .create_service_specific_credential()
        .user_name("dev")
        .service_name("codecommit.amazonaws.com")
        .send()
        .await
        .unwrap()
        .service_specific_credential
        .unwrap();
    assert_eq!(made.service_user_name, "dev-at-000000000000");
    assert_eq!(made.service_password.len(), 44);
    let listed = dev
        .list_service_specific_credentials()
        .send()
        .await
        .unwrap();
    let metadata = listed.service_specific_credentials();
    assert_eq!(metadata.len(), 1);
    assert_eq!(metadata[0].service_name, "codecommit.amazonaws.com");
    let err = dev
        .create_service_specific_credential()
        .user_name("dev")
        .service_name("s3.amazonaws.com")
        .send()
        .await
        .expect_err("S3 takes no service-specific credentials");
    assert_eq!(err.code(), Some("NoSuchEntity"));

    // Cleanup as a force-destroy does it: DeleteUser names what still holds the user.
    root.delete_user_policy()
        .user_name("dev")
        .policy_name("p")
        .send()
        .await
        .unwrap();
    root.delete_access_key()
        .user_name("dev")
        .access_key_id(&key)
        .send()
        .await
        .unwrap();
    let conflict = |e: aws_sdk_iam::error::SdkError<_>| {
        let e: aws_sdk_iam::operation::delete_user::DeleteUserError = e.into_service_error();
        (
            e.code().map(str::to_string),
            e.message().map(str::to_string),
        )
    };
    let err = root
        .delete_user()
        .user_name("dev")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        conflict(err),
        (
            Some("DeleteConflict".into()),
            Some("Cannot delete entity, must delete certificates first.".into())
        )
    );
    root.delete_signing_certificate()
        .user_name("dev")
        .certificate_id(&cert.certificate_id)
        .send()
        .await
        .unwrap();
    let err = root
        .delete_user()
        .user_name("dev")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        conflict(err).1.as_deref(),
        Some("Cannot delete entity, must remove referenced objects first.")
    );
    let keys = root
        .list_ssh_public_keys()
        .user_name("dev")
        .send()
        .await
        .unwrap();
    for k in keys.ssh_public_keys() {
        root.delete_ssh_public_key()
            .user_name("dev")
            .ssh_public_key_id(&k.ssh_public_key_id)
            .send()
            .await
            .unwrap();
    }
    root.delete_service_specific_credential()
        .user_name("dev")
        .service_specific_credential_id(&made.service_specific_credential_id)
        .send()
        .await
        .unwrap();
    root.delete_user()
        .user_name("dev")
        .send()
        .await
        .expect("nothing holds it now");
}

#[tokio::test]
async fn server_certificates_upload_with_their_key_and_rename_only_with_both_names_allowed() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    let uploaded = root
        .upload_server_certificate()
        .server_certificate_name("cdn")
        .path("/cloudfront/")
        .certificate_body(include_str!("../../crates/iam/fixtures/server-cert.pem"))
        .private_key(include_str!("../../crates/iam/fixtures/server-cert.key"))
        .send()
        .await
        .expect("uploaded")
        .server_certificate_metadata
        .unwrap();
    assert_eq!(
        uploaded.arn,
        "arn:aws:iam::000000000000:server-certificate/cloudfront/cdn"
    );
    assert!(uploaded.expiration.is_some());
    let err = root
        .upload_server_certificate()
        .server_certificate_name("other")
        .certificate_body(CERTIFICATE)
        .private_key(include_str!("../../crates/iam/fixtures/server-cert.key"))
        .send()
        .await
        .expect_err("another certificate's key");
    assert_eq!(err.code(), Some("KeyPairMismatch"));
    // Allowed on the old name only: the rename is refused, naming the new ARN.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:UpdateServerCertificate","Resource":"arn:aws:iam::*:server-certificate/cloudfront/cdn"}]}"#;
    let (key, secret) = server.user_with_policy("ops", policy).await;
    let ops = aws_sdk_iam::Client::new(&server.sdk_config(&key, &secret).await);
    let err = ops
        .update_server_certificate()
        .server_certificate_name("cdn")
        .new_server_certificate_name("edge")
        .send()
        .await
        .expect_err("no permission on the new name");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(err
        .message()
        .unwrap()
        .contains("server-certificate/cloudfront/edge"));
    root.update_server_certificate()
        .server_certificate_name("cdn")
        .new_server_certificate_name("edge")
        .send()
        .await
        .unwrap();
    let got = root
        .get_server_certificate()
        .server_certificate_name("edge")
        .send()
        .await
        .unwrap()
        .server_certificate
        .unwrap();
    assert_eq!(
        got.server_certificate_metadata
            .unwrap()
            .server_certificate_id,
        uploaded.server_certificate_id
    );
    let listed = root.list_server_certificates().send().await.unwrap();
    assert_eq!(listed.server_certificate_metadata_list().len(), 1);
    root.delete_server_certificate()
        .server_certificate_name("edge")
        .send()
        .await
        .unwrap();
}
