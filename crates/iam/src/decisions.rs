//! The ring buffer of recent authorization decisions, for the admin API.

use parking_lot::Mutex;
use policy::MatchedStatement;
use serde_json::{json, Value};
use service::Principal;
use std::sync::Arc;

/// How many decisions are kept.
pub const CAPACITY: usize = 1000;

/// One logged decision.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionLog {
    /// When, seconds since the epoch.
    pub time: f64,
    /// The principal (shared with its request: a decision is logged for every request, and
    /// copying its account and ARN were two allocations more each time).
    pub principal: Arc<Principal>,
    /// The action.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: &'static str,
    /// Why (the denial message, or `allowed by …`).
    pub reason: String,
    /// The deciding statement, if any (kept typed: JSON is built only when the log is read).
    pub matched: Option<MatchedStatement>,
    /// Whether the request went ahead despite a denial (audit mode).
    pub audited: bool,
}

/// A decision to log, its texts borrowed: they are copied into the ring's oldest slot.
#[derive(Debug)]
pub struct NewDecision<'a> {
    /// When, seconds since the epoch.
    pub time: f64,
    /// The principal.
    pub principal: &'a Arc<Principal>,
    /// The action.
    pub action: &'a str,
    /// The resource ARN.
    pub resource: &'a str,
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: &'static str,
    /// Why (empty when allowed).
    pub reason: &'a str,
    /// The deciding statement, if any (moved in).
    pub matched: Option<MatchedStatement>,
    /// Whether the request went ahead despite a denial (audit mode).
    pub audited: bool,
}

/// The last [`CAPACITY`] decisions.
#[derive(Debug, Default)]
pub struct DecisionLogBook {
    entries: Mutex<Ring>,
}

/// The kept decisions: `slots` in order from `oldest` round to just before it. Once full, a
/// new decision overwrites the oldest slot in place, its strings keeping their capacity: a
/// decision is logged for every access of every request, and replacing whole entries cost
/// three allocations and three frees of 1,000-requests-old (cold) strings each time.
#[derive(Debug, Default)]
struct Ring {
    slots: Vec<DecisionLog>,
    /// Where the oldest slot is (0 until the ring is full).
    oldest: usize,
}

impl Ring {
    /// The kept decisions, oldest first.
    fn iter(&self) -> impl Iterator<Item = &DecisionLog> {
        let (older, newer) = self.slots.split_at(self.oldest);
        newer.iter().chain(older)
    }
}

/// Makes `into` a copy of `text`, reusing its capacity.
fn copy_into(into: &mut String, text: &str) {
    into.clear();
    into.push_str(text);
}

/// What an overwritten slot held that may own memory of its own: freed after the lock.
type Forgotten = (Arc<Principal>, Option<MatchedStatement>);

impl DecisionLogBook {
    /// Appends one, overwriting the oldest when full.
    pub fn push(&self, d: NewDecision<'_>) {
        let forgotten: Option<Forgotten> = {
            let mut ring = self.entries.lock();
            if ring.slots.len() < CAPACITY {
                ring.slots.push(DecisionLog {
                    time: d.time,
                    principal: d.principal.clone(),
                    action: d.action.to_string(),
                    resource: d.resource.to_string(),
                    decision: d.decision,
                    reason: d.reason.to_string(),
                    matched: d.matched,
                    audited: d.audited,
                });
                None
            } else {
                let at = ring.oldest;
                ring.oldest = (at + 1) % CAPACITY;
                let slot = &mut ring.slots[at];
                slot.time = d.time;
                copy_into(&mut slot.action, d.action);
                copy_into(&mut slot.resource, d.resource);
                slot.decision = d.decision;
                copy_into(&mut slot.reason, d.reason);
                slot.audited = d.audited;
                Some((
                    std::mem::replace(&mut slot.principal, d.principal.clone()),
                    std::mem::replace(&mut slot.matched, d.matched),
                ))
            }
        };
        // Dropped after the lock: every worker logs every decision, so the lock is held short
        // (the last reference to a principal or a resource policy's name may go here).
        drop(forgotten);
    }

    /// Decisions about principals of `account`, oldest first, as JSON.
    pub fn to_json(&self, account: &str) -> Value {
        let ring = self.entries.lock();
        Value::Array(
            ring.iter()
                .filter(|d| d.principal.account == account)
                .map(|d| {
                    json!({
                        "time": d.time,
                        "principal": d.principal.arn,
                        "action": d.action,
                        "resource": d.resource,
                        "decision": d.decision,
                        "reason": d.reason,
                        "matchedStatement": d.matched.as_ref().map(statement_json),
                        "audited": d.audited,
                    })
                })
                .collect(),
        )
    }

    /// Forgets everything.
    pub fn clear(&self) {
        *self.entries.lock() = Ring::default();
    }

    /// Forgets the decisions about principals of `account`.
    pub fn clear_account(&self, account: &str) {
        let mut ring = self.entries.lock();
        let oldest = std::mem::take(&mut ring.oldest);
        // Oldest first from the start, then the rest close up behind them.
        ring.slots.rotate_left(oldest);
        ring.slots.retain(|d| d.principal.account != account);
    }
}

