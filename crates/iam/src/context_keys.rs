//! The global condition keys of a request (`aws:username`, `aws:PrincipalTag/…`, …).

use crate::store::State;
use policy::Context;
use service::{Access, ContextValue, Principal, PrincipalKind, RequestContext};
use std::cell::RefCell;
use std::sync::Arc;

/// The account field of an ARN, if it has one.
pub fn arn_account(arn: &str) -> Option<&str> {
    // Between the fourth and fifth `:` (or the end), by one pass over the bytes: asked for
    // every access and every role check, where `splitn` ran a char searcher per part.
    let mut colons = arn
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b':')
        .map(|(i, _)| i);
    let start = colons.nth(3)? + 1;
    let end = colons.next().unwrap_or(arn.len());
    Some(&arn[start..end]).filter(|a| !a.is_empty())
}

/// ISO 8601 UTC, as `aws:CurrentTime` and `aws:TokenIssueTime` carry it.
pub fn iso8601(epoch: f64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(epoch as i64)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&fmt).unwrap_or_default()
}

/// [`iso8601`] of `epoch`, remembered per thread for the last second asked: every request
/// asks for the current time, and formatting it was a measurable part of authorizing.
fn current_time(epoch: f64) -> String {
    thread_local! {
        static LAST: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
    }
    let second = epoch as i64;
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != second {
            *last = (second, iso8601(epoch));
        }
        last.1.clone()
    })
}

/// The ARN `aws:PrincipalArn` names: the role for role sessions, else the principal's own.
pub fn principal_arn(p: &Principal) -> String {
    match (&p.kind, &p.session) {
        (PrincipalKind::AssumedRole, Some(s)) => s.source_arn.clone(),
        _ => p.arn.clone(),
    }
}

/// Tags of the principal: the user's or role's own, overridden by session tags.
pub(crate) fn principal_tags(state: &State, p: &Principal) -> Vec<(String, String)> {
    let mut tags = Vec::new();
    if let Some(account) = state.account(&p.account) {
        match p.kind {
            PrincipalKind::User => {
                let lname = p.username.as_deref().unwrap_or_default().to_lowercase();
                if let Some(u) = account.users.get(&lname) {
                    tags.extend(u.tags.iter().cloned());
                }
            }
            PrincipalKind::AssumedRole => {
                let role = principal_arn(p);
                let lname = role.rsplit('/').next().unwrap_or_default().to_lowercase();
                if let Some(r) = account.roles.get(&lname) {
                    tags.extend(r.tags.iter().cloned());
                }
            }
            // The IAM User Guide (session tags, GetFederationToken): "the session's principal
            // tags include the user's tags and the passed session tags". The session was
            // issued to the user its `source_arn` names (root's has no tags).
            PrincipalKind::FederatedUser => {
                let user = p
                    .session
                    .as_ref()
                    .map(|s| s.source_arn.as_str())
                    .and_then(|arn| arn.split_once(":user/"))
                    .map(|(_, path_name)| path_name.rsplit('/').next().unwrap_or_default());
                if let Some(u) = user.and_then(|n| account.users.get(&n.to_lowercase())) {
                    tags.extend(u.tags.iter().cloned());
                }
            }
            _ => {}
        }
    }
    if let Some(s) = &p.session {
        for (k, v) in &s.tags {
            tags.retain(|(old, _)| !old.eq_ignore_ascii_case(k));
            tags.push((k.clone(), v.clone()));
        }
    }
    tags
}

/// The request context for `access` by `ctx.principal` at time `now`.
pub fn build(state: &State, ctx: &RequestContext, access: &Access, now: f64) -> Context {
    for_access(&SharedKeys::new(base(state, ctx, now)), ctx, access)
}

/// The keys every access of a request has alike: its [`base`] and, where they are kept
/// between requests, the same with `aws:ResourceAccount` the principal's own account (the
/// account of most resources a caller acts on), so that an access to one of them adds no
/// copy of the account.
#[derive(Debug)]
pub struct SharedKeys {
    base: Arc<Context>,
    /// Over `base`, `aws:ResourceAccount` set to the account of the principal the base is of.
    own_account: Option<Arc<Context>>,
}

impl SharedKeys {
    /// `base` alone (each access sets `aws:ResourceAccount` over it).
    pub fn new(base: Context) -> SharedKeys {
        SharedKeys {
            base: Arc::new(base),
            own_account: None,
        }
    }

    /// `base` (of `ctx`) and the layer over it for resources of `ctx.principal`'s account:
    /// for keys kept and shared by many requests.
    pub fn with_own_account(base: Context, ctx: &RequestContext) -> SharedKeys {
        let base = Arc::new(base);
        let mut own = Context::over_with_capacity(base.clone(), 1);
        own.set_new_static(
            "aws:ResourceAccount",
            ContextValue::String(ctx.principal.account.clone()),
        );
        SharedKeys {
            base,
            own_account: Some(Arc::new(own)),
        }
    }
}

