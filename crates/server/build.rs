//! Links the `mediamock` executable at a fixed address (non-PIE) on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at every start: it
//! reads the whole relocation table (0.6 MB for this binary) and writes the pointer tables
//! the relocations patch (0.5 MB), which then stay resident as private memory of every
//! mediamock process. At a fixed address the linker resolves them once and neither is
//! touched. The cost is that the executable's own image is not placed at a random address
//! (its libraries, heap and stacks still are) — an acceptable trade for a local emulator.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bin=mediamock=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
