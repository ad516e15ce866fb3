//! The boundary between reading a register and storing it, as atuin's importers push into a
//! `Loader`: the reader (`import`) validates rows into records and pushes them into a sink that
//! [`Loads`] them; the database (`db`) is such a sink, and so is a `Vec` in a test. Neither
//! side names the other: they meet here.
//!
//! One file is one batch in one transaction ([`Loads::batch`]). The sink hands the reader a
//! [`Resolve`] (the names a record gives → the sink's ids, in memory, on the reader thread) and
//! a [`Store`] (the writes, on the calling thread). A record's own problems come back as row
//! problems ([`StoreError::Row`]); a failure of the database itself as [`StoreError::Db`],
//! which stops the import: the batch rolls back and nothing of the file lands.

use std::path::Path;

use chrono::NaiveDate;

use super::{
    ActivityRecord, AwardRecord, CellError, CheckinRecord, DivisionRecord, GiftRecord,
    InstructorRecord, MerchantRecord, OrgRecord, PointRecord, RegisterKind, ServiceRecord,
    StationRecord, TipRecord, WishRecord, WorkerRecord,
};

/// What storing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A row was added.
    New,
    /// An existing row changed.
    Updated,
    /// The record was already there, identical.
    Unchanged,
}

/// Row counts of one import.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Data rows read (title, blank and footer rows not counted).
    pub read: u64,
    /// Rows that added a record.
    pub new: u64,
    /// Rows that changed a stored record.
    pub updated: u64,
    /// Rows already stored as they are.
    pub unchanged: u64,
    /// Rows refused.
    pub rejected: u64,
}

/// Why a record was not stored.
#[derive(Debug)]
pub enum StoreError {
    /// The record's own problems (an unknown street, a worker listed twice, a redemption
    /// larger than the balance …), each against its field: the row is refused, nothing of it
    /// written, and the import goes on.
    Row(Vec<CellError>),
    /// The database failed (the disk is full, the file read-only or locked, an I/O error):
    /// the database's own error, somewhere in this error's chain, for the caller to explain by
    /// its code. The import stops and its transaction rolls back.
    Db(anyhow::Error),
}

impl From<Vec<CellError>> for StoreError {
    fn from(problems: Vec<CellError>) -> Self {
        Self::Row(problems)
    }
}

impl From<CellError> for StoreError {
    fn from(problem: CellError) -> Self {
        Self::Row(vec![problem])
    }
}

impl StoreError {
    /// One row problem: `raw` in `field` (masked if personal) and what is wrong with it.
    pub fn row(field: super::Field, raw: &str, problem: impl Into<String>) -> Self {
        Self::Row(vec![CellError::new(field, raw, problem)])
    }

    /// One error for a command that stores a single record: the row problems as `rows`
    /// words them (a line per problem, naming the flags), the database's failure as it is.
    pub fn into_error(self, rows: impl FnOnce(Vec<CellError>) -> anyhow::Error) -> anyhow::Error {
        match self {
            Self::Row(problems) => rows(problems),
            Self::Db(e) => e,
        }
    }
}

/// What a record names in the sink (its worker, street, community), found in memory and
/// without writing, so that it can run on the reader thread beside the writer. A registry's
/// resolver is read inside the import's own transaction, so nothing it read changes under it.
pub trait Resolve<R>: Send {
    /// A record ready to store: `R` with the ids of what it names, or `R` itself.
    type Resolved: Send;

    /// Finds what `record` names.
    ///
    /// Errors (row problems): nobody has the worker's number, the name beside it differs, an
    /// unknown street or community …
    fn resolve(&mut self, record: R) -> Result<Self::Resolved, Vec<CellError>>;

    /// The problem with a street as a row writes it (already normalized), `None` when it is
    /// known or not checked. Asked for rows refused for other problems, so that every
    /// problem of a row shows at once.
    fn street_problem(&mut self, street: &str) -> Option<String>;

    /// Reads what finding the worker of a row whose 手机号 cell holds `phone` (as written)
    /// will read, and returns something of it (0 when nothing is looked up). The reader
    /// calls it for a few rows ahead before resolving them one by one, so that their memory
    /// reads overlap instead of waiting for each other.
    fn warm(&self, _phone: &str) -> u64 {
        0
    }
}

/// The resolver that looks nothing up: each record as it is, no street checked. For
/// registers that name no street as a row does (the divisions list), and for sinks that keep
/// nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsIs;

