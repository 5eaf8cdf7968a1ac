//! A unit's projects kept on disk: once a streaming consolidation has written a submission's
//! 指标明细 rows and digested its projects (`write::workbook::Preparer`), what is left of each
//! project (its name, amounts, cells and digest) is encoded into the run's [`Spill`], and the
//! unit keeps only [`ParkedProjects`]: the counts, column sums, scheme signs and column widths
//! that the summary, the JSON report, 统计 and 汇总表's widths need. 汇总表 and the fault marks
//! read the projects back a few units at a time. Memory then grows with units, not projects.
//!
//! A submission's infos go the same way ([`park_infos`]): most issues of a large run are infos
//! (a project without a cost indicator), and only the reports list them; the errors and
//! warnings, which 汇总表 marks, stay in memory.

use std::borrow::Cow;
use std::io::{Error, ErrorKind};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::base::form::Form;
use crate::base::issue::{Issue, Place, Rule, Severity};
use crate::base::model::{
    Amount, Amounts, Columns, DeclaredRow, DigestTexts, FieldId, IndicatorDigest, LayoutKind,
    NameSource, ParkedIssues, ParkedProjects, ParkedTables, Project, Submission, Table, Unit,
};
use crate::base::spill::{Spill, SpilledText};

/// Whether a project can be parked: digested, with nothing left beside the parts that are kept
/// (see `write::workbook::digest_indicators`, which leaves a project so).
fn parkable(p: &Project) -> bool {
    p.digest_texts().is_some()
        && p.goal.is_empty()
        && p.indicator_text.is_empty()
        && p.indicators.is_empty()
        && p.indicator_faults.is_empty()
        && p.goal_period.is_empty()
        && p.funding.is_empty()
}

/// Moves a unit's projects to `spill`, when every one is digested; `widths` gives a project's
/// widest line in each of the form's columns (汇总表's measure). Returns whether it did.
///
/// # Errors
/// The temporary file cannot be written.
pub fn park_unit(
    form: &Form,
    unit: &mut Unit,
    spill: &Arc<Spill>,
    widths: impl Fn(&Project) -> Vec<usize>,
) -> std::io::Result<bool> {
    if unit.parked.is_some() || !unit.projects.iter().all(parkable) {
        return Ok(false);
    }
    let mut bytes = Vec::new();
    let mut column_widths = vec![0; form.fields.len()];
    for p in &unit.projects {
        encode(p, &mut bytes);
        for (w, width) in column_widths.iter_mut().zip(widths(p)) {
            *w = (*w).max(width);
        }
    }
    let parked = kept_of(form, unit, vec![spill.put_bytes(&bytes)?], column_widths);
    unit.projects = Vec::new();
    unit.parked = Some(parked);
    Ok(true)
}

/// What a unit keeps of its projects once they leave it: `parts` to read them back (if any) and
/// what the run counts of them.
fn kept_of(
    form: &Form,
    unit: &Unit,
    parts: Vec<SpilledText>,
    widths: Vec<usize>,
) -> ParkedProjects {
    let sums = form
        .amount_fields()
        .map(|f| (f, unit.column_sum(f)))
        .collect();
    let (older, current) = form.taxonomy.project_signs(unit.projects.iter());
    ParkedProjects {
        parts,
        count: unit.projects.len(),
        indicators: unit.indicator_count(),
        sums,
        first_row: unit.projects.first().map(|p| p.row),
        older,
        current,
        widths,
    }
}

/// Replaces a unit's projects by what the reports count of them: their number, indicators,
/// column sums, first row and scheme signs, as [`park_unit`] keeps them, but with no part to
/// read back (`check`, whose reports need no project, only counts). [`projects_of`] then gives
/// none.
pub fn count_projects(form: &Form, unit: &mut Unit) {
    if unit.parked.is_some() || unit.projects.is_empty() {
        return;
    }
    unit.parked = Some(kept_of(form, unit, Vec::new(), Vec::new()));
    unit.projects = Vec::new();
}

