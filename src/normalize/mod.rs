//! Normalize: a located sheet to a [`Table`] of units, projects and indicators, amounts in the
//! form's money unit. A cell that cannot be read is kept as such (`Amount::Bad`, an
//! `IndicatorFault`) for the check stage to report; nothing is guessed.

pub mod amount;
pub mod indicator;
pub mod long;
pub mod rows;
pub mod target;
pub mod wide;

use crate::form::Form;
use crate::grid::Grid;
use crate::issue::{Issue, Place, Rule};
use crate::locate::locate_sheet;
use crate::model::{LayoutKind, Table};

/// Normalizes every sheet of a file that holds the form. Hidden sheets are read only when no
/// visible sheet holds it. Returns the tables and the issues of locating them (missing columns,
/// unknown money unit, no form at all).
pub fn normalize_grid(
    grid: &Grid,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Vec<Table>, Vec<Issue>) {
    let mut tables = Vec::new();
    let mut issues = Vec::new();
    for pass_hidden in [false, true] {
        for sheet in grid.sheets.iter().filter(|s| s.hidden == pass_hidden) {
            if let Some(layout) = locate_sheet(sheet, form) {
                let normalize = match layout.kind {
                    LayoutKind::Wide => wide::normalize_wide,
                    LayoutKind::Long => long::normalize_long,
                };
                let (table, mut found) = normalize(sheet, &layout, form, file, file_stem);
                tables.push(table);
                issues.append(&mut found);
            }
        }
        if !tables.is_empty() {
            break;
        }
    }
    if tables.is_empty() {
        let labels: Vec<&str> = form.fields.iter().map(|f| f.label.as_str()).collect();
        issues.push(Issue::new(
            Rule::NoFormFound,
            Place::file(file),
            format!(
                "所有工作表中都没有找到表头（应含“{}”等列）",
                labels.join("”“")
            ),
        ));
    }
    (tables, issues)
}
