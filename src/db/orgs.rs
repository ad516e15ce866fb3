//! Party organizations (党组织) and the stations they cover (组织覆盖): the organization upsert
//! (an organization is its name), dated coverage — a station is covered by at most one
//! organization at a time, and a move ends the old coverage the day before the new one
//! begins — and the queries of `org list` and `org show`.
//!
//! Coverage rows are never deleted: `org_coverage` is the history of which organization
//! covered a station on which day. (A move dated the very day the current coverage began gives
//! that row to the new organization: no day of the old coverage would remain.) Every
//! organization added, every field changed and every coverage begun, ended or replaced is
//! written to the change log (entity `org`).

use super::LookupError;
use super::Reader;
use super::places::{Places, nearest};
use super::stations::find_station;
use super::workers::Origin;
use crate::model::sink::Stored as StoredResult;
use crate::model::{CellError, Field, OrgRecord, Outcome, Store, StoreError, Vocabulary};
use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet};

/// The organization covering a station now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// `org_coverage` row id.
    pub id: i64,
    /// Organization row id.
    pub org: i64,
    /// Organization name.
    pub org_name: String,
    /// First day covered, `YYYY-MM-DD`.
    pub from_on: String,
}

/// The organization covering `station` now (the coverage without a last day), if any.
pub fn current_coverage(conn: &Connection, station: i64) -> rusqlite::Result<Option<Coverage>> {
    conn.prepare_cached(
        "SELECT c.id, c.org_id, o.name, c.from_on FROM org_coverage c
         JOIN party_orgs o ON o.id = c.org_id
         WHERE c.station_id = ?1 AND c.until_on IS NULL",
    )?
    .query_row([station], |r| {
        Ok(Coverage {
            id: r.get(0)?,
            org: r.get(1)?,
            org_name: r.get(2)?,
            from_on: r.get(3)?,
        })
    })
    .optional()
}

/// What covering a station did (or, planned, will do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covered {
    /// The station was not covered; it is covered from the day given.
    New,
    /// The organization covers it already, since that day: nothing changes.
    Already {
        /// First day of the current coverage.
        since: String,
    },
    /// Another organization covered it; that coverage ends the day before.
    Moved {
        /// The organization that covered it.
        from: String,
    },
    /// Another organization's coverage began on the very day given: no day of it would remain,
    /// so it is replaced (a correction, not a move).
    Replaced {
        /// The organization whose coverage is replaced.
        from: String,
    },
    /// The organization covers it already, from a later day: the first day is corrected to
    /// the earlier one given (nothing else covered the station then).
    StartCorrected {
        /// The first day before the correction.
        before: String,
    },
}

/// A checked coverage change, ready to be written by [`apply_cover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverPlan {
    /// Station row id.
    pub station: i64,
    /// Station name.
    pub station_name: String,
    /// First day covered.
    pub from: NaiveDate,
    /// The current coverage by another organization (ended or replaced by the plan).
    current: Option<Coverage>,
    /// What the plan does.
    pub effect: Covered,
}

/// Why a coverage was refused: the problem, and the first day `org cover --date` could give
/// instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverRefused {
    /// What is wrong, as a sentence.
    pub problem: String,
    /// How a typed date would be accepted (`date it 2025-07-16 or later`), if one would.
    pub fix: Option<String>,
}

impl std::fmt::Display for CoverRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fix {
            Some(fix) => write!(f, "{} — {fix}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

/// Why [`plan_cover`] gave no plan: the coverage is refused, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    /// The coverage asked cannot be: why, and what would be accepted.
    #[error("{0}")]
    Refused(CoverRefused),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] rusqlite::Error),
}

impl From<CoverRefused> for CoverError {
    fn from(r: CoverRefused) -> Self {
        Self::Refused(r)
    }
}

