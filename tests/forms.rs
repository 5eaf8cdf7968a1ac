//! Official forms, next year's template, the 统计 sheet and printing. The outputs are read back by
//! jixiao itself (round trips), by openpyxl and by LibreOffice, which recalculates every formula
//! and prints to PDF. Needs python3 with openpyxl, LibreOffice, poppler-utils and a CJK font
//! (`scripts/test.sh` installs them).

mod common;

use std::path::Path;

use calamine::DataType;

use common::*;
use serde_json::Value;

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

#[test]
fn per_project_forms_read_back_to_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("申报表");
    let run = jixiao(&[
        "forms",
        "samples",
        "-o",
        out.to_str().unwrap(),
        "--layout",
        "project",
    ]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let (_, original) = check_json(&[&root().join("samples")]);
    let (_, again) = check_json(&[&out]);
    for key in ["projects", "indicators", "total", "infos"] {
        assert_eq!(again["summary"][key], original["summary"][key], "{key}");
    }
    // The per-project forms of the seed's unit (sent twice among the samples) make one unit
    // whose projects are each there twice: duplicate-project, not duplicate-unit; 总计 ≠ its
    // parts is the funding block's rule there.
    let rules = |r: &Value| -> Vec<String> {
        let mut v: Vec<String> = r["summary"]["by_rule"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    };
    let expected: Vec<String> = rules(&original)
        .into_iter()
        .map(|r| match r.as_str() {
            "sum-mismatch" => "funding-mismatch".to_string(),
            "duplicate-unit" => "duplicate-project".to_string(),
            _ => r,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(rules(&again), expected);
    assert_eq!(again["summary"]["by_rule"]["duplicate-project"], 18);

    // A4 portrait, fitted to the width, a page break before each project but the first
    // (read by openpyxl, another writer's reader).
    let report = python_code(
        r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["绩效目标表"]
print(ws.page_setup.orientation, ws.page_setup.paperSize, ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.fitToHeight,
      len(ws.row_breaks.brk), ws["A1"].value, ws["A2"].value, ws["D3"].value)
"#,
        &[&out.join("示例单位甲.xlsx")],
    );
    assert_eq!(
        report.trim(),
        "portrait 9 True 0 2 项目支出绩效目标表（含转移支付项目） 项目名称 实施单位"
    );
}

#[test]
fn wide_long_and_per_project_forms_of_one_table_consolidate_identically() {
    let wide = root().join("tests/fixtures/layouts/wide_reference.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    let run = jixiao(&[
        "forms",
        wide.to_str().unwrap(),
        "-o",
        forms.to_str().unwrap(),
        "--layout",
        "project",
        "-q",
    ]);
    assert_eq!(status(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let (_a, from_wide, _) = consolidate_to_temp(&wide, &[]);
    let (_b, from_forms, _) = consolidate_to_temp(&forms, &[]);
    assert_eq!(
        read_sheet(&from_forms, "汇总表"),
        read_sheet(&from_wide, "汇总表")
    );
    let (w, p) = (
        read_sheet(&from_wide, "指标明细"),
        read_sheet(&from_forms, "指标明细"),
    );
    assert_eq!(w.len(), p.len());
    for (r, (a, b)) in w.iter().zip(&p).enumerate() {
        assert_eq!(a[..14], b[..14], "指标明细 row {}", r + 1);
    }
}
