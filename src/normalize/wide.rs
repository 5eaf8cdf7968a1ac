//! The disclosure (wide) layout, as in the seed: one row per project; a 合计 row, then for each
//! unit its unit row (name and subtotals, no goal, no indicators) followed by its project rows;
//! title rows above, blank and note rows (注：…, 填报人：…) anywhere below the header.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::form::{FieldKind, Form};
use crate::grid::{Cell, Sheet};
use crate::issue::{Issue, Place, Rule};
use crate::locate::Layout;
use crate::model::{Amount, Amounts, DeclaredRow, LayoutKind, NameSource, Project, Table, Unit};
use crate::normalize::amount::parse_amount;
use crate::normalize::indicator::parse_indicator_text;

/// Sheet names that say nothing about the unit (Sheet1, 工作表1, …).
static GENERIC_SHEET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(sheet|工作表|表|页)\s*\d*$").expect("valid regex"));

/// What a row below the header is.
#[derive(Debug, Clone, PartialEq)]
enum RowKind {
    Skip,
    GrandTotal,
    /// A name with no goal and no indicators: a unit row, or a project missing both.
    UnitCandidate,
    Project,
}

/// One row's cells read as the form's fields.
struct RowCells {
    index: usize,
    name: String,
    goal: String,
    indicators: String,
    amounts: Amounts,
    has_amounts: bool,
}

