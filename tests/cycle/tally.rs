//! The test's own count of every figure `report streets` and `report district` print, made
//! from the data the registers and exports were written from ([`super::liuxiang`]), by the
//! rules the reports document: stock figures (stations, workers, members) on the period's
//! last day — a worker counts when joined by then and not left before it (the day of leaving
//! still counts); flows (check-ins, services, points) dated inside the period — check-ins and
//! services under the street where they happened, points under the worker's street; volunteer
//! service grants 1 point an hour, rounded half up (the default `volunteer_hour` rule). The
//! registry holds no party organizations, instructors, 随手拍 reports or wishes: those figures
//! are 0, and coverage rates are 0.0 where a street has workplaces, null where it has none.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::liuxiang::{CHECKINS, GONE, LEFT_ON, PEOPLE, POINTS, SERVICES, STATIONS, STREET};
use crate::util::YINGZE;

/// The figures of one street (or the district) over one period.
#[derive(Default)]
struct Counts {
    stations: i64,
    courier_stations: i64,
    logistics_firms: i64,
    rider_hubs: i64,
    rest_stations: i64,
    workers: i64,
    courier_station_workers: i64,
    logistics_firm_workers: i64,
    party_members: i64,
    probationary_members: i64,
    checkins: i64,
    checkin_workers: BTreeSet<usize>,
    services: i64,
    service_workers: BTreeSet<usize>,
    service_minutes: i64,
    points_earned: i64,
    points_redeemed: i64,
}

/// A person's 离职日期 as the registry holds it once August is imported.
fn left_on(who: usize) -> Option<&'static str> {
    (who == GONE).then_some(LEFT_ON)
}

/// True when `who` works on day `end`.
fn working(who: usize, end: &str) -> bool {
    PEOPLE[who].joined <= end && left_on(who).is_none_or(|l| l >= end)
}

/// Party membership as the register writes 政治面貌: (member, probationary).
fn membership(status: &str) -> (bool, bool) {
    match status {
        "中共党员" | "党员" => (true, false),
        "中共预备党员" | "预备党员" => (true, true),
        _ => (false, false),
    }
}

/// Points a volunteer service of `minutes` grants at 1 point an hour, half up.
pub fn service_points(minutes: i64) -> i64 {
    (minutes + 30) / 60
}

