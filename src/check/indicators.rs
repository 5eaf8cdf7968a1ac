//! Indicator rules: every project has indicators, numbered 1..n, covering the categories the form
//! requires; their text can be read; each category is in the taxonomy, each level-2 sits under
//! its level-1, and codes agree with names; every target has both values; no name twice.

use crate::base::form::FieldKind;
use crate::base::issue::{Issue, Rule};
use crate::base::model::{Indicator, Project, TargetValue};
use crate::base::taxonomy::{Assessment, Assessor};
use crate::base::text::name_key;
use crate::check::Context;

/// Longest quotation of indicator text in a message, in characters.
const MAX_QUOTE: usize = 120;

fn indicator_place(ctx: &Context, project: &Project) -> crate::base::issue::Place {
    ctx.place_of(project, ctx.field_of(FieldKind::Indicators))
}

/// missing-indicators: a project with no indicators at all (and no unreadable indicator text,
/// which is bad-indicator instead). Not reported when the table has no indicator column.
pub fn missing_indicators(ctx: &Context, project: &Project) -> Option<Issue> {
    let missing = ctx.has_column(FieldKind::Indicators)
        && project.indicators.is_empty()
        && project.indicator_faults.is_empty()
        && !project.name.is_empty();
    missing.then(|| {
        Issue::new(
            Rule::MissingIndicators,
            indicator_place(ctx, project),
            format!("项目“{}”没有绩效指标", project.name),
        )
    })
}

/// bad-indicator: indicator text that cannot be parsed, quoted.
pub fn bad_indicators(ctx: &Context, project: &Project) -> Vec<Issue> {
    project
        .indicator_faults
        .iter()
        .map(|f| {
            let which = f
                .seq
                .map(|n| format!("第 {n} 条指标"))
                .unwrap_or_else(|| "指标文字".to_string());
            Issue::new(
                Rule::BadIndicator,
                indicator_place(ctx, project),
                format!("{which}{}：“{}”", f.reason, quote(&f.text)),
            )
        })
        .collect()
}

fn quote(text: &str) -> String {
    if text.chars().count() <= MAX_QUOTE {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX_QUOTE).collect();
        format!("{cut}…")
    }
}

/// indicator-numbering: the written numbers are not 1..n. Not checked when a piece of the text
/// could not be read (that is bad-indicator).
pub fn indicator_numbering(ctx: &Context, project: &Project) -> Option<Issue> {
    if !project.indicator_faults.is_empty() || project.indicators.is_empty() {
        return None;
    }
    let seqs: Vec<u32> = project.indicators.iter().filter_map(|i| i.seq).collect();
    let expected = 1..=project.indicators.len() as u32;
    if seqs.len() != project.indicators.len() || seqs.iter().copied().eq(expected) {
        return None;
    }
    let listed: Vec<String> = seqs.iter().map(u32::to_string).collect();
    Some(Issue::new(
        Rule::IndicatorNumbering,
        indicator_place(ctx, project),
        format!(
            "指标序号为 {}，应为 1 到 {} 连续编号",
            listed.join("、"),
            project.indicators.len()
        ),
    ))
}

/// missing-output-indicator, missing-benefit-indicator, missing-satisfaction-indicator,
/// missing-cost-indicator: a kind of indicator the form requires is absent. Not checked for a
/// project without indicators (missing-indicators) or with unreadable indicator text
/// (bad-indicator), where the absence may be that fault's.
/// `assessed`: what the taxonomy makes of each of the project's indicators, in order (see
/// [`assess`]).
pub fn required_categories(
    ctx: &Context,
    project: &Project,
    assessed: &[Assessment],
) -> Vec<Issue> {
    if project.indicators.is_empty() || !project.indicator_faults.is_empty() {
        return Vec::new();
    }
    let form = ctx.form;
    let is_in = |list: &[String]| {
        assessed
            .iter()
            .flat_map(|a| a.codes)
            .flatten()
            .any(|c| list.iter().any(|code| code == c))
    };
    let described = form.required_names.get_or_init(|| {
        form.checks
            .required
            .iter()
            .map(|req| {
                let names: Vec<String> = req
                    .categories
                    .iter()
                    .map(|code| match form.taxonomy.category_by_code(code) {
                        Some(c) => format!("{code}-{}", c.name),
                        None => form
                            .taxonomy
                            .subcategory_by_code(code)
                            .map_or(code.clone(), |(_, s)| format!("{code}-{}", s.name)),
                    })
                    .collect();
                names.join(" 或 ")
            })
            .collect()
    });
    form.checks
        .required
        .iter()
        .zip(described)
        .filter(|(req, _)| !is_in(&req.categories) && !is_in(&req.also))
        .filter_map(|(req, names)| {
            let rule = Rule::from_code(&req.rule)?;
            Some(Issue::new(
                rule,
                indicator_place(ctx, project),
                format!(
                    "项目“{}”没有{}（{names}）",
                    project.name,
                    missing_noun(rule)
                ),
            ))
        })
        .collect()
}

