//! Amount rules: every amount a number; 总计 = the sum of the funding columns on every row; each
//! unit row = the sum of its projects; 合计 = the sum of the unit rows. Each declared total is
//! checked against the rows directly below it, and a cell that failed to parse is left out of
//! every sum that depends on it, so one fault gives one issue.

use rust_decimal::Decimal;

use crate::base::issue::{Issue, Rule};
use crate::base::model::{Amount, Amounts, FieldId, LayoutKind};
use crate::base::text::format_amount;
use crate::check::Context;

/// All amount rules over one table.
pub fn check_amounts(ctx: &Context) -> Vec<Issue> {
    let mut issues = Vec::new();
    let table = ctx.table;
    if table.layout == LayoutKind::Project {
        // A per-project form states its own sums, line by line: see `check::funding`.
        for unit in &table.units {
            for project in &unit.projects {
                let found = crate::check::funding::check_funding(ctx, project);
                issues.extend(found.into_iter().map(|i| i.in_unit(&unit.name)));
            }
        }
        return issues;
    }
    if let Some(total) = &table.grand_total {
        issues.extend(bad_amounts(ctx, total.row, &total.amounts));
        let all_declared =
            !table.units.is_empty() && table.units.iter().all(|u| u.declared.is_some());
        let parts: Vec<&Amounts> = if all_declared {
            table
                .units
                .iter()
                .filter_map(|u| u.declared.as_ref().map(|d| &d.amounts))
                .collect()
        } else {
            table
                .units
                .iter()
                .flat_map(|u| u.projects.iter().map(|p| &p.amounts))
                .collect()
        };
        let what = if all_declared {
            format!("{} 个单位之和", parts.len())
        } else {
            format!("{} 个项目之和", parts.len())
        };
        // The budget-system export's department row stands where 合计 would.
        let row_name = match table.units.first().and_then(|u| u.department.as_deref()) {
            Some(_) => "部门行",
            None => "合计行",
        };
        issues.extend(check_declared(
            ctx,
            Rule::TotalMismatch,
            row_name,
            total.row,
            &total.amounts,
            &parts,
            &what,
        ));
    }
    for unit in &table.units {
        let mut unit_issues = Vec::new();
        if let Some(declared) = &unit.declared {
            unit_issues.extend(bad_amounts(ctx, declared.row, &declared.amounts));
            let parts: Vec<&Amounts> = unit.projects.iter().map(|p| &p.amounts).collect();
            let what = format!("其 {} 个项目之和", parts.len());
            unit_issues.extend(check_declared(
                ctx,
                Rule::SubtotalMismatch,
                "单位行",
                declared.row,
                &declared.amounts,
                &parts,
                &what,
            ));
        }
        for project in &unit.projects {
            let project_issues = bad_amounts(ctx, project.row, &project.amounts)
                .into_iter()
                .chain(sum_mismatch(ctx, project.row, &project.amounts))
                .chain(negative_amounts(ctx, project.row, &project.amounts))
                .chain(amount_precision(ctx, project.row, &project.amounts));
            unit_issues.extend(project_issues.map(|i| i.in_project(&project.name)));
        }
        issues.extend(unit_issues.into_iter().map(|i| i.in_unit(&unit.name)));
    }
    issues
}

/// bad-amount: an amount cell that is not a number.
fn bad_amounts(ctx: &Context, row: u32, amounts: &Amounts) -> Vec<Issue> {
    amounts
        .iter()
        .filter_map(|(field, a)| match a {
            Amount::Bad(text) => Some(Issue::new(
                Rule::BadAmount,
                ctx.place(row, Some(field)),
                format!("{}“{}”不是数字", ctx.label(field), text),
            )),
            _ => None,
        })
        .collect()
}

/// negative-amount: a project's amount below zero, one issue per cell.
fn negative_amounts(ctx: &Context, row: u32, amounts: &Amounts) -> Vec<Issue> {
    amounts
        .iter()
        .filter_map(|(field, a)| match a {
            Amount::Value(d) if d.is_sign_negative() && !d.is_zero() => Some(Issue::new(
                Rule::NegativeAmount,
                ctx.place(row, Some(field)),
                format!("{} {} 为负数", ctx.label(field), format_amount(*d)),
            )),
            _ => None,
        })
        .collect()
}

