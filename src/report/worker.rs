//! `report worker`: one worker's history — the register entry, the membership stages, a
//! summary per month and a timeline of every event (check-ins, volunteer service, 随手拍
//! reports, 微心愿, awards, ledger entries, stages and register changes), computed from the
//! read queries of `db` into `Serialize` structs and laid out as tables for the renderer.
//! It holds no SQL and prints nothing; 身份证号 and 手机号 are masked here unless asked.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use serde::Serialize;

use super::hours;
use super::render::{Lang, Table, or_dash};
use crate::commands::worker::WorkerJson;
use crate::db::Db;
use crate::db::queries;
use crate::db::{changes, history, ledger, stages};
use crate::model::Period;
use crate::model::{
    Gender, Occupation, PointCategory, PoliticalStatus, Stage, TipCategory, TipStatus, Vocabulary,
    mask_id, mask_numbers, mask_phone,
};

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
    /// What happened: `joined`, `registered`, `change`, `stage`, `checkin`, `service`, `tip`,
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
        "tip" => 5,
        "tip_resolved" => 6,
        "wish" => 7,
        "wish_fulfilled" => 8,
        "award" => 9,
        "earn" | "redeem" | "reverse" | "adjust" => 10,
        _ => 11,
    }
}

/// The label of an event kind, for tables.
pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        "joined" => ("入职", "Joined"),
        "registered" => ("登记", "Registered"),
        "change" => ("信息变更", "Register change"),
        "stage" => ("入党阶段", "Membership stage"),
        "checkin" => ("报到", "Check-in"),
        "service" => ("志愿服务", "Volunteer service"),
        "tip" => ("随手拍", "Report (随手拍)"),
        "tip_resolved" => ("随手拍办结", "Report resolved"),
        "wish" => ("微心愿", "Wish"),
        "wish_fulfilled" => ("心愿实现", "Wish fulfilled"),
        "award" => ("评选", "Award"),
        "earn" => ("积分", "Points earned"),
        "redeem" => ("兑换", "Redemption"),
        "reverse" => ("冲正", "Reversal"),
        "adjust" => ("调整", "Adjustment"),
        "left" => ("离职", "Left"),
        _ => ("其他", "Other"),
    };
    lang.pick(zh, en)
}

/// The label of a stored code: Chinese, or the code in words in English (`full_member` →
/// `full member`).
fn label<V: Vocabulary>(code: &str, lang: Lang) -> String {
    match (V::from_code(code), lang) {
        (Some(v), Lang::Zh) => v.label().to_string(),
        _ => code.replace('_', " "),
    }
}

