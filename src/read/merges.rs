//! The merged regions of an .xlsx's worksheet, read from what follows `</sheetData>` in its XML.
//!
//! calamine gives a sheet's merged regions by parsing the whole sheet's XML a second time, every
//! cell of it, to reach the `<mergeCells>` element that follows `</sheetData>`: a tenth of
//! `check`'s time. jixiao reads the cells with calamine's cell reader, which stops right after
//! `</sheetData>`; the patched calamine (`vendor/calamine`, `XlsxCellReader::read_rest`) gives
//! what is left of the sheet's XML, and only that is parsed here. A tail that does not parse is
//! left to calamine ([`merges_in_tail`] gives `None`), so the answer is calamine's either way.

use calamine::Dimensions;
use quick_xml::events::Event;

use crate::read::formula::parse_ref;

/// The merged regions in a sheet's XML after `</sheetData>`, or `None` to ask calamine: the
/// `ref` of every `mergeCell` element (any prefix), in document order. An element without a
/// `ref`, or whose `ref` does not read as a region, leaves the whole sheet to calamine; an XML
/// error ends the list where it is.
pub fn merges_in_tail(tail: &[u8]) -> Option<Vec<Dimensions>> {
    if memchr::memmem::find(tail, b"mergeCell").is_none() {
        return Some(Vec::new());
    }
    if let Some(found) = scanned(tail) {
        return Some(found);
    }
    read_by_parser(tail)
}

/// The merged regions of a tail written the common way (every writer of the repository's
/// workbooks): each `mergeCell` element empty, `ref` in double quotes its only attribute, the
/// list in one `mergeCells` element, no comment, CDATA or entity; found by a byte search,
/// without parsing the XML (which took a twentieth of reading a per-project form of 20
/// blocks). `None` when the tail is written any other way: the parser reads it then.
fn scanned(tail: &[u8]) -> Option<Vec<Dimensions>> {
    const ELEMENT: &[u8] = b"mergeCell ref=\"";
    if memchr::memmem::find(tail, b"<!").is_some() || memchr::memchr(b'&', tail).is_some() {
        return None;
    }
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(tail, ELEMENT) {
        // `<mergeCell` or `<x:mergeCell`: the name starts after `<` or a prefix's colon.
        if !matches!(at.checked_sub(1).map(|i| tail[i]), Some(b'<' | b':')) {
            return None;
        }
        let value = at + ELEMENT.len();
        let len = memchr::memchr(b'"', &tail[value..])?;
        let rest = &tail[value + len + 1..];
        let close = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if !rest[close..].starts_with(b"/>") {
            return None;
        }
        out.push(region(
            std::str::from_utf8(&tail[value..value + len]).ok()?,
        )?);
    }
    // Every other mention of the name is the list's opening and closing tags.
    let mentions = memchr::memmem::find_iter(tail, b"mergeCell").count();
    (mentions == out.len() + 2).then_some(out)
}

/// [`merges_in_tail`] by quick-xml's parser.
fn read_by_parser(tail: &[u8]) -> Option<Vec<Dimensions>> {
    let mut reader = quick_xml::Reader::from_reader(tail);
    // The tail closes elements it never opened.
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                let reference = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "ref")?;
                // Read in place: only a hostile file has an entity to unescape in a reference.
                let value = quick_xml::escape::unescape(&reference.value).ok()?;
                out.push(region(&value)?);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Some(out)
}

