//! Events: check-ins and points entries. An event has no ID in a spreadsheet, so it is
//! identified by its content plus its occurrence number among identical rows of one file:
//! importing an overlapping export (January–July, then January–August) adds only what is
//! new and never doubles a figure.
//!
//! The fast path is one `INSERT … ON CONFLICT DO NOTHING` per row. Only when a row matches
//! stored events does the loader look closer: it claims the first stored occurrence not yet
//! claimed by this file (claims live in a TEMP table, so memory stays flat however large the
//! file), and adds a further occurrence when every stored one is claimed.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::places::{Outcome, Places};
use super::workers::WorkerIndex;
use crate::import::header::Field;
use crate::import::validate::{CellError, CheckinRecord, PointRecord};
use crate::model::{EntryKind, PointCategory, Points, Vocabulary};

/// Claims of stored events by the file being imported.
fn prepare_claims(conn: &Connection, table: &str) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS claimed_{table} (id INTEGER PRIMARY KEY);
         DELETE FROM temp.claimed_{table};"
    ))?;
    Ok(())
}

/// Loads check-ins.
pub struct CheckinLoader<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    /// Streets and communities.
    pub places: Places,
    /// Everyone who can check in.
    pub workers: WorkerIndex,
    insert: Statement<'c>,
    find: Statement<'c>,
    claim: Statement<'c>,
    claimed: Statement<'c>,
}

impl<'c> CheckinLoader<'c> {
    /// Prepares to load into `conn`. `batch` is the import batch, `None` for a check-in typed
    /// at the terminal (then an identical stored check-in is reported as already recorded).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        prepare_claims(conn, "checkins")?;
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            workers: WorkerIndex::load(conn)?,
            insert: conn.prepare(
                "INSERT INTO checkins (worker_id, date, street_id, community_id, purpose, occurrence, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            )?,
            find: conn.prepare(
                "SELECT id, occurrence, batch_id IS ?6 FROM checkins
                 WHERE date = ?1 AND street_id = ?2 AND worker_id = ?3 AND ifnull(community_id, 0) = ?4
                   AND purpose = ?5
                 ORDER BY occurrence",
            )?,
            claim: conn.prepare("INSERT INTO temp.claimed_checkins (id) VALUES (?1)")?,
            claimed: conn.prepare("SELECT 1 FROM temp.claimed_checkins WHERE id = ?1")?,
        })
    }

    /// Loads one check-in.
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown street or community.
    pub fn load(&mut self, rec: &CheckinRecord) -> Result<Outcome, Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&rec.who)
            .map_err(|e| vec![e])?;
        let entry = self
            .workers
            .entry(worker)
            .expect("found workers are indexed");
        let (street, community) = match (&rec.street, &rec.community) {
            (None, None) => (entry.street_id, entry.community_id),
            (None, Some(c)) => {
                let s = entry.street_id;
                (s, Some(self.community(s, c)?))
            }
            (Some(s), c) => {
                let s = self
                    .places
                    .street(s)
                    .map_err(|p| vec![CellError::new(Field::Street, s, p)])?;
                let c = match c {
                    Some(c) => Some(self.community(s, c)?),
                    None => None,
                };
                (s, c)
            }
        };
        let date = rec.date.to_string();
        let db_err = |e: rusqlite::Error| {
            vec![CellError::new(
                Field::Date,
                &date,
                format!("cannot be stored: {e}"),
            )]
        };
        let n = self
            .insert
            .execute(params![
                worker,
                date,
                street,
                community,
                rec.purpose,
                1,
                self.batch
            ])
            .map_err(db_err)?;
        if n == 1 {
            return Ok(Outcome::New);
        }
        if self.batch.is_none() {
            return Ok(Outcome::Unchanged);
        }
        let stored: Vec<(i64, i64, bool)> = self
            .find
            .query_map(
                params![
                    date,
                    street,
                    worker,
                    community.unwrap_or(0),
                    rec.purpose,
                    self.batch
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .and_then(Iterator::collect)
            .map_err(db_err)?;
        let mut last = 0;
        for (id, occurrence, ours) in stored {
            last = occurrence;
            if ours || self.claimed.exists([id]).map_err(db_err)? {
                continue;
            }
            self.claim.execute([id]).map_err(db_err)?;
            return Ok(Outcome::Unchanged);
        }
        self.insert
            .execute(params![
                worker,
                date,
                street,
                community,
                rec.purpose,
                last + 1,
                self.batch
            ])
            .map_err(db_err)?;
        Ok(Outcome::New)
    }

    fn community(&mut self, street: i64, name: &str) -> Result<i64, Vec<CellError>> {
        self.places
            .community(self.conn, street, name)
            .map_err(|p| vec![CellError::new(Field::Community, name, p)])
    }
}

/// What a balance check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Available {
    /// Points that can be spent on the date without any running balance going below zero.
    pub points: Points,
}

