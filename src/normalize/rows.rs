//! What both layouts share: the issues of the header itself (missing columns, no money unit),
//! the rows below the header read as the form's fields, which of them are blank, notes, 合计 or
//! unit rows, and the unit a table's projects belong to.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::base::form::{FieldKind, Form, IndicatorKind};
use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{Amount, Amounts, DeclaredRow, FieldId, NameSource, Table, Unit};
use crate::locate::Layout;
use crate::normalize::amount::parse_amount;
use crate::read::grid::{Cell, Sheet};

/// Sheet names that say nothing about the unit (Sheet1, 工作表1, …).
static GENERIC_SHEET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(sheet|工作表|表|页)\s*\d*$").expect("valid regex"));

/// What a row below the header is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    GrandTotal,
    /// A name with no goal and no indicators: a unit row, or a project missing both.
    UnitCandidate,
    Project,
}

/// One row's cells read as the form's fields.
#[derive(Debug, Clone)]
pub struct RowCells {
    /// Index into the sheet's rows.
    pub index: usize,
    /// 1-based row number.
    pub row: u32,
    pub name: String,
    pub goal: String,
    /// The wide layout's indicator cell.
    pub indicators: String,
    /// The long layout's indicator cells that the header has, in form order, with their kind.
    pub indicator_cells: Vec<(IndicatorKind, String)>,
    pub amounts: Amounts,
    pub has_amounts: bool,
}

impl RowCells {
    /// The long-layout cell of the first field of a kind ("" when absent).
    pub fn indicator_cell(&self, kind: IndicatorKind) -> &str {
        self.indicator_cells
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, text)| text.as_str())
    }

    /// Whether the row carries an indicator of its own (long layout) or indicator text (wide).
    pub fn has_indicator(&self) -> bool {
        !self.indicators.is_empty() || self.indicator_cells.iter().any(|(_, c)| !c.is_empty())
    }

    /// The row's amounts as a declared total row.
    pub fn declared(&self) -> DeclaredRow {
        DeclaredRow {
            row: self.row,
            amounts: self.amounts.clone(),
        }
    }
}

/// The sheet being normalized, with what every layout needs to read it.
pub struct SheetReader<'a> {
    pub sheet: &'a Sheet,
    pub layout: &'a Layout,
    pub form: &'a Form,
    pub money_unit: String,
    divisor: Decimal,
}

impl<'a> SheetReader<'a> {
    /// Prepares to read a located sheet; returns the header's own issues (missing columns, no
    /// money unit stated).
    pub fn new(
        sheet: &'a Sheet,
        layout: &'a Layout,
        form: &'a Form,
        file: &str,
    ) -> (Self, Vec<Issue>) {
        let mut issues = Vec::new();
        let header_place = Place {
            file: file.to_string(),
            sheet: sheet.name.clone(),
            row: Some(sheet.row_number(layout.header)),
            col: None,
        };
        for (label, looked_for) in &layout.missing {
            issues.push(Issue::new(
                Rule::MissingColumn,
                header_place.clone(),
                format!("缺少“{label}”列（查找了：{}）", looked_for.join("、")),
            ));
        }
        if layout.money_unit.is_none() {
            issues.push(Issue::new(
                Rule::UnknownMoneyUnit,
                header_place,
                format!("未注明金额单位，按“{}”处理", form.form.money_unit),
            ));
        }
        let money_unit = layout
            .money_unit
            .clone()
            .unwrap_or_else(|| form.form.money_unit.clone());
        let divisor = form
            .money_unit(&money_unit)
            .map_or(Decimal::ONE, |u| u.divisor);
        let reader = SheetReader {
            sheet,
            layout,
            form,
            money_unit,
            divisor,
        };
        (reader, issues)
    }

    fn column(&self, kind: FieldKind) -> Option<usize> {
        self.form
            .field_of(kind)
            .and_then(|f| self.layout.columns.field(f))
    }

    fn text(&self, r: usize, col: Option<usize>) -> String {
        col.map(|c| self.sheet.cell(r, c).display().trim().to_string())
            .unwrap_or_default()
    }

