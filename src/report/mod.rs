//! Reports: figures computed once into `Serialize` structs, then rendered in any format by
//! [`render`]. The JSON keys are a contract other tools rely on: add keys, never rename.

pub mod coverage;
pub mod district;
pub mod render;
pub mod worker;
pub mod xlsx;

use anyhow::Result;
use serde::Serialize;

use crate::db::Db;
use crate::db::coverage::rate_tenths;
use crate::db::figures::{Figures, PeriodFigures, figures};
use crate::model::Period;
use crate::model::{TipCategory, Vocabulary};
use render::{Lang, Table};

/// 随手拍 reports of a period by category (JSON keys are the category codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TipsByCategory {
    /// 安全隐患.
    pub safety_hazard: i64,
    /// 卫生死角.
    pub sanitation: i64,
    /// 矛盾纠纷.
    pub dispute: i64,
    /// 不文明现象.
    pub incivility: i64,
    /// 占道经营.
    pub street_vending: i64,
    /// 意见建议.
    pub suggestion: i64,
    /// 其他.
    pub other: i64,
}

/// One street's row of `report streets` (or the district's, `合计`). Stock figures are
/// counted on the period's last day, flows inside the period (see [`Figures`]). Counts are
/// integers; hours have one decimal; rates are percentages with one decimal, `null` when a
/// street has no workplace. Keys are only ever added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreetRow {
    /// Street name (`合计` in the total row).
    pub street: String,
    /// 9-digit NBS code; `null` for the total and for streets without one.
    pub street_code: Option<String>,
    /// Stations of every kind.
    pub stations: i64,
    /// Workers working on the last day.
    pub workers: i64,
    /// Party members among them, probationary included.
    pub party_members: i64,
    /// Check-ins in the period (person-times).
    pub checkins: i64,
    /// Distinct workers who checked in (in the total: each worker once).
    pub checkin_workers: i64,
    /// Points earned in the period.
    pub points_earned: i64,
    /// Points redeemed in the period, as a positive number.
    pub points_redeemed: i64,
    /// Workplaces (courier stations, logistics firms, rider hubs).
    pub workplaces: i64,
    /// Of those, covered by a party organization (组织覆盖).
    pub org_covered: i64,
    /// `org_covered` / `workplaces`, percent.
    pub org_coverage_rate: Option<f64>,
    /// Of the workplaces, those with an instructor (工作覆盖).
    pub with_instructor: i64,
    /// `with_instructor` / `workplaces`, percent.
    pub work_coverage_rate: Option<f64>,
    /// Party members registered elsewhere (流动党员).
    pub mobile_members: i64,
    /// Courier stations (快递站点).
    pub courier_stations: i64,
    /// Logistics firms (物流企业).
    pub logistics_firms: i64,
    /// Rider hubs (外卖员集合点).
    pub rider_hubs: i64,
    /// Rest stations (暖蜂驿站).
    pub rest_stations: i64,
    /// Workers registered at a courier station.
    pub courier_station_workers: i64,
    /// Workers registered at a logistics firm.
    pub logistics_firm_workers: i64,
    /// Probationary members (预备党员) among the party members.
    pub probationary_members: i64,
    /// Instructors assigned to the street's stations on the last day (each once).
    pub instructors: i64,
    /// Party organizations (of the street; in the total, all).
    pub party_orgs: i64,
    /// Volunteer services in the period (person-times).
    pub services: i64,
    /// Distinct volunteers.
    pub service_workers: i64,
    /// Volunteer service, hours (one decimal).
    pub service_hours: f64,
    /// 随手拍 reports made in the period.
    pub tips: i64,
    /// The same, by category.
    pub tips_by_category: TipsByCategory,
    /// Distinct workers who reported.
    pub tip_reporters: i64,
    /// Reports of category 意见建议.
    pub suggestions: i64,
    /// Reports resolved (办结) in the period.
    pub tips_resolved: i64,
    /// Wishes fulfilled in the period.
    pub wishes_fulfilled: i64,
    /// Workers admitted (reached 预备党员) in the period.
    pub admitted: i64,
}

