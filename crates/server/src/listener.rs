//! The listener: accepts connections (at most `max_connections` at once; beyond that the
//! connection idle the longest makes room, or, when none is idle, the newcomer gets a prompt
//! 503 with `Retry-After`), serves HTTP/1.1
//! with hyper under header-size and header-read-timeout limits, reads each body up to the
//! size limit, and runs the pipeline. Shutdown stops accepting and lets in-flight requests
//! finish.

use crate::admin;
use crate::app::App;
use crate::config::Config;
use crate::connections::Connections;
use crate::deadlines::{Deadlines, WatchedIo};
use crate::parse_errors::ParseErrorBodies;
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
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore, TryAcquireError};
use tokio::time::Instant;

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

    /// Stops accepting, lets in-flight requests finish, writes the state once more (with what
    /// has no journal record of its own), and returns when all connections are closed (every
    /// acknowledged change is already durable).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.done.await;
        if let Some(p) = &self.app.persistence {
            // What is kept without a journal record of its own (access keys' last use, which
            // every request moves) is written with the rest once, on the way out.
            if let Err(e) = p.compact(self.app.snapshot(None)).await {
                tracing::warn!(error = %e, "could not compact the data directory on shutdown");
            }
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
    // Refusals in progress: each lasts at most `REFUSAL_LINGER`, and beyond this many a
    // further connection is closed at once, so a flood cannot grow them without bound.
    let refusals = Arc::new(Semaphore::new(max.clamp(16, 1024)));
    let conns = Arc::new(Connections::default());
    loop {
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
        let stop_conn = stopped.clone();
        match slots.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(serve(
                    app.clone(),
                    stream,
                    peer,
                    permit,
                    stop_conn,
                    conns.clone(),
                ));
            }
            Err(TryAcquireError::Closed) => break,
            // Full: close the connection idle the longest and take its slot, or, when none
            // is idle, answer at once rather than leave the client waiting unanswered.
            Err(TryAcquireError::NoPermits) => {
                let Ok(r) = refusals.clone().try_acquire_owned() else {
                    continue;
                };
                let (app, slots, conns) = (app.clone(), slots.clone(), conns.clone());
                tokio::spawn(async move {
                    let freed = if conns.evict_idlest() {
                        tokio::time::timeout(EVICTION_WAIT, slots.acquire_owned())
                            .await
                            .ok()
                            .and_then(Result::ok)
                    } else {
                        None
                    };
                    drop(r);
                    match freed {
                        Some(permit) => serve(app, stream, peer, permit, stop_conn, conns).await,
                        None => refuse_busy(stream, max).await,
                    }
                });
            }
        }
    }
    // Stop listening at once, so new clients are refused instead of queueing unserved.
    drop(listener);
    // Every connection holds a slot: having them all back means all have finished.
    let _ = slots.acquire_many(max as u32).await;
}

/// How long a newcomer waits for the slot of the idle connection it had closed.
const EVICTION_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// Serves one connection holding `permit`, until it closes, idles out, is evicted while
/// idle, or the server stops.
async fn serve(
    app: Arc<App>,
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    permit: tokio::sync::OwnedSemaphorePermit,
    mut stop_conn: watch::Receiver<bool>,
    conns: Arc<Connections>,
) {
    let _permit = permit;
    let deadlines = Deadlines::new(app.config.header_read_timeout, app.config.idle_timeout);
    let registered = conns.register(deadlines.clone());
    let svc_app = app.clone();
    let svc_deadlines = deadlines.clone();
    let svc = service_fn(move |req| {
        let app = svc_app.clone();
        let deadlines = svc_deadlines.clone();
        async move {
            deadlines.request_started();
            let (response, finished) = handle(&app, req, peer).await;
            deadlines.request_finished_at(finished);
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
    let io = WatchedIo::new(
        ParseErrorBodies::new(stream, app.registry),
        deadlines.clone(),
    );
    let conn = builder.serve_connection(TokioIo::new(io), svc);
    tokio::pin!(conn);
    let idle = app.config.idle_timeout;
    tokio::select! {
        _ = conn.as_mut() => {}
        // Both only fire between requests: dropping the connection loses no response.
        _ = deadlines.expired() => {}
        _ = registered.evicted() => {}
        _ = stop_conn.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(idle, conn.as_mut()).await;
        }
    }
}

/// How long a refused connection is kept to let the client read its 503.
const REFUSAL_LINGER: std::time::Duration = std::time::Duration::from_secs(1);

/// Answers a connection beyond `--max-connections` with a 503 and `Retry-After`, then closes
/// it. The request is not read (its service is unknown, so the body is the generic JSON
/// error); what the client sent is drained briefly so closing does not reset the connection
/// before the answer is read.
async fn refuse_busy(mut stream: tokio::net::TcpStream, max: usize) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = serde_json::json!({
        "__type": "ServiceUnavailableException",
        "message": format!("mediamock is serving its maximum of {max} connections; retry shortly"),
    })
    .to_string();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-type: application/json\r\n\
         x-amzn-ErrorType: ServiceUnavailableException\r\nx-amzn-RequestId: {request_id}\r\n\
         date: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        httpdate::fmt_http_date(std::time::SystemTime::now()),
        body.len()
    );
    let _ = tokio::time::timeout(REFUSAL_LINGER, async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        Ok::<_, std::io::Error>(())
    })
    .await;
}

