//! 指标明细: one row per indicator, continued on 指标明细2… past Excel's row limit, or written
//! to a CSV beside the workbook (`--detail csv`). Written one submission at a time, in input
//! order, so that a streaming consolidation writes the rows as the files are processed.

use std::borrow::Cow;
use std::io::Write;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::{write_header, StreamError};
use crate::base::model::{NumericTarget, Submission, Target};
use crate::base::own::DETAIL_HEADERS;
use crate::base::text::{csv_safe, excel_text};
use crate::write::official::{number, Formats};

/// The columns of 指标明细, with their widths.
const COLUMNS: [(&str, f64); 16] = {
    const WIDTHS: [f64; 16] = [
        30.0, 36.0, 6.0, 14.0, 16.0, 30.0, 18.0, 18.0, 8.0, 12.0, 10.0, 8.0, 12.0, 10.0, 40.0, 14.0,
    ];
    let mut columns = [("", 0.0); 16];
    let mut i = 0;
    while i < 16 {
        columns[i] = (DETAIL_HEADERS[i], WIDTHS[i]);
        i += 1;
    }
    columns
};

/// One cell of an 指标明细 row.
pub(super) enum Value<'a> {
    Text(Cow<'a, str>),
    Number(Decimal),
    Empty,
}

/// A cell of [`OwnedRows`]: its text as a range of the block's one string.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Text(usize, usize),
    Number(Decimal),
    Empty,
}

/// A submission's 指标明细 rows, made on a worker thread and written by the writer: their texts
/// in one string, each cell a range of it, and a text that repeats the one above it in its
/// column (the unit, the project, the file, the place) stored once. One allocation for all
/// the texts, where a string per cell cost an allocation on the worker and a free on the writer,
/// an eighth of a consolidation's time (glibc frees a block made on another thread slowly).
#[derive(Debug, Default, PartialEq)]
pub(super) struct OwnedRows {
    text: String,
    slots: Vec<Slot>,
}

