//! The `Condition` element: operators, set qualifiers, `IfExists`, and their evaluation.

use crate::arn::ArnPattern;
use crate::context::Context;
use crate::matcher::{fold, Wildcard};
use crate::variables::{number_text, Template};
use base64::Engine;
use ipnet::IpNet;
use service::ContextValue;
use std::borrow::Cow;
use std::net::IpAddr;

/// The operator family, without negation, qualifiers or `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    Arn,
    Null,
}

/// `ForAllValues:` / `ForAnyValue:` / neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Single,
    ForAll,
    ForAny,
}

/// One policy value, compiled for its operator.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(Template),
    Like(Template, Option<Wildcard>),
    Number(Option<f64>),
    Date(Option<f64>),
    Bool(Option<bool>),
    Binary(Vec<u8>),
    Ip(Option<IpNet>),
    Arn(ArnPattern),
}

/// One `Operator: { key: values }` pair.
#[derive(Debug, Clone, PartialEq)]
struct Clause {
    op: Op,
    negated: bool,
    set: SetOp,
    if_exists: bool,
    /// Lowercased key name for lookup.
    key: String,
    /// The key as the policy spells it (for MissingContextValues).
    key_name: String,
    values: Vec<Value>,
}

/// A statement's whole `Condition` element: every clause must hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ConditionBlock {
    clauses: Vec<Clause>,
}

/// Why a condition element was rejected at parse time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConditionError {
    /// Wrong JSON shape or unknown operator: "Syntax errors in policy."
    Syntax,
    /// A value the legacy parser refuses (bad dates): "The policy failed legacy parsing".
    Legacy,
}

/// Splits `ForAnyValue:StringLikeIfExists` into its parts.
fn parse_operator(name: &str) -> Option<(Op, bool, SetOp, bool)> {
    let (set, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
        (SetOp::ForAll, r)
    } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
        (SetOp::ForAny, r)
    } else {
        (SetOp::Single, name)
    };
    let (if_exists, base) = match rest.strip_suffix("IfExists") {
        Some(b) => (true, b),
        None => (false, rest),
    };
    let (op, negated) = match base {
        "StringEquals" => (Op::StringEquals, false),
        "StringNotEquals" => (Op::StringEquals, true),
        "StringEqualsIgnoreCase" => (Op::StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Op::StringEqualsIgnoreCase, true),
        "StringLike" => (Op::StringLike, false),
        "StringNotLike" => (Op::StringLike, true),
        "NumericEquals" => (Op::NumericEquals, false),
        "NumericNotEquals" => (Op::NumericEquals, true),
        "NumericLessThan" => (Op::NumericLessThan, false),
        "NumericLessThanEquals" => (Op::NumericLessThanEquals, false),
        "NumericGreaterThan" => (Op::NumericGreaterThan, false),
        "NumericGreaterThanEquals" => (Op::NumericGreaterThanEquals, false),
        "DateEquals" => (Op::DateEquals, false),
        "DateNotEquals" => (Op::DateEquals, true),
        "DateLessThan" => (Op::DateLessThan, false),
        "DateLessThanEquals" => (Op::DateLessThanEquals, false),
        "DateGreaterThan" => (Op::DateGreaterThan, false),
        "DateGreaterThanEquals" => (Op::DateGreaterThanEquals, false),
        "Bool" => (Op::Bool, false),
        "BinaryEquals" => (Op::BinaryEquals, false),
        "IpAddress" => (Op::IpAddress, false),
        "NotIpAddress" => (Op::IpAddress, true),
        "ArnEquals" | "ArnLike" => (Op::Arn, false),
        "ArnNotEquals" | "ArnNotLike" => (Op::Arn, true),
        "Null" => (Op::Null, false),
        _ => return None,
    };
    Some((op, negated, set, if_exists))
}

