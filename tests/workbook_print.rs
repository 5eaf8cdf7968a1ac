//! The consolidated workbook as a clerk prints and reads it: every sheet's print setup, 问题清单
//! sorted by severity with the rules' Chinese titles, 统计's tables and charts, and the faults
//! marked on the cells of 汇总表 and of each unit's form (red for an error, amber for a warning,
//! with a note holding the message). The workbooks are read back with openpyxl
//! (`tests/readback/check_marks.py`) and printed with LibreOffice (`check_print.py`).

mod common;

use std::path::Path;

use common::*;
use jixiao::base::form::Form;
use jixiao::base::model::Unit;
use jixiao::write::forms::{form_paths, write_marked_unit_forms, FormLayout};
use jixiao::write::workbook::{counted_units, fault_marks};
use jixiao::{consolidate, discover, process};
use serde_json::Value;

const RED: &str = "FFC7CE";
const AMBER: &str = "FFEB9C";

/// What `check_marks.py` reads back from a workbook.
fn read_back(book: &Path) -> Value {
    serde_json::from_str(&python("check_marks.py", &[book])).unwrap()
}

/// samples/ consolidated: (folder, workbook, its read-back, JSON report).
fn samples() -> (tempfile::TempDir, std::path::PathBuf, Value, Value) {
    let (dir, out, json, run) = consolidate_samples();
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let report: Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let book = read_back(&out);
    (dir, out, book, report)
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A sheet's rows as read back (`check_marks.py` reads those of 问题清单 and 统计), each value as
/// its text.
fn rows_of(book: &Value, sheet: &str) -> Vec<Vec<String>> {
    book["rows"][sheet]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| s(v).to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_sheet_prints_a4_landscape_fitted_to_the_width_with_its_header_and_page_numbers() {
    let (_dir, out, book, _) = samples();
    let sheets = book["sheets"].as_object().unwrap();
    for name in ["汇总表", "指标明细", "问题清单", "报送情况", "统计"] {
        let setup = &sheets[name];
        assert_eq!(setup["orientation"], "landscape", "{name}: {setup}");
        assert_eq!(setup["paperSize"], 9, "{name}: A4, {setup}");
        assert_eq!(setup["fitToPage"], true, "{name}: {setup}");
        assert_eq!(setup["fitToWidth"], 1, "{name}: one page wide, {setup}");
        assert_eq!(setup["fitToHeight"], 0, "{name}: any number tall, {setup}");
        assert!(s(&setup["footer"]).contains("&P"), "{name}: {setup}");
        assert!(s(&setup["footer"]).contains("&N"), "{name}: {setup}");
        if name != "统计" {
            assert!(
                !s(&setup["print_title_rows"]).is_empty(),
                "{name}: header repeated, {setup}"
            );
        }
    }
    assert_eq!(sheets["问题清单"]["print_title_rows"], "$1:$1");
    assert_eq!(sheets["报送情况"]["print_title_rows"], "$1:$1");
    assert_eq!(sheets["指标明细"]["print_title_rows"], "$1:$1");
    // Printed by LibreOffice, every page holds the whole width: the first and the last header
    // label (报送情况's first page held only 文件 before).
    for sheet in ["报送情况", "问题清单", "指标明细"] {
        let stdout = python("check_print.py", &[&out, Path::new(sheet)]);
        assert!(stdout.contains("pages: "), "{sheet}: {stdout}");
    }
}

#[test]
fn issue_list_puts_errors_first_and_shows_the_rules_chinese_titles() {
    let (_dir, _out, book, report) = samples();
    let rows = book["rows"]["问题清单"].as_array().unwrap();
    assert_eq!(s(&rows[0][1]), "规则");
    let rank = |sev: &str| match sev {
        "错误" => 0,
        "警告" => 1,
        "提示" => 2,
        other => panic!("severity {other}"),
    };
    let listed: Vec<(usize, String, String, String)> = rows[1..]
        .iter()
        .map(|r| {
            (
                rank(s(&r[0])),
                s(&r[1]).to_string(),
                s(&r[2]).to_string(),
                s(&r[3]).to_string(),
            )
        })
        .collect();
    let ranks: Vec<usize> = listed.iter().map(|r| r.0).collect();
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "errors, then warnings, then infos: {ranks:?}"
    );
    assert!(ranks.contains(&0) && ranks.contains(&1) && ranks.contains(&2));
    // Within a severity, the report's order (by file and place) is kept.
    let mut expected: Vec<(usize, String, String, String)> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let sev = match s(&i["severity"]) {
                "error" => 0,
                "warning" => 1,
                _ => 2,
            };
            let rule = jixiao::base::issue::Rule::from_code(s(&i["rule"])).unwrap();
            (
                sev,
                format!("{}（{}）", rule.title(), rule.code()),
                s(&i["message"]).to_string(),
                s(&i["file"]).to_string(),
            )
        })
        .collect();
    expected.sort_by_key(|e| e.0);
    assert_eq!(listed, expected);
    let sum = listed
        .iter()
        .find(|r| r.1.contains("sum-mismatch"))
        .unwrap();
    assert_eq!(sum.1, "总计不等于各资金来源之和（sum-mismatch）");
    // 说明 is wide and wraps, and long messages get taller rows.
    let layout = &book["layout"]["问题清单"];
    assert!(layout["widths"][2].as_f64().unwrap() >= 50.0, "{layout}");
    let wrap = layout["wrap"].as_array().unwrap();
    let heights = layout["heights"].as_array().unwrap();
    for (i, r) in rows.iter().enumerate().skip(1) {
        assert_eq!(wrap[i][2], true, "说明 wraps on row {}", i + 1);
        if s(&r[2]).chars().count() > 40 {
            assert!(
                heights[i].as_f64().unwrap_or(0.0) > 15.0,
                "row {} is tall enough for {}",
                i + 1,
                s(&r[2])
            );
        }
    }
}