/// Checks that organization `org` (`None`: one about to be added, founded on `founded`) may
/// cover `station` from `from`, without writing.
///
/// Errors ([`CoverError::Refused`]): a day before the organization was founded; a day before
/// the current coverage by another organization began; a day inside an earlier, ended
/// coverage. [`CoverError::Db`]: the database failed.
pub fn plan_cover(
    conn: &Connection,
    org: Option<i64>,
    founded: Option<NaiveDate>,
    station: i64,
    from: NaiveDate,
) -> Result<CoverPlan, CoverError> {
    let station_name: String =
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [station], |r| {
            r.get(0)
        })?;
    let current = current_coverage(conn, station)?;
    let plan = |current: Option<Coverage>, effect| CoverPlan {
        station,
        station_name: station_name.clone(),
        from,
        current,
        effect,
    };
    if let Some(c) = &current
        && Some(c.org) == org
        && from.to_string() >= c.from_on
    {
        return Ok(plan(
            None,
            Covered::Already {
                since: c.from_on.clone(),
            },
        ));
    }
    if let Some(f) = founded
        && from < f
    {
        return Err(CoverError::Refused(CoverRefused {
            problem: format!(
                "coverage from {from} would begin before the organization was founded ({f})"
            ),
            fix: None,
        }));
    }
    let day = from.to_string();
    if let Some(c) = &current
        && day < c.from_on
        && Some(c.org) != org
    {
        return Err(CoverError::Refused(CoverRefused {
            problem: format!(
                "covered by {} since {}; a move dated {day} would come before that",
                c.org_name, c.from_on
            ),
            fix: Some(format!("date it {} or later", c.from_on)),
        }));
    }
    let ended: Option<(String, String)> = conn
        .query_row(
            "SELECT o.name, c.until_on FROM org_coverage c JOIN party_orgs o ON o.id = c.org_id
             WHERE c.station_id = ?1 AND c.until_on >= ?2 ORDER BY c.until_on DESC LIMIT 1",
            params![station, day],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((name, until)) = ended {
        return Err(CoverError::Refused(CoverRefused {
            problem: format!(
                "was covered by {name} until {until}; coverage from {day} would overlap it"
            ),
            fix: Some(format!("date it after {until}")),
        }));
    }
    match current {
        None => Ok(plan(None, Covered::New)),
        Some(c) if Some(c.org) == org => {
            let before = c.from_on.clone();
            Ok(plan(Some(c), Covered::StartCorrected { before }))
        }
        Some(c) if day == c.from_on => {
            let from = c.org_name.clone();
            Ok(plan(Some(c), Covered::Replaced { from }))
        }
        Some(c) => {
            let from = c.org_name.clone();
            Ok(plan(Some(c), Covered::Moved { from }))
        }
    }
}

/// `美团柳巷站 from 2025-07-01`: a coverage as the change log records it.
fn span(station: &str, from: &str, until: Option<&str>) -> String {
    match until {
        Some(u) => format!("{station} from {from} until {u}"),
        None => format!("{station} from {from}"),
    }
}

fn log(
    conn: &Connection,
    origin: &Origin,
    org: i64,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> rusqlite::Result<()> {
    super::changes::log(
        conn,
        "org",
        &org.to_string(),
        field,
        old,
        new,
        &origin.command,
        origin.batch,
    )
}

/// Writes a plan of [`plan_cover`] for organization `org`: ends (or replaces) the other
/// organization's coverage and begins this one's, each logged under its organization.
pub fn apply_cover(
    conn: &Connection,
    org: i64,
    plan: &CoverPlan,
    origin: &Origin,
) -> rusqlite::Result<()> {
    let day = plan.from.to_string();
    let name = plan.station_name.as_str();
    match (&plan.effect, &plan.current) {
        (Covered::Already { .. }, _) => return Ok(()),
        (Covered::StartCorrected { before }, Some(c)) => {
            conn.execute(
                "UPDATE org_coverage SET from_on = ?1 WHERE id = ?2",
                params![day, c.id],
            )?;
            return log(
                conn,
                origin,
                org,
                "cover",
                Some(&span(name, before, None)),
                Some(&span(name, &day, None)),
            );
        }
        (Covered::Replaced { .. }, Some(c)) => {
            conn.execute(
                "UPDATE org_coverage SET org_id = ?1 WHERE id = ?2",
                params![org, c.id],
            )?;
            log(
                conn,
                origin,
                c.org,
                "cover",
                Some(&span(name, &c.from_on, None)),
                None,
            )?;
            log(
                conn,
                origin,
                org,
                "cover",
                None,
                Some(&span(name, &day, None)),
            )?;
            return Ok(());
        }
        (Covered::Moved { .. }, Some(c)) => {
            let last = plan
                .from
                .pred_opt()
                .expect("a day after another has a day before it")
                .to_string();
            conn.execute(
                "UPDATE org_coverage SET until_on = ?1 WHERE id = ?2",
                params![last, c.id],
            )?;
            log(
                conn,
                origin,
                c.org,
                "cover",
                Some(&span(name, &c.from_on, None)),
                Some(&span(name, &c.from_on, Some(&last))),
            )?;
        }
        _ => {}
    }
    conn.execute(
        "INSERT INTO org_coverage (org_id, station_id, from_on) VALUES (?1, ?2, ?3)",
        params![org, plan.station, day],
    )?;
    log(
        conn,
        origin,
        org,
        "cover",
        None,
        Some(&span(name, &day, None)),
    )
}

/// Makes organization `org` cover `station` from `from`: a coverage by another organization
/// ends the day before (or is replaced when it began that very day); covering by the same
/// organization again changes nothing. Returns what was done.
///
/// Errors: as [`plan_cover`].
pub fn cover(
    conn: &Connection,
    org: i64,
    station: i64,
    from: NaiveDate,
    origin: &Origin,
) -> Result<Covered> {
    let founded = org_founded(conn, org)?;
    let plan = match plan_cover(conn, Some(org), founded, station, from) {
        Ok(plan) => plan,
        Err(CoverError::Refused(r)) => bail!("{r}"),
        Err(CoverError::Db(e)) => return Err(e.into()),
    };
    apply_cover(conn, org, &plan, origin)?;
    Ok(plan.effect)
}

/// Ends the current coverage of `station`: `last_day` is the last day covered. Returns the
/// organization that covered it and the first day of that coverage.
///
/// Errors: the station is not covered now; `last_day` before the coverage began.
pub fn uncover(
    conn: &Connection,
    station: i64,
    last_day: NaiveDate,
    origin: &Origin,
) -> Result<(String, String)> {
    let name: String =
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [station], |r| {
            r.get(0)
        })?;
    let Some(c) = current_coverage(conn, station)? else {
        bail!("{name} is not covered by a party organization now — nothing to end");
    };
    let last = last_day.to_string();
    if last < c.from_on {
        bail!(
            "{name} is covered by {} only since {}; the last day covered cannot be before that",
            c.org_name,
            c.from_on
        );
    }
    conn.execute(
        "UPDATE org_coverage SET until_on = ?1 WHERE id = ?2",
        params![last, c.id],
    )?;
    log(
        conn,
        origin,
        c.org,
        "cover",
        Some(&span(&name, &c.from_on, None)),
        Some(&span(&name, &c.from_on, Some(&last))),
    )?;
    Ok((c.org_name, c.from_on))
}

