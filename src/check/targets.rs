//! Target value rules: a target that is always met (≥0), a percentage that cannot be reached
//! (≥105%), a satisfaction target under the form's threshold, a yearly quantity above the whole
//! period's. They read only numeric targets and leave grades, deadlines and free text alone. At
//! most one of them (or missing-target-value) is reported per indicator: one fault, one issue.

use rust_decimal::Decimal;

use crate::base::issue::{Issue, Rule};
use crate::base::model::{Comparison, Indicator, NumericTarget, Project};
use crate::check::indicators::{missing_target_value, which};
use crate::check::Context;

/// The target rules over every indicator of a project.
pub fn check_targets(ctx: &Context, project: &Project) -> Vec<Issue> {
    project
        .indicators
        .iter()
        .enumerate()
        .filter_map(|(n, ind)| {
            missing_target_value(ctx, project, n, ind).or_else(|| {
                let found = trivial_target(ind)
                    .or_else(|| percent_over_100(ind))
                    .or_else(|| satisfaction_below(ctx, ind))
                    .or_else(|| annual_exceeds_period(ind))
                    .or_else(|| cost_is_budget(ctx, project, ind))?;
                let (rule, why) = found;
                Some(Issue::new(
                    rule,
                    ctx.place_of_indicator(project, ind),
                    format!("{}“{}”{why}", which(ind, n), ind.name),
                ))
            })
        })
        .collect()
}

/// The targets of an indicator whose numeric reading passes `test`, described as
/// `实施周期指标值“≥0”、年度指标值“≥0”`; `None` when neither does.
fn numeric_hits(ind: &Indicator, test: impl Fn(&NumericTarget) -> bool) -> Option<String> {
    let hits: Vec<String> = [("实施周期指标值", &ind.period), ("年度指标值", &ind.annual)]
        .into_iter()
        .filter(|(_, t)| t.numeric().is_some_and(&test))
        .map(|(label, t)| format!("{label}“{}”", t.text))
        .collect();
    (!hits.is_empty()).then(|| hits.join("、"))
}

/// trivial-target: ≥0 (or ≥0%), met whatever happens.
fn trivial_target(ind: &Indicator) -> Option<(Rule, String)> {
    let hits = numeric_hits(ind, |n| {
        n.comparison == Some(Comparison::Ge) && n.number.is_zero()
    })?;
    Some((Rule::TrivialTarget, format!("的{hits}总能达到")))
}

/// percent-over-100: ≥, >, = (or no sign) a percentage above 100%, which cannot be reached.
fn percent_over_100(ind: &Indicator) -> Option<(Rule, String)> {
    let hundred = Decimal::from(100);
    let hits = numeric_hits(ind, |n| {
        n.is_percent() && n.is_positive() && n.number > hundred
    })?;
    Some((Rule::PercentOver100, format!("的{hits}超过 100%，无法达到")))
}

/// satisfaction-below: a satisfaction target (a percentage) under the form's threshold.
fn satisfaction_below(ctx: &Context, ind: &Indicator) -> Option<(Rule, String)> {
    let checks = &ctx.form.checks;
    let low =
        |n: &NumericTarget| n.is_percent() && n.is_positive() && n.number < checks.satisfaction_min;
    // The targets first: most are no low percentage, and then the categories need no lookup.
    if ![&ind.period, &ind.annual]
        .into_iter()
        .any(|t| t.numeric().is_some_and(low))
        || !ctx
            .form
            .taxonomy
            .is_in(ind, &checks.satisfaction_categories)
    {
        return None;
    }
    let hits = numeric_hits(ind, low)?;
    Some((
        Rule::SatisfactionBelow,
        format!("的{hits}低于 {}%", checks.satisfaction_min),
    ))
}

/// annual-exceeds-period: a yearly quantity above the whole period's, both "at least" (≥ or no
/// sign) in the same unit. Percentages are rates, not quantities, and are left alone.
fn annual_exceeds_period(ind: &Indicator) -> Option<(Rule, String)> {
    let (period, annual) = (ind.period.numeric()?, ind.annual.numeric()?);
    let at_least = |c: Option<Comparison>| matches!(c, None | Some(Comparison::Ge));
    let exceeds = at_least(period.comparison)
        && at_least(annual.comparison)
        && period.unit == annual.unit
        && !period.is_percent()
        && annual.number > period.number;
    exceeds.then(|| {
        (
            Rule::AnnualExceedsPeriod,
            format!(
                "的年度指标值“{}”大于实施周期指标值“{}”",
                ind.annual.text, ind.period.text
            ),
        )
    })
}

/// The categories that hold cost indicators: those the form requires for missing-cost-indicator.
fn cost_categories<'a>(ctx: &Context<'a>) -> &'a [String] {
    ctx.form
        .checks
        .required
        .iter()
        .find(|r| r.rule == Rule::MissingCostIndicator.code())
        .map_or(&[], |r| r.categories.as_slice())
}

