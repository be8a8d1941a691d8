//! Client tokens (`ClientToken`, `ClientRequestToken`): a retried create with the same token
//! and the same parameters answers what the first answered; the same token with other
//! parameters is the service's mismatch error.

use serde_json::{json, Value};
use service::{Record, RequestContext, ServiceError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How long a token is remembered (AWS keeps them for hours; a day covers every service).
const WINDOW_SECONDS: f64 = 24.0 * 3600.0;

#[derive(Debug, Clone)]
struct Remembered {
    fingerprint: [u8; 32],
    /// The answer as JSON text: SDKs send a token with every create, so one is kept per
    /// resource made in the window, and text is a fraction of the value tree's size.
    output: Box<str>,
    at: f64,
}

impl Remembered {
    /// The answer as a value (read back only when a retry replays it, or for a record).
    fn output(&self) -> Value {
        serde_json::from_str(&self.output).unwrap_or(Value::Null)
    }
}

/// Remembered client tokens of one service, per account, region and operation.
#[derive(Debug, Default)]
pub struct Idempotency {
    tokens: HashMap<String, Remembered>,
    /// Expired tokens are dropped once the map reaches this size, which is then set to twice
    /// what is left: each create pays O(1) on average, not a walk of every token.
    prune_at: usize,
}

/// The smallest [`Idempotency::prune_at`].
const PRUNE_AT_LEAST: usize = 1024;

fn slot(ctx: &RequestContext, operation: &str, token: &str) -> String {
    format!("{}|{}|{operation}|{token}", ctx.account(), ctx.region)
}

/// The input without its token member, hashed: what "the same parameters" means.
fn fingerprint(input: &Value, token_member: &str) -> [u8; 32] {
    let mut copy = input.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove(token_member);
    }
    Sha256::digest(copy.to_string().as_bytes()).into()
}

impl Idempotency {
    /// The earlier output for this token and parameters, `Ok(None)` for a fresh token, or
    /// `mismatch` when the token was used with other parameters. Without a token, `Ok(None)`.
    pub fn replay(
        &self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        token_member: &str,
        now: f64,
        mismatch: impl FnOnce() -> ServiceError,
    ) -> Result<Option<Value>, ServiceError> {
        let Some(token) = input.get(token_member).and_then(Value::as_str) else {
            return Ok(None);
        };
        match self.tokens.get(&slot(ctx, operation, token)) {
            Some(r) if now - r.at < WINDOW_SECONDS => {
                if r.fingerprint == fingerprint(input, token_member) {
                    Ok(Some(r.output()))
                } else {
                    Err(mismatch())
                }
            }
            _ => Ok(None),
        }
    }

    /// Remembers the output a request with a token produced (no-op without a token).
    pub fn remember(
        &mut self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        token_member: &str,
        now: f64,
        output: &Value,
    ) {
        let Some(token) = input.get(token_member).and_then(Value::as_str) else {
            return;
        };
        if self.tokens.len() >= self.prune_at {
            self.tokens.retain(|_, r| now - r.at < WINDOW_SECONDS);
            self.prune_at = (2 * self.tokens.len()).max(PRUNE_AT_LEAST);
        }
        self.tokens.insert(
            slot(ctx, operation, token),
            Remembered {
                fingerprint: fingerprint(input, token_member),
                output: output.to_string().into(),
                at: now,
            },
        );
    }

    /// The journal table of remembered tokens.
    pub const TABLE: &'static str = "idempotency-token";

    /// [`Idempotency::remember`], and journals the token so a retry after a restart still
    /// replays (for services whose creates must survive `kill -9` with their tokens).
    pub fn remember_durably(
        &mut self,
        ctx: &RequestContext,
        operation: &str,
        input: &Value,
        token_member: &str,
        now: f64,
        output: &Value,
    ) {
        self.remember(ctx, operation, input, token_member, now, output);
        let Some(token) = input
            .get(token_member)
            .and_then(Value::as_str)
            .filter(|_| ctx.journal.is_recording())
        else {
            return;
        };
        let key = slot(ctx, operation, token);
        if let Some(r) = self.tokens.get(&key) {
            let value =
                json!({"fingerprint": hex::encode(r.fingerprint), "output": output, "at": r.at});
            ctx.journal.put(ctx.account(), Self::TABLE, &key, value);
        }
    }

    /// Re-applies a journaled token.
    pub fn restore(&mut self, record: &Record) -> Result<(), String> {
        let Some(v) = &record.value else {
            self.tokens.remove(&record.key);
            return Ok(());
        };
        let bad = || format!("bad {} record {}", Self::TABLE, record.key);
        let print = v
            .get("fingerprint")
            .and_then(Value::as_str)
            .ok_or_else(bad)?;
        let fingerprint: [u8; 32] = hex::decode(print)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        let at = v.get("at").and_then(Value::as_f64).ok_or_else(bad)?;
        let output = v.get("output").unwrap_or(&Value::Null).to_string().into();
        self.tokens.insert(
            record.key.clone(),
            Remembered {
                fingerprint,
                output,
                at,
            },
        );
        Ok(())
    }

