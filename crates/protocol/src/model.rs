//! A service model compiled once: shapes by index, operations, routes and error shapes.

use crate::http::{HttpRequest, HttpResponse};
use crate::raw::{RawModel, RawPaginators};
use crate::route::Router;
use crate::shape::{ErrorInfo, Location, Member, Pattern, Shape, ShapeId, ShapeKind};
use crate::timestamp::TimestampFormat;
use crate::{query, rest_json};
use serde_json::Value;
use service::{Output, RenderedList, ServiceError};
use std::collections::HashMap;

/// The wire protocol of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// REST with JSON bodies (`rest-json`).
    RestJson,
    /// Form-encoded requests, XML responses (`query`).
    Query,
}

/// A botocore paginator of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Paginator {
    /// Input member carrying the token.
    pub input_token: String,
    /// Output member carrying the next token.
    pub output_token: String,
    /// Input member limiting the page size.
    pub limit_key: Option<String>,
    /// Output member(s) holding the page's items.
    pub result_keys: Vec<String>,
}

/// A request parsed with a member read apart ([`Model::parse_request_apart`]): its operation,
/// its input without that member, and the member's name and value if it was read apart.
pub type ParsedApart<'m> = (&'m Operation, Value, Option<service::DocMember>);

/// Renders one operation's whole output body (see [`Model::body_renderer`]).
#[derive(Debug, Clone, Copy)]
pub struct BodyRenderer<'m> {
    model: &'m Model,
    op: &'m Operation,
}

impl BodyRenderer<'_> {
    /// The body [`Model::serialize_output`] writes for `output` (member names).
    pub fn render(&self, output: &Value) -> Vec<u8> {
        rest_json::serialize_output(self.model, self.op, output, None, None, "").body
    }
}

/// Renders items of one list member of an output (see [`Model::list_items`]), or one
/// structure member whole (see [`Model::member_renderer`]).
#[derive(Debug, Clone, Copy)]
pub struct ItemRenderer<'m> {
    model: &'m Model,
    item: ShapeId,
    /// The list member's wire name, when it is the first member of the output's body.
    first_in_body: Option<&'m str>,
}

impl<'m> ItemRenderer<'m> {
    /// The wire text of `item` (member names, as a service's output holds it) as the output
    /// serializer writes it inside the list (or as the member's value).
    pub fn render<N: service::Node>(&self, item: &N) -> Vec<u8> {
        rest_json::render_item(self.model, self.item, item)
    }

    /// The shape it renders (for tests that walk it).
    #[cfg(test)]
    pub(crate) fn item_id(&self) -> ShapeId {
        self.item
    }

    /// The item (member names) whose wire text [`ItemRenderer::render`] wrote as `text`: a
    /// service that keeps the rendering reads it back when it needs the value. `None` for
    /// text that is not such a rendering.
    pub fn read(&self, text: &[u8]) -> Option<Value> {
        rest_json::read_item(self.model, self.item, text)
    }

    /// What renders `member` of the structure this renders, as the serializer writes it
    /// inside the structure; `None` if the structure has no such member.
    pub fn member(&self, member: &str) -> Option<ItemRenderer<'m>> {
        let ShapeKind::Structure { members, .. } = &self.model.shape(self.item).kind else {
            return None;
        };
        let m = members.iter().find(|m| m.name == member)?;
        Some(ItemRenderer {
            model: self.model,
            item: m.shape,
            first_in_body: None,
        })
    }

    /// An empty list for the output member `member` (the one this renderer is for), with room
    /// for `items` items of about `item_bytes` each. When the list is the first member of the
    /// output's body, its text begins with the body's, so that the serializer finishes the
    /// body in it instead of copying the items again.
    pub fn start_list(
        &self,
        member: &'static str,
        items: usize,
        item_bytes: usize,
    ) -> RenderedList {
        match self.first_in_body {
            Some(wire) => {
                RenderedList::opened(member, &rest_json::list_opening(wire), items, item_bytes)
            }
            None => RenderedList::new(member, items, item_bytes),
        }
    }
}

