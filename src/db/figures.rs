//! The figures of the reports, for any number of periods at once: each table is read once for
//! all the periods asked (a year of monthly reports costs one pass, not twelve). One function
//! per family of figures — stations, workers and members, coverage and instructors,
//! check-ins, volunteer service, 随手拍 reports, wishes, points — each counting into every
//! street and the district together. What a figure means to a reader (its key, labels, how
//! its district total is made) is the catalogue's, in `crate::report::catalogue`.
//!
//! Stock figures are counted on a period's last day, or today for a period that has not
//! ended yet ([`stock_day`]; a worker counts when joined by then and not left before it);
//! flows count what is dated inside the period. An instructor assignment or a coverage stored
//! without a first day of its own (`undated`, schema 12) counts in every period until its
//! last day; so does an organization without 成立日期. Check-ins come from the
//! monthly rollup `checkin_months` for the months a period covers whole, and from the check-ins
//! themselves for the days of a month it covers in part. Events count under the street where
//! they happened (check-ins, services, reports, each stored with its street); points, wishes
//! and admissions, which have no place of their own, under the worker's street on their day,
//! as the change log tells it ([`StreetsOnDay`]): a street corrected in August leaves the
//! figures of July as they were sent. The rules of party membership on a day are those of
//! [`super::membership`].

use std::collections::BTreeMap;
use std::ops::{Index, IndexMut};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use rustc_hash::{FxHashMap, FxHashSet};

use super::Reader;
use super::coverage::{CoverageFigures, coverage_on};
use super::ledger::Flow;
use crate::model::period::stored_day;
use crate::model::{Month, Period, PoliticalStatus, Stage, StationKind, TipCategory, Vocabulary};

/// 随手拍 reports counted by category: one count per [`TipCategory`], indexed by it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TipCounts(pub [i64; TipCategory::ALL.len()]);

impl TipCounts {
    /// Reports of every category.
    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }
}

impl Index<TipCategory> for TipCounts {
    type Output = i64;

    fn index(&self, c: TipCategory) -> &i64 {
        // A vocabulary's variants are declared in the order of its `ALL` (one list makes
        // both), so the discriminant is the position in `ALL`.
        &self.0[c as usize]
    }
}

impl IndexMut<TipCategory> for TipCounts {
    fn index_mut(&mut self, c: TipCategory) -> &mut i64 {
        &mut self.0[c as usize]
    }
}

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
    /// 随手拍 reports of the period, by category.
    pub tips_by_category: TipCounts,
    /// Distinct workers who reported.
    pub tip_reporters: i64,
    /// Distinct workers who sent a report other than 意见建议 (governance information).
    pub governance_reporters: i64,
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
    /// Gift-shop items (积分商城) of the orders dated in the period, except orders cancelled
    /// since, whenever (as a reversed redemption counts nowhere in `points_redeemed`).
    pub gifts_redeemed: i64,
    /// Gift orders dated on or before the period's last day (its stock day) that were
    /// neither collected nor cancelled by then.
    pub gift_orders_pending: i64,
    /// Partner merchants (爱心商家) in force on the last day: 签约日期 empty or on or before
    /// it, 截止日期 empty or on or after it.
    pub partner_merchants: i64,
    /// 关爱活动 held in the period (under the street where they were held).
    pub care_activities: i64,
    /// People taking part in them (person-times): the workers named, each once per
    /// activity, and the people not named.
    pub care_participants: i64,
    /// Distinct workers named among those taking part.
    pub care_workers: i64,
    /// The 关爱活动 of the period by kind: code (`hardship_aid`, …) → activities. Not a
    /// figure of its own (no column, no JSON key): the bulletin names the kinds held.
    pub care_kinds: BTreeMap<String, i64>,
    /// Awards (评选) of the years the period touches: title → people awarded it (each once).
    pub awards: BTreeMap<String, i64>,
    /// Records without a first day of their own that the stock figures counted (district
    /// only; zero in a street's figures).
    pub undated: Undated,
}

/// Records stored without a first day that count as in force throughout: how many of each
/// the stock figures of a day counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Undated {
    /// Instructor assignments registered without 选派日期, not ended by the day.
    pub instructor_assignments: i64,
    /// Coverages of organizations registered without 成立日期, not ended by the day.
    pub org_coverage: i64,
    /// Party organizations without 成立日期.
    pub party_orgs: i64,
}

/// The day a period's stock figures are counted on: its last day, or today when that is
/// later (a running or future period is counted as it stands, never as if it had ended).
pub fn stock_day(p: &Period) -> NaiveDate {
    p.to.min(crate::model::today())
}

impl Figures {
    /// 随手拍 reports of every category.
    pub fn tips(&self) -> i64 {
        self.tips_by_category.total()
    }

    /// Reports of category 意见建议.
    pub fn suggestions(&self) -> i64 {
        self.tips_by_category[TipCategory::Suggestion]
    }

    /// 随手拍 reports other than 意见建议: the governance information workers sent.
    pub fn governance_reports(&self) -> i64 {
        self.tips() - self.suggestions()
    }

