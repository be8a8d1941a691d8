//! A mediamock server on an ephemeral port, and clients for it: AWS SDK configs, SigV4-signed
//! admin calls and raw HTTP.
#![allow(dead_code)]

use aws_credential_types::Credentials;
use serde_json::Value;
use server::{Config, RunningServer};
use std::time::SystemTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The region tests sign for.
pub const REGION: &str = "us-west-2";

/// A raw HTTP response.
pub struct RawResponse {
    /// Status code (0 when the server closed the connection without answering).
    pub status: u16,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first header of that (lowercase) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON (Null if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A server running in this process.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    running: Option<RunningServer>,
}

impl TestServer {
    /// A server with the test configuration (ephemeral port, in memory, instant lifecycles).
    pub async fn start() -> TestServer {
        Self::start_with(Config::for_tests()).await
    }

    /// A server with the given configuration.
    pub async fn start_with(config: Config) -> TestServer {
        let running = server::start(config).await.expect("server starts");
        TestServer {
            endpoint: format!("http://{}", running.addr()),
            running: Some(running),
        }
    }

    /// The underlying server.
    pub fn running(&self) -> &RunningServer {
        self.running.as_ref().expect("running")
    }

    /// Stops the server gracefully.
    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await;
        }
    }

    /// An SDK config pointing at this server with static credentials.
    pub async fn sdk_config(&self, key: &str, secret: &str) -> aws_config::SdkConfig {
        self.sdk_config_with_token(key, secret, None).await
    }

    /// An SDK config with temporary credentials.
    pub async fn sdk_config_with_token(
        &self,
        key: &str,
        secret: &str,
        token: Option<&str>,
    ) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new(REGION))
            .credentials_provider(Credentials::new(
                key,
                secret,
                token.map(str::to_string),
                None,
                "mediamock-tests",
            ))
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .load()
            .await
    }

    /// Sends raw bytes and reads the answer until the server closes the connection.
    pub async fn raw(&self, request: &[u8]) -> RawResponse {
        let addr = self.running().addr();
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let _ = stream.write_all(request).await;
        let _ = stream.shutdown().await;
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            stream.read_to_end(&mut buf),
        )
        .await;
        parse_response(&buf)
    }

    /// A request signed with SigV4 for `service` at time `when`, sent raw.
    #[allow(clippy::too_many_arguments)]
    pub async fn signed(
        &self,
        method: &str,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        service: &str,
        key: &str,
        secret: &str,
        when: SystemTime,
    ) -> RawResponse {
        let host = self.endpoint.trim_start_matches("http://").to_string();
        let url = format!("{}{}", self.endpoint, path_and_query);
        let mut all: Vec<(String, String)> = vec![("host".into(), host.clone())];
        for (k, v) in headers {
            all.push((k.to_string(), v.to_string()));
        }
        let signed = sign(method, &url, &all, body, service, key, secret, when);
        let mut text = format!("{method} {path_and_query} HTTP/1.1\r\n");
        for (k, v) in all.iter().chain(signed.iter()) {
            text.push_str(&format!("{k}: {v}\r\n"));
        }
        text.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(body);
        self.raw(&bytes).await
    }

    /// `POST /_mediamock/clock/advance` by `seconds`, as the built-in root; the answer (with
    /// `lifecycleTime` and `mode`), after checking it is a 200.
    pub async fn advance_clock(&self, seconds: u64) -> Value {
        let body = serde_json::json!({ "seconds": seconds });
        let (status, answer) = self
            .admin(
                "POST",
                "/_mediamock/clock/advance",
                body,
                ROOT_KEY,
                ROOT_SECRET,
            )
            .await;
        assert_eq!(status, 200, "{answer}");
        answer
    }

    /// A JSON admin call signed with the given credentials.
    pub async fn admin(
        &self,
        method: &str,
        path: &str,
        body: Value,
        key: &str,
        secret: &str,
    ) -> (u16, Value) {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(&body).expect("json")
        };
        let r = self
            .signed(
                method,
                path,
                &[("content-type", "application/json")],
                &bytes,
                "mediamock",
                key,
                secret,
                SystemTime::now(),
            )
            .await;
        (r.status, r.json())
    }

    /// [`TestServer::admin`] signed as the account root (the server's default `test`/`test`
    /// key, which is also the admin identity).
    pub async fn root_admin(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        self.admin(method, path, body, ROOT_KEY, ROOT_SECRET).await
    }

    /// The first record of the account root's `GET /_mediamock/state` export that `matches`
    /// (as exported: `{"store": …, "record": {…}}`); panics with the export if none does.
    pub async fn exported_record(&self, matches: impl Fn(&Value) -> bool) -> Value {
        let (status, state) = self
            .root_admin("GET", "/_mediamock/state", Value::Null)
            .await;
        assert_eq!(status, 200, "{state}");
        state["records"]
            .as_array()
            .and_then(|records| records.iter().find(|r| matches(r)))
            .cloned()
            .unwrap_or_else(|| panic!("no such record exported: {state}"))
    }

    /// An SDK config signed as the account root (the server's default `test`/`test` key).
    pub async fn root_config(&self) -> aws_config::SdkConfig {
        self.sdk_config(ROOT_KEY, ROOT_SECRET).await
    }

    /// An IAM client acting as the account root.
    pub async fn iam_root(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.root_config().await)
    }

    /// An IVS client acting as the account root.
    pub async fn ivs_root(&self) -> aws_sdk_ivs::Client {
        aws_sdk_ivs::Client::new(&self.root_config().await)
    }

    /// Creates IAM user `name` with an access key; returns (key id, secret).
    pub async fn user_with_key(&self, name: &str) -> (String, String) {
        let iam = self.iam_root().await;
        iam.create_user()
            .user_name(name)
            .send()
            .await
            .expect("create user");
        let key = iam
            .create_access_key()
            .user_name(name)
            .send()
            .await
            .expect("create key")
            .access_key
            .expect("key");
        (key.access_key_id, key.secret_access_key)
    }

    /// Creates IAM user `name` with the inline policy `policy` (named `p`) and an access key;
    /// returns (key id, secret).
    pub async fn user_with_policy(&self, name: &str, policy: &str) -> (String, String) {
        let key = self.user_with_key(name).await;
        self.iam_root()
            .await
            .put_user_policy()
            .user_name(name)
            .policy_name("p")
            .policy_document(policy)
            .send()
            .await
            .expect("put user policy");
        key
    }

    /// Creates customer managed policy `name` with `document` (as root); returns its ARN.
    pub async fn managed_policy(&self, name: &str, document: &str) -> String {
        self.iam_root()
            .await
            .create_policy()
            .policy_name(name)
            .policy_document(document)
            .send()
            .await
            .expect("create policy")
            .policy
            .and_then(|p| p.arn)
            .expect("policy ARN")
    }
}

