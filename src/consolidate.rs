//! Consolidate: all submissions into one [`Consolidation`], sorted by path. The cross-file rules
//! (`check::units`: the same unit twice, the roster) run over the whole; totals are recomputed
//! from project rows, never copied from declared rows.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::form::Form;
use crate::base::issue::{Issue, IssueFilter, Place, Rule, Severity};
use crate::base::model::{FileStatus, LayoutKind, ParkedIssues, Submission, Table, Unit};
use crate::base::park::{self, TablesBack};
use crate::base::spill::{Spill, SpilledText};
use crate::base::text::name_key;
use crate::base::text::serialize_money;
use crate::check::units;
use crate::discover::Discovery;
use crate::roster::{Roster, RosterEntry};

/// The whole run's result, files sorted by path (so the same whatever the thread count).
#[derive(Debug, Clone)]
pub struct Consolidation {
    /// One entry per input file (read, failed, duplicate or skipped), sorted by path.
    pub files: Vec<Submission>,
    /// Every issue held in memory, sorted by file, sheet, row, column. A file that was read
    /// hands its issues over (its `issues` are then empty, its counts in `file_counts`); one
    /// that failed, a duplicate or a skipped one keeps a copy, its reason. A file's parked
    /// infos (`Submission::parked_issues`) are not here: [`Consolidation::each_issue`] gives
    /// every issue, in this order, and [`Consolidation::listed`] counts them.
    pub issues: Vec<Issue>,
    /// How many of `issues` each file handed over, in the order of `files` (the roster's
    /// issues follow them).
    pub held_per_file: Vec<usize>,
    /// Which issues are listed ([`Consolidation::retain`]); the summary counts them all.
    pub filter: IssueFilter,
    /// Each file's (errors, warnings) before any filter, in the order of `files`.
    pub file_counts: Vec<(usize, usize)>,
    pub summary: Summary,
    /// Roster units that no file holds (empty without a roster).
    pub not_submitted: Vec<RosterEntry>,
}

impl Consolidation {
    /// Lists only the issues `filter` keeps (the summary still counts them all).
    pub fn retain(&mut self, filter: IssueFilter) {
        // Most runs list every issue: nothing to move (at 10,000 files, 147,000 issues).
        if filter.keeps_all() {
            self.filter = filter;
            return;
        }
        let mut kept = Vec::with_capacity(self.issues.len());
        let mut rest = std::mem::take(&mut self.issues).into_iter();
        for held in &mut self.held_per_file {
            let before = kept.len();
            kept.extend(rest.by_ref().take(*held).filter(|i| filter.keeps(i)));
            *held = kept.len() - before;
        }
        kept.extend(rest.filter(|i| filter.keeps(i)));
        self.issues = kept;
        self.filter = filter;
    }

    /// How many issues of `severity` are listed (held or parked).
    pub fn listed(&self, severity: Severity) -> usize {
        let held = self
            .issues
            .iter()
            .filter(|i| i.severity == severity)
            .count();
        if severity != Severity::Info {
            return held;
        }
        held + self
            .files
            .iter()
            .filter_map(|f| f.parked_issues.as_ref())
            .map(|p| self.listed_parked(p))
            .sum::<usize>()
    }

    /// How many of a file's parked infos are listed, told by their counts by rule (all the
    /// filter looks at besides their severity).
    fn listed_parked(&self, parked: &ParkedIssues) -> usize {
        parked
            .by_rule
            .iter()
            .filter(|(rule, _)| self.filter.keeps_kind(*rule, Severity::Info))
            .map(|(_, n)| n)
            .sum()
    }

    /// How many issues are listed.
    pub fn listed_total(&self) -> usize {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .map(|s| self.listed(s))
            .sum()
    }

    /// Gives `each` every listed issue in report order (by file, then sheet, row and column;
    /// the roster's last), those of `severity` only when one is given; parked ones are read
    /// back one file at a time.
    ///
    /// # Errors
    /// What `each` returns, or a parked file's issues cannot be read back.
    pub fn each_issue<E: From<std::io::Error>>(
        &self,
        severity: Option<Severity>,
        mut each: impl FnMut(&Issue) -> Result<(), E>,
    ) -> Result<(), E> {
        let starts = self.held_starts();
        for file in 0..self.files.len() {
            self.each_issue_of_file(file, &starts, severity, &mut each)?;
        }
        let wanted = |i: &&Issue| severity.is_none_or(|s| i.severity == s);
        for issue in self.trailing_issues().iter().filter(wanted) {
            each(issue)?;
        }
        Ok(())
    }

