use crate::config::{Config, IamMode};
use crate::metrics::Metrics;
use crate::persistence::Persistence;
use crate::registration;
use service::{Runtime, Service};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// STS accepts a request signed up to 15 minutes from its clock, where other services take 5:
/// its refusals say "(… - 15 min.)" (AWS's answers as users quote them: aws/aws-cli#6676 for
/// GetCallerIdentity, devsecops/bootcamp#101 for AssumeRole).
const STS_CLOCK_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The data directory's store of the server's own state (not a service's): the manual
/// lifecycle clock.
const RUNTIME_STORE: &str = "runtime";
/// Its record of the manual clock's time.
const CLOCK_TABLE: &str = "clock";
/// The clock record's key.
const CLOCK_KEY: &str = "lifecycle";

/// The record of the manual lifecycle clock at `seconds`.
fn clock_record(seconds: f64) -> service::Record {
    service::Record {
        account: String::new(),
        table: CLOCK_TABLE.to_string(),
        key: CLOCK_KEY.to_string(),
        value: Some(serde_json::json!({ "seconds": seconds })),
    }
}

/// The ID seed of a start from a data directory: the configured seed for a new directory (so
/// a seeded run is reproducible from scratch), another one derived from it for each later
/// start, so IDs drawn after a restart never repeat the ones already stored (the same seed
/// drew them: a second channel took the first's ARN and replaced it).
fn seed_for_start(seed: u64, loaded: &crate::persistence::Loaded) -> u64 {
    // A directory from before starts were counted has been started at least once if it holds
    // anything.
    let starts = if loaded.starts == 0 && !loaded.records.is_empty() {
        1
    } else {
        loaded.starts
    };
    seed ^ starts.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Everything a request may touch, shared by all connections.
pub struct App {
    /// The configuration the server started with.
    pub config: Config,
    /// Every embedded API model, compiled: the process-wide registry, so a service that
    /// renders list items through its model (IVS) shares the compiled model with routing.
    pub registry: &'static protocol::Registry,
    /// Clock, ID generator and token key shared by all services.
    pub runtime: Arc<Runtime>,
    /// Identities, credentials and the authorize stage.
    pub iam: Arc<iam::Iam>,
    /// Services by signing name.
    pub services: HashMap<&'static str, Arc<dyn Service>>,
    /// SigV4 verification with its signing-key cache.
    pub verifier: sigv4::Verifier,
    /// Prometheus counters.
    pub metrics: Metrics,
    /// The durable store, with `--data-dir`.
    pub persistence: Option<Persistence>,
    /// When the server started.
    pub started: Instant,
    /// Orders snapshots after acknowledged writes: a request holds it shared from changing
    /// state until the change is durable; reset and import hold it exclusively from their
    /// change through the compaction, so no acknowledged write falls between a snapshot and
    /// the log it replaces.
    pub commit_gate: tokio::sync::RwLock<()>,
    /// The server's admin identity (server-wide admin endpoints).
    pub admin: AdminIdentity,
}

/// Who may use the server-wide admin endpoints: the identity of one long-term access key,
/// resolved to its account at startup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminIdentity {
    /// The access key ID it signs with.
    pub access_key_id: String,
    /// The account that key belonged to at startup.
    pub account: String,
}

impl AdminIdentity {
    /// Whether `p` signed with the admin key (not a session derived from it).
    pub fn is(&self, p: &service::Principal) -> bool {
        p.session.is_none() && p.access_key_id == self.access_key_id && p.account == self.account
    }
}

impl App {
    /// Builds the app: opens the data directory (restoring what it holds), registers the
    /// services and loads the bootstrap file.
    pub async fn new(config: Config) -> Result<Arc<App>, String> {
        let (persistence, loaded) = match &config.data_dir {
            Some(dir) => {
                let (p, loaded) = Persistence::open(dir)?;
                (Some(p), Some(loaded))
            }
            None => (None, None),
        };
        let token_key = match &loaded {
            Some(l) => l.token_key,
            None => service::IdGen::random_key(),
        };
        let seed = match (&loaded, config.seed) {
            (Some(l), Some(seed)) => Some(seed_for_start(seed, l)),
            (_, seed) => seed,
        };
        let mut runtime = Runtime::new(config.transitions, seed, token_key);
        runtime.quotas = config.quotas.clone();
        runtime.throttle = config.throttle;
        runtime.rates = config.rates.clone();
        crate::quotas::check_names(&runtime)?;
        crate::quotas::check_rate_names(&runtime)?;
        let runtime = Arc::new(runtime);
        let mode = match config.iam_mode {
            IamMode::Enforce => iam::Mode::Enforce,
            IamMode::Audit => iam::Mode::Audit,
        };
        let iam = iam::Iam::new(runtime.clone(), mode);
        let mut services: HashMap<&'static str, Arc<dyn Service>> = HashMap::new();
        for s in registration::services(&runtime, &iam) {
            services.insert(s.signing_name(), s);
        }
        let app = App {
            verifier: sigv4::Verifier::new(config.clock_skew)
                .with_service_window("sts", config.clock_skew.max(STS_CLOCK_WINDOW)),
            registry: protocol::Registry::shared(),
            metrics: Metrics::default(),
            started: Instant::now(),
            config,
            runtime,
            iam,
            services,
            persistence,
            commit_gate: tokio::sync::RwLock::new(()),
            admin: AdminIdentity {
                access_key_id: String::new(),
                account: String::new(),
            },
        };
        let mut app = app;
        if let Some(loaded) = loaded {
            for (store, record) in &loaded.records {
                if store == RUNTIME_STORE {
                    app.restore_runtime(record);
                } else if let Some(s) = app.store(store) {
                    s.restore(record)
                        .map_err(|e| format!("cannot restore a {store} record: {e}"))?;
                }
            }
            if let Some(p) = &app.persistence {
                p.compact(app.snapshot(None)).await?;
            }
        }
        if let Some(path) = &app.config.bootstrap {
            app.iam.load_bootstrap(path)?;
        }
        let key = &app.config.admin_access_key;
        let owner = app.iam.lookup_key(key).ok_or_else(|| {
            format!(
                "the admin access key {key} is no identity's key: declare it in the bootstrap \
                 file or pick another with --admin-access-key"
            )
        })?;
        app.admin = AdminIdentity {
            access_key_id: key.clone(),
            account: owner.principal.account.clone(),
        };
        let app = Arc::new(app);
        // Models and authorization plans compile lazily, each on its service's first request:
        // no background warm-up, so an idle server keeps only what its clients have used.
        Ok(app)
    }

    /// The service that keeps the records of `store`.
    pub fn store(&self, store: &str) -> Option<&Arc<dyn Service>> {
        self.stores()
            .into_iter()
            .find(|(name, _)| *name == store)
            .map(|(_, s)| s)
    }

    /// Makes the records `service` journaled for one request durable (with `--data-dir`);
    /// the request is answered only after this returns.
    pub async fn persist(
        &self,
        service: &dyn Service,
        journal: &service::Journal,
    ) -> Result<(), String> {
        let records = journal.take();
        let Some(p) = self.persistence.as_ref().filter(|_| !records.is_empty()) else {
            return Ok(());
        };
        let store = service.store_name().to_string();
        p.commit(
            records
                .into_iter()
                .map(|(seq, r)| (seq, store.clone(), r))
                .collect(),
        )
        .await
    }

    /// Makes the manual lifecycle clock's time durable (with `--data-dir`), so a restart
    /// finds running jobs where they were, not at time zero.
    pub async fn persist_clock(&self, seconds: f64) -> Result<(), String> {
        let Some(p) = &self.persistence else {
            return Ok(());
        };
        // A journal numbers the record in the process's one sequence.
        let journal = service::Journal::default();
        let record = clock_record(seconds);
        let value = record.value.unwrap_or_default();
        journal.put(&record.account, &record.table, &record.key, value);
        let records = journal.take().into_iter();
        p.commit(
            records
                .map(|(seq, r)| (seq, RUNTIME_STORE.to_string(), r))
                .collect(),
        )
        .await
    }

    /// Re-applies a record of the server's own state (the manual clock).
    fn restore_runtime(&self, record: &service::Record) {
        let seconds = record.value.as_ref().and_then(|v| v["seconds"].as_f64());
        if let (CLOCK_TABLE, Some(seconds)) = (record.table.as_str(), seconds) {
            self.runtime.clock.restore_lifecycle(seconds);
        }
    }

    /// Distinct stores, each with the service that owns it, in a stable order.
    pub fn stores(&self) -> Vec<(&'static str, &Arc<dyn Service>)> {
        let mut out: Vec<(&'static str, &Arc<dyn Service>)> = Vec::new();
        let mut names: Vec<&&'static str> = self.services.keys().collect();
        names.sort();
        // IAM first: other services' records may name its principals.
        names.sort_by_key(|n| **n != "iam");
        for n in names {
            let s = &self.services[*n];
            if !out.iter().any(|(name, _)| *name == s.store_name()) {
                out.push((s.store_name(), s));
            }
        }
        out
    }

    /// Every durable record, optionally of one account only, by store.
    pub fn snapshot(&self, account: Option<&str>) -> Vec<(String, service::Record)> {
        let mut out = Vec::new();
        if account.is_none() && self.runtime.clock.mode() == service::Transitions::Manual {
            let record = clock_record(self.runtime.clock.lifecycle_now());
            out.push((RUNTIME_STORE.to_string(), record));
        }
        for (name, s) in self.stores() {
            for r in s.records() {
                if account.is_none_or(|a| a == r.account) {
                    out.push((name.to_string(), r));
                }
            }
        }
        out
    }
}
