//! Soak test: a million mixed requests over loopback against a running mediamock (started by
//! scripts/soak.sh), from several concurrent clients, sampling the server's RSS.
//!
//! Usage: `soak ADDR PID [TOTAL] [CLIENTS]`. The mix: IVS CreateChannel, GetChannel,
//! ListChannels and DeleteChannel; IAM GetUser; STS GetCallerIdentity; and requests that
//! must be denied (a user without permissions). Every answer is checked against the status
//! it must have; anything else counts as an unexpected error. Exits 1 if there was any.

#[path = "../benches/support/client.rs"]
mod client;

use client::Client;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Counters shared by the clients.
#[derive(Default)]
struct Tally {
    done: AtomicU64,
    denied: AtomicU64,
    unexpected: AtomicU64,
}

/// The server's resident set size in KiB, from /proc.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Creates the user `soak-denied` with an access key and no permissions.
async fn denied_user(addr: SocketAddr) -> Result<(String, String), String> {
    let mut c = Client::connect(addr).await?;
    let create = form(&[
        ("Action", "CreateUser"),
        ("UserName", "soak-denied"),
        ("Version", "2010-05-08"),
    ]);
    let (status, body) = c
        .send(&client::iam(create.as_bytes()), "test", "test")
        .await?;
    if status != 200 && status != 409 {
        return Err(format!(
            "CreateUser: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    let key = form(&[
        ("Action", "CreateAccessKey"),
        ("UserName", "soak-denied"),
        ("Version", "2010-05-08"),
    ]);
    let (status, body) = c.send(&client::iam(key.as_bytes()), "test", "test").await?;
    let text = String::from_utf8_lossy(&body).into_owned();
    if status != 200 {
        return Err(format!("CreateAccessKey: {status} {text}"));
    }
    let between = |open: &str, close: &str| {
        text.split(open)
            .nth(1)
            .and_then(|rest| rest.split(close).next())
            .map(str::to_string)
    };
    let id = between("<AccessKeyId>", "</AccessKeyId>").ok_or("no AccessKeyId")?;
    let secret = between("<SecretAccessKey>", "</SecretAccessKey>").ok_or("no SecretAccessKey")?;
    Ok((id, secret))
}

/// One client's loop: `count` requests in a fixed mix.
async fn run_client(
    addr: SocketAddr,
    id: usize,
    count: u64,
    denied: Arc<(String, String)>,
    tally: Arc<Tally>,
) -> Result<(), String> {
    let mut c = Client::connect(addr).await?;
    let get_user = form(&[
        ("Action", "GetUser"),
        ("UserName", "soak-denied"),
        ("Version", "2010-05-08"),
    ]);
    let mut live: Vec<String> = Vec::new();
    let report = |tally: &Tally, ok: bool, what: &str, status: u16, body: &[u8]| {
        tally.done.fetch_add(1, Ordering::Relaxed);
        if !ok {
            let n = tally.unexpected.fetch_add(1, Ordering::Relaxed);
            if n < 10 {
                eprintln!(
                    "unexpected: {what} -> {status} {}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    };
    for i in 0..count {
        match i % 10 {
            0 => {
                let body = format!(r#"{{"name":"soak-{id}-{i}"}}"#);
                let (s, b) = c
                    .send(
                        &client::ivs("/CreateChannel", body.as_bytes()),
                        "test",
                        "test",
                    )
                    .await?;
                if s == 200 {
                    let v: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
                    if let Some(arn) = v["channel"]["arn"].as_str() {
                        live.push(arn.to_string());
                    }
                }
                report(&tally, s == 200, "CreateChannel", s, &b);
            }
            1..=3 => {
                let Some(arn) = live.last() else { continue };
                let body = format!(r#"{{"arn":"{arn}"}}"#);
                let (s, b) = c
                    .send(&client::ivs("/GetChannel", body.as_bytes()), "test", "test")
                    .await?;
                report(&tally, s == 200, "GetChannel", s, &b);
            }
            4 => {
                let (s, b) = c
                    .send(
                        &client::ivs("/ListChannels", br#"{"maxResults":50}"#),
                        "test",
                        "test",
                    )
                    .await?;
                report(&tally, s == 200, "ListChannels", s, &b);
            }
            5 => {
                // Keep the account's size steady: delete what this client created.
                let Some(arn) = live.pop() else { continue };
                let body = format!(r#"{{"arn":"{arn}"}}"#);
                let (s, b) = c
                    .send(
                        &client::ivs("/DeleteChannel", body.as_bytes()),
                        "test",
                        "test",
                    )
                    .await?;
                report(&tally, s == 204 || s == 200, "DeleteChannel", s, &b);
            }
            6 => {
                let (s, b) = c
                    .send(&client::iam(get_user.as_bytes()), "test", "test")
                    .await?;
                report(&tally, s == 200, "GetUser", s, &b);
            }
            7 | 8 => {
                let (s, b) = c
                    .send(&client::get_caller_identity(), "test", "test")
                    .await?;
                report(&tally, s == 200, "GetCallerIdentity", s, &b);
            }
            _ => {
                let (s, b) = c
                    .send(&client::ivs("/ListChannels", b"{}"), &denied.0, &denied.1)
                    .await?;
                if s == 403 {
                    tally.denied.fetch_add(1, Ordering::Relaxed);
                }
                report(&tally, s == 403, "ListChannels (denied user)", s, &b);
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(pid)) = (
        args.get(1).and_then(|a| a.parse::<SocketAddr>().ok()),
        args.get(2).and_then(|p| p.parse::<u32>().ok()),
    ) else {
        eprintln!("usage: soak ADDR PID [TOTAL] [CLIENTS]");
        return std::process::ExitCode::from(2);
    };
    let total: u64 = args
        .get(3)
        .and_then(|t| t.parse().ok())
        .unwrap_or(1_000_000);
    let clients: u64 = args.get(4).and_then(|c| c.parse().ok()).unwrap_or(8);
    let denied = match denied_user(addr).await {
        Ok(d) => Arc::new(d),
        Err(e) => {
            eprintln!("setup failed: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let rss_start = rss_kib(pid);
    println!("soak: {total} requests, {clients} clients, server pid {pid}, RSS at start {rss_start:?} KiB");
    let mut tasks = Vec::new();
    for id in 0..clients {
        let share = total / clients + u64::from(id < total % clients);
        tasks.push(tokio::spawn(run_client(
            addr,
            id as usize,
            share,
            denied.clone(),
            tally.clone(),
        )));
    }
    let sampler = {
        let tally = tally.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                let done = tally.done.load(Ordering::Relaxed);
                let rss = rss_kib(pid);
                println!(
                    "  t={:>4.0}s done={done:>8} rss={} KiB",
                    started.elapsed().as_secs_f64(),
                    rss.map(|r| r.to_string()).unwrap_or_else(|| "?".into())
                );
                samples.push((done, rss));
            }
        })
    };
    let mut failed = false;
    for t in tasks {
        match t.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                eprintln!("client failed: {e}");
                failed = true;
            }
            Err(e) => {
                eprintln!("client panicked: {e}");
                failed = true;
            }
        }
    }
    sampler.abort();
    let elapsed = started.elapsed();
    let done = tally.done.load(Ordering::Relaxed);
    let unexpected = tally.unexpected.load(Ordering::Relaxed);
    println!(
        "soak done: {done} requests in {:.1} s = {:.0} req/s; denied as expected {}; unexpected errors {unexpected}; RSS start {rss_start:?} KiB, end {:?} KiB",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        tally.denied.load(Ordering::Relaxed),
        rss_kib(pid)
    );
    if failed || unexpected > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
