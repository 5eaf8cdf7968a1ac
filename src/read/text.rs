//! Delimited text: CSV, TSV and the tab-separated exports of web pages. The encoding is detected:
//! a BOM first, then UTF-16 without a BOM (its NUL bytes), then valid UTF-8, else chardetng's
//! guess among the legacy encodings (GBK/GB18030 as Excel on Chinese Windows writes, Big5 from
//! Taiwan and Hong Kong, …). The delimiter is sniffed, and HTML tags and entities left in cells
//! by web exports are removed.

use std::borrow::Cow;

use crate::read::grid::{Cell, Grid, Sheet, Text};
use crate::read::{CellCountPlace, NotASpreadsheet, ReadError, MAX_CELLS};

/// Decodes bytes to text: a BOM first, then UTF-16 without a BOM, then valid UTF-8, else the
/// legacy encoding chardetng finds most likely (GB18030 for GBK, which it reports as GBK).
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return text.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    // Most legacy files are GBK, as Excel on Chinese Windows saves a CSV: when the bytes are
    // well-formed GB18030 and hold one of the form's own words in simplified characters, that is
    // the answer, without chardetng's statistics (which took a tenth of `check` over GBK files).
    // Big5 or Shift_JIS bytes read as GB18030 give no such word, and go on to chardetng.
    if let Some(text) =
        encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes)
    {
        if FORM_WORDS.iter().any(|w| text.contains(w)) {
            return text.into_owned();
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(detection_sample(bytes), true);
    let guess = detector.guess(None, true);
    // GB18030 decodes everything GBK does, and more.
    let encoding = if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// Words every performance form holds, in simplified characters: their GB18030 bytes read as
/// another encoding (or others' bytes read as GB18030) do not give them.
const FORM_WORDS: [&str; 4] = ["项目", "单位", "指标", "绩效"];

/// The bytes chardetng is shown: ASCII tells no encoding apart, so the sample starts at the first
/// byte that is not ASCII (the lead byte of a character) and runs for at most
/// [`DETECTION_BYTES`], ending before a non-ASCII byte cut off at the end. A few kilobytes of
/// Chinese text settle the guess; feeding whole files was a tenth of `check`'s time.
fn detection_sample(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let rest = &bytes[start..];
    if rest.len() <= DETECTION_BYTES {
        return rest;
    }
    let window = &rest[..DETECTION_BYTES];
    let end = window
        .iter()
        .rposition(u8::is_ascii)
        .map_or(window.len(), |i| i + 1);
    &window[..end]
}

/// The most bytes given to chardetng.
const DETECTION_BYTES: usize = 8 * 1024;

/// UTF-16 with no BOM, told by its NUL bytes: in text that is mostly ASCII (delimiters, digits)
/// every other byte is 0, at odd offsets for little-endian and even ones for big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = head.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 10 >= pairs * 3 && zero_even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if zero_even * 10 >= pairs * 3 && zero_odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Text that holds NUL characters: a few are a damaged cell each (shown as U+FFFD, so that the
/// cell reads as what it is, not a number); many mean the file is not text at all.
fn with_stray_nuls(text: String) -> Option<String> {
    // A NUL byte is a NUL character in UTF-8: counted by its bytes.
    let nuls = memchr::memchr_iter(0, text.as_bytes()).count();
    if nuls == 0 {
        return Some(text);
    }
    let chars = text.chars().count();
    (nuls * 100 <= chars).then(|| text.replace('\0', "\u{fffd}"))
}

/// Picks the delimiter that splits the first lines most consistently into more than one field.
/// The extension breaks ties (.csv → comma, otherwise tab).
fn sniff_delimiter(text: &str, extension: &str) -> u8 {
    sniff(text, extension, true)
}

/// Records the sniff counts, at most.
const SNIFF_RECORDS: usize = 60;

/// How many lines (cut at `\r` or `\n`) hold a byte, counted up to [`SNIFF_RECORDS`]; both
/// searched with memchr, not byte by byte.
fn lines_holding(text: &[u8], byte: u8) -> usize {
    let (mut lines, mut start) = (0, 0);
    while lines < SNIFF_RECORDS {
        let end = memchr::memchr2(b'\n', b'\r', &text[start..]).map_or(text.len(), |i| start + i);
        lines += usize::from(memchr::memchr(byte, &text[start..end]).is_some());
        if end == text.len() {
            break;
        }
        start = end + 1;
    }
    lines
}

/// [`sniff_delimiter`]; with `prune`, a delimiter that cannot beat the best so far is not tried.
/// Its score (records of one field count above one) is at most the number of lines holding it,
/// for a record split by it holds it on one of its lines at least (lines cut at `\r` or `\n`,
/// so that a record never has fewer). One pass of a byte search instead of a parse of the
/// text: the sniff parsed the whole of a small file three times.
fn sniff(text: &str, extension: &str, prune: bool) -> u8 {
    let preferred = if extension.eq_ignore_ascii_case("csv") {
        b','
    } else {
        b'\t'
    };
    let mut best = (0usize, preferred);
    let others = [b'\t', b',', b';'].into_iter().filter(|&d| d != preferred);
    // A delimiter on no line splits no record: when no other one is in the text, the preferred
    // one is the answer, whatever it splits (most files, which hold one delimiter).
    if prune
        && others
            .clone()
            .all(|d| lines_holding(text.as_bytes(), d) == 0)
    {
        return preferred;
    }
    for delimiter in std::iter::once(preferred).chain(others) {
        if prune && best.0 > 0 && lines_holding(text.as_bytes(), delimiter) <= best.0 {
            continue;
        }
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        let mut records = Records::new(text, delimiter);
        for _ in 0..SNIFF_RECORDS {
            if records.next().is_none() {
                break;
            }
            if records.len() > 1 {
                *counts.entry(records.len()).or_default() += 1;
            }
        }
        let score = counts.values().copied().max().unwrap_or(0);
        if score > best.0 {
            best = (score, delimiter);
        }
    }
    best.1
}

/// Delimited text split into records as the csv crate's reader splits it (no header, records of
/// any length, `"` quoting with `""` inside, records ending at `\r`, `\n` or `\r\n`, blank lines
/// skipped), by csv-core's reader, whose transition table is built once per delimiter on each
/// thread and reset for the next text: the csv crate builds it for every reader, a tenth of the
/// reading of a small file. (Not cloned: csv-core 0.1's clone of a reader copies only part of
/// its table.) csv-core never fails: it prefers a reading to none.
struct Records<'t> {
    core: Option<Box<csv_core::Reader>>,
    delimiter: u8,
    text: &'t str,
    at: usize,
    /// Where the last record's reading started.
    start: usize,
    /// The fields of the last record, one after another, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    len: usize,
    done: bool,
}

impl<'t> Records<'t> {
    fn new(text: &'t str, delimiter: u8) -> Records<'t> {
        Records {
            core: Some(take_reader(delimiter)),
            delimiter,
            text,
            at: 0,
            start: 0,
            fields: vec![0; 1024],
            ends: vec![0; 64],
            len: 0,
            done: false,
        }
    }

    /// Reads the next record; where the reading of it started (the byte the csv crate gives as
    /// its position: blank lines before it included), or `None` at the end.
    fn next(&mut self) -> Option<usize> {
        use csv_core::ReadRecordResult;
        if self.done {
            return None;
        }
        let core = self.core.as_mut()?;
        let start = self.at;
        let (mut out, mut end) = (0, 0);
        loop {
            let (result, read, wrote, ended) = core.read_record(
                &self.text.as_bytes()[self.at..],
                &mut self.fields[out..],
                &mut self.ends[end..],
            );
            self.at += read;
            out += wrote;
            end += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.fields.resize(self.fields.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    self.len = end;
                    self.start = start;
                    return Some(start);
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return None;
                }
            }
        }
    }

    /// How many fields the last record has.
    fn len(&self) -> usize {
        self.len
    }

    /// The last record's fields. Each is text: the reader only drops quotes (ASCII) from the
    /// text it was given and cuts it at ASCII delimiters. A field is lent from the text where
    /// the text holds the same bytes where the field would start in a record without quotes
    /// (most fields: compared, not checked as UTF-8 again); else it is checked as UTF-8.
    fn fields(&self) -> impl Iterator<Item = Cow<'t, str>> + '_ {
        let ends = &self.ends[..self.len];
        // A record without quotes starts past the blank lines its reading skipped, and its
        // fields follow one another a delimiter apart.
        let mut at = self.start
            + self.text.as_bytes()[self.start..]
                .iter()
                .position(|b| !matches!(b, b'\r' | b'\n'))
                .unwrap_or(0);
        ends.iter().enumerate().map(move |(i, &end)| {
            let start = if i == 0 { 0 } else { ends[i - 1] };
            let field = &self.fields[start..end];
            let lent = self
                .text
                .get(at..at + field.len())
                .filter(|t| t.as_bytes() == field);
            at += field.len() + 1;
            match lent {
                Some(text) => Cow::Borrowed(text),
                None => Cow::Owned(String::from_utf8_lossy(field).into_owned()),
            }
        })
    }
}

impl Drop for Records<'_> {
    /// Gives the reader back to the thread, reset, for the next text.
    fn drop(&mut self) {
        if let Some(mut core) = self.core.take() {
            core.reset();
            let _ = BUILT.try_with(|built| {
                if let Ok(mut built) = built.try_borrow_mut() {
                    built.push((self.delimiter, core));
                }
            });
        }
    }
}

