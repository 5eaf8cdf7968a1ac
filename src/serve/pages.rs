//! The pages: plain server-rendered HTML in Chinese, readable on a phone, every text escaped.

use std::collections::HashMap;
use std::fmt::Write;

use crate::base::form::Form;
use crate::base::issue::{Issue, Severity};
use crate::base::model::FileStatus;
use crate::base::text::{column_name, format_amount, money_text, name_key};
use crate::consolidate::Consolidation;
use crate::read::grid::{Cell, Grid};
use crate::serve::store::{Round, UploadRecord};
use crate::serve::IssueQuery;

/// Text safe inside HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The most issues the department's page lists at once: past it, the most severe first, with a
/// note pointing to the filters and the CSV report (a round of 1,000 files has some 14,000).
pub const MAX_ISSUE_ROWS: usize = 1_000;

const STYLE: &str = "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}table{border-collapse:collapse;width:100%;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}th{background:#f2f2f2}td:first-child{white-space:nowrap}\
.错误{background:#ffc7ce}.警告{background:#ffeb9c}.通过{background:#c6efce}.未报送{background:#eee}\
.drop{border:2px dashed #888;border-radius:8px;padding:2em;text-align:center;margin:1em 0}.drop.over{background:#eef}.drop{display:block;cursor:pointer}\
.picker{position:absolute;width:1px;height:1px;opacity:0}\
.note{color:#555}.ctx td{border-top:none;background:#fafafa}.rowvals{overflow-x:auto}table.row{width:auto;font-size:.85em}table.row td,table.row th{min-width:4.5em;max-width:18em}\
table.row th{font-weight:normal;color:#666;text-align:center}table.row td.fault{outline:2px solid #c00}.wrap{overflow-x:auto}.msg{padding:.6em;border-left:4px solid #c00;background:#fff3f3}\
@media(max-width:600px){table{font-size:.8em}th,td{padding:.2em}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>{body}\
         <script src=\"/assets/app.js\"></script></body></html>",
        esc(title)
    )
}

/// A page that only says something (not found, an error).
pub fn message(title: &str, text: &str) -> String {
    page(
        title,
        &format!("<h1>{}</h1><p>{}</p>", esc(title), esc(text)),
    )
}