/// Points a worker can spend on `date`: the balance on that date, or less if a later entry
/// already relies on it (the running balance, in date order, must never go below zero).
pub fn available_on(conn: &Connection, worker: i64, date: &str) -> rusqlite::Result<Available> {
    let (at, min_after): (Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "WITH e AS (SELECT date, sum(points) AS p FROM point_entries WHERE worker_id = ?1 GROUP BY date),
                  r AS (SELECT date, sum(p) OVER (ORDER BY date) AS run FROM e)
             SELECT (SELECT run FROM r WHERE date <= ?2 ORDER BY date DESC LIMIT 1),
                    (SELECT min(run) FROM r WHERE date >= ?2)",
        )?
        .query_row(params![worker, date], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let at = at.unwrap_or(0);
    Ok(Available {
        points: Points(min_after.map_or(at, |m| m.min(at))),
    })
}

/// Loads points entries into the append-only ledger.
pub struct PointLoader<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    operator: String,
    entered_at: String,
    /// Everyone who can hold points.
    pub workers: WorkerIndex,
    insert: Statement<'c>,
    find: Statement<'c>,
    claim: Statement<'c>,
    claimed: Statement<'c>,
}

impl<'c> PointLoader<'c> {
    /// Prepares to load into `conn`. `batch` is the import batch, `None` for an entry typed at
    /// the terminal (always a new entry).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        prepare_claims(conn, "points")?;
        Ok(Self {
            conn,
            batch,
            operator: super::operator(),
            entered_at: super::now_text(),
            workers: WorkerIndex::load(conn)?,
            insert: conn.prepare(
                "INSERT INTO point_entries (worker_id, date, points, kind, category, reason, occurrence,
                     operator, entered_at, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?,
            find: conn.prepare(
                "SELECT id, occurrence, batch_id IS ?6 FROM point_entries
                 WHERE worker_id = ?1 AND date = ?2 AND category = ?3 AND points = ?4 AND reason = ?5
                 ORDER BY occurrence",
            )?,
            claim: conn.prepare("INSERT INTO temp.claimed_points (id) VALUES (?1)")?,
            claimed: conn.prepare("SELECT 1 FROM temp.claimed_points WHERE id = ?1")?,
        })
    }

    /// Loads one entry. Returns the outcome and the worker's id.
    ///
    /// Errors (row problems): unknown or mismatched worker; a redemption larger than the
    /// points available on its date (`balance 11, asked 15`).
    pub fn load(&mut self, rec: &PointRecord) -> Result<(Outcome, i64), Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&rec.who)
            .map_err(|e| vec![e])?;
        let date = rec.date.to_string();
        let db_err = |e: rusqlite::Error| {
            vec![CellError::new(
                Field::Points,
                &rec.points.to_string(),
                format!("cannot be stored: {e}"),
            )]
        };
        let key = params![
            worker,
            date,
            rec.category.code(),
            rec.points.0,
            rec.reason,
            self.batch
        ];
        let stored: Vec<(i64, i64, bool)> = self
            .find
            .query_map(key, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .map_err(db_err)?;
        let mut occurrence = 1;
        if self.batch.is_some() {
            for (id, occ, ours) in &stored {
                occurrence = occ + 1;
                if *ours || self.claimed.exists([id]).map_err(db_err)? {
                    continue;
                }
                self.claim.execute([id]).map_err(db_err)?;
                return Ok((Outcome::Unchanged, worker));
            }
        } else {
            occurrence = stored.last().map_or(1, |s| s.1 + 1);
        }
        if rec.points.0 < 0 {
            let available = available_on(self.conn, worker, &date).map_err(db_err)?;
            if available.points.0 + rec.points.0 < 0 {
                return Err(vec![CellError::new(
                    Field::Points,
                    &rec.points.0.to_string(),
                    format!(
                        "redemption refused: balance {}, asked {} — a balance may not go below zero",
                        available.points, -rec.points.0
                    ),
                )]);
            }
        }
        let kind = if rec.points.0 > 0 {
            EntryKind::Earn
        } else {
            EntryKind::Redeem
        };
        debug_assert!(rec.points.0 > 0 || rec.category == PointCategory::Redemption);
        self.insert
            .execute(params![
                worker,
                date,
                rec.points.0,
                kind.code(),
                rec.category.code(),
                rec.reason,
                occurrence,
                self.operator,
                self.entered_at,
                self.batch
            ])
            .map_err(db_err)?;
        Ok((Outcome::New, worker))
    }
}

/// The balance of a worker: the sum of the ledger.
pub fn balance(conn: &Connection, worker: i64) -> Result<Points> {
    let b: Option<i64> = conn
        .query_row(
            "SELECT sum(points) FROM point_entries WHERE worker_id = ?1",
            [worker],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(Points(b.unwrap_or(0)))
}