/// The context of `access` over `shared` (the [`SharedKeys`] of the same `ctx`): the keys
/// that depend on the access, the resource's account and the access's own keys.
pub fn for_access(shared: &SharedKeys, ctx: &RequestContext, access: &Access) -> Context {
    for_access_in(shared, ctx, &access.context, arn_account(&access.resource))
}

/// [`for_access`] of an access with keys `own`, with the [`arn_account`] of its resource
/// already read.
pub(crate) fn for_access_in(
    shared: &SharedKeys,
    ctx: &RequestContext,
    own: &[(String, ContextValue)],
    arn_account: Option<&str>,
) -> Context {
    let mut c = over_resource(shared, ctx, arn_account, own.len());
    c.set_all(own);
    c
}

/// [`for_access_in`] with keys the access gives up (moved in, not copied).
pub(crate) fn for_access_owned(
    shared: &SharedKeys,
    ctx: &RequestContext,
    own: Vec<(String, ContextValue)>,
    arn_account: Option<&str>,
) -> Context {
    let mut c = over_resource(shared, ctx, arn_account, own.len());
    c.set_all_owned(own);
    c
}

/// A context over `shared` with the resource's account, room made for `more` keys.
fn over_resource(
    shared: &SharedKeys,
    ctx: &RequestContext,
    arn_account: Option<&str>,
    more: usize,
) -> Context {
    let resource_account = arn_account.unwrap_or(&ctx.principal.account);
    if let Some(own) = &shared.own_account {
        if resource_account == ctx.principal.account {
            // A key an access sets shadows the layer's, as setting it here would replace it.
            return Context::over_with_capacity(own.clone(), more);
        }
    }
    let mut c = Context::over_with_capacity(shared.base.clone(), 1 + more);
    // Set first, and the base never has it.
    c.set_new_static(
        "aws:ResourceAccount",
        ContextValue::String(resource_account.to_string()),
    );
    c
}

/// Every input of [`base`] besides the store and the principal: equal keys, equal contexts.
#[derive(Debug)]
#[cfg_attr(test, derive(PartialEq))]
pub struct BaseKey {
    fixed: FixedInputs,
    region: String,
}

/// The inputs of a [`BaseKey`] that own no memory.
#[derive(Debug, PartialEq)]
struct FixedInputs {
    /// `aws:CurrentTime` and `aws:EpochTime` are whole seconds.
    second: i64,
    /// `aws:MultiFactorAuthAge`, whole seconds, for MFA sessions.
    mfa_age: Option<f64>,
    source_ip: Option<std::net::IpAddr>,
    secure_transport: bool,
}

impl FixedInputs {
    fn of(ctx: &RequestContext, now: f64) -> FixedInputs {
        FixedInputs {
            second: now.floor() as i64,
            mfa_age: ctx
                .principal
                .session
                .as_ref()
                .filter(|s| s.mfa_present)
                .map(|s| mfa_age(s.issued_at, now)),
            source_ip: ctx.source_ip,
            secure_transport: ctx.secure_transport,
        }
    }
}

impl BaseKey {
    /// The inputs of `base(_, ctx, now)`.
    pub fn of(ctx: &RequestContext, now: f64) -> BaseKey {
        BaseKey {
            fixed: FixedInputs::of(ctx, now),
            region: ctx.region.clone(),
        }
    }

    /// Whether this is [`BaseKey::of`]`(ctx, now)`, found without copying the region: a
    /// kept base is looked for on every request.
    pub fn matches(&self, ctx: &RequestContext, now: f64) -> bool {
        self.fixed == FixedInputs::of(ctx, now) && self.region == ctx.region
    }
}

/// Whole seconds since an MFA session was issued (MFA is checked when the session is issued,
/// so its age is the session's).
fn mfa_age(issued_at: f64, now: f64) -> f64 {
    (now - issued_at).max(0.0).floor()
}

