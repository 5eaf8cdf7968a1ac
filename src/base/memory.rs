//! Memory given back to the system during a streaming consolidation.
//!
//! glibc's allocator gives each thread an arena of its own and keeps what is freed there for
//! the thread's next allocations. The workers that read the files leave their arenas full of
//! freed holes, and the stages after them allocate on other threads, which grow the process
//! beside those holes: the resident size then grows with the files even though what is alive
//! does not. `malloc_trim` gives back the free pages of every arena (not only the top of the
//! main heap). It costs a walk over the arenas' free lists, a millisecond or two, so it is
//! called every so many files and between the stages, not per allocation.

/// How many files the writer takes between two [`release_freed_memory`] calls while the files
/// stream in; also how many units 汇总表 writes between two.
pub const RELEASE_EVERY: usize = 256;

/// Gives the memory freed so far back to the system (glibc on Linux; elsewhere nothing).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands the allocator's own free pages back to the system; it
    // touches no memory the program holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
