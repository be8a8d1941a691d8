//! The listener: accepts connections (at most `max_connections` at once), serves HTTP/1.1
//! with hyper under header-size and header-read-timeout limits, reads each body up to the
//! size limit, and runs the pipeline. Shutdown stops accepting and lets in-flight requests
//! finish.

use crate::admin;
use crate::app::App;
use crate::config::Config;
use crate::deadlines::{Deadlines, WatchedIo};
use crate::pipeline::{self, Incoming};
use crate::response::Body;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming as HyperBody;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use service::ServiceError;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// A server running in the background.
pub struct RunningServer {
    addr: SocketAddr,
    app: Arc<App>,
    stop: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared application state (for in-process tests and benchmarks).
    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Stops accepting, lets in-flight requests finish, and returns when all connections
    /// are closed (every acknowledged change is already durable).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
        if self.app.persistence.is_some() {
            let app = self.app.clone();
            let _ = tokio::task::spawn_blocking(move || {
                if let Some(p) = &app.persistence {
                    p.close();
                }
            })
            .await;
        }
    }
}

/// Builds the app and starts serving on the configured address.
pub async fn start(config: Config) -> Result<RunningServer, String> {
    let addr = SocketAddr::new(config.host, config.port);
    let app = App::new(config).await?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = watch::channel(false);
    let done = tokio::spawn(accept_loop(app.clone(), listener, stopped));
    Ok(RunningServer {
        addr,
        app,
        stop,
        done,
    })
}

async fn accept_loop(app: Arc<App>, listener: TcpListener, mut stopped: watch::Receiver<bool>) {
    let max = app.config.max_connections;
    let slots = Arc::new(Semaphore::new(max));
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = stopped.changed() => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut stop_conn = stopped.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let deadlines = Deadlines::new(app.config.header_read_timeout, app.config.idle_timeout);
            let svc_app = app.clone();
            let svc_deadlines = deadlines.clone();
            let svc = service_fn(move |req| {
                let app = svc_app.clone();
                let deadlines = svc_deadlines.clone();
                async move {
                    deadlines.request_started();
                    let response = handle(&app, req, peer).await;
                    deadlines.request_finished();
                    Ok::<_, Infallible>(response)
                }
            });
            let mut builder = http1::Builder::new();
            // hyper's own header timeout would also run while a keep-alive connection is
            // idle; `Deadlines` keeps the two timeouts apart.
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(None)
                // A client that shuts down its sending side after the request (as raw
                // HTTP tools do) still gets its answer instead of a dropped connection.
                .half_close(true)
                .max_buf_size(app.config.max_header_bytes.max(8192))
                .keep_alive(true);
            let io = WatchedIo::new(stream, deadlines.clone());
            let conn = builder.serve_connection(TokioIo::new(io), svc);
            tokio::pin!(conn);
            let idle = app.config.idle_timeout;
            tokio::select! {
                _ = conn.as_mut() => {}
                // Only fires between requests: dropping the connection loses no response.
                _ = deadlines.expired() => {}
                _ = stop_conn.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(idle, conn.as_mut()).await;
                }
            }
        });
    }
    // Stop listening at once, so new clients are refused instead of queueing unserved.
    drop(listener);
    // Every connection holds a slot: having them all back means all have finished.
    let _ = slots.acquire_many(max as u32).await;
}

async fn handle(app: &Arc<App>, req: Request<HyperBody>, peer: SocketAddr) -> Response<Body> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (parts, body) = req.into_parts();
    let headers: Vec<(&str, &[u8])> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_bytes()))
        .collect();
    let path = parts.uri.path();
    let mut body_limit = app.config.max_body_bytes;
    if !path.starts_with(admin::PREFIX) {
        // Nothing unauthenticated gets to make the server buffer a body: a request that
        // cannot authenticate whatever its body is refused before the body is read.
        let headers_only = Incoming {
            method: parts.method.as_str(),
            path,
            query: parts.uri.query().unwrap_or(""),
            headers: headers.clone(),
            body: &[],
            peer,
            request_id: &request_id,
        };
        match pipeline::check_before_body(app, &headers_only) {
            Ok(limit) => body_limit = body_limit.min(limit),
            Err(refusal) => {
                let (response, outcome) = *refusal;
                let status = response.status().as_u16();
                app.metrics
                    .request(&outcome.service, "", status, started.elapsed());
                tracing::info!(
                    service = outcome.service,
                    status,
                    latency_us = started.elapsed().as_micros() as u64,
                    "refused before reading the body"
                );
                return response;
            }
        }
    }
    // A body trickled in slowly would hold a connection slot forever: it gets as long as
    // an idle connection does.
    let read = tokio::time::timeout(
        app.config.idle_timeout,
        Limited::new(body, body_limit).collect(),
    )
    .await;
    let failure = match read {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Err(_) => Err(ServiceError::new(
            "RequestTimeoutException",
            "The request body did not arrive in time",
        )
        .with_status(408)),
        Ok(Err(e))
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some() =>
        {
            Err(ServiceError::new(
                "RequestEntityTooLargeException",
                format!("Request body is larger than the limit of {body_limit} bytes"),
            )
            .with_status(413))
        }
        Ok(Err(e)) => Err(ServiceError::new(
            "BadRequest",
            format!("Could not read the request body: {e}"),
        )
        .with_status(400)),
    };
    let body = match failure {
        Ok(body) => body,
        Err(err) => {
            let r = pipeline::error_response(None, &err, &request_id);
            app.metrics
                .request("", "", r.status().as_u16(), started.elapsed());
            return r;
        }
    };
    let incoming = Incoming {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query: parts.uri.query().unwrap_or(""),
        headers,
        body: &body,
        peer,
        request_id: &request_id,
    };
    if incoming.path.starts_with(admin::PREFIX) {
        let response = admin::serve(app, &incoming).await;
        let status = response.status().as_u16();
        tracing::info!(
            path = incoming.path,
            status,
            latency_us = started.elapsed().as_micros() as u64,
            "admin"
        );
        return response;
    }
    let (response, outcome) = pipeline::serve_api(app, &incoming).await;
    let status = response.status().as_u16();
    let latency = started.elapsed();
    app.metrics
        .request(&outcome.service, &outcome.operation, status, latency);
    tracing::info!(
        service = outcome.service,
        operation = outcome.operation,
        principal = outcome.principal,
        resource = outcome.resource,
        decision = outcome.decision,
        status,
        latency_us = latency.as_micros() as u64,
        "request"
    );
    response
}