/// A JSON scalar as the text IAM sees (numbers and booleans are accepted as values).
fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl ConditionBlock {
    /// Compiles a `Condition` element; `variables` is whether the policy version has them.
    pub(crate) fn parse(
        element: &serde_json::Value,
        variables: bool,
    ) -> Result<Self, ConditionError> {
        let ops = element.as_object().ok_or(ConditionError::Syntax)?;
        let mut clauses = Vec::new();
        for (op_name, body) in ops {
            let body = body.as_object().ok_or(ConditionError::Syntax)?;
            let Some((op, negated, set, if_exists)) = parse_operator(op_name) else {
                // AWS tolerates an unknown operator only with an empty body.
                if body.is_empty() {
                    continue;
                }
                return Err(ConditionError::Syntax);
            };
            for (key, raw) in body {
                let texts: Vec<String> = match raw {
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(scalar_text)
                        .collect::<Option<_>>()
                        .ok_or(ConditionError::Syntax)?,
                    v => vec![scalar_text(v).ok_or(ConditionError::Syntax)?],
                };
                let values = texts
                    .iter()
                    .map(|t| compile_value(op, t, variables))
                    .collect::<Result<_, _>>()?;
                clauses.push(Clause {
                    op,
                    negated,
                    set,
                    if_exists,
                    key: key.to_lowercase(),
                    key_name: key.clone(),
                    values,
                });
            }
        }
        Ok(ConditionBlock { clauses })
    }

    /// Whether every clause holds; keys the request lacks are added to `missing`.
    pub(crate) fn holds(&self, ctx: &Context, missing: &mut Vec<String>) -> bool {
        let mut all = true;
        for c in &self.clauses {
            if !c.holds(ctx, missing) {
                all = false;
            }
        }
        all
    }

    /// Whether there are no clauses.
    pub(crate) fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

fn compile_value(op: Op, text: &str, variables: bool) -> Result<Value, ConditionError> {
    Ok(match op {
        Op::StringEquals | Op::StringEqualsIgnoreCase => {
            Value::Text(Template::parse(text, variables))
        }
        Op::StringLike => {
            let t = Template::parse(text, variables);
            let compiled = if t.has_vars() {
                None
            } else {
                t.resolve_pieces(&Context::new())
                    .map(|p| Wildcard::from_pieces(p, false))
            };
            Value::Like(t, compiled)
        }
        Op::NumericEquals
        | Op::NumericLessThan
        | Op::NumericLessThanEquals
        | Op::NumericGreaterThan
        | Op::NumericGreaterThanEquals => Value::Number(text.trim().parse().ok()),
        Op::DateEquals
        | Op::DateLessThan
        | Op::DateLessThanEquals
        | Op::DateGreaterThan
        | Op::DateGreaterThanEquals => {
            Value::Date(Some(parse_date(text).ok_or(ConditionError::Legacy)?))
        }
        Op::Bool | Op::Null => Value::Bool(parse_bool(text)),
        Op::BinaryEquals => Value::Binary(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap_or_else(|_| text.as_bytes().to_vec()),
        ),
        Op::IpAddress => Value::Ip(parse_net(text)),
        Op::Arn => Value::Arn(ArnPattern::condition(text, variables)),
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_net(text: &str) -> Option<IpNet> {
    let t = text.trim();
    t.parse::<IpNet>()
        .ok()
        .or_else(|| t.parse::<IpAddr>().ok().map(IpNet::from))
}

/// An ISO 8601 date/time or epoch seconds, as seconds since the epoch (see `date_value`).
pub(crate) fn parse_date(text: &str) -> Option<f64> {
    crate::date_value::parse(text)
}

/// One context value, as the operators see it.
#[derive(Debug, Clone, Copy)]
enum Atom<'a> {
    Str(&'a str),
    Num(f64),
    Bool(bool),
}

impl Atom<'_> {
    fn text(&self) -> Cow<'_, str> {
        match self {
            Atom::Str(s) => Cow::Borrowed(s),
            Atom::Num(n) => Cow::Owned(number_text(*n)),
            Atom::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Atom::Num(n) => Some(*n),
            Atom::Str(s) => s.trim().parse().ok(),
            Atom::Bool(_) => None,
        }
    }

    fn date(&self) -> Option<f64> {
        match self {
            Atom::Num(n) => Some(*n),
            Atom::Str(s) => parse_date(s),
            Atom::Bool(_) => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Atom::Bool(b) => Some(*b),
            Atom::Str(s) => parse_bool(s),
            Atom::Num(_) => None,
        }
    }
}

fn atoms(v: &ContextValue) -> Vec<Atom<'_>> {
    match v {
        ContextValue::String(s) => vec![Atom::Str(s)],
        ContextValue::Strings(v) => v.iter().map(|s| Atom::Str(s)).collect(),
        ContextValue::Bool(b) => vec![Atom::Bool(*b)],
        ContextValue::Number(n) => vec![Atom::Num(*n)],
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars().map(fold).eq(b.chars().map(fold))
}

impl Clause {
    fn holds(&self, ctx: &Context, missing: &mut Vec<String>) -> bool {
        let value = ctx.get_lower(&self.key);
        if self.op == Op::Null {
            let absent = match value {
                None => true,
                Some(ContextValue::Strings(v)) => v.is_empty(),
                Some(_) => false,
            };
            return self
                .values
                .iter()
                .any(|v| matches!(v, Value::Bool(Some(b)) if *b == absent));
        }
        let Some(value) = value else {
            if !missing
                .iter()
                .any(|m| m.eq_ignore_ascii_case(&self.key_name))
            {
                missing.push(self.key_name.clone());
            }
            // AWS: IfExists and ForAllValues hold without the key; ForAnyValue does not;
            // a plain negated operator holds because nothing in the request matches.
            return match self.set {
                _ if self.if_exists => true,
                SetOp::ForAll => true,
                SetOp::ForAny => false,
                SetOp::Single => self.negated,
            };
        };
        let atoms = atoms(value);
        // Whether one context value matches at least one policy value, negation applied.
        let one = |a: &Atom| {
            let hit = self.values.iter().any(|v| self.matches(a, v, ctx));
            hit != self.negated
        };
        match self.set {
            SetOp::ForAll => atoms.iter().all(one),
            SetOp::ForAny => atoms.iter().any(one),
            SetOp::Single => {
                let hit = atoms
                    .iter()
                    .any(|a| self.values.iter().any(|v| self.matches(a, v, ctx)));
                hit != self.negated
            }
        }
    }

    /// The positive operator on one context value and one policy value.
    fn matches(&self, a: &Atom, v: &Value, ctx: &Context) -> bool {
        match (self.op, v) {
            (Op::StringEquals, Value::Text(t)) => {
                t.resolve_text(ctx).is_some_and(|p| *p == *a.text())
            }
            (Op::StringEqualsIgnoreCase, Value::Text(t)) => t
                .resolve_text(ctx)
                .is_some_and(|p| eq_ignore_case(&p, &a.text())),
            (Op::StringLike, Value::Like(t, compiled)) => match compiled {
                Some(w) => w.matches(&a.text()),
                None => t
                    .resolve_pieces(ctx)
                    .is_some_and(|p| Wildcard::from_pieces(p, false).matches(&a.text())),
            },
            (op, Value::Number(Some(p))) => a.number().is_some_and(|c| compare(op, c, *p)),
            (op, Value::Date(Some(p))) => a.date().is_some_and(|c| compare(op, c, *p)),
            (Op::Bool, Value::Bool(Some(p))) => a.boolean() == Some(*p),
            (Op::BinaryEquals, Value::Binary(p)) => {
                let text = a.text();
                let c = base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .unwrap_or_else(|_| text.as_bytes().to_vec());
                c == *p
            }
            // An IPv4-mapped IPv6 address is its IPv4 address (a dual-stack listener's IPv4
            // clients), so IPv4 ranges match it.
            (Op::IpAddress, Value::Ip(Some(net))) => a
                .text()
                .trim()
                .parse::<IpAddr>()
                .is_ok_and(|ip| net.contains(&ip.to_canonical())),
            (Op::Arn, Value::Arn(p)) => p.matches(&a.text(), ctx),
            _ => false,
        }
    }
}

fn compare(op: Op, c: f64, p: f64) -> bool {
    match op {
        Op::NumericEquals | Op::DateEquals => c == p,
        Op::NumericLessThan | Op::DateLessThan => c < p,
        Op::NumericLessThanEquals | Op::DateLessThanEquals => c <= p,
        Op::NumericGreaterThan | Op::DateGreaterThan => c > p,
        Op::NumericGreaterThanEquals | Op::DateGreaterThanEquals => c >= p,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(cond: serde_json::Value, ctx: &Context) -> bool {
        let block = ConditionBlock::parse(&cond, true).expect("valid condition");
        block.holds(ctx, &mut Vec::new())
    }

    fn ctx(pairs: &[(&str, ContextValue)]) -> Context {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.set(k, v.clone());
        }
        c
    }

    fn s(v: &str) -> ContextValue {
        ContextValue::String(v.into())
    }

    fn many(v: &[&str]) -> ContextValue {
        ContextValue::Strings(v.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn string_operators() {
        let c = ctx(&[("aws:RequestTag/env", s("Prod"))]);
        assert!(check(
            json!({"StringEquals": {"aws:RequestTag/env": "Prod"}}),
            &c
        ));
        assert!(!check(
            json!({"StringEquals": {"aws:RequestTag/env": "prod"}}),
            &c
        ));
        assert!(check(
            json!({"StringEqualsIgnoreCase": {"aws:RequestTag/env": "prod"}}),
            &c
        ));
        assert!(check(
            json!({"StringNotEquals": {"aws:RequestTag/env": ["dev", "test"]}}),
            &c
        ));
        assert!(!check(
            json!({"StringNotEquals": {"aws:RequestTag/env": ["Prod"]}}),
            &c
        ));
        assert!(check(
            json!({"StringNotEqualsIgnoreCase": {"aws:RequestTag/env": "dev"}}),
            &c
        ));
        assert!(check(
            json!({"StringLike": {"aws:RequestTag/env": "P*"}}),
            &c
        ));
        assert!(check(
            json!({"StringLike": {"aws:RequestTag/env": "Pro?"}}),
            &c
        ));
        assert!(!check(
            json!({"StringLike": {"aws:RequestTag/env": "p*"}}),
            &c
        ));
        assert!(check(
            json!({"StringNotLike": {"aws:RequestTag/env": "d*"}}),
            &c
        ));
        // StringEquals treats `*` literally.
        assert!(!check(
            json!({"StringEquals": {"aws:RequestTag/env": "*"}}),
            &c
        ));
    }

    #[test]
    fn key_names_are_case_insensitive_values_are_not() {
        let c = ctx(&[("aws:username", s("alice"))]);
        assert!(check(
            json!({"StringEquals": {"AWS:UserName": "alice"}}),
            &c
        ));
        assert!(!check(
            json!({"StringEquals": {"aws:username": "Alice"}}),
            &c
        ));
    }

    #[test]
    fn missing_keys() {
        let c = Context::new();
        assert!(!check(
            json!({"StringEquals": {"aws:RequestTag/env": "x"}}),
            &c
        ));
        assert!(check(
            json!({"StringNotEquals": {"aws:RequestTag/env": "x"}}),
            &c
        ));
        assert!(check(
            json!({"StringEqualsIfExists": {"aws:RequestTag/env": "x"}}),
            &c
        ));
        assert!(check(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "x"}}),
            &c
        ));
        assert!(!check(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}),
            &c
        ));
        let mut missing = Vec::new();
        let b = ConditionBlock::parse(&json!({"StringEquals": {"aws:RequestTag/env": "x"}}), true)
            .expect("valid");
        b.holds(&c, &mut missing);
        assert_eq!(missing, vec!["aws:RequestTag/env".to_string()]);
    }

    #[test]
    fn if_exists_still_checks_a_present_key() {
        let c = ctx(&[("ec2:InstanceType", s("t2.large"))]);
        assert!(!check(
            json!({"StringEqualsIfExists": {"ec2:InstanceType": "t2.micro"}}),
            &c
        ));
        assert!(check(
            json!({"StringEqualsIfExists": {"ec2:InstanceType": "t2.large"}}),
            &c
        ));
    }

    #[test]
    fn set_operators() {
        let c = ctx(&[("aws:TagKeys", many(&["env", "owner"]))]);
        assert!(check(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner", "x"]}}),
            &c
        ));
        assert!(!check(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}),
            &c
        ));
        assert!(check(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}),
            &c
        ));
        assert!(!check(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["x"]}}),
            &c
        ));
        assert!(check(
            json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["env"]}}),
            &c
        ));
        assert!(!check(
            json!({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["env"]}}),
            &c
        ));
        let empty = ctx(&[("aws:TagKeys", many(&[]))]);
        assert!(check(
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}),
            &empty
        ));
        assert!(!check(
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}),
            &empty
        ));
    }

    #[test]
    fn numeric_operators() {
        let c = ctx(&[("s3:max-keys", ContextValue::Number(10.0))]);
        assert!(check(json!({"NumericEquals": {"s3:max-keys": "10"}}), &c));
        assert!(check(json!({"NumericNotEquals": {"s3:max-keys": 11}}), &c));
        assert!(check(json!({"NumericLessThan": {"s3:max-keys": "11"}}), &c));
        assert!(!check(
            json!({"NumericLessThan": {"s3:max-keys": "10"}}),
            &c
        ));
        assert!(check(
            json!({"NumericLessThanEquals": {"s3:max-keys": "10"}}),
            &c
        ));
        assert!(check(
            json!({"NumericGreaterThan": {"s3:max-keys": "9.5"}}),
            &c
        ));
        assert!(check(
            json!({"NumericGreaterThanEquals": {"s3:max-keys": "10"}}),
            &c
        ));
        assert!(!check(
            json!({"NumericGreaterThanEquals": {"s3:max-keys": "x"}}),
            &c
        ));
        let text = ctx(&[("s3:max-keys", s("7"))]);
        assert!(check(
            json!({"NumericLessThan": {"s3:max-keys": "10"}}),
            &text
        ));
    }

    #[test]
    fn date_operators() {
        let c = ctx(&[("aws:CurrentTime", s("2024-06-01T12:00:00Z"))]);
        assert!(check(
            json!({"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}),
            &c
        ));
        assert!(check(
            json!({"DateLessThan": {"aws:CurrentTime": "2025-01-01"}}),
            &c
        ));
        assert!(!check(
            json!({"DateLessThan": {"aws:CurrentTime": "2024-06-01T12:00:00Z"}}),
            &c
        ));
        assert!(check(
            json!({"DateLessThanEquals": {"aws:CurrentTime": "2024-06-01T12:00:00Z"}}),
            &c
        ));
        assert!(check(
            json!({"DateGreaterThanEquals": {"aws:CurrentTime": "1717243200"}}),
            &c
        ));
        assert!(check(
            json!({"DateEquals": {"aws:CurrentTime": "2024-06-01T13:00:00+01:00"}}),
            &c
        ));
        assert!(check(
            json!({"DateNotEquals": {"aws:CurrentTime": "2024-06-02"}}),
            &c
        ));
        let epoch = ctx(&[("aws:EpochTime", ContextValue::Number(1717243200.0))]);
        assert!(check(
            json!({"DateEquals": {"aws:EpochTime": "2024-06-01T12:00:00Z"}}),
            &epoch
        ));
        assert_eq!(
            ConditionBlock::parse(
                &json!({"DateLessThan": {"aws:CurrentTime": "not a date"}}),
                true
            ),
            Err(ConditionError::Legacy)
        );
    }

    #[test]
    fn bool_binary_null() {
        let c = ctx(&[
            ("aws:SecureTransport", ContextValue::Bool(false)),
            ("x:bin", s("aGVsbG8=")),
        ]);
        assert!(check(json!({"Bool": {"aws:SecureTransport": "false"}}), &c));
        assert!(check(json!({"Bool": {"aws:SecureTransport": false}}), &c));
        assert!(!check(json!({"Bool": {"aws:SecureTransport": "true"}}), &c));
        assert!(check(json!({"BinaryEquals": {"x:bin": "aGVsbG8="}}), &c));
        assert!(!check(json!({"BinaryEquals": {"x:bin": "d29ybGQ="}}), &c));
        assert!(check(
            json!({"Null": {"aws:MultiFactorAuthPresent": "true"}}),
            &c
        ));
        assert!(!check(json!({"Null": {"aws:SecureTransport": "true"}}), &c));
        assert!(check(json!({"Null": {"aws:SecureTransport": "false"}}), &c));
    }

    #[test]
    fn ip_operators() {
        let c = ctx(&[("aws:SourceIp", s("203.0.113.7"))]);
        assert!(check(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            &c
        ));
        assert!(check(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.7"}}),
            &c
        ));
        assert!(!check(
            json!({"IpAddress": {"aws:SourceIp": "198.51.100.0/24"}}),
            &c
        ));
        assert!(check(
            json!({"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}}),
            &c
        ));
        let v6 = ctx(&[("aws:SourceIp", s("2001:db8::1"))]);
        assert!(check(
            json!({"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}),
            &v6
        ));
        assert!(!check(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            &v6
        ));
        // A dual-stack listener's IPv4 client: its IPv4-mapped address is the IPv4 one.
        let mapped = ctx(&[("aws:SourceIp", s("::ffff:203.0.113.7"))]);
        assert!(check(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            &mapped
        ));
        assert!(!check(
            json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            &mapped
        ));
    }

    #[test]
    fn arn_operators() {
        let c = ctx(&[(
            "aws:SourceArn",
            s("arn:aws:ivs:us-west-2:111122223333:channel/abc"),
        )]);
        assert!(check(
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:ivs:*:111122223333:channel/*"}}),
            &c
        ));
        assert!(check(
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:ivs:us-west-2:111122223333:channel/abc"}}),
            &c
        ));
        assert!(check(
            json!({"ArnNotEquals": {"aws:SourceArn": "arn:aws:ivs:us-west-2:111122223333:channel/x"}}),
            &c
        ));
        assert!(!check(
            json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:ivs:*"}}),
            &c
        ));
    }

    #[test]
    fn keys_and_and_values_or() {
        let c = ctx(&[("a:x", s("1")), ("a:y", s("2"))]);
        assert!(check(
            json!({"StringEquals": {"a:x": ["0", "1"], "a:y": "2"}}),
            &c
        ));
        assert!(!check(
            json!({"StringEquals": {"a:x": "1", "a:y": "3"}}),
            &c
        ));
        assert!(!check(
            json!({"StringEquals": {"a:x": "1"}, "StringLike": {"a:y": "9*"}}),
            &c
        ));
    }

    #[test]
    fn variables_in_values() {
        let c = ctx(&[
            ("aws:username", s("alice")),
            ("aws:RequestTag/owner", s("alice")),
        ]);
        assert!(check(
            json!({"StringEquals": {"aws:RequestTag/owner": "${aws:username}"}}),
            &c
        ));
        assert!(!check(
            json!({"StringEquals": {"aws:RequestTag/owner": "${aws:userid}"}}),
            &c
        ));
        let old = ConditionBlock::parse(
            &json!({"StringEquals": {"aws:RequestTag/owner": "${aws:username}"}}),
            false,
        )
        .expect("valid");
        assert!(!old.holds(&c, &mut Vec::new()));
    }

    #[test]
    fn unknown_operator_is_a_syntax_error() {
        assert_eq!(
            ConditionBlock::parse(&json!({"StringEqualz": {"a:b": "c"}}), true),
            Err(ConditionError::Syntax)
        );
        assert!(ConditionBlock::parse(&json!({"StringEqualz": {}}), true).is_ok());
    }
}
