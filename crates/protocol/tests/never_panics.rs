//! Arbitrary requests never panic `parse_request`, for any model.

use proptest::prelude::*;
use protocol::{HttpRequest, Registry};
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GET".to_string()),
        Just("POST".to_string()),
        Just("PUT".to_string()),
        Just("DELETE".to_string()),
        Just("PATCH".to_string()),
        "[A-Z]{0,8}",
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/".to_string()),
        Just("/CreateChannel".to_string()),
        Just("/v1/flows/arn%3Aaws%3Amediaconnect%3Aus-east-1%3A1%3Aflow%3Ax".to_string()),
        Just("/2017-08-29/jobs".to_string()),
        Just("/channelGroup/g/channel/c/originEndpoint/e".to_string()),
        "(/[a-zA-Z0-9%:._~-]{0,12}){0,6}",
        ".{0,40}",
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        "([a-zA-Z.0-9]{1,12}=[^&]{0,12}&?){0,6}",
        Just("Action=CreateUser&Version=2010-05-08&UserName=a&Tags.member.1.Key=k".to_string()),
        Just("Action=ListUsers&MaxItems=x".to_string()),
        ".{0,60}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        Just(br#"{"name":"x","type":"BASIC","tags":{"a":"b"}}"#.to_vec()),
        Just(b"Action=CreateUser&UserName=alice&Tags.member.99999.Key=k".to_vec()),
        "\\{(\"[a-zA-Z]{1,10}\":(\\d{1,3}|\"[^\"]{0,8}\"|\\[\\]|\\{\\}|null|true),?){0,6}\\}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #[test]
    fn fuzz_parse_request_never_panics(method in method(), path in path(), query in query(), body in body(), form in any::<bool>()) {
        let headers: Vec<(&str, &[u8])> = if form {
            vec![("content-type", b"application/x-www-form-urlencoded".as_slice())]
        } else {
            vec![("content-type", b"application/json".as_slice()), ("x-amzn-client-token", b"t".as_slice())]
        };
        let req = HttpRequest { method: &method, path: &path, query: &query, headers: &headers, body: &body };
        for model in registry().models() {
            match model.parse_request(&req) {
                Ok((op, input)) => {
                    prop_assert!(input.is_object());
                    // Serializing whatever came in as output must not panic either.
                    let _ = model.serialize_output(op, &input, "rid");
                }
                Err(e) => {
                    let r = model.serialize_error(&e, "rid");
                    prop_assert!((400..600).contains(&r.status));
                }
            }
        }
        let _ = registry().guess_service(&req);
    }
}
