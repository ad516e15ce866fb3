//! Workers: identity (身份证号, else 手机号), finding a worker by a typed number or 姓名
//! (`find.rs`), the numbers a worker had before (`numbers.rs`), clearing a 离职日期
//! (`worker rejoin`), and the list of `worker list` and `worker show`. Values come back in full
//! (codes, full numbers); masking and labels are the business of the layer that shows them. The upsert of a register row is
//! in `load.rs`; the in-memory index that event imports use to find a worker per row without a
//! query in `index.rs`.

mod dates;
mod find;
mod index;
mod load;
mod numbers;
mod street;

pub use dates::contradictions;
pub use find::{Found, Scope, find_by_number, find_worker, number_of, refuse_masked};
pub use index::WorkerIndex;
pub use load::{WorkerLoader, set_political_status};
pub use numbers::{
    FormerNumber, erase as erase_former_numbers, of_worker as former_numbers, other_holder,
};
pub use street::{disagreements, station_street};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use super::Reader;

/// Clears a worker's 离职日期 (a worker who left works again), logging the change under
/// `command`. Returns the date cleared, `None` when the worker had not left.
///
/// Errors: database errors.
pub fn rejoin(conn: &Connection, id: i64, command: &str) -> Result<Option<String>> {
    let left: Option<String> =
        conn.query_row("SELECT left_on FROM workers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    if let Some(l) = &left {
        conn.execute("UPDATE workers SET left_on = NULL WHERE id = ?1", [id])?;
        super::changes::log(
            conn,
            "worker",
            &id.to_string(),
            "left_on",
            Some(l),
            None,
            command,
            None,
        )?;
    }
    Ok(left)
}

/// The 手机号 of worker `id` as stored (`None` when the worker has none).
///
/// Errors: no worker `id`; database errors.
pub fn phone(db: &impl Reader, id: i64) -> Result<Option<String>> {
    let conn = db.conn().0;
    Ok(
        conn.query_row("SELECT phone FROM workers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// One worker as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    /// Row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// `male` / `female`.
    pub gender: Option<String>,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
    /// Code, e.g. `party_member`.
    pub political_status: Option<String>,
    /// Code, e.g. `courier`.
    pub occupation: String,
    /// Enterprise name.
    pub enterprise: Option<String>,
    /// Station name.
    pub station: Option<String>,
    /// Street name.
    pub street: String,
    /// Community name.
    pub community: Option<String>,
    /// 入职日期, `YYYY-MM-DD`.
    pub joined_on: Option<String>,
    /// 离职日期, `YYYY-MM-DD`.
    pub left_on: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

/// Which workers a list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkerFilter<'a> {
    /// Only this street.
    pub street: Option<i64>,
    /// Only those working on this day, `YYYY-MM-DD` (joined by then and not left before it).
    pub on: Option<&'a str>,
}

/// The columns of a register entry, in the order [`worker_row`] reads them.
macro_rules! worker_columns {
    () => {
        "SELECT w.name, w.gender, w.phone, w.id_number, w.political_status, w.occupation,
                e.name, st.name, s.name, c.name, w.id, w.joined_on, w.left_on, w.note"
    };
}

/// The joins of a register entry.
macro_rules! worker_joins {
    () => {
        "
     FROM workers w
     JOIN streets s ON s.id = w.street_id
     LEFT JOIN enterprises e ON e.id = w.enterprise_id
     LEFT JOIN stations st ON st.id = w.station_id
     LEFT JOIN communities c ON c.id = w.community_id"
    };
}

/// The register entry's columns and joins, read by [`worker_row`].
pub(super) const WORKER_SELECT: &str = concat!(worker_columns!(), worker_joins!());

/// [`WORKER_SELECT`] with the keys of the list's order after its columns (`scode`, `sname`,
/// `wname`, `wid`).
const WORKER_SELECT_KEYED: &str = concat!(
    worker_columns!(),
    ", s.code AS scode, s.name AS sname, w.name AS wname, w.id AS wid",
    worker_joins!()
);

fn worker_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WorkerRow> {
    Ok(WorkerRow {
        id: r.get(10)?,
        joined_on: r.get(11)?,
        left_on: r.get(12)?,
        note: r.get(13)?,
        name: r.get(0)?,
        gender: r.get(1)?,
        phone: r.get(2)?,
        id_number: r.get(3)?,
        political_status: r.get(4)?,
        occupation: r.get(5)?,
        enterprise: r.get(6)?,
        station: r.get(7)?,
        street: r.get(8)?,
        community: r.get(9)?,
    })
}

/// Workers as the filter says, ordered by street and name. With a street, the workers
/// posted there too (`worker_postings`: on the register of a second street, brought together
/// by `merge`), each with the street, station, enterprise, community and dates of that
/// posting.
pub fn workers(db: &impl Reader, f: WorkerFilter<'_>) -> Result<Vec<WorkerRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(&format!(
        "SELECT * FROM (
           {WORKER_SELECT_KEYED}
           WHERE (?1 IS NULL OR w.street_id = ?1)
             AND (?2 IS NULL OR ((w.joined_on IS NULL OR w.joined_on <= ?2)
                                 AND (w.left_on IS NULL OR w.left_on >= ?2)))
           UNION ALL
           SELECT w.name, w.gender, w.phone, w.id_number, w.political_status, w.occupation,
                  e.name, st.name, s.name, c.name, w.id, p.joined_on, p.left_on, w.note,
                  s.code, s.name, w.name, w.id
           FROM worker_postings p
           JOIN workers w ON w.id = p.worker_id
           JOIN streets s ON s.id = p.street_id
           LEFT JOIN enterprises e ON e.id = p.enterprise_id
           LEFT JOIN stations st ON st.id = p.station_id
           LEFT JOIN communities c ON c.id = p.community_id
           WHERE ?1 IS NOT NULL AND p.street_id = ?1 AND w.street_id <> ?1
             AND (?2 IS NULL OR ((p.joined_on IS NULL OR p.joined_on <= ?2)
                                 AND (p.left_on IS NULL OR p.left_on >= ?2))))
         ORDER BY scode IS NULL, scode, sname, wname, wid"
    ))?;
    let rows = stmt
        .query_map(params![f.street, f.on], worker_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The register entry of worker `id` (full numbers), found by its rowid; `None` when there
/// is no such worker.
///
/// Errors: database errors.
pub fn worker(db: &impl Reader, id: i64) -> Result<Option<WorkerRow>> {
    let conn = db.conn().0;
    Ok(conn
        .query_row(
            &format!("{WORKER_SELECT} WHERE w.id = ?1"),
            [id],
            worker_row,
        )
        .optional()?)
}
