use parking_lot::Mutex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How asynchronous lifecycles (STARTING → ACTIVE, …) advance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transitions {
    /// Realistic but quick: a transition takes its (short) delay in wall time.
    Fast,
    /// Every transition is already done when it is first observed.
    Instant,
    /// Transitions wait for `POST /_mediamock/clock/advance`.
    Manual,
}

thread_local! {
    /// The time of the request this thread is serving, while [`at_request_time`] runs.
    static REQUEST_TIME: Cell<Option<f64>> = const { Cell::new(None) };
}

/// Wall-clock time, seconds since the epoch (for what has no [`Clock`] at hand): the time of
/// the request this thread is serving, if any (see [`at_request_time`]), else the system's.
pub fn wall_now() -> f64 {
    REQUEST_TIME
        .with(Cell::get)
        .unwrap_or_else(|| epoch_seconds(SystemTime::now()))
}

/// `time` in seconds since the epoch.
fn epoch_seconds(time: SystemTime) -> f64 {
    time.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
}

/// Runs `f` with [`wall_now`] (and so every [`Clock`]) reading `time` on this thread, as the
/// time of the request being served: its steps then see one time, as AWS stamps what a
/// request does with the time it was received, and a job's submission reads the system clock
/// once instead of a dozen times. `f` cannot await, so no other request runs in between.
pub fn at_request_time<R>(time: SystemTime, f: impl FnOnce() -> R) -> R {
    /// Puts back the time that was set before, also when `f` panics.
    struct Restore(Option<f64>);
    impl Drop for Restore {
        fn drop(&mut self) {
            REQUEST_TIME.with(|t| t.set(self.0));
        }
    }
    let _restore = Restore(REQUEST_TIME.with(|t| t.replace(Some(epoch_seconds(time)))));
    f()
}

/// The one clock behind every lifecycle transition.
#[derive(Debug)]
pub struct Clock {
    mode: Transitions,
    /// Manual mode's lifecycle time, seconds.
    manual: Mutex<f64>,
}

impl Clock {
    /// A clock in the given mode.
    pub fn new(mode: Transitions) -> Self {
        Clock {
            mode,
            manual: Mutex::new(0.0),
        }
    }

    /// The mode it runs in.
    pub fn mode(&self) -> Transitions {
        self.mode
    }

    /// Wall-clock time, seconds since the epoch.
    pub fn now(&self) -> f64 {
        wall_now()
    }

    /// The lifecycle time a transition starting now records.
    pub fn lifecycle_now(&self) -> f64 {
        match self.mode {
            Transitions::Manual => *self.manual.lock(),
            _ => self.now(),
        }
    }

    /// Whether a transition that started at lifecycle time `started` and takes `delay` is done.
    pub fn due(&self, started: f64, delay: Duration) -> bool {
        self.settled_through() >= started + delay.as_secs_f64()
    }

    /// The lifecycle time up to which every transition has happened: now, or forever in
    /// instant mode (read once for many `due` questions).
    pub fn settled_through(&self) -> f64 {
        match self.mode {
            Transitions::Instant => f64::INFINITY,
            _ => self.lifecycle_now(),
        }
    }

    /// Sets manual lifecycle time to `seconds`, as a restart finds it stored.
    pub fn restore_lifecycle(&self, seconds: f64) {
        *self.manual.lock() = seconds;
    }

    /// Advances manual lifecycle time (no effect in other modes); returns the new time.
    pub fn advance(&self, by: Duration) -> f64 {
        let mut t = self.manual.lock();
        *t += by.as_secs_f64();
        *t
    }
}

/// Generates identifiers, reproducibly when seeded.
#[derive(Debug)]
pub struct IdGen {
    rng: Mutex<ChaCha20Rng>,
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

impl IdGen {
    /// A generator seeded with `seed`, or from the OS when `None`.
    pub fn new(seed: Option<u64>) -> Self {
        let rng = match seed {
            Some(s) => ChaCha20Rng::seed_from_u64(s),
            None => ChaCha20Rng::from_entropy(),
        };
        IdGen {
            rng: Mutex::new(rng),
        }
    }

    fn pick(&self, alphabet: &[u8], len: usize) -> String {
        let mut out = String::with_capacity(len);
        let mut rng = self.rng.lock();
        for _ in 0..len {
            out.push(char::from(alphabet[rng.gen_range(0..alphabet.len())]));
        }
        out
    }

