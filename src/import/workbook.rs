//! Reading workbooks (.xlsx, .xls, .ods) with calamine: cells become the text a CSV export of
//! the same sheet would hold, so that everything after the reader treats workbooks and CSV
//! alike. Numbers become their digits (`17747126970`, not `17747126970.0`); a number too long
//! for Excel's 15 significant digits (an 18-digit 身份证号 typed into a General cell) becomes
//! Excel's scientific display (`1.40106E+17`), which validation refuses with the fix; date
//! cells become `YYYY-MM-DD` (both the 1900 and the 1904 date system); a date cell before
//! 1900-03-01 stays a day number, which validation refuses.
//!
//! `.xlsx` sheets are streamed row by row (a reader thread sends batches of rows through a
//! bounded channel); `.xls` and `.ods` sheets are read whole, as calamine reads them. Readers
//! never see the database.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::{Context, Result, bail};
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};
use rust_i18n::t;

use super::limits;
use super::read::RawRow;

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Office Open XML (Excel 2007 and later, WPS).
    Xlsx,
    /// Excel 97–2003 binary.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, WPS).
    Ods,
}

impl WorkbookKind {
    /// Recognizes a workbook by its first bytes and file name: a zip (`PK`) named `.ods` is
    /// OpenDocument, any other zip is taken for `.xlsx`; the OLE header (`D0 CF 11 E0`) is
    /// `.xls`. `None` for anything else (text).
    pub fn sniff(name: &str, magic: &[u8]) -> Option<Self> {
        let lower = name.to_lowercase();
        if magic.starts_with(b"PK\x03\x04") {
            Some(if lower.ends_with(".ods") {
                Self::Ods
            } else {
                Self::Xlsx
            })
        } else if magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Some(Self::Xls)
        } else {
            None
        }
    }

    /// Short name stored with the import batch.
    pub fn code(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
        }
    }
}

/// Rows of one sheet of a workbook.
pub struct WorkbookRows {
    /// The sheet read.
    pub sheet: String,
    /// True when the workbook counts days from 1904 (old Mac Excel): bare day numbers in it
    /// are read in that system.
    pub date1904: bool,
    /// The workbook's kind.
    pub kind: WorkbookKind,
    source: RowSource,
}

enum RowSource {
    /// A reader thread sends batches of rows.
    Stream {
        rx: Receiver<Result<Vec<RawRow>>>,
        buf: VecDeque<RawRow>,
    },
    /// A whole sheet, read.
    Loaded(std::vec::IntoIter<RawRow>),
}

impl Iterator for WorkbookRows {
    type Item = Result<RawRow>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            RowSource::Loaded(rows) => rows.next().map(Ok),
            RowSource::Stream { rx, buf } => loop {
                if let Some(r) = buf.pop_front() {
                    return Some(Ok(r));
                }
                match rx.recv() {
                    Ok(Ok(batch)) => buf.extend(batch),
                    Ok(Err(e)) => return Some(Err(e)),
                    Err(_) => return None,
                }
            },
        }
    }
}

/// What the first rows of a sheet say of the register being imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognised {
    /// Its header.
    Yes,
    /// A header of the register that cannot be used — a required column missing …: the
    /// reason without its fix (`第2行: 没有“所属街道”列`), and the fields missing.
    Unusable(String, Vec<crate::model::Field>),
    /// No header of the register.
    No,
}

/// Rows sent from the sheet reader at a time.
const BATCH: usize = 1024;

/// How many rows of each sheet are looked at to find the register's header (more when
/// `--header-row` points further down).
const PROBE_ROWS: usize = super::header::HEAD_ROWS;

/// Opens a sheet of a workbook. `sheet` is a name or a 1-based position; without it, the
/// only sheet, or the sheet whose first `probe_rows` rows `recognised` accepts (a header of
/// the register being imported).
///
/// Errors: the file cannot be read as a workbook; the named sheet does not exist (the sheets
/// are listed); no sheet, or several, hold a recognised header (listed, with `--sheet`).
pub fn open(
    path: &Path,
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    let file = || {
        File::open(path)
            .map(BufReader::new)
            .map_err(crate::db::worded_io)
            .with_context(|| t!("import.cannot_open", file = path.display()).into_owned())
    };
    open_with(path, &file, kind, sheet, probe_rows, recognised)
}

/// Opens a sheet of a workbook held in memory, as [`open`] does a file; `name` names it in
/// messages. For checks that never touch the file system (the fuzz target).
///
/// Errors: as [`open`].
pub fn open_bytes(
    name: &Path,
    bytes: &[u8],
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    let file = || Ok(Cursor::new(bytes.to_vec()));
    open_with(name, &file, kind, sheet, probe_rows, recognised)
}

/// [`open`] over any source of the workbook's bytes: `file` opens it afresh (calamine may
/// need to read it twice, to tell an OpenDocument file named .xlsx).
fn open_with<R: Read + Seek + Send + 'static>(
    path: &Path,
    file: &dyn Fn() -> Result<R>,
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    caught(|| open_unguarded(path, file, kind, sheet, probe_rows, recognised)).unwrap_or_else(
        || {
            bail!(
                "{}",
                t!(
                    "import.book.damaged",
                    file = path.display(),
                    kind = kind.code()
                )
            )
        },
    )
}

thread_local! {
    /// True while calamine reads a workbook on this thread (see [`reading_workbook`]).
    static READING: Cell<bool> = const { Cell::new(false) };
}

/// True while this thread is inside calamine reading a workbook. calamine panics on some
/// damaged `.xls` files (a length field larger than its record, found by the property test
/// `damaged_xls_is_counts_or_a_refusal`); those panics are caught and reported as a damaged
/// workbook, so a panic hook should print nothing for them.
pub fn reading_workbook() -> bool {
    READING.with(Cell::get)
}