/// The 成立日期 of organization `org`, if registered.
pub fn org_founded(conn: &Connection, org: i64) -> Result<Option<NaiveDate>> {
    let f: Option<String> = conn.query_row(
        "SELECT founded_on FROM party_orgs WHERE id = ?1",
        [org],
        |r| r.get(0),
    )?;
    Ok(f.and_then(|f| NaiveDate::parse_from_str(&f, "%Y-%m-%d").ok()))
}

/// The street row id of organization `org` (`None` when it has none).
pub fn org_street(conn: &Connection, org: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT street_id FROM party_orgs WHERE id = ?1",
        [org],
        |r| r.get(0),
    )?)
}

/// The organization called exactly `name`, if registered.
pub fn org_id(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM party_orgs WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()
}

/// ` — did you mean X?` for a name that is not registered, or empty.
///
/// Errors: the database failed.
fn suggestion(conn: &Connection, name: &str, also: &[String]) -> rusqlite::Result<String> {
    let mut names: Vec<String> = conn
        .prepare_cached("SELECT name FROM party_orgs ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.extend(also.iter().cloned());
    Ok(nearest(name, names.iter().map(String::as_str))
        .map(|n| format!(" — did you mean {n}?"))
        .unwrap_or_default())
}

/// Finds an organization by its name as typed (exact, after the usual clean-up of spaces).
/// Returns the id and the registered name.
///
/// Errors: no such organization, with the nearest name when one is close; the database failed.
pub fn find_org(db: &impl Reader, typed: &str) -> Result<(i64, String)> {
    let conn = db.conn().0;
    let name = crate::model::normalize::name(typed);
    match org_id(conn, &name)? {
        Some(id) => Ok((id, name)),
        None => {
            let hint = suggestion(conn, &name, &[])?;
            if hint.is_empty() {
                bail!("no party organization is called {name} — see `nuanfeng org list`")
            }
            bail!("no party organization is called {name}{hint}")
        }
    }
}

/// Why a register row's station cannot move on the row's day, and what to do instead.
const REGISTER_DATES: &str = "(a row covers its stations from its 成立日期, else from the day it is \
     loaded) — leave the station off this list, or move it with `nuanfeng org cover ORG STATION \
     --date D`";

/// The stored columns of an organization, as compared on re-import and logged on change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    kind: String,
    parent_id: Option<i64>,
    street_id: Option<i64>,
    founded_on: Option<String>,
    secretary: Option<String>,
}

/// A record checked against the registry: everything found, nothing written yet.
struct Checked {
    existing: Option<(i64, Stored)>,
    new: Stored,
    founded: Option<NaiveDate>,
    stations: Vec<(i64, String)>,
    cover_from: NaiveDate,
}

