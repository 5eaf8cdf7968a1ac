//! The CSV report for spreadsheets and scripts (`check --format csv`): one row per issue, made
//! to open right in Excel and WPS on Chinese Windows: UTF-8 with a BOM (without it Excel reads
//! the file as GBK), CRLF line ends, Chinese headers and severities, and the rule's Chinese
//! title beside its code.

use crate::base::own::REPORT_HEADERS;
use crate::base::text::csv_safe;
use crate::consolidate::Consolidation;

/// The UTF-8 byte order mark that tells Excel the file is UTF-8.
const BOM: &str = "\u{FEFF}";

/// One row per issue, for spreadsheets and scripts (`check --format csv`).
///
/// # Errors
/// Not expected: the rows are written to memory.
pub fn render_csv(c: &Consolidation) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(REPORT_HEADERS)?;
    for i in &c.issues {
        // Names, files and messages come from the submissions: a cell starting with "=" must
        // not run as a formula when the report is opened.
        w.write_record([
            i.severity.label(),
            i.rule.code(),
            i.rule.title(),
            &csv_safe(&i.place.file),
            &csv_safe(i.place.sheet.as_deref().unwrap_or("")),
            &i.place.row.map(|r| r.to_string()).unwrap_or_default(),
            &i.place.cell().unwrap_or_default(),
            &csv_safe(i.unit.as_deref().unwrap_or("")),
            &csv_safe(i.project.as_deref().unwrap_or("")),
            &csv_safe(&i.message),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(format!("{BOM}{}", String::from_utf8_lossy(&bytes)))
}