#[test]
fn statistics_wrap_their_text_tell_units_apart_and_count_categories_under_their_parent() {
    let (_dir, _out, book, _) = samples();
    let rows = rows_of(&book, "统计");
    let at = |label: &str| rows.iter().position(|r| r[0] == label).unwrap();

    // The seed's unit, sent twice, is told apart by its file in the table the chart shows.
    let units: Vec<&str> = rows[2..at("问题按规则")]
        .iter()
        .map(|r| r[0].as_str())
        .filter(|l| !l.is_empty())
        .collect();
    let mut distinct = units.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), units.len(), "{units:?}");
    assert!(units.contains(&"广州市规划和自然资源自动化中心（000_8ac005536caa6091.txt）"));
    assert!(
        units.contains(&"广州市规划和自然资源自动化中心（广州市规划和自然资源自动化中心.xlsx）")
    );
    assert!(
        units.contains(&"示例单位甲"),
        "a unit sent once keeps its name"
    );

    // 说明 of the rules wraps, in rows tall enough for it.
    let layout = &book["layout"]["统计"];
    let mismatch = rows
        .iter()
        .position(|r| r[0] == "category-mismatch")
        .unwrap();
    assert_eq!(layout["wrap"][mismatch][2], true);
    assert!(layout["heights"][mismatch].as_f64().unwrap_or(0.0) > 15.0);

    // The category-mismatch indicator of 示例单位乙 is not a second 22-社会效益 under 1-产出指标.
    let categories: Vec<(&str, &str, &str)> = rows[at("指标按类别") + 2..]
        .iter()
        .filter(|r| !r[0].is_empty())
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    let social: Vec<_> = categories.iter().filter(|c| c.1 == "22-社会效益").collect();
    assert_eq!(social.len(), 1, "{categories:?}");
    assert_eq!(social[0].0, "2-效益指标");
    let level2: Vec<&str> = categories.iter().map(|c| c.1).collect();
    let mut once = level2.clone();
    once.dedup();
    assert_eq!(once, level2, "each level 2 once: {categories:?}");
    assert!(
        categories.contains(&("类别有误", "类别有误", "1")),
        "{categories:?}"
    );
    let counted: usize = categories
        .iter()
        .map(|c| c.2.parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, 274, "every indicator counted once");
}

