//! The CSV report for spreadsheets and scripts (`check --format csv`): one row per issue.

use crate::base::issue::Severity;
use crate::consolidate::Consolidation;

/// One row per issue, for spreadsheets and scripts (`check --format csv`).
///
/// # Errors
/// Not expected: the rows are written to memory.
pub fn render_csv(c: &Consolidation) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "severity", "rule", "file", "sheet", "row", "cell", "unit", "project", "message",
    ])?;
    for i in &c.issues {
        let severity = match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        w.write_record([
            severity,
            i.rule.code(),
            &i.place.file,
            i.place.sheet.as_deref().unwrap_or(""),
            &i.place.row.map(|r| r.to_string()).unwrap_or_default(),
            &i.place.cell().unwrap_or_default(),
            i.unit.as_deref().unwrap_or(""),
            i.project.as_deref().unwrap_or(""),
            &i.message,
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
