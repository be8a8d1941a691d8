//! The `mediamock` binary.

use clap::Parser;
use libmimalloc_sys::{
    mi_heap_delete, mi_heap_malloc_aligned, mi_heap_new, mi_heap_realloc_aligned, mi_heap_t,
    mi_heap_zalloc_aligned, mi_malloc, mi_realloc, mi_zalloc,
};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

/// mimalloc keeps allocation fast with many live resources: under glibc's malloc a page of
/// ListChannels in a 100 000-channel account spent most of its time in heap consolidation.
#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// mimalloc, plus the scratch heaps of `service::scratch` (a model's parse on its service's
/// first request) for the thread that runs one.
struct Allocator;

thread_local! {
    /// The scratch heap this thread allocates from, or null for mimalloc's ordinary one.
    static SCRATCH: Cell<*mut mi_heap_t> = const { Cell::new(std::ptr::null_mut()) };
}

fn scratch_heap() -> *mut mi_heap_t {
    SCRATCH.with(Cell::get)
}

/// The alignment every mimalloc block has (its smallest size class is 8 bytes, all classes
/// are multiples of it): layouts that ask no more take `mi_malloc`'s path, which skips the
/// alignment checks of `mi_malloc_aligned` (a request makes hundreds of small allocations).
const BLOCK_ALIGN: usize = 8;

