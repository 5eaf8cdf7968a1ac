//! Target values (实施周期指标值, 年度指标值): kept as written, and read as what they say: a
//! comparison, number and unit (`≥210万人`, `不低于90%`); a grade (良好及以上); yes or no; a
//! deadline (2025年9月30日前); or free text, which the rules leave alone.

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::base::model::{Comparison, NumericTarget, Target, TargetValue};
use crate::base::text::{fold_width, read_kept, KeptReadings, Text};

/// Longest unit accepted after a number; longer trailing text makes the value free text.
const MAX_UNIT_CHARS: usize = 8;

/// Comparison signs and words, longest first so that 大于等于 is not read as 大于.
const COMPARISONS: &[(&str, Comparison)] = &[
    ("大于或等于", Comparison::Ge),
    ("小于或等于", Comparison::Le),
    ("大于等于", Comparison::Ge),
    ("小于等于", Comparison::Le),
    ("不低于", Comparison::Ge),
    ("不少于", Comparison::Ge),
    ("不小于", Comparison::Ge),
    ("至少", Comparison::Ge),
    ("不超过", Comparison::Le),
    ("不高于", Comparison::Le),
    ("不大于", Comparison::Le),
    ("不多于", Comparison::Le),
    ("最多", Comparison::Le),
    ("＞＝", Comparison::Ge),
    ("＜＝", Comparison::Le),
    (">=", Comparison::Ge),
    ("<=", Comparison::Le),
    ("≥", Comparison::Ge),
    ("≧", Comparison::Ge),
    ("≤", Comparison::Le),
    ("≦", Comparison::Le),
    ("高于", Comparison::Gt),
    ("大于", Comparison::Gt),
    ("超过", Comparison::Gt),
    ("低于", Comparison::Lt),
    ("小于", Comparison::Lt),
    ("少于", Comparison::Lt),
    ("等于", Comparison::Eq),
    (">", Comparison::Gt),
    ("＞", Comparison::Gt),
    ("<", Comparison::Lt),
    ("＜", Comparison::Lt),
    ("=", Comparison::Eq),
    ("＝", Comparison::Eq),
];

static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(优秀|良好|合格|达标|及格|优|良|中等?|较好|好)(及以上|以上)?(等级|水平)?$")
        .expect("valid regex")
});
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?|(底))\s*(?:前|之前|以前|底前|完成)?$")
        .expect("valid regex")
});

/// Reads a target value.
pub fn parse_target(text: &str) -> Target {
    Target {
        text: text.into(),
        value: classify_known(text),
    }
}

thread_local! {
    /// Short target texts read on this thread, with what they say. A run's thousands of
    /// indicators write a few hundred distinct short targets between them (≥90%, 100%,
    /// 良好及以上).
    static KNOWN: KeptReadings<TargetValue> = KeptReadings::default();
}

/// [`classify`], a short text's reading kept for its next occurrence on the same thread.
fn classify_known(text: &str) -> TargetValue {
    read_kept(&KNOWN, text, classify)
}

/// Reads an indicator's two target values (实施周期, 年度): the same text, as most indicators
/// write, is read once.
pub fn parse_targets(period: &str, annual: &str) -> (Target, Target) {
    let period = parse_target(period);
    let annual = if annual == period.text {
        period.clone()
    } else {
        parse_target(annual)
    };
    (period, annual)
}

fn classify(text: &str) -> TargetValue {
    let folded = fold_width(text);
    let t = folded.trim();
    if t.is_empty() {
        return TargetValue::Empty;
    }
    match t {
        "是" | "有" => return TargetValue::YesNo(true),
        "否" | "无" => return TargetValue::YesNo(false),
        _ => {}
    }
    // Each regex only where its first character can match: a grade starts with one of its
    // words, a deadline with a digit of its year.
    let first = t.chars().next();
    if first.is_some_and(|c| "优良合达及中较好".contains(c)) && GRADE.is_match(t) {
        return TargetValue::Grade(t.into());
    }
    let deadline = if first.is_some_and(char::is_numeric) && t.contains('年') {
        DEADLINE.captures(t)
    } else {
        None
    };
    if let Some(c) = deadline {
        let year = c[1].parse().unwrap_or(0);
        let (month, day) = if c.get(4).is_some() {
            (12, Some(31))
        } else {
            (
                c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(12),
                c.get(3).and_then(|m| m.as_str().parse().ok()),
            )
        };
        if (1..=12).contains(&month) && day.is_none_or(|d| (1..=31).contains(&d)) {
            return TargetValue::Deadline { year, month, day };
        }
        return TargetValue::Text;
    }
    if let Some(n) = parse_numeric(t) {
        return TargetValue::Numeric(n);
    }
    TargetValue::Text
}

fn parse_numeric(t: &str) -> Option<NumericTarget> {
    let mut rest = t;
    let mut comparison = None;
    for (prefix, op) in COMPARISONS {
        if let Some(r) = rest.strip_prefix(prefix) {
            comparison = Some(*op);
            rest = r.trim_start();
            break;
        }
    }
    let number_len = rest
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || *c == ',' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let number_text = &rest[..number_len];
    let number = if number_text.contains(',') {
        Decimal::from_str(&number_text.replace(',', "")).ok()?
    } else {
        Decimal::from_str(number_text).ok()?
    };
    let unit = rest[number_len..].trim();
    // "90%以上" / "90%及以上" say ≥ after the number.
    let (unit, comparison) = match unit
        .strip_suffix("及以上")
        .or_else(|| unit.strip_suffix("以上"))
    {
        Some(u) if comparison.is_none() => (u.trim(), Some(Comparison::Ge)),
        _ => match unit
            .strip_suffix("及以下")
            .or_else(|| unit.strip_suffix("以下"))
        {
            Some(u) if comparison.is_none() => (u.trim(), Some(Comparison::Le)),
            _ => (unit, comparison),
        },
    };
    let unit_ok = unit.chars().count() <= MAX_UNIT_CHARS
        && !unit
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_whitespace());
    unit_ok.then(|| NumericTarget {
        comparison,
        number,
        unit: unit.into(),
    })
}

