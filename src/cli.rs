//! Command-line arguments. clap's derive structs only describe the flags; [`crate::app`] turns
//! them into a plan that the stages read. The help speaks the users' language: the doc comments
//! below are the Chinese help texts, and [`command`] puts clap's own headings and texts (用法,
//! 命令, 参数, 选项, the help and version flags) in Chinese too. The flags stay in English.

use std::path::PathBuf;

use clap::{Args, Command as ClapCommand, CommandFactory, Parser, Subcommand, ValueEnum};

/// The layout of every help page: clap's `Usage:` heading in Chinese.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// jixiao（绩效）：批量检查、汇总各预算单位报送的项目支出绩效目标表。
///
/// 读取各单位报送的表格（.xlsx .xls .ods .csv 等，文件或文件夹），逐项检查，列出每个问题所在的文件、工作表、行和单元格，并生成部门汇总表。
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    long_about = None,
    after_help = "退出状态：0 没有错误级问题；1 发现错误级问题（输出文件照常写出）；\
                  2 运行本身失败（参数错误、输入不存在、表单定义无法读取、输出无法写入）。"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 读取并检查全部报送表，生成汇总工作簿（汇总表、指标明细、问题清单、报送情况、统计）
    Consolidate(ConsolidateArgs),
    /// 只检查全部报送表，把问题清单输出到标准输出（文本、JSON 或 CSV）
    Check(CheckArgs),
    /// 为每个单位生成一份可直接打印的正式表格（项目支出绩效目标表），每个单位一个工作簿
    Forms(FormsArgs),
    /// 生成下一年度的空白填报模板（每行一个指标，带下拉选项）
    Template(TemplateArgs),
    /// 为每个单位生成一份审核意见工作簿：问题清单，以及标出问题单元格的原表副本，可直接发回单位
    Feedback(FeedbackArgs),
    /// 启动收集网页：单位通过报送链接上传并立即看到检查结果，部门通过审核链接查看报送情况并下载汇总
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 数据文件夹：保存本轮的数据库和各单位上传的原始文件（不存在时自动创建）
    #[arg(long, value_name = "DIR", default_value = "jixiao-data")]
    pub data: PathBuf,
    /// 监听地址；默认只接受本机访问，在办公网内使用时设为 0.0.0.0 或本机的内网地址
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// 端口（0 表示由系统选一个空闲端口）
    #[arg(long, value_name = "N", default_value_t = 8080)]
    pub port: u16,
    /// 收集轮次的名称（第一次启动时使用）
    #[arg(long, value_name = "NAME", default_value = "项目支出绩效目标收集")]
    pub round: String,
    /// 使用的表单定义（TOML），默认是内置的项目支出绩效目标表
    #[arg(long, value_name = "TOML")]
    pub form: Option<PathBuf>,
    /// 应报送单位名册（.xlsx/.xls/.ods/.csv，含“单位名称”列）
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// 单个上传文件的上限（MB），默认与命令行相同：256
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub max_file_mb: u64,
}

#[derive(Debug, Args)]
pub struct FeedbackArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 审核意见写入的文件夹（不存在时自动创建）
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct FormsArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 表格写入的文件夹（不存在时自动创建）
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// 版式：list 为正式清单，每个项目一行（默认）；project 为每个项目一张申报表，A4 纵向
    #[arg(
        long,
        value_enum,
        default_value_t = LayoutArg::List,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub layout: LayoutArg,
}

/// How `forms` lays out a unit's projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// 正式清单，每个项目一行
    List,
    /// 每个项目一张申报表
    Project,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 要写出的模板文件（.xlsx）
    #[arg(short, long, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// 表单定义文件（TOML），代替内置的项目支出绩效目标表
    #[arg(long, value_name = "TOML")]
    pub form: Option<PathBuf>,
}

/// Options shared by every command that reads submissions.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// 报送的文件或文件夹（文件夹会逐层查找）：.xlsx .xlsm .xlsb .xls .ods .csv .tsv .txt .html
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// 表单定义文件（TOML），代替内置的项目支出绩效目标表
    #[arg(long, value_name = "TOML")]
    pub form: Option<PathBuf>,
    /// 应报送单位的名册（.xlsx/.xls/.ods/.csv，含“单位名称”列，可含“预算总额”列）：据此报告未报送、不在名册中和预算总额不符的单位
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// 并行处理的线程数（默认 0：每个 CPU 核一个）
    #[arg(
        short,
        long,
        default_value_t = 0,
        value_name = "N",
        hide_default_value = true
    )]
    pub jobs: usize,
    /// 只列出此级别及更严重的问题：error（错误）、warning（警告）、info（提示，默认，全部列出）。汇总数字和退出状态仍计入全部问题
    #[arg(
        long,
        value_enum,
        default_value_t = SeverityArg::Info,
        value_name = "LEVEL",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub severity: SeverityArg,
    /// 只列出这些规则的问题（规则代码，如 sum-mismatch；可重复使用）
    #[arg(long = "rule", value_name = "CODE")]
    pub rules: Vec<String>,
    /// 不显示进度条，也不在标准错误输出上打印汇总
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 要写出的汇总工作簿（必须是 .xlsx）
    #[arg(short, long, value_name = "OUT.xlsx")]
    pub output: PathBuf,
    /// 同时把 JSON 报告写入此文件
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// 指标明细的写法：sheet 为汇总工作簿中的工作表（默认，超过 Excel 单表行数上限时续写到“指标明细2”…）；csv 为汇总工作簿旁的 CSV 文件“<工作簿名>_指标明细.csv”（UTF-8 带 BOM，可直接用 Excel/WPS 打开），适合指标很多、工作簿难以打开的汇总
    #[arg(
        long,
        value_enum,
        default_value_t = DetailFormat::Sheet,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub detail: DetailFormat,
}

