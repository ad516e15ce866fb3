//! Read queries for one worker's history (`report worker`): the register entry and the
//! worker's check-ins, volunteer services, 随手拍 reports, 微心愿, awards and ledger entries,
//! each selected by the worker's row id (`worker_id = ?1`) and, when a period is given, by
//! date — never by 姓名 or 手机号, so two workers of one name are never mixed up. Values come
//! back in full (codes, full text); masking and labels are the business of the report.
//!
//! Indexes: point entries are found through `point_entries_event (worker_id, date, …)`,
//! wishes and awards through their `UNIQUE (worker_id, …)` indexes, the register entry by its
//! rowid, services and reports through their indexes on `worker_id`, check-ins of a period
//! through their event keys (the key leads with the day).

use anyhow::Result;
use rusqlite::{Connection, params, params_from_iter};

use crate::model::Period;

/// The days of `period` as `(from, to)`, both included; all days without one.
fn days(period: Option<&Period>) -> (String, String) {
    period.map_or(("0000-01-01".into(), "9999-12-31".into()), |p| {
        (p.from.to_string(), p.to.to_string())
    })
}

/// The condition on `event_key` (check-ins and services: the day in the high bits) that
/// keeps the days of `period`, with its bounds, or nothing without one. Without a period the
/// table is read in full rather than through the whole key index.
fn key_range(alias: &str, period: Option<&Period>) -> Result<(String, Vec<i64>)> {
    Ok(match period {
        Some(p) => {
            let (lo, hi) = super::events::checkin_keys(p);
            (
                format!("AND {alias}.event_key >= ?2 AND {alias}.event_key < ?3"),
                vec![lo, hi],
            )
        }
        None => (String::new(), Vec::new()),
    })
}

/// One 报到 check-in of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    /// Row id.
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Street checked in to (name).
    pub street: String,
    /// Community checked in to (name), if recorded.
    pub community: Option<String>,
    /// 事项; empty when none was written.
    pub purpose: String,
}