/// Runs `f` (calamine on a workbook); `None` if it panicked.
fn caught<T>(f: impl FnOnce() -> T) -> Option<T> {
    let was = READING.with(|r| r.replace(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    READING.with(|r| r.set(was));
    out
}

/// [`open_with`] without catching calamine's panics.
fn open_unguarded<R: Read + Seek + Send + 'static>(
    path: &Path,
    file: &dyn Fn() -> Result<R>,
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    let probe_rows = probe_rows.max(PROBE_ROWS);
    // A zipped workbook's parts are bounded before calamine inflates any of them.
    let merged = match kind {
        WorkbookKind::Xls => false,
        WorkbookKind::Xlsx | WorkbookKind::Ods => scan_parts(path, file()?)?,
    };
    match kind {
        WorkbookKind::Xlsx => open_xlsx(path, file, merged, sheet, probe_rows, recognised),
        WorkbookKind::Xls | WorkbookKind::Ods => {
            open_loaded(path, file, kind, sheet, probe_rows, recognised)
        }
    }
}

/// The workbook at `path` failed calamine as `kind`: cut short (`truncated`: its zip package
/// is incomplete, or reading ran past its end) or otherwise damaged, in the program's words —
/// calamine's own text is English and names its parser's states, which no user can act on.
fn calamine_failed(path: &Path, kind: WorkbookKind, truncated: bool) -> anyhow::Error {
    let key = if truncated {
        "import.book.truncated"
    } else {
        "import.book.damaged"
    };
    anyhow::anyhow!("{}", t!(key, file = path.display(), kind = kind.code()))
}

/// True when calamine's failure on an .xlsx means the file is cut short.
fn xlsx_truncated(e: &calamine::XlsxError) -> bool {
    matches!(e, calamine::XlsxError::Zip(_) | calamine::XlsxError::Io(_))
}

/// Opens an `.xlsx` (or an OpenDocument file so named): the sheet is chosen on its first
/// rows, then streamed by a thread of its own.
fn open_xlsx<R: Read + Seek + Send + 'static>(
    path: &Path,
    file: &dyn Fn() -> Result<R>,
    merged: bool,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    let kind = WorkbookKind::Xlsx;
    let unreadable = |e: &calamine::XlsxError| calamine_failed(path, kind, xlsx_truncated(e));
    let mut wb: Xlsx<_> = match Xlsx::new(file()?) {
        Ok(wb) => wb,
        // An OpenDocument file named .xlsx: read it as what it is.
        Err(e) => {
            return match Ods::new(file()?) {
                Ok(_) => open_loaded(path, file, WorkbookKind::Ods, sheet, probe_rows, recognised),
                Err(_) => Err(unreadable(&e)),
            };
        }
    };
    let names = visible_first(wb.sheets_metadata());
    let date1904 = wb.has_1904_epoch();
    // calamine reads a sheet's merged cells by parsing the whole sheet (they follow its
    // rows): each sheet's are read once, for the probe and the stream alike, and not at all
    // when no part of the file mentions merged cells (most registers; see [`scan_parts`]).
    let mut read_merges: HashMap<String, Vec<calamine::Dimensions>> = HashMap::new();
    let mut merges = |wb: &mut Xlsx<_>, name: &str| -> Vec<calamine::Dimensions> {
        if !merged {
            return Vec::new();
        }
        read_merges
            .entry(name.to_string())
            .or_insert_with(|| wb.merge_cells_by_sheet_name(name).unwrap_or_default())
            .clone()
    };
    let chosen = choose(
        path,
        &names,
        sheet,
        &mut |name| {
            let mut rows = Vec::new();
            let m = merges(&mut wb, name);
            let mut cells = wb
                .worksheet_cells_reader(name)
                .map_err(|e| unreadable(&e))?;
            collect_rows(&mut cells, date1904, &m, Some(probe_rows), &mut |r| {
                rows.push(r);
                Ok(true)
            })
            // Named as the import names the sheet once chosen: `workers.xlsx[台账]`.
            .with_context(|| format!("{}[{}]", path.display(), crate::model::for_message(name)))?;
            Ok(rows)
        },
        recognised,
    )?;
    let (tx, rx) = sync_channel::<Result<Vec<RawRow>>>(4);
    let sheet_name = chosen.clone();
    let sheet_merges = merges(&mut wb, &chosen);
    std::thread::Builder::new()
        .name("nuanfeng-sheet".into())
        .spawn(move || {
            // A panic inside calamine must not end the sheet early in silence (the
            // import would take it for the last row): it is sent as an error.
            let failed = tx.clone();
            if caught(move || stream_sheet(wb, &sheet_name, date1904, &sheet_merges, tx)).is_none()
            {
                let _ = failed.send(Err(damaged(t!("import.book.calamine_stopped"))));
            }
        })
        .with_context(|| t!("import.book.reader_not_started").into_owned())?;
    Ok(WorkbookRows {
        sheet: chosen,
        date1904,
        kind,
        source: RowSource::Stream {
            rx,
            buf: VecDeque::new(),
        },
    })
}

