//! A worker's street follows their station: the rule a workers-register record is held to
//! (its 所属站点 must be a station of its 所属街道), the street `worker update --station`
//! moves a worker to, and the search of `check` for workers stored at a station of another
//! street. A worker without a station keeps a street of their own. The place of an event
//! (报到街道 …) is where it happened, not the worker's registration: it is not held to this.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};
use rust_i18n::t;

use crate::db::Reader;
use crate::db::places::Places;
use crate::db::stations::StationIndex;
use crate::model::{CellError, Field};

/// Refuses station `station` (as the record names it, `name`) for a record of street
/// `street` when the station is in another street; `typed`: the record was typed at the
/// terminal (the fix names the flags).
pub(super) fn station_in_street(
    stations: &StationIndex,
    places: &Places,
    street: i64,
    station: i64,
    name: &str,
    typed: bool,
) -> Option<CellError> {
    let of = stations.street_of(station)?;
    if of == street {
        return None;
    }
    let (station_street, street) = (places.street_name(of), places.street_name(street));
    let problem = if typed {
        t!(
            "coherence.street.station_elsewhere_typed",
            station_street = station_street,
            street = street
        )
    } else {
        t!(
            "coherence.street.station_elsewhere",
            station_street = station_street,
            street = street
        )
    };
    Some(CellError::new(Field::Station, name, problem.into_owned()))
}

/// The street of the station called `station` that worker `worker` would be put at: the
/// station of that name in the worker's street, else the only one of that name. `None` when
/// there is no such station or several (storing the record then names the problem).
///
/// Errors: database errors.
pub fn station_street(db: &impl Reader, worker: i64, station: &str) -> Result<Option<String>> {
    let conn = db.conn().0;
    let street: Option<i64> = conn
        .query_row(
            "SELECT street_id FROM workers WHERE id = ?1",
            [worker],
            |r| r.get(0),
        )
        .optional()?;
    let id = match crate::db::stations::find_station(db, station, street) {
        Ok(id) => id,
        Err(crate::db::LookupError::Problem(_)) => return Ok(None),
        Err(crate::db::LookupError::Db(e)) => return Err(e.into()),
    };
    Ok(Some(conn.query_row(
        "SELECT s.name FROM stations st JOIN streets s ON s.id = st.street_id WHERE st.id = ?1",
        [id],
        |r| r.get(0),
    )?))
}

/// Every worker stored at a station of another street than their own (by an older build or
/// another program), one line each: `贺新宇 (#3)：所属站点 顺丰速运柳巷营业部 在柳巷街道，所属街道
/// 却是郝庄镇`, ordered by worker.
///
/// Errors: database errors.
pub fn disagreements(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT w.id, w.name, st.name, ss.name, s.name
         FROM workers w JOIN stations st ON st.id = w.station_id
         JOIN streets ss ON ss.id = st.street_id JOIN streets s ON s.id = w.street_id
         WHERE st.street_id <> w.street_id ORDER BY w.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let (id, name, station, station_street, street): (i64, String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
        Ok(t!(
            "coherence.check.station_elsewhere",
            id = id,
            name = name,
            station = station,
            station_street = station_street,
            street = street
        )
        .into_owned())
    })?;
    rows.collect()
}

/// The note on a worker moved to another street by a register row that names no station:
/// their station `station`, of the old street, is left behind (as their community is).
///
/// Errors: database errors.
pub(super) fn station_left_behind(
    conn: &Connection,
    station: i64,
    street: i64,
) -> rusqlite::Result<String> {
    let (station, street): (String, String) = conn
        .prepare_cached(
            "SELECT st.name, (SELECT name FROM streets WHERE id = ?2) FROM stations st WHERE st.id = ?1",
        )?
        .query_row([station, street], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(t!(
        "coherence.street.station_left_behind",
        station = station,
        street = street
    )
    .into_owned())
}
