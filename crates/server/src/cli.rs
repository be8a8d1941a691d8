//! The command line: `mediamock serve …`, every flag also an environment variable and a key
//! of the `--config` file (command line and environment win over the file).

use crate::config::{Config, IamMode};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Deserialize;
use service::Transitions;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What `mediamock --help` tells a user first: what this is.
const ABOUT: &str = "Run AWS media services locally: IVS, MediaConnect, MediaConvert and \
MediaPackage (v1 and v2), with IAM and STS. Point the AWS CLI or any AWS SDK at it; every \
request is SigV4-checked and authorized by IAM policies as AWS would.";

/// The quick start printed after the flags of `mediamock --help`.
const QUICK_START: &str = "\
Quick start:
  mediamock serve                      # listen on http://127.0.0.1:4566 (in memory)
  export AWS_ENDPOINT_URL=http://127.0.0.1:4566
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-west-2
  aws sts get-caller-identity          # arn:aws:iam::000000000000:root
  aws ivs create-channel --name demo

The credentials test/test are the root of account 000000000000. Create IAM users, roles and
policies with the IAM API (or `serve --bootstrap FILE`) to test least privilege.
`mediamock serve --help` lists every flag (port, --data-dir, --transitions, ...).";

/// The command line of the `mediamock` binary.
#[derive(Debug, Parser)]
#[command(name = "mediamock", version, about = ABOUT, after_help = QUICK_START)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

impl Cli {
    /// Parses a command line whose first item is the program name (for embedding and tests).
    pub fn try_from_args<I, T>(args: I) -> Result<Cli, String>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Cli::try_parse_from(args).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (the default command).
    Serve(ServeArgs),
}

/// Lifecycle speed, as the CLI spells it.
#[derive(Debug, Clone, Copy, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TransitionsArg {
    /// Transitions take seconds of wall time: 1-3 s a step (a flow starts in 3 s), a
    /// MediaConvert job 10 s from submission to COMPLETE.
    Fast,
    /// Transitions are complete as soon as they are observed.
    Instant,
    /// Transitions wait for POST /_mediamock/clock/advance.
    Manual,
}

/// Request rates, as the CLI spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ThrottleArg {
    /// No request rates (deterministic; the default).
    Off,
    /// AWS's documented per-operation rates, answered with the service's ThrottlingException.
    Aws,
}