/// Where 指标明细 goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailFormat {
    /// 汇总工作簿中的工作表
    Sheet,
    /// 汇总工作簿旁的 CSV 文件
    Csv,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// 报告格式：text 为按文件分组的文字报告（默认）；json 为 JSON 报告；csv 为每个问题一行的表格（UTF-8 带 BOM，可直接用 Excel/WPS 打开）
    #[arg(
        long,
        value_enum,
        default_value_t = ReportFormat::Text,
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: ReportFormat,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// 错误
    Error,
    /// 警告
    Warning,
    /// 提示
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// 按文件分组的文字报告，最后是汇总
    Text,
    /// JSON 报告（summary、files、issues）
    Json,
    /// 每个问题一行的 CSV（级别、规则、规则说明、文件、工作表、行、单元格、单位、项目、说明）
    Csv,
}

/// The command line with its help in Chinese: the help template (用法), the headings of the
/// commands (命令), arguments (参数) and options (选项), and the texts of the flags and the
/// subcommand that clap adds itself (`-h`, `-V`, `help`).
pub fn command() -> ClapCommand {
    let mut cmd = Cli::command();
    // Built first, so that the flags and the `help` subcommand that clap adds are there to
    // translate, in every subcommand.
    cmd.build();
    localize(cmd)
}

fn localize(cmd: ClapCommand) -> ClapCommand {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let arg = match arg.get_help_heading() {
                Some(_) => arg,
                None => arg.help_heading(heading),
            };
            match arg.get_id().as_str() {
                "help" if !arg.is_positional() => arg.help("显示帮助").long_help(None),
                "version" => arg.help("显示版本号"),
                "subcommand" => arg.help("要查看帮助的命令"),
                _ => arg,
            }
        })
        .mut_subcommands(|sub| {
            let sub = if sub.get_name() == "help" {
                sub.about("显示本帮助，或某个命令的帮助")
            } else {
                sub
            };
            localize(sub)
        })
}

/// A refused command line in Chinese, as `jixiao` prints it on stderr: what is wrong, the usage
/// (用法) and where the help is. `None` for what is not a mistake: the help and the version,
/// which clap prints itself.
pub fn parse_error_message(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) if !v.is_empty() => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) if !v.is_empty() => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "无法识别的命令“{}”",
            text(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值"),
        ErrorKind::InvalidValue => {
            let mut what = format!("{arg} 的值“{value}”无效");
            if let Some(valid) = text(ContextKind::ValidValue) {
                what.push_str(&format!("，可选：{valid}"));
            }
            what
        }
        ErrorKind::ValueValidation => match std::error::Error::source(e) {
            Some(why) => format!(
                "{arg} 的值“{value}”无效（{}）",
                why_in_chinese(&why.to_string())
            ),
            None => format!("{arg} 的值“{value}”无效"),
        },
        ErrorKind::NoEquals => format!("{arg} 的值须用“=”连接"),
        ErrorKind::TooManyValues => format!("{arg} 的值太多：“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值个数不对")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} 不能与 {} 同时使用",
            text(ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => format!("命令行参数有误（{}）", e.kind().as_str().unwrap_or("clap")),
    };
    let suggested =
        text(ContextKind::SuggestedArg).or_else(|| text(ContextKind::SuggestedSubcommand));
    if let Some(s) = suggested {
        what.push_str(&format!("；是否想用“{s}”？"));
    }
    let mut out = format!("jixiao: {what}\n");
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n运行 jixiao --help（或 jixiao <命令> --help）查看帮助。\n");
    Some(out)
}

/// Why clap refused a number, in Chinese: the messages of the standard library's integer parsing
/// and of clap's range check; any other as it is.
fn why_in_chinese(why: &str) -> String {
    if why.contains("invalid digit") {
        "不是整数".to_string()
    } else if why.contains("too large") || why.contains("too small") {
        "数字超出范围".to_string()
    } else if why.contains("empty string") {
        "值为空".to_string()
    } else if let Some((_, range)) = why.split_once(" is not in ") {
        format!("须在 {} 之内", range.replace("..=", " 到 "))
    } else {
        why.to_string()
    }
}
