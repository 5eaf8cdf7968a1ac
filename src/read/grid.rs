//! The grid: what the read stage hands on. A workbook becomes sheets of cells whatever format it
//! came in; every cell keeps its sheet, row and column so that an issue can name its place.

pub use crate::base::text::Text;

/// One cell's value, as the file stored it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Text, with HTML tags and entities already removed for web exports.
    Text(Text),
    /// A number as stored (Excel's IEEE double).
    Number(f64),
    Bool(bool),
    /// A date or time, rendered as text (2025-09-30).
    Date(Text),
    /// A formula error such as `#REF!`.
    Error(Text),
}

impl Cell {
    /// Whether the cell holds nothing visible.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => crate::base::text::is_blank(s),
            _ => false,
        }
    }

    /// The cell as a person reads it; numbers with at most 15 significant digits, as Excel shows.
    pub fn display(&self) -> String {
        self.shown().into_owned()
    }

    /// [`Cell::shown`] without its leading and trailing spaces, still without copying a text
    /// cell's text (a number's is made, and trimmed in place).
    pub fn shown_trimmed(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self.shown() {
            Cow::Borrowed(text) => Cow::Borrowed(crate::base::text::trim(text)),
            Cow::Owned(text) if crate::base::text::trim(&text).len() == text.len() => {
                Cow::Owned(text)
            }
            Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
        }
    }

    /// [`Cell::display`] without copying a text cell's text.
    pub fn shown(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) | Cell::Date(s) | Cell::Error(s) => Cow::Borrowed(s),
            Cell::Number(n) => Cow::Owned(
                crate::base::text::float_as_shown(*n)
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_else(|| n.to_string()),
            ),
            Cell::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        }
    }
}

/// One sheet: a dense rectangle of cells whose top-left is at (`first_row`, `first_col`),
/// both 0-based as in the file.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Sheet name; `None` for a text file, which has no sheets.
    pub name: Option<String>,
    pub hidden: bool,
    pub first_row: u32,
    pub first_col: u32,
    pub rows: Vec<Vec<Cell>>,
    /// The merged regions as the file states them: (first row, first column, last row, last
    /// column), 0-based in the file. Their cells are already filled with the top-left value;
    /// the regions are kept for writing a copy of the sheet (feedback).
    pub merged: Vec<(u32, u32, u32, u32)>,
}

impl Sheet {
    /// The cell at a 0-based index into `rows`, or Empty outside the rectangle.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// The text of the cell at a 0-based index into `rows` and a column that may not have been
    /// found, trimmed, without copying a text cell's text; "" for no column.
    pub fn text(&self, row: usize, col: Option<usize>) -> std::borrow::Cow<'_, str> {
        col.map_or(std::borrow::Cow::Borrowed(""), |c| {
            self.cell(row, c).shown_trimmed()
        })
    }

    /// The cell at a 0-based row and column of the file, or Empty outside the rectangle.
    pub fn at(&self, row: u32, col: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        if row < self.first_row || col < self.first_col {
            return &EMPTY;
        }
        self.cell(
            (row - self.first_row) as usize,
            (col - self.first_col) as usize,
        )
    }

    /// The 1-based row number a spreadsheet shows for an index into `rows`.
    pub fn row_number(&self, row: usize) -> u32 {
        self.first_row + row as u32 + 1
    }

    /// The 0-based column in the file for an index into a row.
    pub fn col_number(&self, col: usize) -> u32 {
        self.first_col + col as u32
    }

    /// A sheet named Sheet1 at the file's top-left, from rows of text ("" for an empty cell):
    /// for tables built in code, tests above all.
    pub fn from_text(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: Some("Sheet1".into()),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| {
                            if t.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(Text::from(*t))
                            }
                        })
                        .collect()
                })
                .collect(),
            ..Sheet::default()
        }
    }

    /// Number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// All sheets of one file, in the file's order.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub sheets: Vec<Sheet>,
    /// Formulas stored without a value that could not be evaluated; their cells hold an error.
    pub unevaluated: Vec<UnevaluatedFormula>,
}

/// A formula with no cached value that jixiao could not compute from the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnevaluatedFormula {
    pub sheet: String,
    /// 1-based row and 0-based column.
    pub row: u32,
    pub col: u32,
    /// The formula as written, with its "=".
    pub formula: String,
    /// Why it was not evaluated (Chinese).
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_cells() {
        assert!(Cell::Empty.is_blank());
        assert!(Cell::Text("  \n".into()).is_blank());
        assert!(!Cell::Number(0.0).is_blank());
    }
}
