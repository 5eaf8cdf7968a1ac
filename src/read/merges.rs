//! The merged regions of an .xlsx's worksheets, found at the end of each sheet's XML.
//!
//! calamine gives a sheet's merged regions by parsing the whole sheet's XML a second time, every
//! cell of it, to reach the `<mergeCells>` element that follows `</sheetData>`: a tenth of
//! `check`'s time. Here the sheet's part is inflated once more, `</sheetData>` is found by a
//! byte search (a `<` cannot stand in XML text unescaped, so the first `</sheetData>` is the
//! tag), and only what follows it is parsed. A sheet that does not fit this (a prefixed
//! `sheetData`, a part not where the workbook's relationships say) is left to calamine
//! ([`MergeFinder::merges`] gives `None`), so the answer is calamine's either way.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::events::Event;

use crate::read::formula::parse_ref;

/// The parts of one .xlsx package, for reading merged regions by sheet name.
pub struct MergeFinder<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Each sheet's part in the package, by the sheet's name.
    parts: HashMap<String, String>,
}

impl<'a> MergeFinder<'a> {
    /// The package's sheets and their parts (`xl/workbook.xml` through its relationships), or
    /// `None` when the package is not laid out that way or its sheets are not `names` (the
    /// sheet names calamine found, in its order).
    pub fn new(bytes: &'a [u8], names: &[String]) -> Option<MergeFinder<'a>> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let rels = part(&mut archive, "xl/_rels/workbook.xml.rels")?;
        let mut targets: HashMap<String, String> = HashMap::new();
        for (id, target) in elements(&rels, "Relationship", &["Id", "Target"])
            .into_iter()
            .filter_map(|mut v| Some((v[0].take()?, v[1].take()?)))
        {
            targets.insert(id, target);
        }
        let workbook = part(&mut archive, "xl/workbook.xml")?;
        let mut parts = HashMap::new();
        let mut found = Vec::new();
        for mut v in elements(&workbook, "sheet", &["name", "id"]) {
            let (name, id) = (v[0].take()?, v[1].take()?);
            let target = targets.get(&id)?;
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            found.push(name.clone());
            parts.insert(name, path);
        }
        (found == names).then_some(MergeFinder { archive, parts })
    }

    /// The merged regions of the sheet named `name`, or `None` to ask calamine.
    pub fn merges(&mut self, name: &str) -> Option<Vec<Dimensions>> {
        let path = self.parts.get(name)?;
        let mut entry = self.archive.by_name(path).ok()?;
        let tail = &tail_after(&mut entry, b"</sheetData>")?;
        if memchr::memmem::find(tail, b"mergeCell").is_none() {
            return Some(Vec::new());
        }
        let mut merges = Vec::new();
        for mut v in elements(tail, "mergeCell", &["ref"]) {
            merges.push(region(&v[0].take()?)?);
        }
        Some(merges)
    }
}

/// A part of the package, inflated.
fn part(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<u8>> {
    let mut entry = archive.by_name(path).ok()?;
    let mut out = Vec::with_capacity(usize::try_from(entry.size()).ok()?.min(1 << 26));
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

/// What follows the first `needle` in a stream, read in chunks: a sheet's cells are never held
/// whole, only what comes after them.
fn tail_after(stream: &mut impl Read, needle: &[u8]) -> Option<Vec<u8>> {
    const CHUNK: usize = 64 * 1024;
    let finder = memchr::memmem::Finder::new(needle);
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + needle.len());
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        window.extend_from_slice(&chunk[..n]);
        if let Some(at) = finder.find(&window) {
            let mut tail = window.split_off(at + needle.len());
            stream.read_to_end(&mut tail).ok()?;
            return Some(tail);
        }
        // A needle cut by the chunk's end is found in the next window.
        let keep = needle.len() - 1;
        if window.len() > keep {
            window.drain(..window.len() - keep);
        }
    }
}

/// The values of `attrs` (by local name) of every element named `local` (any prefix), in
/// document order; an XML error ends the list where it is.
fn elements(xml: &[u8], local: &str, attrs: &[&str]) -> Vec<Vec<Option<String>>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    // A part's tail (after `</sheetData>`) closes elements it never opened.
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                let mut values = vec![None; attrs.len()];
                for attr in e.attributes().flatten() {
                    let key = attr.key.local_name();
                    if let Some(i) = attrs.iter().position(|a| *a == key.as_ref()) {
                        values[i] = quick_xml::escape::unescape(&attr.value)
                            .ok()
                            .map(|v| v.into_owned());
                    }
                }
                out.push(values);
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
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
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    /// Every .xlsx of the repository (written by openpyxl, LibreOffice, rust_xlsxwriter, and
    /// the hostile ones): the merged regions found here are calamine's, sheet by sheet, and a
    /// package this cannot read is left to calamine whole.
    #[test]
    fn every_workbook_of_the_repository_gives_calamines_merges() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["samples", "tests/fixtures"] {
            collect(&root.join(dir), &mut files);
        }
        let (mut sheets, mut merged, mut found) = (0, 0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            // The bombs are refused before their sheets are read (and take calamine, built
            // unoptimized for the tests, seconds to open).
            if path.to_string_lossy().contains("bomb") {
                continue;
            }
            let Ok(mut wb) = Xlsx::new(Cursor::new(bytes.as_slice())) else {
                continue;
            };
            let names = wb.sheet_names();
            let Some(mut finder) = MergeFinder::new(&bytes, &names) else {
                continue;
            };
            found += 1;
            for name in &names {
                let ours = finder.merges(name);
                let theirs = wb.merge_cells_by_sheet_name(name).unwrap_or_default();
                if let Some(ours) = ours {
                    assert_eq!(ours, theirs, "{} / {name}", path.display());
                    sheets += 1;
                    merged += usize::from(!ours.is_empty());
                }
            }
        }
        assert!(found >= 20, "only {found} packages read");
        assert!(
            merged >= 20,
            "only {merged} of {sheets} sheets with merged regions"
        );
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

    #[test]
    fn the_tail_is_found_across_chunks() {
        let needle = b"</sheetData>";
        for cut in [0, 1, 5, 11, 12, 13] {
            // The needle placed so that a 64 KiB chunk ends inside it, at every offset.
            let mut xml = vec![b'x'; 64 * 1024 - cut];
            xml.extend_from_slice(b"</sheetData><mergeCells/>");
            xml.extend_from_slice(needle);
            let tail = tail_after(&mut xml.as_slice(), needle).unwrap();
            assert!(tail.starts_with(b"<mergeCells/>"), "cut {cut}");
        }
        assert!(tail_after(&mut &b"<sheetData/>"[..], needle).is_none());
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
}
