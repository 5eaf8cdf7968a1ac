//! `check` against the benchmark's floor read alone, many times over, for comparing builds
//! quickly (the benchmark's `check` line, without its minutes of `consolidate`):
//!
//!     cargo run --release --example check_ratio -- DIR RUNS JIXIAO...
//!
//! For each of `RUNS` rounds, the floor's parallel read of DIR (`benches/floor.rs`, in this
//! process, its rayon pool warm) is timed, then each JIXIAO binary's `check DIR -q --format json`
//! as a child with its report sent to a temporary file, the builds in turn (each round starting
//! with the next build, so that none always runs right after the read). Prints
//! the floor's median and, for each build, its median, its ratio to the floor's and every run.
//! The page cache is warmed by one untimed read first.

#[path = "../benches/floor.rs"]
mod floor;

use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(runs))) = (args.first(), args.get(1).map(|r| r.parse::<usize>()))
    else {
        eprintln!("usage: check_ratio DIR RUNS JIXIAO...");
        std::process::exit(2);
    };
    let builds = &args[2..];
    let files = floor::folder_files(std::path::Path::new(dir)).unwrap_or_else(|e| {
        eprintln!("check_ratio: {dir}: {e}");
        std::process::exit(1);
    });
    let report = std::env::temp_dir().join(format!("check_ratio_{}.json", std::process::id()));
    floor::floor_read(&files);
    let mut floor_runs = Vec::with_capacity(runs);
    let mut build_runs = vec![Vec::with_capacity(runs); builds.len()];
    for round in 0..runs.max(1) {
        let start = Instant::now();
        floor::floor_read(&files);
        floor_runs.push(start.elapsed().as_secs_f64());
        // The builds in turn, each round starting one further: none always follows the read.
        let first = round % builds.len().max(1);
        let order = (first..builds.len()).chain(0..first);
        for k in order {
            let (build, times) = (&builds[k], &mut build_runs[k]);
            let out = std::fs::File::create(&report).expect("report file");
            let start = Instant::now();
            let status = Command::new(build)
                .args(["check", dir, "-q", "--format", "json"])
                .stdout(Stdio::from(out))
                .stderr(Stdio::null())
                .status();
            times.push(start.elapsed().as_secs_f64());
            match status {
                Ok(s) if s.code().is_some_and(|c| c <= 1) => {}
                other => panic!("{build}: {other:?}"),
            }
        }
    }
    let _ = std::fs::remove_file(&report);
    let floor = median(&mut floor_runs);
    println!("floor read: median {floor:.3} s");
    for (build, times) in builds.iter().zip(&mut build_runs) {
        let shown: Vec<String> = times.iter().map(|t| format!("{t:.3}")).collect();
        let m = median(times);
        println!(
            "{build}: median {m:.3} s, {:.2}× the floor [{}]",
            m / floor,
            shown.join(" ")
        );
    }
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
