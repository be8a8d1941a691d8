//! Admin endpoints under `/_mediamock/`. `health` and `metrics` are open; everything else
//! needs a request SigV4-signed by an account's root credentials — there is no
//! unauthenticated way around IAM.

use crate::app::App;
use crate::authenticate::{auth_error, authenticate};
use crate::pipeline::Incoming;
use crate::response::{self, Body};
use hyper::Response;
use serde_json::{json, Value};
use service::{Principal, Record, RequestContext, ServiceError};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The prefix every admin path starts with.
pub const PREFIX: &str = "/_mediamock/";

/// Format tag of `/_mediamock/state` documents.
const STATE_FORMAT: &str = "mediamock-state-1";

/// Serves one admin request.
pub async fn serve(app: &Arc<App>, req: &Incoming<'_>) -> Response<Body> {
    let rid = req.request_id;
    let route = req.path.strip_prefix(PREFIX).unwrap_or("");
    match (req.method, route) {
        ("GET", "health") => return response::json(200, &health(app), rid),
        ("GET", "metrics") => {
            let mut resources = Vec::new();
            for (name, s) in app.stores() {
                for (kind, n) in s.resource_counts() {
                    resources.push((name.to_string(), kind, n));
                }
            }
            return response::build(
                200,
                vec![(
                    "content-type".into(),
                    "text/plain; version=0.0.4; charset=utf-8".into(),
                )],
                app.metrics.render(&resources).into_bytes(),
                rid,
            );
        }
        _ => {}
    }
    let principal = match authenticate(
        &app.verifier,
        &app.iam,
        &req.sigv4_parts(),
        SystemTime::now(),
    ) {
        Ok((p, _)) => p,
        Err(e) => {
            let err = auth_error(&e, false);
            return error(err.status.unwrap_or(403), &err.code, &err.message, rid);
        }
    };
    if !principal.is_root() {
        return error(
            403,
            "AccessDenied",
            &format!(
                "{} is not allowed to use the mediamock admin API: it needs an account's root credentials",
                principal.arn
            ),
            rid,
        );
    }
    let body: Value = if req.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(req.body) {
            Ok(v) => v,
            Err(e) => {
                return error(
                    400,
                    "ValidationException",
                    &format!("the body is not JSON: {e}"),
                    rid,
                )
            }
        }
    };
    let result = match (req.method, route) {
        ("POST", "reset") => reset(app, &body).await,
        ("GET", "state") => Ok(export(app, &principal)),
        ("PUT", "state") => import(app, &principal, body).await,
        ("GET", "decisions") => Ok(app.iam.decisions(&principal.account)),
        ("POST", "clock/advance") => advance(app, &body),
        (method, path) => service_admin(app, &principal, req, method, path, body).await,
    };
    match result {
        Ok(v) => response::json(200, &v, rid),
        Err(e) => error(e.status.unwrap_or(400), &e.code, &e.message, rid),
    }
}

fn error(status: u16, code: &str, message: &str, rid: &str) -> Response<Body> {
    response::json(status, &json!({"code": code, "message": message}), rid)
}

fn health(app: &App) -> Value {
    let mut emulated: Vec<&str> = app.services.keys().copied().collect();
    emulated.sort();
    let mut models: Vec<&str> = app.registry.signing_names().collect();
    models.sort();
    json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "services": emulated,
        "models": models,
        "uptimeSeconds": app.started.elapsed().as_secs_f64(),
        "durable": app.persistence.is_some(),
    })
}