/// What a missing-category rule says is missing.
fn missing_noun(rule: Rule) -> &'static str {
    match rule {
        Rule::MissingOutputIndicator => "产出指标",
        Rule::MissingBenefitIndicator => "效益指标",
        Rule::MissingSatisfactionIndicator => "满意度指标",
        Rule::MissingCostIndicator => "成本指标",
        _ => "必需类别的指标",
    }
}

/// missing-target-value: an indicator without its 实施周期指标值 or 年度指标值.
pub fn missing_target_value(
    ctx: &Context,
    project: &Project,
    n: usize,
    ind: &Indicator,
) -> Option<Issue> {
    let missing: Vec<&str> = [("实施周期指标值", &ind.period), ("年度指标值", &ind.annual)]
        .into_iter()
        .filter(|(_, t)| t.value == TargetValue::Empty)
        .map(|(label, _)| label)
        .collect();
    (!missing.is_empty()).then(|| {
        Issue::new(
            Rule::MissingTargetValue,
            ctx.place_of_indicator(project, ind),
            format!("{}“{}”缺少{}", which(ind, n), ind.name, missing.join("和")),
        )
    })
}

/// "第 N 条指标", by its written number or its position.
pub fn which(ind: &Indicator, n: usize) -> String {
    format!("第 {} 条指标", ind.seq.unwrap_or(n as u32 + 1))
}

/// duplicate-indicator: a level-3 name a second time in one project; the later one is reported.
pub fn duplicate_indicators(ctx: &Context, project: &Project) -> Vec<Issue> {
    let mut issues = Vec::new();
    // Each name's key once, and where it was first seen.
    let mut first_seen: crate::base::FastMap<std::borrow::Cow<str>, usize> =
        crate::base::FastMap::with_capacity_and_hasher(
            project.indicators.len(),
            Default::default(),
        );
    for (n, ind) in project.indicators.iter().enumerate() {
        let m = *first_seen.entry(name_key(&ind.name)).or_insert(n);
        if m != n {
            let first = &project.indicators[m];
            issues.push(Issue::new(
                Rule::DuplicateIndicator,
                ctx.place_of_indicator(project, ind),
                format!(
                    "{}“{}”与{}重复",
                    which(ind, n),
                    ind.name,
                    which(first, m).trim_end_matches("指标")
                ),
            ));
        }
    }
    issues
}

/// weight-sum: the indicators' 分值 (权重) do not add up to 100, when the form gives them.
pub fn weight_sum(ctx: &Context, project: &Project) -> Option<Issue> {
    let weights: Vec<rust_decimal::Decimal> =
        project.indicators.iter().filter_map(|i| i.weight).collect();
    if weights.is_empty() {
        return None;
    }
    let sum: rust_decimal::Decimal = weights.iter().sum();
    (sum != rust_decimal::Decimal::from(100)).then(|| {
        Issue::new(
            Rule::WeightSum,
            indicator_place(ctx, project),
            format!("各指标分值之和为 {}，应为 100", sum.normalize()),
        )
    })
}

/// What the taxonomy makes of each of a project's indicators, read once for the rules that need
/// their categories.
pub fn assess<'p>(assessor: &mut Assessor<'p>, project: &'p Project) -> Vec<Assessment<'p, 'p>> {
    project
        .indicators
        .iter()
        .map(|ind| assessor.assess(ind))
        .collect()
}

