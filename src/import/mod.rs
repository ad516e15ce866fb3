//! Importing registers: read (bytes → rows of strings) → map headers → normalize → validate →
//! push to a sink. This module wires the stages together for one file: the rows are read,
//! validated and resolved on one thread and stored on the other, into a sink that takes the
//! whole file in one batch ([`Loads`], a trait of `model` that the registry implements) — so
//! the file lands whole or not at all, unless the user asked to skip bad rows, and then every
//! bad row is written to a rejects file with its reasons. Nothing here knows the database: a
//! failure of the sink stops the import, and the sink rolls the batch back.

pub mod header;
pub mod limits;

pub mod missing;
pub mod read;
mod register;
mod rejects;
pub mod sniff;
pub mod validate;
pub mod workbook;

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use rust_i18n::t;

use crate::model::normalize;
use crate::model::{
    ActivityRecord, AwardRecord, BatchEnd, BatchStart, CellError, CheckinRecord, Counts,
    DivisionRecord, Field, GiftRecord, InstructorRecord, Loads, MerchantRecord, Missing, OrgRecord,
    Outcome, PointRecord, RegisterKind, Registry, Resolve, ServiceRecord, StationRecord, Store,
    TipRecord, WishRecord, WorkerRecord, row_outcome,
};
use crate::testhook;
use header::{HEAD_ROWS, HeaderMap, HeaderRows, MapOverride};
use read::{CsvRows, EncodingChoice, RawRow, SharedHash};
pub use register::{Discard, Register};
use rejects::{MAX_PRINTED, Rejects, create_rejects, read_up_to};
use validate::Cells;
use workbook::{Recognised, WorkbookKind, WorkbookRows};

/// How to import one file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--encoding`.
    pub encoding: EncodingChoice,
    /// `--sheet`: a sheet name or a 1-based position.
    pub sheet: Option<String>,
    /// `--header-row`: the line (or sheet row) of the header, 1-based, and whether it takes
    /// two rows.
    pub header_row: Option<HeaderRows>,
    /// `--map` overrides.
    pub maps: Vec<MapOverride>,
    /// Land the good rows even when some are bad.
    pub skip_invalid: bool,
    /// Where bad rows go (CSV with BOM).
    pub rejects: Option<PathBuf>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Event dates after this day are refused.
    pub today: NaiveDate,
    /// Suppress counts and warnings on stderr (row errors are still printed).
    pub quiet: bool,
    /// `--missing left --date D`: the workers on record in the streets a workers register
    /// covers that it does not name are given 离职日期 D in the file's batch. `None`: they
    /// are listed only.
    pub missing_left_on: Option<NaiveDate>,
}

/// What importing one file did.
#[derive(Debug, Clone)]
pub struct ImportSummary {
    /// The file name as given.
    pub file: String,
    /// How the file was read: its encoding, or the sheet of a workbook.
    pub encoding: String,
    /// Row counts.
    pub counts: Counts,
    /// An earlier import of the very same bytes: file name and time.
    pub previous: Option<(String, String)>,
    /// Where rejected rows were written.
    pub rejects: Option<PathBuf>,
    /// False when nothing was written (dry run, or refused).
    pub committed: bool,
    /// For a snapshot register (workers, stations): who is on record in the streets it
    /// covers but absent from it, and whether they were marked as left.
    pub missing: Option<Missing>,
}

/// A workers register refused because some of the workers absent from it cannot be given
/// the 离职日期 of `--missing left --date` (a check-in after it …); nothing was written.
/// Exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{}", missing::refused_text(file, missing))]
pub struct MissingRefused {
    /// File name.
    pub file: String,
    /// The absent workers and the refusals.
    pub missing: Missing,
}

/// A file refused because some of its rows are bad; nothing was written. Exit code 1.
#[derive(Debug, thiserror::Error)]
pub struct Refused {
    /// File name.
    pub file: String,
    /// Rows with problems.
    pub rejected: u64,
    /// Data rows read.
    pub read: u64,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (file, rejected, read) = (&self.file, self.rejected, self.read);
        f.write_str(&if read == 1 {
            t!(
                "import.refused.one",
                file = file,
                rejected = rejected,
                read = read
            )
        } else if rejected == 1 {
            t!(
                "import.refused.has",
                file = file,
                rejected = rejected,
                read = read
            )
        } else {
            t!(
                "import.refused.have",
                file = file,
                rejected = rejected,
                read = read
            )
        })
    }
}

/// Footer lines of registers: who filled the form in, when, totals.
const FOOTER_MARKS: &[&str] = &[
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "填表日期",
    "填报日期",
    "审核人",
    "审核",
    "负责人签字",
    "签字",
    "合计",
    "总计",
    "小计",
    "注:",
    "注：",
    "说明:",
    "说明：",
];

/// True for a footer row: its first filled cell starts with a footer mark and it fills at
/// most half the columns a data row has.
fn is_footer(row: &RawRow, columns: usize) -> bool {
    let mut filled = row.cells.iter().filter(|c| !normalize::is_blank(c));
    let Some(first) = filled.next() else {
        return false;
    };
    // The count first: a data row fills more than half the columns, and is never normalized
    // here.
    if (1 + filled.count()) * 2 > columns.max(2) {
        return false;
    }
    let first = normalize::text(first);
    FOOTER_MARKS.iter().any(|m| first.starts_with(m))
}

fn is_blank(row: &RawRow) -> bool {
    row.cells.iter().all(normalize::is_blank)
}

/// Files above this size (bytes) get a progress bar: about ten thousand rows.
const PROGRESS_FROM_BYTES: u64 = 1 << 20;

/// Rows handed from the reader thread to the writer at a time.
const BATCH_ROWS: usize = 512;

/// Rows read ahead of their resolution, whose workers are looked up together first
/// ([`Resolve::warm`]).
const WARM_ROWS: usize = 32;

/// A data row and what validation and resolution made of it.
struct Item<T> {
    row: RawRow,
    prepared: Result<T, Vec<CellError>>,
}

