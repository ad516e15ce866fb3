//! Importing registers: read (bytes → rows of strings) → map headers → normalize → validate →
//! load. This module wires the stages together for one file inside one transaction: the file
//! lands whole or not at all, unless the user asked to skip bad rows, and then every bad row
//! is written to a rejects file with its reasons.

pub mod header;

pub mod read;
pub mod validate;
pub mod workbook;

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};

use crate::db::Db;
use crate::db::batches::{self, Counts};
use crate::db::events::{
    CheckinWriter, EventResolver, PointWriter, ResolvedCheckin, ResolvedPoint,
};
use crate::db::places::{self, Outcome};
use crate::db::records::{
    self, InstructorLoader, ResolvedService, ResolvedTip, ServiceWriter, TipWriter,
};
use crate::db::stations::StationLoader;
use crate::db::workers::{Origin, WorkerLoader};
use crate::model::normalize;
use crate::testhook;
use header::{Field, HeaderMap, MapOverride, RegisterKind};
use read::{CsvRows, EncodingChoice, RawRow, SharedHash};
use validate::{
    AwardRecord, CellError, Cells, DivisionRecord, InstructorRecord, StationRecord, WishRecord,
    WorkerRecord,
};
use workbook::{WorkbookKind, WorkbookRows};

/// How to import one file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// `--encoding`.
    pub encoding: EncodingChoice,
    /// `--sheet`: a sheet name or a 1-based position.
    pub sheet: Option<String>,
    /// `--header-row`: the line (or sheet row) of the header, 1-based.
    pub header_row: Option<u64>,
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
}

/// A file refused because some of its rows are bad; nothing was written. Exit code 1.
#[derive(Debug, thiserror::Error)]
#[error(
    "{file}: {rejected} of {read} {} {} problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE",
    if *.read == 1 { "row" } else { "rows" },
    if *.rejected == 1 { "has" } else { "have" }
)]
pub struct Refused {
    /// File name.
    pub file: String,
    /// Rows with problems.
    pub rejected: u64,
    /// Data rows read.
    pub read: u64,
}

/// How many row problems are printed to stderr; the rest go to the rejects file.
const MAX_PRINTED: u64 = 100;

/// Writes row problems to stderr and, when asked, to the rejects file.
struct Rejects<'a> {
    file: String,
    out: &'a mut dyn Write,
    writer: Option<csv::Writer<File>>,
    printed: u64,
    /// The progress bar, cleared while a problem is printed and drawn again after.
    progress: Option<ProgressBar>,
}

impl Rejects<'_> {
    fn start(&mut self, map: &HeaderMap) -> Result<()> {
        if let Some(w) = &mut self.writer {
            let mut head = vec!["行号", "表格行号", "问题列", "问题"];
            head.extend(map.names().iter().map(String::as_str));
            w.write_record(&head)?;
        }
        Ok(())
    }

    fn add(&mut self, row: &RawRow, map: &HeaderMap, errors: &[CellError]) -> Result<()> {
        let at = if row.line == row.row {
            format!("{}:{}", self.file, row.line)
        } else {
            format!("{}:{} (row {})", self.file, row.line, row.row)
        };
        for e in errors {
            if self.printed < MAX_PRINTED {
                let value = if e.shown.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", e.shown)
                };
                let line = format!("{at}: {}: {value}{}", map.column_label(e.field), e.problem);
                let out = &mut self.out;
                match &self.progress {
                    Some(bar) => bar.suspend(|| writeln!(out, "{line}")),
                    None => writeln!(out, "{line}"),
                }
                .ok();
            }
            self.printed += 1;
        }
        if let Some(w) = &mut self.writer {
            let mut columns: Vec<String> = errors.iter().map(|e| map.header_of(e.field)).collect();
            columns.dedup();
            let problems: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", map.column_label(e.field), e.problem))
                .collect();
            let mut rec = vec![
                row.line.to_string(),
                row.row.to_string(),
                columns.join("、"),
                problems.join("; "),
            ];
            // The row as written, but no number that may be an ID or a phone in clear, in
            // any column (ignored ones included).
            for (i, cell) in row.cells.iter().enumerate() {
                rec.push(match map.field_at(i) {
                    Some(f) if f.is_personal() => validate::shown(f, cell),
                    _ => crate::model::mask_numbers(cell),
                });
            }
            w.write_record(&rec)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if self.printed > MAX_PRINTED {
            let _ = writeln!(
                self.out,
                "{}: … and {} more problems (all of them are in the rejects file, with --rejects FILE)",
                self.file,
                self.printed - MAX_PRINTED
            );
        }
        if let Some(w) = &mut self.writer {
            w.flush()?;
        }
        Ok(())
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
    let first = normalize::text(first);
    FOOTER_MARKS.iter().any(|m| first.starts_with(m)) && (1 + filled.count()) * 2 <= columns.max(2)
}

