//! The programme's records beyond check-ins: volunteer service (points granted by rule when the
//! record is entered), 随手拍 reports (points granted on approval, once), 微心愿, awards and
//! instructors with the stations they are assigned to. Services and reports are events,
//! identified by their content and occurrence like check-ins, so a re-imported export adds only
//! what is new; a report re-imported with a later status moves forward (and is granted then).

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::events::{
    Claims, CommunityRef, EventKey, EventResolver, Settled, Slot, community_id, day_key, day_number,
};
use super::ledger::{self, Grant};
use super::places::Places;
use super::{LookupError, row_or_db};
use crate::model::{
    AwardRecord, CellError, Field, InstructorRecord, Outcome, Resolve, RuleCode, ServiceRecord,
    Store, StoreError, TipCategory, TipRecord, TipStatus, Vocabulary, WishRecord, WorkerRef,
};

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

/// A 随手拍 report with its worker and place found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTip {
    /// Worker row id.
    pub worker: i64,
    /// The record.
    pub record: TipRecord,
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

    /// Resolves a 随手拍 report (the worker's own street when the row gives none).
    ///
    /// Errors (row problems): unknown or mismatched worker, unknown place.
    pub fn tip(&mut self, record: TipRecord) -> Result<ResolvedTip, Vec<CellError>> {
        let worker = self
            .workers
            .find_event_worker(&record.who)
            .map_err(|e| vec![e])?;
        self.workers
            .working_on(worker, record.date)
            .map_err(|e| vec![e])?;
        let (street, community) = self.place(worker, &record.street, &record.community)?;
        Ok(ResolvedTip {
            worker,
            record,
            street,
            community,
        })
    }

    /// Finds the worker a wish or award row names.
    ///
    /// Errors: unknown or mismatched worker.
    pub fn worker_of(&self, who: &WorkerRef) -> Result<i64, Vec<CellError>> {
        self.workers.find_event_worker(who).map_err(|e| vec![e])
    }
}

/// A record with the worker it names found: a wish or an award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForWorker<R> {
    /// Worker row id.
    pub worker: i64,
    /// The record.
    pub record: R,
}

impl Resolve<ServiceRecord> for EventResolver {
    type Resolved = ResolvedService;

    fn resolve(&mut self, record: ServiceRecord) -> Result<ResolvedService, Vec<CellError>> {
        self.service(record)
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.places.street_cached(street).err()
    }
}

impl Resolve<TipRecord> for EventResolver {
    type Resolved = ResolvedTip;

    fn resolve(&mut self, record: TipRecord) -> Result<ResolvedTip, Vec<CellError>> {
        self.tip(record)
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.places.street_cached(street).err()
    }
}

impl Resolve<WishRecord> for EventResolver {
    type Resolved = ForWorker<WishRecord>;

    fn resolve(&mut self, record: WishRecord) -> Result<ForWorker<WishRecord>, Vec<CellError>> {
        let worker = self.worker_of(&record.who)?;
        Ok(ForWorker { worker, record })
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.places.street_cached(street).err()
    }
}

impl Resolve<AwardRecord> for EventResolver {
    type Resolved = ForWorker<AwardRecord>;

