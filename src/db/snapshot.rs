//! Registers are snapshots (see [`crate::model::absent`]): the stores of `import workers` and
//! `import stations` are the loaders of those kinds, wrapped to remember what each row named,
//! so that after the last row they can say who (which stations) of the streets the file covers
//! is on record but absent from it — and, when asked, record the absent workers as left in the
//! file's own transaction, through [`WorkerLoader::load`] as `worker leave` does, so that every
//! rule of a 离职日期 applies and the change log names the import batch. They also note the
//! workers recorded as left whom a row without a 离职日期 names: such a row keeps the 离职日期
//! (a blank cell never erases), and the import says so rather than leave it unseen.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::stations::StationLoader;
use super::workers::{Scope, WorkerLoader};
use crate::model::{
    Absent, Departed, Missing, Occupation, Outcome, StationRecord, Store, StoreError, Vocabulary,
    WorkerRecord,
};

/// The worker loader of an import, noting the workers its rows named.
pub struct WorkerSnapshot<'c> {
    conn: &'c Connection,
    loader: WorkerLoader<'c>,
    /// Workers a stored row added or matched.
    present: BTreeSet<i64>,
    /// Workers recorded as left whom a stored row without a 离职日期 matched, in row order.
    departed: Vec<i64>,
}

/// A worker as listed (columns id, name, id_number, phone, station name, street name) and
/// the query's seventh column (the 离职日期 or the 从业类型 code).
fn absent_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Absent, String)> {
    Ok((
        Absent {
            id: r.get(0)?,
            name: r.get(1)?,
            id_number: r.get(2)?,
            phone: r.get(3)?,
            station: r.get(4)?,
            street: r.get(5)?,
            workers: None,
        },
        r.get(6)?,
    ))
}

impl<'c> WorkerSnapshot<'c> {
    /// Wraps the loader of one file's batch.
    pub fn new(conn: &'c Connection, loader: WorkerLoader<'c>) -> Self {
        Self {
            conn,
            loader,
            present: BTreeSet::new(),
            departed: Vec::new(),
        }
    }

    /// The workers recorded as left whom rows without a 离职日期 named, as stored now, each
    /// with whether their 姓名 alone names them to `worker rejoin`.
    ///
    /// Errors: the database failed.
    fn departed(&self) -> Result<Vec<Departed>> {
        let mut stmt = self.conn.prepare(
            "SELECT w.id, w.name, w.id_number, w.phone, st.name, s.name, w.left_on
             FROM workers w
             JOIN streets s ON s.id = w.street_id
             LEFT JOIN stations st ON st.id = w.station_id
             WHERE w.id = ?1 AND w.left_on IS NOT NULL",
        )?;
        let mut out = Vec::new();
        for id in &self.departed {
            let found = stmt.query_row([id], absent_row).optional()?;
            if let Some((who, left_on)) = found {
                let by_name = super::workers::find_worker(self.conn, &who.name, Scope::Departed)
                    .is_ok_and(|f| f.id == who.id);
                out.push(Departed {
                    who,
                    left_on,
                    by_name,
                });
            }
        }
        Ok(out)
    }

    /// Gives absent worker `a` the 离职日期 `day` through the loader, as `worker leave` does:
    /// the stored entry with that date (a blank cell keeps what is stored). Returns the
    /// row problems that refused it, joined.
    ///
    /// Errors: the database failed.
    fn mark(&mut self, a: &Absent, occupation: &str, day: NaiveDate) -> Result<Option<String>> {
        let Some(occupation) = Occupation::from_code(occupation) else {
            return Ok(Some(format!("{occupation}?")));
        };
        // As `worker leave` refuses it when the date is typed (a register row's cells are
        // checked against each other before any loader sees them).
        let joined: Option<String> =
            self.conn
                .query_row("SELECT joined_on FROM workers WHERE id = ?1", [a.id], |r| {
                    r.get(0)
                })?;
        if let Some(joined) = joined.filter(|j| *j > day.to_string()) {
            return Ok(Some(
                rust_i18n::t!(
                    "snapshot.workers.before_joined",
                    date = day.to_string(),
                    joined = joined
                )
                .into_owned(),
            ));
        }
        let rec = WorkerRecord {
            name: a.name.clone(),
            gender: None,
            id_number: None,
            phone: None,
            political_status: None,
            occupation,
            enterprise: None,
            station: a.station.clone(),
            street: a.street.clone(),
            community: None,
            joined_on: None,
            left_on: Some(day),
            note: None,
            membership_org: None,
            attached_org: None,
            stage: None,
        };
        let target = self.loader.target.replace(a.id);
        let done = self.loader.load(&rec, 0);
        self.loader.target = target;
        match done {
            Ok(_) => Ok(None),
            Err(StoreError::Row(problems)) => Ok(Some(
                problems
                    .iter()
                    .map(|p| match p.shown.is_empty() {
                        true => p.problem.clone(),
                        false => format!("{}: {}", p.shown, p.problem),
                    })
                    .collect::<Vec<_>>()
                    .join(&rust_i18n::t!("model.list_separator")),
            )),
            Err(StoreError::Db(e)) => Err(e),
        }
    }
}

