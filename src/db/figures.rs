//! The figures of the reports, for any number of periods at once: each table is read once for
//! all the periods asked (a year of monthly reports costs one pass, not twelve).
//!
//! Stock figures are counted on a period's last day (a worker counts when joined by then and
//! not left before it); flows count what is dated inside the period. Check-ins come from the
//! monthly rollup `checkin_months` for the months a period covers whole, and from the check-ins
//! themselves for the days of a month it covers in part. Events count under the street where
//! they happened (check-ins, services, reports); points, wishes and admissions under the
//! worker's street. The rules of party membership on a day are those of [`super::stages`].

use std::collections::HashMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use rustc_hash::{FxHashMap, FxHashSet};

use super::coverage::{CoverageFigures, coverage_on};
use super::ledger::Flow;
use crate::model::Period;
use crate::model::{Stage, TipCategory, Vocabulary};

/// Every figure of one street (or of the district) over one period. Counts are whole
/// numbers; minutes are minutes; points are points.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Stations of every kind (stock).
    pub stations: i64,
    /// Courier stations (快递站点).
    pub courier_stations: i64,
    /// Logistics firms (物流企业).
    pub logistics_firms: i64,
    /// Rider hubs (外卖员集合点).
    pub rider_hubs: i64,
    /// Rest stations (暖蜂驿站).
    pub rest_stations: i64,
    /// Workers working on the last day.
    pub workers: i64,
    /// Of those, registered at a courier station.
    pub courier_station_workers: i64,
    /// Of those, registered at a logistics firm.
    pub logistics_firm_workers: i64,
    /// Party members on the last day, probationary included.
    pub party_members: i64,
    /// Of those, probationary (预备党员).
    pub probationary_members: i64,
    /// Of those, mobile (流动党员).
    pub mobile_members: i64,
    /// 入党申请人 on the last day.
    pub applicants: i64,
    /// 入党积极分子 on the last day.
    pub activists: i64,
    /// 发展对象 on the last day.
    pub candidates: i64,
    /// Workers admitted (reached 预备党员) in the period.
    pub admitted: i64,
    /// Instructors assigned, on the last day, to stations of the street (each once).
    pub instructors: i64,
    /// Coverage on the last day.
    pub coverage: CoverageFigures,
    /// Check-ins (person-times).
    pub checkins: i64,
    /// Distinct workers who checked in.
    pub checkin_workers: i64,
    /// Volunteer services (person-times).
    pub services: i64,
    /// Distinct volunteers.
    pub service_workers: i64,
    /// Volunteer service, minutes.
    pub service_minutes: i64,
    /// 随手拍 reports of the period, by category in [`TipCategory`] order.
    pub tips_by_category: [i64; 7],
    /// Distinct workers who reported.
    pub tip_reporters: i64,
    /// Reports resolved (办结) in the period, whenever made.
    pub tips_resolved: i64,
    /// Wishes fulfilled in the period.
    pub wishes_fulfilled: i64,
    /// Points earned: earnings and positive adjustments dated in the period, except those
    /// reversed since (never negative).
    pub points_earned: i64,
    /// Points redeemed: redemptions dated in the period, except those reversed since (a
    /// positive number).
    pub points_redeemed: i64,
}

impl Figures {
    /// 随手拍 reports of every category.
    pub fn tips(&self) -> i64 {
        self.tips_by_category.iter().sum()
    }

    /// Reports of category 意见建议.
    pub fn suggestions(&self) -> i64 {
        self.tips_by_category[tip_index(TipCategory::Suggestion)]
    }
}

fn tip_index(c: TipCategory) -> usize {
    TipCategory::ALL.iter().position(|x| *x == c).unwrap_or(6)
}

/// The figures of one period: a row per street (in code order) and the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodFigures {
    /// The period.
    pub period: Period,
    /// `(street id, name, code, figures)` in code order.
    pub streets: Vec<(i64, String, Option<String>, Figures)>,
    /// The district: sums, except distinct counts (each worker once) and organizations (all,
    /// street or not).
    pub total: Figures,
}

/// A date as days since the common era; `YYYY-MM-DD` text.
fn day(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?).map(day_of)
}

