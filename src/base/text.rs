//! Number and text helpers that several stages share: floats as Excel shows them, amounts as the
//! form and the reports write them, Excel's cell limits, display width, column names and the key
//! names are compared by. Pure functions; no stage.

/// A short text held in place up to 24 bytes (eight Chinese characters: most labels,
/// categories, indicator names, targets and units), on the heap beyond: a cell or an indicator
/// field then costs no allocation to make, copy or drop.
pub type Text = compact_str::CompactString;

/// The longest text (bytes) whose reading [`read_kept`] keeps: a text kept inline, without an
/// allocation.
const KEPT_TEXT_BYTES: usize = 24;
/// How many readings a thread keeps for [`read_kept`]; when full, it starts again.
pub const KEPT_TEXTS: usize = 4096;

/// Readings of short texts kept by a thread (see [`read_kept`]).
pub type KeptReadings<V> = std::cell::RefCell<crate::base::FastMap<Text, V>>;

/// `read(text)`, kept in `kept` (a thread's) for the text's next occurrence on the same thread
/// when it is short: for readings that depend on the text alone, of texts a run writes
/// thousands of times (targets such as ≥90%, categories such as 11-数量指标).
pub fn read_kept<V: Clone>(
    kept: &'static std::thread::LocalKey<KeptReadings<V>>,
    text: &str,
    read: impl FnOnce(&str) -> V,
) -> V {
    if text.len() > KEPT_TEXT_BYTES {
        return read(text);
    }
    kept.with(|kept| {
        let Ok(mut kept) = kept.try_borrow_mut() else {
            return read(text);
        };
        if let Some(value) = kept.get(text) {
            return value.clone();
        }
        let value = read(text);
        if kept.len() >= KEPT_TEXTS {
            kept.clear();
        }
        kept.insert(text.into(), value.clone());
        value
    })
}

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

/// A set of characters (the first characters of a form's labels): a bitmap of their low ten
/// bits turns away most characters outside it before the sorted list is searched (the search
/// took a quarter of the quick look that asks it of every cell).
#[derive(Debug, Clone, Default)]
pub struct CharSet {
    sorted: Vec<char>,
    bits: [u64; 16],
}

impl CharSet {
    pub fn new(chars: impl IntoIterator<Item = char>) -> CharSet {
        let mut sorted: Vec<char> = chars.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut bits = [0u64; 16];
        for &c in &sorted {
            let k = c as usize & 1023;
            bits[k >> 6] |= 1 << (k & 63);
        }
        CharSet { sorted, bits }
    }

    pub fn contains(&self, c: char) -> bool {
        let k = c as usize & 1023;
        self.bits[k >> 6] & (1 << (k & 63)) != 0 && self.sorted.binary_search(&c).is_ok()
    }
}

/// `text.trim()`, told from its first and last characters' lead bytes when neither can be white
/// space (most cells): the standard library's trim goes through its pattern machinery, and
/// decodes and looks up a character at each end, on every cell a reader looks at.
#[inline]
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(&first) if may_start_space(first) || may_end_space(bytes) => text.trim(),
        _ => text,
    }
}

/// Whether a text holds nothing but white space (or nothing), told from its first byte when
/// that cannot start white space.
#[inline]
pub fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(&first) => may_start_space(first) && text.chars().all(char::is_whitespace),
    }
}

/// Whether a character whose first byte this is may be white space (Unicode's, as
/// `char::is_whitespace` reads it): ASCII's, U+0085 and U+00A0 (lead byte C2), U+1680 (E1),
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F (E2) and U+3000 (E3).
#[inline]
fn may_start_space(first: u8) -> bool {
    matches!(first, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1..=0xE3)
}

/// Whether the last character of `bytes` (valid UTF-8, not empty) may be white space: told by
/// its lead byte, found at most three bytes back.
#[inline]
fn may_end_space(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4)..];
    // The last byte that is not a continuation byte (10xxxxxx) starts the last character.
    tail.iter()
        .rev()
        .find(|&&b| b & 0xC0 != 0x80)
        .is_some_and(|&lead| may_start_space(lead))
}

/// The value Excel shows for a stored double: 15 significant digits, so that float noise such as
/// 0.30000000000000004 reads as 0.3. `None` for NaN, infinities and values beyond `Decimal`.
pub fn float_as_shown(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    if value == 0.0 {
        return Some(Decimal::ZERO);
    }
    short_decimal(value).or_else(|| float_as_shown_formatted(value))
}

/// Powers of ten for [`short_decimal`]: exact as doubles.
const SHORT_SCALES: [f64; 5] = [1.0, 10.0, 100.0, 1_000.0, 10_000.0];

