//! Example requests built from the model alone: a valid input for any operation (required
//! members filled with values that satisfy their constraints) and a client-side encoder that
//! puts any input on the wire the way an SDK would. Conformance tests and benchmarks use it.

use crate::convert::{to_json, to_text};
use crate::http::HttpRequest;
use crate::model::{Model, Operation, Protocol};
use crate::route::{Segment, Template};
use crate::shape::{Location, Shape, ShapeId, ShapeKind};
use crate::timestamp::TimestampFormat;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

/// Characters SDKs leave unencoded (RFC 3986 unreserved).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn enc(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// An owned HTTP request, for building [`HttpRequest`]s in tests and benchmarks.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedRequest {
    /// The method.
    pub method: String,
    /// The raw, percent-encoded path.
    pub path: String,
    /// The raw query string without `?`.
    pub query: String,
    /// Headers.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl OwnedRequest {
    /// Runs `f` with a borrowed view of this request.
    pub fn with<R>(&self, f: impl FnOnce(&HttpRequest) -> R) -> R {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        f(&HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
    }
}

/// A valid input for `op`: every required member (recursively) with a value that satisfies
/// its constraints.
pub fn valid_input(model: &Model, op: &Operation) -> Value {
    match op.input {
        Some(id) => value_for(model, id, 0),
        None => Value::Object(Map::new()),
    }
}

/// A valid value of shape `id` as a member of an input (a structure with nothing required
/// sets its first member).
pub fn valid_value(model: &Model, id: ShapeId) -> Value {
    value_for(model, id, 1)
}

