// jixiao patch: the temporary file of a constant memory worksheet's rows,
// either as written (the published behaviour) or deflated as it is written
// (`Workbook::set_streamed_compression()`), so that the compression of a large
// sheet is done while the rest of the program runs, rather than all at once
// when the workbook is saved.
//
// The deflating is done by a thread of the row file's own: the thread writing
// the rows only copies their XML into chunks of 256 KiB, and hands each full
// chunk over a bounded channel. At most four chunks wait, so a sheet holds at
// most about six chunks (1.5 MiB) besides its compressor, however many rows
// it has; chunks come back from the compressing thread to be reused.
//
// A deflated row file is a raw deflate stream that ends with a sync flush: its
// last block is not final and ends on a byte boundary. The sheet's part in the
// package is then the start of the sheet's XML deflated on its own and ended by a
// sync flush too, the row file's bytes as they are, and the end of the sheet's
// XML deflated and finished: one valid deflate stream (a sync flush leaves no
// pending bits, and nothing refers back across the joins), whose CRC is the
// three parts' CRCs combined.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use flate2::{Compress, Compression, FlushCompress, Status};

/// An empty final deflate block: BFINAL 1, fixed codes, end of block.
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];

/// The output collected before it is written to the file.
const OUT_CHUNK: usize = 1 << 16;

/// The rows' XML handed to the compressing thread at a time.
const IN_CHUNK: usize = 1 << 18;

/// Chunks that may wait for the compressing thread: what a sheet holds in
/// memory beyond its compressor is at most this many chunks and one more.
const CHUNKS_WAITING: usize = 4;

/// Where a constant memory worksheet's rows are written.
pub(crate) enum RowFile {
    /// The rows' XML as written.
    Plain(File),
    /// The rows' XML deflated as written, on a thread of its own.
    Deflated(Box<Deflating>),
}

/// The writing side of a row file being deflated: the rows' XML is collected
/// in chunks that a thread of the row file's own compresses, so the thread
/// writing the rows only copies them.
pub(crate) struct Deflating {
    pending: Vec<u8>,
    /// Chunks the compressing thread is done with, for reuse.
    spare: Receiver<Vec<u8>>,
    stage: Stage,
}

/// Where a deflated row file is.
enum Stage {
    /// Taking rows: the chunks go to the compressing thread.
    Running {
        chunks: SyncSender<Vec<u8>>,
        compressor: JoinHandle<io::Result<DeflatedRows>>,
    },
    /// The stream ended by a sync flush, for the save to read.
    Ended(EndedRows),
    /// The compressing thread stopped on an error, given back once already.
    Failed,
}

/// A raw deflate stream being written to a file, with the CRC and length of
/// what went in.
pub(crate) struct DeflatedRows {
    file: File,
    compress: Compress,
    out: Vec<u8>,
    crc: crc32fast::Hasher,
    /// Uncompressed bytes written.
    len: u64,
    /// Compressed bytes in the file.
    compressed_len: u64,
}

/// What is kept of a stream once it has ended: its file and its totals. The
/// compressor's state, its output buffer and the chunks are let go.
pub(crate) struct EndedRows {
    file: File,
    crc: crc32fast::Hasher,
    len: u64,
    compressed_len: u64,
}

/// A deflated row file, ended and rewound, for the save to copy as it is.
pub(crate) struct DeflatedPart<'a> {
    pub(crate) file: &'a File,
    pub(crate) crc: crc32fast::Hasher,
    pub(crate) len: u64,
    pub(crate) compressed_len: u64,
}

