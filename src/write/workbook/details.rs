//! 指标明细: one row per indicator, continued on 指标明细2… past Excel's row limit. Written one
//! submission at a time, in input order, so that a streaming consolidation writes the rows as
//! the files are processed.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::write_header;
use crate::base::model::{NumericTarget, Submission, Target};
use crate::base::text::excel_text;
use crate::write::official::{number, Formats};

/// The columns of 指标明细, with their widths.
const COLUMNS: [(&str, f64); 16] = [
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
];

/// 指标明细 being written: its sheets (indexes in the workbook) and the next row of the last.
pub(super) struct Details {
    sheets: Vec<usize>,
    row: u32,
    max_rows: u32,
}

impl Details {
    /// Adds 指标明细 to the workbook, with its header. Past `max_rows` rows (Excel's limit) the
    /// rows continue on 指标明细2, 指标明细3…, each with its header, added when needed.
    pub(super) fn new(
        workbook: &mut Workbook,
        f: &Formats,
        max_rows: u32,
    ) -> Result<Details, XlsxError> {
        let mut details = Details {
            sheets: Vec::new(),
            row: 1,
            max_rows: max_rows.max(2),
        };
        details.add_sheet(workbook, f)?;
        Ok(details)
    }

    fn add_sheet(&mut self, workbook: &mut Workbook, f: &Formats) -> Result<(), XlsxError> {
        let name = match self.sheets.len() {
            0 => "指标明细".to_string(),
            n => format!("指标明细{}", n + 1),
        };
        self.sheets.push(workbook.worksheets().len());
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        write_header(ws, &COLUMNS, f)?;
        self.row = 1;
        Ok(())
    }

    /// Writes the rows of a submission's indicators, with the parsed parts of both targets.
    pub(super) fn add(
        &mut self,
        workbook: &mut Workbook,
        sub: &Submission,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        for table in &sub.tables {
            let sheet = table.sheet.as_deref();
            for unit in &table.units {
                for project in &unit.projects {
                    let place = match sheet {
                        Some(s) => format!("{s}!第 {} 行", project.row),
                        None => format!("第 {} 行", project.row),
                    };
                    for (n, ind) in project.indicators.iter().enumerate() {
                        if self.row >= self.max_rows {
                            self.finish_sheet(workbook)?;
                            self.add_sheet(workbook, f)?;
                        }
                        let row = self.row;
                        let ws = self.sheet(workbook)?;
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
                        ws.write_string(row, 15, excel_text(&place))?;
                        self.row += 1;
                    }
                }
            }
        }
        Ok(())
    }

    fn sheet<'w>(&self, workbook: &'w mut Workbook) -> Result<&'w mut Worksheet, XlsxError> {
        let index = *self.sheets.last().unwrap_or(&0);
        workbook.worksheet_from_index(index)
    }

    /// The filter over the last sheet's rows: called when a sheet is full, and at the end.
    pub(super) fn finish_sheet(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let last = self.row - 1;
        if last >= 1 {
            self.sheet(workbook)?
                .autofilter(0, 0, last, COLUMNS.len() as u16 - 1)?;
        }
        Ok(())
    }
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
