//! The request's path: authenticate → route → authorize → handle → persist → serialize.

use crate::app::App;
use crate::authenticate::{auth_error, authenticate_with};
use crate::response::{self, Body};
use hyper::Response;
use protocol::{HttpRequest, Model, Protocol};
use service::{ObjectRequest, Principal, RequestContext, Service, ServiceError};
use std::borrow::Cow;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::SystemTime;

/// A request as read off the wire, body complete.
pub struct Incoming<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Raw path, still percent-encoded.
    pub path: &'a str,
    /// Raw query string, without '?'.
    pub query: &'a str,
    /// Headers in the order received.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The whole body.
    pub body: &'a [u8],
    /// The client's address.
    pub peer: SocketAddr,
    /// This request's ID.
    pub request_id: &'a str,
    /// Whether it carries SigV4 credentials ([`is_signed`]): found once, by [`Incoming::new`],
    /// as the check before the body, the data plane and the pipeline all ask.
    signed: bool,
}

impl<'a> Incoming<'a> {
    /// A request as read off the wire (`body` empty until it is read).
    pub fn new(
        method: &'a str,
        path: &'a str,
        query: &'a str,
        headers: &'a [(&'a str, &'a [u8])],
        body: &'a [u8],
        peer: SocketAddr,
        request_id: &'a str,
    ) -> Self {
        let mut incoming = Incoming {
            method,
            path,
            query,
            headers,
            body,
            peer,
            request_id,
            signed: false,
        };
        incoming.signed = is_signed(&incoming.sigv4_parts());
        incoming
    }

    /// The same request with its body read (whether it is signed depends on its headers and
    /// query only).
    pub fn with_body<'b>(self, body: &'b [u8]) -> Incoming<'b>
    where
        'a: 'b,
    {
        Incoming { body, ..self }
    }

    /// Whether it carries SigV4 credentials.
    pub fn signed(&self) -> bool {
        self.signed
    }
}

impl Incoming<'_> {
    /// The parts SigV4 covers.
    pub fn sigv4_parts(&self) -> sigv4::RequestParts<'_> {
        sigv4::RequestParts {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
        }
    }

    fn http_request(&self) -> HttpRequest<'_> {
        HttpRequest {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
        }
    }
}

/// What the log line and metrics say about a served API request.
#[derive(Default)]
pub struct Outcome {
    /// Signing name of the service, if known.
    pub service: String,
    /// Operation name, if routed (the model's or the data plane's own, not copied).
    pub operation: Cow<'static, str>,
    /// The principal, if authenticated (shared, not its ARN copied: only the log reads it).
    pub principal: Option<Arc<Principal>>,
    /// First resource authorized, if any.
    pub resource: String,
    /// `allowed`, `denied`, or empty when authorization did not run.
    pub decision: &'static str,
}

impl Outcome {
    /// The principal's ARN, or empty when not authenticated.
    pub fn principal_arn(&self) -> &str {
        self.principal.as_ref().map_or("", |p| p.arn.as_str())
    }
}