#[test]
fn each_chart_of_the_statistics_sits_whole_on_the_first_page() {
    let (_dir, _out, book, _) = samples();
    let charts = book["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 2, "{charts:?}");
    let setup = &book["sheets"]["统计"];
    // Fitted to the width only: the sheet prints at 100% or smaller, so a chart that fits
    // the page at 100% fits it printed.
    assert_eq!(setup["fitToWidth"], 1);
    assert_eq!(setup["fitToHeight"], 0);
    for chart in charts {
        let top = chart["top_pt"].as_f64().unwrap();
        let height = chart["height_pt"].as_f64().unwrap();
        let page = chart["printable_pt"].as_f64().unwrap();
        assert!(height > 100.0, "{chart}");
        assert!(top + height <= page, "on the first page: {chart}");
    }
}

/// The report's issue at this file and cell.
fn message<'a>(report: &'a Value, file: &str, cell: &str) -> &'a str {
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| s(&i["file"]).ends_with(file) && s(&i["cell"]) == cell)
        .map(|i| s(&i["message"]))
        .unwrap_or_else(|| panic!("no issue at {file} {cell}"))
}

/// The marked cell at this A1 address.
fn marked_at<'a>(marked: &'a [Value], cell: &str) -> &'a Value {
    marked
        .iter()
        .find(|m| s(&m["cell"]) == cell)
        .unwrap_or_else(|| panic!("{cell} is not marked: {marked:#?}"))
}

/// The 1-based row of 汇总表 whose column A is `name` (the first such row after `after`).
fn row_of(rows: &[Vec<calamine::Data>], name: &str, after: usize) -> usize {
    after
        + 1
        + rows[after..]
            .iter()
            .position(|r| text(&r[0]) == name)
            .unwrap_or_else(|| panic!("no row {name}"))
}

#[test]
fn faults_are_marked_in_red_or_amber_with_a_note_on_the_summary() {
    let (_dir, out, book, report) = samples();
    let marked = book["marked"]["汇总表"].as_array().unwrap();
    let rows = read_sheet(&out, "汇总表");
    let yi = row_of(&rows, "示例单位乙", 0);
    let check = |cell: String, fill: &str, source_cell: &str, file: &str| {
        let m = marked_at(marked, &cell);
        assert_eq!(s(&m["fill"]), fill, "{cell}: {m}");
        let expected = message(&report, file, source_cell);
        assert!(
            s(&m["comment"]).contains(expected),
            "{cell}'s note holds “{expected}”: {m}"
        );
    };
    // samples/README.md: one error per project row of 示例单位乙 (B7 C8 G9 G10 A11).
    let csv = "示例单位乙.csv";
    let row = row_of(&rows, "社区养老服务中心运营补助", yi - 1);
    check(format!("B{row}"), RED, "B7", csv);
    let row = row_of(&rows, "智慧社区平台建设项目", yi - 1);
    check(format!("C{row}"), RED, "C8", csv);
    let row = row_of(&rows, "全民健身设施更新经费", yi - 1);
    check(format!("G{row}"), RED, "G9", csv);
    let row = row_of(&rows, "垃圾分类宣传推广项目", yi - 1);
    check(format!("G{row}"), RED, "G10", csv);
    // The nameless row follows 垃圾分类宣传推广项目.
    assert_eq!(text(&rows[row][0]), "");
    check(format!("A{}", row + 1), RED, "A11", csv);
    // A warning only: amber, with its note.
    let row = row_of(&rows, "防汛物资储备经费", 0);
    check(format!("G{row}"), AMBER, "G12", "示例单位丙.ods");
    // A unit's own error (the seed's unit sent twice) marks its unit row.
    let first = row_of(&rows, "广州市规划和自然资源自动化中心", 0);
    let second = row_of(&rows, "广州市规划和自然资源自动化中心", first);
    let m = marked_at(marked, &format!("A{second}"));
    assert_eq!(s(&m["fill"]), RED);
    assert!(s(&m["comment"]).contains("已在"), "{m}");

    // Only faults are marked: every marked cell has its note, no cell of 示例单位甲 (no
    // error, no warning) is, and infos alone mark nothing.
    for m in marked {
        assert!(!s(&m["comment"]).is_empty(), "{m}");
        assert!(s(&m["fill"]) == RED || s(&m["fill"]) == AMBER, "{m}");
        assert!(!s(&m["comment"]).contains("成本指标（4-成本指标"), "{m}");
    }
    let jia = row_of(&rows, "示例单位甲", 0);
    let jia_rows: Vec<String> = (jia..jia + 4).map(|r| r.to_string()).collect();
    assert!(
        !marked.iter().any(|m| {
            let cell = s(&m["cell"]);
            jia_rows.iter().any(|r| cell[1..] == **r)
        }),
        "示例单位甲 has no fault"
    );
    assert!(marked.iter().filter(|m| s(&m["fill"]) == RED).count() >= 6);
}

