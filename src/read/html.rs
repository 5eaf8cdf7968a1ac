//! HTML tables: `.html`/`.htm` files, and the "Excel" downloads of web systems that are really
//! HTML inside an `.xls` (discover sniffs them by their first bytes). Parsed with `scraper`
//! (html5ever, the HTML5 parsing algorithm browsers use), never with patterns.
//!
//! - **Encoding.** A BOM decides. Else the declared charset (`<meta charset=…>`, `<meta
//!   http-equiv="Content-Type" content="…; charset=…">`, or `<?xml … encoding=…?>`, looked for in
//!   the first 4 KiB), with two corrections for declarations that outlived a re-save: bytes that
//!   are valid UTF-8 and hold non-ASCII text are UTF-8 whatever a legacy charset says (GBK Chinese
//!   is practically never valid UTF-8), and a UTF-8 declaration over bytes that are not UTF-8 but
//!   are clean GB18030 is taken as GB18030. With no declaration: UTF-8 if valid, else GB18030
//!   (a superset of GBK and GB2312).
//! - **Sheets.** Each `<table>` is one sheet, named 表1, 表2… in the order the tables start, so a
//!   nested table comes right after the table holding it. A nested table's text is not repeated
//!   in the cell holding it (the cell keeps its own text, with a line break where the table was).
//!   A `<caption>` does not name the sheet (the pipeline takes a sheet's name as the unit's name
//!   when nothing else gives one, and a caption is a title); it becomes a leading row, below.
//! - **Rows and spans.** Rows come from `<thead>`, `<tbody>` and `<tfoot>` in document order. Each
//!   cell is placed by the HTML table algorithm: at the first column of its row not taken by a
//!   `rowspan` from a row above. A `rowspan` ends with its row group (`rowspan="0"` reaches the
//!   group's end); spans are clamped to [`MAX_COLSPAN`] and [`MAX_ROWSPAN`]. The merged region is
//!   filled with the cell's value, as `workbook` fills a spreadsheet's merged cells: origins first,
//!   then each region's blank cells. A non-blank cell starting beyond [`MAX_COLUMNS`] refuses the
//!   file ([`ReadError::TooWide`]). Every stored cell counts against [`MAX_CELLS`], and so, apart,
//!   does every `<tr>` and `<td>` read (blank ones cost memory too).
//! - **Size.** The parsed document takes 10 to 35 times the file's bytes, so an HTML file over
//!   [`MAX_HTML_BYTES`] is refused ([`ReadError::FileTooLarge`]) before it is parsed. Known
//!   limit: html5ever's tree builder takes time quadratic in the nesting depth of some elements
//!   (40,000 nested `<div>`s take seconds); no real table nests like that, and the walk below has
//!   no recursion, so depth costs time but never the stack.
//! - **Text.** What a browser shows: whitespace collapsed, `&nbsp;` a space, a `<br>` or a block
//!   boundary (`<p>`, `<div>`, `<li>`…) a line break, trimmed. A line break in the source between
//!   two wide (CJK) characters is dropped rather than made a space, as CSS does for Chinese text.
//!   `<head>`, `<script>`, `<style>`, `<template>` and `<noscript>` are not shown, so not read.
//! - **Text around the tables.** The blocks of text outside any table since the previous table
//!   (a title in `<h1>`, "单位：万元" in a `<p>`, each `<br>`-separated line) are the first rows of
//!   the next table's sheet, one single-cell row each, then the caption, then the table's rows.
//!   The locator reads its title area there, and row numbers count these rows, so an issue's row
//!   is the table's row plus the leading rows above it. Text after the last table is not read.
//! - **Errors.** A document whose text holds NUL characters is not HTML ([`ReadError::Corrupt`]);
//!   a document with no `<table>` is an empty grid (the pipeline reports no form found).

use encoding_rs::Encoding;

use crate::read::grid::{Cell, Grid, Sheet};
use crate::read::{CellCountPlace, ReadError, MAX_CELLS};

/// The widest a cell's `colspan` is taken to be (the HTML standard's own clamp).
pub const MAX_COLSPAN: usize = 1000;
/// The tallest a cell's `rowspan` is taken to be.
pub const MAX_ROWSPAN: usize = 10_000;
/// The most columns a table may have: Excel's (XFD).
pub const MAX_COLUMNS: usize = 16_384;
/// The largest HTML file read (the parsed tree takes 10 to 35 times as much memory).
pub const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;
/// How many leading bytes are searched for a declared charset.
const PRESCAN_BYTES: usize = 4096;

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// Reads every table of an HTML document.
///
/// # Errors
/// The file is larger than [`MAX_HTML_BYTES`], its text holds NUL characters, a table is wider
/// than [`MAX_COLUMNS`], or the file holds more than [`MAX_CELLS`] cells or rows.
pub fn read_html(bytes: &[u8]) -> Result<Grid, ReadError> {
    read_html_capped(bytes, MAX_CELLS)
}