/// Validates a row into a record of kind `R` and finds what it names (in memory, through
/// `resolver`). Every problem of the row comes back at once, in column order: a cell holding
/// an Excel error is reported as that, and a row refused for other reasons is checked for its
/// street too.
fn prepare<R: Register, V: Resolve<R>>(
    map: &HeaderMap,
    row: &RawRow,
    today: NaiveDate,
    resolver: &mut V,
) -> Result<V::Resolved, Vec<CellError>> {
    let excel_errors = validate::excel_errors(map, row);
    let mut c = Cells::new(map, row);
    let rec = R::validate(&mut c, today);
    let prepared = c
        .finish(rec)
        .map(|r| r.expect("a record when there are no errors"))
        .and_then(|r| resolver.resolve(r));
    let prepared = match (prepared, excel_errors.is_empty()) {
        (p, true) => p,
        (Ok(_), false) => Err(excel_errors),
        (Err(mut e), false) => {
            // A cell holding an Excel error is reported as that, not also as a bad value.
            e.retain(|e| !excel_errors.iter().any(|x| x.field == e.field));
            e.extend(excel_errors);
            Err(e)
        }
    };
    prepared.map_err(|mut errors| {
        // Every problem of a row is reported at once: a row refused for its date is also
        // checked for its street.
        if map.has(Field::Street) && !errors.iter().any(|e| e.field == Field::Street) {
            let street = normalize::name(map.get(row, Field::Street));
            if !street.is_empty()
                && let Some(p) = resolver.street_problem(&street)
            {
                errors.push(CellError::new(Field::Street, &street, p));
            }
        }
        errors.sort_by_key(|e| map.position(e.field));
        errors.dedup();
        errors
    })
}

/// What [`check_register`] made of a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checked {
    /// Data rows read (blank and footer rows not counted).
    pub rows: u64,
    /// Rows with problems: the rows `import` would refuse or write to the rejects file.
    pub rejected: u64,
}

/// Runs the half of `import` that needs no database over a register held in memory: read
/// `bytes` (a workbook when its first bytes say so — `name` tells `.ods` from `.xlsx` — else
/// CSV text in any encoding the reader detects) → find the header among the first rows → skip
/// blank and footer rows → normalize and validate every data row into a record of `kind`.
/// Event dates after `today` are refused, as on import. Workers, streets and stations named by
/// event rows are not looked up (that needs the registry): the rows go to [`Discard`].
///
/// Returns the rows read and how many have problems. Errors: what `import` refuses the whole
/// file for — unreadable bytes, a web page, no header, a required column missing. It never
/// panics on any input: the fuzz target `register` (`fuzz/`) and the properties in
/// `tests/import/properties.rs` hold it to that.
pub fn check_register(
    kind: RegisterKind,
    name: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Checked> {
    let opts = ImportOptions {
        encoding: EncodingChoice::Auto,
        sheet: None,
        header_row: None,
        maps: Vec::new(),
        skip_invalid: true,
        rejects: None,
        dry_run: true,
        today,
        quiet: true,
        missing_left_on: None,
    };
    let source = Box::new(io::Cursor::new(bytes.to_vec()));
    let s = import_from(
        &mut Discard,
        kind,
        name,
        None,
        source,
        &opts,
        &mut io::sink(),
    )?;
    Ok(Checked {
        rows: s.counts.read,
        rejected: s.counts.rejected,
    })
}

/// The file name that means standard input: `nuanfeng import workers -`.
pub const STDIN: &str = "-";

/// How messages name standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Imports one register file into `sink` (the registry); see [`import_source`]. The path
/// [`STDIN`] reads standard input, named [`STDIN_NAME`] in messages.
pub fn import_file<S: Registry>(
    sink: &mut S,
    kind: RegisterKind,
    path: &Path,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    if path == Path::new(STDIN) {
        // Read whole like any other source: CSV sniffed for its encoding, a workbook by its
        // bytes (held in memory, as it cannot be reopened).
        return import_from(
            sink,
            kind,
            STDIN_NAME,
            None,
            Box::new(io::stdin()),
            opts,
            out,
        );
    }
    // Only a regular file: never a device that does not end or a pipe that blocks.
    limits::regular_file(path, &path.display().to_string())?;
    let file = File::open(path)
        .map_err(crate::db::worded_io)
        .with_context(|| t!("import.cannot_open", file = path.display()).into_owned())?;
    import_from(
        sink,
        kind,
        &path.display().to_string(),
        Some(path),
        Box::new(file),
        opts,
        out,
    )
}

/// Imports one register, read from `source` and called `name` (a path as given) in
/// messages, into `sink` (the registry). Messages (encoding, warnings, row problems) go to
/// `out`.
///
/// Errors: the source cannot be read or its header is unusable (nothing written);
/// [`Refused`] when rows are bad and `skip_invalid` is off (nothing written); the sink failed
/// (nothing written: the disk is full, the registry read-only or locked …).
pub fn import_source<S: Registry>(
    sink: &mut S,
    kind: RegisterKind,
    name: &str,
    source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    import_from(sink, kind, name, None, source, opts, out)
}

/// The one place a register kind becomes its record type.
fn import_from<S: Registry>(
    sink: &mut S,
    kind: RegisterKind,
    name: &str,
    path: Option<&Path>,
    source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    let input = Input { name, path, source };
    match kind {
        RegisterKind::Streets => {
            import_register::<Option<DivisionRecord>, S>(sink, input, opts, out)
        }
        RegisterKind::Stations => import_register::<StationRecord, S>(sink, input, opts, out),
        RegisterKind::Workers => import_register::<WorkerRecord, S>(sink, input, opts, out),
        RegisterKind::Checkins => import_register::<CheckinRecord, S>(sink, input, opts, out),
        RegisterKind::Points => import_register::<PointRecord, S>(sink, input, opts, out),
        RegisterKind::Services => import_register::<ServiceRecord, S>(sink, input, opts, out),
        RegisterKind::Tips => import_register::<TipRecord, S>(sink, input, opts, out),
        RegisterKind::Wishes => import_register::<WishRecord, S>(sink, input, opts, out),
        RegisterKind::Awards => import_register::<AwardRecord, S>(sink, input, opts, out),
        RegisterKind::Instructors => import_register::<InstructorRecord, S>(sink, input, opts, out),
        RegisterKind::Gifts => import_register::<GiftRecord, S>(sink, input, opts, out),
        RegisterKind::Merchants => import_register::<MerchantRecord, S>(sink, input, opts, out),
        RegisterKind::Orgs => import_register::<OrgRecord, S>(sink, input, opts, out),
        RegisterKind::Activities => import_register::<ActivityRecord, S>(sink, input, opts, out),
    }
}

/// A register to read: its name as given (a path, for messages), the file when there is one
/// (workbooks are opened from it; it sizes the progress bar), and its bytes.
pub struct Input<'a> {
    /// The name messages use.
    pub name: &'a str,
    /// The file, if the register is one.
    pub path: Option<&'a Path>,
    /// The bytes.
    pub source: Box<dyn Read + Send>,
}

