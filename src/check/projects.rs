//! Rules on a project's own text: its name (and, later, its goal and duplicates).

use crate::check::Context;
use crate::form::FieldKind;
use crate::issue::{Issue, Rule};
use crate::model::{Amount, Project};

/// missing-project-name: a row with amounts, a goal or indicators but no project name.
pub fn missing_project_name(ctx: &Context, project: &Project) -> Option<Issue> {
    if !project.name.is_empty() {
        return None;
    }
    let has_content = project.amounts.values.iter().any(|a| *a != Amount::Blank)
        || !project.goal.is_empty()
        || !project.indicators.is_empty()
        || !project.indicator_faults.is_empty();
    has_content.then(|| {
        Issue::new(
            Rule::MissingProjectName,
            ctx.place(project.row, ctx.field_of(FieldKind::Name)),
            "此行有金额、绩效目标或指标，但项目名称为空",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::{project, table};
    use crate::form::Form;

    #[test]
    fn unnamed_row_with_content_is_reported() {
        let form = Form::default_form();
        let mut p = project("", &["58.30", "58.30", "", ""]);
        let t = table(vec![p.clone()]);
        let ctx = Context::new(&form, "f.csv", &t);
        let issue = missing_project_name(&ctx, &p).unwrap();
        assert_eq!(issue.place.cell().as_deref(), Some("A7"));
        p.name = "河道保洁经费".into();
        assert!(missing_project_name(&ctx, &p).is_none());
    }
}