#[test]
fn faults_are_marked_on_each_units_own_form() {
    let form = Form::default_form();
    let discovery = discover::discover(&[root().join("samples")]).unwrap();
    let submissions = process::process_all(&discovery.sources, &form, 2, true);
    let c = consolidate::consolidate(&form, submissions, &discovery, None);
    let owned = counted_units(&c).unwrap();
    let units: Vec<&Unit> = owned.iter().map(|u| u.as_ref()).collect();
    let dir = tempfile::tempdir().unwrap();
    let paths = form_paths(&units, dir.path());
    let marks = fault_marks(&form, &c).unwrap();
    assert_eq!(marks.len(), units.len());
    write_marked_unit_forms(&form, &units, &marks, &paths, FormLayout::List).unwrap();

    let yi = read_back(&dir.path().join("示例单位乙.xlsx"));
    let marked = yi["marked"]["绩效目标表"].as_array().unwrap();
    let bad = marked
        .iter()
        .find(|m| s(&m["value"]) == "待定")
        .expect("the bad amount is marked");
    assert_eq!(s(&bad["fill"]), RED);
    assert!(
        s(&bad["comment"]).contains("财政拨款“待定”不是数字"),
        "{bad}"
    );
    let sum = marked
        .iter()
        .find(|m| s(&m["value"]) == "370.5")
        .expect("the wrong 总计 is marked");
    assert_eq!(s(&sum["fill"]), RED);
    assert!(s(&sum["comment"]).contains("≠"), "{sum}");
    assert_eq!(
        marked.iter().filter(|m| s(&m["fill"]) == RED).count(),
        5,
        "one error per project row: {marked:#?}"
    );

    let ding = read_back(&dir.path().join("示例单位丁.xlsx"));
    let marked = ding["marked"]["绩效目标表"].as_array().unwrap();
    assert_eq!(marked.len(), 1, "{marked:#?}");
    assert_eq!(s(&marked[0]["fill"]), AMBER);
    assert!(s(&marked[0]["comment"]).contains("物资采购总成本"));

    let jia = read_back(&dir.path().join("示例单位甲.xlsx"));
    assert_eq!(jia["marked"]["绩效目标表"].as_array().unwrap().len(), 0);
}

/// 统计 is written in constant memory, so its charts are given the values they show: each
/// series' cached categories and values (what Excel and previewers draw before recomputing)
/// are the cells its ranges name, as openpyxl reads them. A cache left empty, or off by a row,
/// fails here.
#[test]
fn the_charts_of_the_statistics_cache_the_cells_they_show() {
    let (_dir, _out, book, _) = samples();
    let series = book["series"].as_array().unwrap();
    assert_eq!(series.len(), 2, "one series a chart: {series:?}");
    for s in series {
        for part in ["cat", "val"] {
            let range = &s[part];
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect()
            };
            let (cache, cells) = (strings(&range["cache"]), strings(&range["cells"]));
            assert!(cache.len() > 3, "{part} of {s}");
            if part == "val" {
                let numbers = |v: &[String]| -> Vec<f64> {
                    v.iter().map(|x| x.parse::<f64>().unwrap()).collect()
                };
                assert_eq!(numbers(&cache), numbers(&cells), "{s}");
            } else {
                assert_eq!(cache, cells, "{s}");
            }
        }
    }
    let units = &series[0]["cat"]["cache"];
    assert!(
        units
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == "广州市规划和自然资源自动化中心（000_8ac005536caa6091.txt）"),
        "{units}"
    );
}

