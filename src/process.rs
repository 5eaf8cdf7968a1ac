//! One file through read → locate → normalize → check, and all files in parallel: rayon over the
//! sources, each under `catch_unwind` so that a bug met on one file is an issue on that file, not
//! the end of the run. An indicatif bar on stderr shows files done, errors so far and the ETA.

use std::io::IsTerminal;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::check::check_table;
use crate::check::indicators::canonical;
use crate::discover::extension_of;
use crate::form::Form;
use crate::issue::{Issue, Place, Rule, Severity};
use crate::model::{FileStatus, Source, Submission};
use crate::normalize::normalize_grid;
use crate::read::{megabytes, read_grid, ReadError, MAX_FILE_BYTES};

/// Reads, normalizes and checks one file. Never panics outward: see [`process_all`].
pub fn process_source(source: &Source, form: &Form) -> Submission {
    if source.size > MAX_FILE_BYTES {
        let why = format!(
            "文件 {}，超过单个文件的上限 {}，未读取",
            megabytes(source.size),
            megabytes(MAX_FILE_BYTES)
        );
        return failed(source, Rule::FileTooLarge, why);
    }
    let bytes = match std::fs::read(&source.path) {
        Ok(b) => b,
        Err(e) => {
            return failed(source, Rule::UnreadableFile, format!("无法打开文件：{e}"));
        }
    };
    let extension = extension_of(&source.path);
    let grid = match read_grid(&bytes, source.kind, &extension) {
        Ok(g) => g,
        Err(ReadError::Encrypted) => {
            return failed(
                source,
                Rule::EncryptedFile,
                ReadError::Encrypted.to_string(),
            );
        }
        Err(e @ ReadError::Unreadable(_)) => {
            return failed(source, Rule::UnreadableFile, e.to_string());
        }
        Err(ReadError::TooLarge(why)) => {
            return failed(source, Rule::FileTooLarge, why);
        }
    };
    drop(bytes);
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (mut tables, mut issues) = normalize_grid(&grid, form, &source.display, &stem);
    for table in &tables {
        issues.extend(check_table(form, &source.display, table));
    }
    // Once checked, indicators are kept with the taxonomy's codes and names, as every output
    // renders them; done here, on the worker threads, rather than once per output.
    for project in tables
        .iter_mut()
        .flat_map(|t| t.units.iter_mut())
        .flat_map(|u| u.projects.iter_mut())
    {
        for indicator in &mut project.indicators {
            *indicator = canonical(form, indicator);
        }
    }
    let status = if tables.is_empty() {
        FileStatus::Failed
    } else {
        status_of(&issues)
    };
    Submission {
        path: source.path.clone(),
        display: source.display.clone(),
        status,
        tables,
        issues,
        note: None,
    }
}

/// `Issues` when any issue is an error, else `Ok`.
pub fn status_of(issues: &[Issue]) -> FileStatus {
    if issues.iter().any(|i| i.severity == Severity::Error) {
        FileStatus::Issues
    } else {
        FileStatus::Ok
    }
}

fn failed(source: &Source, rule: Rule, message: String) -> Submission {
    Submission::empty(
        source,
        FileStatus::Failed,
        vec![Issue::new(rule, Place::file(&source.display), message)],
    )
}

/// Processes every source in parallel on `jobs` threads (0: one per core). The result is in the
/// order of `sources`, whatever the thread count.
pub fn process_all(sources: &[Source], form: &Form, jobs: usize, quiet: bool) -> Vec<Submission> {
    let bar = progress_bar(sources.len() as u64, quiet);
    let errors = AtomicUsize::new(0);
    let work = || {
        sources
            .par_iter()
            .map(|source| {
                let submission = catch_unwind(AssertUnwindSafe(|| process_source(source, form)))
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
                bar.set_message(format!("错误 {total}"));
                bar.inc(1);
                submission
            })
            .collect::<Vec<_>>()
    };
    let result = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    bar.finish_and_clear();
    result
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
