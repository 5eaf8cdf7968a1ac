//! The reports and the terminal (issue 12): the CSV report opens right in Excel and WPS, the
//! text report lines up by display width and sorts its table by severity, the closing summary
//! names the files skipped or unreadable, the issues hidden and the outputs written, bad
//! arguments are refused with exit status 2, the help is in Chinese, and the progress bar's last
//! count of errors is the summary's.

mod common;

use std::fs;

use common::{jixiao, root, seed, status};
use jixiao::base::issue::Rule;
use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn csv_report_opens_in_excel_on_chinese_windows() {
    let out = jixiao(&["check", "--format", "csv", "samples"]);
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    let bytes = &out.stdout;
    assert!(bytes.starts_with(BOM), "UTF-8 BOM first");
    // Every line ends with CRLF: no bare LF anywhere.
    let lfs = bytes.iter().filter(|&&b| b == b'\n').count();
    assert!(lfs > 10);
    for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b'\n') {
        assert_eq!(bytes[i - 1], b'\r', "bare LF at byte {i}");
    }
    assert!(bytes.ends_with(b"\r\n"));

    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "级别",
            "规则",
            "规则说明",
            "文件",
            "工作表",
            "行",
            "单元格",
            "单位",
            "项目",
            "说明"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6 + 16 + 34, "one row per issue");
    for severity in ["错误", "警告", "提示"] {
        assert!(rows.iter().any(|r| &r[0] == severity), "{severity}");
    }
    for r in &rows {
        assert!(["错误", "警告", "提示"].contains(&&r[0]), "{r:?}");
        let rule = Rule::from_code(&r[1]).unwrap_or_else(|| panic!("a rule code: {r:?}"));
        assert_eq!(
            &r[2],
            rule.title(),
            "the rule's Chinese title beside its code"
        );
        assert_eq!(r[0].to_string(), rule.severity().label());
    }
    let sum = rows.iter().find(|r| &r[1] == "sum-mismatch").unwrap();
    assert!(sum[3].ends_with("示例单位乙.csv"));
    assert_eq!((&sum[5], &sum[6]), ("7", "B7"));
}

/// The display column (a CJK character counts two) where `part` starts in `line`.
fn column_of(line: &str, part: &str) -> usize {
    let at = line
        .find(part)
        .unwrap_or_else(|| panic!("{part} in {line}"));
    line[..at].width()
}

#[test]
fn text_report_columns_line_up_by_display_width() {
    // One file whose places are "第 3 行" (5 characters, 7 columns) and "F5".
    let file = root().join("tests/fixtures/forms/no_goal_no_unit.csv");
    let out = jixiao(&["check", file.to_str().unwrap(), seed().to_str().unwrap()]);
    let text = stdout(&out);
    let report: Value = serde_json::from_slice(
        &jixiao(&[
            "check",
            "--format",
            "json",
            "-q",
            file.to_str().unwrap(),
            seed().to_str().unwrap(),
        ])
        .stdout,
    )
    .unwrap();
    let mut groups = 0;
    for group in text.split("\n\n") {
        let mut lines = group.lines();
        let Some(name) = lines.next() else { continue };
        let issues: Vec<&Value> = report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["file"] == name)
            .collect();
        if issues.is_empty() {
            continue;
        }
        groups += 1;
        let lines: Vec<&str> = lines.collect();
        assert_eq!(lines.len(), issues.len(), "{group}");
        let mut severity_columns = Vec::new();
        let mut message_columns = Vec::new();
        for (line, issue) in lines.iter().zip(&issues) {
            let severity = match issue["severity"].as_str().unwrap() {
                "error" => "错误",
                "warning" => "警告",
                _ => "提示",
            };
            severity_columns.push(column_of(line, &format!("  {severity}  ")) + 2);
            message_columns.push(column_of(line, issue["message"].as_str().unwrap()));
        }
        assert!(
            message_columns.iter().all(|&c| c == message_columns[0]),
            "messages start at one display column: {message_columns:?}\n{group}"
        );
        assert!(
            severity_columns.iter().all(|&c| c == severity_columns[0]),
            "{severity_columns:?}\n{group}"
        );
    }
    assert_eq!(groups, 2, "{text}");
    assert!(text.contains("  第 3 行  错误  missing-column"), "{text}");
    assert!(text.contains("  F5       警告  "), "{text}");
}

