//! Locate: finds the form on each sheet. The header row is the row whose cells match most of
//! the form's labels and variants, wherever it is; above it, the title area gives the unit's name
//! ("单位名称：…", "填报单位：…") and the money unit ("单位：万元"); a money unit in a header
//! ("总计（元）") counts too.

use std::sync::LazyLock;

use regex::Regex;

use std::borrow::Cow;

use crate::base::form::{FieldKind, Form, HeaderLabelIndex, IndicatorKind, LabelTarget};
use crate::base::model::{Columns, LayoutKind};
use crate::base::text::CharSet;
use crate::base::FastMap;
use crate::read::grid::{Cell, Sheet};

pub mod blocks;

/// How many rows from the top are searched for the header.
const HEADER_SEARCH_ROWS: usize = 60;

static MONEY_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:金额|货币|计量)?单位\s*[:：]\s*(\S+?)\s*$").expect("valid regex")
});
static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:单位名称|填报单位|预算单位|部门名称|单位)\s*[（(]?(?:盖章)?[)）]?\s*[:：]\s*(.*)$",
    )
    .expect("valid regex")
});
/// A money unit in brackets at a text's end, "（单位：万元）" or "(元)" ([`bracketed_unit`] on
/// folded labels; the tests hold the two together).
#[cfg(test)]
static BRACKETED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?:单位\s*[:：])?\s*([^()（）]+?)\s*[)）]\s*$").expect("valid regex")
});

/// Where a sheet's form is and how its columns map to the form's fields.
#[derive(Debug, Clone)]
pub struct Layout {
    pub kind: LayoutKind,
    /// Index into `rows` of the (last) header row; data starts below it.
    pub header: usize,
    /// Index into a row of each column of the form that was found.
    pub columns: Columns<usize>,
    /// The money unit found in the title area or a header.
    pub money_unit: Option<String>,
    /// The unit's name from the title area.
    pub unit_name: Option<String>,
    /// Required columns that were not found: the label, and every label looked for.
    pub missing: Vec<(String, Vec<String>)>,
}

/// A text with spaces and line breaks removed and full-width brackets and colons made ASCII:
/// the first step of [`normalize_label`], and what the per-project blocks' quick look searches
/// (every reduced label of a text is a run of it). Borrowed when there is nothing to fold.
pub(crate) fn folded(text: &str) -> Cow<'_, str> {
    if !folds(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    Cow::Owned(out)
}

/// Calls `f` with [`folded`]`(text)`, folded into a buffer kept by the thread rather than a new
/// string: the quick looks fold every text they pass, and most of them are thrown away at once.
pub(crate) fn with_folded<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    if !folds(text) {
        return f(text);
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            fold_into(text, &mut buffer);
            f(&buffer)
        }
        // Only if `f` itself folds a text: then it gets a string of its own.
        Err(_) => f(&folded(text)),
    })
}

/// Whether folding changes `text` at all (a space, or a character [`fold`] changes).
fn folds(text: &str) -> bool {
    text.chars().any(|c| c.is_whitespace() || fold(c) != c)
}

/// Appends `text` as [`folded`] gives it.
fn fold_into(text: &str, out: &mut String) {
    out.extend(text.chars().filter(|c| !c.is_whitespace()).map(fold));
}

/// A character as [`folded`] gives it: full-width brackets and colons made ASCII.
pub(crate) fn fold(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '：' => ':',
        c => c,
    }
}

/// A header label reduced for comparison: no spaces or line breaks, ASCII brackets, a trailing
/// money unit in brackets removed. Returns the label and that money unit, if any.
pub fn normalize_label(text: &str, form: &Form) -> (String, Option<String>) {
    let mut label = String::with_capacity(text.len());
    let unit = normalize_label_into(text, form, &mut label);
    (label, unit)
}

/// [`normalize_label`] into a string the caller keeps (cleared first), returning the money unit:
/// a row's cells read as labels one after another need no string each.
fn normalize_label_into(text: &str, form: &Form, label: &mut String) -> Option<String> {
    label.clear();
    fold_into(text, label);
    let (unit, whole) = bracketed_unit(label)?;
    form.money_unit(unit)?;
    let unit = unit.to_string();
    label.truncate(whole);
    Some(unit)
}

