//! The per-project form (申报表): blocks found by their labels, never by position. A block opens
//! at a 项目名称 label with a value; its head holds label/value pairs (the value in the next
//! filled cell of the row, in the cell below the label, or after a colon in the label's own
//! cell, one pair per line of a cell), and below it an indicator table whose header row names
//! 一级指标, 三级指标 and a value column. Several blocks may be stacked on one sheet; each ends
//! where the next one's title begins.

use std::borrow::Cow;

use aho_corasick::AhoCorasick;

use crate::base::form::{
    BlockColumn, BlockField, BlockLabel, BlockLabelIndex, Form, LabelWords, ProjectForm,
};
use crate::base::text::CharSet;
use crate::base::FastMap;
use crate::locate::{fold, normalize_label, with_folded};
use crate::read::grid::{Cell, Sheet};

/// Longest cell text read as a label, in characters.
const MAX_LABEL_CHARS: usize = 40;

/// One label/value pair of a block's head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub kind: BlockLabel,
    /// The label as written, without "其中", numbering, a colon or a bracketed note.
    pub label: String,
    /// For a funding part, the form field it adds to.
    pub field: Option<String>,
    /// Numbering depth of a funding line: 0 none, 1 for "（一）" or "其中", 2 for "1、".
    pub depth: u8,
    /// Whether the label says the year's (当年, 年度, 本年).
    pub annual_word: bool,
    /// Whether the form definition says the label is the whole period's (项目总投资).
    pub period: bool,
    /// Row index and column of the label.
    pub row: usize,
    pub col: usize,
    /// The value as written ("" when none), and where it is.
    pub value: String,
    pub value_row: usize,
    pub value_col: usize,
}

/// A column of a block's indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableColumn {
    pub kind: BlockColumn,
    pub col: usize,
    /// Whether the column belongs to the period's half of a side-by-side table (二级指标（长期）).
    pub period: bool,
}

/// A block's indicator table: its header row and columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorTable {
    /// Row index of the header.
    pub header: usize,
    pub columns: Vec<TableColumn>,
}

impl IndicatorTable {
    /// The column of a kind in one half (`period`) of the table; a table that is not split has
    /// every column in the year's half.
    pub fn column(&self, kind: BlockColumn, period: bool) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.kind == kind && c.period == period)
            .map(|c| c.col)
    }

    /// Every column of a kind, in order (a sign may be in any of several).
    pub fn columns_of(&self, kind: BlockColumn) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .filter(move |c| c.kind == kind)
            .map(|c| c.col)
    }

    /// Whether the table has a period half (side by side with the year's).
    pub fn is_split(&self) -> bool {
        self.columns.iter().any(|c| c.period)
    }
}

/// One per-project block on a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Row index of the 项目名称 label.
    pub name_row: usize,
    /// Row index past the block's last row.
    pub end: usize,
    pub pairs: Vec<Pair>,
    pub table: Option<IndicatorTable>,
    /// The money unit stated for the block (a label's brackets, "单位：万元" above it).
    pub money_unit: Option<String>,
}

impl Block {
    /// The first pair of a kind.
    pub fn pair(&self, kind: BlockLabel) -> Option<&Pair> {
        self.pairs.iter().find(|p| p.kind == kind)
    }
}

/// A label reduced for comparison, the depth its numbering gives, and the words of a bracketed
/// note (长期 in 二级指标（长期）), with any money unit found in brackets.
#[derive(Clone)]
struct Reduced {
    label: String,
    depth: u8,
    note: String,
    money_unit: Option<String>,
    /// Whether the label says the year's (see [`Labels::has_annual_word`]): told by
    /// [`Labels::parse`], whose readings a sheet keeps, rather than for every pair.
    annual_word: bool,
}

/// Reduces a label: no spaces, "其中" and numbering removed (giving the depth), a trailing colon
/// and a bracketed note removed.
fn reduce(text: &str, form: &Form) -> Reduced {
    let (mut compact, money_unit) = normalize_label(text, form);
    let mut s = compact.as_str();
    let mut depth = 0;
    if let Some(rest) = s.strip_prefix("其中") {
        s = rest.trim_start_matches(':');
        depth = 1;
    }
    if let Some(rest) = strip_numbering(s, true) {
        s = rest;
        depth = 1;
    } else if let Some(rest) = strip_numbering(s, false) {
        s = rest;
        depth = 2;
    }
    let s = s.trim_end_matches(':');
    let (label, note) = match s.find('(') {
        Some(open) if open > 0 && s.ends_with(')') => {
            (&s[..open], s[open + 1..s.len() - 1].to_string())
        }
        _ => (s, String::new()),
    };
    // The label is a run of `compact`: cut it out in place rather than copy it.
    let from = label.as_ptr() as usize - compact.as_ptr() as usize;
    let to = from + label.len();
    compact.truncate(to);
    compact.drain(..from);
    Reduced {
        label: compact,
        depth,
        note,
        money_unit,
        annual_word: false,
    }
}

/// Strips "(一)" / "一、" (`chinese`) or "1、" / "1." / "(1)" numbering.
fn strip_numbering(s: &str, chinese: bool) -> Option<&str> {
    let is_numeral = |c: char| {
        if chinese {
            "一二三四五六七八九十".contains(c)
        } else {
            c.is_ascii_digit()
        }
    };
    if let Some(rest) = s.strip_prefix('(') {
        let end = rest.find(')')?;
        let inner = &rest[..end];
        return (!inner.is_empty() && inner.chars().all(is_numeral)).then(|| &rest[end + 1..]);
    }
    let digits = s.chars().take_while(|&c| is_numeral(c)).count();
    if digits == 0 {
        return None;
    }
    let at = s.char_indices().nth(digits).map_or(s.len(), |(i, _)| i);
    let rest = &s[at..];
    rest.strip_prefix('、')
        .or_else(|| (!chinese).then(|| rest.strip_prefix('.')).flatten())
}

