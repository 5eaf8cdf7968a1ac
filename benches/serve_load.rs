//! The web round under load, against the command line on the same files, in one run:
//! `cargo bench --bench serve_load -- [FILES] [CLIENTS]` (default 200 files, 20 clients).
//! It generates the files (benches/synth), times `jixiao check` on them, then starts
//! `jixiao serve` on a free loopback port and has the clients upload the files one request per
//! file, all at once; it prints the time to a result per file (median and 95th percentile)
//! against the CLI's time per file. Loopback only; the requests are bounded by the file count.

mod synth;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn jixiao() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("jixiao")
}

fn upload(agent: &ureq::Agent, url: &str, name: &str, bytes: &[u8]) -> u16 {
    let boundary = "jixiaoLoadBoundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    agent
        .post(url)
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let files = args.first().copied().unwrap_or(200);
    let clients = args.get(1).copied().unwrap_or(20).max(1);
    let exe = jixiao();
    assert!(
        exe.exists(),
        "build the binary first: cargo build --release"
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    synth::generate(&input, files, 7).unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();

    let start = Instant::now();
    let status = Command::new(&exe)
        .args(["check", "--format", "json", "-q"])
        .arg(&input)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let cli = start.elapsed();
    assert!(status.code().is_some_and(|c| c <= 1));

    let mut server = Command::new(&exe)
        .args(["serve", "--port", "0", "--data"])
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(server.stdout.take().unwrap())
        .lines()
        .take(3)
        .map(Result::unwrap)
        .collect();
    let unit = lines[1][lines[1].find("http").unwrap()..].to_string();

    let queue = Arc::new(Mutex::new(paths));
    let times = Arc::new(Mutex::new(Vec::new()));
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (queue, times, unit) = (queue.clone(), times.clone(), unit.clone());
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(120)))
                    .build()
                    .new_agent();
                loop {
                    let Some(path) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let bytes = std::fs::read(&path).unwrap();
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let t = Instant::now();
                    let code = upload(&agent, &unit, &name, &bytes);
                    assert_eq!(code, 200, "{name}");
                    times.lock().unwrap().push(t.elapsed());
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let web = start.elapsed();

    // The department's page after the round, twice (the second finds the consolidation of the
    // same current files made), then the consolidated workbook's download.
    let dept = lines[2][lines[2].find("http").unwrap()..].to_string();
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .new_agent();
    let timed_get = |url: &str| {
        let t = Instant::now();
        let mut response = agent.get(url).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{url}");
        let bytes = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        (t.elapsed().as_secs_f64(), bytes.len())
    };
    let (page_first, page_bytes) = timed_get(&dept);
    let (page_again, _) = timed_get(&dept);
    let name: String = "汇总表.xlsx"
        .bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() || b == b'.' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let (workbook, workbook_bytes) = timed_get(&format!("{dept}/download/{name}"));
    let _ = server.kill();
    let _ = server.wait();

    let mut times = times.lock().unwrap().clone();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    let cli_per_file = cli.as_secs_f64() * 1000.0 / files as f64;
    println!(
        "{files} files, {clients} clients | CLI check {:.2} s ({cli_per_file:.1} ms/file) | web {:.2} s, time to result per file: median {:.1} ms, p95 {:.1} ms ({:.1}x the CLI's per-file time at the median)",
        cli.as_secs_f64(),
        web.as_secs_f64(),
        at(0.5),
        at(0.95),
        at(0.5) / cli_per_file
    );
    println!(
        "department page after the round ({:.1} MiB): {page_first:.2} s, again {page_again:.3} s; 汇总表.xlsx ({:.1} MiB) {workbook:.2} s",
        page_bytes as f64 / 1048576.0,
        workbook_bytes as f64 / 1048576.0
    );
}
