//! Every layout and quirk of real submissions, each with a fixture written by another program
//! (openpyxl, LibreOffice; see tests/fixtures/README.md), read by the binary.

mod common;

use std::path::{Path, PathBuf};

use calamine::Data;
use common::*;
use serde_json::Value;

fn layout_fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/layouts").join(name)
}

/// (layout, unit, name source, projects, indicators, total) of every unit in the report.
fn units(report: &Value) -> Vec<(String, String, String, u64, u64, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let layout = f["layout"].as_str().unwrap_or("").to_string();
            f["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |u| {
                    (
                        layout.clone(),
                        u["name"].as_str().unwrap().to_string(),
                        u["name_source"].as_str().unwrap().to_string(),
                        u["projects"].as_u64().unwrap(),
                        u["indicators"].as_u64().unwrap(),
                        u["total"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn unit(
    layout: &str,
    name: &str,
    source: &str,
    p: u64,
    i: u64,
    total: &str,
) -> (String, String, String, u64, u64, String) {
    (
        layout.into(),
        name.into(),
        source.into(),
        p,
        i,
        total.into(),
    )
}

/// Checks a fixture: the units read, and no issue at all.
fn assert_reads(file: &Path, expected: &[(String, String, String, u64, u64, String)]) -> Value {
    let (code, report) = check_json(&[file]);
    assert_eq!(units(&report), expected, "{}", file.display());
    assert_eq!(issue_list(&report), Vec::new(), "{}", file.display());
    assert_eq!(code, 0);
    report
}

/// A one-unit fixture: read with no issue, and consolidated to these 合计 cells.
fn assert_fixture(
    name: &str,
    expected: (String, String, String, u64, u64, String),
    totals: [&str; 4],
) -> PathBuf {
    let file = layout_fixture(name);
    assert_reads(&file, &[expected]);
    let (_dir, out) = consolidate(&file, &[]);
    assert_eq!(grand_total(&out), totals, "{name}");
    file
}

/// Consolidates one input into a fresh folder and returns the workbook's path.
fn consolidate(input: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, out, run) = consolidate_to_temp(input, extra);
    status(&run);
    (dir, out)
}

/// The 合计 row of 汇总表: 总计, 财政拨款, 财政专户拨款, 其他资金 as cached.
fn grand_total(workbook: &Path) -> Vec<String> {
    let rows = read_sheet(workbook, "汇总表");
    assert_eq!(text(&rows[3][0]), "合计");
    rows[3][1..5].iter().map(text).collect()
}

#[test]
fn wide_reference() {
    assert_fixture(
        "wide_reference.xlsx",
        unit("wide", "示例单位甲", "unit-row", 3, 17, "1700.68"),
        ["1700.68", "1586.65", "81.68", "32.35"],
    );
}

#[test]
fn long_layout_with_merged_cells_and_a_two_row_header() {
    // Amounts merged over a project's indicator rows count once.
    assert_fixture(
        "long_merged.xlsx",
        unit("long", "示例单位甲", "title", 3, 17, "1700.68"),
        ["1700.68", "1586.65", "81.68", "32.35"],
    );
}

#[test]
fn long_layout_filled_on_the_first_row_only_in_ods() {
    assert_fixture(
        "long_first_row.ods",
        unit("long", "示例单位甲", "title", 3, 17, "1700.68"),
        ["1700.68", "1586.65", "81.68", "32.35"],
    );
}

/// The same data in the long and the wide layout consolidates to identical rows in 汇总表 and
/// 指标明细 (all but the source file and place).
#[test]
fn long_and_wide_consolidate_identically() {
    let (_a, wide) = consolidate(&layout_fixture("wide_reference.xlsx"), &[]);
    let wide_summary = read_sheet(&wide, "汇总表");
    let wide_indicators = read_sheet(&wide, "指标明细");
    assert_eq!(wide_indicators.len(), 18);
    // The same data as long layouts and as per-project forms (blocks stacked on one sheet, and
    // one block per sheet).
    for long_file in [
        "long_merged.xlsx",
        "long_first_row.ods",
        "project_blocks.xlsx",
        "project_sheets.ods",
    ] {
        let (_b, long) = consolidate(&layout_fixture(long_file), &[]);
        assert_eq!(
            read_sheet(&long, "汇总表"),
            wide_summary,
            "{long_file}: 汇总表"
        );
        let long_indicators = read_sheet(&long, "指标明细");
        assert_eq!(long_indicators.len(), wide_indicators.len(), "{long_file}");
        for (r, (l, w)) in long_indicators.iter().zip(&wide_indicators).enumerate() {
            assert_eq!(l[..14], w[..14], "{long_file}: 指标明细 row {}", r + 1);
        }
    }
}

#[test]
fn long_layout_with_one_value_column_sign_and_unit_apart_in_yuan() {
    let file = assert_fixture(
        "long_single_value.xls",
        unit("long", "示例单位辛", "title", 2, 12, "343.93"),
        ["343.93", "276.4", "35.18", "32.35"],
    );
    let (_dir, out) = consolidate(&file, &[]);
    let indicators = read_sheet(&out, "指标明细");
    let targets: Vec<(String, String)> = indicators[1..]
        .iter()
        .map(|r| (text(&r[5]), text(&r[7])))
        .collect();
    // 计算符号 + 指标值 + 计量单位 make one target; a text value stays as written.
    assert!(
        targets.iter().any(|(_, t)| t == "2025年12月31日前"),
        "{targets:?}"
    );
    assert!(
        targets
            .iter()
            .any(|(_, t)| t.starts_with('≥') && t.ends_with('%')),
        "{targets:?}"
    );
    assert!(
        targets.iter().any(|(_, t)| t.starts_with('≤')),
        "{targets:?}"
    );
    // A single 指标值 stands for both targets.
    for r in &indicators[1..] {
        assert_eq!(text(&r[6]), text(&r[7]), "{r:?}");
    }
}

#[test]
fn money_unit_in_a_header_applies_to_every_amount() {
    assert_fixture(
        "yuan_header.csv",
        unit("wide", "示例单位壬", "unit-row", 2, 11, "1572.08"),
        ["1572.08", "1490.25", "61.68", "20.15"],
    );
}

#[test]
fn values_as_they_arrive() {
    let file = assert_fixture(
        "quirks.xlsx",
        unit("wide", "示例单位癸", "unit-row", 3, 17, "1942.58"),
        ["1942.58", "1879.62", "42.81", "20.15"],
    );
    let (_dir, out) = consolidate(&file, &[]);
    let rows = read_sheet(&out, "汇总表");
    // "370.50万元", the float 0.30000000000000004 and "１，３２９．４２" as Excel would show them.
    assert_eq!(rows[5][1], Data::Float(370.5));
    assert_eq!(rows[5][3], Data::Float(0.3));
    assert_eq!(rows[6][2], Data::Float(1329.42));
    // Indicator text with half-width separators and line breaks, re-rendered canonically.
    let indicators = text(&rows[6][6]);
    assert!(
        indicators.starts_with("1、1-产出指标；11-数量指标；"),
        "{indicators}"
    );
    assert!(
        indicators.ends_with('。') && !indicators.contains('\n'),
        "{indicators}"
    );
}

#[test]
fn several_sheets_one_unit_each() {
    let file = layout_fixture("multi_sheet.xlsx");
    assert_reads(
        &file,
        &[
            unit("wide", "示例单位子", "unit-row", 2, 11, "1485.35"),
            unit("wide", "示例单位丑", "sheet", 1, 6, "215.33"),
        ],
    );
    let (_dir, out) = consolidate(&file, &[]);
    let files = read_sheet(&out, "报送情况");
    assert_eq!(text(&files[1][1]), "示例单位子、示例单位丑");
    assert_eq!(text(&files[1][2]), "单位行、工作表名");
}

#[test]
fn two_units_in_the_long_layout() {
    let file = layout_fixture("two_units_long.xlsx");
    assert_reads(
        &file,
        &[
            unit("long", "示例单位寅", "unit-row", 2, 11, "1485.35"),
            unit("long", "示例单位卯", "unit-row", 1, 6, "215.33"),
        ],
    );
}

#[test]
fn another_form_is_a_file_not_code() {
    let forms = root().join("tests/fixtures/forms");
    let data = forms.join("with_fund.csv");
    let form = forms.join("with_fund.toml");
    let run = jixiao(&[
        "check",
        "--format",
        "json",
        "--form",
        form.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    assert_eq!(status(&run), 0);
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["summary"]["total"], "300.00");
    assert_eq!(report["summary"]["errors"], 0);
    // The default form does not know 政府性基金拨款: its project then does not add up.
    let (code, report) = check_json(&[&data]);
    assert_eq!(code, 1);
    assert_eq!(
        issue_list(&report),
        [(
            "sum-mismatch".to_string(),
            "with_fund.csv".to_string(),
            "B7".to_string()
        )]
    );
    // The consolidated form has the extra column, in the custom form's order.
    let (_dir, out) = consolidate(&data, &["--form", form.to_str().unwrap()]);
    let rows = read_sheet(&out, "汇总表");
    assert_eq!(text(&rows[2][4]), "政府性基金拨款");
    assert_eq!(text(&rows[3][4]), "150");
}

#[test]
fn missing_column_and_money_unit_are_reported_and_the_rest_is_read() {
    let file = root().join("tests/fixtures/forms/no_goal_no_unit.csv");
    let (code, report) = check_json(&[&file]);
    assert_eq!(code, 1);
    let issues = &report["issues"];
    assert_eq!(issues[0]["rule"], "missing-column");
    assert_eq!(issues[0]["row"], 3);
    let message = issues[0]["message"].as_str().unwrap();
    assert!(
        message.contains("绩效目标") && message.contains("年度目标"),
        "{message}"
    );
    assert_eq!(issues[1]["rule"], "unknown-money-unit");
    assert_eq!(issues[1]["severity"], "warning");
    assert_eq!(report["summary"]["total"], "80.00");
    assert_eq!(report["summary"]["indicators"], 2);
}
