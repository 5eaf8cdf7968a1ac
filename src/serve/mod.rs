//! `jixiao serve`: the collection round on a web page, a front end over the same pipeline as the
//! command line, never a second one. Units upload their files through one secret link and see
//! the check at once, with their feedback workbook to download; the department follows the round
//! through the other link: who has submitted, the issues, the totals, and every download of the
//! CLI (consolidated workbook, JSON, CSV, forms, feedback), all recomputed from the stored files.
//!
//! axum on tokio; SQLite (`store`) keeps the round and the uploads, the files as they came.
//! Pages are server-rendered HTML with one small script, embedded in the binary.

mod pages;
pub mod store;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::base::form::Form;
use crate::base::text::name_key;
use crate::consolidate::{consolidate, Consolidation};
use crate::discover::discover;
use crate::process::process_all;
use crate::roster::Roster;
use crate::serve::store::{Round, Store, StoredFile};

/// The most bytes one request may carry, and one round may keep.
pub const MAX_REQUEST_BYTES: usize = 512 * 1024 * 1024;
pub const MAX_ROUND_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// What every handler shares.
pub struct Served {
    /// The most bytes one uploaded file may have (the CLI's cap unless lowered).
    pub max_file_bytes: u64,
    pub form: Form,
    pub roster: Option<Roster>,
    pub round: Round,
    pub store: Mutex<Store>,
    /// The department's last consolidation and the current files it was made of (see
    /// [`department_consolidation`]).
    latest: Mutex<Option<(Vec<StoredFile>, Arc<Consolidation>)>>,
}

impl Served {
    /// A round served from `store`, its uploads capped at `max_file_bytes` a file.
    pub fn new(
        max_file_bytes: u64,
        form: Form,
        roster: Option<Roster>,
        round: Round,
        store: Store,
    ) -> Served {
        Served {
            max_file_bytes,
            form,
            roster,
            round,
            store: Mutex::new(store),
            latest: Mutex::new(None),
        }
    }
}

type Shared = Arc<Served>;

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The router of a round.
pub fn router(served: Shared) -> Router {
    Router::new()
        .route("/assets/app.js", get(script))
        .route("/u/{token}", get(unit_page).post(upload))
        .route("/u/{token}/result/{upload}", get(unit_result))
        .route("/u/{token}/feedback/{upload}/{n}", get(unit_feedback))
        .route("/d/{token}", get(dept_page))
        .route("/d/{token}/download/{name}", get(dept_download))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(axum::middleware::map_response(secure_headers))
        .with_state(served)
}

/// The headers an intranet app sets on every response.
async fn secure_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(pages::message("找不到这个页面", "链接不对或已失效。")),
    )
        .into_response()
}

fn server_error(why: impl std::fmt::Display) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(pages::message("出错了", &why.to_string())),
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("app.js"),
    )
        .into_response()
}

/// The pipeline of the CLI over stored files, their display names the names the units gave.
pub fn run_pipeline(form: &Form, roster: Option<&Roster>, files: &[StoredFile]) -> Consolidation {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    // A stored file gone missing leaves the round without it, never stops the page.
    let mut discovery = discover(&paths).unwrap_or_default();
    let name_of = |p: &std::path::Path| files.iter().find(|f| f.path == p).map(|f| f.name.clone());
    for s in &mut discovery.sources {
        if let Some(n) = name_of(&s.path) {
            s.display = n;
        }
    }
    for (s, _) in &mut discovery.duplicates {
        if let Some(n) = name_of(&s.path) {
            s.display = n;
        }
    }
    for (p, display, _) in &mut discovery.skipped {
        if let Some(n) = name_of(p) {
            *display = n;
        }
    }
    let submissions = process_all(&discovery.sources, form, 0, true);
    consolidate(form, submissions, &discovery, roster)
}

/// The name of the cookie that tells one browser's uploads from another's.
const SUBMITTER_COOKIE: &str = "jixiao_unit";

/// The browser's submitter secret from its cookie, if it sent a well-formed one.
fn submitter_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SUBMITTER_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The browser's submitter secret, or a new one to set (the second value) when it has none.
fn submitter_or_new(headers: &HeaderMap) -> Result<(String, bool), store::StoreError> {
    match submitter_of(headers) {
        Some(known) => Ok((known, false)),
        None => Ok((store::secret()?, true)),
    }
}

