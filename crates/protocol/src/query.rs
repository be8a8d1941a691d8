//! The query protocol (IAM, STS): `Action=…&Version=…` forms in, XML out.

use crate::convert::{from_text, Mismatch};
use crate::http::{parse_pairs, HttpRequest, HttpResponse};
use crate::model::{Model, Operation};
use crate::rest_json::{fill_idempotency_tokens, is_message_member};
use crate::shape::{ShapeId, ShapeKind};
use crate::timestamp::TimestampFormat;
use crate::validate::{self, path_name};
use crate::xml::XmlWriter;
use serde_json::{Map, Value};
use service::ServiceError;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The request's parameters: query string first, then a POST's form body (which wins). A GET
/// takes its parameters from the query string only: a body on a presigned GET is not covered
/// by what the signer meant, so it must never choose the action.
pub(crate) fn params(req: &HttpRequest) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = parse_pairs(req.query, true).into_iter().collect();
    let form = req.method.eq_ignore_ascii_case("POST")
        && (req.is_form() || (req.header("content-type").is_none() && !req.body.is_empty()));
    if form {
        let body = String::from_utf8_lossy(req.body);
        out.extend(parse_pairs(&body, true));
    }
    out
}

/// Routes by `Action` (and `Version`, when given).
pub(crate) fn route<'m>(model: &'m Model, req: &HttpRequest) -> Option<&'m Operation> {
    let p = params(req);
    if p.get("Version").is_some_and(|v| v != model.api_version()) {
        return None;
    }
    model.operation(p.get("Action")?)
}

fn invalid_action(action: &str, version: &str) -> ServiceError {
    ServiceError::new(
        "InvalidAction",
        format!("Could not find operation {action} for version {version}"),
    )
    .with_status(400)
}