/// Serves one AWS API request, or the data-plane request `object` ([`crate::data_plane::route`]
/// of the same request) if it is one. `checked`: what [`check_before_body`] found for it.
pub async fn serve_api(
    app: &Arc<App>,
    req: &Incoming<'_>,
    object: Option<(&Arc<dyn Service>, ObjectRequest)>,
    checked: Option<sigv4::Checked>,
) -> (Response<Body>, Outcome) {
    // The request's time: what the signature is checked against, and the time its steps
    // see (`service::at_request_time`).
    let now = SystemTime::now();
    if let Some((service, object)) = object {
        return crate::data_plane::serve(app, req, service, object, now);
    }
    let mut outcome = Outcome::default();
    let http = req.http_request();
    let parts = req.sigv4_parts();
    // Operations AWS serves unsigned (STS AssumeRoleWithWebIdentity/SAML: the caller has no
    // AWS credentials yet, the token is its credential) run as the anonymous principal; the
    // service verifies the token and the authorize stage evaluates the identity it names
    // against the role's trust policy.
    let authenticated = match unsigned_operation(app, &http, req.signed(), now) {
        Some(anonymous) => Ok(anonymous),
        None => service::at_request_time(now, || {
            authenticate_with(
                &app.verifier,
                &app.iam,
                &parts,
                now,
                unsigned_payload_allowed(app, &http, &parts),
                checked,
            )
        }),
    };
    let (principal, verified) = match authenticated {
        Ok(v) => v,
        Err(e) => return auth_failure(app, req, &e),
    };
    outcome.principal = Some(principal.clone());
    // The scope's service name is moved into the outcome rather than copied.
    let sigv4::CredentialScope {
        service, region, ..
    } = verified.scope;
    let model = app.registry.model(&service);
    outcome.service = service;
    let Some(model) = model else {
        let err = ServiceError::new(
            "UnknownServiceException",
            format!(
                "mediamock does not emulate the service '{}'; it serves {}",
                outcome.service,
                served_services(app)
            ),
        )
        .with_status(400);
        return (error_response(None, &err, req.request_id), outcome);
    };
    if model.signing_name() == "iam" && !iam::iam_accepts(&principal) {
        return auth_failure(app, req, &sigv4::SigV4Error::InvalidSecurityToken);
    }
    let registered = app.services.get(model.signing_name());
    // The member the service reads apart (MediaConvert's job settings), if any.
    let apart = |operation: &str| registered.and_then(|s| s.doc_member(operation));
    let (operation, input, doc_member) = match model.parse_request_apart(&http, &apart) {
        Ok(routed) => routed,
        Err(err) => return (error_response(Some(model), &err, req.request_id), outcome),
    };
    outcome.operation = Cow::Borrowed(&operation.name);
    let Some(service) = registered else {
        let err = ServiceError::not_implemented(model.signing_name(), &operation.name);
        return (error_response(Some(model), &err, req.request_id), outcome);
    };
    let mut ctx = request_context(app, req, principal, region);
    ctx.doc_member = doc_member;
    if app.persistence.is_none() {
        // Without `--data-dir` nobody reads the request's records: don't build them.
        ctx.journal = service::Journal::discarding();
    }

    let authorized = service::at_request_time(now, || {
        authorization(service.as_ref(), &ctx, &operation.name, &input)
    });
    let (accesses, each) = match authorized {
        Ok(a) => a,
        Err(err) => return (error_response(Some(model), &err, req.request_id), outcome),
    };
    if let Some(first) = accesses.first() {
        // Only the log line shows it: copied only when that line is written.
        if crate::listener::request_log_enabled() {
            outcome.resource = first.resource.clone();
        }
        // A federation call is decided for the identity its token names: log that one.
        if let Some(p) = &first.principal {
            outcome.principal = Some(p.clone());
        }
    }
    let decided = service::at_request_time(now, || {
        if each {
            // Each item is decided alone; the handler answers a refusal for each refused one.
            for access in &accesses {
                if app
                    .iam
                    .authorize(&ctx, std::slice::from_ref(access))
                    .is_err()
                {
                    ctx.refused.push(access.resource.clone());
                }
            }
            Ok(())
        } else {
            app.iam.authorize_spent(&ctx, accesses)
        }
    });
    if let Err(denial) = decided {
        outcome.decision = "denied";
        app.metrics.decision(false);
        let code = match model.protocol() {
            Protocol::Query => "AccessDenied",
            Protocol::RestJson => "AccessDeniedException",
        };
        let err = ServiceError::new(code, denial.message).with_status(403);
        return (error_response(Some(model), &err, req.request_id), outcome);
    }
    outcome.decision = "allowed";
    app.metrics.decision(true);

    // Held from the change to its durability, so a reset's or import's snapshot cannot
    // fall between the two (see `App::commit_gate`).
    let _commit = app.commit_gate.read().await;
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        service::at_request_time(now, || service.handle_output(&ctx, &operation.name, input))
    }))
    .unwrap_or_else(|_| {
        Err(ServiceError::internal(format!(
            "mediamock failed while running {}; the request was not applied",
            operation.name
        )))
    });
    if let Err(e) = app.persist(service.as_ref(), &ctx.journal).await {
        tracing::error!(error = %e, "could not persist a change");
        let err = ServiceError::internal(format!("could not persist the change: {e}"));
        return (error_response(Some(model), &err, req.request_id), outcome);
    }
    let response = match result {
        Ok(output) => {
            let r = model.serialize_rendered_for(&http, operation, output, req.request_id);
            response::build(r.status, r.headers, r.body, req.request_id)
        }
        Err(err) => error_response(Some(model), &err, req.request_id),
    };
    (response, outcome)
}

/// The most body an unsigned request may send. The largest input AWS serves unsigned is STS
/// AssumeRoleWithSAML's (a `SAMLAssertion` of at most 100,000 characters, at most 3 bytes
/// each once form-encoded, plus small members), well under this.
pub const UNSIGNED_BODY_LIMIT: usize = 1024 * 1024;

/// A request [`check_before_body`] lets have its body read.
#[derive(Debug)]
pub struct Admitted {
    /// How much body to accept.
    pub body_limit: usize,
    /// What the check parsed of a signed request's credentials, for [`serve_api`] (which
    /// does not parse them again).
    pub checked: Option<sigv4::Checked>,
}

