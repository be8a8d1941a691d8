//! Admin endpoints under `/_mediamock/`. `health`, `metrics`, the console's static files and
//! the outbound identity federation issuers' discovery documents (`issuer/HOST/.well-known/…`)
//! are open; everything else needs a request SigV4-signed by an account's root credentials —
//! there is no unauthenticated way around IAM.

use crate::app::App;
use crate::authenticate::{auth_error, authenticate};
use crate::pipeline::Incoming;
use crate::response::{self, Body};
use hyper::Response;
use serde_json::{json, Value};
use service::{Principal, Record, Service, ServiceError};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The prefix every admin path starts with.
pub const PREFIX: &str = "/_mediamock/";

/// The longest single step of the manual lifecycle clock: a century, far beyond any
/// lifecycle, and far below where durations overflow.
const MAX_ADVANCE_SECONDS: f64 = 100.0 * 365.25 * 86_400.0;

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
    if req.method == "GET" {
        if let Some(found) = iam::outbound::discovery(&app.iam, route, &origin(req)) {
            return match found {
                Some(doc) => response::json(200, &doc, rid),
                None => error(404, "NotFound", "no account has this issuer", rid),
            };
        }
    }
    if route == crate::console_sign_in::ROUTE {
        return crate::console_sign_in::serve(app, req).await;
    }
    if let Some(r) = crate::console::serve(req.method, route, rid) {
        return r;
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
    let is_admin = app.admin.is(&principal);
    if !principal.is_root() && !is_admin {
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
    if body.get("allAccounts").is_some_and(|v| !v.is_boolean()) {
        return error(
            400,
            "ValidationException",
            "\"allAccounts\" is true or false",
            rid,
        );
    }
    let server_wide = match (req.method, route) {
        ("POST", "reset") => body.get("allAccounts").and_then(Value::as_bool) == Some(true),
        ("POST", "clock/advance") => true,
        _ => false,
    };
    if server_wide && !is_admin {
        return error(
            403,
            "AccessDenied",
            &format!(
                "{} is not the server's admin identity: {} {PREFIX}{route} acts on every account",
                principal.arn, req.method
            ),
            rid,
        );
    }
    if !server_wide && !principal.is_root() {
        return error(
            403,
            "AccessDenied",
            &format!(
                "{} is not allowed to use {PREFIX}{route}: it acts on an account's state and needs that account's root credentials",
                principal.arn
            ),
            rid,
        );
    }
    let result = match (req.method, route) {
        ("POST", "reset") if server_wide => reset_all(app, &body).await,
        ("POST", "reset") => reset_account(app, &principal.account, &body).await,
        ("GET", "state") => Ok(export(app, &principal)),
        ("PUT", "state") => import(app, &principal, body).await,
        ("GET", "decisions") => Ok(app.iam.decisions(&principal.account)),
        ("POST", "clock/advance") => advance(app, &body).await,
        (method, path) => service_admin(app, &principal, req, method, path, body).await,
    };
    match result {
        Ok(v) => response::json(200, &v, rid),
        Err(e) => error(e.status.unwrap_or(400), &e.code, &e.message, rid),
    }
}

/// `http://HOST` as the client reached this server (plain HTTP: mediamock serves no TLS).
fn origin(req: &Incoming<'_>) -> String {
    let host = req
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .and_then(|(_, v)| std::str::from_utf8(v).ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    format!("http://{host}")
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

/// A store's name and the service that keeps it.
type NamedStore<'a> = (&'static str, &'a Arc<dyn Service>);

/// The stores a reset names (`{"service": NAME}`), all of them by default.
fn stores_named<'a>(app: &'a App, body: &Value) -> Result<Vec<NamedStore<'a>>, ServiceError> {
    let only = body.get("service").and_then(Value::as_str);
    let chosen: Vec<_> = app
        .stores()
        .into_iter()
        .filter(|(name, s)| only.is_none_or(|o| o == *name || o == s.signing_name()))
        .collect();
    if chosen.is_empty() {
        return Err(ServiceError::new(
            "ValidationException",
            format!("no emulated service is called '{}'", only.unwrap_or("")),
        ));
    }
    Ok(chosen)
}

/// Every account back to the state the server started with (admin identity only).
async fn reset_all(app: &App, body: &Value) -> Result<Value, ServiceError> {
    let stores = stores_named(app, body)?;
    let _exclusive = app.commit_gate.write().await;
    for (_, s) in &stores {
        s.reset();
    }
    let done: Vec<&str> = stores.iter().map(|(name, _)| *name).collect();
    // A reset returns to the state the server started with, bootstrap identities included,
    // so a CI job's declared keys keep working after it.
    if let (true, Some(path)) = (done.contains(&"iam"), &app.config.bootstrap) {
        app.iam
            .load_bootstrap(path)
            .map_err(ServiceError::internal)?;
    }
    persist_snapshot(app).await?;
    Ok(json!({"reset": done, "accounts": "all"}))
}

/// The caller's account back to how the server started it; other accounts are untouched.
async fn reset_account(app: &App, account: &str, body: &Value) -> Result<Value, ServiceError> {
    let stores = stores_named(app, body)?;
    let _exclusive = app.commit_gate.write().await;
    for (_, s) in &stores {
        s.reset_account(account).map_err(ServiceError::internal)?;
    }
    let done: Vec<&str> = stores.iter().map(|(name, _)| *name).collect();
    if let (true, Some(path)) = (done.contains(&"iam"), &app.config.bootstrap) {
        app.iam
            .load_bootstrap_for(path, account)
            .map_err(ServiceError::internal)?;
    }
    persist_snapshot(app).await?;
    Ok(json!({"reset": done, "accounts": [account]}))
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
    let mut by_store: Vec<(&Arc<dyn Service>, Vec<Record>)> = Vec::new();
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
        match by_store.iter_mut().find(|(s, _)| Arc::ptr_eq(s, service)) {
            Some((_, records)) => records.push(record),
            None => by_store.push((service, vec![record])),
        }
    }
    let _exclusive = app.commit_gate.write().await;
    // Every record is checked against the state it will change before any is applied: an
    // import is refused whole when one record reaches beyond the caller's account.
    for (service, records) in &by_store {
        service
            .validate_import(&principal.account, records)
            .map_err(|e| bad(format!("the state document cannot be imported: {e}")))?;
    }
    let mut imported = 0;
    for (service, records) in &by_store {
        for record in records {
            service
                .restore(record)
                .map_err(|e| bad(format!("a record could not be imported: {e}")))?;
            imported += 1;
        }
    }
    persist_snapshot(app).await?;
    Ok(json!({"imported": imported}))
}