thread_local! {
    /// The csv-core readers this thread built and that are not in use, with their delimiters.
    static BUILT: std::cell::RefCell<Vec<(u8, Box<csv_core::Reader>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// A csv-core reader for the delimiter (otherwise as the csv crate's default), one this thread
/// built before when there is one.
fn take_reader(delimiter: u8) -> Box<csv_core::Reader> {
    let kept = BUILT.with(|built| {
        let mut built = built.try_borrow_mut().ok()?;
        let at = built.iter().position(|(d, _)| *d == delimiter)?;
        Some(built.swap_remove(at).1)
    });
    kept.unwrap_or_else(|| Box::new(csv_core::ReaderBuilder::new().delimiter(delimiter).build()))
}

/// Reads delimited text into a one-sheet grid, cells as text.
///
/// # Errors
/// The text is not text (binary bytes), or holds too many cells.
pub fn read_text(bytes: &[u8], extension: &str) -> Result<Grid, ReadError> {
    let Some(text) = with_stray_nuls(decode(bytes)) else {
        return Err(ReadError::NotASpreadsheet {
            what: NotASpreadsheet::BinaryText,
        });
    };
    let delimiter = sniff_delimiter(&text, extension);
    let mut records = Records::new(&text, delimiter);
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut lines = LineCounter::new(text.as_bytes());
    let mut stored = 0usize;
    while let Some(start) = records.next() {
        // The reader skips blank lines, and a record's start is where the reader stood before
        // skipping them; place each record on the line it really starts on, so that row
        // numbers are line numbers, as a spreadsheet opening the file shows them.
        let line = lines.line_of(start);
        if rows.len() + 1 < line {
            rows.resize_with(line - 1, Vec::new);
        }
        let mut cells: Vec<Cell> = records
            .fields()
            .map(|field| {
                let cleaned = strip_html(&field);
                if cleaned.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(Text::from(cleaned.as_ref()))
                }
            })
            .collect();
        while cells.last().is_some_and(|c| *c == Cell::Empty) {
            cells.pop();
        }
        stored += cells.len();
        if stored > MAX_CELLS {
            return Err(ReadError::TooManyCells {
                at: CellCountPlace::Line(line),
                limit: MAX_CELLS,
            });
        }
        rows.push(cells);
    }
    Ok(Grid {
        sheets: vec![Sheet {
            name: None,
            hidden: false,
            first_row: 0,
            first_col: 0,
            rows,
            merged: Vec::new(),
        }],
        ..Grid::default()
    })
}

/// Line numbers of byte offsets, counted incrementally for offsets that only grow.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCounter {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the first character at or after `offset` that is not a line break.
    fn line_of(&mut self, offset: usize) -> usize {
        let mut start = offset.max(self.at).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..start]).count();
        self.at = start;
        self.line
    }
}