/// A unit's projects, the parked ones read back first, then those held.
///
/// # Errors
/// The temporary file cannot be read.
pub fn projects_of(unit: &Unit) -> std::io::Result<Cow<'_, [Project]>> {
    let Some(parked) = &unit.parked else {
        return Ok(Cow::Borrowed(&unit.projects));
    };
    let mut projects = Vec::with_capacity(parked.count + unit.projects.len());
    for part in &parked.parts {
        let bytes = part.read_bytes()?;
        let mut reader = Reader { bytes: &bytes };
        while !reader.bytes.is_empty() {
            projects.push(reader.project(part)?);
        }
    }
    projects.extend(unit.projects.iter().cloned());
    Ok(Cow::Owned(projects))
}

/// Moves a submission's infos to `spill`, in report order, leaving its errors and warnings.
///
/// # Errors
/// The temporary file cannot be written.
pub fn park_infos(sub: &mut Submission, spill: &Arc<Spill>) -> std::io::Result<()> {
    if sub.parked_issues.is_some() || !sub.issues.iter().any(|i| i.severity == Severity::Info) {
        return Ok(());
    }
    let (mut infos, held): (Vec<Issue>, Vec<Issue>) = std::mem::take(&mut sub.issues)
        .into_iter()
        .partition(|i| i.severity == Severity::Info);
    sub.issues = held;
    infos.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut bytes = Vec::new();
    let mut by_rule: Vec<(Rule, usize)> = Vec::new();
    for issue in &infos {
        encode_issue(issue, &mut bytes);
        match by_rule.iter_mut().find(|(r, _)| *r == issue.rule) {
            Some((_, n)) => *n += 1,
            None => by_rule.push((issue.rule, 1)),
        }
    }
    by_rule.sort();
    // Kept for the whole run: no spare room (pushed, it has room for four rules).
    by_rule.shrink_to_fit();
    sub.parked_issues = Some(ParkedIssues {
        part: spill.put_bytes(&bytes)?,
        by_rule,
    });
    Ok(())
}

/// The parked issues, read back in their order.
///
/// # Errors
/// The temporary file cannot be read.
pub fn issues_of(parked: &ParkedIssues) -> std::io::Result<Vec<Issue>> {
    let bytes = parked.part.read_bytes()?;
    let mut reader = Reader { bytes: &bytes };
    let mut issues = Vec::with_capacity(parked.count());
    while !reader.bytes.is_empty() {
        issues.push(reader.issue()?);
    }
    Ok(issues)
}

/// Moves a submission's tables to `spill` once every unit's projects are parked (see
/// [`park_unit`]): what is left of a file (its tables, units, declared rows and the parked
/// projects' counts, sums and widths) is then on disk too, and memory no longer grows with the
/// files. Read them back with [`tables_of`]. Returns whether it did.
///
/// # Errors
/// The temporary file cannot be written.
pub fn park_tables(sub: &mut Submission, spill: &Arc<Spill>) -> std::io::Result<bool> {
    if sub.parked_tables.is_some()
        || sub.tables.is_empty()
        || sub.units().any(|u| !u.projects.is_empty())
    {
        return Ok(false);
    }
    let mut bytes = Vec::new();
    put_u64(&mut bytes, sub.tables.len() as u64);
    for table in &sub.tables {
        encode_table(table, &mut bytes);
    }
    sub.parked_tables = Some(ParkedTables {
        part: spill.put_bytes(&bytes)?,
        layout: sub.layout(),
        indicators: sub.indicator_count(),
    });
    sub.tables = Vec::new();
    Ok(true)
}

