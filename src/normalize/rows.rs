//! What both layouts share: the issues of the header itself (missing columns, no money unit),
//! the rows below the header read as the form's fields, which of them are blank, notes, 合计 or
//! unit rows, and the unit a table's projects belong to.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::base::form::{FieldKind, Form, IndicatorKind};
use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{Amount, Amounts, DeclaredRow, FieldId, NameSource, Table, Unit};
use crate::base::text::{name_key, split_code};
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
pub struct RowCells<'a> {
    /// Index into the sheet's rows.
    pub index: usize,
    /// 1-based row number.
    pub row: u32,
    /// The texts are the sheet's own, trimmed (a number's is made): a goal merged over a
    /// project's indicator rows is not copied for each of them.
    pub name: Cow<'a, str>,
    pub goal: Cow<'a, str>,
    /// The wide layout's indicator cell.
    pub indicators: Cow<'a, str>,
    /// The long layout's indicator cells that the header has, in form order, with their kind.
    pub indicator_cells: Vec<(IndicatorKind, Cow<'a, str>)>,
    pub amounts: Amounts,
    pub has_amounts: bool,
}

impl RowCells<'_> {
    /// The long-layout cell of the first field of a kind ("" when absent).
    pub fn indicator_cell(&self, kind: IndicatorKind) -> &str {
        self.indicator_cells
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or("", |(_, text)| text.as_ref())
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

    /// The rows below the header that hold data, classified; blank and note rows left out.
    pub fn data_rows(&self) -> Vec<(RowKind, RowCells<'a>)> {
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
                name: self.sheet.text(r, name_col),
                goal: self.sheet.text(r, goal_col),
                indicators: self.sheet.text(r, indicator_col),
                indicator_cells: indicator_cols
                    .iter()
                    .map(|&(kind, c)| (kind, self.sheet.text(r, Some(c))))
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
        // One text across the whole row: a note or a signature line merged over the table
        // (注：…, 填报人：… over A:G), which filling merged cells has copied into every column.
        let mut filled = row.iter().filter(|c| !c.is_blank());
        if let Some(first) = filled.next() {
            let across = row.iter().filter(|c| !c.is_blank()).count() >= 3
                && filled.all(|c| c == first)
                && matches!(first, Cell::Text(_));
            if across {
                return None;
            }
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
        // The name with its spaces left out, compared without making it.
        let compact = || cells.name.chars().filter(|c| !c.is_whitespace());
        if self
            .form
            .rows
            .grand_total
            .iter()
            .any(|total| total.chars().eq(compact()))
        {
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
            code: None,
            department: None,
            name_source,
            declared: None,
            projects: Vec::new(),
            parked: None,
        }
    }

    /// Whether a candidate row (a name with no goal and no indicators) is a unit row: it carries
    /// the title's unit name, or a project row follows it, or no unit has started yet. Otherwise
    /// it is a project that lacks its goal and indicators.
    pub fn is_unit_row(&self, rows: &[(RowKind, RowCells)], i: usize, have_unit: bool) -> bool {
        let name = &rows[i].1.name;
        if self.layout.unit_name.as_deref() == Some(name.as_ref()) {
            return true;
        }
        let next_is_project = rows.get(i + 1).is_some_and(|(k, _)| *k == RowKind::Project);
        next_is_project || !have_unit
    }

    /// Walks the rows of a table that names the unit on each row (the budget-system export):
    /// a unit cell starts that unit (its code kept apart); a unit cell on a row with amounts and
    /// no project is the department above the units when its code is a prefix of the next
    /// unit's ("820-某某镇部门" over "820001-…"), else that unit's own row.
    fn read_units_by_column(
        &self,
        file_stem: &str,
        mut project_row: impl FnMut(&mut Unit, &RowCells, bool),
    ) -> (Option<DeclaredRow>, Vec<Unit>) {
        let rows = self.data_rows();
        let unit_of = |cells: &RowCells| split_code(cells.indicator_cell(IndicatorKind::Unit));
        let mut department: Option<String> = None;
        let mut grand_total = None;
        let mut units: Vec<Unit> = Vec::new();
        for (i, (kind, cells)) in rows.iter().enumerate() {
            let (name, code) = unit_of(cells);
            if *kind == RowKind::GrandTotal {
                grand_total.get_or_insert_with(|| cells.declared());
                continue;
            }
            // A unit cell merged over the project's ("820-某某镇部门" across both) names no project.
            let no_project =
                cells.name.is_empty() || cells.name == cells.indicator_cell(IndicatorKind::Unit);
            if !name.is_empty() && no_project {
                let next_code = rows[i + 1..]
                    .iter()
                    .map(|(_, c)| unit_of(c).1)
                    .find(|c| c.is_some())
                    .flatten();
                let above = match (&code, &next_code) {
                    (Some(c), Some(n)) => n.len() > c.len() && n.starts_with(c.as_str()),
                    _ => false,
                };
                if above {
                    department = Some(name);
                    grand_total.get_or_insert_with(|| cells.declared());
                } else {
                    units.push(Unit {
                        name,
                        code,
                        department: department.clone(),
                        name_source: NameSource::UnitRow,
                        declared: Some(cells.declared()),
                        projects: Vec::new(),
                        parked: None,
                    });
                }
                continue;
            }
            let fresh = !name.is_empty()
                && units
                    .last()
                    .is_none_or(|u| name_key(&u.name) != name_key(&name));
            if fresh {
                units.push(Unit {
                    name,
                    code,
                    department: department.clone(),
                    name_source: NameSource::UnitRow,
                    declared: None,
                    projects: Vec::new(),
                    parked: None,
                });
            }
            if units.is_empty() {
                units.push(self.implicit_unit(file_stem));
            }
            if let Some(unit) = units.last_mut() {
                let starts = fresh || unit.projects.is_empty();
                project_row(unit, cells, starts);
            }
        }
        (grand_total, units)
    }

    /// Whether the header has a column naming the unit on each row.
    fn has_unit_column(&self) -> bool {
        self.form
            .indicator_field_of(IndicatorKind::Unit)
            .is_some_and(|f| self.layout.columns.indicator(f).is_some())
    }

    /// Walks the data rows. The first 合计 row and the unit rows are taken here; every other row
    /// goes to `project_row` with the unit it belongs to (an implicit one when no unit row came
    /// first) and whether a 合计 or unit row came since the previous such row.
    pub fn read_units(
        &self,
        file_stem: &str,
        mut project_row: impl FnMut(&mut Unit, &RowCells, bool),
    ) -> (Option<DeclaredRow>, Vec<Unit>) {
        if self.has_unit_column() {
            return self.read_units_by_column(file_stem, project_row);
        }
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
                        name: cells.name.to_string(),
                        code: None,
                        department: None,
                        name_source: NameSource::UnitRow,
                        declared: Some(cells.declared()),
                        projects: Vec::new(),
                        parked: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::{LayoutKind, Project};
    use crate::locate::locate_sheet;

    const HEADER: &[&str] = &[
        "项目名称（资金使用单位）",
        "总计",
        "财政拨款",
        "财政专户拨款",
        "其他资金",
        "绩效目标",
        "绩效指标",
    ];
    const INDICATOR: &str =
        "1、1-产出指标；11-数量指标；里程；实施周期指标值:≥30公里；年度指标值:≥30公里";

    /// A cell from text: "" is empty, a plain number a number, anything else text.
    fn cell(s: &str) -> Cell {
        match s.parse::<f64>() {
            _ if s.is_empty() => Cell::Empty,
            Ok(n) => Cell::Number(n),
            Err(_) => Cell::Text(s.into()),
        }
    }

    fn sheet(name: Option<&str>, rows: &[Vec<&str>]) -> Sheet {
        Sheet {
            name: name.map(str::to_string),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| cell(s)).collect())
                .collect(),
            ..Sheet::default()
        }
    }

    /// A complete project row: 总计 = 财政拨款, a goal and one indicator.
    fn project<'a>(name: &'a str, total: &'a str) -> Vec<&'a str> {
        vec![name, total, total, "", "", "养护道路", INDICATOR]
    }

    /// A name with amounts, no goal and no indicators: a unit row or a bare project.
    fn bare<'a>(name: &'a str, total: &'a str) -> Vec<&'a str> {
        vec![name, total, total]
    }

    /// The money-unit line, the header, then `body`.
    fn form_sheet(name: Option<&str>, body: Vec<Vec<&str>>) -> Sheet {
        let mut rows = vec![vec!["单位：万元"], HEADER.to_vec()];
        rows.extend(body);
        sheet(name, &rows)
    }

    /// Runs `f` on a reader of `sheet` located with the default form.
    fn with_reader<R>(sheet: &Sheet, f: impl FnOnce(&SheetReader) -> R) -> R {
        let form = Form::default_form();
        let layout = locate_sheet(sheet, &form).expect("header found");
        let (reader, _) = SheetReader::new(sheet, &layout, &form, "f.xlsx");
        f(&reader)
    }

    fn kinds(sheet: &Sheet) -> Vec<(RowKind, u32, String)> {
        with_reader(sheet, |r| {
            r.data_rows()
                .into_iter()
                .map(|(k, c)| (k, c.row, c.name.into_owned()))
                .collect()
        })
    }

    /// `read_units` with a callback that records each project row and its `fresh` flag.
    fn read_units(sheet: &Sheet, stem: &str) -> (Option<DeclaredRow>, Vec<Unit>, Vec<bool>) {
        with_reader(sheet, |reader| {
            let mut fresh_flags = Vec::new();
            let (total, units) = reader.read_units(stem, |unit, cells, fresh| {
                fresh_flags.push(fresh);
                unit.projects.push(Project {
                    row: cells.row,
                    name: cells.name.to_string(),
                    amounts: cells.amounts.clone(),
                    goal: cells.goal.to_string(),
                    indicator_text: cells.indicators.to_string(),
                    indicators: Vec::new(),
                    indicator_faults: Vec::new(),
                    ..Project::default()
                });
            });
            (total, units, fresh_flags)
        })
    }

    /// Each unit as (name, where the name came from, its project names).
    fn outline(units: &[Unit]) -> Vec<(&str, NameSource, Vec<&str>)> {
        units
            .iter()
            .map(|u| {
                let projects = u.projects.iter().map(|p| p.name.as_str()).collect();
                (u.name.as_str(), u.name_source, projects)
            })
            .collect()
    }

    fn value(s: &str) -> Amount {
        Amount::Value(s.parse().unwrap())
    }

    // 合计, a unit row and a project row are classified; blank rows and 注/填报人 notes are dropped.
    #[test]
    fn data_rows_classify_total_unit_and_project_and_drop_blank_and_note_rows() {
        let s = form_sheet(
            Some("Sheet1"),
            vec![
                vec!["合计", "10", "10"],
                bare("示例单位甲", "10"),
                vec![],
                project("道路养护", "10"),
                vec!["  ", "", ""],
                vec!["注：本表金额单位为万元"],
                // Text beyond the form's columns does not make a note a row of data.
                vec!["填报人：张三", "", "", "", "", "", "", "联系电话：123"],
                vec!["备注"],
            ],
        );
        assert_eq!(
            kinds(&s),
            [
                (RowKind::GrandTotal, 3, "合计".to_string()),
                (RowKind::UnitCandidate, 4, "示例单位甲".to_string()),
                (RowKind::Project, 6, "道路养护".to_string()),
            ]
        );
    }

    // Note words match only as a whole word; 合 计/总计 are totals; a nameless row with amounts is
    // kept as a project, a nameless row with text outside the form's columns is dropped.
    #[test]
    fn data_rows_edge_cases_of_notes_totals_and_nameless_rows() {
        let s = form_sheet(
            None,
            vec![
                bare("注意事项宣传", "5"),
                vec!["说明书印制"],
                vec!["", "3", "3", "", "", "目标"],
                vec!["", "", "", "", "", "", "", "", "页脚文字"],
                vec!["合 计", "8", "8"],
                vec!["总计"],
                vec!["注：", "1", "1"],
            ],
        );
        assert_eq!(
            kinds(&s),
            [
                (RowKind::UnitCandidate, 3, "注意事项宣传".to_string()),
                (RowKind::UnitCandidate, 4, "说明书印制".to_string()),
                (RowKind::Project, 5, String::new()),
                (RowKind::GrandTotal, 7, "合 计".to_string()),
                (RowKind::GrandTotal, 8, "总计".to_string()),
                // A "note" that carries amounts is data, not a note.
                (RowKind::UnitCandidate, 9, "注：".to_string()),
            ]
        );
    }

    // Cells are read as the form's fields: trimmed text, amounts in 万元 from the stated 元,
    // row numbers counted from the sheet's first stored row.
    #[test]
    fn data_rows_read_fields_in_the_forms_money_unit() {
        let mut s = sheet(
            None,
            &[
                vec!["单位：元"],
                HEADER.to_vec(),
                vec![
                    " 道路养护 ",
                    "123,400",
                    "100000",
                    "",
                    "23400",
                    " 养护道路 ",
                    INDICATOR,
                ],
                vec!["绿化", "", "待定"],
            ],
        );
        s.first_row = 4;
        let rows: Vec<(RowKind, RowCells<'static>)> = with_reader(&s, |r| {
            let owned = |c: Cow<str>| Cow::Owned(c.into_owned());
            r.data_rows()
                .into_iter()
                .map(|(k, c)| {
                    let cells = RowCells {
                        name: owned(c.name),
                        goal: owned(c.goal),
                        indicators: owned(c.indicators),
                        indicator_cells: Vec::new(),
                        ..c
                    };
                    (k, cells)
                })
                .collect()
        });
        assert_eq!(rows.len(), 2);
        let form = Form::default_form();
        let f: Vec<FieldId> = form.amount_fields().collect();

        let (kind, road) = &rows[0];
        assert_eq!(*kind, RowKind::Project);
        assert_eq!((road.index, road.row), (2, 7));
        assert_eq!(road.name, "道路养护");
        assert_eq!(road.goal, "养护道路");
        assert_eq!(road.indicators, INDICATOR);
        assert!(road.has_amounts && road.has_indicator());
        assert_eq!(*road.amounts.get(f[0]), value("12.34"));
        assert_eq!(*road.amounts.get(f[1]), value("10"));
        assert_eq!(*road.amounts.get(f[2]), Amount::Blank);
        assert_eq!(*road.amounts.get(f[3]), value("2.34"));
        assert_eq!(road.declared().row, 7);

        let (kind, green) = &rows[1];
        assert_eq!(*kind, RowKind::UnitCandidate);
        assert!(green.has_amounts);
        assert_eq!(*green.amounts.get(f[1]), Amount::Bad("待定".into()));
    }

    // A candidate is a unit row when it bears the title's unit name, when a project follows it,
    // or when no unit has started; otherwise it is a bare project.
    #[test]
    fn is_unit_row_by_title_name_next_row_and_started_unit() {
        let mut rows = vec![
            vec!["单位名称：示例单位甲"],
            vec!["单位：万元"],
            HEADER.to_vec(),
        ];
        rows.extend([
            bare("示例单位乙", "10"), // 0: followed by a project
            project("道路养护", "5"), // 1
            bare("绿化", "5"),        // 2: followed by a candidate
            bare("示例单位甲", "0"),  // 3: the title's name, followed by a candidate
            bare("清洁", "0"),        // 4: the last row
        ]);
        let s = sheet(Some("Sheet1"), &rows);
        with_reader(&s, |r| {
            let data = r.data_rows();
            assert_eq!(data.len(), 5);
            assert!(r.is_unit_row(&data, 0, true));
            assert!(!r.is_unit_row(&data, 2, true));
            assert!(r.is_unit_row(&data, 2, false));
            assert!(r.is_unit_row(&data, 3, true));
            assert!(!r.is_unit_row(&data, 4, true));
            assert!(r.is_unit_row(&data, 4, false));
        });
    }

    // The seed's shape: 合计, then per unit its unit row and projects. Only the first 合计 is kept,
    // and `fresh` is true right after a 合计 or unit row.
    #[test]
    fn read_units_unit_rows_followed_by_their_projects() {
        let s = form_sheet(
            Some("Sheet1"),
            vec![
                vec!["合计", "4,671.23", "4,671.23"],
                bare("示例单位甲", "30"),
                project("道路养护", "10"),
                project("绿化", "20"),
                bare("示例单位乙", "4,641.23"),
                project("信息化", "4,641.23"),
                vec!["总计", "1", "1"],
            ],
        );
        let (total, units, fresh) = read_units(&s, "f");
        let total = total.expect("合计 row");
        assert_eq!(total.row, 3);
        let form = Form::default_form();
        let total_field = form.total_field().unwrap();
        assert_eq!(*total.amounts.get(total_field), value("4671.23"));
        assert_eq!(
            outline(&units),
            [
                ("示例单位甲", NameSource::UnitRow, vec!["道路养护", "绿化"]),
                ("示例单位乙", NameSource::UnitRow, vec!["信息化"]),
            ]
        );
        let declared = units[1].declared.as_ref().expect("unit row");
        assert_eq!(declared.row, 7);
        assert_eq!(*declared.amounts.get(total_field), value("4641.23"));
        assert_eq!(units[1].projects[0].row, 8);
        assert_eq!(fresh, [true, false, true]);
    }

    // A project with neither goal nor indicators stays in its unit when the next row is another
    // unit's row, another bare row or the end of the table.
    #[test]
    fn read_units_bare_project_not_followed_by_a_project_stays_in_its_unit() {
        let s = form_sheet(
            Some("Sheet1"),
            vec![
                bare("示例单位甲", "30"),
                project("道路养护", "10"),
                bare("绿化", "20"),
                bare("示例单位乙", "5"),
                project("信息化", "5"),
                bare("清洁", "0"),
                bare("保安", "0"),
            ],
        );
        let (_, units, fresh) = read_units(&s, "f");
        assert_eq!(
            outline(&units),
            [
                ("示例单位甲", NameSource::UnitRow, vec!["道路养护", "绿化"]),
                (
                    "示例单位乙",
                    NameSource::UnitRow,
                    vec!["信息化", "清洁", "保安"]
                ),
            ]
        );
        assert!(units[0].projects[1].goal.is_empty());
        assert_eq!(fresh, [true, false, true, false, false]);
    }

    // The known limit (README "Limits known today"): a bare project followed by a project looks
    // exactly like a unit row and starts a new unit.
    #[test]
    fn read_units_bare_project_followed_by_a_project_is_read_as_a_unit_row() {
        let s = form_sheet(
            Some("Sheet1"),
            vec![
                bare("示例单位甲", "30"),
                project("道路养护", "10"),
                bare("绿化", "20"),
                project("信息化", "5"),
            ],
        );
        let (_, units, _) = read_units(&s, "f");
        assert_eq!(
            outline(&units),
            [
                ("示例单位甲", NameSource::UnitRow, vec!["道路养护"]),
                ("绿化", NameSource::UnitRow, vec!["信息化"]),
            ]
        );
    }

    // Projects before any unit row go to an implicit unit named by the title, else a sheet name
    // that is not generic (trimmed), else the file's stem; a later unit row still opens a unit.
    #[test]
    fn read_units_implicit_unit_from_title_sheet_or_file() {
        let body = || {
            vec![
                project("道路养护", "10"),
                bare("示例单位乙", "5"),
                project("信息化", "5"),
            ]
        };
        let mut rows = vec![
            vec!["单位名称：示例单位甲"],
            vec!["单位：万元"],
            HEADER.to_vec(),
        ];
        rows.extend(body());
        let (_, units, _) = read_units(&sheet(Some("示例单位丙"), &rows), "示例单位丁");
        assert_eq!(
            outline(&units),
            [
                ("示例单位甲", NameSource::Title, vec!["道路养护"]),
                ("示例单位乙", NameSource::UnitRow, vec!["信息化"]),
            ]
        );
        assert!(units[0].declared.is_none());

        let cases = [
            (Some(" 示例单位丙 "), "示例单位丙", NameSource::Sheet),
            (Some("Sheet1"), "示例单位丁", NameSource::File),
            (Some("工作表2"), "示例单位丁", NameSource::File),
            (Some("表 3"), "示例单位丁", NameSource::File),
            (None, "示例单位丁", NameSource::File),
        ];
        for (sheet_name, name, source) in cases {
            let (_, units, _) = read_units(&form_sheet(sheet_name, body()), "示例单位丁");
            assert_eq!(
                (units[0].name.as_str(), units[0].name_source),
                (name, source),
                "sheet {sheet_name:?}"
            );
            assert_eq!(units.len(), 2);
        }
    }

    // `table` reports the header row and columns as the file numbers them, the stated money unit
    // (else the form's, with an unknown-money-unit issue from `new`) and what it is given.
    #[test]
    fn table_places_header_and_columns_in_file_coordinates() {
        let mut s = sheet(
            Some("示例单位甲"),
            &[
                vec!["项目名称", "总计", "财政拨款", "绩效目标", "绩效指标"],
                vec!["道路养护", "10", "10", "养护道路", INDICATOR],
            ],
        );
        s.first_row = 2;
        s.first_col = 1;
        let form = Form::default_form();
        let layout = locate_sheet(&s, &form).unwrap();
        let (reader, issues) = SheetReader::new(&s, &layout, &form, "f.xlsx");
        let rules: Vec<Rule> = issues.iter().map(|i| i.rule).collect();
        assert_eq!(rules, [Rule::UnknownMoneyUnit]);
        assert_eq!(issues[0].place.row, Some(3));
        let (total, units) = reader.read_units("f", |u, c, _| {
            u.projects.push(Project {
                row: c.row,
                name: c.name.to_string(),
                amounts: c.amounts.clone(),
                goal: String::new(),
                indicator_text: String::new(),
                indicators: Vec::new(),
                indicator_faults: Vec::new(),
                ..Project::default()
            })
        });
        let table = reader.table(total, units);
        assert_eq!(table.sheet.as_deref(), Some("示例单位甲"));
        assert_eq!(table.layout, LayoutKind::Wide);
        assert_eq!(table.header_row, 3);
        assert_eq!(table.money_unit, "万元");
        let col = |key: &str| table.columns.field(form.field_by_key(key).unwrap());
        assert_eq!(col("name"), Some(1));
        assert_eq!(col("total"), Some(2));
        assert_eq!(col("goal"), Some(4));
        assert_eq!(col("indicators"), Some(5));
        assert_eq!(col("special"), None);
        assert!(table.grand_total.is_none());
        assert_eq!(table.units.len(), 1);
        assert_eq!(table.units[0].name, "示例单位甲");
        assert_eq!(table.units[0].projects[0].row, 4);
    }
}
