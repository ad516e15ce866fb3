//! Check-ins (报到): the resolved check-in, its writer (which keeps the monthly rollup
//! `checkin_months` current), the list of `checkin list`, the latest month with any activity,
//! and the check-ins of one worker for `report worker`. Keys, claims and the resolver they
//! share with the other events are in `events.rs`.
//!
//! A check-in's key leads with its day, so a period is one key range: the check-ins of a
//! period are read through `checkins_event`; check-ins have no index on `worker_id` (it would
//! slow every import of a large register by half).

use crate::db::events::ResolveEvent;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Statement, params, params_from_iter};
use rustc_hash::FxHashMap;

use super::Reader;
use super::events::{
    Claims, CommunityRef, EventKey, EventResolver, IsoDate, Settled, Slot, community_id, day_key,
    day_number, key_range,
};
use super::places::Places;
use crate::model::{CellError, CheckinRecord, Outcome, Period, Store, StoreError};

/// A check-in's key: its day number (days since 2000-01-01) in the high bits, and the low 44
/// bits of the XXH3 of worker, street, community, 事项 and occurrence. Check-ins of one day
/// share a key prefix, so an import in date order fills the unique index at its end, and a
/// period is one key range; two check-ins of a day with the same low bits (about one chance
/// in 10^13 per pair) are told apart by their content.
pub(crate) fn checkin_key(
    worker: i64,
    day: i64,
    street: i64,
    community: Option<i64>,
    purpose: &str,
    occurrence: i64,
) -> i64 {
    let hash = EventKey::at_place(worker, street, community)
        .text(purpose)
        .int(occurrence)
        .key();
    day_key(day, hash)
}

/// A check-in with its worker, street and community found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedCheckin {
    /// Worker row id.
    pub worker: i64,
    /// 报到日期.
    pub date: IsoDate,
    /// The date as days since 2000-01-01.
    pub day: i64,
    /// Street row id.
    pub street: i64,
    /// Community.
    pub community: CommunityRef,
    /// 事项.
    pub purpose: String,
    /// The event key of the first occurrence, when the community is known.
    pub first_key: Option<i64>,
}

impl EventResolver {
    /// Resolves a check-in (taking its record). Without 报到街道 and 报到社区 the worker's own
    /// street and community are used.
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown street, a community not
    /// on an official list.
    pub fn checkin(&mut self, rec: CheckinRecord) -> Result<ResolvedCheckin, Vec<CellError>> {
        let worker = match self.workers.by_phone_working_on(&rec.who, rec.date) {
            Some(w) => w,
            None => {
                let w = self
                    .workers
                    .find_event_worker(&rec.who)
                    .map_err(|e| vec![e])?;
                self.workers.working_on(w, rec.date).map_err(|e| vec![e])?;
                w
            }
        };
        let (street, community) = self.place(worker, &rec.street, &rec.community)?;
        let date = IsoDate::new(rec.date);
        let day = day_number(rec.date);
        let first_key = match community {
            CommunityRef::None => Some(checkin_key(worker, day, street, None, &rec.purpose, 1)),
            CommunityRef::Id(c) => Some(checkin_key(worker, day, street, Some(c), &rec.purpose, 1)),
            CommunityRef::New(_) => None,
        };
        Ok(ResolvedCheckin {
            worker,
            date,
            day,
            street,
            community,
            purpose: rec.purpose,
            first_key,
        })
    }
}

impl ResolveEvent<CheckinRecord> for EventResolver {
    type Resolved = ResolvedCheckin;

    fn resolve_event(&mut self, record: CheckinRecord) -> Result<ResolvedCheckin, Vec<CellError>> {
        self.checkin(record)
    }
}

/// A rollup key `(YYYYMM, worker, street)` packed into one integer that sorts as the tuple
/// does: the month as `year * 12 + month - 1` (17 bits), the worker (31 bits), the street
/// (16 bits). `None` when an id is too large for its bits.
fn pack_month_key(year: u32, month: u32, worker: i64, street: i64) -> Option<u64> {
    let m = u64::from(year) * 12 + u64::from(month).checked_sub(1)?;
    let w = u64::try_from(worker).ok().filter(|w| *w < 1 << 31)?;
    let s = u64::try_from(street).ok().filter(|s| *s < 1 << 16)?;
    (m < 1 << 17 && month <= 12).then_some(m << 47 | w << 16 | s)
}

