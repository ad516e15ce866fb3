//! Read queries for the programme's records beyond check-ins: volunteer services, 随手拍
//! reports, 微心愿, awards and instructors with their stations, plus the small look-ups their
//! commands need to say what they did. Values come back in full (codes, full numbers); masking
//! and labels are the business of the layer that shows them.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use crate::model::Period;

/// The points a record granted, net of any reversal of that grant: the SQL expression over
/// `e` (the grant, `kind = 'earn'`) and `r` (its reversal), both LEFT JOINed.
const NET_POINTS: &str = "coalesce(e.points, 0) + coalesce(r.points, 0)";

/// One volunteer service as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// Row id (what other commands and the ledger's `services:ID` name).
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 活动名称.
    pub activity: String,
    /// Length, in minutes.
    pub minutes: i64,
    /// Points the service granted (volunteer_hour rule), net of a reversal of that grant.
    pub points: i64,
    /// Street where it was served.
    pub street: String,
    /// Community where it was served.
    pub community: Option<String>,
}

/// Volunteer services, optionally of one street and within a period, by date then entry.
pub fn services(
    conn: &Connection,
    street: Option<i64>,
    period: Option<&Period>,
) -> Result<Vec<ServiceRow>> {
    let range = period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(&format!(
        "SELECT v.id, w.name, w.phone, v.date, v.activity, v.minutes, {NET_POINTS}, s.name, c.name
         FROM services v
         JOIN workers w ON w.id = v.worker_id
         JOIN streets s ON s.id = v.street_id
         LEFT JOIN communities c ON c.id = v.community_id
         LEFT JOIN point_entries e ON e.source_table = 'services' AND e.source_id = v.id
                                  AND e.kind = 'earn'
         LEFT JOIN point_entries r ON r.reverses = e.id
         WHERE (?1 IS NULL OR v.street_id = ?1)
           AND (?2 IS NULL OR (v.event_key >= ?2 AND v.event_key < ?3))
         ORDER BY v.event_key >> 44, v.id"
    ))?;
    let rows = stmt
        .query_map(
            params![street, range.map(|r| r.0), range.map(|r| r.1)],
            |r| {
                Ok(ServiceRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    phone: r.get(2)?,
                    date: r.get(3)?,
                    activity: r.get(4)?,
                    minutes: r.get(5)?,
                    points: r.get(6)?,
                    street: r.get(7)?,
                    community: r.get(8)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Another service identical to service `id` (same worker, date, activity, minutes, street
/// and community), if one is stored: a service typed twice.
pub fn identical_service(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT o.id FROM services v
             JOIN services o ON o.worker_id = v.worker_id AND o.date = v.date
                  AND o.activity = v.activity AND o.minutes = v.minutes
                  AND o.street_id = v.street_id AND o.community_id IS v.community_id
                  AND o.id <> v.id
             WHERE v.id = ?1
             ORDER BY o.id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The points record `source_table`/`source_id` (`services` or `tips`) has granted: the
/// amount of its grant, 0 when none.
pub fn granted(conn: &Connection, source_table: &str, source_id: i64) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT points FROM point_entries
             WHERE source_table = ?1 AND source_id = ?2 AND kind = 'earn'",
            params![source_table, source_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Which 随手拍 reports [`tips`] lists. Every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct TipFilter<'a> {
    /// Status code: `pending`, `approved` or `resolved` (exactly that status).
    pub status: Option<&'a str>,
    /// Category code, e.g. `safety_hazard`.
    pub category: Option<&'a str>,
    /// Street row id: reports made in that street.
    pub street: Option<i64>,
    /// Reports dated inside the period.
    pub period: Option<&'a Period>,
}

/// One 随手拍 report as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipRow {
    /// Row id (what `tip approve` and `tip resolve` take).
    pub id: i64,
    /// 上报日期, `YYYY-MM-DD`.
    pub date: String,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// Category code.
    pub category: String,
    /// 内容.
    pub content: String,
    /// Status code: `pending`, `approved`, `resolved`.
    pub status: String,
    /// Day of approval.
    pub approved_on: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// Day of resolution (办结).
    pub resolved_on: Option<String>,
    /// Who resolved.
    pub resolved_by: Option<String>,
    /// Street where the problem was seen.
    pub street: String,
    /// Community.
    pub community: Option<String>,
    /// Points the approval granted, net of a reversal of that grant (0 while pending).
    pub points: i64,
}

/// 随手拍 reports matching `f`, by date then entry.
pub fn tips(conn: &Connection, f: &TipFilter<'_>) -> Result<Vec<TipRow>> {
    let range = f.period.map(super::events::checkin_keys);
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, t.date, w.name, w.phone, t.category, t.content, t.status,
                t.approved_on, t.approved_by, t.resolved_on, t.resolved_by, s.name, c.name,
                {NET_POINTS}
         FROM tips t
         JOIN workers w ON w.id = t.worker_id
         JOIN streets s ON s.id = t.street_id
         LEFT JOIN communities c ON c.id = t.community_id
         LEFT JOIN point_entries e ON e.source_table = 'tips' AND e.source_id = t.id
                                  AND e.kind = 'earn'
         LEFT JOIN point_entries r ON r.reverses = e.id
         WHERE (?1 IS NULL OR t.street_id = ?1)
           AND (?2 IS NULL OR (t.event_key >= ?2 AND t.event_key < ?3))
           AND (?4 IS NULL OR t.status = ?4)
           AND (?5 IS NULL OR t.category = ?5)
         ORDER BY t.event_key >> 44, t.id"
    ))?;
    let rows = stmt
        .query_map(
            params![
                f.street,
                range.map(|r| r.0),
                range.map(|r| r.1),
                f.status,
                f.category
            ],
            |r| {
                Ok(TipRow {
                    id: r.get(0)?,
                    date: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    category: r.get(4)?,
                    content: r.get(5)?,
                    status: r.get(6)?,
                    approved_on: r.get(7)?,
                    approved_by: r.get(8)?,
                    resolved_on: r.get(9)?,
                    resolved_by: r.get(10)?,
                    street: r.get(11)?,
                    community: r.get(12)?,
                    points: r.get(13)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Another report identical to report `id` (same worker, date, category, content, street and
/// community), if one is stored: a report typed twice.
pub fn identical_tip(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT o.id FROM tips t
             JOIN tips o ON o.worker_id = t.worker_id AND o.date = t.date
                  AND o.category = t.category AND o.content = t.content
                  AND o.street_id = t.street_id AND o.community_id IS t.community_id
                  AND o.id <> t.id
             WHERE t.id = ?1
             ORDER BY o.id LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// A report as its commands name it in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipBrief {
    /// Worker row id.
    pub worker: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Category code.
    pub category: String,
    /// Status code.
    pub status: String,
    /// Day of approval.
    pub approved_on: Option<String>,
}

/// Report `id`, or `None` when there is none.
pub fn tip_brief(conn: &Connection, id: i64) -> Result<Option<TipBrief>> {
    Ok(conn
        .query_row(
            "SELECT t.worker_id, w.name, t.category, t.status, t.approved_on
             FROM tips t JOIN workers w ON w.id = t.worker_id WHERE t.id = ?1",
            [id],
            |r| {
                Ok(TipBrief {
                    worker: r.get(0)?,
                    name: r.get(1)?,
                    category: r.get(2)?,
                    status: r.get(3)?,
                    approved_on: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// One 微心愿 as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishRow {
    /// Row id (what `wish fulfil` takes).
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// 心愿内容.
    pub wish: String,
    /// 登记日期, `YYYY-MM-DD`.
    pub date: String,
    /// 实现日期; `None` while open.
    pub fulfilled_on: Option<String>,
    /// 认领人: the person or unit who fulfilled it.
    pub fulfilled_by: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Wishes, optionally only the open ones (not fulfilled) and of workers of one street, by
/// date then entry.
pub fn wishes(conn: &Connection, open_only: bool, street: Option<i64>) -> Result<Vec<WishRow>> {
    let mut stmt = conn.prepare(
        "SELECT h.id, w.name, w.phone, h.wish, h.date, h.fulfilled_on, h.fulfilled_by, s.name
         FROM wishes h
         JOIN workers w ON w.id = h.worker_id
         JOIN streets s ON s.id = w.street_id
         WHERE (?1 = 0 OR h.fulfilled_on IS NULL)
           AND (?2 IS NULL OR w.street_id = ?2)
         ORDER BY h.date, h.id",
    )?;
    let rows = stmt
        .query_map(params![open_only, street], |r| {
            Ok(WishRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                wish: r.get(3)?,
                date: r.get(4)?,
                fulfilled_on: r.get(5)?,
                fulfilled_by: r.get(6)?,
                street: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The id of the wish `worker` made with this text on `date`, if stored.
pub fn wish_id(conn: &Connection, worker: i64, wish: &str, date: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM wishes WHERE worker_id = ?1 AND wish = ?2 AND date = ?3",
            params![worker, wish, date],
            |r| r.get(0),
        )
        .optional()?)
}

/// The worker's 姓名 and the text of wish `id`, or `None` when there is none.
pub fn wish_brief(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT w.name, h.wish FROM wishes h JOIN workers w ON w.id = h.worker_id
             WHERE h.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// One award as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRow {
    /// Row id.
    pub id: i64,
    /// Worker's 姓名.
    pub name: String,
    /// Worker's full 手机号.
    pub phone: Option<String>,
    /// 荣誉称号.
    pub title: String,
    /// 年度.
    pub year: i64,
    /// The worker's enterprise.
    pub enterprise: Option<String>,
    /// The worker's street.
    pub street: String,
}

/// Awards, optionally of one year, by year, then in the order they were entered.
pub fn awards(conn: &Connection, year: Option<i64>) -> Result<Vec<AwardRow>> {
    let mut stmt = conn.prepare(
        "SELECT a.id, w.name, w.phone, a.title, a.year, e.name, s.name
         FROM awards a
         JOIN workers w ON w.id = a.worker_id
         JOIN streets s ON s.id = w.street_id
         LEFT JOIN enterprises e ON e.id = w.enterprise_id
         WHERE (?1 IS NULL OR a.year = ?1)
         ORDER BY a.year, a.id",
    )?;
    let rows = stmt
        .query_map([year], |r| {
            Ok(AwardRow {
                id: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                title: r.get(3)?,
                year: r.get(4)?,
                enterprise: r.get(5)?,
                street: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
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
pub fn instructors(conn: &Connection, street: Option<i64>) -> Result<Vec<InstructorRow>> {
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

/// The name of station `id`.
pub fn station_name(conn: &Connection, id: i64) -> Result<String> {
    Ok(
        conn.query_row("SELECT name FROM stations WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}