    /// The awards, most people first (then by title): `[("最美快递员", 7), ("最美外卖员", 3)]`.
    pub fn awards_by_people(&self) -> Vec<(&str, i64)> {
        let mut v: Vec<(&str, i64)> = self.awards.iter().map(|(t, n)| (t.as_str(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }
}

/// A street of the registry, as the reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Street {
    /// Row id.
    pub id: i64,
    /// Name, e.g. `柳巷街道`.
    pub name: String,
    /// 9-digit NBS code; `None` for a street without one.
    pub code: Option<String>,
}

/// The figures of one period: a row per street (in code order) and the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodFigures {
    /// The period.
    pub period: Period,
    /// Each street, in code order, with its figures.
    pub streets: Vec<(Street, Figures)>,
    /// The district: sums, except distinct counts (each person once), coverage and
    /// organizations (counted over the district whole, street or not).
    pub total: Figures,
}

/// Computes the figures of every period in `periods`, family by family.
///
/// Errors: database errors.
pub fn figures(db: &impl Reader, periods: &[Period]) -> Result<Vec<PeriodFigures>> {
    let conn = db.conn().0;
    let streets: Vec<Street> = conn
        .prepare("SELECT id, name, code FROM streets ORDER BY code IS NULL, code, name")?
        .query_map([], |r| {
            Ok(Street {
                id: r.get(0)?,
                name: r.get(1)?,
                code: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut t = Tally::new(periods, &streets);
    let station_kinds = stations(conn, &mut t)?;
    let also = AlsoIn::load(conn, &t)?;
    let worker_streets = workers(conn, &mut t, &station_kinds, &also)?;
    merchants(conn, &mut t)?;
    coverage(conn, &mut t)?;
    checkins(conn, &mut t)?;
    services(conn, &mut t)?;
    tips(conn, &mut t)?;
    wishes(conn, &mut t, &worker_streets, &also)?;
    points(conn, &mut t, &worker_streets, &also)?;
    gift_orders(conn, &mut t, &worker_streets, &also)?;
    awards(conn, &mut t, &worker_streets, &also)?;
    care(conn, &mut t)?;
    Ok(t.finish(streets))
}

/// The figures being counted: for each period, one [`Figures`] per street slot (streets in
/// code order) and the district's.
struct Tally<'a> {
    periods: &'a [Period],
    /// Street id → slot.
    slot: FxHashMap<i64, usize>,
    /// `[period][slot]`.
    streets: Vec<Vec<Figures>>,
    /// `[period]`.
    total: Vec<Figures>,
    /// The days read so far.
    days: Days,
}

impl<'a> Tally<'a> {
    fn new(periods: &'a [Period], streets: &[Street]) -> Self {
        Self {
            periods,
            slot: streets.iter().enumerate().map(|(i, s)| (s.id, i)).collect(),
            streets: vec![vec![Figures::default(); streets.len()]; periods.len()],
            total: vec![Figures::default(); periods.len()],
            days: Days::default(),
        }
    }

    /// The slot of a street id; `None` for an unknown street.
    fn slot(&self, street: i64) -> Option<usize> {
        self.slot.get(&street).copied()
    }

    /// The first day of the earliest period and the last of the latest.
    fn span(&self) -> (NaiveDate, NaiveDate) {
        (
            self.periods
                .iter()
                .map(|p| p.from)
                .min()
                .unwrap_or_default(),
            self.periods.iter().map(|p| p.to).max().unwrap_or_default(),
        )
    }

    /// Counts into street slot `s` of period `p`, and into the district of that period:
    /// figures whose district total is the sum of the streets'.
    fn add(&mut self, p: usize, s: usize, count: impl Fn(&mut Figures)) {
        count(&mut self.streets[p][s]);
        count(&mut self.total[p]);
    }

    /// The figures of each period, streets named.
    fn finish(self, streets: Vec<Street>) -> Vec<PeriodFigures> {
        self.streets
            .into_iter()
            .zip(self.total)
            .zip(self.periods)
            .map(|((figs, total), p)| PeriodFigures {
                period: *p,
                streets: streets.iter().cloned().zip(figs).collect(),
                total,
            })
            .collect()
    }
}

/// The periods (by index) `day` falls in.
fn periods_of(periods: &[Period], day: NaiveDate) -> impl Iterator<Item = usize> + '_ {
    periods
        .iter()
        .enumerate()
        .filter(move |(_, p)| p.contains(day))
        .map(|(i, _)| i)
}

/// Stored days, each distinct text read once with [`stored_day`]: a register repeats its few
/// hundred days over many rows, and reading every row's day anew took a tenth of the time of
/// a year's monthly report (bench/reports.py, 250,000 point entries).
#[derive(Default)]
struct Days(FxHashMap<Box<str>, Option<NaiveDate>>);

impl Days {
    /// The day in column `i` of a row; `None` when NULL or not a day.
    fn at(&mut self, r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
        let Some(s) = r.get_ref(i)?.as_str_or_null()? else {
            return Ok(None);
        };
        if let Some(d) = self.0.get(s) {
            return Ok(*d);
        }
        let d = stored_day(s);
        self.0.insert(s.into(), d);
        Ok(d)
    }
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

/// The street (slot) of each worker on a day: the street the register says now, unless the
/// change log shows a change of street after that day; then the street the first such change
/// left. The change log is only ever appended to, so the street of a past day, once reported,
/// stays what it was. A change takes effect on the day it was made.
struct StreetsOnDay {
    current: WorkerStreets,
    /// Worker id → `(day of the change, slot before it)`, in the order made. A change from a
    /// street the registry no longer knows (neither by name nor as an alias) is left out: the
    /// entries of those days count under the street the next change left, or today's, and
    /// stay in the district's total.
    changes: FxHashMap<i64, Vec<(NaiveDate, usize)>>,
}

impl StreetsOnDay {
    /// Reads the changes of street from the change log.
    fn load(conn: &Connection, t: &Tally<'_>, current: WorkerStreets) -> Result<Self> {
        let changes = street_changes(conn)?
            .into_iter()
            .map(|(w, c)| {
                let c = c
                    .into_iter()
                    .filter_map(|(day, street)| Some((day, t.slot(street)?)))
                    .collect();
                (w, c)
            })
            .collect();
        Ok(Self { current, changes })
    }

    /// The street slot of `worker` on `day`.
    fn get(&self, worker: i64, day: NaiveDate) -> Option<usize> {
        match self
            .changes
            .get(&worker)
            .and_then(|c| c.iter().find(|(d, _)| *d > day))
        {
            Some((_, old)) => Some(*old),
            None => self.current.get(worker),
        }
    }
}

/// The changes of street of every worker, from the change log: worker id → `(day of the
/// change, street id before it)`, in the order made. A change from a street the registry no
/// longer knows (neither by name nor as an alias) is left out.
///
/// Errors: database errors.
pub(crate) fn street_changes(conn: &Connection) -> Result<FxHashMap<i64, Vec<(NaiveDate, i64)>>> {
    let mut by_name: FxHashMap<String, i64> = FxHashMap::default();
    let mut names = conn.prepare(
        "SELECT name, id FROM streets UNION ALL SELECT alias, street_id FROM street_aliases",
    )?;
    let mut rows = names.query([])?;
    while let Some(r) = rows.next()? {
        by_name.entry(r.get(0)?).or_insert(r.get(1)?);
    }
    let mut changes: FxHashMap<i64, Vec<(NaiveDate, i64)>> = FxHashMap::default();
    let mut stmt = conn.prepare(
        "SELECT entity_id, substr(at, 1, 10), old FROM change_log
         WHERE entity = 'worker' AND field = 'street' ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (Ok(worker), Some(day), Some(old)) = (
            r.get_ref(0)?.as_str()?.parse::<i64>(),
            r.get_ref(1)?.as_str_or_null()?.and_then(stored_day),
            r.get_ref(2)?
                .as_str_or_null()?
                .and_then(|n| by_name.get(n).copied()),
        ) else {
            continue;
        };
        changes.entry(worker).or_default().push((day, old));
    }
    Ok(changes)
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

    /// One set per period of `t`.
    fn per_period(t: &Tally<'_>) -> Vec<Self> {
        t.periods.iter().map(|_| Self::new(t.slot.len())).collect()
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

    /// Writes the counts of each period's set into `field` of its streets and district.
    fn set_all(sets: Vec<Self>, t: &mut Tally<'_>, field: fn(&mut Figures) -> &mut i64) {
        for (p, d) in sets.into_iter().enumerate() {
            for (f, k) in t.streets[p].iter_mut().zip(d.per_street) {
                *field(f) = k;
            }
            *field(&mut t.total[p]) = d.total;
        }
    }
}

/// A station's kind as stored; `None` for a code this build does not know, or no station.
type Kind = Option<StationKind>;

/// Stations by kind (stock: stations carry no dates). Returns each station's kind, for the
/// workers registered at it.
fn stations(conn: &Connection, t: &mut Tally<'_>) -> Result<FxHashMap<i64, Kind>> {
    let mut kinds: FxHashMap<i64, Kind> = FxHashMap::default();
    let mut stmt = conn.prepare("SELECT id, street_id, kind FROM stations")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, street): (i64, i64) = (r.get(0)?, r.get(1)?);
        let kind = StationKind::from_code(r.get_ref(2)?.as_str()?);
        kinds.insert(id, kind);
        let Some(s) = t.slot(street) else {
            continue;
        };
        for p in 0..t.periods.len() {
            t.add(p, s, |f| {
                f.stations += 1;
                match kind {
                    Some(StationKind::CourierStation) => f.courier_stations += 1,
                    Some(StationKind::LogisticsFirm) => f.logistics_firms += 1,
                    Some(StationKind::RiderHub) => f.rider_hubs += 1,
                    Some(StationKind::RestStation) => f.rest_stations += 1,
                    None => {}
                }
            });
        }
    }
    Ok(kinds)
}

/// Partner merchants in force on each period's stock day, under their street.
fn merchants(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let days: Vec<NaiveDate> = t.periods.iter().map(stock_day).collect();
    let mut stmt = conn.prepare("SELECT street_id, since_on, until_on FROM merchants")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let street: i64 = r.get(0)?;
        let (since, until) = (t.days.at(r, 1)?, t.days.at(r, 2)?);
        let Some(s) = t.slot(street) else {
            continue;
        };
        for (p, day) in days.iter().enumerate() {
            if since.is_none_or(|d| d <= *day) && until.is_none_or(|d| d >= *day) {
                t.add(p, s, |f| f.partner_merchants += 1);
            }
        }
    }
    Ok(())
}

/// Membership by the register's 政治面貌, or on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    No,
    Full,
    Probationary,
}

/// One worker as the stock figures need it.
struct Worker {
    id: i64,
    station: Kind,
    status: Member,
    joined: Option<NaiveDate>,
    left: Option<NaiveDate>,
}

/// The position (1–5) of a stage in [`Stage::ORDER`]; 0 for an unknown code.
fn stage_rank(code: &str) -> u8 {
    Stage::from_code(code).map_or(0, rank)
}

/// A stage's place in the pipeline, 1 for the first.
fn rank(stage: Stage) -> u8 {
    Stage::ORDER
        .iter()
        .position(|x| *x == stage)
        .map_or(0, |i| i as u8 + 1)
}

/// The stages of one worker: `(rank, day)`, sorted.
type Stages = Vec<(u8, NaiveDate)>;

/// Workers, their stages and memberships: the stock figures of every period's last day
/// (workers, members, the pipeline) and the admissions of each period, each under the
/// worker's street on that day. Returns the workers' streets by day, under which points and
/// wishes count.
fn workers(
    conn: &Connection,
    t: &mut Tally<'_>,
    kinds: &FxHashMap<i64, Kind>,
    also: &AlsoIn,
) -> Result<StreetsOnDay> {
    let mut stages: FxHashMap<i64, Stages> = FxHashMap::default();
    let mut stmt = conn.prepare("SELECT worker_id, stage, date FROM worker_stages")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(d) = t.days.at(r, 2)? {
            let rank = stage_rank(r.get_ref(1)?.as_str()?);
            stages.entry(r.get(0)?).or_default().push((rank, d));
        }
    }
    for v in stages.values_mut() {
        v.sort_unstable();
    }
    let mobile: FxHashSet<i64> = conn
        .prepare("SELECT worker_id FROM memberships WHERE home_org IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (workers, current) = load_workers(conn, t, kinds)?;
    let streets = StreetsOnDay::load(conn, t, current)?;
    let postings = load_postings(conn, t, kinds)?;
    for (p, period) in t.periods.iter().enumerate() {
        let end = stock_day(period);
        for w in &workers {
            let working = w.joined.is_none_or(|j| j <= end) && w.left.is_none_or(|l| l >= end);
            let home = streets.get(w.id, end).filter(|_| working);
            // The streets of the worker's postings (`worker_postings`) on that day, besides
            // the street of the worker row.
            let posted: Vec<(usize, Kind)> = postings
                .get(&w.id)
                .map(|v| {
                    v.iter()
                        .filter(|x| {
                            x.joined.is_none_or(|j| j <= end)
                                && x.left.is_none_or(|l| l >= end)
                                && Some(x.street) != home
                        })
                        .map(|x| (x.street, x.station))
                        .collect()
                })
                .unwrap_or_default();
            if home.is_none() && posted.is_empty() {
                continue;
            }
            let (member, stage) = membership_on(w, stages.get(&w.id), end);
            let mobile = member != Member::No && mobile.contains(&w.id);
            // `kinds`: the kinds of the stations the worker works at in the street (or, for
            // the district, anywhere).
            let count = |f: &mut Figures, kinds: &[Kind]| {
                f.workers += 1;
                let at = |k: StationKind| kinds.contains(&Some(k));
                f.courier_station_workers += i64::from(at(StationKind::CourierStation));
                f.logistics_firm_workers += i64::from(at(StationKind::LogisticsFirm));
                f.party_members += i64::from(member != Member::No);
                f.probationary_members += i64::from(member == Member::Probationary);
                f.mobile_members += i64::from(mobile);
                match stage {
                    Some(Stage::Applicant) => f.applicants += 1,
                    Some(Stage::Activist) => f.activists += 1,
                    Some(Stage::Candidate) => f.candidates += 1,
                    _ => {}
                }
            };
            // Counted in each street it works in (a posting's street is never the worker
            // row's, and never twice: `worker_postings` is unique by worker and street), and
            // once in the district, at every kind of station it works at.
            if let Some(s) = home {
                count(&mut t.streets[p][s], &[w.station]);
            }
            for (s, station) in &posted {
                count(&mut t.streets[p][*s], &[*station]);
            }
            if posted.is_empty() {
                count(&mut t.total[p], &[w.station]);
            } else {
                let all: Vec<Kind> = home
                    .map(|_| w.station)
                    .into_iter()
                    .chain(posted.iter().map(|(_, k)| *k))
                    .collect();
                count(&mut t.total[p], &all);
            }
        }
    }
    // Admissions: the day a worker became 预备党员, under the street the stage names (a merged
    // one), else the worker's street that day.
    let periods = t.periods;
    let mut stmt = conn.prepare(
        "SELECT id, worker_id, date, street_id FROM worker_stages WHERE stage = 'probationary'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (id, w): (i64, i64) = (r.get(0)?, r.get(1)?);
        let Some(d) = t.days.at(r, 2)? else {
            continue;
        };
        let Some(s) = record_street(t, r, 3)?.or_else(|| streets.get(w, d)) else {
            continue;
        };
        let others: Vec<usize> = also.of("worker_stages", id, s).collect();
        for p in periods_of(periods, d) {
            t.add(p, s, |f| f.admitted += 1);
            for x in &others {
                t.streets[p][*x].admitted += 1;
            }
        }
    }
    Ok(streets)
}

/// A worker's posting in a street besides the worker row's (`worker_postings`).
struct Posting {
    street: usize,
    station: Kind,
    joined: Option<NaiveDate>,
    left: Option<NaiveDate>,
}

/// The postings of every worker that has any, by worker id.
fn load_postings(
    conn: &Connection,
    t: &mut Tally<'_>,
    kinds: &FxHashMap<i64, Kind>,
) -> Result<FxHashMap<i64, Vec<Posting>>> {
    let mut postings: FxHashMap<i64, Vec<Posting>> = FxHashMap::default();
    let mut stmt = conn.prepare(
        "SELECT worker_id, street_id, station_id, joined_on, left_on FROM worker_postings",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(street) = t.slot(r.get(1)?) else {
            continue;
        };
        let station: Option<i64> = r.get(2)?;
        postings.entry(r.get(0)?).or_default().push(Posting {
            street,
            station: station.and_then(|s| kinds.get(&s).copied().flatten()),
            joined: t.days.at(r, 3)?,
            left: t.days.at(r, 4)?,
        });
    }
    Ok(postings)
}

/// Every worker of the register, and the street slot of each by id.
fn load_workers(
    conn: &Connection,
    t: &mut Tally<'_>,
    kinds: &FxHashMap<i64, Kind>,
) -> Result<(Vec<Worker>, WorkerStreets)> {
    // The largest id bounds the number of workers: room for all of them at once.
    let max_id: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM workers", [], |r| r.get(0))?;
    let room = usize::try_from(max_id).unwrap_or(0).min(1 << 24);
    let mut workers: Vec<Worker> = Vec::with_capacity(room);
    let mut streets = WorkerStreets(vec![WorkerStreets::NONE; room + 1]);
    let mut stmt = conn.prepare(
        "SELECT id, street_id, station_id, political_status, joined_on, left_on FROM workers",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let street = t.slot(r.get(1)?);
        let station: Option<i64> = r.get(2)?;
        let status = match r
            .get_ref(3)?
            .as_str_or_null()?
            .and_then(PoliticalStatus::from_code)
        {
            Some(PoliticalStatus::PartyMember) => Member::Full,
            Some(PoliticalStatus::ProbationaryMember) => Member::Probationary,
            _ => Member::No,
        };
        if let Some(s) = street {
            streets.insert(id, s);
        }
        workers.push(Worker {
            id,
            station: station.and_then(|s| kinds.get(&s).copied().flatten()),
            status,
            joined: t.days.at(r, 4)?,
            left: t.days.at(r, 5)?,
        });
    }
    Ok((workers, streets))
}

/// A worker's membership on day `end`, and the stage reached by then (src/db/membership.rs): by
/// stage when the worker was ever admitted through the pipeline, else by 政治面貌.
fn membership_on(w: &Worker, stages: Option<&Stages>, end: NaiveDate) -> (Member, Option<Stage>) {
    let Some(st) = stages else {
        return (w.status, None);
    };
    let (probationary, full) = (rank(Stage::Probationary), rank(Stage::FullMember));
    let now = st.iter().rev().find(|(_, d)| *d <= end).map(|(r, _)| *r);
    let admitted = st.iter().any(|(r, _)| *r >= probationary);
    let converted = st.first().is_some_and(|(r, _)| *r == full);
    let member = if !admitted {
        w.status
    } else {
        match now {
            Some(r) if r == full => Member::Full,
            Some(r) if r == probationary => Member::Probationary,
            None if converted => Member::Probationary,
            _ => Member::No,
        }
    };
    let stage = now.and_then(|r| Stage::ORDER.get(usize::from(r).checked_sub(1)?).copied());
    (member, stage)
}

/// Coverage, party organizations and instructors, on each period's [`stock_day`], and the
/// undated records counted there. The district's are counted over the district whole: an
/// organization of no street counts there, and an instructor of two streets counts once.
fn coverage(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let mut by_street = conn.prepare(
        "SELECT st.street_id, count(DISTINCT a.instructor_id) FROM instructor_stations a
         JOIN stations st ON st.id = a.station_id
         WHERE (a.undated = 1 OR a.assigned_on <= ?1) AND (a.until_on IS NULL OR a.until_on >= ?1)
         GROUP BY st.street_id",
    )?;
    let mut all = conn.prepare(
        "SELECT count(DISTINCT instructor_id) FROM instructor_stations
         WHERE (undated = 1 OR assigned_on <= ?1) AND (until_on IS NULL OR until_on >= ?1)",
    )?;
    let mut undated = conn.prepare(
        "SELECT (SELECT count(*) FROM instructor_stations
                 WHERE undated = 1 AND (until_on IS NULL OR until_on >= ?1)),
                (SELECT count(*) FROM org_coverage
                 WHERE undated = 1 AND (until_on IS NULL OR until_on >= ?1)),
                (SELECT count(*) FROM party_orgs WHERE founded_on IS NULL)",
    )?;
    for (p, period) in t.periods.iter().enumerate() {
        let day = stock_day(period);
        t.total[p].undated = undated.query_row([day], |r| {
            Ok(Undated {
                instructor_assignments: r.get(0)?,
                org_coverage: r.get(1)?,
                party_orgs: r.get(2)?,
            })
        })?;
        let (streets, total): (_, CoverageFigures) = coverage_on(conn, day)?;
        for (street, c) in streets {
            if let Some(s) = t.slot(street) {
                t.streets[p][s].coverage = c;
            }
        }
        t.total[p].coverage = total;
        let mut rows = by_street.query([day])?;
        while let Some(r) = rows.next()? {
            if let Some(s) = t.slot(r.get(0)?) {
                t.streets[p][s].instructors = r.get(1)?;
            }
        }
        t.total[p].instructors = all.query_row([day], |r| r.get(0))?;
    }
    Ok(())
}