/// What loading one organization record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// New, updated (a field or a coverage changed) or unchanged.
    pub outcome: Outcome,
    /// The organization's row id.
    pub id: i64,
    /// Each station listed, with the first day of coverage asked and what was done.
    pub covered: Vec<(String, NaiveDate, Covered)>,
}

/// Loads party-organization records (an organization is its name). A blank cell keeps what
/// is stored; the stations listed are covered from the record's 成立日期, else from `today`
/// (a station covered by another organization moves). Every change goes to the change log.
pub struct OrgLoader<'c> {
    conn: &'c Connection,
    places: Places,
    origin: Origin,
    today: NaiveDate,
    /// Stations that moved from another organization, by file line, for the import to print.
    pub notes: Vec<(u64, String)>,
    /// The organizations a file being loaded names, for suggestions.
    file_names: Vec<String>,
}

impl<'c> OrgLoader<'c> {
    /// Prepares to load into `conn` (inside the import's or the command's transaction);
    /// `origin` names the command and import batch for the change log; `today` is the first
    /// day of coverage when a record gives no 成立日期.
    pub fn new(conn: &'c Connection, origin: Origin, today: NaiveDate) -> Result<Self> {
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            origin,
            today,
            notes: Vec::new(),
            file_names: Vec::new(),
        })
    }

    fn stored(&self, id: i64) -> rusqlite::Result<Stored> {
        self.conn.query_row(
            "SELECT kind, parent_id, street_id, founded_on, secretary FROM party_orgs WHERE id = ?1",
            [id],
            |r| {
                Ok(Stored {
                    kind: r.get(0)?,
                    parent_id: r.get(1)?,
                    street_id: r.get(2)?,
                    founded_on: r.get(3)?,
                    secretary: r.get(4)?,
                })
            },
        )
    }

    /// The chain of names from `parent` up, stopping at `org` (a cycle) or the top.
    fn ancestors(&self, parent: i64, org: i64) -> rusqlite::Result<(bool, Vec<String>)> {
        let mut names = Vec::new();
        let mut seen = HashSet::new();
        let mut at = Some(parent);
        while let Some(id) = at {
            if !seen.insert(id) {
                break;
            }
            let (name, up): (String, Option<i64>) = self.conn.query_row(
                "SELECT name, parent_id FROM party_orgs WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            names.push(name);
            if id == org {
                return Ok((true, names));
            }
            at = up;
        }
        Ok((false, names))
    }

    /// Checks a record against the registry without writing: street, 上级党组织 (registered,
    /// no cycle), stations (registered) and their coverage (see [`plan_cover`]).
    fn check(&mut self, rec: &OrgRecord) -> Result<Checked, StoreError> {
        let mut errors = Vec::new();
        let street = match &rec.street {
            Some(s) => match self.places.street_cached(s) {
                Ok(id) => Some(id),
                Err(p) => {
                    errors.push(CellError::new(Field::Street, s, p));
                    None
                }
            },
            None => None,
        };
        let existing = match org_id(self.conn, &rec.name)? {
            Some(id) => Some((id, self.stored(id)?)),
            None => None,
        };
        let parent = match &rec.parent {
            None => None,
            Some(p) => match org_id(self.conn, p)? {
                None => {
                    let hint = suggestion(self.conn, p, &self.file_names)?;
                    errors.push(CellError::new(
                        Field::Parent,
                        p,
                        if hint.is_empty() {
                            "not a registered party organization — register it first, or list it in \
                             the same file"
                                .to_string()
                        } else {
                            format!("not a registered party organization{hint}")
                        },
                    ));
                    None
                }
                Some(pid) => {
                    if let Some((id, _)) = &existing {
                        let (cycle, chain) = self.ancestors(pid, *id)?;
                        if cycle {
                            errors.push(CellError::new(
                                Field::Parent,
                                p,
                                format!(
                                    "would make a cycle: {} → {} — an organization cannot be under its own \
                                     sub-organization",
                                    rec.name,
                                    chain.join(" → ")
                                ),
                            ));
                        }
                    }
                    Some(pid)
                }
            },
        };
        let old = existing.as_ref().map(|(_, s)| s);
        let new = Stored {
            kind: rec.kind.code().to_string(),
            parent_id: parent.or(old.and_then(|o| o.parent_id)),
            street_id: street.or(old.and_then(|o| o.street_id)),
            founded_on: rec
                .founded_on
                .map(|d| d.to_string())
                .or(old.and_then(|o| o.founded_on.clone())),
            secretary: rec
                .secretary
                .clone()
                .or(old.and_then(|o| o.secretary.clone())),
        };
        let founded = new
            .founded_on
            .as_deref()
            .and_then(|f| NaiveDate::parse_from_str(f, "%Y-%m-%d").ok());
        let mut stations: Vec<(i64, String)> = Vec::new();
        for name in &rec.stations {
            match find_station(self.conn, name, new.street_id) {
                Ok(id) if stations.iter().any(|(s, _)| *s == id) => {}
                Ok(id) => stations.push((id, name.clone())),
                Err(LookupError::Problem(p)) => {
                    errors.push(CellError::new(Field::CoveredStations, name, p));
                }
                Err(LookupError::Db(e)) => return Err(e.into()),
            }
        }
        let cover_from = rec.founded_on.unwrap_or(self.today);
        if errors.is_empty() {
            let org = existing.as_ref().map(|(id, _)| *id);
            for (station, name) in &stations {
                match plan_cover(self.conn, org, founded, *station, cover_from) {
                    Ok(_) => {}
                    Err(CoverError::Refused(r)) => {
                        // A register gives no day per station: the fix is not a date.
                        let problem = match r.fix {
                            Some(_) => format!("{} {REGISTER_DATES}", r.problem),
                            None => r.problem,
                        };
                        errors.push(CellError::new(Field::CoveredStations, name, problem));
                    }
                    Err(CoverError::Db(e)) => return Err(e.into()),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(Checked {
            existing,
            new,
            founded,
            stations,
            cover_from,
        })
    }

    fn log_changes(&self, id: i64, old: &Stored, new: &Stored) -> rusqlite::Result<()> {
        let org_name = |id: Option<i64>| -> rusqlite::Result<Option<String>> {
            match id {
                None => Ok(None),
                Some(i) => self
                    .conn
                    .query_row("SELECT name FROM party_orgs WHERE id = ?1", [i], |r| {
                        r.get(0)
                    })
                    .optional(),
            }
        };
        let street_name = |id: Option<i64>| id.map(|s| self.places.street_name(s).to_string());
        let fields: [(&str, Option<String>, Option<String>); 5] = [
            ("kind", Some(old.kind.clone()), Some(new.kind.clone())),
            ("parent", org_name(old.parent_id)?, org_name(new.parent_id)?),
            (
                "street",
                street_name(old.street_id),
                street_name(new.street_id),
            ),
            ("founded_on", old.founded_on.clone(), new.founded_on.clone()),
            ("secretary", old.secretary.clone(), new.secretary.clone()),
        ];
        for (field, before, after) in fields {
            if before != after {
                log(
                    self.conn,
                    &self.origin,
                    id,
                    field,
                    before.as_deref(),
                    after.as_deref(),
                )?;
            }
        }
        Ok(())
    }

    /// Loads one record: a new organization, or the changed fields of a registered one, then
    /// the coverage of the stations it lists. `line` is the file line (0 when typed), for
    /// [`notes`](Self::notes).
    ///
    /// Errors: unknown street, 上级党组织 or station; a 上级党组织 that would make a cycle; a
    /// coverage [`plan_cover`] refuses (row problems, nothing written); the database failed.
    pub fn load(&mut self, rec: &OrgRecord, line: u64) -> Result<Loaded, StoreError> {
        let checked = self.check(rec)?;
        let n = &checked.new;
        let (mut outcome, id) = match &checked.existing {
            None => {
                self.conn
                    .execute(
                        "INSERT INTO party_orgs (name, kind, parent_id, street_id, founded_on, secretary, batch_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![
                            rec.name,
                            n.kind,
                            n.parent_id,
                            n.street_id,
                            n.founded_on,
                            n.secretary,
                            self.origin.batch
                        ],
                    )?;
                let id = self.conn.last_insert_rowid();
                log(self.conn, &self.origin, id, "*", None, Some(&rec.name))?;
                (Outcome::New, id)
            }
            Some((id, old)) if old == n => (Outcome::Unchanged, *id),
            Some((id, old)) => {
                self.log_changes(*id, old, n)?;
                self.conn.execute(
                    "UPDATE party_orgs SET kind = ?1, parent_id = ?2, street_id = ?3,
                             founded_on = ?4, secretary = ?5 WHERE id = ?6",
                    params![
                        n.kind,
                        n.parent_id,
                        n.street_id,
                        n.founded_on,
                        n.secretary,
                        id
                    ],
                )?;
                (Outcome::Updated, *id)
            }
        };
        let mut covered = Vec::new();
        for (station, _) in &checked.stations {
            // Planned again: an earlier station of the same record cannot change this one's
            // coverage, but the organization now has an id to compare with.
            let plan = plan_cover(
                self.conn,
                Some(id),
                checked.founded,
                *station,
                checked.cover_from,
            )
            .map_err(|e| match e {
                CoverError::Refused(r) => {
                    StoreError::row(Field::CoveredStations, "", r.to_string())
                }
                CoverError::Db(e) => e.into(),
            })?;
            apply_cover(self.conn, id, &plan, &self.origin)?;
            match &plan.effect {
                Covered::Already { .. } => {}
                effect => {
                    if outcome == Outcome::Unchanged {
                        outcome = Outcome::Updated;
                    }
                    if let Covered::StartCorrected { before } = effect {
                        self.notes.push((
                            line,
                            format!(
                                "{}: covered by {} from {} (was {before})",
                                plan.station_name, rec.name, plan.from
                            ),
                        ));
                    }
                    if let Covered::Moved { from } | Covered::Replaced { from } = effect {
                        self.notes.push((
                            line,
                            format!(
                                "{}: moved from {from} to {} on {}",
                                plan.station_name, rec.name, plan.from
                            ),
                        ));
                    }
                }
            }
            covered.push((plan.station_name.clone(), plan.from, plan.effect.clone()));
        }
        Ok(Loaded {
            outcome,
            id,
            covered,
        })
    }

    /// Loads the records of one file, given with their file lines, in any order: an
    /// organization is loaded after the 上级党组织 it names when that is in the file too.
    /// Returns, for each record by its index in `rows`, what loading it did (row problems as
    /// such), in the order given.
    ///
    /// Row problems, besides those of [`load`](Self::load): a station listed by two
    /// organizations of the file (the later row is refused, naming the earlier line); a
    /// 上级党组织 whose own row was refused; 上级党组织 that name each other round in a cycle.
    ///
    /// Errors: the database failed.
    pub fn load_all(&mut self, rows: &[(u64, &OrgRecord)]) -> Result<Vec<StoredResult>> {
        self.file_names = rows.iter().map(|(_, r)| r.name.clone()).collect();
        let mut early = self.listed_twice(rows)?;
        let mut results: Vec<Option<Result<Outcome, Vec<CellError>>>> = vec![None; rows.len()];
        // Rows naming a 上级党组织 of the file wait until that organization's rows are done.
        let mut rows_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, (_, rec)) in rows.iter().enumerate() {
            rows_of.entry(rec.name.as_str()).or_default().push(i);
        }
        let mut pending: Vec<usize> = by_line(rows);
        loop {
            let ready: Vec<usize> = pending
                .iter()
                .copied()
                .filter(|&i| match &rows[i].1.parent {
                    None => true,
                    Some(p) => rows_of
                        .get(p.as_str())
                        .is_none_or(|of| of.iter().all(|&j| j == i || results[j].is_some())),
                })
                .collect();
            if ready.is_empty() {
                break;
            }
            pending.retain(|i| !ready.contains(i));
            for i in ready {
                let errors = std::mem::take(&mut early[i]);
                let result = self.load_ready(rows, i, &rows_of, &results, errors)?;
                results[i] = Some(result);
            }
        }
        // What is left names its 上级党组织 round in a cycle within the file.
        for &i in &pending {
            let mut errors = std::mem::take(&mut early[i]);
            errors.push(cycle_problem(rows, &rows_of, i));
            results[i] = Some(Err(errors));
        }
        Ok(results
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i, r.expect("every row has a result")))
            .collect())
    }

    /// The problems of rows listing a station that an earlier row of the file lists under
    /// another organization (a station is covered by one at a time), by row index.
    ///
    /// Errors: the database failed.
    fn listed_twice(&mut self, rows: &[(u64, &OrgRecord)]) -> Result<Vec<Vec<CellError>>> {
        let mut early: Vec<Vec<CellError>> = vec![Vec::new(); rows.len()];
        let mut claimed: HashMap<i64, (usize, &str)> = HashMap::new();
        for i in by_line(rows) {
            let rec = rows[i].1;
            let street = match rec
                .street
                .as_ref()
                .and_then(|s| self.places.street_cached(s).ok())
            {
                Some(s) => Some(s),
                None => match org_id(self.conn, &rec.name)? {
                    Some(id) => self.stored(id)?.street_id,
                    None => None,
                },
            };
            for name in &rec.stations {
                let station = match find_station(self.conn, name, street) {
                    Ok(s) => s,
                    Err(LookupError::Problem(_)) => continue,
                    Err(LookupError::Db(e)) => return Err(e.into()),
                };
                match claimed.get(&station) {
                    Some((j, other)) if *other != rec.name => early[i].push(CellError::new(
                        Field::CoveredStations,
                        name,
                        format!(
                            "also covered by {other} on line {} of this file — a station is covered by \
                             one organization at a time; list it under one of them",
                            rows[*j].0
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        claimed.insert(station, (i, rec.name.as_str()));
                    }
                }
            }
        }
        Ok(early)
    }

    /// Loads row `i`, whose 上级党组织 (if in the file) is done: `errors` are its problems
    /// found so far; a 上级党组织 whose own row was refused is one more. A row with problems
    /// is checked for all of them, and nothing of it is written.
    ///
    /// Errors: the database failed.
    fn load_ready(
        &mut self,
        rows: &[(u64, &OrgRecord)],
        i: usize,
        rows_of: &HashMap<&str, Vec<usize>>,
        results: &[Option<Result<Outcome, Vec<CellError>>>],
        mut errors: Vec<CellError>,
    ) -> Result<Result<Outcome, Vec<CellError>>> {
        let (line, rec) = rows[i];
        let mut parent_refused = None;
        if let Some(p) = rec.parent.as_deref()
            && let Some(of) = rows_of.get(p)
            && of.iter().all(|&j| matches!(results[j], Some(Err(_))))
            && org_id(self.conn, p)?.is_none()
        {
            parent_refused = Some(rows[of[0]].0);
        }
        if let (Some(p), Some(at)) = (&rec.parent, parent_refused) {
            errors.push(CellError::new(
                Field::Parent,
                p,
                format!("its row (line {at}) was refused — correct that row first"),
            ));
        }
        if errors.is_empty() {
            return match self.load(rec, line) {
                Ok(loaded) => Ok(Ok(loaded.outcome)),
                Err(StoreError::Row(problems)) => Ok(Err(problems)),
                Err(StoreError::Db(e)) => Err(e),
            };
        }
        // Every problem of the row at once, nothing written.
        match self.check(rec) {
            Ok(_) => {}
            Err(StoreError::Row(more)) => errors.extend(
                more.into_iter()
                    .filter(|e| !(e.field == Field::Parent && parent_refused.is_some())),
            ),
            Err(StoreError::Db(e)) => return Err(e),
        }
        Ok(Err(errors))
    }
}

/// The indexes of `rows` in the order of their file lines.
fn by_line(rows: &[(u64, &OrgRecord)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i].0);
    order
}

