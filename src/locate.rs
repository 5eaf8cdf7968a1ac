//! Locate: finds the form on each sheet. The header row is the row whose cells match most of
//! the form's labels and variants, wherever it is; above it, the title area gives the unit's name
//! ("单位名称：…", "填报单位：…") and the money unit ("单位：万元"); a money unit in a header
//! ("总计（元）") counts too.

use std::sync::LazyLock;

use regex::Regex;

use crate::form::{FieldKind, Form};
use crate::grid::{Cell, Sheet};

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
static BRACKETED_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?:单位\s*[:：])?\s*([^()（）]+?)\s*[)）]\s*$").expect("valid regex")
});

/// Where a sheet's form is and how its columns map to the form's fields.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Index into `rows` of the header row.
    pub header: usize,
    /// Index into a row of each form field's column, indexed like `Form::fields`.
    pub columns: Vec<Option<usize>>,
    /// The money unit found, and where (a description for messages).
    pub money_unit: Option<String>,
    /// The unit's name from the title area.
    pub unit_name: Option<String>,
    /// Required fields whose column was not found, indexed like `Form::fields`.
    pub missing: Vec<usize>,
}

/// A header label reduced for comparison: no spaces or line breaks, ASCII brackets, a trailing
/// money unit in brackets removed. Returns the label and that money unit, if any.
pub fn normalize_label(text: &str, form: &Form) -> (String, Option<String>) {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            _ => c,
        })
        .collect();
    if let Some(c) = BRACKETED_UNIT.captures(&compact) {
        let unit = c[1].to_string();
        if form.money_unit(&unit).is_some() {
            let whole = c.get(0).map_or(0, |m| m.start());
            return (compact[..whole].to_string(), Some(unit));
        }
    }
    (compact, None)
}

/// Which field a header label names, if any: the official label first, then the variants.
fn match_field(label: &str, form: &Form) -> Option<usize> {
    if label.is_empty() {
        return None;
    }
    let norm = |s: &str| normalize_label(s, form).0;
    form.fields
        .iter()
        .position(|f| norm(&f.label) == label)
        .or_else(|| {
            form.fields
                .iter()
                .position(|f| f.variants.iter().any(|v| norm(v) == label))
        })
}

/// Finds the form on a sheet, or `None` when no row looks like its header.
pub fn locate_sheet(sheet: &Sheet, form: &Form) -> Option<Layout> {
    let name_field = form.fields.iter().position(|f| f.kind == FieldKind::Name)?;
    // (row, columns, money unit in a header, score) of the best row so far.
    type Candidate = (usize, Vec<Option<usize>>, Option<String>, usize);
    let mut best: Option<Candidate> = None;
    for (r, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let mut columns = vec![None; form.fields.len()];
        let mut header_unit = None;
        for (c, cell) in row.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let (label, unit) = normalize_label(text, form);
            if let Some(f) = match_field(&label, form) {
                if columns[f].is_none() {
                    columns[f] = Some(c);
                    if unit.is_some() && form.fields[f].kind == FieldKind::Amount {
                        header_unit = header_unit.or(unit);
                    }
                }
            }
        }
        let score = columns.iter().filter(|c| c.is_some()).count();
        if columns[name_field].is_some() && score >= 3 && best.as_ref().is_none_or(|b| score > b.3)
        {
            best = Some((r, columns, header_unit, score));
        }
    }
    let (header, columns, header_unit, _) = best?;
    let (title_unit, unit_name) = read_title_area(&sheet.rows[..header], form);
    let missing = form
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| f.required && columns[*i].is_none())
        .map(|(i, _)| i)
        .collect();
    Some(Layout {
        header,
        columns,
        money_unit: title_unit.or(header_unit),
        unit_name,
        missing,
    })
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
        Sheet {
            name: Some("Sheet1".into()),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            ..Sheet::default()
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
        assert_eq!(layout.columns, (0..7).map(Some).collect::<Vec<_>>());
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
        let total = form.field_index("total").unwrap();
        let goal = form.field_index("goal").unwrap();
        assert_eq!(layout.columns[total], Some(2));
        assert_eq!(layout.columns[goal], Some(1));
        assert_eq!(layout.money_unit.as_deref(), Some("元"));
        assert_eq!(layout.unit_name.as_deref(), Some("示例单位乙"));
        let missing: Vec<_> = layout
            .missing
            .iter()
            .map(|&i| form.fields[i].key.as_str())
            .collect();
        assert_eq!(missing, ["indicators"]);
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
