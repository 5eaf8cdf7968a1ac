//! 问题清单: one row per issue.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::write_header;
use crate::base::issue::{Issue, Severity};
use crate::base::text::excel_text;
use crate::consolidate::Consolidation;
use crate::write::official::{wrapped_height, Formats};

/// Width of the 说明 column, in characters; its text wraps.
const MESSAGE_WIDTH: f64 = 60.0;
/// Width of the 规则 column (title and code), in characters; its text wraps.
const RULE_WIDTH: f64 = 30.0;

/// What the 规则 column shows: the rule's Chinese title, its code beside it.
pub(super) fn rule_label(issue: &Issue) -> String {
    format!("{}（{}）", issue.rule.title(), issue.rule.code())
}

/// 问题清单: one row per issue, errors first, with a filter and a frozen header.
pub(super) fn write_issue_sheet(
    ws: &mut Worksheet,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("问题清单")?;
    write_header(
        ws,
        &[
            ("级别", 6.0),
            ("规则", RULE_WIDTH),
            ("说明", MESSAGE_WIDTH),
            ("文件", 40.0),
            ("工作表", 12.0),
            ("单元格", 8.0),
            ("单位", 30.0),
            ("项目", 36.0),
        ],
        f,
    )?;
    // Errors, then warnings, then infos, each severity in the report's order (by file and
    // place); parked infos are read back as they are written.
    let mut row = 0;
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        c.each_issue(Some(severity), |issue| {
            row += 1;
            write_issue_row(ws, row, issue, f)
        })?;
    }
    ws.autofilter(0, 0, row, 7)?;
    Ok(())
}

/// One issue's row of 问题清单.
fn write_issue_row(
    ws: &mut Worksheet,
    row: u32,
    issue: &Issue,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (wrap, top) = (&f.wrap_top, &f.top);
    let rule = rule_label(issue);
    let height = [
        wrapped_height(&rule, RULE_WIDTH),
        wrapped_height(&issue.message, MESSAGE_WIDTH),
    ]
    .into_iter()
    .flatten()
    .fold(None, |a: Option<f64>, h| Some(a.map_or(h, |a| a.max(h))));
    if let Some(height) = height {
        ws.set_row_height(row, height)?;
    }
    ws.write_string_with_format(row, 0, issue.severity.label(), top)?;
    ws.write_string_with_format(row, 1, excel_text(&rule), wrap)?;
    ws.write_string_with_format(row, 2, excel_text(&issue.message), wrap)?;
    ws.write_string_with_format(row, 3, excel_text(&issue.place.file), top)?;
    if let Some(s) = &issue.place.sheet {
        ws.write_string_with_format(row, 4, excel_text(s), top)?;
    }
    let at = issue
        .place
        .cell()
        .or_else(|| issue.place.row.map(|r| format!("第 {r} 行")));
    if let Some(at) = at {
        ws.write_string_with_format(row, 5, excel_text(&at), top)?;
    }
    if let Some(u) = &issue.unit {
        ws.write_string_with_format(row, 6, excel_text(u), top)?;
    }
    if let Some(p) = &issue.project {
        ws.write_string_with_format(row, 7, excel_text(p), top)?;
    }
    Ok(())
}