pub(crate) fn parse_request<'m>(
    model: &'m Model,
    req: &HttpRequest,
) -> Result<(&'m Operation, Value), ServiceError> {
    let p = params(req);
    let version = p
        .get("Version")
        .map(String::as_str)
        .unwrap_or(model.api_version());
    let Some(action) = p.get("Action") else {
        return Err(ServiceError::new("MissingAction", "Missing Action").with_status(400));
    };
    if version != model.api_version() {
        return Err(invalid_action(action, version));
    }
    let op = model
        .operation(action)
        .ok_or_else(|| invalid_action(action, version))?;
    let Some(input_id) = op.input else {
        return Ok((op, Value::Object(Map::new())));
    };
    let value = read(model, input_id, "", &p, false).map_err(|m| model.serialization_error(m.0))?;
    let mut input = match value {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    fill_idempotency_tokens(op, &mut input);
    let input = Value::Object(input);
    let mut issues = Vec::new();
    validate::validate(model, input_id, &input, &validate::Path::Root, &mut issues);
    if issues.is_empty() {
        Ok((op, input))
    } else {
        Err(validate::to_error(model, &issues))
    }
}

/// Whether any parameter is `key` itself or nested under it.
fn present(p: &BTreeMap<String, String>, key: &str) -> bool {
    if p.contains_key(key) {
        return true;
    }
    let prefix = format!("{key}.");
    p.range(prefix.clone()..)
        .next()
        .is_some_and(|(k, _)| k.starts_with(&prefix))
}

fn child(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Reads the value of shape `id` at parameter `key` (`""` for the top-level structure).
fn read(
    model: &Model,
    id: ShapeId,
    key: &str,
    p: &BTreeMap<String, String>,
    flattened: bool,
) -> Result<Option<Value>, Mismatch> {
    let shape = model.shape(id);
    match &shape.kind {
        ShapeKind::Structure { members, .. } => {
            if !key.is_empty() && !present(p, key) {
                return Ok(None);
            }
            let mut out = Map::new();
            for m in members {
                if let Some(v) = read(model, m.shape, &child(key, &m.wire_name), p, m.flattened)? {
                    out.insert(m.name.clone(), v);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        ShapeKind::List {
            member,
            member_name,
            flattened: shape_flat,
        } => {
            if p.get(key).is_some_and(|v| v.is_empty()) && !present(p, &format!("{key}.1")) {
                // `Tags=` is how SDKs send an empty list.
                return Ok(Some(Value::Array(Vec::new())));
            }
            let base = if flattened || *shape_flat {
                key.to_string()
            } else {
                child(key, member_name)
            };
            let mut items = Vec::new();
            for n in 1.. {
                let k = child(&base, &n.to_string());
                if !present(p, &k) {
                    break;
                }
                if let Some(v) = read(model, *member, &k, p, false)? {
                    items.push(v);
                }
            }
            Ok((!items.is_empty()).then_some(Value::Array(items)))
        }
        ShapeKind::Map {
            key: kid,
            value,
            key_name,
            value_name,
            flattened: shape_flat,
        } => {
            let base = if flattened || *shape_flat {
                key.to_string()
            } else {
                child(key, "entry")
            };
            let mut out = Map::new();
            for n in 1.. {
                let entry = child(&base, &n.to_string());
                if !present(p, &entry) {
                    break;
                }
                let k = read(model, *kid, &child(&entry, key_name), p, false)?;
                let v = read(model, *value, &child(&entry, value_name), p, false)?;
                if let Some(Value::String(k)) = k {
                    out.insert(k, v.unwrap_or(Value::Null));
                }
            }
            Ok((!out.is_empty()).then_some(Value::Object(out)))
        }
        _ => match p.get(key) {
            Some(text) => from_text(model, id, text, &path_name(key)).map(Some),
            None => Ok(None),
        },
    }
}

fn xml_response(status: u16, body: String, request_id: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![
            (Cow::Borrowed("Content-Type"), Cow::Borrowed("text/xml")),
            (
                Cow::Borrowed("x-amzn-RequestId"),
                Cow::Owned(request_id.to_string()),
            ),
        ],
        body: body.into_bytes(),
    }
}

pub(crate) fn serialize_output(
    model: &Model,
    op: &Operation,
    output: &Value,
    request_id: &str,
) -> HttpResponse {
    let mut w = XmlWriter::default();
    let root = format!("{}Response", op.name);
    w.open_ns(&root, model.xml_namespace());
    if let Some(out_id) = op.output {
        let wrapper = op
            .result_wrapper
            .clone()
            .unwrap_or_else(|| format!("{}Result", op.name));
        w.open(&wrapper);
        write_members(model, out_id, output, &mut w);
        w.close(&wrapper);
    }
    w.open("ResponseMetadata");
    w.leaf("RequestId", request_id);
    w.close("ResponseMetadata");
    w.close(&root);
    xml_response(op.response_code, w.finish(), request_id)
}

/// The same answer as JSON, for a client that asks for it with `Accept: application/json`
/// (EKS's aws-iam-authenticator reads STS GetCallerIdentity so):
/// `{"OpResponse": {"OpResult": {…}, "ResponseMetadata": {"RequestId": …}}}`, members by their
/// wire names, lists as arrays, timestamps as epoch seconds.
pub(crate) fn serialize_output_json(
    model: &Model,
    op: &Operation,
    output: &Value,
    request_id: &str,
) -> HttpResponse {
    let mut response = Map::new();
    if let Some(out_id) = op.output {
        let wrapper = op
            .result_wrapper
            .clone()
            .unwrap_or_else(|| format!("{}Result", op.name));
        response.insert(
            wrapper,
            crate::convert::to_json(model, out_id, output, None),
        );
    }
    let mut metadata = Map::new();
    metadata.insert("RequestId".into(), Value::from(request_id));
    response.insert("ResponseMetadata".into(), Value::Object(metadata));
    let mut root = Map::new();
    root.insert(format!("{}Response", op.name), Value::Object(response));
    HttpResponse {
        status: op.response_code,
        headers: vec![
            (
                Cow::Borrowed("Content-Type"),
                Cow::Borrowed("application/json"),
            ),
            (
                Cow::Borrowed("x-amzn-RequestId"),
                Cow::Owned(request_id.to_string()),
            ),
        ],
        body: serde_json::to_vec(&Value::Object(root)).unwrap_or_default(),
    }
}

fn write_members(model: &Model, id: ShapeId, v: &Value, w: &mut XmlWriter) {
    let Value::Object(obj) = v else { return };
    for m in model.shape(id).members() {
        if let Some(x) = obj.get(&m.name).filter(|x| !x.is_null()) {
            write_value(
                model,
                m.shape,
                &m.wire_name,
                x,
                m.flattened,
                m.timestamp_format,
                w,
            );
        }
    }
}

fn write_value(
    model: &Model,
    id: ShapeId,
    name: &str,
    v: &Value,
    flattened: bool,
    fmt: Option<TimestampFormat>,
    w: &mut XmlWriter,
) {
    let shape = model.shape(id);
    match (&shape.kind, v) {
        (ShapeKind::Structure { .. }, _) => {
            w.open(name);
            write_members(model, id, v, w);
            w.close(name);
        }
        (
            ShapeKind::List {
                member,
                member_name,
                flattened: flat,
            },
            Value::Array(items),
        ) => {
            if flattened || *flat {
                for item in items {
                    write_value(model, *member, name, item, false, None, w);
                }
            } else {
                w.open(name);
                for item in items {
                    write_value(model, *member, member_name, item, false, None, w);
                }
                w.close(name);
            }
        }
        (
            ShapeKind::Map {
                value,
                key_name,
                value_name,
                ..
            },
            Value::Object(map),
        ) => {
            w.open(name);
            for (k, x) in map {
                w.open("entry");
                w.leaf(key_name, k);
                write_value(model, *value, value_name, x, false, None, w);
                w.close("entry");
            }
            w.close(name);
        }
        _ => {
            let text = crate::convert::to_text(model, id, v, fmt, TimestampFormat::Iso8601);
            w.leaf(name, &text);
        }
    }
}

pub(crate) fn serialize_error(model: &Model, err: &ServiceError, request_id: &str) -> HttpResponse {
    let shape = model.error_shape(&err.code);
    let (status, code, sender) = match shape.and_then(|s| s.error.as_ref()) {
        Some(info) => (info.status, info.code.clone(), info.sender_fault),
        None => (
            err.status.unwrap_or(400),
            err.code.clone(),
            err.sender_fault,
        ),
    };
    let mut w = XmlWriter::default();
    w.open_ns("ErrorResponse", model.xml_namespace());
    w.open("Error");
    w.leaf("Type", if sender { "Sender" } else { "Receiver" });
    w.leaf("Code", &code);
    // An error AWS answers without words (IAM's ReportNotPresent) has no Message element.
    if !err.message.is_empty() {
        w.leaf("Message", &err.message);
    }
    if let Some(shape) = shape {
        for m in shape.members().iter().filter(|m| !is_message_member(m)) {
            if let Some(v) = err.fields.get(&m.name) {
                write_value(
                    model,
                    m.shape,
                    &m.wire_name,
                    v,
                    m.flattened,
                    m.timestamp_format,
                    &mut w,
                );
            }
        }
    }
    w.close("Error");
    w.leaf("RequestId", request_id);
    w.close("ErrorResponse");
    xml_response(status, w.finish(), request_id)
}
