//! The database: opening the one SQLite file (pragmas, permissions, schema version) and, in
//! the submodules, every SQL statement of the program. Nothing outside `db` holds SQL; nothing
//! inside `db` reads files or prints.

pub mod batches;
pub mod changes;
pub mod check;
pub mod coverage;
pub mod events;
pub mod figures;
pub mod history;
pub mod ledger;
pub mod listings;
pub mod orgs;
pub mod places;
pub mod queries;
pub mod records;
pub mod stages;
pub mod stations;
pub mod workers;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags};

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

/// Whether [`Db::open`] may create a missing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (readable by its owner only) when it does not exist.
    Create,
    /// Refuse a missing file with a message naming it.
    Existing,
}

/// An open registry file.
pub struct Db {
    pub(crate) conn: Connection,
    path: PathBuf,
    upgraded: Option<(i64, PathBuf)>,
}

impl Db {
    /// Opens (or, with [`OpenMode::Create`], creates) the registry at `path`: foreign keys
    /// on, a busy timeout, the rollback journal (safe on synced folders), a 64 MiB page cache
    /// for imports, and the schema brought to [`SCHEMA_VERSION`].
    ///
    /// Errors: a missing file in `Existing` mode (naming the path and how to create it); a
    /// file that is not SQLite or not a nuanfeng registry; a file made by a newer build.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            bail!(
                "no database at {} — create it with `nuanfeng --db {} init --district 140106` \
                 (or import a register), or point NUANFENG_DB at an existing file",
                path.display(),
                path.display()
            );
        }
        if !exists {
            create_private_file(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open {}", path.display()))?;
        let mut db = Self {
            conn,
            path: path.to_path_buf(),
            upgraded: None,
        };
        db.configure()
            .and_then(|()| db.prepare_schema(mode))
            .with_context(|| format!("{} cannot be used", path.display()))?;
        Ok(db)
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// a concurrent writer waits for the busy timeout instead of failing halfway.
    pub fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
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

    fn configure(&mut self) -> Result<()> {
        self.conn
            .busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        ledger::register_seal_function(&self.conn)?;
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = FILE;",
            )
            .map_err(readable)
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
            bail!(
                "it is empty, not a nuanfeng registry — create one with `nuanfeng --db {} init`",
                self.path.display()
            );
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
            bail!("it is a SQLite database but not a nuanfeng registry");
        }
        if version > SCHEMA_VERSION {
            bail!(
                "it was made by a newer nuanfeng (schema version {version}; this build knows up to \
                 {SCHEMA_VERSION}) — use the newer nuanfeng"
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
        let backup = backup_name(&self.path, from);
        self.conn
            .backup(
                rusqlite::MAIN_DB,
                &backup,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .with_context(|| format!("cannot write the backup copy {}", backup.display()))?;
        restrict_permissions(&backup)?;
        // Rebuilding a table needs foreign keys off (SQLite's own procedure); they are
        // checked in full before the upgrade commits.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let result = (|| -> Result<()> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
            for sql in &MIGRATIONS[(from - 1) as usize..] {
                tx.execute_batch(sql)?;
            }
            let broken: i64 =
                tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if broken > 0 {
                bail!(
                    "the upgrade would leave {broken} rows pointing at nothing; nothing was changed"
                );
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            tx.commit()?;
            Ok(())
        })();
        self.conn.pragma_update(None, "foreign_keys", true)?;
        result.with_context(|| {
            format!(
                "upgrading from schema version {from} failed; the file is unchanged (a copy is in {})",
                backup.display()
            )
        })?;
        self.upgraded = Some((from, backup));
        Ok(())
    }

    /// When opening upgraded the file: the version it had and where its backup copy is.
    pub fn upgraded(&self) -> Option<&(i64, PathBuf)> {
        self.upgraded.as_ref()
    }
}

/// `FILE.vN.bak` beside the registry, or `FILE.vN.2.bak` … when that exists.
fn backup_name(path: &Path, version: i64) -> PathBuf {
    let base = path.as_os_str().to_string_lossy().into_owned();
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            PathBuf::from(format!("{base}.v{version}.bak"))
        } else {
            PathBuf::from(format!("{base}.v{version}.{n}.bak"))
        };
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Makes a file readable and writable by its owner only (an empty file given to `init` may
/// have been made by another program with wider permissions).
fn restrict_permissions(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict the permissions of {}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// SQLite's errors about the file itself, as sentences a user can act on.
fn readable(e: rusqlite::Error) -> anyhow::Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
            anyhow::anyhow!("it is not a SQLite database (nor a nuanfeng registry)")
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseCorrupt => {
            anyhow::anyhow!("the file is damaged (SQLite: {e}) — restore it from a backup copy")
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
            "cannot create {}: folder {} does not exist",
            path.display(),
            parent.display()
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
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Local date-time as stored in `imported_at` / `entered_at`: `YYYY-MM-DD HH:MM:SS`.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// The OS user name, recorded as the operator of entries typed at the terminal.
pub fn operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