impl StreetRow {
    /// The row of one street's (or the district's) figures.
    pub fn new(street: String, street_code: Option<String>, f: &Figures) -> Self {
        let c = &f.coverage;
        let t = |cat: TipCategory| {
            f.tips_by_category[TipCategory::ALL.iter().position(|x| *x == cat).unwrap_or(6)]
        };
        Self {
            street,
            street_code,
            stations: f.stations,
            workers: f.workers,
            party_members: f.party_members,
            checkins: f.checkins,
            checkin_workers: f.checkin_workers,
            points_earned: f.points_earned,
            points_redeemed: f.points_redeemed,
            workplaces: c.workplaces,
            org_covered: c.org_covered,
            org_coverage_rate: coverage::percent(rate_tenths(c.org_covered, c.workplaces)),
            with_instructor: c.with_instructor,
            work_coverage_rate: coverage::percent(rate_tenths(c.with_instructor, c.workplaces)),
            mobile_members: f.mobile_members,
            courier_stations: f.courier_stations,
            logistics_firms: f.logistics_firms,
            rider_hubs: f.rider_hubs,
            rest_stations: f.rest_stations,
            courier_station_workers: f.courier_station_workers,
            logistics_firm_workers: f.logistics_firm_workers,
            probationary_members: f.probationary_members,
            instructors: f.instructors,
            party_orgs: c.party_orgs,
            services: f.services,
            service_workers: f.service_workers,
            service_hours: hours(f.service_minutes),
            tips: f.tips(),
            tips_by_category: TipsByCategory {
                safety_hazard: t(TipCategory::SafetyHazard),
                sanitation: t(TipCategory::Sanitation),
                dispute: t(TipCategory::Dispute),
                incivility: t(TipCategory::Incivility),
                street_vending: t(TipCategory::StreetVending),
                suggestion: t(TipCategory::Suggestion),
                other: t(TipCategory::Other),
            },
            tip_reporters: f.tip_reporters,
            suggestions: f.suggestions(),
            tips_resolved: f.tips_resolved,
            wishes_fulfilled: f.wishes_fulfilled,
            admitted: f.admitted,
        }
    }
}

/// Minutes as hours with one decimal, rounded half up (90 → 1.5, 100 → 1.7).
pub fn hours(minutes: i64) -> f64 {
    ((minutes * 10 + 30) / 60) as f64 / 10.0
}

/// `report streets`: `{ "period": {"from", "to"}, "streets": [...], "total": {...} }`, and
/// with `--compare` also `"previous"`: the same report for the period just before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreetReport {
    /// The period, both days included.
    pub period: Period,
    /// One row per street, in code order.
    pub streets: Vec<StreetRow>,
    /// The district total.
    pub total: StreetRow,
    /// The period of the same length just before, with `--compare`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Box<StreetReport>>,
}

/// A column of the per-street tables: its labels and how a row shows it.
struct Column {
    zh: &'static str,
    en: &'static str,
    value: fn(&StreetRow) -> f64,
    /// A percentage (`76.9%`), `None` shown empty.
    rate: Option<fn(&StreetRow) -> Option<f64>>,
    /// Shown with one decimal.
    decimal: bool,
}

macro_rules! count {
    ($zh:literal, $en:literal, $f:ident) => {
        Column {
            zh: $zh,
            en: $en,
            value: |r| r.$f as f64,
            rate: None,
            decimal: false,
        }
    };
}

/// The columns of the terminal table (and Markdown).
fn narrow_columns() -> Vec<Column> {
    vec![
        count!("站点", "Stations", stations),
        count!("从业人员", "Workers", workers),
        count!("党员", "Party members", party_members),
        count!("报到人次", "Check-ins", checkins),
        count!("报到人数", "Checked in", checkin_workers),
        count!("积分发放", "Points earned", points_earned),
        count!("积分兑换", "Points redeemed", points_redeemed),
        Column {
            zh: "组织覆盖",
            en: "Org coverage",
            value: |_| 0.0,
            rate: Some(|r| r.org_coverage_rate),
            decimal: false,
        },
        Column {
            zh: "工作覆盖",
            en: "Work coverage",
            value: |_| 0.0,
            rate: Some(|r| r.work_coverage_rate),
            decimal: false,
        },
    ]
}

