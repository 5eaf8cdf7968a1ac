//! The normalized data: what a submission says once its layout is understood. Amounts are
//! `Decimal` in the form's money unit (万元); every value keeps the row it came from.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::base::issue::{Issue, Rule, Severity};
use crate::base::spill::SpilledText;
use crate::base::text::Text;

/// A column of the form (an entry of `Form::fields`), valid for the form that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub(crate) usize);

impl FieldId {
    /// The field's place in the form's order (0 for the first column): where the official form
    /// and the template write it.
    pub fn position(self) -> usize {
        self.0
    }
}

/// A column of the long layout's indicator table (an entry of `Form::indicator_fields`), valid
/// for the form that gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndicatorFieldId(pub(crate) usize);

/// Where each column of a form was found on a sheet (`T` is a column number), looked up by
/// the form's typed ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns<T> {
    fields: Vec<Option<T>>,
    indicators: Vec<Option<T>>,
}

impl<T: Copy> Columns<T> {
    /// No column found yet, for a form of this many fields and indicator fields (see
    /// `Form::no_columns`).
    pub fn none(fields: usize, indicator_fields: usize) -> Columns<T> {
        Columns {
            fields: vec![None; fields],
            indicators: vec![None; indicator_fields],
        }
    }

    /// The column of a form field, if found.
    pub fn field(&self, id: FieldId) -> Option<T> {
        self.fields.get(id.0).copied().flatten()
    }

    /// The column of a long-layout indicator field, if found.
    pub fn indicator(&self, id: IndicatorFieldId) -> Option<T> {
        self.indicators.get(id.0).copied().flatten()
    }

    pub fn set_field(&mut self, id: FieldId, col: T) {
        if let Some(slot) = self.fields.get_mut(id.0) {
            *slot = Some(col);
        }
    }

    pub fn set_indicator(&mut self, id: IndicatorFieldId, col: T) {
        if let Some(slot) = self.indicators.get_mut(id.0) {
            *slot = Some(col);
        }
    }

    /// Every form-field column found.
    pub fn found_fields(&self) -> impl Iterator<Item = T> + '_ {
        self.fields.iter().flatten().copied()
    }

    /// The columns of the form fields, then of the indicator fields, in form order (what
    /// [`Columns::from_parts`] takes back).
    pub fn parts(&self) -> (&[Option<T>], &[Option<T>]) {
        (&self.fields, &self.indicators)
    }

    /// Columns from what [`Columns::parts`] gave.
    pub fn from_parts(fields: Vec<Option<T>>, indicators: Vec<Option<T>>) -> Columns<T> {
        Columns { fields, indicators }
    }

    /// The same columns with each number mapped (a row index to a file column, say).
    pub fn map<U>(&self, f: impl Fn(T) -> U) -> Columns<U> {
        Columns {
            fields: self.fields.iter().map(|c| c.map(&f)).collect(),
            indicators: self.indicators.iter().map(|c| c.map(&f)).collect(),
        }
    }
}

/// Which of the layouts of DOMAIN.md a table is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    /// Disclosure layout: one row per project, all indicators in one cell.
    Wide,
    /// Declaration layout: one row per indicator, the project's cells merged or on its first row.
    Long,
    /// Per-project form (申报表): one block per project, label/value rows, a funding block, goals
    /// and an indicator table.
    Project,
}

impl LayoutKind {
    pub fn label(self) -> &'static str {
        match self {
            LayoutKind::Wide => "公开版（每项目一行）",
            LayoutKind::Long => "申报版（每指标一行）",
            LayoutKind::Project => "单项目表（每项目一块）",
        }
    }
}

/// Where a unit's name was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NameSource {
    /// Its own unit row in the table.
    UnitRow,
    /// The "单位名称：" line above the table.
    Title,
    /// The sheet's name.
    Sheet,
    /// The file's name.
    File,
    /// A per-project form's 实施单位 (else its 主管部门).
    Block,
}

