//! The official per-project form (申报表) of a unit: one block per project, stacked on one
//! A4-portrait sheet with a page break between blocks, in the Ministry of Finance's template
//! shape: title, 项目名称, 主管部门 | 实施单位, the funding block, 中期目标 | 年度目标, and the
//! indicator table. The labels are the form definition's (`[project]`), so that jixiao reads the
//! form back to the same data.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::base::form::{BlockColumn, BlockLabel, FieldKind, Form};
use crate::base::model::{Amount, FundingRole, Project, Unit};
use crate::base::text::{display_width, excel_text};
use crate::write::official::{number, Formats};

/// Columns A..F and their widths, in characters; G holds 分值 when the indicators have weights.
const WIDTHS: [f64; 7] = [12.0, 14.0, 14.0, 30.0, 16.0, 16.0, 8.0];
const LAST: u16 = 5;
/// Height of one line of 11-point text, in points.
const LINE_HEIGHT: f64 = 14.5;

/// The label a form definition gives a kind of the per-project head, or `fallback`.
fn label<'a>(form: &'a Form, kind: BlockLabel, fallback: &'a str) -> &'a str {
    form.project
        .as_ref()
        .and_then(|p| p.labels.iter().find(|l| l.kind == kind))
        .map_or(fallback, |l| l.label.as_str())
}

/// The label of a funding part that adds to a form field (财政拨款 for fiscal).
fn part_label<'a>(form: &'a Form, key: &str, fallback: &'a str) -> &'a str {
    form.project
        .as_ref()
        .and_then(|p| {
            p.labels
                .iter()
                .find(|l| l.kind == BlockLabel::Part && l.field.as_deref() == Some(key))
        })
        .map_or(fallback, |l| l.label.as_str())
}

/// The header of an indicator-table column.
fn column_label<'a>(form: &'a Form, kind: BlockColumn, fallback: &'a str) -> &'a str {
    form.project
        .as_ref()
        .and_then(|p| p.columns.iter().find(|c| c.kind == kind))
        .map_or(fallback, |c| c.label.as_str())
}