/// The check-ins of worker `id` dated inside `period` (`None`: all), by date then entry.
/// Check-ins have no index on `worker_id` (it would slow every import of a large register by
/// half): a period is read through `checkins_event` (the key leads with the day), the whole
/// history by scanning the table — about 0.1 s per million check-ins.
///
/// Errors: a period bound that is not a `YYYY-MM-DD` date; database errors.
pub fn checkins(conn: &Connection, id: i64, period: Option<&Period>) -> Result<Vec<Checkin>> {
    let (range, bounds) = key_range("k", period)?;
    let sql = format!(
        "SELECT k.id, k.date, s.name, c.name, k.purpose
         FROM checkins k
         JOIN streets s ON s.id = k.street_id
         LEFT JOIN communities c ON c.id = k.community_id
         WHERE k.worker_id = ?1 {range}
         ORDER BY k.date, k.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params_from_iter(std::iter::once(id).chain(bounds)), |r| {
            Ok(Checkin {
                id: r.get(0)?,
                date: r.get(1)?,
                street: r.get(2)?,
                community: r.get(3)?,
                purpose: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One volunteer service (志愿服务) of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Row id (what the ledger's `services:ID` names).
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// 活动名称.
    pub activity: String,
    /// Length, in minutes (> 0).
    pub minutes: i64,
    /// Street where it was served (name).
    pub street: String,
    /// Community where it was served (name), if recorded.
    pub community: Option<String>,
}

/// The volunteer services of worker `id` dated inside `period` (`None`: all), by date then
/// entry, through the index on `services.worker_id`.
///
/// Errors: a period bound that is not a `YYYY-MM-DD` date; database errors.
pub fn services(conn: &Connection, id: i64, period: Option<&Period>) -> Result<Vec<Service>> {
    let (range, bounds) = key_range("v", period)?;
    let sql = format!(
        "SELECT v.id, v.date, v.activity, v.minutes, s.name, c.name
         FROM services v
         JOIN streets s ON s.id = v.street_id
         LEFT JOIN communities c ON c.id = v.community_id
         WHERE v.worker_id = ?1 {range}
         ORDER BY v.date, v.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params_from_iter(std::iter::once(id).chain(bounds)), |r| {
            Ok(Service {
                id: r.get(0)?,
                date: r.get(1)?,
                activity: r.get(2)?,
                minutes: r.get(3)?,
                street: r.get(4)?,
                community: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One 随手拍 report of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// Row id (what `tip approve` and `tip resolve` take).
    pub id: i64,
    /// 上报日期, `YYYY-MM-DD`.
    pub date: String,
    /// Category code (`safety_hazard` …).
    pub category: String,
    /// 内容.
    pub content: String,
    /// Status code: `pending`, `approved`, `resolved`.
    pub status: String,
    /// Day of resolution (办结), `YYYY-MM-DD`, once resolved.
    pub resolved_on: Option<String>,
    /// Street where the problem was seen (name).
    pub street: String,
}

/// The 随手拍 reports of worker `id` made or resolved inside `period` (`None`: all), by date
/// of the report then entry. A report made before the period and resolved in it is included:
/// the caller tells the two dates apart. Read through the index on `tips.worker_id`.
///
/// Errors: database errors.
pub fn tips(conn: &Connection, id: i64, period: Option<&Period>) -> Result<Vec<Tip>> {
    let (from, to) = days(period);
    let rows = conn
        .prepare(
            "SELECT t.id, t.date, t.category, t.content, t.status, t.resolved_on, s.name
             FROM tips t
             JOIN streets s ON s.id = t.street_id
             WHERE t.worker_id = ?1
               AND (t.date BETWEEN ?2 AND ?3 OR t.resolved_on BETWEEN ?2 AND ?3)
             ORDER BY t.date, t.id",
        )?
        .query_map(params![id, from, to], |r| {
            Ok(Tip {
                id: r.get(0)?,
                date: r.get(1)?,
                category: r.get(2)?,
                content: r.get(3)?,
                status: r.get(4)?,
                resolved_on: r.get(5)?,
                street: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One 微心愿 of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    /// Row id (what `wish fulfil` takes).
    pub id: i64,
    /// 登记日期, `YYYY-MM-DD`.
    pub date: String,
    /// 心愿内容.
    pub wish: String,
    /// 实现日期, `YYYY-MM-DD`; `None` while open.
    pub fulfilled_on: Option<String>,
    /// 认领人: the person or unit who fulfilled it.
    pub fulfilled_by: Option<String>,
}

/// [`wishes`]: through `UNIQUE (worker_id, wish, date)`.
const WISHES_SQL: &str = "SELECT h.id, h.date, h.wish, h.fulfilled_on, h.fulfilled_by
     FROM wishes h
     WHERE h.worker_id = ?1
     AND (h.date BETWEEN ?2 AND ?3 OR h.fulfilled_on BETWEEN ?2 AND ?3)
     ORDER BY h.date, h.id";

/// The wishes of worker `id` registered or fulfilled inside `period` (`None`: all), by date
/// of registration then entry.
///
/// Errors: database errors.
pub fn wishes(conn: &Connection, id: i64, period: Option<&Period>) -> Result<Vec<Wish>> {
    let (from, to) = days(period);
    let rows = conn
        .prepare(WISHES_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(Wish {
                id: r.get(0)?,
                date: r.get(1)?,
                wish: r.get(2)?,
                fulfilled_on: r.get(3)?,
                fulfilled_by: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One award (评选) of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// Row id.
    pub id: i64,
    /// 荣誉称号.
    pub title: String,
    /// 年度 (a year, 2000–2100).
    pub year: i64,
}

/// [`awards`]: through `UNIQUE (worker_id, title, year)`.
const AWARDS_SQL: &str = "SELECT a.id, a.title, a.year
     FROM awards a
     WHERE a.worker_id = ?1 AND printf('%04d-12-31', a.year) BETWEEN ?2 AND ?3
     ORDER BY a.year, a.id";

/// The awards of worker `id` whose year ends inside `period` (an award has a year only and
/// counts on 31 December of it; `None`: all), by year then entry.
///
/// Errors: database errors.
pub fn awards(conn: &Connection, id: i64, period: Option<&Period>) -> Result<Vec<Award>> {
    let (from, to) = days(period);
    let rows = conn
        .prepare(AWARDS_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(Award {
                id: r.get(0)?,
                title: r.get(1)?,
                year: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One ledger entry of the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointEntry {
    /// Entry id (what `points reverse` takes).
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `earn`, `redeem`, `reverse` or `adjust`.
    pub kind: String,
    /// Signed points (never 0): negative for a redemption.
    pub points: i64,
    /// Category code (`volunteer_service`, `tip`, `suggestion`, `redemption`, `other`).
    pub category: String,
    /// 事由; empty when none was written.
    pub reason: String,
    /// For a reversal: the id of the entry it reverses.
    pub reverses: Option<i64>,
    /// For a reversal: the kind of the entry it reverses.
    pub reversed_kind: Option<String>,
    /// The reversal that undoes this entry, whenever dated, if any.
    pub reversed_by: Option<i64>,
}

/// [`point_entries`]: through `point_entries_event (worker_id, date, event_key)`.
const POINT_ENTRIES_SQL: &str =
    "SELECT p.id, p.date, p.kind, p.points, p.category, p.reason, p.reverses, o.kind,
            (SELECT r.id FROM point_entries r WHERE r.reverses = p.id)
     FROM point_entries p
     LEFT JOIN point_entries o ON o.id = p.reverses
     WHERE p.worker_id = ?1 AND p.date BETWEEN ?2 AND ?3
     ORDER BY p.date, p.id";

/// The ledger entries of worker `id` dated inside `period` (`None`: all), by date then entry
/// (the order of `points statement`).
///
/// Errors: database errors.
pub fn point_entries(
    conn: &Connection,
    id: i64,
    period: Option<&Period>,
) -> Result<Vec<PointEntry>> {
    let (from, to) = days(period);
    let rows = conn
        .prepare(POINT_ENTRIES_SQL)?
        .query_map(params![id, from, to], |r| {
            Ok(PointEntry {
                id: r.get(0)?,
                date: r.get(1)?,
                kind: r.get(2)?,
                points: r.get(3)?,
                category: r.get(4)?,
                reason: r.get(5)?,
                reverses: r.get(6)?,
                reversed_kind: r.get(7)?,
                reversed_by: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// [`balance_through`]: through `point_entries_event`.
const BALANCE_THROUGH_SQL: &str = "SELECT coalesce(sum(points), 0) FROM point_entries
     WHERE worker_id = ?1 AND date <= ?2";

/// The points balance of worker `id` at the end of day `date` (`YYYY-MM-DD`, or any text
/// that sorts after the last day wanted, e.g. `2025-02-31` for February): the sum of the
/// entries dated on or before it, in points; 0 without any.
///
/// Errors: database errors.
pub fn balance_through(conn: &Connection, id: i64, date: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(BALANCE_THROUGH_SQL)?
        .query_row(params![id, date], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Db, OpenMode};

    /// The plan SQLite chooses for `sql` (parameters left unbound), one step per line.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            steps.push(r.get::<_, String>(3).unwrap());
        }
        steps.join("\n")
    }

    #[test]
    fn the_queries_use_the_indexes_there_are() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        let c = &db.conn;
        let worker_sql = format!("{} WHERE w.id = ?1", super::super::queries::WORKER_SELECT);
        let expected = [
            (
                worker_sql.as_str(),
                "SEARCH w USING INTEGER PRIMARY KEY (rowid=?)",
            ),
            (WISHES_SQL, "sqlite_autoindex_wishes_1 (worker_id=?)"),
            (AWARDS_SQL, "sqlite_autoindex_awards_1 (worker_id=?)"),
            (
                POINT_ENTRIES_SQL,
                "point_entries_event (worker_id=? AND date>? AND date<?)",
            ),
            (
                BALANCE_THROUGH_SQL,
                "point_entries_event (worker_id=? AND date<?)",
            ),
        ];
        for (sql, step) in expected {
            let p = plan(c, sql);
            assert!(p.contains(step), "{sql}\n{p}");
        }
        // Check-ins, services and reports of one worker, with or without a period, through
        // the worker's index.
        let (range, _) = key_range(
            "k",
            Some(&Period {
                from: crate::model::period::stored_day("2025-07-01").unwrap(),
                to: crate::model::period::stored_day("2025-07-31").unwrap(),
            }),
        )
        .unwrap();
        let p = plan(
            c,
            &format!("SELECT k.id FROM checkins k WHERE k.worker_id = ?1 {range}"),
        );
        assert!(
            p.contains("checkins_event (event_key>? AND event_key<?)"),
            "{p}"
        );
        for table in ["services", "tips"] {
            for r in [range.as_str(), ""] {
                let p = plan(
                    c,
                    &format!("SELECT k.id FROM {table} k WHERE k.worker_id = ?1 {r}"),
                );
                assert!(p.contains(&format!("{table}_worker (worker_id=?)")), "{p}");
            }
        }
    }

    #[test]
    fn an_unknown_worker_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("n.db"), OpenMode::Create).unwrap();
        assert_eq!(super::super::queries::worker(&db.conn, 7).unwrap(), None);
        assert_eq!(balance_through(&db.conn, 7, "9999-12-31").unwrap(), 0);
        assert!(checkins(&db.conn, 7, None).unwrap().is_empty());
    }
}