/// Refuses, before its body is read, a request that cannot authenticate whatever its body:
/// credentials missing (unless the request may be for an operation AWS serves unsigned),
/// malformed, outside the clock window, or for an unknown key. `req.body` is empty here;
/// `data_plane` says whether a service claims the request as data-plane (MediaPackage egress
/// and ingest, served to the anonymous principal). The signature itself is checked once the
/// body is in.
pub fn check_before_body(
    app: &App,
    req: &Incoming<'_>,
    data_plane: bool,
) -> Result<Admitted, Box<(Response<Body>, Outcome)>> {
    let parts = req.sigv4_parts();
    let result = if req.signed() {
        crate::authenticate::check_before_body(&app.verifier, &app.iam, &parts, SystemTime::now())
            .map(|checked| Admitted {
                body_limit: usize::MAX,
                checked: Some(checked),
            })
    } else if data_plane || app.registry.may_serve_unsigned(&req.http_request()) {
        // Federation tokens, and MediaPackage egress/ingest as the anonymous principal.
        Ok(Admitted {
            body_limit: UNSIGNED_BODY_LIMIT,
            checked: None,
        })
    } else {
        Err(sigv4::SigV4Error::MissingAuthentication)
    };
    result.map_err(|e| Box::new(auth_failure(app, req, &e)))
}

/// The authentication failure in the wire format of the service the request is for.
fn auth_failure(app: &App, req: &Incoming<'_>, e: &sigv4::SigV4Error) -> (Response<Body>, Outcome) {
    let model = error_model(app, req, &req.sigv4_parts());
    let outcome = Outcome {
        service: model
            .map(|m| m.signing_name().to_string())
            .unwrap_or_default(),
        ..Outcome::default()
    };
    let query = model.is_some_and(|m| m.protocol() == Protocol::Query);
    let err = auth_error(e, query);
    (error_response(model, &err, req.request_id), outcome)
}

/// Whether the request carries SigV4 credentials in either form (well formed or not).
pub(crate) fn is_signed(parts: &sigv4::RequestParts<'_>) -> bool {
    parts
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        || parts.query.contains("X-Amz-Algorithm=")
        || parts.query.contains("X-Amz-Credential=")
        || parts.query.contains("X-Amz-Signature=")
}

/// Whether the request claims `UNSIGNED-PAYLOAD` for an operation whose model allows it (the
/// credential scope's service, routed without trusting anything else yet).
fn unsigned_payload_allowed(
    app: &App,
    http: &HttpRequest<'_>,
    parts: &sigv4::RequestParts<'_>,
) -> bool {
    parts
        .header_str("x-amz-content-sha256")
        .is_some_and(|v| v.trim() == sigv4::UNSIGNED_PAYLOAD)
        && sigv4::peek_scope(parts)
            .and_then(|scope| app.registry.model(&scope.service))
            .and_then(|m| m.route(http))
            .is_some_and(|op| op.allows_unsigned_payload())
}

/// The accesses a request needs, from the engine, and whether each is decided alone. Fails
/// closed: only the engine's explicit "no permission needed" yields none.
fn authorization(
    service: &dyn service::Service,
    ctx: &RequestContext,
    operation: &str,
    input: &serde_json::Value,
) -> Result<(Vec<service::Access>, bool), ServiceError> {
    match authz::authorize(service, ctx, operation, input)? {
        authz::Authorization::NoPermission => Ok((Vec::new(), false)),
        authz::Authorization::Required(a) | authz::Authorization::Each(a) if a.is_empty() => {
            Err(ServiceError::internal(format!(
                "no access computed for {operation}; the request is refused"
            )))
        }
        authz::Authorization::Required(a) => Ok((a, false)),
        authz::Authorization::Each(a) => Ok((a, true)),
    }
}

/// Which model should word an error for a request whose credential did not verify: the
/// credential scope's service if readable, else the service the request looks like; a form
/// whose body is not read yet is a query-protocol request.
pub(crate) fn error_model<'a>(
    app: &'a App,
    req: &Incoming<'_>,
    parts: &sigv4::RequestParts<'_>,
) -> Option<&'a Model> {
    let http = req.http_request();
    sigv4::peek_scope(parts)
        .and_then(|scope| app.registry.model(&scope.service))
        .or_else(|| {
            app.registry
                .guess_service(&http)
                .and_then(|name| app.registry.model(name))
        })
        .or_else(|| {
            (http.is_form() && req.body.is_empty())
                .then(|| app.registry.model("sts"))
                .flatten()
        })
}