/// The rows of a register, from the first.
struct Data {
    rows: Rows,
    /// The first rows, read to find the header.
    head: Vec<RawRow>,
    /// The header's index in `head`.
    at: usize,
}

/// A register opened, its header found.
struct Opened {
    data: Data,
    map: HeaderMap,
    /// The file as messages name it: `workers.xlsx[台账]` for a sheet.
    file: String,
    /// The file name without its folder, as the batch records it.
    file_name: String,
    /// The sheet of a workbook.
    sheet: Option<String>,
    /// How it was read: `UTF-8`, `sheet 台账 (xlsx)`.
    encoding: String,
    hash: SharedHash,
}

/// Opens a register of `kind` and finds its header among the first rows; says how it was
/// read and warns of ignored columns and unused `--map`s on `out` (unless quiet).
///
/// Errors: the source cannot be read; it is empty; no header; a required column missing.
fn open_register(
    kind: RegisterKind,
    input: Input<'_>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<Opened> {
    let name = input.name;
    let file_name = Path::new(name)
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    let hash = SharedHash::default();
    let recognised =
        |rows: &[RawRow]| match HeaderMap::detect(kind, rows, opts.header_row, &opts.maps) {
            Ok(_) => Recognised::Yes,
            Err(e) => match e.downcast_ref::<header::HeaderRefused>() {
                Some(r) => Recognised::Unusable(r.short(), r.missing.clone()),
                None => Recognised::No,
            },
        };
    let mut rows = open_rows(
        name,
        input.path,
        input.source,
        opts,
        hash.clone(),
        &recognised,
    )?;
    // Messages name the sheet of a workbook: `workers.xlsx[台账]:5: …`.
    let sheet = match &rows {
        Rows::Book(b) => Some(b.sheet.clone()),
        Rows::Csv(_) => None,
    };
    let (file, file_name) = match &sheet {
        // Messages show the sheet's name escaped and cut; the batch records it whole.
        Some(s) => (
            format!("{name}[{}]", crate::model::for_message(s)),
            format!("{file_name}[{s}]"),
        ),
        None => (name.to_string(), file_name),
    };
    let encoding = rows.label();
    let mut head = Vec::new();
    let look = opts
        .header_row
        .map_or(HEAD_ROWS, |h| (h.last() as usize).max(HEAD_ROWS));
    let read = rows
        .by_ref()
        .take(look)
        .try_for_each(|r| r.map(|r| head.push(r)));
    // An empty file is only that: how its no bytes were read says nothing.
    if read.is_ok() && head.is_empty() {
        bail!("{}", t!("import.empty", file = &file));
    }
    if !opts.quiet {
        let _ = writeln!(
            out,
            "{}",
            t!("import.read_as", file = name, how = &encoding)
        );
    }
    read.with_context(|| file.clone())?;
    let (mut map, at) = HeaderMap::detect(kind, &head, opts.header_row, &opts.maps)
        .with_context(|| file.clone())?;
    map.serial_1904 = matches!(&rows, Rows::Book(b) if b.date1904);
    if !map.unknown.is_empty() && !opts.quiet {
        let _ = writeln!(
            out,
            "{}",
            t!(
                "import.warn.unknown_columns",
                file = &file,
                columns = map.unknown.join(&t!("model.list_separator")),
                register = kind.register_name()
            )
        );
    }
    for (column, field) in map.lookalikes.iter().filter(|_| !opts.quiet) {
        let _ = writeln!(
            out,
            "{}",
            t!(
                "import.warn.lookalike_column",
                file = &file,
                column = column,
                header = header::specs_header(*field),
                field = field.code()
            )
        );
    }
    if !map.unused_maps.is_empty() && !opts.quiet {
        let _ = writeln!(
            out,
            "{}",
            t!(
                "import.warn.unused_maps",
                file = &file,
                columns = map.unused_maps.join(&t!("model.list_separator"))
            )
        );
    }
    Ok(Opened {
        data: Data { rows, head, at },
        map,
        file,
        file_name,
        sheet,
        encoding,
        hash,
    })
}

/// A progress bar for large files, on stderr; indicatif draws nothing when stderr is not a
/// terminal. CSV shows bytes read, a workbook the rows read.
fn progress_bar(opened: &Opened, path: Option<&Path>, opts: &ImportOptions) -> Option<ProgressBar> {
    let size = path
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    (!opts.quiet && size > PROGRESS_FROM_BYTES).then(|| {
        let bar = match &opened.data.rows {
            Rows::Csv(_) => ProgressBar::new(size).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
                    .expect("a valid template"),
            ),
            Rows::Book(_) => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template(&t!("import.progress.rows"))
                    .expect("a valid template"),
            ),
        };
        // Drawn on the terminal: the name escaped and cut.
        bar.with_message(crate::model::for_message(&opened.file_name))
    })
}