/// The `(YYYYMM, worker, street)` of a key made by [`pack_month_key`].
fn unpack_month_key(k: u64) -> (u32, i64, i64) {
    let m = u32::try_from(k >> 47).unwrap_or(0);
    let yyyymm = (m / 12) * 100 + m % 12 + 1;
    (
        yyyymm,
        i64::try_from((k >> 16) & ((1 << 31) - 1)).unwrap_or(0),
        i64::try_from(k & 0xffff).unwrap_or(0),
    )
}

/// Writes resolved check-ins, and keeps the monthly rollup (`checkin_months`) current: the
/// check-ins it adds are noted in memory (one integer each), counted and written out in key
/// order when 262,144 are held and by [`CheckinWriter::flush`], which must be called before
/// the transaction commits.
pub struct CheckinWriter<'c> {
    batch: Option<i64>,
    conn: &'c Connection,
    places: Places,
    /// The INSERT of a check-in, its batch (`?8`) bound once: [`insert_row`](Self::insert_row)
    /// binds the rest.
    insert: Statement<'c>,
    find: Statement<'c>,
    claims: Claims<'c>,
    /// New check-ins not yet in `checkin_months`, one packed (YYYYMM, worker, street) key
    /// each ([`pack_month_key`]): appending is one sequential write per row, where counting
    /// in a hash map is a cache miss; a flush sorts them and counts the runs.
    keys: Vec<u64>,
    /// New check-ins whose ids do not fit a packed key, by (YYYYMM, worker, street).
    wide: FxHashMap<(u32, i64, i64), i64>,
}

impl<'c> CheckinWriter<'c> {
    /// New check-ins noted in memory before the rollup is written out (2 MiB). Each flush
    /// adds to the rows already written, so a smaller figure costs a few more updates and no
    /// accuracy.
    const ROLLUP_ROWS_HELD: usize = 1 << 18;

