//! Feedback for one unit (`jixiao feedback`): a workbook to send back. Its first sheet, 问题清单,
//! lists the unit's issues, errors first, each with its rule's title, message and place; a unit
//! with none reads "审核通过" with its totals. Then a copy of each sheet of the submission that was
//! read, its values in their places and its merged regions, each faulty cell filled red (amber
//! for a warning) with a note holding the messages, so that the unit sees its own table with the
//! problems marked rather than a list of coordinates.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use crate::base::form::Form;
use crate::base::issue::{Issue, Severity};
use crate::base::model::{Submission, Unit};
use crate::base::text::{excel_text, format_amount};
use crate::read::grid::{Cell, Grid, Sheet};

/// Fill of a cell with an error, and of one with warnings only.
const RED: &str = "#FFC7CE";
const AMBER: &str = "#FFEB9C";
/// The longest note, in characters.
const MAX_NOTE_CHARS: usize = 4_000;

/// What one feedback workbook is about: a unit of a submission, or a file that could not be read.
pub struct Feedback<'a> {
    pub submission: &'a Submission,
    /// The unit; `None` for a file with no unit (unreadable, no form found).
    pub unit: Option<&'a Unit>,
    /// The issues to show, in report order.
    pub issues: Vec<&'a Issue>,
    /// The file's sheets as read again, for the marked copies; `None` when unreadable.
    pub grid: Option<&'a Grid>,
}

/// Builds one feedback workbook in memory.
///
/// # Errors
/// rust_xlsxwriter refused a value (not expected: texts are cut to what a cell holds).
pub fn build_feedback(form: &Form, feedback: &Feedback) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let mut issues = feedback.issues.clone();
    // Errors first, then warnings, then infos, each in the report's order.
    issues.sort_by_key(|i| i.severity);
    write_issue_sheet(workbook.add_worksheet(), form, feedback, &issues)?;
    if let Some(grid) = feedback.grid {
        let read: Vec<&Option<String>> = feedback
            .submission
            .tables
            .iter()
            .map(|t| &t.sheet)
            .collect();
        for (i, sheet) in grid.sheets.iter().enumerate() {
            if !read.contains(&&sheet.name) {
                continue;
            }
            let name = sheet.name.clone().unwrap_or_else(|| "报送内容".to_string());
            let ws = workbook.add_worksheet();
            ws.set_name(sheet_name(&name, i))?;
            let marks: Vec<&Issue> = issues
                .iter()
                .copied()
                .filter(|is| is.place.sheet == sheet.name)
                .collect();
            write_marked_copy(ws, sheet, &marks)?;
        }
    }
    workbook.save_to_buffer()
}

/// A worksheet name Excel takes: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str, index: usize) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    if cleaned.trim().is_empty() || cleaned == "问题清单" {
        format!("表{}", index + 1)
    } else {
        cleaned
    }
}

