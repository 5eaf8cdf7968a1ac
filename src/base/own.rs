//! What jixiao writes that a later run must know again when it finds it among its inputs: the
//! property that marks its consolidated workbook, and the header rows of the CSV files it writes
//! (指标明细 with `--detail csv`, the issue list of `check --format csv`). Outputs are often
//! written into the folder the submissions are collected in; read back as submissions, they
//! would be reported as broken forms, or refused as inputs of the run that overwrites them.

/// The custom document property jixiao writes into its consolidated workbook.
pub const OWN_OUTPUT_PROPERTY: &str = "jixiao-output";

/// The header row of 指标明细, in a sheet or a CSV.
pub const DETAIL_HEADERS: [&str; 16] = [
    "单位",
    "项目",
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "实施周期指标值",
    "年度指标值",
    "实施周期比较符",
    "实施周期数值",
    "实施周期计量单位",
    "年度比较符",
    "年度数值",
    "年度计量单位",
    "来源文件",
    "来源位置",
];

/// The header row of the CSV report of `check --format csv`.
pub const REPORT_HEADERS: [&str; 10] = [
    "级别",
    "规则",
    "规则说明",
    "文件",
    "工作表",
    "行",
    "单元格",
    "单位",
    "项目",
    "说明",
];

/// Which of jixiao's CSV outputs a text file is, from its first bytes: its first line is
/// exactly one of their header rows (after the BOM they start with). `None` for anything else,
/// a submission with the same labels among others included.
pub fn own_csv(head: &[u8]) -> Option<&'static str> {
    let text = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let line = text.split(|&b| b == b'\n').next()?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line == DETAIL_HEADERS.join(",").as_bytes() {
        Some("jixiao 生成的指标明细 CSV（之前一次 consolidate --detail csv 的输出），不是报送表格")
    } else if line == REPORT_HEADERS.join(",").as_bytes() {
        Some("jixiao 生成的问题清单 CSV（之前一次 check --format csv 的输出），不是报送表格")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_its_own_csv_headers_and_nothing_else() {
        let detail = format!("\u{feff}{}\r\n甲,乙\r\n", DETAIL_HEADERS.join(","));
        assert!(own_csv(detail.as_bytes()).is_some_and(|w| w.contains("指标明细")));
        let report = format!("\u{feff}{}\r\n", REPORT_HEADERS.join(","));
        assert!(own_csv(report.as_bytes()).is_some_and(|w| w.contains("问题清单")));
        // Without the BOM, and as the only line: still ours.
        assert!(own_csv(DETAIL_HEADERS.join(",").as_bytes()).is_some());
        // A submission whose header holds the same labels and one more is not.
        let more = format!("{},备注\n", DETAIL_HEADERS.join(","));
        assert_eq!(own_csv(more.as_bytes()), None);
        assert_eq!(own_csv("项目名称,总计\n".as_bytes()), None);
        assert_eq!(own_csv(b""), None);
    }
}
