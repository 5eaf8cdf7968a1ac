//! 指标明细: one row per indicator, continued on 指标明细2… past Excel's row limit.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{counted, write_header};
use crate::base::model::{NumericTarget, Target};
use crate::base::text::excel_text;
use crate::consolidate::Consolidation;
use crate::write::official::{number, Formats};

/// 指标明细: one row per indicator, with the parsed parts of both targets. Past `max_rows` rows
/// (Excel's limit) it continues on 指标明细2, 指标明细3…, each with its header.
pub(super) fn write_indicator_sheets(
    sheets: &mut [Worksheet],
    c: &Consolidation,
    f: &Formats,
    max_rows: u32,
) -> Result<(), XlsxError> {
    let mut rows = counted(c)
        .flat_map(|sub| sub.tables.iter().map(move |t| (sub, t)))
        .flat_map(|(sub, t)| t.units.iter().map(move |u| (sub, t, u)))
        .flat_map(|(sub, t, u)| u.projects.iter().map(move |p| (sub, t, u, p)))
        .flat_map(|(sub, t, u, p)| {
            p.indicators
                .iter()
                .enumerate()
                .map(move |(n, ind)| (sub, t, u, p, n, ind))
        });
    for ws in sheets {
        write_header(
            ws,
            &[
                ("单位", 30.0),
                ("项目", 36.0),
                ("序号", 6.0),
                ("一级指标", 14.0),
                ("二级指标", 16.0),
                ("三级指标", 30.0),
                ("实施周期指标值", 18.0),
                ("年度指标值", 18.0),
                ("实施周期比较符", 8.0),
                ("实施周期数值", 12.0),
                ("实施周期计量单位", 10.0),
                ("年度比较符", 8.0),
                ("年度数值", 12.0),
                ("年度计量单位", 10.0),
                ("来源文件", 40.0),
                ("来源位置", 14.0),
            ],
            f,
        )?;
        let mut row = 1u32;
        while row < max_rows {
            let Some((sub, table, unit, project, n, ind)) = rows.next() else {
                break;
            };
            ws.write_string(row, 0, excel_text(&unit.name))?;
            ws.write_string(row, 1, excel_text(&project.name))?;
            ws.write_number(row, 2, f64::from(ind.seq.unwrap_or(n as u32 + 1)))?;
            ws.write_string(row, 3, excel_text(&ind.level1.render()))?;
            ws.write_string(row, 4, excel_text(&ind.level2.render()))?;
            ws.write_string(row, 5, excel_text(&ind.name))?;
            ws.write_string(row, 6, excel_text(&ind.period.text))?;
            ws.write_string(row, 7, excel_text(&ind.annual.text))?;
            write_target_parts(ws, row, 8, &ind.period)?;
            write_target_parts(ws, row, 11, &ind.annual)?;
            ws.write_string(row, 14, excel_text(&sub.display))?;
            let place = match &table.sheet {
                Some(s) => format!("{s}!第 {} 行", project.row),
                None => format!("第 {} 行", project.row),
            };
            ws.write_string(row, 15, excel_text(&place))?;
            row += 1;
        }
        if row > 1 {
            ws.autofilter(0, 0, row - 1, 15)?;
        }
    }
    Ok(())
}

fn write_target_parts(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    target: &Target,
) -> Result<(), XlsxError> {
    if let Some(NumericTarget {
        comparison,
        number: n,
        unit,
    }) = target.numeric()
    {
        if let Some(op) = comparison {
            ws.write_string(row, col, op.symbol())?;
        }
        ws.write_number(row, col + 1, number(*n))?;
        if !unit.is_empty() {
            ws.write_string(row, col + 2, excel_text(unit))?;
        }
    }
    Ok(())
}
