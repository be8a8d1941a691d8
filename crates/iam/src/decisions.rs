//! The ring buffer of recent authorization decisions, for the admin API.

use parking_lot::Mutex;
use policy::MatchedStatement;
use serde_json::{json, Value};
use service::Principal;
use std::collections::VecDeque;
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

/// The last [`CAPACITY`] decisions.
#[derive(Debug, Default)]
pub struct DecisionLogBook {
    entries: Mutex<VecDeque<DecisionLog>>,
}

impl DecisionLogBook {
    /// Appends one, forgetting the oldest when full.
    pub fn push(&self, d: DecisionLog) {
        let forgotten = {
            let mut e = self.entries.lock();
            let forgotten = if e.len() >= CAPACITY {
                e.pop_front()
            } else {
                None
            };
            e.push_back(d);
            forgotten
        };
        // Freed after the lock: every worker logs every decision, so the lock is held short.
        drop(forgotten);
    }

    /// Decisions about principals of `account`, oldest first, as JSON.
    pub fn to_json(&self, account: &str) -> Value {
        let e = self.entries.lock();
        Value::Array(
            e.iter()
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
        self.entries.lock().clear();
    }

    /// Forgets the decisions about principals of `account`.
    pub fn clear_account(&self, account: &str) {
        self.entries
            .lock()
            .retain(|d| d.principal.account != account);
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

    fn entry(i: usize, account: &str) -> DecisionLog {
        DecisionLog {
            time: i as f64,
            principal: Arc::new(Principal::root(account, "k")),
            action: format!("a{i}"),
            resource: "*".into(),
            decision: "allowed",
            reason: String::new(),
            matched: None,
            audited: false,
        }
    }

    #[test]
    fn keeps_the_last_thousand_per_account() {
        let b = DecisionLogBook::default();
        for i in 0..CAPACITY + 5 {
            b.push(entry(i, "1"));
        }
        b.push(entry(0, "2"));
        let v = b.to_json("1");
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), CAPACITY - 1);
        assert_eq!(arr[0]["action"], "a6");
        assert_eq!(b.to_json("2").as_array().unwrap().len(), 1);
    }

    #[test]
    fn deciding_statement_is_shown_with_its_policy_and_place() {
        let b = DecisionLogBook::default();
        let mut d = entry(1, "1");
        d.matched = Some(MatchedStatement {
            source: policy::PolicySource {
                kind: policy::SourceKind::User,
                id: "p".into(),
                name: None,
            },
            sid: Some("NoRelease".into()),
            effect_allow: false,
            start: (3, 5),
            end: (9, 6),
        });
        b.push(d);
        let m = &b.to_json("1")[0]["matchedStatement"];
        assert_eq!(m["sid"], "NoRelease");
        assert_eq!(m["effect"], "Deny");
        assert_eq!(m["policy"], "p");
        assert_eq!(m["start"]["line"], 3);
        assert_eq!(m["end"]["column"], 6);
    }
}