/// Looks through every part of a zipped workbook (.xlsx or .ods) before calamine parses it,
/// inflating each through a buffer of fixed size:
/// - no part may inflate beyond [`limits::MAX_PART_BYTES`], by the size the zip declares
///   (refused before anything is inflated) or by the bytes it actually inflates to (a zip may
///   declare less than it holds): calamine would hold a sheet's cell, the shared strings or an
///   .ods's `content.xml` whole; nor all parts together beyond
///   [`limits::MAX_BOOK_INFLATED_BYTES`];
/// - no part holding cells (a sheet, the shared strings, `content.xml`) may hold a run of text
///   longer than [`limits::MAX_TEXT_RUN_BYTES`] between two marks of markup: a cell far beyond
///   Excel's 32,767 characters, which the XML reader would hold whole;
/// - no .ods sheet may spread beyond Excel's rows or columns, nor over more than
///   [`limits::MAX_ODS_CELLS`] cells up to its last cell holding something; no .xlsx may hold
///   more than [`limits::MAX_SHARED_STRINGS`] shared strings or [`limits::MAX_CELL_FORMATS`]
///   cell formats (counted by [`Tally`]): what calamine would allocate for, gigabytes from a
///   file of a few hundred bytes;
/// - and whether some part may hold merged cells (the text `mergeCell`; a sheet's merged cells
///   follow all its rows, and calamine reads them by parsing the whole sheet).
///
/// `size` is the workbook's size in bytes, for the message. A file that is no zip, or a part
/// that cannot be inflated (damaged, encrypted), is left to calamine, which names the damage;
/// merged cells are then read as before.
///
/// Errors: a part beyond a limit (the part, the limit and the workbook's size named).
fn scan_parts<R: Read + Seek>(path: &Path, mut file: R) -> Result<bool> {
    const NEEDLE: &[u8] = b"mergeCell";
    let size = file.seek(std::io::SeekFrom::End(0)).unwrap_or(0);
    let _ = file.rewind();
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return Ok(true);
    };
    // The part inflates to `inflated` by its declaration, or past the limit as read.
    let refuse = |part: &str, inflated: Option<u64>| -> anyhow::Error {
        let limit = limits::size(limits::MAX_PART_BYTES);
        let part = crate::model::for_message(part);
        let size = limits::size(size);
        anyhow::anyhow!(
            "{}",
            match inflated {
                Some(n) => t!(
                    "limits.part_declared",
                    file = path.display(),
                    part = part,
                    inflated = limits::size(n),
                    limit = limit,
                    size = size
                ),
                None => t!(
                    "limits.part_inflated",
                    file = path.display(),
                    part = part,
                    limit = limit,
                    size = size
                ),
            }
        )
    };
    let whole = || {
        anyhow::anyhow!(
            "{}",
            t!(
                "limits.book_inflated",
                file = path.display(),
                limit = limits::size(limits::MAX_BOOK_INFLATED_BYTES),
                size = limits::size(size)
            )
        )
    };
    // The sizes the zip declares, before anything is inflated.
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        if part.size() > limits::MAX_PART_BYTES {
            let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(refuse(&name, Some(part.size())));
        }
        declared = declared.saturating_add(part.size());
        if declared > limits::MAX_BOOK_INFLATED_BYTES {
            return Err(whole());
        }
    }
    let mut total: u64 = 0;
    let finder = memchr::memmem::Finder::new(NEEDLE);
    let mut merges = false;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        // Inflated here, not by the zip reader: the bytes a part really holds are counted
        // against the size it declares (a part holding more is a bomb dressed as a small
        // one); its checksum is calamine's to check.
        let Ok(raw) = zip.by_index_raw(i) else {
            merges = true;
            continue;
        };
        let name = raw.name().map(|n| n.into_owned()).unwrap_or_default();
        let declared_size = raw.size();
        let mut part: Box<dyn Read + '_> = match raw.compression() {
            zip::CompressionMethod::Stored => Box::new(raw),
            zip::CompressionMethod::Deflated => Box::new(flate2::read::DeflateDecoder::new(raw)),
            // Another method: calamine reads or refuses it.
            _ => {
                merges = true;
                continue;
            }
        };
        let cells = name.starts_with("xl/worksheets/")
            || name == "xl/sharedStrings.xml"
            || name == "content.xml";
        let mut tally = Tally::for_part(&name);
        let mut inflated: u64 = 0;
        // Bytes of text since the last `<` or `>`, carried across reads.
        let mut run: usize = 0;
        // The last bytes of each read are kept before the next, so that a needle across
        // two reads is found.
        let mut kept = 0;
        loop {
            let n = match part.read(&mut buf[kept..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => {
                    merges = true;
                    break;
                }
            };
            inflated += n as u64;
            if inflated > declared_size {
                return Err(anyhow::anyhow!(
                    "{}",
                    t!(
                        "limits.part_lies",
                        file = path.display(),
                        part = crate::model::for_message(&name),
                        declared = limits::size(declared_size)
                    )
                ));
            }
            total += n as u64;
            if inflated > limits::MAX_PART_BYTES {
                return Err(refuse(&name, None));
            }
            if total > limits::MAX_BOOK_INFLATED_BYTES {
                return Err(whole());
            }
            let end = kept + n;
            let fresh = &buf[kept..end];
            if cells {
                match memchr::memrchr2(b'<', b'>', fresh) {
                    Some(last) => {
                        // Runs inside the read: between consecutive marks.
                        let mut from = 0;
                        let mut longest = run;
                        for at in memchr::memchr2_iter(b'<', b'>', fresh) {
                            longest = longest.max(run + at - from);
                            run = 0;
                            from = at + 1;
                        }
                        run = fresh.len() - last - 1;
                        longest = longest.max(run);
                        if longest > limits::MAX_TEXT_RUN_BYTES {
                            return Err(text_run(path, &name));
                        }
                    }
                    None => {
                        run += fresh.len();
                        if run > limits::MAX_TEXT_RUN_BYTES {
                            return Err(text_run(path, &name));
                        }
                    }
                }
            }
            if let Some(tally) = tally.as_mut() {
                tally.feed(path, fresh)?;
            }
            if !merges && finder.find(&buf[..end]).is_some() {
                merges = true;
            }
            let from = end.saturating_sub(NEEDLE.len() - 1);
            buf.copy_within(from..end, 0);
            kept = end - from;
        }
    }
    Ok(merges)
}

/// What [`Tally`] counts in a part.
enum Counted {
    /// `content.xml` of an .ods: rows, columns and the cells holding something, a sheet at a
    /// time.
    Ods {
        /// Rows of the sheet so far (repeats expanded).
        rows: u64,
        /// The repeats of the row being read.
        repeat: u64,
        /// Columns of the row being read so far.
        columns: u64,
        /// The column after the last cell of the row being read that holds something (0: none).
        held_end: u64,
        /// The row after the last row of the sheet holding something, and the widest such row.
        last_row: u64,
        widest: u64,
        /// The column after the cell open without a value type, until an element inside it
        /// (`<text:p>`, a note) shows it holds something or it closes empty.
        open_cell: Option<u64>,
    },
    /// `xl/sharedStrings.xml`: the `<si>` elements.
    Strings(u64),
    /// `xl/styles.xml`: the `<xf>` elements inside `<cellXfs>`.
    Formats { inside: bool, count: u64 },
}

/// Counts the elements of a part of a zipped workbook as it is inflated, a read at a time,
/// in time linear in its bytes and memory bounded by the longest tag (held to
/// [`limits::MAX_TEXT_RUN_BYTES`]): what calamine would allocate for, refused before it does
/// ([`limits::MAX_ODS_CELLS`], [`limits::MAX_SHARED_STRINGS`], [`limits::MAX_CELL_FORMATS`],
/// and Excel's rows and columns of a sheet for an .ods). Tags are told apart by their local
/// names (any namespace prefix dropped); markup inside quoted attribute values is skipped.
struct Tally {
    counted: Counted,
    /// The tag being read (after its `<`), when inside one.
    tag: Vec<u8>,
    inside: bool,
    /// The quote of the attribute value being read inside a tag, if any.
    quote: Option<u8>,
}

impl Tally {
    /// The tally for the part named `name`, if it is one counted.
    fn for_part(name: &str) -> Option<Tally> {
        let counted = match name {
            "content.xml" => Counted::Ods {
                rows: 0,
                repeat: 1,
                columns: 0,
                held_end: 0,
                last_row: 0,
                widest: 0,
                open_cell: None,
            },
            "xl/sharedStrings.xml" => Counted::Strings(0),
            "xl/styles.xml" => Counted::Formats {
                inside: false,
                count: 0,
            },
            _ => return None,
        };
        Some(Tally {
            counted,
            tag: Vec::new(),
            inside: false,
            quote: None,
        })
    }

