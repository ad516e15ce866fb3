//! Places, stations, organizations, instructors, events, the ledger, the gift shop, care
//! activities, merchants and the history, merged by their keys (see the module above).

use anyhow::Result;
use chrono::Datelike;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};
use rust_i18n::t;
use rustc_hash::{FxHashMap, FxHashSet};

use super::people::SourceStreets;
use super::{ConflictKind, Entity, Kind, Renamed, Run, field, qualify_gift, qualify_street};
use crate::db::checkins::checkin_key;
use crate::db::events::day_number;
use crate::db::ledger::{CarriedEntry, Carrier, correction_key, grant_key, point_key};
use crate::db::services::service_key;
use crate::db::tips::tip_key;
use crate::model::period::stored_day;

const STREET: Entity = Entity {
    name: "street",
    table: "streets",
    fields: &[
        field("code", "code", None),
        field("name", "name", None),
        field("district_code", "district_code", None),
    ],
    logged: false,
    renamed: Some(Renamed {
        at: 1,
        qualify: qualify_street,
    }),
};

const COMMUNITY: Entity = Entity {
    name: "community",
    table: "communities",
    fields: &[
        field("street_id", "street", Some("streets")),
        field("code", "code", None),
        field("name", "name", None),
    ],
    logged: false,
    renamed: None,
};

const ENTERPRISE: Entity = Entity {
    name: "enterprise",
    table: "enterprises",
    fields: &[field("name", "name", None)],
    logged: false,
    renamed: None,
};

const STATION: Entity = Entity {
    name: "station",
    table: "stations",
    fields: &[
        field("name", "name", None),
        field("kind", "kind", None),
        field("enterprise_id", "enterprise", Some("enterprises")),
        field("street_id", "street", Some("streets")),
        field("community_id", "community", Some("communities")),
        field("address", "address", None),
        field("contact_name", "contact_name", None),
        field("contact_phone", "contact_phone", None),
        field("facilities", "facilities", None),
        field("declared_workers", "declared_workers", None),
    ],
    logged: true,
    renamed: None,
};

const INSTRUCTOR: Entity = Entity {
    name: "instructor",
    table: "instructors",
    fields: &[
        field("name", "name", None),
        field("phone", "phone", None),
        field("street_id", "street", Some("streets")),
        field("unit", "unit", None),
    ],
    logged: false,
    renamed: None,
};

const ORG: Entity = Entity {
    name: "org",
    table: "party_orgs",
    fields: &[
        field("name", "name", None),
        field("kind", "kind", None),
        field("parent_id", "parent", Some("party_orgs")),
        field("street_id", "street", Some("streets")),
        field("founded_on", "founded_on", None),
        field("secretary", "secretary", None),
    ],
    logged: true,
    renamed: None,
};

const BATCH: Entity = Entity {
    name: "batch",
    table: "import_batches",
    fields: &[
        field("kind", "kind", None),
        field("file_name", "file_name", None),
        field("sha256", "sha256", None),
        field("encoding", "encoding", None),
        field("imported_at", "imported_at", None),
        field("rows_read", "rows_read", None),
        field("rows_new", "rows_new", None),
        field("rows_updated", "rows_updated", None),
        field("rows_unchanged", "rows_unchanged", None),
        field("rows_rejected", "rows_rejected", None),
        field("reading", "reading", None),
    ],
    logged: false,
    renamed: None,
};

const MERCHANT: Entity = Entity {
    name: "merchant",
    table: "merchants",
    fields: &[
        field("name", "name", None),
        field("kind", "kind", None),
        field("street_id", "street", Some("streets")),
        field("community_id", "community", Some("communities")),
        field("address", "address", None),
        field("offer", "offer", None),
        field("contact_name", "contact_name", None),
        field("contact_phone", "contact_phone", None),
        field("since_on", "since_on", None),
        field("until_on", "until_on", None),
    ],
    logged: false,
    renamed: None,
};

const GIFT: Entity = Entity {
    name: "gift",
    table: "gifts",
    fields: &[
        field("name", "name", None),
        field("price", "price", None),
        field("stock", "stock", None),
        field("counted", "counted", None),
        field("donor", "donor", None),
        field("street_id", "street", Some("streets")),
        field("retired_on", "retired_on", None),
    ],
    logged: false,
    renamed: Some(Renamed {
        at: 0,
        qualify: qualify_gift,
    }),
};

const ACTIVITY: Entity = Entity {
    name: "activity",
    table: "care_activities",
    fields: &[
        field("kind", "kind", None),
        field("title", "title", None),
        field("date", "date", None),
        field("street_id", "street", Some("streets")),
        field("community_id", "community", Some("communities")),
        field("station_id", "station", Some("stations")),
        field("organizer_kind", "organizer_kind", None),
        field("organizer", "organizer", None),
        field("merchant_id", "merchant", Some("merchants")),
        field("unnamed", "unnamed", None),
        field("note", "note", None),
    ],
    logged: false,
    renamed: None,
};

/// The row id here whose columns equal the given values (`None` when a value is NULL).
fn find_by(conn: &Connection, table: &str, cols: &[(&str, &Value)]) -> Result<Option<i64>> {
    if cols.iter().any(|(_, v)| matches!(v, Value::Null)) {
        return Ok(None);
    }
    let cond: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!("SELECT id FROM {table} WHERE {}", cond.join(" AND "));
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(
            rusqlite::params_from_iter(cols.iter().map(|(_, v)| *v)),
            |r| r.get(0),
        )
        .optional()?)
}

