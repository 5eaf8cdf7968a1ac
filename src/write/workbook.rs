//! The consolidated workbook: 汇总表 (the official form, totals as formulas with their cached
//! values), 指标明细 (one row per indicator), 问题清单 (one row per issue), 报送情况 (one row
//! per input file) and 统计 (totals by unit, issues by rule, indicators by category, with charts).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use crate::base::form::Form;
use crate::base::issue::Severity;
use crate::base::model::{FileStatus, NumericTarget, Submission, Target, Unit};
use crate::base::text::{excel_text, format_amount};
use crate::consolidate::{unit_total, Consolidation};
use crate::write::official::{number, write_official_sheet, Formats, Heading, AMOUNT_FORMAT};

/// Builds the consolidated workbook, ready to save; its large sheets are in constant-memory mode
/// (their rows already on disk, in temporary files).
///
/// # Errors
/// rust_xlsxwriter refused a value (not expected: sheet names and sizes are ours).
pub fn build_workbook(
    form: &Form,
    c: &Consolidation,
    parallel: bool,
) -> Result<Workbook, XlsxError> {
    build_workbook_with_limit(form, c, MAX_ROWS, parallel)
}

/// [`build_workbook`] with another row limit for 指标明细 (tests use a small one).
///
/// # Errors
/// As [`build_workbook`].
pub fn build_workbook_with_limit(
    form: &Form,
    c: &Consolidation,
    max_rows: u32,
    parallel: bool,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    let formats = Formats::new();
    let units: Vec<&Unit> = counted_units(c).collect();
    // The large sheets are written in constant-memory mode: one row in memory at a time.
    workbook
        .add_worksheet_with_constant_memory()?
        .set_name("汇总表")?;
    let per_sheet = max_rows.saturating_sub(1).max(1) as usize;
    let parts = c.summary.indicators.div_ceil(per_sheet).max(1);
    for part in 1..=parts {
        let name = if part == 1 {
            "指标明细".to_string()
        } else {
            format!("指标明细{part}")
        };
        workbook
            .add_worksheet_with_constant_memory()?
            .set_name(name)?;
    }
    // 汇总表 and 指标明细, the two large sheets, are independent: written side by side.
    let (summary, rest) = workbook.worksheets_mut().split_at_mut(1);
    let heading = Heading {
        unit_name: None,
        grand_total: true,
    };
    let mut write_summary =
        || write_official_sheet(&mut summary[0], form, &heading, &units, &formats);
    let mut write_details = || write_indicator_sheets(&mut rest[..parts], c, &formats, max_rows);
    if parallel {
        let (a, b) = std::thread::scope(|scope| {
            let details = scope.spawn(write_details);
            let a = write_summary();
            (a, details.join())
        });
        a?;
        b.map_err(|_| XlsxError::ParameterError("指标明细 writer panicked".to_string()))??;
    } else {
        write_summary()?;
        write_details()?;
    }
    write_issue_sheet(workbook.add_worksheet_with_constant_memory()?, c, &formats)?;
    write_status_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        form,
        c,
        &formats,
    )?;
    write_stats_sheet(&mut workbook, form, c, &formats)?;
    Ok(workbook)
}

/// Submissions whose units are consolidated (not duplicates of another file).
fn counted(c: &Consolidation) -> impl Iterator<Item = &Submission> {
    c.files.iter().filter(|f| f.status != FileStatus::Duplicate)
}

/// Every consolidated unit, in input order.
pub fn counted_units(c: &Consolidation) -> impl Iterator<Item = &Unit> {
    counted(c).flat_map(Submission::units)
}

