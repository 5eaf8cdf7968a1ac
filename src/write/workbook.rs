//! The consolidated workbook: 汇总表 (the official form, totals as formulas with their cached
//! values), 指标明细 (one row per indicator), 问题清单 (one row per issue) and 报送情况 (one row
//! per input file).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use crate::check::indicators::canonical;
use crate::consolidate::{column_sum, money_text, total_index, unit_total, Consolidation};
use crate::form::{FieldKind, Form};
use crate::grid::column_name;
use crate::issue::Severity;
use crate::model::{Amount, FileStatus, NumericTarget, Project, Submission, Target, Unit};
use crate::normalize::amount::format_amount;
use crate::normalize::indicator::render_indicators;

/// Number format of amounts in the official form.
const AMOUNT_FORMAT: &str = "#,##0.00";

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    amount: Format,
    total_text: Format,
    total_amount: Format,
    right: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone(),
            amount: cell.clone().set_num_format(AMOUNT_FORMAT),
            total_text: cell.clone().set_bold(),
            total_amount: cell.set_bold().set_num_format(AMOUNT_FORMAT),
            right: Format::new().set_align(FormatAlign::Right),
        }
    }
}

/// Builds the consolidated workbook in memory.
///
/// # Errors
/// rust_xlsxwriter refused a value (not expected: sheet names and sizes are ours).
pub fn build_workbook(form: &Form, c: &Consolidation) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    write_summary_sheet(workbook.add_worksheet(), form, c, &formats)?;
    write_indicator_sheet(workbook.add_worksheet(), form, c, &formats)?;
    write_issue_sheet(workbook.add_worksheet(), c, &formats)?;
    write_status_sheet(workbook.add_worksheet(), form, c, &formats)?;
    workbook.save_to_buffer()
}

/// Submissions whose units are consolidated (not duplicates of another file).
fn counted(c: &Consolidation) -> impl Iterator<Item = &Submission> {
    c.files.iter().filter(|f| f.status != FileStatus::Duplicate)
}

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// 汇总表: title, money unit, header; 合计 row; per unit its unit row and project rows. Unit rows
/// and 合计 are `SUBTOTAL(9, …)` formulas (a sum that skips nested subtotals, so 合计 counts each
/// project once) carrying their cached values.
fn write_summary_sheet(
    ws: &mut Worksheet,
    form: &Form,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("汇总表")?;
    let ncols = form.fields.len() as u16;
    let last_col = ncols - 1;
    ws.merge_range(0, 0, 0, last_col, &form.form.title, &f.title)?;
    ws.set_row_height(0, 30)?;
    ws.write_string_with_format(
        1,
        last_col,
        format!("单位：{}", form.form.money_unit),
        &f.right,
    )?;
    for (i, field) in form.fields.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, &field.label, &f.header)?;
        let width = match field.kind {
            FieldKind::Name => 36.0,
            FieldKind::Amount => 14.0,
            FieldKind::Goal => 50.0,
            FieldKind::Indicators => 70.0,
        };
        ws.set_column_width(i as u16, width)?;
    }
    ws.set_freeze_panes(3, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(2, 2)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");

    let amount_fields: Vec<usize> = form.amount_fields().collect();
    let units: Vec<&Unit> = counted(c).flat_map(Submission::units).collect();
    let total_row: u32 = 3;
    let last_row = total_row
        + units
            .iter()
            .map(|u| 1 + u.projects.len() as u32)
            .sum::<u32>();

    ws.write_string_with_format(total_row, 0, "合计", &f.total_text)?;
    for (i, &field) in amount_fields.iter().enumerate() {
        let col = field as u16;
        let sum: Decimal = units.iter().map(|u| column_sum(u, i)).sum();
        if last_row > total_row {
            let letter = column_name(u32::from(col));
            let formula = Formula::new(format!(
                "=SUBTOTAL(9,{letter}{}:{letter}{})",
                total_row + 2,
                last_row + 1
            ))
            .set_result(money_text(sum));
            ws.write_formula_with_format(total_row, col, formula, &f.total_amount)?;
        } else {
            ws.write_number_with_format(total_row, col, 0.0, &f.total_amount)?;
        }
    }
    for field in (0..form.fields.len())
        .filter(|i| !amount_fields.contains(i))
        .skip(1)
    {
        ws.write_blank(total_row, field as u16, &f.total_text)?;
    }

    let mut row = total_row + 1;
    for unit in units {
        let unit_row = row;
        ws.write_string_with_format(unit_row, 0, &unit.name, &f.total_text)?;
        for (i, &field) in amount_fields.iter().enumerate() {
            let col = field as u16;
            if unit.projects.is_empty() {
                ws.write_number_with_format(unit_row, col, 0.0, &f.total_amount)?;
                continue;
            }
            let letter = column_name(u32::from(col));
            let formula = Formula::new(format!(
                "=SUBTOTAL(9,{letter}{}:{letter}{})",
                unit_row + 2,
                unit_row + 1 + unit.projects.len() as u32
            ))
            .set_result(money_text(column_sum(unit, i)));
            ws.write_formula_with_format(unit_row, col, formula, &f.total_amount)?;
        }
        for field in (0..form.fields.len())
            .filter(|i| !amount_fields.contains(i))
            .skip(1)
        {
            ws.write_blank(unit_row, field as u16, &f.total_text)?;
        }
        row += 1;
        for project in &unit.projects {
            write_project_row(ws, form, row, project, f)?;
            row += 1;
        }
    }
    Ok(())
}

