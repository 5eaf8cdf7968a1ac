//! The JSON report (`check --format json`, `consolidate --json FILE`): summary, files with their
//! units, and every issue. Amounts are decimal strings in the form's money unit.

use std::ops::Range;

use serde::Serialize;

use crate::base::form::Form;
use crate::base::model::{FileStatus, LayoutKind, NameSource, Submission, Table};
use crate::base::park::TablesBack;
use crate::base::taxonomy::Scheme;
use crate::consolidate::{chunk_ranges, unit_total, Consolidation};

/// Why a file's issues could not be rendered: the serializer's error, or a read.
enum Failed {
    Serialize(serde_json::Error),
    Read(std::io::Error),
}

impl Failed {
    fn into_error(self) -> serde_json::Error {
        match self {
            Failed::Serialize(e) => e,
            Failed::Read(e) => serde_json::Error::io(e),
        }
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Failed {
        Failed::Read(e)
    }
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    status: FileStatus,
    layout: Option<LayoutKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    units: Vec<UnitEntry<'a>>,
}

#[derive(Serialize)]
struct UnitEntry<'a> {
    name: &'a str,
    /// The code written with the name ("820001"), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    /// 主管部门, where the form names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    name_source: NameSource,
    /// Which indicator scheme the unit's indicators follow, when they show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme: Option<Scheme>,
    sheet: Option<&'a str>,
    projects: usize,
    indicators: usize,
    #[serde(serialize_with = "crate::base::text::serialize_money")]
    total: rust_decimal::Decimal,
}

/// Files whose entries (or issues) one task renders.
const FILES_PER_CHUNK: usize = 16;
/// Chunks rendered at once, per thread, before they are written in order.
const CHUNKS_PER_THREAD: usize = 2;

/// Writes the report as pretty JSON: `{"summary", "files", "issues"}`. Each file's entry and
/// issues are rendered on every core, a few chunks of files at a time, and written in order by a
/// thread of its own while the next chunks are rendered (never the whole text in memory). The
/// bytes are those `serde_json::to_writer_pretty` gives for the whole report.
///
/// # Errors
/// Writing failed, or a parked file's tables or issues could not be read back.
pub fn write_json(
    form: &Form,
    c: &Consolidation,
    out: impl std::io::Write + Send,
) -> Result<(), serde_json::Error> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> std::io::Result<()> {
            let mut out = out;
            for bytes in receiver {
                out.write_all(&bytes)?;
            }
            out.flush()
        });
        let rendered = render_parts(form, c, &|bytes| sender.send(bytes).is_ok());
        drop(sender);
        // A failed write ends the writer, and with it the channel: its error is the one to tell.
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        written.map_err(serde_json::Error::io)?;
        rendered
    })
}

/// Renders the report's parts in order into `send`; stops quietly when `send` says the writer
/// has gone (its error is told by the writer).
fn render_parts(
    form: &Form,
    c: &Consolidation,
    send: &dyn Fn(Vec<u8>) -> bool,
) -> Result<(), serde_json::Error> {
    let mut head = b"{\n  \"summary\": ".to_vec();
    push_indented(&mut head, &c.summary, 1)?;
    head.extend_from_slice(b",\n  \"files\": [");
    if !send(head) {
        return Ok(());
    }
    let sized = SizeHint::default();
    let entries = |range: Range<usize>| -> Result<Vec<u8>, serde_json::Error> {
        let mut bytes = sized.buffer();
        for f in &c.files[range] {
            let tables = f.tables_back().map_err(serde_json::Error::io)?;
            push_element(&mut bytes, &file_entry(form, f, &tables))?;
        }
        Ok(sized.seen(bytes))
    };
    let Some(any) = render_chunks(c.files.len(), &entries, send)? else {
        return Ok(());
    };
    let mut middle = close_array(any);
    middle.extend_from_slice(b",\n  \"issues\": [");
    if !send(middle) {
        return Ok(());
    }
    let starts = c.held_starts();
    let sized = SizeHint::default();
    let issues = |range: Range<usize>| -> Result<Vec<u8>, serde_json::Error> {
        let mut bytes = sized.buffer();
        for file in range {
            c.each_issue_of_file(file, &starts, None, |issue| {
                push_element(&mut bytes, issue).map_err(Failed::Serialize)
            })
            .map_err(Failed::into_error)?;
        }
        Ok(sized.seen(bytes))
    };
    let Some(mut any) = render_chunks(c.files.len(), &issues, send)? else {
        return Ok(());
    };
    let mut tail = Vec::new();
    for issue in c.trailing_issues() {
        push_element(&mut tail, issue)?;
    }
    let mut end = first_element(tail, &mut any);
    end.extend_from_slice(&close_array(any));
    end.extend_from_slice(b"\n}\n");
    send(end);
    Ok(())
}