/// The rows of the table by rule: (code, title, severity) from the header "规则  规则说明".
fn rule_table(text: &str) -> Vec<(String, String, String)> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("规则  "));
    let header = lines.next().expect("the table by rule");
    assert!(header.contains("规则说明") && header.contains("级别") && header.contains("数量"));
    lines
        .take_while(|l| !l.starts_with("文件 ") && !l.starts_with("按 "))
        .map(|l| {
            let code = l.split_whitespace().next().unwrap().to_string();
            let rule = Rule::from_code(&code).unwrap_or_else(|| panic!("{l}"));
            assert!(
                l.contains(rule.title()),
                "the Chinese title of {code} in {l}"
            );
            let severity = ["错误", "警告", "提示"]
                .into_iter()
                .find(|s| l.contains(&format!("  {s}  ")))
                .unwrap_or_else(|| panic!("a severity in {l}"));
            assert_eq!(severity, rule.severity().label(), "{l}");
            (code, rule.title().to_string(), severity.to_string())
        })
        .collect()
}

#[test]
fn rule_table_lists_errors_then_warnings_then_infos() {
    let out = jixiao(&["check", "samples"]);
    let text = stdout(&out);
    let table = rule_table(&text);
    let rank = |s: &str| {
        ["错误", "警告", "提示"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let ranks: Vec<usize> = table.iter().map(|(_, _, s)| rank(s)).collect();
    assert!(
        ranks.contains(&0) && ranks.contains(&1) && ranks.contains(&2),
        "{text}"
    );
    assert!(
        ranks.windows(2).all(|w| w[0] <= w[1]),
        "errors, warnings, infos: {table:?}"
    );
    // Within a severity, catalogue order.
    let order = |code: &str| Rule::ALL.iter().position(|r| r.code() == code).unwrap();
    assert!(table
        .windows(2)
        .filter(|w| w[0].2 == w[1].2)
        .all(|w| order(&w[0].0) < order(&w[1].0)));
    // The title column lines up too.
    let titles: Vec<usize> = text
        .lines()
        .filter(|l| {
            table
                .iter()
                .any(|(code, ..)| l.starts_with(&format!("{code} ")))
        })
        .zip(&table)
        .map(|(l, (_, title, _))| column_of(l, title))
        .collect();
    assert!(titles.iter().all(|&c| c == titles[0]), "{titles:?}");
    // The totals stay the last line.
    assert!(text
        .lines()
        .last()
        .unwrap()
        .starts_with("文件 7 个，单位 8 个，项目 54 个，指标 274 个；错误 6 个"));
}

/// A folder with a submission with errors (示例单位乙), one with warnings and infos (the
/// seed), a Word file, a PDF, an Excel lock file
/// and a file named .xlsx that is no workbook.
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::copy(
        root().join("samples/示例单位乙.csv"),
        p.join("示例单位乙.csv"),
    )
    .unwrap();
    fs::copy(seed(), p.join("seed.txt")).unwrap();
    fs::write(p.join("填报说明.docx"), b"PK\x03\x04 not really a document").unwrap();
    fs::write(p.join("通知.pdf"), b"%PDF-1.4\n").unwrap();
    fs::write(p.join("~$示例单位乙.xlsx"), b"\x08owner").unwrap();
    fs::write(p.join("坏表.xlsx"), b"this is not a workbook").unwrap();
    dir
}

#[test]
fn summary_names_skipped_and_unreadable_files_and_the_hidden_issues() {
    let dir = mixed_folder();
    let folder = dir.path().to_str().unwrap();
    let (_, report) = common::check_json(&[dir.path()]);
    let summary = &report["summary"];
    let all = ["errors", "warnings", "infos"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum::<u64>();
    let errors = summary["errors"].as_u64().unwrap();
    assert!(all > errors && errors > 0, "{summary}");

    let out = jixiao(&["check", "--severity", "error", folder]);
    assert_eq!(status(&out), 1);
    let text = stdout(&out);
    let skipped = text
        .split("已跳过 ")
        .nth(1)
        .unwrap_or_else(|| panic!("已跳过 in {text}"));
    assert!(skipped.starts_with("3 个文件"), "{text}");
    for name in ["填报说明.docx", "通知.pdf", "~$示例单位乙.xlsx"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with("  ") && l.contains(name)),
            "{name} named: {text}"
        );
    }
    assert!(text.contains("锁定文件"), "{text}");
    let failed = text
        .lines()
        .skip_while(|l| !l.starts_with("无法读取 1 个文件"))
        .nth(1)
        .unwrap_or_else(|| panic!("无法读取 in {text}"));
    assert!(failed.contains("坏表.xlsx"), "{failed}");
    let hidden = format!("另有 {} 个未列出", all - errors);
    assert!(text.contains(&hidden), "{hidden} in {text}");
    assert!(text.contains(&format!("只列出 {errors} 个问题")), "{text}");

    // --rule hides too; nothing is said when nothing is hidden.
    let only = jixiao(&["check", "--rule", "bad-amount", folder]);
    assert!(stdout(&only).contains(&format!("另有 {} 个未列出", all - 1)));
    let every = jixiao(&["check", folder]);
    assert!(!stdout(&every).contains("未列出"));

    // consolidate says the same on stderr, then confirms each output.
    let out_dir = tempfile::tempdir().unwrap();
    let xlsx = out_dir.path().join("汇总.xlsx");
    let json = out_dir.path().join("报告.json");
    let run = jixiao(&[
        "consolidate",
        folder,
        "-o",
        xlsx.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
        "--severity",
        "error",
    ]);
    assert_eq!(status(&run), 1, "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.contains("填报说明.docx") && err.contains("坏表.xlsx"),
        "{err}"
    );
    assert!(err.contains(&hidden), "{err}");
    for path in [&xlsx, &json] {
        assert!(path.is_file());
        assert!(
            err.lines()
                .any(|l| l.starts_with("已写入 ") && l.ends_with(path.to_str().unwrap())),
            "{} confirmed: {err}",
            path.display()
        );
    }
}

