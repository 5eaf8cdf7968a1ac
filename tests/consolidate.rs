//! End-to-end runs of the binary: the seed, the samples, broken files, encodings, exit statuses.

mod common;

use std::fs;
use std::path::Path;

use calamine::Data;
use common::*;
use serde_json::Value;

#[test]
fn seed_reads_exactly_as_published() {
    // The file as it is, from the shared folder beside this checkout; samples/ holds a
    // byte-for-byte copy (checked below) for checkouts without it.
    let shared = root().join("../shared/seed/000_8ac005536caa6091.txt");
    let path = if shared.exists() { shared } else { seed() };
    let (code, seed_report) = check_json(&[&path]);
    let s = &seed_report["summary"];
    assert_eq!(code, 0);
    assert_eq!(s["units"], 1);
    assert_eq!(s["projects"], 18);
    assert_eq!(s["indicators"], 91);
    assert_eq!(s["total"], "4671.23");
    assert_eq!(s["errors"], 0);
    let unit = &seed_report["files"][0]["units"][0];
    assert_eq!(unit["name"], "广州市规划和自然资源自动化中心");
    assert_eq!(unit["name_source"], "unit-row");
    assert_eq!(seed_report["files"][0]["layout"], "wide");
}

#[test]
fn seed_copy_in_samples_is_the_seed() {
    let shared = root().join("../shared/seed/000_8ac005536caa6091.txt");
    if let Ok(original) = fs::read(&shared) {
        assert_eq!(original, fs::read(seed()).unwrap());
    }
}

#[test]
fn samples_give_each_unit_its_total_and_each_fault_one_issue() {
    let (code, report) = check_json(&[&root().join("samples")]);
    let (_, errors_only) = check_json_with(&[&root().join("samples")], &["--severity", "error"]);
    assert_eq!(code, 1, "示例单位乙 has errors");
    let mut totals = unit_rows(&report);
    totals.sort();
    let expected = [
        ("广州市规划和自然资源自动化中心", "4671.23", 18, 91),
        ("广州市规划和自然资源自动化中心", "4671.23", 18, 91),
        ("示例单位丁", "1239.85", 3, 17),
        ("示例单位丙", "498.18", 2, 10),
        ("示例单位辰", "539.16", 3, 16),
        ("示例单位巳", "163.18", 2, 11),
        ("示例单位乙", "1960.20", 5, 21),
        ("示例单位甲", "1700.68", 3, 17),
    ];
    let mut expected: Vec<_> = expected
        .iter()
        .map(|(n, t, p, i)| (n.to_string(), *p, *i, t.to_string()))
        .collect();
    expected.sort();
    assert_eq!(totals, expected);
    assert_eq!(report["summary"]["total"], "15443.71");
    assert_eq!(report["summary"]["files"], 7);

    // samples/README.md lists one deliberate mistake per row of 示例单位乙.csv, plus the seed's
    // unit submitted twice: exactly these errors, at these cells.
    let issues = issue_list(&errors_only);
    let expected_issues = [
        ("duplicate-unit", "广州市规划和自然资源自动化中心.xlsx", ""),
        ("sum-mismatch", "示例单位乙.csv", "B7"),
        ("bad-amount", "示例单位乙.csv", "C8"),
        ("missing-indicators", "示例单位乙.csv", "G9"),
        ("category-mismatch", "示例单位乙.csv", "G10"),
        ("missing-project-name", "示例单位乙.csv", "A11"),
    ];
    let expected_issues: Vec<_> = expected_issues
        .iter()
        .map(|(r, f, c)| (r.to_string(), f.to_string(), c.to_string()))
        .collect();
    assert_eq!(issues, expected_issues);
    assert_eq!(
        errors_only["summary"], report["summary"],
        "filters do not change the summary"
    );
    let sum = &errors_only["issues"][1];
    assert_eq!(
        sum["message"],
        "总计 370.50 ≠ 财政拨款 300.00 + 财政专户拨款 60.50 + 其他资金 0.00 = 360.50（差 10.00）"
    );
    assert_eq!(sum["row"], 7);
    assert_eq!(sum["project"], "社区养老服务中心运营补助");
}