/// "B2:D3" (or a single "B2") as calamine's dimensions, 0-based.
fn region(reference: &str) -> Option<Dimensions> {
    let (first, last) = reference.split_once(':').unwrap_or((reference, reference));
    Some(Dimensions {
        start: parse_ref(first)?,
        end: parse_ref(last)?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Cursor;

    use super::*;
    use calamine::{Reader, Xlsx};

    /// Every .xlsx of the repository (written by openpyxl, LibreOffice, rust_xlsxwriter, and
    /// the hostile ones): the merged regions found in the tail the cell reader leaves are
    /// calamine's, sheet by sheet.
    #[test]
    fn every_workbook_of_the_repository_gives_calamines_merges() {
        let files = repository_workbooks();
        let (mut packages, mut sheets, mut merged, mut searched) = (0, 0, 0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            let Ok(mut wb) = Xlsx::new(Cursor::new(bytes.as_slice())) else {
                continue;
            };
            packages += 1;
            for name in wb.sheet_names() {
                let Ok(mut reader) = wb.worksheet_cells_reader(&name) else {
                    continue;
                };
                let read_all = loop {
                    match reader.next_cell_with_formula() {
                        Ok(Some(_)) => {}
                        Ok(None) => break true,
                        Err(_) => break false,
                    }
                };
                if !read_all {
                    continue;
                }
                let tail = reader.read_rest().unwrap();
                drop(reader);
                let ours = merges_in_tail(&tail).expect("a tail that parses");
                let theirs = wb.merge_cells_by_sheet_name(&name).unwrap_or_default();
                assert_eq!(ours, theirs, "{} / {name}", path.display());
                assert_eq!(read_by_parser(&tail), Some(ours.clone()));
                sheets += 1;
                merged += usize::from(!ours.is_empty());
                searched += usize::from(!ours.is_empty() && scanned(&tail).is_some());
            }
        }
        assert!(packages >= 20, "only {packages} packages read");
        assert!(
            merged >= 20,
            "only {merged} of {sheets} sheets with merged regions"
        );
        // Every writer of these workbooks writes the merged regions the common way (`scanned`).
        assert_eq!(searched, merged, "found by the byte search");
    }

    /// The byte search answers as the parser where it answers, and leaves the tail to it where
    /// the XML is written another way.
    #[test]
    fn the_byte_search_reads_as_the_parser_or_not_at_all() {
        let common = br#"<mergeCells count="2"><mergeCell ref="A1:C1"/><x:mergeCell ref="B3" /></mergeCells><pageMargins left="0.7"/></worksheet>"#;
        assert_eq!(scanned(common), read_by_parser(common));
        assert_eq!(scanned(common).unwrap().len(), 2);
        for other in [
            &br#"<mergeCells><mergeCell ref="A1:C1" xr:uid="{1}"/></mergeCells>"#[..],
            br#"<mergeCells><mergeCell ref='A1:C1'/></mergeCells>"#,
            br#"<mergeCells><!-- <mergeCell ref="A1:C1"/> --></mergeCells>"#,
            br#"<mergeCells><mergeCell ref="A1:C&#49;"/></mergeCells>"#,
            br#"<mergeCells><mergeCell  ref="A1:C1"/></mergeCells>"#,
            br#"<mergeCells count="0"/>"#,
        ] {
            assert_eq!(scanned(other), None, "{}", String::from_utf8_lossy(other));
            assert_eq!(merges_in_tail(other), read_by_parser(other));
        }
        assert_eq!(
            read_by_parser(br#"<mergeCells><mergeCell ref='A1:C1'/></mergeCells>"#).unwrap()[0].end,
            (0, 2)
        );
    }

    #[test]
    fn a_tail_without_merges_and_one_with_a_bad_reference() {
        assert_eq!(merges_in_tail(b"</worksheet>"), Some(Vec::new()));
        let tail = br#"<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B3"/></mergeCells></worksheet>"#;
        let found = merges_in_tail(tail).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].start, found[0].end), ((0, 0), (0, 2)));
        assert_eq!((found[1].start, found[1].end), ((2, 1), (2, 1)));
        // A reference that does not parse leaves the sheet to calamine.
        assert_eq!(
            merges_in_tail(br#"<mergeCells><mergeCell ref="??"/></mergeCells>"#),
            None
        );
    }

    #[test]
    fn references_read_as_calamine_reads_them() {
        let d = region("B2:D3").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (2, 3)));
        let d = region("$AA$10").unwrap();
        assert_eq!((d.start, d.end), ((9, 26), (9, 26)));
        assert!(region("B").is_none());
        assert!(region("12").is_none());
        assert!(region("A0:B2").is_none());
    }

    /// Every .xlsx and .xlsm under `samples/` and `tests/fixtures/`, sorted, but the bombs: they
    /// are refused before their sheets are read (and take calamine, built unoptimized for the
    /// tests, seconds to open).
    pub(crate) fn repository_workbooks() -> Vec<std::path::PathBuf> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["samples", "tests/fixtures"] {
            collect(&root.join(dir), &mut files);
        }
        files.retain(|path| !path.to_string_lossy().contains("bomb"));
        files.sort();
        files
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "xlsx" || e == "xlsm") {
                out.push(path);
            }
        }
    }
}