/// The labels of the per-project form, indexed by their reduced text (built once per form).
struct Labels<'a> {
    index: &'a BlockLabelIndex,
    form: &'a Form,
    project: &'a ProjectForm,
    /// Whether texts and rows go through [`may_hold`] first (always, but in the test that
    /// shows it changes nothing).
    quick: bool,
}

/// Indexes the per-project form's labels and columns by their reduced text.
fn index_labels(form: &Form, project: &ProjectForm) -> BlockLabelIndex {
    let norm = |s: &str| reduce(s, form).label;
    let mut labels = FastMap::default();
    for (i, field) in project.labels.iter().enumerate() {
        for v in std::iter::once(&field.label).chain(&field.variants) {
            labels.entry(norm(v)).or_insert(i);
        }
    }
    let mut columns = FastMap::default();
    for c in &project.columns {
        for v in std::iter::once(&c.label).chain(&c.variants) {
            columns.entry(norm(v)).or_insert(c.kind);
        }
    }
    // A form too large for an automaton (not one of ours) goes without the quick look.
    // Leftmost-first: the match that starts first, which is all `may_hold` needs.
    let words = |keys: Vec<&String>| {
        let starts = keys
            .iter()
            .all(|k| !k.is_empty())
            .then(|| CharSet::new(keys.iter().filter_map(|k| k.chars().next())));
        let plain = keys.iter().all(|k| !k.contains(['(', ')', ':']));
        AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(keys)
            .ok()
            .map(|automaton| LabelWords {
                automaton,
                starts,
                plain,
            })
    };
    let names = labels
        .iter()
        .filter(|(_, &i)| project.labels[i].kind == BlockLabel::Name)
        .map(|(key, _)| key)
        .collect();
    BlockLabelIndex {
        name_words: words(names),
        label_words: words(labels.keys().collect()),
        column_words: words(columns.keys().collect()),
        labels,
        columns,
    }
}

/// Whether a text may be one of the words, as `reduce` reads a label: a reduced label is a run
/// of the folded text that starts the text's head, after at most "其中", a colon and a number
/// ("(一)", "1、", "2."). So one of the words must start where only such characters stand before
/// it; false when none does.
///
/// Most texts (values, indicators, goals) are turned away by their first characters alone: the
/// word would start at one of them, so one must be a word's first character.
fn may_hold(words: Option<&LabelWords>, text: &str) -> bool {
    let Some(words) = words else {
        return true;
    };
    if let Some(starts) = &words.starts {
        let head = text.chars().filter(|c| !c.is_whitespace()).map(fold);
        let mut opens = false;
        for c in head {
            if starts.contains(c) {
                opens = true;
                break;
            }
            if !may_lead(c) {
                break;
            }
        }
        if !opens {
            return false;
        }
    }
    // Folding a text without spaces only turns full-width brackets and colons into ASCII
    // ones, which no plain key holds: the keys are where they are in the text as written, and
    // what stands before one is read folded.
    if words.plain && !text.contains(char::is_whitespace) {
        return key_leads_as_written(words, text);
    }
    key_leads_folded(words, text)
}

/// Whether the text, folded, has a key where a label starts (the leftmost key, with only
/// [`may_lead`] characters before it).
fn key_leads_folded(words: &LabelWords, text: &str) -> bool {
    with_folded(text, |text| {
        words
            .automaton
            .find(text)
            .is_some_and(|m| text[..m.start()].chars().all(may_lead))
    })
}

/// [`key_leads_folded`] on the text as written, for plain keys and a text without spaces.
fn key_leads_as_written(words: &LabelWords, text: &str) -> bool {
    words
        .automaton
        .find(text)
        .is_some_and(|m| text[..m.start()].chars().map(fold).all(may_lead))
}

/// A character that may stand before a label in its cell: of "其中", a colon, a numbering.
fn may_lead(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '其' | '中'
                | ':'
                | '('
                | ')'
                | '、'
                | '.'
                | '一'
                | '二'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
        )
}

impl<'a> Labels<'a> {
    fn new(form: &'a Form, project: &'a ProjectForm) -> Labels<'a> {
        Labels {
            index: form.block_index.get_or_init(|| index_labels(form, project)),
            form,
            project,
            quick: true,
        }
    }

    /// The head field a reduced label names.
    fn field(&self, label: &str) -> Option<&'a BlockField> {
        self.index
            .labels
            .get(label)
            .map(|&i| &self.project.labels[i])
    }

    /// The label a text is, with the value written after it in the same text (after a colon,
    /// or glued: "上级资金16").
    fn parse(&self, text: &str) -> Option<(&'a BlockField, Reduced, String)> {
        let text = crate::base::text::trim(text);
        if text.is_empty() || text.chars().count() > MAX_LABEL_CHARS + 40 || !has_han(text) {
            return None;
        }
        // Most cells (indicators, values, goals) hold no label at all: one pass of the
        // automaton tells so before any reduction.
        if self.quick && !may_hold(self.index.label_words.as_ref(), text) {
            return None;
        }
        let folded = if text.contains('：') {
            Cow::Owned(text.replace('：', ":"))
        } else {
            Cow::Borrowed(text)
        };
        // The label's text, its reading when it is already made, and the value after it.
        let (head, reduced, tail): (Cow<str>, Option<Reduced>, &str) = match folded.split_once(':')
        {
            Some((h, t)) => {
                let first = reduce(h, self.form);
                if !first.label.is_empty() {
                    (Cow::Borrowed(h), Some(first), t.trim())
                } else if let Some((h2, t2)) = t.split_once(':') {
                    // "其中:财政拨款" has its label after the colon.
                    (Cow::Owned(format!("{h}:{h2}")), None, t2.trim())
                } else {
                    (Cow::Borrowed(&folded), None, "")
                }
            }
            None => (Cow::Borrowed(&folded), None, ""),
        };
        if head.chars().count() > MAX_LABEL_CHARS {
            return None;
        }
        let reduced = reduced.unwrap_or_else(|| reduce(&head, self.form));
        if let Some(field) = self.field(&reduced.label) {
            let annual_word = self.has_annual_word(&reduced.label);
            return Some((
                field,
                Reduced {
                    annual_word,
                    ..reduced
                },
                tail.to_string(),
            ));
        }
        // A value glued to its label: "上级资金16".
        if tail.is_empty() {
            let label = &reduced.label;
            let split = label
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)?;
            let field = self.field(&label[..split])?;
            let value = label[split..].to_string();
            let reduced = Reduced {
                label: label[..split].to_string(),
                annual_word: self.has_annual_word(&label[..split]),
                ..reduced
            };
            return Some((field, reduced, value));
        }
        None
    }

    /// The indicator-table column a header text names, and whether it is the period's.
    fn column(&self, text: &str) -> Option<(BlockColumn, bool)> {
        if !has_han(text) || (self.quick && !may_hold(self.index.column_words.as_ref(), text)) {
            return None;
        }
        let reduced = reduce(text, self.form);
        let kind = *self.index.columns.get(&reduced.label)?;
        let period = self
            .project
            .period_words
            .iter()
            .any(|w| reduced.note.contains(w.as_str()));
        let kind = match kind {
            BlockColumn::Value if period => BlockColumn::PeriodValue,
            k => k,
        };
        Some((kind, period && kind != BlockColumn::PeriodValue))
    }

    fn has_annual_word(&self, label: &str) -> bool {
        self.project
            .annual_words
            .iter()
            .any(|w| label.contains(w.as_str()))
    }
}

