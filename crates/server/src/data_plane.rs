//! Data-plane requests (MediaPackage egress and ingest): routed by the service that claims the
//! path, authenticated if signed (the anonymous principal if not), authorized through the same
//! stage as API calls (engine, IAM evaluation with the resource's policy, decision log,
//! metrics), then served.

use crate::app::App;
use crate::authenticate::{auth_error, authenticate};
use crate::pipeline::{error_response, Incoming, Outcome};
use crate::response::{self, Body};
use hyper::Response;
use service::{ObjectRequest, Service, ServiceError};
use std::sync::Arc;
use std::time::SystemTime;

/// The service and data-plane request `req` is, if a service claims it.
pub fn route<'a>(
    app: &'a App,
    req: &Incoming<'_>,
) -> Option<(&'a Arc<dyn Service>, ObjectRequest)> {
    app.services
        .values()
        .find_map(|s| s.object_route(req.method, req.path).map(|o| (s, o)))
}

/// Serves one data-plane request, received at `now` (the time its steps see, see
/// [`service::at_request_time`]).
pub fn serve(
    app: &Arc<App>,
    req: &Incoming<'_>,
    service: &Arc<dyn Service>,
    object: ObjectRequest,
    now: SystemTime,
) -> (Response<Body>, Outcome) {
    service::at_request_time(now, || serve_at(app, req, service, object, now))
}

fn serve_at(
    app: &Arc<App>,
    req: &Incoming<'_>,
    service: &Arc<dyn Service>,
    object: ObjectRequest,
    now: SystemTime,
) -> (Response<Body>, Outcome) {
    let mut outcome = Outcome {
        service: service.signing_name().to_string(),
        operation: object.action.into(),
        ..Outcome::default()
    };
    let model = app.registry.model(service.signing_name());
    let parts = req.sigv4_parts();
    let principal = if req.signed() {
        match authenticate(&app.verifier, &app.iam, &parts, now) {
            Ok((p, verified)) if verified.scope.service == service.signing_name() => p,
            Ok(_) => {
                let err = ServiceError::new(
                    "InvalidSignatureException",
                    format!(
                        "Credential should be scoped to correct service: '{}'. ",
                        service.signing_name()
                    ),
                )
                .with_status(403);
                return (error_response(model, &err, req.request_id), outcome);
            }
            Err(e) => {
                return (
                    error_response(model, &auth_error(&e, false), req.request_id),
                    outcome,
                )
            }
        }
    } else {
        service::Principal::anonymous()
    };
    outcome.principal = Some(principal.clone());
    let ctx = crate::pipeline::request_context(app, req, principal, &object.region);
    // `NoPermission` (the override table): AWS does not IAM-authorize this data plane; the
    // service applies the resource's own access settings (MediaPackage v1 allow lists).
    let accesses = match authz::authorize(service.as_ref(), &ctx, object.action, &object.input) {
        Ok(authz::Authorization::Required(a)) if !a.is_empty() => Some(a),
        Ok(authz::Authorization::NoPermission) => None,
        Ok(authz::Authorization::Each(_)) => {
            // No data-plane request is decided per item: refused, never allowed.
            let err = ServiceError::internal(format!(
                "mediamock decides no data-plane request per item ({}); the request is refused",
                object.action
            ));
            return (error_response(model, &err, req.request_id), outcome);
        }
        Ok(authz::Authorization::Required(_)) => {
            let err = ServiceError::internal(format!(
                "no access computed for {}; the request is refused",
                object.action
            ));
            return (error_response(model, &err, req.request_id), outcome);
        }
        Err(err) => return (error_response(model, &err, req.request_id), outcome),
    };
    if let Some(accesses) = accesses {
        // Only the log line shows it: copied only when that line is written.
        if crate::listener::request_log_enabled() {
            outcome.resource = accesses[0].resource.clone();
        }
        if let Err(denial) = app.iam.authorize(&ctx, &accesses) {
            outcome.decision = "denied";
            app.metrics.decision(false);
            let err = ServiceError::new("AccessDeniedException", denial.message).with_status(403);
            return (error_response(model, &err, req.request_id), outcome);
        }
        outcome.decision = "allowed";
        app.metrics.decision(true);
    }
    let served = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        service.serve_object(&ctx, &object)
    }))
    .unwrap_or_else(|_| {
        Err(ServiceError::internal(format!(
            "mediamock failed while serving {}",
            object.action
        )))
    });
    match served {
        Ok(o) => {
            let length = o.body.len();
            // HEAD answers the headers GET would, without the body.
            let body = if req.method == "HEAD" {
                Vec::new()
            } else {
                o.body
            };
            let mut r = response::build(
                o.status,
                vec![("content-type".into(), o.content_type.into())],
                body,
                req.request_id,
            );
            if req.method == "HEAD" {
                if let Ok(v) = length.to_string().parse() {
                    r.headers_mut().insert(hyper::header::CONTENT_LENGTH, v);
                }
            }
            (r, outcome)
        }
        Err(err) => (error_response(model, &err, req.request_id), outcome),
    }
}
