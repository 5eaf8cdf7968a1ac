//! `jixiao serve` over HTTP on loopback: a round from the units' upload to the department's
//! downloads, and the safety points. The server is the real binary, started on a free port.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::*;

/// A running server and its two links; stopped when dropped.
struct Server {
    child: Child,
    unit: String,
    dept: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--port", "0", "--data"])
        .arg(data.path().join("data"))
        .args(extra)
        .current_dir(root())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut server = Server {
        child,
        unit: String::new(),
        dept: String::new(),
        _data: data,
    };
    // The first line names the round; the next two are the links.
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(3)
        .map(Result::unwrap)
        .collect();
    let link = |line: &String| line[line.find("http").expect(line)..].to_string();
    assert!(lines[1].starts_with("单位报送链接"), "{lines:?}");
    assert!(lines[2].starts_with("部门审核链接"), "{lines:?}");
    server.unit = link(&lines[1]);
    server.dept = link(&lines[2]);
    server
}

/// A browser: an HTTP client that keeps its cookies, as a unit's browser does.
fn browser() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// (status, body) of a GET from a fresh browser.
fn get(url: &str) -> (u16, Vec<u8>) {
    get_in(&browser(), url)
}

/// (status, body) of a GET from this browser.
fn get_in(agent: &ureq::Agent, url: &str) -> (u16, Vec<u8>) {
    let mut resp = agent.get(url).call().unwrap();
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .unwrap();
    (status, body)
}

/// (status, page) of an upload of these files from a fresh browser.
fn upload(url: &str, files: &[(&str, Vec<u8>)]) -> (u16, String) {
    upload_in(&browser(), url, files)
}

/// (status, page) of an upload of these files, as this browser's form sends them.
fn upload_in(agent: &ureq::Agent, url: &str, files: &[(&str, Vec<u8>)]) -> (u16, String) {
    let boundary = "jixiaoTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let mut resp = agent
        .post(url)
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap())
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(root().join("samples").join(name)).unwrap()
}

/// 示例单位乙 corrected: the fixture of 示例单位己 (all rows add up), renamed.
fn yi_fixed() -> Vec<u8> {
    std::fs::read_to_string(root().join("tests/fixtures/gbk_bom/utf8_bom.csv"))
        .unwrap()
        .replace("示例单位己", "示例单位乙")
        .into_bytes()
}

const ROSTER: &str = "tests/fixtures/roster/roster_names_only.csv";

/// Asserts that a consolidated workbook from the web page equals, sheet by sheet and cell for
/// cell, the CLI's `consolidate` of the same file with the same roster.
fn assert_same_as_cli(web: &std::path::Path, roster: &str, name: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    // Run where the file is, so that both name it the same way.
    let copy = dir.path().join(roster);
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(root().join(roster), &copy).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "consolidate",
            name,
            "-o",
            "cli.xlsx",
            "-q",
            "--roster",
            roster,
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(status(&run), 1, "{}", String::from_utf8_lossy(&run.stderr));
    for sheet in ["汇总表", "指标明细", "问题清单", "报送情况"] {
        assert_eq!(
            read_sheet(web, sheet),
            read_sheet(&dir.path().join("cli.xlsx"), sheet),
            "{sheet}"
        );
    }
}

fn feedback_link(page: &str) -> String {
    let at = page.find("/feedback/").expect("a feedback link");
    let start = page[..at].rfind("href=\"").unwrap() + 6;
    let end = start + page[start..].find('"').unwrap();
    page[start..end].to_string()
}

fn origin(url: &str) -> String {
    let after = url.find("://").unwrap() + 3;
    let end = after + url[after..].find('/').unwrap();
    url[..end].to_string()
}

