//! The rest-json protocol: routing by method + URI template, input from labels, query string,
//! headers and JSON body; output and errors as JSON with header and status bindings.

use crate::convert::{
    from_json, from_json_text, from_text, to_json, to_text, write_key, write_str, Check, Mismatch,
    Wire,
};
use crate::http::{parse_pairs, HeaderText, HttpRequest, HttpResponse};
use crate::model::{Model, Operation};
use crate::shape::{Location, Member, ShapeId, ShapeKind};
use crate::timestamp::TimestampFormat;
use crate::validate::{self, path_name, Path};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};
use service::{Member as _, RenderedList, RenderedMember, ServiceError};
use smallvec::SmallVec;
use std::borrow::Cow;

/// Routes a request; `None` when no operation's template matches.
pub(crate) fn route<'m>(
    model: &'m Model,
    req: &HttpRequest,
) -> Option<(&'m Operation, Vec<(String, String)>)> {
    let path = req.path.split('?').next().unwrap_or("");
    let pairs = parse_pairs(req.query, false);
    let m = model.router.find(req.method, path, &pairs)?;
    Some((model.operations.get(m.op)?, m.labels))
}

/// The answer for a request no operation matches.
pub(crate) fn unknown_operation(req: &HttpRequest) -> ServiceError {
    ServiceError::new(
        "UnknownOperationException",
        format!("No operation matches {} {}", req.method, req.path),
    )
    .with_status(404)
}

pub(crate) fn parse_request<'m>(
    model: &'m Model,
    req: &HttpRequest,
) -> Result<(&'m Operation, Value), ServiceError> {
    parse_request_with(model, req, None).map(|(op, input, _)| (op, input))
}

/// Reads a member of an operation's body apart: `(the member its operation reads apart, if
/// any; the reader of a body with the member at a position apart)`.
pub(crate) type ReadApart<'a> = (
    &'a dyn Fn(&str) -> Option<&'static str>,
    &'a dyn Fn(ShapeId, &[u8], usize) -> Option<(Value, Option<crate::doc::ReadApart>)>,
);