fn print_setup(ws: &mut Worksheet, header_row: Option<u32>) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    if let Some(r) = header_row {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

fn write_issue_sheet(
    ws: &mut Worksheet,
    form: &Form,
    feedback: &Feedback,
    issues: &[&Issue],
) -> Result<(), XlsxError> {
    ws.set_name("问题清单")?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2")
        .set_align(FormatAlign::Center);
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let unit_name = feedback.unit.map_or("（未读出单位）", |u| u.name.as_str());
    ws.write_string_with_format(
        0,
        0,
        excel_text(&format!("{}审核意见", form.form.title)),
        &title,
    )?;
    ws.write_string(1, 0, excel_text(&format!("单位：{unit_name}")))?;
    ws.write_string(
        2,
        0,
        excel_text(&format!("文件：{}", feedback.submission.display)),
    )?;
    let errors = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .count();
    let warnings = issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .count();
    let verdict = if errors == 0 && warnings == 0 {
        let totals = feedback.unit.map(|u| {
            let total = u.total(form.total_field());
            format!(
                "，{} 个项目、{} 个指标，总计 {} {}",
                u.project_count(),
                u.indicator_count(),
                format_amount(total),
                form.form.money_unit
            )
        });
        format!("审核通过{}", totals.unwrap_or_default())
    } else {
        format!("错误 {errors} 个，警告 {warnings} 个：请按下表修改后重新报送（标红的单元格为错误，标黄的为警告）")
    };
    ws.write_string_with_format(3, 0, excel_text(&verdict), &Format::new().set_bold())?;
    let labels = [
        ("级别", 6.0),
        ("规则", 30.0),
        ("说明", 60.0),
        ("工作表", 14.0),
        ("单元格", 10.0),
        ("项目", 30.0),
    ];
    let header_row = 5;
    for (c, (label, width)) in labels.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *label, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (n, issue) in issues.iter().enumerate() {
        let r = header_row + 1 + n as u32;
        let at = issue
            .place
            .cell()
            .or_else(|| issue.place.row.map(|row| format!("第 {row} 行")))
            .unwrap_or_default();
        let rule = format!("{}（{}）", issue.rule.title(), issue.rule.code());
        let values = [
            issue.severity.label(),
            &rule,
            &issue.message,
            issue.place.sheet.as_deref().unwrap_or(""),
            &at,
            issue.project.as_deref().unwrap_or(""),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, excel_text(v), &cell)?;
        }
        let lines = (crate::base::text::display_width(&issue.message) / 118 + 1).min(20);
        if lines > 1 {
            ws.set_row_height(r, lines as f64 * 14.5 + 3.0)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, Some(header_row))
}

/// The sheet as the unit sent it: values in their places, merged regions merged again, and the
/// cells the issues name marked.
fn write_marked_copy(
    ws: &mut Worksheet,
    sheet: &Sheet,
    issues: &[&Issue],
) -> Result<(), XlsxError> {
    // Marks by cell (file row 1-based, file column 0-based); an issue with a row and no column
    // marks the row's first cell.
    let mut marks: BTreeMap<(u32, u32), Vec<&Issue>> = BTreeMap::new();
    for issue in issues.iter().filter(|i| i.severity != Severity::Info) {
        if let Some(row) = issue.place.row {
            let col = issue.place.col.unwrap_or(sheet.first_col);
            marks.entry((row - 1, col)).or_default().push(issue);
        }
    }
    let plain = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let fill = |severity: Severity| {
        plain
            .clone()
            .set_background_color(if severity == Severity::Error {
                RED
            } else {
                AMBER
            })
            .set_border(FormatBorder::Thin)
    };
    let mut widths: BTreeMap<u16, f64> = BTreeMap::new();
    // Merged regions first (their top-left value), then every other cell.
    let mut in_merge = std::collections::HashSet::new();
    for &(r0, c0, r1, c1) in &sheet.merged {
        if r0 == r1 && c0 == c1 {
            continue;
        }
        let value = sheet.at(r0, c0).clone();
        let format = match marks.get(&(r0, c0)) {
            Some(list) => fill(worst(list)),
            None => plain.clone(),
        };
        ws.merge_range(
            r0,
            c0 as u16,
            r1,
            c1 as u16,
            excel_text(&value.display()),
            &format,
        )?;
        for r in r0..=r1 {
            for c in c0..=c1 {
                in_merge.insert((r, c));
            }
        }
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = sheet.first_row + i as u32;
        for (j, value) in row.iter().enumerate() {
            let c = sheet.first_col + j as u32;
            if in_merge.contains(&(r, c)) || (value.is_blank() && !marks.contains_key(&(r, c))) {
                continue;
            }
            let col = c as u16;
            let format = match marks.get(&(r, c)) {
                Some(list) => fill(worst(list)),
                None => plain.clone(),
            };
            match value {
                Cell::Number(n) => {
                    ws.write_number_with_format(r, col, *n, &format)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean_with_format(r, col, *b, &format)?;
                }
                Cell::Empty => {
                    ws.write_blank(r, col, &format)?;
                }
                other => {
                    let text = other.display();
                    let w = widths.entry(col).or_insert(8.0);
                    *w = w.max((crate::base::text::display_width(&text) as f64 + 2.0).min(50.0));
                    ws.write_string_with_format(r, col, excel_text(&text), &format)?;
                }
            }
        }
    }
    for (col, w) in widths {
        ws.set_column_width(col, w)?;
    }
    for ((r, c), list) in &marks {
        // A faulty cell the sheet leaves empty (beyond its last value) is marked all the same.
        let (i, j) = (
            r.checked_sub(sheet.first_row),
            c.checked_sub(sheet.first_col),
        );
        let stored = matches!((i, j), (Some(i), Some(j))
            if sheet.rows.get(i as usize).is_some_and(|row| (j as usize) < row.len()));
        if !stored && !in_merge.contains(&(*r, *c)) {
            ws.write_blank(*r, *c as u16, &fill(worst(list)))?;
        }
        let text: String = list
            .iter()
            .map(|i| format!("{}：{}", i.severity.label(), i.message))
            .collect::<Vec<_>>()
            .join("\n");
        let text: String = text.chars().take(MAX_NOTE_CHARS).collect();
        let note = Note::new(text)
            .set_author("jixiao")
            .set_width(360)
            .set_height(160);
        ws.insert_note(*r, *c as u16, &note)?;
    }
    print_setup(ws, None)
}

fn worst(issues: &[&Issue]) -> Severity {
    issues
        .iter()
        .map(|i| i.severity)
        .min()
        .unwrap_or(Severity::Info)
}

/// Every feedback workbook of a consolidation: (file name, bytes), one per unit and one per
/// file without a unit, in report order.
pub fn feedback_workbooks(
    form: &Form,
    c: &crate::consolidate::Consolidation,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in c.files.iter().filter(|f| {
        !matches!(
            f.status,
            crate::base::model::FileStatus::Skipped | crate::base::model::FileStatus::Duplicate
        )
    }) {
        let grid = crate::read::read_path_again(&sub.path);
        let issues: Vec<&crate::base::issue::Issue> = c
            .issues
            .iter()
            .filter(|i| i.place.file == sub.display)
            .collect();
        let units: Vec<&crate::base::model::Unit> = sub.units().collect();
        let jobs: Vec<(Option<&crate::base::model::Unit>, String)> = if units.is_empty() {
            // Named after the file (its stem), not its whole path.
            let stem = std::path::Path::new(&sub.display)
                .file_stem()
                .map_or_else(|| sub.display.clone(), |s| s.to_string_lossy().into_owned());
            vec![(None, stem)]
        } else {
            units.iter().map(|u| (Some(*u), u.name.clone())).collect()
        };
        for (unit, name) in jobs {
            let feedback = Feedback {
                submission: sub,
                unit,
                issues: issues
                    .iter()
                    .copied()
                    .filter(|i| {
                        unit.is_none()
                            || i.unit.is_none()
                            || i.unit.as_deref() == unit.map(|u| u.name.as_str())
                    })
                    .collect(),
                grid: grid.as_ref(),
            };
            if let Ok(bytes) = build_feedback(form, &feedback) {
                let stem = crate::write::forms::safe_file_stem(&format!("{name}_审核意见"));
                out.push((format!("{stem}.xlsx"), bytes));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_excel_takes() {
        assert_eq!(sheet_name("Sheet1", 0), "Sheet1");
        assert_eq!(sheet_name("a/b:c", 0), "a_b_c");
        assert_eq!(sheet_name("问题清单", 2), "表3");
        assert_eq!(sheet_name(&"长".repeat(40), 0).chars().count(), 28);
    }
}
