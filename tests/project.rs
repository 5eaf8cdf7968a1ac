//! The per-project form (申报表) on real published tables: every fixture of
//! `tests/fixtures/project/` read with its unit, projects, funding, goals, each indicator and its
//! targets as `expected.json` gives them (transcribed from the source), and with exactly the
//! issues its source really has.

mod common;

use std::path::PathBuf;

use jixiao::base::form::Form;
use jixiao::base::model::{Amount, LayoutKind, Submission, Unit};
use jixiao::base::text::money_text;
use jixiao::discover::discover;
use jixiao::normalize::normalize_grid;
use jixiao::process::process_all;
use jixiao::read::read_grid;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/project").join(name)
}

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("expected.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The units a file normalizes to, before the taxonomy renames categories.
fn read_units(name: &str) -> (Vec<Unit>, Vec<LayoutKind>) {
    let path = fixture(name);
    let discovery = discover(std::slice::from_ref(&path)).unwrap();
    let source = &discovery.sources[0];
    let bytes = std::fs::read(&path).unwrap();
    let ext = path.extension().unwrap().to_string_lossy().to_lowercase();
    let grid = read_grid(&bytes, source.kind, &ext).unwrap();
    let (tables, _) = normalize_grid(&grid, &Form::default_form(), name, "stem");
    let layouts = tables.iter().map(|t| t.layout).collect();
    (tables.into_iter().flat_map(|t| t.units).collect(), layouts)
}

/// A file through the whole per-file pipeline.
fn process(name: &str) -> Submission {
    let discovery = discover(&[fixture(name)]).unwrap();
    process_all(&discovery.sources, &Form::default_form(), 1, true).remove(0)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn amount(a: &Amount) -> Option<String> {
    match a {
        Amount::Value(d) => Some(money_text(*d)),
        _ => None,
    }
}

/// The same decimal, whatever the number of trailing zeros ("1000.00" and "1000").
fn same_money(got: Option<String>, want: &Value) -> bool {
    let parse = |s: &str| {
        s.parse::<rust_decimal::Decimal>()
            .ok()
            .map(|d| d.normalize())
    };
    match (got, want.as_str()) {
        (Some(g), Some(w)) => parse(&g) == parse(w),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn every_per_project_fixture_reads_as_transcribed() {
    let mut checked = 0;
    for case in expected() {
        let file = case["file"].as_str().unwrap();
        if !case["layout"].as_str().unwrap().contains("per-project") {
            continue;
        }
        let (units, layouts) = read_units(file);
        assert_eq!(layouts, [LayoutKind::Project], "{file}: layout");
        let want_units = case["units"].as_array().unwrap();
        assert_eq!(units.len(), want_units.len(), "{file}: units");
        for (unit, want) in units.iter().zip(want_units) {
            assert_eq!(
                Some(unit.name.clone()),
                text(&want["name"]),
                "{file}: unit name"
            );
            assert_eq!(unit.code, text(&want["code"]), "{file}: unit code");
            let want_projects = want["projects"].as_array().unwrap();
            assert_eq!(unit.projects.len(), want_projects.len(), "{file}: projects");
            for (p, wp) in unit.projects.iter().zip(want_projects) {
                assert_eq!(
                    Some(p.name.clone()),
                    text(&wp["name"]),
                    "{file}: project name"
                );
                let form = Form::default_form();
                let total = amount(p.amounts.get(form.total_field().unwrap()));
                assert!(
                    same_money(total.clone(), &wp["total"]),
                    "{file}: total {total:?} against {}",
                    wp["total"]
                );
                // Every funding part of the source, by its label, as read.
                for (label, value) in wp["funding"].as_object().unwrap() {
                    let line = p
                        .funding
                        .iter()
                        .find(|l| !l.period && &l.label == label)
                        .unwrap_or_else(|| panic!("{file}: no funding line {label}"));
                    // A cell the source garbled is reported (bad-amount), not guessed.
                    let faults = case["real_faults"].to_string();
                    if matches!(line.amount, Amount::Bad(_)) && faults.contains(label.as_str()) {
                        continue;
                    }
                    assert!(
                        same_money(amount(&line.amount), value),
                        "{file}: {label} {:?} against {value}",
                        line.amount
                    );
                }
                if let Some(period) = wp["period_total"].as_str() {
                    let line = p.funding.iter().find(|l| l.period).unwrap();
                    assert!(same_money(amount(&line.amount), &Value::from(period)));
                }
                let squeeze =
                    |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                if let Some(goal) = wp["goal_annual"].as_str() {
                    assert_eq!(squeeze(&p.goal), squeeze(goal), "{file}: annual goal");
                }
                if let Some(goal) = wp["goal_period"].as_str() {
                    assert_eq!(
                        squeeze(&p.goal_period),
                        squeeze(goal),
                        "{file}: period goal"
                    );
                }
                let want_list = wp["indicator_list"].as_array().unwrap();
                assert_eq!(p.indicators.len(), want_list.len(), "{file}: indicators");
                assert!(
                    p.indicator_faults.is_empty(),
                    "{file}: {:?}",
                    p.indicator_faults
                );
                for (ind, wi) in p.indicators.iter().zip(want_list) {
                    let w: Vec<Option<String>> = wi.as_array().unwrap().iter().map(text).collect();
                    let got = [
                        Some(ind.level1.render()),
                        Some(ind.level2.render()),
                        Some(ind.name.to_string()),
                    ];
                    // The item number of "指标1：…" is not part of the name.
                    let unnumbered = |s: &str| match s
                        .strip_prefix("指标")
                        .and_then(|r| r.split_once([':', '：']))
                    {
                        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => {
                            rest.to_string()
                        }
                        _ => s.to_string(),
                    };
                    let want3: Vec<Option<String>> = w[..3]
                        .iter()
                        .map(|s| s.as_deref().map(|s| unnumbered(&squeeze(s))))
                        .collect();
                    assert_eq!(got.to_vec(), want3, "{file}: indicator {}", ind.name);
                    let annual = w[4].clone().unwrap_or_default();
                    assert_eq!(
                        squeeze(&ind.annual.text),
                        squeeze(&annual),
                        "{file}: {}",
                        ind.name
                    );
                    // A form with no period column has the year's value stand for both.
                    let period = w[3].clone().unwrap_or(annual);
                    assert_eq!(
                        squeeze(&ind.period.text),
                        squeeze(&period),
                        "{file}: {}",
                        ind.name
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} per-project fixtures");
}

/// (rule, cell) of every issue a file gives, in report order.
fn issues(name: &str) -> Vec<(String, Option<String>)> {
    let mut found = process(name).issues;
    found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    found
        .iter()
        .map(|i| (i.rule.code().to_string(), i.place.cell()))
        .collect()
}

fn pairs(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    list.iter()
        .map(|(r, c)| (r.to_string(), c.map(str::to_string)))
        .collect()
}

#[test]
fn each_source_gives_the_issues_it_really_has() {
    // Template prompts and vague targets are not rules; a cost target equal to the whole
    // budget is.
    assert_eq!(
        issues("anhui_2021_jinzhai_wuye.html"),
        pairs(&[("cost-is-budget", Some("D13"))])
    );
    assert_eq!(
        issues("anhui_2025_jinan_tennis.html"),
        pairs(&[("cost-is-budget", Some("D20"))])
    );
    assert_eq!(issues("hubei_2020_qingshan_bxgz.html"), pairs(&[]));
    assert_eq!(issues("hubei_2020_qingshan_jichusheshi.html"), pairs(&[]));
    assert_eq!(issues("hunan_2024_xiangtan_wupaoche.html"), pairs(&[]));
    // The 财政拨款 cell repeats its amount: "854万854万(…)".
    assert_eq!(
        issues("hunan_2022_yueyang_gaobiaozhun.html"),
        pairs(&[("bad-amount", Some("C6"))])
    );
    assert_eq!(
        issues("hunan_2023_xiangtan_wupaoche.xlsx"),
        pairs(&[("cost-is-budget", Some("D13"))])
    );
    // Three decimals, no goal, no satisfaction indicator.
    let linyi: Vec<String> = issues("shandong_2025_linyi_gongyong.html")
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(
        linyi,
        [
            "missing-goal",
            "amount-precision",
            "missing-satisfaction-indicator"
        ]
    );
    // 年度资金总额 holds a column header, not an amount: only the parts give 6.30.
    assert_eq!(
        issues("sichuan_2021_zhaohua_tekun.xlsx"),
        pairs(&[("funding-mismatch", Some("B5"))])
    );
    // The fixture holds the 产出 block only (50 of the form's points): the missing 效益 and
    // 满意度 indicators and the weights are the excerpt's, the cost target the source's.
    let wuhai: Vec<String> = issues("neimenggu_2021_wuhai_zaisheng.xlsx")
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(
        wuhai,
        [
            "missing-benefit-indicator",
            "missing-satisfaction-indicator",
            "weight-sum",
            "cost-is-budget"
        ]
    );
}

#[test]
fn the_older_scheme_reads_without_category_errors() {
    // 社会公众或服务对象满意度指标 under 效益指标, 成本指标 under 产出指标.
    let sub = process("hubei_2020_qingshan_bxgz.html");
    assert!(sub.issues.is_empty(), "{:?}", sub.issues);
    let unit = sub.units().next().unwrap();
    let codes: Vec<String> = unit.projects[0]
        .indicators
        .iter()
        .map(|i| i.level2.code.as_deref().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        codes,
        ["11", "12", "12", "13", "13", "14", "24", "25", "25"]
    );
}

#[test]
fn amounts_as_published_text_with_units() {
    // "250万" under 单位:万元, "10000万元" with no unit line at all.
    let (units, _) = read_units("hunan_2023_xiangtan_wupaoche.xlsx");
    let form = Form::default_form();
    let total = units[0].projects[0]
        .amounts
        .get(form.total_field().unwrap());
    assert_eq!(amount(total).as_deref(), Some("250.00"));
    let (units, _) = read_units("hubei_2020_qingshan_jichusheshi.html");
    let p = &units[0].projects[0];
    assert_eq!(
        amount(p.amounts.get(form.total_field().unwrap())).as_deref(),
        Some("10000.00")
    );
    // 资金总额 beside 当年资金总额: the first is the period's, the second the year's.
    let period: Vec<&str> = p
        .funding
        .iter()
        .filter(|l| l.period)
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(period, ["资金总额", "财政拨款", "其他资金"]);
}

#[test]
fn the_budget_system_export_reads_its_unit_department_and_total() {
    for file in [
        "sichuan_2023_jingyan_matazhen.xlsx",
        "sichuan_2023_jingyan_matazhen.xls",
    ] {
        let sub = process(file);
        let units: Vec<&Unit> = sub.units().collect();
        assert_eq!(units.len(), 1, "{file}: the department row is no unit");
        let unit = units[0];
        assert_eq!(unit.name, "井研县马踏镇人民政府");
        assert_eq!(unit.code.as_deref(), Some("820001"));
        assert_eq!(unit.department.as_deref(), Some("马踏镇部门"));
        let p = &unit.projects[0];
        assert_eq!(p.name, "村组干部报酬");
        let form = Form::default_form();
        // 3,309,840 元, exactly.
        assert_eq!(
            amount(p.amounts.get(form.total_field().unwrap())).as_deref(),
            Some("330.984")
        );
        assert_eq!(p.indicators.len(), 8);
        // The sign from 指标性质, the unit from 度量单位, the weight from 权重.
        assert_eq!(p.indicators[0].annual.text, "≥95%");
        assert_eq!(p.indicators[1].annual.text, "≥1年");
        assert_eq!(p.indicators[0].direction.as_deref(), Some("正向指标"));
        let weights: rust_decimal::Decimal = p.indicators.iter().filter_map(|i| i.weight).sum();
        assert_eq!(weights, rust_decimal::Decimal::from(90));
        let mut found = sub.issues.clone();
        found.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let rules: Vec<(&str, Option<String>)> = found
            .iter()
            .map(|i| (i.rule.code(), i.place.cell()))
            .collect();
        // The department's published total covers projects the excerpt leaves out; no cost
        // indicator and weights of 90 are the source's own. No sum rule on one amount column,
        // and whole 元 are no precision fault.
        assert_eq!(
            rules,
            [
                ("total-mismatch", Some("C4".to_string())),
                ("missing-cost-indicator", None),
                ("weight-sum", None),
            ],
            "{file}"
        );
        assert!(
            found[0].message.starts_with("部门行总计 882.76"),
            "{}",
            found[0].message
        );
    }
}

#[test]
fn the_projects_of_one_unit_in_several_files_make_one_unit() {
    // 湘潭市环境卫生管理处 sent its 2023 form as .xlsx and its 2024 form as a web page.
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "hunan_2023_xiangtan_wupaoche.xlsx",
        "hunan_2024_xiangtan_wupaoche.html",
    ] {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    let out = common::jixiao(&[
        "check",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["units"], 1);
    assert_eq!(report["summary"]["projects"], 2);
    assert_eq!(report["summary"]["total"], "500.00");
    assert!(
        !report["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["rule"] == "duplicate-unit"),
        "{report}"
    );
}

#[test]
fn no_form_found_says_what_was_seen() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("近似.csv");
    std::fs::write(
        &file,
        "2025年绩效目标\n项目名称,总计,说明\n河道保洁,10,无\n",
    )
    .unwrap();
    let out = common::jixiao(&["check", file.to_str().unwrap(), "--format", "json", "-q"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let issue = &report["issues"][0];
    assert_eq!(issue["rule"], "no-form-found");
    assert_eq!(issue["row"], 2);
    let message = issue["message"].as_str().unwrap();
    for part in [
        "试过：公开版（每项目一行）、申报版（每指标一行）、单项目表（每项目一块）",
        "最接近表头的是第 2 行：有“项目名称（资金使用单位）”“总计”",
        "缺少“财政拨款”“绩效目标”“绩效指标”",
        "也没有单项目表",
    ] {
        assert!(message.contains(part), "{message}");
    }
}
