//! The `mediamock` binary.

use clap::Parser;

/// mimalloc keeps allocation fast with many live resources: under glibc's malloc a page of
/// ListChannels in a 100 000-channel account spent most of its time in heap consolidation.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediamock: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