/// Imports one register of kind `R` into `sink`, in one batch: the generic half of
/// [`import_source`], for a sink that takes only this kind (a test's `Vec`).
///
/// Errors: as [`import_source`].
pub fn import_register<R: Register, S: Loads<R>>(
    sink: &mut S,
    input: Input<'_>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    let (path, name) = (input.path, input.name);
    let opened = open_register(R::KIND, input, opts, out)?;
    let reading = reading(opts);
    if let Some(summary) = answer_unchanged(sink, &opened, path, opts, &reading)? {
        return Ok(summary);
    }
    let writer = match &opts.rejects {
        Some(p) => Some(create_rejects(p, Path::new(name), sink.location())?),
        None => None,
    };
    let progress = progress_bar(&opened, path, opts);
    let Opened {
        data,
        map,
        file,
        file_name,
        sheet,
        encoding,
        hash,
    } = opened;
    let start = BatchStart {
        kind: R::KIND,
        file_name: &file_name,
        read_as: data.rows.code(),
        sheet: sheet.as_deref(),
        today: opts.today,
        dry_run: opts.dry_run,
        reading: &reading,
    };
    let mut rejects = Rejects {
        file: file.clone(),
        out,
        writer,
        printed: 0,
        progress: progress.clone(),
    };
    rejects.start(&map)?;
    let mut tally = Tally::new(&map, rejects, hash.clone(), &file);
    let ((counts, missing), previous) = sink.batch(&start, |resolver, store| {
        pump::<R, _>(data, opts.today, resolver, store, &mut tally)?;
        tally.finish(opts.quiet, store)?;
        if let Some(bar) = &progress {
            bar.finish_and_clear();
        }
        tally.rejects.finish()?;
        let counts = tally.counts;
        let refused = counts.rejected > 0 && !opts.skip_invalid;
        // Who the register leaves out, once every row is in. Nobody is marked as left while
        // rows are refused: a refused row may be the very person missing.
        let missing = if refused {
            None
        } else {
            let left_on = opts.missing_left_on.filter(|_| counts.rejected == 0);
            store.missing(left_on)?
        };
        let held = missing.as_ref().is_some_and(|m| !m.refused.is_empty());
        let end = BatchEnd {
            sha256: hash.hex(),
            counts,
            commit: !refused && !held && !opts.dry_run,
        };
        Ok(((counts, missing), end))
    })?;
    if counts.rejected > 0 && !opts.skip_invalid {
        return Err(Refused {
            file,
            rejected: counts.rejected,
            read: counts.read,
        }
        .into());
    }
    if let Some(m) = missing.as_ref().filter(|m| !m.refused.is_empty()) {
        return Err(MissingRefused {
            file,
            missing: m.clone(),
        }
        .into());
    }
    Ok(ImportSummary {
        file,
        encoding,
        counts,
        previous,
        rejects: opts.rejects.clone(),
        committed: !opts.dry_run,
        missing,
    })
}

/// How `opts` make a file's bytes into records, for the batch to record: this build, the
/// encoding asked for, the sheet, the header row and the column maps. Two imports with the
/// same bytes and the same reading read the same records.
fn reading(opts: &ImportOptions) -> String {
    format!(
        "nuanfeng {}; encoding {:?}; sheet {:?}; header {:?}; maps {:?}",
        env!("CARGO_PKG_VERSION"),
        opts.encoding,
        opts.sheet,
        opts.header_row,
        opts.maps
    )
}

/// The summary of an import the sink answers without its rows ([`Loads::unchanged_since`]),
/// when one can be: a file on disk (its digest taken first), not a dry run, no rejects file
/// asked for, and no column without a header (whose data would be warned of row by row).
/// `None`: the rows are to be read.
///
/// Errors: the sink failed.
fn answer_unchanged<R: Register, S: Loads<R>>(
    sink: &mut S,
    opened: &Opened,
    path: Option<&Path>,
    opts: &ImportOptions,
    reading: &str,
) -> Result<Option<ImportSummary>> {
    let Some(path) = path.filter(|_| !opts.dry_run && opts.rejects.is_none()) else {
        return Ok(None);
    };
    let map = &opened.map;
    let blank_headed = (0..map.names().len())
        .any(|i| map.field_at(i).is_none() && normalize::is_blank(&map.names()[i]));
    if blank_headed {
        return Ok(None);
    }
    let start = BatchStart {
        kind: R::KIND,
        file_name: &opened.file_name,
        read_as: opened.data.rows.code(),
        sheet: opened.sheet.as_deref(),
        today: opts.today,
        dry_run: opts.dry_run,
        reading,
    };
    // The digest of the whole file, as the full import records it; a file that cannot be
    // read again is read the long way, which says why.
    let mut digest = || -> Result<Option<String>> {
        let hash = SharedHash::default();
        let read = File::open(path).and_then(|mut f| hash.update_from(&mut f));
        Ok(read.ok().map(|()| hash.hex()))
    };
    let Some((counts, previous)) = sink.unchanged_since(&start, &mut digest)? else {
        return Ok(None);
    };
    Ok(Some(ImportSummary {
        file: opened.file.clone(),
        encoding: opened.encoding.clone(),
        counts,
        previous,
        rejects: None,
        committed: true,
        missing: None,
    }))
}

/// The writer's side of an import: counts what storing each row did, and reports the rows
/// refused.
struct Tally<'a, 'o> {
    map: &'a HeaderMap,
    counts: Counts,
    rejects: Rejects<'o>,
    /// Columns without a header, and the first line where one holds data.
    blank_headed: Vec<(usize, Option<u64>)>,
    /// The digest of the bytes read so far, whose count moves a CSV file's progress bar.
    hash: SharedHash,
    /// The file as messages name it.
    file: &'a str,
}

impl<'a, 'o> Tally<'a, 'o> {
    fn new(map: &'a HeaderMap, rejects: Rejects<'o>, hash: SharedHash, file: &'a str) -> Self {
        let blank_headed = (0..map.names().len())
            .filter(|i| map.field_at(*i).is_none() && normalize::is_blank(&map.names()[*i]))
            .map(|i| (i, None))
            .collect();
        Self {
            map,
            counts: Counts::default(),
            rejects,
            blank_headed,
            hash,
            file,
        }
    }

