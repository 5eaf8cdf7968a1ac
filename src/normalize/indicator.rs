//! The wide layout's indicator text: all indicators of a project in one cell,
//!
//! ```text
//! 1、1-产出指标；11-数量指标；信息更正完成率；实施周期指标值:100%；年度指标值:100%。2、…
//! ```
//!
//! parsed into [`Indicator`]s. Separators may be full- or half-width, with line breaks between
//! items and with or without the final "。". Names are kept exactly as written.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use regex::Regex;

use crate::base::model::{CategoryRef, Indicator, IndicatorFault};
use crate::base::text::{read_kept, KeptReadings, Text};
use crate::normalize::target::parse_targets;

/// Where an item starts: its number and "、", then a level-1 category (code or name). The
/// number must open the text or follow an item's end (。 ； . or a line break). Found without
/// the regex ([`item_starts`]); tests hold the two together.
#[cfg(test)]
static ITEM_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[。；;.．\s])\s*(\d{1,3})\s*[、.．]\s*(?:\d{1,2}\s*[-－—–]|产出|效益|满意度|成本)",
    )
    .expect("valid regex")
});

static CATEGORY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\s*[-－—–]\s*(.*)$").expect("valid regex"));

/// Labels of the two target values, official first.
const PERIOD_LABELS: &[&str] = &["实施周期指标值", "实施周期目标值", "实施期指标值"];
const ANNUAL_LABELS: &[&str] = &["年度指标值", "年度目标值"];
static PERIOD_FINDERS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(PERIOD_LABELS));
static ANNUAL_FINDERS: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| finders(ANNUAL_LABELS));

/// Parses a wide-layout indicator cell. Returns the indicators that could be read and a fault
/// for each piece that could not; an empty cell gives neither.
pub fn parse_indicator_text(text: &str) -> (Vec<Indicator>, Vec<IndicatorFault>) {
    let text = crate::base::text::trim(text);
    let mut indicators = Vec::new();
    let mut faults = Vec::new();
    if text.is_empty() {
        return (indicators, faults);
    }
    let starts = item_starts(text);
    let Some(&(first, _)) = starts.first() else {
        faults.push(IndicatorFault {
            seq: None,
            text: text.to_string(),
            reason:
                "没有找到“序号、一级指标；二级指标；三级指标；实施周期指标值；年度指标值”格式的指标"
                    .to_string(),
        });
        return (indicators, faults);
    };
    let lead = trim_item(&text[..first]);
    if !lead.is_empty() {
        faults.push(IndicatorFault {
            seq: None,
            text: lead.to_string(),
            reason: "第一条指标之前有无法识别的文字".to_string(),
        });
    }
    indicators.reserve(starts.len());
    for (i, &(start, seq)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(text.len(), |&(s, _)| s);
        let item = trim_item(&text[start..end]);
        match parse_item(item) {
            Ok(indicator) => indicators.push(Indicator { seq, ..indicator }),
            Err(reason) => faults.push(IndicatorFault {
                seq,
                text: item.to_string(),
                reason,
            }),
        }
    }
    (indicators, faults)
}

