//! Fuzz target for request parsing, operation by operation: for every model (rest-json and
//! query), requests aimed at a real operation (its method and URI template with arbitrary
//! labels, or its `Action`) with arbitrary members parse or fail with a 4xx error — never a
//! panic, never a 5xx. Cases: `PROPTEST_CASES` (`make fuzz` runs many).

use proptest::prelude::*;
use protocol::{HttpRequest, Model, Operation, Protocol, Registry};
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fn pick(at: usize) -> (&'static Model, &'static Operation) {
    let all: Vec<(&Model, &Operation)> = registry()
        .models()
        .flat_map(|m| m.operations().map(move |o| (m, o)))
        .collect();
    all[at % all.len()]
}

/// The URI template with every `{label}` filled from `labels`.
fn fill(template: &str, labels: &[String]) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut n = 0;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        out.push_str(labels.get(n).map_or("x", String::as_str));
        n += 1;
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_-]{0,12}",
        Just("arn%3Aaws%3Aivs%3Aus-east-1%3A111122223333%3Achannel%2Fabc".to_string()),
        Just("%".to_string()),
        Just("%ZZ".to_string()),
        Just("..".to_string()),
        "[^/?#]{0,10}",
    ]
}

fn member_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        Just("true".to_string()),
        Just("2024-01-01T00:00:00Z".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"s\"".to_string()),
        "[a-zA-Z0-9 %&=]{0,10}",
    ]
}

fn json_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(("[a-zA-Z]{1,12}", member_value()), 0..5).prop_map(|kv| {
            let fields: Vec<String> = kv
                .into_iter()
                .map(|(k, v)| {
                    let v = if serde_json::from_str::<serde_json::Value>(&v).is_ok() {
                        v
                    } else {
                        format!("{v:?}")
                    };
                    format!("\"{k}\":{v}")
                })
                .collect();
            format!("{{{}}}", fields.join(",")).into_bytes()
        }),
        proptest::collection::vec(any::<u8>(), 0..64),
    ]
}

fn form_pairs() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            prop_oneof![
                "[A-Z][a-zA-Z]{0,12}",
                "[A-Z][a-zA-Z]{0,8}\\.member\\.[0-9]{1,6}",
                "[A-Z][a-zA-Z]{0,8}\\.member\\.[0-9]{1,3}\\.(Key|Value)",
                "[A-Z][a-zA-Z]{0,8}\\.entry\\.[0-9]\\.(key|value)",
            ],
            member_value(),
        ),
        0..6,
    )
    .prop_map(|kv| {
        kv.into_iter()
            .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
            .collect::<Vec<_>>()
            .join("&")
    })
}

proptest! {
    #[test]
    fn fuzz_every_operation_parses_or_fails_with_4xx(
        at in any::<usize>(),
        labels in proptest::collection::vec(fragment(), 0..4),
        query in prop_oneof!["([a-zA-Z]{1,10}=[a-zA-Z0-9%]{0,8}&?){0,4}", Just(String::new())],
        body in json_body(),
        form in form_pairs(),
        in_query in any::<bool>(),
    ) {
        let (model, op) = pick(at);
        let (method, path, query, body, content_type) = match model.protocol() {
            Protocol::RestJson => (
                op.http_method().to_string(),
                fill(op.request_uri().split('?').next().unwrap_or("/"), &labels),
                query,
                body,
                "application/json",
            ),
            Protocol::Query => {
                let action = format!("Action={}&Version={}&{form}", op.name, model.api_version());
                if in_query {
                    ("GET".to_string(), "/".to_string(), action, Vec::new(), "application/x-www-form-urlencoded")
                } else {
                    ("POST".to_string(), "/".to_string(), String::new(), action.into_bytes(), "application/x-www-form-urlencoded")
                }
            }
        };
        let headers: Vec<(&str, &[u8])> = vec![("content-type", content_type.as_bytes())];
        let req = HttpRequest { method: &method, path: &path, query: &query, headers: &headers, body: &body };
        match model.parse_request(&req) {
            Ok((parsed, input)) => {
                prop_assert!(input.is_object());
                let _ = model.serialize_output(parsed, &input, "rid");
            }
            Err(e) => {
                let r = model.serialize_error(&e, "rid");
                prop_assert!((400..500).contains(&r.status), "{} {}: {} {:?}", model.signing_name(), op.name, r.status, e);
            }
        }
    }
}
