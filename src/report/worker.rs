//! `report worker`: one worker's history — the register entry, the membership stages, a
//! summary per month and a timeline of every event (check-ins, volunteer service, 随手拍
//! reports, 微心愿, awards, ledger entries, stages and register changes), computed from the
//! read queries of `db` into `Serialize` structs and laid out as tables for the renderer.
//! It holds no SQL and prints nothing; 身份证号 and 手机号 are masked here unless asked.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use rust_i18n::t;
use serde::Serialize;

use super::hours;
use super::render::{Lang, Table, or_dash};
use crate::db::Db;
use crate::db::workers::{self, WorkerRow};
use crate::db::{
    activities, awards, changes, checkins, gifts, ledger, membership, services, tips, wishes,
};
use crate::model::period::stored_day;
use crate::model::{
    CareKind, Gender, Occupation, PointCategory, PoliticalStatus, Stage, TipCategory, TipStatus,
    Vocabulary, mask_id, mask_numbers, mask_phone,
};
use crate::model::{Month, Period};

/// A worker's register entry as shown: one worker of `worker list --format json`, the
/// entry of `worker show` and the person of `report worker`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkerJson {
    /// Row id.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// `male` / `female`.
    pub gender: Option<String>,
    /// 手机号, masked unless `--show-pii`.
    pub phone: Option<String>,
    /// 身份证号, masked unless `--show-pii`.
    pub id_number: Option<String>,
    /// Code of 政治面貌.
    pub political_status: Option<String>,
    /// Code of 从业类型.
    pub occupation: String,
    /// 所属企业.
    pub enterprise: Option<String>,
    /// 所属站点.
    pub station: Option<String>,
    /// 所属街道.
    pub street: String,
    /// 所属社区.
    pub community: Option<String>,
    /// 入职日期, `YYYY-MM-DD`.
    pub joined_on: Option<String>,
    /// 离职日期, `YYYY-MM-DD`.
    pub left_on: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

impl WorkerJson {
    /// The register entry as shown: 身份证号, 手机号 and numbers in 备注 masked unless `pii`.
    pub fn new(r: &WorkerRow, pii: bool) -> Self {
        let shown = |v: &str, mask: fn(&str) -> String| if pii { v.to_string() } else { mask(v) };
        Self {
            id: r.id,
            name: r.name.clone(),
            gender: r.gender.clone(),
            phone: r.phone.as_deref().map(|p| shown(p, mask_phone)),
            id_number: r.id_number.as_deref().map(|i| shown(i, mask_id)),
            political_status: r.political_status.clone(),
            occupation: r.occupation.clone(),
            enterprise: r.enterprise.clone(),
            station: r.station.clone(),
            street: r.street.clone(),
            community: r.community.clone(),
            joined_on: r.joined_on.clone(),
            left_on: r.left_on.clone(),
            // 备注 is free text: a number in it may be a phone or an ID.
            note: r
                .note
                .as_deref()
                .map(|n| if pii { n.to_string() } else { mask_numbers(n) }),
        }
    }
}

/// One stage of the membership pipeline (入党阶段) reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageRow {
    /// Stage code: `applicant`, `activist`, `candidate`, `probationary`, `full_member`.
    pub stage: String,
    /// The day it was reached, `YYYY-MM-DD`.
    pub date: String,
    /// The 党建工作指导员 of the stage.
    pub instructor: Option<String>,
}

/// The worker's figures of one calendar month (flows dated in the month, inside the period).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// 报到 check-ins.
    pub checkins: i64,
    /// Distinct places checked in at (street and community).
    pub checkin_places: i64,
    /// Volunteer services (志愿服务).
    pub services: i64,
    /// Their length, in minutes.
    pub service_minutes: i64,
    /// Their length, in hours with one decimal (rounded half up).
    pub service_hours: f64,
    /// 随手拍 reports made.
    pub tips: i64,
    /// 随手拍 reports resolved (办结) in the month, whenever made.
    pub tips_resolved: i64,
    /// 微心愿 registered.
    pub wishes: i64,
    /// 微心愿 fulfilled in the month.
    pub wishes_fulfilled: i64,
    /// Awards (评选), each dated on the last day of its year.
    pub awards: i64,
    /// Points earned: earnings and positive adjustments of the month not reversed since.
    pub points_earned: i64,
    /// Points redeemed: redemptions of the month not reversed since (a positive number).
    pub points_redeemed: i64,
    /// The ledger balance after the month's last day, in points.
    pub balance: i64,
}

