//! Memory benchmark (`make bench`): runs the optimized `mediamock` binary as a child process and
//! prints its resident memory (RSS) idle, after the first request to each service, and per
//! resource with many resources present — in memory and with `--data-dir` (journal bytes per
//! resource). `MEMORY_BENCH_IVS` / `MEMORY_BENCH_OTHERS` change the counts (100 000 / 10 000);
//! `MEMORY_BENCH_IDLE_ONLY` stops after the idle figures, `MEMORY_BENCH_BIN` runs another
//! binary than this build's (a saved baseline), `MEMORY_BENCH_SMAPS=FILE` saves the
//! server's /proc/PID/smaps there once every service has had its first request.

use bench::client::{Client, Keys, Request};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Concurrent connections used to create resources.
const WRITERS: usize = 8;

/// The child's resident set size in KiB: `Rss` of /proc/PID/smaps_rollup, which sums the
/// page tables (VmRSS of /proc/PID/status may lag behind on some kernels), else VmRSS.
fn rss_kib(pid: u32) -> u64 {
    let field = |file: &str, name: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/{file}"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .and_then(|v| v.split_whitespace().next())
                    .and_then(|v| v.parse().ok())
            })
    };
    field("smaps_rollup", "Rss:")
        .or_else(|| field("status", "VmRSS:"))
        .unwrap_or(0)
}

/// Total bytes of the files under `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The child's resident memory split as /proc/PID/status reports it: anonymous (heap, stacks)
/// and file-backed (the binary's touched pages, its embedded data included).
fn split(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    format!(
        "anon {}, file {}, {} threads",
        mib(field("RssAnon:")),
        mib(field("RssFile:")),
        field("Threads:")
    )
}

/// A running server.
struct Server {
    child: Child,
    addr: SocketAddr,
    data_dir: Option<PathBuf>,
    _config: PathBuf,
}

impl Server {
    async fn start(data_dir: Option<PathBuf>, ivs_channels: usize) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        // The IVS channel quota (5 000 by default), MediaConnect's flows (20) and MediaPackage
        // v2's channels per group (10) are raised so the bench can fill an account.
        let others = count("MEMORY_BENCH_OTHERS", 10_000) + 1;
        let config = std::env::temp_dir().join(format!("mediamock-memory-{port}.toml"));
        std::fs::write(
            &config,
            format!(
                "[quotas.ivs]\nChannels = {}\n[quotas.mediaconnect]\nFlows = {others}\n\
                 [quotas.mediapackagev2]\nChannelsPerChannelGroup = {others}\n",
                ivs_channels + 1
            ),
        )
        .expect("write config");
        // `MEMORY_BENCH_BIN` measures another build (e.g. a saved baseline) with the same client.
        let bin = std::env::var_os("MEMORY_BENCH_BIN")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_mediamock").into());
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--port", &port.to_string(), "--log", "warn"])
            .arg("--config")
            .arg(&config)
            .stdout(Stdio::null());
        if let Some(dir) = &data_dir {
            cmd.arg("--data-dir").arg(dir);
        }
        let child = cmd.spawn().expect("start mediamock");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut c) = Client::connect(addr).await {
                if let Ok((200, _)) = c.get("/_mediamock/health").await {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "mediamock did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server {
            child,
            addr,
            data_dir,
            _config: config,
        }
    }

    fn rss(&self) -> u64 {
        rss_kib(self.child.id())
    }

    /// Stops the server with SIGTERM (a clean shutdown: the log is compacted) and returns the
    /// data directory's size then.
    fn stop_gracefully(&mut self) -> u64 {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.disk()
    }

    fn split(&self) -> String {
        split(self.child.id())
    }

    fn disk(&self) -> u64 {
        self.data_dir.as_deref().map(dir_bytes).unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self._config);
        if let Some(dir) = &self.data_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A signed restJson GET.
fn get(service: &'static str, path: &str) -> Request {
    Request::json(service, "GET", path, "")
}