/// Keeps one unit whose projects are parked (a unit of parked tables, read back) for
/// [`unit_back`]: in the spill its projects are in (the places it holds are that spill's), else
/// in `spill`. `None`, and nothing kept, when it holds projects of its own.
///
/// # Errors
/// The temporary file cannot be written.
pub fn park_unit_record(unit: &Unit, spill: &Arc<Spill>) -> std::io::Result<Option<SpilledText>> {
    if !unit.projects.is_empty() {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    encode_unit(unit, &mut bytes);
    let parts = unit.parked.iter().flat_map(|p| &p.parts);
    let spill = parts.map(SpilledText::spill).next().unwrap_or(spill);
    spill.put_bytes(&bytes).map(Some)
}

/// A unit kept by [`park_unit_record`], read back.
///
/// # Errors
/// The temporary file cannot be read, or what it holds is not a whole unit.
pub fn unit_back(part: &SpilledText) -> std::io::Result<Unit> {
    let bytes = part.read_bytes()?;
    let mut reader = Reader { bytes: &bytes };
    let unit = reader.unit(part)?;
    if !reader.bytes.is_empty() {
        return Err(broken());
    }
    Ok(unit)
}

/// A submission's tables, held or parked (see [`park_tables`]).
pub trait TablesBack {
    /// The tables, read back from disk when they are parked.
    ///
    /// # Errors
    /// Parked tables cannot be read back.
    fn tables_back(&self) -> std::io::Result<Cow<'_, [Table]>>;

    /// The tables for the rules across files and the run's counts, which cannot fail: parked
    /// tables that cannot be read back are taken as none there. Every unit is read back again
    /// when the whole-run sheets are written (`consolidate::ParkedUnits`,
    /// `consolidate::consolidated_units`), and that failure then stops the run with its error.
    fn tables_or_none(&self) -> Cow<'_, [Table]> {
        self.tables_back().unwrap_or(Cow::Borrowed(&[]))
    }
}

impl TablesBack for Submission {
    fn tables_back(&self) -> std::io::Result<Cow<'_, [Table]>> {
        tables_of(&self.tables, self.parked_tables.as_ref())
    }
}

/// A submission's tables: those held, or the parked ones read back.
///
/// # Errors
/// The temporary file cannot be read.
pub fn tables_of<'a>(
    tables: &'a [Table],
    parked: Option<&ParkedTables>,
) -> std::io::Result<Cow<'a, [Table]>> {
    let Some(parked) = parked else {
        return Ok(Cow::Borrowed(tables));
    };
    let bytes = parked.part.read_bytes()?;
    let mut reader = Reader { bytes: &bytes };
    let n = reader.usize()?;
    let mut out = Vec::with_capacity(n.min(1024) + tables.len());
    for _ in 0..n {
        out.push(reader.table(&parked.part)?);
    }
    if !reader.bytes.is_empty() {
        return Err(broken());
    }
    out.extend(tables.iter().cloned());
    Ok(Cow::Owned(out))
}

fn put_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            put_str(out, s);
        }
    }
}

fn put_opt_u32(out: &mut Vec<u8>, n: Option<u32>) {
    match n {
        None => out.push(0),
        Some(n) => {
            out.push(1);
            put_u32(out, n);
        }
    }
}

/// An issue: rule, severity, place, unit, project and message.
fn encode_issue(issue: &Issue, out: &mut Vec<u8>) {
    let rule = Rule::ALL.iter().position(|r| *r == issue.rule).unwrap_or(0);
    put_u32(out, rule as u32);
    out.push(match issue.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    });
    put_str(out, &issue.place.file);
    put_opt_str(out, issue.place.sheet.as_deref());
    put_opt_u32(out, issue.place.row);
    put_opt_u32(out, issue.place.col);
    put_opt_str(out, issue.unit.as_deref());
    put_opt_str(out, issue.project.as_deref());
    put_str(out, &issue.message);
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u64(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_place(out: &mut Vec<u8>, text: &SpilledText) {
    let (at, len) = text.place();
    put_u64(out, at);
    put_u64(out, len as u64);
}

fn put_amounts(out: &mut Vec<u8>, amounts: &Amounts) {
    put_u64(out, amounts.iter().count() as u64);
    for (field, amount) in amounts.iter() {
        put_u64(out, field.position() as u64);
        match amount {
            Amount::Blank => out.push(0),
            Amount::Value(d) => {
                out.push(1);
                out.extend_from_slice(&d.serialize());
            }
            Amount::Bad(text) => {
                out.push(2);
                put_str(out, text);
            }
        }
    }
}

fn put_declared(out: &mut Vec<u8>, declared: Option<&DeclaredRow>) {
    match declared {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            put_u32(out, d.row);
            put_amounts(out, &d.amounts);
        }
    }
}

fn put_columns(out: &mut Vec<u8>, columns: &[Option<u32>]) {
    put_u64(out, columns.len() as u64);
    for &c in columns {
        put_opt_u32(out, c);
    }
}

