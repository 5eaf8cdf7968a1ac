//! Read: bytes to [`Grid`]. One file per input kind: `workbook` for everything calamine reads,
//! `text` for CSV/TSV/TXT with encoding detection and HTML removal.

pub mod text;
pub mod workbook;

use crate::grid::Grid;
use crate::model::SourceKind;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Password-protected (an encrypted OOXML package, or an .xls with a FILEPASS record).
    #[error("文件有密码保护，无法读取，请去除密码后重新报送")]
    Encrypted,
    /// Empty, truncated, corrupt or not a spreadsheet; the reason is for the user.
    #[error("文件无法读取：{0}")]
    Unreadable(String),
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
        SourceKind::Xlsx | SourceKind::Xlsb | SourceKind::Xls | SourceKind::Ods => {
            workbook::read_workbook(bytes, kind)
        }
    }
}
