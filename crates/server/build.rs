//! Release link options for `mediamock` that keep its resident memory small (x86_64 Linux,
//! where rustc links with LLD by default; elsewhere nothing changes):
//!
//! - The functions startup and every service's first request run are placed side by side
//!   (`layout/warm-functions.txt`, written by `scripts/text-layout.sh`). The kernel maps a
//!   binary's code in 64 KiB runs around each page it faults in, so ~2 MiB of code scattered
//!   over 12 MiB of text kept ~7 MiB of it resident. Names the list no longer finds are
//!   skipped: a stale list costs memory, never a failed build.
//! - Relative relocations are packed (`DT_RELR`, glibc 2.36 and later): the loader reads a few
//!   KiB at startup instead of ~400 KiB of `.rela.dyn`, which then stayed resident.
//!
//! `MEDIAMOCK_PLAIN_LINK=1` links without either.

use std::process::Command;

fn main() {
    let list = "layout/warm-functions.txt";
    println!("cargo:rerun-if-changed={list}");
    println!("cargo:rerun-if-env-changed=MEDIAMOCK_PLAIN_LINK");
    let lld_by_default = std::env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if !(lld_by_default && release) || std::env::var_os("MEDIAMOCK_PLAIN_LINK").is_some() {
        return;
    }
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let arg = |a: &str| println!("cargo:rustc-link-arg-bin=mediamock={a}");
    arg(&format!("-Wl,--symbol-ordering-file={dir}/{list}"));
    arg("-Wl,--no-warn-symbol-ordering");
    if glibc_at_least(2, 36) {
        arg("-Wl,-z,pack-relative-relocs");
    }
}

/// Whether this machine's glibc (which the binary will load) is `major.minor` or newer.
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = Command::new("getconf").arg("GNU_LIBC_VERSION").output() else {
        return false;
    };
    // "glibc 2.36"
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text.trim().trim_start_matches("glibc ").split('.');
    let (Some(Ok(a)), Some(Ok(b))) = (
        version.next().map(str::parse::<u32>),
        version.next().map(|v| v.parse::<u32>()),
    ) else {
        return false;
    };
    (a, b) >= (major, minor)
}