/// A deciding statement as the admin API shows it.
fn statement_json(m: &MatchedStatement) -> Value {
    json!({
        "source": format!("{:?}", m.source.kind),
        "policy": &*m.source.id,
        "policyName": m.source.name.as_deref(),
        "sid": m.sid.as_deref(),
        "effect": if m.effect_allow { "Allow" } else { "Deny" },
        "start": {"line": m.start.0, "column": m.start.1},
        "end": {"line": m.end.0, "column": m.end.1},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    fn statement(sid: &str, effect_allow: bool) -> MatchedStatement {
        MatchedStatement {
            source: policy::PolicySource {
                kind: policy::SourceKind::User,
                id: "p".into(),
                name: None,
            },
            sid: Some(sid.into()),
            effect_allow,
            start: (3, 5),
            end: (9, 6),
        }
    }

    /// The `i`th test decision (texts of varying lengths, every few with a statement).
    fn entry(i: usize, account: &str) -> DecisionLog {
        let denied = i.is_multiple_of(3);
        DecisionLog {
            time: i as f64,
            principal: Arc::new(Principal::root(account, "k")),
            action: format!("a{i}"),
            resource: "r".repeat(i % 7) + &i.to_string(),
            decision: if denied { "explicitDeny" } else { "allowed" },
            reason: if denied {
                "x".repeat(i % 50)
            } else {
                String::new()
            },
            matched: (!i.is_multiple_of(4)).then(|| statement(&format!("s{i}"), !denied)),
            audited: i.is_multiple_of(5),
        }
    }

    fn push(b: &DecisionLogBook, d: &DecisionLog) {
        b.push(NewDecision {
            time: d.time,
            principal: &d.principal,
            action: &d.action,
            resource: &d.resource,
            decision: d.decision,
            reason: &d.reason,
            matched: d.matched.clone(),
            audited: d.audited,
        });
    }

    /// What the admin API shows of `entries` for `account`, oldest first.
    fn shown<'a>(entries: impl Iterator<Item = &'a DecisionLog>, account: &str) -> Value {
        let b = DecisionLogBook::default();
        let entries: Vec<&DecisionLog> = entries.collect();
        assert!(entries.len() <= CAPACITY);
        for d in entries {
            push(&b, d);
        }
        b.to_json(account)
    }

    #[test]
    fn keeps_the_last_thousand_per_account() {
        let b = DecisionLogBook::default();
        for i in 0..CAPACITY + 5 {
            push(&b, &entry(i, "1"));
        }
        push(&b, &entry(0, "2"));
        let v = b.to_json("1");
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), CAPACITY - 1);
        assert_eq!(arr[0]["action"], "a6");
        assert_eq!(arr[CAPACITY - 2]["action"], format!("a{}", CAPACITY + 4));
        assert_eq!(b.to_json("2").as_array().unwrap().len(), 1);
    }

    #[test]
    fn the_ring_forgets_the_oldest_first_as_a_queue_would() {
        // A queue of whole entries (what the ring replaced) beside the ring, through wraps,
        // an account's decisions forgotten mid-ring and everything forgotten.
        let b = DecisionLogBook::default();
        let mut queue: VecDeque<DecisionLog> = VecDeque::new();
        let accounts = ["1", "2", "3"];
        let check = |b: &DecisionLogBook, queue: &VecDeque<DecisionLog>| {
            for a in accounts {
                assert_eq!(b.to_json(a), shown(queue.iter(), a), "account {a}");
            }
        };
        let mut n = 0;
        let mut log = |b: &DecisionLogBook, queue: &mut VecDeque<DecisionLog>, count: usize| {
            for _ in 0..count {
                let d = entry(n, accounts[n * 7 % 3]);
                n += 1;
                push(b, &d);
                if queue.len() >= CAPACITY {
                    queue.pop_front();
                }
                queue.push_back(d);
            }
        };
        log(&b, &mut queue, 10);
        check(&b, &queue);
        log(&b, &mut queue, CAPACITY + 337);
        check(&b, &queue);
        b.clear_account("2");
        queue.retain(|d| d.principal.account != "2");
        check(&b, &queue);
        log(&b, &mut queue, 500);
        check(&b, &queue);
        log(&b, &mut queue, 2 * CAPACITY + 1);
        check(&b, &queue);
        b.clear();
        queue.clear();
        check(&b, &queue);
        log(&b, &mut queue, CAPACITY + 1);
        check(&b, &queue);
    }

    #[test]
    fn an_overwritten_slot_keeps_nothing_of_its_old_decision() {
        let b = DecisionLogBook::default();
        let old = DecisionLog {
            time: 1.0,
            principal: Arc::new(Principal::root("1", "k")),
            action: "mediaconvert:CreateJobTemplate".into(),
            resource: "arn:aws:mediaconvert:us-east-1:1:jobTemplates/a-long-template-name".into(),
            decision: "explicitDeny",
            reason: "a long denial message that the next decision must not show".into(),
            matched: Some(statement("Old", false)),
            audited: true,
        };
        for _ in 0..CAPACITY {
            push(&b, &old);
        }
        let new = DecisionLog {
            time: 2.0,
            principal: Arc::new(Principal::root("1", "k")),
            action: "ivs:Get".into(),
            resource: "*".into(),
            decision: "allowed",
            reason: String::new(),
            matched: None,
            audited: false,
        };
        push(&b, &new);
        let v = b.to_json("1");
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), CAPACITY);
        assert_eq!(arr[CAPACITY - 1], shown([&new].into_iter(), "1")[0]);
        assert_eq!(arr[CAPACITY - 1]["reason"], "");
        assert_eq!(arr[CAPACITY - 1]["matchedStatement"], Value::Null);
        assert_eq!(arr[0], shown([&old].into_iter(), "1")[0]);
    }

    #[test]
    fn deciding_statement_is_shown_with_its_policy_and_place() {
        let b = DecisionLogBook::default();
        let mut d = entry(1, "1");
        d.matched = Some(statement("NoRelease", false));
        push(&b, &d);
        let m = &b.to_json("1")[0]["matchedStatement"];
        assert_eq!(m["sid"], "NoRelease");
        assert_eq!(m["effect"], "Deny");
        assert_eq!(m["policy"], "p");
        assert_eq!(m["start"]["line"], 3);
        assert_eq!(m["end"]["column"], 6);
    }
}