/// Sets the submitter cookie on a response: for the units' link only, out of scripts' reach,
/// sent on a link opened from a mail (Lax), kept for a year.
fn with_submitter(mut response: Response, round: &Round, submitter: &str) -> Response {
    let cookie = format!(
        "{SUBMITTER_COOKIE}={submitter}; Path=/u/{}; HttpOnly; SameSite=Lax; Max-Age=31536000",
        round.unit_token
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn unit_page(
    State(s): State<Shared>,
    UrlPath(token): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    if !same_secret(&token, &s.round.unit_token) {
        return not_found();
    }
    let Ok((submitter, new)) = submitter_or_new(&headers) else {
        return server_error("无法生成随机链接");
    };
    let history = if new {
        Vec::new()
    } else {
        match s.store.lock().map(|st| st.uploads_of(&submitter)) {
            Ok(Ok(h)) => h,
            _ => return server_error("无法读取本轮的数据"),
        }
    };
    let page = Html(pages::unit_page(&s.round, None, &history)).into_response();
    if new {
        with_submitter(page, &s.round, &submitter)
    } else {
        page
    }
}

async fn upload(
    State(s): State<Shared>,
    UrlPath(token): UrlPath<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    if !same_secret(&token, &s.round.unit_token) {
        return not_found();
    }
    let Ok((submitter, new)) = submitter_or_new(&headers) else {
        return server_error("无法生成随机链接");
    };
    let response = receive(s.clone(), submitter.clone(), multipart).await;
    if new {
        with_submitter(response, &s.round, &submitter)
    } else {
        response
    }
}

/// Receives an upload, keeps it, checks it and answers with its result.
async fn receive(s: Shared, submitter: String, mut multipart: Multipart) -> Response {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return too_large_or_bad(&s.round, &e.body_text()),
        };
        let name = field.file_name().unwrap_or("未命名文件").to_string();
        let mut data = Vec::new();
        let mut field = field;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if (data.len() + chunk.len()) as u64 > s.max_file_bytes {
                        return refuse(
                            &s.round,
                            &format!(
                                "文件“{name}”超过单个文件的上限 {} MB，未保存任何文件",
                                s.max_file_bytes / 1024 / 1024
                            ),
                        );
                    }
                    data.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return too_large_or_bad(&s.round, &e.body_text()),
            }
        }
        if !data.is_empty() {
            files.push((name, data));
        }
    }
    if files.is_empty() {
        return Html(pages::unit_page(
            &s.round,
            Some("没有收到文件，请选择要报送的表格。"),
            &[],
        ))
        .into_response();
    }
    let incoming: u64 = files.iter().map(|(_, d)| d.len() as u64).sum();
    let served = s.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let (upload_token, stored) = {
            let store = served.store.lock().map_err(|e| e.to_string())?;
            if store.stored_bytes().map_err(|e| e.to_string())? + incoming > MAX_ROUND_BYTES {
                return Err(format!(
                    "本轮已保存的文件超过上限 {} GB，未保存",
                    MAX_ROUND_BYTES / 1024 / 1024 / 1024
                ));
            }
            store
                .add_upload(&files, &now(), &submitter)
                .map_err(|e| e.to_string())?
        };
        let c = run_pipeline(&served.form, None, &stored);
        {
            let store = served.store.lock().map_err(|e| e.to_string())?;
            let mut names = Vec::new();
            for sub in &c.files {
                for unit in sub.units() {
                    store
                        .set_current(&upload_token, &name_key(&unit.name), &unit.name)
                        .map_err(|e| e.to_string())?;
                    names.push(unit.name.clone());
                }
            }
            store
                .set_outcome(&upload_token, &names, c.summary.errors, c.summary.warnings)
                .map_err(|e| e.to_string())?;
        }
        Ok(pages::unit_result(
            &served.form,
            &served.round,
            &upload_token,
            &c,
        ))
    })
    .await;
    match result {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(why)) if why.contains("上限") => refuse(&s.round, &why),
        Ok(Err(why)) => server_error(why),
        Err(e) => server_error(e),
    }
}

fn refuse(round: &Round, why: &str) -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Html(pages::unit_page(round, Some(why), &[])),
    )
        .into_response()
}

fn too_large_or_bad(round: &Round, why: &str) -> Response {
    if why.contains("length limit") || why.contains("too large") {
        refuse(
            round,
            &format!(
                "一次上传的文件合计超过上限 {} MB，未保存任何文件",
                MAX_REQUEST_BYTES / 1024 / 1024
            ),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            Html(pages::unit_page(round, Some("上传没有完成，请重试。"), &[])),
        )
            .into_response()
    }
}

