//! The `mediamock` binary.

use clap::Parser;

/// mimalloc keeps allocation fast with many live resources: under glibc's malloc a page of
/// ListChannels in a 100 000-channel account spent most of its time in heap consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option number for the purge delay (`mi_option_purge_delay` in mimalloc.h, v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps an idle server small: mimalloc's default holds freed memory for a second (ten for
/// arenas), so a server that had just parsed a model kept tens of MiB resident. Freed memory
/// goes back after 50 ms (500 ms in arenas); `MIMALLOC_PURGE_DELAY` still wins. (Huge pages
/// are off at build time: mimalloc's `no_thp` feature.)
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a process-wide option before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
}

fn main() -> std::process::ExitCode {
    tune_allocator();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(serve()),
        Err(e) => {
            eprintln!("mediamock: cannot start the runtime: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn serve() -> std::process::ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediamock: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
