//! Data compiled into the binary (`include_bytes!` of gzip'd models and policies): read once
//! into a compact form, after which its pages need not stay resident.
//!
//! The kernel maps such data from the executable file; once a blob has been decompressed, its
//! pages would otherwise stay counted in the process's resident memory until memory runs
//! short. [`gunzip`] hands them back (`MADV_DONTNEED`): for a read-only file mapping that only
//! drops the page-table entries, and reading the bytes again faults them back in from the
//! file, unchanged.

use flate2::read::GzDecoder;
use std::io::Read;
use std::sync::OnceLock;

/// Decompresses an embedded gzip blob, then gives its pages back (see the module docs).
pub fn gunzip(bytes: &'static [u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let read = GzDecoder::new(bytes).read_to_end(&mut out);
    release_pages(bytes);
    read.ok()?;
    Some(out)
}

/// Drops the resident pages that lie wholly inside `bytes`, if they belong to a read-only
/// mapping of a file (never an anonymous or writable one, where that would lose data).
pub fn release_pages(bytes: &'static [u8]) {
    let Some((start, end)) = interior_pages(bytes.as_ptr() as usize, bytes.len(), page_size())
    else {
        return;
    };
    if !read_only_file_mapping(start, end) {
        return;
    }
    // SAFETY: [start, end) is page-aligned and inside one read-only, file-backed mapping of
    // this process (checked above); MADV_DONTNEED on it discards no data, since the pages are
    // re-read from the file on the next access. No Rust reference is invalidated.
    unsafe {
        libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
    }
}

/// The page-aligned range wholly inside `[addr, addr + len)`, if it holds a page.
fn interior_pages(addr: usize, len: usize, page: usize) -> Option<(usize, usize)> {
    let start = addr.checked_add(page - 1)? / page * page;
    let end = addr.checked_add(len)? / page * page;
    (end > start).then_some((start, end))
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|s| *s > 0)
        .unwrap_or(4096)
}

/// Whether `[start, end)` lies inside one mapping of /proc/self/maps that is readable, not
/// writable and backed by a file (inode not 0). The executable's mappings, where embedded data
/// lives, do not move, so the map is read once.
fn read_only_file_mapping(start: usize, end: usize) -> bool {
    static RANGES: OnceLock<Vec<(usize, usize)>> = OnceLock::new();
    RANGES
        .get_or_init(|| {
            std::fs::read_to_string("/proc/self/maps")
                .map(|maps| maps.lines().filter_map(read_only_file_range).collect())
                .unwrap_or_default()
        })
        .iter()
        .any(|&(lo, hi)| lo <= start && end <= hi)
}

/// The address range of one /proc/PID/maps line, if it is a read-only file mapping.
fn read_only_file_range(line: &str) -> Option<(usize, usize)> {
    let mut fields = line.split_whitespace();
    let (range, perms, _offset, _dev, inode) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let (lo, hi) = range.split_once('-')?;
    let readonly_file = perms.starts_with("r-") && inode.parse::<u64>().is_ok_and(|i| i != 0);
    readonly_file.then_some((
        usize::from_str_radix(lo, 16).ok()?,
        usize::from_str_radix(hi, 16).ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    static BLOB: &[u8] = include_bytes!("embedded.rs");
    /// Four pages of read-only data in this test binary's image: at least three whole pages.
    static PAGES: [u8; 16384] = [7; 16384];

    #[test]
    fn interior_pages_are_whole_pages_inside_the_range() {
        assert_eq!(interior_pages(4096, 8192, 4096), Some((4096, 12288)));
        assert_eq!(interior_pages(4097, 8192, 4096), Some((8192, 12288)));
        assert_eq!(interior_pages(4097, 4000, 4096), None);
        assert_eq!(interior_pages(usize::MAX - 10, 5, 4096), None);
    }

    #[test]
    fn only_read_only_file_mappings_qualify() {
        let covers = |line: &str, start: usize, end: usize| {
            read_only_file_range(line).is_some_and(|(lo, hi)| lo <= start && end <= hi)
        };
        // This test binary's own read-only data qualifies.
        let here = BLOB.as_ptr() as usize;
        assert!(read_only_file_mapping(here, here + 1));
        let file = "5581a2c00000-5581a3000000 r--p 00000000 fd:01 1234 /usr/bin/mediamock";
        assert!(covers(file, 0x5581a2c01000, 0x5581a2c03000));
        assert!(
            !covers(file, 0x5581a2c01000, 0x5581a3001000),
            "past its end"
        );
        let anon = "7f0000000000-7f0000100000 r--p 00000000 00:00 0";
        assert!(!covers(anon, 0x7f0000001000, 0x7f0000002000), "anonymous");
        let writable = "7f0000000000-7f0000100000 rw-p 00000000 fd:01 1234 /x";
        assert!(
            !covers(writable, 0x7f0000001000, 0x7f0000002000),
            "writable"
        );
        assert!(!covers("garbage", 0, 1));
    }

    #[test]
    fn released_bytes_read_back_unchanged() {
        let before = BLOB.to_vec();
        release_pages(BLOB);
        assert_eq!(BLOB, &before[..]);
        // Whole pages, in a mapping that qualifies: they are dropped and read back the same.
        let (start, end) =
            interior_pages(PAGES.as_ptr() as usize, PAGES.len(), page_size()).expect("whole pages");
        assert!(read_only_file_mapping(start, end));
        release_pages(&PAGES);
        assert!(PAGES.iter().all(|b| *b == 7));
    }

    #[test]
    fn gunzip_reads_what_was_compressed_and_refuses_garbage() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(b"hello models").unwrap();
        let gz: &'static [u8] = Box::leak(enc.finish().unwrap().into_boxed_slice());
        assert_eq!(gunzip(gz).as_deref(), Some(&b"hello models"[..]));
        assert_eq!(gunzip(b"not gzip"), None);
    }
}
