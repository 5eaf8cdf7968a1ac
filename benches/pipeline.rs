//! The benchmark of issue "Scale and speed". For each size N given on the command line it
//! generates N submissions (kept in target/bench-data/N for the next run) and measures, on the
//! same files, with the page cache warmed by one untimed read first:
//!
//! 1. `jixiao consolidate` (all cores, `-q`, with `--json`) against the **same-cells floor**:
//!    - the floor's read: a bare parallel (rayon) calamine read of every sheet of every file
//!      (a text file decoded to text and split into records of text by the csv crate),
//!      nothing else;
//!    - the floor's write: after our first run has written its workbook, that workbook is read
//!      back with calamine (its streaming cell reader, which gives the values `worksheet_range`
//!      gives), untimed — every sheet, every non-empty cell, its value (strings as strings;
//!      numbers, dates and the cached values of formulas as numbers; bools as bools; error
//!      cells as their text) — and the clock times only writing exactly those cells, at
//!      the same positions, in the same sheets under the same names, to a new workbook:
//!      `Workbook::new()`, `add_worksheet_with_constant_memory()`, no formats, no formulas, no
//!      charts, the same zip level as ours (`ZIP_LEVEL`), saved to a file with the crate's save
//!      as published (one part after another);
//!
//!    printed with the cell counts read back and as the ratio ours / (read + write), target
//!    ≤ 1.15×. jixiao's own save compresses its constant-memory sheets in parallel (the patched
//!    crate, vendor/rust_xlsxwriter): the floor's write with that save is timed once too, and
//!    the ratio against it printed beside;
//! 2. `jixiao check -q --format json` (all cores, its JSON report sent to a file) against the
//!    floor's read alone, target ≤ 2×;
//! 3. the peak resident memory (MiB, the child's own `VmHWM`, sampled while it runs) of our consolidate
//!    runs at each size (the largest of the timed runs) and, when more than one size is given,
//!    the ratio of the largest size's peak to the smallest size's, target < 1.5×; `check`'s
//!    peak is printed on its line, for information.
//!
//! Every timed part above is the median of 3 runs, the floor's read and `check` of 9 (the floor
//! is the median read plus the median write), the runs interleaved (consolidate, floor write,
//! then three pairs of floor read and check; three times) so that noise from elsewhere on the
//! machine falls on both sides of a ratio. Then, once each,
//! `consolidate --jobs 1` and `--jobs 2` for the 1→2 thread speed-up. Wall times are those of
//! the spawned process (`target/release/jixiao`, start to exit, so including its start-up, a few
//! milliseconds) and, for the floor, of the in-process work. Ratios in one run, not absolute
//! seconds, are what to compare: machines are noisy. `-- 1000` takes about 80 s on 2 cores once
//! its files exist.
//!
//!     cargo bench --bench pipeline -- 1000 10000

#[path = "floor.rs"]
mod floor;
#[path = "synth/mod.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{open_workbook, DataRef, Reader, Xlsx};
use floor::{bare_read, floor_read};

const SEED: u64 = 2025;
/// Runs of each timed part; their median is printed.
const RUNS: usize = 3;
/// Pairs of the floor's read and `check` in each run: their medians are of 9. A median of 3
/// runs of a third of a second (1,000 files) moved by a fifth between runs of one build (1.65×
/// to 2.19× for `check`), most of it slow outliers of either side.
const CHECK_PAIRS: usize = 3;