/// A run of more units than a bar chart shows well: 统计 lists every unit in its table, and the
/// chart shows the 20 with the largest totals, from a table of their own at the sheet's end,
/// largest first (equal totals in the order of the table of every unit).
#[test]
fn the_statistics_chart_of_a_large_run_shows_its_largest_units() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let indicators = "1、1-产出指标；11-数量指标；场次；实施周期指标值:≥2场；年度指标值:≥2场。2、2-效益指标；22-社会效益；知晓率；实施周期指标值:≥80%；年度指标值:≥80%。3、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥90%；年度指标值:≥90%。4、4-成本指标；41-经济成本指标；单场成本；实施周期指标值:≤2万元；年度指标值:≤2万元。";
    // 25 units, their totals 1..=25 shuffled, but 5 made 6: two units share the 20th largest
    // total, and only the first of them is shown.
    let totals: Vec<u32> = (0..25)
        .map(|i| (i * 7) % 25 + 1)
        .map(|t| if t == 5 { 6 } else { t })
        .collect();
    for (i, total) in totals.iter().enumerate() {
        std::fs::write(
            input.join(format!("u{i:02}.csv")),
            format!(
                "单位名称：示例单位{i:02}\n单位：万元\n项目名称,总计,财政拨款,财政专户拨款,其他资金,绩效目标,绩效指标\n宣传经费,{total}.00,{total}.00,,,开展宣传活动,{indicators}\n"
            ),
        )
        .unwrap();
    }
    let (_out_dir, out, run) = consolidate_to_temp(&input, &[]);
    assert!(out.exists(), "{}", String::from_utf8_lossy(&run.stderr));
    let book = read_back(&out);
    let rows = rows_of(&book, "统计");

    // The table of every unit, in the order of the files.
    let all: Vec<&str> = rows[2..27].iter().map(|r| r[0].as_str()).collect();
    let names: Vec<String> = (0..25).map(|i| format!("示例单位{i:02}")).collect();
    assert_eq!(all, names);

    let mut order: Vec<usize> = (0..25).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(totals[i]), i));
    let expected: Vec<(String, String)> = order[..20]
        .iter()
        .map(|&i| (names[i].clone(), totals[i].to_string()))
        .collect();
    assert!(expected.contains(&("示例单位15".to_string(), "6".to_string())));
    assert!(
        !expected.iter().any(|(n, _)| n == "示例单位22"),
        "the second 6 is left out"
    );

    let title = rows
        .iter()
        .position(|r| r[0] == "总计最多的20个单位（万元）")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(rows[title + 1][..4], ["单位", "项目数", "指标数", "总计"]);
    let listed: Vec<(String, String)> = rows[title + 2..title + 22]
        .iter()
        .map(|r| (r[0].clone(), r[3].trim_end_matches(".0").to_string()))
        .collect();
    assert_eq!(listed, expected);
    assert!(rows[title + 22..]
        .iter()
        .all(|r| r.iter().all(|c| c.is_empty())));

    // The bar chart's series names those rows and caches their values.
    let series = &book["series"].as_array().unwrap()[0];
    let cached: Vec<&str> = series["cat"]["cache"]
        .as_array()
        .unwrap()
        .iter()
        .map(s)
        .collect();
    let shown: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(cached, shown);
    assert_eq!(series["cat"]["cache"], series["cat"]["cells"]);
    assert_eq!(
        s(&series["cat"]["formula"]),
        format!("统计!$A${}:$A${}", title + 3, title + 22)
    );
}