/// amount-precision: amounts with more decimals than the form allows, judged in the money unit
/// the submission states (two decimals in 元 are fine once converted to 万元); one issue per
/// row, naming every such cell, since 总计 repeats its parts' decimals.
fn amount_precision(ctx: &Context, row: u32, amounts: &Amounts) -> Option<Issue> {
    let allowed = ctx.form.form.decimals;
    let cells: Vec<(FieldId, Decimal)> = amounts
        .iter()
        .filter_map(|(field, a)| match a {
            Amount::Value(d) => {
                let shown = ctx.as_stated(*d);
                (shown.scale() > allowed).then_some((field, shown))
            }
            _ => None,
        })
        .collect();
    let &(first, _) = cells.first()?;
    let listed: Vec<String> = cells
        .iter()
        .map(|(field, d)| format!("{} {d}", ctx.label(*field)))
        .collect();
    Some(Issue::new(
        Rule::AmountPrecision,
        ctx.place(row, Some(first)),
        format!(
            "{} 超过 {allowed} 位小数（单位：{}）",
            listed.join("、"),
            ctx.table.money_unit
        ),
    ))
}

/// sum-mismatch: 总计 ≠ the sum of the funding columns. Skipped when any of them is not a number
/// (already reported as bad-amount) or when the row has no amounts at all.
fn sum_mismatch(ctx: &Context, row: u32, amounts: &Amounts) -> Option<Issue> {
    let total_field = ctx.form.total_field()?;
    let part_fields = ctx.form.sum_parts();
    // A table with no funding column but 总计 states no split to check.
    if part_fields
        .iter()
        .all(|&f| ctx.table.columns.field(f).is_none())
    {
        return None;
    }
    if std::iter::once(total_field)
        .chain(part_fields.iter().copied())
        .all(|f| *amounts.get(f) == Amount::Blank)
    {
        return None;
    }
    let total = amounts.get(total_field).for_sum()?;
    let parts: Vec<Decimal> = part_fields
        .iter()
        .map(|&f| amounts.get(f).for_sum())
        .collect::<Option<_>>()?;
    let sum: Decimal = parts.iter().copied().sum();
    if total == sum {
        return None;
    }
    let terms: Vec<String> = part_fields
        .iter()
        .zip(&parts)
        .map(|(&f, v)| format!("{} {}", ctx.label(f), format_amount(*v)))
        .collect();
    Some(Issue::new(
        Rule::SumMismatch,
        ctx.place(row, Some(total_field)),
        format!(
            "{} {} ≠ {} = {}（差 {}）",
            ctx.label(total_field),
            format_amount(total),
            terms.join(" + "),
            format_amount(sum),
            format_amount(total - sum)
        ),
    ))
}

