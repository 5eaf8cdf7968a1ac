//! One file through read → locate → normalize → check, and all files in parallel: rayon over the
//! sources, each under `catch_unwind` so that a bug met on one file is an issue on that file, not
//! the end of the run. An indicatif bar on stderr shows files done, errors so far and the ETA,
//! and ends with the run's final count of errors (see [`Progress`]).

use std::io::IsTerminal;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::base::form::Form;
use crate::base::issue::{Issue, Place, Rule, Severity};
use crate::base::model::{FileStatus, LayoutKind, Submission};
use crate::check::check_table;
use crate::discover::extension_of;
use crate::discover::Source;
use crate::normalize::normalize_grid;
use crate::read::{read_grid, ReadError, MAX_FILE_BYTES};

/// Reads one file's bytes (unless it is over the size cap) into a grid.
///
/// # Errors
/// The file is too large, cannot be opened, or cannot be read as its kind.
fn read_source(source: &Source) -> Result<crate::read::grid::Grid, ReadError> {
    if source.size > MAX_FILE_BYTES {
        return Err(ReadError::FileTooLarge {
            bytes: source.size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(&source.path).map_err(|e| ReadError::Open { source: e })?;
    read_grid(&bytes, source.kind, &extension_of(&source.path))
}

/// Reads, normalizes and checks one file. Never panics outward: see [`process_all`].
fn process_source(source: &Source, form: &Form) -> Submission {
    let grid = match read_source(source) {
        Ok(g) => g,
        Err(e @ ReadError::Encrypted) => return failed(source, Rule::EncryptedFile, e.to_string()),
        Err(e) if e.is_over_cap() => return failed(source, Rule::FileTooLarge, e.to_string()),
        Err(e) => return failed(source, Rule::UnreadableFile, e.to_string()),
    };
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tables, mut issues) = normalize_grid(&grid, form, &source.display, &stem);
    for table in &tables {
        issues.extend(check_table(form, &source.display, table));
    }
    let status = if tables.is_empty() {
        FileStatus::Failed
    } else {
        FileStatus::of(&issues)
    };
    Submission {
        path: source.path.clone(),
        display: source.display.clone(),
        status,
        tables,
        issues,
        parked_issues: None,
        parked_tables: None,
        note: None,
    }
}

fn failed(source: &Source, rule: Rule, message: String) -> Submission {
    Submission::empty(
        &source.path,
        &source.display,
        FileStatus::Failed,
        vec![Issue::new(rule, Place::file(&source.display), message)],
    )
}

/// The progress bar of a run on stderr (hidden when quiet or when stderr is not a terminal):
/// files done, errors so far and the ETA while the files are processed. It stays up through the
/// consolidation, whose rules across files (`duplicate-unit`, the roster) add errors of their
/// own, and [`Progress::finish`] ends it with the run's final count, the one the summary gives.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for `len` files; hidden when `quiet` or when stderr is not a terminal.
    pub fn new(len: u64, quiet: bool) -> Progress {
        Progress {
            bar: progress_bar(len, quiet),
        }
    }

    /// Ends the bar with the final count of errors, every file and the rules across files
    /// included, and leaves it on screen.
    pub fn finish(&self, errors: usize) {
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} 个文件 {msg}") {
            self.bar.set_style(style);
        }
        self.bar.set_message(format!("错误 {errors}"));
        self.bar.finish();
    }

    /// Prints a line on stderr above the bar.
    pub fn say(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Removes the bar from the screen.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// Processes every source in parallel on `jobs` threads (0: one per core). The result is in the
/// order of `sources`, whatever the thread count. The bar is cleared at the end.
pub fn process_all(sources: &[Source], form: &Form, jobs: usize, quiet: bool) -> Vec<Submission> {
    let progress = Progress::new(sources.len() as u64, quiet);
    let result = process_with(sources, form, jobs, &progress, Keep::All);
    progress.clear();
    result
}

/// [`process_all`] with a bar that the caller ends (see [`Progress::finish`]): once every file
/// is processed, the bar says that the consolidation is under way.
pub fn process_with(
    sources: &[Source],
    form: &Form,
    jobs: usize,
    progress: &Progress,
    keep: Keep,
) -> Vec<Submission> {
    let errors = AtomicUsize::new(0);
    // One file a task: split in runs of files, the last run of one thread was left to it alone
    // while the other had nothing to take (about 25 ms of one core at the end of 1,000 files).
    let work = || {
        sources
            .par_iter()
            .with_max_len(1)
            .map(|source| process_counted(source, form, &errors, progress, keep))
            .collect::<Vec<_>>()
    };
    let result = in_pool(jobs, work);
    announce_consolidation(progress, &errors);
    result
}

/// What a run keeps of each file once it is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Everything: the official forms and the feedback write the indicators out.
    All,
    /// Of the indicators, only their count and scheme signs (see `shed_indicators`).
    Counts,
}