/// A time stored as seconds since the Unix epoch, as Beijing time (UTC+8, no daylight saving):
/// "2026-11-28 12:06".
pub fn beijing_time(epoch_secs: &str) -> String {
    let Ok(secs) = epoch_secs.parse::<i64>() else {
        return epoch_secs.to_string();
    };
    let secs = secs + 8 * 3600;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// The units' page: the upload box, a message when there is one, and what this browser sent
/// before (newest first).
pub fn unit_page(round: &Round, message: Option<&str>, history: &[UploadRecord]) -> String {
    let mut body = format!("<h1>{} · 报送</h1>", esc(&round.name));
    if let Some(m) = message {
        let _ = write!(body, "<p class=\"msg\" id=\"message\">{}</p>", esc(m));
    }
    let _ = write!(
        body,
        "<p>把本单位的项目支出绩效目标表（.xlsx .xls .ods .csv .html 均可）拖到下面的框里，或点框选择文件。\
         提交后立即检查，结果显示在本页；再次提交会替换本单位上一次报送的内容（旧的会保留在记录中）。</p>\
         <form id=\"upload\" method=\"post\" enctype=\"multipart/form-data\" action=\"/u/{token}\">\
         <label class=\"drop\" id=\"drop\" for=\"files\">把文件拖到这里，或点此选择文件</label>\
         <input class=\"picker\" type=\"file\" id=\"files\" name=\"file\" multiple>\
         <button type=\"submit\" id=\"submit\">提交并检查</button>\
         </form>",
        token = esc(&round.unit_token)
    );
    if !history.is_empty() {
        body.push_str(
            "<h2>本浏览器的报送记录</h2><div class=\"wrap\"><table id=\"history\">\
             <tr><th>时间</th><th>文件</th><th>单位</th><th>结果</th><th></th></tr>",
        );
        for h in history {
            let (class, verdict) = if h.errors > 0 {
                let warnings = if h.warnings > 0 {
                    format!("，警告 {} 个", h.warnings)
                } else {
                    String::new()
                };
                ("错误", format!("错误 {} 个{warnings}", h.errors))
            } else if h.warnings > 0 {
                ("警告", format!("警告 {} 个", h.warnings))
            } else {
                ("通过", "通过".to_string())
            };
            let _ = write!(
                body,
                "<tr class=\"{class}\"><td>{at}</td><td>{files}</td><td>{units}</td><td>{verdict}{current}</td>\
                 <td><a href=\"/u/{t}/result/{u}\">查看结果</a></td></tr>",
                at = esc(&beijing_time(&h.at)),
                files = esc(&h.files),
                units = esc(&h.units),
                current = if h.current { "（当前有效）" } else { "（已被替换）" },
                t = esc(&round.unit_token),
                u = esc(&h.token),
            );
        }
        body.push_str(
            "</table></div><p class=\"note\">记录只在本浏览器中可见；换一台电脑或清除浏览器数据后不再显示，\
             已报送的内容不受影响。</p>",
        );
    }
    page(&round.name, &body)
}

/// One cell of an issue's row as shown on the page.
struct AroundCell {
    /// "B", or "B 总计" with the table's header label above it.
    column: String,
    value: String,
    fault: bool,
}

/// The cells of an issue's row as the unit sent it, around the faulty cell, each under its
/// column letter and its header label (from `header_row`, 1-based, when the table's header is
/// above the row). Empty when the row cannot be found.
fn row_around(grid: &Grid, issue: &Issue, header_row: Option<u32>) -> Vec<AroundCell> {
    const SPAN: u32 = 6;
    const MAX_CHARS: usize = 40;
    let Some(row) = issue.place.row.filter(|r| *r > 0) else {
        return Vec::new();
    };
    let sheet = grid
        .sheets
        .iter()
        .find(|s| s.name == issue.place.sheet)
        .or_else(|| grid.sheets.first().filter(|_| issue.place.sheet.is_none()));
    let Some(sheet) = sheet else {
        return Vec::new();
    };
    let r = row - 1;
    let filled: Vec<u32> = (sheet.first_col..sheet.first_col + sheet.width() as u32)
        .filter(|&c| !sheet.at(r, c).is_blank())
        .collect();
    let (Some(&first), Some(&last)) = (filled.first(), filled.last()) else {
        return Vec::new();
    };
    let (from, to) = match issue.place.col {
        Some(c) => (
            c.saturating_sub(SPAN).max(first.min(c)),
            (c + SPAN).min(last.max(c)),
        ),
        None => (first, last.min(first + 2 * SPAN)),
    };
    let shown = |row: u32, c: u32| {
        let text = match sheet.at(row, c) {
            Cell::Empty => String::new(),
            other => other.display(),
        };
        if text.chars().count() > MAX_CHARS {
            text.chars().take(MAX_CHARS).chain(['…']).collect()
        } else {
            text
        }
    };
    let header = header_row.filter(|h| *h >= 1 && *h < row).map(|h| h - 1);
    (from..=to)
        .map(|c| {
            let label = header.map(|h| shown(h, c)).unwrap_or_default();
            AroundCell {
                column: format!("{} {label}", column_name(c)).trim_end().to_string(),
                value: shown(r, c),
                fault: issue.place.col == Some(c),
            }
        })
        .collect()
}

/// The class (and word) of a severity.
fn severity_class(s: Severity) -> &'static str {
    s.label()
}

/// The file as read again and its tables, for showing each issue's row.
struct Sent<'a> {
    grid: Grid,
    tables: &'a [crate::base::model::Table],
}