/// The whole months (YYYYMM) of a period, and the parts of months it covers in part.
fn split_months(p: &Period) -> (Vec<u32>, Vec<Period>) {
    let (mut whole, mut parts) = (Vec::new(), Vec::new());
    for m in p.months() {
        if m == Period::month(Month::of(m.from)) {
            whole.push(m.from.year() as u32 * 100 + m.from.month());
        } else {
            parts.push(m);
        }
    }
    (whole, parts)
}

/// Check-ins (person-times) and the workers who checked in, under the street checked in to:
/// whole months from the rollup, parts of months from the check-ins.
fn checkins(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let splits: Vec<(Vec<u32>, Vec<Period>)> = t.periods.iter().map(split_months).collect();
    let mut people = Distinct::per_period(t);
    // Which periods take a whole month.
    let mut takers: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (p, (whole, _)) in splits.iter().enumerate() {
        for m in whole {
            takers.entry(*m).or_default().push(p);
        }
    }
    if let (Some(&m0), Some(&m1)) = (takers.keys().min(), takers.keys().max()) {
        let mut stmt = conn.prepare(
            "SELECT month, worker_id, street_id, checkins FROM checkin_months
             WHERE month BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query(params![m0, m1])?;
        while let Some(r) = rows.next()? {
            let Some(ps) = takers.get(&r.get::<_, u32>(0)?) else {
                continue;
            };
            let (worker, street, k): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let Some(s) = t.slot(street) else {
                continue;
            };
            for &p in ps {
                t.add(p, s, |f| f.checkins += k);
                people[p].insert(worker, s);
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT worker_id, street_id FROM checkins WHERE event_key >= ?1 AND event_key < ?2",
    )?;
    for (p, (_, parts)) in splits.iter().enumerate() {
        for part in parts {
            let (k0, k1) = super::events::checkin_keys(part);
            let mut rows = stmt.query(params![k0, k1])?;
            while let Some(r) = rows.next()? {
                let (worker, street): (i64, i64) = (r.get(0)?, r.get(1)?);
                if let Some(s) = t.slot(street) {
                    t.add(p, s, |f| f.checkins += 1);
                    people[p].insert(worker, s);
                }
            }
        }
    }
    Distinct::set_all(people, t, |f| &mut f.checkin_workers);
    Ok(())
}

/// Volunteer services, their minutes and the volunteers, under the street where they were
/// done.
fn services(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let mut people = Distinct::per_period(t);
    let periods = t.periods;
    let mut stmt = conn.prepare(
        "SELECT date, worker_id, street_id, minutes FROM services WHERE date BETWEEN ?1 AND ?2",
    )?;
    let (lo, hi) = t.span();
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let (worker, street, minutes): (i64, i64, i64) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (Some(d), Some(s)) = (t.days.at(r, 0)?, t.slot(street)) else {
            continue;
        };
        for p in periods_of(periods, d) {
            t.add(p, s, |f| {
                f.services += 1;
                f.service_minutes += minutes;
            });
            people[p].insert(worker, s);
        }
    }
    Distinct::set_all(people, t, |f| &mut f.service_workers);
    Ok(())
}

/// 关爱活动 held in the period, the people taking part (person-times: named and not) and the
/// distinct workers named, under the street where the activity was held.
fn care(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let periods = t.periods;
    let (lo, hi) = t.span();
    let mut stmt = conn.prepare(
        "SELECT a.date, a.street_id,
                a.unnamed + (SELECT count(*) FROM care_participants p WHERE p.activity_id = a.id),
                a.kind
         FROM care_activities a WHERE a.date BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let (street, people, kind): (i64, i64, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (Some(d), Some(s)) = (t.days.at(r, 0)?, t.slot(street)) else {
            continue;
        };
        for p in periods_of(periods, d) {
            t.add(p, s, |f| {
                f.care_activities += 1;
                f.care_participants += people;
                *f.care_kinds.entry(kind.clone()).or_default() += 1;
            });
        }
    }
    let mut people = Distinct::per_period(t);
    let mut stmt = conn.prepare(
        "SELECT a.date, a.street_id, p.worker_id FROM care_participants p
         JOIN care_activities a ON a.id = p.activity_id WHERE a.date BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let (street, worker): (i64, i64) = (r.get(1)?, r.get(2)?);
        let (Some(d), Some(s)) = (t.days.at(r, 0)?, t.slot(street)) else {
            continue;
        };
        for p in periods_of(periods, d) {
            people[p].insert(worker, s);
        }
    }
    Distinct::set_all(people, t, |f| &mut f.care_workers);
    Ok(())
}

/// 随手拍 reports made in the period (by category, and who made them) and those resolved in
/// it, under the street where they were made.
fn tips(conn: &Connection, t: &mut Tally<'_>) -> Result<()> {
    let mut people = Distinct::per_period(t);
    let mut governance = Distinct::per_period(t);
    let periods = t.periods;
    let (lo, hi) = t.span();
    let mut stmt = conn.prepare(
        "SELECT date, worker_id, street_id, category FROM tips WHERE date BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let (worker, street): (i64, i64) = (r.get(1)?, r.get(2)?);
        let (Some(d), Some(s)) = (t.days.at(r, 0)?, t.slot(street)) else {
            continue;
        };
        let c = TipCategory::from_code(r.get_ref(3)?.as_str()?).unwrap_or(TipCategory::Other);
        for p in periods_of(periods, d) {
            t.add(p, s, |f| f.tips_by_category[c] += 1);
            people[p].insert(worker, s);
            if c != TipCategory::Suggestion {
                governance[p].insert(worker, s);
            }
        }
    }
    Distinct::set_all(people, t, |f| &mut f.tip_reporters);
    Distinct::set_all(governance, t, |f| &mut f.governance_reporters);
    let mut stmt = conn
        .prepare("SELECT resolved_on, street_id FROM tips WHERE resolved_on BETWEEN ?1 AND ?2")?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let (Some(d), Some(s)) = (t.days.at(r, 0)?, t.slot(r.get(1)?)) else {
            continue;
        };
        for p in periods_of(periods, d) {
            t.add(p, s, |f| f.tips_resolved += 1);
        }
    }
    Ok(())
}

/// The streets besides its own where a record counts (`record_streets`: a record two merged
/// registries both held, each under its own street), by table and record id, as street
/// slots. Counted in those streets' figures, never again in the district's.
#[derive(Default)]
struct AlsoIn(FxHashMap<(&'static str, i64), Vec<usize>>);

impl AlsoIn {
    fn load(conn: &Connection, t: &Tally<'_>) -> Result<Self> {
        let mut also = Self::default();
        let mut stmt = conn.prepare("SELECT tbl, record_id, street_id FROM record_streets")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let tbl = match r.get_ref(0)?.as_str()? {
                "point_entries" => "point_entries",
                "wishes" => "wishes",
                "gift_orders" => "gift_orders",
                "awards" => "awards",
                "worker_stages" => "worker_stages",
                _ => continue,
            };
            if let Some(s) = t.slot(r.get(2)?) {
                also.0.entry((tbl, r.get(1)?)).or_default().push(s);
            }
        }
        Ok(also)
    }

    /// The other street slots of record `id` of `tbl`, besides `own`.
    fn of(&self, tbl: &'static str, id: i64, own: usize) -> impl Iterator<Item = usize> + '_ {
        self.0
            .get(&(tbl, id))
            .into_iter()
            .flatten()
            .copied()
            .filter(move |s| *s != own)
    }
}

/// The street slot a record names itself (`street_id`, set on records `merge` brought from
/// another registry: the street they counted under there), in column `i`.
fn record_street(
    t: &Tally<'_>,
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<usize>> {
    Ok(r.get::<_, Option<i64>>(i)?.and_then(|s| t.slot(s)))
}

/// Wishes fulfilled in the period, under the street the wish names (a merged one), else the
/// worker's street on the day fulfilled.
fn wishes(
    conn: &Connection,
    t: &mut Tally<'_>,
    streets: &StreetsOnDay,
    also: &AlsoIn,
) -> Result<()> {
    let periods = t.periods;
    let (lo, hi) = t.span();
    let mut stmt = conn.prepare(
        "SELECT fulfilled_on, worker_id, street_id, id FROM wishes WHERE fulfilled_on BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let Some(d) = t.days.at(r, 0)? else {
            continue;
        };
        let Some(s) = record_street(t, r, 2)?.or_else(|| streets.get(r.get(1).ok()?, d)) else {
            continue;
        };
        let id: i64 = r.get(3)?;
        for p in periods_of(periods, d) {
            t.add(p, s, |f| f.wishes_fulfilled += 1);
            for x in also.of("wishes", id, s) {
                t.streets[p][x].wishes_fulfilled += 1;
            }
        }
    }
    Ok(())
}

/// Points earned and redeemed in the period, under the street the entry names (a merged one),
/// else the worker's street on the entry's day, by the rule of `ledger::flow`.
fn points(
    conn: &Connection,
    t: &mut Tally<'_>,
    streets: &StreetsOnDay,
    also: &AlsoIn,
) -> Result<()> {
    let periods = t.periods;
    let (lo, hi) = t.span();
    // Reversals are few: the entries they undo are looked up once.
    let reversed: FxHashSet<i64> = conn
        .prepare("SELECT reverses FROM point_entries WHERE reverses IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT date, worker_id, points, kind, id, street_id FROM point_entries
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
        let Some(d) = t.days.at(r, 0)? else {
            continue;
        };
        let Some(s) = record_street(t, r, 5)?.or_else(|| streets.get(worker, d)) else {
            continue;
        };
        let count = |f: &mut Figures| match flow {
            Flow::Redeemed => f.points_redeemed -= points,
            Flow::Earned => f.points_earned += points,
        };
        for p in periods_of(periods, d) {
            t.add(p, s, count);
            for x in also.of("point_entries", id, s) {
                count(&mut t.streets[p][x]);
            }
        }
    }
    Ok(())
}

/// Gift orders, under the street the order names (a merged one), else the worker's street on
/// the order's day: the items of the orders dated
/// in a period and not cancelled (ever: a cancellation after the period takes the order out
/// of it, as a reversal takes its redemption out of `points_redeemed`), and the orders still
/// waiting on a period's stock day (dated by then, neither collected nor cancelled by then).
fn gift_orders(
    conn: &Connection,
    t: &mut Tally<'_>,
    streets: &StreetsOnDay,
    also: &AlsoIn,
) -> Result<()> {
    let periods = t.periods;
    let (_, hi) = t.span();
    let mut stmt = conn.prepare(
        "SELECT date, worker_id, quantity, status, collected_on, cancelled_on, street_id, id
         FROM gift_orders WHERE date <= ?1",
    )?;
    let mut rows = stmt.query(params![hi])?;
    while let Some(r) = rows.next()? {
        let Some(d) = t.days.at(r, 0)? else {
            continue;
        };
        let (worker, quantity): (i64, i64) = (r.get(1)?, r.get(2)?);
        let Some(s) = record_street(t, r, 6)?.or_else(|| streets.get(worker, d)) else {
            continue;
        };
        let cancelled = r.get_ref(3)?.as_str()? == "cancelled";
        let collected_on = t.days.at(r, 4)?;
        let cancelled_on = t.days.at(r, 5)?;
        let id: i64 = r.get(7)?;
        let slots: Vec<usize> = also.of("gift_orders", id, s).collect();
        for (p, period) in periods.iter().enumerate() {
            if period.contains(d) && !cancelled {
                t.add(p, s, |f| f.gifts_redeemed += quantity);
                for x in &slots {
                    t.streets[p][*x].gifts_redeemed += quantity;
                }
            }
            let day = stock_day(period);
            let open = |handled: Option<NaiveDate>| handled.is_none_or(|h| h > day);
            if d <= day && open(collected_on) && open(cancelled_on) {
                t.add(p, s, |f| f.gift_orders_pending += 1);
                for x in &slots {
                    t.streets[p][*x].gift_orders_pending += 1;
                }
            }
        }
    }
    Ok(())
}

/// Awards of the years each period touches (a period of July 2025 takes the awards of 2025),
/// under the worker's street: per title, the people awarded it, each once in a street and
/// once in the district.
fn awards(
    conn: &Connection,
    t: &mut Tally<'_>,
    streets: &StreetsOnDay,
    also: &AlsoIn,
) -> Result<()> {
    type People = FxHashMap<String, (Vec<FxHashSet<i64>>, FxHashSet<i64>)>;
    let n = t.slot.len();
    let mut people: Vec<People> = t.periods.iter().map(|_| People::default()).collect();
    let mut stmt = conn.prepare("SELECT title, year, worker_id, street_id, id FROM awards")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (title, year, worker): (String, i32, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        // An award is the year's: the street it names (a merged one), else the worker's
        // street at the end of that year.
        let Some(s) = record_street(t, r, 3)?
            .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31).and_then(|d| streets.get(worker, d)))
        else {
            continue;
        };
        let others: Vec<usize> = also.of("awards", r.get(4)?, s).collect();
        for (p, period) in t.periods.iter().enumerate() {
            if (period.from.year()..=period.to.year()).contains(&year) {
                let (by_street, all) = people[p]
                    .entry(title.clone())
                    .or_insert_with(|| (vec![FxHashSet::default(); n], FxHashSet::default()));
                by_street[s].insert(worker);
                for x in &others {
                    by_street[*x].insert(worker);
                }
                all.insert(worker);
            }
        }
    }
    for (p, titles) in people.into_iter().enumerate() {
        for (title, (by_street, all)) in titles {
            for (s, set) in by_street.iter().enumerate() {
                if !set.is_empty() {
                    t.streets[p][s]
                        .awards
                        .insert(title.clone(), set.len() as i64);
                }
            }
            t.total[p].awards.insert(title, all.len() as i64);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tip_counts_are_indexed_by_the_category_s_place_in_the_vocabulary() {
        let mut c = TipCounts::default();
        for (i, cat) in TipCategory::ALL.iter().enumerate() {
            c[*cat] += i as i64 + 1;
            assert_eq!(c.0[i], i as i64 + 1, "{cat:?}");
        }
        assert_eq!(c.total(), 28);
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

    #[test]
    fn a_worker_s_street_on_a_day_is_the_one_the_first_later_change_left() {
        let d = |s: &str| stored_day(s).unwrap();
        let mut current = WorkerStreets(Vec::new());
        current.insert(1, 2);
        current.insert(2, 0);
        let mut changes = FxHashMap::default();
        // Worker 1: street 0 until 8 August, then 1 until 1 September, then 2 (now).
        changes.insert(1, vec![(d("2025-08-08"), 0), (d("2025-09-01"), 1)]);
        let s = StreetsOnDay { current, changes };
        assert_eq!(s.get(1, d("2025-07-31")), Some(0));
        assert_eq!(s.get(1, d("2025-08-07")), Some(0));
        // A change counts from its own day.
        assert_eq!(s.get(1, d("2025-08-08")), Some(1));
        assert_eq!(s.get(1, d("2025-09-01")), Some(2));
        assert_eq!(s.get(2, d("2025-07-01")), Some(0));
        assert_eq!(s.get(3, d("2025-07-01")), None);
    }

    #[test]
    fn a_period_splits_into_whole_months_and_parts() {
        let d = |s: &str| stored_day(s).unwrap();
        let (whole, parts) = split_months(&Period::new(d("2025-06-15"), d("2025-08-31")));
        assert_eq!(whole, [202507, 202508]);
        assert_eq!(parts, [Period::new(d("2025-06-15"), d("2025-06-30"))]);
    }
}
