//! Working memory for one-off parses of embedded data (a service's model on its first
//! request): the parse's short-lived values can go to a heap of their own, released as a whole
//! afterwards, so that what the parse keeps is not spread over pages its garbage filled (an
//! allocator keeps a page resident while any one of its blocks lives). The binary installs
//! the allocator side; without it, [`scratch`] and [`keep`] just run their closure.

use std::sync::OnceLock;

/// The allocator side of [`scratch`] and [`keep`], installed once by the binary.
pub trait ScratchHeap: Sync {
    /// Runs `work` with the calling thread's new allocations in a fresh heap, which is
    /// released when `work` returns (blocks still alive then move to the ordinary heap).
    fn scratch(&self, work: &mut dyn FnMut());
    /// Inside [`ScratchHeap::scratch`]: runs `work` with new allocations on the ordinary heap.
    fn keep(&self, work: &mut dyn FnMut());
}

static HEAP: OnceLock<&'static dyn ScratchHeap> = OnceLock::new();

/// Installs the allocator side (the first call wins).
pub fn install_scratch_heap(heap: &'static dyn ScratchHeap) {
    let _ = HEAP.set(heap);
}

/// Runs `f` with its allocations in a scratch heap: for parses whose values are dropped
/// before `f` returns, except what [`keep`] made inside it.
pub fn scratch<T>(f: impl FnOnce() -> T) -> T {
    run(f, |heap, work| heap.scratch(work))
}

/// Inside [`scratch`]: runs `f` with its allocations on the ordinary heap (what is kept).
pub fn keep<T>(f: impl FnOnce() -> T) -> T {
    run(f, |heap, work| heap.keep(work))
}

/// Builds a value once in a scratch heap and keeps a copy of it on the ordinary heap: the
/// build's garbage (parsed text, grown tables) is released whole, and the copy is allocated
/// together rather than among it.
pub fn built_apart<T: Clone>(build: impl FnOnce() -> T) -> T {
    scratch(|| {
        let built = build();
        keep(|| built.clone())
    })
}

fn run<T>(f: impl FnOnce() -> T, how: impl FnOnce(&dyn ScratchHeap, &mut dyn FnMut())) -> T {
    let Some(heap) = HEAP.get() else {
        return f();
    };
    let mut f = Some(f);
    let mut out = None;
    how(*heap, &mut || {
        if let Some(f) = f.take() {
            out = Some(f());
        }
    });
    match (out, f) {
        (Some(value), _) => value,
        // An implementation that did not run the work: run it here.
        (None, Some(f)) => f(),
        (None, None) => unreachable!("the work ran and returned"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_heap_both_just_run() {
        assert_eq!(scratch(|| keep(|| 41) + 1), 42);
        assert_eq!(built_apart(|| vec![1, 2, 3]), vec![1, 2, 3]);
    }
}
