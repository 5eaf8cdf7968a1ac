//! Discover: command-line paths to the list of input files. Folders are walked recursively in
//! sorted order; a file's kind is decided by its first bytes (zip, OLE, HTML markup) and then its
//! extension;
//! Excel lock files (`~$*`) are listed as skipped and hidden files ignored; byte-identical files
//! are found so that each is counted once.

use serde::Serialize;

use crate::base::own::{own_csv, OWN_OUTPUT_PROPERTY};
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The kind of an input file, decided by its first bytes and then its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    /// An OLE container holding an encrypted OOXML package (a password-protected .xlsx).
    EncryptedOoxml,
    /// CSV, TSV or other delimited text.
    Text,
    /// An HTML document: a web page, or the HTML that web systems save as `.xls`.
    Html,
}

/// One input file found by discover.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The path as shown in reports: as discovered from the command line.
    pub display: String,
    pub kind: SourceKind,
    pub size: u64,
}

/// Extensions that are read when found in a folder.
const SPREADSHEET_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt", "html", "htm",
];

/// The most bytes a file may have; a larger one is not read at all, not even to find
/// duplicates.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Whether an .xlsx is a consolidated workbook written by jixiao (its custom property). Its
/// zip directory is first looked at in the file's last bytes (`tail`): a directory read whole
/// there that names no custom properties (every form a unit sends) settles it without opening
/// the package.
fn is_own_output(file: &mut fs::File, size: u64, tail: &[u8]) -> bool {
    if names_custom_properties(tail, size) == Some(false) {
        return false;
    }
    // The zip's directory is read in small pieces: through a buffer, not a system call each.
    file.rewind().is_ok() && own_output_package(std::io::BufReader::new(file))
}

/// How many last bytes of a file are read: a zip's directory is looked for there, and they
/// tell apart most files of the same size (see [`Fingerprint`]).
const TAIL_BYTES: u64 = 4096;

/// A file's last [`TAIL_BYTES`] (all of it when shorter); empty when they cannot be read.
fn read_tail(file: &mut fs::File, size: u64) -> Vec<u8> {
    let len = size.min(TAIL_BYTES);
    let mut tail = vec![0; len as usize];
    let read = file
        .seek(SeekFrom::Start(size - len))
        .and_then(|_| file.read_exact(&mut tail));
    if read.is_err() {
        tail.clear();
    }
    tail
}

/// Whether a zip's central directory names `docProps/custom.xml`, from the file's `tail` (its
/// last [`TAIL_BYTES`]); `None` when that cannot be told from them (a directory longer than
/// that, a zip64 or a long comment, bytes before the zip, a tail that could not be read): the
/// package is then opened.
fn names_custom_properties(tail: &[u8], size: u64) -> Option<bool> {
    let start = size.checked_sub(tail.len() as u64)?;
    // The end-of-directory record: its signature, then (at 12 and 16) the directory's size and
    // its offset in the file.
    let end = memchr::memmem::rfind(tail, b"PK\x05\x06")?;
    let field = |at: usize| -> Option<u64> {
        let bytes: [u8; 4] = tail.get(end + at..end + at + 4)?.try_into().ok()?;
        Some(u64::from(u32::from_le_bytes(bytes)))
    };
    let (directory_size, offset) = (field(12)?, field(16)?);
    let from = usize::try_from(offset.checked_sub(start)?).ok()?;
    let to = from.checked_add(usize::try_from(directory_size).ok()?)?;
    let directory = tail.get(from..to.min(end).max(from))?;
    // The directory must be there, whole, and start as one does.
    if to > end || !directory.starts_with(b"PK\x01\x02") {
        return None;
    }
    Some(memchr::memmem::find(directory, b"docProps/custom.xml").is_some())
}

