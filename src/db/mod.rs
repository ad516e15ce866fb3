//! The database: opening the one SQLite file (pragmas, permissions, schema version, upgrades),
//! its transactions, the failures of the file and its disk in words ([`explain`]), and, in the
//! submodules, every SQL statement of the program. Nothing outside `db` holds SQL or reaches
//! the connection: reads take a [`Reader`], writes the transaction of [`Db::begin_write`].
//! Nothing inside `db` reads files or prints.
//!
//! The submodules are cut one way, by entity or concern; each holds its entity's loader or
//! writer, its look-ups, its lists and its history of one worker:
//! - `places` streets and communities; `stations` stations and enterprises; `workers/` workers
//!   (`load.rs` the register loader, `index.rs` the in-memory index of imports);
//!   `instructors` instructors and their stations; `orgs/` party organizations (`cover.rs`
//!   which stations they cover by day, `load.rs` the register loader); `membership` 组织关系
//!   and the membership pipeline.
//! - `events` what every event shares (keys, claims, the resolver); `checkins`, `services`,
//!   `tips`, `wishes`, `awards` each record kind; `ledger/` the points ledger (`write.rs`,
//!   `check.rs`, `seal.rs`).
//! - `coverage` and `figures` the figures of the reports.
//! - `sink` the import's sink; `batches` import batches; `changes` the change log; `access`
//!   the `--show-pii` log; `purge` erasing departed workers; `check` the whole-file check;
//!   `backup` backup, inspection and restore; `cipher` encryption at rest.

pub mod access;
pub mod activities;
pub mod awards;
pub mod backup;
pub mod batches;
pub mod changes;
pub mod check;
pub mod checkins;
#[cfg(feature = "sqlcipher")]
pub mod cipher;
pub mod coverage;
pub mod events;
pub mod figures;
pub mod gifts;
pub mod in_lists;
pub mod instructors;
pub mod ledger;
pub mod membership;
pub mod merchants;
pub mod merge;
pub mod orgs;
pub mod places;
pub mod purge;
pub mod services;
pub mod sink;
pub mod snapshot;
pub mod stations;
pub mod tips;
pub mod wishes;
pub mod workers;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};
use rust_i18n::t;

use crate::model::{Field, StoreError};

/// The whole current schema; a fresh file is made from it.
pub const SCHEMA_SQL: &str = include_str!("../../schema.sql");

/// Upgrades from older schema versions, in order: `MIGRATIONS[0]` takes a version-1 file to
/// version 2, and so on. Append only, never edit: a file's `user_version` says which of these
/// it has already run. After a migration, `schema.sql` must describe the same schema.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001-to-v2.sql"),
    include_str!("migrations/0002-to-v3.sql"),
    include_str!("migrations/0003-to-v4.sql"),
    include_str!("migrations/0004-to-v5.sql"),
    include_str!("migrations/0005-to-v6.sql"),
    include_str!("migrations/0006-to-v7.sql"),
    include_str!("migrations/0007-to-v8.sql"),
    include_str!("migrations/0008-to-v9.sql"),
    include_str!("migrations/0009-to-v10.sql"),
    include_str!("migrations/0010-to-v11.sql"),
    include_str!("migrations/0011-to-v12.sql"),
    include_str!("migrations/0012-to-v13.sql"),
    include_str!("migrations/0013-to-v14.sql"),
    include_str!("migrations/0014-to-v15.sql"),
    include_str!("migrations/0015-to-v16.sql"),
    include_str!("migrations/0016-to-v17.sql"),
    include_str!("migrations/0017-to-v18.sql"),
    include_str!("migrations/0018-to-v19.sql"),
];

/// The schema version of this build: version 1 is the first `schema.sql`, each migration adds
/// one.
pub const SCHEMA_VERSION: i64 = 1 + MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a nuanfeng file ("NFNG"), so a stray SQLite file is not taken
/// for a registry.
const APPLICATION_ID: i64 = 0x4E46_4E47;

/// Page size of new files, in bytes.
const PAGE_SIZE: i64 = 16384;

/// How long a writer waits for another program's lock before giving up, in milliseconds.
const BUSY_TIMEOUT_MS: u64 = 10_000;

/// The page cache of a connection, in KiB: 8 MiB. A larger import spills its changed pages
/// into the file before it commits (the operating system's cache holds them as well), so the
/// program's memory stays small whatever the file's size.
const CACHE_KIB: u64 = 8_192;

/// Test hook, not a setting: `NUANFENG_CACHE_KIB` shrinks the page cache, so that an import
/// spills changed pages into the file before it commits (as one too large for the cache
/// does) and a crash test can kill it with the file changed and its journal hot. Read once.
const CACHE_KIB_VAR: &str = "NUANFENG_CACHE_KIB";

fn cache_kib() -> u64 {
    static KIB: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *KIB.get_or_init(|| test_hook(CACHE_KIB_VAR).unwrap_or(CACHE_KIB))
}

/// The positive whole number the environment variable `var` (a test hook) holds, `None` when
/// it is unset, empty, zero or not a number.
pub(crate) fn test_hook(var: &str) -> Option<u64> {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n| n > 0)
}

/// Test hook, not a setting: `NUANFENG_BUSY_TIMEOUT_MS` shortens (or lengthens) the wait for
/// another program's lock, so the tests of a locked file need not wait 10 s. Read once.
const BUSY_TIMEOUT_VAR: &str = "NUANFENG_BUSY_TIMEOUT_MS";

/// The first eight bytes of a rollback journal SQLite will play back (its `aJournalMagic`):
/// a journal whose header does not start with them (SQLite zeroes the header while a
/// transaction starts, and to end one in `PERSIST` mode) changes nothing in the file.
pub const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// `REGISTRY-journal`: SQLite's rollback journal of the file `path`.
pub fn journal_of(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push("-journal");
    PathBuf::from(s)
}

/// Whether the rollback journal at `journal` is hot: it exists and its header starts with
/// [`JOURNAL_MAGIC`], so SQLite rolls the file back from it on the next read, and the file
/// alone is not what SQLite reads. A journal with a zeroed header (a writer killed before its
/// first sync) is not hot: the file is whole without it.
pub fn journal_is_hot(journal: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(journal)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == JOURNAL_MAGIC)
}

