//! Text kept on disk until it is written out: a streaming consolidation keeps each project's
//! long texts (its goal and its 绩效指标 cell, by far the largest part of what 汇总表 needs)
//! in an anonymous temporary file rather than in memory, and reads them back when 汇总表 is
//! written. The file is deleted by the system when the process ends, however it ends.

use std::fmt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// Bytes gathered before they are written to the file.
const BUFFER_BYTES: usize = 1 << 20;

/// The temporary file and what is not yet written to it.
pub struct Spill {
    inner: Mutex<Inner>,
}

struct Inner {
    file: File,
    /// Bytes already in the file; the buffer follows them.
    written: u64,
    buffer: Vec<u8>,
}

/// A text put in a [`Spill`]: where it is.
#[derive(Clone)]
pub struct SpilledText {
    spill: Arc<Spill>,
    at: u64,
    len: usize,
}

impl fmt::Debug for SpilledText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpilledText {{ at: {}, len: {} }}", self.at, self.len)
    }
}

impl Spill {
    /// A new spill, in the system's temporary folder.
    ///
    /// # Errors
    /// The temporary file cannot be created.
    pub fn new() -> std::io::Result<Arc<Spill>> {
        Ok(Arc::new(Spill {
            inner: Mutex::new(Inner {
                file: tempfile::tempfile()?,
                written: 0,
                buffer: Vec::with_capacity(BUFFER_BYTES),
            }),
        }))
    }

    /// Keeps a text.
    ///
    /// # Errors
    /// The temporary file cannot be written (a full disk).
    pub fn put(self: &Arc<Spill>, text: &str) -> std::io::Result<SpilledText> {
        self.put_bytes(text.as_bytes())
    }

    /// Keeps bytes (read back with [`SpilledText::read_bytes`]).
    ///
    /// # Errors
    /// As [`Spill::put`].
    pub fn put_bytes(self: &Arc<Spill>, bytes: &[u8]) -> std::io::Result<SpilledText> {
        let mut inner = self.lock();
        let at = inner.written + inner.buffer.len() as u64;
        inner.buffer.extend_from_slice(bytes);
        if inner.buffer.len() >= BUFFER_BYTES {
            inner.flush()?;
        }
        Ok(SpilledText {
            spill: Arc::clone(self),
            at,
            len: bytes.len(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while the lock was held left the file as it was: still readable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Inner {
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.seek(SeekFrom::Start(self.written))?;
        self.file.write_all(&self.buffer)?;
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }
}

impl SpilledText {
    /// The text, read back.
    ///
    /// # Errors
    /// The temporary file cannot be read.
    pub fn read(&self) -> std::io::Result<String> {
        String::from_utf8(self.read_bytes()?)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }

    /// Where the text is in its spill and its length in bytes: with [`SpilledText::beside`],
    /// what a record of it kept in the same spill needs.
    pub fn place(&self) -> (u64, usize) {
        (self.at, self.len)
    }

    /// The spill this text is in.
    pub fn spill(&self) -> &Arc<Spill> {
        &self.spill
    }

    /// The text at `place` (a [`SpilledText::place`]) of the spill this one is in.
    pub fn beside(&self, (at, len): (u64, usize)) -> SpilledText {
        SpilledText {
            spill: Arc::clone(&self.spill),
            at,
            len,
        }
    }

    /// The bytes, read back.
    ///
    /// # Errors
    /// The temporary file cannot be read, or a place given to [`SpilledText::beside`] is
    /// beyond its end.
    pub fn read_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut inner = self.spill.lock();
        // A place read back from damaged bytes may name any length: it must lie within what
        // was kept before any memory is asked for it.
        let kept_len = inner.written + inner.buffer.len() as u64;
        if self.at.saturating_add(self.len as u64) > kept_len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "暂存文件中没有这段内容",
            ));
        }
        let mut bytes = vec![0; self.len];
        if self.at >= inner.written {
            let start = (self.at - inner.written) as usize;
            let kept = inner.buffer.get(start..start + self.len).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "暂存文件中没有这段内容")
            })?;
            bytes.copy_from_slice(kept);
        } else {
            // A text is put whole in the buffer, and the buffer written whole: it is all in
            // the file.
            inner.file.seek(SeekFrom::Start(self.at))?;
            inner.file.read_exact(&mut bytes)?;
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_from_the_buffer_and_from_the_file() {
        let spill = Spill::new().unwrap();
        let first = spill.put("保障社区养老服务中心正常运营").unwrap();
        let empty = spill.put("").unwrap();
        // Past the buffer: written to the file.
        let long = "数量指标；".repeat(BUFFER_BYTES / 10);
        let big = spill.put(&long).unwrap();
        let last = spill.put("最后一段").unwrap();
        assert_eq!(first.read().unwrap(), "保障社区养老服务中心正常运营");
        assert_eq!(empty.read().unwrap(), "");
        assert_eq!(big.read().unwrap(), long);
        assert_eq!(last.read().unwrap(), "最后一段");
        // Clones read the same text; reading twice gives it twice.
        assert_eq!(first.clone().read().unwrap(), first.read().unwrap());
    }

    #[test]
    fn a_place_beyond_what_was_kept_is_an_error_before_any_memory_is_asked() {
        let spill = Spill::new().unwrap();
        let text = spill.put("预算").unwrap();
        // A damaged length (read back from damaged bytes) must not allocate it.
        for place in [(0, usize::MAX / 2), (u64::MAX, 1), (2, 5)] {
            let err = text.beside(place).read_bytes().unwrap_err();
            assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{place:?}");
        }
        assert_eq!(text.beside((0, 3)).read().unwrap(), "预");
    }
}
