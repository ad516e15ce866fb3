//! `report district`: the district bulletin (简报) — the district's figures for a period and
//! for the year to date, as a table (指标 | 本期 | 年初至今) and as the plain sentences a
//! district publishes ("截至2025年7月31日，迎泽区共有快递站点24个……").
//!
//! Everything here is computed from [`crate::db::figures::figures`] in one call over two
//! periods; the sentences are pure functions of the figures (no number is written by hand),
//! so unit tests check them without a database. This module holds no SQL.

use std::borrow::Cow;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rust_i18n::t;
use serde::Serialize;

use super::catalogue::{self, org_coverage_rate, service_hours, work_coverage_rate};
use super::render::{Lang, Table};
use super::xlsx::BulletinSheet;
use super::{StreetReport, StreetRow};
use crate::db::Db;
use crate::db::figures::{Figures, Undated, figures, stock_day};
use crate::model::{CareKind, Period, TipCategory, Vocabulary};

/// The district a registry covers: `{"name": "迎泽区", "code": "140106"}`; for a registry
/// made to span districts (`init --multi-district`) their names in code order, `迎泽区、小店区`,
/// and code `null`; both `null` when its streets have no official code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictName {
    /// Official name (NBS 统计用区划代码), e.g. `迎泽区`; several joined by `、`.
    pub name: Option<String>,
    /// 6-digit county-level code, e.g. `140106`; `null` for several.
    pub code: Option<String>,
}

impl DistrictName {
    /// The district of streets with these 9-digit NBS codes: the county-level code is a
    /// street code's first six digits (the rule of 统计用区划代码; it is what `streets.district_code`
    /// holds). Streets without a code are left out; streets of several districts give their
    /// names together; none with a code gives no district.
    pub fn of<'a>(street_codes: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        let mut codes: Vec<&str> = street_codes
            .into_iter()
            .flatten()
            .filter_map(|c| c.get(..6))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        match codes.as_slice() {
            [] => Self {
                name: None,
                code: None,
            },
            [one] => Self {
                name: crate::divisions::district(one).map(|d| d.name),
                code: Some(one.to_string()),
            },
            several => {
                let names: Vec<String> = several
                    .iter()
                    .filter_map(|c| crate::divisions::district(c).map(|d| d.name))
                    .collect();
                Self {
                    name: (!names.is_empty()).then(|| names.join("、")),
                    code: None,
                }
            }
        }
    }

    /// How the sentences name it: the official name, else `全区` / `the district`.
    pub fn shown(&self, lang: Lang) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => t!("report.bulletin.whole_district", locale = lang.code()).into_owned(),
        }
    }
}

/// `report district`: `{"district": {"name", "code"}, "period": {"from", "to"},
/// "year_to_date": {"from", "to"}, "figures": {...}, "year_to_date_figures": {...},
/// "streets": 7, "title": "…", "bulletin": ["…", …]}`. `figures` and
/// `year_to_date_figures` are rows of `report streets` (the district total, `合计`): stock
/// figures on the period's last day (the same in both), flows inside each period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictReport {
    /// The district.
    pub district: DistrictName,
    /// The period, both days included.
    pub period: Period,
    /// From 1 January of the year of the period's last day (or from the period's first day,
    /// when earlier) through that day: never shorter than the period.
    pub year_to_date: Period,
    /// The district's figures of the period.
    pub figures: StreetRow,
    /// The district's figures of the year to date.
    pub year_to_date_figures: StreetRow,
    /// How many streets the registry has.
    pub streets: usize,
    /// The bulletin's title, e.g. `迎泽区新就业群体党建工作简报（2025年7月）`.
    pub title: String,
    /// The bulletin: one paragraph per element, in the language of `--lang`.
    pub bulletin: Vec<String>,
    /// The day the stock figures were counted on: the period's last day, or today for a
    /// period that has not ended.
    pub as_of: NaiveDate,
    /// Records without a date of their own counted as in force throughout, on `as_of`.
    pub undated: Undated,
    /// The note saying so, in the language of `--lang`; `null` when there were none.
    pub note: Option<String>,
    /// The per-street report of the period (for the workbook; not in the JSON).
    #[serde(skip)]
    pub per_street: StreetReport,
}

impl DistrictReport {
    /// Computes the bulletin of `period` (and of its year to date), in `lang`.
    ///
    /// Errors: database errors.
    pub fn compute(db: &Db, period: Period, lang: Lang) -> Result<Self> {
        let ytd = year_to_date(&period);
        let mut f = figures(db, &[period, ytd])?.into_iter();
        let (now, before) = (
            f.next().expect("the period asked"),
            f.next().expect("the year to date asked"),
        );
        let district = DistrictName::of(now.streets.iter().map(|(s, _)| s.code.as_deref()));
        let per_street = StreetReport::of(&now);
        let ytd_row = StreetReport::of(&before).total;
        let place = district.shown(lang);
        let bulletin = bulletin(
            &place,
            &now.period,
            &before.period,
            &per_street.total.figures,
            &ytd_row.figures,
            lang,
        );
        Ok(Self {
            title: title(district.name.as_deref(), &now.period, lang),
            district,
            period: now.period,
            year_to_date: before.period,
            figures: per_street.total.clone(),
            year_to_date_figures: ytd_row,
            streets: now.streets.len(),
            bulletin,
            as_of: stock_day(&now.period),
            undated: now.total.undated,
            note: undated_note(&now.total.undated, lang),
            per_street,
        })
    }

    /// The table: 指标 | 本期 | 年初至今.
    pub fn table(&self, lang: Lang) -> Table {
        table(
            &self.figures.figures,
            &self.year_to_date_figures.figures,
            lang,
        )
    }

    /// The bulletin sheet of the workbook: the title, the table, the paragraphs.
    pub fn sheet(&self, lang: Lang) -> BulletinSheet {
        BulletinSheet {
            title: self.title.clone(),
            table: self.table(lang),
            paragraphs: self.bulletin.clone(),
        }
    }
}

/// The year to date of a period: from 1 January of the year of its last day, or from the
/// period's first day when that is earlier, through its last day. It is never shorter than
/// the period: for a period starting on 1 January, or one crossing New Year
/// (2025-12-15..2026-01-15), it is the period itself.
pub fn year_to_date(p: &Period) -> Period {
    let from = NaiveDate::from_ymd_opt(p.to.year(), 1, 1).map_or(p.from, |jan1| jan1.min(p.from));
    Period::new(from, p.to)
}