/// Writes a unit's projects as per-project blocks on one sheet, with print settings.
///
/// # Errors
/// rust_xlsxwriter refused a value (not expected: rows and columns are in range).
pub fn write_project_sheet(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    f: &Formats,
) -> Result<(), XlsxError> {
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut row = 0;
    let mut breaks = Vec::new();
    for (i, project) in unit.projects.iter().enumerate() {
        if i > 0 {
            breaks.push(row);
        }
        row = write_block(ws, form, unit, project, row, f)? + 1;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_portrait();
    ws.set_paper_size(9);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Text over merged cells (a single cell when `first == last`).
fn text(
    ws: &mut Worksheet,
    row: u32,
    first: u16,
    last: u16,
    value: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if first == last {
        ws.write_string_with_format(row, first, excel_text(value), format)?;
    } else {
        ws.merge_range(row, first, row, last, excel_text(value), format)?;
    }
    Ok(())
}

/// A label merged down over `rows` rows of column A.
fn side_label(
    ws: &mut Worksheet,
    row: u32,
    rows: u32,
    value: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    if rows > 1 {
        ws.merge_range(row, 0, row + rows - 1, 0, value, &f.header)?;
    } else {
        ws.write_string_with_format(row, 0, excel_text(value), &f.header)?;
    }
    Ok(())
}

/// Lines a text takes in a span of columns once wrapped, for the row's height.
fn lines(value: &str, first: u16, last: u16) -> usize {
    let width: f64 = WIDTHS[first as usize..=last as usize].iter().sum::<f64>() - 1.5;
    value
        .lines()
        .map(|l| ((display_width(l) as f64) / width.max(1.0)).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

fn fit(ws: &mut Worksheet, row: u32, n: usize) -> Result<(), XlsxError> {
    if n > 1 {
        ws.set_row_height(row, (n as f64 * LINE_HEIGHT + 3.0).min(409.0))?;
    }
    Ok(())
}

/// One funding line of the block: its label and amount.
struct Line<'a> {
    label: String,
    amount: &'a Amount,
}

/// The year's funding lines to write: 总计 and each of the form's columns, then the parts of
/// the source that have no column of their own (上级资金), so that nothing is lost.
fn funding<'a>(form: &'a Form, project: &'a Project) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let total = form.total_field();
    for field in form.amount_fields() {
        let key = &form[field].key;
        let label = if Some(field) == total {
            format!("{}：", label(form, BlockLabel::Total, "年度资金总额"))
        } else {
            let name = part_label(form, key, &form[field].label);
            if out.len() == 1 {
                format!("其中：{name}")
            } else {
                name.to_string()
            }
        };
        out.push(Line {
            label,
            amount: project.amounts.get(field),
        });
    }
    for line in project.funding.iter().filter(|l| {
        // Lines written beside the total (Aside) are not part of its sum: left out.
        !l.period && l.field.is_none() && l.role == FundingRole::Part
    }) {
        out.push(Line {
            label: line.label.clone(),
            amount: &line.amount,
        });
    }
    out
}

/// Writes one block from `top`; returns the row after its last.
fn write_block(
    ws: &mut Worksheet,
    form: &Form,
    unit: &Unit,
    project: &Project,
    top: u32,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let mut row = top;
    ws.merge_range(row, 0, row, LAST, &form.form.title, &f.title)?;
    ws.set_row_height(row, 30)?;
    row += 1;
    text(
        ws,
        row,
        0,
        0,
        label(form, BlockLabel::Name, "项目名称"),
        &f.header,
    )?;
    text(ws, row, 1, LAST, &project.name, &f.text)?;
    fit(ws, row, lines(&project.name, 1, LAST))?;
    row += 1;
    text(
        ws,
        row,
        0,
        0,
        label(form, BlockLabel::Department, "主管部门"),
        &f.header,
    )?;
    text(
        ws,
        row,
        1,
        2,
        unit.department.as_deref().unwrap_or(""),
        &f.text,
    )?;
    text(
        ws,
        row,
        3,
        3,
        label(form, BlockLabel::Unit, "实施单位"),
        &f.header,
    )?;
    let unit_name = match &unit.code {
        Some(code) => format!("[{code}]{}", unit.name),
        None => unit.name.clone(),
    };
    text(ws, row, 4, LAST, &unit_name, &f.text)?;
    row += 1;

    let lines_of_funding = funding(form, project);
    let group = format!(
        "{}\n（{}）",
        label(form, BlockLabel::Group, "项目资金"),
        form.form.money_unit
    );
    side_label(ws, row, lines_of_funding.len() as u32, &group, f)?;
    for line in &lines_of_funding {
        text(ws, row, 1, 3, &line.label, &f.text)?;
        match line.amount {
            Amount::Value(d) => {
                ws.merge_range(row, 4, row, LAST, "", &f.amount)?;
                ws.write_number_with_format(row, 4, number(*d), &f.amount)?;
            }
            Amount::Bad(t) => text(ws, row, 4, LAST, t, &f.amount)?,
            Amount::Blank => text(ws, row, 4, LAST, "", &f.amount)?,
        }
        row += 1;
    }

    let goal_label = form
        .field_of(FieldKind::Goal)
        .map_or("总体目标", |g| form[g].label.as_str());
    side_label(ws, row, 2, goal_label, f)?;
    text(
        ws,
        row,
        1,
        2,
        label(form, BlockLabel::GoalPeriod, "中期目标"),
        &f.header,
    )?;
    text(
        ws,
        row,
        3,
        LAST,
        label(form, BlockLabel::GoalAnnual, "年度目标"),
        &f.header,
    )?;
    row += 1;
    text(ws, row, 1, 2, &project.goal_period, &f.text)?;
    text(ws, row, 3, LAST, &project.goal, &f.text)?;
    fit(
        ws,
        row,
        lines(&project.goal_period, 1, 2).max(lines(&project.goal, 3, LAST)),
    )?;
    row += 1;

    let indicators = &project.indicators;
    let indicator_label = form
        .field_of(FieldKind::Indicators)
        .map_or("绩效指标", |g| form[g].label.as_str());
    side_label(ws, row, 1 + indicators.len() as u32, indicator_label, f)?;
    let weighted = indicators.iter().any(|i| i.weight.is_some());
    let mut headers = vec![
        column_label(form, BlockColumn::Level1, "一级指标"),
        column_label(form, BlockColumn::Level2, "二级指标"),
        column_label(form, BlockColumn::Level3, "三级指标"),
        column_label(form, BlockColumn::PeriodValue, "实施期指标值"),
        "年度指标值",
    ];
    if weighted {
        headers.push(column_label(form, BlockColumn::Weight, "分值"));
    }
    for (c, h) in headers.iter().enumerate() {
        text(ws, row, c as u16 + 1, c as u16 + 1, h, &f.header)?;
    }
    row += 1;
    let first = row;
    for (i, ind) in indicators.iter().enumerate() {
        let r = first + i as u32;
        let same_level1 = i > 0 && indicators[i - 1].level1.name == ind.level1.name;
        if !same_level1 {
            let run = indicators[i..]
                .iter()
                .take_while(|x| x.level1.name == ind.level1.name)
                .count() as u32;
            if run > 1 {
                ws.merge_range(r, 1, r + run - 1, 1, &ind.level1.name, &f.text)?;
            } else {
                text(ws, r, 1, 1, &ind.level1.name, &f.text)?;
            }
        }
        text(ws, r, 2, 2, &ind.level2.name, &f.text)?;
        text(ws, r, 3, 3, &ind.name, &f.text)?;
        text(ws, r, 4, 4, &ind.period.text, &f.text)?;
        text(ws, r, 5, 5, &ind.annual.text, &f.text)?;
        if let Some(w) = ind.weight {
            ws.write_number_with_format(r, 6, number(w), &f.amount)?;
        }
        fit(
            ws,
            r,
            lines(&ind.name, 3, 3).max(lines(&ind.level2.name, 2, 2)),
        )?;
    }
    Ok(first + indicators.len() as u32)
}