/// The text in the brackets that close a folded label (no spaces, ASCII brackets and colons),
/// without a leading "单位:", and where the brackets open: what `BRACKETED_UNIT` captures there,
/// found without a regex (its lazy capture took a tenth of a list layout's header search).
fn bracketed_unit(label: &str) -> Option<(&str, usize)> {
    let body = label.strip_suffix(')')?;
    let open = body.rfind('(')?;
    let inner = &body[open + 1..];
    if inner.is_empty() || inner.contains(')') {
        return None;
    }
    let unit = match inner.strip_prefix("单位:") {
        Some(unit) if !unit.is_empty() => unit,
        _ => inner,
    };
    Some((unit, open))
}

/// Longest header label considered, in bytes: data cells (goals, indicator text) are skipped
/// before any normalization.
const MAX_LABEL_BYTES: usize = 120;

/// Whether a text, spaces aside, starts with a header label's first character (brackets and
/// colons folded): a text that does not names no column, since its label (see
/// [`normalize_label`]) starts with that character or is empty.
pub(crate) fn may_start_label(text: &str, form: &Form) -> bool {
    let first = text.chars().find(|c| !c.is_whitespace()).map(fold);
    first.is_some_and(|c| header_labels(form).starts.contains(c))
}

/// Which field a header label names, if any: official labels first, then variants; the fields
/// of the official form before those of the long layout.
fn match_label(label: &str, form: &Form) -> Option<LabelTarget> {
    if label.is_empty() {
        return None;
    }
    header_labels(form).labels.get(label).copied()
}

/// The form's header labels as compared, built on first use.
fn header_labels(form: &Form) -> &HeaderLabelIndex {
    form.label_index.get_or_init(|| {
        let norm = |s: &str| normalize_label(s, form).0;
        let mut index = FastMap::default();
        // Inserted from the lowest precedence up, so that a higher one overwrites.
        for id in form.indicator_field_ids() {
            for v in &form[id].variants {
                index.insert(norm(v), LabelTarget::Indicator(id));
            }
        }
        for id in form.field_ids() {
            for v in &form[id].variants {
                index.insert(norm(v), LabelTarget::Field(id));
            }
        }
        for id in form.indicator_field_ids() {
            index.insert(norm(&form[id].label), LabelTarget::Indicator(id));
        }
        for id in form.field_ids() {
            index.insert(norm(&form[id].label), LabelTarget::Field(id));
        }
        let starts = CharSet::new(index.keys().filter_map(|k| k.chars().next()));
        HeaderLabelIndex {
            labels: index,
            starts,
        }
    })
}

/// The header read from row `r`, with row `r - 1` as a group row above it: a cell of row `r`
/// that names no field gives way to the cell above it (项目名称 merged down, 资金情况 over its
/// sub-columns).
struct HeaderMatch {
    columns: Columns<usize>,
    money_unit: Option<String>,
    score: usize,
}

/// A cell of the rows searched for the header, read as a label: the money unit in its brackets
/// and the column it names; `None` for a cell that is no text or too long to be a label.
type HeadCell = Option<(Option<String>, Option<LabelTarget>)>;

/// A row's cells read as labels, each folded into `label` (the caller's, kept from row to row);
/// each distinct label-like text of the sheet is read once (`told`: a per-project form, searched
/// for a list's header before its blocks are, repeats its labels in every block).
fn head_cells<'a>(
    sheet: &'a Sheet,
    r: usize,
    form: &Form,
    label: &mut String,
    told: &mut FastMap<&'a str, HeadCell>,
) -> Vec<HeadCell> {
    sheet.rows[r]
        .iter()
        .map(|cell| match cell {
            Cell::Text(text) if text.len() <= MAX_LABEL_BYTES => {
                // Most texts (names, goals, values) start with no label's first character and
                // close no bracket, where a money unit would stand: they name nothing.
                if !may_start_label(text, form) && !text.trim_end().ends_with([')', '）']) {
                    return Some((None, None));
                }
                if let Some(head) = told.get(text.as_str()) {
                    return head.clone();
                }
                let unit = normalize_label_into(text, form, label);
                let head = Some((unit, match_label(label, form)));
                told.insert(text, head.clone());
                head
            }
            _ => None,
        })
        .collect()
}