/// A value as text for a conflict's record.
fn shown(v: &Value) -> String {
    super::raw_text(v).unwrap_or_default()
}

/// The stage of a 随手拍 status: pending 0, approved 1, resolved 2.
fn tip_rank(status: &str) -> u8 {
    match status {
        "approved" => 1,
        "resolved" => 2,
        _ => 0,
    }
}

/// The stage of a gift order's status: pending 0, collected or cancelled 1.
fn order_rank(status: &str) -> u8 {
    u8::from(status != "pending")
}

impl Run<'_> {
    /// Streets, their aliases, communities and enterprises.
    pub(super) fn places(&mut self) -> Result<()> {
        self.streets = self.keyed(
            &STREET,
            Kind::Places,
            "id",
            &|c, v| {
                // By code; else by name, unless both have a code and the codes differ (two
                // districts' streets of one name).
                Ok(match find_by(c, "streets", &[("code", &v[0])])? {
                    Some(id) => Some(id),
                    None => c
                        .prepare_cached(
                            "SELECT id FROM streets WHERE name = ?1 AND (code IS NULL OR ?2 IS NULL)",
                        )?
                        .query_row(params![v[1], v[0]], |r| r.get(0))
                        .optional()?,
                })
            },
            &|v| shown(&v[1]),
            &[],
        )?;
        let aliases: Vec<(String, i64)> = self
            .src
            .conn
            .prepare("SELECT alias, street_id FROM street_aliases")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (alias, s) in aliases {
            if let Some(&street) = self.streets.get(&s) {
                self.tx.execute(
                    "INSERT OR IGNORE INTO street_aliases (alias, street_id) VALUES (?1, ?2)",
                    params![alias, street],
                )?;
            }
        }
        self.communities = self.keyed(
            &COMMUNITY,
            Kind::Places,
            "id",
            &|c, v| {
                Ok(match find_by(c, "communities", &[("code", &v[1])])? {
                    Some(id) => Some(id),
                    None => find_by(c, "communities", &[("street_id", &v[0]), ("name", &v[2])])?,
                })
            },
            &|v| shown(&v[2]),
            &[],
        )?;
        self.enterprises = self.keyed(
            &ENTERPRISE,
            Kind::Places,
            "id",
            &|c, v| find_by(c, "enterprises", &[("name", &v[0])]),
            &|v| shown(&v[0]),
            &[],
        )?;
        Ok(())
    }

    /// Stations, by street and name.
    pub(super) fn stations(&mut self) -> Result<()> {
        self.stations = self.keyed(
            &STATION,
            Kind::Stations,
            "id",
            &|c, v| find_by(c, "stations", &[("street_id", &v[3]), ("name", &v[0])]),
            &|v| shown(&v[0]),
            &[],
        )?;
        Ok(())
    }

    /// Instructors, by phone.
    pub(super) fn instructors(&mut self) -> Result<()> {
        self.instructors = self.keyed(
            &INSTRUCTOR,
            Kind::Instructors,
            "id",
            &|c, v| find_by(c, "instructors", &[("phone", &v[1])]),
            &|v| shown(&v[0]),
            &[],
        )?;
        Ok(())
    }

    /// Party organizations by name; a parent merged after its child is set afterwards.
    pub(super) fn orgs(&mut self) -> Result<()> {
        self.orgs = self.keyed(
            &ORG,
            Kind::Orgs,
            "id",
            &|c, v| find_by(c, "party_orgs", &[("name", &v[0])]),
            &|v| shown(&v[0]),
            &[],
        )?;
        let parents: Vec<(i64, i64)> = self
            .src
            .conn
            .prepare("SELECT id, parent_id FROM party_orgs WHERE parent_id IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (child, parent) in parents {
            if let (Some(c), Some(p)) = (self.orgs.get(&child), self.orgs.get(&parent)) {
                self.tx.execute(
                    "UPDATE party_orgs SET parent_id = ?2 WHERE id = ?1 AND parent_id IS NULL",
                    params![c, p],
                )?;
            }
        }
        Ok(())
    }

    /// The import history, copied once with its origin.
    pub(super) fn batches(&mut self) -> Result<()> {
        let origin = self.origin;
        self.batches = self.keyed(
            &BATCH,
            Kind::History,
            "id",
            &|_, _| Ok(None),
            &|v| shown(&v[1]),
            &[("origin_id", Value::Integer(origin))],
        )?;
        Ok(())
    }

    /// The batch here of a batch there; the merge's own for a record typed there.
    fn batch_of(&self, batch: Option<i64>) -> i64 {
        batch
            .and_then(|b| self.batches.get(&b).copied())
            .unwrap_or(self.batch)
    }

    /// A station's instructor over time, by instructor, station and first day.
    pub(super) fn instructor_stations(&mut self) -> Result<()> {
        self.dated_links(
            "instructor_stations",
            "instructor_id",
            "assigned_on",
            Kind::Instructors,
        )
    }

    /// Organizations' coverage of stations over time, by organization, station and first day.
    pub(super) fn org_coverage(&mut self) -> Result<()> {
        self.dated_links("org_coverage", "org_id", "from_on", Kind::Orgs)
    }

    /// Dated links of a station (to an instructor, to an organization): the same link (by
    /// holder, station and first day) is brought up to date with its last day; a new one is
    /// added unless another holder has the station now here (a conflict).
    fn dated_links(&mut self, table: &str, holder: &str, first: &str, kind: Kind) -> Result<()> {
        let rows: Vec<(i64, i64, String, Option<String>, i64)> = self
            .src
            .conn
            .prepare(&format!(
                "SELECT {holder}, station_id, {first}, until_on, undated FROM {table} ORDER BY id"
            ))?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (h, s, from, until, undated) in rows {
            let map = if holder == "org_id" {
                &self.orgs
            } else {
                &self.instructors
            };
            let (Some(&h), Some(&s)) = (map.get(&h), self.stations.get(&s)) else {
                continue;
            };
            let here: Option<(i64, Option<String>)> = self
                .tx
                .prepare_cached(&format!(
                    "SELECT id, until_on FROM {table} WHERE {holder} = ?1 AND station_id = ?2 AND {first} = ?3"
                ))?
                .query_row(params![h, s, from], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match here {
                Some((_, u)) if u == until => self.count(kind).same += 1,
                Some((id, None)) => {
                    self.tx.execute(
                        &format!("UPDATE {table} SET until_on = ?2 WHERE id = ?1"),
                        params![id, until],
                    )?;
                    self.count(kind).updated += 1;
                }
                Some(_) => self.count(kind).same += 1,
                None => {
                    let current: Option<i64> = if until.is_none() {
                        self.tx
                            .query_row(
                                &format!(
                                    "SELECT {holder} FROM {table} WHERE station_id = ?1 AND until_on IS NULL"
                                ),
                                [s],
                                |r| r.get(0),
                            )
                            .optional()?
                    } else {
                        None
                    };
                    if let Some(other) = current {
                        let names = if holder == "org_id" {
                            "party_orgs"
                        } else {
                            "instructors"
                        };
                        let name = |id: i64| -> Result<String> {
                            Ok(self.tx.query_row(
                                &format!("SELECT name FROM {names} WHERE id = ?1"),
                                [id],
                                |r| r.get(0),
                            )?)
                        };
                        let station: String = self.tx.query_row(
                            "SELECT name FROM stations WHERE id = ?1",
                            [s],
                            |r| r.get(0),
                        )?;
                        let (a, b) = (name(other)?, name(h)?);
                        let label = if holder == "org_id" {
                            super::field_label("coverage")
                        } else {
                            super::field_label("instructor")
                        };
                        self.conflict(ConflictKind::Taken, station, &label, a, b);
                        continue;
                    }
                    self.tx.execute(
                        &format!(
                            "INSERT INTO {table} ({holder}, station_id, {first}, until_on, undated)
                             VALUES (?1, ?2, ?3, ?4, ?5)"
                        ),
                        params![h, s, from, until, undated],
                    )?;
                    self.count(kind).new += 1;
                }
            }
        }
        Ok(())
    }

    /// Check-ins, by their keys made anew here; the monthly rollup kept current.
    pub(super) fn checkins(&mut self) -> Result<()> {
        let mut months: FxHashMap<(i64, i64, i64), i64> = FxHashMap::default();
        let mut stmt = self.src.conn.prepare(
            "SELECT worker_id, date, street_id, community_id, purpose, occurrence, batch_id
             FROM checkins ORDER BY event_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO checkins (worker_id, date, street_id, community_id, purpose, occurrence, event_key, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (event_key) DO NOTHING",
        )?;
        let (mut new, mut same) = (0u64, 0u64);
        while let Some(r) = rows.next()? {
            let (Some(&w), Some(&s)) = (self.workers.get(&r.get(0)?), self.streets.get(&r.get(2)?))
            else {
                continue;
            };
            let date: String = r.get(1)?;
            let Some(day) = stored_day(&date) else {
                continue;
            };
            let community = r
                .get::<_, Option<i64>>(3)?
                .and_then(|c| self.communities.get(&c).copied());
            let purpose: String = r.get(4)?;
            let occurrence: i64 = r.get(5)?;
            let key = checkin_key(w, day_number(day), s, community, &purpose, occurrence);
            let batch = self.batch_of(r.get(6)?);
            if insert.execute(params![
                w, date, s, community, purpose, occurrence, key, batch
            ])? == 1
            {
                new += 1;
                let month = i64::from(day.year()) * 100 + i64::from(day.month());
                *months.entry((month, w, s)).or_default() += 1;
            } else {
                same += 1;
            }
        }
        let mut upsert = self.tx.prepare_cached(
            "INSERT INTO checkin_months (month, worker_id, street_id, checkins) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (month, worker_id, street_id) DO UPDATE SET checkins = checkins + excluded.checkins",
        )?;
        let mut keys: Vec<_> = months.into_iter().collect();
        keys.sort_unstable();
        for ((m, w, s), n) in keys {
            upsert.execute(params![m, w, s, n])?;
        }
        let c = self.count(Kind::Checkins);
        c.new += new;
        c.same += same;
        Ok(())
    }

    /// Volunteer services, by their keys made anew here.
    pub(super) fn services(&mut self) -> Result<()> {
        let mut stmt = self.src.conn.prepare(
            "SELECT id, worker_id, date, activity, minutes, street_id, community_id, occurrence,
                    batch_id, entered_at
             FROM services ORDER BY event_key",
        )?;
        let mut rows = stmt.query([])?;
        let (mut new, mut same) = (0u64, 0u64);
        while let Some(r) = rows.next()? {
            let (Some(&w), Some(&s)) = (self.workers.get(&r.get(1)?), self.streets.get(&r.get(5)?))
            else {
                continue;
            };
            let date: String = r.get(2)?;
            let Some(day) = stored_day(&date) else {
                continue;
            };
            let community = r
                .get::<_, Option<i64>>(6)?
                .and_then(|c| self.communities.get(&c).copied());
            let (activity, minutes, occ): (String, i64, i64) = (r.get(3)?, r.get(4)?, r.get(7)?);
            let key = service_key(day_number(day), w, s, community, &activity, minutes, occ);
            let found = find_by(self.tx, "services", &[("event_key", &Value::Integer(key))])?;
            let id = match found {
                Some(id) => {
                    same += 1;
                    id
                }
                None => {
                    self.tx
                        .prepare_cached(
                            "INSERT INTO services (worker_id, date, activity, minutes, street_id, community_id,
                                                   occurrence, event_key, batch_id, entered_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        )?
                        .execute(params![
                            w,
                            date,
                            activity,
                            minutes,
                            s,
                            community,
                            occ,
                            key,
                            self.batch_of(r.get(8)?),
                            r.get::<_, String>(9)?
                        ])?;
                    new += 1;
                    self.tx.last_insert_rowid()
                }
            };
            self.services.insert(r.get(0)?, id);
        }
        let c = self.count(Kind::Services);
        c.new += new;
        c.same += same;
        Ok(())
    }

    /// 随手拍 reports, by their keys made anew here; a report further along there (approved,
    /// resolved) is brought along here.
    pub(super) fn tips(&mut self) -> Result<()> {
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            i64,
            Option<i64>,
            String,
            [Option<String>; 4],
            i64,
            Option<i64>,
            String,
        );
        let rows: Vec<Row> = self
            .src
            .conn
            .prepare(
                "SELECT id, worker_id, date, category, content, street_id, community_id, status,
                        approved_on, approved_by, resolved_on, resolved_by, occurrence, batch_id, entered_at
                 FROM tips ORDER BY event_key",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?],
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (sid, sw, date, category, content, ss, sc, status, marks, occ, batch, entered) in rows {
            let (Some(&w), Some(&s)) = (self.workers.get(&sw), self.streets.get(&ss)) else {
                continue;
            };
            let Some(day) = stored_day(&date) else {
                continue;
            };
            let community = sc.and_then(|c| self.communities.get(&c).copied());
            let key = tip_key(day_number(day), w, s, community, &category, &content, occ);
            let here: Option<(i64, String)> = self
                .tx
                .prepare_cached("SELECT id, status FROM tips WHERE event_key = ?1")?
                .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let [ao, ab, ro, rb] = marks;
            let id = match here {
                Some((id, st)) => {
                    if tip_rank(&status) > tip_rank(&st) {
                        self.tx.execute(
                            "UPDATE tips SET status = ?2,
                               approved_on = coalesce(approved_on, ?3), approved_by = coalesce(approved_by, ?4),
                               resolved_on = coalesce(resolved_on, ?5), resolved_by = coalesce(resolved_by, ?6)
                             WHERE id = ?1",
                            params![id, status, ao, ab, ro, rb],
                        )?;
                        self.count(Kind::Tips).updated += 1;
                    } else {
                        self.count(Kind::Tips).same += 1;
                    }
                    id
                }
                None => {
                    self.tx
                        .prepare_cached(
                            "INSERT INTO tips (worker_id, date, category, content, street_id, community_id, status,
                                               approved_on, approved_by, resolved_on, resolved_by, occurrence,
                                               event_key, batch_id, entered_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                        )?
                        .execute(params![
                            w,
                            date,
                            category,
                            content,
                            s,
                            community,
                            status,
                            ao,
                            ab,
                            ro,
                            rb,
                            occ,
                            key,
                            self.batch_of(batch),
                            entered
                        ])?;
                    self.count(Kind::Tips).new += 1;
                    self.tx.last_insert_rowid()
                }
            };
            self.tips.insert(sid, id);
        }
        Ok(())
    }

    /// Wishes (by worker, wish and day; a fulfilment there brought along) and awards (by
    /// worker, title and year), each under the street it counted under there.
    pub(super) fn wishes_awards(&mut self, streets: &SourceStreets) -> Result<()> {
        type Wish = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
        );
        let rows: Vec<Wish> = self
            .src
            .conn
            .prepare(
                "SELECT worker_id, wish, date, fulfilled_on, fulfilled_by, batch_id, street_id
                 FROM wishes ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (sw, wish, date, on, by, batch, named) in rows {
            let Some(&w) = self.workers.get(&sw) else {
                continue;
            };
            let street = self.street_there(streets, sw, named, on.as_deref().and_then(stored_day));
            let here: Option<(i64, Option<String>)> = self
                .tx
                .prepare_cached(
                    "SELECT id, fulfilled_on FROM wishes WHERE worker_id = ?1 AND wish = ?2 AND date = ?3",
                )?
                .query_row(params![w, wish, date], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match here {
                None => {
                    self.tx.execute(
                        "INSERT INTO wishes (worker_id, wish, date, fulfilled_on, fulfilled_by, batch_id, street_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![w, wish, date, on, by, self.batch_of(batch), street],
                    )?;
                    self.count(Kind::WishesAwards).new += 1;
                }
                Some((id, None)) if on.is_some() => {
                    self.tx.execute(
                        "UPDATE wishes SET fulfilled_on = ?2, fulfilled_by = ?3, street_id = ?4 WHERE id = ?1",
                        params![id, on, by, street],
                    )?;
                    self.count(Kind::WishesAwards).updated += 1;
                }
                Some((id, _)) => {
                    self.also_counts("wishes", id, street)?;
                    self.count(Kind::WishesAwards).same += 1;
                }
            }
        }
        type Award = (i64, String, i64, Option<i64>, Option<i64>);
        let rows: Vec<Award> = self
            .src
            .conn
            .prepare("SELECT worker_id, title, year, batch_id, street_id FROM awards ORDER BY id")?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (sw, title, year, batch, named) in rows {
            let Some(&w) = self.workers.get(&sw) else {
                continue;
            };
            // An award is the year's: the street at the end of that year.
            let end = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2000), 12, 31);
            let street = self.street_there(streets, sw, named, end);
            let here: Option<i64> = self
                .tx
                .prepare_cached(
                    "SELECT id FROM awards WHERE worker_id = ?1 AND title = ?2 AND year = ?3",
                )?
                .query_row(params![w, title, year], |r| r.get(0))
                .optional()?;
            match here {
                Some(id) => {
                    self.also_counts("awards", id, street)?;
                    self.count(Kind::WishesAwards).same += 1;
                }
                None => {
                    self.tx.execute(
                        "INSERT INTO awards (worker_id, title, year, batch_id, street_id)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![w, title, year, self.batch_of(batch), street],
                    )?;
                    self.count(Kind::WishesAwards).new += 1;
                }
            }
        }
        Ok(())
    }

    /// The street here of the street a record of worker `sw` counted under there: the one
    /// it names itself (`named`, a record that registry merged), else the worker's street
    /// there on `day`.
    pub(super) fn street_there(
        &self,
        streets: &SourceStreets,
        sw: i64,
        named: Option<i64>,
        day: Option<chrono::NaiveDate>,
    ) -> Option<i64> {
        named
            .or_else(|| streets.on(sw, day))
            .and_then(|s| self.streets.get(&s).copied())
    }

    /// A record already here that the registry merged counted under `there`: when it counts
    /// under another street here (its own `street_id`, else its worker's street), it counts
    /// under `there` too (`record_streets`), as each street's own file says.
    pub(super) fn also_counts(&self, tbl: &str, id: i64, there: Option<i64>) -> Result<()> {
        let Some(there) = there else {
            return Ok(());
        };
        let own: Option<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT coalesce(r.street_id, w.street_id) FROM {tbl} r
                 JOIN workers w ON w.id = r.worker_id WHERE r.id = ?1"
            ))?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten();
        if own != Some(there) {
            self.tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO record_streets (tbl, record_id, street_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![tbl, id, there])?;
        }
        Ok(())
    }

    /// The ledger: every entry there carried here with its own columns, ids mapped, and
    /// sealed in this chain; an entry already here (same worker, day and event) is not
    /// carried again. A redemption that overdraws once the ledgers meet is a conflict.
    pub(super) fn points(&mut self, streets: &SourceStreets) -> Result<()> {
        let mut carrier = Carrier::new(self.tx)?;
        let mut stmt = self.src.conn.prepare(
            "SELECT id, worker_id, date, points, kind, category, reason, occurrence, event_key,
                    rule, source_table, source_id, reverses, allow_negative, operator, entered_at,
                    batch_id, street_id
             FROM point_entries ORDER BY date, id",
        )?;
        // Entries there that a later entry there reverses: a redemption that would overdraw
        // here and was reversed there is left out with its reversal, no conflict.
        let reversed: FxHashSet<i64> = self
            .src
            .conn
            .prepare("SELECT reverses FROM point_entries WHERE reverses IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut rows = stmt.query([])?;
        let (mut new, mut same) = (0u64, 0u64);
        while let Some(r) = rows.next()? {
            let (sid, sw): (i64, i64) = (r.get(0)?, r.get(1)?);
            let Some(&w) = self.workers.get(&sw) else {
                continue;
            };
            let date: String = r.get(2)?;
            let (points, kind, category, reason): (i64, String, String, String) =
                (r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
            let (occurrence, key): (i64, i64) = (r.get(7)?, r.get(8)?);
            let source_table: Option<String> = r.get(10)?;
            let source_id = match (&source_table, r.get::<_, Option<i64>>(11)?) {
                (Some(t), Some(s)) => {
                    let map = if t == "tips" {
                        &self.tips
                    } else {
                        &self.services
                    };
                    map.get(&s).copied()
                }
                _ => None,
            };
            if source_table.is_some() && source_id.is_none() {
                continue;
            }
            let reverses = r
                .get::<_, Option<i64>>(12)?
                .and_then(|e| self.entries.get(&e).copied());
            if kind == "reverse" && reverses.is_none() {
                // It reverses an entry not carried here (an overdrawing redemption).
                continue;
            }
            let (operator, entered_at): (String, String) = (r.get(14)?, r.get(15)?);
            let street = self.street_there(streets, sw, r.get(17)?, stored_day(&date));
            let mut e = CarriedEntry {
                worker: w,
                date,
                points,
                kind,
                category,
                reason,
                occurrence,
                event_key: key,
                rule: r.get(9)?,
                source_table,
                source_id,
                reverses,
                allow_negative: r.get(13)?,
                operator,
                entered_at,
                batch: Some(self.batch_of(r.get(16)?)),
                street,
            };
            let content = point_key(sw, &e.date, &e.category, e.points, &e.reason, e.occurrence);
            let existing = if let (Some(t), Some(s)) = (&e.source_table, e.source_id) {
                e.event_key = grant_key(t, s);
                None
            } else if key == content {
                e.event_key = point_key(w, &e.date, &e.category, e.points, &e.reason, e.occurrence);
                None
            } else {
                // A correction or an entry of its own: the same entry here has every column.
                let found: Option<i64> = self
                    .tx
                    .prepare_cached(
                        "SELECT id FROM point_entries WHERE worker_id = ?1 AND date = ?2 AND kind = ?3
                         AND points = ?4 AND category = ?5 AND reason = ?6 AND operator = ?7
                         AND entered_at = ?8 AND reverses IS ?9",
                    )?
                    .query_row(
                        params![
                            w,
                            e.date,
                            e.kind,
                            e.points,
                            e.category,
                            e.reason,
                            e.operator,
                            e.entered_at,
                            e.reverses
                        ],
                        |r| r.get(0),
                    )
                    .optional()?;
                if found.is_none() {
                    e.occurrence = self.tx.query_row(
                        "SELECT ifnull(max(occurrence), 0) + 1 FROM point_entries WHERE worker_id = ?1 AND date = ?2",
                        params![w, e.date],
                        |r| r.get(0),
                    )?;
                    e.event_key = correction_key(e.occurrence, e.kind == "reverse");
                }
                found
            };
            let id = match existing {
                Some(id) => {
                    same += 1;
                    self.also_counts("point_entries", id, street)?;
                    id
                }
                None if e.points < 0
                    && !e.allow_negative
                    && self.overdraws(sid, &e, &reversed)? =>
                {
                    continue;
                }
                None => match carrier.carry(self.tx, &e)? {
                    Some(id) => {
                        new += 1;
                        id
                    }
                    None => {
                        same += 1;
                        let id = self
                            .tx
                            .prepare_cached(
                                "SELECT id FROM point_entries WHERE worker_id = ?1 AND date = ?2 AND event_key = ?3",
                            )?
                            .query_row(params![w, e.date, e.event_key], |r| r.get(0))?;
                        self.also_counts("point_entries", id, street)?;
                        id
                    }
                },
            };
            self.entries.insert(sid, id);
        }
        let c = self.count(Kind::Points);
        c.new += new;
        c.same += same;
        Ok(())
    }

    /// Whether entry `sid` there (`e`, a withdrawal not allowed to overdraw) would take its
    /// worker's running balance here below zero, when it is not here yet: then it is not
    /// carried (nor anything of it: its reversal, its gift order), and unless a later entry
    /// there reverses it, it is a conflict (the two ledgers spent the same points).
    fn overdraws(&mut self, sid: i64, e: &CarriedEntry, reversed: &FxHashSet<i64>) -> Result<bool> {
        let here: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT id FROM point_entries WHERE worker_id = ?1 AND date = ?2 AND event_key = ?3",
            )?
            .query_row(params![e.worker, e.date, e.event_key], |r| r.get(0))
            .optional()?;
        if here.is_some() {
            return Ok(false);
        }
        let available = crate::db::ledger::available(self.tx, e.worker, &e.date)?;
        if available.0 + e.points >= 0 {
            return Ok(false);
        }
        if !reversed.contains(&sid) {
            let record = self.person_here(e.worker)?;
            self.conflict(
                ConflictKind::Overdraw,
                record,
                &e.date,
                t!("merge.overdraw_here", balance = available.0).into_owned(),
                t!("merge.overdraw_there", points = -e.points).into_owned(),
            );
        }
        Ok(true)
    }

    /// The gift shop: gifts by name, orders by their redemption entry (a status further along
    /// there brought along).
    pub(super) fn gifts(&mut self, streets: &SourceStreets) -> Result<()> {
        self.gifts = self.keyed(
            &GIFT,
            Kind::Gifts,
            "id",
            // The same gift is the same name in the same shop (a street's, or the district's).
            &|c, v| {
                Ok(
                    c.prepare_cached("SELECT id FROM gifts WHERE name = ?1 AND street_id IS ?2")?
                        .query_row(params![v[0], v[5]], |r| r.get(0))
                        .optional()?,
                )
            },
            &|v| shown(&v[0]),
            &[("entered_at", Value::Text(crate::db::now_text()))],
        )?;
        type Row = (
            i64,
            i64,
            i64,
            i64,
            String,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<i64>,
            String,
            String,
            Option<i64>,
        );
        let rows: Vec<Row> = self
            .src
            .conn
            .prepare(
                "SELECT worker_id, gift_id, quantity, points, date, entry_id, status, collected_on,
                        cancelled_on, reversal_id, operator, entered_at, street_id
                 FROM gift_orders ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (
            sw,
            g,
            qty,
            points,
            date,
            entry,
            status,
            collected,
            cancelled,
            reversal,
            op,
            at,
            named,
        ) in rows
        {
            let (Some(&w), Some(&g), Some(&entry)) = (
                self.workers.get(&sw),
                self.gifts.get(&g),
                self.entries.get(&entry),
            ) else {
                continue;
            };
            let reversal = reversal.and_then(|r| self.entries.get(&r).copied());
            if status == "cancelled" && reversal.is_none() {
                continue;
            }
            let street = self.street_there(streets, sw, named, stored_day(&date));
            let here: Option<(i64, String)> = self
                .tx
                .prepare_cached("SELECT id, status FROM gift_orders WHERE entry_id = ?1")?
                .query_row([entry], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            match here {
                None => {
                    self.tx.execute(
                        "INSERT INTO gift_orders (worker_id, gift_id, quantity, points, date, entry_id, status,
                                                  collected_on, cancelled_on, reversal_id, operator, entered_at, street_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        params![
                            w, g, qty, points, date, entry, status, collected, cancelled, reversal,
                            op, at, street
                        ],
                    )?;
                    self.count(Kind::Gifts).new += 1;
                }
                Some((id, st)) if order_rank(&status) > order_rank(&st) => {
                    self.also_counts("gift_orders", id, street)?;
                    self.tx.execute(
                        "UPDATE gift_orders SET status = ?2, collected_on = ?3, cancelled_on = ?4,
                         reversal_id = ?5 WHERE id = ?1",
                        params![id, status, collected, cancelled, reversal],
                    )?;
                    self.count(Kind::Gifts).updated += 1;
                }
                Some((_, st))
                    if order_rank(&st) == 1 && order_rank(&status) == 1 && st != status =>
                {
                    let record = self.person_here(w)?;
                    self.conflict(
                        ConflictKind::Field,
                        record,
                        &super::field_label("order_status"),
                        st,
                        status,
                    );
                }
                Some((id, _)) => {
                    self.also_counts("gift_orders", id, street)?;
                    self.count(Kind::Gifts).same += 1;
                }
            }
        }
        Ok(())
    }

    /// Partner merchants, by street and name.
    pub(super) fn merchants(&mut self) -> Result<()> {
        self.merchants = self.keyed(
            &MERCHANT,
            Kind::Merchants,
            "id",
            &|c, v| find_by(c, "merchants", &[("street_id", &v[2]), ("name", &v[0])]),
            &|v| shown(&v[0]),
            &[("entered_at", Value::Text(crate::db::now_text()))],
        )?;
        Ok(())
    }

    /// 关爱活动 by day, street and title, with their named workers and gifts.
    pub(super) fn activities(&mut self) -> Result<()> {
        let map = self.keyed(
            &ACTIVITY,
            Kind::Activities,
            "id",
            &|c, v| {
                find_by(
                    c,
                    "care_activities",
                    &[("date", &v[2]), ("street_id", &v[3]), ("title", &v[1])],
                )
            },
            &|v| format!("{} {}", shown(&v[2]), shown(&v[1])),
            &[("entered_at", Value::Text(crate::db::now_text()))],
        )?;
        let people: Vec<(i64, i64)> = self
            .src
            .conn
            .prepare("SELECT activity_id, worker_id FROM care_participants")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (a, w) in people {
            if let (Some(a), Some(w)) = (map.get(&a), self.workers.get(&w)) {
                self.tx.execute(
                    "INSERT OR IGNORE INTO care_participants (activity_id, worker_id) VALUES (?1, ?2)",
                    params![a, w],
                )?;
            }
        }
        let gifts: Vec<(i64, String, i64)> = self
            .src
            .conn
            .prepare("SELECT activity_id, item, quantity FROM care_gifts")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (a, item, q) in gifts {
            if let Some(a) = map.get(&a) {
                self.tx.execute(
                    "INSERT OR IGNORE INTO care_gifts (activity_id, item, quantity) VALUES (?1, ?2, ?3)",
                    params![a, item, q],
                )?;
            }
        }
        Ok(())
    }

    /// The change log there, from the row after the last one copied: each row kept with its
    /// time, command, operator and origin, its record's id mapped (a row about a points rule,
    /// this registry's own, is not copied).
    pub(super) fn change_log(&mut self) -> Result<()> {
        let through: i64 = self.tx.query_row(
            "SELECT change_log_through FROM merge_origins WHERE id = ?1",
            [self.origin],
            |r| r.get(0),
        )?;
        let mut stmt = self.src.conn.prepare(
            "SELECT id, at, entity, entity_id, field, old, new, command, batch_id, operator
             FROM change_log WHERE id > ?1 ORDER BY id",
        )?;
        let mut rows = stmt.query([through])?;
        let mut last = through;
        let mut copied = 0u64;
        while let Some(r) = rows.next()? {
            last = r.get(0)?;
            let entity: String = r.get(2)?;
            let Ok(sid) = r.get_ref(3)?.as_str()?.parse::<i64>() else {
                continue;
            };
            let id = match entity.as_str() {
                "worker" => self.workers.get(&sid),
                "station" => self.stations.get(&sid),
                "org" => self.orgs.get(&sid),
                _ => None,
            };
            let Some(id) = id else {
                continue;
            };
            self.tx
                .prepare_cached(
                    "INSERT INTO change_log (at, entity, entity_id, field, old, new, command, batch_id, operator, origin_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(params![
                    r.get::<_, String>(1)?,
                    entity,
                    id.to_string(),
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, String>(7)?,
                    self.batch_of(r.get(8)?),
                    r.get::<_, String>(9)?,
                    self.origin
                ])?;
            copied += 1;
        }
        self.tx.execute(
            "UPDATE merge_origins SET change_log_through = ?2 WHERE id = ?1",
            params![self.origin, last],
        )?;
        self.count(Kind::History).new += copied;
        Ok(())
    }
}

impl Run<'_> {
    /// The postings there (people of that registry on two streets' registers): each a posting
    /// here too, unless it is the street of the worker row here.
    pub(super) fn postings(&mut self) -> Result<()> {
        type Posting = (i64, i64, [Option<i64>; 3], Option<String>, Option<String>);
        let rows: Vec<Posting> = self
            .src
            .conn
            .prepare(
                "SELECT worker_id, street_id, station_id, enterprise_id, community_id, joined_on,
                        left_on
                 FROM worker_postings ORDER BY id",
            )?
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    [r.get(2)?, r.get(3)?, r.get(4)?],
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (sw, ss, [station, enterprise, community], joined, left) in rows {
            let (Some(&w), Some(&s)) = (self.workers.get(&sw), self.streets.get(&ss)) else {
                continue;
            };
            let home: i64 =
                self.tx
                    .query_row("SELECT street_id FROM workers WHERE id = ?1", [w], |r| {
                        r.get(0)
                    })?;
            if home == s {
                continue;
            }
            use super::people::{COMMUNITY, ENTERPRISE, JOINED, LEFT, STATION, STREET, WORKER};
            let mut theirs = vec![Value::Null; WORKER.fields.len()];
            let id = |v: Option<i64>, map: &FxHashMap<i64, i64>| {
                v.and_then(|x| map.get(&x).copied())
                    .map_or(Value::Null, Value::Integer)
            };
            theirs[STATION] = id(station, &self.stations);
            theirs[ENTERPRISE] = id(enterprise, &self.enterprises);
            theirs[COMMUNITY] = id(community, &self.communities);
            theirs[STREET] = Value::Integer(s);
            theirs[JOINED] = joined.map_or(Value::Null, Value::Text);
            theirs[LEFT] = left.map_or(Value::Null, Value::Text);
            let posting: Option<i64> = self
                .tx
                .query_row(
                    "SELECT id FROM worker_postings WHERE worker_id = ?1 AND street_id = ?2",
                    params![w, s],
                    |r| r.get(0),
                )
                .optional()?;
            self.post(w, &theirs, posting)?;
        }
        Ok(())
    }

    /// The streets where records there count besides their own (`record_streets` of a
    /// registry that merged others): each record found here by its key, counted there too.
    pub(super) fn record_streets(&mut self) -> Result<()> {
        let rows: Vec<(String, i64, i64)> = self
            .src
            .conn
            .prepare("SELECT tbl, record_id, street_id FROM record_streets")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (tbl, record, street) in rows {
            let Some(&s) = self.streets.get(&street) else {
                continue;
            };
            let src = &self.src.conn;
            let here: Option<i64> = match tbl.as_str() {
                "point_entries" => self.entries.get(&record).copied(),
                "gift_orders" => {
                    let entry: Option<i64> = src
                        .query_row(
                            "SELECT entry_id FROM gift_orders WHERE id = ?1",
                            [record],
                            |r| r.get(0),
                        )
                        .optional()?;
                    match entry.and_then(|e| self.entries.get(&e).copied()) {
                        Some(e) => self
                            .tx
                            .query_row("SELECT id FROM gift_orders WHERE entry_id = ?1", [e], |r| {
                                r.get(0)
                            })
                            .optional()?,
                        None => None,
                    }
                }
                "wishes" | "awards" | "worker_stages" => {
                    let (a, b) = match tbl.as_str() {
                        "wishes" => ("wish", "date"),
                        "awards" => ("title", "year"),
                        _ => ("stage", "stage"),
                    };
                    let key: Option<(i64, Value, Value)> = src
                        .query_row(
                            &format!("SELECT worker_id, {a}, {b} FROM {tbl} WHERE id = ?1"),
                            [record],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    match key.and_then(|(w, x, y)| Some((*self.workers.get(&w)?, x, y))) {
                        Some((w, x, y)) => self
                            .tx
                            .query_row(
                                &format!(
                                    "SELECT id FROM {tbl} WHERE worker_id = ?1 AND {a} = ?2 AND {b} = ?3"
                                ),
                                params![w, x, y],
                                |r| r.get(0),
                            )
                            .optional()?,
                        None => None,
                    }
                }
                _ => None,
            };
            if let Some(id) = here {
                let tbl: &str = match tbl.as_str() {
                    "point_entries" => "point_entries",
                    "gift_orders" => "gift_orders",
                    "wishes" => "wishes",
                    "awards" => "awards",
                    _ => "worker_stages",
                };
                self.also_counts(tbl, id, Some(s))?;
            }
        }
        Ok(())
    }
}