/// Every column: CSV and the workbook.
fn wide_columns() -> Vec<Column> {
    let mut c = vec![
        count!("站点", "Stations", stations),
        count!("快递站点", "Courier stations", courier_stations),
        count!("物流企业", "Logistics firms", logistics_firms),
        count!("外卖员集合点", "Rider hubs", rider_hubs),
        count!("暖蜂驿站", "Rest stations", rest_stations),
        count!("从业人员", "Workers", workers),
        count!(
            "快递站点从业人员",
            "Courier-station workers",
            courier_station_workers
        ),
        count!(
            "物流企业从业人员",
            "Logistics-firm workers",
            logistics_firm_workers
        ),
        count!("党员", "Party members", party_members),
        count!("预备党员", "Probationary members", probationary_members),
        count!("流动党员", "Mobile members", mobile_members),
        count!("新发展党员", "Admitted", admitted),
        count!("党组织", "Party organizations", party_orgs),
        count!("指导员", "Instructors", instructors),
        count!("报到人次", "Check-ins", checkins),
        count!("报到人数", "Checked in", checkin_workers),
        count!("志愿服务人次", "Volunteer services", services),
        count!("志愿者人数", "Volunteers", service_workers),
        Column {
            zh: "志愿服务时长(小时)",
            en: "Volunteer hours",
            value: |r| r.service_hours,
            rate: None,
            decimal: true,
        },
        count!("随手拍", "Reports", tips),
    ];
    c.extend([
        Column {
            zh: "安全隐患",
            en: "Safety hazards",
            value: |r| r.tips_by_category.safety_hazard as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "卫生死角",
            en: "Sanitation",
            value: |r| r.tips_by_category.sanitation as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "矛盾纠纷",
            en: "Disputes",
            value: |r| r.tips_by_category.dispute as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "不文明现象",
            en: "Incivility",
            value: |r| r.tips_by_category.incivility as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "占道经营",
            en: "Street vending",
            value: |r| r.tips_by_category.street_vending as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "意见建议",
            en: "Suggestions",
            value: |r| r.suggestions as f64,
            rate: None,
            decimal: false,
        },
        Column {
            zh: "其他",
            en: "Other reports",
            value: |r| r.tips_by_category.other as f64,
            rate: None,
            decimal: false,
        },
        count!("上报人数", "Reporters", tip_reporters),
        count!("办结", "Resolved", tips_resolved),
        count!("微心愿实现", "Wishes fulfilled", wishes_fulfilled),
        count!("积分发放", "Points earned", points_earned),
        count!("积分兑换", "Points redeemed", points_redeemed),
        count!("阵地", "Workplaces", workplaces),
        count!("党组织覆盖", "Covered", org_covered),
        Column {
            zh: "组织覆盖率",
            en: "Org coverage",
            value: |_| 0.0,
            rate: Some(|r| r.org_coverage_rate),
            decimal: false,
        },
        count!("有指导员", "With instructor", with_instructor),
        Column {
            zh: "工作覆盖率",
            en: "Work coverage",
            value: |_| 0.0,
            rate: Some(|r| r.work_coverage_rate),
            decimal: false,
        },
    ]);
    c
}

fn cell(c: &Column, r: &StreetRow) -> String {
    match c.rate {
        Some(rate) => rate(r).map_or(String::new(), |v| format!("{v:.1}%")),
        None if c.decimal => format!("{:.1}", (c.value)(r)),
        None => format!("{}", (c.value)(r) as i64),
    }
}

/// A change against the previous period: `+5`, `-2`, `0`; rates in points (`+1.2`).
fn change(c: &Column, now: &StreetRow, before: &StreetRow) -> String {
    match c.rate {
        Some(rate) => match (rate(now), rate(before)) {
            (Some(a), Some(b)) => format!("{:+.1}", a - b),
            _ => String::new(),
        },
        None if c.decimal => format!("{:+.1}", (c.value)(now) - (c.value)(before)),
        None => format!("{:+}", ((c.value)(now) - (c.value)(before)) as i64),
    }
}

impl StreetReport {
    /// Computes the report over `period`; with `compare`, also the period just before.
    pub fn compute(db: &Db, period: Period, compare: bool) -> Result<Self> {
        let mut periods = vec![period];
        if compare && let Some(p) = periods[0].previous() {
            periods.push(p);
        }
        let mut f = figures(&db.conn, &periods)?.into_iter();
        let mut r = Self::of(&f.next().expect("the period asked"));
        r.previous = f.next().map(|p| Box::new(Self::of(&p)));
        Ok(r)
    }

    /// The report of computed figures.
    pub fn of(f: &PeriodFigures) -> Self {
        Self {
            period: f.period.clone(),
            streets: f
                .streets
                .iter()
                .map(|(_, name, code, x)| StreetRow::new(name.clone(), code.clone(), x))
                .collect(),
            total: StreetRow::new("合计".to_string(), None, &f.total),
            previous: None,
        }
    }

