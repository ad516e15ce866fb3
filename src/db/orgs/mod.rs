//! Party organizations (党组织): finding one by name, and the queries of `org list` and
//! `org show`. The stations an organization covers, by day, are in `cover.rs`; the loader of
//! the organizations register (an organization is its name) in `load.rs`. Every organization
//! added, every field changed and every coverage begun, ended or replaced is written to the
//! change log (entity `org`).

mod cover;
mod load;

pub use cover::{
    CoverError, CoverageSpan, Covered, apply_cover, coverage_history, plan_cover, uncover,
};
pub use load::{Loaded, OrgLoader};

use rust_i18n::t;
use std::collections::{HashMap, HashSet};

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Reader;
use super::places::nearest;

/// The 成立日期 of organization `org`, if registered.
pub fn org_founded(conn: &Connection, org: i64) -> Result<Option<NaiveDate>> {
    let f: Option<String> = conn.query_row(
        "SELECT founded_on FROM party_orgs WHERE id = ?1",
        [org],
        |r| r.get(0),
    )?;
    Ok(f.and_then(|f| crate::model::period::stored_day(&f)))
}

/// The street row id of organization `org` (`None` when it has none).
pub fn org_street(conn: &Connection, org: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT street_id FROM party_orgs WHERE id = ?1",
        [org],
        |r| r.get(0),
    )?)
}

/// The organization called exactly `name`, if registered.
pub fn org_id(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM party_orgs WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()
}

/// ` — did you mean X?` for a name that is not registered, or empty.
///
/// Errors: the database failed.
fn suggestion(conn: &Connection, name: &str, also: &[String]) -> rusqlite::Result<String> {
    let mut names: Vec<String> = conn
        .prepare_cached("SELECT name FROM party_orgs ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.extend(also.iter().cloned());
    Ok(nearest(name, names.iter().map(String::as_str))
        .map(|n| t!("records.hint.did_you_mean", name = n).into_owned())
        .unwrap_or_default())
}

/// Finds an organization by its name as typed (exact, after the usual clean-up of spaces).
/// Returns the id and the registered name.
///
/// Errors: no such organization, with the nearest name when one is close; the database failed.
pub fn find_org(db: &impl Reader, typed: &str) -> Result<(i64, String)> {
    let conn = db.conn().0;
    let name = crate::model::normalize::name(typed);
    match org_id(conn, &name)? {
        Some(id) => Ok((id, name)),
        None => {
            let hint = suggestion(conn, &name, &[])?;
            if hint.is_empty() {
                bail!("{}", t!("records.org.unknown", name = name))
            }
            bail!(
                "{}",
                t!("records.org.unknown_hint", name = name, hint = hint)
            )
        }
    }
}

/// A station an organization covers now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoveredStation {
    /// 站点名称.
    pub name: String,
    /// Station kind code (`courier_station` …).
    pub kind: String,
    /// The station's street.
    pub street: String,
    /// First day covered.
    pub from_on: String,
    /// Registered workers of the station who have not left.
    pub workers: i64,
}

/// One organization as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    /// Row id.
    pub id: i64,
    /// 名称.
    pub name: String,
    /// Kind code (`industry_committee` …).
    pub kind: String,
    /// 上级党组织 name.
    pub parent: Option<String>,
    /// 所属街道 name.
    pub street: Option<String>,
    /// 成立日期.
    pub founded_on: Option<String>,
    /// 书记.
    pub secretary: Option<String>,
    /// The stations covered now, by street and name.
    pub stations: Vec<CoveredStation>,
    /// Registered workers who have not left, at the stations covered now (the organization's
    /// own coverage, not its sub-organizations').
    pub workers: i64,
    /// The organizations directly under it, in the order they were registered.
    pub children: Vec<String>,
}

/// Organizations, optionally only those of one street (or only organization `id`), as a
/// tree: each organization followed by those under it, siblings in the order they were
/// registered (a register's own order). In a street's list, an organization whose 上级党组织
/// is not listed stands at the top.
pub fn orgs(db: &impl Reader, street: Option<i64>, id: Option<i64>) -> Result<Vec<OrgRow>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(
        "SELECT o.id, o.name, o.kind, p.name, s.name, o.founded_on, o.secretary, o.parent_id
         FROM party_orgs o
         LEFT JOIN party_orgs p ON p.id = o.parent_id
         LEFT JOIN streets s ON s.id = o.street_id
         WHERE (?1 IS NULL OR o.street_id = ?1) AND (?2 IS NULL OR o.id = ?2)
         ORDER BY o.id",
    )?;
    let mut rows: Vec<(OrgRow, Option<i64>)> = stmt
        .query_map(params![street, id], |r| {
            Ok((
                OrgRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    parent: r.get(3)?,
                    street: r.get(4)?,
                    founded_on: r.get(5)?,
                    secretary: r.get(6)?,
                    stations: Vec::new(),
                    workers: 0,
                    children: Vec::new(),
                },
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut covered = conn.prepare_cached(
        "SELECT st.name, st.kind, s.name, c.from_on,
                (SELECT count(*) FROM workers w WHERE w.station_id = st.id AND w.left_on IS NULL)
         FROM org_coverage c
         JOIN stations st ON st.id = c.station_id
         JOIN streets s ON s.id = st.street_id
         WHERE c.org_id = ?1 AND c.until_on IS NULL
         ORDER BY s.code IS NULL, s.code, s.name, st.name",
    )?;
    let mut children =
        conn.prepare_cached("SELECT name FROM party_orgs WHERE parent_id = ?1 ORDER BY id")?;
    for (o, _) in &mut rows {
        o.stations = covered
            .query_map([o.id], |r| {
                Ok(CoveredStation {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    street: r.get(2)?,
                    from_on: r.get(3)?,
                    workers: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        o.workers = o.stations.iter().map(|s| s.workers).sum();
        o.children = children
            .query_map([o.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
    }
    // Depth first from the organizations whose 上级党组织 is not in the list.
    let listed: HashSet<i64> = rows.iter().map(|(o, _)| o.id).collect();
    let mut under: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, (_, parent)) in rows.iter().enumerate() {
        let key = parent.filter(|p| listed.contains(p));
        under.entry(key).or_default().push(i);
    }
    let mut order = Vec::with_capacity(rows.len());
    let mut stack: Vec<usize> = under.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    let mut seen = HashSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        order.push(i);
        if let Some(kids) = under.get(&Some(rows[i].0.id)) {
            stack.extend(kids.iter().rev());
        }
    }
    // A cycle written by another program has no top: list it after the rest.
    order.extend((0..rows.len()).filter(|i| !seen.contains(i)));
    let mut slots: Vec<Option<OrgRow>> = rows.into_iter().map(|(o, _)| Some(o)).collect();
    Ok(order
        .into_iter()
        .map(|i| slots[i].take().expect("each row once"))
        .collect())
}