impl<R: Send> Resolve<R> for AsIs {
    type Resolved = R;

    fn resolve(&mut self, record: R) -> Result<R, Vec<CellError>> {
        Ok(record)
    }

    fn street_problem(&mut self, _street: &str) -> Option<String> {
        None
    }
}

/// Stores the resolved records `T` of one register kind, inside one file's batch.
pub trait Store<T> {
    /// Stores one record read on file line `line` (0 when typed): new, updated or unchanged.
    ///
    /// Errors: [`StoreError::Row`] when the record cannot be stored as it is (nothing of it
    /// written); [`StoreError::Db`] when the database failed.
    fn store(&mut self, item: &T, line: u64) -> Result<Outcome, StoreError>;

    /// True when `item` waits until every other row of the file is stored, to be stored by
    /// [`store_waiting`](Self::store_waiting): a redemption waits for the earnings that cover
    /// it, a party organization for a 上级党组织 listed below it.
    fn waits(&self, _item: &T) -> bool {
        false
    }

    /// The order in which the records that waited are stored, as indexes into `waiting`
    /// (each with its file line). By default the order they were read in.
    fn waiting_order(&self, waiting: &[(u64, &T)]) -> Vec<usize> {
        (0..waiting.len()).collect()
    }

    /// How many rows the store takes at a time, to store them in
    /// [`window_order`](Self::window_order) rather than as read; 0 (the default): one by one
    /// as read. Only full windows are reordered: a file's last rows, and a file smaller than
    /// a window, are stored as read. Outcomes are still counted, and problems written, in file
    /// order; rows that [`wait`](Self::waits) wait as ever.
    fn window(&self) -> usize {
        0
    }

    /// The order in which the rows of one window are stored: every index into `rows` (each
    /// row with its file line) once. By default the order they were read in.
    fn window_order(&self, rows: &[(u64, &T)]) -> Vec<usize> {
        (0..rows.len()).collect()
    }

    /// Stores the records that waited, each with its file line, in the order the kind needs.
    /// Returns, in the order stored, each record's index in `waiting` and what storing it did
    /// (row problems as such). By default they are stored one by one, in
    /// [`waiting_order`](Self::waiting_order).
    ///
    /// Errors: the database failed.
    fn store_waiting(&mut self, waiting: &[(u64, &T)]) -> anyhow::Result<Vec<Stored>> {
        let order = self.waiting_order(waiting);
        let mut done = Vec::with_capacity(order.len());
        for i in order {
            let (line, item) = waiting[i];
            done.push((i, row_outcome(self.store(item, line))?));
        }
        Ok(done)
    }

    /// Writes out what the store holds in memory; called once, after the last record.
    ///
    /// Errors: the database failed.
    fn finish(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    /// Changes worth a word to the user, by file line: a worker renamed, a station moved from
    /// another instructor or organization.
    fn notes(&self) -> &[(u64, String)] {
        &[]
    }

    /// Called once after the last record of a register that is a snapshot (workers,
    /// stations): who is on record and current in the streets the stored records named, but
    /// was named by none of them. With `left_on`, the absent workers are given that 离职日期
    /// in the file's batch, each through the same checks as `worker leave`; when any of them
    /// is refused, nobody is (see [`Missing::refused`](super::Missing::refused)). `None`
    /// for registers that are not snapshots (events, streets …).
    ///
    /// Errors: the database failed.
    fn missing(&mut self, _left_on: Option<NaiveDate>) -> anyhow::Result<Option<super::Missing>> {
        Ok(None)
    }
}

/// What storing did, with a failure of the database taken out as the error: `Ok(Ok(value))`
/// when stored, `Ok(Err(problems))` when the record's own problems refused it.
///
/// Errors: [`StoreError::Db`], the database failed.
pub fn row_outcome<T>(stored: Result<T, StoreError>) -> anyhow::Result<Result<T, Vec<CellError>>> {
    match stored {
        Ok(value) => Ok(Ok(value)),
        Err(StoreError::Row(problems)) => Ok(Err(problems)),
        Err(StoreError::Db(e)) => Err(e),
    }
}

/// What storing a waiting record did: its index among the waiting ones, and the outcome or
/// its row problems.
pub type Stored = (usize, Result<Outcome, Vec<CellError>>);

/// How one file's batch begins.
#[derive(Debug, Clone, Copy)]
pub struct BatchStart<'a> {
    /// The kind of register.
    pub kind: RegisterKind,
    /// The file's name without its folder, with `[sheet]` after it for a workbook.
    pub file_name: &'a str,
    /// How it was read: an encoding code (`utf8`, `gb18030`) or a workbook kind (`xlsx`).
    pub read_as: &'a str,
    /// The sheet of a workbook, to recognise an earlier import of the same sheet.
    pub sheet: Option<&'a str>,
    /// Today: the first day of a coverage or an assignment when a record gives none.
    pub today: NaiveDate,
    /// A dry run: the batch rolls back, and notes say what would change.
    pub dry_run: bool,
    /// How the file is read: this build, the encoding asked for, the sheet, the header row
    /// and the column maps. The same bytes read the same way give the same records.
    pub reading: &'a str,
}