fn is_blank(row: &RawRow) -> bool {
    row.cells.iter().all(normalize::is_blank)
}

/// Files above this size (bytes) get a progress bar: about ten thousand rows.
const PROGRESS_FROM_BYTES: u64 = 1 << 20;

/// Rows handed from the reader thread to the writer at a time.
const BATCH_ROWS: usize = 512;

/// A data row and what validation and resolution made of it.
struct Item {
    row: RawRow,
    prepared: Result<Prepared, Vec<CellError>>,
}

/// A row ready to be written.
enum Prepared {
    // Boxed: a batch of items is moved between threads, and a worker row is large.
    Worker(Box<WorkerRecord>),
    Station(Box<StationRecord>),
    Division(Option<DivisionRecord>),
    Checkin(ResolvedCheckin),
    Point(ResolvedPoint),
    Service(Box<ResolvedService>),
    Tip(Box<ResolvedTip>),
    Wish(i64, Box<WishRecord>),
    Award(i64, Box<AwardRecord>),
    Instructor(Box<InstructorRecord>),
    Org(Box<validate::OrgRecord>),
}

/// Validates a row and, for events, finds the worker and places it names (in memory).
fn prepare(
    kind: RegisterKind,
    map: &HeaderMap,
    row: &RawRow,
    today: NaiveDate,
    mut resolver: Option<&mut EventResolver>,
) -> Result<Prepared, Vec<CellError>> {
    let excel_errors = validate::excel_errors(map, row);
    let prepared = validate_and_resolve(kind, map, row, today, resolver.as_deref_mut());
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
        if let Some(r) = resolver
            && map.has(Field::Street)
            && !errors.iter().any(|e| e.field == Field::Street)
        {
            let street = normalize::name(map.get(row, Field::Street));
            if !street.is_empty()
                && let Err(p) = r.places.street_cached(&street)
            {
                errors.push(CellError::new(Field::Street, &street, p));
            }
        }
        errors.sort_by_key(|e| map.position(e.field));
        errors.dedup();
        errors
    })
}

