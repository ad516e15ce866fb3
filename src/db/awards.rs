//! Awards (评选): storing an award (from a register or typed), the list of `award list`, and
//! the awards of one worker for `report worker`. An award is its worker, title and year
//! (`UNIQUE (worker_id, title, year)`).

use crate::db::events::ResolveEvent;
use anyhow::Result;
use rusqlite::{Connection, params};

use super::Reader;
use super::events::{EventResolver, ForWorker, PlainWriter, days};
use crate::model::{AwardRecord, CellError, Outcome, Period, Store, StoreError};

impl ResolveEvent<AwardRecord> for EventResolver {
    type Resolved = ForWorker<AwardRecord>;

    fn resolve_event(
        &mut self,
        record: AwardRecord,
    ) -> Result<ForWorker<AwardRecord>, Vec<CellError>> {
        let worker = self.worker_of(&record.who)?;
        Ok(ForWorker { worker, record })
    }
}

/// Stores an award: new, or unchanged when the worker already holds that title that year.
///
/// Errors: the database failed.
pub fn store_award(
    conn: &Connection,
    worker: i64,
    a: &AwardRecord,
    batch: Option<i64>,
) -> Result<Outcome, StoreError> {
    let n = conn.execute(
        "INSERT INTO awards (worker_id, title, year, batch_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (worker_id, title, year) DO NOTHING",
        params![worker, a.title, a.year, batch],
    )?;
    Ok(if n == 1 {
        Outcome::New
    } else {
        Outcome::Unchanged
    })
}

impl Store<ForWorker<AwardRecord>> for PlainWriter<'_> {
    fn store(&mut self, item: &ForWorker<AwardRecord>, _line: u64) -> Result<Outcome, StoreError> {
        store_award(self.conn, item.worker, &item.record, self.batch)
    }
}

/// One award as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRow {
    /// Row id.
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// 荣誉称号.
    pub title: String,
    /// 年度.
    pub year: i64,
    /// The worker's enterprise.
    pub enterprise: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Awards, optionally of one year, by year, then in the order they were entered.
pub fn awards(db: &impl Reader, year: Option<i64>) -> Result<Vec<AwardRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT a.id, w.name, w.phone, a.title, a.year, e.name, s.name
         FROM awards a
         JOIN workers w ON w.id = a.worker_id
         JOIN streets s ON s.id = w.street_id
         LEFT JOIN enterprises e ON e.id = w.enterprise_id
         WHERE (?1 IS NULL OR a.year = ?1)
         ORDER BY a.year, a.id",
    )?;
    let rows = stmt
        .query_map([year], |r| {
            Ok(AwardRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                title: r.get(3)?,
                year: r.get(4)?,
                enterprise: r.get(5)?,
                street: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One award (评选) of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// Row id.
    pub id: i64,
    /// 荣誉称号.
    pub title: String,
    /// 年度 (a year, 2000–2100).
    pub year: i64,
}

/// [`history`]: through `UNIQUE (worker_id, title, year)`.
pub(super) const AWARDS_SQL: &str = "SELECT a.id, a.title, a.year
     FROM awards a
     WHERE a.worker_id = ?1 AND printf('%04d-12-31', a.year) BETWEEN ?2 AND ?3
     ORDER BY a.year, a.id";

/// The awards of worker `id` whose year ends inside `period` (an award has a year only and
/// counts on 31 December of it; `None`: all), by year then entry.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Award>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(AWARDS_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(Award {
                id: r.get(0)?,
                title: r.get(1)?,
                year: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
