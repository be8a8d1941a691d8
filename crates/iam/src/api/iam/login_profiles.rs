//! Console passwords: Create/Get/Update/DeleteLoginProfile and ChangePassword, checked
//! against the account password policy and stored only as salted hashes.

use super::users::{self, target_name};
use super::Call;
use crate::api::input;
use crate::credentials::password;
use crate::store::{LoginProfile, State, User};
use serde_json::{json, Value};
use service::{PrincipalKind, ServiceError};

/// Previous hashes kept beyond what the policy asks (AWS's maximum is 24).
const HISTORY_MAX: usize = 24;

fn no_profile(user: &str) -> ServiceError {
    ServiceError::new(
        "NoSuchEntity",
        format!("Login Profile for User {user} cannot be found."),
    )
}

/// The user's login profile, if any.
pub(crate) fn of<'a>(s: &'a State, u: &User) -> Option<&'a LoginProfile> {
    s.account(&u.account)?.login_profiles.get(&u.id)
}

fn profile_json(u: &User, p: &LoginProfile) -> Value {
    json!({"LoginProfile": {"UserName": u.name, "CreateDate": p.created, "PasswordResetRequired": p.reset_required}})
}

/// Refuses a password the account policy (or AWS's default rules) does not accept, or one
/// among the last `PasswordReusePrevention` passwords.
pub(crate) fn check_policy(
    s: &State,
    account: &str,
    new: &str,
    previous: &[String],
) -> Result<(), ServiceError> {
    let policy = s
        .account(account)
        .and_then(|a| a.settings.password_policy.as_ref());
    let broken = match policy {
        Some(p) => password::violation(p, new),
        None => password::default_violation(new),
    };
    if let Some(message) = broken {
        return Err(ServiceError::new("PasswordPolicyViolation", message));
    }
    let reuse = policy.map_or(0, |p| p.reuse_prevention as usize);
    if previous
        .iter()
        .take(reuse)
        .any(|h| password::verify(new, h))
    {
        return Err(ServiceError::new(
            "PasswordPolicyViolation",
            "Password has been used before.",
        ));
    }
    Ok(())
}

fn hash(c: &Call, new: &str) -> Result<String, ServiceError> {
    password::hash(new, &c.iam.runtime.ids.bytes(16))
        .map_err(|e| ServiceError::internal(format!("password hash: {e}")))
}

pub(crate) fn create(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let user = users::find(s, c.account, &target_name(c)?)?.clone();
    let pw = input::req(c.input, "Password")?;
    if of(s, &user).is_some() {
        return Err(ServiceError::new(
            "EntityAlreadyExists",
            format!("Login Profile for user {} already exists.", user.name),
        ));
    }
    check_policy(s, c.account, pw, &[])?;
    let p = LoginProfile {
        account: c.account.to_string(),
        user_id: user.id.clone(),
        hash: hash(c, pw)?,
        created: c.now.floor(),
        changed: c.now.floor(),
        reset_required: input::flag(c.input, "PasswordResetRequired").unwrap_or(false),
        last_used: None,
        history: Vec::new(),
    };
    let out = profile_json(&user, &p);
    s.put_login_profile(&c.ctx.journal, p);
    Ok(out)
}

pub(crate) fn get(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let user = users::find(s, c.account, &target_name(c)?)?;
    let p = of(s, user).ok_or_else(|| no_profile(&user.name))?;
    Ok(profile_json(user, p))
}

/// Sets a new password on `p`, keeping the old hash for reuse checks.
fn set_password(c: &Call, s: &State, p: &mut LoginProfile, new: &str) -> Result<(), ServiceError> {
    let mut previous = vec![p.hash.clone()];
    previous.extend(p.history.iter().cloned());
    check_policy(s, c.account, new, &previous)?;
    p.hash = hash(c, new)?;
    p.changed = c.now.floor();
    previous.truncate(HISTORY_MAX);
    p.history = previous;
    Ok(())
}

pub(crate) fn update(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let user = users::find(s, c.account, input::req(c.input, "UserName")?)?.clone();
    let mut p = of(s, &user).ok_or_else(|| no_profile(&user.name))?.clone();
    if let Some(pw) = input::opt(c.input, "Password") {
        set_password(c, s, &mut p, pw)?;
    }
    if let Some(r) = input::flag(c.input, "PasswordResetRequired") {
        p.reset_required = r;
    }
    s.put_login_profile(&c.ctx.journal, p);
    Ok(json!({}))
}

pub(crate) fn delete(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let user = users::find(s, c.account, &target_name(c)?)?.clone();
    of(s, &user).ok_or_else(|| no_profile(&user.name))?;
    s.delete_login_profile(&c.ctx.journal, c.account, &user.id);
    Ok(json!({}))
}

pub(crate) fn change_password(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let p = &c.ctx.principal;
    // The user itself, with its keys or a session of its own (console, GetSessionToken).
    let name = match (&p.kind, &p.username) {
        (PrincipalKind::User, Some(n)) => n.clone(),
        _ => {
            return Err(ServiceError::new(
                "InvalidUserType",
                "Only IAM Users can change their own password.",
            ))
        }
    };
    let old = input::req(c.input, "OldPassword")?;
    let new = input::req(c.input, "NewPassword")?;
    let user = users::find(s, c.account, &name)?.clone();
    let mut profile = of(s, &user).ok_or_else(|| no_profile(&user.name))?.clone();
    if !password::verify(old, &profile.hash) {
        return Err(
            ServiceError::new("AccessDenied", "The old password was incorrect.").with_status(403),
        );
    }
    set_password(c, s, &mut profile, new)?;
    profile.reset_required = false;
    // Changing the password proves the user knows it: AWS counts it as a use.
    profile.last_used = Some(c.now.floor());
    s.put_login_profile(&c.ctx.journal, profile);
    Ok(json!({}))
}