    /// Every token still in its window at `now` as a record (expired ones, which no retry
    /// can replay, may linger in memory until the next prune but are not exported).
    pub fn records(&self, now: f64) -> Vec<Record> {
        let mut out: Vec<Record> = self
            .tokens
            .iter()
            .filter(|(_, r)| now - r.at < WINDOW_SECONDS)
            .map(|(k, r)| Record {
                account: k.split('|').next().unwrap_or_default().to_string(),
                table: Self::TABLE.to_string(),
                key: k.clone(),
                value: Some(json!({"fingerprint": hex::encode(r.fingerprint), "output": r.output(), "at": r.at})),
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.tokens.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use service::Principal;
    use std::sync::Arc;

    fn ctx(account: &str) -> RequestContext {
        RequestContext::new("r", Arc::new(Principal::root(account, "k")), "us-east-1")
    }

    #[test]
    fn same_token_same_input_replays_other_input_mismatches() {
        let mut tokens = Idempotency::default();
        let c = ctx("1");
        let input = json!({"Name": "a", "ClientToken": "t"});
        let mismatch = || ServiceError::new("ConflictException", "token reused");
        assert_eq!(
            tokens
                .replay(&c, "CreateX", &input, "ClientToken", 0.0, mismatch)
                .unwrap(),
            None
        );
        tokens.remember(&c, "CreateX", &input, "ClientToken", 0.0, &json!({"Id": 1}));
        assert_eq!(
            tokens
                .replay(&c, "CreateX", &input, "ClientToken", 1.0, mismatch)
                .unwrap(),
            Some(json!({"Id": 1}))
        );
        let other = json!({"Name": "b", "ClientToken": "t"});
        let e = tokens
            .replay(&c, "CreateX", &other, "ClientToken", 1.0, mismatch)
            .unwrap_err();
        assert_eq!(e.code, "ConflictException");
        // Another account, another operation, or after the window: fresh.
        assert_eq!(
            tokens
                .replay(&ctx("2"), "CreateX", &other, "ClientToken", 1.0, mismatch)
                .unwrap(),
            None
        );
        assert_eq!(
            tokens
                .replay(&c, "CreateY", &other, "ClientToken", 1.0, mismatch)
                .unwrap(),
            None
        );
        assert_eq!(
            tokens
                .replay(
                    &c,
                    "CreateX",
                    &other,
                    "ClientToken",
                    WINDOW_SECONDS + 1.0,
                    mismatch
                )
                .unwrap(),
            None
        );
        assert_eq!(
            tokens
                .replay(&c, "CreateX", &json!({}), "ClientToken", 1.0, mismatch)
                .unwrap(),
            None
        );
    }

    #[test]
    fn durable_tokens_replay_after_a_restore() {
        let mut tokens = Idempotency::default();
        let c = ctx("1");
        let input = json!({"Name": "a", "ClientToken": "t"});
        tokens.remember_durably(&c, "CreateX", &input, "ClientToken", 5.0, &json!({"Id": 7}));
        let mut restored = Idempotency::default();
        for (_, r) in c.journal.take() {
            restored.restore(&r).unwrap();
        }
        assert_eq!(restored.records(6.0), tokens.records(6.0));
        assert_eq!(tokens.records(6.0).len(), 1);
        // Once its window is over a token is no longer exported.
        assert!(tokens.records(5.0 + WINDOW_SECONDS).is_empty());
        let mismatch = || ServiceError::new("ConflictException", "reused");
        assert_eq!(
            restored
                .replay(&c, "CreateX", &input, "ClientToken", 6.0, mismatch)
                .unwrap(),
            Some(json!({"Id": 7}))
        );
        let bad = Record {
            account: "1".into(),
            table: Idempotency::TABLE.into(),
            key: "k".into(),
            value: Some(json!({})),
        };
        assert!(restored.restore(&bad).is_err());
    }

    #[test]
    fn a_replay_is_the_answer_exactly_whatever_its_numbers() {
        let mut tokens = Idempotency::default();
        let c = ctx("1");
        let mismatch = || ServiceError::new("ConflictException", "reused");
        // Fractional epoch seconds as answers carry them: the text kept must read back as the
        // very same numbers (serde_json's `float_roundtrip`).
        let mut x = 1_796_178_207.0_f64;
        for i in 0..2000 {
            x += 0.000_123_456_789 * f64::from(i % 97 + 1);
            let input = json!({"ClientToken": format!("t{i}")});
            let answer = json!({"CreatedAt": x, "Ratio": x / 3.0e9});
            tokens.remember(&c, "CreateX", &input, "ClientToken", 0.0, &answer);
            let replayed = tokens
                .replay(&c, "CreateX", &input, "ClientToken", 1.0, mismatch)
                .unwrap();
            assert_eq!(replayed, Some(answer));
        }
    }

    #[test]
    fn expired_tokens_are_dropped_as_the_map_grows() {
        let mut tokens = Idempotency::default();
        let c = ctx("1");
        let remember = |t: &mut Idempotency, i: usize, now: f64| {
            let input = json!({"ClientToken": format!("t{i}")});
            t.remember(&c, "CreateX", &input, "ClientToken", now, &json!({"Id": i}));
        };
        for i in 0..PRUNE_AT_LEAST {
            remember(&mut tokens, i, 0.0);
        }
        // A day later the next create finds the map full and drops every expired token.
        remember(&mut tokens, PRUNE_AT_LEAST, WINDOW_SECONDS + 1.0);
        assert_eq!(tokens.tokens.len(), 1);
        // Tokens still in their window stay, and replay with their answer.
        let fresh = PRUNE_AT_LEAST + 1;
        for i in fresh..fresh + 3 * PRUNE_AT_LEAST {
            remember(&mut tokens, i, WINDOW_SECONDS + 2.0);
        }
        assert_eq!(tokens.tokens.len(), 3 * PRUNE_AT_LEAST + 1);
        let input = json!({"ClientToken": format!("t{fresh}")});
        let mismatch = || ServiceError::new("ConflictException", "reused");
        assert_eq!(
            tokens
                .replay(
                    &c,
                    "CreateX",
                    &input,
                    "ClientToken",
                    WINDOW_SECONDS + 3.0,
                    mismatch
                )
                .unwrap(),
            Some(json!({"Id": fresh}))
        );
    }
}