    /// Notes the first line where a column without a header holds data.
    fn see(&mut self, row: &RawRow) {
        for (i, first) in self.blank_headed.iter_mut().filter(|(_, l)| l.is_none()) {
            if row.cells.get(*i).is_some_and(|c| !normalize::is_blank(c)) {
                *first = Some(row.line);
            }
        }
    }

    /// Counts what storing `row` did; a refused row goes to the rejects.
    fn tally(&mut self, row: &RawRow, stored: Result<Outcome, Vec<CellError>>) -> Result<()> {
        self.counts.read += 1;
        match stored {
            Ok(Outcome::New) => self.counts.new += 1,
            Ok(Outcome::Updated) => self.counts.updated += 1,
            Ok(Outcome::Unchanged) => self.counts.unchanged += 1,
            Err(errors) => {
                self.counts.rejected += 1;
                self.rejects.add(row, self.map, &errors)?;
            }
        }
        testhook::kill_after_row(self.counts.read);
        Ok(())
    }

    /// Moves the progress bar: the bytes read of a CSV file, the rows of a workbook.
    fn show_progress(&self) {
        if let Some(bar) = &self.rejects.progress {
            if bar.length().is_some() {
                bar.set_position(self.hash.bytes());
            } else {
                bar.set_position(self.counts.read);
            }
        }
    }

    /// Warns of a register with a header but no data rows and of columns without a header
    /// that hold data, prints the store's notes, and has
    /// the store write out what it holds.
    ///
    /// Errors: the sink failed.
    fn finish<T>(&mut self, quiet: bool, store: &mut dyn Store<T>) -> Result<()> {
        let file = self.file;
        if !quiet {
            if self.counts.read == 0 {
                let _ = writeln!(
                    self.rejects.out,
                    "{}",
                    t!("import.warn.no_rows", file = file)
                );
            }
            for (i, first) in &self.blank_headed {
                if let Some(line) = first {
                    let letter = read::column_letter(*i);
                    let _ = writeln!(
                        self.rejects.out,
                        "{}",
                        t!(
                            "import.warn.blank_header",
                            file = file,
                            letter = &letter,
                            line = line
                        )
                    );
                }
            }
            for (line, note) in store.notes().iter().take(MAX_PRINTED as usize) {
                let at = t!("import.at.line", file = file, line = line);
                let _ = writeln!(
                    self.rejects.out,
                    "{}",
                    t!("import.note", at = at, note = note)
                );
            }
        }
        store.finish()
    }
}

/// Reads, validates and resolves the rows on one thread while this one stores them: the two
/// halves of a large import take about as long as each other. The channel holds a few
/// batches, so memory stays flat however large the file.
///
/// Errors: the sink failed (the first such error stops the import); the rows cannot be read.
fn pump<R: Register, V: Resolve<R>>(
    data: Data,
    today: NaiveDate,
    resolver: V,
    store: &mut dyn Store<V::Resolved>,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let map = tally.map;
    let mapped_columns = (0..map.names().len())
        .filter(|i| map.field_at(*i).is_some())
        .count();
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Item<V::Resolved>>>(4);
        // Written batches go back to the reader to be freed where they were allocated:
        // freeing across threads is the slow path of the system allocator.
        let (recycle, recycled) = std::sync::mpsc::sync_channel::<Vec<Item<V::Resolved>>>(8);
        let reader = std::thread::Builder::new().name("nuanfeng-read".into());
        let producer = reader.spawn_scoped(scope, move || {
            let reading = Reading {
                map,
                mapped_columns,
                today,
            };
            reading.prepare_all::<R, V>(data, resolver, &send, &recycled)
        })?;
        let stored = store_rows(receive, recycle, store, tally);
        let read = producer.join();
        stored?;
        read.map_err(|_| anyhow::anyhow!("{}", t!("import.reader_stopped")))?
            .with_context(|| tally.file.to_string())
    })
}

/// What the reader thread needs to read and prepare the data rows.
struct Reading<'a> {
    map: &'a HeaderMap,
    /// Columns mapped to a field: a footer row fills at most half of them.
    mapped_columns: usize,
    today: NaiveDate,
}

impl Reading<'_> {
    /// Reads the data rows below the header, skips blank and footer rows, and sends the rest,
    /// validated and resolved, in batches of [`BATCH_ROWS`].
    ///
    /// Errors: a row cannot be read.
    fn prepare_all<R: Register, V: Resolve<R>>(
        &self,
        data: Data,
        mut resolver: V,
        send: &SyncSender<Vec<Item<V::Resolved>>>,
        recycled: &Receiver<Vec<Item<V::Resolved>>>,
    ) -> Result<()> {
        let Data { mut rows, head, at } = data;
        let mut all = head.into_iter().skip(at + 1).map(Ok).chain(rows.by_ref());
        let mut items = Vec::with_capacity(BATCH_ROWS);
        let mut ahead = Vec::with_capacity(WARM_ROWS);
        let phones = self.map.has(Field::Phone);
        loop {
            while let Ok(done) = recycled.try_recv() {
                drop(done);
            }
            for r in all.by_ref() {
                let row = r?;
                if is_blank(&row) || is_footer(&row, self.mapped_columns) {
                    continue;
                }
                ahead.push(row);
                if ahead.len() == WARM_ROWS {
                    break;
                }
            }
            if ahead.is_empty() {
                break;
            }
            if phones {
                let touched = ahead.iter().fold(0, |t, row| {
                    t ^ <V as Resolve<R>>::warm(&resolver, self.map.get(row, Field::Phone))
                });
                std::hint::black_box(touched);
            }
            for row in ahead.drain(..) {
                let prepared = prepare::<R, V>(self.map, &row, self.today, &mut resolver);
                items.push(Item { row, prepared });
                if items.len() == BATCH_ROWS && send.send(std::mem::take(&mut items)).is_err() {
                    // The writer stopped; its error is the one to report.
                    return Ok(());
                }
            }
        }
        if !items.is_empty() {
            let _ = send.send(items);
        }
        Ok(())
    }
}

