//! Soak test: a million mixed requests over loopback against a running mediamock (started by
//! scripts/soak.sh), from several concurrent clients, sampling the server's RSS.
//!
//! Usage: `soak ADDR PID [TOTAL] [CLIENTS]`. The mix covers every service: IVS channels
//! (create, get, list, delete); MediaConnect flows (create, describe, list, delete);
//! MediaConvert jobs (create, get, list) and presets (create, get, delete); MediaPackage v1
//! channels (create, describe, delete); MediaPackage v2 reads of a channel group, channel and
//! origin endpoint and an anonymous egress GET; IAM GetUser; STS GetCallerIdentity; and
//! requests that must be denied (a user without permissions). What a client creates it deletes
//! again, so the account's size stays steady — except MediaConvert jobs, which AWS cannot
//! delete: one is created every [`JOB_EVERY`] requests of a client, up to [`JOBS_PER_CLIENT`]
//! (then they are only read), so after warm-up the state is steady and RSS must be flat; the
//! run reports how many. Every answer is checked against the status it must have; anything else counts as an
//! unexpected error. Exits 1 if there was any.

use bench::client::{encode, Client, Keys, Request};
use bench::workload::{job_body, JOB_SERIAL};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Requests per cycle of a client's mix (see [`run_client`]).
const CYCLE: u64 = 24;

/// A client creates a MediaConvert job once every this many requests (the other turns of
/// that slot read the last one), so jobs — which AWS keeps, there is no DeleteJob — stay few.
const JOB_EVERY: u64 = CYCLE * 10;

/// The most jobs a client creates: jobs are state AWS keeps, and a run whose state grows
/// without bound could not show that memory stays flat.
const JOBS_PER_CLIENT: u64 = 64;

/// Counters shared by the clients.
#[derive(Default)]
struct Tally {
    done: AtomicU64,
    denied: AtomicU64,
    unexpected: AtomicU64,
    jobs: AtomicU64,
}

/// The server's resident memory in KiB from /proc: (VmRSS, RssAnon, RssFile).
fn rss_kib(pid: u32) -> Option<(u64, u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("RssAnon:")?, field("RssFile:")?))
}

