//! The per-project form (申报表): each block located on a sheet becomes one project of the unit
//! its 实施单位 (else its 主管部门) names. The funding block is kept line by line and mapped onto
//! the form's amount columns; the year's and the period's goals are both kept; the indicator
//! table gives one indicator per row, its period value from a period column or the period half
//! of a side-by-side table, else the year's value standing for both, as in the long layout.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::base::form::{BlockColumn, BlockLabel, FieldKind, Form};
use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{
    Amount, Amounts, FieldId, FundingLine, FundingRole, Indicator, IndicatorFault, LayoutKind,
    NameSource, Project, Table, Unit,
};
use crate::base::text::{name_key, split_code, Text};
use crate::locate::blocks::{Block, IndicatorTable, Pair};
use crate::normalize::amount::parse_amount;
use crate::normalize::indicator::{parse_category, push_indicator_line};
use crate::normalize::target::{compose_target, parse_targets};
use crate::read::grid::{Cell, Sheet};

/// Normalizes the blocks of one sheet into a table; returns its issues (a block with no money
/// unit stated).
pub fn normalize_blocks(
    sheet: &Sheet,
    blocks: &[Block],
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Table, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut units: Vec<Unit> = Vec::new();
    for block in blocks {
        let money_unit = match &block.money_unit {
            Some(u) => u.clone(),
            None => {
                if !every_amount_names_its_unit(block, form) {
                    issues.push(Issue::new(
                        Rule::UnknownMoneyUnit,
                        Place {
                            file: file.to_string(),
                            sheet: sheet.name.clone(),
                            row: Some(sheet.row_number(block.name_row)),
                            col: None,
                        },
                        format!("未注明金额单位，按“{}”处理", form.form.money_unit),
                    ));
                }
                form.form.money_unit.clone()
            }
        };
        let divisor = form
            .money_unit(&money_unit)
            .map_or(Decimal::ONE, |u| u.divisor);
        let project = read_project(sheet, block, form, divisor);
        let (unit_name, code, name_source) = unit_of(block, file_stem);
        let department = block
            .pair(BlockLabel::Department)
            .map(|p| split_code(&p.value).0)
            .filter(|d| !d.is_empty());
        let key = name_key(&unit_name);
        match units.iter_mut().find(|u| name_key(&u.name) == key) {
            Some(unit) => unit.projects.push(project),
            None => units.push(Unit {
                name: unit_name,
                code,
                department,
                name_source,
                declared: None,
                projects: vec![project],
                parked: None,
            }),
        }
    }
    let table = Table {
        sheet: sheet.name.clone(),
        layout: LayoutKind::Project,
        header_row: blocks.first().map_or(1, |b| sheet.row_number(b.name_row)),
        columns: form.no_columns(),
        money_unit: blocks
            .iter()
            .find_map(|b| b.money_unit.clone())
            .unwrap_or_else(|| form.form.money_unit.clone()),
        grand_total: None,
        units,
    };
    (table, issues)
}

/// Whether every amount of a block carries its own money unit ("250万", "10000万元"), so that
/// no unit needs stating.
fn every_amount_names_its_unit(block: &Block, form: &Form) -> bool {
    let amounts: Vec<&Pair> = block
        .pairs
        .iter()
        .filter(|p| matches!(p.kind, BlockLabel::Total | BlockLabel::Part) && !p.value.is_empty())
        .collect();
    !amounts.is_empty()
        && amounts.iter().all(|p| {
            let v = amount_text(&p.value);
            form.money_units
                .iter()
                .any(|u| v.ends_with(u.name.as_str()))
        })
}

/// The unit a block belongs to: its 实施单位, else its 主管部门, else the file; with the code
/// written beside the name.
fn unit_of(block: &Block, file_stem: &str) -> (String, Option<String>, NameSource) {
    for kind in [BlockLabel::Unit, BlockLabel::Department] {
        if let Some(pair) = block.pair(kind) {
            let (name, code) = split_code(&pair.value);
            if !name.is_empty() {
                return (name, code, NameSource::Block);
            }
        }
    }
    (file_stem.to_string(), None, NameSource::File)
}

/// Amount text without a note in brackets after it: "854万（高标准农田建设400万元，…）" → "854万".
fn amount_text(value: &str) -> &str {
    let v = value.trim();
    match v.find(['(', '（']) {
        Some(at) if at > 0 && v.ends_with([')', '）']) => v[..at].trim(),
        _ => v,
    }
}

