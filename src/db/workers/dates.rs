//! Coherent dates: no event of a worker before their 入职日期, and none after their 离职日期
//! among the events that need the worker at work. It owns the guard that refuses a
//! 入职日期 or 离职日期 contradicting stored events (register imports, `worker add|update|
//! leave`), the rule an event row is held to (through [`WorkerIndex`]), and the search of
//! `check` for contradictions already stored. It never changes a date or an event.
//!
//! Which events count (DESIGN.md, "Dates never contradict"): 报到 (`checkins`), 志愿服务
//! (`services`), 随手拍 (`tips`) and taking part in a 关爱活动 (`care_participants`) by their date; points entries by their date when they were
//! entered as such (a register or `points earn|redeem`), an earning not reversed. Before
//! 入职日期 all of them count; after 离职日期 a redemption does not (a worker who left may
//! still spend what they earned). Points granted for a service or a report, reversals and
//! adjustments are not events of their own: they follow their record, or the office's day.

use std::borrow::Cow;

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use rust_i18n::t;
use rustc_hash::FxHashMap;

use super::index::{WorkerEntry, WorkerIndex};
use crate::model::{CellError, Field, StoreError};

/// An event kind dated against a worker's 入职日期 and 离职日期, in the order messages list
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Checkin,
    Service,
    Tip,
    Activity,
    Earning,
    Redemption,
}

impl Kind {
    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "checkin" => Kind::Checkin,
            "service" => Kind::Service,
            "tip" => Kind::Tip,
            "activity" => Kind::Activity,
            "earn" => Kind::Earning,
            "redeem" => Kind::Redemption,
            _ => return None,
        })
    }

    /// `报到`, `志愿服务` … as a message names one event of the kind.
    fn label(self) -> Cow<'static, str> {
        match self {
            Kind::Checkin => t!("coherence.event.checkin"),
            Kind::Service => t!("coherence.event.service"),
            Kind::Tip => t!("coherence.event.tip"),
            Kind::Activity => t!("coherence.event.activity"),
            Kind::Earning => t!("coherence.event.earning"),
            Kind::Redemption => t!("coherence.event.redemption"),
        }
    }

    /// `报到 2 条` / `2 check-ins`.
    fn counted(self, n: i64) -> String {
        match (self, n) {
            (Kind::Checkin, 1) => t!("coherence.count.checkin_one"),
            (Kind::Checkin, _) => t!("coherence.count.checkins", n = n),
            (Kind::Service, 1) => t!("coherence.count.service_one"),
            (Kind::Service, _) => t!("coherence.count.services", n = n),
            (Kind::Tip, 1) => t!("coherence.count.tip_one"),
            (Kind::Tip, _) => t!("coherence.count.tips", n = n),
            (Kind::Activity, 1) => t!("coherence.count.activity_one"),
            (Kind::Activity, _) => t!("coherence.count.activities", n = n),
            (Kind::Earning, 1) => t!("coherence.count.earning_one"),
            (Kind::Earning, _) => t!("coherence.count.earnings", n = n),
            (Kind::Redemption, 1) => t!("coherence.count.redemption_one"),
            (Kind::Redemption, _) => t!("coherence.count.redemptions", n = n),
        }
        .into_owned()
    }
}

/// The events of one worker on the wrong side of one date: how many of each kind, and the
/// one nearest to the worker's working days (the latest after 离职日期, the earliest before
/// 入职日期).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Outside {
    counts: Vec<(Kind, i64)>,
    nearest: Option<(String, Kind)>,
}

impl Outside {
    /// Adds `n` events of `kind`, the nearest of them dated `date`; `after`: the side after
    /// 离职日期 (the latest is nearest), else before 入职日期 (the earliest is).
    fn add(&mut self, kind: Kind, n: i64, date: String, after: bool) {
        self.counts.push((kind, n));
        self.counts.sort();
        let nearer = match &self.nearest {
            None => true,
            Some((d, _)) => (after && date > *d) || (!after && date < *d),
        };
        if nearer {
            self.nearest = Some((date, kind));
        }
    }

    fn total(&self) -> i64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// `3 条记录` / `3 records`: how many in all.
    fn records(&self) -> String {
        match self.total() {
            1 => t!("coherence.count.record_one"),
            n => t!("coherence.count.records", n = n),
        }
        .into_owned()
    }

    fn kinds(&self) -> String {
        self.counts
            .iter()
            .map(|(k, n)| k.counted(*n))
            .collect::<Vec<_>>()
            .join(&t!("db.list_sep"))
    }

    /// What a message says of these events: the nearest one's date and kind, how many
    /// records, and how many by kind.
    fn parts(&self) -> (String, Kind, String, String) {
        let (nearest, kind) = self
            .nearest
            .clone()
            .unwrap_or((String::new(), Kind::Checkin));
        (nearest, kind, self.records(), self.kinds())
    }

