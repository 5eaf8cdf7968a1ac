//! 问题清单: one row per issue.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::write_header;
use crate::consolidate::Consolidation;
use crate::write::official::Formats;

/// 问题清单: one row per issue, with a filter and a frozen header.
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
            ("规则", 22.0),
            ("说明", 70.0),
            ("文件", 40.0),
            ("工作表", 12.0),
            ("单元格", 8.0),
            ("单位", 30.0),
            ("项目", 36.0),
        ],
        f,
    )?;
    for (i, issue) in c.issues.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, issue.severity.label())?;
        ws.write_string(row, 1, issue.rule.code())?;
        ws.write_string(row, 2, &issue.message)?;
        ws.write_string(row, 3, &issue.place.file)?;
        if let Some(s) = &issue.place.sheet {
            ws.write_string(row, 4, s)?;
        }
        let at = issue
            .place
            .cell()
            .or_else(|| issue.place.row.map(|r| format!("第 {r} 行")));
        if let Some(at) = at {
            ws.write_string(row, 5, at)?;
        }
        if let Some(u) = &issue.unit {
            ws.write_string(row, 6, u)?;
        }
        if let Some(p) = &issue.project {
            ws.write_string(row, 7, p)?;
        }
    }
    ws.autofilter(0, 0, c.issues.len() as u32, 7)?;
    Ok(())
}