    /// The rows below the header that hold data, classified; blank and note rows left out.
    pub fn data_rows(&self) -> Vec<(RowKind, RowCells)> {
        let (name_col, goal_col) = (self.column(FieldKind::Name), self.column(FieldKind::Goal));
        let indicator_col = self.column(FieldKind::Indicators);
        let amount_cols: Vec<(FieldId, Option<usize>)> = self
            .form
            .amount_fields()
            .map(|f| (f, self.layout.columns.field(f)))
            .collect();
        let indicator_cols: Vec<(IndicatorKind, usize)> = self
            .form
            .indicator_field_ids()
            .filter_map(|f| {
                let col = self.layout.columns.indicator(f)?;
                Some((self.form[f].kind, col))
            })
            .collect();
        let mut rows = Vec::new();
        for r in self.layout.header + 1..self.sheet.rows.len() {
            let cells = RowCells {
                index: r,
                row: self.sheet.row_number(r),
                name: self.text(r, name_col),
                goal: self.text(r, goal_col),
                indicators: self.text(r, indicator_col),
                indicator_cells: indicator_cols
                    .iter()
                    .map(|&(kind, c)| (kind, self.text(r, Some(c))))
                    .collect(),
                amounts: amount_cols
                    .iter()
                    .map(|&(field, c)| {
                        let amount = c.map_or(Amount::Blank, |c| {
                            parse_amount(self.sheet.cell(r, c), self.divisor, self.form)
                        });
                        (field, amount)
                    })
                    .collect(),
                has_amounts: amount_cols
                    .iter()
                    .any(|(_, c)| c.is_some_and(|c| !self.sheet.cell(r, c).is_blank())),
            };
            if let Some(kind) = self.classify(&cells) {
                rows.push((kind, cells));
            }
        }
        rows
    }

    /// What a row is, or `None` for blank and note rows.
    fn classify(&self, cells: &RowCells) -> Option<RowKind> {
        let row = &self.sheet.rows[cells.index];
        if row.iter().all(Cell::is_blank) {
            return None;
        }
        let has_content = cells.has_amounts || !cells.goal.is_empty() || cells.has_indicator();
        if !has_content {
            let first_text = row
                .iter()
                .find(|c| !c.is_blank())
                .map(Cell::display)
                .unwrap_or_default();
            let first_text = first_text.trim();
            let is_note = self.form.rows.notes.iter().any(|w| {
                first_text.strip_prefix(w.as_str()).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with([':', '：', '、', '.', ' '])
                })
            });
            if is_note || cells.name.is_empty() {
                return None;
            }
        }
        let compact: String = cells.name.chars().filter(|c| !c.is_whitespace()).collect();
        if self.form.rows.grand_total.contains(&compact) {
            return Some(RowKind::GrandTotal);
        }
        if !cells.name.is_empty() && cells.goal.is_empty() && !cells.has_indicator() {
            return Some(RowKind::UnitCandidate);
        }
        Some(RowKind::Project)
    }

    /// The unit of projects that come before any unit row: named by the title, else the sheet,
    /// else the file.
    pub fn implicit_unit(&self, file_stem: &str) -> Unit {
        let (name, name_source) = match (&self.layout.unit_name, &self.sheet.name) {
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

    /// Whether a candidate row (a name with no goal and no indicators) is a unit row: it carries
    /// the title's unit name, or a project row follows it, or no unit has started yet. Otherwise
    /// it is a project that lacks its goal and indicators.
    pub fn is_unit_row(&self, rows: &[(RowKind, RowCells)], i: usize, have_unit: bool) -> bool {
        let name = &rows[i].1.name;
        if self.layout.unit_name.as_deref() == Some(name.as_str()) {
            return true;
        }
        let next_is_project = rows.get(i + 1).is_some_and(|(k, _)| *k == RowKind::Project);
        next_is_project || !have_unit
    }

    /// Walks the data rows. The first 合计 row and the unit rows are taken here; every other row
    /// goes to `project_row` with the unit it belongs to (an implicit one when no unit row came
    /// first) and whether a 合计 or unit row came since the previous such row.
    pub fn read_units(
        &self,
        file_stem: &str,
        mut project_row: impl FnMut(&mut Unit, &RowCells, bool),
    ) -> (Option<DeclaredRow>, Vec<Unit>) {
        let rows = self.data_rows();
        let mut grand_total = None;
        let mut units: Vec<Unit> = Vec::new();
        let mut fresh = true;
        for (i, (kind, cells)) in rows.iter().enumerate() {
            match kind {
                RowKind::GrandTotal => {
                    if grand_total.is_none() {
                        grand_total = Some(cells.declared());
                    }
                    fresh = true;
                }
                RowKind::UnitCandidate if self.is_unit_row(&rows, i, !units.is_empty()) => {
                    units.push(Unit {
                        name: cells.name.clone(),
                        name_source: NameSource::UnitRow,
                        declared: Some(cells.declared()),
                        projects: Vec::new(),
                    });
                    fresh = true;
                }
                RowKind::UnitCandidate | RowKind::Project => {
                    if units.is_empty() {
                        units.push(self.implicit_unit(file_stem));
                    }
                    if let Some(unit) = units.last_mut() {
                        project_row(unit, cells, fresh);
                    }
                    fresh = false;
                }
            }
        }
        (grand_total, units)
    }

    /// The table, once its units are read.
    pub fn table(&self, grand_total: Option<DeclaredRow>, units: Vec<Unit>) -> Table {
        Table {
            sheet: self.sheet.name.clone(),
            layout: self.layout.kind,
            header_row: self.sheet.row_number(self.layout.header),
            columns: self.layout.columns.map(|c| self.sheet.col_number(c)),
            money_unit: self.money_unit.clone(),
            grand_total,
            units,
        }
    }
}