fn value_for(model: &Model, id: ShapeId, depth: usize) -> Value {
    let shape = model.shape(id);
    match &shape.kind {
        ShapeKind::Structure { members, .. } => {
            let mut out = Map::new();
            if depth < 12 {
                for m in members.iter().filter(|m| m.required) {
                    out.insert(m.name.clone(), value_for(model, m.shape, depth + 1));
                }
                // A nested structure with nothing required still needs a member to exist on
                // the query wire (an empty one sends no parameters at all).
                if out.is_empty() && depth > 0 {
                    if let Some(m) = members.first() {
                        out.insert(m.name.clone(), value_for(model, m.shape, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        ShapeKind::List { member, .. } => {
            let n = shape.min.unwrap_or(0.0).max(1.0) as usize;
            Value::Array(
                (0..n)
                    .map(|_| value_for(model, *member, depth + 1))
                    .collect(),
            )
        }
        ShapeKind::Map { key, value, .. } => {
            let mut out = Map::new();
            if let Value::String(k) = value_for(model, *key, depth + 1) {
                out.insert(k, value_for(model, *value, depth + 1));
            }
            Value::Object(out)
        }
        ShapeKind::String {
            enum_values: Some(values),
        } => Value::String(values.first().cloned().unwrap_or_default()),
        ShapeKind::String { enum_values: None } => Value::String(sample_string(shape)),
        ShapeKind::Integer | ShapeKind::Long => Value::from(clamp(shape, 1.0) as i64),
        ShapeKind::Float | ShapeKind::Double => serde_json::Number::from_f64(clamp(shape, 1.0))
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ShapeKind::Boolean => Value::Bool(true),
        ShapeKind::Timestamp => Value::from(1_700_000_000i64),
        ShapeKind::Blob => {
            let n = shape.min.unwrap_or(1.0).max(1.0) as usize;
            Value::String(STANDARD.encode(vec![b'x'; n]))
        }
    }
}

fn clamp(shape: &Shape, preferred: f64) -> f64 {
    let mut v = preferred;
    if let Some(min) = shape.min {
        v = v.max(min);
    }
    if let Some(max) = shape.max {
        v = v.min(max);
    }
    v
}

/// Candidate strings for patterned members, tried in order until one fits.
const CANDIDATES: &[&str] = &[
    "arn:aws:ivs:us-east-1:123456789012:channel/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:stream-key/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:playback-key/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:playback-restriction-policy/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:recording-configuration/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:ad-configuration/abcdEFGH1234",
    "arn:aws:ivs:us-east-1:123456789012:failover-slate-configuration/abcdEFGH1234",
    "arn:aws:mediatailor:us-east-1:123456789012:playbackConfiguration/abc",
    "10.0.0.0/24",
    "arn:aws:mediaconnect:us-east-1:123456789012:flow:1-abcdefghijkl-abcdefghijkl:Flow1",
    "arn:aws:mediaconnect:us-east-1:123456789012:routerInput:abcdefghijkl",
    "arn:aws:mediaconnect:us-east-1:123456789012:routerOutput:abcdefghijkl",
    "arn:aws:mediaconnect:us-east-1:123456789012:routerNetworkInterface:abcdefghijkl",
    "arn:aws:mediaconnect:us-east-1:123456789012:sourceEndpoint:abcdefghijkl",
    "arn:aws:mediaconnect:us-east-1:123456789012:destinationEndpoint:abcdefghijkl",
    "arn:aws:mediaconnect:us-east-1:123456789012:bridge:1-abcdefghijkl:Bridge1",
    "arn:aws:mediaconnect:us-east-1:123456789012:gateway:1-abcdefghijkl:Gateway1",
    "arn:aws:mediaconnect:us-east-1:123456789012:gateway:1-abcdefghijkl:Gateway1:instance:i1",
    "arn:aws:mediaconnect:us-east-1:123456789012:output:1-abcdefghijkl:Output1",
    "arn:aws:mediaconnect:us-east-1:123456789012:source:1-abcdefghijkl:Source1",
    "arn:aws:mediaconnect:us-east-1:123456789012:entitlement:1-abcdefghijkl:Entitlement1",
    "arn:aws:iam::123456789012:role/MediaRole",
    "arn:aws:iam::123456789012:policy/Policy1",
    "arn:aws:iam::123456789012:user/alice",
    "arn:aws:iam::123456789012:mfa/alice",
    "arn:aws:iam::123456789012:oidc-provider/example.com",
    "arn:aws:iam::123456789012:saml-provider/Example",
    "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbCdEf",
    "s3://bucket/key.mov",
    "https://example.com/index",
    "123456789012",
    "/",
    "{\"Version\":\"2012-10-17\"}",
    "o-abcdefghij",
    "o-abcdefghij/r-abcd",
    "p-abcdefgh",
    "st-abcdef",
    "v1",
];

fn sample_string(shape: &Shape) -> String {
    let min = shape.min.unwrap_or(0.0).max(1.0) as usize;
    let max = shape.max.map(|m| m as usize).unwrap_or(usize::MAX);
    let fits = |s: &str| {
        let n = s.chars().count();
        n >= min
            && n <= max
            && shape
                .pattern
                .as_ref()
                .and_then(|p| p.matcher())
                .is_none_or(|re| re.is_match(s))
    };
    for unit in ["a", "A", "1", "a1"] {
        let s = unit.repeat(min.div_ceil(unit.len()));
        if fits(&s) {
            return s;
        }
    }
    for c in CANDIDATES {
        if fits(c) {
            return (*c).to_string();
        }
    }
    "a".repeat(min)
}

/// Encodes `input` (member names) as an SDK would send it for `op`.
pub fn encode_request(model: &Model, op: &Operation, input: &Value) -> OwnedRequest {
    match model.protocol() {
        Protocol::RestJson => encode_rest_json(model, op, input),
        Protocol::Query => encode_query(model, op, input),
    }
}

fn encode_rest_json(model: &Model, op: &Operation, input: &Value) -> OwnedRequest {
    let template = Template::parse(&op.uri);
    let empty = Map::new();
    let obj = input.as_object().unwrap_or(&empty);
    let members = op.input.map(|id| model.shape(id).members()).unwrap_or(&[]);
    let label = |name: &str, greedy: bool| -> String {
        let m = members
            .iter()
            .find(|m| m.wire_name == name && m.location == Location::Uri);
        let text = m
            .and_then(|m| {
                obj.get(&m.name)
                    .map(|v| to_text(model, m.shape, v, None, TimestampFormat::Iso8601))
            })
            .unwrap_or_default();
        if greedy {
            text.split('/').map(enc).collect::<Vec<_>>().join("/")
        } else {
            enc(&text)
        }
    };
    let mut path = String::new();
    for seg in &template.segments {
        path.push('/');
        match seg {
            Segment::Literal(l) => path.push_str(l),
            Segment::Label(n) => path.push_str(&label(n, false)),
            Segment::Greedy(n) => path.push_str(&label(n, true)),
        }
    }
    if path.is_empty()
        || op
            .uri
            .split('?')
            .next()
            .is_some_and(|p| p.ends_with('/') && p.len() > 1)
    {
        path.push('/');
    }
    let mut query: Vec<String> = template
        .query
        .iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{}={}", enc(k), enc(v)),
            None => enc(k),
        })
        .collect();
    let mut headers = vec![("Content-Type".to_string(), b"application/json".to_vec())];
    let mut body = Map::new();
    for m in members {
        let Some(v) = obj.get(&m.name).filter(|v| !v.is_null()) else {
            continue;
        };
        match m.location {
            Location::QueryString => match (&model.shape(m.shape).kind, v) {
                (ShapeKind::List { member, .. }, Value::Array(items)) => {
                    for i in items {
                        let t = to_text(model, *member, i, None, TimestampFormat::Iso8601);
                        query.push(format!("{}={}", enc(&m.wire_name), enc(&t)));
                    }
                }
                (ShapeKind::Map { .. }, Value::Object(map)) => {
                    for (k, x) in map {
                        query.push(format!("{}={}", enc(k), enc(&crate::convert::text_of(x))));
                    }
                }
                _ => {
                    let t = to_text(
                        model,
                        m.shape,
                        v,
                        m.timestamp_format,
                        TimestampFormat::Iso8601,
                    );
                    query.push(format!("{}={}", enc(&m.wire_name), enc(&t)));
                }
            },
            Location::Header => {
                let t = if m.jsonvalue {
                    STANDARD.encode(v.to_string())
                } else {
                    to_text(
                        model,
                        m.shape,
                        v,
                        m.timestamp_format,
                        TimestampFormat::Rfc822,
                    )
                };
                headers.push((m.wire_name.clone(), t.into_bytes()));
            }
            Location::Headers => {
                if let Value::Object(map) = v {
                    for (k, x) in map {
                        headers.push((
                            format!("{}{k}", m.wire_name),
                            crate::convert::text_of(x).into_bytes(),
                        ));
                    }
                }
            }
            Location::Body => {
                body.insert(m.name.clone(), v.clone());
            }
            Location::Uri | Location::StatusCode => {}
        }
    }
    let body = match op.input {
        Some(id) if !body.is_empty() => to_json(model, id, &Value::Object(body), None)
            .to_string()
            .into_bytes(),
        _ => Vec::new(),
    };
    OwnedRequest {
        method: op.method.clone(),
        path,
        query: query.join("&"),
        headers,
        body,
    }
}

fn encode_query(model: &Model, op: &Operation, input: &Value) -> OwnedRequest {
    let mut pairs = vec![
        ("Action".to_string(), op.name.clone()),
        ("Version".to_string(), model.api_version().to_string()),
    ];
    if let Some(id) = op.input {
        flatten(model, id, "", input, false, &mut pairs);
    }
    let body: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    OwnedRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers: vec![(
            "Content-Type".into(),
            b"application/x-www-form-urlencoded; charset=utf-8".to_vec(),
        )],
        body: body.join("&").into_bytes(),
    }
}

fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn flatten(
    model: &Model,
    id: ShapeId,
    prefix: &str,
    v: &Value,
    flattened: bool,
    out: &mut Vec<(String, String)>,
) {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (ShapeKind::Structure { members, .. }, Value::Object(obj)) => {
            for m in members {
                if let Some(x) = obj.get(&m.name).filter(|x| !x.is_null()) {
                    flatten(
                        model,
                        m.shape,
                        &key(prefix, &m.wire_name),
                        x,
                        m.flattened,
                        out,
                    );
                }
            }
        }
        (
            ShapeKind::List {
                member,
                member_name,
                flattened: flat,
            },
            Value::Array(items),
        ) => {
            if items.is_empty() {
                out.push((prefix.to_string(), String::new()));
            }
            let base = if flattened || *flat {
                prefix.to_string()
            } else {
                key(prefix, member_name)
            };
            for (i, item) in items.iter().enumerate() {
                flatten(
                    model,
                    *member,
                    &key(&base, &(i + 1).to_string()),
                    item,
                    false,
                    out,
                );
            }
        }
        (
            ShapeKind::Map {
                value,
                key_name,
                value_name,
                flattened: flat,
                ..
            },
            Value::Object(map),
        ) => {
            let base = if flattened || *flat {
                prefix.to_string()
            } else {
                key(prefix, "entry")
            };
            for (i, (k, x)) in map.iter().enumerate() {
                let entry = key(&base, &(i + 1).to_string());
                out.push((key(&entry, key_name), k.clone()));
                flatten(model, *value, &key(&entry, value_name), x, false, out);
            }
        }
        _ => out.push((
            prefix.to_string(),
            to_text(model, id, v, None, TimestampFormat::Iso8601),
        )),
    }
}
