//! What requests derive from one version of the identity store — an access key's lookup, the
//! policies that govern a principal, a principal's request-independent context keys, a
//! service role's session — kept per thread until the store changes. Every request built
//! these anew: about 6 % of an IVS GetChannel's instructions, more for a MediaConvert job,
//! whose service role is checked too.

use crate::context_keys::{BaseKey, SharedKeys};
use crate::resolve::Resolved;
use crate::KeyLookup;
use service::{Principal, RequestContext};
use std::cell::RefCell;
use std::sync::Arc;

/// How many of each kind a thread keeps (the oldest goes first).
const KEPT: usize = 8;

/// A principal's policies and its latest base context keys.
struct Governed {
    principal: Arc<Principal>,
    resolved: Arc<Resolved>,
    base: Option<(BaseKey, Arc<SharedKeys>)>,
}

/// One thread's derivations from store version `version`.
#[derive(Default)]
struct Derived {
    version: u64,
    keys: Vec<(String, KeyLookup)>,
    governed: Vec<Governed>,
    /// Service role ARN → the role as services acting for it see it.
    roles: Vec<(String, ServiceRole)>,
}

impl Derived {
    /// This thread's derivations, emptied first if they are of another version.
    fn with<T>(version: u64, f: impl FnOnce(&mut Derived) -> T) -> T {
        thread_local! {
            static DERIVED: RefCell<Derived> = RefCell::default();
        }
        DERIVED.with(|d| {
            let mut d = d.borrow_mut();
            if d.version != version {
                *d = Derived {
                    version,
                    ..Derived::default()
                };
            }
            f(&mut d)
        })
    }
}

impl Derived {
    /// The kept entry of `principal` (by identity), if any.
    fn governed_mut(&mut self, principal: &Arc<Principal>) -> Option<&mut Governed> {
        self.governed
            .iter_mut()
            .find(|g| Arc::ptr_eq(&g.principal, principal))
    }

    /// Whether `principal` is one a kept key lookup or role session holds, or the one
    /// principal every unsigned request shares.
    fn handed_out(&self, principal: &Arc<Principal>) -> bool {
        let same = |p: &Arc<Principal>| Arc::ptr_eq(p, principal);
        Principal::is_shared_anonymous(principal)
            || self.keys.iter().any(|(_, l)| same(&l.principal))
            || self.roles.iter().any(|(_, r)| same(&r.session))
    }
}

/// Keeps `item` at the end of `list`, dropping the oldest beyond [`KEPT`].
fn keep<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= KEPT {
        list.remove(0);
    }
    list.push(item);
}

/// The lookup of `key_id` in store version `version`, made by `lookup` if not kept; a key that
/// is not found is not kept.
pub(crate) fn key(
    version: u64,
    key_id: &str,
    lookup: impl FnOnce() -> Option<KeyLookup>,
) -> Option<KeyLookup> {
    let kept = Derived::with(version, |d| {
        d.keys
            .iter()
            .find(|(k, _)| k == key_id)
            .map(|(_, l)| l.clone())
    });
    if kept.is_some() {
        return kept;
    }
    let found = lookup()?;
    Derived::with(version, |d| {
        keep(&mut d.keys, (key_id.to_string(), found.clone()))
    });
    Some(found)
}

/// Whether the lookup of `key_id` in store version `version` is kept (so [`key`] finds it).
pub(crate) fn key_kept(version: u64, key_id: &str) -> bool {
    Derived::with(version, |d| d.keys.iter().any(|(k, _)| k == key_id))
}

/// The policies governing `principal` in store version `version`, made by `resolve` if not
/// kept. Kept by the principal's identity (the same `Arc`, as a kept key lookup hands out).
pub(crate) fn resolved(
    version: u64,
    principal: &Arc<Principal>,
    resolve: impl FnOnce() -> Resolved,
) -> Arc<Resolved> {
    let kept = Derived::with(version, |d| {
        d.governed_mut(principal).map(|g| g.resolved.clone())
    });
    if let Some(r) = kept {
        return r;
    }
    let r = Arc::new(resolve());
    Derived::with(version, |d| {
        // Only principals this thread handed out are kept: one made per request would only
        // push the others out.
        if d.handed_out(principal) {
            keep(
                &mut d.governed,
                Governed {
                    principal: principal.clone(),
                    resolved: r.clone(),
                    base: None,
                },
            )
        }
    });
    r
}

