//! `make bench`'s load harness. Starts the release `mediamock` binary, the bare hyper ceiling
//! (`bench-ceiling`) and, if installed, moto's server, each its own process on a loopback
//! port; sets up an IAM user with an attached policy and the resources read; then drives each
//! kind of request at each server over 1 and 64 keep-alive connections, every request signed
//! anew, and prints req/s, p50/p99 and the ratios to the ceiling and to moto. Each kind is also
//! measured against a second ceiling answering as many body bytes as mediamock does to it. `--compare BIN`
//! adds other mediamock binaries (an older build) for IVS GetChannel side by side.
//!
//! Usage: mediamock-bench [--mediamock BIN] [--ceiling BIN] [--moto BIN] [--compare BIN]...
//!                        [--seconds S] [--channels N] [--connections A,B] [--only TEXT]
//!                        [--rounds R]
//!
//! mediamock and the two ceilings take turns: each kind's `--seconds` are split into
//! `--rounds` rounds (3 by default) in which each server runs once, so a change in the load
//! of a shared host weighs on all three alike instead of on whichever ran during it.

mod load;
mod targets;

use bench::client::{self, Keys};
use bench::workload::{self, Kind, Resources};
use load::Stats;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The command line.
struct Args {
    mediamock: PathBuf,
    ceiling: PathBuf,
    moto: Option<PathBuf>,
    compare: Vec<PathBuf>,
    seconds: f64,
    channels: usize,
    connections: Vec<usize>,
    only: Option<String>,
    rounds: usize,
}

fn parse_args() -> Result<Args, String> {
    let here = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = here.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut args = Args {
        mediamock: dir.join("mediamock"),
        ceiling: dir.join("bench-ceiling"),
        moto: Some(PathBuf::from("target/bench-py/bin/moto_server")),
        compare: Vec::new(),
        seconds: 3.0,
        channels: 10_000,
        connections: vec![1, 64],
        only: None,
        rounds: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--mediamock" => args.mediamock = value()?.into(),
            "--ceiling" => args.ceiling = value()?.into(),
            "--moto" => args.moto = Some(value()?.into()),
            "--no-moto" => args.moto = None,
            "--compare" => args.compare.push(value()?.into()),
            "--seconds" => args.seconds = value()?.parse().map_err(|_| "--seconds: a number")?,
            "--channels" => args.channels = value()?.parse().map_err(|_| "--channels: a count")?,
            "--only" => args.only = Some(value()?.to_lowercase()),
            "--rounds" => {
                args.rounds = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--rounds: a count of at least 1")?
            }
            "--connections" => {
                args.connections = value()?
                    .split(',')
                    .map(|c| c.parse().map_err(|_| "--connections: counts like 1,64"))
                    .collect::<Result<_, _>>()?
            }
            other => {
                return Err(format!(
                    "unknown argument {other} (see the source's header)"
                ))
            }
        }
    }
    Ok(args)
}

