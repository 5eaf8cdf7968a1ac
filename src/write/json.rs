//! The JSON report (`check --format json`, `consolidate --json FILE`): summary, files with their
//! units, and every issue. Amounts are decimal strings in the form's money unit.

use serde::Serialize;

use crate::base::form::Form;
use crate::base::model::{FileStatus, LayoutKind, NameSource, Submission, Table};
use crate::base::park::TablesBack;
use crate::base::taxonomy::Scheme;
use crate::consolidate::{unit_total, Consolidation, Summary};

#[derive(Serialize)]
struct Report<'a> {
    summary: &'a Summary,
    files: Files<'a>,
    issues: Issues<'a>,
}

/// Every listed issue, in report order; parked ones read back as they are written.
struct Issues<'a>(&'a Consolidation);

impl Serialize for Issues<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        self.0
            .each_issue(None, |issue| {
                seq.serialize_element(issue).map_err(Failed::Serialize)
            })
            .map_err(|e| match e {
                Failed::Serialize(e) => e,
                Failed::Read(e) => S::Error::custom(format!("暂存的问题无法读回：{e}")),
            })?;
        seq.end()
    }
}

/// Why the issues could not be serialized: the serializer's error, or a read.
enum Failed<E> {
    Serialize(E),
    Read(std::io::Error),
}

impl<E> From<std::io::Error> for Failed<E> {
    fn from(e: std::io::Error) -> Failed<E> {
        Failed::Read(e)
    }
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
    serde_json::to_writer_pretty(
        &mut out,
        &Report {
            summary: &c.summary,
            files: Files { form, c },
            issues: Issues(c),
        },
    )?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Every file with its units, each made as it is serialized.
struct Files<'a> {
    form: &'a Form,
    c: &'a Consolidation,
}

impl Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        // A parked file's tables are read back for its entry, one file at a time.
        let mut seq = s.serialize_seq(Some(self.c.files.len()))?;
        for f in &self.c.files {
            let tables = f.tables_back().map_err(S::Error::custom)?;
            seq.serialize_element(&file_entry(self.form, f, &tables))?;
        }
        seq.end()
    }
}

/// A file's entry of the report.
fn file_entry<'a>(form: &Form, f: &'a Submission, tables: &'a [Table]) -> FileEntry<'a> {
    FileEntry {
        path: &f.display,
        status: f.status,
        layout: f.layout(),
        note: f.note.as_deref(),
        units: tables
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
    }
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