impl OwnedRows {
    /// The rows, borrowing their texts.
    pub(super) fn rows(&self) -> impl Iterator<Item = [Value<'_>; 16]> + '_ {
        self.slots.chunks_exact(16).map(|row| {
            std::array::from_fn(|i| match row[i] {
                Slot::Text(from, to) => Value::Text(Cow::Borrowed(&self.text[from..to])),
                Slot::Number(n) => Value::Number(n),
                Slot::Empty => Value::Empty,
            })
        })
    }
}

/// A submission's 指标明细 rows, owning their text (see [`indicator_rows`]).
pub(super) fn owned_rows(sub: &Submission) -> OwnedRows {
    let mut block = OwnedRows::default();
    let mut above: Option<[Value<'_>; 16]> = None;
    for row in indicator_rows(sub) {
        let first = block.slots.len();
        for (col, value) in row.iter().enumerate() {
            let slot = match value {
                Value::Text(t) => {
                    let same =
                        matches!(&above, Some(a) if matches!(&a[col], Value::Text(u) if u == t));
                    match block.slots.get((first + col).wrapping_sub(16)) {
                        Some(&slot @ Slot::Text(..)) if same => slot,
                        _ => {
                            let from = block.text.len();
                            block.text.push_str(t);
                            Slot::Text(from, block.text.len())
                        }
                    }
                }
                Value::Number(n) => Slot::Number(*n),
                Value::Empty => Slot::Empty,
            };
            block.slots.push(slot);
        }
        above = Some(row);
    }
    block
}

/// The rows of a submission's indicators, with the parsed parts of both targets.
pub(super) fn indicator_rows(sub: &Submission) -> impl Iterator<Item = [Value<'_>; 16]> + '_ {
    sub.tables.iter().flat_map(move |table| {
        let sheet = table.sheet.as_deref();
        table.units.iter().flat_map(move |unit| {
            unit.projects.iter().flat_map(move |project| {
                let place = match sheet {
                    Some(s) => format!("{s}!第 {} 行", project.row),
                    None => format!("第 {} 行", project.row),
                };
                project.indicators.iter().enumerate().map(move |(n, ind)| {
                    let [p_op, p_num, p_unit] = target_parts(&ind.period);
                    let [a_op, a_num, a_unit] = target_parts(&ind.annual);
                    [
                        Value::Text(Cow::Borrowed(&unit.name)),
                        Value::Text(Cow::Borrowed(&project.name)),
                        Value::Number(Decimal::from(ind.seq.unwrap_or(n as u32 + 1))),
                        Value::Text(Cow::Owned(ind.level1.render())),
                        Value::Text(Cow::Owned(ind.level2.render())),
                        Value::Text(Cow::Borrowed(&ind.name)),
                        Value::Text(Cow::Borrowed(&ind.period.text)),
                        Value::Text(Cow::Borrowed(&ind.annual.text)),
                        p_op,
                        p_num,
                        p_unit,
                        a_op,
                        a_num,
                        a_unit,
                        Value::Text(Cow::Borrowed(&sub.display)),
                        Value::Text(Cow::Owned(place.clone())),
                    ]
                })
            })
        })
    })
}

/// A numeric target's comparison, number and unit; empty cells for another target.
fn target_parts(target: &Target) -> [Value<'_>; 3] {
    match target.numeric() {
        Some(NumericTarget {
            comparison,
            number,
            unit,
        }) => [
            comparison.map_or(Value::Empty, |op| Value::Text(Cow::Borrowed(op.symbol()))),
            Value::Number(*number),
            if unit.is_empty() {
                Value::Empty
            } else {
                Value::Text(Cow::Borrowed(unit))
            },
        ],
        None => [Value::Empty, Value::Empty, Value::Empty],
    }
}

/// Where 指标明细 goes: sheets of the workbook, or a CSV file beside it.
pub enum DetailTarget {
    Sheets,
    /// The CSV (UTF-8 with a BOM, for Excel and WPS), written as the rows come; the workbook's
    /// 指标明细 sheet then only says where the rows are, under this name.
    Csv {
        file: std::fs::File,
        name: String,
    },
}

/// 指标明细 being written: its sheets (indexes in the workbook) and the next row of the last,
/// or the CSV.
pub(super) struct Details {
    sheets: Vec<usize>,
    row: u32,
    max_rows: u32,
    csv: Option<(csv::Writer<std::io::BufWriter<std::fs::File>>, String)>,
    /// Rows written in all.
    rows: u64,
}

impl Details {
    /// Adds 指标明细 to the workbook, with its header. Past `max_rows` rows (Excel's limit) the
    /// rows continue on 指标明细2, 指标明细3…, each with its header, added when needed. With a
    /// CSV target, the header goes to the CSV, and the sheet is filled at the end with a note.
    pub(super) fn new(
        workbook: &mut Workbook,
        f: &Formats,
        max_rows: u32,
        target: DetailTarget,
    ) -> Result<Details, StreamError> {
        let mut details = Details {
            sheets: Vec::new(),
            row: 1,
            max_rows: max_rows.max(2),
            csv: None,
            rows: 0,
        };
        match target {
            DetailTarget::Sheets => details.add_sheet(workbook, f)?,
            DetailTarget::Csv { file, name } => {
                let mut out = std::io::BufWriter::new(file);
                out.write_all("\u{feff}".as_bytes())
                    .map_err(StreamError::DetailCsv)?;
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(COLUMNS.iter().map(|(label, _)| *label))
                    .map_err(csv_error)?;
                details.csv = Some((csv, name));
                details.sheets.push(workbook.worksheets().len());
                workbook
                    .add_worksheet_with_constant_memory()?
                    .set_name("指标明细")?;
            }
        }
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

    /// Whether the rows go to sheets (not to a CSV).
    pub(super) fn in_sheets(&self) -> bool {
        self.csv.is_none()
    }

    /// Writes rows of indicators: a submission's as they are ([`indicator_rows`]), or as a
    /// worker made them ([`owned_rows`]).
    pub(super) fn add<'a>(
        &mut self,
        workbook: &mut Workbook,
        rows: impl IntoIterator<Item = [Value<'a>; 16]>,
        f: &Formats,
    ) -> Result<(), StreamError> {
        for values in rows {
            self.rows += 1;
            if let Some((csv, _)) = &mut self.csv {
                csv.write_record(values.iter().map(|v| match v {
                    Value::Text(t) => csv_safe(t).into_owned(),
                    Value::Number(n) => n.normalize().to_string(),
                    Value::Empty => String::new(),
                }))
                .map_err(csv_error)?;
                continue;
            }
            if self.row >= self.max_rows {
                self.finish_sheet(workbook)?;
                self.add_sheet(workbook, f)?;
            }
            let row = self.row;
            let ws = self.sheet(workbook)?;
            for (col, value) in values.iter().enumerate() {
                match value {
                    Value::Text(t) => {
                        ws.write_string(row, col as u16, excel_text(t))?;
                    }
                    Value::Number(n) => {
                        ws.write_number(row, col as u16, number(*n))?;
                    }
                    Value::Empty => {}
                }
            }
            self.row += 1;
        }
        Ok(())
    }

    fn sheet<'w>(&self, workbook: &'w mut Workbook) -> Result<&'w mut Worksheet, XlsxError> {
        let index = *self.sheets.last().unwrap_or(&0);
        workbook.worksheet_from_index(index)
    }

    /// Ends 指标明细: the last sheet's filter, or the CSV written out and the note on where it is.
    pub(super) fn finish(
        &mut self,
        workbook: &mut Workbook,
        f: &Formats,
    ) -> Result<(), StreamError> {
        let Some((csv, name)) = self.csv.take() else {
            return Ok(self.finish_sheet(workbook)?);
        };
        let file = csv
            .into_inner()
            .map_err(|e| StreamError::DetailCsv(e.into_error()))?
            .into_inner()
            .map_err(|e| StreamError::DetailCsv(e.into_error()))?;
        file.sync_all().map_err(StreamError::DetailCsv)?;
        let ws = self.sheet(workbook)?;
        ws.set_column_width(0, 90)?;
        ws.write_string_with_format(0, 0, "说明", &f.header)?;
        ws.write_string(
            1,
            0,
            format!(
                "指标明细共 {} 行，另存为本工作簿旁的 CSV 文件：{name}",
                self.rows
            ),
        )?;
        Ok(())
    }

    /// The filter over the last sheet's rows, and the end of its rows: called when a sheet is
    /// full, and at the end.
    fn finish_sheet(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let last = self.row - 1;
        let ws = self.sheet(workbook)?;
        if last >= 1 {
            ws.autofilter(0, 0, last, COLUMNS.len() as u16 - 1)?;
        }
        // The sheet takes no more rows: its deflating thread and buffers go now (about 2 MiB),
        // not at the save, while the next sheet or the whole-run sheets are written.
        ws.end_rows()
    }
}

/// A CSV writer's error, as the error of the CSV file.
fn csv_error(e: csv::Error) -> StreamError {
    StreamError::DetailCsv(std::io::Error::other(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(value: &Value<'_>) -> String {
        match value {
            Value::Text(t) => format!("T{t}"),
            Value::Number(n) => format!("N{n}"),
            Value::Empty => "E".to_string(),
        }
    }

    /// The block a worker makes gives back the rows it was made from, cell for cell, with the
    /// texts that repeat down a column stored once.
    #[test]
    fn owned_rows_give_back_every_cell_and_store_a_repeated_text_once() {
        let form = crate::base::form::Form::default_form();
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let discovery = crate::discover::discover(&[samples]).unwrap();
        let subs = crate::process::process_all(&discovery.sources, &form, 1, true);
        let mut rows = 0;
        for sub in &subs {
            let block = owned_rows(sub);
            let got: Vec<Vec<String>> = block
                .rows()
                .map(|r| r.iter().map(text_of).collect())
                .collect();
            let want: Vec<Vec<String>> = indicator_rows(sub)
                .map(|r| r.iter().map(text_of).collect())
                .collect();
            assert_eq!(got, want, "{}", sub.display);
            let all_text: usize = indicator_rows(sub)
                .flat_map(|r| r.into_iter())
                .map(|v| match v {
                    Value::Text(t) => t.len(),
                    _ => 0,
                })
                .sum();
            if got.len() > 1 {
                assert!(block.text.len() < all_text, "{}", sub.display);
            }
            rows += got.len();
        }
        assert!(rows > 200, "{rows}");
    }
}
