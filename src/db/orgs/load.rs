//! Loading party-organization records (`import orgs`, `org add`): an organization is its name;
//! a blank cell keeps what is stored; the stations a record lists are covered (see
//! `cover.rs`), and every field changed goes to the change log (entity `org`).

use rust_i18n::t;
use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::cover::log;
use super::{CoverError, Covered, apply_cover, org_id, plan_cover, suggestion};
use crate::db::LookupError;
use crate::db::changes::Origin;
use crate::db::places::Places;
use crate::db::stations::find_station;
use crate::model::sink::Stored as StoredResult;
use crate::model::{
    CellError, Field, OrgRecord, Outcome, Store, StoreError, Vocabulary, row_outcome,
};

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
                            t!("records.org.parent_unknown").into_owned()
                        } else {
                            t!("records.org.parent_unknown_hint", hint = hint).into_owned()
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
                                t!(
                                    "records.org.parent_cycle",
                                    name = rec.name,
                                    chain = chain.join(" → ")
                                )
                                .into_owned(),
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
            .and_then(crate::model::period::stored_day);
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
                            // Why a register row's station cannot move on the row's day, and
                            // what to do instead.
                            Some(_) => {
                                t!("records.org.register_dates", problem = r.problem).into_owned()
                            }
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
            if !matches!(plan.effect, Covered::Already { .. }) {
                // An organization with no 成立日期 says nothing of when its coverage began: the
                // reports count it in every period (org_coverage.undated).
                self.conn.execute(
                    "UPDATE org_coverage SET undated = ?3
                     WHERE org_id = ?1 AND station_id = ?2 AND until_on IS NULL",
                    params![id, station, checked.founded.is_none()],
                )?;
            }
            match &plan.effect {
                Covered::Already { .. } => {}
                effect => {
                    if outcome == Outcome::Unchanged {
                        outcome = Outcome::Updated;
                    }
                    if let Covered::StartCorrected { before } = effect {
                        self.notes.push((
                            line,
                            t!(
                                "records.org.start_corrected",
                                station = plan.station_name,
                                org = rec.name,
                                from = plan.from,
                                before = before
                            )
                            .into_owned(),
                        ));
                    }
                    if let Covered::Moved { from } | Covered::Replaced { from } = effect {
                        self.notes.push((
                            line,
                            t!(
                                "records.org.moved",
                                station = plan.station_name,
                                other = from,
                                org = rec.name,
                                from = plan.from
                            )
                            .into_owned(),
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
    fn load_all(&mut self, rows: &[(u64, &OrgRecord)]) -> Result<Vec<StoredResult>> {
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
                        t!(
                            "records.org.claimed_twice",
                            other = other,
                            line = rows[*j].0
                        )
                        .into_owned(),
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
                t!("records.org.parent_refused", line = at).into_owned(),
            ));
        }
        if errors.is_empty() {
            return Ok(row_outcome(self.load(rec, line))?.map(|loaded| loaded.outcome));
        }
        // Every problem of the row at once, nothing written.
        if let Err(more) = row_outcome(self.check(rec))? {
            errors.extend(
                more.into_iter()
                    .filter(|e| !(e.field == Field::Parent && parent_refused.is_some())),
            );
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
        t!("records.org.file_cycle", chain = chain.join(" → ")).into_owned()
    } else {
        t!(
            "records.org.file_cycle_above",
            chain = chain[start..].join(" → ")
        )
        .into_owned()
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
