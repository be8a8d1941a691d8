//! When each IAM user and role last attempted each action (allowed or denied, as AWS counts
//! them), for the service last accessed reports. Kept in memory only, apart from the IAM store:
//! recording is on every request's path and must not take the store's lock.

use parking_lot::RwLock;
use service::{Principal, PrincipalKind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Attempts closer together than this (same entity, action and region) are recorded once:
/// AWS itself shows activity only hours later, and a busy caller then costs a read lock.
const RESOLUTION_SECONDS: f64 = 1.0;

/// One action's last attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// When, seconds since the epoch.
    pub at: f64,
    /// The region the request was sent to.
    pub region: String,
}

/// What one user or role attempted.
#[derive(Debug, Clone, Default)]
pub struct EntityAttempts {
    /// The entity's ARN (the role's, for its sessions).
    pub arn: String,
    /// By action as authorized (`ivs:GetChannel`).
    pub actions: HashMap<String, Attempt>,
}

impl EntityAttempts {
    /// The last attempt at any action of service `namespace`.
    pub fn last_in<'a>(&'a self, namespace: &'a str) -> Option<&'a Attempt> {
        self.in_service(namespace)
            .map(|(_, a)| a)
            .max_by(|a, b| a.at.total_cmp(&b.at))
    }

    /// Each action of service `namespace` attempted, with its last attempt (action without
    /// the prefix).
    pub fn in_service<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Attempt)> + 'a {
        self.actions.iter().filter_map(move |(action, a)| {
            let (ns, name) = action.split_once(':')?;
            ns.eq_ignore_ascii_case(namespace).then_some((name, a))
        })
    }
}

/// The IAM entity (unique ID, ARN) whose activity a principal's request counts as: a user's
/// own, a role session's role. The root user, federated users and anonymous callers are no
/// IAM entity a report can name.
fn entity_of(p: &Principal) -> Option<(&str, &str)> {
    match p.kind {
        PrincipalKind::User => Some((p.user_id.as_str(), p.arn.as_str())),
        PrincipalKind::AssumedRole => {
            let role_id = p.user_id.split(':').next()?;
            let role_arn = p.session.as_ref()?.source_arn.as_str();
            Some((role_id, role_arn))
        }
        _ => None,
    }
}

/// Every account's record of attempts, by account, then entity unique ID.
#[derive(Debug)]
pub struct LastAccessed {
    accounts: RwLock<HashMap<String, HashMap<String, EntityAttempts>>>,
    /// Which record this is, for [`Fresh`] (unique in the process).
    id: u64,
    /// How many times `accounts` was written: a [`Fresh`] taken before a write is stale.
    writes: AtomicU64,
}

impl Default for LastAccessed {
    fn default() -> Self {
        static IDS: AtomicU64 = AtomicU64::new(0);
        LastAccessed {
            accounts: RwLock::default(),
            id: IDS.fetch_add(1, Ordering::Relaxed),
            writes: AtomicU64::new(0),
        }
    }
}

/// What this thread last found fresh (recorded within the resolution): the same request
/// again, before any write and within the resolution of the oldest of its attempts, is fresh
/// still, and is told so without a lock or a hash (a busy caller repeats one request).
#[derive(Debug, Default)]
struct Fresh {
    record: u64,
    writes: u64,
    account: String,
    entity: String,
    region: String,
    actions: Vec<String>,
    /// The oldest of the actions' attempts.
    oldest: f64,
}

thread_local! {
    static FRESH: RefCell<Option<Fresh>> = const { RefCell::new(None) };
}

impl Fresh {
    fn covers<'a>(
        &self,
        (record, writes): (u64, u64),
        (account, entity, region): (&str, &str, &str),
        actions: impl Iterator<Item = &'a str>,
        now: f64,
    ) -> bool {
        self.record == record
            && self.writes == writes
            && now - self.oldest < RESOLUTION_SECONDS
            && self.account == account
            && self.entity == entity
            && self.region == region
            && actions.eq(self.actions.iter().map(String::as_str))
    }

    /// Remembers `actions` as fresh, their oldest attempt `oldest` (buffers reused).
    fn remember<'a>(
        (record, writes): (u64, u64),
        (account, entity, region): (&str, &str, &str),
        actions: impl Iterator<Item = &'a str>,
        oldest: f64,
    ) {
        FRESH.with(|f| {
            let mut f = f.borrow_mut();
            let f = f.get_or_insert_with(Fresh::default);
            (f.record, f.writes, f.oldest) = (record, writes, oldest);
            for (mine, new) in [
                (&mut f.account, account),
                (&mut f.entity, entity),
                (&mut f.region, region),
            ] {
                mine.clear();
                mine.push_str(new);
            }
            let mut n = 0;
            for action in actions {
                match f.actions.get_mut(n) {
                    Some(mine) => {
                        mine.clear();
                        mine.push_str(action);
                    }
                    None => f.actions.push(action.to_string()),
                }
                n += 1;
            }
            f.actions.truncate(n);
        });
    }
}

