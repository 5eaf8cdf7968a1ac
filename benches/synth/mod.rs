//! Synthetic submissions for the benchmark: N units, one file each, 5–40 projects of 3–10
//! indicators, mixing the layouts and formats of samples/ (official .xlsx 25%, per-project forms
//! stacked on one sheet 25%, long-layout .xlsx with merged cells 25%, GBK .csv 15%,
//! tab-separated web export with HTML 10%), a share of them with one fault.
//! A fixed seed gives the same files every time.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Workbook, XlsxError};

/// splitmix64: small, fast and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in lo..=hi.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const LEVEL2: &[(&str, &str, &str, &str)] = &[
    ("1", "产出指标", "11", "数量指标"),
    ("1", "产出指标", "12", "质量指标"),
    ("1", "产出指标", "13", "时效指标"),
    ("2", "效益指标", "21", "经济效益"),
    ("2", "效益指标", "22", "社会效益"),
    ("2", "效益指标", "23", "生态效益"),
    ("3", "满意度指标", "31", "服务对象满意度"),
    ("4", "成本指标", "41", "经济成本指标"),
];
const WORDS: &[&str] = &[
    "社区",
    "道路",
    "河道",
    "学校",
    "医院",
    "图书馆",
    "公园",
    "养老",
    "信息化",
    "安全",
    "培训",
    "宣传",
    "维护",
    "建设",
    "运营",
    "监测",
    "服务",
    "平台",
    "设备",
    "改造",
];

struct Indicator {
    level: usize,
    name: String,
    period: String,
    annual: String,
}

struct Project {
    name: String,
    /// Cents: fiscal, special, other; total is their sum unless a fault says otherwise.
    parts: [u64; 3],
    total: u64,
    goal: String,
    indicators: Vec<Indicator>,
    /// A 财政拨款 cell that is text, not a number.
    bad_fiscal: bool,
}

struct Unit {
    name: String,
    projects: Vec<Project>,
}

fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn phrase(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.range(0, WORDS.len() as u64 - 1) as usize])
        .collect()
}

fn make_unit(rng: &mut Rng, index: usize) -> Unit {
    let n_projects = rng.range(5, 40) as usize;
    let faulty = rng
        .chance(10)
        .then(|| rng.range(0, n_projects as u64 - 1) as usize);
    let projects = (0..n_projects)
        .map(|p| {
            let parts = [
                rng.range(1_000, 5_000_000),
                if rng.chance(30) {
                    rng.range(100, 500_000)
                } else {
                    0
                },
                if rng.chance(30) {
                    rng.range(100, 200_000)
                } else {
                    0
                },
            ];
            let n_ind = rng.range(3, 10) as usize;
            let indicators = (0..n_ind)
                .map(|k| {
                    // Output, benefit and satisfaction first, so most projects are complete.
                    let level = match k {
                        0 => 0,
                        1 => 4,
                        2 => 6,
                        _ => rng.range(0, LEVEL2.len() as u64 - 1) as usize,
                    };
                    let (period, annual) = if level == 6 {
                        ("≥90%".to_string(), "≥90%".to_string())
                    } else if rng.chance(50) {
                        let n = rng.range(1, 500);
                        (format!("≥{n}个"), format!("≥{n}个"))
                    } else {
                        let n = rng.range(80, 100);
                        (format!("≥{n}%"), format!("≥{n}%"))
                    };
                    Indicator {
                        level,
                        name: format!("{}{}率", phrase(rng, 2), k + 1),
                        period,
                        annual,
                    }
                })
                .collect();
            let mut project = Project {
                name: format!("{}{}项目{}", phrase(rng, 3), index, p + 1),
                total: parts.iter().sum(),
                parts,
                goal: format!("通过{}，提升{}水平。", phrase(rng, 6), phrase(rng, 2)),
                indicators,
                bad_fiscal: false,
            };
            if faulty == Some(p) {
                match rng.range(0, 2) {
                    0 => project.total += 1_000,
                    1 => project.bad_fiscal = true,
                    _ => project.indicators.clear(),
                }
            }
            project
        })
        .collect();
    Unit {
        name: format!("合成单位{index:05}"),
        projects,
    }
}

fn indicator_text(p: &Project) -> String {
    let mut text = String::new();
    for (i, ind) in p.indicators.iter().enumerate() {
        let (c1, n1, c2, n2) = LEVEL2[ind.level];
        let _ = write!(
            text,
            "{}、{c1}-{n1}；{c2}-{n2}；{}；实施周期指标值:{}；年度指标值:{}。",
            i + 1,
            ind.name,
            ind.period,
            ind.annual
        );
    }
    text
}

fn unit_sums(u: &Unit) -> [u64; 4] {
    let mut sums = [0; 4];
    for p in &u.projects {
        sums[0] += p.total;
        for i in 0..3 {
            sums[i + 1] += p.parts[i];
        }
    }
    sums
}

