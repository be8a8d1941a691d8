//! The resource ARNs that MFA, password, SSH key, certificate, service-specific credential and
//! account-setting operations are authorized on (Service Authorization Reference): `mfa/…` for
//! device operations, the user for per-user ones (the caller when `UserName` is left out), `*`
//! for account settings.

use crate::api::input;
use crate::store::State;
use serde_json::Value;
use service::{PrincipalKind, RequestContext};

fn user_arn(state: &State, account: &str, name: &str) -> String {
    state
        .account(account)
        .and_then(|a| a.users.get(&name.to_lowercase()))
        .map(|u| u.arn())
        .unwrap_or_else(|| format!("arn:aws:iam::{account}:user/{name}"))
}

/// The resource `op` acts on, for the operations this module covers; `None` for others.
pub(crate) fn resource(
    state: &State,
    ctx: &RequestContext,
    op: &str,
    input: &Value,
) -> Option<String> {
    let account = ctx.account();
    let named_or_caller = || match input::opt(input, "UserName") {
        Some(n) => user_arn(state, account, n),
        None => match (&ctx.principal.kind, &ctx.principal.username) {
            (PrincipalKind::User, Some(n)) => user_arn(state, account, n),
            _ => ctx.principal.arn.clone(),
        },
    };
    let serial = || input::opt(input, "SerialNumber").unwrap_or("*").to_string();
    Some(match op {
        "CreateVirtualMFADevice" => {
            let name = input::opt(input, "VirtualMFADeviceName").unwrap_or_default();
            let path = input::opt(input, "Path").unwrap_or("/");
            format!("arn:aws:iam::{account}:mfa{path}{name}")
        }
        "DeleteVirtualMFADevice" | "TagMFADevice" | "UntagMFADevice" | "ListMFADeviceTags" => {
            serial()
        }
        "GetMFADevice" => match input::opt(input, "UserName") {
            Some(_) => named_or_caller(),
            // Without a user name, the device's owner (else the caller) is the resource.
            None => {
                let owner = input::opt(input, "SerialNumber")
                    .and_then(|s| super::mfa::find(state, account, s).ok())
                    .and_then(|d| super::mfa::owner(state, d))
                    .map(|u| u.arn());
                owner.unwrap_or_else(named_or_caller)
            }
        },
        "EnableMFADevice"
        | "ResyncMFADevice"
        | "DeactivateMFADevice"
        | "ListMFADevices"
        | "CreateLoginProfile"
        | "GetLoginProfile"
        | "UpdateLoginProfile"
        | "DeleteLoginProfile"
        | "ChangePassword"
        | "UploadSSHPublicKey"
        | "GetSSHPublicKey"
        | "ListSSHPublicKeys"
        | "UpdateSSHPublicKey"
        | "DeleteSSHPublicKey"
        | "UploadSigningCertificate"
        | "ListSigningCertificates"
        | "UpdateSigningCertificate"
        | "DeleteSigningCertificate"
        | "CreateServiceSpecificCredential"
        | "ResetServiceSpecificCredential"
        | "UpdateServiceSpecificCredential"
        | "DeleteServiceSpecificCredential" => named_or_caller(),
        // Every user's credentials: the account's users, as ListUsers names them.
        "ListServiceSpecificCredentials" if input::flag(input, "AllUsers") == Some(true) => {
            format!("arn:aws:iam::{account}:user/")
        }
        "ListServiceSpecificCredentials" => named_or_caller(),
        "ListVirtualMFADevices"
        | "UpdateAccountPasswordPolicy"
        | "GetAccountPasswordPolicy"
        | "DeleteAccountPasswordPolicy"
        | "CreateAccountAlias"
        | "DeleteAccountAlias"
        | "ListAccountAliases"
        | "GetAccountSummary"
        | "GenerateCredentialReport"
        | "GetCredentialReport" => "*".to_string(),
        _ => return None,
    })
}

/// Tags of the MFA device an `…:mfa/…` ARN names.
pub(crate) fn mfa_tags(state: &State, account: &str, arn: &str) -> Option<Vec<(String, String)>> {
    if !arn.contains(":mfa/") {
        return None;
    }
    super::mfa::find(state, account, arn)
        .ok()
        .map(|d| d.tags.clone())
}