/// Gives a checked file's indicators the taxonomy's codes and names, as every output renders
/// them; done on the worker threads, rather than once per output.
fn canonicalize(form: &Form, sub: &mut Submission) {
    let mut assessor = form.taxonomy.assessor();
    for project in sub.projects_mut() {
        for indicator in &mut project.indicators {
            assessor.canonicalize(indicator);
        }
    }
}

/// Drops a checked file's indicators, keeping their count and scheme signs, and the long texts
/// that only a written form shows (goals, the indicator text as written, the funding block):
/// all that `check`'s reports and the rules across files use of them. Memory then grows with
/// projects, not with indicators (at 10,000 files, 0.3 GB instead of 1.5). A list layout's
/// units keep only what the reports count of their projects (see `park::count_projects`):
/// check's peak at 10,000 files 246 → 186 MiB. The per-project forms' units keep theirs, which
/// duplicate-project compares across files.
fn shed_indicators(form: &Form, sub: &mut Submission) {
    let mut assessor = form.taxonomy.assessor();
    for project in sub.projects_mut().filter(|p| p.digest.is_none()) {
        let signs = assessor.scheme_signs(project.indicators.iter());
        project.digest_indicators(signs, None);
    }
    for table in sub
        .tables
        .iter_mut()
        .filter(|t| t.layout != LayoutKind::Project)
    {
        for unit in &mut table.units {
            crate::base::park::count_projects(form, unit);
        }
    }
    sub.compact();
}

/// How many files each thread may be ahead of the one the sink waits for: enough that no thread
/// waits on a slow file of another's, few enough that what is in flight stays small.
const AHEAD_PER_THREAD: usize = 8;

/// [`process_with`], handing each result to `sink` as it comes, in the order of `sources`. The
/// worker threads take the files in order, one at a time, and send each result to a thread of
/// its own that puts them back in order and runs `sink` (writing 指标明细) while the work goes
/// on. A thread never runs more than `AHEAD_PER_THREAD` files per thread ahead of the file
/// the sink waits for, so what is in flight stays bounded, and no thread waits at a batch's end
/// for another's last file. The output is deterministic. Returns the submissions as the sink
/// left them.
///
/// # Errors
/// The sink's first error. It stops the run: the files being processed are finished, and no
/// further file is read.
pub fn process_streaming<P: Send, E: Send>(
    sources: &[Source],
    form: &Form,
    jobs: usize,
    progress: &Progress,
    prepare: impl Fn(&mut Submission) -> Result<P, E> + Sync,
    mut sink: impl FnMut(&mut Submission, P) -> Result<(), E> + Send,
) -> Result<Vec<Submission>, E> {
    let errors = AtomicUsize::new(0);
    let threads = if jobs == 0 {
        rayon::current_num_threads()
    } else {
        jobs
    }
    .max(1);
    let window = threads * AHEAD_PER_THREAD;
    let next = AtomicUsize::new(0);
    let gate = Gate::default();
    let result = std::thread::scope(|scope| {
        let (send, receive) =
            std::sync::mpsc::sync_channel::<(usize, Submission, Result<P, E>)>(window);
        let gate = &gate;
        let sinking = scope.spawn(move || {
            // Whatever way this thread ends, the workers waiting at the gate are let go.
            let _stop = StopOnDrop(gate);
            let mut all = Vec::with_capacity(sources.len());
            let mut waiting = std::collections::BTreeMap::new();
            for (i, submission, prepared) in receive {
                waiting.insert(i, (submission, prepared));
                while let Some((mut submission, prepared)) = waiting.remove(&all.len()) {
                    // The first error ends the loop and drops the receiver: the workers stop
                    // after the files at hand.
                    sink(&mut submission, prepared?)?;
                    all.push(submission);
                    gate.sunk(all.len());
                }
            }
            Ok(all)
        });
        for _ in 0..threads {
            let send = send.clone();
            let (next, errors, prepare) = (&next, &errors, &prepare);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= sources.len() || !gate.wait_for(i, window) {
                    break;
                }
                let mut done = process_counted(&sources[i], form, errors, progress, Keep::All);
                let prepared = prepare(&mut done);
                if send.send((i, done, prepared)).is_err() {
                    break;
                }
            });
        }
        drop(send);
        sinking.join()
    });
    announce_consolidation(progress, &errors);
    match result {
        Ok(sunk) => sunk,
        // The sink panicked: a bug, raised here as it would have been without the thread.
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// How far the sink has come, for the workers of [`process_streaming`] to wait on.
#[derive(Default)]
struct Gate {
    /// Files sunk so far, and whether the sink has stopped.
    state: std::sync::Mutex<(usize, bool)>,
    moved: std::sync::Condvar,
}

impl Gate {
    /// Waits until file `i` is within `window` files of the sink; false when the sink stopped.
    fn wait_for(&self, i: usize, window: usize) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        while !state.1 && i >= state.0 + window {
            state = match self.moved.wait(state) {
                Ok(s) => s,
                Err(_) => return false,
            };
        }
        !state.1
    }

    fn sunk(&self, n: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = n;
        }
        self.moved.notify_all();
    }

    fn stop(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 = true;
        }
        self.moved.notify_all();
    }
}