async fn persist_snapshot(app: &App) -> Result<(), ServiceError> {
    if let Some(p) = &app.persistence {
        p.compact(app.snapshot(None))
            .await
            .map_err(ServiceError::internal)?;
    }
    Ok(())
}

async fn advance(app: &App, body: &Value) -> Result<Value, ServiceError> {
    let seconds = body
        .get("seconds")
        .and_then(Value::as_f64)
        .filter(|s| (0.0..=MAX_ADVANCE_SECONDS).contains(s))
        .ok_or_else(|| {
            ServiceError::new(
                "ValidationException",
                format!(
                    "clock/advance takes {{\"seconds\": N}} with 0 <= N <= {MAX_ADVANCE_SECONDS}"
                ),
            )
        })?;
    let now = app.runtime.clock.advance(Duration::from_secs_f64(seconds));
    if app.runtime.clock.mode() == service::Transitions::Manual {
        app.persist_clock(now)
            .await
            .map_err(|e| ServiceError::internal(format!("could not keep the clock: {e}")))?;
    }
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
    let ctx = crate::pipeline::request_context(app, req, principal.clone(), &region);
    let _commit = app.commit_gate.read().await;
    let result = service
        .admin(&ctx, method, rest, body)
        .ok_or_else(not_found)?;
    app.persist(service.as_ref(), &ctx.journal)
        .await
        .map_err(ServiceError::internal)?;
    result
}
