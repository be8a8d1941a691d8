//! The servers under test, each its own child process on an ephemeral loopback port: a
//! mediamock binary, the bare hyper ceiling, moto's server.

use bench::client::{Client, Keys, Request};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process; killed when dropped.
pub struct Target {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its process.
    pub child: Child,
    /// From spawning the process to the first answered request.
    pub startup: Duration,
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Polls `path` with an unsigned GET until the server answers `ok`; returns when it did.
async fn first_answer(
    addr: SocketAddr,
    path: &str,
    child: &mut Child,
    within: Duration,
) -> Result<Instant, String> {
    let deadline = Instant::now() + within;
    let probe = Request::anonymous_get(path);
    let nobody = Keys {
        id: String::new(),
        secret: String::new(),
    };
    loop {
        if let Ok(mut c) = Client::connect(addr).await {
            if let Ok((status, _)) = c.send(&probe, &nobody).await {
                if status < 500 {
                    return Ok(Instant::now());
                }
            }
        }
        if let Ok(Some(exit)) = child.try_wait() {
            return Err(format!("exited before serving: {exit}"));
        }
        if Instant::now() > deadline {
            return Err(format!("no answer on {addr}{path} within {within:?}"));
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
}

/// Starts `bin serve` in memory (with `config`, a TOML file, if given).
pub async fn mediamock(bin: &Path, config: Option<&Path>) -> Result<Target, String> {
    let port = free_port()?;
    let mut cmd = Command::new(bin);
    cmd.args(["serve", "--port", &port.to_string(), "--log", "error"]);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let served = first_answer(
        addr,
        "/_mediamock/health",
        &mut child,
        Duration::from_secs(10),
    )
    .await
    .map_err(|e| format!("{}: {e}", bin.display()))?;
    Ok(Target {
        addr,
        child,
        startup: served - started,
    })
}

/// Starts the bare hyper server, which prints its port; it answers `body_bytes` bytes of JSON
/// when given, its small fixed body otherwise.
pub async fn ceiling(bin: &Path, body_bytes: Option<usize>) -> Result<Target, String> {
    let started = Instant::now();
    let mut cmd = Command::new(bin);
    if let Some(n) = body_bytes {
        cmd.args(["--body-bytes", &n.to_string()]);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    let port: u16 = line
        .trim()
        .parse()
        .map_err(|_| format!("ceiling printed {line:?}"))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let served = first_answer(addr, "/", &mut child, Duration::from_secs(10)).await?;
    Ok(Target {
        addr,
        child,
        startup: served - started,
    })
}

/// Starts moto's server with IAM authentication on after `unauthenticated` bootstrap calls
/// (moto's `INITIAL_NO_AUTH_ACTION_COUNT`).
pub async fn moto(bin: &Path, unauthenticated: u32) -> Result<Target, String> {
    let port = free_port()?;
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("INITIAL_NO_AUTH_ACTION_COUNT", unauthenticated.to_string())
        .env("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    // The dashboard path is served without authentication and counts no action.
    let served = first_answer(
        addr,
        "/moto-api/data.json",
        &mut child,
        Duration::from_secs(60),
    )
    .await?;
    Ok(Target {
        addr,
        child,
        startup: served - started,
    })
}