/// [`read_html`] with another cap than [`MAX_CELLS`] (the tests' small one).
fn read_html_capped(bytes: &[u8], limit: usize) -> Result<Grid, ReadError> {
    if bytes.len() > MAX_HTML_BYTES {
        return Err(ReadError::FileTooLarge {
            bytes: bytes.len() as u64,
            limit: MAX_HTML_BYTES as u64,
        });
    }
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(ReadError::Corrupt {
            format: "HTML",
            source: "含有 NUL 字节，不是文本".into(),
        });
    }
    let document = scraper::Html::parse_document(&text);
    let mut walker = Walker {
        limit,
        ..Walker::default()
    };
    // Depth-first in document order without recursion (a hostile file may nest deeply): every
    // node is opened, its children walked unless `open` says to skip them, then closed.
    let root = document.tree.root();
    let mut node = root;
    let mut path: Vec<usize> = Vec::new();
    let mut ordinal = 0usize;
    'walk: loop {
        ordinal += 1;
        path.push(ordinal);
        let descend = walker.open(node.value(), ordinal);
        if let (true, Some(child)) = (descend, node.first_child()) {
            node = child;
            continue;
        }
        loop {
            let closing = path.pop().unwrap_or_default();
            walker.close(node.value(), closing)?;
            if node == root {
                break 'walk;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'walk,
            }
        }
    }
    Ok(Grid {
        sheets: walker.sheets.into_iter().flatten().collect(),
        ..Grid::default()
    })
}

/// Decodes an HTML document's bytes to text (see the module header for the order).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let declared = declared_encoding(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
    match (declared, utf8) {
        (None, Some(text)) => text.to_string(),
        (Some(_), Some(text)) if !text.is_ascii() => text.to_string(),
        (Some(encoding), None) if encoding == encoding_rs::UTF_8 => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                String::from_utf8_lossy(bytes).into_owned()
            } else {
                text.into_owned()
            }
        }
        (Some(encoding), _) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        (None, None) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The charset a document's head declares: the first `<meta>` with a `charset=` (both the
/// `charset` attribute and `http-equiv`'s `content`), else an XML declaration's `encoding`.
/// A UTF-16 label in ASCII bytes means UTF-8, as the HTML standard says.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut at = 0;
    let mut label = None;
    while let Some(pos) = find(&lower[at..], b"<meta") {
        let start = at + pos + b"<meta".len();
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        if let Some(found) = value_after(&lower[start..end], b"charset") {
            label = Some(found);
            break;
        }
        at = end;
    }
    if label.is_none() {
        let trimmed = lower.trim_ascii_start();
        if trimmed.starts_with(b"<?xml") {
            let end = find(trimmed, b"?>").unwrap_or(trimmed.len());
            label = value_after(&trimmed[..end], b"encoding");
        }
    }
    let encoding = Encoding::for_label(label?)?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        Some(encoding_rs::UTF_8)
    } else if encoding == encoding_rs::REPLACEMENT {
        None
    } else {
        Some(encoding)
    }
}

/// The value after `key` `=` in a tag's bytes, unquoted: `charset="gbk"`, `charset=gb2312;`.
fn value_after<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(pos) = find(&tag[at..], key) {
        let rest = tag[at + pos + key.len()..].trim_ascii_start();
        at += pos + key.len();
        let Some(rest) = rest.strip_prefix(b"=") else {
            continue;
        };
        let rest = rest.trim_ascii_start();
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\'' | b';' | b'>' | b'/') || b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        if end > 0 {
            return Some(&rest[..end]);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Elements whose content a browser does not show.
const HIDDEN: &[&str] = &["head", "script", "style", "template", "noscript", "title"];

/// Elements that start and end a line of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
];

/// Visible text being gathered: whitespace collapsed, line breaks kept.
#[derive(Debug, Default)]
struct TextBuf {
    out: String,
    /// Collapsible whitespace seen since the last character.
    space: bool,
    /// That whitespace held a line break of the source.
    segment_break: bool,
    /// That whitespace held a no-break space, which is never dropped.
    hard: bool,
}