/// What a period is, for its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    Month(i32, u32),
    Quarter(i32, u32),
    Year(i32),
    Days(NaiveDate, NaiveDate),
}

fn span(p: &Period) -> Option<Span> {
    let (from, to) = (p.from, p.to);
    let whole_months = from.day() == 1 && to.succ_opt()?.day() == 1 && from.year() == to.year();
    if whole_months {
        let months = to.month() - from.month() + 1;
        match months {
            1 => return Some(Span::Month(from.year(), from.month())),
            3 if from.month() % 3 == 1 => {
                return Some(Span::Quarter(from.year(), from.month().div_ceil(3)));
            }
            12 => return Some(Span::Year(from.year())),
            _ => {}
        }
    }
    Some(Span::Days(from, to))
}

/// A month's name: `7月`, `July`.
fn month_name(m: u32, lang: Lang) -> Cow<'static, str> {
    let l = lang.code();
    match m {
        1 => t!("report.month.1", locale = l),
        2 => t!("report.month.2", locale = l),
        3 => t!("report.month.3", locale = l),
        4 => t!("report.month.4", locale = l),
        5 => t!("report.month.5", locale = l),
        6 => t!("report.month.6", locale = l),
        7 => t!("report.month.7", locale = l),
        8 => t!("report.month.8", locale = l),
        9 => t!("report.month.9", locale = l),
        10 => t!("report.month.10", locale = l),
        11 => t!("report.month.11", locale = l),
        _ => t!("report.month.12", locale = l),
    }
}

/// A day in words: `2025年7月31日`, `31 July 2025`.
pub fn day_words(d: NaiveDate, lang: Lang) -> String {
    t!(
        "report.period.day",
        locale = lang.code(),
        year = d.year(),
        month = month_name(d.month(), lang),
        day = d.day()
    )
    .into_owned()
}

/// A period in words: a month `2025年7月` / `July 2025`, a quarter `2025年第三季度` /
/// `Q3 2025`, a year `2025年` / `2025`, other ranges `2025年7月1日至7月15日` /
/// `1 July 2025 to 15 July 2025` (one day: that day).
pub fn period_words(p: &Period, lang: Lang) -> String {
    let Some(s) = span(p) else {
        return format!("{} – {}", p.from, p.to);
    };
    let l = lang.code();
    let words = match s {
        Span::Month(y, m) => t!(
            "report.period.month",
            locale = l,
            year = y,
            month = month_name(m, lang)
        ),
        Span::Quarter(y, 1) => t!("report.period.quarter1", locale = l, year = y),
        Span::Quarter(y, 2) => t!("report.period.quarter2", locale = l, year = y),
        Span::Quarter(y, 3) => t!("report.period.quarter3", locale = l, year = y),
        Span::Quarter(y, _) => t!("report.period.quarter4", locale = l, year = y),
        Span::Year(y) => t!("report.period.year", locale = l, year = y),
        Span::Days(a, b) if a == b => day_words(a, lang).into(),
        Span::Days(a, b) if a.year() == b.year() => {
            // Chinese leaves out the year the last day shares with the first.
            let in_year = t!(
                "report.period.day_in_year",
                locale = l,
                month = month_name(b.month(), lang),
                day = b.day()
            );
            t!(
                "report.period.days_in_year",
                locale = l,
                from = day_words(a, lang),
                to = day_words(b, lang),
                to_in_year = in_year
            )
        }
        Span::Days(a, b) => t!(
            "report.period.days",
            locale = l,
            from = day_words(a, lang),
            to = day_words(b, lang)
        ),
    };
    words.into_owned()
}

/// How the paragraph of a period's flows opens: the period in words (`2025年7月`), in English
/// with its preposition — `In July 2025`, `On 16 July 2025` (one day), `From 1 July 2025 to
/// 15 July 2025` (other ranges of days).
pub fn period_lead(p: &Period, lang: Lang) -> String {
    let words = period_words(p, lang);
    let l = lang.code();
    match span(p) {
        Some(Span::Days(a, b)) if a == b => {
            t!("report.period.lead_day", locale = l, period = words)
        }
        Some(Span::Days(..)) => t!("report.period.lead_days", locale = l, period = words),
        _ => t!("report.period.lead", locale = l, period = words),
    }
    .into_owned()
}

/// The bulletin's title: `迎泽区新就业群体党建工作简报（2025年7月）`, or in English
/// `迎泽区 party building among new employment groups: bulletin, July 2025`.
pub fn title(district: Option<&str>, p: &Period, lang: Lang) -> String {
    let period = period_words(p, lang);
    let l = lang.code();
    match district {
        Some(d) => t!(
            "report.bulletin.title",
            locale = l,
            district = d,
            period = period
        ),
        None => t!(
            "report.bulletin.title_no_district",
            locale = l,
            period = period
        ),
    }
    .into_owned()
}

/// Hours as the sentences write them: `12`, `320.5`.
fn hours_words(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

/// The catalogue's text for one (`one`) or for any other number (`many`) of something, as
/// `n` asks: `1 station`, `2 stations` (Chinese has one text for both).
fn plural(n: i64, one: Cow<'_, str>, many: Cow<'_, str>) -> String {
    if n == 1 { one } else { many }.into_owned()
}

/// A list in words: `a、b、c`; `a`, `a and b`, `a, b and c`.
fn list(items: &[String], lang: Lang) -> String {
    let l = lang.code();
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{}{}{last}",
            init.join(&*t!("report.list.separator", locale = l)),
            t!("report.list.last", locale = l)
        ),
    }
}

/// A category as the governance sentence names it, in the district's words (安全隐患, 环境卫生,
/// 矛盾纠纷, 不文明行为, 占道经营); `None` for 意见建议 (said apart) and 其他 (no topic).
fn topic_words(c: TipCategory, lang: Lang) -> Option<String> {
    let l = lang.code();
    let words = match c {
        TipCategory::SafetyHazard => t!("report.bulletin.topic.safety_hazard", locale = l),
        TipCategory::Sanitation => t!("report.bulletin.topic.sanitation", locale = l),
        TipCategory::Dispute => t!("report.bulletin.topic.dispute", locale = l),
        TipCategory::Incivility => t!("report.bulletin.topic.incivility", locale = l),
        TipCategory::StreetVending => t!("report.bulletin.topic.street_vending", locale = l),
        TipCategory::Suggestion | TipCategory::Other => return None,
    };
    Some(words.into_owned())
}

