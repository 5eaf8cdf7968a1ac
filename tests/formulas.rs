//! Formulas without cached values: workbooks written by scripts (openpyxl) store formulas and no
//! result. jixiao computes them from the sheet's own cells, and reports the ones it cannot
//! compute, never reading them as 0.

mod common;

use common::*;

#[test]
fn a_template_filled_by_a_script_reads_its_totals() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("模板.xlsx");
    assert_eq!(
        status(&jixiao(&["template", "-o", template.to_str().unwrap()])),
        0
    );
    let filled = dir.path().join("脚本填写.xlsx");
    python(
        "fill_template.py",
        &[&template, &filled, std::path::Path::new("--no-recalc")],
    );
    // openpyxl leaves the 总计 formulas without a value: they must be computed, not read as 0.
    let (code, report) = check_json(&[&filled]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["issues"].as_array().unwrap().len(), 0, "{report:#}");
    assert_eq!(report["summary"]["total"], "1485.35");
}

#[test]
fn sums_rounds_and_ifs_are_computed_and_the_rest_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("公式.xlsx");
    // The wide reference with 总计 as formulas over the funding columns, one 财政拨款 as ROUND,
    // one as IF, and one 总计 as a lookup into another sheet, which jixiao does not compute.
    python_code(
        r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
for r in (7, 8, 9):
    ws.cell(r, 2).value = f"=SUM(C{r}:E{r})"
ws.cell(7, 3).value = "=ROUND(96.404,2)"
ws.cell(9, 3).value = '=IF(D9>0,180,"")'
ws.cell(8, 2).value = "=VLOOKUP(A8,价格!A:B,2)"
wb.save(sys.argv[2])
"#,
        &[
            &root().join("tests/fixtures/layouts/wide_reference.xlsx"),
            &file,
        ],
    );
    let (code, report) = check_json(&[&file]);
    assert_eq!(code, 1, "{report:#}");
    let issues: Vec<(String, String)> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["rule"].as_str().unwrap().to_string(),
                i["cell"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // The uncomputed 总计 is reported once as a formula and once as an amount that is not a
    // number; the unit row then does not add up in that column alone. Nothing reads as 0.
    assert!(
        issues.contains(&("formula-not-evaluated".into(), "B8".into())),
        "{issues:?}"
    );
    assert!(
        issues.contains(&("bad-amount".into(), "B8".into())),
        "{issues:?}"
    );
    let message = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["rule"] == "formula-not-evaluated")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("=VLOOKUP(A8,价格!A:B,2)"), "{message}");
    // P1 and P3 are computed: 128.60 + 215.33, P2's 总计 left out.
    assert_eq!(report["summary"]["total"], "343.93");
    assert!(
        !issues.iter().any(|(r, _)| r == "sum-mismatch"),
        "computed totals agree with their parts: {issues:?}"
    );
}
