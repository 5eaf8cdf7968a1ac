//! The official form as printed: title, 单位名称 and 单位：万元, header, then the rows. Used for
//! the consolidated 汇总表 and for each unit's own form, so that both look the same: thin borders,
//! wrapped text, amounts `#,##0.00` right aligned, column widths measured for Chinese text, A4
//! landscape, the header repeated on every printed page, fit to the page width, page numbers.

use std::borrow::Cow;

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Note, Worksheet, XlsxError};

use crate::base::form::{FieldKind, Form};
use crate::base::issue::Severity;
use crate::base::memory::{release_freed_memory, RELEASE_EVERY};
use crate::base::model::{Amount, FieldId, Project, Unit};
use crate::base::park::projects_of;
use crate::base::text::column_name;
use crate::base::text::{display_width, excel_text, format_amount, money_text};
use crate::consolidate::UnitSource;
use crate::normalize::indicator::render_indicators;

/// Number format of amounts in the official form.
pub const AMOUNT_FORMAT: &str = "#,##0.00";

/// The widest a column grows, in characters, before its text wraps.
fn max_width(kind: FieldKind) -> f64 {
    match kind {
        FieldKind::Name => 36.0,
        FieldKind::Amount => 16.0,
        FieldKind::Goal => 48.0,
        FieldKind::Indicators => 72.0,
    }
}

/// The cell formats of the official form.
pub struct Formats {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub amount: Format,
    pub total_text: Format,
    pub total_amount: Format,
    pub left: Format,
    pub right: Format,
    /// A wrapped text at the top of its cell, without border (问题清单).
    pub wrap_top: Format,
    /// A text at the top of its cell, without border (问题清单).
    pub top: Format,
    /// An amount without border (报送情况).
    pub plain_amount: Format,
    /// A count in a bordered cell (统计).
    pub count: Format,
    /// The heading of a part of a sheet (统计).
    pub subtitle: Format,
}

impl Formats {
    pub fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let amount = cell
            .clone()
            .set_num_format(AMOUNT_FORMAT)
            .set_align(FormatAlign::Right);
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            subtitle: title.clone().set_font_size(12),
            title,
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("#F2F2F2"),
            count: cell.clone().set_num_format("0"),
            text: cell.clone(),
            total_text: cell.clone().set_bold(),
            total_amount: amount.clone().set_bold(),
            amount,
            left: Format::new().set_align(FormatAlign::Left),
            right: Format::new().set_align(FormatAlign::Right),
            wrap_top: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            top: Format::new().set_align(FormatAlign::Top),
            plain_amount: Format::new().set_num_format(AMOUNT_FORMAT),
        }
    }

    /// Every format a consolidated workbook can use, in a fixed order: each of these, then each
    /// filled as [`marked_format`] fills a faulty cell. Registered with the workbook before any
    /// sheet is written, so that sheets written on two threads at once find every style's
    /// number already fixed, and the workbook's bytes do not depend on which thread came first.
    pub fn all(&self) -> Vec<Format> {
        let plain = [
            &self.title,
            &self.header,
            &self.text,
            &self.amount,
            &self.total_text,
            &self.total_amount,
            &self.left,
            &self.right,
            &self.wrap_top,
            &self.top,
            &self.plain_amount,
            &self.count,
            &self.subtitle,
        ];
        let mut all: Vec<Format> = plain.iter().map(|f| (*f).clone()).collect();
        for severity in [Severity::Error, Severity::Warning] {
            all.extend(plain.iter().map(|f| marked_format(f, severity)));
        }
        all
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::new()
    }
}

/// Fill of a cell holding an error (Excel's "bad" red).
pub const ERROR_FILL: &str = "#FFC7CE";
/// Fill of a cell holding only warnings (Excel's "neutral" amber).
pub const WARNING_FILL: &str = "#FFEB9C";

/// The faults to show on one written row: (column, severity, message), infos left out.
pub type RowMarks = Vec<(u16, Severity, String)>;

/// The faults to show on one unit's written rows: its unit row and each project row, in the
/// unit's project order (up to its last marked project: rows past the end have none).
#[derive(Debug, Clone, Default)]
pub struct UnitMarks {
    pub unit: RowMarks,
    pub projects: Vec<RowMarks>,
}