/// One event of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// `YYYY-MM-DD` (register changes: the day they were recorded; awards: 31 December of
    /// their year).
    pub date: String,
    /// What happened: `joined`, `registered`, `change`, `stage`, `checkin`, `service`,
    /// `activity` (a 关爱活动 taken part in), `tip`,
    /// `tip_resolved`, `wish`, `wish_fulfilled`, `award`, `earn`, `redeem`, `reverse`,
    /// `adjust`, `left`.
    pub kind: String,
    /// The particulars, in the `--lang` language.
    pub detail: String,
    /// Signed points of a ledger entry; `None` for other events.
    pub points: Option<i64>,
}

/// The figures of the whole report (the period's flows; the balance as of now).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Totals {
    /// 报到 check-ins.
    pub checkins: i64,
    /// Distinct places checked in at (street and community).
    pub checkin_places: i64,
    /// Volunteer services.
    pub services: i64,
    /// Volunteer service, minutes.
    pub service_minutes: i64,
    /// Volunteer service, hours with one decimal.
    pub service_hours: f64,
    /// 随手拍 reports made.
    pub tips: i64,
    /// 随手拍 reports resolved.
    pub tips_resolved: i64,
    /// 微心愿 registered.
    pub wishes: i64,
    /// 微心愿 fulfilled.
    pub wishes_fulfilled: i64,
    /// Awards.
    pub awards: i64,
    /// Points earned, reversed entries left out.
    pub points_earned: i64,
    /// Points redeemed, reversed entries left out (positive).
    pub points_redeemed: i64,
    /// The ledger balance now, whatever the period: the sum of every entry, as `points
    /// balance` shows it.
    pub balance: i64,
}

/// `report worker`: `{period, person, stages, months, timeline, totals}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerReport {
    /// The period asked for (both days included), `None` for the whole history.
    pub period: Option<Period>,
    /// The register entry, as `worker show` gives it (with its `id`).
    pub person: WorkerJson,
    /// The membership stages reached, in order.
    pub stages: Vec<StageRow>,
    /// Every month from the first to the last with an event counted here (check-in, service,
    /// report, resolution, wish, fulfilment, award, ledger entry), inside the period.
    pub months: Vec<MonthRow>,
    /// Every event inside the period, by date (on one day: register, stages, check-ins,
    /// services, reports, wishes, awards, points).
    pub timeline: Vec<Event>,
    /// Sums over the period, and the balance now.
    pub totals: Totals,
}

/// A dated fact that counts in the month summary.
enum Tally {
    Checkin(String),
    Service(i64),
    Tip,
    TipResolved,
    Wish,
    WishFulfilled,
    Award,
    Points { points: i64, redeem: bool },
}

/// The order of kinds on one day: what grants points comes before the points.
fn rank(kind: &str) -> u8 {
    match kind {
        "joined" => 0,
        "registered" | "change" => 1,
        "stage" => 2,
        "checkin" => 3,
        "service" => 4,
        "activity" => 4,
        "tip" => 5,
        "tip_resolved" => 6,
        "wish" => 7,
        "wish_fulfilled" => 8,
        "award" => 9,
        "earn" | "redeem" | "reverse" | "adjust" => 10,
        "gift_order" => 11,
        _ => 12,
    }
}

