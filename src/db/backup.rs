//! Copies of the registry: the online backup (`nuanfeng backup`), the inspection of a copy, and
//! the restore of a copy over the registry (`nuanfeng restore`). It owns the SQL and the file
//! handling of these; it prints nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use rust_i18n::t;

use super::check::integrity;
use super::{APPLICATION_ID, Db, SCHEMA_VERSION, waited, worded_io};
use crate::outfile::{PendingFile, refuse_symlink};

/// What [`backup`] copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// Pages in the copy.
    pub pages: i64,
    /// Rows of `workers` in the copy.
    pub workers: i64,
    /// Rows of `checkins` in the copy.
    pub checkins: i64,
}

/// Pages copied per step of the backup (64 MiB at the registry's 16 KiB pages): each step
/// holds a read lock only that long, so a writer in another process is never kept waiting
/// for the whole copy.
const BACKUP_PAGES_PER_STEP: i32 = 4096;

/// How long the backup waits, in all, for another process's write lock before giving up.
const BACKUP_PATIENCE: Duration = Duration::from_secs(60);

/// Copies the registry to a new file `dest` with SQLite's online backup API, safe while
/// other processes write: the copy is one consistent snapshot (when another connection
/// commits between steps, SQLite starts the copy again; while it holds the write lock, the
/// step is retried). The copy is written under a temporary name beside `dest`
/// ([`PendingFile`]), readable by its owner only, checked (`quick_check`) and flushed, and
/// only then given its name: a backup killed halfway leaves no partial file at `dest`, and the
/// temporary it leaves is removed by the next backup to that name. Returns what it holds.
///
/// Errors: `dest` exists (never overwritten), is a symbolic link, or its folder does not
/// exist; the registry stayed locked by another process for [`BACKUP_PATIENCE`]; the copy is
/// not sound; write errors. Nothing is left at `dest` then.
pub fn backup(db: &Db, dest: &Path) -> Result<BackupSummary> {
    if dest.is_dir() {
        bail!("{}", t!("db.backup.is_folder", path = dest.display()));
    }
    refuse_symlink(dest)?;
    if dest.exists() {
        bail!("{}", t!("db.backup.exists", path = dest.display()));
    }
    let folder = crate::outfile::folder_of(dest);
    if !folder.is_dir() {
        bail!(
            "{}",
            t!(
                "db.cannot_create_no_folder",
                path = dest.display(),
                folder = folder.display()
            )
        );
    }
    let mut pending = PendingFile::create(dest)
        .with_context(|| t!("db.backup.cannot_open", path = dest.display()))?;
    pending.close_handle();
    // SQLITE_FULL here is the copy's disk, not the registry's (which is only read).
    let summary = copy_into(&db.conn, pending.temp_path(), dest).map_err(|e| {
        match super::sqlite_code(&e) {
            Some(rusqlite::ErrorCode::DiskFull) => {
                super::Failure::DiskFull(Some(dest.to_path_buf())).into()
            }
            _ => e,
        }
    })?;
    crate::testhook::kill_point("backup:before-rename");
    pending.commit(false).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            anyhow!("{}", t!("db.backup.exists", path = dest.display()))
        }
        _ => {
            anyhow!(worded_io(e)).context(t!("db.cannot_write", path = dest.display()).into_owned())
        }
    })?;
    Ok(summary)
}

/// Copies the registry into the empty file `temp` (which becomes `dest`), checks the copy
/// and counts what it holds.
fn copy_into(src: &Connection, temp: &Path, dest: &Path) -> Result<BackupSummary> {
    let mut out = Connection::open(temp)
        .with_context(|| t!("db.backup.cannot_open", path = dest.display()))?;
    {
        let backup = Backup::new(src, &mut out)?;
        let mut waited_for = Duration::ZERO;
        let mut steps = 0u64;
        loop {
            let started = Instant::now();
            match backup.step(BACKUP_PAGES_PER_STEP)? {
                StepResult::Done => break,
                StepResult::More => {
                    steps += 1;
                    if steps == 1 {
                        crate::testhook::kill_point("backup:after-step");
                    }
                }
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(50));
                    waited_for += started.elapsed();
                    if waited_for > BACKUP_PATIENCE {
                        bail!(
                            "{}",
                            t!("db.backup.locked", waited = waited(BACKUP_PATIENCE))
                        );
                    }
                }
                // StepResult is non-exhaustive; treat anything new as "not yet".
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
    let count = |sql: &str| -> Result<i64> { Ok(out.query_row(sql, [], |r| r.get(0))?) };
    let verdict: String = out.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        bail!(
            "{}",
            t!(
                "files.backup.unsound",
                path = dest.display(),
                detail = verdict
            )
        );
    }
    let summary = BackupSummary {
        pages: count("PRAGMA page_count")?,
        workers: count("SELECT count(*) FROM workers")?,
        checkins: count("SELECT count(*) FROM checkins")?,
    };
    out.close().map_err(|(_, e)| e)?;
    Ok(summary)
}