/// Whether a rollback journal that is not hot ([`journal_is_hot`]) lies beside the registry
/// `path`: a leftover of a writer killed before it synced its journal, which may hold pages
/// of the file as they were (numbers a later `worker purge` erased).
pub fn idle_journal_beside(path: &Path) -> Option<PathBuf> {
    let journal = journal_of(path);
    (std::fs::symlink_metadata(&journal).is_ok_and(|m| m.is_file()) && !journal_is_hot(&journal))
        .then_some(journal)
}

/// How long to wait for another program's lock: [`BUSY_TIMEOUT_MS`], unless the test hook
/// [`BUSY_TIMEOUT_VAR`] says otherwise.
pub fn busy_timeout() -> std::time::Duration {
    static MS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let ms = *MS.get_or_init(|| {
        std::env::var(BUSY_TIMEOUT_VAR)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(BUSY_TIMEOUT_MS)
    });
    std::time::Duration::from_millis(ms)
}

/// The registry is locked by another program for longer than [`busy_timeout`]: SQLite's
/// "database is locked", said so that the user knows what to close.
#[derive(Debug, thiserror::Error)]
#[error("{}", t!("db.locked", path = path.display(), waited = waited(*wait)))]
pub struct Locked {
    /// The registry file.
    pub path: PathBuf,
    /// How long this program waited for the lock.
    pub wait: std::time::Duration,
}

/// `10 秒`, `0.3 秒`, `1.5 秒` (`10 s` … in English).
pub(crate) fn waited(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    let n = if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        let s = format!("{:.2}", d.as_secs_f64());
        s.trim_end_matches('0').to_string()
    };
    t!("db.seconds", n = n).into_owned()
}

/// SQLite's own error in `e` (the error itself, or anywhere in its chain), if any.
fn sqlite_error(e: &anyhow::Error) -> Option<&rusqlite::Error> {
    e.downcast_ref::<rusqlite::Error>()
        .or_else(|| e.chain().find_map(|c| c.downcast_ref::<rusqlite::Error>()))
}

/// SQLite's primary result code behind `e`, if SQLite failed.
fn sqlite_code(e: &anyhow::Error) -> Option<rusqlite::ErrorCode> {
    sqlite_error(e)?.sqlite_error_code()
}

/// True when `e` is, or was caused by, SQLite's SQLITE_BUSY or SQLITE_LOCKED (another
/// connection holds the lock this one needs), or is already a [`Locked`].
fn is_busy(e: &anyhow::Error) -> bool {
    e.is::<Locked>()
        || e.chain().any(|c| c.is::<Locked>())
        || matches!(
            sqlite_code(e),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
}

/// A failure of the registry file or its disk rather than of what was asked, in words a user
/// can act on. Told by SQLite's result code or the I/O error's kind (see [`explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The file is read-only for this user (SQLITE_READONLY): SQLite opens a file it may not
    /// write read-only, and says so only at the first write. Also the words for a refusal
    /// whose cause the file system does not show (a connection opened read-only).
    ReadOnly(PathBuf),
    /// The file may be written but its folder may not (SQLITE_READONLY, the file writable):
    /// SQLite creates its rollback journal (`FILE-journal`) beside the file at the first
    /// write. `folder` is the folder as the path names it, or the current folder in full.
    ReadOnlyFolder {
        /// The registry file.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// The file is on a disk mounted read-only (SQLITE_READONLY, and the file system says
    /// EROFS).
    ReadOnlyDisk(PathBuf),
    /// The disk is full (SQLITE_FULL, or an I/O error of kind `StorageFull` or
    /// `QuotaExceeded`): the registry's disk when the path is known.
    DiskFull(Option<PathBuf>),
    /// The disk, or its connection, failed while SQLite read or wrote (SQLITE_IOERR).
    Io(PathBuf),
    /// The file was replaced under this command while it ran (SQLITE_READONLY_DBMOVED: a
    /// `restore` renamed its copy over the registry, so the file this command opened is no
    /// longer the one at `path`); nothing of it was written.
    Replaced(PathBuf),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Failure::ReadOnly(path) => t!("db.read_only", path = path.display()),
            Failure::ReadOnlyFolder { path, folder } => t!(
                "db.read_only_folder",
                path = path.display(),
                folder = folder.display(),
                journal = journal_name(path),
                name = file_name(path)
            ),
            Failure::ReadOnlyDisk(path) => t!(
                "db.read_only_disk",
                path = path.display(),
                name = file_name(path)
            ),
            Failure::DiskFull(Some(path)) => t!("db.disk_full_at", path = path.display()),
            Failure::DiskFull(None) => t!("db.disk_full"),
            Failure::Io(path) => t!("db.io_error", path = path.display()),
            Failure::Replaced(path) => t!("db.replaced", path = path.display()),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Failure {}

/// The file name of `path` (`nf.db` for `perm/nf.db`), for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The name of the rollback journal of `path` (`nf.db-journal`), for messages.
fn journal_name(path: &Path) -> String {
    format!("{}-journal", file_name(path))
}

/// The rollback journal beside `path` (`perm/nf.db-journal`).
fn journal_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_os_string();
    p.push("-journal");
    PathBuf::from(p)
}

/// Why SQLite may not write the registry at `path` (it said SQLITE_READONLY), told by the
/// file system: a disk mounted read-only ([`Failure::ReadOnlyDisk`]), a folder this user may
/// not create the journal in ([`Failure::ReadOnlyFolder`]), else the file itself
/// ([`Failure::ReadOnly`], also when nothing on the file system explains it).
fn read_only(path: &Path) -> Failure {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let named = |folder: PathBuf| {
        if folder == Path::new(".") {
            std::env::current_dir().unwrap_or(folder)
        } else {
            folder
        }
    };
    match (writable(path, false), writable(&folder, true)) {
        (Writable::ReadOnlyDisk, _) | (Writable::Yes, Writable::ReadOnlyDisk) => {
            Failure::ReadOnlyDisk(path.to_path_buf())
        }
        (Writable::Yes, Writable::No) => Failure::ReadOnlyFolder {
            path: path.to_path_buf(),
            folder: named(folder),
        },
        _ => Failure::ReadOnly(path.to_path_buf()),
    }
}

/// What the file system says about writing a file or creating files in a folder.
#[derive(Debug, PartialEq, Eq)]
enum Writable {
    Yes,
    /// Not by this user (permissions, attributes), or it cannot be told.
    No,
    /// The file system is mounted read-only.
    ReadOnlyDisk,
}

/// Whether this user (its effective ids, as SQLite's own `open` uses) may write `path`, or
/// create files in it when it is a `folder`. Asked with `access(2)`: nothing is opened, so no
/// lock SQLite holds on the registry is disturbed.
#[cfg(unix)]
fn writable(path: &Path, folder: bool) -> Writable {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    let access = if folder {
        Access::WRITE_OK | Access::EXEC_OK
    } else {
        Access::WRITE_OK
    };
    match accessat(CWD, path, access, AtFlags::EACCESS) {
        Ok(()) => Writable::Yes,
        Err(rustix::io::Errno::ROFS) => Writable::ReadOnlyDisk,
        Err(_) => Writable::No,
    }
}

/// Whether this user may write `path` (its read-only attribute), or create files in it when
/// it is a `folder` (a probe file created and removed there).
#[cfg(not(unix))]
fn writable(path: &Path, folder: bool) -> Writable {
    let no = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::ReadOnlyFilesystem => Writable::ReadOnlyDisk,
        _ => Writable::No,
    };
    if !folder {
        return match std::fs::metadata(path) {
            Ok(m) if !m.permissions().readonly() => Writable::Yes,
            Ok(_) => Writable::No,
            Err(e) => no(e),
        };
    }
    let probe = unused_name(&path.join("nuanfeng"), "write-test", "tmp");
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(f) => {
            drop(f);
            let _ = std::fs::remove_file(&probe);
            Writable::Yes
        }
        Err(e) => no(e),
    }
}