fn write_project_row(
    ws: &mut Worksheet,
    form: &Form,
    row: u32,
    p: &Project,
    f: &Formats,
) -> Result<(), XlsxError> {
    let mut amounts = p.amounts.values.iter();
    for (i, field) in form.fields.iter().enumerate() {
        let col = i as u16;
        match field.kind {
            FieldKind::Name => ws.write_string_with_format(row, col, &p.name, &f.text)?,
            FieldKind::Goal => ws.write_string_with_format(row, col, &p.goal, &f.text)?,
            FieldKind::Indicators => {
                // Unreadable indicator text is kept as written, never dropped.
                let text = if p.indicator_faults.is_empty() {
                    let canonical: Vec<_> =
                        p.indicators.iter().map(|i| canonical(form, i)).collect();
                    render_indicators(&canonical)
                } else {
                    p.indicator_text.clone()
                };
                ws.write_string_with_format(row, col, text, &f.text)?
            }
            FieldKind::Amount => match amounts.next() {
                Some(Amount::Value(d)) => {
                    ws.write_number_with_format(row, col, number(*d), &f.amount)?
                }
                Some(Amount::Bad(text)) => {
                    ws.write_string_with_format(row, col, text, &f.amount)?
                }
                Some(Amount::Blank) | None => ws.write_blank(row, col, &f.amount)?,
            },
        };
    }
    Ok(())
}

fn write_header(ws: &mut Worksheet, labels: &[(&str, f64)], f: &Formats) -> Result<(), XlsxError> {
    for (i, (label, width)) in labels.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *label, &f.header)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// 指标明细: one row per indicator, with the parsed parts of both targets.
fn write_indicator_sheet(
    ws: &mut Worksheet,
    form: &Form,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("指标明细")?;
    write_header(
        ws,
        &[
            ("单位", 30.0),
            ("项目", 36.0),
            ("序号", 6.0),
            ("一级指标", 14.0),
            ("二级指标", 16.0),
            ("三级指标", 30.0),
            ("实施周期指标值", 18.0),
            ("年度指标值", 18.0),
            ("实施周期比较符", 8.0),
            ("实施周期数值", 12.0),
            ("实施周期计量单位", 10.0),
            ("年度比较符", 8.0),
            ("年度数值", 12.0),
            ("年度计量单位", 10.0),
            ("来源文件", 40.0),
            ("来源位置", 14.0),
        ],
        f,
    )?;
    let mut row = 1u32;
    for sub in counted(c) {
        for table in &sub.tables {
            for unit in &table.units {
                for project in &unit.projects {
                    for (n, ind) in project.indicators.iter().enumerate() {
                        let ind = canonical(form, ind);
                        ws.write_string(row, 0, &unit.name)?;
                        ws.write_string(row, 1, &project.name)?;
                        ws.write_number(row, 2, f64::from(ind.seq.unwrap_or(n as u32 + 1)))?;
                        ws.write_string(row, 3, ind.level1.render())?;
                        ws.write_string(row, 4, ind.level2.render())?;
                        ws.write_string(row, 5, &ind.name)?;
                        ws.write_string(row, 6, &ind.period.text)?;
                        ws.write_string(row, 7, &ind.annual.text)?;
                        write_target_parts(ws, row, 8, &ind.period)?;
                        write_target_parts(ws, row, 11, &ind.annual)?;
                        ws.write_string(row, 14, &sub.display)?;
                        let place = match &table.sheet {
                            Some(s) => format!("{s}!第 {} 行", project.row),
                            None => format!("第 {} 行", project.row),
                        };
                        ws.write_string(row, 15, place)?;
                        row += 1;
                    }
                }
            }
        }
    }
    if row > 1 {
        ws.autofilter(0, 0, row - 1, 15)?;
    }
    Ok(())
}

