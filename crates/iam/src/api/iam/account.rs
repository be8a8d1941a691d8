//! Account settings and reports: the password policy, account aliases, GetAccountSummary
//! and the credential report.

use super::{login_profiles, mfa, Call};
use crate::api::input;
use crate::context_keys::iso8601;
use crate::store::{AccountSettings, CredentialReport, PasswordPolicy, State, User};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use service::ServiceError;

/// How long a credential report stays current (AWS: four hours).
const REPORT_TTL: f64 = 4.0 * 3600.0;

/// The CSV header of AWS's credential report.
pub const REPORT_COLUMNS: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// The account's settings (defaults if it has none yet), ready to change and store.
pub(crate) fn settings(s: &State, account: &str) -> AccountSettings {
    let mut x = s
        .account(account)
        .map(|a| a.settings.clone())
        .unwrap_or_default();
    x.account = account.to_string();
    x
}

pub(crate) fn update_password_policy(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let n = |m: &str| input::num(c.input, m).map(|v| v.max(0.0) as u32);
    let f = |m: &str| input::flag(c.input, m).unwrap_or(false);
    // Members left out go back to their defaults, as AWS documents.
    let policy = PasswordPolicy {
        minimum_length: n("MinimumPasswordLength").unwrap_or(6),
        require_symbols: f("RequireSymbols"),
        require_numbers: f("RequireNumbers"),
        require_uppercase: f("RequireUppercaseCharacters"),
        require_lowercase: f("RequireLowercaseCharacters"),
        allow_users_to_change: f("AllowUsersToChangePassword"),
        max_age: n("MaxPasswordAge").unwrap_or(0),
        reuse_prevention: n("PasswordReusePrevention").unwrap_or(0),
        hard_expiry: f("HardExpiry"),
    };
    let mut x = settings(s, c.account);
    x.password_policy = Some(policy);
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

fn no_policy(account: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("The Password Policy with domain name {account} cannot be found."),
    )
}

pub(crate) fn get_password_policy(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let x = settings(s, c.account);
    let p = x.password_policy.ok_or_else(|| no_policy(c.account))?;
    let mut v = json!({
        "MinimumPasswordLength": p.minimum_length,
        "RequireSymbols": p.require_symbols,
        "RequireNumbers": p.require_numbers,
        "RequireUppercaseCharacters": p.require_uppercase,
        "RequireLowercaseCharacters": p.require_lowercase,
        "AllowUsersToChangePassword": p.allow_users_to_change,
        "ExpirePasswords": p.max_age > 0,
    });
    // HardExpiry only when set: a policy updated without it answers none (LocalStack's
    // snapshot test recorded against AWS: test_iam_account_password_policy.snapshot.json
    // test_update_account_password_policy_defaults; with it, _custom_values), as the AWS
    // CLI's get-account-password-policy example shows none.
    if p.hard_expiry {
        v["HardExpiry"] = json!(true);
    }
    if p.max_age > 0 {
        v["MaxPasswordAge"] = json!(p.max_age);
    }
    if p.reuse_prevention > 0 {
        v["PasswordReusePrevention"] = json!(p.reuse_prevention);
    }
    Ok(json!({ "PasswordPolicy": v }))
}

