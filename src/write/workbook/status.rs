//! 报送情况: one row per input file, and per roster unit that did not submit.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Worksheet, XlsxError};

use super::write_header;
use crate::base::form::Form;
use crate::base::model::{FileStatus, Unit};
use crate::base::park::TablesBack;
use crate::base::text::excel_text;
use crate::base::text::format_amount;
use crate::consolidate::{unit_total, Consolidation};
use crate::write::official::{number, Formats};

/// 报送情况: one row per input file.
pub(super) fn write_status_sheet(
    ws: &mut Worksheet,
    form: &Form,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("报送情况")?;
    write_header(
        ws,
        &[
            ("文件", 40.0),
            ("单位", 30.0),
            ("单位名称来源", 14.0),
            ("版式", 18.0),
            ("项目数", 8.0),
            ("指标数", 8.0),
            ("总计", 14.0),
            ("错误", 6.0),
            ("警告", 6.0),
            ("状态", 12.0),
            ("说明", 50.0),
        ],
        f,
    )?;
    let amount = &f.plain_amount;
    for (i, sub) in c.files.iter().enumerate() {
        let row = i as u32 + 1;
        let tables = sub.tables_back().map_err(XlsxError::IoError)?;
        let units: Vec<&Unit> = tables.iter().flat_map(|t| &t.units).collect();
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        let mut sources: Vec<&str> = units.iter().map(|u| u.name_source.label()).collect();
        sources.dedup();
        ws.write_string(row, 0, excel_text(&sub.display))?;
        ws.write_string(row, 1, excel_text(&names.join("、")))?;
        ws.write_string(row, 2, excel_text(&sources.join("、")))?;
        if let Some(layout) = sub.layout() {
            ws.write_string(row, 3, layout.label())?;
        }
        if !units.is_empty() {
            let projects: usize = units.iter().map(|u| u.project_count()).sum();
            let indicators: usize = units.iter().map(|u| u.indicator_count()).sum();
            let total: Decimal = units.iter().map(|u| unit_total(form, u)).sum();
            ws.write_number(row, 4, projects as f64)?;
            ws.write_number(row, 5, indicators as f64)?;
            ws.write_number_with_format(row, 6, number(total), amount)?;
        }
        let (errors, warnings) = c.file_counts.get(i).copied().unwrap_or_default();
        ws.write_number(row, 7, errors as f64)?;
        ws.write_number(row, 8, warnings as f64)?;
        ws.write_string(row, 9, sub.status.label())?;
        let note = sub.note.clone().or_else(|| {
            matches!(sub.status, FileStatus::Failed | FileStatus::Duplicate)
                .then(|| sub.issues.first().map(|i| i.message.clone()))
                .flatten()
        });
        if let Some(note) = note {
            ws.write_string(row, 10, excel_text(&note))?;
        }
    }
    let mut row = c.files.len() as u32;
    for entry in &c.not_submitted {
        row += 1;
        ws.write_string(row, 1, excel_text(&entry.name))?;
        ws.write_number(row, 7, 1.0)?;
        ws.write_number(row, 8, 0.0)?;
        ws.write_string(row, 9, "未报送")?;
        let budget = entry
            .budget
            .map(|b| format!("，预算总额 {}", format_amount(b)))
            .unwrap_or_default();
        ws.write_string(
            row,
            10,
            format!(
                "名册中有此单位（{}{budget}），但没有收到报送",
                entry.place.describe()
            ),
        )?;
    }
    ws.autofilter(0, 0, row, 10)?;
    Ok(())
}
