//! Every operation of every served model, as an SDK would send it, signed by the root user:
//! the model's sample input, an empty input, and variants of the sample with members dropped
//! and values swapped for odd ones of the same JSON type. Each is answered — with the result,
//! a client error or an honest 501 for an operation not emulated — never with another 5xx or
//! a dropped connection. Every `Create…` operation's sample runs first, so that the operations
//! that name a resource as the samples do (MediaConvert's queues, presets and templates,
//! MediaPackage v2's groups, channels and endpoints, IAM's users, roles and policies) reach
//! a resource that exists; half the variants also carry, in members named like identifiers,
//! the ARNs, IDs and names those creations answered (IVS channels, MediaConnect flows, …).

use crate::common::RawResponse;
use crate::common::TestServer;
use protocol::sample::{encode_request, valid_input};
use protocol::{Model, Operation};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::SystemTime;

/// Variants of the sample input per operation.
const VARIANTS: u64 = 12;

/// A small deterministic generator (xorshift), so a failure names an input that repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize].clone()
    }
}

/// `v` with members dropped and values replaced by odd ones of the same JSON type.
fn vary(v: &Value, rng: &mut Rng) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, x) in map {
                if !rng.chance(20) {
                    out.insert(k.clone(), vary(x, rng));
                }
            }
            Value::Object(out)
        }
        Value::Array(_) if rng.chance(20) => json!([]),
        Value::Array(items) => {
            let mut out: Vec<Value> = items.iter().map(|x| vary(x, rng)).collect();
            if rng.chance(20) {
                out.extend(out.clone());
            }
            Value::Array(out)
        }
        Value::String(_) if rng.chance(40) => {
            let odd = [
                String::new(),
                "a".into(),
                "*".into(),
                "../..".into(),
                "ü€𝄞 \"\\".into(),
                "x".repeat(2049),
                "arn:aws:iam::000000000000:role/r".into(),
                "arn:aws:mediaconvert:us-west-2:000000000000:queues/Default".into(),
                "s3://bucket/key.mp4".into(),
                "https://example.com/a".into(),
                "2026-01-01T00:00:00Z".into(),
                "-1".into(),
            ];
            Value::String(rng.pick(&odd))
        }
        Value::Number(_) if rng.chance(40) => rng.pick(&[
            json!(0),
            json!(-1),
            json!(1),
            json!(2147483647),
            json!(-2147483648_i64),
            json!(9007199254740993_i64),
            json!(0.5),
            json!(1e300),
        ]),
        Value::Bool(b) if rng.chance(40) => Value::Bool(!b),
        other => other.clone(),
    }
}

/// Sends `input` to `op` as an SDK would, signed by the root user.
async fn send(
    server: &TestServer,
    service: &str,
    model: &Model,
    op: &Operation,
    input: &Value,
) -> RawResponse {
    let req = encode_request(model, op, input);
    let path = if req.query.is_empty() {
        req.path.clone()
    } else {
        format!("{}?{}", req.path, req.query)
    };
    let headers: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| {
            !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length")
        })
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    server
        .signed(
            &req.method,
            &path,
            &headers,
            &req.body,
            service,
            "test",
            "test",
            SystemTime::now(),
        )
        .await
}

/// Whether a member or answer key names a resource: `Arn`, `ChannelArn`, `FlowArn`, `Id`,
/// `Name`, `ResourceArn`, `channelGroupName`, …
fn names_a_resource(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["arn", "id", "name", "identifier"]
        .iter()
        .any(|end| key.ends_with(end))
}

/// Every string an answer gives under a key that names a resource, at any depth.
fn identifiers(v: &Value, into: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match x {
                    Value::String(s) if names_a_resource(k) && !s.is_empty() => {
                        into.push(s.clone())
                    }
                    _ => identifiers(x, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| identifiers(x, into)),
        _ => {}
    }
}

/// `v` with the strings of members named like identifiers replaced by `known` ones.
fn aim(v: &Value, known: &[String], rng: &mut Rng) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, x)| {
                    let x = match x {
                        Value::String(_) if names_a_resource(k) && !known.is_empty() => {
                            Value::String(rng.pick(known))
                        }
                        _ => aim(x, known, rng),
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|x| aim(x, known, rng)).collect()),
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_answers_sample_and_varied_inputs_without_a_5xx() {
    let server = TestServer::start().await;
    let registry = protocol::Registry::shared();
    let names: Vec<&str> = registry.signing_names().collect();
    let mut problems = Vec::new();
    let mut sent = 0;
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut check = |service: &str, op: &Operation, input: &Value, r: &RawResponse| {
        sent += 1;
        let honest_501 = r.status == 501 && r.text().contains("NotImplemented");
        if r.status == 0 || (r.status >= 500 && !honest_501) {
            problems.push(format!(
                "{service} {} {input} -> {} {}",
                op.name,
                r.status,
                r.text()
            ));
        }
    };
    // The creations first, and what they answered.
    let mut known: HashMap<&str, Vec<String>> = HashMap::new();
    for &name in &names {
        let model = registry.model(name).expect("a served model");
        for op in model
            .operations()
            .filter(|op| op.name.starts_with("Create"))
        {
            let input = valid_input(model, op);
            let r = send(&server, name, model, op, &input).await;
            check(name, op, &input, &r);
            if (200..300).contains(&r.status) {
                identifiers(&r.json(), known.entry(name).or_default());
            }
        }
    }
    for &name in &names {
        let model = registry.model(name).expect("a served model");
        let known = known.get(name).cloned().unwrap_or_default();
        for op in model.operations() {
            let sample = valid_input(model, op);
            let mut inputs = vec![sample.clone(), json!({}), aim(&sample, &known, &mut rng)];
            for i in 0..VARIANTS {
                let varied = vary(&sample, &mut rng);
                inputs.push(if i % 2 == 0 {
                    aim(&varied, &known, &mut rng)
                } else {
                    varied
                });
            }
            for input in inputs {
                let r = send(&server, name, model, op, &input).await;
                check(name, op, &input, &r);
            }
        }
    }
    assert!(sent > 5_000, "{sent} requests sent");
    assert!(
        problems.is_empty(),
        "{} of {sent}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