#[test]
fn consolidated_workbook_reads_back_with_calamine() {
    let (_dir, out, json, run) = consolidate_samples();
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("合计 15443.71 万元"),
        "summary on stderr: {stderr}"
    );
    let report: Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();

    // Written through a private temporary file, the output is still an ordinary, readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o644, 0o644, "{mode:o}");
    }
    let summary = read_sheet(&out, "汇总表");
    assert_eq!(text(&summary[0][0]), "项目支出绩效目标表（含转移支付项目）");
    assert_eq!(text(&summary[2][0]), "项目名称（资金使用单位）");
    assert_eq!(text(&summary[3][0]), "合计");
    // The 合计 formula's cached value is what the JSON report says.
    assert_eq!(
        text(&summary[3][1]),
        report["summary"]["total"].as_str().unwrap()
    );
    assert_eq!(text(&summary[4][0]), "广州市规划和自然资源自动化中心");
    assert_eq!(text(&summary[4][1]), "4671.23");
    // One unit row per unit plus one row per project, after title, unit line, header and 合计.
    let units = report["summary"]["units"].as_u64().unwrap() as usize;
    let projects = report["summary"]["projects"].as_u64().unwrap() as usize;
    assert_eq!(summary.len(), 4 + units + projects);
    // A project row: the amount is a number, the bad cell kept as written.
    let bad_row = summary
        .iter()
        .find(|r| text(&r[0]) == "智慧社区平台建设项目")
        .expect("project row");
    assert_eq!(bad_row[1], Data::Float(1200.0));
    assert_eq!(text(&bad_row[2]), "待定");

    let issues = read_sheet(&out, "问题清单");
    assert_eq!(issues.len(), 1 + report["issues"].as_array().unwrap().len());
    let sum = issues
        .iter()
        .find(|r| text(&r[1]).ends_with("（sum-mismatch）"))
        .unwrap();
    assert_eq!(text(&sum[5]), "B7");
    assert_eq!(text(&sum[0]), "错误");

    let indicators = read_sheet(&out, "指标明细");
    assert_eq!(
        indicators.len(),
        1 + report["summary"]["indicators"].as_u64().unwrap() as usize
    );
    let second = &indicators[2];
    assert_eq!(
        text(&second[5]),
        "农村集体经济组织成员与宅基地上房屋关联数（人数）"
    );
    assert_eq!(text(&second[11]), "≥");
    assert_eq!(second[12], Data::Float(210.0));
    assert_eq!(text(&second[13]), "万人");

    let files = read_sheet(&out, "报送情况");
    let statuses: Vec<(String, String)> = files[1..]
        .iter()
        .map(|r| (text(&r[0]), text(&r[9])))
        .collect();
    assert!(
        statuses.contains(&("samples/示例单位乙.csv".into(), "有错误".into())),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("samples/README.md".into(), "已跳过".into())),
        "{statuses:?}"
    );
}