pub(crate) fn delete_password_policy(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut x = settings(s, c.account);
    if x.password_policy.take().is_none() {
        // Not GetAccountPasswordPolicy's wording (LocalStack's snapshot test recorded against
        // AWS: test_iam_account_password_policy.snapshot.json
        // test_delete_account_password_policy_not_found).
        return Err(ServiceError::new(
            "NoSuchEntity",
            "The account policy with name PasswordPolicy cannot be found.",
        ));
    }
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

/// SetSecurityTokenServicePreferences: the version of the session tokens the global STS
/// endpoint issues, which GetAccountSummary reports.
pub(crate) fn set_token_version(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let version = input::req(c.input, "GlobalEndpointTokenVersion")?;
    if version != "v1Token" && version != "v2Token" {
        return Err(crate::api::errors::constraint(
            "globalEndpointTokenVersion",
            "Member must satisfy enum value set",
        ));
    }
    let mut x = settings(s, c.account);
    x.token_version = Some(version.to_string());
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

pub(crate) fn create_alias(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let alias = input::req(c.input, "AccountAlias")?;
    // Aliases are global: another account's alias is taken.
    let taken = s
        .accounts
        .values()
        .any(|a| a.rec.id != c.account && a.settings.aliases.iter().any(|x| x == alias));
    if taken {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            format!("The account alias {alias} already exists."),
        ));
    }
    let mut x = settings(s, c.account);
    // An account has one alias: a new one replaces it.
    x.aliases = vec![alias.to_string()];
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

pub(crate) fn delete_alias(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let alias = input::req(c.input, "AccountAlias")?;
    let mut x = settings(s, c.account);
    if !x.aliases.iter().any(|a| a == alias) {
        return Err(ServiceError::new(
            "NoSuchEntity",
            format!("The account alias {alias} cannot be found."),
        ));
    }
    x.aliases.retain(|a| a != alias);
    s.put_settings(&c.ctx.journal, x);
    Ok(json!({}))
}

pub(crate) fn list_aliases(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let items = settings(s, c.account)
        .aliases
        .into_iter()
        .map(|a| (a.clone(), json!(a)))
        .collect();
    c.paged(items, "AccountAliases")
}

pub(crate) fn summary(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let Some(a) = s.account(c.account) else {
        return Ok(json!({"SummaryMap": {}}));
    };
    let in_use = a
        .mfa_devices
        .values()
        .filter(|d| d.user_id.is_some())
        .count();
    let attachments: usize = a.users.values().map(|u| u.attached.len()).sum::<usize>()
        + a.groups.values().map(|g| g.attached.len()).sum::<usize>()
        + a.roles.values().map(|r| r.attached.len()).sum::<usize>();
    let root_key = usize::from(a.rec.all_root_keys().next().is_some());
    let root_certificates = usize::from(!a.rec.root_certificates.is_empty());
    let map = json!({
        "Users": a.users.len(), "UsersQuota": 5000,
        "Groups": a.groups.len(), "GroupsQuota": 300,
        "Roles": a.roles.len(), "RolesQuota": 1000,
        "Policies": a.policies.len(), "PoliciesQuota": 1500,
        "PolicyVersionsInUse": attachments, "PolicyVersionsInUseQuota": 10000,
        "VersionsPerPolicyQuota": 5, "PolicySizeQuota": 6144,
        "UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "RolePolicySizeQuota": 10240,
        "AssumeRolePolicySizeQuota": 2048,
        "GroupsPerUserQuota": 10, "AccessKeysPerUserQuota": 2, "SigningCertificatesPerUserQuota": 2,
        "AttachedPoliciesPerUserQuota": 10, "AttachedPoliciesPerGroupQuota": 10,
        "AttachedPoliciesPerRoleQuota": 10,
        "ServerCertificates": a.server_certificates.len(), "ServerCertificatesQuota": 20,
        "InstanceProfiles": a.instance_profiles.len(), "InstanceProfilesQuota": 1000,
        "MFADevices": a.mfa_devices.len(), "MFADevicesInUse": in_use,
        "AccountMFAEnabled": 0, "AccountAccessKeysPresent": root_key,
        "AccountPasswordPresent": 0, "AccountSigningCertificatesPresent": root_certificates,
        "GlobalEndpointTokenVersion": if a.settings.token_version.as_deref() == Some("v2Token") { 2 } else { 1 },
        "Providers": a.oidc_providers.len() + a.saml_providers.len(),
    });
    Ok(json!({ "SummaryMap": map }))
}

/// An ISO 8601 time as the report writes it (`2024-01-02T03:04:05+00:00`).
fn report_time(t: f64) -> String {
    iso8601(t).replace('Z', "+00:00")
}

fn user_row(s: &State, u: &User, policy: Option<&PasswordPolicy>) -> String {
    let na = || "N/A".to_string();
    let mut cols = vec![u.name.clone(), u.arn(), report_time(u.created)];
    match login_profiles::of(s, u) {
        Some(p) => {
            cols.push("true".into());
            cols.push(p.last_used.map_or("no_information".into(), report_time));
            cols.push(report_time(p.changed));
            cols.push(policy.filter(|x| x.max_age > 0).map_or_else(na, |x| {
                report_time(p.changed + f64::from(x.max_age) * 86_400.0)
            }));
        }
        None => cols.extend(["false".into(), na(), na(), na()]),
    }
    cols.push((!mfa::devices_of(s, u).is_empty()).to_string());
    for i in 0..2 {
        match u.keys.get(i) {
            Some(k) => {
                cols.push((k.status == "Active").to_string());
                cols.push(report_time(k.created));
                match &k.last_used {
                    Some(l) => {
                        cols.extend([report_time(l.date), l.region.clone(), l.service.clone()])
                    }
                    None => cols.extend([na(), na(), na()]),
                }
            }
            None => cols.extend(["false".into(), na(), na(), na(), na()]),
        }
    }
    for i in 0..2 {
        match u.credentials.certificates.get(i) {
            Some(cert) => {
                cols.push((cert.status == "Active").to_string());
                cols.push(report_time(cert.uploaded));
            }
            None => cols.extend(["false".into(), na()]),
        }
    }
    cols.join(",")
}

/// Root's row: `keys` and `certs` give each of its first two access keys and signing
/// certificates, if it has them, as (Active, created or uploaded). Root's key use is not
/// recorded.
fn root_row(
    account: &str,
    created: f64,
    keys: [Option<(bool, f64)>; 2],
    certs: [Option<(bool, f64)>; 2],
) -> String {
    let mut cols = vec![
        "<root_account>".to_string(),
        format!("arn:aws:iam::{account}:root"),
        report_time(created),
        "not_supported".into(),
        "no_information".into(),
        "not_supported".into(),
        "not_supported".into(),
        "false".into(),
    ];
    let na = || "N/A".to_string();
    let slot = |cols: &mut Vec<String>, s: Option<(bool, f64)>| match s {
        Some((active, when)) => cols.extend([active.to_string(), report_time(when)]),
        None => cols.extend(["false".into(), na()]),
    };
    for key in keys {
        slot(&mut cols, key);
        cols.extend([na(), na(), na()]);
    }
    for cert in certs {
        slot(&mut cols, cert);
    }
    cols.join(",")
}

/// The credential report CSV of `account` as it is now.
pub fn credential_csv(s: &State, account: &str) -> String {
    let mut lines = vec![REPORT_COLUMNS.to_string()];
    if let Some(a) = s.account(account) {
        let key = |i: usize| {
            a.rec
                .all_root_keys()
                .nth(i)
                .map(|k| (k.status == "Active", k.created))
        };
        let certs = &a.rec.root_certificates;
        let cert = |i: usize| certs.get(i).map(|c| (c.status == "Active", c.uploaded));
        lines.push(root_row(
            account,
            a.rec.created,
            [key(0), key(1)],
            [cert(0), cert(1)],
        ));
        let policy = a.settings.password_policy.as_ref();
        lines.extend(a.users.values().map(|u| user_row(s, u, policy)));
    }
    lines.join("\n")
}

pub(crate) fn generate_report(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let mut x = settings(s, c.account);
    let fresh = x
        .report
        .as_ref()
        .is_some_and(|r| c.now - r.generated < REPORT_TTL);
    if fresh {
        let ready = x.report.as_ref().is_some_and(|r| report_ready(c, r));
        return Ok(json!({"State": if ready { "COMPLETE" } else { "INPROGRESS" }}));
    }
    // The CSV is taken now; the report becomes available when the lifecycle clock says the
    // generation is done (at once under `instant`, a moment later under `fast`).
    x.report = Some(CredentialReport {
        generated: c.now.floor(),
        started: c.iam.runtime.clock.lifecycle_now(),
        csv: credential_csv(s, c.account),
    });
    s.put_settings(&c.ctx.journal, x);
    Ok(
        json!({"State": "STARTED", "Description": "No report exists. Starting a new report generation task"}),
    )
}

/// How long generating a credential report takes on the lifecycle clock.
const REPORT_GENERATION: std::time::Duration = std::time::Duration::from_secs(1);

fn report_ready(c: &Call, r: &CredentialReport) -> bool {
    c.iam.runtime.clock.due(r.started, REPORT_GENERATION)
}

pub(crate) fn get_report(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let x = settings(s, c.account);
    let r = x.report.ok_or_else(|| {
        // AWS answers it without a message (LocalStack's recording against AWS,
        // test_iam_credential_report `get-credential-report-without-generate-error`).
        ServiceError::new("ReportNotPresent", "")
    })?;
    if !report_ready(c, &r) {
        return Err(ServiceError::new(
            "ReportInProgress",
            "Report generation in progress. Try again later.",
        ));
    }
    if c.now - r.generated >= REPORT_TTL {
        return Err(ServiceError::new(
            "ReportExpired",
            "The most recent credential report has expired. Use GenerateCredentialReport to generate a new report.",
        ));
    }
    Ok(json!({
        "Content": STANDARD.encode(r.csv.as_bytes()),
        "ReportFormat": "text/csv",
        "GeneratedTime": r.generated,
    }))
}
