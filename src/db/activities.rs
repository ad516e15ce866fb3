//! 关爱活动 (care activities held for the workers): the resolver that finds what an activity
//! row names (its street, community, 暖蜂驿站, organizer and the workers taking part), the
//! writer that stores an activity with its participants and gifts, the list and the detail of
//! `activity list|show`, and the activities of one worker for `report worker`. It never
//! counts the report figures (that is `figures.rs`) and reads no file.
//!
//! An activity is identified by its day, street and title (`UNIQUE (date, street_id,
//! title)`): a register imported again changes nothing; the same activity with other
//! content (participants, gifts, counts, place, organizer, kind, note) is updated to what the
//! register now says — the register is the office's record of the activity. Typed at the
//! terminal, an activity already recorded is refused.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;

use super::Reader;
use super::events::{CommunityRef, EventResolver, community_id};
use super::places::Places;
use crate::model::{
    ActivityRecord, CellError, Field, OrganizerKind, Outcome, Participant, Period, Resolve, Store,
    StoreError, Vocabulary, mask_id, mask_phone, nearest, normalize,
};

/// An activity with what it names found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedActivity {
    /// The record.
    pub record: ActivityRecord,
    /// Street row id.
    pub street: i64,
    /// Community.
    pub community: CommunityRef,
    /// The 暖蜂驿站 where it was held.
    pub station: Option<i64>,
    /// Who organized it.
    pub organizer_kind: OrganizerKind,
    /// The organizer's name ('' when none is written).
    pub organizer: String,
    /// The partner merchant of that name, when it is recorded.
    pub merchant: Option<i64>,
    /// The workers taking part, each once, in the order written.
    pub workers: Vec<i64>,
    /// People taking part who are not named.
    pub unnamed: i64,
}

/// A worker who has a name, as a refusal of an ambiguous name lists them.
#[derive(Debug, Clone)]
struct Named {
    id: i64,
    phone: Option<String>,
    id_number: Option<String>,
    street: String,
}

/// A station as the resolver knows it.
#[derive(Debug, Clone)]
struct StationEntry {
    id: i64,
    street: i64,
    kind: String,
}

/// Finds what activity rows name, in memory and without writing (it runs on the reader
/// thread during an import), read inside the import's own transaction.
pub struct ActivityResolver {
    events: EventResolver,
    /// Normalized 姓名 → the workers with it (purged workers have none).
    by_name: HashMap<String, Vec<Named>>,
    /// Station name → the stations with it.
    stations: HashMap<String, Vec<StationEntry>>,
    /// Merchant name → (id, street id).
    merchants: HashMap<String, Vec<(i64, i64)>>,
}

