//! Check: the rule catalogue over a normalized submission. One file per rule family (`amounts`,
//! `projects`, `indicators`, `targets`, and `units` for the rules across files); each rule a
//! small function that returns its issues. Thresholds and the taxonomy come from the form.

pub mod amounts;
pub mod funding;
pub mod indicators;
pub mod projects;
pub mod targets;
pub mod units;

use crate::base::form::{FieldKind, Form};
use crate::base::issue::{Issue, Place};
use crate::base::model::{FieldId, Indicator, LayoutKind, Project, Table, Unit};
use crate::base::taxonomy::Assessor;

/// What every rule needs to name a place: the file, the table and the form.
pub struct Context<'a> {
    pub form: &'a Form,
    pub file: &'a str,
    pub table: &'a Table,
}

impl<'a> Context<'a> {
    pub fn new(form: &'a Form, file: &'a str, table: &'a Table) -> Context<'a> {
        Context { form, file, table }
    }

    /// The place of a row, at the column of a form field (when the table has it).
    pub fn place(&self, row: u32, field: Option<FieldId>) -> Place {
        Place {
            file: self.file.to_string(),
            sheet: self.table.sheet.clone(),
            row: Some(row),
            col: field.and_then(|f| self.table.columns.field(f)),
        }
    }

    /// The place of a project's own cell for a form field: where a per-project form has it,
    /// else the project's row in the field's column.
    pub fn place_of(&self, project: &Project, field: Option<FieldId>) -> Place {
        let own = field.and_then(|f| project.cells.iter().find(|(id, _, _)| *id == f));
        match own {
            Some(&(_, row, col)) => Place {
                file: self.file.to_string(),
                sheet: self.table.sheet.clone(),
                row: Some(row),
                col: Some(col),
            },
            None => self.place(project.row, field),
        }
    }

    /// The place of an indicator: its own row where it has one, else the project's indicator
    /// cell.
    pub fn place_of_indicator(&self, project: &Project, indicator: &Indicator) -> Place {
        let field = self.field_of(FieldKind::Indicators);
        match indicator.row {
            Some(row) => Place {
                row: Some(row),
                ..self.place_of(project, field)
            },
            None => self.place_of(project, field),
        }
    }

    /// An amount back in the money unit the table states (万元 → 元 multiplies by 10,000),
    /// without trailing zeros.
    pub fn as_stated(&self, value: rust_decimal::Decimal) -> rust_decimal::Decimal {
        let divisor = self
            .form
            .money_unit(&self.table.money_unit)
            .map_or(rust_decimal::Decimal::ONE, |u| u.divisor);
        value.checked_mul(divisor).unwrap_or(value).normalize()
    }

    /// The first field of a kind.
    pub fn field_of(&self, kind: FieldKind) -> Option<FieldId> {
        self.form.field_of(kind)
    }

    /// Whether the table has a column for the first field of this kind.
    pub fn has_column(&self, kind: FieldKind) -> bool {
        // A per-project form has a place for every field in each block.
        self.table.layout == LayoutKind::Project
            || self
                .field_of(kind)
                .is_some_and(|f| self.table.columns.field(f).is_some())
    }

    /// A field's label, as the form writes it.
    pub fn label(&self, field: FieldId) -> &str {
        &self.form[field].label
    }
}

/// Runs every per-table rule.
pub fn check_table(form: &Form, file: &str, table: &Table) -> Vec<Issue> {
    let ctx = Context::new(form, file, table);
    let mut issues = Vec::new();
    issues.extend(amounts::check_amounts(&ctx));
    // The table's indicators share a few pairs of categories: each is assessed once.
    let mut assessor = form.taxonomy.assessor();
    for unit in &table.units {
        issues.extend(projects::duplicate_projects(&ctx, unit));
        issues.extend(projects::unit_name_too_long(&ctx, unit));
        for project in &unit.projects {
            issues.extend(check_project(&ctx, unit, project, &mut assessor));
        }
    }
    issues
}

fn check_project<'p>(
    ctx: &Context,
    unit: &Unit,
    project: &'p Project,
    assessor: &mut Assessor<'p>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    issues.extend(projects::missing_project_name(ctx, project));
    issues.extend(projects::missing_goal(ctx, project));
    issues.extend(projects::text_too_long(ctx, project));
    issues.extend(indicators::missing_indicators(ctx, project));
    issues.extend(indicators::bad_indicators(ctx, project));
    issues.extend(indicators::indicator_numbering(ctx, project));
    let assessed = indicators::assess(assessor, project);
    issues.extend(indicators::category_issues(ctx, project, &assessed));
    issues.extend(indicators::required_categories(ctx, project, &assessed));
    issues.extend(indicators::duplicate_indicators(ctx, project));
    issues.extend(indicators::weight_sum(ctx, project));
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

    use crate::base::form::Form;
    use crate::base::model::{Amount, Amounts, LayoutKind, NameSource, Project, Table, Unit};

    /// Amounts of the default form's amount fields, in order, from text: "" is blank, a
    /// number a value, anything else a bad cell.
    pub fn amounts(values: &[&str]) -> Amounts {
        Form::default_form()
            .amount_fields()
            .zip(values)
            .map(|(field, v)| {
                let amount = match (v.is_empty(), Decimal::from_str(v)) {
                    (true, _) => Amount::Blank,
                    (false, Ok(d)) => Amount::Value(d),
                    (false, Err(_)) => Amount::Bad(v.to_string()),
                };
                (field, amount)
            })
            .collect()
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
            ..Project::default()
        }
    }

    /// A table in the default form's column order (A..G), one unit without a unit row.
    pub fn table(projects: Vec<Project>) -> Table {
        Table {
            sheet: Some("Sheet1".into()),
            layout: LayoutKind::Wide,
            header_row: 4,
            columns: {
                let form = Form::default_form();
                let mut columns = form.no_columns();
                for (col, field) in form.field_ids().enumerate() {
                    columns.set_field(field, col as u32);
                }
                columns
            },
            money_unit: "万元".into(),
            grand_total: None,
            units: vec![Unit {
                name: "示例单位".into(),
                code: None,
                department: None,
                name_source: NameSource::Title,
                declared: None,
                projects,
                parked: None,
            }],
        }
    }
}
