//! Per-connection deadlines: how long a client may take to send a request's headers, and
//! how long a keep-alive connection may sit idle between requests.
//!
//! hyper 1's own `header_read_timeout` starts whenever it waits for a request head, idle
//! keep-alive waits included, so it would close idle connections after the header timeout
//! and leave no room for a separate idle timeout. Instead the socket is wrapped in
//! [`WatchedIo`], which notes when bytes arrive, the service marks when a request is being
//! served, and [`Deadlines::expired`] resolves once the phase the connection is in has run
//! out of time.

use parking_lot::Mutex;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// Where a connection is in its request cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for the first byte of the next request since the instant given.
    Idle(Instant),
    /// Reading a request head whose first byte (or, on a fresh connection, the accept)
    /// came at the instant given.
    Head(Instant),
    /// A request is being served: no deadline.
    Busy,
}

/// The deadlines of one connection, shared by its socket wrapper, its service and its
/// watchdog.
#[derive(Debug)]
pub struct Deadlines {
    phase: Mutex<Phase>,
    header_read: Duration,
    idle: Duration,
}

impl Deadlines {
    /// A fresh connection: its first request's head must arrive within `header_read`.
    pub fn new(header_read: Duration, idle: Duration) -> Arc<Deadlines> {
        Arc::new(Deadlines {
            phase: Mutex::new(Phase::Head(Instant::now())),
            header_read,
            idle,
        })
    }

    /// Bytes arrived: on an idle connection they start the next request's head.
    fn on_read(&self) {
        let mut phase = self.phase.lock();
        if let Phase::Idle(_) = *phase {
            *phase = Phase::Head(Instant::now());
        }
    }

    /// Bytes left: a response still being written keeps an idle connection alive.
    fn on_write(&self) {
        let mut phase = self.phase.lock();
        if let Phase::Idle(_) = *phase {
            *phase = Phase::Idle(Instant::now());
        }
    }

    /// A complete request head was parsed and is being served.
    pub fn request_started(&self) {
        *self.phase.lock() = Phase::Busy;
    }

    /// The response is ready: the connection waits for the next request.
    pub fn request_finished(&self) {
        *self.phase.lock() = Phase::Idle(Instant::now());
    }

    /// Since when the connection has waited for its next request, if it is idle.
    pub fn idle_since(&self) -> Option<Instant> {
        match *self.phase.lock() {
            Phase::Idle(since) => Some(since),
            _ => None,
        }
    }

    /// When the current phase runs out, if it can.
    fn deadline(&self) -> Option<Instant> {
        match *self.phase.lock() {
            Phase::Idle(since) => Some(since + self.idle),
            Phase::Head(since) => Some(since + self.header_read),
            Phase::Busy => None,
        }
    }

    /// Resolves when the connection has been idle, or slow to send a head, for too long.
    pub async fn expired(&self) {
        // Re-checked at least this often while busy, so a phase change is noticed.
        let recheck = self
            .header_read
            .min(self.idle)
            .max(Duration::from_millis(10));
        loop {
            match self.deadline() {
                Some(at) if at <= Instant::now() => return,
                Some(at) => tokio::time::sleep_until(at.min(Instant::now() + recheck)).await,
                None => tokio::time::sleep(recheck).await,
            }
        }
    }
}

/// A socket that reports its reads and writes to the connection's [`Deadlines`].
pub struct WatchedIo<S> {
    inner: S,
    deadlines: Arc<Deadlines>,
}

impl<S> WatchedIo<S> {
    /// Wraps `inner`.
    pub fn new(inner: S, deadlines: Arc<Deadlines>) -> Self {
        WatchedIo { inner, deadlines }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WatchedIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.deadlines.on_read();
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WatchedIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.deadlines.on_write();
        }
        result
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.deadlines.on_write();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const SHORT: Duration = Duration::from_millis(50);
    const LONG: Duration = Duration::from_secs(3600);

    #[tokio::test(start_paused = true)]
    async fn a_fresh_connection_must_send_its_head_in_time() {
        let d = Deadlines::new(SHORT, LONG);
        let started = Instant::now();
        d.expired().await;
        assert!(started.elapsed() >= SHORT && started.elapsed() < LONG);
    }

    #[tokio::test(start_paused = true)]
    async fn a_busy_connection_never_expires() {
        let d = Deadlines::new(SHORT, SHORT);
        d.request_started();
        let r = tokio::time::timeout(Duration::from_secs(10), d.expired()).await;
        assert!(r.is_err(), "a request in progress was cut off");
    }

    #[tokio::test(start_paused = true)]
    async fn idle_connections_get_the_idle_timeout_not_the_header_timeout() {
        let d = Deadlines::new(SHORT, Duration::from_secs(5));
        d.request_started();
        d.request_finished();
        let started = Instant::now();
        d.expired().await;
        assert!(started.elapsed() >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_byte_of_a_request_starts_the_header_timeout() {
        let d = Deadlines::new(SHORT, LONG);
        d.request_finished();
        let (client, server) = tokio::io::duplex(64);
        let mut io = WatchedIo::new(server, d.clone());
        let mut client = client;
        client.write_all(b"G").await.unwrap();
        let mut byte = [0u8; 1];
        io.read_exact(&mut byte).await.unwrap();
        let started = Instant::now();
        d.expired().await;
        assert!(started.elapsed() <= SHORT + Duration::from_millis(20));
    }
}
