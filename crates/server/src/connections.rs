//! The connections being served, so that a server at `--max-connections` can close the
//! connection idle the longest for a newcomer, as it would at the idle timeout, instead of
//! refusing the newcomer while keep-alive connections sit unused in clients' pools.

use crate::deadlines::Deadlines;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

/// One open connection.
struct Open {
    deadlines: Arc<Deadlines>,
    evict: Notify,
}

/// Every open connection by a serial number.
#[derive(Default)]
pub struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Open>>>,
}

/// A connection's entry, removed when dropped.
pub struct Registered {
    id: u64,
    entry: Arc<Open>,
    all: Arc<Connections>,
}

impl Connections {
    /// Registers a connection whose phases `deadlines` tracks.
    pub fn register(self: &Arc<Self>, deadlines: Arc<Deadlines>) -> Registered {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let entry = Arc::new(Open {
            deadlines,
            evict: Notify::new(),
        });
        self.open.lock().insert(id, entry.clone());
        Registered {
            id,
            entry,
            all: self.clone(),
        }
    }

    /// Asks the connection idle the longest between requests to close; whether there was one.
    pub fn evict_idlest(&self) -> bool {
        let open = self.open.lock();
        let idlest = open
            .values()
            .filter_map(|c| c.deadlines.idle_since().map(|since| (since, c)))
            .min_by_key(|(since, _)| *since);
        match idlest {
            Some((_, c)) => {
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

impl Registered {
    /// Resolves when this connection was asked to close while it is idle between requests.
    pub async fn evicted(&self) {
        loop {
            self.entry.evict.notified().await;
            // A request may have started since it was picked: then it stays.
            if self.entry.deadlines.idle_since().is_some() {
                return;
            }
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.all.open.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn only_an_idle_connection_is_evicted_and_the_idlest_first() {
        let all = Arc::new(Connections::default());
        let d = || Deadlines::new(Duration::from_secs(10), Duration::from_secs(60));
        let (busy, older, newer) = (d(), d(), d());
        busy.request_started();
        older.request_finished_at(tokio::time::Instant::now());
        tokio::time::sleep(Duration::from_millis(5)).await;
        newer.request_finished_at(tokio::time::Instant::now());
        let regs: Vec<Registered> = [&busy, &older, &newer]
            .into_iter()
            .map(|x| all.register(x.clone()))
            .collect();
        assert!(all.evict_idlest());
        tokio::time::timeout(Duration::from_secs(1), regs[1].evicted())
            .await
            .expect("the idlest is asked to close");
        assert!(
            tokio::time::timeout(Duration::from_millis(50), regs[2].evicted())
                .await
                .is_err()
        );
        drop(regs);
        assert!(!all.evict_idlest(), "dropped connections are forgotten");
        let _busy = all.register(busy);
        assert!(!all.evict_idlest(), "a busy connection is never evicted");
    }
}
