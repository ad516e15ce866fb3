//! Encryption at rest (cargo feature `sqlcipher`): the registry file is a SQLCipher database,
//! so a lost laptop does not give away the 身份证号 and 手机号 it holds.
//!
//! The key comes from the environment (`NUANFENG_KEY`) or, when standard input is a
//! terminal, from a prompt that does not echo — never from the command line, where other
//! users and the shell history would see it. It is given (`PRAGMA key`) right after the file
//! is opened, before any other statement, and is never printed. This is the one place of
//! `db` that reads the environment and the terminal: the key must be at hand before the
//! first statement runs.
//!
//! A plaintext registry made by a build without the feature still opens without a key; given
//! a key, it is refused rather than mistaken for an encrypted one.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;
use rust_i18n::t;

use super::{APPLICATION_ID, BUSY_TIMEOUT_MS, OpenMode, PAGE_SIZE, create_private_file, readable};

/// The environment variable that holds the key.
pub const KEY_VAR: &str = "NUANFENG_KEY";

/// The first 16 bytes of every plaintext SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// A registry's key and where it came from (for the messages). Deliberately without `Debug`
/// or `Display`, so it cannot end up in a message or a log.
pub(crate) struct Key {
    secret: String,
    /// The variable it came from (`None`: typed at the terminal).
    from_env: Option<&'static str>,
}

/// What the file holds before it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Missing or empty: a new registry, created encrypted.
    New,
    /// A plaintext SQLite file.
    Plain,
    /// Anything else: an encrypted registry (or not a database at all).
    Encrypted,
}

fn state(path: &Path) -> Result<State> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::New),
        Err(e) => {
            return Err(super::worded_io(e))
                .with_context(|| t!("db.cannot_read", path = path.display()));
        }
    };
    let mut head = Vec::with_capacity(PLAIN_HEADER.len());
    file.take(PLAIN_HEADER.len() as u64)
        .read_to_end(&mut head)
        .map_err(super::worded_io)
        .with_context(|| t!("db.cannot_read", path = path.display()))?;
    Ok(if head.is_empty() {
        State::New
    } else if head == PLAIN_HEADER {
        State::Plain
    } else {
        State::Encrypted
    })
}

/// The key for the registry at `path`, found before the file is opened (or created): `None`
/// for a plaintext file opened without `NUANFENG_KEY`, and for an empty file that only
/// `Existing` mode will look at (to say it is empty).
///
/// Errors: a key given for a plaintext file; no key for an encrypted or a new file when
/// `NUANFENG_KEY` is unset and standard input is not a terminal; a prompt answered with
/// nothing, or with two different keys for a new file.
pub(crate) fn key_for(path: &Path, mode: OpenMode) -> Result<Option<Key>> {
    let shown = path.display();
    match state(path)? {
        State::Plain => {
            if from_env().is_some() {
                bail!(
                    "{}",
                    t!("db.key.plain_with_key", path = shown, var = KEY_VAR)
                );
            }
            Ok(None)
        }
        State::New if mode == OpenMode::Existing => Ok(None),
        State::New => match from_env() {
            Some(key) => Ok(Some(key)),
            None if std::io::stdin().is_terminal() => prompt_new(path).map(Some),
            None => bail!("{}", t!("db.key.needed_new", path = shown, var = KEY_VAR)),
        },
        State::Encrypted => match from_env() {
            Some(key) => Ok(Some(key)),
            None if std::io::stdin().is_terminal() => {
                prompt(&t!("db.key.prompt", path = shown)).map(Some)
            }
            None => bail!("{}", t!("db.key.needed", path = shown, var = KEY_VAR)),
        },
    }
}

/// The variable that holds the key of the registries `merge` reads, when it differs from
/// this registry's.
pub const SOURCE_KEY_VAR: &str = "NUANFENG_SOURCE_KEY";

/// The key of a registry `merge` reads at `path`: `None` for a plaintext one; for an
/// encrypted one `NUANFENG_SOURCE_KEY`, else `NUANFENG_KEY`, else asked at the terminal.
///
/// Errors: an encrypted file and no key to be had; an empty answer at the prompt.
pub(crate) fn source_key(path: &Path) -> Result<Option<Key>> {
    if state(path)? != State::Encrypted {
        return Ok(None);
    }
    let env = std::env::var(SOURCE_KEY_VAR)
        .ok()
        .filter(|k| !k.is_empty())
        .map(|secret| Key {
            secret,
            from_env: Some(SOURCE_KEY_VAR),
        });
    match env.or_else(from_env) {
        Some(key) => Ok(Some(key)),
        None if std::io::stdin().is_terminal() => {
            prompt(&t!("db.key.prompt", path = path.display())).map(Some)
        }
        None => bail!(
            "{}",
            t!("db.key.needed", path = path.display(), var = SOURCE_KEY_VAR)
        ),
    }
}

/// The key for a new file that [`Db::open`](super::Db::open) does not create (the copy
/// `nuanfeng encrypt` writes): from `NUANFENG_KEY`, else asked twice at the terminal.
fn new_key(path: &Path) -> Result<Key> {
    match from_env() {
        Some(key) => Ok(key),
        None if std::io::stdin().is_terminal() => prompt_new(path),
        None => bail!(
            "{}",
            t!("db.key.needed_new", path = path.display(), var = KEY_VAR)
        ),
    }
}

/// `NUANFENG_KEY`, when set and not empty.
fn from_env() -> Option<Key> {
    std::env::var(KEY_VAR)
        .ok()
        .filter(|k| !k.is_empty())
        .map(|secret| Key {
            secret,
            from_env: Some(KEY_VAR),
        })
}

