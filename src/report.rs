//! The text report for people: issues grouped by file with their place, then a summary.

use std::fmt::Write;

use crate::consolidate::{money_text, Consolidation};
use crate::form::Form;

/// The summary closing a run: counts and the grand total, then issues by rule.
pub fn render_summary(form: &Form, c: &Consolidation) -> String {
    let s = &c.summary;
    let mut out = String::new();
    if !s.by_rule.is_empty() {
        let _ = writeln!(out, "{:<32} 级别  {:>6}", "规则", "数量");
        for (rule, count) in &s.by_rule {
            let _ = writeln!(
                out,
                "{:<34} {}  {:>6}",
                rule.code(),
                rule.severity().label(),
                count
            );
        }
    }
    out + &format!(
        "文件 {} 个，单位 {} 个，项目 {} 个，指标 {} 个；错误 {} 个，警告 {} 个，提示 {} 个；合计 {} {}\n",
        s.files,
        s.units,
        s.projects,
        s.indicators,
        s.errors,
        s.warnings,
        s.infos,
        money_text(s.total),
        form.form.money_unit
    )
}

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
            crate::issue::Severity::Error => "error",
            crate::issue::Severity::Warning => "warning",
            crate::issue::Severity::Info => "info",
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

/// Every issue grouped by file (file, sheet!cell, severity, rule, message), then the summary.
pub fn render_text(form: &Form, c: &Consolidation) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for issue in &c.issues {
        if current != Some(issue.place.file.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", issue.place.file);
            current = Some(&issue.place.file);
        }
        let at = issue.place.describe();
        let _ = writeln!(
            out,
            "  {:<12} {} {:<26} {}",
            if at.is_empty() { "-".to_string() } else { at },
            issue.severity.label(),
            issue.rule.code(),
            issue.message
        );
    }
    if !c.issues.is_empty() {
        out.push('\n');
    }
    out.push_str(&render_summary(form, c));
    out
}