#[test]
fn a_round_from_upload_to_consolidation() {
    let server = start(&["--roster", ROSTER]);
    let yi = browser();
    // A unit uploads its table with mistakes and sees them at once, each with its row's values
    // around the faulty cell.
    let (code, page) = upload_in(
        &yi,
        &server.unit,
        &[("示例单位乙.csv", sample("示例单位乙.csv"))],
    );
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("有错误：错误 5 个"), "{page}");
    assert!(page.contains("财政拨款“待定”不是数字"), "{page}");
    assert!(
        page.contains("第 8 行：<table class=\"row\"><tr><th>A 项目名称（资金使用单位）</th><th>B 总计</th><th>C 财政拨款</th>"),
        "{page}"
    );
    assert!(page.contains("<td class=\"fault\">待定</td>"), "{page}");
    // Its feedback workbook downloads.
    let feedback = format!("{}{}", origin(&server.unit), feedback_link(&page));
    let (code, xlsx) = get_in(&yi, &feedback);
    assert_eq!(code, 200);
    assert!(xlsx.starts_with(b"PK"));
    // Another browser on the same units' link can neither download it nor see the upload.
    assert_eq!(get(&feedback).0, 404);
    let result = feedback.replace("/feedback/", "/result/");
    let result = &result[..result.rfind('/').unwrap()];
    assert_eq!(get_in(&yi, result).0, 200);
    assert_eq!(get(result).0, 404);
    let other = String::from_utf8(get(&server.unit).1).unwrap();
    assert!(!other.contains("示例单位乙"), "{other}");
    // It uploads the corrected file: 通过; the earlier one stays in its history, replaced.
    let (code, page) = upload_in(
        &yi,
        &server.unit,
        &[("示例单位乙（修改后）.csv", yi_fixed())],
    );
    assert_eq!(code, 200);
    assert!(page.contains("通过：没有发现问题"), "{page}");
    let own = String::from_utf8(get_in(&yi, &server.unit).1).unwrap();
    assert!(own.contains("本浏览器的报送记录"), "{own}");
    assert!(
        own.contains(
            "<td>示例单位乙（修改后）.csv</td><td>示例单位乙</td><td>通过（当前有效）</td>"
        ),
        "{own}"
    );
    assert!(
        own.contains("<td>示例单位乙.csv</td><td>示例单位乙</td><td>错误 5 个（已被替换）</td>"),
        "{own}"
    );
    // The department sees the round: 乙 通过 after 2 submissions, the roster's others missing.
    let (code, dept) = get(&server.dept);
    assert_eq!(code, 200);
    let dept = String::from_utf8(dept).unwrap();
    assert!(
        dept.contains("<tr class=\"通过\"><td>示例单位乙</td><td>通过</td><td>0</td><td>0</td><td>2</td></tr>"),
        "{dept}"
    );
    assert!(dept.contains("<td>未报送</td>"), "{dept}");
    // The consolidated workbook equals the CLI's on the same file, cell for cell.
    let (code, xlsx) = get(&format!("{}/download/汇总表.xlsx", server.dept));
    assert_eq!(code, 200);
    let dir = tempfile::tempdir().unwrap();
    let web = dir.path().join("web.xlsx");
    std::fs::write(&web, xlsx).unwrap();
    assert_same_as_cli(&web, ROSTER, "示例单位乙（修改后）.csv", &yi_fixed());
    // Every download answers.
    for name in ["report.json", "report.csv", "forms.zip", "feedback.zip"] {
        let (code, body) = get(&format!("{}/download/{name}", server.dept));
        assert_eq!(code, 200, "{name}");
        assert!(!body.is_empty(), "{name}");
    }
}