/// True when `e` says the disk is full (SQLite's result code, or an I/O error's kind).
pub fn is_disk_full(e: &anyhow::Error) -> bool {
    sqlite_code(e) == Some(rusqlite::ErrorCode::DiskFull)
        || e.chain().any(|c| {
            matches!(
                crate::model::io_error_kind(c),
                Some(std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
            )
        })
}

/// True when `e` is a failure of the registry or its disk ([`Locked`] or [`Failure`]), as
/// [`explain`] words it: nothing of what was asked was done, whatever it was.
pub fn is_failure(e: &anyhow::Error) -> bool {
    e.is::<Locked>() || e.is::<Failure>()
}

/// `e` in words when it is a failure of the registry at `path` or of its disk, decided by
/// SQLite's result code or the I/O error's kind, never by a message's text: locked by another
/// program ([`Locked`]), read-only (the file, its folder or its disk, told apart by asking the
/// file system), full, an I/O error ([`Failure`]). Any other error is returned unchanged, as
/// is one explained already.
pub fn explain(e: anyhow::Error, path: &Path) -> anyhow::Error {
    if is_failure(&e) {
        return e;
    }
    let path = path.to_path_buf();
    let moved = matches!(
        sqlite_error(&e),
        Some(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_READONLY_DBMOVED
    );
    match sqlite_code(&e) {
        Some(rusqlite::ErrorCode::ReadOnly) if moved => return Failure::Replaced(path).into(),
        Some(rusqlite::ErrorCode::ReadOnly) => return read_only(&path).into(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            return Locked {
                path,
                wait: busy_timeout(),
            }
            .into();
        }
        Some(rusqlite::ErrorCode::DiskFull) => return Failure::DiskFull(Some(path)).into(),
        Some(rusqlite::ErrorCode::SystemIoFailure) => return Failure::Io(path).into(),
        Some(rusqlite::ErrorCode::CannotOpen) => {
            let path = path.display();
            return anyhow::anyhow!(
                "{}",
                if std::path::Path::new(&path.to_string()).is_dir() {
                    t!("db.open.is_folder", path = path)
                } else {
                    t!("db.open.cannot", path = path)
                }
            );
        }
        _ => {}
    }
    let disk_full = e.chain().any(|c| {
        matches!(
            crate::model::io_error_kind(c),
            Some(std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
        )
    });
    if disk_full {
        // One sentence: what could not be written, as the error's outermost words name it
        // (ours, unless the error is the OS's bare I/O error), then the full disk; the OS's
        // own text ("No space left on device (os error 28)") is left out.
        let ours = e
            .chain()
            .next()
            .is_some_and(|top| top.downcast_ref::<std::io::Error>().is_none());
        let failure = anyhow::Error::new(Failure::DiskFull(None));
        return if ours {
            failure.context(e.to_string())
        } else {
            failure
        };
    }
    e
}

/// A look-up by name that fails in one of two ways: nothing answers to the name (a sentence
/// for the user), or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// What is wrong with the name, and how to fix it: `not in the stations register — did
    /// you mean 美团柳巷站?`.
    #[error("{0}")]
    Problem(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

impl LookupError {
    /// The sentence for the user when nothing answers to the name, to show as the caller
    /// words it.
    ///
    /// Errors: the database failed (SQLite's own error, so that [`explain`] can word it).
    pub fn problem(self) -> Result<String> {
        match self {
            Self::Problem(p) => Ok(p),
            Self::Db(e) => Err(e.into()),
        }
    }

    /// As the result of storing a record: a problem with `raw` in `field`, or the database's
    /// failure.
    pub fn store_error(self, field: Field, raw: &str) -> StoreError {
        match self {
            Self::Problem(p) => StoreError::row(field, raw, p),
            Self::Db(e) => e.into(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e.into())
    }
}

/// The error of a function that both refuses in words and fails with SQLite's error, as the
/// result of storing a record: SQLite's error (anywhere in the chain) is the database's
/// failure; anything else a problem with `raw` in `field`.
pub(crate) fn row_or_db(e: anyhow::Error, field: Field, raw: &str) -> StoreError {
    if sqlite_error(&e).is_some() {
        StoreError::Db(e)
    } else {
        StoreError::row(field, raw, e.to_string())
    }
}

/// What `db`'s read functions read through: the open registry (`&db`), a write transaction
/// begun on it (`&tx` from [`Db::begin_write`], to read under the write's lock what it is
/// about to change), or a bare connection (tests that build a registry in memory).
/// Only `db` can use the connection behind it (see [`Conn`]), so every SQL statement stays in
/// `db`; and only `db` can implement it.
pub trait Reader {
    /// The connection to read through, usable inside `db` only.
    fn conn(&self) -> Conn<'_>;
}

/// The connection behind a [`Reader`]: its field is private to `db`, so code outside `db`
/// can hold one but not run SQL on it, nor make one.
///
/// ```compile_fail
/// // Outside `db`, a reader gives no connection to run SQL on.
/// fn drop_workers(db: &impl nuanfeng::db::Reader) {
///     db.conn().0.execute_batch("DROP TABLE workers").unwrap();
/// }
/// ```
pub struct Conn<'a>(&'a Connection);

impl Reader for Db {
    fn conn(&self) -> Conn<'_> {
        Conn(&self.conn)
    }
}

impl Reader for Connection {
    fn conn(&self) -> Conn<'_> {
        Conn(self)
    }
}

impl Reader for rusqlite::Transaction<'_> {
    fn conn(&self) -> Conn<'_> {
        Conn(self)
    }
}