impl NameSource {
    pub fn label(self) -> &'static str {
        match self {
            NameSource::UnitRow => "单位行",
            NameSource::Title => "表头“单位名称”",
            NameSource::Sheet => "工作表名",
            NameSource::File => "文件名",
            NameSource::Block => "表内“实施单位”或“主管部门”",
        }
    }
}

/// One amount cell after parsing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Amount {
    /// Blank, "-" or "—": nothing.
    #[default]
    Blank,
    /// A number, converted to the form's money unit.
    Value(Decimal),
    /// Not a number; reported as bad-amount and left out of every sum.
    Bad(String),
}

impl Amount {
    /// The value for sums: blank counts as zero, a bad cell as nothing.
    pub fn for_sum(&self) -> Option<Decimal> {
        match self {
            Amount::Blank => Some(Decimal::ZERO),
            Amount::Value(d) => Some(*d),
            Amount::Bad(_) => None,
        }
    }
}

/// A row's amounts: one per amount field of the form, in form order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts {
    values: Vec<(FieldId, Amount)>,
}

impl Amounts {
    /// The amount of a field; blank when the row has none for it.
    pub fn get(&self, field: FieldId) -> &Amount {
        static BLANK: Amount = Amount::Blank;
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&BLANK, |(_, a)| a)
    }

    /// Every amount with its field, in form order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldId, &Amount)> {
        self.values.iter().map(|(f, a)| (*f, a))
    }

    /// Gives back the spare capacity of the values (see [`Submission::compact`]).
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
    }

    /// Whether every amount is blank.
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|(_, a)| *a == Amount::Blank)
    }
}

impl FromIterator<(FieldId, Amount)> for Amounts {
    fn from_iter<I: IntoIterator<Item = (FieldId, Amount)>>(iter: I) -> Amounts {
        Amounts {
            values: iter.into_iter().collect(),
        }
    }
}

/// A declared total row: 合计 or a unit row. Checked, never copied into outputs.
#[derive(Debug, Clone)]
pub struct DeclaredRow {
    /// 1-based row number.
    pub row: u32,
    pub amounts: Amounts,
}

/// A comparison in a target value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparison {
    #[serde(rename = "≥")]
    Ge,
    #[serde(rename = "≤")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Ge => "≥",
            Comparison::Le => "≤",
            Comparison::Gt => ">",
            Comparison::Lt => "<",
            Comparison::Eq => "=",
        }
    }
}

/// A target value (实施周期指标值 or 年度指标值): the text as written, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub text: Text,
    pub value: TargetValue,
}

impl Target {
    /// The numeric reading, when the target is a number.
    pub fn numeric(&self) -> Option<&NumericTarget> {
        match &self.value {
            TargetValue::Numeric(n) => Some(n),
            _ => None,
        }
    }
}

/// What a target value says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TargetValue {
    /// Nothing written.
    #[default]
    Empty,
    /// A number with an optional comparison and unit: `≥210万人`, `不低于90%`, `100%`.
    Numeric(NumericTarget),
    /// A grade: 良好及以上, 优秀, 达标.
    Grade(Text),
    /// 是 / 否.
    YesNo(bool),
    /// A deadline: 2025年9月30日前 (day absent for 2025年底前 or 2025年9月前).
    Deadline {
        year: u16,
        month: u8,
        day: Option<u8>,
    },
    /// Anything else, kept as written.
    Text,
}

/// The numeric reading of a target: `≥210万人` is (≥, 210, 万人).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumericTarget {
    pub comparison: Option<Comparison>,
    pub number: Decimal,
    pub unit: Text,
}

impl NumericTarget {
    /// Whether the target asks for at least the number (≥, >, = or no sign: a positive target).
    pub fn is_positive(&self) -> bool {
        !matches!(self.comparison, Some(Comparison::Le | Comparison::Lt))
    }

    /// Whether the unit is a percentage.
    pub fn is_percent(&self) -> bool {
        self.unit == "%"
    }
}