/// [`parse_request`], reading the member `apart` names for the operation (a body member) into
/// a [`service::Doc`] left out of the input when the body reads cleanly (see `doc::from_json_text_apart`).
pub(crate) fn parse_request_with<'m>(
    model: &'m Model,
    req: &HttpRequest,
    apart: Option<ReadApart<'_>>,
) -> Result<crate::model::ParsedApart<'m>, ServiceError> {
    let (op, labels) = route(model, req).ok_or_else(|| unknown_operation(req))?;
    let Some(input_id) = op.input else {
        return Ok((op, Value::Object(Map::new()), None));
    };
    let shape = model.shape(input_id);
    let (members, payload) = match &shape.kind {
        ShapeKind::Structure {
            members, payload, ..
        } => (members.as_slice(), *payload),
        _ => (&[][..], None),
    };
    let ser = |m: Mismatch| model.serialization_error(m.0);
    let mut input = Map::new();
    let mut doc: Option<service::DocMember> = None;
    // Whether the body's values were checked against the model as they were read.
    let mut body_checked = false;

    // The body: one payload member, or a JSON object spread over the body members.
    let body_text = req.body.trim_ascii();
    if let Some(p) = payload.and_then(|i| members.get(i)) {
        if !body_text.is_empty() {
            let value = match model.shape(p.shape).kind {
                ShapeKind::Blob => Value::String(STANDARD.encode(req.body)),
                ShapeKind::String { .. } => {
                    Value::String(String::from_utf8_lossy(req.body).into_owned())
                }
                _ => match from_json_text(model, p.shape, body_text, Check::Nested) {
                    Some(value) => {
                        body_checked = true;
                        value
                    }
                    None => {
                        let json = parse_json(model, body_text)?;
                        from_json(model, p.shape, &json, &Path::Member(&Path::Root, &p.name))
                            .map_err(ser)?
                    }
                },
            };
            input.insert(p.name.clone(), value);
        }
    } else if !body_text.is_empty() && members.iter().any(|m| m.location == Location::Body) {
        // A member read apart, at its position among the members.
        let apart_at = apart.and_then(|(name_of, read)| {
            let name = name_of(&op.name)?;
            let at = members
                .iter()
                .position(|m| m.name == name && m.location == Location::Body)?;
            Some((name, at, read))
        });
        let read_apart = apart_at.and_then(|(name, at, read)| {
            let (v, d) = read(input_id, body_text, at)?;
            let member = d.map(|(doc, wire_text)| service::DocMember {
                name,
                doc,
                wire_text,
            });
            Some((v, member))
        });
        // Read straight into the seam value (a member apart into its Doc); anything but a
        // clean conversion of an object takes the two steps, whose errors are the protocol's.
        let read = match read_apart {
            Some((v, d)) => {
                doc = d;
                Some(v)
            }
            None => from_json_text(model, input_id, body_text, Check::Top),
        };
        let converted = match read {
            Some(v @ Value::Object(_)) => {
                body_checked = true;
                v
            }
            _ => {
                let json = parse_json(model, body_text)?;
                if !json.is_object() {
                    return Err(
                        model.serialization_error("Request body must be a JSON object".into())
                    );
                }
                from_json(model, input_id, &json, &Path::Root).map_err(ser)?
            }
        };
        if let Value::Object(obj) = converted {
            // The body's members first, as before; the map is the one read (not rehashed).
            input = obj;
        }
    }

    let pairs = parse_pairs(req.query, false);
    for m in members {
        let value = match m.location {
            Location::Uri => match labels.iter().find(|(n, _)| n == &m.wire_name) {
                Some((_, text)) => {
                    Some(from_text(model, m.shape, text, &m.wire_name).map_err(ser)?)
                }
                None => None,
            },
            Location::QueryString => query_member(model, m, members, &pairs).map_err(ser)?,
            Location::Header => match req.header(&m.wire_name) {
                Some(raw) => Some(header_member(model, m, raw)?),
                None => None,
            },
            Location::Headers => {
                let prefix = m.wire_name.to_ascii_lowercase();
                let mut map = Map::new();
                for (name, raw) in req.headers {
                    let lower = name.to_ascii_lowercase();
                    if let Some(rest) = lower.strip_prefix(&prefix) {
                        map.insert(
                            rest.to_string(),
                            Value::String(String::from_utf8_lossy(raw).into_owned()),
                        );
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            Location::Body | Location::StatusCode => None,
        };
        if let Some(v) = value {
            input.insert(m.name.clone(), v);
        }
    }
    fill_idempotency_tokens(op, &mut input);
    let mut input = Value::Object(input);
    let mut issues = Vec::new();
    // Members read from a checked body need only their presence seen.
    let deep = |m: &crate::shape::Member| {
        !body_checked
            || !(m.location == Location::Body || payload.is_some_and(|p| members[p].name == m.name))
    };
    validate::validate_deep(
        model,
        input_id,
        &input,
        &validate::Path::Root,
        &mut issues,
        &deep,
        doc.as_ref().map(|d| d.name),
    );
    if issues.is_empty() {
        if crate::amendments::enums_ignore_case(model.signing_name()) {
            validate::canonical_enums(model, input_id, &mut input);
        }
        Ok((op, input, doc))
    } else {
        Err(validate::to_error(model, &issues))
    }
}

/// SDKs fill a missing idempotency token with a fresh UUID; so do we, so services can dedupe.
pub(crate) fn fill_idempotency_tokens(op: &Operation, input: &mut Map<String, Value>) {
    for name in &op.idempotency_tokens {
        if input.member(name).is_none_or(Value::is_null) {
            // Written by uuid's encoder straight, not through `Display`'s formatter.
            let mut buf = uuid::Uuid::encode_buffer();
            let token = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut buf);
            input.insert(name.clone(), Value::String(token.to_owned()));
        }
    }
}

fn parse_json(model: &Model, body: &[u8]) -> Result<Value, ServiceError> {
    // serde_json stops at 128 levels of nesting with an error, so deep bodies cannot overflow.
    serde_json::from_slice(body)
        .map_err(|e| model.serialization_error(format!("Malformed JSON body: {e}")))
}

fn query_member(
    model: &Model,
    m: &Member,
    all: &[Member],
    pairs: &[(String, String)],
) -> Result<Option<Value>, Mismatch> {
    let path = path_name(&m.name);
    match &model.shape(m.shape).kind {
        ShapeKind::List { member, .. } => {
            let items = pairs
                .iter()
                .filter(|(k, _)| k == &m.wire_name)
                .map(|(_, v)| from_text(model, *member, v, &path))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((!items.is_empty()).then_some(Value::Array(items)))
        }
        ShapeKind::Map { value, .. } => {
            // A map takes every parameter no other member binds.
            let bound = |k: &str| {
                all.iter().any(|o| {
                    o.location == Location::QueryString && o.wire_name == k && o.name != m.name
                })
            };
            let mut map = Map::new();
            let list_values = matches!(model.shape(*value).kind, ShapeKind::List { .. });
            for (k, v) in pairs.iter().filter(|(k, _)| !bound(k)) {
                if list_values {
                    let entry = map
                        .entry(k.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(a) = entry {
                        a.push(Value::String(v.clone()));
                    }
                } else {
                    map.insert(k.clone(), from_text(model, *value, v, &path)?);
                }
            }
            Ok((!map.is_empty()).then_some(Value::Object(map)))
        }
        _ => match pairs.iter().find(|(k, _)| k == &m.wire_name) {
            Some((_, v)) => Ok(Some(from_text(model, m.shape, v, &path)?)),
            None => Ok(None),
        },
    }
}

fn header_member(model: &Model, m: &Member, raw: &[u8]) -> Result<Value, ServiceError> {
    let text = String::from_utf8_lossy(raw);
    if m.jsonvalue {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| {
            model.serialization_error(format!("Header {} is not base64", m.wire_name))
        })?;
        return serde_json::from_slice(&bytes).map_err(|_| {
            model.serialization_error(format!("Header {} is not base64-encoded JSON", m.wire_name))
        });
    }
    from_text(model, m.shape, text.trim(), &path_name(&m.name))
        .map_err(|e| model.serialization_error(e.0))
}

/// The headers every answer carries: the fixed name and type borrowed, only the request ID
/// copied; room for one more (an error's type) without regrowing.
fn base_headers(request_id: &str) -> Vec<(HeaderText, HeaderText)> {
    let mut headers = Vec::with_capacity(3);
    headers.push((
        Cow::Borrowed("Content-Type"),
        Cow::Borrowed("application/json"),
    ));
    headers.push((
        Cow::Borrowed("x-amzn-RequestId"),
        Cow::Owned(request_id.to_string()),
    ));
    headers
}

/// An output whose whole body was rendered ahead ([`crate::BodyRenderer`]): what
/// [`serialize_output`] answers for an output with nothing outside its body.
pub(crate) fn rendered_body(op: &Operation, body: &[u8], request_id: &str) -> HttpResponse {
    HttpResponse {
        status: op.response_code,
        headers: base_headers(request_id),
        body: body.to_vec(),
    }
}

/// Serializes an output; the member `rendered` names (a body member) takes the rendered
/// list's items as they are, in the member's place in model order.
pub(crate) fn serialize_output(
    model: &Model,
    op: &Operation,
    output: &Value,
    mut rendered: Option<RenderedList>,
    member: Option<&RenderedMember>,
    request_id: &str,
) -> HttpResponse {
    let mut status = op.response_code;
    let mut headers = base_headers(request_id);
    // On the stack: an output has a few body members (a vector was an allocation an answer).
    let mut body: SmallVec<[BodyMember; 8]> = SmallVec::new();
    let mut raw_payload: Option<Vec<u8>> = None;
    // A list opened with exactly the text the body starts with: the body is finished in it.
    let mut opened: Option<RenderedList> = None;
    if let (Some(out_id), Value::Object(obj)) = (op.output, output) {
        let shape = model.shape(out_id);
        let (members, payload) = match &shape.kind {
            ShapeKind::Structure {
                members, payload, ..
            } => (members.as_slice(), *payload),
            _ => (&[][..], None),
        };
        let in_body = |i: usize, m: &Member| m.location == Location::Body && payload != Some(i);
        if let Some(i) = first_body_member(members, payload) {
            let m = &members[i];
            if rendered.as_ref().is_some_and(|l| {
                l.member() == m.name && l.opening() == list_opening(&m.wire_name).as_slice()
            }) {
                opened = rendered.take();
            }
        }
        for (i, m) in members.iter().enumerate() {
            let rendered_here = |l: &RenderedList| l.member() == m.name && in_body(i, m);
            if opened.as_ref().is_some_and(rendered_here) {
                body.push((m, BodyValue::Opened));
                continue;
            }
            if let Some(list) = rendered.as_ref().filter(|l| rendered_here(l)) {
                body.push((m, BodyValue::Rendered(list)));
                continue;
            }
            if let Some(r) = member.filter(|r| r.member() == m.name && in_body(i, m)) {
                body.push((m, BodyValue::Text(r.text())));
                continue;
            }
            let Some(v) = obj.get(&m.name).filter(|v| !v.is_null()) else {
                continue;
            };
            match m.location {
                Location::Header => headers.push((
                    Cow::Owned(m.wire_name.clone()),
                    Cow::Owned(header_text(model, m, v)),
                )),
                Location::Headers => {
                    if let Value::Object(map) = v {
                        for (k, x) in map {
                            headers.push((
                                Cow::Owned(format!("{}{k}", m.wire_name)),
                                Cow::Owned(crate::convert::text_of(x)),
                            ));
                        }
                    }
                }
                Location::StatusCode => {
                    if let Some(code) = v.as_u64().and_then(|c| u16::try_from(c).ok()) {
                        status = code;
                    }
                }
                _ if payload == Some(i) => {
                    raw_payload = Some(match (&model.shape(m.shape).kind, v) {
                        (ShapeKind::Blob, Value::String(s)) => STANDARD
                            .decode(s)
                            .unwrap_or_else(|_| s.clone().into_bytes()),
                        (ShapeKind::String { .. }, Value::String(s)) => s.clone().into_bytes(),
                        _ => wire_bytes(Wire {
                            model,
                            id: m.shape,
                            v,
                            fmt: m.timestamp_format,
                        }),
                    });
                }
                _ => body.push((
                    m,
                    BodyValue::Wire(Wire {
                        model,
                        id: m.shape,
                        v,
                        fmt: m.timestamp_format,
                    }),
                )),
            }
        }
    }
    let body = match raw_payload {
        Some(bytes) => bytes,
        None if status == 204 => Vec::new(),
        None => match opened {
            // The opened list is the body's first member: close it, then write the rest.
            Some(list) => {
                let mut out = list.into_text();
                out.push(b']');
                write_members(&mut out, body.as_slice(), false);
                out.push(b'}');
                out
            }
            None => {
                let rendered_bytes = rendered.as_ref().map_or(0, |l| l.joined().len())
                    + member.map_or(0, |r| r.text().len());
                let mut out = Vec::with_capacity(body_size_hint(output) + rendered_bytes);
                write_body(&mut out, body.as_slice());
                out
            }
        },
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// A body member and its value.
type BodyMember<'a> = (&'a Member, BodyValue<'a>);

/// One body member's value: a seam value the model converts, or a list of items rendered
/// ahead of time.
enum BodyValue<'a> {
    /// Converted and written now.
    Wire(Wire<'a>),
    /// Each item's text copied as it is.
    Rendered(&'a RenderedList),
    /// A value's text copied as it is.
    Text(&'a [u8]),
    /// The list the body is being finished in (already written: the body's first member).
    Opened,
}

/// The body members of an output, in model order, as one compact JSON object: exactly what
/// serde_json writes for a map of them, with rendered lists spliced in as `[item,item]`.
fn write_body(out: &mut Vec<u8>, members: &[BodyMember]) {
    out.push(b'{');
    write_members(out, members, true);
    out.push(b'}');
}

/// `members` as `"name":value` pairs separated by commas (`first`: none is written before
/// them in this object).
fn write_members(out: &mut Vec<u8>, members: &[BodyMember], mut first: bool) {
    for (m, value) in members {
        if matches!(value, BodyValue::Opened) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        write_key(out, m);
        match value {
            BodyValue::Wire(w) => w.write(out),
            BodyValue::Rendered(list) => {
                out.push(b'[');
                out.extend_from_slice(list.joined());
                out.push(b']');
            }
            BodyValue::Text(text) => out.extend_from_slice(text),
            BodyValue::Opened => {}
        }
    }
}

/// The position of the first member an output body writes: in the body, and not the payload.
pub(crate) fn first_body_member(members: &[Member], payload: Option<usize>) -> Option<usize> {
    members
        .iter()
        .enumerate()
        .position(|(i, m)| m.location == Location::Body && payload != Some(i))
}

/// The body text before the first item of a list that is the output's first body member
/// (`wire` its wire name), exactly as [`write_body`] writes it.
pub(crate) fn list_opening(wire: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(wire.len() + 8);
    out.push(b'{');
    write_str(&mut out, wire);
    out.extend_from_slice(b":[");
    out
}

/// The JSON text of one item of a list whose items are of shape `id`, exactly as
/// [`serialize_output`] writes it inside the list.
pub(crate) fn render_item<N: service::Node>(model: &Model, id: ShapeId, item: &N) -> Vec<u8> {
    // Items (a resource's view, a job's settings) run to a few hundred bytes: starting at 512
    // writes most in one allocation, where 128 grew twice (two reallocations and copies).
    let mut out = Vec::with_capacity(512);
    crate::convert::write_wire(&mut out, model, id, item, None);
    out
}

/// The item of shape `id` whose wire text [`render_item`] wrote as `text` (read as an input
/// body's member is: the wire names and formats of both directions are the same in rest-json).
pub(crate) fn read_item(model: &Model, id: ShapeId, text: &[u8]) -> Option<Value> {
    from_json_text(model, id, text, Check::No)
}

/// About how many bytes an output's JSON body takes, so the buffer is allocated once: a page
/// of a list would otherwise be copied through half a dozen regrowths.
fn body_size_hint(output: &Value) -> usize {
    /// Bytes allowed per item of a top-level list (a summary is a few hundred).
    const PER_ITEM: usize = 384;
    let items: usize = output
        .as_object()
        .map(|o| o.values().filter_map(Value::as_array).map(Vec::len).sum())
        .unwrap_or(0);
    (256 + items * PER_ITEM).min(1 << 20)
}

/// JSON text of `w`.
fn wire_bytes(w: Wire) -> Vec<u8> {
    // serde_json's starting size, which the text replaced was written into.
    let mut out = Vec::with_capacity(128);
    w.write(&mut out);
    out
}

fn header_text(model: &Model, m: &Member, v: &Value) -> String {
    if m.jsonvalue {
        return STANDARD.encode(v.to_string());
    }
    to_text(
        model,
        m.shape,
        v,
        m.timestamp_format,
        TimestampFormat::Rfc822,
    )
}

/// Whether a member of an error shape carries the error message.
pub(crate) fn is_message_member(m: &Member) -> bool {
    m.name.eq_ignore_ascii_case("message") || m.name == "exceptionMessage"
}

pub(crate) fn serialize_error(model: &Model, err: &ServiceError, request_id: &str) -> HttpResponse {
    let mut headers = base_headers(request_id);
    let mut body = Map::new();
    let (status, code) = match model.error_shape(&err.code) {
        Some(shape) => {
            let mut wrote_message = false;
            for m in shape.members() {
                if is_message_member(m) && m.location == Location::Body {
                    body.insert(m.wire_name.clone(), Value::String(err.message.clone()));
                    wrote_message = true;
                } else if let Some(v) = err.fields.get(&m.name) {
                    match m.location {
                        Location::Header => headers.push((
                            Cow::Owned(m.wire_name.clone()),
                            Cow::Owned(header_text(model, m, v)),
                        )),
                        _ => {
                            body.insert(
                                m.wire_name.clone(),
                                to_json(model, m.shape, v, m.timestamp_format),
                            );
                        }
                    }
                }
            }
            // SDKs read an error's generic message from `message`/`Message` only; a shape
            // whose message member is spelled otherwise (IVS's `exceptionMessage`) carries
            // the text under `message` too, so `err.message()` is never empty.
            if !wrote_message || !(body.contains_key("message") || body.contains_key("Message")) {
                body.insert("message".into(), Value::String(err.message.clone()));
            }
            let status = shape.error.as_ref().map(|e| e.status).unwrap_or(400);
            (status, shape.name.clone())
        }
        None => {
            body.insert("message".into(), Value::String(err.message.clone()));
            for (k, v) in err.fields.iter() {
                body.insert(k.clone(), v.clone());
            }
            (err.status.unwrap_or(400), err.code.clone())
        }
    };
    headers.push((Cow::Borrowed("x-amzn-ErrorType"), Cow::Owned(code)));
    HttpResponse {
        status,
        headers,
        body: Value::Object(body).to_string().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use crate::convert::tests::full;
    use crate::http::HttpResponse;
    use crate::model::{Model, Operation};
    use crate::shape::{Location, ShapeId, ShapeKind};
    use crate::Registry;
    use serde_json::{Map, Value};
    use service::{Output, RenderedList, RenderedMember};

    /// Walks every output member of every operation of every embedded model that `pick`
    /// gives a renderer for, calling `check` with the member's name (leaked once per member:
    /// the seam takes a static name), the full output without it, its value, and the body the
    /// full output serializes to; returns how many members it checked.
    fn each_rendered_member<'r, R>(
        registry: &'r Registry,
        pick: impl Fn(&'r Model, &str, &str) -> Option<R>,
        mut check: impl FnMut(&'r Model, &Operation, &'static str, Value, Value, &HttpResponse, R),
    ) -> usize {
        let mut checked = 0;
        for model in registry.models() {
            for op in model.operations() {
                let Some(shape) = model.output_shape(op) else {
                    continue;
                };
                let v = full(model, op.output.unwrap(), 0);
                let whole = model.serialize_output(op, &v, "rid");
                for m in shape.members() {
                    let Some(renderer) = pick(model, &op.name, &m.name) else {
                        continue;
                    };
                    let name: &'static str = Box::leak(m.name.clone().into_boxed_str());
                    let mut rest = v.clone();
                    let Some(member) = rest.as_object_mut().unwrap().shift_remove(name) else {
                        panic!("{} {}: no member", op.name, m.name);
                    };
                    check(model, op, name, rest, member, &whole, renderer);
                    checked += 1;
                }
            }
        }
        checked
    }

    /// `v`, a sample of shape `id`, as a service would store it: without null list items, map
    /// values and members, and with an empty list or map where the sample has a stand-in.
    fn stored_form(model: &Model, id: ShapeId, v: Value) -> Value {
        match (&model.shape(id).kind, v) {
            (ShapeKind::Structure { members, .. }, Value::Object(m)) => Value::Object(
                m.into_iter()
                    .filter(|(_, x)| !x.is_null())
                    .filter_map(|(k, x)| {
                        let shape = members.iter().find(|m| m.name == k)?.shape;
                        Some((k, stored_form(model, shape, x)))
                    })
                    .collect(),
            ),
            (ShapeKind::List { member, .. }, Value::Array(a)) => a
                .into_iter()
                .filter(|x| !x.is_null())
                .map(|x| stored_form(model, *member, x))
                .collect(),
            (ShapeKind::List { .. }, _) => Value::Array(Vec::new()),
            (ShapeKind::Map { value, .. }, Value::Object(m)) => Value::Object(
                m.into_iter()
                    .filter(|(_, x)| !x.is_null())
                    .map(|(k, x)| (k, stored_form(model, *value, x)))
                    .collect(),
            ),
            (ShapeKind::Map { .. }, _) => Value::Object(Map::new()),
            (_, other) => other,
        }
    }

    #[test]
    fn a_missing_or_null_token_is_filled_with_a_v4_uuid_as_display_writes_it() {
        let registry = Registry::embedded();
        let model = registry.model("mediaconvert").expect("model");
        let op = model.operation("CreateJob").expect("op");
        for given in [None, Some(Value::Null)] {
            let mut input = Map::new();
            if let Some(v) = given {
                input.insert("ClientRequestToken".into(), v);
            }
            super::fill_idempotency_tokens(op, &mut input);
            let token = input["ClientRequestToken"].as_str().expect("token");
            let parsed = uuid::Uuid::parse_str(token).expect("uuid");
            assert_eq!(parsed.get_version_num(), 4);
            assert_eq!(token, parsed.to_string());
        }
        let mut input = Map::new();
        input.insert("ClientRequestToken".into(), Value::from("mine"));
        super::fill_idempotency_tokens(op, &mut input);
        assert_eq!(input["ClientRequestToken"], "mine");
    }

    #[test]
    fn bodies_of_few_and_many_members_are_what_to_json_writes() {
        let registry = Registry::embedded();
        let (mut checked, mut spilled) = (0, 0);
        for model in registry.models() {
            for op in model.operations() {
                let Some(ShapeKind::Structure {
                    members,
                    payload: None,
                    ..
                }) = model.output_shape(op).map(|s| &s.kind)
                else {
                    continue;
                };
                if op.response_code == 204
                    || members.iter().any(|m| m.location != Location::Body)
                    || model.protocol() != crate::Protocol::RestJson
                {
                    continue;
                }
                let id = op.output.unwrap();
                let v = full(model, id, 0);
                let body = model.serialize_output(op, &v, "rid").body;
                let want = crate::convert::to_json(model, id, &v, None).to_string();
                assert_eq!(String::from_utf8(body).unwrap(), want, "{}", op.name);
                checked += 1;
                spilled += usize::from(members.len() > 8);
            }
        }
        assert!(
            checked > 100 && spilled > 10,
            "{checked} checked, {spilled} spilled"
        );
    }

    #[test]
    fn rendered_bodies_serialize_as_their_values_for_every_output_with_only_body_members() {
        let registry = Registry::embedded();
        let mut checked = 0;
        for model in registry.models() {
            for op in model.operations() {
                let Some(renderer) = model.body_renderer(&op.name) else {
                    continue;
                };
                let v = full(model, op.output.unwrap(), 0);
                let whole = model.serialize_output(op, &v, "rid");
                let split = model.serialize_rendered(
                    op,
                    Output::rendered_body(renderer.render(&v).into()),
                    "rid",
                );
                assert_eq!(split, whole, "{}", op.name);
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} outputs checked");
        let v2 = registry.model("mediapackagev2").unwrap();
        assert!(v2.body_renderer("GetOriginEndpoint").is_some());
        // A member outside the body (MediaPackage v2's egress answers with headers), a 204
        // answer, and the query protocol have none.
        let iam = registry.model("iam").unwrap();
        assert!(iam.body_renderer("GetUser").is_none());
        let mut outside = 0;
        for model in registry.models() {
            for op in model.operations() {
                let Some(ShapeKind::Structure { members, .. }) =
                    model.output_shape(op).map(|s| &s.kind)
                else {
                    continue;
                };
                if members.iter().any(|m| m.location != Location::Body) || op.response_code == 204 {
                    assert!(model.body_renderer(&op.name).is_none(), "{}", op.name);
                    outside += 1;
                }
            }
        }
        assert!(outside > 0);
        let query = iam.operation("GetUser").unwrap();
        let out = iam.serialize_rendered(query, Output::rendered_body(b"{}".to_vec().into()), "r");
        assert_eq!(out.status, 500);
    }

    #[test]
    fn rendered_lists_serialize_as_their_values_for_every_output_list_member() {
        let registry = Registry::embedded();
        let checked = each_rendered_member(
            &registry,
            |model, op, member| model.list_items(op, member),
            |model, op, name, value, list, whole, items| {
                let Value::Array(list) = list else {
                    panic!("{} {name}: no list", op.name);
                };
                // Both a plain list (copied into the body) and one the renderer opened
                // (the body finished in it, when the list is the first body member).
                let plain = RenderedList::new(name, list.len(), 64);
                let opened = items.start_list(name, list.len(), 64);
                for mut rendered in [plain, opened] {
                    for item in &list {
                        rendered.push(&items.render(item));
                    }
                    let output = Output {
                        value: value.clone(),
                        rendered: Some(rendered),
                        member: None,
                        body: None,
                    };
                    let split = model.serialize_rendered(op, output, "rid");
                    assert_eq!(&split, whole, "{} {name}", op.name);
                }
            },
        );
        assert!(checked > 50, "only {checked} list members checked");
    }

    #[test]
    fn rendered_members_serialize_as_their_values_for_every_output_structure_member() {
        let registry = Registry::embedded();
        let checked = each_rendered_member(
            &registry,
            |model, op, member| model.member_renderer(op, member),
            |model, op, name, value, member, whole, renderer| {
                let text = renderer.render(&member);
                // What renders a member reads its text back to the same value: one a
                // service would store (the sample's nulls and its stand-in strings for lists
                // and maps past its depth are not).
                let stored = stored_form(model, renderer.item_id(), member.clone());
                assert_eq!(
                    renderer.read(&renderer.render(&stored)).as_ref(),
                    Some(&stored),
                    "{} {name}",
                    op.name
                );
                let output = Output {
                    value,
                    rendered: None,
                    member: Some(RenderedMember::new(name, text)),
                    body: None,
                };
                let split = model.serialize_rendered(op, output, "rid");
                assert_eq!(&split, whole, "{} {name}", op.name);
            },
        );
        assert!(checked > 100, "only {checked} structure members checked");
        // Lists, header-bound members and query-protocol models have no member renderer.
        let ivs = registry.model("ivs").unwrap();
        assert!(ivs.member_renderer("GetChannel", "channel").is_some());
        assert!(ivs.member_renderer("ListChannels", "channels").is_none());
        assert!(ivs.member_renderer("GetChannel", "nothing").is_none());
        let iam = registry.model("iam").unwrap();
        assert!(iam.member_renderer("GetUser", "User").is_none());
        let query = iam.operation("GetUser").unwrap();
        let output = Output {
            value: serde_json::json!({}),
            rendered: None,
            member: Some(RenderedMember::new("User", b"{}".to_vec())),
            body: None,
        };
        assert_eq!(iam.serialize_rendered(query, output, "rid").status, 500);
    }

    #[test]
    fn an_empty_rendered_list_is_an_empty_array_and_nothing_else_takes_one() {
        let registry = Registry::embedded();
        let ivs = registry.model("ivs").unwrap();
        let op = ivs.operation("ListChannels").unwrap();
        let output = Output {
            value: serde_json::json!({"nextToken": "t"}),
            rendered: Some(RenderedList::new("channels", 0, 0)),
            member: None,
            body: None,
        };
        let r = ivs.serialize_rendered(op, output, "rid");
        assert_eq!(r.body, br#"{"channels":[],"nextToken":"t"}"#);
        // The same, opened by the renderer; and an opening that is not the body's own (another
        // member's) is copied as an ordinary list rather than taken for the body.
        let items = ivs.list_items("ListChannels", "channels").unwrap();
        for list in [
            items.start_list("channels", 0, 0),
            RenderedList::opened("channels", br#"{"other":["#, 0, 0),
        ] {
            let output = Output {
                value: serde_json::json!({"nextToken": "t"}),
                rendered: Some(list),
                member: None,
                body: None,
            };
            let r = ivs.serialize_rendered(op, output, "rid");
            assert_eq!(r.body, br#"{"channels":[],"nextToken":"t"}"#);
        }
        // Only body lists of an operation's output have item renderers.
        assert!(ivs.list_items("ListChannels", "nextToken").is_none());
        assert!(ivs.list_items("ListChannels", "nope").is_none());
        assert!(ivs.list_items("NoSuchOperation", "channels").is_none());
        let query = registry.model("iam").unwrap();
        assert!(query.list_items("ListUsers", "Users").is_none());
        // A query-protocol answer cannot carry one: an internal error, not a wrong body.
        let users = query.operation("ListUsers").unwrap();
        let output = Output {
            value: serde_json::json!({}),
            rendered: Some(RenderedList::new("Users", 0, 0)),
            member: None,
            body: None,
        };
        assert_eq!(query.serialize_rendered(users, output, "rid").status, 500);
        // Header-bound and payload members are not lists a body can splice.
        for model in registry.models() {
            for op in model.operations() {
                let Some(shape) = model.output_shape(op) else {
                    continue;
                };
                for m in shape.members() {
                    if m.location != Location::Body {
                        assert!(model.list_items(&op.name, &m.name).is_none());
                    }
                    if let ShapeKind::List { .. } = model.shape(m.shape).kind {
                        continue;
                    }
                    assert!(model.list_items(&op.name, &m.name).is_none());
                }
            }
        }
    }
}
