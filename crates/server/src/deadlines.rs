//! Per-connection deadlines: how long a client may take to send a request's headers, and
//! how long a keep-alive connection may sit idle between requests.
//!
//! hyper 1's own `header_read_timeout` starts whenever it waits for a request head, idle
//! keep-alive waits included, so it would close idle connections after the header timeout
//! and leave no room for a separate idle timeout. Instead the socket is wrapped in
//! [`WatchedIo`], which notes when bytes arrive, the service marks when a request is being
//! served, and [`Deadlines::expired`] resolves once the phase the connection is in has run
//! out of time.
//!
//! The phase is one atomic word, not a lock, and the clock is read only where a phase needs
//! a new time: at a request head's first byte, and for a response write that had to wait for
//! the client. The idle time starts at the instant the service already read when it finished
//! the request ([`Deadlines::request_finished_at`]); the response's writes that follow at
//! once (the same poll of the connection) leave it, as they happen within microseconds of it.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

/// The word's top two bits: where a connection is in its request cycle.
const PHASE: u64 = 3 << 62;
/// A request is being served: no deadline.
const BUSY: u64 = 0;
/// Waiting for the first byte of the next request since the stamp.
const IDLE: u64 = 1 << 62;
/// Reading a request head whose first byte (or, on a fresh connection, the accept) came at
/// the stamp.
const HEAD: u64 = 2 << 62;
/// While idle: a response write has waited for the client since the stamp, so the write that
/// completes it must take a fresh time.
const WAITED: u64 = 1 << 61;
/// The stamp: the time since the connection's `base`, whole seconds above [`NANOS_BITS`]
/// bits of nanoseconds (no 128-bit arithmetic either way; 2^31 seconds is 68 years).
const STAMP: u64 = WAITED - 1;
/// How many low bits of the stamp hold its nanoseconds (under 2^30).
const NANOS_BITS: u32 = 30;

/// The deadlines of one connection, shared by its socket wrapper, its service and its
/// watchdog.
#[derive(Debug)]
pub struct Deadlines {
    /// Phase, [`WAITED`] and stamp in one word; see the constants above.
    word: AtomicU64,
    /// The instant stamps count from.
    base: Instant,
    header_read: Duration,
    idle: Duration,
}

impl Deadlines {
    /// A fresh connection: its first request's head must arrive within `header_read`.
    pub fn new(header_read: Duration, idle: Duration) -> Arc<Deadlines> {
        Arc::new(Deadlines {
            word: AtomicU64::new(HEAD),
            base: Instant::now(),
            header_read,
            idle,
        })
    }

    /// `at` as a stamp (an instant before the connection's counts as its start).
    fn stamp(&self, at: Instant) -> u64 {
        let since = at.saturating_duration_since(self.base);
        let secs = since.as_secs().min(STAMP >> NANOS_BITS);
        (secs << NANOS_BITS) | u64::from(since.subsec_nanos())
    }

    /// The instant a word's stamp stands for.
    fn instant(&self, word: u64) -> Instant {
        let stamp = word & STAMP;
        let nanos = (stamp & ((1 << NANOS_BITS) - 1)) as u32;
        self.base + Duration::new(stamp >> NANOS_BITS, nanos)
    }

    // Only the connection's own task writes the word (its socket wrapper, and its service,
    // which hyper polls in that task); the watchdog and the eviction only read it. A change
    // of phase is a load and a store.

    /// Bytes arrived: on an idle connection they start the next request's head.
    fn on_read(&self) {
        if self.word.load(Relaxed) & PHASE == IDLE {
            self.word.store(HEAD | self.stamp(Instant::now()), Relaxed);
        }
    }

    /// Bytes left: a response still being written keeps an idle connection alive. A write
    /// that did not have to wait follows the last time taken at once and takes none.
    fn on_write(&self) {
        if self.word.load(Relaxed) & (PHASE | WAITED) == IDLE | WAITED {
            self.word.store(IDLE | self.stamp(Instant::now()), Relaxed);
        }
    }

