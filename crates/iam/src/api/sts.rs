//! The STS API (signing name `sts`): GetCallerIdentity, AssumeRole, GetSessionToken,
//! GetFederationToken, GetAccessKeyInfo, DecodeAuthorizationMessage, GetWebIdentityToken.

use crate::api::errors::malformed;
use crate::api::input;
use crate::context_keys;
use crate::doc::{Doc, DocKind};
use crate::ids;
use crate::resolve;
use crate::store::{KeyOwner, Role, Session, State};
use crate::Iam;
use serde_json::{json, Value};
use service::{
    ContextValue, Locate, Principal, PrincipalKind, RequestContext, Service, ServiceError,
    SessionInfo,
};
use std::collections::HashSet;
use std::sync::Arc;

/// The STS API over the shared store.
pub struct StsService(pub Arc<Iam>);

fn access_denied(message: String) -> ServiceError {
    ServiceError::new("AccessDenied", message).with_status(403)
}

pub(crate) fn validation(message: impl Into<String>) -> ServiceError {
    ServiceError::new("ValidationError", message).with_status(400)
}

/// Whether `arn` reads as an ARN: `arn:` and six colon-separated parts with a partition, a
/// service and a resource (region and account may be empty). AWS refuses AssumeRole's
/// `nothing-valid-in-here`, `arn::b:::something/test-role`, `arn:a::::something/test-role`,
/// `arn:a:::something/test-role` and `arn:a:a::aaaaaaaaaa:` as invalid and goes on with
/// `arn:a:b:::something/test-role` (test_sts.snapshot.json test_sts_invalid_parameters).
fn arn_syntax_ok(arn: &str) -> bool {
    matches!(service::arn_parts(arn), Some(["arn", partition, service, _, _, resource])
        if !partition.is_empty() && !service.is_empty() && !resource.is_empty())
}

/// The condition keys and extra actions of an AssumeRole request the engine cannot read
/// from the reference alone: `sts:ExternalId`, `sts:RoleSessionName`, `sts:SourceIdentity`,
/// `sts:TransitiveTagKeys`, the MFA the request proves, and `sts:TagSession` /
/// `sts:SetSourceIdentity` when it passes session tags or a source identity. The authorize
/// stage decides them all, with the role's trust policy as the resource policy, by AWS's rules
/// (explicit deny anywhere wins; within the account a trust policy naming the user or session
/// grants alone, one naming the role or the account needs the identity side; across accounts
/// both sides must allow).
fn locate_assume_role(
    state: &State,
    ctx: &RequestContext,
    q: &mut Locate<'_>,
    now: f64,
) -> Result<(), ServiceError> {
    let input = q.input;
    // Checked before any decision: ValidationError "<RoleArn> is invalid" (LocalStack's
    // snapshot test recorded against AWS: test_sts.snapshot.json test_sts_invalid_parameters).
    // A missing RoleArn is the model's required-member error, raised before this.
    if let Some(role_arn) = input::opt(input, "RoleArn").filter(|a| !arn_syntax_ok(a)) {
        return Err(
            ServiceError::new("ValidationError", format!("{role_arn} is invalid")).with_status(400),
        );
    }
    let caller = &ctx.principal;
    if caller.is_root() {
        return Err(access_denied(
            "Roles may not be assumed by root accounts.".into(),
        ));
    }
    if caller.kind == PrincipalKind::FederatedUser {
        // GetFederationToken's credentials "cannot call any STS operations except
        // GetCallerIdentity" (the STS API Reference); the IAM User Guide: "you can't use the
        // temporary credentials to assume a role, which means that role chaining is not
        // possible". Refused whatever the policies say, in AssumeRole's denial wording.
        return Err(access_denied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.arn,
            input::opt(input, "RoleArn").unwrap_or_default()
        )));
    }
    let s = |v: &str| ContextValue::String(v.to_string());
    for (member, key) in [
        ("ExternalId", "sts:ExternalId"),
        ("RoleSessionName", "sts:RoleSessionName"),
    ] {
        if let Some(v) = input::opt(input, member) {
            q.context(key, s(v));
        }
    }
    let source_identity = chained_source_identity(caller, input);
    if let Some(v) = source_identity {
        q.context("sts:SourceIdentity", s(v));
    }
    if input.get("TransitiveTagKeys").is_some() {
        let keys = input::strings(input, "TransitiveTagKeys");
        q.context("sts:TransitiveTagKeys", ContextValue::Strings(keys));
    }
    let mfa = super::mfa_check::check(
        state,
        caller,
        input::opt(input, "SerialNumber"),
        input::opt(input, "TokenCode"),
        now,
    )?;
    if mfa.is_some() {
        q.context("aws:MultiFactorAuthPresent", ContextValue::Bool(true));
        q.context("aws:MultiFactorAuthAge", ContextValue::Number(0.0));
    }
    if !input::tags(input, "Tags").is_empty() {
        q.also("sts:TagSession");
    }
    if source_identity.is_some() {
        q.also("sts:SetSourceIdentity");
    }
    Ok(())
}

