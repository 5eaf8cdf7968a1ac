//! Workbooks through calamine: .xlsx/.xlsm, .xlsb, .xls and .ods. Chart and macro sheets are
//! skipped, hidden sheets kept (and marked), merged regions filled with their top-left value.
//! .xlsx is read cell by cell; the other formats through calamine's ranges.

use std::io::Cursor;

use calamine::{
    Data, DataRef, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};

use crate::discover::SourceKind;
use std::collections::HashMap;

use crate::read::formula::SheetFormulas;
use crate::read::grid::{Cell, Grid, Sheet, Text, UnevaluatedFormula};
use crate::read::merges::merges_in_tail;
use crate::read::{CellCountPlace, NotASpreadsheet, ReadError, MAX_CELLS, MAX_TEXT_BYTES};

type Bytes<'a> = Cursor<&'a [u8]>;

/// Reads every worksheet of a workbook.
///
/// # Errors
/// Encrypted, or not a readable workbook of its kind.
pub fn read_workbook(bytes: &[u8], kind: SourceKind) -> Result<Grid, ReadError> {
    let cursor = Cursor::new(bytes);
    match kind {
        SourceKind::Xlsx => {
            // Of the styles, only the number formats: fonts, fills, borders and the theme are no
            // use to a reader of values (a twenty-fifth of reading a small workbook).
            let mut wb: Xlsx<Bytes> = Xlsx::new_formats_only(cursor).map_err(xlsx_error)?;
            read_xlsx_sheets(&mut wb)
        }
        SourceKind::Xls => {
            let mut wb: Xls<Bytes> = Xls::new(cursor).map_err(xls_error)?;
            read_sheets(&mut wb, xls_error, |wb, name| {
                wb.merge_cells_by_sheet_name(name).unwrap_or_default()
            })
        }
        SourceKind::Xlsb => {
            let mut wb: Xlsb<Bytes> = Xlsb::new(cursor).map_err(xlsb_error)?;
            read_sheets(&mut wb, xlsb_error, |_, _| Vec::new())
        }
        SourceKind::Ods => {
            let mut wb: Ods<Bytes> = Ods::new(cursor).map_err(ods_error)?;
            read_sheets(&mut wb, ods_error, |_, _| Vec::new())
        }
        SourceKind::EncryptedOoxml => Err(ReadError::Encrypted),
        SourceKind::Text | SourceKind::Html => Err(ReadError::NotASpreadsheet {
            what: NotASpreadsheet::OtherKind,
        }),
    }
}

/// The most cells a new row is given room for before its cells are read (see
/// `read_xlsx_sheets`).
const ROW_ROOM: usize = 64;