impl ActivityResolver {
    /// Reads streets, communities, workers, stations and merchants.
    ///
    /// Errors: the database failed.
    pub fn load(conn: &Connection) -> Result<Self> {
        let events = EventResolver::load(conn)?;
        let mut by_name: HashMap<String, Vec<Named>> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT w.id, w.name, w.phone, w.id_number, s.name
             FROM workers w JOIN streets s ON s.id = w.street_id
             WHERE w.purged_on IS NULL ORDER BY w.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(1)?;
            by_name
                .entry(normalize::name(&name))
                .or_default()
                .push(Named {
                    id: r.get(0)?,
                    phone: r.get(2)?,
                    id_number: r.get(3)?,
                    street: r.get(4)?,
                });
        }
        let mut stations: HashMap<String, Vec<StationEntry>> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT id, street_id, name, kind FROM stations ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(2)?;
            stations
                .entry(normalize::name(&name))
                .or_default()
                .push(StationEntry {
                    id: r.get(0)?,
                    street: r.get(1)?,
                    kind: r.get(3)?,
                });
        }
        let mut merchants: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, street_id, name FROM merchants ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(2)?;
            merchants
                .entry(normalize::name(&name))
                .or_default()
                .push((r.get(0)?, r.get(1)?));
        }
        Ok(Self {
            events,
            by_name,
            stations,
            merchants,
        })
    }

    /// Resolves an activity row.
    ///
    /// Errors (row problems, all of them): an unknown street or community; a station that is
    /// unknown, not a 暖蜂驿站 or in another street; a worker unknown, named by a name several
    /// workers have, or not at work on the day (before 入职日期 or after 离职日期); 参与人数
    /// fewer than the workers named, or not their sum with 其他参与人数.
    pub fn activity(&mut self, record: ActivityRecord) -> Result<ResolvedActivity, Vec<CellError>> {
        let mut errors = Vec::new();
        let mut street = match &record.street {
            Some(s) => match self.events.places.street_cached(s) {
                Ok(id) => Some(id),
                Err(p) => {
                    errors.push(CellError::new(Field::Street, s, p));
                    None
                }
            },
            None => None,
        };
        let station = match &record.station {
            Some(name) if record.street.is_none() || street.is_some() => {
                match self.station(name, street) {
                    Ok(st) => {
                        street = Some(st.street);
                        Some(st.id)
                    }
                    Err(p) => {
                        errors.push(CellError::new(Field::Venue, name, p));
                        None
                    }
                }
            }
            _ => None,
        };
        let community = match (street, &record.community) {
            (Some(s), Some(c)) => match self.events.places.community_known(s, c) {
                Ok(Some(id)) => CommunityRef::Id(id),
                Ok(None) => CommunityRef::New(c.clone()),
                Err(p) => {
                    errors.push(CellError::new(Field::Community, c, p));
                    CommunityRef::None
                }
            },
            _ => CommunityRef::None,
        };
        let mut workers: Vec<i64> = Vec::new();
        for p in &record.participants {
            let found = match p {
                Participant::Number(who) => {
                    self.events
                        .workers
                        .find_event_worker(who)
                        .map_err(|e| CellError {
                            field: Field::Participants,
                            ..e
                        })
                }
                Participant::Name(name) => self.by_name(name),
            };
            match found {
                Ok(id) => {
                    if workers.contains(&id) {
                        continue;
                    }
                    if let Err(e) = self.events.workers.working_on(id, record.date) {
                        errors.push(e);
                    }
                    workers.push(id);
                }
                Err(e) => errors.push(e),
            }
        }
        let named = workers.len() as i64;
        let unnamed = match (record.unnamed, record.headcount) {
            (Some(u), Some(h)) if h != named + u => {
                errors.push(CellError::new(
                    Field::Headcount,
                    &h.to_string(),
                    t!("records.activity.headcount_sum", named = named, unnamed = u).into_owned(),
                ));
                u
            }
            (Some(u), _) => u,
            (None, Some(h)) if h < named => {
                errors.push(CellError::new(
                    Field::Headcount,
                    &h.to_string(),
                    t!("records.activity.headcount_below", named = named).into_owned(),
                ));
                0
            }
            (None, Some(h)) => h - named,
            (None, None) => 0,
        };
        let organizer = record.organizer.clone().unwrap_or_default();
        let organizer_kind = record
            .organizer_kind
            .unwrap_or_else(|| organizer_kind_of(&organizer));
        let merchant = match (organizer_kind, street) {
            (OrganizerKind::Partner, Some(s)) if !organizer.is_empty() => {
                self.merchant(&organizer, s)
            }
            _ => None,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ResolvedActivity {
            street: street.expect("a street, or an error above"),
            community,
            station,
            organizer_kind,
            organizer,
            merchant,
            workers,
            unnamed,
            record,
        })
    }

    /// The one worker (not purged) with the name `name`.
    ///
    /// Errors: nobody has it; several do (each listed, numbers masked, with the fix).
    fn by_name(&self, name: &str) -> Result<i64, CellError> {
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Ok(one.id),
            Some(many) if !many.is_empty() => {
                let candidates = many
                    .iter()
                    .map(|w| {
                        let number = match (&w.phone, &w.id_number) {
                            (Some(p), _) => mask_phone(p),
                            (None, Some(i)) => mask_id(i),
                            (None, None) => "—".to_string(),
                        };
                        t!(
                            "records.activity.candidate",
                            number = number,
                            street = w.street
                        )
                        .into_owned()
                    })
                    .collect::<Vec<_>>()
                    .join(&t!("db.list_sep"));
                Err(CellError::new(
                    Field::Participants,
                    name,
                    t!(
                        "records.activity.name_shared",
                        n = many.len(),
                        candidates = candidates,
                        name = name
                    )
                    .into_owned(),
                ))
            }
            _ => Err(CellError::new(
                Field::Participants,
                name,
                t!("records.activity.name_unknown", name = name).into_owned(),
            )),
        }
    }

    /// The 暖蜂驿站 named `name`: in `street` when given, else the one station of that name.
    ///
    /// Errors: unknown (with the nearest name); in another street; several of that name in
    /// other streets; not a 暖蜂驿站.
    fn station(&self, name: &str, street: Option<i64>) -> Result<StationEntry, String> {
        let Some(all) = self.stations.get(name) else {
            let hint = nearest(name, self.stations.keys().map(String::as_str))
                .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
                .unwrap_or_default();
            return Err(t!("records.station.unknown_import", hint = hint).into_owned());
        };
        let found = match street {
            Some(s) => match all.iter().find(|e| e.street == s) {
                Some(e) => e.clone(),
                None => {
                    let streets = all
                        .iter()
                        .map(|e| self.events.places.street_name(e.street))
                        .collect::<Vec<_>>()
                        .join("、");
                    return Err(t!(
                        "records.activity.station_other_street",
                        streets = streets,
                        street = self.events.places.street_name(s)
                    )
                    .into_owned());
                }
            },
            None => match all.as_slice() {
                [one] => one.clone(),
                _ => return Err(t!("records.station.which_street").into_owned()),
            },
        };
        if found.kind != crate::model::StationKind::RestStation.code() {
            let kind = crate::model::StationKind::from_code(&found.kind)
                .map_or(found.kind.clone(), |k| k.label().to_string());
            return Err(t!("records.activity.not_rest_station", kind = kind).into_owned());
        }
        Ok(found)
    }

    /// The merchant named `name`: in `street` first, else the one of that name anywhere.
    fn merchant(&self, name: &str, street: i64) -> Option<i64> {
        let all = self.merchants.get(&normalize::name(name))?;
        all.iter()
            .find(|(_, s)| *s == street)
            .or(match all.as_slice() {
                [one] => Some(one),
                _ => None,
            })
            .map(|(id, _)| *id)
    }
}

