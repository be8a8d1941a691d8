//! Tests of MFA devices, STS with MFA, login profiles, the password policy and the
//! account reports.

use crate::api::test_support::{
    call, code_message, iam, mfa_present, root_ctx, session_ctx, sts, user_ctx,
};
use crate::credentials::totp;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use service::RequestContext;

fn seed_of(created: &Value) -> Vec<u8> {
    let b64 = created["VirtualMFADevice"]["Base32StringSeed"]
        .as_str()
        .unwrap();
    let base32 = STANDARD.decode(b64).unwrap();
    data_encoding::BASE32_NOPAD.decode(&base32).unwrap()
}

/// Creates and enables a device for `user`; returns its serial and secret.
fn enable_device(iam: &std::sync::Arc<crate::Iam>, user: &str) -> (String, Vec<u8>) {
    let root = root_ctx();
    let out = call(
        iam,
        &root,
        "CreateVirtualMFADevice",
        json!({"VirtualMFADeviceName": user}),
    )
    .unwrap();
    let serial = out["VirtualMFADevice"]["SerialNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = seed_of(&out);
    let now = totp::step_at(iam.runtime.clock.now());
    // Codes of the two previous steps, so the current one stays unused for STS.
    let (a, b) = (
        totp::six_digits(&secret, now - 2),
        totp::six_digits(&secret, now - 1),
    );
    call(iam, &root, "EnableMFADevice", json!({"UserName": user, "SerialNumber": serial, "AuthenticationCode1": a, "AuthenticationCode2": b})).unwrap();
    (serial, secret)
}

#[test]
fn virtual_device_lifecycle_and_errors() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateUser", json!({"UserName": "bob"})).unwrap();
    let out = call(
        &iam,
        &root,
        "CreateVirtualMFADevice",
        json!({"VirtualMFADeviceName": "bob"}),
    )
    .unwrap();
    let dev = &out["VirtualMFADevice"];
    assert_eq!(dev["SerialNumber"], "arn:aws:iam::000000000000:mfa/bob");
    let png = STANDARD.decode(dev["QRCodePNG"].as_str().unwrap()).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(seed_of(&out).len(), 20);
    let e = call(
        &iam,
        &root,
        "CreateVirtualMFADevice",
        json!({"VirtualMFADeviceName": "BOB"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    let serial = "arn:aws:iam::000000000000:mfa/bob";
    let e = call(&iam, &root, "EnableMFADevice", json!({"UserName": "bob", "SerialNumber": serial, "AuthenticationCode1": "000000", "AuthenticationCode2": "000001"})).unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "InvalidAuthenticationCode",
            "Authentication code for device is not valid."
        )
    );
    let list = call(
        &iam,
        &root,
        "ListVirtualMFADevices",
        json!({"AssignmentStatus": "Unassigned"}),
    )
    .unwrap();
    assert_eq!(list["VirtualMFADevices"].as_array().unwrap().len(), 1);
    drop(list);
    // Enable for real.
    let secret = seed_of(&out);
    let now = totp::step_at(iam.runtime.clock.now());
    let (a, b) = (
        totp::six_digits(&secret, now - 1),
        totp::six_digits(&secret, now),
    );
    call(&iam, &root, "EnableMFADevice", json!({"UserName": "bob", "SerialNumber": serial, "AuthenticationCode1": a, "AuthenticationCode2": b})).unwrap();
    // The same codes cannot resync (they are spent).
    let e = call(&iam, &root, "ResyncMFADevice", json!({"UserName": "bob", "SerialNumber": serial, "AuthenticationCode1": a, "AuthenticationCode2": b})).unwrap_err();
    assert_eq!(e.code, "InvalidAuthenticationCode");
    let assigned = call(
        &iam,
        &root,
        "ListVirtualMFADevices",
        json!({"AssignmentStatus": "Assigned"}),
    )
    .unwrap();
    assert_eq!(assigned["VirtualMFADevices"][0]["User"]["UserName"], "bob");
    let mine = call(&iam, &root, "ListMFADevices", json!({"UserName": "bob"})).unwrap();
    assert_eq!(mine["MFADevices"][0]["SerialNumber"], serial);
    // Root without a user name lists its own devices (none: bob's are not root's).
    let roots = call(&iam, &root, "ListMFADevices", json!({})).unwrap();
    assert_eq!(roots, json!({"MFADevices": [], "IsTruncated": false}));
    assert_eq!(
        call(&iam, &root, "GetMFADevice", json!({"SerialNumber": serial})).unwrap()["UserName"],
        "bob"
    );
    let e = call(
        &iam,
        &root,
        "DeleteVirtualMFADevice",
        json!({"SerialNumber": serial}),
    )
    .unwrap_err();
    assert_eq!(e.code, "DeleteConflict");
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "bob"})).unwrap_err();
    assert_eq!(
        e.message,
        "Cannot delete entity, must delete MFA device first."
    );
    call(
        &iam,
        &root,
        "TagMFADevice",
        json!({"SerialNumber": serial, "Tags": [{"Key": "k", "Value": "v"}]}),
    )
    .unwrap();
    assert_eq!(
        call(
            &iam,
            &root,
            "ListMFADeviceTags",
            json!({"SerialNumber": serial})
        )
        .unwrap()["Tags"][0]["Key"],
        "k"
    );
    call(
        &iam,
        &root,
        "DeactivateMFADevice",
        json!({"UserName": "bob", "SerialNumber": serial}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "DeleteVirtualMFADevice",
        json!({"SerialNumber": serial}),
    )
    .unwrap();
    let e = call(&iam, &root, "GetMFADevice", json!({"SerialNumber": serial})).unwrap_err();
    assert_eq!(
        e.message,
        format!("MFA Device with serial number {serial} does not exist.")
    );
}