    /// `贺新宇 的离职日期 2025-12-01 早于其 2025-12-20 的报到（…）`, the fix included.
    fn refusal(&self, name: &str, date: &str, after: bool) -> String {
        let (nearest, kind, records, kinds) = self.parts();
        if after {
            t!(
                "coherence.dates.left_before_events",
                name = name,
                left_on = date,
                last = nearest,
                kind = kind.label(),
                records = records,
                kinds = kinds
            )
        } else {
            t!(
                "coherence.dates.joined_after_events",
                name = name,
                joined_on = date,
                first = nearest,
                kind = kind.label(),
                records = records,
                kinds = kinds
            )
        }
        .into_owned()
    }
}

/// The events of the worker(s) `filter` picks (an SQL condition on `worker_id`), as rows
/// `(worker_id, kind code, date)`.
fn events_sql(filter: &str) -> String {
    format!(
        "SELECT worker_id, 'checkin' AS kind, date FROM checkins WHERE {filter}
         UNION ALL SELECT worker_id, 'service', date FROM services WHERE {filter}
         UNION ALL SELECT worker_id, 'tip', date FROM tips WHERE {filter}
         UNION ALL SELECT worker_id, 'activity', date FROM (SELECT p.worker_id, a.date
             FROM care_participants p JOIN care_activities a ON a.id = p.activity_id) WHERE {filter}
         UNION ALL SELECT worker_id, kind, date FROM point_entries p
             WHERE {filter} AND source_table IS NULL AND kind IN ('earn', 'redeem')
               AND NOT EXISTS (SELECT 1 FROM point_entries r WHERE r.reverses = p.id)"
    )
}

/// The events of worker `id` outside the days from `joined` to `left` (either open): those
/// before, those after.
///
/// Errors: database errors.
fn outside(
    conn: &Connection,
    id: i64,
    joined: Option<&str>,
    left: Option<&str>,
) -> rusqlite::Result<(Outside, Outside)> {
    let sql = format!(
        "SELECT kind, coalesce(date < ?2, 0) AS before, count(*), min(date), max(date)
         FROM ({}) WHERE date < ?2 OR (date > ?3 AND kind <> 'redeem')
         GROUP BY kind, before",
        events_sql("worker_id = ?1")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![id, joined, left])?;
    let (mut before, mut after) = (Outside::default(), Outside::default());
    while let Some(r) = rows.next()? {
        let Some(kind) = Kind::from_code(&r.get::<_, String>(0)?) else {
            continue;
        };
        if r.get(1)? {
            before.add(kind, r.get(2)?, r.get(3)?, false);
        } else {
            after.add(kind, r.get(2)?, r.get(4)?, true);
        }
    }
    Ok((before, after))
}

/// Guards the 入职日期 and 离职日期 a workers-register record gives: refused when an event of
/// the worker falls outside them. Only a date moved inward is checked (a later 入职日期, an
/// earlier or first 离职日期): a row that changes no date costs nothing, and a register that
/// moves many dates costs one pass over the check-ins (which have no index by worker) and
/// an indexed look-up per worker.
#[derive(Default)]
pub struct DateGuard {
    /// Worker → (first, last) 报到日期, read once when first needed.
    checkins: Option<FxHashMap<i64, (String, String)>>,
}

