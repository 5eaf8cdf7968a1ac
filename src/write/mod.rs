//! Write: the consolidation to files. One file per output: `workbook` (the consolidated .xlsx),
//! `json` (the machine report). Every output is written to a temporary file beside its target and
//! renamed into place, so an interrupted run never leaves a half-written file.

pub mod forms;
pub mod json;
pub mod official;
pub mod template;
pub mod workbook;

use std::io::Write;
use std::path::Path;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("无法写入 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("无法生成工作簿 {path}：{source}")]
    Xlsx {
        path: String,
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("无法生成 JSON 报告：{0}")]
    Json(#[from] serde_json::Error),
}

/// Saves a workbook to `path` through a temporary file in the same folder and a rename.
///
/// # Errors
/// The folder does not exist or is not writable, or rust_xlsxwriter could not save.
pub fn save_workbook_atomically(
    path: &Path,
    workbook: &mut rust_xlsxwriter::Workbook,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".jixiao-")
        .suffix(".xlsx")
        .tempfile_in(dir)
        .map_err(io)?;
    workbook
        .save(tmp.path())
        .map_err(|source| WriteError::Xlsx {
            path: path.display().to_string(),
            source,
        })?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes bytes to `path` through a temporary file in the same folder and a rename.
///
/// # Errors
/// The folder does not exist or is not writable.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".jixiao-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
