//! Stations and enterprises: the station upsert (a station is its name within a street),
//! finding the station a worker row or a command names, enterprises by name, and the list of
//! `station list` and `station show`.

use rust_i18n::t;
use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use super::changes::Origin;
use super::places::{Places, nearest};
use super::{LookupError, Reader};
use crate::model::{Field, Outcome, StationRecord, Store, StoreError, Vocabulary};

/// Every enterprise name → id.
pub fn enterprise_map(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT name, id FROM enterprises")?;
    let map = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

/// The id of the enterprise called `name`, added if new.
///
/// Errors: the database failed.
pub fn enterprise_id(
    conn: &Connection,
    cache: &mut HashMap<String, i64>,
    name: &str,
) -> rusqlite::Result<i64> {
    if let Some(id) = cache.get(name) {
        return Ok(*id);
    }
    conn.execute("INSERT INTO enterprises (name) VALUES (?1)", [name])?;
    let id = conn.last_insert_rowid();
    cache.insert(name.to_string(), id);
    Ok(id)
}

/// Stations by (street, name) and by name alone.
#[derive(Default)]
pub struct StationIndex {
    by_street: HashMap<(i64, String), i64>,
    by_name: HashMap<String, Vec<i64>>,
    street_by_id: HashMap<i64, i64>,
}

impl StationIndex {
    /// Reads every station.
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut index = Self::default();
        let mut stmt = conn.prepare("SELECT id, street_id, name FROM stations")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            index.add(r.get(0)?, r.get(1)?, r.get(2)?);
        }
        Ok(index)
    }

    fn add(&mut self, id: i64, street: i64, name: String) {
        self.by_name.entry(name.clone()).or_default().push(id);
        self.by_street.insert((street, name), id);
        self.street_by_id.insert(id, street);
    }

    /// The street of station `id`.
    pub fn street_of(&self, id: i64) -> Option<i64> {
        self.street_by_id.get(&id).copied()
    }

    /// The station a worker row names without a street: the one station of that name.
    ///
    /// Errors: no such station (with the nearest name), or several, in different streets.
    pub fn find_anywhere(&self, name: &str) -> Result<i64, String> {
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(_) => Err(t!("records.station.which_street").into_owned()),
            None => self.find(0, name),
        }
    }

    /// The station a worker row names: in the worker's street first, else the one station of
    /// that name anywhere.
    ///
    /// Errors: no such station (with the nearest name), or several in other streets.
    pub fn find(&self, street: i64, name: &str) -> Result<i64, String> {
        if let Some(id) = self.by_street.get(&(street, name.to_string())) {
            return Ok(*id);
        }
        match self.by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(_) => Err(t!("records.station.in_other_streets").into_owned()),
            None => {
                let hint = nearest(name, self.by_name.keys().map(String::as_str))
                    .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
                    .unwrap_or_default();
                Err(t!("records.station.unknown_import", hint = hint).into_owned())
            }
        }
    }
}

/// Loads stations-register records: a station is identified by its name within its street.
/// Every station added and every field changed is written to the change log.
pub struct StationLoader<'c> {
    conn: &'c Connection,
    places: Places,
    index: StationIndex,
    enterprises: HashMap<String, i64>,
    origin: Origin,
    /// The station the last loaded record added or matched.
    pub last: Option<i64>,
}

/// The stored columns of a station, as compared on re-import and logged on change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    kind: String,
    enterprise_id: Option<i64>,
    community_id: Option<i64>,
    address: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    /// JSON array of strings.
    facilities: String,
    declared_workers: Option<i64>,
}

