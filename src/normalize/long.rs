//! The declaration (long) layout: one row per indicator, with columns 一级指标 | 二级指标 |
//! 三级指标 | 实施周期指标值 | 年度指标值 (or a single 指标值, with 计算符号 and 计量单位 apart).
//! A project's own cells (name, amounts, goal) are merged over its indicator rows (the read stage
//! has filled them) or written on its first row only; either way its amounts are taken once, from
//! its first row. Categories usually come by name without codes and carry down when left blank.

use crate::base::form::{Form, IndicatorKind};
use crate::base::issue::Issue;
use crate::base::model::{CategoryRef, Indicator, IndicatorFault, Project, Table};
use crate::base::text::Text;
use crate::locate::Layout;
use crate::normalize::indicator::{parse_category, push_indicator_line};
use crate::normalize::rows::{RowCells, SheetReader};
use crate::normalize::target::{compose_target, parse_targets};
use crate::read::grid::Sheet;

/// Normalizes one sheet in the long layout.
pub fn normalize_long(
    sheet: &Sheet,
    layout: &Layout,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Table, Vec<Issue>) {
    let (reader, issues) = SheetReader::new(sheet, layout, form, file);
    let (grand_total, units) = reader.read_units(file_stem, |unit, cells, fresh| {
        // A row continues the project above it unless a 合计 or unit row came between, or it
        // names another project.
        let continues = !fresh
            && unit
                .projects
                .last()
                .is_some_and(|p| cells.name.is_empty() || cells.name == p.name);
        if !continues {
            unit.projects.push(Project {
                row: cells.row,
                name: cells.name.to_string(),
                amounts: cells.amounts.clone(),
                goal: cells.goal.to_string(),
                indicator_text: String::new(),
                indicators: Vec::new(),
                indicator_faults: Vec::new(),
                ..Project::default()
            });
        }
        if let Some(project) = unit.projects.last_mut() {
            add_indicator_row(project, cells);
        }
    });
    (reader.table(grand_total, units), issues)
}

/// Reads one row's indicator into the project, or records why it cannot be read.
fn add_indicator_row(project: &mut Project, cells: &RowCells) {
    if !cells.has_indicator() {
        return;
    }
    let cell = |kind| crate::base::text::trim(cells.indicator_cell(kind));
    let seq = (project.indicators.len() + project.indicator_faults.len() + 1) as u32;
    // The row's filled indicator cells, as one line of the project's 绩效指标 text.
    let filled = cells.indicator_cells.iter().map(|(_, c)| c.as_ref());
    let at = push_indicator_line(
        &mut project.indicator_text,
        filled.filter(|c: &&str| !c.is_empty()),
    );
    let raw = &project.indicator_text[at..];

    let previous = project.indicators.last();
    let carried = |kind, from_previous: fn(&Indicator) -> &CategoryRef| {
        let text = cell(kind);
        if text.is_empty() {
            previous.map(|p| from_previous(p).clone())
        } else {
            Some(parse_category(text))
        }
    };
    let level1 = carried(IndicatorKind::Level1, |p| &p.level1);
    let level2 = carried(IndicatorKind::Level2, |p| &p.level2);
    let name = cell(IndicatorKind::Level3);
    let sign = cell(IndicatorKind::Sign);
    let measure = cell(IndicatorKind::Measure);
    let single = cell(IndicatorKind::Value);
    let value = |kind| {
        let own = cell(kind);
        compose_target(sign, if own.is_empty() { single } else { own }, measure)
    };
    let fault = |reason: &str| IndicatorFault {
        seq: Some(seq),
        text: raw.to_string(),
        reason: reason.to_string(),
    };
    let (Some(level1), Some(level2)) = (level1, level2) else {
        project
            .indicator_faults
            .push(fault("缺少一级指标或二级指标"));
        return;
    };
    if name.is_empty() {
        project
            .indicator_faults
            .push(fault("缺少三级指标（指标名称）"));
        return;
    }
    let (period, annual) =
        parse_targets(&value(IndicatorKind::Period), &value(IndicatorKind::Annual));
    project.indicators.push(Indicator {
        seq: Some(seq),
        level1,
        level2,
        name: name.into(),
        period,
        annual,
        weight: cell(IndicatorKind::Weight).parse().ok(),
        direction: Some(Text::from(cell(IndicatorKind::Direction))).filter(|d| !d.is_empty()),
        ..Indicator::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_compose_from_parts() {
        assert_eq!(compose_target("≥", "90", "%"), "≥90%");
        assert_eq!(compose_target("", "7", "人"), "7人");
        assert_eq!(compose_target("=", "100", "%"), "100%");
        assert_eq!(compose_target("≥", "≥90%", "%"), "≥90%");
        assert_eq!(compose_target("", "良好及以上", ""), "良好及以上");
        assert_eq!(compose_target("≤", "", "%"), "");
    }
}
