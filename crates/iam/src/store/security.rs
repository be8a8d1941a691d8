//! Stored sign-in credentials and account settings: virtual MFA devices, login profiles
//! (password hashes only), the password policy, account aliases and the credential report.

use super::Tags;
use serde::{Deserialize, Serialize};

/// A virtual MFA device, assigned to a user once enabled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfaDevice {
    /// Owning account.
    pub account: String,
    /// The device name as created.
    pub name: String,
    /// The path (`/`).
    pub path: String,
    /// The TOTP secret, Base32 (RFC 4648) without padding.
    pub seed: String,
    /// Creation time, seconds since the epoch.
    pub created: f64,
    /// Tags.
    pub tags: Tags,
    /// The unique ID (`AIDA…`) of the user the device is enabled for.
    pub user_id: Option<String>,
    /// When it was enabled.
    pub enabled: Option<f64>,
    /// The last TOTP time step accepted, so a code cannot be used twice.
    pub last_step: Option<i64>,
}

impl MfaDevice {
    /// The serial number: `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`.
    pub fn serial(&self) -> String {
        format!(
            "arn:aws:iam::{}:mfa{}{}",
            self.account, self.path, self.name
        )
    }
}

/// A user's console password: a salted argon2 hash, never the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginProfile {
    /// Owning account.
    pub account: String,
    /// The unique ID (`AIDA…`) of the user (survives renames).
    pub user_id: String,
    /// The password hash in PHC string form.
    pub hash: String,
    /// Creation time of the profile.
    pub created: f64,
    /// When the password was last set.
    pub changed: f64,
    /// Whether the user must choose a new password at next sign-in.
    pub reset_required: bool,
    /// Last sign-in use of the password.
    pub last_used: Option<f64>,
    /// Hashes of earlier passwords, newest first (`PasswordReusePrevention`).
    #[serde(default)]
    pub history: Vec<String>,
}

/// The account password policy (UpdateAccountPasswordPolicy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    /// Minimum length (6–128, default 6).
    pub minimum_length: u32,
    /// At least one of `! @ # $ % ^ & * ( ) _ + - = [ ] { } | '`.
    pub require_symbols: bool,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one uppercase letter.
    pub require_uppercase: bool,
    /// At least one lowercase letter.
    pub require_lowercase: bool,
    /// Whether users may change their own password.
    pub allow_users_to_change: bool,
    /// Days a password is valid (0 = forever).
    pub max_age: u32,
    /// How many previous passwords cannot be reused (0 = none).
    pub reuse_prevention: u32,
    /// Whether an expired password locks the console.
    pub hard_expiry: bool,
}

/// A generated credential report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialReport {
    /// When it was generated.
    pub generated: f64,
    /// Lifecycle-clock time generation started; the report is ready a moment later.
    #[serde(default)]
    pub started: f64,
    /// The CSV text.
    pub csv: String,
}

/// Account-wide settings: password policy, aliases, credential report, outbound federation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AccountSettings {
    /// Owning account.
    pub account: String,
    /// The password policy, if one is set.
    pub password_policy: Option<PasswordPolicy>,
    /// Account aliases (AWS allows one).
    pub aliases: Vec<String>,
    /// The latest credential report.
    pub report: Option<CredentialReport>,
    /// The global endpoint's session token version (`v1Token`, `v2Token`), once set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_version: Option<String>,
    /// Outbound identity federation (GetWebIdentityToken's issuer and keys), once enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound: Option<crate::outbound::OutboundFederation>,
}

use super::{from_value, to_value, AccountState, State};
use service::{Journal, Record};

/// Journal table names of this module.
pub mod table {
    /// Virtual MFA devices.
    pub const MFA: &str = "mfa_device";
    /// Login profiles (password hashes).
    pub const LOGIN_PROFILE: &str = "login_profile";
    /// Account settings.
    pub const SETTINGS: &str = "account_settings";
}

fn mfa_key(account: &str, name: &str) -> String {
    format!("{account}:{}:{}", table::MFA, name.to_lowercase())
}

fn profile_key(account: &str, user_id: &str) -> String {
    format!("{account}:{}:{user_id}", table::LOGIN_PROFILE)
}

