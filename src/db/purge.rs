//! Erasing departed workers (`worker purge`): the name, 身份证号, 手机号 and note of a worker
//! who left go, and so do the numbers they had before and their values in the change log, while the row and every record
//! (check-ins, services, tips, points, stages, wishes, awards) stay, so that every count and
//! report is the same as before. Nothing here reads files or prints.

use anyhow::Result;
use rusqlite::{Connection, params};

use super::{Db, Reader};

/// A worker `worker purge` erases (or, in a dry run, would erase).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Departed {
    /// Row id; the placeholder name is `已清除#<id>`.
    pub id: i64,
    /// 姓名 as registered (before the purge).
    pub name: String,
    /// 所属街道.
    pub street: String,
    /// 离职日期, `YYYY-MM-DD`.
    pub left_on: String,
}

/// The name a purged worker keeps: neutral, and unique by the row id.
pub fn placeholder(id: i64) -> String {
    format!("已清除#{id}")
}

/// Erases worker `id` in the transaction `tx`: name (a placeholder), 身份证号, 手机号, note,
/// former numbers and the values of the change log that named them; records `purged_on` =
/// `today` in the change log, by `command`. The caller records the pending erasure (VACUUM
/// after the commit).
///
/// Errors: database errors.
pub(crate) fn erase(tx: &Connection, id: i64, today: &str, command: &str) -> Result<()> {
    tx.execute(
        "UPDATE workers SET name = ?2, id_number = NULL, phone = NULL, note = NULL,
                            purged_on = ?3
         WHERE id = ?1",
        params![id, placeholder(id), today],
    )?;
    super::workers::erase_former_numbers(tx, id)?;
    // Through change_log_entity, by the id's number (`+`: see changes::history).
    tx.execute(
        "UPDATE change_log SET old = NULL, new = NULL
         WHERE entity = 'worker' AND CAST(entity_id AS INTEGER) = ?2 AND +entity_id = ?1
           AND field IN ('*', 'name', 'id_number', 'phone', 'note')",
        params![id.to_string(), id],
    )?;
    super::changes::log(
        tx,
        "worker",
        &id.to_string(),
        "purged_on",
        None,
        Some(today),
        command,
        None,
    )?;
    Ok(())
}

/// The workers not yet purged whose 离职日期 is before `before` (`YYYY-MM-DD`, exclusive),
/// by street and 离职日期. A worker without a 离职日期 (still working) is never among them.
pub fn departed_before(db: &impl Reader, before: &str) -> Result<Vec<Departed>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT w.id, w.name, s.name, w.left_on FROM workers w JOIN streets s ON s.id = w.street_id
         WHERE w.left_on IS NOT NULL AND w.left_on < ?1 AND w.purged_on IS NULL
         ORDER BY s.name, w.left_on, w.id",
    )?;
    let rows = stmt
        .query_map([before], |r| {
            Ok(Departed {
                id: r.get(0)?,
                name: r.get(1)?,
                street: r.get(2)?,
                left_on: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Purges the workers who left before `before` (`YYYY-MM-DD`, exclusive), in one
/// transaction, and returns them: name → `已清除#<id>`; 身份证号, 手机号 and note → NULL, and
/// the numbers they had before (`worker_numbers`) erased;
/// `purged_on` → `today`; in the change log, the old and new values of their name, numbers,
/// note and registration (`*`, which holds the name) → NULL. The purge itself is logged
/// (field `purged_on`, under `command`). SQLite's `secure_delete` is on while it runs; the
/// erasure is complete once [`finish`] has vacuumed the file, so that no erased value is left
/// in its free space (a large file takes a while: VACUUM rewrites all of it).
///
/// The erasure is complete or said to be incomplete: the transaction that erases also
/// records a [`pending_erasures`](PendingErasure) row, which only [`finish`] deletes, after
/// the VACUUM. A purge killed (or failing on a full disk) between its commit and the end of
/// its VACUUM leaves the row, and the next command finishes the erasure; `check` names it.
/// The caller runs [`finish`] next.
///
/// Errors: database errors; nothing is changed then.
pub fn purge(db: &mut Db, before: &str, today: &str, command: &str) -> Result<Vec<Departed>> {
    db.conn.pragma_update(None, "secure_delete", true)?;
    let tx = db.begin_write()?;
    let departed = departed_before(&tx, before)?;
    for w in &departed {
        erase(&tx, w.id, today, command)?;
    }
    if !departed.is_empty() {
        tx.execute(
            "INSERT INTO pending_erasures (at, workers, command) VALUES (?1, ?2, ?3)",
            params![super::now_text(), departed.len() as i64, command],
        )?;
    }
    tx.commit()?;
    crate::testhook::kill_point("purge:after-commit");
    Ok(departed)
}

/// Erasures recorded by [`purge`] and not yet finished by [`finish`], taken together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingErasure {
    /// When the earliest of them committed, `YYYY-MM-DD HH:MM:SS` (local time).
    pub at: String,
    /// How many workers they erased, in all.
    pub workers: i64,
}

/// The erasures not yet finished (`None`: every purge finished its VACUUM).
///
/// Errors: database errors.
pub fn pending(db: &impl Reader) -> Result<Option<PendingErasure>> {
    let conn = db.conn().0;
    let (n, at, workers): (i64, Option<String>, i64) = conn.query_row(
        "SELECT count(*), min(at), coalesce(sum(workers), 0) FROM pending_erasures",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok((n > 0).then(|| PendingErasure {
        at: at.unwrap_or_default(),
        workers,
    }))
}

/// Finishes the erasures [`pending`] names: VACUUM (with `secure_delete` on) writes the file
/// anew from its live rows only — values changed before (an old phone, a note replaced) may
/// still lie in the free space of pages, which `secure_delete` does not reach — and then the
/// rows go. VACUUM's own rollback journal holds the old pages until it commits and is deleted
/// then; killed in between, the journal rolls the file back on the next open and the row,
/// still there, has the erasure done again. Returns what was finished (`None`: nothing was
/// pending).
///
/// Errors: database errors (a full disk: VACUUM needs room for a second copy); the erasure
/// stays pending then.
pub fn finish(db: &mut Db) -> Result<Option<PendingErasure>> {
    let Some(found) = pending(db)? else {
        return Ok(None);
    };
    db.conn.pragma_update(None, "secure_delete", true)?;
    db.conn.execute_batch("VACUUM")?;
    crate::testhook::kill_point("purge:after-vacuum");
    db.conn.execute("DELETE FROM pending_erasures", [])?;
    Ok(Some(found))
}
