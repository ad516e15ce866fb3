//! Reports: figures computed once into `Serialize` structs, then rendered in any format by
//! [`render`]. The JSON keys are a contract other tools rely on: add keys, never rename.

pub mod coverage;
pub mod render;

use anyhow::Result;
use serde::Serialize;

use crate::db::Db;
use crate::db::queries::{self, Period, StreetFigures};
use render::Table;

/// One street's row of `report streets`. All figures are integers; see
/// [`StreetFigures`] for what each counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreetRow {
    /// Street name (`合计` in the total row).
    pub street: String,
    /// 9-digit NBS code; `null` for the total and for streets without one.
    pub street_code: Option<String>,
    /// Stations (stock).
    pub stations: i64,
    /// Workers working on the period's last day (stock).
    pub workers: i64,
    /// Party members among them, probationary included (stock).
    pub party_members: i64,
    /// Check-ins in the period (person-times).
    pub checkins: i64,
    /// Distinct workers who checked in (in the total: each worker once).
    pub checkin_workers: i64,
    /// Points earned in the period.
    pub points_earned: i64,
    /// Points redeemed in the period, as a positive number.
    pub points_redeemed: i64,
    /// Workplaces (courier stations, logistics firms, rider hubs) on the last day.
    pub workplaces: i64,
    /// Of those, covered by a party organization (组织覆盖).
    pub org_covered: i64,
    /// `org_covered` / `workplaces` in percent, one decimal; `null` without workplaces.
    pub org_coverage_rate: Option<f64>,
    /// Of the workplaces, those with an instructor (工作覆盖).
    pub with_instructor: i64,
    /// `with_instructor` / `workplaces` in percent, one decimal; `null` without workplaces.
    pub work_coverage_rate: Option<f64>,
    /// Party members whose membership is registered elsewhere (流动党员), on the last day.
    pub mobile_members: i64,
}

impl StreetRow {
    /// Adds the coverage figures of `report coverage` to the row.
    fn with_coverage(mut self, c: &coverage::CoverageRow) -> Self {
        self.workplaces = c.workplaces;
        self.org_covered = c.org_covered;
        self.org_coverage_rate = c.org_coverage_rate;
        self.with_instructor = c.with_instructor;
        self.work_coverage_rate = c.work_coverage_rate;
        self.mobile_members = c.mobile_members;
        self
    }
}

impl From<StreetFigures> for StreetRow {
    fn from(f: StreetFigures) -> Self {
        Self {
            street: f.street,
            street_code: f.street_code,
            stations: f.stations,
            workers: f.workers,
            party_members: f.party_members,
            checkins: f.checkins,
            checkin_workers: f.checkin_workers,
            points_earned: f.points_earned,
            points_redeemed: f.points_redeemed,
            workplaces: 0,
            org_covered: 0,
            org_coverage_rate: None,
            with_instructor: 0,
            work_coverage_rate: None,
            mobile_members: 0,
        }
    }
}

/// `report streets`: `{ "period": {"from", "to"}, "streets": [...], "total": {...} }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreetReport {
    /// The period, both days included.
    pub period: Period,
    /// One row per street, in code order.
    pub streets: Vec<StreetRow>,
    /// The district total.
    pub total: StreetRow,
}

impl StreetReport {
    /// Computes the report over `period`.
    pub fn compute(db: &Db, period: Period) -> Result<Self> {
        let (rows, total) = queries::street_figures(&db.conn, &period)?;
        let cov = coverage::CoverageReport::compute(db, period.clone())?;
        Ok(Self {
            period,
            streets: rows
                .into_iter()
                .zip(&cov.streets)
                .map(|(r, c)| StreetRow::from(r).with_coverage(c))
                .collect(),
            total: StreetRow::from(total).with_coverage(&cov.total),
        })
    }

    /// The table form: Chinese headers, one row per street, the total last.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            &[
                "街道",
                "区划代码",
                "站点",
                "从业人员",
                "党员",
                "报到人次",
                "报到人数",
                "积分发放",
                "积分兑换",
                "组织覆盖",
                "工作覆盖",
            ],
            &[
                false, false, true, true, true, true, true, true, true, true, true,
            ],
        );
        let rate = |r: Option<f64>| r.map_or(String::new(), |r| format!("{r:.1}%"));
        for r in self.streets.iter().chain(std::iter::once(&self.total)) {
            t.rows.push(vec![
                r.street.clone(),
                r.street_code.clone().unwrap_or_default(),
                r.stations.to_string(),
                r.workers.to_string(),
                r.party_members.to_string(),
                r.checkins.to_string(),
                r.checkin_workers.to_string(),
                r.points_earned.to_string(),
                r.points_redeemed.to_string(),
                rate(r.org_coverage_rate),
                rate(r.work_coverage_rate),
            ]);
        }
        t
    }
}
