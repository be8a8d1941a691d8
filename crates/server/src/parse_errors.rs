//! hyper answers a request it cannot parse (a bad request line, header or URI, a URI or
//! header block too large) by itself, with an empty body. This IO wrapper replaces those
//! answers with AWS-shaped errors: in the wire format of the service the request's credential
//! scope names when the bytes read so far show one, else a generic JSON error. Responses the
//! pipeline built always carry `x-amzn-RequestId`, so they are never mistaken for hyper's.

use crate::pipeline::error_response;
use service::ServiceError;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// How much of a request head is kept to find its credential scope.
const HEAD_KEPT: usize = 16 * 1024;

/// Wraps a connection's IO, rewriting hyper's own parse-error answers.
pub struct ParseErrorBodies<S> {
    inner: S,
    registry: &'static protocol::Registry,
    /// The first bytes read since the last answer.
    head: Vec<u8>,
    /// A replacement answer being written, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> ParseErrorBodies<S> {
    /// Wraps `inner`; `registry`'s models word the errors.
    pub fn new(inner: S, registry: &'static protocol::Registry) -> Self {
        ParseErrorBodies {
            inner,
            registry,
            head: Vec::new(),
            pending: None,
        }
    }
}

/// The status of an answer hyper wrote by itself, if `buf` is one.
fn hypers_own_status(buf: &[u8]) -> Option<u16> {
    let status = match buf.get(..13)? {
        b"HTTP/1.1 400 " => 400,
        b"HTTP/1.1 414 " => 414,
        b"HTTP/1.1 431 " => 431,
        _ => return None,
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    (!head.contains("x-amzn-requestid")).then_some(status)
}

/// The service of a SigV4 credential scope found in `head` (header or presigned form).
fn scope_service(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let at = text.find("Credential=")? + "Credential=".len();
    let scope: String = text[at..]
        .split([',', ' ', '&', '\r', '\n'])
        .next()?
        .replace("%2F", "/")
        .replace("%2f", "/");
    let parts: Vec<&str> = scope.split('/').collect();
    (parts.len() == 5 && parts[4] == "aws4_request").then(|| parts[3].to_string())
}

/// The full answer that replaces hyper's empty one.
fn replacement(status: u16, head: &[u8], registry: &protocol::Registry) -> Vec<u8> {
    let (code, message) = match status {
        414 => ("UriTooLong", "The request URI is too long"),
        431 => (
            "RequestHeaderFieldsTooLarge",
            "The request headers are too large",
        ),
        _ => ("BadRequest", "The request could not be parsed as HTTP/1.1"),
    };
    let err = ServiceError::new(code, message).with_status(status);
    let service = scope_service(head);
    let model = service.as_deref().and_then(|s| registry.model(s));
    let request_id = uuid::Uuid::new_v4().to_string();
    let response = error_response(model, &err, &request_id);
    let reason = hyper::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Bad Request");
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    for (name, value) in response.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let body = response.body().clone();
    let bytes = futures_bytes(body);
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            bytes.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&bytes);
    out
}