fn validate_and_resolve(
    kind: RegisterKind,
    map: &HeaderMap,
    row: &RawRow,
    today: NaiveDate,
    resolver: Option<&mut EventResolver>,
) -> Result<Prepared, Vec<CellError>> {
    let mut c = Cells::new(map, row);
    let done = "a record when there are no errors";
    match kind {
        RegisterKind::Workers => {
            let rec = validate::worker(&mut c, today);
            Ok(Prepared::Worker(Box::new(c.finish(rec)?.expect(done))))
        }
        RegisterKind::Stations => {
            let rec = validate::station(&mut c);
            Ok(Prepared::Station(Box::new(c.finish(rec)?.expect(done))))
        }
        RegisterKind::Streets => {
            let rec = validate::division(&mut c);
            Ok(Prepared::Division(c.finish(rec)?.expect(done)))
        }
        RegisterKind::Checkins => {
            let rec = validate::checkin(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Checkin(resolver.checkin(rec)?))
        }
        RegisterKind::Points => {
            let rec = validate::points(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Point(resolver.point(rec)?))
        }
        RegisterKind::Services => {
            let rec = validate::service(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Service(Box::new(resolver.service(rec)?)))
        }
        RegisterKind::Tips => {
            let rec = validate::tip(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Tip(Box::new(resolver.tip(rec)?)))
        }
        RegisterKind::Wishes => {
            let rec = validate::wish(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Wish(resolver.worker_of(&rec.who)?, Box::new(rec)))
        }
        RegisterKind::Awards => {
            let rec = validate::award(&mut c, today);
            let rec = c.finish(rec)?.expect(done);
            let resolver = resolver.expect("event imports have a resolver");
            Ok(Prepared::Award(
                resolver.worker_of(&rec.who)?,
                Box::new(rec),
            ))
        }
        RegisterKind::Instructors => {
            let rec = validate::instructor(&mut c, today);
            Ok(Prepared::Instructor(Box::new(c.finish(rec)?.expect(done))))
        }
        RegisterKind::Orgs => {
            let rec = validate::org(&mut c, today);
            Ok(Prepared::Org(Box::new(c.finish(rec)?.expect(done))))
        }
    }
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
/// event rows are not looked up (that needs the registry).
///
/// Returns the rows read and how many have problems. Errors: what `import` refuses the whole
/// file for — unreadable bytes, a web page, no header, a required column missing. It never
/// panics on any input: the fuzz target `register` (`fuzz/`) and the properties in
/// `tests/properties.rs` hold it to that.
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
    };
    let recognised = |rows: &[RawRow]| HeaderMap::detect(kind, rows, None, &[]).is_ok();
    let mut rows = match WorkbookKind::sniff(name, &bytes[..bytes.len().min(8)]) {
        Some(book) => Opened::Book(workbook::open_bytes(
            Path::new(name),
            bytes,
            book,
            None,
            0,
            &recognised,
        )?),
        None => open_rows(
            name,
            None,
            Box::new(io::Cursor::new(bytes.to_vec())),
            &opts,
            SharedHash::default(),
            &recognised,
        )?,
    };
    let mut head = Vec::new();
    for r in rows.by_ref().take(10) {
        head.push(r?);
    }
    if head.is_empty() {
        bail!("{name}: the file is empty — export the register again");
    }
    let (mut map, at) = HeaderMap::detect(kind, &head, None, &[])?;
    map.serial_1904 = matches!(&rows, Opened::Book(b) if b.date1904);
    let mapped_columns = (0..map.names().len())
        .filter(|i| map.field_at(*i).is_some())
        .count();
    let mut checked = Checked::default();
    for r in head.into_iter().skip(at + 1).map(Ok).chain(rows) {
        let row = r?;
        if is_blank(&row) || is_footer(&row, mapped_columns) {
            continue;
        }
        checked.rows += 1;
        let mut errors = validate::excel_errors(&map, &row);
        if let Err(e) = validate_only(kind, &map, &row, today) {
            errors.extend(e);
        }
        if !errors.is_empty() {
            checked.rejected += 1;
        }
    }
    Ok(checked)
}