fn write_target_parts(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    target: &Target,
) -> Result<(), XlsxError> {
    if let Some(NumericTarget {
        comparison,
        number: n,
        unit,
    }) = target.numeric()
    {
        if let Some(op) = comparison {
            ws.write_string(row, col, op.symbol())?;
        }
        ws.write_number(row, col + 1, number(*n))?;
        if !unit.is_empty() {
            ws.write_string(row, col + 2, unit)?;
        }
    }
    Ok(())
}

/// 问题清单: one row per issue, with a filter and a frozen header.
fn write_issue_sheet(ws: &mut Worksheet, c: &Consolidation, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("问题清单")?;
    write_header(
        ws,
        &[
            ("级别", 6.0),
            ("规则", 22.0),
            ("说明", 70.0),
            ("文件", 40.0),
            ("工作表", 12.0),
            ("单元格", 8.0),
            ("单位", 30.0),
            ("项目", 36.0),
        ],
        f,
    )?;
    for (i, issue) in c.issues.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, issue.severity.label())?;
        ws.write_string(row, 1, issue.rule.code())?;
        ws.write_string(row, 2, &issue.message)?;
        ws.write_string(row, 3, &issue.place.file)?;
        if let Some(s) = &issue.place.sheet {
            ws.write_string(row, 4, s)?;
        }
        let at = issue
            .place
            .cell()
            .or_else(|| issue.place.row.map(|r| format!("第 {r} 行")));
        if let Some(at) = at {
            ws.write_string(row, 5, at)?;
        }
        if let Some(u) = &issue.unit {
            ws.write_string(row, 6, u)?;
        }
        if let Some(p) = &issue.project {
            ws.write_string(row, 7, p)?;
        }
    }
    ws.autofilter(0, 0, c.issues.len() as u32, 7)?;
    Ok(())
}

/// 报送情况: one row per input file.
fn write_status_sheet(
    ws: &mut Worksheet,
    form: &Form,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name("报送情况")?;
    write_header(
        ws,
        &[
            ("文件", 40.0),
            ("单位", 30.0),
            ("单位名称来源", 14.0),
            ("版式", 18.0),
            ("项目数", 8.0),
            ("指标数", 8.0),
            ("总计", 14.0),
            ("错误", 6.0),
            ("警告", 6.0),
            ("状态", 12.0),
            ("说明", 50.0),
        ],
        f,
    )?;
    let amount = Format::new().set_num_format(AMOUNT_FORMAT);
    let total_at = total_index(form);
    for (i, sub) in c.files.iter().enumerate() {
        let row = i as u32 + 1;
        let units: Vec<&Unit> = sub.units().collect();
        let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
        let mut sources: Vec<&str> = units.iter().map(|u| u.name_source.label()).collect();
        sources.dedup();
        ws.write_string(row, 0, &sub.display)?;
        ws.write_string(row, 1, names.join("、"))?;
        ws.write_string(row, 2, sources.join("、"))?;
        if let Some(layout) = sub.layout() {
            ws.write_string(row, 3, layout.label())?;
        }
        if !units.is_empty() {
            let projects: usize = units.iter().map(|u| u.projects.len()).sum();
            let indicators: usize = units.iter().map(|u| u.indicator_count()).sum();
            let total: Decimal = units.iter().map(|u| unit_total(u, total_at)).sum();
            ws.write_number(row, 4, projects as f64)?;
            ws.write_number(row, 5, indicators as f64)?;
            ws.write_number_with_format(row, 6, number(total), &amount)?;
        }
        let count = |sev| sub.issues.iter().filter(|i| i.severity == sev).count() as f64;
        ws.write_number(row, 7, count(Severity::Error))?;
        ws.write_number(row, 8, count(Severity::Warning))?;
        ws.write_string(row, 9, sub.status.label())?;
        let note = sub.note.clone().or_else(|| {
            matches!(sub.status, FileStatus::Failed | FileStatus::Duplicate)
                .then(|| sub.issues.first().map(|i| i.message.clone()))
                .flatten()
        });
        if let Some(note) = note {
            ws.write_string(row, 10, note)?;
        }
    }
    let mut row = c.files.len() as u32;
    for entry in &c.not_submitted {
        row += 1;
        ws.write_string(row, 1, &entry.name)?;
        ws.write_number(row, 7, 1.0)?;
        ws.write_number(row, 8, 0.0)?;
        ws.write_string(row, 9, "未报送")?;
        let budget = entry
            .budget
            .map(|b| format!("，预算总额 {}", format_amount(b)))
            .unwrap_or_default();
        ws.write_string(
            row,
            10,
            format!(
                "名册中有此单位（{}{budget}），但没有收到报送",
                entry.place.describe()
            ),
        )?;
    }
    ws.autofilter(0, 0, row, 10)?;
    Ok(())
}
