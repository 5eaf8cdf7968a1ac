//! The disclosure (wide) layout, as in the seed: one row per project; a 合计 row, then for each
//! unit its unit row (name and subtotals, no goal, no indicators) followed by its project rows;
//! title rows above, blank and note rows (注：…, 填报人：…) anywhere below the header.

use crate::base::form::Form;
use crate::base::issue::Issue;
use crate::base::model::{Project, Table};
use crate::locate::Layout;
use crate::normalize::indicator::parse_indicator_text;
use crate::normalize::rows::SheetReader;
use crate::read::grid::Sheet;

/// Normalizes one sheet in the wide layout.
pub fn normalize_wide(
    sheet: &Sheet,
    layout: &Layout,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Table, Vec<Issue>) {
    let (reader, issues) = SheetReader::new(sheet, layout, form, file);
    let (grand_total, units) = reader.read_units(file_stem, |unit, cells, _| {
        let (indicators, indicator_faults) = parse_indicator_text(&cells.indicators);
        unit.projects.push(Project {
            row: cells.row,
            name: cells.name.to_string(),
            amounts: cells.amounts.clone(),
            goal: cells.goal.to_string(),
            indicator_text: cells.indicators.to_string(),
            indicators,
            indicator_faults,
            ..Project::default()
        });
    });
    (reader.table(grand_total, units), issues)
}
