//! Official forms, next year's template, the 统计 sheet and printing. The outputs are read back by
//! jixiao itself (round trips), by openpyxl and by LibreOffice, which recalculates every formula
//! and prints to PDF. Needs python3 with openpyxl, LibreOffice, poppler-utils and a CJK font
//! (`scripts/test.sh` installs them).

mod common;

use std::path::Path;

use calamine::DataType;
use std::process::Command;

use common::*;
use serde_json::Value;

/// Runs one of the Python readback scripts; panics with its output when it fails.
fn python(script: &str, args: &[&Path]) -> String {
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

/// (unit, projects, indicators, total) of every unit, sorted.
fn unit_totals(report: &Value) -> Vec<(String, u64, u64, String)> {
    let mut units = unit_rows(report);
    units.sort();
    units
}

#[test]
fn forms_read_back_with_the_same_numbers_and_formulas_recalculate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("表格");
    let run = jixiao(&["forms", "samples", "-o", out.to_str().unwrap()]);
    assert_eq!(
        status(&run),
        1,
        "samples hold errors: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "广州市规划和自然资源自动化中心.xlsx",
            "广州市规划和自然资源自动化中心（2）.xlsx",
            "示例单位丁.xlsx",
            "示例单位丙.xlsx",
            "示例单位乙.xlsx",
            "示例单位巳.xlsx",
            "示例单位甲.xlsx",
            "示例单位辰.xlsx",
        ]
    );
    let (_, original) = check_json(&[&root().join("samples")]);
    let (_, again) = check_json(&[&out]);
    assert_eq!(unit_totals(&again), unit_totals(&original));
    assert_eq!(again["summary"]["total"], original["summary"]["total"]);
    // The forms carry the same faults as the submissions they came from, no more.
    assert_eq!(again["summary"]["by_rule"], original["summary"]["by_rule"]);

    // Each form: title, 单位名称, unit row; LibreOffice's recalculation equals the cached values.
    let rows = read_sheet(&out.join("示例单位甲.xlsx"), "绩效目标表");
    assert_eq!(text(&rows[0][0]), "项目支出绩效目标表（含转移支付项目）");
    assert_eq!(text(&rows[1][0]), "单位名称：示例单位甲");
    assert_eq!(text(&rows[1][6]), "单位：万元");
    assert_eq!(text(&rows[3][0]), "示例单位甲");
    assert_eq!(text(&rows[3][1]), "1700.68");
    let forms: Vec<std::path::PathBuf> = files.iter().map(|f| out.join(f)).collect();
    let mut args: Vec<&Path> = vec![Path::new("--recalc")];
    args.extend(forms.iter().map(|p| p.as_path()));
    let stdout = python("check_workbook.py", &args);
    assert_eq!(
        stdout
            .matches("recalculated, equal to the cached values")
            .count(),
        8,
        "{stdout}"
    );
}

#[test]
fn a_filled_template_consolidates_with_no_issue() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("模板.xlsx");
    let run = jixiao(&["template", "-o", template.to_str().unwrap()]);
    assert_eq!(status(&run), 0);
    // The blank template itself holds no data and no issue.
    let (code, blank) = check_json(&[&template]);
    assert_eq!(code, 0);
    assert_eq!(blank["summary"]["units"], 0);
    assert_eq!(blank["issues"].as_array().unwrap().len(), 0);
    assert_eq!(blank["files"][0]["layout"], "long");

    let filled = dir.path().join("填好的.xlsx");
    python("fill_template.py", &[&template, &filled]);
    let (code, report) = check_json(&[&filled]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["issues"].as_array().unwrap().len(), 0, "{report:#}");
    assert_eq!(
        unit_totals(&report),
        [("示例单位未".to_string(), 2, 9, "1485.35".to_string())]
    );
}

#[test]
fn the_consolidated_workbook_has_statistics() {
    let (_dir, out, json, run) = consolidate_samples();
    status(&run);
    let report: Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let rows = read_sheet(&out, "统计");
    assert_eq!(text(&rows[0][0]), "各单位总计（万元）");
    assert_eq!(
        rows[1][..4].iter().map(text).collect::<Vec<_>>(),
        ["单位", "项目数", "指标数", "总计"]
    );
    let units = report["summary"]["units"].as_u64().unwrap() as usize;
    let listed: f64 = rows[2..2 + units]
        .iter()
        .map(|r| r[3].as_f64().unwrap_or(0.0))
        .sum();
    let total: f64 = report["summary"]["total"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((listed - total).abs() < 0.005, "{listed} vs {total}");
    let rules: Vec<String> = rows.iter().map(|r| text(&r[0])).collect();
    assert!(
        rules.contains(&"问题按规则".to_string()) && rules.contains(&"trivial-target".to_string())
    );
    assert!(
        rules.contains(&"指标按类别".to_string()) && rules.contains(&"3-满意度指标".to_string())
    );
}

#[test]
fn the_summary_prints_on_the_page_width() {
    let (dir, out, _, run) = consolidate_samples();
    status(&run);
    let png = dir.path().join("page1.png");
    let stdout = python(
        "check_print.py",
        &[&out, Path::new("汇总表"), Path::new("--png"), &png],
    );
    let pages: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("pages: "))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(pages >= 2, "{stdout}");
    assert!(
        std::fs::metadata(&png).unwrap().len() > 10_000,
        "a rendered page"
    );
}