/// The issue table; with the file as sent, each issue is followed by its row's values.
fn issue_rows(out: &mut String, issues: &[&Issue], sent: Option<&Sent>) {
    let _ = write!(
        out,
        "<div class=\"wrap\"><table><tr><th>级别</th><th>位置</th><th>规则</th><th>说明</th><th>项目</th></tr>"
    );
    for i in issues {
        let _ = write!(
            out,
            "<tr class=\"{cls}\"><td>{sev}</td><td>{at}</td><td>{title}<br><small>{code}</small></td><td>{msg}</td><td>{project}</td></tr>",
            cls = severity_class(i.severity),
            sev = i.severity.label(),
            at = esc(&i.place.describe()),
            title = esc(i.rule.title()),
            code = esc(i.rule.code()),
            msg = esc(&i.message),
            project = esc(i.project.as_deref().unwrap_or("")),
        );
        let around = sent
            .map(|s| {
                let header = s
                    .tables
                    .iter()
                    .find(|t| t.sheet == i.place.sheet)
                    .map(|t| t.header_row);
                row_around(&s.grid, i, header)
            })
            .unwrap_or_default();
        if !around.is_empty() {
            let _ = write!(
                out,
                "<tr class=\"ctx\"><td></td><td colspan=\"4\"><div class=\"rowvals\">第 {} 行：<table class=\"row\"><tr>",
                i.place.row.unwrap_or(0)
            );
            for cell in &around {
                let _ = write!(out, "<th>{}</th>", esc(&cell.column));
            }
            out.push_str("</tr><tr>");
            for cell in &around {
                let class = if cell.fault { " class=\"fault\"" } else { "" };
                let _ = write!(out, "<td{class}>{}</td>", esc(&cell.value));
            }
            out.push_str("</tr></table></div></td></tr>");
        }
    }
    out.push_str("</table></div>");
}

/// The result of an upload, as the text report gives it but readable: file by file, each issue
/// with its place, errors first; then the feedback workbooks to download.
pub fn unit_result(form: &Form, round: &Round, upload: &str, c: &Consolidation) -> String {
    let mut body = format!("<h1>{} · 检查结果</h1>", esc(&round.name));
    let s = &c.summary;
    let verdict = if s.errors > 0 {
        format!(
            "有错误：错误 {} 个，警告 {} 个。请按下表修改后重新提交。",
            s.errors, s.warnings
        )
    } else if s.warnings > 0 {
        format!("没有错误，有警告 {} 个，请核对。", s.warnings)
    } else {
        "通过：没有发现问题。".to_string()
    };
    let class = if s.errors > 0 {
        "错误"
    } else if s.warnings > 0 {
        "警告"
    } else {
        "通过"
    };
    let _ = write!(
        body,
        "<p class=\"{class}\" id=\"verdict\" style=\"padding:.6em\">{}</p>\
         <p>单位 {} 个，项目 {} 个，指标 {} 个，合计 {} {}。</p>",
        esc(&verdict),
        s.units,
        s.projects,
        s.indicators,
        format_amount(s.total),
        esc(&form.form.money_unit)
    );
    for sub in &c.files {
        let _ = write!(
            body,
            "<h2>{}</h2><p class=\"note\">{}</p>",
            esc(&sub.display),
            esc(sub.status.label())
        );
        let mut issues: Vec<&Issue> = c
            .issues
            .iter()
            .filter(|i| i.place.file == sub.display && i.severity != Severity::Info)
            .collect();
        issues.sort_by_key(|i| i.severity);
        if issues.is_empty() {
            body.push_str("<p>没有错误或警告。</p>");
        } else {
            let sent = crate::read::read_path_again(&sub.path).map(|grid| Sent {
                grid,
                tables: &sub.tables,
            });
            issue_rows(&mut body, &issues, sent.as_ref());
        }
    }
    let units: Vec<String> = c
        .files
        .iter()
        .filter(|f| !matches!(f.status, FileStatus::Skipped | FileStatus::Duplicate))
        .flat_map(|f| {
            let names: Vec<String> = f.units().map(|u| u.name.clone()).collect();
            if names.is_empty() {
                vec![f.display.clone()]
            } else {
                names
            }
        })
        .collect();
    body.push_str("<h2>审核意见</h2><ul>");
    for (n, name) in units.iter().enumerate() {
        let _ = write!(
            body,
            "<li><a class=\"feedback\" href=\"/u/{t}/feedback/{u}/{n}\">下载“{name}”的审核意见（Excel，问题单元格已标出）</a></li>",
            t = esc(&round.unit_token),
            u = esc(upload),
            name = esc(name)
        );
    }
    let _ = write!(
        body,
        "</ul><p><a href=\"/u/{}\">再次提交</a></p>",
        esc(&round.unit_token)
    );
    page(&round.name, &body)
}