/// The problem of row `i`, whose 上级党组织 the organizations of the file name round in a
/// cycle.
fn cycle_problem(
    rows: &[(u64, &OrgRecord)],
    rows_of: &HashMap<&str, Vec<usize>>,
    i: usize,
) -> CellError {
    let rec = rows[i].1;
    let mut chain = vec![rec.name.clone()];
    let mut at = rec.parent.clone();
    while let Some(p) = at {
        let seen = chain.contains(&p);
        chain.push(p.clone());
        if seen {
            break;
        }
        at = rows_of
            .get(p.as_str())
            .and_then(|of| rows[of[0]].1.parent.clone());
    }
    // The chain ends on the name where it comes round: the cycle starts at its first
    // occurrence, with this organization or above it.
    let last = chain
        .last()
        .expect("the chain holds the organization")
        .clone();
    let start = chain.iter().position(|n| *n == last).unwrap_or(0);
    let problem = if start == 0 {
        format!(
            "the organizations of this file name each other as 上级党组织 in a cycle: {}",
            chain.join(" → ")
        )
    } else {
        format!(
            "above it, organizations of this file name each other as 上级党组织 in a \
             cycle: {}",
            chain[start..].join(" → ")
        )
    };
    CellError::new(Field::Parent, rec.parent.as_deref().unwrap_or(""), problem)
}

