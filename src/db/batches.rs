//! Import batches: one row per imported file, with its SHA-256, encoding and counts, so that
//! every row can be traced to the file it came from and a file imported twice is recognised.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::Counts;

/// Starts a batch for `file_name` (the name only, not the folder) and returns its id.
pub fn begin(conn: &Connection, kind: &str, file_name: &str, encoding: &str) -> Result<i64> {
    Ok(conn.query_row(
        "INSERT INTO import_batches (kind, file_name, sha256, encoding, imported_at)
         VALUES (?1, ?2, '', ?3, ?4) RETURNING id",
        params![kind, file_name, encoding, super::now_text()],
        |r| r.get(0),
    )?)
}

/// Records the digest and counts of a finished batch.
pub fn finish(conn: &Connection, batch: i64, sha256: &str, c: &Counts) -> Result<()> {
    conn.execute(
        "UPDATE import_batches SET sha256 = ?1, rows_read = ?2, rows_new = ?3, rows_updated = ?4,
             rows_unchanged = ?5, rows_rejected = ?6
         WHERE id = ?7",
        params![
            sha256,
            c.read as i64,
            c.new as i64,
            c.updated as i64,
            c.unchanged as i64,
            c.rejected as i64,
            batch
        ],
    )?;
    Ok(())
}

/// When a file with this digest was imported before as the same kind (and, for a workbook,
/// from the same sheet: `file_name` ends in `[sheet]`): the earlier file name and time.
pub fn previous(
    conn: &Connection,
    kind: &str,
    sha256: &str,
    sheet: Option<&str>,
    before: i64,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT file_name, imported_at FROM import_batches
             WHERE kind = ?1 AND sha256 = ?2 AND id < ?3
               AND (?4 IS NULL OR substr(file_name, -length(?4)) = ?4)
             ORDER BY id DESC LIMIT 1",
            params![kind, sha256, before, sheet.map(|s| format!("[{s}]"))],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
