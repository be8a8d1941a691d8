//! The web console in a real browser: headless Chromium, driven through chromedriver (the
//! W3C WebDriver protocol), signs in as two users with different policies against a server
//! on an ephemeral port. One creates an IVS channel; the other sees AWS's AccessDenied text,
//! word for word what the SDK gets for the same call. Screenshots go to
//! `target/console-e2e/`. Needs Debian's `chromium` and `chromium-driver` (`make test` installs
//! them); set `MEDIAMOCK_SKIP_BROWSER=1` to skip on a machine without them.

use crate::common;

use aws_sdk_ivs::error::ProvideErrorMetadata;
use base64::Engine;
use common::{TestServer, REGION, ROOT_KEY, ROOT_SECRET};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ALICE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["ivs:*","sts:GetCallerIdentity"],"Resource":"*"}]}"#;
const BOB_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["ivs:List*","ivs:Get*"],"Resource":"*"}]}"#;

/// Signs AWS's documented example request with the console's own signer module.
const KNOWN_ANSWER: &str = r#"
const done = arguments[arguments.length - 1];
import(location.origin + "/_mediamock/console/sigv4.js")
  .then((m) => m.sign({
    method: "GET", host: "iam.amazonaws.com", path: "/",
    query: "Action=ListUsers&Version=2010-05-08",
    headers: {"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
    body: "", service: "iam", region: "us-east-1",
    creds: {accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
    now: new Date("2015-08-30T12:36:00Z"),
  }))
  .then((h) => done(h.authorization), (e) => done("error: " + e));
"#;

/// The W3C WebDriver element reference key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process and one browser session in it, both ended on drop.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
    shots: PathBuf,
}

/// One HTTP/1.1 exchange with chromedriver (JSON in, JSON out).
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let body = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open despite `Connection: close`: read the headers,
    // then exactly the body they announce.
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the headers ended".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut payload = raw.split_off(split + 4);
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    let chunked =
        head.contains("transfer-encoding: chunked") || head.contains("transfer-encoding:chunked");
    loop {
        let complete = match length {
            Some(len) => payload.len() >= len,
            None if chunked => payload.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        payload.extend_from_slice(&buf[..n]);
    }
    if chunked {
        payload = dechunk(&payload);
    }
    serde_json::from_slice(&payload)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&payload)))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < end + 4 + size {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Browser {
    fn launch(shots: PathBuf) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (Debian package chromium-driver; `make test` installs it)");
        let profile = std::env::temp_dir().join(format!(
            "mediamock-console-{}-{}",
            std::process::id(),
            free_port()
        ));
        // Built first, so a failure below still ends chromedriver (on drop).
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            profile,
            shots,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while http(port, "GET", "/status", None)
            .ok()
            .and_then(|v| v["value"]["ready"].as_bool())
            != Some(true)
        {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let binary = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .unwrap_or("/usr/bin/chromium");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1100,760",
                format!("--user-data-dir={}", browser.profile.display()),
            ]}
        }}});
        let v = http(port, "POST", "/session", Some(&caps)).expect("new session");
        browser.session = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let v = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if v["value"]["error"].is_string() {
            panic!("{method} {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Waits until the expression is truthy; returns its value.
    fn wait(&self, expr: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let v = self.script(&format!("return ({expr}) || null;"));
            if !v.is_null() && v != json!(false) {
                return v;
            }
            if Instant::now() > deadline {
                let page = self.script("return document.body.innerText;");
                panic!("timed out waiting for {expr}; the page says:\n{page}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs an async script (its last argument is the callback) and returns what it reports.
    fn script_async(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": js, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        self.wait(&format!("document.querySelector({css:?})"));
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css);
        self.call("POST", &format!("/element/{e}/clear"), Some(json!({})));
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64"))
            .expect("a PNG");
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::create_dir_all(&self.shots).expect("screenshot dir");
        let path = self.shots.join(name);
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    fn sign_in(&self, key: &str, secret: &str) -> String {
        self.type_into("#access-key-id", key);
        self.type_into("#secret-access-key", secret);
        self.type_into("#region", REGION);
        self.click("#sign-in");
        self.wait("document.getElementById('identity-arn') && document.getElementById('identity-arn').textContent")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn sign_out(&self) {
        self.click("#sign-out");
        self.wait("document.getElementById('access-key-id')");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn screenshot_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("console-e2e")
}

/// Whether the table `id` has a cell with exactly `text` (a JS expression).
fn cell(id: &str, text: &str) -> String {
    format!("[...document.querySelectorAll('#{id} td')].some(td => td.textContent === {text:?})")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_users_one_creates_a_channel_the_other_sees_access_denied() {
    if std::env::var_os("MEDIAMOCK_SKIP_BROWSER").is_some() {
        eprintln!("MEDIAMOCK_SKIP_BROWSER is set: the console's browser test is skipped");
        return;
    }
    let server = TestServer::start().await;
    let alice = server.user_with_policy("alice", ALICE_POLICY).await;
    let bob = server.user_with_policy("bob", BOB_POLICY).await;
    // What the SDK gets when bob makes the same call: the page must show exactly this.
    let bob_ivs = aws_sdk_ivs::Client::new(&server.sdk_config(&bob.0, &bob.1).await);
    let refused = bob_ivs
        .create_channel()
        .name("bob-channel")
        .send()
        .await
        .expect_err("bob may not create channels");
    let expected = format!(
        "{} {}",
        refused.code().expect("a code"),
        refused.message().expect("a message")
    );
    assert!(expected.starts_with("AccessDeniedException "), "{expected}");

    let base = format!("{}/_mediamock/console/", server.endpoint);
    let shots = screenshot_dir();
    let page = tokio::task::spawn_blocking(move || {
        let b = Browser::launch(shots);
        b.go(&base);
        // The browser's signer reproduces AWS's documented example signature (the SigV4
        // guide's IAM ListUsers request), in this browser's Web Crypto.
        let known = b.script_async(KNOWN_ANSWER);
        assert_eq!(
            known.as_str(),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, \
                 Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
            )
        );
        let who = b.sign_in(&alice.0, &alice.1);
        assert!(who.ends_with(":user/alice"), "{who}");
        b.click("#nav-ivs");
        b.type_into("#ivs-new-name", "alice-channel");
        b.click("#ivs-create");
        b.wait(&cell("ivs-channels", "alice-channel"));
        b.screenshot("1-alice-created-a-channel.png");
        b.sign_out();

        let who = b.sign_in(&bob.0, &bob.1);
        assert!(who.ends_with(":user/bob"), "{who}");
        b.click("#nav-ivs");
        // Bob may list: he sees alice's channel, in the same account.
        b.wait(&cell("ivs-channels", "alice-channel"));
        b.type_into("#ivs-new-name", "bob-channel");
        b.click("#ivs-create");
        let denied = b.wait("document.querySelector('#ivs-status .error') && document.querySelector('#ivs-status .error').textContent");
        b.screenshot("2-bob-sees-access-denied.png");
        // Bob's IAM page: he has no IAM permissions, and sees AWS's query-protocol refusal.
        b.click("#nav-iam");
        let iam_denied = b.wait(
            "[...document.querySelectorAll('.error')].map(e => e.textContent).find(t => t.includes('iam:ListUsers'))",
        );
        b.sign_out();

        // Root reads the decision log and asks why bob was refused.
        b.sign_in(ROOT_KEY, ROOT_SECRET);
        b.click("#nav-decisions");
        b.type_into("#decisions-principal", ":user/bob");
        b.wait(&cell("decisions", "ivs:CreateChannel"));
        let only_bob = b.script(
            "return [...document.querySelectorAll('#decisions tbody tr')].every(r => r.children[1].textContent.endsWith(':user/bob'));",
        );
        b.screenshot("3-root-reads-the-decision-log.png");
        b.click("#nav-why");
        (denied, iam_denied, only_bob, b)
    })
    .await
    .expect("the browser session");
    let (denied, iam_denied, only_bob, browser) = page;
    assert_eq!(denied.as_str(), Some(expected.as_str()));
    let iam_denied = iam_denied.as_str().unwrap_or_default().to_string();
    assert!(
        iam_denied.starts_with("AccessDenied User: ") && iam_denied.contains("iam:ListUsers"),
        "{iam_denied}"
    );
    assert_eq!(only_bob, json!(true), "the principal filter keeps only bob");

    // The why page, as root, for bob's refused action.
    let account = server
        .iam_root()
        .await
        .get_user()
        .user_name("bob")
        .send()
        .await
        .expect("bob")
        .user
        .expect("user")
        .arn;
    // A MediaPackage v2 endpoint, for the console to list with its manifest URL.
    let mp = aws_sdk_mediapackagev2::Client::new(&server.root_config().await);
    mp.create_channel_group()
        .channel_group_name("demo")
        .send()
        .await
        .expect("group");
    mp.create_channel()
        .channel_group_name("demo")
        .channel_name("live")
        .send()
        .await
        .expect("channel");
    mp.create_origin_endpoint()
        .channel_group_name("demo")
        .channel_name("live")
        .origin_endpoint_name("hls")
        .container_type(aws_sdk_mediapackagev2::types::ContainerType::Ts)
        .hls_manifests(
            aws_sdk_mediapackagev2::types::CreateHlsManifestConfiguration::builder()
                .manifest_name("index")
                .build()
                .expect("manifest"),
        )
        .send()
        .await
        .expect("endpoint");
    let why = tokio::task::spawn_blocking(move || {
        let b = browser;
        b.type_into("#why-principal", &account);
        b.type_into("#why-action", "ivs:CreateChannel");
        b.click("#why-run");
        let decision = b.wait("document.getElementById('why-decision') && document.getElementById('why-decision').textContent");
        b.type_into("#why-action", "ivs:ListChannels");
        b.click("#why-run");
        b.wait("document.getElementById('why-decision') && document.getElementById('why-decision').textContent === 'allowed'");
        // Cited as AWS's simulator cites an inline user policy, and its card marked.
        b.wait(&cell("why-statements", "user_bob_p"));
        b.wait("document.querySelector('.card.matched h3') && document.querySelector('.card.matched h3').textContent === 'inline p'");
        b.screenshot("4-why-bob-may-list.png");
        // Root starts a stream through the admin API; IVS's ListStreams then reports it.
        b.click("#nav-ivs");
        b.click("#ivs-channels .stream-start");
        b.wait("[...document.querySelectorAll('#ivs-channels td')].some(td => td.textContent.startsWith('LIVE'))");
        b.screenshot("5-root-started-a-stream.png");
        // The other pages load for root (an error box has no table ID, so a refusal or a
        // misread answer times out here).
        b.click("#nav-mediaconnect");
        b.wait("document.getElementById('mediaconnect-flows')");
        b.click("#nav-mediaconvert");
        b.wait("document.getElementById('mediaconvert-jobs')");
        b.click("#nav-metrics");
        b.wait(&cell("metrics-requests", "CreateChannel"));
        b.click("#nav-mediapackage");
        let manifest = b.wait("document.querySelector('#mediapackagev2-endpoints a') && document.querySelector('#mediapackagev2-endpoints a').href");
        b.screenshot("6-mediapackage-manifest-url.png");
        (decision, manifest)
    })
    .await
    .expect("the why page");
    let (why, manifest) = why;
    assert_eq!(why, json!("implicitDeny"));
    let manifest = manifest.as_str().unwrap_or_default();
    assert!(
        manifest.contains("demo") && manifest.ends_with("/index.m3u8"),
        "{manifest}"
    );

    // The console acted through the API: the channel exists, bob's does not.
    let channels = server
        .ivs_root()
        .await
        .list_channels()
        .send()
        .await
        .expect("list")
        .channels;
    let names: Vec<_> = channels.iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["alice-channel"]);
    let streams = server
        .ivs_root()
        .await
        .list_streams()
        .send()
        .await
        .expect("streams")
        .streams;
    assert_eq!(streams.len(), 1, "root's stream is live");
    server.stop().await;
}

/// The status of a console password sign-in of `user` in the built-in account.
async fn password_sign_in(server: &TestServer, user: &str, password: &str) -> u16 {
    let host = server.endpoint.trim_start_matches("http://");
    let body =
        json!({"account": "000000000000", "userName": user, "password": password}).to_string();
    let request = format!(
        "POST /_mediamock/console/signin HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    server.raw(request.as_bytes()).await.status
}

/// What carol may do: change her own password (needed for the forced reset) and read IVS.
const CAROL_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::000000000000:user/carol"},
  {"Effect":"Allow","Action":["ivs:List*","sts:GetCallerIdentity"],"Resource":"*"}]}"#;

/// An IAM user signs in with a console password: a wrong one gets AWS's sign-in text; the
/// right one, marked for reset, makes her choose a new password first, then she is signed in
/// as herself, and the login profile records the use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_sign_in_with_a_required_reset() {
    if std::env::var_os("MEDIAMOCK_SKIP_BROWSER").is_some() {
        eprintln!("MEDIAMOCK_SKIP_BROWSER is set: the console's browser test is skipped");
        return;
    }
    let server = TestServer::start().await;
    server.user_with_policy("carol", CAROL_POLICY).await;
    let iam = server.iam_root().await;
    iam.create_login_profile()
        .user_name("carol")
        .password("First-Passw0rd")
        .password_reset_required(true)
        .send()
        .await
        .expect("login profile");
    let base = format!("{}/_mediamock/console/", server.endpoint);
    let shots = screenshot_dir();
    tokio::task::spawn_blocking(move || {
        let b = Browser::launch(shots);
        b.go(&base);
        b.type_into("#account", "000000000000");
        b.type_into("#user-name", "carol");
        b.type_into("#password", "Wrong-Passw0rd");
        b.click("#password-sign-in");
        let refused = b.wait("document.querySelector('#password-error .error') && document.querySelector('#password-error .error').textContent");
        assert_eq!(
            refused.as_str(),
            Some("AuthenticationFailed Your authentication information is incorrect. Please try again.")
        );
        b.screenshot("console-password-refused.png");
        b.type_into("#password", "First-Passw0rd");
        b.click("#password-sign-in");
        b.wait("!document.getElementById('new-password-fields').hidden");
        b.screenshot("console-password-reset.png");
        b.type_into("#new-password", "Second-Passw0rd");
        b.type_into("#confirm-password", "Second-Passw0rd");
        b.click("#password-sign-in");
        let who = b
            .wait("document.getElementById('identity-arn') && document.getElementById('identity-arn').textContent")
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert_eq!(who, "arn:aws:iam::000000000000:user/carol");
        // Only this tab's session storage holds the credentials, and they are a session's.
        let stored = b.script("return [sessionStorage.length, localStorage.length, JSON.parse(sessionStorage.getItem('mediamock.console.credentials')).accessKeyId];");
        assert_eq!(stored[0], 1);
        assert_eq!(stored[1], 0);
        assert!(stored[2].as_str().unwrap_or_default().starts_with("ASIA"), "{stored}");
        // The console session acts as carol: she changes her password on the IAM page.
        b.click("#nav-iam");
        b.type_into("#iam-old-password", "Second-Passw0rd");
        b.type_into("#iam-new-password", "Third-Passw0rd");
        b.click("#iam-change-password");
        let changed = b.wait("document.querySelector('#iam-password-status .ok, #iam-password-status .error') && document.querySelector('#iam-password-status div').textContent");
        assert_eq!(changed.as_str(), Some("Your password was changed."));
    })
    .await
    .expect("browser steps");
    // The password changed on the IAM page signs carol in.
    let signed_in = password_sign_in(&server, "carol", "Third-Passw0rd").await;
    assert_eq!(signed_in, 200);
    // The new password is in force and the sign-in was recorded, as GetUser reports it.
    let profile = iam
        .get_login_profile()
        .user_name("carol")
        .send()
        .await
        .expect("profile");
    assert!(!profile
        .login_profile()
        .expect("profile")
        .password_reset_required());
    let user = iam
        .get_user()
        .user_name("carol")
        .send()
        .await
        .expect("user");
    assert!(user.user().expect("user").password_last_used().is_some());
    server.stop().await;
}

/// The password sign-in endpoint takes a small unsigned body and answers one refusal for
/// any wrong detail, never telling which users exist.
#[tokio::test]
async fn password_sign_in_never_tells_which_users_exist() {
    let server = TestServer::start().await;
    server.user_with_key("dave").await;
    let iam = server.iam_root().await;
    iam.create_login_profile()
        .user_name("dave")
        .password("Dave-Passw0rd")
        .send()
        .await
        .expect("login profile");
    let host = server.endpoint.trim_start_matches("http://").to_string();
    let post = |body: &str| {
        format!(
            "POST /_mediamock/console/signin HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let mut refusals = Vec::new();
    for body in [
        r#"{"account":"000000000000","userName":"dave","password":"Wrong-Passw0rd"}"#,
        r#"{"account":"000000000000","userName":"nobody","password":"Dave-Passw0rd"}"#,
        r#"{"account":"999999999999","userName":"dave","password":"Dave-Passw0rd"}"#,
    ] {
        let r = server.raw(post(body).as_bytes()).await;
        assert_eq!(r.status, 401, "{body}: {}", r.text());
        refusals.push(r.json());
    }
    assert_eq!(
        refusals[0]["message"],
        "Your authentication information is incorrect. Please try again."
    );
    assert!(refusals.iter().all(|r| r == &refusals[0]));
    let ok = server
        .raw(
            post(r#"{"account":"000000000000","userName":"dave","password":"Dave-Passw0rd"}"#)
                .as_bytes(),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    let creds = ok.json();
    assert_eq!(ok.header("cache-control"), Some("no-store"));
    // The session's credentials work with the SDK, as dave.
    let sts = aws_sdk_sts::Client::new(
        &server
            .sdk_config_with_token(
                creds["AccessKeyId"].as_str().unwrap(),
                creds["SecretAccessKey"].as_str().unwrap(),
                Some(creds["SessionToken"].as_str().unwrap()),
            )
            .await,
    );
    let who = sts
        .get_caller_identity()
        .send()
        .await
        .expect("caller identity");
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:user/dave"));
    // A body beyond the small limit is refused before it is read.
    let huge = format!(r#"{{"account":"{}"}}"#, "x".repeat(5000));
    assert_eq!(server.raw(post(&huge).as_bytes()).await.status, 413);
    server.stop().await;
}

/// The console's files are the only unauthenticated addition: read-only, and no path
/// through them reaches a signed admin endpoint.
#[tokio::test]
async fn console_files_are_open_read_only_and_no_way_around_authentication() {
    let server = TestServer::start().await;
    let host = server.endpoint.trim_start_matches("http://").to_string();
    let get =
        |path: &str| format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    let page = server.raw(get("/_mediamock/console/").as_bytes()).await;
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("<script type=\"module\" src=\"app.js\">"));
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("default-src 'none'")));
    let bare = server.raw(get("/_mediamock/console").as_bytes()).await;
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/_mediamock/console/"));
    // A path is served as SigV4 reads it, `..` removed: the admin endpoint it then names
    // refuses the unsigned request.
    for (path, status) in [
        ("/_mediamock/console/../decisions", 403),
        ("/_mediamock/console/../state", 403),
        ("/_mediamock/console/nothing.js", 404),
    ] {
        let r = server.raw(get(path).as_bytes()).await;
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert!(!r.text().contains("records"), "{path}");
    }
    let post = format!(
        "POST /_mediamock/console/app.js HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(server.raw(post.as_bytes()).await.status, 405);
    // An unsigned admin request never makes the server buffer a body.
    let big = format!(
        "POST /_mediamock/console/app.js HTTP/1.1\r\nHost: {host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    assert_eq!(server.raw(big.as_bytes()).await.status, 413);
    // The endpoints the console calls still need a signature.
    let decisions = server.raw(get("/_mediamock/decisions").as_bytes()).await;
    assert_eq!(decisions.status, 403, "{}", decisions.text());
    server.stop().await;
}

/// Clicks the button of class `class` in the row of table `id` whose first cell is `first`.
fn click_in_row(b: &Browser, id: &str, first: &str, class: &str) {
    let row = format!(
        "[...document.querySelectorAll('#{id} tbody tr')].find(r => r.children[0].textContent === {first:?})"
    );
    b.wait(&format!("{row} && {row}.querySelector('.{class}')"));
    b.script(&format!(
        "{row}.querySelector('.{class}').click(); return true;"
    ));
}

/// Root changes IAM and the media services from the console: a user with a new access key and
/// an attached policy, a flow started, a queue created, a job submitted and canceled,
/// MediaPackage channels and endpoints made and deleted, and AWS's refusal shown as AWS words
/// it. Each change is then checked through the SDK.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn root_changes_iam_and_the_media_services_from_the_console() {
    if std::env::var_os("MEDIAMOCK_SKIP_BROWSER").is_some() {
        eprintln!("MEDIAMOCK_SKIP_BROWSER is set: the console's browser test is skipped");
        return;
    }
    let server = TestServer::start().await;
    let root = server.root_config().await;
    let iam = server.iam_root().await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = iam
        .create_role()
        .role_name("MediaConvertRole")
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("role")
        .role
        .expect("role")
        .arn;
    // A paused queue holds a job SUBMITTED, so the console can cancel it.
    let mc = aws_sdk_mediaconvert::Client::new(&root);
    mc.create_queue()
        .name("held")
        .status(aws_sdk_mediaconvert::types::QueueStatus::Paused)
        .send()
        .await
        .expect("queue");
    let base = format!("{}/_mediamock/console/", server.endpoint);
    let shots = screenshot_dir();
    let (secret_shown, duplicate) = tokio::task::spawn_blocking(move || {
        let b = Browser::launch(shots);
        b.go(&base);
        b.sign_in(ROOT_KEY, ROOT_SECRET);
        // IAM: a user, its access key (the secret shown once), a managed policy attached.
        b.click("#nav-iam");
        b.type_into("#iam-new-user", "dave");
        b.click("#iam-create-user");
        b.wait(&cell("iam-users", "dave"));
        click_in_row(&b, "iam-users", "dave", "iam-new-key");
        let secret = b.wait("document.getElementById('iam-new-secret') && document.getElementById('iam-new-secret').textContent");
        b.type_into("#iam-attach-user", "dave");
        b.type_into("#iam-attach-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess");
        b.click("#iam-attach");
        b.wait("document.querySelector('#iam-status .ok')");
        // The same user again: IAM's own refusal, as the query protocol words it.
        b.type_into("#iam-new-user", "dave");
        b.click("#iam-create-user");
        let duplicate = b.wait("document.querySelector('#iam-status .error') && document.querySelector('#iam-status .error').textContent");
        b.screenshot("7-root-created-a-user.png");
        // MediaConnect: a flow created and started.
        b.click("#nav-mediaconnect");
        b.type_into("#mediaconnect-new-name", "demo-flow");
        b.click("#mediaconnect-create");
        b.wait(&cell("mediaconnect-flows", "demo-flow"));
        click_in_row(&b, "mediaconnect-flows", "demo-flow", "flow-start");
        b.wait(&cell("mediaconnect-flows", "ACTIVE"));
        b.screenshot("8-root-started-a-flow.png");
        // MediaConvert: a queue created; a job submitted to the paused queue, then canceled.
        b.click("#nav-mediaconvert");
        b.type_into("#mediaconvert-new-queue", "batch");
        b.click("#mediaconvert-create-queue");
        b.wait(&cell("mediaconvert-queues", "batch"));
        b.type_into("#mediaconvert-role", &role);
        b.type_into("#mediaconvert-job-queue", "held");
        b.click("#mediaconvert-create-job");
        b.wait(&cell("mediaconvert-jobs", "SUBMITTED"));
        b.script("document.querySelector('#mediaconvert-jobs .job-cancel').click(); return true;");
        b.wait(&cell("mediaconvert-jobs", "CANCELED"));
        b.screenshot("9-root-canceled-a-job.png");
        // MediaPackage v2: a channel group, channel and HLS endpoint made from one form; a
        // second endpoint made, then deleted. v1: a channel with an HLS endpoint.
        b.click("#nav-mediapackage");
        b.type_into("#mp2-group", "studio");
        b.type_into("#mp2-channel", "main");
        b.type_into("#mp2-endpoint", "web");
        b.click("#mp2-create");
        b.wait("document.querySelector('#mediapackagev2-endpoints a') && document.querySelector('#mediapackagev2-endpoints a').href.endsWith('/index.m3u8')");
        b.type_into("#mp2-endpoint", "spare");
        b.click("#mp2-create");
        b.wait("[...document.querySelectorAll('#mediapackagev2-endpoints td')].some(td => td.textContent === 'spare')");
        b.script("[...document.querySelectorAll('#mediapackagev2-endpoints tbody tr')].find(r => r.children[2].textContent === 'spare').querySelector('.mp-delete').click(); return true;");
        b.wait("document.querySelector('#mediapackage-status .ok') && document.querySelector('#mediapackage-status .ok').textContent === 'Deleted origin endpoint spare' && ![...document.querySelectorAll('#mediapackagev2-endpoints td')].some(td => td.textContent === 'spare')");
        b.type_into("#mp1-channel", "legacy");
        b.type_into("#mp1-endpoint", "legacy-hls");
        b.click("#mp1-create");
        b.wait(&cell("mediapackage-endpoints", "legacy-hls"));
        b.screenshot("10-root-made-mediapackage-channels.png");
        (secret, duplicate)
    })
    .await
    .expect("the browser session");

    // Every change happened through the API, as the SDK sees it.
    let keys = iam
        .list_access_keys()
        .user_name("dave")
        .send()
        .await
        .expect("keys")
        .access_key_metadata;
    assert_eq!(keys.len(), 1);
    let key_id = keys[0].access_key_id().expect("key id").to_string();
    let dave = aws_sdk_sts::Client::new(
        &server
            .sdk_config(&key_id, secret_shown.as_str().expect("secret"))
            .await,
    )
    .get_caller_identity()
    .send()
    .await
    .expect("the secret the console showed signs requests");
    assert!(dave.arn().unwrap_or_default().ends_with(":user/dave"));
    let attached = iam
        .list_attached_user_policies()
        .user_name("dave")
        .send()
        .await
        .expect("attached")
        .attached_policies
        .unwrap_or_default();
    assert_eq!(
        attached[0].policy_arn(),
        Some("arn:aws:iam::aws:policy/ReadOnlyAccess")
    );
    let duplicate = duplicate.as_str().unwrap_or_default();
    assert!(
        duplicate.starts_with("EntityAlreadyExists User with name dave already exists."),
        "{duplicate}"
    );
    let flows = aws_sdk_mediaconnect::Client::new(&root)
        .list_flows()
        .send()
        .await
        .expect("flows")
        .flows
        .unwrap_or_default();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].name(), Some("demo-flow"));
    assert_eq!(
        flows[0].status(),
        Some(&aws_sdk_mediaconnect::types::Status::Active)
    );
    mc.get_queue()
        .name("batch")
        .send()
        .await
        .expect("the console's queue");
    let jobs = mc
        .list_jobs()
        .send()
        .await
        .expect("jobs")
        .jobs
        .unwrap_or_default();
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        jobs[0].status(),
        Some(&aws_sdk_mediaconvert::types::JobStatus::Canceled)
    );
    let mp2 = aws_sdk_mediapackagev2::Client::new(&root);
    let endpoints = mp2
        .list_origin_endpoints()
        .channel_group_name("studio")
        .channel_name("main")
        .send()
        .await
        .expect("endpoints")
        .items
        .unwrap_or_default();
    let names: Vec<&str> = endpoints.iter().map(|e| e.origin_endpoint_name()).collect();
    assert_eq!(names, ["web"], "the spare endpoint was deleted");
    let v1 = aws_sdk_mediapackage::Client::new(&root)
        .describe_origin_endpoint()
        .id("legacy-hls")
        .send()
        .await
        .expect("the console's v1 endpoint");
    assert_eq!(v1.channel_id(), Some("legacy"));
    assert!(v1.hls_package().is_some());
    server.stop().await;
}