/// The label of an event kind, for tables.
pub fn kind_label(kind: &str, lang: Lang) -> String {
    let l = lang.code();
    match kind {
        "joined" => t!("report.worker.kind.joined", locale = l),
        "registered" => t!("report.worker.kind.registered", locale = l),
        "change" => t!("report.worker.kind.change", locale = l),
        "stage" => t!("report.worker.kind.stage", locale = l),
        "checkin" => t!("report.worker.kind.checkin", locale = l),
        "service" => t!("report.worker.kind.service", locale = l),
        "activity" => t!("report.worker.kind.activity", locale = l),
        "tip" => t!("report.worker.kind.tip", locale = l),
        "tip_resolved" => t!("report.worker.kind.tip_resolved", locale = l),
        "wish" => t!("report.worker.kind.wish", locale = l),
        "wish_fulfilled" => t!("report.worker.kind.wish_fulfilled", locale = l),
        "award" => t!("report.worker.kind.award", locale = l),
        "earn" => t!("report.worker.kind.earn", locale = l),
        "redeem" => t!("report.worker.kind.redeem", locale = l),
        "reverse" => t!("report.worker.kind.reverse", locale = l),
        "adjust" => t!("report.worker.kind.adjust", locale = l),
        "left" => t!("report.worker.kind.left", locale = l),
        "gift_order" => t!("report.worker.kind.gift_order", locale = l),
        _ => t!("report.worker.kind.other", locale = l),
    }
    .into_owned()
}

/// The label of a stored code: Chinese, or the code in words in English (`full_member` →
/// `full member`).
fn label<V: Vocabulary>(code: &str, lang: Lang) -> String {
    V::text_of(code, lang)
}

/// A text with the 党建工作指导员 who saw to it: `预备党员 (指导员 王芳)`.
fn with_instructor(text: &str, instructor: &str, lang: Lang) -> String {
    t!(
        "report.worker.with_instructor",
        locale = lang.code(),
        text = text,
        instructor = instructor
    )
    .into_owned()
}

/// The month after `m`.
fn next_month(m: Month) -> Month {
    Month::of(m.last_day() + chrono::Days::new(1))
}

/// What a worker's history gathers: the timeline's events and the dated facts the months
/// count, inside the period.
struct History<'a> {
    within: Option<&'a Period>,
    pii: bool,
    lang: Lang,
    events: Vec<Event>,
    tallies: Vec<(String, Tally)>,
}

