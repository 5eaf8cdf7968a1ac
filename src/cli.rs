//! Command-line arguments. clap's derive structs only describe the flags; [`crate::app`] turns
//! them into a plan that the stages read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// jixiao (绩效): consolidate and check 项目支出绩效目标表 (project expenditure performance target
/// tables) submitted by many budget units.
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 no error-level issue (错误), 1 error-level issues found (outputs still \
                  written), 2 the run itself failed (bad arguments, unreadable form definition, \
                  output not writable)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read all submissions, check them and write the consolidated workbook (汇总表, 指标明细,
    /// 问题清单, 报送情况, 统计).
    Consolidate(ConsolidateArgs),
    /// Read and check all submissions; print the report (问题清单) to stdout.
    Check(CheckArgs),
    /// Write each unit's official form (项目支出绩效目标表), print-ready, one workbook per unit.
    Forms(FormsArgs),
    /// Write next year's blank submission template (long layout, with dropdown lists).
    Template(TemplateArgs),
}

#[derive(Debug, Args)]
pub struct FormsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The folder to write the forms to (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// list: the official list, a row per project; project: a per-project form (申报表) per
    /// project, A4 portrait.
    #[arg(long, value_enum, default_value_t = LayoutArg::List)]
    pub layout: LayoutArg,
}

/// How `forms` lays out a unit's projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// The official list: a row per project.
    List,
    /// A per-project form (申报表) per project.
    Project,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The template to write (.xlsx).
    #[arg(short, long, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// Form definition (TOML) to use instead of the built-in 项目支出绩效目标表.
    #[arg(long, value_name = "TOML")]
    pub form: Option<PathBuf>,
}

/// Options shared by every command that reads submissions.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Submission files or folders (searched recursively): .xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Form definition (TOML) to use instead of the built-in 项目支出绩效目标表.
    #[arg(long, value_name = "TOML")]
    pub form: Option<PathBuf>,
    /// Roster of the units expected to submit (.xlsx/.xls/.ods/.csv with 单位名称 and optionally
    /// 预算总额): reports missing-submission, unknown-unit and budget-mismatch.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(short, long, default_value_t = 0, value_name = "N")]
    pub jobs: usize,
    /// List only issues of this severity or worse (error, warning, info). The summary and the
    /// exit status still count every issue.
    #[arg(long, value_enum, default_value_t = SeverityArg::Info, value_name = "LEVEL")]
    pub severity: SeverityArg,
    /// List only issues of these rules (a code of the catalogue; repeatable).
    #[arg(long = "rule", value_name = "CODE")]
    pub rules: Vec<String>,
    /// No progress bar and no summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The consolidated workbook to write (.xlsx).
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub output: PathBuf,
    /// Also write the JSON report to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Readable report grouped by file, then a summary.
    Text,
    /// The JSON report (summary, files, issues).
    Json,
    /// One row per issue (severity, rule, file, sheet, row, cell, unit, project, message).
    Csv,
}
