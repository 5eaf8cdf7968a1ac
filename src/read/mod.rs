//! Read: bytes to [`Grid`] (`grid`: sheets of cells, merged regions filled). One file per input kind: `workbook` for everything calamine reads,
//! `text` for CSV/TSV/TXT with encoding detection and HTML removal, `html` for HTML tables (web
//! pages, and the HTML that web systems save as `.xls`).

pub mod formula;
pub mod grid;
pub mod html;
pub mod merges;
pub mod text;
pub mod workbook;

use crate::discover::SourceKind;
use crate::read::grid::Grid;

/// The most bytes a file may have; a larger one is not read at all (decided in discover).
pub use crate::discover::MAX_FILE_BYTES;
/// The most bytes a workbook's zip may expand to (a zip bomb is refused before it is opened).
const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// The most bytes of cell text a file may materialize. A shared string is stored once in an
/// .xlsx but copied into every cell that uses it: one string of 100 MB used by 40 cells is 4 GB
/// of text from a file of 100 KB.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;
/// The most non-empty cells a file may hold.
pub const MAX_CELLS: usize = 5_000_000;

/// Why a file could not be read. The messages are for the user; the underlying error, where
/// there is one, is kept as the source.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Password-protected (an encrypted OOXML package, or an .xls with a FILEPASS record).
    #[error("文件有密码保护，无法读取，请去除密码后重新报送")]
    Encrypted,
    /// The file could not be opened (permissions, a folder, gone since discovery).
    #[error("无法打开文件：{source}")]
    Open { source: std::io::Error },
    /// Zero bytes.
    #[error("文件无法读取：文件是空的（0 字节）")]
    Empty,
    /// Neither text nor a spreadsheet format we know (binary bytes in a "text" file, say).
    #[error("文件无法读取：{}", .what.reason())]
    NotASpreadsheet { what: NotASpreadsheet },
    /// The format's reader refused the bytes: truncated, corrupt, or another format.
    #[error("文件无法读取：不是有效的 {format} 文件（{source}）")]
    Corrupt {
        /// xlsx, xls, xlsb, ods or HTML.
        format: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// One sheet of an otherwise readable workbook could not be read.
    #[error("文件无法读取：工作表“{sheet}”无法读取：不是有效的 {format} 文件（{source}）")]
    Sheet {
        sheet: String,
        format: &'static str,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The file is bigger than [`MAX_FILE_BYTES`].
    #[error("文件 {}，超过单个文件的上限 {}，未读取", megabytes(*.bytes), megabytes(*.limit))]
    FileTooLarge { bytes: u64, limit: u64 },
    /// The zip expands beyond [`MAX_UNZIPPED_BYTES`].
    #[error("文件解压后有 {}，超过上限 {}，未读取（可能是压缩炸弹）", megabytes(*.bytes), megabytes(*.limit))]
    UnzippedTooLarge { bytes: u64, limit: u64 },
    /// An HTML table with a cell beyond [`html::MAX_COLUMNS`] columns.
    #[error("文件无法读取：表格“{sheet}”超过 {} 列的上限，未读取", crate::base::text::group_digits(&.limit.to_string()))]
    TooWide { sheet: String, limit: usize },
    /// More than [`MAX_TEXT_BYTES`] of cell text, counted up to a sheet.
    #[error("到{at}为止单元格文字已超过 {} 的上限，未读取（同一段文字被大量单元格引用）", megabytes(*.limit))]
    TooMuchText { at: CellCountPlace, limit: u64 },
    /// More than [`MAX_CELLS`] cells, counted up to a sheet or a line.
    #[error("到{at}为止已超过 {} 个单元格的上限，未读取", crate::base::text::group_digits(&.limit.to_string()))]
    TooManyCells { at: CellCountPlace, limit: usize },
}

/// What a file that is not a spreadsheet turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotASpreadsheet {
    /// A text file holding NUL bytes.
    BinaryText,
    /// A kind the workbook reader does not take.
    OtherKind,
}

impl NotASpreadsheet {
    fn reason(self) -> &'static str {
        match self {
            NotASpreadsheet::BinaryText => "不是文本文件，也不是可识别的表格格式",
            NotASpreadsheet::OtherKind => "不是表格文件",
        }
    }
}

/// Where the cell cap was passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellCountPlace {
    /// Up to and including this sheet.
    Sheet(String),
    /// Up to this line of a text file.
    Line(usize),
}

impl std::fmt::Display for CellCountPlace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CellCountPlace::Sheet(name) => write!(f, "工作表“{name}”"),
            CellCountPlace::Line(line) => write!(f, "第 {line} 行"),
        }
    }
}

impl ReadError {
    /// Whether the file was refused for one of the resource caps (file-too-large), rather than
    /// for what it holds.
    pub fn is_over_cap(&self) -> bool {
        matches!(
            self,
            ReadError::FileTooLarge { .. }
                | ReadError::UnzippedTooLarge { .. }
                | ReadError::TooManyCells { .. }
                | ReadError::TooMuchText { .. }
                | ReadError::TooWide { .. }
        )
    }
}

/// Megabytes with one decimal, for messages.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Refuses a zip whose entries expand beyond [`MAX_UNZIPPED_BYTES`] (their declared sizes, read
/// from the central directory without inflating anything).
fn check_unzipped_size(bytes: &[u8]) -> Result<(), ReadError> {
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(()); // not a readable zip: the workbook reader says why
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        // The directory's record only: its local header is not looked up.
        if let Ok(entry) = archive.by_index_data(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(ReadError::UnzippedTooLarge {
            bytes: total,
            limit: MAX_UNZIPPED_BYTES,
        });
    }
    Ok(())
}

/// Reads a file's bytes according to its kind.
///
/// # Errors
/// The file is encrypted or cannot be parsed as its kind.
pub fn read_grid(bytes: &[u8], kind: SourceKind, extension: &str) -> Result<Grid, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match kind {
        SourceKind::EncryptedOoxml => Err(ReadError::Encrypted),
        SourceKind::Text => text::read_text(bytes, extension),
        SourceKind::Html => html::read_html(bytes),
        SourceKind::Xlsx | SourceKind::Xlsb | SourceKind::Ods => {
            check_unzipped_size(bytes)?;
            workbook::read_workbook(bytes, kind)
        }
        SourceKind::Xls => workbook::read_workbook(bytes, kind),
    }
}

/// Reads a file again by its path, its kind detected as discovery does: for showing what a unit
/// sent (feedback, the web page). `None` when it cannot be read now.
pub fn read_path_again(path: &std::path::Path) -> Option<Grid> {
    let bytes = std::fs::read(path).ok()?;
    let ext = crate::discover::extension_of(path);
    let kind = crate::discover::detect_kind(&bytes[..bytes.len().min(4096)], &ext);
    read_grid(&bytes, kind, &ext).ok()
}