/// A category as written: code (if any) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CategoryRef {
    pub code: Option<Text>,
    pub name: Text,
}

impl CategoryRef {
    /// "1-产出指标" or "产出指标".
    pub fn render(&self) -> String {
        match &self.code {
            Some(c) => format!("{c}-{}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// One performance indicator (三级指标) with its category and targets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Indicator {
    /// 序号 as written.
    pub seq: Option<u32>,
    pub level1: CategoryRef,
    pub level2: CategoryRef,
    /// 三级指标: the indicator's name.
    pub name: Text,
    /// 实施周期指标值.
    pub period: Target,
    /// 年度指标值.
    pub annual: Target,
    /// The row the indicator is written on, where it has one of its own (per-project forms);
    /// otherwise its issues name the project's indicator cell.
    pub row: Option<u32>,
    /// 分值 or 权重, when the form has the column and the cell is a number.
    pub weight: Option<Decimal>,
    /// 指标方向性 as written (正向指标, 反向指标), where the form has it.
    pub direction: Option<Text>,
}

/// Indicator text that could not be read, quoted for the issue message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorFault {
    /// The item's number, if it had one.
    pub seq: Option<u32>,
    /// The text of the item as written.
    pub text: String,
    /// What is missing or wrong (Chinese).
    pub reason: String,
}

/// What a funding line is to the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingRole {
    /// 年度资金总额, 资金总额.
    Total,
    /// A part of the total ("其中：财政拨款", "（一）财政拨款小计").
    Part,
    /// A part of a part ("1、一般公共预算" under "（一）财政拨款小计").
    SubPart,
    /// Written beside the total, not under it (该项目支出上级资金 on the total's row): kept, not
    /// added up.
    Aside,
}

/// One line of a per-project form's funding block (项目资金), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLine {
    /// The label without "其中" or numbering (年度资金总额, 财政拨款, 上级资金, …).
    pub label: String,
    /// The form field the line adds to in the consolidated table (财政拨款 → fiscal); none for a
    /// total or a part with no column of its own (上级资金).
    pub field: Option<String>,
    pub amount: Amount,
    pub role: FundingRole,
    /// Whether the line belongs to the whole period (资金总额 beside 当年资金总额) rather than the
    /// year.
    pub period: bool,
    /// 1-based row and 0-based column of the amount.
    pub row: u32,
    pub col: u32,
}

/// One project row.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub row: u32,
    pub name: String,
    pub amounts: Amounts,
    pub goal: String,
    /// The indicator cell as written (wide layout), kept so that unreadable text is not lost.
    pub indicator_text: String,
    pub indicators: Vec<Indicator>,
    /// Pieces of the indicator text that could not be parsed.
    pub indicator_faults: Vec<IndicatorFault>,
    /// The period's goal (中期目标, 实施期绩效目标), beside `goal` (the year's), when the form has
    /// both.
    pub goal_period: String,
    /// A per-project form's funding block, line by line; empty for the list layouts.
    pub funding: Vec<FundingLine>,
    /// Where the project's own cells are (1-based row, 0-based column), when they are not on the
    /// project's row in the table's columns (per-project forms).
    pub cells: Vec<(FieldId, u32, u32)>,
    /// What is kept of the indicators once they are written out and dropped (a streaming
    /// consolidation, see `write::workbook::StreamingWorkbook`), or once the file is checked
    /// (`check`, see `process::shed_indicators`); `None` while `indicators` holds them.
    pub digest: Option<IndicatorDigest>,
}

/// What 汇总表 and the reports need of a project's indicators, kept when 指标明细 has their rows
/// and the indicators themselves are dropped (统计's counts by category are kept for the whole
/// run): memory then grows with projects, not with indicators (and once the projects are
/// parked, see `base::park`, with units).
#[derive(Debug, Clone)]
pub struct IndicatorDigest {
    pub count: usize,
    /// Whether an indicator shows the older scheme, and whether one shows the current one (see
    /// `Taxonomy::scheme_of`).
    pub older: bool,
    pub current: bool,
    /// The project's two long texts, its 绩效指标 cell and its goal, on disk for 汇总表; `None`
    /// in a run that writes no workbook (`check`), which needs only the counts.
    pub texts: Option<DigestTexts>,
}