    /// Where each file's held issues start in `issues`, in the order of `files`, and where the
    /// last file's end (one more entry than files).
    pub fn held_starts(&self) -> Vec<usize> {
        std::iter::once(0)
            .chain(self.held_per_file.iter().scan(0, |at, &n| {
                *at += n;
                Some(*at)
            }))
            .collect()
    }

    /// The issues that follow every file's in report order: the roster's.
    pub fn trailing_issues(&self) -> &[Issue] {
        let held: usize = self.held_per_file.iter().sum();
        &self.issues[held.min(self.issues.len())..]
    }

    /// [`Consolidation::each_issue`] for one file (`starts` from
    /// [`Consolidation::held_starts`]): its held issues and its parked infos, merged in report
    /// order. Files may be given out of order, or from several threads at once.
    ///
    /// # Errors
    /// What `each` returns, or the file's parked issues cannot be read back.
    pub fn each_issue_of_file<E: From<std::io::Error>>(
        &self,
        file: usize,
        starts: &[usize],
        severity: Option<Severity>,
        mut each: impl FnMut(&Issue) -> Result<(), E>,
    ) -> Result<(), E> {
        let wanted = |i: &&Issue| severity.is_none_or(|s| i.severity == s);
        let held = self.issues[starts[file]..starts[file + 1]]
            .iter()
            .filter(wanted);
        let parked = match &self.files[file].parked_issues {
            Some(p)
                if severity.is_none_or(|s| s == Severity::Info) && self.listed_parked(p) > 0 =>
            {
                let mut parked = crate::base::park::issues_of(p)?;
                parked.retain(|i| self.filter.keeps(i));
                parked
            }
            _ => Vec::new(),
        };
        // Both in report order; on a tie the file's own issue (parked) came first.
        let (mut a, mut b) = (parked.iter().peekable(), held.peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if y.sort_key() < x.sort_key() => b.next(),
                (Some(_), _) => a.next(),
                (None, _) => b.next(),
            };
            match next {
                Some(issue) => each(issue)?,
                None => return Ok(()),
            }
        }
    }
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
    unit.total(form.total_field())
}

/// A consolidated unit: a unit as one file holds it, or one of its own: read back from disk
/// (a streaming consolidation parks the files' tables), or the per-project forms of one unit,
/// from any number of sheets and files, merged into one. Two words wide (a run of 10,000
/// units holds a list of them), where a unit is a few hundred bytes.
pub enum ConsolidatedUnit<'a> {
    Held(&'a Unit),
    Owned(Box<Unit>),
}

impl std::ops::Deref for ConsolidatedUnit<'_> {
    type Target = Unit;

    fn deref(&self) -> &Unit {
        match self {
            ConsolidatedUnit::Held(unit) => unit,
            ConsolidatedUnit::Owned(unit) => unit,
        }
    }
}

impl AsRef<Unit> for ConsolidatedUnit<'_> {
    fn as_ref(&self) -> &Unit {
        self
    }
}

/// Which consolidated unit each unit read starts or joins: the per-project forms of one unit
/// (by `name_key`) make one unit.
#[derive(Default)]
struct Grouping {
    at: HashMap<String, usize>,
    count: usize,
}

impl Grouping {
    /// `None` when a unit of a table of `layout` starts a consolidated unit, `Some(i)` when it
    /// joins the one numbered `i`.
    fn place(&mut self, layout: LayoutKind, unit: &Unit) -> Option<usize> {
        if layout == LayoutKind::Project {
            let key = name_key(&unit.name).into_owned();
            if let Some(&i) = self.at.get(&key) {
                return Some(i);
            }
            self.at.insert(key, self.count);
        }
        self.count += 1;
        None
    }
}

/// Goes through the units of the files that count (not duplicates), in order, telling for
/// each whether it starts a consolidated unit (`None`) or joins the one numbered `Some(i)`:
/// the per-project forms of one unit (by `name_key`) make one unit. A file's parked tables
/// are read back for the walk, one file at a time: the table and unit given live for one call.
///
/// # Errors
/// A file's parked tables cannot be read back, or the first error `each` returns (which ends
/// the walk).
pub fn group_units<'a>(
    files: impl IntoIterator<Item = &'a Submission>,
    mut each: impl FnMut(Option<usize>, &'a Submission, &Table, &Unit) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut grouping = Grouping::default();
    for sub in files
        .into_iter()
        .filter(|f| f.status != FileStatus::Duplicate)
    {
        for table in sub.tables_back()?.iter() {
            for unit in &table.units {
                each(grouping.place(table.layout, unit), sub, table, unit)?;
            }
        }
    }
    Ok(())
}