impl RowFile {
    /// A row file in `file`, deflated at `level` when given.
    ///
    /// # Errors
    /// The compressing thread cannot be started.
    pub(crate) fn new(file: File, deflate_level: Option<u32>) -> io::Result<RowFile> {
        let Some(level) = deflate_level else {
            return Ok(RowFile::Plain(file));
        };
        let rows = DeflatedRows {
            file,
            compress: Compress::new(Compression::new(level), false),
            out: Vec::with_capacity(OUT_CHUNK * 2),
            crc: crc32fast::Hasher::new(),
            len: 0,
            compressed_len: 0,
        };
        let (chunks, to_compress) = sync_channel::<Vec<u8>>(CHUNKS_WAITING);
        let (give_back, spare) = sync_channel::<Vec<u8>>(CHUNKS_WAITING);
        let compressor = std::thread::Builder::new()
            .name("rowfile deflate".to_string())
            .spawn(move || rows.compress_all(&to_compress, &give_back))?;
        Ok(RowFile::Deflated(Box::new(Deflating {
            pending: Vec::with_capacity(IN_CHUNK),
            spare,
            stage: Stage::Running { chunks, compressor },
        })))
    }

    /// The rows' XML from the start, inflated again if it was deflated: for a
    /// save that writes the sheet through the zip writer.
    pub(crate) fn reader(&mut self) -> io::Result<Box<dyn Read + '_>> {
        match self {
            RowFile::Plain(file) => {
                file.rewind()?;
                Ok(Box::new(BufReader::new(&*file)))
            }
            RowFile::Deflated(rows) => {
                let part = rows.end()?;
                // The stream ends with a sync flush: an empty final block
                // (fixed codes, end of block) ends it for the inflater.
                let compressed = BufReader::new(part.file)
                    .take(part.compressed_len)
                    .chain(&FINAL_EMPTY_BLOCK[..]);
                Ok(Box::new(flate2::read::DeflateDecoder::new(compressed)))
            }
        }
    }

    /// The deflated rows, ended by a sync flush and rewound, or `None` for a
    /// plain row file.
    pub(crate) fn deflated(&mut self) -> io::Result<Option<DeflatedPart<'_>>> {
        match self {
            RowFile::Plain(_) => Ok(None),
            RowFile::Deflated(rows) => rows.end().map(Some),
        }
    }
}

impl Deflating {
    /// Hands the collected XML to the compressing thread.
    fn send(&mut self) -> io::Result<()> {
        let Stage::Running { chunks, .. } = &self.stage else {
            return Err(self.closed());
        };
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(IN_CHUNK));
        let chunk = std::mem::replace(&mut self.pending, next);
        if chunks.send(chunk).is_err() {
            // The compressing thread stopped: its error says why.
            return Err(self
                .join()
                .err()
                .unwrap_or_else(|| io::Error::other("the rows' compressing thread stopped")));
        }
        Ok(())
    }

    /// Why no more rows can be taken: the stream has ended and the file been
    /// rewound to be read (rows written now would land over it), or the
    /// compressing thread stopped on an error, given back once already.
    fn closed(&self) -> io::Error {
        if let Stage::Ended(_) = self.stage {
            io::Error::other("rows written after the sheet was saved")
        } else {
            stopped_earlier()
        }
    }

    /// Hangs up on the compressing thread and waits for it to end the stream.
    /// The row file is left failed: the caller keeps the stream it gives.
    fn join(&mut self) -> io::Result<DeflatedRows> {
        let (chunks, compressor) = match std::mem::replace(&mut self.stage, Stage::Failed) {
            Stage::Running { chunks, compressor } => (chunks, compressor),
            stage => {
                self.stage = stage;
                return Err(self.closed());
            }
        };
        drop(chunks);
        compressor
            .join()
            .map_err(|_| io::Error::other("the rows' compressing thread panicked"))?
    }

    /// Ends the stream with a sync flush (once) and rewinds the file.
    fn end(&mut self) -> io::Result<DeflatedPart<'_>> {
        if let Stage::Running { .. } = self.stage {
            if !self.pending.is_empty() {
                self.send()?;
            }
            let rows = self.join()?;
            self.stage = Stage::Ended(EndedRows {
                file: rows.file,
                crc: rows.crc,
                len: rows.len,
                compressed_len: rows.compressed_len,
            });
            // No chunk is sent again: the one being filled and the spare ones go.
            self.pending = Vec::new();
            while self.spare.try_recv().is_ok() {}
        }
        // Not ended here is failed: the error was given back once already.
        let Stage::Ended(rows) = &mut self.stage else {
            return Err(stopped_earlier());
        };
        rows.file.rewind()?;
        Ok(DeflatedPart {
            file: &rows.file,
            crc: rows.crc.clone(),
            len: rows.len,
            compressed_len: rows.compressed_len,
        })
    }
}