/// Runs a command, returning its wall time and peak resident memory (MiB).
///
/// The peak is the child's own `VmHWM` (/proc/PID/status), sampled every 2 ms while it runs:
/// the `ru_maxrss` that `wait4` returns would not do, for Linux carries the spawning process's
/// high-water mark over the `exec` into the child's figure, and this benchmark holds the
/// read-back of a whole workbook when it spawns (at 10,000 files that is over 1 GiB).
fn run_measured(cmd: &mut Command) -> (Duration, f64) {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn jixiao");
    let pid = child.id() as libc::pid_t;
    let done = Arc::new(AtomicBool::new(false));
    let peak_kb = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (done, peak_kb) = (Arc::clone(&done), Arc::clone(&peak_kb));
        std::thread::spawn(move || {
            let path = format!("/proc/{pid}/status");
            while !done.load(Ordering::Relaxed) {
                let hwm = std::fs::read_to_string(&path).ok().and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("VmHWM:"))
                        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                });
                if let Some(kb) = hwm {
                    peak_kb.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let mut status = 0;
    // SAFETY: pid is our child; status is a valid pointer for the call.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("memory sampler");
    assert_eq!(waited, pid, "waitpid");
    let code = libc::WEXITSTATUS(status);
    assert!(code <= 1, "jixiao exited with {code}");
    std::mem::forget(child);
    (elapsed, peak_kb.load(Ordering::Relaxed) as f64 / 1024.0)
}

/// `check` on one thread against the bare read on one thread, over each layout's files: where
/// the gap to the floor is. One run each.
fn by_layout(files: &[PathBuf], jixiao: &str, report: &Path) -> String {
    let mut groups: Vec<Vec<&PathBuf>> = vec![Vec::new(); synth::LAYOUTS.len()];
    for path in files {
        let number = path
            .file_name()
            .and_then(|f| f.to_string_lossy().get(..5).and_then(|n| n.parse().ok()));
        if let Some(i) = number {
            groups[synth::layout_of(i)].push(path);
        }
    }
    let mut parts = Vec::new();
    for (name, group) in synth::LAYOUTS.iter().zip(&groups) {
        if group.is_empty() {
            continue;
        }
        let mut cmd = Command::new(jixiao);
        cmd.arg("check")
            .args(group.iter().copied())
            .args(["-q", "--format", "json", "--jobs", "1"])
            .stdout(Stdio::from(std::fs::File::create(report).expect("report")));
        let (ours, _) = run_measured(&mut cmd);
        let start = Instant::now();
        group.iter().map(|p| bare_read(p)).sum::<usize>();
        let bare = start.elapsed();
        parts.push(format!(
            "{name} ({}) {:.2} s vs {:.3} s: {:.1}×",
            group.len(),
            secs(ours),
            secs(bare),
            secs(ours) / secs(bare)
        ));
    }
    parts.join(" | ")
}

/// A cell's value as read back from our workbook; text as a range of its sheet's `text`.
enum Value {
    Text(u32, u32),
    Number(f64),
    Bool(bool),
}

/// One sheet of our workbook as read back: its name and its non-empty cells, row by row.
struct Sheet {
    name: String,
    /// The text of every text cell, end to end (one allocation, not one per cell: at 10,000
    /// files the workbook holds over 20 million cells).
    text: String,
    cells: Vec<(u32, u16, Value)>,
}

/// What the read-back found, by kind.
#[derive(Default)]
struct Counts {
    text: usize,
    number: usize,
    bool: usize,
    /// Dates, ISO dates and durations, and error cells: written as numbers or text.
    other: usize,
    /// Empty strings (kept: calamine reports them as strings, not as empty cells).
    empty_text: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.text + self.number + self.bool + self.other
    }
}

/// Appends `s` to a sheet's `text`, returning the cell's value.
fn push_text(text: &mut String, s: &str) -> Value {
    let start = u32::try_from(text.len()).expect("text under 4 GiB");
    text.push_str(s);
    Value::Text(start, u32::try_from(text.len()).expect("text under 4 GiB"))
}

