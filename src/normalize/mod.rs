//! Normalize: a located sheet to a [`Table`] of units, projects and indicators, amounts in the
//! form's money unit. A cell that cannot be read is kept as such (`Amount::Bad`, an
//! `IndicatorFault`) for the check stage to report; nothing is guessed.

pub mod amount;
pub mod indicator;
pub mod long;
pub mod project;
pub mod rows;
pub mod target;
pub mod wide;

use crate::base::form::Form;
use crate::base::issue::{Issue, Place, Rule};
use crate::base::model::{LayoutKind, Table};
use crate::locate::blocks::locate_blocks;
use crate::locate::{closest_header, locate_sheet};
use crate::read::grid::Grid;

/// Normalizes every sheet of a file that holds the form. Hidden sheets are read only when no
/// visible sheet holds it. Returns the tables and the issues of locating them (missing columns,
/// unknown money unit, no form at all).
pub fn normalize_grid(
    grid: &Grid,
    form: &Form,
    file: &str,
    file_stem: &str,
) -> (Vec<Table>, Vec<Issue>) {
    let mut tables = Vec::new();
    let mut issues = Vec::new();
    for pass_hidden in [false, true] {
        for sheet in grid.sheets.iter().filter(|s| s.hidden == pass_hidden) {
            if let Some(layout) = locate_sheet(sheet, form) {
                let normalize = match layout.kind {
                    LayoutKind::Wide => wide::normalize_wide,
                    LayoutKind::Long | LayoutKind::Project => long::normalize_long,
                };
                let (table, mut found) = normalize(sheet, &layout, form, file, file_stem);
                tables.push(table);
                issues.append(&mut found);
                continue;
            }
            let blocks = locate_blocks(sheet, form);
            if !blocks.is_empty() {
                let (table, mut found) =
                    project::normalize_blocks(sheet, &blocks, form, file, file_stem);
                tables.push(table);
                issues.append(&mut found);
            }
        }
        if !tables.is_empty() {
            break;
        }
    }
    for f in &grid.unevaluated {
        issues.push(Issue::new(
            Rule::FormulaNotEvaluated,
            Place {
                file: file.to_string(),
                sheet: Some(f.sheet.clone()),
                row: Some(f.row),
                col: Some(f.col),
            },
            format!(
                "公式“{}”没有保存计算结果，jixiao 也无法计算（{}），此单元格不计入任何合计",
                f.formula, f.reason
            ),
        ));
    }
    if tables.is_empty() {
        issues.push(no_form_found(grid, form, file));
    }
    (tables, issues)
}

/// no-form-found, saying what was seen: the layouts tried, the row that came closest to a header
/// with the labels it has and lacks, and whether any sheet had a per-project form's 项目名称.
fn no_form_found(grid: &Grid, form: &Form, file: &str) -> Issue {
    let tried = [LayoutKind::Wide, LayoutKind::Long, LayoutKind::Project]
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("、");
    let closest = grid
        .sheets
        .iter()
        .filter_map(|s| closest_header(s, form).map(|c| (s, c)))
        .max_by_key(|(_, c)| (c.found.len(), std::cmp::Reverse(c.row)));
    let labels = |l: &[String]| format!("“{}”", l.join("”“"));
    let mut place = Place::file(file);
    let seen = match &closest {
        Some((sheet, c)) => {
            place.sheet = sheet.name.clone();
            place.row = Some(sheet.row_number(c.row));
            let at = match &sheet.name {
                Some(name) => format!("工作表“{name}”第 {} 行", sheet.row_number(c.row)),
                None => format!("第 {} 行", sheet.row_number(c.row)),
            };
            format!(
                "最接近表头的是{at}：有{}，缺少{}",
                labels(&c.found),
                labels(&c.missing)
            )
        }
        None => {
            let required: Vec<String> = form
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.label.clone())
                .collect();
            format!("没有一行含有表头的列名（应含{}等列）", labels(&required))
        }
    };
    let project = match &form.project {
        Some(p) => {
            let name = p
                .labels
                .iter()
                .find(|l| l.kind == crate::base::form::BlockLabel::Name)
                .map_or("项目名称", |l| l.label.as_str());
            format!("；也没有单项目表（带值的“{name}”及其下的指标表）")
        }
        None => String::new(),
    };
    let sheets = grid.sheets.len();
    Issue::new(
        Rule::NoFormFound,
        place,
        format!("{sheets} 个工作表中都没有找到绩效目标表（试过：{tried}）。{seen}{project}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::NameSource;
    use crate::read::grid::{Cell, Sheet};

    fn sheet(name: &str, hidden: bool, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: Some(name.to_string()),
            hidden,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| match s.parse::<f64>() {
                            Ok(n) => Cell::Number(n),
                            Err(_) if s.is_empty() => Cell::Empty,
                            Err(_) => Cell::Text((*s).into()),
                        })
                        .collect()
                })
                .collect(),
            ..Sheet::default()
        }
    }

    const HEADER: &[&str] = &["项目名称", "总计", "财政拨款", "绩效目标", "绩效指标"];
    const PROJECT: &[&str] = &[
        "道路养护",
        "10",
        "10",
        "养护道路",
        "1、1-产出指标；11-数量指标；里程；实施周期指标值:≥30公里；年度指标值:≥30公里",
    ];

    #[test]
    fn hidden_sheets_are_read_only_when_no_visible_sheet_has_the_form() {
        let form = Form::default_form();
        let hidden = sheet("单位甲", true, &[&["单位：万元"], HEADER, PROJECT]);
        let notes = sheet("说明", false, &[&["请填写"]]);
        let grid = Grid {
            sheets: vec![notes.clone(), hidden.clone()],
            ..Grid::default()
        };
        let (tables, issues) = normalize_grid(&grid, &form, "f.xlsx", "f");
        assert_eq!(tables.len(), 1, "{issues:?}");
        assert_eq!(tables[0].units[0].name, "单位甲");
        assert_eq!(tables[0].units[0].name_source, NameSource::Sheet);

        let visible = sheet("Sheet1", false, &[&["单位：万元"], HEADER, PROJECT]);
        let grid = Grid {
            sheets: vec![hidden, visible],
            ..Grid::default()
        };
        let (tables, _) = normalize_grid(&grid, &form, "f.xlsx", "示例单位申");
        assert_eq!(tables.len(), 1);
        // A generic sheet name says nothing: the file's name is used.
        assert_eq!(tables[0].units[0].name, "示例单位申");
        assert_eq!(tables[0].units[0].name_source, NameSource::File);
    }

    #[test]
    fn no_sheet_with_the_form_is_one_issue() {
        let form = Form::default_form();
        let grid = Grid {
            sheets: vec![sheet("说明", false, &[&["请填写"]])],
            ..Grid::default()
        };
        let (tables, issues) = normalize_grid(&grid, &form, "f.xlsx", "f");
        assert!(tables.is_empty());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule, Rule::NoFormFound);
    }
}