/// One operation of a model.
#[derive(Debug)]
pub struct Operation {
    /// The operation name (`CreateChannel`).
    pub name: String,
    pub(crate) method: String,
    pub(crate) uri: String,
    pub(crate) input: Option<ShapeId>,
    pub(crate) output: Option<ShapeId>,
    pub(crate) result_wrapper: Option<String>,
    pub(crate) response_code: u16,
    pub(crate) idempotency_tokens: Vec<String>,
    pub(crate) paginator: Option<Paginator>,
    pub(crate) errors: Vec<String>,
    pub(crate) unsigned: bool,
    pub(crate) unsigned_payload: bool,
}

impl Operation {
    /// The HTTP method of its binding.
    pub fn http_method(&self) -> &str {
        &self.method
    }

    /// Its `requestUri` template.
    pub fn request_uri(&self) -> &str {
        &self.uri
    }

    /// The status code of a successful response.
    pub fn response_code(&self) -> u16 {
        self.response_code
    }

    /// Input members that are idempotency tokens (filled with a UUID when absent).
    pub fn idempotency_token_members(&self) -> &[String] {
        &self.idempotency_tokens
    }

    /// Its paginator, if botocore defines one.
    pub fn paginator(&self) -> Option<&Paginator> {
        self.paginator.as_ref()
    }

    /// Names of the error shapes it declares.
    pub fn error_names(&self) -> &[String] {
        &self.errors
    }

    /// Whether AWS serves it without a signature (`authtype: none`, e.g. STS
    /// AssumeRoleWithWebIdentity, whose caller's credential is the token in its input).
    pub fn allows_unsigned(&self) -> bool {
        self.unsigned
    }

    /// Whether a signed request may leave its body out of the signature (`UNSIGNED-PAYLOAD`):
    /// botocore's `authtype: v4-unsigned-body` or `unsignedPayload` (none of our models).
    pub fn allows_unsigned_payload(&self) -> bool {
        self.unsigned_payload
    }
}

/// A compiled service model.
#[derive(Debug)]
pub struct Model {
    pub(crate) signing_name: String,
    pub(crate) protocol: Protocol,
    pub(crate) api_version: String,
    pub(crate) xml_namespace: String,
    /// Every shape, sorted by name (the botocore map's order), so no name map is kept.
    pub(crate) shapes: Vec<Shape>,
    /// By shape: whether its values pass the checks a body's reader makes of each node
    /// whatever they are (see `validate::unconstrained`), so the reader skips them.
    pub(crate) unconstrained: Vec<bool>,
    pub(crate) operations: Vec<Operation>,
    pub(crate) op_ids: HashMap<String, usize>,
    pub(crate) router: Router,
    /// Error shapes by shape name and by wire code.
    pub(crate) errors: HashMap<String, ShapeId>,
    pub(crate) validation_error: String,
}

impl Model {
    /// The SigV4 signing name (`ivs`, `iam`, …).
    pub fn signing_name(&self) -> &str {
        &self.signing_name
    }

    /// Its wire protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The API version (`2020-07-14`).
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The XML namespace of query-protocol responses (empty for rest-json).
    pub fn xml_namespace(&self) -> &str {
        &self.xml_namespace
    }

