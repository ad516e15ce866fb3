//! Volunteer services (志愿服务): the resolved service, its writer (which grants the points of
//! rule `volunteer_hour`, at the rate in force when the record is entered), the list of
//! `service list`, and the services of one worker for `report worker`. A service is an event,
//! identified by its content and occurrence like a check-in (see `events.rs`), so a
//! re-imported export adds only what is new.

use crate::db::events::ResolveEvent;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Statement, params, params_from_iter};

use super::Reader;
use super::events::{
    Claims, CommunityRef, EventKey, EventResolver, Settled, Slot, community_id, day_key,
    day_number, key_range,
};
use super::ledger::{self, Grant, NET_POINTS};
use super::places::Places;
use crate::model::{CellError, Outcome, Period, RuleCode, ServiceRecord, Store, StoreError};

/// A volunteer service with its worker and place found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedService {
    /// Worker row id.
    pub worker: i64,
    /// The record.
    pub record: ServiceRecord,
    /// Street row id.
    pub street: i64,
    /// Community.
    pub community: CommunityRef,
}

impl EventResolver {
    /// Resolves a volunteer service (the worker's own street when the row gives none).
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown place.
    pub fn service(&mut self, record: ServiceRecord) -> Result<ResolvedService, Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&record.who)
            .map_err(|e| vec![e])?;
        self.workers
            .working_on(worker, record.date)
            .map_err(|e| vec![e])?;
        let (street, community) = self.place(worker, &record.street, &record.community)?;
        Ok(ResolvedService {
            worker,
            record,
            street,
            community,
        })
    }
}

impl ResolveEvent<ServiceRecord> for EventResolver {
    type Resolved = ResolvedService;

    fn resolve_event(&mut self, record: ServiceRecord) -> Result<ResolvedService, Vec<CellError>> {
        self.service(record)
    }
}

/// Writes volunteer services and grants their points (rule `volunteer_hour`, at the rate in
/// force when the record is entered).
pub struct ServiceWriter<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    places: Places,
    claims: Claims<'c>,
    find: Statement<'c>,
}

impl<'c> ServiceWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch (`None` when typed).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            claims: Claims::new(conn, "services")?,
            find: conn.prepare(
                "SELECT id, worker_id = ?2 AND date = ?3 AND activity = ?4 AND minutes = ?5
                            AND street_id = ?6 AND community_id IS ?7,
                        batch_id IS ?8
                 FROM services WHERE event_key = ?1",
            )?,
        })
    }

    /// Stores one service (new, or already stored) and grants its points when new. Returns the
    /// outcome and the service's row id when new.
    ///
    /// Errors: a community not on its street's official list (a row problem); the database
    /// failed.
    pub fn store(&mut self, s: &ResolvedService) -> Result<(Outcome, Option<i64>), StoreError> {
        let r = &s.record;
        let community = community_id(&mut self.places, self.conn, s.street, &s.community)?;
        let date = r.date.to_string();
        let day = day_number(r.date);
        let key = |occ: i64| {
            service_key(
                day,
                s.worker,
                s.street,
                community,
                &r.activity,
                r.minutes,
                occ,
            )
        };
        let (find, batch) = (&mut self.find, self.batch);
        let settled = self.claims.settle(batch.is_none(), key, |k| {
            find.query_row(
                params![
                    k, s.worker, date, r.activity, r.minutes, s.street, community, batch
                ],
                |row| {
                    Ok(if row.get::<_, bool>(1)? {
                        Slot::Same {
                            id: row.get(0)?,
                            ours: batch.is_some() && row.get(2)?,
                        }
                    } else {
                        Slot::Other
                    })
                },
            )
            .optional()
            .map(|x| x.unwrap_or(Slot::Free))
        })?;
        let Settled::Insert { occurrence, key } = settled else {
            return Ok((Outcome::Unchanged, None));
        };
        self.conn
            .prepare_cached(
                "INSERT INTO services (worker_id, date, activity, minutes, street_id, community_id,
                     occurrence, event_key, batch_id, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                s.worker,
                date,
                r.activity,
                r.minutes,
                s.street,
                community,
                occurrence,
                key,
                batch,
                super::now_text()
            ])?;
        let id = self.conn.last_insert_rowid();
        let rate =
            ledger::rule_points(self.conn, RuleCode::VolunteerHour).map_err(StoreError::Db)?;
        ledger::grant(
            self.conn,
            &Grant {
                worker: s.worker,
                date: &date,
                points: ledger::service_points(r.minutes, rate),
                rule: RuleCode::VolunteerHour,
                source_table: "services",
                source_id: id,
                reason: &r.activity,
                batch,
            },
        )
        .map_err(StoreError::Db)?;
        Ok((Outcome::New, Some(id)))
    }
}