/// The time of an upload: seconds since the Unix epoch, as text.
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{secs}")
}

fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    attachment(
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
}

fn attachment(name: &str, mime: &'static str, bytes: Vec<u8>) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}");
    Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
        )
        .body(Body::from(bytes))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The files of an upload, when this browser sent it; `None` for anybody else's.
fn own_upload(s: &Served, headers: &HeaderMap, upload: &str) -> Option<Vec<StoredFile>> {
    let submitter = submitter_of(headers)?;
    let store = s.store.lock().ok()?;
    if !store.is_owner(upload, &submitter).ok()? {
        return None;
    }
    let files = store.upload_files(upload).ok()?;
    (!files.is_empty()).then_some(files)
}

/// An earlier upload's result, again: to this browser only.
async fn unit_result(
    State(s): State<Shared>,
    UrlPath((token, upload)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !same_secret(&token, &s.round.unit_token) {
        return not_found();
    }
    let served = s.clone();
    let result = tokio::task::spawn_blocking(move || -> Option<String> {
        let files = own_upload(&served, &headers, &upload)?;
        let c = run_pipeline(&served.form, None, &files);
        Some(pages::unit_result(&served.form, &served.round, &upload, &c))
    })
    .await;
    match result {
        Ok(Some(html)) => Html(html).into_response(),
        _ => not_found(),
    }
}

async fn unit_feedback(
    State(s): State<Shared>,
    UrlPath((token, upload, n)): UrlPath<(String, String, usize)>,
    headers: HeaderMap,
) -> Response {
    if !same_secret(&token, &s.round.unit_token) {
        return not_found();
    }
    let served = s.clone();
    let result = tokio::task::spawn_blocking(move || -> Option<(String, Vec<u8>)> {
        let files = own_upload(&served, &headers, &upload)?;
        let c = run_pipeline(&served.form, None, &files);
        crate::write::feedback::feedback_workbooks(&served.form, &c)
            .into_iter()
            .nth(n)
    })
    .await;
    match result {
        Ok(Some((name, bytes))) => xlsx(&name, bytes),
        _ => not_found(),
    }
}

/// Filters of the department's issue table.
#[derive(Debug, Default, serde::Deserialize)]
pub struct IssueQuery {
    pub severity: Option<String>,
    pub rule: Option<String>,
    pub unit: Option<String>,
}

/// The consolidation of the units' current files, as the department's page and downloads show
/// it. Stored files never change (a new upload is new files), so while the current files are
/// the ones of the last consolidation, it is that one: the page, then each download, cost one
/// run of the pipeline between two uploads, not one each. Requests that come together wait for
/// the one run.
fn department_consolidation(s: &Served) -> Option<Arc<Consolidation>> {
    let files = s.store.lock().ok()?.current_files().ok()?;
    let mut latest = s.latest.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((made_of, c)) = latest.as_ref() {
        if *made_of == files {
            return Some(Arc::clone(c));
        }
    }
    let c = Arc::new(run_pipeline(&s.form, s.roster.as_ref(), &files));
    *latest = Some((files, Arc::clone(&c)));
    Some(c)
}

async fn dept_page(
    State(s): State<Shared>,
    UrlPath(token): UrlPath<String>,
    Query(q): Query<IssueQuery>,
) -> Response {
    if !same_secret(&token, &s.round.dept_token) {
        return not_found();
    }
    let served = s.clone();
    let result = tokio::task::spawn_blocking(move || {
        let c = department_consolidation(&served)?;
        let history = served.store.lock().ok()?.history().ok()?;
        Some(pages::dept_page(
            &served.form,
            &served.round,
            &c,
            &history,
            &q,
        ))
    })
    .await;
    match result {
        Ok(Some(html)) => Html(html).into_response(),
        _ => server_error("无法读取本轮的数据"),
    }
}

async fn dept_download(
    State(s): State<Shared>,
    UrlPath((token, name)): UrlPath<(String, String)>,
) -> Response {
    if !same_secret(&token, &s.round.dept_token) {
        return not_found();
    }
    let served = s.clone();
    let result = tokio::task::spawn_blocking(move || -> Option<Response> {
        let c = department_consolidation(&served)?;
        let form = &served.form;
        Some(match name.as_str() {
            "汇总表.xlsx" => {
                let mut wb = crate::write::workbook::build_workbook(form, &c).ok()?;
                xlsx("汇总表.xlsx", wb.save_to_buffer().ok()?)
            }
            "report.json" => attachment(
                "report.json",
                "application/json",
                crate::write::json::render_json(form, &c).ok()?.into_bytes(),
            ),
            "report.csv" => attachment(
                "report.csv",
                "text/csv; charset=utf-8",
                crate::write::csv::render_csv(&c).ok()?.into_bytes(),
            ),
            "forms.zip" => {
                let owned = crate::write::workbook::counted_units(&c).ok()?;
                let marks = crate::write::workbook::fault_marks(form, &c).ok()?;
                let mut entries = Vec::new();
                for (i, unit) in owned.iter().enumerate() {
                    let bytes = crate::write::forms::build_unit_form(
                        form,
                        unit,
                        marks.get(i),
                        crate::write::forms::FormLayout::List,
                    )
                    .ok()?;
                    let stem = crate::write::forms::safe_file_stem(&unit.name);
                    entries.push((format!("{stem}.xlsx"), bytes));
                }
                attachment("forms.zip", "application/zip", zip_of(entries)?)
            }
            "feedback.zip" => attachment(
                "feedback.zip",
                "application/zip",
                zip_of(crate::write::feedback::feedback_workbooks(form, &c))?,
            ),
            _ => return Some(not_found()),
        })
    })
    .await;
    match result {
        Ok(Some(r)) => r,
        _ => server_error("无法生成下载文件"),
    }
}

/// A zip of named files; names made unique.
fn zip_of(entries: Vec<(String, Vec<u8>)>) -> Option<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut taken = std::collections::HashSet::new();
        for (name, bytes) in entries {
            let mut unique = name.clone();
            let mut n = 2;
            while !taken.insert(unique.to_lowercase()) {
                unique = name.replacen(".xlsx", &format!("（{n}）.xlsx"), 1);
                n += 1;
            }
            zip.start_file(unique, options).ok()?;
            zip.write_all(&bytes).ok()?;
        }
        zip.finish().ok()?;
    }
    Some(buf.into_inner())
}