fn write_header(ws: &mut Worksheet, labels: &[(&str, f64)], f: &Formats) -> Result<(), XlsxError> {
    for (i, (label, width)) in labels.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *label, &f.header)?;
        ws.set_column_width(i as u16, *width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The zip compression of the consolidated workbook: zip's default, 6. Compressing is the one
/// step of writing that cannot run in parallel (rust_xlsxwriter deflates one file at a time);
/// measured on 1,000 generated files, level 1 would make the whole run 27% faster and the file
/// 1.6 times larger (22 MB instead of 14 MB), level 3 19% faster and 1.25 times larger.
pub const ZIP_LEVEL: u8 = 6;

/// Excel's rows per sheet.
pub const MAX_ROWS: u32 = 1_048_576;

/// 指标明细: one row per indicator, with the parsed parts of both targets. Past `max_rows` rows
/// (Excel's limit) it continues on 指标明细2, 指标明细3…, each with its header.
fn write_indicator_sheets(
    sheets: &mut [Worksheet],
    c: &Consolidation,
    f: &Formats,
    max_rows: u32,
) -> Result<(), XlsxError> {
    let mut rows = counted(c)
        .flat_map(|sub| sub.tables.iter().map(move |t| (sub, t)))
        .flat_map(|(sub, t)| t.units.iter().map(move |u| (sub, t, u)))
        .flat_map(|(sub, t, u)| u.projects.iter().map(move |p| (sub, t, u, p)))
        .flat_map(|(sub, t, u, p)| {
            p.indicators
                .iter()
                .enumerate()
                .map(move |(n, ind)| (sub, t, u, p, n, ind))
        });
    for ws in sheets {
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
        while row < max_rows {
            let Some((sub, table, unit, project, n, ind)) = rows.next() else {
                break;
            };
            ws.write_string(row, 0, excel_text(&unit.name))?;
            ws.write_string(row, 1, excel_text(&project.name))?;
            ws.write_number(row, 2, f64::from(ind.seq.unwrap_or(n as u32 + 1)))?;
            ws.write_string(row, 3, excel_text(&ind.level1.render()))?;
            ws.write_string(row, 4, excel_text(&ind.level2.render()))?;
            ws.write_string(row, 5, excel_text(&ind.name))?;
            ws.write_string(row, 6, excel_text(&ind.period.text))?;
            ws.write_string(row, 7, excel_text(&ind.annual.text))?;
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
        if row > 1 {
            ws.autofilter(0, 0, row - 1, 15)?;
        }
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
            let total: Decimal = units.iter().map(|u| unit_total(form, u)).sum();
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

/// Writes a small table at (row, col): a header and rows of (label cells, number cells).
fn write_table(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    header: &[&str],
    rows: &[(Vec<String>, Vec<f64>)],
    f: &Formats,
    number_format: &Format,
) -> Result<(), XlsxError> {
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(row, col + i as u16, *h, &f.header)?;
    }
    for (r, (labels, numbers)) in rows.iter().enumerate() {
        let r = row + 1 + r as u32;
        for (i, label) in labels.iter().enumerate() {
            ws.write_string_with_format(r, col + i as u16, label, &f.text)?;
        }
        for (i, n) in numbers.iter().enumerate() {
            let c = col + (labels.len() + i) as u16;
            ws.write_number_with_format(r, c, *n, number_format)?;
        }
    }
    Ok(())
}

/// 统计: totals by unit (with a bar chart), issues by rule, indicators by category (with a chart).
fn write_stats_sheet(
    workbook: &mut Workbook,
    form: &Form,
    c: &Consolidation,
    f: &Formats,
) -> Result<(), XlsxError> {
    let count_format = f.text.clone().set_num_format("0");
    let money_format = f.amount.clone();
    let units: Vec<(Vec<String>, Vec<f64>)> = counted_units(c)
        .map(|u| {
            (
                vec![u.name.clone()],
                vec![
                    u.projects.len() as f64,
                    u.indicator_count() as f64,
                    number(unit_total(form, u)),
                ],
            )
        })
        .collect();
    let rules: Vec<(Vec<String>, Vec<f64>)> = c
        .summary
        .by_rule
        .iter()
        .map(|(rule, n)| {
            (
                vec![
                    rule.code().to_string(),
                    rule.severity().label().to_string(),
                    rule.title().to_string(),
                ],
                vec![*n as f64],
            )
        })
        .collect();
    let mut categories: BTreeMap<(String, String), usize> = BTreeMap::new();
    for unit in counted_units(c) {
        for project in &unit.projects {
            for ind in &project.indicators {
                *categories
                    .entry((ind.level1.render(), ind.level2.render()))
                    .or_default() += 1;
            }
        }
    }
    let categories: Vec<(Vec<String>, Vec<f64>)> = categories
        .into_iter()
        .map(|((l1, l2), n)| (vec![l1, l2], vec![n as f64]))
        .collect();

    let ws = workbook.add_worksheet();
    ws.set_name("统计")?;
    ws.set_column_width(0, 36)?;
    for col in 1..=3 {
        ws.set_column_width(col, 12)?;
    }
    ws.write_string_with_format(
        0,
        0,
        "各单位总计（万元）",
        &f.title.clone().set_font_size(12),
    )?;
    write_table(
        ws,
        1,
        0,
        &["单位", "项目数", "指标数", "总计"],
        &units,
        f,
        &count_format,
    )?;
    // Amounts in the 总计 column.
    for (r, (_, numbers)) in units.iter().enumerate() {
        ws.write_number_with_format(2 + r as u32, 3, numbers[2], &money_format)?;
    }
    let rule_row = units.len() as u32 + 4;
    ws.write_string_with_format(
        rule_row,
        0,
        "问题按规则",
        &f.title.clone().set_font_size(12),
    )?;
    write_table(
        ws,
        rule_row + 1,
        0,
        &["规则", "级别", "说明", "数量"],
        &rules,
        f,
        &count_format,
    )?;
    let cat_row = rule_row + rules.len() as u32 + 3;
    ws.write_string_with_format(cat_row, 0, "指标按类别", &f.title.clone().set_font_size(12))?;
    write_table(
        ws,
        cat_row + 1,
        0,
        &["一级指标", "二级指标", "指标数"],
        &categories,
        f,
        &count_format,
    )?;

    if !units.is_empty() {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories(("统计", 2, 0, 1 + units.len() as u32, 0))
            .set_values(("统计", 2, 3, 1 + units.len() as u32, 3))
            .set_name("总计（万元）");
        chart.title().set_name("各单位总计（万元）");
        chart.legend().set_hidden();
        ws.insert_chart(1, 6, &chart)?;
    }
    if !categories.is_empty() {
        let first = cat_row + 2;
        let last = cat_row + 1 + categories.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_categories(("统计", first, 1, last, 1))
            .set_values(("统计", first, 2, last, 2))
            .set_name("指标数");
        chart.title().set_name("指标按二级类别");
        chart.legend().set_hidden();
        ws.insert_chart(18, 6, &chart)?;
    }
    Ok(())
}
