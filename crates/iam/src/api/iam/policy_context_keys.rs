//! GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: the context keys a
//! simulation of the policies would need, as AWS lists them: the keys of every `Condition`
//! and the policy variables (`${aws:username}`) of `Resource`, `NotResource` and condition
//! values, in the order the documents name them, each once (keys compare case-insensitively).

use super::simulate::principal_policies;
use super::Call;
use crate::api::errors::invalid;
use crate::api::input;
use crate::doc::{Doc, DocKind};
use crate::store::State;
use serde_json::{json, Value};
use service::ServiceError;

/// `GetContextKeysForCustomPolicy`: the keys of `PolicyInputList`.
pub(crate) fn for_custom(c: &Call, _: &mut State) -> Result<Value, ServiceError> {
    let mut keys = Vec::new();
    for text in input::strings(c.input, "PolicyInputList") {
        collect(&mut keys, &checked(&text)?);
    }
    Ok(json!({ "ContextKeyNames": keys }))
}

/// `GetContextKeysForPrincipalPolicy`: the keys of the user's (and its groups'), group's or
/// role's policies, then of `PolicyInputList`.
pub(crate) fn for_principal(c: &Call, s: &mut State) -> Result<Value, ServiceError> {
    let arn = input::req(c.input, "PolicySourceArn")?;
    let resolved = principal_policies(c, s, arn)?;
    let mut keys = Vec::new();
    for (doc, _) in &resolved.identity {
        collect(&mut keys, &parsed(&doc.text));
    }
    for text in input::strings(c.input, "PolicyInputList") {
        collect(&mut keys, &checked(&text)?);
    }
    Ok(json!({ "ContextKeyNames": keys }))
}

/// A policy of the input, refused as AWS refuses it if it is not a valid identity policy.
fn checked(text: &str) -> Result<Value, ServiceError> {
    Doc::parse(text, DocKind::Identity).map_err(invalid)?;
    Ok(parsed(text))
}

/// A document already known to be valid, as JSON in its written order.
fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// Adds the keys `doc` names to `keys`, in document order, skipping those already there.
fn collect(keys: &mut Vec<String>, doc: &Value) {
    let statements = match doc.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut add = |key: &str| {
        if !keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            keys.push(key.to_string());
        }
    };
    for statement in statements {
        let Some(members) = statement.as_object() else {
            continue;
        };
        for (member, value) in members {
            match member.as_str() {
                "Resource" | "NotResource" => strings(value, &mut |t| variables(t, &mut add)),
                "Condition" => {
                    for operands in value.as_object().into_iter().flat_map(|m| m.values()) {
                        for (key, values) in operands.as_object().into_iter().flatten() {
                            add(key);
                            strings(values, &mut |t| variables(t, &mut add));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Calls `each` with every string of a string or a list of them.
fn strings(value: &Value, each: &mut dyn FnMut(&str)) {
    match value {
        Value::String(s) => each(s),
        Value::Array(list) => list.iter().filter_map(Value::as_str).for_each(each),
        _ => {}
    }
}

/// Calls `each` with the key of every policy variable in `text` (`${key}` or
/// `${key, 'default'}`), not the escapes `${*}`, `${?}` and `${$}`.
fn variables(text: &str, each: &mut dyn FnMut(&str)) {
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return;
        };
        let key = after[..end].split(',').next().unwrap_or_default().trim();
        if !matches!(key, "*" | "?" | "$" | "") {
            each(key);
        }
        rest = &after[end + 1..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(texts: &[&str]) -> Vec<String> {
        let mut keys = Vec::new();
        for t in texts {
            collect(&mut keys, &parsed(t));
        }
        keys
    }

    #[test]
    fn resource_variables_and_condition_keys_in_document_order() {
        // The AWS CLI reference's example.
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}"#;
        assert_eq!(keys_of(&[doc]), ["aws:username", "aws:CurrentTime"]);
    }

    #[test]
    fn each_key_once_escapes_and_defaults_understood() {
        let a = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::${aws:PrincipalTag/team, 'none'}/${*}"],
             "Condition":{"StringEquals":{"aws:RequestTag/env":"${aws:PrincipalTag/env}"},
                          "Bool":{"aws:SecureTransport":"true"}}},
            {"Effect":"Deny","Action":"*","Resource":"*",
             "Condition":{"IpAddress":{"AWS:SourceIp":"10.0.0.0/8"}}}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
             "Condition":{"IpAddress":{"aws:sourceip":"10.0.0.0/8"}, "StringLike":{"ivs:x":"${?}"}}}}"#;
        assert_eq!(
            keys_of(&[a, b]),
            [
                "aws:PrincipalTag/team",
                "aws:RequestTag/env",
                "aws:PrincipalTag/env",
                "aws:SecureTransport",
                "AWS:SourceIp",
                "ivs:x",
            ]
        );
    }

    #[test]
    fn a_policy_without_conditions_or_variables_has_none() {
        let doc = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        assert!(keys_of(&[doc]).is_empty());
    }
}