async fn reset(app: &App, body: &Value) -> Result<Value, ServiceError> {
    let only = body.get("service").and_then(Value::as_str);
    let mut done = Vec::new();
    for (name, s) in app.stores() {
        if only.is_none_or(|o| o == name || o == s.signing_name()) {
            s.reset();
            done.push(name);
        }
    }
    if done.is_empty() {
        return Err(ServiceError::new(
            "ValidationException",
            format!("no emulated service is called '{}'", only.unwrap_or("")),
        ));
    }
    // A reset returns to the state the server started with, bootstrap identities included,
    // so a CI job's declared keys keep working after it.
    if let (true, Some(path)) = (done.contains(&"iam"), &app.config.bootstrap) {
        app.iam
            .load_bootstrap(path)
            .map_err(ServiceError::internal)?;
    }
    persist_snapshot(app).await?;
    Ok(json!({"reset": done}))
}

fn export(app: &App, principal: &Principal) -> Value {
    let records: Vec<Value> = app
        .snapshot(Some(&principal.account))
        .into_iter()
        .map(|(store, r)| json!({"store": store, "record": r}))
        .collect();
    json!({"format": STATE_FORMAT, "account": principal.account, "records": records})
}

async fn import(app: &App, principal: &Principal, body: Value) -> Result<Value, ServiceError> {
    let bad = |m: String| ServiceError::new("ValidationException", m);
    if body.get("format").and_then(Value::as_str) != Some(STATE_FORMAT) {
        return Err(bad(format!(
            "a state document has \"format\": \"{STATE_FORMAT}\""
        )));
    }
    let entries = body
        .get("records")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("a state document has a \"records\" array".into()))?;
    let mut parsed = Vec::with_capacity(entries.len());
    for e in entries {
        let store = e.get("store").and_then(Value::as_str).unwrap_or_default();
        let record: Record = serde_json::from_value(e.get("record").cloned().unwrap_or_default())
            .map_err(|err| bad(format!("a record is malformed: {err}")))?;
        if record.account != principal.account {
            return Err(bad(format!(
                "a record belongs to account {}, but the caller is the root of {}",
                record.account, principal.account
            )));
        }
        let service = app.store(store).ok_or_else(|| {
            bad(format!(
                "no emulated service keeps records called '{store}'"
            ))
        })?;
        parsed.push((service.clone(), record));
    }
    for (service, record) in &parsed {
        service
            .restore(record)
            .map_err(|e| bad(format!("a record could not be imported: {e}")))?;
    }
    persist_snapshot(app).await?;
    Ok(json!({"imported": parsed.len()}))
}

async fn persist_snapshot(app: &App) -> Result<(), ServiceError> {
    if let Some(p) = &app.persistence {
        p.compact(app.snapshot(None))
            .await
            .map_err(ServiceError::internal)?;
    }
    Ok(())
}

fn advance(app: &App, body: &Value) -> Result<Value, ServiceError> {
    let seconds = body
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| {
            ServiceError::new(
                "ValidationException",
                "clock/advance takes {\"seconds\": N} with N >= 0",
            )
        })?;
    let now = app.runtime.clock.advance(Duration::from_secs_f64(seconds));
    Ok(
        json!({"lifecycleTime": now, "mode": format!("{:?}", app.runtime.clock.mode()).to_lowercase()}),
    )
}

async fn service_admin(
    app: &App,
    principal: &Arc<Principal>,
    req: &Incoming<'_>,
    method: &str,
    path: &str,
    body: Value,
) -> Result<Value, ServiceError> {
    let (name, rest) = path.split_once('/').unwrap_or((path, ""));
    let not_found = || {
        ServiceError::new(
            "NotFound",
            format!("no admin endpoint {method} {PREFIX}{path}"),
        )
        .with_status(404)
    };
    let service = app.services.get(name).ok_or_else(not_found)?;
    let region = body
        .get("region")
        .and_then(Value::as_str)
        .unwrap_or("us-east-1")
        .to_string();
    let mut ctx = RequestContext::new(req.request_id, principal.clone(), &region);
    ctx.source_ip = Some(req.peer.ip());
    let result = service
        .admin(&ctx, method, rest, body)
        .ok_or_else(not_found)?;
    app.persist(service.as_ref(), &ctx.journal)
        .await
        .map_err(ServiceError::internal)?;
    result
}
