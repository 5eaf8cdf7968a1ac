//! Rules on a per-project form's funding block, line by line: every amount a number and not
//! negative, at most the form's decimals, and the parts adding up to their total (the parts of
//! a part to that part). A block with a total and no parts, or parts and no total at all, states
//! no sum to check; a total left empty while its parts hold money is a mismatch.

use rust_decimal::Decimal;

use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{Amount, FundingLine, FundingRole, Project};
use crate::base::text::format_amount;
use crate::check::Context;

/// Every funding rule over one project of a per-project form.
pub fn check_funding(ctx: &Context, project: &Project) -> Vec<Issue> {
    let mut issues = Vec::new();
    for line in &project.funding {
        match &line.amount {
            Amount::Bad(text) => issues.push(Issue::new(
                Rule::BadAmount,
                place(ctx, line),
                format!("{}“{}”不是数字", line.label, text),
            )),
            Amount::Value(d) if d.is_sign_negative() && !d.is_zero() => issues.push(Issue::new(
                Rule::NegativeAmount,
                place(ctx, line),
                format!("{} {} 为负数", line.label, format_amount(*d)),
            )),
            _ => {}
        }
    }
    issues.extend(precision(ctx, project));
    for period in [false, true] {
        issues.extend(sums(ctx, project, period));
    }
    issues
        .into_iter()
        .map(|i| i.in_project(&project.name))
        .collect()
}

fn place(ctx: &Context, line: &FundingLine) -> Place {
    Place {
        file: ctx.file.to_string(),
        sheet: ctx.table.sheet.clone(),
        row: Some(line.row),
        col: Some(line.col),
    }
}

/// amount-precision: lines with more decimals than the form allows, one issue per block.
fn precision(ctx: &Context, project: &Project) -> Option<Issue> {
    let allowed = ctx.form.form.decimals;
    let lines: Vec<(&FundingLine, Decimal)> = project
        .funding
        .iter()
        .filter_map(|l| match &l.amount {
            Amount::Value(d) if ctx.as_stated(*d).scale() > allowed => Some((l, ctx.as_stated(*d))),
            _ => None,
        })
        .collect();
    let (first, _) = lines.first()?;
    let listed: Vec<String> = lines
        .iter()
        .map(|(l, d)| format!("{} {d}", l.label))
        .collect();
    Some(Issue::new(
        Rule::AmountPrecision,
        place(ctx, first),
        format!(
            "{} 超过 {allowed} 位小数（单位：{}）",
            listed.join("、"),
            ctx.table.money_unit
        ),
    ))
}

/// funding-mismatch for the year's lines (or the period's): the parts against the total, then
/// each part's own parts against it. Skipped where a line is not a number (bad-amount).
fn sums(ctx: &Context, project: &Project, period: bool) -> Vec<Issue> {
    let lines: Vec<&FundingLine> = project
        .funding
        .iter()
        .filter(|l| l.period == period)
        .collect();
    let mut issues = Vec::new();
    let Some(total) = lines.iter().find(|l| l.role == FundingRole::Total) else {
        return issues;
    };
    let parts: Vec<&FundingLine> = lines
        .iter()
        .copied()
        .filter(|l| l.role == FundingRole::Part)
        .collect();
    issues.extend(compare(ctx, total, &parts));
    for (i, part) in parts.iter().enumerate() {
        // The sub-parts written after this part and before the next.
        let start = lines.iter().position(|l| std::ptr::eq(*l, *part));
        let next = parts
            .get(i + 1)
            .and_then(|n| lines.iter().position(|l| std::ptr::eq(*l, *n)));
        let Some(start) = start else { continue };
        let subs: Vec<&FundingLine> = lines[start + 1..next.unwrap_or(lines.len())]
            .iter()
            .copied()
            .filter(|l| l.role == FundingRole::SubPart)
            .collect();
        issues.extend(compare(ctx, part, &subs));
    }
    issues
}

