//! The machine's ceiling: a bare hyper HTTP/1.1 server that answers every request with a
//! fixed JSON body. It prints its port on stdout, then serves until killed.
//!
//! Usage: bench-ceiling [--body-bytes N]. By default the body is a small fixed answer; with
//! `--body-bytes` it is a JSON object of exactly N bytes (at least 10), so the ceiling can be
//! measured paying for the same response size as the server it is compared with.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::io::Write;
use tokio::net::TcpListener;

/// The default answer (about the size of a small AWS JSON response header part).
const SMALL_BODY: &[u8] = br#"{"ok":true}"#;

/// A JSON object of exactly `n` bytes (`{"p":"xx…"}`); the small body when `n` is too short.
fn body_of(n: usize) -> Vec<u8> {
    const FRAME: usize = br#"{"p":""}"#.len();
    if n < FRAME + 2 {
        return SMALL_BODY.to_vec();
    }
    let mut body = Vec::with_capacity(n);
    body.extend_from_slice(br#"{"p":""#);
    body.resize(n - 2, b'x');
    body.extend_from_slice(br#""}"#);
    body
}

/// The body size asked for on the command line, if any.
fn requested_size() -> Result<Option<usize>, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (None, _) => Ok(None),
        (Some("--body-bytes"), Some(n)) => n
            .parse()
            .map(Some)
            .map_err(|_| format!("--body-bytes: {n} is not a byte count")),
        (Some(other), _) => Err(format!(
            "unknown argument {other} (usage: [--body-bytes N])"
        )),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let body = match requested_size() {
        Ok(Some(n)) => Bytes::from(body_of(n)),
        Ok(None) => Bytes::from_static(SMALL_BODY),
        Err(e) => {
            eprintln!("bench-ceiling: {e}");
            std::process::exit(2);
        }
    };
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let mut out = std::io::stdout();
    writeln!(out, "{port}")?;
    out.flush()?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let body = body.clone();
                async move {
                    // Read the body like a real server would before answering.
                    let _ = req.into_body().collect().await;
                    Ok::<_, Infallible>(
                        hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(body))
                            .unwrap_or_default(),
                    )
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_have_the_asked_length_and_are_json() {
        for n in [10, 11, 100, 30_000] {
            let b = body_of(n);
            assert_eq!(b.len(), n);
            let v: serde_json::Value = serde_json::from_slice(&b).unwrap();
            assert_eq!(v["p"].as_str().unwrap().len(), n - 8);
        }
        assert_eq!(body_of(3), SMALL_BODY);
    }
}