#[test]
fn sts_checks_codes_once_and_marks_sessions() {
    let iam = iam();
    let bob = user_ctx(&iam, "bob");
    let (serial, secret) = enable_device(&iam, "bob");
    let code = totp::six_digits(&secret, totp::step_at(iam.runtime.clock.now()));
    let e = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"SerialNumber": serial, "TokenCode": "123456"}),
    );
    if code != "123456" {
        assert_eq!(e.unwrap_err().code, "AccessDenied");
    }
    let out = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"SerialNumber": serial, "TokenCode": code}),
    )
    .unwrap();
    assert!(mfa_present(&iam, &out));
    // Replay of the same code is refused.
    let e = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"SerialNumber": serial, "TokenCode": code}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "MultiFactorAuthentication failed with invalid MFA one time pass code."
    );
    // A device that is not the caller's is refused.
    let e = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"SerialNumber": "arn:aws:iam::000000000000:mfa/other", "TokenCode": code}),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
    );
    // Without MFA the session says so.
    let plain = sts(&iam, &bob, "GetSessionToken", json!({})).unwrap();
    assert!(!mfa_present(&iam, &plain));
}

#[test]
fn trust_policy_requiring_mfa_refuses_without_it() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:user/bob"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]});
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "admin", "AssumeRolePolicyDocument": trust.to_string()}),
    )
    .unwrap();
    let arn = "arn:aws:iam::000000000000:role/admin";
    let e = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "mfa-session"}),
    )
    .unwrap_err();
    assert_eq!(e.message, format!("User: arn:aws:iam::000000000000:user/bob is not authorized to perform: sts:AssumeRole on resource: {arn}"));
    let (serial, secret) = enable_device(&iam, "bob");
    let code = totp::six_digits(&secret, totp::step_at(iam.runtime.clock.now()));
    let out = sts(&iam, &bob, "AssumeRole", json!({"RoleArn": arn, "RoleSessionName": "mfa-session", "SerialNumber": serial, "TokenCode": code})).unwrap();
    assert!(mfa_present(&iam, &out));
}

#[test]
fn root_delegating_trust_with_mfa_checks_identity_policy() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let allow = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]});
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "p", "PolicyDocument": allow.to_string()}),
    )
    .unwrap();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]});
    call(
        &iam,
        &root,
        "CreateRole",
        json!({"RoleName": "ops", "AssumeRolePolicyDocument": trust.to_string()}),
    )
    .unwrap();
    let arn = "arn:aws:iam::000000000000:role/ops";
    let (serial, secret) = enable_device(&iam, "bob");
    let code = totp::six_digits(&secret, totp::step_at(iam.runtime.clock.now()));
    let r = sts(
        &iam,
        &bob,
        "AssumeRole",
        json!({"RoleArn": arn, "RoleSessionName": "mfa-session", "SerialNumber": serial, "TokenCode": code}),
    );
    let d = iam.decisions("000000000000");
    assert!(r.is_ok(), "{d}");
}