impl LastAccessed {
    /// Records that `principal` attempted `action` in `region` at `now`.
    pub fn record(&self, principal: &Principal, action: &str, region: &str, now: f64) {
        self.record_all(principal, [action].into_iter(), region, now);
    }

    /// [`LastAccessed::record`] of each of `actions` in turn, finding the principal's entity
    /// once (a request's accesses are recorded together: their lookups by account and entity
    /// were most of the cost of recording).
    pub fn record_all<'a>(
        &self,
        principal: &Principal,
        actions: impl Iterator<Item = &'a str> + Clone,
        region: &str,
        now: f64,
    ) {
        let Some((id, arn)) = entity_of(principal) else {
            return;
        };
        if actions.clone().next().is_none() {
            return;
        }
        let fresh = |a: &Attempt| a.region == region && now - a.at < RESOLUTION_SECONDS;
        let names = (principal.account.as_str(), id, region);
        let covered = FRESH.with(|f| {
            f.borrow().as_ref().is_some_and(|f| {
                let writes = self.writes.load(Ordering::Acquire);
                f.covers((self.id, writes), names, actions.clone(), now)
            })
        });
        if covered {
            return;
        }
        // The oldest attempt among `actions` if every one is fresh.
        let oldest_if_fresh = |e: &EntityAttempts| {
            actions.clone().try_fold(f64::INFINITY, |oldest, action| {
                let a = e.actions.get(action).filter(|a| fresh(a))?;
                Some(oldest.min(a.at))
            })
        };
        {
            let accounts = self.accounts.read();
            // No write can be under way while the read lock is held.
            let writes = self.writes.load(Ordering::Acquire);
            let entity = accounts
                .get(principal.account.as_str())
                .and_then(|entities| entities.get(id));
            if let Some(oldest) = entity.and_then(oldest_if_fresh) {
                Fresh::remember((self.id, writes), names, actions.clone(), oldest);
                return;
            }
        }
        let mut accounts = self.accounts.write();
        let writes = self.writes.fetch_add(1, Ordering::AcqRel) + 1;
        let entity = accounts
            .entry(principal.account.clone())
            .or_default()
            .entry(id.to_string())
            .or_default();
        if entity.arn != arn {
            entity.arn = arn.to_string();
        }
        for action in actions.clone() {
            let attempt = Attempt {
                at: now,
                region: region.to_string(),
            };
            match entity.actions.get_mut(action) {
                // Recorded within the resolution: left as it is, as alone it is not rewritten.
                Some(a) if fresh(a) => {}
                Some(a) if a.at <= now => *a = attempt,
                Some(_) => {}
                None => {
                    entity.actions.insert(action.to_string(), attempt);
                }
            }
        }
        // Each is fresh now (a later attempt in another region is not).
        if let Some(oldest) = oldest_if_fresh(entity) {
            Fresh::remember((self.id, writes), names, actions, oldest);
        }
    }

    /// A copy of what the entity with unique ID `id` in `account` attempted.
    pub fn of(&self, account: &str, id: &str) -> Option<EntityAttempts> {
        self.accounts.read().get(account)?.get(id).cloned()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        let mut accounts = self.accounts.write();
        self.writes.fetch_add(1, Ordering::AcqRel);
        accounts.clear();
    }

    /// Forgets `account`'s entities.
    pub fn clear_account(&self, account: &str) {
        let mut accounts = self.accounts.write();
        self.writes.fetch_add(1, Ordering::AcqRel);
        accounts.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::SessionInfo;

    fn user(id: &str) -> Principal {
        Principal {
            account: "111122223333".into(),
            arn: format!("arn:aws:iam::111122223333:user/{id}"),
            kind: PrincipalKind::User,
            user_id: id.into(),
            username: Some(id.into()),
            access_key_id: "AKIA".into(),
            session: None,
        }
    }

    #[test]
    fn keeps_the_last_attempt_per_action_and_the_roles_for_its_sessions() {
        let t = LastAccessed::default();
        let ann = user("AIDAANN");
        t.record(&ann, "ivs:GetChannel", "us-east-1", 100.0);
        t.record(&ann, "ivs:GetChannel", "us-east-1", 100.5); // within the resolution
        t.record(&ann, "ivs:ListChannels", "eu-west-1", 200.0);
        t.record(&ann, "mediaconvert:CreateJob", "us-east-1", 150.0);
        let e = t.of("111122223333", "AIDAANN").unwrap();
        assert_eq!(e.actions["ivs:GetChannel"].at, 100.0);
        let last = e.last_in("ivs").unwrap();
        assert_eq!((last.at, last.region.as_str()), (200.0, "eu-west-1"));
        assert_eq!(e.in_service("IVS").count(), 2);
        assert!(e.last_in("s3").is_none());
        t.record(&ann, "ivs:GetChannel", "us-east-1", 300.0);
        assert_eq!(
            t.of("111122223333", "AIDAANN").unwrap().actions["ivs:GetChannel"].at,
            300.0
        );

        let session = Principal {
            arn: "arn:aws:sts::111122223333:assumed-role/editor/s1".into(),
            kind: PrincipalKind::AssumedRole,
            user_id: "AROAEDITOR:s1".into(),
            session: Some(SessionInfo {
                source_arn: "arn:aws:iam::111122223333:role/editor".into(),
                ..SessionInfo::default()
            }),
            ..user("x")
        };
        t.record(&session, "ivs:GetChannel", "us-east-1", 400.0);
        let role = t.of("111122223333", "AROAEDITOR").unwrap();
        assert_eq!(role.arn, "arn:aws:iam::111122223333:role/editor");

        let root = Principal {
            kind: PrincipalKind::Account,
            user_id: "111122223333".into(),
            ..user("root")
        };
        t.record(&root, "ivs:GetChannel", "us-east-1", 500.0);
        assert!(t.of("111122223333", "111122223333").is_none());

        // Several at once: as one by one.
        let (one, all) = (LastAccessed::default(), LastAccessed::default());
        let actions = ["ivs:GetChannel", "iam:PassRole", "ivs:GetChannel"];
        for now in [10.0, 10.5, 12.0] {
            for a in actions {
                one.record(&ann, a, "us-east-1", now);
            }
            all.record_all(&ann, actions.into_iter(), "us-east-1", now);
            let (one, all) = (
                one.of("111122223333", "AIDAANN"),
                all.of("111122223333", "AIDAANN"),
            );
            let one = one.unwrap();
            let all = all.unwrap();
            assert_eq!((one.arn, one.actions), (all.arn, all.actions));
        }
        // What this thread found fresh does not outlive a write, nor cover another record.
        let again = LastAccessed::default();
        let once = ["ivs:GetChannel"];
        let region = |t: &LastAccessed| {
            let e = t.of("111122223333", "AIDAANN")?;
            Some((
                e.actions["ivs:GetChannel"].region.clone(),
                e.actions["ivs:GetChannel"].at,
            ))
        };
        again.record_all(&ann, once.into_iter(), "us-east-1", 20.0);
        again.record_all(&ann, once.into_iter(), "us-east-1", 20.1);
        assert_eq!(region(&again), Some(("us-east-1".into(), 20.0)));
        again.record(&ann, "ivs:GetChannel", "eu-west-1", 20.2);
        again.record_all(&ann, once.into_iter(), "us-east-1", 20.3);
        assert_eq!(region(&again), Some(("us-east-1".into(), 20.3)));
        again.clear_account("111122223333");
        again.record_all(&ann, once.into_iter(), "us-east-1", 20.4);
        assert_eq!(region(&again), Some(("us-east-1".into(), 20.4)));
        again.clear();
        again.record_all(&ann, once.into_iter(), "us-east-1", 20.5);
        assert_eq!(region(&again), Some(("us-east-1".into(), 20.5)));
        let other = LastAccessed::default();
        other.record_all(&ann, once.into_iter(), "us-east-1", 20.6);
        assert_eq!(region(&other), Some(("us-east-1".into(), 20.6)));
        again.record_all(&ann, once.into_iter(), "us-east-1", 21.4);
        assert_eq!(region(&again), Some(("us-east-1".into(), 20.5)));
        again.record_all(&ann, once.into_iter(), "us-east-1", 21.5);
        assert_eq!(region(&again), Some(("us-east-1".into(), 21.5)));

        // Two records at the same write count: what was fresh in one is not so in the other.
        let (a, b) = (LastAccessed::default(), LastAccessed::default());
        b.record_all(&ann, ["iam:PassRole"].into_iter(), "us-east-1", 30.0);
        a.record_all(&ann, once.into_iter(), "us-east-1", 30.0);
        b.record_all(&ann, once.into_iter(), "us-east-1", 30.1);
        assert_eq!(region(&b), Some(("us-east-1".into(), 30.1)));

        let none = LastAccessed::default();
        none.record_all(&ann, std::iter::empty(), "us-east-1", 1.0);
        assert!(none.of("111122223333", "AIDAANN").is_none());

        t.clear_account("111122223333");
        assert!(t.of("111122223333", "AIDAANN").is_none());
    }
}