impl DateGuard {
    /// Refuses the dates a record gives worker `id` (its stored dates in `index`; a blank
    /// cell, `None`, keeps the stored one) when an event of the worker falls outside them.
    ///
    /// Errors: [`StoreError::Row`] on 入职日期 and/or 离职日期, naming the worker, the
    /// nearest event and how many there are by kind, with the fix; [`StoreError::Db`] when the
    /// database failed.
    pub fn check(
        &mut self,
        conn: &Connection,
        index: &WorkerIndex,
        id: i64,
        joined: Option<NaiveDate>,
        left: Option<NaiveDate>,
    ) -> Result<(), StoreError> {
        let Some(e) = index.entry(id) else {
            return Ok(());
        };
        let joined = joined.filter(|j| e.joined_on.is_none_or(|old| *j > old));
        let left = left.filter(|l| e.left_on.is_none_or(|old| *l < old));
        if joined.is_none() && left.is_none() {
            return Ok(());
        }
        let (j, l) = (joined.map(|d| d.to_string()), left.map(|d| d.to_string()));
        if !self.may_contradict(conn, id, j.as_deref(), l.as_deref())? {
            return Ok(());
        }
        let (before, after) = outside(conn, id, j.as_deref(), l.as_deref())?;
        let mut errors = Vec::new();
        if let Some(j) = &j
            && before.total() > 0
        {
            errors.push(CellError::new(
                Field::JoinedOn,
                j,
                before.refusal(&e.name, j, false),
            ));
        }
        if let Some(l) = &l
            && after.total() > 0
        {
            errors.push(CellError::new(
                Field::LeftOn,
                l,
                after.refusal(&e.name, l, true),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into())
        }
    }

    /// False when no event of worker `id` can be before `joined` or after `left`: the
    /// check-ins from the map, the other events by their indexes.
    fn may_contradict(
        &mut self,
        conn: &Connection,
        id: i64,
        joined: Option<&str>,
        left: Option<&str>,
    ) -> rusqlite::Result<bool> {
        if self.checkins.is_none() {
            let mut map = FxHashMap::default();
            let mut stmt = conn.prepare_cached(
                "SELECT worker_id, min(date), max(date) FROM checkins GROUP BY worker_id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                map.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
            }
            self.checkins = Some(map);
        }
        if let Some((first, last)) = self.checkins.as_ref().and_then(|m| m.get(&id))
            && (joined.is_some_and(|j| first.as_str() < j)
                || left.is_some_and(|l| last.as_str() > l))
        {
            return Ok(true);
        }
        conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM services WHERE worker_id = ?1 AND (date < ?2 OR date > ?3))
                 OR EXISTS (SELECT 1 FROM tips WHERE worker_id = ?1 AND (date < ?2 OR date > ?3))
                 OR EXISTS (SELECT 1 FROM care_participants p JOIN care_activities a ON a.id = p.activity_id
                                WHERE p.worker_id = ?1 AND (a.date < ?2 OR a.date > ?3))
                 OR EXISTS (SELECT 1 FROM point_entries WHERE worker_id = ?1
                                AND (date < ?2 OR date > ?3) AND source_table IS NULL
                                AND kind IN ('earn', 'redeem'))",
        )?
        .query_row(params![id, joined, left], |r| r.get(0))
    }
}

/// Refuses an event dated before the worker joined (入职日期), for [`WorkerIndex`].
///
/// Errors: the date and the 入职日期, with the fixes.
pub(super) fn joined_by(e: Option<&WorkerEntry>, date: NaiveDate) -> Result<(), CellError> {
    match e {
        Some(e) if e.joined_on.is_some_and(|j| date < j) => Err(CellError::new(
            Field::Date,
            &date.to_string(),
            t!(
                "coherence.dates.event_before_joining",
                name = e.name,
                joined_on = e.joined_on.expect("checked")
            )
            .into_owned(),
        )),
        _ => Ok(()),
    }
}

/// Every worker with events outside their working days, stored by an older build or another
/// program: one line per worker and side, `贺新宇 (#3)：离职日期 2025-12-01 之后还有 3 条记录
/// （报到 2 条、获得积分 1 条），最晚是 2025-12-20 的报到`, ordered by worker.
///
/// Errors: database errors.
pub fn contradictions(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let sql = format!(
        "SELECT w.id, w.name, w.joined_on, w.left_on, e.kind, coalesce(e.date < w.joined_on, 0) AS before,
                count(*), min(e.date), max(e.date)
         FROM ({}) e JOIN workers w ON w.id = e.worker_id
         WHERE (w.joined_on IS NOT NULL OR w.left_on IS NOT NULL)
           AND (e.date < w.joined_on OR (e.date > w.left_on AND e.kind <> 'redeem'))
         GROUP BY w.id, e.kind, before
         ORDER BY w.id, before DESC",
        events_sql("1")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    // (worker, before) → (name, date, events)
    let mut found: Vec<((i64, bool), String, String, Outside)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let before: bool = r.get(5)?;
        let Some(kind) = Kind::from_code(&r.get::<_, String>(4)?) else {
            continue;
        };
        if found.last().is_none_or(|(k, ..)| *k != (id, before)) {
            let date: String = if before { r.get(2)? } else { r.get(3)? };
            found.push(((id, before), r.get(1)?, date, Outside::default()));
        }
        let last = found.last_mut().expect("pushed");
        let date = if before { r.get(7)? } else { r.get(8)? };
        last.3.add(kind, r.get(6)?, date, !before);
    }
    Ok(found
        .into_iter()
        .map(|((id, before), name, date, events)| {
            let (nearest, kind, records, kinds) = events.parts();
            if before {
                t!(
                    "coherence.check.before_joining",
                    id = id,
                    name = name,
                    joined_on = date,
                    records = records,
                    kinds = kinds,
                    first = nearest,
                    kind = kind.label()
                )
            } else {
                t!(
                    "coherence.check.after_leaving",
                    id = id,
                    name = name,
                    left_on = date,
                    records = records,
                    kinds = kinds,
                    last = nearest,
                    kind = kind.label()
                )
            }
            .into_owned()
        })
        .collect())
}