/// Where each item of an indicator cell starts, and its number: the group 1 of each of
/// [`ITEM_START`]'s matches, in order. The regex's search went through every byte of every cell;
/// an item has "、" or a period right after its number (spaces aside), so only those are looked
/// at, found by their bytes: `.`, and the first bytes of "、" and "．" (which start no other
/// character of the text but other punctuation, and never a character's middle).
fn item_starts(text: &str) -> Vec<(usize, Option<u32>)> {
    let mut starts = Vec::new();
    // Where the regex's next search would begin: past its last match.
    let mut from = 0;
    for at in memchr::memchr3_iter(b'.', 0xE3, 0xEF, text.as_bytes()) {
        // Told by its bytes: most hits are other full-width punctuation (；：（）。), which
        // decoding each took a fifth of reading an indicator cell.
        let separator_len = match &text.as_bytes()[at..] {
            [b'.', ..] => 1,
            [0xE3, 0x80, 0x81, ..] | [0xEF, 0xBC, 0x8E, ..] => 3, // 、 and ．
            _ => continue,
        };
        // Before it, spaces and the number: a whole run of one to three digits.
        let number_end = text[..at].trim_end().len();
        let number_start = text[..number_end]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_digit(c))
            .last()
            .map(|(i, _)| i);
        let Some(number_start) = number_start else {
            continue;
        };
        // A number inside the last match is not searched again. (None could start an item
        // anyway: the only digits in a match besides its number are a code's, before a dash,
        // not a 、. The tests cannot tell this guard's absence.)
        if number_start < from || text[number_start..number_end].chars().count() > 3 {
            continue;
        }
        // Before the number, the start of the text, a space or an item's end (a number right
        // after the last match follows its dash or name, so is never one).
        let opens = text[..number_start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '。' | '；' | ';' | '.' | '．'));
        let Some(end) = opens
            .then(|| category_start(&text[at + separator_len..]))
            .flatten()
        else {
            continue;
        };
        starts.push((number_start, text[number_start..number_end].parse().ok()));
        from = text.len() - end.len();
    }
    starts
}

/// After an item number's "、": spaces, then a category code of one or two digits and a dash,
/// or a level-1 name. What follows them, or `None`.
fn category_start(text: &str) -> Option<&str> {
    let rest = text.trim_start();
    let digits: usize = rest
        .chars()
        .take_while(|&c| is_digit(c))
        .map(char::len_utf8)
        .sum();
    match rest[..digits].chars().count() {
        0 => ["产出", "效益", "满意度", "成本"]
            .iter()
            .find_map(|word| rest.strip_prefix(word)),
        1 | 2 => rest[digits..]
            .trim_start()
            .strip_prefix(['-', '－', '—', '–']),
        _ => None,
    }
}

/// A decimal digit as the regex's `\d` reads it: Unicode's Nd (ASCII and full-width digits, and
/// those of other scripts; not ① or ½).
fn is_digit(c: char) -> bool {
    static DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d$").expect("valid regex"));
    c.is_ascii_digit()
        || (!c.is_ascii() && c.is_numeric() && DIGIT.is_match(c.encode_utf8(&mut [0; 4])))
}

/// Removes the separators around an item (the final 。, line breaks).
fn trim_item(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '；' | ';'))
}

fn find_label(s: &str, labels: &[Finder<'static>]) -> Option<(usize, usize)> {
    labels.iter().find_map(|l| {
        l.find(s.as_bytes())
            .map(|pos| (pos, pos + l.needle().len()))
    })
}

/// Searchers for labels, built once (`str::find` prepares its search on every call, and an
/// indicator is searched for two labels).
fn finders(labels: &[&'static str]) -> Vec<Finder<'static>> {
    labels.iter().map(|&l| Finder::new(l)).collect()
}

/// Strips the colon after a label and the separators around a value.
fn clean_value(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：'))
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '；' | ';' | '，' | ',' | '。')
        })
}

/// `text.split(['；', ';'])`, found by their bytes: the pattern decoded every character of
/// every indicator, a third of reading an indicator cell.
fn split_semicolons(text: &str) -> impl Iterator<Item = &str> {
    const FULL_WIDTH: &[u8] = "；".as_bytes();
    let bytes = text.as_bytes();
    let mut from = Some(0);
    std::iter::from_fn(move || {
        let start = from?;
        // ';' itself, or the last byte of '；' (a continuation byte of other characters too:
        // the two before it tell).
        let mut at = start;
        let (end, next) = loop {
            match memchr::memchr2(b';', FULL_WIDTH[2], &bytes[at..]) {
                None => break (bytes.len(), None),
                Some(i) if bytes[at + i] == b';' => break (at + i, Some(at + i + 1)),
                Some(i) if bytes[..at + i + 1].ends_with(FULL_WIDTH) => {
                    break (at + i + 1 - FULL_WIDTH.len(), Some(at + i + 1))
                }
                Some(i) => at += i + 1,
            }
        };
        from = next;
        Some(&text[start..end])
    })
}