/// Every street's counts (keyed by name) and the district's, over `from..=to`.
fn count(from: &str, to: &str) -> (Vec<(&'static str, Counts)>, Counts) {
    let mut streets: Vec<(&str, Counts)> = YINGZE
        .iter()
        .map(|(_, n)| (*n, Counts::default()))
        .collect();
    let mut total = Counts::default();
    let inside = |d: &str| from <= d && d <= to;
    let mut add = |street: &str, f: &dyn Fn(&mut Counts)| {
        let s = streets
            .iter_mut()
            .find(|(n, _)| *n == street)
            .unwrap_or_else(|| panic!("no street {street}"));
        f(&mut s.1);
        f(&mut total);
    };
    for s in &STATIONS {
        add(STREET, &|c| {
            c.stations += 1;
            match s.kind {
                "快递站点" => c.courier_stations += 1,
                "物流企业" => c.logistics_firms += 1,
                "外卖员集合点" => c.rider_hubs += 1,
                "暖蜂驿站" => c.rest_stations += 1,
                other => panic!("station kind {other}"),
            }
        });
    }
    for (who, p) in PEOPLE.iter().enumerate() {
        if !working(who, to) {
            continue;
        }
        let (member, probationary) = membership(p.status);
        let kind = p.station.map(|s| STATIONS[s].kind);
        add(STREET, &|c| {
            c.workers += 1;
            c.courier_station_workers += i64::from(kind == Some("快递站点"));
            c.logistics_firm_workers += i64::from(kind == Some("物流企业"));
            c.party_members += i64::from(member);
            c.probationary_members += i64::from(probationary);
        });
    }
    for k in CHECKINS.iter().filter(|k| inside(k.date)) {
        add(k.place.of(k.who).0, &|c| {
            c.checkins += 1;
            c.checkin_workers.insert(k.who);
        });
    }
    for s in SERVICES.iter().filter(|s| inside(s.date)) {
        add(s.place.of(s.who).0, &|c| {
            c.services += 1;
            c.service_workers.insert(s.who);
            c.service_minutes += s.minutes;
        });
        // The service's points count under the worker's street, all of them in STREET.
        add(STREET, &|c| c.points_earned += service_points(s.minutes));
    }
    for p in POINTS.iter().filter(|p| inside(p.date)) {
        add(STREET, &|c| {
            if p.category == "积分兑换" {
                c.points_redeemed += p.points.abs();
            } else {
                c.points_earned += p.points;
            }
        });
    }
    (streets, total)
}

/// 1 decimal of the hours in `minutes`, half up: what the reports print.
fn hours(minutes: i64) -> f64 {
    ((minutes * 10 + 30) / 60) as f64 / 10.0
}

/// One row of `report streets --format json`, every key.
fn row(street: &str, code: Option<&str>, c: &Counts) -> Value {
    let workplaces = c.courier_stations + c.logistics_firms + c.rider_hubs;
    let rate = (workplaces > 0).then_some(0.0);
    json!({
        "street": street,
        "street_code": code,
        "stations": c.stations,
        "workers": c.workers,
        "party_members": c.party_members,
        "checkins": c.checkins,
        "checkin_workers": c.checkin_workers.len(),
        "points_earned": c.points_earned,
        "points_redeemed": c.points_redeemed,
        "workplaces": workplaces,
        "org_covered": 0,
        "org_coverage_rate": rate,
        "with_instructor": 0,
        "work_coverage_rate": rate,
        "mobile_members": 0,
        "courier_stations": c.courier_stations,
        "logistics_firms": c.logistics_firms,
        "rider_hubs": c.rider_hubs,
        "rest_stations": c.rest_stations,
        "courier_station_workers": c.courier_station_workers,
        "logistics_firm_workers": c.logistics_firm_workers,
        "probationary_members": c.probationary_members,
        "instructors": 0,
        "party_orgs": 0,
        "services": c.services,
        "service_workers": c.service_workers.len(),
        "service_hours": hours(c.service_minutes),
        "service_minutes": c.service_minutes,
        "tips": 0,
        "tips_by_category": {
            "safety_hazard": 0, "sanitation": 0, "dispute": 0, "incivility": 0,
            "street_vending": 0, "suggestion": 0, "other": 0
        },
        "tip_reporters": 0,
        "suggestions": 0,
        "tips_resolved": 0,
        "wishes_fulfilled": 0,
        "admitted": 0,
        "governance_reports": 0,
        "governance_reporters": 0,
        "gifts_redeemed": 0,
        "gift_orders_pending": 0,
        // The cycle registers no partner merchant.
        "partner_merchants": 0,
        "awards": {},
        // The 柳巷 registers of the cycle hold no 关爱活动.
        "care_activities": 0,
        "care_participants": 0,
        "care_workers": 0,
    })
}

/// The district's row over `from..=to` (`合计`, as both reports name it).
fn total_row(from: &str, to: &str) -> Value {
    row("合计", None, &count(from, to).1)
}

/// What `report streets --from FROM --to TO --format json` must print: the period, the seven
/// streets of 迎泽区 in code order, the district.
pub fn streets_report(from: &str, to: &str) -> Value {
    let (streets, total) = count(from, to);
    let rows: Vec<Value> = streets
        .iter()
        .zip(YINGZE)
        .map(|((name, c), (code, _))| row(name, Some(code), c))
        .collect();
    json!({
        "period": {"from": from, "to": to},
        "streets": rows,
        "total": row("合计", None, &total),
    })
}

/// The figures of `report district --format json` over `from..=to`: the district's row of the
/// period and that of the year to date (1 January to `to`).
pub fn district_figures(from: &str, to: &str) -> (Value, Value) {
    let year_start = format!("{}-01-01", &to[..4]);
    (total_row(from, to), total_row(&year_start, to))
}

/// Each person's points after `to`, as `points balance` shows them: (person, earned —
/// points rows and service grants, redeemed, balance); and the lowest running balance the
/// person reached on any day, which the ledger refuses below zero.
pub fn balances(to: &str) -> Vec<(usize, i64, i64, i64, i64)> {
    let mut out = Vec::new();
    for who in 0..PEOPLE.len() {
        let mut entries: Vec<(&str, i64)> = POINTS
            .iter()
            .filter(|p| p.who == who && p.date <= to)
            .map(|p| {
                (
                    p.date,
                    if p.category == "积分兑换" {
                        -p.points.abs()
                    } else {
                        p.points
                    },
                )
            })
            .chain(
                SERVICES
                    .iter()
                    .filter(|s| s.who == who && s.date <= to)
                    .map(|s| (s.date, service_points(s.minutes))),
            )
            .collect();
        // Earnings of a day before its redemptions.
        entries.sort_by_key(|&(d, p)| (d, -p));
        let (mut earned, mut redeemed, mut balance, mut lowest) = (0, 0, 0, 0);
        for (_, p) in entries {
            if p > 0 {
                earned += p;
            } else {
                redeemed -= p;
            }
            balance += p;
            lowest = lowest.min(balance);
        }
        if earned + redeemed > 0 {
            out.push((who, earned, redeemed, balance, lowest));
        }
    }
    out
}

/// The people who count in 从业人员 on day `end`.
pub fn working_on(end: &str) -> Vec<usize> {
    (0..PEOPLE.len()).filter(|&w| working(w, end)).collect()
}
