//! MFA, passwords and account reports end to end with the real SDK: a virtual MFA device
//! enabled with TOTP codes computed here, STS with and without MFA against a trust policy that
//! requires it, AWS's self-manage-credentials policy, a password policy, a credential report.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use common::TestServer;
use hmac::{Hmac, Mac};
use sha1::Sha1;

const ACCOUNT: &str = "000000000000";

/// AWS's documented "manage own credentials only with MFA" policy (IAM User Guide).
const SELF_MANAGE: &str = r#"{"Version":"2012-10-17","Statement":[
 {"Sid":"AllowViewAccountInfo","Effect":"Allow","Action":["iam:GetAccountPasswordPolicy","iam:ListVirtualMFADevices"],"Resource":"*"},
 {"Sid":"AllowManageOwnPasswords","Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
 {"Sid":"AllowManageOwnAccessKeys","Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:UpdateAccessKey","iam:GetAccessKeyLastUsed"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
 {"Sid":"AllowManageOwnVirtualMFADevice","Effect":"Allow","Action":["iam:CreateVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/*"},
 {"Sid":"AllowManageOwnUserMFA","Effect":"Allow","Action":["iam:DeactivateMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ResyncMFADevice"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
 {"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:GetMFADevice","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}
]}"#;

fn totp(secret: &[u8], step: u64) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).unwrap();
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let v = u32::from_be_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]) & 0x7fff_ffff;
    format!("{:06}", v % 1_000_000)
}

fn step_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30
}

#[tokio::test]
async fn mfa_device_sts_and_the_self_manage_policy() {
    let server = TestServer::start().await;
    let (kid, secret) = server.user_with_policy("bob", SELF_MANAGE).await;
    let bob_conf = server.sdk_config(&kid, &secret).await;
    let bob = aws_sdk_iam::Client::new(&bob_conf);

    // Without MFA the deny-unless-MFA statement blocks everything not listed.
    let err = bob.list_access_keys().send().await.expect_err("denied");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(
        err.message().unwrap().contains("with an explicit deny"),
        "{:?}",
        err.message()
    );

    // Bob creates and enables his own device (allowed without MFA).
    let dev = bob
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("bob")
        .send()
        .await
        .unwrap()
        .virtual_mfa_device
        .unwrap();
    let serial = dev.serial_number.clone();
    assert_eq!(serial, format!("arn:aws:iam::{ACCOUNT}:mfa/bob"));
    let png = dev.qr_code_png.unwrap().into_inner();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let seed_text = dev.base32_string_seed.unwrap().into_inner();
    let seed = data_encoding::BASE32_NOPAD.decode(&seed_text).unwrap();

    let bad = bob
        .enable_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1("000000")
        .authentication_code2("111111")
        .send()
        .await
        .expect_err("bad codes");
    assert_eq!(bad.code(), Some("InvalidAuthenticationCode"));
    let now = step_now();
    bob.enable_mfa_device()
        .user_name("bob")
        .serial_number(&serial)
        .authentication_code1(totp(&seed, now - 2))
        .authentication_code2(totp(&seed, now - 1))
        .send()
        .await
        .unwrap();
    let listed = bob.list_mfa_devices().send().await.unwrap();
    assert_eq!(listed.mfa_devices[0].serial_number, serial);
    // Root without a user name lists its own devices: none (bob's are his).
    let root = server.iam_root().await;
    let roots = root.list_mfa_devices().send().await.unwrap();
    assert!(roots.mfa_devices().is_empty());
    assert!(!roots.is_truncated());

    // GetSessionToken with MFA: the session passes the deny.
    let sts = aws_sdk_sts::Client::new(&bob_conf);
    let code = totp(&seed, step_now());
    let creds = sts
        .get_session_token()
        .serial_number(&serial)
        .token_code(&code)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let mfa_conf = server
        .sdk_config_with_token(
            &creds.access_key_id,
            &creds.secret_access_key,
            Some(&creds.session_token),
        )
        .await;
    let with_mfa = aws_sdk_iam::Client::new(&mfa_conf);
    with_mfa.list_access_keys().send().await.unwrap();
    // The same code again is refused, never a 500.
    let replay = sts
        .get_session_token()
        .serial_number(&serial)
        .token_code(&code)
        .send()
        .await
        .expect_err("replayed code");
    assert_eq!(replay.code(), Some("AccessDenied"));
    // AWS's words, as the AWS CLI prints them (no trailing space).
    assert_eq!(
        replay.message(),
        Some("MultiFactorAuthentication failed with invalid MFA one time pass code.")
    );
}

