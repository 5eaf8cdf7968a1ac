//! The normalized data: what a submission says once its layout is understood. Amounts are
//! `Decimal` in the form's money unit (万元); every value keeps the row it came from.

use std::path::PathBuf;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::issue::Issue;

/// The kind of an input file, decided by its first bytes and then its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    /// An OLE container holding an encrypted OOXML package (a password-protected .xlsx).
    EncryptedOoxml,
    /// CSV, TSV or other delimited text.
    Text,
}

/// One input file found by discover.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The path as shown in reports: as discovered from the command line.
    pub display: String,
    pub kind: SourceKind,
    pub size: u64,
}

/// Which of the layouts of DOMAIN.md a table is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayoutKind {
    /// Disclosure layout: one row per project, all indicators in one cell.
    Wide,
    /// Declaration layout: one row per indicator, the project's cells merged or on its first row.
    Long,
}

impl LayoutKind {
    pub fn label(self) -> &'static str {
        match self {
            LayoutKind::Wide => "公开版（每项目一行）",
            LayoutKind::Long => "申报版（每指标一行）",
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
}

impl NameSource {
    pub fn label(self) -> &'static str {
        match self {
            NameSource::UnitRow => "单位行",
            NameSource::Title => "表头“单位名称”",
            NameSource::Sheet => "工作表名",
            NameSource::File => "文件名",
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

/// A row's amounts, one per amount field of the form (in form order), with their columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts {
    /// Indexed like `Form::amount_fields()`.
    pub values: Vec<Amount>,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub text: String,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetValue {
    /// Nothing written.
    Empty,
    /// A number with an optional comparison and unit: `≥210万人`, `不低于90%`, `100%`.
    Numeric(NumericTarget),
    /// A grade: 良好及以上, 优秀, 达标.
    Grade(String),
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
    pub unit: String,
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CategoryRef {
    pub code: Option<String>,
    pub name: String,
}

impl CategoryRef {
    /// "1-产出指标" or "产出指标".
    pub fn render(&self) -> String {
        match &self.code {
            Some(c) => format!("{c}-{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One performance indicator (三级指标) with its category and targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// 序号 as written.
    pub seq: Option<u32>,
    pub level1: CategoryRef,
    pub level2: CategoryRef,
    /// 三级指标: the indicator's name.
    pub name: String,
    /// 实施周期指标值.
    pub period: Target,
    /// 年度指标值.
    pub annual: Target,
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

/// One project row.
#[derive(Debug, Clone)]
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
}

/// One budget unit (预算单位) and its projects.
#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    pub name_source: NameSource,
    /// The unit row, when the table has one.
    pub declared: Option<DeclaredRow>,
    pub projects: Vec<Project>,
}

impl Unit {
    pub fn indicator_count(&self) -> usize {
        self.projects.iter().map(|p| p.indicators.len()).sum()
    }
}

/// The form as found on one sheet.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: Option<String>,
    pub layout: LayoutKind,
    /// Header row (1-based).
    pub header_row: u32,
    /// File column (0-based) of each form field that was found, indexed like `Form::fields`.
    pub columns: Vec<Option<u32>>,
    /// File column of each long-layout field found, indexed like `Form::indicator_fields`.
    pub indicator_columns: Vec<Option<u32>>,
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
    /// Why a file was skipped, when it was.
    pub note: Option<String>,
}

impl Submission {
    /// A submission with no tables, only issues (unreadable, skipped, duplicate).
    pub fn empty(source: &Source, status: FileStatus, issues: Vec<Issue>) -> Submission {
        Submission {
            path: source.path.clone(),
            display: source.display.clone(),
            status,
            tables: Vec::new(),
            issues,
            note: None,
        }
    }

    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.tables.iter().flat_map(|t| t.units.iter())
    }

    /// The layout of the first table, if any.
    pub fn layout(&self) -> Option<LayoutKind> {
        self.tables.first().map(|t| t.layout)
    }
}