/// One sum: `whole` against `parts`; nothing when there are no parts or a cell is not a number,
/// or when neither the whole nor any part holds a value.
fn compare(ctx: &Context, whole: &FundingLine, parts: &[&FundingLine]) -> Option<Issue> {
    // No parts, or parts all left blank: the form states no split.
    if parts.iter().all(|p| p.amount == Amount::Blank) {
        return None;
    }
    let whole_value = whole.amount.for_sum()?;
    let values: Vec<Decimal> = parts
        .iter()
        .map(|p| p.amount.for_sum())
        .collect::<Option<_>>()?;
    let sum: Decimal = values.iter().copied().sum();
    if whole_value == sum {
        return None;
    }
    let what = if whole.amount == Amount::Blank {
        format!("{}未填写", whole.label)
    } else {
        format!("{} {}", whole.label, format_amount(whole_value))
    };
    let terms: Vec<String> = parts
        .iter()
        .zip(&values)
        .map(|(p, v)| format!("{} {}", p.label, format_amount(*v)))
        .collect();
    Some(Issue::new(
        Rule::FundingMismatch,
        place(ctx, whole),
        format!(
            "{what} ≠ {} = {}（差 {}）",
            terms.join(" + "),
            format_amount(sum),
            format_amount(whole_value - sum)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::Form;
    use crate::base::model::LayoutKind;
    use crate::check::tests::{project, table};

    fn line(label: &str, amount: &str, role: FundingRole, row: u32) -> FundingLine {
        FundingLine {
            label: label.into(),
            field: None,
            amount: if amount.is_empty() {
                Amount::Blank
            } else {
                amount
                    .parse()
                    .map(Amount::Value)
                    .unwrap_or_else(|_| Amount::Bad(amount.into()))
            },
            role,
            period: false,
            row,
            col: 3,
        }
    }

    fn run(lines: Vec<FundingLine>) -> Vec<Issue> {
        let form = Form::default_form();
        let mut p = project("物业管理", &[]);
        p.funding = lines;
        let mut t = table(vec![p.clone()]);
        t.layout = LayoutKind::Project;
        check_funding(&Context::new(&form, "f.html", &t), &p)
    }

    #[test]
    fn parts_add_up_to_the_total() {
        use FundingRole::*;
        assert!(run(vec![
            line("年度资金总额", "1125", Total, 5),
            line("财政拨款", "1125", Part, 6),
            line("其他资金", "", Part, 7)
        ])
        .is_empty());
        let issues = run(vec![
            line("年度资金总额", "16", Total, 5),
            line("上级资金", "10", Part, 6),
        ]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule, Rule::FundingMismatch);
        assert_eq!(issues[0].place.cell().as_deref(), Some("D5"));
        assert_eq!(
            issues[0].message,
            "年度资金总额 16.00 ≠ 上级资金 10.00 = 10.00（差 6.00）"
        );
    }

    #[test]
    fn an_empty_total_with_money_in_its_parts_is_a_mismatch() {
        use FundingRole::*;
        let issues = run(vec![
            line("年度资金总额", "", Total, 5),
            line("财政拨款小计", "6.3", Part, 6),
            line("一般公共预算", "6.3", SubPart, 7),
            line("政府性基金", "0", SubPart, 8),
            line("其他收入", "0", Part, 9),
        ]);
        let messages: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            ["年度资金总额未填写 ≠ 财政拨款小计 6.30 + 其他收入 0.00 = 6.30（差 -6.30）"]
        );
    }

    #[test]
    fn sub_parts_add_up_to_their_part_and_aside_lines_are_left_alone() {
        use FundingRole::*;
        let issues = run(vec![
            line("年度资金总额", "10", Total, 5),
            line("上级资金", "3", Aside, 5),
            line("财政拨款小计", "10", Part, 6),
            line("一般公共预算", "9", SubPart, 7),
        ]);
        assert_eq!(issues.len(), 1);
        assert_eq!(
            issues[0].message,
            "财政拨款小计 10.00 ≠ 一般公共预算 9.00 = 9.00（差 1.00）"
        );
    }

    #[test]
    fn bad_and_negative_lines_at_their_cells_and_no_sum_over_them() {
        use FundingRole::*;
        let issues = run(vec![
            line("年度资金总额", "854", Total, 5),
            line("财政拨款", "854万854万", Part, 6),
            line("其他资金", "-1", Part, 7),
        ]);
        let rules: Vec<(Rule, Option<String>)> =
            issues.iter().map(|i| (i.rule, i.place.cell())).collect();
        assert_eq!(
            rules,
            [
                (Rule::BadAmount, Some("D6".into())),
                (Rule::NegativeAmount, Some("D7".into()))
            ]
        );
    }
}