/// The worst severity and the messages of the marks on one column of a row.
fn marks_at(marks: &[(u16, Severity, String)], col: u16) -> Option<(Severity, Vec<&str>)> {
    let mut worst: Option<Severity> = None;
    let mut messages = Vec::new();
    for (c, severity, message) in marks {
        if *c == col && *severity != Severity::Info {
            worst = Some(worst.map_or(*severity, |w| w.min(*severity)));
            messages.push(message.as_str());
        }
    }
    worst.map(|w| (w, messages))
}

/// `base` filled red for an error, amber for a warning.
fn marked_format(base: &Format, severity: Severity) -> Format {
    let fill = if severity == Severity::Error {
        ERROR_FILL
    } else {
        WARNING_FILL
    };
    base.clone().set_background_color(fill)
}

/// Writes a cell through `write` in `base`'s format, or, when the row's marks name its column,
/// in the marked format with a note holding the messages.
fn write_marked<F>(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    base: &Format,
    marks: &[(u16, Severity, String)],
    write: F,
) -> Result<(), XlsxError>
where
    F: FnOnce(&mut Worksheet, &Format) -> Result<(), XlsxError>,
{
    let Some((severity, messages)) = marks_at(marks, col) else {
        return write(ws, base);
    };
    write(ws, &marked_format(base, severity))?;
    // A note holds less than a cell; a few thousand characters is already more than one reads.
    let text: String = messages.join("\n").chars().take(NOTE_MAX_CHARS).collect();
    let lines: usize = text
        .lines()
        .map(|l| display_width(l).div_ceil(NOTE_CHARS).max(1))
        .sum();
    let note = Note::new(text.as_str())
        .set_author("jixiao")
        .add_author_prefix(false)
        .set_width(NOTE_WIDTH)
        .set_height((lines as u32 * 18 + 12).clamp(60, 600));
    ws.insert_note(row, col, &note)?;
    Ok(())
}

/// A note's width in pixels, and the display columns of text a line of it holds.
const NOTE_WIDTH: u32 = 320;
const NOTE_CHARS: usize = 44;
/// The most characters a note keeps.
const NOTE_MAX_CHARS: usize = 4000;

/// A decimal as the f64 a worksheet stores.
pub fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// What sits above the table and whether a 合计 row opens it.
pub struct Heading<'a> {
    /// "单位名称：…" on the second row, for one unit's own form.
    pub unit_name: Option<&'a str>,
    /// A 合计 row over all units (the consolidated table).
    pub grand_total: bool,
}

/// The row (0-based) of the header; data starts below it.
const HEADER_ROW: u32 = 2;

/// Writes the official form for these units on a worksheet, with print settings.
///
/// # Errors
/// rust_xlsxwriter refused a value (not expected: rows and columns are in range).
pub fn write_official_sheet(
    ws: &mut Worksheet,
    form: &Form,
    heading: &Heading,
    units: &[&Unit],
    f: &Formats,
) -> Result<(), XlsxError> {
    write_official_sheet_marked(ws, form, heading, units, &[], f)
}

