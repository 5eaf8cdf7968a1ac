//! Next year's blank submission template (`jixiao template`), in the declaration (long) layout:
//! one row per indicator, dropdown lists for 一级指标 and for 二级指标 depending on it (named
//! ranges on a hidden sheet, through INDIRECT), 总计 as a formula over the funding columns, an
//! instructions sheet, and the header locked so that only the cells to fill can be edited. A filled
//! template reads back through jixiao like any long-layout submission.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::base::form::{FieldKind, Form, IndicatorKind};
use crate::base::text::column_name;
use crate::write::official::{Formats, AMOUNT_FORMAT};

/// Rows ready for input below the header.
const TEMPLATE_ROWS: u32 = 300;
/// Name of the hidden sheet holding the taxonomy lists.
const LISTS_SHEET: &str = "指标体系";
/// Row (0-based) of the sub-header; input starts below it.
const SUB_HEADER_ROW: u32 = 3;

/// One column of the template: its label, its group label (row 3) and what it holds.
struct Column {
    label: String,
    group: Option<&'static str>,
    kind: ColumnKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Text,
    Amount,
    Total,
    Level1,
    Level2,
    Indicator,
}

/// The template's columns: the form's fields (without the wide layout's 绩效指标 cell), then
/// 一级指标, 二级指标, 三级指标, 实施周期指标值, 年度指标值.
fn columns(form: &Form) -> Vec<Column> {
    let mut cols = Vec::new();
    for field in &form.fields {
        let kind = match field.kind {
            FieldKind::Indicators => continue,
            FieldKind::Amount if field.key == form.sum.total => ColumnKind::Total,
            FieldKind::Amount => ColumnKind::Amount,
            FieldKind::Name | FieldKind::Goal => ColumnKind::Text,
        };
        let group = (field.kind == FieldKind::Amount).then_some("资金情况");
        cols.push(Column {
            label: field.label.clone(),
            group,
            kind,
        });
    }
    for kind in [
        IndicatorKind::Level1,
        IndicatorKind::Level2,
        IndicatorKind::Level3,
        IndicatorKind::Period,
        IndicatorKind::Annual,
    ] {
        if let Some(f) = form.indicator_fields.iter().find(|f| f.kind == kind) {
            cols.push(Column {
                label: f.label.clone(),
                group: Some("绩效指标"),
                kind: match kind {
                    IndicatorKind::Level1 => ColumnKind::Level1,
                    IndicatorKind::Level2 => ColumnKind::Level2,
                    _ => ColumnKind::Indicator,
                },
            });
        }
    }
    cols
}

/// Builds the blank template in memory.
///
/// # Errors
/// rust_xlsxwriter refused a value or a defined name (a category name Excel does not accept as
/// a name, from a custom form).
pub fn build_template(form: &Form) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let cols = columns(form);
    let formats = Formats::new();

    let ws = workbook.add_worksheet();
    ws.set_name("填报表")?;
    write_input_sheet(ws, form, &cols, &formats)?;

    let help = workbook.add_worksheet();
    help.set_name("填报说明")?;
    write_instructions(help, form)?;

    let lists = workbook.add_worksheet();
    lists.set_name(LISTS_SHEET)?;
    for (r, category) in form.taxonomy.categories().iter().enumerate() {
        lists.write_string(r as u32, 0, &category.name)?;
        for (c, sub) in category.children.iter().enumerate() {
            lists.write_string(c as u32, 1 + r as u16, &sub.name)?;
        }
    }
    lists.set_hidden(true);
    let n = form.taxonomy.categories().len();
    workbook.define_name("一级指标", &format!("={LISTS_SHEET}!$A$1:$A${n}"))?;
    for (r, category) in form.taxonomy.categories().iter().enumerate() {
        let col = column_name(1 + r as u32);
        let last = category.children.len().max(1);
        workbook.define_name(
            category.name.as_str(),
            &format!("={LISTS_SHEET}!${col}$1:${col}${last}"),
        )?;
    }
    workbook.save_to_buffer()
}