/// Whether a text has a Chinese character: every label has, numbers and codes do not.
fn has_han(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The non-empty cells of a row, with merged copies (the same text in the next column) folded
/// into the first.
fn distinct_cells(sheet: &Sheet, r: usize) -> Vec<(usize, Cow<'_, str>)> {
    let mut out: Vec<(usize, Cow<str>)> = Vec::new();
    let mut previous_blank = true;
    for c in 0..sheet.rows.get(r).map_or(0, Vec::len) {
        let text = sheet.cell(r, c).shown_trimmed();
        if text.is_empty() {
            previous_blank = true;
            continue;
        }
        let repeated = !previous_blank && out.last().is_some_and(|(_, p)| *p == text);
        previous_blank = false;
        if !repeated {
            out.push((c, text));
        }
    }
    out
}

/// Whether some cell of the sheet holds one of the 项目名称 labels, spaces aside and brackets and
/// colons folded as `normalize_label` folds them: a quick look
/// before reading every row's labels, since a block opens only at that label. A reduced label
/// is a run of its cell's text with spaces removed (see `reduce`), so a sheet where no cell
/// holds one has no block.
fn may_name_a_project(sheet: &Sheet, labels: &Labels) -> bool {
    let names: Vec<&str> = labels
        .index
        .labels
        .iter()
        .filter(|(key, &i)| labels.project.labels[i].kind == BlockLabel::Name && !key.is_empty())
        .map(|(key, _)| key.as_str())
        .collect();
    sheet.rows.iter().flatten().any(|cell| {
        let Cell::Text(text) = cell else {
            return false;
        };
        with_folded(text, |text| names.iter().any(|n| text.contains(n)))
    })
}

/// Whether a row is one text merged across the table (a title or a note), or starts with a
/// note word (注, 填表人, …). Asked of every row of every indicator table: the first cell is
/// read in place, and the row's distinct cells are gathered only for a row merged across.
fn is_title_or_note(sheet: &Sheet, r: usize, width: usize, form: &Form) -> bool {
    let Some(first) = sheet.rows[r]
        .iter()
        .map(Cell::shown_trimmed)
        .find(|t| !t.is_empty())
    else {
        return false;
    };
    starts_with_note(&first, form)
        || (width > 2 && merged_across(sheet, r, width) && one_text(sheet, r))
}

/// Whether a row's non-empty cells are one run of the same text, as one merged region leaves
/// it: what [`distinct_cells`] gives as a single cell, told without gathering the cells (an
/// indicator table's rows, asked this one by one, are merged across and hold several texts).
fn one_text(sheet: &Sheet, r: usize) -> bool {
    let mut first: Option<Cow<str>> = None;
    let mut after_blank = false;
    for cell in &sheet.rows[r] {
        let text = cell.shown_trimmed();
        if text.is_empty() {
            after_blank = first.is_some();
            continue;
        }
        match &first {
            None => first = Some(text),
            Some(run) if !after_blank && *run == text => {}
            Some(_) => return false,
        }
    }
    first.is_some()
}

/// Whether a text, spaces aside, starts with one of the form's note words followed by a colon,
/// a bracket or a numbering (注：, 填表人（签字）, 说明1).
fn starts_with_note(text: &str, form: &Form) -> bool {
    form.rows.notes.iter().any(|word| {
        let mut chars = text.chars().filter(|c| !c.is_whitespace());
        word.chars().all(|w| chars.next() == Some(w))
            && chars
                .next()
                .is_some_and(|c| matches!(c, ':' | '：' | '（' | '(' | '1' | '一'))
    })
}

/// Whether every filled cell of a row holds the same text over at least half the sheet's width
/// (`width`, [`Sheet::width`], given by the caller: it is the same for every row).
fn merged_across(sheet: &Sheet, r: usize, width: usize) -> bool {
    let row = &sheet.rows[r];
    let filled = row.iter().filter(|c| !c.is_blank()).count();
    filled * 2 >= width && filled > 1
}

/// Finds the per-project blocks of a sheet (none when the form has no `[project]`).
pub fn locate_blocks(sheet: &Sheet, form: &Form) -> Vec<Block> {
    let Some(project) = &form.project else {
        return Vec::new();
    };
    blocks_of(sheet, &Labels::new(form, project))
}

/// [`locate_blocks`] with the form's labels.
fn blocks_of(sheet: &Sheet, labels: &Labels) -> Vec<Block> {
    let form = labels.form;
    if !may_name_a_project(sheet, labels) {
        return Vec::new();
    }
    // A 项目名称 label opens a block when it has a value, or when it is left empty in a block
    // that is plainly a form (an amount or an indicator table follows): a project without a name
    // is reported, never dropped.
    // Each row's pairs are read once, and only where they are needed: the rows that may name a
    // project, the blocks' heads, and the rows after an unnamed 项目名称. An indicator table's
    // rows (where a merged 绩效指标 stands in every row) are not read for pairs.
    let mut reading = SheetReading::new(sheet, labels);
    let mut told = FastMap::default();
    let candidates: Vec<(usize, bool)> = (0..sheet.rows.len())
        .filter(|&r| !labels.quick || may_name_in_row(sheet, r, labels, &mut told))
        .filter_map(|r| {
            let name = reading.get(r).iter().find(|p| p.kind == BlockLabel::Name)?;
            Some((r, !name.value.is_empty()))
        })
        .collect();
    let mut name_rows: Vec<usize> = Vec::new();
    for (i, &(r, named)) in candidates.iter().enumerate() {
        let opens = named || {
            let limit = candidates
                .get(i + 1)
                .map_or(sheet.rows.len(), |&(next, _)| next);
            let amount = (r + 1..limit).any(|row| {
                reading
                    .get(row)
                    .iter()
                    .any(|p| p.kind == BlockLabel::Total && !p.value.is_empty())
            });
            amount && reading.find_table(r + 1, limit).is_some()
        };
        if opens {
            name_rows.push(r);
        }
    }
    let mut blocks = Vec::new();
    let mut previous_end = 0;
    let width = sheet.width();
    for (i, &name_row) in name_rows.iter().enumerate() {
        let limit = name_rows.get(i + 1).copied().unwrap_or(sheet.rows.len());
        let table = reading.find_table(name_row + 1, limit);
        let head_end = table.as_ref().map_or(limit, |t| t.header);
        let mut pairs = Vec::new();
        for r in name_row..head_end {
            pairs.append(reading.get(r));
        }
        // Rows past the table that are not indicators belong to the next block's title.
        let end = match &table {
            Some(t) => table_end(sheet, t, limit, width, form),
            None => limit,
        };
        let money_unit = reading.money_unit(previous_end, head_end);
        previous_end = end;
        if !pairs.iter().any(|p| p.kind != BlockLabel::Name) && table.is_none() {
            continue; // a lone 项目名称 is not a form
        }
        blocks.push(Block {
            name_row,
            end,
            pairs,
            table,
            money_unit,
        });
    }
    blocks
}

/// A sheet read for its blocks: the pairs of its rows, each row read when first asked for, and
/// its distinct texts read once (see [`ParseMemo`]).
struct SheetReading<'a> {
    sheet: &'a Sheet,
    labels: &'a Labels<'a>,
    rows: Vec<Option<Vec<Pair>>>,
    memo: ParseMemo<'a>,
}