impl History<'_> {
    /// True when a stored day is inside the period (any day without one).
    fn inside(&self, date: &str) -> bool {
        self.within
            .is_none_or(|p| stored_day(date).is_some_and(|d| p.contains(d)))
    }

    /// Free text as shown: numbers in it masked unless `pii`.
    fn text(&self, s: &str) -> String {
        if self.pii {
            s.to_string()
        } else {
            mask_numbers(s)
        }
    }

    fn push(&mut self, date: &str, kind: &str, detail: String, points: Option<i64>) {
        self.events.push(Event {
            date: date.to_string(),
            kind: kind.to_string(),
            detail,
            points,
        });
    }

    /// Joining, leaving and every register change inside the period.
    fn register(&mut self, db: &Db, w: &WorkerRow) -> Result<()> {
        if let Some(d) = w.joined_on.as_deref().filter(|d| self.inside(d)) {
            self.push(d, "joined", or_dash(w.station.as_deref()), None);
        }
        if let Some(d) = w.left_on.as_deref().filter(|d| self.inside(d)) {
            self.push(d, "left", String::new(), None);
        }
        let (pii, lang) = (self.pii, self.lang);
        for c in changes::history(db, "worker", w.id)? {
            let Some(day) = c.at.get(..10).filter(|d| self.inside(d)) else {
                continue;
            };
            let source = match &c.file {
                Some(f) => format!("{} {f}", c.command),
                None => c.command.clone(),
            };
            if c.field == "*" {
                self.push(day, "registered", source, None);
                continue;
            }
            let value = |v: Option<&str>| -> String {
                let Some(v) = v else { return "-".into() };
                match c.field.as_str() {
                    "political_status" => label::<PoliticalStatus>(v, lang),
                    "occupation" => label::<Occupation>(v, lang),
                    "gender" => label::<Gender>(v, lang),
                    // Stored masked already; masked again in case of an older entry.
                    "phone" if !pii => mask_phone(v),
                    "id_number" if !pii => mask_id(v),
                    _ => self.text(v),
                }
            };
            let field = match lang {
                Lang::Zh => changes::field_label(&c.field, lang),
                Lang::En => c.field.replace('_', " "),
            };
            let detail = t!(
                "report.worker.change",
                locale = lang.code(),
                field = field,
                old = value(c.old.as_deref()),
                new = value(c.new.as_deref()),
                source = source
            )
            .into_owned();
            self.push(day, "change", detail, None);
        }
        Ok(())
    }

    /// The stages reached (all of them, for the person), each inside the period on the
    /// timeline.
    fn stages(&mut self, db: &Db, id: i64) -> Result<Vec<StageRow>> {
        let rows: Vec<StageRow> = membership::history(db, id)?
            .into_iter()
            .map(|s| StageRow {
                stage: s.stage,
                date: s.date,
                instructor: s.instructor,
            })
            .collect();
        for s in &rows {
            if !self.inside(&s.date) {
                continue;
            }
            let mut d = label::<Stage>(&s.stage, self.lang);
            if let Some(i) = &s.instructor {
                d = with_instructor(&d, i, self.lang);
            }
            self.push(&s.date, "stage", d, None);
        }
        Ok(rows)
    }

    /// Check-ins, volunteer services and 随手拍 reports (made or resolved inside the
    /// period: each date counts when it is inside).
    fn activity(&mut self, db: &Db, id: i64) -> Result<()> {
        for k in checkins::history(db, id, self.within)? {
            let place = match &k.community {
                Some(c) => format!("{} {c}", k.street),
                None => k.street.clone(),
            };
            let mut d = place.clone();
            if !k.purpose.is_empty() {
                d.push_str(&format!(" · {}", self.text(&k.purpose)));
            }
            self.push(&k.date, "checkin", d, None);
            self.tallies.push((k.date, Tally::Checkin(place)));
        }
        for s in services::history(db, id, self.within)? {
            let d = t!(
                "report.worker.service",
                locale = self.lang.code(),
                hours = format_args!("{:.1}", hours(s.minutes)),
                activity = self.text(&s.activity),
                street = s.street
            )
            .into_owned();
            self.push(&s.date, "service", d, None);
            self.tallies.push((s.date, Tally::Service(s.minutes)));
        }
        for a in activities::history(db, id, self.within)? {
            let d = t!(
                "report.worker.care_activity",
                locale = self.lang.code(),
                kind = label::<CareKind>(&a.kind, self.lang),
                title = self.text(&a.title),
                street = a.street
            )
            .into_owned();
            self.push(&a.date, "activity", d, None);
        }
        for t in tips::history(db, id, self.within)? {
            let category = label::<TipCategory>(&t.category, self.lang);
            if self.inside(&t.date) {
                let d = format!(
                    "{category} · {} · {}",
                    label::<TipStatus>(&t.status, self.lang),
                    self.text(&t.content)
                );
                self.push(&t.date, "tip", d, None);
                self.tallies.push((t.date.clone(), Tally::Tip));
            }
            if let Some(r) = t.resolved_on.as_deref().filter(|d| self.inside(d)) {
                let d = format!("{category} · {}", self.text(&t.content));
                self.push(r, "tip_resolved", d, None);
                self.tallies.push((r.to_string(), Tally::TipResolved));
            }
        }
        Ok(())
    }

    /// 微心愿 (made or fulfilled inside the period), awards and ledger entries.
    fn rewards(&mut self, db: &Db, id: i64) -> Result<()> {
        for h in wishes::history(db, id, self.within)? {
            if self.inside(&h.date) {
                self.push(&h.date, "wish", self.text(&h.wish), None);
                self.tallies.push((h.date.clone(), Tally::Wish));
            }
            if let Some(f) = h.fulfilled_on.as_deref().filter(|d| self.inside(d)) {
                let mut d = self.text(&h.wish);
                if let Some(by) = &h.fulfilled_by {
                    d = t!(
                        "report.worker.fulfilled_by",
                        locale = self.lang.code(),
                        wish = d,
                        by = self.text(by)
                    )
                    .into_owned();
                }
                self.push(f, "wish_fulfilled", d, None);
                self.tallies.push((f.to_string(), Tally::WishFulfilled));
            }
        }
        for o in gifts::history(db, id, self.within)? {
            if !self.inside(&o.date) {
                continue;
            }
            let l = self.lang.code();
            let status = match o.status.as_str() {
                "collected" => t!(
                    "report.worker.gift_collected",
                    locale = l,
                    date = o.collected_on.as_deref().unwrap_or("")
                ),
                "cancelled" => t!(
                    "report.worker.gift_cancelled",
                    locale = l,
                    date = o.cancelled_on.as_deref().unwrap_or("")
                ),
                _ => t!("report.worker.gift_pending", locale = l),
            };
            let d = t!(
                "report.worker.gift_order",
                locale = l,
                order = o.id,
                gift = self.text(&o.gift),
                quantity = o.quantity,
                points = o.points,
                status = status
            )
            .into_owned();
            self.push(&o.date, "gift_order", d, None);
        }
        for a in awards::history(db, id, self.within)? {
            let date = format!("{:04}-12-31", a.year);
            let d = t!(
                "report.worker.award",
                locale = self.lang.code(),
                year = a.year,
                title = self.text(&a.title)
            )
            .into_owned();
            self.push(&date, "award", d, None);
            self.tallies.push((date, Tally::Award));
        }
        for e in ledger::point_entries(db, id, self.within)? {
            let category = label::<PointCategory>(&e.category, self.lang);
            let mut d = match e.reverses {
                Some(r) => t!(
                    "report.worker.reversal",
                    locale = self.lang.code(),
                    entry = r,
                    category = category
                )
                .into_owned(),
                None => category,
            };
            if !e.reason.is_empty() {
                d.push_str(&format!(" · {}", self.text(&e.reason)));
            }
            self.push(&e.date, &e.kind, d, Some(e.points));
            // The rule of every report.
            let Some(flow) = ledger::flow(&e.kind, e.points, e.reversed_by.is_some()) else {
                continue;
            };
            let redeem = flow == ledger::Flow::Redeemed;
            self.tallies.push((
                e.date,
                Tally::Points {
                    points: e.points,
                    redeem,
                },
            ));
        }
        Ok(())
    }
}

