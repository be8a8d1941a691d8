//! Issue 5's performance bar: a page of ListChannels (and a GetChannel) costs about the same
//! with 100 000 channels in the account as with 100. Both account sizes are measured side by
//! side in one run, through `Service::handle`, and the ratios are printed at the end.

use criterion::{black_box, criterion_group, Criterion};

/// The allocator the server uses: glibc's malloc slows down badly with 100 000 live
/// resources, and the measurement should be of the service, not of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ivs::Ivs;
use serde_json::{json, Value};
use service::{Principal, RequestContext, Runtime, Service};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The account sizes compared.
const SMALL: usize = 100;
const LARGE: usize = 100_000;

fn ctx() -> RequestContext {
    RequestContext::new(
        "bench",
        Arc::new(Principal::root("000000000000", "bench")),
        "us-west-2",
    )
}

/// A service holding `n` channels, and the ARN of one in the middle.
fn account_with(n: usize) -> (Arc<Ivs>, String) {
    let mut runtime = Runtime::new(service::Transitions::Instant, Some(7), [7; 32]);
    // AWS's channel quota (5 000) is raised so the account can hold them all.
    runtime
        .quotas
        .entry("ivs".into())
        .or_default()
        .insert("Channels".into(), n as u64);
    let ivs = Ivs::new(Arc::new(runtime));
    let ctx = ctx();
    let mut middle = String::new();
    for i in 0..n {
        let out = ivs
            .handle(&ctx, "CreateChannel", json!({"name": format!("ch-{i}")}))
            .expect("CreateChannel");
        if i == n / 2 {
            middle = out["channel"]["arn"]
                .as_str()
                .unwrap_or_default()
                .to_string();
        }
    }
    (ivs, middle)
}

fn list_page(ivs: &Ivs, ctx: &RequestContext) -> Value {
    ivs.handle(ctx, "ListChannels", json!({"maxResults": 100}))
        .expect("ListChannels")
}

fn get(ivs: &Ivs, ctx: &RequestContext, arn: &str) -> Value {
    ivs.handle(ctx, "GetChannel", json!({"arn": arn}))
        .expect("GetChannel")
}

/// The median time of `f` over `rounds` rounds of `batch` calls.
fn median_per_call(rounds: usize, batch: usize, mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed() / batch as u32
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn bench(c: &mut Criterion) {
    let ctx = ctx();
    let (small, small_arn) = account_with(SMALL);
    let (large, large_arn) = account_with(LARGE);
    assert_eq!(
        list_page(&large, &ctx)["channels"].as_array().map(Vec::len),
        Some(100)
    );

    let mut group = c.benchmark_group("ivs");
    group.bench_function("ListChannels page/100 channels", |b| {
        b.iter(|| black_box(list_page(&small, &ctx)))
    });
    group.bench_function("ListChannels page/100000 channels", |b| {
        b.iter(|| black_box(list_page(&large, &ctx)))
    });
    group.bench_function("GetChannel/100 channels", |b| {
        b.iter(|| black_box(get(&small, &ctx, &small_arn)))
    });
    group.bench_function("GetChannel/100000 channels", |b| {
        b.iter(|| black_box(get(&large, &ctx, &large_arn)))
    });
    group.finish();

    // Interleaved rounds so both sizes see the same machine load.
    let (mut list_small, mut list_large, mut get_small, mut get_large) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..15 {
        list_small.push(median_per_call(3, 200, || {
            black_box(list_page(&small, &ctx));
        }));
        list_large.push(median_per_call(3, 200, || {
            black_box(list_page(&large, &ctx));
        }));
        get_small.push(median_per_call(3, 5000, || {
            black_box(get(&small, &ctx, &small_arn));
        }));
        get_large.push(median_per_call(3, 5000, || {
            black_box(get(&large, &ctx, &large_arn));
        }));
    }
    let med = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (ls, ll, gs, gl) = (
        med(&mut list_small),
        med(&mut list_large),
        med(&mut get_small),
        med(&mut get_large),
    );
    println!("\n== ivs account-size ratios (same run, interleaved medians) ==");
    println!(
        "ListChannels page of 100: {SMALL} channels {:.1} µs, {LARGE} channels {:.1} µs, ratio {:.2}x (issue 5 bar: < 2x)",
        ls.as_secs_f64() * 1e6,
        ll.as_secs_f64() * 1e6,
        ll.as_secs_f64() / ls.as_secs_f64()
    );
    println!(
        "GetChannel: {SMALL} channels {:.2} µs, {LARGE} channels {:.2} µs, ratio {:.2}x",
        gs.as_secs_f64() * 1e6,
        gl.as_secs_f64() * 1e6,
        gl.as_secs_f64() / gs.as_secs_f64()
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
