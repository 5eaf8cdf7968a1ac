//! The pages: plain server-rendered HTML in Chinese, readable on a phone, every text escaped.

use std::fmt::Write;

use crate::base::form::Form;
use crate::base::issue::{Issue, Severity};
use crate::base::model::FileStatus;
use crate::base::text::{format_amount, money_text, name_key};
use crate::consolidate::Consolidation;
use crate::serve::store::Round;
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

const STYLE: &str = "body{font-family:system-ui,'PingFang SC','Microsoft YaHei',sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}table{border-collapse:collapse;width:100%;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}th{background:#f2f2f2}\
.错误{background:#ffc7ce}.警告{background:#ffeb9c}.通过{background:#c6efce}.未报送{background:#eee}\
.drop{border:2px dashed #888;border-radius:8px;padding:2em;text-align:center;margin:1em 0}.drop.over{background:#eef}\
.note{color:#555}.msg{padding:.6em;border-left:4px solid #c00;background:#fff3f3}\
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

/// The units' page: the upload box, and a message when there is one.
pub fn unit_page(round: &Round, message: Option<&str>) -> String {
    let mut body = format!("<h1>{} · 报送</h1>", esc(&round.name));
    if let Some(m) = message {
        let _ = write!(body, "<p class=\"msg\" id=\"message\">{}</p>", esc(m));
    }
    let _ = write!(
        body,
        "<p>把本单位的项目支出绩效目标表（.xlsx .xls .ods .csv .html 均可）拖到下面的框里，或点“选择文件”。\
         提交后立即检查，结果显示在本页；再次提交会替换本单位上一次报送的内容（旧的会保留在记录中）。</p>\
         <form id=\"upload\" method=\"post\" enctype=\"multipart/form-data\" action=\"/u/{token}\">\
         <div class=\"drop\" id=\"drop\">把文件拖到这里</div>\
         <input type=\"file\" id=\"files\" name=\"file\" multiple> <button type=\"submit\" id=\"submit\">提交并检查</button>\
         </form>",
        token = esc(&round.unit_token)
    );
    page(&round.name, &body)
}

/// The class (and word) of a severity.
fn severity_class(s: Severity) -> &'static str {
    s.label()
}

fn issue_rows(out: &mut String, issues: &[&Issue]) {
    let _ = write!(
        out,
        "<table><tr><th>级别</th><th>位置</th><th>规则</th><th>说明</th><th>项目</th></tr>"
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
    }
    out.push_str("</table>");
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
            issue_rows(&mut body, &issues);
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
    body.push_str("</p><h2>报送情况</h2><table id=\"status\"><tr><th>单位</th><th>状态</th><th>错误</th><th>警告</th><th>报送次数</th></tr>");
    let mut rows: Vec<(String, &'static str, usize, usize, i64)> = Vec::new();
    let count = |name: &str, sev: Severity| {
        c.issues
            .iter()
            .filter(|i| {
                i.severity == sev
                    && i.unit
                        .as_deref()
                        .is_some_and(|u| name_key(u) == name_key(name))
            })
            .count()
    };
    let times = |name: &str| {
        history
            .iter()
            .find(|(k, _, _)| *k == name_key(name))
            .map_or(0, |h| h.2)
    };
    for unit in crate::consolidate::consolidated_units(&c.files) {
        let (e, w) = (
            count(&unit.name, Severity::Error),
            count(&unit.name, Severity::Warning),
        );
        let status = if e > 0 {
            "有错误"
        } else if w > 0 {
            "有警告"
        } else {
            "通过"
        };
        rows.push((unit.name.clone(), status, e, w, times(&unit.name)));
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
    body.push_str("</table><h2>问题清单</h2>");
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
    let _ = write!(body, "<p class=\"note\">列出 {} 个问题。</p>", issues.len());
    issue_rows(&mut body, &issues);
    page(&round.name, &body)
}