/// A signed restJson POST of `body`.
fn post(service: &'static str, path: &str, body: &str) -> Request {
    Request::json(service, "POST", path, body)
}

/// The root user's keys, which every request here is signed with.
fn root() -> Keys {
    Keys::new("test", "test")
}

/// The first request to each service, as the root user; prints the RSS after each.
async fn first_requests(server: &Server) {
    let addr = server.addr;
    let mut c = Client::connect(addr).await.expect("connect");
    let calls: Vec<(&str, Request)> = vec![
        ("IVS ListChannels", post("ivs", "/ListChannels", "{}")),
        ("MediaConnect ListFlows", get("mediaconnect", "/v1/flows")),
        (
            "MediaConvert ListQueues",
            get("mediaconvert", "/2017-08-29/queues"),
        ),
        (
            "MediaPackage ListChannels",
            get("mediapackage", "/channels"),
        ),
        (
            "MediaPackage v2 ListChannelGroups",
            get("mediapackagev2", "/channelGroup"),
        ),
        (
            "IAM ListUsers",
            Request::query("iam", "Action=ListUsers&Version=2010-05-08"),
        ),
        ("STS GetCallerIdentity", Request::get_caller_identity()),
        (
            "IAM GetPolicy of an AWS managed policy",
            Request::query(
                "iam",
                "Action=GetPolicy&PolicyArn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FIVSFullAccess&Version=2010-05-08",
            ),
        ),
    ];
    for (name, call) in calls {
        let (status, _) = c.send(&call, &root()).await.expect("request");
        tokio::time::sleep(Duration::from_millis(100)).await;
        println!(
            "memory: after the first {name} ({status}): RSS {} ({})",
            mib(server.rss()),
            server.split()
        );
    }
}

