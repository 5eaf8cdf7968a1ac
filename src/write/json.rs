//! The JSON report (`check --format json`, `consolidate --json FILE`): summary, files with their
//! units, and every issue. Amounts are decimal strings in the form's money unit.

use serde::Serialize;

use crate::base::form::Form;
use crate::base::issue::Issue;
use crate::base::model::{FileStatus, LayoutKind, NameSource};
use crate::base::taxonomy::Scheme;
use crate::consolidate::{unit_total, Consolidation, Summary};

#[derive(Serialize)]
struct Report<'a> {
    summary: &'a Summary,
    files: Vec<FileEntry<'a>>,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    status: FileStatus,
    layout: Option<LayoutKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    units: Vec<UnitEntry<'a>>,
}

#[derive(Serialize)]
struct UnitEntry<'a> {
    name: &'a str,
    /// The code written with the name ("820001"), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    /// 主管部门, where the form names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    name_source: NameSource,
    /// Which indicator scheme the unit's indicators follow, when they show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme: Option<Scheme>,
    sheet: Option<&'a str>,
    projects: usize,
    indicators: usize,
    #[serde(serialize_with = "crate::base::text::serialize_money")]
    total: rust_decimal::Decimal,
}

/// Writes the report as pretty JSON, as it is serialized (never the whole text in memory).
///
/// # Errors
/// Writing failed.
pub fn write_json(
    form: &Form,
    c: &Consolidation,
    mut out: impl std::io::Write,
) -> Result<(), serde_json::Error> {
    let files = c
        .files
        .iter()
        .map(|f| FileEntry {
            path: &f.display,
            status: f.status,
            layout: f.layout(),
            note: f.note.as_deref(),
            units: f
                .tables
                .iter()
                .flat_map(|t| t.units.iter().map(move |u| (t, u)))
                .map(|(t, u)| UnitEntry {
                    name: &u.name,
                    code: u.code.as_deref(),
                    department: u.department.as_deref(),
                    name_source: u.name_source,
                    scheme: form.taxonomy.scheme_of_unit(u),
                    sheet: t.sheet.as_deref(),
                    projects: u.project_count(),
                    indicators: u.indicator_count(),
                    total: unit_total(form, u),
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(
        &mut out,
        &Report {
            summary: &c.summary,
            files,
            issues: &c.issues,
        },
    )?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// The JSON report as text (see [`write_json`]).
///
/// # Errors
/// Serialization failed (not expected: every value is plain data).
pub fn render_json(form: &Form, c: &Consolidation) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    write_json(form, c, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}
