//! Target values (实施周期指标值, 年度指标值): kept as written, and read as comparison, number and
//! unit where they are numeric (`≥210万人` → ≥, 210, 万人).

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::model::{Comparison, NumericTarget, Target};
use crate::normalize::amount::fold_width;

/// Longest unit accepted after a number; longer trailing text makes the value free text.
const MAX_UNIT_CHARS: usize = 8;

/// Reads a target value.
pub fn parse_target(text: &str) -> Target {
    Target {
        text: text.to_string(),
        parsed: parse_numeric_target(text),
    }
}

fn parse_numeric_target(text: &str) -> Option<NumericTarget> {
    let folded = fold_width(text);
    let mut rest = folded.trim();
    let mut comparison = None;
    for (prefix, op) in [
        ("≥", Comparison::Ge),
        (">=", Comparison::Ge),
        ("＞＝", Comparison::Ge),
        ("≤", Comparison::Le),
        ("<=", Comparison::Le),
        ("＜＝", Comparison::Le),
        (">", Comparison::Gt),
        ("＞", Comparison::Gt),
        ("<", Comparison::Lt),
        ("＜", Comparison::Lt),
        ("=", Comparison::Eq),
        ("＝", Comparison::Eq),
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            comparison = Some(op);
            rest = r.trim_start();
            break;
        }
    }
    let number_len = rest
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || *c == ',' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()?;
    let number_text: String = rest[..number_len].chars().filter(|c| *c != ',').collect();
    let number = Decimal::from_str(&number_text).ok()?;
    let unit = rest[number_len..].trim();
    let unit_ok = unit.chars().count() <= MAX_UNIT_CHARS
        && !unit
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_whitespace());
    unit_ok.then(|| NumericTarget {
        comparison,
        number,
        unit: unit.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(text: &str) -> Option<(Option<Comparison>, String, String)> {
        parse_target(text)
            .parsed
            .map(|n| (n.comparison, n.number.to_string(), n.unit))
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
    fn text_stays_text() {
        for text in [
            "良好及以上",
            "是",
            "2025年9月30日前",
            "2025年完成公共数据资源目录编制",
            "项目完成后产出成果",
            "通过对应系统网络安全等级保护测评",
            "",
        ] {
            let t = parse_target(text);
            assert_eq!(t.parsed, None, "{text}");
            assert_eq!(t.text, text);
        }
    }
}