fn show(rss: Option<(u64, u64, u64)>) -> String {
    match rss {
        Some((total, anon, file)) => format!(
            "{:.1} MiB (anon {:.1}, file {:.1})",
            total as f64 / 1024.0,
            anon as f64 / 1024.0,
            file as f64 / 1024.0
        ),
        None => "?".into(),
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A rest-json call of `service`.
fn rest(service: &'static str, method: &'static str, path: &str, body: &[u8]) -> Request {
    Request {
        service: Some(service),
        method,
        path: path.to_string(),
        content_type: "application/json",
        body: body.to_vec(),
        serial_at: None,
    }
}

/// Text between `open` and `close` in `text`.
fn between(text: &str, open: &str, close: &str) -> Option<String> {
    text.split(open)
        .nth(1)
        .and_then(|rest| rest.split(close).next())
        .map(str::to_string)
}

/// Sends `call` as the account's root user and insists on `want`; returns the body.
async fn setup_call(c: &mut Client, call: &Request, want: u16) -> Result<String, String> {
    let (status, body) = c.send(call, &Keys::new("test", "test")).await?;
    let text = String::from_utf8_lossy(&body).into_owned();
    if status != want {
        return Err(format!("{} {}: {status} {text}", call.method, call.path));
    }
    Ok(text)
}

/// What the clients share: the denied user's keys, the MediaConvert job role, the
/// MediaPackage v2 egress path.
struct Fixture {
    denied: (String, String),
    job_role: String,
    egress: String,
}

/// Creates the user `soak-denied` (no permissions, an access key), the role MediaConvert jobs
/// run as, and MediaPackage v2 group `soak` / channel `c` / endpoint `e` readable by anyone.
async fn fixture(addr: SocketAddr) -> Result<Fixture, String> {
    let mut c = Client::connect(addr).await?;
    let iam = |pairs: &[(&str, &str)]| {
        let mut all = pairs.to_vec();
        all.push(("Version", "2010-05-08"));
        form(&all)
    };
    let body = iam(&[("Action", "CreateUser"), ("UserName", "soak-denied")]);
    setup_call(&mut c, &Request::query("iam", &body), 200).await?;
    let body = iam(&[("Action", "CreateAccessKey"), ("UserName", "soak-denied")]);
    let text = setup_call(&mut c, &Request::query("iam", &body), 200).await?;
    let id = between(&text, "<AccessKeyId>", "</AccessKeyId>").ok_or("no AccessKeyId")?;
    let secret =
        between(&text, "<SecretAccessKey>", "</SecretAccessKey>").ok_or("no SecretAccessKey")?;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let body = iam(&[
        ("Action", "CreateRole"),
        ("RoleName", "soak-mediaconvert"),
        ("AssumeRolePolicyDocument", trust),
    ]);
    let text = setup_call(&mut c, &Request::query("iam", &body), 200).await?;
    let job_role = between(&text, "<Arn>", "</Arn>").ok_or("CreateRole: no Arn")?;
    let v2 =
        |method, path, body: &'static str| rest("mediapackagev2", method, path, body.as_bytes());
    setup_call(
        &mut c,
        &v2("POST", "/channelGroup", r#"{"ChannelGroupName":"soak"}"#),
        200,
    )
    .await?;
    setup_call(
        &mut c,
        &v2(
            "POST",
            "/channelGroup/soak/channel",
            r#"{"ChannelName":"c","InputType":"CMAF"}"#,
        ),
        200,
    )
    .await?;
    let text = setup_call(
        &mut c,
        &v2(
            "POST",
            "/channelGroup/soak/channel/c/originEndpoint",
            r#"{"OriginEndpointName":"e","ContainerType":"CMAF","HlsManifests":[{"ManifestName":"index"}]}"#,
        ),
        200,
    )
    .await?;
    let e: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let arn = e["Arn"].as_str().ok_or("CreateOriginEndpoint: no Arn")?;
    let url = e["HlsManifests"][0]["Url"]
        .as_str()
        .ok_or("no manifest Url")?;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"mediapackagev2:GetObject","Resource":"{arn}"}}]}}"#
    );
    let body = serde_json::json!({ "Policy": policy }).to_string();
    setup_call(
        &mut c,
        &rest(
            "mediapackagev2",
            "POST",
            "/channelGroup/soak/channel/c/originEndpoint/e/policy",
            body.as_bytes(),
        ),
        200,
    )
    .await?;
    let rest_of = url.split("://").nth(1).unwrap_or(url);
    let egress = rest_of[rest_of.find('/').unwrap_or(rest_of.len())..].to_string();
    Ok(Fixture {
        denied: (id, secret),
        job_role,
        egress,
    })
}

