//! Instructors (党建工作指导员) and the stations they are assigned to: the instructors register
//! loader (an instructor is a 手机号), dated assignments (a station has at most one instructor
//! at a time; a move ends the other's assignment the day before), finding an instructor by
//! phone or name, and the list of `instructor list` with the look-ups its commands need.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;

use super::places::Places;
use super::stations::find_station;
use super::{LookupError, Reader, row_or_db};
use crate::model::{CellError, Field, InstructorRecord, Outcome, Store, StoreError};

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
            match find_station(self.conn, name, street) {
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
                t!(
                    "records.instructor.moved",
                    station = station_name,
                    from = from,
                    to = r.name
                )
                .into_owned(),
            ));
        }
        let on = r.assigned_on.map(|d| d.to_string());
        let undated = on.is_none();
        let on = on.as_deref().unwrap_or(&self.today);
        assign(self.conn, id, station, on, undated).map_err(|e| row_or_db(e, Field::Stations, ""))
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

/// Assigns a station to an instructor from day `on` (`YYYY-MM-DD`), moving it from another
/// one: the other's assignment ends the day before. `undated`: the register gave no 选派日期
/// (`on` is the day of import), so the reports count the assignment in every period until it
/// ends (`instructor_stations.undated`). Returns whether anything changed.
///
/// Errors: a move dated before the current assignment began.
pub fn assign(
    conn: &Connection,
    instructor: i64,
    station: i64,
    on: &str,
    undated: bool,
) -> Result<bool> {
    let current: Option<(i64, i64, String, bool)> = conn
        .query_row(
            "SELECT id, instructor_id, assigned_on, undated FROM instructor_stations
             WHERE station_id = ?1 AND until_on IS NULL",
            [station],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    // A register giving, at last, the day of an undated assignment: it holds from that day,
    // no longer throughout.
    if let Some((id, who, since, true)) = &current
        && *who == instructor
        && !undated
        && on >= since.as_str()
    {
        conn.execute(
            "UPDATE instructor_stations SET assigned_on = ?1, undated = 0 WHERE id = ?2",
            params![on, id],
        )?;
        return Ok(true);
    }
    let current = current.map(|(id, who, since, _)| (id, who, since));
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
                bail!("{}", t!("records.instructor.overlap", until = until));
            }
            conn.execute(
                "UPDATE instructor_stations SET assigned_on = ?1, undated = ?2 WHERE id = ?3",
                params![on, undated, id],
            )?;
            return Ok(true);
        }
        Some((_, who, _)) if who == instructor => return Ok(false),
        Some((_, _, since)) if on < since.as_str() => bail!(
            "{}",
            t!("records.instructor.move_too_early", since = since, on = on)
        ),
        // Moved on the day the current assignment began: no day of it remains.
        Some((id, _, since)) if on == since.as_str() => {
            conn.execute("DELETE FROM instructor_stations WHERE id = ?1", [id])?;
        }
        Some((id, _, _)) => {
            let day_before = crate::model::period::stored_day(on)
                .with_context(|| t!("records.not_a_day", day = on).into_owned())?
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
        "INSERT INTO instructor_stations (instructor_id, station_id, assigned_on, undated)
         VALUES (?1, ?2, ?3, ?4)",
        params![instructor, station, on, undated],
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
        bail!(
            "{}",
            t!(
                "records.instructor.last_day_too_early",
                since = since,
                last_day = last_day
            )
        );
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
            "{}",
            t!(
                "records.instructor.unknown",
                who = crate::model::mask_numbers(who)
            )
        ),
        _ => bail!("{}", t!("records.instructor.ambiguous", who = who)),
    }
}

/// One instructor as listed, with the stations assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructorRow {
    /// Row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// Full 手机号.
    pub phone: String,
    /// Street the instructor works in.
    pub street: Option<String>,
    /// 工作单位.
    pub unit: Option<String>,
    /// Names of the stations assigned, in the order they were assigned.
    pub stations: Vec<String>,
}

/// Instructors, optionally of one street, by street and name, each with the stations assigned
/// (in the order they were assigned).
pub fn instructors(db: &impl Reader, street: Option<i64>) -> Result<Vec<InstructorRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT i.id, i.name, i.phone, s.name, i.unit,
                (SELECT json_group_array(name) FROM
                    (SELECT st.name FROM instructor_stations a
                     JOIN stations st ON st.id = a.station_id
                     WHERE a.instructor_id = i.id AND a.until_on IS NULL ORDER BY a.id))
         FROM instructors i
         LEFT JOIN streets s ON s.id = i.street_id
         WHERE (?1 IS NULL OR i.street_id = ?1)
         ORDER BY s.code IS NULL, s.code, s.name, i.name, i.id",
    )?;
    let rows = stmt
        .query_map([street], |r| {
            let stations: String = r.get(5)?;
            Ok(InstructorRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                street: r.get(3)?,
                unit: r.get(4)?,
                stations: serde_json::from_str(&stations).unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The street row id of instructor `id` (`None` when the instructor has none).
pub fn instructor_street(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT street_id FROM instructors WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// The instructor station `station` is assigned to: id and 姓名; `None` when unassigned.
pub fn station_instructor(conn: &Connection, station: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT i.id, i.name FROM instructor_stations a
             JOIN instructors i ON i.id = a.instructor_id
             WHERE a.station_id = ?1 AND a.until_on IS NULL",
            [station],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