/// [`write_official_sheet`] with the faults of each unit marked where they are written: a cell
/// with an error is filled red, a cell with only warnings amber, each with a note holding the
/// messages. `marks` goes with `units`, in the same order (empty: nothing marked).
///
/// # Errors
/// As [`write_official_sheet`].
pub fn write_official_sheet_marked(
    ws: &mut Worksheet,
    form: &Form,
    heading: &Heading,
    units: &(impl UnitSource + ?Sized),
    marks: &[UnitMarks],
    f: &Formats,
) -> Result<(), XlsxError> {
    let ncols = form.fields.len() as u16;
    let last_col = ncols - 1;
    ws.merge_range(0, 0, 0, last_col, &form.form.title, &f.title)?;
    ws.set_row_height(0, 32)?;
    if let Some(name) = heading.unit_name {
        ws.write_string_with_format(1, 0, excel_text(&format!("单位名称：{name}")), &f.left)?;
    }
    ws.write_string_with_format(
        1,
        last_col,
        format!("单位：{}", form.form.money_unit),
        &f.right,
    )?;
    for (i, field) in form.fields.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, i as u16, &field.label, &f.header)?;
    }

    let amount_fields: Vec<FieldId> = form.amount_fields().collect();
    let first_data = HEADER_ROW + 1;
    // The units' rows, the grand total's sums and the columns' widths first (a first pass over
    // the units, a chunk at a time), so that each row can be written once, in order, with its
    // height: the sheet may be in constant-memory mode.
    let mut rows_of_units: u32 = 0;
    let mut sums = vec![Decimal::ZERO; amount_fields.len()];
    let mut widest = label_widths(form);
    for range in units.chunks(UNITS_AT_ONCE) {
        for unit in units.units(range)? {
            rows_of_units += 1 + unit.project_count() as u32;
            for (sum, &field) in sums.iter_mut().zip(&amount_fields) {
                *sum += unit.column_sum(field);
            }
            widen(form, &mut widest, &unit);
        }
    }
    let mut row = first_data;
    if heading.grand_total {
        let last_row = first_data + rows_of_units;
        ws.write_string_with_format(row, 0, "合计", &f.total_text)?;
        for (&field, &sum) in amount_fields.iter().zip(&sums) {
            write_subtotal(
                ws,
                row,
                col_of(field),
                row + 1,
                last_row,
                sum,
                &f.total_amount,
            )?;
        }
        write_blank_cells(ws, form, row, &amount_fields, &f.total_text, &[])?;
        row += 1;
    }
    let widths = column_widths(form, widest);
    for (i, width) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
    }
    let no_marks = UnitMarks::default();
    // Each unit's projects (parked ones read back from disk), their texts (a digested
    // project's long texts read back too) and the lines each row needs are made on every
    // core, a chunk of units at a time; the rows are then written in order, as a
    // constant-memory sheet must be.
    let mut i: usize = 0;
    for range in units.chunks(UNITS_AT_ONCE) {
        let chunk = units.units(range)?;
        let made: Vec<Result<UnitRows, XlsxError>> = chunk
            .par_iter()
            .map(|unit| {
                let projects = projects_of(unit)?;
                let rows = projects
                    .iter()
                    .map(|p| {
                        let texts = project_texts(form, p)?;
                        let lines = row_lines(&texts, &widths);
                        Ok((texts, lines))
                    })
                    .collect::<Result<Vec<ProjectRow>, XlsxError>>()?;
                Ok((projects, rows))
            })
            .collect();
        for (unit, made) in chunk.iter().zip(made) {
            // What the cores made for the units written so far is freed: given back now and
            // then, it does not stay resident beside the next chunks (see `base::memory`).
            if (i + 1).is_multiple_of(RELEASE_EVERY) {
                release_freed_memory();
            }
            let (projects, rows) = made?;
            let unit_marks = marks.get(i).unwrap_or(&no_marks);
            i += 1;
            let um = &unit_marks.unit;
            write_marked(ws, row, 0, &f.total_text, um, |ws, fmt| {
                ws.write_string_with_format(row, 0, excel_text(&unit.name), fmt)
                    .map(|_| ())
            })?;
            let last = row + projects.len() as u32;
            for &field in &amount_fields {
                let sum = unit.column_sum(field);
                let col = col_of(field);
                write_marked(ws, row, col, &f.total_amount, um, |ws, fmt| {
                    write_subtotal(ws, row, col, row + 1, last, sum, fmt)
                })?;
            }
            write_blank_cells(ws, form, row, &amount_fields, &f.total_text, um)?;
            set_height(ws, row, std::slice::from_ref(&unit.name), &widths)?;
            row += 1;
            for (j, (project, (texts, lines))) in projects.iter().zip(rows).enumerate() {
                let pm = unit_marks.projects.get(j).map_or(&[][..], Vec::as_slice);
                write_project_row(ws, form, row, project, &texts, f, pm)?;
                set_lines(ws, row, lines)?;
                row += 1;
            }
        }
    }

    ws.set_freeze_panes(first_data, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A `SUBTOTAL(9, …)` over the rows below (Excel's sum that skips nested subtotals, so that 合计
/// counts each project once) with its cached value; a plain 0 when there are no rows.
fn write_subtotal(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    first: u32,
    last: u32,
    value: Decimal,
    format: &Format,
) -> Result<(), XlsxError> {
    if last < first {
        ws.write_number_with_format(row, col, 0.0, format)?;
        return Ok(());
    }
    let letter = column_name(u32::from(col));
    let formula = Formula::new(format!(
        "=SUBTOTAL(9,{letter}{}:{letter}{})",
        first + 1,
        last + 1
    ))
    .set_result(money_text(value));
    ws.write_formula_with_format(row, col, formula, format)?;
    Ok(())
}

/// Bordered blanks in the non-amount cells of a total row (after the name).
fn write_blank_cells(
    ws: &mut Worksheet,
    form: &Form,
    row: u32,
    amount_fields: &[FieldId],
    format: &Format,
    marks: &[(u16, Severity, String)],
) -> Result<(), XlsxError> {
    for field in form.field_ids().skip(1) {
        if !amount_fields.contains(&field) {
            let col = col_of(field);
            write_marked(ws, row, col, format, marks, |ws, fmt| {
                ws.write_blank(row, col, fmt).map(|_| ())
            })?;
        }
    }
    Ok(())
}

/// The column a field is written in: the official form has the form's columns in order.
fn col_of(field: FieldId) -> u16 {
    field.position() as u16
}

/// The 绩效指标 cell of a project, while it holds its indicators: its indicators in canonical
/// form once checked (see `process`), or unreadable indicator text as written (never dropped).
pub fn indicator_cell(p: &Project) -> String {
    if p.indicator_faults.is_empty() {
        render_indicators(&p.indicators)
    } else {
        p.indicator_text.clone()
    }
}

/// The text of one cell of a project row as a person reads it (amounts formatted); the long
/// texts of a digested project are read back from disk.
fn project_text(form: &Form, p: &Project, id: FieldId) -> Result<String, XlsxError> {
    Ok(match (form[id].kind, p.digest_texts()) {
        (FieldKind::Goal, Some(t)) => t.goal.read()?,
        (FieldKind::Indicators, Some(t)) => t.cell.read()?,
        _ => held_text(form, p, id).into_owned(),
    })
}

/// The text of a cell that is held in memory: every cell of a project row but a digested
/// project's goal and 绩效指标 (see [`project_text`]).
fn held_text<'p>(form: &Form, p: &'p Project, id: FieldId) -> Cow<'p, str> {
    match form[id].kind {
        FieldKind::Name => Cow::Borrowed(&p.name),
        FieldKind::Goal => Cow::Borrowed(&p.goal),
        FieldKind::Indicators => Cow::Owned(indicator_cell(p)),
        FieldKind::Amount => match p.amounts.get(id) {
            Amount::Value(d) => Cow::Owned(format_amount(*d)),
            Amount::Bad(text) => Cow::Borrowed(text),
            Amount::Blank => Cow::Borrowed(""),
        },
    }
}