/// The ways a unit's name is found, numbered for [`encode_table`].
const NAME_SOURCES: [NameSource; 5] = [
    NameSource::UnitRow,
    NameSource::Title,
    NameSource::Sheet,
    NameSource::File,
    NameSource::Block,
];

/// A table whose units' projects are all parked: its place and columns, its money unit and
/// declared rows, and each unit with what [`ParkedProjects`] keeps of its projects.
fn encode_table(table: &Table, out: &mut Vec<u8>) {
    put_opt_str(out, table.sheet.as_deref());
    out.push(match table.layout {
        LayoutKind::Wide => 0,
        LayoutKind::Long => 1,
        LayoutKind::Project => 2,
    });
    put_u32(out, table.header_row);
    let (fields, indicators) = table.columns.parts();
    put_columns(out, fields);
    put_columns(out, indicators);
    put_str(out, &table.money_unit);
    put_declared(out, table.grand_total.as_ref());
    put_u64(out, table.units.len() as u64);
    for unit in &table.units {
        encode_unit(unit, out);
    }
}

/// A unit whose projects are parked: its names, declared row and what [`ParkedProjects`] keeps.
fn encode_unit(unit: &Unit, out: &mut Vec<u8>) {
    put_str(out, &unit.name);
    put_opt_str(out, unit.code.as_deref());
    put_opt_str(out, unit.department.as_deref());
    // As numbered in `NAME_SOURCES`; a new source fails to compile here.
    out.push(match unit.name_source {
        NameSource::UnitRow => 0,
        NameSource::Title => 1,
        NameSource::Sheet => 2,
        NameSource::File => 3,
        NameSource::Block => 4,
    });
    put_declared(out, unit.declared.as_ref());
    match &unit.parked {
        None => out.push(0),
        Some(p) => {
            out.push(1);
            put_u64(out, p.parts.len() as u64);
            for part in &p.parts {
                put_place(out, part);
            }
            put_u64(out, p.count as u64);
            put_u64(out, p.indicators as u64);
            put_u64(out, p.sums.len() as u64);
            for (field, sum) in &p.sums {
                put_u64(out, field.position() as u64);
                out.extend_from_slice(&sum.serialize());
            }
            put_opt_u32(out, p.first_row);
            out.push(u8::from(p.older) | u8::from(p.current) << 1);
            put_u64(out, p.widths.len() as u64);
            for &w in &p.widths {
                put_u64(out, w as u64);
            }
        }
    }
}