/// A target from its parts: 计算符号, the value, 计量单位 ("≥", "90", "%" → "≥90%"). A sign or
/// unit already written in the value is not repeated.
pub fn compose_target(sign: &str, value: &str, measure: &str) -> Text {
    if value.is_empty() {
        return Text::default();
    }
    let mut text = Text::default();
    let sign = if sign == "=" || sign == "＝" {
        ""
    } else {
        sign
    };
    if !sign.is_empty() && !value.starts_with(sign) {
        text.push_str(sign);
    }
    text.push_str(value);
    let numeric_end = value.ends_with(|c: char| c.is_ascii_digit());
    if !measure.is_empty() && numeric_end && measure != value {
        text.push_str(measure);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(text: &str) -> Option<(Option<Comparison>, String, String)> {
        parse_target(text)
            .numeric()
            .map(|n| (n.comparison, n.number.to_string(), n.unit.to_string()))
    }

    /// A kept reading is the reading: texts short and long, read for the first time and again,
    /// more of them than a thread keeps.
    #[test]
    fn kept_readings_are_the_readings() {
        let mut texts: Vec<String> = Vec::new();
        for n in 0..(crate::base::text::KEPT_TEXTS + 500) {
            texts.push(format!("≥{n}%"));
            texts.push(format!("{}年{}月前", 2020 + n % 10, 1 + n % 14));
        }
        texts.extend(
            [
                "是",
                "良好及以上",
                "",
                " ",
                "不低于 90 个百分点以上的很长的文字说明",
            ]
            .map(String::from),
        );
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(parse_target(text).value, classify(text), "{text}");
            }
        }
        assert!(KNOWN.with(|k| k.borrow().len()) <= crate::base::text::KEPT_TEXTS);
    }

    #[test]
    fn two_targets_read_as_each_alone() {
        for (period, annual) in [
            ("≥90%", "≥90%"),
            ("≥90%", "≥95%"),
            ("", "良好"),
            ("是", "是"),
        ] {
            assert_eq!(
                parse_targets(period, annual),
                (parse_target(period), parse_target(annual))
            );
        }
    }

    #[test]
    fn comparisons_numbers_units() {
        assert_eq!(
            numeric("≥210万人"),
            Some((Some(Comparison::Ge), "210".into(), "万人".into()))
        );
        assert_eq!(numeric("100%"), Some((None, "100".into(), "%".into())));
        assert_eq!(
            numeric("≤0.1%"),
            Some((Some(Comparison::Le), "0.1".into(), "%".into()))
        );
        assert_eq!(
            numeric(" ≥80分"),
            Some((Some(Comparison::Ge), "80".into(), "分".into()))
        );
        assert_eq!(
            numeric(">90%"),
            Some((Some(Comparison::Gt), "90".into(), "%".into()))
        );
        assert_eq!(
            numeric("＝１００％"),
            Some((Some(Comparison::Eq), "100".into(), "%".into()))
        );
        assert_eq!(numeric("0"), Some((None, "0".into(), String::new())));
        assert_eq!(
            numeric("≤8"),
            Some((Some(Comparison::Le), "8".into(), String::new()))
        );
        assert_eq!(numeric("7人"), Some((None, "7".into(), "人".into())));
    }

    #[test]
    fn comparison_words() {
        let op = |t: &str| numeric(t).and_then(|n| n.0);
        assert_eq!(op("不低于90%"), Some(Comparison::Ge));
        assert_eq!(op("不少于3个"), Some(Comparison::Ge));
        assert_eq!(op("大于等于95%"), Some(Comparison::Ge));
        assert_eq!(op("不超过8天"), Some(Comparison::Le));
        assert_eq!(op("小于等于5%"), Some(Comparison::Le));
        assert_eq!(op("低于1%"), Some(Comparison::Lt));
        assert_eq!(op("90%以上"), Some(Comparison::Ge));
        assert_eq!(numeric("90%以上").unwrap().2, "%");
    }

    #[test]
    fn grades_yes_no_deadlines() {
        assert_eq!(
            parse_target("良好及以上").value,
            TargetValue::Grade("良好及以上".into())
        );
        assert_eq!(
            parse_target("达标").value,
            TargetValue::Grade("达标".into())
        );
        assert_eq!(parse_target("是").value, TargetValue::YesNo(true));
        assert_eq!(parse_target("否").value, TargetValue::YesNo(false));
        assert_eq!(
            parse_target("2025年9月30日前").value,
            TargetValue::Deadline {
                year: 2025,
                month: 9,
                day: Some(30)
            }
        );
        assert_eq!(
            parse_target("2026年1月前").value,
            TargetValue::Deadline {
                year: 2026,
                month: 1,
                day: None
            }
        );
        assert_eq!(
            parse_target("2025年底前").value,
            TargetValue::Deadline {
                year: 2025,
                month: 12,
                day: Some(31)
            }
        );
        assert_eq!(parse_target("").value, TargetValue::Empty);
    }

    #[test]
    fn text_stays_text() {
        for text in [
            "2025年完成公共数据资源目录编制",
            "项目完成后产出成果",
            "通过对应系统网络安全等级保护测评",
            "2025年13月1日前",
        ] {
            let t = parse_target(text);
            assert_eq!(t.value, TargetValue::Text, "{text}");
            assert_eq!(t.text, text);
        }
    }
}
