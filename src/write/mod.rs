//! Write: the consolidation to files. One file per output: `workbook` (the consolidated .xlsx,
//! a file per sheet), `official` (the printed form both 汇总表 and `forms` use), `forms`,
//! `template`, `json` (the machine report), `csv` and `text` (the reports for people). Every output is written to a temporary file beside its target and
//! renamed into place, so an interrupted run never leaves a half-written file.

pub mod csv;
pub mod forms;
pub mod json;
pub mod official;
pub mod project_form;
pub mod template;
pub mod text;
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

/// Writes `path` through a temporary file in the same folder, filled by `fill`, then renamed
/// into place: an interrupted or failed write leaves the target as it was and no temporary file.
///
/// # Errors
/// The folder does not exist or is not writable, or `fill` failed.
fn replace_atomically(
    path: &Path,
    fill: impl FnOnce(&mut tempfile::NamedTempFile) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
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
    fill(&mut tmp)?;
    // A temporary file is private (0600); the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Saves a workbook to `path` atomically (see [`replace_atomically`]).
///
/// # Errors
/// The folder does not exist or is not writable, or rust_xlsxwriter could not save.
pub fn save_workbook_atomically(
    path: &Path,
    workbook: &mut rust_xlsxwriter::Workbook,
) -> Result<(), WriteError> {
    replace_atomically(path, |tmp| {
        workbook
            .save(tmp.path())
            .map_err(|source| WriteError::Xlsx {
                path: path.display().to_string(),
                source,
            })
    })
}

/// Writes bytes to `path` atomically (see [`replace_atomically`]).
///
/// # Errors
/// The folder does not exist or is not writable.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    replace_atomically(path, |tmp| {
        let io = |source| WriteError::Io {
            path: path.display().to_string(),
            source,
        };
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)
    })
}