    /// The terminal (and Markdown) table: the main figures, one row per street, the total
    /// last; with a previous period, each cell also shows the change (`38 (+5)`).
    pub fn table(&self, lang: Lang) -> Table {
        self.table_of(&narrow_columns(), lang)
    }

    /// Every figure as columns (CSV, workbook).
    pub fn wide_table(&self, lang: Lang) -> Table {
        self.table_of(&wide_columns(), lang)
    }

    /// Every figure as numbers, for CSV with `--compare`: a first column 期间 (`Period`,
    /// `2025-07-01~2025-07-31`), the rows of the period (streets, then the total), then those
    /// of the previous period laid out the same way. Without a previous period, the period's
    /// rows alone.
    pub fn periods_table(&self, lang: Lang) -> Table {
        let columns = wide_columns();
        let mut out: Option<Table> = None;
        let mut now = self.clone();
        let before = now.previous.take();
        for r in std::iter::once(&now).chain(before.as_deref()) {
            let t = r.table_of(&columns, lang);
            let o = out.get_or_insert_with(|| {
                let mut headers = vec![lang.pick("期间", "Period")];
                headers.extend(t.headers.iter().map(String::as_str));
                let mut numeric = vec![false];
                numeric.extend(&t.numeric);
                Table::new(&headers, &numeric)
            });
            let period = format!("{}~{}", r.period.from, r.period.to);
            for row in t.rows {
                let mut cells = vec![period.clone()];
                cells.extend(row);
                o.rows.push(cells);
            }
        }
        out.unwrap_or_default()
    }

    fn table_of(&self, columns: &[Column], lang: Lang) -> Table {
        let mut headers = vec![lang.pick("街道", "Street"), lang.pick("区划代码", "Code")];
        headers.extend(columns.iter().map(|c| lang.pick(c.zh, c.en)));
        let mut numeric = vec![false, false];
        numeric.extend(columns.iter().map(|_| true));
        let mut t = Table::new(&headers, &numeric);
        let rows: Vec<(&StreetRow, Option<&StreetRow>)> = self
            .streets
            .iter()
            .enumerate()
            .map(|(i, r)| (r, self.previous.as_ref().and_then(|p| p.streets.get(i))))
            .chain(std::iter::once((
                &self.total,
                self.previous.as_ref().map(|p| &p.total),
            )))
            .collect();
        for (r, before) in rows {
            let name = if r.street == "合计" {
                lang.pick("合计", "Total").to_string()
            } else {
                r.street.clone()
            };
            let mut cells = vec![name, r.street_code.clone().unwrap_or_default()];
            for c in columns {
                let v = cell(c, r);
                cells.push(match before {
                    Some(b) if !v.is_empty() => format!("{v} ({})", change(c, r, b)),
                    _ => v,
                });
            }
            t.rows.push(cells);
        }
        t
    }
}

/// Every month of a period, each with its per-street figures: `report streets --monthly`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyReport {
    /// The whole period.
    pub period: Period,
    /// One report per month (the first and last may be parts of months).
    pub months: Vec<StreetReport>,
}

impl MonthlyReport {
    /// Computes every month of `period` in one pass over the registry.
    pub fn compute(db: &Db, period: Period) -> Result<Self> {
        let months = period.months();
        let figs = figures(&db.conn, &months)?;
        Ok(Self {
            period,
            months: figs.iter().map(StreetReport::of).collect(),
        })
    }

    /// One table: a month column, then the columns of `report streets`.
    pub fn table(&self, lang: Lang, wide: bool) -> Table {
        let mut out: Option<Table> = None;
        for m in &self.months {
            let t = if wide {
                m.wide_table(lang)
            } else {
                m.table(lang)
            };
            let o = out.get_or_insert_with(|| {
                let mut headers = vec![lang.pick("月份", "Month")];
                headers.extend(t.headers.iter().map(String::as_str));
                let mut numeric = vec![false];
                numeric.extend(&t.numeric);
                Table::new(&headers, &numeric)
            });
            let month = crate::model::Month::of(m.period.from).to_string();
            for r in t.rows {
                let mut row = vec![month.clone()];
                row.extend(r);
                o.rows.push(row);
            }
        }
        out.unwrap_or_default()
    }
}
