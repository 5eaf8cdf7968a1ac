//! The benchmark of issue "Scale and speed": on the same generated submissions, times
//!
//! - the floor: a bare parallel calamine read of every sheet of every file (csv for the text
//!   files), plus a bare rust_xlsxwriter write of as many cells as our consolidated workbook has,
//!   without formats (constant-memory mode);
//! - the full `jixiao consolidate` run (all cores), and with `--jobs 1` and `--jobs 2`;
//!
//! and prints files/s, the ratio to the floor, the 1→2 thread speed-up and peak memory.
//! Ratios in one run, not absolute seconds, are what to compare: machines are noisy.
//!
//!     cargo bench --bench pipeline -- 1000 10000
//!
//! Generated files are kept in target/bench-data/N for the next run.

#[path = "synth/mod.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{open_workbook_from_rs, Reader, Xlsx};
use rayon::prelude::*;

const SEED: u64 = 2025;

/// Runs a command, returning its wall time and peak resident memory (MiB).
fn run_measured(cmd: &mut Command) -> (Duration, f64) {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn jixiao");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child; status and usage are valid pointers for the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    let code = libc::WEXITSTATUS(status);
    assert!(code <= 1, "jixiao exited with {code}");
    std::mem::forget(child);
    (elapsed, usage.ru_maxrss as f64 / 1024.0)
}

/// The floor's read: every sheet of every file, in parallel, nothing else.
fn floor_read(files: &[PathBuf]) -> usize {
    files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("read");
            if path.extension().is_some_and(|e| e == "xlsx") {
                let mut wb: Xlsx<_> =
                    open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("xlsx");
                wb.sheet_names()
                    .iter()
                    .map(|name| {
                        wb.worksheet_range(name)
                            .map(|r| r.get_size().0)
                            .unwrap_or(0)
                    })
                    .sum::<usize>()
            } else {
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(bytes.as_slice())
                    .byte_records()
                    .count()
            }
        })
        .sum()
}

/// The floor's write: `cells` cells (strings and numbers alternating, 16 a row, a new sheet every
/// 1,000,000 rows), no formats, constant-memory mode like ours.
fn floor_write(cells: usize, path: &Path) {
    const COLS: usize = 16;
    const ROWS: usize = 1_000_000;
    let mut wb = rust_xlsxwriter::Workbook::new();
    // The same compression as jixiao's consolidated workbook.
    wb.set_zip_compression_level(jixiao::write::workbook::ZIP_LEVEL);
    let rows = cells.div_ceil(COLS);
    for sheet in 0..rows.div_ceil(ROWS).max(1) {
        let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
        let first = sheet * ROWS * COLS;
        for i in first..cells.min(first + ROWS * COLS) {
            let (row, col) = (((i - first) / COLS) as u32, ((i - first) % COLS) as u16);
            if i % 2 == 0 {
                ws.write_string(row, col, format!("单元格{i}"))
                    .expect("write");
            } else {
                ws.write_number(row, col, i as f64 * 0.01).expect("write");
            }
        }
    }
    wb.save(path).expect("save");
}

/// Cells of our consolidated workbook, from its report: 汇总表, 指标明细, 问题清单, 报送情况.
fn output_cells(report: &serde_json::Value) -> usize {
    let s = &report["summary"];
    let n = |k: &str| s[k].as_u64().unwrap_or(0) as usize;
    let issues = report["issues"].as_array().map_or(0, Vec::len);
    (4 + n("units") + n("projects")) * 7 + n("indicators") * 16 + issues * 8 + n("files") * 11
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn bench(n: usize) {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/{n}"));
    let marker = data.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&data);
        let g = synth::generate(&data, n, SEED).expect("generate");
        std::fs::write(&marker, format!("{g:?}")).expect("marker");
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .expect("data dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("汇总.xlsx");
    let json = out_dir.path().join("report.json");
    let jixiao = env!("CARGO_BIN_EXE_jixiao");
    let consolidate = |jobs: Option<&str>| {
        let mut cmd = Command::new(jixiao);
        cmd.arg("consolidate")
            .arg(&data)
            .arg("-o")
            .arg(&out)
            .arg("--json")
            .arg(&json)
            .arg("-q");
        if let Some(j) = jobs {
            cmd.args(["--jobs", j]);
        }
        run_measured(&mut cmd)
    };

    // Warm the page cache once, then measure.
    floor_read(&files);
    let (full, full_rss) = consolidate(None);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("report")).expect("json");
    let cells = output_cells(&report);
    let start = Instant::now();
    floor_read(&files);
    let read = start.elapsed();
    let start = Instant::now();
    floor_write(cells, &out_dir.path().join("floor.xlsx"));
    let write = start.elapsed();
    let floor = read + write;
    let (jobs1, rss1) = consolidate(Some("1"));
    let (jobs2, _) = consolidate(Some("2"));
    println!(
        "{n:>6} files | floor {:.2} s (read {:.2} + write {:.2}, {cells} cells) | full {:.2} s, {:.0} files/s, {:.2}x floor | --jobs 1 {:.2} s, --jobs 2 {:.2} s, speed-up {:.2}x | peak memory {:.0} MiB (--jobs 1: {:.0} MiB) | {} units, {} projects, {} indicators",
        secs(floor),
        secs(read),
        secs(write),
        secs(full),
        n as f64 / secs(full),
        secs(full) / secs(floor),
        secs(jobs1),
        secs(jobs2),
        secs(jobs1) / secs(jobs2),
        full_rss,
        rss1,
        report["summary"]["units"],
        report["summary"]["projects"],
        report["summary"]["indicators"],
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() { vec![1000] } else { sizes };
    println!(
        "jixiao pipeline benchmark: {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for n in sizes {
        bench(n);
    }
}