/// Stops the gate when the sink's thread ends, by an error, a panic or the end of the files.
struct StopOnDrop<'a>(&'a Gate);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Runs `work` on a pool of `jobs` threads (0: one per core), or on the global pool when one
/// cannot be built.
fn in_pool<T: Send>(jobs: usize, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// One file processed, its indicators canonicalized or shed as `keep` says, and counted on the
/// bar; a panic met on it becomes an issue on it.
fn process_counted(
    source: &Source,
    form: &Form,
    errors: &AtomicUsize,
    progress: &Progress,
    keep: Keep,
) -> Submission {
    let submission = catch_unwind(AssertUnwindSafe(|| {
        let mut sub = process_source(source, form);
        match keep {
            Keep::All => canonicalize(form, &mut sub),
            // The counts need no names: shed before any is rewritten.
            Keep::Counts => shed_indicators(form, &mut sub),
        }
        sub
    }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            failed(
                source,
                Rule::UnreadableFile,
                format!("处理此文件时发生内部错误（{what}），其他文件不受影响；请把此文件报告给 jixiao 的维护者"),
            )
        });
    let errs = submission
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    let total = errors.fetch_add(errs, Ordering::Relaxed) + errs;
    progress.bar.set_message(format!("错误 {total}"));
    progress.bar.inc(1);
    submission
}

/// Every file is processed: the bar says that the consolidation is under way.
fn announce_consolidation(progress: &Progress, errors: &AtomicUsize) {
    progress.bar.set_message(format!(
        "错误 {}，正在跨文件核对",
        errors.load(Ordering::Relaxed)
    ));
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} 个文件 {msg} 剩余 {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::SourceKind;

    /// Files that cannot be opened: each is processed in no time into a submission with an issue.
    fn missing_sources(n: usize) -> Vec<Source> {
        (0..n)
            .map(|i| Source {
                path: format!("/nonexistent/jixiao/{i}.csv").into(),
                display: format!("{i}.csv"),
                kind: SourceKind::Text,
                size: 0,
            })
            .collect()
    }

    #[test]
    fn results_reach_the_sink_in_input_order() {
        let sources = missing_sources(100);
        let progress = Progress::new(100, true);
        let mut seen = Vec::new();
        let prepare = |sub: &mut Submission| Ok::<String, ()>(sub.display.clone());
        let all = process_streaming(
            &sources,
            &Form::default_form(),
            2,
            &progress,
            prepare,
            |sub, prepared| {
                assert_eq!(sub.display, prepared);
                seen.push(sub.display.clone());
                Ok(())
            },
        )
        .unwrap();
        let expected: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
        assert_eq!(seen, expected);
        assert_eq!(all.len(), 100);
        assert_eq!(progress.bar.position(), 100);
    }

    #[test]
    fn the_first_sink_error_stops_the_run() {
        let sources = missing_sources(2_000);
        let progress = Progress::new(2_000, true);
        let mut sunk = 0;
        let result = process_streaming(
            &sources,
            &Form::default_form(),
            1,
            &progress,
            |_| Ok(()),
            |_, ()| {
                sunk += 1;
                if sunk == 3 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result.err(), Some("disk full"));
        assert_eq!(sunk, 3, "nothing is sunk after the error");
        // One thread: at most the window ahead of the sink, and the file at hand.
        let processed = progress.bar.position();
        assert!(
            processed <= 3 + AHEAD_PER_THREAD as u64 + 1,
            "{processed} files processed"
        );
    }

    #[test]
    fn a_panicking_sink_does_not_leave_the_workers_waiting() {
        // The sink's thread dies on the first file; the workers, held at the gate, must be let
        // go for the panic to be raised (a hang here is the failure).
        let sources = missing_sources(500);
        let progress = Progress::new(500, true);
        let raised = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let sink =
                |_: &mut Submission, (): ()| -> Result<(), ()> { panic!("a bug in the sink") };
            process_streaming(
                &sources,
                &Form::default_form(),
                2,
                &progress,
                |_| Ok(()),
                sink,
            )
            .map(|_| ())
            .unwrap_or(())
        }));
        assert!(raised.is_err());
        assert!(progress.bar.position() < 500);
    }
}