    /// Prepares to write into `conn`. `batch` is the import batch, `None` for a check-in
    /// typed at the terminal (then an identical stored check-in is reported as already
    /// recorded).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        let mut insert = conn.prepare(
            "INSERT INTO checkins (worker_id, date, street_id, community_id, purpose, occurrence, event_key, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
        )?;
        insert.raw_bind_parameter(8, batch)?;
        Ok(Self {
            batch,
            conn,
            places: Places::load(conn)?,
            insert,
            find: conn.prepare(
                "SELECT id, date = ?1 AND worker_id = ?3 AND street_id = ?4 AND community_id IS ?5
                            AND purpose = ?6,
                        batch_id IS ?7
                 FROM checkins WHERE event_key = ?2",
            )?,
            claims: Claims::new(conn, "checkins")?,
            keys: Vec::new(),
            wide: FxHashMap::default(),
        })
    }

    /// Stores one check-in: new, or already stored (`Unchanged`).
    ///
    /// Errors: a community not on its street's official list (a row problem); the database
    /// failed.
    pub fn store(&mut self, c: &ResolvedCheckin) -> Result<Outcome, StoreError> {
        let outcome = self.store_row(c)?;
        if outcome == Outcome::New {
            let d = c.date.as_bytes();
            let digits = |r: std::ops::Range<usize>| {
                d[r].iter()
                    .fold(0u32, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
            };
            let (year, month) = (digits(0..4), digits(5..7));
            match pack_month_key(year, month, c.worker, c.street) {
                Some(k) => {
                    if self.keys.capacity() == 0 {
                        self.keys.reserve_exact(Self::ROLLUP_ROWS_HELD);
                    }
                    self.keys.push(k);
                }
                None => {
                    let key = (year * 100 + month, c.worker, c.street);
                    *self.wide.entry(key).or_insert(0) += 1;
                }
            }
            // Memory stays bounded, whatever the file's size.
            if self.keys.len() >= Self::ROLLUP_ROWS_HELD
                || self.wide.len() >= Self::ROLLUP_ROWS_HELD / 8
            {
                self.flush().map_err(StoreError::Db)?;
            }
        }
        Ok(outcome)
    }

    /// Adds the check-ins stored so far to the monthly rollup, in key order.
    ///
    /// Errors: database errors.
    pub fn flush(&mut self) -> Result<()> {
        if self.keys.is_empty() && self.wide.is_empty() {
            return Ok(());
        }
        self.keys.sort_unstable();
        let mut wide: Vec<_> = self.wide.drain().collect();
        wide.sort_unstable();
        let mut upsert = self.conn.prepare_cached(
            "INSERT INTO checkin_months (month, worker_id, street_id, checkins) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (month, worker_id, street_id) DO UPDATE SET checkins = checkins + excluded.checkins",
        )?;
        for run in self.keys.chunk_by(|a, b| a == b) {
            let (month, worker, street) = unpack_month_key(run[0]);
            let n = i64::try_from(run.len()).unwrap_or(i64::MAX);
            upsert.execute(params![month, worker, street, n])?;
        }
        self.keys.clear();
        for ((month, worker, street), n) in wide {
            upsert.execute(params![month, worker, street, n])?;
        }
        Ok(())
    }

    fn store_row(&mut self, c: &ResolvedCheckin) -> Result<Outcome, StoreError> {
        let community = self.community_id(c)?;
        let first = match c.first_key {
            Some(k) => k,
            None => checkin_key(c.worker, c.day, c.street, community, &c.purpose, 1),
        };
        if self.insert_row(c, community, 1, first)? == 1 {
            return Ok(Outcome::New);
        }
        self.store_taken(c, community)
    }

    /// Inserts `c` as its `occurrence` with event key `key` (nothing when the key is taken)
    /// and returns the rows inserted. The batch stays bound from [`new`](Self::new).
    ///
    /// Errors: database errors.
    fn insert_row(
        &mut self,
        c: &ResolvedCheckin,
        community: Option<i64>,
        occurrence: i64,
        key: i64,
    ) -> rusqlite::Result<usize> {
        let ins = &mut self.insert;
        ins.raw_bind_parameter(1, c.worker)?;
        ins.raw_bind_parameter(2, c.date)?;
        ins.raw_bind_parameter(3, c.street)?;
        ins.raw_bind_parameter(4, community)?;
        ins.raw_bind_parameter(5, c.purpose.as_str())?;
        ins.raw_bind_parameter(6, occurrence)?;
        ins.raw_bind_parameter(7, key)?;
        ins.raw_execute()
    }

    fn community_id(&mut self, c: &ResolvedCheckin) -> Result<Option<i64>, StoreError> {
        community_id(&mut self.places, self.conn, c.street, &c.community)
    }

    /// The slow path, when the first occurrence's key is taken.
    fn store_taken(
        &mut self,
        c: &ResolvedCheckin,
        community: Option<i64>,
    ) -> Result<Outcome, StoreError> {
        let (worker, street, date, purpose) =
            (c.worker, c.street, c.date.as_str(), c.purpose.as_str());
        let day = c.day;
        let batch = self.batch;
        let find = &mut self.find;
        let settled = self.claims.settle(
            false,
            |occ| checkin_key(worker, day, street, community, purpose, occ),
            |k| {
                find.query_row(
                    params![date, k, worker, street, community, purpose, batch],
                    |r| {
                        Ok(if r.get::<_, bool>(1)? {
                            Slot::Same {
                                id: r.get(0)?,
                                ours: batch.is_some() && r.get(2)?,
                            }
                        } else {
                            Slot::Other
                        })
                    },
                )
                .optional()
                .map(|s| s.unwrap_or(Slot::Free))
            },
        )?;
        match settled {
            Settled::Stored => Ok(Outcome::Unchanged),
            Settled::Insert { occurrence, key } => {
                self.insert_row(c, community, occurrence, key)?;
                Ok(Outcome::New)
            }
        }
    }
}

impl Store<ResolvedCheckin> for CheckinWriter<'_> {
    fn store(&mut self, item: &ResolvedCheckin, _line: u64) -> Result<Outcome, StoreError> {
        CheckinWriter::store(self, item)
    }

    fn finish(&mut self) -> Result<()> {
        self.flush()
    }
}

/// One check-in as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRow {
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Street checked in to.
    pub street: String,
    /// Community checked in to.
    pub community: Option<String>,
    /// 事项.
    pub purpose: String,
}