/// A unit met by [`walk_units`]: lent from a held table, or read back from parked ones.
enum Met<'a> {
    Lent(&'a Unit),
    Read(Box<Unit>),
}

impl Met<'_> {
    fn unit(&self) -> &Unit {
        match self {
            Met::Lent(unit) => unit,
            Met::Read(unit) => unit,
        }
    }
}

/// Goes through the units of the files that count (not duplicates), in order, as
/// [`group_units`] does, but gives each unit to keep: lent when its table is held, read back
/// (and owned) when the file's tables are parked. `each` gets the file, whether the unit
/// joins consolidated unit `Some(i)`, and the unit.
///
/// # Errors
/// A file's parked tables cannot be read back, or what `each` returns.
fn walk_units<'a>(
    files: &'a [Submission],
    mut each: impl FnMut(&'a Submission, Option<usize>, Met<'a>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut grouping = Grouping::default();
    for sub in files.iter().filter(|f| f.status != FileStatus::Duplicate) {
        match sub.tables_back()? {
            Cow::Borrowed(tables) => {
                for table in tables {
                    for unit in &table.units {
                        each(sub, grouping.place(table.layout, unit), Met::Lent(unit))?;
                    }
                }
            }
            Cow::Owned(tables) => {
                for table in tables {
                    let layout = table.layout;
                    for unit in table.units {
                        let joins = grouping.place(layout, &unit);
                        each(sub, joins, Met::Read(Box::new(unit)))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The consolidated units, in path order: every unit as read, except that the per-project forms
/// of one unit (any number of blocks, sheets or files) make one unit with all their projects,
/// where the first of them stands. Duplicate files are left out. A unit of a held table is
/// lent; one of parked tables is read back, a file at a time, and kept.
///
/// # Errors
/// A file's parked tables cannot be read back.
pub fn consolidated_units(files: &[Submission]) -> std::io::Result<Vec<ConsolidatedUnit<'_>>> {
    let mut out: Vec<ConsolidatedUnit> = Vec::new();
    walk_units(files, |_, joins, met| {
        match (joins, met) {
            (None, Met::Lent(unit)) => out.push(ConsolidatedUnit::Held(unit)),
            (None, Met::Read(unit)) => out.push(ConsolidatedUnit::Owned(unit)),
            (Some(i), met) => {
                let first = &mut out[i];
                if let ConsolidatedUnit::Held(held) = first {
                    *first = ConsolidatedUnit::Owned(Box::new((*held).clone()));
                }
                if let ConsolidatedUnit::Owned(merged) = first {
                    merged.absorb(met.unit());
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// Units that 汇总表 and 统计 are written from, in consolidated order, a chunk at a time.
pub trait UnitSource: Sync {
    /// How many units there are.
    fn count(&self) -> usize;

    /// The units of `range`, in order.
    ///
    /// # Errors
    /// Units kept on disk cannot be read back.
    fn units(&self, range: Range<usize>) -> std::io::Result<Vec<ConsolidatedUnit<'_>>>;

    /// The ranges of `size` units (the last one shorter) that cover them all, in order.
    fn chunks(&self, size: usize) -> impl Iterator<Item = Range<usize>> {
        chunk_ranges(self.count(), size)
    }
}

/// The ranges of `size` items (the last one shorter) that cover `0..count`, in order.
pub fn chunk_ranges(count: usize, size: usize) -> impl Iterator<Item = Range<usize>> {
    (0..count)
        .step_by(size)
        .map(move |at| at..(at + size).min(count))
}

impl UnitSource for [&Unit] {
    fn count(&self) -> usize {
        self.len()
    }

    fn units(&self, range: Range<usize>) -> std::io::Result<Vec<ConsolidatedUnit<'_>>> {
        Ok(self[range]
            .iter()
            .map(|u| ConsolidatedUnit::Held(u))
            .collect())
    }
}

/// A unit of [`ParkedUnits`].
enum Slot<'a> {
    Held(&'a Unit),
    Owned(Box<Unit>),
    Parked(SpilledText),
}

/// The consolidated units of a run, as [`consolidated_units`] makes them, but with the units
/// read back from parked tables kept on disk again, one by one, rather than in memory: the
/// whole-run sheets read them back a chunk at a time. A unit of held tables is lent; one merged
/// from several forms is kept whole.
pub struct ParkedUnits<'a> {
    slots: Vec<Slot<'a>>,
    /// The file each unit comes from (a merged unit's first).
    pub first_files: Vec<&'a Submission>,
}

impl<'a> ParkedUnits<'a> {
    /// Makes the list of about `units` units (the summary's count, room made for them at
    /// once), reading each file's parked tables back once, and keeping its units in `spill`.
    ///
    /// # Errors
    /// Parked tables cannot be read back, or `spill` written.
    pub fn new(
        files: &'a [Submission],
        units: usize,
        spill: &Arc<Spill>,
    ) -> std::io::Result<ParkedUnits<'a>> {
        let mut list = ParkedUnits {
            slots: Vec::with_capacity(units),
            first_files: Vec::with_capacity(units),
        };
        walk_units(files, |sub, joins, met| match (joins, met) {
            (Some(i), met) => list.merge(i, met.unit()),
            (None, Met::Lent(unit)) => {
                list.push(sub, Slot::Held(unit));
                Ok(())
            }
            (None, Met::Read(unit)) => {
                let slot = match park::park_unit_record(&unit, spill)? {
                    Some(part) => Slot::Parked(part),
                    None => Slot::Owned(unit),
                };
                list.push(sub, slot);
                Ok(())
            }
        })?;
        Ok(list)
    }

    fn push(&mut self, sub: &'a Submission, slot: Slot<'a>) {
        self.slots.push(slot);
        self.first_files.push(sub);
    }

    /// Adds `unit` to the unit numbered `i`, which is then kept whole.
    fn merge(&mut self, i: usize, unit: &Unit) -> std::io::Result<()> {
        let slot = &mut self.slots[i];
        let whole = match slot {
            Slot::Held(held) => Some((*held).clone()),
            Slot::Parked(part) => Some(park::unit_back(part)?),
            Slot::Owned(_) => None,
        };
        if let Some(whole) = whole {
            *slot = Slot::Owned(Box::new(whole));
        }
        if let Slot::Owned(merged) = slot {
            merged.absorb(unit);
        }
        Ok(())
    }
}

impl UnitSource for ParkedUnits<'_> {
    fn count(&self) -> usize {
        self.slots.len()
    }

    fn units(&self, range: Range<usize>) -> std::io::Result<Vec<ConsolidatedUnit<'_>>> {
        self.slots[range]
            .iter()
            .map(|slot| match slot {
                Slot::Held(unit) => Ok(ConsolidatedUnit::Held(unit)),
                Slot::Owned(unit) => Ok(ConsolidatedUnit::Held(unit)),
                Slot::Parked(part) => {
                    park::unit_back(part).map(|u| ConsolidatedUnit::Owned(Box::new(u)))
                }
            })
            .collect()
    }
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
    for (path, display, reason) in &discovery.unlisted {
        submissions.push(Submission::empty(
            path,
            display,
            FileStatus::Failed,
            vec![Issue::new(
                Rule::UnreadableFile,
                Place::file(display),
                reason.clone(),
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
            parked_issues: None,
            parked_tables: None,
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
    let mut issues = Vec::with_capacity(
        submissions.iter().map(|s| s.issues.len()).sum::<usize>() + roster_issues.len(),
    );
    let mut file_counts = Vec::with_capacity(submissions.len());
    let mut held_per_file = Vec::with_capacity(submissions.len());
    // The units are counted as `group_units` groups them, by their name keys, in the same
    // reading of each file's tables as the sums. A file whose parked tables cannot be read back
    // counts none here (see `TablesBack::tables_or_none`): the whole-run sheets then stop the
    // run with that error.
    let mut grouping = Grouping::default();
    for sub in &mut submissions {
        let counted = sub.status != FileStatus::Duplicate;
        for table in sub.tables_or_none().iter() {
            for unit in &table.units {
                summary.projects += unit.project_count();
                summary.indicators += unit.indicator_count();
                summary.total += unit_total(form, unit);
                if counted {
                    grouping.place(table.layout, unit);
                }
            }
        }
        let count = |sev| sub.issues.iter().filter(|i| i.severity == sev).count();
        file_counts.push((count(Severity::Error), count(Severity::Warning)));
        // Moved, not copied: a large run's issues are held once.
        let mut file_issues = if !sub.has_tables() {
            sub.issues.clone()
        } else {
            std::mem::take(&mut sub.issues)
        };
        file_issues.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        held_per_file.push(file_issues.len());
        issues.append(&mut file_issues);
        for &(rule, n) in sub.parked_issues.iter().flat_map(|p| &p.by_rule) {
            *summary.by_rule.entry(rule).or_default() += n;
            summary.infos += n;
        }
    }
    summary.units = grouping.count;
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
        held_per_file,
        filter: IssueFilter::default(),
        file_counts,
        summary,
        not_submitted,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::str::FromStr;

    use super::*;
    use crate::base::model::{CategoryRef, DeclaredRow, Indicator, Project, Target, TargetValue};
    use crate::check::tests::{amounts, project, table};
    use crate::discover::{Source, SourceKind};

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A read submission with one table whose single unit is `unit`; its status follows its
    /// issues.
    fn submission(
        path: &str,
        unit: &str,
        projects: Vec<Project>,
        issues: Vec<Issue>,
    ) -> Submission {
        let mut t = table(projects);
        t.units[0].name = unit.to_string();
        Submission {
            path: PathBuf::from(path),
            display: path.to_string(),
            status: FileStatus::of(&issues),
            tables: vec![t],
            issues,
            parked_issues: None,
            parked_tables: None,
            note: None,
        }
    }

    /// A project with `n` (unchecked) indicators.
    fn with_indicators(mut p: Project, n: u32) -> Project {
        let empty = Target {
            text: Default::default(),
            value: TargetValue::Empty,
        };
        p.indicators = (1..=n)
            .map(|seq| Indicator {
                seq: Some(seq),
                level1: CategoryRef::default(),
                level2: CategoryRef::default(),
                name: compact_str::format_compact!("指标{seq}"),
                period: empty.clone(),
                annual: empty.clone(),
                ..Indicator::default()
            })
            .collect();
        p
    }

    /// An issue on Sheet1 of `file` at `row`.
    fn issue(rule: Rule, file: &str, row: Option<u32>) -> Issue {
        let place = Place {
            file: file.to_string(),
            sheet: Some("Sheet1".into()),
            row,
            col: None,
        };
        Issue::new(rule, place, format!("{rule:?}"))
    }

    fn source(path: &str) -> Source {
        Source {
            path: PathBuf::from(path),
            display: path.to_string(),
            kind: SourceKind::Xlsx,
            size: 1,
        }
    }

    fn paths(c: &Consolidation) -> Vec<&str> {
        c.files.iter().map(|s| s.display.as_str()).collect()
    }

    fn rules(issues: &[Issue]) -> Vec<(Rule, &str, Option<u32>)> {
        issues
            .iter()
            .map(|i| (i.rule, i.place.file.as_str(), i.place.row))
            .collect()
    }

    /// Every issue `c` lists, in report order (`each_issue`), of one severity when given.
    fn listed(c: &Consolidation, severity: Option<Severity>) -> Vec<Issue> {
        let mut all = Vec::new();
        c.each_issue::<std::io::Error>(severity, |i| {
            all.push(i.clone());
            Ok(())
        })
        .unwrap();
        all
    }

    // A streaming consolidation parks each file's infos on disk: the issues given back, their
    // order (a cross-file issue falls among a file's parked infos), the counts and the filters
    // are those of the same run with every issue held.
    #[test]
    fn parked_infos_come_back_in_report_order_among_the_held_issues() {
        let form = Form::default_form();
        let info = |file, row| issue(Rule::MissingCostIndicator, file, Some(row));
        let make = || {
            vec![
                submission(
                    "a.xlsx",
                    "示例单位甲",
                    vec![project("道路养护", &["1", "1"])],
                    vec![
                        info("a.xlsx", 9),
                        issue(Rule::SumMismatch, "a.xlsx", Some(7)),
                        info("a.xlsx", 5),
                    ],
                ),
                // The same unit again: duplicate-unit, at its first project's row (7), falls
                // between its infos of rows 3 and 8.
                submission(
                    "b.xlsx",
                    "示例单位甲",
                    vec![project("绿化", &["2", "2"])],
                    vec![
                        info("b.xlsx", 8),
                        info("b.xlsx", 3),
                        issue(Rule::BadAmount, "b.xlsx", Some(4)),
                    ],
                ),
                submission(
                    "c.xlsx",
                    "示例单位乙",
                    vec![project("清洁", &["3", "3"])],
                    Vec::new(),
                ),
            ]
        };
        let held = consolidate(&form, make(), &Discovery::default(), None);
        let spill = crate::base::spill::Spill::new().unwrap();
        let mut subs = make();
        for sub in &mut subs {
            crate::base::park::park_infos(sub, &spill).unwrap();
            assert!(sub.issues.iter().all(|i| i.severity != Severity::Info));
        }
        let parked = consolidate(&form, subs, &Discovery::default(), None);
        assert_eq!(parked.files[1].parked_issues.as_ref().unwrap().count(), 2);
        assert!(parked.files[2].parked_issues.is_none());
        assert_eq!(
            parked.issues.len(),
            3,
            "the errors and duplicate-unit stay held"
        );
        assert_eq!(
            rules(&listed(&parked, None)),
            [
                (Rule::MissingCostIndicator, "a.xlsx", Some(5)),
                (Rule::SumMismatch, "a.xlsx", Some(7)),
                (Rule::MissingCostIndicator, "a.xlsx", Some(9)),
                (Rule::MissingCostIndicator, "b.xlsx", Some(3)),
                (Rule::BadAmount, "b.xlsx", Some(4)),
                (Rule::DuplicateUnit, "b.xlsx", Some(7)),
                (Rule::MissingCostIndicator, "b.xlsx", Some(8)),
            ]
        );
        assert_eq!(listed(&parked, None), held.issues);
        assert_eq!(parked.summary, held.summary);
        assert_eq!(parked.file_counts, held.file_counts);
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(
                listed(&parked, Some(severity)),
                listed(&held, Some(severity))
            );
        }
        let filters = [
            IssueFilter {
                severity: Severity::Warning,
                rules: Vec::new(),
            },
            IssueFilter {
                severity: Severity::Info,
                rules: vec![Rule::MissingCostIndicator, Rule::DuplicateUnit],
            },
        ];
        for filter in filters {
            let (mut held, mut parked) = (held.clone(), parked.clone());
            held.retain(filter.clone());
            parked.retain(filter.clone());
            assert_eq!(listed(&parked, None), held.issues, "{filter:?}");
            for severity in [Severity::Error, Severity::Warning, Severity::Info] {
                assert_eq!(parked.listed(severity), held.listed(severity), "{filter:?}");
            }
            assert_eq!(parked.listed_total(), held.issues.len());
        }
    }

    // Files, units, projects and indicators are counted over every submission, and the total is
    // the sum of project 总计 (blank as zero, bad cells left out), not of the 合计 or unit rows.
    #[test]
    fn summary_counts_and_total_recomputed_from_project_rows() {
        let form = Form::default_form();
        let mut a = submission(
            "a.xlsx",
            "示例单位甲",
            vec![
                with_indicators(project("道路养护", &["10.50", "10.50"]), 2),
                project("绿化", &["", ""]),
                project("清洁", &["待定", "1"]),
            ],
            Vec::new(),
        );
        let declared = |total: &str| DeclaredRow {
            row: 5,
            amounts: amounts(&[total, total]),
        };
        a.tables[0].grand_total = Some(declared("5000"));
        a.tables[0].units[0].declared = Some(declared("999"));
        let mut second = table(vec![with_indicators(project("信息化", &["0.25"]), 1)]);
        second.units[0].name = "示例单位乙".into();
        a.tables.push(second);
        let b = submission(
            "b.xlsx",
            "示例单位丙",
            vec![project("培训", &["100", "100"])],
            Vec::new(),
        );
        let failed = Submission::empty(
            &PathBuf::from("c.xlsx"),
            "c.xlsx",
            FileStatus::Failed,
            vec![Issue::new(
                Rule::UnreadableFile,
                Place::file("c.xlsx"),
                "坏",
            )],
        );
        let c = consolidate(&form, vec![a, b, failed], &Discovery::default(), None);
        let s = &c.summary;
        assert_eq!((s.files, s.units, s.projects, s.indicators), (3, 3, 5, 3));
        assert_eq!(s.total, dec("110.75"));
        assert_eq!((s.errors, s.warnings, s.infos), (1, 0, 0));
        assert!(c.not_submitted.is_empty());
    }

    // Files come out sorted by path (component by component), whatever the input order.
    #[test]
    fn files_sorted_by_path_whatever_the_input_order() {
        let form = Form::default_form();
        let names = ["c.xlsx", "a-b.xlsx", "a/z.xlsx", "b.csv"];
        let subs = names
            .iter()
            .enumerate()
            .map(|(i, n)| submission(n, &format!("单位{i}"), Vec::new(), Vec::new()))
            .collect();
        let c = consolidate(&form, subs, &Discovery::default(), None);
        assert_eq!(paths(&c), ["a/z.xlsx", "a-b.xlsx", "b.csv", "c.xlsx"]);
    }

    // Discover's duplicates become Duplicate files with one duplicate-file warning naming the
    // original; skipped files become Skipped with their reason and do not count as files.
    #[test]
    fn duplicates_and_skipped_files_are_added_with_their_status() {
        let form = Form::default_form();
        let discovery = Discovery {
            sources: vec![source("a.xlsx")],
            duplicates: vec![(source("b/copy.xlsx"), "a.xlsx".to_string())],
            skipped: vec![(
                PathBuf::from("0-readme.pdf"),
                "0-readme.pdf".to_string(),
                "不是表格文件（扩展名不受支持）".to_string(),
            )],
            unlisted: Vec::new(),
        };
        let a = submission(
            "a.xlsx",
            "示例单位甲",
            vec![project("道路养护", &["1", "1"])],
            Vec::new(),
        );
        let c = consolidate(&form, vec![a], &discovery, None);
        assert_eq!(paths(&c), ["0-readme.pdf", "a.xlsx", "b/copy.xlsx"]);
        let status: Vec<FileStatus> = c.files.iter().map(|f| f.status).collect();
        assert_eq!(
            status,
            [FileStatus::Skipped, FileStatus::Ok, FileStatus::Duplicate]
        );
        assert_eq!(
            c.files[0].note.as_deref(),
            Some("不是表格文件（扩展名不受支持）")
        );
        assert!(c.files[0].issues.is_empty());
        let dup = &c.files[2].issues;
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].rule, Rule::DuplicateFile);
        assert_eq!(dup[0].severity, Severity::Warning);
        assert_eq!(dup[0].place, Place::file("b/copy.xlsx"));
        assert!(dup[0].message.contains("a.xlsx"), "{}", dup[0].message);
        assert_eq!(c.issues, *dup);
        let s = &c.summary;
        assert_eq!((s.files, s.units, s.projects), (2, 1, 1));
        assert_eq!((s.errors, s.warnings), (0, 1));
    }

    // Each file's issues are sorted by place then rule; files keep path order, so a later file's
    // early rows still come after an earlier file's.
    #[test]
    fn issues_sorted_within_each_file_in_file_order() {
        let form = Form::default_form();
        let b = submission(
            "b.xlsx",
            "示例单位乙",
            Vec::new(),
            vec![
                issue(Rule::MissingGoal, "b.xlsx", Some(9)),
                issue(Rule::BadAmount, "b.xlsx", Some(3)),
                issue(Rule::UnknownMoneyUnit, "b.xlsx", None),
            ],
        );
        let a = submission(
            "a.xlsx",
            "示例单位甲",
            Vec::new(),
            vec![
                issue(Rule::MissingIndicators, "a.xlsx", Some(8)),
                issue(Rule::MissingGoal, "a.xlsx", Some(8)),
                issue(Rule::SumMismatch, "a.xlsx", Some(20)),
            ],
        );
        let c = consolidate(&form, vec![b, a], &Discovery::default(), None);
        assert_eq!(
            rules(&c.issues),
            [
                (Rule::MissingGoal, "a.xlsx", Some(8)),
                (Rule::MissingIndicators, "a.xlsx", Some(8)),
                (Rule::SumMismatch, "a.xlsx", Some(20)),
                (Rule::UnknownMoneyUnit, "b.xlsx", None),
                (Rule::BadAmount, "b.xlsx", Some(3)),
                (Rule::MissingGoal, "b.xlsx", Some(9)),
            ]
        );
    }

    // Severities are counted per issue and by_rule counts each rule, in catalogue order (also in
    // the JSON summary, with the total as money text).
    #[test]
    fn severity_counts_and_by_rule() {
        let form = Form::default_form();
        let a = submission(
            "a.xlsx",
            "示例单位甲",
            vec![project("道路养护", &["1.5", "1.5"])],
            vec![
                issue(Rule::MissingCostIndicator, "a.xlsx", Some(7)),
                issue(Rule::BadAmount, "a.xlsx", Some(7)),
                issue(Rule::MissingSatisfactionIndicator, "a.xlsx", Some(7)),
            ],
        );
        let b = submission(
            "b.xlsx",
            "示例单位乙",
            Vec::new(),
            vec![issue(Rule::BadAmount, "b.xlsx", Some(4))],
        );
        let c = consolidate(&form, vec![a, b], &Discovery::default(), None);
        let s = &c.summary;
        assert_eq!((s.errors, s.warnings, s.infos), (2, 1, 1));
        let by_rule: Vec<(Rule, usize)> = s.by_rule.iter().map(|(r, n)| (*r, *n)).collect();
        assert_eq!(
            by_rule,
            [
                (Rule::BadAmount, 2),
                (Rule::MissingSatisfactionIndicator, 1),
                (Rule::MissingCostIndicator, 1),
            ]
        );
        let json = serde_json::to_string(s).unwrap();
        assert!(
            json.contains(r#""total":"1.50""#)
                && json.contains(
                    r#""by_rule":{"bad-amount":2,"missing-satisfaction-indicator":1,"missing-cost-indicator":1}"#
                ),
            "{json}"
        );
    }

    // The same unit (names compared without spaces) in two files: the later file by path gets one
    // duplicate-unit error naming the first place, turns to Issues, and both units are counted.
    #[test]
    fn duplicate_unit_across_two_submissions() {
        let form = Form::default_form();
        let b = submission(
            "b.xlsx",
            "示例 单位甲",
            vec![project("绿化", &["2", "2"])],
            Vec::new(),
        );
        let a = submission(
            "a.xlsx",
            "示例单位甲",
            vec![project("道路养护", &["1", "1"])],
            Vec::new(),
        );
        let c = consolidate(&form, vec![b, a], &Discovery::default(), None);
        assert_eq!(rules(&c.issues), [(Rule::DuplicateUnit, "b.xlsx", Some(7))]);
        let dup = &c.issues[0];
        assert_eq!(dup.unit.as_deref(), Some("示例 单位甲"));
        assert!(dup.message.contains("a.xlsx 第 7 行"), "{}", dup.message);
        assert_eq!(c.files[0].status, FileStatus::Ok);
        assert_eq!(c.files[1].status, FileStatus::Issues);
        assert!(c.files[1].issues.is_empty(), "handed over to c.issues");
        assert_eq!(c.file_counts, [(0, 0), (1, 0)]);
        let s = &c.summary;
        assert_eq!((s.units, s.projects, s.errors), (2, 2, 1));
        assert_eq!(s.total, dec("3"));
        assert_eq!(s.by_rule.get(&Rule::DuplicateUnit), Some(&1));
    }

    // With a roster, missing-submission issues come after every file's issues and the missing
    // units are listed in not_submitted.
    #[test]
    fn roster_missing_units_come_last_and_are_listed() {
        let form = Form::default_form();
        let entry = |name: &str, row: u32| RosterEntry {
            name: name.to_string(),
            budget: None,
            place: Place {
                file: "roster.xlsx".into(),
                sheet: Some("名册".into()),
                row: Some(row),
                col: Some(0),
            },
        };
        let roster = Roster {
            display: "roster.xlsx".into(),
            entries: vec![entry("示例单位戌", 2), entry("示例单位甲", 3)],
        };
        let a = submission(
            "z.xlsx",
            "示例单位甲",
            vec![project("道路养护", &["1", "1"])],
            vec![issue(Rule::BadAmount, "z.xlsx", Some(7))],
        );
        let c = consolidate(&form, vec![a], &Discovery::default(), Some(&roster));
        assert_eq!(
            rules(&c.issues),
            [
                (Rule::BadAmount, "z.xlsx", Some(7)),
                (Rule::MissingSubmission, "roster.xlsx", Some(2)),
            ]
        );
        let missing: Vec<&str> = c.not_submitted.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(missing, ["示例单位戌"]);
        assert_eq!(c.summary.errors, 2);
    }
}
