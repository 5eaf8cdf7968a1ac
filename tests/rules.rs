//! The rule catalogue end to end: one fault per row gives one issue at its row, the seed gives
//! exactly what its review predicts, the roster finds who did not submit, and the report
//! formats and filters.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::*;
use serde_json::Value;

fn rule_fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/rules").join(name)
}

fn roster(name: &str) -> PathBuf {
    root().join("tests/fixtures/roster").join(name)
}

/// (rule, cell) of every issue.
fn rules_and_cells(report: &Value) -> Vec<(String, String)> {
    issue_list(report)
        .into_iter()
        .map(|(r, _, c)| (r, c))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(r, c)| (r.to_string(), c.to_string()))
        .collect()
}

#[test]
fn one_fault_per_row_gives_one_issue_at_its_row() {
    let (code, report) = check_json(&[&rule_fixture("one_fault_per_row.xlsx")]);
    assert_eq!(code, 1);
    let expected = [
        ("negative-amount", "E8"),
        ("amount-precision", "B9"),
        ("missing-goal", "F10"),
        ("duplicate-project", "A11"),
        ("indicator-numbering", "G12"),
        ("missing-output-indicator", "G13"),
        ("missing-benefit-indicator", "G14"),
        ("missing-satisfaction-indicator", "G15"),
        ("missing-cost-indicator", "G16"),
        ("missing-target-value", "G17"),
        ("trivial-target", "G18"),
        ("percent-over-100", "G19"),
        ("satisfaction-below", "G20"),
        ("annual-exceeds-period", "G21"),
        ("duplicate-indicator", "G22"),
        ("sum-mismatch", "B23"),
        ("bad-amount", "D24"),
        ("missing-indicators", "G25"),
        ("bad-indicator", "G26"),
        ("category-mismatch", "G27"),
        ("unknown-indicator-category", "G28"),
        ("missing-project-name", "A29"),
    ];
    assert_eq!(rules_and_cells(&report), pairs(&expected));
    let severities: BTreeMap<String, u64> = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| (k.to_string(), report["summary"][k].as_u64().unwrap()))
        .collect();
    assert_eq!(severities["errors"], 10);
    assert_eq!(severities["warnings"], 11);
    assert_eq!(severities["infos"], 1);
    // Every issue names its unit, and its project where the row has a name.
    for issue in report["issues"].as_array().unwrap() {
        assert_eq!(issue["unit"], "示例单位酉", "{issue}");
        assert_eq!(issue["sheet"], "Sheet1", "{issue}");
    }
}

#[test]
fn a_wrong_unit_row_or_grand_total_is_reported_where_it_is() {
    let (_, report) = check_json(&[&rule_fixture("wrong_subtotal.xlsx")]);
    assert_eq!(
        rules_and_cells(&report),
        pairs(&[("subtotal-mismatch", "B6"), ("subtotal-mismatch", "C6")])
    );
    let message = report["issues"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("单位行总计 ") && message.contains("（差 10.00）"),
        "{message}"
    );
    let (_, report) = check_json(&[&rule_fixture("wrong_total.csv")]);
    assert_eq!(
        rules_and_cells(&report),
        pairs(&[("total-mismatch", "B5"), ("total-mismatch", "E5")])
    );
    assert!(report["issues"][1]["message"]
        .as_str()
        .unwrap()
        .contains("（差 -5.00）"));
}

#[test]
fn the_seed_gives_exactly_what_its_review_predicts() {
    let (code, report) = check_json(&[&seed()]);
    assert_eq!(code, 0);
    let s = &report["summary"];
    assert_eq!(s["errors"], 0);
    assert_eq!(
        s["by_rule"],
        serde_json::json!({
            "missing-satisfaction-indicator": 4,
            "missing-cost-indicator": 17,
            "trivial-target": 3,
        })
    );
    let cells = |rule: &str| -> Vec<String> {
        issue_list(&report)
            .into_iter()
            .filter(|(r, _, _)| r == rule)
            .map(|(_, _, c)| c)
            .collect()
    };
    // 机构运行辅助经费 and three 2024 platform upgrades have no satisfaction indicator.
    assert_eq!(
        cells("missing-satisfaction-indicator"),
        ["G13", "G18", "G19", "G20"]
    );
    // Three 年度指标值:≥0.
    assert_eq!(cells("trivial-target"), ["G18", "G18", "G19"]);
    // The one project with a cost indicator (row 25) is the only one without the info.
    assert!(!cells("missing-cost-indicator").contains(&"G25".to_string()));
}