    /// Reads the next bytes of the part.
    ///
    /// Errors: a count beyond its limit (the workbook `path` named).
    fn feed(&mut self, path: &Path, mut bytes: &[u8]) -> Result<()> {
        while !bytes.is_empty() {
            if !self.inside {
                match memchr::memchr(b'<', bytes) {
                    Some(at) => {
                        self.inside = true;
                        self.tag.clear();
                        bytes = &bytes[at + 1..];
                    }
                    None => return Ok(()),
                }
                continue;
            }
            let stop = match self.quote {
                Some(q) => memchr::memchr(q, bytes),
                None => memchr::memchr3(b'>', b'"', b'\'', bytes),
            };
            let Some(at) = stop else {
                self.keep(bytes);
                return Ok(());
            };
            self.keep(&bytes[..at]);
            let b = bytes[at];
            bytes = &bytes[at + 1..];
            match (self.quote, b) {
                (Some(_), _) => {
                    self.quote = None;
                    self.keep(&[b]);
                }
                (None, b'>') => {
                    self.inside = false;
                    let tag = std::mem::take(&mut self.tag);
                    let done = self.tag_read(path, &tag);
                    self.tag = tag;
                    done?;
                }
                (None, q) => {
                    self.quote = Some(q);
                    self.keep(&[q]);
                }
            }
        }
        Ok(())
    }

    /// Keeps bytes of the tag being read, up to [`limits::MAX_TEXT_RUN_BYTES`] (a longer
    /// tag is refused as a run of text in a part holding cells).
    fn keep(&mut self, bytes: &[u8]) {
        let room = (limits::MAX_TEXT_RUN_BYTES + 1).saturating_sub(self.tag.len());
        self.tag.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    /// Counts one tag (its bytes between `<` and `>`).
    fn tag_read(&mut self, path: &Path, tag: &[u8]) -> Result<()> {
        let closing = tag.first() == Some(&b'/');
        let empty = tag.last() == Some(&b'/');
        let body = if closing { &tag[1..] } else { tag };
        let name_end = body
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(body.len());
        let local = local_name(&body[..name_end]);
        let refuse = |key: &str, n: u64, limit: u64| -> anyhow::Error {
            let (n, limit) = (limits::grouped(n), limits::grouped(limit));
            anyhow::anyhow!(
                "{}",
                match key {
                    "rows" => t!(
                        "limits.ods_rows",
                        file = path.display(),
                        rows = n,
                        limit = limit
                    ),
                    "columns" => t!(
                        "limits.ods_columns",
                        file = path.display(),
                        columns = n,
                        limit = limit
                    ),
                    "cells" => t!(
                        "limits.ods_cells",
                        file = path.display(),
                        cells = n,
                        limit = limit
                    ),
                    "strings" => t!(
                        "limits.shared_strings",
                        file = path.display(),
                        limit = limit
                    ),
                    _ => t!("limits.cell_formats", file = path.display(), limit = limit),
                }
            )
        };
        match &mut self.counted {
            Counted::Strings(count) => {
                if !closing && local == b"si" {
                    *count += 1;
                    if *count > limits::MAX_SHARED_STRINGS {
                        return Err(refuse("strings", 0, limits::MAX_SHARED_STRINGS));
                    }
                }
            }
            Counted::Formats { inside, count } => {
                if local == b"cellXfs" {
                    *inside = !closing && !empty;
                } else if *inside && !closing && local == b"xf" {
                    *count += 1;
                    if *count > limits::MAX_CELL_FORMATS {
                        return Err(refuse("formats", 0, limits::MAX_CELL_FORMATS));
                    }
                }
            }
            Counted::Ods {
                rows,
                repeat,
                columns,
                held_end,
                last_row,
                widest,
                open_cell,
            } => {
                // An element inside a cell: the cell holds something.
                if let Some(end) = *open_cell
                    && !closing
                {
                    *held_end = (*held_end).max(end);
                    *open_cell = None;
                }
                let number = |attr: &[u8]| {
                    attribute(&body[name_end..], attr)
                        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<u64>().ok())
                        .unwrap_or(1)
                };
                let row_ends = match local {
                    b"table" if !closing => {
                        (*rows, *last_row, *widest) = (0, 0, 0);
                        false
                    }
                    b"table-row" if !closing => {
                        *repeat = number(b"number-rows-repeated");
                        (*columns, *held_end) = (0, 0);
                        empty
                    }
                    b"table-row" => true,
                    b"table-cell" | b"covered-table-cell" if !closing => {
                        *columns = columns.saturating_add(number(b"number-columns-repeated"));
                        if *columns > limits::MAX_COLUMNS as u64 {
                            return Err(refuse("columns", *columns, limits::MAX_COLUMNS as u64));
                        }
                        if attribute(&body[name_end..], b"value-type").is_some() {
                            *held_end = *columns;
                        } else if !empty {
                            *open_cell = Some(*columns);
                        }
                        false
                    }
                    b"table-cell" | b"covered-table-cell" => {
                        *open_cell = None;
                        false
                    }
                    _ => false,
                };
                if row_ends {
                    *rows = rows.saturating_add(*repeat);
                    if *rows > limits::MAX_ROWS {
                        return Err(refuse("rows", *rows, limits::MAX_ROWS));
                    }
                    if *held_end > 0 {
                        *last_row = *rows;
                        *widest = (*widest).max(*held_end);
                        let cells = last_row.saturating_mul(*widest);
                        if cells > limits::MAX_ODS_CELLS {
                            return Err(refuse("cells", cells, limits::MAX_ODS_CELLS));
                        }
                    }
                    *repeat = 1;
                }
            }
        }
        Ok(())
    }
}

/// An XML name without its namespace prefix (`table:table-row` → `table-row`).
fn local_name(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b':', name) {
        Some(at) => &name[at + 1..],
        None => name,
    }
}

/// The value of the attribute whose local name is `wanted` in `attrs` (a tag after its
/// name), if present.
fn attribute<'a>(mut attrs: &'a [u8], wanted: &[u8]) -> Option<&'a [u8]> {
    loop {
        let start = attrs
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != b'/')?;
        attrs = &attrs[start..];
        let eq = memchr::memchr(b'=', attrs)?;
        let name = attrs[..eq].trim_ascii();
        let rest = attrs[eq + 1..].trim_ascii_start();
        let q = *rest.first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let end = memchr::memchr(q, &rest[1..])?;
        if local_name(name) == wanted {
            return Some(&rest[1..1 + end]);
        }
        attrs = &rest[end + 2..];
    }
}

/// The refusal of a part holding a run of text longer than [`limits::MAX_TEXT_RUN_BYTES`].
fn text_run(path: &Path, part: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        t!(
            "limits.part_text_run",
            file = path.display(),
            part = crate::model::for_message(part),
            limit = limits::size(limits::MAX_TEXT_RUN_BYTES as u64),
            cell = limits::grouped(limits::MAX_CELL_CHARS as u64)
        )
    )
}

