//! Stations and enterprises: the station upsert (a station is its name within a street),
//! finding the station a worker row names, and enterprises by name.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{Connection, params};

use super::places::{Outcome, Places, nearest};
use crate::import::header::Field;
use crate::import::validate::{CellError, StationRecord};
use crate::model::Vocabulary;

/// Every enterprise name → id.
pub fn enterprise_map(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut stmt = conn.prepare("SELECT name, id FROM enterprises")?;
    let map = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(map)
}

/// The id of the enterprise called `name`, added if new.
pub fn enterprise_id(
    conn: &Connection,
    cache: &mut HashMap<String, i64>,
    name: &str,
) -> Result<i64> {
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
            Some(_) => Err(
                "names stations in several other streets — list the worker under the station's street"
                    .to_string(),
            ),
            None => {
                let hint = nearest(name, self.by_name.keys().map(String::as_str))
                    .map(|n| format!(" — did you mean {n}?"))
                    .unwrap_or_default();
                Err(format!(
                    "not in the stations register{hint} (import the stations register first)"
                ))
            }
        }
    }
}

/// Loads stations-register records: a station is identified by its name within its street.
pub struct StationLoader<'c> {
    conn: &'c Connection,
    places: Places,
    index: StationIndex,
    enterprises: HashMap<String, i64>,
}

impl<'c> StationLoader<'c> {
    /// Prepares to load into `conn` (inside the import's transaction).
    pub fn new(conn: &'c Connection) -> Result<Self> {
        Ok(Self {
            conn,
            places: Places::load(conn)?,
            index: StationIndex::load(conn)?,
            enterprises: enterprise_map(conn)?,
        })
    }

    /// Loads one record. Errors: unknown street or community.
    pub fn load(&mut self, rec: &StationRecord) -> Result<Outcome, Vec<CellError>> {
        let street = self
            .places
            .street_cached(&rec.street)
            .map_err(|p| vec![CellError::new(Field::Street, &rec.street, p)])?;
        let community = match &rec.community {
            Some(c) => Some(
                self.places
                    .community(self.conn, street, c)
                    .map_err(|p| vec![CellError::new(Field::Community, c, p)])?,
            ),
            None => None,
        };
        let fail = |e: anyhow::Error| {
            vec![CellError::new(
                Field::StationName,
                &rec.name,
                format!("cannot be stored: {e}"),
            )]
        };
        let enterprise = match &rec.enterprise {
            Some(n) => Some(enterprise_id(self.conn, &mut self.enterprises, n).map_err(fail)?),
            None => None,
        };
        let facilities = serde_json::to_string(&rec.facilities).expect("strings serialize");
        let contact = rec.contact_phone.as_ref().map(|c| c.0.clone());
        let existing = self
            .index
            .by_street
            .get(&(street, rec.name.clone()))
            .copied();
        let values = (
            rec.kind.code(),
            enterprise,
            community,
            rec.address.clone(),
            rec.contact_name.clone(),
            contact,
            facilities,
            rec.declared_workers,
        );
        match existing {
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO stations (name, kind, enterprise_id, street_id, community_id, address,
                             contact_name, contact_phone, facilities, declared_workers)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            rec.name, values.0, values.1, street, values.2, values.3, values.4, values.5,
                            values.6, values.7
                        ])
                    })
                    .map_err(|e| fail(e.into()))?;
                let id = self.conn.last_insert_rowid();
                self.index.add(id, street, rec.name.clone());
                Ok(Outcome::New)
            }
            Some(id) => {
                type Row = (
                    String,
                    Option<i64>,
                    Option<i64>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    String,
                    Option<i64>,
                );
                let old: Row = self
                    .conn
                    .query_row(
                        "SELECT kind, enterprise_id, community_id, address, contact_name, contact_phone,
                                facilities, declared_workers FROM stations WHERE id = ?1",
                        [id],
                        |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
                        },
                    )
                    .map_err(|e| fail(e.into()))?;
                // A blank cell keeps what is stored.
                let new: Row = (
                    values.0.to_string(),
                    values.1.or(old.1),
                    values.2.or(old.2),
                    values.3.or(old.3.clone()),
                    values.4.or(old.4.clone()),
                    values.5.or(old.5.clone()),
                    if rec.facilities.is_empty() {
                        old.6.clone()
                    } else {
                        values.6
                    },
                    values.7.or(old.7),
                );
                if new == old {
                    return Ok(Outcome::Unchanged);
                }
                self.conn
                    .execute(
                        "UPDATE stations SET kind = ?1, enterprise_id = ?2, community_id = ?3, address = ?4,
                             contact_name = ?5, contact_phone = ?6, facilities = ?7, declared_workers = ?8
                         WHERE id = ?9",
                        params![new.0, new.1, new.2, new.3, new.4, new.5, new.6, new.7, id],
                    )
                    .map_err(|e| fail(e.into()))?;
                Ok(Outcome::Updated)
            }
        }
    }
}