/// The bytes of a full body (already in memory).
fn futures_bytes(body: crate::response::Body) -> bytes::Bytes {
    use http_body_util::BodyExt;
    use std::future::Future;
    let mut fut = std::pin::pin!(body.collect());
    let waker = std::task::Waker::noop();
    match fut.as_mut().poll(&mut Context::from_waker(waker)) {
        Poll::Ready(Ok(collected)) => collected.to_bytes(),
        _ => bytes::Bytes::new(),
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ParseErrorBodies<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        let room = HEAD_KEPT.saturating_sub(self.head.len());
        if room > 0 {
            let new = &buf.filled()[before..];
            let take = new.len().min(room);
            let chunk = new[..take].to_vec();
            self.head.extend_from_slice(&chunk);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ParseErrorBodies<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.pending.is_none() {
            match hypers_own_status(buf) {
                Some(status) => {
                    let bytes = replacement(status, &self.head, self.registry);
                    self.pending = Some((bytes, 0));
                }
                None => {
                    self.head.clear();
                    return Pin::new(&mut self.inner).poll_write(cx, buf);
                }
            }
        }
        // Write the replacement whole, then tell hyper its own answer was written.
        loop {
            let this = &mut *self;
            let Some((bytes, written)) = this.pending.as_mut() else {
                return Poll::Ready(Ok(buf.len()));
            };
            if *written == bytes.len() {
                this.pending = None;
                this.head.clear();
                return Poll::Ready(Ok(buf.len()));
            }
            match Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                other => return other,
            }
        }
    }

    /// hyper writes a head and its body as separate buffers when the connection takes them
    /// (instead of first copying the body behind the head); hyper's own answers, whose whole
    /// head is the first buffer, still go through [`Self::poll_write`] to be replaced.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &**b);
        if self.pending.is_some() || hypers_own_status(first).is_some() {
            return self.poll_write(cx, first);
        }
        self.head.clear();
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_own_answers_are_replaced() {
        assert_eq!(
            hypers_own_status(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"),
            Some(400)
        );
        assert_eq!(
            hypers_own_status(b"HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n"),
            Some(431)
        );
        assert_eq!(
            hypers_own_status(b"HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: r\r\n\r\n{}"),
            None
        );
        assert_eq!(hypers_own_status(b"HTTP/1.1 200 OK\r\n\r\n"), None);
    }

    /// A connection that takes vectored writes and keeps what it is sent.
    #[derive(Default)]
    struct Sink(Vec<u8>);

    impl AsyncWrite for Sink {
        fn poll_write(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            self.0.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }

        fn poll_write_vectored(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            bufs: &[io::IoSlice<'_>],
        ) -> Poll<io::Result<usize>> {
            for b in bufs {
                self.0.extend_from_slice(b);
            }
            Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()))
        }

        fn is_write_vectored(&self) -> bool {
            true
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// Writes `bufs` vectored through the wrapper; what was reported written and what the
    /// connection got.
    fn write_vectored(bufs: &[&[u8]]) -> (usize, String) {
        let mut w = ParseErrorBodies::new(Sink::default(), protocol::Registry::shared());
        assert!(
            w.is_write_vectored(),
            "a vectored connection stays vectored"
        );
        let slices: Vec<io::IoSlice<'_>> = bufs.iter().map(|b| io::IoSlice::new(b)).collect();
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let Poll::Ready(Ok(n)) = Pin::new(&mut w).poll_write_vectored(&mut cx, &slices) else {
            panic!("the sink is always ready");
        };
        (n, String::from_utf8_lossy(&w.inner.0).into_owned())
    }

    #[test]
    fn vectored_answers_pass_whole_and_hypers_own_are_still_replaced() {
        let head = b"HTTP/1.1 200 OK\r\nx-amzn-RequestId: r\r\ncontent-length: 2\r\n\r\n";
        let (n, sent) = write_vectored(&[head, b"{}"]);
        assert_eq!(n, head.len() + 2);
        assert_eq!(sent.as_bytes(), [&head[..], b"{}"].concat());
        let own = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        let (n, sent) = write_vectored(&[b"", own]);
        assert_eq!(n, own.len(), "hyper is told its own answer was written");
        assert!(sent.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{sent}");
        assert!(sent.contains("x-amzn-errortype: BadRequest"), "{sent}");
    }

    #[test]
    fn the_scope_names_the_service_in_either_form() {
        let header = b"GET / HTTP/1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host";
        assert_eq!(scope_service(header).as_deref(), Some("iam"));
        let query = b"GET /?X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fivs%2Faws4_request&X-Amz-Date=1 HTTP/1.1";
        assert_eq!(scope_service(query).as_deref(), Some("ivs"));
        assert_eq!(scope_service(b"GET / HTTP/1.1\r\n"), None);
    }

    #[test]
    fn a_query_service_gets_xml_and_others_json() {
        let registry = protocol::Registry::shared();
        let iam = replacement(
            400,
            b"Authorization: AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/iam/aws4_request,",
            registry,
        );
        let text = String::from_utf8_lossy(&iam);
        assert!(text.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{text}");
        assert!(text.contains("<Code>BadRequest</Code>"), "{text}");
        let unknown = String::from_utf8_lossy(&replacement(431, b"", registry)).to_string();
        assert!(unknown.contains("RequestHeaderFieldsTooLarge"), "{unknown}");
        assert!(
            unknown.contains("The request headers are too large"),
            "{unknown}"
        );
    }
}
