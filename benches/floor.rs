//! The benchmark's floor read (see `benches/pipeline.rs`): every sheet of every file through
//! calamine, a text file decoded and split into records by the csv crate, nothing else. Shared
//! by the benchmark and by `examples/bare_read.rs`, which `scripts/instructions.sh` counts.

use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};
use rayon::prelude::*;

/// The files of a folder that the benchmark reads, sorted: every entry but the hidden ones (the
/// generator's `.complete` marker).
pub fn folder_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The floor's read: every sheet of every file, in parallel, nothing else.
pub fn floor_read(files: &[PathBuf]) -> usize {
    files.par_iter().map(|path| bare_read(path)).sum()
}

/// The floor's read of one file: every sheet through calamine; a text file decoded to text as
/// a bare reader must (UTF-8 as it is, anything else as GB18030, the encoding of the generated
/// files) and split by the csv crate into records of text, tab-separated for .txt.
pub fn bare_read(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("read");
    if path.extension().is_some_and(|e| e == "xlsx") {
        // Opened as jixiao opens it, reading of the styles only the number formats (the patched
        // calamine's `new_formats_only`): the floor does no work that `check` does not.
        let mut wb = Xlsx::new_formats_only(std::io::Cursor::new(bytes)).expect("xlsx");
        wb.sheet_names()
            .iter()
            .map(|name| {
                wb.worksheet_range(name)
                    .map(|r| r.get_size().0)
                    .unwrap_or(0)
            })
            .sum::<usize>()
    } else {
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => encoding_rs::GB18030.decode(&bytes).0,
        };
        let tab = path.extension().is_some_and(|e| e == "txt" || e == "tsv");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(if tab { b'\t' } else { b',' })
            .from_reader(text.as_bytes())
            .records()
            .count()
    }
}