fn parse_item(item: &str) -> Result<Indicator, String> {
    // Skip the item number and its "、".
    let body_start = item
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || c.is_whitespace()))
        .map_or(item.len(), |(i, c)| i + c.len_utf8());
    let body = &item[body_start..];
    let Some((period_at, period_end)) = find_label(body, &PERIOD_FINDERS) else {
        return Err("缺少“实施周期指标值”".to_string());
    };
    let Some((annual_at, annual_end)) = find_label(&body[period_end..], &ANNUAL_FINDERS)
        .map(|(a, b)| (a + period_end, b + period_end))
    else {
        return Err("缺少“年度指标值”".to_string());
    };
    let mut head = split_semicolons(&body[..period_at])
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (Some(level1), Some(level2), Some(first_name)) = (head.next(), head.next(), head.next())
    else {
        let found = split_semicolons(&body[..period_at])
            .filter(|s| !s.trim().is_empty())
            .count();
        return Err(format!(
            "应有“一级指标；二级指标；三级指标”三段，只找到 {found} 段"
        ));
    };
    // A name written with its own separators keeps them (as "；").
    let mut name = Text::from(first_name);
    for more in head {
        name.push('；');
        name.push_str(more);
    }
    let (period, annual) = parse_targets(
        clean_value(&body[period_end..annual_at]),
        clean_value(&body[annual_end..]),
    );
    Ok(Indicator {
        seq: None,
        level1: parse_category(level1),
        level2: parse_category(level2),
        name,
        period,
        annual,
        ..Indicator::default()
    })
}

thread_local! {
    /// Category texts read on this thread: a run's indicators write a few dozen distinct ones
    /// (1-产出指标, 11-数量指标) thousands of times.
    static KNOWN: KeptReadings<CategoryRef> = KeptReadings::default();
}

/// "1-产出指标" → code 1, name 产出指标; "产出指标" → name only.
pub fn parse_category(text: &str) -> CategoryRef {
    read_kept(&KNOWN, text, read_category)
}

/// [`parse_category`], read afresh.
fn read_category(text: &str) -> CategoryRef {
    let text = text.trim();
    match split_code(text) {
        Some((code, name)) => CategoryRef {
            code: Some(code.into()),
            name: name.trim().into(),
        },
        None => CategoryRef {
            code: None,
            name: text.into(),
        },
    }
}

/// [`CATEGORY`]'s match: the code and the rest. Text that starts with one to three ASCII digits,
/// or with no digit at all, is read by hand (most categories, and the regex's captures were a
/// tenth of reading an indicator); other digits go to the regex.
fn split_code(text: &str) -> Option<(&str, &str)> {
    let ascii = text.bytes().take_while(u8::is_ascii_digit).count();
    let after = text[ascii..].chars().next();
    if ascii == 0 && !after.is_some_and(char::is_numeric) {
        return None;
    }
    if ascii == 0 || ascii > 3 || after.is_some_and(char::is_numeric) {
        let c = CATEGORY.captures(text)?;
        let (code, rest) = (c.get(1)?, c.get(2)?);
        return Some((code.as_str(), rest.as_str()));
    }
    let rest = text[ascii..].trim_start();
    let rest = rest.strip_prefix(['-', '－', '—', '–'])?.trim_start();
    (!rest.contains('\n')).then_some((&text[..ascii], rest))
}

/// Appends a row's indicator cells to a project's 绩效指标 text as a line of its own, joined by
/// "｜" (how the long layout and the per-project form keep their rows as text). Returns where
/// the line starts.
pub fn push_indicator_line<'a>(
    text: &mut String,
    parts: impl IntoIterator<Item = &'a str>,
) -> usize {
    if !text.is_empty() {
        text.push('\n');
    }
    let at = text.len();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            text.push('｜');
        }
        text.push_str(part);
    }
    at
}