/// A policy allowing every IVS action on every resource.
pub const ALLOW_IVS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:*","Resource":"*"}]}"#;

/// The root access key id every test server accepts.
pub const ROOT_KEY: &str = "test";
/// The secret of [`ROOT_KEY`].
pub const ROOT_SECRET: &str = "test";

/// The AWS error code of a call that must fail (panics if it succeeded).
pub fn code_of<
    T: std::fmt::Debug,
    E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug,
>(
    result: Result<T, E>,
) -> Option<String> {
    result
        .expect_err("the call should fail")
        .code()
        .map(str::to_string)
}

/// The signature headers (`authorization`, `x-amz-date`, …) for a request.
#[allow(clippy::too_many_arguments)]
pub fn sign(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
    service: &str,
    key: &str,
    secret: &str,
    when: SystemTime,
) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name(service)
        .time(when)
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let (hdrs, _params) = instructions.into_parts();
    hdrs.into_iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect()
}

/// The status, headers and body of the HTTP/1.1 response in `buf`.
pub fn parse_response(buf: &[u8]) -> RawResponse {
    let Some(split) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return RawResponse {
            status: 0,
            headers: vec![],
            body: buf.to_vec(),
        };
    };
    let head = String::from_utf8_lossy(&buf[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    RawResponse {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    }
}

/// A new empty directory under the system's temp dir, `TAG-PID-NANOS` (data dirs, bootstrap
/// files): unique per test run and per call.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "{tag}-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A server started with `config` and the bootstrap file `toml` (written to a temporary file,
/// removed once the server has read it).
pub async fn start_with_bootstrap(mut config: server::Config, toml: &str) -> TestServer {
    let dir = temp_dir("mediamock-bootstrap");
    let path = dir.join("bootstrap.toml");
    std::fs::write(&path, toml).unwrap();
    config.bootstrap = Some(path);
    let server = TestServer::start_with(config).await;
    let _ = std::fs::remove_dir_all(&dir);
    server
}

/// Asserts an SDK error's AWS error code and exact message.
pub fn assert_error<E: aws_sdk_iam::error::ProvideErrorMetadata + std::fmt::Debug>(
    e: &E,
    code: &str,
    message: &str,
) {
    assert_eq!(e.code(), Some(code), "{e:?}");
    assert_eq!(e.message(), Some(message), "{e:?}");
}
