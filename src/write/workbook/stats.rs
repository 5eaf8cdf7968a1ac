//! 统计: totals by unit, issues by rule and indicators by category, with charts.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rust_xlsxwriter::{Chart, ChartRange, ChartType, Format, Worksheet, XlsxError};

use super::set_print;
use crate::base::form::Form;
use crate::base::model::{Indicator, Submission};
use crate::base::taxonomy::Assessor;
use crate::base::text::excel_text;
use crate::consolidate::{unit_total, Consolidation, UnitSource};
use crate::write::official::{number, wrapped_height, Formats};

/// The columns' widths: labels (单位, 规则, 一级指标), then 项目数 / 级别 / 二级指标, then
/// 指标数 / 说明 / 指标数, then 总计 / 数量.
const WIDTHS: [f64; 4] = [36.0, 24.0, 30.0, 14.0];

/// Where indicators whose categories do not resolve in the taxonomy are counted.
pub(super) const BAD_CATEGORY: &str = "类别有误";

/// Indicators counted by their (level 1, level 2) categories. Only categories that resolve in
/// the taxonomy count as themselves: a level 2 written under the wrong level 1 is counted under
/// [`BAD_CATEGORY`].
pub(super) fn add_category_counts(
    counts: &mut BTreeMap<(String, String), usize>,
    assessor: &mut Assessor,
    indicators: &[Indicator],
) {
    for ind in indicators {
        let key = if assessor.assess(ind).resolved.is_ok() {
            (ind.level1.render(), ind.level2.render())
        } else {
            (BAD_CATEGORY.to_string(), BAD_CATEGORY.to_string())
        };
        *counts.entry(key).or_default() += 1;
    }
}

/// The columns of 统计's tables of units.
const UNIT_HEADER: [&str; 4] = ["单位", "项目数", "指标数", "总计"];

/// The most units the bar chart shows: past this many, it shows those with the largest totals.
pub(super) const CHART_UNITS: usize = 20;

/// The positions of the `n` largest of `totals`, largest first; equal totals in their order.
fn largest(totals: &[f64], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

/// A chart's width, in pixels; two sit side by side right of the tables, on the first page.
const CHART_WIDTH: u32 = 600;

/// Units read back at once for the table of units.
const UNITS_AT_ONCE: usize = 256;

/// Writes a table at (row, col): a header and rows of (label cells, number cells), the numbers
/// in `number_formats` (the last one for any column past them). Rows are taken one at a time
/// (统计's table of units has a row for each unit of the run).
fn write_table<'a>(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    header: &[&str],
    rows: impl Iterator<Item = (Vec<Cow<'a, str>>, Vec<f64>)>,
    f: &Formats,
    number_formats: &[&Format],
) -> Result<(), XlsxError> {
    for (i, h) in header.iter().enumerate() {
        ws.write_string_with_format(row, col + i as u16, *h, &f.header)?;
    }
    for (r, (labels, numbers)) in rows.enumerate() {
        let r = row + 1 + r as u32;
        // Wrapped labels need their row's height (spreadsheets do not grow it themselves).
        let height = labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| wrapped_height(l, WIDTHS[(col as usize + i).min(3)]))
            .fold(None, |a: Option<f64>, h| Some(a.map_or(h, |a| a.max(h))));
        if let Some(height) = height {
            ws.set_row_height(r, height)?;
        }
        for (i, label) in labels.iter().enumerate() {
            ws.write_string_with_format(r, col + i as u16, excel_text(label), &f.text)?;
        }
        for (i, n) in numbers.iter().enumerate() {
            let c = col + (labels.len() + i) as u16;
            let format = number_formats[i.min(number_formats.len() - 1)];
            ws.write_number_with_format(r, c, *n, format)?;
        }
    }
    Ok(())
}