/// unknown-indicator-category / category-mismatch, at most one issue per indicator.
/// `assessed` as for [`required_categories`].
pub fn category_issues(ctx: &Context, project: &Project, assessed: &[Assessment]) -> Vec<Issue> {
    project
        .indicators
        .iter()
        .zip(assessed)
        .enumerate()
        .filter_map(|(i, (ind, assessment))| {
            assessment.resolved.as_ref().err().map(|(rule, why)| {
                let which = format!("第 {} 条指标", ind.seq.unwrap_or(i as u32 + 1));
                Issue::new(
                    *rule,
                    ctx.place_of_indicator(project, ind),
                    format!("{which}{why}"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::form::Form;
    use crate::base::issue::Severity;
    use crate::base::model::IndicatorFault;
    use crate::check::tests::{project, table};
    use crate::normalize::indicator::parse_indicator_text;

    fn project_with(text: &str) -> Project {
        let (indicators, indicator_faults) = parse_indicator_text(text);
        Project {
            indicators,
            indicator_faults,
            ..project("河道保洁经费", &["1", "1", "", ""])
        }
    }

    const FULL: &str = "1、1-产出指标；11-数量指标；保洁面积；实施周期指标值:≥10万平方米；年度指标值:≥10万平方米。2、2-效益指标；23-生态效益；水质达标率；实施周期指标值:≥90%；年度指标值:≥90%。3、3-满意度指标；31-服务对象满意度；群众满意度；实施周期指标值:≥90%；年度指标值:≥90%。4、4-成本指标；41-经济成本指标；每平方米成本；实施周期指标值:≤10元；年度指标值:≤10元。";

    #[test]
    fn numbering_runs_one_to_n() {
        let form = Form::default_form();
        let t = table(vec![]);
        let ctx = Context::new(&form, "f", &t);
        assert!(indicator_numbering(&ctx, &project_with(FULL)).is_none());
        let skipped = FULL.replace("3、3-满意度", "5、3-满意度");
        let issue = indicator_numbering(&ctx, &project_with(&skipped)).unwrap();
        assert_eq!(issue.message, "指标序号为 1、2、5、4，应为 1 到 4 连续编号");
    }

    #[test]
    fn required_categories_by_code_or_name() {
        let form = Form::default_form();
        let t = table(vec![]);
        let ctx = Context::new(&form, "f", &t);
        let required_categories = |ctx: &Context, p: &Project| {
            required_categories(ctx, p, &assess(&mut ctx.form.taxonomy.assessor(), p))
        };
        assert!(required_categories(&ctx, &project_with(FULL)).is_empty());
        let without_cost = FULL.split("4、4-成本").next().unwrap();
        let issues = required_categories(&ctx, &project_with(without_cost));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule, Rule::MissingCostIndicator);
        assert_eq!(issues[0].severity, Severity::Info);
        assert_eq!(
            issues[0].message,
            "项目“河道保洁经费”没有成本指标（4-成本指标 或 14-成本指标）"
        );
        // The old scheme's 14-成本指标 under 产出 counts as cost.
        let old_cost = format!("{without_cost}4、1-产出指标；14-成本指标；单价；实施周期指标值:≤10元；年度指标值:≤10元。");
        assert!(required_categories(&ctx, &project_with(&old_cost)).is_empty());
        let only_output = "1、1-产出指标；11-数量指标；面积；实施周期指标值:1；年度指标值:1。";
        let rules: Vec<Rule> = required_categories(&ctx, &project_with(only_output))
            .iter()
            .map(|i| i.rule)
            .collect();
        assert_eq!(
            rules,
            [
                Rule::MissingBenefitIndicator,
                Rule::MissingSatisfactionIndicator,
                Rule::MissingCostIndicator
            ]
        );
        // Unreadable text is bad-indicator, not a missing category.
        let broken = format!("{only_output}2、2-效益指标；22-社会效益；x");
        assert!(required_categories(&ctx, &project_with(&broken)).is_empty());
    }

    #[test]
    fn target_values_and_duplicates() {
        let form = Form::default_form();
        let t = table(vec![]);
        let ctx = Context::new(&form, "f", &t);
        let p = project_with(FULL);
        assert!(p
            .indicators
            .iter()
            .enumerate()
            .all(|(n, i)| missing_target_value(&ctx, &p, n, i).is_none()));
        assert!(duplicate_indicators(&ctx, &p).is_empty());
        let empty =
            project_with("1、1-产出指标；11-数量指标；面积；实施周期指标值:≥10个；年度指标值:。");
        let issue = missing_target_value(&ctx, &empty, 0, &empty.indicators[0]).unwrap();
        assert_eq!(issue.message, "第 1 条指标“面积”缺少年度指标值");
        let twice = project_with(&FULL.replace("群众满意度", "水质达标率"));
        let issues = duplicate_indicators(&ctx, &twice);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].message, "第 3 条指标“水质达标率”与第 2 条重复");
    }

    #[test]
    fn missing_and_bad_indicators() {
        let form = Form::default_form();
        let mut p = project("河道保洁经费", &["1", "1", "", ""]);
        let t = table(vec![p.clone()]);
        let ctx = Context::new(&form, "f", &t);
        let issue = missing_indicators(&ctx, &p).unwrap();
        assert_eq!(issue.place.cell().as_deref(), Some("G7"));
        assert_eq!(issue.message, "项目“河道保洁经费”没有绩效指标");
        p.indicator_faults.push(IndicatorFault {
            seq: Some(2),
            text: "2、1-产出指标".into(),
            reason: "缺少“实施周期指标值”".into(),
        });
        assert!(missing_indicators(&ctx, &p).is_none());
        let bad = bad_indicators(&ctx, &p);
        assert_eq!(bad.len(), 1);
        assert_eq!(
            bad[0].message,
            "第 2 条指标缺少“实施周期指标值”：“2、1-产出指标”"
        );
    }
}
