//! The consolidated workbook of samples/ read by two readers other than ours: openpyxl, and
//! LibreOffice recalculating every formula. Both must agree with the JSON report. Needs python3
//! with openpyxl and LibreOffice (`soffice`); `.ci/run` installs them.

mod common;

use std::process::Command;

use common::*;

#[test]
fn openpyxl_and_libreoffice_agree_with_the_report() {
    let (_dir, out, json, run) = consolidate_samples();
    assert_eq!(status(&run), 1);
    let check = Command::new("python3")
        .arg(root().join("tests/readback/check_workbook.py"))
        .arg(&out)
        .arg(&json)
        .output()
        .expect("python3 is needed for this test (with openpyxl and LibreOffice; see README)");
    let stdout = String::from_utf8_lossy(&check.stdout);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        check.status.success(),
        "readers disagree with the report:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("openpyxl: 合计 15443.71"), "{stdout}");
    assert!(stdout.contains("LibreOffice:"), "{stdout}");
}