/// Validates a row into a record of `kind` and drops it: [`validate_and_resolve`] without the
/// look-ups, with the same promise that a row without problems gives a record.
fn validate_only(
    kind: RegisterKind,
    map: &HeaderMap,
    row: &RawRow,
    today: NaiveDate,
) -> Result<(), Vec<CellError>> {
    let mut c = Cells::new(map, row);
    let done = "a record when there are no errors";
    match kind {
        RegisterKind::Workers => {
            let r = validate::worker(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Stations => {
            let r = validate::station(&mut c);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Streets => {
            let r = validate::division(&mut c);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Checkins => {
            let r = validate::checkin(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Points => {
            let r = validate::points(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Services => {
            let r = validate::service(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Tips => {
            let r = validate::tip(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Wishes => {
            let r = validate::wish(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Awards => {
            let r = validate::award(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Instructors => {
            let r = validate::instructor(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
        RegisterKind::Orgs => {
            let r = validate::org(&mut c, today);
            c.finish(r)?.map(drop).expect(done);
        }
    }
    Ok(())
}

/// The loader of one register kind, inside the import's transaction.
enum Writer<'c> {
    Workers(Box<WorkerLoader<'c>>),
    Stations(Box<StationLoader<'c>>),
    Streets(&'c rusqlite::Connection),
    Checkins(Box<CheckinWriter<'c>>),
    Points(Box<PointWriter<'c>>),
    Services(Box<ServiceWriter<'c>>),
    Tips(Box<TipWriter<'c>>),
    Plain(&'c rusqlite::Connection, i64),
    Instructors(Box<InstructorLoader<'c>>, String),
    Orgs(Box<crate::db::orgs::OrgLoader<'c>>),
}

impl<'c> Writer<'c> {
    fn new(kind: RegisterKind, tx: &'c rusqlite::Connection, batch: i64) -> Result<Self> {
        Ok(match kind {
            RegisterKind::Workers => Self::Workers(Box::new(WorkerLoader::new(
                tx,
                Origin {
                    command: "import workers".into(),
                    batch: Some(batch),
                },
            )?)),
            RegisterKind::Stations => Self::Stations(Box::new(StationLoader::new(
                tx,
                Origin {
                    command: "import stations".into(),
                    batch: Some(batch),
                },
            )?)),
            RegisterKind::Streets => Self::Streets(tx),
            RegisterKind::Checkins => {
                Self::Checkins(Box::new(CheckinWriter::new(tx, Some(batch))?))
            }
            RegisterKind::Points => Self::Points(Box::new(PointWriter::new(tx, Some(batch))?)),
            RegisterKind::Services => {
                Self::Services(Box::new(ServiceWriter::new(tx, Some(batch))?))
            }
            RegisterKind::Tips => Self::Tips(Box::new(TipWriter::new(tx, Some(batch))?)),
            RegisterKind::Wishes | RegisterKind::Awards => Self::Plain(tx, batch),
            RegisterKind::Instructors => Self::Instructors(
                Box::new(InstructorLoader::new(tx, Some(batch))?),
                crate::model::today().to_string(),
            ),
            RegisterKind::Orgs => Self::Orgs(Box::new(crate::db::orgs::OrgLoader::new(
                tx,
                Origin {
                    command: "import orgs".into(),
                    batch: Some(batch),
                },
                crate::model::today(),
            )?)),
        })
    }

    fn store(&mut self, p: &Prepared, line: u64) -> Result<Outcome, Vec<CellError>> {
        match (self, p) {
            (Self::Workers(l), Prepared::Worker(r)) => l.load(r, line),
            (Self::Stations(l), Prepared::Station(r)) => l.load(r),
            (Self::Streets(_), Prepared::Division(None)) => Ok(Outcome::Unchanged),
            (Self::Streets(tx), Prepared::Division(Some(r))) => {
                let done = if r.code.len() == 9 {
                    places::upsert_street(tx, Some(&r.code), &r.name, Some(&r.parent))
                } else {
                    places::upsert_community(tx, &r.parent, &r.code, &r.name)
                };
                done.map_err(|e| vec![CellError::new(Field::Code, &r.code, e.to_string())])
            }
            (Self::Checkins(w), Prepared::Checkin(c)) => w.store(c),
            (Self::Points(w), Prepared::Point(p)) => w.store(p),
            (Self::Services(w), Prepared::Service(s)) => w.store(s).map(|(o, _)| o),
            (Self::Tips(w), Prepared::Tip(t)) => w.store(t).map(|(o, _)| o),
            (Self::Plain(tx, batch), Prepared::Wish(worker, w)) => {
                records::store_wish(tx, *worker, w, Some(*batch))
            }
            (Self::Plain(tx, batch), Prepared::Award(worker, a)) => {
                records::store_award(tx, *worker, a, Some(*batch))
            }
            (Self::Instructors(l, today), Prepared::Instructor(r)) => {
                l.line = line;
                l.load(r, today).map(|(o, _)| o)
            }
            (Self::Orgs(l), Prepared::Org(r)) => l.load(r, line).map(|l| l.outcome),
            _ => unreachable!("rows are prepared for the writer of their register kind"),
        }
    }
}

/// Rows of a register: CSV text, or one sheet of a workbook.
enum Opened {
    Csv(CsvRows),
    Book(WorkbookRows),
}

impl Iterator for Opened {
    type Item = Result<RawRow>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Csv(r) => r.next(),
            Self::Book(r) => r.next(),
        }
    }
}

impl Opened {
    /// What was read, for the first message: `UTF-8`, `sheet 台账 (xlsx)`.
    fn label(&self) -> String {
        match self {
            Self::Csv(r) => r.encoding().to_string(),
            Self::Book(b) => format!("sheet {} ({})", b.sheet, b.kind.code()),
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

/// Opens a register as rows. A workbook (recognised by its bytes) is read from `path`, its
/// sheet chosen by `--sheet` or by `recognised` (the sheet with the register's header); its
/// SHA-256 is taken from the file. Anything else is read as CSV text from `source`.
fn open_rows(
    name: &str,
    path: Option<&Path>,
    mut source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    hash: SharedHash,
    recognised: &dyn Fn(&[RawRow]) -> bool,
) -> Result<Opened> {
    let mut magic = [0u8; 8];
    let n = read_up_to(&mut source, &mut magic).with_context(|| format!("cannot read {name}"))?;
    if let Some(kind) = WorkbookKind::sniff(name, &magic[..n]) {
        let Some(path) = path else {
            bail!("{name} is a workbook; workbooks are read from files");
        };
        drop(source);
        hash.update_from(&mut File::open(path).with_context(|| format!("cannot open {name}"))?)
            .with_context(|| format!("cannot read {name}"))?;
        let probe_rows = opts.header_row.map_or(0, |n| n as usize);
        return Ok(Opened::Book(workbook::open(
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
        bail!(
            "{name} is a web page or XML file, not a workbook or CSV (systems that export \"to \
             Excel\" often write these) — open it in Excel or WPS, save it as .xlsx (另存为 → \
             Excel 工作簿), and import that"
        );
    }
    if opts.sheet.is_some() {
        bail!("--sheet is for workbooks; {name} is a text (CSV) file");
    }
    let source: Box<dyn Read + Send> = Box::new(io::Cursor::new(magic[..n].to_vec()).chain(source));
    Ok(Opened::Csv(
        CsvRows::new(source, opts.encoding, hash).with_context(|| name.to_string())?,
    ))
}

/// The first bytes of every rejects file: a BOM and the first headers.
const REJECTS_HEAD: &str = "\u{feff}行号,表格行号,";

/// Opens the rejects file for writing (readable by its owner only: it holds rows of people).
/// Refuses to overwrite the register being imported, the registry, or any existing file that
/// is not an earlier rejects file.
fn create_rejects(p: &Path, input: &Path, db: &Path) -> Result<csv::Writer<File>> {
    if same_file(p, input) {
        bail!(
            "--rejects {} is the file being imported — name another file for the rejected rows",
            p.display()
        );
    }
    if same_file(p, db) {
        bail!(
            "--rejects {} is the registry itself — name another file for the rejected rows",
            p.display()
        );
    }
    if p.exists() {
        let mut head = vec![0u8; REJECTS_HEAD.len()];
        let n = File::open(p)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .unwrap_or(0);
        if n == 0 && std::fs::metadata(p).is_ok_and(|m| m.is_dir())
            || &head[..n] != REJECTS_HEAD.as_bytes()
        {
            bail!(
                "the rejects file {} exists and is not a rejects file — it is never overwritten; \
                 name another with --rejects FILE",
                p.display()
            );
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(p)
        .with_context(|| format!("cannot write {}", p.display()))?;
    f.write_all("\u{feff}".as_bytes())?;
    Ok(csv::WriterBuilder::new().flexible(true).from_writer(f))
}

/// True when two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Imports one register file into `db`; see [`import_source`].
pub fn import_file(
    db: &mut Db,
    kind: RegisterKind,
    path: &Path,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    import_from(
        db,
        kind,
        &path.display().to_string(),
        Some(path),
        Box::new(file),
        opts,
        out,
    )
}

/// Imports one register, read from `source` and called `name` (a path as given) in
/// messages, into `db`. Messages (encoding, warnings, row problems) go to `out`.
///
/// Errors: the source cannot be read or its header is unusable (nothing written);
/// [`Refused`] when rows are bad and `skip_invalid` is off (nothing written).
pub fn import_source(
    db: &mut Db,
    kind: RegisterKind,
    name: &str,
    source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    import_from(db, kind, name, None, source, opts, out)
}

fn import_from(
    db: &mut Db,
    kind: RegisterKind,
    name: &str,
    path: Option<&Path>,
    source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    // Event loaders write only ids they read inside the import's own write transaction
    // (workers, streets and communities found or added there, the batch begun there), so the
    // per-row foreign-key lookups would prove what holds by construction; at a million rows
    // they cost more than the rest of the import together. Every other write keeps them.
    let bulk = matches!(kind, RegisterKind::Checkins | RegisterKind::Points);
    if bulk {
        db.set_foreign_keys(false)?;
    }
    let result = load_source(db, kind, name, path, source, opts, out);
    if bulk {
        db.set_foreign_keys(true)?;
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn load_source(
    db: &mut Db,
    kind: RegisterKind,
    name: &str,
    file_path: Option<&Path>,
    source: Box<dyn Read + Send>,
    opts: &ImportOptions,
    out: &mut dyn Write,
) -> Result<ImportSummary> {
    let path = Path::new(name);
    let file_name = path
        .file_name()
        .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned());
    let hash = SharedHash::default();
    let recognised =
        |rows: &[RawRow]| HeaderMap::detect(kind, rows, opts.header_row, &opts.maps).is_ok();
    let mut rows = open_rows(name, file_path, source, opts, hash.clone(), &recognised)?;
    // Messages name the sheet of a workbook: `workers.xlsx[台账]:5: …`.
    let sheet = match &rows {
        Opened::Book(b) => Some(b.sheet.clone()),
        Opened::Csv(_) => None,
    };
    let file = match &sheet {
        Some(s) => format!("{name}[{s}]"),
        None => name.to_string(),
    };
    let file_name = match &sheet {
        Some(s) => format!("{file_name}[{s}]"),
        None => file_name,
    };
    let encoding = rows.label();
    let date1904 = matches!(&rows, Opened::Book(b) if b.date1904);
    if !opts.quiet {
        let _ = writeln!(out, "{name}: read as {encoding}");
    }

    let mut head = Vec::new();
    let look = opts.header_row.map_or(10, |n| n.max(10) as usize);
    for r in rows.by_ref().take(look) {
        head.push(r.with_context(|| file.clone())?);
    }
    if head.is_empty() {
        bail!("{file}: the file is empty — export the register again");
    }
    let (mut map, at) = HeaderMap::detect(kind, &head, opts.header_row, &opts.maps)
        .with_context(|| file.clone())?;
    map.serial_1904 = date1904;
    if !map.unknown.is_empty() && !opts.quiet {
        let _ = writeln!(
            out,
            "{file}: warning: ignoring columns {} (not part of a {} register; use --map \"表头=field\" if one holds data)",
            map.unknown.join(", "),
            kind.code()
        );
    }
    if !map.unused_maps.is_empty() && !opts.quiet {
        let _ = writeln!(
            out,
            "{file}: warning: --map names columns the file does not have: {}",
            map.unused_maps.join(", ")
        );
    }
    // Columns without a header, and the first line where one holds data.
    let mut blank_headed: Vec<(usize, Option<u64>)> = (0..map.names().len())
        .filter(|i| map.field_at(*i).is_none() && normalize::is_blank(&map.names()[*i]))
        .map(|i| (i, None))
        .collect();
    let mapped_columns = (0..map.names().len())
        .filter(|i| map.field_at(*i).is_some())
        .count();

    let rejects_path = opts.rejects.clone();
    let writer = match &rejects_path {
        Some(p) => Some(create_rejects(p, path, db.path())?),
        None => None,
    };
    let mut rejects = Rejects {
        file: file.clone(),
        out,
        writer,
        printed: 0,
        progress: None,
    };
    rejects.start(&map)?;

    // A progress bar for large files, on stderr; indicatif draws nothing when stderr is not a
    // terminal. CSV shows bytes read, a workbook the rows read.
    let size = file_path
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    let progress = (!opts.quiet && size > PROGRESS_FROM_BYTES).then(|| {
        let bar = match &rows {
            Opened::Csv(_) => ProgressBar::new(size).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
                    .expect("a valid template"),
            ),
            Opened::Book(_) => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {pos} rows {msg}")
                    .expect("a valid template"),
            ),
        };
        bar.with_message(file_name.clone())
    });
    rejects.progress.clone_from(&progress);

    let tx = db.begin_write()?;
    let batch = batches::begin(&tx, kind.code(), &file_name, rows.code())?;
    testhook::kill_point("import:after-batch-recorded");
    let mut counts = Counts::default();
    // Reading, validating and resolving run on one thread, writing on this one: the two
    // halves of a large import take about as long as each other. The channel holds a few
    // batches, so memory stays flat however large the file.
    let mut resolver = match kind {
        RegisterKind::Streets => None,
        _ => Some(EventResolver::load(&tx)?),
    };
    let mut writer = Writer::new(kind, &tx, batch)?;
    let today = opts.today;
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Item>>(4);
        // Written batches go back to the reader to be freed where they were allocated:
        // freeing across threads is the slow path of the system allocator.
        let (recycle, recycled) = std::sync::mpsc::sync_channel::<Vec<Item>>(8);
        let map = &map;
        let reader = std::thread::Builder::new().name("nuanfeng-read".into());
        let producer = reader.spawn_scoped(scope, move || -> Result<()> {
            let data = head.into_iter().skip(at + 1).map(Ok).chain(rows.by_ref());
            let mut items = Vec::with_capacity(BATCH_ROWS);
            for r in data {
                while let Ok(done) = recycled.try_recv() {
                    drop(done);
                }
                let row = r?;
                if is_blank(&row) || is_footer(&row, mapped_columns) {
                    continue;
                }
                let prepared = prepare(kind, map, &row, today, resolver.as_mut());
                items.push(Item { row, prepared });
                if items.len() == BATCH_ROWS && send.send(std::mem::take(&mut items)).is_err() {
                    // The writer stopped; its error is the one to report.
                    return Ok(());
                }
            }
            if !items.is_empty() {
                let _ = send.send(items);
            }
            Ok(())
        })?;
        // Redemptions wait until the file's earnings are in, and are then judged in date
        // order: a register sorted by category lists a redemption before the earning that
        // covers it, and the same file must give the same ledger however it is sorted.
        let mut redemptions: Vec<(RawRow, Prepared)> = Vec::new();
        // Party organizations wait until the whole file is read: a row may name as its
        // 上级党组织 an organization listed further down (see `OrgLoader::load_all`).
        let mut orgs: Vec<(RawRow, Box<validate::OrgRecord>)> = Vec::new();
        let tally = |row: &RawRow,
                     stored: Result<Outcome, Vec<CellError>>,
                     counts: &mut Counts,
                     rejects: &mut Rejects<'_>|
         -> Result<()> {
            counts.read += 1;
            match stored {
                Ok(Outcome::New) => counts.new += 1,
                Ok(Outcome::Updated) => counts.updated += 1,
                Ok(Outcome::Unchanged) => counts.unchanged += 1,
                Err(errors) => {
                    counts.rejected += 1;
                    rejects.add(row, map, &errors)?;
                }
            }
            testhook::kill_after_row(counts.read);
            Ok(())
        };
        for items in receive {
            for Item { row, prepared } in &items {
                if !blank_headed.is_empty() {
                    for (i, first) in blank_headed.iter_mut().filter(|(_, l)| l.is_none()) {
                        if row.cells.get(*i).is_some_and(|c| !normalize::is_blank(c)) {
                            *first = Some(row.line);
                        }
                    }
                }
                if let Ok(Prepared::Point(p)) = prepared
                    && p.record.points.0 < 0
                {
                    redemptions.push((row.clone(), Prepared::Point(p.clone())));
                    continue;
                }
                if let Ok(Prepared::Org(o)) = prepared {
                    orgs.push((row.clone(), o.clone()));
                    continue;
                }
                let stored = match prepared {
                    Ok(p) => writer.store(p, row.line),
                    Err(e) => Err(e.clone()),
                };
                tally(row, stored, &mut counts, &mut rejects)?;
            }
            let _ = recycle.try_send(items);
            if let Some(bar) = &progress {
                if bar.length().is_some() {
                    bar.set_position(hash.bytes());
                } else {
                    bar.set_position(counts.read);
                }
            }
        }
        redemptions.sort_by_key(|(row, p)| match p {
            Prepared::Point(p) => (p.record.date, row.line),
            _ => unreachable!("only redemptions wait"),
        });
        for (row, p) in &redemptions {
            let stored = writer.store(p, row.line);
            tally(row, stored, &mut counts, &mut rejects)?;
        }
        if let Writer::Orgs(l) = &mut writer {
            let records: Vec<(u64, &validate::OrgRecord)> =
                orgs.iter().map(|(row, o)| (row.line, o.as_ref())).collect();
            for ((row, _), stored) in orgs.iter().zip(l.load_all(&records)) {
                tally(row, stored, &mut counts, &mut rejects)?;
            }
        }
        producer
            .join()
            .map_err(|_| anyhow::anyhow!("the register reader stopped unexpectedly"))?
            .with_context(|| file.clone())
    })?;
    if !opts.quiet {
        for (i, first) in &blank_headed {
            if let Some(line) = first {
                let letter = read::column_letter(*i);
                let _ = writeln!(
                    rejects.out,
                    "{file}: warning: column {letter} has no header but holds data (first on line \
                     {line}); it was not imported — give it a header, or --map \"{letter}=field\""
                );
            }
        }
    }
    if let Writer::Workers(w) = &writer
        && !opts.quiet
    {
        for (line, note) in w.notes.iter().take(MAX_PRINTED as usize) {
            let _ = writeln!(rejects.out, "{file}:{line}: note: {note}");
        }
    }
    if let Writer::Instructors(l, _) = &writer
        && !opts.quiet
    {
        for (line, note) in l.notes.iter().take(MAX_PRINTED as usize) {
            let _ = writeln!(rejects.out, "{file}:{line}: note: {note}");
        }
    }
    if let Writer::Orgs(l) = &writer
        && !opts.quiet
    {
        for (line, note) in l.notes.iter().take(MAX_PRINTED as usize) {
            let _ = writeln!(rejects.out, "{file}:{line}: note: {note}");
        }
    }
    if let Writer::Checkins(w) = &mut writer {
        w.flush()?;
    }
    drop(writer);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    rejects.finish()?;
    let sha = hash.hex();
    batches::finish(&tx, batch, &sha, &counts)?;
    let previous = batches::previous(&tx, kind.code(), &sha, sheet.as_deref(), batch)?;
    let refused = counts.rejected > 0 && !opts.skip_invalid;
    let committed = !refused && !opts.dry_run;
    if committed {
        testhook::kill_point("import:before-commit");
        tx.commit()?;
        testhook::kill_point("import:after-commit");
    } else {
        tx.rollback()?;
    }
    if refused {
        return Err(Refused {
            file,
            rejected: counts.rejected,
            read: counts.read,
        }
        .into());
    }
    Ok(ImportSummary {
        file,
        encoding,
        counts,
        previous,
        rejects: rejects_path,
        committed,
    })
}
