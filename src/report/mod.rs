//! Reports: figures computed once into `Serialize` structs, then rendered in any format by
//! [`render`]. The JSON keys are a contract other tools rely on: add keys, never rename.

pub mod render;

use anyhow::Result;
use serde::Serialize;

use crate::db::Db;
use crate::db::queries::{self, Period, StreetFigures};
use render::Table;

/// One street's row of `report streets`. All figures are integers; see
/// [`StreetFigures`] for what each counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        }
    }
}

/// `report streets`: `{ "period": {"from", "to"}, "streets": [...], "total": {...} }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        Ok(Self {
            period,
            streets: rows.into_iter().map(StreetRow::from).collect(),
            total: total.into(),
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
            ],
            &[false, false, true, true, true, true, true, true, true],
        );
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
            ]);
        }
        t
    }
}