/// Each row searched for the header, matched with the row above it (a two-row header): every
/// row's cells are read as labels once.
fn header_matches(sheet: &Sheet, form: &Form) -> Vec<HeaderMatch> {
    let mut above = Vec::new();
    let mut label = String::with_capacity(MAX_LABEL_BYTES);
    let mut told = FastMap::default();
    (0..sheet.rows.len().min(HEADER_SEARCH_ROWS))
        .map(|r| {
            let here = head_cells(sheet, r, form, &mut label, &mut told);
            let m = match_header(&here, &above, form);
            above = here;
            m
        })
        .collect()
}

/// How a row (`here`, with the row `above` it) names the form's columns.
fn match_header(here: &[HeadCell], above: &[HeadCell], form: &Form) -> HeaderMatch {
    let mut m = HeaderMatch {
        columns: form.no_columns(),
        money_unit: None,
        score: 0,
    };
    for c in 0..here.len().max(above.len()) {
        let here = here.get(c).and_then(Option::as_ref);
        let above = above.get(c).and_then(Option::as_ref);
        for (unit, _) in [here, above].into_iter().flatten() {
            if m.money_unit.is_none() {
                m.money_unit = unit.clone();
            }
        }
        let matched = here
            .and_then(|(_, target)| *target)
            .or_else(|| above.and_then(|(_, target)| *target));
        match matched {
            Some(LabelTarget::Field(f)) if m.columns.field(f).is_none() => {
                m.columns.set_field(f, c);
                m.score += 1;
            }
            Some(LabelTarget::Indicator(f)) if m.columns.indicator(f).is_none() => {
                m.columns.set_indicator(f, c);
                m.score += 1;
            }
            _ => {}
        }
    }
    m
}

/// Finds the form on a sheet, or `None` when no row looks like its header.
pub fn locate_sheet(sheet: &Sheet, form: &Form) -> Option<Layout> {
    let name_field = form.field_of(FieldKind::Name)?;
    let mut best: Option<(usize, HeaderMatch)> = None;
    for (r, m) in header_matches(sheet, form).into_iter().enumerate() {
        if m.columns.field(name_field).is_some()
            && m.score >= 3
            && best.as_ref().is_none_or(|(_, b)| m.score > b.score)
        {
            best = Some((r, m));
        }
    }
    let (header, m) = best?;
    let level3 = form.indicator_field_of(IndicatorKind::Level3);
    let kind = if level3.is_some_and(|i| m.columns.indicator(i).is_some()) {
        LayoutKind::Long
    } else {
        LayoutKind::Wide
    };
    let (title_unit, unit_name) = read_title_area(&sheet.rows[..header], form);
    let missing = missing_columns(form, kind, &m);
    Some(Layout {
        kind,
        header,
        columns: m.columns,
        money_unit: title_unit.or(m.money_unit),
        unit_name,
        missing,
    })
}

/// The row that comes closest to the list layouts' header on a sheet where none was found: the
/// labels it has and the required ones it lacks (for no-form-found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosestHeader {
    /// Index into the sheet's rows.
    pub row: usize,
    /// The official labels of the columns found.
    pub found: Vec<String>,
    /// The official labels of the required columns not found.
    pub missing: Vec<String>,
}

/// The row of a sheet whose cells name the most of the form's columns, if any names one.
pub fn closest_header(sheet: &Sheet, form: &Form) -> Option<ClosestHeader> {
    let mut best: Option<(usize, HeaderMatch)> = None;
    for (r, m) in header_matches(sheet, form).into_iter().enumerate() {
        if m.score > 0 && best.as_ref().is_none_or(|(_, b)| m.score > b.score) {
            best = Some((r, m));
        }
    }
    let (row, m) = best?;
    let found = form
        .field_ids()
        .filter(|&f| m.columns.field(f).is_some())
        .map(|f| form[f].label.clone())
        .chain(
            form.indicator_field_ids()
                .filter(|&f| m.columns.indicator(f).is_some())
                .map(|f| form[f].label.clone()),
        )
        .collect();
    let missing = form
        .field_ids()
        .filter(|&f| form[f].required && m.columns.field(f).is_none())
        .map(|f| form[f].label.clone())
        .collect();
    Some(ClosestHeader {
        row,
        found,
        missing,
    })
}