/// Reads one block into a project.
fn read_project(sheet: &Sheet, block: &Block, form: &Form, divisor: Decimal) -> Project {
    let field = |kind| form.field_of(kind);
    let mut cells = Vec::new();
    let at = |cells: &mut Vec<(FieldId, u32, u32)>, f: Option<FieldId>, row: usize, col: usize| {
        if let Some(f) = f {
            cells.push((f, sheet.row_number(row), sheet.col_number(col)));
        }
    };
    let name = block.pair(BlockLabel::Name);
    if let Some(p) = name {
        at(&mut cells, field(FieldKind::Name), p.value_row, p.value_col);
    }
    let funding = funding_lines(sheet, block, form, divisor);
    let amounts = standard_amounts(&funding, form);
    if let Some(total) = funding
        .iter()
        .find(|l| l.role == FundingRole::Total && !l.period)
    {
        if let Some(f) = form.total_field() {
            cells.push((f, total.row, total.col));
        }
    }
    let goal = block.pair(BlockLabel::GoalAnnual);
    if let Some(p) = goal {
        at(&mut cells, field(FieldKind::Goal), p.value_row, p.value_col);
    }
    let (indicators, indicator_faults, indicator_text) = match &block.table {
        Some(table) => {
            if let Some(c) = table.column(BlockColumn::Level3, false) {
                at(&mut cells, field(FieldKind::Indicators), table.header, c);
            }
            read_indicators(sheet, table, block.end)
        }
        None => (Vec::new(), Vec::new(), String::new()),
    };
    Project {
        row: sheet.row_number(block.name_row),
        name: name
            .map(|p| one_line(&p.value).into_owned())
            .unwrap_or_default(),
        amounts,
        goal: goal.map(|p| p.value.clone()).unwrap_or_default(),
        goal_period: block
            .pair(BlockLabel::GoalPeriod)
            .map(|p| p.value.clone())
            .unwrap_or_default(),
        indicator_text,
        indicators,
        indicator_faults,
        funding,
        cells,
        digest: None,
    }
}

/// The funding block, line by line. A total is the period's when the block also has a total
/// marked as the year's (资金总额 beside 当年资金总额); a part belongs to the total nearest to its
/// left. A part written on a total's own row, without "其中", stands aside from the sum.
fn funding_lines(sheet: &Sheet, block: &Block, form: &Form, divisor: Decimal) -> Vec<FundingLine> {
    let totals: Vec<&Pair> = block
        .pairs
        .iter()
        .filter(|p| p.kind == BlockLabel::Total)
        .collect();
    let some_annual = totals.iter().any(|p| p.annual_word);
    let is_period_total =
        |p: &Pair| p.period || (some_annual && !p.annual_word && totals.len() > 1);
    let has_depth_one = block
        .pairs
        .iter()
        .any(|p| p.kind == BlockLabel::Part && p.depth == 1);
    let mut lines = Vec::new();
    for pair in &block.pairs {
        let (role, period) = match pair.kind {
            BlockLabel::Total => (FundingRole::Total, is_period_total(pair)),
            BlockLabel::Part => {
                let owner = totals
                    .iter()
                    .filter(|t| t.row <= pair.row && t.col <= pair.col)
                    .max_by_key(|t| (t.col, t.row));
                let beside = totals.iter().any(|t| t.row == pair.row) && pair.depth == 0;
                let role = if beside {
                    FundingRole::Aside
                } else if pair.depth == 2 && has_depth_one {
                    FundingRole::SubPart
                } else {
                    FundingRole::Part
                };
                (role, owner.is_some_and(|t| is_period_total(t)))
            }
            _ => continue,
        };
        let text = amount_text(&pair.value);
        let amount = if text.is_empty() {
            Amount::Blank
        } else {
            parse_amount(&Cell::Text(text.into()), divisor, form)
        };
        lines.push(FundingLine {
            label: pair.label.clone(),
            field: pair.field.clone(),
            amount: match amount {
                Amount::Bad(_) => Amount::Bad(pair.value.trim().to_string()),
                a => a,
            },
            role,
            period,
            row: sheet.row_number(pair.value_row),
            col: sheet.col_number(pair.value_col),
        });
    }
    lines
}

