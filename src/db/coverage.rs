//! Coverage figures (组织覆盖 and 工作覆盖) per street on a day: the workplaces — courier
//! stations, logistics firms and rider hubs; 暖蜂驿站 rest stations serve workers and are not
//! workplaces — covered by a party organization, and those with an appointed instructor.
//!
//! A workplace is covered on day D when an `org_coverage` row holds it on D
//! (`from_on <= D` or undated, and `until_on` NULL or `>= D`); it has an instructor on D when
//! an assignment holds it on D (`assigned_on <= D` or undated, `until_on` NULL or `>= D`). An
//! undated row (`undated` = 1: the register gave no day) is in force throughout. Rates are percentages rounded half up to one decimal
//! (30 of 39 → 76.9); `None` when the street has no workplace.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// The workplace kinds coverage is measured over.
pub const WORKPLACE_KINDS: &str = "('courier_station', 'logistics_firm', 'rider_hub')";

/// The coverage figures of one street (or of the district) on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageFigures {
    /// Courier stations (快递站点).
    pub courier_stations: i64,
    /// Logistics firms (物流企业).
    pub logistics_firms: i64,
    /// Rider hubs (外卖员集合点).
    pub rider_hubs: i64,
    /// Rest stations (暖蜂驿站), not counted as workplaces.
    pub rest_stations: i64,
    /// Workplaces: courier stations + logistics firms + rider hubs.
    pub workplaces: i64,
    /// Workplaces covered by a party organization on the day.
    pub org_covered: i64,
    /// Workplaces with an instructor assigned on or before the day.
    pub with_instructor: i64,
    /// Enterprises (brands) with a workplace in the street.
    pub enterprises: i64,
    /// Of those, enterprises with at least one covered workplace.
    pub enterprises_covered: i64,
    /// Party organizations of the street founded by the day (or without a founding date);
    /// in the district total, every organization, street or not.
    pub party_orgs: i64,
}

/// `part` of `whole` as a percentage rounded half up to one decimal, in tenths of a percent
/// (769 = 76.9 %); `None` when `whole` is 0.
pub fn rate_tenths(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (2 * whole))
}

/// Coverage per street id on day `on`, and for the whole district.
///
/// Errors: database errors only.
pub fn coverage_on(
    conn: &Connection,
    on: NaiveDate,
) -> Result<(HashMap<i64, CoverageFigures>, CoverageFigures)> {
    let mut by_street: HashMap<i64, CoverageFigures> = HashMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT st.street_id,
                sum(st.kind = 'courier_station'), sum(st.kind = 'logistics_firm'),
                sum(st.kind = 'rider_hub'), sum(st.kind = 'rest_station'),
                sum(st.kind IN {WORKPLACE_KINDS} AND EXISTS (
                    SELECT 1 FROM org_coverage c WHERE c.station_id = st.id
                      AND (c.undated = 1 OR c.from_on <= ?1) AND (c.until_on IS NULL OR c.until_on >= ?1))),
                sum(st.kind IN {WORKPLACE_KINDS} AND EXISTS (
                    SELECT 1 FROM instructor_stations a WHERE a.station_id = st.id
                      AND (a.undated = 1 OR a.assigned_on <= ?1) AND (a.until_on IS NULL OR a.until_on >= ?1))),
                count(DISTINCT CASE WHEN st.kind IN {WORKPLACE_KINDS} THEN st.enterprise_id END),
                count(DISTINCT CASE WHEN st.kind IN {WORKPLACE_KINDS} AND EXISTS (
                    SELECT 1 FROM org_coverage c WHERE c.station_id = st.id
                      AND (c.undated = 1 OR c.from_on <= ?1) AND (c.until_on IS NULL OR c.until_on >= ?1))
                    THEN st.enterprise_id END)
         FROM stations st GROUP BY st.street_id"
    ))?;
    let mut rows = stmt.query(params![on])?;
    while let Some(r) = rows.next()? {
        let f = by_street.entry(r.get(0)?).or_default();
        f.courier_stations = r.get(1)?;
        f.logistics_firms = r.get(2)?;
        f.rider_hubs = r.get(3)?;
        f.rest_stations = r.get(4)?;
        f.workplaces = f.courier_stations + f.logistics_firms + f.rider_hubs;
        f.org_covered = r.get(5)?;
        f.with_instructor = r.get(6)?;
        f.enterprises = r.get(7)?;
        f.enterprises_covered = r.get(8)?;
    }
    let mut stmt = conn.prepare(
        "SELECT street_id, count(*) FROM party_orgs
         WHERE street_id IS NOT NULL AND (founded_on IS NULL OR founded_on <= ?1)
         GROUP BY street_id",
    )?;
    let mut rows = stmt.query(params![on])?;
    while let Some(r) = rows.next()? {
        by_street.entry(r.get(0)?).or_default().party_orgs = r.get(1)?;
    }
    let mut total = CoverageFigures::default();
    for f in by_street.values() {
        total.courier_stations += f.courier_stations;
        total.logistics_firms += f.logistics_firms;
        total.rider_hubs += f.rider_hubs;
        total.rest_stations += f.rest_stations;
        total.workplaces += f.workplaces;
        total.org_covered += f.org_covered;
        total.with_instructor += f.with_instructor;
    }
    // An enterprise present in two streets is one enterprise of the district.
    let (enterprises, covered, orgs): (i64, i64, i64) = conn.query_row(
        &format!(
            "SELECT count(DISTINCT CASE WHEN st.kind IN {WORKPLACE_KINDS} THEN st.enterprise_id END),
                    count(DISTINCT CASE WHEN st.kind IN {WORKPLACE_KINDS} AND EXISTS (
                        SELECT 1 FROM org_coverage c WHERE c.station_id = st.id
                          AND (c.undated = 1 OR c.from_on <= ?1) AND (c.until_on IS NULL OR c.until_on >= ?1))
                        THEN st.enterprise_id END),
                    (SELECT count(*) FROM party_orgs WHERE founded_on IS NULL OR founded_on <= ?1)
             FROM stations st"
        ),
        params![on],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    total.enterprises = enterprises;
    total.enterprises_covered = covered;
    total.party_orgs = orgs;
    Ok((by_street, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_to_a_tenth() {
        assert_eq!(rate_tenths(30, 39), Some(769));
        assert_eq!(rate_tenths(36, 39), Some(923));
        assert_eq!(rate_tenths(1, 8), Some(125));
        assert_eq!(rate_tenths(1, 16), Some(63)); // 6.25 → 6.3
        assert_eq!(rate_tenths(2, 3), Some(667));
        assert_eq!(rate_tenths(0, 5), Some(0));
        assert_eq!(rate_tenths(5, 5), Some(1000));
        assert_eq!(rate_tenths(0, 0), None);
    }
}