/// Required columns the header lacks. The long layout needs no 绩效指标 column but its own
/// category and name columns and at least one target value column.
fn missing_columns(form: &Form, kind: LayoutKind, m: &HeaderMatch) -> Vec<(String, Vec<String>)> {
    let looked_for = |label: &str, variants: &[String]| -> Vec<String> {
        std::iter::once(label.to_string())
            .chain(variants.iter().cloned())
            .collect()
    };
    // A table with one amount column (总计 alone, as the budget-system export has) states no
    // split: its funding columns are not missing.
    let parts = form.sum_parts();
    let single_amount = parts.iter().all(|&p| m.columns.field(p).is_none());
    let mut missing: Vec<(String, Vec<String>)> = form
        .field_ids()
        .filter(|&id| {
            let f = &form[id];
            f.required
                && m.columns.field(id).is_none()
                && !(single_amount && parts.contains(&id))
                && !(kind == LayoutKind::Long && f.kind == FieldKind::Indicators)
        })
        .map(|id| {
            (
                form[id].label.clone(),
                looked_for(&form[id].label, &form[id].variants),
            )
        })
        .collect();
    if kind == LayoutKind::Long {
        let has = |k: IndicatorKind| {
            form.indicator_field_ids()
                .any(|id| form[id].kind == k && m.columns.indicator(id).is_some())
        };
        for id in form.indicator_field_ids() {
            let f = &form[id];
            if matches!(f.kind, IndicatorKind::Level1 | IndicatorKind::Level2)
                && m.columns.indicator(id).is_none()
            {
                missing.push((f.label.clone(), looked_for(&f.label, &f.variants)));
            }
        }
        if !has(IndicatorKind::Period) && !has(IndicatorKind::Annual) && !has(IndicatorKind::Value)
        {
            let labels: Vec<String> = form
                .indicator_fields
                .iter()
                .filter(|f| {
                    matches!(
                        f.kind,
                        IndicatorKind::Period | IndicatorKind::Annual | IndicatorKind::Value
                    )
                })
                .flat_map(|f| looked_for(&f.label, &f.variants))
                .collect();
            missing.push(("指标值".to_string(), labels));
        }
    }
    missing
}

