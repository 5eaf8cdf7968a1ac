//! Write: the consolidation to files. One file per output: `workbook` (the consolidated .xlsx,
//! a file per sheet), `official` (the printed form both 汇总表 and `forms` use), `forms`,
//! `template`, `json` (the machine report), `csv` and `text` (the reports for people). Every output is written to a temporary file beside its target and
//! renamed into place, so an interrupted run never leaves a half-written file.

pub mod csv;
pub mod feedback;
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

/// The temporary files being written, so that a run stopped by a signal can remove them.
static PENDING: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Removes every temporary output not yet renamed into place and ends the process with `code`
/// (on SIGINT or SIGTERM). The list stays locked until the exit, and a temporary file is made
/// and listed under the same lock ([`PreparedOutput::new`]): none can appear unlisted, or after
/// the removal.
pub fn remove_pending_outputs_and_exit(code: i32) -> ! {
    let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    for path in pending.iter() {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code)
}

/// An output whose temporary file already exists beside its target: made before any work, so
/// that a folder that cannot be written stops the run at once, not after all the processing.
pub struct PreparedOutput {
    path: std::path::PathBuf,
    /// The temporary file; taken when it is renamed into place.
    tmp: Option<tempfile::NamedTempFile>,
    tmp_path: std::path::PathBuf,
}

impl PreparedOutput {
    /// Creates the temporary file beside `path`.
    ///
    /// # Errors
    /// The folder does not exist or is not writable.
    pub fn new(path: &Path) -> Result<PreparedOutput, WriteError> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // Made and listed under the lock: a signal between the two would leave it behind.
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = tempfile::Builder::new()
            .prefix(".jixiao-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|source| WriteError::Io {
                path: path.display().to_string(),
                source,
            })?;
        let tmp_path = tmp.path().to_path_buf();
        pending.push(tmp_path.clone());
        drop(pending);
        Ok(PreparedOutput {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            tmp_path,
        })
    }

    /// The target's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temporary file, opened for writing from its start. Never created anew: once a signal
    /// has removed it, the run is ending, and it must not appear again.
    fn reopen(&self) -> Result<std::fs::File, WriteError> {
        std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&self.tmp_path)
            .map_err(|e| self.io(e))
    }

    fn io(&self, source: std::io::Error) -> WriteError {
        WriteError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Writes the whole temporary file (not yet in place).
    ///
    /// # Errors
    /// The disk refused the bytes.
    pub fn fill_bytes(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        let mut file = self.reopen()?;
        file.write_all(bytes).map_err(|e| self.io(e))?;
        file.sync_all().map_err(|e| self.io(e))
    }

    /// The temporary file, opened for writing from its start, for an output written as the
    /// work goes (not yet in place).
    ///
    /// # Errors
    /// The file could not be opened.
    pub fn file(&self) -> Result<std::fs::File, WriteError> {
        self.reopen()
    }

    /// Fills the temporary file through a buffered writer (not yet in place).
    ///
    /// # Errors
    /// The file could not be written.
    pub fn fill_with(
        &mut self,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let file = self.reopen()?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out).map_err(|e| self.io(e))?;
        let file = out.into_inner().map_err(|e| self.io(e.into_error()))?;
        file.sync_all().map_err(|e| self.io(e))
    }

    /// Saves a workbook into the temporary file (not yet in place).
    ///
    /// # Errors
    /// rust_xlsxwriter could not save.
    pub fn fill_workbook(
        &mut self,
        workbook: &mut rust_xlsxwriter::Workbook,
    ) -> Result<(), WriteError> {
        workbook
            .save_to_writer(self.reopen()?)
            .map_err(|source| WriteError::Xlsx {
                path: self.path.display().to_string(),
                source,
            })
    }

    /// Renames the filled temporary file into place, as an ordinary file (0644, not the
    /// temporary file's 0600).
    ///
    /// # Errors
    /// The rename failed.
    pub fn commit(mut self) -> Result<(), WriteError> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&self.tmp_path, std::fs::Permissions::from_mode(0o644))
                .map_err(|e| self.io(e))?;
        }
        let Some(tmp) = self.tmp.take() else {
            return Ok(());
        };
        tmp.persist(&self.path)
            .map(|_| ())
            .map_err(|e| self.io(e.error))
    }
}

impl Drop for PreparedOutput {
    fn drop(&mut self) {
        // Renamed into place, or removed by tempfile if it was not: either way no longer ours.
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| p != &self.tmp_path);
        }
    }
}

/// Writes `path` through a temporary file in the same folder, filled by `fill`, then renamed
/// into place: an interrupted or failed write leaves the target as it was and no temporary file.
///
/// # Errors
/// The folder does not exist or is not writable, or `fill` failed.
fn replace_atomically(
    path: &Path,
    fill: impl FnOnce(&mut PreparedOutput) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let mut out = PreparedOutput::new(path)?;
    fill(&mut out)?;
    out.commit()
}

/// Saves a workbook to `path` atomically (see [`replace_atomically`]).
///
/// # Errors
/// The folder does not exist or is not writable, or rust_xlsxwriter could not save.
pub fn save_workbook_atomically(
    path: &Path,
    workbook: &mut rust_xlsxwriter::Workbook,
) -> Result<(), WriteError> {
    replace_atomically(path, |out| out.fill_workbook(workbook))
}

/// Writes bytes to `path` atomically (see [`replace_atomically`]).
///
/// # Errors
/// The folder does not exist or is not writable.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    replace_atomically(path, |out| out.fill_bytes(bytes))
}
