//! Rules on a project's own text: its name, its goal, and no project twice in a unit.

use crate::base::form::FieldKind;
use crate::base::issue::{Issue, Rule};
use crate::base::model::{Project, Unit};
use crate::base::text::{excel_len, group_digits, name_key, MAX_CELL_CHARS};
use crate::check::Context;

/// text-too-long: a name, goal or indicator cell longer than an Excel cell holds; the workbook
/// keeps its first 32,767 characters.
pub fn text_too_long(ctx: &Context, project: &Project) -> Vec<Issue> {
    [
        (FieldKind::Name, "项目名称", &project.name),
        (FieldKind::Goal, "绩效目标", &project.goal),
        (FieldKind::Indicators, "绩效指标", &project.indicator_text),
    ]
    .into_iter()
    // A text of at most MAX_CELL_CHARS bytes has no more UTF-16 units than that.
    .filter(|(_, _, text)| text.len() > MAX_CELL_CHARS)
    .filter_map(|(kind, label, text)| {
        let chars = excel_len(text);
        (chars > MAX_CELL_CHARS).then(|| {
            Issue::new(
                Rule::TextTooLong,
                ctx.place_of(project, ctx.field_of(kind)),
                format!(
                    "{label}有 {} 个字符，超过 Excel 单元格的上限 {} 个，汇总表中只保留前 {} 个",
                    group_digits(&chars.to_string()),
                    group_digits(&MAX_CELL_CHARS.to_string()),
                    group_digits(&MAX_CELL_CHARS.to_string())
                ),
            )
        })
    })
    .collect()
}

/// text-too-long for a unit's name: cut to what a cell holds in every output.
pub fn unit_name_too_long(ctx: &Context, unit: &Unit) -> Option<Issue> {
    let len = excel_len(&unit.name);
    (len > MAX_CELL_CHARS).then(|| {
        let row = unit
            .declared
            .as_ref()
            .map(|d| d.row)
            .or_else(|| unit.projects.first().map(|p| p.row))
            .unwrap_or(ctx.table.header_row);
        Issue::new(
            Rule::TextTooLong,
            ctx.place(row, ctx.field_of(FieldKind::Name)),
            format!(
                "单位名称有 {} 个字符，超过 Excel 单元格的上限 {} 个，各输出中只保留前 {} 个",
                group_digits(&len.to_string()),
                group_digits(&MAX_CELL_CHARS.to_string()),
                group_digits(&MAX_CELL_CHARS.to_string())
            ),
        )
    })
}

/// missing-goal: a named project with no 绩效目标 (when the table has the column);
/// missing-annual-goal: a per-project form whose period goal is written and whose year's is not.
pub fn missing_goal(ctx: &Context, project: &Project) -> Option<Issue> {
    let missing =
        ctx.has_column(FieldKind::Goal) && project.goal.is_empty() && !project.name.is_empty();
    missing.then(|| {
        let place = ctx.place_of(project, ctx.field_of(FieldKind::Goal));
        if project.goal_period.is_empty() {
            Issue::new(
                Rule::MissingGoal,
                place,
                format!("项目“{}”没有填写绩效目标", project.name),
            )
        } else {
            Issue::new(
                Rule::MissingAnnualGoal,
                place,
                format!("项目“{}”填写了中期目标，但年度目标为空", project.name),
            )
        }
    })
}

/// duplicate-project: a project name a second time in one unit; the later row is reported.
pub fn duplicate_projects(ctx: &Context, unit: &Unit) -> Vec<Issue> {
    let mut first_row: crate::base::FastMap<String, u32> = crate::base::FastMap::default();
    let mut issues = Vec::new();
    for project in unit.projects.iter().filter(|p| !p.name.is_empty()) {
        match first_row.get(name_key(&project.name).as_ref()) {
            Some(row) => issues.push(
                Issue::new(
                    Rule::DuplicateProject,
                    ctx.place_of(project, ctx.field_of(FieldKind::Name)),
                    format!("项目“{}”在本单位第 {row} 行已出现", project.name),
                )
                .in_unit(&unit.name)
                .in_project(&project.name),
            ),
            None => {
                first_row.insert(name_key(&project.name).into_owned(), project.row);
            }
        }
    }
    issues
}

/// missing-project-name: a row with amounts, a goal or indicators but no project name.
pub fn missing_project_name(ctx: &Context, project: &Project) -> Option<Issue> {
    if !project.name.is_empty() {
        return None;
    }
    let has_content = !project.amounts.is_blank()
        || !project.goal.is_empty()
        || !project.indicators.is_empty()
        || !project.indicator_faults.is_empty();
    has_content.then(|| {
        Issue::new(
            Rule::MissingProjectName,
            ctx.place_of(project, ctx.field_of(FieldKind::Name)),
            "此行有金额、绩效目标或指标，但项目名称为空",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::Form;
    use crate::check::tests::{project, table};

    #[test]
    fn text_longer_than_a_cell() {
        let form = Form::default_form();
        let mut p = project("河道保洁经费", &["1", "1", "", ""]);
        p.goal = "目".repeat(32_767);
        let t = table(vec![p.clone()]);
        let ctx = Context::new(&form, "f.csv", &t);
        assert!(text_too_long(&ctx, &p).is_empty());
        p.goal = "目".repeat(40_000);
        let issues = text_too_long(&ctx, &p);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].place.cell().as_deref(), Some("F7"));
        assert_eq!(
            issues[0].message,
            "绩效目标有 40,000 个字符，超过 Excel 单元格的上限 32,767 个，汇总表中只保留前 32,767 个"
        );
        assert_eq!(
            crate::base::text::excel_text(&p.goal).chars().count(),
            32_767
        );
    }

    #[test]
    fn missing_goal_and_duplicates() {
        let form = Form::default_form();
        let mut p = project("河道保洁经费", &["1", "1", "", ""]);
        let t = table(vec![p.clone()]);
        let ctx = Context::new(&form, "f.csv", &t);
        assert!(missing_goal(&ctx, &p).is_none());
        p.goal.clear();
        assert_eq!(
            missing_goal(&ctx, &p).unwrap().place.cell().as_deref(),
            Some("F7")
        );

        let mut again = project("河道保洁经费 ", &["1", "1", "", ""]);
        again.row = 9;
        let other = project("社区讲座", &["1", "1", "", ""]);
        let t = table(vec![p.clone(), other, again]);
        let ctx = Context::new(&form, "f.csv", &t);
        let issues = duplicate_projects(&ctx, &t.units[0]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].place.row, Some(9));
        assert_eq!(
            issues[0].message,
            "项目“河道保洁经费 ”在本单位第 7 行已出现"
        );
        let t = table(vec![p]);
        assert!(duplicate_projects(&Context::new(&form, "f", &t), &t.units[0]).is_empty());
        assert_eq!(name_key("示例单位　丙 （ＡＢ）"), "示例单位丙(AB)");
    }

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