#[test]
fn roster_finds_who_did_not_submit_and_who_is_not_on_it() {
    for file in ["roster.xlsx", "roster.csv"] {
        let path = roster(file);
        let (code, report) = check_json_with(
            &[&root().join("samples")],
            &["--roster", path.to_str().unwrap()],
        );
        assert_eq!(code, 1);
        let roster_issues: Vec<(String, String, String)> = report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                ["missing-submission", "unknown-unit", "budget-mismatch"]
                    .contains(&i["rule"].as_str().unwrap())
            })
            .map(|i| {
                (
                    i["rule"].as_str().unwrap().to_string(),
                    i["unit"].as_str().unwrap().to_string(),
                    i["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(roster_issues.len(), 3, "{file}: {roster_issues:?}");
        assert_eq!(roster_issues[0].0, "budget-mismatch");
        assert_eq!(roster_issues[0].1, "示例单位丁");
        assert_eq!(
            roster_issues[0].2,
            "名册预算总额 1,200.00 ≠ 报送总计 1,239.85（差 -39.85）"
        );
        assert_eq!(roster_issues[1].0, "unknown-unit");
        assert_eq!(roster_issues[1].1, "示例单位巳");
        assert_eq!(roster_issues[2].0, "missing-submission");
        assert_eq!(roster_issues[2].1, "示例单位戌");
        // Names written "示例单位甲 " and "示例单位　丙" on the roster match their submissions.
        assert!(!roster_issues
            .iter()
            .any(|(_, u, _)| u == "示例单位甲" || u == "示例单位丙"));
    }
    let names_only = roster("roster_names_only.csv");
    let (_, report) = check_json_with(
        &[&root().join("samples")],
        &[
            "--roster",
            names_only.to_str().unwrap(),
            "--rule",
            "budget-mismatch",
        ],
    );
    assert_eq!(
        report["issues"].as_array().unwrap().len(),
        0,
        "no budgets, no mismatch"
    );
}

#[test]
fn the_unit_that_did_not_submit_has_a_row_in_the_status_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let path = roster("roster.xlsx");
    let run = jixiao(&[
        "consolidate",
        "samples",
        "--roster",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(status(&run), 1);
    let rows = read_sheet(&out, "报送情况");
    let missing = rows
        .iter()
        .find(|r| text(&r[1]) == "示例单位戌")
        .expect("row for 示例单位戌");
    assert_eq!(text(&missing[9]), "未报送");
    assert!(text(&missing[10]).contains("300.00"), "{:?}", missing[10]);
}

#[test]
fn text_report_has_a_summary_by_rule() {
    let out = jixiao(&["check", seed().to_str().unwrap()]);
    assert_eq!(status(&out), 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].ends_with("000_8ac005536caa6091.txt"), "{stdout}");
    assert!(lines[1].trim_start().starts_with("G12"), "{stdout}");
    let table: Vec<&str> = lines
        .iter()
        .skip_while(|l| !l.starts_with("规则"))
        .copied()
        .collect();
    assert_eq!(table.len(), 5, "{stdout}");
    assert!(table[1].starts_with("missing-satisfaction-indicator") && table[1].ends_with(" 4"));
    // Errors, then warnings, then infos.
    assert!(table[2].starts_with("trivial-target") && table[2].ends_with(" 3"));
    assert!(table[3].starts_with("missing-cost-indicator") && table[3].ends_with(" 17"));
    assert!(table[4].starts_with(
        "文件 1 个，单位 1 个，项目 18 个，指标 91 个；错误 0 个，警告 7 个，提示 17 个"
    ));
}

#[test]
fn csv_report_and_filters() {
    let seed = seed();
    let out = jixiao(&[
        "check",
        "--format",
        "csv",
        "--severity",
        "warning",
        seed.to_str().unwrap(),
    ]);
    assert_eq!(status(&out), 0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "级别",
            "规则",
            "规则说明",
            "文件",
            "工作表",
            "行",
            "单元格",
            "单位",
            "项目",
            "说明"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7, "infos hidden by --severity warning");
    assert!(rows.iter().all(|r| &r[0] == "警告"));
    assert_eq!(&rows[0][6], "G13");

    let (_, only) = check_json_with(&[&seed], &["--rule", "trivial-target"]);
    assert_eq!(only["issues"].as_array().unwrap().len(), 3);
    assert_eq!(
        only["summary"]["warnings"], 7,
        "the summary still counts everything"
    );

    let bad_rule = jixiao(&["check", "--rule", "no-such-rule", seed.to_str().unwrap()]);
    assert_eq!(status(&bad_rule), 2);
    assert!(String::from_utf8_lossy(&bad_rule.stderr).contains("no-such-rule"));
}

#[test]
fn an_unreadable_roster_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("名册.csv");
    std::fs::write(&bad, "序号,名称\n1,示例单位甲\n").unwrap();
    let out = jixiao(&[
        "check",
        "--roster",
        bad.to_str().unwrap(),
        seed().to_str().unwrap(),
    ]);
    assert_eq!(status(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("单位名称") && err.contains("名册.csv"),
        "{err}"
    );
}