/// What a file offered to [`restore`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// Its `PRAGMA user_version`: the schema version of the build that wrote it.
    pub version: i64,
    /// Rows of `workers`.
    pub workers: i64,
    /// Rows of `checkins`.
    pub checkins: i64,
}

/// Checks that `path` is a nuanfeng registry this build can use: a SQLite file with
/// nuanfeng's application_id, a schema version no newer than [`SCHEMA_VERSION`] (an older one
/// is upgraded when next opened), and a clean `PRAGMA integrity_check`. Opens it read-only.
///
/// Errors, each naming `shown` (the name the user typed) and what to do: not SQLite, not a
/// registry, made by a newer build, damaged.
pub fn inspect(path: &Path, shown: &Path) -> Result<Inspection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| t!("db.cannot_open", path = shown.display()))?;
    let not_db = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            anyhow!("{}", t!("db.backup.not_sqlite", path = shown.display()))
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            anyhow!("{}", t!("db.backup.damaged", path = shown.display()))
        }
        _ => anyhow!(e).context(t!("db.cannot_read", path = shown.display()).into_owned()),
    };
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_db)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(not_db)?;
    if app != APPLICATION_ID || tables == 0 {
        if tables == 0 {
            bail!("{}", t!("db.backup.empty", path = shown.display()));
        }
        bail!("{}", t!("db.backup.foreign", path = shown.display()));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_db)?;
    if version > SCHEMA_VERSION {
        bail!(
            "{}",
            t!(
                "db.backup.newer",
                path = shown.display(),
                version = version,
                known = SCHEMA_VERSION
            )
        );
    }
    let damage = integrity(&conn).map_err(|e| match e.downcast::<rusqlite::Error>() {
        Ok(e) => not_db(e),
        Err(e) => e,
    })?;
    if !damage.is_empty() {
        if damage.len() > 1 {
            bail!(
                "{}",
                t!(
                    "db.backup.integrity_more",
                    path = shown.display(),
                    first = damage[0],
                    more = damage.len() - 1
                )
            );
        }
        bail!(
            "{}",
            t!(
                "db.backup.integrity",
                path = shown.display(),
                first = damage[0]
            )
        );
    }
    let count = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(not_db)
            .with_context(|| t!("db.backup.no_tables", path = shown.display()))
    };
    Ok(Inspection {
        version,
        workers: count("SELECT count(*) FROM workers")?,
        checkins: count("SELECT count(*) FROM checkins")?,
    })
}

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// What the restored file holds.
    pub inspection: Inspection,
    /// Where the registry as it was is kept (`None` when there was no registry).
    pub kept: Option<PathBuf>,
}

/// How long [`restore`] waits for another process's lock on the registry, in milliseconds.
const RESTORE_LOCK_WAIT_MS: u64 = 2_000;