impl MonthRow {
    /// Counts one dated fact; `place` collects the places checked in at.
    fn count(&mut self, t: &Tally, places: &mut BTreeSet<String>) {
        match t {
            Tally::Checkin(place) => {
                self.checkins += 1;
                places.insert(place.clone());
            }
            Tally::Service(minutes) => {
                self.services += 1;
                self.service_minutes += minutes;
            }
            Tally::Tip => self.tips += 1,
            Tally::TipResolved => self.tips_resolved += 1,
            Tally::Wish => self.wishes += 1,
            Tally::WishFulfilled => self.wishes_fulfilled += 1,
            Tally::Award => self.awards += 1,
            Tally::Points { points, redeem } => {
                if *redeem {
                    self.points_redeemed -= points;
                } else {
                    self.points_earned += points;
                }
            }
        }
    }
}

impl Totals {
    /// The sums of the months (the balance is set apart).
    fn of(months: &[MonthRow], places: i64) -> Self {
        let mut t = Totals {
            checkin_places: places,
            ..Totals::default()
        };
        for m in months {
            t.checkins += m.checkins;
            t.services += m.services;
            t.service_minutes += m.service_minutes;
            t.tips += m.tips;
            t.tips_resolved += m.tips_resolved;
            t.wishes += m.wishes;
            t.wishes_fulfilled += m.wishes_fulfilled;
            t.awards += m.awards;
            t.points_earned += m.points_earned;
            t.points_redeemed += m.points_redeemed;
        }
        t.service_hours = hours(t.service_minutes);
        t
    }
}

/// The months of the tallies, every one from the first to the last with a tally, each with
/// its counts and the balance after its last day; and the totals (the balance now).
fn months(db: &Db, id: i64, tallies: Vec<(String, Tally)>) -> Result<(Vec<MonthRow>, Totals)> {
    let mut months: Vec<MonthRow> = Vec::new();
    let first = tallies.iter().map(|(d, _)| d.get(..7).unwrap_or("")).min();
    let last = tallies.iter().map(|(d, _)| d.get(..7).unwrap_or("")).max();
    if let (Some(mut m), Some(last)) = (first.and_then(Month::parse), last) {
        while m.to_string().as_str() <= last {
            months.push(MonthRow {
                month: m.to_string(),
                ..MonthRow::default()
            });
            m = next_month(m);
        }
    }
    let index: BTreeMap<String, usize> = months
        .iter()
        .enumerate()
        .map(|(i, m)| (m.month.clone(), i))
        .collect();
    let mut places: Vec<BTreeSet<String>> = vec![BTreeSet::new(); months.len()];
    for (date, t) in &tallies {
        if let Some(&i) = date.get(..7).and_then(|m| index.get(m)) {
            months[i].count(t, &mut places[i]);
        }
    }
    for (m, p) in months.iter_mut().zip(&places) {
        m.checkin_places = p.len() as i64;
        m.service_hours = hours(m.service_minutes);
        // After the month's last day, whatever the period: `-31` sorts after every day
        // of every month.
        m.balance = ledger::balance_through(db, id, &format!("{}-31", m.month))?;
    }
    let all_places: BTreeSet<&String> = places.iter().flatten().collect();
    let mut totals = Totals::of(&months, all_places.len() as i64);
    totals.balance = ledger::balance(db, id)?.0;
    Ok((months, totals))
}