/// The text of each cell of a project row (see [`project_text`]).
fn project_texts(form: &Form, p: &Project) -> Result<Vec<String>, XlsxError> {
    form.field_ids()
        .map(|id| project_text(form, p, id))
        .collect()
}

/// The widest line of a text, in display columns.
pub fn widest_line(text: &str) -> usize {
    text.lines().map(display_width).max().unwrap_or(0)
}

/// A project row made ready: its texts by column, and the lines its height needs.
type ProjectRow = (Vec<String>, usize);

/// A unit's projects (read back when parked) and their rows.
type UnitRows<'u> = (Cow<'u, [Project]>, Vec<ProjectRow>);

/// The units whose project rows are made at once on every core (see
/// [`write_official_sheet_marked`]): about a megabyte of text.
const UNITS_AT_ONCE: usize = 64;

/// Writes one project row, its texts by column made by [`project_texts`].
fn write_project_row(
    ws: &mut Worksheet,
    form: &Form,
    row: u32,
    p: &Project,
    texts: &[String],
    f: &Formats,
    marks: &[(u16, Severity, String)],
) -> Result<(), XlsxError> {
    for (id, text) in form.field_ids().zip(texts) {
        let col = col_of(id);
        if form[id].kind != FieldKind::Amount {
            write_marked(ws, row, col, &f.text, marks, |ws, fmt| {
                ws.write_string_with_format(row, col, excel_text(text), fmt)
                    .map(|_| ())
            })?;
            continue;
        }
        write_marked(ws, row, col, &f.amount, marks, |ws, fmt| {
            match p.amounts.get(id) {
                Amount::Value(d) => ws.write_number_with_format(row, col, number(*d), fmt),
                Amount::Bad(text) => ws.write_string_with_format(row, col, excel_text(text), fmt),
                Amount::Blank => ws.write_blank(row, col, fmt),
            }
            .map(|_| ())
        })?;
    }
    Ok(())
}

