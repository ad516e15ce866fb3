//! Loading workers-register records (`import workers`, `worker add`, `worker update`): insert
//! new people, update changed fields, leave identical ones alone; a blank cell never erases
//! what is stored, and every change goes to the change log with values as people read them.

use rust_i18n::t;
use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use super::index::{WorkerEntry, WorkerIndex, id_key, phone_key};
use crate::db::LookupError;
use crate::db::changes::{ChangeBuffer, Origin};
use crate::db::membership::{membership_texts, store_membership};
use crate::db::places::Places;
use crate::db::stations::StationIndex;
use crate::model::{
    CellError, Field, Outcome, PoliticalStatus, Store, StoreError, Vocabulary, WorkerRecord,
};

/// Loads workers-register records: insert new people, update changed fields, leave identical
/// ones alone. A blank cell never erases what is stored.
pub struct WorkerLoader<'c> {
    conn: &'c Connection,
    /// Streets and communities.
    pub places: Places,
    /// Everyone, kept current as rows land.
    pub index: WorkerIndex,
    stations: StationIndex,
    enterprises: HashMap<String, i64>,
    /// Our party organizations: normalized name → id.
    orgs: HashMap<String, i64>,
    /// Worker id → the line of this file that touched it, to catch a person listed twice.
    seen: rustc_hash::FxHashMap<i64, u64>,
    /// Changes worth a word to the user, by line: a worker renamed.
    pub notes: Vec<(u64, String)>,
    /// Who is changing the register, for the change log.
    origin: Origin,
    /// The changes of an import, written to the change log together (`None`: each change is
    /// written as it is made).
    changes: Option<ChangeBuffer>,
    /// The worker the last loaded record added or matched.
    pub last: Option<i64>,
    /// The worker a record is for, when known beforehand (`worker update`, `worker leave`):
    /// the record then updates this worker even with a new 手机号, and numbers belonging to
    /// anybody else are refused.
    pub target: Option<i64>,
    /// Take the worker off their station (`worker update --no-station`): a blank 所属站点
    /// otherwise keeps the stored one.
    pub clear_station: bool,
    /// Refuses dates that contradict stored events.
    dates: super::dates::DateGuard,
    /// A dry run: notes say what would change (将改为), not what changed.
    pub dry_run: bool,
}

/// The stored columns of a worker, as compared on re-import.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    name: String,
    gender: Option<String>,
    id_number: Option<String>,
    phone: Option<String>,
    political_status: Option<String>,
    occupation: String,
    enterprise_id: Option<i64>,
    station_id: Option<i64>,
    street_id: i64,
    community_id: Option<i64>,
    joined_on: Option<String>,
    left_on: Option<String>,
    note: Option<String>,
    /// `memberships.org_id`: our organization (of registration, or of attachment for a mobile
    /// member).
    org_id: Option<i64>,
    /// `memberships.home_org`: the home organization elsewhere of a mobile member.
    home_org: Option<String>,
}

/// Our party organizations by normalized name.
fn org_map(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT id, name FROM party_orgs")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut map = HashMap::new();
    for row in rows {
        let (id, name) = row?;
        map.insert(crate::model::normalize::name(&name), id);
    }
    Ok(map)
}