/// Flags of `mediamock serve`.
#[derive(Debug, Default, clap::Args, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ServeArgs {
    /// TOML file with any of these settings (keys as the long flag names).
    #[arg(long, env = "MEDIAMOCK_CONFIG")]
    #[serde(skip)]
    config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1].
    #[arg(long, env = "MEDIAMOCK_HOST")]
    host: Option<IpAddr>,
    /// Port to listen on; 0 picks a free port [default: 4566].
    #[arg(long, env = "MEDIAMOCK_PORT")]
    port: Option<u16>,
    /// `enforce` denies what AWS would deny; `audit` logs would-be denials and allows [default: enforce].
    #[arg(long, env = "MEDIAMOCK_IAM", value_enum)]
    iam: Option<IamMode>,
    /// Keep state durably in this directory (every acknowledged change survives kill -9); in memory when unset.
    #[arg(long, env = "MEDIAMOCK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// TOML or JSON file declaring accounts, users, keys, groups, roles and policies to create at startup.
    #[arg(long, env = "MEDIAMOCK_BOOTSTRAP")]
    bootstrap: Option<PathBuf>,
    /// How lifecycles (STARTING → ACTIVE, …) advance: fast, instant or manual [default: fast].
    #[arg(long, env = "MEDIAMOCK_TRANSITIONS", value_enum)]
    transitions: Option<TransitionsArg>,
    /// Seed that makes generated IDs, stream keys and credentials reproducible.
    #[arg(long, env = "MEDIAMOCK_SEED")]
    seed: Option<u64>,
    /// Allowed clock skew of signed requests, in seconds [default: 300].
    #[arg(long, env = "MEDIAMOCK_CLOCK_SKEW_SECONDS")]
    clock_skew_seconds: Option<u64>,
    /// Largest request body accepted, in bytes; larger ones get 413 [default: 8388608].
    #[arg(long, env = "MEDIAMOCK_MAX_BODY_BYTES")]
    max_body_bytes: Option<usize>,
    /// Most connections served at once; a further client takes the slot of the connection
    /// idle the longest, or gets a 503 with Retry-After when none is idle [default: 1024].
    #[arg(long, env = "MEDIAMOCK_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Seconds a client may take to send its request headers (slow clients are cut off) [default: 10].
    #[arg(long, env = "MEDIAMOCK_HEADER_TIMEOUT_SECONDS")]
    header_timeout_seconds: Option<u64>,
    /// Seconds an idle keep-alive connection stays open [default: 60].
    #[arg(long, env = "MEDIAMOCK_IDLE_TIMEOUT_SECONDS")]
    idle_timeout_seconds: Option<u64>,
    /// Take aws:SourceIp from X-Forwarded-For instead of the peer address: the entry the
    /// trusted proxy appended (only behind a trusted proxy) [default: false].
    #[arg(long, env = "MEDIAMOCK_TRUST_FORWARDED_FOR", num_args = 0..=1, default_missing_value = "true")]
    trust_forwarded_for: Option<bool>,
    /// With --trust-forwarded-for: how many trusted proxies append to X-Forwarded-For; the
    /// source is that many entries from the right [default: 1].
    #[arg(long, env = "MEDIAMOCK_TRUSTED_PROXY_HOPS")]
    trusted_proxy_hops: Option<usize>,
    /// The value of aws:SecureTransport in policy evaluation: true as on AWS, whose API
    /// endpoints take only TLS; false evaluates requests as the plain HTTP they arrive over
    /// [default: true].
    #[arg(long, env = "MEDIAMOCK_SECURE_TRANSPORT", num_args = 0..=1, default_missing_value = "true")]
    secure_transport: Option<bool>,
    /// Access key ID of the server's admin identity, needed for server-wide admin endpoints
    /// (reset of every account, the manual lifecycle clock); it must belong to an identity,
    /// e.g. a root key declared in the bootstrap file [default: test, the built-in root].
    #[arg(long, env = "MEDIAMOCK_ADMIN_ACCESS_KEY")]
    admin_access_key: Option<String>,
    /// Log filter in tracing's syntax [default: info].
    #[arg(long, env = "MEDIAMOCK_LOG")]
    log: Option<String>,
    /// Resource quotas other than AWS's defaults; config file only: `[quotas.ivs]`
    /// `Channels = 2` (see the README for the names).
    #[arg(skip)]
    quotas: Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>>,
    /// `aws` applies AWS's documented per-operation request rates (ThrottlingException beyond
    /// them), `off` none [default: off].
    #[arg(long, env = "MEDIAMOCK_THROTTLE", value_enum)]
    throttle: Option<ThrottleArg>,
    /// Request rates other than AWS's; config file only: `[rates.ivs]` `CreateChannel = 1`.
    #[arg(skip)]
    rates: Option<std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>>,
}

impl ServeArgs {
    /// Fills what the command line left unset from the config file.
    fn merge(self, file: ServeArgs) -> ServeArgs {
        ServeArgs {
            config: self.config,
            host: self.host.or(file.host),
            port: self.port.or(file.port),
            iam: self.iam.or(file.iam),
            data_dir: self.data_dir.or(file.data_dir),
            bootstrap: self.bootstrap.or(file.bootstrap),
            transitions: self.transitions.or(file.transitions),
            seed: self.seed.or(file.seed),
            clock_skew_seconds: self.clock_skew_seconds.or(file.clock_skew_seconds),
            max_body_bytes: self.max_body_bytes.or(file.max_body_bytes),
            max_connections: self.max_connections.or(file.max_connections),
            header_timeout_seconds: self.header_timeout_seconds.or(file.header_timeout_seconds),
            idle_timeout_seconds: self.idle_timeout_seconds.or(file.idle_timeout_seconds),
            trust_forwarded_for: self.trust_forwarded_for.or(file.trust_forwarded_for),
            trusted_proxy_hops: self.trusted_proxy_hops.or(file.trusted_proxy_hops),
            secure_transport: self.secure_transport.or(file.secure_transport),
            admin_access_key: self.admin_access_key.or(file.admin_access_key),
            log: self.log.or(file.log),
            quotas: self.quotas.or(file.quotas),
            throttle: self.throttle.or(file.throttle),
            rates: self.rates.or(file.rates),
        }
    }

