//! The disclosure (wide) layout, as in the seed: one row per project; a 合计 row, then for each
//! unit its unit row (name and subtotals, no goal, no indicators) followed by its project rows;
//! title rows above, blank and note rows (注：…, 填报人：…) anywhere below the header.

use crate::form::Form;
use crate::grid::Sheet;
use crate::issue::Issue;
use crate::locate::Layout;
use crate::model::{NameSource, Project, Table, Unit};
use crate::normalize::indicator::parse_indicator_text;
use crate::normalize::rows::{RowKind, SheetReader};

/// Normalizes one sheet in the wide layout.
pub fn normalize_wide(
    sheet: &Sheet,
    layout: &Layout,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Table, Vec<Issue>) {
    let (reader, issues) = SheetReader::new(sheet, layout, form, file);
    let rows = reader.data_rows();
    let mut grand_total = None;
    let mut units: Vec<Unit> = Vec::new();
    for (i, (kind, cells)) in rows.iter().enumerate() {
        match kind {
            RowKind::GrandTotal => {
                if grand_total.is_none() {
                    grand_total = Some(cells.declared());
                }
            }
            RowKind::UnitCandidate if reader.is_unit_row(&rows, i, !units.is_empty()) => {
                units.push(Unit {
                    name: cells.name.clone(),
                    name_source: NameSource::UnitRow,
                    declared: Some(cells.declared()),
                    projects: Vec::new(),
                });
            }
            RowKind::UnitCandidate | RowKind::Project => {
                let (indicators, indicator_faults) = parse_indicator_text(&cells.indicators);
                if units.is_empty() {
                    units.push(reader.implicit_unit(file_stem));
                }
                if let Some(unit) = units.last_mut() {
                    unit.projects.push(Project {
                        row: cells.row,
                        name: cells.name.clone(),
                        amounts: cells.amounts.clone(),
                        goal: cells.goal.clone(),
                        indicator_text: cells.indicators.clone(),
                        indicators,
                        indicator_faults,
                    });
                }
            }
        }
    }
    (reader.table(grand_total, units), issues)
}
