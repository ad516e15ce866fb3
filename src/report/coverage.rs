//! `report coverage`: the figures a party-building office is judged by, per street and for
//! the district — workplaces covered by a party organization (组织覆盖) and with an
//! instructor (工作覆盖), party organizations, party members (full, probationary, mobile), the
//! membership pipeline on the period's last day, and members admitted in the period.

use anyhow::Result;
use serde::Serialize;

use rust_i18n::t;

use super::render::{Lang, Table};
use crate::db::Db;
use crate::db::coverage::rate_tenths;
use crate::db::figures::{Figures, PeriodFigures, figures};
use crate::model::Period;

/// One row of `report coverage` (a street, or `合计`). Stock figures are counted on the
/// period's last day; `admitted` counts the period. Rates are percentages with one decimal,
/// `null` when there is no workplace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    /// Street name (`合计` in the total row).
    pub street: String,
    /// 9-digit NBS code; `null` for the total and for streets without one.
    pub street_code: Option<String>,
    /// Courier stations (快递站点).
    pub courier_stations: i64,
    /// Logistics firms (物流企业).
    pub logistics_firms: i64,
    /// Rider hubs (外卖员集合点).
    pub rider_hubs: i64,
    /// Rest stations (暖蜂驿站): not workplaces, not in the rates.
    pub rest_stations: i64,
    /// Workplaces: courier stations + logistics firms + rider hubs.
    pub workplaces: i64,
    /// Workplaces covered by a party organization (组织覆盖).
    pub org_covered: i64,
    /// `org_covered` / `workplaces`, percent.
    pub org_coverage_rate: Option<f64>,
    /// Workplaces with an instructor (工作覆盖).
    pub with_instructor: i64,
    /// `with_instructor` / `workplaces`, percent.
    pub work_coverage_rate: Option<f64>,
    /// Enterprises with a workplace here.
    pub enterprises: i64,
    /// Of those, enterprises with a covered workplace.
    pub enterprises_covered: i64,
    /// Party organizations (of the street; in the total, all of the district's).
    pub party_orgs: i64,
    /// Party members working on the last day, probationary included.
    pub party_members: i64,
    /// Of those, full members (正式党员).
    pub full_members: i64,
    /// Of those, probationary members (预备党员).
    pub probationary_members: i64,
    /// Of those, mobile members (流动党员: membership registered elsewhere).
    pub mobile_members: i64,
    /// 入党申请人 on the last day.
    pub applicants: i64,
    /// 入党积极分子 on the last day.
    pub activists: i64,
    /// 发展对象 on the last day.
    pub candidates: i64,
    /// Workers admitted (reached 预备党员) in the period.
    pub admitted: i64,
}

/// A rate in tenths of a percent as the JSON number (76.9).
pub fn percent(tenths: Option<i64>) -> Option<f64> {
    tenths.map(|t| t as f64 / 10.0)
}

impl CoverageRow {
    /// The coverage row of one street's (or the district's) figures.
    pub fn new(street: String, street_code: Option<String>, f: &Figures) -> Self {
        let c = &f.coverage;
        Self {
            street,
            street_code,
            courier_stations: c.courier_stations,
            logistics_firms: c.logistics_firms,
            rider_hubs: c.rider_hubs,
            rest_stations: c.rest_stations,
            workplaces: c.workplaces,
            org_covered: c.org_covered,
            org_coverage_rate: percent(rate_tenths(c.org_covered, c.workplaces)),
            with_instructor: c.with_instructor,
            work_coverage_rate: percent(rate_tenths(c.with_instructor, c.workplaces)),
            enterprises: c.enterprises,
            enterprises_covered: c.enterprises_covered,
            party_orgs: c.party_orgs,
            party_members: f.party_members,
            full_members: f.party_members - f.probationary_members,
            probationary_members: f.probationary_members,
            mobile_members: f.mobile_members,
            applicants: f.applicants,
            activists: f.activists,
            candidates: f.candidates,
            admitted: f.admitted,
        }
    }
}

/// `report coverage`: `{ "period": {"from", "to"}, "streets": [...], "total": {...} }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The period, both days included.
    pub period: Period,
    /// One row per street, in code order.
    pub streets: Vec<CoverageRow>,
    /// The district.
    pub total: CoverageRow,
}

impl CoverageReport {
    /// Computes the report over `period`.
    pub fn compute(db: &Db, period: Period) -> Result<Self> {
        let f = figures(db, std::slice::from_ref(&period))?
            .pop()
            .expect("one period asked, one given");
        Ok(Self::of(&f))
    }

    /// The report of computed figures.
    pub fn of(f: &PeriodFigures) -> Self {
        Self {
            period: f.period,
            streets: f
                .streets
                .iter()
                .map(|(s, x)| CoverageRow::new(s.name.clone(), s.code.clone(), x))
                .collect(),
            // The JSON's name of the total row, whatever the language.
            total: CoverageRow::new(
                t!("report.total", locale = Lang::Zh.code()).into_owned(),
                None,
                &f.total,
            ),
        }
    }

    /// The table form, headers in `lang`: one row per street, the district last (`合计`,
    /// `Total`).
    pub fn table(&self, lang: Lang) -> Table {
        let l = lang.code();
        let headers = vec![
            t!("report.column.street", locale = l),
            t!("report.coverage.column.workplaces", locale = l),
            t!("report.coverage.column.org_covered", locale = l),
            t!("report.coverage.column.org_coverage_rate", locale = l),
            t!("report.coverage.column.with_instructor", locale = l),
            t!("report.coverage.column.work_coverage_rate", locale = l),
            t!("report.coverage.column.party_orgs", locale = l),
            t!("report.coverage.column.party_members", locale = l),
            t!("report.coverage.column.probationary_members", locale = l),
            t!("report.coverage.column.mobile_members", locale = l),
            t!("report.coverage.column.applicants", locale = l),
            t!("report.coverage.column.activists", locale = l),
            t!("report.coverage.column.candidates", locale = l),
            t!("report.coverage.column.admitted", locale = l),
        ];
        let mut numeric = vec![true; headers.len()];
        numeric[0] = false;
        let mut t = Table::of(
            headers.into_iter().map(|h| h.into_owned()).collect(),
            &numeric,
        );
        let rate = |r: Option<f64>| r.map_or(String::new(), |r| format!("{r:.1}%"));
        for r in self.streets.iter().chain(std::iter::once(&self.total)) {
            // The JSON names the total row 合计 whatever the language; the table in it.
            let street = if std::ptr::eq(r, &self.total) {
                t!("report.total", locale = l).into_owned()
            } else {
                r.street.clone()
            };
            t.rows.push(vec![
                street,
                r.workplaces.to_string(),
                r.org_covered.to_string(),
                rate(r.org_coverage_rate),
                r.with_instructor.to_string(),
                rate(r.work_coverage_rate),
                r.party_orgs.to_string(),
                r.party_members.to_string(),
                r.probationary_members.to_string(),
                r.mobile_members.to_string(),
                r.applicants.to_string(),
                r.activists.to_string(),
                r.candidates.to_string(),
                r.admitted.to_string(),
            ]);
        }
        t
    }
}