/// The first day of the month after `YYYY-MM`, as `YYYY-MM`.
fn next_month(m: &str) -> String {
    let y: i32 = m.get(..4).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let n: u32 = m.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    if n >= 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", n + 1)
    }
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
        let conn = &db.conn;
        let Some(w) = queries::worker(conn, id)? else {
            bail!("worker {id} is not in the register");
        };
        let within = period.as_ref();
        let inside = |date: &str| {
            within.is_none_or(|p| {
                crate::model::period::stored_day(date).is_some_and(|d| p.contains(d))
            })
        };
        let text = |s: &str| if pii { s.to_string() } else { mask_numbers(s) };
        let pick = |zh: &str, en: &str| lang.pick(zh, en).to_string();

        let mut events: Vec<Event> = Vec::new();
        let mut tallies: Vec<(String, Tally)> = Vec::new();
        let mut push = |date: &str, kind: &str, detail: String, points: Option<i64>| {
            events.push(Event {
                date: date.to_string(),
                kind: kind.to_string(),
                detail,
                points,
            });
        };

        if let Some(d) = w.joined_on.as_deref().filter(|d| inside(d)) {
            push(d, "joined", or_dash(w.station.as_deref()), None);
        }
        if let Some(d) = w.left_on.as_deref().filter(|d| inside(d)) {
            push(d, "left", String::new(), None);
        }
        for c in changes::history(conn, "worker", id)? {
            let Some(day) = c.at.get(..10).filter(|d| inside(d)) else {
                continue;
            };
            let source = match &c.file {
                Some(f) => format!("{} {f}", c.command),
                None => c.command.clone(),
            };
            if c.field == "*" {
                push(day, "registered", source, None);
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
                    _ => text(v),
                }
            };
            let field = match lang {
                Lang::Zh => changes::field_label(&c.field).to_string(),
                Lang::En => c.field.replace('_', " "),
            };
            push(
                day,
                "change",
                format!(
                    "{field}: {} → {} ({source})",
                    value(c.old.as_deref()),
                    value(c.new.as_deref())
                ),
                None,
            );
        }
        let stage_rows: Vec<StageRow> = stages::history(conn, id)?
            .into_iter()
            .map(|s| StageRow {
                stage: s.stage,
                date: s.date,
                instructor: s.instructor,
            })
            .collect();
        for s in stage_rows.iter().filter(|s| inside(&s.date)) {
            let mut d = label::<Stage>(&s.stage, lang);
            if let Some(i) = &s.instructor {
                d.push_str(&format!(" ({} {i})", pick("指导员", "instructor")));
            }
            push(&s.date, "stage", d, None);
        }
        for k in history::checkins(conn, id, within)? {
            let place = match &k.community {
                Some(c) => format!("{} {c}", k.street),
                None => k.street.clone(),
            };
            let mut d = place.clone();
            if !k.purpose.is_empty() {
                d.push_str(&format!(" · {}", text(&k.purpose)));
            }
            push(&k.date, "checkin", d, None);
            tallies.push((k.date, Tally::Checkin(place)));
        }
        for s in history::services(conn, id, within)? {
            push(
                &s.date,
                "service",
                format!(
                    "{:.1} {} {} ({})",
                    hours(s.minutes),
                    pick("小时", "h"),
                    text(&s.activity),
                    s.street
                ),
                None,
            );
            tallies.push((s.date, Tally::Service(s.minutes)));
        }
        // Made or resolved inside the period: each date is counted when it is inside.
        for t in history::tips(conn, id, within)? {
            let category = label::<TipCategory>(&t.category, lang);
            if inside(&t.date) {
                push(
                    &t.date,
                    "tip",
                    format!(
                        "{category} · {} · {}",
                        label::<TipStatus>(&t.status, lang),
                        text(&t.content)
                    ),
                    None,
                );
                tallies.push((t.date.clone(), Tally::Tip));
            }
            if let Some(r) = t.resolved_on.as_deref().filter(|d| inside(d)) {
                push(
                    r,
                    "tip_resolved",
                    format!("{category} · {}", text(&t.content)),
                    None,
                );
                tallies.push((r.to_string(), Tally::TipResolved));
            }
        }
        for h in history::wishes(conn, id, within)? {
            if inside(&h.date) {
                push(&h.date, "wish", text(&h.wish), None);
                tallies.push((h.date.clone(), Tally::Wish));
            }
            if let Some(f) = h.fulfilled_on.as_deref().filter(|d| inside(d)) {
                let mut d = text(&h.wish);
                if let Some(by) = &h.fulfilled_by {
                    d.push_str(&format!(" ({} {})", pick("认领", "by"), text(by)));
                }
                push(f, "wish_fulfilled", d, None);
                tallies.push((f.to_string(), Tally::WishFulfilled));
            }
        }
        for a in history::awards(conn, id, within)? {
            let date = format!("{:04}-12-31", a.year);
            let d = match lang {
                Lang::Zh => format!("{}年度 {}", a.year, text(&a.title)),
                Lang::En => format!("{} {}", a.year, text(&a.title)),
            };
            push(&date, "award", d, None);
            tallies.push((date, Tally::Award));
        }
        for e in history::point_entries(conn, id, within)? {
            let category = label::<PointCategory>(&e.category, lang);
            let mut d = match (e.reverses, lang) {
                (Some(r), Lang::Zh) => format!("冲正第{r}号 · {category}"),
                (Some(r), Lang::En) => format!("of entry {r} · {category}"),
                (None, _) => category,
            };
            if !e.reason.is_empty() {
                d.push_str(&format!(" · {}", text(&e.reason)));
            }
            push(&e.date, &e.kind, d, Some(e.points));
            // The rule of every report.
            let Some(flow) = ledger::flow(&e.kind, e.points, e.reversed_by.is_some()) else {
                continue;
            };
            let redeem = flow == ledger::Flow::Redeemed;
            tallies.push((
                e.date,
                Tally::Points {
                    points: e.points,
                    redeem,
                },
            ));
        }
        events.sort_by(|a, b| {
            (a.date.as_str(), rank(&a.kind)).cmp(&(b.date.as_str(), rank(&b.kind)))
        });

        // The months: every one from the first to the last with a tally.
        let mut months: Vec<MonthRow> = Vec::new();
        let first = tallies.iter().map(|(d, _)| d.get(..7).unwrap_or("")).min();
        let last = tallies.iter().map(|(d, _)| d.get(..7).unwrap_or("")).max();
        if let (Some(first), Some(last)) = (first, last) {
            let mut m = first.to_string();
            while m.as_str() <= last {
                let next = next_month(&m);
                months.push(MonthRow {
                    month: m,
                    ..MonthRow::default()
                });
                m = next;
            }
        }
        let index: BTreeMap<String, usize> = months
            .iter()
            .enumerate()
            .map(|(i, m)| (m.month.clone(), i))
            .collect();
        let mut places: Vec<BTreeSet<String>> = vec![BTreeSet::new(); months.len()];
        let mut all_places: BTreeSet<String> = BTreeSet::new();
        let mut totals = Totals::default();
        for (date, t) in tallies {
            let Some(&i) = date.get(..7).and_then(|m| index.get(m)) else {
                continue;
            };
            let m = &mut months[i];
            match t {
                Tally::Checkin(place) => {
                    m.checkins += 1;
                    totals.checkins += 1;
                    places[i].insert(place.clone());
                    all_places.insert(place);
                }
                Tally::Service(minutes) => {
                    m.services += 1;
                    m.service_minutes += minutes;
                    totals.services += 1;
                    totals.service_minutes += minutes;
                }
                Tally::Tip => {
                    m.tips += 1;
                    totals.tips += 1;
                }
                Tally::TipResolved => {
                    m.tips_resolved += 1;
                    totals.tips_resolved += 1;
                }
                Tally::Wish => {
                    m.wishes += 1;
                    totals.wishes += 1;
                }
                Tally::WishFulfilled => {
                    m.wishes_fulfilled += 1;
                    totals.wishes_fulfilled += 1;
                }
                Tally::Award => {
                    m.awards += 1;
                    totals.awards += 1;
                }
                Tally::Points { points, redeem } => {
                    if redeem {
                        m.points_redeemed -= points;
                        totals.points_redeemed -= points;
                    } else {
                        m.points_earned += points;
                        totals.points_earned += points;
                    }
                }
            }
        }
        for (m, p) in months.iter_mut().zip(&places) {
            m.checkin_places = p.len() as i64;
            m.service_hours = hours(m.service_minutes);
            // After the month's last day, whatever the period: `-31` sorts after every day
            // of every month.
            m.balance = history::balance_through(conn, id, &format!("{}-31", m.month))?;
        }
        totals.checkin_places = all_places.len() as i64;
        totals.service_hours = hours(totals.service_minutes);
        totals.balance = ledger::balance(conn, id)?.0;

        Ok(Self {
            period,
            person: WorkerJson::new(&w, pii),
            stages: stage_rows,
            months,
            timeline: events,
            totals,
        })
    }

    /// The first section: the register entry, the stages and the balance now, as rows of
    /// field and value.
    pub fn person_table(&self, lang: Lang) -> Table {
        let p = &self.person;
        let mut t = Table::new(
            &[lang.pick("字段", "Field"), lang.pick("内容", "Value")],
            &[],
        );
        let opt = |v: &Option<String>| or_dash(v.as_deref());
        let rows = [
            (lang.pick("姓名", "Name"), p.name.clone()),
            (
                lang.pick("性别", "Gender"),
                p.gender
                    .as_deref()
                    .map_or(String::new(), |g| label::<Gender>(g, lang)),
            ),
            (lang.pick("身份证号", "ID number"), opt(&p.id_number)),
            (lang.pick("手机号", "Phone"), opt(&p.phone)),
            (
                lang.pick("政治面貌", "Political status"),
                p.political_status
                    .as_deref()
                    .map_or(String::new(), |s| label::<PoliticalStatus>(s, lang)),
            ),
            (
                lang.pick("从业类型", "Occupation"),
                label::<Occupation>(&p.occupation, lang),
            ),
            (lang.pick("所属企业", "Enterprise"), opt(&p.enterprise)),
            (lang.pick("所属站点", "Station"), opt(&p.station)),
            (lang.pick("所属街道", "Street"), p.street.clone()),
            (lang.pick("所属社区", "Community"), opt(&p.community)),
            (lang.pick("入职日期", "Joined"), opt(&p.joined_on)),
            (lang.pick("离职日期", "Left"), opt(&p.left_on)),
            (lang.pick("备注", "Note"), opt(&p.note)),
        ];
        for (k, v) in rows {
            t.rows.push(vec![k.to_string(), v]);
        }
        for s in &self.stages {
            let mut v = s.date.clone();
            if let Some(i) = &s.instructor {
                v.push_str(&format!(" ({} {i})", lang.pick("指导员", "instructor")));
            }
            t.rows.push(vec![
                format!(
                    "{} {}",
                    lang.pick("入党阶段", "Stage"),
                    label::<Stage>(&s.stage, lang)
                ),
                v,
            ]);
        }
        t.rows.push(vec![
            lang.pick("积分余额 (当前)", "Points balance (now)")
                .to_string(),
            self.totals.balance.to_string(),
        ]);
        t
    }

    /// The second section: one row per month and a total row (its balance cell empty: the
    /// balance now is in the first section).
    pub fn months_table(&self, lang: Lang) -> Table {
        let headers = [
            lang.pick("月份", "Month"),
            lang.pick("报到", "Check-ins"),
            lang.pick("报到地点", "Places"),
            lang.pick("志愿服务", "Services"),
            lang.pick("服务时长(小时)", "Hours"),
            lang.pick("随手拍", "Reports"),
            lang.pick("办结", "Resolved"),
            lang.pick("微心愿", "Wishes"),
            lang.pick("心愿实现", "Fulfilled"),
            lang.pick("评选", "Awards"),
            lang.pick("获得积分", "Earned"),
            lang.pick("兑换积分", "Redeemed"),
            lang.pick("月末余额", "Balance"),
        ];
        let mut numeric = vec![true; headers.len()];
        numeric[0] = false;
        let mut t = Table::new(&headers, &numeric);
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
            lang.pick("合计", "Total").to_string(),
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
        let mut t = Table::new(
            &[
                lang.pick("日期", "Date"),
                lang.pick("事项", "Event"),
                lang.pick("内容", "Detail"),
                lang.pick("积分", "Points"),
            ],
            &[false, false, false, true],
        );
        for e in &self.timeline {
            t.rows.push(vec![
                e.date.clone(),
                kind_label(&e.kind, lang).to_string(),
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
        assert_eq!(next_month("2025-07"), "2025-08");
        assert_eq!(next_month("2025-12"), "2026-01");
    }

    #[test]
    fn points_come_after_what_grants_them_on_one_day() {
        assert!(rank("service") < rank("earn"));
        assert!(rank("tip") < rank("earn"));
        assert!(rank("joined") < rank("checkin"));
    }
}
