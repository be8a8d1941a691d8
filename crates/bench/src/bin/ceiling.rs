//! The machine's ceiling: a bare hyper HTTP/1.1 server that answers every request with a
//! fixed JSON body. It prints its port on stdout, then serves until killed.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io::Write;
use tokio::net::TcpListener;

/// The fixed answer (about the size of a small AWS JSON response header part).
const BODY: &[u8] = br#"{"ok":true}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let mut out = std::io::stdout();
    writeln!(out, "{port}")?;
    out.flush()?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let service = service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                // Read the body like a real server would before answering.
                let _ = req.into_body().collect().await;
                Ok::<_, Infallible>(
                    hyper::Response::builder()
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from_static(BODY)))
                        .unwrap_or_default(),
                )
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