const HEADER: [&str; 7] = [
    "项目名称（资金使用单位）",
    "总计",
    "财政拨款",
    "财政专户拨款",
    "其他资金",
    "绩效目标",
    "绩效指标",
];

/// The official (wide) layout, as text rows.
fn wide_rows(u: &Unit) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["项目支出绩效目标表（含转移支付项目）".to_string()],
        vec![format!("单位名称：{}", u.name)],
        vec!["单位：万元".to_string()],
        HEADER.iter().map(|s| s.to_string()).collect(),
    ];
    let sums = unit_sums(u);
    let total_row = |name: &str| {
        let mut r = vec![name.to_string()];
        r.extend(sums.iter().map(|c| money(*c)));
        r
    };
    rows.push(total_row("合计"));
    rows.push(total_row(&u.name));
    for p in &u.projects {
        rows.push(vec![
            p.name.clone(),
            money(p.total),
            if p.bad_fiscal {
                "待定".to_string()
            } else {
                money(p.parts[0])
            },
            money(p.parts[1]),
            money(p.parts[2]),
            p.goal.clone(),
            indicator_text(p),
        ]);
    }
    rows
}

fn write_wide_xlsx(u: &Unit, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in wide_rows(u).iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if r >= 4 && (1..=4).contains(&c) => ws.write_number(r, c, n)?,
                _ => ws.write_string(r, c, cell)?,
            };
        }
    }
    wb.save(path)
}

fn write_long_xlsx(u: &Unit, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 10, "项目支出绩效目标表（含转移支付项目）", &plain)?;
    ws.write_string(1, 0, format!("单位名称：{}", u.name))?;
    ws.merge_range(2, 0, 3, 0, "项目名称", &plain)?;
    ws.merge_range(2, 1, 2, 4, "资金情况（万元）", &plain)?;
    ws.merge_range(2, 5, 3, 5, "绩效目标", &plain)?;
    ws.merge_range(2, 6, 2, 10, "绩效指标", &plain)?;
    for (c, label) in [
        "总计",
        "财政拨款",
        "财政专户拨款",
        "其他资金",
        "",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
    ]
    .iter()
    .enumerate()
    {
        if !label.is_empty() {
            ws.write_string(3, 1 + c as u16, *label)?;
        }
    }
    let mut row = 4u32;
    for p in &u.projects {
        let n = p.indicators.len().max(1) as u32;
        let last = row + n - 1;
        let cells: [(u16, String); 6] = [
            (0, p.name.clone()),
            (1, money(p.total)),
            (
                2,
                if p.bad_fiscal {
                    "待定".into()
                } else {
                    money(p.parts[0])
                },
            ),
            (3, money(p.parts[1])),
            (4, money(p.parts[2])),
            (5, p.goal.clone()),
        ];
        for (c, text) in cells {
            let numeric = (1..=4).contains(&c) && text.parse::<f64>().is_ok();
            if last > row {
                ws.merge_range(row, c, last, c, "", &plain)?;
            }
            if numeric {
                ws.write_number(row, c, text.parse::<f64>().unwrap_or(0.0))?;
            } else {
                ws.write_string(row, c, &text)?;
            }
        }
        for (k, ind) in p.indicators.iter().enumerate() {
            let (_, n1, _, n2) = LEVEL2[ind.level];
            let r = row + k as u32;
            ws.write_string(r, 6, n1)?;
            ws.write_string(r, 7, n2)?;
            ws.write_string(r, 8, &ind.name)?;
            ws.write_string(r, 9, &ind.period)?;
            ws.write_string(r, 10, &ind.annual)?;
        }
        row = last + 1;
    }
    wb.save(path)
}

