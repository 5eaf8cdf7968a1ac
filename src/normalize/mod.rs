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
use crate::locate::locate_sheet;
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
    if tables.is_empty() {
        let labels: Vec<&str> = form.fields.iter().map(|f| f.label.as_str()).collect();
        issues.push(Issue::new(
            Rule::NoFormFound,
            Place::file(file),
            format!(
                "所有工作表中都没有找到表头（应含“{}”等列）",
                labels.join("”“")
            ),
        ));
    }
    (tables, issues)
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
                            Err(_) => Cell::Text(s.to_string()),
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
        };
        let (tables, issues) = normalize_grid(&grid, &form, "f.xlsx", "f");
        assert_eq!(tables.len(), 1, "{issues:?}");
        assert_eq!(tables[0].units[0].name, "单位甲");
        assert_eq!(tables[0].units[0].name_source, NameSource::Sheet);

        let visible = sheet("Sheet1", false, &[&["单位：万元"], HEADER, PROJECT]);
        let grid = Grid {
            sheets: vec![hidden, visible],
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
        };
        let (tables, issues) = normalize_grid(&grid, &form, "f.xlsx", "f");
        assert!(tables.is_empty());
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule, Rule::NoFormFound);
    }
}