/// How many headers a request's list holds on its own stack before it takes a Vec.
const INLINE_HEADERS: usize = 16;

/// `map`'s headers as text, in order: in `inline`, on the request's own stack, when they fit
/// (a request carries about ten), else in `spilled`.
fn header_list<'h>(
    map: &'h hyper::HeaderMap,
    inline: &'h mut [(&'h str, &'h [u8]); INLINE_HEADERS],
    spilled: &'h mut Vec<(&'h str, &'h [u8])>,
) -> &'h [(&'h str, &'h [u8])] {
    let pairs = map.iter().map(|(n, v)| (n.as_str(), v.as_bytes()));
    if map.len() > INLINE_HEADERS {
        spilled.extend(pairs);
        return spilled;
    }
    let mut n = 0;
    for (slot, pair) in inline.iter_mut().zip(pairs) {
        *slot = pair;
        n += 1;
    }
    &inline[..n]
}

/// Serves one request; also gives the instant its latency was taken at, for the deadlines
/// (one clock read for both).
async fn handle(
    app: &Arc<App>,
    req: Request<HyperBody>,
    peer: SocketAddr,
) -> (Response<Body>, Instant) {
    let started = Instant::now();
    // Written into a buffer of its own, not a String through `Display`: the same lowercase
    // hyphenated text, without an allocation.
    let mut id_buffer = uuid::Uuid::encode_buffer();
    let request_id: &str = uuid::Uuid::new_v4()
        .hyphenated()
        .encode_lower(&mut id_buffer);
    let (parts, body) = req.into_parts();
    let (mut inline, mut spilled) = ([("", &[][..]); INLINE_HEADERS], Vec::new());
    let headers = header_list(&parts.headers, &mut inline, &mut spilled);
    // Routed as signed: the path SigV4 covers, not the raw one (`/x/..` is `/`).
    let path = &*sigv4::normalize_path(parts.uri.path());
    let mut body_limit = app.config.max_body_bytes;
    let headers_only = Incoming::new(
        parts.method.as_str(),
        path,
        parts.uri.query().unwrap_or(""),
        headers,
        &[],
        peer,
        request_id,
    );
    // Routed once: the pre-body check and the pipeline both need to know.
    let object = if path.starts_with(admin::PREFIX) {
        None
    } else {
        crate::data_plane::route(app, &headers_only)
    };
    // What the check before the body parsed of the credentials, for the pipeline.
    let mut checked = None;
    if path.starts_with(admin::PREFIX) && !headers_only.signed() {
        // The open admin endpoints (health, metrics, console files) take no body; an
        // unsigned request never makes the server buffer one, except the console's
        // password sign-in, whose few small fields are its credential.
        body_limit = if path.strip_prefix(admin::PREFIX) == Some(crate::console_sign_in::ROUTE) {
            body_limit.min(crate::console_sign_in::MAX_BODY)
        } else {
            0
        };
    } else {
        // Nothing unauthenticated gets to make the server buffer a body: a request that
        // cannot authenticate whatever its body is refused before the body is read.
        match pipeline::check_before_body(app, &headers_only, object.is_some()) {
            Ok(admitted) => {
                body_limit = body_limit.min(admitted.body_limit);
                checked = admitted.checked;
            }
            Err(refusal) => {
                let (mut response, outcome) = *refusal;
                if has_body(&parts.headers) {
                    // The body is left unread, so the connection cannot serve another
                    // request: say so (RFC 9112 §9.6), or a client that reuses it finds it
                    // closed under its next request.
                    response.headers_mut().insert(
                        hyper::header::CONNECTION,
                        hyper::header::HeaderValue::from_static("close"),
                    );
                }
                let status = response.status().as_u16();
                let finished = Instant::now();
                let latency = finished - started;
                app.metrics.request(&outcome.service, "", status, latency);
                tracing::info!(
                    service = outcome.service,
                    status,
                    latency_us = latency.as_micros() as u64,
                    "refused before reading the body"
                );
                return (response, finished);
            }
        }
    }
    // A body trickled in slowly would hold a connection slot forever: it gets as long as
    // an idle connection does (from the request's start, read once for its latency too).
    let read = tokio::time::timeout_at(
        started + app.config.idle_timeout,
        read_body(Limited::new(body, body_limit)),
    )
    .await;
    let failure = match read {
        Ok(Ok(bytes)) => Ok(bytes),
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
            // In the wire format of the service the request is for (XML for IAM and STS),
            // as every other refusal is.
            let model = pipeline::error_model(app, &headers_only, &headers_only.sigv4_parts());
            let mut r = pipeline::error_response(model, &err, request_id);
            // What is left of the body is unread (or unreadable), so the connection cannot
            // serve another request: say so (RFC 9112 §9.6), as for a refusal before the body.
            r.headers_mut().insert(
                hyper::header::CONNECTION,
                hyper::header::HeaderValue::from_static("close"),
            );
            let finished = Instant::now();
            app.metrics
                .request("", "", r.status().as_u16(), finished - started);
            return (r, finished);
        }
    };
    // The same headers, moved rather than copied.
    let incoming = headers_only.with_body(&body);
    if incoming.path.starts_with(admin::PREFIX) {
        let response = admin::serve(app, &incoming).await;
        let status = response.status().as_u16();
        let finished = Instant::now();
        tracing::info!(
            path = incoming.path,
            status,
            latency_us = (finished - started).as_micros() as u64,
            "admin"
        );
        return (response, finished);
    }
    let (response, outcome) = pipeline::serve_api(app, &incoming, object, checked).await;
    let status = response.status().as_u16();
    let finished = Instant::now();
    let latency = finished - started;
    app.metrics
        .request(&outcome.service, &outcome.operation, status, latency);
    tracing::info!(
        service = outcome.service,
        operation = &*outcome.operation,
        principal = outcome.principal_arn(),
        resource = outcome.resource,
        decision = outcome.decision,
        status,
        latency_us = latency.as_micros() as u64,
        "request"
    );
    (response, finished)
}