/// A day as days since the common era.
fn day_of(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// The street (slot) of each worker, indexed by worker id.
struct WorkerStreets(Vec<u32>);

impl WorkerStreets {
    const NONE: u32 = u32::MAX;

    fn insert(&mut self, worker: i64, slot: usize) {
        let Ok(i) = usize::try_from(worker) else {
            return;
        };
        if i >= self.0.len() {
            self.0.resize(i + 1, Self::NONE);
        }
        self.0[i] = slot as u32;
    }

    fn get(&self, worker: i64) -> Option<usize> {
        let s = *self.0.get(usize::try_from(worker).ok()?)?;
        (s != Self::NONE).then_some(s as usize)
    }
}

/// Distinct workers of one period, per street and in the district: bitsets over worker ids
/// (a street's set is allocated when it first sees a worker).
struct Distinct {
    by_street: Vec<Vec<u64>>,
    all: Vec<u64>,
    per_street: Vec<i64>,
    total: i64,
}

impl Distinct {
    fn new(streets: usize) -> Self {
        Self {
            by_street: vec![Vec::new(); streets],
            all: Vec::new(),
            per_street: vec![0; streets],
            total: 0,
        }
    }

    /// Marks a bit; true when it was not set.
    fn mark(set: &mut Vec<u64>, i: usize) -> bool {
        let (w, b) = (i >> 6, 1u64 << (i & 63));
        if w >= set.len() {
            set.resize((w + 1).next_power_of_two(), 0);
        }
        let fresh = set[w] & b == 0;
        set[w] |= b;
        fresh
    }

    fn insert(&mut self, worker: i64, street: usize) {
        let Ok(i) = usize::try_from(worker) else {
            return;
        };
        if Self::mark(&mut self.by_street[street], i) {
            self.per_street[street] += 1;
        }
        if Self::mark(&mut self.all, i) {
            self.total += 1;
        }
    }
}

/// One worker as the stock figures need it.
struct Worker {
    id: i64,
    street: i64,
    station_kind: u8,
    status: u8,
    joined: Option<i32>,
    left: Option<i32>,
}

const KIND_COURIER: u8 = 1;
const KIND_LOGISTICS: u8 = 2;
const KIND_RIDER: u8 = 3;
const KIND_REST: u8 = 4;
const STATUS_FULL: u8 = 1;
const STATUS_PROBATIONARY: u8 = 2;

fn kind_code(k: &str) -> u8 {
    match k {
        "courier_station" => KIND_COURIER,
        "logistics_firm" => KIND_LOGISTICS,
        "rider_hub" => KIND_RIDER,
        "rest_station" => KIND_REST,
        _ => 0,
    }
}

/// The stages of one worker: (rank 1–5, day), in order.
type Stages = Vec<(u8, i32)>;

fn stage_rank(code: &str) -> u8 {
    Stage::from_code(code)
        .and_then(|s| Stage::ORDER.iter().position(|x| *x == s))
        .map_or(0, |i| i as u8 + 1)
}

/// Whole months (YYYYMM) a period covers, and the parts of months it covers in part, as
/// `(from, to)` day ranges.
type MonthSplit = (Vec<u32>, Vec<(NaiveDate, NaiveDate)>);

fn split_months(p: &Period) -> MonthSplit {
    let (from, to) = (p.from, p.to);
    let mut whole = Vec::new();
    let mut parts = Vec::new();
    let mut first = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).expect("valid");
    while first <= to {
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .expect("a next month");
        let last = next.pred_opt().expect("a day before");
        let (a, b) = (first.max(from), last.min(to));
        if a == first && b == last {
            whole.push(first.year() as u32 * 100 + first.month());
        } else {
            parts.push((a, b));
        }
        first = next;
    }
    (whole, parts)
}