/// The sentence of a refusal (a date before an assignment began, …) from a function that both
/// refuses in words and fails with SQLite's error, to show as one problem among others.
///
/// Errors: `e` itself when it is the database's failure (SQLite's error anywhere in its chain,
/// told by its type, never by its text).
pub fn refusal(e: anyhow::Error) -> Result<String> {
    if sqlite_error(&e).is_some() {
        Err(e)
    } else {
        Ok(e.to_string())
    }
}

/// Whether [`Db::open`] may create a missing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (readable by its owner only) when it does not exist.
    Create,
    /// Refuse a missing file with a message naming it.
    Existing,
}

/// An open registry file. Its connection stays inside `db`: code outside reads through the
/// functions of `db`'s files, which take a [`Reader`], and writes inside the transaction
/// [`Db::begin_write`] begins.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// Whether this open created the file (see [`Db::created`]).
    created: bool,
    upgraded: Option<(i64, PathBuf)>,
    /// The permission bits the file had when this open made it private (see [`Db::tighten`]).
    tightened: Option<u32>,
    /// The key of an encrypted registry (`None` for a plaintext one).
    #[cfg(feature = "sqlcipher")]
    key: Option<cipher::Key>,
}

impl Db {
    /// Opens (or, with [`OpenMode::Create`], creates) the registry at `path`: foreign keys
    /// on, a busy timeout, the rollback journal (safe on synced folders), a 64 MiB page cache
    /// for imports, and the schema brought to [`SCHEMA_VERSION`].
    ///
    /// With the feature `sqlcipher`, a new file is created encrypted and the key of an
    /// encrypted one is given first of all (see [`cipher`]).
    ///
    /// A file this open created and then could not make a registry of (a full disk, a
    /// missing key) is removed again, with any journal SQLite left beside it: a failed open
    /// leaves nothing behind.
    ///
    /// Errors: a missing file in `Existing` mode (naming the path and how to create it); a
    /// file that is not SQLite or not a nuanfeng registry; a file made by a newer build; with
    /// `sqlcipher`, a missing or wrong key, or a key for a plaintext file.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            let mut text = t!("db.missing", path = path.display()).into_owned();
            if let Some(other) = nearest_registry(path) {
                text.push_str(&t!("db.missing_did_you_mean", other = other.display()));
            }
            bail!("{text}");
        }
        // The key is found before a new file is made: no key, no file.
        #[cfg(feature = "sqlcipher")]
        let key = cipher::key_for(path, mode)?;
        if !exists {
            // A dangling link: `exists` follows it; the file is never made through it.
            crate::outfile::refuse_symlink(path)?;
            create_private_file(path)?;
        }
        let opened = Self::open_file(
            path,
            mode,
            !exists,
            #[cfg(feature = "sqlcipher")]
            key,
        );
        if opened.is_err() && !exists {
            // Best effort: the error said first is the one that matters.
            let _ = remove_registry_files(path);
        }
        opened
    }

    /// Opens the file at `path`, which exists (`created` by this open or not): the
    /// connection, its key, its pragmas and its schema (see [`Db::open`]).
    fn open_file(
        path: &Path,
        mode: OpenMode,
        created: bool,
        #[cfg(feature = "sqlcipher")] key: Option<cipher::Key>,
    ) -> Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| t!("db.cannot_open", path = path.display()))?;
        // An import runs a few dozen statements per row (identity, former numbers, dates,
        // the change log); rusqlite's default cache of 16 would parse some of them anew for
        // every row.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Plans that never depend on bound values: otherwise SQLite marks `col = ?` terms for
        // a re-plan on rebinding, and a cached statement (whose bindings rusqlite clears on
        // return to the cache) is parsed and planned again on every use.
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .with_context(|| t!("db.cannot_open", path = path.display()))?;
        #[cfg(feature = "sqlcipher")]
        if let Some(key) = &key {
            cipher::unlock(&conn, path, key)?;
        }
        let mut db = Self {
            conn,
            path: path.to_path_buf(),
            created,
            upgraded: None,
            tightened: None,
            #[cfg(feature = "sqlcipher")]
            key,
        };
        // Reading the schema version is the first read of the file: another program's
        // exclusive lock (or a commit in progress) surfaces here, after the busy timeout.
        if let Err(e) = db.configure().and_then(|()| db.prepare_schema(mode)) {
            if is_busy(&e) {
                return Err(explain(e, path));
            }
            return Err(e.context(t!("db.cannot_be_used", path = path.display()).into_owned()));
        }
        Ok(db)
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// a concurrent writer waits for the busy timeout instead of failing halfway.
    ///
    /// Errors: [`Locked`] when another program holds the write lock longer than
    /// [`busy_timeout`].
    pub fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        let path = self.path.clone();
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| explain(e.into(), &path))
    }

    /// Removes a rollback journal beside the registry that is not hot
    /// ([`idle_journal_beside`]), which SQLite leaves in place: under the write lock, so that
    /// a journal another program is just starting is never touched; not at all when the lock
    /// is taken (the next command removes it). Returns whether one was removed.
    pub fn remove_idle_journal(&mut self) -> bool {
        if idle_journal_beside(&self.path).is_none() {
            return false;
        }
        let _ = self.conn.busy_timeout(std::time::Duration::ZERO);
        let removed = match self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        {
            Ok(tx) => {
                let removed = idle_journal_beside(&self.path)
                    .is_some_and(|j| std::fs::remove_file(j).is_ok());
                let _ = tx.rollback();
                removed
            }
            Err(_) => false,
        };
        let _ = self.conn.busy_timeout(busy_timeout());
        removed
    }

    /// A second connection to the same file that only reads (`PRAGMA query_only`), with the
    /// same page cache and busy timeout, for a check that reads in parallel with this one.
    /// It is opened for writing as this one is: SQLite leaves out the CHECK constraints of a
    /// file opened read-only, and `integrity_check` would not verify them. `None` for an
    /// encrypted registry (its key stays with the one connection).
    ///
    /// Errors: the file cannot be opened again.
    pub(crate) fn second_reader(&self) -> Result<Option<Connection>> {
        #[cfg(feature = "sqlcipher")]
        if self.key.is_some() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.pragma_update(None, "query_only", true)?;
        conn.busy_timeout(busy_timeout())?;
        ledger::register_seal_function(&conn)?;
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; PRAGMA cache_size = -{}; PRAGMA temp_store = FILE;",
            cache_kib()
        ))?;
        Ok(Some(conn))
    }

    /// Turns foreign-key enforcement on or off for this connection (outside a transaction;
    /// SQLite ignores the pragma inside one). On is the default of every connection.
    pub fn set_foreign_keys(&mut self, on: bool) -> Result<()> {
        self.conn.pragma_update(None, "foreign_keys", on)?;
        Ok(())
    }

    /// The file this registry lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when opening created the file (it did not exist; an empty file that existed is
    /// not counted), so that a command that then fails can take it away again
    /// ([`Db::remove_if_created`]).
    pub fn created(&self) -> bool {
        self.created
    }

    /// Closes the registry and, when this open created its file ([`Db::created`]), removes
    /// the file and the journal SQLite may have left beside it (`FILE-journal`), so that a
    /// command that failed leaves nothing behind.
    ///
    /// Errors: the file or its journal could not be removed (the I/O error, naming neither).
    pub fn remove_if_created(self) -> std::io::Result<()> {
        let (created, path) = (self.created, self.path.clone());
        // The connection is closed before its files go (Windows cannot remove an open file).
        drop(self);
        if created {
            remove_registry_files(&path)?;
        }
        Ok(())
    }

    /// Sets the connection up: busy timeout, foreign keys, the page cache, and temporary
    /// storage in files (`temp_store = FILE`). Temporary tables (an import's claimed
    /// entries), sorts too large for memory (reports ordering a year of events, index builds
    /// of an upgrade) and statement journals past SQLite's 64 KiB spill threshold go to
    /// temporary files the OS caches, so the process's memory stays bounded by the page
    /// cache whatever the file's size. No import writes a statement journal per row (the
    /// ledger has no INSERT trigger since version 14, and single-row inserts need none), so
    /// keeping them in memory would buy nothing there.
    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(busy_timeout())?;
        self.conn
            .execute_batch(&format!(
                "PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -{};
             PRAGMA temp_store = FILE;",
                cache_kib()
            ))
            .map_err(readable)?;
        // SQLCipher does not encrypt temporary files (sorts, temporary tables, statement
        // journals): with a key they stay in memory, so no plaintext reaches the disk.
        #[cfg(feature = "sqlcipher")]
        if self.key.is_some() {
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        Ok(())
    }

    fn prepare_schema(&mut self, mode: OpenMode) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(readable)?;
        let app: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if version == 0 && tables == 0 && mode == OpenMode::Existing {
            bail!("{}", t!("db.empty", path = self.path.display()));
        }
        if version == 0 && tables == 0 {
            restrict_permissions(&self.path)?;
            // Larger pages: fewer splits when a million events land in date order, and
            // shallower trees for the reports. Only a new, empty file takes a page size.
            self.conn.pragma_update(None, "page_size", PAGE_SIZE)?;
            let tx = self.conn.transaction()?;
            tx.execute_batch(SCHEMA_SQL)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            tx.commit()?;
            return Ok(());
        }
        if app != APPLICATION_ID {
            bail!("{}", t!("db.not_registry"));
        }
        if version > SCHEMA_VERSION {
            bail!(
                "{}",
                t!("db.newer", version = version, known = SCHEMA_VERSION)
            );
        }
        if version < SCHEMA_VERSION {
            self.upgrade(version)?;
        }
        Ok(())
    }

    /// Brings a file made by an older build to [`SCHEMA_VERSION`]: first a backup copy beside
    /// it (`FILE.vN.bak`, readable by its owner only), then the migrations in one exclusive
    /// transaction with foreign keys checked before it commits.
    fn upgrade(&mut self, from: i64) -> Result<()> {
        let backup = self.upgrade_copy(from)?;
        self.tighten()?;
        // Rebuilding a table needs foreign keys off (SQLite's own procedure); they are
        // checked in full before the upgrade commits.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        // The upgrade to version 5 seals the entries already in the file in SQL.
        if from < 5 {
            ledger::register_seal_function(&self.conn)?;
        }
        if from < 16 {
            in_lists::register_function(&self.conn)?;
        }
        let result = (|| -> Result<()> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
            for sql in &MIGRATIONS[(from - 1) as usize..] {
                tx.execute_batch(sql)?;
            }
            if from < 16 {
                // The table definitions were rewritten in place (0015-to-v16.sql): a new schema
                // cookie makes every connection read them again, and the rows are checked
                // against them (quick_check verifies CHECK constraints) before the upgrade commits.
                let cookie: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
                tx.pragma_update(None, "schema_version", cookie + 1)?;
                let verdict: String = tx.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
                if verdict != "ok" {
                    bail!("{}", t!("db.upgrade.integrity", detail = verdict));
                }
            }
            let broken: i64 =
                tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if broken > 0 {
                bail!("{}", t!("db.upgrade.orphans", n = broken));
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            crate::testhook::kill_point("upgrade:before-commit");
            tx.commit()?;
            Ok(())
        })();
        self.conn.pragma_update(None, "foreign_keys", true)?;
        result.with_context(|| t!("db.upgrade.failed", from = from, backup = backup.display()))?;
        self.upgraded = Some((from, backup));
        Ok(())
    }

    /// The copy of the file an upgrade from version `from` keeps: `FILE.vN.bak`, written under
    /// a temporary name ([`crate::outfile::PendingFile`]), checked (`quick_check`) and only
    /// then renamed, so that an upgrade killed halfway leaves no partial copy under a real
    /// name. A `FILE.vN.bak` an earlier upgrade of the same file left (killed after its copy,
    /// before its commit) is kept and used when it holds the same pages as the copy made
    /// now, rather than adding `FILE.vN.2.bak` beside it.
    ///
    /// Errors: the copy cannot be written or is not sound.
    fn upgrade_copy(&self, from: i64) -> Result<PathBuf> {
        let first = backup_name_at(&self.path, from, 1);
        let backup = backup_name(&self.path, from);
        let wrap = |e: anyhow::Error, at: &Path| {
            e.context(t!("db.upgrade.cannot_backup", path = at.display()).into_owned())
        };
        let mut pending =
            crate::outfile::PendingFile::create(&backup).map_err(|e| wrap(e, &backup))?;
        pending.close_handle();
        #[cfg(feature = "sqlcipher")]
        let copied = match &self.key {
            // SQLCipher backs up an encrypted file only into one with a key: the same one;
            // the copy is checked with it.
            Some(key) => cipher::backup(&self.conn, key, pending.temp_path()),
            None => self
                .plain_backup(pending.temp_path())
                .and_then(|()| quick_check_file(pending.temp_path())),
        };
        #[cfg(not(feature = "sqlcipher"))]
        let copied = self
            .plain_backup(pending.temp_path())
            .and_then(|()| quick_check_file(pending.temp_path()));
        copied.map_err(|e| wrap(e, &backup))?;
        crate::testhook::kill_point("upgrade:before-backup-rename");
        if backup != first && same_bytes(&first, pending.temp_path()) {
            return Ok(first);
        }
        pending.commit(false).map_err(|e| wrap(e.into(), &backup))?;
        crate::testhook::kill_point("upgrade:after-backup");
        Ok(backup)
    }

    /// Makes the file readable and writable by its owner only when group or others may read
    /// or write it (unix), and remembers the mode it had for [`Db::tightened`].
    ///
    /// Errors: the permissions cannot be changed.
    pub fn tighten(&mut self) -> Result<()> {
        if let Some(mode) = open_mode(&self.path) {
            restrict_permissions(&self.path)?;
            self.tightened = Some(mode);
        }
        Ok(())
    }

    /// When this open (an upgrade) or [`Db::tighten`] made the file private: the permission
    /// bits it had (`0o644` …).
    pub fn tightened(&self) -> Option<u32> {
        self.tightened
    }

    fn plain_backup(&self, to: &Path) -> Result<()> {
        self.conn.backup(
            rusqlite::MAIN_DB,
            to,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        Ok(())
    }

    /// When opening upgraded the file: the version it had and where its backup copy is.
    pub fn upgraded(&self) -> Option<&(i64, PathBuf)> {
        self.upgraded.as_ref()
    }
}

