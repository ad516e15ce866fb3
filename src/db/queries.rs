//! Read queries: the lists and the per-street figures. Values come back in full (codes, full
//! numbers); masking and labels are the business of the layer that shows them.

use anyhow::Result;

use crate::model::Period;
use rusqlite::{Connection, OptionalExtension, params};

/// One worker as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRow {
    /// Row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// `male` / `female`.
    pub gender: Option<String>,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
    /// Code, e.g. `party_member`.
    pub political_status: Option<String>,
    /// Code, e.g. `courier`.
    pub occupation: String,
    /// Enterprise name.
    pub enterprise: Option<String>,
    /// Station name.
    pub station: Option<String>,
    /// Street name.
    pub street: String,
    /// Community name.
    pub community: Option<String>,
    /// 入职日期, `YYYY-MM-DD`.
    pub joined_on: Option<String>,
    /// 离职日期, `YYYY-MM-DD`.
    pub left_on: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

/// Which workers a list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkerFilter<'a> {
    /// Only this street.
    pub street: Option<i64>,
    /// Only those working on this day, `YYYY-MM-DD` (joined by then and not left before it).
    pub on: Option<&'a str>,
}

/// The register entry's columns and joins, read by [`worker_row`].
pub(crate) const WORKER_SELECT: &str =
    "SELECT w.name, w.gender, w.phone, w.id_number, w.political_status, w.occupation,
            e.name, st.name, s.name, c.name, w.id, w.joined_on, w.left_on, w.note
     FROM workers w
     JOIN streets s ON s.id = w.street_id
     LEFT JOIN enterprises e ON e.id = w.enterprise_id
     LEFT JOIN stations st ON st.id = w.station_id
     LEFT JOIN communities c ON c.id = w.community_id";

fn worker_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WorkerRow> {
    Ok(WorkerRow {
        id: r.get(10)?,
        joined_on: r.get(11)?,
        left_on: r.get(12)?,
        note: r.get(13)?,
        name: r.get(0)?,
        gender: r.get(1)?,
        phone: r.get(2)?,
        id_number: r.get(3)?,
        political_status: r.get(4)?,
        occupation: r.get(5)?,
        enterprise: r.get(6)?,
        station: r.get(7)?,
        street: r.get(8)?,
        community: r.get(9)?,
    })
}

/// Workers as the filter says, ordered by street and name.
pub fn workers(conn: &Connection, f: WorkerFilter<'_>) -> Result<Vec<WorkerRow>> {
    let mut stmt = conn.prepare(&format!(
        "{WORKER_SELECT}
         WHERE (?1 IS NULL OR w.street_id = ?1)
           AND (?2 IS NULL OR ((w.joined_on IS NULL OR w.joined_on <= ?2)
                               AND (w.left_on IS NULL OR w.left_on >= ?2)))
         ORDER BY s.code IS NULL, s.code, s.name, w.name, w.id"
    ))?;
    let rows = stmt
        .query_map(params![f.street, f.on], worker_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The register entry of worker `id` (full numbers), found by its rowid; `None` when there
/// is no such worker.
///
/// Errors: database errors.
pub fn worker(conn: &Connection, id: i64) -> Result<Option<WorkerRow>> {
    Ok(conn
        .query_row(
            &format!("{WORKER_SELECT} WHERE w.id = ?1"),
            [id],
            worker_row,
        )
        .optional()?)
}

/// One check-in as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRow {
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Street checked in to.
    pub street: String,
    /// Community checked in to.
    pub community: Option<String>,
    /// 事项.
    pub purpose: String,
}

/// Check-ins, optionally of one street and within a period, by date.
pub fn checkins(
    conn: &Connection,
    street: Option<i64>,
    period: Option<&Period>,
) -> Result<Vec<CheckinRow>> {
    let range = period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(
        "SELECT w.name, w.phone, k.date, s.name, c.name, k.purpose
         FROM checkins k
         JOIN workers w ON w.id = k.worker_id
         JOIN streets s ON s.id = k.street_id
         LEFT JOIN communities c ON c.id = k.community_id
         WHERE (?1 IS NULL OR k.street_id = ?1)
           AND (?2 IS NULL OR (k.event_key >= ?2 AND k.event_key < ?3))
         ORDER BY k.event_key >> 44, k.id",
    )?;
    let rows = stmt
        .query_map(
            params![street, range.map(|r| r.0), range.map(|r| r.1)],
            |r| {
                Ok(CheckinRow {
                    name: r.get(0)?,
                    phone: r.get(1)?,
                    date: r.get(2)?,
                    street: r.get(3)?,
                    community: r.get(4)?,
                    purpose: r.get(5)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A worker's points balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceRow {
    /// 姓名.
    pub name: String,
    /// Full 手机号.
    pub phone: Option<String>,
    /// Full 身份证号.
    pub id_number: Option<String>,
    /// Sum of the worker's ledger entries, in points.
    pub balance: i64,
    /// Points earned in all, net of reversals and adjustments (earned − redeemed = balance).
    pub earned: i64,
    /// Points redeemed in all, net of reversed redemptions (a positive number).
    pub redeemed: i64,
}

/// Balances of every worker with ledger entries (or of one worker), by name.
pub fn balances(conn: &Connection, worker: Option<i64>) -> Result<Vec<BalanceRow>> {
    let mut stmt = conn.prepare(
        "SELECT w.name, w.phone, w.id_number, sum(p.points),
                coalesce(sum(CASE WHEN p.kind = 'redeem' OR o.kind = 'redeem' THEN 0 ELSE p.points END), 0),
                -coalesce(sum(CASE WHEN p.kind = 'redeem' OR o.kind = 'redeem' THEN p.points END), 0)
         FROM point_entries p JOIN workers w ON w.id = p.worker_id
         LEFT JOIN point_entries o ON o.id = p.reverses
         WHERE ?1 IS NULL OR p.worker_id = ?1
         GROUP BY p.worker_id
         ORDER BY w.name, w.id",
    )?;
    let rows = stmt
        .query_map([worker], |r| {
            Ok(BalanceRow {
                name: r.get(0)?,
                phone: r.get(1)?,
                id_number: r.get(2)?,
                balance: r.get(3)?,
                earned: r.get(4)?,
                redeemed: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The latest month with any check-in or points entry, as `YYYY-MM`.
pub fn latest_month(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row(
        "SELECT substr(max(d), 1, 7) FROM (SELECT max(date) AS d FROM checkins
                                           UNION ALL SELECT max(date) FROM point_entries)",
        [],
        |r| r.get(0),
    )?)
}

/// Seeds the streets of a district (official codes); returns how many were new.
pub fn seed_streets(
    conn: &Connection,
    district_code: &str,
    streets: &[(String, String)],
) -> Result<u64> {
    let mut new = 0;
    for (code, name) in streets {
        if super::places::upsert_street(conn, Some(code), name, Some(district_code))?
            == super::places::Outcome::New
        {
            new += 1;
        }
    }
    Ok(new)
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
pub fn stations(
    conn: &Connection,
    street: Option<i64>,
    id: Option<i64>,
) -> Result<Vec<StationRow>> {
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
