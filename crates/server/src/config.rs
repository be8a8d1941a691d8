use service::Transitions;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Whether authorization denials are enforced or only logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IamMode {
    /// Deny what AWS would deny.
    Enforce,
    /// Evaluate and log would-be denials, but allow.
    Audit,
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Enforce or audit IAM decisions.
    pub iam_mode: IamMode,
    /// Directory for durable state; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Bootstrap file of identities to create at startup.
    pub bootstrap: Option<PathBuf>,
    /// How lifecycles advance.
    pub transitions: Transitions,
    /// Seed for reproducible IDs.
    pub seed: Option<u64>,
    /// Allowed clock skew of signed requests.
    pub clock_skew: Duration,
    /// Largest request body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// Largest total header size accepted.
    pub max_header_bytes: usize,
    /// Most connections served at once.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers.
    pub header_read_timeout: Duration,
    /// How long an idle keep-alive connection stays open.
    pub idle_timeout: Duration,
    /// How many recent authorization decisions are kept.
    pub decisions_kept: usize,
    /// Take `aws:SourceIp` from `X-Forwarded-For` (as the trusted proxies appended it)
    /// instead of the peer (only behind proxies you trust).
    pub trust_forwarded_for: bool,
    /// How many proxies in front of the server append to `X-Forwarded-For`: the source is
    /// the address that many entries from the right (the one the outermost trusted proxy saw).
    pub trusted_proxy_hops: usize,
    /// The value of `aws:SecureTransport` that policies see. AWS's API endpoints take only
    /// TLS, so every request AWS authorizes has it `true`, and policies written for AWS (a
    /// deny unless `aws:SecureTransport` is `true`) expect that; `false` evaluates requests as
    /// the plain HTTP mediamock serves them over.
    pub secure_transport: bool,
    /// The access key ID of the server's admin identity (reset of all accounts, the manual
    /// lifecycle clock); it must belong to an identity once the bootstrap file is loaded.
    pub admin_access_key: String,
    /// Resource quotas other than AWS's defaults, `service → quota name → value`
    /// (`[quotas.ivs] Channels = 2`).
    pub quotas: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    /// Apply AWS's documented request rates (`--throttle aws`); off by default.
    pub throttle: bool,
    /// Request rates other than AWS's, `service → operation → per second`
    /// (`[rates.ivs] CreateChannel = 1`); only with `throttle`.
    pub rates: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 4566,
            iam_mode: IamMode::Enforce,
            data_dir: None,
            bootstrap: None,
            transitions: Transitions::Fast,
            seed: None,
            clock_skew: Duration::from_secs(300),
            max_body_bytes: 8 * 1024 * 1024,
            max_header_bytes: 64 * 1024,
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            decisions_kept: 1000,
            trust_forwarded_for: false,
            trusted_proxy_hops: 1,
            secure_transport: true,
            admin_access_key: "test".to_string(),
            quotas: Default::default(),
            throttle: false,
            rates: Default::default(),
        }
    }
}

impl Config {
    /// A configuration for tests: ephemeral port, in memory, instant lifecycles, fixed seed.
    pub fn for_tests() -> Self {
        Config {
            port: 0,
            transitions: Transitions::Instant,
            seed: Some(1),
            ..Config::default()
        }
    }
}