/// Parts of one clause: `参与志愿服务161人次，提出意见建议138条，协助解决问题隐患98个`; in
/// English `they gave …, made … and helped …`.
fn list_clause(parts: &[String], lang: Lang) -> String {
    let l = lang.code();
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{}{}{last}",
            init.join(&*t!("report.bulletin.part_separator", locale = l)),
            t!("report.bulletin.part_last", locale = l)
        ),
    }
}

/// The 随手拍 categories with reports, in report order: (count, category).
fn categories(f: &Figures) -> Vec<(i64, TipCategory)> {
    TipCategory::ALL
        .iter()
        .map(|c| (f.tips_by_category[*c], *c))
        .filter(|(n, _)| *n > 0)
        .collect()
}

/// The bulletin's paragraphs: the stock as of the period's last day (always), the flows of
/// the period, and the flows of the year to date (when it is longer than the period).
/// `place` names the district (`迎泽区`, or `全区`); `now` and `ytd` are the district's
/// figures.
pub fn bulletin(
    place: &str,
    period: &Period,
    year_to_date: &Period,
    now: &Figures,
    ytd: &Figures,
    lang: Lang,
) -> Vec<String> {
    let mut out = vec![stock_sentence(place, period, now, lang)];
    out.push(flow_sentence(&period_lead(period, lang), now, lang, false));
    if year_to_date.from != period.from {
        let since = t!(
            "report.bulletin.since",
            locale = lang.code(),
            day = day_words(year_to_date.from, lang)
        );
        out.push(flow_sentence(&since, ytd, lang, true));
    }
    if let Some(c) = care_sentence(period, year_to_date, now, ytd, lang) {
        out.push(c);
    }
    if let Some(a) = awards_sentence(period, now, lang) {
        out.push(a);
    }
    out
}

/// The kinds of 关爱活动 held, most activities first (then in the order of [`CareKind`]):
/// `“送清凉/送温暖”“法律援助”` (in English `seasonal care, legal aid`).
fn care_kinds(f: &Figures, lang: Lang) -> String {
    let mut kinds: Vec<(i64, usize, CareKind)> = CareKind::ALL
        .iter()
        .enumerate()
        .filter_map(|(i, k)| {
            let n = f.care_kinds.get(k.code()).copied().unwrap_or(0);
            (n > 0).then_some((n, i, *k))
        })
        .collect();
    kinds.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let words: Vec<String> = kinds
        .iter()
        .map(|(_, _, k)| {
            t!(
                "report.bulletin.care.kind",
                locale = lang.code(),
                kind = k.text(lang)
            )
            .into_owned()
        })
        .collect();
    match lang {
        Lang::Zh => words.concat(),
        Lang::En => list(&words, lang),
    }
}

/// The period's lead inside a sentence: `2025年7月`, `in July 2025`.
fn lead_inside(period: &Period, lang: Lang) -> String {
    let lead = period_lead(period, lang);
    let mut chars = lead.chars();
    match chars.next() {
        Some(c) if lang == Lang::En => c.to_lowercase().chain(chars).collect(),
        _ => lead,
    }
}

/// What the district did for the workers, as its bulletin says it: `关爱服务方面，2025年7月常态化开展
/// “送清凉/送温暖”“法律援助”等关爱活动5场，服务141人次（年初以来累计9场、218人次）；联系爱心商家36家；
/// 积分兑换礼品10件，3笔兑换待领取。` Clauses whose figures are zero are left out (activities only in
/// the year to date are said as such); `None` when all are zero.
pub fn care_sentence(
    period: &Period,
    year_to_date: &Period,
    now: &Figures,
    ytd: &Figures,
    lang: Lang,
) -> Option<String> {
    let l = lang.code();
    let longer = year_to_date.from != period.from;
    let mut clauses: Vec<String> = Vec::new();
    if now.care_activities > 0 {
        let mut s = plural(
            now.care_activities,
            t!(
                "report.bulletin.care.activities.one",
                locale = l,
                when = lead_inside(period, lang),
                kinds = care_kinds(now, lang),
                n = now.care_activities,
                people = now.care_participants
            ),
            t!(
                "report.bulletin.care.activities.many",
                locale = l,
                when = lead_inside(period, lang),
                kinds = care_kinds(now, lang),
                n = now.care_activities,
                people = now.care_participants
            ),
        );
        if longer && ytd.care_activities > now.care_activities {
            s.push_str(&t!(
                "report.bulletin.care.since",
                locale = l,
                n = ytd.care_activities,
                people = ytd.care_participants
            ));
        }
        clauses.push(s);
    } else if longer && ytd.care_activities > 0 {
        clauses.push(
            t!(
                "report.bulletin.care.activities_since",
                locale = l,
                day = day_words(year_to_date.from, lang),
                kinds = care_kinds(ytd, lang),
                n = ytd.care_activities,
                people = ytd.care_participants
            )
            .into_owned(),
        );
    }
    if now.partner_merchants > 0 {
        clauses.push(plural(
            now.partner_merchants,
            t!(
                "report.bulletin.care.merchants.one",
                locale = l,
                n = now.partner_merchants
            ),
            t!(
                "report.bulletin.care.merchants.many",
                locale = l,
                n = now.partner_merchants
            ),
        ));
    }
    if now.gifts_redeemed == 0 && now.gift_orders_pending > 0 {
        clauses.push(plural(
            now.gift_orders_pending,
            t!(
                "report.bulletin.care.pending_only.one",
                locale = l,
                n = now.gift_orders_pending
            ),
            t!(
                "report.bulletin.care.pending_only.many",
                locale = l,
                n = now.gift_orders_pending
            ),
        ));
    } else if now.gifts_redeemed > 0 {
        let mut s = plural(
            now.gifts_redeemed,
            t!(
                "report.bulletin.care.gifts.one",
                locale = l,
                n = now.gifts_redeemed
            ),
            t!(
                "report.bulletin.care.gifts.many",
                locale = l,
                n = now.gifts_redeemed
            ),
        );
        if now.gift_orders_pending > 0 {
            s.push_str(&plural(
                now.gift_orders_pending,
                t!(
                    "report.bulletin.care.pending.one",
                    locale = l,
                    n = now.gift_orders_pending
                ),
                t!(
                    "report.bulletin.care.pending.many",
                    locale = l,
                    n = now.gift_orders_pending
                ),
            ));
        }
        clauses.push(s);
    }
    if clauses.is_empty() {
        return None;
    }
    Some(
        t!(
            "report.bulletin.care.sentence",
            locale = l,
            clauses = clauses.join(&*t!("report.bulletin.clause_separator", locale = l))
        )
        .into_owned(),
    )
}