    fn resolve(&mut self, record: AwardRecord) -> Result<ForWorker<AwardRecord>, Vec<CellError>> {
        let worker = self.worker_of(&record.who)?;
        Ok(ForWorker { worker, record })
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.places.street_cached(street).err()
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
            day_key(
                day,
                EventKey::new()
                    .int(s.worker)
                    .int(s.street)
                    .int(community.unwrap_or(0))
                    .text(&r.activity)
                    .int(r.minutes)
                    .int(occ)
                    .key(),
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

/// The rule a 随手拍 report is granted by: 意见建议 are adopted suggestions, the rest reports.
pub fn tip_rule(category: TipCategory) -> RuleCode {
    if category == TipCategory::Suggestion {
        RuleCode::SuggestionAdopted
    } else {
        RuleCode::TipApproved
    }
}

fn status_rank(s: TipStatus) -> u8 {
    match s {
        TipStatus::Pending => 0,
        TipStatus::Approved => 1,
        TipStatus::Resolved => 2,
    }
}

/// What approving a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval {
    /// The ledger entry granted now, `None` when the report had been granted already.
    pub entry: Option<i64>,
    /// Points granted now.
    pub points: i64,
    /// The worker.
    pub worker: i64,
}

/// Approves report `id` on `date` by `by`: the status becomes approved (unless already
/// further) and the points of its rule are granted, once — approving again grants nothing.
///
/// Errors: no such report; a date before the report's.
pub fn approve_tip(
    conn: &Connection,
    id: i64,
    date: &str,
    by: &str,
    batch: Option<i64>,
) -> Result<Approval> {
    let found: Option<(i64, String, String, String, String)> = conn
        .query_row(
            "SELECT worker_id, date, category, content, status FROM tips WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((worker, tip_date, category, content, status)) = found else {
        bail!("there is no 随手拍 report {id} — see `nuanfeng tip list`");
    };
    if date < tip_date.as_str() {
        bail!("approval on {date} is before the report itself ({tip_date})");
    }
    if status == "pending" {
        conn.execute(
            "UPDATE tips SET status = 'approved', approved_on = ?1, approved_by = ?2 WHERE id = ?3",
            params![date, by, id],
        )?;
    }
    let category = TipCategory::from_code(&category).unwrap_or(TipCategory::Other);
    let rule = tip_rule(category);
    let points = ledger::rule_points(conn, rule)?;
    let entry = ledger::grant(
        conn,
        &Grant {
            worker,
            date,
            points,
            rule,
            source_table: "tips",
            source_id: id,
            reason: &content,
            batch,
        },
    )?;
    Ok(Approval {
        entry,
        points: if entry.is_some() { points } else { 0 },
        worker,
    })
}

/// Marks report `id` resolved on `date` by `by`.
///
/// Errors: no such report; not approved yet; already resolved; a date before the approval.
pub fn resolve_tip(conn: &Connection, id: i64, date: &str, by: &str) -> Result<()> {
    let found: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT status, approved_on FROM tips WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        None => bail!("there is no 随手拍 report {id} — see `nuanfeng tip list`"),
        Some((s, _)) if s == "pending" => {
            bail!("report {id} is not approved yet — approve it first: nuanfeng tip approve {id}")
        }
        Some((s, _)) if s == "resolved" => bail!("report {id} is resolved already"),
        Some((_, Some(approved))) if date < approved.as_str() => {
            bail!("resolving on {date} is before the approval ({approved})")
        }
        Some(_) => {
            conn.execute(
                "UPDATE tips SET status = 'resolved', resolved_on = ?1, resolved_by = ?2 WHERE id = ?3",
                params![date, by, id],
            )?;
            Ok(())
        }
    }
}

/// Writes 随手拍 reports. A report whose register says approved or resolved is approved (and
/// granted) as it lands; a stored report re-imported with a later status moves forward.
pub struct TipWriter<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    places: Places,
    claims: Claims<'c>,
    find: Statement<'c>,
}