/// Normalizes one sheet in the wide layout.
pub fn normalize_wide(
    sheet: &Sheet,
    layout: &Layout,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Table, Vec<Issue>) {
    let mut issues = Vec::new();
    let header_place = Place {
        file: file.to_string(),
        sheet: sheet.name.clone(),
        row: Some(sheet.row_number(layout.header)),
        col: None,
    };
    for &f in &layout.missing {
        let field = &form.fields[f];
        let looked_for: Vec<&str> = std::iter::once(field.label.as_str())
            .chain(field.variants.iter().map(String::as_str))
            .collect();
        issues.push(Issue::new(
            Rule::MissingColumn,
            header_place.clone(),
            format!(
                "缺少“{}”列（查找了：{}）",
                field.label,
                looked_for.join("、")
            ),
        ));
    }
    let money_unit = layout
        .money_unit
        .clone()
        .unwrap_or_else(|| form.form.money_unit.clone());
    if layout.money_unit.is_none() {
        issues.push(Issue::new(
            Rule::UnknownMoneyUnit,
            header_place.clone(),
            format!("未注明金额单位，按“{}”处理", form.form.money_unit),
        ));
    }
    let divisor = form
        .money_unit(&money_unit)
        .map_or(Decimal::ONE, |u| u.divisor);

    let col_of = |kind: FieldKind| {
        form.fields
            .iter()
            .position(|f| f.kind == kind)
            .and_then(|i| layout.columns[i])
    };
    let name_col = col_of(FieldKind::Name);
    let goal_col = col_of(FieldKind::Goal);
    let indicator_col = col_of(FieldKind::Indicators);
    let amount_cols: Vec<Option<usize>> = form.amount_fields().map(|i| layout.columns[i]).collect();
    let text_at = |r: usize, col: Option<usize>| {
        col.map(|c| sheet.cell(r, c).display().trim().to_string())
            .unwrap_or_default()
    };

    let mut rows = Vec::new();
    for r in layout.header + 1..sheet.rows.len() {
        let cells = RowCells {
            index: r,
            name: text_at(r, name_col),
            goal: text_at(r, goal_col),
            indicators: text_at(r, indicator_col),
            amounts: Amounts {
                values: amount_cols
                    .iter()
                    .map(|c| c.map_or(Amount::Blank, |c| parse_amount(sheet.cell(r, c), divisor)))
                    .collect(),
            },
            has_amounts: amount_cols
                .iter()
                .any(|c| c.is_some_and(|c| !sheet.cell(r, c).is_blank())),
        };
        let kind = classify(&cells, sheet, r, form);
        if kind != RowKind::Skip {
            rows.push((kind, cells));
        }
    }

    let mut grand_total = None;
    let mut units: Vec<Unit> = Vec::new();
    for i in 0..rows.len() {
        let (kind, cells) = &rows[i];
        let row = sheet.row_number(cells.index);
        let declared = || DeclaredRow {
            row,
            amounts: cells.amounts.clone(),
        };
        match kind {
            RowKind::Skip => {}
            RowKind::GrandTotal => {
                if grand_total.is_none() {
                    grand_total = Some(declared());
                }
            }
            RowKind::UnitCandidate if is_unit_row(&rows, i, layout, !units.is_empty()) => {
                units.push(Unit {
                    name: cells.name.clone(),
                    name_source: NameSource::UnitRow,
                    declared: Some(declared()),
                    projects: Vec::new(),
                });
            }
            RowKind::UnitCandidate | RowKind::Project => {
                let (indicators, indicator_faults) = parse_indicator_text(&cells.indicators);
                if units.is_empty() {
                    units.push(implicit_unit(layout, sheet, file_stem));
                }
                if let Some(unit) = units.last_mut() {
                    unit.projects.push(Project {
                        row,
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
    let table = Table {
        sheet: sheet.name.clone(),
        layout: LayoutKind::Wide,
        header_row: sheet.row_number(layout.header),
        columns: layout
            .columns
            .iter()
            .map(|c| c.map(|c| sheet.col_number(c)))
            .collect(),
        money_unit,
        grand_total,
        units,
    };
    (table, issues)
}

fn classify(cells: &RowCells, sheet: &Sheet, r: usize, form: &Form) -> RowKind {
    let all_blank = sheet.rows[r].iter().all(Cell::is_blank);
    if all_blank {
        return RowKind::Skip;
    }
    let compact: String = cells.name.chars().filter(|c| !c.is_whitespace()).collect();
    let has_content = cells.has_amounts || !cells.goal.is_empty() || !cells.indicators.is_empty();
    if !has_content {
        let first_text = sheet.rows[r]
            .iter()
            .find(|c| !c.is_blank())
            .map(Cell::display)
            .unwrap_or_default();
        let first_text = first_text.trim();
        let is_note = form.rows.notes.iter().any(|w| {
            first_text.strip_prefix(w.as_str()).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with([':', '：', '、', '.', ' '])
            })
        });
        if is_note || cells.name.is_empty() {
            return RowKind::Skip;
        }
    }
    if form.rows.grand_total.contains(&compact) {
        return RowKind::GrandTotal;
    }
    if !cells.name.is_empty() && cells.goal.is_empty() && cells.indicators.is_empty() {
        return RowKind::UnitCandidate;
    }
    RowKind::Project
}

/// Whether a candidate row (a name with no goal and no indicators) is a unit row: it carries the
/// title's unit name, or project rows follow it, or no unit has started yet. Otherwise it is a
/// project that lacks its goal and indicators.
fn is_unit_row(rows: &[(RowKind, RowCells)], i: usize, layout: &Layout, have_unit: bool) -> bool {
    let name = &rows[i].1.name;
    if layout.unit_name.as_deref() == Some(name.as_str()) {
        return true;
    }
    let next_is_project = rows.get(i + 1).is_some_and(|(k, _)| *k == RowKind::Project);
    next_is_project || !have_unit
}

/// The unit of a table with project rows but no unit row: named by the title, else the sheet,
/// else the file.
fn implicit_unit(layout: &Layout, sheet: &Sheet, file_stem: &str) -> Unit {
    let (name, name_source) = match (&layout.unit_name, &sheet.name) {
        (Some(n), _) => (n.clone(), NameSource::Title),
        (None, Some(s)) if !GENERIC_SHEET.is_match(s.trim()) => {
            (s.trim().to_string(), NameSource::Sheet)
        }
        _ => (file_stem.to_string(), NameSource::File),
    };
    Unit {
        name,
        name_source,
        declared: None,
        projects: Vec::new(),
    }
}