/// The base context keys of a request `ctx` by `principal` at `now` ([`BaseKey::of`] them)
/// in store version `version`, made by `build` if not kept (only the latest inputs are kept
/// per principal: they change every second).
pub(crate) fn base(
    version: u64,
    principal: &Arc<Principal>,
    ctx: &RequestContext,
    now: f64,
    build: impl FnOnce() -> SharedKeys,
) -> Arc<SharedKeys> {
    let kept = Derived::with(version, |d| {
        d.governed_mut(principal)
            .and_then(|g| g.base.as_ref())
            .filter(|(k, _)| k.matches(ctx, now))
            .map(|(_, c)| c.clone())
    });
    if let Some(c) = kept {
        return c;
    }
    let c = Arc::new(build());
    Derived::with(version, |d| {
        if let Some(g) = d.governed_mut(principal) {
            g.base = Some((BaseKey::of(ctx, now), c.clone()));
        }
    });
    c
}

/// A stored role as services acting for it see it.
pub(crate) struct ServiceRole {
    /// The session a service acting for it holds.
    pub session: Arc<Principal>,
    /// Its trust policy, compiled.
    pub trust: Arc<policy::Policy>,
}

/// `read` of the role `role_arn` names in store version `version`, found by `find` if not
/// kept (a role that is not found is not kept). Read in place: the trust policy is the
/// store's, shared by every thread, and cloning its `Arc` would write its count each time.
pub(crate) fn service_role<T>(
    version: u64,
    role_arn: &str,
    find: impl FnOnce() -> Option<ServiceRole>,
    read: impl Fn(&ServiceRole) -> T,
) -> Option<T> {
    let kept = Derived::with(version, |d| {
        d.roles
            .iter()
            .find(|(arn, _)| arn == role_arn)
            .map(|(_, r)| read(r))
    });
    if kept.is_some() {
        return kept;
    }
    let role = find()?;
    let answer = read(&role);
    Derived::with(version, |d| {
        keep(&mut d.roles, (role_arn.to_string(), role))
    });
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::PrincipalKind;

    fn principal(arn: &str) -> Principal {
        Principal {
            account: "111122223333".into(),
            arn: arn.into(),
            kind: PrincipalKind::User,
            user_id: "AIDA".into(),
            username: Some("u".into()),
            access_key_id: "AKIA".into(),
            session: None,
        }
    }

    /// The session of the service role `role_arn` (made by `make` if not kept).
    fn role_session(v: u64, role_arn: &str, make: impl FnOnce() -> Principal) -> Arc<Principal> {
        let find = || {
            let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
            Some(ServiceRole {
                session: Arc::new(make()),
                trust: crate::doc::Doc::parse(trust, crate::doc::DocKind::Trust)
                    .unwrap()
                    .compiled,
            })
        };
        service_role(v, role_arn, find, |r| r.session.clone()).unwrap()
    }

    fn lookup(arn: &str) -> KeyLookup {
        KeyLookup {
            secret_access_key: "s".into(),
            session_token: None,
            expires_at: None,
            principal: Arc::new(principal(arn)),
        }
    }

    #[test]
    fn kept_within_a_version_made_anew_in_the_next() {
        // Versions no store uses (stores number theirs from 1 upwards).
        let (v1, v2) = (u64::MAX - 1, u64::MAX);
        let first = key(v1, "AKIA1", || Some(lookup("a"))).unwrap();
        let again = key(v1, "AKIA1", || panic!("kept")).unwrap();
        assert!(Arc::ptr_eq(&first.principal, &again.principal));
        assert!(key(v1, "AKIA2", || None).is_none());
        assert!(
            key(v1, "AKIA2", || Some(lookup("b"))).is_some(),
            "misses are not kept"
        );
        assert!(key_kept(v1, "AKIA1"));
        assert!(!key_kept(v1, "AKIA3"), "never found");
        let next = key(v2, "AKIA1", || Some(lookup("c"))).unwrap();
        assert_eq!(next.principal.arn, "c");

        assert!(key_kept(v2, "AKIA1"));
        let p = next.principal.clone();
        let r = resolved(v2, &p, Resolved::default);
        assert!(Arc::ptr_eq(&r, &resolved(v2, &p, || panic!("kept"))));
        // Another principal with the same content is not the same identity, and one this
        // thread did not hand out is not kept.
        let twin = Arc::new((*p).clone());
        let calls = std::cell::Cell::new(0);
        for _ in 0..2 {
            resolved(v2, &twin, || {
                calls.set(calls.get() + 1);
                Resolved::default()
            });
        }
        assert_eq!(calls.get(), 2);

        // The one shared anonymous principal is kept (unsigned requests all act as it); an
        // anonymous principal made apart is not.
        let anon = Principal::anonymous();
        let apart = Arc::new((*anon).clone());
        for p in [&anon, &apart] {
            let calls = std::cell::Cell::new(0);
            for _ in 0..2 {
                resolved(v2, p, || {
                    calls.set(calls.get() + 1);
                    Resolved::default()
                });
            }
            let expected = if Arc::ptr_eq(p, &anon) { 1 } else { 2 };
            assert_eq!(calls.get(), expected);
        }
        let empty = || SharedKeys::new(policy::Context::new());
        let anon_ctx = RequestContext::new("r", anon.clone(), "");
        let c = base(v2, &anon, &anon_ctx, 10.0, empty);
        assert!(Arc::ptr_eq(
            &c,
            &base(v2, &anon, &anon_ctx, 10.5, || panic!("kept"))
        ));

        let ctx = RequestContext::new("r", p.clone(), "us-east-1");
        let c = base(v2, &p, &ctx, 10.0, empty);
        assert!(Arc::ptr_eq(
            &c,
            &base(v2, &p, &ctx, 10.0, || panic!("kept"))
        ));
        let later = base(v2, &p, &ctx, 11.0, empty);
        assert!(!Arc::ptr_eq(&c, &later), "other inputs build anew");
        let elsewhere = RequestContext::new("r", p.clone(), "us-west-2");
        let there = base(v2, &p, &elsewhere, 11.0, empty);
        assert!(!Arc::ptr_eq(&there, &later), "another region builds anew");

        let s = role_session(v2, "arn:r", || principal("s"));
        assert!(Arc::ptr_eq(
            &s,
            &role_session(v2, "arn:r", || panic!("kept"))
        ));
        let s2 = role_session(v1, "arn:r", || principal("s2"));
        assert_eq!(s2.arn, "s2");
        // A role not found is not kept: it is looked for again.
        let looked = std::cell::Cell::new(0);
        for _ in 0..2 {
            let find = || {
                looked.set(looked.get() + 1);
                None
            };
            assert_eq!(service_role(v2, "arn:none", find, |_| ()), None);
        }
        assert_eq!(looked.get(), 2);
    }

    /// A change to the store takes effect on the next request of a principal whose lookup,
    /// policies and context keys were kept.
    #[test]
    fn store_changes_reach_kept_principals_at_once() {
        use crate::api::test_support::{call, iam, root_ctx, user_ctx};
        use serde_json::json;
        use service::{Access, RequestContext};
        let iam = iam();
        let root = root_ctx();
        let user = user_ctx(&iam, "u");
        let id = user.principal.access_key_id.as_str();
        let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*"}]}"#;
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ivs:GetChannel","Resource":"*"}]}"#;
        let put = |name: &str, doc: &str| {
            call(
                &iam,
                &root,
                "PutUserPolicy",
                json!({"UserName": "u", "PolicyName": name, "PolicyDocument": doc}),
            )
            .unwrap();
        };
        let get = [Access::new(
            "ivs:GetChannel",
            "arn:aws:ivs:us-east-1:000000000000:channel/c",
        )];
        let allowed = || {
            let found = iam.lookup_key(id).expect("an active key");
            let ctx = RequestContext::new("req", found.principal, "us-east-1");
            // Twice: the second asks what the first kept.
            let first = iam.authorize(&ctx, &get).is_ok();
            assert_eq!(iam.authorize(&ctx, &get).is_ok(), first);
            first
        };
        assert!(!allowed(), "no policy yet");
        put("allow", allow);
        assert!(allowed());
        put("deny", deny);
        assert!(!allowed(), "an explicit deny wins at once");
        call(
            &iam,
            &root,
            "DeleteUserPolicy",
            json!({"UserName": "u", "PolicyName": "deny"}),
        )
        .unwrap();
        assert!(allowed());
        // The key's last use is recorded without a new version, and changes nothing.
        iam.record_key_use(id, "ivs", "us-east-1");
        assert!(allowed());
        assert!(iam.knows_key(id), "a kept key is known");
        call(
            &iam,
            &root,
            "UpdateAccessKey",
            json!({"UserName": "u", "AccessKeyId": id, "Status": "Inactive"}),
        )
        .unwrap();
        assert!(
            iam.lookup_key(id).is_none(),
            "a deactivated key is refused at once"
        );
        assert!(!iam.knows_key(id), "and is not known");
    }

    #[test]
    fn keeps_a_bounded_number() {
        let v = u64::MAX - 2;
        for i in 0..(KEPT + 3) {
            key(v, &format!("K{i}"), || Some(lookup("x")));
        }
        Derived::with(v, |d| assert_eq!(d.keys.len(), KEPT));
        // The oldest went first.
        let made = std::cell::Cell::new(false);
        key(v, "K0", || {
            made.set(true);
            Some(lookup("x"))
        });
        assert!(made.get());
    }
}