/// A parked project: row, name, amounts, cells and digest, in that order.
fn encode(p: &Project, out: &mut Vec<u8>) {
    put_u32(out, p.row);
    put_str(out, &p.name);
    put_amounts(out, &p.amounts);
    put_u64(out, p.cells.len() as u64);
    for (field, row, col) in &p.cells {
        put_u64(out, field.position() as u64);
        put_u32(out, *row);
        put_u32(out, *col);
    }
    if let (Some(d), Some(t)) = (&p.digest, p.digest_texts()) {
        put_u64(out, d.count as u64);
        put_place(out, &t.cell);
        put_place(out, &t.goal);
        put_u64(out, t.cell_width as u64);
        put_u64(out, t.goal_width as u64);
        out.push(u8::from(d.older) | u8::from(d.current) << 1);
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
}

fn broken() -> Error {
    Error::new(ErrorKind::InvalidData, "暂存的项目数据不完整")
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> std::io::Result<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>().ok_or_else(broken)?;
        self.bytes = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> std::io::Result<u32> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    fn u64(&mut self) -> std::io::Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn usize(&mut self) -> std::io::Result<usize> {
        usize::try_from(self.u64()?).map_err(|_| broken())
    }

    fn string(&mut self) -> std::io::Result<String> {
        let len = self.usize()?;
        if len > self.bytes.len() {
            return Err(broken());
        }
        let (text, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        String::from_utf8(text.to_vec()).map_err(|_| broken())
    }

    fn byte(&mut self) -> std::io::Result<u8> {
        Ok(self.take::<1>()?[0])
    }

    fn opt_string(&mut self) -> std::io::Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => Err(broken()),
        }
    }

    fn opt_u32(&mut self) -> std::io::Result<Option<u32>> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.u32().map(Some),
            _ => Err(broken()),
        }
    }

    /// An issue as [`encode_issue`] wrote it.
    fn issue(&mut self) -> std::io::Result<Issue> {
        let rule = *Rule::ALL.get(self.u32()? as usize).ok_or_else(broken)?;
        let severity = match self.byte()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Info,
            _ => return Err(broken()),
        };
        let place = Place {
            file: self.string()?,
            sheet: self.opt_string()?,
            row: self.opt_u32()?,
            col: self.opt_u32()?,
        };
        Ok(Issue {
            rule,
            severity,
            place,
            unit: self.opt_string()?,
            project: self.opt_string()?,
            message: self.string()?,
        })
    }

    fn amounts(&mut self) -> std::io::Result<Amounts> {
        let amounts = self.list(64, |r| {
            let field = FieldId(r.usize()?);
            let amount = match r.byte()? {
                0 => Amount::Blank,
                1 => Amount::Value(Decimal::deserialize(r.take()?)),
                2 => Amount::Bad(r.string()?),
                _ => return Err(broken()),
            };
            Ok((field, amount))
        })?;
        Ok(amounts.into_iter().collect())
    }

    fn declared(&mut self) -> std::io::Result<Option<DeclaredRow>> {
        match self.byte()? {
            0 => Ok(None),
            1 => Ok(Some(DeclaredRow {
                row: self.u32()?,
                amounts: self.amounts()?,
            })),
            _ => Err(broken()),
        }
    }

    fn columns(&mut self) -> std::io::Result<Vec<Option<u32>>> {
        self.list(256, Reader::opt_u32)
    }

    /// A table as [`encode_table`] wrote it; its units' parked projects are in the spill of
    /// `part`.
    fn table(&mut self, part: &SpilledText) -> std::io::Result<Table> {
        let sheet = self.opt_string()?;
        let layout = match self.byte()? {
            0 => LayoutKind::Wide,
            1 => LayoutKind::Long,
            2 => LayoutKind::Project,
            _ => return Err(broken()),
        };
        let header_row = self.u32()?;
        let fields = self.columns()?;
        let indicators = self.columns()?;
        let money_unit = self.string()?;
        let grand_total = self.declared()?;
        let units = self.list(1024, |r| r.unit(part))?;
        Ok(Table {
            sheet,
            layout,
            header_row,
            columns: Columns::from_parts(fields, indicators),
            money_unit,
            grand_total,
            units,
        })
    }

    fn unit(&mut self, part: &SpilledText) -> std::io::Result<Unit> {
        let name = self.string()?;
        let code = self.opt_string()?;
        let department = self.opt_string()?;
        let name_source = *NAME_SOURCES
            .get(usize::from(self.byte()?))
            .ok_or_else(broken)?;
        let declared = self.declared()?;
        let parked = match self.byte()? {
            0 => None,
            1 => Some(self.parked(part)?),
            _ => return Err(broken()),
        };
        Ok(Unit {
            name,
            code,
            department,
            name_source,
            declared,
            projects: Vec::new(),
            parked,
        })
    }

    fn parked(&mut self, part: &SpilledText) -> std::io::Result<ParkedProjects> {
        let parts = self.list(64, |r| Ok(part.beside(r.place()?)))?;
        let count = self.usize()?;
        let indicators = self.usize()?;
        let sums = self.list(64, |r| {
            Ok((FieldId(r.usize()?), Decimal::deserialize(r.take()?)))
        })?;
        let first_row = self.opt_u32()?;
        let (older, current) = self.signs()?;
        let widths = self.list(256, Reader::usize)?;
        Ok(ParkedProjects {
            parts,
            count,
            indicators,
            sums,
            first_row,
            older,
            current,
            widths,
        })
    }

    /// The scheme signs (older, current), as one byte.
    fn signs(&mut self) -> std::io::Result<(bool, bool)> {
        let signs = self.byte()?;
        Ok((signs & 1 != 0, signs & 2 != 0))
    }

    fn place(&mut self) -> std::io::Result<(u64, usize)> {
        Ok((self.u64()?, self.usize()?))
    }

    /// A count, then that many items read by `item` (room made for at most `room` at first:
    /// a damaged count must not ask for memory it does not hold).
    fn list<T>(
        &mut self,
        room: usize,
        mut item: impl FnMut(&mut Self) -> std::io::Result<T>,
    ) -> std::io::Result<Vec<T>> {
        let n = self.usize()?;
        let mut items = Vec::with_capacity(n.min(room));
        for _ in 0..n {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// A project as [`encode`] wrote it; its digest's texts are in the spill of `part`.
    fn project(&mut self, part: &SpilledText) -> std::io::Result<Project> {
        let row = self.u32()?;
        let name = self.string()?;
        let amounts = self.amounts()?;
        let cells = self.list(64, |r| Ok((FieldId(r.usize()?), r.u32()?, r.u32()?)))?;
        let count = self.usize()?;
        let cell = part.beside(self.place()?);
        let goal = part.beside(self.place()?);
        let (cell_width, goal_width) = (self.usize()?, self.usize()?);
        let (older, current) = self.signs()?;
        Ok(Project {
            row,
            name,
            amounts,
            cells,
            digest: Some(IndicatorDigest {
                count,
                older,
                current,
                texts: Some(DigestTexts {
                    cell,
                    goal,
                    cell_width,
                    goal_width,
                }),
            }),
            ..Project::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::NameSource;

    /// A digested project: its long texts in `spill`, its amounts of every kind.
    fn digested(spill: &Arc<Spill>, form: &Form, row: u32, name: &str) -> Project {
        let fields: Vec<FieldId> = form.amount_fields().collect();
        let amounts = fields
            .iter()
            .enumerate()
            .map(|(i, &f)| {
                let amount = match (i + row as usize) % 3 {
                    0 => Amount::Value(Decimal::new(12_345 + i64::from(row), 2)),
                    1 => Amount::Blank,
                    _ => Amount::Bad(format!("约{row}万")),
                };
                (f, amount)
            })
            .collect();
        Project {
            row,
            name: name.to_string(),
            amounts,
            cells: vec![(fields[0], row, 3)],
            digest: Some(IndicatorDigest {
                count: row as usize,
                texts: Some(DigestTexts {
                    cell: spill.put(&format!("数量指标：{name}\n质量指标")).unwrap(),
                    goal: spill.put(&format!("{name}的年度目标")).unwrap(),
                    cell_width: 20,
                    goal_width: 14 + row as usize,
                }),
                older: row == 7,
                current: true,
            }),
            ..Project::default()
        }
    }

    fn unit(projects: Vec<Project>) -> Unit {
        Unit {
            name: "示例单位".to_string(),
            code: None,
            department: None,
            name_source: NameSource::Title,
            declared: None,
            projects,
            parked: None,
        }
    }

    /// A unit of four digested projects, rows 5 to 8.
    fn four_projects(spill: &Arc<Spill>, form: &Form) -> Unit {
        unit(
            (5..9)
                .map(|row| digested(spill, form, row, &format!("项目{row}")))
                .collect(),
        )
    }

    /// A unit whose projects have left it counts them as the unit that holds them does.
    fn counts_as_held(form: &Form, kept: &Unit, held: &Unit) {
        assert!(kept.projects.is_empty());
        assert_eq!(kept.project_count(), held.project_count());
        assert_eq!(kept.indicator_count(), held.indicator_count());
        assert_eq!(kept.first_project_row(), held.first_project_row());
        for field in form.amount_fields() {
            assert_eq!(kept.column_sum(field), held.column_sum(field));
        }
        assert!(held.column_sum(form.amount_fields().next().unwrap()) > Decimal::ZERO);
        assert_eq!(
            form.taxonomy.scheme_of_unit(kept),
            form.taxonomy.scheme_of_unit(held)
        );
    }

    #[test]
    fn parked_projects_read_back_as_they_were_with_their_counts_and_sums() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let held = four_projects(&spill, &form);
        let mut parked = held.clone();
        let widths = |p: &Project| vec![p.name.len(), p.row as usize];
        assert!(park_unit(&form, &mut parked, &spill, widths).unwrap());
        let kept = parked.parked.as_ref().unwrap();
        assert_eq!(kept.widths[..2], [7, 8]);
        assert_eq!(kept.first_row, Some(5));
        assert_eq!(parked.project_count(), 4);
        counts_as_held(&form, &parked, &held);
        let back = projects_of(&parked).unwrap();
        assert_eq!(format!("{:?}", back), format!("{:?}", held.projects));
        for (b, h) in back.iter().zip(&held.projects) {
            let texts = |p: &Project| p.digest.as_ref().unwrap().texts.clone().unwrap();
            let (b, h) = (texts(b), texts(h));
            assert_eq!(b.cell.read().unwrap(), h.cell.read().unwrap());
            assert_eq!(b.goal.read().unwrap(), h.goal.read().unwrap());
        }
        // A held unit reads as it is, borrowed.
        assert!(matches!(projects_of(&held).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn counted_projects_keep_what_the_reports_count() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let held = four_projects(&spill, &form);
        let mut counted = held.clone();
        count_projects(&form, &mut counted);
        assert_eq!(counted.project_count(), 4);
        counts_as_held(&form, &counted, &held);
        // Nothing to read back, and counted once only.
        assert!(projects_of(&counted).unwrap().is_empty());
        count_projects(&form, &mut counted);
        assert_eq!(counted.project_count(), 4);
        // A unit without projects is left as it is.
        let mut empty = unit(Vec::new());
        count_projects(&form, &mut empty);
        assert!(empty.parked.is_none());
    }

    #[test]
    fn a_unit_with_a_project_not_digested_stays_held() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let mut projects = vec![digested(&spill, &form, 5, "甲")];
        projects.push(Project {
            row: 6,
            name: "乙".to_string(),
            goal: "目标".to_string(),
            ..Project::default()
        });
        let mut held = unit(projects);
        assert!(!park_unit(&form, &mut held, &spill, |_| Vec::new()).unwrap());
        assert_eq!((held.projects.len(), held.parked.is_none()), (2, true));
    }

    #[test]
    fn a_damaged_part_is_an_error_not_a_panic() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let mut bytes = Vec::new();
        encode(&digested(&spill, &form, 5, "甲"), &mut bytes);
        for cut in [1, 5, bytes.len() / 2, bytes.len() - 1] {
            let mut parked = unit(Vec::new());
            parked.parked = Some(ParkedProjects {
                parts: vec![spill.put_bytes(&bytes[..cut]).unwrap()],
                count: 1,
                indicators: 0,
                sums: Vec::new(),
                first_row: None,
                older: false,
                current: false,
                widths: Vec::new(),
            });
            let err = projects_of(&parked).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidData, "cut at {cut}");
        }
    }

    /// A submission of two tables, each of two units with digested projects, every optional
    /// field given in one and left out in the other, and amounts of every kind.
    fn submission(spill: &Arc<Spill>, form: &Form) -> Submission {
        let fields: Vec<FieldId> = form.amount_fields().collect();
        let declared = |row: u32| DeclaredRow {
            row,
            amounts: [
                (fields[0], Amount::Value(Decimal::new(98_765, 2))),
                (fields[1], Amount::Blank),
                (fields[2], Amount::Bad("约五万".to_string())),
            ]
            .into_iter()
            .collect(),
        };
        let mut tables = Vec::new();
        for (t, layout) in [LayoutKind::Wide, LayoutKind::Project]
            .into_iter()
            .enumerate()
        {
            let mut columns = form.no_columns::<u32>();
            columns.set_field(fields[t], 3 + t as u32);
            let units = NAME_SOURCES[t * 2..t * 2 + 2]
                .iter()
                .enumerate()
                .map(|(u, &source)| {
                    let row = 5 + 10 * (t as u32 * 2 + u as u32);
                    let mut unit = unit(vec![
                        digested(spill, form, row, &format!("项目{row}")),
                        digested(spill, form, row + 1, &format!("项目{}", row + 1)),
                    ]);
                    unit.name = format!("单位{t}{u}");
                    unit.name_source = source;
                    if u == 0 {
                        unit.code = Some("042".to_string());
                        unit.department = Some("示例主管部门".to_string());
                        unit.declared = Some(declared(row - 1));
                    }
                    let widths = |p: &Project| vec![p.name.len(), 1000 + p.row as usize];
                    assert!(park_unit(form, &mut unit, spill, widths).unwrap());
                    unit
                })
                .collect();
            tables.push(Table {
                sheet: (t == 0).then(|| "Sheet1".to_string()),
                layout,
                header_row: 3 + t as u32,
                columns,
                money_unit: "万元".to_string(),
                grand_total: (t == 1).then(|| declared(4)),
                units,
            });
        }
        let mut sub = Submission::empty(
            std::path::Path::new("甲.xlsx"),
            "甲.xlsx",
            crate::base::model::FileStatus::Ok,
            Vec::new(),
        );
        sub.tables = tables;
        sub
    }

    #[test]
    fn parked_tables_read_back_as_they_were() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let held = submission(&spill, &form);
        let mut parked = held.clone();
        assert!(park_tables(&mut parked, &spill).unwrap());
        assert!(parked.tables.is_empty() && parked.has_tables());
        assert_eq!(parked.layout(), Some(LayoutKind::Wide));
        assert_eq!(parked.indicator_count(), held.indicator_count());
        assert!(held.indicator_count() > 0);
        let back = parked.tables_back().unwrap();
        assert!(matches!(back, Cow::Owned(_)));
        assert_eq!(format!("{:?}", back), format!("{:?}", held.tables));
        // The parked projects are read back through the tables read back.
        for (b, h) in back.iter().flat_map(|t| &t.units).zip(held.units()) {
            let (b, h) = (projects_of(b).unwrap(), projects_of(h).unwrap());
            assert_eq!(format!("{b:?}"), format!("{h:?}"));
            assert_eq!(b.len(), 2);
        }
        // A unit kept alone (for the whole-run sheets) reads back as it was, its projects
        // still in their spill even when it is kept in another; damaged, it is an error.
        let other = Spill::new().unwrap();
        for unit in back.iter().flat_map(|t| &t.units) {
            let part = park_unit_record(unit, &other).unwrap().unwrap();
            let again = unit_back(&part).unwrap();
            assert_eq!(format!("{again:?}"), format!("{unit:?}"));
            assert_eq!(projects_of(&again).unwrap().len(), 2);
            let bytes = part.read_bytes().unwrap();
            let cut = spill.put_bytes(&bytes[..bytes.len() - 1]).unwrap();
            assert_eq!(unit_back(&cut).unwrap_err().kind(), ErrorKind::InvalidData);
        }
        // A unit with projects of its own is not kept alone.
        let mut held_unit = held.tables[0].units[0].clone();
        held_unit.projects.push(Project::default());
        assert!(park_unit_record(&held_unit, &spill).unwrap().is_none());
        // Held tables read as they are, borrowed; parked ones are not parked again.
        assert!(matches!(held.tables_back().unwrap(), Cow::Borrowed(_)));
        assert!(!park_tables(&mut parked, &spill).unwrap());
    }

    #[test]
    fn tables_with_a_held_project_stay_held() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let mut sub = submission(&spill, &form);
        sub.tables[1].units[0].projects.push(Project {
            row: 90,
            name: "未摘要".to_string(),
            ..Project::default()
        });
        assert!(!park_tables(&mut sub, &spill).unwrap());
        assert!(sub.parked_tables.is_none() && sub.tables.len() == 2);
    }

    #[test]
    fn damaged_parked_tables_are_an_error_not_a_panic() {
        let form = Form::default_form();
        let spill = Spill::new().unwrap();
        let mut sub = submission(&spill, &form);
        assert!(park_tables(&mut sub, &spill).unwrap());
        let parked = sub.parked_tables.clone().unwrap();
        let bytes = parked.part.read_bytes().unwrap();
        for cut in [0, 1, 9, bytes.len() / 3, bytes.len() - 1] {
            sub.parked_tables = Some(ParkedTables {
                part: spill.put_bytes(&bytes[..cut]).unwrap(),
                ..parked.clone()
            });
            let err = sub.tables_back().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidData, "cut at {cut}");
            // The rules across files take such a file as one without tables.
            assert!(sub.tables_or_none().is_empty());
        }
        // Trailing bytes are damage too.
        let mut longer = bytes.clone();
        longer.push(0);
        sub.parked_tables = Some(ParkedTables {
            part: spill.put_bytes(&longer).unwrap(),
            ..parked
        });
        assert_eq!(
            sub.tables_back().unwrap_err().kind(),
            ErrorKind::InvalidData
        );
    }
}