impl WorkerReport {
    /// The history of worker `id` (a row id, as `find_by_number` returns it) inside `period`
    /// (`None`: all of it). `pii`: full 身份证号 and 手机号 (and numbers in free text) instead
    /// of masked ones. `lang`: the language of the timeline's details. Every record is read by
    /// the worker's row id, so workers who share a name are never mixed up.
    ///
    /// Errors: no worker has row id `id`; database errors.
    pub fn compute(
        db: &Db,
        id: i64,
        period: Option<Period>,
        pii: bool,
        lang: Lang,
    ) -> Result<Self> {
        let Some(w) = workers::worker(db, id)? else {
            bail!("{}", t!("report.worker.not_found", id = id));
        };
        let mut h = History {
            within: period.as_ref(),
            pii,
            lang,
            events: Vec::new(),
            tallies: Vec::new(),
        };
        h.register(db, &w)?;
        let stages = h.stages(db, id)?;
        h.activity(db, id)?;
        h.rewards(db, id)?;
        let History {
            mut events,
            tallies,
            ..
        } = h;
        events.sort_by(|a, b| {
            (a.date.as_str(), rank(&a.kind)).cmp(&(b.date.as_str(), rank(&b.kind)))
        });
        let (months, totals) = months(db, id, tallies)?;
        Ok(Self {
            period,
            person: WorkerJson::new(&w, pii),
            stages,
            months,
            timeline: events,
            totals,
        })
    }

    /// The first section: the register entry, the stages and the balance now, as rows of
    /// field and value.
    pub fn person_table(&self, lang: Lang) -> Table {
        let p = &self.person;
        let l = lang.code();
        let mut t = Table::of(
            vec![
                t!("report.worker.person.field", locale = l).into_owned(),
                t!("report.worker.person.value", locale = l).into_owned(),
            ],
            &[],
        );
        let opt = |v: &Option<String>| or_dash(v.as_deref());
        let rows = [
            (t!("report.worker.person.name", locale = l), p.name.clone()),
            (
                t!("report.worker.person.gender", locale = l),
                p.gender
                    .as_deref()
                    .map_or(String::new(), |g| label::<Gender>(g, lang)),
            ),
            (
                t!("report.worker.person.id_number", locale = l),
                opt(&p.id_number),
            ),
            (t!("report.worker.person.phone", locale = l), opt(&p.phone)),
            (
                t!("report.worker.person.political_status", locale = l),
                p.political_status
                    .as_deref()
                    .map_or(String::new(), |s| label::<PoliticalStatus>(s, lang)),
            ),
            (
                t!("report.worker.person.occupation", locale = l),
                label::<Occupation>(&p.occupation, lang),
            ),
            (
                t!("report.worker.person.enterprise", locale = l),
                opt(&p.enterprise),
            ),
            (
                t!("report.worker.person.station", locale = l),
                opt(&p.station),
            ),
            (
                t!("report.worker.person.street", locale = l),
                p.street.clone(),
            ),
            (
                t!("report.worker.person.community", locale = l),
                opt(&p.community),
            ),
            (
                t!("report.worker.person.joined_on", locale = l),
                opt(&p.joined_on),
            ),
            (
                t!("report.worker.person.left_on", locale = l),
                opt(&p.left_on),
            ),
            (t!("report.worker.person.note", locale = l), opt(&p.note)),
        ];
        for (k, v) in rows {
            t.rows.push(vec![k.into_owned(), v]);
        }
        for s in &self.stages {
            let v = match &s.instructor {
                Some(i) => with_instructor(&s.date, i, lang),
                None => s.date.clone(),
            };
            t.rows.push(vec![
                t!(
                    "report.worker.person.stage",
                    locale = l,
                    stage = label::<Stage>(&s.stage, lang)
                )
                .into_owned(),
                v,
            ]);
        }
        t.rows.push(vec![
            t!("report.worker.person.balance", locale = l).into_owned(),
            self.totals.balance.to_string(),
        ]);
        t
    }