/// Reads every worksheet of an .xlsx cell by cell, through calamine's cell reader, so that a
/// sheet is as large as its cells, not as the rectangle between its first and last cell: a stray
/// cell at XFD1048576 costs one row of cells and a million empty rows, not 17 billion cells.
fn read_xlsx_sheets(wb: &mut Xlsx<Bytes>) -> Result<Grid, ReadError> {
    let mut sheets = Vec::new();
    let mut unevaluated = Vec::new();
    let mut cells = 0usize;
    let mut text_bytes = 0u64;
    for meta in wb.sheets_metadata().to_vec() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let sheet_error = |e| in_sheet(xlsx_error(e), &meta.name);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut widest = 0usize;
        // Formulas stored without a value (workbooks written by scripts), by position.
        let mut pending: HashMap<(u32, u32), String> = HashMap::new();
        // The sheet's XML after its cells, where its merged regions are (`read::merges`).
        let tail = {
            let mut reader = wb.worksheet_cells_reader(&meta.name).map_err(sheet_error)?;
            while let Some(cell) = reader.next_cell_with_formula().map_err(sheet_error)? {
                // Counted before the text is copied out of calamine's shared-string table.
                if let DataRef::SharedString(s) = &cell.value {
                    text_bytes += s.len() as u64;
                    if text_bytes > MAX_TEXT_BYTES {
                        return Err(ReadError::TooMuchText {
                            at: CellCountPlace::Sheet(meta.name.clone()),
                            limit: MAX_TEXT_BYTES,
                        });
                    }
                }
                let value = convert_ref(&cell.value);
                if value.is_blank() {
                    if let Some(formula) = cell.formula.filter(|f| !f.trim().is_empty()) {
                        cells += 1;
                        if cells > MAX_CELLS {
                            return Err(too_many_cells(&meta.name));
                        }
                        pending.insert(cell.pos, formula);
                    }
                    continue;
                }
                cells += 1;
                if cells > MAX_CELLS {
                    return Err(too_many_cells(&meta.name));
                }
                if let (Cell::Text(t), false) =
                    (&value, matches!(cell.value, DataRef::SharedString(_)))
                {
                    text_bytes += t.len() as u64;
                    if text_bytes > MAX_TEXT_BYTES {
                        return Err(ReadError::TooMuchText {
                            at: CellCountPlace::Sheet(meta.name.clone()),
                            limit: MAX_TEXT_BYTES,
                        });
                    }
                }
                let (r, c) = cell.pos;
                let (r, c) = (r as usize, c as usize);
                if rows.len() <= r {
                    rows.resize_with(r + 1, Vec::new);
                }
                let row = &mut rows[r];
                if row.len() <= c {
                    // A new row is given the widest row's room at once (up to a form's width:
                    // a stray cell far to the right must not widen every row): grown cell by
                    // cell, it would be moved three or four times.
                    if row.capacity() == 0 {
                        row.reserve_exact(widest.min(ROW_ROOM).max(c + 1));
                    }
                    row.resize(c + 1, Cell::Empty);
                    widest = widest.max(c + 1);
                }
                row[c] = value;
            }
            reader.read_rest().ok()
        };
        evaluate_formulas(&meta.name, &mut rows, &pending, &mut unevaluated);
        let merged = tail
            .and_then(|t| merges_in_tail(&t))
            .unwrap_or_else(|| wb.merge_cells_by_sheet_name(&meta.name).unwrap_or_default());
        let mut sheet = Sheet {
            name: Some(meta.name),
            hidden: meta.visible != SheetVisible::Visible,
            first_row: 0,
            first_col: 0,
            rows,
            merged: Vec::new(),
        };
        fill_merged(&mut sheet, &merged);
        sheets.push(sheet);
    }
    Ok(Grid {
        sheets,
        unevaluated,
    })
}

/// Computes the formulas a sheet stores without a value and puts their results in place, in
/// row order; a formula that cannot be computed leaves an error in its cell (never a 0) and is
/// listed in `unevaluated`.
fn evaluate_formulas(
    sheet: &str,
    rows: &mut Vec<Vec<Cell>>,
    pending: &HashMap<(u32, u32), String>,
    unevaluated: &mut Vec<UnevaluatedFormula>,
) {
    if pending.is_empty() {
        return;
    }
    let mut order: Vec<&(u32, u32)> = pending.keys().collect();
    order.sort();
    let results: Vec<((u32, u32), Cell)> = {
        let formulas = SheetFormulas { rows, pending };
        order
            .into_iter()
            .map(|&at| {
                let cell = formulas.evaluate(at).unwrap_or_else(|reason| {
                    let formula = format!("={}", pending[&at]);
                    unevaluated.push(UnevaluatedFormula {
                        sheet: sheet.to_string(),
                        row: at.0 + 1,
                        col: at.1,
                        formula: formula.clone(),
                        reason,
                    });
                    Cell::Error(formula.into())
                });
                (at, cell)
            })
            .collect()
    };
    for ((r, c), cell) in results {
        let (r, c) = (r as usize, c as usize);
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        if rows[r].len() <= c {
            rows[r].resize(c + 1, Cell::Empty);
        }
        rows[r][c] = cell;
    }
}

fn too_many_cells(sheet: &str) -> ReadError {
    ReadError::TooManyCells {
        at: CellCountPlace::Sheet(sheet.to_string()),
        limit: MAX_CELLS,
    }
}