/// What [`Labels::parse`] made of a text.
type Parsed<'a> = Option<(&'a BlockField, Reduced, String)>;

/// [`Labels::parse`] of a sheet's cell texts, each distinct text parsed once: a sheet of
/// per-project forms repeats its labels (项目名称, 主管部门, 项目资金（万元）, …) in every block.
#[derive(Default)]
struct ParseMemo<'a> {
    parsed: FastMap<&'a str, Parsed<'a>>,
    /// The indicator-table column a text names (see [`SheetReading::find_table`]).
    columns: FastMap<&'a str, Option<(BlockColumn, bool)>>,
    /// The money unit a line names (see [`SheetReading::money_unit`]).
    units: FastMap<&'a str, Option<String>>,
}

impl<'a> ParseMemo<'a> {
    /// [`Labels::parse`] of a text of the sheet. A text that holds no label, told by the quick
    /// look (most values), is not kept.
    fn parse(&mut self, labels: &Labels<'a>, text: &'a str) -> Parsed<'a> {
        // A kept text passed the quick look before: its labels, repeated in every block, are
        // told by one lookup rather than by the automaton each time.
        if let Some(parsed) = self.parsed.get(text) {
            return parsed.clone();
        }
        if labels.quick
            && !may_hold(
                labels.index.label_words.as_ref(),
                crate::base::text::trim(text),
            )
        {
            return None;
        }
        let parsed = labels.parse(text);
        self.parsed.insert(text, parsed.clone());
        parsed
    }

    /// [`column_of`] a text of the sheet; a text that names no column, told by the quick look
    /// (most texts), is not kept.
    fn column(&mut self, labels: &Labels, text: &'a str) -> Option<(BlockColumn, bool)> {
        // As in `parse`: a kept text is told by one lookup.
        if let Some(&column) = self.columns.get(text) {
            return column;
        }
        if labels.quick && !may_hold(labels.index.column_words.as_ref(), text) {
            return None;
        }
        let column = column_of(text, labels);
        self.columns.insert(text, column);
        column
    }
}