/// The form's amount columns from the year's funding lines: 总计 from the total, each part's
/// column from the parts that name it (added up; a cell that is not a number spoils the sum).
fn standard_amounts(lines: &[FundingLine], form: &Form) -> Amounts {
    let year: Vec<&FundingLine> = lines.iter().filter(|l| !l.period).collect();
    form.amount_fields()
        .map(|f| {
            let amount = if Some(f) == form.total_field() {
                year.iter()
                    .find(|l| l.role == FundingRole::Total)
                    .map_or(Amount::Blank, |l| l.amount.clone())
            } else {
                let key = &form[f].key;
                let parts: Vec<&Amount> = year
                    .iter()
                    .filter(|l| l.role == FundingRole::Part && l.field.as_deref() == Some(key))
                    .map(|l| &l.amount)
                    .collect();
                add_up(&parts)
            };
            (f, amount)
        })
        .collect()
}

fn add_up(parts: &[&Amount]) -> Amount {
    if let Some(bad) = parts.iter().find(|a| matches!(a, Amount::Bad(_))) {
        return (*bad).clone();
    }
    let values: Vec<Decimal> = parts
        .iter()
        .filter_map(|a| match a {
            Amount::Value(d) => Some(*d),
            _ => None,
        })
        .collect();
    if values.is_empty() {
        Amount::Blank
    } else {
        Amount::Value(values.iter().sum())
    }
}

