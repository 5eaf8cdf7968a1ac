//! Read: bytes to [`Grid`]. One file per input kind: `workbook` for everything calamine reads,
//! `text` for CSV/TSV/TXT with encoding detection and HTML removal.

pub mod text;
pub mod workbook;

use crate::grid::Grid;
use crate::model::SourceKind;

/// The most bytes a file may have; a larger one is not read at all.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most bytes a workbook's zip may expand to (a zip bomb is refused before it is opened).
pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// The most non-empty cells a file may hold.
pub const MAX_CELLS: usize = 5_000_000;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Password-protected (an encrypted OOXML package, or an .xls with a FILEPASS record).
    #[error("文件有密码保护，无法读取，请去除密码后重新报送")]
    Encrypted,
    /// Empty, truncated, corrupt or not a spreadsheet; the reason is for the user.
    #[error("文件无法读取：{0}")]
    Unreadable(String),
    /// Over one of the resource caps; the reason names it.
    #[error("{0}")]
    TooLarge(String),
}

/// Megabytes with one decimal, for messages.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Refuses a zip whose entries expand beyond [`MAX_UNZIPPED_BYTES`] (their declared sizes, read
/// from the central directory without inflating anything).
fn check_unzipped_size(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(()); // not a readable zip: the workbook reader says why
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(ReadError::TooLarge(format!(
            "文件解压后有 {}，超过上限 {}，未读取（可能是压缩炸弹）",
            megabytes(total),
            megabytes(MAX_UNZIPPED_BYTES)
        )));
    }
    Ok(())
}

/// Reads a file's bytes according to its kind.
///
/// # Errors
/// The file is encrypted or cannot be parsed as its kind.
pub fn read_grid(bytes: &[u8], kind: SourceKind, extension: &str) -> Result<Grid, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Unreadable("文件是空的（0 字节）".to_string()));
    }
    match kind {
        SourceKind::EncryptedOoxml => Err(ReadError::Encrypted),
        SourceKind::Text => text::read_text(bytes, extension),
        SourceKind::Xlsx | SourceKind::Xlsb | SourceKind::Ods => {
            check_unzipped_size(bytes)?;
            workbook::read_workbook(bytes, kind)
        }
        SourceKind::Xls => workbook::read_workbook(bytes, kind),
    }
}