/// Serializes an error in `model`'s wire format, or as plain restJson without a model.
pub fn error_response(
    model: Option<&Model>,
    err: &ServiceError,
    request_id: &str,
) -> Response<Body> {
    match model {
        Some(m) => {
            let r = m.serialize_error(err, request_id);
            response::build(r.status, r.headers, r.body, request_id)
        }
        None => response::build(
            err.status.unwrap_or(400),
            vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), err.code.clone().into()),
            ],
            serde_json::to_vec(&serde_json::json!({"message": err.message})).unwrap_or_default(),
            request_id,
        ),
    }
}

fn served_services(app: &App) -> String {
    let mut names: Vec<&str> = app.registry.signing_names().collect();
    names.sort();
    names.join(", ")
}

/// The anonymous principal, scoped to the operation's service, for an unsigned request to an
/// operation the model says AWS serves unsigned (`authtype: none`). Any other unsigned
/// request still fails authentication.
fn unsigned_operation(
    app: &App,
    http: &HttpRequest<'_>,
    signed: bool,
    now: SystemTime,
) -> Option<(Arc<service::Principal>, sigv4::Verified)> {
    if signed {
        return None;
    }
    let model = app
        .registry
        .guess_service(http)
        .and_then(|name| app.registry.model(name))?;
    if !model.route(http)?.allows_unsigned() {
        return None;
    }
    let principal = service::Principal::anonymous();
    let verified = sigv4::Verified {
        access_key_id: String::new(),
        scope: sigv4::CredentialScope {
            date: String::new(),
            // An unsigned request names no region; the global endpoints live in us-east-1.
            region: "us-east-1".into(),
            service: model.signing_name().to_string(),
        },
        signed_headers: sigv4::SignedHeaders::default(),
        request_time: now,
        presigned: false,
    };
    Some((principal, verified))
}

/// The context of a request by `principal` in `region` (the credential scope's, moved in):
/// what policies see of the client (its address, `aws:SecureTransport` as configured) and the
/// `Host` it addressed.
pub(crate) fn request_context(
    app: &App,
    req: &Incoming<'_>,
    principal: Arc<Principal>,
    region: impl Into<String>,
) -> RequestContext {
    let mut ctx = RequestContext::new(req.request_id, principal, region);
    ctx.source_ip = Some(crate::source_ip::source_ip(
        req.peer,
        req.headers,
        app.config.trust_forwarded_for,
        app.config.trusted_proxy_hops,
    ));
    ctx.secure_transport = app.config.secure_transport;
    ctx.host = host(req);
    ctx
}

/// The `Host` the client addressed (URLs the service returns point back at it).
pub(crate) fn host(req: &Incoming<'_>) -> Option<String> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .and_then(|(_, v)| std::str::from_utf8(v).ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(headers: &'a [(&'a str, &'a [u8])], query: &'a str) -> sigv4::RequestParts<'a> {
        sigv4::RequestParts {
            method: "POST",
            path: "/",
            query,
            headers,
            body: b"",
        }
    }

    #[test]
    fn any_credential_in_either_form_makes_a_request_signed() {
        assert!(is_signed(&parts(&[("Authorization", b"Basic x")], "")));
        for query in [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "a=1&X-Amz-Credential=k",
            "X-Amz-Signature=00",
        ] {
            assert!(is_signed(&parts(&[], query)), "{query}");
        }
        assert!(!is_signed(&parts(
            &[("host", b"x")],
            "Action=GetCallerIdentity"
        )));
    }

    use serde_json::{json, Value};
    use service::{Principal, Service};

    /// A service with operations AWS's reference does not know: refused, never allowed.
    struct Unknown;

    impl Service for Unknown {
        fn signing_name(&self) -> &'static str {
            "ivs"
        }
        fn handle(&self, _: &RequestContext, _: &str, _: Value) -> Result<Value, ServiceError> {
            unreachable!("never reached without authorization")
        }
    }

    fn ctx() -> RequestContext {
        RequestContext::new("r", Arc::new(Principal::root("1", "k")), "us-west-2")
    }

    #[test]
    fn an_operation_without_accesses_is_refused_not_allowed() {
        let e = authorization(&Unknown, &ctx(), "ExportEverything", &json!({})).unwrap_err();
        assert_eq!(e.status, Some(500), "{e}");
        let (mapped, each) =
            authorization(&Unknown, &ctx(), "GetChannel", &json!({"arn": "x"})).unwrap();
        assert_eq!(mapped.len(), 1);
        assert!(!each, "decided for the whole request");
    }
}