    /// `len` characters of `[A-Za-z0-9]`.
    pub fn alnum(&self, len: usize) -> String {
        self.pick(ALNUM, len)
    }

    /// `len` characters of `[A-Z0-9]` (IAM unique IDs, access key IDs).
    pub fn upper_alnum(&self, len: usize) -> String {
        self.pick(UPPER_ALNUM, len)
    }

    /// `len` lowercase hex digits.
    pub fn hex(&self, len: usize) -> String {
        self.pick(b"0123456789abcdef", len)
    }

    /// A fresh 32-byte key from the OS, never from the seed (keys must not be reproducible).
    pub fn random_key() -> [u8; 32] {
        let mut key = [0u8; 32];
        let rng = IdGen::new(None);
        key.copy_from_slice(&rng.bytes(32));
        key
    }

    /// Random bytes.
    pub fn bytes(&self, len: usize) -> Vec<u8> {
        let mut rng = self.rng.lock();
        (0..len).map(|_| rng.gen()).collect()
    }

    /// A version-4 UUID string.
    pub fn uuid(&self) -> String {
        let mut b = self.bytes(16);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

/// What every service shares: the lifecycle clock, the ID generator and the key that
/// makes pagination tokens tamper-evident.
#[derive(Debug)]
pub struct Runtime {
    /// The lifecycle clock.
    pub clock: Clock,
    /// The ID generator.
    pub ids: IdGen,
    /// Key for pagination-token MACs; stable across restarts on the same data dir.
    pub token_key: [u8; 32],
    /// Resource quotas set by configuration, `service → quota name → value`; a quota not
    /// named here has AWS's default.
    pub quotas: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    /// Whether AWS's documented request rates apply (`--throttle aws`); off by default.
    pub throttle: bool,
    /// Request rates set by configuration, `service → operation → per second`.
    pub rates: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
}

impl Runtime {
    /// A runtime with the given transition mode, seed and token key.
    pub fn new(transitions: Transitions, seed: Option<u64>, token_key: [u8; 32]) -> Self {
        Runtime {
            clock: Clock::new(transitions),
            ids: IdGen::new(seed),
            token_key,
            quotas: Default::default(),
            throttle: false,
            rates: Default::default(),
        }
    }

    /// The configured value of `service`'s quota `name`, if configuration sets one.
    pub fn quota_override(&self, service: &str, name: &str) -> Option<u64> {
        self.quotas.get(service)?.get(name).copied()
    }

    /// A deterministic runtime for tests.
    pub fn for_tests() -> Self {
        Runtime::new(Transitions::Instant, Some(7), [7; 32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_sees_its_own_time_and_then_the_clock_again() {
        let clock = Clock::new(Transitions::Fast);
        let then = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let (inside, nested) = at_request_time(then, || {
            let nested = at_request_time(UNIX_EPOCH, || clock.now());
            (clock.now(), nested)
        });
        assert_eq!((inside, nested), (1_000_000_000.0, 0.0));
        assert!(clock.now() > 1_700_000_000.0, "the system's clock again");
        let panicked = std::panic::catch_unwind(|| at_request_time(then, || panic!("handler")));
        assert!(panicked.is_err());
        assert!(wall_now() > 1_700_000_000.0, "put back after a panic too");
    }

    #[test]
    fn same_seed_same_ids() {
        let a = IdGen::new(Some(42));
        let b = IdGen::new(Some(42));
        assert_eq!(a.alnum(12), b.alnum(12));
        assert_eq!(a.uuid(), b.uuid());
        assert_ne!(IdGen::new(Some(1)).alnum(12), IdGen::new(Some(2)).alnum(12));
    }

    #[test]
    fn manual_clock_waits_for_advance() {
        let c = Clock::new(Transitions::Manual);
        let t0 = c.lifecycle_now();
        assert!(!c.due(t0, Duration::from_secs(1)));
        c.advance(Duration::from_secs(2));
        assert!(c.due(t0, Duration::from_secs(1)));
        assert!(Clock::new(Transitions::Instant).due(1e12, Duration::from_secs(60)));
    }

    #[test]
    fn random_keys_differ() {
        assert_ne!(IdGen::random_key(), IdGen::random_key());
    }

    #[test]
    fn uuid_is_version_4() {
        let u = IdGen::new(Some(3)).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }
}