/// A digested project's long texts, waiting on disk.
#[derive(Debug, Clone)]
pub struct DigestTexts {
    /// The official form's 绩效指标 cell.
    pub cell: SpilledText,
    /// The goal (`Project::goal`, then left empty).
    pub goal: SpilledText,
    /// The widest line of each, in display columns (for 汇总表's column widths).
    pub cell_width: usize,
    pub goal_width: usize,
}

impl Project {
    /// The number of indicators, whether they are held or digested.
    pub fn indicator_count(&self) -> usize {
        self.digest
            .as_ref()
            .map_or(self.indicators.len(), |d| d.count)
    }

    /// The long texts of a digested project, on disk for 汇总表 (none in `check`, or before the
    /// digest).
    pub fn digest_texts(&self) -> Option<&DigestTexts> {
        self.digest.as_ref()?.texts.as_ref()
    }

    /// Keeps a digest of the indicators (their count, the scheme signs `(older, current)` and,
    /// for 汇总表, the long `texts` on disk) and drops them, with what only a per-project form
    /// (`forms --layout project`) or 汇总表 shows: the goal (in `texts` when there are texts),
    /// the indicator text as written and its faults, the funding block and the period's goal.
    pub fn digest_indicators(
        &mut self,
        (older, current): (bool, bool),
        texts: Option<DigestTexts>,
    ) {
        self.digest = Some(IndicatorDigest {
            count: self.indicators.len(),
            older,
            current,
            texts,
        });
        self.goal = String::new();
        self.indicators = Vec::new();
        self.indicator_text = String::new();
        self.indicator_faults = Vec::new();
        self.funding = Vec::new();
        self.goal_period = String::new();
    }
}

/// One budget unit (预算单位) and its projects.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The name as written, without a code prefix.
    pub name: String,
    /// The code written before or after the name ("[042]", "820001-"), kept apart so that units
    /// match across files.
    pub code: Option<String>,
    /// 主管部门 (the department above the unit), where the form names it.
    pub department: Option<String>,
    pub name_source: NameSource,
    /// The unit row, when the table has one.
    pub declared: Option<DeclaredRow>,
    pub projects: Vec<Project>,
    /// Projects kept on disk rather than in `projects` (a streaming consolidation): they come
    /// before those of `projects`. Read them back with `base::park::projects_of`.
    pub parked: Option<ParkedProjects>,
}

/// A unit's digested projects, kept on disk once their 指标明细 rows are written (see
/// `base::park`), and what the run's counts, sums and sheets need of them without reading
/// them back. Memory then grows with units, not with projects.
#[derive(Debug, Clone)]
pub struct ParkedProjects {
    /// The encoded projects, in order: one part per unit parked (more than one once units are
    /// merged); none when only their counts were kept (`park::count_projects`).
    pub parts: Vec<SpilledText>,
    pub count: usize,
    pub indicators: usize,
    /// Each amount column's sum over the projects, as [`Unit::column_sum`] makes it.
    pub sums: Vec<(FieldId, Decimal)>,
    /// The first project's row (where a unit without a unit row is).
    pub first_row: Option<u32>,
    /// Whether a project's indicators show the older scheme, and whether one shows the current
    /// one (see `Taxonomy::scheme_of`).
    pub older: bool,
    pub current: bool,
    /// The widest line of each of the form's columns over the projects, in display columns
    /// (汇总表's column widths), in form order.
    pub widths: Vec<usize>,
}