impl Store<WorkerRecord> for WorkerSnapshot<'_> {
    fn store(&mut self, item: &WorkerRecord, line: u64) -> Result<Outcome, StoreError> {
        let done = self.loader.store(item, line)?;
        if let Some(id) = self.loader.last {
            self.present.insert(id);
            // A row without a 离职日期 keeps the one on record (a blank cell never erases):
            // the worker stays left, which the import must say.
            if item.left_on.is_none()
                && self
                    .loader
                    .index
                    .entry(id)
                    .is_some_and(|e| e.left_on.is_some())
            {
                self.departed.push(id);
            }
        }
        Ok(done)
    }

    fn notes(&self) -> &[(u64, String)] {
        self.loader.notes()
    }

    fn finish(&mut self) -> Result<()> {
        self.loader.finish()
    }

    fn missing(&mut self, left_on: Option<NaiveDate>) -> Result<Option<Missing>> {
        // The index holds every worker as stored now (kept current as rows land): the
        // streets the named workers are in, and the workers of those streets without a
        // 离职日期 whom no row named. Each of those is read as stored, and kept when it is
        // current there: not left, not purged.
        let index = &self.loader.index;
        let streets = street_names(
            self.conn,
            self.present
                .iter()
                .filter_map(|id| index.entry(*id).map(|e| e.street_id))
                .collect(),
        )?;
        let mut unnamed: HashMap<i64, Vec<i64>> =
            streets.iter().map(|(s, _)| (*s, Vec::new())).collect();
        for (id, e) in index.entries() {
            if e.left_on.is_none()
                && !self.present.contains(&id)
                && let Some(ids) = unnamed.get_mut(&e.street_id)
            {
                ids.push(id);
            }
        }
        let mut entry = self.conn.prepare(
            "SELECT w.id, w.name, w.id_number, w.phone, st.name, s.name, w.occupation
             FROM workers w
             JOIN streets s ON s.id = w.street_id
             LEFT JOIN stations st ON st.id = w.station_id
             WHERE w.id = ?1 AND w.street_id = ?2 AND w.left_on IS NULL
               AND w.purged_on IS NULL",
        )?;
        let mut absent = Vec::new();
        let mut occupations = Vec::new();
        for (street, _) in &streets {
            let mut of_street = Vec::new();
            for id in unnamed.remove(street).unwrap_or_default() {
                if let Some(found) = entry
                    .query_row(params![id, street], absent_row)
                    .optional()?
                {
                    of_street.push(found);
                }
            }
            // By 姓名 (in the byte order SQLite sorts text in), then row id.
            of_street.sort_by(|(a, _), (b, _)| (&a.name, a.id).cmp(&(&b.name, b.id)));
            for (a, occupation) in of_street {
                absent.push(a);
                occupations.push(occupation);
            }
        }
        drop(entry);
        let mut refused = Vec::new();
        if let Some(day) = left_on
            && !absent.is_empty()
        {
            // The rows' changes land before the savepoint, the marks' inside it.
            self.loader.flush_changes()?;
            // Every absent worker is tried, so that all refusals show at once; when any is
            // refused, none is marked.
            self.conn.execute_batch("SAVEPOINT missing")?;
            for (i, (a, occupation)) in absent.iter().zip(&occupations).enumerate() {
                if let Some(problem) = self.mark(a, occupation, day)? {
                    refused.push((i, problem));
                }
            }
            self.loader.flush_changes()?;
            if !refused.is_empty() {
                self.conn.execute_batch("ROLLBACK TO missing")?;
            }
            self.conn.execute_batch("RELEASE missing")?;
        }
        Ok(Some(Missing {
            streets: streets.into_iter().map(|(_, name)| name).collect(),
            absent,
            left_on,
            refused,
            departed: self.departed()?,
        }))
    }
}

