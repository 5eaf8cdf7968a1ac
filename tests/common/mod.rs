//! Helpers for the integration tests: run the real binary in a fresh temporary folder and read
//! its outputs back with readers other than our writer (serde_json, calamine).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The published seed table, as it is.
pub fn seed() -> PathBuf {
    root().join("samples/000_8ac005536caa6091.txt")
}

/// Runs jixiao with these arguments from the repository root.
pub fn jixiao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run jixiao")
}

/// The exit status, asserting the process was not killed by a panic or signal.
pub fn status(out: &Output) -> i32 {
    let code = out.status.code().expect("jixiao exited normally");
    assert_ne!(
        code,
        101,
        "jixiao panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    code
}

/// `check --format json` on these inputs: (exit status, report).
pub fn check_json(inputs: &[&Path]) -> (i32, Value) {
    check_json_with(inputs, &[])
}

/// `check --format json` with more options.
pub fn check_json_with(inputs: &[&Path], options: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--format", "json", "--quiet"];
    args.extend_from_slice(options);
    let owned: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    args.extend(owned.iter().map(String::as_str));
    let out = jixiao(&args);
    let code = status(&out);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

/// Consolidates samples/ into a fresh folder with the JSON report beside the workbook:
/// (folder, workbook, report path, run output).
pub fn consolidate_samples() -> (tempfile::TempDir, PathBuf, PathBuf, Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("汇总.xlsx");
    let json = dir.path().join("report.json");
    let run = jixiao(&[
        "consolidate",
        "samples",
        "-o",
        out.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    (dir, out, json, run)
}

/// `consolidate INPUT -o <fresh folder>/out.xlsx -q` plus `extra`: (the folder, the workbook,
/// the run's output).
pub fn consolidate_to_temp(input: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut args = vec![
        "consolidate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let run = jixiao(&args);
    (dir, out, run)
}

/// (unit, projects, indicators, total) of every unit of a report, in report order.
pub fn unit_rows(report: &Value) -> Vec<(String, u64, u64, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["units"].as_array().unwrap().clone())
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["projects"].as_u64().unwrap(),
                u["indicators"].as_u64().unwrap(),
                u["total"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Copies files into a fresh temporary folder (flat), returning the folder.
pub fn folder_with(files: &[PathBuf]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::copy(f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    dir
}

/// Every issue as (rule, file name, cell or ""), in report order.
pub fn issue_list(report: &Value) -> Vec<(String, String, String)> {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let file = Path::new(i["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                i["rule"].as_str().unwrap().to_string(),
                file,
                i["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A sheet of a workbook as rows of cells, read with calamine.
pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("open workbook with calamine");
    let range = wb.worksheet_range(sheet).expect("sheet exists");
    range.rows().map(<[Data]>::to_vec).collect()
}

/// A cell as text (numbers as calamine shows them).
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Runs one of the Python readback scripts; panics with its output when it fails.
pub fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg(root().join("tests/readback").join(script))
        .args(args)
        .output()
        .expect("python3 is needed (with openpyxl, LibreOffice, poppler-utils; see README)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Runs a Python snippet (`python3 -c`, openpyxl at hand) with these arguments; panics with its
/// output when it fails, else returns what it printed.
pub fn python_code(code: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("python3 is needed (with openpyxl; see README)");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