/// The source identity a role session assumed by `caller` gets: the caller's own session's,
/// which "persists across chained role sessions" and "cannot be changed" (the STS API
/// Reference and the IAM User Guide), else the one the request sets. Either way the request
/// carries it as `sts:SourceIdentity` and needs `sts:SetSourceIdentity` ("When you assume a
/// role with another role ... permissions for sts:SetSourceIdentity are required in both the
/// permissions policy of the principal who is assuming the role and in the role trust policy
/// of the target role. Otherwise, the assume role operation will fail.").
fn chained_source_identity<'a>(caller: &'a Principal, input: &'a Value) -> Option<&'a str> {
    caller
        .session
        .as_ref()
        .and_then(|s| s.source_identity.as_deref())
        .or_else(|| input::opt(input, "SourceIdentity"))
}

/// A federation call's verified token: evaluated as the identity it names, with its claims.
fn locate_federated(state: &State, q: &mut Locate<'_>, now: f64) -> Result<(), ServiceError> {
    let Some(v) = super::sts_federation::vouched(state, q.operation, q.input, now)? else {
        return Ok(());
    };
    let account = input::opt(q.input, "RoleArn")
        .and_then(context_keys::arn_account)
        .unwrap_or_default()
        .to_string();
    for (k, value) in v.claims {
        q.context(k, value);
    }
    q.context(
        "aws:FederatedProvider",
        ContextValue::String(v.provider.clone()),
    );
    if !v.tags.is_empty() {
        let s = |x: &String| ContextValue::String(x.clone());
        for (k, value) in &v.tags {
            q.context(format!("aws:RequestTag/{k}"), s(value));
        }
        let keys = v.tags.iter().map(|(k, _)| k.clone()).collect();
        q.context("aws:TagKeys", ContextValue::Strings(keys));
        q.also("sts:TagSession");
    }
    q.evaluate_as(super::sts_federation::federated_principal(
        &account,
        &v.provider,
        v.kind,
    ));
    Ok(())
}

/// The role an ARN names, if it exists (its account, path and name all as stored).
fn find_role<'s>(state: &'s State, role_arn: &str) -> Option<&'s Role> {
    let account = context_keys::arn_account(role_arn)?;
    let name = role_arn.rsplit('/').next()?.to_lowercase();
    state
        .account(account)?
        .roles
        .get(&name)
        .filter(|r| r.arn() == role_arn)
}