impl TextBuf {
    fn push(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\n' | '\r' => {
                    self.space = true;
                    self.segment_break = true;
                }
                ' ' | '\t' | '\u{c}' => self.space = true,
                '\u{a0}' => {
                    self.space = true;
                    self.hard = true;
                }
                _ => {
                    if self.space {
                        self.emit_space(ch);
                    }
                    self.out.push(ch);
                }
            }
        }
    }

    fn emit_space(&mut self, next: char) {
        let wide = |c: char| unicode_width::UnicodeWidthChar::width(c) == Some(2);
        if let Some(prev) = self.out.chars().next_back() {
            let dropped = self.segment_break && !self.hard && wide(prev) && wide(next);
            if prev != '\n' && !dropped {
                self.out.push(' ');
            }
        }
        self.clear_space();
    }

    fn clear_space(&mut self) {
        self.space = false;
        self.segment_break = false;
        self.hard = false;
    }

    fn line_break(&mut self) {
        self.clear_space();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn take(&mut self) -> String {
        self.clear_space();
        let text = std::mem::take(&mut self.out);
        text.trim_end_matches('\n').to_string()
    }
}

/// A cell as read, before placement.
#[derive(Debug)]
struct RawCell {
    text: String,
    /// 0: to the end of the row group.
    rowspan: usize,
    colspan: usize,
}

#[derive(Debug)]
struct RawRow {
    group: usize,
    cells: Vec<RawCell>,
}

/// A table being read.
#[derive(Debug)]
struct TableBuilder {
    ordinal: usize,
    /// Its place among the sheets: the order the tables start in.
    slot: usize,
    /// Text blocks before it, then its caption.
    leading: Vec<String>,
    caption: Option<(usize, TextBuf)>,
    group: usize,
    rows: Vec<RawRow>,
    row: Option<(usize, RawRow)>,
    cell: Option<(usize, TextBuf, usize, usize)>,
}

impl TableBuilder {
    /// The text being gathered inside this table, if any: a cell's or the caption's.
    fn text(&mut self) -> Option<&mut TextBuf> {
        if let Some((_, text, _, _)) = &mut self.cell {
            Some(text)
        } else {
            self.caption.as_mut().map(|(_, text)| text)
        }
    }
}

#[derive(Debug, Default)]
struct Walker {
    /// Text blocks outside tables since the last top-level table.
    blocks: Vec<String>,
    outside: TextBuf,
    /// Open tables, innermost last.
    tables: Vec<TableBuilder>,
    /// One per table, in the order they start; filled when a table ends.
    sheets: Vec<Option<Sheet>>,
    /// Cells stored so far, against [`MAX_CELLS`].
    cells: usize,
    /// Rows and cells read so far (blank ones too), against [`MAX_CELLS`].
    read: usize,
    /// [`MAX_CELLS`].
    limit: usize,
}

/// The local name of an HTML element (not SVG or MathML, whose `td` is not a table cell).
fn html_element(node: &scraper::Node) -> Option<(&str, &scraper::node::Element)> {
    let element = node.as_element()?;
    (&*element.name.ns == HTML_NAMESPACE).then(|| (element.name(), element))
}

/// A span attribute by the HTML standard's rules for non-negative integers: leading whitespace
/// skipped, the digits read, anything after them ignored; missing or invalid gives `default`.
fn span(element: &scraper::node::Element, name: &str, default: usize) -> usize {
    let Some(value) = element.attr(name) else {
        return default;
    };
    let digits: String = value
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse().unwrap_or(default)
}

impl Walker {
    /// Opens a node; returns whether to walk its children.
    fn open(&mut self, node: &scraper::Node, ordinal: usize) -> bool {
        if let Some(text) = node.as_text() {
            match self.tables.last_mut() {
                Some(table) => {
                    if let Some(buf) = table.text() {
                        buf.push(text);
                    }
                }
                None => self.outside.push(text),
            }
            return false;
        }
        let Some((name, element)) = html_element(node) else {
            return node.is_document() || node.is_element();
        };
        if HIDDEN.contains(&name) {
            return false;
        }
        if name == "table" {
            self.open_table(ordinal);
            return true;
        }
        let line = name == "br" || BLOCKS.contains(&name);
        let Some(table) = self.tables.last_mut() else {
            if line {
                self.flush_outside();
            }
            return true;
        };
        if let Some(buf) = table.text() {
            if line {
                buf.line_break();
            }
            return true;
        }
        match name {
            "caption" => table.caption = Some((ordinal, TextBuf::default())),
            "thead" | "tbody" | "tfoot" => table.group += 1,
            "tr" => {
                if let Some((_, row)) = table.row.take() {
                    table.rows.push(row);
                }
                let group = table.group;
                table.row = Some((
                    ordinal,
                    RawRow {
                        group,
                        cells: Vec::new(),
                    },
                ));
            }
            "td" | "th" if table.row.is_some() => {
                let rowspan = span(element, "rowspan", 1).min(MAX_ROWSPAN);
                let colspan = span(element, "colspan", 1).clamp(1, MAX_COLSPAN);
                table.cell = Some((ordinal, TextBuf::default(), rowspan, colspan));
            }
            _ => {}
        }
        true
    }

