//! The text report for people (`check --format text`, and the summary that closes every run):
//! issues grouped by file with their place, then counts by rule and the totals.

use std::fmt::Write;

use crate::base::form::Form;
use crate::base::text::money_text;
use crate::consolidate::Consolidation;

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