/// cost-is-budget: a cost indicator whose target is the project's whole budget (项目总成本
/// ≤1000万元 for a 1,000 万元 project), which measures no cost control. The target's money unit
/// is converted to the form's before comparing.
fn cost_is_budget(ctx: &Context, project: &Project, ind: &Indicator) -> Option<(Rule, String)> {
    let total = match project.amounts.get(ctx.form.total_field()?) {
        crate::base::model::Amount::Value(d) if !d.is_zero() => *d,
        _ => return None,
    };
    let target = &ind.annual;
    let n = target.numeric()?;
    let divisor = ctx.form.money_unit(&n.unit)?.divisor;
    let in_form_unit = n.number.checked_div(divisor)?;
    let at_most = matches!(n.comparison, None | Some(Comparison::Le | Comparison::Eq));
    // The categories last: a target that is the budget is rare, their lookup is not.
    let is_budget =
        at_most && in_form_unit == total && ctx.form.taxonomy.is_in(ind, cost_categories(ctx));
    is_budget.then(|| {
        (
            Rule::CostIsBudget,
            format!(
                "的指标值“{}”就是项目的年度资金总额，不能衡量成本控制",
                target.text
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::Form;
    use crate::check::tests::table;
    use crate::normalize::indicator::parse_indicator_text;

    fn ind(l1: &str, l2: &str, period: &str, annual: &str) -> Indicator {
        let text = format!("1、{l1}；{l2}；指标；实施周期指标值:{period}；年度指标值:{annual}");
        parse_indicator_text(&text).0.remove(0)
    }

    fn output(period: &str, annual: &str) -> Indicator {
        ind("1-产出指标", "11-数量指标", period, annual)
    }

    #[test]
    fn trivial_targets() {
        assert_eq!(
            trivial_target(&output("≥3", "≥0")).unwrap().1,
            "的年度指标值“≥0”总能达到"
        );
        assert!(trivial_target(&output("≥0%", "≥0%"))
            .unwrap()
            .1
            .contains("、"));
        assert!(trivial_target(&output("≥3", "0")).is_none());
        assert!(trivial_target(&output("≥3", "≤0")).is_none());
        assert!(trivial_target(&output("≥3", ">0")).is_none());
    }

    #[test]
    fn percentages_over_100() {
        assert!(percent_over_100(&output("≥105%", "≥100%")).is_some());
        assert!(percent_over_100(&output("101%", "100%")).is_some());
        assert!(percent_over_100(&output("≤105%", "≤105%")).is_none());
        assert!(percent_over_100(&output("≥100%", "100%")).is_none());
        assert!(percent_over_100(&output("≥105个", "≥105个")).is_none());
    }

    #[test]
    fn satisfaction_thresholds() {
        let form = Form::default_form();
        let t = table(vec![]);
        let ctx = Context::new(&form, "f", &t);
        let low = ind("3-满意度指标", "31-服务对象满意度", "≥60%", "≥60%");
        let (rule, why) = satisfaction_below(&ctx, &low).unwrap();
        assert_eq!(rule, Rule::SatisfactionBelow);
        assert_eq!(why, "的实施周期指标值“≥60%”、年度指标值“≥60%”低于 80%");
        let by_name = ind("满意度指标", "服务对象满意度指标", "≥85%", "不低于70%");
        assert!(satisfaction_below(&ctx, &by_name).is_some());
        assert!(satisfaction_below(
            &ctx,
            &ind("3-满意度指标", "31-服务对象满意度", "≥90%", "≥80%")
        )
        .is_none());
        // Only satisfaction indicators.
        assert!(satisfaction_below(&ctx, &output("≥60%", "≥60%")).is_none());
    }

    #[test]
    fn annual_above_period() {
        assert!(annual_exceeds_period(&output("≥100个", "≥120个")).is_some());
        assert!(annual_exceeds_period(&output("5", "6")).is_some());
        assert!(annual_exceeds_period(&output("≥100个", "≥100个")).is_none());
        assert!(annual_exceeds_period(&output("≥100个", "≥120人")).is_none());
        assert!(annual_exceeds_period(&output("≥90%", "≥95%")).is_none());
        assert!(annual_exceeds_period(&output("≤8", "≤10")).is_none());
        assert!(annual_exceeds_period(&output("4", "2025年完成公共数据资源目录编制")).is_none());
    }

    #[test]
    fn one_issue_per_indicator() {
        let form = Form::default_form();
        let t = table(vec![]);
        let ctx = Context::new(&form, "f", &t);
        let (indicators, _) = parse_indicator_text(
            "1、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥0%；年度指标值:≥0%",
        );
        let p = crate::base::model::Project {
            indicators,
            ..crate::check::tests::project("甲", &["1", "1", "", ""])
        };
        let issues = check_targets(&ctx, &p);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule, Rule::TrivialTarget);
    }
}