/// One client's loop: `count` requests, [`CYCLE`] slots per turn over every service.
async fn run_client(
    addr: SocketAddr,
    id: usize,
    count: u64,
    fixture: Arc<Fixture>,
    tally: Arc<Tally>,
) -> Result<(), String> {
    let mut c = Client::connect(addr).await?;
    let get_user = form(&[
        ("Action", "GetUser"),
        ("UserName", "soak-denied"),
        ("Version", "2010-05-08"),
    ]);
    // Every job of its own input file, as a real workload submits.
    let job = rest(
        "mediaconvert",
        "POST",
        "/2017-08-29/jobs",
        job_body(&fixture.job_role).as_bytes(),
    )
    .with_serial(JOB_SERIAL);
    let denied = Keys::new(&fixture.denied.0, &fixture.denied.1);
    let root = Keys::new("test", "test");
    // What this client created and has not deleted yet.
    let mut channel: Option<String> = None;
    let mut flow: Option<String> = None;
    let mut last_job: Option<String> = None;
    let mut created: u64 = 0;
    let report = |ok: bool, what: &str, status: u16, body: &[u8]| {
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
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap_or_default();
    for i in 0..count {
        let turn = i / CYCLE;
        let (what, want, (s, b)): (&str, u16, (u16, bytes::Bytes)) = match i % CYCLE {
            0 => {
                let body = format!(r#"{{"name":"soak-{id}-{turn}"}}"#);
                let r = c
                    .send(
                        &rest("ivs", "POST", "/CreateChannel", body.as_bytes()),
                        &root,
                    )
                    .await?;
                channel = json(&r.1)["channel"]["arn"].as_str().map(str::to_string);
                ("IVS CreateChannel", 200, r)
            }
            1 | 2 => {
                let Some(arn) = &channel else { continue };
                let body = format!(r#"{{"arn":"{arn}"}}"#);
                let r = c
                    .send(&rest("ivs", "POST", "/GetChannel", body.as_bytes()), &root)
                    .await?;
                ("IVS GetChannel", 200, r)
            }
            3 => {
                let r = c
                    .send(
                        &rest("ivs", "POST", "/ListChannels", br#"{"maxResults":50}"#),
                        &root,
                    )
                    .await?;
                ("IVS ListChannels", 200, r)
            }
            4 => {
                let Some(arn) = channel.take() else { continue };
                let body = format!(r#"{{"arn":"{arn}"}}"#);
                let r = c
                    .send(
                        &rest("ivs", "POST", "/DeleteChannel", body.as_bytes()),
                        &root,
                    )
                    .await?;
                ("IVS DeleteChannel", 204, r)
            }
            5 => {
                let r = c.send(&Request::query("iam", &get_user), &root).await?;
                ("IAM GetUser", 200, r)
            }
            6 => {
                let r = c.send(&Request::get_caller_identity(), &root).await?;
                ("STS GetCallerIdentity", 200, r)
            }
            7 => {
                let r = c
                    .send(&rest("ivs", "POST", "/ListChannels", b"{}"), &denied)
                    .await?;
                if r.0 == 403 {
                    tally.denied.fetch_add(1, Ordering::Relaxed);
                }
                ("IVS ListChannels (denied user)", 403, r)
            }
            8 => {
                let body = format!(
                    r#"{{"name":"soak-{id}-{turn}","source":{{"name":"src","protocol":"rtp","ingestPort":5000,"whitelistCidr":"10.0.0.0/16"}}}}"#
                );
                let r = c
                    .send(
                        &rest("mediaconnect", "POST", "/v1/flows", body.as_bytes()),
                        &root,
                    )
                    .await?;
                flow = json(&r.1)["flow"]["flowArn"].as_str().map(str::to_string);
                ("MediaConnect CreateFlow", 201, r)
            }
            9 => {
                let Some(arn) = &flow else { continue };
                let path = format!("/v1/flows/{}", encode(arn));
                let r = c
                    .send(&rest("mediaconnect", "GET", &path, b""), &root)
                    .await?;
                ("MediaConnect DescribeFlow", 200, r)
            }
            10 => {
                let r = c
                    .send(&rest("mediaconnect", "GET", "/v1/flows", b""), &root)
                    .await?;
                ("MediaConnect ListFlows", 200, r)
            }
            11 => {
                let Some(arn) = flow.take() else { continue };
                let path = format!("/v1/flows/{}", encode(&arn));
                let r = c
                    .send(&rest("mediaconnect", "DELETE", &path, b""), &root)
                    .await?;
                ("MediaConnect DeleteFlow", 202, r)
            }
            12 if last_job.is_none() || (i % JOB_EVERY == 12 && created < JOBS_PER_CLIENT) => {
                let r = c.send(&job, &root).await?;
                if let Some(job_id) = json(&r.1)["job"]["id"].as_str() {
                    last_job = Some(job_id.to_string());
                    created += 1;
                    tally.jobs.fetch_add(1, Ordering::Relaxed);
                }
                ("MediaConvert CreateJob", 201, r)
            }
            12 => {
                let Some(job_id) = &last_job else { continue };
                let path = format!("/2017-08-29/jobs/{job_id}");
                let r = c
                    .send(&rest("mediaconvert", "GET", &path, b""), &root)
                    .await?;
                ("MediaConvert GetJob", 200, r)
            }
            13 => {
                let r = c
                    .send(&rest("mediaconvert", "GET", "/2017-08-29/jobs", b""), &root)
                    .await?;
                ("MediaConvert ListJobs", 200, r)
            }
            14 => {
                let body = format!(
                    r#"{{"name":"soak-{id}-{turn}","settings":{{"containerSettings":{{"container":"MP4"}},"videoDescription":{{"codecSettings":{{"codec":"H_264"}}}}}}}}"#
                );
                let r = c
                    .send(
                        &rest(
                            "mediaconvert",
                            "POST",
                            "/2017-08-29/presets",
                            body.as_bytes(),
                        ),
                        &root,
                    )
                    .await?;
                ("MediaConvert CreatePreset", 201, r)
            }
            15 => {
                let path = format!("/2017-08-29/presets/soak-{id}-{turn}");
                let r = c
                    .send(&rest("mediaconvert", "GET", &path, b""), &root)
                    .await?;
                ("MediaConvert GetPreset", 200, r)
            }
            16 => {
                let path = format!("/2017-08-29/presets/soak-{id}-{turn}");
                let r = c
                    .send(&rest("mediaconvert", "DELETE", &path, b""), &root)
                    .await?;
                ("MediaConvert DeletePreset", 202, r)
            }
            17 => {
                let body = format!(r#"{{"id":"soak-{id}-{turn}"}}"#);
                let r = c
                    .send(
                        &rest("mediapackage", "POST", "/channels", body.as_bytes()),
                        &root,
                    )
                    .await?;
                ("MediaPackage CreateChannel", 200, r)
            }
            18 => {
                let path = format!("/channels/soak-{id}-{turn}");
                let r = c
                    .send(&rest("mediapackage", "GET", &path, b""), &root)
                    .await?;
                ("MediaPackage DescribeChannel", 200, r)
            }
            19 => {
                let path = format!("/channels/soak-{id}-{turn}");
                let r = c
                    .send(&rest("mediapackage", "DELETE", &path, b""), &root)
                    .await?;
                ("MediaPackage DeleteChannel", 202, r)
            }
            20 => {
                let r = c
                    .send(
                        &rest("mediapackagev2", "GET", "/channelGroup/soak", b""),
                        &root,
                    )
                    .await?;
                ("MediaPackage v2 GetChannelGroup", 200, r)
            }
            21 => {
                let r = c
                    .send(
                        &rest(
                            "mediapackagev2",
                            "GET",
                            "/channelGroup/soak/channel/c/",
                            b"",
                        ),
                        &root,
                    )
                    .await?;
                ("MediaPackage v2 GetChannel", 200, r)
            }
            22 => {
                let r = c
                    .send(
                        &rest(
                            "mediapackagev2",
                            "GET",
                            "/channelGroup/soak/channel/c/originEndpoint/e",
                            b"",
                        ),
                        &root,
                    )
                    .await?;
                ("MediaPackage v2 GetOriginEndpoint", 200, r)
            }
            _ => {
                let r = c.get(&fixture.egress).await?;
                ("MediaPackage v2 egress GET (anonymous)", 200, r)
            }
        };
        report(s == want, what, s, &b);
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
    let fixture = match fixture(addr).await {
        Ok(f) => Arc::new(f),
        Err(e) => {
            eprintln!("setup failed: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let rss_start = rss_kib(pid);
    println!(
        "soak: {total} requests, {clients} clients, server pid {pid}, RSS at start {}",
        show(rss_start)
    );
    let mut tasks = Vec::new();
    for id in 0..clients {
        let share = total / clients + u64::from(id < total % clients);
        tasks.push(tokio::spawn(run_client(
            addr,
            id as usize,
            share,
            fixture.clone(),
            tally.clone(),
        )));
    }
    let samples = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sampler = {
        let (tally, samples) = (tally.clone(), samples.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                let done = tally.done.load(Ordering::Relaxed);
                let rss = rss_kib(pid);
                println!(
                    "  t={:>4.0}s done={done:>8} jobs={:>6} rss={}",
                    started.elapsed().as_secs_f64(),
                    tally.jobs.load(Ordering::Relaxed),
                    show(rss)
                );
                if let (Some(r), Ok(mut s)) = (rss, samples.lock()) {
                    s.push((done, r));
                }
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
    let middle = samples
        .lock()
        .ok()
        .and_then(|s| s.iter().find(|(d, _)| *d >= done / 2).map(|(_, r)| *r));
    println!(
        "soak done: {done} requests in {:.1} s = {:.0} req/s; denied as expected {}; MediaConvert jobs created {}; unexpected errors {unexpected}",
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        tally.denied.load(Ordering::Relaxed),
        tally.jobs.load(Ordering::Relaxed),
    );
    println!(
        "soak RSS: start {}, middle {}, end {}",
        show(rss_start),
        show(middle),
        show(rss_kib(pid))
    );
    if failed || unexpected > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