fn settings_key(account: &str) -> String {
    format!("{account}:{}", table::SETTINGS)
}

impl State {
    /// Journals and stores a virtual MFA device.
    pub fn put_mfa(&mut self, j: &Journal, d: MfaDevice) {
        j.put(
            &d.account,
            table::MFA,
            &mfa_key(&d.account, &d.name),
            to_value(&d),
        );
        let account = d.account.clone();
        self.ensure_account(&account)
            .mfa_devices
            .insert(d.name.to_lowercase(), d);
    }

    /// Journals and removes a virtual MFA device.
    pub fn delete_mfa(&mut self, j: &Journal, account: &str, name: &str) {
        j.delete(account, table::MFA, &mfa_key(account, name));
        if let Some(a) = self.accounts.get_mut(account) {
            a.mfa_devices.remove(&name.to_lowercase());
        }
    }

    /// Journals and stores a login profile.
    pub fn put_login_profile(&mut self, j: &Journal, p: LoginProfile) {
        j.put(
            &p.account,
            table::LOGIN_PROFILE,
            &profile_key(&p.account, &p.user_id),
            to_value(&p),
        );
        let account = p.account.clone();
        self.ensure_account(&account)
            .login_profiles
            .insert(p.user_id.clone(), p);
    }

    /// Journals and removes a user's login profile.
    pub fn delete_login_profile(&mut self, j: &Journal, account: &str, user_id: &str) {
        j.delete(
            account,
            table::LOGIN_PROFILE,
            &profile_key(account, user_id),
        );
        if let Some(a) = self.accounts.get_mut(account) {
            a.login_profiles.remove(user_id);
        }
    }

    /// Journals and stores an account's settings.
    pub fn put_settings(&mut self, j: &Journal, s: AccountSettings) {
        j.put(
            &s.account,
            table::SETTINGS,
            &settings_key(&s.account),
            to_value(&s),
        );
        let account = s.account.clone();
        self.ensure_account(&account).settings = s;
    }

    /// Re-applies a record of this module's tables; `None` when the table is not ours.
    pub(super) fn apply_security(&mut self, r: &Record) -> Option<Result<(), String>> {
        let table = r.table.as_str();
        if ![table::MFA, table::LOGIN_PROFILE, table::SETTINGS].contains(&table) {
            return None;
        }
        let Some(v) = &r.value else {
            if let Some(a) = self.accounts.get_mut(&r.account) {
                let last = r.key.rsplit(':').next().unwrap_or_default();
                match table {
                    table::MFA => {
                        a.mfa_devices.remove(last);
                    }
                    table::LOGIN_PROFILE => {
                        a.login_profiles.remove(last);
                    }
                    _ => a.settings = AccountSettings::default(),
                }
            }
            return Some(Ok(()));
        };
        let applied = match table {
            table::MFA => from_value::<MfaDevice>(v).map(|d| {
                let account = d.account.clone();
                self.ensure_account(&account)
                    .mfa_devices
                    .insert(d.name.to_lowercase(), d);
            }),
            table::LOGIN_PROFILE => from_value::<LoginProfile>(v).map(|p| {
                let account = p.account.clone();
                self.ensure_account(&account)
                    .login_profiles
                    .insert(p.user_id.clone(), p);
            }),
            _ => from_value::<AccountSettings>(v).map(|s| {
                let account = s.account.clone();
                self.ensure_account(&account).settings = s;
            }),
        };
        Some(applied)
    }

    /// Adds this module's records of one account to `j`.
    pub(super) fn security_records(a: &AccountState, j: &Journal) {
        let id = &a.rec.id;
        if a.settings != AccountSettings::default() {
            j.put(
                id,
                table::SETTINGS,
                &settings_key(id),
                to_value(&a.settings),
            );
        }
        for d in a.mfa_devices.values() {
            j.put(id, table::MFA, &mfa_key(id, &d.name), to_value(d));
        }
        for p in a.login_profiles.values() {
            j.put(
                id,
                table::LOGIN_PROFILE,
                &profile_key(id, &p.user_id),
                to_value(p),
            );
        }
    }
}