#[test]
fn forms_and_template_confirm_what_they_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("模板.xlsx");
    let run = jixiao(&["template", "-o", template.to_str().unwrap()]);
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    assert!(template.is_file());
    let err = stderr(&run);
    assert!(
        err.lines()
            .any(|l| l.starts_with("已写入 ") && l.ends_with(template.to_str().unwrap())),
        "{err}"
    );

    let forms = dir.path().join("表格");
    let run = jixiao(&[
        "forms",
        seed().to_str().unwrap(),
        "-o",
        forms.to_str().unwrap(),
    ]);
    assert_eq!(status(&run), 0, "{}", stderr(&run));
    let err = stderr(&run);
    assert!(
        err.lines().any(|l| l.starts_with("已写入 1 个单位的表格")
            && l.ends_with(forms.to_str().unwrap())),
        "{err}"
    );
}

#[test]
fn an_unknown_rule_lists_the_valid_codes() {
    let out = jixiao(&["check", "--rule", "no-such-rule", "samples"]);
    assert_eq!(status(&out), 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("no-such-rule"), "{err}");
    for rule in Rule::ALL {
        assert!(err.contains(rule.code()), "{} listed: {err}", rule.code());
    }
    assert!(err.contains(Rule::SumMismatch.title()), "{err}");
}