/// Check-ins, optionally of one street and within a period, by date.
pub fn checkins(
    db: &impl Reader,
    street: Option<i64>,
    period: Option<&Period>,
) -> Result<Vec<CheckinRow>> {
    let conn = db.conn().0;
    let range = period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(
        "SELECT w.name, w.phone, k.date, s.name, c.name, k.purpose
         FROM checkins k
         JOIN workers w ON w.id = k.worker_id
         JOIN streets s ON s.id = k.street_id
         LEFT JOIN communities c ON c.id = k.community_id
         WHERE (?1 IS NULL OR k.street_id = ?1)
           AND (?2 IS NULL OR (k.event_key >= ?2 AND k.event_key < ?3))
         ORDER BY k.event_key >> 44, k.id",
    )?;
    let rows = stmt
        .query_map(
            params![street, range.map(|r| r.0), range.map(|r| r.1)],
            |r| {
                Ok(CheckinRow {
                    name: r.get(0)?,
                    phone: r.get(1)?,
                    date: r.get(2)?,
                    street: r.get(3)?,
                    community: r.get(4)?,
                    purpose: r.get(5)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The latest month with any check-in or points entry, as `YYYY-MM`.
pub fn latest_month(db: &impl Reader) -> Result<Option<String>> {
    let conn = db.conn().0;
    Ok(conn.query_row(
        "SELECT substr(max(d), 1, 7) FROM (SELECT max(date) AS d FROM checkins
                                           UNION ALL SELECT max(date) FROM point_entries)",
        [],
        |r| r.get(0),
    )?)
}

/// One 报到 check-in of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    /// Row id.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Street checked in to (name).
    pub street: String,
    /// Community checked in to (name), if recorded.
    pub community: Option<String>,
    /// 事项; empty when none was written.
    pub purpose: String,
}

/// The check-ins of worker `id` dated inside `period` (`None`: all), by date then entry.
/// Check-ins have no index on `worker_id` (it would slow every import of a large register by
/// half): a period is read through `checkins_event` (the key leads with the day), the whole
/// history by scanning the table — about 0.1 s per million check-ins.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Checkin>> {
    let conn = db.conn().0;
    let (range, bounds) = key_range("k", period);
    let sql = format!(
        "SELECT k.id, k.date, s.name, c.name, k.purpose
         FROM checkins k
         JOIN streets s ON s.id = k.street_id
         LEFT JOIN communities c ON c.id = k.community_id
         WHERE k.worker_id = ?1 {range}
         ORDER BY k.date, k.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params_from_iter(std::iter::once(id).chain(bounds)), |r| {
            Ok(Checkin {
                id: r.get(0)?,
                date: r.get(1)?,
                street: r.get(2)?,
                community: r.get(3)?,
                purpose: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::db::events::checkin_key_range;

    #[test]
    fn month_keys_pack_and_sort_as_tuples() {
        let k = |y, m, w, s| pack_month_key(y, m, w, s).unwrap();
        assert_eq!(unpack_month_key(k(2025, 7, 12345, 17)), (202507, 12345, 17));
        assert_eq!(unpack_month_key(k(2025, 12, 1, 1)), (202512, 1, 1));
        assert_eq!(
            unpack_month_key(k(9999, 1, (1 << 31) - 1, 65535)),
            (999901, (1 << 31) - 1, 65535)
        );
        assert!(k(2025, 7, 2, 1) > k(2025, 7, 1, 65535));
        assert!(k(2025, 8, 1, 1) > k(2025, 7, (1 << 31) - 1, 65535));
        assert!(k(2026, 1, 1, 1) > k(2025, 12, 9, 9));
        assert_eq!(pack_month_key(2025, 7, 1 << 31, 1), None);
        assert_eq!(pack_month_key(2025, 7, 1, 1 << 16), None);
        assert_eq!(pack_month_key(2025, 7, -1, 1), None);
    }

    #[test]
    fn keys_separate_fields() {
        let day = day_number(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        let a = checkin_key(1, day, 2, None, "ab", 1);
        assert_ne!(a, checkin_key(1, day, 2, None, "ab", 2));
        assert_ne!(a, checkin_key(1, day, 2, Some(3), "ab", 1));
        assert_eq!(a, checkin_key(1, day, 2, None, "ab", 1));
        // The day orders the keys.
        assert!(checkin_key(9, day + 1, 9, None, "zz", 9) > a);
        let (lo, hi) = checkin_key_range(
            NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        );
        assert!(lo <= a && a < hi);
    }
}