/// The per-project form (申报表): one block per project stacked on one sheet, labels merged
/// as published forms merge them, level-1 cells merged over their runs.
fn write_project_xlsx(u: &Unit, path: &Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = rust_xlsxwriter::Format::new();
    let mut row = 0u32;
    for p in &u.projects {
        ws.merge_range(row, 0, row, 5, "项目支出绩效目标表", &plain)?;
        ws.write_string(row + 1, 0, "项目名称")?;
        ws.merge_range(row + 1, 1, row + 1, 5, &p.name, &plain)?;
        ws.write_string(row + 2, 0, "主管部门")?;
        ws.write_string(row + 2, 1, "示例主管部门")?;
        ws.write_string(row + 2, 3, "实施单位")?;
        ws.merge_range(row + 2, 4, row + 2, 5, &u.name, &plain)?;
        ws.merge_range(row + 3, 0, row + 6, 0, "项目资金（万元）", &plain)?;
        let lines = [
            ("年度资金总额：", money(p.total)),
            (
                "其中：财政拨款",
                if p.bad_fiscal {
                    "待定".into()
                } else {
                    money(p.parts[0])
                },
            ),
            ("财政专户拨款", money(p.parts[1])),
            ("其他资金", money(p.parts[2])),
        ];
        for (k, (label, value)) in lines.iter().enumerate() {
            let r = row + 3 + k as u32;
            ws.merge_range(r, 1, r, 3, label, &plain)?;
            ws.merge_range(r, 4, r, 5, "", &plain)?;
            match value.parse::<f64>() {
                Ok(v) => ws.write_number(r, 4, v)?,
                Err(_) => ws.write_string(r, 4, value)?,
            };
        }
        ws.write_string(row + 7, 0, "年度目标")?;
        ws.merge_range(row + 7, 1, row + 7, 5, &p.goal, &plain)?;
        let header = row + 8;
        let n = p.indicators.len() as u32;
        if n > 0 {
            ws.merge_range(header, 0, header + n, 0, "绩效指标", &plain)?;
        } else {
            ws.write_string(header, 0, "绩效指标")?;
        }
        for (c, label) in [
            "一级指标",
            "二级指标",
            "三级指标",
            "实施期指标值",
            "年度指标值",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(header, 1 + c as u16, *label)?;
        }
        let mut k = 0;
        while k < p.indicators.len() {
            let (_, n1, _, _) = LEVEL2[p.indicators[k].level];
            let run = p.indicators[k..]
                .iter()
                .take_while(|i| LEVEL2[i.level].1 == n1)
                .count();
            let r = header + 1 + k as u32;
            if run > 1 {
                ws.merge_range(r, 1, r + run as u32 - 1, 1, n1, &plain)?;
            } else {
                ws.write_string(r, 1, n1)?;
            }
            for (j, ind) in p.indicators[k..k + run].iter().enumerate() {
                let rr = r + j as u32;
                ws.write_string(rr, 2, LEVEL2[ind.level].3)?;
                ws.write_string(rr, 3, &ind.name)?;
                ws.write_string(rr, 4, &ind.period)?;
                ws.write_string(rr, 5, &ind.annual)?;
            }
            k += run;
        }
        row = header + n + 2;
    }
    wb.save(path)
}

fn delimited(rows: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

fn write_gbk_csv(u: &Unit, path: &Path) -> std::io::Result<()> {
    let text = String::from_utf8(delimited(&wide_rows(u), b',')).unwrap_or_default();
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(path, bytes)
}

fn write_web_tsv(u: &Unit, path: &Path) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = wide_rows(u)
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            row.into_iter()
                .map(|cell| {
                    if r >= 6 && cell.len() > 20 {
                        format!("<p>{cell}</p>")
                    } else {
                        cell
                    }
                })
                .collect()
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    std::fs::write(path, text)
}

/// What was generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct Generated {
    pub files: usize,
    pub projects: usize,
    pub indicators: usize,
}

/// The layouts of the synthetic files, as [`layout_of`] numbers them.
#[allow(dead_code)] // read by the benchmark, not by the generate example
pub const LAYOUTS: [&str; 5] = [
    "official .xlsx",
    "per-project forms",
    "long layout",
    "GBK .csv",
    "web .txt",
];

/// The layout of the file numbered `i` (its name starts with the number): a quarter each of
/// the three .xlsx layouts, 15% .csv and 10% .txt.
pub fn layout_of(i: usize) -> usize {
    match i % 20 {
        0..=4 => 0,
        5..=9 => 1,
        10..=14 => 2,
        15..=17 => 3,
        _ => 4,
    }
}

/// Writes `files` synthetic submissions into `dir` (created), the same for the same seed.
pub fn generate(dir: &Path, files: usize, seed: u64) -> std::io::Result<Generated> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut stats = Generated::default();
    for i in 0..files {
        let unit = make_unit(&mut rng, i);
        stats.files += 1;
        stats.projects += unit.projects.len();
        stats.indicators += unit
            .projects
            .iter()
            .map(|p| p.indicators.len())
            .sum::<usize>();
        let base: PathBuf = dir.join(format!("{:05}_{}", i, unit.name));
        let io = |e: XlsxError| std::io::Error::other(e.to_string());
        match layout_of(i) {
            0 => write_wide_xlsx(&unit, &base.with_extension("xlsx")).map_err(io)?,
            1 => write_project_xlsx(&unit, &base.with_extension("xlsx")).map_err(io)?,
            2 => write_long_xlsx(&unit, &base.with_extension("xlsx")).map_err(io)?,
            3 => write_gbk_csv(&unit, &base.with_extension("csv"))?,
            _ => write_web_tsv(&unit, &base.with_extension("txt"))?,
        }
    }
    Ok(stats)
}
