//! Each unit's own official form (`jixiao forms`): one workbook per unit, in the style of the
//! consolidated 汇总表, named after the unit with a name made safe for Windows.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};

use crate::base::form::Form;
use crate::base::model::Unit;
use crate::write::official::{write_official_sheet_marked, Formats, Heading, UnitMarks};
use crate::write::project_form::write_project_sheet;
use crate::write::{write_atomically, WriteError};

/// Characters Windows does not allow in file names.
const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];
/// Names Windows reserves for devices, whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];
/// Longest file stem, in characters (Windows allows 255 for the whole name).
const MAX_STEM: usize = 100;
/// The longest stem in UTF-8 bytes: 255, less "（99）.xlsx" (17 bytes) and a margin.
const MAX_STEM_BYTES: usize = 230;

/// A file stem for a unit's name that Windows accepts: forbidden and control characters become
/// "_", trailing dots and spaces go, reserved device names get a "_", long names are cut.
pub fn safe_file_stem(name: &str) -> String {
    // Characters that show nothing or reorder what is shown (U+202E makes "gpj.exe" read
    // "exe.jpg") are dropped; forbidden and control characters become "_".
    let invisible = |c: char| matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0x00AD);
    let mut stem = String::new();
    for c in name.trim().chars().filter(|&c| !invisible(c)) {
        let c = if FORBIDDEN.contains(&c) || c.is_control() {
            '_'
        } else {
            c
        };
        // Linux caps a file name at 255 bytes of UTF-8 (a Chinese character is 3): leave room
        // for "（99）.xlsx".
        if stem.chars().count() >= MAX_STEM || stem.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        stem.push(c);
    }
    while stem.ends_with(['.', ' ']) {
        stem.pop();
    }
    // A leading dot would hide the file.
    while stem.starts_with(['.', ' ']) {
        stem.remove(0);
    }
    if stem.is_empty() {
        stem = "未命名单位".to_string();
    }
    let base = stem.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&base.as_str()) {
        stem.push('_');
    }
    stem
}

/// Builds one unit's form workbook in memory.
///
/// # Errors
/// rust_xlsxwriter refused a value.
pub fn build_unit_form(
    form: &Form,
    unit: &Unit,
    marks: Option<&UnitMarks>,
    layout: FormLayout,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("绩效目标表")?;
    match layout {
        FormLayout::List => {
            let heading = Heading {
                unit_name: Some(&unit.name),
                grand_total: false,
            };
            let marks = marks.map(std::slice::from_ref).unwrap_or_default();
            write_official_sheet_marked(ws, form, &heading, &[unit][..], marks, &Formats::new())?;
        }
        FormLayout::Project => write_project_sheet(ws, form, unit, &Formats::new())?,
    }
    workbook.save_to_buffer()
}

/// How `forms` lays out a unit's projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormLayout {
    /// The official list: a row per project (the disclosure table).
    List,
    /// A per-project form (申报表) per project, one after another.
    Project,
}

/// The file each unit's form goes to in `dir`, in the units' order. Two units whose safe names
/// collide get "（2）", "（3）"… (compared without case, as Windows does).
pub fn form_paths(units: &[&Unit], dir: &Path) -> Vec<PathBuf> {
    let mut taken = HashSet::new();
    units
        .iter()
        .map(|unit| {
            let stem = safe_file_stem(&unit.name);
            let mut name = format!("{stem}.xlsx");
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{stem}（{n}）.xlsx");
                n += 1;
            }
            dir.join(name)
        })
        .collect()
}

/// Writes each unit's form to its path (see [`form_paths`]).
///
/// # Errors
/// A file cannot be written.
pub fn write_unit_forms(
    form: &Form,
    units: &[&Unit],
    paths: &[PathBuf],
    layout: FormLayout,
) -> Result<(), WriteError> {
    write_marked_unit_forms(form, units, &[], paths, layout)
}

/// [`write_unit_forms`] with each unit's faults marked where they are written (list layout: a
/// cell with an error filled red, with only warnings amber, each with a note holding the
/// messages). `marks` goes with `units`, in the same order: `write::workbook::fault_marks`
/// gives them for the consolidated units.
///
/// # Errors
/// A file cannot be written.
pub fn write_marked_unit_forms(
    form: &Form,
    units: &[&Unit],
    marks: &[UnitMarks],
    paths: &[PathBuf],
    layout: FormLayout,
) -> Result<(), WriteError> {
    for (i, (unit, path)) in units.iter().zip(paths).enumerate() {
        let bytes = build_unit_form(form, unit, marks.get(i), layout).map_err(|source| {
            WriteError::Xlsx {
                path: path.display().to_string(),
                source,
            }
        })?;
        write_atomically(path, &bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_for_windows() {
        assert_eq!(safe_file_stem("示例单位甲"), "示例单位甲");
        assert_eq!(
            safe_file_stem("a/b\\c:d*e?f\"g<h>i|j"),
            "a_b_c_d_e_f_g_h_i_j"
        );
        assert_eq!(safe_file_stem(" 单位. "), "单位");
        assert_eq!(safe_file_stem("CON"), "CON_");
        assert_eq!(safe_file_stem("com1.txt"), "com1.txt_");
        assert_eq!(safe_file_stem("..."), "未命名单位");
        assert_eq!(safe_file_stem("单\t位"), "单_位");
        assert_eq!(safe_file_stem(&"a".repeat(300)).chars().count(), MAX_STEM);
        assert_eq!(safe_file_stem(&"长".repeat(300)).len(), 228);
        // 84 Chinese characters are 252 bytes: with ".xlsx" over Linux's 255.
        let long = safe_file_stem(&"单".repeat(84));
        assert!(long.len() <= MAX_STEM_BYTES, "{}", long.len());
        assert_eq!(safe_file_stem("\u{202e}xslx.exe"), "xslx.exe");
        assert_eq!(safe_file_stem("示例\u{200b}单位"), "示例单位");
        assert_eq!(safe_file_stem(".隐藏单位"), "隐藏单位");
    }
}
