//! For every operation of all seven models: a request built from the model routes to that
//! operation and validates, and dropping any one required member gets the modelled
//! validation error.

use protocol::sample::{encode_request, valid_input};
use protocol::shape::Location;
use protocol::Registry;

#[test]
fn every_operation_routes_and_validates() {
    let registry = Registry::embedded();
    let mut failures = Vec::new();
    let mut count = 0;
    for model in registry.models() {
        for op in model.operations() {
            count += 1;
            let input = valid_input(model, op);
            let req = encode_request(model, op, &input);
            match req.with(|r| model.parse_request(r).map(|(o, v)| (o.name.clone(), v))) {
                Ok((name, parsed)) => {
                    if name != op.name {
                        failures.push(format!(
                            "{}:{} routed to {name}",
                            model.signing_name(),
                            op.name
                        ));
                    }
                    for (k, v) in input.as_object().into_iter().flatten() {
                        if parsed.get(k) != Some(v) {
                            failures.push(format!(
                                "{}:{} member {k} came back as {:?}, sent {v}",
                                model.signing_name(),
                                op.name,
                                parsed.get(k)
                            ));
                        }
                    }
                }
                Err(e) => failures.push(format!(
                    "{}:{} -> {e} ({req:?})",
                    model.signing_name(),
                    op.name
                )),
            }
        }
    }
    assert_eq!(count, 46 + 96 + 34 + 19 + 30 + 180 + 11);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn dropping_a_required_member_is_the_modelled_validation_error() {
    let registry = Registry::embedded();
    let mut failures = Vec::new();
    let mut checked = 0;
    for model in registry.models() {
        for op in model.operations() {
            let Some(shape) = model.input_shape(op) else {
                continue;
            };
            let input = valid_input(model, op);
            for m in shape.members().iter().filter(|m| m.required) {
                // A missing label changes the path itself; a missing token is filled in.
                if m.location == Location::Uri || m.idempotency_token {
                    continue;
                }
                checked += 1;
                let mut partial = input.clone();
                if let Some(obj) = partial.as_object_mut() {
                    obj.remove(&m.name);
                }
                let req = encode_request(model, op, &partial);
                match req.with(|r| model.parse_request(r).map(|(o, _)| o.name.clone())) {
                    // Coral's words, or (MediaConvert) its schema validator's.
                    Err(e)
                        if e.code == model.validation_error_code()
                            && (e.message.contains("Member must not be null")
                                || e.message.ends_with(&format!(
                                    ": {} is a required property",
                                    lower_first(&m.name)
                                ))) => {}
                    other => failures.push(format!(
                        "{}:{} without {}: {other:?}",
                        model.signing_name(),
                        op.name,
                        m.name
                    )),
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} required members checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Name` as a path names it: `name`.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
