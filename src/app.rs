//! The run: arguments validated once into a [`Plan`], then discover → process → consolidate →
//! write, and the exit status settled at the end (0 no error-level issue, 1 errors found, 2 the
//! run itself failed).

use std::path::{Path, PathBuf};

use crate::base::form::{Form, FormError};
use crate::base::issue::{IssueFilter, Rule, Severity};
use crate::base::memory::{give_back_at_once, release_freed_memory, RELEASE_EVERY};
use crate::base::model::Unit;
use crate::base::text::group_digits;
use crate::cli::{
    CheckArgs, Cli, Command, CommonArgs, ConsolidateArgs, DetailFormat, FeedbackArgs, FormsArgs,
    LayoutArg, ReportFormat, ServeArgs, SeverityArg, TemplateArgs,
};
use crate::consolidate::{consolidate, Consolidation};
use crate::discover::{discover, DiscoverError};
use crate::process::{process_streaming, process_with, Keep, Progress};
use crate::roster::{load_roster, Roster, RosterError};
use crate::write::csv::render_csv;
use crate::write::feedback::feedback_workbooks;
use crate::write::forms::{form_paths, write_marked_unit_forms, FormLayout};
use crate::write::json::write_json;
use crate::write::template::build_template;
use crate::write::text::{render_summary, render_text, written_line};
use crate::write::workbook::{counted_units, DetailTarget, StreamError, StreamingWorkbook};
use crate::write::{write_atomically, PreparedOutput, WriteError};

/// Why a run could not be carried out (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    #[error("输出文件 {0} 是输入文件之一，拒绝覆盖")]
    OutputIsInput(String),
    #[error("两个输出指向同一个文件 {0}（-o 与 --json 必须不同）")]
    SameOutput(String),
    #[error("收集网页无法运行：{0}")]
    Serve(String),
    #[error("未知的规则代码：{code}。--rule 可用的规则代码有：\n{valid}")]
    UnknownRule { code: String, valid: String },
    #[error("{what}只能写成 .xlsx 工作簿，而 -o 给出的是 {path}；请改用以 .xlsx 结尾的文件名")]
    NotXlsx { what: &'static str, path: String },
    #[error("输出路径 {0} 已存在且不是文件夹")]
    NotAFolder(String),
    #[error("输出目录不存在：{0}")]
    NoOutputDir(String),
}

/// What the run reads and writes, decided once from the arguments.
#[derive(Debug)]
pub struct Plan {
    pub inputs: Vec<PathBuf>,
    pub form: Form,
    pub jobs: usize,
    pub quiet: bool,
    pub roster: Option<Roster>,
    /// Which issues are listed.
    pub filter: IssueFilter,
}

impl Plan {
    fn from_args(args: &CommonArgs) -> Result<Plan, AppError> {
        let rules = args
            .rules
            .iter()
            .map(|code| parse_rule(code))
            .collect::<Result<_, _>>()?;
        let form = match &args.form {
            Some(path) => Form::load(path)?,
            None => Form::default_form(),
        };
        let roster = match &args.roster {
            Some(path) => Some(load_roster(path, &form)?),
            None => None,
        };
        // `--jobs` bounds every parallel step, not only the files' processing: discover's look
        // at each file and 汇总表's rows run on rayon's global pool. Built once per process; a
        // pool already built (never, from the command line) is kept as it is.
        if args.jobs > 0 {
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(args.jobs)
                .build_global();
        }
        let severity = match args.severity {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        };
        Ok(Plan {
            filter: IssueFilter { severity, rules },
            inputs: args.inputs.clone(),
            roster,
            form,
            jobs: args.jobs,
            quiet: args.quiet,
        })
    }

    /// Discovers, reads, checks and consolidates every input, after making sure that none of
    /// `outputs` is an input, keeping of each file what `keep` says. Returns the consolidation
    /// and the input files.
    fn consolidate(
        &self,
        outputs: &[&Path],
        keep: Keep,
    ) -> Result<(Consolidation, Vec<PathBuf>), AppError> {
        self.consolidate_into(outputs, Intake::Held(keep))
    }