impl Store<OrgRecord> for OrgLoader<'_> {
    fn store(&mut self, item: &OrgRecord, line: u64) -> std::result::Result<Outcome, StoreError> {
        self.load(item, line).map(|loaded| loaded.outcome)
    }

    /// Every organization waits until the whole file is read: a row may name as its
    /// 上级党组织 an organization listed further down.
    fn waits(&self, _item: &OrgRecord) -> bool {
        true
    }

    fn store_waiting(&mut self, waiting: &[(u64, &OrgRecord)]) -> Result<Vec<StoredResult>> {
        self.load_all(waiting)
    }

    fn notes(&self) -> &[(u64, String)] {
        &self.notes
    }
}

/// A station an organization covers now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoveredStation {
    /// 站点名称.
    pub name: String,
    /// Station kind code (`courier_station` …).
    pub kind: String,
    /// The station's street.
    pub street: String,
    /// First day covered.
    pub from_on: String,
    /// Registered workers of the station who have not left.
    pub workers: i64,
}

/// One organization as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    /// Row id.
    pub id: i64,
    /// 名称.
    pub name: String,
    /// Kind code (`industry_committee` …).
    pub kind: String,
    /// 上级党组织 name.
    pub parent: Option<String>,
    /// 所属街道 name.
    pub street: Option<String>,
    /// 成立日期.
    pub founded_on: Option<String>,
    /// 书记.
    pub secretary: Option<String>,
    /// The stations covered now, by street and name.
    pub stations: Vec<CoveredStation>,
    /// Registered workers who have not left, at the stations covered now (the organization's
    /// own coverage, not its sub-organizations').
    pub workers: i64,
    /// The organizations directly under it, in the order they were registered.
    pub children: Vec<String>,
}