/// The awards of the years the period touches: `2025年度，评选出7名“最美快递员”和3名“最美外卖员”。`
/// (most people first); `None` without any.
pub fn awards_sentence(period: &Period, f: &Figures, lang: Lang) -> Option<String> {
    let l = lang.code();
    let awards = f.awards_by_people();
    if awards.is_empty() {
        return None;
    }
    let items: Vec<String> = awards
        .iter()
        .map(|(title, n)| {
            plural(
                *n,
                t!(
                    "report.bulletin.award.one",
                    locale = l,
                    n = n,
                    title = title
                ),
                t!(
                    "report.bulletin.award.many",
                    locale = l,
                    n = n,
                    title = title
                ),
            )
        })
        .collect();
    let list = match items.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!(
            "{}{}{last}",
            init.join(&*t!("report.list.separator", locale = l)),
            t!("report.bulletin.award_list_last", locale = l)
        ),
        [] => String::new(),
    };
    let (a, b) = (period.from.year(), period.to.year());
    let years = if a == b {
        t!("report.bulletin.award_years.one", locale = l, year = a)
    } else {
        t!(
            "report.bulletin.award_years.many",
            locale = l,
            from = a,
            to = b
        )
    };
    Some(
        t!(
            "report.bulletin.awards",
            locale = l,
            years = years,
            list = list
        )
        .into_owned(),
    )
}

/// The note of records counted without a date of their own (see [`Undated`]): `说明：以下未填日期的
/// 记录按整个统计期有效计入：未填选派日期的指导员负责站点18个。`; `None` when there were none.
pub fn undated_note(u: &Undated, lang: Lang) -> Option<String> {
    let l = lang.code();
    let mut items: Vec<String> = Vec::new();
    if u.instructor_assignments > 0 {
        items.push(
            t!(
                "report.bulletin.undated.assignments",
                locale = l,
                n = u.instructor_assignments
            )
            .into_owned(),
        );
    }
    if u.org_coverage > 0 {
        items.push(
            t!(
                "report.bulletin.undated.coverage",
                locale = l,
                n = u.org_coverage
            )
            .into_owned(),
        );
    }
    if u.party_orgs > 0 {
        items.push(t!("report.bulletin.undated.orgs", locale = l, n = u.party_orgs).into_owned());
    }
    if items.is_empty() {
        return None;
    }
    let list = items.join(&*t!("report.list.separator", locale = l));
    Some(t!("report.bulletin.undated_note", locale = l, list = list).into_owned())
}

/// The stations of the stock sentence by kind, those with any: `快递站点24个`, `24 courier
/// stations`.
fn kinds(f: &Figures, lang: Lang) -> Vec<String> {
    let l = lang.code();
    let (c, g, r, s) = (
        f.courier_stations,
        f.logistics_firms,
        f.rider_hubs,
        f.rest_stations,
    );
    let all = [
        (
            c,
            t!(
                "report.bulletin.kind.courier_station.one",
                locale = l,
                n = c
            ),
            t!(
                "report.bulletin.kind.courier_station.many",
                locale = l,
                n = c
            ),
        ),
        (
            g,
            t!("report.bulletin.kind.logistics_firm.one", locale = l, n = g),
            t!(
                "report.bulletin.kind.logistics_firm.many",
                locale = l,
                n = g
            ),
        ),
        (
            r,
            t!("report.bulletin.kind.rider_hub.one", locale = l, n = r),
            t!("report.bulletin.kind.rider_hub.many", locale = l, n = r),
        ),
        (
            s,
            t!("report.bulletin.kind.rest_station.one", locale = l, n = s),
            t!("report.bulletin.kind.rest_station.many", locale = l, n = s),
        ),
    ];
    all.into_iter()
        .filter(|k| k.0 > 0)
        .map(|(n, one, many)| plural(n, one, many))
        .collect()
}

/// A rate as the sentences write it: `76.9%`.
fn rate_words(v: Option<f64>) -> Option<String> {
    v.map(|v| format!("{v:.1}%"))
}

