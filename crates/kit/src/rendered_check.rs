//! The check every test of a service's rendered answers makes: the server's path answers
//! exactly what the value path answers.

use serde_json::Value;
use service::{Output, RequestContext, Service};

/// `operation`'s answer to `input` as the server makes it ([`Service::handle_output`]),
/// checked against the value path's ([`Service::handle`]): the same status, headers and body
/// byte for byte, from an output `rendered` accepts (it took the seam under test). Returns the
/// body's text, or the error code when both paths fail with the same error; panics where
/// they disagree (it is for tests).
pub fn rendered_as_plain(
    service: &dyn Service,
    ctx: &RequestContext,
    operation: &str,
    input: Value,
    rendered: impl Fn(&Output) -> bool,
) -> Result<String, String> {
    let model = protocol::Registry::shared()
        .model(service.signing_name())
        .expect("the service's model");
    let op = model
        .operation(operation)
        .expect("an operation of the model");
    let plain = service.handle(ctx, operation, input.clone());
    match (plain, service.handle_output(ctx, operation, input)) {
        (Ok(plain), Ok(output)) => {
            assert!(
                rendered(&output),
                "{operation}: the server's path renders the answer"
            );
            let answer = model.serialize_rendered(op, output, "r");
            assert_eq!(
                answer,
                model.serialize_output(op, &plain, "r"),
                "{operation}"
            );
            Ok(String::from_utf8(answer.body).expect("a JSON body"))
        }
        (Err(a), Err(b)) => {
            assert_eq!((&a.code, &a.message), (&b.code, &b.message));
            Err(a.code)
        }
        (a, b) => panic!("{operation}: the paths disagree: {a:?} / {b:?}"),
    }
}
