//! Check: the rule catalogue over a normalized submission. One file per rule family; each rule a
//! small function that returns its issues. Thresholds and the taxonomy come from the form.

pub mod amounts;
pub mod indicators;
pub mod projects;
pub mod targets;

use crate::form::{FieldKind, Form};
use crate::issue::{Issue, Place};
use crate::model::{Project, Table, Unit};

/// What every rule needs to name a place: the file, the table and the form.
pub struct Context<'a> {
    pub form: &'a Form,
    pub file: &'a str,
    pub table: &'a Table,
    /// Field index of each amount, in `Amounts` order.
    pub amount_fields: Vec<usize>,
}

impl<'a> Context<'a> {
    pub fn new(form: &'a Form, file: &'a str, table: &'a Table) -> Context<'a> {
        Context {
            form,
            file,
            table,
            amount_fields: form.amount_fields().collect(),
        }
    }

    /// The place of a row, at the column of a form field (when the table has it).
    pub fn place(&self, row: u32, field: Option<usize>) -> Place {
        Place {
            file: self.file.to_string(),
            sheet: self.table.sheet.clone(),
            row: Some(row),
            col: field.and_then(|f| self.table.columns.get(f).copied().flatten()),
        }
    }

    /// The field index of the first field of a kind.
    pub fn field_of(&self, kind: FieldKind) -> Option<usize> {
        self.form.fields.iter().position(|f| f.kind == kind)
    }

    /// Whether the table has a column for the first field of this kind.
    pub fn has_column(&self, kind: FieldKind) -> bool {
        self.field_of(kind)
            .is_some_and(|f| self.table.columns[f].is_some())
    }

    /// The label of the amount at position `i` of `Amounts`.
    pub fn amount_label(&self, i: usize) -> &str {
        &self.form.fields[self.amount_fields[i]].label
    }
}

/// Runs every per-table rule.
pub fn check_table(form: &Form, file: &str, table: &Table) -> Vec<Issue> {
    let ctx = Context::new(form, file, table);
    let mut issues = Vec::new();
    issues.extend(amounts::check_amounts(&ctx));
    for unit in &table.units {
        issues.extend(projects::duplicate_projects(&ctx, unit));
        for project in &unit.projects {
            issues.extend(check_project(&ctx, unit, project));
        }
    }
    issues
}

fn check_project(ctx: &Context, unit: &Unit, project: &Project) -> Vec<Issue> {
    let mut issues = Vec::new();
    issues.extend(projects::missing_project_name(ctx, project));
    issues.extend(projects::missing_goal(ctx, project));
    issues.extend(projects::text_too_long(ctx, project));
    issues.extend(indicators::missing_indicators(ctx, project));
    issues.extend(indicators::bad_indicators(ctx, project));
    issues.extend(indicators::indicator_numbering(ctx, project));
    issues.extend(indicators::category_issues(ctx, project));
    issues.extend(indicators::required_categories(ctx, project));
    issues.extend(indicators::duplicate_indicators(ctx, project));
    issues.extend(targets::check_targets(ctx, project));
    issues
        .into_iter()
        .map(|i| i.in_unit(&unit.name).in_project(&project.name))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::str::FromStr;

    use rust_decimal::Decimal;

    use crate::form::Form;
    use crate::model::{Amount, Amounts, LayoutKind, NameSource, Project, Table, Unit};

    /// Amounts from text: "" is blank, a number a value, anything else a bad cell.
    pub fn amounts(values: &[&str]) -> Amounts {
        Amounts {
            values: values
                .iter()
                .map(|v| match (v.is_empty(), Decimal::from_str(v)) {
                    (true, _) => Amount::Blank,
                    (false, Ok(d)) => Amount::Value(d),
                    (false, Err(_)) => Amount::Bad(v.to_string()),
                })
                .collect(),
        }
    }

    /// A project on row 7 with a goal and no indicators.
    pub fn project(name: &str, values: &[&str]) -> Project {
        Project {
            row: 7,
            name: name.to_string(),
            amounts: amounts(values),
            goal: "目标".to_string(),
            indicator_text: String::new(),
            indicators: Vec::new(),
            indicator_faults: Vec::new(),
        }
    }

    /// A table in the default form's column order (A..G), one unit without a unit row.
    pub fn table(projects: Vec<Project>) -> Table {
        Table {
            sheet: Some("Sheet1".into()),
            layout: LayoutKind::Wide,
            header_row: 4,
            columns: (0..Form::default_form().fields.len() as u32)
                .map(Some)
                .collect(),
            indicator_columns: Vec::new(),
            money_unit: "万元".into(),
            grand_total: None,
            units: vec![Unit {
                name: "示例单位".into(),
                name_source: NameSource::Title,
                declared: None,
                projects,
            }],
        }
    }
}