/// The keys of a request by `ctx.principal` at time `now` that are the same for each of its
/// accesses (built once per request, shared by the contexts of its accesses).
pub fn base(state: &State, ctx: &RequestContext, now: f64) -> Context {
    let p = &ctx.principal;
    let mut c = Context::new();
    let s = |v: &str| ContextValue::String(v.to_string());
    if p.kind != PrincipalKind::Anonymous {
        c.set_new_static("aws:userid", s(&p.user_id));
        c.set_new_static("aws:PrincipalArn", s(&principal_arn(p)));
        c.set_new_static("aws:PrincipalAccount", s(&p.account));
        c.set_new_static("aws:PrincipalType", s(p.kind.as_str()));
        if let Some(name) = &p.username {
            c.set_new_static("aws:username", s(name));
        }
        // Present in every signed request; true only for a service principal acting on its
        // own, which no request to this server is (a service acting as a role signs as the
        // role's session).
        c.set_new_static("aws:PrincipalIsAWSService", ContextValue::Bool(false));
        for (k, v) in principal_tags(state, p) {
            c.set(&format!("aws:PrincipalTag/{k}"), s(&v));
        }
    } else {
        // AWS's values for unauthenticated requests (the User Guide: `aws:PrincipalAccount`
        // "returns `anonymous`" and is "included ... for all requests").
        c.set_new_static("aws:userid", s("anonymous"));
        c.set_new_static("aws:PrincipalAccount", s("anonymous"));
        c.set_new_static("aws:PrincipalType", s("Anonymous"));
    }
    // "Always included in the request context": false when the principal calls directly, as
    // every caller of this server does (no service forwards a caller's session here).
    c.set_new_static("aws:ViaAWSService", ContextValue::Bool(false));
    // Role sessions from AssumeRoleWithWebIdentity / AssumeRoleWithSAML name their provider.
    if let Some(fp) = state
        .sessions
        .get(&p.access_key_id)
        .and_then(|x| x.federated_provider.as_deref())
    {
        c.set_new_static("aws:FederatedProvider", s(fp));
    }
    if let Some(sess) = &p.session {
        c.set_new_static(
            "aws:MultiFactorAuthPresent",
            ContextValue::Bool(sess.mfa_present),
        );
        if sess.mfa_present {
            let age = mfa_age(sess.issued_at, now);
            c.set_new_static("aws:MultiFactorAuthAge", ContextValue::Number(age));
        }
        c.set_new_static("aws:TokenIssueTime", s(&iso8601(sess.issued_at)));
        if let Some(si) = &sess.source_identity {
            c.set_new_static("aws:SourceIdentity", s(si));
        }
    }
    if let Some(ip) = ctx.source_ip {
        // An IPv4 client of a dual-stack listener (`--host ::`) arrives as `::ffff:a.b.c.d`;
        // AWS sees its IPv4 address, which `IpAddress` conditions on IPv4 ranges must match.
        c.set_new_static("aws:SourceIp", s(&ip.to_canonical().to_string()));
    }
    c.set_new_static(
        "aws:SecureTransport",
        ContextValue::Bool(ctx.secure_transport),
    );
    c.set_new_static("aws:CurrentTime", ContextValue::String(current_time(now)));
    c.set_new_static("aws:EpochTime", ContextValue::Number(now.floor()));
    c.set_new_static("aws:RequestedRegion", s(&ctx.region));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_and_arn_accounts() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000.0), "2023-11-14T22:13:20Z");
        assert_eq!(
            arn_account("arn:aws:iam::123456789012:user/x"),
            Some("123456789012")
        );
        assert_eq!(arn_account("arn:aws:s3:::bucket"), None);
        assert_eq!(arn_account("*"), None);
        for arn in [
            "a:b:c:d:e",
            "a:b:c:d:",
            "a:b:c:d",
            "a:b:c:d:e:f:g",
            "::::é:",
            "é:ü:c:d:ß",
        ] {
            let by_split = arn.split(':').nth(4).filter(|a| !a.is_empty());
            assert_eq!(arn_account(arn), by_split, "{arn}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_account_is_the_fifth_field(arn in "[a:\u{e9}\u{3a3}z0]{0,40}") {
            let by_split = arn.split(':').nth(4).filter(|a| !a.is_empty());
            proptest::prop_assert_eq!(arn_account(&arn), by_split);
        }
    }

    #[test]
    fn signed_and_anonymous_requests_carry_the_always_present_keys() {
        // The User Guide's availability: `aws:PrincipalIsAWSService` in every signed request,
        // `aws:ViaAWSService` in every request, `aws:PrincipalAccount` `anonymous` unsigned.
        let state = State::new();
        let root = Arc::new(Principal::root("000000000000", "test"));
        let signed = base(&state, &RequestContext::new("r", root, "us-west-2"), 0.0);
        assert_eq!(
            signed.get("aws:PrincipalIsAWSService"),
            Some(&ContextValue::Bool(false))
        );
        assert_eq!(
            signed.get("aws:ViaAWSService"),
            Some(&ContextValue::Bool(false))
        );
        let anon = base(
            &state,
            &RequestContext::new("r", Principal::anonymous(), "us-west-2"),
            0.0,
        );
        assert_eq!(anon.get("aws:PrincipalIsAWSService"), None);
        assert_eq!(
            anon.get("aws:ViaAWSService"),
            Some(&ContextValue::Bool(false))
        );
        assert_eq!(
            anon.get("aws:PrincipalAccount"),
            Some(&ContextValue::String("anonymous".into()))
        );
    }

    #[test]
    fn an_ipv4_mapped_source_is_its_ipv4_address() {
        let state = State::new();
        let root = Arc::new(Principal::root("000000000000", "test"));
        let mut ctx = RequestContext::new("r", root, "us-west-2");
        ctx.source_ip = Some("::ffff:203.0.113.7".parse().unwrap());
        assert_eq!(
            base(&state, &ctx, 0.0).get("aws:SourceIp"),
            Some(&ContextValue::String("203.0.113.7".into()))
        );
        ctx.source_ip = Some("2001:db8::1".parse().unwrap());
        assert_eq!(
            base(&state, &ctx, 0.0).get("aws:SourceIp"),
            Some(&ContextValue::String("2001:db8::1".into()))
        );
    }

    #[test]
    fn a_base_key_matches_the_requests_whose_key_it_equals() {
        let user = Arc::new(Principal::root("000000000000", "test"));
        let mut mfa = Principal::root("000000000000", "test");
        mfa.session = Some(service::SessionInfo {
            mfa_present: true,
            issued_at: 100.0,
            ..Default::default()
        });
        let mfa = Arc::new(mfa);
        let mut requests = Vec::new();
        for p in [&user, &mfa] {
            for region in ["us-east-1", "us-west-2", ""] {
                for ip in [None, Some("203.0.113.7".parse().unwrap())] {
                    for secure in [false, true] {
                        for now in [150.0, 150.9, 151.0] {
                            let mut ctx = RequestContext::new("r", p.clone(), region);
                            ctx.source_ip = ip;
                            ctx.secure_transport = secure;
                            requests.push((ctx, now));
                        }
                    }
                }
            }
        }
        let mut matched = 0;
        for (a, a_now) in &requests {
            let key = BaseKey::of(a, *a_now);
            for (b, b_now) in &requests {
                let same = key == BaseKey::of(b, *b_now);
                assert_eq!(key.matches(b, *b_now), same);
                matched += usize::from(same);
            }
        }
        // Each request matches itself and the one a fraction of a second apart.
        assert_eq!(matched, requests.len() / 3 * 5);
    }

    #[test]
    fn the_own_account_layer_gives_each_access_the_context_it_had_without_it() {
        let state = State::new();
        let user = Arc::new(Principal::root("111122223333", "test"));
        let ctx = RequestContext::new("r", user, "us-east-1");
        let kept = SharedKeys::with_own_account(base(&state, &ctx, 5.0), &ctx);
        let alone = SharedKeys::new(base(&state, &ctx, 5.0));
        let s = |v: &str| ContextValue::String(v.into());
        let own_keys = [
            vec![],
            vec![(
                "mediaconvert:S3InputsAllowed".to_string(),
                ContextValue::Bool(true),
            )],
            vec![("AWS:resourceaccount".to_string(), s("999999999999"))],
            vec![
                ("aws:RequestTag/team".to_string(), s("a")),
                ("aws:ResourceAccount".to_string(), s("444455556666")),
                ("aws:RequestTag/TEAM".to_string(), s("b")),
            ],
        ];
        let resources = [
            "arn:aws:mediaconvert:us-east-1:111122223333:queues/Default",
            "arn:aws:mediaconvert:us-east-1:444455556666:queues/Default",
            "arn:aws:s3:::bucket/key",
            "*",
        ];
        let shown = |c: &Context| {
            c.iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Vec<_>>()
        };
        for keys in &own_keys {
            for resource in resources {
                let account = arn_account(resource);
                let with = for_access_in(&kept, &ctx, keys, account);
                let without = for_access_in(&alone, &ctx, keys, account);
                assert_eq!(shown(&with), shown(&without), "{resource} {keys:?}");
                assert_eq!(with, without);
                for name in ["aws:ResourceAccount", "aws:requesttag/team", "aws:userid"] {
                    assert_eq!(with.get(name), without.get(name), "{name}");
                }
                let owned = for_access_owned(&kept, &ctx, keys.clone(), account);
                assert_eq!(shown(&owned), shown(&without));
            }
        }
    }

    #[test]
    fn the_remembered_current_time_follows_the_clock() {
        for t in [
            0.0,
            0.5,
            1.0,
            1_700_000_000.0,
            1_700_000_000.9,
            1_700_000_001.0,
            0.0,
        ] {
            assert_eq!(current_time(t), iso8601(t), "{t}");
        }
    }
}