/// Stores the prepared rows a window at a time (see [`Store::window`]; with none, each batch
/// as it comes), the waiting ones (see [`Store::waits`]) after all the others, and counts
/// what each did.
///
/// Errors: the sink failed (nothing more is stored); the rejects file cannot be written.
fn store_rows<T>(
    receive: Receiver<Vec<Item<T>>>,
    recycle: SyncSender<Vec<Item<T>>>,
    store: &mut dyn Store<T>,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let mut waiting: Vec<(RawRow, T)> = Vec::new();
    let window = store.window();
    let mut held: Vec<Vec<Item<T>>> = Vec::new();
    let mut held_rows = 0;
    for items in receive {
        held_rows += items.len();
        held.push(items);
        if held_rows >= window {
            store_window(&mut held, window > 0, store, tally, &mut waiting, &recycle)?;
            held_rows = 0;
        }
    }
    if !held.is_empty() {
        store_window(&mut held, false, store, tally, &mut waiting, &recycle)?;
    }
    let refs: Vec<(u64, &T)> = waiting.iter().map(|(row, p)| (row.line, p)).collect();
    for (i, stored) in store.store_waiting(&refs)? {
        tally.tally(&waiting[i].0, stored)?;
    }
    Ok(())
}

/// Stores the rows held in `held` in the store's [`window_order`](Store::window_order) when
/// the window is `full`, else (no window, or the file's last rows) as read; sets the waiting
/// ones aside into `waiting`, counts every other row in file order, and empties `held`.
///
/// Errors: the sink failed; the rejects file cannot be written.
fn store_window<T>(
    held: &mut Vec<Vec<Item<T>>>,
    full: bool,
    store: &mut dyn Store<T>,
    tally: &mut Tally<'_, '_>,
    waiting: &mut Vec<(RawRow, T)>,
    recycle: &SyncSender<Vec<Item<T>>>,
) -> Result<()> {
    // Rows set aside to wait are marked, so that the counting pass passes over them.
    let mut set_aside = Vec::new();
    for item in held.iter_mut().flatten() {
        if !tally.blank_headed.is_empty() {
            tally.see(&item.row);
        }
        let waits = matches!(&item.prepared, Ok(p) if store.waits(p));
        if waits && let Ok(p) = std::mem::replace(&mut item.prepared, Err(Vec::new())) {
            waiting.push((item.row.clone(), p));
        }
        set_aside.push(waits);
    }
    let rows: Vec<(u64, &T)> = held
        .iter()
        .flatten()
        .filter_map(|item| item.prepared.as_ref().ok().map(|p| (item.row.line, p)))
        .collect();
    let order = if full {
        store.window_order(&rows)
    } else {
        (0..rows.len()).collect()
    };
    let mut outcomes: Vec<Option<Result<Outcome, Vec<CellError>>>> = Vec::new();
    outcomes.resize_with(rows.len(), || None);
    for i in order {
        let (line, item) = rows[i];
        outcomes[i] = Some(row_outcome(store.store(item, line))?);
    }
    drop(rows);
    let mut outcomes = outcomes.into_iter();
    let mut set_aside = set_aside.into_iter();
    for mut items in held.drain(..) {
        for item in &mut items {
            if set_aside.next() == Some(true) {
                continue;
            }
            let stored = match &mut item.prepared {
                Ok(_) => outcomes
                    .next()
                    .flatten()
                    .expect("a window order names every row of the window once"),
                Err(problems) => Err(std::mem::take(problems)),
            };
            tally.tally(&item.row, stored)?;
        }
        let _ = recycle.try_send(items);
    }
    tally.show_progress();
    Ok(())
}

/// A container read twice: once for the names of its parts, then as a workbook.
trait ReadSeek: Read + io::Seek {}
impl<T: Read + io::Seek> ReadSeek for T {}

/// Rows of a register: CSV text, or one sheet of a workbook.
enum Rows {
    Csv(CsvRows),
    Book(WorkbookRows),
}

impl Iterator for Rows {
    type Item = Result<RawRow>;

    fn next(&mut self) -> Option<Self::Item> {
        let (row, sheet) = match self {
            Self::Csv(r) => (r.next()?, false),
            Self::Book(r) => (r.next()?, true),
        };
        Some(row.and_then(|r| within_limits(r, sheet)))
    }
}

/// `row` if it is within Excel's limits ([`limits`]): a row of a `sheet` up to 1,048,576 (a
/// CSV file has no such limit: Excel's is of what it shows, and a CSV file holds data), at
/// most 16,384 cells, none longer than 32,767 characters.
///
/// Errors: the first limit passed, with the row's line (and the cell's column).
fn within_limits(row: RawRow, sheet: bool) -> Result<RawRow> {
    if sheet && row.row > limits::MAX_ROWS {
        bail!(
            "{}",
            t!(
                "limits.too_many_rows",
                row = limits::grouped(row.row),
                limit = limits::grouped(limits::MAX_ROWS)
            )
        );
    }
    if row.cells.len() > limits::MAX_COLUMNS {
        bail!(
            "{}",
            t!(
                "limits.too_many_columns",
                line = row.line,
                columns = limits::grouped(row.cells.len() as u64),
                limit = limits::grouped(limits::MAX_COLUMNS as u64)
            )
        );
    }
    // Bytes first: a cell of fewer bytes than the limit has fewer characters.
    let long = row.cells.iter().enumerate().find(|(_, c)| {
        c.len() > limits::MAX_CELL_CHARS && c.chars().nth(limits::MAX_CELL_CHARS).is_some()
    });
    if let Some((i, cell)) = long {
        bail!(
            "{}",
            t!(
                "limits.cell_too_long",
                line = row.line,
                column = read::column_letter(i),
                chars = limits::grouped(cell.chars().count() as u64),
                limit = limits::grouped(limits::MAX_CELL_CHARS as u64)
            )
        );
    }
    Ok(row)
}

impl Rows {
    /// What was read, for the first message: `UTF-8`, `sheet 台账 (xlsx)`.
    fn label(&self) -> String {
        match self {
            Self::Csv(r) => r.encoding().to_string(),
            Self::Book(b) => {
                t!("import.sheet_label", sheet = &b.sheet, kind = b.kind.code()).into_owned()
            }
        }
    }