/// Creates `count` resources over [`WRITERS`] connections; `make(i)` gives the i-th request
/// as (service, path, body). Panics on any answer other than 200/201.
async fn create_many(
    addr: SocketAddr,
    from: usize,
    count: usize,
    make: fn(usize) -> (&'static str, String, String),
) {
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(addr).await.expect("connect");
            let mut i = from + w;
            while i < from + count {
                let (service, path, body) = make(i);
                let call = post(service, &path, &body);
                let (status, body) = c.send(&call, &root()).await.expect("request");
                assert!(
                    status == 200 || status == 201,
                    "create #{i}: {status} {}",
                    String::from_utf8_lossy(&body)
                );
                i += WRITERS;
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
}

fn ivs_channel(i: usize) -> (&'static str, String, String) {
    (
        "ivs",
        "/CreateChannel".into(),
        format!(r#"{{"name":"bench-{i}"}}"#),
    )
}

fn mediaconnect_flow(i: usize) -> (&'static str, String, String) {
    (
        "mediaconnect",
        "/v1/flows".into(),
        format!(
            r#"{{"name":"bench-{i}","source":{{"name":"src","protocol":"rtp","ingestPort":5000,"whitelistCidr":"10.0.0.0/16"}}}}"#
        ),
    )
}

fn mediapackagev2_channel(i: usize) -> (&'static str, String, String) {
    (
        "mediapackagev2",
        "/channelGroup/bench/channel".into(),
        format!(r#"{{"ChannelName":"bench-{i}"}}"#),
    )
}

/// Resident and on-disk bytes per resource for one kind, `count` of them, in a fresh server.
async fn per_resource(
    label: &str,
    count: usize,
    ivs_quota: usize,
    setup: Option<(&'static str, &'static str, &'static str)>,
    make: fn(usize) -> (&'static str, String, String),
    durable: bool,
) {
    let dir = durable.then(|| {
        std::env::temp_dir().join(format!("mediamock-memory-{}-{label}", std::process::id()))
    });
    let server = Server::start(dir, ivs_quota).await;
    let mut c = Client::connect(server.addr).await.expect("connect");
    if let Some((service, path, body)) = setup {
        let (status, body) = c
            .send(&post(service, path, body), &root())
            .await
            .expect("setup");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }
    // One resource first, so the model, the plan and the code paths are loaded in the baseline.
    create_many(server.addr, 0, 1, make).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (rss0, disk0) = (server.rss(), server.disk());
    let started = Instant::now();
    create_many(server.addr, 1, count, make).await;
    let secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rss1, disk1) = (server.rss(), server.disk());
    let resident = (rss1.saturating_sub(rss0) * 1024) as f64 / count as f64;
    if durable {
        let disk = disk1.saturating_sub(disk0) as f64 / count as f64;
        let mut server = server;
        let closed = server.stop_gracefully();
        println!(
            "{label} x {count} (--data-dir, {secs:.1} s): RSS {} -> {}, {resident:.0} B resident and {disk:.0} B on disk per resource (data dir {:.1} MiB; {:.0} B per resource after a clean shutdown)",
            mib(rss0),
            mib(rss1),
            disk1 as f64 / 1048576.0,
            closed as f64 / count as f64
        );
    } else {
        println!(
            "{label} x {count} (in memory, {secs:.1} s): RSS {} -> {}, {resident:.0} B resident per resource",
            mib(rss0),
            mib(rss1)
        );
    }
}

/// Prints how many of the warm-function list's names the measured binary defines. The list
/// spells symbols as the `make run` build does: a build with other features (this bench's
/// own, which `cargo bench` makes with the dev-dependencies' features) hashes generic
/// instances differently, and code changes move hashes and suffixes too. Below 90 % the
/// figures above are not the layout's: measure the `make run` build (`make bench` does), or
/// run `make text-layout` and rebuild.
fn warm_list_coverage() {
    let list = concat!(env!("CARGO_MANIFEST_DIR"), "/layout/warm-functions.txt");
    let bin = std::env::var_os("MEMORY_BENCH_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_mediamock").into());
    let (Ok(listed), Ok(out)) = (
        std::fs::read_to_string(list),
        Command::new("nm").arg("--defined-only").arg(&bin).output(),
    ) else {
        return;
    };
    let defined: std::collections::HashSet<&str> = std::str::from_utf8(&out.stdout)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    if defined.is_empty() {
        return; // not a binary nm reads (a wrapper script)
    }
    let names: Vec<&str> = listed.lines().filter(|l| !l.is_empty()).collect();
    let found = names.iter().filter(|n| defined.contains(*n)).count();
    let stale = found * 10 < names.len() * 9;
    println!(
        "memory: warm-function list: {found} of {} names in the binary{}",
        names.len(),
        if stale {
            " (not this layout's binary: see warm_list_coverage)"
        } else {
            ""
        }
    );
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument filters (ignored here).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let ivs = count("MEMORY_BENCH_IVS", 100_000);
        let others = count("MEMORY_BENCH_OTHERS", 10_000);

        let server = Server::start(None, ivs).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        println!(
            "memory: idle after startup: RSS {} ({})",
            mib(server.rss()),
            server.split()
        );
        first_requests(&server).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        println!(
            "memory: idle after the first request to every service: RSS {} ({})",
            mib(server.rss()),
            server.split()
        );
        warm_list_coverage();
        if let Ok(path) = std::env::var("MEMORY_BENCH_SMAPS") {
            // For finding what is resident: the child's mappings, copied before it stops.
            let _ = std::fs::copy(format!("/proc/{}/smaps", server.child.id()), path);
        }
        drop(server);
        if std::env::var_os("MEMORY_BENCH_IDLE_ONLY").is_some() {
            return;
        }

        let group = Some((
            "mediapackagev2",
            "/channelGroup",
            r#"{"ChannelGroupName":"bench"}"#,
        ));
        for durable in [false, true] {
            per_resource("IVS channel", ivs, ivs, None, ivs_channel, durable).await;
            per_resource(
                "MediaConnect flow",
                others,
                1,
                None,
                mediaconnect_flow,
                durable,
            )
            .await;
            per_resource(
                "MediaPackage v2 channel",
                others,
                1,
                group,
                mediapackagev2_channel,
                durable,
            )
            .await;
        }
    });
}