/// Serves a round until the process is stopped. Prints the two links on stdout first.
///
/// # Errors
/// The address cannot be bound.
pub fn serve(served: Served, addr: SocketAddr) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let round = served.round.clone();
        println!("jixiao 收集轮次“{}”已启动：", round.name);
        println!("单位报送链接：http://{local}/u/{}", round.unit_token);
        println!("部门审核链接：http://{local}/d/{}", round.dept_token);
        std::io::stdout().flush()?;
        axum::serve(listener, router(Arc::new(served))).await
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", "a"));
    }

    /// Uploads a sample as the current submission of the units it holds.
    fn submit(s: &Served, sample: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(sample);
        let bytes = std::fs::read(path).unwrap();
        let store = s.store.lock().unwrap();
        let (token, stored) = store
            .add_upload(
                &[(sample.to_string(), bytes)],
                "2026-12-04 12:00:00",
                "browser",
            )
            .unwrap();
        for sub in &run_pipeline(&s.form, None, &stored).files {
            for unit in sub.units() {
                store
                    .set_current(&token, &name_key(&unit.name), &unit.name)
                    .unwrap();
            }
        }
    }

    #[test]
    fn the_department_sees_one_consolidation_until_the_next_upload() {
        let dir = tempfile::tempdir().unwrap();
        let (store, round) = Store::open(dir.path(), "测试轮次").unwrap();
        let s = Served::new(1 << 20, Form::default_form(), None, round, store);
        submit(&s, "示例单位乙.csv");
        let first = department_consolidation(&s).unwrap();
        assert_eq!(first.summary.units, 1);
        let again = department_consolidation(&s).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same files: the same consolidation"
        );

        submit(&s, "示例单位甲.xls");
        let after = department_consolidation(&s).unwrap();
        assert!(!Arc::ptr_eq(&first, &after));
        assert_eq!(after.summary.units, 2);
        // Unit 乙 sends again: its current files change, and so does the consolidation.
        submit(&s, "示例单位乙.csv");
        let resent = department_consolidation(&s).unwrap();
        assert!(!Arc::ptr_eq(&after, &resent));
        assert_eq!(resent.summary.units, 2);
        assert_eq!(resent.summary.total, after.summary.total);
    }
}