/// Organizations, optionally only those of one street (or only organization `id`), as a
/// tree: each organization followed by those under it, siblings in the order they were
/// registered (a register's own order). In a street's list, an organization whose 上级党组织
/// is not listed stands at the top.
pub fn orgs(db: &impl Reader, street: Option<i64>, id: Option<i64>) -> Result<Vec<OrgRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT o.id, o.name, o.kind, p.name, s.name, o.founded_on, o.secretary, o.parent_id
         FROM party_orgs o
         LEFT JOIN party_orgs p ON p.id = o.parent_id
         LEFT JOIN streets s ON s.id = o.street_id
         WHERE (?1 IS NULL OR o.street_id = ?1) AND (?2 IS NULL OR o.id = ?2)
         ORDER BY o.id",
    )?;
    let mut rows: Vec<(OrgRow, Option<i64>)> = stmt
        .query_map(params![street, id], |r| {
            Ok((
                OrgRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    parent: r.get(3)?,
                    street: r.get(4)?,
                    founded_on: r.get(5)?,
                    secretary: r.get(6)?,
                    stations: Vec::new(),
                    workers: 0,
                    children: Vec::new(),
                },
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut covered = conn.prepare_cached(
        "SELECT st.name, st.kind, s.name, c.from_on,
                (SELECT count(*) FROM workers w WHERE w.station_id = st.id AND w.left_on IS NULL)
         FROM org_coverage c
         JOIN stations st ON st.id = c.station_id
         JOIN streets s ON s.id = st.street_id
         WHERE c.org_id = ?1 AND c.until_on IS NULL
         ORDER BY s.code IS NULL, s.code, s.name, st.name",
    )?;
    let mut children =
        conn.prepare_cached("SELECT name FROM party_orgs WHERE parent_id = ?1 ORDER BY id")?;
    for (o, _) in &mut rows {
        o.stations = covered
            .query_map([o.id], |r| {
                Ok(CoveredStation {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    street: r.get(2)?,
                    from_on: r.get(3)?,
                    workers: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        o.workers = o.stations.iter().map(|s| s.workers).sum();
        o.children = children
            .query_map([o.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    // Depth first from the organizations whose 上级党组织 is not in the list.
    let listed: HashSet<i64> = rows.iter().map(|(o, _)| o.id).collect();
    let mut under: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, (_, parent)) in rows.iter().enumerate() {
        let key = parent.filter(|p| listed.contains(p));
        under.entry(key).or_default().push(i);
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut stack: Vec<usize> = under.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    let mut seen = HashSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        order.push(i);
        if let Some(kids) = under.get(&Some(rows[i].0.id)) {
            stack.extend(kids.iter().rev());
        }
    }
    // A cycle written by another program has no top: list it after the rest.
    order.extend((0..rows.len()).filter(|i| !seen.contains(i)));
    let mut slots: Vec<Option<OrgRow>> = rows.into_iter().map(|(o, _)| Some(o)).collect();
    Ok(order
        .into_iter()
        .map(|i| slots[i].take().expect("each row once"))
        .collect())
}

/// One coverage of a station, current or ended, for `org show` and tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoverageSpan {
    /// 站点名称.
    pub station: String,
    /// First day covered.
    pub from_on: String,
    /// Last day covered; `None` while it still is.
    pub until_on: Option<String>,
}

/// Every coverage of organization `org`, current and ended, by first day and station.
pub fn coverage_history(db: &impl Reader, org: i64) -> Result<Vec<CoverageSpan>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT st.name, c.from_on, c.until_on FROM org_coverage c
         JOIN stations st ON st.id = c.station_id
         WHERE c.org_id = ?1 ORDER BY c.from_on, st.name, c.id",
    )?;
    let rows = stmt
        .query_map([org], |r| {
            Ok(CoverageSpan {
                station: r.get(0)?,
                from_on: r.get(1)?,
                until_on: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
