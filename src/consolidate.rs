//! Consolidate: all submissions into one [`Consolidation`]. Cross-file rules run here (the same
//! unit twice); totals are recomputed from project rows, never copied from declared rows.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::projects::name_key;
use crate::discover::Discovery;
use crate::form::Form;
use crate::issue::{Issue, Place, Rule, Severity};
use crate::model::{Amount, FileStatus, Submission, Table, Unit};
use crate::normalize::amount::format_amount;
use crate::process::status_of;
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

/// An amount as a decimal string with at least two decimals and no trailing zeros beyond them
/// ("4671.23", "441.00", "0.125"); nothing is rounded.
pub fn money_text(value: Decimal) -> String {
    let mut d = value.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Serde helper: an amount as [`money_text`].
pub fn serialize_money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money_text(*value))
}

/// The sum of one amount column (an index into `Amounts`) over a unit's project rows; blank
/// cells count as zero, cells that are not numbers are left out.
pub fn column_sum(unit: &Unit, amount: usize) -> Decimal {
    unit.projects
        .iter()
        .filter_map(|p| p.amounts.values.get(amount).and_then(Amount::for_sum))
        .sum()
}

/// A unit's 总计 recomputed from its project rows.
pub fn unit_total(unit: &Unit, total_index: usize) -> Decimal {
    column_sum(unit, total_index)
}

/// The position of the form's 总计 in `Amounts`.
pub fn total_index(form: &Form) -> usize {
    form.amount_fields()
        .position(|f| form.fields[f].key == form.sum.total)
        .unwrap_or(0)
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
            dup,
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

    let (roster_issues, not_submitted) = cross_file_rules(form, &mut submissions, roster);

    let total_at = total_index(form);
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
            summary.total += unit_total(unit, total_at);
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

/// Where a unit is: its unit row, else its first project row.
fn unit_place(sub: &Submission, table: &Table, unit: &Unit) -> Place {
    Place {
        file: sub.display.clone(),
        sheet: table.sheet.clone(),
        row: unit
            .declared
            .as_ref()
            .map(|d| d.row)
            .or_else(|| unit.projects.first().map(|p| p.row)),
        col: None,
    }
}

/// The cross-file rules, over every unit in input order:
/// - duplicate-unit: a unit a second time, in another file or the same one; the later
///   occurrence is reported and both stay in the consolidation, so nothing is dropped silently;
/// - with a roster, unknown-unit (not on it) and budget-mismatch (its 预算总额 ≠ the unit's
///   recomputed 总计), for a unit's first occurrence; then missing-submission for every roster
///   unit that no file holds, returned with the issues.
fn cross_file_rules(
    form: &Form,
    submissions: &mut [Submission],
    roster: Option<&Roster>,
) -> (Vec<Issue>, Vec<RosterEntry>) {
    let total_at = total_index(form);
    let mut seen: HashMap<String, Place> = HashMap::new();
    for sub in submissions.iter_mut() {
        if sub.status == FileStatus::Duplicate {
            continue;
        }
        let mut found = Vec::new();
        for table in &sub.tables {
            for unit in &table.units {
                let place = unit_place(sub, table, unit);
                let key = name_key(&unit.name);
                if let Some(first) = seen.get(&key) {
                    let at = first.row.map(|r| format!("第 {r} 行")).unwrap_or_default();
                    found.push(
                        Issue::new(
                            Rule::DuplicateUnit,
                            place,
                            format!(
                                "单位“{}”已在 {} {at}出现；两份都计入汇总，请删除其中一份",
                                unit.name, first.file
                            ),
                        )
                        .in_unit(&unit.name),
                    );
                    continue;
                }
                seen.insert(key, place.clone());
                let Some(roster) = roster else { continue };
                match roster.find(&unit.name) {
                    None => found.push(
                        Issue::new(
                            Rule::UnknownUnit,
                            place,
                            format!("单位“{}”不在名册 {} 中", unit.name, roster.display),
                        )
                        .in_unit(&unit.name),
                    ),
                    Some(entry) => {
                        let total = unit_total(unit, total_at);
                        if let Some(budget) = entry.budget.filter(|b| *b != total) {
                            found.push(
                                Issue::new(
                                    Rule::BudgetMismatch,
                                    place,
                                    format!(
                                        "名册预算总额 {} ≠ 报送总计 {}（差 {}）",
                                        format_amount(budget),
                                        format_amount(total),
                                        format_amount(budget - total)
                                    ),
                                )
                                .in_unit(&unit.name),
                            );
                        }
                    }
                }
            }
        }
        if !found.is_empty() {
            sub.issues.extend(found);
            if sub.status == FileStatus::Ok {
                sub.status = status_of(&sub.issues);
            }
        }
    }
    let Some(roster) = roster else {
        return (Vec::new(), Vec::new());
    };
    let missing: Vec<RosterEntry> = roster
        .entries
        .iter()
        .filter(|e| !seen.contains_key(&name_key(&e.name)))
        .cloned()
        .collect();
    let issues = missing
        .iter()
        .map(|e| {
            Issue::new(
                Rule::MissingSubmission,
                e.place.clone(),
                format!("名册中的单位“{}”没有报送", e.name),
            )
            .in_unit(&e.name)
        })
        .collect();
    (issues, missing)
}
