//! What `make bench`'s harness shares with the server crate's benchmarks and soak test: the
//! SigV4-signing client and the requests measured.

pub mod client;
pub mod workload;