fn prompt(text: &str) -> Result<Key> {
    let secret = rpassword::prompt_password(text).with_context(|| t!("db.key.cannot_read"))?;
    if secret.is_empty() {
        bail!("{}", t!("db.key.none_typed"));
    }
    Ok(Key {
        secret,
        from_env: None,
    })
}

/// Asks twice for the key of a new file: a typo would lock the register away for good.
fn prompt_new(path: &Path) -> Result<Key> {
    let key = prompt(&t!("db.key.prompt_new", path = path.display()))?;
    let again = prompt(&t!("db.key.prompt_again"))?;
    if again.secret != key.secret {
        bail!("{}", t!("db.key.differ", path = path.display()));
    }
    Ok(key)
}

/// Gives the key to a connection just opened — its first statement — and proves it right by
/// reading the schema. Every page is `PAGE_SIZE` bytes: SQLCipher cannot read the page size
/// from an encrypted header, so it is set with the key, on new and existing files alike.
pub(crate) fn unlock(conn: &Connection, path: &Path, key: &Key) -> Result<()> {
    apply(conn, key)?;
    let read = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    });
    match read {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::NotADatabase =>
        {
            if let Some(var) = key.from_env {
                bail!(
                    "{}",
                    t!("db.key.wrong_env", path = path.display(), var = var)
                )
            }
            bail!("{}", t!("db.key.wrong", path = path.display()))
        }
        Err(e) => Err(readable(e)).with_context(|| t!("db.cannot_be_used", path = path.display())),
    }
}

fn apply(conn: &Connection, key: &Key) -> Result<()> {
    // SQLCipher's own log (a wrong key writes "hmac check failed …" to stderr) says nothing
    // the message of `unlock` does not; it is a process-wide setting that touches no file.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    conn.pragma_update(None, "key", key.secret.as_str())
        .with_context(|| t!("db.key.refused"))?;
    conn.pragma_update(None, "cipher_page_size", PAGE_SIZE)?;
    Ok(())
}

/// Copies the open encrypted registry into `to`, an empty file readable by its owner only
/// (the temporary of the backup copy made before an upgrade), encrypted with the same key,
/// and checks the copy (`quick_check`). SQLCipher refuses to back up an encrypted database
/// into a plaintext one, so the copy is keyed first.
///
/// Errors: the copy cannot be written or does not pass its check.
pub(crate) fn backup(conn: &Connection, key: &Key, to: &Path) -> Result<()> {
    let mut dst = Connection::open(to)?;
    apply(&dst, key)?;
    rusqlite::backup::Backup::new(conn, &mut dst)?.run_to_completion(
        1024,
        std::time::Duration::ZERO,
        None,
    )?;
    let verdict: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        bail!("{}", t!("files.copy_unsound", detail = verdict));
    }
    Ok(())
}

/// `nuanfeng encrypt`: writes an encrypted copy of the plaintext registry `from` into `to`,
/// a new file readable by its owner only, with the key from `NUANFENG_KEY` or typed twice
/// (`sqlcipher_export` into an attached database; the schema version and application id are
/// copied by hand, as the export leaves them out). `from` is left as it is. Returns the
/// number of schema objects copied.
///
/// Errors: `from` missing, empty, already encrypted or not a nuanfeng registry; `to`
/// existing; no key.
pub(crate) fn encrypt_copy(from: &Path, to: &Path) -> Result<i64> {
    match state(from)? {
        State::Plain => {}
        State::Encrypted => bail!("{}", t!("db.encrypt.already", path = from.display())),
        State::New => bail!("{}", t!("db.encrypt.nothing", path = from.display())),
    }
    if to.exists() {
        bail!("{}", t!("db.encrypt.exists", path = to.display()));
    }
    // Read-write (an attached file shares the flags of the connection), though only the
    // attached copy is written.
    let conn = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .with_context(|| t!("db.cannot_open", path = from.display()))?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(readable)
        .with_context(|| t!("db.cannot_be_used", path = from.display()))?;
    if app != APPLICATION_ID {
        return Err(anyhow::anyhow!("{}", t!("db.not_registry")))
            .with_context(|| t!("db.cannot_be_used", path = from.display()));
    }
    let key = new_key(to)?;
    // The copy passes through no temporary file in plaintext.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    create_private_file(to)?;
    let result = (|| -> Result<i64> {
        let target = to.to_str().with_context(|| t!("db.encrypt.not_unicode"))?;
        conn.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            [target, key.secret.as_str()],
        )?;
        let export = (|| -> Result<()> {
            conn.pragma_update(Some("encrypted"), "cipher_page_size", PAGE_SIZE)?;
            // One transaction: the snapshot copied is consistent.
            conn.execute_batch("BEGIN")?;
            let copied = (|| -> Result<()> {
                conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
                let version: i64 = conn.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
                conn.pragma_update(Some("encrypted"), "user_version", version)?;
                conn.pragma_update(Some("encrypted"), "application_id", APPLICATION_ID)?;
                Ok(())
            })();
            conn.execute_batch(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
            copied
        })();
        conn.execute_batch("DETACH DATABASE encrypted")?;
        export?;
        // Read the copy back with its key.
        let check = Connection::open_with_flags(to, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        apply(&check, &key)?;
        let theirs: i64 =
            check.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let ours: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if theirs != ours {
            bail!("{}", t!("db.encrypt.short", theirs = theirs, ours = ours));
        }
        Ok(ours)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result.with_context(|| t!("db.encrypt.cannot_write", path = to.display()))
}