#[test]
fn broken_files_are_listed_and_the_good_one_consolidated() {
    let fixtures = root().join("tests/fixtures/broken");
    let dir = folder_with(
        &[
            "empty.xlsx",
            "truncated.xlsx",
            "not_a_sheet.xlsx",
            "encrypted.xlsx",
            "good.xlsx",
        ]
        .map(|f| fixtures.join(f)),
    );
    let (_out_dir, out, run) = consolidate_to_temp(dir.path(), &[]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));

    let (_, report) = check_json(&[dir.path()]);
    let by_file: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = Path::new(f["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, f["status"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        by_file,
        [
            ("empty.xlsx", "failed"),
            ("encrypted.xlsx", "failed"),
            ("good.xlsx", "ok"),
            ("not_a_sheet.xlsx", "failed"),
            ("truncated.xlsx", "failed"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let rules: Vec<_> = issue_list(&report)
        .into_iter()
        .map(|(rule, file, _)| (rule, file))
        .collect();
    assert_eq!(
        rules,
        [
            ("unreadable-file", "empty.xlsx"),
            ("encrypted-file", "encrypted.xlsx"),
            ("unreadable-file", "not_a_sheet.xlsx"),
            ("unreadable-file", "truncated.xlsx"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );

    // The good file is consolidated; the broken ones are in 报送情况 and 问题清单 with the reason.
    let summary = read_sheet(&out, "汇总表");
    assert_eq!(text(&summary[4][0]), "示例单位戊");
    assert_eq!(text(&summary[3][1]), "1700.68");
    let files = read_sheet(&out, "报送情况");
    let empty = files
        .iter()
        .find(|r| text(&r[0]).ends_with("empty.xlsx"))
        .unwrap();
    assert_eq!(text(&empty[9]), "无法读取");
    assert!(text(&empty[10]).contains("空"), "{:?}", empty[10]);
    let issues = read_sheet(&out, "问题清单");
    let truncated = issues
        .iter()
        .find(|r| text(&r[3]).ends_with("truncated.xlsx"))
        .unwrap();
    assert!(text(&truncated[1]).ends_with("（unreadable-file）"));
    assert!(text(&truncated[2]).contains("xlsx"), "{:?}", truncated[2]);
}

#[test]
fn utf8_bom_csv_and_gbk_tsv_with_html() {
    let dir = root().join("tests/fixtures/gbk_bom");
    let (code, report) = check_json(&[&dir]);
    assert_eq!(code, 0, "{report:#}");
    let units: Vec<(String, String, u64)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let u = &f["units"][0];
            (
                u["name"].as_str().unwrap().to_string(),
                u["total"].as_str().unwrap().to_string(),
                u["indicators"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("示例单位庚".to_string(), "1700.68".to_string(), 17),
            ("示例单位己".to_string(), "1700.68".to_string(), 17),
        ]
    );
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn html_is_gone_from_the_consolidated_seed() {
    let (_dir, out, run) = consolidate_to_temp(&seed(), &[]);
    assert_eq!(status(&run), 0);
    let rows = read_sheet(&out, "汇总表");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let t = text(cell);
            assert!(
                !t.contains("<p>") && !t.contains("</p>"),
                "HTML left at row {} col {c}: {t}",
                r + 1
            );
        }
    }
    let amounts: Vec<String> = rows[4..].iter().map(|r| text(&r[1])).collect();
    assert!(amounts.contains(&"257.43".to_string()), "{amounts:?}");
    assert!(amounts.contains(&"1329.42".to_string()), "{amounts:?}");
}

#[test]
fn byte_identical_files_are_counted_once() {
    let dir = folder_with(&[seed()]);
    fs::copy(seed(), dir.path().join("copy.txt")).unwrap();
    let (code, report) = check_json(&[dir.path()]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["units"], 1);
    assert_eq!(report["summary"]["total"], "4671.23");
    let duplicates: Vec<&Value> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] == "duplicate-file")
        .collect();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0]["severity"], "warning");
    assert!(duplicates[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("copy.txt"));
    // The copy's issues are not counted twice: the seed's 7 warnings, once.
    assert_eq!(report["summary"]["warnings"], 8);
}

#[test]
fn same_report_whatever_the_thread_count() {
    let samples = root().join("samples");
    let run = |jobs: &str| {
        let out = jixiao(&[
            "check",
            "--format",
            "json",
            "-j",
            jobs,
            samples.to_str().unwrap(),
        ]);
        status(&out);
        out.stdout
    };
    assert_eq!(run("1"), run("4"));
}

#[test]
fn run_failures_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing_input = jixiao(&["check", "/nonexistent/folder"]);
    assert_eq!(status(&missing_input), 2);
    assert!(String::from_utf8_lossy(&missing_input.stderr).contains("/nonexistent/folder"));

    let bad_form = dir.path().join("form.toml");
    fs::write(&bad_form, "[form]\ntitle = \n").unwrap();
    let out = jixiao(&[
        "check",
        "--form",
        bad_form.to_str().unwrap(),
        seed().to_str().unwrap(),
    ]);
    assert_eq!(status(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("form.toml") && err.contains("line 2"), "{err}");

    let no_dir = jixiao(&[
        "consolidate",
        seed().to_str().unwrap(),
        "-o",
        "/nonexistent/dir/out.xlsx",
    ]);
    assert_eq!(status(&no_dir), 2);
    assert!(String::from_utf8_lossy(&no_dir.stderr).contains("/nonexistent/dir"));

    let input = dir.path().join("甲.xlsx");
    fs::copy(root().join("tests/fixtures/broken/good.xlsx"), &input).unwrap();
    let before = fs::read(&input).unwrap();
    let over_input = jixiao(&[
        "consolidate",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(status(&over_input), 2);
    assert_eq!(fs::read(&input).unwrap(), before, "the input is untouched");

    let no_args = jixiao(&["consolidate"]);
    assert_eq!(status(&no_args), 2);
}

#[test]
fn text_report_groups_by_file_and_ends_with_the_summary() {
    let out = jixiao(&["check", "samples"]);
    assert_eq!(status(&out), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("samples/示例单位乙.csv\n  B7"), "{stdout}");
    assert!(stdout.contains("bad-amount"), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("文件 7 个，单位 8 个，项目 54 个，指标 274 个；错误 6 个"),
        "{last}"
    );
}

/// A stray cell at XFD1048576 makes the sheet's rectangle 17 billion cells; building it (as
/// calamine's ranges do) asks for 550 GB and aborts the process. Read cell by cell, it is
/// one unit like any other.
#[test]
fn a_stray_cell_at_the_end_of_the_sheet_costs_nothing() {
    let (code, report) = check_json(&[&root().join("tests/fixtures/broken/stray_cell.xlsx")]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["summary"]["units"], 1);
    assert_eq!(report["summary"]["total"], "1700.68");
    assert_eq!(report["files"][0]["units"][0]["name"], "示例单位乾");
}

/// The entries of a zip (an .xlsx): name → bytes.
fn zip_entries(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// 汇总表 is written on a thread beside the other sheets, and both number their styles in one
/// table of the workbook's: every style is numbered before they start, so the workbook's bytes
/// do not depend on which thread came first. Only its creation time differs between two runs.
#[test]
fn the_workbook_is_the_same_bytes_every_run() {
    let (_a, first, run) = consolidate_to_temp(&root().join("samples"), &["-j", "2"]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let (_b, second, _) = consolidate_to_temp(&root().join("samples"), &["-j", "2"]);
    let (mut a, mut b) = (zip_entries(&first), zip_entries(&second));
    a.remove("docProps/core.xml");
    b.remove("docProps/core.xml");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two runs");
    }

    // No sheet numbered a style of its own while they were written: the workbook holds the
    // registered styles and Excel's default, no more.
    let styles = String::from_utf8(a["xl/styles.xml"].clone()).unwrap();
    let cell_xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .unwrap();
    let registered: std::collections::HashSet<rust_xlsxwriter::Format> =
        jixiao::write::official::Formats::new()
            .all()
            .into_iter()
            .chain([rust_xlsxwriter::Format::default()])
            .collect();
    assert_eq!(
        cell_xfs.matches("<xf ").count(),
        registered.len(),
        "{cell_xfs}"
    );
}
