//! The allocator, and memory given back to the system during a streaming consolidation.
//!
//! The binary allocates through mimalloc (`src/main.rs`), built without transparent huge pages
//! (its `no_thp` feature): with them, each thread's first arena pages came in 2 MiB pages and a
//! 1,000-file consolidation peaked at 70 MiB instead of 34. On 1,000 files `check` takes about
//! a tenth less time than with glibc's allocator, `consolidate` a little less (see the
//! README's benchmark section).
//!
//! mimalloc gives freed pages back to the system a second after they are freed. A consolidation,
//! whose memory must stay flat however many files it reads, gives them back at once
//! ([`give_back_at_once`]): its peak at 10,000 files is then 36 MiB instead of 48, for no
//! measurable time. `check`, which keeps less and is timed against a bare read, keeps the delay:
//! giving back at once made it a fifth slower. [`release_freed_memory`] also hands back what
//! threads freed for other threads, between the stages.

/// mimalloc as the global allocator, asked for a plain block wherever its natural alignment
/// suffices. The `mimalloc` crate's allocator asks `mi_malloc_aligned` for every block, and
/// mimalloc answers that from its fast path only while the size's page has a free block; past
/// that, a size that is not a power of two (most) went through its generic aligned path and
/// over-allocated, which also marks the page so that every free from it takes the slow path: a
/// tenth of `check`'s allocation work and more (callgrind, the benchmark's first 200 files).
/// Every mimalloc block is aligned to 8 bytes at least (its sizes are whole words), so an
/// alignment of up to 8 needs nothing more; larger ones go to the aligned calls as before.
pub struct Allocator;

/// The alignment every block of mimalloc's has.
const WORD: usize = 8;

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` takes blocks of the
// plain and the aligned calls alike); a plain block is used only for an alignment it always
// has, and `mi_realloc` keeps a block's word alignment.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_malloc, mi_malloc_aligned};
        if layout.align() <= WORD {
            // SAFETY: a plain allocation of the layout's (non-zero) size.
            unsafe { mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: an aligned allocation; the alignment is a power of two (a layout's).
            unsafe { mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        use libmimalloc_sys::{mi_zalloc, mi_zalloc_aligned};
        if layout.align() <= WORD {
            // SAFETY: as in `alloc`, zeroed.
            unsafe { mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: as in `alloc`, zeroed.
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` came from this allocator, hence from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        use libmimalloc_sys::{mi_realloc, mi_realloc_aligned};
        if layout.align() <= WORD {
            // SAFETY: `ptr` came from this allocator; the new block keeps word alignment.
            unsafe { mi_realloc(ptr.cast(), new_size).cast() }
        } else {
            // SAFETY: `ptr` came from this allocator with this alignment.
            unsafe { mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast() }
        }
    }
}

/// How many files the writer takes between two [`release_freed_memory`] calls while the files
/// stream in; also how many units 汇总表 writes between two.
pub const RELEASE_EVERY: usize = 256;

/// mimalloc's `mi_option_purge_delay` (the milliseconds before a freed page goes back to the
/// system; 1,000 by default in v3's `options.c`), the sixteenth of `mi_option_t` in
/// `mimalloc.h` (v2 and v3 alike).
/// `libmimalloc-sys` names the options around it but not this one.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc give freed pages back to the system at once rather than after its delay.
pub fn give_back_at_once() {
    // SAFETY: sets one of mimalloc's options, which it reads at each purge; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

/// Gives the memory freed so far back to the system: mimalloc collects what every thread freed
/// (also for other threads) and purges the pages left empty. Without mimalloc as the global
/// allocator (the library's own tests), nothing of the program's is touched.
pub fn release_freed_memory() {
    // SAFETY: asks mimalloc to collect its own free lists and pages; no memory the program
    // holds is touched.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every alignment up to a page and of sizes around mimalloc's classes come back
    /// aligned, whole (written to their last byte), zeroed when asked, and keep their bytes
    /// when they grow or shrink.
    #[test]
    fn the_allocator_aligns_and_keeps_its_blocks() {
        use std::alloc::{GlobalAlloc, Layout};
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 12, 24, 40, 52, 56, 100, 1000, 5000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; every block is freed below with its layout.
                unsafe {
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null() && (zeroed as usize).is_multiple_of(align));
                    assert!(std::slice::from_raw_parts(zeroed, size)
                        .iter()
                        .all(|&b| b == 0));
                    Allocator.dealloc(zeroed, layout);
                    let mut p = Allocator.alloc(layout);
                    assert!(
                        !p.is_null() && (p as usize).is_multiple_of(align),
                        "{size} {align}"
                    );
                    for i in 0..size {
                        *p.add(i) = (i % 251) as u8;
                    }
                    let holds =
                        |q: *mut u8, len: usize| (0..len).all(|i| *q.add(i) == (i % 251) as u8);
                    for new_size in [size * 3, size.div_ceil(2)] {
                        let q = Allocator.realloc(p, layout, new_size);
                        assert!(
                            !q.is_null() && (q as usize).is_multiple_of(align),
                            "{new_size} {align}"
                        );
                        assert!(holds(q, size.min(new_size)));
                        // Back to the first size, whole again, for the next round.
                        let resized = Layout::from_size_align(new_size, align).unwrap();
                        p = Allocator.realloc(q, resized, size);
                        assert!((p as usize).is_multiple_of(align) && holds(p, size.min(new_size)));
                        for i in 0..size {
                            *p.add(i) = (i % 251) as u8;
                        }
                    }
                    Allocator.dealloc(p, layout);
                }
            }
        }
    }

    /// The option's number is the purge delay's: its default, 1,000 ms, unless the environment
    /// sets it (no other option of v3 defaults to 1,000).
    #[test]
    fn the_purge_delay_is_the_option_numbered() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads one of mimalloc's options.
            assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
        }
    }
}