    fn into_config(self) -> Config {
        let d = Config::default();
        Config {
            host: self.host.unwrap_or(d.host),
            port: self.port.unwrap_or(d.port),
            iam_mode: self.iam.unwrap_or(d.iam_mode),
            data_dir: self.data_dir,
            bootstrap: self.bootstrap,
            transitions: match self.transitions {
                None | Some(TransitionsArg::Fast) => Transitions::Fast,
                Some(TransitionsArg::Instant) => Transitions::Instant,
                Some(TransitionsArg::Manual) => Transitions::Manual,
            },
            seed: self.seed,
            clock_skew: self
                .clock_skew_seconds
                .map(Duration::from_secs)
                .unwrap_or(d.clock_skew),
            max_body_bytes: self.max_body_bytes.unwrap_or(d.max_body_bytes),
            max_connections: self.max_connections.unwrap_or(d.max_connections).max(1),
            header_read_timeout: self
                .header_timeout_seconds
                .map(Duration::from_secs)
                .unwrap_or(d.header_read_timeout),
            idle_timeout: self
                .idle_timeout_seconds
                .map(Duration::from_secs)
                .unwrap_or(d.idle_timeout),
            trust_forwarded_for: self.trust_forwarded_for.unwrap_or(d.trust_forwarded_for),
            trusted_proxy_hops: self
                .trusted_proxy_hops
                .unwrap_or(d.trusted_proxy_hops)
                .max(1),
            secure_transport: self.secure_transport.unwrap_or(d.secure_transport),
            admin_access_key: self
                .admin_access_key
                .clone()
                .unwrap_or(d.admin_access_key.clone()),
            quotas: self.quotas.clone().unwrap_or_default(),
            throttle: self.throttle == Some(ThrottleArg::Aws),
            rates: self.rates.clone().unwrap_or_default(),
            ..d
        }
    }
}

fn read_config_file(path: &Path) -> Result<ServeArgs, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
}

/// Runs the command the user asked for; returns after a graceful shutdown.
pub async fn run(cli: Cli) -> Result<(), String> {
    let Command::Serve(args) = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let args = match &args.config {
        Some(path) => {
            let file = read_config_file(path)?;
            args.merge(file)
        }
        None => args,
    };
    let filter = args.log.clone().unwrap_or_else(|| "info".to_string());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_target(false)
        .try_init();
    let config = args.into_config();
    let server = crate::start(config).await?;
    tracing::info!(address = %server.addr(), "mediamock listening");
    wait_for_shutdown_signal().await;
    tracing::info!("shutting down: finishing in-flight requests");
    server.shutdown().await;
    Ok(())
}