/// Text written over several lines as one line: the breaks dropped between Chinese characters,
/// a space elsewhere ("打造金安国际网球\n公开赛" → "打造金安国际网球公开赛").
fn one_line(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return Cow::Borrowed(crate::base::text::trim(text));
    }
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let joins_cjk =
            out.chars().last().is_some_and(is_cjk) && line.chars().next().is_some_and(is_cjk);
        if !out.is_empty() && !joins_cjk {
            out.push(' ');
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

/// A wide (CJK) character: a line break between two of them is no space, as the HTML reader
/// and CSS treat Chinese text.
fn is_cjk(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// "指标1：小区数" → "小区数".
fn strip_item_number(name: &str) -> &str {
    let t = name.trim();
    if let Some(rest) = t.strip_prefix("指标") {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            let rest = &rest[digits..];
            if let Some(r) = rest.strip_prefix([':', '：', '、', '.']) {
                return r.trim();
            }
        }
    }
    t
}

/// Reads the indicator table's rows up to `end`: one indicator per row with a level-3 name or a
/// value; rows that name only a category (placeholders for unused categories) are left out.
fn read_indicators(
    sheet: &Sheet,
    table: &IndicatorTable,
    end: usize,
) -> (Vec<Indicator>, Vec<IndicatorFault>, String) {
    let col = |k, period| table.column(k, period);
    let split = table.is_split();
    let period_half_used = split
        && (table.header + 1..end).any(|r| {
            !sheet.text(r, col(BlockColumn::Level3, true)).is_empty()
                || !sheet
                    .text(r, col(BlockColumn::PeriodValue, false))
                    .is_empty()
        });
    let mut indicators = Vec::new();
    let mut faults = Vec::new();
    // The rows as text, one line each (the project's 绩效指标 cell).
    let mut texts = String::new();
    let (mut level1, mut level2) = (Text::default(), Text::default());
    for r in table.header + 1..end {
        let squeeze = |s: Cow<str>| s.chars().filter(|c| !c.is_whitespace()).collect::<Text>();
        let l1 = squeeze(sheet.text(r, col(BlockColumn::Level1, false)));
        let l2 = squeeze(sheet.text(r, col(BlockColumn::Level2, false)));
        if !l1.is_empty() {
            level1 = l1;
        }
        if !l2.is_empty() {
            level2 = l2;
        }
        let name_in = |period| {
            let text = sheet.text(r, col(BlockColumn::Level3, period));
            Text::from(one_line(strip_item_number(&text)).as_ref())
        };
        let mut name = name_in(false);
        let sign = table
            .columns_of(BlockColumn::Sign)
            .map(|c| sheet.text(r, Some(c)))
            .find(|s| is_sign(s))
            .unwrap_or_default();
        let sign = sign.as_ref();
        let measure = sheet.text(r, col(BlockColumn::Measure, false));
        let value = sheet.text(r, col(BlockColumn::Value, false));
        let mut annual = compose_target(sign, &value, &measure);
        // The sign as written, "=" included ("=8"), where the form gives it a column.
        if matches!(sign, "=" | "＝") && !annual.is_empty() && !annual.starts_with(['=', '＝']) {
            annual.insert_str(0, sign);
        }
        let mut period = sheet.text(r, col(BlockColumn::PeriodValue, false));
        if split && name.is_empty() {
            name = name_in(true);
        }
        let has_period_column = col(BlockColumn::PeriodValue, false).is_some();
        if !has_period_column || (split && !period_half_used) {
            period = Cow::Borrowed(&annual);
        }
        if name.is_empty() && annual.is_empty() && period.is_empty() {
            continue; // a placeholder for an unused category
        }
        let row = sheet.row_number(r);
        let at = push_indicator_line(&mut texts, [&*level1, &*level2, &*name, &*annual]);
        let seq = (indicators.len() + faults.len() + 1) as u32;
        if name.is_empty() {
            faults.push(IndicatorFault {
                seq: Some(seq),
                text: texts[at..].to_string(),
                reason: "缺少三级指标（指标名称）".to_string(),
            });
            continue;
        }
        let weight = sheet
            .text(r, col(BlockColumn::Weight, false))
            .parse::<Decimal>()
            .ok();
        let (period, annual) = parse_targets(&period, &annual);
        indicators.push(Indicator {
            seq: Some(seq),
            level1: parse_category(&level1),
            level2: parse_category(&level2),
            name,
            period,
            annual,
            row: Some(row),
            weight,
            // 正向 / 反向 in a 指标性质 or 指标方向 column (the sign is in the other).
            direction: table
                .columns_of(BlockColumn::Sign)
                .map(|c| sheet.text(r, Some(c)))
                .find(|s| s.contains("正向") || s.contains("反向"))
                .map(|s| s.as_ref().into()),
        });
    }
    (indicators, faults, texts)
}

/// Whether a 指标方向 / 指标性质 cell holds a comparison sign rather than 正向 / 反向.
fn is_sign(text: &str) -> bool {
    matches!(
        text.trim(),
        "≥" | "≤" | ">" | "<" | "=" | "＝" | "＞" | "＜" | ">=" | "<=" | "＞＝" | "＜＝"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_after_amounts_and_item_numbers_are_dropped() {
        assert_eq!(
            amount_text("854万(高标准农田建设400万元,示范建设295万元)"),
            "854万"
        );
        assert_eq!(amount_text("1,000.00"), "1,000.00");
        assert_eq!(strip_item_number("指标1:安置小区物业费"), "安置小区物业费");
        assert_eq!(strip_item_number("指标名称"), "指标名称");
        assert_eq!(
            one_line("打造金安国际网球\n公开赛"),
            "打造金安国际网球公开赛"
        );
        assert_eq!(one_line("Wi-Fi\n覆盖率"), "Wi-Fi 覆盖率");
    }

    #[test]
    fn provincial_totals_and_signed_values() {
        use crate::locate::blocks::locate_blocks;
        let form = Form::default_form();
        let rows: &[&[&str]] = &[
            &["项目名称", "道路养护", "道路养护", "道路养护", "道路养护"],
            &[
                "项目总投资（万元）",
                "500",
                "预算申报数（万元）",
                "120",
                "120",
            ],
            &["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            &[
                "绩效指标",
                "预期产出指标",
                "时效指标",
                "指标1：养护周期",
                "=300天",
            ],
            &["绩效指标", "效果指标", "社会效益指标", "通行条件", "改善"],
        ];
        let sheet = Sheet {
            name: Some("Sheet1".into()),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|t| Cell::Text((*t).into())).collect())
                .collect(),
            ..Sheet::default()
        };
        let blocks = locate_blocks(&sheet, &form);
        let (table, issues) = normalize_blocks(&sheet, &blocks, &form, "f.xlsx", "f");
        assert!(issues.is_empty(), "{issues:?}");
        let p = &table.units[0].projects[0];
        // 项目总投资 is the period's; 预算申报数 the year's, and the project's 总计.
        assert_eq!(
            p.amounts.get(form.total_field().unwrap()),
            &Amount::Value(Decimal::from(120))
        );
        let period: Vec<&str> = p
            .funding
            .iter()
            .filter(|l| l.period)
            .map(|l| l.label.as_str())
            .collect();
        assert_eq!(period, ["项目总投资"]);
        assert_eq!(p.indicators[0].name, "养护周期");
        assert_eq!(p.indicators[0].annual.text, "=300天");
        assert!(p.indicators[0].annual.numeric().is_some());
        // 预期产出指标 and 效果指标 are the 批复表's names for 产出 and 效益.
        for ind in &p.indicators {
            assert_eq!(form.taxonomy.check(ind), Ok(()), "{}", ind.level1.name);
        }
    }
}
