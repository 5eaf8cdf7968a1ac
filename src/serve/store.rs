//! What a collection round keeps, in SQLite (rusqlite, the library bundled): the round with its
//! two secret links, and every upload (its files as they came, on disk beside the database).
//! An upload of a unit replaces its earlier one as current; the earlier one stays in the history.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

/// Why the store failed (the server answers 500 and goes on).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库出错：{0}")]
    Sql(#[from] rusqlite::Error),
    #[error("无法写入数据文件夹 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("无法生成随机链接：{0}")]
    Random(String),
}

/// The round: its name and its two links' secrets.
#[derive(Debug, Clone)]
pub struct Round {
    pub name: String,
    /// The units' link: /u/{unit_token}.
    pub unit_token: String,
    /// The department's link: /d/{dept_token}.
    pub dept_token: String,
}

/// One stored file of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The file's name as the unit sent it (shown, never used as a path).
    pub name: String,
    /// Where it is kept.
    pub path: PathBuf,
}

/// One upload as the browser that sent it sees it in its history.
#[derive(Debug, Clone)]
pub struct UploadRecord {
    pub token: String,
    /// Seconds since the Unix epoch, as text.
    pub at: String,
    /// The units it held, joined with "、".
    pub units: String,
    pub errors: usize,
    pub warnings: usize,
    /// Its files' names as sent, joined with "、".
    pub files: String,
    /// Whether it is still some unit's current submission.
    pub current: bool,
}

pub struct Store {
    conn: Connection,
    dir: PathBuf,
}