/// The error of a row file whose compressing thread stopped on an error that
/// was given back once already.
fn stopped_earlier() -> io::Error {
    io::Error::other("the rows' compressing thread stopped on an earlier error")
}

impl DeflatedRows {
    /// The compressing thread: every chunk in turn, then a sync flush once the
    /// writing side has hung up. Chunks go back for reuse.
    fn compress_all(
        mut self,
        chunks: &Receiver<Vec<u8>>,
        give_back: &SyncSender<Vec<u8>>,
    ) -> io::Result<DeflatedRows> {
        for mut chunk in chunks {
            self.crc.update(&chunk);
            self.len += chunk.len() as u64;
            self.run(&chunk, FlushCompress::None)?;
            chunk.clear();
            let _ = give_back.try_send(chunk);
        }
        self.run(&[], FlushCompress::Sync)?;
        self.drain()?;
        Ok(self)
    }

    /// Compresses `input` with `flush`, writing out what the compressor gives.
    fn run(&mut self, mut input: &[u8], flush: FlushCompress) -> io::Result<()> {
        loop {
            if self.out.capacity() - self.out.len() < OUT_CHUNK {
                self.out.reserve(OUT_CHUNK);
            }
            let before = self.compress.total_in();
            let status = self
                .compress
                .compress_vec(input, &mut self.out, flush)
                .map_err(io::Error::other)?;
            let consumed =
                usize::try_from(self.compress.total_in() - before).map_err(io::Error::other)?;
            input = &input[consumed..];
            // The output space left over means the compressor has given all it
            // had for this input and flush.
            let room_left = self.out.len() < self.out.capacity();
            if self.out.len() >= OUT_CHUNK {
                self.drain()?;
            }
            if input.is_empty() && room_left {
                return Ok(());
            }
            if status == Status::BufError && consumed == 0 && room_left {
                return Err(io::Error::other("deflate made no progress"));
            }
        }
    }

    /// Writes the collected output to the file.
    fn drain(&mut self) -> io::Result<()> {
        self.file.write_all(&self.out)?;
        self.compressed_len += self.out.len() as u64;
        self.out.clear();
        Ok(())
    }
}

impl Write for RowFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            RowFile::Plain(file) => file.write(buf),
            RowFile::Deflated(rows) => {
                if !matches!(rows.stage, Stage::Running { .. }) {
                    return Err(rows.closed());
                }
                // A full chunk goes before it would grow past its capacity,
                // so chunks keep the one size and are reused as they are.
                if !rows.pending.is_empty() && rows.pending.len() + buf.len() > IN_CHUNK {
                    rows.send()?;
                }
                rows.pending.extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            RowFile::Plain(file) => file.flush(),
            // What is collected goes to the compressing thread when a chunk is
            // full or the stream is ended.
            RowFile::Deflated(_) => Ok(()),
        }
    }
}

/// `data` deflated on its own with `flush`: a sync flush for the start of a
/// sheet's part, a finish for its end.
pub(crate) fn deflate_section(
    data: &[u8],
    level: u32,
    flush: FlushCompress,
) -> io::Result<Vec<u8>> {
    let mut compress = Compress::new(Compression::new(level), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let mut input = data;
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(1024));
        }
        let before = compress.total_in();
        let status = compress
            .compress_vec(input, &mut out, flush)
            .map_err(io::Error::other)?;
        let consumed = usize::try_from(compress.total_in() - before).map_err(io::Error::other)?;
        input = &input[consumed..];
        let room_left = out.len() < out.capacity();
        if input.is_empty()
            && (status == Status::StreamEnd || (room_left && flush != FlushCompress::Finish))
        {
            return Ok(out);
        }
    }
}

