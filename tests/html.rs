//! HTML tables read by the binary: a web page holding the wide form, the same bytes saved as
//! `.xls` (what web systems call an Excel download), a GBK copy, and an Office HTML export (see
//! tests/fixtures/README.md, `html/`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn html_fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/html").join(name)
}

/// The one unit every fixture holds: 示例单位甲's first two projects.
fn expected_units() -> Vec<(String, u64, u64, String)> {
    vec![("示例单位午".to_string(), 2, 11, "1485.35".to_string())]
}

/// `check --format json` on one file, asserting it read cleanly as the wide form on sheet 表1.
fn assert_reads(file: &Path) -> Value {
    let (code, report) = check_json(&[file]);
    assert_eq!(unit_rows(&report), expected_units(), "{}", file.display());
    assert_eq!(issue_list(&report), Vec::new(), "{}", file.display());
    assert_eq!(code, 0, "{}", file.display());
    let f = &report["files"][0];
    assert_eq!(f["status"], "ok");
    assert_eq!(f["layout"], "wide");
    assert_eq!(f["units"][0]["sheet"], "表1");
    assert_eq!(f["units"][0]["name_source"], "unit-row");
    assert_eq!(report["summary"]["total"], "1485.35");
    report
}

/// A report without the file paths, to compare two files' results.
fn without_paths(mut report: Value) -> Value {
    for f in report["files"].as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("path");
    }
    report
}

#[test]
fn a_web_page_holding_the_wide_form_is_read() {
    assert_reads(&html_fixture("wide.html"));
}

#[test]
fn html_saved_as_xls_reads_as_the_page_does() {
    let page = html_fixture("wide.html");
    let xls = html_fixture("wide_html.xls");
    assert_eq!(fs::read(&page).unwrap(), fs::read(&xls).unwrap());
    let from_page = assert_reads(&page);
    let from_xls = assert_reads(&xls);
    assert_eq!(without_paths(from_page), without_paths(from_xls));
    // Named .xlsx it is still HTML, not a broken zip.
    let dir = folder_with(&[]);
    let xlsx = dir.path().join("下载.xlsx");
    fs::copy(&page, &xlsx).unwrap();
    assert_reads(&xlsx);
}

#[test]
fn gbk_declared_in_a_meta_tag_is_decoded() {
    let gbk = fs::read(html_fixture("wide_gbk.html")).unwrap();
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the fixture is GBK, not UTF-8"
    );
    let page = assert_reads(&html_fixture("wide.html"));
    let from_gbk = assert_reads(&html_fixture("wide_gbk.html"));
    assert_eq!(without_paths(page), without_paths(from_gbk));
}

#[test]
fn an_office_html_export_named_xls_is_read() {
    let bytes = fs::read(html_fixture("export_gb2312.xls")).unwrap();
    assert!(bytes.starts_with(b"<html xmlns:o="));
    assert_reads(&html_fixture("export_gb2312.xls"));
}

#[test]
fn row_numbers_count_the_text_above_the_table() {
    // wide.html: 1 <h1> title, 2 单位名称, 3 单位：万元, 4 header, 5 合计, 6 unit row, 7 P1, 8 P2.
    let page = fs::read_to_string(html_fixture("wide.html")).unwrap();
    let wrong = page.replacen("<td>1,356.75</td>", "<td>1,356.76</td>", 1);
    assert_ne!(page, wrong);
    let dir = folder_with(&[]);
    let file = dir.path().join("wrong.html");
    fs::write(&file, wrong).unwrap();
    let (code, report) = check_json(&[&file]);
    assert_eq!(code, 1);
    assert_eq!(
        issue_list(&report),
        [
            ("subtotal-mismatch".into(), "wrong.html".into(), "B6".into()),
            ("sum-mismatch".into(), "wrong.html".into(), "B8".into()),
        ]
    );
    assert_eq!(report["issues"][1]["sheet"], "表1");
    assert_eq!(report["issues"][1]["project"], "河道保洁经费");
}

#[test]
fn consolidated_cells_hold_the_text_a_browser_shows() {
    let (_dir, out, run) = consolidate_to_temp(&html_fixture("wide.html"), &[]);
    assert_eq!(status(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let rows = read_sheet(&out, "汇总表");
    assert_eq!(text(&rows[3][0]), "合计");
    let p2 = rows
        .iter()
        .find(|r| text(&r[0]) == "河道保洁经费")
        .expect("P2 row");
    // The goal wraps over two source lines between Chinese characters: no space is added.
    assert_eq!(
        text(&p2[5]),
        "对辖区内12条河涌实施日常保洁，及时清理水面漂浮物和岸坡垃圾，保持河面整洁，改善水环境质量。"
    );
    assert!(text(&p2[6])
        .starts_with("1、1-产出指标；11-数量指标；保洁河涌数量；实施周期指标值:≥12条；"));
    let details = read_sheet(&out, "指标明细");
    let places: Vec<String> = details[1..].iter().map(|r| text(&r[15])).collect();
    assert_eq!(places.iter().filter(|p| *p == "表1!第 7 行").count(), 6);
    assert_eq!(places.iter().filter(|p| *p == "表1!第 8 行").count(), 5);
}

#[test]
fn folders_pick_up_html_files_and_a_page_without_a_table_is_no_form() {
    let dir = folder_with(&[]);
    fs::copy(html_fixture("wide.html"), dir.path().join("a.htm")).unwrap();
    fs::write(
        dir.path().join("b.html"),
        "<html><body><h1>2025年度项目支出绩效目标表</h1><p>无表格</p></body></html>",
    )
    .unwrap();
    fs::write(dir.path().join("c.html"), b"<html>\0\0\x01\x02<table>").unwrap();
    let (code, report) = check_json(&[dir.path()]);
    assert_eq!(code, 1);
    assert_eq!(unit_rows(&report), expected_units());
    assert_eq!(
        issue_list(&report),
        [
            ("no-form-found".into(), "b.html".into(), String::new()),
            ("unreadable-file".into(), "c.html".into(), String::new()),
        ]
    );
}

#[test]
fn text_with_markup_in_its_cells_stays_text() {
    // The seed's shape: a tab-separated web export whose cells hold <p>…</p>. It is not HTML
    // because it does not start with markup; the text reader strips the tags.
    let (_, seed_report) = check_json(&[&seed()]);
    assert!(!unit_rows(&seed_report).is_empty());
    assert_eq!(seed_report["files"][0]["status"], "ok");
}