/// A secret: 128 bits from the operating system's CSPRNG, as hex.
pub fn secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Store {
    /// Opens (or creates) the store in `dir`, and the round named `name` if there is none yet.
    ///
    /// # Errors
    /// The folder or the database cannot be created.
    pub fn open(dir: &Path, name: &str) -> Result<(Store, Round), StoreError> {
        let io = |source| StoreError::Io {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir.join("files")).map_err(io)?;
        let conn = Connection::open(dir.join("jixiao.sqlite3"))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE IF NOT EXISTS round (
                 name TEXT NOT NULL, unit_token TEXT NOT NULL, dept_token TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS upload (
                 id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, at TEXT NOT NULL,
                 bytes INTEGER NOT NULL, submitter TEXT NOT NULL DEFAULT '',
                 units TEXT NOT NULL DEFAULT '', errors INTEGER NOT NULL DEFAULT 0,
                 warnings INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE IF NOT EXISTS file (
                 upload INTEGER NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS submission (
                 unit_key TEXT NOT NULL, unit_name TEXT NOT NULL, upload INTEGER NOT NULL,
                 current INTEGER NOT NULL);",
        )?;
        // A data folder made before uploads knew their browser gains the columns, empty.
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('upload')")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for (column, kind) in [
            ("submitter", "TEXT NOT NULL DEFAULT ''"),
            ("units", "TEXT NOT NULL DEFAULT ''"),
            ("errors", "INTEGER NOT NULL DEFAULT 0"),
            ("warnings", "INTEGER NOT NULL DEFAULT 0"),
        ] {
            if !columns.iter().any(|c| c == column) {
                conn.execute_batch(&format!("ALTER TABLE upload ADD COLUMN {column} {kind}"))?;
            }
        }
        let round = conn
            .query_row("SELECT name, unit_token, dept_token FROM round", [], |r| {
                Ok(Round {
                    name: r.get(0)?,
                    unit_token: r.get(1)?,
                    dept_token: r.get(2)?,
                })
            })
            .optional()?;
        let round = match round {
            Some(r) => r,
            None => {
                let r = Round {
                    name: name.to_string(),
                    unit_token: secret()?,
                    dept_token: secret()?,
                };
                conn.execute(
                    "INSERT INTO round VALUES (?1, ?2, ?3)",
                    params![r.name, r.unit_token, r.dept_token],
                )?;
                r
            }
        };
        Ok((
            Store {
                conn,
                dir: dir.to_path_buf(),
            },
            round,
        ))
    }

    /// Bytes stored in the round so far.
    pub fn stored_bytes(&self) -> Result<u64, StoreError> {
        let n: i64 =
            self.conn
                .query_row("SELECT COALESCE(SUM(bytes), 0) FROM upload", [], |r| {
                    r.get(0)
                })?;
        Ok(n as u64)
    }

    /// Keeps an upload's files as they came, under names of our own, with the browser that sent
    /// them (`submitter`, the secret of its cookie); returns the upload's secret token.
    pub fn add_upload(
        &self,
        files: &[(String, Vec<u8>)],
        at: &str,
        submitter: &str,
    ) -> Result<(String, Vec<StoredFile>), StoreError> {
        let token = secret()?;
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        self.conn.execute(
            "INSERT INTO upload (token, at, bytes, submitter) VALUES (?1, ?2, ?3, ?4)",
            params![token, at, bytes as i64, submitter],
        )?;
        let id = self.conn.last_insert_rowid();
        let folder = self.dir.join("files").join(&token);
        let io = |source| StoreError::Io {
            path: folder.display().to_string(),
            source,
        };
        std::fs::create_dir_all(&folder).map_err(io)?;
        let mut stored = Vec::new();
        for (n, (name, data)) in files.iter().enumerate() {
            // The name the unit gave is shown, never used as a path: the file is kept as its
            // position and its extension only.
            let ext = Path::new(name)
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()) && e.len() <= 5)
                .unwrap_or_else(|| "bin".to_string());
            let path = folder.join(format!("{n}.{ext}"));
            std::fs::write(&path, data).map_err(io)?;
            self.conn.execute(
                "INSERT INTO file VALUES (?1, ?2, ?3)",
                params![id, name, path.display().to_string()],
            )?;
            stored.push(StoredFile {
                name: name.clone(),
                path,
            });
        }
        Ok((token, stored))
    }

    /// Records that an upload holds a unit: it becomes the unit's current submission.
    pub fn set_current(
        &self,
        upload_token: &str,
        unit_key: &str,
        unit_name: &str,
    ) -> Result<(), StoreError> {
        let id: i64 = self.conn.query_row(
            "SELECT id FROM upload WHERE token = ?1",
            [upload_token],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "UPDATE submission SET current = 0 WHERE unit_key = ?1",
            [unit_key],
        )?;
        self.conn.execute(
            "INSERT INTO submission VALUES (?1, ?2, ?3, 1)",
            params![unit_key, unit_name, id],
        )?;
        Ok(())
    }

    /// Records what the check of an upload found: its units' names and its counts.
    pub fn set_outcome(
        &self,
        upload_token: &str,
        units: &[String],
        errors: usize,
        warnings: usize,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE upload SET units = ?1, errors = ?2, warnings = ?3 WHERE token = ?4",
            params![
                units.join("、"),
                errors as i64,
                warnings as i64,
                upload_token
            ],
        )?;
        Ok(())
    }

    /// Whether an upload was sent by this browser. A browser without the cookie owns nothing.
    pub fn is_owner(&self, upload_token: &str, submitter: &str) -> Result<bool, StoreError> {
        if submitter.is_empty() {
            return Ok(false);
        }
        let owner: Option<String> = self
            .conn
            .query_row(
                "SELECT submitter FROM upload WHERE token = ?1",
                [upload_token],
                |r| r.get(0),
            )
            .optional()?;
        Ok(owner.is_some_and(|o| !o.is_empty() && o == submitter))
    }

    /// The uploads this browser sent, newest first.
    pub fn uploads_of(&self, submitter: &str) -> Result<Vec<UploadRecord>, StoreError> {
        if submitter.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare(
            "SELECT upload.token, upload.at, upload.units, upload.errors, upload.warnings,
                    (SELECT group_concat(name, '、') FROM file WHERE file.upload = upload.id),
                    EXISTS (SELECT 1 FROM submission WHERE submission.upload = upload.id
                            AND submission.current = 1)
             FROM upload WHERE submitter = ?1 ORDER BY upload.id DESC",
        )?;
        let rows = stmt.query_map([submitter], |r| {
            Ok(UploadRecord {
                token: r.get(0)?,
                at: r.get(1)?,
                units: r.get(2)?,
                errors: r.get::<_, i64>(3)? as usize,
                warnings: r.get::<_, i64>(4)? as usize,
                files: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                current: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The files of an upload, by its token.
    pub fn upload_files(&self, upload_token: &str) -> Result<Vec<StoredFile>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT file.name, file.path FROM file JOIN upload ON upload.id = file.upload
             WHERE upload.token = ?1 ORDER BY file.rowid",
        )?;
        let rows = stmt.query_map([upload_token], |r| {
            Ok(StoredFile {
                name: r.get(0)?,
                path: PathBuf::from(r.get::<_, String>(1)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The files of every unit's current submission, each file once, in upload order.
    pub fn current_files(&self) -> Result<Vec<StoredFile>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT file.name, file.path FROM file
             WHERE file.upload IN (SELECT upload FROM submission WHERE current = 1)
             ORDER BY file.upload, file.rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredFile {
                name: r.get(0)?,
                path: PathBuf::from(r.get::<_, String>(1)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many submissions each unit made (the history), by unit key.
    pub fn history(&self) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT unit_key, MAX(unit_name), COUNT(*) FROM submission GROUP BY unit_key ORDER BY unit_key",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