/// Whether the per-request log line is written (its target is this module's): what only that
/// line shows, the pipeline gathers only then.
pub(crate) fn request_log_enabled() -> bool {
    tracing::enabled!(tracing::Level::INFO)
}

/// The whole body, as `collect().await?.to_bytes()` gives it (trailers dropped, a body of one
/// chunk not copied), without collecting the chunks in a list first.
async fn read_body<B>(mut body: B) -> Result<bytes::Bytes, B::Error>
where
    B: hyper::body::Body<Data = bytes::Bytes> + Unpin,
{
    use bytes::Buf;
    let mut whole = bytes::Bytes::new();
    // Once a second chunk comes, the chunks are joined here.
    let mut joined: Option<bytes::BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame?.into_data() else {
            continue; // trailers
        };
        if !data.has_remaining() {
            continue;
        }
        match &mut joined {
            Some(all) => all.extend_from_slice(&data),
            None if whole.is_empty() => whole = data,
            None => {
                // Sized for what the body says remains (a `Limited` body says no more than its
                // limit), so the joined bytes are not grown by doubling and kept with the slack.
                let rest = usize::try_from(body.size_hint().lower()).unwrap_or(0);
                let mut all = bytes::BytesMut::with_capacity(whole.len() + data.len() + rest);
                all.extend_from_slice(&whole);
                all.extend_from_slice(&data);
                joined = Some(all);
            }
        }
    }
    Ok(joined.map_or(whole, bytes::BytesMut::freeze))
}