/// A field that changed: its code, the value before and after, as people read them.
type Difference = (&'static str, Option<String>, Option<String>);

/// Records the changes between two states of a worker in the change log, values as people
/// read them (names, not row ids).
fn log_changes(
    conn: &Connection,
    origin: &Origin,
    id: i64,
    old: &Stored,
    new: &Stored,
) -> rusqlite::Result<()> {
    for (field, before, after) in differences(conn, old, new)? {
        crate::db::changes::log(
            conn,
            "worker",
            &id.to_string(),
            field,
            before.as_deref(),
            after.as_deref(),
            &origin.command,
            origin.batch,
        )?;
    }
    Ok(())
}

/// The fields that differ between two states of a worker, in the change log's order.
fn differences(conn: &Connection, old: &Stored, new: &Stored) -> rusqlite::Result<Vec<Difference>> {
    let name_of = |table: &str, id: Option<i64>| -> rusqlite::Result<Option<String>> {
        match id {
            None => Ok(None),
            Some(i) => conn
                .prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
                .query_row([i], |r| r.get(0))
                .optional(),
        }
    };
    let text = |v: &Option<String>| v.clone();
    let (old_membership, old_attached) =
        membership_texts(conn, old.org_id, old.home_org.as_deref())?;
    let (new_membership, new_attached) =
        membership_texts(conn, new.org_id, new.home_org.as_deref())?;
    let fields: Vec<Difference> = vec![
        ("name", Some(old.name.clone()), Some(new.name.clone())),
        ("gender", text(&old.gender), text(&new.gender)),
        ("id_number", text(&old.id_number), text(&new.id_number)),
        ("phone", text(&old.phone), text(&new.phone)),
        (
            "political_status",
            text(&old.political_status),
            text(&new.political_status),
        ),
        (
            "occupation",
            Some(old.occupation.clone()),
            Some(new.occupation.clone()),
        ),
        (
            "enterprise",
            name_of("enterprises", old.enterprise_id)?,
            name_of("enterprises", new.enterprise_id)?,
        ),
        (
            "station",
            name_of("stations", old.station_id)?,
            name_of("stations", new.station_id)?,
        ),
        (
            "street",
            name_of("streets", Some(old.street_id))?,
            name_of("streets", Some(new.street_id))?,
        ),
        (
            "community",
            name_of("communities", old.community_id)?,
            name_of("communities", new.community_id)?,
        ),
        ("joined_on", text(&old.joined_on), text(&new.joined_on)),
        ("left_on", text(&old.left_on), text(&new.left_on)),
        ("note", text(&old.note), text(&new.note)),
        ("membership_org", old_membership, new_membership),
        ("attached_org", old_attached, new_attached),
    ];
    Ok(fields
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .collect())
}

/// The stored columns of worker `id`, with its membership.
fn stored(conn: &Connection, id: i64) -> rusqlite::Result<Stored> {
    conn.prepare_cached(
        "SELECT w.name, w.gender, w.id_number, w.phone, w.political_status, w.occupation,
                w.enterprise_id, w.station_id, w.street_id, w.community_id, w.joined_on,
                w.left_on, w.note, m.org_id, m.home_org
         FROM workers w LEFT JOIN memberships m ON m.worker_id = w.id WHERE w.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Stored {
            name: r.get(0)?,
            gender: r.get(1)?,
            id_number: r.get(2)?,
            phone: r.get(3)?,
            political_status: r.get(4)?,
            occupation: r.get(5)?,
            enterprise_id: r.get(6)?,
            station_id: r.get(7)?,
            street_id: r.get(8)?,
            community_id: r.get(9)?,
            joined_on: r.get(10)?,
            left_on: r.get(11)?,
            note: r.get(12)?,
            org_id: r.get(13)?,
            home_org: r.get(14)?,
        })
    })
}

/// Sets a worker's 政治面貌 through the change log (`command` names who did it, e.g.
/// `worker stage`). Returns false when it was already that.
///
/// Errors: the worker does not exist; the database refuses the write.
pub fn set_political_status(
    conn: &Connection,
    id: i64,
    status: PoliticalStatus,
    command: &str,
) -> rusqlite::Result<bool> {
    let old = stored(conn, id)?;
    let new = Stored {
        political_status: Some(status.code().to_string()),
        ..old.clone()
    };
    if new == old {
        return Ok(false);
    }
    let origin = Origin {
        command: command.to_string(),
        batch: None,
    };
    log_changes(conn, &origin, id, &old, &new)?;
    conn.prepare_cached("UPDATE workers SET political_status = ?1 WHERE id = ?2")?
        .execute(params![new.political_status, id])?;
    Ok(true)
}

/// The problems of a row giving a membership for a worker whose 政治面貌 (`status`, as given
/// or stored) is not a party member's.
fn not_a_member(rec: &WorkerRecord, status: Option<PoliticalStatus>, errors: &mut Vec<CellError>) {
    let is = match status {
        Some(s) => t!("records.worker.status_is", status = s.label()),
        None => t!("records.worker.status_not_given"),
    };
    for (field, value) in [
        (Field::MembershipOrg, &rec.membership_org),
        (Field::AttachedOrg, &rec.attached_org),
    ] {
        if let Some(v) = value {
            errors.push(CellError::new(
                field,
                v,
                t!("records.worker.membership_not_member", is = is).into_owned(),
            ));
        }
    }
}