/// Spreadsheets do not grow a row for wrapped text written by a program: each row gets the
/// height of its tallest cell.
fn set_height(
    ws: &mut Worksheet,
    row: u32,
    texts: &[String],
    widths: &[f64],
) -> Result<(), XlsxError> {
    set_lines(ws, row, row_lines(texts, widths))
}

/// The lines a row needs: those of its tallest cell, its text wrapped in its column.
fn row_lines(texts: &[String], widths: &[f64]) -> usize {
    texts
        .iter()
        .zip(widths)
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1)
}

/// Sets a row's height for this many lines (the default height for one).
fn set_lines(ws: &mut Worksheet, row: u32, lines: usize) -> Result<(), XlsxError> {
    if lines > 1 {
        ws.set_row_height(row, (lines as f64 * LINE_HEIGHT + 3.0).min(409.0))?;
    }
    Ok(())
}

/// The height, in points, a row needs for this text wrapped in a column of this width; `None`
/// when one line is enough (the default height).
pub fn wrapped_height(text: &str, width: f64) -> Option<f64> {
    let lines = wrapped_lines(text, width);
    (lines > 1).then(|| (lines as f64 * LINE_HEIGHT + 3.0).min(409.0))
}

/// Height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 14.5;

/// How many lines text takes in a column of this width once wrapped.
fn wrapped_lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.5).max(1.0);
    text.lines()
        .map(|l| ((display_width(l) as f64) / usable).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// Column widths from the text they hold, measured in display columns (a Chinese character is
/// two; rust_xlsxwriter's autofit would count it as one narrow character), between the header's
/// width and the column kind's maximum; longer text wraps.
fn label_widths(form: &Form) -> Vec<f64> {
    form.fields
        .iter()
        .map(|f| display_width(&f.label) as f64)
        .collect()
}

/// Widens each column's widest line (from [`label_widths`]) to a unit's name and projects.
fn widen(form: &Form, widest: &mut [f64], unit: &Unit) {
    widest[0] = widest[0].max(widest_line(&unit.name) as f64);
    // A parked unit's projects were measured before they went to disk.
    let parked = unit.parked.iter().map(|p| p.widths.clone());
    for widths in parked.chain(unit.projects.iter().map(|p| project_widths(form, p))) {
        for (w, width) in widest.iter_mut().zip(widths) {
            *w = w.max(width as f64);
        }
    }
}

/// The columns' widths from their widest lines: room for two more characters, within each
/// kind's maximum, never narrower than 8.
fn column_widths(form: &Form, widest: Vec<f64>) -> Vec<f64> {
    form.fields
        .iter()
        .zip(widest)
        .map(|(field, w)| {
            let header = display_width(&field.label) as f64;
            (w + 2.0)
                .min(max_width(field.kind).max(header + 2.0))
                .max(8.0)
        })
        .collect()
}

/// The widest line of each of a project's cells in 汇总表, in display columns, in form order: a
/// digested project's long texts were measured before they went to disk.
pub fn project_widths(form: &Form, project: &Project) -> Vec<usize> {
    form.field_ids()
        .map(|id| match (project.digest_texts(), form[id].kind) {
            (Some(t), FieldKind::Goal) => t.goal_width,
            (Some(t), FieldKind::Indicators) => t.cell_width,
            _ => widest_line(&held_text(form, project, id)),
        })
        .collect()
}