/// How one file's batch ends.
#[derive(Debug, Clone)]
pub struct BatchEnd {
    /// The SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// What the rows did.
    pub counts: Counts,
    /// Keep what was stored (false: a dry run, or a file refused for its bad rows).
    pub commit: bool,
}

/// An earlier import of the very same bytes (of the same kind, and sheet): its file name and
/// when it was imported (`YYYY-MM-DD HH:MM:SS`).
pub type Previous = (String, String);

/// Where an import's records go.
pub trait Sink {
    /// The file the sink writes to, which a rejects file must never overwrite; `None` when it
    /// keeps records in memory.
    fn location(&self) -> Option<&Path>;
}

/// A sink that takes the records `R` of one register kind.
pub trait Loads<R>: Sink {
    /// A record as resolved for storing.
    type Item: Send;
    /// Finds what records name, on the reader thread.
    type Resolver: Resolve<R, Resolved = Self::Item>;

    /// Runs one file's batch in one transaction: `fill` gets the resolver and the store,
    /// stores the file's records, and says how the batch ends. Everything `fill` stored lands
    /// when it asks to commit, nothing otherwise — and nothing when it or the database fails.
    /// Returns what `fill` returned and an earlier import of the same bytes, if any.
    ///
    /// Errors: the database failed (the batch is rolled back), or `fill` did.
    fn batch<T>(
        &mut self,
        start: &BatchStart<'_>,
        fill: impl FnOnce(Self::Resolver, &mut dyn Store<Self::Item>) -> anyhow::Result<(T, BatchEnd)>,
    ) -> anyhow::Result<(T, Option<Previous>)>;

    /// Answers an import without its rows when the sink proves that storing them would change
    /// nothing: an earlier batch read the same bytes (`sha256` gives their SHA-256 in hex, or
    /// `None` when it cannot be had; it is asked only once a candidate batch is found) the
    /// same way, stored every row, and nothing at all was written since. Then the new batch
    /// is recorded with every row unchanged, and the counts (every row unchanged) and the
    /// earlier import are returned, as [`Loads::batch`] would have. `None`: not proven (the
    /// import reads every row). By default nothing is proven.
    ///
    /// Errors: the database failed, or `sha256` did.
    fn unchanged_since(
        &mut self,
        start: &BatchStart<'_>,
        sha256: &mut dyn FnMut() -> anyhow::Result<Option<String>>,
    ) -> anyhow::Result<Option<(Counts, Option<Previous>)>> {
        let _ = (start, sha256);
        Ok(None)
    }
}

/// A sink for every register kind, as the registry is. Listing each kind here makes a sink
/// that misses one fail to compile where a register of any kind is imported.
pub trait Registry:
    Loads<Option<DivisionRecord>>
    + Loads<StationRecord>
    + Loads<WorkerRecord>
    + Loads<CheckinRecord>
    + Loads<PointRecord>
    + Loads<ServiceRecord>
    + Loads<TipRecord>
    + Loads<WishRecord>
    + Loads<AwardRecord>
    + Loads<InstructorRecord>
    + Loads<GiftRecord>
    + Loads<MerchantRecord>
    + Loads<OrgRecord>
    + Loads<ActivityRecord>
{
}

impl<S> Registry for S where
    S: Loads<Option<DivisionRecord>>
        + Loads<StationRecord>
        + Loads<WorkerRecord>
        + Loads<CheckinRecord>
        + Loads<PointRecord>
        + Loads<ServiceRecord>
        + Loads<TipRecord>
        + Loads<WishRecord>
        + Loads<GiftRecord>
        + Loads<AwardRecord>
        + Loads<MerchantRecord>
        + Loads<InstructorRecord>
        + Loads<OrgRecord>
        + Loads<ActivityRecord>
{
}
