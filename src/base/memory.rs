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