    /// [`Plan::consolidate`], the files held or streamed as `intake` says; a streamed run's
    /// first write error stops it.
    fn consolidate_into(
        &self,
        outputs: &[&Path],
        intake: Intake<'_>,
    ) -> Result<(Consolidation, Vec<PathBuf>), AppError> {
        let discovery = discover(&self.inputs)?;
        let inputs: Vec<PathBuf> = discovery.sources.iter().map(|s| s.path.clone()).collect();
        for out in outputs {
            check_output_path(out, inputs.iter().map(PathBuf::as_path))?;
        }
        let progress = Progress::new(discovery.sources.len() as u64, self.quiet);
        let submissions = match intake {
            Intake::Held(keep) => {
                process_with(&discovery.sources, &self.form, self.jobs, &progress, keep)
            }
            Intake::Streamed(workbook, named) => {
                let mut watch = (!self.quiet && workbook.details_in_sheets())
                    .then(|| OutgrowWatch::new(discovery.sources.len(), EXCEL_DETAIL_ROWS));
                let preparer = workbook.preparer();
                let mut sunk = 0usize;
                let kept = process_streaming(
                    &discovery.sources,
                    &self.form,
                    self.jobs,
                    &progress,
                    |sub| preparer.prepare(&self.form, sub),
                    |sub, prepared| {
                        if let Some(warning) = watch.as_mut().and_then(|w| w.see(sub)) {
                            progress.say(&warning);
                        }
                        // What the workers freed is given back as the files stream in, and
                        // once more when they are all in (see `base::memory`).
                        sunk += 1;
                        if sunk.is_multiple_of(RELEASE_EVERY) {
                            release_freed_memory();
                        }
                        workbook.add_prepared(prepared)
                    },
                )
                .map_err(named)?;
                release_freed_memory();
                kept
            }
        };
        let mut c = consolidate(&self.form, submissions, &discovery, self.roster.as_ref());
        // The bar's last count is the summary's: the rules across files add their errors.
        progress.finish(c.summary.errors);
        c.retain(self.filter.clone());
        Ok((c, inputs))
    }
}

/// Where a run's files go as they are processed.
enum Intake<'w> {
    /// Held in memory, with what `Keep` says of each.
    Held(Keep),
    /// Their 指标明细 rows written into a workbook as they come (the callback names its errors).
    Streamed(
        &'w mut StreamingWorkbook,
        &'w dyn Fn(StreamError) -> WriteError,
    ),
}

/// The rule of a `--rule` code; an unknown code is an error listing the valid ones.
fn parse_rule(code: &str) -> Result<Rule, AppError> {
    Rule::from_code(code.trim()).ok_or_else(|| AppError::UnknownRule {
        code: code.to_string(),
        valid: Rule::ALL
            .iter()
            .map(|r| format!("  {}（{}，{}）", r.code(), r.severity().label(), r.title()))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}

/// Refuses a workbook output (`-o`) whose name does not end in .xlsx: jixiao writes an Excel
/// workbook, and Excel refuses to open one named .csv or .xls.
fn check_xlsx_output(out: &Path, what: &'static str) -> Result<(), AppError> {
    let is_xlsx = out
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        Ok(())
    } else {
        Err(AppError::NotXlsx {
            what,
            path: out.display().to_string(),
        })
    }
}

/// Refuses an output that is one of the inputs or whose folder does not exist.
fn check_output_path<'a>(
    out: &Path,
    inputs: impl Iterator<Item = &'a Path>,
) -> Result<(), AppError> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(AppError::NoOutputDir(dir.display().to_string()));
        }
    }
    if let Ok(target) = out.canonicalize() {
        for input in inputs {
            if input.canonicalize().is_ok_and(|i| i == target) {
                return Err(AppError::OutputIsInput(out.display().to_string()));
            }
        }
    }
    Ok(())
}