/// The first paragraph: stations, workers, party members, organizations, coverage and
/// instructors on the period's [`stock_day`] — its last day, or today for a period that has
/// not ended, which the sentence says (`截至2026年12月3日（统计期尚未结束）`).
pub fn stock_sentence(place: &str, period: &Period, f: &Figures, lang: Lang) -> String {
    let l = lang.code();
    let day = stock_day(period);
    let mut day_text = day_words(day, lang);
    if day < period.from {
        day_text.push_str(&t!("report.bulletin.not_begun", locale = l));
    } else if day < period.to {
        day_text.push_str(&t!("report.bulletin.running", locale = l));
    }
    let stations = kinds(f, lang);
    let stations = if stations.is_empty() {
        t!("report.bulletin.no_stations", locale = l)
    } else {
        t!(
            "report.bulletin.stations",
            locale = l,
            list = list(&stations, lang)
        )
    };
    let w = f.workers;
    let workers = plural(
        w,
        t!("report.bulletin.workers.one", locale = l, n = w),
        t!("report.bulletin.workers.many", locale = l, n = w),
    );
    let mut members = String::new();
    let pm = f.party_members;
    if pm > 0 {
        members = plural(
            pm,
            t!("report.bulletin.members.one", locale = l, n = pm),
            t!("report.bulletin.members.many", locale = l, n = pm),
        );
        let mut of = Vec::new();
        if f.probationary_members > 0 {
            of.push(t!(
                "report.bulletin.probationary",
                locale = l,
                n = f.probationary_members
            ));
        }
        if f.mobile_members > 0 {
            of.push(t!(
                "report.bulletin.mobile",
                locale = l,
                n = f.mobile_members
            ));
        }
        if !of.is_empty() {
            let of = of.join(&*t!("report.bulletin.members_separator", locale = l));
            members.push_str(&t!("report.bulletin.members_of", locale = l, list = of));
        }
    }
    let mut orgs: Vec<String> = Vec::new();
    let po = f.coverage.party_orgs;
    if po > 0 {
        orgs.push(plural(
            po,
            t!("report.bulletin.party_orgs.one", locale = l, n = po),
            t!("report.bulletin.party_orgs.many", locale = l, n = po),
        ));
    }
    match (
        rate_words(org_coverage_rate(f)),
        rate_words(work_coverage_rate(f)),
    ) {
        (Some(a), Some(b)) => {
            orgs.push(t!("report.bulletin.coverage", locale = l, org = a, work = b).into_owned())
        }
        (Some(a), None) => {
            orgs.push(t!("report.bulletin.org_coverage", locale = l, rate = a).into_owned())
        }
        (None, Some(b)) => {
            orgs.push(t!("report.bulletin.work_coverage", locale = l, rate = b).into_owned())
        }
        (None, None) => {}
    }
    let n = f.instructors;
    if n > 0 {
        orgs.push(plural(
            n,
            t!("report.bulletin.instructors.one", locale = l, n = n),
            t!("report.bulletin.instructors.many", locale = l, n = n),
        ));
    }
    let orgs = if orgs.is_empty() {
        String::new()
    } else {
        let list = orgs.join(&*t!("report.bulletin.orgs_separator", locale = l));
        t!("report.bulletin.orgs", locale = l, list = list).into_owned()
    };
    t!(
        "report.bulletin.stock",
        locale = l,
        day = day_text,
        place = place,
        stations = stations,
        workers = workers,
        members = members,
        orgs = orgs
    )
    .into_owned()
}

/// A paragraph of flows: check-ins, 随手拍 reports, volunteer service, wishes, points and
/// admissions of a period, led by `when` (`2025年7月`, `年初以来`; in English, with its
/// preposition, `In July 2025` — see [`period_lead`] — or `Year to date (from 1 January
/// 2025)`). Clauses whose figure is zero are left out; with none left, the paragraph says
/// nothing was recorded. The reports are broken down by category only when there are two or
/// more (in English, always). `cumulative` words it as a running total (累计).
pub fn flow_sentence(when: &str, f: &Figures, lang: Lang, cumulative: bool) -> String {
    let l = lang.code();
    let mut clauses: Vec<String> = Vec::new();
    if f.checkins > 0 {
        let (n, m) = (f.checkins, f.checkin_workers);
        let times = plural(
            n,
            t!("report.bulletin.times.one", locale = l, n = n),
            t!("report.bulletin.times.many", locale = l, n = n),
        );
        let workers = plural(
            m,
            t!("report.bulletin.people.one", locale = l, n = m),
            t!("report.bulletin.people.many", locale = l, n = m),
        );
        clauses.push(if cumulative {
            t!(
                "report.bulletin.checkins_cumulative",
                locale = l,
                times = times,
                workers = workers
            )
            .into_owned()
        } else {
            t!(
                "report.bulletin.checkins",
                locale = l,
                times = times,
                workers = workers
            )
            .into_owned()
        });
    }
    let governance = f.governance_reports();
    if governance > 0 {
        let r = f.governance_reporters;
        let reporters = plural(
            r,
            t!("report.bulletin.reporters.one", locale = l, n = r),
            t!("report.bulletin.reporters.many", locale = l, n = r),
        );
        let pieces = plural(
            governance,
            t!(
                "report.bulletin.governance_pieces.one",
                locale = l,
                n = governance
            ),
            t!(
                "report.bulletin.governance_pieces.many",
                locale = l,
                n = governance
            ),
        );
        let mut s = t!(
            "report.bulletin.governance",
            locale = l,
            reporters = reporters,
            pieces = pieces
        )
        .into_owned();
        let topics: Vec<String> = categories(f)
            .iter()
            .filter_map(|(_, c)| topic_words(*c, lang))
            .collect();
        if !topics.is_empty() {
            s.push_str(&t!(
                "report.bulletin.governance_topics",
                locale = l,
                list = list(&topics, lang)
            ));
        }
        clauses.push(s);
    }
    // 参与志愿服务…人次，提出意见建议…条，协助解决问题隐患…个: one clause, as the district writes it.
    let mut parts: Vec<String> = Vec::new();
    if f.services > 0 {
        let (v, n) = (f.service_workers, f.services);
        let volunteers = plural(
            v,
            t!("report.bulletin.volunteers.one", locale = l, n = v),
            t!("report.bulletin.volunteers.many", locale = l, n = v),
        );
        let sessions = plural(
            n,
            t!("report.bulletin.sessions.one", locale = l, n = n),
            t!("report.bulletin.sessions.many", locale = l, n = n),
        );
        let h = hours_words(service_hours(f));
        let hours = if h == "1" {
            t!("report.bulletin.hours.one", locale = l, n = h)
        } else {
            t!("report.bulletin.hours.many", locale = l, n = h)
        };
        parts.push(
            t!(
                "report.bulletin.services",
                locale = l,
                volunteers = volunteers,
                sessions = sessions,
                hours = hours
            )
            .into_owned(),
        );
    }
    let n = f.suggestions();
    if n > 0 {
        parts.push(plural(
            n,
            t!("report.bulletin.suggestions.one", locale = l, n = n),
            t!("report.bulletin.suggestions.many", locale = l, n = n),
        ));
    }
    let n = f.tips_resolved;
    if n > 0 {
        parts.push(plural(
            n,
            t!("report.bulletin.resolved.one", locale = l, n = n),
            t!("report.bulletin.resolved.many", locale = l, n = n),
        ));
    }
    if !parts.is_empty() {
        clauses.push(list_clause(&parts, lang));
    }
    let w = f.wishes_fulfilled;
    if w > 0 {
        clauses.push(plural(
            w,
            t!("report.bulletin.wishes.one", locale = l, n = w),
            t!("report.bulletin.wishes.many", locale = l, n = w),
        ));
    }
    match (f.points_earned, f.points_redeemed) {
        (0, 0) => {}
        (e, 0) => clauses.push(plural(
            e,
            t!("report.bulletin.earned.one", locale = l, n = e),
            t!("report.bulletin.earned.many", locale = l, n = e),
        )),
        (0, d) => clauses.push(plural(
            d,
            t!("report.bulletin.redeemed.one", locale = l, n = d),
            t!("report.bulletin.redeemed.many", locale = l, n = d),
        )),
        (e, d) => clauses.push(plural(
            e,
            t!(
                "report.bulletin.earned_redeemed.one",
                locale = l,
                earned = e,
                redeemed = d
            ),
            t!(
                "report.bulletin.earned_redeemed.many",
                locale = l,
                earned = e,
                redeemed = d
            ),
        )),
    }
    let a = f.admitted;
    if a > 0 {
        clauses.push(plural(
            a,
            t!("report.bulletin.admitted.one", locale = l, n = a),
            t!("report.bulletin.admitted.many", locale = l, n = a),
        ));
    }
    let clauses = clauses.join(&*t!("report.bulletin.clause_separator", locale = l));
    match (clauses.is_empty(), cumulative) {
        (true, false) => t!("report.bulletin.no_flows", locale = l, when = when),
        (true, true) => t!(
            "report.bulletin.no_flows_cumulative",
            locale = l,
            when = when
        ),
        (false, false) => t!(
            "report.bulletin.flows",
            locale = l,
            when = when,
            clauses = clauses
        ),
        (false, true) => t!(
            "report.bulletin.flows_cumulative",
            locale = l,
            when = when,
            clauses = clauses
        ),
    }
    .into_owned()
}