impl<'c> TipWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch (`None` when typed).
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            claims: Claims::new(conn, "tips")?,
            find: conn.prepare(
                "SELECT id, worker_id = ?2 AND date = ?3 AND category = ?4 AND content = ?5
                            AND street_id = ?6 AND community_id IS ?7,
                        batch_id IS ?8
                 FROM tips WHERE event_key = ?1",
            )?,
        })
    }

    /// Stores one report. Returns the outcome and the report's row id.
    ///
    /// Errors: a community not on its street's official list, or a resolution dated before
    /// the report's approval (row problems); the database failed.
    pub fn store(&mut self, t: &ResolvedTip) -> Result<(Outcome, i64), StoreError> {
        let r = &t.record;
        let community = community_id(&mut self.places, self.conn, t.street, &t.community)?;
        let date = r.date.to_string();
        let (outcome, id, current) = self.settle(t, community, &date)?;
        // Move forward to the status the register gives: approval (with its points) on the
        // report's date, resolution on 办结日期 (or the report's date).
        let mut outcome = outcome;
        if status_rank(r.status) > status_rank(current) {
            let by = super::operator();
            if current == TipStatus::Pending {
                approve_tip(self.conn, id, &date, &by, self.batch)
                    .map_err(|e| row_or_db(e, Field::Status, ""))?;
            }
            if r.status == TipStatus::Resolved {
                let on = r.resolved_on.map_or(date.clone(), |d| d.to_string());
                resolve_tip(self.conn, id, &on, &by)
                    .map_err(|e| row_or_db(e, Field::ResolvedOn, ""))?;
            }
            if outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
        Ok((outcome, id))
    }

    /// Finds the stored copy of a report this file has not claimed yet, or inserts it
    /// (pending). Returns the outcome, the row id and the stored status.
    fn settle(
        &mut self,
        t: &ResolvedTip,
        community: Option<i64>,
        date: &str,
    ) -> Result<(Outcome, i64, TipStatus), StoreError> {
        let r = &t.record;
        let day = day_number(r.date);
        let key = |occ: i64| {
            day_key(
                day,
                EventKey::new()
                    .int(t.worker)
                    .int(t.street)
                    .int(community.unwrap_or(0))
                    .text(r.category.code())
                    .text(&r.content)
                    .int(occ)
                    .key(),
            )
        };
        let (find, batch) = (&mut self.find, self.batch);
        let mut matched = None;
        let settled = self.claims.settle(batch.is_none(), key, |k| {
            let slot = find
                .query_row(
                    params![
                        k,
                        t.worker,
                        date,
                        r.category.code(),
                        r.content,
                        t.street,
                        community,
                        batch
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
                .map(|x| x.unwrap_or(Slot::Free))?;
            if let Slot::Same { id, .. } = slot {
                matched = Some(id);
            }
            Ok(slot)
        })?;
        Ok(match settled {
            Settled::Stored => {
                let id = matched.expect("a stored report was matched");
                let status: String =
                    self.conn
                        .query_row("SELECT status FROM tips WHERE id = ?1", [id], |row| {
                            row.get(0)
                        })?;
                let current = TipStatus::from_code(&status).unwrap_or(TipStatus::Pending);
                (Outcome::Unchanged, id, current)
            }
            Settled::Insert { occurrence, key } => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO tips (worker_id, date, category, content, street_id, community_id,
                             status, occurrence, event_key, batch_id, entered_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10)",
                    )?
                    .execute(params![
                        t.worker,
                        date,
                        r.category.code(),
                        r.content,
                        t.street,
                        community,
                        occurrence,
                        key,
                        batch,
                        super::now_text()
                    ])?;
                (
                    Outcome::New,
                    self.conn.last_insert_rowid(),
                    TipStatus::Pending,
                )
            }
        })
    }
}

impl Store<ResolvedTip> for TipWriter<'_> {
    fn store(&mut self, item: &ResolvedTip, _line: u64) -> Result<Outcome, StoreError> {
        TipWriter::store(self, item).map(|(outcome, _)| outcome)
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
                    format!(
                        "the wish was fulfilled on {stored} by {} already — correct the row",
                        by.as_deref().unwrap_or("-")
                    ),
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
        None => bail!("there is no wish {id} — see `nuanfeng wish list`"),
        Some((_, Some(on))) => bail!("wish {id} was fulfilled already on {on}"),
        Some((d, None)) if date.to_string() < d => {
            bail!("fulfilled on {date}, before the wish itself ({d})")
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

/// Stores the wishes or awards of an import batch.
pub struct PlainWriter<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
}

impl<'c> PlainWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch.
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Self {
        Self { conn, batch }
    }
}

impl Store<ForWorker<WishRecord>> for PlainWriter<'_> {
    fn store(&mut self, item: &ForWorker<WishRecord>, _line: u64) -> Result<Outcome, StoreError> {
        store_wish(self.conn, item.worker, &item.record, self.batch)
    }
}

impl Store<ForWorker<AwardRecord>> for PlainWriter<'_> {
    fn store(&mut self, item: &ForWorker<AwardRecord>, _line: u64) -> Result<Outcome, StoreError> {
        store_award(self.conn, item.worker, &item.record, self.batch)
    }
}

/// Loads instructors (identified by 手机号) and their station assignments.
pub struct InstructorLoader<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    places: Places,
    /// The first day of an assignment when a record gives no 选派日期 (`YYYY-MM-DD`).
    today: String,
    /// The line of the register being loaded, for notes.
    pub line: u64,
    /// Stations moved from another instructor, by line: worth a word to the user.
    pub notes: Vec<(u64, String)>,
}