/// Refuses two outputs of one run that are the same file (`-o X --json X` would leave only the
/// JSON).
fn check_distinct_outputs(outputs: &[&Path]) -> Result<(), AppError> {
    let key = |p: &Path| {
        std::path::absolute(p)
            .map(|a| {
                // The folder as the file system resolves it, the name as given.
                match (
                    a.parent().and_then(|d| d.canonicalize().ok()),
                    a.file_name(),
                ) {
                    (Some(dir), Some(name)) => dir.join(name),
                    _ => a,
                }
            })
            .unwrap_or_else(|_| p.to_path_buf())
    };
    for (i, a) in outputs.iter().enumerate() {
        for b in &outputs[i + 1..] {
            if key(a) == key(b) {
                return Err(AppError::SameOutput(a.display().to_string()));
            }
        }
    }
    Ok(())
}

/// Stops the run cleanly on SIGINT or SIGTERM: the temporary outputs are removed and the exit
/// status is 128 + the signal (130, 143), as shells expect.
fn remove_temporary_outputs_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    crate::write::remove_pending_outputs_and_exit(128 + signal);
                }
            });
        }
    }
}

/// Runs the command line; returns the exit status (0 or 1) or the error that stopped the run.
///
/// # Errors
/// Bad form definition, missing input, output not writable.
pub fn run(cli: Cli) -> Result<u8, AppError> {
    remove_temporary_outputs_on_signals();
    match cli.command {
        Command::Consolidate(args) => run_consolidate(&args),
        Command::Check(args) => run_check(&args),
        Command::Forms(args) => run_forms(&args),
        Command::Template(args) => run_template(&args),
        Command::Feedback(args) => run_feedback(&args),
        Command::Serve(args) => run_serve(&args),
    }
}

fn exit_status(c: &Consolidation) -> u8 {
    u8::from(c.summary.errors > 0)
}

fn run_consolidate(args: &ConsolidateArgs) -> Result<u8, AppError> {
    // Memory that stays flat however many files are read (see `base::memory`).
    give_back_at_once();
    check_xlsx_output(&args.output, "汇总工作簿")?;
    let plan = Plan::from_args(&args.common)?;
    let detail_csv = (args.detail == DetailFormat::Csv).then(|| detail_csv_path(&args.output));
    let mut outputs = vec![args.output.as_path()];
    outputs.extend(args.json.as_deref());
    outputs.extend(detail_csv.as_deref());
    check_distinct_outputs(&outputs)?;
    // Every output's temporary file first: a folder that cannot be written stops the run now,
    // before the work, and a failure of one output never leaves the other replaced.
    let mut workbook_out = PreparedOutput::new(&args.output)?;
    let mut json_out = args.json.as_deref().map(PreparedOutput::new).transpose()?;
    let detail_out = detail_csv.as_deref().map(PreparedOutput::new).transpose()?;
    let named = |e| stream_error(e, &args.output, detail_csv.as_deref());
    let target = match (&detail_out, &detail_csv) {
        (Some(out), Some(path)) => DetailTarget::Csv {
            file: out.file()?,
            name: path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        },
        _ => DetailTarget::Sheets,
    };
    let mut streaming = StreamingWorkbook::new(target).map_err(named)?;
    let (c, _) = plan.consolidate_into(&outputs, Intake::Streamed(&mut streaming, &named))?;
    // The stages after the files each free what they made before the next allocates on other
    // threads: what the cross-file rules, then the whole-run sheets, freed is given back first.
    release_freed_memory();
    // The JSON report is written beside the whole-run sheets, on a thread of its own. Then the
    // files' records are let go (the summary is rendered first) and what they held is given
    // back, so that the save, which needs none of them, does not add to a peak they make: at
    // 10,000 files the peak moved from the save (53 MiB) to the sheets (49 to 50 MiB).
    let (finished, json_written) = std::thread::scope(|scope| {
        let json = json_out.as_mut().map(|out| {
            let c = &c;
            let form = &plan.form;
            scope.spawn(move || {
                out.fill_with(|w| write_json(form, c, w).map_err(std::io::Error::from))
            })
        });
        let finished = streaming.finish(&plan.form, &c);
        (finished, json.map(|j| j.join()))
    });
    let mut workbook = finished.map_err(named)?;
    match json_written {
        Some(Ok(written)) => written?,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        None => {}
    }
    let summary = (!plan.quiet).then(|| render_summary(&plan.form, &c));
    let status = exit_status(&c);
    drop(c);
    release_freed_memory();
    workbook_out.fill_workbook(&mut workbook)?;
    // The workbook last: once it is in place, what its 指标明细 note names is in place too.
    if let Some(out) = detail_out {
        out.commit()?;
    }
    if let Some(out) = json_out {
        out.commit()?;
    }
    workbook_out.commit()?;
    if !plan.quiet {
        eprint!("{}", summary.unwrap_or_default());
        eprint!("{}", written_line("汇总工作簿", &args.output));
        if let Some(path) = &detail_csv {
            eprint!("{}", written_line("指标明细 CSV", path));
        }
        if let Some(json) = &args.json {
            eprint!("{}", written_line("JSON 报告", json));
        }
        if detail_csv.is_none() {
            if let Some(stale) = earlier_detail_csv(&args.output) {
                eprintln!(
                    "注意：{} 是之前一次运行（--detail csv）写出的指标明细，不属于本次汇总；本次的指标明细在汇总工作簿的“指标明细”工作表中",
                    stale.display()
                );
            }
        }
    }
    left_for_exit(workbook);
    Ok(status)
}