impl<'a> SheetReading<'a> {
    fn new(sheet: &'a Sheet, labels: &'a Labels<'a>) -> SheetReading<'a> {
        SheetReading {
            sheet,
            labels,
            rows: vec![None; sheet.rows.len()],
            memo: ParseMemo::default(),
        }
    }

    /// Row `r`'s pairs (a block's head takes them with `append`, leaving them empty).
    fn get(&mut self, r: usize) -> &mut Vec<Pair> {
        self.rows[r].get_or_insert_with(|| row_pairs(self.sheet, r, self.labels, &mut self.memo))
    }

    /// The indicator table's header: the first row from `from` that names a level-1 or level-2
    /// column, a level-3 column and a value column.
    fn find_table(&mut self, from: usize, limit: usize) -> Option<IndicatorTable> {
        let (sheet, labels, memo) = (self.sheet, self.labels, &mut self.memo);
        (from..limit).find_map(|r| {
            let mut columns: Vec<TableColumn> = Vec::new();
            // The text of the cell to the left when it named no column: a merged region's copy
            // of it names none either.
            let mut no_column: Option<&Cell> = None;
            for (c, cell) in sheet.rows[r].iter().enumerate() {
                // A column label has a Chinese character: a number (whose text would be made
                // for nothing) or an empty cell is none.
                if matches!(cell, Cell::Empty | Cell::Number(_)) {
                    no_column = None;
                    continue;
                }
                if no_column.replace(cell) == Some(cell) {
                    continue;
                }
                let column = match cell {
                    // Each distinct text of the sheet is read once: the same header stands over
                    // every block's table.
                    Cell::Text(text) => memo.column(labels, text),
                    _ => column_of(&cell.shown(), labels),
                };
                if let Some((kind, period)) = column {
                    no_column = None;
                    // Several columns may hold the sign (指标性质 and 指标方向 are swapped in places).
                    let repeatable = kind == BlockColumn::Sign;
                    if repeatable || !columns.iter().any(|t| t.kind == kind && t.period == period) {
                        columns.push(TableColumn {
                            kind,
                            col: c,
                            period,
                        });
                    }
                }
            }
            let has = |k: BlockColumn| columns.iter().any(|c| c.kind == k);
            let levels = has(BlockColumn::Level1) || has(BlockColumn::Level2);
            let value = has(BlockColumn::Value) || has(BlockColumn::PeriodValue);
            (levels && has(BlockColumn::Level3) && value)
                .then_some(IndicatorTable { header: r, columns })
        })
    }

    /// The money unit of a block: from a label's brackets (项目资金（万元）), or a "单位：万元" in the
    /// rows from the end of the previous block to the indicator table.
    fn money_unit(&mut self, from: usize, to: usize) -> Option<String> {
        let (sheet, labels, memo) = (self.sheet, self.labels, &mut self.memo);
        for r in from..to {
            // Not numbers: a number's text neither ends with a bracket nor holds 位. A merged copy
            // is passed over: it would tell what its first cell told.
            let mut previous: Option<&crate::read::grid::Text> = None;
            for cell in &sheet.rows[r] {
                let (Cell::Text(whole) | Cell::Date(whole) | Cell::Error(whole)) = cell else {
                    previous = None;
                    continue;
                };
                if previous.replace(whole) == Some(whole) {
                    continue;
                }
                for line in whole.trim().lines() {
                    // A unit stands in a closing bracket (项目资金（万元）) or after 单位: other
                    // lines have none.
                    let last = line.trim_end().chars().next_back();
                    if !matches!(last, Some(')' | '）')) && !line.contains('位') {
                        continue;
                    }
                    // The same label stands in every block of a sheet: each line is read once.
                    let unit = memo
                        .units
                        .entry(line)
                        .or_insert_with(|| line_money_unit(line, labels.form));
                    if unit.is_some() {
                        return unit.clone();
                    }
                }
            }
        }
        None
    }
}

/// Whether a row may hold a 项目名称 label: some text of it, or some line of a text, may hold
/// one of its keys where a label starts (see [`may_hold`]). A pair is made of a whole cell or of
/// its lines, with spaces and line breaks folded away, so a row turned away has no 项目名称 pair.
/// Each distinct text of the sheet is answered once (`told`): a per-project sheet repeats its
/// labels, categories and targets in every block.
fn may_name_in_row<'a>(
    sheet: &'a Sheet,
    r: usize,
    labels: &Labels,
    told: &mut FastMap<&'a str, bool>,
) -> bool {
    let words = labels.index.name_words.as_ref();
    // A merged region's copy (the text of the cell to its left) was answered by that cell.
    let mut previous: Option<&str> = None;
    sheet.rows[r].iter().any(|cell| match cell {
        Cell::Text(t) if previous.replace(t) != Some(t.as_str()) => {
            *told.entry(t.as_str()).or_insert_with(|| {
                may_hold(words, t)
                    || (memchr::memchr(b'\n', t.as_bytes()).is_some()
                        && t.lines().skip(1).any(|l| may_hold(words, l)))
            })
        }
        _ => false,
    })
}

/// The label/value pairs of one row.
fn row_pairs<'a>(
    sheet: &'a Sheet,
    r: usize,
    labels: &Labels<'a>,
    memo: &mut ParseMemo<'a>,
) -> Vec<Pair> {
    // A pair needs a label, and a label is in a text cell: a row where no text may hold one
    // (most rows: indicators, values) has none. A cell of several "label：value" lines passes
    // by its first line, whose label starts the cell's text.
    // A text the sheet's readings keep passed the quick look before (the labels repeated in
    // every block): one lookup, not the automaton again.
    let words = labels.index.label_words.as_ref();
    if labels.quick
        && !sheet.rows[r].iter().any(|cell| {
            matches!(cell, Cell::Text(t)
                if memo.parsed.contains_key(crate::base::text::trim(t)) || may_hold(words, t))
        })
    {
        return Vec::new();
    }
    let cells = distinct_cells(sheet, r);
    // Each cell read as a label once: a value cell is also asked whether it is a label.
    let mut whole: Vec<_> = cells
        .iter()
        .map(|(_, t)| match t {
            Cow::Borrowed(t) => memo.parse(labels, t),
            Cow::Owned(t) => labels.parse(t),
        })
        .collect();
    let mut pairs = Vec::new();
    for (i, (c, text)) in cells.iter().enumerate() {
        // One line (most cells) needs no split.
        let lines: Vec<&str> = if text.contains('\n') {
            text.lines().filter(|l| !l.trim().is_empty()).collect()
        } else {
            Vec::new()
        };
        if lines.len() > 1 {
            // Several "label：value" lines in one cell: a funding block written in one cell.
            let parsed: Vec<_> = lines.iter().filter_map(|l| labels.parse(l)).collect();
            if parsed.len() == lines.len() {
                for (n, (field, reduced, value)) in parsed.into_iter().enumerate() {
                    let mut pair = make_pair(field, reduced, r, *c, value);
                    if n > 0 && pair.kind == BlockLabel::Part && pair.depth == 0 {
                        pair.depth = 1;
                    }
                    pairs.push(pair);
                }
                continue;
            }
        }
        let Some((field, reduced, inline)) = whole[i].take() else {
            continue;
        };
        let mut pair = make_pair(field, reduced, r, *c, inline);
        if pair.value.is_empty() && !matches!(pair.kind, BlockLabel::Group | BlockLabel::Other) {
            match cells.get(i + 1) {
                Some((vc, next)) if whole[i + 1].is_none() && !is_list_label(next, labels) => {
                    pair.value = next.to_string();
                    pair.value_col = *vc;
                }
                _ if matches!(pair.kind, BlockLabel::GoalAnnual | BlockLabel::GoalPeriod) => {
                    // The value under its label: 中期目标 over its text.
                    let below = sheet.cell(r + 1, *c).display().trim().to_string();
                    if !below.is_empty() && below != *text && labels.parse(&below).is_none() {
                        pair.value = below;
                        pair.value_row = r + 1;
                    }
                }
                _ => {}
            }
        }
        pairs.push(pair);
    }
    pairs
}

