//! Keeping the data safe. Acceptance tests of the issue "check, backup, restore", through the
//! real binary on the district fixture: `check` is one line on a sound registry and lists
//! every kind of damage made behind the program's back; `backup` copies every row into a
//! private file, also in the middle of another process's import; `restore` round-trips and
//! refuses what is not a sound registry of this build, keeping the registry it replaces. Of
//! the issue "Nothing lost": imports killed at any point, two programs on one registry, a disk
//! that fills up during an import (or during `init` and `demo`, which then leave no file), a
//! registry that cannot be written (its file, its folder, its disk). And encryption at rest.

mod backup;
mod bulk;
mod check;
mod concurrency;
#[cfg(unix)]
mod crash;
#[cfg(feature = "sqlcipher")]
mod encryption;
#[cfg(unix)]
mod full_disk;
#[cfg(unix)]
mod hostile;
#[cfg(unix)]
mod interrupted;
mod messages;
mod paths;
#[cfg(unix)]
mod read_only;
#[cfg(unix)]
mod targets;

use std::path::Path;

/// Overwrites the page holding the index `checkins_event` with zeros: the file still opens,
/// but SQLite's integrity check fails.
fn damage_an_index(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let page: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'checkins_event'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(path).unwrap();
    let start = ((page - 1) * size) as usize;
    bytes[start..start + size as usize].fill(0);
    std::fs::write(path, bytes).unwrap();
}
