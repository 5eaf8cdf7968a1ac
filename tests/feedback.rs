//! `jixiao feedback`: a workbook per unit to send back, its issues first, then a copy of its
//! sheets with the faulty cells marked; read back with openpyxl and printed with LibreOffice.

mod common;

use common::*;
use serde_json::Value;

/// Fills, notes, merges and print setup of a feedback workbook, read by openpyxl.
fn read_back(book: &std::path::Path) -> Value {
    let out = python_code(
        r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
sheets = []
for ws in wb.worksheets:
    marks = {c.coordinate: [c.fill.fgColor.rgb, c.comment.text if c.comment else None]
             for row in ws.iter_rows() for c in row
             if c.comment or (c.fill and c.fill.fgColor.rgb not in (None, "00000000"))}
    values = [[v for v in r] for r in ws.iter_rows(max_row=12, values_only=True)]
    sheets.append({"name": ws.title, "marks": marks, "merged": len(ws.merged_cells.ranges),
                   "landscape": ws.page_setup.orientation, "paper": ws.page_setup.paperSize,
                   "values": [[str(v) if v is not None else "" for v in r] for r in values]})
print(json.dumps(sheets, ensure_ascii=False))
"#,
        &[book],
    );
    serde_json::from_str(&out).unwrap()
}

#[test]
fn each_unit_gets_its_issues_and_its_own_table_marked() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("报送");
    std::fs::create_dir(&input).unwrap();
    for f in ["示例单位乙.csv", "示例单位甲.xls", "示例单位辰_申报表.xlsx"] {
        std::fs::copy(root().join("samples").join(f), input.join(f)).unwrap();
    }
    std::fs::copy(
        root().join("tests/fixtures/broken/truncated.xlsx"),
        input.join("坏文件.xlsx"),
    )
    .unwrap();
    let out = dir.path().join("审核意见");
    let run = jixiao(&[
        "feedback",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "坏文件_审核意见.xlsx",
            "示例单位乙_审核意见.xlsx",
            "示例单位甲_审核意见.xlsx",
            "示例单位辰_审核意见.xlsx"
        ]
    );

    // 乙: the five deliberate mistakes, errors listed first, and each marked red in the copy of
    // its table with the message as the note.
    let yi = read_back(&out.join("示例单位乙_审核意见.xlsx"));
    assert_eq!(yi[0]["name"], "问题清单");
    assert!(yi[0]["values"][3][0]
        .as_str()
        .unwrap()
        .starts_with("错误 5 个"));
    for (cell, text) in [
        ("B7", "总计 370.50 ≠"),
        ("C8", "待定"),
        ("G9", "没有绩效指标"),
        ("G10", "不属于一级指标"),
        ("A11", "项目名称为空"),
    ] {
        let mark = &yi[1]["marks"][cell];
        assert_eq!(mark[0], "FFFFC7CE", "{cell}: {mark}");
        assert!(mark[1].as_str().unwrap().contains(text), "{cell}: {mark}");
    }
    assert_eq!(yi[1]["landscape"], "landscape");
    assert_eq!(yi[1]["paper"], 9);

    // 甲 has no issue: 审核通过 with its totals, and its table unmarked.
    let jia = read_back(&out.join("示例单位甲_审核意见.xlsx"));
    assert_eq!(
        jia[0]["values"][3][0],
        "审核通过，3 个项目、17 个指标，总计 1,700.68 万元"
    );
    assert!(jia[1]["marks"].as_object().unwrap().is_empty());

    // 辰's long layout keeps its merged cells; its warning is amber.
    let chen = read_back(&out.join("示例单位辰_审核意见.xlsx"));
    assert!(
        chen[1]["merged"].as_u64().unwrap() > 10,
        "{}",
        chen[1]["merged"]
    );
    let marks = chen[1]["marks"].as_object().unwrap();
    assert!(marks.values().any(|m| m[0] == "FFFFEB9C"), "{marks:?}");

    // A file that could not be read gets its own feedback: the issue, no table.
    let broken = read_back(&out.join("坏文件_审核意见.xlsx"));
    assert_eq!(broken.as_array().unwrap().len(), 1);
    assert!(broken[0]["values"][6][1]
        .as_str()
        .unwrap()
        .contains("unreadable-file"));

    // It prints: every page of 乙's 问题清单 holds the whole width (LibreOffice).
    python(
        "check_print.py",
        &[
            &out.join("示例单位乙_审核意见.xlsx"),
            std::path::Path::new("问题清单"),
        ],
    );
}