/// Whether a zip package holds jixiao's custom property.
fn own_output_package(package: impl Read + std::io::Seek) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(package) else {
        return false;
    };
    let Ok(entry) = archive.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut xml = Vec::new();
    if entry.take(64 * 1024).read_to_end(&mut xml).is_err() {
        return false;
    }
    contains(&xml, format!("name=\"{OWN_OUTPUT_PROPERTY}\"").as_bytes())
}

/// What discover found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by path.
    pub sources: Vec<Source>,
    /// Files with the same bytes as an earlier source: (duplicate, the source it repeats).
    pub duplicates: Vec<(Source, String)>,
    /// Files in folders that are not spreadsheets: (path, reason).
    pub skipped: Vec<(PathBuf, String, String)>,
    /// Folders that could not be listed: (path, as shown, reason). The run goes on without them.
    pub unlisted: Vec<(PathBuf, String, String)>,
}

/// Why discover could not go on.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("输入路径不存在：{0}")]
    Missing(String),
}

/// Finds the input files under the given paths.
///
/// # Errors
/// A path given on the command line does not exist. A folder that cannot be listed is not an
/// error: it is noted in `Discovery::unlisted` and the others are read.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    let mut discovery = Discovery::default();
    for input in inputs {
        let meta =
            fs::metadata(input).map_err(|_| DiscoverError::Missing(input.display().to_string()))?;
        if meta.is_dir() {
            walk(input, &mut files, &mut discovery.unlisted);
        } else {
            files.push((input.clone(), true));
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    discovery.unlisted.sort();

    // Each file is looked at (its kind, whether jixiao wrote it) on every core: opening
    // thousands of files one after another was a tenth of a `check`. The order stays the
    // sorted one.
    use rayon::prelude::*;
    let looked: Vec<Looked> = files
        .into_par_iter()
        .map(|(path, explicit)| look_at(path, explicit))
        .collect();
    let mut sources = Vec::with_capacity(looked.len());
    for look in looked {
        match look {
            Looked::Source(source, fingerprint) => sources.push((source, fingerprint)),
            Looked::Skipped(path, display, why) => discovery.skipped.push((path, display, why)),
        }
    }
    let (unique, duplicates) = split_duplicates(sources);
    discovery.sources = unique;
    discovery.duplicates = duplicates;
    Ok(discovery)
}

/// What discover makes of one file: a source to read (with its fingerprint), or a file skipped
/// with its reason.
enum Looked {
    Source(Source, Fingerprint),
    Skipped(PathBuf, String, String),
}

/// Looks at one file found (`explicit`: named on the command line, not found in a folder).
fn look_at(path: PathBuf, explicit: bool) -> Looked {
    let display = path.display().to_string();
    let extension = extension_of(&path);
    if is_lock_file(&path) {
        return Looked::Skipped(
            path,
            display,
            "Excel 临时锁定文件（~$ 开头，表格打开时生成），不是报送表格".to_string(),
        );
    }
    // Never open what is not a regular file: reading a FIFO blocks, a device never ends.
    let meta = fs::metadata(&path);
    if !meta.as_ref().is_ok_and(|m| m.is_file()) {
        let why = match meta {
            Ok(_) => "不是普通文件（命名管道、设备或套接字），未打开".to_string(),
            Err(e) => format!("无法读取文件信息：{e}"),
        };
        return Looked::Skipped(path, display, why);
    }
    if !explicit && !SPREADSHEET_EXTENSIONS.contains(&extension.as_str()) {
        return Looked::Skipped(path, display, "不是表格文件（扩展名不受支持）".to_string());
    }
    let size = meta.map(|m| m.len()).unwrap_or(0);
    // One opening for the kind and, for a zip, whether jixiao wrote it.
    let mut file = fs::File::open(&path).ok();
    let head = file
        .as_mut()
        .map_or_else(Vec::new, |f| read_start(f, HEAD_BYTES, size));
    let kind = detect_kind(&head, &extension);
    // The head holds the whole of a small file; a larger one's last bytes are read too.
    let tail = match file.as_mut() {
        Some(f) if size > head.len() as u64 => read_tail(f, size),
        _ => Vec::new(),
    };
    if kind == SourceKind::Xlsx && file.as_mut().is_some_and(|f| is_own_output(f, size, &tail)) {
        return Looked::Skipped(
            path,
            display,
            "jixiao 生成的汇总工作簿（之前一次运行的输出），不是报送表格".to_string(),
        );
    }
    if let Some(what) = (kind == SourceKind::Text).then(|| own_csv(&head)).flatten() {
        return Looked::Skipped(path, display, what.to_string());
    }
    Looked::Source(
        Source {
            path,
            display,
            kind,
            size,
        },
        fingerprint(&head, &tail),
    )
}

/// What tells apart most files of the same size without reading them whole: a hash of their
/// first and last bytes, which discover reads anyway (the last ones hold a zip's directory, with
/// the checksum of every part). Files with the same bytes have the same fingerprint; only files
/// that share their size and fingerprint are read whole to find duplicates.
type Fingerprint = u64;

fn fingerprint(head: &[u8], tail: &[u8]) -> Fingerprint {
    use std::hash::{BuildHasher, Hasher};
    // A fast hash (a fingerprint only narrows the files compared, byte for byte, at the end).
    let mut hasher = foldhash::fast::FixedState::default().build_hasher();
    hasher.write(head);
    hasher.write(tail);
    hasher.finish()
}

/// Collects the files under `dir`; a folder that cannot be listed is noted in `unlisted` and the
/// walk goes on.
fn walk(dir: &Path, out: &mut Vec<(PathBuf, bool)>, unlisted: &mut Vec<(PathBuf, String, String)>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            unlisted.push((
                dir.to_path_buf(),
                dir.display().to_string(),
                format!("无法列出文件夹中的文件：{e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out, unlisted),
            Ok(_) => out.push((path, false)),
            Err(_) => {}
        }
    }
}

/// Whether a file is the lock file Excel or WPS keeps beside an open workbook (`~$name.xlsx`).
fn is_lock_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// The lowercase extension, or "".
pub fn extension_of(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A file's first bytes (up to [`HEAD_BYTES`]), enough to tell its kind and whether jixiao
/// wrote it; empty when it cannot be read.
pub(crate) fn read_head(path: &Path) -> Vec<u8> {
    let size = fs::metadata(path).map_or(0, |m| m.len());
    fs::File::open(path).map_or_else(|_| Vec::new(), |mut f| read_start(&mut f, HEAD_BYTES, size))
}

/// How many first bytes tell a file's kind.
const HEAD_BYTES: usize = 4096;

/// Up to `limit` first bytes of a file, read until the limit or the end; empty when the file
/// cannot be read. The buffer is sized from the file's length (`size`, as discover found it),
/// so a small file takes one read (and one to see its end), not a read for each doubling of
/// the buffer.
fn read_start(file: &mut fs::File, limit: usize, size: u64) -> Vec<u8> {
    let mut start = Vec::with_capacity(size.min(limit as u64) as usize);
    match file.take(limit as u64).read_to_end(&mut start) {
        Ok(_) => start,
        Err(_) => Vec::new(),
    }
}

/// Decides a file's kind from its first bytes, then its extension. A file whose text starts with
/// HTML markup is HTML whatever its extension (web systems save HTML as `.xls`).
pub fn detect_kind(head: &[u8], extension: &str) -> SourceKind {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if head.starts_with(ZIP) {
        let is_ods = contains(head, b"application/vnd.oasis.opendocument.spreadsheet");
        if is_ods || extension == "ods" {
            SourceKind::Ods
        } else if extension == "xlsb" {
            SourceKind::Xlsb
        } else {
            SourceKind::Xlsx
        }
    } else if head.starts_with(OLE) {
        // A password-protected .xlsx is an OLE container with an "EncryptedPackage" stream;
        // its directory entry name is UTF-16LE.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if contains(head, &marker) || extension == "xlsx" || extension == "xlsm" {
            SourceKind::EncryptedOoxml
        } else {
            SourceKind::Xls
        }
    } else if starts_with_html(head) {
        SourceKind::Html
    } else {
        match extension {
            "html" | "htm" => SourceKind::Html,
            "xlsx" | "xlsm" => SourceKind::Xlsx,
            "xlsb" => SourceKind::Xlsb,
            "xls" => SourceKind::Xls,
            "ods" => SourceKind::Ods,
            _ => SourceKind::Text,
        }
    }
}

/// Whether a document starts with HTML markup: after a BOM, whitespace, XML declarations,
/// processing instructions and comments, its first tag is `<html`, `<!DOCTYPE html`, `<head`,
/// `<body`, `<meta`, `<title`, `<style` or `<table`. Markup later on (a `<p>` in a cell of a
/// tab-separated export) does not count, nor does XML (Excel 2003's `<Workbook`).
fn starts_with_html(head: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"html",
        b"!doctype html",
        b"head",
        b"body",
        b"meta",
        b"title",
        b"style",
        b"table",
    ];
    let decoded: String;
    let mut rest: &[u8] = match encoding_rs::Encoding::for_bom(head) {
        Some((encoding, bom_len)) if encoding == encoding_rs::UTF_8 => &head[bom_len..],
        Some((encoding, bom_len)) => {
            decoded = encoding
                .decode_without_bom_handling(&head[bom_len..])
                .0
                .into_owned();
            decoded.as_bytes()
        }
        None => head,
    };
    loop {
        rest = rest.trim_ascii_start();
        let skip_to = if rest.starts_with(b"<?") {
            b"?>".as_slice()
        } else if rest.starts_with(b"<!--") {
            b"-->".as_slice()
        } else {
            break;
        };
        match rest.windows(skip_to.len()).position(|w| w == skip_to) {
            Some(end) => rest = &rest[end + skip_to.len()..],
            None => return false,
        }
    }
    let Some(tag) = rest.strip_prefix(b"<") else {
        return false;
    };
    TAGS.iter().any(|name| {
        tag.len() > name.len()
            && tag[..name.len()].eq_ignore_ascii_case(name)
            && matches!(
                tag[name.len()],
                b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n' | b'\x0c'
            )
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// A hash of a file's bytes, read in blocks.
fn hash_file(path: &Path) -> Option<u64> {
    use std::hash::{BuildHasher, Hasher};
    let mut file = fs::File::open(path).ok()?;
    let mut hasher = foldhash::fast::FixedState::default().build_hasher();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Some(hasher.finish()),
            Ok(n) => hasher.write(&buf[..n]),
            Err(_) => return None,
        }
    }
}

/// Whether two files hold the same bytes, compared block by block.
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(mut fa), Ok(mut fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let mut ba = vec![0u8; 64 * 1024];
    let mut bb = vec![0u8; 64 * 1024];
    loop {
        let na = match read_full(&mut fa, &mut ba) {
            Some(n) => n,
            None => return false,
        };
        let nb = match read_full(&mut fb, &mut bb) {
            Some(n) => n,
            None => return false,
        };
        if na != nb || ba[..na] != bb[..nb] {
            return false;
        }
        if na == 0 {
            return true;
        }
    }
}

/// Fills `buf` as far as the file goes; the bytes read, or `None` on an error.
fn read_full(file: &mut fs::File, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(_) => return None,
        }
    }
    Some(n)
}