/// A streaming workbook's error as the error of the file at fault: the workbook, the 指标明细
/// CSV, or the temporary folder that holds the long texts.
fn stream_error(e: StreamError, workbook: &Path, detail_csv: Option<&Path>) -> WriteError {
    match e {
        StreamError::Workbook(source) => WriteError::Xlsx {
            path: workbook.display().to_string(),
            source,
        },
        StreamError::DetailCsv(source) => WriteError::Io {
            path: detail_csv.unwrap_or(workbook).display().to_string(),
            source,
        },
        StreamError::Spill(source) => spill_error(source),
    }
}

/// An error of the temporary file that holds what a run parks, as the error of its folder.
fn spill_error(source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: format!("临时文件夹 {}", std::env::temp_dir().display()),
        source,
    }
}

/// Where `--detail csv` writes 指标明细: beside the workbook, "<its stem>_指标明细.csv".
fn detail_csv_path(workbook: &Path) -> PathBuf {
    let stem = workbook
        .file_stem()
        .map_or_else(|| "汇总".into(), |s| s.to_string_lossy().into_owned());
    workbook.with_file_name(format!("{stem}_指标明细.csv"))
}

/// The 指标明细 CSV an earlier `--detail csv` run left beside this workbook, if there is one:
/// a run that writes 指标明细 into the workbook leaves it as it is, and says so.
fn earlier_detail_csv(workbook: &Path) -> Option<PathBuf> {
    let path = detail_csv_path(workbook);
    crate::base::own::own_csv(&crate::discover::read_head(&path)).map(|_| path)
}

/// Watches the first files of a run for whether 指标明细 will outgrow one Excel sheet, and says
/// so once, early: their indicators per file times the number of files.
struct OutgrowWatch {
    files: usize,
    /// The rows one sheet holds.
    limit: usize,
    /// How many files are counted before the estimate: 1%, at least 50.
    sample: usize,
    seen: usize,
    indicators: usize,
}

/// The rows of 指标明细 one Excel sheet holds, below its header.
const EXCEL_DETAIL_ROWS: usize = crate::write::workbook::MAX_ROWS as usize - 1;

impl OutgrowWatch {
    fn new(files: usize, limit: usize) -> OutgrowWatch {
        OutgrowWatch {
            files,
            limit,
            sample: (files / 100).max(50).min(files),
            seen: 0,
            indicators: 0,
        }
    }

