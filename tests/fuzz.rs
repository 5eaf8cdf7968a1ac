//! Property tests of every parser of text we do not control: amounts, indicator text, target
//! values, header matching, delimited text with its encodings and HTML. Any input: no panic.
//! Printed then parsed: the same value. Inputs are drawn both from arbitrary strings and bytes and
//! from fragments of the real seed and the samples (the seed corpus), recombined.
//!
//! CI runs proptest's default number of cases; a long run sets PROPTEST_CASES, e.g.
//! `PROPTEST_CASES=2000000 cargo test --release --test fuzz -- --test-threads 2`.

use std::str::FromStr;
use std::sync::LazyLock;

use proptest::prelude::*;
use rust_decimal::Decimal;

use jixiao::base::form::Form;
use jixiao::base::model::{Comparison, TargetValue};
use jixiao::base::text::format_amount;
use jixiao::locate::{locate_sheet, normalize_label};
use jixiao::normalize::amount::{parse_amount, parse_amount_text};
use jixiao::normalize::indicator::{parse_indicator_text, render_indicators};
use jixiao::normalize::target::parse_target;
use jixiao::read::grid::{Cell, Sheet};
use jixiao::read::text::{read_text, strip_html};

static FORM: LazyLock<Form> = LazyLock::new(Form::default_form);

/// The seed corpus: the published seed and the text samples, cut at the separators a parser
/// looks for, so that recombined pieces make plausible and implausible inputs alike.
static FRAGMENTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("samples/000_8ac005536caa6091.txt")).unwrap();
    text.push_str(&std::fs::read_to_string(root.join("samples/示例单位巳.csv")).unwrap());
    let mut fragments: Vec<String> = text
        .split_inclusive(['；', '、', '。', '\t', '\n', ':', '：', ',', '<', '>'])
        .map(str::to_string)
        .filter(|s| !s.is_empty())
        .collect();
    fragments.sort();
    fragments.dedup();
    fragments
});

/// A string made of 1–30 fragments of the seed corpus, with arbitrary text mixed in.
fn corpus_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        4 => prop::sample::select(FRAGMENTS.clone()),
        1 => ".{0,8}",
        1 => "[0-9.,，．０-９%％≥≤<>=＞＜＝-]{0,6}",
    ];
    prop::collection::vec(fragment, 1..30).prop_map(|parts| parts.concat())
}

/// An indicator item of the seed's syntax with arbitrary names and values.
fn indicator_item() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "1-产出指标；11-数量指标",
            "1-产出指标；12-质量指标",
            "2-效益指标；22-社会效益",
            "3-满意度指标；31-服务对象满意度",
            "4-成本指标；41-经济成本指标",
        ]),
        "[\\p{Han}A-Za-z（）()]{1,12}",
        target_text(),
        target_text(),
    )
        .prop_map(|(cats, name, p, a)| {
            format!("{cats}；{name}；实施周期指标值:{p}；年度指标值:{a}")
        })
}

fn target_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop::sample::select(vec!["", "≥", "≤", ">", "<", "不低于", "不超过", "大于等于"]),
            0u32..100_000,
            0u32..100,
            prop::sample::select(vec!["", "%", "个", "人", "万人", "天", "分", "万元"]),
        )
            .prop_map(|(op, int, frac, unit)| format!("{op}{int}.{frac:02}{unit}")),
        prop::sample::select(vec![
            "良好及以上",
            "是",
            "否",
            "2025年9月30日前",
            "项目完成后产出成果"
        ])
        .prop_map(str::to_string),
    ]
}