impl ParkedProjects {
    /// Takes another unit's parked projects after these (the per-project forms of one unit,
    /// merged across files).
    pub fn absorb(&mut self, other: &ParkedProjects) {
        self.parts.extend(other.parts.iter().cloned());
        if self.count == 0 {
            self.first_row = other.first_row;
        }
        self.count += other.count;
        self.indicators += other.indicators;
        for (field, sum) in &other.sums {
            match self.sums.iter_mut().find(|(f, _)| f == field) {
                Some((_, mine)) => *mine += *sum,
                None => self.sums.push((*field, *sum)),
            }
        }
        self.older |= other.older;
        self.current |= other.current;
        if self.widths.len() < other.widths.len() {
            self.widths.resize(other.widths.len(), 0);
        }
        for (mine, theirs) in self.widths.iter_mut().zip(&other.widths) {
            *mine = (*mine).max(*theirs);
        }
    }
}

impl Unit {
    /// Takes another unit's projects after its own (the per-project forms of one unit, merged
    /// across files). A streaming consolidation parks every unit and a batch one none, so
    /// both units are parked or both held.
    pub fn absorb(&mut self, other: &Unit) {
        match (&mut self.parked, &other.parked) {
            (Some(mine), Some(theirs)) if self.projects.is_empty() => mine.absorb(theirs),
            (None, None) => self.projects.extend(other.projects.iter().cloned()),
            (mine, theirs) => {
                // Not met (see above): every project is kept, parked ones first.
                debug_assert!(false, "a parked unit merged with a held one");
                if let Some(theirs) = theirs {
                    match mine {
                        Some(mine) => mine.absorb(theirs),
                        None => *mine = Some(theirs.clone()),
                    }
                }
                self.projects.extend(other.projects.iter().cloned());
            }
        }
    }

    /// The number of projects, whether held or parked.
    pub fn project_count(&self) -> usize {
        self.projects.len() + self.parked.as_ref().map_or(0, |p| p.count)
    }

    /// The number of indicators, whether held, digested or parked.
    pub fn indicator_count(&self) -> usize {
        self.projects
            .iter()
            .map(Project::indicator_count)
            .sum::<usize>()
            + self.parked.as_ref().map_or(0, |p| p.indicators)
    }

    /// The first project's row, whether held or parked.
    pub fn first_project_row(&self) -> Option<u32> {
        match &self.parked {
            Some(p) if p.count > 0 => p.first_row,
            _ => self.projects.first().map(|p| p.row),
        }
    }

    /// The unit's 总计 recomputed from its project rows (zero for a form without a 总计).
    pub fn total(&self, total_field: Option<FieldId>) -> Decimal {
        total_field.map_or(Decimal::ZERO, |f| self.column_sum(f))
    }

    /// The sum of one amount column over the unit's project rows: blank cells count as zero,
    /// cells that are not numbers are left out. Totals are recomputed this way, never copied
    /// from the unit row.
    pub fn column_sum(&self, field: FieldId) -> Decimal {
        let parked = self.parked.as_ref().map_or(Decimal::ZERO, |p| {
            p.sums
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(Decimal::ZERO, |(_, sum)| *sum)
        });
        parked
            + self
                .projects
                .iter()
                .filter_map(|p| p.amounts.get(field).for_sum())
                .sum::<Decimal>()
    }
}

/// The form as found on one sheet.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: Option<String>,
    pub layout: LayoutKind,
    /// Header row (1-based).
    pub header_row: u32,
    /// File column (0-based) of each column of the form that was found.
    pub columns: Columns<u32>,
    /// The money unit the amounts were stated in.
    pub money_unit: String,
    pub grand_total: Option<DeclaredRow>,
    pub units: Vec<Unit>,
}

/// How processing one file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Read, no error-level issue.
    Ok,
    /// Read, with error-level issues.
    Issues,
    /// Could not be read at all.
    Failed,
    /// Not a submission (unsupported type).
    Skipped,
    /// Same bytes as another input; counted once.
    Duplicate,
}

impl FileStatus {
    /// How a file that was read ended: `Issues` when any issue is an error, else `Ok`.
    pub fn of(issues: &[Issue]) -> FileStatus {
        if issues.iter().any(|i| i.severity == Severity::Error) {
            FileStatus::Issues
        } else {
            FileStatus::Ok
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Ok => "通过",
            FileStatus::Issues => "有错误",
            FileStatus::Failed => "无法读取",
            FileStatus::Skipped => "已跳过",
            FileStatus::Duplicate => "重复文件",
        }
    }
}