/// Computes the figures of every period in `periods`.
///
/// Errors: database errors.
pub fn figures(conn: &Connection, periods: &[Period]) -> Result<Vec<PeriodFigures>> {
    let streets: Vec<(i64, String, Option<String>)> = conn
        .prepare("SELECT id, name, code FROM streets ORDER BY code IS NULL, code, name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let slot: FxHashMap<i64, usize> = streets
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (*id, i))
        .collect();
    let n = streets.len();
    let mut out: Vec<(Vec<Figures>, Figures)> =
        vec![(vec![Figures::default(); n], Figures::default()); periods.len()];
    let bounds: Vec<(i32, i32)> = periods
        .iter()
        .map(|p| (day_of(p.from), day_of(p.to)))
        .collect();
    let (lo, hi) = (
        periods.iter().map(|p| p.from).min().unwrap_or_default(),
        periods.iter().map(|p| p.to).max().unwrap_or_default(),
    );
    // The periods (by index) a day falls in.
    let periods_of = |d: i32| {
        bounds
            .iter()
            .enumerate()
            .filter(move |(_, (a, b))| *a <= d && d <= *b)
            .map(|(i, _)| i)
    };

    // Stations.
    let mut station_kind: FxHashMap<i64, u8> = FxHashMap::default();
    {
        let mut stmt = conn.prepare("SELECT id, street_id, kind FROM stations")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, street, kind): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let k = kind_code(&kind);
            station_kind.insert(id, k);
            if let Some(&s) = slot.get(&street) {
                for (figs, _) in &mut out {
                    let f = &mut figs[s];
                    f.stations += 1;
                    match k {
                        KIND_COURIER => f.courier_stations += 1,
                        KIND_LOGISTICS => f.logistics_firms += 1,
                        KIND_RIDER => f.rider_hubs += 1,
                        KIND_REST => f.rest_stations += 1,
                        _ => {}
                    }
                }
            }
        }
    }

    // Workers, their stages and memberships: the stock figures of every period's last day.
    let mut stages: FxHashMap<i64, Stages> = FxHashMap::default();
    {
        let mut stmt = conn.prepare("SELECT worker_id, stage, date FROM worker_stages")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (w, s, d): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if let Some(d) = day(&d) {
                stages.entry(w).or_default().push((stage_rank(&s), d));
            }
        }
        for v in stages.values_mut() {
            v.sort_unstable();
        }
    }
    let mobile: FxHashSet<i64> = conn
        .prepare("SELECT worker_id FROM memberships WHERE home_org IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // The largest id bounds the number of workers: room for all of them at once.
    let max_id: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM workers", [], |r| r.get(0))?;
    let room = usize::try_from(max_id).unwrap_or(0).min(1 << 24);
    let mut workers: Vec<Worker> = Vec::with_capacity(room);
    let mut worker_street = WorkerStreets(vec![WorkerStreets::NONE; room + 1]);
    {
        let mut stmt = conn.prepare(
            "SELECT id, street_id, station_id, political_status, joined_on, left_on FROM workers",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let street: i64 = r.get(1)?;
            let station: Option<i64> = r.get(2)?;
            let status = match r.get_ref(3)?.as_str_or_null()? {
                Some("party_member") => STATUS_FULL,
                Some("probationary_member") => STATUS_PROBATIONARY,
                _ => 0,
            };
            let joined = r.get_ref(4)?.as_str_or_null()?.and_then(day);
            let left = r.get_ref(5)?.as_str_or_null()?.and_then(day);
            if let Some(&s) = slot.get(&street) {
                worker_street.insert(id, s);
            }
            workers.push(Worker {
                id,
                street,
                station_kind: station
                    .and_then(|s| station_kind.get(&s).copied())
                    .unwrap_or(0),
                status,
                joined,
                left,
            });
        }
    }
    let (probationary, full) = (stage_rank("probationary"), stage_rank("full_member"));
    for (pi, (_, end)) in bounds.iter().enumerate() {
        let (figs, _) = &mut out[pi];
        for w in &workers {
            if w.joined.is_some_and(|j| j > *end) || w.left.is_some_and(|l| l < *end) {
                continue;
            }
            let Some(&s) = slot.get(&w.street) else {
                continue;
            };
            let f = &mut figs[s];
            f.workers += 1;
            match w.station_kind {
                KIND_COURIER => f.courier_station_workers += 1,
                KIND_LOGISTICS => f.logistics_firm_workers += 1,
                _ => {}
            }
            // Membership on the day (src/db/stages.rs): by stage when the worker was ever
            // admitted through the pipeline, else by 政治面貌.
            let (member, stage_now) = match stages.get(&w.id) {
                Some(st) => {
                    let now = st.iter().rev().find(|(_, d)| *d <= *end).map(|(r, _)| *r);
                    let admitted = st.iter().any(|(r, _)| *r >= probationary);
                    let converted = st.first().is_some_and(|(r, _)| *r == full);
                    let m = if !admitted {
                        w.status
                    } else {
                        match now {
                            Some(r) if r == full => STATUS_FULL,
                            Some(r) if r == probationary => STATUS_PROBATIONARY,
                            None if converted => STATUS_PROBATIONARY,
                            _ => 0,
                        }
                    };
                    (m, now)
                }
                None => (w.status, None),
            };
            if member != 0 {
                f.party_members += 1;
                if member == STATUS_PROBATIONARY {
                    f.probationary_members += 1;
                }
                if mobile.contains(&w.id) {
                    f.mobile_members += 1;
                }
            }
            match stage_now {
                Some(1) => f.applicants += 1,
                Some(2) => f.activists += 1,
                Some(3) => f.candidates += 1,
                _ => {}
            }
        }
    }
    for (w, st) in &stages {
        for (r, d) in st {
            if *r == probationary
                && let Some(s) = worker_street.get(*w)
            {
                for pi in periods_of(*d) {
                    out[pi].0[s].admitted += 1;
                }
            }
        }
    }

    // Coverage and instructors, on each last day.
    for (pi, p) in periods.iter().enumerate() {
        let (by_street, total) = coverage_on(conn, &p.to.to_string())?;
        for (street, c) in by_street {
            if let Some(&s) = slot.get(&street) {
                out[pi].0[s].coverage = c;
            }
        }
        out[pi].1.coverage = total;
        let mut stmt = conn.prepare_cached(
            "SELECT st.street_id, count(DISTINCT a.instructor_id) FROM instructor_stations a
             JOIN stations st ON st.id = a.station_id
             WHERE a.assigned_on <= ?1 AND (a.until_on IS NULL OR a.until_on >= ?1)
             GROUP BY st.street_id",
        )?;
        let mut rows = stmt.query([&p.to])?;
        while let Some(r) = rows.next()? {
            if let Some(&s) = slot.get(&r.get::<_, i64>(0)?) {
                out[pi].0[s].instructors = r.get(1)?;
            }
        }
        out[pi].1.instructors = conn.query_row(
            "SELECT count(DISTINCT instructor_id) FROM instructor_stations
             WHERE assigned_on <= ?1 AND (until_on IS NULL OR until_on >= ?1)",
            [&p.to],
            |r| r.get(0),
        )?;
    }

    // Check-ins: whole months from the rollup, parts of months from the check-ins.
    let splits: Vec<MonthSplit> = periods.iter().map(split_months).collect();
    let mut distinct: Vec<Distinct> = periods.iter().map(|_| Distinct::new(n)).collect();
    let months: Vec<u32> = splits.iter().flat_map(|(w, _)| w.iter().copied()).collect();
    if let (Some(&m0), Some(&m1)) = (months.iter().min(), months.iter().max()) {
        // Which periods take a whole month.
        let mut takers: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
        for (pi, (whole, _)) in splits.iter().enumerate() {
            for m in whole {
                takers.entry(*m).or_default().push(pi);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT month, worker_id, street_id, checkins FROM checkin_months
             WHERE month BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![m0, m1])?;
        while let Some(r) = rows.next()? {
            let month: u32 = r.get(0)?;
            let Some(ps) = takers.get(&month) else {
                continue;
            };
            let (worker, street, k): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let Some(&s) = slot.get(&street) else {
                continue;
            };
            for &pi in ps {
                out[pi].0[s].checkins += k;
                distinct[pi].insert(worker, s);
            }
        }
    }
    for (pi, (_, parts)) in splits.iter().enumerate() {
        for (a, b) in parts {
            let (k0, k1) = super::events::checkin_key_range(*a, *b);
            let mut stmt = conn.prepare_cached(
                "SELECT worker_id, street_id FROM checkins WHERE event_key >= ?1 AND event_key < ?2",
            )?;
            let mut rows = stmt.query(params![k0, k1])?;
            while let Some(r) = rows.next()? {
                let (worker, street): (i64, i64) = (r.get(0)?, r.get(1)?);
                if let Some(&s) = slot.get(&street) {
                    out[pi].0[s].checkins += 1;
                    distinct[pi].insert(worker, s);
                }
            }
        }
    }
    for (pi, d) in distinct.into_iter().enumerate() {
        for (f, k) in out[pi].0.iter_mut().zip(d.per_street) {
            f.checkin_workers = k;
        }
        out[pi].1.checkin_workers = d.total;
    }

    // Volunteer services, under the street where they were done.
    let mut pairs: Vec<FxHashSet<(i64, usize)>> = vec![FxHashSet::default(); periods.len()];
    let mut people: Vec<FxHashSet<i64>> = vec![FxHashSet::default(); periods.len()];
    {
        let mut stmt = conn.prepare(
            "SELECT date, worker_id, street_id, minutes FROM services WHERE date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![lo, hi])?;
        while let Some(r) = rows.next()? {
            let (d, worker, street, minutes): (String, i64, i64, i64) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let (Some(d), Some(&s)) = (day(&d), slot.get(&street)) else {
                continue;
            };
            for pi in periods_of(d) {
                let f = &mut out[pi].0[s];
                f.services += 1;
                f.service_minutes += minutes;
                pairs[pi].insert((worker, s));
                people[pi].insert(worker);
            }
        }
    }
    for pi in 0..periods.len() {
        for (_, s) in &pairs[pi] {
            out[pi].0[*s].service_workers += 1;
        }
        out[pi].1.service_workers = people[pi].len() as i64;
    }

    // 随手拍 reports made in the period, and those resolved in it.
    let mut pairs: Vec<FxHashSet<(i64, usize)>> = vec![FxHashSet::default(); periods.len()];
    let mut people: Vec<FxHashSet<i64>> = vec![FxHashSet::default(); periods.len()];
    {
        let mut stmt = conn.prepare(
            "SELECT date, worker_id, street_id, category FROM tips WHERE date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![lo, hi])?;
        while let Some(r) = rows.next()? {
            let (d, worker, street, category): (String, i64, i64, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let (Some(d), Some(&s)) = (day(&d), slot.get(&street)) else {
                continue;
            };
            let c = tip_index(TipCategory::from_code(&category).unwrap_or(TipCategory::Other));
            for pi in periods_of(d) {
                out[pi].0[s].tips_by_category[c] += 1;
                pairs[pi].insert((worker, s));
                people[pi].insert(worker);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT resolved_on, street_id FROM tips WHERE resolved_on BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![lo, hi])?;
        while let Some(r) = rows.next()? {
            let (d, street): (String, i64) = (r.get(0)?, r.get(1)?);
            let (Some(d), Some(&s)) = (day(&d), slot.get(&street)) else {
                continue;
            };
            for pi in periods_of(d) {
                out[pi].0[s].tips_resolved += 1;
            }
        }
    }
    for pi in 0..periods.len() {
        for (_, s) in &pairs[pi] {
            out[pi].0[*s].tip_reporters += 1;
        }
        out[pi].1.tip_reporters = people[pi].len() as i64;
    }

    // Wishes fulfilled, under the worker's street.
    {
        let mut stmt = conn.prepare(
            "SELECT fulfilled_on, worker_id FROM wishes WHERE fulfilled_on BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![lo, hi])?;
        while let Some(r) = rows.next()? {
            let (d, worker): (String, i64) = (r.get(0)?, r.get(1)?);
            let (Some(d), Some(s)) = (day(&d), worker_street.get(worker)) else {
                continue;
            };
            for pi in periods_of(d) {
                out[pi].0[s].wishes_fulfilled += 1;
            }
        }
    }

    // Points, under the worker's street, by the rule of `ledger::flow`.
    {
        // Reversals are few: the entries they undo are looked up once.
        let reversed: FxHashSet<i64> = conn
            .prepare("SELECT reverses FROM point_entries WHERE reverses IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare(
            "SELECT date, worker_id, points, kind, id FROM point_entries
             WHERE date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![lo, hi])?;
        while let Some(r) = rows.next()? {
            let (worker, points, id): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(4)?);
            let Some(flow) =
                super::ledger::flow(r.get_ref(3)?.as_str()?, points, reversed.contains(&id))
            else {
                continue;
            };
            let (Some(d), Some(s)) = (
                r.get_ref(0)?.as_str_or_null()?.and_then(day),
                worker_street.get(worker),
            ) else {
                continue;
            };
            for pi in periods_of(d) {
                let f = &mut out[pi].0[s];
                match flow {
                    Flow::Redeemed => f.points_redeemed -= points,
                    Flow::Earned => f.points_earned += points,
                }
            }
        }
    }

    // The district: sums, with the distinct counts and coverage computed above.
    let results = out
        .into_iter()
        .zip(periods)
        .map(|((figs, mut total), p)| {
            let coverage = std::mem::take(&mut total.coverage);
            let kept = (
                total.checkin_workers,
                total.service_workers,
                total.tip_reporters,
                total.instructors,
            );
            let mut t = figs.iter().fold(Figures::default(), add);
            t.coverage = coverage;
            (
                t.checkin_workers,
                t.service_workers,
                t.tip_reporters,
                t.instructors,
            ) = kept;
            PeriodFigures {
                period: p.clone(),
                streets: streets
                    .iter()
                    .zip(figs)
                    .map(|((id, name, code), f)| (*id, name.clone(), code.clone(), f))
                    .collect(),
                total: t,
            }
        })
        .collect();
    Ok(results)
}

/// Field-by-field sum (coverage excepted: the district's is computed whole).
fn add(mut a: Figures, f: &Figures) -> Figures {
    a.stations += f.stations;
    a.courier_stations += f.courier_stations;
    a.logistics_firms += f.logistics_firms;
    a.rider_hubs += f.rider_hubs;
    a.rest_stations += f.rest_stations;
    a.workers += f.workers;
    a.courier_station_workers += f.courier_station_workers;
    a.logistics_firm_workers += f.logistics_firm_workers;
    a.party_members += f.party_members;
    a.probationary_members += f.probationary_members;
    a.mobile_members += f.mobile_members;
    a.applicants += f.applicants;
    a.activists += f.activists;
    a.candidates += f.candidates;
    a.admitted += f.admitted;
    a.instructors += f.instructors;
    a.checkins += f.checkins;
    a.checkin_workers += f.checkin_workers;
    a.services += f.services;
    a.service_workers += f.service_workers;
    a.service_minutes += f.service_minutes;
    for (x, y) in a.tips_by_category.iter_mut().zip(f.tips_by_category) {
        *x += y;
    }
    a.tip_reporters += f.tip_reporters;
    a.tips_resolved += f.tips_resolved;
    a.wishes_fulfilled += f.wishes_fulfilled;
    a.points_earned += f.points_earned;
    a.points_redeemed += f.points_redeemed;
    a
}

/// A per-street lookup of last resort, for callers that hold street ids.
pub fn by_street(p: &PeriodFigures) -> HashMap<i64, &Figures> {
    p.streets.iter().map(|(id, _, _, f)| (*id, f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_from_iso_text_and_nothing_else() {
        let d = |y, m, dd| {
            NaiveDate::from_ymd_opt(y, m, dd)
                .unwrap()
                .num_days_from_ce()
        };
        assert_eq!(day("2025-07-31"), Some(d(2025, 7, 31)));
        assert_eq!(day("2024-02-29 08:00:00"), Some(d(2024, 2, 29)));
        assert_eq!(day("2025-02-29"), None);
        assert_eq!(day("2025/07/31"), None);
        assert_eq!(day("2025-7-31"), None);
        assert_eq!(day("２025-07-31"), None);
        assert_eq!(day(""), None);
    }

    #[test]
    fn distinct_workers_are_counted_once_per_street_and_once_in_the_district() {
        let mut d = Distinct::new(3);
        for (w, s) in [(1, 0), (1, 0), (1, 2), (64, 2), (100_000, 0), (-5, 1)] {
            d.insert(w, s);
        }
        assert_eq!(d.per_street, [2, 0, 2]);
        assert_eq!(d.total, 3);
    }

    #[test]
    fn worker_streets_answer_only_for_known_workers() {
        let mut w = WorkerStreets(Vec::new());
        w.insert(7, 2);
        w.insert(3, 0);
        assert_eq!(w.get(7), Some(2));
        assert_eq!(w.get(3), Some(0));
        assert_eq!(w.get(5), None);
        assert_eq!(w.get(1_000), None);
        assert_eq!(w.get(-1), None);
    }
}