fn write_input_sheet(
    ws: &mut Worksheet,
    form: &Form,
    cols: &[Column],
    f: &Formats,
) -> Result<(), XlsxError> {
    let last_col = cols.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last_col, &form.form.title, &f.title)?;
    ws.set_row_height(0, 32)?;
    let input = Format::new()
        .set_unlocked()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let name_input = Format::new()
        .set_unlocked()
        .set_border_bottom(FormatBorder::Thin);
    ws.write_string_with_format(1, 0, "单位名称：", &f.right)?;
    ws.merge_range(1, 1, 1, 3, "", &name_input)?;
    ws.write_string_with_format(
        1,
        last_col,
        format!("单位：{}", form.form.money_unit),
        &f.right,
    )?;

    // Two-row header: group labels over their sub-columns, single columns merged down.
    let mut c = 0usize;
    while c < cols.len() {
        match cols[c].group {
            Some(group) => {
                let end = (c..cols.len())
                    .take_while(|&i| cols[i].group == Some(group))
                    .last()
                    .unwrap_or(c);
                let label = if group == "资金情况" {
                    format!("资金情况（{}）", form.form.money_unit)
                } else {
                    group.to_string()
                };
                if end > c {
                    ws.merge_range(2, c as u16, 2, end as u16, &label, &f.header)?;
                } else {
                    ws.write_string_with_format(2, c as u16, &label, &f.header)?;
                }
                for (i, col) in cols.iter().enumerate().take(end + 1).skip(c) {
                    ws.write_string_with_format(SUB_HEADER_ROW, i as u16, &col.label, &f.header)?;
                }
                c = end + 1;
            }
            None => {
                ws.merge_range(
                    2,
                    c as u16,
                    SUB_HEADER_ROW,
                    c as u16,
                    &cols[c].label,
                    &f.header,
                )?;
                c += 1;
            }
        }
    }

    let first = SUB_HEADER_ROW + 1;
    let last = first + TEMPLATE_ROWS - 1;
    // An empty row's 总计 shows nothing: its cached value is the empty string, not 0.
    ws.set_formula_result_default("");
    let amount_input = input.clone().set_num_format(AMOUNT_FORMAT);
    let total_format = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format(AMOUNT_FORMAT)
        .set_background_color("#F2F2F2");
    let part_cols: Vec<u16> = form
        .sum
        .parts
        .iter()
        .filter_map(|key| form.field_by_key(key).map(|f| &form[f].label))
        .filter_map(|label| cols.iter().position(|c| &c.label == label))
        .map(|i| i as u16)
        .collect();
    let level1_col = cols.iter().position(|c| c.kind == ColumnKind::Level1);
    for row in first..=last {
        for (i, col) in cols.iter().enumerate() {
            let i = i as u16;
            match col.kind {
                ColumnKind::Total => {
                    let refs: Vec<String> = part_cols
                        .iter()
                        .map(|&p| format!("{}{}", column_name(u32::from(p)), row + 1))
                        .collect();
                    let formula =
                        Formula::new(format!("=IF(COUNT({0})=0,\"\",SUM({0}))", refs.join(",")));
                    ws.write_formula_with_format(row, i, formula, &total_format)?;
                }
                ColumnKind::Amount => {
                    ws.write_blank(row, i, &amount_input)?;
                }
                _ => {
                    ws.write_blank(row, i, &input)?;
                }
            }
        }
    }

    for (i, col) in cols.iter().enumerate() {
        let width = match col.kind {
            ColumnKind::Text if i == 0 => 30.0,
            ColumnKind::Text => 40.0,
            ColumnKind::Amount | ColumnKind::Total => 13.0,
            ColumnKind::Level1 | ColumnKind::Level2 => 16.0,
            ColumnKind::Indicator => 22.0,
        };
        ws.set_column_width(i as u16, width)?;
        let validation = match col.kind {
            ColumnKind::Level1 => Some(
                DataValidation::new()
                    .allow_list_formula(Formula::new("=一级指标"))
                    .set_input_title("一级指标")?
                    .set_input_message("从列表中选择：产出、效益、满意度或成本指标")?,
            ),
            ColumnKind::Level2 => level1_col.map(|l1| {
                let l1 = column_name(l1 as u32);
                DataValidation::new()
                    .allow_list_formula(Formula::new(format!("=INDIRECT(${l1}{})", first + 1)))
            }),
            ColumnKind::Amount => Some(
                DataValidation::new()
                    .allow_decimal_number(
                        rust_xlsxwriter::DataValidationRule::GreaterThanOrEqualTo(0.0),
                    )
                    .set_error_title("金额")?
                    .set_error_message("请填写不小于 0 的数字（单位：万元）")?,
            ),
            _ => None,
        };
        if let Some(v) = validation {
            let v = v.set_error_style(DataValidationErrorStyle::Stop);
            ws.add_data_validation(first, i as u16, last, i as u16, &v)?;
        }
    }
    ws.set_freeze_panes(first, 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(2, SUB_HEADER_ROW)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer("&C第 &P 页，共 &N 页");
    let options = ProtectionOptions {
        insert_rows: true,
        delete_rows: true,
        format_rows: true,
        format_columns: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}

fn write_instructions(ws: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, 100)?;
    ws.write_string_with_format(0, 0, format!("{} 填报说明", form.form.title), &title)?;
    let parts: Vec<&str> = form
        .sum
        .parts
        .iter()
        .filter_map(|k| form.field_by_key(k).map(|f| form[f].label.as_str()))
        .collect();
    let lines = [
        "1. 在“填报表”第 2 行填写单位名称；每个绩效指标占一行。".to_string(),
        "2. 项目名称、资金和绩效目标只在该项目的第一行填写，其余行留空；下一个项目从新的一行开始。".to_string(),
        format!(
            "3. 金额单位为{}，保留 {} 位小数；总计由公式自动计算（{}之和），请勿改写。",
            form.form.money_unit,
            form.form.decimals,
            parts.join("、")
        ),
        "4. 一级指标、二级指标从下拉列表选择；二级指标的列表随一级指标变化。".to_string(),
        "5. 三级指标填写具体指标名称；实施周期指标值、年度指标值写明比较符号、数值和计量单位，如“≥90%”“≥500人次”“≤25元”；也可写等级（良好及以上）或时限（2026年9月30日前）。".to_string(),
        format!(
            "6. 每个项目应至少有产出指标和效益指标；满意度指标一般不低于 {}%；建议设置成本指标。",
            form.checks.satisfaction_min
        ),
        "7. 表头已锁定保护，只能在空白单元格中填写；可插入或删除行。".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, line, &wrap)?;
    }
    Ok(())
}