/// Everything learnt from one input file.
#[derive(Debug, Clone)]
pub struct Submission {
    pub path: PathBuf,
    pub display: String,
    pub status: FileStatus,
    pub tables: Vec<Table>,
    pub issues: Vec<Issue>,
    /// The file's infos, kept on disk in a streaming consolidation (see `base::park`); they
    /// are then not in `issues`.
    pub parked_issues: Option<ParkedIssues>,
    /// The file's tables, kept on disk in a streaming consolidation once its projects are
    /// (see `base::park::park_tables`); `tables` is then empty. `park::TablesBack::tables_back`
    /// gives them either way.
    pub parked_tables: Option<ParkedTables>,
    /// Why a file was skipped, when it was.
    pub note: Option<String>,
}

/// A submission's tables kept on disk, with what is asked of them without reading them back.
#[derive(Debug, Clone)]
pub struct ParkedTables {
    pub part: SpilledText,
    /// The first table's layout.
    pub layout: Option<LayoutKind>,
    /// The indicators of every unit.
    pub indicators: usize,
}

/// A submission's infos kept on disk, in report order (`Issue::sort_key`), with their count by
/// rule: the summary counts them without reading them back.
#[derive(Debug, Clone)]
pub struct ParkedIssues {
    pub part: SpilledText,
    pub by_rule: Vec<(Rule, usize)>,
}

impl ParkedIssues {
    /// How many issues are parked.
    pub fn count(&self) -> usize {
        self.by_rule.iter().map(|(_, n)| n).sum()
    }
}

impl Submission {
    /// A submission with no tables, only issues (unreadable, skipped, duplicate).
    pub fn empty(path: &Path, display: &str, status: FileStatus, issues: Vec<Issue>) -> Submission {
        Submission {
            path: path.to_path_buf(),
            display: display.to_string(),
            status,
            tables: Vec::new(),
            issues,
            parked_issues: None,
            parked_tables: None,
            note: None,
        }
    }

    /// Whether the file gave any table (held or parked).
    pub fn has_tables(&self) -> bool {
        !self.tables.is_empty() || self.parked_tables.is_some()
    }

    /// The indicators of every unit, without reading parked tables back.
    pub fn indicator_count(&self) -> usize {
        self.parked_tables.as_ref().map_or(0, |p| p.indicators)
            + self.units().map(Unit::indicator_count).sum::<usize>()
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.tables.iter().flat_map(|t| t.units.iter())
    }

    /// Every project of the held tables, to change in place.
    pub fn projects_mut(&mut self) -> impl Iterator<Item = &mut Project> {
        self.tables
            .iter_mut()
            .flat_map(|t| t.units.iter_mut())
            .flat_map(|u| u.projects.iter_mut())
    }

    /// Gives back the spare capacity of what a submission keeps for the rest of a run (its
    /// tables, units, projects and issues, built by pushing, hold up to twice their length):
    /// a streaming consolidation keeps every submission until the end.
    pub fn compact(&mut self) {
        for table in &mut self.tables {
            for unit in &mut table.units {
                for project in &mut unit.projects {
                    project.name.shrink_to_fit();
                    project.amounts.shrink_to_fit();
                    project.cells.shrink_to_fit();
                }
                unit.projects.shrink_to_fit();
            }
            table.units.shrink_to_fit();
        }
        self.tables.shrink_to_fit();
        for issue in &mut self.issues {
            issue.message.shrink_to_fit();
        }
        self.issues.shrink_to_fit();
    }

    /// The layout of the first table, if any.
    pub fn layout(&self) -> Option<LayoutKind> {
        match &self.parked_tables {
            Some(parked) => parked.layout,
            None => self.tables.first().map(|t| t.layout),
        }
    }
}