/// The built-in root identity of a fresh mediamock (and any key for moto's bootstrap calls).
fn root() -> Keys {
    Keys {
        id: "test".into(),
        secret: "test".into(),
    }
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn row(target: &str, conns: usize, s: &Stats) {
    let errors = if s.errors > 0 {
        format!(
            "  ({} errors, first: {})",
            s.errors,
            s.first_error
                .as_deref()
                .unwrap_or("?")
                .replace('\n', " ")
                .chars()
                .take(400)
                .collect::<String>()
        )
    } else {
        String::new()
    };
    println!(
        "  {target:<22} {conns:>3} conn  {:>9.0} req/s  p50 {:>7.0} µs  p99 {:>7.0} µs{errors}",
        s.rps,
        us(s.p50),
        us(s.p99)
    );
}

/// Sets up mediamock's user and every resource measured.
async fn setup_mediamock(
    addr: std::net::SocketAddr,
    channels: usize,
) -> Result<(Keys, Resources), String> {
    let keys = workload::user(addr, &root()).await?;
    let job_role = workload::job_role(addr, &root()).await?;
    let channel = workload::channels(addr, &keys, channels).await?;
    let flow = workload::flow(addr, &keys).await?;
    let egress = workload::origin_endpoint(addr, &keys).await?;
    Ok((
        keys,
        Resources {
            channel: Some(channel),
            flow: Some(flow),
            job_role: Some(job_role),
            egress: Some(egress),
        },
    ))
}

/// Sets up moto's user (its first calls are unauthenticated) and the resources it can hold.
async fn setup_moto(
    addr: std::net::SocketAddr,
    channels: usize,
) -> Result<(Keys, Resources), String> {
    let keys = workload::user(addr, &root()).await?;
    let channel = workload::channels(addr, &keys, channels).await?;
    let flow = workload::flow(addr, &keys).await?;
    Ok((
        keys,
        Resources {
            channel: Some(channel),
            flow: Some(flow),
            ..Resources::default()
        },
    ))
}

/// Median time from spawning `bin` to its first answered request, over `n` starts.
async fn startup(bin: &Path, n: usize) -> Result<Duration, String> {
    let mut times = Vec::new();
    for _ in 0..n {
        times.push(targets::mediamock(bin, None).await?.startup);
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// One kind at one connection count: mediamock, both ceilings and moto if it has the kind.
struct Measured {
    kind: Kind,
    conns: usize,
    /// Bytes of body in mediamock's answer (what the same-size ceiling answers).
    answer: usize,
    mediamock: Stats,
    ceiling: Stats,
    same_size: Stats,
    moto: Option<Stats>,
}

/// The body length of mediamock's answer to `req` (one request sent ahead of the run).
async fn answer_size(
    addr: std::net::SocketAddr,
    req: &client::Request,
    keys: &Keys,
) -> Result<usize, String> {
    let mut c = client::Client::connect(addr).await?;
    let (status, body) = c.send(req, keys).await?;
    if !(200..300).contains(&status) {
        return Err(format!(
            "probe answered {status}: {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(body.len())
}

fn ratio(a: f64, b: f64) -> String {
    if b > 0.0 {
        format!("{:.2}", a / b)
    } else {
        "-".into()
    }
}

async fn run(args: Args) -> Result<(), String> {
    let measure = Duration::from_secs_f64(args.seconds);
    let warmup = Duration::from_millis(500);
    let config = std::env::temp_dir().join(format!("mediamock-bench-{}.toml", std::process::id()));
    std::fs::write(
        &config,
        format!("[quotas.ivs]\nChannels = {}\n", args.channels + 10),
    )
    .map_err(|e| e.to_string())?;

    println!("== mediamock load benchmark ==");
    println!(
        "{} s per measurement in {} rounds, each after {} ms warm-up, mediamock and the ceilings taking turns; every request signed anew by IAM user `bench` (attached policy evaluated); {} IVS channels present",
        args.seconds,
        args.rounds,
        warmup.as_millis(),
        args.channels
    );
    let mm = targets::mediamock(&args.mediamock, Some(&config)).await?;
    let _ = std::fs::remove_file(&config);
    let (mm_keys, mm_res) = setup_mediamock(mm.addr, args.channels).await?;
    let ceiling = targets::ceiling(&args.ceiling, None).await?;
    let moto = match &args.moto {
        Some(bin) if bin.exists() => match targets::moto(bin, workload::BOOTSTRAP_CALLS).await {
            Ok(t) => match setup_moto(t.addr, args.channels).await {
                Ok((keys, res)) => Some((t, keys, res)),
                Err(e) => {
                    println!("moto: setup failed, left out: {e}");
                    None
                }
            },
            Err(e) => {
                println!("moto: did not start, left out: {e}");
                None
            }
        },
        Some(bin) => {
            println!("moto: {} not installed, left out", bin.display());
            None
        }
        None => None,
    };

    let mut summary = Vec::new();
    for kind in Kind::ALL {
        let wanted = args
            .only
            .as_ref()
            .is_none_or(|o| kind.label().to_lowercase().contains(o));
        let Some(req) = workload::request(kind, &mm_res).filter(|_| wanted) else {
            continue;
        };
        println!("\n{}", kind.label());
        let req = Arc::new(req);
        let mm_keys = Arc::new(mm_keys.clone());
        // The second ceiling answers as many bytes as mediamock does to this very request, so
        // its ratio counts only the server's work, not the response size.
        let answer = answer_size(mm.addr, &req, &mm_keys).await?;
        let same_size = targets::ceiling(&args.ceiling, Some(answer)).await?;
        println!("  mediamock answers {answer} bytes of body; second ceiling answers as many");
        for &conns in &args.connections {
            // The same requests, connections and timing against each server in turn, round
            // after round.
            let turn = measure / args.rounds as u32;
            let mut collected: [load::Collected; 3] = Default::default();
            for _ in 0..args.rounds {
                for (addr, into) in [mm.addr, ceiling.addr, same_size.addr]
                    .into_iter()
                    .zip(collected.iter_mut())
                {
                    load::collect(
                        addr,
                        req.clone(),
                        mm_keys.clone(),
                        conns,
                        warmup,
                        turn,
                        into,
                    )
                    .await?;
                }
            }
            let [m, c, sized] = collected.map(load::Collected::stats);
            row("mediamock", conns, &m);
            row("ceiling (small body)", conns, &c);
            row("ceiling (same size)", conns, &sized);
            let mut o = None;
            if let Some((t, keys, res)) = &moto {
                if Kind::MOTO.contains(&kind) {
                    if let Some(mreq) = workload::request(kind, res) {
                        let s = load::run(
                            t.addr,
                            Arc::new(mreq),
                            Arc::new(keys.clone()),
                            conns,
                            warmup,
                            measure,
                        )
                        .await?;
                        row("moto", conns, &s);
                        o = Some(s);
                    }
                }
            }
            println!(
                "  ratios at {conns} conn: mediamock/ceiling req/s {} (same-size body {}), p99 {} (same-size {}); mediamock/moto req/s {}",
                ratio(m.rps, c.rps),
                ratio(m.rps, sized.rps),
                ratio(us(m.p99), us(c.p99)),
                ratio(us(m.p99), us(sized.p99)),
                o.as_ref().map(|o| ratio(m.rps, o.rps)).unwrap_or_else(|| "- (not in moto)".into())
            );
            summary.push(Measured {
                kind,
                conns,
                answer,
                mediamock: m,
                ceiling: c,
                same_size: sized,
                moto: o,
            });
        }
    }
    drop(moto);
    drop(ceiling);
    drop(mm);

    println!("\n== summary (markdown) ==");
    println!("| request | conn | req/s | p50 µs | p99 µs | ÷ ceiling (small body) req/s | ÷ ceiling (same-size body) req/s | p99 × ceiling (small) | p99 × ceiling (same-size) | ÷ moto req/s |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for s in &summary {
        let m = &s.mediamock;
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} |",
            s.kind.label(),
            s.conns,
            m.rps,
            us(m.p50),
            us(m.p99),
            ratio(m.rps, s.ceiling.rps),
            ratio(m.rps, s.same_size.rps),
            ratio(us(m.p99), us(s.ceiling.p99)),
            ratio(us(m.p99), us(s.same_size.p99)),
            s.moto
                .as_ref()
                .map(|o| ratio(m.rps, o.rps))
                .unwrap_or_else(|| "-".into())
        );
    }
    println!("| ceilings (bare hyper) | | | | | | | | | |");
    let ceiling_row = |s: &Measured, which: String, c: &Stats| {
        println!(
            "|   {} via ceiling, {which} | {} | {:.0} | {:.0} | {:.0} | | | | | |",
            s.kind.label(),
            s.conns,
            c.rps,
            us(c.p50),
            us(c.p99)
        )
    };
    for s in summary.iter().filter(|s| s.kind == Kind::GetChannel) {
        ceiling_row(s, "small body".into(), &s.ceiling);
    }
    for s in &summary {
        ceiling_row(s, format!("same-size body ({} B)", s.answer), &s.same_size);
    }
    for s in &summary {
        if let Some(o) = &s.moto {
            println!(
                "|   {} via moto | {} | {:.0} | {:.0} | {:.0} | | | | | |",
                s.kind.label(),
                s.conns,
                o.rps,
                us(o.p50),
                us(o.p99)
            );
        }
    }

    println!("\n== startup to the first served request (median of 5 starts) ==");
    println!(
        "  {}: {:.1} ms",
        args.mediamock.display(),
        startup(&args.mediamock, 5).await?.as_secs_f64() * 1e3
    );
    for bin in &args.compare {
        println!(
            "  {}: {:.1} ms",
            bin.display(),
            startup(bin, 5).await?.as_secs_f64() * 1e3
        );
    }

    if !args.compare.is_empty() {
        println!("\n== IVS GetChannel side by side (fresh server each, one channel, same user policy) ==");
        for bin in std::iter::once(&args.mediamock).chain(&args.compare) {
            let t = targets::mediamock(bin, None).await?;
            let keys = workload::user(t.addr, &root()).await?;
            let channel = workload::channels(t.addr, &keys, 1).await?;
            let res = Resources {
                channel: Some(channel),
                ..Resources::default()
            };
            let req = Arc::new(workload::request(Kind::GetChannel, &res).ok_or("no request")?);
            println!("{}", bin.display());
            for &conns in &args.connections {
                let s = load::run(
                    t.addr,
                    req.clone(),
                    Arc::new(keys.clone()),
                    conns,
                    warmup,
                    measure,
                )
                .await?;
                row("GetChannel", conns, &s);
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let result = match parse_args() {
        Ok(args) => run(args).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediamock-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