/// Opens an `.xls` or `.ods` workbook: calamine loads each sheet whole, and the rows of the
/// chosen one are kept.
fn open_loaded<R: Read + Seek + Send + 'static>(
    path: &Path,
    file: &dyn Fn() -> Result<R>,
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<WorkbookRows> {
    let unreadable = |truncated: bool| calamine_failed(path, kind, truncated);
    type Loaded = (calamine::Range<Data>, Vec<calamine::Dimensions>);
    let ranges = |wbk: &mut dyn FnMut(&str) -> Result<Loaded>,
                  names: Vec<(String, bool)>|
     -> Result<WorkbookRows> {
        let mut loaded: Vec<(String, Vec<RawRow>)> = Vec::new();
        let chosen = choose(
            path,
            &names,
            sheet,
            &mut |name| {
                let (range, merges) = wbk(name)?;
                let rows = range_rows(&range, &merges);
                let probe = rows.iter().take(probe_rows).cloned().collect();
                loaded.push((name.to_string(), rows));
                Ok(probe)
            },
            recognised,
        )?;
        let rows = loaded
            .into_iter()
            .find(|(n, _)| *n == chosen)
            .map(|(_, r)| r)
            .unwrap_or_default();
        Ok(WorkbookRows {
            sheet: chosen,
            date1904: false,
            kind,
            source: RowSource::Loaded(rows.into_iter()),
        })
    };
    if kind == WorkbookKind::Xls {
        let mut bytes = Vec::new();
        file()?
            .read_to_end(&mut bytes)
            .with_context(|| t!("import.cannot_read", file = path.display()).into_owned())?;
        // The damage cfb_sound describes is the format's (sectors, chains), which no user can
        // act on: the file is said to be damaged.
        let encrypted = cfb_sound(&bytes).map_err(|_| unreadable(false))?;
        let mut wb: Xls<_> = Xls::new(file()?).map_err(|e| {
            // An encrypted .xlsx is an OLE file with an encrypted package and no
            // workbook stream; an encrypted .xls says so in its own records, where Excel
            // puts them (calamine's "password" alone may be a damaged record).
            let password = matches!(e, calamine::XlsError::Password);
            if (password && encrypted) || cfb_encrypted(&bytes) {
                anyhow::anyhow!("{}", t!("import.book.password", file = path.display()))
            } else if password {
                anyhow::anyhow!(
                    "{}",
                    t!(
                        "import.book.damaged",
                        file = path.display(),
                        kind = kind.code()
                    )
                )
            } else {
                unreadable(matches!(e, calamine::XlsError::Io(_)))
            }
        })?;
        let names = visible_first(wb.sheets_metadata());
        ranges(
            &mut |n| {
                let merges = wb.merge_cells_by_sheet_name(n).unwrap_or_default();
                let range = wb
                    .worksheet_range(n)
                    .map_err(|e| unreadable(matches!(e, calamine::XlsError::Io(_))))?;
                Ok((range, merges))
            },
            names,
        )
    } else {
        // calamine's count of cells is said in the program's words, grouped: as a bare
        // number it could be masked as if it were a 手机号.
        // calamine reads every sheet when it opens the file: the sheet is not known.
        let ods_error = |e: calamine::OdsError| match e {
            calamine::OdsError::CellLimitExceeded { requested, max } => anyhow::anyhow!(
                "{}",
                t!(
                    "limits.ods_cells",
                    file = path.display(),
                    cells = limits::grouped(requested as u64),
                    limit = limits::grouped(max as u64)
                )
            ),
            e => unreadable(matches!(
                e,
                calamine::OdsError::Zip(_) | calamine::OdsError::Io(_)
            )),
        };
        let mut wb: Ods<_> = Ods::new(file()?).map_err(ods_error)?;
        let names = visible_first(wb.sheets_metadata());
        ranges(
            &mut |n| Ok((wb.worksheet_range(n).map_err(ods_error)?, Vec::new())),
            names,
        )
    }
}

/// Reads a sheet of an .xlsx to its end, sending rows to `tx` in batches (and an error when
/// the sheet is damaged); stops early when the importer stops listening.
fn stream_sheet<R: Read + Seek>(
    mut wb: Xlsx<R>,
    sheet_name: &str,
    date1904: bool,
    sheet_merges: &[calamine::Dimensions],
    tx: SyncSender<Result<Vec<RawRow>>>,
) {
    let mut cells = match wb.worksheet_cells_reader(sheet_name) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Err(damaged(e)));
            return;
        }
    };
    let mut batch = Vec::with_capacity(BATCH);
    let done = collect_rows(&mut cells, date1904, sheet_merges, None, &mut |r| {
        batch.push(r);
        if batch.len() == BATCH {
            // A closed channel: the importer stopped; so does this reader.
            return Ok(tx.send(Ok(std::mem::take(&mut batch))).is_ok());
        }
        Ok(true)
    });
    match done {
        Ok(()) => {
            if !batch.is_empty() {
                let _ = tx.send(Ok(batch));
            }
        }
        Err(e) => {
            let _ = tx.send(Err(e));
        }
    }
}

/// Checks the sector chains of an `.xls` file (an OLE compound file, MS-CFB) before calamine
/// reads it: calamine follows them as written, so a damaged file whose chain loops back on
/// itself makes it allocate without end, and a sector number past the end of the file or of
/// the allocation table makes it panic (both found by the fuzz target `register`). Follows
/// every chain calamine 0.38 follows when it opens a workbook — the allocation tables, the
/// directory, the mini stream, and the streams it reads — and asks that each sector lies whole
/// inside the file and that no chain is longer than its table.
///
/// Errors: a description of the damage. A file that fails the header checks passes, for
/// calamine to refuse in its own words.
fn cfb_sound(bytes: &[u8]) -> Result<bool, String> {
    let u32_at = cfb_u32;
    if bytes.len() < 512 {
        return Ok(false);
    }
    let size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Ok(false),
    };
    // Sector n follows the header (one sector long) and must lie whole inside the file.
    let sector = |id: u32| -> Result<&[u8], String> {
        let start = (id as usize + 1)
            .checked_mul(size)
            .ok_or_else(|| format!("sector {id} is past the end of the file"))?;
        bytes
            .get(start..start + size)
            .ok_or_else(|| format!("sector {id} is past the end of the file"))
    };
    let words = cfb_words;
    let fat = cfb_fat(bytes, size, &sector)?;
    let chain = cfb_chain;
    let main = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dirs = chain(u32_at(bytes, 48), &fat, usize::MAX, &main)?;
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let Some(root) = entries.first() else {
        return Ok(false);
    };
    let entry_len = |e: &[u8]| -> usize {
        if size == 512 {
            u32_at(e, 120) as usize
        } else {
            u64::from_le_bytes(e[120..128].try_into().unwrap_or_default()) as usize
        }
    };
    let mut encrypted = false;
    let mini_fat_len = u32_at(bytes, 64) as usize;
    let (ministream, minifat) = if mini_fat_len > 0 {
        let stream = chain(u32_at(root, 116), &fat, entry_len(root), &main)?;
        let table = chain(
            u32_at(bytes, 60),
            &fat,
            mini_fat_len.saturating_mul(size),
            &main,
        )?;
        if table.len() % 4 != 0 {
            return Err("the mini allocation table is cut short".into());
        }
        (stream, words(&table))
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = |id: u32| -> Result<Vec<u8>, String> {
        let start = (id as usize) * 64;
        ministream
            .get(start..start + 64)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| format!("mini sector {id} is past the end of the mini stream"))
    };
    for e in &entries {
        let name = encoding_rs::UTF_16LE.decode(&e[..64]).0;
        let name = name.split('\0').next().unwrap_or_default();
        let read = [
            "Workbook",
            "Book",
            "\u{5}SummaryInformation",
            "\u{5}DocumentSummaryInformation",
        ];
        if !read.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            continue;
        }
        let len = entry_len(e);
        let start = u32_at(e, 116);
        let stream = if len < 4096 {
            chain(start, &minifat, len, &mini)?
        } else {
            chain(start, &fat, len, &main)?
        };
        if ["Workbook", "Book"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
        {
            biff_sound(&stream)?;
            encrypted |= biff_encrypted(&stream);
        }
    }
    Ok(encrypted)
}