impl<'c> StationLoader<'c> {
    /// Prepares to load into `conn` (inside the import's or the command's transaction);
    /// `origin` names the command and import batch for the change log.
    pub fn new(conn: &'c Connection, origin: Origin) -> Result<Self> {
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            index: StationIndex::load(conn)?,
            enterprises: enterprise_map(conn)?,
            origin,
            last: None,
        })
    }

    /// The id of the station called `name` in `street` (as written), if registered.
    ///
    /// Errors: unknown street.
    pub fn existing(&mut self, street: &str, name: &str) -> Result<Option<i64>, String> {
        let street = self.places.street_cached(street)?;
        Ok(self
            .index
            .by_street
            .get(&(street, name.to_string()))
            .copied())
    }

    fn log(
        &self,
        id: i64,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> rusqlite::Result<()> {
        super::changes::log(
            self.conn,
            "station",
            &id.to_string(),
            field,
            old,
            new,
            &self.origin.command,
            self.origin.batch,
        )
    }

    fn log_changes(&self, id: i64, old: &Stored, new: &Stored) -> rusqlite::Result<()> {
        let name_of = |table: &str, id: Option<i64>| -> rusqlite::Result<Option<String>> {
            match id {
                None => Ok(None),
                Some(i) => self
                    .conn
                    .prepare_cached(&format!("SELECT name FROM {table} WHERE id = ?1"))?
                    .query_row([i], |r| r.get(0))
                    .optional(),
            }
        };
        let fields: Vec<(&str, Option<String>, Option<String>)> = vec![
            ("kind", Some(old.kind.clone()), Some(new.kind.clone())),
            (
                "enterprise",
                name_of("enterprises", old.enterprise_id)?,
                name_of("enterprises", new.enterprise_id)?,
            ),
            (
                "community",
                name_of("communities", old.community_id)?,
                name_of("communities", new.community_id)?,
            ),
            ("address", old.address.clone(), new.address.clone()),
            (
                "contact_name",
                old.contact_name.clone(),
                new.contact_name.clone(),
            ),
            (
                "contact_phone",
                old.contact_phone.clone(),
                new.contact_phone.clone(),
            ),
            (
                "facilities",
                listed(&old.facilities),
                listed(&new.facilities),
            ),
            (
                "declared_workers",
                old.declared_workers.map(|n| n.to_string()),
                new.declared_workers.map(|n| n.to_string()),
            ),
        ];
        for (field, before, after) in fields {
            if before != after {
                self.log(id, field, before.as_deref(), after.as_deref())?;
            }
        }
        Ok(())
    }

    /// Loads one record: a new station, or the changed fields of a registered one (a blank
    /// cell keeps what is stored).
    ///
    /// Errors: unknown street or community (row problems, nothing written); the database
    /// failed.
    pub fn load(&mut self, rec: &StationRecord) -> Result<Outcome, StoreError> {
        let street = self
            .places
            .street_cached(&rec.street)
            .map_err(|p| StoreError::row(Field::Street, &rec.street, p))?;
        let community = match &rec.community {
            Some(c) => Some(
                self.places
                    .community(self.conn, street, c)
                    .map_err(|e| e.store_error(Field::Community, c))?,
            ),
            None => None,
        };
        let enterprise = match &rec.enterprise {
            Some(n) => Some(enterprise_id(self.conn, &mut self.enterprises, n)?),
            None => None,
        };
        let given = Stored {
            kind: rec.kind.code().to_string(),
            enterprise_id: enterprise,
            community_id: community,
            address: rec.address.clone(),
            contact_name: rec.contact_name.clone(),
            contact_phone: rec.contact_phone.as_ref().map(|c| c.0.clone()),
            facilities: serde_json::to_string(&rec.facilities).expect("strings serialize"),
            declared_workers: rec.declared_workers,
        };
        let existing = self
            .index
            .by_street
            .get(&(street, rec.name.clone()))
            .copied();
        Ok(match existing {
            None => {
                let id = self.insert(&rec.name, street, &given)?;
                self.last = Some(id);
                Outcome::New
            }
            Some(id) => {
                self.last = Some(id);
                self.update(id, given, rec.facilities.is_empty())?
            }
        })
    }

    /// Adds a station called `name` in `street` with the columns `v`, and logs it. Returns
    /// its row id.
    fn insert(&mut self, name: &str, street: i64, v: &Stored) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached(
                "INSERT INTO stations (name, kind, enterprise_id, street_id, community_id, address,
                     contact_name, contact_phone, facilities, declared_workers)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                name,
                v.kind,
                v.enterprise_id,
                street,
                v.community_id,
                v.address,
                v.contact_name,
                v.contact_phone,
                v.facilities,
                v.declared_workers
            ])?;
        let id = self.conn.last_insert_rowid();
        self.index.add(id, street, name.to_string());
        self.log(id, "*", None, Some(name))?;
        Ok(id)
    }

    /// Updates station `id` with the columns a record `given` (a blank cell keeps what is
    /// stored; `no_facilities`: the record lists none), logging every change.
    fn update(&self, id: i64, given: Stored, no_facilities: bool) -> rusqlite::Result<Outcome> {
        let old: Stored = self.conn.query_row(
            "SELECT kind, enterprise_id, community_id, address, contact_name, contact_phone,
                    facilities, declared_workers FROM stations WHERE id = ?1",
            [id],
            |r| {
                Ok(Stored {
                    kind: r.get(0)?,
                    enterprise_id: r.get(1)?,
                    community_id: r.get(2)?,
                    address: r.get(3)?,
                    contact_name: r.get(4)?,
                    contact_phone: r.get(5)?,
                    facilities: r.get(6)?,
                    declared_workers: r.get(7)?,
                })
            },
        )?;
        let new = Stored {
            kind: given.kind,
            enterprise_id: given.enterprise_id.or(old.enterprise_id),
            community_id: given.community_id.or(old.community_id),
            address: given.address.or(old.address.clone()),
            contact_name: given.contact_name.or(old.contact_name.clone()),
            contact_phone: given.contact_phone.or(old.contact_phone.clone()),
            facilities: if no_facilities {
                old.facilities.clone()
            } else {
                given.facilities
            },
            declared_workers: given.declared_workers.or(old.declared_workers),
        };
        if new == old {
            return Ok(Outcome::Unchanged);
        }
        self.log_changes(id, &old, &new)?;
        self.conn.execute(
            "UPDATE stations SET kind = ?1, enterprise_id = ?2, community_id = ?3, address = ?4,
                 contact_name = ?5, contact_phone = ?6, facilities = ?7, declared_workers = ?8
             WHERE id = ?9",
            params![
                new.kind,
                new.enterprise_id,
                new.community_id,
                new.address,
                new.contact_name,
                new.contact_phone,
                new.facilities,
                new.declared_workers,
                id
            ],
        )?;
        Ok(Outcome::Updated)
    }
}

