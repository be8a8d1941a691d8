//! A lean HTTP/1.1 client over one keep-alive connection that signs every request anew with
//! SigV4 (as SDKs do: a fresh `x-amz-date` and a distinct signed `amz-sdk-invocation-id`, so
//! no two requests carry the same signature).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use sigv4::{canonicalize, derive_signing_key, format_amz_date, signature};
use sigv4::{CanonicalOptions, CredentialScope, RequestParts};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;
use tokio::net::TcpStream;

/// The region every request is signed for.
pub const REGION: &str = "us-west-2";

/// Distinguishes every request this process signs.
static INVOCATIONS: AtomicU64 = AtomicU64::new(1);

/// Access key and secret of the identity that signs.
#[derive(Clone, Debug)]
pub struct Keys {
    /// Access key ID.
    pub id: String,
    /// Secret access key.
    pub secret: String,
}

impl Keys {
    /// The keys `id` and `secret`.
    pub fn new(id: &str, secret: &str) -> Keys {
        Keys {
            id: id.to_string(),
            secret: secret.to_string(),
        }
    }
}

/// One request: where it goes and what it carries; `service` `None` sends it unsigned.
#[derive(Clone, Debug)]
pub struct Request {
    /// Signing name of the service, or `None` for an anonymous request.
    pub service: Option<&'static str>,
    /// HTTP method.
    pub method: &'static str,
    /// Path, already percent-encoded as an SDK sends it (no query).
    pub path: String,
    /// Content type of the body.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Where in `body` each request writes its own serial number, if it does: such requests
    /// are distinct (a MediaConvert job of its own input file, as a real workload submits),
    /// so nothing the server keeps about one body's content answers the next.
    pub serial_at: Option<usize>,
}

impl Request {
    /// A restJson call with a JSON body.
    pub fn json(service: &'static str, method: &'static str, path: &str, body: &str) -> Request {
        Request {
            service: Some(service),
            method,
            path: path.to_string(),
            content_type: "application/json",
            body: body.as_bytes().to_vec(),
            serial_at: None,
        }
    }

    /// This request with its first `marker` in the body replaced by each request's own serial
    /// number (unchanged if the body has no `marker`).
    pub fn with_serial(mut self, marker: &str) -> Request {
        let found = (!marker.is_empty())
            .then(|| {
                self.body
                    .windows(marker.len())
                    .position(|w| w == marker.as_bytes())
            })
            .flatten();
        if let Some(at) = found {
            self.body.drain(at..at + marker.len());
            self.serial_at = Some(at);
        }
        self
    }

    /// The body request `n` sends, as the request takes it: with `n` written at `serial_at`,
    /// if set (that body written once, and sent as it is).
    pub fn body_of(&self, n: u64) -> Bytes {
        match self.serial_at {
            None => Bytes::copy_from_slice(&self.body),
            Some(at) => {
                let serial = n.to_string();
                let mut body = Vec::with_capacity(self.body.len() + serial.len());
                body.extend_from_slice(&self.body[..at]);
                body.extend_from_slice(serial.as_bytes());
                body.extend_from_slice(&self.body[at..]);
                Bytes::from(body)
            }
        }
    }

    /// An IAM query call with form parameters.
    pub fn iam(pairs: &[(&str, &str)]) -> Request {
        let mut form = String::from("Version=2010-05-08");
        for (k, v) in pairs {
            form.push('&');
            form.push_str(k);
            form.push('=');
            form.push_str(&encode(v));
        }
        Request::query("iam", &form)
    }

    /// A query-protocol call (IAM, STS) with its form body as given.
    pub fn query(service: &'static str, form: &str) -> Request {
        Request {
            service: Some(service),
            method: "POST",
            path: "/".into(),
            content_type: "application/x-www-form-urlencoded; charset=utf-8",
            body: form.as_bytes().to_vec(),
            serial_at: None,
        }
    }

    /// STS GetCallerIdentity.
    pub fn get_caller_identity() -> Request {
        Request::query("sts", "Action=GetCallerIdentity&Version=2011-06-15")
    }

    /// An anonymous GET.
    pub fn anonymous_get(path: &str) -> Request {
        Request {
            service: None,
            method: "GET",
            path: path.to_string(),
            content_type: "",
            body: Vec::new(),
            serial_at: None,
        }
    }
}