#[test]
fn wrong_links_oversized_uploads_and_hostile_files() {
    let server = start(&["--max-file-mb", "1"]);
    let base = origin(&server.unit);
    // A wrong link, the unit's secret on the department's page, a directory: all 404.
    for path in [
        "/u/0123456789abcdef0123456789abcdef".to_string(),
        "/d/0123456789abcdef0123456789abcdef".to_string(),
        server.unit.replace("/u/", "/d/")[base.len()..].to_string(),
        "/".to_string(),
        "/assets/".to_string(),
    ] {
        assert_eq!(get(&format!("{base}{path}")).0, 404, "{path}");
    }
    // Every response carries the headers an intranet app sets.
    let agent = ureq::Agent::new_with_defaults();
    let resp = agent.get(&server.unit).call().unwrap();
    let csp = resp.headers().get("content-security-policy").unwrap();
    assert!(csp.to_str().unwrap().contains("default-src 'none'"));
    assert_eq!(
        resp.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    // Over the per-file cap: refused with a clear message, nothing stored.
    let (code, page) = upload(&server.unit, &[("大文件.csv", vec![b'x'; 2 * 1024 * 1024])]);
    assert_eq!(code, 413);
    assert!(page.contains("超过单个文件的上限 1 MB"), "{page}");
    let dept = String::from_utf8(get(&server.dept).1).unwrap();
    assert!(dept.contains("已报送单位 0 个"), "{dept}");
    // A hostile file gives its issue, and the server goes on.
    let bomb = std::fs::read(root().join("tests/fixtures/broken/truncated.xlsx")).unwrap();
    let (code, page) = upload(&server.unit, &[("坏文件.xlsx", bomb)]);
    assert_eq!(code, 200);
    assert!(page.contains("unreadable-file"), "{page}");
    assert_eq!(get(&server.unit).0, 200);
}

/// A round with more issues than a page should hold: the department's page lists the most
/// severe first, up to its limit, and says how many there are and where the rest are.
#[test]
fn the_department_page_lists_the_worst_issues_first_up_to_its_limit() {
    let server = start(&[]);
    let mut csv = String::from("单位名称：示例单位坤\n单位：万元\n项目名称,总计,财政拨款,财政专户拨款,其他资金,绩效目标,绩效指标\n");
    for i in 0..1_100 {
        csv.push_str(&format!("项目{i},十万,,,,保障运行,\n"));
    }
    let (code, _) = upload(&server.unit, &[("坤.csv", csv.into_bytes())]);
    assert_eq!(code, 200);
    let page = String::from_utf8(get(&server.dept).1).unwrap();
    let listed = page.matches("<br><small>").count();
    assert_eq!(listed, 1_000, "the page's limit");
    let total: usize = page
        .split("共 ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of all issues on the page"));
    assert!(total > 1_100, "{total}");
    assert!(
        page.contains("列出最严重的前 1000 个；请用上面的筛选缩小范围，或下载 CSV 报告查看全部")
    );
    // Errors come first: none of the listed issues is less than an error while errors remain.
    let first_rows = &page[page.find("<h2>问题清单</h2>").unwrap()..];
    assert!(
        !first_rows.contains("<td>警告</td>"),
        "only errors in the first 1,000"
    );
    // The filters count what they keep: bad-amount alone is 1,100, still over the limit; a unit
    // with no issue lists none.
    let note = |query: &str| {
        let page = String::from_utf8(get(&format!("{}?{query}", server.dept)).1).unwrap();
        let note = page.split("class=\"note\">").last().unwrap();
        note.split("</p>").next().unwrap().to_string()
    };
    assert!(note("rule=bad-amount").starts_with("共 1100 个问题，列出最严重的前 1000 个"));
    assert_eq!(note("unit=%E5%85%B6%E4%BB%96"), "列出 0 个问题。");
}

#[test]
fn two_units_uploading_at_once_both_land() {
    let server = start(&[]);
    let unit = server.unit.clone();
    let a = {
        let unit = unit.clone();
        std::thread::spawn(move || upload(&unit, &[("甲.xls", sample("示例单位甲.xls"))]))
    };
    let b = std::thread::spawn(move || upload(&unit, &[("乙.csv", sample("示例单位乙.csv"))]));
    assert_eq!(a.join().unwrap().0, 200);
    assert_eq!(b.join().unwrap().0, 200);
    let dept = String::from_utf8(get(&server.dept).1).unwrap();
    assert!(dept.contains("<td>示例单位甲</td>"), "{dept}");
    assert!(dept.contains("<td>示例单位乙</td>"), "{dept}");
}

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Debian's chromedriver (package chromium-driver, installed by scripts/test.sh).
fn chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (apt-get install chromium chromium-driver; scripts/test.sh does)");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "chromedriver did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    driver
}

/// Waits for a file to be downloaded whole into `dir` (Chromium writes `.crdownload` first).
fn downloaded(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let partial = std::fs::read_dir(dir).unwrap().any(|e| {
            e.unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "crdownload")
        });
        if path.exists() && !partial {
            return path;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name} was not downloaded"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// The round of the issue, in headless Chromium driven through WebDriver: a unit picks a file