impl Service for StsService {
    fn signing_name(&self) -> &'static str {
        "sts"
    }

    /// Sessions live in the IAM store, so STS journals and restores under its name.
    fn store_name(&self) -> &'static str {
        "iam"
    }

    fn restore(&self, record: &service::Record) -> Result<(), String> {
        self.0.restore(record)
    }

    fn records(&self) -> Vec<service::Record> {
        self.0.records()
    }

    fn reset(&self) {
        self.0.reset()
    }

    fn validate_import(&self, account: &str, records: &[service::Record]) -> Result<(), String> {
        self.0.validate_import(account, records)
    }

    fn reset_account(&self, account: &str) -> Result<(), String> {
        self.0.reset_account(account);
        Ok(())
    }

    fn authz_spec(&self) -> service::AuthzSpec {
        service::AuthzSpec {
            principal: "sts.amazonaws.com",
            arn_members: &[("RoleArn", "role")],
            id_members: &[("Name", "federated-user", "FederatedUserName")],
            tag_members: &["Tags"],
            ..service::AuthzSpec::default()
        }
    }

    /// A role's tags and its trust policy (the resource policy of `sts:AssumeRole*`).
    fn stored(&self, _ctx: &RequestContext, arn: &str) -> Option<service::StoredFacts> {
        let state = self.0.state.read();
        let account = arn.split(':').nth(4)?;
        let name = arn.rsplit('/').next()?.to_lowercase();
        let role = state
            .account(account)?
            .roles
            .get(&name)
            .filter(|r| r.arn() == arn)?;
        Some(service::StoredFacts {
            tags: role.tags.clone(),
            policy: Some(role.trust.resource_policy()),
        })
    }

    /// What AssumeRole* requests carry beyond the reference: their condition keys, and for
    /// the unsigned federation calls the identity their verified token names.
    fn locate(&self, ctx: &RequestContext, q: &mut Locate<'_>) -> Result<(), ServiceError> {
        let state = self.0.state.read();
        let now = self.0.runtime.clock.now();
        match q.operation {
            "AssumeRole" => locate_assume_role(&state, ctx, q, now),
            "AssumeRoleWithWebIdentity" | "AssumeRoleWithSAML" => locate_federated(&state, q, now),
            "GetWebIdentityToken" => {
                super::sts_web_identity::locate(q);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn handle(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: Value,
    ) -> Result<Value, ServiceError> {
        kit::Operations::dispatch(self, ctx, operation, &input)
    }
}

kit::operations! { StsService, "sts";
    AssumeRole => |s, ctx, i| assume_role(&s.0, ctx, i),
    AssumeRoleWithSAML => |s, ctx, i| super::sts_federation::saml(&s.0, ctx, i),
    AssumeRoleWithWebIdentity => |s, ctx, i| super::sts_federation::web_identity(&s.0, ctx, i),
    AssumeRoot,
    DecodeAuthorizationMessage => |s, _, i| decode_authorization_message(&s.0, i),
    GetAccessKeyInfo => |s, _, i| access_key_info(&s.0, i),
    GetCallerIdentity => |_, ctx, _| {
        let p = &ctx.principal;
        Ok(json!({"UserId": p.user_id, "Account": p.account, "Arn": p.arn}))
    },
    GetDelegatedAccessToken,
    GetFederationToken => |s, ctx, i| federation_token(&s.0, ctx, i),
    GetSessionToken => |s, ctx, i| session_token(&s.0, ctx, i),
    GetWebIdentityToken => |s, ctx, i| super::sts_web_identity::get_web_identity_token(&s.0, ctx, i),
}

#[test]
fn list_matches_model() {
    kit::check_against_model::<StsService>().unwrap();
}

fn access_key_info(iam: &Iam, input: &Value) -> Result<Value, ServiceError> {
    let id = input::req(input, "AccessKeyId")?;
    let state = iam.state.read();
    let account = match (state.keys.get(id), state.sessions.get(id)) {
        (Some(KeyOwner::Root(a)), _) | (Some(KeyOwner::User(a, _)), _) => a.clone(),
        (_, Some(s)) => s.principal.account.clone(),
        // Any other key of AWS's form names its account itself, as AWS answers for keys of
        // any account, deleted ones included.
        _ => crate::ids::account_of_key(id).ok_or_else(|| {
            ServiceError::new("InvalidParameterValue", format!("Unknown access key {id}"))
        })?,
    };
    Ok(json!({"Account": account}))
}

fn decode_authorization_message(iam: &Iam, input: &Value) -> Result<Value, ServiceError> {
    let encoded = input::req(input, "EncodedMessage")?;
    let decoded =
        crate::auth_message::decode(&iam.runtime.token_key, encoded).ok_or_else(|| {
            ServiceError::new(
                "InvalidAuthorizationMessageException",
                "Message is not valid",
            )
        })?;
    Ok(json!({"DecodedMessage": decoded}))
}

pub(crate) fn duration(
    input: &Value,
    default: f64,
    min: f64,
    max: f64,
) -> Result<f64, ServiceError> {
    let d = input::num(input, "DurationSeconds").unwrap_or(default);
    if d < min {
        return Err(validation(format!("1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {min}")));
    }
    if d > max {
        return Err(validation(
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ));
    }
    Ok(d)
}

/// STS's refusal of a request's tags: `InvalidParameterValue`, 400.
pub(crate) fn invalid_parameter(message: &str) -> ServiceError {
    ServiceError::new("InvalidParameterValue", message).with_status(400)
}

/// The session tags a request passes (`Tags` of AssumeRole and GetFederationToken), refused
/// as STS refuses them: a key or value with the reserved prefix `aws:` (the wording is
/// mediamock's, see [`input::reserved_tag_problem`]), and two keys that differ only by case
/// ("you cannot have separate Department and department tag keys", the STS API Reference;
/// AWS's message, recorded by LocalStack's AssumeRole snapshot test against AWS).
pub(crate) fn session_tags(input: &Value) -> Result<Vec<(String, String)>, ServiceError> {
    let tags = input::tags(input, "Tags");
    if let Some(problem) = input::reserved_tag_problem(&tags) {
        return Err(invalid_parameter(problem));
    }
    if input::duplicate_tag_keys(&tags) {
        return Err(invalid_parameter(input::DUPLICATE_TAG_KEYS));
    }
    Ok(tags)
}

/// AssumeRole's `TransitiveTagKeys` must each be a key of its `Tags` (in any case): AWS's code
/// and message as LocalStack's AssumeRole snapshot test recorded them against AWS.
fn transitive_keys_requested(
    transitive: &[String],
    requested: &[(String, String)],
) -> Result<(), ServiceError> {
    let missing = transitive
        .iter()
        .any(|t| !requested.iter().any(|(k, _)| k.eq_ignore_ascii_case(t)));
    if missing {
        return Err(invalid_parameter(
            "The specified transitive tag key must be included in the requested tags.",
        ));
    }
    Ok(())
}

/// The session tags a chained AssumeRole inherits from its caller's session: those whose keys
/// the caller's session made transitive. A requested tag may not set one of their keys again,
/// in any case (the STS API Reference, AssumeRole `Tags`: "If you pass a session tag with the
/// same key as an inherited tag, the operation fails."); AWS's code and message, recorded by
/// LocalStack's AssumeRole snapshot test against AWS for the same key and for the key in
/// another case.
fn inherited_tags(
    caller: &Principal,
    requested: &[(String, String)],
) -> Result<Vec<(String, String)>, ServiceError> {
    let Some(prev) = &caller.session else {
        return Ok(Vec::new());
    };
    // Keys compare in ASCII lowercase, through sets rather than a scan per tag.
    let lower = |k: &String| k.to_ascii_lowercase();
    let transitive: HashSet<String> = prev.transitive_tag_keys.iter().map(lower).collect();
    let inherited: Vec<(String, String)> = prev
        .tags
        .iter()
        .filter(|(k, _)| transitive.contains(&lower(k)))
        .cloned()
        .collect();
    let inherited_keys: HashSet<String> = inherited.iter().map(|(k, _)| lower(k)).collect();
    let conflict = requested
        .iter()
        .any(|(k, _)| inherited_keys.contains(&lower(k)));
    if conflict {
        return Err(invalid_parameter(
            "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
        ));
    }
    Ok(inherited)
}

pub(crate) fn valid_session_name(n: &str) -> bool {
    (2..=64).contains(&n.len())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// A request's session policies, its policy ARNs, and its `PackedPolicySize` when it passes
/// any policy or tag (AWS's answer has none otherwise: the AWS CLI's assume-role example).
pub(crate) type SessionDocs = (Vec<Doc>, Vec<String>, Option<usize>);

/// The [`SessionDocs`] of a request.
pub(crate) fn session_docs(
    input: &Value,
    state: &State,
    account: &str,
) -> Result<SessionDocs, ServiceError> {
    let mut docs = Vec::new();
    let mut packed = 0usize;
    if let Some(p) = input::opt(input, "Policy") {
        packed += p.len();
        docs.push(Doc::parse(p, DocKind::Session).map_err(malformed)?);
    }
    let arns: Vec<String> = input
        .get("PolicyArns")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| input::opt(v, "arn").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for a in &arns {
        packed += a.len();
        // "The policies must exist in the same account as the role" (or the user).
        if resolve::managed_doc(state, account, a).is_none() {
            return Err(malformed(format!(
                "Policy {a} does not exist or is not attachable."
            )));
        }
    }
    let tags = input::tags(input, "Tags");
    packed += tags.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>();
    // A rough packed size: AWS compresses to at most 2048 bytes of policy + tags.
    let percent = packed * 100 / 2048;
    if percent > 100 {
        return Err(ServiceError::new("PackedPolicyTooLarge", format!("Packed size of the session policies and session tags combined exceeded the allowed limit ({percent}% of the maximum).")));
    }
    let passed = !docs.is_empty() || !arns.is_empty() || !tags.is_empty();
    Ok((docs, arns, passed.then_some(percent)))
}

/// `out` with its `PackedPolicySize`, if the request passed a policy or a tag.
pub(crate) fn with_packed_size(mut out: Value, packed: Option<usize>) -> Value {
    if let (Some(m), Some(p)) = (out.as_object_mut(), packed) {
        m.insert("PackedPolicySize".into(), json!(p));
    }
    out
}

pub(crate) fn credentials(
    iam: &Iam,
    principal_template: Principal,
    docs: Vec<Doc>,
    expires: f64,
    ctx: &RequestContext,
    state: &mut State,
) -> (Session, Value) {
    let ids = &iam.runtime.ids;
    let key = ids::access_key_id(ids, ids::SESSION_KEY, &principal_template.account);
    let mut principal = principal_template;
    principal.access_key_id = key.clone();
    let s = Session {
        access_key_id: key,
        secret: ids::secret_key(ids),
        token: ids::session_token(ids),
        principal,
        expires_at: expires.floor(),
        policies: docs,
        federated_provider: None,
    };
    let creds = json!({"AccessKeyId": s.access_key_id, "SecretAccessKey": s.secret, "SessionToken": s.token, "Expiration": s.expires_at});
    state.put_session(&ctx.journal, s.clone());
    (s, creds)
}

fn assume_role(iam: &Iam, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
    let role_arn = input::req(input, "RoleArn")?;
    let session_name = input::req(input, "RoleSessionName")?;
    if !valid_session_name(session_name) {
        return Err(validation(format!("1 validation error detected: Value '{session_name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")));
    }
    let caller = &ctx.principal;
    let source_identity = chained_source_identity(caller, input);
    let req_tags = session_tags(input)?;
    // Transitive tags of a chained session carry over, and may not be set again.
    let mut tags = inherited_tags(caller, &req_tags)?;
    let transitive = input::strings(input, "TransitiveTagKeys");
    transitive_keys_requested(&transitive, &req_tags)?;
    let now = iam.runtime.clock.now();
    let mut state = iam.state.write();
    // The authorize stage has decided on the trust policy (see `locate_assume_role`); a role that
    // does not exist is refused as AWS does, with the same words as a denial.
    let role = find_role(&state, role_arn).cloned().ok_or_else(|| {
        access_denied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
            caller.arn
        ))
    })?;
    let role_account = role.account.clone();
    let mfa_now = super::mfa_check::verify(
        &mut state,
        &ctx.journal,
        caller,
        input::opt(input, "SerialNumber"),
        input::opt(input, "TokenCode"),
        now,
    )?;
    // A caller whose own session was MFA-authenticated passes that on to the role session.
    let mfa_present = mfa_now || caller.session.as_ref().is_some_and(|s| s.mfa_present);
    // Role chaining: temporary credentials (a role's session, or GetSessionToken's) assuming
    // a role get an hour at most ("The temporary credentials use the AWS STS
    // GetSessionToken API and are limited to one hour", the Knowledge Center's role
    // chaining page, which quotes the refusal).
    let chained = caller.kind == PrincipalKind::AssumedRole || caller.session.is_some();
    let max = if chained {
        3600.0
    } else {
        role.max_session_duration as f64
    };
    if chained && input::num(input, "DurationSeconds").is_some_and(|d| d > max) {
        return Err(validation(
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ));
    }
    let d = duration(input, 3600.0f64.min(max), 900.0, max)?;
    let (docs, policy_arns, packed) = session_docs(input, &state, &role_account)?;
    let mut transitive = transitive;
    transitive.extend(tags.iter().map(|(k, _)| k.clone()));
    // No requested key is an inherited one's (checked above) nor another's.
    tags.extend(req_tags);
    let assumed_id = format!("{}:{session_name}", role.id);
    let arn = format!(
        "arn:aws:sts::{role_account}:assumed-role/{}/{session_name}",
        role.name
    );
    let principal = Principal {
        account: role_account.clone(),
        arn: arn.clone(),
        kind: PrincipalKind::AssumedRole,
        user_id: assumed_id.clone(),
        username: None,
        access_key_id: String::new(),
        session: Some(SessionInfo {
            source_arn: role.arn(),
            session_name: session_name.to_string(),
            issued_at: now.floor(),
            expires_at: (now + d).floor(),
            mfa_present,
            policies: docs.iter().map(|d| d.text.to_string()).collect(),
            policy_arns,
            tags,
            transitive_tag_keys: transitive,
            source_identity: source_identity.map(str::to_string),
            console: false,
        }),
    };
    let (_, creds) = credentials(iam, principal, docs, now + d, ctx, &mut state);
    let mut role_used = role.clone();
    role_used.last_used = Some((now.floor(), ctx.region.clone()));
    state.put_role(&ctx.journal, role_used);
    let mut out = with_packed_size(
        json!({"Credentials": creds, "AssumedRoleUser": {"AssumedRoleId": assumed_id, "Arn": arn}}),
        packed,
    );
    if let Some(si) = source_identity {
        out["SourceIdentity"] = json!(si);
    }
    Ok(out)
}

/// GetSessionToken's and GetFederationToken's duration: 900 seconds to 36 hours, 12 hours by
/// default. The account root's sessions are "restricted to a maximum of 3,600 seconds (one
/// hour). If the duration is longer than one hour, the session for Amazon Web Services account
/// owners defaults to one hour" (the STS API Reference, both operations): cut, not refused.
fn user_session_duration(caller: &Principal, input: &Value) -> Result<f64, ServiceError> {
    let d = duration(input, 43200.0, 900.0, 129600.0)?;
    Ok(if caller.is_root() { d.min(3600.0) } else { d })
}

fn session_token(iam: &Iam, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
    let caller = &ctx.principal;
    if caller.session.is_some() {
        return Err(access_denied(
            "Cannot call GetSessionToken with session credentials".into(),
        ));
    }
    let d = user_session_duration(caller, input)?;
    let now = iam.runtime.clock.now();
    let mut state = iam.state.write();
    let mfa_present = super::mfa_check::verify(
        &mut state,
        &ctx.journal,
        caller,
        input::opt(input, "SerialNumber"),
        input::opt(input, "TokenCode"),
        now,
    )?;
    let mut principal = (**caller).clone();
    principal.session = Some(SessionInfo {
        source_arn: caller.arn.clone(),
        session_name: String::new(),
        issued_at: now.floor(),
        expires_at: (now + d).floor(),
        mfa_present,
        ..SessionInfo::default()
    });
    let (_, creds) = credentials(iam, principal, vec![], now + d, ctx, &mut state);
    Ok(json!({"Credentials": creds}))
}

fn federation_token(iam: &Iam, ctx: &RequestContext, input: &Value) -> Result<Value, ServiceError> {
    let caller = &ctx.principal;
    if caller.session.is_some() {
        return Err(access_denied(
            "Cannot call GetFederationToken with session credentials".into(),
        ));
    }
    let name = input::req(input, "Name")?;
    if !valid_session_name(name) || name.len() > 32 {
        return Err(validation(format!("1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")));
    }
    let tags = session_tags(input)?;
    let d = user_session_duration(caller, input)?;
    let now = iam.runtime.clock.now();
    let mut state = iam.state.write();
    let (docs, policy_arns, packed) = session_docs(input, &state, &caller.account)?;
    let arn = format!("arn:aws:sts::{}:federated-user/{name}", caller.account);
    let user_id = format!("{}:{name}", caller.account);
    let principal = Principal {
        account: caller.account.clone(),
        arn: arn.clone(),
        kind: PrincipalKind::FederatedUser,
        user_id: user_id.clone(),
        username: None,
        access_key_id: String::new(),
        session: Some(SessionInfo {
            source_arn: caller.arn.clone(),
            session_name: name.to_string(),
            issued_at: now.floor(),
            expires_at: (now + d).floor(),
            policies: docs.iter().map(|d| d.text.to_string()).collect(),
            policy_arns,
            tags,
            ..SessionInfo::default()
        }),
    };
    let (_, creds) = credentials(iam, principal, docs, now + d, ctx, &mut state);
    // GetFederationToken answers PackedPolicySize 0 when nothing was passed, unlike AssumeRole
    // (LocalStack's snapshot test recorded against AWS: test_sts.snapshot.json
    // test_get_federation_token).
    Ok(with_packed_size(
        json!({"Credentials": creds, "FederatedUser": {"FederatedUserId": user_id, "Arn": arn}}),
        Some(packed.unwrap_or(0)),
    ))
}
