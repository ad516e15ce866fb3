//! Former numbers (`worker_numbers`): the 身份证号 and 手机号 a worker had before, in full, each
//! with the day it was replaced (`until`). Written in the transaction that changes a worker's
//! number (every change goes through the register loader, `load.rs`), read into the
//! [`WorkerIndex`](super::WorkerIndex) so that an export made before the change still finds its
//! worker, and erased with the worker's numbers by `worker purge`. Nothing here prints; the
//! numbers are masked by whoever shows them.

use rusqlite::{Connection, params};

/// The condition on `worker_numbers n JOIN workers w` that leaves out a number that is its
/// holder's current one (a number taken back).
const NOT_CURRENT: &str = "NOT (n.kind = 'phone' AND n.number IS w.phone)
     AND NOT (n.kind = 'id_number' AND n.number IS w.id_number)";

/// A number a worker had before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Former {
    /// The worker who had it (row id).
    pub worker: i64,
    /// The last day they had it, `YYYY-MM-DD` (the day it was replaced).
    pub until: String,
}

/// Records in `worker_numbers` the numbers of worker `worker` that change from `old` to
/// `new` (each a `(身份证号, 手机号)` pair as stored), replaced on `until` (`YYYY-MM-DD`).
/// A number the worker already had before keeps one row, its `until` moved to the latest
/// replacement; a number the worker takes back (A → B → A) is current again and leaves the
/// worker's former numbers. Returns the numbers recorded as `(kind, number)`, `kind` being
/// `id_number` or `phone`.
///
/// Errors: database errors (the caller's transaction then rolls back).
pub(super) fn record_replaced(
    conn: &Connection,
    worker: i64,
    old: (Option<&str>, Option<&str>),
    new: (Option<&str>, Option<&str>),
    until: &str,
) -> rusqlite::Result<Vec<(&'static str, String)>> {
    let mut recorded = Vec::new();
    for (kind, before, after) in [("id_number", old.0, new.0), ("phone", old.1, new.1)] {
        if before == after {
            continue;
        }
        if let Some(after) = after {
            conn.prepare_cached(
                "DELETE FROM worker_numbers WHERE worker_id = ?1 AND kind = ?2 AND number = ?3",
            )?
            .execute(params![worker, kind, after])?;
        }
        let Some(before) = before else { continue };
        conn.prepare_cached(
            "INSERT INTO worker_numbers (worker_id, kind, number, until) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (kind, number, worker_id) DO UPDATE SET until = excluded.until",
        )?
        .execute(params![worker, kind, before, until])?;
        recorded.push((kind, before.to_string()));
    }
    Ok(recorded)
}

/// Every former number of the workers not purged, as `(kind, number, holder)`, oldest
/// replacement first (so that a later holder of the same number comes after an earlier one).
/// A number that is its holder's current one again (taken back by a registry written before
/// [`record_replaced`] dropped such rows) is left out.
///
/// Errors: database errors.
pub(super) fn all(conn: &Connection) -> rusqlite::Result<Vec<(String, String, Former)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT n.kind, n.number, n.worker_id, n.until
         FROM worker_numbers n JOIN workers w ON w.id = n.worker_id
         WHERE w.purged_on IS NULL AND {NOT_CURRENT}
         ORDER BY n.until, n.id"
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                Former {
                    worker: r.get(2)?,
                    until: r.get(3)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The latest holder of a former number (`kind`: `id_number` or `phone`), not purged, with
/// the holder's name: `(worker, name, until)`. When two workers had the number at different
/// times, the one who gave it up last.
///
/// Errors: database errors.
pub(super) fn latest_holder(
    conn: &Connection,
    kind: &str,
    number: &str,
) -> rusqlite::Result<Option<(i64, String, String)>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(&format!(
        "SELECT n.worker_id, w.name, n.until
         FROM worker_numbers n JOIN workers w ON w.id = n.worker_id
         WHERE n.kind = ?1 AND n.number = ?2 AND w.purged_on IS NULL AND {NOT_CURRENT}
         ORDER BY n.until DESC, n.id DESC LIMIT 1"
    ))?
    .query_row([kind, number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()
}

/// The worker other than `worker` who had the number (`kind`: `id_number` or `phone`) before,
/// not purged — the last to give it up — as `(name, until)`: said when `worker` takes the
/// number, since from then on it finds `worker`.
///
/// Errors: database errors.
pub fn other_holder(
    db: &impl crate::db::Reader,
    kind: &str,
    number: &str,
    worker: i64,
) -> anyhow::Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    let conn = db.conn().0;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT w.name, n.until
             FROM worker_numbers n JOIN workers w ON w.id = n.worker_id
             WHERE n.kind = ?1 AND n.number = ?2 AND n.worker_id <> ?3 AND w.purged_on IS NULL
               AND {NOT_CURRENT}
             ORDER BY n.until DESC, n.id DESC LIMIT 1"
        ))?
        .query_row(params![kind, number, worker], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Erases the former numbers of worker `worker` (`worker purge`: a purged worker keeps no
/// number at all).
///
/// Errors: database errors.
pub fn erase(conn: &Connection, worker: i64) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM worker_numbers WHERE worker_id = ?1")?
        .execute([worker])
}

/// Records the numbers worker `worker` gives up going from `old` to `new` (each a
/// `(身份证号, 手机号)` pair as stored) as replaced today, in `worker_numbers` and in `index`.
///
/// Errors: database errors.
pub(super) fn replaced(
    conn: &Connection,
    index: &mut super::WorkerIndex,
    worker: i64,
    old: (Option<&str>, Option<&str>),
    new: (Option<&str>, Option<&str>),
) -> rusqlite::Result<()> {
    let until = crate::model::today().to_string();
    for (kind, before, after) in [("id_number", old.0, new.0), ("phone", old.1, new.1)] {
        if let Some(after) = after.filter(|a| Some(*a) != before) {
            index.drop_former(kind, after, worker);
        }
    }
    for (kind, number) in record_replaced(conn, worker, old, new, &until)? {
        index.add_former(
            kind,
            &number,
            Former {
                worker,
                until: until.clone(),
            },
        );
    }
    Ok(())
}

/// A number a worker had before, as `worker show` lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FormerNumber {
    /// `id_number` or `phone`.
    pub kind: String,
    /// The number in full (masking is the caller's).
    pub number: String,
    /// The last day the worker had it, `YYYY-MM-DD`.
    pub until: String,
}

/// The numbers worker `id` had before, the earliest given up first.
///
/// Errors: database errors.
pub fn of_worker(db: &impl crate::db::Reader, id: i64) -> anyhow::Result<Vec<FormerNumber>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(&format!(
        "SELECT n.kind, n.number, n.until
         FROM worker_numbers n JOIN workers w ON w.id = n.worker_id
         WHERE n.worker_id = ?1 AND {NOT_CURRENT}
         ORDER BY n.until, n.id"
    ))?;
    let rows = stmt
        .query_map([id], |r| {
            Ok(FormerNumber {
                kind: r.get(0)?,
                number: r.get(1)?,
                until: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