/// A zip of one deflated entry named `name` in `file`: the sheet's start XML
/// deflated and sync-flushed, its deflated rows, and its end XML deflated and
/// finished, for the save to copy in raw; or `None` when the entry is too large
/// for a zip without ZIP64 fields, for the save to write it through the zip
/// writer instead. The entry is described as the zip writer describes the
/// package's other parts (made on Unix, mode 0600, dated 1980-01-01), so its
/// copy is too.
pub(crate) fn one_entry_zip(
    file: File,
    name: &str,
    start_xml: &[u8],
    rows: DeflatedPart<'_>,
    end_xml: &[u8],
    level: u32,
) -> io::Result<Option<File>> {
    let start = deflate_section(start_xml, level, FlushCompress::Sync)?;
    let end = deflate_section(end_xml, level, FlushCompress::Finish)?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(start_xml);
    crc.combine(&rows.crc);
    crc.update(end_xml);
    let crc = crc.finalize();
    let size = start_xml.len() as u64 + rows.len + end_xml.len() as u64;
    let compressed = start.len() as u64 + rows.compressed_len + end.len() as u64;
    let (Ok(size), Ok(compressed)) = (u32::try_from(size), u32::try_from(compressed)) else {
        return Ok(None);
    };
    // ZIP64 takes over at 0xFFFFFFFF itself.
    if size == u32::MAX || compressed == u32::MAX {
        return Ok(None);
    }
    let name = name.as_bytes();
    let name_len = u16::try_from(name.len()).map_err(io::Error::other)?;
    // Version 2.0, no flags, deflated, 00:00:00 on 1980-01-01.
    let mut common = Vec::with_capacity(26);
    common.extend_from_slice(&20u16.to_le_bytes());
    common.extend_from_slice(&0u16.to_le_bytes());
    common.extend_from_slice(&8u16.to_le_bytes());
    common.extend_from_slice(&0u16.to_le_bytes());
    common.extend_from_slice(&0x21u16.to_le_bytes());
    common.extend_from_slice(&crc.to_le_bytes());
    common.extend_from_slice(&compressed.to_le_bytes());
    common.extend_from_slice(&size.to_le_bytes());
    common.extend_from_slice(&name_len.to_le_bytes());
    common.extend_from_slice(&0u16.to_le_bytes());

    let mut out = io::BufWriter::new(file);
    out.write_all(&0x0403_4b50u32.to_le_bytes())?;
    out.write_all(&common)?;
    out.write_all(name)?;
    out.write_all(&start)?;
    io::copy(
        &mut BufReader::new(rows.file).take(rows.compressed_len),
        &mut out,
    )?;
    out.write_all(&end)?;
    let local_len = 30 + u64::from(name_len) + u64::from(compressed);
    let Ok(directory_offset) = u32::try_from(local_len) else {
        return Ok(None);
    };

    let mut directory = Vec::with_capacity(46 + name.len());
    directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    // Made by: Unix, version 2.0.
    directory.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes());
    directory.extend_from_slice(&common);
    // No comment, disk 0, no internal attributes.
    directory.extend_from_slice(&[0; 6]);
    // A regular file, mode 0600.
    directory.extend_from_slice(&((0o100_600u32) << 16).to_le_bytes());
    // The local header's offset.
    directory.extend_from_slice(&0u32.to_le_bytes());
    directory.extend_from_slice(name);
    let directory_len = u32::try_from(directory.len()).map_err(io::Error::other)?;
    out.write_all(&directory)?;

    out.write_all(&0x0605_4b50u32.to_le_bytes())?;
    out.write_all(&[0; 4])?;
    out.write_all(&1u16.to_le_bytes())?;
    out.write_all(&1u16.to_le_bytes())?;
    out.write_all(&directory_len.to_le_bytes())?;
    out.write_all(&directory_offset.to_le_bytes())?;
    out.write_all(&0u16.to_le_bytes())?;

    let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.rewind()?;
    Ok(Some(file))
}