impl<'c> InstructorLoader<'c> {
    /// Prepares to load into `conn`; `today` is the first day of an assignment when a record
    /// gives no 选派日期.
    pub fn new(conn: &'c Connection, batch: Option<i64>, today: NaiveDate) -> Result<Self> {
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            today: today.to_string(),
            line: 0,
            notes: Vec::new(),
        })
    }

    /// Adds or updates an instructor and assigns the stations named (a station assigned to
    /// another instructor moves). Returns the outcome and the instructor's id.
    ///
    /// Errors: unknown street; a station not in the register; a move dated before the
    /// current assignment (row problems); the database failed.
    pub fn load(&mut self, r: &InstructorRecord) -> Result<(Outcome, i64), StoreError> {
        let street = match &r.street {
            Some(s) => Some(
                self.places
                    .street_cached(s)
                    .map_err(|p| StoreError::row(Field::Street, s, p))?,
            ),
            None => None,
        };
        let mut errors = Vec::new();
        let mut stations = Vec::new();
        for name in &r.stations {
            match lookup_station(self.conn, name, street) {
                Ok(id) => stations.push(id),
                Err(LookupError::Problem(p)) => {
                    errors.push(CellError::new(Field::Stations, name, p));
                }
                Err(LookupError::Db(e)) => return Err(e.into()),
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let (mut outcome, id) = self.upsert(r, street)?;
        for station in stations {
            if self.assign_station(r, id, station)? && outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
        Ok((outcome, id))
    }

    /// Adds the instructor, or updates the name, street and unit of the one with this 手机号
    /// (a blank cell keeps what is stored).
    fn upsert(
        &self,
        r: &InstructorRecord,
        street: Option<i64>,
    ) -> rusqlite::Result<(Outcome, i64)> {
        let existing: Option<(i64, String, Option<i64>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT id, name, street_id, unit FROM instructors WHERE phone = ?1",
                [r.phone.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .optional()?;
        Ok(match existing {
            None => {
                self.conn.execute(
                    "INSERT INTO instructors (name, phone, street_id, unit, batch_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![r.name, r.phone.as_str(), street, r.unit, self.batch],
                )?;
                (Outcome::New, self.conn.last_insert_rowid())
            }
            Some((id, name, old_street, unit)) => {
                let new_street = street.or(old_street);
                let new_unit = r.unit.clone().or(unit.clone());
                if name == r.name && new_street == old_street && new_unit == unit {
                    (Outcome::Unchanged, id)
                } else {
                    self.conn.execute(
                        "UPDATE instructors SET name = ?1, street_id = ?2, unit = ?3 WHERE id = ?4",
                        params![r.name, new_street, new_unit, id],
                    )?;
                    (Outcome::Updated, id)
                }
            }
        })
    }

    /// Assigns `station` to instructor `id` from the record's 选派日期 (else today), noting a
    /// station that moves from another instructor. Returns whether anything changed.
    fn assign_station(
        &mut self,
        r: &InstructorRecord,
        id: i64,
        station: i64,
    ) -> Result<bool, StoreError> {
        let before: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT i.id, i.name, st.name FROM instructor_stations a
                 JOIN instructors i ON i.id = a.instructor_id
                 JOIN stations st ON st.id = a.station_id
                 WHERE a.station_id = ?1 AND a.until_on IS NULL",
                [station],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((other, from, station_name)) = before
            && other != id
        {
            self.notes.push((
                self.line,
                format!("{station_name}: moved from {from} to {}", r.name),
            ));
        }
        let on = r.assigned_on.map(|d| d.to_string());
        let on = on.as_deref().unwrap_or(&self.today);
        assign(self.conn, id, station, on).map_err(|e| row_or_db(e, Field::Stations, ""))
    }
}

impl Store<InstructorRecord> for InstructorLoader<'_> {
    fn store(&mut self, item: &InstructorRecord, line: u64) -> Result<Outcome, StoreError> {
        self.line = line;
        self.load(item).map(|(outcome, _)| outcome)
    }

    fn notes(&self) -> &[(u64, String)] {
        &self.notes
    }
}

/// A station by name: in `street` first, else the only one of that name.
///
/// Errors: none or several, as a sentence. A failure of the database is given as its
/// message: [`lookup_station`] tells the two apart.
pub fn find_station(conn: &Connection, name: &str, street: Option<i64>) -> Result<i64, String> {
    lookup_station(conn, name, street).map_err(|e| e.to_string())
}

/// A station by name: in `street` first, else the only one of that name.
///
/// Errors: [`LookupError::Problem`] when none or several have the name (a sentence with the
/// nearest name, or the streets to choose from); [`LookupError::Db`] when the database
/// failed.
pub fn lookup_station(
    conn: &Connection,
    name: &str,
    street: Option<i64>,
) -> Result<i64, LookupError> {
    let ids: Vec<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT st.id, st.street_id, s.name FROM stations st JOIN streets s ON s.id = st.street_id
             WHERE st.name = ?1 ORDER BY s.code, s.name",
        )?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some((id, _, _)) = ids.iter().find(|(_, s, _)| Some(*s) == street) {
        return Ok(*id);
    }
    let streets = || {
        ids.iter()
            .map(|(_, _, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    match ids.as_slice() {
        [(id, _, _)] => Ok(*id),
        [] => {
            let names: Vec<String> = conn
                .prepare_cached("SELECT name FROM stations")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let hint = super::places::nearest(name, names.iter().map(String::as_str))
                .map(|n| format!(" — did you mean {n}?"))
                .unwrap_or_default();
            Err(LookupError::Problem(format!(
                "not in the stations register{hint}"
            )))
        }
        _ => Err(LookupError::Problem(format!(
            "several stations have this name, in {} — say which street (--street, or the 街道 column)",
            streets()
        ))),
    }
}

/// Assigns a station to an instructor from day `on` (`YYYY-MM-DD`), moving it from another
/// one: the other's assignment ends the day before. Returns whether anything changed.
///
/// Errors: a move dated before the current assignment began.
pub fn assign(conn: &Connection, instructor: i64, station: i64, on: &str) -> Result<bool> {
    let current: Option<(i64, i64, String)> = conn
        .query_row(
            "SELECT id, instructor_id, assigned_on FROM instructor_stations
             WHERE station_id = ?1 AND until_on IS NULL",
            [station],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match current {
        // Assigned already, from a later day: the first day is corrected, unless an earlier
        // assignment of the station overlaps.
        Some((id, who, since)) if who == instructor && on < since.as_str() => {
            let overlap: Option<String> = conn
                .query_row(
                    "SELECT until_on FROM instructor_stations
                     WHERE station_id = ?1 AND until_on >= ?2 ORDER BY until_on DESC LIMIT 1",
                    params![station, on],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(until) = overlap {
                bail!("had another instructor until {until}; date it after that");
            }
            conn.execute(
                "UPDATE instructor_stations SET assigned_on = ?1 WHERE id = ?2",
                params![on, id],
            )?;
            return Ok(true);
        }
        Some((_, who, _)) if who == instructor => return Ok(false),
        Some((_, _, since)) if on < since.as_str() => bail!(
            "assigned to another instructor since {since}; a move dated {on} would come before \
             that — date it {since} or later"
        ),
        // Moved on the day the current assignment began: no day of it remains.
        Some((id, _, since)) if on == since.as_str() => {
            conn.execute("DELETE FROM instructor_stations WHERE id = ?1", [id])?;
        }
        Some((id, _, _)) => {
            let day_before = NaiveDate::parse_from_str(on, "%Y-%m-%d")?
                .pred_opt()
                .expect("a day before")
                .to_string();
            conn.execute(
                "UPDATE instructor_stations SET until_on = ?1 WHERE id = ?2",
                params![day_before, id],
            )?;
        }
        None => {}
    }
    conn.execute(
        "INSERT INTO instructor_stations (instructor_id, station_id, assigned_on) VALUES (?1, ?2, ?3)",
        params![instructor, station, on],
    )?;
    Ok(true)
}

/// Ends a station's current assignment on `last_day` (the last day it had its instructor).
/// Returns whether it had one.
///
/// Errors: a last day before the assignment began.
pub fn unassign(conn: &Connection, station: i64, last_day: &str) -> Result<bool> {
    let current: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, assigned_on FROM instructor_stations
             WHERE station_id = ?1 AND until_on IS NULL",
            [station],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, since)) = current else {
        return Ok(false);
    };
    if last_day < since.as_str() {
        bail!("assigned since {since}; the last day cannot be {last_day}, before it");
    }
    conn.execute(
        "UPDATE instructor_stations SET until_on = ?1 WHERE id = ?2",
        params![last_day, id],
    )?;
    Ok(true)
}

/// Finds an instructor by 手机号 or exact name. Returns the id and name.
///
/// Errors: nobody, or several of that name (use the phone).
pub fn find_instructor(conn: &Connection, who: &str) -> Result<(i64, String)> {
    let phone = crate::model::normalize::phone(who);
    let found: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM instructors WHERE phone = ?1 OR name = ?2")?
        .query_map(params![phone, crate::model::normalize::name(who)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => bail!(
            "no instructor is {} — see `nuanfeng instructor list`",
            crate::model::mask_numbers(who)
        ),
        _ => bail!("several instructors are called {who} — name one by 手机号"),
    }
}