/// Reads the money unit and the unit's name from the rows above the header.
fn read_title_area(rows: &[Vec<Cell>], form: &Form) -> (Option<String>, Option<String>) {
    let mut money = None;
    let mut name = None;
    for row in rows {
        let texts: Vec<&str> = row
            .iter()
            .filter_map(|c| match c {
                Cell::Text(s) => Some(s.trim()),
                _ => None,
            })
            .collect();
        for (i, text) in texts.iter().enumerate() {
            // One cell may hold both: "单位名称：某单位    单位：万元".
            for part in text.split(['\u{3000}', '\t']).flat_map(|p| p.split("  ")) {
                let part = part.trim();
                if money.is_none() {
                    if let Some(c) = MONEY_LINE.captures(part) {
                        if form.money_unit(&c[1]).is_some() {
                            money = Some(c[1].to_string());
                            continue;
                        }
                    }
                }
                if name.is_none() {
                    if let Some(c) = NAME_LINE.captures(part) {
                        let value = c[1].trim();
                        if form.money_unit(value).is_some() {
                            continue;
                        }
                        let value = if value.is_empty() {
                            texts.get(i + 1).copied().unwrap_or("")
                        } else {
                            value
                        };
                        if !value.is_empty() {
                            name = Some(value.to_string());
                        }
                    }
                }
            }
        }
    }
    (money, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_rows(rows: &[&[&str]]) -> Sheet {
        Sheet::from_text(rows)
    }

    proptest::proptest! {
        /// A text turned away by its first character names no column.
        #[test]
        fn a_text_turned_away_names_no_column(
            text in "[ 项目名称总计财政拨款（）()：:1、一其中绩效指标万元单位\u{3000}]{0,10}"
        ) {
            let form = Form::default_form();
            if !may_start_label(&text, &form) {
                let (label, _) = normalize_label(&text, &form);
                proptest::prop_assert_eq!(match_label(&label, &form), None);
            }
        }

        /// The brackets closing a folded label are read as the regex reads them.
        #[test]
        fn bracketed_units_as_the_regex_reads_them(
            text in "([a项目（）()：:]|单位|万元|元| ){0,10}"
        ) {
            let label = folded(&text);
            let by_regex = BRACKETED_UNIT
                .captures(&label)
                .map(|c| (c.get(1).unwrap().as_str().to_string(), c.get(0).unwrap().start()));
            let by_hand = bracketed_unit(&label).map(|(unit, at)| (unit.to_string(), at));
            proptest::prop_assert_eq!(by_hand, by_regex, "{}", label);
        }

        /// A text folded into a string, into a new one and into the thread's buffer reads the
        /// same.
        #[test]
        fn folding_three_ways(text in "[a项目：:（）() \t\n\u{3000}名称1]{0,12}") {
            let by_char: String = text.chars().filter(|c| !c.is_whitespace()).map(fold).collect();
            let mut into = String::from("kept");
            fold_into(&text, &mut into);
            proptest::prop_assert_eq!(&into[4..], by_char.as_str());
            let whole = folded(&text);
            proptest::prop_assert_eq!(whole.as_ref(), by_char.as_str());
            proptest::prop_assert_eq!(with_folded(&text, str::to_string), by_char);
        }
    }

    #[test]
    fn finds_the_seed_header_below_the_title() {
        let form = Form::default_form();
        let sheet = text_rows(&[
            &["项目支出绩效目标表（含转移支付项目）"],
            &[],
            &["单位名称：广州市规划和自然资源自动化中心"],
            &["单位：万元"],
            &[
                "项目名称（资金使用单位）",
                "总计",
                "财政拨款",
                "财政专户拨款",
                "其他资金",
                "绩效目标",
                "绩效指标",
            ],
        ]);
        let layout = locate_sheet(&sheet, &form).unwrap();
        assert_eq!(layout.header, 4);
        assert_eq!(
            form.field_ids()
                .map(|f| layout.columns.field(f))
                .collect::<Vec<_>>(),
            (0..7).map(Some).collect::<Vec<_>>()
        );
        assert_eq!(layout.money_unit.as_deref(), Some("万元"));
        assert_eq!(
            layout.unit_name.as_deref(),
            Some("广州市规划和自然资源自动化中心")
        );
        assert!(layout.missing.is_empty());
    }

    #[test]
    fn variants_reordered_columns_and_unit_in_header() {
        let form = Form::default_form();
        let sheet = text_rows(&[
            &["填报单位：", "示例单位乙"],
            &[
                "项 目 名 称",
                "绩效目标",
                "资金总额（元）",
                "财政资金",
                "其他",
            ],
        ]);
        let layout = locate_sheet(&sheet, &form).unwrap();
        assert_eq!(layout.header, 1);
        let total = form.field_by_key("total").unwrap();
        let goal = form.field_by_key("goal").unwrap();
        assert_eq!(layout.columns.field(total), Some(2));
        assert_eq!(layout.columns.field(goal), Some(1));
        assert_eq!(layout.money_unit.as_deref(), Some("元"));
        assert_eq!(layout.unit_name.as_deref(), Some("示例单位乙"));
        let missing: Vec<_> = layout.missing.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(missing, ["绩效指标"]);
    }

    #[test]
    fn no_header_no_layout() {
        let form = Form::default_form();
        let sheet = text_rows(&[&["说明"], &["请按模板填写"]]);
        assert!(locate_sheet(&sheet, &form).is_none());
    }

    #[test]
    fn labels_normalize() {
        let form = Form::default_form();
        assert_eq!(
            normalize_label("总计（万元）", &form),
            ("总计".into(), Some("万元".into()))
        );
        assert_eq!(
            normalize_label("项目名称（资金使用单位）", &form).0,
            "项目名称(资金使用单位)"
        );
    }
}