/// The room a chunk's buffer starts with: the largest chunk rendered so far (up to
/// [`MOST_ROOM`]), so that a chunk's bytes are not moved at each doubling as they grow (a tenth
/// of rendering the issues).
#[derive(Default)]
struct SizeHint(std::sync::atomic::AtomicUsize);

/// The most room a chunk's buffer is given at the start: one file of many issues must not make
/// every later chunk take as much.
const MOST_ROOM: usize = 256 * 1024;

impl SizeHint {
    fn buffer(&self) -> Vec<u8> {
        let room = self.0.load(std::sync::atomic::Ordering::Relaxed);
        Vec::with_capacity(room.min(MOST_ROOM))
    }

    fn seen(&self, bytes: Vec<u8>) -> Vec<u8> {
        self.0
            .fetch_max(bytes.len(), std::sync::atomic::Ordering::Relaxed);
        bytes
    }
}

/// Renders the elements of `count` files by chunks of [`FILES_PER_CHUNK`] on every core and
/// sends them in order. Whether any element was sent; `None` when the writer has gone.
fn render_chunks(
    count: usize,
    render: &(dyn Fn(Range<usize>) -> Result<Vec<u8>, serde_json::Error> + Sync),
    send: &dyn Fn(Vec<u8>) -> bool,
) -> Result<Option<bool>, serde_json::Error> {
    use rayon::prelude::*;
    let ranges: Vec<Range<usize>> = chunk_ranges(count, FILES_PER_CHUNK).collect();
    let mut any = false;
    let batch = rayon::current_num_threads() * CHUNKS_PER_THREAD;
    for group in ranges.chunks(batch) {
        let rendered: Vec<Vec<u8>> = group
            .par_iter()
            .map(|range| render(range.clone()))
            .collect::<Result<_, _>>()?;
        for bytes in rendered {
            if !bytes.is_empty() && !send(first_element(bytes, &mut any)) {
                return Ok(None);
            }
        }
    }
    Ok(Some(any))
}

/// Appends one array element as the pretty writer puts it at depth 2: a comma, a line break and
/// four spaces, then the value with each of its lines indented to match.
fn push_element(bytes: &mut Vec<u8>, value: &impl Serialize) -> Result<(), serde_json::Error> {
    bytes.extend_from_slice(b",\n    ");
    push_indented(bytes, value, 2)
}

/// Appends a value as `serde_json::to_vec_pretty` renders it, but as if nested at `depth`:
/// written in place, where rendering it apart and indenting a copy took a fifth of the report.
fn push_indented(
    bytes: &mut Vec<u8>,
    value: &impl Serialize,
    depth: usize,
) -> Result<(), serde_json::Error> {
    let formatter = Indented {
        depth,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(
        bytes, formatter,
    ))
}

/// serde_json's `PrettyFormatter` (two spaces), starting at a depth of its own: its methods are
/// that formatter's.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn next<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Rendered elements; the first of the array loses its leading comma. `any` is set once an
/// element has been given.
fn first_element(mut bytes: Vec<u8>, any: &mut bool) -> Vec<u8> {
    if !*any && !bytes.is_empty() {
        bytes.remove(0);
    }
    *any |= !bytes.is_empty();
    bytes
}

/// The end of an array: on a line of its own at depth 1 when it holds anything.
fn close_array(any: bool) -> Vec<u8> {
    if any {
        b"\n  ]".to_vec()
    } else {
        b"]".to_vec()
    }
}

/// A file's entry of the report.
fn file_entry<'a>(form: &Form, f: &'a Submission, tables: &'a [Table]) -> FileEntry<'a> {
    FileEntry {
        path: &f.display,
        status: f.status,
        layout: f.layout(),
        note: f.note.as_deref(),
        units: tables
            .iter()
            .flat_map(|t| t.units.iter().map(move |u| (t, u)))
            .map(|(t, u)| UnitEntry {
                name: &u.name,
                code: u.code.as_deref(),
                department: u.department.as_deref(),
                name_source: u.name_source,
                scheme: form.taxonomy.scheme_of_unit(u),
                sheet: t.sheet.as_deref(),
                projects: u.project_count(),
                indicators: u.indicator_count(),
                total: unit_total(form, u),
            })
            .collect(),
    }
}