#[test]
fn login_profiles_hash_passwords_and_follow_the_policy() {
    let iam = iam();
    let root = root_ctx();
    let bob: RequestContext = user_ctx(&iam, "bob");
    let e = call(&iam, &root, "GetAccountPasswordPolicy", json!({})).unwrap_err();
    assert_eq!(
        e.message,
        "The Password Policy with domain name 000000000000 cannot be found."
    );
    call(
        &iam,
        &root,
        "UpdateAccountPasswordPolicy",
        json!({"MinimumPasswordLength": 12, "RequireNumbers": true, "PasswordReusePrevention": 2}),
    )
    .unwrap();
    let p = call(&iam, &root, "GetAccountPasswordPolicy", json!({})).unwrap();
    assert_eq!(p["PasswordPolicy"]["MinimumPasswordLength"], 12);
    assert_eq!(p["PasswordPolicy"]["ExpirePasswords"], false);
    let e = call(
        &iam,
        &root,
        "CreateLoginProfile",
        json!({"UserName": "bob", "Password": "weak"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "PasswordPolicyViolation",
            "Password should have a minimum length of 12"
        )
    );
    let out = call(
        &iam,
        &root,
        "CreateLoginProfile",
        json!({"UserName": "bob", "Password": "long-enough-pw-1", "PasswordResetRequired": true}),
    )
    .unwrap();
    assert_eq!(out["LoginProfile"]["PasswordResetRequired"], true);
    let e = call(
        &iam,
        &root,
        "CreateLoginProfile",
        json!({"UserName": "bob", "Password": "long-enough-pw-1"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    let records = serde_json::to_string(
        &iam.records()
            .iter()
            .map(|r| r.value.clone())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert!(!records.contains("long-enough-pw-1"));
    assert!(records.contains("$argon2id$"));
    // ChangePassword: old password checked, reuse refused, counts as a use.
    let e = call(
        &iam,
        &bob,
        "ChangePassword",
        json!({"OldPassword": "wrong", "NewPassword": "another-pw-22"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    let e = call(
        &iam,
        &bob,
        "ChangePassword",
        json!({"OldPassword": "long-enough-pw-1", "NewPassword": "long-enough-pw-1"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "PasswordPolicyViolation");
    call(
        &iam,
        &bob,
        "ChangePassword",
        json!({"OldPassword": "long-enough-pw-1", "NewPassword": "another-pw-22"}),
    )
    .unwrap();
    assert!(
        call(&iam, &bob, "GetUser", json!({})).unwrap()["User"]["PasswordLastUsed"].is_number()
    );
    assert_eq!(
        call(&iam, &root, "GetLoginProfile", json!({"UserName": "bob"})).unwrap()["LoginProfile"]
            ["PasswordResetRequired"],
        false
    );
    let e = call(
        &iam,
        &root,
        "ChangePassword",
        json!({"OldPassword": "a", "NewPassword": "b"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidUserType");
    let e = call(&iam, &root, "DeleteUser", json!({"UserName": "bob"})).unwrap_err();
    assert_eq!(e.code, "DeleteConflict");
    call(
        &iam,
        &root,
        "DeleteLoginProfile",
        json!({"UserName": "bob"}),
    )
    .unwrap();
    let e = call(&iam, &root, "GetLoginProfile", json!({"UserName": "bob"})).unwrap_err();
    assert_eq!(e.message, "Login Profile for User bob cannot be found.");
    call(&iam, &root, "DeleteAccountPasswordPolicy", json!({})).unwrap();
    let e = call(
        &iam,
        &root,
        "CreateLoginProfile",
        json!({"UserName": "bob", "Password": "alllowercase"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "PasswordPolicyViolation");
}

#[test]
fn aliases_summary_and_credential_report() {
    let iam = iam();
    let root = root_ctx();
    let _bob = user_ctx(&iam, "bob");
    call(
        &iam,
        &root,
        "CreateAccountAlias",
        json!({"AccountAlias": "media-test"}),
    )
    .unwrap();
    assert_eq!(
        call(&iam, &root, "ListAccountAliases", json!({})).unwrap()["AccountAliases"],
        json!(["media-test"])
    );
    let e = call(
        &iam,
        &root,
        "DeleteAccountAlias",
        json!({"AccountAlias": "other"}),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    let sum = call(&iam, &root, "GetAccountSummary", json!({})).unwrap();
    assert_eq!(sum["SummaryMap"]["Users"], 1);
    assert_eq!(sum["SummaryMap"]["UsersQuota"], 5000);
    let e = call(&iam, &root, "GetCredentialReport", json!({})).unwrap_err();
    assert_eq!(e.code, "ReportNotPresent");
    assert_eq!(e.message, "", "AWS answers it without a message");
    assert_eq!(
        call(&iam, &root, "GenerateCredentialReport", json!({})).unwrap()["State"],
        "STARTED"
    );
    assert_eq!(
        call(&iam, &root, "GenerateCredentialReport", json!({})).unwrap()["State"],
        "COMPLETE"
    );
    let r = call(&iam, &root, "GetCredentialReport", json!({})).unwrap();
    let csv = String::from_utf8(STANDARD.decode(r["Content"].as_str().unwrap()).unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("user,arn,user_creation_time,password_enabled,password_last_used"));
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with("bob,arn:aws:iam::000000000000:user/bob,"));
    let cols = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == cols));
    // Settings survive a restore from records.
    let fresh = iam_from(&iam);
    assert_eq!(
        call(&fresh, &root, "ListAccountAliases", json!({})).unwrap()["AccountAliases"],
        json!(["media-test"])
    );
}

fn iam_from(old: &std::sync::Arc<crate::Iam>) -> std::sync::Arc<crate::Iam> {
    let fresh = iam();
    for r in old.records() {
        fresh.restore(&r).unwrap();
    }
    fresh
}

#[test]
fn mfa_devices_and_profiles_restore_from_records() {
    let iam = iam();
    let root = root_ctx();
    user_ctx(&iam, "bob");
    let (serial, _) = enable_device(&iam, "bob");
    call(
        &iam,
        &root,
        "CreateLoginProfile",
        json!({"UserName": "bob", "Password": "Restore-me-1"}),
    )
    .unwrap();
    let fresh = iam_from(&iam);
    assert_eq!(
        call(
            &fresh,
            &root,
            "GetMFADevice",
            json!({"SerialNumber": serial})
        )
        .unwrap()["UserName"],
        "bob"
    );
    call(&fresh, &root, "GetLoginProfile", json!({"UserName": "bob"})).unwrap();
    // Deletions journal too.
    let ctx = root_ctx();
    call(&iam, &ctx, "DeleteLoginProfile", json!({"UserName": "bob"})).unwrap();
    for r in ctx.journal.take().into_iter().map(|(_, r)| r) {
        fresh.restore(&r).unwrap();
    }
    assert!(call(&fresh, &root, "GetLoginProfile", json!({"UserName": "bob"})).is_err());
}

#[test]
fn self_managed_mfa_policy_denies_until_mfa() {
    let iam = iam();
    let root = root_ctx();
    let bob = user_ctx(&iam, "bob");
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowManageOwnUserMFA", "Effect": "Allow", "Action": ["iam:ListMFADevices", "iam:GetUser", "iam:ListUsers"], "Resource": "*"},
        {"Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny", "NotAction": ["iam:ListMFADevices", "iam:GetUser", "sts:GetSessionToken"], "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]});
    call(
        &iam,
        &root,
        "PutUserPolicy",
        json!({"UserName": "bob", "PolicyName": "p", "PolicyDocument": policy.to_string()}),
    )
    .unwrap();
    let list =
        crate::api::test_support::accesses(&iam.iam_service(), &bob, "ListUsers", &json!({}))
            .unwrap();
    assert!(
        iam.authorize(&bob, &list).is_err(),
        "long-term keys carry no MFA key: BoolIfExists denies"
    );
    let own =
        crate::api::test_support::accesses(&iam.iam_service(), &bob, "ListMFADevices", &json!({}))
            .unwrap();
    assert!(iam.authorize(&bob, &own).is_ok());
    let (serial, secret) = enable_device(&iam, "bob");
    let code = totp::six_digits(&secret, totp::step_at(iam.runtime.clock.now()));
    let out = sts(
        &iam,
        &bob,
        "GetSessionToken",
        json!({"SerialNumber": serial, "TokenCode": code}),
    )
    .unwrap();
    let mfa_ctx = session_ctx(&iam, &out);
    assert!(iam.authorize(&mfa_ctx, &list).is_ok());
}

#[test]
fn a_credential_report_is_in_progress_until_the_clock_says_it_is_done() {
    let runtime = std::sync::Arc::new(service::Runtime::new(
        service::Transitions::Manual,
        Some(1),
        [1; 32],
    ));
    let iam = crate::Iam::new(runtime.clone(), crate::Mode::Enforce);
    let root = root_ctx();
    let state = |iam: &std::sync::Arc<crate::Iam>| {
        call(iam, &root, "GenerateCredentialReport", json!({})).unwrap()["State"].clone()
    };
    assert_eq!(state(&iam), "STARTED");
    assert_eq!(state(&iam), "INPROGRESS");
    let e = call(&iam, &root, "GetCredentialReport", json!({})).unwrap_err();
    assert_eq!(e.code, "ReportInProgress");
    runtime.clock.advance(std::time::Duration::from_secs(2));
    assert_eq!(state(&iam), "COMPLETE");
    call(&iam, &root, "GetCredentialReport", json!({})).expect("ready now");
}

#[test]
fn the_account_summary_counts_identity_providers() {
    let iam = iam();
    let root = root_ctx();
    let providers = |iam: &std::sync::Arc<crate::Iam>| {
        call(iam, &root, "GetAccountSummary", json!({})).unwrap()["SummaryMap"]["Providers"].clone()
    };
    assert_eq!(providers(&iam), 0);
    call(
        &iam,
        &root,
        "CreateOpenIDConnectProvider",
        json!({"Url": "https://token.actions.githubusercontent.com", "ClientIDList": ["sts.amazonaws.com"]}),
    )
    .unwrap();
    assert_eq!(providers(&iam), 1);
}