/// The `.db` file in the folder of `path` (other than `path`) whose name is closest to its
/// name, as `path` names the folder (`台账/2025.db` for `台账/2052.db`); `None` when there is
/// none or the folder cannot be read. The "did you mean" of a registry that is not there.
pub fn nearest_registry(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    let entries = std::fs::read_dir(folder.unwrap_or(Path::new("."))).ok()?;
    let mut registries: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| *n != name && Path::new(n).extension().is_some_and(|x| x == "db"))
        .collect();
    registries.sort();
    let nearest = crate::model::nearest(&name, registries.iter().map(String::as_str))?;
    Some(folder.map_or_else(|| PathBuf::from(nearest), |f| f.join(nearest)))
}

/// Removes the registry file at `path` and its rollback journal, those that exist.
fn remove_registry_files(path: &Path) -> std::io::Result<()> {
    for p in [journal_path(path), path.to_path_buf()] {
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

/// `FILE.vN.bak` beside the registry, or `FILE.vN.2.bak` … when that exists.
fn backup_name(path: &Path, version: i64) -> PathBuf {
    unused_name(path, &format!("v{version}"), "bak")
}

/// `FILE.vN.bak` (`n` 1) or `FILE.vN.n.bak`.
fn backup_name_at(path: &Path, version: i64, n: u32) -> PathBuf {
    let base = path.as_os_str().to_string_lossy().into_owned();
    if n == 1 {
        PathBuf::from(format!("{base}.v{version}.bak"))
    } else {
        PathBuf::from(format!("{base}.v{version}.{n}.bak"))
    }
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_bytes(a: &Path, b: &Path) -> bool {
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    if fa.metadata().map(|m| m.len()).ok() != fb.metadata().map(|m| m.len()).ok() {
        return false;
    }
    let (mut ra, mut rb) = (std::io::BufReader::new(fa), std::io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let (Ok(na), Ok(nb)) = (fill(&mut ra, &mut ba), fill(&mut rb, &mut bb)) else {
            return false;
        };
        if na != nb || ba[..na] != bb[..nb] {
            return false;
        }
        if na == 0 {
            return true;
        }
    }
}

/// Reads until `buf` is full or the reader ends; returns the bytes read.
fn fill(r: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// `PRAGMA quick_check` of the database file at `path`, opened read-only: a copy just
/// written is sound before it gets its real name.
///
/// Errors: the file cannot be opened or read, or the check finds a problem (the first one).
pub(crate) fn quick_check_file(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let verdict: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        bail!("{}", t!("files.copy_unsound", detail = verdict));
    }
    Ok(())
}

/// The permission bits of the file at `path` when its group or others may read or write it
/// (`mode & 0o077` not 0; unix only), else `None`.
pub(crate) fn open_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then_some(mode)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `PATH.TAG.EXT`, or `PATH.TAG.2.EXT`, `PATH.TAG.3.EXT` … : the first name no file has.
pub(crate) fn unused_name(path: &Path, tag: &str, ext: &str) -> PathBuf {
    let base = path.as_os_str().to_string_lossy().into_owned();
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            PathBuf::from(format!("{base}.{tag}.{ext}"))
        } else {
            PathBuf::from(format!("{base}.{tag}.{n}.{ext}"))
        };
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// `e` with its text in words, told by its kind (never by its text): the OS's own sentence
/// (`Permission denied (os error 13)`) replaced where the kind says it all; the kind is kept,
/// so that [`explain`] still tells a full disk.
pub(crate) fn worded_io(e: std::io::Error) -> std::io::Error {
    use std::io::ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => t!("db.io.not_found"),
        K::PermissionDenied => t!("db.io.permission_denied"),
        K::AlreadyExists => t!("db.io.already_exists"),
        K::ReadOnlyFilesystem => t!("db.io.read_only_disk"),
        K::StorageFull | K::QuotaExceeded => t!("db.io.disk_full"),
        K::IsADirectory => t!("db.io.is_a_folder"),
        _ => return e,
    };
    std::io::Error::new(e.kind(), text.into_owned())
}

/// Makes a file readable and writable by its owner only (an empty file given to `init` may
/// have been made by another program with wider permissions).
fn restrict_permissions(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(worded_io)
            .with_context(|| t!("db.cannot_restrict", path = path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// SQLite's errors about the file itself, as sentences a user can act on.
fn readable(e: rusqlite::Error) -> anyhow::Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            anyhow::anyhow!("{}", t!("db.not_sqlite"))
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseCorrupt => {
            anyhow::anyhow!("{}", t!("db.damaged", error = e))
        }
        _ => e.into(),
    }
}

/// Creates an empty file that only its owner can read and write (the registry holds ID and
/// phone numbers). On Windows the file inherits the folder's permissions.
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        bail!(
            "{}",
            t!(
                "db.cannot_create_no_folder",
                path = path.display(),
                folder = parent.display()
            )
        );
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(worded_io)
        .with_context(|| t!("db.cannot_create", path = path.display()))?;
    Ok(())
}

/// Prepared statements kept per connection (rusqlite's default is 16).
const STATEMENT_CACHE: usize = 128;

/// Local date-time as stored in `imported_at` / `entered_at`: `YYYY-MM-DD HH:MM:SS`.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The OS user name, recorded as the operator of entries typed at the terminal; looked up
/// once per process (an import logs one change per row).
pub fn operator() -> String {
    static OPERATOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OPERATOR.get_or_init(operator_uncached).clone()
}

fn operator_uncached() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The name of the account the process runs as, from `/etc/passwd` (cron jobs and
/// containers often run without `USER`); `None` elsewhere.
fn account_name() -> Option<String> {
    #[cfg(unix)]
    {
        let uid = rustix::process::getuid().as_raw().to_string();
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_string())
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_registry_is_named_not_quoted() {
        let raw = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
            Some("attempt to write a readonly database".into()),
        );
        let e = explain(anyhow::Error::new(raw), Path::new("nf.db"));
        assert!(
            e.to_string()
                .starts_with("nf.db can be read but not written by this user"),
            "{e}"
        );
        assert!(is_failure(&e));
        // An error is told by its code, never by its text.
        let text = "--date: 2025-07-16: attempt to write a readonly database";
        let other = explain(anyhow::anyhow!(text), Path::new("nf.db"));
        assert_eq!(other.to_string(), text);
        assert!(!is_failure(&other));
    }

    #[test]
    fn a_full_disk_and_an_io_error_are_said_in_words() {
        let failure = |code| {
            let raw = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
            explain(
                anyhow::Error::new(raw).context("storing row 7"),
                Path::new("nf.db"),
            )
            .to_string()
        };
        assert!(
            failure(rusqlite::ffi::SQLITE_FULL).starts_with("the disk holding nf.db is full"),
            "{}",
            failure(rusqlite::ffi::SQLITE_FULL)
        );
        assert!(
            failure(rusqlite::ffi::SQLITE_IOERR).starts_with("nf.db could not be read or written")
        );
        assert!(
            failure(rusqlite::ffi::SQLITE_BUSY).starts_with("nf.db is locked by another program")
        );
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = explain(
            anyhow::Error::new(io).context("cannot write bad.csv"),
            Path::new("nf.db"),
        );
        assert_eq!(
            format!("{e:#}"),
            "cannot write bad.csv: the disk is full — nothing was changed; free some space on \
             it and try again"
        );
        assert!(is_failure(&e));
        let bare = explain(
            anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::StorageFull)),
            Path::new("nf.db"),
        );
        assert_eq!(
            format!("{bare:#}"),
            "the disk is full — nothing was changed; free some space on it and try again"
        );
    }

    #[test]
    fn a_registry_replaced_by_a_restore_under_a_command_is_said_so_not_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nf.db");
        let db = Db::open(&path, OpenMode::Create).unwrap();
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        // What `restore` does: its copy is renamed over the registry.
        std::fs::rename(&copy, &path).unwrap();
        let e = db
            .conn
            .execute(
                "INSERT INTO pii_access (at, command, operator) VALUES ('', '', '')",
                [],
            )
            .unwrap_err();
        let e = explain(e.into(), &path);
        assert_eq!(
            e.to_string(),
            format!(
                "{} was replaced while this command ran (a restore from a backup) — nothing \
                 was changed; run the command again once the restore is done",
                path.display()
            )
        );
        assert!(is_failure(&e));
    }

    #[test]
    fn an_io_error_is_worded_by_its_kind_which_it_keeps() {
        use std::io::{Error, ErrorKind};
        let e = worded_io(Error::from(ErrorKind::PermissionDenied));
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert_eq!(e.to_string(), t!("db.io.permission_denied"));
        assert!(!e.to_string().contains("os error"), "{e}");
        let e = worded_io(Error::from(ErrorKind::StorageFull));
        assert_eq!(e.kind(), ErrorKind::StorageFull);
        // A kind without words of its own keeps the OS's.
        let e = worded_io(Error::other("odd"));
        assert_eq!(e.to_string(), "odd");
    }

    #[test]
    fn a_typed_checkin_on_a_read_only_registry_fails_as_the_registry() {
        use crate::model::{CheckinRecord, Phone, StoreError, WorkerRef};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nf.db");
        let db = Db::open(&path, OpenMode::Create).unwrap();
        db.conn
            .execute_batch(
                "INSERT INTO streets (id, code, name, district_code) VALUES (1, '140106001', '柳巷街道', '140106');
                 INSERT INTO workers (id, name, phone, occupation, street_id)
                     VALUES (1, '郭志伟', '13623517804', 'courier', 1);",
            )
            .unwrap();
        drop(db);
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut resolver = events::EventResolver::load(&conn).unwrap();
        let record = CheckinRecord {
            who: WorkerRef {
                name: None,
                id_number: None,
                phone: Some(Phone::parse("13623517804").unwrap()),
            },
            date: chrono::NaiveDate::from_ymd_opt(2025, 7, 16).unwrap(),
            street: None,
            community: None,
            purpose: String::new(),
        };
        let resolved = resolver.checkin(record).unwrap();
        let mut writer = checkins::CheckinWriter::new(&conn, None).unwrap();
        // Not "--date: 2025-07-16: cannot be stored: attempt to write a readonly database".
        let Err(StoreError::Db(e)) = writer.store(&resolved) else {
            panic!("a read-only registry is the database's failure, not the row's");
        };
        assert_eq!(
            explain(e, &path).to_string(),
            format!(
                "{} can be read but not written by this user (its permissions, a read-only \
                 folder or disk) — nothing was changed; run as the registry's owner, or copy it \
                 somewhere writable with `nuanfeng backup`",
                path.display()
            )
        );
    }

    #[test]
    fn a_failed_look_up_is_the_database_s_failure_not_a_problem_line() {
        let conn = Connection::open_in_memory().unwrap();
        // No stations table: SQLite fails, and the failure stays SQLite's error.
        let Err(e) = stations::find_station(&conn, "美团柳巷站", None) else {
            panic!("a look-up in a file without stations fails");
        };
        assert!(matches!(e, LookupError::Db(_)), "{e:?}");
        let e = e.problem().unwrap_err();
        assert!(sqlite_error(&e).is_some(), "{e:#}");
        conn.execute_batch(SCHEMA_SQL).unwrap();
        let e = stations::find_station(&conn, "美团柳巷站", None).unwrap_err();
        assert_eq!(e.problem().unwrap(), "not in the stations register");
    }

    #[test]
    fn a_refusal_is_a_sentence_and_a_database_failure_an_error() {
        assert_eq!(
            refusal(anyhow::anyhow!("had another instructor until 2025-06-30")).unwrap(),
            "had another instructor until 2025-06-30"
        );
        let raw = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let e = refusal(anyhow::Error::new(raw).context("assigning")).unwrap_err();
        assert!(
            explain(e, Path::new("nf.db"))
                .to_string()
                .starts_with("the disk holding nf.db is full")
        );
    }

    #[test]
    fn fresh_file_has_current_version_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let db = Db::open(&path, OpenMode::Create).unwrap();
        let v: i64 = db
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let fk: i64 = db
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(db);
        // Opening again is a no-op.
        Db::open(&path, OpenMode::Existing).unwrap();
    }

    #[test]
    fn missing_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        let err = Db::open(&path, OpenMode::Existing).err().unwrap();
        assert!(err.to_string().contains("none.db"), "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn foreign_sqlite_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t(x)")
            .unwrap();
        let err = Db::open(&path, OpenMode::Existing).err().unwrap();
        assert!(
            format!("{err:#}").contains("not a nuanfeng registry"),
            "{err:#}"
        );
    }

    /// The plan SQLite chooses for `sql` (parameters left unbound), one step per line.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            steps.push(r.get::<_, String>(3).unwrap());
        }
        steps.join("\n")
    }

    #[test]
    fn the_queries_use_the_indexes_there_are() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        let c = &db.conn;
        let worker_sql = format!("{} WHERE w.id = ?1", workers::WORKER_SELECT);
        let expected = [
            (
                worker_sql.as_str(),
                "SEARCH w USING INTEGER PRIMARY KEY (rowid=?)",
            ),
            (
                wishes::WISHES_SQL,
                "sqlite_autoindex_wishes_1 (worker_id=?)",
            ),
            (
                awards::AWARDS_SQL,
                "sqlite_autoindex_awards_1 (worker_id=?)",
            ),
            (
                ledger::POINT_ENTRIES_SQL,
                "point_entries_event (worker_id=? AND date>? AND date<?)",
            ),
            (
                ledger::BALANCE_THROUGH_SQL,
                "point_entries_event (worker_id=? AND date<?)",
            ),
        ];
        for (sql, step) in expected {
            let p = plan(c, sql);
            assert!(p.contains(step), "{sql}\n{p}");
        }
        // Check-ins, services and reports of one worker, with or without a period, through
        // the worker's index.
        let (range, _) = events::key_range(
            "k",
            Some(&crate::model::Period {
                from: crate::model::period::stored_day("2025-07-01").unwrap(),
                to: crate::model::period::stored_day("2025-07-31").unwrap(),
            }),
        );
        let p = plan(
            c,
            &format!("SELECT k.id FROM checkins k WHERE k.worker_id = ?1 {range}"),
        );
        assert!(
            p.contains("checkins_event (event_key>? AND event_key<?)"),
            "{p}"
        );
        for table in ["services", "tips"] {
            for r in [range.as_str(), ""] {
                let p = plan(
                    c,
                    &format!("SELECT k.id FROM {table} k WHERE k.worker_id = ?1 {r}"),
                );
                assert!(p.contains(&format!("{table}_worker (worker_id=?)")), "{p}");
            }
        }
    }

    #[test]
    fn an_unknown_worker_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        assert_eq!(workers::worker(&db.conn, 7).unwrap(), None);
        assert_eq!(
            ledger::balance_through(&db.conn, 7, "9999-12-31").unwrap(),
            0
        );
        assert!(checkins::history(&db.conn, 7, None).unwrap().is_empty());
    }
}