/// What a row says about a membership, resolved against our organizations.
enum Registration {
    /// One of our organizations.
    Ours(i64),
    /// A home organization elsewhere (a mobile member).
    Home(String),
}

impl<'c> WorkerLoader<'c> {
    /// Prepares to load into `conn` (inside the import's transaction).
    pub fn new(conn: &'c Connection, origin: Origin) -> Result<Self> {
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            index: WorkerIndex::load(conn)?,
            stations: StationIndex::load(conn)?,
            enterprises: crate::db::stations::enterprise_map(conn)?,
            orgs: org_map(conn)?,
            seen: rustc_hash::FxHashMap::default(),
            notes: Vec::new(),
            changes: origin.batch.map(|_| ChangeBuffer::new(origin.clone())),
            origin,
            last: None,
            target: None,
            clear_station: false,
            dates: super::dates::DateGuard::default(),
            dry_run: false,
        })
    }

    /// Our organization named `name`: exactly, after normalization, or by the name's core
    /// (without 中共/中国共产党 before it and 委员会 after it, 党支部 read as 支部 — the ways one
    /// organization is written).
    fn org(&self, name: &str) -> Option<i64> {
        let n = crate::model::normalize::name(name);
        if let Some(id) = self.orgs.get(&n) {
            return Some(*id);
        }
        let core = org_core(&n);
        let mut found = self.orgs.iter().filter(|(k, _)| org_core(k) == core);
        match (found.next(), found.next()) {
            (Some((_, id)), None) => Some(*id),
            _ => None,
        }
    }

    /// One of our organizations whose name is close to `name` (a misspelling of ours rather
    /// than an organization elsewhere).
    fn near_org(&self, name: &str) -> Option<&str> {
        let core = org_core(&crate::model::normalize::name(name));
        self.orgs
            .keys()
            .map(|k| (strsim::normalized_levenshtein(&core, &org_core(k)), k))
            .filter(|(score, _)| *score >= 0.75)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, k)| k.as_str())
    }

    /// The membership a record leads to, merged with the stored one (`existing`): a blank
    /// cell keeps what is stored. `None`: both cells blank (or a problem), so the stored
    /// membership, if any, stays as it is. Problems go to `errors`: an unknown
    /// 所在党组织, membership columns on a non-member's row, a member registered with one of
    /// our organizations said to take part in another.
    fn membership_of(
        &self,
        rec: &WorkerRecord,
        existing: Option<i64>,
        errors: &mut Vec<CellError>,
    ) -> rusqlite::Result<Option<(Option<i64>, Option<String>)>> {
        if rec.membership_org.is_none() && rec.attached_org.is_none() {
            return Ok(None);
        }
        let stored: Option<(Option<i64>, Option<String>, Option<String>)> = match existing {
            Some(id) => self
                .conn
                .prepare_cached(
                    "SELECT m.org_id, m.home_org, w.political_status
                     FROM workers w LEFT JOIN memberships m ON m.worker_id = w.id WHERE w.id = ?1",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?,
            None => None,
        };
        let (stored_org, stored_home, stored_status) = stored.unwrap_or((None, None, None));
        let status = rec.political_status.or_else(|| {
            stored_status
                .as_deref()
                .and_then(PoliticalStatus::from_code)
        });
        if !status.is_some_and(PoliticalStatus::is_party_member) {
            not_a_member(rec, status, errors);
            return Ok(None);
        }
        let attached = match &rec.attached_org {
            None => None,
            Some(name) => match self.org(name) {
                Some(id) => Some(id),
                None => {
                    let hint =
                        crate::db::places::nearest(name, self.orgs.keys().map(String::as_str))
                            .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
                            .unwrap_or_default();
                    errors.push(CellError::new(
                        Field::AttachedOrg,
                        name,
                        t!("records.worker.attached_unknown", hint = hint).into_owned(),
                    ));
                    return Ok(None);
                }
            },
        };
        let registration = match &rec.membership_org {
            Some(text) => Some(match self.org(text) {
                Some(id) => Registration::Ours(id),
                None => {
                    // Nearly the name of one of ours: a misspelling would make a 流动党员 of a
                    // member registered here.
                    if let Some(near) = self.near_org(text) {
                        errors.push(CellError::new(
                            Field::MembershipOrg,
                            text,
                            t!("records.worker.membership_near", near = near).into_owned(),
                        ));
                        return Ok(None);
                    }
                    Registration::Home(text.clone())
                }
            }),
            None => match (stored_org, stored_home) {
                (_, Some(home)) => Some(Registration::Home(home)),
                (Some(org), None) => Some(Registration::Ours(org)),
                (None, None) => None,
            },
        };
        Ok(Some(match registration {
            Some(Registration::Ours(org)) => {
                if let Some(a) = attached
                    && a != org
                {
                    let name = |id: i64| {
                        self.orgs
                            .iter()
                            .find(|(_, v)| **v == id)
                            .map_or(String::new(), |(k, _)| k.clone())
                    };
                    errors.push(CellError::new(
                        Field::AttachedOrg,
                        rec.attached_org.as_deref().unwrap_or(""),
                        t!("records.worker.attached_conflict", org = name(org)).into_owned(),
                    ));
                }
                (Some(org), None)
            }
            Some(Registration::Home(home)) => (attached.or(stored_org), Some(home)),
            // Only 所在党组织 given: the member belongs to that organization of ours.
            None => (attached, None),
        }))
    }

    /// Loads one record read from `line`.
    ///
    /// Errors: unknown street, community or station; numbers belonging to different workers;
    /// the same person listed earlier in the file; a membership that does not fit (row
    /// problems, nothing written); the database failed.
    pub fn load(&mut self, rec: &WorkerRecord, line: u64) -> Result<Outcome, StoreError> {
        let mut errors = Vec::new();
        let (street, community, station) = self.places_of(rec, &mut errors)?;
        let existing = self.existing(rec, &mut errors);
        if let Some(id) = existing
            && let Some(first) = self.seen.get(&id)
        {
            let (field, raw) = match &rec.id_number {
                Some(i) => (Field::IdNumber, i.as_str().to_string()),
                None => (
                    Field::Phone,
                    rec.phone
                        .as_ref()
                        .map_or(String::new(), |p| p.as_str().to_string()),
                ),
            };
            errors.push(CellError::new(
                field,
                &raw,
                t!("records.worker.same_person", line = first).into_owned(),
            ));
        }
        let membership = self.membership_of(rec, existing, &mut errors)?;
        let Some(street) = street else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if let Some(id) = existing {
            self.dates
                .check(self.conn, &self.index, id, rec.joined_on, rec.left_on)?;
        }
        let enterprise = match &rec.enterprise {
            Some(name) => Some(crate::db::stations::enterprise_id(
                self.conn,
                &mut self.enterprises,
                name,
            )?),
            None => None,
        };
        let given = Stored {
            name: rec.name.clone(),
            gender: rec.gender.map(|g| g.code().to_string()),
            id_number: rec.id_number.as_ref().map(|i| i.as_str().to_string()),
            phone: rec.phone.as_ref().map(|p| p.as_str().to_string()),
            political_status: rec.political_status.map(|p| p.code().to_string()),
            occupation: rec.occupation.code().to_string(),
            enterprise_id: enterprise,
            station_id: station,
            street_id: street,
            community_id: community,
            joined_on: rec.joined_on.map(|d| d.to_string()),
            left_on: rec.left_on.map(|d| d.to_string()),
            note: rec.note.clone(),
            org_id: membership.as_ref().and_then(|m| m.0),
            home_org: membership.as_ref().and_then(|m| m.1.clone()),
        };
        let id = match existing {
            None => self.insert(&given, membership.is_some())?,
            Some(id) => id,
        };
        self.seen.insert(id, line);
        self.last = Some(id);
        let outcome = match existing {
            None => Outcome::New,
            Some(id) => self.update(id, rec, given, membership.is_some(), line)?,
        };
        // 入党积极分子 written as the 政治面貌: the register states a stage of the pipeline.
        if let Some((stage, date)) = rec.stage {
            // The stage logs its own change, after the ones held.
            self.flush_changes()?;
            if crate::db::membership::register_stage(self.conn, id, stage, date)?
                && outcome == Outcome::Unchanged
            {
                return Ok(Outcome::Updated);
            }
        }
        Ok(outcome)
    }

    /// The street, community and station a record names. Problems go to `errors`; the
    /// street is `None` when it is unknown.
    ///
    /// Errors: the database failed (adding a community first seen here).
    #[allow(clippy::type_complexity)]
    fn places_of(
        &mut self,
        rec: &WorkerRecord,
        errors: &mut Vec<CellError>,
    ) -> Result<(Option<i64>, Option<i64>, Option<i64>), StoreError> {
        let street = match (rec.street.as_str(), &rec.station) {
            // 所属街道 left blank: the worker's street is their station's.
            ("", Some(name)) => self
                .stations
                .find_anywhere(name)
                .map_err(|p| errors.push(CellError::new(Field::Station, name, p)))
                .ok()
                .and_then(|id| self.stations.street_of(id)),
            (written, _) => self
                .places
                .street_cached(written)
                .map_err(|p| errors.push(CellError::new(Field::Street, written, p)))
                .ok(),
        };
        let community = match (street, &rec.community) {
            (Some(s), Some(c)) => match self.places.community(self.conn, s, c) {
                Ok(id) => Some(id),
                Err(LookupError::Problem(p)) => {
                    errors.push(CellError::new(Field::Community, c, p));
                    None
                }
                Err(LookupError::Db(e)) => return Err(e.into()),
            },
            _ => None,
        };
        let station = match (street, &rec.station) {
            (Some(s), Some(name)) => self
                .stations
                .find(s, name)
                .map_err(|p| errors.push(CellError::new(Field::Station, name, p)))
                .ok(),
            _ => None,
        };
        if let (Some(s), Some(id), Some(name)) = (street, station, &rec.station)
            && let Some(e) = super::street::station_in_street(
                &self.stations,
                &self.places,
                s,
                id,
                name,
                self.origin.batch.is_none(),
            )
        {
            errors.push(e);
        }
        Ok((street, community, station))
    }

    /// The registered worker a record is for: [`target`](Self::target) when set (then the
    /// record's numbers may be new, but not somebody else's), else the worker with its
    /// 身份证号 or 手机号 — not by 手机号 alone under a name with nothing in common with the
    /// registered one ([`other_person`](Self::other_person)). Problems go to `errors`.
    fn existing(&self, rec: &WorkerRecord, errors: &mut Vec<CellError>) -> Option<i64> {
        let Some(t) = self.target else {
            return match self.index.find_named(
                rec.id_number.as_ref(),
                rec.phone.as_ref(),
                Some(&rec.name),
            ) {
                Ok(Some(w)) => match self.other_person(rec, w) {
                    Some(e) => {
                        errors.push(e);
                        None
                    }
                    None => Some(w),
                },
                Ok(None) => None,
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
        };
        let by_id = rec
            .id_number
            .as_ref()
            .and_then(|i| self.index.by_id_number.get(&id_key(i.as_str())))
            .map(|o| {
                (
                    Field::IdNumber,
                    rec.id_number.as_ref().map(|i| i.as_str()),
                    *o,
                )
            });
        let by_phone = rec
            .phone
            .as_ref()
            .and_then(|p| self.index.by_phone.get(&phone_key(p.as_str())))
            .map(|o| (Field::Phone, rec.phone.as_ref().map(|p| p.as_str()), o.id));
        for (field, raw, other) in [by_id, by_phone].into_iter().flatten() {
            if other != t {
                errors.push(CellError::new(
                    field,
                    raw.unwrap_or(""),
                    t!(
                        "records.worker.number_of_other",
                        name = self.index.known(other).name
                    )
                    .into_owned(),
                ));
            }
        }
        Some(t)
    }

    /// Refuses a row found worker `w` by 手机号 alone (no 身份证号, or one nobody has or had)
    /// when the row's 姓名 has no character in common with the registered one: a 手机号 passes
    /// from one person to another, so this is more likely somebody else than a rename. Found
    /// by 身份证号 (one person's for life), a new name is a rename.
    ///
    /// Errors: at the 姓名 cell, both names and the 手机号 (masked), with the two fixes.
    fn other_person(&self, rec: &WorkerRecord, w: i64) -> Option<CellError> {
        if let Some(i) = &rec.id_number
            && (self.index.by_id_number.get(&id_key(i.as_str())) == Some(&w)
                || self.index.had_id_number(w, i.as_str()))
        {
            return None;
        }
        let registered = &self.index.known(w).name;
        if !no_character_in_common(registered, &rec.name) {
            return None;
        }
        let phone = rec.phone.as_ref().map_or("", |p| p.as_str());
        Some(CellError::new(
            Field::Name,
            &rec.name,
            t!(
                "records.worker.phone_other_name",
                phone = crate::model::mask_phone(phone),
                registered = registered,
                name = &rec.name
            )
            .into_owned(),
        ))
    }

    /// Logs one change of worker `id`: held with the others of an import, else written now.
    fn log(
        &mut self,
        id: i64,
        field: &'static str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> rusqlite::Result<()> {
        match &mut self.changes {
            Some(held) => held.push(self.conn, "worker", id, field, old, new),
            None => crate::db::changes::log(
                self.conn,
                "worker",
                &id.to_string(),
                field,
                old,
                new,
                &self.origin.command,
                self.origin.batch,
            ),
        }
    }

    /// Writes the changes held so far to the change log. Called before anything else writes
    /// or reads it, before a savepoint, and by [`Store::finish`].
    ///
    /// Errors: the database failed.
    pub fn flush_changes(&mut self) -> rusqlite::Result<()> {
        match &mut self.changes {
            Some(held) => held.flush(self.conn),
            None => Ok(()),
        }
    }

    /// Adds a new worker with the columns `new` (and its membership, when the record gave
    /// one), logs it and indexes it. Returns its row id.
    fn insert(&mut self, new: &Stored, with_membership: bool) -> rusqlite::Result<i64> {
        // A plain INSERT (no RETURNING): SQLite then skips the foreign-key scan of the child
        // tables that a multi-write statement into a parent table costs.
        self.conn
            .prepare_cached(
                "INSERT INTO workers (name, gender, id_number, phone, political_status, occupation,
                     enterprise_id, station_id, street_id, community_id, joined_on, left_on, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                new.name,
                new.gender,
                new.id_number,
                new.phone,
                new.political_status,
                new.occupation,
                new.enterprise_id,
                new.station_id,
                new.street_id,
                new.community_id,
                new.joined_on,
                new.left_on,
                new.note,
            ])?;
        let id = self.conn.last_insert_rowid();
        if with_membership {
            store_membership(self.conn, id, new.org_id, new.home_org.as_deref())?;
        }
        self.log(id, "*", None, Some(&new.name))?;
        self.index.insert(id, entry_of(new));
        Ok(id)
    }

    /// Updates worker `id` with what a record `given` (a blank cell keeps what is stored),
    /// logging every change and noting a rename. `with_membership`: the record gave a
    /// membership (else the stored one stays).
    fn update(
        &mut self,
        id: i64,
        rec: &WorkerRecord,
        given: Stored,
        with_membership: bool,
        line: u64,
    ) -> rusqlite::Result<Outcome> {
        let old = stored(self.conn, id)?;
        let new = Stored {
            name: given.name,
            gender: given.gender.or(old.gender.clone()),
            id_number: given.id_number.or(old.id_number.clone()),
            phone: given.phone.or(old.phone.clone()),
            political_status: given.political_status.or(old.political_status.clone()),
            occupation: given.occupation,
            enterprise_id: given.enterprise_id.or(old.enterprise_id),
            // A worker who moves street leaves the old street's station behind too.
            station_id: if self.clear_station {
                None
            } else {
                given
                    .station_id
                    .or(old.station_id.filter(|_| given.street_id == old.street_id))
            },
            street_id: given.street_id,
            // A worker who moves street leaves the old street's community behind.
            community_id: given.community_id.or(if given.street_id == old.street_id {
                old.community_id
            } else {
                None
            }),
            joined_on: given.joined_on.or(old.joined_on.clone()),
            left_on: given.left_on.or(old.left_on.clone()),
            note: given.note.or(old.note.clone()),
            org_id: if with_membership {
                given.org_id
            } else {
                old.org_id
            },
            home_org: if with_membership {
                given.home_org
            } else {
                old.home_org.clone()
            },
        };
        if new.name != old.name {
            let (old_name, new_name) = (&old.name, &new.name);
            self.notes.push((
                line,
                match (rec.id_number.is_some(), self.dry_run) {
                    (true, false) => t!(
                        "records.worker.renamed_id_number",
                        old = old_name,
                        new = new_name
                    ),
                    (true, true) => t!(
                        "records.worker.would_rename_id_number",
                        old = old_name,
                        new = new_name
                    ),
                    (false, false) => t!(
                        "records.worker.renamed_phone",
                        old = old_name,
                        new = new_name
                    ),
                    (false, true) => t!(
                        "records.worker.would_rename_phone",
                        old = old_name,
                        new = new_name
                    ),
                }
                .into_owned(),
            ));
        }
        if let (None, Some(station)) = (new.station_id, old.station_id)
            && !self.clear_station
        {
            let note = super::street::station_left_behind(self.conn, station, new.street_id)?;
            self.notes.push((line, note));
        }
        if new == old {
            return Ok(Outcome::Unchanged);
        }
        for (field, before, after) in differences(self.conn, &old, &new)? {
            self.log(id, field, before.as_deref(), after.as_deref())?;
        }
        super::numbers::replaced(
            self.conn,
            &mut self.index,
            id,
            (old.id_number.as_deref(), old.phone.as_deref()),
            (new.id_number.as_deref(), new.phone.as_deref()),
        )?;
        if (new.org_id, &new.home_org) != (old.org_id, &old.home_org) {
            store_membership(self.conn, id, new.org_id, new.home_org.as_deref())?;
        }
        self.conn
            .prepare_cached(
                "UPDATE workers SET name = ?1, gender = ?2, id_number = ?3, phone = ?4,
                     political_status = ?5, occupation = ?6, enterprise_id = ?7, station_id = ?8,
                     street_id = ?9, community_id = ?10, joined_on = ?11, left_on = ?12, note = ?13
                 WHERE id = ?14",
            )?
            .execute(params![
                new.name,
                new.gender,
                new.id_number,
                new.phone,
                new.political_status,
                new.occupation,
                new.enterprise_id,
                new.station_id,
                new.street_id,
                new.community_id,
                new.joined_on,
                new.left_on,
                new.note,
                id
            ])?;
        self.index.insert(id, entry_of(&new));
        Ok(Outcome::Updated)
    }
}