/// Who an organizer's name says organized an activity when no 组织单位类型 is given: none
/// written, the street (街道); a name with 行业党委 in it, the industry committee; with 社区,
/// a community; with 街道 (or a 镇's 党委), the street; any other name, a partner (a merchant
/// or unit).
pub fn organizer_kind_of(name: &str) -> OrganizerKind {
    if name.is_empty() {
        OrganizerKind::Street
    } else if name.contains("行业党委") || name.contains("行业党工委") {
        OrganizerKind::IndustryCommittee
    } else if name.contains("社区") || name.contains("居委会") {
        OrganizerKind::Community
    } else if ["街道", "街办", "镇党委", "镇人民政府", "乡党委"]
        .iter()
        .any(|w| name.contains(w))
    {
        OrganizerKind::Street
    } else {
        OrganizerKind::Partner
    }
}

impl Resolve<ActivityRecord> for ActivityResolver {
    type Resolved = ResolvedActivity;

    fn resolve(&mut self, record: ActivityRecord) -> Result<ResolvedActivity, Vec<CellError>> {
        self.activity(record)
    }

    fn street_problem(&mut self, street: &str) -> Option<String> {
        self.events.places.street_cached(street).err()
    }
}

/// What is stored of an activity, to tell an activity imported again from a changed one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    kind: String,
    community: Option<i64>,
    station: Option<i64>,
    organizer_kind: String,
    organizer: String,
    merchant: Option<i64>,
    unnamed: i64,
    note: String,
    workers: Vec<i64>,
    gifts: Vec<(String, i64)>,
}

