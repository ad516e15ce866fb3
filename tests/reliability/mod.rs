//! Keeping the data safe: `check`, `backup` and `restore`, imports killed at any point, two
//! programs on one registry, and encryption at rest.

mod backup;
mod bulk;
mod check;
mod concurrency;
#[cfg(unix)]
mod crash;
#[cfg(feature = "sqlcipher")]
mod encryption;

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