    fn close(&mut self, node: &scraper::Node, ordinal: usize) -> Result<(), ReadError> {
        let Some((name, _)) = html_element(node) else {
            return Ok(());
        };
        let line = BLOCKS.contains(&name);
        let Some(table) = self.tables.last_mut() else {
            if line {
                self.flush_outside();
            }
            return Ok(());
        };
        if table.ordinal == ordinal {
            return self.close_table();
        }
        let ends_cell = table.cell.as_ref().is_some_and(|c| c.0 == ordinal);
        if ends_cell || table.row.as_ref().is_some_and(|r| r.0 == ordinal) {
            self.read += 1;
            if self.read > self.limit {
                return Err(ReadError::TooManyCells {
                    at: CellCountPlace::Sheet(format!("表{}", table.slot + 1)),
                    limit: self.limit,
                });
            }
        }
        if ends_cell {
            if let (Some((_, mut text, rowspan, colspan)), Some((_, row))) =
                (table.cell.take(), table.row.as_mut())
            {
                row.cells.push(RawCell {
                    text: text.take(),
                    rowspan,
                    colspan,
                });
            }
        } else if table.caption.as_ref().is_some_and(|c| c.0 == ordinal) {
            if let Some((_, mut text)) = table.caption.take() {
                let caption = text.take().replace('\n', " ");
                if !caption.is_empty() {
                    table.leading.push(caption);
                }
            }
        } else if table.row.as_ref().is_some_and(|r| r.0 == ordinal) {
            if let Some((_, row)) = table.row.take() {
                table.rows.push(row);
            }
        } else if line {
            if let Some(buf) = table.text() {
                buf.line_break();
            }
        }
        Ok(())
    }

    fn flush_outside(&mut self) {
        let block = self.outside.take();
        if !block.is_empty() {
            self.blocks.push(block);
        }
    }

    fn open_table(&mut self, ordinal: usize) {
        let leading = match self.tables.last_mut() {
            Some(outer) => {
                if let Some(buf) = outer.text() {
                    buf.line_break();
                }
                Vec::new()
            }
            None => {
                self.flush_outside();
                std::mem::take(&mut self.blocks)
            }
        };
        self.tables.push(TableBuilder {
            ordinal,
            slot: self.sheets.len(),
            leading,
            caption: None,
            group: 0,
            rows: Vec::new(),
            row: None,
            cell: None,
        });
        self.sheets.push(None);
    }

    fn close_table(&mut self) -> Result<(), ReadError> {
        let Some(mut table) = self.tables.pop() else {
            return Ok(());
        };
        if let Some((_, row)) = table.row.take() {
            table.rows.push(row);
        }
        if let Some(outer) = self.tables.last_mut() {
            if let Some(buf) = outer.text() {
                buf.line_break();
            }
        }
        let slot = table.slot;
        let sheet = build_sheet(table, &mut self.cells, self.limit)?;
        self.sheets[slot] = Some(sheet);
        Ok(())
    }
}