/// Renders indicators in the canonical text of the official form.
pub fn render_indicators(indicators: &[Indicator]) -> String {
    indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            format!(
                "{}、{}；{}；{}；实施周期指标值:{}；年度指标值:{}。",
                ind.seq.unwrap_or(i as u32 + 1),
                ind.level1.render(),
                ind.level2.render(),
                ind.name,
                ind.period.text,
                ind.annual.text
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::model::Comparison;

    proptest::proptest! {
        /// The byte search splits where the standard split does, into the same pieces.
        #[test]
        fn semicolons_split_as_the_standard_split(text in "[;；a项；、\u{ff1b}\u{fe54}\u{f1b}\u{9b}]{0,10}") {
            let ours: Vec<&str> = split_semicolons(&text).collect();
            let standard: Vec<&str> = text.split(['；', ';']).collect();
            proptest::prop_assert_eq!(ours, standard);
        }
    }

    /// A kept category is the category read afresh: codes and names, short and long, read the
    /// first time and again, more of them than a thread keeps.
    #[test]
    fn kept_categories_are_the_categories() {
        let mut texts: Vec<String> = Vec::new();
        for n in 0..(crate::base::text::KEPT_TEXTS + 300) {
            texts.push(format!("{}-产出指标", n % 1000));
            texts.push(format!("数量指标{n}"));
        }
        texts.extend(
            [
                " 11 - 数量指标 ",
                "１１－数量",
                "",
                "31-服务对象满意度指标（很长的说明文字）",
            ]
            .map(String::from),
        );
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(parse_category(text), read_category(text), "{text}");
            }
        }
    }

    const SEED_CELL: &str = "1、1-产出指标；11-数量指标；信息更正完成率；实施周期指标值:100%；年度指标值:100%。2、1-产出指标；11-数量指标；农村集体经济组织成员与宅基地上房屋关联数（人数）；实施周期指标值:≥210万人；年度指标值:≥210万人。3、2-效益指标；22-社会效益；网站考评结果；实施周期指标值:良好及以上；年度指标值:良好及以上。4、3-满意度指标；31-服务对象满意度；被调查用户满意度；实施周期指标值:≥90%；年度指标值:≥90%。";

    /// Texts of the pieces an item start is made of, in any order: digits of every kind (ASCII,
    /// full-width, Arabic-Indic, and numerals that are no digits), spaces, every separator,
    /// dash and other full-width punctuation, the level-1 names, and whole starts.
    fn item_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = [
            "1",
            "12",
            "123",
            "1234",
            "１",
            "٢",
            "①",
            "½",
            "、",
            ".",
            "．",
            "。",
            "；",
            ";",
            " ",
            "\n",
            "\u{3000}",
            "-",
            "－",
            "—",
            "–",
            "：",
            "（",
            "产出",
            "效益",
            "满意度",
            "成本",
            "指标",
            "a",
            "1、",
            "2.",
            "１、",
            "1、1-",
            "12、123-",
            "3．12 －",
            "1、产出",
            "。2、效益",
            " 4、",
            "≥90.5%",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..24)
            .prop_map(|v| v.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// The items start where the regex's search says, with the same numbers.
        #[test]
        fn item_starts_are_the_regexs_group(text in item_like()) {
            let by_regex: Vec<(usize, Option<u32>)> = ITEM_START
                .captures_iter(&text)
                .filter_map(|c| c.get(1).map(|m| (m.start(), m.as_str().parse().ok())))
                .collect();
            proptest::prop_assert_eq!(item_starts(&text), by_regex);
        }

        /// The hand-read code is the regex's, whatever the text.
        #[test]
        fn codes_split_as_the_regex_splits_them(
            text in "[0-9１٣①½ \t\n\u{3000}\\-－—–产出指标a]{0,9}"
        ) {
            let by_regex = CATEGORY
                .captures(&text)
                .map(|c| (c[1].to_string(), c[2].trim().to_string()));
            let by_hand = split_code(&text).map(|(c, n)| (c.to_string(), n.trim().to_string()));
            proptest::prop_assert_eq!(by_hand, by_regex);
        }
    }

    #[test]
    fn parses_the_seed_syntax() {
        let (inds, faults) = parse_indicator_text(SEED_CELL);
        assert!(faults.is_empty(), "{faults:?}");
        assert_eq!(inds.len(), 4);
        let second = &inds[1];
        assert_eq!(second.seq, Some(2));
        assert_eq!(second.level1.code.as_deref(), Some("1"));
        assert_eq!(second.level1.name, "产出指标");
        assert_eq!(second.level2.code.as_deref(), Some("11"));
        assert_eq!(
            second.name,
            "农村集体经济组织成员与宅基地上房屋关联数（人数）"
        );
        assert_eq!(second.period.text, "≥210万人");
        let annual = second.annual.numeric().unwrap();
        assert_eq!(annual.comparison, Some(Comparison::Ge));
        assert_eq!(annual.unit, "万人");
        assert_eq!(inds[2].annual.text, "良好及以上");
        assert_eq!(inds[2].annual.numeric(), None);
        assert_eq!(inds[3].level2.name, "服务对象满意度");
    }

    #[test]
    fn full_width_colons_spaces_and_values_with_periods() {
        let text = "1、1-产出指标；11-数量指标；信息化项目最终验收评价；实施周期指标值: ≥80分；年度指标值:2026年项目完成后开展验收。2、2-效益指标；21-经济效益；信息系统正常运行率.；实施周期指标值： ≥95%；年度指标值：≤0.1%";
        let (inds, faults) = parse_indicator_text(text);
        assert!(faults.is_empty(), "{faults:?}");
        assert_eq!(inds.len(), 2);
        assert_eq!(inds[0].period.text, "≥80分");
        assert_eq!(inds[0].annual.text, "2026年项目完成后开展验收");
        assert_eq!(inds[1].name, "信息系统正常运行率.");
        assert_eq!(inds[1].period.text, "≥95%");
        assert_eq!(inds[1].annual.text, "≤0.1%");
    }

    #[test]
    fn half_width_separators_and_line_breaks() {
        let text = "1、1-产出指标;11-数量指标;培训人次;实施周期指标值:≥500人次;年度指标值:≥500人次\n2、3-满意度指标;31-服务对象满意度;满意度;实施周期指标值:≥90%;年度指标值:≥90%";
        let (inds, faults) = parse_indicator_text(text);
        assert!(faults.is_empty(), "{faults:?}");
        assert_eq!(inds.len(), 2);
        assert_eq!(inds[0].annual.text, "≥500人次");
        assert_eq!(inds[1].seq, Some(2));
    }

    #[test]
    fn faults_quote_the_item() {
        let text = "1、1-产出指标；11-数量指标；合格率；实施周期指标值:≥95%。2、2-效益指标；22-社会效益；覆盖率；实施周期指标值:100%；年度指标值:100%。";
        let (inds, faults) = parse_indicator_text(text);
        assert_eq!(inds.len(), 1);
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].seq, Some(1));
        assert!(faults[0].reason.contains("年度指标值"));
        assert!(faults[0].text.starts_with("1、1-产出指标"));
    }

    #[test]
    fn text_without_items_is_one_fault() {
        let (inds, faults) = parse_indicator_text("详见附件");
        assert!(inds.is_empty());
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].text, "详见附件");
        assert_eq!(parse_indicator_text("  "), (vec![], vec![]));
    }

    #[test]
    fn missing_name_segment() {
        let (inds, faults) =
            parse_indicator_text("1、1-产出指标；实施周期指标值:1；年度指标值:1。");
        assert!(inds.is_empty());
        assert!(faults[0].reason.contains("三段"), "{faults:?}");
    }

    #[test]
    fn render_round_trips() {
        let (inds, _) = parse_indicator_text(SEED_CELL);
        let rendered = render_indicators(&inds);
        assert_eq!(rendered, SEED_CELL);
        let (again, faults) = parse_indicator_text(&rendered);
        assert!(faults.is_empty());
        assert_eq!(again, inds);
    }

    #[test]
    fn categories() {
        let c = parse_category("22-社会效益");
        assert_eq!(c.code.as_deref(), Some("22"));
        assert_eq!(c.name, "社会效益");
        assert_eq!(parse_category("产出指标").code, None);
        assert_eq!(parse_category("1－产出指标").name, "产出指标");
    }
}