    /// Stored with the import batch: the encoding, or the workbook kind.
    fn code(&self) -> &'static str {
        match self {
            Self::Csv(r) => r.encoding().code(),
            Self::Book(b) => b.kind.code(),
        }
    }
}

/// Opens a register as rows. A workbook (recognised by its bytes) is read from `path` (from
/// `source` when there is no path), its sheet chosen by `--sheet` or by `recognised` (the
/// sheet with the register's header); its SHA-256 is taken from the whole workbook. Anything
/// else is read as CSV text from `source`.
fn open_rows(
    name: &str,
    path: Option<&Path>,
    mut source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    hash: SharedHash,
    recognised: &dyn Fn(&[RawRow]) -> Recognised,
) -> Result<Rows> {
    let mut magic = [0u8; sniff::MAGIC_BYTES];
    let cannot_read = || t!("import.cannot_read", file = name).into_owned();
    let n = read_up_to(&mut source, &mut magic)
        .map_err(crate::db::worded_io)
        .with_context(cannot_read)?;
    if let Some(what) = sniff::by_magic(&magic[..n]) {
        bail!("{}", what.message(name));
    }
    if let Some(kind) = WorkbookKind::sniff(name, &magic[..n]) {
        let probe_rows = opts.header_row.map_or(0, |h| h.last() as usize);
        let lower = name.to_lowercase();
        let named_workbook = [".xlsx", ".xlsm", ".ods"]
            .iter()
            .any(|x| lower.ends_with(x));
        let container = |f: &mut dyn ReadSeek| match kind {
            WorkbookKind::Xls => sniff::ole_content(f),
            _ => sniff::zip_content(f, named_workbook),
        };
        let Some(path) = path else {
            // A workbook held in memory (`check_register`, standard input): read whole, up to
            // the limit of a workbook file.
            let mut bytes = magic[..n].to_vec();
            source
                .take(limits::MAX_WORKBOOK_BYTES + 1 - n as u64)
                .read_to_end(&mut bytes)
                .with_context(cannot_read)?;
            limits::workbook_size(name, bytes.len() as u64)?;
            if let Some(what) = container(&mut io::Cursor::new(&bytes)).with_context(cannot_read)? {
                bail!("{}", what.message(name));
            }
            hash.update_from(&mut bytes.as_slice())?;
            return Ok(Rows::Book(workbook::open_bytes(
                Path::new(name),
                &bytes,
                kind,
                opts.sheet.as_deref(),
                probe_rows,
                recognised,
            )?));
        };
        drop(source);
        let mut file = File::open(path)
            .map_err(crate::db::worded_io)
            .with_context(|| t!("import.cannot_open", file = name).into_owned())?;
        // An .xls and the names of its streams are read whole: its size is bounded first.
        let size = file.metadata().map(|m| m.len()).with_context(cannot_read)?;
        limits::workbook_size(name, size)?;
        if let Some(what) = container(&mut file).with_context(cannot_read)? {
            bail!("{}", what.message(name));
        }
        hash.update_from(&mut file).with_context(cannot_read)?;
        return Ok(Rows::Book(workbook::open(
            path,
            kind,
            opts.sheet.as_deref(),
            probe_rows,
            recognised,
        )?));
    }
    // Systems that "export to Excel" often write a web page or an XML Spreadsheet 2003 and
    // name it .xls: markup, not a register.
    let start = magic[..n]
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&magic[..n]);
    if start.trim_ascii_start().starts_with(b"<") {
        bail!("{}", t!("import.web_page", file = name));
    }
    // A file named as a workbook whose bytes are neither a workbook nor text (random bytes,
    // a file cut or overwritten): said so, rather than read as GB18030.
    let mut head = magic[..n].to_vec();
    let lower = name.to_lowercase();
    if [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|x| lower.ends_with(x))
    {
        let mut more = vec![0u8; read::TEXT_SNIFF_BYTES.saturating_sub(n)];
        let m = read_up_to(&mut source, &mut more)
            .map_err(crate::db::worded_io)
            .with_context(cannot_read)?;
        head.extend_from_slice(&more[..m]);
        if !read::looks_like_text(&head) {
            bail!("{}", t!("limits.not_a_workbook", file = name));
        }
    }
    if opts.sheet.is_some() {
        bail!("{}", t!("import.sheet_for_csv", file = name));
    }
    let source: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(source));
    Ok(Rows::Csv(
        CsvRows::new(source, opts.encoding, hash).with_context(|| name.to_string())?,
    ))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::{Previous, Sink, StoreError};

    /// The pipeline's sink without a database: workers kept in a `Vec`, landed when the
    /// batch commits. Only 柳巷街道 is a known street.
    #[derive(Default)]
    struct VecSink {
        landed: Vec<(u64, WorkerRecord)>,
        batches: Vec<(String, Counts, bool)>,
    }

    struct KnownStreets;

    impl Resolve<WorkerRecord> for KnownStreets {
        type Resolved = WorkerRecord;

        fn resolve(&mut self, record: WorkerRecord) -> Result<WorkerRecord, Vec<CellError>> {
            Ok(record)
        }

        fn street_problem(&mut self, street: &str) -> Option<String> {
            (street != "柳巷街道").then(|| "not a known street".to_string())
        }
    }

    struct VecStore(Vec<(u64, WorkerRecord)>);

    impl Store<WorkerRecord> for VecStore {
        fn store(&mut self, item: &WorkerRecord, line: u64) -> Result<Outcome, StoreError> {
            if self.0.iter().any(|(_, r)| r.phone == item.phone) {
                return Ok(Outcome::Unchanged);
            }
            self.0.push((line, item.clone()));
            Ok(Outcome::New)
        }
    }

    impl Sink for VecSink {
        fn location(&self) -> Option<&Path> {
            None
        }
    }

    impl Loads<WorkerRecord> for VecSink {
        type Item = WorkerRecord;
        type Resolver = KnownStreets;

        fn batch<T>(
            &mut self,
            start: &BatchStart<'_>,
            fill: impl FnOnce(KnownStreets, &mut dyn Store<WorkerRecord>) -> Result<(T, BatchEnd)>,
        ) -> Result<(T, Option<Previous>)> {
            let mut store = VecStore(Vec::new());
            let (value, end) = fill(KnownStreets, &mut store)?;
            self.batches
                .push((start.file_name.to_string(), end.counts, end.commit));
            if end.commit {
                self.landed.extend(store.0);
            }
            Ok((value, None))
        }
    }

    /// A register as offices send it: a title above the header, a 合计 line below the data,
    /// one good row, one row with two problems.
    const WORKERS: &str = "从业人员台账（2025年7月）\n\
        姓名,手机号,从业类型,所属街道\n\
        郭志伟,13623517804,快递员,柳巷\n\
        李浩,1590351442,外卖员,柳港街道\n\
        合计,2,,\n";

    fn run(sink: &mut VecSink, skip_invalid: bool) -> (Result<ImportSummary>, String) {
        let opts = ImportOptions {
            encoding: EncodingChoice::Auto,
            sheet: None,
            header_row: None,
            maps: Vec::new(),
            skip_invalid,
            rejects: None,
            dry_run: false,
            today: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
            quiet: true,
            missing_left_on: None,
        };
        let input = Input {
            name: "data/workers.csv",
            path: None,
            source: Box::new(io::Cursor::new(WORKERS.as_bytes().to_vec())),
        };
        let mut out = Vec::new();
        let result = import_register::<WorkerRecord, _>(sink, input, &opts, &mut out);
        (result, String::from_utf8(out).expect("UTF-8 messages"))
    }

    #[test]
    fn a_whole_import_runs_through_an_in_memory_sink() {
        let mut sink = VecSink::default();
        let (result, out) = run(&mut sink, true);
        let summary = result.expect("the good row lands");
        assert_eq!(
            summary.counts,
            Counts {
                read: 2,
                new: 1,
                updated: 0,
                unchanged: 0,
                rejected: 1
            }
        );
        assert!(summary.committed);
        // The title and the 合计 line are not rows; the good row is stored as validated.
        assert_eq!(sink.landed.len(), 1);
        let (line, worker) = &sink.landed[0];
        assert_eq!(*line, 3);
        assert_eq!(worker.name, "郭志伟");
        assert_eq!(
            worker.phone.as_ref().map(|p| p.as_str()),
            Some("13623517804")
        );
        assert_eq!(worker.street, "柳巷");
        assert_eq!(
            sink.batches,
            vec![("workers.csv".to_string(), summary.counts, true)]
        );
        // Both problems of the bad row, in column order, the phone masked.
        let problems: Vec<&str> = out.lines().collect();
        assert_eq!(problems.len(), 2, "{out}");
        assert!(
            problems[0].starts_with("data/workers.csv:4: 手机号 (B): "),
            "{out}"
        );
        assert!(!out.contains("1590351442"), "{out}");
        assert_eq!(
            problems[1],
            "data/workers.csv:4: 所属街道 (D): 柳港街道: not a known street"
        );
    }

    #[test]
    fn a_file_with_a_bad_row_lands_nothing_without_skip_invalid() {
        let mut sink = VecSink::default();
        let (result, _) = run(&mut sink, false);
        let e = result.expect_err("refused");
        let refused = e.downcast_ref::<Refused>().expect("refused for its rows");
        assert_eq!((refused.rejected, refused.read), (1, 2));
        assert!(sink.landed.is_empty());
        assert_eq!(sink.batches.len(), 1);
        assert!(!sink.batches[0].2, "the batch is not committed");
    }

    /// A sink whose store fails as a database does, at the second row.
    struct Failing(u64);

    impl Store<WorkerRecord> for Failing {
        fn store(&mut self, _item: &WorkerRecord, _line: u64) -> Result<Outcome, StoreError> {
            self.0 += 1;
            if self.0 == 2 {
                return Err(StoreError::Db(anyhow::anyhow!("the disk is full")));
            }
            Ok(Outcome::New)
        }
    }

    struct FailingSink(Vec<BatchEnd>);

    impl Sink for FailingSink {
        fn location(&self) -> Option<&Path> {
            None
        }
    }

    impl Loads<WorkerRecord> for FailingSink {
        type Item = WorkerRecord;
        type Resolver = KnownStreets;

        fn batch<T>(
            &mut self,
            _start: &BatchStart<'_>,
            fill: impl FnOnce(KnownStreets, &mut dyn Store<WorkerRecord>) -> Result<(T, BatchEnd)>,
        ) -> Result<(T, Option<Previous>)> {
            let (value, end) = fill(KnownStreets, &mut Failing(0))?;
            self.0.push(end);
            Ok((value, None))
        }
    }

    #[test]
    fn a_failing_sink_stops_the_import_even_with_skip_invalid() {
        let mut sink = FailingSink(Vec::new());
        let csv = "姓名,手机号,从业类型,所属街道\n\
                   郭志伟,13623517804,快递员,柳巷\n\
                   李浩,15903514426,外卖员,柳巷\n\
                   王芳,13800138000,外卖员,柳巷\n";
        let opts = ImportOptions {
            encoding: EncodingChoice::Auto,
            sheet: None,
            header_row: None,
            maps: Vec::new(),
            skip_invalid: true,
            rejects: None,
            dry_run: false,
            today: NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date"),
            quiet: true,
            missing_left_on: None,
        };
        let input = Input {
            name: "workers.csv",
            path: None,
            source: Box::new(io::Cursor::new(csv.as_bytes().to_vec())),
        };
        let mut out = Vec::new();
        let e = import_register::<WorkerRecord, _>(&mut sink, input, &opts, &mut out)
            .expect_err("the sink's failure is the import's");
        assert_eq!(e.to_string(), "the disk is full");
        // Not counted as a rejected row, and the batch never asked to commit.
        assert!(sink.0.is_empty());
        assert!(out.is_empty());
    }
}