    /// A write could not go out yet: when it does, it takes a fresh time.
    fn on_write_pending(&self) {
        let w = self.word.load(Relaxed);
        if w & (PHASE | WAITED) == IDLE {
            self.word.store(w | WAITED, Relaxed);
        }
    }

    /// Notes a write's result.
    fn wrote(&self, result: &Poll<io::Result<usize>>) {
        match result {
            Poll::Ready(Ok(n)) if *n > 0 => self.on_write(),
            Poll::Pending => self.on_write_pending(),
            _ => {}
        }
    }

    /// A complete request head was parsed and is being served.
    pub fn request_started(&self) {
        self.word.store(BUSY, Relaxed);
    }

    /// The response was ready at `at` (a time the caller already read, as late as it could):
    /// the connection waits for the next request.
    pub fn request_finished_at(&self, at: Instant) {
        self.word.store(IDLE | self.stamp(at), Relaxed);
    }

    /// Since when the connection has waited for its next request, if it is idle.
    pub fn idle_since(&self) -> Option<Instant> {
        let w = self.word.load(Relaxed);
        (w & PHASE == IDLE).then(|| self.instant(w))
    }

    /// When the current phase runs out, if it can.
    fn deadline(&self) -> Option<Instant> {
        let w = self.word.load(Relaxed);
        match w & PHASE {
            IDLE => Some(self.instant(w) + self.idle),
            HEAD => Some(self.instant(w) + self.header_read),
            _ => None,
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
        self.deadlines.wrote(&result);
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
        self.deadlines.wrote(&result);
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
        d.request_finished_at(Instant::now());
        let started = Instant::now();
        d.expired().await;
        assert!(started.elapsed() >= Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_byte_of_a_request_starts_the_header_timeout() {
        let d = Deadlines::new(SHORT, LONG);
        d.request_finished_at(Instant::now());
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

    #[tokio::test(start_paused = true)]
    async fn the_idle_time_counts_from_when_the_request_finished() {
        let d = Deadlines::new(SHORT, Duration::from_secs(5));
        d.request_started();
        let finished = Instant::now();
        tokio::time::sleep(Duration::from_secs(2)).await;
        d.request_finished_at(finished);
        assert_eq!(d.idle_since(), Some(finished));
        // The response going straight out takes no time of its own.
        let (_client, server) = tokio::io::duplex(64);
        let mut io = WatchedIo::new(server, d.clone());
        io.write_all(b"response").await.unwrap();
        assert_eq!(d.idle_since(), Some(finished));
        d.expired().await;
        assert!(finished.elapsed() >= Duration::from_secs(5));
        assert!(finished.elapsed() < Duration::from_secs(6));
    }

    #[tokio::test(start_paused = true)]
    async fn a_response_still_being_written_keeps_the_connection_alive() {
        let idle = Duration::from_secs(5);
        let d = Deadlines::new(SHORT, idle);
        d.request_started();
        // Room for half the response: the rest waits until the client reads.
        let (mut client, server) = tokio::io::duplex(4);
        let mut io = WatchedIo::new(server, d.clone());
        d.request_finished_at(Instant::now());
        let finished = Instant::now();
        let writer = tokio::spawn(async move { io.write_all(b"response").await.map(|_| io) });
        tokio::time::sleep(Duration::from_secs(4)).await;
        assert_eq!(d.idle_since(), Some(finished), "nothing written since");
        let mut response = [0u8; 8];
        client.read_exact(&mut response).await.unwrap();
        let _io = writer.await.unwrap().unwrap();
        assert_eq!(d.idle_since(), Some(finished + Duration::from_secs(4)));
        d.expired().await;
        assert!(finished.elapsed() >= Duration::from_secs(4) + idle);
    }

    #[test]
    fn stamps_keep_their_instant_and_clamp_at_the_connections_start() {
        let d = Deadlines::new(SHORT, LONG);
        for later in [0, 1, 999_999_999, 86_400_000_000_123] {
            let at = d.base + Duration::from_nanos(later);
            d.request_finished_at(at);
            assert_eq!(d.idle_since(), Some(at));
        }
        d.request_finished_at(d.base - Duration::from_secs(1));
        assert_eq!(d.idle_since(), Some(d.base));
    }
}