/// Places a table's cells and fills its merged regions.
fn build_sheet(table: TableBuilder, stored: &mut usize, limit: usize) -> Result<Sheet, ReadError> {
    let name = format!("表{}", table.slot + 1);
    let too_many = |name: &str| ReadError::TooManyCells {
        at: CellCountPlace::Sheet(name.to_string()),
        limit,
    };
    // Grows a row to `len` cells, counting the new ones.
    let mut grow = |row: &mut Vec<Cell>, len: usize| -> Result<(), ReadError> {
        if row.len() < len {
            *stored += len - row.len();
            if *stored > limit {
                return Err(too_many(&name));
            }
            row.resize(len, Cell::Empty);
        }
        Ok(())
    };

    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for block in table.leading {
        let mut row = Vec::new();
        grow(&mut row, 1)?;
        row[0] = Cell::Text(block.into());
        rows.push(row);
    }
    let top = rows.len();
    let n = table.rows.len();
    rows.resize_with(top + n, Vec::new);

    // The end (exclusive) of each row's group: a rowspan stops there.
    let mut group_end = vec![n; n];
    for r in (0..n).rev() {
        group_end[r] = if r + 1 < n && table.rows[r + 1].group == table.rows[r].group {
            group_end[r + 1]
        } else {
            r + 1
        };
    }

    // covered[c]: the first row at or below which column c is free of rowspans from above.
    let mut covered: Vec<usize> = Vec::new();
    let mut merged: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (r, raw) in table.rows.into_iter().enumerate() {
        let mut col = 0usize;
        for cell in raw.cells {
            while covered.get(col).is_some_and(|&until| until > r) {
                col += 1;
            }
            let blank = cell.text.is_empty();
            if col >= MAX_COLUMNS {
                if blank {
                    continue;
                }
                return Err(ReadError::TooWide {
                    sheet: name.clone(),
                    limit: MAX_COLUMNS,
                });
            }
            let colspan = cell.colspan.min(MAX_COLUMNS - col);
            let end = match cell.rowspan {
                0 => group_end[r],
                rowspan => (r + rowspan).min(group_end[r]),
            };
            if covered.len() < col + colspan {
                covered.resize(col + colspan, 0);
            }
            for until in &mut covered[col..col + colspan] {
                *until = (*until).max(end);
            }
            if !blank {
                let row = &mut rows[top + r];
                grow(row, col + 1)?;
                row[col] = Cell::Text(cell.text.into());
                if colspan > 1 || end > r + 1 {
                    merged.push((top + r, top + end, col, col + colspan));
                }
            }
            col += colspan;
        }
    }
    // As `workbook::fill_merged`: each region's blank cells take its top-left value.
    for (r0, r1, c0, c1) in merged {
        let value = rows[r0][c0].clone();
        for row in &mut rows[r0..r1] {
            grow(row, c1)?;
            for cell in &mut row[c0..c1] {
                if cell.is_blank() {
                    *cell = value.clone();
                }
            }
        }
    }
    while rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Ok(Sheet {
        name: Some(name),
        hidden: false,
        first_row: 0,
        first_col: 0,
        rows,
        merged: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// The cells of a sheet as strings, "" for empty.
    fn strings(sheet: &Sheet) -> Vec<Vec<String>> {
        sheet
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }

    fn one_sheet(html: &str) -> Sheet {
        let grid = read_html(html.as_bytes()).unwrap();
        assert_eq!(grid.sheets.len(), 1, "{html}");
        grid.sheets.into_iter().next().unwrap()
    }

    #[test]
    fn rowspan_pushes_later_cells_right_and_merges_are_filled() {
        // A spans two rows, so the second row's first cell lands in column 1; F spans two
        // columns.
        let sheet = one_sheet(
            "<table>
               <tr><td rowspan=2>A</td><td>B</td><td>C</td></tr>
               <tr><td>D</td><td>E</td></tr>
               <tr><td colspan=2>F</td><td>G</td></tr>
             </table>",
        );
        assert_eq!(
            strings(&sheet),
            [["A", "B", "C"], ["A", "D", "E"], ["F", "F", "G"]]
        );
        assert_eq!(sheet.name.as_deref(), Some("表1"));
        assert_eq!(sheet.row_number(0), 1);
    }

    #[test]
    fn spans_of_both_kinds_and_overlaps() {
        // B covers (0,1)-(1,2); the second row's cells skip columns 0 (A) and 1–2 (B).
        let sheet = one_sheet(
            "<table><tr><td rowspan=3>A</td><td rowspan=2 colspan=2>B</td><td>C</td></tr>
             <tr><td>D</td></tr>
             <tr><td>E</td><td>F</td><td>G</td></tr></table>",
        );
        assert_eq!(
            strings(&sheet),
            [
                ["A", "B", "B", "C"],
                ["A", "B", "B", "D"],
                ["A", "E", "F", "G"]
            ]
        );
    }

    #[test]
    fn blank_merged_cells_stay_blank_and_rowspans_end_with_their_group() {
        let sheet = one_sheet(
            "<table><thead><tr><td rowspan=5>H</td><td></td><td colspan=2></td><td>x</td></tr>
             </thead><tbody><tr><td>a</td><td rowspan=0>b</td></tr><tr><td>c</td></tr></tbody>
             </table>",
        );
        assert_eq!(
            strings(&sheet),
            vec![vec!["H", "", "", "", "x"], vec!["a", "b"], vec!["c", "b"]]
        );
    }

    #[test]
    fn line_breaks_whitespace_and_entities() {
        let sheet = one_sheet(
            "<table><tr>
               <td>项目资金<br>(万元)</td>
               <td>  a&nbsp;b &amp; c  &lt;5% &ge;90%&#8805;&#x2265; </td>
               <td><p>一</p><p>二</p>三</td>
               <td>打造金安国际网球
                   公开赛 and
                   more</td>
               <td>&nbsp;</td><td>x</td>
             </tr></table>",
        );
        assert_eq!(
            strings(&sheet),
            [[
                "项目资金\n(万元)",
                "a b & c <5% ≥90%≥≥",
                "一\n二\n三",
                "打造金安国际网球公开赛 and more",
                "",
                "x"
            ]]
        );
        assert_eq!(sheet.rows[0][4], Cell::Empty);
    }

    #[test]
    fn gbk_declared_by_meta() {
        for head in [
            r#"<meta charset="gbk">"#,
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
            "<META CHARSET=GB18030>",
        ] {
            let html = format!(
                "<html><head>{head}</head><body><p>单位：万元</p>\
                 <table><tr><td>项目名称</td><td>总计</td></tr></table></body></html>"
            );
            let (bytes, _, _) = encoding_rs::GBK.encode(&html);
            let sheet = one_sheet_bytes(&bytes);
            assert_eq!(
                strings(&sheet),
                vec![vec!["单位：万元"], vec!["项目名称", "总计"]],
                "{head}"
            );
        }
    }

    #[test]
    fn declared_charsets_are_found() {
        let cases: [(&str, Option<&Encoding>); 9] = [
            (r#"<meta charset="gbk">"#, Some(encoding_rs::GBK)),
            ("<meta charset='GB2312' />", Some(encoding_rs::GBK)),
            (
                r#"<META http-equiv="Content-Type" CONTENT="text/html; charset=gb18030">"#,
                Some(encoding_rs::GB18030),
            ),
            (
                r#"<meta name="x" content="y"><meta content="text/html;charset = big5" http-equiv=content-type>"#,
                Some(encoding_rs::BIG5),
            ),
            (
                r#"<?xml version="1.0" encoding="GBK"?><html>"#,
                Some(encoding_rs::GBK),
            ),
            // UTF-16 declared in ASCII bytes means UTF-8; unknown labels are no declaration.
            ("<meta charset=utf-16>", Some(encoding_rs::UTF_8)),
            ("<meta charset=klingon>", None),
            ("<meta name=charset content=none>", None),
            ("<p>charset=gbk</p>", None),
        ];
        for (head, expected) in cases {
            assert_eq!(declared_encoding(head.as_bytes()), expected, "{head}");
        }
    }

    #[test]
    fn a_declared_charset_that_is_not_gb_is_honoured() {
        // Big5 bytes are not UTF-8, and GB18030 would misread them: only the meta tag helps.
        let html = "<meta charset=big5><table><tr><td>項目名稱</td></tr></table>";
        let (big5, _, _) = encoding_rs::BIG5.encode(html);
        assert_ne!(
            encoding_rs::GB18030.decode_without_bom_handling(&big5).0,
            html
        );
        assert_eq!(strings(&one_sheet_bytes(&big5)), [["項目名稱"]]);
    }

    fn one_sheet_bytes(bytes: &[u8]) -> Sheet {
        let grid = read_html(bytes).unwrap();
        assert_eq!(grid.sheets.len(), 1);
        grid.sheets.into_iter().next().unwrap()
    }

    #[test]
    fn encodings_in_order() {
        let (gbk, _, _) = encoding_rs::GBK.encode("<table><tr><td>合计</td></tr></table>");
        // No declaration: not UTF-8, so GB18030.
        assert_eq!(decode(&gbk), "<table><tr><td>合计</td></tr></table>");
        // A stale declaration over a file re-saved as UTF-8: UTF-8 wins.
        let stale = "<meta charset=gb2312><p>合计</p>";
        assert_eq!(decode(stale.as_bytes()), stale);
        // A UTF-8 declaration over GBK bytes: GB18030.
        let (wrong, _, _) = encoding_rs::GBK.encode("<meta charset=utf-8><p>合计</p>");
        assert_eq!(decode(&wrong), "<meta charset=utf-8><p>合计</p>");
        // The XML declaration counts.
        let (xml, _, _) = encoding_rs::GBK.encode("<?xml version='1.0' encoding='GBK'?><p>合</p>");
        assert!(decode(&xml).ends_with("<p>合</p>"));
        // A BOM beats everything.
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<meta charset=gbk><p>合计</p>".as_bytes());
        assert_eq!(decode(&bom), "<meta charset=gbk><p>合计</p>");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<p>总计</p>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), "<p>总计</p>");
    }

    #[test]
    fn nested_tables_are_sheets_of_their_own() {
        let grid = read_html(
            "<table><tr><td>外<table><tr><td>内1</td><td>内2</td></tr></table>后</td>\
             <td>旁</td></tr><tr><td>下</td></tr></table>"
                .as_bytes(),
        )
        .unwrap();
        let sheets: Vec<_> = grid.sheets.iter().map(strings).collect();
        assert_eq!(
            sheets,
            vec![
                vec![vec!["外\n后", "旁"], vec!["下"]],
                vec![vec!["内1", "内2"]]
            ]
        );
        assert_eq!(grid.sheets[0].name.as_deref(), Some("表1"));
        assert_eq!(grid.sheets[1].name.as_deref(), Some("表2"));
    }

    #[test]
    fn absurd_spans_are_clamped() {
        let sheet = one_sheet(
            "<table><tr><td colspan=100000>标题</td></tr>\
             <tr><td rowspan=99999999999>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
        );
        assert_eq!(sheet.rows[0].len(), MAX_COLSPAN);
        assert!(sheet.rows[0].iter().all(|c| *c == text("标题")));
        // The rowspan reaches the end of the table and no further.
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(strings(&sheet)[2], ["a", "c"]);
        // Garbage after the digits is ignored, garbage alone is 1.
        let sheet =
            one_sheet("<table><tr><td colspan='2px'>x</td><td colspan=y>z</td></tr></table>");
        assert_eq!(strings(&sheet), [["x", "x", "z"]]);
    }

    #[test]
    fn too_wide_and_too_many_cells_are_refused() {
        let wide = format!(
            "<table><tr>{}<td>x</td></tr></table>",
            "<td colspan=1000></td>".repeat(17)
        );
        assert!(matches!(
            read_html(wide.as_bytes()),
            Err(ReadError::TooWide {
                limit: MAX_COLUMNS,
                ..
            })
        ));
        // Blank cells past the edge are dropped without complaint.
        let blank = format!(
            "<table><tr><td>x</td>{}</tr></table>",
            "<td colspan=1000></td>".repeat(17)
        );
        assert_eq!(strings(&one_sheet(&blank)), [["x"]]);
        // 6,000 rows of one cell spanning 1,000 columns: 6 million cells.
        let many = format!(
            "<table>{}</table>",
            "<tr><td colspan=1000>x</td></tr>".repeat(6000)
        );
        assert!(matches!(
            read_html(many.as_bytes()),
            Err(ReadError::TooManyCells {
                limit: MAX_CELLS,
                ..
            })
        ));
        // Under a cap of 1,000: merged fills count, and blank rows and cells, which store
        // nothing, are counted all the same.
        let cap = 1000;
        let fill = "<table><tr><td colspan=600>x</td></tr><tr><td colspan=600>y</td></tr></table>";
        let rows = format!("<table>{}</table>", "<tr></tr>".repeat(cap + 1));
        let cells = format!("<table><tr>{}</tr></table>", "<td></td>".repeat(cap));
        for html in [fill, &rows, &cells] {
            match read_html_capped(html.as_bytes(), cap) {
                Err(ReadError::TooManyCells { at, limit }) => {
                    assert_eq!((at, limit), (CellCountPlace::Sheet("表1".into()), cap))
                }
                other => panic!("{other:?}"),
            }
        }
        let under = format!(
            "<table>{}</table>",
            "<tr><td>x</td></tr>".repeat(cap / 2 - 1)
        );
        assert!(read_html_capped(under.as_bytes(), cap).is_ok());
        let big = vec![b' '; MAX_HTML_BYTES + 1];
        assert!(matches!(
            read_html(&big),
            Err(ReadError::FileTooLarge { .. })
        ));
    }

    #[test]
    fn text_before_a_table_becomes_its_leading_rows() {
        let grid = read_html(
            "<html><head><title>不读</title><style>td{}</style></head><body>
             <h1>2025年度项目支出绩效目标表</h1>
             <p>单位名称：示例单位甲<br>单位：万元</p>
             <table><caption>表题</caption><tr><td>项目名称</td><td>总计</td></tr>
               <tr><td>合计</td><td>1.00</td></tr></table>
             <div>第二张表</div><script>var x = '<td>';</script>
             <table><tr><td>其他</td></tr></table>
             <p>表后的注不读</p></body></html>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(grid.sheets.len(), 2);
        let first = &grid.sheets[0];
        assert_eq!(
            strings(first),
            vec![
                vec!["2025年度项目支出绩效目标表"],
                vec!["单位名称：示例单位甲"],
                vec!["单位：万元"],
                vec!["表题"],
                vec!["项目名称", "总计"],
                vec!["合计", "1.00"],
            ]
        );
        // Row numbers count the leading rows: 合计 is on row 6.
        assert_eq!(first.row_number(5), 6);
        assert_eq!(
            strings(&grid.sheets[1]),
            vec![vec!["第二张表"], vec!["其他"]]
        );
    }

    #[test]
    fn no_table_is_an_empty_grid_and_binary_is_an_error() {
        let grid = read_html(b"<html><body><p>nothing</p></body></html>").unwrap();
        assert!(grid.sheets.is_empty());
        assert!(read_html(b"").unwrap().sheets.is_empty());
        assert!(matches!(
            read_html(b"<html>\0\0\x01\x02<table>"),
            Err(ReadError::Corrupt { format: "HTML", .. })
        ));
    }

    #[test]
    fn malformed_markup_is_read_as_a_browser_would() {
        // Unclosed cells and rows, a stray </td>, text between cells (moved before the table).
        let sheet = one_sheet("<table><tr><td>a<td>b</td></td>stray<tr><td>c</table>");
        assert_eq!(
            strings(&sheet),
            vec![vec!["stray"], vec!["a", "b"], vec!["c"]]
        );
        // An SVG <td> is not a cell.
        let sheet = one_sheet("<table><tr><td><svg><td>no</td></svg>yes</td></tr></table>");
        assert_eq!(strings(&sheet), [["noyes"]]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // The walk keeps its own stack: 200,000 nested elements, and 2,000 tables each nested
        // in a cell of the one before.
        let deep = format!(
            "{}<table><tr><td>x</td></tr></table>",
            "<span>".repeat(200_000)
        );
        assert_eq!(strings(&one_sheet(&deep)), [["x"]]);
        let tables = "<table><tr><td>".repeat(2000) + "x";
        let grid = read_html(tables.as_bytes()).unwrap();
        assert_eq!(grid.sheets.len(), 2000);
        assert_eq!(strings(&grid.sheets[1999]), [["x"]]);
        assert!(grid.sheets[..1999].iter().all(|s| s.rows.is_empty()));
    }

    #[test]
    fn a_published_project_form_is_read_with_its_merges() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/project/anhui_2025_jinan_tennis.html"
        );
        let grid = read_html(&std::fs::read(path).unwrap()).unwrap();
        assert_eq!(grid.sheets.len(), 1);
        let sheet = &grid.sheets[0];
        let all = strings(sheet);
        let find = |needle: &str| {
            all.iter()
                .enumerate()
                .find_map(|(r, row)| row.iter().position(|c| c == needle).map(|c| (r, c)))
                .unwrap_or_else(|| panic!("{needle} not found"))
        };
        // <tr><td rowspan="3">项目资金<br>(万元)</td><td colspan="2">年度资金总额:</td>
        //     <td colspan="2">1000.00</td></tr>
        let (r, c) = find("年度资金总额:");
        assert_eq!(c, 1);
        assert_eq!(
            all[r],
            [
                "项目资金\n(万元)",
                "年度资金总额:",
                "年度资金总额:",
                "1000.00",
                "1000.00"
            ]
        );
        // The rowspan fills the next two rows' first column and pushes their cells right.
        assert_eq!(
            all[r + 1][..3],
            ["项目资金\n(万元)", "其中:财政拨款", "其中:财政拨款"]
        );
        assert_eq!(
            all[r + 2][..3],
            ["项目资金\n(万元)", "其他资金", "其他资金"]
        );
        // 绩效指标 spans 12 rows; 产出指标 6 of them; 数量指标 2.
        let (r, _) = find("开展运动种类");
        assert_eq!(
            all[r],
            [
                "绩\n效\n指\n标",
                "产出指标",
                "数量指标",
                "开展运动种类",
                "1种"
            ]
        );
        assert_eq!(
            all[r + 1],
            [
                "绩\n效\n指\n标",
                "产出指标",
                "数量指标",
                "打造品牌赛事种类",
                "1种"
            ]
        );
        let last = all.last().unwrap();
        assert_eq!(
            last,
            &[
                "绩\n效\n指\n标",
                "满意度指标",
                "满意度指标",
                "群众满意度",
                "≥95%"
            ]
        );
        // The title in <head> is not read; the first row is the empty colspan row, dropped as
        // blank, but it keeps its place.
        assert_eq!(all[1][0], "项目支出绩效目标表");
        assert!(sheet.rows[0].is_empty());
    }
}
