//! Import batches: one row per imported file, with its SHA-256, encoding and counts, so that
//! every row can be traced to the file it came from and a file imported twice is recognised.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::{BatchStart, Counts};

/// Starts the batch of an import as `start` describes it (its kind, the file's name without
/// the folder, the encoding read, how the file is read) and returns its id. `commit_counter`
/// is the file change counter the batch's commit will produce, when known (see [`Latest`]).
pub fn begin(
    conn: &Connection,
    start: &BatchStart<'_>,
    commit_counter: Option<u32>,
) -> Result<i64> {
    Ok(conn.query_row(
        "INSERT INTO import_batches (kind, file_name, sha256, encoding, imported_at, reading,
                                     commit_counter)
         VALUES (?1, ?2, '', ?3, ?4, ?5, ?6) RETURNING id",
        params![
            start.kind.code(),
            start.file_name,
            start.read_as,
            super::now_text(),
            start.reading,
            commit_counter
        ],
        |r| r.get(0),
    )?)
}

/// The last batch recorded in the registry (of any kind), as far as an identical re-import
/// needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    /// Register kind code.
    pub kind: String,
    /// File name, with `[sheet]` for a workbook.
    pub file_name: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Encoding code or workbook kind.
    pub encoding: String,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub imported_at: String,
    /// How the file was read.
    pub reading: String,
    /// The file change counter its commit produced, when known.
    pub commit_counter: Option<u32>,
    /// What its rows did.
    pub counts: Counts,
}

/// The batch with the highest id, if any.
///
/// Errors: database errors.
pub fn latest(conn: &Connection) -> Result<Option<Latest>> {
    Ok(conn
        .query_row(
            "SELECT kind, file_name, sha256, encoding, imported_at, reading, commit_counter,
                    rows_read, rows_new, rows_updated, rows_unchanged, rows_rejected
             FROM import_batches ORDER BY id DESC LIMIT 1",
            [],
            |r| {
                let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok(Latest {
                    kind: r.get(0)?,
                    file_name: r.get(1)?,
                    sha256: r.get(2)?,
                    encoding: r.get(3)?,
                    imported_at: r.get(4)?,
                    reading: r.get(5)?,
                    commit_counter: r
                        .get::<_, Option<i64>>(6)?
                        .and_then(|c| u32::try_from(c).ok()),
                    counts: Counts {
                        read: n(7)?,
                        new: n(8)?,
                        updated: n(9)?,
                        unchanged: n(10)?,
                        rejected: n(11)?,
                    },
                })
            },
        )
        .optional()?)
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