/// The stations loader of an import, noting the stations its rows named.
pub struct StationSnapshot<'c> {
    conn: &'c Connection,
    loader: StationLoader<'c>,
    /// Stations a stored row added or matched.
    present: BTreeSet<i64>,
}

impl<'c> StationSnapshot<'c> {
    /// Wraps the loader of one file's batch.
    pub fn new(conn: &'c Connection, loader: StationLoader<'c>) -> Self {
        Self {
            conn,
            loader,
            present: BTreeSet::new(),
        }
    }
}

impl Store<StationRecord> for StationSnapshot<'_> {
    fn store(&mut self, item: &StationRecord, line: u64) -> Result<Outcome, StoreError> {
        let done = self.loader.store(item, line)?;
        if let Some(id) = self.loader.last {
            self.present.insert(id);
        }
        Ok(done)
    }

    fn notes(&self) -> &[(u64, String)] {
        self.loader.notes()
    }

    fn finish(&mut self) -> Result<()> {
        self.loader.finish()
    }

    /// Stations have no closed state: the absent ones are listed, never marked, whatever
    /// `left_on` says.
    fn missing(&mut self, _left_on: Option<NaiveDate>) -> Result<Option<Missing>> {
        let streets = covered(self.conn, "stations", &self.present)?;
        let mut stmt = self.conn.prepare(
            "SELECT st.id, st.name, s.name,
                    (SELECT count(*) FROM workers w
                     WHERE w.station_id = st.id AND w.left_on IS NULL AND w.purged_on IS NULL)
             FROM stations st JOIN streets s ON s.id = st.street_id
             WHERE st.street_id = ?1
             ORDER BY st.name, st.id",
        )?;
        let mut absent = Vec::new();
        for (street, _) in &streets {
            let rows = stmt.query_map([street], |r| {
                Ok(Absent {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    id_number: None,
                    phone: None,
                    station: None,
                    street: r.get(2)?,
                    workers: Some(r.get::<_, i64>(3)?.max(0) as u64),
                })
            })?;
            for row in rows {
                let a = row?;
                if !self.present.contains(&a.id) {
                    absent.push(a);
                }
            }
        }
        Ok(Some(Missing {
            streets: streets.into_iter().map(|(_, name)| name).collect(),
            absent,
            left_on: None,
            refused: Vec::new(),
            departed: Vec::new(),
        }))
    }
}

/// The streets of the rows `ids` of `table` (`workers` or `stations`) as stored: id and
/// name, in the order of their official codes (unofficial streets last, by name).
///
/// Errors: the database failed.
fn covered(conn: &Connection, table: &str, ids: &BTreeSet<i64>) -> Result<Vec<(i64, String)>> {
    let mut of = conn.prepare(&format!("SELECT street_id FROM {table} WHERE id = ?1"))?;
    let mut streets = BTreeSet::new();
    for id in ids {
        streets.insert(of.query_row(params![id], |r| r.get::<_, i64>(0))?);
    }
    street_names(conn, streets)
}

/// The streets `streets` (row ids) with their names, in the order of [`covered`].
///
/// Errors: the database failed.
fn street_names(conn: &Connection, streets: BTreeSet<i64>) -> Result<Vec<(i64, String)>> {
    let mut named = conn.prepare("SELECT code, name FROM streets WHERE id = ?1")?;
    let mut out: Vec<(Option<String>, i64, String)> = Vec::new();
    for s in streets {
        let (code, name) = named.query_row([s], |r| Ok((r.get(0)?, r.get(1)?)))?;
        out.push((code, s, name));
    }
    out.sort_by(|a, b| (a.0.is_none(), &a.0, &a.2).cmp(&(b.0.is_none(), &b.0, &b.2)));
    Ok(out.into_iter().map(|(_, id, name)| (id, name)).collect())
}