/// subtotal-mismatch / total-mismatch: a declared row (合计 or a unit row) ≠ the sum of the rows
/// below it, column by column. A column is skipped when the declared cell or any of the summed
/// cells is not a number. The row's own 总计 = sum of funding columns is checked only when no
/// rows are below it: if it agrees with them column by column, any imbalance lies in a row below
/// and is reported there.
fn check_declared(
    ctx: &Context,
    rule: Rule,
    row_name: &str,
    row: u32,
    declared: &Amounts,
    parts: &[&Amounts],
    what: &str,
) -> Vec<Issue> {
    if parts.is_empty() {
        return sum_mismatch(ctx, row, declared).into_iter().collect();
    }
    let mut issues = Vec::new();
    for (field, value) in declared.iter() {
        let Some(declared_value) = value.for_sum() else {
            continue;
        };
        let Some(sum) = parts
            .iter()
            .map(|p| p.get(field).for_sum())
            .sum::<Option<Decimal>>()
        else {
            continue;
        };
        if declared_value != sum {
            issues.push(Issue::new(
                rule,
                ctx.place(row, Some(field)),
                format!(
                    "{row_name}{} {} ≠ {what} {}（差 {}）",
                    ctx.label(field),
                    format_amount(declared_value),
                    format_amount(sum),
                    format_amount(declared_value - sum)
                ),
            ));
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::Form;
    use crate::base::model::DeclaredRow;
    use crate::check::tests::{amounts, project, table};

    fn rules(issues: &[Issue]) -> Vec<(&str, String)> {
        issues
            .iter()
            .map(|i| (i.rule.code(), i.place.cell().unwrap_or_default()))
            .collect()
    }

    #[test]
    fn consistent_rows_give_nothing() {
        let form = Form::default_form();
        let t = table(vec![
            project("甲", &["370.50", "300.00", "", "70.50"]),
            project("乙", &["10", "10", "", ""]),
        ]);
        assert!(check_amounts(&Context::new(&form, "f", &t)).is_empty());
    }

    #[test]
    fn sum_mismatch_names_the_numbers() {
        let form = Form::default_form();
        let t = table(vec![project("甲", &["370.50", "300.00", "", "60.50"])]);
        let issues = check_amounts(&Context::new(&form, "f", &t));
        assert_eq!(rules(&issues), [("sum-mismatch", "B7".to_string())]);
        assert_eq!(
            issues[0].message,
            "总计 370.50 ≠ 财政拨款 300.00 + 财政专户拨款 0.00 + 其他资金 60.50 = 360.50（差 10.00）"
        );
        assert_eq!(issues[0].project.as_deref(), Some("甲"));
    }

    #[test]
    fn bad_amount_does_not_cascade() {
        let form = Form::default_form();
        let mut t = table(vec![
            project("甲", &["1200", "待定", "200", ""]),
            project("乙", &["10", "10", "", ""]),
        ]);
        t.units[0].declared = Some(DeclaredRow {
            row: 6,
            amounts: amounts(&["1210", "960", "200", ""]),
        });
        let issues = check_amounts(&Context::new(&form, "f", &t));
        assert_eq!(rules(&issues), [("bad-amount", "C7".to_string())]);
        assert_eq!(issues[0].message, "财政拨款“待定”不是数字");
    }

    #[test]
    fn wrong_unit_row_is_one_issue_per_wrong_cell() {
        let form = Form::default_form();
        let mut t = table(vec![project("甲", &["100", "100", "", ""])]);
        t.units[0].declared = Some(DeclaredRow {
            row: 6,
            amounts: amounts(&["110", "100", "", ""]),
        });
        t.grand_total = Some(DeclaredRow {
            row: 5,
            amounts: amounts(&["110", "100", "", ""]),
        });
        let issues = check_amounts(&Context::new(&form, "f", &t));
        assert_eq!(rules(&issues), [("subtotal-mismatch", "B6".to_string())]);
        assert_eq!(
            issues[0].message,
            "单位行总计 110.00 ≠ 其 1 个项目之和 100.00（差 10.00）"
        );
    }

    #[test]
    fn negative_amounts_and_precision() {
        let form = Form::default_form();
        let t = table(vec![
            project("甲", &["95", "100", "", "-5"]),
            project("乙", &["12.345", "12.345", "", ""]),
            project("丙", &["12.34", "12.340", "", ""]),
        ]);
        let issues = check_amounts(&Context::new(&form, "f", &t));
        assert_eq!(
            rules(&issues),
            [
                ("negative-amount", "E7".to_string()),
                ("amount-precision", "B7".to_string())
            ]
        );
        assert_eq!(issues[0].message, "其他资金 -5.00 为负数");
        assert_eq!(
            issues[1].message,
            "总计 12.345、财政拨款 12.345 超过 2 位小数（单位：万元）"
        );
    }

    #[test]
    fn wrong_grand_total() {
        let form = Form::default_form();
        let mut t = table(vec![project("甲", &["100", "100", "", ""])]);
        t.grand_total = Some(DeclaredRow {
            row: 5,
            amounts: amounts(&["100", "90", "", "10"]),
        });
        let issues = check_amounts(&Context::new(&form, "f", &t));
        assert_eq!(
            rules(&issues),
            [
                ("total-mismatch", "C5".to_string()),
                ("total-mismatch", "E5".to_string())
            ]
        );
    }
}
