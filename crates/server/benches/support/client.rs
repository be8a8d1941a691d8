//! A minimal SigV4-signing HTTP/1.1 client for the benchmarks and the soak test: one
//! keep-alive hyper connection, requests signed with the server crate's own sigv4 code.

#![allow(dead_code)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use sigv4::{canonicalize, derive_signing_key, format_amz_date, signature};
use sigv4::{CanonicalOptions, CredentialScope, RequestParts};
use std::net::SocketAddr;
use std::time::SystemTime;
use tokio::net::TcpStream;

/// The region every request is signed for.
pub const REGION: &str = "us-west-2";

/// An API call: where it goes and what it carries.
pub struct Call<'a> {
    /// Signing name of the service (`ivs`, `iam`, `sts`).
    pub service: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// Path (no query).
    pub path: &'a str,
    /// Content type of the body.
    pub content_type: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// One keep-alive connection to a server.
pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Client {
    /// Connects to `addr`.
    pub async fn connect(addr: SocketAddr) -> Result<Client, String> {
        let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        let _ = stream.set_nodelay(true);
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        Ok(Client {
            sender,
            host: addr.to_string(),
        })
    }

    /// Sends `call` signed with `key`/`secret`; returns the status and body.
    pub async fn send(
        &mut self,
        call: &Call<'_>,
        key: &str,
        secret: &str,
    ) -> Result<(u16, Bytes), String> {
        let headers = signed_headers(&self.host, call, key, secret, SystemTime::now());
        let mut req = hyper::Request::builder().method(call.method).uri(call.path);
        for (name, value) in &headers {
            req = req.header(name.as_str(), value.as_str());
        }
        let req = req
            .body(Full::new(Bytes::copy_from_slice(call.body)))
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let resp = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, body))
    }

    /// An unsigned GET (for the open admin endpoints).
    pub async fn get(&mut self, path: &str) -> Result<(u16, Bytes), String> {
        let req = hyper::Request::builder()
            .uri(path)
            .header("host", self.host.as_str())
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let resp = self
            .sender
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, body))
    }
}

/// The headers of `call` including its SigV4 `authorization`.
pub fn signed_headers(
    host: &str,
    call: &Call<'_>,
    key: &str,
    secret: &str,
    when: SystemTime,
) -> Vec<(String, String)> {
    let amz_date = format_amz_date(when);
    let date = amz_date.get(..8).unwrap_or_default().to_string();
    let scope = CredentialScope {
        date,
        region: REGION.into(),
        service: call.service.into(),
    };
    let credential = format!(
        "{key}/{}/{REGION}/{}/aws4_request",
        scope.date, call.service
    );
    let authorization = |sig: &str| {
        format!(
            "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=content-type;host;x-amz-date, Signature={sig}"
        )
    };
    let mut headers = vec![
        ("content-type".to_string(), call.content_type.to_string()),
        ("host".to_string(), host.to_string()),
        ("x-amz-date".to_string(), amz_date),
        ("authorization".to_string(), authorization("00")),
    ];
    let borrowed: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_bytes()))
        .collect();
    let parts = RequestParts {
        method: call.method,
        path: call.path,
        query: "",
        headers: &borrowed,
        body: call.body,
    };
    let sts = canonicalize(&parts, CanonicalOptions::default())
        .map(|c| c.string_to_sign)
        .unwrap_or_default();
    let sig = signature(&derive_signing_key(secret, &scope), &sts);
    if let Some(last) = headers.last_mut() {
        last.1 = authorization(&sig);
    }
    headers
}

/// STS GetCallerIdentity (query protocol).
pub fn get_caller_identity() -> Call<'static> {
    Call {
        service: "sts",
        method: "POST",
        path: "/",
        content_type: "application/x-www-form-urlencoded; charset=utf-8",
        body: b"Action=GetCallerIdentity&Version=2011-06-15",
    }
}

/// An IVS restJson call.
pub fn ivs<'a>(path: &'a str, body: &'a [u8]) -> Call<'a> {
    Call {
        service: "ivs",
        method: "POST",
        path,
        content_type: "application/json",
        body,
    }
}

/// An IAM query call.
pub fn iam(body: &[u8]) -> Call<'_> {
    Call {
        service: "iam",
        method: "POST",
        path: "/",
        content_type: "application/x-www-form-urlencoded; charset=utf-8",
        body,
    }
}