impl Store<StationRecord> for StationLoader<'_> {
    fn store(&mut self, item: &StationRecord, _line: u64) -> Result<Outcome, StoreError> {
        self.load(item)
    }
}

/// A stored facilities list (a JSON array) as people write it: `饮水、充电`; `None` when empty.
fn listed(json: &str) -> Option<String> {
    let items: Vec<String> = serde_json::from_str(json).unwrap_or_default();
    (!items.is_empty()).then(|| items.join("、"))
}

/// A station by name: in `street` first, else the only one of that name.
///
/// Errors: [`LookupError::Problem`] when none or several have the name (a sentence with the
/// nearest name, or the streets to choose from); [`LookupError::Db`] when the database
/// failed.
pub fn find_station(db: &impl Reader, name: &str, street: Option<i64>) -> Result<i64, LookupError> {
    let conn = db.conn().0;
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
                .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
                .unwrap_or_default();
            Err(LookupError::Problem(
                t!("records.station.unknown", hint = hint).into_owned(),
            ))
        }
        _ => Err(LookupError::Problem(
            t!("records.station.ambiguous", streets = streets()).into_owned(),
        )),
    }
}

/// The name of station `id`.
pub fn station_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// One station as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRow {
    /// Row id.
    pub id: i64,
    /// The 党建工作指导员 assigned to the station.
    pub instructor: Option<String>,
    /// 站点名称.
    pub name: String,
    /// Kind code, e.g. `courier_station`.
    pub kind: String,
    /// Enterprise name.
    pub enterprise: Option<String>,
    /// Street name.
    pub street: String,
    /// Community name.
    pub community: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// Full contact number.
    pub contact_phone: Option<String>,
    /// 服务设施.
    pub facilities: Vec<String>,
    /// 从业人数 as the register states it.
    pub declared_workers: Option<i64>,
    /// Workers registered at the station (who have not left).
    pub workers: i64,
}

/// Stations, optionally of one street (or the one station `id`), by street and name.
pub fn stations(db: &impl Reader, street: Option<i64>, id: Option<i64>) -> Result<Vec<StationRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT st.name, st.kind, e.name, s.name, c.name, st.address, st.contact_name,
                st.contact_phone, st.facilities, st.declared_workers,
                (SELECT count(*) FROM workers w WHERE w.station_id = st.id AND w.left_on IS NULL),
                st.id, i.name
         FROM stations st
         JOIN streets s ON s.id = st.street_id
         LEFT JOIN enterprises e ON e.id = st.enterprise_id
         LEFT JOIN communities c ON c.id = st.community_id
         LEFT JOIN instructor_stations a ON a.station_id = st.id AND a.until_on IS NULL
         LEFT JOIN instructors i ON i.id = a.instructor_id
         WHERE (?1 IS NULL OR st.street_id = ?1) AND (?2 IS NULL OR st.id = ?2)
         ORDER BY s.code IS NULL, s.code, s.name, st.name",
    )?;
    let rows = stmt
        .query_map(params![street, id], |r| {
            let facilities: String = r.get(8)?;
            Ok(StationRow {
                id: r.get(11)?,
                instructor: r.get(12)?,
                name: r.get(0)?,
                kind: r.get(1)?,
                enterprise: r.get(2)?,
                street: r.get(3)?,
                community: r.get(4)?,
                address: r.get(5)?,
                contact_name: r.get(6)?,
                contact_phone: r.get(7)?,
                facilities: serde_json::from_str(&facilities).unwrap_or_default(),
                declared_workers: r.get(9)?,
                workers: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