/// with mistakes, sees them with their rows, downloads its feedback, sends the fixed file and
/// sees 通过; the department sees the round and downloads the consolidated workbook, which
/// equals the CLI's cell for cell. Screenshots of both pages go to target/screenshots/.
#[test]
fn a_round_in_a_real_browser() {
    use fantoccini::{ClientBuilder, Locator};

    let server = start(&["--roster", ROSTER]);
    let driver = chromedriver();
    let work = tempfile::tempdir().unwrap();
    let downloads = work.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let wrong = work.path().join("示例单位乙.csv");
    std::fs::write(&wrong, sample("示例单位乙.csv")).unwrap();
    let shots = root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let mut options = serde_json::json!({
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-extensions", "--no-first-run",
            "--window-size=1200,900", "--lang=zh-CN",
            format!("--user-data-dir={}", work.path().join("profile").display()),
        ],
        "prefs": {
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        },
    });
    if std::path::Path::new("/usr/bin/chromium").exists() {
        options["binary"] = "/usr/bin/chromium".into();
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a Chromium session");
        let wait = std::time::Duration::from_secs(20);
        let text_of = |css: &'static str| {
            let c = c.clone();
            async move {
                c.wait()
                    .at_most(wait)
                    .for_element(Locator::Css(css))
                    .await
                    .unwrap_or_else(|e| panic!("{css}: {e}"))
                    .text()
                    .await
                    .unwrap()
            }
        };

        // The unit picks its file: the page checks it at once.
        c.goto(&server.unit).await.unwrap();
        let input = c.find(Locator::Id("files")).await.unwrap();
        input.send_keys(&wrong.display().to_string()).await.unwrap();
        let verdict = text_of("#verdict").await;
        assert!(verdict.contains("有错误：错误 5 个"), "{verdict}");
        let fault = text_of("td.fault").await;
        assert_eq!(fault, "370.50");
        let body = text_of("body").await;
        assert!(body.contains("财政拨款“待定”不是数字"), "{body}");
        std::fs::write(shots.join("单位报送-检查结果.png"), c.screenshot().await.unwrap()).unwrap();

        // On a phone's width the page scrolls down, never sideways.
        c.set_window_size(390, 844).await.unwrap();
        let overflow = c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(overflow.as_i64().unwrap() <= 0, "sideways by {overflow}");
        std::fs::write(shots.join("单位报送-手机.png"), c.screenshot().await.unwrap()).unwrap();
        c.set_window_size(1200, 900).await.unwrap();

        // Its feedback workbook downloads, the same as `jixiao feedback` gives for the file.
        c.find(Locator::Css("a.feedback")).await.unwrap().click().await.unwrap();
        let feedback = downloaded(&downloads, "示例单位乙_审核意见.xlsx");
        let cli = work.path().join("cli-feedback");
        let run = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["feedback", "示例单位乙.csv", "-o"])
            .arg(&cli)
            .current_dir(work.path())
            .output()
            .unwrap();
        assert!(status(&run) <= 1, "{}", String::from_utf8_lossy(&run.stderr));
        let expected = cli.join("示例单位乙_审核意见.xlsx");
        let names = |p: &std::path::Path| {
            use calamine::Reader;
            calamine::open_workbook_auto(p).unwrap().sheet_names()
        };
        assert_eq!(names(&feedback), names(&expected));
        assert_eq!(names(&feedback).len(), 2, "问题清单 and the marked copy");
        for sheet in names(&feedback) {
            assert_eq!(
                read_sheet(&feedback, &sheet),
                read_sheet(&expected, &sheet),
                "{sheet}"
            );
        }

        // It drops the fixed file on the box (a drop event carrying the file, as a drag from
        // the desktop gives), and sees 通过; its history has both.
        c.goto(&server.unit).await.unwrap();
        c.execute(
            "const t = new DataTransfer();
             t.items.add(new File([arguments[0]], arguments[1], {type: 'text/csv'}));
             const box = document.getElementById('drop');
             box.dispatchEvent(new DragEvent('dragover', {dataTransfer: t, bubbles: true, cancelable: true}));
             box.dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));",
            vec![
                String::from_utf8(yi_fixed()).unwrap().into(),
                "示例单位乙（修改后）.csv".into(),
            ],
        )
        .await
        .unwrap();
        let verdict = text_of("#verdict").await;
        assert!(verdict.contains("通过"), "{verdict}");
        c.goto(&server.unit).await.unwrap();
        let history = text_of("#history").await;
        assert!(history.contains("通过（当前有效）"), "{history}");
        assert!(history.contains("错误 5 个（已被替换）"), "{history}");
        std::fs::write(shots.join("单位报送-记录.png"), c.screenshot().await.unwrap()).unwrap();

        // The department sees the round and downloads the consolidated workbook.
        c.goto(&server.dept).await.unwrap();
        let status_table = text_of("#status").await;
        assert!(status_table.contains("示例单位乙 通过 0 0 2"), "{status_table}");
        assert!(status_table.contains("未报送"), "{status_table}");
        std::fs::write(shots.join("部门审核.png"), c.screenshot().await.unwrap()).unwrap();
        c.find(Locator::Css("a.download[href$='汇总表.xlsx']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let web = downloaded(&downloads, "汇总表.xlsx");
        assert_same_as_cli(&web, ROSTER, "示例单位乙（修改后）.csv", &yi_fixed());
        c.close().await.unwrap();
    });
}