/// True when a workbook stream (BIFF) is encrypted as Excel encrypts it: a FILEPASS record
/// (MS-XLS 2.4.117) right after the first BOF, naming XOR obfuscation (6 bytes) or RC4 (a
/// version 1 to 4). calamine takes any FILEPASS record anywhere for a password, so a
/// damaged file whose record type reads 0x002F would be called protected.
fn biff_encrypted(stream: &[u8]) -> bool {
    let u16_at = |at: usize| {
        stream
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let (Some(bof), Some(bof_len)) = (u16_at(0), u16_at(2)) else {
        return false;
    };
    if !matches!(bof, 0x0809 | 0x0409 | 0x0209 | 0x0009) {
        return false;
    }
    let at = 4 + bof_len as usize;
    let (Some(typ), Some(len), Some(kind)) = (u16_at(at), u16_at(at + 2), u16_at(at + 4)) else {
        return false;
    };
    match (typ, kind) {
        (0x002F, 0) => len == 6,
        (0x002F, 1) => len >= 6 && u16_at(at + 6).is_some_and(|v| (1..=4).contains(&v)),
        _ => false,
    }
}

/// End of a sector chain (MS-CFB ENDOFCHAIN).
const CFB_ENDOFCHAIN: u32 = 0xFFFF_FFFE;

/// The little-endian word at `at` of `b`, 0 past its end.
fn cfb_u32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The little-endian words of `b`.
fn cfb_words(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
        .collect()
}

/// The allocation table of a compound file of `size`-byte sectors, as listed by the header
/// and the DIFAT chain; `sector` is the bytes of a sector by id.
///
/// Errors: the DIFAT chain loops; a sector lies past the end of the file.
fn cfb_fat<'a>(
    bytes: &[u8],
    size: usize,
    sector: &dyn Fn(u32) -> Result<&'a [u8], String>,
) -> Result<Vec<u32>, String> {
    const RESERVED: u32 = 0xFFFF_FFFA;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    let mut difat = cfb_words(&bytes[76..512]);
    let mut next = cfb_u32(bytes, 68);
    let mut hops = 0;
    while next < RESERVED {
        hops += 1;
        if hops > bytes.len() / size + 1 {
            return Err("the allocation table list loops".into());
        }
        difat.extend(cfb_words(sector(next)?));
        next = difat.pop().unwrap_or(CFB_ENDOFCHAIN);
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fat.extend(cfb_words(sector(id)?));
    }
    Ok(fat)
}

/// Follows a chain from `start` until its end or `len` bytes, as calamine does; `get` is the
/// sector of an id, `table` the next id of each.
///
/// Errors: the chain is broken or loops; a sector lies past the end.
fn cfb_chain(
    start: u32,
    table: &[u32],
    len: usize,
    get: &dyn Fn(u32) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut id = start;
    let mut hops = 0;
    while id != CFB_ENDOFCHAIN {
        let s = get(id)?;
        out.extend_from_slice(&s[..s.len().min(len - out.len())]);
        if out.len() >= len {
            break;
        }
        hops += 1;
        id = *table
            .get(id as usize)
            .filter(|_| hops <= table.len())
            .ok_or_else(|| format!("the chain through sector {id} is broken or loops"))?;
    }
    Ok(out)
}

