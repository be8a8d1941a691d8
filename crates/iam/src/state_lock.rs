//! The identity store's lock. It numbers the store's versions so that what is derived from
//! the store (a key's principal, the policies that govern it) can be kept until it changes.

use crate::store::State;
use parking_lot::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::sync::atomic::{AtomicU64, Ordering};

/// Versions are numbered from one counter for the whole process, so a version number names
/// one state of one store even where several stores exist (tests).
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// The store behind a read-write lock; every write lock taken starts a new version.
pub(crate) struct StateLock {
    inner: RwLock<State>,
    version: AtomicU64,
}

/// The store read-locked, with the version it holds.
pub(crate) struct StateRead<'a> {
    guard: RwLockReadGuard<'a, State>,
    version: u64,
}

impl StateRead<'_> {
    /// The version of the store this guard reads; no other version can exist while it is held.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }
}

impl std::ops::Deref for StateRead<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.guard
    }
}

impl StateLock {
    /// `state`, as a first version.
    pub(crate) fn new(state: State) -> Self {
        StateLock {
            inner: RwLock::new(state),
            version: AtomicU64::new(NEXT_VERSION.fetch_add(1, Ordering::Relaxed)),
        }
    }

    /// The store, read-locked.
    pub(crate) fn read(&self) -> StateRead<'_> {
        let guard = self.inner.read();
        // Written only under the write lock, so it cannot change while `guard` is held.
        let version = self.version.load(Ordering::Relaxed);
        StateRead { guard, version }
    }

    /// The store, write-locked: a new version, whether or not the caller changes anything.
    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, State> {
        let guard = self.inner.write();
        self.version.store(
            NEXT_VERSION.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        guard
    }

    /// The store, write-locked without a new version: only for changes nothing derived from
    /// the store reads (an access key's last use).
    pub(crate) fn write_unversioned(&self) -> RwLockWriteGuard<'_, State> {
        self.inner.write()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_write_lock_is_a_new_version_unique_across_stores() {
        let a = StateLock::new(State::new());
        let b = StateLock::new(State::new());
        let (a0, b0) = (a.read().version(), b.read().version());
        assert_ne!(a0, b0);
        assert_eq!(a.read().version(), a0, "reading keeps the version");
        drop(a.write());
        let a1 = a.read().version();
        assert!(a1 != a0 && a1 != b0);
        drop(a.write_unversioned());
        assert_eq!(a.read().version(), a1);
        assert_eq!(b.read().version(), b0);
    }
}