/// The value of `value` when it is the double nearest to a decimal of at most four places and
/// at most 15 significant digits, as almost every amount and count is; `None` otherwise.
///
/// Such a decimal `m / 10^k` is what Excel shows: `value` lies within half an ulp of it (about
/// 1.1e-16 of it), and decimals of 15 significant digits near it are at least 1e-15 of it apart,
/// so rounding `value` to 15 significant digits gives `m / 10^k`. That `value` is the double
/// nearest to it is checked by dividing (`m` and `10^k` are exact doubles, and the quotient is
/// correctly rounded). This skips the formatting and parsing of [`float_as_shown_formatted`],
/// which read a workbook's numbers at about 4% of `check`.
fn short_decimal(value: f64) -> Option<Decimal> {
    for (places, scale) in (0u32..).zip(SHORT_SCALES) {
        let m = (value * scale).round();
        if m.abs() < 1e15 && m / scale == value {
            // |m| < 1e15 < 2^63: the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            return Some(Decimal::new(m as i64, places).normalize());
        }
    }
    None
}

/// [`float_as_shown`] by formatting to 15 significant digits and parsing that.
fn float_as_shown_formatted(value: f64) -> Option<Decimal> {
    let text = format!("{value:.14e}");
    Decimal::from_scientific(&text).ok().map(|d| d.normalize())
}

/// Folds full-width digits and punctuation used in numbers to ASCII (１，３２９．４２ → 1,329.42).
/// Only for text that is parsed as a number: names and goals are left as written. Borrowed when
/// nothing is folded, as in most cells.
pub fn fold_width(text: &str) -> std::borrow::Cow<'_, str> {
    let fold = |c: char| match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '，' => ',',
        '．' => '.',
        '－' | '−' => '-',
        '＋' => '+',
        '％' => '%',
        '（' => '(',
        '）' => ')',
        '\u{3000}' | '\u{a0}' => ' ',
        _ => c,
    };
    if text.is_ascii() || text.chars().all(|c| fold(c) == c) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(fold).collect())
}

/// Digits with thousands separators: "4671" → "4,671".
pub fn group_digits(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// Formats an amount as the form shows it: thousands separators, two decimals (4,671.23).
pub fn format_amount(value: Decimal) -> String {
    let rounded =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let grouped = group_digits(int);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}.{frac}")
}

/// An amount as a decimal string with at least two decimals and no trailing zeros beyond them
/// ("4671.23", "441.00", "0.125"); nothing is rounded.
pub fn money_text(value: Decimal) -> String {
    let mut d = value.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Serde helper: an amount as [`money_text`].
pub fn serialize_money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money_text(*value))
}

/// Excel's limit on the characters of a cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The length of text as Excel counts it: UTF-16 code units, so a character outside the Basic
/// Multilingual Plane (a rare CJK ideograph, an emoji) counts two.
pub fn excel_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Text cut to what an Excel cell holds, counted as Excel does (see [`excel_len`]); the check
/// stage reports longer text as text-too-long.
pub fn excel_text(text: &str) -> &str {
    if text.len() <= MAX_CELL_CHARS {
        return text; // bytes bound UTF-16 units from above
    }
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS {
            return &text[..at];
        }
    }
    text
}

/// A cell of a CSV report made safe to open in a spreadsheet (OWASP's advice against formula
/// injection): text starting with `=`, `+`, `-` (unless it is a number), `@`, a tab or a carriage
/// return gets a leading `'`, so that it is shown, never run.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = match cell.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => cell[1..].trim().parse::<f64>().is_err(),
        _ => false,
    };
    if risky {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Text for a terminal: control characters (ESC sequences that would move the cursor or
/// rewrite the screen, bells, …) shown escaped as `\x1b`, line breaks as `\n`.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\n' => "\\n".to_string(),
            c if c.is_control() => format!("\\x{:02x}", c as u32),
            c => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// Display width of text in columns (a Chinese character counts two).
pub fn display_width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The key two names are compared by: no spaces, full-width ASCII folded to half-width.
///
/// Names that look the same are the same unit: the key is the NFKC form (full-width letters and
/// digits, Kangxi radicals, CJK compatibility ideographs, circled digits and decomposed accents
/// fold to their plain forms) without white space and without the characters Unicode calls
/// default-ignorable (zero-width space and joiners, a BOM inside the name, the soft hyphen,
/// direction marks). Names are still shown as written.
pub fn name_key(name: &str) -> std::borrow::Cow<'_, str> {
    // Most names are Chinese characters and ASCII letters, digits and signs, which NFKC leaves
    // as they are and which are neither white space nor ignorable: no table to look up, and the
    // name is its own key.
    if is_plain(name.as_bytes()) {
        return std::borrow::Cow::Borrowed(name);
    }
    std::borrow::Cow::Owned(name_key_checked(name))
}

/// Whether a name (valid UTF-8) is all ASCII graphic characters and CJK unified ideographs
/// (U+4E00–U+9FFF, lead bytes E4 from its second byte B8, to E9), told by its bytes: an
/// ideograph's two continuation bytes are skipped, not decoded.
fn is_plain(bytes: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            0x21..=0x7E => i += 1,
            0xE4 if bytes.get(i + 1).is_some_and(|&b1| b1 >= 0xB8) => i += 3,
            0xE5..=0xE9 => i += 3,
            _ => return false,
        }
    }
    true
}