/// Replaces the registry at `registry` with the backup `from`: copies `from` to a temporary
/// file in the registry's folder ([`PendingFile`], readable by its owner only), fsyncs it,
/// [`inspect`]s the copy, keeps the current registry as
/// `REGISTRY.before-restore-YYYYMMDD-HHMMSS.db` beside it (itself written under a temporary
/// name and renamed when whole), and renames the copy over the registry (atomic: a crash
/// leaves the old or the new file, never half of one). The registry is write-locked
/// (`BEGIN IMMEDIATE`) while its copy is kept, so no import is lost in between. A damaged or
/// foreign file at `registry` is replaced all the same (that is what a restore is for), after
/// being kept. A restore killed halfway leaves at most its temporary, which the next command
/// on the registry removes.
///
/// Errors: `from` missing, the registry itself, with a rollback journal or WAL file beside it
/// (a write to it was interrupted: the copy would not be what SQLite reads), or refused by
/// [`inspect`]; another process holds a lock on the registry for [`RESTORE_LOCK_WAIT_MS`];
/// file errors. Nothing is changed then.
pub fn restore(registry: &Path, from: &Path) -> Result<Restored> {
    if from.is_dir() {
        bail!("{}", t!("db.restore.is_folder", path = from.display()));
    }
    if let Ok(meta) = std::fs::metadata(from)
        && !meta.is_file()
    {
        bail!(
            "{}",
            t!(
                "files.restore.not_regular",
                path = from.display(),
                kind = crate::outfile::kind_of(&meta.file_type())
            )
        );
    }
    if !from.is_file() {
        bail!("{}", t!("db.restore.missing", path = from.display()));
    }
    if registry.exists() && std::fs::canonicalize(registry).ok() == std::fs::canonicalize(from).ok()
    {
        bail!("{}", t!("db.restore.itself", path = from.display()));
    }
    // A journal whose header is zeroed (not hot) changes nothing: the file is whole.
    let hot = [
        (journal_of(from), super::journal_is_hot(&journal_of(from))),
        (
            suffixed(from, "-wal"),
            std::fs::metadata(suffixed(from, "-wal")).is_ok_and(|m| m.len() > 0),
        ),
    ];
    for (side, hot) in hot {
        if hot {
            bail!(
                "{}",
                t!(
                    "files.restore.hot_journal",
                    path = from.display(),
                    journal = side.display()
                )
            );
        }
    }
    let folder = crate::outfile::folder_of(registry);
    let file_name = registry
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "nuanfeng.db".into());
    // Leftovers of restores by earlier builds (a whole registry, numbers and all).
    let leftover = format!(".{file_name}.restore-");
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&leftover) && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let mut temp = PendingFile::create(registry)
        .map_err(|e| e.context(t!("db.cannot_write", path = registry.display()).into_owned()))?;
    copy_synced(from, &mut temp)?;
    crate::testhook::kill_point("restore:after-copy");
    let inspection = inspect(temp.temp_path(), from)?;
    let lock = if registry.exists() {
        lock(registry)?
    } else {
        None
    };
    let kept = if registry.exists() {
        let kept = before_restore_name(registry);
        let mut copy = PendingFile::create(&kept)
            .map_err(|e| e.context(t!("db.cannot_write", path = kept.display()).into_owned()))?;
        copy_synced(registry, &mut copy)?;
        copy.commit(false)
            .map_err(worded_io)
            .with_context(|| t!("db.cannot_write", path = kept.display()))?;
        crate::testhook::kill_point("restore:after-kept");
        Some(kept)
    } else {
        None
    };
    // A journal left beside the registry that is not hot holds pages of the old file
    // (numbers purged since, it may be): it goes with the file it belonged to. The write
    // lock is held, so it is no other program's journal in the making.
    if let Some(journal) = super::idle_journal_beside(registry) {
        let _ = std::fs::remove_file(journal);
    }
    // Windows cannot rename over a file another handle holds open: the lock ends here,
    // just before the rename.
    drop(lock);
    temp.commit(true)
        .map_err(worded_io)
        .with_context(|| t!("db.restore.cannot_replace", path = registry.display()))?;
    Ok(Restored { inspection, kept })
}

/// Takes the registry's write lock (`BEGIN IMMEDIATE`, waiting [`RESTORE_LOCK_WAIT_MS`]); a
/// hot journal left by a crashed writer is rolled back on the way. Returns the connection
/// holding the lock, or `None` when the file is not a usable database (it is replaced
/// anyway).
fn lock(registry: &Path) -> Result<Option<Connection>> {
    let conn = Connection::open_with_flags(
        registry,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| t!("db.cannot_open", path = registry.display()))?;
    conn.busy_timeout(Duration::from_millis(RESTORE_LOCK_WAIT_MS))?;
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => Ok(Some(conn)),
        Err(e) => match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                bail!(
                    "{}",
                    t!(
                        "db.restore.in_use",
                        path = registry.display(),
                        waited = waited(Duration::from_millis(RESTORE_LOCK_WAIT_MS))
                    )
                )
            }
            Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
                Ok(None)
            }
            _ => Err(anyhow!(e)
                .context(t!("db.restore.cannot_lock", path = registry.display()).into_owned())),
        },
    }
}

/// `REGISTRY.before-restore-YYYYMMDD-HHMMSS.db`, or `….2.db` … when that exists.
fn before_restore_name(registry: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    super::unused_name(registry, &format!("before-restore-{stamp}"), "db")
}

/// Copies `from` into the pending file `to` and flushes it to disk.
fn copy_synced(from: &Path, to: &mut PendingFile) -> Result<()> {
    let shown = to.dest().to_path_buf();
    let mut src = std::fs::File::open(from)
        .map_err(worded_io)
        .with_context(|| t!("db.cannot_read", path = from.display()))?;
    std::io::copy(&mut src, to)
        .map_err(worded_io)
        .with_context(|| {
            t!(
                "db.restore.cannot_copy",
                from = from.display(),
                to = shown.display()
            )
        })?;
    to.sync()
        .map_err(worded_io)
        .with_context(|| t!("db.restore.cannot_flush", path = shown.display()))?;
    Ok(())
}

/// The rollback journal SQLite keeps beside a database file.
fn journal_of(path: &Path) -> PathBuf {
    super::journal_of(path)
}

/// `path` with `suffix` after its name (`-journal`, `-wal`).
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}