/// Whether a request's headers announce a body (a non-zero length, or a chunked one).
fn has_body(headers: &hyper::HeaderMap) -> bool {
    let length = headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(n) => n > 0,
        None => headers.contains_key(hyper::header::TRANSFER_ENCODING),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use hyper::body::{Body, Frame};
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A body that yields the given frames (or errors), in order.
    struct Frames(VecDeque<Result<Frame<Bytes>, String>>);

    impl Body for Frames {
        type Data = Bytes;
        type Error = String;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, String>>> {
            Poll::Ready(self.0.pop_front())
        }
    }

    fn frames(parts: &[Result<&'static str, &'static str>]) -> Frames {
        Frames(
            parts
                .iter()
                .map(|p| match *p {
                    Ok("TRAILERS") => Ok(Frame::trailers(hyper::HeaderMap::new())),
                    Ok(data) => Ok(Frame::data(Bytes::from_static(data.as_bytes()))),
                    Err(e) => Err(e.to_string()),
                })
                .collect(),
        )
    }

    #[test]
    fn header_lists_keep_every_header_in_order_inline_or_spilled() {
        for count in [
            0,
            1,
            INLINE_HEADERS - 1,
            INLINE_HEADERS,
            INLINE_HEADERS + 1,
            40,
        ] {
            let mut map = hyper::HeaderMap::new();
            for i in 0..count {
                // Some names repeat: each value is its own header.
                let name = hyper::header::HeaderName::try_from(format!("x-h{}", i % 7)).unwrap();
                map.append(name, hyper::header::HeaderValue::from(i));
            }
            let expected: Vec<(&str, &[u8])> = map
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_bytes()))
                .collect();
            let (mut inline, mut spilled) = ([("", &[][..]); INLINE_HEADERS], Vec::new());
            let list = header_list(&map, &mut inline, &mut spilled);
            assert_eq!(list, &expected[..], "{count}");
        }
    }

    #[test]
    fn the_request_log_goes_by_its_own_level_and_target() {
        let under = |filter: &str| {
            let subscriber = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .finish();
            tracing::subscriber::with_default(subscriber, request_log_enabled)
        };
        assert!(under("info"));
        assert!(!under("error"));
        assert!(under("error,server::listener=info"));
        assert!(!under("info,server::listener=warn"));
    }

    /// A body that stalls is answered 408, closing the connection, once the idle timeout has
    /// passed since the request began (not later: the e2e test of the 408 allows 20 s).
    #[tokio::test]
    async fn a_stalled_body_is_answered_at_the_idle_timeout() {
        use std::time::Duration;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let idle = Duration::from_secs(1);
        let mut config = Config::for_tests();
        config.idle_timeout = idle;
        let server = start(config).await.unwrap();
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        // The console's sign-in is the one unsigned request whose body is read.
        let head = format!(
            "POST {}{} HTTP/1.1\r\nhost: x\r\n\
             content-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\n",
            admin::PREFIX,
            crate::console_sign_in::ROUTE
        );
        let started = std::time::Instant::now();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(b"user=a").await.unwrap();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(idle * 10, stream.read_to_end(&mut answer)).await;
        let elapsed = started.elapsed();
        let text = String::from_utf8_lossy(&answer);
        assert!(read.is_ok(), "the connection stayed open: {text}");
        assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
        assert!(
            text.to_ascii_lowercase().contains("connection: close"),
            "{text}"
        );
        assert!(elapsed >= idle, "{elapsed:?}");
        assert!(elapsed < idle * 2, "{elapsed:?}");
    }

    #[tokio::test]
    async fn read_body_gives_what_collect_gives() {
        let cases: &[&[Result<&str, &str>]] = &[
            &[],
            &[Ok("")],
            &[Ok("one chunk")],
            &[Ok(""), Ok("after an empty one")],
            &[Ok("a"), Ok(""), Ok("bc"), Ok("def")],
            &[Ok("with"), Ok(" trailers"), Ok("TRAILERS")],
            &[Ok("a"), Err("broken"), Ok("b")],
            &[Err("at once")],
        ];
        for case in cases {
            let ours = read_body(frames(case)).await;
            let theirs = frames(case).collect().await.map(|c| c.to_bytes());
            assert_eq!(ours, theirs, "{case:?}");
        }
        // Over the limit: both fail with the limit's error.
        for limit in [0, 3, 4, 100] {
            let case = [Ok("ab"), Ok("cd"), Ok("e")];
            let ours = read_body(Limited::new(frames(&case), limit)).await;
            let theirs = Limited::new(frames(&case), limit)
                .collect()
                .await
                .map(|c| c.to_bytes());
            assert_eq!(
                ours.as_ref().map_err(|e| e.to_string()),
                theirs.as_ref().map_err(|e| e.to_string()),
                "{limit}"
            );
            if let Err(e) = ours {
                assert!(e
                    .downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some());
            }
        }
    }
}