// SAFETY: every block comes from mimalloc (ordinary or scratch heap, both freed by `mi_free`,
// whatever heap or thread frees them), with the layout's size and alignment.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = scratch_heap();
        if heap.is_null() {
            if layout.align() <= BLOCK_ALIGN {
                return unsafe { mi_malloc(layout.size()).cast() };
            }
            unsafe { mimalloc::MiMalloc.alloc(layout) }
        } else {
            unsafe { mi_heap_malloc_aligned(heap, layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let heap = scratch_heap();
        if heap.is_null() {
            if layout.align() <= BLOCK_ALIGN {
                return unsafe { mi_zalloc(layout.size()).cast() };
            }
            unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
        } else {
            unsafe { mi_heap_zalloc_aligned(heap, layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let heap = scratch_heap();
        if heap.is_null() {
            if layout.align() <= BLOCK_ALIGN {
                return unsafe { mi_realloc(ptr.cast(), new_size).cast() };
            }
            unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            unsafe { mi_heap_realloc_aligned(heap, ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}

/// Puts the thread's allocations back on `previous` (and deletes `created`) when dropped,
/// also when the work panics.
struct Restore {
    previous: *mut mi_heap_t,
    created: *mut mi_heap_t,
}

impl Drop for Restore {
    fn drop(&mut self) {
        SCRATCH.with(|s| s.set(self.previous));
        if !self.created.is_null() {
            // SAFETY: a heap made by `mi_heap_new` below, deleted once; blocks still alive in
            // it move to the ordinary heap and stay valid.
            unsafe { mi_heap_delete(self.created) };
        }
    }
}

impl service::scratch::ScratchHeap for Allocator {
    fn scratch(&self, work: &mut dyn FnMut()) {
        // Declared first, dropped last: the deleted heap's pages are purged at once too.
        let _immediate = purge::Immediate::begin();
        // SAFETY: creates an empty heap; null if mimalloc cannot (then the work runs as usual).
        let created = unsafe { mi_heap_new() };
        let previous = SCRATCH.with(|s| s.replace(created));
        let _restore = Restore { previous, created };
        work();
    }

    fn keep(&self, work: &mut dyn FnMut()) {
        let previous = SCRATCH.with(|s| s.replace(std::ptr::null_mut()));
        let _restore = Restore {
            previous,
            created: std::ptr::null_mut(),
        };
        work();
    }
}

/// `pow`, the one function the binary imports from libm (tokio's scheduler statistics call it
/// through `f64::powf`), defined here with musl's implementation (the `libm` crate). The
/// linker then finds no use for libm.so (`--as-needed`), so it is not loaded, and its code
/// pages (about 0.5 MiB resident) are not part of the server's memory.
#[no_mangle]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// When freed memory goes back to the system (mimalloc's purge), unless
/// `MIMALLOC_PURGE_DELAY` says otherwise. mimalloc's default holds freed memory for a second
/// (ten for arenas), so a server that had just parsed a model kept tens of MiB resident;
/// purging at once instead costs CreateJob a `madvise`, with its TLB-shootdown interrupt on the
/// other core, for up to every second job. So freed memory waits [`purge::DELAY_MS`] while the
/// server works, is purged at once while a model is parsed (a page placed on memory freed
/// but not yet purged is resident whole, where a fresh one is resident only where touched),
/// and is purged once the workers go idle (mimalloc purges only from inside its own calls,
/// which an idle server does not make). (Huge pages are off at build time: mimalloc's
/// `no_thp` feature.)
mod purge {
    use std::ffi::c_long;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::OnceLock;
    use std::thread::Thread;
    use std::time::Duration;

    /// mimalloc's option number for the purge delay (`mi_option_purge_delay` in mimalloc.h,
    /// v3).
    pub const OPTION: libmimalloc_sys::mi_option_t = 15;
    /// The purge delay while the server works: long enough to gather a burst's purges into
    /// one call per range.
    pub const DELAY_MS: c_long = 20;

    /// Whether [`tune`] set the delay (the environment did not).
    static TUNED: AtomicBool = AtomicBool::new(false);
    /// A worker has parked since the purge thread last began waiting.
    static PENDING: AtomicBool = AtomicBool::new(false);
    /// The purge thread, or `None` if purges are immediate or off.
    static PURGER: OnceLock<Option<Thread>> = OnceLock::new();
    /// Scratch heaps in use, on any thread.
    static SCRATCHES: AtomicUsize = AtomicUsize::new(0);

    /// Sets the delay, unless `MIMALLOC_PURGE_DELAY` is set.
    pub fn tune() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            set_delay(DELAY_MS);
            TUNED.store(true, Ordering::Release);
        }
    }

    fn set_delay(ms: c_long) {
        // SAFETY: mimalloc reads its options on every use and lets them change at any time
        // (an aligned word each; a purge scheduled meanwhile sees one value or the other).
        unsafe { libmimalloc_sys::mi_option_set(OPTION, ms) };
    }

    /// The delay that holds outside scratch heaps.
    fn working_delay() -> c_long {
        if TUNED.load(Ordering::Acquire) {
            DELAY_MS
        } else {
            // SAFETY: reads a process-wide option.
            unsafe { libmimalloc_sys::mi_option_get(OPTION) }
        }
    }

    /// Purges at once while it lives (across threads: the last to end restores the delay).
    pub struct Immediate(());

    impl Immediate {
        /// Starts immediate purging, if [`tune`] manages the delay.
        pub fn begin() -> Option<Immediate> {
            if !TUNED.load(Ordering::Acquire) {
                return None;
            }
            if SCRATCHES.fetch_add(1, Ordering::AcqRel) == 0 {
                set_delay(0);
            }
            Some(Immediate(()))
        }
    }

    impl Drop for Immediate {
        fn drop(&mut self) {
            // A scratch heap begun between the count and the store runs with the delay: a
            // little more memory resident, nothing unsafe.
            if SCRATCHES.fetch_sub(1, Ordering::AcqRel) == 1 {
                set_delay(DELAY_MS);
            }
        }
    }

    /// A worker is about to park. The first park after a purge wakes a thread that waits out
    /// the delay, then purges what has expired; parks while it waits ask for one more round,
    /// so memory freed just before the last park is purged too.
    pub fn worker_parked() {
        // A load first: under load workers park thousands of times a second, and the flag's
        // cache line should stay shared between them.
        if PENDING.load(Ordering::Relaxed) || PENDING.swap(true, Ordering::AcqRel) {
            return;
        }
        if let Some(purger) = PURGER.get_or_init(spawn) {
            purger.unpark();
        }
    }

    fn spawn() -> Option<Thread> {
        // 0: purged as freed; negative: never purged.
        let delay = u64::try_from(working_delay()).ok().filter(|&d| d > 0)?;
        // Past the expiry of everything freed before the wait began.
        let wait = Duration::from_millis(delay + 10);
        std::thread::Builder::new()
            .name("mediamock-purge".into())
            .stack_size(64 * 1024)
            .spawn(move || {
                // SAFETY: mimalloc's own calls; the allocation gives this thread an initialized
                // heap, without which `mi_collect` returns before reaching the arenas.
                unsafe { libmimalloc_sys::mi_free(libmimalloc_sys::mi_malloc(16)) };
                loop {
                    std::thread::park();
                    if !PENDING.swap(false, Ordering::AcqRel) {
                        continue; // a spurious wake-up
                    }
                    std::thread::sleep(wait);
                    // SAFETY: purges the arenas' expired free ranges (this thread's own heap
                    // holds nothing).
                    unsafe { libmimalloc_sys::mi_collect(false) };
                }
            })
            .ok()
            .map(|handle| handle.thread().clone())
    }
}

/// The runtime's worker threads: `TOKIO_WORKER_THREADS` if set, else one per core.
/// mediamock mostly shares its cores with the clients driving it (a test suite, CI, the load
/// benchmark), and a worker more than the cores takes CPU they need: at 64 connections on 2
/// cores, 2 workers gave CreateJob's p99 2.4–3.4× the bare server's against 2.4–5.3× with 3
/// (the reads' throughput and p99 as good or better), where round 29, whose job-table lock
/// made workers wait far more, had measured the opposite (see docs/performance-history.md,
/// rounds 29 and 40). Unlike tokio's own reading of the variable, a value that is not a
/// positive count is ignored rather than a panic.
/// `setting`: the variable's value, if set.
fn worker_threads(setting: Option<&str>, cores: usize) -> usize {
    setting
        .and_then(|n| n.trim().parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(cores)
}

/// How many tasks a busy worker runs between two polls of the I/O driver (tokio's default is
/// 61). A worker adds the connections a poll finds ready to its own queue, and another worker
/// takes from that queue only once its own is empty. When the kernel preempts a worker (the two
/// cores are shared with the clients), its queued connections wait until it runs again, unless
/// the other worker runs dry first. With 61, the other worker kept finding new connections
/// ready, so it never ran dry: those connections waited for the kernel's next tick (4 ms). With
/// 250 a busy worker polls less often, runs dry sooner and takes them: p99 at 64 connections
/// 1.8–2.1× the bare server's against 2.9–4.8× for CreateJob and 0.9–1.2× against 4.3–4.6×
/// for GetChannel, throughput unchanged (ten runs against five, docs/performance-history.md,
/// round 44). A worker with nothing queued still polls at once.
const EVENT_INTERVAL: u32 = 250;

fn main() -> std::process::ExitCode {
    purge::tune();
    service::scratch::install_scratch_heap(&GLOBAL);
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads(
            std::env::var("TOKIO_WORKER_THREADS").ok().as_deref(),
            std::thread::available_parallelism().map_or(1, usize::from),
        ))
        .enable_all()
        .event_interval(EVENT_INTERVAL)
        .on_thread_park(purge::worker_parked)
        .build()
    {
        Ok(rt) => rt.block_on(serve()),
        Err(e) => {
            eprintln!("mediamock: cannot start the runtime: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn serve() -> std::process::ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mediamock: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::scratch::{keep, scratch};

    fn current() -> *mut mi_heap_t {
        SCRATCH.with(Cell::get)
    }

    /// Resident bytes, read without allocating (an allocation could let mimalloc purge on
    /// its own).
    fn resident_bytes() -> u64 {
        use std::io::Read;
        let mut text = [0u8; 128];
        let mut file = std::fs::File::open("/proc/self/statm").expect("statm");
        let n = file.read(&mut text).expect("read statm");
        let pages: u64 = std::str::from_utf8(&text[..n])
            .expect("utf-8")
            .split(' ')
            .nth(1)
            .and_then(|f| f.parse().ok())
            .expect("resident pages");
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        pages * u64::try_from(page).expect("a page size")
    }

    #[test]
    fn workers_are_one_per_core_unless_a_positive_count_is_set() {
        assert_eq!(worker_threads(None, 2), 2);
        assert_eq!(worker_threads(None, 1), 1);
        assert_eq!(worker_threads(Some("4"), 2), 4);
        assert_eq!(worker_threads(Some(" 1 "), 8), 1);
        for ignored in ["0", "-1", "two", ""] {
            assert_eq!(worker_threads(Some(ignored), 2), 2, "{ignored:?}");
        }
    }

    /// Set for the child process that runs [`purge_probe`].
    const PROBE: &str = "MEDIAMOCK_PURGE_PROBE";

    #[test]
    fn allocator_keeps_freed_memory_until_the_workers_go_idle() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // the environment sets it; purge::tune leaves it
        }
        // Resident memory is the process's: the probe runs alone in a process of its own, away
        // from the other tests' allocations.
        let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "tests::purge_probe", "--ignored", "--nocapture"])
            .env(PROBE, "1")
            .output()
            .expect("run the probe");
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("1 passed"), "{text}");
    }

    /// Run by [`allocator_keeps_freed_memory_until_the_workers_go_idle`] in a child process.
    #[test]
    #[ignore = "run in a process of its own by allocator_keeps_freed_memory_until_the_workers_go_idle"]
    fn purge_probe() {
        use libmimalloc_sys::mi_option_get;
        if std::env::var_os(PROBE).is_none() {
            return;
        }
        // SAFETY: reads and sets a process-wide option (only this test touches it).
        unsafe {
            // v3's default (1000 ms) identifies the option behind the number: v2's numbering
            // differs around it.
            assert_eq!(mi_option_get(purge::OPTION), 1000);
            purge::tune();
            assert_eq!(mi_option_get(purge::OPTION), purge::DELAY_MS);
        }
        const SIZE: u64 = 64 << 20;
        let blocks: Vec<Vec<u8>> = (0..SIZE / 4096).map(|i| vec![i as u8 | 1; 4096]).collect();
        let used = resident_bytes();
        drop(blocks);
        // Freed, not yet purged: the pages wait out the delay.
        assert!(
            resident_bytes() + SIZE / 4 > used,
            "purged at once: {} of {used} bytes left",
            resident_bytes()
        );
        // The last worker parks; the purge follows the delay.
        purge::worker_parked();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while resident_bytes() + SIZE * 3 / 4 > used && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(
            resident_bytes() + SIZE * 3 / 4 <= used,
            "not purged when idle: {} of {used} bytes left",
            resident_bytes()
        );

        // Immediate purging lasts while any scratch heap is in use.
        let first = purge::Immediate::begin().expect("tuned");
        let second = purge::Immediate::begin().expect("tuned");
        drop(first);
        // SAFETY: reads a process-wide option.
        assert_eq!(unsafe { mi_option_get(purge::OPTION) }, 0);
        drop(second);
        assert_eq!(unsafe { mi_option_get(purge::OPTION) }, purge::DELAY_MS);

        // A scratch heap's memory is purged as it is released, without a park.
        service::scratch::install_scratch_heap(&GLOBAL);
        let before = resident_bytes();
        let peak = scratch(|| {
            let blocks: Vec<Vec<u8>> = (0..SIZE / 4096).map(|i| vec![i as u8 | 1; 4096]).collect();
            let peak = resident_bytes();
            drop(blocks);
            peak
        });
        assert!(peak >= before + SIZE * 3 / 4, "{peak} after {before}");
        assert!(
            resident_bytes() + SIZE * 3 / 4 <= peak,
            "scratch not purged at once: {} of {peak} bytes left",
            resident_bytes()
        );
    }

    #[test]
    fn pow_is_musls_and_powf_reaches_it() {
        use std::hint::black_box;
        // `f64::powf` compiles to a call of the `pow` symbol, which this binary defines.
        assert_eq!(black_box(2.0f64).powf(black_box(10.0)), 1024.0);
        assert_eq!(pow(black_box(9.0), black_box(0.5)), 3.0);
        let alpha = 1.0 - pow(black_box(0.9), black_box(3.0));
        assert!((alpha - 0.271).abs() < 1e-12, "{alpha}");
        assert!(pow(black_box(-1.0), black_box(0.5)).is_nan());
        assert_eq!(pow(black_box(0.0), black_box(0.0)), 1.0);
        // With `pow` defined here nothing imports libm, so the loader did not map it (without
        // the definition, the `powf` above alone would load it).
        let maps = std::fs::read_to_string("/proc/self/maps").expect("/proc/self/maps");
        assert!(
            !maps.lines().any(|l| l.contains("/libm.so")),
            "libm.so is mapped"
        );
    }

    #[test]
    fn scratch_values_that_outlive_their_heap_stay_valid() {
        service::scratch::install_scratch_heap(&GLOBAL);
        let (kept, escaped, grown) = scratch(|| {
            assert!(!current().is_null(), "allocations go to a scratch heap");
            let garbage: Vec<String> = (0..1000).map(|i| format!("garbage {i}")).collect();
            let kept = keep(|| {
                assert!(current().is_null(), "keep() allocates on the ordinary heap");
                vec![7u8; 100]
            });
            assert!(
                !current().is_null(),
                "back on the scratch heap after keep()"
            );
            let mut grown = Vec::with_capacity(1);
            grown.extend(garbage.iter().take(10).cloned());
            (kept, Box::new(garbage.len()), grown)
        });
        assert!(current().is_null(), "the ordinary heap again");
        // The scratch heap is gone; what escaped it moved to the ordinary heap.
        assert_eq!(kept, vec![7u8; 100]);
        assert_eq!(*escaped, 1000);
        assert_eq!(grown[9], "garbage 9");
        let mut grown = grown;
        grown.extend((0..1000).map(|i| i.to_string()));
        assert_eq!(grown.len(), 1010);
    }

    #[test]
    fn built_apart_builds_on_a_scratch_heap_and_copies_to_the_ordinary_one() {
        /// Records the heap current when it was built and when it was copied.
        struct Seen {
            built_on: *mut mi_heap_t,
            copied_on: Option<*mut mi_heap_t>,
            data: Vec<u8>,
        }
        impl Clone for Seen {
            fn clone(&self) -> Self {
                Seen {
                    built_on: self.built_on,
                    copied_on: Some(current()),
                    data: self.data.clone(),
                }
            }
        }
        service::scratch::install_scratch_heap(&GLOBAL);
        let kept = service::scratch::built_apart(|| Seen {
            built_on: current(),
            copied_on: None,
            data: vec![3u8; 64],
        });
        assert!(!kept.built_on.is_null(), "built on a scratch heap");
        assert_eq!(
            kept.copied_on,
            Some(std::ptr::null_mut()),
            "copied to the ordinary heap"
        );
        assert!(current().is_null());
        assert_eq!(kept.data, vec![3u8; 64]);
    }

    #[test]
    fn a_panic_inside_scratch_restores_the_ordinary_heap() {
        service::scratch::install_scratch_heap(&GLOBAL);
        let result = std::panic::catch_unwind(|| {
            scratch(|| {
                let _garbage = vec![1u8; 4096];
                keep(|| panic!("parse failed"))
            })
        });
        assert!(result.is_err());
        assert!(current().is_null());
        let after = vec![2u8; 4096];
        assert_eq!(after.len(), 4096);
    }
}