/// A format error met while reading one sheet, naming the sheet.
fn in_sheet(e: ReadError, sheet: &str) -> ReadError {
    match e {
        ReadError::Corrupt { format, source } => ReadError::Sheet {
            sheet: sheet.to_string(),
            format,
            source,
        },
        other => other,
    }
}

/// The format's error, or [`ReadError::Encrypted`] for a password.
fn corrupt(format: &'static str, e: impl std::error::Error + Send + Sync + 'static) -> ReadError {
    ReadError::Corrupt {
        format,
        source: Box::new(e),
    }
}

fn read_sheets<'a, R, E>(
    wb: &mut R,
    map_err: fn(E) -> ReadError,
    merges: impl Fn(&mut R, &str) -> Vec<Dimensions>,
) -> Result<Grid, ReadError>
where
    R: Reader<Bytes<'a>, Error = E>,
{
    let mut sheets = Vec::new();
    let mut cells = 0usize;
    for meta in wb.sheets_metadata().to_vec() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let range = wb
            .worksheet_range(&meta.name)
            .map_err(|e| in_sheet(map_err(e), &meta.name))?;
        cells += range.used_cells().count();
        if cells > MAX_CELLS {
            return Err(too_many_cells(&meta.name));
        }
        let merged = merges(wb, &meta.name);
        sheets.push(range_to_sheet(
            meta.name,
            meta.visible != SheetVisible::Visible,
            &range,
            &merged,
        ));
    }
    Ok(Grid {
        sheets,
        ..Grid::default()
    })
}

fn range_to_sheet(name: String, hidden: bool, range: &Range<Data>, merged: &[Dimensions]) -> Sheet {
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = range
        .rows()
        .map(|row| {
            let mut cells: Vec<Cell> = row.iter().map(convert).collect();
            while cells.last().is_some_and(Cell::is_blank) {
                cells.pop();
            }
            cells
        })
        .collect();
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    let mut sheet = Sheet {
        name: Some(name),
        hidden,
        first_row,
        first_col,
        rows,
        merged: Vec::new(),
    };
    fill_merged(&mut sheet, merged);
    sheet
}

/// Copies each merged region's top-left value into the region's other cells, within the rows the
/// sheet already holds (a region reaching past the data is cut at the data's edge).
fn fill_merged(sheet: &mut Sheet, merged: &[Dimensions]) {
    let sheet_width = sheet.width();
    sheet.merged = merged
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    for dim in merged {
        let (r0, c0) = dim.start;
        let (r1, c1) = dim.end;
        if r0 < sheet.first_row || c0 < sheet.first_col {
            continue;
        }
        let (top, left) = (
            (r0 - sheet.first_row) as usize,
            (c0 - sheet.first_col) as usize,
        );
        let value = sheet.cell(top, left).clone();
        if value.is_blank() {
            continue;
        }
        let last_row = ((r1 - sheet.first_row) as usize).min(sheet.rows.len().saturating_sub(1));
        let last_col = (c1 - sheet.first_col) as usize;
        for r in top..=last_row {
            let row = &mut sheet.rows[r];
            let width = last_col.min(sheet_width.saturating_sub(1).max(left));
            if row.len() <= width {
                row.resize(width + 1, Cell::Empty);
            }
            for cell in &mut row[left..=width] {
                if cell.is_blank() {
                    *cell = value.clone();
                }
            }
        }
    }
}

fn convert_ref(data: &DataRef) -> Cell {
    match data {
        DataRef::SharedString(s) => Cell::Text(Text::from(*s)),
        DataRef::String(s) => Cell::Text(Text::from(s.as_str())),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date_cell(dt),
        DataRef::DateTimeIso(s) => Cell::Date(Text::from(s.as_str())),
        DataRef::DurationIso(s) => Cell::Text(Text::from(s.as_str())),
        DataRef::Error(e) => Cell::Error(compact_str::format_compact!("{e}")),
        DataRef::Empty => Cell::Empty,
    }
}

fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() || (hh, mm, ss) != (0, 0, 0) {
        Cell::Date(compact_str::format_compact!(
            "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"
        ))
    } else {
        Cell::Date(compact_str::format_compact!("{y:04}-{m:02}-{d:02}"))
    }
}