/// Reads back every sheet, every non-empty cell of our consolidated workbook (untimed), with
/// calamine's streaming cell reader: the values `worksheet_range` would give, without the dense
/// range in memory.
fn read_back(path: &Path) -> (Vec<Sheet>, Counts) {
    let mut wb: Xlsx<_> = open_workbook(path).expect("our workbook");
    let mut counts = Counts::default();
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let mut reader = wb.worksheet_cells_reader(&name).expect("our sheet");
        let mut text = String::new();
        let mut cells = Vec::new();
        let mut last: Option<(u32, u32)> = None;
        while let Some(cell) = reader.next_cell().expect("our cell") {
            let value = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) => {
                    counts.text += 1;
                    counts.empty_text += usize::from(s.is_empty());
                    push_text(&mut text, s)
                }
                DataRef::SharedString(s) => {
                    counts.text += 1;
                    counts.empty_text += usize::from(s.is_empty());
                    push_text(&mut text, s)
                }
                DataRef::Float(f) => {
                    counts.number += 1;
                    Value::Number(*f)
                }
                DataRef::Int(i) => {
                    counts.number += 1;
                    Value::Number(*i as f64)
                }
                DataRef::Bool(b) => {
                    counts.bool += 1;
                    Value::Bool(*b)
                }
                DataRef::DateTime(d) => {
                    counts.other += 1;
                    Value::Number(d.as_f64())
                }
                DataRef::Error(e) => {
                    counts.other += 1;
                    push_text(&mut text, &e.to_string())
                }
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    counts.other += 1;
                    push_text(&mut text, s)
                }
            };
            let (row, col) = cell.get_position();
            // Constant-memory mode drops a cell written above the current row: ours are in order.
            assert!(last < Some((row, col)), "{name}: cells out of order");
            last = Some((row, col));
            cells.push((row, col as u16, value));
        }
        sheets.push(Sheet { name, text, cells });
    }
    (sheets, counts)
}