/// How many days apart a new activity and a stored one of the same street and title are
/// noted as perhaps the same activity with its date corrected.
pub const NEAR_DAYS: i64 = 7;

/// Stores activities, their participants and their gifts.
pub struct ActivityWriter<'c> {
    conn: &'c Connection,
    batch: Option<i64>,
    places: Places,
    /// (date, street, title) → file line, of the activities of this file.
    seen: HashMap<(String, i64, String), u64>,
    /// The activities this file stored or found as they are: never taken for an earlier
    /// date of an activity of this file.
    mine: Vec<i64>,
    /// By file line: a new activity close to a stored one of the same street and title.
    notes: Vec<(u64, String)>,
}

impl<'c> ActivityWriter<'c> {
    /// Prepares to write into `conn`; `batch` is the import batch (`None` when typed).
    ///
    /// Errors: the database failed.
    pub fn new(conn: &'c Connection, batch: Option<i64>) -> Result<Self> {
        Ok(Self {
            conn,
            batch,
            places: Places::load(conn)?,
            seen: HashMap::new(),
            mine: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// Stores one activity read on line `line` (0 when typed): new; updated when an activity
    /// of that day, street and title is stored with other content; unchanged when it is
    /// stored as it is. Returns the outcome and the activity's id.
    ///
    /// Errors (row problems): the same activity twice in one file; typed at the terminal, an
    /// activity already recorded; a community not on its street's official list. The
    /// database failed.
    pub fn store_activity(
        &mut self,
        a: &ResolvedActivity,
        line: u64,
    ) -> Result<(Outcome, i64), StoreError> {
        let r = &a.record;
        let community = community_id(&mut self.places, self.conn, a.street, &a.community)?;
        let date = r.date.to_string();
        let key = (date.clone(), a.street, r.title.clone());
        if let Some(first) = self.seen.get(&key) {
            return Err(StoreError::row(
                Field::Activity,
                &r.title,
                t!("records.activity.twice_in_file", line = first).into_owned(),
            ));
        }
        self.seen.insert(key, line);
        let mut gifts = r.gifts.clone();
        gifts.sort();
        let want = Stored {
            kind: r.kind.code().to_string(),
            community,
            station: a.station,
            organizer_kind: a.organizer_kind.code().to_string(),
            organizer: a.organizer.clone(),
            merchant: a.merchant,
            unnamed: a.unnamed,
            note: r.note.clone().unwrap_or_default(),
            workers: {
                let mut w = a.workers.clone();
                w.sort_unstable();
                w
            },
            gifts,
        };
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM care_activities WHERE date = ?1 AND street_id = ?2 AND title = ?3",
                params![date, a.street, r.title],
                |row| row.get(0),
            )
            .optional()?;
        let Some(id) = existing else {
            self.conn
                .prepare_cached(
                    "INSERT INTO care_activities (kind, title, date, street_id, community_id,
                         station_id, organizer_kind, organizer, merchant_id, unnamed, note,
                         batch_id, entered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )?
                .execute(params![
                    want.kind,
                    r.title,
                    date,
                    a.street,
                    want.community,
                    want.station,
                    want.organizer_kind,
                    want.organizer,
                    want.merchant,
                    want.unnamed,
                    want.note,
                    self.batch,
                    super::now_text()
                ])?;
            let id = self.conn.last_insert_rowid();
            self.write_lists(id, &a.workers, &r.gifts)?;
            self.note_near(id, a.street, &r.title, &date, line)?;
            self.mine.push(id);
            return Ok((Outcome::New, id));
        };
        self.mine.push(id);
        if self.batch.is_none() {
            return Err(StoreError::row(
                Field::Activity,
                &r.title,
                t!("records.activity.exists", id = id).into_owned(),
            ));
        }
        if self.stored(id)? == want {
            return Ok((Outcome::Unchanged, id));
        }
        self.conn.execute(
            "UPDATE care_activities SET kind = ?2, community_id = ?3, station_id = ?4,
                 organizer_kind = ?5, organizer = ?6, merchant_id = ?7, unnamed = ?8, note = ?9
             WHERE id = ?1",
            params![
                id,
                want.kind,
                want.community,
                want.station,
                want.organizer_kind,
                want.organizer,
                want.merchant,
                want.unnamed,
                want.note
            ],
        )?;
        self.conn
            .execute("DELETE FROM care_participants WHERE activity_id = ?1", [id])?;
        self.conn
            .execute("DELETE FROM care_gifts WHERE activity_id = ?1", [id])?;
        self.write_lists(id, &a.workers, &r.gifts)?;
        Ok((Outcome::Updated, id))
    }

    /// Notes, for line `line`, the stored activity of the same street and title nearest to
    /// `date` within [`NEAR_DAYS`] days (another day, not of this file): a date corrected in
    /// a register makes a second activity, not a changed one.
    fn note_near(
        &mut self,
        id: i64,
        street: i64,
        title: &str,
        date: &str,
        line: u64,
    ) -> rusqlite::Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.date, s.name FROM care_activities a JOIN streets s ON s.id = a.street_id
             WHERE a.street_id = ?1 AND a.title = ?2 AND a.id <> ?3 AND a.date <> ?4
               AND abs(julianday(a.date) - julianday(?4)) <= ?5
             ORDER BY abs(julianday(a.date) - julianday(?4)), a.date, a.id",
        )?;
        let near = stmt
            .query_map(params![street, title, id, date, NEAR_DAYS], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if let Some((other, on, street)) = near.into_iter().find(|(o, _, _)| !self.mine.contains(o))
        {
            self.notes.push((
                line,
                t!(
                    "records.activity.near",
                    title = title,
                    street = street,
                    date = on,
                    id = other
                )
                .into_owned(),
            ));
        }
        Ok(())
    }

    /// What this writer noted, by file line (0 when typed).
    pub fn noted(&self) -> &[(u64, String)] {
        &self.notes
    }

    fn write_lists(
        &self,
        id: i64,
        workers: &[i64],
        gifts: &[(String, i64)],
    ) -> rusqlite::Result<()> {
        let mut add = self.conn.prepare_cached(
            "INSERT INTO care_participants (activity_id, worker_id) VALUES (?1, ?2)",
        )?;
        for w in workers {
            add.execute(params![id, w])?;
        }
        let mut add = self.conn.prepare_cached(
            "INSERT INTO care_gifts (activity_id, item, quantity) VALUES (?1, ?2, ?3)",
        )?;
        for (item, n) in gifts {
            add.execute(params![id, item, n])?;
        }
        Ok(())
    }

    fn stored(&self, id: i64) -> rusqlite::Result<Stored> {
        let mut s = self.conn.query_row(
            "SELECT kind, community_id, station_id, organizer_kind, organizer, merchant_id,
                    unnamed, note
             FROM care_activities WHERE id = ?1",
            [id],
            |r| {
                Ok(Stored {
                    kind: r.get(0)?,
                    community: r.get(1)?,
                    station: r.get(2)?,
                    organizer_kind: r.get(3)?,
                    organizer: r.get(4)?,
                    merchant: r.get(5)?,
                    unnamed: r.get(6)?,
                    note: r.get(7)?,
                    workers: Vec::new(),
                    gifts: Vec::new(),
                })
            },
        )?;
        s.workers = self
            .conn
            .prepare_cached(
                "SELECT worker_id FROM care_participants WHERE activity_id = ?1 ORDER BY worker_id",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        s.gifts = self
            .conn
            .prepare_cached(
                "SELECT item, quantity FROM care_gifts WHERE activity_id = ?1 ORDER BY item, quantity",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(s)
    }
}

impl Store<ResolvedActivity> for ActivityWriter<'_> {
    fn store(&mut self, item: &ResolvedActivity, line: u64) -> Result<Outcome, StoreError> {
        self.store_activity(item, line).map(|(o, _)| o)
    }

    fn notes(&self) -> &[(u64, String)] {
        &self.notes
    }
}

/// One activity as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    /// Row id.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Kind code (`hardship_aid` …).
    pub kind: String,
    /// 活动名称.
    pub title: String,
    /// Street name.
    pub street: String,
    /// Community name.
    pub community: Option<String>,
    /// 暖蜂驿站 name.
    pub station: Option<String>,
    /// Organizer kind code.
    pub organizer_kind: String,
    /// Organizer name ('' when none was written).
    pub organizer: String,
    /// The partner merchant, when recorded.
    pub merchant_id: Option<i64>,
    /// Named workers taking part.
    pub named: i64,
    /// People taking part, not named.
    pub unnamed: i64,
    /// Items handed out: (item, quantity), by item.
    pub gifts: Vec<(String, i64)>,
    /// 备注.
    pub note: String,
}

const ROW_SQL: &str = "SELECT a.id, a.date, a.kind, a.title, s.name, c.name, st.name,
        a.organizer_kind, a.organizer, a.merchant_id,
        (SELECT count(*) FROM care_participants p WHERE p.activity_id = a.id), a.unnamed, a.note
     FROM care_activities a
     JOIN streets s ON s.id = a.street_id
     LEFT JOIN communities c ON c.id = a.community_id
     LEFT JOIN stations st ON st.id = a.station_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActivityRow> {
    Ok(ActivityRow {
        id: r.get(0)?,
        date: r.get(1)?,
        kind: r.get(2)?,
        title: r.get(3)?,
        street: r.get(4)?,
        community: r.get(5)?,
        station: r.get(6)?,
        organizer_kind: r.get(7)?,
        organizer: r.get(8)?,
        merchant_id: r.get(9)?,
        named: r.get(10)?,
        unnamed: r.get(11)?,
        note: r.get(12)?,
        gifts: Vec::new(),
    })
}

fn with_gifts(conn: &Connection, mut rows: Vec<ActivityRow>) -> Result<Vec<ActivityRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT item, quantity FROM care_gifts WHERE activity_id = ?1 ORDER BY item",
    )?;
    for r in &mut rows {
        r.gifts = stmt
            .query_map([r.id], |g| Ok((g.get(0)?, g.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(rows)
}

/// Activities, optionally of one street, of one kind (code) and within a period, by date
/// then entry.
///
/// Errors: database errors.
pub fn activities(
    db: &impl Reader,
    street: Option<i64>,
    kind: Option<&str>,
    period: Option<&Period>,
) -> Result<Vec<ActivityRow>> {
    let conn = db.conn().0;
    let (from, to) = super::events::days(period);
    let rows = conn
        .prepare(&format!(
            "{ROW_SQL}
             WHERE (?1 IS NULL OR a.street_id = ?1) AND (?2 IS NULL OR a.kind = ?2)
               AND a.date BETWEEN ?3 AND ?4
             ORDER BY a.date, a.id"
        ))?
        .query_map(params![street, kind, from.to_string(), to.to_string()], row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_gifts(conn, rows)
}

/// A worker taking part in an activity, as `activity show` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    /// Worker row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
}

/// Activity `id` with the workers taking part (by name); `None` when there is no such
/// activity.
///
/// Errors: database errors.
pub fn activity(db: &impl Reader, id: i64) -> Result<Option<(ActivityRow, Vec<ParticipantRow>)>> {
    let conn = db.conn().0;
    let Some(a) = conn
        .query_row(&format!("{ROW_SQL} WHERE a.id = ?1"), [id], row)
        .optional()?
    else {
        return Ok(None);
    };
    let a = with_gifts(conn, vec![a])?.remove(0);
    let people = conn
        .prepare(
            "SELECT w.id, w.name, w.phone, w.id_number FROM care_participants p
             JOIN workers w ON w.id = p.worker_id
             WHERE p.activity_id = ?1 ORDER BY w.name, w.id",
        )?
        .query_map([id], |r| {
            Ok(ParticipantRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                id_number: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some((a, people)))
}

/// Deletes activity `id` with its participants and gifts, inside the caller's transaction
/// (`tx` from `Db::begin_write`). Returns what was deleted: the activity as listed;
/// `None` when there is no such activity (nothing changed).
///
/// Errors: database errors.
pub fn delete(tx: &Connection, id: i64) -> Result<Option<ActivityRow>> {
    let Some((row, _)) = activity(tx, id)? else {
        return Ok(None);
    };
    tx.execute("DELETE FROM care_participants WHERE activity_id = ?1", [id])?;
    tx.execute("DELETE FROM care_gifts WHERE activity_id = ?1", [id])?;
    tx.execute("DELETE FROM care_activities WHERE id = ?1", [id])?;
    Ok(Some(row))
}

/// A 关爱活动 a worker took part in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attended {
    /// Activity row id.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Kind code.
    pub kind: String,
    /// 活动名称.
    pub title: String,
    /// Street name.
    pub street: String,
}

/// The activities worker `id` took part in, dated inside `period` (`None`: all), by date
/// then id.
///
/// Errors: database errors.
pub fn history(db: &impl Reader, id: i64, period: Option<&Period>) -> Result<Vec<Attended>> {
    let conn = db.conn().0;
    let (from, to) = super::events::days(period);
    let rows = conn
        .prepare(
            "SELECT a.id, a.date, a.kind, a.title, s.name FROM care_participants p
             JOIN care_activities a ON a.id = p.activity_id
             JOIN streets s ON s.id = a.street_id
             WHERE p.worker_id = ?1 AND a.date BETWEEN ?2 AND ?3
             ORDER BY a.date, a.id",
        )?
        .query_map(params![id, from.to_string(), to.to_string()], |r| {
            Ok(Attended {
                id: r.get(0)?,
                date: r.get(1)?,
                kind: r.get(2)?,
                title: r.get(3)?,
                street: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Activities whose station is not a 暖蜂驿站 of their street, or whose community is not of
/// their street: one line per activity, for `check`.
///
/// Errors: database errors.
pub fn inconsistencies(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT a.id, a.title, st.name FROM care_activities a JOIN stations st ON st.id = a.station_id
         WHERE st.street_id <> a.street_id OR st.kind <> 'rest_station' ORDER BY a.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, title, station): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        out.push(
            t!(
                "records.activity.check_station",
                id = id,
                title = title,
                station = station
            )
            .into_owned(),
        );
    }
    let mut stmt = conn.prepare(
        "SELECT a.id, a.title, c.name FROM care_activities a JOIN communities c ON c.id = a.community_id
         WHERE c.street_id <> a.street_id ORDER BY a.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, title, community): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        out.push(
            t!(
                "records.activity.check_community",
                id = id,
                title = title,
                community = community
            )
            .into_owned(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organizer_s_name_tells_its_kind() {
        assert_eq!(organizer_kind_of(""), OrganizerKind::Street);
        assert_eq!(organizer_kind_of("柳巷街道党工委"), OrganizerKind::Street);
        assert_eq!(organizer_kind_of("郝庄镇党委"), OrganizerKind::Street);
        assert_eq!(
            organizer_kind_of("桃园社区居委会"),
            OrganizerKind::Community
        );
        assert_eq!(
            organizer_kind_of("迎泽区快递行业党委"),
            OrganizerKind::IndustryCommittee
        );
        assert_eq!(
            organizer_kind_of("山西晋阳律师事务所"),
            OrganizerKind::Partner
        );
    }
}