/// True when a compound file holds an encrypted Office package (a stream named
/// `EncryptedPackage`): a workbook protected by a password, which Excel saves as an OLE file
/// whatever its extension.
fn cfb_encrypted(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Checks the DIMENSIONS records of an `.xls` workbook stream (BIFF) before calamine reads
/// them: it reserves room for rows × columns cells at once, so a damaged record (a first row
/// after the last, or 4 billion rows) makes it panic or abort for want of memory. Records are
/// read from the start of the stream and from every sheet's offset (BOUNDSHEET), as calamine
/// reads them.
///
/// Cell records are checked too: calamine lays a sheet out densely up to its highest column,
/// so one damaged column number (65,535) asks for 137 GB.
///
/// Errors: a DIMENSIONS record beyond the limits of the format (65,536 rows × 256 columns),
/// or a cell past the 256th column.
fn biff_sound(stream: &[u8]) -> Result<(), String> {
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as u64;
    let u32_at =
        |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as u64;
    let mut starts = vec![0usize];
    let mut seen = 0;
    while let Some(mut at) = starts.pop() {
        seen += 1;
        if seen > 4096 {
            return Err("too many sheets".into());
        }
        while at + 4 <= stream.len() {
            let typ = u16_at(stream, at);
            let len = u16_at(stream, at + 2) as usize;
            let data = &stream[at + 4..stream.len().min(at + 4 + len)];
            at += 4 + len;
            match (typ, data.len()) {
                // BOUNDSHEET: where a sheet's records begin.
                (0x0085, 4..) if seen == 1 => {
                    starts.push(u32_at(data, 0) as usize);
                }
                // DIMENSIONS: first row, last row + 1, first column, last column + 1.
                (0x0200, 10 | 14 | 16) => {
                    let (first, last, mut from, to) = if data.len() == 10 {
                        (
                            u16_at(data, 0),
                            u16_at(data, 2),
                            u16_at(data, 4),
                            u16_at(data, 6),
                        )
                    } else {
                        (
                            u32_at(data, 0),
                            u32_at(data, 4),
                            u16_at(data, 8),
                            u16_at(data, 10),
                        )
                    };
                    if from > 0xFF || to < from {
                        from = 0;
                    }
                    let cells = if last >= 1 && to >= 1 {
                        (last as i64 - first as i64).max(0) as u64 * (to - from)
                    } else {
                        0
                    };
                    if (last >= 1 && to >= 1 && first >= last) || cells > 65_536 * 256 {
                        return Err(format!(
                            "a sheet claims rows {first}–{last} and columns {from}–{to}"
                        ));
                    }
                }
                // Cells (number, label, rich string, bool/error, RK, shared string, formula,
                // blank): row, column. calamine lays a sheet out densely from its highest
                // column, and .xls sheets have 256 columns.
                (0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201, 4..)
                    if u16_at(data, 2) > 0xFF =>
                {
                    return Err(format!("a cell claims column {}", u16_at(data, 2)));
                }
                // MULRK: row, first column, values, last column.
                (0x00BD, 6..) if u16_at(data, 2).max(u16_at(data, data.len() - 2)) > 0xFF => {
                    return Err("a cell claims a column past the 256th".into());
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The sheets, each with whether it is visible (hidden sheets are only read when named).
fn visible_first(sheets: &[calamine::Sheet]) -> Vec<(String, bool)> {
    sheets
        .iter()
        .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
        .collect()
}

/// Picks the sheet: the one `--sheet` names (by name or 1-based position), else the only sheet,
/// else the only visible sheet whose first rows hold a recognised header (a hidden one only
/// when no visible one does).
fn choose(
    path: &Path,
    sheets: &[(String, bool)],
    sheet: Option<&str>,
    probe: &mut dyn FnMut(&str) -> Result<Vec<RawRow>>,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<String> {
    let listed = || list_sheets(sheets);
    if sheet.is_none() && sheets.len() == 1 {
        // The only sheet is the register, whatever its first rows say (the header check that
        // follows names any problem precisely).
        probe(&sheets[0].0)?;
        return Ok(sheets[0].0.clone());
    }
    if let Some(want) = sheet {
        // Sheet names keep stray spaces (`9月 `); so may what is typed.
        let by_name = sheets
            .iter()
            .find(|(n, _)| n.as_str() == want)
            .or_else(|| sheets.iter().find(|(n, _)| n.trim() == want.trim()));
        let by_position = want
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| sheets.get(i));
        return match by_name.or(by_position) {
            Some((n, _)) => {
                probe(n)?;
                Ok(n.clone())
            }
            None => bail!(
                "{}",
                t!(
                    "import.book.no_sheet",
                    file = path.display(),
                    sheet = want,
                    sheets = listed()
                )
            ),
        };
    }
    let mut found = Vec::new();
    let mut unusable = Vec::new();
    for (name, visible) in sheets {
        match recognised(&probe(name)?) {
            Recognised::Yes => found.push((name.clone(), *visible)),
            Recognised::Unusable(reason, missing) => unusable.push((name, reason, missing)),
            Recognised::No => {}
        }
    }
    let visible: Vec<&(String, bool)> = found.iter().filter(|(_, v)| *v).collect();
    match (visible.len(), found.len()) {
        (1, _) => Ok(visible[0].0.clone()),
        (0, 1) => Ok(found[0].0.clone()),
        // Sheets with the register's header that lacks a column: each is named with what it
        // lacks, rather than said to have no header.
        (_, 0) if !unusable.is_empty() => {
            let mut fields: Vec<crate::model::Field> = Vec::new();
            for f in unusable.iter().flat_map(|(_, _, m)| m) {
                if !fields.contains(f) {
                    fields.push(*f);
                }
            }
            let map = match fields.as_slice() {
                [one] => t!("import.book.map_field", field = one.code()),
                _ => t!("import.book.map_any"),
            };
            let lines = unusable
                .iter()
                .map(|(sheet, reason, _)| {
                    t!("import.book.unusable_sheet", sheet = sheet, reason = reason).into_owned()
                })
                .collect::<Vec<_>>()
                .join("\n");
            bail!(
                "{}",
                t!(
                    "import.book.unusable",
                    file = path.display(),
                    sheets = lines,
                    map = map
                )
            )
        }
        (_, 0) => bail!(
            "{}",
            t!(
                "import.book.no_register",
                file = path.display(),
                rows = super::header::HEADER_SEARCH_ROWS,
                sheets = listed()
            )
        ),
        _ => bail!(
            "{}",
            t!(
                "import.book.several",
                file = path.display(),
                sheets = list_sheets(&found)
            )
        ),
    }
}

/// The names of sheets, for messages: `台账、8月（隐藏）`.
fn list_sheets(sheets: &[(String, bool)]) -> String {
    sheets
        .iter()
        .map(|(n, visible)| {
            if *visible {
                n.clone()
            } else {
                t!("import.sheet_hidden", sheet = n).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(&t!("model.list_separator"))
}

/// Reads cells row by row and hands each row (in sheet order) to `row`; stops after `limit`
/// rows, or when `row` returns false.
fn collect_rows<RS: std::io::Read + std::io::Seek>(
    cells: &mut calamine::XlsxCellReader<'_, RS>,
    date1904: bool,
    merges: &[calamine::Dimensions],
    limit: Option<usize>,
    row: &mut dyn FnMut(RawRow) -> Result<bool>,
) -> Result<()> {
    let mut current: Option<(u32, Vec<String>)> = None;
    let mut sent = 0;
    // Values of cells merged down over several rows (a street written once for a group of
    // rows): (column, last row, text), filled into the rows below.
    let mut fills: Vec<(u32, u32, String)> = Vec::new();
    let flush = |current: &mut Option<(u32, Vec<String>)>,
                 fills: &mut Vec<(u32, u32, String)>,
                 row: &mut dyn FnMut(RawRow) -> Result<bool>|
     -> Result<bool> {
        let Some((r, mut cells)) = current.take() else {
            return Ok(true);
        };
        fills.retain(|(_, last, _)| *last >= r);
        for (c, _, text) in fills.iter() {
            let c = *c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, String::new());
            }
            if cells[c].is_empty() {
                cells[c] = text.clone();
            }
        }
        row(RawRow::new(u64::from(r) + 1, u64::from(r) + 1, &cells))
    };
    while let Some(cell) = cells.next_cell_with_formula().map_err(damaged)? {
        let (r, c) = cell.pos;
        // Excel's limits, before a row is laid out up to the cell's column, and as soon as
        // a row past the last is met (a sheet of 21.9 million rows is not read on).
        if u64::from(r) >= limits::MAX_ROWS {
            bail!(
                "{}",
                t!(
                    "limits.too_many_rows",
                    row = limits::grouped(u64::from(r) + 1),
                    limit = limits::grouped(limits::MAX_ROWS)
                )
            );
        }
        if c as usize >= limits::MAX_COLUMNS {
            bail!(
                "{}",
                t!(
                    "limits.column_beyond",
                    line = u64::from(r) + 1,
                    column = limits::grouped(u64::from(c) + 1),
                    limit = limits::grouped(limits::MAX_COLUMNS as u64)
                )
            );
        }
        if current.as_ref().is_some_and(|(cr, _)| *cr != r) {
            if !flush(&mut current, &mut fills, row)? {
                return Ok(());
            }
            sent += 1;
            if limit.is_some_and(|l| sent >= l) {
                return Ok(());
            }
        }
        let mut text = ref_text(&cell.value, date1904);
        // A formula saved without its value (written by a program, never opened in Excel):
        // there is nothing to read, and saying so beats reading it as empty.
        if text.is_empty() && cell.formula.as_deref().is_some_and(|f| !f.is_empty()) {
            text = UNCALCULATED.to_string();
        }
        if !text.is_empty()
            && let Some(m) = merges.iter().find(|m| m.start == (r, c) && m.end.0 > r)
        {
            fills.push((c, m.end.0, text.clone()));
        }
        let entry = current.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if text.is_empty() {
            continue;
        }
        if entry.1.len() <= c {
            entry.1.resize(c + 1, String::new());
        }
        entry.1[c] = text;
    }
    flush(&mut current, &mut fills, row)?;
    Ok(())
}

/// Stands in a cell whose formula has no saved value; validation refuses it with the fix.
pub const UNCALCULATED: &str = "#UNCALCULATED";

/// A damaged sheet, as one readable sentence (calamine's errors repeat their causes).
fn damaged(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{}", t!("import.book.sheet_damaged", reason = e))
}

/// The rows of a whole sheet, numbered as the spreadsheet shows them; values of cells merged
/// down over several rows are filled into the rows below.
fn range_rows(range: &calamine::Range<Data>, merges: &[calamine::Dimensions]) -> Vec<RawRow> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<(u32, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut texts: Vec<String> = vec![String::new(); c0 as usize];
            texts.extend(cells.iter().map(data_text));
            (r0 + i as u32, texts)
        })
        .collect();
    for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
        let (top, col) = (m.start.0, m.start.1 as usize);
        let Some(text) = rows
            .iter()
            .find(|(r, _)| *r == top)
            .and_then(|(_, cells)| cells.get(col).cloned())
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        for (_, cells) in rows.iter_mut().filter(|(r, _)| *r > top && *r <= m.end.0) {
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            if cells[col].is_empty() {
                cells[col] = text.clone();
            }
        }
    }
    rows.into_iter()
        .map(|(r, texts)| RawRow::new(u64::from(r) + 1, u64::from(r) + 1, &texts))
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect()
}

fn ref_text(v: &DataRef<'_>, date1904: bool) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => date_text(d, date1904),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn data_text(v: &Data) -> String {
    match v {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => date_text(d, false),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A number cell as Excel shows it in a General cell: whole numbers as their digits; whole
/// numbers beyond Excel's 15 significant digits (already damaged in the file) in scientific
/// notation, so that validation can say so; other numbers in their shortest form.
pub fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 {
        if f.abs() < 1e15 {
            return format!("{f:.0}");
        }
        // Excel's General display keeps 6 significant digits: 1.40106E+17.
        let exp = f.abs().log10().floor() as i32;
        let mantissa = f / 10f64.powi(exp);
        let m = format!("{mantissa:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}E+{exp}");
    }
    f.to_string()
}

/// A date cell as `YYYY-MM-DD` (the time of day is dropped). A serial before 1900-03-01 in
/// the 1900 system (where Excel counts a 1900-02-29 that never was) stays a day number, for
/// validation to refuse.
fn date_text(d: &calamine::ExcelDateTime, date1904: bool) -> String {
    if d.is_duration() {
        return number_text(d.as_f64());
    }
    // A time without a day (a cell formatted as 1:30): hours and minutes, for durations.
    if (0.0..1.0).contains(&d.as_f64()) && d.as_f64() > 0.0 {
        let minutes = (d.as_f64() * 24.0 * 60.0).round() as i64;
        return format!("{}:{:02}", minutes / 60, minutes % 60);
    }
    if !date1904 && d.as_f64() < 61.0 {
        return number_text(d.as_f64().floor());
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Merged cells are read only from a file that mentions them: a workbook without any
    /// answers false; one with a merged range true, and so does a part holding the word across
    /// two reads of the search, and a file that is no zip.
    #[test]
    fn merged_cells_are_read_only_when_the_file_mentions_them() {
        use std::io::Write;
        let merges = |b: Vec<u8>| scan_parts(Path::new("t.xlsx"), Cursor::new(b)).unwrap();
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "姓名").unwrap();
        assert!(!merges(book.save_to_buffer().unwrap()));
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "所属街道").unwrap();
        sheet
            .merge_range(1, 0, 3, 0, "小店街道", &rust_xlsxwriter::Format::new())
            .unwrap();
        assert!(merges(book.save_to_buffer().unwrap()));
        for pad in [65_528, 65_530, 65_532, 65_536] {
            let mut buf = Cursor::new(Vec::new());
            let mut zip = zip::ZipWriter::new(&mut buf);
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            zip.start_file("xl/worksheets/sheet1.xml", stored).unwrap();
            zip.write_all(&vec![b' '; pad]).unwrap();
            zip.write_all(b"<mergeCells count=\"1\"/>").unwrap();
            zip.finish().unwrap();
            assert!(merges(buf.into_inner()), "{pad}");
        }
        assert!(merges(b"not a zip".to_vec()));
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(17747126970.0), "17747126970");
        assert_eq!(number_text(140106199110201133.0), "1.40106E+17");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(-15.0), "-15");
        assert_eq!(number_text(45854.0), "45854");
    }

    #[test]
    fn date_cells_in_both_systems() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let d = ExcelDateTime::new(45854.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "2025-07-16");
        let d = ExcelDateTime::new(45854.0 - 1462.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(date_text(&d, true), "2025-07-16");
        let d = ExcelDateTime::new(59.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "59");
        // A time-of-day cell: 1:30 is 0.0625 of a day.
        let d = ExcelDateTime::new(0.0625, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "1:30");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            WorkbookKind::sniff("a.xlsx", b"PK\x03\x04"),
            Some(WorkbookKind::Xlsx)
        );
        assert_eq!(
            WorkbookKind::sniff("a.ODS", b"PK\x03\x04"),
            Some(WorkbookKind::Ods)
        );
        assert_eq!(
            WorkbookKind::sniff("a.xls", &[0xD0, 0xCF, 0x11, 0xE0]),
            Some(WorkbookKind::Xls)
        );
        assert_eq!(WorkbookKind::sniff("a.csv", b"name,"), None);
    }
}