#[tokio::test]
async fn a_trust_policy_requiring_mfa() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    let (kid, secret) = server.user_with_policy(
        "carol",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#,
    )
    .await;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}]}}"#
    );
    root.create_role()
        .role_name("ops")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let dev = root
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("carol")
        .send()
        .await
        .unwrap()
        .virtual_mfa_device
        .unwrap();
    let seed = data_encoding::BASE32_NOPAD
        .decode(&dev.base32_string_seed.unwrap().into_inner())
        .unwrap();
    let now = step_now();
    root.enable_mfa_device()
        .user_name("carol")
        .serial_number(&dev.serial_number)
        .authentication_code1(totp(&seed, now - 2))
        .authentication_code2(totp(&seed, now - 1))
        .send()
        .await
        .unwrap();
    let sts = aws_sdk_sts::Client::new(&server.sdk_config(&kid, &secret).await);
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/ops");
    let err = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("no-mfa")
        .send()
        .await
        .expect_err("no MFA");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some(format!("User: arn:aws:iam::{ACCOUNT}:user/carol is not authorized to perform: sts:AssumeRole on resource: {role_arn}").as_str())
    );
    let wrong = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("bad")
        .serial_number(&dev.serial_number)
        .token_code(if totp(&seed, step_now()) == "123456" {
            "654321"
        } else {
            "123456"
        })
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(wrong.code(), Some("AccessDenied"));
    sts.assume_role()
        .role_arn(&role_arn)
        .role_session_name("with-mfa")
        .serial_number(&dev.serial_number)
        .token_code(totp(&seed, step_now()))
        .send()
        .await
        .unwrap();
    // GetSessionToken without MFA still works (and carries MultiFactorAuthPresent=false)...
    let plain = sts
        .get_session_token()
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    let plain = server
        .sdk_config_with_token(
            &plain.access_key_id,
            &plain.secret_access_key,
            Some(&plain.session_token),
        )
        .await;
    // ...but IAM refuses those credentials, as AWS does: as if the token were unknown.
    let err = aws_sdk_iam::Client::new(&plain)
        .get_user()
        .send()
        .await
        .expect_err("IAM needs MFA for GetSessionToken credentials");
    assert_eq!(err.code(), Some("InvalidClientTokenId"), "{err:?}");
    // Other services take them.
    let me = aws_sdk_sts::Client::new(&plain)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert!(me.arn().unwrap_or_default().ends_with(":user/carol"));
}

#[tokio::test]
async fn password_policy_and_credential_report() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    let err = root
        .get_account_password_policy()
        .send()
        .await
        .expect_err("none yet");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    root.update_account_password_policy()
        .minimum_password_length(14)
        .require_symbols(true)
        .send()
        .await
        .unwrap();
    root.create_user().user_name("dave").send().await.unwrap();
    let weak = root
        .create_login_profile()
        .user_name("dave")
        .password("short")
        .send()
        .await
        .expect_err("weak");
    assert_eq!(weak.code(), Some("PasswordPolicyViolation"));
    root.create_login_profile()
        .user_name("dave")
        .password("a-long-password!")
        .send()
        .await
        .unwrap();
    let missing = root.get_credential_report().send().await.expect_err("none");
    assert_eq!(missing.code(), Some("ReportNotPresent"));
    let started = root.generate_credential_report().send().await.unwrap();
    assert_eq!(started.state.unwrap().as_str(), "STARTED");
    let done = root.generate_credential_report().send().await.unwrap();
    assert_eq!(done.state.unwrap().as_str(), "COMPLETE");
    let report = root.get_credential_report().send().await.unwrap();
    let csv = String::from_utf8(report.content.unwrap().into_inner()).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0][0..4],
        ["user", "arn", "user_creation_time", "password_enabled"]
    );
    let dave = rows.iter().find(|r| r[0] == "dave").expect("dave's row");
    assert_eq!(dave[3], "true");
    // The root row's creation time is the account's, not the epoch.
    let root_row = rows
        .iter()
        .find(|r| r[0] == "<root_account>")
        .expect("root");
    assert!(!root_row[2].starts_with("1970"), "{:?}", root_row[2]);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    root.create_account_alias()
        .account_alias("media-ci")
        .send()
        .await
        .unwrap();
    let summary = root
        .get_account_summary()
        .send()
        .await
        .unwrap()
        .summary_map
        .unwrap();
    assert_eq!(
        summary.get(&aws_sdk_iam::types::SummaryKeyType::Users),
        Some(&1)
    );
}

/// GetSessionToken naming a device that is not the caller's answers AWS's sentence, with the
/// two spaces AWS puts after its first period (users' AWS CLI output; botocore's recorded
/// GetSessionToken error).
#[tokio::test]
async fn get_session_token_with_an_unknown_device_answers_aws_words() {
    let server = TestServer::start().await;
    let (kid, secret) = server
        .user_with_policy(
            "carol",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .await;
    let sts = aws_sdk_sts::Client::new(&server.sdk_config(&kid, &secret).await);
    let err = sts
        .get_session_token()
        .serial_number(format!("arn:aws:iam::{ACCOUNT}:mfa/nobody"))
        .token_code("123456")
        .send()
        .await
        .expect_err("no such device");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert_eq!(
        err.message(),
        Some("MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
    );
}