/// Whether a text is a column label of the list layouts (总计, 绩效目标): a header row, not a
/// value.
fn is_list_label(text: &str, labels: &Labels) -> bool {
    // Most values (names, amounts, goals) are told by their first character.
    if !super::may_start_label(text, labels.form) {
        return false;
    }
    let (label, _) = normalize_label(text, labels.form);
    super::match_label(&label, labels.form).is_some()
}

fn make_pair(field: &BlockField, reduced: Reduced, r: usize, c: usize, value: String) -> Pair {
    Pair {
        kind: field.kind,
        annual_word: reduced.annual_word,
        period: field.period,
        label: reduced.label,
        field: field.field.clone(),
        depth: reduced.depth,
        row: r,
        col: c,
        value,
        value_row: r,
        value_col: c,
    }
}

/// The indicator-table column a cell's text names (see [`Labels::column`]); none for a text too
/// long to be a label.
fn column_of(text: &str, labels: &Labels) -> Option<(BlockColumn, bool)> {
    if text.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    labels.column(text)
}

/// The row past a block's indicator table: the first title or note row after its header.
/// `width` is the sheet's ([`Sheet::width`]), found once for all its blocks.
fn table_end(
    sheet: &Sheet,
    table: &IndicatorTable,
    limit: usize,
    width: usize,
    form: &Form,
) -> usize {
    (table.header + 1..limit)
        .find(|&r| is_title_or_note(sheet, r, width, form))
        .unwrap_or(limit)
}