    /// The second section: one row per month and a total row (its balance cell empty: the
    /// balance now is in the first section).
    pub fn months_table(&self, lang: Lang) -> Table {
        let l = lang.code();
        let headers = vec![
            t!("report.column.month", locale = l).into_owned(),
            t!("report.worker.month.checkins", locale = l).into_owned(),
            t!("report.worker.month.places", locale = l).into_owned(),
            t!("report.worker.month.services", locale = l).into_owned(),
            t!("report.worker.month.hours", locale = l).into_owned(),
            t!("report.worker.month.tips", locale = l).into_owned(),
            t!("report.worker.month.tips_resolved", locale = l).into_owned(),
            t!("report.worker.month.wishes", locale = l).into_owned(),
            t!("report.worker.month.wishes_fulfilled", locale = l).into_owned(),
            t!("report.worker.month.awards", locale = l).into_owned(),
            t!("report.worker.month.points_earned", locale = l).into_owned(),
            t!("report.worker.month.points_redeemed", locale = l).into_owned(),
            t!("report.worker.month.balance", locale = l).into_owned(),
        ];
        let mut numeric = vec![true; headers.len()];
        numeric[0] = false;
        let mut t = Table::of(headers, &numeric);
        let row = |label: String,
                   checkins: i64,
                   places: i64,
                   services: i64,
                   hours: f64,
                   figures: [i64; 7],
                   balance: Option<i64>| {
            let mut r = vec![
                label,
                checkins.to_string(),
                places.to_string(),
                services.to_string(),
                format!("{hours:.1}"),
            ];
            r.extend(figures.iter().map(i64::to_string));
            r.push(balance.map_or(String::new(), |b| b.to_string()));
            r
        };
        for m in &self.months {
            t.rows.push(row(
                m.month.clone(),
                m.checkins,
                m.checkin_places,
                m.services,
                m.service_hours,
                [
                    m.tips,
                    m.tips_resolved,
                    m.wishes,
                    m.wishes_fulfilled,
                    m.awards,
                    m.points_earned,
                    m.points_redeemed,
                ],
                Some(m.balance),
            ));
        }
        let s = &self.totals;
        t.rows.push(row(
            t!("report.total", locale = l).into_owned(),
            s.checkins,
            s.checkin_places,
            s.services,
            s.service_hours,
            [
                s.tips,
                s.tips_resolved,
                s.wishes,
                s.wishes_fulfilled,
                s.awards,
                s.points_earned,
                s.points_redeemed,
            ],
            None,
        ));
        t
    }

    /// The third section (and the CSV): one row per event — date, kind, detail, points.
    pub fn timeline_table(&self, lang: Lang) -> Table {
        let l = lang.code();
        let mut t = Table::of(
            vec![
                t!("report.worker.timeline.date", locale = l).into_owned(),
                t!("report.worker.timeline.event", locale = l).into_owned(),
                t!("report.worker.timeline.detail", locale = l).into_owned(),
                t!("report.worker.timeline.points", locale = l).into_owned(),
            ],
            &[false, false, false, true],
        );
        for e in &self.timeline {
            t.rows.push(vec![
                e.date.clone(),
                kind_label(&e.kind, lang),
                e.detail.clone(),
                e.points.map_or(String::new(), |p| format!("{p:+}")),
            ]);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_roll_over_the_year() {
        let m = |s| Month::parse(s).unwrap();
        assert_eq!(next_month(m("2025-07")), m("2025-08"));
        assert_eq!(next_month(m("2025-12")), m("2026-01"));
    }

    #[test]
    fn points_come_after_what_grants_them_on_one_day() {
        assert!(rank("service") < rank("earn"));
        assert!(rank("tip") < rank("earn"));
        assert!(rank("joined") < rank("checkin"));
    }
}