fn convert(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(Text::from(s.as_str())),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt),
        Data::DateTimeIso(s) => Cell::Date(Text::from(s.as_str())),
        Data::DurationIso(s) => Cell::Text(Text::from(s.as_str())),
        Data::Error(e) => Cell::Error(compact_str::format_compact!("{e}")),
    }
}

fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        other => corrupt("xlsx", other),
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        other => corrupt("xls", other),
    }
}

fn xlsb_error(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Encrypted,
        other => corrupt("xlsb", other),
    }
}

fn ods_error(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        other => corrupt("ods", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A sheet at the file's top-left from text rows ("" is empty).
    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::from_text(rows)
    }

    fn region(start: (u32, u32), end: (u32, u32)) -> Dimensions {
        Dimensions { start, end }
    }

    /// Every .xlsx of the repository opened with the number formats alone (the patched
    /// calamine's `new_formats_only`, which skips the fonts, fills, borders and theme) gives the
    /// cells, values and formulas that the published opening gives. `tests/fixtures/formats/`
    /// holds styles of every kind, written by openpyxl and by LibreOffice, with dates and times
    /// in built-in and custom formats beside percentages and amounts.
    #[test]
    fn opening_with_number_formats_alone_reads_the_cells_the_full_opening_reads() {
        let cells_of = |wb: &mut Xlsx<Cursor<&[u8]>>| -> Vec<String> {
            let mut out = Vec::new();
            for name in wb.sheet_names() {
                let Ok(mut reader) = wb.worksheet_cells_reader(&name) else {
                    out.push(format!("{name}: unreadable"));
                    continue;
                };
                loop {
                    match reader.next_cell_with_formula() {
                        Ok(Some(c)) => {
                            out.push(format!("{name} {:?} {:?} {:?}", c.pos, c.value, c.formula))
                        }
                        Ok(None) => break,
                        Err(e) => {
                            out.push(format!("{name}: {e}"));
                            break;
                        }
                    }
                }
            }
            out
        };
        let (mut packages, mut dates, mut cells) = (0, 0, 0);
        for path in crate::read::merges::tests::repository_workbooks() {
            let bytes = std::fs::read(&path).unwrap();
            let full = Xlsx::new(Cursor::new(bytes.as_slice()));
            let lean = Xlsx::new_formats_only(Cursor::new(bytes.as_slice()));
            let (mut full, mut lean) = match (full, lean) {
                (Ok(f), Ok(l)) => (f, l),
                (Err(f), Err(l)) => {
                    assert_eq!(f.to_string(), l.to_string(), "{}", path.display());
                    continue;
                }
                (f, l) => panic!("{}: {:?} against {:?}", path.display(), f.err(), l.err()),
            };
            let (theirs, ours) = (cells_of(&mut full), cells_of(&mut lean));
            assert_eq!(theirs, ours, "{}", path.display());
            packages += 1;
            cells += ours.len();
            dates += ours.iter().filter(|c| c.contains("DateTime")).count();
        }
        assert!(packages >= 20, "only {packages} packages read");
        assert!(cells >= 5_000, "only {cells} cells read");
        // Five in each of tests/fixtures/formats/ (openpyxl's and LibreOffice's), one in
        // hostile/date1904.xlsx.
        assert!(dates >= 11, "only {dates} date cells among {cells}");
    }

    /// The sheet's rows as display text, for whole-grid comparisons.
    fn shown(sheet: &Sheet) -> Vec<Vec<String>> {
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }

    // A vertical and a horizontal region get their top-left value in every cell; other cells are
    // untouched, and a short row inside a region is widened.
    #[test]
    fn fills_regions_with_their_top_left_value() {
        let mut s = sheet(&[
            &["项目名称", "资金情况", "", ""],
            &["", "总计", "财政拨款", "其他资金"],
            &["道路养护", "10", "10", ""],
            &[],
            &["外部", "x"],
        ]);
        s.rows[2][1] = Cell::Number(10.0);
        fill_merged(
            &mut s,
            &[
                region((0, 0), (1, 0)),
                region((0, 1), (0, 3)),
                region((2, 0), (3, 0)),
            ],
        );
        assert_eq!(
            shown(&s),
            [
                vec!["项目名称", "资金情况", "资金情况", "资金情况"],
                vec!["项目名称", "总计", "财政拨款", "其他资金"],
                vec!["道路养护", "10", "10", ""],
                vec!["道路养护"],
                vec!["外部", "x"],
            ]
        );
        // The value is cloned as is: a number stays a number.
        let mut n = sheet(&[&[], &[]]);
        n.rows[0] = vec![Cell::Number(4671.23)];
        fill_merged(&mut n, &[region((0, 0), (1, 0))]);
        assert_eq!(n.rows[1], [Cell::Number(4671.23)]);
    }

    // Only blank cells are filled: a cell inside the region that holds a value keeps it, one that
    // holds only spaces is overwritten.
    #[test]
    fn keeps_cells_that_already_hold_a_value() {
        let mut s = sheet(&[&["甲"], &["乙"], &["  "], &[""]]);
        fill_merged(&mut s, &[region((0, 0), (3, 0))]);
        assert_eq!(s.rows[1], [text("乙")]);
        assert_eq!(s.rows[2], [text("甲")]);
        assert_eq!(s.rows[3], [text("甲")]);
    }

    // A region whose top-left is empty or only spaces changes nothing, not even row lengths.
    #[test]
    fn region_with_blank_top_left_is_left_alone() {
        let mut s = sheet(&[&["", "a"], &[" ", "b"], &[]]);
        let before = s.rows.clone();
        fill_merged(
            &mut s,
            &[
                region((0, 0), (2, 0)),
                region((1, 0), (2, 1)),
                region((2, 0), (2, 5)),
            ],
        );
        assert_eq!(s.rows, before);
    }

    // A region reaching past the stored rows or the widest row is cut at the data's edge; the
    // sheet gets no new rows and no row grows wider than the widest one.
    #[test]
    fn region_past_the_data_is_cut_at_its_edge() {
        let mut s = sheet(&[&["标题"], &["a", "b", "c"], &["d"]]);
        fill_merged(
            &mut s,
            &[region((0, 0), (0, 25)), region((2, 0), (1_048_575, 0))],
        );
        assert_eq!(s.rows.len(), 3);
        assert_eq!(s.rows[0], [text("标题"), text("标题"), text("标题")]);
        assert_eq!(s.rows[2], [text("d")]);
        // A region wholly below the data is ignored.
        fill_merged(&mut s, &[region((10, 0), (12, 2))]);
        assert_eq!(s.rows.len(), 3);
    }

    // Regions are in the file's coordinates: on a sheet whose stored rectangle starts at
    // (first_row, first_col), they are shifted onto the rows and cells it holds.
    #[test]
    fn regions_are_shifted_by_the_sheets_first_row_and_column() {
        let mut s = sheet(&[&["项目名称", "绩效指标"], &["道路养护", "指标"], &["", ""]]);
        s.first_row = 3;
        s.first_col = 2;
        // File rows 4..=5, column 2: the project name merged down.
        fill_merged(&mut s, &[region((4, 2), (5, 2))]);
        assert_eq!(s.rows[2][0], text("道路养护"));
        assert!(s.rows[2][1].is_blank());
        assert_eq!(s.rows[0][0], text("项目名称"));
        assert_eq!(s.rows[1][0], text("道路养护"));
    }

    // A region whose top-left lies above or left of the stored rectangle is skipped, even where
    // it overlaps the stored cells.
    #[test]
    fn region_starting_outside_the_stored_rectangle_is_skipped() {
        let mut s = sheet(&[&["", "", ""], &["", "", ""]]);
        s.rows[0][0] = text("甲");
        s.first_row = 2;
        s.first_col = 2;
        let before = s.rows.clone();
        fill_merged(
            &mut s,
            &[
                region((0, 2), (3, 4)),
                region((2, 0), (3, 4)),
                region((1, 1), (3, 3)),
            ],
        );
        assert_eq!(s.rows, before);
    }
}