impl Store<ResolvedService> for ServiceWriter<'_> {
    fn store(&mut self, item: &ResolvedService, _line: u64) -> Result<Outcome, StoreError> {
        ServiceWriter::store(self, item).map(|(outcome, _)| outcome)
    }
}

/// One volunteer service as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// Row id (what other commands and the ledger's `services:ID` name).
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 活动名称.
    pub activity: String,
    /// Length, in minutes.
    pub minutes: i64,
    /// Points the service granted (volunteer_hour rule), net of a reversal of that grant.
    pub points: i64,
    /// Street where it was served.
    pub street: String,
    /// Community where it was served.
    pub community: Option<String>,
}

/// Volunteer services, optionally of one street and within a period, by date then entry.
pub fn services(
    db: &impl Reader,
    street: Option<i64>,
    period: Option<&Period>,
) -> Result<Vec<ServiceRow>> {
    let conn = db.conn().0;
    let range = period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(&format!(
        "SELECT v.id, w.name, w.phone, v.date, v.activity, v.minutes, {NET_POINTS}, s.name, c.name
         FROM services v
         JOIN workers w ON w.id = v.worker_id
         JOIN streets s ON s.id = v.street_id
         LEFT JOIN communities c ON c.id = v.community_id
         LEFT JOIN point_entries e ON e.source_table = 'services' AND e.source_id = v.id
                                  AND e.kind = 'earn'
         LEFT JOIN point_entries r ON r.reverses = e.id
         WHERE (?1 IS NULL OR v.street_id = ?1)
           AND (?2 IS NULL OR (v.event_key >= ?2 AND v.event_key < ?3))
         ORDER BY v.event_key >> 44, v.id"
    ))?;
    let rows = stmt
        .query_map(
            params![street, range.map(|r| r.0), range.map(|r| r.1)],
            |r| {
                Ok(ServiceRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    phone: r.get(2)?,
                    date: r.get(3)?,
                    activity: r.get(4)?,
                    minutes: r.get(5)?,
                    points: r.get(6)?,
                    street: r.get(7)?,
                    community: r.get(8)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Another service identical to service `id` (same worker, date, activity, minutes, street
/// and community), if one is stored: a service typed twice.
pub fn identical_service(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT o.id FROM services v
             JOIN services o ON o.worker_id = v.worker_id AND o.date = v.date
                  AND o.activity = v.activity AND o.minutes = v.minutes
                  AND o.street_id = v.street_id AND o.community_id IS v.community_id
                  AND o.id <> v.id
             WHERE v.id = ?1
             ORDER BY o.id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// One volunteer service (志愿服务) of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Row id (what the ledger's `services:ID` names).
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 活动名称.
    pub activity: String,
    /// Length, in minutes (> 0).
    pub minutes: i64,
    /// Street where it was served (name).
    pub street: String,
    /// Community where it was served (name), if recorded.
    pub community: Option<String>,
}

/// The volunteer services of worker `id` dated inside `period` (`None`: all), by date then
/// entry, through the index on `services.worker_id`.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Service>> {
    let conn = db.conn().0;
    let (range, bounds) = key_range("v", period);
    let sql = format!(
        "SELECT v.id, v.date, v.activity, v.minutes, s.name, c.name
         FROM services v
         JOIN streets s ON s.id = v.street_id
         LEFT JOIN communities c ON c.id = v.community_id
         WHERE v.worker_id = ?1 {range}
         ORDER BY v.date, v.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params_from_iter(std::iter::once(id).chain(bounds)), |r| {
            Ok(Service {
                id: r.get(0)?,
                date: r.get(1)?,
                activity: r.get(2)?,
                minutes: r.get(3)?,
                street: r.get(4)?,
                community: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The event key of a volunteer service: the day (days since 2000-01-01) in its high bits, and
/// the XXH3 hash of worker, street, community (row ids), activity, minutes and occurrence.
pub(crate) fn service_key(
    day: i64,
    worker: i64,
    street: i64,
    community: Option<i64>,
    activity: &str,
    minutes: i64,
    occurrence: i64,
) -> i64 {
    day_key(
        day,
        EventKey::at_place(worker, street, community)
            .text(activity)
            .int(minutes)
            .int(occurrence)
            .key(),
    )
}