/// What the index keeps of a worker with the stored columns `s`.
fn entry_of(s: &Stored) -> WorkerEntry {
    WorkerEntry {
        name: s.name.clone(),
        id_number: s.id_number.clone(),
        phone: s.phone.clone(),
        street_id: s.street_id,
        community_id: s.community_id,
        left_on: s
            .left_on
            .as_deref()
            .and_then(crate::model::period::stored_day),
        joined_on: s
            .joined_on
            .as_deref()
            .and_then(crate::model::period::stored_day),
    }
}

impl Store<WorkerRecord> for WorkerLoader<'_> {
    fn store(&mut self, item: &WorkerRecord, line: u64) -> Result<Outcome, StoreError> {
        self.load(item, line)
    }

    fn notes(&self) -> &[(u64, String)] {
        &self.notes
    }

    fn finish(&mut self) -> Result<()> {
        Ok(self.flush_changes()?)
    }
}

/// True when two 姓名 share no character (after [`normalize::name`](crate::model::normalize::name),
/// spaces and the middle dot `·` of transliterated names aside): `唐亮` and `新人丙` do not,
/// `张伟` and `张玮` do. The rule that tells a rename (a character corrected, a name completed)
/// from another person given a recycled 手机号.
pub fn no_character_in_common(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> Vec<char> {
        crate::model::normalize::name(s)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '.'))
            .collect()
    };
    let a = letters(a);
    !letters(b).iter().any(|c| a.contains(c))
}

/// The core of a party organization's name, the same however it is written:
/// `中共柳巷街道快递物流联合支部委员会` and `柳巷街道快递物流联合党支部` → `柳巷街道快递物流联合支部`.
pub fn org_core(name: &str) -> String {
    let n = name.trim();
    let n = n
        .strip_prefix("中国共产党")
        .or_else(|| n.strip_prefix("中共"))
        .unwrap_or(n);
    let n = n
        .strip_suffix("委员会")
        .or_else(|| n.strip_suffix("党委"))
        .unwrap_or(n);
    n.replace("党支部", "支部").replace("党总支", "总支")
}

#[cfg(test)]
mod tests {
    use super::no_character_in_common;

    #[test]
    fn names_sharing_no_character_are_told_apart() {
        assert!(no_character_in_common("唐亮", "新人丙"));
        assert!(!no_character_in_common("张伟", "张玮"));
        assert!(!no_character_in_common("王强", "汪强"));
        assert!(!no_character_in_common("刘　超", "刘超"));
        assert!(no_character_in_common("阿依·买买提", "李娜"));
    }
}