    /// Counts a file; returns the warning when the sample is complete and points past the limit.
    fn see(&mut self, sub: &crate::base::model::Submission) -> Option<String> {
        self.seen += 1;
        self.indicators += sub.indicator_count();
        if self.seen != self.sample {
            return None;
        }
        let estimate = self.indicators * self.files / self.seen.max(1);
        let limit = self.limit;
        (estimate > limit).then(|| {
            format!(
                "提示：按前 {} 个文件推算，本次约有 {} 条指标，超过 Excel 单个工作表的 {} 行，指标明细将续写到“指标明细2”等工作表，工作簿会很大、打开很慢；可加 --detail csv 把指标明细另存为工作簿旁的 CSV 文件。",
                self.seen,
                group_digits(&estimate.to_string()),
                group_digits(&limit.to_string()),
            )
        })
    }
}

fn run_forms(args: &FormsArgs) -> Result<u8, AppError> {
    let plan = Plan::from_args(&args.common)?;
    prepare_folder(&args.output)?;
    let (c, inputs) = plan.consolidate(&[], Keep::All)?;
    let owned = counted_units(&c).map_err(spill_error)?;
    let units: Vec<&Unit> = owned.iter().map(|u| u.as_ref()).collect();
    let paths = form_paths(&units, &args.output);
    for path in &paths {
        check_output_path(path, inputs.iter().map(PathBuf::as_path))?;
    }
    let layout = match args.layout {
        LayoutArg::List => FormLayout::List,
        LayoutArg::Project => FormLayout::Project,
    };
    // Each unit's faults marked in its form, as in the 汇总表.
    let marks =
        crate::write::workbook::fault_marks(&plan.form, &c).map_err(|source| WriteError::Io {
            path: format!("临时文件夹 {}", std::env::temp_dir().display()),
            source,
        })?;
    write_marked_unit_forms(&plan.form, &units, &marks, &paths, layout)?;
    if !plan.quiet {
        eprint!("{}", render_summary(&plan.form, &c));
        let what = format!("{} 个单位的表格", paths.len());
        eprint!("{}", written_line(&what, &args.output));
    }
    Ok(exit_status(&c))
}

fn run_feedback(args: &FeedbackArgs) -> Result<u8, AppError> {
    let plan = Plan::from_args(&args.common)?;
    prepare_folder(&args.output)?;
    let (c, inputs) = plan.consolidate(&[], Keep::All)?;
    let mut taken = std::collections::HashSet::new();
    let mut written = 0;
    for (name, bytes) in feedback_workbooks(&plan.form, &c) {
        let stem = name.trim_end_matches(".xlsx").to_string();
        let mut file = name;
        let mut n = 2;
        while !taken.insert(file.to_lowercase()) {
            file = format!("{stem}（{n}）.xlsx");
            n += 1;
        }
        let path = args.output.join(file);
        check_output_path(&path, inputs.iter().map(PathBuf::as_path))?;
        write_atomically(&path, &bytes)?;
        written += 1;
    }
    if !plan.quiet {
        eprint!("{}", render_summary(&plan.form, &c));
        eprintln!("已写入 {written} 份审核意见到 {}", args.output.display());
    }
    Ok(exit_status(&c))
}