/// The JSON report as text (see [`write_json`]).
///
/// # Errors
/// Serialization failed (not expected: every value is plain data).
pub fn render_json(form: &Form, c: &Consolidation) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    write_json(form, c, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::issue::{Issue, Place, Rule};
    use crate::base::model::Submission;
    use crate::check::tests::{project, table};
    use crate::consolidate::{consolidate, Summary};
    use crate::discover::Discovery;

    /// The report as one serde value: what [`write_json`] must give byte for byte.
    #[derive(Serialize)]
    struct Whole<'a> {
        summary: &'a Summary,
        files: Vec<FileEntry<'a>>,
        issues: Vec<Issue>,
    }

    fn whole_report(form: &Form, c: &Consolidation) -> Vec<u8> {
        let tables: Vec<_> = c.files.iter().map(|f| f.tables_back().unwrap()).collect();
        let mut issues = Vec::new();
        c.each_issue::<std::io::Error>(None, |i| {
            issues.push(i.clone());
            Ok(())
        })
        .unwrap();
        let whole = Whole {
            summary: &c.summary,
            files: c
                .files
                .iter()
                .zip(&tables)
                .map(|(f, t)| file_entry(form, f, t))
                .collect(),
            issues,
        };
        let mut bytes = serde_json::to_vec_pretty(&whole).unwrap();
        bytes.push(b'\n');
        bytes
    }

    fn issue(rule: Rule, file: &str, row: u32) -> Issue {
        let place = Place {
            file: file.to_string(),
            sheet: Some("Sheet1".into()),
            row: Some(row),
            col: None,
        };
        Issue::new(rule, place, format!("第 {row} 行：\"引号\"\n换行"))
    }

    /// `n` files: every third without issues, every fifth with its infos parked.
    fn files(n: usize, spill: &std::sync::Arc<crate::base::spill::Spill>) -> Vec<Submission> {
        (0..n)
            .map(|i| {
                let path = format!("{i:05}.xlsx");
                let issues = match i % 3 {
                    0 => Vec::new(),
                    k => (0..k as u32 * 2)
                        .map(|r| {
                            let rule = if r % 2 == 0 {
                                Rule::MissingCostIndicator
                            } else {
                                Rule::SumMismatch
                            };
                            issue(rule, &path, 7 + r)
                        })
                        .collect(),
                };
                let mut t = table(vec![project("道路养护", &["1", "1"])]);
                t.units[0].name = format!("单位{i}");
                let mut sub = Submission::empty(
                    std::path::Path::new(&path),
                    &path,
                    FileStatus::of(&issues),
                    issues,
                );
                sub.tables.push(t);
                if i % 5 == 0 {
                    crate::base::park::park_infos(&mut sub, spill).unwrap();
                }
                sub
            })
            .collect()
    }

    // The report is rendered by chunks of files on every core and written by another thread:
    // its bytes are those of the whole report serialized at once, over several batches of
    // chunks, with parked infos, files without issues, and issues after the files'.
    #[test]
    fn the_report_rendered_by_chunks_is_the_whole_report() {
        let form = Form::default_form();
        let spill = crate::base::spill::Spill::new().unwrap();
        let n = FILES_PER_CHUNK * CHUNKS_PER_THREAD * rayon::current_num_threads() * 2 + 37;
        let mut c = consolidate(&form, files(n, &spill), &Discovery::default(), None);
        c.issues
            .push(issue(Rule::MissingSubmission, "名单.xlsx", 3));
        let mut ours = Vec::new();
        write_json(&form, &c, &mut ours).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(whole_report(&form, &c)).unwrap()
        );
        // No issue at all, and no file at all: empty arrays as the pretty writer writes them.
        let quiet = consolidate(
            &form,
            files(3, &spill).into_iter().step_by(3).collect(),
            &Discovery::default(),
            None,
        );
        let none = consolidate(&form, Vec::new(), &Discovery::default(), None);
        for c in [quiet, none] {
            let json = render_json(&form, &c).unwrap();
            assert!(json.contains("\"issues\": []"), "{json}");
            assert_eq!(json.into_bytes(), whole_report(&form, &c));
        }
    }

    /// Takes `room` bytes, then fails.
    struct Full {
        room: usize,
    }

    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "满了"));
            }
            self.room -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // A writer that fails (a full disk, a closed pipe) stops the rendering and is told.
    #[test]
    fn a_failed_write_is_told() {
        let form = Form::default_form();
        let spill = crate::base::spill::Spill::new().unwrap();
        let c = consolidate(&form, files(2_000, &spill), &Discovery::default(), None);
        for room in [0, 100, 100_000] {
            let err = write_json(&form, &c, Full { room }).unwrap_err();
            assert!(err.to_string().contains("满了"), "{err}");
        }
    }
}