/// 统计: totals by unit (with a bar chart), issues by rule, indicators by category (with a chart).
/// `units_counted` are the run's consolidated units ([`super::counted_units`], or as kept on
/// disk by `ParkedUnits`), which 汇总表 is written from at the same time: made once, not once
/// per sheet (the per-project forms' units are merged to make them); `first_files` the file
/// of each one's first part.
pub(super) fn write_stats_sheet(
    ws: &mut Worksheet,
    form: &Form,
    c: &Consolidation,
    units_counted: &(impl UnitSource + ?Sized),
    first_files: &[&Submission],
    digested: &BTreeMap<(String, String), usize>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let count_format = &f.count;
    let money_format = &f.amount;
    // What the table and the chart show of each unit, read a chunk at a time: its name, its
    // counts and total. Indicators not digested (held projects) are counted by category here.
    let mut names: Vec<String> = Vec::with_capacity(units_counted.count());
    let mut counts: Vec<(usize, usize)> = Vec::with_capacity(units_counted.count());
    let mut totals: Vec<f64> = Vec::with_capacity(units_counted.count());
    let mut categories = digested.clone();
    let count = units_counted.count();
    let mut assessor = form.taxonomy.assessor();
    for range in units_counted.chunks(UNITS_AT_ONCE) {
        for u in units_counted.units(range)? {
            names.push(u.name.clone());
            counts.push((u.project_count(), u.indicator_count()));
            totals.push(number(unit_total(form, &u)));
            for project in u.projects.iter().filter(|p| p.digest.is_none()) {
                add_category_counts(&mut categories, &mut assessor, &project.indicators);
            }
        }
    }
    // A unit that appears more than once (sent in two files) is told apart by its file: the
    // file of its first part.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for name in &names {
        *seen.entry(name.as_str()).or_default() += 1;
    }
    let repeated: Vec<bool> = names.iter().map(|n| seen[n.as_str()] > 1).collect();
    drop(seen);
    let labels: Vec<String> = names
        .into_iter()
        .zip(repeated)
        .enumerate()
        .map(|(i, (name, repeated))| match first_files.get(i) {
            Some(sub) if repeated => {
                let file = sub
                    .path
                    .file_name()
                    .map_or_else(|| sub.display.clone(), |n| n.to_string_lossy().into_owned());
                format!("{name}（{file}）")
            }
            _ => name,
        })
        .collect();
    let rules: Vec<(Vec<Cow<str>>, Vec<f64>)> = c
        .summary
        .by_rule
        .iter()
        .map(|(rule, n)| {
            (
                vec![
                    Cow::Borrowed(rule.code()),
                    Cow::Borrowed(rule.severity().label()),
                    Cow::Borrowed(rule.title()),
                ],
                vec![*n as f64],
            )
        })
        .collect();
    let categories: Vec<(Vec<Cow<str>>, Vec<f64>)> = categories
        .into_iter()
        .map(|((l1, l2), n)| (vec![Cow::Owned(l1), Cow::Owned(l2)], vec![n as f64]))
        .collect();

    ws.set_name("统计")?;
    for (col, width) in WIDTHS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    // Printed like the other sheets; the charts sit side by side on the first page, right of
    // the tables: fitted to the width, a page holds each of them whole.
    set_print(ws);
    ws.write_string_with_format(0, 0, "各单位总计（万元）", &f.subtitle)?;
    // The bar chart shows every unit of a small run; past CHART_UNITS, the units with the
    // largest totals, from a table of their own at the sheet's end (a bar of a few pixels shows
    // nothing, and the chart's caches would grow with the run).
    let top: Vec<usize> = if count > CHART_UNITS {
        largest(&totals, CHART_UNITS)
    } else {
        Vec::new()
    };
    let top_rows: Vec<(String, (usize, usize), f64)> = top
        .iter()
        .map(|&i| (labels[i].clone(), counts[i], totals[i]))
        .collect();
    let unit_rows =
        counts
            .iter()
            .zip(&labels)
            .zip(&totals)
            .map(|((&(projects, indicators), label), total)| {
                (
                    vec![Cow::Borrowed(label.as_ref())],
                    vec![projects as f64, indicators as f64, *total],
                )
            });
    write_table(
        ws,
        1,
        0,
        &UNIT_HEADER,
        unit_rows,
        f,
        // Amounts in the 总计 column.
        &[count_format, count_format, money_format],
    )?;
    let rule_row = count as u32 + 4;
    ws.write_string_with_format(rule_row, 0, "问题按规则", &f.subtitle)?;
    write_table(
        ws,
        rule_row + 1,
        0,
        &["规则", "级别", "说明", "数量"],
        rules.iter().cloned(),
        f,
        &[count_format],
    )?;
    let cat_row = rule_row + rules.len() as u32 + 3;
    ws.write_string_with_format(cat_row, 0, "指标按类别", &f.subtitle)?;
    write_table(
        ws,
        cat_row + 1,
        0,
        &["一级指标", "二级指标", "指标数"],
        categories.iter().cloned(),
        f,
        &[count_format],
    )?;

    // The charts' caches (`text_range`, `number_range`): the sheet is written in constant
    // memory, its cells are on disk by the save, so the charts are given the values they show.
    if count > 0 {
        let (title, first, last, chart_labels, chart_totals) = if top_rows.is_empty() {
            let last = 1 + count as u32;
            ("各单位总计（万元）".to_string(), 2, last, labels, totals)
        } else {
            drop((labels, totals));
            let row = cat_row + categories.len() as u32 + 4;
            let title = format!("总计最多的{}个单位（万元）", top_rows.len());
            ws.write_string_with_format(row, 0, &title, &f.subtitle)?;
            let rows = top_rows
                .iter()
                .map(|(label, (projects, indicators), total)| {
                    (
                        vec![Cow::Borrowed(label.as_str())],
                        vec![*projects as f64, *indicators as f64, *total],
                    )
                });
            write_table(
                ws,
                row + 1,
                0,
                &UNIT_HEADER,
                rows,
                f,
                &[count_format, count_format, money_format],
            )?;
            let (labels, totals) = top_rows.into_iter().map(|(l, _, t)| (l, t)).unzip();
            let last = row + 1 + top.len() as u32;
            (title, row + 2, last, labels, totals)
        };
        // The series copies a cache, and inserting the chart copies it again: each list goes
        // once the next copy is made.
        let categories = text_range(first, last, 0, chart_labels.iter().map(|l| l.as_ref()));
        drop(chart_labels);
        let values = number_range(first, last, 3, chart_totals.iter().copied());
        drop(chart_totals);
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_categories(&categories)
            .set_values(&values)
            .set_name("总计（万元）");
        drop((categories, values));
        chart.title().set_name(&title);
        chart.legend().set_hidden();
        chart.set_width(CHART_WIDTH);
        chart.set_height(chart_height((last + 1 - first) as usize));
        ws.insert_chart(1, 5, &chart)?;
    }
    if !categories.is_empty() {
        let first = cat_row + 2;
        let last = cat_row + 1 + categories.len() as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_categories(&text_range(
                first,
                last,
                1,
                categories.iter().map(|c| c.0[1].as_ref()),
            ))
            .set_values(&number_range(
                first,
                last,
                2,
                categories.iter().map(|c| c.1[0]),
            ))
            .set_name("指标数");
        chart.title().set_name("指标按二级类别");
        chart.legend().set_hidden();
        chart.set_width(CHART_WIDTH);
        chart.set_height(chart_height(categories.len()));
        ws.insert_chart_with_offset(1, 5, &chart, CHART_WIDTH + 20, 0)?;
    }
    Ok(())
}

/// A chart's range over rows `first..=last` of one column of 统计, given the texts its cells
/// hold (as [`write_table`] wrote them) as the chart's cache.
fn text_range<'a>(
    first: u32,
    last: u32,
    col: u16,
    texts: impl Iterator<Item = &'a str>,
) -> ChartRange {
    let texts: Vec<&str> = texts.map(excel_text).collect();
    let mut range = ChartRange::new_from_range("统计", first, col, last, col);
    range.set_string_cache(&texts);
    range
}

/// [`text_range`] for a column of numbers.
fn number_range(first: u32, last: u32, col: u16, numbers: impl Iterator<Item = f64>) -> ChartRange {
    let numbers: Vec<f64> = numbers.collect();
    let mut range = ChartRange::new_from_range("统计", first, col, last, col);
    range.set_number_cache(&numbers);
    range
}

/// A chart's height for this many bars, in pixels: between 320 and 640. A landscape A4 page
/// holds about 680 pixels at full size, and the sheet only ever prints smaller (fitted to the
/// width of the tables and both charts).
fn chart_height(bars: usize) -> u32 {
    (80 + 20 * bars as u32).clamp(320, 640)
}