/// [`name_key`] for any text.
fn name_key_checked(name: &str) -> String {
    use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
    // Text already in NFKC: the quick check (a table lookup per character) tells so without
    // building the normalized copy.
    if !name
        .chars()
        .any(|c| c.is_whitespace() || is_default_ignorable(c))
        && is_nfkc_quick(name.chars()) == IsNormalized::Yes
    {
        return name.to_string();
    }
    name.chars()
        .filter(|&c| !is_default_ignorable(c))
        .nfkc()
        .filter(|&c| !c.is_whitespace() && !is_default_ignorable(c))
        .collect()
}

/// Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt): characters that
/// show nothing.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// The A1 name of a 0-based column (0 → A, 26 → AA).
pub fn column_name(col: u32) -> String {
    column_letters(col, &mut [0; COLUMN_LETTERS]).to_string()
}

/// The most letters a column's name has (`u32::MAX` is 7).
const COLUMN_LETTERS: usize = 7;

/// [`column_name`] written into `buf`, without allocating.
fn column_letters(col: u32, buf: &mut [u8; COLUMN_LETTERS]) -> &str {
    let mut n = u64::from(col) + 1;
    let mut at = COLUMN_LETTERS;
    while n > 0 {
        at -= 1;
        buf[at] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// The most bytes a cell's A1 name has: seven letters and ten digits (`u32::MAX` both).
pub const A1_NAME_BYTES: usize = COLUMN_LETTERS + 10;

/// A cell's A1 name (`col` 0-based, `row` 1-based), written into `buf` without allocating: the
/// JSON report names the cell of every issue.
pub fn a1_name(col: u32, row: u32, buf: &mut [u8; A1_NAME_BYTES]) -> &str {
    let mut letters = [0; COLUMN_LETTERS];
    let letters = column_letters(col, &mut letters).as_bytes();
    buf[..letters.len()].copy_from_slice(letters);
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = row;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let len = letters.len() + digits.len() - at;
    buf[letters.len()..len].copy_from_slice(&digits[at..]);
    std::str::from_utf8(&buf[..len]).unwrap_or_default()
}

/// Splits a code written before or after a unit's name: "[042]某局", "（433001）某社",
/// "820001-某镇人民政府", "某局 308001".
pub fn split_code(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    let is_code = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    for (open, close) in [('[', ']'), ('(', ')'), ('（', '）'), ('【', '】')] {
        if let Some(rest) = t.strip_prefix(open) {
            if let Some((code, name)) = rest.split_once(close) {
                if is_code(code.trim()) && !name.trim().is_empty() {
                    return (name.trim().to_string(), Some(code.trim().to_string()));
                }
            }
        }
    }
    if let Some((code, name)) = t.split_once(['-', '－', '—']) {
        if is_code(code.trim()) && !name.trim().is_empty() {
            return (name.trim().to_string(), Some(code.trim().to_string()));
        }
    }
    if let Some((name, code)) = t.rsplit_once(char::is_whitespace) {
        if is_code(code) && code.len() >= 3 && !name.trim().is_empty() {
            return (name.trim().to_string(), Some(code.to_string()));
        }
    }
    (t.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The plain-text shortcut gives the key the full path gives.
        #[test]
        fn plain_names_key_as_the_full_path_keys_them(
            name in "[a-zA-Z0-9 （）()一-龥丁\u{3000}\u{f90a}\u{2f00}\u{200b}１Ａ!~-]{0,12}"
        ) {
            proptest::prop_assert_eq!(name_key(&name), name_key_checked(&name));
        }

        /// The byte test is the character test, at the ideographs' edges and past them.
        #[test]
        fn plain_bytes_are_plain_characters(
            name in "[a~ \u{7f}\u{4000}\u{4dff}\u{4e00}\u{9fff}\u{a000}\u{3000}\u{ff21}é\u{20000}]{0,8}"
        ) {
            let plain = |c: char| c.is_ascii_graphic() || ('\u{4e00}'..='\u{9fff}').contains(&c);
            proptest::prop_assert_eq!(is_plain(name.as_bytes()), name.chars().all(plain));
        }

        /// The shortcut trims as the standard library does, white space of every kind at
        /// either end or none.
        #[test]
        fn trim_is_the_standard_trim(
            text in "[ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{1c}\u{1f}a1项。\u{fffd}\u{2030}\u{20000}é]{0,8}"
        ) {
            proptest::prop_assert_eq!(trim(&text), text.trim());
            proptest::prop_assert_eq!(is_blank(&text), text.chars().all(char::is_whitespace));
        }

        /// The bitmap never turns away a character of the set.
        #[test]
        fn char_sets_hold_their_characters(
            set in proptest::collection::vec(proptest::prelude::any::<char>(), 0..40),
            other in proptest::prelude::any::<char>(),
        ) {
            let chars = CharSet::new(set.iter().copied());
            for &c in &set {
                proptest::prop_assert!(chars.contains(c));
            }
            proptest::prop_assert_eq!(chars.contains(other), set.contains(&other));
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn full_width_number_characters_are_folded_and_other_text_is_borrowed() {
        assert_eq!(fold_width("１，３２９．４２"), "1,329.42");
        assert_eq!(fold_width("（－５％）\u{3000}"), "(-5%) ");
        for plain in ["1,329.42", "≥95%", "满意度"] {
            assert!(
                matches!(fold_width(plain), std::borrow::Cow::Borrowed(_)),
                "{plain}"
            );
        }
    }

    #[test]
    fn floats_read_as_excel_shows_them() {
        assert_eq!(float_as_shown(0.1 + 0.2), Some(dec("0.3")));
        assert_eq!(float_as_shown(4671.23), Some(dec("4671.23")));
        assert_eq!(float_as_shown(1329.42), Some(dec("1329.42")));
        assert_eq!(float_as_shown(0.0), Some(Decimal::ZERO));
        assert_eq!(float_as_shown(-2.5), Some(dec("-2.5")));
        assert_eq!(float_as_shown(f64::NAN), None);
    }

    proptest::proptest! {
        /// The shortcut for short decimals gives what formatting to 15 significant digits gives:
        /// over decimals of up to six places (near and past the shortcut's four), their
        /// neighbouring doubles, and doubles of any bits.
        #[test]
        fn short_decimals_read_as_the_formatted_path_reads_them(
            m in -10_i64.pow(16)..10_i64.pow(16),
            places in 0u32..7,
            nudge in -2i64..3,
            bits in proptest::prelude::any::<u64>(),
        ) {
            let near = format!("{}e-{places}", m).parse::<f64>().unwrap();
            let nudged = f64::from_bits(near.to_bits().wrapping_add_signed(nudge));
            for value in [near, nudged, f64::from_bits(bits)] {
                if value.is_finite() && value != 0.0 {
                    if let Some(short) = short_decimal(value) {
                        proptest::prop_assert_eq!(Some(short), float_as_shown_formatted(value), "{:e}", value);
                    }
                    proptest::prop_assert_eq!(float_as_shown(value), float_as_shown_formatted(value));
                }
            }
        }
    }

    #[test]
    fn short_decimals_take_the_shortcut() {
        for (value, text) in [
            (4671.23, "4671.23"),
            (-0.5, "-0.5"),
            (1e14, "100000000000000"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(short_decimal(value), Some(dec(text)));
        }
        // Past four places, past 15 digits, or no short decimal at all: the formatted path.
        assert_eq!(short_decimal(0.00001), None);
        assert_eq!(short_decimal(1e15), None);
        assert_eq!(short_decimal(0.1 + 0.2), None);
        assert_eq!(float_as_shown(0.1 + 0.2), Some(dec("0.3")));
    }

    #[test]
    fn formats_like_the_form() {
        assert_eq!(format_amount(dec("4671.23")), "4,671.23");
        assert_eq!(format_amount(dec("370.5")), "370.50");
        assert_eq!(format_amount(dec("0")), "0.00");
        assert_eq!(format_amount(dec("-1234567.005")), "-1,234,567.01");
        assert_eq!(format_amount(dec("999.999")), "1,000.00");
    }

    #[test]
    fn column_names() {
        // Bijective base 26, letter by letter from the last: what the names written into a
        // buffer must equal, at the edges of each letter count.
        let reference = |col: u32| {
            let (mut n, mut letters) = (u64::from(col) + 1, Vec::new());
            while n > 0 {
                letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
                n = (n - 1) / 26;
            }
            letters.into_iter().collect::<String>()
        };
        let mut buf = [0; A1_NAME_BYTES];
        for col in [
            0,
            1,
            25,
            26,
            27,
            51,
            52,
            701,
            702,
            703,
            16_383,
            18_277,
            18_278,
            u32::MAX,
        ] {
            assert_eq!(column_name(col), reference(col));
            for row in [1, 9, 10, 1_048_576, u32::MAX] {
                let shown = format!("{}{row}", reference(col));
                assert_eq!(a1_name(col, row, &mut buf), shown);
            }
        }
        assert_eq!(column_name(u32::MAX), "MWLQKWV");
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(6), "G");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn names_that_look_the_same_have_one_key() {
        let key = name_key("示例单位甲1");
        for variant in [
            "示例\u{200b}单位甲1", // zero-width space
            "示例单位\u{200c}甲1", // ZWNJ
            "\u{feff}示例单位甲1", // a BOM inside the name
            "示例单\u{00ad}位甲1", // soft hyphen
            "示例单位甲１",        // full-width digit
            "示例单位甲①",         // circled digit
            "示例单位甲\u{2474}",  // parenthesized digit (⑴ → "(1)")
        ] {
            let expected = if variant.contains('\u{2474}') {
                name_key("示例单位甲(1)")
            } else {
                key.clone()
            };
            assert_eq!(name_key(variant), expected, "{variant:?}");
        }
        // Kangxi radical 一 (U+2F00) and CJK compatibility ideograph 金 (U+F90A).
        assert_eq!(name_key("\u{2f00}号馆"), name_key("一号馆"));
        assert_eq!(name_key("\u{f90a}山"), name_key("金山"));
        // NFD against NFC.
        assert_eq!(name_key("Cafe\u{301}"), name_key("Café"));
        assert_ne!(name_key("示例单位甲"), name_key("示例单位乙"));
    }

    #[test]
    fn report_cells_are_safe_to_open_and_to_print() {
        assert_eq!(
            csv_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("+cmd"), "'+cmd");
        assert_eq!(csv_safe("-2+3"), "'-2+3");
        assert_eq!(csv_safe("-12.5"), "-12.5");
        assert_eq!(csv_safe("\tx"), "'\tx");
        assert_eq!(csv_safe("示例单位甲"), "示例单位甲");
        assert_eq!(terminal_safe("甲\u{1b}[2J乙"), "甲\\x1b[2J乙");
        assert_eq!(terminal_safe("正常"), "正常");
    }

    #[test]
    fn names_compare_without_spaces_or_full_width() {
        assert_eq!(name_key("示例单位　丙"), name_key("示例单位丙"));
        assert_eq!(name_key(" 示例单位甲 "), "示例单位甲");
        assert_eq!(name_key("ＡＢＣ１"), "ABC1");
    }

    #[test]
    fn money_text_keeps_every_decimal() {
        assert_eq!(money_text(dec("4671.23")), "4671.23");
        assert_eq!(money_text(dec("441")), "441.00");
        assert_eq!(money_text(dec("0.125")), "0.125");
    }

    #[test]
    fn cells_are_cut_to_excel_limit() {
        let long = "目".repeat(MAX_CELL_CHARS + 5);
        assert_eq!(excel_text(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(excel_text("短"), "短");
        // A character outside the BMP is two UTF-16 units in Excel's count.
        let astral = "𠀀".repeat(20_000);
        assert_eq!(excel_len(&astral), 40_000);
        assert_eq!(excel_len(excel_text(&astral)), 32_766);
        assert_eq!(display_width("单位a"), 5);
    }

    #[test]
    fn codes_are_split_from_unit_names() {
        let split = |s: &str| split_code(s);
        assert_eq!(
            split("[042]六安市金安区体育局"),
            ("六安市金安区体育局".into(), Some("042".into()))
        );
        assert_eq!(
            split("(433001)乌海市供销合作社联合社"),
            ("乌海市供销合作社联合社".into(), Some("433001".into()))
        );
        assert_eq!(
            split("820001-井研县马踏镇人民政府"),
            ("井研县马踏镇人民政府".into(), Some("820001".into()))
        );
        assert_eq!(
            split("湘潭市城市管理和综合执法局 308001"),
            ("湘潭市城市管理和综合执法局".into(), Some("308001".into()))
        );
        assert_eq!(split("县财政局"), ("县财政局".into(), None));
        assert_eq!(split("2025年-某项目"), ("2025年-某项目".into(), None));
    }
}
