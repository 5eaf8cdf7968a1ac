//! Consolidate: all submissions into one [`Consolidation`], in input order. The cross-file rules
//! (`check::units`: the same unit twice, the roster) run over the whole; totals are recomputed
//! from project rows, never copied from declared rows.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::form::Form;
use crate::base::issue::{Issue, Place, Rule, Severity};
use crate::base::model::{FileStatus, Submission, Unit};
use crate::base::text::serialize_money;
use crate::check::units;
use crate::discover::Discovery;
use crate::roster::{Roster, RosterEntry};

/// The whole run's result, in input order.
#[derive(Debug, Clone)]
pub struct Consolidation {
    /// One entry per input file (read, failed, duplicate or skipped), sorted by path.
    pub files: Vec<Submission>,
    /// Every issue, sorted by file, sheet, row, column.
    pub issues: Vec<Issue>,
    pub summary: Summary,
    /// Roster units that no file holds (empty without a roster).
    pub not_submitted: Vec<RosterEntry>,
}

/// Counts and the grand total, as in the JSON report's `summary`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Input files taken as submissions (read, failed or duplicate; not skipped ones).
    pub files: usize,
    pub units: usize,
    pub projects: usize,
    pub indicators: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Sum of every project's 总计, in the form's money unit.
    #[serde(serialize_with = "serialize_money")]
    pub total: Decimal,
    /// Issues by rule, in catalogue order (in JSON: `{"rule-code": count}`).
    #[serde(serialize_with = "serialize_by_rule")]
    pub by_rule: BTreeMap<Rule, usize>,
}

fn serialize_by_rule<S: serde::Serializer>(
    by_rule: &BTreeMap<Rule, usize>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(by_rule.len()))?;
    for (rule, count) in by_rule {
        map.serialize_entry(rule.code(), count)?;
    }
    map.end()
}

/// A unit's 总计 recomputed from its project rows (zero for a form without a 总计).
pub fn unit_total(form: &Form, unit: &Unit) -> Decimal {
    form.total_field()
        .map_or(Decimal::ZERO, |total| unit.column_sum(total))
}

/// Builds the consolidation from the processed submissions and what discover set aside.
pub fn consolidate(
    form: &Form,
    mut submissions: Vec<Submission>,
    discovery: &Discovery,
    roster: Option<&Roster>,
) -> Consolidation {
    for (dup, original) in &discovery.duplicates {
        submissions.push(Submission::empty(
            &dup.path,
            &dup.display,
            FileStatus::Duplicate,
            vec![Issue::new(
                Rule::DuplicateFile,
                Place::file(&dup.display),
                format!("与 {original} 内容完全相同，只计一次"),
            )],
        ));
    }
    for (path, display, reason) in &discovery.skipped {
        submissions.push(Submission {
            path: path.clone(),
            display: display.clone(),
            status: FileStatus::Skipped,
            tables: Vec::new(),
            issues: Vec::new(),
            note: Some(reason.clone()),
        });
    }
    submissions.sort_by(|a, b| a.path.cmp(&b.path));

    let (roster_issues, not_submitted) = units::check_units(form, &mut submissions, roster);

    let mut summary = Summary {
        files: submissions
            .iter()
            .filter(|s| s.status != FileStatus::Skipped)
            .count(),
        ..Summary::default()
    };
    let mut issues = Vec::new();
    for (order, sub) in submissions.iter().enumerate() {
        for unit in sub.units() {
            summary.units += 1;
            summary.projects += unit.projects.len();
            summary.indicators += unit.indicator_count();
            summary.total += unit_total(form, unit);
        }
        let mut file_issues: Vec<(usize, &Issue)> = sub.issues.iter().map(|i| (order, i)).collect();
        file_issues.sort_by(|a, b| a.1.sort_key().cmp(&b.1.sort_key()));
        issues.extend(file_issues.into_iter().map(|(_, i)| i.clone()));
    }
    issues.extend(roster_issues);
    for issue in &issues {
        *summary.by_rule.entry(issue.rule).or_default() += 1;
        match issue.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
    }
    Consolidation {
        files: submissions,
        issues,
        summary,
        not_submitted,
    }
}