    /// Every operation name, sorted.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.iter().map(|o| o.name.as_str())
    }

    /// An operation by name.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.op_ids.get(name).and_then(|&i| self.operations.get(i))
    }

    /// Every operation.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter()
    }

    /// A shape by id (ids come from this model's members and operations).
    pub fn shape_by_id(&self, id: ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// A shape by an id this model itself produced, so always in range.
    pub(crate) fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    /// A shape by name.
    pub fn shape_named(&self, name: &str) -> Option<&Shape> {
        self.shapes
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()
            .map(|id| self.shape(id))
    }

    /// An operation's input shape.
    pub fn input_shape(&self, op: &Operation) -> Option<&Shape> {
        op.input.map(|id| self.shape(id))
    }

    /// An operation's output shape.
    pub fn output_shape(&self, op: &Operation) -> Option<&Shape> {
        op.output.map(|id| self.shape(id))
    }

    /// The error shape answering to `code` (shape name or wire code).
    pub fn error_shape(&self, code: &str) -> Option<&Shape> {
        self.errors.get(code).map(|&id| self.shape(id))
    }

    /// The code of this service's modelled validation error.
    pub fn validation_error_code(&self) -> &str {
        &self.validation_error
    }

    /// Routes the request and parses + validates its input, answering in the service's own
    /// error terms.
    pub fn parse_request(&self, req: &HttpRequest) -> Result<(&Operation, Value), ServiceError> {
        match self.protocol {
            Protocol::RestJson => rest_json::parse_request(self, req),
            Protocol::Query => query::parse_request(self, req),
        }
    }

    /// [`Model::parse_request`], with the body member `apart` names for the operation (if any)
    /// read into a [`service::Doc`] and left out of the input when the body reads cleanly
    /// (see [`service::Service::doc_member`]); otherwise the input holds it as always.
    pub fn parse_request_apart(
        &'static self,
        req: &HttpRequest,
        apart: &dyn Fn(&str) -> Option<&'static str>,
    ) -> Result<ParsedApart<'static>, ServiceError> {
        match self.protocol {
            Protocol::RestJson => {
                let read = |id: ShapeId, body: &[u8], at: usize| {
                    crate::doc::from_json_text_apart(self, id, body, at)
                };
                rest_json::parse_request_with(self, req, Some((apart, &read)))
            }
            Protocol::Query => query::parse_request(self, req).map(|(op, input)| (op, input, None)),
        }
    }

    /// Routes a request to its operation without parsing the input.
    pub fn route(&self, req: &HttpRequest) -> Option<&Operation> {
        match self.protocol {
            Protocol::RestJson => rest_json::route(self, req).map(|(op, _)| op),
            Protocol::Query => query::route(self, req),
        }
    }

    /// Serializes an output object (member names) per the operation's output shape.
    pub fn serialize_output(
        &self,
        op: &Operation,
        output: &Value,
        request_id: &str,
    ) -> HttpResponse {
        match self.protocol {
            Protocol::RestJson => {
                rest_json::serialize_output(self, op, output, None, None, request_id)
            }
            Protocol::Query => query::serialize_output(self, op, output, request_id),
        }
    }

    /// [`Model::serialize_rendered`], but a query-protocol answer to a client that asks for
    /// JSON (`Accept: application/json`, as EKS's aws-iam-authenticator sends STS) is JSON,
    /// as AWS answers it.
    pub fn serialize_rendered_for(
        &self,
        req: &HttpRequest,
        op: &Operation,
        output: Output,
        request_id: &str,
    ) -> HttpResponse {
        let plain = output.rendered.is_none() && output.member.is_none() && output.body.is_none();
        if self.protocol == Protocol::Query && plain && req.asks_for_json() {
            return query::serialize_output_json(self, op, &output.value, request_id);
        }
        self.serialize_rendered(op, output, request_id)
    }

    /// Serializes a service's [`Output`]: as [`Model::serialize_output`] does its value, with
    /// the rendered list (items from [`Model::list_items`]) as its member. Only rest-json
    /// models render items; a query-protocol model answers an internal error for one.
    pub fn serialize_rendered(
        &self,
        op: &Operation,
        output: Output,
        request_id: &str,
    ) -> HttpResponse {
        let Output {
            value,
            rendered,
            member,
            body,
        } = output;
        if rendered.is_none() && member.is_none() && body.is_none() {
            return self.serialize_output(op, &value, request_id);
        }
        match self.protocol {
            Protocol::RestJson => match body {
                Some(body) => rest_json::rendered_body(op, &body, request_id),
                None => rest_json::serialize_output(
                    self,
                    op,
                    &value,
                    rendered,
                    member.as_ref(),
                    request_id,
                ),
            },
            Protocol::Query => self.serialize_error(
                &ServiceError::internal(format!(
                    "{} answered a pre-rendered member, which the query protocol cannot carry",
                    op.name
                )),
                request_id,
            ),
        }
    }

    /// What renders `member`, a structure member of `operation`'s output body, to the wire
    /// text [`Model::serialize_rendered`] takes as a [`service::RenderedMember`]: the
    /// serializer's own rendering of the member's shape. `None` unless the model is rest-json
    /// and the member is a structure in the body.
    pub fn member_renderer(&self, operation: &str, member: &str) -> Option<ItemRenderer<'_>> {
        let (m, _) = self.rendered_body_member(operation, member)?;
        match self.shape(m.shape).kind {
            ShapeKind::Structure { .. } => Some(ItemRenderer {
                model: self,
                item: m.shape,
                first_in_body: None,
            }),
            _ => None,
        }
    }

    /// What renders `operation`'s whole output body to the wire text
    /// [`Model::serialize_rendered`] takes as [`service::Output::body`]: the serializer's own
    /// body. `None` unless the model is rest-json and every output member is in the body
    /// (no payload, header or status code member, and not a 204 answer), so the body is all
    /// the output's text.
    pub fn body_renderer(&self, operation: &str) -> Option<BodyRenderer<'_>> {
        if self.protocol != Protocol::RestJson {
            return None;
        }
        let op = self.operation(operation)?;
        let ShapeKind::Structure {
            members, payload, ..
        } = &self.output_shape(op)?.kind
        else {
            return None;
        };
        let all_body = members.iter().all(|m| m.location == Location::Body);
        (op.response_code != 204 && payload.is_none() && all_body)
            .then_some(BodyRenderer { model: self, op })
    }

    /// The output member `member` of `operation` if a service may answer it rendered: a
    /// rest-json body member, not the payload; with whether it is the body's first member.
    fn rendered_body_member(&self, operation: &str, member: &str) -> Option<(&Member, bool)> {
        if self.protocol != Protocol::RestJson {
            return None;
        }
        let output = self.output_shape(self.operation(operation)?)?;
        let ShapeKind::Structure {
            members, payload, ..
        } = &output.kind
        else {
            return None;
        };
        let i = members.iter().position(|m| m.name == member)?;
        let m = &members[i];
        if m.location != Location::Body || *payload == Some(i) {
            return None;
        }
        Some((
            m,
            rest_json::first_body_member(members, *payload) == Some(i),
        ))
    }

    /// What renders the items of `member`, a list member of `operation`'s output, to the
    /// wire text [`Model::serialize_rendered`] takes: the serializer's own rendering of the
    /// list's item shape, so cached items cannot differ from freshly serialized ones. `None`
    /// unless the model is rest-json and the member is such a list in the body.
    pub fn list_items(&self, operation: &str, member: &str) -> Option<ItemRenderer<'_>> {
        let (m, first) = self.rendered_body_member(operation, member)?;
        match self.shape(m.shape).kind {
            ShapeKind::List { member: item, .. } => Some(ItemRenderer {
                model: self,
                item,
                first_in_body: first.then_some(m.wire_name.as_str()),
            }),
            _ => None,
        }
    }

    /// Serializes any error, modelled or not.
    pub fn serialize_error(&self, err: &ServiceError, request_id: &str) -> HttpResponse {
        match self.protocol {
            Protocol::RestJson => rest_json::serialize_error(self, err, request_id),
            Protocol::Query => query::serialize_error(self, err, request_id),
        }
    }

    /// Compiles a botocore `service-2.json` (and optional `paginators-1.json`), for models
    /// beyond the embedded ones (newer versions, tests).
    pub fn from_botocore(
        service_json: &[u8],
        paginators_json: Option<&[u8]>,
    ) -> Result<Model, String> {
        Model::compile(service_json, paginators_json)
    }

    /// Compiles botocore's `service-2.json` (and optional `paginators-1.json`).
    pub(crate) fn compile(
        service_json: &[u8],
        paginators_json: Option<&[u8]>,
    ) -> Result<Model, String> {
        let paginators: RawPaginators = match paginators_json {
            Some(bytes) => serde_json::from_slice(bytes).map_err(|e| e.to_string())?,
            None => RawPaginators::default(),
        };
        let raw: RawModel = serde_json::from_slice(service_json).map_err(|e| e.to_string())?;
        // Inside a scratch heap (the registry's compile), only the model goes to the heap
        // that stays.
        service::scratch::keep(|| Model::build(&raw, &paginators))
    }

    /// Compiles parsed botocore JSON.
    fn build(raw: &RawModel, paginators: &RawPaginators) -> Result<Model, String> {
        let protocol = match &*raw.metadata.protocol {
            "rest-json" => Protocol::RestJson,
            "query" => Protocol::Query,
            other => return Err(format!("unsupported protocol {other}")),
        };
        let shape_ids: HashMap<&str, ShapeId> = raw
            .shapes
            .keys()
            .enumerate()
            .map(|(i, name)| (&**name, i))
            .collect();
        let id = |name: &str| -> Result<ShapeId, String> {
            shape_ids
                .get(name)
                .copied()
                .ok_or_else(|| format!("unknown shape {name}"))
        };
        // Ids follow the BTreeMap's name order, which `shape_named` relies on.
        let mut shapes = Vec::with_capacity(raw.shapes.len());
        let mut errors = HashMap::new();
        for (name, rs) in &raw.shapes {
            let kind = match &*rs.kind {
                "structure" => {
                    let mut members = Vec::with_capacity(rs.members.0.len());
                    for (mname, rm) in &rs.members.0 {
                        let wire_name = rm.location_name.as_deref().unwrap_or(mname).to_string();
                        members.push(Member {
                            name: mname.to_string(),
                            shape: id(&rm.shape)?,
                            location: match rm.location.as_deref() {
                                Some("uri") => Location::Uri,
                                Some("querystring") => Location::QueryString,
                                Some("header") => Location::Header,
                                Some("headers") => Location::Headers,
                                Some("statusCode") => Location::StatusCode,
                                _ => Location::Body,
                            },
                            wire_name_plain: !crate::convert::needs_escape(wire_name.as_bytes()),
                            wire_name,
                            required: rs.required.iter().any(|r| r == mname),
                            idempotency_token: rm.idempotency_token,
                            jsonvalue: rm.jsonvalue,
                            timestamp_format: rm
                                .timestamp_format
                                .as_deref()
                                .and_then(TimestampFormat::from_model),
                            flattened: rm.flattened,
                        });
                    }
                    let payload = rs
                        .payload
                        .as_ref()
                        .and_then(|p| members.iter().position(|m| m.name == **p));
                    let index = crate::shape::MemberIndex::new(&members);
                    ShapeKind::Structure {
                        members,
                        payload,
                        index,
                        union: rs.union,
                    }
                }
                "list" => {
                    let m = rs
                        .member
                        .as_ref()
                        .ok_or_else(|| format!("{name}: list without member"))?;
                    ShapeKind::List {
                        member: id(&m.shape)?,
                        member_name: m.location_name.as_deref().unwrap_or("member").to_string(),
                        flattened: rs.flattened,
                    }
                }
                "map" => {
                    let k = rs
                        .key
                        .as_ref()
                        .ok_or_else(|| format!("{name}: map without key"))?;
                    let v = rs
                        .value
                        .as_ref()
                        .ok_or_else(|| format!("{name}: map without value"))?;
                    ShapeKind::Map {
                        key: id(&k.shape)?,
                        value: id(&v.shape)?,
                        key_name: k.location_name.as_deref().unwrap_or("key").to_string(),
                        value_name: v.location_name.as_deref().unwrap_or("value").to_string(),
                        flattened: rs.flattened,
                    }
                }
                "string" => ShapeKind::String {
                    enum_values: rs
                        .enum_values
                        .as_ref()
                        .map(|v| v.iter().map(|e| e.to_string()).collect()),
                },
                "integer" => ShapeKind::Integer,
                "long" => ShapeKind::Long,
                "float" => ShapeKind::Float,
                "double" => ShapeKind::Double,
                "boolean" => ShapeKind::Boolean,
                "timestamp" => ShapeKind::Timestamp,
                "blob" => ShapeKind::Blob,
                other => return Err(format!("{name}: unknown type {other}")),
            };
            let error = if rs.exception {
                let info = rs.error.as_ref();
                let code = info
                    .and_then(|e| e.code.clone())
                    .unwrap_or_else(|| name.to_string());
                let status = info.and_then(|e| e.http_status_code).unwrap_or(400);
                let sender_fault = info.map(|e| e.sender_fault).unwrap_or(status < 500);
                errors.insert(name.to_string(), shapes.len());
                errors.insert(code.clone(), shapes.len());
                Some(Box::new(ErrorInfo {
                    code,
                    status,
                    sender_fault,
                }))
            } else {
                None
            };
            shapes.push(Shape {
                name: name.to_string(),
                kind,
                min: rs.min,
                max: rs.max,
                pattern: rs
                    .pattern
                    .as_deref()
                    .map(|p| Box::new(Pattern::new(p.to_string()))),
                timestamp_format: rs
                    .timestamp_format
                    .as_deref()
                    .and_then(TimestampFormat::from_model),
                error,
            });
        }
        let mut operations = Vec::with_capacity(raw.operations.len());
        let mut op_ids = HashMap::new();
        let mut router = Router::default();
        for (name, ro) in &raw.operations {
            let input = ro.input.as_ref().map(|r| id(&r.shape)).transpose()?;
            let output = ro.output.as_ref().map(|r| id(&r.shape)).transpose()?;
            let idempotency_tokens = input
                .and_then(|i| shapes.get(i))
                .map(|s: &Shape| {
                    s.members()
                        .iter()
                        .filter(|m| m.idempotency_token)
                        .map(|m| m.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            let paginator = paginators.pagination.get(&**name).and_then(|p| {
                Some(Paginator {
                    input_token: first_string(p.input_token.as_ref()?)?,
                    output_token: first_string(p.output_token.as_ref()?)?,
                    limit_key: p.limit_key.clone(),
                    result_keys: p.result_key.as_ref().map(all_strings).unwrap_or_default(),
                })
            });
            let idx = operations.len();
            if protocol == Protocol::RestJson {
                router.add(&ro.http.method, &ro.http.request_uri, idx);
            }
            op_ids.insert(ro.name.to_string(), idx);
            operations.push(Operation {
                name: ro.name.to_string(),
                method: ro.http.method.to_string(),
                uri: ro.http.request_uri.to_string(),
                input,
                output,
                result_wrapper: ro
                    .output
                    .as_ref()
                    .and_then(|r| r.result_wrapper.as_deref().map(str::to_string)),
                response_code: ro.http.response_code.unwrap_or(200),
                idempotency_tokens,
                paginator,
                errors: ro.errors.iter().map(|e| e.shape.to_string()).collect(),
                unsigned: ro.authtype.as_deref() == Some("none"),
                unsigned_payload: ro.unsigned_payload
                    || ro.authtype.as_deref() == Some("v4-unsigned-body"),
            });
        }
        let validation_error = if protocol == Protocol::Query {
            "ValidationError"
        } else if shape_ids.contains_key("ValidationException") {
            "ValidationException"
        } else if shape_ids.contains_key("BadRequestException") {
            "BadRequestException"
        } else {
            "UnprocessableEntityException"
        }
        .to_string();
        let unconstrained = (0..shapes.len())
            .map(|id| crate::validate::unconstrained(&shapes, protocol, id))
            .collect();
        Ok(Model {
            signing_name: raw
                .metadata
                .signing_name
                .as_deref()
                .unwrap_or(&raw.metadata.endpoint_prefix)
                .to_string(),
            protocol,
            api_version: raw.metadata.api_version.to_string(),
            xml_namespace: raw
                .metadata
                .xml_namespace
                .as_deref()
                .unwrap_or_default()
                .to_string(),
            shapes,
            unconstrained,
            operations,
            op_ids,
            router,
            errors,
            validation_error,
        })
    }

    /// The error for a body that is not valid JSON or has the wrong types: smithy-built
    /// services answer `SerializationException`, the older ones their validation error.
    pub(crate) fn serialization_error(&self, message: String) -> ServiceError {
        if self.validation_error == "ValidationException" {
            ServiceError::new("SerializationException", message).with_status(400)
        } else {
            ServiceError::new(self.validation_error.clone(), message)
        }
    }
}

fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.first().and_then(|x| x.as_str()).map(str::to_string),
        _ => None,
    }
}

fn all_strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