async fn wait_for_shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins_over_file() {
        let cli = Cli::try_parse_from(["mediamock", "serve", "--port", "1234"]).unwrap();
        let Some(Command::Serve(args)) = cli.command else {
            panic!("serve expected")
        };
        let file: ServeArgs = toml::from_str("port = 9\nseed = 5\niam = \"audit\"").unwrap();
        let config = args.merge(file).into_config();
        assert_eq!(config.port, 1234);
        assert_eq!(config.seed, Some(5));
        assert_eq!(config.iam_mode, IamMode::Audit);
    }

    #[test]
    fn trust_forwarded_for_is_off_unless_asked() {
        let parse = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).unwrap();
            let Some(Command::Serve(args)) = cli.command else {
                panic!("serve expected")
            };
            args.into_config().trust_forwarded_for
        };
        assert!(!parse(&["mediamock", "serve"]));
        assert!(parse(&["mediamock", "serve", "--trust-forwarded-for"]));
        assert!(!parse(&[
            "mediamock",
            "serve",
            "--trust-forwarded-for=false"
        ]));
        let file: ServeArgs = toml::from_str("trust-forwarded-for = true").unwrap();
        assert!(file.into_config().trust_forwarded_for);
    }

    #[test]
    fn secure_transport_is_as_on_aws_unless_turned_off() {
        let parse = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).unwrap();
            let Some(Command::Serve(args)) = cli.command else {
                panic!("serve expected")
            };
            args.into_config().secure_transport
        };
        assert!(parse(&["mediamock", "serve"]));
        assert!(!parse(&["mediamock", "serve", "--secure-transport=false"]));
        assert!(parse(&["mediamock", "serve", "--secure-transport"]));
        let file: ServeArgs = toml::from_str("secure-transport = false").unwrap();
        assert!(!file.into_config().secure_transport);
    }

    #[test]
    fn the_admin_key_and_proxy_hops_come_from_flags_or_file() {
        let cli =
            Cli::try_parse_from(["mediamock", "serve", "--admin-access-key", "AKIDADMIN"]).unwrap();
        let Some(Command::Serve(args)) = cli.command else {
            panic!("serve expected")
        };
        let file: ServeArgs =
            toml::from_str("admin-access-key = \"other\"\ntrusted-proxy-hops = 2").unwrap();
        let config = args.merge(file).into_config();
        assert_eq!(config.admin_access_key, "AKIDADMIN");
        assert_eq!(config.trusted_proxy_hops, 2);
        let defaults = ServeArgs::default().into_config();
        assert_eq!(defaults.admin_access_key, "test");
        assert_eq!(defaults.trusted_proxy_hops, 1);
    }

    #[test]
    fn quotas_come_from_the_config_file() {
        let file: ServeArgs =
            toml::from_str("[quotas.ivs]\nChannels = 2\n[quotas.iam]\nUsersPerAccount = 3")
                .unwrap();
        let config = ServeArgs::default().merge(file).into_config();
        assert_eq!(config.quotas["ivs"]["Channels"], 2);
        assert_eq!(config.quotas["iam"]["UsersPerAccount"], 3);
        assert!(ServeArgs::default().into_config().quotas.is_empty());
    }

    #[test]
    fn throttle_is_off_unless_asked() {
        assert!(!ServeArgs::default().into_config().throttle);
        let cli = Cli::try_parse_from(["mediamock", "serve", "--throttle", "aws"]).unwrap();
        let Some(Command::Serve(args)) = cli.command else {
            panic!("serve expected")
        };
        assert!(args.into_config().throttle);
        let file: ServeArgs =
            toml::from_str("throttle = \"aws\"\n[rates.ivs]\nCreateChannel = 1.5").unwrap();
        let config = ServeArgs::default().merge(file).into_config();
        assert!(config.throttle);
        assert_eq!(config.rates["ivs"]["CreateChannel"], 1.5);
    }

    #[test]
    fn help_says_what_mediamock_is_and_how_to_start() {
        let help = Cli::try_parse_from(["mediamock", "--help"])
            .unwrap_err()
            .to_string();
        assert!(help.starts_with("Run AWS media services locally"), "{help}");
        for needed in [
            "mediamock serve",
            "AWS_ENDPOINT_URL",
            "test/test",
            "serve --help",
        ] {
            assert!(help.contains(needed), "{needed} missing from:\n{help}");
        }
    }

    #[test]
    fn unknown_config_keys_are_refused() {
        assert!(toml::from_str::<ServeArgs>("prot = 9").is_err());
    }
}