/// The department's page: who has submitted, the issues (filterable), the totals, downloads.
pub fn dept_page(
    form: &Form,
    round: &Round,
    c: &Consolidation,
    history: &[(String, String, i64)],
    q: &IssueQuery,
) -> String {
    let mut body = format!("<h1>{} · 汇总审核</h1>", esc(&round.name));
    let s = &c.summary;
    let _ = write!(
        body,
        "<p id=\"totals\">已报送单位 {} 个，项目 {} 个，指标 {} 个，合计 {} {}；错误 {} 个，警告 {} 个，提示 {} 个。</p>",
        s.units,
        s.projects,
        s.indicators,
        money_text(s.total),
        esc(&form.form.money_unit),
        s.errors,
        s.warnings,
        s.infos
    );
    let t = esc(&round.dept_token);
    body.push_str("<p>下载：");
    for (file, label) in [
        ("汇总表.xlsx", "汇总工作簿"),
        ("report.json", "JSON 报告"),
        ("report.csv", "问题清单 CSV"),
        ("forms.zip", "各单位正式表格（zip）"),
        ("feedback.zip", "各单位审核意见（zip）"),
    ] {
        let _ = write!(
            body,
            "<a class=\"download\" href=\"/d/{t}/download/{file}\">{label}</a>　"
        );
    }
    body.push_str("</p><h2>报送情况</h2><div class=\"wrap\"><table id=\"status\"><tr><th>单位</th><th>状态</th><th>错误</th><th>警告</th><th>报送次数</th></tr>");
    let mut rows: Vec<(String, &'static str, usize, usize, i64)> = Vec::new();
    // Errors and warnings by unit key, in one pass over the issues.
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for issue in &c.issues {
        if let Some(unit) = issue.unit.as_deref() {
            let entry = counts.entry(name_key(unit).into_owned()).or_default();
            match issue.severity {
                Severity::Error => entry.0 += 1,
                Severity::Warning => entry.1 += 1,
                Severity::Info => {}
            }
        }
    }
    let submissions: HashMap<&str, i64> = history
        .iter()
        .map(|(key, _, n)| (key.as_str(), *n))
        .collect();
    let times = |key: &str| submissions.get(key).copied().unwrap_or(0);
    // The page's consolidation holds its tables (only a streaming one parks them), so reading
    // its units cannot fail.
    let units = crate::consolidate::consolidated_units(&c.files).unwrap_or_default();
    for unit in units {
        let key = name_key(&unit.name);
        let (e, w) = counts.get(key.as_ref()).copied().unwrap_or_default();
        let status = if e > 0 {
            "有错误"
        } else if w > 0 {
            "有警告"
        } else {
            "通过"
        };
        rows.push((unit.name.clone(), status, e, w, times(&key)));
    }
    for entry in &c.not_submitted {
        rows.push((entry.name.clone(), "未报送", 0, 0, 0));
    }
    for (name, status, e, w, n) in rows {
        let class = match status {
            "有错误" => "错误",
            "有警告" => "警告",
            other => other,
        };
        let _ = write!(
            body,
            "<tr class=\"{class}\"><td>{}</td><td>{status}</td><td>{e}</td><td>{w}</td><td>{n}</td></tr>",
            esc(&name)
        );
    }
    body.push_str("</table></div><h2>问题清单</h2>");
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/d/{t}\">级别 <select name=\"severity\"><option value=\"\">全部</option>\
         <option value=\"error\">错误</option><option value=\"warning\">警告及以上</option></select> \
         规则代码 <input name=\"rule\" size=\"16\" value=\"{rule}\"> 单位 <input name=\"unit\" size=\"16\" value=\"{unit}\"> \
         <button type=\"submit\">筛选</button></form>",
        rule = esc(q.rule.as_deref().unwrap_or("")),
        unit = esc(q.unit.as_deref().unwrap_or(""))
    );
    let worst = match q.severity.as_deref() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        _ => Severity::Info,
    };
    let mut issues: Vec<&Issue> = c
        .issues
        .iter()
        .filter(|i| i.severity <= worst)
        .filter(|i| {
            q.rule
                .as_deref()
                .is_none_or(|r| r.is_empty() || i.rule.code() == r)
        })
        .filter(|i| {
            q.unit
                .as_deref()
                .is_none_or(|u| u.is_empty() || i.unit.as_deref().is_some_and(|n| n.contains(u)))
        })
        .collect();
    issues.sort_by_key(|i| i.severity);
    if issues.len() > MAX_ISSUE_ROWS {
        let _ = write!(
            body,
            "<p class=\"note\">共 {} 个问题，列出最严重的前 {MAX_ISSUE_ROWS} 个；请用上面的筛选缩小范围，或下载 CSV 报告查看全部。</p>",
            issues.len()
        );
        issues.truncate(MAX_ISSUE_ROWS);
    } else {
        let _ = write!(body, "<p class=\"note\">列出 {} 个问题。</p>", issues.len());
    }
    issue_rows(&mut body, &issues, None);
    page(&round.name, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::issue::{Place, Rule};
    use crate::read::grid::Sheet;

    #[test]
    fn times_read_as_beijing_time() {
        assert_eq!(beijing_time("0"), "1970-01-01 08:00");
        assert_eq!(beijing_time("1795838400"), "2026-11-28 12:00");
        // The day after 2000-02-29 (a leap day of a century year), across midnight UTC.
        assert_eq!(beijing_time("951854400"), "2000-03-01 04:00");
        assert_eq!(beijing_time("not a time"), "not a time");
    }

    #[test]
    fn a_row_is_shown_around_its_faulty_cell() {
        let wide: Vec<String> = (0..20).map(|c| format!("v{c}")).collect();
        let wide: Vec<&str> = wide.iter().map(String::as_str).collect();
        let grid = Grid {
            sheets: vec![Sheet::from_text(&[&["标题"], &wide])],
            unevaluated: Vec::new(),
        };
        let issue = |col| Issue {
            place: Place {
                file: "f.csv".into(),
                sheet: Some("Sheet1".into()),
                row: Some(2),
                col,
            },
            ..Issue::new(Rule::BadAmount, Place::default(), "")
        };
        let around = row_around(&grid, &issue(Some(10)), None);
        let cols: Vec<&str> = around.iter().map(|a| a.column.as_str()).collect();
        assert_eq!(
            cols,
            ["E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q"]
        );
        assert!(around[6].fault && around[6].value == "v10");
        assert_eq!(around.iter().filter(|a| a.fault).count(), 1);
        // Without a column: the row from its first filled cell, thirteen cells at most; the
        // header row above labels the columns.
        let around = row_around(&grid, &issue(None), Some(1));
        assert_eq!(around.len(), 13);
        assert_eq!(around[0].column, "A 标题");
        assert_eq!(around[1].column, "B");
        // A header at or below the row labels nothing; a row outside the sheet shows nothing.
        assert_eq!(row_around(&grid, &issue(None), Some(2))[0].column, "A");
        let mut far = issue(Some(1));
        far.place.row = Some(40);
        assert!(row_around(&grid, &far, Some(1)).is_empty());
    }
}
