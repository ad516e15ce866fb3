//! 微心愿: storing a wish (from a register or typed), fulfilling it, the list of `wish list`
//! with the look-ups its commands need, and the wishes of one worker for `report worker`. A
//! wish is identified by its worker, text and date (`UNIQUE (worker_id, wish, date)`).

use crate::db::events::ResolveEvent;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;

use super::Reader;
use super::events::{EventResolver, ForWorker, PlainWriter, days};
use crate::model::{CellError, Field, Outcome, Period, Store, StoreError, WishRecord};

impl ResolveEvent<WishRecord> for EventResolver {
    type Resolved = ForWorker<WishRecord>;

    fn resolve_event(
        &mut self,
        record: WishRecord,
    ) -> Result<ForWorker<WishRecord>, Vec<CellError>> {
        let worker = self.worker_of(&record.who)?;
        Ok(ForWorker { worker, record })
    }
}

/// Stores a wish: new; updated when the register now says it was fulfilled; else unchanged.
///
/// Errors: a fulfilment other than the one recorded (a row problem); the database failed.
pub fn store_wish(
    conn: &Connection,
    worker: i64,
    w: &WishRecord,
    batch: Option<i64>,
) -> Result<Outcome, StoreError> {
    let date = w.date.to_string();
    let existing: Option<(i64, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT id, fulfilled_on, fulfilled_by FROM wishes WHERE worker_id = ?1 AND wish = ?2 AND date = ?3",
            params![worker, w.wish, date],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let fulfilled_on = w.fulfilled_on.map(|d| d.to_string());
    match existing {
        None => {
            conn.execute(
                "INSERT INTO wishes (worker_id, wish, date, fulfilled_on, fulfilled_by, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![worker, w.wish, date, fulfilled_on, w.fulfilled_by, batch],
            )?;
            Ok(Outcome::New)
        }
        Some((id, on, by)) => {
            // A fulfilment is recorded once; a register saying otherwise is refused.
            if let (Some(stored), Some(given)) = (&on, &fulfilled_on)
                && (stored != given || (w.fulfilled_by.is_some() && w.fulfilled_by != by))
            {
                return Err(StoreError::row(
                    Field::FulfilledOn,
                    given,
                    t!(
                        "records.wish.fulfilled_differently",
                        stored = stored,
                        by = by.as_deref().unwrap_or("-")
                    )
                    .into_owned(),
                ));
            }
            let on2 = fulfilled_on.or(on.clone());
            let by2 = w.fulfilled_by.clone().or(by.clone());
            if on2 == on && by2 == by {
                return Ok(Outcome::Unchanged);
            }
            conn.execute(
                "UPDATE wishes SET fulfilled_on = ?1, fulfilled_by = ?2 WHERE id = ?3",
                params![on2, by2, id],
            )?;
            Ok(Outcome::Updated)
        }
    }
}

/// Marks wish `id` fulfilled on `date` by `by`.
///
/// Errors: no such wish; fulfilled already; a date before the wish.
pub fn fulfil_wish(conn: &Connection, id: i64, date: NaiveDate, by: &str) -> Result<()> {
    let found: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT date, fulfilled_on FROM wishes WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => bail!("{}", t!("records.wish.unknown", id = id)),
        Some((_, Some(on))) => bail!("{}", t!("records.wish.fulfilled_already", id = id, on = on)),
        Some((d, None)) if date.to_string() < d => {
            bail!(
                "{}",
                t!(
                    "records.wish.fulfilled_before_wish",
                    date = date,
                    wish_date = d
                )
            )
        }

        Some(_) => {
            conn.execute(
                "UPDATE wishes SET fulfilled_on = ?1, fulfilled_by = ?2 WHERE id = ?3",
                params![date.to_string(), by, id],
            )?;
            Ok(())
        }
    }
}

impl Store<ForWorker<WishRecord>> for PlainWriter<'_> {
    fn store(&mut self, item: &ForWorker<WishRecord>, _line: u64) -> Result<Outcome, StoreError> {
        store_wish(self.conn, item.worker, &item.record, self.batch)
    }
}

/// One 微心愿 as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishRow {
    /// Row id (what `wish fulfil` takes).
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// 心愿内容.
    pub wish: String,
    /// 登记日期, `YYYY-MM-DD`.
    pub date: String,
    /// 实现日期; `None` while open.
    pub fulfilled_on: Option<String>,
    /// 认领人: the person or unit who fulfilled it.
    pub fulfilled_by: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Wishes, optionally only the open ones (not fulfilled) and of workers of one street, by
/// date then entry.
pub fn wishes(db: &impl Reader, open_only: bool, street: Option<i64>) -> Result<Vec<WishRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT h.id, w.name, w.phone, h.wish, h.date, h.fulfilled_on, h.fulfilled_by, s.name
         FROM wishes h
         JOIN workers w ON w.id = h.worker_id
         JOIN streets s ON s.id = w.street_id
         WHERE (?1 = 0 OR h.fulfilled_on IS NULL)
           AND (?2 IS NULL OR w.street_id = ?2)
         ORDER BY h.date, h.id",
    )?;
    let rows = stmt
        .query_map(params![open_only, street], |r| {
            Ok(WishRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                wish: r.get(3)?,
                date: r.get(4)?,
                fulfilled_on: r.get(5)?,
                fulfilled_by: r.get(6)?,
                street: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The id of the wish `worker` made with this text on `date`, if stored.
pub fn wish_id(conn: &Connection, worker: i64, wish: &str, date: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM wishes WHERE worker_id = ?1 AND wish = ?2 AND date = ?3",
            params![worker, wish, date],
            |r| r.get(0),
        )
        .optional()?)
}

/// The worker's 姓名 and the text of wish `id`, or `None` when there is none.
pub fn wish_brief(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT w.name, h.wish FROM wishes h JOIN workers w ON w.id = h.worker_id
             WHERE h.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// One 微心愿 of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    /// Row id (what `wish fulfil` takes).
    pub id: i64,
    /// 登记日期, `YYYY-MM-DD`.
    pub date: String,
    /// 心愿内容.
    pub wish: String,
    /// 实现日期, `YYYY-MM-DD`; `None` while open.
    pub fulfilled_on: Option<String>,
    /// 认领人: the person or unit who fulfilled it.
    pub fulfilled_by: Option<String>,
}

/// [`history`]: through `UNIQUE (worker_id, wish, date)`.
pub(super) const WISHES_SQL: &str = "SELECT h.id, h.date, h.wish, h.fulfilled_on, h.fulfilled_by
     FROM wishes h
     WHERE h.worker_id = ?1
     AND (h.date BETWEEN ?2 AND ?3 OR h.fulfilled_on BETWEEN ?2 AND ?3)
     ORDER BY h.date, h.id";

/// The wishes of worker `id` registered or fulfilled inside `period` (`None`: all), by date
/// of registration then entry.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Wish>> {
    let conn = db.conn().0;
    let (from, to) = days(period);
    let rows = conn
        .prepare(WISHES_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(Wish {
                id: r.get(0)?,
                date: r.get(1)?,
                wish: r.get(2)?,
                fulfilled_on: r.get(3)?,
                fulfilled_by: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