/// The floor's write: exactly the read-back cells, same sheets and names, no formats,
/// constant-memory mode like ours, our zip level.
fn floor_write(sheets: &[Sheet], path: &Path, parallel: bool) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.set_zip_compression_level(jixiao::write::workbook::ZIP_LEVEL);
    wb.set_parallel_save(parallel);
    for sheet in sheets {
        let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
        ws.set_name(&sheet.name).expect("sheet name");
        for (row, col, value) in &sheet.cells {
            match value {
                Value::Text(a, b) => {
                    ws.write_string(*row, *col, &sheet.text[*a as usize..*b as usize])
                }
                Value::Number(n) => ws.write_number(*row, *col, *n),
                Value::Bool(b) => ws.write_boolean(*row, *col, *b),
            }
            .expect("write");
        }
    }
    wb.save(path).expect("save");
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// Returns the size's peak memory of consolidate (MiB).
fn bench(n: usize) -> f64 {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/{n}"));
    let marker = data.join(".complete");
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(&data);
        let g = synth::generate(&data, n, SEED).expect("generate");
        std::fs::write(&marker, format!("{g:?}")).expect("marker");
    }
    let files = floor::folder_files(&data).expect("data dir");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("汇总.xlsx");
    let json = out_dir.path().join("report.json");
    let floor_out = out_dir.path().join("floor.xlsx");
    let check_out = out_dir.path().join("check.json");
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
    let check = || {
        let report = std::fs::File::create(&check_out).expect("check report");
        let mut cmd = Command::new(jixiao);
        cmd.arg("check")
            .arg(&data)
            .args(["-q", "--format", "json"])
            .stdout(Stdio::from(report));
        run_measured(&mut cmd)
    };

    // Warm the page cache once, then measure, the runs interleaved.
    floor_read(&files);
    let (mut full, mut read, mut write, mut checked) = (vec![], vec![], vec![], vec![]);
    let (mut peak, mut check_peak) = (0f64, 0f64);
    let mut back = None;
    for _ in 0..RUNS {
        let (t, rss) = consolidate(None);
        full.push(t);
        peak = peak.max(rss);
        // Our workbook's cells, read back before the floor's clock starts (untimed, once).
        let (sheets, _) = back.get_or_insert_with(|| read_back(&out));
        let start = Instant::now();
        floor_write(sheets, &floor_out, false);
        write.push(start.elapsed());
        // The read and `check`, each a third of a second at 1,000 files, in pairs.
        for _ in 0..CHECK_PAIRS {
            let start = Instant::now();
            floor_read(&files);
            read.push(start.elapsed());
            let (t, rss) = check();
            checked.push(t);
            check_peak = check_peak.max(rss);
        }
    }
    let (sheets, counts) = back.expect("read back");
    let (full, read, write, checked) = (median(full), median(read), median(write), median(checked));
    let floor = read + write;
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("report")).expect("json");
    let size = |p: &Path| std::fs::metadata(p).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);

    let s = &report["summary"];
    println!(
        "{n} files: {} units, {} projects, {} indicators (medians of {RUNS} runs; the read and check of {})",
        s["units"],
        s["projects"],
        s["indicators"],
        RUNS * CHECK_PAIRS,
    );
    let per_sheet: Vec<String> = sheets
        .iter()
        .map(|s| format!("{} {}", s.name, s.cells.len()))
        .collect();
    println!(
        "  read-back of our workbook: {} cells ({} strings of which {} empty, {} numbers, {} bools, {} other) | {}",
        counts.total(),
        counts.text,
        counts.empty_text,
        counts.number,
        counts.bool,
        counts.other,
        per_sheet.join(", "),
    );
    let ratio = secs(full) / secs(floor);
    println!(
        "  consolidate {:.2} s ({:.0} files/s, {:.1} MiB) vs floor {:.2} s (read {:.2} + write {:.2}, {:.1} MiB): {ratio:.2}× (target ≤ 1.15×: {})",
        secs(full),
        n as f64 / secs(full),
        size(&out),
        secs(floor),
        secs(read),
        secs(write),
        size(&floor_out),
        verdict(ratio <= 1.15),
    );
    // The floor's write above is rust_xlsxwriter's save as published, one part after another;
    // ours asks the patched crate to compress its constant-memory sheets in parallel
    // (vendor/rust_xlsxwriter). The same bare write with that save, once, for comparison.
    let start = Instant::now();
    floor_write(&sheets, &floor_out, true);
    let parallel_write = start.elapsed();
    println!(
        "  floor write with the patched parallel save (one run): {:.2} s; consolidate vs read + that: {:.2}×",
        secs(parallel_write),
        secs(full) / secs(read + parallel_write),
    );
    let ratio = secs(checked) / secs(read);
    println!(
        "  check {:.2} s (JSON report {:.1} MiB, peak memory {check_peak:.0} MiB) vs floor read {:.2} s: {ratio:.2}× (target ≤ 2×: {})",
        secs(checked),
        size(&check_out),
        secs(read),
        verdict(ratio <= 2.0),
    );
    println!(
        "  check by layout, one thread each (one run): {}",
        by_layout(&files, jixiao, &check_out)
    );
    let (jobs1, rss1) = consolidate(Some("1"));
    let (jobs2, _) = consolidate(Some("2"));
    println!(
        "  peak memory of consolidate {peak:.0} MiB (--jobs 1: {rss1:.0} MiB) | --jobs 1 {:.2} s, --jobs 2 {:.2} s, speed-up {:.2}× (one run each)",
        secs(jobs1),
        secs(jobs2),
        secs(jobs1) / secs(jobs2),
    );
    peak
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
    let peaks: Vec<(usize, f64)> = sizes.iter().map(|&n| (n, bench(n))).collect();
    let smallest = peaks.iter().min_by_key(|p| p.0);
    let largest = peaks.iter().max_by_key(|p| p.0);
    if let (Some(&(small, a)), Some(&(large, b))) = (smallest, largest) {
        if large > small {
            let ratio = b / a;
            println!(
                "peak memory {large} files / {small} files: {b:.0} / {a:.0} MiB = {ratio:.2}× (target < 1.5×: {})",
                verdict(ratio < 1.5),
            );
        }
    }
}
