//! Hostile input: files that must not stop a run, lose another file's data or make the process
//! allocate without bound; each gives its issue, naming the file. And output safety and
//! reproducibility: nothing half-written, the same answer whatever the threads or input order.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;

fn hostile(name: &str) -> PathBuf {
    root().join("tests/fixtures/hostile").join(name)
}

fn broken(name: &str) -> PathBuf {
    root().join("tests/fixtures/broken").join(name)
}

#[test]
fn every_hostile_file_gives_its_issue_and_the_others_are_consolidated() {
    let mut files: Vec<PathBuf> = [
        "zip_not_workbook.xlsx",
        "formula_errors.xlsx",
        "date1904.xlsx",
        "empty_rows.xlsx",
        "long_cell.xlsx",
        "zip_bomb.xlsx",
        "encrypted.xls",
        "shared_string_bomb.xlsx",
    ]
    .iter()
    .map(|f| hostile(f))
    .collect();
    files.extend(
        [
            "empty.xlsx",
            "truncated.xlsx",
            "not_a_sheet.xlsx",
            "encrypted.xlsx",
            "stray_cell.xlsx",
            "good.xlsx",
        ]
        .iter()
        .map(|f| broken(f)),
    );
    let dir = folder_with(&files);
    // A file over the size cap, without writing 300 MB: a sparse file.
    let big = fs::File::create(dir.path().join("big.csv")).unwrap();
    big.set_len(300 * 1024 * 1024).unwrap();
    drop(big);

    let (_out_dir, out, run) = consolidate_to_temp(dir.path(), &[]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let (_, report) = check_json(&[dir.path()]);
    let (_, errors_and_warnings) = check_json_with(&[dir.path()], &["--severity", "warning"]);
    let file_rules: Vec<(String, String)> = issue_list(&errors_and_warnings)
        .into_iter()
        .map(|(rule, file, _)| (file, rule))
        .collect();
    let expected = [
        ("big.csv", "file-too-large"),
        ("empty.xlsx", "unreadable-file"),
        ("encrypted.xls", "encrypted-file"),
        ("encrypted.xlsx", "encrypted-file"),
        ("formula_errors.xlsx", "bad-amount"),
        ("formula_errors.xlsx", "bad-amount"),
        ("long_cell.xlsx", "text-too-long"),
        ("not_a_sheet.xlsx", "unreadable-file"),
        ("shared_string_bomb.xlsx", "file-too-large"),
        ("truncated.xlsx", "unreadable-file"),
        ("zip_bomb.xlsx", "file-too-large"),
        ("zip_not_workbook.xlsx", "unreadable-file"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, r)| (f.to_string(), r.to_string()))
        .collect();
    assert_eq!(file_rules, expected);
    let messages: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("#DIV/0!")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|m| m.contains("#REF!")), "{messages:?}");
    assert!(
        messages.iter().any(|m| m.contains("压缩炸弹")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("300.0 MB")),
        "{messages:?}"
    );
    // 96 MB of text used by 40 cells: refused at the cap, not copied 40 times (4.1 GB before).
    assert!(
        messages
            .iter()
            .any(|m| m.contains("单元格文字已超过 256.0 MB 的上限")),
        "{messages:?}"
    );

    // The readable units are all there: 6 of them, 1,700.68 each (甲's data under other names).
    let units: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["units"].as_array().unwrap().clone())
        .map(|u| {
            format!(
                "{} {}",
                u["name"].as_str().unwrap(),
                u["total"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(units.len(), 6, "{units:?}");
    assert!(
        units.contains(&"示例单位震 1700.68".to_string()),
        "{units:?}"
    );
    assert!(
        units.contains(&"示例单位巽 1700.68".to_string()),
        "{units:?}"
    );
    assert!(
        units.contains(&"示例单位戊 1700.68".to_string()),
        "{units:?}"
    );

    // Every file is in 报送情况, the unreadable ones with their reason.
    let status_rows = read_sheet(&out, "报送情况");
    assert_eq!(status_rows.len(), 1 + 15);
    let bomb = status_rows
        .iter()
        .find(|r| text(&r[0]).ends_with("zip_bomb.xlsx"))
        .unwrap();
    assert_eq!(text(&bomb[9]), "无法读取");
    // The 1904 date system: the date in F7 reads as the date it shows.
    let summary = read_sheet(&out, "汇总表");
    assert!(summary.iter().any(|r| text(&r[5]) == "2025-09-30"));
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // The output path is a folder: the rename must fail, after the workbook was written aside.
    let out = dir.path().join("汇总.xlsx");
    fs::create_dir(&out).unwrap();
    let run = jixiao(&[
        "consolidate",
        seed().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(status(&run), 2);
    assert!(String::from_utf8_lossy(&run.stderr).contains("汇总.xlsx"));
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["汇总.xlsx"], "no temporary file left");
    assert!(out.is_dir());
}

/// Every sheet's cells, read with calamine.
fn cells_of(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).unwrap();
            (name, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

#[test]
fn the_same_answer_whatever_the_threads_or_the_input_order() {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "md"))
        .collect();
    files.sort();
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, jobs: &str, files: &[PathBuf]| {
        let out = dir.path().join(format!("{name}.xlsx"));
        let json = dir.path().join(format!("{name}.json"));
        let mut args = vec![
            "consolidate".to_string(),
            "-o".into(),
            out.display().to_string(),
            "--json".into(),
            json.display().to_string(),
            "-j".into(),
            jobs.into(),
            "-q".into(),
        ];
        args.extend(files.iter().map(|f| f.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        status(&jixiao(&args));
        (cells_of(&out), fs::read(&json).unwrap())
    };
    let (cells_1, json_1) = run("one", "1", &files);
    let (cells_8, json_8) = run("eight", "8", &files);
    let reversed: Vec<PathBuf> = files.iter().rev().cloned().collect();
    let (cells_r, json_r) = run("reversed", "2", &reversed);
    assert_eq!(json_1, json_8, "byte-identical JSON with 1 and 8 threads");
    assert_eq!(json_1, json_r, "byte-identical JSON in any input order");
    assert_eq!(
        cells_1, cells_8,
        "cell-identical workbooks with 1 and 8 threads"
    );
    assert_eq!(
        cells_1, cells_r,
        "cell-identical workbooks in any input order"
    );
    assert_eq!(cells_1.len(), 5);
}

#[test]
fn units_that_differ_only_by_invisible_or_compatibility_characters_are_one_unit() {
    // The same unit written eight ways, one file each: the seed's CSV shape, only the name
    // changed. Each later copy is a duplicate-unit of the first; the names stay as written.
    let seed = fs::read_to_string(root().join("tests/fixtures/gbk_bom/utf8_bom.csv")).unwrap();
    let names = [
        "示例单位己",
        "示例\u{200b}单位己", // zero-width space
        "示例单位\u{200c}己", // ZWNJ
        "\u{feff}示例单位己", // a BOM inside the name
        "示例单\u{00ad}位己", // soft hyphen
        "示例单位\u{2f30}",   // Kangxi radical ⼰ for 己
        "示例单位己\u{fe00}", // variation selector
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, name) in names.iter().enumerate() {
        let text = seed.replace("示例单位己", name);
        fs::write(dir.path().join(format!("{i}.csv")), text).unwrap();
    }
    let (_, report) = check_json(&[dir.path()]);
    let duplicates: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] == "duplicate-unit")
        .map(|i| i["unit"].as_str().unwrap())
        .collect();
    assert_eq!(duplicates, &names[1..], "{report:#}");
}

#[test]
fn a_note_merged_across_the_table_is_a_note() {
    // 填报人 and 注 lines merged over A:G under the table (openpyxl): filling merged cells copies
    // them into every column, and they must not become projects with bad amounts.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("签名行.xlsx");
    python_code(
        r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
ws["A12"] = "填报人：张三　　审核人：李四"
ws.merge_cells("A12:G12")
ws["A13"] = "注：金额单位为万元，合计 1,700.68"
ws.merge_cells("A13:G13")
wb.save(sys.argv[2])
"#,
        &[
            &root().join("tests/fixtures/layouts/wide_reference.xlsx"),
            &file,
        ],
    );
    let (code, report) = check_json(&[&file]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["projects"], 3);
    assert_eq!(report["issues"].as_array().unwrap().len(), 0, "{report:#}");
}

#[test]
fn text_in_utf16_without_a_bom_or_with_a_stray_nul_is_read() {
    let csv = fs::read_to_string(root().join("tests/fixtures/gbk_bom/utf8_bom.csv")).unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let dir = tempfile::tempdir().unwrap();
    // UTF-16LE with no BOM, as some exporters write it.
    let utf16: Vec<u8> = csv.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    fs::write(dir.path().join("utf16.csv"), utf16).unwrap();
    let (code, report) = check_json(&[&dir.path().join("utf16.csv")]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["total"], "1700.68", "{report:#}");
    // One NUL byte inside an amount: that cell is a bad amount, the file is read.
    let at = csv.find("1,356.75").unwrap();
    let damaged = format!("{}1,356\0.75{}", &csv[..at], &csv[at + "1,356.75".len()..]);
    fs::write(dir.path().join("nul.csv"), damaged).unwrap();
    let (_, report) = check_json(&[&dir.path().join("nul.csv")]);
    let rules: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "error")
        .map(|i| i["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"bad-amount"), "{report:#}");
    assert!(!rules.contains(&"unreadable-file"), "{report:#}");
    assert_eq!(report["summary"]["projects"], 3, "{report:#}");
}

#[test]
fn the_size_cap_comes_before_any_byte_is_read_duplicates_included() {
    // Three sparse files of 1 GB with the same size: hashed in full for duplicates, they took
    // 3.15 GB and 20 s. Over the cap, they are not read at all.
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.csv", "b.csv", "c.csv"] {
        let f = fs::File::create(dir.path().join(name)).unwrap();
        f.set_len(1 << 30).unwrap();
    }
    let (_, report) = check_json(&[dir.path()]);
    let rules: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["file-too-large"; 3], "{report:#}");
}

#[test]
fn outputs_must_differ_and_an_unwritable_one_stops_the_run_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("汇总.xlsx");
    // -o X --json X: refused, nothing written (it used to leave the JSON in place of the
    // workbook and say 已写入).
    let same = jixiao(&[
        "consolidate",
        "samples",
        "-o",
        out.to_str().unwrap(),
        "--json",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(status(&same), 2);
    assert!(String::from_utf8_lossy(&same.stderr).contains("同一个文件"));
    assert!(!out.exists());
    // An earlier workbook stays as it was when the JSON's folder cannot be written (/proc
    // refuses new files, even to root); no temporary file is left beside it.
    fs::write(&out, b"earlier").unwrap();
    let unwritable = jixiao(&[
        "consolidate",
        "samples",
        "-o",
        out.to_str().unwrap(),
        "--json",
        "/proc/jixiao-report.json",
        "-q",
    ]);
    assert_eq!(status(&unwritable), 2);
    assert_eq!(fs::read(&out).unwrap(), b"earlier");
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[cfg(unix)]
#[test]
fn a_run_stopped_by_sigterm_removes_its_temporary_files() {
    use std::time::{Duration, Instant};
    // Enough files that the run is still working when the signal comes: the seed, 60 times.
    let input = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(seed()).unwrap();
    for i in 0..60 {
        fs::write(
            input.path().join(format!("{i:02}.txt")),
            seed.replace("广州市规划和自然资源自动化中心", &format!("示例单位{i:02}")),
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("汇总.xlsx");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["consolidate", input.path().to_str().unwrap(), "-o"])
        .arg(&out)
        .args(["--jobs", "1", "-q"])
        .spawn()
        .unwrap();
    // The temporary output is made before the work starts: wait for it, then stop the run.
    let started = Instant::now();
    let tmp_exists = || {
        fs::read_dir(dir.path()).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".jixiao-")
        })
    };
    while !tmp_exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(tmp_exists(), "no temporary output appeared");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    if status.code() == Some(143) {
        assert!(left.is_empty(), "{left:?}");
    } else {
        // The run won the race and finished: its output is in place, and nothing else.
        assert_eq!(status.code(), Some(0), "{status:?}");
        assert_eq!(left.len(), 1, "{left:?}");
    }
}

#[test]
fn a_name_longer_than_a_cell_or_a_file_name_never_stops_a_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let csv = fs::read_to_string(root().join("tests/fixtures/gbk_bom/utf8_bom.csv")).unwrap();
    // A unit name of 40,000 characters outside the BMP (80,000 UTF-16 units in Excel's count),
    // and another of 90 Chinese characters (270 bytes: too long for a file name on Linux).
    let huge = "𠀀".repeat(40_000);
    let long = "长".repeat(90);
    fs::write(input.join("a.csv"), csv.replace("示例单位己", &huge)).unwrap();
    fs::write(input.join("b.csv"), csv.replace("示例单位己", &long)).unwrap();
    let (_out_dir, out, run) = consolidate_to_temp(&input, &[]);
    assert_eq!(status(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let (_, report) = check_json(&[&input]);
    let too_long: Vec<&str> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] == "text-too-long")
        .map(|i| i["message"].as_str().unwrap())
        .collect();
    assert_eq!(too_long.len(), 1, "{report:#}");
    assert!(
        too_long[0].starts_with("单位名称有 80,000 个字符"),
        "{}",
        too_long[0]
    );
    // The workbook holds the name cut to what a cell takes.
    let summary = read_sheet(&out, "汇总表");
    assert!(summary
        .iter()
        .any(|r| text(&r[0]).chars().count() == 16_383));
    // forms writes every unit, the long name's file name cut by bytes.
    let forms = dir.path().join("forms");
    let run = jixiao(&[
        "forms",
        input.to_str().unwrap(),
        "-o",
        forms.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(status(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let names: Vec<String> = fs::read_dir(&forms)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 255), "{names:?}");
}

#[test]
fn reports_are_safe_to_open_in_a_spreadsheet_and_to_print_on_a_terminal() {
    let csv = fs::read_to_string(root().join("tests/fixtures/gbk_bom/utf8_bom.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A unit name that is a formula, and a file name with an escape sequence that would clear
    // the screen.
    let file = dir.path().join("恶意\u{1b}[2J.csv");
    let text = csv.replace("示例单位己", "=1+2示例单位");
    fs::write(&file, text.replace("1,356.75", "待定")).unwrap();
    let out = jixiao(&["check", file.to_str().unwrap(), "--format", "csv"]);
    let report = String::from_utf8_lossy(&out.stdout);
    let mut reader = csv::Reader::from_reader(report.trim_start_matches('\u{feff}').as_bytes());
    let units: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[7].to_string())
        .collect();
    let named: Vec<&String> = units.iter().filter(|u| !u.is_empty()).collect();
    assert!(!named.is_empty());
    assert!(
        named.iter().all(|u| u.as_str() == "'=1+2示例单位"),
        "{units:?}"
    );
    let text = jixiao(&["check", file.to_str().unwrap()]);
    let shown = String::from_utf8_lossy(&text.stdout);
    assert!(!shown.contains('\u{1b}'), "{shown}");
    assert!(shown.contains("\\x1b[2J"), "{shown}");
}

/// Outputs of earlier runs written into the folder the submissions are in: the workbook, the
/// 指标明细 CSV and check's CSV report are each known as jixiao's own and skipped.
#[test]
fn earlier_outputs_among_the_inputs_are_skipped() {
    let dir = folder_with(&[root().join("samples/示例单位甲.xls")]);
    let out = dir.path().join("汇总表.xlsx");
    let json = dir.path().join("report.json");
    let consolidate = || {
        jixiao(&[
            "consolidate",
            dir.path().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--detail",
            "csv",
            "--json",
            json.to_str().unwrap(),
            "-q",
        ])
    };
    let first = consolidate();
    assert_eq!(
        status(&first),
        0,
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // check's CSV report, saved into the same folder as people do.
    let report = jixiao(&["check", "--format", "csv", dir.path().to_str().unwrap()]);
    assert_eq!(status(&report), 0);
    fs::write(dir.path().join("问题.csv"), &report.stdout).unwrap();
    // The same command again: the detail CSV it is about to replace is found in the folder,
    // known as jixiao's own and skipped, not refused as an input; so is the report.
    let again = consolidate();
    assert_eq!(
        status(&again),
        0,
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["summary"]["units"], 1);
    assert_eq!(report["summary"]["total"], "1700.68");
    let note_of = |name: &str| {
        let file = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not listed: {report}"));
        assert_eq!(file["status"], "skipped", "{file}");
        file["note"].as_str().unwrap().to_string()
    };
    assert!(note_of("汇总表_指标明细.csv").contains("jixiao 生成的指标明细 CSV"));
    assert!(note_of("问题.csv").contains("jixiao 生成的问题清单 CSV"));
    assert!(note_of("汇总表.xlsx").contains("jixiao 生成的汇总工作簿"));

    // A run that writes 指标明细 into the workbook leaves the earlier CSV alone, and says so.
    let sheets = jixiao(&[
        "consolidate",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status(&sheets), 0);
    let said = String::from_utf8_lossy(&sheets.stderr);
    assert!(
        said.contains("汇总表_指标明细.csv 是之前一次运行（--detail csv）写出的指标明细"),
        "{said}"
    );
    assert!(dir.path().join("汇总表_指标明细.csv").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_input_folder_never_blocks_the_run() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("samples/示例单位甲.xls"),
        dir.path().join("甲.xls"),
    )
    .unwrap();
    let fifo = dir.path().join("notes.pdf");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    // Named in the folder and on the command line too (a shell glob would name it).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["check", "--format", "json", "-q"])
        .arg(dir.path())
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("jixiao blocked on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["units"], 1);
    let fifo_entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("notes.pdf"))
        .unwrap();
    assert_eq!(fifo_entry["status"], "skipped");
}

#[test]
fn a_lock_file_named_on_the_command_line_is_skipped() {
    // A shell glob such as 报送/* names Excel's lock file too.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("甲.xls");
    fs::copy(root().join("samples/示例单位甲.xls"), &good).unwrap();
    let lock = dir.path().join("~$甲.xls");
    fs::write(&lock, b"\x0bJohn").unwrap();
    let (code, report) = check_json(&[&good, &lock]);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["issues"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("~$甲.xls"))
        .unwrap();
    assert_eq!(entry["status"], "skipped");
}