#[test]
fn outputs_that_are_not_xlsx_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("x.csv");
    let json = dir.path().join("r.json");
    let out = jixiao(&[
        "consolidate",
        "samples",
        "-o",
        csv.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(status(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("x.csv") && err.contains(".xlsx"), "{err}");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    for name in ["t.xls", "t", "t.XLSX.bak"] {
        let path = dir.path().join(name);
        let out = jixiao(&["template", "-o", path.to_str().unwrap()]);
        assert_eq!(status(&out), 2, "{name}");
        assert!(stderr(&out).contains(".xlsx"));
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    // The case of the extension does not matter.
    let upper = dir.path().join("汇总.XLSX");
    let out = jixiao(&[
        "consolidate",
        "samples",
        "-o",
        upper.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(status(&out), 1, "{}", stderr(&out));
    assert!(upper.is_file());
}

#[test]
fn help_is_in_chinese() {
    let out = jixiao(&["--help"]);
    assert_eq!(status(&out), 0);
    let help = stdout(&out);
    for text in [
        "用法：jixiao",
        "命令",
        "consolidate  读取并检查全部报送表",
        "check        只检查全部报送表",
        "forms        为每个单位生成",
        "template     生成下一年度的空白填报模板",
        "显示帮助",
        "退出状态",
    ] {
        assert!(help.contains(text), "{text} in {help}");
    }
    for english in [
        "Usage:",
        "Commands:",
        "Options:",
        "Print help",
        "Print version",
    ] {
        assert!(!help.contains(english), "{english} in {help}");
    }

    for command in ["consolidate", "check", "forms", "template"] {
        let out = jixiao(&[command, "--help"]);
        assert_eq!(status(&out), 0);
        let help = stdout(&out);
        assert!(
            help.contains("用法：jixiao ") && help.contains("选项:"),
            "{help}"
        );
        assert!(
            !help.contains("Usage:") && !help.contains("Options:"),
            "{help}"
        );
        // Every option's text is Chinese: each line of the options has a CJK character.
        let options: Vec<&str> = help
            .lines()
            .skip_while(|l| !l.starts_with("选项:"))
            .skip(1)
            .filter(|l| l.trim_start().starts_with('-'))
            .collect();
        assert!(options.len() >= 2, "{help}");
        for line in options {
            assert!(line.chars().any(|c| c.width() == Some(2)), "{line}");
        }
    }
    let check = stdout(&jixiao(&["check", "--help"]));
    assert!(
        check.contains("参数:") && check.contains("报送的文件或文件夹"),
        "{check}"
    );
    assert!(check.contains("--severity <LEVEL>") && check.contains("--rule <CODE>"));
}

/// Runs jixiao with its stderr on a pseudo-terminal, so that the progress bar is drawn, and
/// returns what the terminal received.
#[cfg(target_os = "linux")]
fn run_on_a_terminal(args: &[&str]) -> String {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    use std::process::{Command, Stdio};

    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 50,
        ws_col: 200,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two file descriptors that we then own.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: both descriptors were just opened by openpty and are owned by nothing else.
    let (mut master, slave) =
        unsafe { (fs::File::from_raw_fd(master), fs::File::from_raw_fd(slave)) };
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("run jixiao");
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        // Reading ends with EIO once the child, the last holder of the terminal, exits.
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        seen
    });
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    String::from_utf8_lossy(&reader.join().unwrap()).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn the_progress_bar_ends_with_the_summary_count_of_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("汇总.xlsx");
    let seen = run_on_a_terminal(&["consolidate", "samples", "-o", out.to_str().unwrap()]);
    let bar = regex::Regex::new(r"个文件 错误 (\d+)").unwrap();
    let summary = regex::Regex::new(r"；错误 (\d+) 个").unwrap();
    let last_bar = bar
        .captures_iter(&seen)
        .last()
        .unwrap_or_else(|| panic!("a progress bar on the terminal: {seen:?}"))[1]
        .to_string();
    let total = summary
        .captures(&seen)
        .unwrap_or_else(|| panic!("the summary: {seen}"))[1]
        .to_string();
    assert_eq!(
        total, "6",
        "samples/ hold 6 errors, one of them across files"
    );
    assert_eq!(last_bar, total, "{seen}");
}

/// A mistake on the command line is said in Chinese, with the usage and where the help is, and
/// exits with 2; nothing goes to stdout.
#[test]
fn command_line_mistakes_are_said_in_chinese() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["consolidate", "--foo", "samples"],
            "无法识别的参数“--foo”；是否想用“--form”？",
        ),
        (
            &["consolidate", "samples"],
            "缺少必需的参数：--output <OUT.xlsx>",
        ),
        (&["frobnicate"], "无法识别的命令“frobnicate”"),
        (
            &["check", "--format", "xml", "samples"],
            "--format <FORMAT> 的值“xml”无效，可选：text、json、csv",
        ),
        (
            &["check", "-j", "abc", "samples"],
            "--jobs <N> 的值“abc”无效（不是整数）",
        ),
        (
            &["serve", "--port", "99999"],
            "--port <N> 的值“99999”无效（须在 0 到 65535 之内）",
        ),
        (&["check", "--severity"], "--severity <LEVEL> 需要一个值"),
    ];
    for (args, said) in cases {
        let out = jixiao(args);
        assert_eq!(status(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("jixiao: {said}")),
            "{args:?}: {err}"
        );
        assert!(err.contains("运行 jixiao --help"), "{err}");
        for english in ["error:", "Usage:", "For more information", "tip:"] {
            assert!(!err.contains(english), "{english} in {err}");
        }
    }
    // The help itself is no mistake: stdout, exit 0.
    let help = jixiao(&["check", "--help"]);
    assert_eq!(status(&help), 0);
    assert!(stdout(&help).contains("用法：jixiao check"));
}

// A reader that stops early (`jixiao check … | head`) closes the pipe: every format tells it as
// an error with exit status 2, never a panic.
#[test]
fn a_report_whose_reader_has_gone_is_an_error_not_a_panic() {
    for format in ["json", "text", "csv"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["check", "samples", "-q", "--format", format])
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run jixiao");
        // The reading end closed before the samples are read (a few milliseconds at least).
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = stderr(&out);
        assert_eq!(status(&out), 2, "{format}: {err}");
        // EPIPE, told with the report it stopped.
        assert!(err.contains("os error 32"), "{format}: {err}");
        assert!(!err.contains("panicked"), "{format}: {err}");
    }
}
