//! The roster (名册): the units expected to submit, and optionally each one's budget
//! (预算总额). Read from .xlsx/.xls/.ods/.csv through the read stage; the header is the first
//! row with a 单位名称 column. Names are compared after trimming, removing spaces and folding
//! full-width letters and digits (see [`name_key`]).

use std::path::Path;

use rust_decimal::Decimal;

use crate::base::form::Form;
use crate::base::issue::Place;
use crate::base::model::Amount;
use crate::base::text::name_key;
use crate::discover::{detect_kind, extension_of};
use crate::locate::normalize_label;
use crate::normalize::amount::parse_amount;
use crate::read::grid::{Cell, Sheet};
use crate::read::{read_grid, ReadError};

/// Header labels of the unit name column.
const NAME_LABELS: &[&str] = &[
    "单位名称",
    "单位",
    "预算单位",
    "预算单位名称",
    "单位全称",
    "部门名称",
];
/// Header labels of the budget column.
const BUDGET_LABELS: &[&str] = &[
    "预算总额",
    "预算金额",
    "预算数",
    "预算",
    "总计",
    "金额",
    "资金总额",
];
/// Rows searched for the header.
const HEADER_ROWS: usize = 20;

/// One unit on the roster.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub name: String,
    /// In the form's money unit.
    pub budget: Option<Decimal>,
    /// Where the name is written.
    pub place: Place,
}

/// The roster as read.
#[derive(Debug, Clone)]
pub struct Roster {
    pub display: String,
    pub entries: Vec<RosterEntry>,
}

impl Roster {
    /// The entry for a unit name, compared by [`name_key`].
    pub fn find(&self, name: &str) -> Option<&RosterEntry> {
        let key = name_key(name);
        self.entries.iter().find(|e| name_key(&e.name) == key)
    }
}

/// Why the roster could not be used (the run stops with exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// The file could not be opened.
    #[error("无法读取名册 {path}：{source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    /// The file is not a spreadsheet or text table we can read.
    #[error("无法读取名册 {path}：{source}")]
    Read { path: String, source: ReadError },
    /// No sheet has a 单位名称 column in its first rows.
    #[error("名册 {path} 中没有找到“单位名称”列（查找了：{}）", .looked_for.join("、"))]
    NoNameColumn {
        path: String,
        looked_for: Vec<&'static str>,
    },
    /// A 预算总额 cell is not a number.
    #[error("名册 {path} 第 {row} 行的预算总额“{text}”不是数字")]
    BadBudget {
        path: String,
        row: u32,
        text: String,
    },
}

/// Reads a roster file.
///
/// # Errors
/// The file cannot be read, has no 单位名称 column, or a budget is not a number.
pub fn load_roster(path: &Path, form: &Form) -> Result<Roster, RosterError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| RosterError::Open {
        path: display.clone(),
        source,
    })?;
    let extension = extension_of(path);
    let kind = detect_kind(&bytes[..bytes.len().min(4096)], &extension);
    let grid = read_grid(&bytes, kind, &extension).map_err(|source| RosterError::Read {
        path: display.clone(),
        source,
    })?;
    for sheet in grid.sheets.iter().filter(|s| !s.hidden) {
        if let Some(entries) = read_sheet(sheet, form, &display)? {
            return Ok(Roster { display, entries });
        }
    }
    Err(RosterError::NoNameColumn {
        path: display,
        looked_for: NAME_LABELS.to_vec(),
    })
}

fn read_sheet(
    sheet: &Sheet,
    form: &Form,
    display: &str,
) -> Result<Option<Vec<RosterEntry>>, RosterError> {
    let label = |cell: &Cell| match cell {
        Cell::Text(t) => Some(normalize_label(t, form)),
        _ => None,
    };
    let header = sheet
        .rows
        .iter()
        .take(HEADER_ROWS)
        .enumerate()
        .find_map(|(r, row)| {
            let name_col = row
                .iter()
                .position(|c| label(c).is_some_and(|(l, _)| NAME_LABELS.contains(&l.as_str())))?;
            let budget = row.iter().enumerate().find_map(|(c, cell)| {
                let (l, unit) = label(cell)?;
                BUDGET_LABELS.contains(&l.as_str()).then_some((c, unit))
            });
            Some((r, name_col, budget))
        });
    let Some((header, name_col, budget)) = header else {
        return Ok(None);
    };
    // The money unit: in the budget header, else a "单位：…" line above, else the form's.
    let title_unit = sheet.rows[..header].iter().flatten().find_map(|c| match c {
        Cell::Text(t) => {
            let t = t.trim();
            let rest = t
                .strip_prefix("金额单位")
                .or_else(|| t.strip_prefix("单位"))?
                .trim_start_matches([':', '：', ' ']);
            form.money_unit(rest).map(|u| u.divisor)
        }
        _ => None,
    });
    let divisor = budget
        .as_ref()
        .and_then(|(_, unit)| unit.as_deref())
        .and_then(|u| form.money_unit(u))
        .map(|u| u.divisor)
        .or(title_unit)
        .unwrap_or(Decimal::ONE);
    let mut entries = Vec::new();
    for r in header + 1..sheet.rows.len() {
        let name = sheet.cell(r, name_col).display().trim().to_string();
        let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        if name.is_empty() || form.rows.grand_total.contains(&compact) {
            continue;
        }
        let budget = match budget
            .as_ref()
            .map(|(c, _)| parse_amount(sheet.cell(r, *c), divisor, form))
        {
            None | Some(Amount::Blank) => None,
            Some(Amount::Value(d)) => Some(d),
            Some(Amount::Bad(text)) => {
                return Err(RosterError::BadBudget {
                    path: display.to_string(),
                    row: sheet.row_number(r),
                    text,
                })
            }
        };
        entries.push(RosterEntry {
            name,
            budget,
            place: Place {
                file: display.to_string(),
                sheet: sheet.name.clone(),
                row: Some(sheet.row_number(r)),
                col: Some(sheet.col_number(name_col)),
            },
        });
    }
    Ok(Some(entries))
}