/// Percent-encodes `s` as SDKs do for a URI label or a form value (unreserved kept).
pub fn encode(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// One keep-alive connection to a server.
pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    addr: SocketAddr,
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
            addr,
            host: addr.to_string(),
        })
    }

    /// A sender ready for the next request, reconnecting if the server closed the
    /// connection (moto's HTTP/1.0 server closes it after every answer).
    async fn ready(&mut self) -> Result<(), String> {
        if self.sender.is_closed() || self.sender.ready().await.is_err() {
            *self = Client::connect(self.addr).await?;
            self.sender.ready().await.map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Sends `req`, signed with `keys` if it names a service; returns status and body.
    pub async fn send(&mut self, req: &Request, keys: &Keys) -> Result<(u16, Bytes), String> {
        let n = INVOCATIONS.fetch_add(1, Ordering::Relaxed);
        let body = req.body_of(n);
        let mut builder = hyper::Request::builder()
            .method(req.method)
            .uri(req.path.as_str());
        match req.service {
            Some(service) => {
                for (name, value) in signed_headers(&self.host, req, &body, service, keys, n) {
                    builder = builder.header(name, value);
                }
            }
            None => builder = builder.header("host", self.host.as_str()),
        }
        let http = builder.body(Full::new(body)).map_err(|e| e.to_string())?;
        self.ready().await?;
        let resp = match self.sender.try_send_request(http).await {
            Ok(resp) => resp,
            // Closed before the request went out: send it again on a new connection.
            Err(mut e) => match e.take_message() {
                Some(http) if e.error().is_canceled() => {
                    *self = Client::connect(self.addr).await?;
                    self.ready().await?;
                    self.sender
                        .send_request(http)
                        .await
                        .map_err(|e| e.to_string())?
                }
                _ => return Err(e.into_error().to_string()),
            },
        };
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok((status, body))
    }

    /// An unsigned GET of `path` (an open admin endpoint, an egress URL).
    pub async fn get(&mut self, path: &str) -> Result<(u16, Bytes), String> {
        let anonymous = Keys::new("", "");
        self.send(&Request::anonymous_get(path), &anonymous).await
    }
}

/// The headers of `req`, sending `body` as request `n`, including its SigV4 `authorization`,
/// signed now.
fn signed_headers(
    host: &str,
    req: &Request,
    body: &[u8],
    service: &str,
    keys: &Keys,
    n: u64,
) -> Vec<(&'static str, String)> {
    let amz_date = format_amz_date(SystemTime::now());
    let scope = CredentialScope {
        date: amz_date.get(..8).unwrap_or_default().to_string(),
        region: REGION.into(),
        service: service.into(),
    };
    let invocation = format!("00000000-0000-4000-8000-{n:012x}");
    let credential = format!("{}/{}/{REGION}/{service}/aws4_request", keys.id, scope.date);
    let authorization = |sig: &str| {
        format!("AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=amz-sdk-invocation-id;content-type;host;x-amz-date, Signature={sig}")
    };
    let mut headers = vec![
        ("amz-sdk-invocation-id", invocation),
        ("content-type", req.content_type.to_string()),
        ("host", host.to_string()),
        ("x-amz-date", amz_date),
        ("authorization", authorization("00")),
    ];
    let borrowed: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_bytes())).collect();
    let parts = RequestParts {
        method: req.method,
        path: &req.path,
        query: "",
        headers: &borrowed,
        body,
    };
    let to_sign = canonicalize(&parts, CanonicalOptions::default())
        .map(|c| c.string_to_sign)
        .unwrap_or_default();
    let sig = signature(&derive_signing_key(&keys.secret, &scope), &to_sign);
    if let Some(last) = headers.last_mut() {
        last.1 = authorization(&sig);
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_form_values_are_encoded_as_sdks_send_them() {
        assert_eq!(
            encode("arn:aws:mediaconnect:us-west-2:1:flow:1-a/b c~"),
            "arn%3Aaws%3Amediaconnect%3Aus-west-2%3A1%3Aflow%3A1-a%2Fb%20c~"
        );
        let req = Request::iam(&[("Action", "CreateUser"), ("UserName", "a+b")]);
        assert_eq!(
            String::from_utf8(req.body).unwrap(),
            "Version=2010-05-08&Action=CreateUser&UserName=a%2Bb"
        );
    }

    #[test]
    fn every_request_gets_its_own_signature() {
        let req = Request::json("ivs", "POST", "/GetChannel", r#"{"arn":"x"}"#);
        let keys = Keys {
            id: "AKID".into(),
            secret: "secret".into(),
        };
        let auth = |h: Vec<(&str, String)>| {
            h.into_iter()
                .find(|(n, _)| *n == "authorization")
                .map(|(_, v)| v)
                .unwrap()
        };
        let a = auth(signed_headers(
            "127.0.0.1:1",
            &req,
            &req.body,
            "ivs",
            &keys,
            1,
        ));
        let b = auth(signed_headers(
            "127.0.0.1:1",
            &req,
            &req.body,
            "ivs",
            &keys,
            2,
        ));
        assert!(a.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"), "{a}");
        assert_ne!(a, b, "same request signed twice must differ");
    }

    #[test]
    fn a_serial_request_sends_its_own_number_in_place_of_the_marker() {
        let req = Request::json("mediaconvert", "POST", "/j", r#"{"f":"s3://b/a-#.mp4"}"#)
            .with_serial("#");
        assert_eq!(&*req.body_of(7), br#"{"f":"s3://b/a-7.mp4"}"#);
        assert_eq!(&*req.body_of(12), br#"{"f":"s3://b/a-12.mp4"}"#);
        let plain = Request::json("ivs", "POST", "/x", "{}").with_serial("#");
        assert_eq!((plain.serial_at, &*plain.body_of(3)), (None, &b"{}"[..]));
    }
}