/// The table of the bulletin: 指标 | 本期 | 年初至今 (Figure | Period | Year to date), one
/// line per figure of the district table ([`catalogue::district_lines`]); stock figures
/// (counted on the last day) show the same value twice.
pub fn table(now: &Figures, ytd: &Figures, lang: Lang) -> Table {
    let l = lang.code();
    let mut t = Table::of(
        vec![
            t!("report.district.column.figure", locale = l).into_owned(),
            t!("report.district.column.period", locale = l).into_owned(),
            t!("report.district.column.year_to_date", locale = l).into_owned(),
        ],
        &[false, true, true],
    );
    for f in catalogue::district_lines() {
        t.rows.push(vec![
            f.line_label().text(lang),
            (f.value)(now).cell(),
            (f.value)(ytd).cell(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::figures::TipCounts;

    fn p(from: &str, to: &str) -> Period {
        Period {
            from: crate::model::period::stored_day(from).unwrap(),
            to: crate::model::period::stored_day(to).unwrap(),
        }
    }

    /// The district's figures of the design's example bulletin.
    fn row() -> Figures {
        let mut f = Figures {
            stations: 38,
            courier_stations: 24,
            logistics_firms: 5,
            rider_hubs: 3,
            rest_stations: 6,
            workers: 457,
            party_members: 31,
            probationary_members: 2,
            mobile_members: 5,
            instructors: 8,
            checkins: 262,
            checkin_workers: 118,
            services: 161,
            service_workers: 90,
            service_minutes: 1950,
            tip_reporters: 130,
            governance_reporters: 128,
            tips_by_category: TipCounts([40, 30, 0, 20, 10, 9, 150]),
            tips_resolved: 98,
            wishes_fulfilled: 3,
            points_earned: 1200,
            points_redeemed: 300,
            ..Figures::default()
        };
        f.coverage.workplaces = 39;
        f.coverage.org_covered = 30;
        f.coverage.with_instructor = 39;
        f.coverage.party_orgs = 8;
        f
    }

    #[test]
    fn periods_in_words() {
        let zh = |a, b| period_words(&p(a, b), Lang::Zh);
        assert_eq!(zh("2025-07-01", "2025-07-31"), "2025年7月");
        assert_eq!(zh("2025-07-01", "2025-09-30"), "2025年第三季度");
        assert_eq!(zh("2025-01-01", "2025-12-31"), "2025年");
        assert_eq!(zh("2025-07-01", "2025-07-15"), "2025年7月1日至7月15日");
        assert_eq!(zh("2025-08-01", "2025-10-31"), "2025年8月1日至10月31日");
        assert_eq!(
            zh("2024-12-01", "2025-01-31"),
            "2024年12月1日至2025年1月31日"
        );
        assert_eq!(zh("2025-07-04", "2025-07-04"), "2025年7月4日");
        let en = |a, b| period_words(&p(a, b), Lang::En);
        assert_eq!(en("2025-07-01", "2025-07-31"), "July 2025");
        assert_eq!(en("2025-10-01", "2025-12-31"), "Q4 2025");
        assert_eq!(en("2025-01-01", "2025-12-31"), "2025");
        assert_eq!(
            en("2025-07-01", "2025-07-15"),
            "1 July 2025 to 15 July 2025"
        );
    }

    #[test]
    fn the_year_to_date_starts_on_1_january_of_the_last_days_year_or_earlier() {
        assert_eq!(
            year_to_date(&p("2025-07-01", "2025-07-31")),
            p("2025-01-01", "2025-07-31")
        );
        // A period crossing New Year: the year to date is the period, never shorter.
        assert_eq!(
            year_to_date(&p("2024-12-01", "2025-01-31")),
            p("2024-12-01", "2025-01-31")
        );
        assert_eq!(
            year_to_date(&p("2025-12-15", "2026-01-15")),
            p("2025-12-15", "2026-01-15")
        );
        assert_eq!(
            year_to_date(&p("2026-01-05", "2026-01-15")),
            p("2026-01-01", "2026-01-15")
        );
        assert_eq!(
            year_to_date(&p("2025-01-01", "2025-12-31")),
            p("2025-01-01", "2025-12-31")
        );
    }

    #[test]
    fn the_care_sentence_names_the_kinds_most_held_first_and_leaves_out_zeros() {
        let (july, ytd) = (p("2025-07-01", "2025-07-31"), p("2025-01-01", "2025-07-31"));
        let none = Figures::default();
        assert_eq!(care_sentence(&july, &ytd, &none, &none, Lang::Zh), None);
        let mut now = Figures {
            care_activities: 5,
            care_participants: 141,
            partner_merchants: 36,
            gifts_redeemed: 10,
            gift_orders_pending: 3,
            ..Figures::default()
        };
        now.care_kinds.insert("legal_aid".into(), 1);
        now.care_kinds.insert("seasonal_care".into(), 2);
        now.care_kinds.insert("childcare".into(), 1);
        now.care_kinds.insert("skills_training".into(), 1);
        let mut year = now.clone();
        year.care_activities = 9;
        year.care_participants = 218;
        year.care_kinds.insert("hardship_aid".into(), 4);
        assert_eq!(
            care_sentence(&july, &ytd, &now, &year, Lang::Zh).unwrap(),
            "关爱服务方面，2025年7月常态化开展“送清凉/送温暖”“法律援助”“子女托管”“技能培训”等关爱活动5场，\
             服务141人次（年初以来累计9场、218人次）；联系爱心商家36家；积分兑换礼品10件，3笔兑换待领取。"
        );
        assert_eq!(
            care_sentence(&july, &ytd, &now, &year, Lang::En).unwrap(),
            "For the workers: in July 2025, 5 care activities were held (seasonal care, legal aid, \
             childcare and skills training), serving 141 person-times (9 activities and 218 \
             person-times in the year to date); 36 partner merchants offer them their services; \
             points were exchanged for 10 gifts, 3 orders not yet collected."
        );
        // Orders waiting from earlier months, none placed in this one: no zero clause.
        let waiting = Figures {
            gift_orders_pending: 3,
            ..Figures::default()
        };
        assert_eq!(
            care_sentence(&july, &july, &waiting, &waiting, Lang::Zh).unwrap(),
            "关爱服务方面，积分兑换礼品尚有3笔待领取。"
        );
        assert_eq!(
            care_sentence(&july, &july, &waiting, &waiting, Lang::En).unwrap(),
            "For the workers: 3 gift orders are not yet collected."
        );
        // Nothing held in the month but earlier in the year; one gift, one order waiting.
        let month = Figures {
            partner_merchants: 1,
            gifts_redeemed: 1,
            gift_orders_pending: 1,
            ..Figures::default()
        };
        assert_eq!(
            care_sentence(&july, &ytd, &month, &year, Lang::Zh).unwrap(),
            "关爱服务方面，2025年1月1日以来累计开展“困难帮扶”“送清凉/送温暖”“法律援助”“子女托管”“技能培训”\
             等关爱活动9场，服务218人次；联系爱心商家1家；积分兑换礼品1件，1笔兑换待领取。"
        );
        assert_eq!(
            care_sentence(&july, &ytd, &month, &year, Lang::En).unwrap(),
            "For the workers: since 1 January 2025, 9 care activities were held (hardship aid, \
             seasonal care, legal aid, childcare and skills training), serving 218 person-times; \
             1 partner merchant offers them its services; points were exchanged for 1 gift, 1 \
             order not yet collected."
        );
        // A whole year is its own year to date: no running total.
        let y = p("2025-01-01", "2025-12-31");
        assert!(
            !care_sentence(&y, &y, &year, &year, Lang::Zh)
                .unwrap()
                .contains("累计")
        );
    }

    #[test]
    fn the_stock_sentence_of_the_design_example() {
        assert_eq!(
            stock_sentence("迎泽区", &p("2025-07-01", "2025-07-31"), &row(), Lang::Zh),
            "截至2025年7月31日，迎泽区共有快递站点24个、物流企业5家、外卖员集合点3个、暖蜂驿站6个，\
             从业人员457人，其中党员31人（预备党员2人、流动党员5人）；建立党组织8个，\
             组织覆盖率76.9%，工作覆盖率100.0%，选派党建工作指导员8名。"
        );
        assert_eq!(
            stock_sentence("迎泽区", &p("2025-07-01", "2025-07-31"), &row(), Lang::En),
            "As of 31 July 2025, 迎泽区 had 24 courier stations, 5 logistics firms, 3 rider hubs \
             and 6 rest stations, with 457 workers, 31 of them party members (2 probationary, \
             5 mobile); 8 party organizations had been set up; organizational coverage was 76.9% \
             and work coverage 100.0%; 8 party-building instructors were assigned."
        );
    }

    #[test]
    fn the_flow_sentence_names_every_non_zero_figure() {
        assert_eq!(
            flow_sentence("2025年7月", &row(), Lang::Zh, false),
            "2025年7月，从业人员报到262人次（118人）；128名从业人员通过“随手拍”等方式向社区\
             提供基层治理信息250条，包括安全隐患、环境卫生、不文明行为、占道经营等内容；\
             参与志愿服务161人次（90名志愿者、32.5小时），提出意见建议9条，协助解决问题隐患98个；\
             实现微心愿3个；发放积分1200分，兑换300分。"
        );
        assert_eq!(
            flow_sentence("In July 2025", &row(), Lang::En, false),
            "In July 2025, workers checked in 262 times (118 workers); 128 workers passed 250 \
             pieces of governance information to their communities through 随手拍 and other \
             channels, among them safety hazards, sanitation, incivility and street vending; \
             they gave 161 sessions of volunteer service (90 volunteers, 32.5 hours), made 9 \
             suggestions and helped resolve 98 problems; 3 wishes were fulfilled; 1200 points \
             were earned and 300 redeemed."
        );
    }

    #[test]
    fn zero_figures_leave_their_clauses_out_but_never_the_stock_sentence() {
        let empty = Figures::default();
        assert_eq!(
            stock_sentence("全区", &p("2025-07-01", "2025-07-31"), &empty, Lang::Zh),
            "截至2025年7月31日，全区尚未登记站点，从业人员0人。"
        );
        assert_eq!(
            flow_sentence("2025年7月", &empty, Lang::Zh, false),
            "2025年7月，暂无报到、“随手拍”、志愿服务、微心愿和积分记录。"
        );
        let mut r = row();
        r.wishes_fulfilled = 0;
        r.points_redeemed = 0;
        r.services = 0;
        let s = flow_sentence("2025年7月", &r, Lang::Zh, false);
        assert!(!s.contains("微心愿") && !s.contains("志愿服务"), "{s}");
        assert!(s.ends_with("；发放积分1200分。"), "{s}");
    }

    #[test]
    fn the_year_to_date_paragraph_only_when_longer_than_the_period() {
        let r = row();
        let july = p("2025-07-01", "2025-07-31");
        let b = bulletin("迎泽区", &july, &year_to_date(&july), &r, &r, Lang::Zh);
        assert_eq!(b.len(), 3);
        assert!(
            b[2].starts_with("年初以来，累计报到262人次（118人）；"),
            "{}",
            b[2]
        );
        let year = p("2025-01-01", "2025-12-31");
        assert_eq!(
            bulletin("迎泽区", &year, &year_to_date(&year), &r, &r, Lang::Zh).len(),
            2
        );
    }

    #[test]
    fn the_english_paragraph_opens_with_the_right_preposition() {
        let lead = |a, b| period_lead(&p(a, b), Lang::En);
        assert_eq!(lead("2025-07-16", "2025-07-16"), "On 16 July 2025");
        assert_eq!(lead("2025-07-01", "2025-07-31"), "In July 2025");
        assert_eq!(lead("2025-07-01", "2025-09-30"), "In Q3 2025");
        assert_eq!(
            lead("2025-07-01", "2025-07-15"),
            "From 1 July 2025 to 15 July 2025"
        );
        assert_eq!(
            period_lead(&p("2025-07-16", "2025-07-16"), Lang::Zh),
            "2025年7月16日"
        );
        let day = p("2025-07-16", "2025-07-16");
        let b = bulletin(
            "迎泽区",
            &day,
            &year_to_date(&day),
            &row(),
            &row(),
            Lang::En,
        );
        assert!(
            b[1].starts_with("On 16 July 2025, workers checked in 262 times"),
            "{}",
            b[1]
        );
    }

    #[test]
    fn governance_names_its_topics_and_says_suggestions_apart() {
        let mut f = Figures {
            tip_reporters: 1,
            governance_reporters: 1,
            tips_by_category: TipCounts([0, 0, 0, 0, 0, 0, 1]),
            ..Figures::default()
        };
        // 其他 is no topic: no 包括 at all.
        assert_eq!(
            flow_sentence("2025年7月16日", &f, Lang::Zh, false),
            "2025年7月16日，1名从业人员通过“随手拍”等方式向社区提供基层治理信息1条。"
        );
        f.tips_by_category = TipCounts([2, 0, 0, 0, 0, 4, 1]);
        f.governance_reporters = 2;
        assert_eq!(
            flow_sentence("2025年7月", &f, Lang::Zh, false),
            "2025年7月，2名从业人员通过“随手拍”等方式向社区提供基层治理信息3条，包括安全隐患等内容；\
             提出意见建议4条。"
        );
        // Only suggestions: no governance information.
        f.tips_by_category = TipCounts([0, 0, 0, 0, 0, 4, 0]);
        assert_eq!(
            flow_sentence("2025年7月", &f, Lang::Zh, false),
            "2025年7月，提出意见建议4条。"
        );
    }

    #[test]
    fn awards_are_said_most_people_first_for_the_years_touched() {
        let mut f = Figures::default();
        assert_eq!(
            awards_sentence(&p("2025-07-01", "2025-07-31"), &f, Lang::Zh),
            None
        );
        f.awards.insert("最美外卖员".into(), 3);
        f.awards.insert("最美快递员".into(), 7);
        assert_eq!(
            awards_sentence(&p("2025-07-01", "2025-07-31"), &f, Lang::Zh).unwrap(),
            "2025年度，评选出7名“最美快递员”和3名“最美外卖员”。"
        );
        assert_eq!(
            awards_sentence(&p("2024-12-01", "2025-01-31"), &f, Lang::En).unwrap(),
            "For 2024–2025, 7 “最美快递员” and 3 “最美外卖员” were chosen."
        );
    }

    #[test]
    fn a_running_period_is_counted_as_of_today_and_says_so() {
        let today = crate::model::today();
        let running = Period::new(today - chrono::Days::new(10), today + chrono::Days::new(30));
        let s = stock_sentence("迎泽区", &running, &Figures::default(), Lang::Zh);
        let want = format!("截至{}（统计期尚未结束），", day_words(today, Lang::Zh));
        assert!(s.starts_with(&want), "{s}");
        let s = stock_sentence("迎泽区", &running, &Figures::default(), Lang::En);
        assert!(s.contains(" (the period has not ended), "), "{s}");
    }

    #[test]
    fn the_undated_note_names_what_was_counted_throughout() {
        assert_eq!(undated_note(&Undated::default(), Lang::Zh), None);
        let u = Undated {
            instructor_assignments: 18,
            org_coverage: 0,
            party_orgs: 2,
        };
        assert_eq!(
            undated_note(&u, Lang::Zh).unwrap(),
            "说明：以下未填日期的记录按整个统计期有效计入：未填选派日期的指导员负责站点18个、\
             未填成立日期的党组织2个。"
        );
    }

    #[test]
    fn the_districts_of_the_streets_are_named() {
        let d = DistrictName::of([Some("140106001"), None, Some("140106100")]);
        assert_eq!(d.name.as_deref(), Some("迎泽区"));
        assert_eq!(d.code.as_deref(), Some("140106"));
        // A registry spanning districts names them all, in code order.
        let two = DistrictName::of([Some("140106001"), Some("140105001")]);
        assert_eq!(
            (two.name.as_deref(), two.code),
            (Some("小店区、迎泽区"), None)
        );
        assert_eq!(DistrictName::of([None]).shown(Lang::Zh), "全区");
        assert_eq!(DistrictName::of([None]).shown(Lang::En), "the district");
    }

    #[test]
    fn titles() {
        assert_eq!(
            title(Some("迎泽区"), &p("2025-07-01", "2025-07-31"), Lang::Zh),
            "迎泽区新就业群体党建工作简报（2025年7月）"
        );
        assert_eq!(
            title(None, &p("2025-07-01", "2025-09-30"), Lang::Zh),
            "新就业群体党建工作简报（2025年第三季度）"
        );
    }
}