/// Removes HTML tags and decodes entities, as left in cells by web exports. Paragraph and line
/// break tags become line breaks; the result is trimmed. Text without `<` or `&` is returned as is.
pub fn strip_html(s: &str) -> Cow<'_, str> {
    // Both are ASCII: found by their bytes (a character pattern decodes every character).
    let markup = |s: &str| memchr::memchr2(b'<', b'&', s.as_bytes());
    if markup(s).is_none() {
        return Cow::Borrowed(crate::base::text::trim(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = markup(rest) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after) = tail.strip_prefix('<') {
            match tag_end(tail) {
                Some(end) => {
                    let tag = tail[1..end].trim_start_matches('/').to_ascii_lowercase();
                    let name: String = tag
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    if matches!(name.as_str(), "br" | "p" | "div" | "li" | "tr")
                        && !out.is_empty()
                        && !out.ends_with('\n')
                    {
                        out.push('\n');
                    }
                    rest = &tail[end + 1..];
                }
                None => {
                    out.push('<');
                    rest = after;
                }
            }
        } else {
            match decode_entity(tail) {
                Some((ch, len)) => {
                    out.push(ch);
                    rest = &tail[len..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out.trim().to_string())
}

/// The index of the `>` closing a tag that starts at `s[0] == '<'`, if it looks like a tag
/// (`<p>`, `</p>`, `<br/>`, `<span style="…">`, `<!-- -->`) rather than a less-than sign (`<5%`).
fn tag_end(s: &str) -> Option<usize> {
    let next = s[1..].chars().next()?;
    if !(next.is_ascii_alphabetic() || next == '/' || next == '!') {
        return None;
    }
    let end = s.find('>')?;
    (end <= 2000).then_some(end)
}

/// Decodes one entity at the start of `s` (`&nbsp;`, `&amp;`, `&#8805;`, `&#x2265;`).
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.char_indices().take(12).find(|(_, c)| *c == ';')?.0;
    let name = &s[1..end];
    let ch = match name {
        "nbsp" | "ensp" | "emsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ge" => '≥',
        "le" => '≤',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_encodings_are_detected() {
        // Big5 (traditional Chinese), GBK, and UTF-16 with no BOM in either byte order.
        let (big5, _, _) = encoding_rs::BIG5.encode("單位名稱,預算總額\n臺北市政府,100\n");
        assert_eq!(decode(&big5), "單位名稱,預算總額\n臺北市政府,100\n");
        let (gbk, _, _) = encoding_rs::GBK.encode("单位名称,预算总额\n示例单位甲,100\n");
        assert_eq!(decode(&gbk), "单位名称,预算总额\n示例单位甲,100\n");
        let text = "项目名称,总计\n河道保洁,10\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le), text);
        assert_eq!(decode(&be), text);
    }

    proptest::proptest! {
        /// Pruning never changes the delimiter picked, whatever the text.
        #[test]
        fn pruning_picks_the_same_delimiter(
            text in "[a中,;\t\"\n\r ]{0,80}",
            csv in proptest::bool::ANY,
        ) {
            let ext = if csv { "csv" } else { "txt" };
            proptest::prop_assert_eq!(sniff(&text, ext, true), sniff(&text, ext, false));
        }

        /// Records are split, and placed, as the csv crate's reader splits and places them:
        /// quotes, doubled quotes, every delimiter, CR, LF and CRLF, blank lines, fields longer
        /// than the first buffer and records of more fields than its first room, in one reader
        /// after another on the thread.
        #[test]
        fn records_split_as_the_csv_crate_does(
            text in "([a中,;\t\"\n\r ]|\"\"|项目名称){0,120}",
            long in 0..3000usize,
            delimiter in proptest::sample::select(vec![b',', b'\t', b';']),
        ) {
            let text = format!("{text}{}", if long > 2000 { ",".repeat(long) } else { "长".repeat(long) });
            let mut ours = Vec::new();
            let mut records = Records::new(&text, delimiter);
            while let Some(start) = records.next() {
                let fields: Vec<String> = records.fields().map(String::from).collect();
                ours.push((start as u64, fields));
            }
            let mut theirs = Vec::new();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            let mut record = csv::StringRecord::new();
            while reader.read_record(&mut record).unwrap() {
                let fields: Vec<String> = record.iter().map(String::from).collect();
                theirs.push((record.position().unwrap().byte(), fields));
            }
            proptest::prop_assert_eq!(ours, theirs);
        }

        /// The lines holding a delimiter, counted with memchr, are those a split finds.
        #[test]
        fn lines_holding_counts_as_a_split_does(text in "[a,\n\r]{0,150}") {
            let split = text
                .as_bytes()
                .split(|&b| b == b'\n' || b == b'\r')
                .filter(|line| line.contains(&b','))
                .take(SNIFF_RECORDS)
                .count();
            proptest::prop_assert_eq!(lines_holding(text.as_bytes(), b','), split);
        }
    }

    #[test]
    fn other_encodings_of_the_form_words_are_not_taken_for_gbk() {
        // The shortcut takes well-formed GB18030 holding a form word; the same words in
        // traditional characters (Big5) or Japanese (Shift_JIS) must still reach chardetng.
        let traditional =
            "項目名稱,單位名稱,績效指標,年度指標值\n臺北市立圖書館,項目一,產出指標,100\n";
        let (big5, _, _) = encoding_rs::BIG5.encode(traditional);
        assert_eq!(decode(&big5), traditional);
        let japanese = "項目名,単位,指標,目標値\n東京都立図書館,利用者数,100\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
        assert_eq!(decode(&sjis), japanese);
        // GBK with a form word takes the shortcut, and reads as it did through chardetng.
        let simplified = "项目名称,绩效指标\n河道保洁,产出指标\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(simplified);
        assert_eq!(decode(&gbk), simplified);
    }

    #[test]
    fn detection_sees_a_sample_from_the_first_chinese_text() {
        // A GBK file whose Chinese starts after a long ASCII preamble and runs past the sample.
        let body = format!(
            "{}\n单位名称,预算总额\n{}",
            "id,code,x\n".repeat(20_000),
            "示例单位甲,100\n".repeat(20_000)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(&body);
        let sample = detection_sample(&gbk);
        assert!(sample.len() <= DETECTION_BYTES);
        assert!(!sample[0].is_ascii());
        assert!(sample.last().unwrap().is_ascii(), "no character cut in two");
        assert_eq!(decode(&gbk), body);
    }

    #[test]
    fn a_stray_nul_damages_one_cell_and_many_mean_binary() {
        let line = format!("{},1\0,2\n", "名".repeat(200));
        let text = with_stray_nuls(line.repeat(3)).unwrap();
        assert_eq!(text.matches('\u{fffd}').count(), 3);
        assert!(with_stray_nuls("\0\0\0a".to_string()).is_none());
    }

    #[test]
    fn html_is_stripped() {
        assert_eq!(strip_html("<p>257.43</p>"), "257.43");
        assert_eq!(strip_html("<p>一</p><p>二</p>"), "一\n二");
        assert_eq!(strip_html("a&nbsp;b &amp; c"), "a b & c");
        assert_eq!(strip_html("&#8805;90%"), "≥90%");
        assert_eq!(strip_html("<5% & more"), "<5% & more");
        assert_eq!(strip_html("plain"), "plain");
        assert_eq!(strip_html("x<br/>y"), "x\ny");
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目名称,总计");
        assert_eq!(decode(&gbk), "项目名称,总计");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("合计".as_bytes());
        assert_eq!(decode(&bom), "合计");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("总计".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16), "总计");
    }

    #[test]
    fn delimiters_are_sniffed() {
        let tsv = "标题\n\n项目\t总计\t财政拨款\n合计\t4,671.23\t4,671.23\n";
        assert_eq!(sniff_delimiter(tsv, "txt"), b'\t');
        let csv = "标题\n项目,总计,财政拨款\n合计,\"4,671.23\",\"4,671.23\"\n";
        assert_eq!(sniff_delimiter(csv, "csv"), b',');
        let grid = read_text(csv.as_bytes(), "csv").unwrap();
        assert_eq!(grid.sheets[0].cell(2, 1), &Cell::Text("4,671.23".into()));
        // Blank lines keep their place: row numbers are line numbers.
        let grid = read_text(tsv.as_bytes(), "txt").unwrap();
        assert_eq!(grid.sheets[0].cell(2, 0), &Cell::Text("项目".into()));
        assert_eq!(grid.sheets[0].row_number(3), 4);
    }
}