fn sheet_of(rows: Vec<Vec<String>>) -> Sheet {
    Sheet {
        name: Some("Sheet1".into()),
        rows: rows
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|s| {
                        if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.into())
                        }
                    })
                    .collect()
            })
            .collect(),
        ..Sheet::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn amounts_never_panic(text in prop_oneof![".*", corpus_text()]) {
        let _ = parse_amount_text(&text);
        let _ = parse_amount(&Cell::Text(text.as_str().into()), Decimal::from(10_000), &FORM);
    }

    #[test]
    fn floats_never_panic(value in any::<f64>()) {
        let _ = parse_amount(&Cell::Number(value), Decimal::ONE, &FORM);
    }

    #[test]
    fn amounts_round_trip(cents in -10_000_000_000_000i64..10_000_000_000_000i64) {
        let value = Decimal::new(cents, 2);
        let printed = format_amount(value);
        prop_assert_eq!(parse_amount_text(&printed), Ok(Some(value)), "{}", printed);
    }

    #[test]
    fn indicator_text_never_panics(text in prop_oneof![".*", corpus_text()]) {
        let (indicators, faults) = parse_indicator_text(&text);
        // Every piece is accounted for: parsed, or reported.
        prop_assert!(indicators.len() + faults.len() > 0 || text.trim().is_empty());
    }

    #[test]
    fn indicators_round_trip(items in prop::collection::vec(indicator_item(), 1..8)) {
        let text: String = items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}、{item}。", i + 1))
            .collect();
        let (parsed, faults) = parse_indicator_text(&text);
        prop_assert!(faults.is_empty(), "{:?}", faults);
        prop_assert_eq!(parsed.len(), items.len());
        let rendered = render_indicators(&parsed);
        let (again, faults) = parse_indicator_text(&rendered);
        prop_assert!(faults.is_empty());
        prop_assert_eq!(again, parsed);
    }

    #[test]
    fn targets_never_panic(text in prop_oneof![".*", corpus_text()]) {
        let t = parse_target(&text);
        prop_assert_eq!(t.text, text);
    }

    #[test]
    fn numeric_targets_round_trip(
        op in prop::sample::select(vec![None, Some(Comparison::Ge), Some(Comparison::Le), Some(Comparison::Gt), Some(Comparison::Lt), Some(Comparison::Eq)]),
        cents in 0u64..100_000_000,
        unit in prop::sample::select(vec!["", "%", "个", "人次", "万元", "天"]),
    ) {
        let number = Decimal::new(cents as i64, 2).normalize();
        let printed = format!("{}{number}{unit}", op.map_or("", Comparison::symbol));
        let t = parse_target(&printed);
        match t.value {
            TargetValue::Numeric(n) => {
                prop_assert_eq!(n.comparison, op);
                prop_assert_eq!(n.number, number);
                prop_assert_eq!(n.unit, unit);
            }
            other => prop_assert!(false, "{} read as {:?}", printed, other),
        }
    }

    #[test]
    fn header_matching_never_panics(
        rows in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "项目名称", "总计", "合计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标",
                        "绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值",
                        "指标值", "资金情况（万元）", "总计（元）", "单位：万元", "单位名称：示例单位",
                        "",
                    ]).prop_map(str::to_string),
                    ".{0,12}",
                    corpus_text(),
                ],
                0..12,
            ),
            0..12,
        )
    ) {
        for row in &rows {
            for cell in row {
                let _ = normalize_label(cell, &FORM);
            }
        }
        if let Some(layout) = locate_sheet(&sheet_of(rows), &FORM) {
            prop_assert!(layout.columns.found_fields().count() >= 1);
        }
    }

    #[test]
    fn delimited_text_never_panics(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        corpus_text().prop_map(String::into_bytes),
        corpus_text().prop_map(|s| encoding_rs::GBK.encode(&s).0.into_owned()),
    ]) {
        for extension in ["csv", "tsv", "txt"] {
            let _ = read_text(&bytes, extension);
        }
    }

    #[test]
    fn html_stripping_never_panics(text in prop_oneof![".*", corpus_text(), "[<>&;a-z#0-9/p ]{0,40}"]) {
        let stripped = strip_html(&text);
        prop_assert!(stripped.len() <= text.len() * 4 + 4);
    }
}

#[test]
fn the_seed_corpus_is_real() {
    assert!(FRAGMENTS.len() > 200, "{}", FRAGMENTS.len());
    // Every indicator cell of the seed parses without a fault and round-trips.
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/000_8ac005536caa6091.txt"),
    )
    .unwrap();
    let mut cells = 0;
    for line in seed.lines() {
        let Some(cell) = line.split('\t').nth(6) else {
            continue;
        };
        let cell = strip_html(cell);
        if !cell.contains("实施周期指标值") {
            continue;
        }
        cells += 1;
        let (parsed, faults) = parse_indicator_text(&cell);
        assert!(faults.is_empty(), "{cell}");
        let (again, _) = parse_indicator_text(&render_indicators(&parsed));
        assert_eq!(again, parsed);
    }
    assert_eq!(cells, 18);
    assert_eq!(
        Decimal::from_str("4671.23").ok(),
        parse_amount_text("4,671.23").ok().flatten()
    );
}