/// Creates the output folder of `forms` or `feedback` (its parent must exist).
fn prepare_folder(dir: &Path) -> Result<(), AppError> {
    if dir.exists() && !dir.is_dir() {
        return Err(AppError::NotAFolder(dir.display().to_string()));
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(AppError::NoOutputDir(parent.display().to_string()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    Ok(())
}

fn run_serve(args: &ServeArgs) -> Result<u8, AppError> {
    let form = match &args.form {
        Some(path) => Form::load(path)?,
        None => Form::default_form(),
    };
    let roster = match &args.roster {
        Some(path) => Some(load_roster(path, &form)?),
        None => None,
    };
    let (store, round) = crate::serve::store::Store::open(&args.data, &args.round)
        .map_err(|e| AppError::Serve(e.to_string()))?;
    let served = crate::serve::Served::new(
        args.max_file_mb.min(256) * 1024 * 1024,
        form,
        roster,
        round,
        store,
    );
    crate::serve::serve(served, std::net::SocketAddr::new(args.bind, args.port))
        .map_err(|e| AppError::Serve(format!("无法在 {}:{} 上启动：{e}", args.bind, args.port)))?;
    Ok(0)
}

fn run_template(args: &TemplateArgs) -> Result<u8, AppError> {
    check_xlsx_output(&args.output, "填报模板")?;
    let form = match &args.form {
        Some(path) => Form::load(path)?,
        None => Form::default_form(),
    };
    check_output_path(&args.output, std::iter::empty())?;
    let bytes = build_template(&form).map_err(|source| WriteError::Xlsx {
        path: args.output.display().to_string(),
        source,
    })?;
    write_atomically(&args.output, &bytes)?;
    eprint!("{}", written_line("填报模板", &args.output));
    Ok(0)
}

fn run_check(args: &CheckArgs) -> Result<u8, AppError> {
    let plan = Plan::from_args(&args.common)?;
    // The reports need only the counts of the indicators, not the indicators.
    let (c, _) = plan.consolidate(&[], Keep::Counts)?;
    let text = match args.format {
        ReportFormat::Text => render_text(&plan.form, &c),
        // The report goes out as it is rendered: at 10,000 files it is over 60 MiB.
        ReportFormat::Json => {
            write_json(&plan.form, &c, std::io::stdout()).map_err(WriteError::from)?;
            String::new()
        }
        ReportFormat::Csv => render_csv(&c).map_err(|e| WriteError::Io {
            path: "标准输出".to_string(),
            source: e.into(),
        })?,
    };
    // A reader that closes the pipe early (`| head`) is told as an error, not a panic.
    std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes()).map_err(|source| {
        WriteError::Io {
            path: "标准输出".to_string(),
            source,
        }
    })?;
    let status = exit_status(&c);
    left_for_exit(c);
    Ok(status)
}

/// Leaves a consolidation (or a saved workbook) to the end of the process, which comes next:
/// freeing every normalized row one by one only costs time (4% of a large `check`, measured
/// with perf; a 10,000-file workbook's rows took 0.3 s). A workbook's temporary files are
/// anonymous: the system removes them when the process ends.
fn left_for_exit<T>(value: T) {
    std::mem::forget(value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::{FileStatus, Indicator, Submission};
    use crate::check::tests::{project, table};

    /// A file of one project with `n` indicators.
    fn file_with(n: usize) -> Submission {
        let mut p = project("项目", &["1", "1", "", ""]);
        p.indicators = vec![Indicator::default(); n];
        let mut sub = Submission::empty(Path::new("a.xlsx"), "a.xlsx", FileStatus::Ok, Vec::new());
        sub.tables.push(table(vec![p]));
        sub
    }

    #[test]
    fn a_run_that_outgrows_a_sheet_is_told_after_its_first_files() {
        // 200 files of 10 indicators against a sheet of 1,000 rows: the first 50 tell.
        let mut watch = OutgrowWatch::new(200, 1_000);
        let said: Vec<Option<String>> = (0..60).map(|_| watch.see(&file_with(10))).collect();
        assert!(said[..49].iter().all(Option::is_none));
        let warning = said[49].as_deref().expect("a warning at the 50th file");
        assert!(
            warning.contains("按前 50 个文件推算，本次约有 2,000 条指标"),
            "{warning}"
        );
        assert!(
            warning.contains("超过 Excel 单个工作表的 1,000 行"),
            "{warning}"
        );
        assert!(warning.contains("--detail csv"), "{warning}");
        assert!(said[50..].iter().all(Option::is_none), "said once");
        // A run that fits says nothing; nor does one of fewer files than the sample.
        let mut fits = OutgrowWatch::new(200, 2_000);
        assert!((0..200).all(|_| fits.see(&file_with(10)).is_none()));
        let mut few = OutgrowWatch::new(3, 10);
        let said: Vec<_> = (0..3).map(|_| few.see(&file_with(5))).collect();
        assert!(said[2].is_some() && said[..2].iter().all(Option::is_none));
    }
}
