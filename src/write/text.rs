//! The text report for people (`check --format text`, and the summary that closes every run):
//! issues grouped by file with their place, then the files skipped or unreadable, the counts by
//! rule and the totals. Columns are padded by display width, so that Chinese text (two columns a
//! character) lines up in a terminal.

use std::fmt::Write;
use std::path::Path;

use crate::base::form::Form;
use crate::base::issue::{Issue, Rule, Severity};
use crate::base::model::FileStatus;
use crate::base::text::{display_width, money_text, terminal_safe};
use crate::consolidate::Consolidation;

/// `text` followed by spaces up to `width` display columns (a Chinese character counts two).
fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(fill))
}

/// Spaces up to `width` display columns, then `text` (for numbers and their header).
fn pad_left(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(text));
    format!("{}{text}", " ".repeat(fill))
}

/// The first line of `text`, cut to about `max` display columns with "…".
fn brief(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or("");
    if display_width(line) <= max {
        return line.to_string();
    }
    let mut out = String::new();
    for ch in line.chars() {
        if display_width(&out) + 2 > max {
            break;
        }
        out.push(ch);
    }
    out + "…"
}

/// The files that were skipped (not submissions) and those that could not be read.
fn render_files(out: &mut String, c: &Consolidation) {
    let skipped: Vec<_> = c
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Skipped)
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "已跳过 {} 个文件（不是报送表格，未读取）：",
            skipped.len()
        );
        for f in skipped {
            match &f.note {
                Some(note) => {
                    let _ = writeln!(out, "  {}（{note}）", f.display);
                }
                None => {
                    let _ = writeln!(out, "  {}", f.display);
                }
            }
        }
    }
    let failed: Vec<_> = c
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Failed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "无法读取 {} 个文件（未计入汇总）：", failed.len());
        for f in failed {
            let why = f
                .issues
                .iter()
                .find(|i| i.severity == Severity::Error)
                .or(f.issues.first());
            match why {
                Some(issue) => {
                    let _ = writeln!(out, "  {}：{}", f.display, brief(&issue.message, 80));
                }
                None => {
                    let _ = writeln!(out, "  {}", f.display);
                }
            }
        }
    }
}

/// The issues by rule: errors first, then warnings, then infos, each in catalogue order, with
/// the rules' Chinese titles.
fn render_rule_table(out: &mut String, c: &Consolidation) {
    let mut rows: Vec<(Rule, usize)> = c.summary.by_rule.iter().map(|(r, n)| (*r, *n)).collect();
    if rows.is_empty() {
        return;
    }
    rows.sort_by_key(|(rule, _)| (rule.severity(), *rule));
    let code_width = rows
        .iter()
        .map(|(r, _)| display_width(r.code()))
        .chain([display_width("规则")])
        .max()
        .unwrap_or(0);
    let title_width = rows
        .iter()
        .map(|(r, _)| display_width(r.title()))
        .chain([display_width("规则说明")])
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "{}  {}  级别  {}",
        pad("规则", code_width),
        pad("规则说明", title_width),
        pad_left("数量", 6)
    );
    for (rule, count) in rows {
        let _ = writeln!(
            out,
            "{}  {}  {}  {:>6}",
            pad(rule.code(), code_width),
            pad(rule.title(), title_width),
            rule.severity().label(),
            count
        );
    }
}

/// How many issues `--severity` or `--rule` left out of the lists, by severity; nothing when
/// every issue is listed.
fn render_hidden(out: &mut String, c: &Consolidation) {
    let s = &c.summary;
    let listed = |sev: Severity| c.listed(sev);
    let hidden = [
        (
            Severity::Error,
            s.errors.saturating_sub(listed(Severity::Error)),
        ),
        (
            Severity::Warning,
            s.warnings.saturating_sub(listed(Severity::Warning)),
        ),
        (
            Severity::Info,
            s.infos.saturating_sub(listed(Severity::Info)),
        ),
    ];
    let total: usize = hidden.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return;
    }
    let parts: Vec<String> = hidden
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(sev, n)| format!("{} {n} 个", sev.label()))
        .collect();
    let _ = writeln!(
        out,
        "按 --severity / --rule 只列出 {} 个问题，另有 {total} 个未列出（{}）；下面的合计仍计入全部问题",
        c.listed_total(),
        parts.join("，")
    );
}

/// The summary closing a run: the files skipped or unreadable, the issues by rule, how many
/// issues the filters hid, then the counts and the grand total on the last line.
pub fn render_summary(form: &Form, c: &Consolidation) -> String {
    let s = &c.summary;
    let mut out = String::new();
    render_files(&mut out, c);
    render_rule_table(&mut out, c);
    render_hidden(&mut out, c);
    let _ = writeln!(
        out,
        "文件 {} 个，单位 {} 个，项目 {} 个，指标 {} 个；错误 {} 个，警告 {} 个，提示 {} 个；合计 {} {}",
        s.files,
        s.units,
        s.projects,
        s.indicators,
        s.errors,
        s.warnings,
        s.infos,
        money_text(s.total),
        form.form.money_unit
    );
    out
}

/// The line confirming an output: "已写入 汇总工作簿：out.xlsx".
pub fn written_line(what: &str, path: &Path) -> String {
    format!("已写入 {what}：{}\n", path.display())
}

/// One file's issues, each on a line: place, severity, rule, message, the columns padded to the
/// widest of the file so that the messages start at the same display column.
fn render_file_issues(out: &mut String, issues: &[&Issue]) {
    let places: Vec<String> = issues
        .iter()
        .map(|i| {
            let at = i.place.describe();
            if at.is_empty() {
                "-".to_string()
            } else {
                at
            }
        })
        .collect();
    let place_width = places.iter().map(|p| display_width(p)).max().unwrap_or(0);
    let code_width = issues
        .iter()
        .map(|i| display_width(i.rule.code()))
        .max()
        .unwrap_or(0);
    for (issue, place) in issues.iter().zip(&places) {
        let _ = writeln!(
            out,
            "  {}  {}  {}  {}",
            pad(place, place_width),
            issue.severity.label(),
            pad(issue.rule.code(), code_width),
            terminal_safe(&issue.message)
        );
    }
}

/// Every issue grouped by file (file, sheet!cell, severity, rule, message), then the summary.
pub fn render_text(form: &Form, c: &Consolidation) -> String {
    let mut out = String::new();
    let mut start = 0;
    while start < c.issues.len() {
        let file = &c.issues[start].place.file;
        let end = c.issues[start..]
            .iter()
            .position(|i| &i.place.file != file)
            .map_or(c.issues.len(), |n| start + n);
        if start > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", terminal_safe(file));
        let group: Vec<&Issue> = c.issues[start..end].iter().collect();
        render_file_issues(&mut out, &group);
        start = end;
    }
    if !c.issues.is_empty() {
        out.push('\n');
    }
    out.push_str(&render_summary(form, c));
    out
}