/// Separates byte-identical files: the first in path order is kept, later ones are reported.
/// Only files of equal size and [`Fingerprint`] are read and compared.
fn split_duplicates(looked: Vec<(Source, Fingerprint)>) -> (Vec<Source>, Vec<(Source, String)>) {
    use std::collections::HashMap;
    // Files over the size cap are never read here either: read_source refuses them.
    let mut by_size_and_ends: HashMap<(u64, Fingerprint), Vec<usize>> = HashMap::new();
    for (i, (s, fingerprint)) in looked.iter().enumerate() {
        if s.size > 0 && s.size <= MAX_FILE_BYTES {
            by_size_and_ends
                .entry((s.size, *fingerprint))
                .or_default()
                .push(i);
        }
    }
    let sources: Vec<Source> = looked.into_iter().map(|(s, _)| s).collect();
    let mut duplicate_of: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<&Vec<usize>> = by_size_and_ends.values().filter(|g| g.len() > 1).collect();
    groups.sort();
    // A streamed hash narrows the candidates, each file's on every core (in a folder of
    // thousands of forms of about the same size, many files share their size and ends);
    // equal hashes are confirmed byte for byte, also streamed: memory stays at two buffers a
    // core whatever the files' size.
    use rayon::prelude::*;
    let hashed: Vec<usize> = groups.iter().flat_map(|g| g.iter().copied()).collect();
    let hash_of: HashMap<usize, Option<u64>> = hashed
        .par_iter()
        .map(|&i| (i, hash_file(&sources[i].path)))
        .collect();
    for group in groups {
        let hashes: Vec<Option<u64>> = group.iter().map(|i| hash_of[i]).collect();
        for a in 0..group.len() {
            if duplicate_of.contains_key(&group[a]) || hashes[a].is_none() {
                continue;
            }
            for b in a + 1..group.len() {
                if hashes[b] == hashes[a]
                    && !duplicate_of.contains_key(&group[b])
                    && same_bytes(&sources[group[a]].path, &sources[group[b]].path)
                {
                    duplicate_of.insert(group[b], group[a]);
                }
            }
        }
    }
    let mut unique = Vec::new();
    let mut duplicates = Vec::new();
    let names: Vec<String> = sources.iter().map(|s| s.display.clone()).collect();
    for (i, s) in sources.into_iter().enumerate() {
        match duplicate_of.get(&i) {
            Some(&orig) => duplicates.push((s, names[orig].clone())),
            None => unique.push(s),
        }
    }
    (unique, duplicates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip package with jixiao's custom property (or another one, or none), padded with a
    /// stored entry of `padding` bytes and with `entries` more (a long zip directory).
    fn package(property: Option<&str>, padding: usize, entries: usize) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("xl/workbook.xml", stored).unwrap();
        zip.write_all(&vec![b'x'; padding]).unwrap();
        for n in 0..entries {
            zip.start_file(format!("xl/worksheets/sheet{n}.xml"), stored)
                .unwrap();
        }
        if let Some(property) = property {
            zip.start_file("docProps/custom.xml", stored).unwrap();
            let xml = format!("<Properties><property name=\"{property}\"/></Properties>");
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// jixiao's own workbook is known whether its zip directory is read in the file's last bytes
    /// or is too long for them (the package is then opened), small or large; another package,
    /// with other custom properties or none, is not.
    #[test]
    fn own_workbooks_are_known_small_or_large() {
        let dir = tempfile::tempdir().unwrap();
        let ours = Some(OWN_OUTPUT_PROPERTY);
        for (property, padding, entries) in [
            (ours, 100, 0),
            (ours, 200_000, 0),
            (ours, 100, 200),
            (Some("other"), 100, 0),
            (Some("other"), 200_000, 200),
            (None, 100, 0),
            (None, 200_000, 200),
        ] {
            let path = dir
                .path()
                .join(format!("{property:?}_{padding}_{entries}.xlsx"));
            let bytes = package(property, padding, entries);
            std::fs::write(&path, &bytes).unwrap();
            let skipped = matches!(look_at(path.clone(), false), Looked::Skipped(..));
            let case = format!("{property:?}, padding {padding}, {entries} entries");
            assert_eq!(skipped, property == ours, "{case}");
            // Whether the tail tells: a short directory does, a long one is left to the zip.
            let mut file = fs::File::open(&path).unwrap();
            let tail = read_tail(&mut file, bytes.len() as u64);
            let told = names_custom_properties(&tail, bytes.len() as u64);
            let expected = (entries == 0).then_some(property.is_some());
            assert_eq!(told, expected, "{case}");
        }
    }

    #[test]
    fn a_folder_that_cannot_be_listed_is_noted_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "x").unwrap();
        let mut files = Vec::new();
        let mut unlisted = Vec::new();
        walk(&dir.path().join("gone"), &mut files, &mut unlisted);
        walk(dir.path(), &mut files, &mut unlisted);
        assert_eq!(files.len(), 1);
        assert_eq!(unlisted.len(), 1);
        assert!(
            unlisted[0].2.starts_with("无法列出文件夹中的文件"),
            "{unlisted:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("notes.pdf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        std::fs::write(dir.path().join("a.csv"), "项目名称").unwrap();
        // Named on the command line and found in the folder: skipped both ways, nothing blocks.
        let d = discover(&[dir.path().to_path_buf(), fifo.clone()]).unwrap();
        assert_eq!(d.sources.len(), 1);
        assert_eq!(d.skipped.len(), 1);
        assert!(d.skipped[0].2.contains("命名管道"), "{:?}", d.skipped);
    }

    #[test]
    fn kinds_by_magic_then_extension() {
        assert_eq!(detect_kind(b"PK\x03\x04rest", "xlsx"), SourceKind::Xlsx);
        assert_eq!(detect_kind(b"PK\x03\x04rest", "xls"), SourceKind::Xlsx);
        assert_eq!(detect_kind(b"PK\x03\x04rest", "ods"), SourceKind::Ods);
        assert_eq!(
            detect_kind(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "xls"),
            SourceKind::Xls
        );
        assert_eq!(
            detect_kind("项目,总计".as_bytes(), "xlsx"),
            SourceKind::Xlsx
        );
        assert_eq!(detect_kind("项目,总计".as_bytes(), "csv"), SourceKind::Text);
    }

    #[test]
    fn html_by_content_then_extension() {
        for head in [
            "<html><body><table>",
            "\u{feff}  \r\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">",
            "<HTML xmlns:o=\"urn:schemas-microsoft-com:office:office\">",
            "<?xml version=\"1.0\" encoding=\"gbk\"?>\n<html>",
            "<!-- exported --><meta charset=gbk><table border=1>",
            "<table>\n<tr><td>项目名称</td>",
            "<Table>",
        ] {
            for extension in ["xls", "xlsx", "html", "csv", ""] {
                assert_eq!(
                    detect_kind(head.as_bytes(), extension),
                    SourceKind::Html,
                    "{head}"
                );
            }
        }
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<html>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(detect_kind(&utf16, "xls"), SourceKind::Html);
        assert_eq!(detect_kind("项目名称".as_bytes(), "htm"), SourceKind::Html);
        assert_eq!(
            detect_kind(b"plain", "HTML".to_ascii_lowercase().as_str()),
            SourceKind::Html
        );
        // Not HTML: markup in cells, XML spreadsheets, tags that merely start alike, magic bytes.
        for (head, extension, kind) in [
            ("<p>项目</p>\t<p>总计</p>", "txt", SourceKind::Text),
            ("标题\n<table>", "txt", SourceKind::Text),
            ("<tablet>", "csv", SourceKind::Text),
            (
                "<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?><Workbook>",
                "xls",
                SourceKind::Xls,
            ),
            ("<!-- unclosed <html>", "xls", SourceKind::Xls),
            ("PK\x03\x04<html>", "xlsx", SourceKind::Xlsx),
        ] {
            assert_eq!(detect_kind(head.as_bytes(), extension), kind, "{head}");
        }
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend_from_slice(b"<html>");
        assert_eq!(detect_kind(&ole, "xls"), SourceKind::Xls);
    }

    #[test]
    fn walks_sorted_skips_lock_files_and_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        fs::create_dir(p.join("sub")).unwrap();
        fs::write(p.join("b.csv"), "x,y\n1,2\n").unwrap();
        fs::write(p.join("sub/a.csv"), "x,y\n1,2\n").unwrap();
        fs::write(p.join("c.csv"), "x,y\n3,4\n").unwrap();
        fs::write(p.join("~$b.xlsx"), "lock").unwrap();
        fs::write(p.join(".hidden.csv"), "x").unwrap();
        fs::write(p.join("readme.pdf"), "%PDF").unwrap();
        fs::write(p.join("d.htm"), "<table><tr><td>1</td></tr></table>").unwrap();
        fs::write(p.join("e.HTML"), "<html><table></table></html>").unwrap();
        let d = discover(&[p.to_path_buf()]).unwrap();
        let names: Vec<_> = d
            .sources
            .iter()
            .map(|s| s.path.strip_prefix(p).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["b.csv", "c.csv", "d.htm", "e.HTML"]);
        assert_eq!(d.sources[2].kind, SourceKind::Html);
        assert_eq!(d.sources[3].kind, SourceKind::Html);
        assert_eq!(d.duplicates.len(), 1);
        assert!(d.duplicates[0].0.display.ends_with("sub/a.csv"));
        assert!(d.duplicates[0].1.ends_with("b.csv"));
        let skipped: Vec<_> = d
            .skipped
            .iter()
            .map(|(p, _, why)| (p.file_name().unwrap().to_string_lossy().into_owned(), why))
            .collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[1].0, "~$b.xlsx");
        assert!(skipped[1].1.contains("锁定文件"));
    }

    /// Files of one size are told apart by their ends first, then by their whole bytes: a
    /// difference in the middle of a large file is not taken for a duplicate, a copy is.
    #[test]
    fn duplicates_are_told_by_whole_bytes_not_by_their_ends() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let large = |at: usize, byte: u8| {
            let mut bytes = vec![b'a'; 20_000];
            bytes[at] = byte;
            bytes
        };
        for (name, bytes) in [
            ("a.csv", large(10_000, b'x')),
            ("b.csv", large(10_000, b'y')),
            ("c.csv", large(10_000, b'x')),
            ("d.csv", large(19_999, b'x')),
            ("e.csv", b"x,y\n1,2\n".to_vec()),
            ("f.csv", b"x,y\n1,2\n".to_vec()),
        ] {
            fs::write(p.join(name), bytes).unwrap();
        }
        let print = |name: &str| match look_at(p.join(name), false) {
            Looked::Source(_, fingerprint) => fingerprint,
            Looked::Skipped(..) => panic!("{name} skipped"),
        };
        // The same ends give the same fingerprint, whatever the middle; other ends another.
        assert_eq!(print("a.csv"), print("b.csv"));
        assert_ne!(print("a.csv"), print("d.csv"));
        let d = discover(&[p.to_path_buf()]).unwrap();
        let name = |s: &Source| s.path.file_name().unwrap().to_string_lossy().into_owned();
        let sources: Vec<String> = d.sources.iter().map(name).collect();
        assert_eq!(sources, ["a.csv", "b.csv", "d.csv", "e.csv"]);
        let duplicates: Vec<(String, bool)> = d
            .duplicates
            .iter()
            .map(|(s, of)| (name(s), of.ends_with("a.csv") || of.ends_with("e.csv")))
            .collect();
        assert_eq!(
            duplicates,
            [("c.csv".to_string(), true), ("f.csv".to_string(), true)]
        );
    }

    #[test]
    fn missing_input_is_an_error() {
        assert!(matches!(
            discover(&[PathBuf::from("/nonexistent/x")]),
            Err(DiscoverError::Missing(_))
        ));
    }
}