/// The money unit a line of a block's head names: in a label's brackets, or after "单位：".
fn line_money_unit(line: &str, form: &Form) -> Option<String> {
    if let Some(unit) = reduce(line, form).money_unit {
        return Some(unit);
    }
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace('：', ":");
    for (at, _) in compact.match_indices("单位:") {
        let rest = &compact[at + "单位:".len()..];
        let unit = form
            .money_units
            .iter()
            .filter(|u| rest.starts_with(u.name.as_str()))
            .max_by_key(|u| u.name.len());
        if let Some(u) = unit {
            return Some(u.name.clone());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet::from_text(rows)
    }

    /// Texts made of what a label cell holds: a numbering, a label of the form (any variant),
    /// a colon and value, a bracketed note, spaces, and other text around.
    fn label_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let form = Form::default_form();
        let project = form.project.clone().unwrap();
        let mut words: Vec<String> = Vec::new();
        for f in &project.labels {
            words.push(f.label.clone());
            words.extend(f.variants.iter().cloned());
        }
        for c in &project.columns {
            words.push(c.label.clone());
            words.extend(c.variants.iter().cloned());
        }
        let pieces = [
            "",
            "其中",
            "其中：",
            "（一）",
            "一、",
            "1、",
            "2.",
            "(3)",
            "：",
            ":",
            "16",
            "（万元）",
            "（长期）",
            " ",
            "　",
            "\n",
            "说明",
            "合计",
            "年度",
            "（",
            "）",
            "项目",
            "单位",
        ];
        let piece = proptest::sample::select(pieces.to_vec()).prop_map(str::to_string);
        let word = proptest::sample::select(words);
        proptest::collection::vec(prop_oneof![piece, word], 1..5).prop_map(|v| v.concat())
    }

    /// The form's labels read with the quick look, and without it.
    fn quick_and_full(form: &Form) -> (Labels<'_>, Labels<'_>) {
        let project = form.project.as_ref().unwrap();
        let full = Labels {
            quick: false,
            ..Labels::new(form, project)
        };
        (Labels::new(form, project), full)
    }

    proptest::proptest! {
        /// `one_text` answers as the row's distinct cells would, for rows of blanks, spaces,
        /// numbers and a few texts in any order.
        #[test]
        fn one_text_is_one_distinct_cell(
            row in proptest::collection::vec(
                proptest::sample::select(vec!["", " ", "甲", " 甲", "乙", "1"]),
                0..8,
            )
        ) {
            let mut s = sheet(&[&row]);
            for cell in s.rows[0].iter_mut().filter(|c| c.shown() == "1") {
                *cell = Cell::Number(1.0);
            }
            proptest::prop_assert_eq!(one_text(&s, 0), distinct_cells(&s, 0).len() == 1);
        }

        /// The quick look turns away only texts that hold no label: with it and without it,
        /// every text reads the same.
        #[test]
        fn the_quick_look_changes_no_reading(text in label_like()) {
            let form = Form::default_form();
            let (quick, full) = quick_and_full(&form);
            let read = |l: &Labels, t: &str| {
                l.parse(t).map(|(f, r, v)| (f.kind, r.label, r.depth, r.note, v))
            };
            proptest::prop_assert_eq!(read(&quick, &text), read(&full, &text));
            proptest::prop_assert_eq!(quick.column(&text), full.column(&text));
            // A sheet's memo gives what a reading gives, the first time and the next.
            let mut memo = ParseMemo::default();
            for _ in 0..2 {
                let memoized = memo
                    .parse(&quick, &text)
                    .map(|(f, r, v)| (f.kind, r.label, r.depth, r.note, v));
                proptest::prop_assert_eq!(memoized, read(&full, &text));
                proptest::prop_assert_eq!(memo.column(&quick, &text), column_of(&text, &full));
            }
            // And a row of the text and a value: the same pairs, the row's own look included.
            let row = sheet(&[&[text.as_str(), "100"]]);
            let pairs = |labels| row_pairs(&row, 0, labels, &mut ParseMemo::default());
            proptest::prop_assert_eq!(pairs(&quick), pairs(&full));
        }

        /// A text without spaces is searched as written exactly as folded, for each of the
        /// form's key sets (all plain).
        #[test]
        fn plain_keys_are_found_as_written(text in label_like()) {
            let form = Form::default_form();
            let (quick, _) = quick_and_full(&form);
            let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let index = quick.index;
            for words in [&index.name_words, &index.label_words, &index.column_words] {
                let words = words.as_ref().unwrap();
                proptest::prop_assert!(words.plain);
                proptest::prop_assert_eq!(
                    key_leads_as_written(words, &text),
                    key_leads_folded(words, &text)
                );
            }
        }
    }

    /// `may_lead` is the set it names, over every character of the basic plane and a few past it.
    #[test]
    fn may_lead_is_its_set() {
        let set = "0123456789其中:()、.一二三四五六七八九十";
        for c in (0..0x1_0000)
            .chain(0x2_0000..0x2_0100)
            .filter_map(char::from_u32)
        {
            assert_eq!(may_lead(c), set.contains(c), "{c:?}");
        }
    }

    /// Sheets of a few columns whose cells are label-like texts, values, blanks, and copies of
    /// the cell to their left or above (as merged regions are read).
    fn form_like_sheet() -> impl proptest::strategy::Strategy<Value = Vec<Vec<String>>> {
        use proptest::prelude::*;
        let value = proptest::sample::select(vec![
            "",
            "",
            "示例项目",
            "100",
            "≥90%",
            "产出指标",
            "数量指标",
            "绩效指标",
            "=",
            "^",
        ])
        .prop_map(str::to_string);
        // Rows as forms have them, besides rows of anything.
        let form_row = proptest::sample::select(vec![
            "项目支出绩效目标表|=|=|=",
            "项目名称|示例项目",
            "项目名称：示例项目",
            "项目名称|",
            "年度目标：完成建设\n项目名称：示例项目|=",
            "年度资金总额|100",
            "项目资金（万元）|年度资金总额：|=|100",
            "^|其中：财政拨款|=|60",
            "年度目标|完成建设",
            "绩效指标|一级指标|二级指标|三级指标|指标值",
            "^|产出指标|数量指标|建成道路|≥10公里",
            "^|^|质量指标|验收合格率|100%",
            "注：金额单位为万元",
        ])
        .prop_map(|row| row.split('|').map(str::to_string).collect::<Vec<String>>());
        let cell = prop_oneof![3 => value, 2 => label_like()];
        let row = prop_oneof![2 => form_row, 1 => proptest::collection::vec(cell, 1..6)];
        proptest::collection::vec(row, 1..40).prop_map(|rows| {
            let mut out: Vec<Vec<String>> = Vec::new();
            for row in rows {
                let mut made: Vec<String> = Vec::new();
                for (c, cell) in row.into_iter().enumerate() {
                    let text = match cell.as_str() {
                        "=" => made.last().cloned().unwrap_or_default(),
                        "^" => out
                            .last()
                            .and_then(|r| r.get(c))
                            .cloned()
                            .unwrap_or_default(),
                        _ => cell,
                    };
                    made.push(text);
                }
                out.push(made);
            }
            out
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
        /// Reading pairs only in the rows that may name a project, the heads and the rows
        /// after an unnamed one finds the blocks that reading every row finds.
        #[test]
        fn blocks_found_with_the_quick_look_are_those_found_without(rows in form_like_sheet()) {
            let form = Form::default_form();
            let (quick, full) = quick_and_full(&form);
            let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            let sheet = sheet(&rows);
            proptest::prop_assert_eq!(blocks_of(&sheet, &quick), blocks_of(&sheet, &full));
        }
    }

    #[test]
    fn labels_are_reduced_with_their_numbering_and_notes() {
        let form = Form::default_form();
        let r = reduce("其中：财政拨款", &form);
        assert_eq!((r.label.as_str(), r.depth), ("财政拨款", 1));
        let r = reduce("（一）财政拨款小计", &form);
        assert_eq!((r.label.as_str(), r.depth), ("财政拨款小计", 1));
        let r = reduce("    1、一般公共预算", &form);
        assert_eq!((r.label.as_str(), r.depth), ("一般公共预算", 2));
        let r = reduce("二级指标（长期）", &form);
        assert_eq!((r.label.as_str(), r.note.as_str()), ("二级指标", "长期"));
        let r = reduce("项目资金\n（万元）", &form);
        assert_eq!(
            (r.label.as_str(), r.money_unit.as_deref()),
            ("项目资金", Some("万元"))
        );
    }

    #[test]
    fn a_block_with_pairs_funding_goals_and_table() {
        let form = Form::default_form();
        let s = sheet(&[
            &[
                "项目支出绩效目标表",
                "项目支出绩效目标表",
                "项目支出绩效目标表",
                "项目支出绩效目标表",
                "项目支出绩效目标表",
            ],
            &["项目名称", "物业管理", "物业管理", "物业管理", "物业管理"],
            &[
                "主管部门",
                "县财政局",
                "实施单位",
                "[042]某开发区",
                "[042]某开发区",
            ],
            &[
                "项目资金（万元）",
                "年度资金总额：",
                "年度资金总额：",
                "1125",
                "1125",
            ],
            &[
                "项目资金（万元）",
                "其中：财政拨款",
                "其中：财政拨款",
                "1125",
                "1125",
            ],
            &["项目资金（万元）", "其中 :上级资金16", "", "", ""],
            &["总体目标", "中期目标", "中期目标", "年度目标", "年度目标"],
            &["总体目标", "三年完成", "三年完成", "", ""],
            &["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            &["绩效指标", "产出指标", "数量指标", "指标1：小区数", "8个"],
            &[
                "注：本表为示例。",
                "注：本表为示例。",
                "注：本表为示例。",
                "注：本表为示例。",
                "注：本表为示例。",
            ],
        ]);
        let blocks = locate_blocks(&s, &form);
        assert_eq!(blocks.len(), 1);
        let b = &blocks[0];
        assert_eq!(b.name_row, 1);
        assert_eq!(b.end, 10);
        assert_eq!(b.money_unit.as_deref(), Some("万元"));
        let value = |k| b.pair(k).map(|p| p.value.as_str());
        assert_eq!(value(BlockLabel::Name), Some("物业管理"));
        assert_eq!(value(BlockLabel::Department), Some("县财政局"));
        assert_eq!(value(BlockLabel::Unit), Some("[042]某开发区"));
        assert_eq!(value(BlockLabel::Total), Some("1125"));
        assert_eq!(value(BlockLabel::GoalPeriod), Some("三年完成"));
        // 年度目标 has nothing below it.
        assert_eq!(value(BlockLabel::GoalAnnual), Some(""));
        let parts: Vec<(&str, &str, u8)> = b
            .pairs
            .iter()
            .filter(|p| p.kind == BlockLabel::Part)
            .map(|p| (p.label.as_str(), p.value.as_str(), p.depth))
            .collect();
        assert_eq!(parts, [("财政拨款", "1125", 1), ("上级资金", "16", 1)]);
        let t = b.table.as_ref().unwrap();
        assert_eq!(t.header, 8);
        assert_eq!(t.column(BlockColumn::Level3, false), Some(3));
        assert_eq!(t.column(BlockColumn::Value, false), Some(4));
    }

    #[test]
    fn side_by_side_table_and_funding_in_one_cell() {
        let form = Form::default_form();
        let s = sheet(&[
            &[
                "项目名称",
                "雾炮车服务",
                "雾炮车服务",
                "雾炮车服务",
                "雾炮车服务",
                "雾炮车服务",
                "雾炮车服务",
            ],
            &[
                "项目资金申请\n(万元)",
                "资金总额: 250\n一、预算资金:250\n二、自有资金:0",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "一级指标",
                "二级指标（长期）",
                "三级指标（长期）",
                "指标值（长期）",
                "二级指标（年度）",
                "三级指标（年度）",
                "指标值（年度）",
            ],
            &["产出指标", "数量指标", "", "", "数量指标", "车辆数", "10辆"],
        ]);
        let b = &locate_blocks(&s, &form)[0];
        let funding: Vec<(BlockLabel, &str, &str, u8)> = b
            .pairs
            .iter()
            .filter(|p| matches!(p.kind, BlockLabel::Total | BlockLabel::Part))
            .map(|p| (p.kind, p.label.as_str(), p.value.as_str(), p.depth))
            .collect();
        assert_eq!(
            funding,
            [
                (BlockLabel::Total, "资金总额", "250", 0),
                (BlockLabel::Part, "预算资金", "250", 1),
                (BlockLabel::Part, "自有资金", "0", 1)
            ]
        );
        let t = b.table.as_ref().unwrap();
        assert!(t.is_split());
        assert_eq!(t.column(BlockColumn::Level3, true), Some(2));
        assert_eq!(t.column(BlockColumn::PeriodValue, false), Some(3));
        assert_eq!(t.column(BlockColumn::Level3, false), Some(5));
        assert_eq!(t.column(BlockColumn::Value, false), Some(6));
    }

    #[test]
    fn stacked_blocks_split_at_the_next_title() {
        let form = Form::default_form();
        let block = |name: &'static str| -> Vec<Vec<&'static str>> {
            vec![
                vec![
                    "项目支出绩效目标表",
                    "项目支出绩效目标表",
                    "项目支出绩效目标表",
                    "项目支出绩效目标表",
                ],
                vec!["项目名称", name, name, name],
                vec!["年度资金总额", "10", "10", "10"],
                vec!["一级指标", "二级指标", "三级指标", "指标值"],
                vec!["产出指标", "数量指标", "场次", "≥2场"],
            ]
        };
        let rows: Vec<Vec<&str>> = block("甲项目").into_iter().chain(block("乙项目")).collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let blocks = locate_blocks(&sheet(&rows), &form);
        assert_eq!(blocks.len(), 2);
        assert_eq!((blocks[0].name_row, blocks[0].end), (1, 5));
        assert_eq!((blocks[1].name_row, blocks[1].end), (6, 10));
        assert_eq!(blocks[1].pair(BlockLabel::Name).unwrap().value, "乙项目");
    }

    #[test]
    fn a_list_layout_header_is_no_block() {
        let form = Form::default_form();
        let s = sheet(&[
            &["项目名称", "总计", "财政拨款", "绩效目标", "绩效指标"],
            &["河道保洁经费", "10", "10", "保洁", "1、…"],
        ]);
        // 项目名称's neighbour is another label: no value, so no block.
        assert!(locate_blocks(&s, &form).is_empty());
    }
}
